/*
 * test_monitor.c - water class, section compliance and AQI bands
 * (include/tz/monitor.h; DOMAIN 10.2).
 *
 * The tests are tables:
 *
 *   - every class limit of every item, at the limit and one thousandth past it
 *     on the worse side, written as text so the exact parser is on the path:
 *     DO's reversed direction, the shared limits of COD and BOD5 (Ⅰ wins),
 *     TP for rivers and for lakes, TN for lakes and ignored for rivers, pH
 *     inside and outside 6-9; each value is checked alone and as a one-item
 *     sample;
 *   - samples of several items: the worst item decides, ties name every
 *     deciding item, 劣Ⅴ, pH on its own;
 *   - 超标因子 and their multiples against targets Ⅱ, Ⅲ and Ⅳ, with the order
 *     of the list and the half-up rounding;
 *   - compliance of every class against targets Ⅱ, Ⅲ and Ⅳ;
 *   - AQI at every band edge, the 优良 ratio, and refusals with the code and
 *     field expected.
 */
#include "tz/monitor.h"

#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

#define DO     TZ_MONITOR_ITEM_DO
#define COD_MN TZ_MONITOR_ITEM_COD_MN
#define COD    TZ_MONITOR_ITEM_COD
#define BOD5   TZ_MONITOR_ITEM_BOD5
#define NH3_N  TZ_MONITOR_ITEM_NH3_N
#define TP     TZ_MONITOR_ITEM_TP
#define TN     TZ_MONITOR_ITEM_TN
#define PH     TZ_MONITOR_ITEM_PH

#define RIVER TZ_MONITOR_BODY_RIVER
#define LAKE  TZ_MONITOR_BODY_LAKE

#define C0 TZ_MONITOR_CLASS_NONE
#define C1 TZ_MONITOR_CLASS_I
#define C2 TZ_MONITOR_CLASS_II
#define C3 TZ_MONITOR_CLASS_III
#define C4 TZ_MONITOR_CLASS_IV
#define C5 TZ_MONITOR_CLASS_V
#define C6 TZ_MONITOR_CLASS_WORSE_V

#define BIT(item) (1u << (item))

/* Builds a sample from "item=value" pairs ending with NULL; fails the test on a refusal. */
static struct tz_monitor_sample sample_of(const char *const pairs[])
{
    struct tz_monitor_sample s;

    tz_monitor_sample_init(&s);
    for (size_t i = 0; pairs[i] != NULL; i += 2) {
        struct tz_err err;

        tz_err_clear(&err);
        if (tz_monitor_sample_set_text(&s, pairs[i], pairs[i + 1], &err) != TZ_OK) {
            fail_msg("%s=%s refused: %s", pairs[i], pairs[i + 1], err.msg);
        }
    }
    return s;
}

/* ---- every class limit of every item -------------------------------------------------------- */

struct limit_case {
    enum tz_monitor_item item;
    enum tz_monitor_body body;
    const char *value;
    enum tz_monitor_class cls;
};

static const struct limit_case limit_cases[] = {
    /* DO: >= limits, so one thousandth below a limit is the next class down */
    {DO, RIVER, "20", C1},
    {DO, RIVER, "7.5", C1},
    {DO, RIVER, "7.499", C2},
    {DO, RIVER, "6", C2},
    {DO, RIVER, "5.999", C3},
    {DO, RIVER, "5", C3},
    {DO, RIVER, "4.999", C4},
    {DO, RIVER, "3", C4},
    {DO, RIVER, "2.999", C5},
    {DO, RIVER, "2", C5},
    {DO, RIVER, "1.999", C6},
    {DO, RIVER, "0", C6},
    {DO, LAKE, "7.5", C1},
    {DO, LAKE, "1.999", C6},
    /* COD_Mn */
    {COD_MN, RIVER, "0", C1},
    {COD_MN, RIVER, "2", C1},
    {COD_MN, RIVER, "2.001", C2},
    {COD_MN, RIVER, "4", C2},
    {COD_MN, RIVER, "4.001", C3},
    {COD_MN, RIVER, "6", C3},
    {COD_MN, RIVER, "6.001", C4},
    {COD_MN, RIVER, "10", C4},
    {COD_MN, RIVER, "10.001", C5},
    {COD_MN, RIVER, "15", C5},
    {COD_MN, RIVER, "15.001", C6},
    {COD_MN, LAKE, "6.001", C4},
    /* COD: Ⅰ and Ⅱ share 15, and the better class wins */
    {COD, RIVER, "15", C1},
    {COD, RIVER, "15.001", C3},
    {COD, RIVER, "20", C3},
    {COD, RIVER, "20.001", C4},
    {COD, RIVER, "30", C4},
    {COD, RIVER, "30.001", C5},
    {COD, RIVER, "40", C5},
    {COD, RIVER, "40.001", C6},
    {COD, LAKE, "15", C1},
    /* BOD5: Ⅰ and Ⅱ share 3 */
    {BOD5, RIVER, "3", C1},
    {BOD5, RIVER, "3.001", C3},
    {BOD5, RIVER, "4", C3},
    {BOD5, RIVER, "4.001", C4},
    {BOD5, RIVER, "6", C4},
    {BOD5, RIVER, "6.001", C5},
    {BOD5, RIVER, "10", C5},
    {BOD5, RIVER, "10.001", C6},
    {BOD5, LAKE, "10.001", C6},
    /* NH3-N */
    {NH3_N, RIVER, "0.15", C1},
    {NH3_N, RIVER, "0.151", C2},
    {NH3_N, RIVER, "0.5", C2},
    {NH3_N, RIVER, "0.501", C3},
    {NH3_N, RIVER, "1.0", C3},
    {NH3_N, RIVER, "1.001", C4},
    {NH3_N, RIVER, "1.5", C4},
    {NH3_N, RIVER, "1.501", C5},
    {NH3_N, RIVER, "2.0", C5},
    {NH3_N, RIVER, "2.001", C6},
    {NH3_N, LAKE, "0.151", C2},
    /* TP, rivers */
    {TP, RIVER, "0.02", C1},
    {TP, RIVER, "0.021", C2},
    {TP, RIVER, "0.1", C2},
    {TP, RIVER, "0.101", C3},
    {TP, RIVER, "0.2", C3},
    {TP, RIVER, "0.201", C4},
    {TP, RIVER, "0.3", C4},
    {TP, RIVER, "0.301", C5},
    {TP, RIVER, "0.4", C5},
    {TP, RIVER, "0.401", C6},
    /* TP, lakes and reservoirs */
    {TP, LAKE, "0.01", C1},
    {TP, LAKE, "0.011", C2},
    {TP, LAKE, "0.025", C2},
    {TP, LAKE, "0.026", C3},
    {TP, LAKE, "0.05", C3},
    {TP, LAKE, "0.051", C4},
    {TP, LAKE, "0.1", C4},
    {TP, LAKE, "0.101", C5},
    {TP, LAKE, "0.2", C5},
    {TP, LAKE, "0.201", C6},
    /* TN, lakes and reservoirs only */
    {TN, LAKE, "0.2", C1},
    {TN, LAKE, "0.201", C2},
    {TN, LAKE, "0.5", C2},
    {TN, LAKE, "0.501", C3},
    {TN, LAKE, "1.0", C3},
    {TN, LAKE, "1.001", C4},
    {TN, LAKE, "1.5", C4},
    {TN, LAKE, "1.501", C5},
    {TN, LAKE, "2.0", C5},
    {TN, LAKE, "2.001", C6},
    {TN, RIVER, "0.2", C0},
    {TN, RIVER, "50", C0},
    /* pH: 6-9 inclusive for every class */
    {PH, RIVER, "0", C6},
    {PH, RIVER, "5.999", C6},
    {PH, RIVER, "6", C1},
    {PH, RIVER, "7.5", C1},
    {PH, RIVER, "9", C1},
    {PH, RIVER, "9.001", C6},
    {PH, RIVER, "14", C6},
    {PH, LAKE, "6", C1},
    {PH, LAKE, "9.001", C6},
};

