/*
 * light.h - the traffic light of an item (SPEC 2.5).
 *
 * For an open item with deadline D, with t = today (or the date of the last
 * submit for a submitted item):
 *   red    if t > D;
 *   yellow if the working days in (t, D] are <= warn_days, or the item is behind
 *          schedule: f = (t - assigned) / (D - assigned) in calendar days and
 *          progress < 100 f - 30 (only when D is after the day of assigned_at);
 *   green  otherwise.
 * closed -> done; draft, cancelled, registered -> none; ongoing -> green, yellow
 * when the last report is older than report_every_days, red past twice that.
 * Pure and thread-safe.
 */
#ifndef TZ_LIGHT_H
#define TZ_LIGHT_H

#include "tz/calendar.h"
#include "tz/item.h"

enum tz_light tz_light_compute(const struct tz_item *it, int32_t today, int warn_days,
                               const struct tz_calendar *cal);

/*
 * True when an open, non-ongoing item is past its deadline at `today` (submitted
 * items judged at their submit date): the "open past deadline" of on_time_rate.
 */
bool tz_light_is_overdue(const struct tz_item *it, int32_t today);

#endif
