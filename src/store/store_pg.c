/*
 * store_pg.c - the PostgreSQL engine of the store (sql.h), over libpq: what
 * `taizhang serve --pg CONNINFO` runs on when one machine is not enough.
 *
 * Design:
 * - The calls are the shared SQL of store_sql.c. Statements are prepared on
 *   each connection at their first run (named s1, s2, ...; `?`/`?N` rewritten
 *   to `$N`), parameters travel as text and PostgreSQL gives them their types
 *   from the statement; results come back whole, in text, except a walk's
 *   (every item, an export), read through a cursor a batch at a time.
 * - A fixed pool of connections, one per concurrent request. A connection
 *   found broken (the server restarted, the network blinked) is reset when it
 *   is next taken from the pool, and its prepared statements are prepared
 *   again; the call that met the break answers 503.
 * - One writer at a time across every server: a write transaction takes a
 *   transaction-scoped advisory lock right after BEGIN. The audit chain's next
 *   entry, the item codes and the versions are then read and written by one
 *   transaction at a time, as on SQLite, whichever server it runs on; reads
 *   never wait for it.
 * - Migrations are the files src/store/schema_pg/NNN_*.sql, NNN being the
 *   schema version the file brings the database to; tz_schema holds the
 *   version. Several servers starting at once migrate once (the advisory lock).
 * - Live changes cross servers as NOTIFY on the channel "taizhang", sent
 *   inside the transaction (delivered only if it commits); one listening
 *   connection per server hears them (store.h listen). The COMMIT's trip also
 *   counts the write in tz_generation, which every request of every server
 *   reads first (store.h generation): what a server caches follows the
 *   others exactly, not only when their NOTIFY arrives.
 */
#include "sql.h"
#include "tz/embed.h"
#include "tz/log.h"
#include "tz/strbuf.h"
#include "tz/xalloc.h"

#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PG_STMT_CACHE   96
#define PG_UPDATE_CACHE 16
#define PG_WRITE_LOCK   "7400" /* the advisory lock key every write transaction takes */
#define PG_CHANNEL      "taizhang"
#define PG_WALK_BATCH   1000 /* rows a walk fetches at a time */

struct pg_conn;

struct pg_stmt {
    struct sql_stmt base;
    struct pg_conn *conn;
    const char *sql;   /* the cache's key: the static text's address */
    uint64_t key;      /* or this, in the keyed cache */
    char *text;        /* with $N parameters (owned) */
    char name[16];     /* the prepared statement's name; "" until prepared */
    unsigned prepared; /* the connection's generation it was prepared in */
    bool once;         /* run unnamed (PQexecParams), freed by finalize */
    bool walk;         /* once, read through a cursor a batch at a time */
    bool cursor_open;  /* the walk's cursor is declared */
    bool own_txn;      /* the walk opened the read transaction its cursor lives in */
    char cursor[24];
    int n_params;
    char **params; /* n_params texts (owned), NULL for NULL */
    PGresult *res;
    int row, n_rows;
    int64_t changes;
};

struct pg_conn {
    struct sql_conn base;
    PGconn *pg;
    unsigned generation; /* bumped when the connection is reset: statements re-prepare */
    bool in_write;
    bool broken;   /* met a dead connection: reset before its next use */
    bool walk_txn; /* a walk's own read transaction is open */
    char sqlstate[6];
    char errmsg[256];
    char *announcement; /* sent with the COMMIT of the open transaction (owned) */
    struct pg_stmt cache[PG_STMT_CACHE];
    struct pg_stmt updates[PG_UPDATE_CACHE];
    unsigned next_update, next_name;
};

struct pg_store {
    struct tz_store base;
    char *conninfo;
    struct sql_pool pool;
    struct pg_conn *conns;
    int n_conns;
    /* live changes from other servers (listen) */
    pthread_t listener;
    bool listening;
    atomic_bool stop;
    void (*heard)(const char *payload, void *arg);
    void *heard_arg;
};

static struct tz_store_ops pg_ops;
static const struct sql_engine pg_engine;
static void pg_ops_fill(void);

/* ---- connections ---------------------------------------------------------- */

/* The server's notices ("relation exists, skipping") are not the operator's concern. */
static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/*
 * Opens a connection with our defaults (a 5 s connect timeout, keepalives, our
 * application name) under whatever the operator's conninfo says.
 */
