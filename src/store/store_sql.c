/*
 * store_sql.c - the store's calls (store.h) written once in SQL, for every
 * engine (sql.h): SQLite (store_sqlite.c) and PostgreSQL (store_pg.c).
 *
 * Design:
 * - Each call is one or a few statements over the shared schema; the engine
 *   prepares, binds and steps them. What an engine alone knows (connections,
 *   transactions, migrations, full-text search, backups) stays in the engine.
 * - SQL stays portable: `?`/`?N` parameters, standard functions (and instr(),
 *   which the PostgreSQL schema defines), CASE rather than boolean arithmetic,
 *   RETURNING for new ids. The few statements that differ come in two texts
 *   (sql_prep_dialect).
 * - Lists are read into the caller's arena; nothing here keeps state between
 *   calls except a bulk write's running state on its connection (sql.h).
 */
#include "sql.h"
#include "tz/date.h"
#include "tz/embed.h"
#include "tz/log.h"
#include "tz/strbuf.h"
#include "tz/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------- */

static void bind_id(struct sql_stmt *st, int i, int64_t id)
{
    if (id)
        sql_bind_int64(st, i, id);
    else
        sql_bind_null(st, i);
}

static const char *col_text(struct sql_stmt *st, int i, struct tz_arena *a)
{
    if (sql_col_null(st, i))
        return NULL;
    return tz_arena_strndup(a, sql_col_raw(st, i), (size_t)sql_col_bytes(st, i));
}

static const char *col_text_or(struct sql_stmt *st, int i, struct tz_arena *a, const char *dflt)
{
    const char *s = col_text(st, i, a);
    return s ? s : dflt;
}

static int32_t col_day(struct sql_stmt *st, int i)
{
    if (sql_col_null(st, i))
        return TZ_DAY_NONE;
    return sql_col_int(st, i);
}

/* Runs a statement that returns no rows, or whose rows nobody reads. */
static enum tz_status step_done(struct sql_conn *c, struct sql_stmt *st, struct tz_err *err,
                                const char *what)
{
    int rc = sql_step(st);
    sql_reset(st);
    if (rc != SQL_DONE && rc != SQL_ROW)
        return sql_error(c, err, what);
    return TZ_OK;
}

/* Runs an INSERT … RETURNING id: the new row's id into *id_out. */
static enum tz_status step_id(struct sql_conn *c, struct sql_stmt *st, int64_t *id_out,
                              struct tz_err *err, const char *what)
{
    int rc = sql_step(st);
    if (rc == SQL_ROW)
        *id_out = sql_col_int64(st, 0);
    sql_reset(st);
    if (rc != SQL_ROW)
        return sql_error(c, err, what);
    return TZ_OK;
}

static int migration_cmp(const void *a, const void *b)
{
    const struct tz_embedded *x = *(const struct tz_embedded *const *)a;
    const struct tz_embedded *y = *(const struct tz_embedded *const *)b;
    return strcmp(x->path, y->path);
}

int sql_migrations(const char *prefix, const struct tz_embedded *files[SQL_MAX_MIGRATIONS])
{
    int n = 0;
    for (const struct tz_embedded *f = tz_embedded_files; f->path && n < SQL_MAX_MIGRATIONS; f++)
        if (strncmp(f->path, prefix, strlen(prefix)) == 0)
            files[n++] = f;
    qsort(files, (size_t)n, sizeof(files[0]), migration_cmp);
    return n;
}

void sql_pool_init(struct sql_pool *p, int n)
{
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->free, NULL);
    p->busy = tz_xcalloc((size_t)n, sizeof(bool));
    p->n = n;
}

void sql_pool_release(struct sql_pool *p)
{
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->free);
    free(p->busy);
}

int sql_pool_take(struct sql_pool *p)
{
    pthread_mutex_lock(&p->lock);
    for (;;) {
        for (int i = 0; i < p->n; i++) {
            if (!p->busy[i]) {
                p->busy[i] = true;
                pthread_mutex_unlock(&p->lock);
                return i;
            }
        }
        pthread_cond_wait(&p->free, &p->lock);
    }
}

void sql_pool_give(struct sql_pool *p, int i)
{
    pthread_mutex_lock(&p->lock);
    p->busy[i] = false;
    pthread_cond_signal(&p->free);
    pthread_mutex_unlock(&p->lock);
}

void sql_bulk_reset(struct sql_conn *c)
{
    c->n_bulk_codes = 0;
    c->bulk_audit_known = false;
}

/* ---- meta ------------------------------------------------------------- */

static const char SQL_META_GET[] = "SELECT value FROM meta WHERE key = ?";
static const char SQL_META_SET[] =
    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
    "excluded.value";

static enum tz_status sql_meta_get(struct tz_store_conn *base, const char *key, struct tz_arena *a,
                                   const char **out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_META_GET);
    *out = NULL;
    if (!st)
        return sql_error(c, err, "meta get");
    sql_bind_text(st, 1, key);
    int rc = sql_step(st);
    if (rc == SQL_ROW)
        *out = col_text(st, 0, a);
    sql_reset(st);
    if (rc != SQL_ROW && rc != SQL_DONE)
        return sql_error(c, err, "meta get");
    return TZ_OK;
}

static enum tz_status sql_meta_set(struct tz_store_conn *base, const char *key, const char *value,
                                   struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_META_SET);
    if (!st)
        return sql_error(c, err, "meta set");
    sql_bind_text(st, 1, key);
    sql_bind_text(st, 2, value);
    return step_done(c, st, err, "meta set");
}

/* ---- units ------------------------------------------------------------ */

static const char SQL_UNIT_INSERT[] =
    "INSERT INTO units (code, name, kind, parent_id, created_at) VALUES (?, ?, ?, ?, ?) "
    "RETURNING id";
static const char SQL_UNIT_UPDATE[] =
    "UPDATE units SET code = ?, name = ?, kind = ?, parent_id = ? WHERE id = ?";
static const char SQL_UNIT_LIST[] =
    "SELECT id, code, name, kind, parent_id, created_at FROM units ORDER BY id";

static enum tz_status sql_unit_insert(struct tz_store_conn *base, struct tz_unit *u,
                                      struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_UNIT_INSERT);
    if (!st)
        return sql_error(c, err, "unit insert");
    sql_bind_text(st, 1, u->code);
    sql_bind_text(st, 2, u->name);
    sql_bind_text(st, 3, u->kind);
    bind_id(st, 4, u->parent_id);
    sql_bind_text(st, 5, u->created_at);
    c->snapshots_written = true;
    return step_id(c, st, &u->id, err, "unit insert");
}

static enum tz_status sql_unit_update(struct tz_store_conn *base, const struct tz_unit *u,
                                      struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_UNIT_UPDATE);
    if (!st)
        return sql_error(c, err, "unit update");
    sql_bind_text(st, 1, u->code);
    sql_bind_text(st, 2, u->name);
    sql_bind_text(st, 3, u->kind);
    bind_id(st, 4, u->parent_id);
    sql_bind_int64(st, 5, u->id);
    c->snapshots_written = true;
    return step_done(c, st, err, "unit update");
}

static enum tz_status sql_unit_list(struct tz_store_conn *base, struct tz_arena *a,
                                    struct tz_unit **out, size_t *n_out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_UNIT_LIST);
    size_t n = 0, cap = 64;
    struct tz_unit *v = tz_arena_alloc(a, cap * sizeof(*v));
    int rc;
    *out = NULL;
    *n_out = 0;
    if (!st)
        return sql_error(c, err, "unit list");
    while ((rc = sql_step(st)) == SQL_ROW) {
        if (n == cap)
            v = tz_arena_grow(a, v, &cap, sizeof(*v));
        struct tz_unit *u = &v[n++];
        u->id = sql_col_int64(st, 0);
        u->code = col_text(st, 1, a);
        u->name = col_text(st, 2, a);
        u->kind = col_text(st, 3, a);
        u->parent_id = sql_col_int64(st, 4);
        u->created_at = col_text(st, 5, a);
    }
    sql_reset(st);
    if (rc != SQL_DONE)
        return sql_error(c, err, "unit list");
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
    "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_USER_UPDATE[] =
    "UPDATE users SET display_name = ?, unit_id = ?, roles = ?, disabled = ?, pw_hash = ? WHERE "
    "id = ?";
static const char SQL_USER_BY_ID[] = "SELECT " USER_COLS " FROM users WHERE id = ?";
static const char SQL_USER_BY_NAME[] = "SELECT " USER_COLS " FROM users WHERE username = ?";
static const char SQL_USER_LIST[] = "SELECT " USER_COLS " FROM users ORDER BY id";
static const char SQL_USER_LOGIN[] =
    "UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?";

static void row_user(struct sql_stmt *st, struct tz_arena *a, struct tz_user *u)
{
    u->id = sql_col_int64(st, 0);
    u->username = col_text(st, 1, a);
    u->display_name = col_text(st, 2, a);
    u->unit_id = sql_col_int64(st, 3);
    u->roles = (unsigned)sql_col_int(st, 4);
    u->disabled = sql_col_int(st, 5) != 0;
    u->created_at = col_text(st, 6, a);
    u->pw_hash = col_text(st, 7, a);
    u->failed_logins = sql_col_int(st, 8);
    u->locked_until = sql_col_int64(st, 9);
}

static enum tz_status sql_user_insert(struct tz_store_conn *base, struct tz_user *u,
                                      struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_USER_INSERT);
    if (!st)
        return sql_error(c, err, "user insert");
    sql_bind_text(st, 1, u->username);
    sql_bind_text(st, 2, u->display_name);
    sql_bind_int64(st, 3, u->unit_id);
    sql_bind_int64(st, 4, (int)u->roles);
    sql_bind_int64(st, 5, u->disabled);
    sql_bind_text(st, 6, u->created_at);
    sql_bind_text(st, 7, u->pw_hash);
    return step_id(c, st, &u->id, err, "user insert");
}

