/*
 * json.h - a thin wrapper over json-c: strict parsing with caps, typed getters
 * that fill struct tz_err with the offending field, and serialisation.
 *
 * Parsing is strict (JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8), so
 * invalid UTF-8, trailing garbage and comments are refused, with nesting capped
 * at TZ_JSON_MAX_DEPTH. Returned objects are owned by the caller
 * (json_object_put). Thread-safe: no shared state.
 */
#ifndef TZ_JSON_H
#define TZ_JSON_H

#include "tz/err.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TZ_JSON_MAX_DEPTH 32

/* Parses a whole document. NULL and 400 bad_request on malformed text. */
struct json_object *tz_json_parse(const char *text, size_t len, struct tz_err *err);
/* As tz_json_parse, and the document must be an object (else 400). */
struct json_object *tz_json_parse_object(const char *text, size_t len, struct tz_err *err);

/*
 * Refuses keys of obj not in the NULL-terminated list `allowed`: 422 naming the
 * first unknown key.
 */
enum tz_status tz_json_only_keys(struct json_object *obj, const char *const *allowed,
                                 struct tz_err *err);

/*
 * Typed getters. Each returns TZ_OK and sets *present false when the key is
 * absent or null; 422 naming the key when the value has the wrong type. Strings
 * are borrowed from obj. Integers must be JSON integers (1.0 is refused).
 */
enum tz_status tz_json_get_str(struct json_object *obj, const char *key, const char **out,
                               bool *present, struct tz_err *err);
enum tz_status tz_json_get_int(struct json_object *obj, const char *key, int64_t *out,
                               bool *present, struct tz_err *err);
enum tz_status tz_json_get_bool(struct json_object *obj, const char *key, bool *out, bool *present,
                                struct tz_err *err);
enum tz_status tz_json_get_double(struct json_object *obj, const char *key, double *out,
                                  bool *present, struct tz_err *err);
/* A "YYYY-MM-DD" string of an existing date. */
enum tz_status tz_json_get_date(struct json_object *obj, const char *key, int32_t *out,
                                bool *present, struct tz_err *err);

/*
 * An object that serialises as the given JSON text, copied (for values rendered
 * straight into text, where building json-c objects would cost more than the
 * work around them). It has no keys to read back; parse its text for that.
 */
struct json_object *tz_json_raw(const char *text, size_t len);

/* Compact serialisation, borrowed from obj (valid until obj changes or is freed). */
const char *tz_json_compact(struct json_object *obj, size_t *len_out);

#endif