static PGconn *pg_connect(const char *conninfo, struct tz_err *err)
{
    /* a server that vanished without closing (a cable, a VM) is given up on after 15 s */
    const char *keys[] = {"connect_timeout",     "application_name", "keepalives_idle",
                          "keepalives_interval", "keepalives_count", "tcp_user_timeout",
                          "client_encoding",     "dbname",           NULL};
    const char *vals[] = {"5", "taizhang", "10", "5", "3", "15000", "UTF8", conninfo, NULL};
    PGconn *pg = PQconnectdbParams(keys, vals, 1);
    if (!pg) {
        tz_err_set(err, TZ_EUNAVAIL, "cannot connect to PostgreSQL: out of memory");
        return NULL;
    }
    if (PQstatus(pg) != CONNECTION_OK) {
        char msg[200];
        snprintf(msg, sizeof(msg), "%s", PQerrorMessage(pg));
        msg[strcspn(msg, "\n")] = '\0';
        tz_err_set(err, TZ_EUNAVAIL, "cannot connect to PostgreSQL: %s", msg);
        PQfinish(pg);
        return NULL;
    }
    PQsetNoticeProcessor(pg, ignore_notice, NULL);
    /* the server's session settings our SQL relies on */
    PGresult *r = PQexec(pg, "SET TIME ZONE 'UTC'; SET standard_conforming_strings = on");
    PQclear(r);
    return pg;
}

static void stmt_clear_result(struct pg_stmt *s)
{
    PQclear(s->res);
    s->res = NULL;
    s->row = -1;
    s->n_rows = 0;
}

static void stmt_free_params(struct pg_stmt *s)
{
    for (int i = 0; i < s->n_params; i++) {
        free(s->params[i]);
        s->params[i] = NULL;
    }
}

static void stmt_release(struct pg_stmt *s)
{
    stmt_clear_result(s);
    stmt_free_params(s);
    free(s->params);
    free(s->text);
    memset(s, 0, sizeof(*s));
}

/* Remembers the connection's last error (its SQLSTATE and first line). */
static void conn_note_error(struct pg_conn *c, const PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(c->pg);
    snprintf(c->sqlstate, sizeof(c->sqlstate), "%s", state ? state : "");
    snprintf(c->errmsg, sizeof(c->errmsg), "%s", msg && *msg ? msg : "connection lost");
    c->errmsg[strcspn(c->errmsg, "\n")] = '\0';
    if (PQstatus(c->pg) != CONNECTION_OK)
        c->broken = true;
}

/* Runs SQL text without parameters; TZ_OK or err. */
static enum tz_status conn_exec(struct pg_conn *c, const char *sql, struct tz_err *err)
{
    PGresult *r = PQexec(c->pg, sql);
    ExecStatusType t = PQresultStatus(r);
    enum tz_status s = TZ_OK;
    if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
        conn_note_error(c, r);
        s = pg_engine.error(&c->base, err, sql);
    }
    PQclear(r);
    return s;
}

/* ---- statements (sql.h) ---------------------------------------------------- */

/*
 * SQLite's parameters in PostgreSQL's spelling: `?N` becomes `$N` and a bare
 * `?` the next number after the largest so far (SQLite's rule). Quoted text
 * is copied as it is. *n_out is the number of parameters.
 */
static char *pg_text(const char *sql, int *n_out)
{
    struct tz_strbuf sb = TZ_STRBUF_INIT;
    int max = 0;
    char quote = 0;
    for (const char *p = sql; *p; p++) {
        if (quote) {
            tz_strbuf_addch(&sb, *p);
            if (*p == quote)
                quote = 0;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
            tz_strbuf_addch(&sb, *p);
        } else if (*p == '?') {
            int n = 0;
            while (p[1] >= '0' && p[1] <= '9')
                n = n * 10 + (*++p - '0');
            if (!n)
                n = max + 1;
            if (n > max)
                max = n;
            tz_strbuf_addf(&sb, "$%d", n);
        } else {
            tz_strbuf_addch(&sb, *p);
        }
    }
    *n_out = max;
    return tz_strbuf_detach(&sb, NULL);
}

static void stmt_init(struct pg_stmt *s, struct pg_conn *c, const char *sql)
{
    s->base.eng = &pg_engine;
    s->conn = c;
    s->text = pg_text(sql, &s->n_params);
    s->params = tz_xcalloc((size_t)(s->n_params ? s->n_params : 1), sizeof(char *));
    s->row = -1;
}

/* A cached statement made ready for a new run: no result, no parameters. */
static struct pg_stmt *stmt_reuse(struct pg_stmt *s)
{
    stmt_clear_result(s);
    stmt_free_params(s);
    s->changes = 0;
    return s;
}

