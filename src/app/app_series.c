/*
 * app_series.c - what an item reports period by period (SPEC 4 `GET|PUT
 * /items/{id}/series/{period}`): the monthly values of an economic indicator
 * and the samples of a monitored water section or the AQI of an eco-
 * environment problem. A period is a month, "YYYY-MM".
 *
 * An indicator's period is {value, target, yoy, note}: value is the year-to-
 * date figure in the indicator's unit, target the growth target in percent
 * (when absent, the item's annual_target if that is a growth rate), yoy the
 * cumulative growth in percent, all as reported (DOMAIN 7.1: growth is never
 * recomputed from absolutes). January is reported with February ("1-2月",
 * period YYYY-02) unless the ledger's jan_feb_combined setting is off. Each
 * period is judged by DOMAIN 7.3 (pace.h); the latest one sets the item's
 * pace_light.
 *
 * A monitoring period is {<item>: value, ..., aqi, section, note}: the GB 3838
 * basic items by code or Chinese name (do, cod_mn, cod, bod5, nh3_n, tp, tn,
 * ph; 氨氮 ...), values exact to a thousandth. The sample's class (single-
 * factor) is compared with the item's target_class; the latest period sets
 * water_class, complies and exceed on the item (monitor.h).
 *
 * A PUT is one transaction: the period, then the item with its new summary,
 * light and version, an event "series" and its audit entry.
 */
#include "app_internal.h"
#include "tz/date.h"
#include "tz/json.h"
#include "tz/loop.h"
#include "tz/monitor.h"
#include "tz/pace.h"

#include <stdio.h>
#include <string.h>

#define MAX_NOTE    2000
#define MAX_SECTION 200

enum series_kind { SERIES_NONE, SERIES_INDICATOR, SERIES_MONITOR };

static enum series_kind kind_of(const struct tz_item *it)
{
    if (strcmp(it->ledger, "indicator") == 0)
        return SERIES_INDICATOR;
    if (strcmp(it->ledger, "eco_problem") == 0)
        return SERIES_MONITOR;
    return SERIES_NONE;
}

/* "YYYY-MM" of a period code yyyymm; false when the code is not a month of 1900-2999. */
static bool period_text(int period, char out[8])
{
    int y = period / 100, m = period % 100;
    if (y < 1900 || y > 2999 || m < 1 || m > 12)
        return false;
    snprintf(out, 8, "%04d-%02d", y, m);
    return true;
}

static int period_month(const char *text)
{
    return (text[5] - '0') * 10 + (text[6] - '0');
}

