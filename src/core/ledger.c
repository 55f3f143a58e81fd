/*
 * ledger.c - ledger definitions as data, and the check of an item's `fields`
 * against its ledger (see ledger.h).
 *
 * Definitions are parsed once into plain structs owned by the set (strings
 * copied), so that checking a request never touches JSON definition text.
 * Every failure names the offending field key, so the API's 422 points at it.
 */
#include "tz/ledger.h"
#include "tz/date.h"
#include "tz/json.h"
#include "tz/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LEDGERS   32
#define MAX_FIELDS    64
#define MAX_VALUES    64
#define MAX_TEXT      2000
#define MAX_LONG_TEXT 100000
#define MAX_LIST      200

struct tz_ledgers {
    struct tz_ledger_def defs[MAX_LEDGERS];
    size_t n;
};

static const char *const type_names[TZ__FIELD_TYPE_COUNT] = {
    [TZ_FIELD_TEXT] = "text",           [TZ_FIELD_LONG_TEXT] = "long_text",
    [TZ_FIELD_INTEGER] = "integer",     [TZ_FIELD_DECIMAL] = "decimal",
    [TZ_FIELD_MONEY] = "money",         [TZ_FIELD_DATE] = "date",
    [TZ_FIELD_ENUM] = "enum",           [TZ_FIELD_BOOL] = "bool",
    [TZ_FIELD_LIST] = "list",           [TZ_FIELD_UNIT] = "unit",
    [TZ_FIELD_UNIT_LIST] = "unit_list", [TZ_FIELD_MILESTONES] = "milestones",
    [TZ_FIELD_CHECKLIST] = "checklist",
};

const char *tz_field_type_name(enum tz_field_type t)
{
    return (unsigned)t < TZ__FIELD_TYPE_COUNT ? type_names[t] : "text";
}

struct tz_ledgers *tz_ledgers_new(void)
{
    return tz_xcalloc(1, sizeof(struct tz_ledgers));
}

static void free_def(struct tz_ledger_def *d)
{
    for (size_t i = 0; i < d->n_fields; i++) {
        struct tz_field_def *f = (struct tz_field_def *)&d->fields[i];
        free((char *)f->key);
        free((char *)f->label);
        for (size_t k = 0; k < f->n_values; k++)
            free((char *)f->values[k]);
        free((void *)f->values);
    }
    free((void *)d->fields);
    free((char *)d->key);
    free((char *)d->name);
    free((char *)d->prefix);
    json_object_put(d->settings);
}

void tz_ledgers_free(struct tz_ledgers *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free_def(&l->defs[i]);
    free(l);
}

static char *str_of(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return tz_xstrdup(json_object_get_string(v));
}

static enum tz_status parse_field(struct json_object *o, struct tz_field_def *f, struct tz_err *err)
{
    static const char *const keys[] = {"key", "label", "type", "required", "values",
                                       "min", "max",   "note", "computed", NULL};
    enum tz_status s = tz_json_only_keys(o, keys, err);
    if (s != TZ_OK)
        return s;
    f->key = str_of(o, "key");
    f->label = str_of(o, "label");
    char *type = str_of(o, "type");
    bool found = false;
    for (int t = 0; type && t < TZ__FIELD_TYPE_COUNT; t++) {
        if (strcmp(type, type_names[t]) == 0) {
            f->type = (enum tz_field_type)t;
            found = true;
        }
    }
    free(type);
    if (!f->key || !f->label || !found)
        return tz_err_field(err, TZ_EINVAL, f->key ? f->key : "fields",
                            "a field needs key, label and a known type");
    struct json_object *v = NULL;
    f->required = json_object_object_get_ex(o, "required", &v) && json_object_get_boolean(v);
    f->is_computed = json_object_object_get_ex(o, "computed", &v) && json_object_get_boolean(v);
    if (f->required && f->is_computed)
        return tz_err_field(err, TZ_EINVAL, f->key, "a computed field cannot be required");
    if (json_object_object_get_ex(o, "min", &v)) {
        f->has_min = true;
        f->min = json_object_get_double(v);
    }
    if (json_object_object_get_ex(o, "max", &v)) {
        f->has_max = true;
        f->max = json_object_get_double(v);
    }
    if (json_object_object_get_ex(o, "values", &v) && json_object_is_type(v, json_type_array)) {
        size_t n = json_object_array_length(v);
        if (n > MAX_VALUES)
            return tz_err_field(err, TZ_EINVAL, f->key, "too many values");
        const char **vals = tz_xcalloc(n + 1, sizeof(*vals));
        for (size_t i = 0; i < n; i++)
            vals[i] = tz_xstrdup(json_object_get_string(json_object_array_get_idx(v, i)));
        f->values = vals;
        f->n_values = n;
    }
    if (f->type == TZ_FIELD_ENUM && f->n_values == 0)
        return tz_err_field(err, TZ_EINVAL, f->key, "an enum field needs values");
    return TZ_OK;
}

