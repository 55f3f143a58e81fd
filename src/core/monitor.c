/*
 * monitor.c - water class, section compliance and AQI bands (see monitor.h;
 * SPEC 3 `eco_problem`, DOMAIN 10.2).
 *
 * DESIGN
 *
 * Everything is integers in thousandths. The limits of GB 3838-2002 have at
 * most three decimals (TP 0.025 for lakes), so a limit is an exact int64_t and
 * "a value equal to a limit meets it" is an exact comparison. Text is parsed
 * digit by digit into thousandths and refused when it would need rounding;
 * only the double entry point rounds, because a double cannot say which
 * decimal it meant.
 *
 * The limits are one table, indexed [item][body][class - 1], with -1 for "no
 * limit" (TN in a river; pH, whose rule is the range 6-9 and lives in code).
 * An item's class is found by walking the classes from Ⅰ to Ⅴ and taking the
 * first limit the value meets, so a limit shared by two classes (COD 15, BOD5
 * 3 for Ⅰ and Ⅱ) goes to the better one without a special case.
 *
 * 超标倍数 = (value - limit) / limit is rounded half up to thousandths with
 * integer arithmetic: (2 * 1000 * (value - limit) + limit) / (2 * limit). The
 * caps (value <= 10^9 thousandths) keep every product far inside int64_t.
 *
 * Invariants: no globals other than const tables; no allocation; every
 * out-parameter is zeroed on failure. Thread-safe.
 */
#include "tz/monitor.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define N_CLASSES 5
#define NO_LIMIT  (-1)

_Static_assert(TZ_MONITOR_ITEM_PH + 1 == TZ_MONITOR_N_ITEMS, "items and their count");

struct item_info {
    const char *code;
    const char *symbol;
    const char *name;
    bool is_lower_bound; /* DO: the value must be >= the limit */
};

static const struct item_info items[TZ_MONITOR_N_ITEMS] = {
    [TZ_MONITOR_ITEM_DO] = {"do", "DO", "溶解氧", true},
    [TZ_MONITOR_ITEM_COD_MN] = {"cod_mn", "COD_Mn", "高锰酸盐指数", false},
    [TZ_MONITOR_ITEM_COD] = {"cod", "COD", "化学需氧量", false},
    [TZ_MONITOR_ITEM_BOD5] = {"bod5", "BOD5", "五日生化需氧量", false},
    [TZ_MONITOR_ITEM_NH3_N] = {"nh3_n", "NH3-N", "氨氮", false},
    [TZ_MONITOR_ITEM_TP] = {"tp", "TP", "总磷", false},
    [TZ_MONITOR_ITEM_TN] = {"tn", "TN", "总氮", false},
    [TZ_MONITOR_ITEM_PH] = {"ph", "pH", "pH值", false},
};

/* GB 3838-2002 Table 1, in thousandths: [item][body - 1][class - 1]. */
static const int64_t limits[TZ_MONITOR_N_ITEMS][2][N_CLASSES] = {
    [TZ_MONITOR_ITEM_DO] = {{7500, 6000, 5000, 3000, 2000}, {7500, 6000, 5000, 3000, 2000}},
    [TZ_MONITOR_ITEM_COD_MN] = {{2000, 4000, 6000, 10000, 15000}, {2000, 4000, 6000, 10000, 15000}},
    [TZ_MONITOR_ITEM_COD] = {{15000, 15000, 20000, 30000, 40000},
                             {15000, 15000, 20000, 30000, 40000}},
    [TZ_MONITOR_ITEM_BOD5] = {{3000, 3000, 4000, 6000, 10000}, {3000, 3000, 4000, 6000, 10000}},
    [TZ_MONITOR_ITEM_NH3_N] = {{150, 500, 1000, 1500, 2000}, {150, 500, 1000, 1500, 2000}},
    [TZ_MONITOR_ITEM_TP] = {{20, 100, 200, 300, 400}, {10, 25, 50, 100, 200}},
    [TZ_MONITOR_ITEM_TN] = {{NO_LIMIT, NO_LIMIT, NO_LIMIT, NO_LIMIT, NO_LIMIT},
                            {200, 500, 1000, 1500, 2000}},
    [TZ_MONITOR_ITEM_PH] = {{NO_LIMIT, NO_LIMIT, NO_LIMIT, NO_LIMIT, NO_LIMIT},
                            {NO_LIMIT, NO_LIMIT, NO_LIMIT, NO_LIMIT, NO_LIMIT}},
};

