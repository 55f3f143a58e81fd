/*
 * test_risk.c - LEC and LS risk assessment (include/tz/risk.h; DOMAIN 4.3-4.5).
 *
 * The tests are tables:
 *
 *   - the LEC band rule on raw scores in tenths, at every limit (70, 160, 320)
 *     and one tenth either side, under both inclusivity settings;
 *   - LEC products from the factor tables next to the limits. Only 70 is a
 *     product of table values (10 x 1 x 7 and 1 x 10 x 7); no product is 160 or
 *     320 (a test enumerates all 252 and checks it), so the nearest products
 *     are pinned instead: 63 | 75 around 70, 150 | 180 around 160, 300 | 360
 *     around 320;
 *   - products with 0.5, 0.2 and 0.1 computed exactly, and the seven with a
 *     hundredth (0.05 ... 3.75) rounded half up to tenths;
 *   - every LS pair 1..5 x 1..5 against DOMAIN 4.4's bands;
 *   - every LEC combination against a reference that works in thousandths and
 *     bands the exact (unrounded) product, so rounding can never move a level;
 *   - refusals, with the code and field expected; decimals written in other
 *     ways (0.50, 5e-1, 1E1); the exact bytes of the JSON answer; the fields
 *     of a risk_point item.
 */
#include "tz/json.h"
#include "tz/risk.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const struct tz_risk_rules lower = {.is_upper_inclusive = false};
static const struct tz_risk_rules upper = {.is_upper_inclusive = true};

/* ---- LEC bands on raw scores ------------------------------------------------------------ */

struct band_case {
    int64_t d_tenths;
    enum tz_risk_level lower_level; /* limit in the lower band (the default) */
    enum tz_risk_level upper_level; /* limit in the upper band */
};

static const struct band_case band_cases[] = {
    {0, TZ_RISK_LEVEL_LOW, TZ_RISK_LEVEL_LOW},
    {1, TZ_RISK_LEVEL_LOW, TZ_RISK_LEVEL_LOW},
    {699, TZ_RISK_LEVEL_LOW, TZ_RISK_LEVEL_LOW},
    {700, TZ_RISK_LEVEL_LOW, TZ_RISK_LEVEL_GENERAL},
    {701, TZ_RISK_LEVEL_GENERAL, TZ_RISK_LEVEL_GENERAL},
    {1599, TZ_RISK_LEVEL_GENERAL, TZ_RISK_LEVEL_GENERAL},
    {1600, TZ_RISK_LEVEL_GENERAL, TZ_RISK_LEVEL_LARGER},
    {1601, TZ_RISK_LEVEL_LARGER, TZ_RISK_LEVEL_LARGER},
    {3199, TZ_RISK_LEVEL_LARGER, TZ_RISK_LEVEL_LARGER},
    {3200, TZ_RISK_LEVEL_LARGER, TZ_RISK_LEVEL_MAJOR},
    {3201, TZ_RISK_LEVEL_MAJOR, TZ_RISK_LEVEL_MAJOR},
    {100000, TZ_RISK_LEVEL_MAJOR, TZ_RISK_LEVEL_MAJOR},
};

static void test_lec_level_on_raw_scores(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(band_cases); i++) {
        const struct band_case *c = &band_cases[i];
        assert_int_equal(tz_risk_lec_level(c->d_tenths, NULL), c->lower_level);
        assert_int_equal(tz_risk_lec_level(c->d_tenths, &lower), c->lower_level);
        assert_int_equal(tz_risk_lec_level(c->d_tenths, &upper), c->upper_level);
    }
}

/* ---- LEC from the factor tables --------------------------------------------------------- */

struct lec_case {
    int64_t l10, e10, c10;   /* factors in tenths */
    int64_t d_tenths;        /* expected D in tenths */
    const char *text;        /* expected score text */
    enum tz_risk_level dflt; /* level by default (limit in the lower band) */
    enum tz_risk_level up;   /* level with is_upper_inclusive */
};

