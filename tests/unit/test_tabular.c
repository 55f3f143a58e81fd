/*
 * test_tabular.c - the pure half of an import (include/tz/tabular.h): CSV
 * records (RFC 4180 quoting, CRLF, blank records, unterminated quotes, caps),
 * UTF-8 validation, column names, header labels, and the value parsers for
 * what people type into Excel (dates in five spellings and as serials,
 * numbers with grouping, percentages, 是/否).
 */
#include "tz/date.h"
#include "tz/tabular.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- CSV ------------------------------------------------------------------------------ */

struct collected {
    char text[2048];
    size_t len;
    int n_rows;
};

/* Writes each record as "row:col=text|col=text;" for comparison. */
static enum tz_status collect(void *arg, int64_t row, const struct tz_cell *cells, size_t n,
                              struct tz_err *err)
{
    struct collected *c = arg;
    (void)err;
    c->n_rows++;
    c->len += (size_t)snprintf(c->text + c->len, sizeof(c->text) - c->len, "%lld:", (long long)row);
    for (size_t i = 0; i < n; i++)
        c->len += (size_t)snprintf(c->text + c->len, sizeof(c->text) - c->len, "%s%u=%s",
                                   i ? "|" : "", cells[i].col, cells[i].text);
    c->len += (size_t)snprintf(c->text + c->len, sizeof(c->text) - c->len, ";");
    return TZ_OK;
}

static void test_csv_records(void **state)
{
    static const struct {
        const char *in;
        const char *want;
    } cases[] = {
        {"a,b,c\n1,2,3\n", "1:0=a|1=b|2=c;2:0=1|1=2|2=3;"},
        {"a,b\r\n1,2\r\n", "1:0=a|1=b;2:0=1|1=2;"},
        {"a,b\n1,2", "1:0=a|1=b;2:0=1|1=2;"},              /* no final line break */
        {"\"x,y\",z\n", "1:0=x,y|1=z;"},                   /* comma inside quotes */
        {"\"say \"\"hi\"\"\",2\n", "1:0=say \"hi\"|1=2;"}, /* doubled quotes */
        {"\"two\nlines\",b\nnext,c\n", "1:0=two\nlines|1=b;2:0=next|1=c;"}, /* newline inside */
        {"a,b\n\n,\n ,  \nc,d\n", "1:0=a|1=b;5:0=c|1=d;"}, /* blank records skipped */
        {",,x\n", "1:2=x;"},                               /* empty leading fields */
        {"中文,字段\n", "1:0=中文|1=字段;"},
        {"a,\n", "1:0=a;"},
        {"a\rb\r", "1:0=a;2:0=b;"}, /* lone CRs end records */
    };
    (void)state;
    for (size_t i = 0; i < N_OF(cases); i++) {
        struct collected c = {.len = 0};
        struct tz_err err;
        tz_err_clear(&err);
        assert_int_equal(
            tz_csv_parse(cases[i].in, strlen(cases[i].in), 100, 1000, collect, &c, &err), TZ_OK);
        assert_string_equal(c.text, cases[i].want);
    }
}

static void test_csv_refusals(void **state)
{
    struct collected c = {.len = 0};
    struct tz_err err;
    (void)state;
    tz_err_clear(&err);
    const char *open = "a,b\n\"never closed,\n";
    assert_int_equal(tz_csv_parse(open, strlen(open), 100, 1000, collect, &c, &err), TZ_EINVAL);
    assert_non_null(strstr(err.msg, "第 2 行"));
    tz_err_clear(&err);
    const char *wide = "a,b,c,d\n";
    assert_int_equal(tz_csv_parse(wide, strlen(wide), 3, 1000, collect, &c, &err), TZ_EINVAL);
    tz_err_clear(&err);
    const char *longf = "abcdefghijk,b\n";
    assert_int_equal(tz_csv_parse(longf, strlen(longf), 10, 5, collect, &c, &err), TZ_EINVAL);
}

static enum tz_status stop_at_two(void *arg, int64_t row, const struct tz_cell *cells, size_t n,
                                  struct tz_err *err)
{
    (void)arg;
    (void)cells;
    (void)n;
    if (row == 2)
        return tz_err_set(err, TZ_ETOOLARGE, "enough");
    return TZ_OK;
}

static void test_csv_callback_stops(void **state)
{
    struct tz_err err;
    (void)state;
    tz_err_clear(&err);
    const char *in = "a\nb\nc\n";
    assert_int_equal(tz_csv_parse(in, strlen(in), 10, 10, stop_at_two, NULL, &err), TZ_ETOOLARGE);
    assert_string_equal(err.msg, "enough");
}

/* ---- UTF-8, columns, labels ------------------------------------------------------------ */

static void test_utf8(void **state)
{
    static const struct {
        const char *s;
        size_t len;
        bool ok;
    } cases[] = {
        {"plain", 5, true},
        {"中文", 6, true},
        {"\xF0\x9F\x98\x80", 4, true},  /* U+1F600 */
        {"\xD6\xD0\xCE\xC4", 4, false}, /* 中文 in GB18030 */
        {"\xE4\xB8", 2, false},         /* cut short */
        {"\xC0\xAF", 2, false},         /* overlong */
        {"\xED\xA0\x80", 3, false},     /* a surrogate */
        {"\xF4\x90\x80\x80", 4, false}, /* beyond U+10FFFF */
        {"\xFF", 1, false},
    };
    (void)state;
    for (size_t i = 0; i < N_OF(cases); i++)
        assert_int_equal(tz_utf8_valid(cases[i].s, cases[i].len), cases[i].ok);
}

