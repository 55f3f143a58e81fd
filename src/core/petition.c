/*
 * petition.c - the statutory clocks of a petition (see petition.h).
 *
 * DESIGN
 *
 * The clocks are data: one row per clock in `defs` names it, gives its rule
 * text, the key of the date it counts from and how it counts (n natural days
 * with the Civil Code rollover, or n working days). tz_petition_clocks walks
 * the table once, skips a clock whose basis date is unknown, and asks the
 * calendar for the due day, so the order of the output is the order of the
 * table and the rules of the 条例 are read in one place.
 *
 * Two rows are adjusted at run time, both for the handling clock (Art. 34):
 * it counts from received_on when accepted_on is not known, and when the one
 * extension is granted it becomes 90 days ("60日+30日") from the same basis,
 * rolled over once at the end. Rolling the 60th day first and adding 30 to the
 * rolled day would stretch the period by the rest days at day 60, which the
 * 条例 does not grant: the extension lengthens the period, it does not start a
 * new one.
 *
 * Input is checked before anything is computed: received_on is required,
 * every known date lies in years 1900-2999 (the range of tz_date_parse, which
 * also keeps day + 90 + a rollover far from int32 overflow), and the chain
 * received -> accepted -> replied -> review requested -> review replied ->
 * rereview requested is in order among its known dates. A date before its
 * predecessor is a typing error, not a fact about the petition, and would
 * produce a clock that ends before the step it follows could have begun.
 * Missing links are allowed: a backlog case (积案) entered late may know its
 * reply and not its acceptance.
 */
#include "tz/petition.h"

#include "tz/date.h"

#include <string.h>

#define HANDLING_DAYS     60
#define EXTENSION_DAYS    30
#define RULE_HANDLING_EXT "60日+30日"
#define BASIS_RECEIVED    "received_on"
#define FIRST_YEAR        1900
#define LAST_YEAR         2999
#define CHAIN_LEN         6

struct clock_def {
    const char *name;
    const char *rule;
    const char *basis; /* key of the date in struct tz_petition_dates */
    int n;
    bool is_working; /* n working days; otherwise n natural days with rollover */
};

static const struct clock_def defs[TZ__PETITION_CLOCK_COUNT] = {
    [TZ_PETITION_CLOCK_NOTICE] = {"告知受理", "15日", BASIS_RECEIVED, 15, false},
    [TZ_PETITION_CLOCK_OBJECTION] = {"异议", "5个工作日", BASIS_RECEIVED, 5, true},
    [TZ_PETITION_CLOCK_HANDLING] = {"办理期限", "60日", "accepted_on", HANDLING_DAYS, false},
    [TZ_PETITION_CLOCK_REVIEW_REQUEST] = {"申请复查", "30日", "replied_on", 30, false},
    [TZ_PETITION_CLOCK_REVIEW_REPLY] = {"复查答复", "30日", "review_requested_on", 30, false},
    [TZ_PETITION_CLOCK_REREVIEW_REQUEST] = {"申请复核", "30日", "review_replied_on", 30, false},
    [TZ_PETITION_CLOCK_REREVIEW_REPLY] = {"复核答复", "30日", "rereview_requested_on", 30, false},
};

_Static_assert(sizeof(defs) / sizeof(defs[0]) == TZ__PETITION_CLOCK_COUNT,
               "one row per petition clock");

/* One link of the chain of dates, in the order the steps happen. */
struct link {
    const char *key;
    int32_t day;
};

/* The dates in chain order (an absent accepted_on is skipped, as received_on stands in); returns
 * the count. */
static size_t chain_of(const struct tz_petition_dates *d, struct link chain[CHAIN_LEN])
{
    chain[0] = (struct link){BASIS_RECEIVED, d->received_on};
    chain[1] = (struct link){"accepted_on", d->accepted_on};
    chain[2] = (struct link){"replied_on", d->replied_on};
    chain[3] = (struct link){"review_requested_on", d->review_requested_on};
    chain[4] = (struct link){"review_replied_on", d->review_replied_on};
    chain[5] = (struct link){"rereview_requested_on", d->rereview_requested_on};
    return CHAIN_LEN;
}

static enum tz_status check_dates(const struct tz_petition_dates *d, struct tz_err *err)
{
    struct link chain[CHAIN_LEN];
    size_t n = chain_of(d, chain);
    int32_t lo = tz_date_from_ymd(FIRST_YEAR, 1, 1);
    int32_t hi = tz_date_from_ymd(LAST_YEAR, 12, 31);
    const struct link *prev = NULL;
    char a[TZ_DATE_BUF], b[TZ_DATE_BUF];

    if (d->received_on == TZ_DAY_NONE)
        return tz_err_field(err, TZ_EINVAL, BASIS_RECEIVED, "'received_on' is required");
    for (size_t i = 0; i < n; i++) {
        const struct link *l = &chain[i];
        if (l->day == TZ_DAY_NONE)
            continue;
        if (l->day < lo || l->day > hi)
            return tz_err_field(err, TZ_EINVAL, l->key, "'%s' must be a date in years %d-%d",
                                l->key, FIRST_YEAR, LAST_YEAR);
        if (prev && l->day < prev->day)
            return tz_err_field(err, TZ_EINVAL, l->key, "'%s' (%s) is before '%s' (%s)", l->key,
                                tz_date_format(l->day, a), prev->key, tz_date_format(prev->day, b));
        prev = l;
    }
    return TZ_OK;
}

