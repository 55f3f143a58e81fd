/*
 * app_setup.c - first set-up (`taizhang init`) and the Chengdong demo
 * (`taizhang demo`).
 *
 * The demo is data (data/demo/chengdong.json) played through the same use
 * cases a user would call: every item is created by a supervisor and driven
 * step by step by the users the file names, on the business dates the steps
 * name (offsets from today), so the demo's events, audit trail and lights are
 * exactly what real use would have produced.
 */
#include "app_internal.h"
#include "tz/date.h"
#include "tz/embed.h"
#include "tz/log.h"
#include "tz/password.h"
#include "tz/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tz_status tz_app_init(struct tz_ctx *ctx, const char *admin_user, const char *admin_password,
                           struct tz_err *err)
{
    struct tz_arena a;
    struct tz_call call;
    enum tz_status s = tz_password_check(admin_user, admin_password, err);
    if (s != TZ_OK)
        return s;
    tz_arena_init(&a);
    tz_call_init(&call, ctx, &a, "-");
    if (tz_app_unit_by_code(ctx, "ROOT")) {
        s = tz_err_set(err, TZ_EINVAL,
                       "the database exists already, with its administrator; init makes a new one");
        goto out;
    }
    char *hash = tz_app_password_hash(admin_password);
    struct tz_unit root = {
        .code = "ROOT", .name = "城东区", .kind = "district", .created_at = tz_ctx_now(ctx, &a)};
    struct tz_user admin = {
        .username = admin_user,
        .display_name = "系统管理员",
        .roles = TZ_ROLE_ADMIN,
        .created_at = root.created_at,
        .pw_hash = tz_arena_strdup(&a, hash),
    };
    free(hash);
    s = TZ_APP_BEGIN(&call, err);
    if (s != TZ_OK)
        goto out;
    s = TZ_STORE(call.conn)->unit_insert(call.conn, &root, err);
    if (s == TZ_OK) {
        admin.unit_id = root.id;
        s = TZ_STORE(call.conn)->user_insert(call.conn, &admin, err);
    }
    if (s == TZ_OK)
        s = tz_app_audit(&call, "init", "unit:ROOT", "{}", err);
    if (s != TZ_OK) {
        TZ_STORE(call.conn)->rollback(call.conn);
        goto out;
    }
    s = tz_app_commit(&call, err);
    if (s == TZ_OK)
        tz_ctx_refresh_after_commit(&call, true, false);
out:
    tz_call_release(&call);
    tz_arena_release(&a);
    return s;
}

/* ---- demo --------------------------------------------------------------- */

struct demo {
    struct tz_ctx *ctx;
    int32_t today;
    const char *pw_hash;
    struct json_object *items; /* the item specs, for links by title */
    int64_t *item_ids;         /* the id each spec was created with, by index */
};

