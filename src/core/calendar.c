/*
 * calendar.c - the working-day calendar (see calendar.h; SPEC 2.5, DOMAIN 6).
 *
 * DESIGN
 *
 * The calendar keeps only the years that have data, sorted by year. Every other
 * day is a working day exactly when it is Monday-Friday, which needs no storage.
 *
 * A data year holds a prefix count `cum[i]` = working days among its first i days
 * (cum[0] = 0), which is the single source of truth for that year: day i is a
 * working day iff cum[i + 1] > cum[i]. Beside it, the special days (holidays and
 * adjusted working days) are kept sorted with their names, for day_name and for
 * the JSON of the year.
 *
 * Counting works through one monotone function, C(d) = the working days among
 * all days before d, measured from an arbitrary origin:
 *
 *     C(d) = WK(d) + (sum of the adjustments of the data years that end at or before d)
 *            [d inside data year Y: WK(first of Y) + adjustments before Y + cum_Y[d - first]]
 *
 * where WK(d) counts the Monday-Friday days before d in closed form and a year's
 * adjustment is (its working days - its Monday-Friday days), precomputed as a
 * running sum `adj_before` whenever a year is set. So:
 *
 *   - is_workday is a binary search over the data years plus one array read;
 *   - workdays_between(from, to) = C(to + 1) - C(from + 1): O(log years);
 *   - add_workdays(start, n) is the smallest d with C(d + 1) >= C(start + 1) + n,
 *     found by galloping then bisection over C: O(log n * log years);
 *   - add_days_rollover(start, n) = add_workdays(start + n - 1, 1).
 *
 * Day arithmetic is done in int64_t, so no day number (TZ_DAY_NONE included)
 * overflows; results outside int32_t saturate.
 *
 * Invariants: years[] is sorted by year with no duplicates, each year's special
 * days are sorted by day with no duplicates and all lie in that year, and
 * years[i].adj_before is the sum of the adjustments of years[0..i-1]. The
 * builders validate everything before they change anything, so a failed
 * set_year or load_json leaves the calendar as it was. Reads never write, so
 * they are thread-safe once building is over; there are no globals. A NULL
 * calendar reads as one without data (Monday-Friday everywhere).
 *
 * Caps: a year lies in 1900-2999 (the range of tz_date_parse), a list holds at
 * most 366 entries, a name at most NAME_MAX_LEN bytes.
 */
#include "tz/calendar.h"
#include "tz/date.h"
#include "tz/json.h"
#include "tz/strbuf.h"
#include "tz/xalloc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Years a calendar accepts: the range of tz_date_parse. */
#define YEAR_MIN 1900
#define YEAR_MAX 2999
/* Longest name of a special day, in bytes ("国庆节、中秋节调休上班" is 33). */
#define NAME_MAX_LEN 128

enum kind { KIND_PLAIN = 0, KIND_HOLIDAY, KIND_WORKDAY };

struct special {
    int32_t day;
    bool is_holiday;
    char *name; /* owned */
};

struct year {
    int year;
    int32_t first;      /* day number of 1 January */
    int n_days;         /* 365 or 366 */
    int64_t adj_before; /* sum of the adjustments of the data years before this one */
    int64_t adj;        /* working days - Monday-Friday days of this year */
    uint16_t cum[367];  /* cum[i]: working days among the first i days */
    struct special *days;
    size_t n_special;
};

struct tz_calendar {
    struct year *years; /* sorted by year */
    size_t n_years;
};

static int64_t floor_div7(int64_t x)
{
    return x >= 0 ? x / 7 : -((-x + 6) / 7);
}

/* Monday-Friday days before d, counted from Monday 1969-12-29 (day -3). */
static int64_t weekdays_before(int64_t d)
{
    int64_t x = d + 3;
    int64_t q = floor_div7(x);
    int64_t r = x - 7 * q; /* the weekday of d, 0 = Monday */
    return 5 * q + (r < 5 ? r : 5);
}

