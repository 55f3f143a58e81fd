/*
 * app_items.c - items and the closed loop: create, read, list, patch, act,
 * and the events that record each change.
 *
 * Each write follows one path: load the item, check the caller may see it
 * (else 404, audited), decode and type the body, ask the core (tz_loop_*),
 * apply, recompute the light, then write item + event + audit entry in one
 * transaction, with the item's version as the optimistic lock. The event keeps
 * before/after of exactly the item fields that changed.
 *
 * Lights are stored so that list filters and the dashboard are indexed queries;
 * tz_app_lights_current recomputes the open items' lights once per business day
 * (and after a calendar edit), so every read sees today's lights.
 */
#include "app_internal.h"
#include "tz/date.h"
#include "tz/light.h"
#include "tz/log.h"
#include "tz/loop.h"
#include "tz/strbuf.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define MAX_CO_UNITS 32
#define MAX_LINKS    32
/* The extent of China's territory (with a margin), for locations typed by hand. */
#define CHINA_LAT_MIN 3.0
#define CHINA_LAT_MAX 54.0
#define CHINA_LON_MIN 73.0
#define CHINA_LON_MAX 136.0
#define MAX_TEXT      (1u << 20) /* the body cap bounds long texts */

/* ---- rendering -------------------------------------------------------- */

static struct json_object *attachment_json(const struct tz_attachment *at)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_int64(at->id));
    json_object_object_add(o, "name", json_object_new_string(at->name));
    json_object_object_add(o, "size", json_object_new_int64(at->size));
    json_object_object_add(o, "content_type", json_object_new_string(at->content_type));
    json_object_object_add(o, "digest", json_object_new_string(at->digest));
    json_object_object_add(o, "uploaded_by", json_object_new_int64(at->uploaded_by));
    json_object_object_add(o, "uploaded_at", json_object_new_string(at->uploaded_at));
    return o;
}

/* The fields an event's before/after compares (all but attachments and derived stamps). */
static struct json_object *item_core_json(const struct tz_item *it)
{
    struct json_object *o = json_object_new_object();
    struct tz_err ignore;
    json_object_object_add(o, "title", json_object_new_string(it->title));
    json_object_object_add(o, "description", json_object_new_string(it->description));
    json_object_object_add(o, "source", json_object_new_string(it->source));
    json_object_object_add(o, "lead_unit_id",
                           it->lead_unit_id ? json_object_new_int64(it->lead_unit_id) : NULL);
    struct json_object *co = json_object_new_array();
    for (size_t i = 0; i < it->n_co_units; i++)
        json_object_array_add(co, json_object_new_int64(it->co_unit_ids[i]));
    json_object_object_add(o, "co_unit_ids", co);
    struct json_object *links = json_object_new_array();
    for (size_t i = 0; i < it->n_links; i++)
        json_object_array_add(links, json_object_new_int64(it->link_ids[i]));
    json_object_object_add(o, "links", links);
    json_object_object_add(o, "leader", json_object_new_string(it->leader));
    json_object_object_add(o, "deadline", tz_json_date(it->deadline));
    json_object_object_add(o, "original_deadline", tz_json_date(it->original_deadline));
    json_object_object_add(o, "status", json_object_new_string(tz_state_name(it->state)));
    json_object_object_add(o, "light", json_object_new_string(tz_light_name(it->light)));
    json_object_object_add(o, "progress", json_object_new_int(it->progress));
    json_object_object_add(o, "extension_count", json_object_new_int(it->extension_count));
    json_object_object_add(o, "supervised", json_object_new_int(it->supervised));
    json_object_object_add(o, "remind_count", json_object_new_int(it->remind_count));
    json_object_object_add(o, "reopen_count", json_object_new_int(it->reopen_count));
    json_object_object_add(o, "report_every_days", json_object_new_int(it->report_every_days));
    if (it->has_location) {
        struct json_object *loc = json_object_new_object();
        json_object_object_add(loc, "lat", json_object_new_double(it->lat));
        json_object_object_add(loc, "lon", json_object_new_double(it->lon));
        json_object_object_add(loc, "address", tz_json_str_or_null(it->address));
        json_object_object_add(o, "location", loc);
    } else {
        json_object_object_add(o, "location", NULL);
    }
    struct json_object *fields = tz_json_parse(it->fields_json, strlen(it->fields_json), &ignore);
    json_object_object_add(o, "fields", fields ? fields : json_object_new_object());
    json_object_object_add(o, "assigned_at", tz_json_str_or_null(it->assigned_at));
    json_object_object_add(o, "closed_at", tz_json_str_or_null(it->closed_at));
    json_object_object_add(o, "on_time",
                           it->on_time < 0 ? NULL : json_object_new_boolean(it->on_time));
    if (it->extension.pending) {
        struct json_object *e = json_object_new_object();
        json_object_object_add(e, "deadline", tz_json_date(it->extension.deadline));
        json_object_object_add(e, "comment", tz_json_str_or_null(it->extension.comment));
        json_object_object_add(e, "by", json_object_new_int64(it->extension.by));
        json_object_object_add(e, "at", tz_json_str_or_null(it->extension.at));
        json_object_object_add(o, "extension", e);
    } else {
        json_object_object_add(o, "extension", NULL);
    }
    return o;
}

/* A string as json-c writes it (tz_json_compact): \b and \f by name, other controls as \u00XX. */
static void add_jsonc_str(struct tz_strbuf *sb, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const char *run = s ? s : "";
    tz_strbuf_addch(sb, '"');
    for (const char *p = run;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        tz_strbuf_add(sb, run, (size_t)(p - run));
        run = p + 1;
        if (!c)
            break;
        const char *esc = c == '"'    ? "\\\""
                          : c == '\\' ? "\\\\"
                          : c == '\b' ? "\\b"
                          : c == '\n' ? "\\n"
                          : c == '\r' ? "\\r"
                          : c == '\t' ? "\\t"
                          : c == '\f' ? "\\f"
                                      : NULL;
        if (esc) {
            tz_strbuf_addstr(sb, esc);
        } else {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            tz_strbuf_add(sb, u, sizeof(u));
        }
    }
    tz_strbuf_addch(sb, '"');
}

static void add_jsonc_ids(struct tz_strbuf *sb, const int64_t *ids, size_t n)
{
    tz_strbuf_addch(sb, '[');
    for (size_t i = 0; i < n; i++)
        tz_strbuf_addf(sb, "%s%lld", i ? "," : "", (long long)ids[i]);
    tz_strbuf_addch(sb, ']');
}

static void add_jsonc_day(struct tz_strbuf *sb, int32_t day)
{
    char buf[TZ_DATE_BUF];
    if (day == TZ_DAY_NONE)
        tz_strbuf_addstr(sb, "null");
    else
        add_jsonc_str(sb, tz_date_format(day, buf));
}

#define CORE_KEYS 23 /* the keys item_core_json writes */

/* item_core_text's output: the text, and where each key's value starts and ends in it. */
struct core_text {
    struct tz_strbuf sb;
    const char *key[CORE_KEYS];
    size_t from[CORE_KEYS], to[CORE_KEYS];
    int n;
};

/* Starts the next key: its separator and name; its value follows. */
static struct tz_strbuf *core_key(struct core_text *ct, const char *key)
{
    if (ct->n > 0)
        ct->to[ct->n - 1] = ct->sb.len;
    tz_strbuf_addstr(&ct->sb, ct->n ? ",\"" : "{\"");
    tz_strbuf_addstr(&ct->sb, key);
    tz_strbuf_addstr(&ct->sb, "\":");
    ct->key[ct->n] = key;
    ct->from[ct->n++] = ct->sb.len;
    return &ct->sb;
}

static void core_str_or_null(struct core_text *ct, const char *key, const char *v)
{
    struct tz_strbuf *sb = core_key(ct, key);
    if (v)
        add_jsonc_str(sb, v);
    else
        tz_strbuf_addstr(sb, "null");
}

static void core_int(struct core_text *ct, const char *key, long long v)
{
    tz_strbuf_addf(core_key(ct, key), "%lld", v);
}

/*
 * item_core_json's text, byte for byte, written without json-c (a create's
 * event and audit entry, an edit's diff; an import writes 100 000 of them).
 * Only for an item without a location or a pending extension (false
 * otherwise, and the caller takes item_core_json). fields_json is embedded as
 * stored: it is json-c's own compact text (tz_app_item_build, _edit).
 * Release ct->sb either way.
 */
