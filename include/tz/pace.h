/*
 * pace.h - pace against the year: the lights of economic indicators and of
 * key-project investment (SPEC 3 `indicator` and `project`, DOMAIN 7.2, 7.3, 8.2, 8.3).
 *
 * Every figure is an exact integer:
 *   - percentages and percentage points are basis points (bp), 1/100 of a
 *     percent: 16.67% is 1667, "3.82个百分点" is 382;
 *   - amounts (万元 for investment, the indicator's own unit otherwise) are
 *     hundredths of the unit ("cents"): 1234.56 万元 is 123456.
 * tz_pace_cents converts a JSON number to either (both are "times 100").
 *
 * Time progress (时序进度) is closed statistical months / 12, in bp rounded to
 * the nearest (m * 2500 / 3 never ties): 2 months = 1667, 3 = 2500, 7 = 5833.
 * With rules.jan_feb_combined (default) January is never a period on its own:
 * "1-2月" is month 2, and month 1 is refused.
 *
 * A light compares an actual figure with an expected one; lag = expected -
 * actual in bp, > 0 when behind. Each rule is a band {yellow_over_bp,
 * red_over_bp}: green when lag <= yellow_over_bp, yellow when yellow_over_bp <
 * lag <= red_over_bp, red when lag > red_over_bp. Comparisons are made on the
 * rounded bp figures, the ones the reason text prints, so a reader never sees
 * "完成16.67%，时序进度16.67%" painted yellow by a hidden third decimal.
 *
 * All thresholds are settings (DOMAIN marks them local practice); the defaults
 * of tz_pace_rules_init are DOMAIN 7.3's. Pure and thread-safe: no I/O, no
 * clock (the caller passes the date), no globals.
 */
#ifndef TZ_PACE_H
#define TZ_PACE_H

#include "tz/err.h"
#include "tz/item.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An absent amount or figure (as TZ_DAY_NONE for dates). */
#define TZ_PACE_NONE INT64_MIN
/* 100% in bp. */
#define TZ_PACE_BP_FULL 10000
/* Caps on inputs, so that no product overflows: |amount| <= 1e12 units, |growth| <= 100000%. */
#define TZ_PACE_AMOUNT_MAX INT64_C(100000000000000) /* in cents */
#define TZ_PACE_BP_MAX     INT64_C(10000000)
/* A reason buffer of this size never truncates. */
#define TZ_PACE_REASON_SIZE 192
/* Buffer for tz_pace_bp_text: sign, 19 digits, point, NUL. */
#define TZ_PACE_BP_TEXT 24

/* Project phases (SPEC 3, DOMAIN 8.3), in DOMAIN's order; NONE = not recorded. */
enum tz_pace_phase {
    TZ_PACE_PHASE_NONE,
    TZ_PACE_PHASE_PLANNING,     /* 谋划 */
    TZ_PACE_PHASE_PREPARATION,  /* 前期 */
    TZ_PACE_PHASE_TO_START,     /* 计划新开工 */
    TZ_PACE_PHASE_STARTED,      /* 新开工 */
    TZ_PACE_PHASE_CONSTRUCTION, /* 在建 */
    TZ_PACE_PHASE_COMPLETED,    /* 竣工 */
    TZ_PACE_PHASE_OPERATING,    /* 投产达效 */
    TZ_PACE_PHASE_SUSPENDED,    /* 停缓建 */
    TZ__PACE_PHASE_COUNT
};

/* Lag band of one rule, in bp of lag (see above); 0 <= yellow_over_bp <= red_over_bp <= 10000. */
struct tz_pace_band {
    int32_t yellow_over_bp;
    int32_t red_over_bp;
};

/* The settings. Fill with tz_pace_rules_init, then override. */
struct tz_pace_rules {
    /* growth-rate target: lag = target - growth. Default {0, 100}: yellow within 1 pp below. */
    struct tz_pace_band growth;
    /* absolute target: lag = time progress - ytd/annual target. Default {0, 500}. */
    struct tz_pace_band plan;
    /* project investment: lag = time progress - completed/annual plan. Default {0, 500}. */
    struct tz_pace_band project;
    bool negative_growth_red; /* growth < 0 is red whatever the target; default true */
    bool sign_flip_red;       /* 正转负 (previous >= 0, this < 0) is red; default true */
    bool jan_feb_combined;    /* January is reported only as "1-2月"; default true */
    /* earliest phase whose investment is judged (through 投产达效); default 新开工 */
    enum tz_pace_phase project_judged_from;
};

/* Why a light is what it is, for machines (the reason text is for people). */
enum tz_pace_why {
    TZ_PACE_ON_PACE,    /* green: lag within the yellow band's start */
    TZ_PACE_BEHIND,     /* yellow: lag in the yellow band */
    TZ_PACE_FAR_BEHIND, /* red: lag beyond red_over_bp */
    TZ_PACE_NEGATIVE,   /* red: growth below zero */
    TZ_PACE_SIGN_FLIP,  /* red: 正转负 */
    TZ_PACE_NOT_JUDGED, /* none: a project phase before project_judged_from */
    TZ_PACE_SUSPENDED,  /* red: 停缓建 */
};

/*
 * A verdict. actual_bp is the growth or the completion ratio, expected_bp the
 * growth target or the time progress, lag_bp = expected_bp - actual_bp; the three
 * are meaningful only when has_lag (not for NOT_JUDGED and SUSPENDED).
 */