static const char *jstr(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

/* "+20", "-5" calendar days or "wd+2" working days from today. */
static bool demo_day(struct demo *d, const char *s, int32_t *out)
{
    if (!s)
        return false;
    if (strncmp(s, "wd", 2) == 0) {
        int n = (int)strtol(s + 2, NULL, 10);
        pthread_rwlock_rdlock(&d->ctx->lock);
        *out = n > 0 ? tz_calendar_add_workdays(d->ctx->cal, d->today, n) : d->today;
        pthread_rwlock_unlock(&d->ctx->lock);
        return true;
    }
    char *end = NULL;
    long n = strtol(s, &end, 10);
    if (end == s || *end)
        return false;
    *out = d->today + (int32_t)n;
    return true;
}

/* A call as the named user. */
static enum tz_status demo_call(struct demo *d, struct tz_call *call, struct tz_arena *a,
                                const char *username, struct tz_err *err)
{
    tz_call_init(call, d->ctx, a, "127.0.0.1");
    enum tz_status s = TZ_STORE(call->conn)->user_get(call->conn, 0, username, a, &call->user, err);
    if (s != TZ_OK) {
        tz_call_release(call);
        return tz_err_set(err, TZ_EINVAL, "demo: unknown user '%s'", username);
    }
    call->signed_in = true;
    tz_app_make_actor(call);
    return TZ_OK;
}

static enum tz_status demo_units(struct demo *d, struct json_object *units, struct tz_err *err)
{
    for (size_t i = 0; i < json_object_array_length(units); i++) {
        struct json_object *u = json_object_array_get_idx(units, i);
        const char *parent = jstr(u, "parent");
        struct tz_arena a;
        struct tz_call call;
        tz_arena_init(&a);
        enum tz_status s = demo_call(d, &call, &a, "admin", err);
        if (s != TZ_OK) {
            tz_arena_release(&a);
            return s;
        }
        struct json_object *body = json_object_new_object(), *out = NULL;
        json_object_object_add(body, "code", json_object_new_string(jstr(u, "code")));
        json_object_object_add(body, "name", json_object_new_string(jstr(u, "name")));
        json_object_object_add(body, "kind", json_object_new_string(jstr(u, "kind")));
        int64_t pid = parent ? tz_app_unit_by_code(d->ctx, parent) : 0;
        int64_t existing = tz_app_unit_by_code(d->ctx, jstr(u, "code"));
        /* the demo's district is the root that init made: it takes the demo's code and name */
        if (!existing && !parent && jstr(u, "kind") && strcmp(jstr(u, "kind"), "district") == 0)
            existing = tz_app_unit_by_code(d->ctx, "ROOT");
        if (pid)
            json_object_object_add(body, "parent_id", json_object_new_int64(pid));
        /* the district root exists from init: give it the demo's name */
        s = existing ? tz_app_unit_update(&call, existing, body, &out, err)
                     : tz_app_unit_create(&call, body, &out, err);
        json_object_put(body);
        json_object_put(out);
        tz_call_release(&call);
        tz_arena_release(&a);
        if (s != TZ_OK)
            return s;
    }
    return TZ_OK;
}

static enum tz_status demo_users(struct demo *d, struct json_object *users, struct tz_err *err)
{
    struct tz_arena a;
    struct tz_call call;
    tz_arena_init(&a);
    tz_call_init(&call, d->ctx, &a, "-");
    enum tz_status s = TZ_APP_BEGIN(&call, err);
    for (size_t i = 0; s == TZ_OK && i < json_object_array_length(users); i++) {
        struct json_object *u = json_object_array_get_idx(users, i), *roles = NULL;
        const char *username = jstr(u, "username");
        struct tz_user row = {
            .username = username,
            .display_name = jstr(u, "display_name"),
            .unit_id = tz_app_unit_by_code(d->ctx, jstr(u, "unit") ? jstr(u, "unit") : ""),
            .created_at = tz_ctx_now(d->ctx, &a),
            .pw_hash = d->pw_hash,
        };
        if (!username || !row.display_name || !row.unit_id) {
            s = tz_err_set(err, TZ_EINVAL, "demo: user %zu is incomplete", i);
            break;
        }
        json_object_object_get_ex(u, "roles", &roles);
        for (size_t k = 0; roles && k < json_object_array_length(roles); k++) {
            unsigned bit = 0;
            if (tz_role_parse(json_object_get_string(json_object_array_get_idx(roles, k)), &bit))
                row.roles |= bit;
        }
        struct tz_user existing;
        struct tz_err ignore;
        if (TZ_STORE(call.conn)->user_get(call.conn, 0, username, &a, &existing, &ignore) ==
            TZ_OK) {
            row.id = existing.id;
            s = TZ_STORE(call.conn)->user_update(call.conn, &row, err);
        } else {
            s = TZ_STORE(call.conn)->user_insert(call.conn, &row, err);
        }
        if (s == TZ_OK)
            s = tz_app_audit(&call, "user.create",
                             tz_arena_printf(&a, "user:%lld", (long long)row.id), "{\"demo\":true}",
                             err);
    }
    if (s == TZ_OK)
        s = tz_app_commit(&call, err);
    else
        TZ_STORE(call.conn)->rollback(call.conn);
    tz_call_release(&call);
    tz_arena_release(&a);
    return s;
}

/* A small valid file of the type the name suggests. */
static const unsigned char *demo_file(const char *name, const char **type, size_t *len)
{
    static const unsigned char png[] = {
        0x89, 'P',  'N',  'G',  '\r', '\n', 0x1a, '\n', 0,    0,    0,    13,   'I',  'H',
        'D',  'R',  0,    0,    0,    1,    0,    0,    0,    1,    8,    2,    0,    0,
        0,    0x90, 0x77, 0x53, 0xde, 0,    0,    0,    12,   'I',  'D',  'A',  'T',  0x08,
        0xd7, 0x63, 0xf8, 0xcf, 0xc0, 0,    0,    0x03, 0x01, 0x01, 0x00, 0x18, 0xdd, 0x8d,
        0xb0, 0,    0,    0,    0,    'I',  'E',  'N',  'D',  0xae, 0x42, 0x60, 0x82};
    static const unsigned char pdf[] = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                                       "2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer"
                                       "<</Root 1 0 R>>\n%%EOF\n";
    static const unsigned char jpg[] = {0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F',  0,
                                        1,    1,    0,    0,    1, 0,  1,   0,   0,   0xff, 0xd9};
    const char *dot = strrchr(name, '.');
    if (dot && strcmp(dot, ".pdf") == 0) {
        *type = "application/pdf";
        *len = sizeof(pdf) - 1;
        return pdf;
    }
    if (dot && (strcmp(dot, ".jpg") == 0 || strcmp(dot, ".jpeg") == 0)) {
        *type = "image/jpeg";
        *len = sizeof(jpg);
        return jpg;
    }
    *type = "image/png";
    *len = sizeof(png);
    return png;
}

/* A number from a use case's answer (items come back as rendered text: read it back). */
static int64_t out_int(struct json_object *out, const char *key)
{
    struct tz_err err;
    size_t len = 0;
    const char *text = tz_json_compact(out, &len);
    struct json_object *o = tz_json_parse(text, len, &err);
    int64_t v = o ? json_object_get_int64(json_object_object_get(o, key)) : 0;
    json_object_put(o);
    return v;
}

/* The periods an item reports (an indicator's months, a section's samples), each by its user. */
static enum tz_status demo_series(struct demo *d, struct json_object *spec, size_t index,
                                  int64_t id, struct tz_err *err)
{
    struct json_object *series = NULL;
    enum tz_status s = TZ_OK;
    if (!json_object_object_get_ex(spec, "series", &series))
        return TZ_OK;
    d->ctx->cfg.today_fixed = d->today;
    for (size_t i = 0; s == TZ_OK && i < json_object_array_length(series); i++) {
        struct json_object *p = json_object_array_get_idx(series, i), *data = NULL, *out = NULL;
        const char *period = jstr(p, "period");
        struct tz_arena a;
        struct tz_call call;
        int year = 0, month = 0;
        if (!period || sscanf(period, "%4d-%2d", &year, &month) != 2 ||
            !json_object_object_get_ex(p, "data", &data))
            return tz_err_set(err, TZ_EINTERNAL, "demo item %zu: a period needs period and data",
                              index);
        int yyyymm = year * 100 + month;
        tz_arena_init(&a);
        s = demo_call(d, &call, &a, jstr(p, "by") ? jstr(p, "by") : "dcs", err);
        if (s == TZ_OK) {
            size_t len = 0;
            const char *text = tz_json_compact(data, &len);
            s = tz_app_series_put(&call, id, yyyymm, text, len, &out, err);
            tz_call_release(&call);
        }
        json_object_put(out);
        tz_arena_release(&a);
        if (s != TZ_OK)
            tz_err_set(err, err->code, "demo item %zu (%s) period %s: %s (field '%s')", index,
                       jstr(spec, "title"), period, err->msg, err->field);
    }
    return s;
}

static const char *const item_keys[] = {"title",  "description", "source", "leader",
                                        "fields", "location",    NULL};

static enum tz_status demo_item(struct demo *d, struct json_object *spec, size_t index,
                                struct tz_err *err)
{
    struct json_object *steps = NULL, *out = NULL, *v = NULL;
    json_object_object_get_ex(spec, "steps", &steps);
    size_t n_steps = steps ? json_object_array_length(steps) : 0;
    int first_at = 0;
    if (n_steps && json_object_object_get_ex(json_object_array_get_idx(steps, 0), "at", &v))
        first_at = json_object_get_int(v);

    /* the item is registered on the day of its first step */
    const char *creator = "dcs";
    for (size_t i = 0; i < n_steps; i++) {
        const char *by = jstr(json_object_array_get_idx(steps, i), "by");
        const char *action = jstr(json_object_array_get_idx(steps, i), "action");
        if (by && action && strcmp(action, "assign") == 0) {
            creator = by;
            break;
        }
    }
    struct tz_arena a;
    struct tz_call call;
    tz_arena_init(&a);
    d->ctx->cfg.today_fixed = d->today + first_at;
    enum tz_status s = demo_call(d, &call, &a, creator, err);
    if (s != TZ_OK)
        goto out;
    struct json_object *body = json_object_new_object();
    json_object_object_add(body, "ledger", json_object_new_string(jstr(spec, "ledger")));
    for (const char *const *k = item_keys; *k; k++)
        if (json_object_object_get_ex(spec, *k, &v))
            json_object_object_add(body, *k, json_object_get(v));
    if (jstr(spec, "lead"))
        json_object_object_add(
            body, "lead_unit_id",
            json_object_new_int64(tz_app_unit_by_code(d->ctx, jstr(spec, "lead"))));
    if (json_object_object_get_ex(spec, "co", &v)) {
        struct json_object *co = json_object_new_array();
        for (size_t i = 0; i < json_object_array_length(v); i++)
            json_object_array_add(
                co, json_object_new_int64(tz_app_unit_by_code(
                        d->ctx, json_object_get_string(json_object_array_get_idx(v, i)))));
        json_object_object_add(body, "co_unit_ids", co);
    }
    int32_t deadline;
    if (demo_day(d, jstr(spec, "deadline"), &deadline)) {
        char buf[TZ_DATE_BUF];
        json_object_object_add(body, "deadline",
                               json_object_new_string(tz_date_format(deadline, buf)));
    }
    s = tz_app_item_create(&call, body, &out, err);
    json_object_put(body);
    tz_call_release(&call);
    if (s != TZ_OK) {
        tz_err_set(err, err->code, "demo item %zu (%s): %s (field '%s')", index,
                   jstr(spec, "title"), err->msg, err->field);
        goto out;
    }
    int64_t id = out_int(out, "id");
    int64_t version = out_int(out, "version");
    d->item_ids[index - 1] = id;
    json_object_put(out);
    out = NULL;

    for (size_t i = 0; i < n_steps; i++) {
        struct json_object *st = json_object_array_get_idx(steps, i);
        int at = json_object_object_get_ex(st, "at", &v) ? json_object_get_int(v) : 0;
        d->ctx->cfg.today_fixed = d->today + at;
        s = demo_call(d, &call, &a, jstr(st, "by") ? jstr(st, "by") : "", err);
        if (s != TZ_OK)
            goto out;
        if (jstr(st, "lead") && !jstr(st, "attach")) {
            /* a step may first move the lead unit (a draft reassigned after an objection) */
            char patch[96];
            snprintf(patch, sizeof(patch), "{\"lead_unit_id\":%lld,\"version\":%lld}",
                     (long long)tz_app_unit_by_code(d->ctx, jstr(st, "lead")), (long long)version);
            s = tz_app_item_patch(&call, id, patch, strlen(patch), &out, err);
            if (s == TZ_OK)
                version = out_int(out, "version");
            json_object_put(out);
            out = NULL;
            if (s != TZ_OK) {
                tz_call_release(&call);
                tz_err_set(err, err->code, "demo item %zu (%s) step %zu: %s (field '%s')", index,
                           jstr(spec, "title"), i + 1, err->msg, err->field);
                goto out;
            }
        }
        if (jstr(st, "attach")) {
            const char *type = NULL;
            size_t len = 0;
            const unsigned char *data = demo_file(jstr(st, "attach"), &type, &len);
            s = tz_app_attach(&call, id, jstr(st, "attach"), type, data, len, &out, err);
        } else {
            struct json_object *req = json_object_new_object();
            json_object_object_add(req, "action", json_object_new_string(jstr(st, "action")));
            json_object_object_add(req, "version", json_object_new_int64(version));
            if (jstr(st, "comment"))
                json_object_object_add(req, "comment", json_object_new_string(jstr(st, "comment")));
            if (json_object_object_get_ex(st, "progress", &v))
                json_object_object_add(req, "progress", json_object_get(v));
            if (json_object_object_get_ex(st, "report_every_days", &v))
                json_object_object_add(req, "report_every_days", json_object_get(v));
            if (demo_day(d, jstr(st, "deadline"), &deadline)) {
                char buf[TZ_DATE_BUF];
                json_object_object_add(req, "deadline",
                                       json_object_new_string(tz_date_format(deadline, buf)));
            }
            size_t rlen = 0;
            const char *rtext = tz_json_compact(req, &rlen);
            s = tz_app_item_action(&call, id, rtext, rlen, &out, err);
            json_object_put(req);
        }
        tz_call_release(&call);
        if (s != TZ_OK) {
            tz_err_set(err, err->code, "demo item %zu (%s) step %zu: %s (field '%s')", index,
                       jstr(spec, "title"), i + 1, err->msg, err->field);
            goto out;
        }
        if (!jstr(st, "attach"))
            version = out_int(out, "version");
        else
            version++;
        json_object_put(out);
        out = NULL;
    }
    s = demo_series(d, spec, index, id, err);
out:
    json_object_put(out);
    tz_arena_release(&a);
    return s;
}

/*
 * Links among the demo's items (最多报一次), given on one side by title, so
 * that no item's links are written twice. Run once every item exists.
 */
static enum tz_status demo_links(struct demo *d, struct tz_err *err)
{
    size_t n = json_object_array_length(d->items);
    enum tz_status s = TZ_OK;
    d->ctx->cfg.today_fixed = d->today;
    for (size_t i = 0; s == TZ_OK && i < n; i++) {
        struct json_object *titles = NULL, *out = NULL;
        if (!json_object_object_get_ex(json_object_array_get_idx(d->items, i), "links", &titles))
            continue;
        struct json_object *body = json_object_new_object(), *ids = json_object_new_array();
        for (size_t k = 0; k < json_object_array_length(titles); k++) {
            const char *title = json_object_get_string(json_object_array_get_idx(titles, k));
            size_t j = 0;
            while (j < n && strcmp(jstr(json_object_array_get_idx(d->items, j), "title"), title))
                j++;
            if (j < n)
                json_object_array_add(ids, json_object_new_int64(d->item_ids[j]));
            else
                s = tz_err_set(err, TZ_EINTERNAL, "demo item %zu links to an unknown '%s'", i + 1,
                               title);
        }
        struct tz_arena a;
        struct tz_call call;
        tz_arena_init(&a);
        if (s == TZ_OK)
            s = demo_call(d, &call, &a, "dcs", err);
        if (s == TZ_OK) {
            s = tz_app_item_get(&call, d->item_ids[i], &out, err);
            if (s == TZ_OK) {
                json_object_object_add(body, "links", ids);
                ids = NULL;
                json_object_object_add(body, "version",
                                       json_object_new_int64(out_int(out, "version")));
                json_object_put(out);
                out = NULL;
                size_t len = 0;
                const char *text = tz_json_compact(body, &len);
                s = tz_app_item_patch(&call, d->item_ids[i], text, len, &out, err);
            }
            tz_call_release(&call);
        }
        json_object_put(out);
        json_object_put(ids);
        json_object_put(body);
        tz_arena_release(&a);
        if (s != TZ_OK)
            tz_err_set(err, err->code, "demo item %zu links: %s", i + 1, err->msg);
    }
    return s;
}

enum tz_status tz_app_demo(struct tz_ctx *ctx, struct tz_err *err)
{
    const struct tz_embedded *f = tz_embed_find("data/demo/chengdong.json");
    if (!f)
        return tz_err_set(err, TZ_EINTERNAL, "the demo data is not built in");
    struct json_object *doc = tz_json_parse_object((const char *)f->data, f->len, err);
    if (!doc)
        return err->code;
    struct demo d = {.ctx = ctx, .today = tz_ctx_today(ctx)};
    int32_t saved_today = ctx->cfg.today_fixed;
    struct json_object *units = NULL, *users = NULL, *items = NULL;
    const char *password = jstr(doc, "password");
    enum tz_status s = TZ_OK;
    if (!password || !json_object_object_get_ex(doc, "units", &units) ||
        !json_object_object_get_ex(doc, "users", &users) ||
        !json_object_object_get_ex(doc, "items", &items)) {
        s = tz_err_set(err, TZ_EINTERNAL, "the demo data lacks password, units, users or items");
        goto out;
    }
    /* one hash serves every demo account: they share the documented password */
    char *hash = tz_app_password_hash(password);
    d.pw_hash = hash;
    s = demo_units(&d, units, err);
    if (s == TZ_OK)
        s = demo_users(&d, users, err);
    d.items = items;
    d.item_ids = tz_xcalloc(json_object_array_length(items) + 1, sizeof(*d.item_ids));
    for (size_t i = 0; s == TZ_OK && i < json_object_array_length(items); i++)
        s = demo_item(&d, json_object_array_get_idx(items, i), i + 1, err);
    if (s == TZ_OK)
        s = demo_links(&d, err);
    free(d.item_ids);
    free(hash);
    ctx->cfg.today_fixed = saved_today;
    /* the stored lights are those of the steps' days: recompute for today */
    if (s == TZ_OK) {
        struct tz_arena a;
        struct tz_call call;
        tz_arena_init(&a);
        tz_call_init(&call, ctx, &a, "-");
        atomic_store(&ctx->lights_day, TZ_DAY_NONE);
        s = TZ_APP_BEGIN(&call, err);
        if (s == TZ_OK) {
            tz_app_lights_invalidate(&call);
            s = tz_app_commit(&call, err);
        }
        if (s == TZ_OK)
            s = tz_app_lights_current(&call, err);
        tz_call_release(&call);
        tz_arena_release(&a);
    }
out:
    ctx->cfg.today_fixed = saved_today;
    json_object_put(doc);
    return s;
}
