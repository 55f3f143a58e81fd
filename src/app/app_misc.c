/*
 * app_misc.c - the ledgers' registry, the dashboards (totals, the per-unit
 * scorecard, the burden meter, the quarterly hazard statistics), the calendar
 * and the audit log's reading and verification.
 *
 * The ten ledgers are data (data/ledgers/NN_<key>.json, built into the
 * binary), read into the context at start (tz_ctx_init).
 */
#include "app_internal.h"
#include "tz/date.h"
#include "tz/embed.h"
#include "tz/log.h"
#include "tz/strbuf.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- ledgers ---------------------------------------------------------- */

const struct tz_ledger_def *tz_app_ledger(struct tz_ctx *ctx, const char *key)
{
    return tz_ledgers_find(ctx->ledgers, key);
}

struct json_object *tz_app_ledgers(struct tz_ctx *ctx)
{
    struct json_object *arr = json_object_new_array();
    for (size_t i = 0; i < tz_ledgers_count(ctx->ledgers); i++)
        json_object_array_add(arr, tz_ledger_json(tz_ledgers_at(ctx->ledgers, i)));
    struct json_object *out = json_object_new_object();
    json_object_object_add(out, "ledgers", arr);
    return out;
}

/* ---- dashboard --------------------------------------------------------- */

static struct json_object *rate(int64_t on_time, int64_t closed, int64_t overdue)
{
    int64_t denom = closed + overdue;
    if (denom == 0)
        return NULL;
    return json_object_new_double((double)on_time / (double)denom);
}

static void add_counts(struct json_object *o, const struct tz_counts *k)
{
    json_object_object_add(o, "open", json_object_new_int64(k->green + k->yellow + k->red));
    json_object_object_add(o, "green", json_object_new_int64(k->green));
    json_object_object_add(o, "yellow", json_object_new_int64(k->yellow));
    json_object_object_add(o, "red", json_object_new_int64(k->red));
    json_object_object_add(o, "closed", json_object_new_int64(k->closed));
    json_object_object_add(o, "on_time_rate", rate(k->closed_on_time, k->closed, k->overdue));
    json_object_object_add(o, "overdue", json_object_new_int64(k->overdue));
}

/* The windows of "what falls due" on the war map (DOMAIN 2.6): N working days after today. */
static const int due_windows[] = {5, 10, 30};
#define N_DUE        (sizeof(due_windows) / sizeof(due_windows[0]))
#define TREND_MONTHS 12

/* due: [{working_days, from, before, count}]: open items waiting for their unit, due soon. */
static enum tz_status add_due(struct tz_call *call, const struct tz_scope *scope, int32_t today,
                              struct json_object *o, struct tz_err *err)
{
    int32_t to[N_DUE];
    int64_t counts[N_DUE];
    pthread_rwlock_rdlock(&call->ctx->lock);
    for (size_t i = 0; i < N_DUE; i++)
        to[i] = tz_calendar_add_workdays(call->ctx->cal, today, due_windows[i]);
    pthread_rwlock_unlock(&call->ctx->lock);
    enum tz_status s =
        TZ_STORE(call->conn)->due_counts(call->conn, scope, today, to, N_DUE, counts, err);
    if (s != TZ_OK)
        return s;
    struct json_object *arr = json_object_new_array();
    for (size_t i = 0; i < N_DUE; i++) {
        struct json_object *r = json_object_new_object();
        json_object_object_add(r, "working_days", json_object_new_int(due_windows[i]));
        json_object_object_add(r, "from", tz_json_date(today));
        json_object_object_add(r, "before", tz_json_date(to[i]));
        json_object_object_add(r, "count", json_object_new_int64(counts[i]));
        json_object_array_add(arr, r);
    }
    json_object_object_add(o, "due", arr);
    return TZ_OK;
}

