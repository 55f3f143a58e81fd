/*
 * app_units.c - units (the organisation tree) and user accounts.
 *
 * Every signed-in user may read the unit tree (names are shown everywhere);
 * only `admin` creates and edits units and users (三员分立: the admin manages
 * accounts but reads neither items nor the audit log). The tree check refuses a
 * parent that does not exist or would close a cycle; `kind` does not restrict
 * the parent (SPEC 2.1).
 */
#include "app_internal.h"
#include "tz/date.h"
#include "tz/password.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const unit_kinds[] = {"district",  "department", "street",     "town",
                                         "community", "village",    "enterprise", NULL};

struct json_object *tz_json_str_or_null(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

struct json_object *tz_json_date(int32_t day)
{
    char buf[TZ_DATE_BUF];
    return day == TZ_DAY_NONE ? NULL : json_object_new_string(tz_date_format(day, buf));
}

struct json_object *tz_json_roles(unsigned roles)
{
    struct json_object *a = json_object_new_array();
    for (int i = 0; i < TZ_ROLE_COUNT; i++)
        if (roles & (1u << i))
            json_object_array_add(a, json_object_new_string(tz_role_name(1u << i)));
    return a;
}

struct json_object *tz_json_unit(const struct tz_unit *u)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_int64(u->id));
    json_object_object_add(o, "code", json_object_new_string(u->code));
    json_object_object_add(o, "name", json_object_new_string(u->name));
    json_object_object_add(o, "kind", json_object_new_string(u->kind));
    json_object_object_add(o, "parent_id",
                           u->parent_id ? json_object_new_int64(u->parent_id) : NULL);
    json_object_object_add(o, "created_at", tz_json_str_or_null(u->created_at));
    return o;
}

struct json_object *tz_json_user(const struct tz_user *u)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_int64(u->id));
    json_object_object_add(o, "username", json_object_new_string(u->username));
    json_object_object_add(o, "display_name", json_object_new_string(u->display_name));
    json_object_object_add(o, "unit_id", json_object_new_int64(u->unit_id));
    json_object_object_add(o, "roles", tz_json_roles(u->roles));
    json_object_object_add(o, "disabled", json_object_new_boolean(u->disabled));
    json_object_object_add(o, "created_at", tz_json_str_or_null(u->created_at));
    return o;
}

static enum tz_status need_admin(struct tz_call *call, struct tz_err *err)
{
    if (!(call->user.roles & TZ_ROLE_ADMIN))
        return tz_err_set(err, TZ_EFORBIDDEN, "only an administrator may manage units and users");
    return TZ_OK;
}

/* A required or optional string with a length cap in characters' bytes. */
static enum tz_status get_text(struct json_object *body, const char *key, bool required, size_t max,
                               const char **out, struct tz_err *err)
{
    bool present = false;
    enum tz_status s = tz_json_get_str(body, key, out, &present, err);
    if (s != TZ_OK)
        return s;
    if (!present) {
        *out = NULL;
        if (required)
            return tz_err_field(err, TZ_EINVAL, key, "'%s' is required", key);
        return TZ_OK;
    }
    size_t len = strlen(*out);
    if (required && len == 0)
        return tz_err_field(err, TZ_EINVAL, key, "'%s' must not be empty", key);
    if (len > max)
        return tz_err_field(err, TZ_EINVAL, key, "'%s' is longer than %zu bytes", key, max);
    return TZ_OK;
}

enum tz_status tz_app_unit_list(struct tz_call *call, struct json_object **out, struct tz_err *err)
{
    struct tz_unit *v = NULL;
    size_t n = 0;
    enum tz_status s = TZ_STORE(call->conn)->unit_list(call->conn, call->arena, &v, &n, err);
    if (s != TZ_OK)
        return s;
    struct json_object *arr = json_object_new_array_ext((int)n);
    for (size_t i = 0; i < n; i++)
        json_object_array_add(arr, tz_json_unit(&v[i]));
    *out = json_object_new_object();
    json_object_object_add(*out, "units", arr);
    return TZ_OK;
}

