/*
 * store_sqlite.c - the SQLite implementation of the store interface (store.h).
 *
 * Design:
 * - WAL journal, synchronous=FULL (an acknowledged write survives power loss),
 *   busy timeout, foreign keys on. Schema migrations are the numbered files
 *   src/store/schema/NNN_*.sql, built into the binary; PRAGMA user_version
 *   records how many have run.
 * - A fixed pool of connections, one per concurrent request; each keeps its
 *   prepared statements (keyed by the address of their static SQL text).
 * - One writer at a time, on a dedicated writer connection: tz_store_begin
 *   takes the store's write mutex, so threads queue in the server instead of
 *   failing with SQLITE_BUSY. While a transaction is open, every call on the
 *   request's connection goes to the writer connection.
 * - Group commit: each transaction of a use case is a SAVEPOINT inside one
 *   SQLite transaction. When it ends and another writer is already waiting, it
 *   leaves the SQLite transaction open for that writer and waits; the last
 *   writer of the group COMMITs (one fsync for the whole group) and wakes the
 *   others with the result. Nobody is answered before their change is on disk,
 *   and a member that fails rolls back only its own savepoint.
 * - SQL stays portable ($n-free positional ? parameters, no SQLite-only
 *   functions in the item queries) so that the PostgreSQL store can share it.
 */
#include "tz/date.h"
#include "tz/embed.h"
#include "tz/log.h"
#include "tz/store.h"
#include "tz/strbuf.h"
#include "tz/xalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STMT_CACHE   96
#define UPDATE_CACHE 16

struct cached_stmt {
    const char *sql;
    sqlite3_stmt *stmt;
};

struct sq_conn {
    struct tz_store_conn base;
    sqlite3 *db;
    bool busy;
    bool in_write; /* between begin and commit/rollback: calls go to the writer */
    bool in_read;  /* a read transaction is open on this (reader) connection */
    bool in_bulk;  /* the write is a transaction of its own, without a savepoint (import) */
    struct cached_stmt cache[STMT_CACHE];
    struct {
        uint64_t mask;
        sqlite3_stmt *stmt;
    } updates[UPDATE_CACHE];
    unsigned next_update;
};

#define GROUP_MAX 64 /* members of one commit group at most */
/* The writer's page cache, and a bulk write's: 100 000 items' indexes (about 25 MB) stay in
 * memory instead of spilling to the WAL and being read back (measured: 15 % of an import's CPU;
 * 64 MB bought no more). */
#define WRITER_CACHE   "PRAGMA cache_size=-8000"
#define BULK_CACHE     "PRAGMA cache_size=-32768"
#define TZ_BULK_CODES  8  /* (ledger, year) code sequences a bulk write numbers from */
#define TZ_BULK_LEDGER 32 /* a ledger key's bytes, NUL included */

struct sq_store {
    struct tz_store base;
    tz_store_fault_fn fault; /* tests: fail the statement when this says so */
    void *fault_arg;
    pthread_mutex_t pool_lock;
    pthread_cond_t pool_cond;
    pthread_mutex_t write_lock;
    struct sq_conn *conns;
    int n_conns;
    char *path;
    /* group commit, under write_lock */
    struct sq_conn writer;
    bool group_open;
    int group_size;
    uint64_t group_gen;
    atomic_int waiting; /* threads queued for write_lock */
    /* durability, under durable_lock */
    pthread_mutex_t durable_lock;
    pthread_cond_t durable_cond;
    uint64_t durable_gen;
    enum tz_status results[GROUP_MAX]; /* by group_gen % GROUP_MAX */
    /* a bulk write's running state, under write_lock (see bulk_flush) */
    struct bulk_code {
        char ledger[TZ_BULK_LEDGER];
        int year, n;
    } bulk_codes[TZ_BULK_CODES];
    int n_bulk_codes;
    bool bulk_audit_known; /* bulk_audit_seq/hash are the chain's last entry */
    int64_t bulk_audit_seq;
    char bulk_audit_hash[TZ_HASH_HEX];
};

static const struct tz_store_ops sqlite_ops;

/* ---- helpers ---------------------------------------------------------- */

static enum tz_status db_err(sqlite3 *db, struct tz_err *err, const char *what)
{
    int code = sqlite3_extended_errcode(db);
    tz_error("sqlite: %s: %s (%d)", what, sqlite3_errmsg(db), code);
    if ((code & 0xff) == SQLITE_CONSTRAINT)
        return tz_err_set(err, TZ_EINVAL, "constraint violated: %s", what);
    if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
        return tz_err_set(err, TZ_EUNAVAIL, "database busy");
    return tz_err_set(err, TZ_EINTERNAL, "database error");
}

static bool injected_fault(struct sq_conn *c)
{
    struct sq_store *st = (struct sq_store *)c->base.store;
    return st->fault && st->fault(st->fault_arg);
}

/*
 * A request's reads share one read transaction, opened at its first statement
 * and closed when it writes or ends: one consistent snapshot, and one trip
 * through SQLite's file locks instead of one per statement (measured: those
 * locks were the list's main cost under load).
 */
static void read_begin(struct sq_conn *c)
{
    struct sq_store *st = (struct sq_store *)c->base.store;
    if (c == &st->writer || c->in_read)
        return;
    if (sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK)
        c->in_read = true;
}

static void read_end(struct sq_conn *c)
{
    if (!c->in_read)
        return;
    sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
    c->in_read = false;
}

static sqlite3_stmt *prep(struct sq_conn *c, const char *sql)
{
    if (injected_fault(c))
        return NULL;
    read_begin(c);
    for (int i = 0; i < STMT_CACHE; i++) {
        if (c->cache[i].sql == sql) {
            sqlite3_reset(c->cache[i].stmt);
            sqlite3_clear_bindings(c->cache[i].stmt);
            return c->cache[i].stmt;
        }
        if (!c->cache[i].sql) {
            sqlite3_stmt *st = NULL;
            if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) !=
                SQLITE_OK) {
                tz_error("sqlite: prepare: %s: %s", sqlite3_errmsg(c->db), sql);
                return NULL;
            }
            c->cache[i].sql = sql;
            c->cache[i].stmt = st;
            return st;
        }
    }
    abort(); /* more distinct statements than STMT_CACHE: raise the constant */
}

/* The connection a call runs on: the writer while a transaction is open. */
static struct sq_conn *SQ(struct tz_store_conn *c)
{
    struct sq_conn *raw = (struct sq_conn *)c;
    return raw->in_write ? &((struct sq_store *)c->store)->writer : raw;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static void bind_id(sqlite3_stmt *st, int i, int64_t id)
{
    if (id)
        sqlite3_bind_int64(st, i, id);
    else
        sqlite3_bind_null(st, i);
}

static const char *col_text(sqlite3_stmt *st, int i, struct tz_arena *a)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return NULL;
    return tz_arena_strndup(a, (const char *)sqlite3_column_text(st, i),
                            (size_t)sqlite3_column_bytes(st, i));
}

static const char *col_text_or(sqlite3_stmt *st, int i, struct tz_arena *a, const char *dflt)
{
    const char *s = col_text(st, i, a);
    return s ? s : dflt;
}

static int32_t col_day(sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return TZ_DAY_NONE;
    return sqlite3_column_int(st, i);
}

static enum tz_status step_done(struct sq_conn *c, sqlite3_stmt *st, struct tz_err *err,
                                const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_err(c->db, err, what);
    return TZ_OK;
}

static enum tz_status exec(sqlite3 *db, const char *sql, struct tz_err *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        tz_error("sqlite: %s", msg ? msg : "exec failed");
        sqlite3_free(msg);
        if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
            return tz_err_set(err, TZ_EUNAVAIL, "the database is busy; try again");
        return tz_err_set(err, TZ_EINTERNAL, "database error");
    }
    return TZ_OK;
}

/* ---- open, pool, transactions ---------------------------------------- */

static int migration_cmp(const void *a, const void *b)
{
    const struct tz_embedded *x = *(const struct tz_embedded *const *)a;
    const struct tz_embedded *y = *(const struct tz_embedded *const *)b;
    return strcmp(x->path, y->path);
}

static enum tz_status migrate(sqlite3 *db, struct tz_err *err)
{
    const char *prefix = "src/store/schema/";
    const struct tz_embedded *files[64];
    int n = 0;
    for (const struct tz_embedded *f = tz_embedded_files; f->path && n < 64; f++)
        if (strncmp(f->path, prefix, strlen(prefix)) == 0)
            files[n++] = f;
    qsort(files, (size_t)n, sizeof(files[0]), migration_cmp);

    sqlite3_stmt *st = NULL;
    int version = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (version > n)
        return tz_err_set(err, TZ_EUNAVAIL,
                          "database schema version %d is newer than this program (%d)", version, n);
    for (int i = version; i < n; i++) {
        enum tz_status s = exec(db, "BEGIN IMMEDIATE", err);
        if (s != TZ_OK)
            return s;
        s = exec(db, (const char *)files[i]->data, err);
        if (s == TZ_OK) {
            char sql[64];
            snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", i + 1);
            s = exec(db, sql, err);
        }
        if (s == TZ_OK)
            s = exec(db, "COMMIT", err);
        if (s != TZ_OK) {
            exec(db, "ROLLBACK", NULL);
            return s;
        }
        tz_info("store: migrated schema to version %d (%s)", i + 1, files[i]->path);
    }
    return TZ_OK;
}

static enum tz_status open_db(const char *path, bool create, sqlite3 **out, struct tz_err *err)
{
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        enum tz_status s = tz_err_set(err, TZ_EUNAVAIL, "cannot open database '%s': %s", path,
                                      db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return s;
    }
    /*
     * How long a write waits for another process's lock before it answers 503
     * (TAIZHANG_BUSY_TIMEOUT in milliseconds; 10 s by default).
     */
    const char *busy = getenv("TAIZHANG_BUSY_TIMEOUT");
    long busy_ms = busy && *busy ? strtol(busy, NULL, 10) : 10000;
    sqlite3_busy_timeout(db, busy_ms > 0 && busy_ms <= 600000 ? (int)busy_ms : 10000);
    enum tz_status s = exec(db,
                            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                            "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
                            "PRAGMA cache_size=-2000;",
                            err);
    if (s != TZ_OK) {
        sqlite3_close(db);
        return s;
    }
    *out = db;
    return TZ_OK;
}

/*
 * Without statistics the planner picks plans up to 10x slower on large ledgers
 * (STACK.md). A database that has items but no statistics for them (a fresh
 * import, a generated benchmark set) is analysed once, with a sampling limit so
 * that it takes well under a second even at a million items.
 */
static void analyze_if_needed(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    bool has_stats = false;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_stat1 WHERE tbl = 'items' LIMIT 1", -1, &st,
                           NULL) == SQLITE_OK)
        has_stats = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if (has_stats)
        return;
    st = NULL;
    int64_t n = 0;
    if (sqlite3_prepare_v2(db, "SELECT max(id) FROM items", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (n < 1000)
        return;
    tz_info("store: analysing a database of about %lld items", (long long)n);
    exec(db, "PRAGMA analysis_limit = 2000; ANALYZE;", NULL);
}

/*
 * SQLite keeps allocation statistics behind one global mutex by default; every
 * query of every thread would meet there. Nothing here reads those statistics.
 */
static void configure_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

struct tz_store *tz_store_sqlite_open(const char *path, bool create, int n_conns,
                                      struct tz_err *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, configure_sqlite);
    if (!create && access(path, F_OK) != 0) {
        tz_err_set(err, TZ_EUNAVAIL, "database '%s' does not exist (run 'taizhang init')", path);
        return NULL;
    }
    if (n_conns < 1)
        n_conns = 1;
    struct sq_store *st = tz_xcalloc(1, sizeof(*st));
    st->base.ops = &sqlite_ops;
    st->path = tz_xstrdup(path);
    st->n_conns = n_conns;
    st->conns = tz_xcalloc((size_t)n_conns, sizeof(struct sq_conn));
    pthread_mutex_init(&st->pool_lock, NULL);
    pthread_cond_init(&st->pool_cond, NULL);
    pthread_mutex_init(&st->write_lock, NULL);
    pthread_mutex_init(&st->durable_lock, NULL);
    pthread_cond_init(&st->durable_cond, NULL);
    atomic_init(&st->waiting, 0);
    for (int i = 0; i < n_conns; i++) {
        st->conns[i].base.store = &st->base;
        if (open_db(path, create && i == 0, &st->conns[i].db, err) != TZ_OK)
            goto fail;
        if (i == 0 && migrate(st->conns[0].db, err) != TZ_OK)
            goto fail;
    }
    st->writer.base.store = &st->base;
    if (open_db(path, false, &st->writer.db, err) != TZ_OK)
        goto fail;
    /* the writer walks index pages of every table: it gets the larger page cache */
    exec(st->writer.db, WRITER_CACHE, NULL);
    analyze_if_needed(st->conns[0].db);
    return &st->base;
fail:
    sqlite_ops.close(&st->base);
    return NULL;
}

static void sq_close(struct tz_store *base)
{
    struct sq_store *st = (struct sq_store *)base;
    for (int i = -1; i < st->n_conns; i++) {
        struct sq_conn *c = i < 0 ? &st->writer : &st->conns[i];
        for (int j = 0; j < STMT_CACHE && c->cache[j].sql; j++)
            sqlite3_finalize(c->cache[j].stmt);
        for (int j = 0; j < UPDATE_CACHE; j++)
            sqlite3_finalize(c->updates[j].stmt);
        if (c->db) {
            if (i == 0)
                sqlite3_exec(c->db, "PRAGMA optimize", NULL, NULL, NULL);
            sqlite3_close(c->db);
        }
    }
    pthread_mutex_destroy(&st->pool_lock);
    pthread_cond_destroy(&st->pool_cond);
    pthread_mutex_destroy(&st->write_lock);
    pthread_mutex_destroy(&st->durable_lock);
    pthread_cond_destroy(&st->durable_cond);
    free(st->conns);
    free(st->path);
    free(st);
}

static struct tz_store_conn *sq_acquire(struct tz_store *base)
{
    struct sq_store *st = (struct sq_store *)base;
    pthread_mutex_lock(&st->pool_lock);
    for (;;) {
        for (int i = 0; i < st->n_conns; i++) {
            if (!st->conns[i].busy) {
                st->conns[i].busy = true;
                pthread_mutex_unlock(&st->pool_lock);
                return &st->conns[i].base;
            }
        }
        pthread_cond_wait(&st->pool_cond, &st->pool_lock);
    }
}

static void sq_release(struct tz_store_conn *base)
{
    struct sq_conn *c = (struct sq_conn *)base;
    struct sq_store *st = (struct sq_store *)base->store;
    if (c->in_write)
        sqlite_ops.rollback(base);
    read_end(c);
    pthread_mutex_lock(&st->pool_lock);
    c->busy = false;
    pthread_cond_signal(&st->pool_cond);
    pthread_mutex_unlock(&st->pool_lock);
}

/*
 * Ends the caller's part of the open group, write_lock held; releases it. When
 * another writer waits and the group is not full, the group stays open for it
 * and the caller waits until the group is durable; otherwise the caller commits
 * the group. Returns the group's outcome.
 */
static enum tz_status close_group(struct sq_store *st, struct tz_err *err)
{
    uint64_t gen = st->group_gen;
    enum tz_status s;
    if (st->group_size > 0 && st->group_size < GROUP_MAX && atomic_load(&st->waiting) > 0) {
        pthread_mutex_unlock(&st->write_lock);
        pthread_mutex_lock(&st->durable_lock);
        while (st->durable_gen < gen)
            pthread_cond_wait(&st->durable_cond, &st->durable_lock);
        s = st->results[gen % GROUP_MAX];
        pthread_mutex_unlock(&st->durable_lock);
        if (s != TZ_OK)
            tz_err_set(err, s, "database error");
        return s;
    }
    s = exec(st->writer.db, "COMMIT", err);
    if (s != TZ_OK)
        exec(st->writer.db, "ROLLBACK", NULL);
    st->group_open = false;
    pthread_mutex_lock(&st->durable_lock);
    st->results[gen % GROUP_MAX] = s;
    st->durable_gen = gen;
    pthread_cond_broadcast(&st->durable_cond);
    pthread_mutex_unlock(&st->durable_lock);
    pthread_mutex_unlock(&st->write_lock);
    return s;
}

static enum tz_status sq_begin(struct tz_store_conn *base, struct tz_err *err)
{
    struct sq_conn *c = (struct sq_conn *)base;
    struct sq_store *st = (struct sq_store *)base->store;
    if (injected_fault(c))
        return tz_err_set(err, TZ_EINTERNAL, "database error");
    /* what this request reads after its write must see the write: a new snapshot then */
    read_end(c);
    atomic_fetch_add(&st->waiting, 1);
    pthread_mutex_lock(&st->write_lock);
    atomic_fetch_sub(&st->waiting, 1);
    enum tz_status s = TZ_OK;
    if (!st->group_open) {
        s = exec(st->writer.db, "BEGIN IMMEDIATE", err);
        if (s != TZ_OK) {
            pthread_mutex_unlock(&st->write_lock);
            return s;
        }
        st->group_open = true;
        st->group_size = 0;
        st->group_gen++;
    }
    s = exec(st->writer.db, "SAVEPOINT tz_action", err);
    if (s != TZ_OK) {
        struct tz_err ignore;
        close_group(st, &ignore);
        return s;
    }
    c->in_write = true;
    return TZ_OK;
}

