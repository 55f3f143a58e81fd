/*
 * risk.h - risk assessment of a risk point (风险点): the LEC and LS methods, the
 * four official levels and the suggested control level (SPEC 3 `risk_point`,
 * SPEC 4 `POST /risk/assess`, DOMAIN 4.3, 4.4, 4.5).
 *
 * LEC (作业条件危险性分析法): D = L x E x C with every factor taken from a fixed
 * table:
 *   L in {10, 6, 3, 1, 0.5, 0.2, 0.1}
 *   E in {10, 6, 3, 2, 1, 0.5}
 *   C in {100, 40, 15, 7, 3, 1}
 * Factors travel in tenths (0.5 is 5, 10 is 100) and D is computed in integers,
 * never in binary floating point. D is reported in tenths: the exact product
 * has at most two decimals, and the eight products with a second decimal (L
 * 0.5 or 0.1, E 0.5, C 15, 7, 3 or 1: 0.05, 0.15, 0.25, 0.35, 0.75 twice, 1.75,
 * 3.75) are rounded half up to tenths (0.05 -> 0.1, 3.75 -> 3.8). All of them
 * are far below the lowest limit (70), so the rounding never moves a level.
 *   重大 (red, 1)     D > 320
 *   较大 (orange, 2)  160 < D <= 320
 *   一般 (yellow, 3)  70 < D <= 160
 *   低 (blue, 4)      D <= 70
 * A D equal to a limit (70, 160, 320) falls in the lower band by default;
 * `struct tz_risk_rules.is_upper_inclusive` puts it in the upper band instead
 * (published tables disagree, DOMAIN 4.3).
 *
 * LS (风险矩阵法): R = L x S with L and S integers 1..5:
 *   重大 (red, 1) 20-25; 较大 (orange, 2) 15-16; 一般 (yellow, 3) 9-12;
 *   低 (blue, 4) 1-8.
 *
 * Suggested control level (DOMAIN 4.5): 重大 and 较大 -> 公司级, 一般 -> 部门级,
 * 低 -> 班组级.
 *
 * Errors: a factor outside its table, of the wrong JSON type or missing is 422
 * (TZ_EINVAL) naming the factor ("l", "e", "c", "s"); a missing or unknown
 * method is 422 naming "method"; an unknown key is 422 naming the key.
 *
 * Pure and thread-safe: no I/O, no globals; every string returned is static.
 */
#ifndef TZ_RISK_H
#define TZ_RISK_H

#include "tz/err.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tz_risk_method {
    TZ_RISK_METHOD_LEC = 1,
    TZ_RISK_METHOD_LS = 2,
};

/* The four official levels; the value is the API's `level_code`. */
enum tz_risk_level {
    TZ_RISK_LEVEL_MAJOR = 1,   /* 重大, red */
    TZ_RISK_LEVEL_LARGER = 2,  /* 较大, orange */
    TZ_RISK_LEVEL_GENERAL = 3, /* 一般, yellow */
    TZ_RISK_LEVEL_LOW = 4,     /* 低, blue */
};

/* LEC band limits, in tenths of D. */
#define TZ_RISK_LEC_LIMIT_MAJOR   3200
#define TZ_RISK_LEC_LIMIT_LARGER  1600
#define TZ_RISK_LEC_LIMIT_GENERAL 700

/* Settings of the assessment (a ledger setting). A NULL rules pointer means the defaults. */
struct tz_risk_rules {
    /* false (default): D == 70/160/320 falls in the lower band; true: in the upper one */
    bool is_upper_inclusive;
};

/* The answer of one assessment. The strings are static: valid for the life of the program. */
struct tz_risk_result {
    enum tz_risk_method method;
    int64_t score;             /* LEC: D in tenths (126.0 is 1260); LS: R itself (1..25) */
    enum tz_risk_level level;  /* also the API's level_code, 1..4 */
    const char *level_name;    /* "重大" | "较大" | "一般" | "低" */
    const char *color;         /* "red" | "orange" | "yellow" | "blue" */
    const char *control_level; /* "公司级" | "部门级" | "班组级" */
};

/* Room for any score as text, NUL included ("10000", "0.1", "25"). */
#define TZ_RISK_SCORE_LEN 24

/*
 * LEC from factors in tenths (l10 = 5 for L = 0.5). Each factor must be in its
 * table, else 422 naming "l", "e" or "c" (checked in that order). On success
 * fills *out; on failure *out is zeroed. Thread-safe.
 */
