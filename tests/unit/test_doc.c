/*
 * test_doc.c - the official-document conventions of the printed reports
 * (include/tz/doc.h): Chinese dates and periods, the district's short name,
 * notice numbers, ISO weeks (a bulletin's issue), percentages and the colour
 * of a 督办单. Table-driven: each row is an input and what it must give.
 */
#include "tz/date.h"
#include "tz/doc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static int32_t day(const char *s)
{
    int32_t d = 0;
    assert_true(tz_date_parse(s, &d));
    return d;
}

static void test_date_and_period(void **state)
{
    (void)state;
    char buf[TZ_DOC_BUF];
    assert_string_equal(tz_doc_date(day("2026-11-30"), buf, sizeof(buf)), "2026年11月30日");
    assert_string_equal(tz_doc_date(day("2027-01-05"), buf, sizeof(buf)), "2027年1月5日");
    static const struct {
        const char *from, *to, *want;
    } rows[] = {
        {"2026-11-23", "2026-11-29", "2026年11月23日—11月29日"},
        {"2026-12-28", "2027-01-03", "2026年12月28日—2027年1月3日"},
        {"2026-11-30", "2026-11-30", "2026年11月30日"},
        {"2026-10-26", "2026-11-01", "2026年10月26日—11月1日"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        assert_string_equal(tz_doc_period(day(rows[i].from), day(rows[i].to), buf, sizeof(buf)),
                            rows[i].want);
    /* a short buffer is cut, never overrun */
    char small[8];
    tz_doc_period(day("2026-11-23"), day("2026-11-29"), small, sizeof(small));
    assert_true(strlen(small) < sizeof(small));
}

static void test_short_name_and_number(void **state)
{
    (void)state;
    static const struct {
        const char *district, *want;
    } rows[] = {
        {"城东区", "城东"},
        {"湟中县", "湟中"},
        {"格尔木市", "格尔木"},
        {"东区", "东区"},
        {"西宁市城东区", "西宁市城东"},
        {"Chengdong", "Chengdong"},
    };
    char buf[TZ_DOC_BUF];
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        assert_string_equal(tz_doc_short_name(rows[i].district, buf, sizeof(buf)), rows[i].want);
    assert_string_equal(tz_doc_notice_number("城东", 2026, 3, buf, sizeof(buf)),
                        "城东督办〔2026〕第3号");
    assert_string_equal(tz_doc_notice_number("城东", 2027, 120, buf, sizeof(buf)),
                        "城东督办〔2027〕第120号");
}

static void test_iso_week(void **state)
{
    (void)state;
    static const struct {
        const char *date;
        int week, year;
    } rows[] = {
        {"2026-11-29", 48, 2026},                          /* Sunday of the week from 11-23 */
        {"2026-11-23", 48, 2026}, {"2026-01-01", 1, 2026}, /* a Thursday */
        {"2027-01-01", 53, 2026},                          /* a Friday: 2026 has 53 weeks */
        {"2024-12-30", 1, 2025},  {"2021-01-03", 53, 2020},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        int year = 0;
        assert_int_equal(tz_doc_iso_week(day(rows[i].date), &year), rows[i].week);
        assert_int_equal(year, rows[i].year);
    }
}

static void test_percent_and_grade(void **state)
{
    (void)state;
    char buf[16];
    assert_string_equal(tz_doc_percent(0.4615, true, buf, sizeof(buf)), "46.2%");
    assert_string_equal(tz_doc_percent(1.0, true, buf, sizeof(buf)), "100.0%");
    assert_string_equal(tz_doc_percent(0.0, false, buf, sizeof(buf)), "—");
    static const struct {
        int supervised;
        bool yellow, red;
        enum tz_doc_grade want;
    } rows[] = {
        {0, false, false, TZ_DOC_BLUE},  {1, false, false, TZ_DOC_YELLOW},
        {2, false, false, TZ_DOC_RED},   {0, true, false, TZ_DOC_YELLOW},
        {0, false, true, TZ_DOC_RED},    {1, true, false, TZ_DOC_YELLOW},
        {2, true, false, TZ_DOC_RED},    {5, false, false, TZ_DOC_RED},
        {-1, false, false, TZ_DOC_BLUE},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        assert_int_equal(tz_doc_notice_grade(rows[i].supervised, rows[i].yellow, rows[i].red),
                         rows[i].want);
    assert_string_equal(tz_doc_grade_name(TZ_DOC_RED), "红色");
    assert_string_equal(tz_doc_grade_name(TZ_DOC_BLUE), "蓝色");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_and_period),
        cmocka_unit_test(test_short_name_and_number),
        cmocka_unit_test(test_iso_week),
        cmocka_unit_test(test_percent_and_grade),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