static bool item_core_text(const struct tz_item *it, struct core_text *ct)
{
    ct->sb = (struct tz_strbuf)TZ_STRBUF_INIT;
    ct->n = 0;
    if (it->has_location || it->extension.pending || !it->fields_json)
        return false;
    add_jsonc_str(core_key(ct, "title"), it->title);
    add_jsonc_str(core_key(ct, "description"), it->description);
    add_jsonc_str(core_key(ct, "source"), it->source);
    if (it->lead_unit_id)
        core_int(ct, "lead_unit_id", it->lead_unit_id);
    else
        tz_strbuf_addstr(core_key(ct, "lead_unit_id"), "null");
    add_jsonc_ids(core_key(ct, "co_unit_ids"), it->co_unit_ids, it->n_co_units);
    add_jsonc_ids(core_key(ct, "links"), it->link_ids, it->n_links);
    add_jsonc_str(core_key(ct, "leader"), it->leader);
    add_jsonc_day(core_key(ct, "deadline"), it->deadline);
    add_jsonc_day(core_key(ct, "original_deadline"), it->original_deadline);
    add_jsonc_str(core_key(ct, "status"), tz_state_name(it->state));
    add_jsonc_str(core_key(ct, "light"), tz_light_name(it->light));
    core_int(ct, "progress", it->progress);
    core_int(ct, "extension_count", it->extension_count);
    core_int(ct, "supervised", it->supervised);
    core_int(ct, "remind_count", it->remind_count);
    core_int(ct, "reopen_count", it->reopen_count);
    core_int(ct, "report_every_days", it->report_every_days);
    tz_strbuf_addstr(core_key(ct, "location"), "null");
    tz_strbuf_addstr(core_key(ct, "fields"), it->fields_json);
    core_str_or_null(ct, "assigned_at", it->assigned_at);
    core_str_or_null(ct, "closed_at", it->closed_at);
    tz_strbuf_addstr(core_key(ct, "on_time"), it->on_time < 0 ? "null"
                                              : it->on_time   ? "true"
                                                              : "false");
    tz_strbuf_addstr(core_key(ct, "extension"), "null");
    ct->to[ct->n - 1] = ct->sb.len;
    tz_strbuf_addch(&ct->sb, '}');
    return true;
}

/* Key k's value is the same in both (json_object_equal's sense: fields in any key order). */
static bool core_same(const struct core_text *a, const struct core_text *b, int k)
{
    size_t la = a->to[k] - a->from[k], lb = b->to[k] - b->from[k];
    if (la == lb && memcmp(a->sb.buf + a->from[k], b->sb.buf + b->from[k], la) == 0)
        return true;
    if (strcmp(a->key[k], "fields") != 0)
        return false;
    struct tz_err ignore;
    struct json_object *ja = tz_json_parse(a->sb.buf + a->from[k], la, &ignore);
    struct json_object *jb = tz_json_parse(b->sb.buf + b->from[k], lb, &ignore);
    bool same = ja && jb && json_object_equal(ja, jb);
    json_object_put(ja);
    json_object_put(jb);
    return same;
}

/*
 * diff_items as text: {"key":value,...} of the keys that differ, in a before
 * and an after, as tz_json_compact writes diff_items' objects. False when
 * either item has no text form (the caller takes diff_items). before and
 * after are to be released either way.
 */
static bool diff_text(const struct tz_item *a, const struct tz_item *b, struct tz_strbuf *before,
                      struct tz_strbuf *after)
{
    struct core_text ta, tb;
    bool ok = item_core_text(a, &ta);
    ok = item_core_text(b, &tb) && ok;
    *before = (struct tz_strbuf)TZ_STRBUF_INIT;
    *after = (struct tz_strbuf)TZ_STRBUF_INIT;
    if (ok) {
        tz_strbuf_addch(before, '{');
        tz_strbuf_addch(after, '{');
        for (int k = 0; k < ta.n; k++) {
            if (core_same(&ta, &tb, k))
                continue;
            const char *sep = before->len > 1 ? "," : "";
            tz_strbuf_addf(before, "%s\"%s\":", sep, ta.key[k]);
            tz_strbuf_add(before, ta.sb.buf + ta.from[k], ta.to[k] - ta.from[k]);
            tz_strbuf_addf(after, "%s\"%s\":", sep, tb.key[k]);
            tz_strbuf_add(after, tb.sb.buf + tb.from[k], tb.to[k] - tb.from[k]);
        }
        tz_strbuf_addch(before, '}');
        tz_strbuf_addch(after, '}');
    }
    tz_strbuf_release(&ta.sb);
    tz_strbuf_release(&tb.sb);
    return ok;
}

static void put_key(struct tz_strbuf *sb, const char *key)
{
    tz_strbuf_addf(sb, ",\"%s\":", key);
}

static void put_str(struct tz_strbuf *sb, const char *key, const char *v)
{
    put_key(sb, key);
    if (v)
        tz_strbuf_add_json_str(sb, v, strlen(v));
    else
        tz_strbuf_addstr(sb, "null");
}

static void put_int(struct tz_strbuf *sb, const char *key, long long v)
{
    tz_strbuf_addf(sb, ",\"%s\":%lld", key, v);
}

static void put_day(struct tz_strbuf *sb, const char *key, int32_t day)
{
    char buf[TZ_DATE_BUF];
    put_str(sb, key, day == TZ_DAY_NONE ? NULL : tz_date_format(day, buf));
}

/*
 * The whole item as GET answers it, written straight as text: a list page is
 * 25 of these, and building them as json-c objects cost more than the queries.
 */
/*
 * Protected personal data (SPEC 3, petition): the petitioner's name and contact
 * are seen only by supervisors, leaders and the lead unit's side; everyone else
 * (co-units included) sees them masked, in items, lists and events alike.
 */
static bool sees_protected(const struct tz_call *call, const struct tz_item *it)
{
    return (call->actor.roles & (TZ_ROLE_SUPERVISOR | TZ_ROLE_LEADER)) ||
           (it->lead_unit_id && tz_actor_in_subtree(&call->actor, it->lead_unit_id));
}

/* "张某某" -> "张**": the first character, then two stars. */
static void mask_name(struct tz_strbuf *out, const char *s)
{
    size_t first = 1;
    while (s[first] && ((unsigned char)s[first] & 0xC0) == 0x80)
        first++;
    tz_strbuf_add(out, s, *s ? first : 0);
    tz_strbuf_addstr(out, "**");
}

/* "13912345678" -> "139****5678"; short values become "****". */
static void mask_contact(struct tz_strbuf *out, const char *s)
{
    size_t len = strlen(s);
    if (len < 8) {
        tz_strbuf_addstr(out, "****");
        return;
    }
    tz_strbuf_add(out, s, 3);
    tz_strbuf_addstr(out, "****");
    tz_strbuf_add(out, s + len - 4, 4);
}

/* Masks the protected keys of a fields object in place. */
static void mask_fields(struct json_object *fields)
{
    static const char *const keys[] = {"petitioner", "contact"};
    for (size_t i = 0; i < 2; i++) {
        struct json_object *v = NULL;
        if (!json_object_object_get_ex(fields, keys[i], &v) ||
            !json_object_is_type(v, json_type_string))
            continue;
        struct tz_strbuf m = TZ_STRBUF_INIT;
        if (i == 0)
            mask_name(&m, json_object_get_string(v));
        else
            mask_contact(&m, json_object_get_string(v));
        json_object_object_add(fields, keys[i], json_object_new_string(m.buf));
        tz_strbuf_release(&m);
    }
}

/* The fields as this caller may see them: the stored text, or a masked copy in a. */
const char *tz_app_item_fields_text(struct tz_call *call, const struct tz_item *it,
                                    struct tz_arena *a)
{
    const char *text = it->fields_json && *it->fields_json ? it->fields_json : "{}";
    if (strcmp(it->ledger, "petition") != 0 || sees_protected(call, it))
        return text;
    struct tz_err ignore;
    struct json_object *o = tz_json_parse(text, strlen(text), &ignore);
    if (!o)
        return "{}";
    mask_fields(o);
    const char *masked = tz_arena_strdup(a, tz_json_compact(o, NULL));
    json_object_put(o);
    return masked;
}

static const char *fields_for(struct tz_call *call, const struct tz_item *it)
{
    return tz_app_item_fields_text(call, it, call->arena);
}