static const struct lec_case lec_cases[] = {
    /* 70: the only limit that table values reach */
    {100, 10, 70, 700, "70", TZ_RISK_LEVEL_LOW, TZ_RISK_LEVEL_GENERAL},
    {10, 100, 70, 700, "70", TZ_RISK_LEVEL_LOW, TZ_RISK_LEVEL_GENERAL},
    {30, 30, 70, 630, "63", TZ_RISK_LEVEL_LOW, TZ_RISK_LEVEL_LOW},
    {100, 5, 150, 750, "75", TZ_RISK_LEVEL_GENERAL, TZ_RISK_LEVEL_GENERAL},
    {5, 100, 150, 750, "75", TZ_RISK_LEVEL_GENERAL, TZ_RISK_LEVEL_GENERAL},
    /* around 160 */
    {100, 10, 150, 1500, "150", TZ_RISK_LEVEL_GENERAL, TZ_RISK_LEVEL_GENERAL},
    {30, 5, 1000, 1500, "150", TZ_RISK_LEVEL_GENERAL, TZ_RISK_LEVEL_GENERAL},
    {100, 60, 30, 1800, "180", TZ_RISK_LEVEL_LARGER, TZ_RISK_LEVEL_LARGER},
    {60, 20, 150, 1800, "180", TZ_RISK_LEVEL_LARGER, TZ_RISK_LEVEL_LARGER},
    /* around 320 */
    {100, 100, 30, 3000, "300", TZ_RISK_LEVEL_LARGER, TZ_RISK_LEVEL_LARGER},
    {60, 5, 1000, 3000, "300", TZ_RISK_LEVEL_LARGER, TZ_RISK_LEVEL_LARGER},
    {30, 30, 400, 3600, "360", TZ_RISK_LEVEL_MAJOR, TZ_RISK_LEVEL_MAJOR},
    /* SPEC's examples and the extremes */
    {60, 60, 70, 2520, "252", TZ_RISK_LEVEL_LARGER, TZ_RISK_LEVEL_LARGER},
    {30, 60, 70, 1260, "126", TZ_RISK_LEVEL_GENERAL, TZ_RISK_LEVEL_GENERAL},
    {100, 100, 70, 7000, "700", TZ_RISK_LEVEL_MAJOR, TZ_RISK_LEVEL_MAJOR},
    {100, 100, 1000, 100000, "10000", TZ_RISK_LEVEL_MAJOR, TZ_RISK_LEVEL_MAJOR},
    {1, 100, 1000, 1000, "100", TZ_RISK_LEVEL_GENERAL, TZ_RISK_LEVEL_GENERAL},
    /* decimals, exact: 0.1 x 3 x 100 is 30.000000000000004 in binary floats */
    {1, 30, 1000, 300, "30", TZ_RISK_LEVEL_LOW, TZ_RISK_LEVEL_LOW},
    {2, 60, 70, 84, "8.4", TZ_RISK_LEVEL_LOW, TZ_RISK_LEVEL_LOW},
    {5, 30, 70, 105, "10.5", TZ_RISK_LEVEL_LOW, TZ_RISK_LEVEL_LOW},
    {2, 5, 70, 7, "0.7", TZ_RISK_LEVEL_LOW, TZ_RISK_LEVEL_LOW},
    {2, 5, 10, 1, "0.1", TZ_RISK_LEVEL_LOW, TZ_RISK_LEVEL_LOW},
    {1, 5, 1000, 50, "5", TZ_RISK_LEVEL_LOW, TZ_RISK_LEVEL_LOW},
    {1, 10, 10, 1, "0.1", TZ_RISK_LEVEL_LOW, TZ_RISK_LEVEL_LOW},
    /* the seven products with a hundredth, rounded half up to tenths */
    {1, 5, 10, 1, "0.1", TZ_RISK_LEVEL_LOW, TZ_RISK_LEVEL_LOW},   /* 0.05 */
    {1, 5, 30, 2, "0.2", TZ_RISK_LEVEL_LOW, TZ_RISK_LEVEL_LOW},   /* 0.15 */
    {5, 5, 10, 3, "0.3", TZ_RISK_LEVEL_LOW, TZ_RISK_LEVEL_LOW},   /* 0.25 */
    {1, 5, 70, 4, "0.4", TZ_RISK_LEVEL_LOW, TZ_RISK_LEVEL_LOW},   /* 0.35 */
    {5, 5, 30, 8, "0.8", TZ_RISK_LEVEL_LOW, TZ_RISK_LEVEL_LOW},   /* 0.75 */
    {1, 5, 150, 8, "0.8", TZ_RISK_LEVEL_LOW, TZ_RISK_LEVEL_LOW},  /* 0.75 */
    {5, 5, 70, 18, "1.8", TZ_RISK_LEVEL_LOW, TZ_RISK_LEVEL_LOW},  /* 1.75 */
    {5, 5, 150, 38, "3.8", TZ_RISK_LEVEL_LOW, TZ_RISK_LEVEL_LOW}, /* 3.75 */
};