static void test_every_limit(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(limit_cases); i++) {
        const struct limit_case *c = &limit_cases[i];
        const char *pairs[] = {tz_monitor_item_code(c->item), c->value, NULL};
        struct tz_monitor_sample s = sample_of(pairs);
        struct tz_monitor_water_result res;
        struct tz_err err;
        enum tz_status st;

        tz_err_clear(&err);
        if (tz_monitor_item_class(c->item, c->body, s.milli[c->item]) != c->cls) {
            fail_msg("%s %s in %s: class %d, want %d", tz_monitor_item_code(c->item), c->value,
                     tz_monitor_body_code(c->body),
                     (int)tz_monitor_item_class(c->item, c->body, s.milli[c->item]), (int)c->cls);
        }
        st = tz_monitor_water_eval(&s, c->body, &res, &err);
        if (c->cls == C0) {
            assert_int_equal(st, TZ_EINVAL);
            assert_string_equal(err.field, "items");
            assert_int_equal(res.cls, C0);
            continue;
        }
        assert_int_equal(st, TZ_OK);
        assert_int_equal(res.cls, c->cls);
        assert_int_equal(res.item_class[c->item], c->cls);
        assert_int_equal(res.evaluated, BIT(c->item));
        assert_int_equal(res.deciding, BIT(c->item));
    }
}

/* The limit table as the accessor returns it, against DOMAIN 10.2 written out again. */
static void test_limit_accessor(void **state)
{
    static const struct {
        enum tz_monitor_item item;
        enum tz_monitor_body body;
        int64_t lim[5];
    } rows[] = {
        {DO, RIVER, {7500, 6000, 5000, 3000, 2000}},
        {DO, LAKE, {7500, 6000, 5000, 3000, 2000}},
        {COD_MN, LAKE, {2000, 4000, 6000, 10000, 15000}},
        {COD, RIVER, {15000, 15000, 20000, 30000, 40000}},
        {BOD5, LAKE, {3000, 3000, 4000, 6000, 10000}},
        {NH3_N, RIVER, {150, 500, 1000, 1500, 2000}},
        {TP, RIVER, {20, 100, 200, 300, 400}},
        {TP, LAKE, {10, 25, 50, 100, 200}},
        {TN, LAKE, {200, 500, 1000, 1500, 2000}},
        {TN, RIVER, {-1, -1, -1, -1, -1}},
        {PH, RIVER, {-1, -1, -1, -1, -1}},
    };

    (void)state;
    for (size_t i = 0; i < N_OF(rows); i++) {
        for (int c = 1; c <= 5; c++) {
            assert_int_equal(tz_monitor_limit(rows[i].item, rows[i].body, (enum tz_monitor_class)c),
                             rows[i].lim[c - 1]);
        }
    }
    assert_int_equal(tz_monitor_limit(NH3_N, RIVER, C0), -1);
    assert_int_equal(tz_monitor_limit(NH3_N, RIVER, C6), -1);
    assert_int_equal(tz_monitor_limit(NH3_N, (enum tz_monitor_body)0, C3), -1);
    assert_int_equal(tz_monitor_limit((enum tz_monitor_item)8, RIVER, C3), -1);
    assert_int_equal(tz_monitor_item_class((enum tz_monitor_item)8, RIVER, 0), C0);
    assert_int_equal(tz_monitor_item_class(NH3_N, (enum tz_monitor_body)3, 0), C0);
}

/* ---- samples of several items --------------------------------------------------------------- */

struct sample_case {
    const char *name;
    enum tz_monitor_body body;
    const char *pairs[2 * TZ_MONITOR_N_ITEMS + 1];
    enum tz_monitor_class cls;
    unsigned deciding;
    unsigned evaluated;
};

