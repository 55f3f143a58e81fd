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
 * - The calls themselves are the shared SQL of store_sql.c; this file is the
 *   engine under them (sql.h): statements, connections, transactions,
 *   migrations, full-text search, backups.
 */
#include "sql.h"
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

/* A statement: cached (sql or key set), or prepared once and freed by finalize. */
struct sq_stmt {
    struct sql_stmt base;
    struct sq_conn *conn;
    const char *sql; /* the cache's key: the static text's address */
    uint64_t key;    /* or this, in the keyed cache */
    sqlite3_stmt *stmt;
};

struct sq_conn {
    struct sql_conn base; /* its in_bulk: the write is a transaction of its own (import) */
    sqlite3 *db;
    bool in_write; /* between begin and commit/rollback: calls go to the writer */
    bool in_read;  /* a read transaction is open on this (reader) connection */
    struct sq_stmt cache[STMT_CACHE];
    struct sq_stmt updates[UPDATE_CACHE];
    unsigned next_update;
};

#define GROUP_MAX 64 /* members of one commit group at most */
/* The writer's page cache, and a bulk write's: 100 000 items' indexes (about 25 MB) stay in
 * memory instead of spilling to the WAL and being read back (measured: 15 % of an import's CPU;
 * 64 MB bought no more). */
#define WRITER_CACHE "PRAGMA cache_size=-8000"
#define BULK_CACHE   "PRAGMA cache_size=-32768"

struct sq_store {
    struct tz_store base;
    tz_store_fault_fn fault; /* tests: fail the statement when this says so */
    void *fault_arg;
    struct sql_pool pool;
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
};

static struct tz_store_ops sqlite_ops;
static const struct sql_engine sqlite_engine;

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
    struct sq_store *st = (struct sq_store *)c->base.base.store;
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
    struct sq_store *st = (struct sq_store *)c->base.base.store;
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

/* ---- statements (sql.h) ------------------------------------------------ */

static sqlite3_stmt *ST(struct sql_stmt *s)
{
    return ((struct sq_stmt *)s)->stmt;
}

static sqlite3_stmt *prepare(struct sq_conn *c, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        tz_error("sqlite: prepare: %s: %s", sqlite3_errmsg(c->db), sql);
    return st;
}

static struct sq_stmt *reuse(struct sq_stmt *s)
{
    sqlite3_reset(s->stmt);
    sqlite3_clear_bindings(s->stmt);
    return s;
}

static struct sql_stmt *sq_prep(struct sql_conn *base, const char *sql)
{
    struct sq_conn *c = (struct sq_conn *)base;
    if (injected_fault(c))
        return NULL;
    read_begin(c);
    for (int i = 0; i < STMT_CACHE; i++) {
        struct sq_stmt *s = &c->cache[i];
        if (s->sql == sql)
            return &reuse(s)->base;
        if (!s->sql) {
            if (!(s->stmt = prepare(c, sql)))
                return NULL;
            s->base.eng = &sqlite_engine;
            s->conn = c;
            s->sql = sql;
            return &s->base;
        }
    }
    abort(); /* more distinct statements than STMT_CACHE: raise the constant */
}

static struct sql_stmt *sq_prep_keyed(struct sql_conn *base, uint64_t key, const char *sql)
{
    struct sq_conn *c = (struct sq_conn *)base;
    if (injected_fault(c))
        return NULL;
    read_begin(c);
    for (int i = 0; i < UPDATE_CACHE; i++)
        if (c->updates[i].stmt && c->updates[i].key == key)
            return &reuse(&c->updates[i])->base;
    sqlite3_stmt *st = prepare(c, sql);
    if (!st)
        return NULL;
    struct sq_stmt *s = &c->updates[c->next_update++ % UPDATE_CACHE];
    sqlite3_finalize(s->stmt);
    *s = (struct sq_stmt){.base.eng = &sqlite_engine, .conn = c, .key = key, .stmt = st};
    return &s->base;
}

static struct sql_stmt *sq_prep_once(struct sql_conn *base, const char *sql)
{
    struct sq_conn *c = (struct sq_conn *)base;
    if (injected_fault(c))
        return NULL;
    read_begin(c);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
        tz_error("sqlite: prepare: %s: %s", sqlite3_errmsg(c->db), sql);
        return NULL;
    }
    struct sq_stmt *s = tz_xcalloc(1, sizeof(*s));
    *s = (struct sq_stmt){.base.eng = &sqlite_engine, .conn = c, .stmt = st};
    return &s->base;
}

