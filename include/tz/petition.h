/*
 * petition.h - the statutory clocks of a petition (信访工作条例; SPEC 3
 * `petition`, DOMAIN 5.2, 5.3, 6.1).
 *
 * A petition carries its deadlines as `clocks: [{name, rule, due}]`, computed
 * from the dates the item knows. Each clock counts from one basis date:
 *
 *   name       rule                 basis                   counted as
 *   告知受理   15日                 received_on             natural days (Art. 23)
 *   异议       5个工作日            received_on             working days (Art. 23 ¶3)
 *   办理期限   60日 / 60日+30日     accepted_on             natural days (Art. 34)
 *   申请复查   30日                 replied_on              natural days (Art. 35)
 *   复查答复   30日                 review_requested_on     natural days (Art. 35)
 *   申请复核   30日                 review_replied_on       natural days (Art. 36)
 *   复核答复   30日                 rereview_requested_on   natural days (Art. 36)
 *
 * Natural-day periods follow the Civil Code (Art. 201, 203): the basis day is
 * not counted, and a last day that is not a working day rolls to the next
 * working day. The 5-working-day objection counts working days after the basis
 * day. "Working day" is the calendar's (weekends, holidays, 调休上班).
 *
 * Only clocks whose basis date is known are produced, always in the order of
 * the table. accepted_on defaults to received_on. One extension (≤ 30 days,
 * Art. 34) may be granted; it turns the handling clock into 90 days from its
 * basis, rolled once at the end. Hearing time (听证), which Art. 36 leaves out
 * of the re-review period, is not modelled.
 *
 * Pure and thread-safe: no I/O, no clock, no globals; the calendar is only read.
 */
#ifndef TZ_PETITION_H
#define TZ_PETITION_H

#include "tz/calendar.h"
#include "tz/err.h"
#include "tz/strbuf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The clocks, in the order they are produced and rendered. */
enum tz_petition_clock_kind {
    TZ_PETITION_CLOCK_NOTICE,           /* 告知受理 */
    TZ_PETITION_CLOCK_OBJECTION,        /* 异议 */
    TZ_PETITION_CLOCK_HANDLING,         /* 办理期限 */
    TZ_PETITION_CLOCK_REVIEW_REQUEST,   /* 申请复查 */
    TZ_PETITION_CLOCK_REVIEW_REPLY,     /* 复查答复 */
    TZ_PETITION_CLOCK_REREVIEW_REQUEST, /* 申请复核 */
    TZ_PETITION_CLOCK_REREVIEW_REPLY,   /* 复核答复 */
    TZ__PETITION_CLOCK_COUNT
};

/* Room for every clock: an output array of this size never overflows. */
#define TZ_PETITION_CLOCK_MAX TZ__PETITION_CLOCK_COUNT

/*
 * The dates a petition knows, as day numbers (tz/date.h), TZ_DAY_NONE when
 * unknown. Fill with tz_petition_dates_init, then set what is known. Every
 * known date lies in years 1900-2999, and the chain below is in order: each
 * known date is on or after the latest known date above it (accepted_on
 * counting as received_on when absent).
 */
struct tz_petition_dates {
    int32_t received_on;           /* 收到 / 登记; required */
    int32_t accepted_on;           /* 受理; TZ_DAY_NONE: received_on */
    int32_t replied_on;            /* 答复 (信访处理意见书) */
    int32_t review_requested_on;   /* 复查申请 received */
    int32_t review_replied_on;     /* 复查意见 issued */
    int32_t rereview_requested_on; /* 复核申请 received */
    bool is_extended;              /* the one extension of Art. 34 was granted */
};

/* One clock. The strings are static and live forever. */
struct tz_petition_clock {
    enum tz_petition_clock_kind kind;
    const char *name;  /* "告知受理" */
    const char *rule;  /* "15日", "5个工作日", "60日", "60日+30日", "30日" */
    const char *basis; /* key of the date counted from: "received_on", "accepted_on", ... */
    int32_t basis_day; /* that date */
    int32_t due;       /* the last day, after rollover */
};

/* Sets every date to TZ_DAY_NONE and is_extended to false. */
void tz_petition_dates_init(struct tz_petition_dates *d);

/*
 * Grants the extension of the handling period (+30 days). Only one is allowed:
 * a second is refused with 422, field "extension", and d is left unchanged.
 */
enum tz_status tz_petition_extend(struct tz_petition_dates *d, struct tz_err *err);

/*
 * Computes the clocks of d with the working days of cal into out (caller's
 * array of TZ_PETITION_CLOCK_MAX) and their count into *n_out. 422 with the
 * field when received_on is missing ("received_on"), a date is outside years
 * 1900-2999, or a date is before one it follows (the later date's key); on
 * failure *n_out is 0. cal must not be NULL (an empty calendar is plain
 * Monday-Friday).
 */
enum tz_status tz_petition_clocks(const struct tz_petition_dates *d, const struct tz_calendar *cal,
                                  struct tz_petition_clock out[TZ_PETITION_CLOCK_MAX],
                                  size_t *n_out, struct tz_err *err);

/*
 * Appends the clocks as SPEC 3's JSON array to sb, compact and in the given
 * order: [{"name":"告知受理","rule":"15日","due":"2026-10-08"},...]; "[]" when
 * n is 0. basis is not rendered.
 */
void tz_petition_clocks_json(struct tz_strbuf *sb, const struct tz_petition_clock *clocks,
                             size_t n);

/* The Chinese name of a clock ("告知受理"), static; "?" for an out-of-range kind. */
const char *tz_petition_clock_name(enum tz_petition_clock_kind kind);

#endif