static const struct sample_case sample_cases[] = {
    {"the worst item decides",
     RIVER,
     {"do", "8", "cod_mn", "3", "nh3_n", "1.2", "tp", "0.15", NULL},
     C4,
     BIT(NH3_N),
     BIT(DO) | BIT(COD_MN) | BIT(NH3_N) | BIT(TP)},
    {"a tie names every deciding item",
     RIVER,
     {"cod", "25", "nh3_n", "1.2", "bod5", "3", NULL},
     C4,
     BIT(COD) | BIT(NH3_N),
     BIT(COD) | BIT(NH3_N) | BIT(BOD5)},
    {"DO alone decides, downwards",
     RIVER,
     {"do", "2.5", "cod", "10", "nh3_n", "0.1", NULL},
     C5,
     BIT(DO),
     BIT(DO) | BIT(COD) | BIT(NH3_N)},
    {"TN decides in a lake",
     LAKE,
     {"tn", "1.8", "tp", "0.03", "do", "7", NULL},
     C5,
     BIT(TN),
     BIT(TN) | BIT(TP) | BIT(DO)},
    {"TN is ignored in a river",
     RIVER,
     {"tn", "1.8", "tp", "0.03", "do", "7", NULL},
     C2,
     BIT(TP) | BIT(DO),
     BIT(TP) | BIT(DO)},
    {"the same TP is Ⅱ in a river, Ⅲ in a lake", LAKE, {"tp", "0.03", NULL}, C3, BIT(TP), BIT(TP)},
    {"劣Ⅴ by three items",
     RIVER,
     {"do", "1.5", "nh3_n", "3.2", "tp", "0.5", "cod", "35", "ph", "7.2", NULL},
     C6,
     BIT(DO) | BIT(NH3_N) | BIT(TP),
     BIT(DO) | BIT(NH3_N) | BIT(TP) | BIT(COD) | BIT(PH)},
    {"pH below 6 makes 劣Ⅴ",
     RIVER,
     {"ph", "5.5", "do", "8", "nh3_n", "0.1", NULL},
     C6,
     BIT(PH),
     BIT(PH) | BIT(DO) | BIT(NH3_N)},
    {"pH above 9 makes 劣Ⅴ",
     LAKE,
     {"ph", "9.5", "tp", "0.01", NULL},
     C6,
     BIT(PH),
     BIT(PH) | BIT(TP)},
    {"pH inside 6-9 never decides below Ⅰ",
     RIVER,
     {"ph", "6", "nh3_n", "0.5", NULL},
     C2,
     BIT(NH3_N),
     BIT(PH) | BIT(NH3_N)},
    {"every item Ⅰ",
     LAKE,
     {"do", "7.5", "cod_mn", "2", "cod", "15", "bod5", "3", "nh3_n", "0.15", "tp", "0.01", "tn",
      "0.2", "ph", "7", NULL},
     C1,
     0xffu,
     0xffu},
};

static void test_worst_item_rule(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(sample_cases); i++) {
        const struct sample_case *c = &sample_cases[i];
        struct tz_monitor_sample s = sample_of(c->pairs);
        struct tz_monitor_water_result res;
        struct tz_err err;

        tz_err_clear(&err);
        if (tz_monitor_water_eval(&s, c->body, &res, &err) != TZ_OK) {
            fail_msg("%s: refused: %s", c->name, err.msg);
        }
        if (res.cls != c->cls || res.deciding != c->deciding || res.evaluated != c->evaluated) {
            fail_msg("%s: class %d deciding %#x evaluated %#x", c->name, (int)res.cls, res.deciding,
                     res.evaluated);
        }
    }
}

/* ---- 超标因子 -------------------------------------------------------------------------------- */

struct want_factor {
    enum tz_monitor_item item;
    enum tz_monitor_class cls;
    int64_t value, limit;
    bool has_multiple;
    int64_t multiple;
};

struct exceed_case {
    const char *name;
    enum tz_monitor_body body;
    enum tz_monitor_class target;
    const char *pairs[2 * TZ_MONITOR_N_ITEMS + 1];
    size_t n;
    struct want_factor f[TZ_MONITOR_N_ITEMS];
};

static const struct exceed_case exceed_cases[] = {
    {"NH3-N 2.4 against Ⅲ: 1.4倍",
     RIVER,
     C3,
     {"nh3_n", "2.4", NULL},
     1,
     {{NH3_N, C6, 2400, 1000, true, 1400}}},
    {"the worst class first, then the larger multiple, then item order; DO has no multiple",
     RIVER,
     C3,
     {"nh3_n", "2.4", "tp", "0.25", "do", "4", "cod", "25", "cod_mn", "5", NULL},
     4,
     {{NH3_N, C6, 2400, 1000, true, 1400},
      {COD, C4, 25000, 20000, true, 250},
      {TP, C4, 250, 200, true, 250},
      {DO, C4, 4000, 5000, false, 0}}},
    {"the larger multiple first within a class",
     RIVER,
     C2,
     {"cod_mn", "6", "nh3_n", "1.0", NULL},
     2,
     {{NH3_N, C3, 1000, 500, true, 1000}, {COD_MN, C3, 6000, 4000, true, 500}}},
    {"against Ⅳ only the 劣Ⅴ and Ⅴ items",
     RIVER,
     C4,
     {"cod", "35", "nh3_n", "1.4", "bod5", "11", NULL},
     2,
     {{BOD5, C6, 11000, 6000, true, 833}, {COD, C5, 35000, 30000, true, 167}}},
    {"half up: 3/6000 = 0.0005 -> 0.001; 2/6000 -> 0",
     RIVER,
     C3,
     {"cod_mn", "6.003", NULL},
     1,
     {{COD_MN, C4, 6003, 6000, true, 1}}},
    {"one thousandth past Ⅲ rounds to a zero multiple",
     RIVER,
     C3,
     {"cod_mn", "6.002", NULL},
     1,
     {{COD_MN, C4, 6002, 6000, true, 0}}},
    {"TP in a lake against Ⅱ", LAKE, C2, {"tp", "0.026", NULL}, 1, {{TP, C3, 26, 25, true, 40}}},
    {"TN counts in a lake", LAKE, C3, {"tn", "2.4", NULL}, 1, {{TN, C6, 2400, 1000, true, 1400}}},
    {"TN never exceeds in a river", RIVER, C3, {"tn", "2.4", "do", "6", NULL}, 0, {{0}}},
    {"pH below 6: the lower bound, no multiple",
     RIVER,
     C3,
     {"ph", "5.5", NULL},
     1,
     {{PH, C6, 5500, 6000, false, 0}}},
    {"pH above 9: the upper bound, no multiple",
     RIVER,
     C4,
     {"ph", "9.2", "nh3_n", "0.2", NULL},
     1,
     {{PH, C6, 9200, 9000, false, 0}}},
    {"a sample that complies has none", RIVER, C3, {"nh3_n", "1.0", "do", "5", NULL}, 0, {{0}}},
    {"the shared COD limit: 15.001 against Ⅱ",
     RIVER,
     C2,
     {"cod", "15.001", NULL},
     1,
     {{COD, C3, 15001, 15000, true, 0}}},
};

