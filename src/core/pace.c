/*
 * pace.c - pace against the year: indicator and project-investment lights (see pace.h;
 * SPEC 3, DOMAIN 7.2, 7.3, 8.2, 8.3).
 *
 * DESIGN
 *
 * Three judges share one shape: an actual figure and an expected one, both in
 * basis points, lag = expected - actual, and a band {yellow_over, red_over} that
 * turns the lag into a light. Growth-rate indicators compare the reported growth
 * with the target; absolute indicators and projects compare the completion ratio
 * with the time progress. DOMAIN 7.3's table is exactly this shape: "target - 1 pp
 * <= growth < target" is 0 < lag <= 100, "time progress - 5 pp <= completion <
 * time progress" is 0 < lag <= 500. Growth adds two red overrides before the
 * band: 正转负 and growth below zero.
 *
 * Exactness. Everything is an integer: bp for percentages, cents for amounts.
 * Time progress m/12 is rounded to the nearest bp (m * 2500 / 3 has a fraction
 * of 0, 1/3 or 2/3, so it never ties); a completion ratio is rounded to the
 * nearest bp, halves away from zero. The light is decided on these rounded
 * figures, the ones the statistics bulletins print and the reason text repeats,
 * so "12.85% against 16.67%" is 3.82 pp behind in the light and in the words.
 * Inputs are capped (TZ_PACE_AMOUNT_MAX, TZ_PACE_BP_MAX) so that value * 10000
 * and every difference fit in int64_t.
 *
 * Time progress of a project (DOMAIN 7.2 counts months, not days): the months
 * closed by the judging date, a month closing on its last day. This is the same
 * figure the 调度会 bulletins use for key projects ("1-2月 ... 低于时序进度3.82个
 * 百分点"), so the light agrees with the meeting's papers. The price is leniency
 * inside a month (on 15 March the year-to-date investment is held against two
 * months), and none in January: with January reported only as "1-2月" no period
 * has closed, time progress is 0 and no project can be behind yet.
 *
 * Invariants: a judge writes *out and the reason only on success; on failure it
 * leaves *out zeroed (light none) and the reason empty. No globals; the rules
 * are read, never written.
 */
#include "tz/pace.h"

#include "tz/date.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Defaults of tz_pace_rules_init (DOMAIN 7.3, all local practice). */
#define DEFAULT_GROWTH_YELLOW_OVER 0
#define DEFAULT_GROWTH_RED_OVER    100 /* 1 pp */
#define DEFAULT_PLAN_YELLOW_OVER   0
#define DEFAULT_PLAN_RED_OVER      500 /* 5 pp */
#define DEFAULT_PROJECT_YELLOW     0
#define DEFAULT_PROJECT_RED        500 /* 5 pp, the absolute-target rule */

/* Years a judging date may lie in: the range of tz_date_parse. */
#define YEAR_MIN 1900
#define YEAR_MAX 2999

/* Longer than any reason the judges write (see TZ_PACE_REASON_SIZE). */
#define REASON_TMP 256

static const char *const phase_labels[TZ__PACE_PHASE_COUNT] = {
    [TZ_PACE_PHASE_NONE] = "",
    [TZ_PACE_PHASE_PLANNING] = "谋划",
    [TZ_PACE_PHASE_PREPARATION] = "前期",
    [TZ_PACE_PHASE_TO_START] = "计划新开工",
    [TZ_PACE_PHASE_STARTED] = "新开工",
    [TZ_PACE_PHASE_CONSTRUCTION] = "在建",
    [TZ_PACE_PHASE_COMPLETED] = "竣工",
    [TZ_PACE_PHASE_OPERATING] = "投产达效",
    [TZ_PACE_PHASE_SUSPENDED] = "停缓建",
};