enum tz_status tz_app_unit_get(struct tz_call *call, int64_t id, struct json_object **out,
                               struct tz_err *err)
{
    const struct tz_unit *u = tz_ctx_unit(call->ctx, id, call->arena);
    if (!u)
        return tz_err_set(err, TZ_ENOTFOUND, "unit %lld not found", (long long)id);
    *out = tz_json_unit(u);
    return TZ_OK;
}

/* Validates a unit body into u (fields absent keep u's values). */
static enum tz_status decode_unit(struct tz_call *call, struct json_object *body, bool create,
                                  struct tz_unit *u, struct tz_err *err)
{
    static const char *const keys[] = {"code", "name", "kind", "parent_id", NULL};
    const char *code = NULL, *name = NULL, *kind = NULL;
    enum tz_status s = tz_json_only_keys(body, keys, err);
    if (s == TZ_OK)
        s = get_text(body, "code", create, 32, &code, err);
    if (s == TZ_OK)
        s = get_text(body, "name", create, 200, &name, err);
    if (s == TZ_OK)
        s = get_text(body, "kind", create, 32, &kind, err);
    if (s != TZ_OK)
        return s;
    if (code) {
        if (!*code)
            return tz_err_field(err, TZ_EINVAL, "code", "'code' must not be empty");
        for (const char *p = code; *p; p++)
            if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
                return tz_err_field(err, TZ_EINVAL, "code",
                                    "'code' may hold only letters, digits, '-' and '_'");
        int64_t other = tz_app_unit_by_code(call->ctx, code);
        if (other && other != u->id)
            return tz_err_field(err, TZ_EINVAL, "code", "unit code '%s' is taken", code);
        u->code = code;
    }
    if (name) {
        if (!*name)
            return tz_err_field(err, TZ_EINVAL, "name", "'name' must not be empty");
        u->name = name;
    }
    if (kind) {
        bool ok = false;
        for (const char *const *k = unit_kinds; *k; k++)
            ok = ok || strcmp(*k, kind) == 0;
        if (!ok)
            return tz_err_field(err, TZ_EINVAL, "kind",
                                "'kind' must be one of district, department, street, town, "
                                "community, village, enterprise");
        u->kind = kind;
    }
    struct json_object *pv = NULL;
    if (json_object_object_get_ex(body, "parent_id", &pv)) {
        int64_t parent = 0;
        bool present = false;
        s = tz_json_get_int(body, "parent_id", &parent, &present, err);
        if (s != TZ_OK)
            return s;
        if (present) {
            if (!tz_ctx_unit(call->ctx, parent, call->arena))
                return tz_err_field(err, TZ_EINVAL, "parent_id", "parent unit %lld not found",
                                    (long long)parent);
            if (u->id) {
                int64_t *sub = NULL;
                size_t n = tz_ctx_subtree(call->ctx, u->id, call->arena, &sub);
                for (size_t i = 0; i < n; i++)
                    if (sub[i] == parent)
                        return tz_err_field(err, TZ_EINVAL, "parent_id",
                                            "a unit cannot be placed below itself");
            }
        }
        u->parent_id = present ? parent : 0;
    }
    return TZ_OK;
}

static enum tz_status write_unit(struct tz_call *call, struct tz_unit *u, bool create,
                                 struct json_object **out, struct tz_err *err)
{
    enum tz_status s = TZ_APP_BEGIN(call, err);
    if (s != TZ_OK)
        return s;
    s = create ? TZ_STORE(call->conn)->unit_insert(call->conn, u, err)
               : TZ_STORE(call->conn)->unit_update(call->conn, u, err);
    if (s == TZ_OK) {
        struct json_object *j = tz_json_unit(u);
        s = tz_app_audit(call, create ? "unit.create" : "unit.update",
                         tz_arena_printf(call->arena, "unit:%lld", (long long)u->id),
                         tz_json_compact(j, NULL), err);
        json_object_put(j);
    }
    s = tz_app_end(call, s, err);
    if (s == TZ_OK) {
        tz_ctx_refresh_after_commit(call, true, false);
        *out = tz_json_unit(u);
    }
    return s;
}

