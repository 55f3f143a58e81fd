/*
 * test_pace.c - indicator and project-investment lights (pace.h) at the edges of
 * DOMAIN 7.2, 7.3 and 8.3.
 *
 * The tables pin every rule where it turns: the lag exactly at a band's edge and
 * one bp past it, with the default settings and with changed ones; the time
 * progress of every month and the day a month closes; 正转负 and growth below
 * zero, each alone and switched off; every project phase; and every refusal,
 * with the field it names. Amounts are chosen so that the ratio in bp is easy to
 * read: an annual target of 100.00 (10000 cents) makes the value in cents equal
 * to the completion in bp.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tz/date.h"
#include "tz/pace.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define NONE TZ_PACE_NONE

static struct tz_pace_rules defaults(void)
{
    struct tz_pace_rules r;
    tz_pace_rules_init(&r);
    return r;
}

/* Rules with the growth, plan and project bands replaced. */
static struct tz_pace_rules banded(int32_t yellow, int32_t red)
{
    struct tz_pace_rules r = defaults();
    r.growth = r.plan = r.project = (struct tz_pace_band){yellow, red};
    return r;
}

static void test_defaults(void **state)
{
    (void)state;
    struct tz_pace_rules r = defaults();
    struct tz_err err;

    assert_int_equal(r.growth.yellow_over_bp, 0);
    assert_int_equal(r.growth.red_over_bp, 100);
    assert_int_equal(r.plan.yellow_over_bp, 0);
    assert_int_equal(r.plan.red_over_bp, 500);
    assert_int_equal(r.project.yellow_over_bp, 0);
    assert_int_equal(r.project.red_over_bp, 500);
    assert_true(r.negative_growth_red);
    assert_true(r.sign_flip_red);
    assert_true(r.jan_feb_combined);
    assert_int_equal(r.project_judged_from, TZ_PACE_PHASE_STARTED);
    assert_int_equal(tz_pace_rules_check(&r, &err), TZ_OK);
    /* the extremes of a band are settings too */
    r = banded(0, 0);
    assert_int_equal(tz_pace_rules_check(&r, &err), TZ_OK);
    r = banded(TZ_PACE_BP_FULL, TZ_PACE_BP_FULL);
    assert_int_equal(tz_pace_rules_check(&r, &err), TZ_OK);
    r = defaults();
    r.project_judged_from = TZ_PACE_PHASE_OPERATING;
    assert_int_equal(tz_pace_rules_check(&r, &err), TZ_OK);
    assert_int_equal(tz_pace_rules_check(NULL, &err), TZ_EINTERNAL);
}

/* ---- time progress ---- */

static const struct {
    int month;
    int64_t bp;
} month_vectors[] = {
    {0, 0},    {2, 1667}, {3, 2500}, {4, 3333},  {5, 4167},  {6, 5000},
    {7, 5833}, {8, 6667}, {9, 7500}, {10, 8333}, {11, 9167}, {12, 10000},
};

static void test_time_progress(void **state)
{
    (void)state;
    struct tz_pace_rules r = defaults();
    struct tz_err err;
    int64_t bp;

    for (size_t i = 0; i < sizeof(month_vectors) / sizeof(month_vectors[0]); i++) {
        assert_int_equal(tz_pace_time_progress(&r, month_vectors[i].month, &bp, &err), TZ_OK);
        assert_int_equal(bp, month_vectors[i].bp);
    }
    /* January alone is not a period while 1-2月 are combined */
    bp = 99;
    assert_int_equal(tz_pace_time_progress(&r, 1, &bp, &err), TZ_EINVAL);
    assert_string_equal(err.field, "period");
    assert_int_equal(bp, 0);
    r.jan_feb_combined = false;
    assert_int_equal(tz_pace_time_progress(&r, 1, &bp, &err), TZ_OK);
    assert_int_equal(bp, 833);
    assert_int_equal(tz_pace_time_progress(&r, 13, &bp, &err), TZ_EINVAL);
    assert_string_equal(err.field, "period");
    assert_int_equal(tz_pace_time_progress(&r, -1, &bp, &err), TZ_EINVAL);
}

static const struct {
    int y, m, d;
    int combined; /* months closed with jan_feb_combined */
    int separate; /* without */
} closed_vectors[] = {
    {2026, 1, 1, 0, 0},  {2026, 1, 30, 0, 0}, {2026, 1, 31, 0, 1},    {2026, 2, 1, 0, 1},
    {2026, 2, 27, 0, 1}, {2026, 2, 28, 2, 2}, {2028, 2, 28, 0, 1},    {2028, 2, 29, 2, 2},
    {2026, 3, 1, 2, 2},  {2026, 3, 15, 2, 2}, {2026, 3, 30, 2, 2},    {2026, 3, 31, 3, 3},
    {2026, 6, 30, 6, 6}, {2026, 7, 1, 6, 6},  {2026, 12, 30, 11, 11}, {2026, 12, 31, 12, 12},
};