void tz_pace_rules_init(struct tz_pace_rules *r)
{
    *r = (struct tz_pace_rules){
        .growth = {.yellow_over_bp = DEFAULT_GROWTH_YELLOW_OVER,
                   .red_over_bp = DEFAULT_GROWTH_RED_OVER},
        .plan = {.yellow_over_bp = DEFAULT_PLAN_YELLOW_OVER, .red_over_bp = DEFAULT_PLAN_RED_OVER},
        .project = {.yellow_over_bp = DEFAULT_PROJECT_YELLOW, .red_over_bp = DEFAULT_PROJECT_RED},
        .negative_growth_red = true,
        .sign_flip_red = true,
        .jan_feb_combined = true,
        .project_judged_from = TZ_PACE_PHASE_STARTED,
    };
}

static enum tz_status check_band(const struct tz_pace_band *b, const char *name, struct tz_err *err)
{
    if (b->yellow_over_bp < 0 || b->red_over_bp > TZ_PACE_BP_FULL ||
        b->yellow_over_bp > b->red_over_bp)
        return tz_err_field(err, TZ_EINVAL, name,
                            "'%s' needs 0 <= yellow_over_bp <= red_over_bp <= %d, got %d and %d",
                            name, TZ_PACE_BP_FULL, (int)b->yellow_over_bp, (int)b->red_over_bp);
    return TZ_OK;
}

enum tz_status tz_pace_rules_check(const struct tz_pace_rules *r, struct tz_err *err)
{
    enum tz_status st;

    if (!r)
        return tz_err_set(err, TZ_EINTERNAL, "pace rules missing");
    st = check_band(&r->growth, "growth", err);
    if (st != TZ_OK)
        return st;
    st = check_band(&r->plan, "plan", err);
    if (st != TZ_OK)
        return st;
    st = check_band(&r->project, "project", err);
    if (st != TZ_OK)
        return st;
    if (r->project_judged_from < TZ_PACE_PHASE_PLANNING ||
        r->project_judged_from > TZ_PACE_PHASE_OPERATING)
        return tz_err_field(err, TZ_EINVAL, "project_judged_from",
                            "'project_judged_from' must be a phase from 谋划 to 投产达效");
    return TZ_OK;
}

const char *tz_pace_phase_label(enum tz_pace_phase p)
{
    return (unsigned)p < TZ__PACE_PHASE_COUNT ? phase_labels[p] : "?";
}

bool tz_pace_phase_parse(const char *label, enum tz_pace_phase *out)
{
    if (!label || !*label) {
        *out = TZ_PACE_PHASE_NONE;
        return true;
    }
    for (int i = TZ_PACE_PHASE_PLANNING; i < TZ__PACE_PHASE_COUNT; i++) {
        if (strcmp(label, phase_labels[i]) == 0) {
            *out = (enum tz_pace_phase)i;
            return true;
        }
    }
    return false;
}

enum tz_status tz_pace_cents(double v, const char *field, int64_t *out, struct tz_err *err)
{
    *out = 0;
    if (!isfinite(v))
        return tz_err_field(err, TZ_EINVAL, field, "'%s' must be a finite number", field);
    double x = v * 100.0;
    if (x > (double)TZ_PACE_AMOUNT_MAX || x < -(double)TZ_PACE_AMOUNT_MAX)
        return tz_err_field(err, TZ_EINVAL, field, "'%s' is out of range", field);
    *out = (int64_t)(x < 0 ? x - 0.5 : x + 0.5);
    return TZ_OK;
}

char *tz_pace_bp_text(int64_t bp, char buf[TZ_PACE_BP_TEXT])
{
    uint64_t mag = bp < 0 ? (uint64_t)0 - (uint64_t)bp : (uint64_t)bp;

    snprintf(buf, TZ_PACE_BP_TEXT, "%s%" PRIu64 ".%02u", bp < 0 ? "-" : "", mag / 100,
             (unsigned)(mag % 100));
    return buf;
}

int tz_pace_months_closed(const struct tz_pace_rules *r, int32_t day)
{
    int y, m, d;

    tz_date_to_ymd(day, &y, &m, &d);
    int closed = d == tz_date_days_in_month(y, m) ? m : m - 1;
    if (r->jan_feb_combined && closed == 1)
        closed = 0;
    return closed;
}

