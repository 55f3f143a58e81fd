/*
 * store.h - the storage interface: everything the use cases read and write,
 * behind a table of function pointers (as SQLite's VFS), so that SQLite now and
 * PostgreSQL later implement the same contract, and tests can inject faults.
 *
 * Connections: tz_store_acquire hands a connection to one thread for one
 * request; tz_store_release gives it back. Reads need no transaction. Writes
 * happen between tz_store_begin and tz_store_commit/_rollback: one writer at a
 * time (the store serialises them), and one transaction per user action - the
 * item change, its event and its audit entry commit together or not at all.
 *
 * Ownership: every string or array a store call returns is allocated from the
 * arena passed in, and lives as long as it does. Dates are day numbers
 * (date.h); timestamps are ISO 8601 text.
 *
 * Thread-safety: a struct tz_store is shared by all threads; a connection is
 * used by one thread at a time.
 */
#ifndef TZ_STORE_H
#define TZ_STORE_H

#include "tz/arena.h"
#include "tz/audit.h"
#include "tz/err.h"
#include "tz/item.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tz_unit {
    int64_t id;
    const char *code;
    const char *name;
    const char *kind;
    int64_t parent_id; /* 0 for a root */
    const char *created_at;
};

struct tz_user {
    int64_t id;
    const char *username;
    const char *display_name;
    int64_t unit_id;
    unsigned roles;
    bool disabled;
    const char *created_at;
    const char *pw_hash;
    int failed_logins;
    int64_t locked_until; /* epoch seconds, 0 when not locked */
};

struct tz_session {
    const char *token_hash; /* hex SHA-256 of the bearer token */
    int64_t user_id;
    const char *csrf;
    int64_t created;   /* epoch seconds, real clock */
    int64_t last_seen; /* epoch seconds */
    int64_t expires;   /* absolute expiry, epoch seconds */
};

struct tz_event {
    int64_t seq; /* per item, from 1 */
    int64_t item_id;
    const char *at;
    int64_t actor_id;
    const char *action;
    const char *comment; /* NULL when none */
    const char *before;  /* JSON object text */
    const char *after;   /* JSON object text */
};

struct tz_attachment {
    int64_t id;
    int64_t item_id;
    const char *name;
    int64_t size;
    const char *content_type;
    const char *digest; /* hex SHA-256 */
    int64_t uploaded_by;
    const char *uploaded_at;
};

/* Which items a reader may see, in SQL terms (mirrors tz_loop_visible). */
struct tz_scope {
    bool all;             /* supervisors and leaders */
    bool none;            /* admin and auditor */
    const int64_t *units; /* otherwise: the reader's unit subtree */
    size_t n_units;
};

enum tz_sort_key {
    TZ_SORT_DEADLINE,
    TZ_SORT_UPDATED,
    TZ_SORT_CODE,
    TZ_SORT_LIGHT,
    TZ_SORT_PROGRESS
};

#define TZ_FILTER_MAX_LEDGERS 16
#define TZ_FILTER_MAX_FIELDS  4

/*
 * A kind-specific field equal to a value (GET /items?f.grade=重大), or, for a
 * list field, holding it among its elements.
 */
struct tz_field_match {
    const char *path; /* JSON path of the field: "$.grade" */
    bool is_number;   /* compare `number` (integers, and bools as 1/0), else `text` */
    const char *text;
    int64_t number;
    bool in_list;
};

struct tz_item_filter {
    struct tz_scope scope;
    const char *ledgers[TZ_FILTER_MAX_LEDGERS];
    size_t n_ledgers;
    unsigned states;      /* mask of 1u << enum tz_state, 0 = any */
    unsigned lights;      /* mask of 1u << enum tz_light, 0 = any */
    int64_t lead_unit_id; /* exactly this lead unit, 0 = any */
    const int64_t *units; /* lead or co-unit in this set (a subtree), NULL = any */
    size_t n_units;
    const char *q;      /* substring of code, title or description */
    int32_t due_before; /* inclusive, TZ_DAY_NONE = none */
    int32_t due_after;
    int supervised_min; /* -1 = none */
    /* items on which a unit received a tally of this kind (object, remind, supervise,
     * extension: table unit_tally), NULL = any; received_by names the unit, 0 = any */
    const char *received;
    int64_t received_by;
    struct tz_field_match fields[TZ_FILTER_MAX_FIELDS];
    size_t n_fields;
    enum tz_sort_key sort;
    bool sort_desc;
    int page;            /* from 1 */
    int per_page;        /* 1..200 */
    int64_t known_total; /* >= 0: the count is known (cached), do not count again */
};