static void test_lec_products(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(lec_cases); i++) {
        const struct lec_case *c = &lec_cases[i];
        struct tz_risk_result r;
        struct tz_err err;
        char buf[TZ_RISK_SCORE_LEN];

        tz_err_clear(&err);
        assert_int_equal(tz_risk_lec(c->l10, c->e10, c->c10, NULL, &r, &err), TZ_OK);
        assert_int_equal(r.method, TZ_RISK_METHOD_LEC);
        assert_int_equal(r.score, c->d_tenths);
        assert_string_equal(tz_risk_score_format(&r, buf, sizeof(buf)), c->text);
        assert_int_equal(r.level, c->dflt);
        assert_string_equal(r.level_name, tz_risk_level_name(c->dflt));
        assert_string_equal(r.color, tz_risk_level_color(c->dflt));
        assert_string_equal(r.control_level, tz_risk_level_control(c->dflt));

        assert_int_equal(tz_risk_lec(c->l10, c->e10, c->c10, &lower, &r, &err), TZ_OK);
        assert_int_equal(r.level, c->dflt);
        assert_int_equal(tz_risk_lec(c->l10, c->e10, c->c10, &upper, &r, &err), TZ_OK);
        assert_int_equal(r.score, c->d_tenths);
        assert_int_equal(r.level, c->up);
    }
}

/* The factor tables of DOMAIN 4.3, in tenths, written out again on purpose. */
static const int64_t tab_l[] = {100, 60, 30, 10, 5, 2, 1};
static const int64_t tab_e[] = {100, 60, 30, 20, 10, 5};
static const int64_t tab_c[] = {1000, 400, 150, 70, 30, 10};

/* DOMAIN 4.3's four-level mapping on the exact D, in thousandths. */
static enum tz_risk_level ref_level(int64_t milli, bool is_upper)
{
    if (is_upper ? milli >= 320000 : milli > 320000)
        return TZ_RISK_LEVEL_MAJOR;
    if (is_upper ? milli >= 160000 : milli > 160000)
        return TZ_RISK_LEVEL_LARGER;
    if (is_upper ? milli >= 70000 : milli > 70000)
        return TZ_RISK_LEVEL_GENERAL;
    return TZ_RISK_LEVEL_LOW;
}

static void test_lec_every_combination(void **state)
{
    int n = 0, n_rounded = 0, n_at_70 = 0, n_at_160_or_320 = 0;

    (void)state;
    for (size_t i = 0; i < N_OF(tab_l); i++) {
        for (size_t j = 0; j < N_OF(tab_e); j++) {
            for (size_t k = 0; k < N_OF(tab_c); k++) {
                int64_t milli = tab_l[i] * tab_e[j] * tab_c[k];
                struct tz_risk_result r;
                struct tz_err err;

                assert_int_equal(tz_risk_lec(tab_l[i], tab_e[j], tab_c[k], NULL, &r, &err), TZ_OK);
                /* within half a tenth, ties up: 100 * score - milli in [-49, 50] */
                assert_true(100 * r.score - milli >= -49 && 100 * r.score - milli <= 50);
                assert_int_equal(r.level, ref_level(milli, false));
                assert_int_equal(tz_risk_lec(tab_l[i], tab_e[j], tab_c[k], &upper, &r, &err),
                                 TZ_OK);
                assert_int_equal(r.level, ref_level(milli, true));
                if (milli % 100 != 0) {
                    n_rounded++;
                    assert_true(milli < 4000); /* all far below the first limit */
                }
                n_at_70 += milli == 70000;
                n_at_160_or_320 += milli == 160000 || milli == 320000;
                n++;
            }
        }
    }
    assert_int_equal(n, 252);
    assert_int_equal(n_at_70, 2);
    assert_int_equal(n_at_160_or_320, 0);
    /* 0.05, 0.15, 0.25, 0.35, 0.75 (twice), 1.75, 3.75 */
    assert_int_equal(n_rounded, 8);
}

/* ---- LS ---------------------------------------------------------------------------------- */

/* DOMAIN 4.4: the level of each possible product R. */
static enum tz_risk_level ls_expected(int64_t r)
{
    static const struct {
        int64_t lo, hi;
        enum tz_risk_level level;
    } bands[] = {
        {20, 25, TZ_RISK_LEVEL_MAJOR},
        {15, 16, TZ_RISK_LEVEL_LARGER},
        {9, 12, TZ_RISK_LEVEL_GENERAL},
        {1, 8, TZ_RISK_LEVEL_LOW},
    };
    for (size_t i = 0; i < N_OF(bands); i++) {
        if (r >= bands[i].lo && r <= bands[i].hi)
            return bands[i].level;
    }
    fail_msg("product %d is in no band", (int)r);
    return 0;
}

static void test_ls_every_pair(void **state)
{
    (void)state;
    for (int64_t l = 1; l <= 5; l++) {
        for (int64_t s = 1; s <= 5; s++) {
            struct tz_risk_result r;
            struct tz_err err;
            char buf[TZ_RISK_SCORE_LEN];
            char want[8];

            assert_int_equal(tz_risk_ls(l, s, &r, &err), TZ_OK);
            assert_int_equal(r.method, TZ_RISK_METHOD_LS);
            assert_int_equal(r.score, l * s);
            assert_int_equal(r.level, ls_expected(l * s));
            assert_string_equal(r.level_name, tz_risk_level_name(r.level));
            assert_string_equal(r.color, tz_risk_level_color(r.level));
            snprintf(want, sizeof(want), "%d", (int)(l * s));
            assert_string_equal(tz_risk_score_format(&r, buf, sizeof(buf)), want);
        }
    }
}

