/*
 * xalloc.h - allocation that never returns NULL.
 *
 * Out of memory aborts the process with a message (as Redis, tmux and h2o do);
 * in exchange every size that comes from input is capped before it is allocated.
 * All functions are thread-safe. The caller owns and frees what they return.
 */
#ifndef TZ_XALLOC_H
#define TZ_XALLOC_H

#include <stddef.h>

void *tz_xmalloc(size_t n);
void *tz_xcalloc(size_t count, size_t size);
void *tz_xrealloc(void *p, size_t n);
char *tz_xstrdup(const char *s);
char *tz_xstrndup(const char *s, size_t n);

#endif
