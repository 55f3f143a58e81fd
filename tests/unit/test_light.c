/*
 * test_light.c - the traffic light (light.h) at the boundaries of SPEC 2.5.
 *
 * Every rule is pinned at its edge: the deadline day itself and the day after,
 * exactly warn_days working days left and one more, the same across a weekend,
 * a statutory holiday and an adjusted working Saturday of 2026 (the calendar is
 * the shipped data file, built into the binary), the behind-schedule line of
 * 100 f - 30 where it is met and where it is missed by one, a submitted item
 * judged at its submit date, and an ongoing item at report_every_days and twice
 * that. Dates are written as dates so that a reader can check them on a
 * calendar.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tz/calendar.h"
#include "tz/date.h"
#include "tz/embed.h"
#include "tz/light.h"

#include <string.h>

#define WARN 3

static int32_t day(int y, int m, int d)
{
    return tz_date_from_ymd(y, m, d);
}

static int group_setup(void **state)
{
    const struct tz_embedded *file = tz_embed_find("data/calendar/CN-2026.json");
    struct tz_err err;

    if (!file) {
        print_error("data/calendar/CN-2026.json is not embedded\n");
        return -1;
    }
    struct tz_calendar *cal = tz_calendar_new();
    if (tz_calendar_load_json(cal, (const char *)file->data, file->len, &err) != TZ_OK) {
        print_error("loading the 2026 calendar: %s (%s)\n", err.msg, err.field);
        tz_calendar_free(cal);
        return -1;
    }
    *state = cal;
    return 0;
}

static int group_teardown(void **state)
{
    tz_calendar_free(*state);
    return 0;
}

/* An in_progress item, assigned on `assigned`, due on `deadline`, at `progress`. */
static struct tz_item item(int32_t assigned, int32_t deadline, int progress)
{
    struct tz_item it;
    memset(&it, 0, sizeof(it));
    it.state = TZ_STATE_IN_PROGRESS;
    it.lead_unit_id = 10;
    it.assigned_at = "2026-01-05T09:00:00+08:00";
    it.assigned_day = assigned;
    it.deadline = deadline;
    it.original_deadline = deadline;
    it.progress = progress;
    it.submitted_day = TZ_DAY_NONE;
    it.last_report_day = TZ_DAY_NONE;
    it.on_time = -1;
    it.extension.deadline = TZ_DAY_NONE;
    it.version = 3;
    return it;
}

/* An item on schedule (progress 100 is never behind), so only the deadline speaks. */
static enum tz_light due(const struct tz_calendar *cal, int32_t today, int32_t deadline)
{
    struct tz_item it = item(day(2026, 1, 5), deadline, 100);
    return tz_light_compute(&it, today, WARN, cal);
}

static void test_calendar_loaded(void **state)
{
    const struct tz_calendar *cal = *state;
    assert_true(tz_calendar_year_complete(cal, 2026));
    assert_false(tz_calendar_is_workday(cal, day(2026, 4, 6)));  /* 清明, a Monday */
    assert_true(tz_calendar_is_workday(cal, day(2026, 5, 9)));   /* 调休, a Saturday */
    assert_false(tz_calendar_is_workday(cal, day(2026, 3, 14))); /* an ordinary Saturday */
}

static void test_deadline_day(void **state)
{
    const struct tz_calendar *cal = *state;
    int32_t d = day(2026, 3, 11); /* a Wednesday */

    assert_int_equal(due(cal, d, d), TZ_LIGHT_YELLOW);  /* due today: not red */
    assert_int_equal(due(cal, d + 1, d), TZ_LIGHT_RED); /* due yesterday */
    assert_int_equal(due(cal, d + 200, d), TZ_LIGHT_RED);
    /* the rule is about today, whatever the item's assigned day */
    struct tz_item it = item(d, d, 0);
    assert_int_equal(tz_light_compute(&it, d, WARN, cal), TZ_LIGHT_YELLOW);
    assert_int_equal(tz_light_compute(&it, d + 1, WARN, cal), TZ_LIGHT_RED);
    /* a deadline in the past on assignment is red at once */
    it = item(d, d - 10, 0);
    assert_int_equal(tz_light_compute(&it, d, WARN, cal), TZ_LIGHT_RED);
    it.state = TZ_STATE_ASSIGNED;
    assert_int_equal(tz_light_compute(&it, d, WARN, cal), TZ_LIGHT_RED);
}

