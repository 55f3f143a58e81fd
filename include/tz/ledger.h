/*
 * ledger.h - the ten ledgers as data: each one's key, Chinese name, code prefix,
 * whether it is a register (no closed loop), its warn_days, and the schema of
 * its kind-specific `fields` (SPEC 3), read from data/ledgers/<key>.json.
 *
 * A definition set is built once (tz_ledgers_load) and then only read: reads
 * are thread-safe. Pure: no I/O; the caller supplies the JSON texts.
 */
#ifndef TZ_LEDGER_H
#define TZ_LEDGER_H

#include "tz/err.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tz_field_type {
    TZ_FIELD_TEXT,      /* one line, at most 2 000 bytes */
    TZ_FIELD_LONG_TEXT, /* at most 100 000 bytes */
    TZ_FIELD_INTEGER,   /* a JSON integer, optional min/max */
    TZ_FIELD_DECIMAL,   /* a JSON number, optional min/max */
    TZ_FIELD_MONEY,     /* 万元: a number >= 0 */
    TZ_FIELD_DATE,      /* "YYYY-MM-DD" of an existing date */
    TZ_FIELD_ENUM,      /* one of `values`, as its Chinese label */
    TZ_FIELD_BOOL,
    TZ_FIELD_LIST,       /* a list of strings (numbered list, tags, names) */
    TZ_FIELD_UNIT,       /* a unit id */
    TZ_FIELD_UNIT_LIST,  /* a list of unit ids */
    TZ_FIELD_MILESTONES, /* [{name, due, done}] */
    TZ_FIELD_CHECKLIST, /* [{name, status, date, doc_no}], status 未启动/办理中/已取得/不需要 */
    TZ__FIELD_TYPE_COUNT
};

struct tz_field_def {
    const char *key;
    const char *label;
    enum tz_field_type type;
    bool required;
    const char *const *values; /* enum labels, NULL-terminated */
    size_t n_values;
    bool has_min, has_max;
    double min, max;
    bool is_computed; /* derived by the server ("computed": true): a value sent is ignored */
};

struct tz_ledger_def {
    const char *key;
    const char *name;
    const char *prefix;
    bool is_register;
    int warn_days;
    const struct tz_field_def *fields;
    size_t n_fields;
    /*
     * The ledger's settings ("settings": {...}, {} when absent): the local
     * practices DOMAIN leaves open, each with its documented default. Read with
     * tz_ledger_setting_*; owned by the set.
     */
    struct json_object *settings;
};

struct tz_ledgers;

struct tz_ledgers *tz_ledgers_new(void);
void tz_ledgers_free(struct tz_ledgers *l);
/* Adds one ledger from its JSON definition; 422 naming what is wrong. */
enum tz_status tz_ledgers_add_json(struct tz_ledgers *l, const char *json, size_t len,
                                   struct tz_err *err);
/* The ledger with this key, or NULL. Borrowed for the lifetime of l. */
const struct tz_ledger_def *tz_ledgers_find(const struct tz_ledgers *l, const char *key);
size_t tz_ledgers_count(const struct tz_ledgers *l);
const struct tz_ledger_def *tz_ledgers_at(const struct tz_ledgers *l, size_t i);

/*
 * A setting of the ledger, or dflt when it is absent or of another type (an
 * integer setting also accepts a whole JSON number; a bool only true/false).
 * def may be NULL (then dflt). The string is borrowed for the lifetime of the set.
 */
int64_t tz_ledger_setting_int(const struct tz_ledger_def *def, const char *key, int64_t dflt);
bool tz_ledger_setting_bool(const struct tz_ledger_def *def, const char *key, bool dflt);
const char *tz_ledger_setting_str(const struct tz_ledger_def *def, const char *key,
                                  const char *dflt);

/*
 * Removes the computed fields from a `fields` object about to be written (the
 * server sets them again from the others), so that a client may send back what
 * it read. fields may be NULL.
 */
void tz_ledger_strip_computed(const struct tz_ledger_def *def, struct json_object *fields);

/* Name of a field type as the definitions spell it ("long_text"). */
const char *tz_field_type_name(enum tz_field_type t);

/* Answers whether a unit id exists (the app asks its unit tree). */
typedef bool (*tz_unit_exists_fn)(void *arg, int64_t unit_id);

/*
 * Validates a `fields` object against the ledger: unknown keys, wrong types,
 * values outside their enumeration or range, dates that do not exist, unknown
 * units, missing required fields (when check_required) are 422 with `field` set
 * to the key. Computed fields are not checked (tz_ledger_strip_computed drops
 * them). fields may be NULL (treated as {}).
 */
enum tz_status tz_ledger_check_fields(const struct tz_ledger_def *def, struct json_object *fields,
                                      bool check_required, tz_unit_exists_fn unit_exists, void *arg,
                                      struct tz_err *err);

/* The ledger's schema as GET /ledgers shows it (caller owns the object). */
struct json_object *tz_ledger_json(const struct tz_ledger_def *def);

#endif