static void test_ls_level_on_raw_scores(void **state)
{
    static const struct {
        int64_t r;
        enum tz_risk_level level;
    } rows[] = {
        {0, TZ_RISK_LEVEL_LOW},      {8, TZ_RISK_LEVEL_LOW},     {9, TZ_RISK_LEVEL_GENERAL},
        {14, TZ_RISK_LEVEL_GENERAL}, {15, TZ_RISK_LEVEL_LARGER}, {19, TZ_RISK_LEVEL_LARGER},
        {20, TZ_RISK_LEVEL_MAJOR},   {26, TZ_RISK_LEVEL_MAJOR},
    };
    (void)state;
    for (size_t i = 0; i < N_OF(rows); i++)
        assert_int_equal(tz_risk_ls_level(rows[i].r), rows[i].level);
}

/* ---- names ------------------------------------------------------------------------------- */

static void test_names(void **state)
{
    static const struct {
        enum tz_risk_level level;
        const char *name, *color, *control;
    } rows[] = {
        {TZ_RISK_LEVEL_MAJOR, "重大", "red", "公司级"},
        {TZ_RISK_LEVEL_LARGER, "较大", "orange", "公司级"},
        {TZ_RISK_LEVEL_GENERAL, "一般", "yellow", "部门级"},
        {TZ_RISK_LEVEL_LOW, "低", "blue", "班组级"},
    };
    (void)state;
    for (size_t i = 0; i < N_OF(rows); i++) {
        assert_int_equal(rows[i].level, (int)i + 1);
        assert_string_equal(tz_risk_level_name(rows[i].level), rows[i].name);
        assert_string_equal(tz_risk_level_color(rows[i].level), rows[i].color);
        assert_string_equal(tz_risk_level_control(rows[i].level), rows[i].control);
    }
    assert_null(tz_risk_level_name((enum tz_risk_level)0));
    assert_null(tz_risk_level_color((enum tz_risk_level)5));
    assert_null(tz_risk_level_control((enum tz_risk_level) - 1));
    assert_string_equal(tz_risk_method_name(TZ_RISK_METHOD_LEC), "LEC");
    assert_string_equal(tz_risk_method_name(TZ_RISK_METHOD_LS), "LS");
    assert_null(tz_risk_method_name((enum tz_risk_method)0));
}

static void test_score_format_short_buffer(void **state)
{
    struct tz_risk_result r;
    struct tz_err err;
    char buf[3];

    (void)state;
    assert_int_equal(tz_risk_lec(5, 5, 150, NULL, &r, &err), TZ_OK);
    assert_string_equal(tz_risk_score_format(&r, buf, sizeof(buf)), "3.");
    assert_int_equal(tz_risk_lec(100, 100, 1000, NULL, &r, &err), TZ_OK);
    assert_string_equal(tz_risk_score_format(&r, buf, sizeof(buf)), "10");
}

/* ---- the C entry points refuse ----------------------------------------------------------- */

struct c_refusal {
    enum tz_risk_method method;
    int64_t a, b, c;
    const char *field;
};

static const struct c_refusal c_refusals[] = {
    {TZ_RISK_METHOD_LEC, 40, 60, 70, "l"}, /* 4 */
    {TZ_RISK_METHOD_LEC, 0, 60, 70, "l"},  {TZ_RISK_METHOD_LEC, -10, 60, 70, "l"},
    {TZ_RISK_METHOD_LEC, 60, 50, 70, "e"}, /* 5 */
    {TZ_RISK_METHOD_LEC, 60, 2, 70, "e"},  /* 0.2 is an L value, not an E one */
    {TZ_RISK_METHOD_LEC, 60, 60, 80, "c"}, /* 8 */
    {TZ_RISK_METHOD_LEC, 60, 60, 5, "c"},  /* 0.5 */
    {TZ_RISK_METHOD_LEC, 40, 50, 80, "l"}, /* the first bad factor is named */
    {TZ_RISK_METHOD_LS, 6, 3, 0, "l"},     {TZ_RISK_METHOD_LS, 0, 3, 0, "l"},
    {TZ_RISK_METHOD_LS, 3, 0, 0, "s"},     {TZ_RISK_METHOD_LS, 3, 6, 0, "s"},
};