enum tz_status tz_risk_lec(int64_t l10, int64_t e10, int64_t c10, const struct tz_risk_rules *rules,
                           struct tz_risk_result *out, struct tz_err *err);

/* LS from integers 1..5, else 422 naming "l" or "s". *out as tz_risk_lec. Thread-safe. */
enum tz_status tz_risk_ls(int64_t l, int64_t s, struct tz_risk_result *out, struct tz_err *err);

/*
 * The level of a raw LEC score in tenths (any value, not only table products),
 * under rules (NULL for the defaults). Thread-safe.
 */
enum tz_risk_level tz_risk_lec_level(int64_t d_tenths, const struct tz_risk_rules *rules);
/*
 * The level of a raw LS score: >= 20 重大, >= 15 较大, >= 9 一般, else 低 (so the
 * values no product reaches, 13, 14, 17-19, go with the band below). Thread-safe.
 */
enum tz_risk_level tz_risk_ls_level(int64_t r);

/* Static names of a level; NULL for a value outside 1..4. Thread-safe. */
const char *tz_risk_level_name(enum tz_risk_level level);
const char *tz_risk_level_color(enum tz_risk_level level);
const char *tz_risk_level_control(enum tz_risk_level level);
/* "LEC" or "LS" (static); NULL for another value. */
const char *tz_risk_method_name(enum tz_risk_method method);

/*
 * Writes the score as decimal text into buf (size bytes, TZ_RISK_SCORE_LEN is
 * always enough): LS as the integer, LEC with one decimal only when it has one
 * ("126", "12.6", "0.1"). Truncates as snprintf when size is short. Returns buf.
 */
const char *tz_risk_score_format(const struct tz_risk_result *res, char *buf, size_t size);

/*
 * The request of POST /risk/assess: {"method": "LEC", "l": 3, "e": 6, "c": 7}
 * or {"method": "LS", "l": 4, "s": 4}. LEC factors are JSON integers or
 * decimals, read exactly from the text json-c kept of them ("0.1" is one tenth,
 * never a binary approximation; "0.50" and "5e-1" are accepted as 0.5); a
 * double built in code with json_object_new_double serialises with 17 digits
 * and is refused unless that text is a whole count of tenths (use
 * json_object_new_double_s, or tz_risk_lec with tenths). LS factors are JSON
 * integers (4.0 is refused, as tz_json_get_int does). Checked in order: req
 * is an object (else 400), method present and "LEC" or "LS" (case-sensitive;
 * else 422 "method"), no key outside the method's (422 naming it), then each
 * factor (422 naming it). rules as tz_risk_lec (NULL for the defaults). req is only read. On
 * failure *out is zeroed. Thread-safe.
 */
enum tz_status tz_risk_assess_json(struct json_object *req, const struct tz_risk_rules *rules,
                                   struct tz_risk_result *out, struct tz_err *err);

/*
 * The answer object of POST /risk/assess, keys in this order:
 * {"score": 126, "level": "一般", "color": "yellow", "level_code": 3,
 *  "method": "LEC", "control_level": "部门级"}
 * An LEC score with a tenth serialises as a decimal with exactly one digit after
 * the point (12.6), any other score as an integer. The caller owns the new
 * object (json_object_put). Thread-safe.
 */
struct json_object *tz_risk_result_json(const struct tz_risk_result *res);

/*
 * The assessment kept in the kind-specific fields of a risk_point item (SPEC
 * 3), where the factors sit beside other keys ({"l": 6, "e": 6, "c": 7,
 * "check_every_days": 30}). Keys other than method, l, e, c, s are ignored. The
 * method is "method" when present, else LS when "s" is present, else LEC when
 * "l", "e" or "c" is (a JSON null counts as absent). When none of the five is
 * present the item has no assessment yet: *is_assessed_out is false and the
 * answer TZ_OK. A factor of the other method ("s" beside an LEC, "e" or "c"
 * beside an LS) is 422 naming it; the factors are checked as in
 * tz_risk_assess_json, and fields that is not an object is 422 naming
 * "fields". fields is only read; on failure or without an assessment *out is
 * zeroed. Thread-safe.
 */
enum tz_status tz_risk_assess_fields(struct json_object *fields, const struct tz_risk_rules *rules,
                                     bool *is_assessed_out, struct tz_risk_result *out,
                                     struct tz_err *err);

#endif