static void test_exceed(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(exceed_cases); i++) {
        const struct exceed_case *c = &exceed_cases[i];
        struct tz_monitor_sample s = sample_of(c->pairs);
        struct tz_monitor_exceed ex;
        struct tz_err err;

        tz_err_clear(&err);
        if (tz_monitor_water_exceed(&s, c->body, c->target, &ex, &err) != TZ_OK) {
            fail_msg("%s: refused: %s", c->name, err.msg);
        }
        assert_int_equal(ex.target, c->target);
        if (ex.n != c->n) {
            fail_msg("%s: %zu factors, want %zu", c->name, ex.n, c->n);
        }
        for (size_t j = 0; j < c->n; j++) {
            const struct want_factor *w = &c->f[j];
            const struct tz_monitor_factor *g = &ex.f[j];

            if (g->item != w->item || g->item_class != w->cls || g->value_milli != w->value ||
                g->limit_milli != w->limit || g->has_multiple != w->has_multiple ||
                g->multiple_milli != w->multiple) {
                fail_msg("%s: factor %zu is %s class %d value %lld limit %lld multiple %d/%lld",
                         c->name, j, tz_monitor_item_code(g->item), (int)g->item_class,
                         (long long)g->value_milli, (long long)g->limit_milli, (int)g->has_multiple,
                         (long long)g->multiple_milli);
            }
        }
    }
}

static void test_exceed_refusals(void **state)
{
    static const enum tz_monitor_class bad_targets[] = {C0, C6, (enum tz_monitor_class)7};
    const char *pairs[] = {"nh3_n", "2.4", NULL};
    struct tz_monitor_sample s = sample_of(pairs);
    struct tz_monitor_sample empty;
    struct tz_monitor_exceed ex;
    struct tz_err err;

    (void)state;
    for (size_t i = 0; i < N_OF(bad_targets); i++) {
        tz_err_clear(&err);
        assert_int_equal(tz_monitor_water_exceed(&s, RIVER, bad_targets[i], &ex, &err), TZ_EINVAL);
        assert_string_equal(err.field, "target");
        assert_int_equal(ex.n, 0);
    }
    tz_err_clear(&err);
    assert_int_equal(tz_monitor_water_exceed(&s, (enum tz_monitor_body)0, C3, &ex, &err),
                     TZ_EINVAL);
    assert_string_equal(err.field, "water_body");
    tz_monitor_sample_init(&empty);
    tz_err_clear(&err);
    assert_int_equal(tz_monitor_water_exceed(&empty, RIVER, C3, &ex, &err), TZ_EINVAL);
    assert_string_equal(err.field, "items");
    assert_int_equal(ex.n, 0);
    assert_int_equal(ex.target, C0);
}

/* ---- compliance ----------------------------------------------------------------------------- */

static void test_compliance(void **state)
{
    /* want[target][class]: a class complies when it is no worse than the target */
    static const struct {
        enum tz_monitor_class target;
        bool want[7];
    } rows[] = {
        {C2, {false, true, true, false, false, false, false}},
        {C3, {false, true, true, true, false, false, false}},
        {C4, {false, true, true, true, true, false, false}},
        {C1, {false, true, false, false, false, false, false}},
        {C5, {false, true, true, true, true, true, false}},
        {C6, {false, false, false, false, false, false, false}}, /* not a target */
        {C0, {false, false, false, false, false, false, false}},
    };

    (void)state;
    for (size_t i = 0; i < N_OF(rows); i++) {
        for (int c = 0; c <= 6; c++) {
            if (tz_monitor_complies((enum tz_monitor_class)c, rows[i].target) != rows[i].want[c]) {
                fail_msg("class %d against target %d", c, (int)rows[i].target);
            }
        }
    }
    assert_false(tz_monitor_complies((enum tz_monitor_class)7, C3));
}

/* A sample's class against its target, end to end: 曹家沟 against Ⅲ, month by month. */
static void test_section_compliance_end_to_end(void **state)
{
    static const struct {
        const char *pairs[7];
        bool complies;
    } months[] = {
        {{"do", "6.2", "nh3_n", "0.8", "tp", "0.18", NULL}, true},
        {{"do", "5", "nh3_n", "1.0", "tp", "0.2", NULL}, true},
        {{"do", "4.999", "nh3_n", "1.0", "tp", "0.2", NULL}, false},
        {{"do", "6", "nh3_n", "1.001", "tp", "0.2", NULL}, false},
        {{"do", "6", "nh3_n", "0.9", "tp", "0.201", NULL}, false},
    };

    (void)state;
    for (size_t i = 0; i < N_OF(months); i++) {
        struct tz_monitor_sample s = sample_of(months[i].pairs);
        struct tz_monitor_water_result res;
        struct tz_monitor_exceed ex;

        assert_int_equal(tz_monitor_water_eval(&s, RIVER, &res, NULL), TZ_OK);
        assert_int_equal(tz_monitor_complies(res.cls, C3), months[i].complies);
        assert_int_equal(tz_monitor_water_exceed(&s, RIVER, C3, &ex, NULL), TZ_OK);
        assert_int_equal(ex.n == 0, months[i].complies);
    }
}

/* ---- values --------------------------------------------------------------------------------- */

struct parse_case {
    const char *text;
    enum tz_status code;
    int64_t milli;
};

