/*
 * date.c - civil date arithmetic (see date.h).
 *
 * Uses the well-known days-from-civil conversion over 400-year eras, which is
 * exact for every proleptic Gregorian date and needs no tables.
 */
#include "tz/date.h"

#include <stdio.h>
#include <string.h>

int32_t tz_date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void tz_date_to_ymd(int32_t day, int *y_out, int *m_out, int *d_out)
{
    int z = day + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const int doe = z - era * 146097;
    const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int mp = (5 * doy + 2) / 153;
    const int d = doy - (153 * mp + 2) / 5 + 1;
    const int m = mp + (mp < 10 ? 3 : -9);
    *y_out = yoe + era * 400 + (m <= 2);
    *m_out = m;
    *d_out = d;
}

bool tz_date_is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int tz_date_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    return days[month - 1] + (month == 2 && tz_date_is_leap(year));
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool tz_date_parse(const char *s, int32_t *day_out)
{
    if (!s || strnlen(s, 11) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > tz_date_days_in_month(y, m))
        return false;
    *day_out = tz_date_from_ymd(y, m, d);
    return true;
}

char *tz_date_format(int32_t day, char buf[TZ_DATE_BUF])
{
    int y, m, d;
    tz_date_to_ymd(day, &y, &m, &d);
    /* y is 1..9999 for every day number a valid date produces; clamp for others */
    unsigned uy = (unsigned)(y < 0 ? 0 : y % 10000), um = (unsigned)m % 100u,
             ud = (unsigned)d % 100u;
    buf[0] = (char)('0' + uy / 1000);
    buf[1] = (char)('0' + uy / 100 % 10);
    buf[2] = (char)('0' + uy / 10 % 10);
    buf[3] = (char)('0' + uy % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + um / 10);
    buf[6] = (char)('0' + um % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + ud / 10);
    buf[9] = (char)('0' + ud % 10);
    buf[10] = '\0';
    return buf;
}

int tz_date_weekday(int32_t day)
{
    /* 1970-01-01 was a Thursday (index 3). */
    int w = (int)((day % 7 + 7) % 7);
    return (w + 3) % 7;
}

int tz_date_year(int32_t day)
{
    int y, m, d;
    tz_date_to_ymd(day, &y, &m, &d);
    return y;
}

int tz_date_quarter(int32_t day)
{
    int y, m, d;
    tz_date_to_ymd(day, &y, &m, &d);
    return (m - 1) / 3 + 1;
}

void tz_date_quarter_bounds(int year, int quarter, int32_t *first_out, int32_t *last_out)
{
    int first_month = 3 * (quarter - 1) + 1, last_month = first_month + 2;
    *first_out = tz_date_from_ymd(year, first_month, 1);
    *last_out = tz_date_from_ymd(year, last_month, tz_date_days_in_month(year, last_month));
}
