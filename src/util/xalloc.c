/*
 * xalloc.c - allocation wrappers that abort on exhaustion (see xalloc.h).
 */
#include "tz/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
    fprintf(stderr, "taizhang: out of memory allocating %zu bytes\n", n);
    abort();
}

void *tz_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *tz_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        oom(count * size);
    return p;
}

void *tz_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *tz_xstrdup(const char *s)
{
    return tz_xstrndup(s, strlen(s));
}

char *tz_xstrndup(const char *s, size_t n)
{
    char *p = tz_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}