static enum tz_status sql_user_update(struct tz_store_conn *base, const struct tz_user *u,
                                      struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_USER_UPDATE);
    if (!st)
        return sql_error(c, err, "user update");
    sql_bind_text(st, 1, u->display_name);
    sql_bind_int64(st, 2, u->unit_id);
    sql_bind_int64(st, 3, (int)u->roles);
    sql_bind_int64(st, 4, u->disabled);
    sql_bind_text(st, 5, u->pw_hash);
    sql_bind_int64(st, 6, u->id);
    return step_done(c, st, err, "user update");
}

static enum tz_status sql_user_get(struct tz_store_conn *base, int64_t id, const char *username,
                                   struct tz_arena *a, struct tz_user *out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, username ? SQL_USER_BY_NAME : SQL_USER_BY_ID);
    if (!st)
        return sql_error(c, err, "user get");
    if (username)
        sql_bind_text(st, 1, username);
    else
        sql_bind_int64(st, 1, id);
    int rc = sql_step(st);
    if (rc == SQL_ROW)
        row_user(st, a, out);
    sql_reset(st);
    if (rc == SQL_DONE)
        return tz_err_set(err, TZ_ENOTFOUND, "user not found");
    if (rc != SQL_ROW)
        return sql_error(c, err, "user get");
    return TZ_OK;
}

static enum tz_status sql_user_list(struct tz_store_conn *base, struct tz_arena *a,
                                    struct tz_user **out, size_t *n_out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_USER_LIST);
    size_t n = 0, cap = 64;
    struct tz_user *v = tz_arena_alloc(a, cap * sizeof(*v));
    int rc;
    if (!st)
        return sql_error(c, err, "user list");
    while ((rc = sql_step(st)) == SQL_ROW) {
        if (n == cap)
            v = tz_arena_grow(a, v, &cap, sizeof(*v));
        row_user(st, a, &v[n++]);
    }
    sql_reset(st);
    if (rc != SQL_DONE)
        return sql_error(c, err, "user list");
    *out = v;
    *n_out = n;
    return TZ_OK;
}

static enum tz_status sql_user_login_state(struct tz_store_conn *base, int64_t id, int failed,
                                           int64_t locked_until, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_USER_LOGIN);
    if (!st)
        return sql_error(c, err, "user login state");
    sql_bind_int64(st, 1, failed);
    sql_bind_int64(st, 2, locked_until);
    sql_bind_int64(st, 3, id);
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

static enum tz_status sql_session_insert(struct tz_store_conn *base, const struct tz_session *s,
                                         struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_SESSION_INSERT);
    if (!st)
        return sql_error(c, err, "session insert");
    sql_bind_text(st, 1, s->token_hash);
    sql_bind_int64(st, 2, s->user_id);
    sql_bind_text(st, 3, s->csrf);
    sql_bind_int64(st, 4, s->created);
    sql_bind_int64(st, 5, s->last_seen);
    sql_bind_int64(st, 6, s->expires);
    return step_done(c, st, err, "session insert");
}

static enum tz_status sql_session_get(struct tz_store_conn *base, const char *token_hash,
                                      struct tz_arena *a, struct tz_session *out,
                                      struct tz_user *user_out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_SESSION_GET);
    if (!st)
        return sql_error(c, err, "session get");
    sql_bind_text(st, 1, token_hash);
    int rc = sql_step(st);
    if (rc == SQL_ROW) {
        out->token_hash = col_text(st, 0, a);
        out->user_id = sql_col_int64(st, 1);
        out->csrf = col_text(st, 2, a);
        out->created = sql_col_int64(st, 3);
        out->last_seen = sql_col_int64(st, 4);
        out->expires = sql_col_int64(st, 5);
        struct tz_user *u = user_out;
        u->id = sql_col_int64(st, 6);
        u->username = col_text(st, 7, a);
        u->display_name = col_text(st, 8, a);
        u->unit_id = sql_col_int64(st, 9);
        u->roles = (unsigned)sql_col_int(st, 10);
        u->disabled = sql_col_int(st, 11) != 0;
        u->created_at = col_text(st, 12, a);
        u->pw_hash = col_text(st, 13, a);
        u->failed_logins = sql_col_int(st, 14);
        u->locked_until = sql_col_int64(st, 15);
    }
    sql_reset(st);
    if (rc == SQL_DONE)
        return tz_err_set(err, TZ_EAUTH, "session not found");
    if (rc != SQL_ROW)
        return sql_error(c, err, "session get");
    return TZ_OK;
}

static enum tz_status sql_session_touch(struct tz_store_conn *base, const char *token_hash,
                                        int64_t last_seen, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_SESSION_TOUCH);
    if (!st)
        return sql_error(c, err, "session touch");
    sql_bind_int64(st, 1, last_seen);
    sql_bind_text(st, 2, token_hash);
    return step_done(c, st, err, "session touch");
}

static enum tz_status sql_session_delete(struct tz_store_conn *base, const char *token_hash,
                                         struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_SESSION_DELETE);
    if (!st)
        return sql_error(c, err, "session delete");
    sql_bind_text(st, 1, token_hash);
    return step_done(c, st, err, "session delete");
}

/* ---- items ------------------------------------------------------------ */

static const char SQL_CODE_NEXT[] =
    "INSERT INTO code_seq (ledger, year, n) VALUES (?, ?, 1) ON CONFLICT (ledger, year) DO "
    "UPDATE SET n = code_seq.n + 1 RETURNING n";
static const char SQL_CODE_SET[] = "UPDATE code_seq SET n = ? WHERE ledger = ? AND year = ?";

static enum tz_status code_upsert(struct sql_conn *c, const char *ledger, int year, int *out,
                                  struct tz_err *err)
{
    struct sql_stmt *st = sql_prep(c, SQL_CODE_NEXT);
    if (!st)
        return sql_error(c, err, "code next");
    sql_bind_text(st, 1, ledger);
    sql_bind_int64(st, 2, year);
    int rc = sql_step(st);
    if (rc == SQL_ROW)
        *out = sql_col_int(st, 0);
    sql_reset(st);
    if (rc != SQL_ROW)
        return sql_error(c, err, "code next");
    return TZ_OK;
}

/*
 * A bulk write numbers its items from the sequence it read (and reserved one
 * of) at its first code, counting on in memory; bulk_flush stores the last
 * number before the commit. Nobody else writes while the bulk write holds
 * the write lock, and a rollback discards the reservation with the rest.
 */
static enum tz_status bulk_code_next(struct sql_conn *c, const char *ledger, int year, int *out,
                                     struct tz_err *err)
{
    for (int i = 0; i < c->n_bulk_codes; i++) {
        struct sql_bulk_code *bc = &c->bulk_codes[i];
        if (bc->year == year && strcmp(bc->ledger, ledger) == 0) {
            *out = ++bc->n;
            return TZ_OK;
        }
    }
    enum tz_status s = code_upsert(c, ledger, year, out, err);
    if (s == TZ_OK && c->n_bulk_codes < SQL_BULK_CODES && strlen(ledger) < SQL_BULK_LEDGER) {
        struct sql_bulk_code *bc = &c->bulk_codes[c->n_bulk_codes++];
        snprintf(bc->ledger, sizeof(bc->ledger), "%s", ledger);
        bc->year = year;
        bc->n = *out;
    }
    return s;
}

/* The bulk write's last code numbers into code_seq. */
enum tz_status sql_bulk_codes_store(struct sql_conn *c, struct tz_err *err)
{
    for (int i = 0; i < c->n_bulk_codes; i++) {
        struct sql_stmt *q = sql_prep(c, SQL_CODE_SET);
        if (!q)
            return sql_error(c, err, "code set");
        sql_bind_int64(q, 1, c->bulk_codes[i].n);
        sql_bind_text(q, 2, c->bulk_codes[i].ledger);
        sql_bind_int64(q, 3, c->bulk_codes[i].year);
        enum tz_status s = step_done(c, q, err, "code set");
        if (s != TZ_OK)
            return s;
    }
    c->n_bulk_codes = 0;
    return TZ_OK;
}