static const struct parse_case parse_cases[] = {
    {"0.15", TZ_OK, 150},
    {"2", TZ_OK, 2000},
    {"2.4", TZ_OK, 2400},
    {"0.025", TZ_OK, 25},
    {".5", TZ_OK, 500},
    {"1.", TZ_OK, 1000},
    {"1.500", TZ_OK, 1500},
    {"0.1500", TZ_OK, 150},
    {"007.5", TZ_OK, 7500},
    {"1.5e-1", TZ_OK, 150},
    {"15E0", TZ_OK, 15000},
    {"1e3", TZ_OK, 1000000},
    {"25e-3", TZ_OK, 25},
    {"0.0001e1", TZ_OK, 1},
    {"0", TZ_OK, 0},
    {"-0", TZ_OK, 0},
    {"-0.000", TZ_OK, 0},
    {"0e99999999999", TZ_OK, 0},
    {"1000000", TZ_OK, 1000000000},
    {"1000000.000", TZ_OK, 1000000000},
    {"1e6", TZ_OK, 1000000000},
    {"0.0125", TZ_EINVAL, 0},
    {"0.0001", TZ_EINVAL, 0},
    {"1e-4", TZ_EINVAL, 0},
    {"1e-99999999", TZ_EINVAL, 0},
    {"1000000.001", TZ_EINVAL, 0},
    {"1e7", TZ_EINVAL, 0},
    {"1e99999999", TZ_EINVAL, 0},
    {"99999999999999999999999", TZ_EINVAL, 0},
    {"-0.1", TZ_EINVAL, 0},
    {"-5", TZ_EINVAL, 0},
    {"+1", TZ_EINVAL, 0},
    {"", TZ_EINVAL, 0},
    {".", TZ_EINVAL, 0},
    {"-", TZ_EINVAL, 0},
    {" 1", TZ_EINVAL, 0},
    {"1 ", TZ_EINVAL, 0},
    {"1,5", TZ_EINVAL, 0},
    {"e5", TZ_EINVAL, 0},
    {"1e", TZ_EINVAL, 0},
    {"1e+", TZ_EINVAL, 0},
    {"1.2.3", TZ_EINVAL, 0},
    {"NaN", TZ_EINVAL, 0},
    {"inf", TZ_EINVAL, 0},
    {"0x10", TZ_EINVAL, 0},
    {"<0.01", TZ_EINVAL, 0},
    {"未检出", TZ_EINVAL, 0},
    {"1.5mg/L", TZ_EINVAL, 0},
};

static void test_milli_parse(void **state)
{
    char longest[TZ_MONITOR_TEXT_MAX + 2];
    int64_t v;
    struct tz_err err;

    (void)state;
    for (size_t i = 0; i < N_OF(parse_cases); i++) {
        const struct parse_case *c = &parse_cases[i];
        enum tz_status st;

        tz_err_clear(&err);
        v = -7;
        st = tz_monitor_milli_parse(c->text, "tp", &v, &err);
        if (st != c->code || v != c->milli) {
            fail_msg("'%s': status %d value %lld (%s)", c->text, (int)st, (long long)v, err.msg);
        }
        if (st != TZ_OK) {
            assert_string_equal(err.field, "tp");
        }
    }
    /* 64 bytes is the longest text: "0.1" padded with zeros */
    memset(longest, '0', sizeof(longest));
    longest[1] = '.';
    longest[2] = '1';
    longest[TZ_MONITOR_TEXT_MAX] = '\0';
    assert_int_equal(tz_monitor_milli_parse(longest, "x", &v, NULL), TZ_OK);
    assert_int_equal(v, 100);
    longest[TZ_MONITOR_TEXT_MAX] = '0';
    longest[TZ_MONITOR_TEXT_MAX + 1] = '\0';
    tz_err_clear(&err);
    assert_int_equal(tz_monitor_milli_parse(longest, "x", &v, &err), TZ_EINVAL);
    assert_string_equal(err.field, "x");
    assert_int_equal(v, 0);
    /* NULL text and NULL field */
    tz_err_clear(&err);
    assert_int_equal(tz_monitor_milli_parse(NULL, NULL, &v, &err), TZ_EINVAL);
    assert_string_equal(err.field, "");
}

static void test_milli_format(void **state)
{
    static const struct {
        int64_t milli;
        const char *text;
    } rows[] = {
        {2400, "2.4"},
        {150, "0.15"},
        {25, "0.025"},
        {15000, "15"},
        {0, "0"},
        {1400, "1.4"},
        {1, "0.001"},
        {-1, "-0.001"},
        {-2500, "-2.5"},
        {1000000000, "1000000"},
        {INT64_MAX, "9223372036854775.807"},
        {INT64_MIN, "-9223372036854775.808"},
    };
    char buf[24];
    char small[4];

    (void)state;
    for (size_t i = 0; i < N_OF(rows); i++) {
        assert_string_equal(tz_monitor_milli_format(rows[i].milli, buf, sizeof(buf)), rows[i].text);
    }
    assert_string_equal(tz_monitor_milli_format(2400, small, sizeof(small)), "2.4");
    assert_string_equal(tz_monitor_milli_format(15025, small, sizeof(small)), "15.");
    assert_ptr_equal(tz_monitor_milli_format(1, buf, 0), buf);
}

/* ---- the entry points of a sample ----------------------------------------------------------- */

static void test_item_names(void **state)
{
    static const struct {
        const char *name;
        enum tz_monitor_item item;
    } rows[] = {
        {"do", DO},
        {"DO", DO},
        {"溶解氧", DO},
        {"cod_mn", COD_MN},
        {"COD_Mn", COD_MN},
        {"COD-Mn", COD_MN},
        {"CODMn", COD_MN},
        {"高锰酸盐指数", COD_MN},
        {"cod", COD},
        {"COD_Cr", COD},
        {"CODcr", COD},
        {"化学需氧量", COD},
        {"bod5", BOD5},
        {"BOD5", BOD5},
        {"五日生化需氧量", BOD5},
        {"nh3_n", NH3_N},
        {"NH3-N", NH3_N},
        {"NH3N", NH3_N},
        {"氨氮", NH3_N},
        {"tp", TP},
        {"TP", TP},
        {"总磷", TP},
        {"tn", TN},
        {"总氮", TN},
        {"ph", PH},
        {"pH", PH},
        {"pH值", PH},
    };
    static const char *const unknown[] = {
        "",      "cod5", "bod", "ammonia", "nh3 n",
        "总磷 ", "tp ",  "p",   "氨氮x",   "溶解氧溶解氧溶解氧溶解氧"};
    struct tz_err err;

    (void)state;
    for (size_t i = 0; i < N_OF(rows); i++) {
        enum tz_monitor_item it = (enum tz_monitor_item)99;

        if (tz_monitor_item_parse(rows[i].name, &it, NULL) != TZ_OK || it != rows[i].item) {
            fail_msg("'%s' is not item %d", rows[i].name, (int)rows[i].item);
        }
    }
    for (size_t i = 0; i < N_OF(unknown); i++) {
        enum tz_monitor_item it = (enum tz_monitor_item)99;

        tz_err_clear(&err);
        assert_int_equal(tz_monitor_item_parse(unknown[i], &it, &err), TZ_EINVAL);
        assert_string_equal(err.field, unknown[i]);
        assert_int_equal(it, 99);
    }
    tz_err_clear(&err);
    assert_int_equal(tz_monitor_item_parse(NULL, NULL, &err), TZ_EINVAL);
    assert_string_equal(err.field, "item");
    /* code, symbol and Chinese name of each item */
    assert_string_equal(tz_monitor_item_code(NH3_N), "nh3_n");
    assert_string_equal(tz_monitor_item_symbol(NH3_N), "NH3-N");
    assert_string_equal(tz_monitor_item_name(NH3_N), "氨氮");
    assert_string_equal(tz_monitor_item_symbol(COD_MN), "COD_Mn");
    assert_string_equal(tz_monitor_item_name(PH), "pH值");
    for (int i = 0; i < TZ_MONITOR_N_ITEMS; i++) {
        enum tz_monitor_item it;

        assert_int_equal(
            tz_monitor_item_parse(tz_monitor_item_code((enum tz_monitor_item)i), &it, NULL), TZ_OK);
        assert_int_equal(it, i);
        assert_int_equal(
            tz_monitor_item_parse(tz_monitor_item_name((enum tz_monitor_item)i), &it, NULL), TZ_OK);
        assert_int_equal(it, i);
    }
    assert_null(tz_monitor_item_code((enum tz_monitor_item)8));
    assert_null(tz_monitor_item_symbol((enum tz_monitor_item) - 1));
    assert_null(tz_monitor_item_name((enum tz_monitor_item)8));
}