enum tz_status tz_pace_time_progress(const struct tz_pace_rules *r, int month, int64_t *bp_out,
                                     struct tz_err *err)
{
    *bp_out = 0;
    if (month < 0 || month > 12)
        return tz_err_field(err, TZ_EINVAL, "period", "'period' must be 0 to 12 months, got %d",
                            month);
    if (month == 1 && r->jan_feb_combined)
        return tz_err_field(err, TZ_EINVAL, "period",
                            "'period' January is reported together with February as 1-2月 "
                            "(month 2)");
    /* nearest bp of month * 10000 / 12; never a tie */
    *bp_out = ((int64_t)month * 2 * TZ_PACE_BP_FULL + 12) / 24;
    return TZ_OK;
}

/* n / d rounded to the nearest integer, halves away from zero; d > 0. */
static int64_t div_round(int64_t n, int64_t d)
{
    int64_t q = n / d;
    int64_t rem = n % d;
    int64_t mag = rem < 0 ? -rem : rem;

    if (2 * mag >= d)
        q += n < 0 ? -1 : 1;
    return q;
}

/* The light of a lag on a band. */
static void band_light(const struct tz_pace_band *b, struct tz_pace_verdict *v)
{
    if (v->lag_bp > b->red_over_bp) {
        v->light = TZ_LIGHT_RED;
        v->why = TZ_PACE_FAR_BEHIND;
    } else if (v->lag_bp > b->yellow_over_bp) {
        v->light = TZ_LIGHT_YELLOW;
        v->why = TZ_PACE_BEHIND;
    } else {
        v->light = TZ_LIGHT_GREEN;
        v->why = TZ_PACE_ON_PACE;
    }
}

static void set_lag(struct tz_pace_verdict *v, int64_t actual, int64_t expected)
{
    v->has_lag = true;
    v->actual_bp = actual;
    v->expected_bp = expected;
    v->lag_bp = expected - actual;
}

/* A figure in bp that must be present and within TZ_PACE_BP_MAX. */
static enum tz_status check_bp(int64_t x, const char *field, struct tz_err *err)
{
    if (x == TZ_PACE_NONE)
        return tz_err_field(err, TZ_EINVAL, field, "'%s' is missing", field);
    if (x > TZ_PACE_BP_MAX || x < -TZ_PACE_BP_MAX)
        return tz_err_field(err, TZ_EINVAL, field, "'%s' is out of range", field);
    return TZ_OK;
}

/* An amount in cents that must be present, within the cap, and at least `min`. */
static enum tz_status check_amount(int64_t x, int64_t min, const char *field, struct tz_err *err)
{
    if (x == TZ_PACE_NONE)
        return tz_err_field(err, TZ_EINVAL, field, "'%s' is missing", field);
    if (x > TZ_PACE_AMOUNT_MAX || x < -TZ_PACE_AMOUNT_MAX)
        return tz_err_field(err, TZ_EINVAL, field, "'%s' is out of range", field);
    if (x < min)
        return tz_err_field(err, TZ_EINVAL, field, "'%s' must be %s", field,
                            min > 0 ? "greater than 0" : "0 or more");
    return TZ_OK;
}

/* Zeroes the verdict and the reason, then checks the rules: the start of every judge. */
static enum tz_status begin(const struct tz_pace_rules *r, struct tz_pace_verdict *out,
                            char *reason, size_t reason_size, struct tz_err *err)
{
    memset(out, 0, sizeof(*out));
    out->light = TZ_LIGHT_NONE;
    if (reason && reason_size > 0)
        reason[0] = '\0';
    return tz_pace_rules_check(r, err);
}