static enum tz_status sql_code_next(struct tz_store_conn *base, const char *ledger, int year,
                                    int *out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    if (c->in_bulk)
        return bulk_code_next(c, ledger, year, out, err);
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
    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
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

static void bind_value(struct sql_stmt *st, int i, const struct colval *v)
{
    switch (v->type) {
    case V_NULL:
        sql_bind_null(st, i);
        break;
    case V_INT:
        sql_bind_int64(st, i, v->i);
        break;
    case V_REAL:
        sql_bind_double(st, i, v->r);
        break;
    case V_TEXT:
        sql_bind_text(st, i, v->t);
        break;
    }
}

static void row_item(struct sql_stmt *st, struct tz_arena *a, struct tz_item *it)
{
    int i = 0;
    memset(it, 0, sizeof(*it));
    it->id = sql_col_int64(st, i++);
    it->code = col_text_or(st, i++, a, "");
    it->ledger = col_text_or(st, i++, a, "");
    it->title = col_text_or(st, i++, a, "");
    it->description = col_text_or(st, i++, a, "");
    it->source = col_text_or(st, i++, a, "");
    it->leader = col_text_or(st, i++, a, "");
    it->lead_unit_id = sql_col_int64(st, i++);
    it->deadline = col_day(st, i++);
    it->original_deadline = col_day(st, i++);
    const char *s = sql_col_raw(st, i++);
    if (!s || !tz_state_parse(s, &it->state))
        it->state = TZ_STATE_DRAFT;
    s = sql_col_raw(st, i++);
    if (!s || !tz_light_parse(s, &it->light))
        it->light = TZ_LIGHT_NONE;
    it->progress = sql_col_int(st, i++);
    it->extension_count = sql_col_int(st, i++);
    it->supervised = sql_col_int(st, i++);
    it->remind_count = sql_col_int(st, i++);
    it->reopen_count = sql_col_int(st, i++);
    it->has_location = sql_col_int(st, i++) != 0;
    it->lat = sql_col_double(st, i++);
    it->lon = sql_col_double(st, i++);
    it->address = col_text(st, i++, a);
    it->fields_json = col_text_or(st, i++, a, "{}");
    it->created_at = col_text(st, i++, a);
    it->updated_at = col_text(st, i++, a);
    it->assigned_at = col_text(st, i++, a);
    it->closed_at = col_text(st, i++, a);
    it->assigned_day = col_day(st, i++);
    it->submitted_day = col_day(st, i++);
    it->last_report_day = col_day(st, i++);
    it->report_every_days = sql_col_int(st, i++);
    it->on_time = sql_col_null(st, i) ? -1 : sql_col_int(st, i);
    i++;
    it->extension.pending = sql_col_int(st, i++) != 0;
    it->extension.deadline = col_day(st, i++);
    it->extension.comment = col_text(st, i++, a);
    it->extension.by = sql_col_int64(st, i++);
    it->extension.at = col_text(st, i++, a);
    it->version = sql_col_int64(st, i++);
}

/* The ids a one-column query gives for the item, into the arena; `what` names it in errors. */
static enum tz_status load_ids(struct sql_conn *c, const char *sql, int64_t item_id,
                               const char *what, struct tz_arena *a, const int64_t **out,
                               size_t *n_out, struct tz_err *err)
{
    struct sql_stmt *st = sql_prep(c, sql);
    if (!st)
        return sql_error(c, err, what);
    sql_bind_int64(st, 1, item_id);
    size_t n = 0, cap = 4;
    int64_t *v = tz_arena_alloc(a, cap * sizeof(*v));
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        if (n == cap)
            v = tz_arena_grow(a, v, &cap, sizeof(*v));
        v[n++] = sql_col_int64(st, 0);
    }
    sql_reset(st);
    if (rc != SQL_DONE)
        return sql_error(c, err, what);
    *out = v;
    *n_out = n;
    return TZ_OK;
}