struct tz_pace_verdict {
    enum tz_light light;
    enum tz_pace_why why;
    bool has_lag;
    int64_t lag_bp;
    int64_t actual_bp;
    int64_t expected_bp;
};

/* One period of a growth-rate indicator, as reported (never recomputed from absolutes). */
struct tz_pace_growth {
    int64_t yoy_bp;      /* this period's cumulative growth, field "yoy" */
    int64_t target_bp;   /* the growth target, field "target" */
    int64_t prev_yoy_bp; /* the previous period's growth, TZ_PACE_NONE when unknown */
};

/* One period of an absolute-target indicator. */
struct tz_pace_plan {
    int month;             /* the period's closed months, 1..12 (2 for "1-2月"), field "period" */
    int64_t value;         /* year-to-date value in cents of the unit, field "value" */
    int64_t annual_target; /* in cents of the same unit, > 0, field "annual_target" */
};

/*
 * A key project at a date. `completed` must be this year's cumulative investment
 * (本年累计完成投资), the figure DOMAIN 8.2 divides by the annual plan.
 */
struct tz_pace_project {
    enum tz_pace_phase phase;
    int64_t
        annual_plan; /* cents of 万元, > 0, TZ_PACE_NONE when absent; "annual_plan_investment" */
    int64_t completed; /* cents of 万元, >= 0, TZ_PACE_NONE when absent; "completed_investment" */
    int32_t day;       /* the date judged at (date.h day number) */
};

/* Fills r with the defaults above. */
void tz_pace_rules_init(struct tz_pace_rules *r);

/* 422 naming the first bad setting ("growth", "plan", "project", "project_judged_from"). */
enum tz_status tz_pace_rules_check(const struct tz_pace_rules *r, struct tz_err *err);

/* Chinese label of a phase ("在建"); "" for NONE, "?" out of range. Static storage. */
const char *tz_pace_phase_label(enum tz_pace_phase p);
/* Parses a label of SPEC 3; NULL or "" is NONE. False for anything else (*out untouched). */
bool tz_pace_phase_parse(const char *label, enum tz_pace_phase *out);

/*
 * v * 100 rounded to the nearest integer: 万元 to cents of 万元, a percent to bp.
 * Exact for inputs with at most two decimals (12.85 -> 1285); a further decimal
 * is rounded to the nearest cent (a binary double has no exact decimal half). 422
 * naming `field` when v is not finite or |v * 100| exceeds TZ_PACE_AMOUNT_MAX;
 * *out is 0 on failure. The sign is not checked: the judges do that.
 */
enum tz_status tz_pace_cents(double v, const char *field, int64_t *out, struct tz_err *err);

/* Writes bp as a percent with two decimals ("3.82", "-0.50", "16.67") into buf; returns buf. */
char *tz_pace_bp_text(int64_t bp, char buf[TZ_PACE_BP_TEXT]);

/*
 * Statistical months closed by `day`: the month of day counts once day is its
 * last day. With r->jan_feb_combined, January closes only with February, so the
 * answer is never 1. 0..12. `day` must be a date of years 1900-2999.
 */
int tz_pace_months_closed(const struct tz_pace_rules *r, int32_t day);

/*
 * Time progress of `month` closed months in bp (see above). month 0..12; 1 is
 * refused with jan_feb_combined. 422 field "period"; *bp_out 0 on failure.
 */
enum tz_status tz_pace_time_progress(const struct tz_pace_rules *r, int month, int64_t *bp_out,
                                     struct tz_err *err);

/*
 * The judges. Each writes the verdict to *out and a short Chinese reason (UTF-8,
 * NUL-terminated, cut at a character boundary when reason_size is below
 * TZ_PACE_REASON_SIZE; reason may be NULL when reason_size is 0). On failure: 422
 * naming the field (or the setting), *out zeroed (light none) and reason "".
 */

/*
 * Growth-rate target (DOMAIN 7.3): red for 正转负, then red for growth < 0 (each
 * when enabled), else the `growth` band on lag = target - growth.
 * Reason: "增速5.00%，目标6.50%，低于目标1.50个百分点".
 */
enum tz_status tz_pace_judge_growth(const struct tz_pace_rules *r, const struct tz_pace_growth *in,
                                    struct tz_pace_verdict *out, char *reason, size_t reason_size,
                                    struct tz_err *err);

/*
 * Absolute target (DOMAIN 7.2, 7.3): completion = value / annual_target in bp
 * (rounded half away from zero) against the time progress of in->month, on the
 * `plan` band. Reason: "完成年度目标12.85%，时序进度16.67%，低于时序进度3.82个百分点".
 */
enum tz_status tz_pace_judge_plan(const struct tz_pace_rules *r, const struct tz_pace_plan *in,
                                  struct tz_pace_verdict *out, char *reason, size_t reason_size,
                                  struct tz_err *err);

/*
 * Project investment (DOMAIN 8.3): 停缓建 is red; a phase before
 * project_judged_from is none (the amounts are not looked at); any other phase,
 * NONE included, is judged: completed / annual_plan in bp against the time
 * progress of the months closed by in->day, on the `project` band. Negative or
 * absent amounts and an annual plan of 0 are refused (422 naming the field).
 * Reason: "年度计划投资完成12.85%，时序进度16.67%，低于时序进度3.82个百分点".
 */
enum tz_status tz_pace_judge_project(const struct tz_pace_rules *r,
                                     const struct tz_pace_project *in, struct tz_pace_verdict *out,
                                     char *reason, size_t reason_size, struct tz_err *err);

#endif
