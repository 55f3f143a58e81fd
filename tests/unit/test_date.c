/*
 * test_date.c - civil dates as day numbers (include/tz/date.h).
 *
 * The round trip walks every day of 1900-2999 with an independent y/m/d
 * counter, so from_ymd, to_ymd, format and parse are each checked against a
 * plain calendar walk rather than against one another. Parsing and weekdays
 * are table-driven: each row is one input and what it must give.
 */
#include "tz/date.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

/* Every day of 1900-01-01..2999-12-31, walked with a y/m/d counter. */
static void test_round_trip(void **state)
{
    (void)state;
    int32_t day = tz_date_from_ymd(1900, 1, 1);
    assert_int_equal(day, -25567);
    char buf[TZ_DATE_BUF];
    for (int y = 1900; y <= 2999; y++) {
        for (int m = 1; m <= 12; m++) {
            for (int d = 1; d <= tz_date_days_in_month(y, m); d++, day++) {
                int yy, mm, dd;
                assert_int_equal(tz_date_from_ymd(y, m, d), day);
                tz_date_to_ymd(day, &yy, &mm, &dd);
                assert_int_equal(yy, y);
                assert_int_equal(mm, m);
                assert_int_equal(dd, d);
                assert_int_equal(tz_date_year(day), y);

                assert_ptr_equal(tz_date_format(day, buf), buf);
                assert_int_equal(strlen(buf), 10);
                int32_t parsed = TZ_DAY_NONE;
                assert_true(tz_date_parse(buf, &parsed));
                assert_int_equal(parsed, day);
                /* weekdays advance by one, wrapping after Sunday */
                assert_int_equal(tz_date_weekday(day + 1), (tz_date_weekday(day) + 1) % 7);
            }
        }
    }
    assert_int_equal(day - 1, tz_date_from_ymd(2999, 12, 31));
    assert_int_equal(day - 1, 376199);
}

static const struct parse_vec {
    const char *in;
    bool ok;
    int y, m, d;
} parse_vecs[] = {
    {"2026-01-01", true, 2026, 1, 1},   {"2024-02-29", true, 2024, 2, 29},
    {"2000-02-29", true, 2000, 2, 29},  {"1900-01-01", true, 1900, 1, 1},
    {"2999-12-31", true, 2999, 12, 31}, {"2026-02-29", false, 0, 0, 0},
    {"2100-02-29", false, 0, 0, 0},     {"1900-02-29", false, 0, 0, 0},
    {"2026-13-01", false, 0, 0, 0},     {"2026-00-10", false, 0, 0, 0},
    {"2026-01-00", false, 0, 0, 0},     {"2026-04-31", false, 0, 0, 0},
    {"2026-1-01", false, 0, 0, 0},      {"2026-01-1", false, 0, 0, 0},
    {"2026-01-011", false, 0, 0, 0},    {"", false, 0, 0, 0},
    {"1899-12-31", false, 0, 0, 0},     {"3000-01-01", false, 0, 0, 0},
    {"2026/01/01", false, 0, 0, 0},     {" 2026-01-01", false, 0, 0, 0},
    {"2026-01-01 ", false, 0, 0, 0},    {"+026-01-01", false, 0, 0, 0},
    {"2026-0a-01", false, 0, 0, 0},     {"20260101", false, 0, 0, 0},
};

static void test_parse(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(parse_vecs) / sizeof(parse_vecs[0]); i++) {
        const struct parse_vec *v = &parse_vecs[i];
        int32_t day = TZ_DAY_NONE;
        bool ok = tz_date_parse(v->in, &day);
        if (ok != v->ok)
            fail_msg("parse '%s': got %d, want %d", v->in, ok, v->ok);
        if (v->ok)
            assert_int_equal(day, tz_date_from_ymd(v->y, v->m, v->d));
    }
    int32_t day = 0;
    assert_false(tz_date_parse(NULL, &day));
}

static const struct weekday_vec {
    int y, m, d;
    int weekday; /* 0 = Monday */
} weekday_vecs[] = {
    {1900, 1, 1, 0}, {1949, 10, 1, 5}, {1969, 12, 31, 2}, {1970, 1, 1, 3},
    {2000, 1, 1, 5}, {2000, 2, 29, 1}, {2025, 1, 1, 2},   {2025, 9, 28, 6},
    {2026, 1, 1, 3}, {2026, 2, 28, 5}, {2026, 10, 10, 5}, {2999, 12, 31, 1},
};

static void test_weekday(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(weekday_vecs) / sizeof(weekday_vecs[0]); i++) {
        const struct weekday_vec *v = &weekday_vecs[i];
        int w = tz_date_weekday(tz_date_from_ymd(v->y, v->m, v->d));
        if (w != v->weekday)
            fail_msg("weekday of %04d-%02d-%02d: got %d, want %d", v->y, v->m, v->d, w, v->weekday);
    }
}

static void test_leap_and_months(void **state)
{
    (void)state;
    assert_true(tz_date_is_leap(2000));
    assert_true(tz_date_is_leap(2024));
    assert_false(tz_date_is_leap(1900));
    assert_false(tz_date_is_leap(2100));
    assert_false(tz_date_is_leap(2026));
    assert_int_equal(tz_date_days_in_month(2024, 2), 29);
    assert_int_equal(tz_date_days_in_month(2026, 2), 28);
    assert_int_equal(tz_date_days_in_month(2026, 4), 30);
    assert_int_equal(tz_date_days_in_month(2026, 12), 31);
    assert_int_equal(tz_date_days_in_month(2026, 0), 0);
    assert_int_equal(tz_date_days_in_month(2026, 13), 0);
}

/* Each quarter's bounds, and the quarter of its first day, last day and the days around. */
static const struct quarter_vec {
    int year, quarter;
    const char *first, *last;
} quarter_vecs[] = {
    {2026, 1, "2026-01-01", "2026-03-31"}, {2026, 2, "2026-04-01", "2026-06-30"},
    {2026, 3, "2026-07-01", "2026-09-30"}, {2026, 4, "2026-10-01", "2026-12-31"},
    {2024, 1, "2024-01-01", "2024-03-31"}, {1900, 1, "1900-01-01", "1900-03-31"},
    {2999, 4, "2999-10-01", "2999-12-31"},
};

static void test_quarters(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(quarter_vecs) / sizeof(quarter_vecs[0]); i++) {
        const struct quarter_vec *v = &quarter_vecs[i];
        int32_t first = TZ_DAY_NONE, last = TZ_DAY_NONE, want_first, want_last;
        assert_true(tz_date_parse(v->first, &want_first));
        assert_true(tz_date_parse(v->last, &want_last));
        tz_date_quarter_bounds(v->year, v->quarter, &first, &last);
        if (first != want_first || last != want_last)
            fail_msg("Q%d %d: got %d..%d, want %s..%s", v->quarter, v->year, first, last, v->first,
                     v->last);
        assert_int_equal(tz_date_quarter(first), v->quarter);
        assert_int_equal(tz_date_quarter(last), v->quarter);
        assert_int_equal(tz_date_quarter(first - 1), v->quarter == 1 ? 4 : v->quarter - 1);
        assert_int_equal(tz_date_quarter(last + 1), v->quarter == 4 ? 1 : v->quarter + 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip), cmocka_unit_test(test_parse),
        cmocka_unit_test(test_weekday),    cmocka_unit_test(test_leap_and_months),
        cmocka_unit_test(test_quarters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