/* trend: the last twelve months up to today's, every month present (zeros included). */
static enum tz_status add_trend(struct tz_call *call, const struct tz_scope *scope, int32_t today,
                                struct json_object *o, struct tz_err *err)
{
    int y, m, d;
    tz_date_to_ymd(today, &y, &m, &d);
    int first = y * 12 + (m - 1) - (TREND_MONTHS - 1);
    char from[16];
    snprintf(from, sizeof(from), "%04d-%02d", first / 12, first % 12 + 1);
    struct tz_trend_row *v = NULL;
    size_t n = 0, k = 0;
    enum tz_status s =
        TZ_STORE(call->conn)->trend(call->conn, scope, from, call->arena, &v, &n, err);
    if (s != TZ_OK)
        return s;
    struct json_object *arr = json_object_new_array();
    for (int i = 0; i < TREND_MONTHS; i++) {
        char month[16];
        snprintf(month, sizeof(month), "%04d-%02d", (first + i) / 12, (first + i) % 12 + 1);
        while (k < n && strcmp(v[k].month, month) < 0)
            k++;
        const struct tz_trend_row *r = k < n && strcmp(v[k].month, month) == 0 ? &v[k] : NULL;
        struct json_object *row = json_object_new_object();
        json_object_object_add(row, "month", json_object_new_string(month));
        json_object_object_add(row, "opened", json_object_new_int64(r ? r->opened : 0));
        json_object_object_add(row, "closed", json_object_new_int64(r ? r->closed : 0));
        json_object_object_add(row, "closed_on_time",
                               json_object_new_int64(r ? r->closed_on_time : 0));
        json_object_array_add(arr, row);
    }
    json_object_object_add(o, "trend", arr);
    return TZ_OK;
}

enum tz_status tz_app_dashboard(struct tz_call *call, struct json_object **out, struct tz_err *err)
{
    const struct tz_actor *a = &call->actor;
    struct tz_scope scope = {0};
    if (!(a->roles & TZ_ROLES_ITEM))
        return tz_err_set(err, TZ_EFORBIDDEN, "the dashboard is for item readers");
    if (a->roles & (TZ_ROLE_SUPERVISOR | TZ_ROLE_LEADER)) {
        scope.all = true;
    } else {
        scope.units = a->subtree;
        scope.n_units = a->n_subtree;
    }
    enum tz_status s = tz_app_lights_current(call, err);
    if (s != TZ_OK)
        return s;
    /* the answer stands until the next write or the next day: keep it by scope */
    int64_t version = atomic_load(&call->ctx->data_version);
    int day = atomic_load(&call->ctx->lights_day);
    struct tz_strbuf key = TZ_STRBUF_INIT;
    tz_strbuf_addf(&key, "dashboard|%d|", scope.all);
    for (size_t i = 0; i < scope.n_units; i++)
        tz_strbuf_addf(&key, "%lld,", (long long)scope.units[i]);
    char *cached = tz_count_cache_get_text(call->ctx->counts, key.buf, version, day);
    if (cached) {
        *out = tz_json_raw(cached, strlen(cached));
        free(cached);
        tz_strbuf_release(&key);
        return TZ_OK;
    }
    struct tz_counts totals, *bl = NULL, *bu = NULL, *bc = NULL;
    size_t nl = 0, nu = 0, nc = 0;
    s = TZ_STORE(call->conn)
            ->dashboard(call->conn, &scope, call->arena, &totals, &bl, &nl, &bu, &nu, &bc, &nc,
                        err);
    if (s != TZ_OK) {
        tz_strbuf_release(&key);
        return s;
    }
    int32_t today = tz_ctx_today(call->ctx);
    struct json_object *o = json_object_new_object(), *t = json_object_new_object();
    json_object_object_add(o, "today", tz_json_date(today));
    add_counts(t, &totals);
    json_object_object_add(o, "totals", t);
    struct json_object *arr = json_object_new_array();
    for (size_t i = 0; i < nl; i++) {
        struct json_object *r = json_object_new_object();
        json_object_object_add(r, "ledger", json_object_new_string(bl[i].key));
        add_counts(r, &bl[i]);
        json_object_array_add(arr, r);
    }
    json_object_object_add(o, "by_ledger", arr);
    arr = json_object_new_array();
    for (size_t i = 0; i < nu; i++) {
        struct json_object *r = json_object_new_object();
        const struct tz_unit *u = tz_ctx_unit(call->ctx, bu[i].key_id, call->arena);
        json_object_object_add(r, "unit_id", json_object_new_int64(bu[i].key_id));
        json_object_object_add(r, "name", json_object_new_string(u ? u->name : ""));
        add_counts(r, &bu[i]);
        json_object_object_add(r, "extension_count", json_object_new_int64(bu[i].extensions));
        json_object_array_add(arr, r);
    }
    json_object_object_add(o, "by_unit", arr);
    /* the war map's grid: lead units x ledgers, cells with anything in the loop */
    arr = json_object_new_array();
    for (size_t i = 0; i < nc; i++) {
        if (bc[i].green + bc[i].yellow + bc[i].red + bc[i].closed == 0)
            continue;
        struct json_object *r = json_object_new_object();
        json_object_object_add(r, "unit_id", json_object_new_int64(bc[i].key_id));
        json_object_object_add(r, "ledger", json_object_new_string(bc[i].key));
        add_counts(r, &bc[i]);
        json_object_array_add(arr, r);
    }
    json_object_object_add(o, "grid", arr);
    s = add_due(call, &scope, today, o, err);
    if (s == TZ_OK)
        s = add_trend(call, &scope, today, o, err);
    if (s != TZ_OK) {
        json_object_put(o);
        tz_strbuf_release(&key);
        return s;
    }
    tz_count_cache_put_text(call->ctx->counts, key.buf, version, day, tz_json_compact(o, NULL));
    tz_strbuf_release(&key);
    *out = o;
    return TZ_OK;
}