static void test_warn_days_plain_week(void **state)
{
    const struct tz_calendar *cal = *state;
    int32_t mon = day(2026, 3, 9);

    /* (Mon, Thu] = Tue, Wed, Thu: 3 working days */
    assert_int_equal(due(cal, mon, day(2026, 3, 12)), TZ_LIGHT_YELLOW);
    /* (Mon, Fri]: 4 */
    assert_int_equal(due(cal, mon, day(2026, 3, 13)), TZ_LIGHT_GREEN);
    /* warn_days is the ledger's: 5 reaches the next Monday, not the Tuesday */
    struct tz_item it = item(day(2026, 1, 5), day(2026, 3, 16), 100);
    assert_int_equal(tz_light_compute(&it, mon, 5, cal), TZ_LIGHT_YELLOW);
    it.deadline = day(2026, 3, 17);
    assert_int_equal(tz_light_compute(&it, mon, 5, cal), TZ_LIGHT_GREEN);
}

static void test_warn_days_across_weekend(void **state)
{
    const struct tz_calendar *cal = *state;
    int32_t thu = day(2026, 3, 12);

    /* (Thu, Tue] = Fri, Mon, Tue: 3, the weekend not counted */
    assert_int_equal(due(cal, thu, day(2026, 3, 17)), TZ_LIGHT_YELLOW);
    assert_int_equal(due(cal, thu, day(2026, 3, 18)), TZ_LIGHT_GREEN);
    /* due on a Sunday, seen on Friday: no working day left */
    assert_int_equal(due(cal, day(2026, 3, 13), day(2026, 3, 15)), TZ_LIGHT_YELLOW);
}

static void test_warn_days_across_holiday(void **state)
{
    const struct tz_calendar *cal = *state;

    /* 清明 2026-04-04..06 (Sat-Mon): (Thu 04-02, Wed 04-08] = Fri 03, Tue 07, Wed 08 */
    assert_int_equal(due(cal, day(2026, 4, 2), day(2026, 4, 8)), TZ_LIGHT_YELLOW);
    assert_int_equal(due(cal, day(2026, 4, 2), day(2026, 4, 9)), TZ_LIGHT_GREEN);

    /* 春节 2026-02-15..23 with 调休 on Sat 02-14: (Thu 02-12, Tue 02-24] = 13, 14, 24 */
    assert_int_equal(due(cal, day(2026, 2, 12), day(2026, 2, 23)), TZ_LIGHT_YELLOW);
    assert_int_equal(due(cal, day(2026, 2, 12), day(2026, 2, 24)), TZ_LIGHT_YELLOW);
    assert_int_equal(due(cal, day(2026, 2, 12), day(2026, 2, 25)), TZ_LIGHT_GREEN);

    /* 劳动节 2026-05-01..05: (Wed 04-29, Thu 05-07] = 04-30, 05-06, 05-07 */
    assert_int_equal(due(cal, day(2026, 4, 29), day(2026, 5, 7)), TZ_LIGHT_YELLOW);
    assert_int_equal(due(cal, day(2026, 4, 29), day(2026, 5, 8)), TZ_LIGHT_GREEN);

    /* the adjusted working Saturday 05-09 counts: (Wed 05-06, Mon 05-11] = 07, 08, 09, 11 */
    assert_int_equal(due(cal, day(2026, 5, 6), day(2026, 5, 10)), TZ_LIGHT_YELLOW);
    assert_int_equal(due(cal, day(2026, 5, 6), day(2026, 5, 11)), TZ_LIGHT_GREEN);
}

