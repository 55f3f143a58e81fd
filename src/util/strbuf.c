/*
 * strbuf.c - growable byte buffer (see strbuf.h).
 */
#include "tz/strbuf.h"
#include "tz/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char tz_strbuf_empty[1];

void tz_strbuf_init(struct tz_strbuf *sb)
{
    sb->buf = tz_strbuf_empty;
    sb->len = 0;
    sb->alloc = 0;
}

void tz_strbuf_release(struct tz_strbuf *sb)
{
    if (sb->alloc)
        free(sb->buf);
    tz_strbuf_init(sb);
}

char *tz_strbuf_detach(struct tz_strbuf *sb, size_t *len_out)
{
    char *s;
    if (!sb->alloc)
        tz_strbuf_grow(sb, 0);
    s = sb->buf;
    if (len_out)
        *len_out = sb->len;
    tz_strbuf_init(sb);
    return s;
}

void tz_strbuf_reset(struct tz_strbuf *sb)
{
    sb->len = 0;
    if (sb->alloc)
        sb->buf[0] = '\0';
}

void tz_strbuf_grow(struct tz_strbuf *sb, size_t extra)
{
    size_t need = sb->len + extra + 1;
    if (need <= sb->alloc)
        return;
    size_t n = sb->alloc ? sb->alloc : 64;
    while (n < need)
        n *= 2;
    if (!sb->alloc) {
        sb->buf = tz_xmalloc(n);
        sb->buf[0] = '\0';
    } else {
        sb->buf = tz_xrealloc(sb->buf, n);
    }
    sb->alloc = n;
}

void tz_strbuf_add(struct tz_strbuf *sb, const void *data, size_t len)
{
    tz_strbuf_grow(sb, len);
    memcpy(sb->buf + sb->len, data, len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
}

void tz_strbuf_addstr(struct tz_strbuf *sb, const char *s)
{
    tz_strbuf_add(sb, s, strlen(s));
}

void tz_strbuf_addch(struct tz_strbuf *sb, char c)
{
    tz_strbuf_add(sb, &c, 1);
}

void tz_strbuf_vaddf(struct tz_strbuf *sb, const char *fmt, va_list ap)
{
    va_list cp;
    /* format once into the room there is; only a longer text formats twice */
    tz_strbuf_grow(sb, 64);
    size_t room = sb->alloc - sb->len;
    va_copy(cp, ap);
    int n = vsnprintf(sb->buf + sb->len, room, fmt, cp);
    va_end(cp);
    if (n < 0) {
        sb->buf[sb->len] = '\0';
        return;
    }
    if ((size_t)n >= room) {
        tz_strbuf_grow(sb, (size_t)n);
        vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    }
    sb->len += (size_t)n;
}

void tz_strbuf_addf(struct tz_strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tz_strbuf_vaddf(sb, fmt, ap);
    va_end(ap);
}

void tz_strbuf_add_json_str(struct tz_strbuf *sb, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    tz_strbuf_grow(sb, len + 2);
    tz_strbuf_addch(sb, '"');
    for (size_t i = 0; i < len; i++) {
        /* copy a run of bytes that need no escaping in one go */
        size_t run = i;
        while (run < len && (unsigned char)s[run] >= 0x20 && s[run] != '"' && s[run] != '\\')
            run++;
        if (run > i) {
            tz_strbuf_add(sb, s + i, run - i);
            i = run;
            if (i == len)
                break;
        }
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"':
            tz_strbuf_add(sb, "\\\"", 2);
            break;
        case '\\':
            tz_strbuf_add(sb, "\\\\", 2);
            break;
        case '\n':
            tz_strbuf_add(sb, "\\n", 2);
            break;
        case '\r':
            tz_strbuf_add(sb, "\\r", 2);
            break;
        case '\t':
            tz_strbuf_add(sb, "\\t", 2);
            break;
        default:
            if (c < 0x20) {
                char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                tz_strbuf_add(sb, u, 6);
            } else {
                tz_strbuf_addch(sb, (char)c);
            }
        }
    }
    tz_strbuf_addch(sb, '"');
}