/* Index of the first data year that ends after d (n_years if none). */
static size_t year_after(const struct tz_calendar *cal, int64_t d)
{
    size_t lo = 0, hi = cal ? cal->n_years : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct year *y = &cal->years[mid];
        if ((int64_t)y->first + y->n_days <= d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The data year that holds day d, or NULL. */
static const struct year *year_of_day(const struct tz_calendar *cal, int64_t d)
{
    size_t i = year_after(cal, d);
    if (cal && i < cal->n_years && cal->years[i].first <= d)
        return &cal->years[i];
    return NULL;
}

static const struct year *year_find(const struct tz_calendar *cal, int year)
{
    size_t lo = 0, hi = cal ? cal->n_years : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cal->years[mid].year < year)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (cal && lo < cal->n_years && cal->years[lo].year == year)
        return &cal->years[lo];
    return NULL;
}

/* C(d): working days before d, from the origin of weekdays_before. */
static int64_t workdays_before(const struct tz_calendar *cal, int64_t d)
{
    size_t i = year_after(cal, d);
    if (cal && i < cal->n_years && cal->years[i].first <= d) {
        const struct year *y = &cal->years[i];
        return weekdays_before(y->first) + y->adj_before + y->cum[d - y->first];
    }
    int64_t adj = 0;
    if (i > 0)
        adj = cal->years[i - 1].adj_before + cal->years[i - 1].adj;
    return weekdays_before(d) + adj;
}

static int32_t saturate32(int64_t v)
{
    if (v > INT32_MAX)
        return INT32_MAX;
    if (v < INT32_MIN)
        return INT32_MIN;
    return (int32_t)v;
}

static void year_release(struct year *y)
{
    for (size_t i = 0; i < y->n_special; i++)
        free(y->days[i].name);
    free(y->days);
    y->days = NULL;
    y->n_special = 0;
}

/* Recomputes every adj_before after the set of years changed. */
static void recompute_adjustments(struct tz_calendar *cal)
{
    int64_t sum = 0;
    for (size_t i = 0; i < cal->n_years; i++) {
        cal->years[i].adj_before = sum;
        sum += cal->years[i].adj;
    }
}

struct tz_calendar *tz_calendar_new(void)
{
    return tz_xcalloc(1, sizeof(struct tz_calendar));
}

void tz_calendar_free(struct tz_calendar *cal)
{
    if (!cal)
        return;
    for (size_t i = 0; i < cal->n_years; i++)
        year_release(&cal->years[i]);
    free(cal->years);
    free(cal);
}

struct tz_calendar *tz_calendar_dup(const struct tz_calendar *cal)
{
    struct tz_calendar *copy = tz_calendar_new();
    if (!cal || cal->n_years == 0)
        return copy;
    copy->years = tz_xcalloc(cal->n_years, sizeof(struct year));
    copy->n_years = cal->n_years;
    for (size_t i = 0; i < cal->n_years; i++) {
        const struct year *src = &cal->years[i];
        struct year *dst = &copy->years[i];
        *dst = *src;
        dst->days = NULL;
        if (src->n_special > 0) {
            dst->days = tz_xcalloc(src->n_special, sizeof(struct special));
            for (size_t k = 0; k < src->n_special; k++) {
                dst->days[k] = src->days[k];
                dst->days[k].name = tz_xstrdup(src->days[k].name);
            }
        }
    }
    return copy;
}

static int special_cmp(const void *a, const void *b)
{
    const struct special *x = a, *y = b;
    return (x->day > y->day) - (x->day < y->day);
}

/*
 * Checks one list of special days against the year and marks them in marks[];
 * a day already marked (a duplicate, or the other list) is refused.
 */
static enum tz_status mark_days(int year, int32_t first, int n_days, const struct tz_cal_day *list,
                                size_t n, enum kind k, const char *field, uint8_t *marks,
                                struct tz_err *err)
{
    char buf[TZ_DATE_BUF];
    if (n > 0 && !list)
        return tz_err_field(err, TZ_EINVAL, field, "'%s' is missing", field);
    if (n > (size_t)n_days)
        return tz_err_field(err, TZ_EINVAL, field, "'%s' has more entries than the year has days",
                            field);
    for (size_t i = 0; i < n; i++) {
        int64_t off = (int64_t)list[i].day - first;
        if (list[i].day == TZ_DAY_NONE || off < 0 || off >= n_days)
            return tz_err_field(err, TZ_EINVAL, field, "'%s' entry %zu is not a date in %d", field,
                                i, year);
        tz_date_format(list[i].day, buf);
        if (list[i].name && strlen(list[i].name) > NAME_MAX_LEN)
            return tz_err_field(err, TZ_EINVAL, field, "'%s' name of %s is longer than %d bytes",
                                field, buf, NAME_MAX_LEN);
        if (marks[off] == k)
            return tz_err_field(err, TZ_EINVAL, field, "'%s' lists %s twice", field, buf);
        if (marks[off] != KIND_PLAIN)
            return tz_err_field(err, TZ_EINVAL, field, "'%s' lists %s, which is also a holiday",
                                field, buf);
        marks[off] = (uint8_t)k;
    }
    return TZ_OK;
}

static void add_specials(struct special *out, size_t *n_out, const struct tz_cal_day *list,
                         size_t n, bool is_holiday)
{
    for (size_t i = 0; i < n; i++) {
        struct special *s = &out[(*n_out)++];
        s->day = list[i].day;
        s->is_holiday = is_holiday;
        s->name = tz_xstrdup(list[i].name ? list[i].name : "");
    }
}

enum tz_status tz_calendar_set_year(struct tz_calendar *cal, int year,
                                    const struct tz_cal_day *holidays, size_t n_holidays,
                                    const struct tz_cal_day *workdays, size_t n_workdays,
                                    struct tz_err *err)
{
    uint8_t marks[366] = {0};
    if (year < YEAR_MIN || year > YEAR_MAX)
        return tz_err_field(err, TZ_EINVAL, "year", "'year' must lie in %d-%d", YEAR_MIN, YEAR_MAX);

    struct year y = {.year = year, .first = tz_date_from_ymd(year, 1, 1)};
    y.n_days = tz_date_is_leap(year) ? 366 : 365;
    enum tz_status st = mark_days(year, y.first, y.n_days, holidays, n_holidays, KIND_HOLIDAY,
                                  "holidays", marks, err);
    if (st != TZ_OK)
        return st;
    st = mark_days(year, y.first, y.n_days, workdays, n_workdays, KIND_WORKDAY, "workdays", marks,
                   err);
    if (st != TZ_OK)
        return st;

    /* Valid: from here on nothing fails. */
    y.cum[0] = 0;
    for (int i = 0; i < y.n_days; i++) {
        bool work = marks[i] == KIND_WORKDAY ||
                    (marks[i] == KIND_PLAIN && tz_date_weekday(y.first + i) < 5);
        y.cum[i + 1] = (uint16_t)(y.cum[i] + work);
    }
    y.adj = (int64_t)y.cum[y.n_days] -
            (weekdays_before((int64_t)y.first + y.n_days) - weekdays_before(y.first));
    y.n_special = 0;
    y.days = NULL;
    if (n_holidays + n_workdays > 0) {
        y.days = tz_xcalloc(n_holidays + n_workdays, sizeof(struct special));
        add_specials(y.days, &y.n_special, holidays, n_holidays, true);
        add_specials(y.days, &y.n_special, workdays, n_workdays, false);
        qsort(y.days, y.n_special, sizeof(struct special), special_cmp);
    }

    size_t i = 0;
    while (i < cal->n_years && cal->years[i].year < year)
        i++;
    if (i < cal->n_years && cal->years[i].year == year) {
        year_release(&cal->years[i]);
    } else {
        cal->years = tz_xrealloc(cal->years, (cal->n_years + 1) * sizeof(struct year));
        memmove(&cal->years[i + 1], &cal->years[i], (cal->n_years - i) * sizeof(struct year));
        cal->n_years++;
    }
    cal->years[i] = y;
    recompute_adjustments(cal);
    tz_err_clear(err);
    return TZ_OK;
}

/*
 * Reads the array `field` of {"date", "name"} objects into a heap array the
 * caller frees (*list_out; names borrowed from root).
 */
static enum tz_status read_days(struct json_object *root, const char *field,
                                struct tz_cal_day **list_out, size_t *n_out, struct tz_err *err)
{
    static const char *const entry_keys[] = {"date", "name", NULL};
    enum tz_status st = TZ_OK;
    struct tz_cal_day *list = NULL;
    struct json_object *arr = NULL;
    size_t n = 0;

    *list_out = NULL;
    *n_out = 0;
    if (!json_object_object_get_ex(root, field, &arr) || !arr) {
        st = tz_err_field(err, TZ_EINVAL, field, "'%s' is required", field);
        goto out;
    }
    if (!json_object_is_type(arr, json_type_array)) {
        st = tz_err_field(err, TZ_EINVAL, field, "'%s' must be an array", field);
        goto out;
    }
    n = json_object_array_length(arr);
    if (n > 366) {
        st = tz_err_field(err, TZ_EINVAL, field, "'%s' has more entries than a year has days",
                          field);
        goto out;
    }
    if (n > 0)
        list = tz_xcalloc(n, sizeof(struct tz_cal_day));
    for (size_t i = 0; i < n; i++) {
        struct json_object *e = json_object_array_get_idx(arr, i);
        bool present = false;
        const char *name = NULL;
        if (!e || !json_object_is_type(e, json_type_object)) {
            st = tz_err_field(err, TZ_EINVAL, field, "'%s' entry %zu must be an object", field, i);
            goto out;
        }
        st = tz_json_only_keys(e, entry_keys, err);
        if (st != TZ_OK)
            goto out;
        st = tz_json_get_date(e, "date", &list[i].day, &present, err);
        if (st != TZ_OK || !present) {
            /* name the list and the entry, not only the inner key */
            st = tz_err_field(err, TZ_EINVAL, field,
                              "'%s' entry %zu: 'date' must be an existing date YYYY-MM-DD", field,
                              i);
            goto out;
        }
        st = tz_json_get_str(e, "name", &name, &present, err);
        if (st != TZ_OK || !present || name[0] == '\0') {
            st = tz_err_field(err, TZ_EINVAL, field,
                              "'%s' entry %zu: 'name' must be a non-empty string", field, i);
            goto out;
        }
        list[i].name = name;
    }
    *list_out = list;
    *n_out = n;
    list = NULL;
out:
    free(list);
    return st;
}

enum tz_status tz_calendar_load_json(struct tz_calendar *cal, const char *json, size_t len,
                                     struct tz_err *err)
{
    static const char *const keys[] = {"year", "holidays", "workdays", "complete", "source", NULL};
    struct tz_cal_day *holidays = NULL, *workdays = NULL;
    size_t n_holidays = 0, n_workdays = 0;
    int64_t year = 0;
    bool present = false, complete = false;
    const char *source = NULL;
    enum tz_status st;

    struct tz_err local;
    if (!err)
        err = &local;
    struct json_object *root = tz_json_parse_object(json, len, err);
    if (!root)
        return err->code;
    st = tz_json_only_keys(root, keys, err);
    if (st != TZ_OK)
        goto out;
    st = tz_json_get_int(root, "year", &year, &present, err);
    if (st != TZ_OK)
        goto out;
    if (!present) {
        st = tz_err_field(err, TZ_EINVAL, "year", "'year' is required");
        goto out;
    }
    if (year < YEAR_MIN || year > YEAR_MAX) {
        st = tz_err_field(err, TZ_EINVAL, "year", "'year' must lie in %d-%d", YEAR_MIN, YEAR_MAX);
        goto out;
    }
    /* "complete" (as GET answers) and "source" (the notice's title) are checked, not kept */
    st = tz_json_get_bool(root, "complete", &complete, &present, err);
    if (st != TZ_OK)
        goto out;
    st = tz_json_get_str(root, "source", &source, &present, err);
    if (st != TZ_OK)
        goto out;
    st = read_days(root, "holidays", &holidays, &n_holidays, err);
    if (st != TZ_OK)
        goto out;
    st = read_days(root, "workdays", &workdays, &n_workdays, err);
    if (st != TZ_OK)
        goto out;
    st = tz_calendar_set_year(cal, (int)year, holidays, n_holidays, workdays, n_workdays, err);
out:
    free(holidays);
    free(workdays);
    json_object_put(root);
    return st;
}

static void add_list_json(struct tz_strbuf *sb, const struct year *y, bool holidays)
{
    char buf[TZ_DATE_BUF];
    bool first = true;
    tz_strbuf_addch(sb, '[');
    for (size_t i = 0; y && i < y->n_special; i++) {
        const struct special *s = &y->days[i];
        if (s->is_holiday != holidays)
            continue;
        tz_strbuf_addstr(sb, first ? "{\"date\":\"" : ",{\"date\":\"");
        tz_strbuf_addstr(sb, tz_date_format(s->day, buf));
        tz_strbuf_addstr(sb, "\",\"name\":");
        tz_strbuf_add_json_str(sb, s->name, strlen(s->name));
        tz_strbuf_addch(sb, '}');
        first = false;
    }
    tz_strbuf_addch(sb, ']');
}

char *tz_calendar_year_json(const struct tz_calendar *cal, int year)
{
    struct tz_strbuf sb = TZ_STRBUF_INIT;
    const struct year *y = year_find(cal, year);
    tz_strbuf_addf(&sb, "{\"year\":%d,\"complete\":%s,\"holidays\":", year, y ? "true" : "false");
    add_list_json(&sb, y, true);
    tz_strbuf_addstr(&sb, ",\"workdays\":");
    add_list_json(&sb, y, false);
    tz_strbuf_addch(&sb, '}');
    return tz_strbuf_detach(&sb, NULL);
}

bool tz_calendar_year_complete(const struct tz_calendar *cal, int year)
{
    return year_find(cal, year) != NULL;
}

bool tz_calendar_is_workday(const struct tz_calendar *cal, int32_t day)
{
    const struct year *y = year_of_day(cal, day);
    if (!y)
        return tz_date_weekday(day) < 5;
    int32_t i = day - y->first;
    return y->cum[i + 1] != y->cum[i];
}

const char *tz_calendar_day_name(const struct tz_calendar *cal, int32_t day)
{
    const struct year *y = year_of_day(cal, day);
    if (!y)
        return NULL;
    size_t lo = 0, hi = y->n_special;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (y->days[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < y->n_special && y->days[lo].day == day)
        return y->days[lo].name;
    return NULL;
}

int32_t tz_calendar_add_workdays(const struct tz_calendar *cal, int32_t start, int n)
{
    if (n <= 0)
        return start;
    const int64_t limit = INT32_MAX;
    int64_t target = workdays_before(cal, (int64_t)start + 1) + n;
    /* Gallop to a day hi with C(hi + 1) >= target; every day in (start, lo] falls short. */
    int64_t lo = start, hi = (int64_t)start + n + n / 2 + 16;
    while (hi < limit && workdays_before(cal, hi + 1) < target) {
        lo = hi;
        hi = start + 2 * (hi - start);
    }
    if (hi >= limit)
        hi = limit;
    /* Bisect for the smallest such day: it is a working day, the nth after start. */
    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        if (workdays_before(cal, mid + 1) >= target)
            hi = mid;
        else
            lo = mid;
    }
    return saturate32(hi);
}

int32_t tz_calendar_add_days_rollover(const struct tz_calendar *cal, int32_t start, int n)
{
    int64_t end = (int64_t)start + n;
    if (end > INT32_MAX || end <= INT32_MIN)
        return saturate32(end);
    /* the first working day on or after end */
    return tz_calendar_add_workdays(cal, (int32_t)(end - 1), 1);
}

int tz_calendar_workdays_between(const struct tz_calendar *cal, int32_t from, int32_t to)
{
    if (to <= from)
        return 0;
    int64_t n = workdays_before(cal, (int64_t)to + 1) - workdays_before(cal, (int64_t)from + 1);
    return n > INT_MAX ? INT_MAX : (int)n;
}