static void test_months_closed(void **state)
{
    (void)state;
    struct tz_pace_rules r = defaults();
    struct tz_pace_rules sep = defaults();
    sep.jan_feb_combined = false;

    for (size_t i = 0; i < sizeof(closed_vectors) / sizeof(closed_vectors[0]); i++) {
        int32_t d = tz_date_from_ymd(closed_vectors[i].y, closed_vectors[i].m, closed_vectors[i].d);
        assert_int_equal(tz_pace_months_closed(&r, d), closed_vectors[i].combined);
        assert_int_equal(tz_pace_months_closed(&sep, d), closed_vectors[i].separate);
    }
}

/* ---- the example of DOMAIN 7.2 ---- */

static void test_domain_example(void **state)
{
    (void)state;
    struct tz_pace_rules r = defaults();
    struct tz_pace_verdict v;
    struct tz_err err;
    char reason[TZ_PACE_REASON_SIZE];

    /* after 1-2月, 12.85% of the annual target against 16.67% */
    struct tz_pace_plan plan = {.month = 2, .value = 1285, .annual_target = 10000};
    assert_int_equal(tz_pace_judge_plan(&r, &plan, &v, reason, sizeof(reason), &err), TZ_OK);
    assert_int_equal(v.light, TZ_LIGHT_YELLOW);
    assert_int_equal(v.why, TZ_PACE_BEHIND);
    assert_true(v.has_lag);
    assert_int_equal(v.actual_bp, 1285);
    assert_int_equal(v.expected_bp, 1667);
    assert_int_equal(v.lag_bp, 382);
    assert_string_equal(reason, "完成年度目标12.85%，时序进度16.67%，低于时序进度3.82个百分点");

    /* the same figures for key projects (the bulletin's own case), in 万元 */
    struct tz_pace_project p = {
        .phase = TZ_PACE_PHASE_CONSTRUCTION,
        .annual_plan = 8650000, /* 86500.00 万元 */
        .completed = 1111525,   /* 11115.25 万元 = 12.85% */
        .day = tz_date_from_ymd(2026, 3, 10),
    };
    assert_int_equal(tz_pace_judge_project(&r, &p, &v, reason, sizeof(reason), &err), TZ_OK);
    assert_int_equal(v.light, TZ_LIGHT_YELLOW);
    assert_int_equal(v.lag_bp, 382);
    assert_string_equal(reason, "年度计划投资完成12.85%，时序进度16.67%，低于时序进度3.82个百分点");
}

/* ---- growth-rate targets ---- */

enum variant { V_DEFAULT, V_BAND_50_200, V_NO_NEGATIVE, V_NO_FLIP, V_NEITHER };

static struct tz_pace_rules variant_rules(enum variant var)
{
    struct tz_pace_rules r = defaults();
    switch (var) {
    case V_DEFAULT:
        break;
    case V_BAND_50_200:
        r = banded(50, 200);
        break;
    case V_NO_NEGATIVE:
        r.negative_growth_red = false;
        break;
    case V_NO_FLIP:
        r.sign_flip_red = false;
        break;
    case V_NEITHER:
        r.negative_growth_red = false;
        r.sign_flip_red = false;
        break;
    }
    return r;
}