static void test_sample_refusals(void **state)
{
    static const struct {
        const char *item;
        const char *value;
        const char *field;
    } rows[] = {
        {"nh3_n", "-0.1", "nh3_n"},
        {"NH3-N", "-0.001", "nh3_n"},
        {"溶解氧", "-1", "do"},
        {"tp", "0.0125", "tp"},
        {"tp", "abc", "tp"},
        {"tp", NULL, "tp"},
        {"ph", "14.001", "ph"},
        {"ph", "15", "ph"},
        {"cod", "1e7", "cod"},
        {"ammonia", "1", "ammonia"},
        {"", "1", ""},
    };
    struct tz_monitor_sample s;
    struct tz_err err;

    (void)state;
    tz_monitor_sample_init(&s);
    assert_int_equal(tz_monitor_sample_set_text(&s, "tp", "0.1", NULL), TZ_OK);
    for (size_t i = 0; i < N_OF(rows); i++) {
        tz_err_clear(&err);
        if (tz_monitor_sample_set_text(&s, rows[i].item, rows[i].value, &err) != TZ_EINVAL ||
            strcmp(err.field, rows[i].field) != 0) {
            fail_msg("%s=%s: field '%s' (%s)", rows[i].item, rows[i].value ? rows[i].value : "NULL",
                     err.field, err.msg);
        }
        assert_int_equal(err.code, TZ_EINVAL);
        /* the sample is unchanged */
        assert_int_equal(s.has, BIT(TP));
        assert_int_equal(s.milli[TP], 100);
    }
    /* the enum entry point */
    tz_err_clear(&err);
    assert_int_equal(tz_monitor_sample_set(&s, COD, -1, &err), TZ_EINVAL);
    assert_string_equal(err.field, "cod");
    tz_err_clear(&err);
    assert_int_equal(tz_monitor_sample_set(&s, (enum tz_monitor_item)8, 1, &err), TZ_EINVAL);
    assert_string_equal(err.field, "item");
    assert_int_equal(tz_monitor_sample_set(&s, PH, TZ_MONITOR_PH_MAX, NULL), TZ_OK);
    assert_int_equal(tz_monitor_sample_set(&s, COD, TZ_MONITOR_VALUE_MAX, NULL), TZ_OK);
    assert_int_equal(tz_monitor_sample_set(&s, COD, TZ_MONITOR_VALUE_MAX + 1, NULL), TZ_EINVAL);
    /* a second value of an item replaces the first */
    assert_int_equal(tz_monitor_sample_set_text(&s, "tp", "0.3", NULL), TZ_OK);
    assert_int_equal(s.milli[TP], 300);
}

static void test_sample_double(void **state)
{
    static const struct {
        double value;
        enum tz_status code;
        int64_t milli;
    } rows[] = {
        {0.15, TZ_OK, 150},
        {2.4, TZ_OK, 2400},
        {0.025, TZ_OK, 25},
        {7.5, TZ_OK, 7500},
        {0.1, TZ_OK, 100},
        {0.0126, TZ_OK, 13},
        {0.0124, TZ_OK, 12},
        {0.0004, TZ_OK, 0},
        {0.0, TZ_OK, 0},
        {-0.0, TZ_OK, 0},
        {1000000.0, TZ_OK, 1000000000},
        {1000000.0004, TZ_OK, 1000000000},
        {1000000.001, TZ_EINVAL, 0},
        {1e300, TZ_EINVAL, 0},
        {-0.0001, TZ_EINVAL, 0},
        {-1.0, TZ_EINVAL, 0},
        {NAN, TZ_EINVAL, 0},
        {INFINITY, TZ_EINVAL, 0},
        {-INFINITY, TZ_EINVAL, 0},
    };

    (void)state;
    for (size_t i = 0; i < N_OF(rows); i++) {
        struct tz_monitor_sample s;
        struct tz_err err;
        enum tz_status st;

        tz_monitor_sample_init(&s);
        tz_err_clear(&err);
        st = tz_monitor_sample_set_double(&s, "NH3-N", rows[i].value, &err);
        if (st != rows[i].code) {
            fail_msg("%.17g: status %d (%s)", rows[i].value, (int)st, err.msg);
        }
        if (st == TZ_OK) {
            assert_int_equal(s.has, BIT(NH3_N));
            assert_int_equal(s.milli[NH3_N], rows[i].milli);
        } else {
            assert_string_equal(err.field, "nh3_n");
            assert_int_equal(s.has, 0);
        }
    }
    {
        struct tz_monitor_sample s;
        struct tz_err err;

        tz_monitor_sample_init(&s);
        tz_err_clear(&err);
        assert_int_equal(tz_monitor_sample_set_double(&s, "phosphorus", 0.1, &err), TZ_EINVAL);
        assert_string_equal(err.field, "phosphorus");
    }
}

