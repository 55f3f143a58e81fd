/*
 * log.c - one-line records to stderr (see log.h).
 */
#include "tz/log.h"

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
    struct tm tm;
    gettimeofday(&tv, NULL);
    localtime_r(&tv.tv_sec, &tm);
    int n = (int)strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%S", &tm);
    n += snprintf(line + n, sizeof(line) - (size_t)n, ".%03d %s ", (int)(tv.tv_usec / 1000),
                  names[level]);
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