static const struct {
    enum variant var;
    int64_t yoy, target, prev;
    enum tz_light light;
    enum tz_pace_why why;
    int64_t lag;
    const char *reason; /* NULL: not checked */
} growth_vectors[] = {
    /* defaults: green at the target, yellow down to 1 pp below, red past it */
    {V_DEFAULT, 650, 650, NONE, TZ_LIGHT_GREEN, TZ_PACE_ON_PACE, 0,
     "增速6.50%，目标6.50%，达到目标"},
    {V_DEFAULT, 680, 650, NONE, TZ_LIGHT_GREEN, TZ_PACE_ON_PACE, -30,
     "增速6.80%，目标6.50%，高于目标0.30个百分点"},
    {V_DEFAULT, 649, 650, NONE, TZ_LIGHT_YELLOW, TZ_PACE_BEHIND, 1,
     "增速6.49%，目标6.50%，低于目标0.01个百分点"},
    {V_DEFAULT, 550, 650, NONE, TZ_LIGHT_YELLOW, TZ_PACE_BEHIND, 100, NULL},
    {V_DEFAULT, 549, 650, NONE, TZ_LIGHT_RED, TZ_PACE_FAR_BEHIND, 101, NULL},
    {V_DEFAULT, 500, 650, NONE, TZ_LIGHT_RED, TZ_PACE_FAR_BEHIND, 150,
     "增速5.00%，目标6.50%，低于目标1.50个百分点"},
    /* zero growth is not negative; below zero is red whatever the target */
    {V_DEFAULT, 0, 50, NONE, TZ_LIGHT_YELLOW, TZ_PACE_BEHIND, 50, NULL},
    {V_DEFAULT, 0, 0, NONE, TZ_LIGHT_GREEN, TZ_PACE_ON_PACE, 0, NULL},
    {V_DEFAULT, -1, 0, NONE, TZ_LIGHT_RED, TZ_PACE_NEGATIVE, 1, "增速-0.01%，目标0.00%，负增长"},
    {V_DEFAULT, -210, -300, NONE, TZ_LIGHT_RED, TZ_PACE_NEGATIVE, -90, NULL},
    /* 正转负: previous >= 0 (zero included), this < 0 */
    {V_DEFAULT, -50, 650, 120, TZ_LIGHT_RED, TZ_PACE_SIGN_FLIP, 700,
     "增速-0.50%，目标6.50%，由正转负（上期1.20%）"},
    {V_DEFAULT, -1, 0, 0, TZ_LIGHT_RED, TZ_PACE_SIGN_FLIP, 1, NULL},
    {V_DEFAULT, -50, 650, -10, TZ_LIGHT_RED, TZ_PACE_NEGATIVE, 700, NULL},
    {V_DEFAULT, 0, 0, 120, TZ_LIGHT_GREEN, TZ_PACE_ON_PACE, 0, NULL},
    {V_DEFAULT, 700, 650, -120, TZ_LIGHT_GREEN, TZ_PACE_ON_PACE, -50, NULL},
    /* switched off one by one */
    {V_NO_FLIP, -50, 650, 120, TZ_LIGHT_RED, TZ_PACE_NEGATIVE, 700, NULL},
    {V_NO_NEGATIVE, -50, 650, 120, TZ_LIGHT_RED, TZ_PACE_SIGN_FLIP, 700, NULL},
    {V_NO_NEGATIVE, -210, -300, NONE, TZ_LIGHT_GREEN, TZ_PACE_ON_PACE, -90, NULL},
    {V_NO_NEGATIVE, -350, -300, NONE, TZ_LIGHT_YELLOW, TZ_PACE_BEHIND, 50, NULL},
    {V_NEITHER, -50, 650, 120, TZ_LIGHT_RED, TZ_PACE_FAR_BEHIND, 700, NULL},
    {V_NEITHER, -50, -100, 120, TZ_LIGHT_GREEN, TZ_PACE_ON_PACE, -50, NULL},
    /* a wider band: green down to 0.5 pp below, yellow to 2 pp */
    {V_BAND_50_200, 600, 650, NONE, TZ_LIGHT_GREEN, TZ_PACE_ON_PACE, 50, NULL},
    {V_BAND_50_200, 599, 650, NONE, TZ_LIGHT_YELLOW, TZ_PACE_BEHIND, 51, NULL},
    {V_BAND_50_200, 450, 650, NONE, TZ_LIGHT_YELLOW, TZ_PACE_BEHIND, 200, NULL},
    {V_BAND_50_200, 449, 650, NONE, TZ_LIGHT_RED, TZ_PACE_FAR_BEHIND, 201, NULL},
};

static void test_growth(void **state)
{
    (void)state;
    struct tz_pace_verdict v;
    struct tz_err err;
    char reason[TZ_PACE_REASON_SIZE];

    for (size_t i = 0; i < sizeof(growth_vectors) / sizeof(growth_vectors[0]); i++) {
        struct tz_pace_rules r = variant_rules(growth_vectors[i].var);
        struct tz_pace_growth g = {.yoy_bp = growth_vectors[i].yoy,
                                   .target_bp = growth_vectors[i].target,
                                   .prev_yoy_bp = growth_vectors[i].prev};
        print_message("growth row %zu\n", i);
        assert_int_equal(tz_pace_judge_growth(&r, &g, &v, reason, sizeof(reason), &err), TZ_OK);
        assert_int_equal(v.light, growth_vectors[i].light);
        assert_int_equal(v.why, growth_vectors[i].why);
        assert_true(v.has_lag);
        assert_int_equal(v.lag_bp, growth_vectors[i].lag);
        assert_int_equal(v.actual_bp, growth_vectors[i].yoy);
        assert_int_equal(v.expected_bp, growth_vectors[i].target);
        if (growth_vectors[i].reason)
            assert_string_equal(reason, growth_vectors[i].reason);
    }
}

/* ---- absolute targets ---- */

static const struct {
    enum variant var;
    int month;
    int64_t value, target;
    enum tz_light light;
    int64_t lag;
    const char *reason;
} plan_vectors[] = {
    /* month 6: time progress 50.00% */
    {V_DEFAULT, 6, 5000, 10000, TZ_LIGHT_GREEN, 0,
     "完成年度目标50.00%，时序进度50.00%，与时序进度持平"},
    {V_DEFAULT, 6, 6000, 10000, TZ_LIGHT_GREEN, -1000,
     "完成年度目标60.00%，时序进度50.00%，超过时序进度10.00个百分点"},
    {V_DEFAULT, 6, 4999, 10000, TZ_LIGHT_YELLOW, 1, NULL},
    {V_DEFAULT, 6, 4500, 10000, TZ_LIGHT_YELLOW, 500, NULL},
    {V_DEFAULT, 6, 4499, 10000, TZ_LIGHT_RED, 501, NULL},
    {V_DEFAULT, 6, -100, 10000, TZ_LIGHT_RED, 5100, NULL},
    /* year end: the whole target */
    {V_DEFAULT, 12, 10000, 10000, TZ_LIGHT_GREEN, 0, NULL},
    {V_DEFAULT, 12, 9500, 10000, TZ_LIGHT_YELLOW, 500, NULL},
    {V_DEFAULT, 12, 9499, 10000, TZ_LIGHT_RED, 501, NULL},
    /* rounded figures decide: 1/3 of the target is 33.33% = time progress of April */
    {V_DEFAULT, 4, 100, 300, TZ_LIGHT_GREEN, 0, NULL},
    {V_DEFAULT, 2, 50, 300, TZ_LIGHT_GREEN, 0, NULL},    /* 16.666..% -> 16.67% */
    {V_DEFAULT, 2, 1, 20000, TZ_LIGHT_RED, 1666, NULL},  /* 0.005% -> 0.01%, half up */
    {V_DEFAULT, 2, -1, 20000, TZ_LIGHT_RED, 1668, NULL}, /* -0.005% -> -0.01% */
    /* a wider band */
    {V_BAND_50_200, 6, 4950, 10000, TZ_LIGHT_GREEN, 50, NULL},
    {V_BAND_50_200, 6, 4949, 10000, TZ_LIGHT_YELLOW, 51, NULL},
    {V_BAND_50_200, 6, 4800, 10000, TZ_LIGHT_YELLOW, 200, NULL},
    {V_BAND_50_200, 6, 4799, 10000, TZ_LIGHT_RED, 201, NULL},
};

