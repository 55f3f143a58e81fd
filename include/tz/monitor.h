/*
 * monitor.h - evaluation of the monitoring series of an eco_problem item (SPEC
 * 3 `eco_problem`, DOMAIN 10.2): the surface-water class of a sample under
 * GB 3838-2002, the compliance of a section with its target class, and the
 * air-quality band of an AQI under HJ 633-2012.
 *
 * Water. A sample carries any subset of the basic items below, in mg/L (pH
 * unitless). Every value and limit travels as an integer count of thousandths
 * ("0.15" is 150), so a comparison with a limit is exact, never a binary
 * approximation. The limits (DOMAIN 10.2):
 *
 *   item            dir  Ⅰ      Ⅱ      Ⅲ     Ⅳ    Ⅴ
 *   DO  溶解氧       >=   7.5    6      5     3    2
 *   COD_Mn 高锰酸盐  <=   2      4      6     10   15
 *   COD 化学需氧量   <=   15     15     20    30   40
 *   BOD5            <=   3      3      4     6    10
 *   NH3-N 氨氮      <=   0.15   0.5    1.0   1.5  2.0
 *   TP 总磷 river   <=   0.02   0.1    0.2   0.3  0.4
 *   TP 总磷 lake    <=   0.01   0.025  0.05  0.1  0.2
 *   TN 总氮 lake    <=   0.2    0.5    1.0   1.5  2.0   (not evaluated for rivers)
 *   pH              6-9 for every class
 *
 * "lake" means a lake or a reservoir (湖库). An item's class is the best class
 * whose limit the value meets; a value equal to a limit meets it (<= for the
 * pollutants, >= for DO); a value that meets no limit is 劣Ⅴ. Where two
 * classes share a limit (COD and BOD5, Ⅰ and Ⅱ) the better class wins. pH
 * inside 6-9 (both ends included) is Ⅰ, so it never decides a class on its
 * own; outside it the item is 劣Ⅴ. The sample's class is the worst of its item
 * classes (single-factor method, 单因子评价法), and the items at that class
 * decide it.
 *
 * TN is evaluated for lakes and reservoirs, as GB 3838-2002 Table 1 lists it.
 * The national evaluation method (《地表水环境质量评价办法(试行)》, 环办
 * [2011]22号) assesses lake TN separately instead; a caller following it simply
 * leaves TN out of the sample.
 *
 * 超标因子 against a target class T (Ⅰ..Ⅴ): every item whose class is worse
 * than T, with T's limit and its multiple (超标倍数) = (value - limit) / limit.
 * As in the national method, DO and pH get no multiple (their limit is a lower
 * bound or a range); they are still listed.
 *
 * Air. An AQI is an integer 0..500, banded per HJ 633-2012:
 *   0-50 一级 优 green; 51-100 二级 良 yellow; 101-150 三级 轻度污染 orange;
 *   151-200 四级 中度污染 red; 201-300 五级 重度污染 purple; 301-500 六级
 *   严重污染 maroon. 优良天数比例 = days with AQI <= 100 / valid days.
 *
 * Errors: a negative value, a value above its cap, a malformed number or an
 * unknown item is 422 (TZ_EINVAL) naming the item; a bad water body, class or
 * AQI is 422 naming "water_body", "target", "class" or "aqi".
 *
 * Pure and thread-safe: no I/O, no globals; every string returned is static
 * (valid for the life of the program).
 */
#ifndef TZ_MONITOR_H
#define TZ_MONITOR_H

#include "tz/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The basic items, in the order of DOMAIN 10.2. The value indexes tz_monitor_sample.milli. */
enum tz_monitor_item {
    TZ_MONITOR_ITEM_DO = 0,     /* 溶解氧, code "do" */
    TZ_MONITOR_ITEM_COD_MN = 1, /* 高锰酸盐指数, code "cod_mn" */
    TZ_MONITOR_ITEM_COD = 2,    /* 化学需氧量, code "cod" */
    TZ_MONITOR_ITEM_BOD5 = 3,   /* 五日生化需氧量, code "bod5" */
    TZ_MONITOR_ITEM_NH3_N = 4,  /* 氨氮, code "nh3_n" */
    TZ_MONITOR_ITEM_TP = 5,     /* 总磷, code "tp" */
    TZ_MONITOR_ITEM_TN = 6,     /* 总氮, code "tn" */
    TZ_MONITOR_ITEM_PH = 7,     /* pH, code "ph" */
};
#define TZ_MONITOR_N_ITEMS 8