static struct json_object *item_json(struct tz_call *call, const struct tz_item *it)
{
    struct tz_strbuf sb = TZ_STRBUF_INIT;
    struct tz_attachment *atts = NULL;
    size_t n = 0;
    struct tz_err ignore;
    tz_strbuf_addf(&sb, "{\"id\":%lld", (long long)it->id);
    put_str(&sb, "code", it->code);
    put_str(&sb, "ledger", it->ledger);
    put_str(&sb, "title", it->title);
    put_str(&sb, "description", it->description);
    put_str(&sb, "source", it->source);
    put_key(&sb, "lead_unit_id");
    if (it->lead_unit_id)
        tz_strbuf_addf(&sb, "%lld", (long long)it->lead_unit_id);
    else
        tz_strbuf_addstr(&sb, "null");
    put_key(&sb, "co_unit_ids");
    tz_strbuf_addch(&sb, '[');
    for (size_t i = 0; i < it->n_co_units; i++)
        tz_strbuf_addf(&sb, "%s%lld", i ? "," : "", (long long)it->co_unit_ids[i]);
    tz_strbuf_addch(&sb, ']');
    put_key(&sb, "links");
    tz_strbuf_addch(&sb, '[');
    for (size_t i = 0; i < it->n_links; i++)
        tz_strbuf_addf(&sb, "%s%lld", i ? "," : "", (long long)it->link_ids[i]);
    tz_strbuf_addch(&sb, ']');
    put_str(&sb, "leader", it->leader);
    put_day(&sb, "deadline", it->deadline);
    put_day(&sb, "original_deadline", it->original_deadline);
    put_str(&sb, "status", tz_state_name(it->state));
    put_str(&sb, "light", tz_light_name(it->light));
    put_int(&sb, "progress", it->progress);
    put_int(&sb, "extension_count", it->extension_count);
    put_int(&sb, "supervised", it->supervised);
    put_int(&sb, "remind_count", it->remind_count);
    put_int(&sb, "reopen_count", it->reopen_count);
    put_int(&sb, "report_every_days", it->report_every_days);
    put_key(&sb, "location");
    if (it->has_location) {
        char lat[40], lon[40];
        snprintf(lat, sizeof(lat), "%.15g", it->lat);
        snprintf(lon, sizeof(lon), "%.15g", it->lon);
        tz_strbuf_addf(&sb, "{\"lat\":%s%s,\"lon\":%s%s", lat, strpbrk(lat, ".eEn") ? "" : ".0",
                       lon, strpbrk(lon, ".eEn") ? "" : ".0");
        put_str(&sb, "address", it->address);
        tz_strbuf_addch(&sb, '}');
    } else {
        tz_strbuf_addstr(&sb, "null");
    }
    /* fields are stored as validated compact JSON: embedded as they are */
    put_key(&sb, "fields");
    tz_strbuf_addstr(&sb, fields_for(call, it));
    tz_rules_render(call, it, &sb); /* clocks, pace */
    put_str(&sb, "assigned_at", it->assigned_at);
    put_str(&sb, "closed_at", it->closed_at);
    put_key(&sb, "on_time");
    tz_strbuf_addstr(&sb, it->on_time < 0 ? "null" : it->on_time ? "true" : "false");
    put_key(&sb, "extension");
    if (it->extension.pending) {
        tz_strbuf_addch(&sb, '{');
        char buf[TZ_DATE_BUF];
        tz_strbuf_addf(&sb, "\"deadline\":\"%s\"", tz_date_format(it->extension.deadline, buf));
        put_str(&sb, "comment", it->extension.comment);
        put_int(&sb, "by", it->extension.by);
        put_str(&sb, "at", it->extension.at);
        tz_strbuf_addch(&sb, '}');
    } else {
        tz_strbuf_addstr(&sb, "null");
    }
    put_str(&sb, "created_at", it->created_at);
    put_str(&sb, "updated_at", it->updated_at);
    put_key(&sb, "attachments");
    tz_strbuf_addch(&sb, '[');
    if (TZ_STORE(call->conn)
            ->attachment_list(call->conn, it->id, call->arena, &atts, &n, &ignore) == TZ_OK) {
        for (size_t i = 0; i < n; i++) {
            tz_strbuf_addf(&sb, "%s{\"id\":%lld", i ? "," : "", (long long)atts[i].id);
            put_str(&sb, "name", atts[i].name);
            put_int(&sb, "size", atts[i].size);
            put_str(&sb, "content_type", atts[i].content_type);
            put_str(&sb, "digest", atts[i].digest);
            put_int(&sb, "uploaded_by", atts[i].uploaded_by);
            put_str(&sb, "uploaded_at", atts[i].uploaded_at);
            tz_strbuf_addch(&sb, '}');
        }
    }
    tz_strbuf_addch(&sb, ']');
    put_int(&sb, "version", it->version);
    /* what this caller may try now (SPEC 2.4), so a client shows exactly those */
    put_key(&sb, "actions");
    unsigned allowed = tz_loop_allowed(it, &call->actor);
    tz_strbuf_addch(&sb, '[');
    for (unsigned a = 0, k = 0; a < TZ__ACTION_COUNT; a++)
        if (allowed & (1u << a))
            tz_strbuf_addf(&sb, "%s\"%s\"", k++ ? "," : "", tz_action_name((enum tz_action)a));
    tz_strbuf_addch(&sb, ']');
    /* and what it may do beside the loop: upload evidence, report a period of its series */
    bool may_attach = tz_loop_check_attach(it, &call->actor, &ignore) == TZ_OK;
    tz_strbuf_addf(&sb, ",\"may\":{\"attach\":%s,\"series\":%s}", may_attach ? "true" : "false",
                   tz_series_may_report(call, it) ? "true" : "false");
    tz_strbuf_addch(&sb, '}');
    struct json_object *o = tz_json_raw(sb.buf, sb.len);
    tz_strbuf_release(&sb);
    return o;
}

struct json_object *tz_app_item_json(struct tz_call *call, const struct tz_item *it)
{
    return item_json(call, it);
}

/* before/after objects holding only the keys whose values differ. */
static void diff_items(const struct tz_item *a, const struct tz_item *b,
                       struct json_object **before, struct json_object **after)
{
    struct json_object *ja = item_core_json(a), *jb = item_core_json(b);
    *before = json_object_new_object();
    *after = json_object_new_object();
    json_object_object_foreach(ja, key, va)
    {
        struct json_object *vb = json_object_object_get(jb, key);
        if (!json_object_equal(va, vb)) {
            json_object_object_add(*before, key, json_object_get(va));
            json_object_object_add(*after, key, json_object_get(vb));
        }
    }
    json_object_put(ja);
    json_object_put(jb);
}

/* ---- lights ------------------------------------------------------------ */

/* The light of an item today: the rule of SPEC 2.5, then the ledger's rules. */
static enum tz_light ledger_light(struct tz_ctx *ctx, const struct tz_item *it, int32_t today)
{
    const struct tz_ledger_def *def = tz_app_ledger(ctx, it->ledger);
    enum tz_light l = tz_light_compute(it, today, def ? def->warn_days : 3, ctx->cal);
    if (it->state == TZ_STATE_ASSIGNED || it->state == TZ_STATE_IN_PROGRESS)
        l = tz_rules_light(ctx, it, today, l);
    return l;
}

static enum tz_light light_of(struct tz_ctx *ctx, const struct tz_item *it, int32_t today)
{
    pthread_rwlock_rdlock(&ctx->lock);
    enum tz_light l = ledger_light(ctx, it, today);
    pthread_rwlock_unlock(&ctx->lock);
    return l;
}

enum tz_light tz_app_item_light(struct tz_ctx *ctx, const struct tz_item *it, int32_t today)
{
    return light_of(ctx, it, today);
}

struct refresh_arg {
    struct tz_ctx *ctx;
    int32_t today;
};

static enum tz_light refresh_one(const struct tz_item *it, void *arg)
{
    struct refresh_arg *r = arg;
    return ledger_light(r->ctx, it, r->today);
}

enum tz_status tz_app_lights_current(struct tz_call *call, struct tz_err *err)
{
    struct tz_ctx *ctx = call->ctx;
    int32_t today = tz_ctx_today(ctx);
    if (atomic_load(&ctx->lights_day) == today)
        return TZ_OK;
    char want[16];
    const char *done = NULL;
    snprintf(want, sizeof(want), "%d", (int)today);
    /* done already (by an earlier run of the server, or another process): a read tells */
    if (TZ_STORE(call->conn)->meta_get(call->conn, "lights_day", call->arena, &done, err) ==
            TZ_OK &&
        done && strcmp(done, want) == 0) {
        atomic_store(&ctx->lights_day, today);
        return TZ_OK;
    }
    enum tz_status s = TZ_APP_BEGIN(call, err);
    if (s != TZ_OK)
        return s;
    /* another thread may have done it while this one waited for the write lock */
    done = NULL;
    s = TZ_STORE(call->conn)->meta_get(call->conn, "lights_day", call->arena, &done, err);
    if (s == TZ_OK && (!done || strcmp(done, want) != 0)) {
        struct refresh_arg arg = {ctx, today};
        int64_t changed = 0;
        pthread_rwlock_rdlock(&ctx->lock);
        s = TZ_STORE(call->conn)->item_refresh_lights(call->conn, refresh_one, &arg, &changed, err);
        pthread_rwlock_unlock(&ctx->lock);
        if (s == TZ_OK)
            s = TZ_STORE(call->conn)->meta_set(call->conn, "lights_day", want, err);
        if (s == TZ_OK)
            tz_debug("lights: recomputed for day %s, %lld changed", want, (long long)changed);
        if (s == TZ_OK && changed)
            tz_call_note_change(call, NULL); /* a new day's lights: every view refreshes */
    }
    s = tz_app_end(call, s, err);
    if (s == TZ_OK)
        atomic_store(&ctx->lights_day, today);
    return s;
}

void tz_app_lights_invalidate(struct tz_call *call)
{
    struct tz_err ignore;
    atomic_store(&call->ctx->lights_day, TZ_DAY_NONE);
    TZ_STORE(call->conn)->meta_set(call->conn, "lights_day", "none", &ignore);
}

/* ---- loading with visibility ------------------------------------------ */

/* Loads an item the caller may see; 404 (audited) otherwise. */
static enum tz_status load_visible(struct tz_call *call, int64_t id, struct tz_item *it,
                                   struct tz_err *err)
{
    enum tz_status s = TZ_STORE(call->conn)->item_get(call->conn, id, call->arena, it, err);
    if (s == TZ_ENOTFOUND || (s == TZ_OK && !tz_loop_visible(it, &call->actor)))
        return tz_err_set(err, TZ_ENOTFOUND, "item %lld not found", (long long)id);
    return s;
}

