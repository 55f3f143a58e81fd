/*
 * light.c - the traffic light of an item (SPEC 2.5, see light.h).
 *
 * DESIGN
 *
 * The light is a pure function of the item, the day it is judged at, the
 * ledger's warn_days and the working-day calendar; nothing is cached, so the
 * app recomputes it whenever one of those moves. The day of judgement t is
 * today, except for a submitted item, which is judged at the date of its last
 * submit: the office's review time is not the unit's delay.
 *
 * For an open item (assigned, in_progress, submitted) with deadline D and
 * assigned day A:
 *   red    t > D;
 *   yellow the working days in (t, D] are <= warn_days (a deadline today has
 *          none left, so it is yellow, not red), or the item is behind schedule;
 *   green  otherwise.
 * Behind schedule is progress < 100 f - 30 with f = (t - A) / (D - A) in
 * calendar days, only when D > A. It is evaluated exactly in integers, as
 * progress * (D - A) < 100 (t - A) - 30 (D - A), so that a progress exactly at
 * the line is never yellow by rounding.
 *
 * An ongoing item is green while its last report is at most report_every_days
 * old, yellow when older, red when older than twice that. An ongoing item with
 * no cadence or no report day has nothing to be late with and stays green; an
 * open item without a deadline likewise cannot be late and is green.
 *
 * `cal` must not be NULL: an empty calendar (tz_calendar_new) is plain
 * Monday-Friday. The ledger rules of SPEC 3 that raise a light are applied by
 * the caller on top of this one.
 */
#include "tz/light.h"

#include "tz/date.h"

/* The day an open item is judged at. */
static int32_t judged_day(const struct tz_item *it, int32_t today)
{
    if (it->state == TZ_STATE_SUBMITTED && it->submitted_day != TZ_DAY_NONE)
        return it->submitted_day;
    return today;
}

static bool behind_schedule(const struct tz_item *it, int32_t t)
{
    int32_t a = it->assigned_day;
    int32_t d = it->deadline;

    if (a == TZ_DAY_NONE || d <= a)
        return false;
    int64_t span = (int64_t)d - a;
    int64_t gone = (int64_t)t - a;
    return (int64_t)it->progress * span < 100 * gone - 30 * span;
}

static enum tz_light ongoing_light(const struct tz_item *it, int32_t today)
{
    int64_t every = it->report_every_days;

    if (every <= 0 || it->last_report_day == TZ_DAY_NONE)
        return TZ_LIGHT_GREEN;
    int64_t age = (int64_t)today - it->last_report_day;
    if (age > 2 * every)
        return TZ_LIGHT_RED;
    if (age > every)
        return TZ_LIGHT_YELLOW;
    return TZ_LIGHT_GREEN;
}

enum tz_light tz_light_compute(const struct tz_item *it, int32_t today, int warn_days,
                               const struct tz_calendar *cal)
{
    switch (it->state) {
    case TZ_STATE_CLOSED:
        return TZ_LIGHT_DONE;
    case TZ_STATE_ONGOING:
        return ongoing_light(it, today);
    case TZ_STATE_ASSIGNED:
    case TZ_STATE_IN_PROGRESS:
    case TZ_STATE_SUBMITTED:
        break;
    default:
        return TZ_LIGHT_NONE;
    }

    int32_t t = judged_day(it, today);
    if (it->deadline == TZ_DAY_NONE)
        return TZ_LIGHT_GREEN;
    if (t > it->deadline)
        return TZ_LIGHT_RED;
    if (tz_calendar_workdays_between(cal, t, it->deadline) <= warn_days)
        return TZ_LIGHT_YELLOW;
    if (behind_schedule(it, t))
        return TZ_LIGHT_YELLOW;
    return TZ_LIGHT_GREEN;
}

bool tz_light_is_overdue(const struct tz_item *it, int32_t today)
{
    if (it->state != TZ_STATE_ASSIGNED && it->state != TZ_STATE_IN_PROGRESS &&
        it->state != TZ_STATE_SUBMITTED)
        return false;
    return it->deadline != TZ_DAY_NONE && judged_day(it, today) > it->deadline;
}