/*
 * A bulk write (an import of 100 000 rows): its own transaction, not a
 * savepoint in a group. Inside a savepoint every statement's journal is
 * truncated back to the savepoint's offset when it ends, and SQLite's
 * in-memory journal (temp_store=MEMORY) finds that offset by walking its
 * chunks from the start: quadratic in the pages the import touched (measured:
 * 600 us a row at 10 000 rows). Without a savepoint each statement journal
 * starts empty. A group still open is committed first; the bulk transaction
 * may then be joined by the writers queued behind it (sq_commit closes the
 * group as usual), and a rollback discards only its own work.
 */
static void sq_rollback(struct tz_store_conn *base);

/*
 * The search text of a bulk write goes into the full-text index in one
 * statement at its end. Written row by row, every later statement of the
 * transaction would make FTS5 flush its pending terms (its xSavepoint syncs
 * them): a new segment a row and half of an import's time in merging them.
 */
static enum tz_status bulk_codes_store(struct sq_conn *c, struct sq_store *st, struct tz_err *err);

/* Forgets the bulk write's running state (at its start and its end). */
static void bulk_state_reset(struct sq_store *st)
{
    st->n_bulk_codes = 0;
    st->bulk_audit_known = false;
}

/* After a bulk write: its state forgotten, the writer's usual page cache back. */
static void bulk_end(struct sq_store *st)
{
    bulk_state_reset(st);
    exec(st->writer.db, WRITER_CACHE, NULL);
}

static enum tz_status bulk_flush(struct sq_store *st, struct tz_err *err)
{
    enum tz_status s = bulk_codes_store(&st->writer, st, err);
    if (s != TZ_OK)
        return s;
    return exec(st->writer.db,
                "DELETE FROM item_search WHERE rowid IN (SELECT item_id FROM temp.bulk_search); "
                "INSERT INTO item_search (rowid, title, body) "
                "SELECT item_id, title, body FROM temp.bulk_search; DELETE FROM temp.bulk_search",
                err);
}

static enum tz_status sq_begin_bulk(struct tz_store_conn *base, struct tz_err *err)
{
    struct sq_conn *c = (struct sq_conn *)base;
    struct sq_store *st = (struct sq_store *)base->store;
    if (injected_fault(c))
        return tz_err_set(err, TZ_EINTERNAL, "database error");
    read_end(c);
    atomic_fetch_add(&st->waiting, 1);
    pthread_mutex_lock(&st->write_lock);
    atomic_fetch_sub(&st->waiting, 1);
    enum tz_status s = TZ_OK;
    if (st->group_open) {
        /* the members before us wait for their commit: give it to them */
        s = exec(st->writer.db, "COMMIT", err);
        if (s != TZ_OK)
            exec(st->writer.db, "ROLLBACK", NULL);
        st->group_open = false;
        pthread_mutex_lock(&st->durable_lock);
        st->results[st->group_gen % GROUP_MAX] = s;
        st->durable_gen = st->group_gen;
        pthread_cond_broadcast(&st->durable_cond);
        pthread_mutex_unlock(&st->durable_lock);
    }
    /* the search text waits here until the commit (sq_search_put, bulk_flush) */
    s = exec(st->writer.db,
             "CREATE TEMP TABLE IF NOT EXISTS bulk_search (item_id INTEGER PRIMARY KEY, title "
             "TEXT, body TEXT); DELETE FROM temp.bulk_search; " BULK_CACHE "; BEGIN IMMEDIATE",
             err);
    if (s != TZ_OK) {
        exec(st->writer.db, WRITER_CACHE, NULL);
        pthread_mutex_unlock(&st->write_lock);
        return s;
    }
    st->group_open = true;
    st->group_size = 0;
    st->group_gen++;
    bulk_state_reset(st);
    c->in_write = true;
    c->in_bulk = true;
    return TZ_OK;
}

/* Ends a bulk write: its search text, COMMIT, the queued writers woken. */
static enum tz_status bulk_commit(struct sq_conn *c, struct sq_store *st, struct tz_err *err)
{
    enum tz_status s =
        injected_fault(c) ? tz_err_set(err, TZ_EINTERNAL, "database error") : bulk_flush(st, err);
    if (s == TZ_OK)
        s = exec(st->writer.db, "COMMIT", err);
    if (s != TZ_OK)
        exec(st->writer.db, "ROLLBACK", NULL);
    bulk_end(st);
    c->in_write = c->in_bulk = false;
    st->group_open = false;
    pthread_mutex_lock(&st->durable_lock);
    st->results[st->group_gen % GROUP_MAX] = s;
    st->durable_gen = st->group_gen;
    pthread_cond_broadcast(&st->durable_cond);
    pthread_mutex_unlock(&st->durable_lock);
    pthread_mutex_unlock(&st->write_lock);
    return s;
}

static enum tz_status sq_commit(struct tz_store_conn *base, struct tz_err *err)
{
    struct sq_conn *c = (struct sq_conn *)base;
    struct sq_store *st = (struct sq_store *)base->store;
    if (!c->in_write)
        return tz_err_set(err, TZ_EINTERNAL, "commit without a transaction");
    if (c->in_bulk)
        return bulk_commit(c, st, err);
    enum tz_status s = injected_fault(c) ? tz_err_set(err, TZ_EINTERNAL, "database error")
                                         : exec(st->writer.db, "RELEASE tz_action", err);
    if (s != TZ_OK)
        exec(st->writer.db, "ROLLBACK TO tz_action; RELEASE tz_action", NULL);
    else
        st->group_size++;
    c->in_write = false;
    c->in_bulk = false;
    struct tz_err gerr;
    tz_err_clear(&gerr);
    enum tz_status g = close_group(st, &gerr);
    if (s == TZ_OK && g != TZ_OK) {
        if (err)
            *err = gerr;
        return g;
    }
    return s;
}

static void sq_rollback(struct tz_store_conn *base)
{
    struct sq_conn *c = (struct sq_conn *)base;
    struct sq_store *st = (struct sq_store *)base->store;
    struct tz_err ignore;
    if (!c->in_write)
        return;
    if (c->in_bulk) {
        /* the transaction is the bulk write's alone: nobody joins before it ends */
        exec(st->writer.db, "ROLLBACK", NULL);
        bulk_end(st);
        c->in_write = c->in_bulk = false;
        st->group_open = false;
        pthread_mutex_lock(&st->durable_lock);
        st->results[st->group_gen % GROUP_MAX] = TZ_OK;
        st->durable_gen = st->group_gen;
        pthread_cond_broadcast(&st->durable_cond);
        pthread_mutex_unlock(&st->durable_lock);
        pthread_mutex_unlock(&st->write_lock);
        return;
    }
    exec(st->writer.db, "ROLLBACK TO tz_action; RELEASE tz_action", NULL);
    c->in_write = false;
    close_group(st, &ignore);
}

/* ---- meta ------------------------------------------------------------- */

static const char SQL_META_GET[] = "SELECT value FROM meta WHERE key = ?";
static const char SQL_META_SET[] =
    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
    "excluded.value";

static enum tz_status sq_meta_get(struct tz_store_conn *base, const char *key, struct tz_arena *a,
                                  const char **out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_META_GET);
    *out = NULL;
    if (!st)
        return db_err(c->db, err, "meta get");
    bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = col_text(st, 0, a);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_err(c->db, err, "meta get");
    return TZ_OK;
}

static enum tz_status sq_meta_set(struct tz_store_conn *base, const char *key, const char *value,
                                  struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_META_SET);
    if (!st)
        return db_err(c->db, err, "meta set");
    bind_text(st, 1, key);
    bind_text(st, 2, value);
    return step_done(c, st, err, "meta set");
}

/* ---- units ------------------------------------------------------------ */

static const char SQL_UNIT_INSERT[] =
    "INSERT INTO units (code, name, kind, parent_id, created_at) VALUES (?, ?, ?, ?, ?)";
static const char SQL_UNIT_UPDATE[] =
    "UPDATE units SET code = ?, name = ?, kind = ?, parent_id = ? WHERE id = ?";
static const char SQL_UNIT_LIST[] =
    "SELECT id, code, name, kind, parent_id, created_at FROM units ORDER BY id";

static enum tz_status sq_unit_insert(struct tz_store_conn *base, struct tz_unit *u,
                                     struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_UNIT_INSERT);
    if (!st)
        return db_err(c->db, err, "unit insert");
    bind_text(st, 1, u->code);
    bind_text(st, 2, u->name);
    bind_text(st, 3, u->kind);
    bind_id(st, 4, u->parent_id);
    bind_text(st, 5, u->created_at);
    enum tz_status s = step_done(c, st, err, "unit insert");
    if (s == TZ_OK)
        u->id = sqlite3_last_insert_rowid(c->db);
    return s;
}

static enum tz_status sq_unit_update(struct tz_store_conn *base, const struct tz_unit *u,
                                     struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_UNIT_UPDATE);
    if (!st)
        return db_err(c->db, err, "unit update");
    bind_text(st, 1, u->code);
    bind_text(st, 2, u->name);
    bind_text(st, 3, u->kind);
    bind_id(st, 4, u->parent_id);
    sqlite3_bind_int64(st, 5, u->id);
    return step_done(c, st, err, "unit update");
}

static enum tz_status sq_unit_list(struct tz_store_conn *base, struct tz_arena *a,
                                   struct tz_unit **out, size_t *n_out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_UNIT_LIST);
    size_t n = 0, cap = 64;
    struct tz_unit *v = tz_arena_alloc(a, cap * sizeof(*v));
    int rc;
    *out = NULL;
    *n_out = 0;
    if (!st)
        return db_err(c->db, err, "unit list");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap)
            v = tz_arena_grow(a, v, &cap, sizeof(*v));
        struct tz_unit *u = &v[n++];
        u->id = sqlite3_column_int64(st, 0);
        u->code = col_text(st, 1, a);
        u->name = col_text(st, 2, a);
        u->kind = col_text(st, 3, a);
        u->parent_id = sqlite3_column_int64(st, 4);
        u->created_at = col_text(st, 5, a);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_err(c->db, err, "unit list");
    *out = v;
    *n_out = n;
    return TZ_OK;
}

/* ---- users and sessions ----------------------------------------------- */

#define USER_COLS                                                                                  \
    "id, username, display_name, unit_id, roles, disabled, created_at, pw_hash, failed_logins, "   \
    "locked_until"
static const char SQL_USER_INSERT[] =
    "INSERT INTO users (username, display_name, unit_id, roles, disabled, created_at, pw_hash) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_USER_UPDATE[] =
    "UPDATE users SET display_name = ?, unit_id = ?, roles = ?, disabled = ?, pw_hash = ? WHERE "
    "id = ?";
static const char SQL_USER_BY_ID[] = "SELECT " USER_COLS " FROM users WHERE id = ?";
static const char SQL_USER_BY_NAME[] = "SELECT " USER_COLS " FROM users WHERE username = ?";
static const char SQL_USER_LIST[] = "SELECT " USER_COLS " FROM users ORDER BY id";
static const char SQL_USER_LOGIN[] =
    "UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?";

static void row_user(sqlite3_stmt *st, struct tz_arena *a, struct tz_user *u)
{
    u->id = sqlite3_column_int64(st, 0);
    u->username = col_text(st, 1, a);
    u->display_name = col_text(st, 2, a);
    u->unit_id = sqlite3_column_int64(st, 3);
    u->roles = (unsigned)sqlite3_column_int(st, 4);
    u->disabled = sqlite3_column_int(st, 5) != 0;
    u->created_at = col_text(st, 6, a);
    u->pw_hash = col_text(st, 7, a);
    u->failed_logins = sqlite3_column_int(st, 8);
    u->locked_until = sqlite3_column_int64(st, 9);
}

static enum tz_status sq_user_insert(struct tz_store_conn *base, struct tz_user *u,
                                     struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_USER_INSERT);
    if (!st)
        return db_err(c->db, err, "user insert");
    bind_text(st, 1, u->username);
    bind_text(st, 2, u->display_name);
    sqlite3_bind_int64(st, 3, u->unit_id);
    sqlite3_bind_int(st, 4, (int)u->roles);
    sqlite3_bind_int(st, 5, u->disabled);
    bind_text(st, 6, u->created_at);
    bind_text(st, 7, u->pw_hash);
    enum tz_status s = step_done(c, st, err, "user insert");
    if (s == TZ_OK)
        u->id = sqlite3_last_insert_rowid(c->db);
    return s;
}

static enum tz_status sq_user_update(struct tz_store_conn *base, const struct tz_user *u,
                                     struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_USER_UPDATE);
    if (!st)
        return db_err(c->db, err, "user update");
    bind_text(st, 1, u->display_name);
    sqlite3_bind_int64(st, 2, u->unit_id);
    sqlite3_bind_int(st, 3, (int)u->roles);
    sqlite3_bind_int(st, 4, u->disabled);
    bind_text(st, 5, u->pw_hash);
    sqlite3_bind_int64(st, 6, u->id);
    return step_done(c, st, err, "user update");
}

static enum tz_status sq_user_get(struct tz_store_conn *base, int64_t id, const char *username,
                                  struct tz_arena *a, struct tz_user *out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, username ? SQL_USER_BY_NAME : SQL_USER_BY_ID);
    if (!st)
        return db_err(c->db, err, "user get");
    if (username)
        bind_text(st, 1, username);
    else
        sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_user(st, a, out);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return tz_err_set(err, TZ_ENOTFOUND, "user not found");
    if (rc != SQLITE_ROW)
        return db_err(c->db, err, "user get");
    return TZ_OK;
}

static enum tz_status sq_user_list(struct tz_store_conn *base, struct tz_arena *a,
                                   struct tz_user **out, size_t *n_out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_USER_LIST);
    size_t n = 0, cap = 64;
    struct tz_user *v = tz_arena_alloc(a, cap * sizeof(*v));
    int rc;
    if (!st)
        return db_err(c->db, err, "user list");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap)
            v = tz_arena_grow(a, v, &cap, sizeof(*v));
        row_user(st, a, &v[n++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_err(c->db, err, "user list");
    *out = v;
    *n_out = n;
    return TZ_OK;
}

static enum tz_status sq_user_login_state(struct tz_store_conn *base, int64_t id, int failed,
                                          int64_t locked_until, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_USER_LOGIN);
    if (!st)
        return db_err(c->db, err, "user login state");
    sqlite3_bind_int(st, 1, failed);
    sqlite3_bind_int64(st, 2, locked_until);
    sqlite3_bind_int64(st, 3, id);
    return step_done(c, st, err, "user login state");
}

static const char SQL_SESSION_INSERT[] =
    "INSERT INTO sessions (token_hash, user_id, csrf, created, last_seen, expires) VALUES (?, ?, "
    "?, ?, ?, ?)";
static const char SQL_SESSION_GET[] =
    "SELECT s.token_hash, s.user_id, s.csrf, s.created, s.last_seen, s.expires, u.id, "
    "u.username, u.display_name, u.unit_id, u.roles, u.disabled, u.created_at, u.pw_hash, "
    "u.failed_logins, u.locked_until FROM sessions s JOIN users u ON u.id = s.user_id WHERE "
    "s.token_hash = ?";
static const char SQL_SESSION_TOUCH[] = "UPDATE sessions SET last_seen = ? WHERE token_hash = ?";
static const char SQL_SESSION_DELETE[] = "DELETE FROM sessions WHERE token_hash = ?";

static enum tz_status sq_session_insert(struct tz_store_conn *base, const struct tz_session *s,
                                        struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_SESSION_INSERT);
    if (!st)
        return db_err(c->db, err, "session insert");
    bind_text(st, 1, s->token_hash);
    sqlite3_bind_int64(st, 2, s->user_id);
    bind_text(st, 3, s->csrf);
    sqlite3_bind_int64(st, 4, s->created);
    sqlite3_bind_int64(st, 5, s->last_seen);
    sqlite3_bind_int64(st, 6, s->expires);
    return step_done(c, st, err, "session insert");
}

static enum tz_status sq_session_get(struct tz_store_conn *base, const char *token_hash,
                                     struct tz_arena *a, struct tz_session *out,
                                     struct tz_user *user_out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_SESSION_GET);
    if (!st)
        return db_err(c->db, err, "session get");
    bind_text(st, 1, token_hash);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->token_hash = col_text(st, 0, a);
        out->user_id = sqlite3_column_int64(st, 1);
        out->csrf = col_text(st, 2, a);
        out->created = sqlite3_column_int64(st, 3);
        out->last_seen = sqlite3_column_int64(st, 4);
        out->expires = sqlite3_column_int64(st, 5);
        struct tz_user *u = user_out;
        u->id = sqlite3_column_int64(st, 6);
        u->username = col_text(st, 7, a);
        u->display_name = col_text(st, 8, a);
        u->unit_id = sqlite3_column_int64(st, 9);
        u->roles = (unsigned)sqlite3_column_int(st, 10);
        u->disabled = sqlite3_column_int(st, 11) != 0;
        u->created_at = col_text(st, 12, a);
        u->pw_hash = col_text(st, 13, a);
        u->failed_logins = sqlite3_column_int(st, 14);
        u->locked_until = sqlite3_column_int64(st, 15);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return tz_err_set(err, TZ_EAUTH, "session not found");
    if (rc != SQLITE_ROW)
        return db_err(c->db, err, "session get");
    return TZ_OK;
}

static enum tz_status sq_session_touch(struct tz_store_conn *base, const char *token_hash,
                                       int64_t last_seen, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_SESSION_TOUCH);
    if (!st)
        return db_err(c->db, err, "session touch");
    sqlite3_bind_int64(st, 1, last_seen);
    bind_text(st, 2, token_hash);
    return step_done(c, st, err, "session touch");
}