/* Counts of one group of the dashboard. */
struct tz_counts {
    int64_t key_id;  /* unit id for by-unit groups */
    const char *key; /* ledger key for by-ledger groups */
    int64_t green, yellow, red, closed, closed_on_time, overdue, extensions, total;
};

/* One month of the dashboard's trend (GET /dashboard): stamps of the items' current state. */
struct tz_trend_row {
    const char *month; /* "YYYY-MM" */
    int64_t opened;    /* assigned_at in the month */
    int64_t closed;    /* closed_at in the month */
    int64_t closed_on_time;
};

/* A located item, as the map draws it (GET /map/items). */
struct tz_located {
    int64_t id;
    int64_t lead_unit_id; /* 0 when none */
    const char *code, *title, *ledger, *status, *light;
    const char *address; /* NULL when none */
    double lat, lon;
};

/* One unit's line of the scorecard (GET /dashboard/units). */
struct tz_scorecard_row {
    int64_t unit_id;
    int64_t total, closed, closed_on_time, overdue, yellow, red, extensions;
    int64_t objections, reminders, supervisions;
};

/* Tallies of one unit in one month (GET /dashboard/burden). */
struct tz_burden_row {
    int64_t unit_id;
    const char *month;
    int64_t reminders, supervisions, objections, extensions;
    int64_t data_requests; /* office imports that recorded the unit's progress */
};

/*
 * One lead unit's hazard figures for a quarter (GET /dashboard/hazards), over
 * hazard items in the loop (neither draft nor cancelled). A 重大 hazard is one
 * whose fields.grade is "重大"; every other is 一般.
 */
struct tz_hazard_row {
    int64_t unit_id;
    int64_t found;             /* created within the quarter */
    int64_t major;             /* of those, 重大 */
    int64_t rectified;         /* closed within the quarter */
    int64_t rectified_on_time; /* of those, on time */
    int64_t open_at_end;       /* created by the quarter's end and not closed by then */
    int64_t overdue;           /* of those, past their deadline (see hazard_stats) */
    int64_t major_open;        /* of those open at the end, 重大 */
};

/*
 * The to-dos of one reader (GET /todos): which parties the reader acts for.
 * The kinds each party gathers are described in docs/DECISIONS.md and at
 * sq_todos; a to-do is one (kind, item) pair.
 */
struct tz_todo_query {
    const int64_t *units; /* the unit side: items whose lead unit is one of these */
    size_t n_units;       /* 0: no unit side (not staff or manager) */
    bool manager;         /* the unit side also gathers items ready to submit */
    bool office;          /* the supervision office's kinds (督查室) */
    bool leader;          /* red items under 督办 */
    int limit;            /* at most this many to-dos in *out (0: counts only) */
};

/* One to-do: the kind, the item's summary, since when it waits and when it is due. */
struct tz_todo {
    const char *kind;
    int64_t id;
    int64_t lead_unit_id; /* 0 when none */
    const char *code, *title, *ledger, *status, *light;
    int32_t deadline;  /* TZ_DAY_NONE when none */
    const char *since; /* timestamp of the event it waits since, NULL when unknown */
    int32_t due;       /* TZ_DAY_NONE when none */
};

/* How many to-dos of one kind. */
struct tz_todo_count {
    const char *kind;
    int64_t n;
};

/*
 * One item of an item walk (item_walk): the item and its strings live only
 * until fn returns. A status other than TZ_OK stops the walk.
 */
typedef enum tz_status (*tz_item_fn)(const struct tz_item *it, void *arg, struct tz_err *err);

/* One row of the light refresh: what tz_light_compute needs. */
typedef enum tz_light (*tz_light_fn)(const struct tz_item *it, void *arg);

/* One period of an item's series (GET|PUT /items/{id}/series/{period}). */
struct tz_series_row {
    const char *period; /* "YYYY-MM" */
    const char *data;   /* the stored JSON object */
    const char *updated_at;
    int64_t updated_by;
};