/* ---- decoding ---------------------------------------------------------- */

static enum tz_status get_text(struct json_object *body, const char *key, size_t max,
                               const char **out, bool *present, struct tz_err *err)
{
    enum tz_status s = tz_json_get_str(body, key, out, present, err);
    if (s == TZ_OK && *present && strlen(*out) > max)
        return tz_err_field(err, TZ_EINVAL, key, "'%s' is longer than %zu bytes", key, max);
    return s;
}

static bool unit_exists(struct tz_call *call, int64_t id)
{
    return tz_ctx_unit(call->ctx, id, call->arena) != NULL;
}

static bool unit_known(void *arg, int64_t id)
{
    return unit_exists(arg, id);
}

/* Keys the server owns: refused on create and patch with 422 naming them. */
static const char *const owned_keys[] = {"id",
                                         "code",
                                         "status",
                                         "light",
                                         "progress",
                                         "on_time",
                                         "extension_count",
                                         "supervised",
                                         "remind_count",
                                         "reopen_count",
                                         "created_at",
                                         "updated_at",
                                         "assigned_at",
                                         "closed_at",
                                         "original_deadline",
                                         "attachments",
                                         "extension",
                                         "report_every_days",
                                         NULL};

/*
 * Decodes the editable fields present in body into it. `allow_version` admits
 * the `version` key (PATCH). Sets *moves_deadline_or_lead when either changes.
 */
/*
 * `links`: the ids of items that concern the same work, replacing the item's
 * links (both ways). Each must be an existing item other than this one.
 */
static enum tz_status decode_links(struct tz_call *call, struct json_object *v, struct tz_item *it,
                                   struct tz_err *err)
{
    if (!v) {
        it->n_links = 0;
        return TZ_OK;
    }
    if (!json_object_is_type(v, json_type_array) || json_object_array_length(v) > MAX_LINKS)
        return tz_err_field(err, TZ_EINVAL, "links",
                            "'links' must be a list of at most %d item ids", MAX_LINKS);
    size_t n = json_object_array_length(v), k = 0;
    int64_t *ids = tz_arena_alloc(call->arena, (n + 1) * sizeof(*ids));
    for (size_t i = 0; i < n; i++) {
        struct json_object *e = json_object_array_get_idx(v, i);
        struct tz_item other;
        struct tz_err ignore;
        if (!json_object_is_type(e, json_type_int))
            return tz_err_field(err, TZ_EINVAL, "links", "'links' must be a list of item ids");
        int64_t id = json_object_get_int64(e);
        if (id == it->id)
            return tz_err_field(err, TZ_EINVAL, "links", "an item cannot be linked to itself");
        if (id <= 0 ||
            TZ_STORE(call->conn)->item_get(call->conn, id, call->arena, &other, &ignore) != TZ_OK)
            return tz_err_field(err, TZ_EINVAL, "links", "item %lld not found", (long long)id);
        /* kept sorted and without repeats, as the store lists them */
        size_t at = 0;
        while (at < k && ids[at] < id)
            at++;
        if (at < k && ids[at] == id)
            continue;
        memmove(&ids[at + 1], &ids[at], (k - at) * sizeof(*ids));
        ids[at] = id;
        k++;
    }
    it->link_ids = ids;
    it->n_links = k;
    return TZ_OK;
}

static enum tz_status decode_fields(struct tz_call *call, struct json_object *body,
                                    struct tz_item *it, bool allow_version,
                                    bool *moves_deadline_or_lead, struct tz_err *err)
{
    static const char *const editable[] = {
        "ledger",   "title",    "description", "source",  "lead_unit_id", "co_unit_ids", "leader",
        "deadline", "location", "fields",      "version", "links",        NULL};
    *moves_deadline_or_lead = false;
    json_object_object_foreach(body, key, val)
    {
        (void)val;
        for (const char *const *k = owned_keys; *k; k++)
            if (strcmp(*k, key) == 0)
                return tz_err_field(err, TZ_EINVAL, key, "'%s' is set by the server", key);
        if (!allow_version && strcmp(key, "version") == 0)
            return tz_err_field(err, TZ_EINVAL, key, "'%s' is set by the server", key);
    }
    enum tz_status s = tz_json_only_keys(body, editable, err);
    if (s != TZ_OK)
        return s;
    bool present = false;
    const char *str = NULL;
    s = get_text(body, "title", 500, &str, &present, err);
    if (s != TZ_OK)
        return s;
    if (present) {
        if (!*str)
            return tz_err_field(err, TZ_EINVAL, "title", "'title' must not be empty");
        it->title = str;
    }
    s = get_text(body, "description", MAX_TEXT, &str, &present, err);
    if (s != TZ_OK)
        return s;
    if (present)
        it->description = str;
    s = get_text(body, "source", 2000, &str, &present, err);
    if (s != TZ_OK)
        return s;
    if (present)
        it->source = str;
    s = get_text(body, "leader", 200, &str, &present, err);
    if (s != TZ_OK)
        return s;
    if (present)
        it->leader = str;

    struct json_object *v = NULL;
    if (json_object_object_get_ex(body, "lead_unit_id", &v)) {
        int64_t id = 0;
        s = tz_json_get_int(body, "lead_unit_id", &id, &present, err);
        if (s != TZ_OK)
            return s;
        if (present && !unit_exists(call, id))
            return tz_err_field(err, TZ_EINVAL, "lead_unit_id", "unit %lld not found",
                                (long long)id);
        int64_t next = present ? id : 0;
        if (next != it->lead_unit_id)
            *moves_deadline_or_lead = true;
        it->lead_unit_id = next;
    }
    if (json_object_object_get_ex(body, "co_unit_ids", &v) && v) {
        if (!json_object_is_type(v, json_type_array))
            return tz_err_field(err, TZ_EINVAL, "co_unit_ids",
                                "'co_unit_ids' must be a list of unit ids");
        size_t n = json_object_array_length(v);
        if (n > MAX_CO_UNITS)
            return tz_err_field(err, TZ_EINVAL, "co_unit_ids", "at most %d co-units", MAX_CO_UNITS);
        int64_t *ids = tz_arena_alloc(call->arena, (n + 1) * sizeof(*ids));
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            struct json_object *e = json_object_array_get_idx(v, i);
            if (!json_object_is_type(e, json_type_int))
                return tz_err_field(err, TZ_EINVAL, "co_unit_ids",
                                    "'co_unit_ids' must be a list of unit ids");
            int64_t id = json_object_get_int64(e);
            if (!unit_exists(call, id))
                return tz_err_field(err, TZ_EINVAL, "co_unit_ids", "unit %lld not found",
                                    (long long)id);
            bool dup = false;
            for (size_t j = 0; j < k; j++)
                dup = dup || ids[j] == id;
            if (!dup)
                ids[k++] = id;
        }
        it->co_unit_ids = ids;
        it->n_co_units = k;
    } else if (v == NULL && json_object_object_get_ex(body, "co_unit_ids", NULL)) {
        it->n_co_units = 0;
    }
    if (json_object_object_get_ex(body, "links", &v)) {
        s = decode_links(call, v, it, err);
        if (s != TZ_OK)
            return s;
    }
    if (json_object_object_get_ex(body, "deadline", &v)) {
        int32_t day = TZ_DAY_NONE;
        s = tz_json_get_date(body, "deadline", &day, &present, err);
        if (s != TZ_OK)
            return s;
        int32_t next = present ? day : TZ_DAY_NONE;
        if (next != it->deadline)
            *moves_deadline_or_lead = true;
        it->deadline = next;
    }
    if (json_object_object_get_ex(body, "location", &v)) {
        if (!v) {
            it->has_location = false;
        } else {
            static const char *const lkeys[] = {"lat", "lon", "address", NULL};
            if (!json_object_is_type(v, json_type_object))
                return tz_err_field(err, TZ_EINVAL, "location",
                                    "'location' must be {lat, lon, address} or null");
            s = tz_json_only_keys(v, lkeys, err);
            if (s != TZ_OK) {
                snprintf(err->field, sizeof(err->field), "location");
                return s;
            }
            double lat = 0, lon = 0;
            bool has_lat = false, has_lon = false;
            if (tz_json_get_double(v, "lat", &lat, &has_lat, err) != TZ_OK ||
                tz_json_get_double(v, "lon", &lon, &has_lon, err) != TZ_OK || !has_lat ||
                !has_lon || !isfinite(lat) || !isfinite(lon))
                return tz_err_field(err, TZ_EINVAL, "location",
                                    "'location' needs numeric lat and lon");
            /* the district is in China: a point outside its extent is a typing error */
            if (lat < CHINA_LAT_MIN || lat > CHINA_LAT_MAX || lon < CHINA_LON_MIN ||
                lon > CHINA_LON_MAX)
                return tz_err_field(err, TZ_EINVAL, "location",
                                    "'location' (%.6f, %.6f) is outside China", lat, lon);
            const char *addr = NULL;
            s = get_text(v, "address", 500, &addr, &present, err);
            if (s != TZ_OK) {
                snprintf(err->field, sizeof(err->field), "location");
                return s;
            }
            it->has_location = true;
            it->lat = lat;
            it->lon = lon;
            it->address = present ? addr : NULL;
        }
    }
    if (json_object_object_get_ex(body, "fields", &v)) {
        if (v && !json_object_is_type(v, json_type_object))
            return tz_err_field(err, TZ_EINVAL, "fields", "'fields' must be an object");
        /* the ledger's own fields: known keys, right types, required ones present */
        const struct tz_ledger_def *def = tz_app_ledger(call->ctx, it->ledger);
        if (def) {
            s = tz_ledger_check_fields(def, v, true, unit_known, call, err);
            if (s != TZ_OK)
                return s;
        }
        it->fields_json = v ? tz_arena_strdup(call->arena, tz_json_compact(v, NULL)) : "{}";
        if (strlen(it->fields_json) > 200000)
            return tz_err_field(err, TZ_EINVAL, "fields", "'fields' is too large");
    }
    return TZ_OK;
}