static void test_behind_schedule(void **state)
{
    const struct tz_calendar *cal = *state;
    int32_t a = day(2026, 3, 2);
    int32_t d = a + 100; /* 2026-06-10 */
    int32_t t = a + 50;  /* 2026-04-21: f = 0.5, the line is 100 f - 30 = 20 */

    struct tz_item it = item(a, d, 20);
    assert_int_equal(tz_light_compute(&it, t, WARN, cal), TZ_LIGHT_GREEN);
    it.progress = 19;
    assert_int_equal(tz_light_compute(&it, t, WARN, cal), TZ_LIGHT_YELLOW);

    /* a line that is not a whole number: f = 10/30, 100 f - 30 = 3.33 */
    it = item(a, a + 30, 4);
    assert_int_equal(tz_light_compute(&it, a + 10, WARN, cal), TZ_LIGHT_GREEN);
    it.progress = 3;
    assert_int_equal(tz_light_compute(&it, a + 10, WARN, cal), TZ_LIGHT_YELLOW);

    /* at 30 % of the time nothing is expected yet */
    it = item(a, d, 0);
    assert_int_equal(tz_light_compute(&it, a + 30, WARN, cal), TZ_LIGHT_GREEN);
    assert_int_equal(tz_light_compute(&it, a + 31, WARN, cal), TZ_LIGHT_YELLOW);

    /* progress may be set by a report to anything: 100 is never behind */
    it.progress = 100;
    assert_int_equal(tz_light_compute(&it, d - 20, WARN, cal), TZ_LIGHT_GREEN);

    /* an item without an assigned day has no schedule */
    it = item(TZ_DAY_NONE, d, 0);
    assert_int_equal(tz_light_compute(&it, t, WARN, cal), TZ_LIGHT_GREEN);
}

static void test_behind_schedule_off_when_deadline_is_assigned_day(void **state)
{
    const struct tz_calendar *cal = *state;
    int32_t a = day(2026, 3, 10);

    /*
     * With D == A the fraction has no denominator and the rule is off. The
     * working-day rule would turn any such item yellow on its own (no working
     * day is left), so warn_days -1 switches it off to let the schedule rule
     * speak alone: it must say nothing, and not divide by zero.
     */
    struct tz_item it = item(a, a, 0);
    assert_int_equal(tz_light_compute(&it, a, -1, cal), TZ_LIGHT_GREEN);
    /* and the same item with a day more is behind (sanity of the switch) */
    it.deadline = a + 1;
    it.progress = 0;
    assert_int_equal(tz_light_compute(&it, a + 1, -1, cal), TZ_LIGHT_YELLOW);
    /* a deadline before the assigned day: red, not a negative fraction */
    it = item(a, a - 3, 0);
    assert_int_equal(tz_light_compute(&it, a, WARN, cal), TZ_LIGHT_RED);
}

static void test_submitted_judged_at_submit_date(void **state)
{
    const struct tz_calendar *cal = *state;
    int32_t d = day(2026, 3, 13); /* Friday */
    int32_t today = day(2026, 3, 27);

    struct tz_item it = item(day(2026, 1, 5), d, 100);
    /* in progress two weeks after the deadline: red */
    assert_int_equal(tz_light_compute(&it, today, WARN, cal), TZ_LIGHT_RED);
    assert_true(tz_light_is_overdue(&it, today));

    /* submitted on the deadline day: judged then, the office's review is not late */
    it.state = TZ_STATE_SUBMITTED;
    it.submitted_day = d;
    assert_int_equal(tz_light_compute(&it, today, WARN, cal), TZ_LIGHT_YELLOW);
    assert_false(tz_light_is_overdue(&it, today));

    /* submitted a week ahead: (Fri 03-06, Fri 03-13] holds 5 working days */
    it.submitted_day = day(2026, 3, 6);
    assert_int_equal(tz_light_compute(&it, today, WARN, cal), TZ_LIGHT_GREEN);
    /* three working days ahead: (Tue 03-10, Fri 03-13] */
    it.submitted_day = day(2026, 3, 10);
    assert_int_equal(tz_light_compute(&it, today, WARN, cal), TZ_LIGHT_YELLOW);

    /* submitted the day after: red, and overdue */
    it.submitted_day = d + 1;
    assert_int_equal(tz_light_compute(&it, d + 1, WARN, cal), TZ_LIGHT_RED);
    assert_int_equal(tz_light_compute(&it, today, WARN, cal), TZ_LIGHT_RED);
    assert_true(tz_light_is_overdue(&it, today));

    /* the schedule rule is judged at the submit date too */
    int32_t a = day(2026, 3, 2);
    it = item(a, a + 100, 19);
    it.state = TZ_STATE_SUBMITTED;
    it.submitted_day = a + 30;
    assert_int_equal(tz_light_compute(&it, a + 50, WARN, cal), TZ_LIGHT_GREEN);
    it.submitted_day = a + 50;
    assert_int_equal(tz_light_compute(&it, a + 50, WARN, cal), TZ_LIGHT_YELLOW);
}

