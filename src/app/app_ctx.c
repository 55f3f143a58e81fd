/*
 * app_ctx.c - the shared context of the use cases: settings, the business
 * clock, the calendar and unit-tree snapshots, per-request calls, and the audit
 * trail that every use case writes into.
 *
 * The calendar and the unit tree change rarely and are read on every request,
 * so they live in memory as immutable snapshots behind a read-write lock; a
 * change builds a new snapshot and swaps it in.
 */
#include "app_internal.h"
#include "tz/date.h"
#include "tz/embed.h"
#include "tz/log.h"
#include "tz/strbuf.h"
#include "tz/xalloc.h"

#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

/* The units sorted by id, with child lists (first_child/next_sibling, -1 ends) for subtrees. */
struct tz_unit_tree {
    struct tz_arena arena;
    struct tz_unit *units;
    size_t n;
    long *first_child;
    long *next_sibling;
    int64_t **sub; /* per unit: the sorted ids of it and every unit below it */
    size_t *n_sub;
};

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Index of the unit with this id, or -1 (binary search: units are sorted by id). */
static long unit_index(const struct tz_unit_tree *t, int64_t id)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->units[mid].id == id)
            return (long)mid;
        if (t->units[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

const char *tz_version(void)
{
    return TZ_VERSION;
}

void tz_config_init(struct tz_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->data_dir = "data";
    cfg->max_body = 1u << 20;
    cfg->max_upload = 20u << 20;
    cfg->session_idle_s = 30 * 60;
    cfg->session_abs_s = 12 * 3600;
    cfg->lockout_failures = 5;
    cfg->lockout_s = 30 * 60;
    cfg->utc_offset_min = 8 * 60;
    cfg->audit_alg = TZ_HASH_SM3;
    cfg->today_fixed = TZ_DAY_NONE;
    tz_config_notify(cfg, "09:00", NULL, "30,120,600,3600,21600", NULL);
    cfg->notify_lease_s = 60;
    cfg->max_import = 20u << 20;
    cfg->import_max_rows = 100000;
}

enum tz_status tz_config_from_env(struct tz_config *cfg, struct tz_err *err)
{
    const char *s = getenv("TAIZHANG_TODAY");
    if (s && *s && !tz_date_parse(s, &cfg->today_fixed))
        return tz_err_field(err, TZ_EINVAL, "TAIZHANG_TODAY",
                            "TAIZHANG_TODAY must be a date YYYY-MM-DD, not '%s'", s);
    s = getenv("TAIZHANG_AUDIT_HASH");
    if (s && *s && !tz_hash_alg_parse(s, &cfg->audit_alg))
        return tz_err_field(err, TZ_EINVAL, "TAIZHANG_AUDIT_HASH",
                            "TAIZHANG_AUDIT_HASH must be SM3 or SHA-256, not '%s'", s);
    enum tz_status ns =
        tz_config_notify(cfg, getenv("TAIZHANG_NOTIFY_AT"), getenv("TAIZHANG_PUBLIC_URL"),
                         getenv("TAIZHANG_NOTIFY_BACKOFF"), err);
    if (ns != TZ_OK)
        return ns;
    s = getenv("TAIZHANG_AUDIT_KEY");
    if (s && *s)
        cfg->audit_key = s;
    /* timers in seconds, for operators with stricter rules (and for tests) */
    static const struct {
        const char *name;
        size_t offset;
        long min, max;
    } timers[] = {
        {"TAIZHANG_SESSION_IDLE", offsetof(struct tz_config, session_idle_s), 1, 86400},
        {"TAIZHANG_SESSION_MAX", offsetof(struct tz_config, session_abs_s), 1, 7 * 86400},
        {"TAIZHANG_LOCKOUT", offsetof(struct tz_config, lockout_s), 1, 86400},
    };
    for (size_t i = 0; i < sizeof(timers) / sizeof(timers[0]); i++) {
        s = getenv(timers[i].name);
        if (!s || !*s)
            continue;
        char *end = NULL;
        long v = strtol(s, &end, 10);
        if (*end || v < timers[i].min || v > timers[i].max)
            return tz_err_field(err, TZ_EINVAL, timers[i].name,
                                "%s must be %ld to %ld seconds, not '%s'", timers[i].name,
                                timers[i].min, timers[i].max, s);
        *(int *)((char *)cfg + timers[i].offset) = (int)v;
    }
    /* the import's caps (a bigger district, or a test of the caps) */
    s = getenv("TAIZHANG_IMPORT_MAX_BYTES");
    if (s && *s) {
        char *end = NULL;
        long long v = strtoll(s, &end, 10);
        if (*end || v < 1024 || v > (1LL << 30))
            return tz_err_field(err, TZ_EINVAL, "TAIZHANG_IMPORT_MAX_BYTES",
                                "TAIZHANG_IMPORT_MAX_BYTES must be 1024 to 1073741824, not '%s'",
                                s);
        cfg->max_import = (size_t)v;
    }
    s = getenv("TAIZHANG_IMPORT_MAX_ROWS");
    if (s && *s) {
        char *end = NULL;
        long long v = strtoll(s, &end, 10);
        if (*end || v < 1 || v > 10000000)
            return tz_err_field(err, TZ_EINVAL, "TAIZHANG_IMPORT_MAX_ROWS",
                                "TAIZHANG_IMPORT_MAX_ROWS must be 1 to 10000000, not '%s'", s);
        cfg->import_max_rows = v;
    }
    return TZ_OK;
}

/* ---- clock ----------------------------------------------------------- */

/* The local civil time, computed by hand: gmtime_r would take glibc's time-zone lock. */
static void local_now(const struct tz_ctx *ctx, struct tm *tm, int *ms)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    int64_t t = (int64_t)tv.tv_sec + (int64_t)ctx->cfg.utc_offset_min * 60;
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t secs = t - days * 86400;
    int y, m, d;
    tz_date_to_ymd((int32_t)days, &y, &m, &d);
    memset(tm, 0, sizeof(*tm));
    tm->tm_year = y - 1900;
    tm->tm_mon = m - 1;
    tm->tm_mday = d;
    tm->tm_hour = (int)(secs / 3600);
    tm->tm_min = (int)(secs / 60 % 60);
    tm->tm_sec = (int)(secs % 60);
    *ms = (int)(tv.tv_usec / 1000);
}

static const char *stamp(const struct tz_ctx *ctx, struct tz_arena *a, bool business)
{
    struct tm tm;
    int ms;
    local_now(ctx, &tm, &ms);
    int y = tm.tm_year + 1900, m = tm.tm_mon + 1, d = tm.tm_mday;
    if (business && ctx->cfg.today_fixed != TZ_DAY_NONE)
        tz_date_to_ymd(ctx->cfg.today_fixed, &y, &m, &d);
    int off = ctx->cfg.utc_offset_min;
    return tz_arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, m, d, tm.tm_hour,
                           tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+', abs(off) / 60, abs(off) % 60);
}

int32_t tz_ctx_today(const struct tz_ctx *ctx)
{
    if (ctx->cfg.today_fixed != TZ_DAY_NONE)
        return ctx->cfg.today_fixed;
    struct tm tm;
    int ms;
    local_now(ctx, &tm, &ms);
    return tz_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

const char *tz_ctx_now(const struct tz_ctx *ctx, struct tz_arena *a)
{
    return stamp(ctx, a, true);
}

const char *tz_ctx_real_now(const struct tz_ctx *ctx, struct tz_arena *a)
{
    return stamp(ctx, a, false);
}

/* ---- snapshots --------------------------------------------------------- */

static void tree_free(struct tz_unit_tree *t)
{
    if (!t)
        return;
    tz_arena_release(&t->arena);
    free(t);
}

/* Reloads the unit tree from the store and swaps it in. */
enum tz_status tz_ctx_reload_units(struct tz_ctx *ctx, struct tz_store_conn *conn,
                                   struct tz_err *err)
{
    struct tz_unit_tree *t = tz_xcalloc(1, sizeof(*t));
    tz_arena_init(&t->arena);
    enum tz_status s = TZ_STORE(conn)->unit_list(conn, &t->arena, &t->units, &t->n, err);
    if (s != TZ_OK) {
        tree_free(t);
        return s;
    }
    t->first_child = tz_arena_alloc(&t->arena, (t->n + 1) * sizeof(long));
    t->next_sibling = tz_arena_alloc(&t->arena, (t->n + 1) * sizeof(long));
    for (size_t i = 0; i < t->n; i++)
        t->first_child[i] = t->next_sibling[i] = -1;
    for (size_t i = t->n; i-- > 0;) {
        long p = t->units[i].parent_id ? unit_index(t, t->units[i].parent_id) : -1;
        if (p >= 0) {
            t->next_sibling[i] = t->first_child[p];
            t->first_child[p] = (long)i;
        }
    }
    /* every unit's subtree, once per snapshot rather than once per request */
    t->sub = tz_arena_alloc(&t->arena, (t->n + 1) * sizeof(*t->sub));
    t->n_sub = tz_arena_alloc(&t->arena, (t->n + 1) * sizeof(*t->n_sub));
    long *queue = tz_xmalloc((t->n + 1) * sizeof(*queue));
    for (size_t u = 0; u < t->n; u++) {
        int64_t *ids = tz_arena_alloc(&t->arena, (t->n + 1) * sizeof(*ids));
        size_t k = 0, head = 0, tail = 0;
        queue[tail++] = (long)u;
        /* breadth first; the tree check on every edit keeps cycles out, the bound keeps us safe */
        while (head < tail && k < t->n) {
            long i = queue[head++];
            ids[k++] = t->units[i].id;
            for (long c = t->first_child[i]; c >= 0 && tail < t->n; c = t->next_sibling[c])
                queue[tail++] = c;
        }
        qsort(ids, k, sizeof(*ids), cmp_id);
        t->sub[u] = ids;
        t->n_sub[u] = k;
    }
    free(queue);
    pthread_rwlock_wrlock(&ctx->lock);
    struct tz_unit_tree *old = ctx->units;
    ctx->units = t;
    pthread_rwlock_unlock(&ctx->lock);
    tree_free(old);
    return TZ_OK;
}

/* Builds the calendar: shipped years, then the admin's edits on top. */
enum tz_status tz_ctx_reload_calendar(struct tz_ctx *ctx, struct tz_store_conn *conn,
                                      struct tz_err *err)
{
    struct tz_calendar *cal = tz_calendar_new();
    struct tz_arena a;
    enum tz_status s = TZ_OK;
    tz_arena_init(&a);
    for (const struct tz_embedded *f = tz_embedded_files; f->path; f++) {
        if (strncmp(f->path, "data/calendar/", 14) != 0)
            continue;
        s = tz_calendar_load_json(cal, (const char *)f->data, f->len, err);
        if (s != TZ_OK)
            goto out;
    }
    int *years = NULL;
    size_t n = 0;
    s = TZ_STORE(conn)->calendar_years(conn, &a, &years, &n, err);
    for (size_t i = 0; s == TZ_OK && i < n; i++) {
        const char *json = NULL;
        s = TZ_STORE(conn)->calendar_get(conn, years[i], &a, &json, err);
        if (s == TZ_OK && json)
            s = tz_calendar_load_json(cal, json, strlen(json), err);
    }
out:
    tz_arena_release(&a);
    if (s != TZ_OK) {
        tz_calendar_free(cal);
        return s;
    }
    pthread_rwlock_wrlock(&ctx->lock);
    struct tz_calendar *old = ctx->cal;
    ctx->cal = cal;
    pthread_rwlock_unlock(&ctx->lock);
    tz_calendar_free(old);
    return TZ_OK;
}

enum tz_status tz_ctx_init(struct tz_ctx *ctx, const struct tz_config *cfg, struct tz_store *store,
                           struct tz_err *err)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->cfg = *cfg;
    ctx->store = store;
    ctx->hasher.alg = cfg->audit_alg;
    if (cfg->audit_key) {
        ctx->hasher.key = (const unsigned char *)cfg->audit_key;
        ctx->hasher.key_len = strlen(cfg->audit_key);
    }
    pthread_rwlock_init(&ctx->lock, NULL);
    atomic_init(&ctx->lights_day, TZ_DAY_NONE);
    atomic_init(&ctx->snapshots_stale, false);
    ctx->counts = tz_count_cache_new();
    ctx->hub = tz_hub_new();
    randombytes_buf(&ctx->instance, sizeof(ctx->instance));
    ctx->ledgers = tz_ledgers_new();
    for (const struct tz_embedded *f = tz_embedded_files; f->path; f++) {
        if (strncmp(f->path, "data/ledgers/", 13) != 0)
            continue;
        if (tz_ledgers_add_json(ctx->ledgers, (const char *)f->data, f->len, err) != TZ_OK) {
            tz_err_set(err, TZ_EINTERNAL, "ledger definition %s: %s", f->path, err->msg);
            return TZ_EINTERNAL;
        }
    }
    atomic_init(&ctx->data_version, 0);
    atomic_init(&ctx->seen_data, 0);
    atomic_init(&ctx->seen_snapshots, 0);
    struct tz_store_conn *conn = store->ops->acquire(store);
    enum tz_status s = tz_ctx_reload_calendar(ctx, conn, err);
    if (s == TZ_OK)
        s = tz_ctx_reload_units(ctx, conn, err);
    store->ops->release(conn);
    if (s == TZ_OK)
        s = tz_app_search_backfill(ctx, err);
    return s;
}

enum tz_status tz_ctx_listen(struct tz_ctx *ctx, struct tz_err *err)
{
    if (!ctx->store->ops->listen)
        return TZ_OK;
    enum tz_status s = ctx->store->ops->listen(ctx->store, tz_ctx_heard, ctx, err);
    ctx->listening = s == TZ_OK;
    return s;
}

void tz_ctx_release(struct tz_ctx *ctx)
{
    if (ctx->listening)
        ctx->store->ops->listen(ctx->store, NULL, NULL, NULL);
    tz_count_cache_free(ctx->counts);
    tz_hub_free(ctx->hub);
    tz_ledgers_free(ctx->ledgers);
    tz_calendar_free(ctx->cal);
    tree_free(ctx->units);
    pthread_rwlock_destroy(&ctx->lock);
}

/* ---- unit tree queries ------------------------------------------------- */

const struct tz_unit *tz_ctx_unit(struct tz_ctx *ctx, int64_t id, struct tz_arena *a)
{
    const struct tz_unit *found = NULL;
    struct tz_unit *copy = NULL;
    pthread_rwlock_rdlock(&ctx->lock);
    long i = unit_index(ctx->units, id);
    if (i >= 0)
        found = &ctx->units->units[i];
    if (found) {
        copy = tz_arena_alloc(a, sizeof(*copy));
        *copy = *found;
        copy->code = tz_arena_strdup(a, found->code);
        copy->name = tz_arena_strdup(a, found->name);
        copy->kind = tz_arena_strdup(a, found->kind);
        copy->created_at = tz_arena_strdup(a, found->created_at);
    }
    pthread_rwlock_unlock(&ctx->lock);
    return copy;
}

int64_t tz_app_unit_by_code(struct tz_ctx *ctx, const char *code)
{
    int64_t id = 0;
    pthread_rwlock_rdlock(&ctx->lock);
    for (size_t i = 0; i < ctx->units->n; i++) {
        if (strcmp(ctx->units->units[i].code, code) == 0) {
            id = ctx->units->units[i].id;
            break;
        }
    }
    pthread_rwlock_unlock(&ctx->lock);
    return id;
}

/* The sorted ids of unit `root` and every unit below it, into the arena. */
size_t tz_ctx_subtree(struct tz_ctx *ctx, int64_t root, struct tz_arena *a, int64_t **out)
{
    pthread_rwlock_rdlock(&ctx->lock);
    const struct tz_unit_tree *t = ctx->units;
    long r = unit_index(t, root);
    size_t n = r >= 0 ? t->n_sub[r] : 0;
    int64_t *ids = tz_arena_alloc(a, (n + 1) * sizeof(*ids));
    if (n)
        memcpy(ids, t->sub[r], n * sizeof(*ids));
    pthread_rwlock_unlock(&ctx->lock);
    *out = ids;
    return n;
}

/* ---- calls ------------------------------------------------------------ */

/*
 * With several servers on one database, a request first looks at the
 * database's generation (one small read): if another server committed since
 * this one last looked, the cached answers are dropped, and if it changed
 * units or the calendar the snapshots are reloaded before anything is served.
 * So a change made through one server shows through every other at once, not
 * only when its announcement arrives.
 */
static void follow_other_servers(struct tz_ctx *ctx, struct tz_store_conn *conn)
{
    struct tz_err err;
    int64_t data = 0, snapshots = 0;
    if (!ctx->store->ops->generation ||
        ctx->store->ops->generation(conn, &data, &snapshots, &err) != TZ_OK)
        return;
    if (atomic_exchange(&ctx->seen_data, data) != data)
        atomic_fetch_add(&ctx->data_version, 1);
    if (atomic_exchange(&ctx->seen_snapshots, snapshots) != snapshots)
        atomic_store(&ctx->snapshots_stale, true);
}

void tz_call_init(struct tz_call *call, struct tz_ctx *ctx, struct tz_arena *arena, const char *ip)
{
    memset(call, 0, sizeof(*call));
    call->ctx = ctx;
    call->arena = arena;
    call->ip = ip ? ip : "-";
    call->conn = ctx->store->ops->acquire(ctx->store);
    follow_other_servers(ctx, call->conn);
    if (atomic_load(&ctx->snapshots_stale)) {
        struct tz_err err;
        if (tz_ctx_reload_units(ctx, call->conn, &err) == TZ_OK &&
            tz_ctx_reload_calendar(ctx, call->conn, &err) == TZ_OK)
            atomic_store(&ctx->snapshots_stale, false);
    }
}

void tz_ctx_refresh_after_commit(struct tz_call *call, bool units, bool calendar)
{
    struct tz_err err;
    enum tz_status s = TZ_OK;
    /* the change is committed and acknowledged whatever happens here */
    if (units)
        s = tz_ctx_reload_units(call->ctx, call->conn, &err);
    if (s == TZ_OK && calendar)
        s = tz_ctx_reload_calendar(call->ctx, call->conn, &err);
    if (s != TZ_OK) {
        tz_warn("reload after a change failed (%s); retrying on the next request", err.msg);
        atomic_store(&call->ctx->snapshots_stale, true);
    }
}

void tz_call_release(struct tz_call *call)
{
    if (call->conn)
        call->ctx->store->ops->release(call->conn);
    call->conn = NULL;
}

/* ---- audit ------------------------------------------------------------- */

enum tz_status tz_app_audit(struct tz_call *call, const char *action, const char *target,
                            const char *detail, struct tz_err *err)
{
    struct tz_audit_entry e;
    memset(&e, 0, sizeof(e));
    int64_t last = 0;
    enum tz_status s = TZ_STORE(call->conn)->audit_last(call->conn, &last, e.prev_hash, err);
    if (s != TZ_OK)
        return s;
    e.seq = last + 1;
    e.at = tz_ctx_real_now(call->ctx, call->arena);
    e.actor = call->signed_in ? call->user.username : "-";
    e.ip = call->ip;
    e.action = action;
    e.target = target ? target : "";
    e.detail = detail && *detail ? detail : "{}";
    s = tz_audit_seal(&call->ctx->hasher, &e, err);
    if (s != TZ_OK)
        return s;
    return TZ_STORE(call->conn)->audit_insert(call->conn, &e, err);
}

enum tz_status tz_app_audit_alone(struct tz_call *call, const char *action, const char *target,
                                  const char *detail, struct tz_err *err)
{
    enum tz_status s = TZ_APP_BEGIN(call, err);
    if (s != TZ_OK)
        return s;
    return tz_app_end(call, tz_app_audit(call, action, target, detail, err), err);
}

void tz_app_audit_denial(struct tz_call *call, const char *what, const struct tz_err *why)
{
    struct tz_err err;
    struct tz_strbuf d = TZ_STRBUF_INIT;
    tz_err_clear(&err);
    tz_strbuf_addstr(&d, "{\"status\":");
    tz_strbuf_addf(&d, "%d,\"code\":", tz_status_http(why->code));
    const char *code = tz_status_name(why->code);
    tz_strbuf_add_json_str(&d, code, strlen(code));
    tz_strbuf_addstr(&d, ",\"reason\":");
    tz_strbuf_add_json_str(&d, why->msg, strlen(why->msg));
    tz_strbuf_addch(&d, '}');
    if (TZ_STORE(call->conn)->begin(call->conn, &err) == TZ_OK) {
        if (tz_app_audit(call, "deny", what, d.buf, &err) == TZ_OK)
            TZ_STORE(call->conn)->commit(call->conn, &err);
        else
            TZ_STORE(call->conn)->rollback(call->conn);
    }
    if (err.code != TZ_OK)
        tz_warn("audit: could not record a denial: %s", err.msg);
    tz_strbuf_release(&d);
}
