/*
 * sql.h - what the store's shared SQL logic (store_sql.c) asks of a database
 * engine (store_sqlite.c, store_pg.c). Internal to src/store.
 *
 * The logic of every store call - its SQL text, how parameters are bound and
 * how rows become structs - is written once, against this small statement
 * interface: prepare, bind, step, read a column, reset. Each engine implements
 * the interface over its own library, together with what only it knows:
 * connections and their pool, transactions, migrations, backups.
 *
 * SQL text is shared. Parameters are written `?` or `?N` (SQLite's forms; the
 * PostgreSQL engine rewrites them to `$N` when it prepares). Where the two
 * dialects differ, the logic passes both texts to sql_prep_dialect and the
 * engine takes its own.
 *
 * Statements from sql_prep are cached per connection, keyed by the address of
 * their (static) text, and must be reset (sql_reset) before the next call on
 * that connection; statements from sql_prep_once are for text built at run
 * time and are finalised by the caller (sql_finalize).
 */
#ifndef TZ_STORE_SQL_H
#define TZ_STORE_SQL_H

#include "tz/store.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

enum { SQL_ROW = 100, SQL_DONE = 101, SQL_FAIL = 1 }; /* what sql_step returns */

struct sql_engine;

/* An engine's prepared statement; engines embed this as their first member. */
struct sql_stmt {
    const struct sql_engine *eng;
};

#define SQL_BULK_CODES  8  /* (ledger, year) code sequences a bulk write numbers from */
#define SQL_BULK_LEDGER 32 /* a ledger key's bytes, NUL included */

/* An engine's connection; engines embed this as their first member. */
struct sql_conn {
    struct tz_store_conn base;
    const struct sql_engine *eng;
    /*
     * A bulk write's running state (store.h begin_bulk): nobody else writes
     * while it runs, so item codes are counted on in memory from one
     * reservation and the audit chain's end is remembered instead of read.
     */
    bool in_bulk;
    /* the open transaction wrote units or the calendar (store.h generation) */
    bool snapshots_written;
    struct sql_bulk_code {
        char ledger[SQL_BULK_LEDGER];
        int year;
        int n;
    } bulk_codes[SQL_BULK_CODES];
    int n_bulk_codes;
    bool bulk_audit_known; /* bulk_audit_seq/hash are the chain's last entry */
    int64_t bulk_audit_seq;
    char bulk_audit_hash[TZ_HASH_HEX];
};

struct sql_engine {
    const char *name;
    bool is_pg; /* the dialect: sql_prep_dialect takes the PostgreSQL text */
    /* The connection a call on c runs on (SQLite: the writer inside a transaction). */
    struct sql_conn *(*route)(struct tz_store_conn *c);
    /* A cached statement for static text sql; NULL on error (logged). */
    struct sql_stmt *(*prep)(struct sql_conn *c, const char *sql);
    /* A statement for text built at run time; NULL on error. Finalise it. */
    struct sql_stmt *(*prep_once)(struct sql_conn *c, const char *sql);
    /*
     * As prep_once, for a walk over many rows (every item, an export): rows
     * are fetched a batch at a time rather than all at once, and other
     * statements may run on the connection between its steps.
     */
    struct sql_stmt *(*prep_walk)(struct sql_conn *c, const char *sql);
    /*
     * A cached statement for text built at run time, known by key (an item
     * update's column mask): the text is prepared when the key is new.
     */
    struct sql_stmt *(*prep_keyed)(struct sql_conn *c, uint64_t key, const char *sql);
    void (*finalize)(struct sql_stmt *st);
    void (*bind_int64)(struct sql_stmt *st, int i, int64_t v);
    void (*bind_double)(struct sql_stmt *st, int i, double v);
    void (*bind_text)(struct sql_stmt *st, int i, const char *s); /* copied; NULL binds NULL */
    void (*bind_null)(struct sql_stmt *st, int i);
    /* Runs or advances the statement: SQL_ROW (a row to read), SQL_DONE or SQL_FAIL. */
    int (*step)(struct sql_stmt *st);
    bool (*col_null)(struct sql_stmt *st, int i);
    int64_t (*col_int64)(struct sql_stmt *st, int i);
    double (*col_double)(struct sql_stmt *st, int i);
    /* The column's text (NULL for NULL), valid until the next step or reset. */
    const char *(*col_text)(struct sql_stmt *st, int i);
    int (*col_bytes)(struct sql_stmt *st, int i);
    void (*reset)(struct sql_stmt *st);
    /* Rows changed by the statement's last run. */
    int64_t (*changes)(struct sql_stmt *st);
    /* Runs SQL text without parameters or rows (several statements allowed). */
    enum tz_status (*exec)(struct sql_conn *c, const char *sql, struct tz_err *err);
    /* The error of the connection's last call as err (constraint → TZ_EINVAL, lost → TZ_EUNAVAIL).
     */
    enum tz_status (*error)(struct sql_conn *c, struct tz_err *err, const char *what);
};

