/*
 * arena.h - a region allocator: many small allocations, one release.
 *
 * A request's allocations come from one arena released after the response
 * (as nginx's pools). Memory is never freed piecemeal. Aborts on exhaustion,
 * like tz_xmalloc. Not thread-safe: one arena belongs to one thread at a time.
 */
#ifndef TZ_ARENA_H
#define TZ_ARENA_H

#include <stddef.h>

struct tz_arena_block;

struct tz_arena {
    struct tz_arena_block *head;
    size_t used; /* bytes used in head */
    size_t total;
};

void tz_arena_init(struct tz_arena *a);
/* Frees every block; the arena is empty and reusable afterwards. */
void tz_arena_release(struct tz_arena *a);
/* n bytes aligned for any type; valid until tz_arena_release. */
void *tz_arena_alloc(struct tz_arena *a, size_t n);
void *tz_arena_calloc(struct tz_arena *a, size_t n);
/*
 * An array of *cap elements of elem bytes, full, as one twice as long: the
 * elements copied over, the new half zeroed, *cap doubled. The old array
 * stays in the arena until it is released (arrays grown this way cost at most
 * twice their final size).
 */
void *tz_arena_grow(struct tz_arena *a, const void *v, size_t *cap, size_t elem);
char *tz_arena_strdup(struct tz_arena *a, const char *s);
char *tz_arena_strndup(struct tz_arena *a, const char *s, size_t n);
char *tz_arena_printf(struct tz_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