/* ---- scorecard and burden ---------------------------------------------- */

/* Units the caller may see figures of: all for supervisors and leaders, else the subtree. */
static bool unit_in_view(const struct tz_call *call, int64_t unit_id)
{
    if (call->actor.roles & (TZ_ROLE_SUPERVISOR | TZ_ROLE_LEADER))
        return true;
    return tz_actor_in_subtree(&call->actor, unit_id);
}

static struct json_object *ratio(int64_t num, int64_t den)
{
    return den ? json_object_new_double((double)num / (double)den) : NULL;
}

enum tz_status tz_app_scorecard(struct tz_call *call, struct json_object **out, struct tz_err *err)
{
    if (!(call->actor.roles & TZ_ROLES_ITEM))
        return tz_err_set(err, TZ_EFORBIDDEN, "the scorecard is for item readers");
    enum tz_status s = tz_app_lights_current(call, err);
    struct tz_scorecard_row *v = NULL;
    size_t n = 0;
    if (s == TZ_OK)
        s = TZ_STORE(call->conn)->scorecard(call->conn, call->arena, &v, &n, err);
    if (s != TZ_OK)
        return s;
    struct json_object *arr = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        const struct tz_scorecard_row *r = &v[i];
        if (!unit_in_view(call, r->unit_id))
            continue;
        const struct tz_unit *u = tz_ctx_unit(call->ctx, r->unit_id, call->arena);
        int64_t due = r->closed + r->overdue;
        struct json_object *o = json_object_new_object(), *drill = json_object_new_object();
        json_object_object_add(o, "unit_id", json_object_new_int64(r->unit_id));
        json_object_object_add(o, "name", json_object_new_string(u ? u->name : ""));
        json_object_object_add(o, "total", json_object_new_int64(r->total));
        json_object_object_add(o, "closed", json_object_new_int64(r->closed));
        json_object_object_add(o, "close_rate", ratio(r->closed, r->total));
        json_object_object_add(o, "on_time_rate", ratio(r->closed_on_time, due));
        json_object_object_add(o, "overdue", json_object_new_int64(r->overdue));
        json_object_object_add(o, "overdue_rate", ratio(r->overdue, due));
        json_object_object_add(o, "yellow", json_object_new_int64(r->yellow));
        json_object_object_add(o, "red", json_object_new_int64(r->red));
        json_object_object_add(o, "extensions", json_object_new_int64(r->extensions));
        json_object_object_add(o, "objections", json_object_new_int64(r->objections));
        json_object_object_add(o, "reminders", json_object_new_int64(r->reminders));
        json_object_object_add(o, "supervisions", json_object_new_int64(r->supervisions));
        /*
         * The items behind each number: list queries of GET /items. A count of
         * items filters on the lead unit; a tally (what the unit received) on
         * unit_tally, so an item whose lead unit changed since still shows under
         * the unit that received it. "due" is the on-time rate's denominator:
         * the closed items and the open overdue ones.
         */
        static const struct {
            const char *key, *query;
            bool tally;
        } drills[] = {
            {"total", "status=assigned,in_progress,submitted,closed,ongoing", false},
            {"closed", "status=closed", false},
            {"due", "status=assigned,in_progress,submitted,closed&light=red,done", false},
            {"overdue", "status=assigned,in_progress,submitted&light=red", false},
            {"yellow", "status=assigned,in_progress,submitted,ongoing&light=yellow", false},
            {"red", "status=assigned,in_progress,submitted,ongoing&light=red", false},
            {"extensions", "received=extension", true},
            {"objections", "received=object", true},
            {"reminders", "received=remind", true},
            {"supervisions", "received=supervise", true},
        };
        for (size_t k = 0; k < sizeof(drills) / sizeof(drills[0]); k++) {
            const char *q = drills[k].tally
                                ? tz_arena_printf(call->arena, "/api/v1/items?%s&received_by=%lld",
                                                  drills[k].query, (long long)r->unit_id)
                                : tz_arena_printf(call->arena, "/api/v1/items?lead=%lld&%s",
                                                  (long long)r->unit_id, drills[k].query);
            json_object_object_add(drill, drills[k].key, json_object_new_string(q));
        }
        json_object_object_add(o, "items", drill);
        json_object_array_add(arr, o);
    }
    *out = json_object_new_object();
    json_object_object_add(*out, "units", arr);
    return TZ_OK;
}