static enum tz_status sq_session_delete(struct tz_store_conn *base, const char *token_hash,
                                        struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_SESSION_DELETE);
    if (!st)
        return db_err(c->db, err, "session delete");
    bind_text(st, 1, token_hash);
    return step_done(c, st, err, "session delete");
}

/* ---- items ------------------------------------------------------------ */

static const char SQL_CODE_NEXT[] =
    "INSERT INTO code_seq (ledger, year, n) VALUES (?, ?, 1) ON CONFLICT (ledger, year) DO "
    "UPDATE SET n = n + 1 RETURNING n";
static const char SQL_CODE_SET[] = "UPDATE code_seq SET n = ? WHERE ledger = ? AND year = ?";

static enum tz_status code_upsert(struct sq_conn *c, const char *ledger, int year, int *out,
                                  struct tz_err *err)
{
    sqlite3_stmt *st = prep(c, SQL_CODE_NEXT);
    if (!st)
        return db_err(c->db, err, "code next");
    bind_text(st, 1, ledger);
    sqlite3_bind_int(st, 2, year);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return db_err(c->db, err, "code next");
    return TZ_OK;
}

/*
 * A bulk write numbers its items from the sequence it read (and reserved one
 * of) at its first code, counting on in memory; bulk_flush stores the last
 * number before the commit. Nobody else writes while the bulk write holds
 * the write lock, and a rollback discards the reservation with the rest.
 */
static enum tz_status bulk_code_next(struct sq_conn *c, struct sq_store *st, const char *ledger,
                                     int year, int *out, struct tz_err *err)
{
    for (int i = 0; i < st->n_bulk_codes; i++) {
        struct bulk_code *bc = &st->bulk_codes[i];
        if (bc->year == year && strcmp(bc->ledger, ledger) == 0) {
            *out = ++bc->n;
            return TZ_OK;
        }
    }
    enum tz_status s = code_upsert(c, ledger, year, out, err);
    if (s == TZ_OK && st->n_bulk_codes < TZ_BULK_CODES && strlen(ledger) < TZ_BULK_LEDGER) {
        struct bulk_code *bc = &st->bulk_codes[st->n_bulk_codes++];
        snprintf(bc->ledger, sizeof(bc->ledger), "%s", ledger);
        bc->year = year;
        bc->n = *out;
    }
    return s;
}

/* The bulk write's last code numbers into code_seq. */
static enum tz_status bulk_codes_store(struct sq_conn *c, struct sq_store *st, struct tz_err *err)
{
    for (int i = 0; i < st->n_bulk_codes; i++) {
        sqlite3_stmt *q = prep(c, SQL_CODE_SET);
        if (!q)
            return db_err(c->db, err, "code set");
        sqlite3_bind_int(q, 1, st->bulk_codes[i].n);
        bind_text(q, 2, st->bulk_codes[i].ledger);
        sqlite3_bind_int(q, 3, st->bulk_codes[i].year);
        enum tz_status s = step_done(c, q, err, "code set");
        if (s != TZ_OK)
            return s;
    }
    st->n_bulk_codes = 0;
    return TZ_OK;
}

static enum tz_status sq_code_next(struct tz_store_conn *base, const char *ledger, int year,
                                   int *out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    if (((struct sq_conn *)base)->in_bulk)
        return bulk_code_next(c, (struct sq_store *)base->store, ledger, year, out, err);
    return code_upsert(c, ledger, year, out, err);
}

/* The columns every item query reads, in row_item's order. */
#define ITEM_COLS                                                                                  \
    "id, code, ledger, title, description, source, leader, lead_unit_id, deadline, "               \
    "original_deadline, status, light, progress, extension_count, supervised, remind_count, "      \
    "reopen_count, has_location, lat, lon, address, fields, created_at, updated_at, assigned_at, " \
    "closed_at, assigned_day, submitted_day, last_report_day, report_every_days, on_time, "        \
    "ext_pending, ext_deadline, ext_comment, ext_by, ext_at, version"

/* The columns an item write sets, in item_values' order. */
static const char *const item_cols[] = {
    "code",
    "ledger",
    "title",
    "description",
    "source",
    "leader",
    "lead_unit_id",
    "deadline",
    "original_deadline",
    "status",
    "light",
    "progress",
    "extension_count",
    "supervised",
    "remind_count",
    "reopen_count",
    "has_location",
    "lat",
    "lon",
    "address",
    "fields",
    "created_at",
    "updated_at",
    "assigned_at",
    "closed_at",
    "assigned_day",
    "submitted_day",
    "last_report_day",
    "report_every_days",
    "on_time",
    "ext_pending",
    "ext_deadline",
    "ext_comment",
    "ext_by",
    "ext_at",
    "version",
    "due_key",
};
#define N_ITEM_COLS (sizeof(item_cols) / sizeof(item_cols[0]))
_Static_assert(N_ITEM_COLS <= 64, "the changed-column mask is 64 bits");

static const char SQL_ITEM_INSERT[] =
    "INSERT INTO items (code, ledger, title, description, source, leader, lead_unit_id, "
    "deadline, original_deadline, status, light, progress, extension_count, supervised, "
    "remind_count, reopen_count, has_location, lat, lon, address, fields, created_at, "
    "updated_at, assigned_at, closed_at, assigned_day, submitted_day, last_report_day, "
    "report_every_days, on_time, ext_pending, ext_deadline, ext_comment, ext_by, ext_at, "
    "version, due_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_ITEM_GET[] = "SELECT " ITEM_COLS " FROM items WHERE id = ?";
static const char SQL_ITEM_UNITS_DEL[] = "DELETE FROM item_units WHERE item_id = ?";
static const char SQL_ITEM_UNITS_ADD[] =
    "INSERT INTO item_units (item_id, unit_id, is_lead, due_key) VALUES (?1, ?2, ?3, (SELECT "
    "due_key FROM items WHERE id = ?1)) ON CONFLICT (item_id, unit_id) DO NOTHING";
static const char SQL_ITEM_CO_UNITS[] =
    "SELECT unit_id FROM item_units WHERE item_id = ? AND is_lead = 0 ORDER BY unit_id";

/* One column's value as SQLite will store it. */
struct colval {
    enum { V_NULL, V_INT, V_REAL, V_TEXT } type;
    int64_t i;
    double r;
    const char *t;
};

static struct colval v_text(const char *t)
{
    return t ? (struct colval){.type = V_TEXT, .t = t} : (struct colval){.type = V_NULL};
}

static struct colval v_int(int64_t i)
{
    return (struct colval){.type = V_INT, .i = i};
}

static struct colval v_day(int32_t day)
{
    return day == TZ_DAY_NONE ? (struct colval){.type = V_NULL} : v_int(day);
}

static struct colval v_id(int64_t id)
{
    return id ? v_int(id) : (struct colval){.type = V_NULL};
}

static struct colval v_real(double r)
{
    return (struct colval){.type = V_REAL, .r = r};
}

/* The stored values of an item, in item_cols' order. */
static void item_values(const struct tz_item *it, struct colval v[N_ITEM_COLS])
{
    const struct colval null = {.type = V_NULL};
    const struct tz_extension *x = &it->extension;
    int i = 0;
    v[i++] = v_text(it->code);
    v[i++] = v_text(it->ledger);
    v[i++] = v_text(it->title);
    v[i++] = v_text(it->description ? it->description : "");
    v[i++] = v_text(it->source ? it->source : "");
    v[i++] = v_text(it->leader ? it->leader : "");
    v[i++] = v_id(it->lead_unit_id);
    v[i++] = v_day(it->deadline);
    v[i++] = v_day(it->original_deadline);
    v[i++] = v_text(tz_state_name(it->state));
    v[i++] = v_text(tz_light_name(it->light));
    v[i++] = v_int(it->progress);
    v[i++] = v_int(it->extension_count);
    v[i++] = v_int(it->supervised);
    v[i++] = v_int(it->remind_count);
    v[i++] = v_int(it->reopen_count);
    v[i++] = v_int(it->has_location);
    v[i++] = it->has_location ? v_real(it->lat) : null;
    v[i++] = it->has_location ? v_real(it->lon) : null;
    v[i++] = v_text(it->has_location ? it->address : NULL);
    v[i++] = v_text(it->fields_json ? it->fields_json : "{}");
    v[i++] = v_text(it->created_at);
    v[i++] = v_text(it->updated_at);
    v[i++] = v_text(it->assigned_at);
    v[i++] = v_text(it->closed_at);
    v[i++] = v_day(it->assigned_day);
    v[i++] = v_day(it->submitted_day);
    v[i++] = v_day(it->last_report_day);
    v[i++] = v_int(it->report_every_days);
    v[i++] = it->on_time < 0 ? null : v_int(it->on_time);
    v[i++] = v_int(x->pending);
    v[i++] = x->pending ? v_day(x->deadline) : null;
    v[i++] = v_text(x->pending ? x->comment : NULL);
    v[i++] = x->pending ? v_int(x->by) : null;
    v[i++] = v_text(x->pending ? x->at : NULL);
    v[i++] = v_int(it->version);
    v[i++] = v_int(it->deadline == TZ_DAY_NONE ? INT32_MAX : it->deadline);
}

static bool same_value(const struct colval *a, const struct colval *b)
{
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case V_NULL:
        return true;
    case V_INT:
        return a->i == b->i;
    case V_REAL:
        return a->r == b->r;
    case V_TEXT:
        return strcmp(a->t, b->t) == 0;
    }
    return false;
}

static void bind_value(sqlite3_stmt *st, int i, const struct colval *v)
{
    switch (v->type) {
    case V_NULL:
        sqlite3_bind_null(st, i);
        break;
    case V_INT:
        sqlite3_bind_int64(st, i, v->i);
        break;
    case V_REAL:
        sqlite3_bind_double(st, i, v->r);
        break;
    case V_TEXT:
        sqlite3_bind_text(st, i, v->t, -1, SQLITE_TRANSIENT);
        break;
    }
}

static void row_item(sqlite3_stmt *st, struct tz_arena *a, struct tz_item *it)
{
    int i = 0;
    memset(it, 0, sizeof(*it));
    it->id = sqlite3_column_int64(st, i++);
    it->code = col_text_or(st, i++, a, "");
    it->ledger = col_text_or(st, i++, a, "");
    it->title = col_text_or(st, i++, a, "");
    it->description = col_text_or(st, i++, a, "");
    it->source = col_text_or(st, i++, a, "");
    it->leader = col_text_or(st, i++, a, "");
    it->lead_unit_id = sqlite3_column_int64(st, i++);
    it->deadline = col_day(st, i++);
    it->original_deadline = col_day(st, i++);
    const char *s = (const char *)sqlite3_column_text(st, i++);
    if (!s || !tz_state_parse(s, &it->state))
        it->state = TZ_STATE_DRAFT;
    s = (const char *)sqlite3_column_text(st, i++);
    if (!s || !tz_light_parse(s, &it->light))
        it->light = TZ_LIGHT_NONE;
    it->progress = sqlite3_column_int(st, i++);
    it->extension_count = sqlite3_column_int(st, i++);
    it->supervised = sqlite3_column_int(st, i++);
    it->remind_count = sqlite3_column_int(st, i++);
    it->reopen_count = sqlite3_column_int(st, i++);
    it->has_location = sqlite3_column_int(st, i++) != 0;
    it->lat = sqlite3_column_double(st, i++);
    it->lon = sqlite3_column_double(st, i++);
    it->address = col_text(st, i++, a);
    it->fields_json = col_text_or(st, i++, a, "{}");
    it->created_at = col_text(st, i++, a);
    it->updated_at = col_text(st, i++, a);
    it->assigned_at = col_text(st, i++, a);
    it->closed_at = col_text(st, i++, a);
    it->assigned_day = col_day(st, i++);
    it->submitted_day = col_day(st, i++);
    it->last_report_day = col_day(st, i++);
    it->report_every_days = sqlite3_column_int(st, i++);
    it->on_time = sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int(st, i);
    i++;
    it->extension.pending = sqlite3_column_int(st, i++) != 0;
    it->extension.deadline = col_day(st, i++);
    it->extension.comment = col_text(st, i++, a);
    it->extension.by = sqlite3_column_int64(st, i++);
    it->extension.at = col_text(st, i++, a);
    it->version = sqlite3_column_int64(st, i++);
}

/* The ids a one-column query gives for the item, into the arena; `what` names it in errors. */
static enum tz_status load_ids(struct sq_conn *c, const char *sql, int64_t item_id,
                               const char *what, struct tz_arena *a, const int64_t **out,
                               size_t *n_out, struct tz_err *err)
{
    sqlite3_stmt *st = prep(c, sql);
    if (!st)
        return db_err(c->db, err, what);
    sqlite3_bind_int64(st, 1, item_id);
    size_t n = 0, cap = 4;
    int64_t *v = tz_arena_alloc(a, cap * sizeof(*v));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap)
            v = tz_arena_grow(a, v, &cap, sizeof(*v));
        v[n++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_err(c->db, err, what);
    *out = v;
    *n_out = n;
    return TZ_OK;
}

static enum tz_status load_co_units(struct sq_conn *c, struct tz_arena *a, struct tz_item *it,
                                    struct tz_err *err)
{
    return load_ids(c, SQL_ITEM_CO_UNITS, it->id, "item co-units", a, &it->co_unit_ids,
                    &it->n_co_units, err);
}

static const char SQL_ITEM_LINKS[] =
    "SELECT linked_id FROM item_links WHERE item_id = ? ORDER BY linked_id";
static const char SQL_ITEM_LINKS_DEL[] =
    "DELETE FROM item_links WHERE item_id = ?1 OR linked_id = ?1";
static const char SQL_ITEM_LINKS_ADD[] =
    "INSERT OR IGNORE INTO item_links (item_id, linked_id) VALUES (?1, ?2), (?2, ?1)";

static enum tz_status load_links(struct sq_conn *c, struct tz_arena *a, struct tz_item *it,
                                 struct tz_err *err)
{
    return load_ids(c, SQL_ITEM_LINKS, it->id, "item links", a, &it->link_ids, &it->n_links, err);
}

/* The item's co-units and links, after its row. */
static enum tz_status load_relations(struct sq_conn *c, struct tz_arena *a, struct tz_item *it,
                                     struct tz_err *err)
{
    enum tz_status s = load_co_units(c, a, it, err);
    return s == TZ_OK ? load_links(c, a, it, err) : s;
}

/* Replaces the item's links, both directions. */
static enum tz_status write_item_links(struct sq_conn *c, const struct tz_item *it,
                                       struct tz_err *err)
{
    sqlite3_stmt *st = prep(c, SQL_ITEM_LINKS_DEL);
    if (!st)
        return db_err(c->db, err, "item links");
    sqlite3_bind_int64(st, 1, it->id);
    enum tz_status s = step_done(c, st, err, "item links");
    for (size_t i = 0; s == TZ_OK && i < it->n_links; i++) {
        st = prep(c, SQL_ITEM_LINKS_ADD);
        if (!st)
            return db_err(c->db, err, "item links");
        sqlite3_bind_int64(st, 1, it->id);
        sqlite3_bind_int64(st, 2, it->link_ids[i]);
        s = step_done(c, st, err, "item links");
    }
    return s;
}

static bool same_links(const struct tz_item *a, const struct tz_item *b)
{
    if (a->n_links != b->n_links)
        return false;
    for (size_t k = 0; k < a->n_links; k++)
        if (a->link_ids[k] != b->link_ids[k])
            return false;
    return true;
}

/* The item's lead and co-units; fresh: a new item (items are never deleted: nothing to clear). */
static enum tz_status write_item_units(struct sq_conn *c, const struct tz_item *it, bool fresh,
                                       struct tz_err *err)
{
    sqlite3_stmt *st;
    if (!fresh) {
        st = prep(c, SQL_ITEM_UNITS_DEL);
        if (!st)
            return db_err(c->db, err, "item units");
        sqlite3_bind_int64(st, 1, it->id);
        enum tz_status s = step_done(c, st, err, "item units");
        if (s != TZ_OK)
            return s;
    }
    enum tz_status s;
    for (size_t i = 0; i <= it->n_co_units; i++) {
        int64_t unit = i == 0 ? it->lead_unit_id : it->co_unit_ids[i - 1];
        if (!unit)
            continue;
        st = prep(c, SQL_ITEM_UNITS_ADD);
        if (!st)
            return db_err(c->db, err, "item units");
        sqlite3_bind_int64(st, 1, it->id);
        sqlite3_bind_int64(st, 2, unit);
        sqlite3_bind_int(st, 3, i == 0);
        s = step_done(c, st, err, "item units");
        if (s != TZ_OK)
            return s;
    }
    return TZ_OK;
}

static enum tz_status sq_item_insert(struct tz_store_conn *base, struct tz_item *it,
                                     struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_ITEM_INSERT);
    struct colval v[N_ITEM_COLS];
    if (!st)
        return db_err(c->db, err, "item insert");
    item_values(it, v);
    for (size_t k = 0; k < N_ITEM_COLS; k++)
        bind_value(st, (int)k + 1, &v[k]);
    enum tz_status s = step_done(c, st, err, "item insert");
    if (s != TZ_OK)
        return s;
    it->id = sqlite3_last_insert_rowid(c->db);
    s = write_item_units(c, it, true, err);
    return s == TZ_OK && it->n_links ? write_item_links(c, it, err) : s;
}

/*
 * An update sets only the columns that changed, so that an action touching a
 * counter and the version leaves the indexes on status, light and deadline
 * alone. Statements are cached per connection by their column mask.
 */