static void test_ongoing(void **state)
{
    const struct tz_calendar *cal = *state;
    int32_t last = day(2026, 3, 1);

    struct tz_item it = item(day(2026, 1, 5), day(2026, 1, 31), 0); /* deadline long past */
    it.state = TZ_STATE_ONGOING;
    it.report_every_days = 7;
    it.last_report_day = last;
    assert_int_equal(tz_light_compute(&it, last, WARN, cal), TZ_LIGHT_GREEN);
    assert_int_equal(tz_light_compute(&it, last + 7, WARN, cal), TZ_LIGHT_GREEN);
    assert_int_equal(tz_light_compute(&it, last + 8, WARN, cal), TZ_LIGHT_YELLOW);
    assert_int_equal(tz_light_compute(&it, last + 14, WARN, cal), TZ_LIGHT_YELLOW);
    assert_int_equal(tz_light_compute(&it, last + 15, WARN, cal), TZ_LIGHT_RED);
    assert_false(tz_light_is_overdue(&it, last + 100));

    /* no cadence: nothing to be late with */
    it.report_every_days = 0;
    assert_int_equal(tz_light_compute(&it, last + 100, WARN, cal), TZ_LIGHT_GREEN);
}

static void test_closed_and_not_open(void **state)
{
    const struct tz_calendar *cal = *state;
    int32_t d = day(2026, 3, 1);
    int32_t today = d + 30;

    struct tz_item it = item(day(2026, 1, 5), d, 0);
    it.state = TZ_STATE_CLOSED;
    it.on_time = 0;
    assert_int_equal(tz_light_compute(&it, today, WARN, cal), TZ_LIGHT_DONE);
    assert_false(tz_light_is_overdue(&it, today));

    static const enum tz_state none[] = {TZ_STATE_DRAFT, TZ_STATE_CANCELLED, TZ_STATE_REGISTERED};
    for (size_t i = 0; i < 3; i++) {
        it.state = none[i];
        assert_int_equal(tz_light_compute(&it, today, WARN, cal), TZ_LIGHT_NONE);
        assert_false(tz_light_is_overdue(&it, today));
    }
    /* a register item has no deadline at all */
    it.deadline = TZ_DAY_NONE;
    it.state = TZ_STATE_REGISTERED;
    assert_int_equal(tz_light_compute(&it, today, WARN, cal), TZ_LIGHT_NONE);
}

static void test_overdue(void **state)
{
    (void)state;
    int32_t d = day(2026, 3, 11);
    struct tz_item it = item(day(2026, 1, 5), d, 0);

    it.state = TZ_STATE_ASSIGNED;
    assert_false(tz_light_is_overdue(&it, d));
    assert_true(tz_light_is_overdue(&it, d + 1));
    it.state = TZ_STATE_IN_PROGRESS;
    assert_false(tz_light_is_overdue(&it, d));
    assert_true(tz_light_is_overdue(&it, d + 1));
    it.deadline = TZ_DAY_NONE;
    assert_false(tz_light_is_overdue(&it, d + 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar_loaded),
        cmocka_unit_test(test_deadline_day),
        cmocka_unit_test(test_warn_days_plain_week),
        cmocka_unit_test(test_warn_days_across_weekend),
        cmocka_unit_test(test_warn_days_across_holiday),
        cmocka_unit_test(test_behind_schedule),
        cmocka_unit_test(test_behind_schedule_off_when_deadline_is_assigned_day),
        cmocka_unit_test(test_submitted_judged_at_submit_date),
        cmocka_unit_test(test_ongoing),
        cmocka_unit_test(test_closed_and_not_open),
        cmocka_unit_test(test_overdue),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
