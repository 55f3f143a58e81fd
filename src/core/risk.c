/*
 * risk.c - LEC and LS risk assessment (see risk.h; DOMAIN 4.3-4.5).
 *
 * DESIGN
 *
 * Everything is integer arithmetic. An LEC factor is held in tenths, so the
 * product l10 * e10 * c10 is D in thousandths (D x 1000), at most
 * 100 * 100 * 1000 = 10^7: no overflow anywhere. D in tenths is that product
 * over 100, rounded half up. Only L in {0.5, 0.2, 0.1} with E = 0.5 and C odd
 * leaves a remainder, and those products are all below 4, so the level of the
 * rounded D is the level of the exact D (the unit test checks this over all
 * 252 combinations).
 *
 * JSON decimals are read from the text json-c kept when it parsed them
 * (json_object_get_string on a double gives the source text), by an exact
 * decimal reader: the digits and the exponent give an integer count of tenths,
 * or the text is refused. The double json-c computed is never used, so 0.1 is
 * one tenth and not 0.1000000000000000055.
 *
 * The levels are one table indexed by level code: name, colour and suggested
 * control level travel together and cannot drift apart. The factor tables
 * carry their own text for the 422 message.
 *
 * Invariants: a filled tz_risk_result always has method, level and the three
 * static strings set consistently; a failed call leaves it zeroed. No globals
 * other than the constant tables, so every function is thread-safe.
 */
#include "tz/risk.h"
#include "tz/json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct level_info {
    const char *name;
    const char *color;
    const char *control;
};

static const struct level_info levels[] = {
    [TZ_RISK_LEVEL_MAJOR] = {.name = "重大", .color = "red", .control = "公司级"},
    [TZ_RISK_LEVEL_LARGER] = {.name = "较大", .color = "orange", .control = "公司级"},
    [TZ_RISK_LEVEL_GENERAL] = {.name = "一般", .color = "yellow", .control = "部门级"},
    [TZ_RISK_LEVEL_LOW] = {.name = "低", .color = "blue", .control = "班组级"},
};
_Static_assert(sizeof(levels) / sizeof(levels[0]) == TZ_RISK_LEVEL_LOW + 1,
               "one row per level code");

/* The allowed values of one factor, in its unit (tenths for LEC, plain for LS). */
struct factor {
    const char *field;
    const int64_t *values;
    size_t n_values;
    const char *allowed; /* for the 422 message */
    bool is_decimal;     /* LEC factors: JSON decimals allowed, values in tenths */
};

static const int64_t lec_l[] = {100, 60, 30, 10, 5, 2, 1};
static const int64_t lec_e[] = {100, 60, 30, 20, 10, 5};
static const int64_t lec_c[] = {1000, 400, 150, 70, 30, 10};
static const int64_t ls_1to5[] = {1, 2, 3, 4, 5};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const struct factor lec_factors[] = {
    {.field = "l",
     .values = lec_l,
     .n_values = N_OF(lec_l),
     .allowed = "10, 6, 3, 1, 0.5, 0.2, 0.1",
     .is_decimal = true},
    {.field = "e",
     .values = lec_e,
     .n_values = N_OF(lec_e),
     .allowed = "10, 6, 3, 2, 1, 0.5",
     .is_decimal = true},
    {.field = "c",
     .values = lec_c,
     .n_values = N_OF(lec_c),
     .allowed = "100, 40, 15, 7, 3, 1",
     .is_decimal = true},
};
_Static_assert(N_OF(lec_factors) == 3, "L, E, C");

static const struct factor ls_factors[] = {
    {.field = "l",
     .values = ls_1to5,
     .n_values = N_OF(ls_1to5),
     .allowed = "1, 2, 3, 4, 5",
     .is_decimal = false},
    {.field = "s",
     .values = ls_1to5,
     .n_values = N_OF(ls_1to5),
     .allowed = "1, 2, 3, 4, 5",
     .is_decimal = false},
};
_Static_assert(N_OF(ls_factors) == 2, "L, S");

/* The keys of a request, per method, for tz_json_only_keys. */
static const char *const lec_keys[] = {"method", "l", "e", "c", NULL};
static const char *const ls_keys[] = {"method", "l", "s", NULL};

/* Largest count of tenths the decimal reader produces: 10^17, far above any factor. */
#define TENTHS_MAX_DIGITS 18
/* Exponents saturate here; any larger one means a number far outside the tables. */
#define EXP_CAP 1000000000000000LL

static bool factor_has(const struct factor *f, int64_t v)
{
    for (size_t i = 0; i < f->n_values; i++) {
        if (f->values[i] == v)
            return true;
    }
    return false;
}

static enum tz_status not_in_table(const struct factor *f, struct tz_err *err)
{
    return tz_err_field(err, TZ_EINVAL, f->field, "'%s' must be one of %s", f->field, f->allowed);
}

