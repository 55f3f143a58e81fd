/*
 * log.c - one-line records to stderr (see log.h).
 */
#include "tz/log.h"
#include "tz/date.h"

#include <limits.h>
#include <stdint.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static enum tz_log_level min_level(void)
{
    static int cached = -1;
    if (cached < 0) {
        const char *s = getenv("TAIZHANG_LOG");
        int lv = TZ_LOG_INFO;
        if (s && strcmp(s, "debug") == 0)
            lv = TZ_LOG_DEBUG;
        else if (s && strcmp(s, "warn") == 0)
            lv = TZ_LOG_WARN;
        else if (s && strcmp(s, "error") == 0)
            lv = TZ_LOG_ERROR;
        cached = lv; /* idempotent race: every thread computes the same value */
    }
    return (enum tz_log_level)cached;
}

void tz_log(enum tz_log_level level, const char *fmt, ...)
{
    static const char *const names[] = {"DEBUG", "INFO", "WARN", "ERROR"};
    if (level < min_level())
        return;
    char line[2048];
    struct timeval tv;
    gettimeofday(&tv, NULL);
    /*
     * localtime_r and gmtime_r take glibc's time-zone lock on every call, which
     * every request thread would meet here; the local offset is read once and
     * the date computed by hand.
     */
    static long offset = LONG_MIN;
    if (offset == LONG_MIN) {
        struct tm tm;
        time_t now = tv.tv_sec;
        localtime_r(&now, &tm);
        offset = tm.tm_gmtoff; /* idempotent race: every thread computes the same value */
    }
    int64_t t = (int64_t)tv.tv_sec + offset;
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t secs = t - days * 86400;
    int y, mon, d;
    tz_date_to_ymd((int32_t)days, &y, &mon, &d);
    int n = snprintf(line, sizeof(line), "%04d-%02d-%02dT%02d:%02d:%02d.%03d %s ", y, mon, d,
                     (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
                     (int)(tv.tv_usec / 1000), names[level]);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m > 0 ? (size_t)m : 0);
    if (len > sizeof(line) - 2)
        len = sizeof(line) - 2;
    line[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}
