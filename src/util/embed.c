/*
 * embed.c - lookup in the table of built-in files (see embed.h).
 */
#include "tz/embed.h"

#include <string.h>

const struct tz_embedded *tz_embed_find(const char *path)
{
    for (const struct tz_embedded *f = tz_embedded_files; f->path; f++)
        if (strcmp(f->path, path) == 0)
            return f;
    return NULL;
}