static bool good_month(const char *m)
{
    return m && strlen(m) == 7 && m[4] == '-' && m[0] >= '1' && m[0] <= '2' &&
           strspn(m, "0123456789-") == 7 &&
           ((m[5] == '0' && m[6] >= '1' && m[6] <= '9') ||
            (m[5] == '1' && m[6] >= '0' && m[6] <= '2'));
}

enum tz_status tz_app_burden(struct tz_call *call, const char *from, const char *to,
                             struct json_object **out, struct tz_err *err)
{
    if (!(call->actor.roles & TZ_ROLES_ITEM))
        return tz_err_set(err, TZ_EFORBIDDEN, "the burden meter is for item readers");
    if (from && !good_month(from))
        return tz_err_field(err, TZ_EINVAL, "from", "'from' must be a month YYYY-MM");
    if (to && !good_month(to))
        return tz_err_field(err, TZ_EINVAL, "to", "'to' must be a month YYYY-MM");
    struct tz_burden_row *v = NULL;
    size_t n = 0;
    enum tz_status s = TZ_STORE(call->conn)
                           ->burden(call->conn, from ? from : "0000-00", to ? to : "9999-99",
                                    call->arena, &v, &n, err);
    if (s != TZ_OK)
        return s;
    struct json_object *arr = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        if (!unit_in_view(call, v[i].unit_id))
            continue;
        const struct tz_unit *u = tz_ctx_unit(call->ctx, v[i].unit_id, call->arena);
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "unit_id", json_object_new_int64(v[i].unit_id));
        json_object_object_add(o, "name", json_object_new_string(u ? u->name : ""));
        json_object_object_add(o, "month", json_object_new_string(v[i].month));
        json_object_object_add(o, "reminders", json_object_new_int64(v[i].reminders));
        json_object_object_add(o, "supervisions", json_object_new_int64(v[i].supervisions));
        json_object_object_add(o, "objections", json_object_new_int64(v[i].objections));
        json_object_object_add(o, "extensions", json_object_new_int64(v[i].extensions));
        json_object_object_add(o, "data_requests", json_object_new_int64(v[i].data_requests));
        json_object_array_add(arr, o);
    }
    *out = json_object_new_object();
    json_object_object_add(*out, "months", arr);
    return TZ_OK;
}

