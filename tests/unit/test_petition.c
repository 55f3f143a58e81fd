/*
 * test_petition.c - the statutory clocks of a petition (include/tz/petition.h).
 *
 * The calendar is the shipped one, built into the binary (data/calendar/
 * CN-2025.json, CN-2026.json), so the cases cross real holidays: 国庆 2026 with
 * its makeup Sunday 09-20 and Saturday 10-10, 元旦 2026 with its makeup Sunday
 * 01-04, 春节 2025 and 2026 with the makeup Saturday 2026-02-28. The tables:
 *
 *   - clock_vecs: the dates a petition knows -> the due day of every clock
 *     (NULL where the clock must be absent); each expected day was counted by
 *     hand from the calendar files, as DOMAIN 6.1's algorithm reads;
 *   - refusals: inputs that must be refused, with the field named.
 *
 * Beside the tables: the rule and basis of each clock, the one extension, the
 * JSON bytes, and a sweep over every day of 2025-2026 checking the Civil Code
 * rollover and the working-day count against the calendar's own predicates.
 */
#include "tz/petition.h"

#include "tz/calendar.h"
#include "tz/date.h"
#include "tz/embed.h"
#include "tz/strbuf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define N_CLOCKS TZ__PETITION_CLOCK_COUNT

/* ---- fixtures ------------------------------------------------------------------------- */

static const char *const shipped[] = {"data/calendar/CN-2025.json", "data/calendar/CN-2026.json"};

static int32_t ymd(const char *s)
{
    int32_t day = TZ_DAY_NONE;
    if (!s)
        return TZ_DAY_NONE;
    if (!tz_date_parse(s, &day))
        fail_msg("bad test date '%s'", s);
    return day;
}

static int setup(void **state)
{
    struct tz_calendar *cal = tz_calendar_new();
    for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
        const struct tz_embedded *f = tz_embed_find(shipped[i]);
        struct tz_err err;
        if (!f || tz_calendar_load_json(cal, (const char *)f->data, f->len, &err) != TZ_OK) {
            tz_calendar_free(cal);
            return -1;
        }
    }
    *state = cal;
    return 0;
}

static int teardown(void **state)
{
    tz_calendar_free(*state);
    return 0;
}

/* The dates of a case, as text; NULL is unknown. */
struct dates_text {
    const char *received, *accepted, *replied, *review_requested, *review_replied,
        *rereview_requested;
    bool is_extended;
};

static struct tz_petition_dates dates_of(const struct dates_text *t)
{
    struct tz_petition_dates d;
    tz_petition_dates_init(&d);
    d.received_on = ymd(t->received);
    d.accepted_on = ymd(t->accepted);
    d.replied_on = ymd(t->replied);
    d.review_requested_on = ymd(t->review_requested);
    d.review_replied_on = ymd(t->review_replied);
    d.rereview_requested_on = ymd(t->rereview_requested);
    d.is_extended = t->is_extended;
    return d;
}

/* Computes the clocks of t and fails the test on refusal. */
static size_t clocks_of(const struct tz_calendar *cal, const struct dates_text *t,
                        struct tz_petition_clock out[TZ_PETITION_CLOCK_MAX])
{
    struct tz_petition_dates d = dates_of(t);
    struct tz_err err;
    size_t n = 99;
    if (tz_petition_clocks(&d, cal, out, &n, &err) != TZ_OK)
        fail_msg("refused: %s (field '%s')", err.msg, err.field);
    return n;
}

/* ---- the due days --------------------------------------------------------------------- */