/* Other spellings of the ASCII codes, after normalisation (lower case, '-' as '_'). */
static const struct {
    const char *alias;
    enum tz_monitor_item item;
} item_aliases[] = {
    {"codmn", TZ_MONITOR_ITEM_COD_MN},
    {"nh3n", TZ_MONITOR_ITEM_NH3_N},
    {"cod_cr", TZ_MONITOR_ITEM_COD},
    {"codcr", TZ_MONITOR_ITEM_COD},
};

static const char *const class_labels[] = {
    [TZ_MONITOR_CLASS_I] = "Ⅰ类",   [TZ_MONITOR_CLASS_II] = "Ⅱ类",
    [TZ_MONITOR_CLASS_III] = "Ⅲ类", [TZ_MONITOR_CLASS_IV] = "Ⅳ类",
    [TZ_MONITOR_CLASS_V] = "Ⅴ类",   [TZ_MONITOR_CLASS_WORSE_V] = "劣Ⅴ类",
};

/* Every accepted spelling of a class (tz_monitor_class_parse). */
static const struct {
    const char *text;
    enum tz_monitor_class cls;
} class_spellings[] = {
    {"Ⅰ类", TZ_MONITOR_CLASS_I},       {"Ⅰ", TZ_MONITOR_CLASS_I},
    {"I类", TZ_MONITOR_CLASS_I},       {"I", TZ_MONITOR_CLASS_I},
    {"1", TZ_MONITOR_CLASS_I},         {"Ⅱ类", TZ_MONITOR_CLASS_II},
    {"Ⅱ", TZ_MONITOR_CLASS_II},        {"II类", TZ_MONITOR_CLASS_II},
    {"II", TZ_MONITOR_CLASS_II},       {"2", TZ_MONITOR_CLASS_II},
    {"Ⅲ类", TZ_MONITOR_CLASS_III},     {"Ⅲ", TZ_MONITOR_CLASS_III},
    {"III类", TZ_MONITOR_CLASS_III},   {"III", TZ_MONITOR_CLASS_III},
    {"3", TZ_MONITOR_CLASS_III},       {"Ⅳ类", TZ_MONITOR_CLASS_IV},
    {"Ⅳ", TZ_MONITOR_CLASS_IV},        {"IV类", TZ_MONITOR_CLASS_IV},
    {"IV", TZ_MONITOR_CLASS_IV},       {"4", TZ_MONITOR_CLASS_IV},
    {"Ⅴ类", TZ_MONITOR_CLASS_V},       {"Ⅴ", TZ_MONITOR_CLASS_V},
    {"V类", TZ_MONITOR_CLASS_V},       {"V", TZ_MONITOR_CLASS_V},
    {"5", TZ_MONITOR_CLASS_V},         {"劣Ⅴ类", TZ_MONITOR_CLASS_WORSE_V},
    {"劣Ⅴ", TZ_MONITOR_CLASS_WORSE_V}, {"劣V类", TZ_MONITOR_CLASS_WORSE_V},
    {"劣V", TZ_MONITOR_CLASS_WORSE_V}, {"6", TZ_MONITOR_CLASS_WORSE_V},
};

static const struct {
    const char *text;
    enum tz_monitor_body body;
} body_spellings[] = {
    {"river", TZ_MONITOR_BODY_RIVER},    {"河流", TZ_MONITOR_BODY_RIVER},
    {"河", TZ_MONITOR_BODY_RIVER},       {"lake", TZ_MONITOR_BODY_LAKE},
    {"reservoir", TZ_MONITOR_BODY_LAKE}, {"湖库", TZ_MONITOR_BODY_LAKE},
    {"湖泊", TZ_MONITOR_BODY_LAKE},      {"水库", TZ_MONITOR_BODY_LAKE},
};