/* ---- hazard statistics ------------------------------------------------- */

/* A whole number of at most 9 digits, no sign, from lo to hi; false for anything else. */
static bool parse_whole(const char *s, int lo, int hi, int *out)
{
    size_t len = strlen(s);
    if (len == 0 || len > 9 || strspn(s, "0123456789") != len)
        return false;
    long v = strtol(s, NULL, 10);
    if (v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

/* The quarter asked for; each part left out is that of today. */
struct hazard_quarter {
    int year, quarter;
    int32_t first, last;
};

static enum tz_status quarter_parse(const struct tz_ctx *ctx, const char *year, const char *quarter,
                                    struct hazard_quarter *q, struct tz_err *err)
{
    int32_t today = tz_ctx_today(ctx);
    q->year = tz_date_year(today);
    q->quarter = tz_date_quarter(today);
    if (year && !parse_whole(year, 1900, 2999, &q->year))
        return tz_err_field(err, TZ_EINVAL, "year", "'year' must be a year from 1900 to 2999");
    if (quarter && !parse_whole(quarter, 1, 4, &q->quarter))
        return tz_err_field(err, TZ_EINVAL, "quarter", "'quarter' must be 1, 2, 3 or 4");
    tz_date_quarter_bounds(q->year, q->quarter, &q->first, &q->last);
    return TZ_OK;
}

static void hazard_totals_add(struct tz_hazard_row *t, const struct tz_hazard_row *r)
{
    t->found += r->found;
    t->major += r->major;
    t->rectified += r->rectified;
    t->rectified_on_time += r->rectified_on_time;
    t->open_at_end += r->open_at_end;
    t->overdue += r->overdue;
    t->major_open += r->major_open;
}

/* The figures of one unit or of the totals into o; 一般 is every found hazard not 重大. */
static void hazard_counts_json(struct json_object *o, const struct tz_hazard_row *r)
{
    json_object_object_add(o, "found", json_object_new_int64(r->found));
    json_object_object_add(o, "major", json_object_new_int64(r->major));
    json_object_object_add(o, "general", json_object_new_int64(r->found - r->major));
    json_object_object_add(o, "rectified", json_object_new_int64(r->rectified));
    json_object_object_add(o, "rectified_on_time", json_object_new_int64(r->rectified_on_time));
    json_object_object_add(o, "open_at_end", json_object_new_int64(r->open_at_end));
    json_object_object_add(o, "overdue", json_object_new_int64(r->overdue));
    json_object_object_add(o, "major_open", json_object_new_int64(r->major_open));
    json_object_object_add(o, "rectification_rate",
                           ratio(r->rectified, r->rectified + r->open_at_end));
}

enum tz_status tz_app_hazard_stats(struct tz_call *call, const char *year, const char *quarter,
                                   struct json_object **out, struct tz_err *err)
{
    struct hazard_quarter q;
    struct tz_hazard_row *v = NULL;
    struct tz_hazard_row totals = {0};
    size_t n = 0;
    *out = NULL;
    if (!(call->actor.roles & TZ_ROLES_ITEM))
        return tz_err_set(err, TZ_EFORBIDDEN, "hazard statistics are for item readers");
    enum tz_status s = quarter_parse(call->ctx, year, quarter, &q, err);
    if (s != TZ_OK)
        return s;
    /* overdue as the lights would say at the quarter's end, or today while it runs */
    int32_t today = tz_ctx_today(call->ctx);
    int32_t late_before = today < q.last ? today : q.last;
    s = TZ_STORE(call->conn)
            ->hazard_stats(call->conn, q.first, q.last, late_before, call->arena, &v, &n, err);
    if (s != TZ_OK)
        return s;
    struct json_object *units = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        if (!unit_in_view(call, v[i].unit_id))
            continue;
        const struct tz_unit *u = tz_ctx_unit(call->ctx, v[i].unit_id, call->arena);
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "unit_id", json_object_new_int64(v[i].unit_id));
        json_object_object_add(o, "name", json_object_new_string(u ? u->name : ""));
        hazard_counts_json(o, &v[i]);
        json_object_array_add(units, o);
        hazard_totals_add(&totals, &v[i]);
    }
    struct json_object *t = json_object_new_object();
    hazard_counts_json(t, &totals);
    *out = json_object_new_object();
    json_object_object_add(*out, "year", json_object_new_int(q.year));
    json_object_object_add(*out, "quarter", json_object_new_int(q.quarter));
    json_object_object_add(*out, "from", tz_json_date(q.first));
    json_object_object_add(*out, "to", tz_json_date(q.last));
    json_object_object_add(*out, "units", units);
    json_object_object_add(*out, "totals", t);
    return TZ_OK;
}