static void fill(struct tz_risk_result *out, enum tz_risk_method method, int64_t score,
                 enum tz_risk_level level)
{
    out->method = method;
    out->score = score;
    out->level = level;
    out->level_name = levels[level].name;
    out->color = levels[level].color;
    out->control_level = levels[level].control;
}

/* ---- the methods ------------------------------------------------------------------------ */

enum tz_risk_level tz_risk_lec_level(int64_t d_tenths, const struct tz_risk_rules *rules)
{
    bool upper = rules && rules->is_upper_inclusive;

    if (upper ? d_tenths >= TZ_RISK_LEC_LIMIT_MAJOR : d_tenths > TZ_RISK_LEC_LIMIT_MAJOR)
        return TZ_RISK_LEVEL_MAJOR;
    if (upper ? d_tenths >= TZ_RISK_LEC_LIMIT_LARGER : d_tenths > TZ_RISK_LEC_LIMIT_LARGER)
        return TZ_RISK_LEVEL_LARGER;
    if (upper ? d_tenths >= TZ_RISK_LEC_LIMIT_GENERAL : d_tenths > TZ_RISK_LEC_LIMIT_GENERAL)
        return TZ_RISK_LEVEL_GENERAL;
    return TZ_RISK_LEVEL_LOW;
}

enum tz_risk_level tz_risk_ls_level(int64_t r)
{
    if (r >= 20)
        return TZ_RISK_LEVEL_MAJOR;
    if (r >= 15)
        return TZ_RISK_LEVEL_LARGER;
    if (r >= 9)
        return TZ_RISK_LEVEL_GENERAL;
    return TZ_RISK_LEVEL_LOW;
}

enum tz_status tz_risk_lec(int64_t l10, int64_t e10, int64_t c10, const struct tz_risk_rules *rules,
                           struct tz_risk_result *out, struct tz_err *err)
{
    const int64_t v[3] = {l10, e10, c10};

    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < N_OF(lec_factors); i++) {
        if (!factor_has(&lec_factors[i], v[i]))
            return not_in_table(&lec_factors[i], err);
    }
    /* D in thousandths, then in tenths rounded half up (all operands are positive) */
    int64_t milli = l10 * e10 * c10;
    int64_t tenths = (milli + 50) / 100;
    fill(out, TZ_RISK_METHOD_LEC, tenths, tz_risk_lec_level(tenths, rules));
    return TZ_OK;
}

enum tz_status tz_risk_ls(int64_t l, int64_t s, struct tz_risk_result *out, struct tz_err *err)
{
    memset(out, 0, sizeof(*out));
    if (!factor_has(&ls_factors[0], l))
        return not_in_table(&ls_factors[0], err);
    if (!factor_has(&ls_factors[1], s))
        return not_in_table(&ls_factors[1], err);
    fill(out, TZ_RISK_METHOD_LS, l * s, tz_risk_ls_level(l * s));
    return TZ_OK;
}

/* ---- names and text --------------------------------------------------------------------- */

static bool level_ok(enum tz_risk_level level)
{
    return level >= TZ_RISK_LEVEL_MAJOR && level <= TZ_RISK_LEVEL_LOW;
}

const char *tz_risk_level_name(enum tz_risk_level level)
{
    return level_ok(level) ? levels[level].name : NULL;
}

const char *tz_risk_level_color(enum tz_risk_level level)
{
    return level_ok(level) ? levels[level].color : NULL;
}

const char *tz_risk_level_control(enum tz_risk_level level)
{
    return level_ok(level) ? levels[level].control : NULL;
}

const char *tz_risk_method_name(enum tz_risk_method method)
{
    switch (method) {
    case TZ_RISK_METHOD_LEC:
        return "LEC";
    case TZ_RISK_METHOD_LS:
        return "LS";
    }
    return NULL;
}

const char *tz_risk_score_format(const struct tz_risk_result *res, char *buf, size_t size)
{
    int64_t s = res->score;

    if (size == 0)
        return buf;
    if (res->method != TZ_RISK_METHOD_LEC)
        snprintf(buf, size, "%" PRId64, s);
    else if (s % 10 == 0)
        snprintf(buf, size, "%" PRId64, s / 10);
    else
        snprintf(buf, size, "%s%" PRId64 ".%" PRId64, s < 0 ? "-" : "", (s < 0 ? -s : s) / 10,
                 (s < 0 ? -s : s) % 10);
    return buf;
}

