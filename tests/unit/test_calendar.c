/*
 * test_calendar.c - the working-day calendar (include/tz/calendar.h).
 *
 * The calendar under test is loaded from the two shipped files, built into the
 * binary (data/calendar/CN-2025.json, CN-2026.json). The tests are tables:
 *
 *   - the vectors of DOMAIN 6.6, exactly as written there;
 *   - classification of single days (weekend, holiday, adjusted working day);
 *   - load_json inputs that must be refused, with the code and field expected.
 *
 * The fast paths (prefix counts, closed-form weekday counts) are checked against
 * a naive reference that reads the same JSON with json-c on its own and applies
 * DOMAIN 6.1's rule day by day: is_working_day(d) = d in makeup_workdays or
 * (Mon..Fri and d not in holidays). A synthetic year 2028 is added in some
 * tests so that ranges cross a data year, a fallback year, and a data year again.
 */
#include "tz/calendar.h"
#include "tz/date.h"
#include "tz/embed.h"
#include "tz/json.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* ---- the naive reference ---------------------------------------------------------------- */

#define REF_MAX 128

struct ref {
    int32_t holidays[REF_MAX];
    size_t n_holidays;
    int32_t workdays[REF_MAX];
    size_t n_workdays;
};

static int day_cmp(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* The lists are kept sorted (ref_sort), so membership is a bsearch. */
static bool ref_has(const int32_t *list, size_t n, int32_t day)
{
    return n > 0 && bsearch(&day, list, n, sizeof(*list), day_cmp) != NULL;
}

static void ref_sort(struct ref *r)
{
    qsort(r->holidays, r->n_holidays, sizeof(int32_t), day_cmp);
    qsort(r->workdays, r->n_workdays, sizeof(int32_t), day_cmp);
}

static bool ref_is_workday(const struct ref *r, int32_t day)
{
    if (ref_has(r->workdays, r->n_workdays, day))
        return true;
    return tz_date_weekday(day) < 5 && !ref_has(r->holidays, r->n_holidays, day);
}

static int ref_between(const struct ref *r, int32_t from, int32_t to)
{
    int n = 0;
    for (int32_t d = from + 1; d <= to; d++)
        n += ref_is_workday(r, d);
    return n;
}

/* deadline_working of DOMAIN 6.1, literally */
static int32_t ref_add_workdays(const struct ref *r, int32_t start, int n)
{
    int32_t d = start;
    for (int k = 0; k < n;) {
        d++;
        if (ref_is_workday(r, d))
            k++;
    }
    return d;
}

static void ref_add_list(struct json_object *root, const char *key, int32_t *out, size_t *n_out)
{
    struct json_object *arr = NULL;
    assert_true(json_object_object_get_ex(root, key, &arr));
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        struct json_object *e = json_object_array_get_idx(arr, i), *date_str = NULL;
        assert_true(json_object_object_get_ex(e, "date", &date_str));
        assert_true(*n_out < REF_MAX);
        assert_true(tz_date_parse(json_object_get_string(date_str), &out[(*n_out)++]));
    }
}

static void ref_add_file(struct ref *r, const char *path)
{
    const struct tz_embedded *f = tz_embed_find(path);
    assert_non_null(f);
    struct tz_err err;
    struct json_object *root = tz_json_parse_object((const char *)f->data, f->len, &err);
    assert_non_null(root);
    ref_add_list(root, "holidays", r->holidays, &r->n_holidays);
    ref_add_list(root, "workdays", r->workdays, &r->n_workdays);
    json_object_put(root);
    ref_sort(r);
}

/* ---- fixtures ------------------------------------------------------------------------- */

static const char *const shipped[] = {"data/calendar/CN-2025.json", "data/calendar/CN-2026.json"};

static int32_t ymd(const char *s)
{
    int32_t day = TZ_DAY_NONE;
    if (!tz_date_parse(s, &day))
        fail_msg("bad test date '%s'", s);
    return day;
}

static struct tz_calendar *load_shipped(void)
{
    struct tz_calendar *cal = tz_calendar_new();
    for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
        const struct tz_embedded *f = tz_embed_find(shipped[i]);
        struct tz_err err;
        assert_non_null(f);
        enum tz_status st = tz_calendar_load_json(cal, (const char *)f->data, f->len, &err);
        if (st != TZ_OK)
            fail_msg("%s: %s (field '%s')", shipped[i], err.msg, err.field);
    }
    return cal;
}

