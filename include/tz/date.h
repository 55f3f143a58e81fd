/*
 * date.h - civil dates as day numbers.
 *
 * A date is an int32_t count of days since 1970-01-01 (proleptic Gregorian),
 * so that date arithmetic is integer arithmetic and dates compare with <.
 * TZ_DAY_NONE marks an absent date. Pure functions, thread-safe.
 */
#ifndef TZ_DATE_H
#define TZ_DATE_H

#include <stdbool.h>
#include <stdint.h>

#define TZ_DAY_NONE INT32_MIN
/* "YYYY-MM-DD" plus the terminating NUL */
#define TZ_DATE_BUF 11

/* Day number of a civil date; the caller guarantees a valid date. */
int32_t tz_date_from_ymd(int y, int m, int d);
/* Civil date of a day number. */
void tz_date_to_ymd(int32_t day, int *y_out, int *m_out, int *d_out);
/* Parses exactly "YYYY-MM-DD" of an existing date in years 1900-2999; false otherwise. */
bool tz_date_parse(const char *s, int32_t *day_out);
/* Writes "YYYY-MM-DD" into buf (TZ_DATE_BUF bytes) and returns buf. */
char *tz_date_format(int32_t day, char buf[TZ_DATE_BUF]);
/* 0 = Monday ... 6 = Sunday. */
int tz_date_weekday(int32_t day);
int tz_date_year(int32_t day);
bool tz_date_is_leap(int year);
int tz_date_days_in_month(int year, int month);
/* Quarter of the year (1-4) that holds a day. */
int tz_date_quarter(int32_t day);
/*
 * First and last day of quarter 1-4 of a year (Q4 of 2026: 2026-10-01 and
 * 2026-12-31). The caller guarantees 1 <= quarter <= 4.
 */
void tz_date_quarter_bounds(int year, int quarter, int32_t *first_out, int32_t *last_out);

#endif
