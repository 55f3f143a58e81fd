/*
 * app_report.c - the printed documents' use cases: the 通报 of a period
 * (GET /reports/bulletin.pdf, `taizhang report bulletin`) and the 督办通知单
 * of one item (GET /items/{id}/notice.pdf, `taizhang report notice`).
 *
 * This file gathers; src/report/ draws (no SQL there). The bulletin's
 * figures are the war map's own: the counters and the lights by ledger come
 * from tz_app_dashboard, the per-unit rows from tz_app_scorecard (in the
 * scorecard's default order), the red list from the GET /items query of the
 * war map's red list (tz_app_list_prepare), so a printed bulletin and the
 * screen cannot disagree. Only "what happened in the period" is new: event
 * counts by action over the period (store event_counts).
 *
 * A 督办单's number is given on its first print and stored (table notices,
 * schema 011): one number per item and colour, numbered per year; printing
 * again shows the same number. Every print writes one audit entry
 * (report.bulletin, item.notice) after the file is written; a print whose
 * entry cannot be written fails and the caller removes the file.
 */
#include "app_internal.h"
#include "tz/date.h"
#include "tz/doc.h"
#include "tz/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RED_LIST_MAX    30  /* rows of the bulletin's red list; the rest are counted */
#define TEXT_MAX        600 /* bytes of a free text kept on a one-page notice */
#define FEEDBACK_DAYS   3   /* working days the unit has to report after a notice */
#define PERIOD_MAX_DAYS 366 /* a bulletin covers at most a year */

static const char *const state_labels[TZ__STATE_COUNT] = {
    [TZ_STATE_DRAFT] = "立项登记",     [TZ_STATE_ASSIGNED] = "已交办（待签收）",
    [TZ_STATE_IN_PROGRESS] = "办理中", [TZ_STATE_SUBMITTED] = "已申请销号",
    [TZ_STATE_CLOSED] = "已销号",      [TZ_STATE_ONGOING] = "长期坚持",
    [TZ_STATE_CANCELLED] = "已撤销",   [TZ_STATE_REGISTERED] = "已登记",
};

static void stage(tz_progress_fn progress, void *arg, int64_t done, int64_t total)
{
    if (progress)
        progress(arg, done, total);
}

/* ---- the issuing office ----------------------------------------------------- */

/*
 * The district (the first root unit, a `district` preferred) and its
 * supervision office: a unit right below it whose name holds 督查室, written
 * as the district's name followed by the office's ("城东区" + "区委区政府督查室"
 * → "城东区委区政府督查室"), else "<district>督查室".
 */
static void issuer(struct tz_call *call, const char **district_out, const char **office_out)
{
    struct tz_unit *units = NULL;
    size_t n = 0;
    struct tz_err ignore;
    const struct tz_unit *root = NULL, *office = NULL;
    if (TZ_STORE(call->conn)->unit_list(call->conn, call->arena, &units, &n, &ignore) != TZ_OK)
        n = 0;
    for (size_t i = 0; i < n; i++)
        if (units[i].parent_id == 0 && (!root || (strcmp(root->kind, "district") != 0 &&
                                                  strcmp(units[i].kind, "district") == 0)))
            root = &units[i];
    for (size_t i = 0; root && i < n; i++)
        if (units[i].parent_id == root->id && strstr(units[i].name, "督查室")) {
            office = &units[i];
            break;
        }
    const char *district = root ? root->name : "本区";
    *district_out = district;
    if (!office) {
        *office_out = tz_arena_printf(call->arena, "%s督查室", district);
        return;
    }
    /* "区委区政府督查室" under "城东区": the shared 区 is written once */
    const char *name = office->name;
    size_t dl = strlen(district);
    if (dl >= 3 && strncmp(name, district + dl - 3, 3) == 0 && strncmp(name, "区", 3) == 0)
        name += 3;
    if (strncmp(name, district, dl) == 0)
        *office_out = tz_arena_strdup(call->arena, name);
    else
        *office_out = tz_arena_printf(call->arena, "%s%s", district, name);
}