static inline struct sql_conn *sql_route(struct tz_store_conn *c)
{
    return ((struct sql_conn *)c)->eng->route(c);
}
static inline struct sql_stmt *sql_prep(struct sql_conn *c, const char *sql)
{
    return c->eng->prep(c, sql);
}
/* The statement of the connection's dialect: SQLite's text or PostgreSQL's. */
static inline struct sql_stmt *sql_prep_dialect(struct sql_conn *c, const char *sqlite_sql,
                                                const char *pg_sql)
{
    return c->eng->prep(c, c->eng->is_pg ? pg_sql : sqlite_sql);
}
static inline struct sql_stmt *sql_prep_keyed(struct sql_conn *c, uint64_t key, const char *sql)
{
    return c->eng->prep_keyed(c, key, sql);
}
static inline struct sql_stmt *sql_prep_once(struct sql_conn *c, const char *sql)
{
    return c->eng->prep_once(c, sql);
}
static inline struct sql_stmt *sql_prep_walk(struct sql_conn *c, const char *sql)
{
    return c->eng->prep_walk(c, sql);
}
static inline void sql_finalize(struct sql_stmt *st)
{
    if (st)
        st->eng->finalize(st);
}
static inline void sql_bind_int64(struct sql_stmt *st, int i, int64_t v)
{
    st->eng->bind_int64(st, i, v);
}
static inline void sql_bind_double(struct sql_stmt *st, int i, double v)
{
    st->eng->bind_double(st, i, v);
}
static inline void sql_bind_text(struct sql_stmt *st, int i, const char *s)
{
    st->eng->bind_text(st, i, s);
}
static inline void sql_bind_null(struct sql_stmt *st, int i)
{
    st->eng->bind_null(st, i);
}
static inline int sql_step(struct sql_stmt *st)
{
    return st->eng->step(st);
}
static inline bool sql_col_null(struct sql_stmt *st, int i)
{
    return st->eng->col_null(st, i);
}
static inline int64_t sql_col_int64(struct sql_stmt *st, int i)
{
    return st->eng->col_int64(st, i);
}
static inline int sql_col_int(struct sql_stmt *st, int i)
{
    return (int)st->eng->col_int64(st, i);
}
static inline double sql_col_double(struct sql_stmt *st, int i)
{
    return st->eng->col_double(st, i);
}
static inline const char *sql_col_raw(struct sql_stmt *st, int i)
{
    return st->eng->col_text(st, i);
}
static inline int sql_col_bytes(struct sql_stmt *st, int i)
{
    return st->eng->col_bytes(st, i);
}
static inline void sql_reset(struct sql_stmt *st)
{
    st->eng->reset(st);
}
static inline int64_t sql_changes(struct sql_stmt *st)
{
    return st->eng->changes(st);
}
static inline enum tz_status sql_exec(struct sql_conn *c, const char *sql, struct tz_err *err)
{
    return c->eng->exec(c, sql, err);
}
static inline enum tz_status sql_error(struct sql_conn *c, struct tz_err *err, const char *what)
{
    return c->eng->error(c, err, what);
}

/*
 * A fixed pool of n connections, one per concurrent request: take waits until
 * one is free and returns its index; give returns it. Thread-safe.
 */
struct sql_pool {
    pthread_mutex_t lock;
    pthread_cond_t free;
    bool *busy;
    int n;
};
void sql_pool_init(struct sql_pool *p, int n);
void sql_pool_release(struct sql_pool *p);
int sql_pool_take(struct sql_pool *p);
void sql_pool_give(struct sql_pool *p, int i);

#define SQL_MAX_MIGRATIONS 64
struct tz_embedded;
/* The migration files built in under prefix ("src/store/schema/"), in name order; their number. */
int sql_migrations(const char *prefix, const struct tz_embedded *files[SQL_MAX_MIGRATIONS]);

/* The shared store calls: the engine copies this table and sets its own lifecycle calls. */
extern const struct tz_store_ops tz_sql_ops;

/* Forgets a bulk write's running state (its start and its end). */
void sql_bulk_reset(struct sql_conn *c);
/* Stores the bulk write's last code numbers into code_seq (before its commit). */
enum tz_status sql_bulk_codes_store(struct sql_conn *c, struct tz_err *err);

#endif
