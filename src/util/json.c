/*
 * json.c - strict json-c parsing and typed getters (see json.h).
 */
#include "tz/json.h"
#include "tz/date.h"

#include <errno.h>
#include <json-c/printbuf.h>
#include <stdlib.h>
#include <string.h>

struct json_object *tz_json_parse(const char *text, size_t len, struct tz_err *err)
{
    struct json_tokener *tok = json_tokener_new_ex(TZ_JSON_MAX_DEPTH);
    struct json_object *obj = NULL;
    if (!tok) {
        tz_err_set(err, TZ_EINTERNAL, "out of memory");
        return NULL;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    if (len > (size_t)INT32_MAX) {
        tz_err_set(err, TZ_ETOOLARGE, "body too large");
        goto out;
    }
    obj = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    if (jerr == json_tokener_continue) {
        /* an incomplete document (an empty body among them) */
        json_object_put(obj);
        obj = NULL;
        tz_err_set(err, TZ_EBADREQ, "malformed JSON: unexpected end of input");
        goto out;
    }
    if (jerr != json_tokener_success) {
        json_object_put(obj);
        obj = NULL;
        tz_err_set(err, TZ_EBADREQ, "malformed JSON: %s", json_tokener_error_desc(jerr));
        goto out;
    }
    /* trailing bytes other than whitespace */
    for (size_t i = json_tokener_get_parse_end(tok); i < len; i++) {
        char c = text[i];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            json_object_put(obj);
            obj = NULL;
            tz_err_set(err, TZ_EBADREQ, "malformed JSON: trailing characters");
            goto out;
        }
    }
out:
    json_tokener_free(tok);
    return obj;
}

struct json_object *tz_json_parse_object(const char *text, size_t len, struct tz_err *err)
{
    struct json_object *obj = tz_json_parse(text, len, err);
    if (obj && !json_object_is_type(obj, json_type_object)) {
        json_object_put(obj);
        tz_err_set(err, TZ_EBADREQ, "the body must be a JSON object");
        return NULL;
    }
    return obj;
}

enum tz_status tz_json_only_keys(struct json_object *obj, const char *const *allowed,
                                 struct tz_err *err)
{
    json_object_object_foreach(obj, key, val)
    {
        (void)val;
        bool ok = false;
        for (const char *const *a = allowed; *a; a++) {
            if (strcmp(*a, key) == 0) {
                ok = true;
                break;
            }
        }
        if (!ok)
            return tz_err_field(err, TZ_EINVAL, key, "unknown field '%s'", key);
    }
    return TZ_OK;
}

static struct json_object *lookup(struct json_object *obj, const char *key, bool *present)
{
    struct json_object *v = NULL;
    *present = json_object_object_get_ex(obj, key, &v) && v != NULL;
    return *present ? v : NULL;
}

enum tz_status tz_json_get_str(struct json_object *obj, const char *key, const char **out,
                               bool *present, struct tz_err *err)
{
    struct json_object *v = lookup(obj, key, present);
    if (!v)
        return TZ_OK;
    if (!json_object_is_type(v, json_type_string))
        return tz_err_field(err, TZ_EINVAL, key, "'%s' must be a string", key);
    *out = json_object_get_string(v);
    return TZ_OK;
}

enum tz_status tz_json_get_int(struct json_object *obj, const char *key, int64_t *out,
                               bool *present, struct tz_err *err)
{
    struct json_object *v = lookup(obj, key, present);
    if (!v)
        return TZ_OK;
    if (!json_object_is_type(v, json_type_int))
        return tz_err_field(err, TZ_EINVAL, key, "'%s' must be an integer", key);
    errno = 0;
    *out = json_object_get_int64(v);
    if (errno)
        return tz_err_field(err, TZ_EINVAL, key, "'%s' is out of range", key);
    return TZ_OK;
}

enum tz_status tz_json_get_bool(struct json_object *obj, const char *key, bool *out, bool *present,
                                struct tz_err *err)
{
    struct json_object *v = lookup(obj, key, present);
    if (!v)
        return TZ_OK;
    if (!json_object_is_type(v, json_type_boolean))
        return tz_err_field(err, TZ_EINVAL, key, "'%s' must be true or false", key);
    *out = json_object_get_boolean(v);
    return TZ_OK;
}

enum tz_status tz_json_get_double(struct json_object *obj, const char *key, double *out,
                                  bool *present, struct tz_err *err)
{
    struct json_object *v = lookup(obj, key, present);
    if (!v)
        return TZ_OK;
    if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int))
        return tz_err_field(err, TZ_EINVAL, key, "'%s' must be a number", key);
    *out = json_object_get_double(v);
    return TZ_OK;
}

enum tz_status tz_json_get_date(struct json_object *obj, const char *key, int32_t *out,
                                bool *present, struct tz_err *err)
{
    const char *s = NULL;
    enum tz_status st = tz_json_get_str(obj, key, &s, present, err);
    if (st != TZ_OK || !*present)
        return st;
    if (!tz_date_parse(s, out))
        return tz_err_field(err, TZ_EINVAL, key, "'%s' must be an existing date YYYY-MM-DD", key);
    return TZ_OK;
}

static int raw_serializer(struct json_object *jso, struct printbuf *pb, int level, int flags)
{
    const char *text = json_object_get_userdata(jso);
    (void)level;
    (void)flags;
    return printbuf_memappend(pb, text, (int)strlen(text));
}

struct json_object *tz_json_raw(const char *text, size_t len)
{
    struct json_object *o = json_object_new_object();
    char *copy = malloc(len + 1);
    if (!copy)
        abort();
    memcpy(copy, text, len);
    copy[len] = '\0';
    json_object_set_serializer(o, raw_serializer, copy, json_object_free_userdata);
    return o;
}

const char *tz_json_compact(struct json_object *obj, size_t *len_out)
{
    size_t len = 0;
    const char *s = json_object_to_json_string_length(
        obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
    if (len_out)
        *len_out = len;
    return s;
}