static void test_plan(void **state)
{
    (void)state;
    struct tz_pace_verdict v;
    struct tz_err err;
    char reason[TZ_PACE_REASON_SIZE];

    for (size_t i = 0; i < sizeof(plan_vectors) / sizeof(plan_vectors[0]); i++) {
        struct tz_pace_rules r = variant_rules(plan_vectors[i].var);
        struct tz_pace_plan p = {.month = plan_vectors[i].month,
                                 .value = plan_vectors[i].value,
                                 .annual_target = plan_vectors[i].target};
        print_message("plan row %zu\n", i);
        assert_int_equal(tz_pace_judge_plan(&r, &p, &v, reason, sizeof(reason), &err), TZ_OK);
        assert_int_equal(v.light, plan_vectors[i].light);
        assert_int_equal(v.lag_bp, plan_vectors[i].lag);
        if (plan_vectors[i].reason)
            assert_string_equal(reason, plan_vectors[i].reason);
    }

    /* January reported alone, where the locality does so */
    struct tz_pace_rules r = defaults();
    r.jan_feb_combined = false;
    struct tz_pace_plan jan = {.month = 1, .value = 833, .annual_target = 10000};
    assert_int_equal(tz_pace_judge_plan(&r, &jan, &v, NULL, 0, &err), TZ_OK);
    assert_int_equal(v.light, TZ_LIGHT_GREEN);
    assert_int_equal(v.expected_bp, 833);
}

/* ---- projects ---- */

static const struct {
    enum tz_pace_phase phase;
    enum tz_pace_phase judged_from; /* NONE: the default */
    enum tz_light light;
    enum tz_pace_why why;
} phase_vectors[] = {
    /* 10 pp behind at the end of June: red when judged */
    {TZ_PACE_PHASE_NONE, TZ_PACE_PHASE_NONE, TZ_LIGHT_RED, TZ_PACE_FAR_BEHIND},
    {TZ_PACE_PHASE_PLANNING, TZ_PACE_PHASE_NONE, TZ_LIGHT_NONE, TZ_PACE_NOT_JUDGED},
    {TZ_PACE_PHASE_PREPARATION, TZ_PACE_PHASE_NONE, TZ_LIGHT_NONE, TZ_PACE_NOT_JUDGED},
    {TZ_PACE_PHASE_TO_START, TZ_PACE_PHASE_NONE, TZ_LIGHT_NONE, TZ_PACE_NOT_JUDGED},
    {TZ_PACE_PHASE_STARTED, TZ_PACE_PHASE_NONE, TZ_LIGHT_RED, TZ_PACE_FAR_BEHIND},
    {TZ_PACE_PHASE_CONSTRUCTION, TZ_PACE_PHASE_NONE, TZ_LIGHT_RED, TZ_PACE_FAR_BEHIND},
    {TZ_PACE_PHASE_COMPLETED, TZ_PACE_PHASE_NONE, TZ_LIGHT_RED, TZ_PACE_FAR_BEHIND},
    {TZ_PACE_PHASE_OPERATING, TZ_PACE_PHASE_NONE, TZ_LIGHT_RED, TZ_PACE_FAR_BEHIND},
    {TZ_PACE_PHASE_SUSPENDED, TZ_PACE_PHASE_NONE, TZ_LIGHT_RED, TZ_PACE_SUSPENDED},
    /* judged only from 在建 */
    {TZ_PACE_PHASE_STARTED, TZ_PACE_PHASE_CONSTRUCTION, TZ_LIGHT_NONE, TZ_PACE_NOT_JUDGED},
    {TZ_PACE_PHASE_CONSTRUCTION, TZ_PACE_PHASE_CONSTRUCTION, TZ_LIGHT_RED, TZ_PACE_FAR_BEHIND},
    {TZ_PACE_PHASE_NONE, TZ_PACE_PHASE_CONSTRUCTION, TZ_LIGHT_RED, TZ_PACE_FAR_BEHIND},
    /* judged from the first phase on */
    {TZ_PACE_PHASE_PLANNING, TZ_PACE_PHASE_PLANNING, TZ_LIGHT_RED, TZ_PACE_FAR_BEHIND},
    {TZ_PACE_PHASE_SUSPENDED, TZ_PACE_PHASE_PLANNING, TZ_LIGHT_RED, TZ_PACE_SUSPENDED},
};