static sqlite3_stmt *update_stmt(struct sq_conn *c, uint64_t mask)
{
    for (int i = 0; i < UPDATE_CACHE; i++)
        if (c->updates[i].stmt && c->updates[i].mask == mask) {
            sqlite3_reset(c->updates[i].stmt);
            sqlite3_clear_bindings(c->updates[i].stmt);
            return c->updates[i].stmt;
        }
    if (injected_fault(c))
        return NULL;
    struct tz_strbuf sql = TZ_STRBUF_INIT;
    tz_strbuf_addstr(&sql, "UPDATE items SET ");
    bool first = true;
    for (size_t k = 0; k < N_ITEM_COLS; k++) {
        if (mask & (1ull << k)) {
            tz_strbuf_addf(&sql, "%s%s = ?", first ? "" : ", ", item_cols[k]);
            first = false;
        }
    }
    tz_strbuf_addstr(&sql, " WHERE id = ? AND version = ?");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(c->db, sql.buf, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        tz_error("sqlite: prepare: %s: %s", sqlite3_errmsg(c->db), sql.buf);
    tz_strbuf_release(&sql);
    if (!st)
        return NULL;
    int slot = c->next_update++ % UPDATE_CACHE;
    sqlite3_finalize(c->updates[slot].stmt);
    c->updates[slot].stmt = st;
    c->updates[slot].mask = mask;
    return st;
}

static enum tz_status sq_item_update(struct tz_store_conn *base, const struct tz_item *before,
                                     const struct tz_item *after, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    struct colval vb[N_ITEM_COLS], va[N_ITEM_COLS];
    uint64_t mask = 0;
    item_values(before, vb);
    item_values(after, va);
    for (size_t k = 0; k < N_ITEM_COLS; k++)
        if (!same_value(&vb[k], &va[k]))
            mask |= 1ull << k;
    if (!mask)
        return tz_err_set(err, TZ_EINTERNAL, "an update that changes nothing");
    sqlite3_stmt *st = update_stmt(c, mask);
    if (!st)
        return db_err(c->db, err, "item update");
    int n = 1;
    for (size_t k = 0; k < N_ITEM_COLS; k++)
        if (mask & (1ull << k))
            bind_value(st, n++, &va[k]);
    sqlite3_bind_int64(st, n++, after->id);
    sqlite3_bind_int64(st, n++, before->version);
    enum tz_status s = step_done(c, st, err, "item update");
    if (s != TZ_OK)
        return s;
    if (sqlite3_changes(c->db) == 0)
        return tz_err_field(err, TZ_ECONFLICT, "version", "the item was changed meanwhile");
    bool units_changed =
        before->lead_unit_id != after->lead_unit_id || before->n_co_units != after->n_co_units;
    for (size_t k = 0; !units_changed && k < after->n_co_units; k++)
        units_changed = before->co_unit_ids[k] != after->co_unit_ids[k];
    s = units_changed ? write_item_units(c, after, false, err) : TZ_OK;
    return s == TZ_OK && !same_links(before, after) ? write_item_links(c, after, err) : s;
}

static enum tz_status sq_item_get(struct tz_store_conn *base, int64_t id, struct tz_arena *a,
                                  struct tz_item *out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_ITEM_GET);
    if (!st)
        return db_err(c->db, err, "item get");
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_item(st, a, out);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return tz_err_set(err, TZ_ENOTFOUND, "item not found");
    if (rc != SQLITE_ROW)
        return db_err(c->db, err, "item get");
    return load_relations(c, a, out, err);
}

/* Appends "?, ?, ?" for n parameters. */
static void add_params(struct tz_strbuf *sb, size_t n)
{
    for (size_t i = 0; i < n; i++)
        tz_strbuf_addstr(sb, i ? ", ?" : "?");
}

/* A growing list of values to bind, in order of the '?' in the SQL text. */
struct binds {
    enum { B_INT, B_TEXT } kind[512];
    int64_t i[512];
    const char *s[512];
    int n;
};

static void bind_add_int(struct binds *b, int64_t v)
{
    if (b->n < 512) {
        b->kind[b->n] = B_INT;
        b->i[b->n++] = v;
    }
}

static void bind_add_text(struct binds *b, const char *v)
{
    if (b->n < 512) {
        b->kind[b->n] = B_TEXT;
        b->s[b->n++] = v;
    }
}

static void bind_all(sqlite3_stmt *st, const struct binds *b)
{
    for (int k = 0; k < b->n; k++) {
        if (b->kind[k] == B_INT)
            sqlite3_bind_int64(st, k + 1, b->i[k]);
        else
            sqlite3_bind_text(st, k + 1, b->s[k], -1, SQLITE_STATIC);
    }
}

/* Unit ids inline as integers: they come from the server, never from input text. */
static void add_id_list(struct tz_strbuf *sb, const int64_t *ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        tz_strbuf_addf(sb, "%s%lld", i ? ", " : "", (long long)ids[i]);
}

/* The scope condition of struct tz_scope (mirrors tz_loop_visible). */
static void add_scope(struct tz_strbuf *sb, const struct tz_scope *sc)
{
    if (sc->all)
        return;
    if (sc->none || sc->n_units == 0) {
        tz_strbuf_addstr(sb, sc->none ? " AND 0 = 1" : " AND status = 'registered'");
        return;
    }
    tz_strbuf_addstr(sb, " AND (status = 'registered' OR (status <> 'draft' AND NOT (status = "
                         "'cancelled' AND assigned_at IS NULL) AND id IN (SELECT item_id "
                         "FROM item_units WHERE unit_id IN (");
    add_id_list(sb, sc->units, sc->n_units);
    tz_strbuf_addstr(sb, "))))");
}

static void add_mask(struct tz_strbuf *sb, const char *col, unsigned mask, int count,
                     const char *(*name)(int), struct binds *b)
{
    if (!mask)
        return;
    tz_strbuf_addf(sb, " AND %s IN (", col);
    bool first = true;
    for (int i = 0; i < count; i++) {
        if (mask & (1u << i)) {
            tz_strbuf_addstr(sb, first ? "?" : ", ?");
            bind_add_text(b, name(i));
            first = false;
        }
    }
    tz_strbuf_addch(sb, ')');
}

static const char *state_name_i(int i)
{
    return tz_state_name((enum tz_state)i);
}

static const char *light_name_i(int i)
{
    return tz_light_name((enum tz_light)i);
}

static void build_where(struct tz_strbuf *sb, const struct tz_item_filter *f, struct binds *b,
                        bool units_by_join)
{
    tz_strbuf_addstr(sb, " WHERE 1 = 1");
    add_scope(sb, &f->scope);
    if (f->n_ledgers) {
        tz_strbuf_addstr(sb, " AND ledger IN (");
        add_params(sb, f->n_ledgers);
        tz_strbuf_addch(sb, ')');
        for (size_t i = 0; i < f->n_ledgers; i++)
            bind_add_text(b, f->ledgers[i]);
    }
    add_mask(sb, "status", f->states, TZ__STATE_COUNT, state_name_i, b);
    add_mask(sb, "light", f->lights, TZ__LIGHT_COUNT, light_name_i, b);
    if (f->lead_unit_id) {
        tz_strbuf_addstr(sb, " AND lead_unit_id = ?");
        bind_add_int(b, f->lead_unit_id);
    }
    if (f->units && !units_by_join) {
        tz_strbuf_addstr(sb, " AND id IN (SELECT item_id FROM item_units WHERE unit_id IN (");
        if (f->n_units)
            add_id_list(sb, f->units, f->n_units);
        else
            tz_strbuf_addstr(sb, "NULL");
        tz_strbuf_addstr(sb, "))");
    }
    if (f->q && *f->q) {
        /* instr() rather than LIKE: no wildcard escaping, exact substring */
        tz_strbuf_addstr(sb, " AND (instr(code, ?) > 0 OR instr(title, ?) > 0 OR "
                             "instr(description, ?) > 0)");
        for (int k = 0; k < 3; k++)
            bind_add_text(b, f->q);
    }
    if (f->due_before != TZ_DAY_NONE) {
        tz_strbuf_addstr(sb, " AND deadline <= ?");
        bind_add_int(b, f->due_before);
    }
    if (f->due_after != TZ_DAY_NONE) {
        tz_strbuf_addstr(sb, " AND deadline >= ?");
        bind_add_int(b, f->due_after);
    }
    if (f->supervised_min >= 0) {
        tz_strbuf_addstr(sb, " AND supervised >= ?");
        bind_add_int(b, f->supervised_min);
    }
    if (f->received) {
        tz_strbuf_addstr(sb, " AND id IN (SELECT item_id FROM unit_tally WHERE kind = ?");
        bind_add_text(b, f->received);
        if (f->received_by) {
            tz_strbuf_addstr(sb, " AND unit_id = ?");
            bind_add_int(b, f->received_by);
        }
        tz_strbuf_addch(sb, ')');
    }
    for (size_t i = 0; i < f->n_fields; i++) {
        const struct tz_field_match *m = &f->fields[i];
        tz_strbuf_addstr(sb, m->in_list ? " AND EXISTS (SELECT 1 FROM json_each(fields, ?) "
                                          "WHERE value = ?)"
                                        : " AND json_extract(fields, ?) = ?");
        bind_add_text(b, m->path);
        if (m->is_number)
            bind_add_int(b, m->number);
        else
            bind_add_text(b, m->text);
    }
}

static enum tz_status sq_item_list(struct tz_store_conn *base, const struct tz_item_filter *f,
                                   struct tz_arena *a, struct tz_item **out, size_t *n_out,
                                   int64_t *total_out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    struct tz_strbuf where = TZ_STRBUF_INIT, sql = TZ_STRBUF_INIT;
    struct binds *b = tz_arena_calloc(a, sizeof(*b));
    sqlite3_stmt *st = NULL;
    enum tz_status s = TZ_OK;
    int rc;
    *out = NULL;
    *n_out = 0;
    *total_out = 0;

    build_where(&where, f, b, false);
    /*
     * A list of a unit's subtree with no other filter, in deadline order (the
     * common "what does this street have" page): both the count and the page
     * come from item_units' (unit_id, due_key, item_id) index alone, and only
     * the page's items are read. A subtree of several units cannot be walked in
     * one order, but grouping index entries is far cheaper than reading every
     * item of the subtree.
     */
    bool units_only = f->units && f->n_units > 1 && f->scope.all && !f->n_ledgers &&
                      !f->lead_unit_id && !f->states && !f->lights && !(f->q && *f->q) &&
                      f->due_before == TZ_DAY_NONE && f->due_after == TZ_DAY_NONE &&
                      f->supervised_min < 0 && !f->received && !f->n_fields &&
                      f->sort == TZ_SORT_DEADLINE;
    struct tz_strbuf unit_list = TZ_STRBUF_INIT;
    if (f->units)
        add_id_list(&unit_list, f->units, f->n_units);

    if (f->known_total >= 0) {
        *total_out = f->known_total;
    } else if (units_only) {
        tz_strbuf_addf(&sql, "SELECT count(DISTINCT item_id) FROM item_units WHERE unit_id IN (%s)",
                       unit_list.buf);
        read_begin(c);
        if (injected_fault(c) || sqlite3_prepare_v2(c->db, sql.buf, -1, &st, NULL) != SQLITE_OK) {
            s = db_err(c->db, err, "item count");
            goto out;
        }
        if (sqlite3_step(st) == SQLITE_ROW)
            *total_out = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        st = NULL;
    } else {
        tz_strbuf_addf(&sql, "SELECT count(*) FROM items%s", where.buf);
        read_begin(c);
        if (injected_fault(c) || sqlite3_prepare_v2(c->db, sql.buf, -1, &st, NULL) != SQLITE_OK) {
            s = db_err(c->db, err, "item count");
            goto out;
        }
        bind_all(st, b);
        if (sqlite3_step(st) == SQLITE_ROW)
            *total_out = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        st = NULL;
    }

    static const char *const sort_cols[] = {
        [TZ_SORT_DEADLINE] = "due_key",
        [TZ_SORT_UPDATED] = "updated_at",
        [TZ_SORT_CODE] = "code",
        [TZ_SORT_LIGHT] = "CASE light WHEN 'red' THEN 4 WHEN "
                          "'yellow' THEN 3 WHEN 'green' THEN 2 "
                          "WHEN 'done' THEN 1 ELSE 0 END",
        [TZ_SORT_PROGRESS] = "progress",
    };
    tz_strbuf_reset(&sql);
    const char *dir = f->sort_desc ? "DESC" : "ASC";
    if (units_only) {
        memset(b, 0, sizeof(*b));
        tz_strbuf_addf(&sql,
                       "SELECT " ITEM_COLS " FROM items JOIN (SELECT item_id AS page_id, "
                       "min(due_key) AS page_key FROM item_units WHERE unit_id IN (%s) GROUP BY "
                       "item_id ORDER BY page_key %s, item_id %s LIMIT ? OFFSET ?) ON items.id = "
                       "page_id ORDER BY page_key %s, page_id %s",
                       unit_list.buf, dir, dir, dir, dir);
    } else if (f->units && f->n_units == 1 && f->sort == TZ_SORT_DEADLINE) {
        /*
         * One unit in deadline order: walk that unit's rows of item_units in
         * (due_key, item_id) order (schema 3) and fetch just the page, instead
         * of fetching every item of the unit and sorting them.
         */
        tz_strbuf_reset(&where);
        memset(b, 0, sizeof(*b));
        build_where(&where, f, b, true);
        tz_strbuf_addf(&sql,
                       "SELECT " ITEM_COLS " FROM item_units iu JOIN items ON items.id = "
                       "iu.item_id%s AND iu.unit_id = %lld ORDER BY iu.due_key %s, iu.item_id %s "
                       "LIMIT ? OFFSET ?",
                       where.buf, (long long)f->units[0], dir, dir);
    } else {
        /* due_key puts items without a deadline last, and an index serves the order */
        tz_strbuf_addf(&sql,
                       "SELECT " ITEM_COLS " FROM items%s ORDER BY %s %s, id %s LIMIT ? "
                       "OFFSET ?",
                       where.buf, sort_cols[f->sort], dir, dir);
    }
    bind_add_int(b, f->per_page);
    bind_add_int(b, (int64_t)(f->page - 1) * f->per_page);
    read_begin(c);
    if (injected_fault(c) || sqlite3_prepare_v2(c->db, sql.buf, -1, &st, NULL) != SQLITE_OK) {
        s = db_err(c->db, err, "item list");
        goto out;
    }
    bind_all(st, b);
    struct tz_item *v = tz_arena_alloc(a, (size_t)f->per_page * sizeof(*v));
    size_t n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < (size_t)f->per_page)
        row_item(st, a, &v[n++]);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        s = db_err(c->db, err, "item list");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        s = load_relations(c, a, &v[i], err);
        if (s != TZ_OK)
            goto out;
    }
    *out = v;
    *n_out = n;
out:
    sqlite3_finalize(st);
    tz_strbuf_release(&unit_list);
    tz_strbuf_release(&where);
    tz_strbuf_release(&sql);
    return s;
}

static enum tz_status sq_item_walk(struct tz_store_conn *base, const struct tz_item_filter *f,
                                   tz_item_fn fn, void *arg, struct tz_err *err)
{
    static const char *const sort_cols[] = {
        [TZ_SORT_DEADLINE] = "due_key",
        [TZ_SORT_UPDATED] = "updated_at",
        [TZ_SORT_CODE] = "code",
        [TZ_SORT_LIGHT] = "CASE light WHEN 'red' THEN 4 WHEN "
                          "'yellow' THEN 3 WHEN 'green' THEN 2 "
                          "WHEN 'done' THEN 1 ELSE 0 END",
        [TZ_SORT_PROGRESS] = "progress",
    };
    struct sq_conn *c = SQ(base);
    struct tz_strbuf where = TZ_STRBUF_INIT, sql = TZ_STRBUF_INIT;
    struct binds *b = tz_xcalloc(1, sizeof(*b));
    sqlite3_stmt *st = NULL;
    enum tz_status s = TZ_OK;
    int rc = SQLITE_DONE;

    build_where(&where, f, b, false);
    const char *dir = f->sort_desc ? "DESC" : "ASC";
    tz_strbuf_addf(&sql, "SELECT " ITEM_COLS " FROM items%s ORDER BY %s %s, id %s", where.buf,
                   sort_cols[f->sort], dir, dir);
    read_begin(c);
    if (injected_fault(c) || sqlite3_prepare_v2(c->db, sql.buf, -1, &st, NULL) != SQLITE_OK) {
        s = db_err(c->db, err, "item walk");
        goto out;
    }
    bind_all(st, b);
    while (s == TZ_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct tz_arena scratch;
        struct tz_item it;
        tz_arena_init(&scratch);
        row_item(st, &scratch, &it);
        s = load_relations(c, &scratch, &it, err);
        if (s == TZ_OK)
            s = fn(&it, arg, err);
        tz_arena_release(&scratch);
    }
    if (s == TZ_OK && rc != SQLITE_DONE)
        s = db_err(c->db, err, "item walk");
out:
    sqlite3_finalize(st);
    free(b);
    tz_strbuf_release(&where);
    tz_strbuf_release(&sql);
    return s;
}

static const char SQL_LIGHT_OPEN[] =
    "SELECT " ITEM_COLS " FROM items WHERE status IN ('assigned', 'in_progress', 'submitted', "
    "'ongoing')";
static const char SQL_LIGHT_SET[] = "UPDATE items SET light = ? WHERE id = ?";