/* HJ 633-2012 Tables 1 and 2. */
static const struct tz_monitor_aqi_band aqi_bands[] = {
    {1, 0, 50, "一级", "优", "green", "绿色", "#00e400"},
    {2, 51, 100, "二级", "良", "yellow", "黄色", "#ffff00"},
    {3, 101, 150, "三级", "轻度污染", "orange", "橙色", "#ff7e00"},
    {4, 151, 200, "四级", "中度污染", "red", "红色", "#ff0000"},
    {5, 201, 300, "五级", "重度污染", "purple", "紫色", "#99004c"},
    {6, 301, 500, "六级", "严重污染", "maroon", "褐红色", "#7e0023"},
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

_Static_assert(N_OF(class_labels) == TZ_MONITOR_CLASS_WORSE_V + 1, "a label for every class");
_Static_assert(N_OF(aqi_bands) == 6, "six AQI bands");

static bool is_item(enum tz_monitor_item item)
{
    return (int)item >= 0 && (int)item < TZ_MONITOR_N_ITEMS;
}

static bool is_body(enum tz_monitor_body body)
{
    return body == TZ_MONITOR_BODY_RIVER || body == TZ_MONITOR_BODY_LAKE;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Lower-cases ASCII and reads '-' as '_' into buf; false when name is too long for it. */
static bool normalise(const char *name, char *buf, size_t size)
{
    size_t i;

    for (i = 0; name[i] != '\0'; i++) {
        char c = name[i];

        if (i + 1 >= size) {
            return false;
        }
        if (c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
        } else if (c == '-') {
            c = '_';
        }
        buf[i] = c;
    }
    buf[i] = '\0';
    return true;
}

/* ---- items, classes, bodies ---------------------------------------------------------------- */

enum tz_status tz_monitor_item_parse(const char *name, enum tz_monitor_item *out,
                                     struct tz_err *err)
{
    char norm[32];

    if (name == NULL) {
        return tz_err_field(err, TZ_EINVAL, "item", "water quality item is missing");
    }
    if (normalise(name, norm, sizeof(norm))) {
        for (int i = 0; i < TZ_MONITOR_N_ITEMS; i++) {
            if (strcmp(norm, items[i].code) == 0 || strcmp(name, items[i].name) == 0) {
                *out = (enum tz_monitor_item)i;
                return TZ_OK;
            }
        }
        for (size_t i = 0; i < N_OF(item_aliases); i++) {
            if (strcmp(norm, item_aliases[i].alias) == 0) {
                *out = item_aliases[i].item;
                return TZ_OK;
            }
        }
    }
    return tz_err_field(err, TZ_EINVAL, name, "unknown water quality item '%.63s'", name);
}

const char *tz_monitor_item_code(enum tz_monitor_item item)
{
    return is_item(item) ? items[item].code : NULL;
}

const char *tz_monitor_item_symbol(enum tz_monitor_item item)
{
    return is_item(item) ? items[item].symbol : NULL;
}

const char *tz_monitor_item_name(enum tz_monitor_item item)
{
    return is_item(item) ? items[item].name : NULL;
}

int64_t tz_monitor_limit(enum tz_monitor_item item, enum tz_monitor_body body,
                         enum tz_monitor_class cls)
{
    if (!is_item(item) || !is_body(body) || cls < TZ_MONITOR_CLASS_I || cls > TZ_MONITOR_CLASS_V) {
        return NO_LIMIT;
    }
    return limits[item][body - 1][cls - 1];
}

enum tz_monitor_class tz_monitor_item_class(enum tz_monitor_item item, enum tz_monitor_body body,
                                            int64_t milli)
{
    if (!is_item(item) || !is_body(body)) {
        return TZ_MONITOR_CLASS_NONE;
    }
    if (item == TZ_MONITOR_ITEM_PH) {
        bool is_inside = milli >= TZ_MONITOR_PH_LOW && milli <= TZ_MONITOR_PH_HIGH;
        return is_inside ? TZ_MONITOR_CLASS_I : TZ_MONITOR_CLASS_WORSE_V;
    }
    if (limits[item][body - 1][0] == NO_LIMIT) {
        return TZ_MONITOR_CLASS_NONE;
    }
    for (int c = 0; c < N_CLASSES; c++) {
        int64_t lim = limits[item][body - 1][c];
        bool is_met = items[item].is_lower_bound ? milli >= lim : milli <= lim;

        if (is_met) {
            return (enum tz_monitor_class)(c + 1);
        }
    }
    return TZ_MONITOR_CLASS_WORSE_V;
}

const char *tz_monitor_class_label(enum tz_monitor_class cls)
{
    if (cls < TZ_MONITOR_CLASS_I || cls > TZ_MONITOR_CLASS_WORSE_V) {
        return NULL;
    }
    return class_labels[cls];
}

enum tz_status tz_monitor_class_parse(const char *text, enum tz_monitor_class *out,
                                      struct tz_err *err)
{
    if (text != NULL) {
        for (size_t i = 0; i < N_OF(class_spellings); i++) {
            if (strcmp(text, class_spellings[i].text) == 0) {
                *out = class_spellings[i].cls;
                return TZ_OK;
            }
        }
    }
    return tz_err_field(err, TZ_EINVAL, "class", "'class' must be a water class (Ⅰ类..劣Ⅴ类)");
}

enum tz_status tz_monitor_body_parse(const char *text, enum tz_monitor_body *out,
                                     struct tz_err *err)
{
    char norm[16];

    if (text != NULL && normalise(text, norm, sizeof(norm))) {
        for (size_t i = 0; i < N_OF(body_spellings); i++) {
            if (strcmp(norm, body_spellings[i].text) == 0) {
                *out = body_spellings[i].body;
                return TZ_OK;
            }
        }
    }
    return tz_err_field(err, TZ_EINVAL, "water_body",
                        "'water_body' must be river (河流) or lake (湖库)");
}

const char *tz_monitor_body_code(enum tz_monitor_body body)
{
    if (!is_body(body)) {
        return NULL;
    }
    return body == TZ_MONITOR_BODY_RIVER ? "river" : "lake";
}

const char *tz_monitor_body_label(enum tz_monitor_body body)
{
    if (!is_body(body)) {
        return NULL;
    }
    return body == TZ_MONITOR_BODY_RIVER ? "河流" : "湖库";
}

/* ---- values -------------------------------------------------------------------------------- */

enum tz_status tz_monitor_milli_parse(const char *text, const char *field, int64_t *out,
                                      struct tz_err *err)
{
    const char *f = field != NULL ? field : "";
    const char *p = text;
    const char *int_digits;
    const char *frac_digits = "";
    size_t n_int;
    size_t n_frac = 0;
    size_t n;
    size_t len = 0;
    long exp = 0;
    long shift;
    bool is_neg = false;
    bool is_zero = true;
    int64_t acc = 0;

    *out = 0;
    if (text == NULL) {
        return tz_err_field(err, TZ_EINVAL, f, "'%s' must be a decimal number", f);
    }
    while (text[len] != '\0' && len <= TZ_MONITOR_TEXT_MAX) {
        len++;
    }
    if (len > TZ_MONITOR_TEXT_MAX) {
        return tz_err_field(err, TZ_EINVAL, f, "'%s' is longer than %d bytes", f,
                            TZ_MONITOR_TEXT_MAX);
    }
    if (*p == '-') {
        is_neg = true;
        p++;
    }
    int_digits = p;
    while (is_digit(*p)) {
        p++;
    }
    n_int = (size_t)(p - int_digits);
    if (*p == '.') {
        p++;
        frac_digits = p;
        while (is_digit(*p)) {
            p++;
        }
        n_frac = (size_t)(p - frac_digits);
    }
    if (n_int + n_frac == 0) {
        return tz_err_field(err, TZ_EINVAL, f, "'%s' must be a decimal number", f);
    }
    if (*p == 'e' || *p == 'E') {
        bool is_exp_neg = false;

        p++;
        if (*p == '+' || *p == '-') {
            is_exp_neg = *p == '-';
            p++;
        }
        if (!is_digit(*p)) {
            return tz_err_field(err, TZ_EINVAL, f, "'%s' must be a decimal number", f);
        }
        for (; is_digit(*p); p++) {
            if (exp < 100000) {
                exp = exp * 10 + (*p - '0');
            }
        }
        if (is_exp_neg) {
            exp = -exp;
        }
    }
    if (*p != '\0') {
        return tz_err_field(err, TZ_EINVAL, f, "'%s' must be a decimal number", f);
    }

    /* The digits D, read in order, make value = D * 10^(exp - n_frac) = D * 10^(shift - 3). */
    n = n_int + n_frac;
    shift = exp - (long)n_frac + 3;
    for (size_t i = 0; i < n; i++) {
        if ((i < n_int ? int_digits[i] : frac_digits[i - n_int]) != '0') {
            is_zero = false;
        }
    }
    if (is_neg && !is_zero) {
        return tz_err_field(err, TZ_EINVAL, f, "'%s' must not be negative", f);
    }
    for (size_t i = 0; i < n; i++) {
        int d = (i < n_int ? int_digits[i] : frac_digits[i - n_int]) - '0';

        if (shift < 0 && (long)i >= (long)n + shift) {
            if (d != 0) {
                return tz_err_field(err, TZ_EINVAL, f, "'%s' has more than three decimals", f);
            }
            continue;
        }
        acc = acc * 10 + d;
        if (acc > TZ_MONITOR_VALUE_MAX) {
            return tz_err_field(err, TZ_EINVAL, f, "'%s' is too large", f);
        }
    }
    for (long k = 0; k < shift && acc != 0; k++) {
        acc *= 10;
        if (acc > TZ_MONITOR_VALUE_MAX) {
            return tz_err_field(err, TZ_EINVAL, f, "'%s' is too large", f);
        }
    }
    *out = acc;
    return TZ_OK;
}

const char *tz_monitor_milli_format(int64_t milli, char *buf, size_t size)
{
    uint64_t mag = milli < 0 ? 0 - (uint64_t)milli : (uint64_t)milli;
    unsigned frac = (unsigned)(mag % 1000);
    char digits[4];
    int n_frac = 3;

    if (size == 0) {
        return buf;
    }
    if (frac == 0) {
        snprintf(buf, size, "%s%llu", milli < 0 ? "-" : "", (unsigned long long)(mag / 1000));
        return buf;
    }
    snprintf(digits, sizeof(digits), "%03u", frac);
    while (digits[n_frac - 1] == '0') {
        n_frac--;
    }
    snprintf(buf, size, "%s%llu.%.*s", milli < 0 ? "-" : "", (unsigned long long)(mag / 1000),
             n_frac, digits);
    return buf;
}

/* ---- a water sample ------------------------------------------------------------------------ */

void tz_monitor_sample_init(struct tz_monitor_sample *s)
{
    memset(s, 0, sizeof(*s));
}

/* Checks one value of an item: 422 naming the item's code when out of range. */
static enum tz_status check_value(enum tz_monitor_item item, int64_t milli, struct tz_err *err)
{
    const char *code = items[item].code;

    if (milli < 0) {
        return tz_err_field(err, TZ_EINVAL, code, "'%s' must not be negative", code);
    }
    if (item == TZ_MONITOR_ITEM_PH && milli > TZ_MONITOR_PH_MAX) {
        return tz_err_field(err, TZ_EINVAL, code, "'%s' must be at most 14", code);
    }
    if (milli > TZ_MONITOR_VALUE_MAX) {
        return tz_err_field(err, TZ_EINVAL, code, "'%s' is too large", code);
    }
    return TZ_OK;
}

enum tz_status tz_monitor_sample_set(struct tz_monitor_sample *s, enum tz_monitor_item item,
                                     int64_t milli, struct tz_err *err)
{
    enum tz_status st;

    if (!is_item(item)) {
        return tz_err_field(err, TZ_EINVAL, "item", "unknown water quality item %d", (int)item);
    }
    st = check_value(item, milli, err);
    if (st != TZ_OK) {
        return st;
    }
    s->has |= 1u << item;
    s->milli[item] = milli;
    return TZ_OK;
}

enum tz_status tz_monitor_sample_set_text(struct tz_monitor_sample *s, const char *item,
                                          const char *value, struct tz_err *err)
{
    enum tz_monitor_item it;
    int64_t milli;
    enum tz_status st;

    st = tz_monitor_item_parse(item, &it, err);
    if (st != TZ_OK) {
        return st;
    }
    st = tz_monitor_milli_parse(value, items[it].code, &milli, err);
    if (st != TZ_OK) {
        return st;
    }
    return tz_monitor_sample_set(s, it, milli, err);
}

enum tz_status tz_monitor_sample_set_double(struct tz_monitor_sample *s, const char *item,
                                            double value, struct tz_err *err)
{
    enum tz_monitor_item it;
    const char *code;
    double scaled;
    enum tz_status st;

    st = tz_monitor_item_parse(item, &it, err);
    if (st != TZ_OK) {
        return st;
    }
    code = items[it].code;
    if (isnan(value) || isinf(value)) {
        return tz_err_field(err, TZ_EINVAL, code, "'%s' must be a finite number", code);
    }
    if (value < 0) {
        return tz_err_field(err, TZ_EINVAL, code, "'%s' must not be negative", code);
    }
    scaled = value * 1000.0 + 0.5;
    if (scaled >= (double)TZ_MONITOR_VALUE_MAX + 1.0) {
        return tz_err_field(err, TZ_EINVAL, code, "'%s' is too large", code);
    }
    return tz_monitor_sample_set(s, it, (int64_t)scaled, err);
}

enum tz_status tz_monitor_water_eval(const struct tz_monitor_sample *s, enum tz_monitor_body body,
                                     struct tz_monitor_water_result *out, struct tz_err *err)
{
    enum tz_status st = TZ_OK;

    memset(out, 0, sizeof(*out));
    if (!is_body(body)) {
        return tz_err_field(err, TZ_EINVAL, "water_body",
                            "'water_body' must be river (河流) or lake (湖库)");
    }
    for (int i = 0; i < TZ_MONITOR_N_ITEMS; i++) {
        enum tz_monitor_class c;

        if ((s->has & (1u << i)) == 0) {
            continue;
        }
        st = check_value((enum tz_monitor_item)i, s->milli[i], err);
        if (st != TZ_OK) {
            goto out;
        }
        c = tz_monitor_item_class((enum tz_monitor_item)i, body, s->milli[i]);
        if (c == TZ_MONITOR_CLASS_NONE) {
            continue;
        }
        out->item_class[i] = c;
        out->evaluated |= 1u << i;
        if (c > out->cls) {
            out->cls = c;
        }
    }
    if (out->evaluated == 0) {
        st = tz_err_field(err, TZ_EINVAL, "items",
                          "the sample has no item to evaluate for a %s (TN counts only for lakes)",
                          tz_monitor_body_label(body));
        goto out;
    }
    for (int i = 0; i < TZ_MONITOR_N_ITEMS; i++) {
        if (out->item_class[i] == out->cls) {
            out->deciding |= 1u << i;
        }
    }
out:
    if (st != TZ_OK) {
        memset(out, 0, sizeof(*out));
    }
    return st;
}

/* Sort order of 超标因子: worse class first, then larger multiple, then item order. */
static bool factor_before(const struct tz_monitor_factor *a, const struct tz_monitor_factor *b)
{
    if (a->item_class != b->item_class) {
        return a->item_class > b->item_class;
    }
    if (a->multiple_milli != b->multiple_milli) {
        return a->multiple_milli > b->multiple_milli;
    }
    return a->item < b->item;
}

enum tz_status tz_monitor_water_exceed(const struct tz_monitor_sample *s, enum tz_monitor_body body,
                                       enum tz_monitor_class target, struct tz_monitor_exceed *out,
                                       struct tz_err *err)
{
    struct tz_monitor_water_result res;
    enum tz_status st;

    memset(out, 0, sizeof(*out));
    if (target < TZ_MONITOR_CLASS_I || target > TZ_MONITOR_CLASS_V) {
        return tz_err_field(err, TZ_EINVAL, "target", "'target' must be a class from Ⅰ类 to Ⅴ类");
    }
    st = tz_monitor_water_eval(s, body, &res, err);
    if (st != TZ_OK) {
        return st;
    }
    out->target = target;
    for (int i = 0; i < TZ_MONITOR_N_ITEMS; i++) {
        struct tz_monitor_factor fac = {0};
        enum tz_monitor_item item = (enum tz_monitor_item)i;
        size_t j;

        if (res.item_class[i] <= target) {
            continue; /* complies, or not evaluated (NONE is 0) */
        }
        fac.item = item;
        fac.item_class = res.item_class[i];
        fac.value_milli = s->milli[i];
        if (item == TZ_MONITOR_ITEM_PH) {
            fac.limit_milli =
                s->milli[i] < TZ_MONITOR_PH_LOW ? TZ_MONITOR_PH_LOW : TZ_MONITOR_PH_HIGH;
        } else {
            fac.limit_milli = limits[item][body - 1][target - 1];
        }
        if (item != TZ_MONITOR_ITEM_PH && !items[item].is_lower_bound) {
            int64_t lim = fac.limit_milli;

            fac.has_multiple = true;
            fac.multiple_milli = (2 * 1000 * (fac.value_milli - lim) + lim) / (2 * lim);
        }
        /* insertion into the sorted list */
        for (j = out->n; j > 0 && factor_before(&fac, &out->f[j - 1]); j--) {
            out->f[j] = out->f[j - 1];
        }
        out->f[j] = fac;
        out->n++;
    }
    return TZ_OK;
}

bool tz_monitor_complies(enum tz_monitor_class cls, enum tz_monitor_class target)
{
    if (cls < TZ_MONITOR_CLASS_I || cls > TZ_MONITOR_CLASS_WORSE_V) {
        return false;
    }
    if (target < TZ_MONITOR_CLASS_I || target > TZ_MONITOR_CLASS_V) {
        return false;
    }
    return cls <= target;
}

/* ---- air ----------------------------------------------------------------------------------- */

enum tz_status tz_monitor_aqi_band(int aqi, struct tz_monitor_aqi_band *out, struct tz_err *err)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < N_OF(aqi_bands); i++) {
        if (aqi >= aqi_bands[i].low && aqi <= aqi_bands[i].high) {
            *out = aqi_bands[i];
            return TZ_OK;
        }
    }
    return tz_err_field(err, TZ_EINVAL, "aqi", "'aqi' must be an integer from 0 to 500");
}

enum tz_status tz_monitor_aqi_good_ratio(const int *aqi, size_t n,
                                         struct tz_monitor_good_ratio *out, struct tz_err *err)
{
    memset(out, 0, sizeof(*out));
    if (n > TZ_MONITOR_SERIES_MAX) {
        return tz_err_field(err, TZ_ETOOLARGE, "aqi", "'aqi' has more than %d values",
                            TZ_MONITOR_SERIES_MAX);
    }
    for (size_t i = 0; i < n; i++) {
        if (aqi[i] == TZ_MONITOR_AQI_NONE) {
            continue;
        }
        if (aqi[i] < 0 || aqi[i] > 500) {
            char field[32];

            snprintf(field, sizeof(field), "aqi[%zu]", i);
            memset(out, 0, sizeof(*out));
            return tz_err_field(err, TZ_EINVAL, field, "'%s' must be an integer from 0 to 500",
                                field);
        }
        out->n_valid++;
        if (aqi[i] <= 100) {
            out->n_good++;
        }
    }
    out->n_days = n;
    out->per_mille = -1;
    if (out->n_valid > 0) {
        out->per_mille = (int)((2 * 1000 * out->n_good + out->n_valid) / (2 * out->n_valid));
    }
    return TZ_OK;
}