static void test_eval_refusals(void **state)
{
    struct tz_monitor_sample s;
    struct tz_monitor_water_result res;
    struct tz_err err;

    (void)state;
    tz_monitor_sample_init(&s);
    tz_err_clear(&err);
    assert_int_equal(tz_monitor_water_eval(&s, RIVER, &res, &err), TZ_EINVAL);
    assert_string_equal(err.field, "items");

    assert_int_equal(tz_monitor_sample_set_text(&s, "nh3_n", "0.5", NULL), TZ_OK);
    tz_err_clear(&err);
    assert_int_equal(tz_monitor_water_eval(&s, (enum tz_monitor_body)0, &res, &err), TZ_EINVAL);
    assert_string_equal(err.field, "water_body");
    tz_err_clear(&err);
    assert_int_equal(tz_monitor_water_eval(&s, (enum tz_monitor_body)3, &res, &err), TZ_EINVAL);
    assert_string_equal(err.field, "water_body");
    assert_int_equal(res.cls, C0);

    /* a sample filled by hand is validated too */
    s.has |= BIT(COD);
    s.milli[COD] = -5;
    tz_err_clear(&err);
    assert_int_equal(tz_monitor_water_eval(&s, RIVER, &res, &err), TZ_EINVAL);
    assert_string_equal(err.field, "cod");
    assert_int_equal(res.cls, C0);
    assert_int_equal(res.evaluated, 0);
    s.milli[COD] = 0;
    s.has |= BIT(PH);
    s.milli[PH] = 14001;
    tz_err_clear(&err);
    assert_int_equal(tz_monitor_water_eval(&s, RIVER, &res, &err), TZ_EINVAL);
    assert_string_equal(err.field, "ph");
}

/* ---- labels --------------------------------------------------------------------------------- */

static void test_class_labels(void **state)
{
    static const char *const labels[] = {NULL, "Ⅰ类", "Ⅱ类", "Ⅲ类", "Ⅳ类", "Ⅴ类", "劣Ⅴ类", NULL};
    static const struct {
        const char *text;
        enum tz_monitor_class cls;
    } spellings[] = {
        {"Ⅲ类", C3},   {"Ⅲ", C3},   {"III类", C3}, {"III", C3}, {"3", C3},   {"Ⅰ类", C1},
        {"I", C1},     {"Ⅱ", C2},   {"IV类", C4},  {"Ⅳ", C4},   {"Ⅴ类", C5}, {"V", C5},
        {"劣Ⅴ类", C6}, {"劣Ⅴ", C6}, {"劣V类", C6}, {"劣V", C6}, {"6", C6},
    };
    static const char *const bad[] = {"", "0", "7", "iii", "Ⅵ类", "劣Ⅳ类", "三类", "Ⅲ类 ", "3类"};
    struct tz_err err;

    (void)state;
    for (int c = 0; c <= 7; c++) {
        const char *got = tz_monitor_class_label((enum tz_monitor_class)c);

        if (labels[c] == NULL) {
            assert_null(got);
        } else {
            enum tz_monitor_class back;

            assert_string_equal(got, labels[c]);
            assert_int_equal(tz_monitor_class_parse(got, &back, NULL), TZ_OK);
            assert_int_equal(back, c);
        }
    }
    for (size_t i = 0; i < N_OF(spellings); i++) {
        enum tz_monitor_class cls = C0;

        assert_int_equal(tz_monitor_class_parse(spellings[i].text, &cls, NULL), TZ_OK);
        assert_int_equal(cls, spellings[i].cls);
    }
    for (size_t i = 0; i < N_OF(bad); i++) {
        enum tz_monitor_class cls = C0;

        tz_err_clear(&err);
        assert_int_equal(tz_monitor_class_parse(bad[i], &cls, &err), TZ_EINVAL);
        assert_string_equal(err.field, "class");
        assert_int_equal(cls, C0);
    }
    tz_err_clear(&err);
    assert_int_equal(tz_monitor_class_parse(NULL, NULL, &err), TZ_EINVAL);
    assert_string_equal(err.field, "class");
    /* the stable codes */
    assert_int_equal(TZ_MONITOR_CLASS_I, 1);
    assert_int_equal(TZ_MONITOR_CLASS_III, 3);
    assert_int_equal(TZ_MONITOR_CLASS_WORSE_V, 6);
}

static void test_water_bodies(void **state)
{
    static const struct {
        const char *text;
        enum tz_monitor_body body;
    } rows[] = {
        {"river", RIVER}, {"River", RIVER},    {"河流", RIVER}, {"河", RIVER},  {"lake", LAKE},
        {"LAKE", LAKE},   {"reservoir", LAKE}, {"湖库", LAKE},  {"湖泊", LAKE}, {"水库", LAKE},
    };
    static const char *const bad[] = {"", "sea", "海", "rivers", "湖", "a very long water body"};
    struct tz_err err;

    (void)state;
    for (size_t i = 0; i < N_OF(rows); i++) {
        enum tz_monitor_body b = (enum tz_monitor_body)0;

        assert_int_equal(tz_monitor_body_parse(rows[i].text, &b, NULL), TZ_OK);
        assert_int_equal(b, rows[i].body);
    }
    for (size_t i = 0; i < N_OF(bad); i++) {
        enum tz_monitor_body b = (enum tz_monitor_body)0;

        tz_err_clear(&err);
        assert_int_equal(tz_monitor_body_parse(bad[i], &b, &err), TZ_EINVAL);
        assert_string_equal(err.field, "water_body");
        assert_int_equal(b, 0);
    }
    assert_string_equal(tz_monitor_body_code(RIVER), "river");
    assert_string_equal(tz_monitor_body_code(LAKE), "lake");
    assert_string_equal(tz_monitor_body_label(RIVER), "河流");
    assert_string_equal(tz_monitor_body_label(LAKE), "湖库");
    assert_null(tz_monitor_body_code((enum tz_monitor_body)0));
    assert_null(tz_monitor_body_label((enum tz_monitor_body)3));
}

/* ---- air ------------------------------------------------------------------------------------ */

