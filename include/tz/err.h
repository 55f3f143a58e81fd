/*
 * err.h - the one status enum of taizhang, and the error record that carries
 * the human-readable reason beside it.
 *
 * A single X-macro table (as libuv's) generates the enum, its HTTP status and
 * the API error code, so the three can never drift apart. A function that can
 * fail returns enum tz_status (TZ_OK is 0) and takes `struct tz_err *err`
 * last; the code is for machines, the message and field are for people.
 */
#ifndef TZ_ERR_H
#define TZ_ERR_H

#include <stddef.h>

/*  name        http  api code */
#define TZ_STATUS_TABLE(X)                                                                         \
    X(OK, 200, "ok")                                                                               \
    X(EBADREQ, 400, "bad_request")                                                                 \
    X(EAUTH, 401, "unauthorized")                                                                  \
    X(ECSRF, 403, "csrf_failed")                                                                   \
    X(EFORBIDDEN, 403, "forbidden")                                                                \
    X(ENOTFOUND, 404, "not_found")                                                                 \
    X(EMETHOD, 405, "method_not_allowed")                                                          \
    X(ETRANSITION, 409, "invalid_transition")                                                      \
    X(ECONFLICT, 409, "version_conflict")                                                          \
    X(ETOOLARGE, 413, "too_large")                                                                 \
    X(EMEDIA, 415, "unsupported_media_type")                                                       \
    X(EINVAL, 422, "validation_failed")                                                            \
    X(ELOCKED, 429, "locked")                                                                      \
    X(ETHROTTLE, 429, "too_many_requests")                                                         \
    X(EINTERNAL, 500, "internal")                                                                  \
    X(EUNAVAIL, 503, "unavailable")

enum tz_status {
#define TZ_X_ENUM(name, http, code) TZ_##name,
    TZ_STATUS_TABLE(TZ_X_ENUM)
#undef TZ_X_ENUM
        TZ__STATUS_COUNT
};

/* The reason travels beside the code. `field` names the offending input field, or is empty. */
struct tz_err {
    enum tz_status code;
    char field[64];
    char msg[256];
};

/* HTTP status for a code (500 for an out-of-range value). Thread-safe. */
int tz_status_http(enum tz_status s);
/* API error code string ("validation_failed"...), static storage. Thread-safe. */
const char *tz_status_name(enum tz_status s);

/* Clears err (may be NULL). */
void tz_err_clear(struct tz_err *err);

/*
 * Records code and a printf-style message in err (err may be NULL) and returns code,
 * so that failing reads as `return tz_err_set(err, TZ_EINVAL, "'%s' must be a date", k);`.
 */
enum tz_status tz_err_set(struct tz_err *err, enum tz_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* As tz_err_set, and also names the offending field. */
enum tz_status tz_err_field(struct tz_err *err, enum tz_status code, const char *field,
                            const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