static enum tz_status sq_item_refresh_lights(struct tz_store_conn *base, tz_light_fn fn, void *arg,
                                             int64_t *changed_out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = NULL, *up = prep(c, SQL_LIGHT_SET);
    enum tz_status s = TZ_OK;
    int64_t changed = 0;
    int rc;
    struct tz_arena a;
    tz_arena_init(&a);
    if (!up)
        return db_err(c->db, err, "light refresh");
    if (sqlite3_prepare_v2(c->db, SQL_LIGHT_OPEN, -1, &st, NULL) != SQLITE_OK)
        return db_err(c->db, err, "light refresh");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct tz_item it;
        row_item(st, &a, &it);
        enum tz_light l = fn(&it, arg);
        if (l != it.light) {
            sqlite3_reset(up);
            sqlite3_bind_text(up, 1, tz_light_name(l), -1, SQLITE_STATIC);
            sqlite3_bind_int64(up, 2, it.id);
            if (sqlite3_step(up) != SQLITE_DONE) {
                s = db_err(c->db, err, "light refresh");
                break;
            }
            changed++;
        }
        if (a.total > (1u << 20)) {
            tz_arena_release(&a);
        }
    }
    sqlite3_reset(up);
    if (s == TZ_OK && rc != SQLITE_DONE)
        s = db_err(c->db, err, "light refresh");
    sqlite3_finalize(st);
    tz_arena_release(&a);
    *changed_out = changed;
    return s;
}

static void count_row(struct tz_counts *k, const char *status, const char *light, int64_t n,
                      int64_t on_time, int64_t ext)
{
    k->total += n;
    k->extensions += ext;
    if (strcmp(status, "closed") == 0) {
        k->closed += n;
        k->closed_on_time += on_time;
        return;
    }
    if (strcmp(status, "assigned") && strcmp(status, "in_progress") &&
        strcmp(status, "submitted") && strcmp(status, "ongoing"))
        return;
    if (strcmp(light, "green") == 0)
        k->green += n;
    else if (strcmp(light, "yellow") == 0)
        k->yellow += n;
    else if (strcmp(light, "red") == 0) {
        k->red += n;
        if (strcmp(status, "ongoing") != 0)
            k->overdue += n;
    }
}

/* The group v[*n] appended to an arena array of capacity *cap, doubled when full. */
static struct tz_counts *counts_push(struct tz_counts **v, size_t *n, size_t *cap,
                                     struct tz_arena *a)
{
    if (*n == *cap)
        *v = tz_arena_grow(a, *v, cap, sizeof(**v));
    return &(*v)[(*n)++];
}

static enum tz_status sq_dashboard(struct tz_store_conn *base, const struct tz_scope *scope,
                                   struct tz_arena *a, struct tz_counts *totals,
                                   struct tz_counts **by_ledger, size_t *n_ledger,
                                   struct tz_counts **by_unit, size_t *n_unit,
                                   struct tz_counts **by_cell, size_t *n_cell, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    struct tz_strbuf sql = TZ_STRBUF_INIT;
    sqlite3_stmt *st = NULL;
    enum tz_status s = TZ_OK;
    size_t nl = 0, nu = 0, nc = 0, capl = 16, capu = 64, capc = 128, unit_first_cell = 0;
    struct tz_counts *vl = tz_arena_calloc(a, capl * sizeof(*vl));
    struct tz_counts *vu = tz_arena_calloc(a, capu * sizeof(*vu));
    struct tz_counts *vc = by_cell ? tz_arena_calloc(a, capc * sizeof(*vc)) : NULL;
    memset(totals, 0, sizeof(*totals));

    if (scope->all) {
        /* every item: the counts the triggers keep (schema 002), not a scan */
        tz_strbuf_addstr(&sql, "SELECT ledger, lead_unit_id, status, light, n, on_time, "
                               "extensions FROM item_counts WHERE n > 0 ORDER BY lead_unit_id");
    } else {
        tz_strbuf_addstr(&sql, "SELECT ledger, lead_unit_id, status, light, count(*), "
                               "sum(CASE WHEN on_time = 1 THEN 1 ELSE 0 END), "
                               "sum(extension_count) FROM items WHERE 1 = 1");
        add_scope(&sql, scope);
        tz_strbuf_addstr(&sql, " GROUP BY ledger, lead_unit_id, status, light ORDER BY "
                               "lead_unit_id");
    }
    read_begin(c);
    if (injected_fault(c) || sqlite3_prepare_v2(c->db, sql.buf, -1, &st, NULL) != SQLITE_OK) {
        s = db_err(c->db, err, "dashboard");
        goto out;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *ledger = (const char *)sqlite3_column_text(st, 0);
        int64_t unit = sqlite3_column_int64(st, 1);
        const char *status = (const char *)sqlite3_column_text(st, 2);
        const char *light = (const char *)sqlite3_column_text(st, 3);
        int64_t n = sqlite3_column_int64(st, 4), ot = sqlite3_column_int64(st, 5),
                ext = sqlite3_column_int64(st, 6);
        count_row(totals, status, light, n, ot, ext);
        struct tz_counts *kl = NULL;
        for (size_t i = 0; i < nl; i++)
            if (strcmp(vl[i].key, ledger) == 0)
                kl = &vl[i];
        if (!kl) {
            kl = counts_push(&vl, &nl, &capl, a);
            kl->key = tz_arena_strdup(a, ledger);
        }
        count_row(kl, status, light, n, ot, ext);
        if (!unit)
            continue;
        /* rows come ordered by unit: a unit's group is the last one or a new one */
        struct tz_counts *ku = nu && vu[nu - 1].key_id == unit ? &vu[nu - 1] : NULL;
        if (!ku) {
            ku = counts_push(&vu, &nu, &capu, a);
            ku->key_id = unit;
            unit_first_cell = nc;
        }
        count_row(ku, status, light, n, ot, ext);
        if (!vc)
            continue;
        /* the unit's cells are the ones made since its group began */
        struct tz_counts *kc = NULL;
        for (size_t i = unit_first_cell; i < nc && !kc; i++)
            if (strcmp(vc[i].key, kl->key) == 0)
                kc = &vc[i];
        if (!kc) {
            kc = counts_push(&vc, &nc, &capc, a);
            kc->key_id = unit;
            kc->key = kl->key;
        }
        count_row(kc, status, light, n, ot, ext);
    }
    if (rc != SQLITE_DONE)
        s = db_err(c->db, err, "dashboard");
    *by_ledger = vl;
    *n_ledger = nl;
    *by_unit = vu;
    *n_unit = nu;
    if (by_cell) {
        *by_cell = vc;
        *n_cell = nc;
    }
out:
    sqlite3_finalize(st);
    tz_strbuf_release(&sql);
    return s;
}

static enum tz_status sq_due_counts(struct tz_store_conn *base, const struct tz_scope *scope,
                                    int32_t from, const int32_t *to, size_t n_to,
                                    int64_t *counts_out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    struct tz_strbuf sql = TZ_STRBUF_INIT;
    sqlite3_stmt *st = NULL;
    enum tz_status s = TZ_OK;
    int32_t last = from;
    memset(counts_out, 0, n_to * sizeof(*counts_out));
    if (n_to == 0)
        return TZ_OK;
    /* one walk of items_status_due over the widest window, summed per window */
    tz_strbuf_addstr(&sql, "SELECT ");
    for (size_t i = 0; i < n_to; i++) {
        tz_strbuf_addf(&sql, "%scoalesce(sum(CASE WHEN due_key <= %d THEN 1 ELSE 0 END), 0)",
                       i ? ", " : "", (int)to[i]);
        if (to[i] > last)
            last = to[i];
    }
    tz_strbuf_addf(&sql,
                   " FROM items WHERE status IN ('assigned', 'in_progress') AND due_key >= "
                   "%d AND due_key <= %d",
                   (int)from, (int)last);
    add_scope(&sql, scope);
    read_begin(c);
    if (injected_fault(c) || sqlite3_prepare_v2(c->db, sql.buf, -1, &st, NULL) != SQLITE_OK) {
        s = db_err(c->db, err, "due counts");
        goto out;
    }
    if (sqlite3_step(st) != SQLITE_ROW) {
        s = db_err(c->db, err, "due counts");
        goto out;
    }
    for (size_t i = 0; i < n_to; i++)
        counts_out[i] = sqlite3_column_int64(st, (int)i);
out:
    sqlite3_finalize(st);
    tz_strbuf_release(&sql);
    return s;
}

/*
 * The to-dos (GET /todos): one common table t(kind, id, since, due) with a
 * branch per party, read twice, counted by kind and listed in urgency order.
 * Every branch starts from an indexed condition on items (status and due_key,
 * lead unit and status, light, the pending-extension index of schema 8); what
 * an item waits for beyond its state is the last event of a few actions, read
 * through events' (item_id, seq) key. docs/DECISIONS.md says why each kind.
 */
#define LAST_SEQ(acts)   "(SELECT max(seq) FROM events WHERE item_id = i.id AND action IN (" acts "))"
#define LAST_EVENT(acts) " LEFT JOIN events e ON e.item_id = i.id AND e.seq = " LAST_SEQ(acts)

static void todo_branches(struct tz_strbuf *sb, const struct tz_todo_query *q)
{
    const char *sep = "";
    if (q->n_units) {
        struct tz_strbuf u = TZ_STRBUF_INIT;
        add_id_list(&u, q->units, q->n_units);
        /* the lead unit: sign for, rework, push on, report on long-term items */
        tz_strbuf_addf(sb,
                       "SELECT 'accept', i.id, i.assigned_at, i.deadline FROM items i WHERE "
                       "i.status = 'assigned' AND i.lead_unit_id IN (%s)",
                       u.buf);
        tz_strbuf_addf(
            sb,
            " UNION ALL SELECT k, id, at, deadline FROM (SELECT i.id AS id, "
            "i.deadline AS deadline, e.at AS at, CASE e.action WHEN 'reject' THEN "
            "'rework' WHEN 'deny_extension' THEN 'extension_denied' WHEN 'reopen' "
            "THEN 'reopened' ELSE CASE WHEN %d AND i.progress = 100 THEN 'submit' "
            "WHEN i.light IN ('yellow', 'red') THEN 'due' END END AS k FROM items i" LAST_EVENT(
                "'accept', 'report', 'submit', 'reject', 'deny_extension', "
                "'approve_extension', 'reopen'") " WHERE i.status = 'in_progress' AND "
                                                 "i.lead_unit_id IN (%s)) WHERE k IS "
                                                 "NOT NULL",
            q->manager ? 1 : 0, u.buf);
        tz_strbuf_addf(sb,
                       " UNION ALL SELECT 'report', i.id, e.at, i.last_report_day + "
                       "i.report_every_days FROM items i" LAST_EVENT(
                           "'create', 'report', 'keep_ongoing'") " WHERE i.status = 'ongoing' "
                                                                 "AND i.light IN ('yellow', "
                                                                 "'red') AND i.lead_unit_id IN "
                                                                 "(%s)",
                       u.buf);
        tz_strbuf_release(&u);
        sep = " UNION ALL ";
    }
    if (q->office) {
        tz_strbuf_addf(sb,
                       "%sSELECT CASE e.action WHEN 'object' THEN 'objection' ELSE 'assign' END, "
                       "i.id, coalesce(e.at, i.created_at), i.deadline FROM items i" LAST_EVENT(
                           "'create', 'object'") " WHERE i.status = 'draft'",
                       sep);
        tz_strbuf_addstr(sb, " UNION ALL SELECT 'verify', i.id, e.at, i.deadline FROM items "
                             "i" LAST_EVENT("'submit'") " WHERE i.status = 'submitted'");
        tz_strbuf_addstr(sb, " UNION ALL SELECT 'extension', i.id, i.ext_at, i.deadline FROM items "
                             "i WHERE i.ext_pending = 1 AND i.status = 'in_progress'");
        sep = " UNION ALL ";
    }
    if (q->leader) {
        tz_strbuf_addf(sb,
                       "%sSELECT 'supervised_red', i.id, e.at, i.deadline FROM items "
                       "i" LAST_EVENT("'supervise'") " WHERE i.light = 'red' AND i.supervised "
                                                     ">= 1 AND i.status IN ('assigned', "
                                                     "'in_progress', 'ongoing')",
                       sep);
    }
}

static enum tz_status sq_todos(struct tz_store_conn *base, const struct tz_todo_query *q,
                               struct tz_arena *a, struct tz_todo **out, size_t *n_out,
                               struct tz_todo_count **counts_out, size_t *n_counts_out,
                               struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    struct tz_strbuf with = TZ_STRBUF_INIT, sql = TZ_STRBUF_INIT;
    sqlite3_stmt *st = NULL;
    enum tz_status s = TZ_OK;
    int rc;
    *out = NULL;
    *n_out = 0;
    *counts_out = NULL;
    *n_counts_out = 0;
    if (!q->n_units && !q->office && !q->leader)
        return TZ_OK;
    tz_strbuf_addstr(&with, "WITH t(kind, id, since, due) AS (");
    todo_branches(&with, q);
    tz_strbuf_addch(&with, ')');

    tz_strbuf_addf(&sql, "%s SELECT kind, count(*) FROM t GROUP BY kind ORDER BY kind", with.buf);
    read_begin(c);
    if (injected_fault(c) || sqlite3_prepare_v2(c->db, sql.buf, -1, &st, NULL) != SQLITE_OK) {
        s = db_err(c->db, err, "to-do counts");
        goto out;
    }
    size_t cap = 16, n = 0;
    struct tz_todo_count *counts = tz_arena_alloc(a, cap * sizeof(*counts));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < cap) {
        counts[n].kind = col_text(st, 0, a);
        counts[n++].n = sqlite3_column_int64(st, 1);
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        s = db_err(c->db, err, "to-do counts");
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    *counts_out = counts;
    *n_counts_out = n;
    if (q->limit <= 0)
        goto out;

    tz_strbuf_reset(&sql);
    tz_strbuf_addf(&sql,
                   "%s SELECT t.kind, i.id, i.lead_unit_id, i.code, i.title, i.ledger, i.status, "
                   "i.light, i.deadline, t.since, t.due FROM t JOIN items i ON i.id = t.id "
                   "ORDER BY t.due IS NULL, t.due, t.id, t.kind LIMIT %d",
                   with.buf, q->limit);
    read_begin(c);
    if (injected_fault(c) || sqlite3_prepare_v2(c->db, sql.buf, -1, &st, NULL) != SQLITE_OK) {
        s = db_err(c->db, err, "to-do list");
        goto out;
    }
    struct tz_todo *v = tz_arena_alloc(a, (size_t)q->limit * sizeof(*v));
    n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < (size_t)q->limit) {
        struct tz_todo *t = &v[n++];
        t->kind = col_text(st, 0, a);
        t->id = sqlite3_column_int64(st, 1);
        t->lead_unit_id = sqlite3_column_int64(st, 2);
        t->code = col_text_or(st, 3, a, "");
        t->title = col_text_or(st, 4, a, "");
        t->ledger = col_text_or(st, 5, a, "");
        t->status = col_text_or(st, 6, a, "");
        t->light = col_text_or(st, 7, a, "");
        t->deadline = col_day(st, 8);
        t->since = col_text(st, 9, a);
        t->due = col_day(st, 10);
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        s = db_err(c->db, err, "to-do list");
        goto out;
    }
    *out = v;
    *n_out = n;
out:
    if (s != TZ_OK) {
        *counts_out = NULL;
        *n_counts_out = 0;
    }
    sqlite3_finalize(st);
    tz_strbuf_release(&with);
    tz_strbuf_release(&sql);
    return s;
}

static const char SQL_TREND_ALL[] = "SELECT month, opened, closed, on_time FROM item_months "
                                    "WHERE month >= ?1 AND (opened > 0 OR closed > 0) "
                                    "ORDER BY month";

static enum tz_status sq_trend(struct tz_store_conn *base, const struct tz_scope *scope,
                               const char *from_month, struct tz_arena *a,
                               struct tz_trend_row **out, size_t *n_out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    struct tz_strbuf sql = TZ_STRBUF_INIT;
    sqlite3_stmt *st = NULL;
    bool own = !scope->all;
    enum tz_status s = TZ_OK;
    size_t n = 0, cap = 16;
    struct tz_trend_row *v = tz_arena_calloc(a, cap * sizeof(*v));
    *out = NULL;
    *n_out = 0;
    if (own) {
        /* a unit subtree: count its items' stamps directly */
        tz_strbuf_addstr(&sql, "SELECT m, sum(o), sum(k), sum(t) FROM (SELECT substr(assigned_at, "
                               "1, 7) AS m, 1 AS o, 0 AS k, 0 AS t FROM items WHERE "
                               "assigned_at >= ?1");
        add_scope(&sql, scope);
        tz_strbuf_addstr(&sql, " UNION ALL SELECT substr(closed_at, 1, 7), 0, 1, CASE WHEN "
                               "on_time = 1 THEN 1 ELSE 0 END FROM items WHERE closed_at >= ?1");
        add_scope(&sql, scope);
        tz_strbuf_addstr(&sql, ") GROUP BY m ORDER BY m");
        read_begin(c);
        if (injected_fault(c) || sqlite3_prepare_v2(c->db, sql.buf, -1, &st, NULL) != SQLITE_OK) {
            s = db_err(c->db, err, "trend");
            goto out;
        }
    } else {
        st = prep(c, SQL_TREND_ALL);
        if (!st) {
            s = db_err(c->db, err, "trend");
            goto out;
        }
    }
    sqlite3_bind_text(st, 1, from_month, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap)
            v = tz_arena_grow(a, v, &cap, sizeof(*v));
        struct tz_trend_row *r = &v[n++];
        r->month = tz_arena_strdup(a, (const char *)sqlite3_column_text(st, 0));
        r->opened = sqlite3_column_int64(st, 1);
        r->closed = sqlite3_column_int64(st, 2);
        r->closed_on_time = sqlite3_column_int64(st, 3);
    }
    if (rc != SQLITE_DONE) {
        s = db_err(c->db, err, "trend");
        goto out;
    }
    *out = v;
    *n_out = n;