/* The water class; the value is the stable code 1..6. NONE (0) means "not evaluated". */
enum tz_monitor_class {
    TZ_MONITOR_CLASS_NONE = 0,
    TZ_MONITOR_CLASS_I = 1,
    TZ_MONITOR_CLASS_II = 2,
    TZ_MONITOR_CLASS_III = 3,
    TZ_MONITOR_CLASS_IV = 4,
    TZ_MONITOR_CLASS_V = 5,
    TZ_MONITOR_CLASS_WORSE_V = 6, /* 劣Ⅴ类 */
};

enum tz_monitor_body {
    TZ_MONITOR_BODY_RIVER = 1, /* 河流, code "river" */
    TZ_MONITOR_BODY_LAKE = 2,  /* 湖库 (lake or reservoir), code "lake" */
};

/* Caps of a value, in thousandths: 1,000,000 mg/L, and pH 14. */
#define TZ_MONITOR_VALUE_MAX 1000000000LL
#define TZ_MONITOR_PH_MAX    14000
/* The pH range every class requires, in thousandths, both ends included. */
#define TZ_MONITOR_PH_LOW  6000
#define TZ_MONITOR_PH_HIGH 9000
/* Longest text a value may be written in, in bytes. */
#define TZ_MONITOR_TEXT_MAX 64

/*
 * One sample. Initialise with tz_monitor_sample_init; fill with the _set
 * functions, which validate. Bit (1u << item) of `has` says the item is
 * measured, and then milli[item] is its value in thousandths (0 <= value <=
 * the cap). Plain data: copy it freely.
 */
struct tz_monitor_sample {
    unsigned has;
    int64_t milli[TZ_MONITOR_N_ITEMS];
};

/* The class of one sample (tz_monitor_water_eval). */
struct tz_monitor_water_result {
    enum tz_monitor_class cls;                            /* the worst item class, 1..6 */
    enum tz_monitor_class item_class[TZ_MONITOR_N_ITEMS]; /* NONE for items not evaluated */
    unsigned evaluated; /* bit (1u << item) for every item that took part */
    unsigned deciding;  /* bit (1u << item) for every item whose class is cls */
};

/* One 超标因子 against a target class. */
struct tz_monitor_factor {
    enum tz_monitor_item item;
    enum tz_monitor_class item_class; /* worse than the target */
    int64_t value_milli;              /* the measured value */
    /* the target's limit; for pH the bound crossed (TZ_MONITOR_PH_LOW or _HIGH) */
    int64_t limit_milli;
    bool has_multiple;      /* false for DO and pH */
    int64_t multiple_milli; /* (value - limit) / limit in thousandths, rounded half up; 0 if none */
};

/* Every 超标因子 of a sample: the worst class first, then the larger multiple, then item order. */
struct tz_monitor_exceed {
    enum tz_monitor_class target;
    size_t n;
    struct tz_monitor_factor f[TZ_MONITOR_N_ITEMS];
};

/* ---- items, classes, bodies ---------------------------------------------------------------- */

/*
 * The item named `name`: its code ("nh3_n"), compared ignoring ASCII case and
 * with '-' read as '_' (so "NH3-N", "COD_Mn", "pH", "BOD5" work), the aliases
 * "codmn", "nh3n", "cod_cr", "codcr", or its Chinese name ("氨氮", "pH值").
 * Unknown: 422 naming the name (cut to 63 bytes), *out untouched.
 */
enum tz_status tz_monitor_item_parse(const char *name, enum tz_monitor_item *out,
                                     struct tz_err *err);