static struct sql_stmt *pg_prep(struct sql_conn *base, const char *sql)
{
    struct pg_conn *c = (struct pg_conn *)base;
    for (int i = 0; i < PG_STMT_CACHE; i++) {
        struct pg_stmt *s = &c->cache[i];
        if (s->sql == sql)
            return &stmt_reuse(s)->base;
        if (!s->sql) {
            stmt_init(s, c, sql);
            s->sql = sql;
            return &s->base;
        }
    }
    abort(); /* more distinct statements than PG_STMT_CACHE: raise the constant */
}

static struct sql_stmt *pg_prep_keyed(struct sql_conn *base, uint64_t key, const char *sql)
{
    struct pg_conn *c = (struct pg_conn *)base;
    for (int i = 0; i < PG_UPDATE_CACHE; i++)
        if (c->updates[i].text && c->updates[i].key == key)
            return &stmt_reuse(&c->updates[i])->base;
    struct pg_stmt *s = &c->updates[c->next_update++ % PG_UPDATE_CACHE];
    if (s->text && s->prepared == c->generation && s->name[0]) {
        char dealloc[48];
        snprintf(dealloc, sizeof(dealloc), "DEALLOCATE %s", s->name);
        PQclear(PQexec(c->pg, dealloc));
    }
    stmt_release(s);
    stmt_init(s, c, sql);
    s->key = key;
    return &s->base;
}

static struct sql_stmt *pg_prep_once(struct sql_conn *base, const char *sql)
{
    struct pg_stmt *s = tz_xcalloc(1, sizeof(*s));
    stmt_init(s, (struct pg_conn *)base, sql);
    s->once = true;
    return &s->base;
}

static struct sql_stmt *pg_prep_walk(struct sql_conn *base, const char *sql)
{
    struct pg_stmt *s = (struct pg_stmt *)pg_prep_once(base, sql);
    s->walk = true;
    return &s->base;
}

/* Ends a walk: its cursor closed, its own read transaction ended. */
static void walk_end(struct pg_stmt *s)
{
    struct pg_conn *c = s->conn;
    if (s->cursor_open && !c->broken) {
        char close[48];
        snprintf(close, sizeof(close), "CLOSE %s", s->cursor);
        PQclear(PQexec(c->pg, close));
    }
    if (s->own_txn) {
        PQclear(PQexec(c->pg, "COMMIT"));
        c->walk_txn = false;
    }
    s->cursor_open = s->own_txn = false;
}

static void pg_finalize(struct sql_stmt *base)
{
    struct pg_stmt *s = (struct pg_stmt *)base;
    if (s->walk)
        walk_end(s);
    stmt_release(s);
    free(s);
}

static void set_param(struct sql_stmt *base, int i, char *text)
{
    struct pg_stmt *s = (struct pg_stmt *)base;
    if (i < 1 || i > s->n_params) {
        free(text);
        return;
    }
    free(s->params[i - 1]);
    s->params[i - 1] = text;
}

static void pg_bind_int64(struct sql_stmt *s, int i, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof(buf), "%lld", (long long)v);
    set_param(s, i, tz_xstrdup(buf));
}

static void pg_bind_double(struct sql_stmt *s, int i, double v)
{
    char buf[40];
    snprintf(buf, sizeof(buf), "%.17g", v);
    set_param(s, i, tz_xstrdup(buf));
}

static void pg_bind_text(struct sql_stmt *s, int i, const char *v)
{
    set_param(s, i, v ? tz_xstrdup(v) : NULL);
}

static void pg_bind_null(struct sql_stmt *s, int i)
{
    set_param(s, i, NULL);
}

/* Runs the statement (preparing it on this connection first when it has to). */
static bool stmt_run(struct pg_stmt *s)
{
    struct pg_conn *c = s->conn;
    if (c->broken)
        return false;
    const char *const *params = (const char *const *)s->params;
    PGresult *r;
    if (s->once) {
        r = PQexecParams(c->pg, s->text, s->n_params, NULL, params, NULL, NULL, 0);
    } else {
        if (!s->name[0] || s->prepared != c->generation) {
            snprintf(s->name, sizeof(s->name), "s%u", ++c->next_name);
            PGresult *p = PQprepare(c->pg, s->name, s->text, s->n_params, NULL);
            if (PQresultStatus(p) != PGRES_COMMAND_OK) {
                conn_note_error(c, p);
                tz_error("postgres: prepare: %s: %s", c->errmsg, s->text);
                PQclear(p);
                s->name[0] = '\0';
                return false;
            }
            PQclear(p);
            s->prepared = c->generation;
        }
        r = PQexecPrepared(c->pg, s->name, s->n_params, params, NULL, NULL, 0);
    }
    ExecStatusType t = PQresultStatus(r);
    if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK) {
        conn_note_error(c, r);
        PQclear(r);
        return false;
    }
    const char *n = PQcmdTuples(r);
    s->changes = n && *n ? strtoll(n, NULL, 10) : 0;
    s->res = r;
    s->n_rows = t == PGRES_TUPLES_OK ? PQntuples(r) : 0;
    s->row = -1;
    return true;
}