out:
    if (own)
        sqlite3_finalize(st);
    else if (st)
        sqlite3_reset(st);
    tz_strbuf_release(&sql);
    return s;
}

static enum tz_status sq_item_locations(struct tz_store_conn *base, const struct tz_scope *scope,
                                        int limit, struct tz_arena *a, struct tz_located **out,
                                        size_t *n_out, bool *more_out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    struct tz_strbuf sql = TZ_STRBUF_INIT;
    sqlite3_stmt *st = NULL;
    enum tz_status s = TZ_OK;
    size_t n = 0, cap = 64;
    struct tz_located *v = tz_arena_calloc(a, cap * sizeof(*v));
    *out = NULL;
    *n_out = 0;
    *more_out = false;
    tz_strbuf_addstr(&sql, "SELECT id, code, title, ledger, status, light, lat, lon, address, "
                           "coalesce(lead_unit_id, 0) FROM items WHERE has_location = 1");
    add_scope(&sql, scope);
    tz_strbuf_addf(&sql, " ORDER BY id LIMIT %d", limit + 1);
    read_begin(c);
    if (injected_fault(c) || sqlite3_prepare_v2(c->db, sql.buf, -1, &st, NULL) != SQLITE_OK) {
        s = db_err(c->db, err, "item locations");
        goto out;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == (size_t)limit) {
            *more_out = true;
            break;
        }
        if (n == cap)
            v = tz_arena_grow(a, v, &cap, sizeof(*v));
        struct tz_located *r = &v[n++];
        r->id = sqlite3_column_int64(st, 0);
        r->code = tz_arena_strdup(a, (const char *)sqlite3_column_text(st, 1));
        r->title = tz_arena_strdup(a, (const char *)sqlite3_column_text(st, 2));
        r->ledger = tz_arena_strdup(a, (const char *)sqlite3_column_text(st, 3));
        r->status = tz_arena_strdup(a, (const char *)sqlite3_column_text(st, 4));
        r->light = tz_arena_strdup(a, (const char *)sqlite3_column_text(st, 5));
        r->lat = sqlite3_column_double(st, 6);
        r->lon = sqlite3_column_double(st, 7);
        r->address = sqlite3_column_type(st, 8) == SQLITE_NULL
                         ? NULL
                         : tz_arena_strdup(a, (const char *)sqlite3_column_text(st, 8));
        r->lead_unit_id = sqlite3_column_int64(st, 9);
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        s = db_err(c->db, err, "item locations");
        goto out;
    }
    *out = v;
    *n_out = n;
out:
    sqlite3_finalize(st);
    tz_strbuf_release(&sql);
    return s;
}

/* ---- events and attachments ------------------------------------------- */

/* Two statements rather than one with RETURNING: SQLite runs a RETURNING statement through an
 * ephemeral table of its own (measured: a third of the event's cost in an import). */
static const char SQL_EVENT_NEXT_SEQ[] =
    "SELECT coalesce(max(seq), 0) + 1 FROM events WHERE item_id = ?";
static const char SQL_EVENT_INSERT[] =
    "INSERT INTO events (item_id, seq, at, actor_id, action, comment, before_json, after_json) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_EVENT_LIST[] =
    "SELECT seq, item_id, at, actor_id, action, comment, before_json, after_json FROM events "
    "WHERE item_id = ? ORDER BY seq";

static enum tz_status sq_event_insert(struct tz_store_conn *base, struct tz_event *ev,
                                      struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_EVENT_NEXT_SEQ);
    if (!st)
        return db_err(c->db, err, "event insert");
    sqlite3_bind_int64(st, 1, ev->item_id);
    int rc = sqlite3_step(st);
    int64_t seq = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return db_err(c->db, err, "event insert");
    st = prep(c, SQL_EVENT_INSERT);
    if (!st)
        return db_err(c->db, err, "event insert");
    sqlite3_bind_int64(st, 1, ev->item_id);
    sqlite3_bind_int64(st, 2, seq);
    bind_text(st, 3, ev->at);
    sqlite3_bind_int64(st, 4, ev->actor_id);
    bind_text(st, 5, ev->action);
    bind_text(st, 6, ev->comment);
    bind_text(st, 7, ev->before ? ev->before : "{}");
    bind_text(st, 8, ev->after ? ev->after : "{}");
    enum tz_status s = step_done(c, st, err, "event insert");
    if (s == TZ_OK)
        ev->seq = seq;
    return s;
}

static enum tz_status sq_event_list(struct tz_store_conn *base, int64_t item_id, struct tz_arena *a,
                                    struct tz_event **out, size_t *n_out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_EVENT_LIST);
    if (!st)
        return db_err(c->db, err, "event list");
    sqlite3_bind_int64(st, 1, item_id);
    size_t n = 0, cap = 16;
    struct tz_event *v = tz_arena_alloc(a, cap * sizeof(*v));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap)
            v = tz_arena_grow(a, v, &cap, sizeof(*v));
        struct tz_event *e = &v[n++];
        e->seq = sqlite3_column_int64(st, 0);
        e->item_id = sqlite3_column_int64(st, 1);
        e->at = col_text(st, 2, a);
        e->actor_id = sqlite3_column_int64(st, 3);
        e->action = col_text(st, 4, a);
        e->comment = col_text(st, 5, a);
        e->before = col_text_or(st, 6, a, "{}");
        e->after = col_text_or(st, 7, a, "{}");
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_err(c->db, err, "event list");
    *out = v;
    *n_out = n;
    return TZ_OK;
}

#define ATT_COLS "id, item_id, name, size, content_type, digest, uploaded_by, uploaded_at"
static const char SQL_ATT_INSERT[] =
    "INSERT INTO attachments (item_id, name, size, content_type, digest, uploaded_by, "
    "uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_ATT_GET[] = "SELECT " ATT_COLS " FROM attachments WHERE id = ?";
static const char SQL_ATT_LIST[] =
    "SELECT " ATT_COLS " FROM attachments WHERE item_id = ? ORDER BY id";

static void row_att(sqlite3_stmt *st, struct tz_arena *a, struct tz_attachment *at)
{
    at->id = sqlite3_column_int64(st, 0);
    at->item_id = sqlite3_column_int64(st, 1);
    at->name = col_text(st, 2, a);
    at->size = sqlite3_column_int64(st, 3);
    at->content_type = col_text(st, 4, a);
    at->digest = col_text(st, 5, a);
    at->uploaded_by = sqlite3_column_int64(st, 6);
    at->uploaded_at = col_text(st, 7, a);
}

static enum tz_status sq_attachment_insert(struct tz_store_conn *base, struct tz_attachment *at,
                                           struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_ATT_INSERT);
    if (!st)
        return db_err(c->db, err, "attachment insert");
    sqlite3_bind_int64(st, 1, at->item_id);
    bind_text(st, 2, at->name);
    sqlite3_bind_int64(st, 3, at->size);
    bind_text(st, 4, at->content_type);
    bind_text(st, 5, at->digest);
    sqlite3_bind_int64(st, 6, at->uploaded_by);
    bind_text(st, 7, at->uploaded_at);
    enum tz_status s = step_done(c, st, err, "attachment insert");
    if (s == TZ_OK)
        at->id = sqlite3_last_insert_rowid(c->db);
    return s;
}

static enum tz_status sq_attachment_get(struct tz_store_conn *base, int64_t id, struct tz_arena *a,
                                        struct tz_attachment *out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_ATT_GET);
    if (!st)
        return db_err(c->db, err, "attachment get");
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_att(st, a, out);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return tz_err_set(err, TZ_ENOTFOUND, "attachment not found");
    if (rc != SQLITE_ROW)
        return db_err(c->db, err, "attachment get");
    return TZ_OK;
}

static enum tz_status sq_attachment_list(struct tz_store_conn *base, int64_t item_id,
                                         struct tz_arena *a, struct tz_attachment **out,
                                         size_t *n_out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_ATT_LIST);
    if (!st)
        return db_err(c->db, err, "attachment list");
    sqlite3_bind_int64(st, 1, item_id);
    size_t n = 0, cap = 8;
    struct tz_attachment *v = tz_arena_alloc(a, cap * sizeof(*v));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap)
            v = tz_arena_grow(a, v, &cap, sizeof(*v));
        row_att(st, a, &v[n++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_err(c->db, err, "attachment list");
    *out = v;
    *n_out = n;
    return TZ_OK;
}

/* ---- audit ------------------------------------------------------------ */

static const char SQL_AUDIT_LAST[] = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
static const char SQL_AUDIT_INSERT[] =
    "INSERT INTO audit_log (seq, at, actor, ip, action, target, detail, prev_hash, hash) VALUES "
    "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_AUDIT_LIST[] =
    "SELECT seq, at, actor, ip, action, target, detail, prev_hash, hash FROM audit_log WHERE seq "
    "> ? ORDER BY seq LIMIT ?";

static enum tz_status sq_audit_last(struct tz_store_conn *base, int64_t *seq_out,
                                    char hash_out[TZ_HASH_HEX], struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    struct sq_store *store = (struct sq_store *)base->store;
    if (((struct sq_conn *)base)->in_bulk && store->bulk_audit_known) {
        /* a bulk write keeps the chain's end in memory: nobody else appends meanwhile */
        *seq_out = store->bulk_audit_seq;
        memcpy(hash_out, store->bulk_audit_hash, TZ_HASH_HEX);
        return TZ_OK;
    }
    sqlite3_stmt *st = prep(c, SQL_AUDIT_LAST);
    if (!st)
        return db_err(c->db, err, "audit last");
    *seq_out = 0;
    memset(hash_out, '0', TZ_HASH_HEX - 1);
    hash_out[TZ_HASH_HEX - 1] = '\0';
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *seq_out = sqlite3_column_int64(st, 0);
        const char *h = (const char *)sqlite3_column_text(st, 1);
        snprintf(hash_out, TZ_HASH_HEX, "%s", h ? h : "");
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_err(c->db, err, "audit last");
    return TZ_OK;
}

static enum tz_status sq_audit_insert(struct tz_store_conn *base, const struct tz_audit_entry *e,
                                      struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_AUDIT_INSERT);
    if (!st)
        return db_err(c->db, err, "audit insert");
    sqlite3_bind_int64(st, 1, e->seq);
    bind_text(st, 2, e->at);
    bind_text(st, 3, e->actor);
    bind_text(st, 4, e->ip);
    bind_text(st, 5, e->action);
    bind_text(st, 6, e->target);
    bind_text(st, 7, e->detail);
    bind_text(st, 8, e->prev_hash);
    bind_text(st, 9, e->hash);
    enum tz_status s = step_done(c, st, err, "audit insert");
    struct sq_store *store = (struct sq_store *)base->store;
    if (((struct sq_conn *)base)->in_bulk) {
        store->bulk_audit_known = s == TZ_OK;
        store->bulk_audit_seq = e->seq;
        snprintf(store->bulk_audit_hash, TZ_HASH_HEX, "%s", e->hash);
    }
    return s;
}

static enum tz_status sq_audit_list(struct tz_store_conn *base, int64_t after, int limit,
                                    struct tz_arena *a, struct tz_audit_entry **out, size_t *n_out,
                                    struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_AUDIT_LIST);
    if (!st)
        return db_err(c->db, err, "audit list");
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int(st, 2, limit);
    struct tz_audit_entry *v = tz_arena_alloc(a, (size_t)(limit > 0 ? limit : 1) * sizeof(*v));
    size_t n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < (size_t)limit) {
        struct tz_audit_entry *e = &v[n++];
        e->seq = sqlite3_column_int64(st, 0);
        e->at = col_text_or(st, 1, a, "");
        e->actor = col_text_or(st, 2, a, "");
        e->ip = col_text_or(st, 3, a, "");
        e->action = col_text_or(st, 4, a, "");
        e->target = col_text_or(st, 5, a, "");
        e->detail = col_text_or(st, 6, a, "{}");
        const char *p = (const char *)sqlite3_column_text(st, 7);
        const char *h = (const char *)sqlite3_column_text(st, 8);
        snprintf(e->prev_hash, TZ_HASH_HEX, "%s", p ? p : "");
        snprintf(e->hash, TZ_HASH_HEX, "%s", h ? h : "");
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_err(c->db, err, "audit list");
    *out = v;
    *n_out = n;
    return TZ_OK;
}

/* ---- calendar --------------------------------------------------------- */

static const char SQL_CAL_GET[] = "SELECT body FROM calendar_years WHERE year = ?";
static const char SQL_CAL_PUT[] =
    "INSERT INTO calendar_years (year, body) VALUES (?, ?) ON CONFLICT (year) DO UPDATE SET body "
    "= excluded.body";
static const char SQL_CAL_YEARS[] = "SELECT year FROM calendar_years ORDER BY year";

/* ---- series ----------------------------------------------------------- */

static const char SQL_SERIES_PUT[] =
    "INSERT INTO item_series (item_id, period, data, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (item_id, period) DO UPDATE SET data = excluded.data,"
    " updated_at = excluded.updated_at, updated_by = excluded.updated_by";
static const char SQL_SERIES_LIST[] = "SELECT period, data, updated_at, updated_by FROM item_series"
                                      " WHERE item_id = ? ORDER BY period";

static enum tz_status sq_series_put(struct tz_store_conn *base, int64_t item_id,
                                    const struct tz_series_row *row, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_SERIES_PUT);
    if (!st)
        return db_err(c->db, err, "series put");
    sqlite3_bind_int64(st, 1, item_id);
    bind_text(st, 2, row->period);
    bind_text(st, 3, row->data);
    bind_text(st, 4, row->updated_at);
    sqlite3_bind_int64(st, 5, row->updated_by);
    return step_done(c, st, err, "series put");
}

static enum tz_status sq_series_list(struct tz_store_conn *base, int64_t item_id,
                                     struct tz_arena *a, struct tz_series_row **out, size_t *n_out,
                                     struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_SERIES_LIST);
    *out = NULL;
    *n_out = 0;
    if (!st)
        return db_err(c->db, err, "series list");
    sqlite3_bind_int64(st, 1, item_id);
    size_t n = 0, cap = 16;
    struct tz_series_row *v = tz_arena_alloc(a, cap * sizeof(*v));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap)
            v = tz_arena_grow(a, v, &cap, sizeof(*v));
        v[n].period = col_text(st, 0, a);
        v[n].data = col_text(st, 1, a);
        v[n].updated_at = col_text(st, 2, a);
        v[n].updated_by = sqlite3_column_int64(st, 3);
        n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_err(c->db, err, "series list");
    *out = v;
    *n_out = n;
    return TZ_OK;
}

static enum tz_status sq_calendar_get(struct tz_store_conn *base, int year, struct tz_arena *a,
                                      const char **json_out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_CAL_GET);
    *json_out = NULL;
    if (!st)
        return db_err(c->db, err, "calendar get");
    sqlite3_bind_int(st, 1, year);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *json_out = col_text(st, 0, a);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_err(c->db, err, "calendar get");
    return TZ_OK;
}

static enum tz_status sq_calendar_put(struct tz_store_conn *base, int year, const char *json,
                                      struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_CAL_PUT);
    if (!st)
        return db_err(c->db, err, "calendar put");
    sqlite3_bind_int(st, 1, year);
    bind_text(st, 2, json);
    return step_done(c, st, err, "calendar put");
}

static enum tz_status sq_calendar_years(struct tz_store_conn *base, struct tz_arena *a, int **out,
                                        size_t *n_out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_CAL_YEARS);
    if (!st)
        return db_err(c->db, err, "calendar years");
    size_t n = 0, cap = 16;
    int *v = tz_arena_alloc(a, cap * sizeof(*v));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap)
            v = tz_arena_grow(a, v, &cap, sizeof(*v));
        v[n++] = sqlite3_column_int(st, 0);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_err(c->db, err, "calendar years");
    *out = v;
    *n_out = n;
    return TZ_OK;
}

/* ---- scorecard and burden ---------------------------------------------- */

static const char SQL_TALLY_INSERT[] =
    "INSERT INTO unit_tally (unit_id, item_id, kind, month) VALUES (?, ?, ?, ?)";
static const char SQL_SCORE_COUNTS[] =
    "SELECT lead_unit_id, status, light, n, on_time, extensions FROM item_counts WHERE n > 0 AND "
    "lead_unit_id > 0 ORDER BY lead_unit_id";
static const char SQL_SCORE_TALLY[] =
    "SELECT unit_id, kind, count(*) FROM unit_tally GROUP BY unit_id, kind ORDER BY unit_id";
static const char SQL_BURDEN[] =
    "SELECT unit_id, month, kind, count(*) FROM unit_tally WHERE month >= ? AND month <= ? GROUP "
    "BY unit_id, month, kind ORDER BY unit_id, month";

static enum tz_status sq_tally_insert(struct tz_store_conn *base, int64_t unit_id, int64_t item_id,
                                      const char *kind, const char *month, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_TALLY_INSERT);
    if (!st)
        return db_err(c->db, err, "tally insert");
    sqlite3_bind_int64(st, 1, unit_id);
    sqlite3_bind_int64(st, 2, item_id);
    bind_text(st, 3, kind);
    bind_text(st, 4, month);
    return step_done(c, st, err, "tally insert");
}