static enum tz_status load_co_units(struct sql_conn *c, struct tz_arena *a, struct tz_item *it,
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
    "INSERT INTO item_links (item_id, linked_id) VALUES (?1, ?2), (?2, ?1) ON CONFLICT DO NOTHING";

static enum tz_status load_links(struct sql_conn *c, struct tz_arena *a, struct tz_item *it,
                                 struct tz_err *err)
{
    return load_ids(c, SQL_ITEM_LINKS, it->id, "item links", a, &it->link_ids, &it->n_links, err);
}

/* The item's co-units and links, after its row. */
static enum tz_status load_relations(struct sql_conn *c, struct tz_arena *a, struct tz_item *it,
                                     struct tz_err *err)
{
    enum tz_status s = load_co_units(c, a, it, err);
    return s == TZ_OK ? load_links(c, a, it, err) : s;
}

/* Replaces the item's links, both directions. */
static enum tz_status write_item_links(struct sql_conn *c, const struct tz_item *it,
                                       struct tz_err *err)
{
    struct sql_stmt *st = sql_prep(c, SQL_ITEM_LINKS_DEL);
    if (!st)
        return sql_error(c, err, "item links");
    sql_bind_int64(st, 1, it->id);
    enum tz_status s = step_done(c, st, err, "item links");
    for (size_t i = 0; s == TZ_OK && i < it->n_links; i++) {
        st = sql_prep(c, SQL_ITEM_LINKS_ADD);
        if (!st)
            return sql_error(c, err, "item links");
        sql_bind_int64(st, 1, it->id);
        sql_bind_int64(st, 2, it->link_ids[i]);
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
static enum tz_status write_item_units(struct sql_conn *c, const struct tz_item *it, bool fresh,
                                       struct tz_err *err)
{
    struct sql_stmt *st;
    if (!fresh) {
        st = sql_prep(c, SQL_ITEM_UNITS_DEL);
        if (!st)
            return sql_error(c, err, "item units");
        sql_bind_int64(st, 1, it->id);
        enum tz_status s = step_done(c, st, err, "item units");
        if (s != TZ_OK)
            return s;
    }
    enum tz_status s;
    for (size_t i = 0; i <= it->n_co_units; i++) {
        int64_t unit = i == 0 ? it->lead_unit_id : it->co_unit_ids[i - 1];
        if (!unit)
            continue;
        st = sql_prep(c, SQL_ITEM_UNITS_ADD);
        if (!st)
            return sql_error(c, err, "item units");
        sql_bind_int64(st, 1, it->id);
        sql_bind_int64(st, 2, unit);
        sql_bind_int64(st, 3, i == 0);
        s = step_done(c, st, err, "item units");
        if (s != TZ_OK)
            return s;
    }
    return TZ_OK;
}

static enum tz_status sql_item_insert(struct tz_store_conn *base, struct tz_item *it,
                                      struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_ITEM_INSERT);
    struct colval v[N_ITEM_COLS];
    if (!st)
        return sql_error(c, err, "item insert");
    item_values(it, v);
    for (size_t k = 0; k < N_ITEM_COLS; k++)
        bind_value(st, (int)k + 1, &v[k]);
    enum tz_status s = step_id(c, st, &it->id, err, "item insert");
    if (s != TZ_OK)
        return s;
    s = write_item_units(c, it, true, err);
    return s == TZ_OK && it->n_links ? write_item_links(c, it, err) : s;
}

/*
 * An update sets only the columns that changed, so that an action touching a
 * counter and the version leaves the indexes on status, light and deadline
 * alone. Statements are cached per connection by their column mask.
 */
static struct sql_stmt *update_stmt(struct sql_conn *c, uint64_t mask)
{
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
    struct sql_stmt *st = sql_prep_keyed(c, mask, sql.buf);
    tz_strbuf_release(&sql);
    return st;
}

static enum tz_status sql_item_update(struct tz_store_conn *base, const struct tz_item *before,
                                      const struct tz_item *after, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct colval vb[N_ITEM_COLS], va[N_ITEM_COLS];
    uint64_t mask = 0;
    item_values(before, vb);
    item_values(after, va);
    for (size_t k = 0; k < N_ITEM_COLS; k++)
        if (!same_value(&vb[k], &va[k]))
            mask |= 1ull << k;
    if (!mask)
        return tz_err_set(err, TZ_EINTERNAL, "an update that changes nothing");
    struct sql_stmt *st = update_stmt(c, mask);
    if (!st)
        return sql_error(c, err, "item update");
    int n = 1;
    for (size_t k = 0; k < N_ITEM_COLS; k++)
        if (mask & (1ull << k))
            bind_value(st, n++, &va[k]);
    sql_bind_int64(st, n++, after->id);
    sql_bind_int64(st, n++, before->version);
    enum tz_status s = step_done(c, st, err, "item update");
    if (s != TZ_OK)
        return s;
    if (sql_changes(st) == 0)
        return tz_err_field(err, TZ_ECONFLICT, "version", "the item was changed meanwhile");
    bool units_changed =
        before->lead_unit_id != after->lead_unit_id || before->n_co_units != after->n_co_units;
    for (size_t k = 0; !units_changed && k < after->n_co_units; k++)
        units_changed = before->co_unit_ids[k] != after->co_unit_ids[k];
    s = units_changed ? write_item_units(c, after, false, err) : TZ_OK;
    return s == TZ_OK && !same_links(before, after) ? write_item_links(c, after, err) : s;
}

static enum tz_status sql_item_get(struct tz_store_conn *base, int64_t id, struct tz_arena *a,
                                   struct tz_item *out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_ITEM_GET);
    if (!st)
        return sql_error(c, err, "item get");
    sql_bind_int64(st, 1, id);
    int rc = sql_step(st);
    if (rc == SQL_ROW)
        row_item(st, a, out);
    sql_reset(st);
    if (rc == SQL_DONE)
        return tz_err_set(err, TZ_ENOTFOUND, "item not found");
    if (rc != SQL_ROW)
        return sql_error(c, err, "item get");
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

static void bind_all(struct sql_stmt *st, const struct binds *b)
{
    for (int k = 0; k < b->n; k++) {
        if (b->kind[k] == B_INT)
            sql_bind_int64(st, k + 1, b->i[k]);
        else
            sql_bind_text(st, k + 1, b->s[k]);
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

static enum tz_status sql_item_list(struct tz_store_conn *base, const struct tz_item_filter *f,
                                    struct tz_arena *a, struct tz_item **out, size_t *n_out,
                                    int64_t *total_out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct tz_strbuf where = TZ_STRBUF_INIT, sql = TZ_STRBUF_INIT;
    struct binds *b = tz_arena_calloc(a, sizeof(*b));
    struct sql_stmt *st = NULL;
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
        if (!(st = sql_prep_once(c, sql.buf))) {
            s = sql_error(c, err, "item count");
            goto out;
        }
        if (sql_step(st) == SQL_ROW)
            *total_out = sql_col_int64(st, 0);
        sql_finalize(st);
        st = NULL;
    } else {
        tz_strbuf_addf(&sql, "SELECT count(*) FROM items%s", where.buf);
        if (!(st = sql_prep_once(c, sql.buf))) {
            s = sql_error(c, err, "item count");
            goto out;
        }
        bind_all(st, b);
        if (sql_step(st) == SQL_ROW)
            *total_out = sql_col_int64(st, 0);
        sql_finalize(st);
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
        tz_strbuf_addf(
            &sql,
            "SELECT " ITEM_COLS " FROM items JOIN (SELECT item_id AS page_id, "
            "min(due_key) AS page_key FROM item_units WHERE unit_id IN (%s) GROUP BY "
            "item_id ORDER BY page_key %s, item_id %s LIMIT ? OFFSET ?) AS page ON items.id = "
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
    if (!(st = sql_prep_once(c, sql.buf))) {
        s = sql_error(c, err, "item list");
        goto out;
    }
    bind_all(st, b);
    struct tz_item *v = tz_arena_alloc(a, (size_t)f->per_page * sizeof(*v));
    size_t n = 0;
    while ((rc = sql_step(st)) == SQL_ROW && n < (size_t)f->per_page)
        row_item(st, a, &v[n++]);
    if (rc != SQL_DONE && rc != SQL_ROW) {
        s = sql_error(c, err, "item list");
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
    sql_finalize(st);
    tz_strbuf_release(&unit_list);
    tz_strbuf_release(&where);
    tz_strbuf_release(&sql);
    return s;
}

static enum tz_status sql_item_walk(struct tz_store_conn *base, const struct tz_item_filter *f,
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
    struct sql_conn *c = sql_route(base);
    struct tz_strbuf where = TZ_STRBUF_INIT, sql = TZ_STRBUF_INIT;
    struct binds *b = tz_xcalloc(1, sizeof(*b));
    struct sql_stmt *st = NULL;
    enum tz_status s = TZ_OK;
    int rc = SQL_DONE;

    build_where(&where, f, b, false);
    const char *dir = f->sort_desc ? "DESC" : "ASC";
    tz_strbuf_addf(&sql, "SELECT " ITEM_COLS " FROM items%s ORDER BY %s %s, id %s", where.buf,
                   sort_cols[f->sort], dir, dir);
    if (!(st = sql_prep_walk(c, sql.buf))) {
        s = sql_error(c, err, "item walk");
        goto out;
    }
    bind_all(st, b);
    while (s == TZ_OK && (rc = sql_step(st)) == SQL_ROW) {
        struct tz_arena scratch;
        struct tz_item it;
        tz_arena_init(&scratch);
        row_item(st, &scratch, &it);
        s = load_relations(c, &scratch, &it, err);
        if (s == TZ_OK)
            s = fn(&it, arg, err);
        tz_arena_release(&scratch);
    }
    if (s == TZ_OK && rc != SQL_DONE)
        s = sql_error(c, err, "item walk");
out:
    sql_finalize(st);
    free(b);
    tz_strbuf_release(&where);
    tz_strbuf_release(&sql);
    return s;
}

static const char SQL_LIGHT_OPEN[] =
    "SELECT " ITEM_COLS " FROM items WHERE status IN ('assigned', 'in_progress', 'submitted', "
    "'ongoing')";
static const char SQL_LIGHT_SET[] = "UPDATE items SET light = ? WHERE id = ?";

static enum tz_status sql_item_refresh_lights(struct tz_store_conn *base, tz_light_fn fn, void *arg,
                                              int64_t *changed_out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = NULL, *up = sql_prep(c, SQL_LIGHT_SET);
    enum tz_status s = TZ_OK;
    int64_t changed = 0;
    int rc;
    struct tz_arena a;
    tz_arena_init(&a);
    if (!up)
        return sql_error(c, err, "light refresh");
    if (!(st = sql_prep_walk(c, SQL_LIGHT_OPEN)))
        return sql_error(c, err, "light refresh");
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct tz_item it;
        row_item(st, &a, &it);
        enum tz_light l = fn(&it, arg);
        if (l != it.light) {
            sql_reset(up);
            sql_bind_text(up, 1, tz_light_name(l));
            sql_bind_int64(up, 2, it.id);
            if (sql_step(up) != SQL_DONE) {
                s = sql_error(c, err, "light refresh");
                break;
            }
            changed++;
        }
        if (a.total > (1u << 20)) {
            tz_arena_release(&a);
        }
    }
    sql_reset(up);
    if (s == TZ_OK && rc != SQL_DONE)
        s = sql_error(c, err, "light refresh");
    sql_finalize(st);
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

static enum tz_status sql_dashboard(struct tz_store_conn *base, const struct tz_scope *scope,
                                    struct tz_arena *a, struct tz_counts *totals,
                                    struct tz_counts **by_ledger, size_t *n_ledger,
                                    struct tz_counts **by_unit, size_t *n_unit,
                                    struct tz_counts **by_cell, size_t *n_cell, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct tz_strbuf sql = TZ_STRBUF_INIT;
    struct sql_stmt *st = NULL;
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
    if (!(st = sql_prep_once(c, sql.buf))) {
        s = sql_error(c, err, "dashboard");
        goto out;
    }
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        const char *ledger = sql_col_raw(st, 0);
        int64_t unit = sql_col_int64(st, 1);
        const char *status = sql_col_raw(st, 2);
        const char *light = sql_col_raw(st, 3);
        int64_t n = sql_col_int64(st, 4), ot = sql_col_int64(st, 5), ext = sql_col_int64(st, 6);
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
    if (rc != SQL_DONE)
        s = sql_error(c, err, "dashboard");
    *by_ledger = vl;
    *n_ledger = nl;
    *by_unit = vu;
    *n_unit = nu;
    if (by_cell) {
        *by_cell = vc;
        *n_cell = nc;
    }
out:
    sql_finalize(st);
    tz_strbuf_release(&sql);
    return s;
}

static enum tz_status sql_due_counts(struct tz_store_conn *base, const struct tz_scope *scope,
                                     int32_t from, const int32_t *to, size_t n_to,
                                     int64_t *counts_out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct tz_strbuf sql = TZ_STRBUF_INIT;
    struct sql_stmt *st = NULL;
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
    if (!(st = sql_prep_once(c, sql.buf))) {
        s = sql_error(c, err, "due counts");
        goto out;
    }
    if (sql_step(st) != SQL_ROW) {
        s = sql_error(c, err, "due counts");
        goto out;
    }
    for (size_t i = 0; i < n_to; i++)
        counts_out[i] = sql_col_int64(st, (int)i);
out:
    sql_finalize(st);
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
            "THEN 'reopened' ELSE CASE WHEN %d = 1 AND i.progress = 100 THEN 'submit' "
            "WHEN i.light IN ('yellow', 'red') THEN 'due' END END AS k FROM items i" LAST_EVENT(
                "'accept', 'report', 'submit', 'reject', 'deny_extension', "
                "'approve_extension', 'reopen'") " WHERE i.status = 'in_progress' AND "
                                                 "i.lead_unit_id IN (%s)) AS t WHERE k IS "
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

static enum tz_status sql_todos(struct tz_store_conn *base, const struct tz_todo_query *q,
                                struct tz_arena *a, struct tz_todo **out, size_t *n_out,
                                struct tz_todo_count **counts_out, size_t *n_counts_out,
                                struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct tz_strbuf with = TZ_STRBUF_INIT, sql = TZ_STRBUF_INIT;
    struct sql_stmt *st = NULL;
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
    if (!(st = sql_prep_once(c, sql.buf))) {
        s = sql_error(c, err, "to-do counts");
        goto out;
    }
    size_t cap = 16, n = 0;
    struct tz_todo_count *counts = tz_arena_alloc(a, cap * sizeof(*counts));
    while ((rc = sql_step(st)) == SQL_ROW && n < cap) {
        counts[n].kind = col_text(st, 0, a);
        counts[n++].n = sql_col_int64(st, 1);
    }
    if (rc != SQL_DONE && rc != SQL_ROW) {
        s = sql_error(c, err, "to-do counts");
        goto out;
    }
    sql_finalize(st);
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
    if (!(st = sql_prep_once(c, sql.buf))) {
        s = sql_error(c, err, "to-do list");
        goto out;
    }
    struct tz_todo *v = tz_arena_alloc(a, (size_t)q->limit * sizeof(*v));
    n = 0;
    while ((rc = sql_step(st)) == SQL_ROW && n < (size_t)q->limit) {
        struct tz_todo *t = &v[n++];
        t->kind = col_text(st, 0, a);
        t->id = sql_col_int64(st, 1);
        t->lead_unit_id = sql_col_int64(st, 2);
        t->code = col_text_or(st, 3, a, "");
        t->title = col_text_or(st, 4, a, "");
        t->ledger = col_text_or(st, 5, a, "");
        t->status = col_text_or(st, 6, a, "");
        t->light = col_text_or(st, 7, a, "");
        t->deadline = col_day(st, 8);
        t->since = col_text(st, 9, a);
        t->due = col_day(st, 10);
    }
    if (rc != SQL_DONE && rc != SQL_ROW) {
        s = sql_error(c, err, "to-do list");
        goto out;
    }
    *out = v;
    *n_out = n;
out:
    if (s != TZ_OK) {
        *counts_out = NULL;
        *n_counts_out = 0;
    }
    sql_finalize(st);
    tz_strbuf_release(&with);
    tz_strbuf_release(&sql);
    return s;
}

static const char SQL_TREND_ALL[] = "SELECT month, opened, closed, on_time FROM item_months "
                                    "WHERE month >= ?1 AND (opened > 0 OR closed > 0) "
                                    "ORDER BY month";

static enum tz_status sql_trend(struct tz_store_conn *base, const struct tz_scope *scope,
                                const char *from_month, struct tz_arena *a,
                                struct tz_trend_row **out, size_t *n_out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct tz_strbuf sql = TZ_STRBUF_INIT;
    struct sql_stmt *st = NULL;
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
        tz_strbuf_addstr(&sql, ") AS stamps GROUP BY m ORDER BY m");
        if (!(st = sql_prep_once(c, sql.buf))) {
            s = sql_error(c, err, "trend");
            goto out;
        }
    } else {
        st = sql_prep(c, SQL_TREND_ALL);
        if (!st) {
            s = sql_error(c, err, "trend");
            goto out;
        }
    }
    sql_bind_text(st, 1, from_month);
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        if (n == cap)
            v = tz_arena_grow(a, v, &cap, sizeof(*v));
        struct tz_trend_row *r = &v[n++];
        r->month = tz_arena_strdup(a, sql_col_raw(st, 0));
        r->opened = sql_col_int64(st, 1);
        r->closed = sql_col_int64(st, 2);
        r->closed_on_time = sql_col_int64(st, 3);
    }
    if (rc != SQL_DONE) {
        s = sql_error(c, err, "trend");
        goto out;
    }
    *out = v;
    *n_out = n;
out:
    if (own)
        sql_finalize(st);
    else if (st)
        sql_reset(st);
    tz_strbuf_release(&sql);
    return s;
}

static enum tz_status sql_item_locations(struct tz_store_conn *base, const struct tz_scope *scope,
                                         int limit, struct tz_arena *a, struct tz_located **out,
                                         size_t *n_out, bool *more_out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct tz_strbuf sql = TZ_STRBUF_INIT;
    struct sql_stmt *st = NULL;
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
    if (!(st = sql_prep_once(c, sql.buf))) {
        s = sql_error(c, err, "item locations");
        goto out;
    }
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        if (n == (size_t)limit) {
            *more_out = true;
            break;
        }
        if (n == cap)
            v = tz_arena_grow(a, v, &cap, sizeof(*v));
        struct tz_located *r = &v[n++];
        r->id = sql_col_int64(st, 0);
        r->code = tz_arena_strdup(a, sql_col_raw(st, 1));
        r->title = tz_arena_strdup(a, sql_col_raw(st, 2));
        r->ledger = tz_arena_strdup(a, sql_col_raw(st, 3));
        r->status = tz_arena_strdup(a, sql_col_raw(st, 4));
        r->light = tz_arena_strdup(a, sql_col_raw(st, 5));
        r->lat = sql_col_double(st, 6);
        r->lon = sql_col_double(st, 7);
        r->address = sql_col_null(st, 8) ? NULL : tz_arena_strdup(a, sql_col_raw(st, 8));
        r->lead_unit_id = sql_col_int64(st, 9);
    }
    if (rc != SQL_DONE && rc != SQL_ROW) {
        s = sql_error(c, err, "item locations");
        goto out;
    }
    *out = v;
    *n_out = n;
out:
    sql_finalize(st);
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

static enum tz_status sql_event_insert(struct tz_store_conn *base, struct tz_event *ev,
                                       struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_EVENT_NEXT_SEQ);
    if (!st)
        return sql_error(c, err, "event insert");
    sql_bind_int64(st, 1, ev->item_id);
    int rc = sql_step(st);
    int64_t seq = rc == SQL_ROW ? sql_col_int64(st, 0) : 0;
    sql_reset(st);
    if (rc != SQL_ROW)
        return sql_error(c, err, "event insert");
    st = sql_prep(c, SQL_EVENT_INSERT);
    if (!st)
        return sql_error(c, err, "event insert");
    sql_bind_int64(st, 1, ev->item_id);
    sql_bind_int64(st, 2, seq);
    sql_bind_text(st, 3, ev->at);
    sql_bind_int64(st, 4, ev->actor_id);
    sql_bind_text(st, 5, ev->action);
    sql_bind_text(st, 6, ev->comment);
    sql_bind_text(st, 7, ev->before ? ev->before : "{}");
    sql_bind_text(st, 8, ev->after ? ev->after : "{}");
    enum tz_status s = step_done(c, st, err, "event insert");
    if (s == TZ_OK)
        ev->seq = seq;
    return s;
}

static enum tz_status sql_event_list(struct tz_store_conn *base, int64_t item_id,
                                     struct tz_arena *a, struct tz_event **out, size_t *n_out,
                                     struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_EVENT_LIST);
    if (!st)
        return sql_error(c, err, "event list");
    sql_bind_int64(st, 1, item_id);
    size_t n = 0, cap = 16;
    struct tz_event *v = tz_arena_alloc(a, cap * sizeof(*v));
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        if (n == cap)
            v = tz_arena_grow(a, v, &cap, sizeof(*v));
        struct tz_event *e = &v[n++];
        e->seq = sql_col_int64(st, 0);
        e->item_id = sql_col_int64(st, 1);
        e->at = col_text(st, 2, a);
        e->actor_id = sql_col_int64(st, 3);
        e->action = col_text(st, 4, a);
        e->comment = col_text(st, 5, a);
        e->before = col_text_or(st, 6, a, "{}");
        e->after = col_text_or(st, 7, a, "{}");
    }
    sql_reset(st);
    if (rc != SQL_DONE)
        return sql_error(c, err, "event list");
    *out = v;
    *n_out = n;
    return TZ_OK;
}

#define ATT_COLS "id, item_id, name, size, content_type, digest, uploaded_by, uploaded_at"
static const char SQL_ATT_INSERT[] =
    "INSERT INTO attachments (item_id, name, size, content_type, digest, uploaded_by, "
    "uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_ATT_GET[] = "SELECT " ATT_COLS " FROM attachments WHERE id = ?";
static const char SQL_ATT_LIST[] =
    "SELECT " ATT_COLS " FROM attachments WHERE item_id = ? ORDER BY id";

static void row_att(struct sql_stmt *st, struct tz_arena *a, struct tz_attachment *at)
{
    at->id = sql_col_int64(st, 0);
    at->item_id = sql_col_int64(st, 1);
    at->name = col_text(st, 2, a);
    at->size = sql_col_int64(st, 3);
    at->content_type = col_text(st, 4, a);
    at->digest = col_text(st, 5, a);
    at->uploaded_by = sql_col_int64(st, 6);
    at->uploaded_at = col_text(st, 7, a);
}

static enum tz_status sql_attachment_insert(struct tz_store_conn *base, struct tz_attachment *at,
                                            struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_ATT_INSERT);
    if (!st)
        return sql_error(c, err, "attachment insert");
    sql_bind_int64(st, 1, at->item_id);
    sql_bind_text(st, 2, at->name);
    sql_bind_int64(st, 3, at->size);
    sql_bind_text(st, 4, at->content_type);
    sql_bind_text(st, 5, at->digest);
    sql_bind_int64(st, 6, at->uploaded_by);
    sql_bind_text(st, 7, at->uploaded_at);
    return step_id(c, st, &at->id, err, "attachment insert");
}

static enum tz_status sql_attachment_get(struct tz_store_conn *base, int64_t id, struct tz_arena *a,
                                         struct tz_attachment *out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_ATT_GET);
    if (!st)
        return sql_error(c, err, "attachment get");
    sql_bind_int64(st, 1, id);
    int rc = sql_step(st);
    if (rc == SQL_ROW)
        row_att(st, a, out);
    sql_reset(st);
    if (rc == SQL_DONE)
        return tz_err_set(err, TZ_ENOTFOUND, "attachment not found");
    if (rc != SQL_ROW)
        return sql_error(c, err, "attachment get");
    return TZ_OK;
}