/* A robot channel of a unit (notifications): see docs/DECISIONS.md. */
struct tz_notify_channel {
    int64_t id;
    int64_t unit_id;
    const char *kind; /* wecom, dingtalk, webhook */
    const char *name;
    const char *url;     /* secret-bearing: never shown in full */
    const char *secret;  /* "" when none */
    const char *msgtype; /* markdown, text */
    bool enabled;
    const char *created_at, *updated_at;
};

/* One message of the notification outbox. Times are epoch seconds (real clock). */
struct tz_outbox_msg {
    int64_t id;
    const char *dedupe_key; /* unique: the same key is never written twice */
    int64_t channel_id;
    int64_t unit_id;
    const char *event; /* remind, supervise, daily, test */
    int64_t item_id;   /* 0: none */
    const char *title;
    const char *body;  /* Markdown */
    const char *state; /* pending, sending, sent, dead */
    int attempts;
    int64_t next_at;
    const char *last_error; /* NULL when none */
    const char *created_at;
    const char *sent_at; /* NULL until sent */
};

struct tz_store;
struct tz_store_conn;

struct tz_store_ops {
    const char *name;
    void (*close)(struct tz_store *st);
    struct tz_store_conn *(*acquire)(struct tz_store *st);
    void (*release)(struct tz_store_conn *c);
    enum tz_status (*begin)(struct tz_store_conn *c, struct tz_err *err);
    enum tz_status (*commit)(struct tz_store_conn *c, struct tz_err *err);
    void (*rollback)(struct tz_store_conn *c);

    enum tz_status (*meta_get)(struct tz_store_conn *c, const char *key, struct tz_arena *a,
                               const char **out, struct tz_err *err);
    enum tz_status (*meta_set)(struct tz_store_conn *c, const char *key, const char *value,
                               struct tz_err *err);

    enum tz_status (*unit_insert)(struct tz_store_conn *c, struct tz_unit *u, struct tz_err *err);
    enum tz_status (*unit_update)(struct tz_store_conn *c, const struct tz_unit *u,
                                  struct tz_err *err);
    enum tz_status (*unit_list)(struct tz_store_conn *c, struct tz_arena *a, struct tz_unit **out,
                                size_t *n_out, struct tz_err *err);

    enum tz_status (*user_insert)(struct tz_store_conn *c, struct tz_user *u, struct tz_err *err);
    enum tz_status (*user_update)(struct tz_store_conn *c, const struct tz_user *u,
                                  struct tz_err *err);
    /* By id when username is NULL. ENOTFOUND when absent. */
    enum tz_status (*user_get)(struct tz_store_conn *c, int64_t id, const char *username,
                               struct tz_arena *a, struct tz_user *out, struct tz_err *err);
    enum tz_status (*user_list)(struct tz_store_conn *c, struct tz_arena *a, struct tz_user **out,
                                size_t *n_out, struct tz_err *err);
    enum tz_status (*user_login_state)(struct tz_store_conn *c, int64_t id, int failed_logins,
                                       int64_t locked_until, struct tz_err *err);

    enum tz_status (*session_insert)(struct tz_store_conn *c, const struct tz_session *s,
                                     struct tz_err *err);
    /* The session and its user in one lookup (every request makes it). EAUTH when absent. */
    enum tz_status (*session_get)(struct tz_store_conn *c, const char *token_hash,
                                  struct tz_arena *a, struct tz_session *out,
                                  struct tz_user *user_out, struct tz_err *err);
    enum tz_status (*session_touch)(struct tz_store_conn *c, const char *token_hash,
                                    int64_t last_seen, struct tz_err *err);
    enum tz_status (*session_delete)(struct tz_store_conn *c, const char *token_hash,
                                     struct tz_err *err);