static enum tz_status need_version(struct json_object *body, int64_t *version, struct tz_err *err)
{
    bool present = false;
    enum tz_status s = tz_json_get_int(body, "version", version, &present, err);
    if (s == TZ_OK && !present)
        return tz_err_field(err, TZ_EINVAL, "version", "'version' is required");
    return s;
}

/* ---- writing ----------------------------------------------------------- */

#ifdef TZ_CORE_TEXT_CHECK
/*
 * Built with -DTZ_CORE_TEXT_CHECK: every event written as text is compared
 * with json-c's text of the same change, and the process aborts on the first
 * difference (how the text writers were checked against the API tests).
 */
static void check_core_text(const struct tz_item *before, const struct tz_item *after,
                            int reported_progress, const struct tz_event *ev)
{
    struct json_object *cb = NULL, *ca = NULL;
    if (before) {
        diff_items(before, after, &cb, &ca);
    } else {
        cb = json_object_new_object();
        ca = item_core_json(after);
    }
    if (reported_progress >= 0)
        json_object_object_add(ca, "reported_progress", json_object_new_int(reported_progress));
    if (strcmp(tz_json_compact(cb, NULL), ev->before) != 0 ||
        strcmp(tz_json_compact(ca, NULL), ev->after) != 0) {
        fprintf(stderr, "event text differs from json-c's:\n%s\n%s\n%s\n%s\n",
                tz_json_compact(cb, NULL), ev->before, tz_json_compact(ca, NULL), ev->after);
        abort();
    }
    json_object_put(cb);
    json_object_put(ca);
}
#endif

/* Writes an item change, its event and its audit entry in one transaction. */
enum tz_status tz_app_item_record(struct tz_call *call, const struct tz_item *before,
                                  struct tz_item *after, const char *action,
                                  const struct tz_action_req *req, struct tz_err *err)
{
    struct json_object *jb = NULL, *ja = NULL;
    struct tz_strbuf tbefore = TZ_STRBUF_INIT, tafter = TZ_STRBUF_INIT;
    struct core_text created;
    const char *comment = req ? req->comment : NULL;
    bool reported = req && req->action == TZ_ACTION_REPORT && req->has_progress;
    bool as_text; /* the event's JSON written as text (tbefore, tafter), not through json-c */
    if (before) {
        as_text = diff_text(before, after, &tbefore, &tafter);
    } else {
        as_text = item_core_text(after, &created);
        tz_strbuf_addstr(&tbefore, "{}");
        tafter = created.sb; /* taken over: released below */
    }
    if (!as_text) {
        if (before) {
            diff_items(before, after, &jb, &ja);
        } else {
            jb = json_object_new_object();
            ja = item_core_json(after);
        }
    }
    /* a report keeps the share it reported, even when (a co-unit's) it moves nothing */
    if (reported && !as_text) {
        json_object_object_add(ja, "reported_progress", json_object_new_int(req->progress));
    } else if (reported) {
        tafter.len--; /* the closing brace */
        tz_strbuf_addf(&tafter, "%s\"reported_progress\":%d}", tafter.len > 1 ? "," : "",
                       req->progress);
    }
    struct tz_event ev = {
        .at = after->updated_at,
        .actor_id = call->user.id,
        .action = action,
        .comment = comment && *comment ? comment : NULL,
        .before = as_text ? tbefore.buf : tz_json_compact(jb, NULL),
        .after = as_text ? tafter.buf : tz_json_compact(ja, NULL),
    };
#ifdef TZ_CORE_TEXT_CHECK
    if (as_text)
        check_core_text(before, after, reported ? req->progress : -1, &ev);
#endif
    enum tz_status s = TZ_OK;
    if (!after->code) {
        /* the code is <prefix>-<year of today>-<4-digit sequence per ledger and year> */
        const struct tz_ledger_def *def = tz_app_ledger(call->ctx, after->ledger);
        const char *prefix = def ? def->prefix : "XX";
        int year = tz_date_year(tz_ctx_today(call->ctx)), n = 0;
        s = TZ_STORE(call->conn)->code_next(call->conn, after->ledger, year, &n, err);
        after->code = tz_arena_printf(call->arena, "%s-%d-%04d", prefix, year, n);
    }
    if (s == TZ_OK && before)
        s = TZ_STORE(call->conn)->item_update(call->conn, before, after, err);
    else if (s == TZ_OK)
        s = TZ_STORE(call->conn)->item_insert(call->conn, after, err);
    if (s == TZ_OK) {
        ev.item_id = after->id;
        s = TZ_STORE(call->conn)->event_insert(call->conn, &ev, err);
    }
    if (s == TZ_OK) {
        tz_call_note_change(call, after);
        /* an item leaving a unit's scope must reach that unit's streams too */
        if (before && (before->lead_unit_id != after->lead_unit_id ||
                       before->n_co_units != after->n_co_units))
            tz_call_note_change(call, before);
    }
    /* the searchable text follows the item's texts (create and edit change them) */
    if (s == TZ_OK && (!before || strcmp(action, "edit") == 0))
        s = tz_app_search_index(call, after, err);
    /* what the lead unit receives is counted against it (scorecard, burden meter) */
    const char *tally = NULL;
    if (req && before && before->lead_unit_id) {
        switch (req->action) {
        case TZ_ACTION_OBJECT:
            tally = "object";
            break;
        case TZ_ACTION_REMIND:
            tally = "remind";
            break;
        case TZ_ACTION_SUPERVISE:
            tally = "supervise";
            break;
        case TZ_ACTION_APPROVE_EXTENSION:
            tally = "extension";
            break;
        default:
            break;
        }
    }
    /* a 催办 or 督办 reaches the lead unit's robot channels (app_notify.c), in this transaction */
    if (s == TZ_OK && tally &&
        (req->action == TZ_ACTION_REMIND || req->action == TZ_ACTION_SUPERVISE))
        s = tz_app_notify_urged(call, after, req->action == TZ_ACTION_SUPERVISE, comment, ev.seq,
                                err);
    if (s == TZ_OK && tally) {
        char day[TZ_DATE_BUF];
        tz_date_format(tz_ctx_today(call->ctx), day);
        day[7] = '\0'; /* YYYY-MM */
        s = TZ_STORE(call->conn)
                ->tally_insert(call->conn, before->lead_unit_id, after->id, tally, day, err);
    }
    if (s == TZ_OK) {
        struct tz_strbuf d = TZ_STRBUF_INIT;
        tz_strbuf_addstr(&d, "{\"code\":");
        tz_strbuf_add_json_str(&d, after->code, strlen(after->code));
        tz_strbuf_addf(&d, ",\"version\":%lld,\"before\":", (long long)after->version);
        tz_strbuf_addstr(&d, ev.before); /* not through printf: long texts */
        tz_strbuf_addstr(&d, ",\"after\":");
        tz_strbuf_addstr(&d, ev.after);
        tz_strbuf_addch(&d, '}');
        s = tz_app_audit(call, tz_arena_printf(call->arena, "item.%s", action),
                         tz_arena_printf(call->arena, "item:%lld", (long long)after->id), d.buf,
                         err);
        tz_strbuf_release(&d);
    }
    json_object_put(jb);
    json_object_put(ja);
    tz_strbuf_release(&tbefore);
    tz_strbuf_release(&tafter);
    return s;
}

/* tz_app_item_record in a transaction of its own. */
static enum tz_status write_change(struct tz_call *call, const struct tz_item *before,
                                   struct tz_item *after, const char *action,
                                   const struct tz_action_req *req, struct tz_err *err)
{
    enum tz_status s = TZ_APP_BEGIN(call, err);
    if (s != TZ_OK)
        return s;
    return tz_app_end(call, tz_app_item_record(call, before, after, action, req, err), err);
}

/* ---- use cases --------------------------------------------------------- */