/*
 * A walk's next batch: the first call declares the cursor (inside the open
 * write transaction, or a read-only one of the walk's own), each call fetches
 * PG_WALK_BATCH rows. Other statements may run on the connection meanwhile.
 */
static bool walk_fetch(struct pg_stmt *s)
{
    struct pg_conn *c = s->conn;
    if (c->broken)
        return false;
    if (!s->cursor_open) {
        if (!c->in_write) {
            PGresult *b = PQexec(c->pg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
            bool ok = PQresultStatus(b) == PGRES_COMMAND_OK;
            if (!ok)
                conn_note_error(c, b);
            PQclear(b);
            if (!ok)
                return false;
            s->own_txn = c->walk_txn = true;
        }
        snprintf(s->cursor, sizeof(s->cursor), "tz_walk_%u", ++c->next_name);
        struct tz_strbuf sql = TZ_STRBUF_INIT;
        tz_strbuf_addf(&sql, "DECLARE %s NO SCROLL CURSOR FOR %s", s->cursor, s->text);
        PGresult *r = PQexecParams(c->pg, sql.buf, s->n_params, NULL,
                                   (const char *const *)s->params, NULL, NULL, 0);
        tz_strbuf_release(&sql);
        bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok)
            conn_note_error(c, r);
        PQclear(r);
        if (!ok)
            return false;
        s->cursor_open = true;
    }
    char fetch[64];
    snprintf(fetch, sizeof(fetch), "FETCH %d FROM %s", PG_WALK_BATCH, s->cursor);
    stmt_clear_result(s);
    PGresult *r = PQexec(c->pg, fetch);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        conn_note_error(c, r);
        PQclear(r);
        return false;
    }
    s->res = r;
    s->n_rows = PQntuples(r);
    s->row = -1;
    return true;
}

static int pg_step(struct sql_stmt *base)
{
    struct pg_stmt *s = (struct pg_stmt *)base;
    if (!s->res && !(s->walk ? walk_fetch(s) : stmt_run(s)))
        return SQL_FAIL;
    if (s->row + 1 >= s->n_rows && s->walk && s->n_rows == PG_WALK_BATCH && !walk_fetch(s))
        return SQL_FAIL;
    if (s->row + 1 < s->n_rows) {
        s->row++;
        return SQL_ROW;
    }
    s->row = s->n_rows;
    return SQL_DONE;
}

static const char *value(struct pg_stmt *s, int i)
{
    if (!s->res || s->row < 0 || s->row >= s->n_rows || PQgetisnull(s->res, s->row, i))
        return NULL;
    return PQgetvalue(s->res, s->row, i);
}

static bool pg_col_null(struct sql_stmt *s, int i)
{
    return value((struct pg_stmt *)s, i) == NULL;
}

static int64_t pg_col_int64(struct sql_stmt *s, int i)
{
    const char *v = value((struct pg_stmt *)s, i);
    if (!v)
        return 0;
    if (v[0] == 't' && !v[1]) /* a boolean */
        return 1;
    /* a numeric aggregate ("12.0000") reads as its integer part, as SQLite would */
    return strtoll(v, NULL, 10);
}

static double pg_col_double(struct sql_stmt *s, int i)
{
    const char *v = value((struct pg_stmt *)s, i);
    return v ? strtod(v, NULL) : 0.0;
}

static const char *pg_col_text(struct sql_stmt *s, int i)
{
    return value((struct pg_stmt *)s, i);
}

static int pg_col_bytes(struct sql_stmt *base, int i)
{
    struct pg_stmt *s = (struct pg_stmt *)base;
    return value(s, i) ? PQgetlength(s->res, s->row, i) : 0;
}

static void pg_reset(struct sql_stmt *s)
{
    stmt_clear_result((struct pg_stmt *)s);
}

static int64_t pg_changes(struct sql_stmt *s)
{
    return ((struct pg_stmt *)s)->changes;
}

static enum tz_status pg_exec(struct sql_conn *c, const char *sql, struct tz_err *err)
{
    return conn_exec((struct pg_conn *)c, sql, err);
}