static void test_c_refusals(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(c_refusals); i++) {
        const struct c_refusal *c = &c_refusals[i];
        struct tz_risk_result r, zero;
        struct tz_err err;
        enum tz_status st;

        memset(&r, 0x5a, sizeof(r));
        memset(&zero, 0, sizeof(zero));
        tz_err_clear(&err);
        if (c->method == TZ_RISK_METHOD_LEC)
            st = tz_risk_lec(c->a, c->b, c->c, NULL, &r, &err);
        else
            st = tz_risk_ls(c->a, c->b, &r, &err);
        assert_int_equal(st, TZ_EINVAL);
        assert_int_equal(err.code, TZ_EINVAL);
        assert_string_equal(err.field, c->field);
        assert_memory_equal(&r, &zero, sizeof(r));
    }
}

/* ---- JSON requests ----------------------------------------------------------------------- */

static struct json_object *parse(const char *text)
{
    struct tz_err err;
    struct json_object *o = tz_json_parse(text, strlen(text), &err);
    if (!o)
        fail_msg("test JSON does not parse: %s (%s)", text, err.msg);
    return o;
}

struct json_refusal {
    const char *body;
    enum tz_status code;
    const char *field;
};

static const struct json_refusal json_refusals[] = {
    /* factors outside their tables */
    {"{\"method\":\"LEC\",\"l\":4,\"e\":6,\"c\":7}", TZ_EINVAL, "l"},
    {"{\"method\":\"LEC\",\"l\":6,\"e\":5,\"c\":7}", TZ_EINVAL, "e"},
    {"{\"method\":\"LEC\",\"l\":6,\"e\":6,\"c\":8}", TZ_EINVAL, "c"},
    {"{\"method\":\"LEC\",\"l\":0.3,\"e\":6,\"c\":7}", TZ_EINVAL, "l"},
    {"{\"method\":\"LEC\",\"l\":0.15,\"e\":6,\"c\":7}", TZ_EINVAL, "l"},
    {"{\"method\":\"LEC\",\"l\":0.05,\"e\":6,\"c\":7}", TZ_EINVAL, "l"},
    {"{\"method\":\"LEC\",\"l\":-1,\"e\":6,\"c\":7}", TZ_EINVAL, "l"},
    {"{\"method\":\"LEC\",\"l\":-0.5,\"e\":6,\"c\":7}", TZ_EINVAL, "l"},
    {"{\"method\":\"LEC\",\"l\":0,\"e\":6,\"c\":7}", TZ_EINVAL, "l"},
    {"{\"method\":\"LEC\",\"l\":0.0,\"e\":6,\"c\":7}", TZ_EINVAL, "l"},
    {"{\"method\":\"LEC\",\"l\":6,\"e\":6,\"c\":1e400}", TZ_EINVAL, "c"},
    {"{\"method\":\"LEC\",\"l\":6,\"e\":6,\"c\":100000000000000000000000}", TZ_EINVAL, "c"},
    {"{\"method\":\"LEC\",\"l\":6,\"e\":6,\"c\":9223372036854775807}", TZ_EINVAL, "c"},
    {"{\"method\":\"LEC\",\"l\":6,\"e\":6,\"c\":1e-999999999999999999999}", TZ_EINVAL, "c"},
    /* the double nearest 0.1, written out, is not 0.1 */
    {"{\"method\":\"LEC\",\"l\":0.1000000000000000055,\"e\":6,\"c\":7}", TZ_EINVAL, "l"},
    {"{\"method\":\"LEC\",\"l\":0.10000000000000001,\"e\":6,\"c\":7}", TZ_EINVAL, "l"},
    /* wrong types and missing factors */
    {"{\"method\":\"LEC\",\"l\":\"3\",\"e\":6,\"c\":7}", TZ_EINVAL, "l"},
    {"{\"method\":\"LEC\",\"l\":true,\"e\":6,\"c\":7}", TZ_EINVAL, "l"},
    {"{\"method\":\"LEC\",\"l\":[3],\"e\":6,\"c\":7}", TZ_EINVAL, "l"},
    {"{\"method\":\"LEC\",\"l\":null,\"e\":6,\"c\":7}", TZ_EINVAL, "l"},
    {"{\"method\":\"LEC\",\"l\":3,\"c\":7}", TZ_EINVAL, "e"},
    {"{\"method\":\"LEC\",\"l\":3,\"e\":6}", TZ_EINVAL, "c"},
    {"{\"method\":\"LEC\"}", TZ_EINVAL, "l"},
    /* keys */
    {"{\"method\":\"LEC\",\"l\":3,\"e\":6,\"c\":7,\"x\":1}", TZ_EINVAL, "x"},
    {"{\"method\":\"LEC\",\"l\":3,\"e\":6,\"c\":7,\"s\":1}", TZ_EINVAL, "s"},
    {"{\"method\":\"LEC\",\"L\":3,\"e\":6,\"c\":7}", TZ_EINVAL, "L"},
    {"{\"method\":\"LS\",\"l\":3,\"s\":3,\"e\":6}", TZ_EINVAL, "e"},
    /* LS */
    {"{\"method\":\"LS\",\"l\":6,\"s\":3}", TZ_EINVAL, "l"},
    {"{\"method\":\"LS\",\"l\":3,\"s\":0}", TZ_EINVAL, "s"},
    {"{\"method\":\"LS\",\"l\":3,\"s\":6}", TZ_EINVAL, "s"},
    {"{\"method\":\"LS\",\"l\":3,\"s\":-2}", TZ_EINVAL, "s"},
    {"{\"method\":\"LS\",\"l\":3,\"s\":4.0}", TZ_EINVAL, "s"},
    {"{\"method\":\"LS\",\"l\":0.5,\"s\":4}", TZ_EINVAL, "l"},
    {"{\"method\":\"LS\",\"l\":3,\"s\":\"4\"}", TZ_EINVAL, "s"},
    {"{\"method\":\"LS\",\"l\":3}", TZ_EINVAL, "s"},
    {"{\"method\":\"LS\",\"s\":3}", TZ_EINVAL, "l"},
    /* method */
    {"{\"l\":3,\"e\":6,\"c\":7}", TZ_EINVAL, "method"},
    {"{\"method\":null,\"l\":3,\"e\":6,\"c\":7}", TZ_EINVAL, "method"},
    {"{\"method\":\"XYZ\",\"l\":3,\"s\":3}", TZ_EINVAL, "method"},
    {"{\"method\":\"lec\",\"l\":3,\"e\":6,\"c\":7}", TZ_EINVAL, "method"},
    {"{\"method\":1,\"l\":3,\"e\":6,\"c\":7}", TZ_EINVAL, "method"},
    {"{\"method\":\"XYZ\",\"zzz\":3}", TZ_EINVAL, "method"}, /* method before keys */
    {"{}", TZ_EINVAL, "method"},
    /* not an object */
    {"[1,2]", TZ_EBADREQ, ""},
    {"\"LEC\"", TZ_EBADREQ, ""},
};