/* Static code ("nh3_n"), symbol ("NH3-N") and Chinese name ("氨氮"); NULL out of range. */
const char *tz_monitor_item_code(enum tz_monitor_item item);
const char *tz_monitor_item_symbol(enum tz_monitor_item item);
const char *tz_monitor_item_name(enum tz_monitor_item item);

/*
 * The limit of `item` for class cls (Ⅰ..Ⅴ) in a water body, in thousandths;
 * -1 when there is none (TN for rivers, pH, a class or body out of range).
 */
int64_t tz_monitor_limit(enum tz_monitor_item item, enum tz_monitor_body body,
                         enum tz_monitor_class cls);

/*
 * The class of one value (thousandths, assumed valid) of `item` in `body`:
 * Ⅰ..Ⅴ or 劣Ⅴ; NONE when the item is not evaluated there (TN in a river) or
 * an argument is out of range.
 */
enum tz_monitor_class tz_monitor_item_class(enum tz_monitor_item item, enum tz_monitor_body body,
                                            int64_t milli);

/* Static label "Ⅰ类" ... "Ⅴ类", "劣Ⅴ类" (Unicode Roman numerals); NULL for another value. */
const char *tz_monitor_class_label(enum tz_monitor_class cls);
/*
 * The class of a label: "Ⅲ类" or "Ⅲ" (U+2160..U+2164), the ASCII "III类" or
 * "III", the code "3"; "劣Ⅴ类", "劣Ⅴ", "劣V类", "劣V" or "6". Else 422
 * naming "class".
 */
enum tz_status tz_monitor_class_parse(const char *text, enum tz_monitor_class *out,
                                      struct tz_err *err);

/*
 * The water body of "river" or "河流" (also "河"), "lake", "reservoir", "湖库",
 * "湖泊" or "水库"; else 422 naming "water_body".
 */
enum tz_status tz_monitor_body_parse(const char *text, enum tz_monitor_body *out,
                                     struct tz_err *err);
/* Static code ("river", "lake") and label ("河流", "湖库"); NULL out of range. */
const char *tz_monitor_body_code(enum tz_monitor_body body);
const char *tz_monitor_body_label(enum tz_monitor_body body);

/* ---- values -------------------------------------------------------------------------------- */

/*
 * Parses a non-negative decimal exactly into thousandths: digits with an
 * optional fraction and exponent, as JSON writes numbers ("0.15", "2", ".5",
 * "1.500", "1.5e-1", "15E0"). More than three decimals are accepted only when
 * the extra digits are zeros ("0.1500"): 0.0125 cannot be held exactly and is
 * refused, never rounded. A minus sign is refused unless the value is zero
 * ("-0"). Refused as well: empty text, blanks, "+", NaN, "<0.01", "未检出" (a
 * detection-limit note is the caller's business), more than TZ_MONITOR_TEXT_MAX
 * bytes, a value above TZ_MONITOR_VALUE_MAX. A refusal is 422 naming `field`
 * (may be NULL); *out is then 0.
 */
enum tz_status tz_monitor_milli_parse(const char *text, const char *field, int64_t *out,
                                      struct tz_err *err);

/*
 * Writes thousandths as the shortest decimal ("2.4", "0.15", "15", "-0.001")
 * into buf (size bytes; 24 is always enough), truncating as snprintf does.
 * Returns buf.
 */
const char *tz_monitor_milli_format(int64_t milli, char *buf, size_t size);

/* ---- a water sample ------------------------------------------------------------------------ */

/* Empties a sample (no item measured). */
void tz_monitor_sample_init(struct tz_monitor_sample *s);

/*
 * Records `item` = milli thousandths. Negative, or above the cap (pH above
 * 14), is 422 naming the item's code; the sample is then unchanged. A second
 * call for the same item replaces the value.
 */
enum tz_status tz_monitor_sample_set(struct tz_monitor_sample *s, enum tz_monitor_item item,
                                     int64_t milli, struct tz_err *err);
/* As _set, with the item by name (tz_monitor_item_parse) and the value as exact text. */
enum tz_status tz_monitor_sample_set_text(struct tz_monitor_sample *s, const char *item,
                                          const char *value, struct tz_err *err);