    /* Next number of the ledger's code sequence for a year (from 1). */
    enum tz_status (*code_next)(struct tz_store_conn *c, const char *ledger, int year, int *out,
                                struct tz_err *err);
    /* Sets it->id. */
    enum tz_status (*item_insert)(struct tz_store_conn *c, struct tz_item *it, struct tz_err *err);
    /*
     * Writes the columns in which after differs from before, where id = after->id and version
     * = before->version (ECONFLICT when stale), and the unit rows when the units changed.
     */
    enum tz_status (*item_update)(struct tz_store_conn *c, const struct tz_item *before,
                                  const struct tz_item *after, struct tz_err *err);
    enum tz_status (*item_get)(struct tz_store_conn *c, int64_t id, struct tz_arena *a,
                               struct tz_item *out, struct tz_err *err);
    enum tz_status (*item_list)(struct tz_store_conn *c, const struct tz_item_filter *f,
                                struct tz_arena *a, struct tz_item **out, size_t *n_out,
                                int64_t *total_out, struct tz_err *err);
    /*
     * Every item the filter selects, in the list's order, without paging (page, per_page and
     * known_total are ignored): fn sees one item at a time, whose strings come from a scratch
     * arena emptied after each item, so memory stays bounded whatever the count (exports).
     * One statement in one read transaction: a consistent snapshot. Returns fn's first
     * status other than TZ_OK, or the store's error.
     */
    enum tz_status (*item_walk)(struct tz_store_conn *c, const struct tz_item_filter *f,
                                tz_item_fn fn, void *arg, struct tz_err *err);
    /* Recomputes the stored light of every open item with fn; writes those that changed. */
    enum tz_status (*item_refresh_lights)(struct tz_store_conn *c, tz_light_fn fn, void *arg,
                                          int64_t *changed_out, struct tz_err *err);
    /*
     * Counts over the scope: totals (one row), by ledger, by lead unit, and by lead unit and
     * ledger (cells: key_id = unit, key = ledger; by_cell NULL skips them). Units in id order.
     */
    enum tz_status (*dashboard)(struct tz_store_conn *c, const struct tz_scope *scope,
                                struct tz_arena *a, struct tz_counts *totals,
                                struct tz_counts **by_ledger, size_t *n_ledger,
                                struct tz_counts **by_unit, size_t *n_unit,
                                struct tz_counts **by_cell, size_t *n_cell, struct tz_err *err);
    /*
     * Items waiting for their lead unit (assigned, in_progress) in the scope with a deadline
     * in [from, to[i]]: counts_out[i] for each of the n_to windows (each to[i] >= from).
     */
    enum tz_status (*due_counts)(struct tz_store_conn *c, const struct tz_scope *scope,
                                 int32_t from, const int32_t *to, size_t n_to, int64_t *counts_out,
                                 struct tz_err *err);
    /* The months from from_month ("YYYY-MM") on that have any stamp, oldest first. */
    enum tz_status (*trend)(struct tz_store_conn *c, const struct tz_scope *scope,
                            const char *from_month, struct tz_arena *a, struct tz_trend_row **out,
                            size_t *n_out, struct tz_err *err);
    /*
     * The located items of the scope in id order, at most limit; *more_out says whether
     * others were left out.
     */
    enum tz_status (*item_locations)(struct tz_store_conn *c, const struct tz_scope *scope,
                                     int limit, struct tz_arena *a, struct tz_located **out,
                                     size_t *n_out, bool *more_out, struct tz_err *err);

    enum tz_status (*event_insert)(struct tz_store_conn *c, struct tz_event *ev,
                                   struct tz_err *err);
    enum tz_status (*event_list)(struct tz_store_conn *c, int64_t item_id, struct tz_arena *a,
                                 struct tz_event **out, size_t *n_out, struct tz_err *err);

    enum tz_status (*attachment_insert)(struct tz_store_conn *c, struct tz_attachment *at,
                                        struct tz_err *err);
    enum tz_status (*attachment_get)(struct tz_store_conn *c, int64_t id, struct tz_arena *a,
                                     struct tz_attachment *out, struct tz_err *err);
    enum tz_status (*attachment_list)(struct tz_store_conn *c, int64_t item_id, struct tz_arena *a,
                                      struct tz_attachment **out, size_t *n_out,
                                      struct tz_err *err);

    /* The last entry's seq and hash (0 and 64 zeros for an empty log). */
    enum tz_status (*audit_last)(struct tz_store_conn *c, int64_t *seq_out,
                                 char hash_out[TZ_HASH_HEX], struct tz_err *err);
    enum tz_status (*audit_insert)(struct tz_store_conn *c, const struct tz_audit_entry *e,
                                   struct tz_err *err);
    /* Entries with seq > after, at most limit, in seq order. */
    enum tz_status (*audit_list)(struct tz_store_conn *c, int64_t after, int limit,
                                 struct tz_arena *a, struct tz_audit_entry **out, size_t *n_out,
                                 struct tz_err *err);