static void test_json_refusals(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(json_refusals); i++) {
        const struct json_refusal *c = &json_refusals[i];
        struct json_object *req = parse(c->body);
        struct tz_risk_result r, zero;
        struct tz_err err;
        enum tz_status st;

        memset(&r, 0x5a, sizeof(r));
        memset(&zero, 0, sizeof(zero));
        tz_err_clear(&err);
        st = tz_risk_assess_json(req, NULL, &r, &err);
        if (st != c->code || strcmp(err.field, c->field) != 0)
            fail_msg("%s: got %d field '%s' (%s), want %d field '%s'", c->body, (int)st, err.field,
                     err.msg, (int)c->code, c->field);
        assert_true(err.msg[0] != '\0');
        assert_memory_equal(&r, &zero, sizeof(r));
        json_object_put(req);
    }
}

struct json_accept {
    const char *body;
    int64_t score;
    enum tz_risk_level level;
};

static const struct json_accept json_accepts[] = {
    {"{\"method\":\"LEC\",\"l\":3,\"e\":6,\"c\":7}", 1260, TZ_RISK_LEVEL_GENERAL},
    {"{\"c\":7,\"e\":6,\"l\":3,\"method\":\"LEC\"}", 1260, TZ_RISK_LEVEL_GENERAL},
    {"{\"method\":\"LEC\",\"l\":0.5,\"e\":10,\"c\":15}", 750, TZ_RISK_LEVEL_GENERAL},
    {"{\"method\":\"LEC\",\"l\":0.50,\"e\":10,\"c\":15}", 750, TZ_RISK_LEVEL_GENERAL},
    {"{\"method\":\"LEC\",\"l\":5e-1,\"e\":10,\"c\":15}", 750, TZ_RISK_LEVEL_GENERAL},
    {"{\"method\":\"LEC\",\"l\":0.05E1,\"e\":1E1,\"c\":1.5e+1}", 750, TZ_RISK_LEVEL_GENERAL},
    {"{\"method\":\"LEC\",\"l\":10.0,\"e\":1.000,\"c\":7}", 700, TZ_RISK_LEVEL_LOW},
    {"{\"method\":\"LEC\",\"l\":0.1,\"e\":3,\"c\":100}", 300, TZ_RISK_LEVEL_LOW},
    {"{\"method\":\"LEC\",\"l\":0.1,\"e\":10,\"c\":1e2}", 1000, TZ_RISK_LEVEL_GENERAL},
    {"{\"method\":\"LEC\",\"l\":0.1,\"e\":0.5,\"c\":1}", 1, TZ_RISK_LEVEL_LOW},
    {"{\"method\":\"LEC\",\"l\":0.2,\"e\":0.5,\"c\":7}", 7, TZ_RISK_LEVEL_LOW},
    {"{\"method\":\"LEC\",\"l\":0.5,\"e\":0.5,\"c\":15}", 38, TZ_RISK_LEVEL_LOW},
    {"{\"method\":\"LEC\",\"l\":-0.0e5,\"e\":6,\"c\":7}", -1, 0}, /* zero: refused, "l" */
    {"{\"method\":\"LS\",\"l\":4,\"s\":4}", 16, TZ_RISK_LEVEL_LARGER},
    {"{\"method\":\"LS\",\"l\":5,\"s\":4}", 20, TZ_RISK_LEVEL_MAJOR},
    {"{\"method\":\"LS\",\"l\":3,\"s\":3}", 9, TZ_RISK_LEVEL_GENERAL},
    {"{\"method\":\"LS\",\"l\":2,\"s\":4}", 8, TZ_RISK_LEVEL_LOW},
};