static enum tz_status pg_error(struct sql_conn *base, struct tz_err *err, const char *what)
{
    struct pg_conn *c = (struct pg_conn *)base;
    tz_error("postgres: %s: %s (%s)", what, c->errmsg, c->sqlstate);
    if (c->broken || strncmp(c->sqlstate, "08", 2) == 0 || strncmp(c->sqlstate, "57", 2) == 0)
        return tz_err_set(err, TZ_EUNAVAIL, "the database is unavailable; try again");
    if (strncmp(c->sqlstate, "23", 2) == 0)
        return tz_err_set(err, TZ_EINVAL, "constraint violated: %s", what);
    if (strcmp(c->sqlstate, "40001") == 0 || strcmp(c->sqlstate, "40P01") == 0 ||
        strcmp(c->sqlstate, "55P03") == 0)
        return tz_err_set(err, TZ_EUNAVAIL, "database busy");
    return tz_err_set(err, TZ_EINTERNAL, "database error");
}

static struct sql_conn *pg_route(struct tz_store_conn *c)
{
    return (struct sql_conn *)c;
}

static const struct sql_engine pg_engine = {
    .name = "postgres",
    .is_pg = true,
    .route = pg_route,
    .prep = pg_prep,
    .prep_once = pg_prep_once,
    .prep_walk = pg_prep_walk,
    .prep_keyed = pg_prep_keyed,
    .finalize = pg_finalize,
    .bind_int64 = pg_bind_int64,
    .bind_double = pg_bind_double,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_null = pg_col_null,
    .col_int64 = pg_col_int64,
    .col_double = pg_col_double,
    .col_text = pg_col_text,
    .col_bytes = pg_col_bytes,
    .reset = pg_reset,
    .changes = pg_changes,
    .exec = pg_exec,
    .error = pg_error,
};

/* ---- migrations ------------------------------------------------------------ */

/* The version a migration file brings the schema to: its NNN_ prefix. */
static int migration_version(const struct tz_embedded *f)
{
    const char *name = strrchr(f->path, '/');
    return (int)strtol(name ? name + 1 : f->path, NULL, 10);
}

static enum tz_status read_version(struct pg_conn *c, int *out, struct tz_err *err)
{
    PGresult *r = PQexec(c->pg, "SELECT max(version) FROM tz_schema");
    enum tz_status s = TZ_OK;
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        *out =
            PQntuples(r) && !PQgetisnull(r, 0, 0) ? (int)strtol(PQgetvalue(r, 0, 0), NULL, 10) : 0;
    else {
        conn_note_error(c, r);
        s = pg_error(&c->base, err, "schema version");
    }
    PQclear(r);
    return s;
}

static enum tz_status migrate(struct pg_conn *c, bool create, struct tz_err *err)
{
    const char *prefix = "src/store/schema_pg/";
    const struct tz_embedded *files[SQL_MAX_MIGRATIONS];
    int n = sql_migrations(prefix, files);
    int newest = n ? migration_version(files[n - 1]) : 0;

    /* one server migrates; the others wait here and find the work done */
    enum tz_status s = conn_exec(c,
                                 "BEGIN; SELECT pg_advisory_xact_lock(" PG_WRITE_LOCK "); "
                                 "CREATE TABLE IF NOT EXISTS tz_schema (version INTEGER NOT NULL); "
                                 "CREATE TABLE IF NOT EXISTS tz_generation (data BIGINT NOT "
                                 "NULL, snapshots BIGINT NOT NULL); INSERT INTO tz_generation "
                                 "SELECT 0, 0 WHERE NOT EXISTS (SELECT 1 FROM tz_generation)",
                                 err);
    int version = 0;
    if (s == TZ_OK)
        s = read_version(c, &version, err);
    if (s == TZ_OK && version > newest)
        s = tz_err_set(err, TZ_EUNAVAIL,
                       "database schema version %d is newer than this program (%d)", version,
                       newest);
    if (s == TZ_OK && version == 0 && !create)
        s = tz_err_set(err, TZ_EUNAVAIL,
                       "the PostgreSQL database has no taizhang schema (run 'taizhang init --pg')");
    for (int i = 0; s == TZ_OK && i < n; i++) {
        int v = migration_version(files[i]);
        if (v <= version)
            continue;
        char *sql = tz_xmalloc(files[i]->len + 1);
        memcpy(sql, files[i]->data, files[i]->len);
        sql[files[i]->len] = '\0';
        s = conn_exec(c, sql, err);
        free(sql);
        char set[96];
        snprintf(set, sizeof(set), "DELETE FROM tz_schema; INSERT INTO tz_schema VALUES (%d)", v);
        if (s == TZ_OK)
            s = conn_exec(c, set, err);
        if (s == TZ_OK) {
            tz_info("store: migrated schema to version %d (%s)", v, files[i]->path);
            version = v;
        }
    }
    if (s == TZ_OK)
        s = conn_exec(c, "COMMIT", err);
    else
        PQclear(PQexec(c->pg, "ROLLBACK"));
    return s;
}