void tz_petition_dates_init(struct tz_petition_dates *d)
{
    *d = (struct tz_petition_dates){
        .received_on = TZ_DAY_NONE,
        .accepted_on = TZ_DAY_NONE,
        .replied_on = TZ_DAY_NONE,
        .review_requested_on = TZ_DAY_NONE,
        .review_replied_on = TZ_DAY_NONE,
        .rereview_requested_on = TZ_DAY_NONE,
        .is_extended = false,
    };
}

enum tz_status tz_petition_extend(struct tz_petition_dates *d, struct tz_err *err)
{
    if (!d)
        return tz_err_set(err, TZ_EINTERNAL, "petition dates missing");
    if (d->is_extended)
        return tz_err_field(err, TZ_EINVAL, "extension",
                            "'extension' was already granted: the handling period may be "
                            "extended once, by at most %d days",
                            EXTENSION_DAYS);
    d->is_extended = true;
    return TZ_OK;
}

/* The basis day of a clock, TZ_DAY_NONE when unknown; *key_out names it. */
static int32_t basis_of(const struct tz_petition_dates *d, enum tz_petition_clock_kind k,
                        const char **key_out)
{
    *key_out = defs[k].basis;
    switch (k) {
    case TZ_PETITION_CLOCK_NOTICE:
    case TZ_PETITION_CLOCK_OBJECTION:
        return d->received_on;
    case TZ_PETITION_CLOCK_HANDLING:
        if (d->accepted_on != TZ_DAY_NONE)
            return d->accepted_on;
        *key_out = BASIS_RECEIVED;
        return d->received_on;
    case TZ_PETITION_CLOCK_REVIEW_REQUEST:
        return d->replied_on;
    case TZ_PETITION_CLOCK_REVIEW_REPLY:
        return d->review_requested_on;
    case TZ_PETITION_CLOCK_REREVIEW_REQUEST:
        return d->review_replied_on;
    case TZ_PETITION_CLOCK_REREVIEW_REPLY:
        return d->rereview_requested_on;
    case TZ__PETITION_CLOCK_COUNT:
        break;
    }
    return TZ_DAY_NONE;
}

enum tz_status tz_petition_clocks(const struct tz_petition_dates *d, const struct tz_calendar *cal,
                                  struct tz_petition_clock out[TZ_PETITION_CLOCK_MAX],
                                  size_t *n_out, struct tz_err *err)
{
    enum tz_status st;
    size_t n = 0;

    *n_out = 0;
    if (!d || !cal)
        return tz_err_set(err, TZ_EINTERNAL, "petition dates or calendar missing");
    st = check_dates(d, err);
    if (st != TZ_OK)
        return st;

    for (int i = 0; i < TZ__PETITION_CLOCK_COUNT; i++) {
        enum tz_petition_clock_kind k = (enum tz_petition_clock_kind)i;
        const struct clock_def *def = &defs[k];
        const char *key = NULL;
        int32_t from = basis_of(d, k, &key);
        const char *rule = def->rule;
        int days = def->n;

        if (from == TZ_DAY_NONE)
            continue;
        if (k == TZ_PETITION_CLOCK_HANDLING && d->is_extended) {
            rule = RULE_HANDLING_EXT;
            days += EXTENSION_DAYS;
        }
        out[n++] = (struct tz_petition_clock){
            .kind = k,
            .name = def->name,
            .rule = rule,
            .basis = key,
            .basis_day = from,
            .due = def->is_working ? tz_calendar_add_workdays(cal, from, days)
                                   : tz_calendar_add_days_rollover(cal, from, days),
        };
    }
    *n_out = n;
    return TZ_OK;
}

void tz_petition_clocks_json(struct tz_strbuf *sb, const struct tz_petition_clock *clocks, size_t n)
{
    char due[TZ_DATE_BUF];

    tz_strbuf_addch(sb, '[');
    for (size_t i = 0; i < n; i++) {
        const struct tz_petition_clock *c = &clocks[i];
        if (i > 0)
            tz_strbuf_addch(sb, ',');
        tz_strbuf_addstr(sb, "{\"name\":");
        tz_strbuf_add_json_str(sb, c->name, strlen(c->name));
        tz_strbuf_addstr(sb, ",\"rule\":");
        tz_strbuf_add_json_str(sb, c->rule, strlen(c->rule));
        tz_strbuf_addstr(sb, ",\"due\":");
        tz_date_format(c->due, due);
        tz_strbuf_add_json_str(sb, due, strlen(due));
        tz_strbuf_addch(sb, '}');
    }
    tz_strbuf_addch(sb, ']');
}

const char *tz_petition_clock_name(enum tz_petition_clock_kind kind)
{
    return (unsigned)kind < TZ__PETITION_CLOCK_COUNT ? defs[kind].name : "?";
}