static void test_columns_and_labels(void **state)
{
    char buf[16];
    unsigned col = 0;
    (void)state;
    assert_string_equal(tz_col_name(0, buf), "A");
    assert_string_equal(tz_col_name(25, buf), "Z");
    assert_string_equal(tz_col_name(26, buf), "AA");
    assert_string_equal(tz_col_name(16383, buf), "XFD");
    assert_true(tz_col_parse("AB12", &col));
    assert_int_equal(col, 27);
    assert_true(tz_col_parse("C3", &col));
    assert_int_equal(col, 2);
    assert_false(tz_col_parse("12", &col));
    char lb[64];
    assert_string_equal(tz_label_normalize(" 办结\n时限 ", lb, sizeof(lb)), "办结时限");
    assert_string_equal(tz_label_normalize("事项*", lb, sizeof(lb)), "事项");
    assert_string_equal(tz_label_normalize("事项\u3000＊", lb, sizeof(lb)), "事项");
}

/* ---- values -------------------------------------------------------------------------- */

static void test_dates(void **state)
{
    static const struct {
        const char *in;
        const char *want; /* NULL: refused */
    } cases[] = {
        {"2026-11-30", "2026-11-30"},
        {"2026/11/30", "2026-11-30"},
        {"2026.11.30", "2026-11-30"},
        {"2026年11月30日", "2026-11-30"},
        {"2026年1月5日", "2026-01-05"},
        {"2026-1-5", "2026-01-05"},
        {" 2026/12/31 ", "2026-12-31"},
        {"2026-11-30 00:00:00", "2026-11-30"},
        {"2026/11/30 9:05", "2026-11-30"},
        {"46356", "2026-11-30"}, /* an Excel serial saved as text */
        {"2026-02-29", NULL},
        {"2026-13-01", NULL},
        {"2026/11-30", NULL},
        {"2026年11月30", NULL},
        {"明年春天", NULL},
        {"", NULL},
        {"26-11-30", NULL},
        {"2026-11-30x", NULL},
        {"12", NULL},
    };
    (void)state;
    for (size_t i = 0; i < N_OF(cases); i++) {
        int32_t day = TZ_DAY_NONE;
        char buf[TZ_DATE_BUF];
        bool ok = tz_parse_date_text(cases[i].in, &day);
        if (!cases[i].want) {
            if (ok)
                fail_msg("'%s' was taken as a date", cases[i].in);
            continue;
        }
        if (!ok)
            fail_msg("'%s' was refused", cases[i].in);
        assert_string_equal(tz_date_format(day, buf), cases[i].want);
    }
    int32_t day;
    char buf[TZ_DATE_BUF];
    assert_true(tz_excel_serial_day(46356.75, &day)); /* a time of day is dropped */
    assert_string_equal(tz_date_format(day, buf), "2026-11-30");
    assert_true(tz_excel_serial_day(61, &day));
    assert_string_equal(tz_date_format(day, buf), "1900-03-01");
    assert_false(tz_excel_serial_day(60, &day)); /* the 29 February 1900 that never was */
    assert_false(tz_excel_serial_day(-1, &day));
}

static void test_numbers_percent_bool(void **state)
{
    double v;
    int64_t i;
    int p;
    bool b;
    (void)state;
    assert_true(tz_parse_number_text("1,234.5", &v));
    assert_true(v == 1234.5);
    assert_true(tz_parse_number_text(" -3 ", &v));
    assert_true(v == -3);
    assert_false(tz_parse_number_text("12abc", &v));
    assert_false(tz_parse_number_text("", &v));
    assert_false(tz_parse_number_text(".", &v));
    assert_true(tz_parse_int_text("42", 0, 100, &i));
    assert_int_equal(i, 42);
    assert_false(tz_parse_int_text("4.2", 0, 100, &i));
    assert_false(tz_parse_int_text("420", 0, 100, &i));
    assert_true(tz_parse_percent_text("60", &p));
    assert_int_equal(p, 60);
    assert_true(tz_parse_percent_text("60%", &p));
    assert_int_equal(p, 60);
    assert_true(tz_parse_percent_text("75％", &p));
    assert_int_equal(p, 75);
    assert_false(tz_parse_percent_text("101", &p));
    assert_false(tz_parse_percent_text("60.5%", &p));
    assert_false(tz_parse_percent_text("一半", &p));
    assert_true(tz_parse_bool_text("是", &b));
    assert_true(b);
    assert_true(tz_parse_bool_text(" 否 ", &b));
    assert_false(b);
    assert_true(tz_parse_bool_text("√", &b));
    assert_true(b);
    assert_false(tz_parse_bool_text("也许", &b));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_records),          cmocka_unit_test(test_csv_refusals),
        cmocka_unit_test(test_csv_callback_stops),   cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_columns_and_labels),   cmocka_unit_test(test_dates),
        cmocka_unit_test(test_numbers_percent_bool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