enum tz_status tz_app_unit_create(struct tz_call *call, struct json_object *body,
                                  struct json_object **out, struct tz_err *err)
{
    struct tz_unit u = {0};
    enum tz_status s = need_admin(call, err);
    if (s == TZ_OK)
        s = decode_unit(call, body, true, &u, err);
    if (s != TZ_OK)
        return s;
    u.created_at = tz_ctx_now(call->ctx, call->arena);
    return write_unit(call, &u, true, out, err);
}

enum tz_status tz_app_unit_update(struct tz_call *call, int64_t id, struct json_object *body,
                                  struct json_object **out, struct tz_err *err)
{
    enum tz_status s = need_admin(call, err);
    if (s != TZ_OK)
        return s;
    const struct tz_unit *cur = tz_ctx_unit(call->ctx, id, call->arena);
    if (!cur)
        return tz_err_set(err, TZ_ENOTFOUND, "unit %lld not found", (long long)id);
    struct tz_unit u = *cur;
    s = decode_unit(call, body, false, &u, err);
    if (s != TZ_OK)
        return s;
    return write_unit(call, &u, false, out, err);
}

/* ---- users ------------------------------------------------------------- */

enum tz_status tz_app_user_list(struct tz_call *call, struct json_object **out, struct tz_err *err)
{
    struct tz_user *v = NULL;
    size_t n = 0;
    enum tz_status s = need_admin(call, err);
    if (s == TZ_OK)
        s = TZ_STORE(call->conn)->user_list(call->conn, call->arena, &v, &n, err);
    if (s != TZ_OK)
        return s;
    struct json_object *arr = json_object_new_array_ext((int)n);
    for (size_t i = 0; i < n; i++)
        json_object_array_add(arr, tz_json_user(&v[i]));
    *out = json_object_new_object();
    json_object_object_add(*out, "users", arr);
    return TZ_OK;
}

enum tz_status tz_app_user_get(struct tz_call *call, int64_t id, struct json_object **out,
                               struct tz_err *err)
{
    struct tz_user u;
    /* everyone may read their own account */
    if (id != call->user.id) {
        enum tz_status s = need_admin(call, err);
        if (s != TZ_OK)
            return s;
    }
    enum tz_status s = TZ_STORE(call->conn)->user_get(call->conn, id, NULL, call->arena, &u, err);
    if (s != TZ_OK)
        return s;
    *out = tz_json_user(&u);
    return TZ_OK;
}