enum tz_status tz_app_item_build(struct tz_call *call, struct json_object *body,
                                 struct tz_item *itp, struct tz_err *err)
{
    if (!(call->user.roles & TZ_ROLE_SUPERVISOR))
        return tz_err_set(err, TZ_EFORBIDDEN, "only the supervision office creates items");
    struct tz_item it;
    memset(&it, 0, sizeof(it));
    it.deadline = it.original_deadline = TZ_DAY_NONE;
    it.assigned_day = it.submitted_day = it.last_report_day = TZ_DAY_NONE;
    it.on_time = -1;
    it.description = it.source = it.leader = "";
    it.fields_json = "{}";
    it.version = 1;
    const char *ledger = NULL;
    bool present = false, moves = false;
    enum tz_status s = tz_json_get_str(body, "ledger", &ledger, &present, err);
    if (s != TZ_OK)
        return s;
    if (!present)
        return tz_err_field(err, TZ_EINVAL, "ledger", "'ledger' is required");
    const struct tz_ledger_def *def = tz_app_ledger(call->ctx, ledger);
    if (!def)
        return tz_err_field(err, TZ_EINVAL, "ledger", "unknown ledger '%s'", ledger);
    bool is_register = def->is_register;
    it.ledger = ledger;
    s = decode_fields(call, body, &it, false, &moves, err);
    if (s != TZ_OK)
        return s;
    /* the ledger's required fields, when no fields were sent at all */
    if (!json_object_object_get_ex(body, "fields", NULL)) {
        s = tz_ledger_check_fields(def, NULL, true, NULL, NULL, err);
        if (s != TZ_OK)
            return s;
    }
    if (!it.title)
        return tz_err_field(err, TZ_EINVAL, "title", "'title' is required");
    /* SPEC 3: an eco-environment problem is found somewhere */
    if (strcmp(ledger, "eco_problem") == 0 && !it.has_location)
        return tz_err_field(err, TZ_EINVAL, "location",
                            "'location' is required for an eco-environment problem");

    int32_t today = tz_ctx_today(call->ctx);
    const char *now = tz_ctx_now(call->ctx, call->arena);
    it.created_at = it.updated_at = now;
    if (is_register) {
        /* registers skip the loop: policies are registered, risk points reviewed */
        if (strcmp(ledger, "risk_point") == 0) {
            it.state = TZ_STATE_ONGOING;
            it.report_every_days = 30; /* until check_every_days says otherwise */
            it.last_report_day = today;
        } else {
            it.state = TZ_STATE_REGISTERED;
        }
    } else {
        it.state = TZ_STATE_DRAFT;
    }
    s = tz_rules_apply(call, &it, err);
    if (s != TZ_OK)
        return s;
    it.light = light_of(call->ctx, &it, today);
    it.code = NULL; /* numbered inside the creating transaction */
    *itp = it;
    return TZ_OK;
}

enum tz_status tz_app_item_create(struct tz_call *call, struct json_object *body,
                                  struct json_object **out, struct tz_err *err)
{
    struct tz_item it;
    enum tz_status s = tz_app_item_build(call, body, &it, err);
    if (s == TZ_OK)
        s = write_change(call, NULL, &it, "create", NULL, err);
    if (s != TZ_OK)
        return s;
    *out = item_json(call, &it);
    return TZ_OK;
}

enum tz_status tz_app_item_get(struct tz_call *call, int64_t id, struct json_object **out,
                               struct tz_err *err)
{
    struct tz_item it;
    enum tz_status s = tz_app_lights_current(call, err);
    if (s == TZ_OK)
        s = load_visible(call, id, &it, err);
    if (s != TZ_OK)
        return s;
    *out = item_json(call, &it);
    return TZ_OK;
}

static enum tz_status patch_item(struct tz_call *call, struct tz_item *curp,
                                 struct json_object *body, struct json_object **out,
                                 struct tz_err *err);

/*
 * The first steps of every write to an item, in SPEC 2.4's order: today's
 * lights, the item visible to the caller (404), then the body well-formed (400).
 * The caller owns *body on success.
 */
static enum tz_status load_for_write(struct tz_call *call, int64_t id, const char *text, size_t len,
                                     struct tz_item *cur, struct json_object **body,
                                     struct tz_err *err)
{
    enum tz_status s = tz_app_lights_current(call, err);
    if (s == TZ_OK)
        s = load_visible(call, id, cur, err);
    if (s != TZ_OK)
        return s;
    *body = tz_json_parse_object(text, len, err);
    return *body ? TZ_OK : err->code;
}

enum tz_status tz_app_item_patch(struct tz_call *call, int64_t id, const char *text, size_t len,
                                 struct json_object **out, struct tz_err *err)
{
    struct tz_item cur;
    struct json_object *body = NULL;
    enum tz_status s = load_for_write(call, id, text, len, &cur, &body, err);
    if (s != TZ_OK)
        return s;
    s = patch_item(call, &cur, body, out, err);
    json_object_put(body);
    return s;
}

static enum tz_status patch_item(struct tz_call *call, struct tz_item *curp,
                                 struct json_object *body, struct json_object **out,
                                 struct tz_err *err)
{
    struct tz_item next;
    enum tz_status s = tz_app_item_edit(call, curp, body, &next, err);
    if (s == TZ_OK)
        s = write_change(call, curp, &next, "edit", NULL, err);
    if (s != TZ_OK)
        return s;
    *out = item_json(call, &next);
    return TZ_OK;
}

enum tz_status tz_app_item_edit(struct tz_call *call, const struct tz_item *curp,
                                struct json_object *body, struct tz_item *nextp, struct tz_err *err)
{
    struct tz_item cur = *curp, next;
    int64_t version = 0;
    bool moves = false;
    enum tz_status s;
    next = cur;
    if (json_object_object_get_ex(body, "ledger", NULL))
        return tz_err_field(err, TZ_EINVAL, "ledger", "'ledger' cannot be changed");
    s = decode_fields(call, body, &next, true, &moves, err);
    if (s == TZ_OK)
        s = need_version(body, &version, err);
    if (s != TZ_OK)
        return s;
    /* SPEC 2.4's order: role (403), then version (409), then state (409), then requirements */
    if (!(call->actor.roles & TZ_ROLE_SUPERVISOR))
        return tz_loop_check_edit(&cur, &call->actor, moves, err);
    if (version != cur.version)
        return tz_err_field(err, TZ_ECONFLICT, "version",
                            "the item was changed meanwhile (version %lld, now %lld)",
                            (long long)version, (long long)cur.version);
    s = tz_loop_check_edit(&cur, &call->actor, moves, err);
    if (s != TZ_OK)
        return s;
    if (strcmp(cur.ledger, "eco_problem") == 0 && !next.has_location)
        return tz_err_field(err, TZ_EINVAL, "location",
                            "'location' is required for an eco-environment problem");
    int32_t today = tz_ctx_today(call->ctx);
    s = tz_rules_apply(call, &next, err);
    if (s != TZ_OK)
        return s;
    next.updated_at = tz_ctx_now(call->ctx, call->arena);
    next.version = cur.version + 1;
    next.light = light_of(call->ctx, &next, today);
    *nextp = next;
    return TZ_OK;
}

bool tz_app_item_same(const struct tz_item *a, const struct tz_item *b)
{
    struct tz_strbuf tb, ta;
    if (diff_text(a, b, &tb, &ta)) {
        bool same_text = ta.len == 2; /* "{}" */
        tz_strbuf_release(&tb);
        tz_strbuf_release(&ta);
        return same_text;
    }
    tz_strbuf_release(&tb);
    tz_strbuf_release(&ta);
    struct json_object *before = NULL, *after = NULL;
    diff_items(a, b, &before, &after);
    bool same = json_object_object_length(after) == 0;
    json_object_put(before);
    json_object_put(after);
    return same;
}

static enum tz_status decode_action(struct json_object *body, struct tz_action_req *req,
                                    struct tz_err *err)
{
    static const char *const keys[] = {"action",   "version",           "comment", "progress",
                                       "deadline", "report_every_days", "linked",  NULL};
    const char *name = NULL;
    bool present = false;
    int64_t v = 0;
    memset(req, 0, sizeof(*req));
    req->deadline = TZ_DAY_NONE;
    enum tz_status s = tz_json_get_str(body, "action", &name, &present, err);
    if (s != TZ_OK)
        return s;
    if (!present || !tz_action_parse(name, &req->action))
        return tz_err_field(err, TZ_EINVAL, "action",
                            present ? "unknown action '%s'" : "'action' is required%s",
                            present ? name : "");
    s = tz_json_only_keys(body, keys, err);
    if (s == TZ_OK)
        s = need_version(body, &req->version, err);
    if (s == TZ_OK)
        s = get_text(body, "comment", MAX_TEXT, &req->comment, &present, err);
    if (s != TZ_OK)
        return s;
    s = tz_json_get_int(body, "progress", &v, &req->has_progress, err);
    if (s != TZ_OK)
        return s;
    if (req->has_progress && (v < 0 || v > 100))
        return tz_err_field(err, TZ_EINVAL, "progress", "'progress' must be 0 to 100");
    req->progress = (int)v;
    s = tz_json_get_date(body, "deadline", &req->deadline, &present, err);
    if (s != TZ_OK)
        return s;
    s = tz_json_get_int(body, "report_every_days", &v, &present, err);
    if (s != TZ_OK)
        return s;
    if (present && (v < 1 || v > 366))
        return tz_err_field(err, TZ_EINVAL, "report_every_days",
                            "'report_every_days' must be 1 to 366");
    req->report_every_days = present ? (int)v : 0;
    return TZ_OK;
}