/* Formats into tmp (REASON_TMP bytes). */
static void format_tmp(char *tmp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void format_tmp(char *tmp, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(tmp, REASON_TMP, fmt, ap);
    va_end(ap);
}

/* Copies text into the caller's buffer, cut before a partial UTF-8 character. */
static void put_reason(char *reason, size_t reason_size, const char *text)
{
    if (!reason || reason_size == 0)
        return;
    size_t n = strlen(text);
    if (n >= reason_size) {
        n = reason_size - 1;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(reason, text, n);
    reason[n] = '\0';
}

/* "低于{what}3.82个百分点" and its kin, into buf of REASON_TMP bytes. */
static void relation(char *buf, int64_t lag, const char *what, const char *ahead, const char *even)
{
    char pp[TZ_PACE_BP_TEXT];

    if (lag > 0)
        format_tmp(buf, "低于%s%s个百分点", what, tz_pace_bp_text(lag, pp));
    else if (lag < 0)
        format_tmp(buf, "%s%s%s个百分点", ahead, what, tz_pace_bp_text(-lag, pp));
    else
        format_tmp(buf, "%s", even);
}

enum tz_status tz_pace_judge_growth(const struct tz_pace_rules *r, const struct tz_pace_growth *in,
                                    struct tz_pace_verdict *out, char *reason, size_t reason_size,
                                    struct tz_err *err)
{
    struct tz_pace_verdict v = {.light = TZ_LIGHT_NONE};
    char text[REASON_TMP], rel[REASON_TMP];
    char g[TZ_PACE_BP_TEXT], t[TZ_PACE_BP_TEXT], p[TZ_PACE_BP_TEXT];
    enum tz_status st = begin(r, out, reason, reason_size, err);

    if (st != TZ_OK)
        goto out;
    st = check_bp(in->yoy_bp, "yoy", err);
    if (st != TZ_OK)
        goto out;
    st = check_bp(in->target_bp, "target", err);
    if (st != TZ_OK)
        goto out;
    bool has_prev = in->prev_yoy_bp != TZ_PACE_NONE;
    if (has_prev) {
        st = check_bp(in->prev_yoy_bp, "prev_yoy", err);
        if (st != TZ_OK)
            goto out;
    }

    set_lag(&v, in->yoy_bp, in->target_bp);
    tz_pace_bp_text(in->yoy_bp, g);
    tz_pace_bp_text(in->target_bp, t);
    if (r->sign_flip_red && has_prev && in->prev_yoy_bp >= 0 && in->yoy_bp < 0) {
        v.light = TZ_LIGHT_RED;
        v.why = TZ_PACE_SIGN_FLIP;
        format_tmp(text, "增速%s%%，目标%s%%，由正转负（上期%s%%）", g, t,
                   tz_pace_bp_text(in->prev_yoy_bp, p));
    } else if (r->negative_growth_red && in->yoy_bp < 0) {
        v.light = TZ_LIGHT_RED;
        v.why = TZ_PACE_NEGATIVE;
        format_tmp(text, "增速%s%%，目标%s%%，负增长", g, t);
    } else {
        band_light(&r->growth, &v);
        relation(rel, v.lag_bp, "目标", "高于", "达到目标");
        format_tmp(text, "增速%s%%，目标%s%%，%s", g, t, rel);
    }
    *out = v;
    put_reason(reason, reason_size, text);
out:
    return st;
}

/* The verdict of a completion ratio against a time progress, with its reason. */
static void judge_completion(const struct tz_pace_band *band, const char *label, int64_t done,
                             int64_t whole, int64_t time_bp, struct tz_pace_verdict *v,
                             char text[REASON_TMP])
{
    char rel[REASON_TMP], c[TZ_PACE_BP_TEXT], tp[TZ_PACE_BP_TEXT];
    int64_t ratio = div_round(done * TZ_PACE_BP_FULL, whole);

    set_lag(v, ratio, time_bp);
    band_light(band, v);
    relation(rel, v->lag_bp, "时序进度", "超过", "与时序进度持平");
    format_tmp(text, "%s%s%%，时序进度%s%%，%s", label, tz_pace_bp_text(ratio, c),
               tz_pace_bp_text(time_bp, tp), rel);
}

enum tz_status tz_pace_judge_plan(const struct tz_pace_rules *r, const struct tz_pace_plan *in,
                                  struct tz_pace_verdict *out, char *reason, size_t reason_size,
                                  struct tz_err *err)
{
    struct tz_pace_verdict v = {.light = TZ_LIGHT_NONE};
    char text[REASON_TMP];
    int64_t time_bp;
    enum tz_status st = begin(r, out, reason, reason_size, err);

    if (st != TZ_OK)
        goto out;
    if (in->month < 1 || in->month > 12) {
        st = tz_err_field(err, TZ_EINVAL, "period", "'period' must be a month 1 to 12, got %d",
                          in->month);
        goto out;
    }
    st = tz_pace_time_progress(r, in->month, &time_bp, err);
    if (st != TZ_OK)
        goto out;
    st = check_amount(in->value, -TZ_PACE_AMOUNT_MAX, "value", err);
    if (st != TZ_OK)
        goto out;
    st = check_amount(in->annual_target, 1, "annual_target", err);
    if (st != TZ_OK)
        goto out;

    judge_completion(&r->plan, "完成年度目标", in->value, in->annual_target, time_bp, &v, text);
    *out = v;
    put_reason(reason, reason_size, text);
out:
    return st;
}

/* The investment verdict of a judged phase. */
static enum tz_status judge_investment(const struct tz_pace_rules *r,
                                       const struct tz_pace_project *in, struct tz_pace_verdict *v,
                                       char text[REASON_TMP], struct tz_err *err)
{
    int64_t time_bp;
    enum tz_status st;

    /* compared as day numbers: tz_date_to_ymd is only defined near real dates */
    if (in->day < tz_date_from_ymd(YEAR_MIN, 1, 1) || in->day > tz_date_from_ymd(YEAR_MAX, 12, 31))
        return tz_err_field(err, TZ_EINVAL, "date", "'date' must be a date in %d-%d", YEAR_MIN,
                            YEAR_MAX);
    st = check_amount(in->annual_plan, 1, "annual_plan_investment", err);
    if (st != TZ_OK)
        return st;
    st = check_amount(in->completed, 0, "completed_investment", err);
    if (st != TZ_OK)
        return st;
    st = tz_pace_time_progress(r, tz_pace_months_closed(r, in->day), &time_bp, err);
    if (st != TZ_OK)
        return st;
    judge_completion(&r->project, "年度计划投资完成", in->completed, in->annual_plan, time_bp, v,
                     text);
    return TZ_OK;
}

enum tz_status tz_pace_judge_project(const struct tz_pace_rules *r,
                                     const struct tz_pace_project *in, struct tz_pace_verdict *out,
                                     char *reason, size_t reason_size, struct tz_err *err)
{
    struct tz_pace_verdict v = {.light = TZ_LIGHT_NONE};
    char text[REASON_TMP];
    enum tz_status st = begin(r, out, reason, reason_size, err);

    if (st != TZ_OK)
        goto out;
    if ((unsigned)in->phase >= TZ__PACE_PHASE_COUNT) {
        st = tz_err_field(err, TZ_EINVAL, "phase", "'phase' is not a phase of the project ledger");
        goto out;
    }
    if (in->phase == TZ_PACE_PHASE_SUSPENDED) {
        v.light = TZ_LIGHT_RED;
        v.why = TZ_PACE_SUSPENDED;
        format_tmp(text, "项目停缓建");
    } else if (in->phase != TZ_PACE_PHASE_NONE && in->phase < r->project_judged_from) {
        v.light = TZ_LIGHT_NONE;
        v.why = TZ_PACE_NOT_JUDGED;
        format_tmp(text, "项目处于%s阶段，不计投资进度", phase_labels[in->phase]);
    } else {
        st = judge_investment(r, in, &v, text, err);
        if (st != TZ_OK)
            goto out;
    }
    *out = v;
    put_reason(reason, reason_size, text);
out:
    return st;
}
