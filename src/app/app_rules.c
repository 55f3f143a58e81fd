/*
 * app_rules.c - the rules of SPEC 3 that follow from an item's kind-specific
 * fields: what the server derives when fields are written (a risk point's
 * level, a livelihood project's progress, a 重大 hazard's 督办), what raises an
 * open item's light (an overdue milestone, investment behind the time
 * progress, an indicator behind its pace, a water section worse than its
 * target), what blocks accept (the 五到位 plan), and what an item shows beside
 * its fields (a petition's statutory clocks, a project's pace).
 *
 * The arithmetic lives in the pure core (risk.h, petition.h, pace.h,
 * monitor.h); this file reads the fields and the ledger's settings and hands
 * them over. Settings are the ledger's "settings" object; every one has the
 * documented default of docs/DECISIONS.md.
 */
#include "app_internal.h"
#include "tz/date.h"
#include "tz/json.h"
#include "tz/pace.h"
#include "tz/petition.h"
#include "tz/risk.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct json_object *tz_rules_fields(const struct tz_item *it)
{
    struct tz_err ignore;
    const char *text = it->fields_json ? it->fields_json : "{}";
    struct json_object *o = tz_json_parse(text, strlen(text), &ignore);
    if (o && !json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        o = NULL;
    }
    return o ? o : json_object_new_object();
}

static bool is_ledger(const struct tz_item *it, const char *key)
{
    return strcmp(it->ledger, key) == 0;
}

static const char *str_field(struct json_object *fields, const char *key)
{
    struct json_object *v = NULL;
    return json_object_object_get_ex(fields, key, &v) && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : NULL;
}

/* A date field as a day number, TZ_DAY_NONE when absent or not a date. */
static int32_t day_field(struct json_object *fields, const char *key)
{
    const char *s = str_field(fields, key);
    int32_t day;
    return s && tz_date_parse(s, &day) ? day : TZ_DAY_NONE;
}

