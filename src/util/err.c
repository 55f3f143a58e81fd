/*
 * err.c - status table lookups and the error record (see err.h).
 */
#include "tz/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const int http_of[] = {
#define TZ_X_HTTP(name, http, code) http,
    TZ_STATUS_TABLE(TZ_X_HTTP)
#undef TZ_X_HTTP
};

static const char *const name_of[] = {
#define TZ_X_NAME(name, http, code) code,
    TZ_STATUS_TABLE(TZ_X_NAME)
#undef TZ_X_NAME
};

_Static_assert(sizeof(http_of) / sizeof(http_of[0]) == TZ__STATUS_COUNT, "status table");

int tz_status_http(enum tz_status s)
{
    if ((int)s < 0 || s >= TZ__STATUS_COUNT)
        return 500;
    return http_of[s];
}

const char *tz_status_name(enum tz_status s)
{
    if ((int)s < 0 || s >= TZ__STATUS_COUNT)
        return "internal";
    return name_of[s];
}

void tz_err_clear(struct tz_err *err)
{
    if (!err)
        return;
    err->code = TZ_OK;
    err->field[0] = '\0';
    err->msg[0] = '\0';
}

static void vset(struct tz_err *err, enum tz_status code, const char *field, const char *fmt,
                 va_list ap)
{
    /* formatted aside first: the arguments may be err's own msg and field (wrapping a reason) */
    char msg[sizeof(err->msg)], name[sizeof(err->field)];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    snprintf(name, sizeof(name), "%s", field ? field : "");
    err->code = code;
    memcpy(err->msg, msg, sizeof(msg));
    memcpy(err->field, name, sizeof(name));
}

enum tz_status tz_err_set(struct tz_err *err, enum tz_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vset(err, code, NULL, fmt, ap);
        va_end(ap);
    }
    return code;
}

enum tz_status tz_err_field(struct tz_err *err, enum tz_status code, const char *field,
                            const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vset(err, code, field, fmt, ap);
        va_end(ap);
    }
    return code;
}