/* A made-up year 2028 (leap): two holidays and one adjusted working Saturday. */
static void add_synthetic_2028(struct tz_calendar *cal, struct ref *r)
{
    const struct tz_cal_day h[] = {{ymd("2028-01-03"), "测试假日"},      /* Monday */
                                   {ymd("2028-02-29"), "测试假日"}};     /* Tuesday, leap day */
    const struct tz_cal_day w[] = {{ymd("2028-12-30"), "测试调休上班"}}; /* Saturday */
    struct tz_err err;
    assert_int_equal(tz_calendar_set_year(cal, 2028, h, 2, w, 1, &err), TZ_OK);
    if (r) {
        r->holidays[r->n_holidays++] = h[0].day;
        r->holidays[r->n_holidays++] = h[1].day;
        r->workdays[r->n_workdays++] = w[0].day;
        ref_sort(r);
    }
}

struct fixture {
    struct tz_calendar *cal; /* the shipped years */
    struct ref ref;
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    if (!fx)
        return -1;
    fx->cal = load_shipped();
    for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++)
        ref_add_file(&fx->ref, shipped[i]);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    tz_calendar_free(fx->cal);
    free(fx);
    return 0;
}

/* ---- DOMAIN 6.6 ----------------------------------------------------------------------- */

enum count { NATURAL, WORKING };

static const struct domain_vec {
    const char *what;
    enum count count;
    const char *start;
    int n;
    const char *expect;
} domain_vecs[] = {
    {"natural, end on holiday", NATURAL, "2025-01-20", 15, "2025-02-05"},
    {"natural, end on holiday block", NATURAL, "2026-09-01", 30, "2026-10-08"},
    {"natural, end on Sunday", NATURAL, "2025-09-10", 60, "2025-11-10"},
    {"natural, normal", NATURAL, "2026-02-10", 15, "2026-02-25"},
    {"working days across 国庆 with makeup Sunday", WORKING, "2025-09-26", 5, "2025-10-10"},
    {"working days across 春节 with makeup Saturday", WORKING, "2026-02-12", 5, "2026-02-26"},
    {"working days ending on makeup Saturday", WORKING, "2026-09-30", 3, "2026-10-10"},
    {"working days across 春节 2025", WORKING, "2025-01-24", 10, "2025-02-13"},
    {"working days across 劳动节 2026 with the makeup Saturday", WORKING, "2026-04-30", 20,
     "2026-06-01"},
};

static void test_domain_vectors(void **state)
{
    struct fixture *fx = *state;
    char got[TZ_DATE_BUF];
    for (size_t i = 0; i < sizeof(domain_vecs) / sizeof(domain_vecs[0]); i++) {
        const struct domain_vec *v = &domain_vecs[i];
        int32_t start = ymd(v->start), end;
        if (v->count == NATURAL)
            end = tz_calendar_add_days_rollover(fx->cal, start, v->n);
        else
            end = tz_calendar_add_workdays(fx->cal, start, v->n);
        if (end != ymd(v->expect))
            fail_msg("%s: %d days from %s gave %s, want %s", v->what, v->n, v->start,
                     tz_date_format(end, got), v->expect);
        if (v->count == WORKING)
            assert_int_equal(tz_calendar_workdays_between(fx->cal, start, end), v->n);
    }
}

/* The counts the State Council's arrangement implies (DOMAIN 6.3, 6.4). */
static void test_year_totals(void **state)
{
    struct fixture *fx = *state;
    static const struct {
        int year, workdays, holidays, makeups;
    } totals[] = {{2025, 248, 28, 5}, {2026, 248, 33, 6}};
    for (size_t i = 0; i < sizeof(totals) / sizeof(totals[0]); i++) {
        int y = totals[i].year;
        int32_t first = tz_date_from_ymd(y, 1, 1), last = tz_date_from_ymd(y, 12, 31);
        assert_true(tz_calendar_year_complete(fx->cal, y));
        assert_int_equal(tz_calendar_workdays_between(fx->cal, first - 1, last),
                         totals[i].workdays);
        int work = 0, holidays = 0, makeups = 0;
        for (int32_t d = first; d <= last; d++) {
            bool is_work = tz_calendar_is_workday(fx->cal, d);
            bool weekend = tz_date_weekday(d) >= 5;
            const char *name = tz_calendar_day_name(fx->cal, d);
            work += is_work;
            if (name && !is_work)
                holidays++;
            if (name && is_work) {
                makeups++;
                assert_true(weekend); /* every 调休上班 day of these years is a weekend day */
            }
            if (!name)
                assert_int_equal(is_work, !weekend);
        }
        assert_int_equal(work, totals[i].workdays);
        assert_int_equal(holidays, totals[i].holidays);
        assert_int_equal(makeups, totals[i].makeups);
    }
}