/* ---- report once (最多报一次) -------------------------------------------- */

/* The linked items a report is also recorded on. */
struct linked_set {
    const int64_t *ids;
    size_t n;
};

/*
 * May this report also be recorded on the linked item? Only where the caller's
 * unit leads it and a report is allowed now (SPEC 2.4), so nobody reports on
 * work that is not theirs by way of a link.
 */
static bool takes_linked_report(struct tz_call *call, const struct tz_item *it,
                                const struct tz_action_req *req)
{
    struct tz_action_req r = *req;
    struct tz_loop_env env = {.today = tz_ctx_today(call->ctx), .now = ""};
    struct tz_err ignore;
    r.version = it->version;
    return tz_loop_visible(it, &call->actor) && tz_loop_is_lead(it, &call->actor) &&
           tz_loop_check(it, &call->actor, &r, &env, &ignore) == TZ_OK;
}

/*
 * `linked` of a report: absent or true, every linked item that takes it; false,
 * none; a list of ids, exactly those (422 naming "linked" when one is not
 * linked to this item or cannot take the report).
 */
static enum tz_status decode_linked(struct tz_call *call, const struct tz_item *cur,
                                    const struct tz_action_req *req, struct json_object *v,
                                    struct linked_set *out, struct tz_err *err)
{
    out->n = 0;
    if (v && json_object_is_type(v, json_type_boolean) && !json_object_get_boolean(v))
        return TZ_OK;
    bool listed = v && json_object_is_type(v, json_type_array);
    if (v && !listed && !json_object_is_type(v, json_type_boolean))
        return tz_err_field(err, TZ_EINVAL, "linked", "'linked' is true, false or a list of ids");
    int64_t *ids = tz_arena_alloc(call->arena, (cur->n_links + 1) * sizeof(*ids));
    size_t n_listed = listed ? json_object_array_length(v) : 0;
    for (size_t i = 0; i < n_listed; i++) {
        struct json_object *e = json_object_array_get_idx(v, i);
        int64_t id = json_object_is_type(e, json_type_int) ? json_object_get_int64(e) : 0;
        bool is_linked = false;
        for (size_t k = 0; k < cur->n_links; k++)
            is_linked = is_linked || cur->link_ids[k] == id;
        if (!is_linked)
            return tz_err_field(err, TZ_EINVAL, "linked", "item %lld is not linked to this one",
                                (long long)id);
    }
    for (size_t k = 0; k < cur->n_links; k++) {
        bool wanted = !listed;
        for (size_t i = 0; i < n_listed; i++)
            wanted = wanted ||
                     json_object_get_int64(json_object_array_get_idx(v, i)) == cur->link_ids[k];
        struct tz_item other;
        struct tz_err ignore;
        if (!wanted)
            continue;
        bool takes = TZ_STORE(call->conn)
                             ->item_get(call->conn, cur->link_ids[k], call->arena, &other,
                                        &ignore) == TZ_OK &&
                     takes_linked_report(call, &other, req);
        if (!takes && listed)
            return tz_err_field(err, TZ_EINVAL, "linked",
                                "item %lld is not led by your unit or takes no report now",
                                (long long)cur->link_ids[k]);
        if (takes)
            ids[out->n++] = cur->link_ids[k];
    }
    out->ids = ids;
    return TZ_OK;
}

/*
 * Records the report on the item and, in the same transaction, on each linked
 * item that still takes it, each with its own event ("随 CODE 一并报送").
 */
static enum tz_status report_with_linked(struct tz_call *call, const struct tz_item *cur,
                                         struct tz_item *next, const struct tz_action_req *req,
                                         const struct linked_set *linked, struct tz_err *err)
{
    int32_t today = tz_ctx_today(call->ctx);
    enum tz_status s = TZ_APP_BEGIN(call, err);
    if (s != TZ_OK)
        return s;
    s = tz_app_item_record(call, cur, next, "report", req, err);
    for (size_t i = 0; s == TZ_OK && i < linked->n; i++) {
        struct tz_item before, after;
        s = TZ_STORE(call->conn)->item_get(call->conn, linked->ids[i], call->arena, &before, err);
        if (s != TZ_OK)
            break;
        if (!takes_linked_report(call, &before, req))
            continue; /* changed meanwhile: the report stays where it can go */
        struct tz_action_req r = *req;
        r.version = before.version;
        r.comment =
            req->comment && *req->comment
                ? tz_arena_printf(call->arena, "%s（随 %s 一并报送）", req->comment, cur->code)
                : tz_arena_printf(call->arena, "随 %s 一并报送", cur->code);
        struct tz_loop_env env = {.today = today, .now = next->updated_at};
        after = before;
        tz_loop_apply(&after, &call->actor, &r, &env);
        after.light = light_of(call->ctx, &after, today);
        s = tz_app_item_record(call, &before, &after, "report", &r, err);
    }
    return tz_app_end(call, s, err);
}

enum tz_status tz_app_item_action(struct tz_call *call, int64_t id, const char *text, size_t len,
                                  struct json_object **out, struct tz_err *err)
{
    struct tz_item cur, next;
    struct tz_action_req req;
    struct json_object *body = NULL;
    enum tz_status s = load_for_write(call, id, text, len, &cur, &body, err);
    if (s != TZ_OK)
        return s;
    s = decode_action(body, &req, err);
    if (s != TZ_OK) {
        json_object_put(body);
        return s;
    }
    struct tz_attachment *atts = NULL;
    size_t n_atts = 0;
    s = TZ_STORE(call->conn)->attachment_list(call->conn, id, call->arena, &atts, &n_atts, err);
    if (s != TZ_OK) {
        json_object_put(body);
        return s;
    }
    int32_t today = tz_ctx_today(call->ctx);
    struct tz_loop_env env = {
        .today = today,
        .now = tz_ctx_now(call->ctx, call->arena),
        .n_attachments = n_atts,
        .accept_block = tz_rules_accept_block(&cur),
    };
    s = tz_loop_check(&cur, &call->actor, &req, &env, err);
    if (s != TZ_OK) {
        json_object_put(body);
        return s;
    }
    next = cur;
    tz_loop_apply(&next, &call->actor, &req, &env);
    next.light = light_of(call->ctx, &next, today);
    struct linked_set linked = {0};
    if (req.action == TZ_ACTION_REPORT)
        s = decode_linked(call, &cur, &req, json_object_object_get(body, "linked"), &linked, err);
    else if (json_object_object_get_ex(body, "linked", NULL))
        s = tz_err_field(err, TZ_EINVAL, "linked", "'linked' goes with a report only");
    if (s == TZ_OK && linked.n == 0)
        s = write_change(call, &cur, &next, tz_action_name(req.action), &req, err);
    else if (s == TZ_OK)
        s = report_with_linked(call, &cur, &next, &req, &linked, err);
    if (s == TZ_OK)
        *out = item_json(call, &next);
    json_object_put(body);
    return s;
}

/* Everything a list's total depends on, as text (the page and the sort are not in it). */
static const char *filter_key(struct tz_call *call, const struct tz_list_query *q)
{
    const struct tz_item_filter *f = &q->filter;
    struct tz_strbuf sb = TZ_STRBUF_INIT;
    tz_strbuf_addf(&sb, "%d%d|", f->scope.all, f->scope.none);
    for (size_t i = 0; i < f->scope.n_units; i++)
        tz_strbuf_addf(&sb, "%lld,", (long long)f->scope.units[i]);
    tz_strbuf_addch(&sb, '|');
    for (size_t i = 0; i < f->n_ledgers; i++)
        tz_strbuf_addf(&sb, "%s,", f->ledgers[i]);
    tz_strbuf_addf(&sb, "|%x|%x|%lld|%lld|%d|%d|%d|", f->states, f->lights, (long long)q->unit,
                   (long long)f->lead_unit_id, (int)f->due_before, (int)f->due_after,
                   f->supervised_min);
    if (f->received)
        tz_strbuf_addf(&sb, "r:%s:%lld|", f->received, (long long)f->received_by);
    for (size_t i = 0; i < f->n_fields; i++) {
        const struct tz_field_match *m = &f->fields[i];
        tz_strbuf_addf(&sb, "%s=%zu:%s%lld|", m->path, strlen(m->text), m->text,
                       (long long)m->number);
    }
    if (f->q)
        tz_strbuf_addstr(&sb, f->q);
    const char *key = tz_arena_strdup(call->arena, sb.buf);
    tz_strbuf_release(&sb);
    return key;
}

/*
 * f.<key>=<value> filters (SPEC 3 part 1): on a field of the one ledger listed,
 * the value typed as the field is (an enum's label, true/false, an integer, a
 * date, a unit id, one element of a list). The petitioner's name and contact
 * are not filterable: a filter would tell who petitioned to those who see them
 * masked. 422 naming "f.<key>" (or "ledger") otherwise.
 */