static enum tz_status sql_attachment_list(struct tz_store_conn *base, int64_t item_id,
                                          struct tz_arena *a, struct tz_attachment **out,
                                          size_t *n_out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_ATT_LIST);
    if (!st)
        return sql_error(c, err, "attachment list");
    sql_bind_int64(st, 1, item_id);
    size_t n = 0, cap = 8;
    struct tz_attachment *v = tz_arena_alloc(a, cap * sizeof(*v));
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        if (n == cap)
            v = tz_arena_grow(a, v, &cap, sizeof(*v));
        row_att(st, a, &v[n++]);
    }
    sql_reset(st);
    if (rc != SQL_DONE)
        return sql_error(c, err, "attachment list");
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

static enum tz_status sql_audit_last(struct tz_store_conn *base, int64_t *seq_out,
                                     char hash_out[TZ_HASH_HEX], struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    if (c->in_bulk && c->bulk_audit_known) {
        /* a bulk write keeps the chain's end in memory: nobody else appends meanwhile */
        *seq_out = c->bulk_audit_seq;
        memcpy(hash_out, c->bulk_audit_hash, TZ_HASH_HEX);
        return TZ_OK;
    }
    struct sql_stmt *st = sql_prep(c, SQL_AUDIT_LAST);
    if (!st)
        return sql_error(c, err, "audit last");
    *seq_out = 0;
    memset(hash_out, '0', TZ_HASH_HEX - 1);
    hash_out[TZ_HASH_HEX - 1] = '\0';
    int rc = sql_step(st);
    if (rc == SQL_ROW) {
        *seq_out = sql_col_int64(st, 0);
        const char *h = sql_col_raw(st, 1);
        snprintf(hash_out, TZ_HASH_HEX, "%s", h ? h : "");
    }
    sql_reset(st);
    if (rc != SQL_ROW && rc != SQL_DONE)
        return sql_error(c, err, "audit last");
    return TZ_OK;
}

static enum tz_status sql_audit_insert(struct tz_store_conn *base, const struct tz_audit_entry *e,
                                       struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_AUDIT_INSERT);
    if (!st)
        return sql_error(c, err, "audit insert");
    sql_bind_int64(st, 1, e->seq);
    sql_bind_text(st, 2, e->at);
    sql_bind_text(st, 3, e->actor);
    sql_bind_text(st, 4, e->ip);
    sql_bind_text(st, 5, e->action);
    sql_bind_text(st, 6, e->target);
    sql_bind_text(st, 7, e->detail);
    sql_bind_text(st, 8, e->prev_hash);
    sql_bind_text(st, 9, e->hash);
    enum tz_status s = step_done(c, st, err, "audit insert");
    if (c->in_bulk) {
        c->bulk_audit_known = s == TZ_OK;
        c->bulk_audit_seq = e->seq;
        snprintf(c->bulk_audit_hash, TZ_HASH_HEX, "%s", e->hash);
    }
    return s;
}