/* ---- JSON ------------------------------------------------------------------------------- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * Reads the decimal text of a JSON number (-?digits[.digits][(e|E)[+-]digits])
 * as an exact count of tenths. False when the text is not such a number, is not
 * a whole count of tenths, or has more than TENTHS_MAX_DIGITS digits of tenths.
 *
 * With the digits d_0..d_{n-1} (integer and fraction parts run together), nfrac
 * of them after the point and exponent x, the value is D x 10^(x - nfrac) where
 * D is the digits as an integer. Leading and trailing zeros of D are dropped
 * (a trailing zero raises the power), leaving k significant digits; the tenths
 * are those digits times 10^shift with shift = x - nfrac + trailing + 1, which
 * must be >= 0 (else there is a finer digit than tenths) and keep k + shift
 * within range.
 */
static bool decimal_tenths(const char *s, int64_t *out)
{
    bool is_neg = false, is_exp_neg = false;
    const char *ip, *fp = NULL;
    size_t nint = 0, nfrac = 0;
    int64_t x = 0;

    if (*s == '-') {
        is_neg = true;
        s++;
    }
    ip = s;
    while (is_digit(*s)) {
        s++;
        nint++;
    }
    if (*s == '.') {
        fp = ++s;
        while (is_digit(*s)) {
            s++;
            nfrac++;
        }
    }
    if (nint == 0)
        return false;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-') {
            is_exp_neg = *s == '-';
            s++;
        }
        if (!is_digit(*s))
            return false;
        for (; is_digit(*s); s++) {
            if (x < EXP_CAP)
                x = x * 10 + (*s - '0');
        }
        if (is_exp_neg)
            x = -x;
    }
    if (*s != '\0')
        return false;

    size_t n = nint + nfrac, first = n, last = 0;
    for (size_t i = 0; i < n; i++) {
        char c = i < nint ? ip[i] : fp[i - nint];
        if (c != '0') {
            if (first == n)
                first = i;
            last = i;
        }
    }
    if (first == n) {
        *out = 0;
        return true;
    }
    int64_t k = (int64_t)(last - first + 1);
    int64_t shift = x - (int64_t)nfrac + (int64_t)(n - 1 - last) + 1;
    if (shift < 0 || k > TENTHS_MAX_DIGITS || shift > TENTHS_MAX_DIGITS - k)
        return false;
    int64_t v = 0;
    for (size_t i = first; i <= last; i++)
        v = v * 10 + ((i < nint ? ip[i] : fp[i - nint]) - '0');
    for (int64_t i = 0; i < shift; i++)
        v *= 10;
    *out = is_neg ? -v : v;
    return true;
}

/* The value of key in obj, or NULL when the key is absent or null. */
static struct json_object *get_present(struct json_object *obj, const char *key)
{
    struct json_object *v = NULL;
    if (!json_object_object_get_ex(obj, key, &v))
        return NULL;
    return v;
}

/* Reads one factor of obj in its unit and checks it against its table. */
static enum tz_status read_factor(struct json_object *obj, const struct factor *f, int64_t *out,
                                  struct tz_err *err)
{
    struct json_object *v = get_present(obj, f->field);
    int64_t val = 0;

    if (!v)
        return tz_err_field(err, TZ_EINVAL, f->field, "'%s' is required", f->field);
    if (json_object_is_type(v, json_type_int)) {
        errno = 0;
        int64_t i = json_object_get_int64(v);
        /* a huge integer is out of every table; keep the multiplication in range */
        if (errno || i > INT64_MAX / 10 || i < INT64_MIN / 10)
            return not_in_table(f, err);
        val = f->is_decimal ? i * 10 : i;
    } else if (json_object_is_type(v, json_type_double)) {
        if (!f->is_decimal)
            return tz_err_field(err, TZ_EINVAL, f->field, "'%s' must be an integer, one of %s",
                                f->field, f->allowed);
        if (!decimal_tenths(json_object_get_string(v), &val))
            return not_in_table(f, err);
    } else {
        return tz_err_field(err, TZ_EINVAL, f->field, "'%s' must be a number, one of %s", f->field,
                            f->allowed);
    }
    if (!factor_has(f, val))
        return not_in_table(f, err);
    *out = val;
    return TZ_OK;
}

/* Reads "method" when present: *m is 0 when it is absent (or null). */
static enum tz_status read_method(struct json_object *obj, enum tz_risk_method *m,
                                  struct tz_err *err)
{
    struct json_object *v = get_present(obj, "method");
    const char *s;

    *m = 0;
    if (!v)
        return TZ_OK;
    s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
    if (s && strcmp(s, "LEC") == 0)
        *m = TZ_RISK_METHOD_LEC;
    else if (s && strcmp(s, "LS") == 0)
        *m = TZ_RISK_METHOD_LS;
    else
        return tz_err_field(err, TZ_EINVAL, "method", "'method' must be \"LEC\" or \"LS\"");
    return TZ_OK;
}