static enum tz_status decode_field_filters(struct tz_call *call, struct tz_list_query *q,
                                           struct tz_err *err)
{
    struct tz_item_filter *f = &q->filter;
    if (q->n_field_args == 0)
        return TZ_OK;
    if (f->n_ledgers != 1)
        return tz_err_field(err, TZ_EINVAL, "ledger", "a field filter needs exactly one ledger");
    const struct tz_ledger_def *def = tz_app_ledger(call->ctx, f->ledgers[0]);
    for (size_t i = 0; i < q->n_field_args; i++) {
        const char *key = q->field_keys[i], *value = q->field_values[i];
        const char *name = tz_arena_printf(call->arena, "f.%s", key);
        const struct tz_field_def *fd = NULL;
        for (size_t k = 0; def && k < def->n_fields; k++)
            if (strcmp(def->fields[k].key, key) == 0)
                fd = &def->fields[k];
        if (!fd)
            return tz_err_field(err, TZ_EINVAL, name, "'%s' is not a field of ledger '%s'", key,
                                f->ledgers[0]);
        if (strcmp(def->key, "petition") == 0 &&
            (strcmp(key, "petitioner") == 0 || strcmp(key, "contact") == 0))
            return tz_err_field(err, TZ_EINVAL, name, "'%s' is protected and not filterable", key);
        struct tz_field_match *m = &f->fields[f->n_fields];
        m->path = tz_arena_printf(call->arena, "$.\"%s\"", key);
        m->text = value;
        char *end = NULL;
        int32_t day;
        bool ok = true;
        switch (fd->type) {
        case TZ_FIELD_ENUM:
            ok = false;
            for (size_t k = 0; k < fd->n_values; k++)
                ok = ok || strcmp(fd->values[k], value) == 0;
            break;
        case TZ_FIELD_BOOL:
            ok = strcmp(value, "true") == 0 || strcmp(value, "false") == 0;
            m->is_number = true;
            m->number = value[0] == 't';
            break;
        case TZ_FIELD_INTEGER:
        case TZ_FIELD_UNIT:
        case TZ_FIELD_UNIT_LIST:
            m->is_number = true;
            m->number = strtoll(value, &end, 10);
            ok = *value && end && *end == '\0';
            m->in_list = fd->type == TZ_FIELD_UNIT_LIST;
            break;
        case TZ_FIELD_DATE:
            ok = tz_date_parse(value, &day);
            break;
        case TZ_FIELD_TEXT:
            ok = *value != '\0';
            break;
        case TZ_FIELD_LIST:
            ok = *value != '\0';
            m->in_list = true;
            break;
        default:
            return tz_err_field(err, TZ_EINVAL, name, "'%s' (%s) is not filterable", key,
                                tz_field_type_name(fd->type));
        }
        if (!ok)
            return tz_err_field(err, TZ_EINVAL, name, "'%s' is not a value of '%s' (%s)", value,
                                key, fd->label);
        f->n_fields++;
    }
    return TZ_OK;
}

enum tz_status tz_app_list_prepare(struct tz_call *call, struct tz_list_query *q,
                                   struct tz_err *err)
{
    struct tz_item_filter *f = &q->filter;
    const struct tz_actor *a = &call->actor;
    enum tz_status s = decode_field_filters(call, q, err);
    if (s == TZ_OK)
        s = tz_app_lights_current(call, err);
    if (s != TZ_OK)
        return s;
    memset(&f->scope, 0, sizeof(f->scope));
    if (a->roles & (TZ_ROLE_SUPERVISOR | TZ_ROLE_LEADER)) {
        f->scope.all = true;
    } else if (a->roles & (TZ_ROLE_MANAGER | TZ_ROLE_STAFF | TZ_ROLE_VIEWER)) {
        f->scope.units = a->subtree;
        f->scope.n_units = a->n_subtree;
    } else {
        f->scope.none = true;
    }
    if (q->unit) {
        int64_t *ids = NULL;
        f->n_units = tz_ctx_subtree(call->ctx, q->unit, call->arena, &ids);
        f->units = ids;
    }
    return TZ_OK;
}

enum tz_status tz_app_item_list(struct tz_call *call, struct tz_list_query *q,
                                struct json_object **out, struct tz_err *err)
{
    struct tz_item_filter *f = &q->filter;
    enum tz_status s = tz_app_list_prepare(call, q, err);
    if (s != TZ_OK)
        return s;
    struct tz_item *items = NULL;
    size_t n = 0;
    int64_t total = 0;
    /* the version is read before the query: a write meanwhile makes the entry stale, not wrong */
    int64_t version = atomic_load(&call->ctx->data_version);
    int day = atomic_load(&call->ctx->lights_day);
    const char *key = filter_key(call, q);
    f->known_total = tz_count_cache_get(call->ctx->counts, key, version, day);
    s = TZ_STORE(call->conn)->item_list(call->conn, f, call->arena, &items, &n, &total, err);
    if (s != TZ_OK)
        return s;
    if (f->known_total < 0)
        tz_count_cache_put(call->ctx->counts, key, version, day, total);
    struct json_object *arr = json_object_new_array_ext((int)n);
    for (size_t i = 0; i < n; i++)
        json_object_array_add(arr, item_json(call, &items[i]));
    *out = json_object_new_object();
    json_object_object_add(*out, "items", arr);
    json_object_object_add(*out, "total", json_object_new_int64(total));
    json_object_object_add(*out, "page", json_object_new_int(f->page));
    json_object_object_add(*out, "per_page", json_object_new_int(f->per_page));
    return TZ_OK;
}

enum tz_status tz_app_item_events(struct tz_call *call, int64_t id, struct json_object **out,
                                  struct tz_err *err)
{
    struct tz_item it;
    struct tz_event *ev = NULL;
    size_t n = 0;
    enum tz_status s = load_visible(call, id, &it, err);
    if (s == TZ_OK)
        s = TZ_STORE(call->conn)->event_list(call->conn, id, call->arena, &ev, &n, err);
    if (s != TZ_OK)
        return s;
    struct json_object *arr = json_object_new_array_ext((int)n);
    for (size_t i = 0; i < n; i++) {
        struct json_object *o = json_object_new_object(), *actor = json_object_new_object();
        struct tz_user u;
        struct tz_err ignore;
        json_object_object_add(o, "seq", json_object_new_int64(ev[i].seq));
        json_object_object_add(o, "at", json_object_new_string(ev[i].at));
        json_object_object_add(actor, "id", json_object_new_int64(ev[i].actor_id));
        if (TZ_STORE(call->conn)
                ->user_get(call->conn, ev[i].actor_id, NULL, call->arena, &u, &ignore) == TZ_OK) {
            json_object_object_add(actor, "username", json_object_new_string(u.username));
            json_object_object_add(actor, "display_name", json_object_new_string(u.display_name));
            json_object_object_add(actor, "unit_id", json_object_new_int64(u.unit_id));
        }
        json_object_object_add(o, "actor", actor);
        json_object_object_add(o, "action", json_object_new_string(ev[i].action));
        json_object_object_add(o, "comment", tz_json_str_or_null(ev[i].comment));
        struct json_object *b = tz_json_parse(ev[i].before, strlen(ev[i].before), &ignore);
        struct json_object *af = tz_json_parse(ev[i].after, strlen(ev[i].after), &ignore);
        if (strcmp(it.ledger, "petition") == 0 && !sees_protected(call, &it)) {
            struct json_object *f = NULL;
            if (b && json_object_object_get_ex(b, "fields", &f))
                mask_fields(f);
            if (af && json_object_object_get_ex(af, "fields", &f))
                mask_fields(f);
        }
        json_object_object_add(o, "before", b ? b : json_object_new_object());
        json_object_object_add(o, "after", af ? af : json_object_new_object());
        json_object_array_add(arr, o);
    }
    *out = json_object_new_object();
    json_object_object_add(*out, "events", arr);
    return TZ_OK;
}

/* Records an attachment upload as an item event (called by app_evidence.c in its transaction). */
enum tz_status tz_app_item_attached(struct tz_call *call, struct tz_item *it,
                                    const struct tz_attachment *at, struct tz_err *err)
{
    struct tz_item next = *it;
    next.version = it->version + 1;
    next.updated_at = at->uploaded_at;
    struct json_object *ja = attachment_json(at);
    struct tz_event ev = {
        .item_id = it->id,
        .at = at->uploaded_at,
        .actor_id = call->user.id,
        .action = "attach",
        .before = "{}",
        .after = tz_arena_printf(call->arena, "{\"attachment\":%s}", tz_json_compact(ja, NULL)),
    };
    json_object_put(ja);
    enum tz_status s = TZ_STORE(call->conn)->item_update(call->conn, it, &next, err);
    if (s == TZ_OK)
        s = TZ_STORE(call->conn)->event_insert(call->conn, &ev, err);
    if (s == TZ_OK)
        s = tz_app_audit(call, "item.attach",
                         tz_arena_printf(call->arena, "item:%lld", (long long)it->id), ev.after,
                         err);
    if (s == TZ_OK)
        *it = next;
    return s;
}

/* The item for the evidence use cases: visible (404) or not. */
enum tz_status tz_app_item_load_visible(struct tz_call *call, int64_t id, struct tz_item *it,
                                        struct tz_err *err)
{
    return load_visible(call, id, it, err);
}