enum tz_status tz_ledgers_add_json(struct tz_ledgers *l, const char *json, size_t len,
                                   struct tz_err *err)
{
    static const char *const keys[] = {"key",       "name",   "prefix",   "register",
                                       "warn_days", "fields", "settings", NULL};
    if (l->n >= MAX_LEDGERS)
        return tz_err_set(err, TZ_EINVAL, "too many ledgers");
    struct json_object *doc = tz_json_parse_object(json, len, err);
    if (!doc)
        return TZ_EINVAL;
    struct tz_ledger_def d;
    memset(&d, 0, sizeof(d));
    enum tz_status s = tz_json_only_keys(doc, keys, err);
    struct json_object *v = NULL, *fields = NULL;
    if (s == TZ_OK) {
        d.key = str_of(doc, "key");
        d.name = str_of(doc, "name");
        d.prefix = str_of(doc, "prefix");
        d.is_register =
            json_object_object_get_ex(doc, "register", &v) && json_object_get_boolean(v);
        d.warn_days = json_object_object_get_ex(doc, "warn_days", &v) ? json_object_get_int(v) : 3;
        if (!d.key || !d.name || !d.prefix)
            s = tz_err_field(err, TZ_EINVAL, "key", "a ledger needs key, name and prefix");
    }
    if (s == TZ_OK) {
        if (!json_object_object_get_ex(doc, "settings", &v))
            d.settings = json_object_new_object();
        else if (json_object_is_type(v, json_type_object))
            d.settings = json_object_get(v);
        else
            s = tz_err_field(err, TZ_EINVAL, "settings", "'settings' must be an object");
    }
    if (s == TZ_OK && json_object_object_get_ex(doc, "fields", &fields) &&
        json_object_is_type(fields, json_type_array)) {
        size_t n = json_object_array_length(fields);
        if (n > MAX_FIELDS) {
            s = tz_err_field(err, TZ_EINVAL, "fields", "too many fields");
        } else {
            struct tz_field_def *fs = tz_xcalloc(n + 1, sizeof(*fs));
            d.fields = fs;
            for (size_t i = 0; s == TZ_OK && i < n; i++) {
                s = parse_field(json_object_array_get_idx(fields, i), &fs[i], err);
                d.n_fields = i + 1;
            }
        }
    }
    json_object_put(doc);
    if (s != TZ_OK) {
        free_def(&d);
        return s;
    }
    l->defs[l->n++] = d;
    return TZ_OK;
}

const struct tz_ledger_def *tz_ledgers_find(const struct tz_ledgers *l, const char *key)
{
    for (size_t i = 0; l && i < l->n; i++)
        if (strcmp(l->defs[i].key, key) == 0)
            return &l->defs[i];
    return NULL;
}

size_t tz_ledgers_count(const struct tz_ledgers *l)
{
    return l ? l->n : 0;
}

const struct tz_ledger_def *tz_ledgers_at(const struct tz_ledgers *l, size_t i)
{
    return l && i < l->n ? &l->defs[i] : NULL;
}

static struct json_object *setting(const struct tz_ledger_def *def, const char *key)
{
    struct json_object *v = NULL;
    if (!def || !def->settings || !json_object_object_get_ex(def->settings, key, &v))
        return NULL;
    return v;
}