static const struct clock_vec {
    const char *what;
    struct dates_text in;
    /* by kind: 告知受理, 异议, 办理期限, 申请复查, 复查答复, 申请复核, 复核答复 */
    const char *due[N_CLOCKS];
} clock_vecs[] = {
    {"告知受理 ends on 国庆 10-01 and rolls to 10-08; 异议 counts the makeup Sunday 09-20; "
     "办理期限 ends on a Sunday",
     {.received = "2026-09-16"},
     {"2026-10-08", "2026-09-22", "2026-11-16"}},
    {"异议 across 国庆 2026 ends on the makeup Saturday 10-10",
     {.received = "2026-09-28"},
     {"2026-10-13", "2026-10-10", "2026-11-27"}},
    {"办理期限 from acceptance 08-03 ends on 10-02 and rolls to 10-08",
     {.received = "2026-07-30", .accepted = "2026-08-03"},
     {"2026-08-14", "2026-08-06", "2026-10-08"}},
    {"extended: 90 days from 08-03 end on Sunday 11-01, rolled once to 11-02",
     {.received = "2026-07-30", .accepted = "2026-08-03", .is_extended = true},
     {"2026-08-14", "2026-08-06", "2026-11-02"}},
    {"received on a Saturday: 15日 ends on a Sunday; 异议 starts counting on Monday",
     {.received = "2026-03-07"},
     {"2026-03-23", "2026-03-13", "2026-05-06"}},
    {"received on the makeup Saturday 2026-10-10",
     {.received = "2026-10-10"},
     {"2026-10-26", "2026-10-16", "2026-12-09"}},
    {"across the year end: 15日 ends on 元旦 2026 and rolls to the makeup Sunday 01-04; "
     "60日 ends on 春节 02-15 and rolls to 02-24",
     {.received = "2025-12-17"},
     {"2026-01-04", "2025-12-24", "2026-02-24"}},
    {"异议 across 元旦 2026 counts the makeup Sunday 01-04",
     {.received = "2025-12-29"},
     {"2026-01-13", "2026-01-06", "2026-02-27"}},
    {"春节 2025: 15日 ends on 01-28 and rolls past the whole holiday to 02-05",
     {.received = "2025-01-13"},
     {"2025-02-05", "2025-01-20", "2025-03-14"}},
    {"the whole chain across 春节 2026; 复查答复 ends on the makeup Saturday 02-28 and stays",
     {.received = "2026-01-05",
      .accepted = "2026-01-09",
      .replied = "2026-01-20",
      .review_requested = "2026-01-29",
      .review_replied = "2026-02-06",
      .rereview_requested = "2026-02-12"},
     {"2026-01-20", "2026-01-12", "2026-03-10", "2026-02-24", "2026-02-28", "2026-03-09",
      "2026-03-16"}},
    {"replied without a known acceptance: 办理期限 counts from receipt; 异议 skips 清明",
     {.received = "2026-04-01", .replied = "2026-04-20"},
     {"2026-04-16", "2026-04-09", "2026-06-01", "2026-05-20"}},
    {"only the re-review request is known beyond receipt",
     {.received = "2026-01-05", .rereview_requested = "2026-02-12"},
     {"2026-01-20", "2026-01-12", "2026-03-06", NULL, NULL, NULL, "2026-03-16"}},
    {"the same day received, accepted and replied",
     {.received = "2026-06-01", .accepted = "2026-06-01", .replied = "2026-06-01"},
     {"2026-06-16", "2026-06-08", "2026-07-31", "2026-07-01"}},
};

static void test_due_days(void **state)
{
    const struct tz_calendar *cal = *state;
    char got[TZ_DATE_BUF];

    for (size_t i = 0; i < sizeof(clock_vecs) / sizeof(clock_vecs[0]); i++) {
        const struct clock_vec *v = &clock_vecs[i];
        struct tz_petition_clock out[TZ_PETITION_CLOCK_MAX];
        size_t n = clocks_of(cal, &v->in, out), j = 0;

        for (int k = 0; k < N_CLOCKS; k++) {
            if (!v->due[k])
                continue;
            if (j >= n)
                fail_msg("%s: clock %s missing", v->what,
                         tz_petition_clock_name((enum tz_petition_clock_kind)k));
            if (out[j].kind != (enum tz_petition_clock_kind)k)
                fail_msg("%s: clock %zu is %s, want %s", v->what, j, out[j].name,
                         tz_petition_clock_name((enum tz_petition_clock_kind)k));
            if (out[j].due != ymd(v->due[k]))
                fail_msg("%s: %s due %s, want %s", v->what, out[j].name,
                         tz_date_format(out[j].due, got), v->due[k]);
            j++;
        }
        if (j != n)
            fail_msg("%s: %zu clocks, want %zu (extra: %s)", v->what, n, j, out[j].name);
    }
}

/* ---- rule, name and basis of every clock ---------------------------------------------- */