static void test_aqi_bands(void **state)
{
    static const struct {
        int aqi;
        int level;
        const char *grade, *category, *color, *color_name, *rgb;
    } rows[] = {
        {0, 1, "一级", "优", "green", "绿色", "#00e400"},
        {50, 1, "一级", "优", "green", "绿色", "#00e400"},
        {51, 2, "二级", "良", "yellow", "黄色", "#ffff00"},
        {100, 2, "二级", "良", "yellow", "黄色", "#ffff00"},
        {101, 3, "三级", "轻度污染", "orange", "橙色", "#ff7e00"},
        {150, 3, "三级", "轻度污染", "orange", "橙色", "#ff7e00"},
        {151, 4, "四级", "中度污染", "red", "红色", "#ff0000"},
        {200, 4, "四级", "中度污染", "red", "红色", "#ff0000"},
        {201, 5, "五级", "重度污染", "purple", "紫色", "#99004c"},
        {300, 5, "五级", "重度污染", "purple", "紫色", "#99004c"},
        {301, 6, "六级", "严重污染", "maroon", "褐红色", "#7e0023"},
        {500, 6, "六级", "严重污染", "maroon", "褐红色", "#7e0023"},
    };
    static const int bad[] = {-1, 501, INT_MIN, INT_MAX};
    struct tz_monitor_aqi_band b;
    struct tz_err err;

    (void)state;
    for (size_t i = 0; i < N_OF(rows); i++) {
        assert_int_equal(tz_monitor_aqi_band(rows[i].aqi, &b, NULL), TZ_OK);
        if (b.level != rows[i].level) {
            fail_msg("AQI %d: level %d, want %d", rows[i].aqi, b.level, rows[i].level);
        }
        assert_true(rows[i].aqi >= b.low && rows[i].aqi <= b.high);
        assert_string_equal(b.grade, rows[i].grade);
        assert_string_equal(b.category, rows[i].category);
        assert_string_equal(b.color, rows[i].color);
        assert_string_equal(b.color_name, rows[i].color_name);
        assert_string_equal(b.rgb, rows[i].rgb);
    }
    for (size_t i = 0; i < N_OF(bad); i++) {
        tz_err_clear(&err);
        assert_int_equal(tz_monitor_aqi_band(bad[i], &b, &err), TZ_EINVAL);
        assert_string_equal(err.field, "aqi");
        assert_int_equal(b.level, 0);
        assert_null(b.grade);
    }
    /* the bands tile 0..500 without a gap */
    for (int aqi = 0; aqi <= 500; aqi++) {
        assert_int_equal(tz_monitor_aqi_band(aqi, &b, NULL), TZ_OK);
    }
}

static void test_good_ratio(void **state)
{
    static const int series[] = {50, 100, 101, TZ_MONITOR_AQI_NONE, 300, 0};
    static const int thirds[] = {100, 100, 101};
    static const int none[] = {TZ_MONITOR_AQI_NONE, TZ_MONITOR_AQI_NONE};
    static const int all_good[] = {0, 51, 100};
    struct tz_monitor_good_ratio r;

    (void)state;
    assert_int_equal(tz_monitor_aqi_good_ratio(series, N_OF(series), &r, NULL), TZ_OK);
    assert_int_equal(r.n_good, 3);
    assert_int_equal(r.n_valid, 5);
    assert_int_equal(r.n_days, 6);
    assert_int_equal(r.per_mille, 600);

    assert_int_equal(tz_monitor_aqi_good_ratio(thirds, N_OF(thirds), &r, NULL), TZ_OK);
    assert_int_equal(r.n_good, 2);
    assert_int_equal(r.n_valid, 3);
    assert_int_equal(r.per_mille, 667); /* 666.67 rounds up */

    assert_int_equal(tz_monitor_aqi_good_ratio(all_good, N_OF(all_good), &r, NULL), TZ_OK);
    assert_int_equal(r.per_mille, 1000);

    assert_int_equal(tz_monitor_aqi_good_ratio(none, N_OF(none), &r, NULL), TZ_OK);
    assert_int_equal(r.n_good, 0);
    assert_int_equal(r.n_valid, 0);
    assert_int_equal(r.n_days, 2);
    assert_int_equal(r.per_mille, -1);

    assert_int_equal(tz_monitor_aqi_good_ratio(NULL, 0, &r, NULL), TZ_OK);
    assert_int_equal(r.n_days, 0);
    assert_int_equal(r.per_mille, -1);
}

static void test_good_ratio_refusals(void **state)
{
    static const struct {
        int series[3];
        size_t n;
        const char *field;
    } rows[] = {
        {{-2, 10, 10}, 3, "aqi[0]"},
        {{10, 501, 10}, 3, "aqi[1]"},
        {{10, 10, INT_MIN}, 3, "aqi[2]"},
    };
    static int longest[TZ_MONITOR_SERIES_MAX + 1];
    struct tz_monitor_good_ratio r;
    struct tz_err err;

    (void)state;
    for (size_t i = 0; i < N_OF(rows); i++) {
        tz_err_clear(&err);
        assert_int_equal(tz_monitor_aqi_good_ratio(rows[i].series, rows[i].n, &r, &err), TZ_EINVAL);
        assert_string_equal(err.field, rows[i].field);
        assert_int_equal(r.n_valid, 0);
        assert_int_equal(r.n_days, 0);
        assert_int_equal(r.per_mille, 0);
    }
    assert_int_equal(tz_monitor_aqi_good_ratio(longest, TZ_MONITOR_SERIES_MAX, &r, NULL), TZ_OK);
    assert_int_equal(r.n_good, TZ_MONITOR_SERIES_MAX);
    tz_err_clear(&err);
    assert_int_equal(tz_monitor_aqi_good_ratio(longest, TZ_MONITOR_SERIES_MAX + 1, &r, &err),
                     TZ_ETOOLARGE);
    assert_string_equal(err.field, "aqi");
    assert_int_equal(r.n_days, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_limit),
        cmocka_unit_test(test_limit_accessor),
        cmocka_unit_test(test_worst_item_rule),
        cmocka_unit_test(test_exceed),
        cmocka_unit_test(test_exceed_refusals),
        cmocka_unit_test(test_compliance),
        cmocka_unit_test(test_section_compliance_end_to_end),
        cmocka_unit_test(test_milli_parse),
        cmocka_unit_test(test_milli_format),
        cmocka_unit_test(test_item_names),
        cmocka_unit_test(test_sample_refusals),
        cmocka_unit_test(test_sample_double),
        cmocka_unit_test(test_eval_refusals),
        cmocka_unit_test(test_class_labels),
        cmocka_unit_test(test_water_bodies),
        cmocka_unit_test(test_aqi_bands),
        cmocka_unit_test(test_good_ratio),
        cmocka_unit_test(test_good_ratio_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