/* The row of unit_id in v[0..*n), appended when new (rows arrive ordered by unit). */
static struct tz_scorecard_row *score_row(struct tz_scorecard_row **v, size_t *n, size_t *cap,
                                          int64_t unit_id, struct tz_arena *a)
{
    for (size_t i = *n; i-- > 0;)
        if ((*v)[i].unit_id == unit_id)
            return &(*v)[i];
    if (*n == *cap)
        *v = tz_arena_grow(a, *v, cap, sizeof(**v));
    struct tz_scorecard_row *r = &(*v)[(*n)++];
    memset(r, 0, sizeof(*r));
    r->unit_id = unit_id;
    return r;
}

static enum tz_status sq_scorecard(struct tz_store_conn *base, struct tz_arena *a,
                                   struct tz_scorecard_row **out, size_t *n_out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    size_t n = 0, cap = 64;
    struct tz_scorecard_row *v = tz_arena_calloc(a, cap * sizeof(*v));
    sqlite3_stmt *st = prep(c, SQL_SCORE_COUNTS);
    int rc;
    if (!st)
        return db_err(c->db, err, "scorecard");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *status = (const char *)sqlite3_column_text(st, 1);
        const char *light = (const char *)sqlite3_column_text(st, 2);
        int64_t cnt = sqlite3_column_int64(st, 3);
        bool open = strcmp(status, "assigned") == 0 || strcmp(status, "in_progress") == 0 ||
                    strcmp(status, "submitted") == 0;
        bool in_loop = open || strcmp(status, "closed") == 0 || strcmp(status, "ongoing") == 0;
        if (!in_loop)
            continue;
        struct tz_scorecard_row *r = score_row(&v, &n, &cap, sqlite3_column_int64(st, 0), a);
        r->total += cnt;
        r->extensions += sqlite3_column_int64(st, 5);
        if (strcmp(status, "closed") == 0) {
            r->closed += cnt;
            r->closed_on_time += sqlite3_column_int64(st, 4);
        } else if (strcmp(light, "yellow") == 0) {
            r->yellow += cnt;
        } else if (strcmp(light, "red") == 0) {
            r->red += cnt;
            if (open)
                r->overdue += cnt;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_err(c->db, err, "scorecard");
    st = prep(c, SQL_SCORE_TALLY);
    if (!st)
        return db_err(c->db, err, "scorecard");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct tz_scorecard_row *r = score_row(&v, &n, &cap, sqlite3_column_int64(st, 0), a);
        const char *kind = (const char *)sqlite3_column_text(st, 1);
        int64_t cnt = sqlite3_column_int64(st, 2);
        if (strcmp(kind, "object") == 0)
            r->objections += cnt;
        else if (strcmp(kind, "remind") == 0)
            r->reminders += cnt;
        else if (strcmp(kind, "supervise") == 0)
            r->supervisions += cnt;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_err(c->db, err, "scorecard");
    *out = v;
    *n_out = n;
    return TZ_OK;
}

static enum tz_status sq_burden(struct tz_store_conn *base, const char *from, const char *to,
                                struct tz_arena *a, struct tz_burden_row **out, size_t *n_out,
                                struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    size_t n = 0, cap = 64;
    struct tz_burden_row *v = tz_arena_calloc(a, cap * sizeof(*v));
    sqlite3_stmt *st = prep(c, SQL_BURDEN);
    int rc;
    if (!st)
        return db_err(c->db, err, "burden");
    bind_text(st, 1, from);
    bind_text(st, 2, to);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t unit = sqlite3_column_int64(st, 0);
        const char *month = (const char *)sqlite3_column_text(st, 1);
        struct tz_burden_row *r = n ? &v[n - 1] : NULL;
        if (!r || r->unit_id != unit || strcmp(r->month, month) != 0) {
            if (n == cap)
                v = tz_arena_grow(a, v, &cap, sizeof(*v));
            r = &v[n++];
            memset(r, 0, sizeof(*r));
            r->unit_id = unit;
            r->month = tz_arena_strdup(a, month);
        }
        const char *kind = (const char *)sqlite3_column_text(st, 2);
        int64_t cnt = sqlite3_column_int64(st, 3);
        if (strcmp(kind, "remind") == 0)
            r->reminders += cnt;
        else if (strcmp(kind, "supervise") == 0)
            r->supervisions += cnt;
        else if (strcmp(kind, "object") == 0)
            r->objections += cnt;
        else if (strcmp(kind, "extension") == 0)
            r->extensions += cnt;
        else if (strcmp(kind, "data_request") == 0)
            r->data_requests += cnt;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_err(c->db, err, "burden");
    *out = v;
    *n_out = n;
    return TZ_OK;
}

/* ---- hazard statistics -------------------------------------------------- */

/*
 * One pass over the hazard ledger: the inner query marks each item (0 or 1)
 * as found, rectified, open at the quarter's end, late and 重大; the outer one
 * sums the marks by lead unit. Dates of created_at and closed_at are the first
 * ten characters of their stamps (the business date). json_extract is SQLite's;
 * the PostgreSQL store reads the grade as fields::jsonb ->> 'grade'.
 * Parameters: first, first, last, last, late_before, last (first and last as
 * "YYYY-MM-DD", late_before a day number).
 */
static const char SQL_HAZARD_STATS[] =
    "SELECT lead_unit_id, sum(is_found), sum(is_found * is_major), sum(is_rectified), "
    "sum(is_rectified * is_on_time), sum(is_open), sum(is_open * is_late), "
    "sum(is_open * is_major) FROM ("
    " SELECT lead_unit_id,"
    " CASE WHEN json_extract(fields, '$.grade') = '重大' THEN 1 ELSE 0 END AS is_major,"
    " CASE WHEN substr(created_at, 1, 10) >= ? THEN 1 ELSE 0 END AS is_found,"
    " CASE WHEN status = 'closed' AND substr(closed_at, 1, 10) >= ?"
    " AND substr(closed_at, 1, 10) <= ? THEN 1 ELSE 0 END AS is_rectified,"
    " CASE WHEN on_time = 1 THEN 1 ELSE 0 END AS is_on_time,"
    " CASE WHEN status = 'closed' AND substr(closed_at, 1, 10) <= ? THEN 0 ELSE 1 END AS is_open,"
    " CASE WHEN deadline IS NULL OR deadline >= ? OR status = 'ongoing' THEN 0"
    " WHEN status = 'submitted' AND submitted_day <= deadline THEN 0"
    " WHEN on_time = 1 THEN 0 ELSE 1 END AS is_late"
    " FROM items WHERE ledger = 'hazard' AND lead_unit_id IS NOT NULL"
    " AND status NOT IN ('draft', 'cancelled') AND substr(created_at, 1, 10) <= ?"
    ") GROUP BY lead_unit_id HAVING sum(is_found) + sum(is_rectified) + sum(is_open) > 0 "
    "ORDER BY lead_unit_id";

/* Appends an all-zero row to v[0..*n), growing it in the arena. */
static struct tz_hazard_row *hazard_row_add(struct tz_hazard_row **v, size_t *n, size_t *cap,
                                            struct tz_arena *a)
{
    if (*n == *cap)
        *v = tz_arena_grow(a, *v, cap, sizeof(**v));
    struct tz_hazard_row *r = &(*v)[(*n)++];
    memset(r, 0, sizeof(*r));
    return r;
}

static enum tz_status sq_hazard_stats(struct tz_store_conn *base, int32_t first, int32_t last,
                                      int32_t late_before, struct tz_arena *a,
                                      struct tz_hazard_row **out, size_t *n_out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    char first_text[TZ_DATE_BUF], last_text[TZ_DATE_BUF];
    size_t n = 0, cap = 32;
    struct tz_hazard_row *v = tz_arena_calloc(a, cap * sizeof(*v));
    sqlite3_stmt *st = prep(c, SQL_HAZARD_STATS);
    int rc;
    *out = NULL;
    *n_out = 0;
    if (!st)
        return db_err(c->db, err, "hazard stats");
    tz_date_format(first, first_text);
    tz_date_format(last, last_text);
    bind_text(st, 1, first_text);
    bind_text(st, 2, first_text);
    bind_text(st, 3, last_text);
    bind_text(st, 4, last_text);
    sqlite3_bind_int(st, 5, late_before);
    bind_text(st, 6, last_text);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct tz_hazard_row *r = hazard_row_add(&v, &n, &cap, a);
        r->unit_id = sqlite3_column_int64(st, 0);
        r->found = sqlite3_column_int64(st, 1);
        r->major = sqlite3_column_int64(st, 2);
        r->rectified = sqlite3_column_int64(st, 3);
        r->rectified_on_time = sqlite3_column_int64(st, 4);
        r->open_at_end = sqlite3_column_int64(st, 5);
        r->overdue = sqlite3_column_int64(st, 6);
        r->major_open = sqlite3_column_int64(st, 7);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_err(c->db, err, "hazard stats");
    *out = v;
    *n_out = n;
    return TZ_OK;
}

/* ---- search -------------------------------------------------------------- */

static enum tz_status sq_item_each(struct tz_store_conn *base,
                                   enum tz_status (*fn)(const struct tz_item *it, void *arg),
                                   void *arg, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = NULL;
    struct tz_arena a;
    enum tz_status s = TZ_OK;
    int rc;
    tz_arena_init(&a);
    if (sqlite3_prepare_v2(c->db, "SELECT " ITEM_COLS " FROM items ORDER BY id", -1, &st, NULL) !=
        SQLITE_OK)
        return db_err(c->db, err, "item each");
    while (s == TZ_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct tz_item it;
        row_item(st, &a, &it);
        s = fn(&it, arg);
        if (a.total > (1u << 20))
            tz_arena_release(&a);
    }
    sqlite3_finalize(st);
    tz_arena_release(&a);
    return s;
}

static const char SQL_SEARCH_DEL[] = "DELETE FROM item_search WHERE rowid = ?";
static const char SQL_SEARCH_ADD[] =
    "INSERT INTO item_search (rowid, title, body) VALUES (?, ?, ?)";
static const char SQL_SEARCH_FTS[] =
    "SELECT rowid FROM item_search WHERE item_search MATCH ? ORDER BY bm25(item_search, 4.0, 1.0) "
    "LIMIT ?";
static const char SQL_SEARCH_SHORT[] =
    "SELECT rowid FROM item_search WHERE instr(title, ?1) > 0 OR instr(body, ?1) > 0 ORDER BY "
    "instr(title, ?1) = 0, rowid DESC LIMIT ?2";

static const char SQL_BULK_SEARCH_PUT[] =
    "INSERT OR REPLACE INTO temp.bulk_search (item_id, title, body) VALUES (?, ?, ?)";

static enum tz_status sq_search_put(struct tz_store_conn *base, int64_t item_id, const char *title,
                                    const char *body, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    if (((struct sq_conn *)base)->in_bulk) {
        sqlite3_stmt *bs = prep(c, SQL_BULK_SEARCH_PUT); /* written at the commit */
        if (!bs)
            return db_err(c->db, err, "search put");
        sqlite3_bind_int64(bs, 1, item_id);
        bind_text(bs, 2, title);
        bind_text(bs, 3, body);
        return step_done(c, bs, err, "search put");
    }
    sqlite3_stmt *st = prep(c, SQL_SEARCH_DEL);
    if (!st)
        return db_err(c->db, err, "search put");
    sqlite3_bind_int64(st, 1, item_id);
    enum tz_status s = step_done(c, st, err, "search put");
    if (s != TZ_OK)
        return s;
    st = prep(c, SQL_SEARCH_ADD);
    if (!st)
        return db_err(c->db, err, "search put");
    sqlite3_bind_int64(st, 1, item_id);
    bind_text(st, 2, title);
    bind_text(st, 3, body);
    return step_done(c, st, err, "search put");
}

/* Characters (not bytes) of a UTF-8 string. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static enum tz_status sq_search(struct tz_store_conn *base, const char *q, int limit,
                                struct tz_arena *a, int64_t **ids_out, size_t *n_out,
                                struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    bool short_q = utf8_chars(q) < 3;
    sqlite3_stmt *st = prep(c, short_q ? SQL_SEARCH_SHORT : SQL_SEARCH_FTS);
    if (!st)
        return db_err(c->db, err, "search");
    if (short_q) {
        bind_text(st, 1, q);
    } else {
        /* one phrase: the words are matched as typed, quotes doubled */
        struct tz_strbuf phrase = TZ_STRBUF_INIT;
        tz_strbuf_addch(&phrase, '"');
        for (const char *p = q; *p; p++) {
            if (*p == '"')
                tz_strbuf_addch(&phrase, '"');
            tz_strbuf_addch(&phrase, *p);
        }
        tz_strbuf_addch(&phrase, '"');
        bind_text(st, 1, phrase.buf);
        tz_strbuf_release(&phrase);
    }
    sqlite3_bind_int(st, 2, limit);
    int64_t *ids = tz_arena_alloc(a, (size_t)(limit > 0 ? limit : 1) * sizeof(*ids));
    size_t n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < (size_t)limit)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_err(c->db, err, "search");
    *ids_out = ids;
    *n_out = n;
    return TZ_OK;
}

/* ---- backup and restore ----------------------------------------------- */

/* Copies src into the database file at path with the online backup API. */
static enum tz_status copy_db(sqlite3 *src, const char *path, struct tz_err *err)
{
    sqlite3 *dst = NULL;
    enum tz_status s = TZ_OK;
    if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        s = tz_err_set(err, TZ_EINVAL, "cannot create '%s'", path);
        goto out;
    }
    sqlite3_backup *bk = sqlite3_backup_init(dst, "main", src, "main");
    if (!bk) {
        s = tz_err_set(err, TZ_EINTERNAL, "backup failed: %s", sqlite3_errmsg(dst));
        goto out;
    }
    int rc;
    do {
        rc = sqlite3_backup_step(bk, 1024);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(10);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(bk);
    if (rc != SQLITE_DONE)
        s = tz_err_set(err, TZ_EINTERNAL, "backup failed: %s", sqlite3_errstr(rc));
out:
    sqlite3_close(dst);
    return s;
}

static enum tz_status sq_backup(struct tz_store *base, const char *path, struct tz_err *err)
{
    if (access(path, F_OK) == 0)
        return tz_err_set(err, TZ_EINVAL, "'%s' exists already", path);
    struct tz_store_conn *c = sq_acquire(base);
    enum tz_status s = copy_db(SQ(c)->db, path, err);
    sq_release(c);
    return s;
}

void tz_store_sqlite_set_fault(struct tz_store *base, tz_store_fault_fn fn, void *arg)
{
    struct sq_store *st = (struct sq_store *)base;
    st->fault = fn;
    st->fault_arg = arg;
}