static void test_rules_and_bases(void **state)
{
    static const struct {
        const char *name, *rule, *basis, *basis_day;
    } want[N_CLOCKS] = {
        {"告知受理", "15日", "received_on", "2026-01-05"},
        {"异议", "5个工作日", "received_on", "2026-01-05"},
        {"办理期限", "60日+30日", "accepted_on", "2026-01-09"},
        {"申请复查", "30日", "replied_on", "2026-01-20"},
        {"复查答复", "30日", "review_requested_on", "2026-01-29"},
        {"申请复核", "30日", "review_replied_on", "2026-02-06"},
        {"复核答复", "30日", "rereview_requested_on", "2026-02-12"},
    };
    const struct dates_text all = {.received = "2026-01-05",
                                   .accepted = "2026-01-09",
                                   .replied = "2026-01-20",
                                   .review_requested = "2026-01-29",
                                   .review_replied = "2026-02-06",
                                   .rereview_requested = "2026-02-12",
                                   .is_extended = true};
    struct tz_petition_clock out[TZ_PETITION_CLOCK_MAX];
    size_t n = clocks_of(*state, &all, out);

    assert_int_equal(n, N_CLOCKS);
    for (int k = 0; k < N_CLOCKS; k++) {
        assert_int_equal(out[k].kind, k);
        assert_string_equal(out[k].name, want[k].name);
        assert_string_equal(out[k].name, tz_petition_clock_name(out[k].kind));
        assert_string_equal(out[k].rule, want[k].rule);
        assert_string_equal(out[k].basis, want[k].basis);
        assert_int_equal(out[k].basis_day, ymd(want[k].basis_day));
    }
    /* 90 days from 01-09 end on Thursday 04-09: a working day, no rollover. */
    assert_int_equal(out[TZ_PETITION_CLOCK_HANDLING].due, ymd("2026-04-09"));
    assert_string_equal(tz_petition_clock_name(TZ__PETITION_CLOCK_COUNT), "?");
}

static void test_handling_defaults_to_received(void **state)
{
    const struct dates_text t = {.received = "2026-08-03"};
    struct tz_petition_clock out[TZ_PETITION_CLOCK_MAX];
    size_t n = clocks_of(*state, &t, out);

    assert_int_equal(n, 3);
    assert_int_equal(out[2].kind, TZ_PETITION_CLOCK_HANDLING);
    assert_string_equal(out[2].rule, "60日");
    assert_string_equal(out[2].basis, "received_on");
    assert_int_equal(out[2].basis_day, ymd("2026-08-03"));
    assert_int_equal(out[2].due, ymd("2026-10-08"));
}

/* ---- the one extension ---------------------------------------------------------------- */

static void test_extension_once(void **state)
{
    struct tz_petition_dates d;
    struct tz_petition_clock out[TZ_PETITION_CLOCK_MAX];
    struct tz_err err;
    size_t n = 0;

    tz_petition_dates_init(&d);
    d.received_on = ymd("2026-07-30");
    d.accepted_on = ymd("2026-08-03");
    assert_int_equal(tz_petition_extend(&d, &err), TZ_OK);
    assert_true(d.is_extended);

    tz_err_clear(&err);
    assert_int_equal(tz_petition_extend(&d, &err), TZ_EINVAL);
    assert_int_equal(tz_status_http(err.code), 422);
    assert_string_equal(err.field, "extension");
    assert_non_null(strstr(err.msg, "'extension'"));
    assert_true(d.is_extended); /* unchanged: still the one extension */

    assert_int_equal(tz_petition_clocks(&d, *state, out, &n, &err), TZ_OK);
    assert_int_equal(n, 3);
    assert_string_equal(out[2].rule, "60日+30日");
    assert_int_equal(out[2].due, ymd("2026-11-02"));
}

/* ---- refusals ------------------------------------------------------------------------- */

static const struct refusal {
    const char *what;
    struct dates_text in;
    const char *field;
} refusals[] = {
    {"no received_on", {.accepted = "2026-08-03"}, "received_on"},
    {"no dates at all", {.is_extended = true}, "received_on"},
    {"accepted before received",
     {.received = "2026-08-03", .accepted = "2026-08-02"},
     "accepted_on"},
    {"replied before accepted",
     {.received = "2026-08-03", .accepted = "2026-08-10", .replied = "2026-08-07"},
     "replied_on"},
    {"replied before received, acceptance unknown",
     {.received = "2026-08-03", .replied = "2026-07-31"},
     "replied_on"},
    {"review requested before the reply",
     {.received = "2026-01-05", .replied = "2026-01-20", .review_requested = "2026-01-19"},
     "review_requested_on"},
    {"review replied before it was requested",
     {.received = "2026-01-05", .review_requested = "2026-02-10", .review_replied = "2026-02-09"},
     "review_replied_on"},
    {"re-review requested before the review reply, request unknown",
     {.received = "2026-01-05", .review_replied = "2026-03-01", .rereview_requested = "2026-02-28"},
     "rereview_requested_on"},
};

