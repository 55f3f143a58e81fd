/*
 * doc.c - the conventions of official documents (公文) the printed reports
 * follow (include/tz/doc.h): Chinese dates and periods, document numbers with
 * the hexagonal brackets 〔〕 that GB/T 9704 prescribes for the year, ISO weeks
 * for a bulletin's issue, percentages, and the colour of a 督办单.
 *
 * Pure: snprintf into the caller's buffer only.
 */
#include "tz/doc.h"
#include "tz/date.h"

#include <stdio.h>
#include <string.h>

char *tz_doc_date(int32_t day, char *buf, size_t size)
{
    int y, m, d;
    tz_date_to_ymd(day, &y, &m, &d);
    snprintf(buf, size, "%d年%d月%d日", y, m, d);
    return buf;
}

char *tz_doc_period(int32_t from, int32_t to, char *buf, size_t size)
{
    int y1, m1, d1, y2, m2, d2;
    tz_date_to_ymd(from, &y1, &m1, &d1);
    tz_date_to_ymd(to, &y2, &m2, &d2);
    if (from == to)
        snprintf(buf, size, "%d年%d月%d日", y1, m1, d1);
    else if (y1 == y2)
        snprintf(buf, size, "%d年%d月%d日—%d月%d日", y1, m1, d1, m2, d2);
    else
        snprintf(buf, size, "%d年%d月%d日—%d年%d月%d日", y1, m1, d1, y2, m2, d2);
    return buf;
}

char *tz_doc_short_name(const char *district, char *buf, size_t size)
{
    static const char *const suffixes[] = {"区", "县", "市", "旗"};
    size_t len = strlen(district);
    snprintf(buf, size, "%s", district);
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        size_t sl = strlen(suffixes[i]);
        /* two CJK characters (3 bytes each) must stay before the suffix */
        if (len >= sl + 6 && strcmp(district + len - sl, suffixes[i]) == 0) {
            if (len - sl < size)
                buf[len - sl] = '\0';
            break;
        }
    }
    return buf;
}

char *tz_doc_notice_number(const char *short_name, int year, int64_t seq, char *buf, size_t size)
{
    snprintf(buf, size, "%s督办〔%d〕第%lld号", short_name, year, (long long)seq);
    return buf;
}

int tz_doc_iso_week(int32_t day, int *week_year_out)
{
    /* the week's Thursday decides the year; weeks count from that year's first Thursday */
    int32_t thursday = day - tz_date_weekday(day) + 3;
    int year = tz_date_year(thursday);
    int32_t jan1 = tz_date_from_ymd(year, 1, 1);
    *week_year_out = year;
    return (int)((thursday - jan1) / 7) + 1;
}

char *tz_doc_percent(double rate, bool present, char *buf, size_t size)
{
    if (!present)
        snprintf(buf, size, "—");
    else
        snprintf(buf, size, "%.1f%%", rate * 100.0);
    return buf;
}

enum tz_doc_grade tz_doc_notice_grade(int supervised, bool light_yellow, bool light_red)
{
    int g = supervised < 0 ? 0 : supervised > 2 ? 2 : supervised;
    if (light_red)
        g = 2;
    else if (light_yellow && g < 1)
        g = 1;
    return (enum tz_doc_grade)g;
}

const char *tz_doc_grade_name(enum tz_doc_grade g)
{
    switch (g) {
    case TZ_DOC_YELLOW:
        return "黄色";
    case TZ_DOC_RED:
        return "红色";
    default:
        return "蓝色";
    }
}