static enum tz_status sql_audit_list(struct tz_store_conn *base, int64_t after, int limit,
                                     struct tz_arena *a, struct tz_audit_entry **out, size_t *n_out,
                                     struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_AUDIT_LIST);
    if (!st)
        return sql_error(c, err, "audit list");
    sql_bind_int64(st, 1, after);
    sql_bind_int64(st, 2, limit);
    struct tz_audit_entry *v = tz_arena_alloc(a, (size_t)(limit > 0 ? limit : 1) * sizeof(*v));
    size_t n = 0;
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW && n < (size_t)limit) {
        struct tz_audit_entry *e = &v[n++];
        e->seq = sql_col_int64(st, 0);
        e->at = col_text_or(st, 1, a, "");
        e->actor = col_text_or(st, 2, a, "");
        e->ip = col_text_or(st, 3, a, "");
        e->action = col_text_or(st, 4, a, "");
        e->target = col_text_or(st, 5, a, "");
        e->detail = col_text_or(st, 6, a, "{}");
        const char *p = sql_col_raw(st, 7);
        const char *h = sql_col_raw(st, 8);
        snprintf(e->prev_hash, TZ_HASH_HEX, "%s", p ? p : "");
        snprintf(e->hash, TZ_HASH_HEX, "%s", h ? h : "");
    }
    sql_reset(st);
    if (rc != SQL_DONE && rc != SQL_ROW)
        return sql_error(c, err, "audit list");
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

static enum tz_status sql_series_put(struct tz_store_conn *base, int64_t item_id,
                                     const struct tz_series_row *row, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_SERIES_PUT);
    if (!st)
        return sql_error(c, err, "series put");
    sql_bind_int64(st, 1, item_id);
    sql_bind_text(st, 2, row->period);
    sql_bind_text(st, 3, row->data);
    sql_bind_text(st, 4, row->updated_at);
    sql_bind_int64(st, 5, row->updated_by);
    return step_done(c, st, err, "series put");
}

static enum tz_status sql_series_list(struct tz_store_conn *base, int64_t item_id,
                                      struct tz_arena *a, struct tz_series_row **out, size_t *n_out,
                                      struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_SERIES_LIST);
    *out = NULL;
    *n_out = 0;
    if (!st)
        return sql_error(c, err, "series list");
    sql_bind_int64(st, 1, item_id);
    size_t n = 0, cap = 16;
    struct tz_series_row *v = tz_arena_alloc(a, cap * sizeof(*v));
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        if (n == cap)
            v = tz_arena_grow(a, v, &cap, sizeof(*v));
        v[n].period = col_text(st, 0, a);
        v[n].data = col_text(st, 1, a);
        v[n].updated_at = col_text(st, 2, a);
        v[n].updated_by = sql_col_int64(st, 3);
        n++;
    }
    sql_reset(st);
    if (rc != SQL_DONE)
        return sql_error(c, err, "series list");
    *out = v;
    *n_out = n;
    return TZ_OK;
}

static enum tz_status sql_calendar_get(struct tz_store_conn *base, int year, struct tz_arena *a,
                                       const char **json_out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_CAL_GET);
    *json_out = NULL;
    if (!st)
        return sql_error(c, err, "calendar get");
    sql_bind_int64(st, 1, year);
    int rc = sql_step(st);
    if (rc == SQL_ROW)
        *json_out = col_text(st, 0, a);
    sql_reset(st);
    if (rc != SQL_ROW && rc != SQL_DONE)
        return sql_error(c, err, "calendar get");
    return TZ_OK;
}

static enum tz_status sql_calendar_put(struct tz_store_conn *base, int year, const char *json,
                                       struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_CAL_PUT);
    if (!st)
        return sql_error(c, err, "calendar put");
    sql_bind_int64(st, 1, year);
    sql_bind_text(st, 2, json);
    c->snapshots_written = true;
    return step_done(c, st, err, "calendar put");
}

static enum tz_status sql_calendar_years(struct tz_store_conn *base, struct tz_arena *a, int **out,
                                         size_t *n_out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_CAL_YEARS);
    if (!st)
        return sql_error(c, err, "calendar years");
    size_t n = 0, cap = 16;
    int *v = tz_arena_alloc(a, cap * sizeof(*v));
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        if (n == cap)
            v = tz_arena_grow(a, v, &cap, sizeof(*v));
        v[n++] = sql_col_int(st, 0);
    }
    sql_reset(st);
    if (rc != SQL_DONE)
        return sql_error(c, err, "calendar years");
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

static enum tz_status sql_tally_insert(struct tz_store_conn *base, int64_t unit_id, int64_t item_id,
                                       const char *kind, const char *month, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_TALLY_INSERT);
    if (!st)
        return sql_error(c, err, "tally insert");
    sql_bind_int64(st, 1, unit_id);
    sql_bind_int64(st, 2, item_id);
    sql_bind_text(st, 3, kind);
    sql_bind_text(st, 4, month);
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

static enum tz_status sql_scorecard(struct tz_store_conn *base, struct tz_arena *a,
                                    struct tz_scorecard_row **out, size_t *n_out,
                                    struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    size_t n = 0, cap = 64;
    struct tz_scorecard_row *v = tz_arena_calloc(a, cap * sizeof(*v));
    struct sql_stmt *st = sql_prep(c, SQL_SCORE_COUNTS);
    int rc;
    if (!st)
        return sql_error(c, err, "scorecard");
    while ((rc = sql_step(st)) == SQL_ROW) {
        const char *status = sql_col_raw(st, 1);
        const char *light = sql_col_raw(st, 2);
        int64_t cnt = sql_col_int64(st, 3);
        bool open = strcmp(status, "assigned") == 0 || strcmp(status, "in_progress") == 0 ||
                    strcmp(status, "submitted") == 0;
        bool in_loop = open || strcmp(status, "closed") == 0 || strcmp(status, "ongoing") == 0;
        if (!in_loop)
            continue;
        struct tz_scorecard_row *r = score_row(&v, &n, &cap, sql_col_int64(st, 0), a);
        r->total += cnt;
        r->extensions += sql_col_int64(st, 5);
        if (strcmp(status, "closed") == 0) {
            r->closed += cnt;
            r->closed_on_time += sql_col_int64(st, 4);
        } else if (strcmp(light, "yellow") == 0) {
            r->yellow += cnt;
        } else if (strcmp(light, "red") == 0) {
            r->red += cnt;
            if (open)
                r->overdue += cnt;
        }
    }
    sql_reset(st);
    if (rc != SQL_DONE)
        return sql_error(c, err, "scorecard");
    st = sql_prep(c, SQL_SCORE_TALLY);
    if (!st)
        return sql_error(c, err, "scorecard");
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct tz_scorecard_row *r = score_row(&v, &n, &cap, sql_col_int64(st, 0), a);
        const char *kind = sql_col_raw(st, 1);
        int64_t cnt = sql_col_int64(st, 2);
        if (strcmp(kind, "object") == 0)
            r->objections += cnt;
        else if (strcmp(kind, "remind") == 0)
            r->reminders += cnt;
        else if (strcmp(kind, "supervise") == 0)
            r->supervisions += cnt;
    }
    sql_reset(st);
    if (rc != SQL_DONE)
        return sql_error(c, err, "scorecard");
    *out = v;
    *n_out = n;
    return TZ_OK;
}