static void test_refusals(void **state)
{
    for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
        const struct refusal *r = &refusals[i];
        struct tz_petition_dates d = dates_of(&r->in);
        struct tz_petition_clock out[TZ_PETITION_CLOCK_MAX];
        struct tz_err err;
        size_t n = 99;

        tz_err_clear(&err);
        enum tz_status st = tz_petition_clocks(&d, *state, out, &n, &err);
        if (st != TZ_EINVAL || strcmp(err.field, r->field) != 0)
            fail_msg("%s: status %d field '%s' (%s), want 422 on '%s'", r->what, (int)st, err.field,
                     err.msg, r->field);
        assert_int_equal(tz_status_http(err.code), 422);
        assert_int_equal(n, 0);
        assert_true(err.msg[0] != '\0');
    }
}

/* Dates outside years 1900-2999 (which tz_date_parse cannot even produce). */
static void test_out_of_range(void **state)
{
    static const struct {
        int which; /* 0: received_on, 1: replied_on */
        int y, m, d;
        const char *field;
    } cases[] = {
        {0, 1899, 12, 31, "received_on"},
        {0, 3000, 1, 1, "received_on"},
        {1, 3000, 1, 1, "replied_on"},
        {1, -40000, 1, 1, "replied_on"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct tz_petition_dates d;
        struct tz_petition_clock out[TZ_PETITION_CLOCK_MAX];
        struct tz_err err;
        size_t n = 99;
        int32_t day = tz_date_from_ymd(cases[i].y, cases[i].m, cases[i].d);

        tz_petition_dates_init(&d);
        d.received_on = cases[i].which == 0 ? day : ymd("2026-01-05");
        if (cases[i].which == 1)
            d.replied_on = day;
        assert_int_equal(tz_petition_clocks(&d, *state, out, &n, &err), TZ_EINVAL);
        assert_string_equal(err.field, cases[i].field);
        assert_int_equal(n, 0);
    }
    /* the edges themselves are accepted */
    {
        struct tz_petition_dates d;
        struct tz_petition_clock out[TZ_PETITION_CLOCK_MAX];
        struct tz_err err;
        size_t n = 0;

        tz_petition_dates_init(&d);
        d.received_on = tz_date_from_ymd(1900, 1, 1);
        d.rereview_requested_on = tz_date_from_ymd(2999, 12, 31);
        d.is_extended = true;
        assert_int_equal(tz_petition_clocks(&d, *state, out, &n, &err), TZ_OK);
        assert_int_equal(n, 4);
        assert_true(out[3].due > d.rereview_requested_on);
    }
}

static void test_received_required_message(void **state)
{
    struct tz_petition_dates d;
    struct tz_petition_clock out[TZ_PETITION_CLOCK_MAX];
    struct tz_err err;
    size_t n = 5;

    tz_petition_dates_init(&d);
    assert_int_equal(tz_petition_clocks(&d, *state, out, &n, &err), TZ_EINVAL);
    assert_string_equal(err.field, "received_on");
    assert_string_equal(err.msg, "'received_on' is required");
    assert_int_equal(n, 0);
}

/* ---- JSON ----------------------------------------------------------------------------- */

static void expect_json(const struct tz_calendar *cal, const struct dates_text *t, const char *want)
{
    struct tz_petition_clock out[TZ_PETITION_CLOCK_MAX];
    size_t n = clocks_of(cal, t, out);
    struct tz_strbuf sb = TZ_STRBUF_INIT;

    tz_petition_clocks_json(&sb, out, n);
    assert_string_equal(sb.buf, want);
    assert_int_equal(sb.len, strlen(want));
    tz_strbuf_release(&sb);
}

static void test_json(void **state)
{
    const struct dates_text received = {.received = "2026-09-16"};
    const struct dates_text all = {.received = "2026-01-05",
                                   .accepted = "2026-01-09",
                                   .replied = "2026-01-20",
                                   .review_requested = "2026-01-29",
                                   .review_replied = "2026-02-06",
                                   .rereview_requested = "2026-02-12",
                                   .is_extended = true};

    expect_json(*state, &received,
                "[{\"name\":\"告知受理\",\"rule\":\"15日\",\"due\":\"2026-10-08\"},"
                "{\"name\":\"异议\",\"rule\":\"5个工作日\",\"due\":\"2026-09-22\"},"
                "{\"name\":\"办理期限\",\"rule\":\"60日\",\"due\":\"2026-11-16\"}]");
    expect_json(*state, &all,
                "[{\"name\":\"告知受理\",\"rule\":\"15日\",\"due\":\"2026-01-20\"},"
                "{\"name\":\"异议\",\"rule\":\"5个工作日\",\"due\":\"2026-01-12\"},"
                "{\"name\":\"办理期限\",\"rule\":\"60日+30日\",\"due\":\"2026-04-09\"},"
                "{\"name\":\"申请复查\",\"rule\":\"30日\",\"due\":\"2026-02-24\"},"
                "{\"name\":\"复查答复\",\"rule\":\"30日\",\"due\":\"2026-02-28\"},"
                "{\"name\":\"申请复核\",\"rule\":\"30日\",\"due\":\"2026-03-09\"},"
                "{\"name\":\"复核答复\",\"rule\":\"30日\",\"due\":\"2026-03-16\"}]");
}

static void test_json_empty_and_appends(void **state)
{
    struct tz_strbuf sb = TZ_STRBUF_INIT;
    struct tz_petition_clock out[TZ_PETITION_CLOCK_MAX];
    const struct dates_text t = {.received = "2026-10-10"};
    size_t n;

    tz_petition_clocks_json(&sb, NULL, 0);
    assert_string_equal(sb.buf, "[]");

    n = clocks_of(*state, &t, out);
    tz_strbuf_reset(&sb);
    tz_strbuf_addstr(&sb, "{\"clocks\":");
    tz_petition_clocks_json(&sb, out, 1);
    tz_strbuf_addch(&sb, '}');
    assert_int_equal(n, 3);
    assert_string_equal(sb.buf,
                        "{\"clocks\":[{\"name\":\"告知受理\",\"rule\":\"15日\",\"due\":\"2026-10-"
                        "26\"}]}");
    tz_strbuf_release(&sb);
}

/* ---- a sweep over two years ----------------------------------------------------------- */

/*
 * For every received day of 2025-2026: 告知受理 is a working day at least 15 days
 * on, with only rest days between day 15 and it (Art. 201, 203); 异议 is a
 * working day with exactly 5 working days in (received, due]; 办理期限 likewise
 * for 60 days, and 90 once extended.
 */
static void check_natural(const struct tz_calendar *cal, int32_t from, int n, int32_t due)
{
    char a[TZ_DATE_BUF];
    if (due < from + n || !tz_calendar_is_workday(cal, due))
        fail_msg("%d days from %s: due is not a working day on or after day %d", n,
                 tz_date_format(from, a), n);
    for (int32_t d = from + n; d < due; d++) {
        if (tz_calendar_is_workday(cal, d))
            fail_msg("%d days from %s: rolled past a working day", n, tz_date_format(from, a));
    }
}

static void test_sweep(void **state)
{
    const struct tz_calendar *cal = *state;
    int32_t first = ymd("2025-01-01"), last = ymd("2026-12-31");

    for (int32_t day = first; day <= last; day++) {
        struct tz_petition_dates d;
        struct tz_petition_clock out[TZ_PETITION_CLOCK_MAX];
        struct tz_err err;
        size_t n = 0;

        tz_petition_dates_init(&d);
        d.received_on = day;
        d.is_extended = (day % 2) == 0;
        assert_int_equal(tz_petition_clocks(&d, cal, out, &n, &err), TZ_OK);
        assert_int_equal(n, 3);
        check_natural(cal, day, 15, out[0].due);
        assert_true(tz_calendar_is_workday(cal, out[1].due));
        assert_int_equal(tz_calendar_workdays_between(cal, day, out[1].due), 5);
        check_natural(cal, day, d.is_extended ? 90 : 60, out[2].due);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_due_days),
        cmocka_unit_test(test_rules_and_bases),
        cmocka_unit_test(test_handling_defaults_to_received),
        cmocka_unit_test(test_extension_once),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_received_required_message),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_json_empty_and_appends),
        cmocka_unit_test(test_sweep),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