/* ---- open, pool, transactions ---------------------------------------------- */

static void pg_close(struct tz_store *base);

struct tz_store *tz_store_pg_open(const char *conninfo, bool create, int n_conns,
                                  struct tz_err *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, pg_ops_fill);
    if (n_conns < 1)
        n_conns = 1;
    struct pg_store *st = tz_xcalloc(1, sizeof(*st));
    st->base.ops = &pg_ops;
    st->conninfo = tz_xstrdup(conninfo);
    st->n_conns = n_conns;
    st->conns = tz_xcalloc((size_t)n_conns, sizeof(struct pg_conn));
    sql_pool_init(&st->pool, n_conns);
    atomic_init(&st->stop, false);
    for (int i = 0; i < n_conns; i++) {
        struct pg_conn *c = &st->conns[i];
        c->base.base.store = &st->base;
        c->base.eng = &pg_engine;
        if (!(c->pg = pg_connect(conninfo, err)))
            goto fail;
        if (i == 0 && migrate(c, create, err) != TZ_OK)
            goto fail;
    }
    return &st->base;
fail:
    pg_close(&st->base);
    return NULL;
}

static void pg_close(struct tz_store *base)
{
    struct pg_store *st = (struct pg_store *)base;
    if (st->listening) {
        atomic_store(&st->stop, true);
        pthread_join(st->listener, NULL);
    }
    for (int i = 0; i < st->n_conns; i++) {
        struct pg_conn *c = &st->conns[i];
        for (int j = 0; j < PG_STMT_CACHE; j++)
            stmt_release(&c->cache[j]);
        for (int j = 0; j < PG_UPDATE_CACHE; j++)
            stmt_release(&c->updates[j]);
        free(c->announcement);
        if (c->pg)
            PQfinish(c->pg);
    }
    sql_pool_release(&st->pool);
    free(st->conns);
    free(st->conninfo);
    free(st);
}

/* A connection that met a dead server is reset (and its statements forgotten) before reuse. */
static void conn_heal(struct pg_conn *c)
{
    if (!c->broken && PQstatus(c->pg) == CONNECTION_OK)
        return;
    PQreset(c->pg);
    if (PQstatus(c->pg) == CONNECTION_OK) {
        PQclear(PQexec(c->pg, "SET TIME ZONE 'UTC'"));
        c->generation++;
        c->broken = false;
        tz_info("store: reconnected to PostgreSQL");
    }
}

static struct tz_store_conn *pg_acquire(struct tz_store *base)
{
    struct pg_store *st = (struct pg_store *)base;
    struct pg_conn *c = &st->conns[sql_pool_take(&st->pool)];
    conn_heal(c);
    return &c->base.base;
}

static void pg_rollback(struct tz_store_conn *base);

static void pg_release(struct tz_store_conn *base)
{
    struct pg_conn *c = (struct pg_conn *)base;
    struct pg_store *st = (struct pg_store *)base->store;
    if (c->in_write)
        pg_rollback(base);
    sql_pool_give(&st->pool, (int)(c - st->conns));
}

static enum tz_status pg_begin(struct tz_store_conn *base, struct tz_err *err)
{
    struct pg_conn *c = (struct pg_conn *)base;
    if (c->walk_txn) /* its COMMIT would end the walk's cursor */
        return tz_err_set(err, TZ_EINTERNAL, "a write transaction inside a walk");
    conn_heal(c);
    if (c->broken)
        return tz_err_set(err, TZ_EUNAVAIL, "the database is unavailable; try again");
    enum tz_status s = conn_exec(c, "BEGIN; SELECT pg_advisory_xact_lock(" PG_WRITE_LOCK ")", err);
    if (s != TZ_OK) {
        PQclear(PQexec(c->pg, "ROLLBACK"));
        return s;
    }
    c->in_write = true;
    return TZ_OK;
}

/* After a COMMIT or ROLLBACK: the connection's transaction state forgotten. */
static void txn_end(struct pg_conn *c)
{
    c->in_write = false;
    c->base.in_bulk = false;
    c->base.snapshots_written = false;
    sql_bulk_reset(&c->base);
    free(c->announcement);
    c->announcement = NULL;
}

static enum tz_status pg_begin_bulk(struct tz_store_conn *base, struct tz_err *err)
{
    enum tz_status s = pg_begin(base, err);
    if (s == TZ_OK) {
        struct pg_conn *c = (struct pg_conn *)base;
        sql_bulk_reset(&c->base);
        c->base.in_bulk = true;
    }
    return s;
}