static const char *unit_name(struct tz_call *call, int64_t id)
{
    const struct tz_unit *u = id ? tz_ctx_unit(call->ctx, id, call->arena) : NULL;
    return u ? u->name : "";
}

/* ---- the bulletin -------------------------------------------------------------- */

static enum tz_status parse_day(const char *text, const char *field, int32_t *out,
                                struct tz_err *err)
{
    if (!tz_date_parse(text, out))
        return tz_err_field(err, TZ_EINVAL, field, "'%s' must be a date YYYY-MM-DD", field);
    return TZ_OK;
}

enum tz_status tz_app_report_period(struct tz_ctx *ctx, const char *from, const char *to,
                                    int32_t *from_out, int32_t *to_out, struct tz_err *err)
{
    int32_t today = tz_ctx_today(ctx);
    bool has_from = from && *from, has_to = to && *to;
    enum tz_status s = TZ_OK;
    *to_out = today;
    if (has_to)
        s = parse_day(to, "to", to_out, err);
    if (s == TZ_OK && has_from)
        s = parse_day(from, "from", from_out, err);
    if (s != TZ_OK)
        return s;
    if (!has_from)
        *from_out = *to_out - 6;
    if (*from_out > *to_out)
        return tz_err_field(err, TZ_EINVAL, "from", "'from' must not be after 'to'");
    if (*to_out - *from_out >= PERIOD_MAX_DAYS)
        return tz_err_field(err, TZ_EINVAL, "from", "a bulletin covers at most %d days",
                            PERIOD_MAX_DAYS);
    return TZ_OK;
}

static int64_t get_int(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;
    return json_object_object_get_ex(o, key, &v) && v ? json_object_get_int64(v) : 0;
}

static bool get_rate(struct json_object *o, const char *key, double *out)
{
    struct json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !v || json_object_is_type(v, json_type_null))
        return false;
    *out = json_object_get_double(v);
    return true;
}

/* The dashboard's counters, lights by ledger and trend into b (GET /dashboard, as the war map). */
static enum tz_status dashboard_figures(struct tz_call *call, struct tz_bulletin *b,
                                        struct tz_err *err)
{
    struct json_object *dash = NULL;
    enum tz_status s = tz_app_dashboard(call, &dash, err);
    if (s != TZ_OK)
        return s;
    /* the dashboard may be a cached text: read it back as an object */
    size_t len = 0;
    const char *text = tz_json_compact(dash, &len);
    struct json_object *d = tz_json_parse(text, len, err);
    json_object_put(dash);
    if (!d)
        return tz_err_set(err, TZ_EINTERNAL, "the dashboard cannot be read");
    struct json_object *t = json_object_object_get(d, "totals");
    b->open = get_int(t, "open");
    b->green = get_int(t, "green");
    b->yellow = get_int(t, "yellow");
    b->red = get_int(t, "red");
    b->closed = get_int(t, "closed");
    b->overdue = get_int(t, "overdue");
    b->total = b->open + b->closed;
    /* 销号率 as the war map's: closed of open + closed; 按期完成率 the dashboard's own;
     * 逾期率 as the scorecard's: overdue of the items due (closed + overdue) */
    b->has_close_rate = b->total > 0;
    b->close_rate = b->total ? (double)b->closed / (double)b->total : 0;
    b->has_on_time_rate = get_rate(t, "on_time_rate", &b->on_time_rate);
    b->has_overdue_rate = b->closed + b->overdue > 0;
    b->overdue_rate =
        b->has_overdue_rate ? (double)b->overdue / (double)(b->closed + b->overdue) : 0;
    struct json_object *arr = json_object_object_get(d, "by_ledger");
    size_t n = arr ? json_object_array_length(arr) : 0;
    struct tz_bulletin_ledger *ledgers = tz_arena_calloc(call->arena, (n + 1) * sizeof(*ledgers));
    for (size_t i = 0; i < n; i++) {
        struct json_object *r = json_object_array_get_idx(arr, i);
        const char *key = json_object_get_string(json_object_object_get(r, "ledger"));
        const struct tz_ledger_def *def = key ? tz_app_ledger(call->ctx, key) : NULL;
        ledgers[i].name = tz_arena_strdup(call->arena, def ? def->name : key ? key : "");
        ledgers[i].green = get_int(r, "green");
        ledgers[i].yellow = get_int(r, "yellow");
        ledgers[i].red = get_int(r, "red");
        ledgers[i].closed = get_int(r, "closed");
    }
    b->ledgers = ledgers;
    b->n_ledgers = n;
    arr = json_object_object_get(d, "trend");
    n = arr ? json_object_array_length(arr) : 0;
    struct tz_bulletin_month *months = tz_arena_calloc(call->arena, (n + 1) * sizeof(*months));
    for (size_t i = 0; i < n; i++) {
        struct json_object *r = json_object_array_get_idx(arr, i);
        months[i].month = tz_arena_strdup(
            call->arena, json_object_get_string(json_object_object_get(r, "month")));
        months[i].opened = get_int(r, "opened");
        months[i].closed = get_int(r, "closed");
    }
    b->months = months;
    b->n_months = n;
    json_object_put(d);
    return TZ_OK;
}