static const struct class_vec {
    const char *date;
    bool is_workday;
    const char *name; /* NULL: an ordinary day */
} class_vecs[] = {
    {"2025-01-01", false, "元旦"},        /* Wednesday holiday */
    {"2025-01-02", true, NULL},           /* Thursday */
    {"2025-01-04", false, NULL},          /* Saturday */
    {"2025-01-05", false, NULL},          /* Sunday */
    {"2025-01-25", false, NULL},          /* Saturday before the makeup Sunday */
    {"2025-01-26", true, "春节调休上班"}, /* makeup Sunday */
    {"2025-01-28", false, "春节"},        /* 除夕, Tuesday */
    {"2025-02-01", false, "春节"},        /* Saturday inside the holiday */
    {"2025-02-04", false, "春节"},        /* 初七, Tuesday */
    {"2025-02-05", true, NULL},           /* first day back */
    {"2025-02-08", true, "春节调休上班"}, /* makeup Saturday */
    {"2025-04-27", true, "劳动节调休上班"},
    {"2025-05-05", false, "劳动节"}, /* Monday */
    {"2025-06-02", false, "端午节"},
    {"2025-09-28", true, "国庆节调休上班"},
    {"2025-10-08", false, "国庆节、中秋节"},
    {"2025-10-11", true, "国庆节调休上班"},
    {"2025-10-12", false, NULL}, /* Sunday */
    {"2025-12-31", true, NULL},
    {"2026-01-01", false, "元旦"},
    {"2026-01-03", false, "元旦"},        /* Saturday holiday */
    {"2026-01-04", true, "元旦调休上班"}, /* makeup Sunday */
    {"2026-02-14", true, "春节调休上班"},
    {"2026-02-15", false, "春节"}, /* Sunday */
    {"2026-02-23", false, "春节"}, /* Monday */
    {"2026-02-24", true, NULL},
    {"2026-02-28", true, "春节调休上班"},
    {"2026-03-01", false, NULL},
    {"2026-04-06", false, "清明节"},
    {"2026-05-09", true, "劳动节调休上班"},
    {"2026-06-19", false, "端午节"},
    {"2026-09-20", true, "国庆节调休上班"},
    {"2026-09-25", false, "中秋节"},
    {"2026-10-07", false, "国庆节"}, /* Wednesday */
    {"2026-10-08", true, NULL},
    {"2026-10-10", true, "国庆节调休上班"}, /* makeup Saturday */
    {"2026-10-11", false, NULL},
    /* fallback years: Monday-Friday, no names */
    {"2024-10-01", true, NULL}, /* 国庆 2024, but no 2024 data is shipped */
    {"2024-12-31", true, NULL},
    {"2027-01-01", true, NULL},
    {"2027-01-02", false, NULL},
    {"2030-10-01", true, NULL},
    {"2030-10-05", false, NULL},
};

static void test_classification(void **state)
{
    struct fixture *fx = *state;
    for (size_t i = 0; i < sizeof(class_vecs) / sizeof(class_vecs[0]); i++) {
        const struct class_vec *v = &class_vecs[i];
        int32_t d = ymd(v->date);
        const char *name = tz_calendar_day_name(fx->cal, d);
        if (tz_calendar_is_workday(fx->cal, d) != v->is_workday)
            fail_msg("%s: is_workday should be %d", v->date, v->is_workday);
        if (v->name == NULL && name != NULL)
            fail_msg("%s: unexpected name '%s'", v->date, name);
        if (v->name != NULL && (name == NULL || strcmp(name, v->name) != 0))
            fail_msg("%s: name '%s', want '%s'", v->date, name ? name : "(null)", v->name);
        assert_int_equal(tz_calendar_is_workday(fx->cal, d), ref_is_workday(&fx->ref, d));
    }
}