static enum tz_status pg_commit(struct tz_store_conn *base, struct tz_err *err)
{
    struct pg_conn *c = (struct pg_conn *)base;
    if (!c->in_write)
        return tz_err_set(err, TZ_EINTERNAL, "commit without a transaction");
    enum tz_status s = c->base.in_bulk ? sql_bulk_codes_store(&c->base, err) : TZ_OK;
    /* COMMIT of a failed transaction answers ROLLBACK: that is a failure here */
    if (s == TZ_OK) {
        /* one trip: the generation, the announcement, the commit */
        struct tz_strbuf end = TZ_STRBUF_INIT;
        tz_strbuf_addf(&end, "UPDATE tz_generation SET data = data + 1%s; ",
                       c->base.snapshots_written ? ", snapshots = snapshots + 1" : "");
        if (c->announcement)
            tz_strbuf_addf(&end, "%s; ", c->announcement);
        tz_strbuf_addstr(&end, "COMMIT");
        PGresult *r = PQexec(c->pg, end.buf);
        tz_strbuf_release(&end);
        const char *tag = PQcmdStatus(r);
        if (PQresultStatus(r) != PGRES_COMMAND_OK || !tag || strcmp(tag, "COMMIT") != 0) {
            conn_note_error(c, r);
            s = c->broken ? pg_error(&c->base, err, "commit")
                          : tz_err_set(err, TZ_EINTERNAL, "database error");
        }
        PQclear(r);
    } else {
        PQclear(PQexec(c->pg, "ROLLBACK"));
    }
    txn_end(c);
    return s;
}

static void pg_rollback(struct tz_store_conn *base)
{
    struct pg_conn *c = (struct pg_conn *)base;
    if (!c->in_write)
        return;
    PQclear(PQexec(c->pg, "ROLLBACK"));
    txn_end(c);
}

/* ---- several servers: announcements (NOTIFY) and the listener (LISTEN) ---- */

/*
 * Inside a write transaction the NOTIFY is kept and sent in one trip with the
 * COMMIT (pg_commit): PostgreSQL delivers it only if the transaction commits.
 * Outside one it is sent at once.
 */
static enum tz_status pg_announce(struct tz_store_conn *base, const char *payload,
                                  struct tz_err *err)
{
    struct pg_conn *c = (struct pg_conn *)base;
    char *literal = PQescapeLiteral(c->pg, payload, strlen(payload));
    if (!literal)
        return tz_err_set(err, TZ_EUNAVAIL, "the database is unavailable; try again");
    struct tz_strbuf sql = TZ_STRBUF_INIT;
    tz_strbuf_addf(&sql, "SELECT pg_notify('" PG_CHANNEL "', %s)", literal);
    PQfreemem(literal);
    enum tz_status s = TZ_OK;
    if (c->in_write) {
        free(c->announcement);
        c->announcement = tz_strbuf_detach(&sql, NULL);
    } else {
        s = conn_exec(c, sql.buf, err);
    }
    tz_strbuf_release(&sql);
    return s;
}

static const char SQL_GENERATION[] = "SELECT data, snapshots FROM tz_generation";

static enum tz_status pg_generation(struct tz_store_conn *base, int64_t *data_out,
                                    int64_t *snapshots_out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_GENERATION);
    int rc = sql_step(st);
    if (rc == SQL_ROW) {
        *data_out = sql_col_int64(st, 0);
        *snapshots_out = sql_col_int64(st, 1);
    }
    sql_reset(st);
    return rc == SQL_ROW ? TZ_OK : sql_error(c, err, "generation");
}

/* Opens the listening connection; NULL when the server cannot be reached (yet). */
static PGconn *listener_connect(const char *conninfo)
{
    struct tz_err err;
    PGconn *pg = pg_connect(conninfo, &err);
    if (!pg)
        return NULL;
    PGresult *r = PQexec(pg, "LISTEN " PG_CHANNEL);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
        PQfinish(pg);
        return NULL;
    }
    return pg;
}

/*
 * The listener: waits on its connection's socket (half a second at a time, to
 * see the store closing), hands every notification to the callback, and after
 * a lost connection connects again (a second apart) and says so with NULL.
 */
