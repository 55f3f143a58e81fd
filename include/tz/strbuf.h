/*
 * strbuf.h - a growable, always NUL-terminated byte buffer (after git's strbuf).
 *
 * Invariants: `buf` is never NULL after tz_strbuf_init (it points at a shared
 * empty string until the first append), `buf[len] == '\0'`, `len < alloc` once
 * allocated. Lifecycle: _init (caller's storage), _release (frees contents and
 * re-inits), _detach (hands the heap string to the caller, who frees it with
 * free(3), and re-inits). Not thread-safe: one owner at a time.
 */
#ifndef TZ_STRBUF_H
#define TZ_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct tz_strbuf {
    char *buf;
    size_t len;
    size_t alloc;
};

#define TZ_STRBUF_INIT                                                                             \
    {                                                                                              \
        tz_strbuf_empty, 0, 0                                                                      \
    }
extern char tz_strbuf_empty[];

void tz_strbuf_init(struct tz_strbuf *sb);
void tz_strbuf_release(struct tz_strbuf *sb);
char *tz_strbuf_detach(struct tz_strbuf *sb, size_t *len_out);
void tz_strbuf_reset(struct tz_strbuf *sb);
void tz_strbuf_grow(struct tz_strbuf *sb, size_t extra);
void tz_strbuf_add(struct tz_strbuf *sb, const void *data, size_t len);
void tz_strbuf_addstr(struct tz_strbuf *sb, const char *s);
void tz_strbuf_addch(struct tz_strbuf *sb, char c);
void tz_strbuf_addf(struct tz_strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void tz_strbuf_vaddf(struct tz_strbuf *sb, const char *fmt, va_list ap);
/* Appends s as a JSON string literal, quotes included (s is UTF-8, len bytes). */
void tz_strbuf_add_json_str(struct tz_strbuf *sb, const char *s, size_t len);

#endif