/* A year without data: Monday-Friday, incomplete, empty lists. */
static void test_fallback_year(void **state)
{
    struct fixture *fx = *state;
    static const int years[] = {1900, 2024, 2027, 2030, 2999};
    for (size_t i = 0; i < sizeof(years) / sizeof(years[0]); i++) {
        int y = years[i];
        assert_false(tz_calendar_year_complete(fx->cal, y));
        int32_t first = tz_date_from_ymd(y, 1, 1), last = tz_date_from_ymd(y, 12, 31);
        int weekdays = 0;
        for (int32_t d = first; d <= last; d++) {
            bool weekday = tz_date_weekday(d) < 5;
            weekdays += weekday;
            assert_int_equal(tz_calendar_is_workday(fx->cal, d), weekday);
            assert_null(tz_calendar_day_name(fx->cal, d));
        }
        assert_int_equal(tz_calendar_workdays_between(fx->cal, first - 1, last), weekdays);
    }
    assert_int_equal(tz_calendar_workdays_between(fx->cal, ymd("2029-12-31"), ymd("2030-12-31")),
                     261);
    char *json = tz_calendar_year_json(fx->cal, 2030);
    assert_string_equal(json, "{\"year\":2030,\"complete\":false,\"holidays\":[],\"workdays\":[]}");
    free(json);

    /* an empty calendar is Monday-Friday everywhere */
    struct tz_calendar *empty = tz_calendar_new();
    assert_false(tz_calendar_year_complete(empty, 2026));
    assert_true(tz_calendar_is_workday(empty, ymd("2026-01-01")));
    assert_int_equal(tz_calendar_workdays_between(empty, ymd("2025-12-31"), ymd("2026-12-31")),
                     261);
    assert_int_equal(tz_calendar_add_workdays(empty, ymd("2026-09-30"), 3), ymd("2026-10-05"));
    tz_calendar_free(empty);
}

/*
 * between(a, add_workdays(a, n)) == n, the result is the naive deadline, and
 * between agrees with a naive count, for every start from 2024-12-01 to
 * 2029-01-31 (crossing data, fallback, data and fallback years).
 */
static void test_between_properties(void **state)
{
    struct fixture *fx = *state;
    struct ref r = fx->ref;
    struct tz_calendar *cal = tz_calendar_dup(fx->cal);
    add_synthetic_2028(cal, &r);
    static const int ns[] = {1, 2, 3, 5, 7, 10, 15, 20, 30, 60, 200, 400, 600};
    enum { N_SMALL = 10 }; /* the n of 200 and more are tried from every 5th start */
    char a_buf[TZ_DATE_BUF];

    for (int32_t a = ymd("2024-12-01"); a <= ymd("2029-01-31"); a++) {
        for (size_t k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
            int n = ns[k];
            if (k >= N_SMALL && (a % 5) != 0)
                continue;
            int32_t d = tz_calendar_add_workdays(cal, a, n);
            if (d != ref_add_workdays(&r, a, n))
                fail_msg("add_workdays(%s, %d) differs from the naive count",
                         tz_date_format(a, a_buf), n);
            assert_true(tz_calendar_is_workday(cal, d));
            assert_int_equal(tz_calendar_workdays_between(cal, a, d), n);
            assert_int_equal(tz_calendar_workdays_between(cal, a, d - 1), n - 1);
        }
        /* natural days with rollover: the first working day on or after a + n */
        for (int n = 0; n <= 40; n += 13) {
            int32_t end = a + n;
            while (!ref_is_workday(&r, end))
                end++;
            assert_int_equal(tz_calendar_add_days_rollover(cal, a, n), end);
        }
    }

    /* between against the naive count, for spans of many lengths, including to <= from */
    static const int spans[] = {-3, -1, 0, 1, 2, 6, 7, 8, 29, 31, 100, 365, 366, 900};
    for (int32_t a = ymd("2024-11-15"); a <= ymd("2029-02-15"); a += 3) {
        for (size_t k = 0; k < sizeof(spans) / sizeof(spans[0]); k++) {
            int32_t b = a + spans[k];
            int want = spans[k] <= 0 ? 0 : ref_between(&r, a, b);
            if (tz_calendar_workdays_between(cal, a, b) != want)
                fail_msg("between(%s, +%d) differs from the naive count", tz_date_format(a, a_buf),
                         spans[k]);
        }
        assert_int_equal(tz_calendar_is_workday(cal, a), ref_is_workday(&r, a));
    }
    /* additivity over a split point */
    int32_t x = ymd("2025-06-15"), y = ymd("2028-03-01"), z = ymd("2029-01-10");
    assert_int_equal(tz_calendar_workdays_between(cal, x, z),
                     tz_calendar_workdays_between(cal, x, y) +
                         tz_calendar_workdays_between(cal, y, z));
    tz_calendar_free(cal);
}