static enum tz_status decode_user(struct tz_call *call, struct json_object *body, bool create,
                                  struct tz_user *u, const char **password, struct tz_err *err)
{
    static const char *const keys[] = {"username", "display_name", "unit_id", "roles",
                                       "password", "disabled",     NULL};
    const char *username = NULL, *display = NULL;
    enum tz_status s = tz_json_only_keys(body, keys, err);
    if (s == TZ_OK && create)
        s = get_text(body, "username", true, 64, &username, err);
    if (s == TZ_OK && !create && json_object_object_get_ex(body, "username", NULL))
        return tz_err_field(err, TZ_EINVAL, "username", "'username' cannot be changed");
    if (s == TZ_OK)
        s = get_text(body, "display_name", create, 100, &display, err);
    if (s == TZ_OK)
        s = get_text(body, "password", create, 1024, password, err);
    if (s != TZ_OK)
        return s;
    if (username) {
        for (const char *p = username; *p; p++)
            if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.' && *p != '-')
                return tz_err_field(err, TZ_EINVAL, "username",
                                    "'username' may hold only letters, digits, '_', '.' and '-'");
        struct tz_user other;
        struct tz_err ignore;
        if (TZ_STORE(call->conn)->user_get(call->conn, 0, username, call->arena, &other, &ignore) ==
            TZ_OK)
            return tz_err_field(err, TZ_EINVAL, "username", "user name '%s' is taken", username);
        u->username = username;
    }
    if (display)
        u->display_name = display;
    bool present = false;
    int64_t unit = 0;
    s = tz_json_get_int(body, "unit_id", &unit, &present, err);
    if (s != TZ_OK)
        return s;
    if (present) {
        if (!tz_ctx_unit(call->ctx, unit, call->arena))
            return tz_err_field(err, TZ_EINVAL, "unit_id", "unit %lld not found", (long long)unit);
        u->unit_id = unit;
    } else if (create) {
        return tz_err_field(err, TZ_EINVAL, "unit_id", "'unit_id' is required");
    }
    struct json_object *roles = NULL;
    if (json_object_object_get_ex(body, "roles", &roles)) {
        if (!json_object_is_type(roles, json_type_array) || json_object_array_length(roles) == 0)
            return tz_err_field(err, TZ_EINVAL, "roles",
                                "'roles' must be a non-empty list of role names");
        unsigned mask = 0;
        for (size_t i = 0; i < json_object_array_length(roles); i++) {
            struct json_object *r = json_object_array_get_idx(roles, i);
            unsigned bit = 0;
            if (!json_object_is_type(r, json_type_string) ||
                !tz_role_parse(json_object_get_string(r), &bit))
                return tz_err_field(err, TZ_EINVAL, "roles",
                                    "'roles' holds an unknown role; roles are admin, auditor, "
                                    "leader, supervisor, manager, staff, viewer");
            mask |= bit;
        }
        /* 三员分立: the admin and the auditor roles stand alone */
        if ((mask & (TZ_ROLE_ADMIN | TZ_ROLE_AUDITOR)) && (mask & (mask - 1)))
            return tz_err_field(err, TZ_EINVAL, "roles",
                                "the admin and auditor roles cannot be combined with others");
        u->roles = mask;
    } else if (create) {
        return tz_err_field(err, TZ_EINVAL, "roles", "'roles' is required");
    }
    bool disabled = false;
    s = tz_json_get_bool(body, "disabled", &disabled, &present, err);
    if (s != TZ_OK)
        return s;
    if (present)
        u->disabled = disabled;
    if (*password)
        return tz_password_check(u->username, *password, err);
    return TZ_OK;
}

static enum tz_status write_user(struct tz_call *call, struct tz_user *u, bool create,
                                 struct json_object **out, struct tz_err *err)
{
    enum tz_status s = TZ_APP_BEGIN(call, err);
    if (s != TZ_OK)
        return s;
    s = create ? TZ_STORE(call->conn)->user_insert(call->conn, u, err)
               : TZ_STORE(call->conn)->user_update(call->conn, u, err);
    if (s == TZ_OK) {
        struct json_object *j = tz_json_user(u);
        s = tz_app_audit(call, create ? "user.create" : "user.update",
                         tz_arena_printf(call->arena, "user:%lld", (long long)u->id),
                         tz_json_compact(j, NULL), err);
        json_object_put(j);
    }
    s = tz_app_end(call, s, err);
    if (s == TZ_OK)
        *out = tz_json_user(u);
    return s;
}

enum tz_status tz_app_user_create(struct tz_call *call, struct json_object *body,
                                  struct json_object **out, struct tz_err *err)
{
    struct tz_user u = {0};
    const char *password = NULL;
    enum tz_status s = need_admin(call, err);
    if (s == TZ_OK)
        s = decode_user(call, body, true, &u, &password, err);
    if (s != TZ_OK)
        return s;
    char *hash = tz_app_password_hash(password);
    u.pw_hash = tz_arena_strdup(call->arena, hash);
    free(hash);
    u.created_at = tz_ctx_now(call->ctx, call->arena);
    return write_user(call, &u, true, out, err);
}

enum tz_status tz_app_user_update(struct tz_call *call, int64_t id, struct json_object *body,
                                  struct json_object **out, struct tz_err *err)
{
    struct tz_user u;
    const char *password = NULL;
    enum tz_status s = need_admin(call, err);
    if (s == TZ_OK)
        s = TZ_STORE(call->conn)->user_get(call->conn, id, NULL, call->arena, &u, err);
    if (s == TZ_OK)
        s = decode_user(call, body, false, &u, &password, err);
    if (s != TZ_OK)
        return s;
    if (password) {
        char *hash = tz_app_password_hash(password);
        u.pw_hash = tz_arena_strdup(call->arena, hash);
        free(hash);
    }
    return write_user(call, &u, false, out, err);
}