int64_t tz_ledger_setting_int(const struct tz_ledger_def *def, const char *key, int64_t dflt)
{
    struct json_object *v = setting(def, key);
    if (v && json_object_is_type(v, json_type_int))
        return json_object_get_int64(v);
    if (v && json_object_is_type(v, json_type_double)) {
        double d = json_object_get_double(v);
        if (isfinite(d) && d == floor(d) && fabs(d) < 9e15)
            return (int64_t)d;
    }
    return dflt;
}

bool tz_ledger_setting_bool(const struct tz_ledger_def *def, const char *key, bool dflt)
{
    struct json_object *v = setting(def, key);
    return v && json_object_is_type(v, json_type_boolean) ? json_object_get_boolean(v) : dflt;
}

const char *tz_ledger_setting_str(const struct tz_ledger_def *def, const char *key,
                                  const char *dflt)
{
    struct json_object *v = setting(def, key);
    return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : dflt;
}

void tz_ledger_strip_computed(const struct tz_ledger_def *def, struct json_object *fields)
{
    if (!def || !fields || !json_object_is_type(fields, json_type_object))
        return;
    for (size_t i = 0; i < def->n_fields; i++)
        if (def->fields[i].is_computed)
            json_object_object_del(fields, def->fields[i].key);
}

/* ---- checking -------------------------------------------------------- */

static enum tz_status bad(struct tz_err *err, const struct tz_field_def *f, const char *what)
{
    return tz_err_field(err, TZ_EINVAL, f->key, "'%s' (%s) %s", f->key, f->label, what);
}

static enum tz_status check_number(const struct tz_field_def *f, struct json_object *v,
                                   struct tz_err *err)
{
    bool is_int = json_object_is_type(v, json_type_int);
    if (!is_int && !json_object_is_type(v, json_type_double))
        return bad(err, f, "must be a number");
    if (f->type == TZ_FIELD_INTEGER && !is_int)
        return bad(err, f, "must be a whole number");
    double d = json_object_get_double(v);
    if (!isfinite(d))
        return bad(err, f, "must be a number");
    if (f->type == TZ_FIELD_MONEY && d < 0)
        return bad(err, f, "must not be negative");
    if (f->has_min && d < f->min)
        return bad(err, f, "is below its minimum");
    if (f->has_max && d > f->max)
        return bad(err, f, "is above its maximum");
    return TZ_OK;
}

static enum tz_status check_text(const struct tz_field_def *f, struct json_object *v, size_t max,
                                 struct tz_err *err)
{
    if (!json_object_is_type(v, json_type_string))
        return bad(err, f, "must be text");
    if ((size_t)json_object_get_string_len(v) > max)
        return bad(err, f, "is too long");
    return TZ_OK;
}

static enum tz_status check_milestones(const struct tz_field_def *f, struct json_object *v,
                                       struct tz_err *err)
{
    static const char *const keys[] = {"name", "due", "done", NULL};
    if (!json_object_is_type(v, json_type_array) || json_object_array_length(v) > MAX_LIST)
        return bad(err, f, "must be a list of {name, due, done}");
    for (size_t i = 0; i < json_object_array_length(v); i++) {
        struct json_object *m = json_object_array_get_idx(v, i), *x = NULL;
        struct tz_err ignore;
        int32_t day;
        if (!json_object_is_type(m, json_type_object) ||
            tz_json_only_keys(m, keys, &ignore) != TZ_OK ||
            !json_object_object_get_ex(m, "name", &x) || !json_object_is_type(x, json_type_string))
            return bad(err, f, "must be a list of {name, due, done}");
        if (json_object_object_get_ex(m, "due", &x) && x &&
            (!json_object_is_type(x, json_type_string) ||
             !tz_date_parse(json_object_get_string(x), &day)))
            return bad(err, f, "has a milestone whose 'due' is not an existing date");
        if (json_object_object_get_ex(m, "done", &x) && x &&
            !json_object_is_type(x, json_type_boolean))
            return bad(err, f, "has a milestone whose 'done' is not true or false");
    }
    return TZ_OK;
}

/*
 * A checklist of approvals (前期手续, DOMAIN 8.4): [{name, status, date,
 * doc_no}], name required, status one of the four, date an existing date.
 */