static void test_project_phases(void **state)
{
    (void)state;
    struct tz_pace_verdict v;
    struct tz_err err;
    char reason[TZ_PACE_REASON_SIZE];

    for (size_t i = 0; i < sizeof(phase_vectors) / sizeof(phase_vectors[0]); i++) {
        struct tz_pace_rules r = defaults();
        if (phase_vectors[i].judged_from != TZ_PACE_PHASE_NONE)
            r.project_judged_from = phase_vectors[i].judged_from;
        struct tz_pace_project p = {.phase = phase_vectors[i].phase,
                                    .annual_plan = 10000,
                                    .completed = 4000,
                                    .day = tz_date_from_ymd(2026, 6, 30)};
        print_message("phase row %zu\n", i);
        assert_int_equal(tz_pace_judge_project(&r, &p, &v, reason, sizeof(reason), &err), TZ_OK);
        assert_int_equal(v.light, phase_vectors[i].light);
        assert_int_equal(v.why, phase_vectors[i].why);
        if (v.why == TZ_PACE_FAR_BEHIND) {
            assert_true(v.has_lag);
            assert_int_equal(v.lag_bp, 1000);
        } else {
            assert_false(v.has_lag);
        }
    }

    /* phases not judged need no amounts; nor does 停缓建 */
    struct tz_pace_rules r = defaults();
    struct tz_pace_project p = {.phase = TZ_PACE_PHASE_PREPARATION,
                                .annual_plan = NONE,
                                .completed = NONE,
                                .day = TZ_DAY_NONE};
    assert_int_equal(tz_pace_judge_project(&r, &p, &v, reason, sizeof(reason), &err), TZ_OK);
    assert_int_equal(v.light, TZ_LIGHT_NONE);
    assert_string_equal(reason, "项目处于前期阶段，不计投资进度");
    p.phase = TZ_PACE_PHASE_SUSPENDED;
    assert_int_equal(tz_pace_judge_project(&r, &p, &v, reason, sizeof(reason), &err), TZ_OK);
    assert_int_equal(v.light, TZ_LIGHT_RED);
    assert_string_equal(reason, "项目停缓建");
}

static const struct {
    enum variant var;
    int m, d;
    int64_t completed; /* of an annual plan of 100.00 万元, so cents = bp */
    enum tz_light light;
    int64_t lag;
} project_vectors[] = {
    /* 30 June: 50.00% */
    {V_DEFAULT, 6, 30, 5000, TZ_LIGHT_GREEN, 0},
    {V_DEFAULT, 6, 30, 12000, TZ_LIGHT_GREEN, -7000}, /* over the annual plan */
    {V_DEFAULT, 6, 30, 4999, TZ_LIGHT_YELLOW, 1},
    {V_DEFAULT, 6, 30, 4500, TZ_LIGHT_YELLOW, 500},
    {V_DEFAULT, 6, 30, 4499, TZ_LIGHT_RED, 501},
    /* inside July the closed months are still six */
    {V_DEFAULT, 7, 15, 4500, TZ_LIGHT_YELLOW, 500},
    {V_DEFAULT, 7, 31, 5833, TZ_LIGHT_GREEN, 0},
    {V_DEFAULT, 7, 31, 5832, TZ_LIGHT_YELLOW, 1},
    /* January: no period closed yet, nothing can be behind */
    {V_DEFAULT, 1, 31, 0, TZ_LIGHT_GREEN, 0},
    {V_DEFAULT, 2, 28, 1167, TZ_LIGHT_YELLOW, 500},
    {V_DEFAULT, 2, 28, 1166, TZ_LIGHT_RED, 501},
    {V_DEFAULT, 12, 31, 0, TZ_LIGHT_RED, 10000},
    /* a wider band */
    {V_BAND_50_200, 6, 30, 4950, TZ_LIGHT_GREEN, 50},
    {V_BAND_50_200, 6, 30, 4949, TZ_LIGHT_YELLOW, 51},
    {V_BAND_50_200, 6, 30, 4800, TZ_LIGHT_YELLOW, 200},
    {V_BAND_50_200, 6, 30, 4799, TZ_LIGHT_RED, 201},
};