/* ---- calendar ---------------------------------------------------------- */

enum tz_status tz_app_calendar_get(struct tz_call *call, int year, struct json_object **out,
                                   struct tz_err *err)
{
    if (year < 1900 || year > 2999)
        return tz_err_set(err, TZ_ENOTFOUND, "no calendar for year %d", year);
    pthread_rwlock_rdlock(&call->ctx->lock);
    char *json = tz_calendar_year_json(call->ctx->cal, year);
    pthread_rwlock_unlock(&call->ctx->lock);
    *out = tz_json_parse(json, strlen(json), err);
    free(json);
    return *out ? TZ_OK : TZ_EINTERNAL;
}

enum tz_status tz_app_calendar_put(struct tz_call *call, int year, struct json_object *body,
                                   struct json_object **out, struct tz_err *err)
{
    if (!(call->user.roles & TZ_ROLE_ADMIN))
        return tz_err_set(err, TZ_EFORBIDDEN, "only an administrator edits the calendar");
    if (year < 1900 || year > 2999)
        return tz_err_set(err, TZ_ENOTFOUND, "no calendar for year %d", year);
    struct json_object *y = NULL;
    if (!json_object_object_get_ex(body, "year", &y))
        json_object_object_add(body, "year", json_object_new_int(year));
    else if (!json_object_is_type(y, json_type_int) || json_object_get_int(y) != year)
        return tz_err_field(err, TZ_EINVAL, "year", "'year' must be %d as in the path", year);
    /* validate on a scratch calendar first: nothing is stored on bad input */
    struct tz_calendar *scratch = tz_calendar_new();
    size_t len = 0;
    const char *text = tz_json_compact(body, &len);
    enum tz_status s = tz_calendar_load_json(scratch, text, len, err);
    tz_calendar_free(scratch);
    if (s != TZ_OK)
        return s;
    s = TZ_APP_BEGIN(call, err);
    if (s != TZ_OK)
        return s;
    s = TZ_STORE(call->conn)->calendar_put(call->conn, year, text, err);
    if (s == TZ_OK)
        s = tz_app_audit(call, "calendar.update", tz_arena_printf(call->arena, "calendar:%d", year),
                         text, err);
    if (s == TZ_OK)
        tz_app_lights_invalidate(call);
    s = tz_app_end(call, s, err);
    if (s != TZ_OK)
        return s;
    tz_ctx_refresh_after_commit(call, false, true);
    struct tz_err ignore;
    if (tz_app_calendar_get(call, year, out, &ignore) != TZ_OK)
        *out = json_object_new_object();
    return TZ_OK;
}

/* ---- audit ------------------------------------------------------------- */

static enum tz_status need_auditor(struct tz_call *call, struct tz_err *err)
{
    if (!(call->user.roles & TZ_ROLE_AUDITOR))
        return tz_err_set(err, TZ_EFORBIDDEN, "only the security auditor reads the audit log");
    return TZ_OK;
}