static enum tz_status check_checklist(const struct tz_field_def *f, struct json_object *v,
                                      struct tz_err *err)
{
    static const char *const keys[] = {"name", "status", "date", "doc_no", NULL};
    static const char *const states[] = {"未启动", "办理中", "已取得", "不需要"};
    const char *shape = "must be a list of {name, status, date, doc_no}";
    if (!json_object_is_type(v, json_type_array) || json_object_array_length(v) > MAX_LIST)
        return bad(err, f, shape);
    for (size_t i = 0; i < json_object_array_length(v); i++) {
        struct json_object *m = json_object_array_get_idx(v, i), *x = NULL;
        struct tz_err ignore;
        int32_t day;
        if (!json_object_is_type(m, json_type_object) ||
            tz_json_only_keys(m, keys, &ignore) != TZ_OK ||
            !json_object_object_get_ex(m, "name", &x) ||
            !json_object_is_type(x, json_type_string) || json_object_get_string_len(x) == 0 ||
            json_object_get_string_len(x) > MAX_TEXT)
            return bad(err, f, shape);
        if (json_object_object_get_ex(m, "status", &x) && x) {
            bool known = false;
            for (size_t k = 0; k < 4 && json_object_is_type(x, json_type_string); k++)
                known = known || strcmp(json_object_get_string(x), states[k]) == 0;
            if (!known)
                return bad(err, f, "has a status other than 未启动, 办理中, 已取得 or 不需要");
        }
        if (json_object_object_get_ex(m, "date", &x) && x &&
            (!json_object_is_type(x, json_type_string) ||
             !tz_date_parse(json_object_get_string(x), &day)))
            return bad(err, f, "has an entry whose 'date' is not an existing date");
        if (json_object_object_get_ex(m, "doc_no", &x) && x &&
            (!json_object_is_type(x, json_type_string) || json_object_get_string_len(x) > MAX_TEXT))
            return bad(err, f, "has an entry whose 'doc_no' is not text");
    }
    return TZ_OK;
}

static enum tz_status check_value(const struct tz_field_def *f, struct json_object *v,
                                  tz_unit_exists_fn unit_exists, void *arg, struct tz_err *err)
{
    int32_t day;
    switch (f->type) {
    case TZ_FIELD_TEXT:
        return check_text(f, v, MAX_TEXT, err);
    case TZ_FIELD_LONG_TEXT:
        return check_text(f, v, MAX_LONG_TEXT, err);
    case TZ_FIELD_INTEGER:
    case TZ_FIELD_DECIMAL:
    case TZ_FIELD_MONEY:
        return check_number(f, v, err);
    case TZ_FIELD_DATE:
        if (!json_object_is_type(v, json_type_string) ||
            !tz_date_parse(json_object_get_string(v), &day))
            return bad(err, f, "must be an existing date YYYY-MM-DD");
        return TZ_OK;
    case TZ_FIELD_ENUM:
        if (json_object_is_type(v, json_type_string))
            for (size_t i = 0; i < f->n_values; i++)
                if (strcmp(f->values[i], json_object_get_string(v)) == 0)
                    return TZ_OK;
        return bad(err, f, "must be one of its listed values");
    case TZ_FIELD_BOOL:
        if (!json_object_is_type(v, json_type_boolean))
            return bad(err, f, "must be true or false");
        return TZ_OK;
    case TZ_FIELD_LIST:
        if (!json_object_is_type(v, json_type_array) || json_object_array_length(v) > MAX_LIST)
            return bad(err, f, "must be a list of texts");
        for (size_t i = 0; i < json_object_array_length(v); i++) {
            struct json_object *e = json_object_array_get_idx(v, i);
            if (!json_object_is_type(e, json_type_string) ||
                (size_t)json_object_get_string_len(e) > MAX_TEXT)
                return bad(err, f, "must be a list of texts");
        }
        return TZ_OK;
    case TZ_FIELD_UNIT:
        if (!json_object_is_type(v, json_type_int) ||
            (unit_exists && !unit_exists(arg, json_object_get_int64(v))))
            return bad(err, f, "must be the id of an existing unit");
        return TZ_OK;
    case TZ_FIELD_UNIT_LIST:
        if (!json_object_is_type(v, json_type_array) || json_object_array_length(v) > MAX_LIST)
            return bad(err, f, "must be a list of unit ids");
        for (size_t i = 0; i < json_object_array_length(v); i++) {
            struct json_object *e = json_object_array_get_idx(v, i);
            if (!json_object_is_type(e, json_type_int) ||
                (unit_exists && !unit_exists(arg, json_object_get_int64(e))))
                return bad(err, f, "must be a list of ids of existing units");
        }
        return TZ_OK;
    case TZ_FIELD_MILESTONES:
        return check_milestones(f, v, err);
    case TZ_FIELD_CHECKLIST:
        return check_checklist(f, v, err);
    case TZ__FIELD_TYPE_COUNT:
        break;
    }
    return bad(err, f, "has an unknown type");
}