static void test_json_accepts(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(json_accepts); i++) {
        const struct json_accept *c = &json_accepts[i];
        struct json_object *req = parse(c->body);
        struct tz_risk_result r;
        struct tz_err err;
        enum tz_status st;

        tz_err_clear(&err);
        st = tz_risk_assess_json(req, NULL, &r, &err);
        if (c->score < 0) {
            assert_int_equal(st, TZ_EINVAL);
            assert_string_equal(err.field, "l");
        } else {
            if (st != TZ_OK)
                fail_msg("%s: %s", c->body, err.msg);
            assert_int_equal(r.score, c->score);
            assert_int_equal(r.level, c->level);
        }
        json_object_put(req);
    }
}

static void test_json_rules(void **state)
{
    struct json_object *req = parse("{\"method\":\"LEC\",\"l\":10,\"e\":1,\"c\":7}");
    struct tz_risk_result r;
    struct tz_err err;

    (void)state;
    assert_int_equal(tz_risk_assess_json(req, NULL, &r, &err), TZ_OK);
    assert_int_equal(r.level, TZ_RISK_LEVEL_LOW);
    assert_int_equal(tz_risk_assess_json(req, &lower, &r, &err), TZ_OK);
    assert_int_equal(r.level, TZ_RISK_LEVEL_LOW);
    assert_int_equal(tz_risk_assess_json(req, &upper, &r, &err), TZ_OK);
    assert_int_equal(r.level, TZ_RISK_LEVEL_GENERAL);
    assert_string_equal(r.control_level, "部门级");
    json_object_put(req);
}

/* ---- the JSON answer, byte for byte ------------------------------------------------------ */

struct answer_case {
    const char *body;
    const char *answer;
};

static const struct answer_case answers[] = {
    {"{\"method\":\"LEC\",\"l\":3,\"e\":6,\"c\":7}",
     "{\"score\":126,\"level\":\"一般\",\"color\":\"yellow\",\"level_code\":3,"
     "\"method\":\"LEC\",\"control_level\":\"部门级\"}"},
    {"{\"method\":\"LEC\",\"l\":10,\"e\":10,\"c\":7}",
     "{\"score\":700,\"level\":\"重大\",\"color\":\"red\",\"level_code\":1,"
     "\"method\":\"LEC\",\"control_level\":\"公司级\"}"},
    {"{\"method\":\"LEC\",\"l\":6,\"e\":6,\"c\":7}",
     "{\"score\":252,\"level\":\"较大\",\"color\":\"orange\",\"level_code\":2,"
     "\"method\":\"LEC\",\"control_level\":\"公司级\"}"},
    {"{\"method\":\"LEC\",\"l\":0.1,\"e\":3,\"c\":100}",
     "{\"score\":30,\"level\":\"低\",\"color\":\"blue\",\"level_code\":4,"
     "\"method\":\"LEC\",\"control_level\":\"班组级\"}"},
    {"{\"method\":\"LEC\",\"l\":0.2,\"e\":6,\"c\":7}",
     "{\"score\":8.4,\"level\":\"低\",\"color\":\"blue\",\"level_code\":4,"
     "\"method\":\"LEC\",\"control_level\":\"班组级\"}"},
    {"{\"method\":\"LEC\",\"l\":0.1,\"e\":0.5,\"c\":1}",
     "{\"score\":0.1,\"level\":\"低\",\"color\":\"blue\",\"level_code\":4,"
     "\"method\":\"LEC\",\"control_level\":\"班组级\"}"},
    {"{\"method\":\"LEC\",\"l\":0.5,\"e\":0.5,\"c\":15}",
     "{\"score\":3.8,\"level\":\"低\",\"color\":\"blue\",\"level_code\":4,"
     "\"method\":\"LEC\",\"control_level\":\"班组级\"}"},
    {"{\"method\":\"LS\",\"l\":4,\"s\":4}",
     "{\"score\":16,\"level\":\"较大\",\"color\":\"orange\",\"level_code\":2,"
     "\"method\":\"LS\",\"control_level\":\"公司级\"}"},
    {"{\"method\":\"LS\",\"l\":5,\"s\":5}",
     "{\"score\":25,\"level\":\"重大\",\"color\":\"red\",\"level_code\":1,"
     "\"method\":\"LS\",\"control_level\":\"公司级\"}"},
    {"{\"method\":\"LS\",\"l\":1,\"s\":1}",
     "{\"score\":1,\"level\":\"低\",\"color\":\"blue\",\"level_code\":4,"
     "\"method\":\"LS\",\"control_level\":\"班组级\"}"},
};