enum tz_status tz_store_sqlite_restore(const char *from_path, const char *db_path,
                                       struct tz_err *err)
{
    sqlite3 *src = NULL;
    enum tz_status s = TZ_OK;
    if (sqlite3_open_v2(from_path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        s = tz_err_set(err, TZ_EINVAL, "cannot open backup '%s'", from_path);
        goto out;
    }
    sqlite3_stmt *st = NULL;
    int ok = sqlite3_prepare_v2(src, "PRAGMA quick_check", -1, &st, NULL) == SQLITE_OK &&
             sqlite3_step(st) == SQLITE_ROW &&
             strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
    sqlite3_finalize(st);
    if (!ok) {
        s = tz_err_set(err, TZ_EINVAL, "'%s' is not an intact taizhang database", from_path);
        goto out;
    }
    /* The backup API writes the copy as one transaction on the target. */
    sqlite3 *dst = NULL;
    if (sqlite3_open_v2(db_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        sqlite3_close(dst);
        s = tz_err_set(err, TZ_EINVAL, "cannot open '%s'", db_path);
        goto out;
    }
    sqlite3_backup *bk = sqlite3_backup_init(dst, "main", src, "main");
    int rc = bk ? sqlite3_backup_step(bk, -1) : SQLITE_ERROR;
    if (bk)
        sqlite3_backup_finish(bk);
    sqlite3_close(dst);
    if (rc != SQLITE_DONE)
        s = tz_err_set(err, TZ_EINTERNAL, "restore failed: %s", sqlite3_errstr(rc));
out:
    sqlite3_close(src);
    return s;
}

/* ---- printed documents (issue 5, part 3) ------------------------------- */

static const char SQL_NOTICE_GET[] =
    "SELECT year, seq, issued_on FROM notices WHERE item_id = ?1 AND grade = ?2";
static const char SQL_NOTICE_INSERT[] =
    "INSERT INTO notices (item_id, grade, year, seq, issued_on, issued_by) "
    "SELECT ?1, ?2, ?3, coalesce(max(seq), 0) + 1, ?4, ?5 FROM notices WHERE year = ?3";

static enum tz_status sq_notice_number(struct tz_store_conn *base, int64_t item_id, int grade,
                                       int32_t today, int64_t user_id, int *year_out,
                                       int64_t *seq_out, int32_t *issued_out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    for (int attempt = 0; attempt < 2; attempt++) {
        sqlite3_stmt *st = prep(c, SQL_NOTICE_GET);
        if (!st)
            return db_err(c->db, err, "notice number");
        sqlite3_bind_int64(st, 1, item_id);
        sqlite3_bind_int(st, 2, grade);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *year_out = sqlite3_column_int(st, 0);
            *seq_out = sqlite3_column_int64(st, 1);
            *issued_out = (int32_t)sqlite3_column_int64(st, 2);
            sqlite3_reset(st);
            return TZ_OK;
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE || attempt)
            return db_err(c->db, err, "notice number");
        st = prep(c, SQL_NOTICE_INSERT);
        if (!st)
            return db_err(c->db, err, "notice number");
        sqlite3_bind_int64(st, 1, item_id);
        sqlite3_bind_int(st, 2, grade);
        sqlite3_bind_int(st, 3, tz_date_year(today));
        sqlite3_bind_int64(st, 4, today);
        sqlite3_bind_int64(st, 5, user_id);
        enum tz_status s = step_done(c, st, err, "notice number");
        if (s != TZ_OK)
            return s;
    }
    return tz_err_set(err, TZ_EINTERNAL, "notice number");
}

static enum tz_status sq_event_counts(struct tz_store_conn *base, const struct tz_scope *scope,
                                      const char *from_ts, const char *to_ts,
                                      const char *const *actions, size_t n, int64_t *counts_out,
                                      struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    struct tz_strbuf sql = TZ_STRBUF_INIT;
    sqlite3_stmt *st = NULL;
    enum tz_status s = TZ_OK;
    memset(counts_out, 0, n * sizeof(*counts_out));
    /* one index range per action (events_action_at), the scope as a subquery on items */
    tz_strbuf_addstr(&sql, "SELECT action, count(*) FROM events WHERE action IN (");
    for (size_t i = 0; i < n; i++)
        tz_strbuf_addf(&sql, "%s?%zu", i ? ", " : "", i + 3);
    tz_strbuf_addstr(&sql, ") AND at >= ?1 AND at < ?2");
    if (!scope->all) {
        tz_strbuf_addstr(&sql, " AND item_id IN (SELECT id FROM items WHERE 1 = 1");
        add_scope(&sql, scope);
        tz_strbuf_addch(&sql, ')');
    }
    tz_strbuf_addstr(&sql, " GROUP BY action");
    read_begin(c);
    if (injected_fault(c) || sqlite3_prepare_v2(c->db, sql.buf, -1, &st, NULL) != SQLITE_OK) {
        s = db_err(c->db, err, "event counts");
        goto out;
    }
    bind_text(st, 1, from_ts);
    bind_text(st, 2, to_ts);
    for (size_t i = 0; i < n; i++)
        bind_text(st, (int)i + 3, actions[i]);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *action = (const char *)sqlite3_column_text(st, 0);
        for (size_t i = 0; i < n; i++)
            if (action && strcmp(action, actions[i]) == 0)
                counts_out[i] = sqlite3_column_int64(st, 1);
    }
    if (rc != SQLITE_DONE)
        s = db_err(c->db, err, "event counts");
out:
    sqlite3_finalize(st);
    tz_strbuf_release(&sql);
    return s;
}

/* ---- notifications ------------------------------------------------------ */

#define CHANNEL_COLS                                                                               \
    "id, unit_id, kind, name, url, secret, msgtype, enabled, created_at, updated_at"
static const char SQL_CHANNEL_INSERT[] =
    "INSERT INTO notify_channels (unit_id, kind, name, url, secret, msgtype, enabled, created_at, "
    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_CHANNEL_UPDATE[] =
    "UPDATE notify_channels SET unit_id = ?, kind = ?, name = ?, url = ?, secret = ?, msgtype = ?, "
    "enabled = ?, created_at = ?, updated_at = ? WHERE id = ? RETURNING id";
static const char SQL_CHANNEL_DELETE[] = "DELETE FROM notify_channels WHERE id = ? RETURNING id";
static const char SQL_CHANNEL_GET[] = "SELECT " CHANNEL_COLS " FROM notify_channels WHERE id = ?";
static const char SQL_CHANNEL_LIST[] = "SELECT " CHANNEL_COLS " FROM notify_channels "
                                       "WHERE ?1 = 0 OR unit_id = ?1 ORDER BY unit_id, id";

static void row_channel(sqlite3_stmt *st, struct tz_arena *a, struct tz_notify_channel *ch)
{
    ch->id = sqlite3_column_int64(st, 0);
    ch->unit_id = sqlite3_column_int64(st, 1);
    ch->kind = col_text_or(st, 2, a, "");
    ch->name = col_text_or(st, 3, a, "");
    ch->url = col_text_or(st, 4, a, "");
    ch->secret = col_text_or(st, 5, a, "");
    ch->msgtype = col_text_or(st, 6, a, "markdown");
    ch->enabled = sqlite3_column_int(st, 7) != 0;
    ch->created_at = col_text_or(st, 8, a, "");
    ch->updated_at = col_text_or(st, 9, a, "");
}

static enum tz_status sq_notify_channel_put(struct tz_store_conn *base,
                                            struct tz_notify_channel *ch, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, ch->id ? SQL_CHANNEL_UPDATE : SQL_CHANNEL_INSERT);
    if (!st)
        return db_err(c->db, err, "channel put");
    sqlite3_bind_int64(st, 1, ch->unit_id);
    bind_text(st, 2, ch->kind);
    bind_text(st, 3, ch->name);
    bind_text(st, 4, ch->url);
    bind_text(st, 5, ch->secret ? ch->secret : "");
    bind_text(st, 6, ch->msgtype);
    sqlite3_bind_int(st, 7, ch->enabled);
    bind_text(st, 8, ch->created_at);
    bind_text(st, 9, ch->updated_at);
    if (ch->id)
        sqlite3_bind_int64(st, 10, ch->id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        ch->id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return tz_err_set(err, TZ_ENOTFOUND, "channel %lld not found", (long long)ch->id);
    if (rc != SQLITE_ROW)
        return db_err(c->db, err, "channel put");
    return TZ_OK;
}

static enum tz_status sq_notify_channel_delete(struct tz_store_conn *base, int64_t id,
                                               struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_CHANNEL_DELETE);
    if (!st)
        return db_err(c->db, err, "channel delete");
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return tz_err_set(err, TZ_ENOTFOUND, "channel %lld not found", (long long)id);
    if (rc != SQLITE_ROW)
        return db_err(c->db, err, "channel delete");
    return TZ_OK;
}

static enum tz_status sq_notify_channel_get(struct tz_store_conn *base, int64_t id,
                                            struct tz_arena *a, struct tz_notify_channel *out,
                                            struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_CHANNEL_GET);
    if (!st)
        return db_err(c->db, err, "channel get");
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_channel(st, a, out);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return tz_err_set(err, TZ_ENOTFOUND, "channel %lld not found", (long long)id);
    if (rc != SQLITE_ROW)
        return db_err(c->db, err, "channel get");
    return TZ_OK;
}

static enum tz_status sq_notify_channel_list(struct tz_store_conn *base, int64_t unit_id,
                                             struct tz_arena *a, struct tz_notify_channel **out,
                                             size_t *n_out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_CHANNEL_LIST);
    if (!st)
        return db_err(c->db, err, "channel list");
    sqlite3_bind_int64(st, 1, unit_id);
    size_t n = 0, cap = 16;
    struct tz_notify_channel *v = tz_arena_alloc(a, cap * sizeof(*v));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap)
            v = tz_arena_grow(a, v, &cap, sizeof(*v));
        row_channel(st, a, &v[n++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_err(c->db, err, "channel list");
    *out = v;
    *n_out = n;
    return TZ_OK;
}

#define OUTBOX_COLS                                                                                \
    "id, dedupe_key, channel_id, unit_id, event, item_id, title, body, state, attempts, next_at, " \
    "last_error, created_at, sent_at"
static const char SQL_OUTBOX_INSERT[] =
    "INSERT INTO notify_outbox (dedupe_key, channel_id, unit_id, event, item_id, title, body, "
    "state, attempts, next_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?) "
    "ON CONFLICT (dedupe_key) DO NOTHING RETURNING id";
/* one statement: two servers can never claim the same message */
static const char SQL_OUTBOX_CLAIM[] =
    "UPDATE notify_outbox SET state = 'sending', attempts = attempts + 1, lease_until = ?2 "
    "WHERE id = (SELECT id FROM notify_outbox WHERE (state = 'pending' AND next_at <= ?1) "
    "OR (state = 'sending' AND lease_until <= ?1) ORDER BY next_at, id LIMIT 1) "
    "RETURNING " OUTBOX_COLS;
static const char SQL_OUTBOX_DUE[] =
    "SELECT EXISTS (SELECT 1 FROM notify_outbox WHERE state = 'pending' AND next_at <= ?1) "
    "OR EXISTS (SELECT 1 FROM notify_outbox WHERE state = 'sending' AND lease_until <= ?1)";
static const char SQL_OUTBOX_SETTLE[] = "UPDATE notify_outbox SET state = ?, next_at = ?, "
                                        "last_error = ?, sent_at = ?, lease_until = 0 WHERE id = ?";
static const char SQL_OUTBOX_LIST[] = "SELECT " OUTBOX_COLS " FROM notify_outbox "
                                      "WHERE ?1 IS NULL OR state = ?1 ORDER BY id DESC LIMIT ?2";
static const char SQL_OUTBOX_REQUEUE[] =
    "UPDATE notify_outbox SET state = 'pending', attempts = 0, next_at = ?, lease_until = 0 "
    "WHERE id = ? AND state = 'dead' RETURNING id";
static const char SQL_RUN_CLAIM[] = "INSERT INTO notify_runs (day, started_at) VALUES (?, ?) "
                                    "ON CONFLICT (day) DO NOTHING RETURNING day";

static void row_outbox(sqlite3_stmt *st, struct tz_arena *a, struct tz_outbox_msg *m)
{
    m->id = sqlite3_column_int64(st, 0);
    m->dedupe_key = col_text_or(st, 1, a, "");
    m->channel_id = sqlite3_column_int64(st, 2);
    m->unit_id = sqlite3_column_int64(st, 3);
    m->event = col_text_or(st, 4, a, "");
    m->item_id = sqlite3_column_int64(st, 5);
    m->title = col_text_or(st, 6, a, "");
    m->body = col_text_or(st, 7, a, "");
    m->state = col_text_or(st, 8, a, "");
    m->attempts = sqlite3_column_int(st, 9);
    m->next_at = sqlite3_column_int64(st, 10);
    m->last_error = col_text(st, 11, a);
    m->created_at = col_text_or(st, 12, a, "");
    m->sent_at = col_text(st, 13, a);
}

static enum tz_status sq_notify_enqueue(struct tz_store_conn *base, const struct tz_outbox_msg *m,
                                        int64_t *id_out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_OUTBOX_INSERT);
    *id_out = 0;
    if (!st)
        return db_err(c->db, err, "outbox insert");
    bind_text(st, 1, m->dedupe_key);
    sqlite3_bind_int64(st, 2, m->channel_id);
    sqlite3_bind_int64(st, 3, m->unit_id);
    bind_text(st, 4, m->event);
    bind_id(st, 5, m->item_id);
    bind_text(st, 6, m->title);
    bind_text(st, 7, m->body);
    sqlite3_bind_int64(st, 8, m->next_at);
    bind_text(st, 9, m->created_at);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id_out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_err(c->db, err, "outbox insert");
    return TZ_OK;
}

static enum tz_status sq_notify_claim(struct tz_store_conn *base, int64_t now, int64_t lease_until,
                                      struct tz_arena *a, struct tz_outbox_msg *out,
                                      bool *found_out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_OUTBOX_CLAIM);
    *found_out = false;
    if (!st)
        return db_err(c->db, err, "outbox claim");
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, lease_until);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        row_outbox(st, a, out);
        *found_out = true;
        rc = sqlite3_step(st); /* runs the statement to its end */
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_err(c->db, err, "outbox claim");
    return TZ_OK;
}

static enum tz_status sq_notify_due(struct tz_store_conn *base, int64_t now, bool *due_out,
                                    struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_OUTBOX_DUE);
    *due_out = false;
    if (!st)
        return db_err(c->db, err, "outbox due");
    sqlite3_bind_int64(st, 1, now);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *due_out = sqlite3_column_int(st, 0) != 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return db_err(c->db, err, "outbox due");
    return TZ_OK;
}

static enum tz_status sq_notify_settle(struct tz_store_conn *base, int64_t id, const char *state,
                                       int64_t next_at, const char *last_error, const char *sent_at,
                                       struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_OUTBOX_SETTLE);
    if (!st)
        return db_err(c->db, err, "outbox settle");
    bind_text(st, 1, state);
    sqlite3_bind_int64(st, 2, next_at);
    bind_text(st, 3, last_error);
    bind_text(st, 4, sent_at);
    sqlite3_bind_int64(st, 5, id);
    return step_done(c, st, err, "outbox settle");
}

static enum tz_status sq_notify_list(struct tz_store_conn *base, const char *state, int limit,
                                     struct tz_arena *a, struct tz_outbox_msg **out, size_t *n_out,
                                     struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_OUTBOX_LIST);
    if (!st)
        return db_err(c->db, err, "outbox list");
    bind_text(st, 1, state);
    sqlite3_bind_int(st, 2, limit);
    size_t n = 0, cap = 16;
    struct tz_outbox_msg *v = tz_arena_alloc(a, cap * sizeof(*v));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap)
            v = tz_arena_grow(a, v, &cap, sizeof(*v));
        row_outbox(st, a, &v[n++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_err(c->db, err, "outbox list");
    *out = v;
    *n_out = n;
    return TZ_OK;
}

static enum tz_status sq_notify_requeue(struct tz_store_conn *base, int64_t id, int64_t now,
                                        struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_OUTBOX_REQUEUE);
    if (!st)
        return db_err(c->db, err, "outbox requeue");
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return tz_err_set(err, TZ_ENOTFOUND, "dead letter %lld not found", (long long)id);
    if (rc != SQLITE_ROW)
        return db_err(c->db, err, "outbox requeue");
    return TZ_OK;
}

static enum tz_status sq_notify_run_claim(struct tz_store_conn *base, int32_t day, const char *at,
                                          bool *won_out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_RUN_CLAIM);
    *won_out = false;
    if (!st)
        return db_err(c->db, err, "run claim");
    sqlite3_bind_int(st, 1, day);
    bind_text(st, 2, at);
    int rc = sqlite3_step(st);
    *won_out = rc == SQLITE_ROW;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_err(c->db, err, "run claim");
    return TZ_OK;
}

/* ---- import ------------------------------------------------------------- */

static const char SQL_ITEM_BY_CODE[] = "SELECT id FROM items WHERE code = ? AND ledger = ?";

static enum tz_status sq_item_id_by_code(struct tz_store_conn *base, const char *ledger,
                                         const char *code, int64_t *id_out, struct tz_err *err)
{
    struct sq_conn *c = SQ(base);
    sqlite3_stmt *st = prep(c, SQL_ITEM_BY_CODE);
    *id_out = 0;
    if (!st)
        return db_err(c->db, err, "item by code");
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, ledger, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id_out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_err(c->db, err, "item by code");
    return TZ_OK;
}

static const struct tz_store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .acquire = sq_acquire,
    .release = sq_release,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .meta_get = sq_meta_get,
    .meta_set = sq_meta_set,
    .unit_insert = sq_unit_insert,
    .unit_update = sq_unit_update,
    .unit_list = sq_unit_list,
    .user_insert = sq_user_insert,
    .user_update = sq_user_update,
    .user_get = sq_user_get,
    .user_list = sq_user_list,
    .user_login_state = sq_user_login_state,
    .session_insert = sq_session_insert,
    .session_get = sq_session_get,
    .session_touch = sq_session_touch,
    .session_delete = sq_session_delete,
    .code_next = sq_code_next,
    .item_insert = sq_item_insert,
    .item_update = sq_item_update,
    .item_get = sq_item_get,
    .item_list = sq_item_list,
    .item_walk = sq_item_walk,
    .item_refresh_lights = sq_item_refresh_lights,
    .dashboard = sq_dashboard,
    .due_counts = sq_due_counts,
    .todos = sq_todos,
    .trend = sq_trend,
    .item_locations = sq_item_locations,
    .event_insert = sq_event_insert,
    .event_list = sq_event_list,
    .attachment_insert = sq_attachment_insert,
    .attachment_get = sq_attachment_get,
    .attachment_list = sq_attachment_list,
    .audit_last = sq_audit_last,
    .audit_insert = sq_audit_insert,
    .audit_list = sq_audit_list,
    .calendar_get = sq_calendar_get,
    .calendar_put = sq_calendar_put,
    .calendar_years = sq_calendar_years,
    .tally_insert = sq_tally_insert,
    .scorecard = sq_scorecard,
    .burden = sq_burden,
    .hazard_stats = sq_hazard_stats,
    .item_each = sq_item_each,
    .search_put = sq_search_put,
    .search = sq_search,
    .series_put = sq_series_put,
    .series_list = sq_series_list,
    .backup = sq_backup,
    .notice_number = sq_notice_number,
    .event_counts = sq_event_counts,
    .notify_channel_put = sq_notify_channel_put,
    .notify_channel_delete = sq_notify_channel_delete,
    .notify_channel_get = sq_notify_channel_get,
    .notify_channel_list = sq_notify_channel_list,
    .notify_enqueue = sq_notify_enqueue,
    .notify_claim = sq_notify_claim,
    .notify_due = sq_notify_due,
    .notify_settle = sq_notify_settle,
    .notify_list = sq_notify_list,
    .notify_requeue = sq_notify_requeue,
    .notify_run_claim = sq_notify_run_claim,
    .item_id_by_code = sq_item_id_by_code,
    .begin_bulk = sq_begin_bulk,
};