static void test_edges(void **state)
{
    struct fixture *fx = *state;
    /* n = 0 natural days: the day itself if it is a working day, else the next one */
    assert_int_equal(tz_calendar_add_days_rollover(fx->cal, ymd("2026-02-24"), 0),
                     ymd("2026-02-24"));
    assert_int_equal(tz_calendar_add_days_rollover(fx->cal, ymd("2026-02-15"), 0),
                     ymd("2026-02-24"));
    /* a start on a holiday is not counted either way */
    assert_int_equal(tz_calendar_add_workdays(fx->cal, ymd("2025-10-01"), 1), ymd("2025-10-09"));
    assert_int_equal(tz_calendar_add_workdays(fx->cal, ymd("2025-10-11"), 1), ymd("2025-10-13"));
    /* a start on a makeup day is not counted */
    assert_int_equal(tz_calendar_add_workdays(fx->cal, ymd("2026-01-04"), 1), ymd("2026-01-05"));
    /* across the year boundaries of the data */
    assert_int_equal(tz_calendar_add_workdays(fx->cal, ymd("2024-12-30"), 2), ymd("2025-01-02"));
    assert_int_equal(tz_calendar_add_workdays(fx->cal, ymd("2025-12-31"), 1), ymd("2026-01-04"));
    assert_int_equal(tz_calendar_add_workdays(fx->cal, ymd("2026-12-31"), 1), ymd("2027-01-01"));
    assert_int_equal(tz_calendar_workdays_between(fx->cal, ymd("2026-10-10"), ymd("2026-10-10")),
                     0);
    assert_int_equal(tz_calendar_workdays_between(fx->cal, ymd("2026-10-11"), ymd("2026-10-10")),
                     0);
    assert_int_equal(tz_calendar_workdays_between(fx->cal, ymd("2026-10-09"), ymd("2026-10-10")),
                     1);
    /* the whole supported range: finite and consistent */
    int32_t lo = ymd("1900-01-01"), hi = ymd("2999-12-31");
    int all = tz_calendar_workdays_between(fx->cal, lo, hi);
    assert_true(all > 0);
    assert_int_equal(tz_date_weekday(hi), 1); /* a Tuesday, so the last working day */
    assert_int_equal(tz_calendar_add_workdays(fx->cal, lo, all), hi);
}