static void test_project_bands(void **state)
{
    (void)state;
    struct tz_pace_verdict v;
    struct tz_err err;

    for (size_t i = 0; i < sizeof(project_vectors) / sizeof(project_vectors[0]); i++) {
        struct tz_pace_rules r = variant_rules(project_vectors[i].var);
        struct tz_pace_project p = {
            .phase = TZ_PACE_PHASE_CONSTRUCTION,
            .annual_plan = 10000,
            .completed = project_vectors[i].completed,
            .day = tz_date_from_ymd(2026, project_vectors[i].m, project_vectors[i].d),
        };
        print_message("project row %zu\n", i);
        assert_int_equal(tz_pace_judge_project(&r, &p, &v, NULL, 0, &err), TZ_OK);
        assert_int_equal(v.light, project_vectors[i].light);
        assert_int_equal(v.lag_bp, project_vectors[i].lag);
    }

    /* the project band is its own: a 20 pp red line leaves the indicators alone */
    struct tz_pace_rules r = defaults();
    r.project = (struct tz_pace_band){1000, 2000};
    struct tz_pace_project p = {.phase = TZ_PACE_PHASE_CONSTRUCTION,
                                .annual_plan = 10000,
                                .completed = 3000,
                                .day = tz_date_from_ymd(2026, 6, 30)};
    assert_int_equal(tz_pace_judge_project(&r, &p, &v, NULL, 0, &err), TZ_OK);
    assert_int_equal(v.light, TZ_LIGHT_YELLOW);
    p.completed = 2999;
    assert_int_equal(tz_pace_judge_project(&r, &p, &v, NULL, 0, &err), TZ_OK);
    assert_int_equal(v.light, TZ_LIGHT_RED);
    p.completed = 4000;
    assert_int_equal(tz_pace_judge_project(&r, &p, &v, NULL, 0, &err), TZ_OK);
    assert_int_equal(v.light, TZ_LIGHT_GREEN);
    struct tz_pace_plan plan = {.month = 6, .value = 4000, .annual_target = 10000};
    assert_int_equal(tz_pace_judge_plan(&r, &plan, &v, NULL, 0, &err), TZ_OK);
    assert_int_equal(v.light, TZ_LIGHT_RED);

    /* January on its own, where the locality reports it: 8.33% is due by 31 January */
    r = defaults();
    r.jan_feb_combined = false;
    p.completed = 333;
    p.day = tz_date_from_ymd(2026, 1, 31);
    assert_int_equal(tz_pace_judge_project(&r, &p, &v, NULL, 0, &err), TZ_OK);
    assert_int_equal(v.light, TZ_LIGHT_YELLOW);
    assert_int_equal(v.lag_bp, 500);

    /* the messages say what is wanted */
    p.completed = -1;
    assert_int_equal(tz_pace_judge_project(&r, &p, &v, NULL, 0, &err), TZ_EINVAL);
    assert_string_equal(err.msg, "'completed_investment' must be 0 or more");
    p.completed = 0;
    p.annual_plan = 0;
    assert_int_equal(tz_pace_judge_project(&r, &p, &v, NULL, 0, &err), TZ_EINVAL);
    assert_string_equal(err.msg, "'annual_plan_investment' must be greater than 0");
}

/* ---- refusals ---- */

enum judge { J_GROWTH, J_PLAN, J_PROJECT };

static const struct {
    enum judge judge;
    int setting; /* 0 none; else which setting is broken */
    int64_t a, b, c;
    int month_or_phase;
    const char *field;
} refusal_vectors[] = {
    {J_GROWTH, 0, NONE, 650, NONE, 0, "yoy"},
    {J_GROWTH, 0, 500, NONE, NONE, 0, "target"},
    {J_GROWTH, 0, TZ_PACE_BP_MAX + 1, 650, NONE, 0, "yoy"},
    {J_GROWTH, 0, 500, 650, -TZ_PACE_BP_MAX - 1, 0, "prev_yoy"},
    {J_PLAN, 0, 1000, 10000, 0, 0, "period"},
    {J_PLAN, 0, 1000, 10000, 0, 1, "period"},
    {J_PLAN, 0, 1000, 10000, 0, 13, "period"},
    {J_PLAN, 0, NONE, 10000, 0, 6, "value"},
    {J_PLAN, 0, TZ_PACE_AMOUNT_MAX + 1, 10000, 0, 6, "value"},
    {J_PLAN, 0, 1000, 0, 0, 6, "annual_target"},
    {J_PLAN, 0, 1000, -10000, 0, 6, "annual_target"},
    {J_PLAN, 0, 1000, NONE, 0, 6, "annual_target"},
    {J_PROJECT, 0, 10000, -1, 0, TZ_PACE_PHASE_CONSTRUCTION, "completed_investment"},
    {J_PROJECT, 0, 10000, NONE, 0, TZ_PACE_PHASE_CONSTRUCTION, "completed_investment"},
    {J_PROJECT, 0, 10000, TZ_PACE_AMOUNT_MAX + 1, 0, TZ_PACE_PHASE_STARTED, "completed_investment"},
    {J_PROJECT, 0, NONE, 100, 0, TZ_PACE_PHASE_CONSTRUCTION, "annual_plan_investment"},
    {J_PROJECT, 0, 0, 100, 0, TZ_PACE_PHASE_CONSTRUCTION, "annual_plan_investment"},
    {J_PROJECT, 0, -5, 100, 0, TZ_PACE_PHASE_NONE, "annual_plan_investment"},
    {J_PROJECT, 0, 10000, 100, 1, TZ_PACE_PHASE_CONSTRUCTION, "date"},
    {J_PROJECT, 0, 10000, 100, 0, TZ__PACE_PHASE_COUNT, "phase"},
    {J_PROJECT, 0, 10000, 100, 0, -1, "phase"},
    /* broken settings, judged before any input */
    {J_GROWTH, 1, 500, 650, NONE, 0, "growth"},
    {J_PLAN, 2, 1000, 10000, 0, 6, "plan"},
    {J_PROJECT, 3, 10000, 100, 0, TZ_PACE_PHASE_CONSTRUCTION, "project"},
    {J_PROJECT, 4, 10000, 100, 0, TZ_PACE_PHASE_CONSTRUCTION, "project"},
    {J_PROJECT, 5, 10000, 100, 0, TZ_PACE_PHASE_CONSTRUCTION, "project_judged_from"},
    {J_PROJECT, 6, 10000, 100, 0, TZ_PACE_PHASE_CONSTRUCTION, "project_judged_from"},
};