/* Reads the factors of method m from obj and assesses them. */
static enum tz_status assess(struct json_object *obj, enum tz_risk_method m,
                             const struct tz_risk_rules *rules, struct tz_risk_result *out,
                             struct tz_err *err)
{
    int64_t v[3] = {0, 0, 0};
    const struct factor *fs = m == TZ_RISK_METHOD_LEC ? lec_factors : ls_factors;
    size_t n = m == TZ_RISK_METHOD_LEC ? N_OF(lec_factors) : N_OF(ls_factors);
    enum tz_status st;

    for (size_t i = 0; i < n; i++) {
        st = read_factor(obj, &fs[i], &v[i], err);
        if (st != TZ_OK)
            return st;
    }
    if (m == TZ_RISK_METHOD_LEC)
        return tz_risk_lec(v[0], v[1], v[2], rules, out, err);
    return tz_risk_ls(v[0], v[1], out, err);
}

enum tz_status tz_risk_assess_json(struct json_object *req, const struct tz_risk_rules *rules,
                                   struct tz_risk_result *out, struct tz_err *err)
{
    enum tz_risk_method m;
    enum tz_status st;

    memset(out, 0, sizeof(*out));
    if (!json_object_is_type(req, json_type_object)) {
        st = tz_err_set(err, TZ_EBADREQ, "the body must be a JSON object");
        goto out;
    }
    st = read_method(req, &m, err);
    if (st != TZ_OK)
        goto out;
    if (m == 0) {
        st = tz_err_field(err, TZ_EINVAL, "method", "'method' is required: \"LEC\" or \"LS\"");
        goto out;
    }
    st = tz_json_only_keys(req, m == TZ_RISK_METHOD_LEC ? lec_keys : ls_keys, err);
    if (st != TZ_OK)
        goto out;
    st = assess(req, m, rules, out, err);
out:
    if (st != TZ_OK)
        memset(out, 0, sizeof(*out));
    return st;
}

enum tz_status tz_risk_assess_fields(struct json_object *fields, const struct tz_risk_rules *rules,
                                     bool *is_assessed_out, struct tz_risk_result *out,
                                     struct tz_err *err)
{
    enum tz_risk_method m;
    enum tz_status st;
    const char *stray = NULL;
    bool has_l, has_e, has_c, has_s;

    *is_assessed_out = false;
    memset(out, 0, sizeof(*out));
    if (!json_object_is_type(fields, json_type_object))
        return tz_err_field(err, TZ_EINVAL, "fields", "'fields' must be an object");
    st = read_method(fields, &m, err);
    if (st != TZ_OK)
        goto out;
    has_l = get_present(fields, "l") != NULL;
    has_e = get_present(fields, "e") != NULL;
    has_c = get_present(fields, "c") != NULL;
    has_s = get_present(fields, "s") != NULL;
    if (m == 0 && has_s)
        m = TZ_RISK_METHOD_LS;
    else if (m == 0 && (has_l || has_e || has_c))
        m = TZ_RISK_METHOD_LEC;
    if (m == 0)
        goto out; /* not assessed yet */
    if (m == TZ_RISK_METHOD_LEC && has_s)
        stray = "s";
    else if (m == TZ_RISK_METHOD_LS && (has_e || has_c))
        stray = has_e ? "e" : "c";
    if (stray) {
        st = tz_err_field(err, TZ_EINVAL, stray, "'%s' is not a factor of %s", stray,
                          tz_risk_method_name(m));
        goto out;
    }
    st = assess(fields, m, rules, out, err);
    if (st == TZ_OK)
        *is_assessed_out = true;
out:
    if (st != TZ_OK)
        memset(out, 0, sizeof(*out));
    return st;
}

struct json_object *tz_risk_result_json(const struct tz_risk_result *res)
{
    struct json_object *o = json_object_new_object(), *score;
    char buf[TZ_RISK_SCORE_LEN];

    if (!o)
        return NULL;
    tz_risk_score_format(res, buf, sizeof(buf));
    if (res->method == TZ_RISK_METHOD_LEC && res->score % 10 != 0)
        score = json_object_new_double_s((double)res->score / 10.0, buf);
    else
        score =
            json_object_new_int64(res->method == TZ_RISK_METHOD_LEC ? res->score / 10 : res->score);
    json_object_object_add(o, "score", score);
    json_object_object_add(o, "level",
                           json_object_new_string(res->level_name ? res->level_name : ""));
    json_object_object_add(o, "color", json_object_new_string(res->color ? res->color : ""));
    json_object_object_add(o, "level_code", json_object_new_int((int)res->level));
    json_object_object_add(o, "method",
                           json_object_new_string(tz_risk_method_name(res->method)
                                                      ? tz_risk_method_name(res->method)
                                                      : ""));
    json_object_object_add(o, "control_level",
                           json_object_new_string(res->control_level ? res->control_level : ""));
    return o;
}
