/*
 * doc.h - the conventions of official documents (公文) that the printed
 * reports follow: dates written 2026年11月30日, periods 2026年11月23日—11月29日,
 * notice numbers 城东督办〔2026〕第3号, bulletin issues by ISO week, rates as
 * percentages. Pure functions (src/core/doc.c): no I/O, thread-safe; every
 * buffer is the caller's and the result is always NUL-terminated (cut when
 * the buffer is too small).
 */
#ifndef TZ_DOC_H
#define TZ_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Enough for every text below ("2026年11月30日—2027年1月2日" is 37 bytes). */
#define TZ_DOC_BUF 64

/* "2026年11月30日" (no leading zeros), into buf; returns buf. */
char *tz_doc_date(int32_t day, char *buf, size_t size);
/*
 * The period of a bulletin: "2026年11月23日—11月29日" within one year,
 * "2026年12月28日—2027年1月3日" across years, "2026年11月30日" for one day.
 */
char *tz_doc_period(int32_t from, int32_t to, char *buf, size_t size);
/*
 * The short name a district uses in its document numbers: "城东区" → "城东"
 * (a trailing 区, 县, 市 or 旗 dropped when at least two characters stay);
 * anything else is kept whole.
 */
char *tz_doc_short_name(const char *district, char *buf, size_t size);
/* A 督办单's number: "城东督办〔2026〕第3号" from the short name, the year and the sequence. */
char *tz_doc_notice_number(const char *short_name, int year, int64_t seq, char *buf, size_t size);
/* ISO 8601 week of a day (1-53) and the year that week belongs to: a bulletin's issue. */
int tz_doc_iso_week(int32_t day, int *week_year_out);
/* A rate 0..1 as "85.7%" (one decimal); "—" when absent. */
char *tz_doc_percent(double rate, bool present, char *buf, size_t size);

/*
 * The 三色督办单 (DOMAIN 2.5): blue, yellow (orange), red. Decided by the
 * item's 督办 level (supervised 0, 1, 2) raised by its light (yellow → at
 * least yellow, red → red): the stronger of the two.
 */
enum tz_doc_grade {
    TZ_DOC_BLUE = 0,
    TZ_DOC_YELLOW = 1,
    TZ_DOC_RED = 2,
};
enum tz_doc_grade tz_doc_notice_grade(int supervised, bool light_yellow, bool light_red);
/* "蓝色", "黄色", "红色". */
const char *tz_doc_grade_name(enum tz_doc_grade g);

#endif