static void test_year_json(void **state)
{
    struct fixture *fx = *state;
    char *json = tz_calendar_year_json(fx->cal, 2026);
    static const char head[] = "{\"year\":2026,\"complete\":true,\"holidays\":[{\"date\":"
                               "\"2026-01-01\",\"name\":\"元旦\"},{\"date\":\"2026-01-02\"";
    assert_memory_equal(json, head, sizeof(head) - 1);
    assert_non_null(strstr(json,
                           "\"workdays\":[{\"date\":\"2026-01-04\",\"name\":\"元旦调休上班\"},"
                           "{\"date\":\"2026-02-14\""));

    /* the structure, sorted by date */
    struct tz_err err;
    struct json_object *root = tz_json_parse_object(json, strlen(json), &err);
    assert_non_null(root);
    static const struct {
        const char *key;
        size_t n;
    } lists[] = {{"holidays", 33}, {"workdays", 6}};
    for (size_t i = 0; i < 2; i++) {
        struct json_object *arr = NULL;
        assert_true(json_object_object_get_ex(root, lists[i].key, &arr));
        assert_int_equal(json_object_array_length(arr), lists[i].n);
        int32_t prev = TZ_DAY_NONE;
        for (size_t k = 0; k < lists[i].n; k++) {
            struct json_object *e = json_object_array_get_idx(arr, k);
            int32_t day = 0;
            const char *name = NULL;
            bool present;
            assert_int_equal(json_object_object_length(e), 2);
            assert_int_equal(tz_json_get_date(e, "date", &day, &present, &err), TZ_OK);
            assert_true(day > prev);
            prev = day;
            assert_int_equal(tz_json_get_str(e, "name", &name, &present, &err), TZ_OK);
            assert_string_equal(name, tz_calendar_day_name(fx->cal, day));
        }
    }
    json_object_put(root);

    /* the output loads back to the same year */
    struct tz_calendar *again = tz_calendar_new();
    assert_int_equal(tz_calendar_load_json(again, json, strlen(json), &err), TZ_OK);
    char *json2 = tz_calendar_year_json(again, 2026);
    assert_string_equal(json, json2);
    free(json2);
    free(json);
    tz_calendar_free(again);

    /* names are escaped */
    struct tz_calendar *cal = tz_calendar_new();
    struct tz_cal_day h = {ymd("2026-03-02"), "a \"quoted\" \\ name\n"};
    assert_int_equal(tz_calendar_set_year(cal, 2026, &h, 1, NULL, 0, &err), TZ_OK);
    json = tz_calendar_year_json(cal, 2026);
    assert_non_null(strstr(json, "\"name\":\"a \\\"quoted\\\" \\\\ name\\n\""));
    free(json);
    tz_calendar_free(cal);
}

static const struct bad_vec {
    const char *what;
    const char *json;
    enum tz_status code;
    const char *field;
} bad_vecs[] = {
    {"unknown key", "{\"year\":2026,\"holidays\":[],\"workdays\":[],\"note\":1}", TZ_EINVAL,
     "note"},
    {"unknown key in an entry",
     "{\"year\":2026,\"holidays\":[{\"date\":\"2026-01-01\",\"name\":\"x\",\"type\":\"h\"}],"
     "\"workdays\":[]}",
     TZ_EINVAL, "type"},
    {"bad date",
     "{\"year\":2026,\"holidays\":[{\"date\":\"2026-02-30\",\"name\":\"x\"}],"
     "\"workdays\":[]}",
     TZ_EINVAL, "holidays"},
    {"date not YYYY-MM-DD",
     "{\"year\":2026,\"holidays\":[],\"workdays\":[{\"date\":\"2026-1-04\",\"name\":\"x\"}]}",
     TZ_EINVAL, "workdays"},
    {"date not a string",
     "{\"year\":2026,\"holidays\":[{\"date\":20260101,\"name\":\"x\"}],\"workdays\":[]}", TZ_EINVAL,
     "holidays"},
    {"date missing", "{\"year\":2026,\"holidays\":[{\"name\":\"x\"}],\"workdays\":[]}", TZ_EINVAL,
     "holidays"},
    {"holiday outside the year",
     "{\"year\":2026,\"holidays\":[{\"date\":\"2025-12-31\",\"name\":\"x\"}],\"workdays\":[]}",
     TZ_EINVAL, "holidays"},
    {"workday outside the year",
     "{\"year\":2026,\"holidays\":[],\"workdays\":[{\"date\":\"2027-01-01\",\"name\":\"x\"}]}",
     TZ_EINVAL, "workdays"},
    {"date in both lists",
     "{\"year\":2026,\"holidays\":[{\"date\":\"2026-01-04\",\"name\":\"x\"}],"
     "\"workdays\":[{\"date\":\"2026-01-04\",\"name\":\"y\"}]}",
     TZ_EINVAL, "workdays"},
    {"duplicate holiday",
     "{\"year\":2026,\"holidays\":[{\"date\":\"2026-01-01\",\"name\":\"x\"},"
     "{\"date\":\"2026-01-01\",\"name\":\"x\"}],\"workdays\":[]}",
     TZ_EINVAL, "holidays"},
    {"name missing", "{\"year\":2026,\"holidays\":[{\"date\":\"2026-01-01\"}],\"workdays\":[]}",
     TZ_EINVAL, "holidays"},
    {"name empty",
     "{\"year\":2026,\"holidays\":[{\"date\":\"2026-01-01\",\"name\":\"\"}],\"workdays\":[]}",
     TZ_EINVAL, "holidays"},
    {"entry not an object", "{\"year\":2026,\"holidays\":[\"2026-01-01\"],\"workdays\":[]}",
     TZ_EINVAL, "holidays"},
    {"year missing", "{\"holidays\":[],\"workdays\":[]}", TZ_EINVAL, "year"},
    {"year a string", "{\"year\":\"2026\",\"holidays\":[],\"workdays\":[]}", TZ_EINVAL, "year"},
    {"year not an integer", "{\"year\":2026.0,\"holidays\":[],\"workdays\":[]}", TZ_EINVAL, "year"},
    {"year out of range", "{\"year\":3000,\"holidays\":[],\"workdays\":[]}", TZ_EINVAL, "year"},
    {"holidays missing", "{\"year\":2026,\"workdays\":[]}", TZ_EINVAL, "holidays"},
    {"holidays not an array", "{\"year\":2026,\"holidays\":{},\"workdays\":[]}", TZ_EINVAL,
     "holidays"},
    {"workdays null", "{\"year\":2026,\"holidays\":[],\"workdays\":null}", TZ_EINVAL, "workdays"},
    {"complete not a boolean", "{\"year\":2026,\"complete\":1,\"holidays\":[],\"workdays\":[]}",
     TZ_EINVAL, "complete"},
    {"source not a string", "{\"year\":2026,\"source\":[],\"holidays\":[],\"workdays\":[]}",
     TZ_EINVAL, "source"},
    {"malformed", "{\"year\":2026,", TZ_EBADREQ, ""},
    {"empty", "", TZ_EBADREQ, ""},
    {"not an object", "[]", TZ_EBADREQ, ""},
    {"trailing garbage", "{\"year\":2026,\"holidays\":[],\"workdays\":[]} x", TZ_EBADREQ, ""},
};