    /* Calendar years edited by the admin: JSON text, NULL when the year has none. */
    enum tz_status (*calendar_get)(struct tz_store_conn *c, int year, struct tz_arena *a,
                                   const char **json_out, struct tz_err *err);
    enum tz_status (*calendar_put)(struct tz_store_conn *c, int year, const char *json,
                                   struct tz_err *err);
    enum tz_status (*calendar_years)(struct tz_store_conn *c, struct tz_arena *a, int **out,
                                     size_t *n_out, struct tz_err *err);

    /* One tally row for a unit (kind: object, remind, supervise, extension), inside a write. */
    enum tz_status (*tally_insert)(struct tz_store_conn *c, int64_t unit_id, int64_t item_id,
                                   const char *kind, const char *month, struct tz_err *err);
    /*
     * The per-unit scorecard rows over every item by lead unit: counts (total, closed,
     * closed on time, overdue, yellow, red, extensions) and tallies (objections, reminders,
     * 督办). `units_out` rows are keyed by key_id = unit id.
     */
    enum tz_status (*scorecard)(struct tz_store_conn *c, struct tz_arena *a,
                                struct tz_scorecard_row **out, size_t *n_out, struct tz_err *err);
    /* Tallies per unit, month and kind for months in [from, to] ("YYYY-MM"). */
    enum tz_status (*burden)(struct tz_store_conn *c, const char *from, const char *to,
                             struct tz_arena *a, struct tz_burden_row **out, size_t *n_out,
                             struct tz_err *err);
    /*
     * Hazard figures of the quarter [first, last] (day numbers) per lead unit, in unit id
     * order; a unit whose figures are all zero has no row. Found: created in the quarter;
     * rectified: closed in it; open at the end: created by last and not closed by then.
     * Overdue counts the open ones whose deadline is before late_before (the caller passes
     * the earlier of today and last) and that were not waiting for verification in time
     * (submitted, or closed on time, on or before the deadline); long-term (ongoing) items
     * are never overdue. Figures come from the items' current state.
     */
    enum tz_status (*hazard_stats)(struct tz_store_conn *c, int32_t first, int32_t last,
                                   int32_t late_before, struct tz_arena *a,
                                   struct tz_hazard_row **out, size_t *n_out, struct tz_err *err);

    /*
     * The reader's to-dos, most urgent first (due date ascending, none last, then
     * item id), at most q->limit of them, and the count of every kind found (all
     * of them, not only those listed). Lights are read as stored: the caller makes
     * them current first.
     */
    enum tz_status (*todos)(struct tz_store_conn *c, const struct tz_todo_query *q,
                            struct tz_arena *a, struct tz_todo **out, size_t *n_out,
                            struct tz_todo_count **counts_out, size_t *n_counts_out,
                            struct tz_err *err);

    /* Calls fn for every item, in id order (one-time jobs: indexing after an upgrade). */
    enum tz_status (*item_each)(struct tz_store_conn *c,
                                enum tz_status (*fn)(const struct tz_item *it, void *arg),
                                void *arg, struct tz_err *err);
    /* Replaces the searchable text of an item (rowid = item id), inside a write. */
    enum tz_status (*search_put)(struct tz_store_conn *c, int64_t item_id, const char *title,
                                 const char *body, struct tz_err *err);
    /*
     * Item ids whose text holds q, best first: full-text (trigram) for q of three or more
     * characters, a substring scan for shorter ones. At most limit ids.
     */
    enum tz_status (*search)(struct tz_store_conn *c, const char *q, int limit, struct tz_arena *a,
                             int64_t **ids_out, size_t *n_out, struct tz_err *err);

    /* Inserts or replaces one period of an item's series, inside a write. */
    enum tz_status (*series_put)(struct tz_store_conn *c, int64_t item_id,
                                 const struct tz_series_row *row, struct tz_err *err);
    /* Every period of an item's series, oldest period first. */
    enum tz_status (*series_list)(struct tz_store_conn *c, int64_t item_id, struct tz_arena *a,
                                  struct tz_series_row **out, size_t *n_out, struct tz_err *err);