/* A money or decimal field in hundredths, TZ_PACE_NONE when absent or not a number. */
static int64_t cents_field(struct json_object *fields, const char *key)
{
    struct json_object *v = NULL;
    struct tz_err ignore;
    int64_t out = 0;
    if (!json_object_object_get_ex(fields, key, &v) || !v ||
        !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
        return TZ_PACE_NONE;
    return tz_pace_cents(json_object_get_double(v), key, &out, &ignore) == TZ_OK ? out
                                                                                 : TZ_PACE_NONE;
}

/* ---- settings ------------------------------------------------------------ */

static int32_t band_setting(const struct tz_ledger_def *def, const char *key, int32_t dflt)
{
    int64_t v = tz_ledger_setting_int(def, key, dflt);
    return v < 0 || v > TZ_PACE_BP_FULL ? dflt : (int32_t)v;
}

/* The pace rules of a ledger: DOMAIN 7.3's defaults, overridden by its settings. */
static void pace_rules(const struct tz_ledger_def *def, struct tz_pace_rules *r)
{
    tz_pace_rules_init(r);
    r->growth.yellow_over_bp = band_setting(def, "growth_yellow_over_bp", r->growth.yellow_over_bp);
    r->growth.red_over_bp = band_setting(def, "growth_red_over_bp", r->growth.red_over_bp);
    r->plan.yellow_over_bp = band_setting(def, "plan_yellow_over_bp", r->plan.yellow_over_bp);
    r->plan.red_over_bp = band_setting(def, "plan_red_over_bp", r->plan.red_over_bp);
    r->project.yellow_over_bp = band_setting(def, "pace_yellow_over_bp", r->project.yellow_over_bp);
    r->project.red_over_bp = band_setting(def, "pace_red_over_bp", r->project.red_over_bp);
    r->negative_growth_red = tz_ledger_setting_bool(def, "negative_growth_red", true);
    r->sign_flip_red = tz_ledger_setting_bool(def, "sign_flip_red", true);
    r->jan_feb_combined = tz_ledger_setting_bool(def, "jan_feb_combined", true);
    enum tz_pace_phase from;
    if (tz_pace_phase_parse(tz_ledger_setting_str(def, "judged_from_phase", "新开工"), &from) &&
        from != TZ_PACE_PHASE_NONE)
        r->project_judged_from = from;
    struct tz_err ignore;
    if (tz_pace_rules_check(r, &ignore) != TZ_OK)
        tz_pace_rules_init(r); /* a nonsensical band falls back to the defaults, whole */
}

void tz_rules_pace(struct tz_ctx *ctx, const char *ledger, struct tz_pace_rules *r)
{
    pace_rules(tz_app_ledger(ctx, ledger), r);
}

/* ---- a project's investment against the time progress ---------------------- */

/*
 * The project's pace today (DOMAIN 7.2, 8.3): false when the project has no
 * annual plan or completed investment recorded yet, or a phase not judged.
 */
static bool project_pace(struct tz_ctx *ctx, struct json_object *fields, int32_t today,
                         struct tz_pace_verdict *v, char reason[TZ_PACE_REASON_SIZE])
{
    struct tz_pace_rules r;
    pace_rules(tz_app_ledger(ctx, "project"), &r);
    struct tz_pace_project in = {
        .phase = TZ_PACE_PHASE_NONE,
        .annual_plan = cents_field(fields, "annual_plan_investment"),
        .completed = cents_field(fields, "completed_investment"),
        .day = today,
    };
    const char *phase = str_field(fields, "phase");
    if (phase && !tz_pace_phase_parse(phase, &in.phase))
        return false;
    if (in.phase != TZ_PACE_PHASE_SUSPENDED &&
        (in.annual_plan == TZ_PACE_NONE || in.completed == TZ_PACE_NONE || in.annual_plan <= 0))
        return false;
    struct tz_err ignore;
    if (tz_pace_judge_project(&r, &in, v, reason, TZ_PACE_REASON_SIZE, &ignore) != TZ_OK)
        return false;
    return v->why != TZ_PACE_NOT_JUDGED;
}

/* ---- lights ---------------------------------------------------------------- */

static enum tz_light worse(enum tz_light a, enum tz_light b)
{
    /* none < green < yellow < red */
    static const int rank[] = {
        [TZ_LIGHT_NONE] = 0, [TZ_LIGHT_GREEN] = 1, [TZ_LIGHT_YELLOW] = 2, [TZ_LIGHT_RED] = 3};
    return rank[b] > rank[a] ? b : a;
}

static bool milestone_overdue(struct json_object *fields, int32_t today)
{
    struct json_object *ms = NULL;
    if (!json_object_object_get_ex(fields, "milestones", &ms) ||
        !json_object_is_type(ms, json_type_array))
        return false;
    for (size_t i = 0; i < json_object_array_length(ms); i++) {
        struct json_object *m = json_object_array_get_idx(ms, i), *done = NULL;
        bool is_done = json_object_object_get_ex(m, "done", &done) && json_object_get_boolean(done);
        int32_t due = day_field(m, "due");
        if (!is_done && due != TZ_DAY_NONE && due < today)
            return true;
    }
    return false;
}

enum tz_light tz_rules_light(struct tz_ctx *ctx, const struct tz_item *it, int32_t today,
                             enum tz_light l)
{
    bool reform = is_ledger(it, "reform"), project = is_ledger(it, "project");
    bool indicator = is_ledger(it, "indicator"), eco = is_ledger(it, "eco_problem");
    if (l == TZ_LIGHT_RED || !(reform || project || indicator || eco))
        return l;
    struct json_object *fields = tz_rules_fields(it);
    /* a reform or project milestone past its due date and not done: at least yellow */
    if ((reform || project) && milestone_overdue(fields, today))
        l = worse(l, TZ_LIGHT_YELLOW);
    struct tz_pace_verdict v;
    char reason[TZ_PACE_REASON_SIZE];
    if (project && project_pace(ctx, fields, today, &v, reason))
        l = worse(l, v.light);
    /* an indicator's last reported period, judged when it was reported (app_series.c) */
    const char *pace = indicator ? str_field(fields, "pace_light") : NULL;
    enum tz_light pl;
    if (pace && tz_light_parse(pace, &pl))
        l = worse(l, pl);
    /* a monitored section worse than its target class */
    struct json_object *c = NULL;
    if (eco && json_object_object_get_ex(fields, "complies", &c) &&
        json_object_is_type(c, json_type_boolean) && !json_object_get_boolean(c))
        l = worse(l, TZ_LIGHT_YELLOW);
    json_object_put(fields);
    return l;
}

/* ---- accept ---------------------------------------------------------------- */

static bool is_major_hazard(const struct tz_item *it, struct json_object *fields)
{
    const char *grade = str_field(fields, "grade");
    return is_ledger(it, "hazard") && grade && strcmp(grade, "重大") == 0;
}

const char *tz_rules_accept_block(const struct tz_item *it)
{
    /* SPEC 3: the 五到位 plan — measures, funds, deadline, responsible person, contingency */
    static const char *const plan[] = {"measures", "funds", "plan_deadline", "responsible",
                                       "contingency"};
    const char *missing = NULL;
    struct json_object *fields = tz_rules_fields(it);
    if (is_major_hazard(it, fields)) {
        for (size_t i = 0; !missing && i < sizeof(plan) / sizeof(plan[0]); i++) {
            struct json_object *v = NULL;
            bool empty =
                !json_object_object_get_ex(fields, plan[i], &v) || !v ||
                (json_object_is_type(v, json_type_string) && json_object_get_string_len(v) == 0) ||
                (json_object_is_type(v, json_type_array) && json_object_array_length(v) == 0);
            if (empty)
                missing = plan[i];
        }
    }
    json_object_put(fields);
    return missing;
}

/* ---- what the server derives when fields are written ------------------------ */

/* A risk point's assessment: d or r, level, colour and the suggested control level. */
static enum tz_status derive_risk(struct tz_ctx *ctx, struct json_object *fields,
                                  struct tz_err *err)
{
    const struct tz_ledger_def *def = tz_app_ledger(ctx, "risk_point");
    struct tz_risk_rules rules = {
        .is_upper_inclusive = tz_ledger_setting_bool(def, "lec_upper_inclusive", false),
    };
    struct tz_risk_result res;
    bool assessed = false;
    enum tz_status s = tz_risk_assess_fields(fields, &rules, &assessed, &res, err);
    if (s != TZ_OK || !assessed)
        return s;
    if (res.method == TZ_RISK_METHOD_LEC) {
        /* D keeps its exact decimal text (12.6), never a binary approximation */
        char text[TZ_RISK_SCORE_LEN];
        tz_risk_score_format(&res, text, sizeof(text));
        struct json_object *d = res.score % 10
                                    ? json_object_new_double_s((double)res.score / 10.0, text)
                                    : json_object_new_int64(res.score / 10);
        json_object_object_add(fields, "d", d);
    } else {
        json_object_object_add(fields, "r", json_object_new_int64(res.score));
    }
    json_object_object_add(fields, "risk_level", json_object_new_string(res.level_name));
    json_object_object_add(fields, "risk_color", json_object_new_string(res.color));
    json_object_object_add(fields, "suggested_control_level",
                           json_object_new_string(res.control_level));
    return TZ_OK;
}

/* A petition's dates must make a chain the clocks can count from. */
static void petition_dates(struct json_object *fields, struct tz_petition_dates *d)
{
    struct json_object *v = NULL;
    tz_petition_dates_init(d);
    d->received_on = day_field(fields, "received_on");
    d->accepted_on = day_field(fields, "accepted_on");
    d->replied_on = day_field(fields, "replied_on");
    d->review_requested_on = day_field(fields, "review_requested_on");
    d->review_replied_on = day_field(fields, "review_replied_on");
    d->rereview_requested_on = day_field(fields, "rereview_requested_on");
    d->is_extended = json_object_object_get_ex(fields, "extended", &v) &&
                     json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

static enum tz_status check_petition(struct tz_ctx *ctx, struct json_object *fields,
                                     struct tz_err *err)
{
    struct tz_petition_dates d;
    struct tz_petition_clock clocks[TZ_PETITION_CLOCK_MAX];
    size_t n = 0;
    petition_dates(fields, &d);
    if (d.received_on == TZ_DAY_NONE)
        return TZ_OK; /* the ledger's required check names it, where fields are checked */
    pthread_rwlock_rdlock(&ctx->lock);
    enum tz_status s = tz_petition_clocks(&d, ctx->cal, clocks, &n, err);
    pthread_rwlock_unlock(&ctx->lock);
    return s;
}

static enum tz_status check_risk_point(struct tz_call *call, int64_t id, struct tz_err *err)
{
    struct tz_item rp;
    struct tz_err ignore;
    if (id <= 0 ||
        TZ_STORE(call->conn)->item_get(call->conn, id, call->arena, &rp, &ignore) != TZ_OK ||
        strcmp(rp.ledger, "risk_point") != 0)
        return tz_err_field(err, TZ_EINVAL, "risk_point_id", "item %lld is not a risk point",
                            (long long)id);
    return TZ_OK;
}

enum tz_status tz_rules_apply(struct tz_call *call, struct tz_item *it, struct tz_err *err)
{
    struct json_object *fields = tz_rules_fields(it), *v = NULL;
    enum tz_status s = TZ_OK;
    tz_ledger_strip_computed(tz_app_ledger(call->ctx, it->ledger), fields);
    if (is_major_hazard(it, fields) && it->supervised < 1)
        it->supervised = 1; /* a 重大 hazard is supervised from the start */
    if (is_ledger(it, "risk_point")) {
        s = derive_risk(call->ctx, fields, err);
        /* a risk point is reviewed every check_every_days */
        if (json_object_object_get_ex(fields, "check_every_days", &v) &&
            json_object_is_type(v, json_type_int))
            it->report_every_days = json_object_get_int(v);
    }
    if (s == TZ_OK && is_ledger(it, "petition"))
        s = check_petition(call->ctx, fields, err);
    /* a livelihood project's progress is its done quantity over its target */
    int64_t target = cents_field(fields, "target_quantity");
    int64_t done = cents_field(fields, "done_quantity");
    if (is_ledger(it, "livelihood") && target != TZ_PACE_NONE && done != TZ_PACE_NONE &&
        target > 0) {
        int64_t p = done <= 0 ? 0 : done >= target ? 100 : done * 100 / target;
        it->progress = (int)p;
    }
    /* a reform's progress is its share of milestones done */
    struct json_object *ms = NULL;
    if (is_ledger(it, "reform") && json_object_object_get_ex(fields, "milestones", &ms) &&
        json_object_is_type(ms, json_type_array) && json_object_array_length(ms) > 0) {
        size_t n = json_object_array_length(ms), n_done = 0;
        for (size_t i = 0; i < n; i++) {
            struct json_object *flag = NULL;
            if (json_object_object_get_ex(json_object_array_get_idx(ms, i), "done", &flag) &&
                json_object_get_boolean(flag))
                n_done++;
        }
        it->progress = (int)(n_done * 100 / n);
    }
    /* a hazard's risk point is a risk point */
    if (s == TZ_OK && is_ledger(it, "hazard") &&
        json_object_object_get_ex(fields, "risk_point_id", &v) && v)
        s = check_risk_point(call, json_object_get_int64(v), err);
    if (s == TZ_OK && (is_ledger(it, "indicator") || is_ledger(it, "eco_problem")))
        s = tz_series_summarize(call, it, fields, err);
    if (s == TZ_OK)
        it->fields_json = tz_arena_strdup(call->arena, tz_json_compact(fields, NULL));
    json_object_put(fields);
    return s;
}

/* ---- what an item shows beside its fields ------------------------------------ */

void tz_rules_render(struct tz_call *call, const struct tz_item *it, struct tz_strbuf *sb)
{
    bool petition = is_ledger(it, "petition"), project = is_ledger(it, "project");
    if (!petition && !project)
        return;
    struct json_object *fields = tz_rules_fields(it);
    if (petition) {
        /* the statutory clocks of 信访工作条例, rolled past holidays (DOMAIN 5.2, 6.1) */
        struct tz_petition_dates d;
        struct tz_petition_clock clocks[TZ_PETITION_CLOCK_MAX];
        size_t n = 0;
        struct tz_err ignore;
        petition_dates(fields, &d);
        pthread_rwlock_rdlock(&call->ctx->lock);
        if (tz_petition_clocks(&d, call->ctx->cal, clocks, &n, &ignore) != TZ_OK)
            n = 0;
        pthread_rwlock_unlock(&call->ctx->lock);
        tz_strbuf_addstr(sb, ",\"clocks\":");
        tz_petition_clocks_json(sb, clocks, n);
    }
    struct tz_pace_verdict v;
    char reason[TZ_PACE_REASON_SIZE];
    if (project) {
        tz_strbuf_addstr(sb, ",\"pace\":");
        if (project_pace(call->ctx, fields, tz_ctx_today(call->ctx), &v, reason)) {
            tz_strbuf_addf(sb, "{\"light\":\"%s\",\"reason\":", tz_light_name(v.light));
            tz_strbuf_add_json_str(sb, reason, strlen(reason));
            tz_strbuf_addch(sb, '}');
        } else {
            tz_strbuf_addstr(sb, "null");
        }
    }
    json_object_put(fields);
}

/* ---- POST /risk/assess ------------------------------------------------------ */

enum tz_status tz_app_risk_assess(struct tz_call *call, struct json_object *body,
                                  struct json_object **out, struct tz_err *err)
{
    const struct tz_ledger_def *def = tz_app_ledger(call->ctx, "risk_point");
    struct tz_risk_rules rules = {
        .is_upper_inclusive = tz_ledger_setting_bool(def, "lec_upper_inclusive", false),
    };
    struct tz_risk_result res;
    enum tz_status s = tz_risk_assess_json(body, &rules, &res, err);
    if (s == TZ_OK)
        *out = tz_risk_result_json(&res);
    return s;
}
