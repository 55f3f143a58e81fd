/*
 * arena.c - region allocator (see arena.h).
 *
 * Blocks of 16 KiB (or the size of one large request) are chained; the head
 * block serves allocations until it is full.
 */
#include "tz/arena.h"
#include "tz/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE (16 * 1024)
#define ALIGN      16

struct tz_arena_block {
    struct tz_arena_block *next;
    size_t size;
    _Alignas(ALIGN) unsigned char data[];
};

void tz_arena_init(struct tz_arena *a)
{
    a->head = NULL;
    a->used = 0;
    a->total = 0;
}

void tz_arena_release(struct tz_arena *a)
{
    struct tz_arena_block *b = a->head;
    while (b) {
        struct tz_arena_block *next = b->next;
        free(b);
        b = next;
    }
    tz_arena_init(a);
}

void *tz_arena_alloc(struct tz_arena *a, size_t n)
{
    n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (!a->head || a->used + n > a->head->size) {
        size_t size = n > BLOCK_SIZE ? n : BLOCK_SIZE;
        struct tz_arena_block *b = tz_xmalloc(sizeof(*b) + size);
        b->size = size;
        b->next = a->head;
        a->head = b;
        a->used = 0;
        a->total += size;
    }
    void *p = a->head->data + a->used;
    a->used += n;
    return p;
}

void *tz_arena_calloc(struct tz_arena *a, size_t n)
{
    void *p = tz_arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

void *tz_arena_grow(struct tz_arena *a, const void *v, size_t *cap, size_t elem)
{
    char *w = tz_arena_alloc(a, 2 * *cap * elem);
    memcpy(w, v, *cap * elem);
    memset(w + *cap * elem, 0, *cap * elem);
    *cap *= 2;
    return w;
}

char *tz_arena_strndup(struct tz_arena *a, const char *s, size_t n)
{
    char *p = tz_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *tz_arena_strdup(struct tz_arena *a, const char *s)
{
    return s ? tz_arena_strndup(a, s, strlen(s)) : NULL;
}

char *tz_arena_printf(struct tz_arena *a, const char *fmt, ...)
{
    va_list ap, cp;
    va_start(ap, fmt);
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    char *p = tz_arena_alloc(a, n > 0 ? (size_t)n + 1 : 1);
    vsnprintf(p, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
    va_end(ap);
    return p;
}