static struct tz_pace_rules broken_rules(int setting)
{
    struct tz_pace_rules r = defaults();
    switch (setting) {
    case 1:
        r.growth.red_over_bp = -1; /* below yellow */
        break;
    case 2:
        r.plan.yellow_over_bp = 600; /* above red */
        break;
    case 3:
        r.project.red_over_bp = TZ_PACE_BP_FULL + 1;
        break;
    case 4:
        r.project.yellow_over_bp = -1;
        break;
    case 5:
        r.project_judged_from = TZ_PACE_PHASE_SUSPENDED;
        break;
    case 6:
        r.project_judged_from = TZ_PACE_PHASE_NONE;
        break;
    default:
        break;
    }
    return r;
}

static void test_refusals(void **state)
{
    (void)state;
    struct tz_err err;
    char reason[TZ_PACE_REASON_SIZE];

    for (size_t i = 0; i < sizeof(refusal_vectors) / sizeof(refusal_vectors[0]); i++) {
        struct tz_pace_rules r = broken_rules(refusal_vectors[i].setting);
        struct tz_pace_verdict v = {.light = TZ_LIGHT_RED, .has_lag = true, .lag_bp = 7};
        enum tz_status st = TZ_OK;
        snprintf(reason, sizeof(reason), "stale");
        print_message("refusal row %zu\n", i);
        switch (refusal_vectors[i].judge) {
        case J_GROWTH: {
            struct tz_pace_growth g = {refusal_vectors[i].a, refusal_vectors[i].b,
                                       refusal_vectors[i].c};
            st = tz_pace_judge_growth(&r, &g, &v, reason, sizeof(reason), &err);
            break;
        }
        case J_PLAN: {
            struct tz_pace_plan p = {refusal_vectors[i].month_or_phase, refusal_vectors[i].a,
                                     refusal_vectors[i].b};
            st = tz_pace_judge_plan(&r, &p, &v, reason, sizeof(reason), &err);
            break;
        }
        case J_PROJECT: {
            struct tz_pace_project p = {
                .phase = (enum tz_pace_phase)refusal_vectors[i].month_or_phase,
                .annual_plan = refusal_vectors[i].a,
                .completed = refusal_vectors[i].b,
                .day = refusal_vectors[i].c ? TZ_DAY_NONE : tz_date_from_ymd(2026, 6, 30),
            };
            st = tz_pace_judge_project(&r, &p, &v, reason, sizeof(reason), &err);
            break;
        }
        }
        assert_int_equal(st, TZ_EINVAL);
        assert_string_equal(err.field, refusal_vectors[i].field);
        assert_non_null(strstr(err.msg, refusal_vectors[i].field));
        assert_int_equal(v.light, TZ_LIGHT_NONE);
        assert_false(v.has_lag);
        assert_int_equal(v.lag_bp, 0);
        assert_string_equal(reason, "");
    }
}

/* ---- conversions and texts ---- */

static void test_cents(void **state)
{
    (void)state;
    struct tz_err err;
    int64_t c;

    static const struct {
        double v;
        int64_t cents;
    } ok[] = {
        {12.85, 1285},     {16.67, 1667}, {-2.1, -210}, {0, 0},       {0.1 + 0.2, 30},
        {1234.56, 123456}, {0.004, 0},    {0.006, 1},   {-0.006, -1}, {1e12, TZ_PACE_AMOUNT_MAX},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        assert_int_equal(tz_pace_cents(ok[i].v, "value", &c, &err), TZ_OK);
        assert_int_equal(c, ok[i].cents);
    }
    static const double bad[] = {NAN, INFINITY, -INFINITY, 1.0000001e12, -2e12};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        c = 5;
        assert_int_equal(tz_pace_cents(bad[i], "completed_investment", &c, &err), TZ_EINVAL);
        assert_string_equal(err.field, "completed_investment");
        assert_int_equal(c, 0);
    }
}