static void *listener_main(void *arg)
{
    struct pg_store *st = arg;
    PGconn *pg = listener_connect(st->conninfo);
    bool lost = pg == NULL;
    while (!atomic_load(&st->stop)) {
        if (!pg) {
            sleep(1);
            if ((pg = listener_connect(st->conninfo))) {
                tz_info("store: listening to the other servers again");
                st->heard(NULL, st->heard_arg);
                lost = false;
            }
            continue;
        }
        struct pollfd pfd = {.fd = PQsocket(pg), .events = POLLIN};
        if (poll(&pfd, 1, 500) < 0 || !PQconsumeInput(pg) || PQstatus(pg) != CONNECTION_OK) {
            if (!lost)
                tz_warn("store: lost the listening connection; reconnecting");
            lost = true;
            PQfinish(pg);
            pg = NULL;
            continue;
        }
        PGnotify *n;
        while ((n = PQnotifies(pg))) {
            st->heard(n->extra, st->heard_arg);
            PQfreemem(n);
        }
    }
    if (pg)
        PQfinish(pg);
    return NULL;
}

static enum tz_status pg_listen(struct tz_store *base, void (*fn)(const char *payload, void *arg),
                                void *arg, struct tz_err *err)
{
    struct pg_store *st = (struct pg_store *)base;
    if (!fn) {
        if (st->listening) {
            atomic_store(&st->stop, true);
            pthread_join(st->listener, NULL);
            st->listening = false;
        }
        return TZ_OK;
    }
    if (st->listening)
        return tz_err_set(err, TZ_EINTERNAL, "the store listens already");
    atomic_store(&st->stop, false);
    st->heard = fn;
    st->heard_arg = arg;
    if (pthread_create(&st->listener, NULL, listener_main, st) != 0)
        return tz_err_set(err, TZ_EINTERNAL, "cannot start the listener thread");
    st->listening = true;
    return TZ_OK;
}

/* ---- search ------------------------------------------------------------------ */

static const char SQL_SEARCH_PUT[] =
    "INSERT INTO item_search (item_id, title, body) VALUES (?, ?, ?) ON CONFLICT (item_id) DO "
    "UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body";
/* the pattern is '%' || text with % _ \ escaped || '%'; pg_trgm's index serves it */
static const char SQL_SEARCH[] =
    "SELECT item_id FROM item_search WHERE title LIKE ?1 OR body LIKE ?1 "
    "ORDER BY title NOT LIKE ?1, item_id DESC LIMIT ?2";

static enum tz_status pg_search_put(struct tz_store_conn *base, int64_t item_id, const char *title,
                                    const char *body, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_SEARCH_PUT);
    sql_bind_int64(st, 1, item_id);
    sql_bind_text(st, 2, title ? title : "");
    sql_bind_text(st, 3, body ? body : "");
    int rc = sql_step(st);
    sql_reset(st);
    return rc == SQL_FAIL ? sql_error(c, err, "search put") : TZ_OK;
}

static enum tz_status pg_search(struct tz_store_conn *base, const char *q, int limit,
                                struct tz_arena *a, int64_t **ids_out, size_t *n_out,
                                struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct tz_strbuf pattern = TZ_STRBUF_INIT;
    tz_strbuf_addch(&pattern, '%');
    for (const char *p = q; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            tz_strbuf_addch(&pattern, '\\');
        tz_strbuf_addch(&pattern, *p);
    }
    tz_strbuf_addch(&pattern, '%');
    struct sql_stmt *st = sql_prep(c, SQL_SEARCH);
    sql_bind_text(st, 1, pattern.buf);
    sql_bind_int64(st, 2, limit);
    tz_strbuf_release(&pattern);
    int64_t *ids = tz_arena_alloc(a, (size_t)(limit > 0 ? limit : 1) * sizeof(*ids));
    size_t n = 0;
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW && n < (size_t)limit)
        ids[n++] = sql_col_int64(st, 0);
    sql_reset(st);
    if (rc == SQL_FAIL)
        return sql_error(c, err, "search");
    *ids_out = ids;
    *n_out = n;
    return TZ_OK;
}

static enum tz_status pg_backup(struct tz_store *base, const char *path, struct tz_err *err)
{
    (void)base;
    (void)path;
    return tz_err_set(err, TZ_EINVAL,
                      "a PostgreSQL database is backed up with PostgreSQL's own tools (pg_dump)");
}

/* ---- the table ----------------------------------------------------------------- */

static void pg_ops_fill(void)
{
    pg_ops = tz_sql_ops;
    pg_ops.name = "postgres";
    pg_ops.close = pg_close;
    pg_ops.acquire = pg_acquire;
    pg_ops.release = pg_release;
    pg_ops.begin = pg_begin;
    pg_ops.commit = pg_commit;
    pg_ops.rollback = pg_rollback;
    pg_ops.begin_bulk = pg_begin_bulk;
    pg_ops.search_put = pg_search_put;
    pg_ops.search = pg_search;
    pg_ops.backup = pg_backup;
    pg_ops.announce = pg_announce;
    pg_ops.listen = pg_listen;
    pg_ops.generation = pg_generation;
}