static void test_load_json_errors(void **state)
{
    struct fixture *fx = *state;
    struct tz_calendar *cal = tz_calendar_dup(fx->cal);
    char *before = tz_calendar_year_json(cal, 2026);
    for (size_t i = 0; i < sizeof(bad_vecs) / sizeof(bad_vecs[0]); i++) {
        const struct bad_vec *v = &bad_vecs[i];
        struct tz_err err;
        tz_err_clear(&err);
        enum tz_status st = tz_calendar_load_json(cal, v->json, strlen(v->json), &err);
        if (st != v->code || err.code != v->code)
            fail_msg("%s: status %s, want %s", v->what, tz_status_name(st),
                     tz_status_name(v->code));
        if (strcmp(err.field, v->field) != 0)
            fail_msg("%s: field '%s', want '%s'", v->what, err.field, v->field);
        assert_true(err.msg[0] != '\0');
        /* a refused load changes nothing */
        char *after = tz_calendar_year_json(cal, 2026);
        assert_string_equal(before, after);
        free(after);
    }
    assert_int_equal(tz_calendar_load_json(cal, "{}", 2, NULL), TZ_EINVAL);
    free(before);
    tz_calendar_free(cal);
}

static void test_load_json_accepts(void **state)
{
    (void)state;
    struct tz_calendar *cal = tz_calendar_new();
    struct tz_err err;
    /* "complete" and "source" are accepted and not kept; a year without makeups is fine */
    static const char doc[] = "{\"year\":2027,\"complete\":false,\"source\":\"test\","
                              "\"holidays\":[{\"date\":\"2027-01-01\",\"name\":\"元旦\"}],"
                              "\"workdays\":[]}";
    assert_int_equal(tz_calendar_load_json(cal, doc, strlen(doc), &err), TZ_OK);
    assert_true(tz_calendar_year_complete(cal, 2027));
    assert_false(tz_calendar_is_workday(cal, ymd("2027-01-01")));
    char *json = tz_calendar_year_json(cal, 2027);
    assert_string_equal(json, "{\"year\":2027,\"complete\":true,\"holidays\":[{\"date\":"
                              "\"2027-01-01\",\"name\":\"元旦\"}],\"workdays\":[]}");
    free(json);
    /* unsorted input comes out sorted */
    static const char unsorted[] = "{\"year\":2027,\"holidays\":["
                                   "{\"date\":\"2027-05-03\",\"name\":\"b\"},"
                                   "{\"date\":\"2027-05-01\",\"name\":\"a\"}],\"workdays\":[]}";
    assert_int_equal(tz_calendar_load_json(cal, unsorted, strlen(unsorted), &err), TZ_OK);
    json = tz_calendar_year_json(cal, 2027);
    assert_string_equal(json, "{\"year\":2027,\"complete\":true,\"holidays\":["
                              "{\"date\":\"2027-05-01\",\"name\":\"a\"},"
                              "{\"date\":\"2027-05-03\",\"name\":\"b\"}],\"workdays\":[]}");
    free(json);
    /* loading replaces the year: 2027-01-01 is a working day again */
    assert_true(tz_calendar_is_workday(cal, ymd("2027-01-01")));
    tz_calendar_free(cal);
}