enum tz_status tz_app_audit_list(struct tz_call *call, int64_t after, int limit,
                                 struct json_object **out, struct tz_err *err)
{
    enum tz_status s = need_auditor(call, err);
    if (s != TZ_OK)
        return s;
    struct tz_audit_entry *v = NULL;
    size_t n = 0;
    s = TZ_STORE(call->conn)->audit_list(call->conn, after, limit, call->arena, &v, &n, err);
    if (s != TZ_OK)
        return s;
    struct json_object *arr = json_object_new_array_ext((int)n);
    for (size_t i = 0; i < n; i++) {
        struct json_object *o = json_object_new_object();
        struct tz_err ignore;
        json_object_object_add(o, "seq", json_object_new_int64(v[i].seq));
        json_object_object_add(o, "at", json_object_new_string(v[i].at));
        json_object_object_add(o, "actor", json_object_new_string(v[i].actor));
        json_object_object_add(o, "ip", json_object_new_string(v[i].ip));
        json_object_object_add(o, "action", json_object_new_string(v[i].action));
        json_object_object_add(o, "target", json_object_new_string(v[i].target));
        struct json_object *d = tz_json_parse(v[i].detail, strlen(v[i].detail), &ignore);
        json_object_object_add(o, "detail", d ? d : json_object_new_string(v[i].detail));
        json_object_object_add(o, "prev_hash", json_object_new_string(v[i].prev_hash));
        json_object_object_add(o, "hash", json_object_new_string(v[i].hash));
        json_object_array_add(arr, o);
    }
    /* the newest seq, so a reader can page from the end (after = last_seq - limit) */
    int64_t last = 0;
    char hash[TZ_HASH_HEX];
    s = TZ_STORE(call->conn)->audit_last(call->conn, &last, hash, err);
    if (s != TZ_OK) {
        json_object_put(arr);
        return s;
    }
    *out = json_object_new_object();
    json_object_object_add(*out, "entries", arr);
    json_object_object_add(*out, "last_seq", json_object_new_int64(last));
    return TZ_OK;
}

enum tz_status tz_app_audit_verify(struct tz_ctx *ctx, struct tz_store_conn *conn,
                                   struct tz_audit_verifier *v, struct tz_err *err)
{
    tz_audit_verifier_init(v, &ctx->hasher);
    int64_t after = 0;
    for (;;) {
        struct tz_arena a;
        struct tz_audit_entry *e = NULL;
        size_t n = 0;
        tz_arena_init(&a);
        enum tz_status s = TZ_STORE(conn)->audit_list(conn, after, 2000, &a, &e, &n, err);
        if (s != TZ_OK) {
            tz_arena_release(&a);
            return s;
        }
        for (size_t i = 0; i < n; i++)
            tz_audit_verifier_feed(v, &e[i]);
        if (n)
            after = e[n - 1].seq;
        tz_arena_release(&a);
        if (n < 2000)
            return TZ_OK;
    }
}

enum tz_status tz_app_audit_verify_call(struct tz_call *call, struct json_object **out,
                                        struct tz_err *err)
{
    enum tz_status s = need_auditor(call, err);
    if (s != TZ_OK)
        return s;
    struct tz_audit_verifier v;
    s = tz_app_audit_verify(call->ctx, call->conn, &v, err);
    if (s != TZ_OK)
        return s;
    *out = json_object_new_object();
    json_object_object_add(*out, "ok", json_object_new_boolean(v.first_broken_seq == 0));
    json_object_object_add(*out, "checked", json_object_new_int64(v.checked));
    json_object_object_add(*out, "first_broken_seq",
                           v.first_broken_seq ? json_object_new_int64(v.first_broken_seq) : NULL);
    json_object_object_add(
        *out, "algorithm",
        json_object_new_string(tz_hash_alg_name(call->ctx->hasher.alg, call->ctx->hasher.key)));
    return TZ_OK;
}