enum tz_status tz_ledger_check_fields(const struct tz_ledger_def *def, struct json_object *fields,
                                      bool check_required, tz_unit_exists_fn unit_exists, void *arg,
                                      struct tz_err *err)
{
    if (fields && !json_object_is_type(fields, json_type_object))
        return tz_err_field(err, TZ_EINVAL, "fields", "'fields' must be an object");
    if (fields) {
        json_object_object_foreach(fields, key, val)
        {
            const struct tz_field_def *f = NULL;
            for (size_t i = 0; i < def->n_fields; i++)
                if (strcmp(def->fields[i].key, key) == 0)
                    f = &def->fields[i];
            if (!f)
                return tz_err_field(err, TZ_EINVAL, key, "'%s' is not a field of ledger '%s'", key,
                                    def->key);
            if (f->is_computed)
                continue; /* the server sets it: whatever was sent is ignored */
            if (!val) {
                if (f->required)
                    return bad(err, f, "is required");
                continue;
            }
            enum tz_status s = check_value(f, val, unit_exists, arg, err);
            if (s != TZ_OK)
                return s;
        }
    }
    for (size_t i = 0; check_required && i < def->n_fields; i++) {
        struct json_object *v = NULL;
        if (def->fields[i].required &&
            (!fields || !json_object_object_get_ex(fields, def->fields[i].key, &v) || !v))
            return bad(err, &def->fields[i], "is required");
    }
    return TZ_OK;
}

struct json_object *tz_ledger_json(const struct tz_ledger_def *def)
{
    struct json_object *o = json_object_new_object(), *fs = json_object_new_array();
    json_object_object_add(o, "key", json_object_new_string(def->key));
    json_object_object_add(o, "name", json_object_new_string(def->name));
    json_object_object_add(o, "prefix", json_object_new_string(def->prefix));
    json_object_object_add(o, "register", json_object_new_boolean(def->is_register));
    json_object_object_add(o, "warn_days", json_object_new_int(def->warn_days));
    for (size_t i = 0; i < def->n_fields; i++) {
        const struct tz_field_def *f = &def->fields[i];
        struct json_object *j = json_object_new_object();
        json_object_object_add(j, "key", json_object_new_string(f->key));
        json_object_object_add(j, "label", json_object_new_string(f->label));
        json_object_object_add(j, "type", json_object_new_string(tz_field_type_name(f->type)));
        json_object_object_add(j, "required", json_object_new_boolean(f->required));
        if (f->n_values) {
            struct json_object *vals = json_object_new_array();
            for (size_t k = 0; k < f->n_values; k++)
                json_object_array_add(vals, json_object_new_string(f->values[k]));
            json_object_object_add(j, "values", vals);
        }
        if (f->has_min)
            json_object_object_add(j, "min", json_object_new_double(f->min));
        if (f->has_max)
            json_object_object_add(j, "max", json_object_new_double(f->max));
        if (f->is_computed)
            json_object_object_add(j, "computed", json_object_new_boolean(true));
        json_object_array_add(fs, j);
    }
    json_object_object_add(o, "fields", fs);
    json_object_object_add(o, "settings", json_object_get(def->settings));
    return o;
}