static void test_bp_text(void **state)
{
    (void)state;
    char buf[TZ_PACE_BP_TEXT];

    assert_string_equal(tz_pace_bp_text(382, buf), "3.82");
    assert_string_equal(tz_pace_bp_text(1667, buf), "16.67");
    assert_string_equal(tz_pace_bp_text(0, buf), "0.00");
    assert_string_equal(tz_pace_bp_text(5, buf), "0.05");
    assert_string_equal(tz_pace_bp_text(-5, buf), "-0.05");
    assert_string_equal(tz_pace_bp_text(-210, buf), "-2.10");
    assert_string_equal(tz_pace_bp_text(10000, buf), "100.00");
    assert_string_equal(tz_pace_bp_text(INT64_MIN, buf), "-92233720368547758.08");
}

static void test_phase_labels(void **state)
{
    (void)state;
    static const char *const labels[] = {"谋划", "前期", "计划新开工", "新开工",
                                         "在建", "竣工", "投产达效",   "停缓建"};
    enum tz_pace_phase p;

    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
        assert_true(tz_pace_phase_parse(labels[i], &p));
        assert_int_equal(p, (int)i + TZ_PACE_PHASE_PLANNING);
        assert_string_equal(tz_pace_phase_label(p), labels[i]);
    }
    assert_true(tz_pace_phase_parse(NULL, &p));
    assert_int_equal(p, TZ_PACE_PHASE_NONE);
    p = TZ_PACE_PHASE_OPERATING;
    assert_true(tz_pace_phase_parse("", &p));
    assert_int_equal(p, TZ_PACE_PHASE_NONE);
    p = TZ_PACE_PHASE_OPERATING;
    assert_false(tz_pace_phase_parse("续建", &p));
    assert_false(tz_pace_phase_parse("construction", &p));
    assert_int_equal(p, TZ_PACE_PHASE_OPERATING);
    assert_string_equal(tz_pace_phase_label(TZ_PACE_PHASE_NONE), "");
    assert_string_equal(tz_pace_phase_label(TZ__PACE_PHASE_COUNT), "?");
}

/* A short buffer is cut at a character boundary, never inside one. */
static void test_reason_buffer(void **state)
{
    (void)state;
    struct tz_pace_rules r = defaults();
    struct tz_pace_plan plan = {.month = 2, .value = 1285, .annual_target = 10000};
    struct tz_pace_verdict v;
    struct tz_err err;
    char buf[TZ_PACE_REASON_SIZE];

    /* "完成" is 6 bytes; 7 or 8 bytes of room keep just those two characters */
    static const struct {
        size_t size;
        const char *text;
    } cuts[] = {{1, ""}, {3, ""}, {4, "完"}, {7, "完成"}, {8, "完成"}, {9, "完成"}, {10, "完成年"}};
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        memset(buf, 'x', sizeof(buf));
        assert_int_equal(tz_pace_judge_plan(&r, &plan, &v, buf, cuts[i].size, &err), TZ_OK);
        assert_string_equal(buf, cuts[i].text);
        assert_int_equal(buf[cuts[i].size], 'x'); /* nothing written past the size */
    }
    assert_int_equal(tz_pace_judge_plan(&r, &plan, &v, NULL, 0, &err), TZ_OK);
    assert_int_equal(v.light, TZ_LIGHT_YELLOW);

    /* exactly room for the text, and one byte short of it (the last character goes) */
    static const char full[] = "完成年度目标12.85%，时序进度16.67%，低于时序进度3.82个百分点";
    memset(buf, 'x', sizeof(buf));
    assert_int_equal(tz_pace_judge_plan(&r, &plan, &v, buf, sizeof(full), &err), TZ_OK);
    assert_string_equal(buf, full);
    memset(buf, 'x', sizeof(buf));
    assert_int_equal(tz_pace_judge_plan(&r, &plan, &v, buf, sizeof(full) - 1, &err), TZ_OK);
    assert_int_equal(strlen(buf), sizeof(full) - 1 - strlen("点"));
    assert_int_equal(buf[sizeof(full) - 1], 'x');

    /* the longest reason fits TZ_PACE_REASON_SIZE */
    struct tz_pace_plan wide = {.month = 12, .value = -TZ_PACE_AMOUNT_MAX, .annual_target = 1};
    assert_int_equal(tz_pace_judge_plan(&r, &wide, &v, buf, sizeof(buf), &err), TZ_OK);
    assert_true(strlen(buf) < sizeof(buf) - 1);
    assert_non_null(strstr(buf, "个百分点"));
    struct tz_pace_growth g = {-TZ_PACE_BP_MAX, TZ_PACE_BP_MAX, TZ_PACE_BP_MAX};
    assert_int_equal(tz_pace_judge_growth(&r, &g, &v, buf, sizeof(buf), &err), TZ_OK);
    assert_non_null(strstr(buf, "由正转负"));
    assert_non_null(strstr(buf, "）"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),       cmocka_unit_test(test_time_progress),
        cmocka_unit_test(test_months_closed),  cmocka_unit_test(test_domain_example),
        cmocka_unit_test(test_growth),         cmocka_unit_test(test_plan),
        cmocka_unit_test(test_project_phases), cmocka_unit_test(test_project_bands),
        cmocka_unit_test(test_refusals),       cmocka_unit_test(test_cents),
        cmocka_unit_test(test_bp_text),        cmocka_unit_test(test_phase_labels),
        cmocka_unit_test(test_reason_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
