/*
 * calendar.h - the working-day calendar (SPEC 2.5, DOMAIN 6).
 *
 * Working days are Monday-Friday, minus statutory holidays, plus adjusted
 * working weekend days (调休上班), from per-year data published by the State
 * Council General Office and shipped as data/calendar/CN-YYYY.json. A year with
 * no data falls back to Monday-Friday, and tz_calendar_year_complete says so.
 *
 * A calendar is built once and then only read: reads are thread-safe; the
 * builders (_set_year, _load_json) are not and must finish before sharing.
 * Pure: no I/O; the caller supplies the JSON text.
 */
#ifndef TZ_CALENDAR_H
#define TZ_CALENDAR_H

#include "tz/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tz_calendar;

/* One special day: a holiday or an adjusted working day, with its name ("春节"). */
struct tz_cal_day {
    int32_t day;
    const char *name; /* borrowed in arguments; owned by the calendar once stored */
};

struct tz_calendar *tz_calendar_new(void);
void tz_calendar_free(struct tz_calendar *cal);
/* A deep copy (for copy-on-write edits). */
struct tz_calendar *tz_calendar_dup(const struct tz_calendar *cal);

/*
 * Replaces the data of one year. Every day must lie in `year`; a date may not be
 * both a holiday and a working day (422, field "holidays"/"workdays").
 */
enum tz_status tz_calendar_set_year(struct tz_calendar *cal, int year,
                                    const struct tz_cal_day *holidays, size_t n_holidays,
                                    const struct tz_cal_day *workdays, size_t n_workdays,
                                    struct tz_err *err);

/*
 * Loads one year from JSON text of the form of GET /calendar/{year}:
 * {"year": 2026, "holidays": [{"date": "2026-01-01", "name": "元旦"}, ...],
 *  "workdays": [{"date": "2026-01-04", "name": "元旦调休上班"}, ...]}
 * Unknown keys are refused. 422 with the offending field on bad input.
 */
enum tz_status tz_calendar_load_json(struct tz_calendar *cal, const char *json, size_t len,
                                     struct tz_err *err);

/* Writes the JSON of one year, as GET /calendar/{year} answers, to a heap string the caller frees.
 */
char *tz_calendar_year_json(const struct tz_calendar *cal, int year);

bool tz_calendar_year_complete(const struct tz_calendar *cal, int year);
bool tz_calendar_is_workday(const struct tz_calendar *cal, int32_t day);
/* Name of the holiday or adjusted working day, or NULL. Borrowed from the calendar. */
const char *tz_calendar_day_name(const struct tz_calendar *cal, int32_t day);

/* The Nth working day after start, start not counted (n >= 1). */
int32_t tz_calendar_add_workdays(const struct tz_calendar *cal, int32_t start, int n);
/*
 * n natural days after start (start not counted, Civil Code Art. 201); when the
 * last day is not a working day, the next working day (Art. 203).
 */
int32_t tz_calendar_add_days_rollover(const struct tz_calendar *cal, int32_t start, int n);
/* Count of working days in (from, to]; 0 when to <= from. */
int tz_calendar_workdays_between(const struct tz_calendar *cal, int32_t from, int32_t to);

#endif