    /* Online, consistent copy of the whole database to path. */
    enum tz_status (*backup)(struct tz_store *st, const char *path, struct tz_err *err);

    /* ---- printed documents (issue 5, part 3: 通报 and 督办单) ---- */
    /*
     * The number of the 督办单 of (item, grade): the stored one, or the year's next
     * (largest + 1) stored now with issued_on = today and issued_by. Inside a write.
     * *issued_out is the day the number was given.
     */
    enum tz_status (*notice_number)(struct tz_store_conn *c, int64_t item_id, int grade,
                                    int32_t today, int64_t user_id, int *year_out, int64_t *seq_out,
                                    int32_t *issued_out, struct tz_err *err);
    /*
     * Events of the scope's items with at in [from_ts, to_ts) (business stamps; text
     * compare): counts_out[i] = how many of action actions[i], for n actions.
     */
    enum tz_status (*event_counts)(struct tz_store_conn *c, const struct tz_scope *scope,
                                   const char *from_ts, const char *to_ts,
                                   const char *const *actions, size_t n, int64_t *counts_out,
                                   struct tz_err *err);
    /* ---- notifications (app_notify.c) ---- */
    /* Inserts (id 0: sets ch->id) or updates a channel, inside a write. */
    enum tz_status (*notify_channel_put)(struct tz_store_conn *c, struct tz_notify_channel *ch,
                                         struct tz_err *err);
    /* Deletes a channel, inside a write. ENOTFOUND when absent. */
    enum tz_status (*notify_channel_delete)(struct tz_store_conn *c, int64_t id,
                                            struct tz_err *err);
    /* One channel. ENOTFOUND when absent. */
    enum tz_status (*notify_channel_get)(struct tz_store_conn *c, int64_t id, struct tz_arena *a,
                                         struct tz_notify_channel *out, struct tz_err *err);
    /* The channels of a unit (0: every unit), by unit then id. */
    enum tz_status (*notify_channel_list)(struct tz_store_conn *c, int64_t unit_id,
                                          struct tz_arena *a, struct tz_notify_channel **out,
                                          size_t *n_out, struct tz_err *err);
    /*
     * Writes a message into the outbox (state pending) inside a write, unless one with the
     * same dedupe key exists: then nothing is written and *id_out is 0 (else the new id).
     */
    enum tz_status (*notify_enqueue)(struct tz_store_conn *c, const struct tz_outbox_msg *m,
                                     int64_t *id_out, struct tz_err *err);
    /*
     * Claims the oldest message due at `now` (pending with next_at <= now, or sending with a
     * lease that lapsed) in one atomic UPDATE, inside a write: it becomes 'sending' until
     * lease_until and its attempts grow by one. *found_out false when none is due.
     */
    enum tz_status (*notify_claim)(struct tz_store_conn *c, int64_t now, int64_t lease_until,
                                   struct tz_arena *a, struct tz_outbox_msg *out, bool *found_out,
                                   struct tz_err *err);
    /* Is any message due at now (what notify_claim would take)? A read: idle servers write nothing.
     */
    enum tz_status (*notify_due)(struct tz_store_conn *c, int64_t now, bool *due_out,
                                 struct tz_err *err);
    /* Records a delivery's outcome: state, next_at, last_error, sent_at (inside a write). */
    enum tz_status (*notify_settle)(struct tz_store_conn *c, int64_t id, const char *state,
                                    int64_t next_at, const char *last_error, const char *sent_at,
                                    struct tz_err *err);
    /* Messages in a state (NULL: any), newest first, at most limit. */
    enum tz_status (*notify_list)(struct tz_store_conn *c, const char *state, int limit,
                                  struct tz_arena *a, struct tz_outbox_msg **out, size_t *n_out,
                                  struct tz_err *err);
    /* A dead message back to pending, due at now, attempts 0 (inside a write). ENOTFOUND else. */
    enum tz_status (*notify_requeue)(struct tz_store_conn *c, int64_t id, int64_t now,
                                     struct tz_err *err);
    /* Claims the daily run of a day (inside a write): *won_out true for the first caller only. */
    enum tz_status (*notify_run_claim)(struct tz_store_conn *c, int32_t day, const char *at,
                                       bool *won_out, struct tz_err *err);
    /* The id of the item of this ledger with this code; 0 when there is none. (import) */
    enum tz_status (*item_id_by_code)(struct tz_store_conn *c, const char *ledger, const char *code,
                                      int64_t *id_out, struct tz_err *err);
    /*
     * Begins a large write (an import) as a transaction of its own rather than
     * a savepoint in a commit group; ended by commit or rollback as any write.
     */
    enum tz_status (*begin_bulk)(struct tz_store_conn *c, struct tz_err *err);
    /*
     * Several servers on one database (PostgreSQL; NULL on SQLite, which one
     * process serves). announce sends payload (text, < 8000 bytes) to every
     * server that listens: when the open write transaction commits (and not if
     * it rolls back), or at once outside a transaction. listen starts hearing
     * the announcements (this server's own included) on a thread of the
     * store's: fn(payload, arg) for each, and fn(NULL, arg) after the listener
     * lost its connection and made a new one (anything may have been missed
     * meanwhile). listen with fn NULL stops the thread (and waits for it); so
     * does closing the store.
     */
    enum tz_status (*announce)(struct tz_store_conn *c, const char *payload, struct tz_err *err);
    /*
     * The database's generation: data counts committed write transactions,
     * snapshots those that wrote units or the calendar (what servers keep
     * copies of). A server that compares them with what it saw last knows,
     * exactly and at once, whether another server changed something. NULL on
     * a store one process serves.
     */
    enum tz_status (*generation)(struct tz_store_conn *c, int64_t *data_out, int64_t *snapshots_out,
                                 struct tz_err *err);
    enum tz_status (*listen)(struct tz_store *st, void (*fn)(const char *payload, void *arg),
                             void *arg, struct tz_err *err);
};