static void sq_finalize(struct sql_stmt *base)
{
    struct sq_stmt *s = (struct sq_stmt *)base;
    sqlite3_finalize(s->stmt);
    free(s);
}

static void sq_bind_int64(struct sql_stmt *s, int i, int64_t v)
{
    sqlite3_bind_int64(ST(s), i, v);
}

static void sq_bind_double(struct sql_stmt *s, int i, double v)
{
    sqlite3_bind_double(ST(s), i, v);
}

static void sq_bind_text(struct sql_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(ST(s), i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(ST(s), i);
}

static void sq_bind_null(struct sql_stmt *s, int i)
{
    sqlite3_bind_null(ST(s), i);
}

static int sq_step(struct sql_stmt *s)
{
    int rc = sqlite3_step(ST(s));
    return rc == SQLITE_ROW ? SQL_ROW : rc == SQLITE_DONE ? SQL_DONE : SQL_FAIL;
}

static bool sq_col_null(struct sql_stmt *s, int i)
{
    return sqlite3_column_type(ST(s), i) == SQLITE_NULL;
}

static int64_t sq_col_int64(struct sql_stmt *s, int i)
{
    return sqlite3_column_int64(ST(s), i);
}

static double sq_col_double(struct sql_stmt *s, int i)
{
    return sqlite3_column_double(ST(s), i);
}

static const char *sq_col_text(struct sql_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(ST(s), i);
}

static int sq_col_bytes(struct sql_stmt *s, int i)
{
    return sqlite3_column_bytes(ST(s), i);
}

static void sq_reset(struct sql_stmt *s)
{
    sqlite3_reset(ST(s));
}

static int64_t sq_changes(struct sql_stmt *s)
{
    return sqlite3_changes(((struct sq_stmt *)s)->conn->db);
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

static enum tz_status sq_exec(struct sql_conn *c, const char *sql, struct tz_err *err)
{
    return exec(((struct sq_conn *)c)->db, sql, err);
}

static enum tz_status sq_error(struct sql_conn *c, struct tz_err *err, const char *what)
{
    return db_err(((struct sq_conn *)c)->db, err, what);
}

/* The connection a call runs on: the writer while a transaction is open. */
static struct sql_conn *sq_route(struct tz_store_conn *c)
{
    struct sq_conn *raw = (struct sq_conn *)c;
    return raw->in_write ? &((struct sq_store *)c->store)->writer.base : &raw->base;
}

static const struct sql_engine sqlite_engine = {
    .name = "sqlite",
    .route = sq_route,
    .prep = sq_prep,
    .prep_once = sq_prep_once,
    .prep_walk = sq_prep_once, /* SQLite steps through rows as it reads them anyway */
    .prep_keyed = sq_prep_keyed,
    .finalize = sq_finalize,
    .bind_int64 = sq_bind_int64,
    .bind_double = sq_bind_double,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_null = sq_col_null,
    .col_int64 = sq_col_int64,
    .col_double = sq_col_double,
    .col_text = sq_col_text,
    .col_bytes = sq_col_bytes,
    .reset = sq_reset,
    .changes = sq_changes,
    .exec = sq_exec,
    .error = sq_error,
};

/* ---- open, pool, transactions ---------------------------------------- */

static enum tz_status migrate(sqlite3 *db, struct tz_err *err)
{
    const char *prefix = "src/store/schema/";
    const struct tz_embedded *files[SQL_MAX_MIGRATIONS];
    int n = sql_migrations(prefix, files);

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
static void sqlite_ops_fill(void);

static void configure_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite_ops_fill();
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
    sql_pool_init(&st->pool, n_conns);
    pthread_mutex_init(&st->write_lock, NULL);
    pthread_mutex_init(&st->durable_lock, NULL);
    pthread_cond_init(&st->durable_cond, NULL);
    atomic_init(&st->waiting, 0);
    for (int i = 0; i < n_conns; i++) {
        st->conns[i].base.base.store = &st->base;
        st->conns[i].base.eng = &sqlite_engine;
        if (open_db(path, create && i == 0, &st->conns[i].db, err) != TZ_OK)
            goto fail;
        if (i == 0 && migrate(st->conns[0].db, err) != TZ_OK)
            goto fail;
    }
    st->writer.base.base.store = &st->base;
    st->writer.base.eng = &sqlite_engine;
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
    sql_pool_release(&st->pool);
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
    return &st->conns[sql_pool_take(&st->pool)].base.base;
}

static void sq_release(struct tz_store_conn *base)
{
    struct sq_conn *c = (struct sq_conn *)base;
    struct sq_store *st = (struct sq_store *)base->store;
    if (c->in_write)
        sqlite_ops.rollback(base);
    read_end(c);
    sql_pool_give(&st->pool, (int)(c - st->conns));
}

/*
 * The open group is over (committed, or rolled back with result s), write_lock
 * held: its members waiting in close_group are woken with s.
 */
static void group_ended(struct sq_store *st, enum tz_status s)
{
    st->group_open = false;
    pthread_mutex_lock(&st->durable_lock);
    st->results[st->group_gen % GROUP_MAX] = s;
    st->durable_gen = st->group_gen;
    pthread_cond_broadcast(&st->durable_cond);
    pthread_mutex_unlock(&st->durable_lock);
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
    group_ended(st, s);
    pthread_mutex_unlock(&st->write_lock);
    return s;
}

/*
 * The start of every write: the request's read snapshot ended (what it reads
 * after its write must see the write), then write_lock taken, counted among
 * the waiting meanwhile (close_group keeps a group open for them).
 */
static enum tz_status writer_enter(struct sq_conn *c, struct sq_store *st, struct tz_err *err)
{
    if (injected_fault(c))
        return tz_err_set(err, TZ_EINTERNAL, "database error");
    read_end(c);
    atomic_fetch_add(&st->waiting, 1);
    pthread_mutex_lock(&st->write_lock);
    atomic_fetch_sub(&st->waiting, 1);
    return TZ_OK;
}

static enum tz_status sq_begin(struct tz_store_conn *base, struct tz_err *err)
{
    struct sq_conn *c = (struct sq_conn *)base;
    struct sq_store *st = (struct sq_store *)base->store;
    enum tz_status s = writer_enter(c, st, err);
    if (s != TZ_OK)
        return s;
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
 * The search text of a bulk write goes into the full-text index in one
 * statement at its end (with the code numbers counted in memory). Written row
 * by row, every later statement of the transaction would make FTS5 flush its
 * pending terms (its xSavepoint syncs them): a new segment a row and half of
 * an import's time in merging them.
 */
static enum tz_status bulk_flush(struct sq_store *st, struct tz_err *err)
{
    enum tz_status s = sql_bulk_codes_store(&st->writer.base, err);
    if (s != TZ_OK)
        return s;
    return exec(st->writer.db,
                "DELETE FROM item_search WHERE rowid IN (SELECT item_id FROM temp.bulk_search); "
                "INSERT INTO item_search (rowid, title, body) "
                "SELECT item_id, title, body FROM temp.bulk_search; DELETE FROM temp.bulk_search",
                err);
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
static enum tz_status sq_begin_bulk(struct tz_store_conn *base, struct tz_err *err)
{
    struct sq_conn *c = (struct sq_conn *)base;
    struct sq_store *st = (struct sq_store *)base->store;
    enum tz_status s = writer_enter(c, st, err);
    if (s != TZ_OK)
        return s;
    if (st->group_open) {
        /* the members before us wait for their commit: give it to them */
        s = exec(st->writer.db, "COMMIT", err);
        if (s != TZ_OK)
            exec(st->writer.db, "ROLLBACK", NULL);
        group_ended(st, s);
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
    sql_bulk_reset(&st->writer.base);
    st->writer.base.in_bulk = true;
    c->in_write = true;
    c->base.in_bulk = true;
    return TZ_OK;
}

/*
 * After a bulk write's COMMIT or ROLLBACK: its state forgotten, the writer's
 * usual page cache back, the writers queued behind it let in.
 */
static void bulk_end(struct sq_conn *c, struct sq_store *st, enum tz_status s)
{
    sql_bulk_reset(&st->writer.base);
    st->writer.base.in_bulk = false;
    exec(st->writer.db, WRITER_CACHE, NULL);
    c->in_write = c->base.in_bulk = false;
    group_ended(st, s);
    pthread_mutex_unlock(&st->write_lock);
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
    bulk_end(c, st, s);
    return s;
}

static enum tz_status sq_commit(struct tz_store_conn *base, struct tz_err *err)
{
    struct sq_conn *c = (struct sq_conn *)base;
    struct sq_store *st = (struct sq_store *)base->store;
    if (!c->in_write)
        return tz_err_set(err, TZ_EINTERNAL, "commit without a transaction");
    if (c->base.in_bulk)
        return bulk_commit(c, st, err);
    enum tz_status s = injected_fault(c) ? tz_err_set(err, TZ_EINTERNAL, "database error")
                                         : exec(st->writer.db, "RELEASE tz_action", err);
    if (s != TZ_OK)
        exec(st->writer.db, "ROLLBACK TO tz_action; RELEASE tz_action", NULL);
    else
        st->group_size++;
    c->in_write = false;
    c->base.in_bulk = false;
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
    if (c->base.in_bulk) {
        /* the transaction is the bulk write's alone: nobody joins before it ends */
        exec(st->writer.db, "ROLLBACK", NULL);
        bulk_end(c, st, TZ_OK);
        return;
    }
    exec(st->writer.db, "ROLLBACK TO tz_action; RELEASE tz_action", NULL);
    c->in_write = false;
    close_group(st, &ignore);
}
/* Runs a statement of the search index to its end. */
static enum tz_status search_step(struct sql_conn *c, struct sql_stmt *st, struct tz_err *err,
                                  const char *what)
{
    int rc = sql_step(st);
    sql_reset(st);
    return rc == SQL_FAIL ? sql_error(c, err, what) : TZ_OK;
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
    struct sql_conn *c = sql_route(base);
    if (c->in_bulk) {
        struct sql_stmt *bs = sql_prep(c, SQL_BULK_SEARCH_PUT); /* written at the commit */
        if (!bs)
            return sql_error(c, err, "search put");
        sql_bind_int64(bs, 1, item_id);
        sql_bind_text(bs, 2, title);
        sql_bind_text(bs, 3, body);
        return search_step(c, bs, err, "search put");
    }
    struct sql_stmt *st = sql_prep(c, SQL_SEARCH_DEL);
    if (!st)
        return sql_error(c, err, "search put");
    sql_bind_int64(st, 1, item_id);
    enum tz_status s = search_step(c, st, err, "search put");
    if (s != TZ_OK)
        return s;
    st = sql_prep(c, SQL_SEARCH_ADD);
    if (!st)
        return sql_error(c, err, "search put");
    sql_bind_int64(st, 1, item_id);
    sql_bind_text(st, 2, title);
    sql_bind_text(st, 3, body);
    return search_step(c, st, err, "search put");
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
    struct sql_conn *c = sql_route(base);
    bool short_q = utf8_chars(q) < 3;
    struct sql_stmt *st = sql_prep(c, short_q ? SQL_SEARCH_SHORT : SQL_SEARCH_FTS);
    if (!st)
        return sql_error(c, err, "search");
    if (short_q) {
        sql_bind_text(st, 1, q);
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
        sql_bind_text(st, 1, phrase.buf);
        tz_strbuf_release(&phrase);
    }
    sql_bind_int64(st, 2, limit);
    int64_t *ids = tz_arena_alloc(a, (size_t)(limit > 0 ? limit : 1) * sizeof(*ids));
    size_t n = 0;
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW && n < (size_t)limit)
        ids[n++] = sql_col_int64(st, 0);
    sql_reset(st);
    if (rc != SQL_DONE && rc != SQL_ROW)
        return sql_error(c, err, "search");
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
    enum tz_status s = copy_db(((struct sq_conn *)c)->db, path, err);
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

/*
 * The store's calls: the shared SQL (store_sql.c) with this engine's
 * transactions, search and backup. Filled once, at the first open.
 */

static void sqlite_ops_fill(void)
{
    sqlite_ops = tz_sql_ops;
    sqlite_ops.name = "sqlite";
    sqlite_ops.close = sq_close;
    sqlite_ops.acquire = sq_acquire;
    sqlite_ops.release = sq_release;
    sqlite_ops.begin = sq_begin;
    sqlite_ops.commit = sq_commit;
    sqlite_ops.rollback = sq_rollback;
    sqlite_ops.begin_bulk = sq_begin_bulk;
    sqlite_ops.search_put = sq_search_put;
    sqlite_ops.search = sq_search;
    sqlite_ops.backup = sq_backup;
}