static void test_json_answer_bytes(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(answers); i++) {
        struct json_object *req = parse(answers[i].body), *ans;
        struct tz_risk_result r;
        struct tz_err err;

        assert_int_equal(tz_risk_assess_json(req, NULL, &r, &err), TZ_OK);
        ans = tz_risk_result_json(&r);
        assert_non_null(ans);
        assert_string_equal(tz_json_compact(ans, NULL), answers[i].answer);
        json_object_put(ans);
        json_object_put(req);
    }
}

/* ---- the fields of a risk_point item ----------------------------------------------------- */

struct fields_case {
    const char *fields;
    enum tz_status code;
    const char *field; /* on failure */
    bool is_assessed;  /* on success */
    enum tz_risk_method method;
    int64_t score;
};

static const struct fields_case fields_cases[] = {
    {"{\"l\":6,\"e\":6,\"c\":7,\"check_every_days\":30}", TZ_OK, "", true, TZ_RISK_METHOD_LEC,
     2520},
    {"{\"l\":1,\"s\":2,\"check_every_days\":90}", TZ_OK, "", true, TZ_RISK_METHOD_LS, 2},
    {"{\"method\":\"LS\",\"l\":4,\"s\":4,\"controls\":\"巡检\"}", TZ_OK, "", true,
     TZ_RISK_METHOD_LS, 16},
    {"{\"method\":\"LEC\",\"l\":0.5,\"e\":6,\"c\":7}", TZ_OK, "", true, TZ_RISK_METHOD_LEC, 210},
    {"{\"check_every_days\":30}", TZ_OK, "", false, 0, 0},
    {"{}", TZ_OK, "", false, 0, 0},
    {"{\"l\":null,\"e\":null}", TZ_OK, "", false, 0, 0},
    {"{\"l\":6}", TZ_EINVAL, "e", false, 0, 0},
    {"{\"l\":6,\"e\":6,\"c\":8}", TZ_EINVAL, "c", false, 0, 0},
    {"{\"l\":1,\"s\":2,\"e\":3}", TZ_EINVAL, "e", false, 0, 0},
    {"{\"method\":\"LEC\",\"l\":1,\"e\":1,\"c\":1,\"s\":2}", TZ_EINVAL, "s", false, 0, 0},
    {"{\"method\":\"ABC\",\"l\":1,\"s\":2}", TZ_EINVAL, "method", false, 0, 0},
    {"[1]", TZ_EINVAL, "fields", false, 0, 0},
};

static void test_assess_fields(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(fields_cases); i++) {
        const struct fields_case *c = &fields_cases[i];
        struct json_object *fields = parse(c->fields);
        struct tz_risk_result r;
        struct tz_err err;
        bool is_assessed = true;
        enum tz_status st;

        tz_err_clear(&err);
        st = tz_risk_assess_fields(fields, NULL, &is_assessed, &r, &err);
        if (st != c->code || strcmp(err.field, c->field) != 0)
            fail_msg("%s: got %d field '%s' (%s)", c->fields, (int)st, err.field, err.msg);
        assert_int_equal(is_assessed, c->is_assessed);
        assert_int_equal(r.method, c->method);
        assert_int_equal(r.score, c->score);
        json_object_put(fields);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lec_level_on_raw_scores),
        cmocka_unit_test(test_lec_products),
        cmocka_unit_test(test_lec_every_combination),
        cmocka_unit_test(test_ls_every_pair),
        cmocka_unit_test(test_ls_level_on_raw_scores),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_score_format_short_buffer),
        cmocka_unit_test(test_c_refusals),
        cmocka_unit_test(test_json_refusals),
        cmocka_unit_test(test_json_accepts),
        cmocka_unit_test(test_json_rules),
        cmocka_unit_test(test_json_answer_bytes),
        cmocka_unit_test(test_assess_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