/* The scorecard's default order on the war map: on-time rate descending (none last), id. */
static int by_on_time_rate(const void *pa, const void *pb)
{
    const struct tz_bulletin_unit *a = pa, *b = pb;
    double ra = a->has_on_time_rate ? a->on_time_rate : -1;
    double rb = b->has_on_time_rate ? b->on_time_rate : -1;
    if (ra != rb)
        return ra > rb ? -1 : 1;
    return 0;
}

struct unit_row {
    struct tz_bulletin_unit u;
    int64_t id;
};

static int unit_row_cmp(const void *pa, const void *pb)
{
    const struct unit_row *a = pa, *b = pb;
    int c = by_on_time_rate(&a->u, &b->u);
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

static enum tz_status unit_figures(struct tz_call *call, struct tz_bulletin *b, struct tz_err *err)
{
    struct json_object *sc = NULL;
    enum tz_status s = tz_app_scorecard(call, &sc, err);
    if (s != TZ_OK)
        return s;
    struct json_object *arr = json_object_object_get(sc, "units");
    size_t n = arr ? json_object_array_length(arr) : 0, k = 0;
    struct unit_row *rows = tz_arena_calloc(call->arena, (n + 1) * sizeof(*rows));
    for (size_t i = 0; i < n; i++) {
        struct json_object *r = json_object_array_get_idx(arr, i);
        int64_t total = get_int(r, "total");
        if (total <= 0)
            continue;
        struct unit_row *row = &rows[k++];
        row->id = get_int(r, "unit_id");
        row->u.name =
            tz_arena_strdup(call->arena, json_object_get_string(json_object_object_get(r, "name")));
        row->u.closed = get_int(r, "closed");
        row->u.open = total - row->u.closed;
        row->u.red = get_int(r, "red");
        row->u.yellow = get_int(r, "yellow");
        row->u.has_on_time_rate = get_rate(r, "on_time_rate", &row->u.on_time_rate);
    }
    json_object_put(sc);
    qsort(rows, k, sizeof(*rows), unit_row_cmp);
    struct tz_bulletin_unit *units = tz_arena_calloc(call->arena, (k + 1) * sizeof(*units));
    for (size_t i = 0; i < k; i++)
        units[i] = rows[i].u;
    b->units = units;
    b->n_units = k;
    return TZ_OK;
}

/* The war map's red list: open red items, the longest overdue first (GET /items). */
static enum tz_status red_figures(struct tz_call *call, struct tz_bulletin *b, struct tz_err *err)
{
    struct tz_list_query q;
    memset(&q, 0, sizeof(q));
    q.filter.states = 1u << TZ_STATE_ASSIGNED | 1u << TZ_STATE_IN_PROGRESS |
                      1u << TZ_STATE_SUBMITTED | 1u << TZ_STATE_ONGOING;
    q.filter.lights = 1u << TZ_LIGHT_RED;
    q.filter.sort = TZ_SORT_DEADLINE;
    q.filter.due_before = TZ_DAY_NONE;
    q.filter.due_after = TZ_DAY_NONE;
    q.filter.supervised_min = -1;
    q.filter.page = 1;
    q.filter.per_page = RED_LIST_MAX;
    q.filter.known_total = -1;
    enum tz_status s = tz_app_list_prepare(call, &q, err);
    struct tz_item *items = NULL;
    size_t n = 0;
    int64_t total = 0;
    if (s == TZ_OK)
        s = TZ_STORE(call->conn)
                ->item_list(call->conn, &q.filter, call->arena, &items, &n, &total, err);
    if (s != TZ_OK)
        return s;
    struct tz_bulletin_red *red = tz_arena_calloc(call->arena, (n + 1) * sizeof(*red));
    for (size_t i = 0; i < n; i++) {
        red[i].code = items[i].code;
        red[i].title = items[i].title;
        red[i].lead_unit = unit_name(call, items[i].lead_unit_id);
        red[i].deadline = items[i].deadline;
        red[i].is_ongoing = items[i].state == TZ_STATE_ONGOING;
        red[i].days_overdue =
            items[i].deadline == TZ_DAY_NONE || red[i].is_ongoing || items[i].deadline >= b->issued
                ? 0
                : (int)(b->issued - items[i].deadline);
    }
    b->red_items = red;
    b->n_red_items = n;
    b->red_total = total;
    return TZ_OK;
}

/* 交办, 销号, 催办 and 督办 events within the period, in the dashboard's scope. */
static enum tz_status period_figures(struct tz_call *call, struct tz_bulletin *b,
                                     struct tz_err *err)
{
    static const char *const actions[] = {"assign", "verify", "remind", "supervise"};
    struct tz_scope scope = {0};
    int64_t counts[4];
    char from[TZ_DATE_BUF], to[TZ_DATE_BUF];
    if (call->actor.roles & (TZ_ROLE_SUPERVISOR | TZ_ROLE_LEADER)) {
        scope.all = true;
    } else {
        scope.units = call->actor.subtree;
        scope.n_units = call->actor.n_subtree;
    }
    enum tz_status s = TZ_STORE(call->conn)
                           ->event_counts(call->conn, &scope, tz_date_format(b->from, from),
                                          tz_date_format(b->to + 1, to), actions, 4, counts, err);
    if (s != TZ_OK)
        return s;
    b->period_assigned = counts[0];
    b->period_closed = counts[1];
    b->period_reminded = counts[2];
    b->period_supervised = counts[3];
    return TZ_OK;
}

enum tz_status tz_app_report_bulletin(struct tz_call *call, const char *from, const char *to,
                                      const char *path, tz_progress_fn progress, void *progress_arg,
                                      struct tz_report_out *out, struct tz_err *err)
{
    struct tz_bulletin b;
    memset(&b, 0, sizeof(b));
    memset(out, 0, sizeof(*out));
    if (!(call->actor.roles & TZ_ROLES_ITEM))
        return tz_err_set(err, TZ_EFORBIDDEN, "the bulletin is for item readers");
    enum tz_status s = tz_app_report_period(call->ctx, from, to, &b.from, &b.to, err);
    if (s != TZ_OK)
        return s;
    b.issued = tz_ctx_today(call->ctx);
    stage(progress, progress_arg, 0, 3);
    issuer(call, &b.district, &b.office);
    if (call->actor.roles & (TZ_ROLE_SUPERVISOR | TZ_ROLE_LEADER))
        b.scope = "全区";
    else
        b.scope =
            tz_arena_printf(call->arena, "%s及下级单位", unit_name(call, call->actor.unit_id));
    s = dashboard_figures(call, &b, err);
    if (s == TZ_OK)
        s = unit_figures(call, &b, err);
    if (s == TZ_OK)
        s = red_figures(call, &b, err);
    if (s == TZ_OK)
        s = period_figures(call, &b, err);
    if (s != TZ_OK)
        return s;
    stage(progress, progress_arg, 1, 3);
    int pages = 0;
    s = tz_report_bulletin_pdf(&b, path, &pages, err);
    if (s != TZ_OK)
        return s;
    stage(progress, progress_arg, 2, 3);
    char period[TZ_DOC_BUF], f[TZ_DATE_BUF], t[TZ_DATE_BUF];
    tz_doc_period(b.from, b.to, period, sizeof(period));
    const char *detail = tz_arena_printf(
        call->arena, "{\"from\":\"%s\",\"to\":\"%s\",\"pages\":%d,\"red\":%lld}",
        tz_date_format(b.from, f), tz_date_format(b.to, t), pages, (long long)b.red_total);
    s = tz_app_audit_alone(call, "report.bulletin", "report:bulletin", detail, err);
    if (s != TZ_OK)
        return s;
    stage(progress, progress_arg, 3, 3);
    out->pages = pages;
    out->file_name =
        tz_arena_printf(call->arena, "%s重点工作推进情况通报（%s）.pdf", b.district, period);
    out->number = NULL;
    return TZ_OK;
}

/* ---- the notice ----------------------------------------------------------------- */

/* Text cut to at most max bytes at a character boundary, with "……" when cut. */
static const char *cut(struct tz_call *call, const char *s, size_t max)
{
    if (!s)
        return "";
    size_t len = strlen(s);
    if (len <= max)
        return s;
    while (max && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return tz_arena_printf(call->arena, "%.*s……", (int)max, s);
}

/* A field's text: a string as it is, a list one element a line (numbered). */
static void field_text(struct json_object *fields, const char *key, struct tz_strbuf *sb)
{
    struct json_object *v = NULL;
    if (!fields || !json_object_object_get_ex(fields, key, &v) || !v)
        return;
    if (json_object_is_type(v, json_type_string)) {
        tz_strbuf_addstr(sb, json_object_get_string(v));
    } else if (json_object_is_type(v, json_type_array)) {
        size_t n = json_object_array_length(v);
        for (size_t i = 0; i < n; i++) {
            struct json_object *e = json_object_array_get_idx(v, i);
            if (json_object_is_type(e, json_type_string))
                tz_strbuf_addf(sb, "%s%s", sb->len ? "；" : "", json_object_get_string(e));
        }
    }
}

/*
 * 督办事项及要求: the office's two newest 督办 (or 批示) comments, the item's measures,
 * and the closing demand with the deadline.
 */
static const char *requirements(struct tz_call *call, const struct tz_item *it, struct tz_err *err)
{
    struct tz_event *ev = NULL;
    size_t n = 0, k = 0;
    struct tz_strbuf sb = TZ_STRBUF_INIT, measures = TZ_STRBUF_INIT;
    char day[TZ_DOC_BUF];
    if (TZ_STORE(call->conn)->event_list(call->conn, it->id, call->arena, &ev, &n, err) != TZ_OK)
        n = 0;
    for (size_t i = n; i-- > 0 && k < 2;) {
        if (strcmp(ev[i].action, "supervise") != 0 && strcmp(ev[i].action, "instruct") != 0)
            continue;
        if (!ev[i].comment || !*ev[i].comment)
            continue;
        int32_t d;
        char ymd[TZ_DATE_BUF];
        snprintf(ymd, sizeof(ymd), "%.10s", ev[i].at);
        bool dated = tz_date_parse(ymd, &d);
        tz_strbuf_addf(
            &sb, "%zu. %s%s%s%s\n", ++k, strcmp(ev[i].action, "instruct") ? "" : "领导批示：",
            cut(call, ev[i].comment, 240), dated ? "（" : "",
            dated ? tz_arena_printf(call->arena, "%s%s）", tz_doc_date(d, day, sizeof(day)),
                                    strcmp(ev[i].action, "instruct") ? "督办" : "")
                  : "");
    }
    struct tz_err ignore;
    const char *ft = tz_app_item_fields_text(call, it, call->arena);
    struct json_object *fields = tz_json_parse(ft, strlen(ft), &ignore);
    field_text(fields, "measures", &measures);
    json_object_put(fields);
    if (measures.len)
        tz_strbuf_addf(&sb, "%zu. 按整改措施逐项落实：%s\n", ++k, cut(call, measures.buf, 400));
    if (it->deadline != TZ_DAY_NONE)
        tz_strbuf_addf(&sb, "%zu. 务必于%s前办结，逾期未办结的，将按程序提级督办，并纳入年度考核。",
                       ++k, tz_doc_date(it->deadline, day, sizeof(day)));
    else
        tz_strbuf_addf(&sb, "%zu. 明确办结时限，倒排工期，确保按期办结。", ++k);
    const char *text = tz_arena_strdup(call->arena, sb.buf);
    tz_strbuf_release(&sb);
    tz_strbuf_release(&measures);
    return text;
}

static const char *status_text(struct tz_call *call, const struct tz_item *it, int32_t today)
{
    const char *when = "";
    if (it->deadline != TZ_DAY_NONE &&
        (it->state == TZ_STATE_ASSIGNED || it->state == TZ_STATE_IN_PROGRESS ||
         it->state == TZ_STATE_SUBMITTED)) {
        int32_t left = it->deadline - today;
        when = left < 0    ? tz_arena_printf(call->arena, "，已逾期%d天", (int)-left)
               : left == 0 ? "，今日到期"
                           : tz_arena_printf(call->arena, "，距办结时限%d天", (int)left);
    }
    static const char *const lights[TZ__LIGHT_COUNT] = {
        [TZ_LIGHT_NONE] = "",      [TZ_LIGHT_GREEN] = "，绿灯", [TZ_LIGHT_YELLOW] = "，黄灯",
        [TZ_LIGHT_RED] = "，红灯", [TZ_LIGHT_DONE] = "",
    };
    return tz_arena_printf(
        call->arena, "%s，进度%d%%%s%s%s", state_labels[it->state], it->progress, lights[it->light],
        when, it->supervised ? tz_arena_printf(call->arena, "，已督办%d次", it->supervised) : "");
}

enum tz_status tz_app_report_notice(struct tz_call *call, int64_t id, const char *path,
                                    tz_progress_fn progress, void *progress_arg,
                                    struct tz_report_out *out, struct tz_err *err)
{
    struct tz_item it;
    struct tz_notice n;
    memset(&n, 0, sizeof(n));
    memset(out, 0, sizeof(*out));
    enum tz_status s = tz_app_lights_current(call, err);
    if (s == TZ_OK)
        s = tz_app_item_load_visible(call, id, &it, err);
    if (s != TZ_OK)
        return s;
    /* who may print: whoever sees the item (supervisors, leaders, its units); see DECISIONS */
    if (it.state != TZ_STATE_ASSIGNED && it.state != TZ_STATE_IN_PROGRESS &&
        it.state != TZ_STATE_SUBMITTED && it.state != TZ_STATE_ONGOING)
        return tz_err_set(err, TZ_ETRANSITION, "a 督办单 is for an open item, this one is %s",
                          tz_state_name(it.state));
    stage(progress, progress_arg, 0, 3);
    int32_t today = tz_ctx_today(call->ctx);
    const char *district = NULL;
    issuer(call, &district, &n.office);
    n.grade =
        tz_doc_notice_grade(it.supervised, it.light == TZ_LIGHT_YELLOW, it.light == TZ_LIGHT_RED);
    int year = 0;
    int64_t seq = 0;
    s = TZ_APP_BEGIN(call, err);
    if (s == TZ_OK) {
        s = TZ_STORE(call->conn)
                ->notice_number(call->conn, it.id, (int)n.grade, today, call->actor.user_id, &year,
                                &seq, &n.issued, err);
        s = tz_app_end(call, s, err);
    }
    if (s != TZ_OK)
        return s;
    char short_name[TZ_DOC_BUF * 2], number[TZ_DOC_BUF * 2];
    tz_doc_short_name(district, short_name, sizeof(short_name));
    n.number = tz_arena_strdup(call->arena,
                               tz_doc_notice_number(short_name, year, seq, number, sizeof(number)));
    const struct tz_ledger_def *def = tz_app_ledger(call->ctx, it.ledger);
    n.ledger_name = def ? def->name : it.ledger;
    n.code = it.code;
    n.title = cut(call, it.title, 300);
    n.lead_unit = unit_name(call, it.lead_unit_id);
    struct tz_strbuf co = TZ_STRBUF_INIT;
    for (size_t i = 0; i < it.n_co_units; i++)
        tz_strbuf_addf(&co, "%s%s", i ? "、" : "", unit_name(call, it.co_unit_ids[i]));
    n.co_units = tz_arena_strdup(call->arena, co.buf ? co.buf : "");
    tz_strbuf_release(&co);
    n.leader = it.leader;
    n.problem = cut(call, it.description, TEXT_MAX);
    n.requirements = requirements(call, &it, err);
    n.status_text = status_text(call, &it, today);
    n.deadline = it.deadline;
    pthread_rwlock_rdlock(&call->ctx->lock);
    n.feedback_by = tz_calendar_add_workdays(call->ctx->cal, today, FEEDBACK_DAYS);
    pthread_rwlock_unlock(&call->ctx->lock);
    if (it.deadline != TZ_DAY_NONE && it.deadline >= today && it.deadline < n.feedback_by)
        n.feedback_by = it.deadline;
    stage(progress, progress_arg, 1, 3);
    s = tz_report_notice_pdf(&n, path, err);
    if (s != TZ_OK)
        return s;
    stage(progress, progress_arg, 2, 3);
    struct tz_strbuf d = TZ_STRBUF_INIT;
    tz_strbuf_addstr(&d, "{\"number\":");
    tz_strbuf_add_json_str(&d, n.number, strlen(n.number));
    tz_strbuf_addf(&d, ",\"grade\":\"%s\",\"code\":", tz_doc_grade_name(n.grade));
    tz_strbuf_add_json_str(&d, it.code, strlen(it.code));
    tz_strbuf_addch(&d, '}');
    s = tz_app_audit_alone(call, "item.notice",
                           tz_arena_printf(call->arena, "item:%lld", (long long)id), d.buf, err);
    tz_strbuf_release(&d);
    if (s != TZ_OK)
        return s;
    stage(progress, progress_arg, 3, 3);
    out->pages = 1;
    out->number = n.number;
    out->file_name = tz_arena_printf(call->arena, "督办通知单-%s.pdf", it.code);
    return TZ_OK;
}

enum tz_status tz_app_item_id_by_code(struct tz_call *call, const char *code, int64_t *id_out,
                                      struct tz_err *err)
{
    struct tz_list_query q;
    memset(&q, 0, sizeof(q));
    q.filter.q = code;
    q.filter.sort = TZ_SORT_DEADLINE;
    q.filter.due_before = TZ_DAY_NONE;
    q.filter.due_after = TZ_DAY_NONE;
    q.filter.supervised_min = -1;
    q.filter.page = 1;
    q.filter.per_page = 200;
    q.filter.known_total = -1;
    struct tz_item *items = NULL;
    size_t n = 0;
    int64_t total = 0;
    *id_out = 0;
    enum tz_status s = tz_app_list_prepare(call, &q, err);
    if (s == TZ_OK)
        s = TZ_STORE(call->conn)
                ->item_list(call->conn, &q.filter, call->arena, &items, &n, &total, err);
    if (s != TZ_OK)
        return s;
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].code, code) == 0) {
            *id_out = items[i].id;
            return TZ_OK;
        }
    return tz_err_set(err, TZ_ENOTFOUND, "no item '%s'", code);
}