static int period_year(const char *text)
{
    return (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
}

static struct json_object *get_key(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;
    return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static bool is_number(struct json_object *v)
{
    return v && (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double));
}

/* A number of the row in hundredths, TZ_PACE_NONE when absent. */
static int64_t row_cents(struct json_object *row, const char *key)
{
    struct json_object *v = get_key(row, key);
    struct tz_err ignore;
    int64_t out = 0;
    if (!is_number(v) || tz_pace_cents(json_object_get_double(v), key, &out, &ignore) != TZ_OK)
        return TZ_PACE_NONE;
    return out;
}

/* ---- indicators ------------------------------------------------------------ */

static enum tz_status decode_indicator(struct tz_call *call, const char *period,
                                       struct json_object *body, struct json_object *row,
                                       struct tz_err *err)
{
    static const char *const keys[] = {"value", "target", "yoy", "note", NULL};
    enum tz_status s = tz_json_only_keys(body, keys, err);
    if (s != TZ_OK)
        return s;
    struct tz_pace_rules r;
    tz_rules_pace(call->ctx, "indicator", &r);
    if (r.jan_feb_combined && period_month(period) == 1)
        return tz_err_field(err, TZ_EINVAL, "period",
                            "January is reported with February (1-2月): use %.4s-02", period);
    static const char *const numbers[] = {"value", "target", "yoy"};
    for (size_t i = 0; i < 3; i++) {
        struct json_object *v = get_key(body, numbers[i]);
        int64_t cents = 0;
        if (!v)
            continue;
        if (!is_number(v))
            return tz_err_field(err, TZ_EINVAL, numbers[i], "'%s' must be a number", numbers[i]);
        s = tz_pace_cents(json_object_get_double(v), numbers[i], &cents, err);
        if (s != TZ_OK)
            return s;
        json_object_object_add(row, numbers[i], json_object_get(v)); /* kept as written */
    }
    if (!get_key(row, "value") && !get_key(row, "yoy"))
        return tz_err_field(err, TZ_EINVAL, "value", "a period needs 'value' or 'yoy'");
    const char *note = NULL;
    bool present = false;
    s = tz_json_get_str(body, "note", &note, &present, err);
    if (s == TZ_OK && present && strlen(note) > MAX_NOTE)
        s = tz_err_field(err, TZ_EINVAL, "note", "'note' is too long");
    if (s == TZ_OK && present)
        json_object_object_add(row, "note", json_object_new_string(note));
    return s;
}

/*
 * Is the item's annual_target a growth rate (增速, in percent) rather than a
 * year's total (总量)? target_kind says; without it, a unit of measure "%"
 * means a growth rate.
 */
static bool is_growth_target(struct json_object *fields)
{
    struct json_object *kind = get_key(fields, "target_kind"),
                       *unit = get_key(fields, "unit_of_measure");
    if (kind && json_object_is_type(kind, json_type_string))
        return strcmp(json_object_get_string(kind), "增速") == 0;
    return unit && json_object_is_type(unit, json_type_string) &&
           strcmp(json_object_get_string(unit), "%") == 0;
}

/*
 * Judges period i of rows (DOMAIN 7.3): against the annual target when the item
 * has one and the period a value, against the growth target when the period
 * has yoy and target; the worse light wins and both reasons are kept. False
 * when neither applies.
 */
static bool judge_indicator(struct tz_ctx *ctx, struct json_object *fields,
                            const struct tz_series_row *rows, size_t i, enum tz_light *light,
                            char *reason, size_t size)
{
    struct tz_pace_rules r;
    tz_rules_pace(ctx, "indicator", &r);
    struct tz_err ignore;
    struct json_object *row = tz_json_parse(rows[i].data, strlen(rows[i].data), &ignore);
    struct json_object *target = get_key(fields, "annual_target");
    bool judged = false;
    *light = TZ_LIGHT_NONE;
    reason[0] = '\0';
    struct tz_pace_verdict v;
    char text[TZ_PACE_REASON_SIZE];
    int64_t annual = TZ_PACE_NONE;
    if (is_number(target))
        tz_pace_cents(json_object_get_double(target), "annual_target", &annual, &ignore);
    bool growth_target = is_growth_target(fields);
    struct tz_pace_plan plan = {
        .month = period_month(rows[i].period),
        .value = row_cents(row, "value"),
        .annual_target = growth_target ? TZ_PACE_NONE : annual,
    };
    if (plan.value != TZ_PACE_NONE && plan.annual_target != TZ_PACE_NONE &&
        plan.annual_target > 0 &&
        tz_pace_judge_plan(&r, &plan, &v, text, sizeof(text), &ignore) == TZ_OK) {
        judged = true;
        *light = v.light;
        snprintf(reason, size, "%s", text);
    }
    struct tz_pace_growth g = {
        .yoy_bp = row_cents(row, "yoy"),
        .target_bp = row_cents(row, "target"),
        .prev_yoy_bp = TZ_PACE_NONE,
    };
    /* a period without its own growth target is judged against the annual one */
    if (g.target_bp == TZ_PACE_NONE && growth_target)
        g.target_bp = annual;
    /* 正转负 compares with the previous cumulative period of the same year */
    if (i > 0 && period_year(rows[i - 1].period) == period_year(rows[i].period)) {
        struct json_object *prev =
            tz_json_parse(rows[i - 1].data, strlen(rows[i - 1].data), &ignore);
        g.prev_yoy_bp = row_cents(prev, "yoy");
        json_object_put(prev);
    }
    if (g.yoy_bp != TZ_PACE_NONE && g.target_bp != TZ_PACE_NONE &&
        tz_pace_judge_growth(&r, &g, &v, text, sizeof(text), &ignore) == TZ_OK) {
        if (!judged || v.light > *light)
            *light = v.light;
        size_t used = strlen(reason);
        snprintf(reason + used, size - used, "%s%s", judged ? "；" : "", text);
        judged = true;
    }
    json_object_put(row);
    return judged;
}

/* ---- monitoring ------------------------------------------------------------ */

static enum tz_status decode_monitor(struct json_object *body, struct json_object *row,
                                     struct tz_err *err)
{
    struct tz_monitor_sample sample;
    tz_monitor_sample_init(&sample);
    bool has_value = false;
    enum tz_status s = TZ_OK;
    json_object_object_foreach(body, key, v)
    {
        if (strcmp(key, "section") == 0 || strcmp(key, "note") == 0) {
            size_t max = key[0] == 's' ? MAX_SECTION : MAX_NOTE;
            if (!json_object_is_type(v, json_type_string) ||
                (size_t)json_object_get_string_len(v) > max)
                return tz_err_field(err, TZ_EINVAL, key, "'%s' must be text of at most %zu bytes",
                                    key, max);
            json_object_object_add(row, key, json_object_get(v));
            continue;
        }
        if (strcmp(key, "aqi") == 0) {
            struct tz_monitor_aqi_band band;
            if (!json_object_is_type(v, json_type_int))
                return tz_err_field(err, TZ_EINVAL, "aqi", "'aqi' must be a whole number");
            int64_t aqi = json_object_get_int64(v);
            if (aqi < 0 || aqi > 500)
                return tz_err_field(err, TZ_EINVAL, "aqi", "'aqi' must be 0 to 500");
            s = tz_monitor_aqi_band((int)aqi, &band, err);
            if (s != TZ_OK)
                return s;
            json_object_object_add(row, "aqi", json_object_get(v));
            has_value = true;
            continue;
        }
        enum tz_monitor_item item;
        s = tz_monitor_item_parse(key, &item, err);
        if (s != TZ_OK)
            return s;
        /* a number as written, or its text: exact to a thousandth, else refused */
        if (!is_number(v) && !json_object_is_type(v, json_type_string))
            return tz_err_field(err, TZ_EINVAL, key, "'%s' must be a number", key);
        int64_t milli = 0;
        s = tz_monitor_milli_parse(json_object_get_string(v), key, &milli, err);
        if (s == TZ_OK)
            s = tz_monitor_sample_set(&sample, item, milli, err);
        if (s != TZ_OK)
            return s;
        char text[24];
        tz_monitor_milli_format(milli, text, sizeof(text));
        json_object_object_add(row, tz_monitor_item_code(item),
                               json_object_new_double_s((double)milli / 1000.0, text));
        has_value = true;
    }
    if (!has_value)
        return tz_err_field(
            err, TZ_EINVAL, "nh3_n",
            "a sample needs at least one monitored item (nh3_n, tp, do, ...) or aqi");
    return TZ_OK;
}

/* The evaluation of one monitoring period. */
struct monitor_eval {
    bool has_water, has_target, complies, has_aqi;
    struct tz_monitor_water_result water;
    struct tz_monitor_exceed exceed;
    enum tz_monitor_class target;
    struct tz_monitor_aqi_band aqi;
};

static void evaluate_monitor(struct json_object *fields, struct json_object *row,
                             struct monitor_eval *e)
{
    struct tz_err ignore;
    struct tz_monitor_sample sample;
    memset(e, 0, sizeof(*e));
    tz_monitor_sample_init(&sample);
    for (int i = 0; i < TZ_MONITOR_N_ITEMS; i++) {
        struct json_object *v = get_key(row, tz_monitor_item_code((enum tz_monitor_item)i));
        if (v)
            tz_monitor_sample_set_text(&sample, tz_monitor_item_code((enum tz_monitor_item)i),
                                       json_object_get_string(v), &ignore);
    }
    enum tz_monitor_body body = TZ_MONITOR_BODY_RIVER;
    struct json_object *b = get_key(fields, "water_body");
    if (b && json_object_is_type(b, json_type_string))
        tz_monitor_body_parse(json_object_get_string(b), &body, &ignore);
    e->has_water = tz_monitor_water_eval(&sample, body, &e->water, &ignore) == TZ_OK;
    struct json_object *t = get_key(fields, "target_class");
    e->has_target =
        e->has_water && t && json_object_is_type(t, json_type_string) &&
        tz_monitor_class_parse(json_object_get_string(t), &e->target, &ignore) == TZ_OK &&
        tz_monitor_water_exceed(&sample, body, e->target, &e->exceed, &ignore) == TZ_OK;
    e->complies = e->has_target && tz_monitor_complies(e->water.cls, e->target);
    struct json_object *aqi = get_key(row, "aqi");
    e->has_aqi = aqi && json_object_is_type(aqi, json_type_int) &&
                 tz_monitor_aqi_band(json_object_get_int(aqi), &e->aqi, &ignore) == TZ_OK;
}

/* "氨氮超标0.62倍" or, for DO and pH, "溶解氧未达Ⅲ类". */
static void factor_text(const struct tz_monitor_factor *f, enum tz_monitor_class target, char *out,
                        size_t size)
{
    char m[24];
    if (f->has_multiple)
        snprintf(out, size, "%s超标%s倍", tz_monitor_item_name(f->item),
                 tz_monitor_milli_format(f->multiple_milli, m, sizeof(m)));
    else
        snprintf(out, size, "%s未达%s", tz_monitor_item_name(f->item),
                 tz_monitor_class_label(target));
}

static struct json_object *monitor_eval_json(const struct monitor_eval *e)
{
    struct json_object *o = json_object_new_object();
    char buf[64];
    json_object_object_add(
        o, "water_class",
        e->has_water ? json_object_new_string(tz_monitor_class_label(e->water.cls)) : NULL);
    json_object_object_add(o, "target_class",
                           e->has_target ? json_object_new_string(tz_monitor_class_label(e->target))
                                         : NULL);
    json_object_object_add(o, "complies",
                           e->has_target ? json_object_new_boolean(e->complies) : NULL);
    struct json_object *ex = json_object_new_array();
    for (size_t i = 0; e->has_target && i < e->exceed.n; i++) {
        const struct tz_monitor_factor *f = &e->exceed.f[i];
        struct json_object *j = json_object_new_object();
        json_object_object_add(j, "item", json_object_new_string(tz_monitor_item_code(f->item)));
        json_object_object_add(j, "name", json_object_new_string(tz_monitor_item_name(f->item)));
        json_object_object_add(j, "class",
                               json_object_new_string(tz_monitor_class_label(f->item_class)));
        tz_monitor_milli_format(f->value_milli, buf, sizeof(buf));
        json_object_object_add(j, "value", json_object_new_string(buf));
        tz_monitor_milli_format(f->limit_milli, buf, sizeof(buf));
        json_object_object_add(j, "limit", json_object_new_string(buf));
        if (f->has_multiple) {
            tz_monitor_milli_format(f->multiple_milli, buf, sizeof(buf));
            json_object_object_add(j, "multiple", json_object_new_string(buf));
        }
        json_object_array_add(ex, j);
    }
    json_object_object_add(o, "exceed", ex);
    if (e->has_aqi) {
        struct json_object *a = json_object_new_object();
        json_object_object_add(a, "level", json_object_new_int(e->aqi.level));
        json_object_object_add(a, "grade", json_object_new_string(e->aqi.grade));
        json_object_object_add(a, "category", json_object_new_string(e->aqi.category));
        json_object_object_add(a, "color", json_object_new_string(e->aqi.color));
        json_object_object_add(o, "aqi", a);
    }
    return o;
}

/* ---- the item's summary ---------------------------------------------------- */

static const char *const summary_keys[] = {"latest_period", "pace_light", "pace_reason",
                                           "water_class",   "complies",   "exceed",
                                           "aqi_category"};

enum tz_status tz_series_summarize(struct tz_call *call, const struct tz_item *it,
                                   struct json_object *fields, struct tz_err *err)
{
    for (size_t k = 0; k < sizeof(summary_keys) / sizeof(summary_keys[0]); k++)
        json_object_object_del(fields, summary_keys[k]);
    struct tz_series_row *rows = NULL;
    size_t n = 0;
    if (!it->id || kind_of(it) == SERIES_NONE)
        return TZ_OK;
    enum tz_status s =
        TZ_STORE(call->conn)->series_list(call->conn, it->id, call->arena, &rows, &n, err);
    if (s != TZ_OK || n == 0)
        return s;
    const struct tz_series_row *last = &rows[n - 1];
    json_object_object_add(fields, "latest_period", json_object_new_string(last->period));
    if (kind_of(it) == SERIES_INDICATOR) {
        enum tz_light light;
        char reason[2 * TZ_PACE_REASON_SIZE];
        if (judge_indicator(call->ctx, fields, rows, n - 1, &light, reason, sizeof(reason))) {
            json_object_object_add(fields, "pace_light",
                                   json_object_new_string(tz_light_name(light)));
            json_object_object_add(fields, "pace_reason", json_object_new_string(reason));
        }
        return TZ_OK;
    }
    struct tz_err ignore;
    struct json_object *row = tz_json_parse(last->data, strlen(last->data), &ignore);
    struct monitor_eval e;
    evaluate_monitor(fields, row, &e);
    json_object_put(row);
    if (e.has_water)
        json_object_object_add(fields, "water_class",
                               json_object_new_string(tz_monitor_class_label(e.water.cls)));
    if (e.has_target) {
        json_object_object_add(fields, "complies", json_object_new_boolean(e.complies));
        struct json_object *ex = json_object_new_array();
        for (size_t i = 0; i < e.exceed.n; i++) {
            char text[96];
            factor_text(&e.exceed.f[i], e.target, text, sizeof(text));
            json_object_array_add(ex, json_object_new_string(text));
        }
        json_object_object_add(fields, "exceed", ex);
    }
    if (e.has_aqi)
        json_object_object_add(fields, "aqi_category", json_object_new_string(e.aqi.category));
    return TZ_OK;
}

/* ---- use cases ------------------------------------------------------------- */

/* One period as the API shows it: {period, data, evaluation, updated_at, updated_by}. */
static struct json_object *row_json(struct tz_call *call, const struct tz_item *it,
                                    const struct tz_series_row *rows, size_t i)
{
    struct tz_err ignore;
    struct json_object *o = json_object_new_object();
    struct json_object *data = tz_json_parse(rows[i].data, strlen(rows[i].data), &ignore);
    struct json_object *fields = tz_rules_fields(it);
    json_object_object_add(o, "period", json_object_new_string(rows[i].period));
    struct json_object *eval = NULL;
    if (kind_of(it) == SERIES_INDICATOR) {
        enum tz_light light;
        char reason[2 * TZ_PACE_REASON_SIZE];
        if (judge_indicator(call->ctx, fields, rows, i, &light, reason, sizeof(reason))) {
            eval = json_object_new_object();
            json_object_object_add(eval, "light", json_object_new_string(tz_light_name(light)));
            json_object_object_add(eval, "reason", json_object_new_string(reason));
        }
    } else {
        struct monitor_eval e;
        evaluate_monitor(fields, data, &e);
        eval = monitor_eval_json(&e);
    }
    json_object_object_add(o, "data", data ? data : json_object_new_object());
    json_object_object_add(o, "evaluation", eval);
    json_object_object_add(o, "updated_at", json_object_new_string(rows[i].updated_at));
    json_object_object_add(o, "updated_by", json_object_new_int64(rows[i].updated_by));
    json_object_put(fields);
    return o;
}

static enum tz_status load_series_item(struct tz_call *call, int64_t id, struct tz_item *it,
                                       struct tz_err *err)
{
    enum tz_status s = tz_app_lights_current(call, err);
    if (s == TZ_OK)
        s = tz_app_item_load_visible(call, id, it, err);
    if (s == TZ_OK && kind_of(it) == SERIES_NONE)
        s = tz_err_set(err, TZ_ENOTFOUND, "items of ledger '%s' have no series", it->ledger);
    return s;
}

enum tz_status tz_app_series_list(struct tz_call *call, int64_t id, struct json_object **out,
                                  struct tz_err *err)
{
    struct tz_item it;
    struct tz_series_row *rows = NULL;
    size_t n = 0;
    enum tz_status s = load_series_item(call, id, &it, err);
    if (s == TZ_OK)
        s = TZ_STORE(call->conn)->series_list(call->conn, id, call->arena, &rows, &n, err);
    if (s != TZ_OK)
        return s;
    struct json_object *list = json_object_new_array();
    for (size_t i = 0; i < n; i++)
        json_object_array_add(list, row_json(call, &it, rows, i));
    *out = json_object_new_object();
    json_object_object_add(*out, "item_id", json_object_new_int64(id));
    json_object_object_add(*out, "series", list);
    return TZ_OK;
}

/* The index of period in rows, or n. */
static size_t find_period(const struct tz_series_row *rows, size_t n, const char *period)
{
    size_t i = 0;
    while (i < n && strcmp(rows[i].period, period) != 0)
        i++;
    return i;
}

enum tz_status tz_app_series_get(struct tz_call *call, int64_t id, int period,
                                 struct json_object **out, struct tz_err *err)
{
    struct tz_item it;
    struct tz_series_row *rows = NULL;
    size_t n = 0;
    char text[8];
    enum tz_status s = load_series_item(call, id, &it, err);
    if (s != TZ_OK)
        return s;
    if (!period_text(period, text))
        return tz_err_field(err, TZ_EINVAL, "period", "a period is a month, YYYY-MM");
    s = TZ_STORE(call->conn)->series_list(call->conn, id, call->arena, &rows, &n, err);
    if (s != TZ_OK)
        return s;
    size_t i = find_period(rows, n, text);
    if (i == n)
        return tz_err_set(err, TZ_ENOTFOUND, "nothing reported for %s", text);
    *out = row_json(call, &it, rows, i);
    return TZ_OK;
}

/* Who reports a period: the supervision office, or the lead unit's managers and staff. */
static bool may_report(struct tz_call *call, const struct tz_item *it)
{
    if (call->actor.roles & TZ_ROLE_SUPERVISOR)
        return true;
    return (call->actor.roles & (TZ_ROLE_MANAGER | TZ_ROLE_STAFF)) &&
           tz_loop_is_lead(it, &call->actor);
}

bool tz_series_may_report(struct tz_call *call, const struct tz_item *it)
{
    return kind_of(it) != SERIES_NONE && may_report(call, it) && it->state != TZ_STATE_CLOSED &&
           it->state != TZ_STATE_CANCELLED;
}

enum tz_status tz_app_series_put(struct tz_call *call, int64_t id, int period, const char *text,
                                 size_t len, struct json_object **out, struct tz_err *err)
{
    struct tz_item cur;
    char ptext[8];
    enum tz_status s = load_series_item(call, id, &cur, err);
    if (s != TZ_OK)
        return s;
    struct json_object *body = tz_json_parse_object(text, len, err);
    if (!body)
        return err->code;
    struct json_object *row = json_object_new_object();
    if (!period_text(period, ptext))
        s = tz_err_field(err, TZ_EINVAL, "period", "a period is a month, YYYY-MM");
    else if (kind_of(&cur) == SERIES_INDICATOR)
        s = decode_indicator(call, ptext, body, row, err);
    else
        s = decode_monitor(body, row, err);
    if (s == TZ_OK && !may_report(call, &cur))
        s = tz_err_set(err, TZ_EFORBIDDEN,
                       "only the supervision office and the lead unit report a period");
    if (s == TZ_OK && (cur.state == TZ_STATE_CLOSED || cur.state == TZ_STATE_CANCELLED))
        s = tz_err_set(err, TZ_ECONFLICT, "a %s item takes no more reports",
                       tz_state_name(cur.state));
    struct tz_series_row r = {
        .period = ptext,
        .data = tz_arena_strdup(call->arena, tz_json_compact(row, NULL)),
        .updated_at = tz_ctx_now(call->ctx, call->arena),
        .updated_by = call->user.id,
    };
    json_object_put(row);
    json_object_put(body);
    if (s != TZ_OK)
        return s;

    /* the period, then the item with its new summary: one transaction */
    s = TZ_APP_BEGIN(call, err);
    if (s != TZ_OK)
        return s;
    struct tz_item before, next;
    s = TZ_STORE(call->conn)->item_get(call->conn, id, call->arena, &before, err);
    if (s == TZ_OK)
        s = TZ_STORE(call->conn)->series_put(call->conn, id, &r, err);
    next = before;
    if (s == TZ_OK)
        s = tz_rules_apply(call, &next, err);
    if (s == TZ_OK) {
        struct tz_action_req req = {
            .action = TZ_ACTION_REPORT,
            .comment = tz_arena_printf(call->arena, "%s 数据", ptext),
        };
        next.updated_at = r.updated_at;
        next.version = before.version + 1;
        next.light = tz_app_item_light(call->ctx, &next, tz_ctx_today(call->ctx));
        s = tz_app_item_record(call, &before, &next, "series", &req, err);
    }
    s = tz_app_end(call, s, err);
    if (s != TZ_OK)
        return s;
    struct tz_series_row *rows = NULL;
    size_t n = 0;
    s = TZ_STORE(call->conn)->series_list(call->conn, id, call->arena, &rows, &n, err);
    if (s != TZ_OK)
        return s;
    size_t i = find_period(rows, n, ptext);
    if (i == n)
        return tz_err_set(err, TZ_EINTERNAL, "the period written is not there");
    *out = row_json(call, &next, rows, i);
    json_object_object_add(*out, "item", tz_app_item_json(call, &next));
    return TZ_OK;
}
