/*
 * app_counts.c - the cache of list totals (see app_internal.h).
 *
 * A list page needs the total of its filter; counting it means reading every
 * matching index entry (tens of milliseconds at a million items), while the
 * page itself is an index walk of 25 rows. The total of a filter changes only
 * when data is written or the lights move to a new day, so it is kept per
 * filter key together with the data version and light day it was counted at,
 * and any write (which bumps the version) makes every entry stale at once.
 */
#include "app_internal.h"
#include "tz/xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define N_SLOTS 128

struct slot {
    char *key;
    int64_t version;
    int day;
    int64_t total;
    char *text;
};

struct tz_count_cache {
    pthread_mutex_t lock;
    struct slot slots[N_SLOTS];
};

static unsigned slot_of(const char *key)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return (unsigned)(h % N_SLOTS);
}

struct tz_count_cache *tz_count_cache_new(void)
{
    struct tz_count_cache *cc = tz_xcalloc(1, sizeof(*cc));
    pthread_mutex_init(&cc->lock, NULL);
    return cc;
}

void tz_count_cache_free(struct tz_count_cache *cc)
{
    if (!cc)
        return;
    for (int i = 0; i < N_SLOTS; i++) {
        free(cc->slots[i].key);
        free(cc->slots[i].text);
    }
    pthread_mutex_destroy(&cc->lock);
    free(cc);
}

int64_t tz_count_cache_get(struct tz_count_cache *cc, const char *key, int64_t version, int day)
{
    int64_t total = -1;
    struct slot *s = &cc->slots[slot_of(key)];
    pthread_mutex_lock(&cc->lock);
    if (s->key && !s->text && s->version == version && s->day == day && strcmp(s->key, key) == 0)
        total = s->total;
    pthread_mutex_unlock(&cc->lock);
    return total;
}

static void put(struct tz_count_cache *cc, const char *key, int64_t version, int day, int64_t total,
                const char *text)
{
    struct slot *s = &cc->slots[slot_of(key)];
    char *copy = tz_xstrdup(key), *tcopy = text ? tz_xstrdup(text) : NULL;
    pthread_mutex_lock(&cc->lock);
    char *old = s->key, *old_text = s->text;
    s->key = copy;
    s->version = version;
    s->day = day;
    s->total = total;
    s->text = tcopy;
    pthread_mutex_unlock(&cc->lock);
    free(old);
    free(old_text);
}

void tz_count_cache_put(struct tz_count_cache *cc, const char *key, int64_t version, int day,
                        int64_t total)
{
    put(cc, key, version, day, total, NULL);
}

void tz_count_cache_put_text(struct tz_count_cache *cc, const char *key, int64_t version, int day,
                             const char *text)
{
    put(cc, key, version, day, -1, text);
}

char *tz_count_cache_get_text(struct tz_count_cache *cc, const char *key, int64_t version, int day)
{
    char *text = NULL;
    struct slot *s = &cc->slots[slot_of(key)];
    pthread_mutex_lock(&cc->lock);
    if (s->key && s->text && s->version == version && s->day == day && strcmp(s->key, key) == 0)
        text = tz_xstrdup(s->text);
    pthread_mutex_unlock(&cc->lock);
    return text;
}