static enum tz_status sql_burden(struct tz_store_conn *base, const char *from, const char *to,
                                 struct tz_arena *a, struct tz_burden_row **out, size_t *n_out,
                                 struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    size_t n = 0, cap = 64;
    struct tz_burden_row *v = tz_arena_calloc(a, cap * sizeof(*v));
    struct sql_stmt *st = sql_prep(c, SQL_BURDEN);
    int rc;
    if (!st)
        return sql_error(c, err, "burden");
    sql_bind_text(st, 1, from);
    sql_bind_text(st, 2, to);
    while ((rc = sql_step(st)) == SQL_ROW) {
        int64_t unit = sql_col_int64(st, 0);
        const char *month = sql_col_raw(st, 1);
        struct tz_burden_row *r = n ? &v[n - 1] : NULL;
        if (!r || r->unit_id != unit || strcmp(r->month, month) != 0) {
            if (n == cap)
                v = tz_arena_grow(a, v, &cap, sizeof(*v));
            r = &v[n++];
            memset(r, 0, sizeof(*r));
            r->unit_id = unit;
            r->month = tz_arena_strdup(a, month);
        }
        const char *kind = sql_col_raw(st, 2);
        int64_t cnt = sql_col_int64(st, 3);
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
    sql_reset(st);
    if (rc != SQL_DONE)
        return sql_error(c, err, "burden");
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
    ") AS h GROUP BY lead_unit_id HAVING sum(is_found) + sum(is_rectified) + sum(is_open) > 0 "
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

static enum tz_status sql_hazard_stats(struct tz_store_conn *base, int32_t first, int32_t last,
                                       int32_t late_before, struct tz_arena *a,
                                       struct tz_hazard_row **out, size_t *n_out,
                                       struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    char first_text[TZ_DATE_BUF], last_text[TZ_DATE_BUF];
    size_t n = 0, cap = 32;
    struct tz_hazard_row *v = tz_arena_calloc(a, cap * sizeof(*v));
    struct sql_stmt *st = sql_prep(c, SQL_HAZARD_STATS);
    int rc;
    *out = NULL;
    *n_out = 0;
    if (!st)
        return sql_error(c, err, "hazard stats");
    tz_date_format(first, first_text);
    tz_date_format(last, last_text);
    sql_bind_text(st, 1, first_text);
    sql_bind_text(st, 2, first_text);
    sql_bind_text(st, 3, last_text);
    sql_bind_text(st, 4, last_text);
    sql_bind_int64(st, 5, late_before);
    sql_bind_text(st, 6, last_text);
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct tz_hazard_row *r = hazard_row_add(&v, &n, &cap, a);
        r->unit_id = sql_col_int64(st, 0);
        r->found = sql_col_int64(st, 1);
        r->major = sql_col_int64(st, 2);
        r->rectified = sql_col_int64(st, 3);
        r->rectified_on_time = sql_col_int64(st, 4);
        r->open_at_end = sql_col_int64(st, 5);
        r->overdue = sql_col_int64(st, 6);
        r->major_open = sql_col_int64(st, 7);
    }
    sql_reset(st);
    if (rc != SQL_DONE)
        return sql_error(c, err, "hazard stats");
    *out = v;
    *n_out = n;
    return TZ_OK;
}

/* ---- search -------------------------------------------------------------- */

static enum tz_status sql_item_each(struct tz_store_conn *base,
                                    enum tz_status (*fn)(const struct tz_item *it, void *arg),
                                    void *arg, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = NULL;
    struct tz_arena a;
    enum tz_status s = TZ_OK;
    int rc;
    tz_arena_init(&a);
    if (!(st = sql_prep_walk(c, "SELECT " ITEM_COLS " FROM items ORDER BY id")))
        return sql_error(c, err, "item each");
    while (s == TZ_OK && (rc = sql_step(st)) == SQL_ROW) {
        struct tz_item it;
        row_item(st, &a, &it);
        s = fn(&it, arg);
        if (a.total > (1u << 20))
            tz_arena_release(&a);
    }
    sql_finalize(st);
    tz_arena_release(&a);
    return s;
}

static const char SQL_NOTICE_GET[] =
    "SELECT year, seq, issued_on FROM notices WHERE item_id = ?1 AND grade = ?2";
static const char SQL_NOTICE_INSERT[] =
    "INSERT INTO notices (item_id, grade, year, seq, issued_on, issued_by) "
    "SELECT ?1, ?2, ?3, coalesce(max(seq), 0) + 1, ?4, ?5 FROM notices WHERE year = ?3";

static enum tz_status sql_notice_number(struct tz_store_conn *base, int64_t item_id, int grade,
                                        int32_t today, int64_t user_id, int *year_out,
                                        int64_t *seq_out, int32_t *issued_out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    for (int attempt = 0; attempt < 2; attempt++) {
        struct sql_stmt *st = sql_prep(c, SQL_NOTICE_GET);
        if (!st)
            return sql_error(c, err, "notice number");
        sql_bind_int64(st, 1, item_id);
        sql_bind_int64(st, 2, grade);
        int rc = sql_step(st);
        if (rc == SQL_ROW) {
            *year_out = sql_col_int(st, 0);
            *seq_out = sql_col_int64(st, 1);
            *issued_out = (int32_t)sql_col_int64(st, 2);
            sql_reset(st);
            return TZ_OK;
        }
        sql_reset(st);
        if (rc != SQL_DONE || attempt)
            return sql_error(c, err, "notice number");
        st = sql_prep(c, SQL_NOTICE_INSERT);
        if (!st)
            return sql_error(c, err, "notice number");
        sql_bind_int64(st, 1, item_id);
        sql_bind_int64(st, 2, grade);
        sql_bind_int64(st, 3, tz_date_year(today));
        sql_bind_int64(st, 4, today);
        sql_bind_int64(st, 5, user_id);
        enum tz_status s = step_done(c, st, err, "notice number");
        if (s != TZ_OK)
            return s;
    }
    return tz_err_set(err, TZ_EINTERNAL, "notice number");
}

static enum tz_status sql_event_counts(struct tz_store_conn *base, const struct tz_scope *scope,
                                       const char *from_ts, const char *to_ts,
                                       const char *const *actions, size_t n, int64_t *counts_out,
                                       struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct tz_strbuf sql = TZ_STRBUF_INIT;
    struct sql_stmt *st = NULL;
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
    if (!(st = sql_prep_once(c, sql.buf))) {
        s = sql_error(c, err, "event counts");
        goto out;
    }
    sql_bind_text(st, 1, from_ts);
    sql_bind_text(st, 2, to_ts);
    for (size_t i = 0; i < n; i++)
        sql_bind_text(st, (int)i + 3, actions[i]);
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        const char *action = sql_col_raw(st, 0);
        for (size_t i = 0; i < n; i++)
            if (action && strcmp(action, actions[i]) == 0)
                counts_out[i] = sql_col_int64(st, 1);
    }
    if (rc != SQL_DONE)
        s = sql_error(c, err, "event counts");
out:
    sql_finalize(st);
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

static void row_channel(struct sql_stmt *st, struct tz_arena *a, struct tz_notify_channel *ch)
{
    ch->id = sql_col_int64(st, 0);
    ch->unit_id = sql_col_int64(st, 1);
    ch->kind = col_text_or(st, 2, a, "");
    ch->name = col_text_or(st, 3, a, "");
    ch->url = col_text_or(st, 4, a, "");
    ch->secret = col_text_or(st, 5, a, "");
    ch->msgtype = col_text_or(st, 6, a, "markdown");
    ch->enabled = sql_col_int(st, 7) != 0;
    ch->created_at = col_text_or(st, 8, a, "");
    ch->updated_at = col_text_or(st, 9, a, "");
}

static enum tz_status sql_notify_channel_put(struct tz_store_conn *base,
                                             struct tz_notify_channel *ch, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, ch->id ? SQL_CHANNEL_UPDATE : SQL_CHANNEL_INSERT);
    if (!st)
        return sql_error(c, err, "channel put");
    sql_bind_int64(st, 1, ch->unit_id);
    sql_bind_text(st, 2, ch->kind);
    sql_bind_text(st, 3, ch->name);
    sql_bind_text(st, 4, ch->url);
    sql_bind_text(st, 5, ch->secret ? ch->secret : "");
    sql_bind_text(st, 6, ch->msgtype);
    sql_bind_int64(st, 7, ch->enabled);
    sql_bind_text(st, 8, ch->created_at);
    sql_bind_text(st, 9, ch->updated_at);
    if (ch->id)
        sql_bind_int64(st, 10, ch->id);
    int rc = sql_step(st);
    if (rc == SQL_ROW)
        ch->id = sql_col_int64(st, 0);
    sql_reset(st);
    if (rc == SQL_DONE)
        return tz_err_set(err, TZ_ENOTFOUND, "channel %lld not found", (long long)ch->id);
    if (rc != SQL_ROW)
        return sql_error(c, err, "channel put");
    return TZ_OK;
}

static enum tz_status sql_notify_channel_delete(struct tz_store_conn *base, int64_t id,
                                                struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_CHANNEL_DELETE);
    if (!st)
        return sql_error(c, err, "channel delete");
    sql_bind_int64(st, 1, id);
    int rc = sql_step(st);
    sql_reset(st);
    if (rc == SQL_DONE)
        return tz_err_set(err, TZ_ENOTFOUND, "channel %lld not found", (long long)id);
    if (rc != SQL_ROW)
        return sql_error(c, err, "channel delete");
    return TZ_OK;
}

static enum tz_status sql_notify_channel_get(struct tz_store_conn *base, int64_t id,
                                             struct tz_arena *a, struct tz_notify_channel *out,
                                             struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_CHANNEL_GET);
    if (!st)
        return sql_error(c, err, "channel get");
    sql_bind_int64(st, 1, id);
    int rc = sql_step(st);
    if (rc == SQL_ROW)
        row_channel(st, a, out);
    sql_reset(st);
    if (rc == SQL_DONE)
        return tz_err_set(err, TZ_ENOTFOUND, "channel %lld not found", (long long)id);
    if (rc != SQL_ROW)
        return sql_error(c, err, "channel get");
    return TZ_OK;
}

static enum tz_status sql_notify_channel_list(struct tz_store_conn *base, int64_t unit_id,
                                              struct tz_arena *a, struct tz_notify_channel **out,
                                              size_t *n_out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_CHANNEL_LIST);
    if (!st)
        return sql_error(c, err, "channel list");
    sql_bind_int64(st, 1, unit_id);
    size_t n = 0, cap = 16;
    struct tz_notify_channel *v = tz_arena_alloc(a, cap * sizeof(*v));
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        if (n == cap)
            v = tz_arena_grow(a, v, &cap, sizeof(*v));
        row_channel(st, a, &v[n++]);
    }
    sql_reset(st);
    if (rc != SQL_DONE)
        return sql_error(c, err, "channel list");
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
/*
 * One statement: two servers can never claim the same message. On PostgreSQL
 * the row is locked as it is chosen, and a row another server is claiming is
 * passed over (SQLite has one writer: nobody else is choosing meanwhile).
 */
#define OUTBOX_CLAIM(lock)                                                                         \
    "UPDATE notify_outbox SET state = 'sending', attempts = attempts + 1, lease_until = ?2 "       \
    "WHERE id = (SELECT id FROM notify_outbox WHERE (state = 'pending' AND next_at <= ?1) "        \
    "OR (state = 'sending' AND lease_until <= ?1) ORDER BY next_at, id LIMIT 1" lock ") "          \
    "RETURNING " OUTBOX_COLS
static const char SQL_OUTBOX_CLAIM[] = OUTBOX_CLAIM("");
static const char SQL_OUTBOX_CLAIM_PG[] = OUTBOX_CLAIM(" FOR UPDATE SKIP LOCKED");
static const char SQL_OUTBOX_DUE[] =
    "SELECT CASE WHEN EXISTS (SELECT 1 FROM notify_outbox WHERE state = 'pending' AND next_at <= "
    "?1) OR EXISTS (SELECT 1 FROM notify_outbox WHERE state = 'sending' AND lease_until <= ?1) "
    "THEN 1 ELSE 0 END";
static const char SQL_OUTBOX_SETTLE[] = "UPDATE notify_outbox SET state = ?, next_at = ?, "
                                        "last_error = ?, sent_at = ?, lease_until = 0 WHERE id = ?";
static const char SQL_OUTBOX_LIST[] = "SELECT " OUTBOX_COLS " FROM notify_outbox "
                                      "WHERE CAST(?1 AS TEXT) IS NULL OR state = ?1 "
                                      "ORDER BY id DESC LIMIT ?2";
