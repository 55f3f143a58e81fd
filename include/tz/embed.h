/*
 * embed.h - files built into the binary (tools/embed.c generates the table).
 *
 * Paths are relative to the repository ("data/calendar/CN-2026.json"). The data
 * is static, NUL-terminated after `len` bytes, and read-only. Thread-safe.
 */
#ifndef TZ_EMBED_H
#define TZ_EMBED_H

#include <stddef.h>

struct tz_embedded {
    const char *path;
    const unsigned char *data;
    size_t len;
};

extern const struct tz_embedded *tz_embedded_files; /* terminated by a NULL path */
extern const unsigned tz_embedded_count;

/* The file at path, or NULL. */
const struct tz_embedded *tz_embed_find(const char *path);

#endif