static void test_set_year(void **state)
{
    struct fixture *fx = *state;
    struct tz_calendar *cal = tz_calendar_dup(fx->cal);
    struct tz_err err;

    /* replacing 2026 with no special days: Monday-Friday, but complete */
    assert_int_equal(tz_calendar_set_year(cal, 2026, NULL, 0, NULL, 0, &err), TZ_OK);
    assert_true(tz_calendar_year_complete(cal, 2026));
    assert_int_equal(tz_calendar_workdays_between(cal, ymd("2025-12-31"), ymd("2026-12-31")), 261);
    assert_true(tz_calendar_is_workday(cal, ymd("2026-01-01")));
    assert_null(tz_calendar_day_name(cal, ymd("2026-01-01")));
    /* the other years and the original are untouched (dup is deep) */
    assert_int_equal(tz_calendar_workdays_between(cal, ymd("2024-12-31"), ymd("2025-12-31")), 248);
    assert_int_equal(tz_calendar_workdays_between(fx->cal, ymd("2025-12-31"), ymd("2026-12-31")),
                     248);
    assert_string_equal(tz_calendar_day_name(fx->cal, ymd("2026-01-01")), "元旦");

    /* years added out of order keep the counts right */
    add_synthetic_2028(cal, NULL);
    assert_int_equal(tz_calendar_workdays_between(cal, ymd("2027-12-31"), ymd("2028-12-31")),
                     260 - 2 + 1);
    assert_int_equal(tz_calendar_workdays_between(cal, ymd("2024-12-31"), ymd("2028-12-31")),
                     248 + 261 + 261 + 259);

    /* refused input changes nothing */
    struct tz_cal_day out_of_year = {ymd("2027-01-01"), "x"};
    struct tz_cal_day none = {TZ_DAY_NONE, "x"};
    struct tz_cal_day twice[] = {{ymd("2026-05-01"), "x"}, {ymd("2026-05-01"), "y"}};
    assert_int_equal(tz_calendar_set_year(cal, 2026, &out_of_year, 1, NULL, 0, &err), TZ_EINVAL);
    assert_string_equal(err.field, "holidays");
    assert_int_equal(tz_calendar_set_year(cal, 2026, NULL, 0, &none, 1, &err), TZ_EINVAL);
    assert_string_equal(err.field, "workdays");
    assert_int_equal(tz_calendar_set_year(cal, 2026, twice, 2, NULL, 0, &err), TZ_EINVAL);
    assert_string_equal(err.field, "holidays");
    assert_int_equal(tz_calendar_set_year(cal, 2026, twice, 1, twice + 1, 1, &err), TZ_EINVAL);
    assert_string_equal(err.field, "workdays");
    assert_int_equal(tz_calendar_set_year(cal, 1899, NULL, 0, NULL, 0, &err), TZ_EINVAL);
    assert_string_equal(err.field, "year");
    assert_true(tz_calendar_is_workday(cal, ymd("2026-05-01")));
    assert_false(tz_calendar_year_complete(cal, 1899));
    tz_calendar_free(cal);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_domain_vectors),     cmocka_unit_test(test_year_totals),
        cmocka_unit_test(test_classification),     cmocka_unit_test(test_fallback_year),
        cmocka_unit_test(test_between_properties), cmocka_unit_test(test_edges),
        cmocka_unit_test(test_year_json),          cmocka_unit_test(test_load_json_errors),
        cmocka_unit_test(test_load_json_accepts),  cmocka_unit_test(test_set_year),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
