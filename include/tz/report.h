/*
 * report.h - the printed documents as PDF: the 通报 (bulletin) of a period and
 * the 督办通知单 (notice) of one item, drawn with cairo and pango on A4 with
 * embedded CJK fonts (Noto Serif CJK SC for the body, Noto Sans CJK SC for
 * tables and charts; fonts-noto-cjk).
 *
 * The caller (src/app/app_report.c) gathers every figure and text into the
 * structs below; this module only lays them out and knows nothing of the
 * store, the API or who asks. All strings are borrowed UTF-8 for the call.
 *
 * Thread-safe: rendering is serialised by one process-wide lock (pango's
 * font map and fontconfig are shared caches; a bulletin takes tens of
 * milliseconds, so the lock costs nothing that matters). The font map made
 * at the first render is kept for the life of the process; tz_report_shutdown
 * frees it (and fontconfig's caches) and runs by itself at exit (atexit).
 */
#ifndef TZ_REPORT_H
#define TZ_REPORT_H

#include "tz/doc.h"
#include "tz/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One lead unit's row of the bulletin's table (the scorecard's figures). */
struct tz_bulletin_unit {
    const char *name;
    int64_t open, red, yellow, closed;
    double on_time_rate;
    bool has_on_time_rate;
};

/* One red item of the bulletin's red list. */
struct tz_bulletin_red {
    const char *code, *title, *lead_unit;
    int32_t deadline;
    int days_overdue; /* 0 when not past the deadline (red for being behind schedule) */
    bool is_ongoing;  /* 长期坚持: red for a missed periodic report, never overdue */
};

/* One ledger's lights, for the chart of lights by ledger. */
struct tz_bulletin_ledger {
    const char *name;
    int64_t green, yellow, red, closed;
};

/* One month of the trend chart. */
struct tz_bulletin_month {
    const char *month; /* "YYYY-MM" */
    int64_t opened, closed;
};

struct tz_bulletin {
    const char *office;   /* the issuing office: 城东区委区政府督查室 */
    const char *district; /* the root unit: 城东区 */
    const char *scope;    /* "全区" or "<unit>及下级单位" */
    int32_t from, to;     /* the period, inclusive */
    int32_t issued;       /* today */
    /* the dashboard's figures (GET /dashboard totals, DOMAIN 2.6) */
    int64_t total, open, closed, overdue, green, yellow, red;
    double close_rate, on_time_rate, overdue_rate;
    bool has_close_rate, has_on_time_rate, has_overdue_rate;
    /* what happened in the period (events) */
    int64_t period_assigned, period_closed, period_reminded, period_supervised;
    const struct tz_bulletin_unit *units;
    size_t n_units;
    const struct tz_bulletin_red *red_items;
    size_t n_red_items; /* listed */
    int64_t red_total;  /* all red items (the rest are "另有N项") */
    const struct tz_bulletin_ledger *ledgers;
    size_t n_ledgers;
    const struct tz_bulletin_month *months;
    size_t n_months;
};

/* The 督办通知单 of one item. */
struct tz_notice {
    const char *office;      /* 城东区委区政府督查室 */
    const char *number;      /* 城东督办〔2026〕第3号 */
    enum tz_doc_grade grade; /* blue, yellow, red */
    const char *lead_unit;   /* 承办单位 */
    const char *co_units;    /* 配合单位, "" when none */
    const char *leader;      /* 责任领导, "" when none */
    const char *code, *title, *ledger_name;
    const char *problem;      /* 问题摘要: the description */
    const char *requirements; /* 督办事项及要求: the 督办 comments, measures */
    const char *status_text;  /* 当前状态：办理中，进度60%，已逾期3天 */
    int32_t deadline;         /* 办结时限, TZ_DAY_NONE when none */
    int32_t feedback_by;      /* 反馈时限, TZ_DAY_NONE when none */
    int32_t issued;           /* the day the number was given */
};

/*
 * Writes the bulletin as an A4 PDF at path (replaced). *pages_out (may be
 * NULL) gets the page count. 503 "unavailable" when the CJK fonts are not
 * installed (the message says which package), 422 when path cannot be written.
 */
enum tz_status tz_report_bulletin_pdf(const struct tz_bulletin *b, const char *path, int *pages_out,
                                      struct tz_err *err);
/* Writes the notice as a one-page A4 PDF at path. Errors as the bulletin's. */
enum tz_status tz_report_notice_pdf(const struct tz_notice *n, const char *path,
                                    struct tz_err *err);
/* Frees the font map and fontconfig's caches (registered with atexit at the first render). */
void tz_report_shutdown(void);

#endif
