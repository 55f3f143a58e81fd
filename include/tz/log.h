/*
 * log.h - one-line log records to standard error.
 *
 * A record is "2026-11-29T10:15:02.123+08:00 LEVEL message". Lines are written
 * with one write(2) each, so concurrent threads never interleave within a line.
 * The minimum level is read once from TAIZHANG_LOG (debug|info|warn|error),
 * default info. Thread-safe.
 */
#ifndef TZ_LOG_H
#define TZ_LOG_H

enum tz_log_level { TZ_LOG_DEBUG, TZ_LOG_INFO, TZ_LOG_WARN, TZ_LOG_ERROR };

void tz_log(enum tz_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define tz_debug(...) tz_log(TZ_LOG_DEBUG, __VA_ARGS__)
#define tz_info(...)  tz_log(TZ_LOG_INFO, __VA_ARGS__)
#define tz_warn(...)  tz_log(TZ_LOG_WARN, __VA_ARGS__)
#define tz_error(...) tz_log(TZ_LOG_ERROR, __VA_ARGS__)

#endif