struct tz_store {
    const struct tz_store_ops *ops;
};

struct tz_store_conn {
    struct tz_store *store;
};

/* Opens (creating when asked) and migrates a SQLite database. NULL and err on failure. */
struct tz_store *tz_store_sqlite_open(const char *path, bool create, int n_conns,
                                      struct tz_err *err);
/*
 * Opens a PostgreSQL database by its libpq connection string (conninfo), with a
 * pool of n_conns connections, and migrates its schema; create allows a
 * database without our schema yet (taizhang init). NULL and err (TZ_EUNAVAIL:
 * cannot connect, a newer schema) on failure.
 */
struct tz_store *tz_store_pg_open(const char *conninfo, bool create, int n_conns,
                                  struct tz_err *err);
/*
 * Fault injection for tests (as SQLite's own test hooks): while fn returns true,
 * every statement, BEGIN and COMMIT fails as an I/O error would. NULL turns it off.
 */
typedef bool (*tz_store_fault_fn)(void *arg);
void tz_store_sqlite_set_fault(struct tz_store *st, tz_store_fault_fn fn, void *arg);

/* Replaces the database at db_path by the backup at from_path (server stopped). */
enum tz_status tz_store_sqlite_restore(const char *from_path, const char *db_path,
                                       struct tz_err *err);

/*
 * Copies every row of `from` into `to`, which must hold no data yet (no unit,
 * no item: else TZ_ECONFLICT and nothing written): `taizhang migrate`, from
 * SQLite into PostgreSQL. Rows keep their ids, so references, item codes and
 * the audit chain stay as they were; on PostgreSQL the id sequences are then
 * moved past the copied ids. Tables the target's triggers keep from the items
 * (item_counts, item_months) are rebuilt by them, not copied. All or nothing:
 * one write transaction on `to`, committed at the end; `from` is read as one
 * snapshot. progress (may be NULL) is called with the table being copied and
 * the rows done of the total, first with done 0; arg is passed through.
 * *rows_out (may be NULL) is the number of rows copied, 0 on failure. Takes a
 * connection from each store for the call; not to be run twice at once on
 * the same target (the second finds data, or waits for the first's lock).
 */
enum tz_status tz_store_copy(struct tz_store *from, struct tz_store *to,
                             void (*progress)(void *arg, const char *table, int64_t done,
                                              int64_t total),
                             void *arg, int64_t *rows_out, struct tz_err *err);

static inline void tz_store_close(struct tz_store *st)
{
    if (st)
        st->ops->close(st);
}

#define TZ_STORE(c) ((c)->store->ops)

#endif