static const char SQL_OUTBOX_REQUEUE[] =
    "UPDATE notify_outbox SET state = 'pending', attempts = 0, next_at = ?, lease_until = 0 "
    "WHERE id = ? AND state = 'dead' RETURNING id";
static const char SQL_RUN_CLAIM[] = "INSERT INTO notify_runs (day, started_at) VALUES (?, ?) "
                                    "ON CONFLICT (day) DO NOTHING RETURNING day";

static void row_outbox(struct sql_stmt *st, struct tz_arena *a, struct tz_outbox_msg *m)
{
    m->id = sql_col_int64(st, 0);
    m->dedupe_key = col_text_or(st, 1, a, "");
    m->channel_id = sql_col_int64(st, 2);
    m->unit_id = sql_col_int64(st, 3);
    m->event = col_text_or(st, 4, a, "");
    m->item_id = sql_col_int64(st, 5);
    m->title = col_text_or(st, 6, a, "");
    m->body = col_text_or(st, 7, a, "");
    m->state = col_text_or(st, 8, a, "");
    m->attempts = sql_col_int(st, 9);
    m->next_at = sql_col_int64(st, 10);
    m->last_error = col_text(st, 11, a);
    m->created_at = col_text_or(st, 12, a, "");
    m->sent_at = col_text(st, 13, a);
}

static enum tz_status sql_notify_enqueue(struct tz_store_conn *base, const struct tz_outbox_msg *m,
                                         int64_t *id_out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_OUTBOX_INSERT);
    *id_out = 0;
    if (!st)
        return sql_error(c, err, "outbox insert");
    sql_bind_text(st, 1, m->dedupe_key);
    sql_bind_int64(st, 2, m->channel_id);
    sql_bind_int64(st, 3, m->unit_id);
    sql_bind_text(st, 4, m->event);
    bind_id(st, 5, m->item_id);
    sql_bind_text(st, 6, m->title);
    sql_bind_text(st, 7, m->body);
    sql_bind_int64(st, 8, m->next_at);
    sql_bind_text(st, 9, m->created_at);
    int rc = sql_step(st);
    if (rc == SQL_ROW)
        *id_out = sql_col_int64(st, 0);
    sql_reset(st);
    if (rc != SQL_ROW && rc != SQL_DONE)
        return sql_error(c, err, "outbox insert");
    return TZ_OK;
}

static enum tz_status sql_notify_claim(struct tz_store_conn *base, int64_t now, int64_t lease_until,
                                       struct tz_arena *a, struct tz_outbox_msg *out,
                                       bool *found_out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep_dialect(c, SQL_OUTBOX_CLAIM, SQL_OUTBOX_CLAIM_PG);
    *found_out = false;
    if (!st)
        return sql_error(c, err, "outbox claim");
    sql_bind_int64(st, 1, now);
    sql_bind_int64(st, 2, lease_until);
    int rc = sql_step(st);
    if (rc == SQL_ROW) {
        row_outbox(st, a, out);
        *found_out = true;
        rc = sql_step(st); /* runs the statement to its end */
    }
    sql_reset(st);
    if (rc != SQL_DONE)
        return sql_error(c, err, "outbox claim");
    return TZ_OK;
}

static enum tz_status sql_notify_due(struct tz_store_conn *base, int64_t now, bool *due_out,
                                     struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_OUTBOX_DUE);
    *due_out = false;
    if (!st)
        return sql_error(c, err, "outbox due");
    sql_bind_int64(st, 1, now);
    int rc = sql_step(st);
    if (rc == SQL_ROW)
        *due_out = sql_col_int(st, 0) != 0;
    sql_reset(st);
    if (rc != SQL_ROW)
        return sql_error(c, err, "outbox due");
    return TZ_OK;
}

static enum tz_status sql_notify_settle(struct tz_store_conn *base, int64_t id, const char *state,
                                        int64_t next_at, const char *last_error,
                                        const char *sent_at, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_OUTBOX_SETTLE);
    if (!st)
        return sql_error(c, err, "outbox settle");
    sql_bind_text(st, 1, state);
    sql_bind_int64(st, 2, next_at);
    sql_bind_text(st, 3, last_error);
    sql_bind_text(st, 4, sent_at);
    sql_bind_int64(st, 5, id);
    return step_done(c, st, err, "outbox settle");
}

static enum tz_status sql_notify_list(struct tz_store_conn *base, const char *state, int limit,
                                      struct tz_arena *a, struct tz_outbox_msg **out, size_t *n_out,
                                      struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_OUTBOX_LIST);
    if (!st)
        return sql_error(c, err, "outbox list");
    sql_bind_text(st, 1, state);
    sql_bind_int64(st, 2, limit);
    size_t n = 0, cap = 16;
    struct tz_outbox_msg *v = tz_arena_alloc(a, cap * sizeof(*v));
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        if (n == cap)
            v = tz_arena_grow(a, v, &cap, sizeof(*v));
        row_outbox(st, a, &v[n++]);
    }
    sql_reset(st);
    if (rc != SQL_DONE)
        return sql_error(c, err, "outbox list");
    *out = v;
    *n_out = n;
    return TZ_OK;
}

static enum tz_status sql_notify_requeue(struct tz_store_conn *base, int64_t id, int64_t now,
                                         struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_OUTBOX_REQUEUE);
    if (!st)
        return sql_error(c, err, "outbox requeue");
    sql_bind_int64(st, 1, now);
    sql_bind_int64(st, 2, id);
    int rc = sql_step(st);
    sql_reset(st);
    if (rc == SQL_DONE)
        return tz_err_set(err, TZ_ENOTFOUND, "dead letter %lld not found", (long long)id);
    if (rc != SQL_ROW)
        return sql_error(c, err, "outbox requeue");
    return TZ_OK;
}

static enum tz_status sql_notify_run_claim(struct tz_store_conn *base, int32_t day, const char *at,
                                           bool *won_out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_RUN_CLAIM);
    *won_out = false;
    if (!st)
        return sql_error(c, err, "run claim");
    sql_bind_int64(st, 1, day);
    sql_bind_text(st, 2, at);
    int rc = sql_step(st);
    *won_out = rc == SQL_ROW;
    sql_reset(st);
    if (rc != SQL_ROW && rc != SQL_DONE)
        return sql_error(c, err, "run claim");
    return TZ_OK;
}

/* ---- import ------------------------------------------------------------- */

static const char SQL_ITEM_BY_CODE[] = "SELECT id FROM items WHERE code = ? AND ledger = ?";

static enum tz_status sql_item_id_by_code(struct tz_store_conn *base, const char *ledger,
                                          const char *code, int64_t *id_out, struct tz_err *err)
{
    struct sql_conn *c = sql_route(base);
    struct sql_stmt *st = sql_prep(c, SQL_ITEM_BY_CODE);
    *id_out = 0;
    if (!st)
        return sql_error(c, err, "item by code");
    sql_bind_text(st, 1, code);
    sql_bind_text(st, 2, ledger);
    int rc = sql_step(st);
    if (rc == SQL_ROW)
        *id_out = sql_col_int64(st, 0);
    sql_reset(st);
    if (rc != SQL_ROW && rc != SQL_DONE)
        return sql_error(c, err, "item by code");
    return TZ_OK;
}

/* ---- the table ---------------------------------------------------------- */

const struct tz_store_ops tz_sql_ops = {
    .meta_get = sql_meta_get,
    .meta_set = sql_meta_set,
    .unit_insert = sql_unit_insert,
    .unit_update = sql_unit_update,
    .unit_list = sql_unit_list,
    .user_insert = sql_user_insert,
    .user_update = sql_user_update,
    .user_get = sql_user_get,
    .user_list = sql_user_list,
    .user_login_state = sql_user_login_state,
    .session_insert = sql_session_insert,
    .session_get = sql_session_get,
    .session_touch = sql_session_touch,
    .session_delete = sql_session_delete,
    .code_next = sql_code_next,
    .item_insert = sql_item_insert,
    .item_update = sql_item_update,
    .item_get = sql_item_get,
    .item_list = sql_item_list,
    .item_walk = sql_item_walk,
    .item_refresh_lights = sql_item_refresh_lights,
    .dashboard = sql_dashboard,
    .due_counts = sql_due_counts,
    .todos = sql_todos,
    .trend = sql_trend,
    .item_locations = sql_item_locations,
    .event_insert = sql_event_insert,
    .event_list = sql_event_list,
    .attachment_insert = sql_attachment_insert,
    .attachment_get = sql_attachment_get,
    .attachment_list = sql_attachment_list,
    .audit_last = sql_audit_last,
    .audit_insert = sql_audit_insert,
    .audit_list = sql_audit_list,
    .calendar_get = sql_calendar_get,
    .calendar_put = sql_calendar_put,
    .calendar_years = sql_calendar_years,
    .tally_insert = sql_tally_insert,
    .scorecard = sql_scorecard,
    .burden = sql_burden,
    .hazard_stats = sql_hazard_stats,
    .item_each = sql_item_each,
    .series_put = sql_series_put,
    .series_list = sql_series_list,
    .notice_number = sql_notice_number,
    .event_counts = sql_event_counts,
    .notify_channel_put = sql_notify_channel_put,
    .notify_channel_delete = sql_notify_channel_delete,
    .notify_channel_get = sql_notify_channel_get,
    .notify_channel_list = sql_notify_channel_list,
    .notify_enqueue = sql_notify_enqueue,
    .notify_claim = sql_notify_claim,
    .notify_due = sql_notify_due,
    .notify_settle = sql_notify_settle,
    .notify_list = sql_notify_list,
    .notify_requeue = sql_notify_requeue,
    .notify_run_claim = sql_notify_run_claim,
    .item_id_by_code = sql_item_id_by_code,
};