/*
 * As _set, with the item by name and the value as a double, rounded to the
 * nearest thousandth (half up, on the double's own binary value,
 * so 0.0125 may go either way: use _set_text when the digits matter). NaN and
 * infinities are 422.
 */
enum tz_status tz_monitor_sample_set_double(struct tz_monitor_sample *s, const char *item,
                                            double value, struct tz_err *err);

/*
 * The class of a sample in a water body (single-factor method). Fills *out.
 * 422 naming "water_body" for a bad body, naming "items" when no item can be
 * evaluated (nothing measured, or only TN in a river); *out is then zeroed.
 */
enum tz_status tz_monitor_water_eval(const struct tz_monitor_sample *s, enum tz_monitor_body body,
                                     struct tz_monitor_water_result *out, struct tz_err *err);

/*
 * The 超标因子 of a sample against target (Ⅰ..Ⅴ; else 422 naming "target"),
 * sorted as struct tz_monitor_exceed says; n is 0 when the sample complies.
 * Items not evaluated in the body (TN in a river) never appear. 422 naming
 * "water_body" for a bad body. On failure *out is zeroed.
 */
enum tz_status tz_monitor_water_exceed(const struct tz_monitor_sample *s, enum tz_monitor_body body,
                                       enum tz_monitor_class target, struct tz_monitor_exceed *out,
                                       struct tz_err *err);

/*
 * Section compliance (断面达标): cls is no worse than target (a Ⅲ target takes
 * Ⅰ, Ⅱ and Ⅲ). False when cls is not 1..6 or target not 1..5.
 */
bool tz_monitor_complies(enum tz_monitor_class cls, enum tz_monitor_class target);

/* ---- air ----------------------------------------------------------------------------------- */

/* An AQI band of HJ 633-2012. The strings are static. */
struct tz_monitor_aqi_band {
    int level;         /* 1..6, the stable code */
    int low, high;     /* the AQI range of the band, both included (六级: 301..500) */
    const char *grade; /* "一级" ... "六级" */
    const char *category; /* "优", "良", "轻度污染", "中度污染", "重度污染", "严重污染" */
    const char *color;      /* "green", "yellow", "orange", "red", "purple", "maroon" */
    const char *color_name; /* "绿色", "黄色", "橙色", "红色", "紫色", "褐红色" */
    const char *rgb;        /* HJ 633-2012 Table 2: "#00e400" ... "#7e0023" */
};

/* An invalid day in an AQI series (fewer valid hours than the rule asks): skipped. */
#define TZ_MONITOR_AQI_NONE (-1)
/* Longest AQI series accepted (100 years of days). */
#define TZ_MONITOR_SERIES_MAX 36600

/* The band of an AQI 0..500 (else 422 naming "aqi", *out zeroed). */
enum tz_status tz_monitor_aqi_band(int aqi, struct tz_monitor_aqi_band *out, struct tz_err *err);

/* 优良天数比例 of a series, as a fraction: no floating point. */
struct tz_monitor_good_ratio {
    size_t n_good;  /* valid days with AQI <= 100 */
    size_t n_valid; /* days not TZ_MONITOR_AQI_NONE */
    size_t n_days;  /* all days of the series */
    /* n_good / n_valid in thousandths, rounded half up (985 = 98.5%); -1 when n_valid is 0 */
    int per_mille;
};

/*
 * Counts the 优良 days of `aqi` (n values; aqi may be NULL when n is 0). A
 * value TZ_MONITOR_AQI_NONE is an invalid day, left out of both counts; any
 * other value outside 0..500 is 422 naming "aqi[i]". More than
 * TZ_MONITOR_SERIES_MAX values is 413 (TZ_ETOOLARGE) naming "aqi". On failure
 * *out is zeroed.
 */
enum tz_status tz_monitor_aqi_good_ratio(const int *aqi, size_t n,
                                         struct tz_monitor_good_ratio *out, struct tz_err *err);

#endif
