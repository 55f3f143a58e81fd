/*
 * app.h - the use cases: one function per thing a user does, shared by the
 * HTTP API and the command line so the two cannot drift apart.
 *
 * A use case loads through the store, asks the pure core for a decision, and
 * writes the change, its event and its audit entry in one transaction. Input
 * arrives as parsed JSON (json-c objects, borrowed) and is validated here;
 * results are json-c objects the caller owns (json_object_put).
 *
 * Threading: struct tz_ctx is shared by all threads and changes only under its
 * locks; a struct tz_call belongs to one request on one thread.
 */
#ifndef TZ_APP_H
#define TZ_APP_H

#include "tz/arena.h"
#include "tz/audit.h"
#include "tz/calendar.h"
#include "tz/err.h"
#include "tz/item.h"
#include "tz/json.h"
#include "tz/ledger.h"
#include "tz/notify.h"
#include "tz/store.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

const char *tz_version(void);

/* Settings, with their defaults in tz_config_init. */
struct tz_config {
    const char *db_path;
    const char *data_dir;       /* attachments live in data_dir/files */
    size_t max_body;            /* JSON body cap, 1 MiB */
    size_t max_upload;          /* attachment cap, 20 MiB */
    int session_idle_s;         /* 30 min */
    int session_abs_s;          /* 12 h */
    int lockout_failures;       /* 5 */
    int lockout_s;              /* 30 min */
    int utc_offset_min;         /* +480: Asia/Shanghai (no daylight saving since 1991) */
    enum tz_hash_alg audit_alg; /* SM3 */
    const char *audit_key;      /* HMAC key, NULL for a plain hash */
    int32_t today_fixed;        /* TAIZHANG_TODAY, TZ_DAY_NONE for the real date */
    bool trust_proxy_https;     /* Secure cookies behind a TLS proxy */
    /* notifications (app_notify.c): --notify-at, --public-url, --notify-backoff */
    int notify_at_min;      /* minute of the day of the daily digest (540: 09:00), -1: off */
    const char *public_url; /* base of the links in messages; NULL: the path alone */
    int notify_backoff_s[TZ_NOTIFY_MAX_ATTEMPTS - 1]; /* wait after failed attempt i+1 */
    size_t n_notify_backoff;                          /* attempts = n_notify_backoff + 1 */
    int notify_lease_s;                               /* a claimed message's lease: 60 s */
    size_t max_import;       /* import file cap, 20 MiB (TAIZHANG_IMPORT_MAX_BYTES) */
    int64_t import_max_rows; /* data rows an import takes, 100 000 (TAIZHANG_IMPORT_MAX_ROWS) */
};

void tz_config_init(struct tz_config *cfg);
/* Reads TAIZHANG_TODAY, TAIZHANG_AUDIT_HASH, TAIZHANG_AUDIT_KEY. 422 on a bad value. */
enum tz_status tz_config_from_env(struct tz_config *cfg, struct tz_err *err);

struct tz_unit_tree;
struct tz_count_cache;

struct tz_ctx {
    struct tz_config cfg;
    struct tz_store *store;
    struct tz_audit_hasher hasher;
    pthread_rwlock_t lock;              /* guards cal and units below */
    struct tz_calendar *cal;            /* shipped years plus the admin's edits */
    struct tz_unit_tree *units;         /* snapshot of the unit tree, rebuilt after a unit change */
    atomic_int lights_day;              /* the day the stored lights were computed for */
    atomic_bool snapshots_stale;        /* a reload after a committed change failed: retry */
    struct tz_ledgers *ledgers;         /* the data/ledgers files, read at start */
    struct tz_count_cache *counts;      /* list totals by filter, valid for one data version */
    atomic_int_fast64_t data_version;   /* bumped by every committed write */
    atomic_int_fast64_t seen_data;      /* the store's generation last seen (store.h) */
    atomic_int_fast64_t seen_snapshots; /* ... and its unit/calendar part */
    struct tz_hub *hub;                 /* committed item changes, for the live streams */
    uint64_t instance;                  /* this server among several on one database (random) */
    bool listening;                     /* hears the other servers' changes (tz_ctx_listen) */
};

/* Opens nothing: wires cfg and an open store into ctx, loads calendar and units. */
enum tz_status tz_ctx_init(struct tz_ctx *ctx, const struct tz_config *cfg, struct tz_store *store,
                           struct tz_err *err);
void tz_ctx_release(struct tz_ctx *ctx);

/*
 * With several servers on one database (a store with listen): hear the other
 * servers' committed changes, so that this server's live streams carry them
 * (its caches and snapshots follow the store's generation, read by every call). Nothing to do
 * (TZ_OK) on a store one process serves. tz_ctx_release stops it.
 */
enum tz_status tz_ctx_listen(struct tz_ctx *ctx, struct tz_err *err);

/* Today's business date (TAIZHANG_TODAY or the real local date). */
int32_t tz_ctx_today(const struct tz_ctx *ctx);
/* Business timestamp (today's date, real time of day, offset) into the arena. */
const char *tz_ctx_now(const struct tz_ctx *ctx, struct tz_arena *a);
/* Real-clock timestamp, for audit entries and sessions. */
const char *tz_ctx_real_now(const struct tz_ctx *ctx, struct tz_arena *a);

/* ---- live changes (app_hub.c) ---- */

#define TZ_HUB_KEEP         4096 /* changes kept for streams that fall behind */
#define TZ_CHANGE_MAX_CO    16   /* co-units kept with a change, for visibility */
#define TZ_CALL_MAX_CHANGES 16   /* changes one call records before it says "refresh all" */

/* One committed change of an item, as a stream sends it; item_id 0 means "refresh all". */
struct tz_change {
    int64_t seq;
    int64_t item_id;
    char code[32];
    char ledger[24];
    enum tz_state state;
    enum tz_light light;
    int64_t version;
    int64_t lead_unit_id;
    int64_t co_unit_ids[TZ_CHANGE_MAX_CO];
    size_t n_co_units;
    bool was_assigned;
};

struct tz_hub;
struct tz_hub *tz_hub_new(void);
void tz_hub_free(struct tz_hub *hub);
/* fn(arg) is called (outside the hub's lock) after every publication: the streams wake. */
void tz_hub_listen(struct tz_hub *hub, void (*fn)(void *arg), void *arg);
/* The number of the newest change (0: none). Thread-safe. */
int64_t tz_hub_last(struct tz_hub *hub);
/*
 * The changes after `after` that actor may see, oldest first, at most max, into
 * out; *next_after is where to ask next time. *is_gap is true when changes were
 * lost to the ring (the client should refresh everything). Thread-safe.
 */
size_t tz_hub_since(struct tz_hub *hub, int64_t after, const struct tz_actor *actor,
                    struct tz_change *out, size_t max, int64_t *next_after, bool *is_gap);
/* The change as the stream's JSON: {id, code, ledger, status, light, version, lead_unit_id}. */
void tz_change_json(const struct tz_change *c, struct tz_strbuf *sb);

/* One request: who calls, on which connection, with which arena. */
struct tz_call {
    struct tz_ctx *ctx;
    struct tz_store_conn *conn;
    struct tz_arena *arena;
    const char *ip;
    bool signed_in;
    struct tz_user user;
    struct tz_actor actor;
    const char *token_hash;
    const char *csrf;
    /* item changes of the open transaction, published when it commits */
    struct tz_change changes[TZ_CALL_MAX_CHANGES];
    size_t n_changes;
};

void tz_call_init(struct tz_call *call, struct tz_ctx *ctx, struct tz_arena *arena, const char *ip);
void tz_call_release(struct tz_call *call);

/* ---- sessions (app_auth.c) ---- */
struct tz_login {
    const char *token;
    const char *csrf;
    int64_t expires_at;       /* epoch seconds */
    struct json_object *user; /* caller owns */
};
enum tz_status tz_app_login(struct tz_call *call, const char *username, const char *password,
                            struct tz_login *out, struct tz_err *err);
/* Resolves a bearer token into call->user and call->actor. 401 when unknown or expired. */
enum tz_status tz_app_authenticate(struct tz_call *call, const char *token, struct tz_err *err);
enum tz_status tz_app_logout(struct tz_call *call, struct tz_err *err);
struct json_object *tz_app_me(struct tz_call *call);
/* argon2id hash of a password into a heap string the caller frees. */
char *tz_app_password_hash(const char *password);

/* ---- units and users (app_units.c) ---- */
enum tz_status tz_app_unit_list(struct tz_call *call, struct json_object **out, struct tz_err *err);
enum tz_status tz_app_unit_get(struct tz_call *call, int64_t id, struct json_object **out,
                               struct tz_err *err);
enum tz_status tz_app_unit_create(struct tz_call *call, struct json_object *body,
                                  struct json_object **out, struct tz_err *err);
enum tz_status tz_app_unit_update(struct tz_call *call, int64_t id, struct json_object *body,
                                  struct json_object **out, struct tz_err *err);
enum tz_status tz_app_user_list(struct tz_call *call, struct json_object **out, struct tz_err *err);
enum tz_status tz_app_user_get(struct tz_call *call, int64_t id, struct json_object **out,
                               struct tz_err *err);
enum tz_status tz_app_user_create(struct tz_call *call, struct json_object *body,
                                  struct json_object **out, struct tz_err *err);
enum tz_status tz_app_user_update(struct tz_call *call, int64_t id, struct json_object *body,
                                  struct json_object **out, struct tz_err *err);
/* Unit id by code, 0 when absent. */
int64_t tz_app_unit_by_code(struct tz_ctx *ctx, const char *code);

/* ---- items (app_items.c) ---- */
struct tz_list_query {
    struct tz_item_filter filter;
    int64_t unit; /* 0 = any */
    /* f.<key>=<value> arguments, as given: checked against the one ledger listed */
    const char *field_keys[TZ_FILTER_MAX_FIELDS];
    const char *field_values[TZ_FILTER_MAX_FIELDS];
    size_t n_field_args;
};
enum tz_status tz_app_item_create(struct tz_call *call, struct json_object *body,
                                  struct json_object **out, struct tz_err *err);
enum tz_status tz_app_item_get(struct tz_call *call, int64_t id, struct json_object **out,
                               struct tz_err *err);
/* PATCH and actions take the raw body: visibility (404) is decided before the body is read. */
enum tz_status tz_app_item_patch(struct tz_call *call, int64_t id, const char *body, size_t len,
                                 struct json_object **out, struct tz_err *err);
enum tz_status tz_app_item_action(struct tz_call *call, int64_t id, const char *body, size_t len,
                                  struct json_object **out, struct tz_err *err);
enum tz_status tz_app_item_list(struct tz_call *call, struct tz_list_query *q,
                                struct json_object **out, struct tz_err *err);
enum tz_status tz_app_item_events(struct tz_call *call, int64_t id, struct json_object **out,
                                  struct tz_err *err);
/* Makes sure the stored lights are those of today. */
enum tz_status tz_app_lights_current(struct tz_call *call, struct tz_err *err);

/* ---- export (app_export.c) ---- */
/* Progress of long work: done of total (total may be 0 when unknown). */
typedef void (*tz_progress_fn)(void *arg, int64_t done, int64_t total);
/*
 * Writes the items of one ledger that q selects and the caller may see (as
 * GET /items for the same filters: scope, status, light, unit, lead, due
 * bounds, supervised, q, f.<key>, sort; the ledger is this one whatever q
 * says, paging is ignored) as a new .xlsx workbook at path, in the official
 * ledger layout (app_export.c), protected fields masked as in the item JSON.
 * Memory stays bounded whatever the count. progress (may be NULL) is called
 * every 1000 rows and at the end. *n_rows_out is the number of item rows.
 * 404 for an unknown ledger, 422 for a bad field filter or a path that cannot
 * be written (the message names it); on failure no file is left at path.
 * Thread-safe as every use case (one call per thread).
 */
enum tz_status tz_app_export_xlsx(struct tz_call *call, const char *ledger, struct tz_list_query *q,
                                  const char *path, tz_progress_fn progress, void *progress_arg,
                                  int64_t *n_rows_out, struct tz_err *err);

/* ---- printed documents (app_report.c; layout in src/report/) ---- */
/* What a print produced: pages, the file name to offer (Chinese, in the call's arena), the
 * 督办单's number (NULL for a bulletin). */
struct tz_report_out {
    int pages;
    const char *file_name;
    const char *number;
};
/*
 * The period of a bulletin from the query's text (NULL or "": to = today, from = to - 6):
 * 422 naming "from" or "to" for a bad date, "from" when from > to or longer than a year.
 */
enum tz_status tz_app_report_period(struct tz_ctx *ctx, const char *from, const char *to,
                                    int32_t *from_out, int32_t *to_out, struct tz_err *err);
/*
 * Writes the 通报 of the period as an A4 PDF at path: counters and rates as GET /dashboard,
 * the scorecard's units, the war map's red list (30 rows, the rest counted), the period's
 * 交办/销号/催办/督办 events, charts. Scope as GET /dashboard (403 without an item role).
 * progress (may be NULL): stages 0..3 of 3. One audit entry report.bulletin; on failure the
 * caller removes path. 503 when the CJK fonts are missing.
 */
enum tz_status tz_app_report_bulletin(struct tz_call *call, const char *from, const char *to,
                                      const char *path, tz_progress_fn progress, void *progress_arg,
                                      struct tz_report_out *out, struct tz_err *err);
/*
 * Writes the 督办通知单 of item id as a one-page PDF at path. 404 when the caller may not
 * see the item (whoever sees it may print it); 409 for a draft or a register entry. The
 * number (城东督办〔2026〕第N号) is given on the first print of the item's colour and
 * kept (table notices). One audit entry item.notice.
 */
enum tz_status tz_app_report_notice(struct tz_call *call, int64_t id, const char *path,
                                    tz_progress_fn progress, void *progress_arg,
                                    struct tz_report_out *out, struct tz_err *err);
/* The id of the item with this code the caller may see (404 otherwise), for the CLI. */
enum tz_status tz_app_item_id_by_code(struct tz_call *call, const char *code, int64_t *id_out,
                                      struct tz_err *err);
/* ---- import (app_import.c) ---- */
struct tz_import_opts {
    const char *ledger;       /* the ledger's key */
    const char *name;         /* the file's name (format, audit entry); may be NULL */
    const char *content_type; /* may be NULL; with name, decides xlsx or csv */
    bool dry_run;             /* check and report, write nothing */
    bool skip_conflicts;      /* import the other rows and leave conflicting ones */
    tz_progress_fn progress;  /* every 1000 rows read (total 0: unknown); may be NULL */
    void *progress_arg;
};
/*
 * Imports an .xlsx (first sheet) or CSV file into a ledger (POST
 * /ledgers/{ledger}/import, `taizhang import`), in one transaction: every row
 * is checked as POST /items (new or empty 编号) or PATCH /items/{id} (an
 * existing 编号, its 版本 compared) would check it, a changed 进度 recorded as
 * a report (app_import.c says whose). *out (caller owns) is the report
 * {dry_run, file, format, encoding, rows, creates, updates, unchanged,
 * conflicts, preview: {creates, updates, conflicts}, errors: [{row, column,
 * reason}], warnings}. Nothing is written on a dry run (TZ_OK), when a cell is
 * bad (422, *out set), or when a row was edited meanwhile (409, *out set,
 * unless skip_conflicts). Other failures (the file unreadable, too large,
 * too many rows, no header) leave *out NULL. One ledger.import audit entry.
 */
enum tz_status tz_app_import(struct tz_call *call, const struct tz_import_opts *opts,
                             const void *data, size_t len, struct json_object **out,
                             struct tz_err *err);

/*
 * Makes call act as the enabled user with this name, as if signed in (the
 * command line's `--as`): 422 naming "as" for an unknown or disabled user.
 */
enum tz_status tz_app_call_as(struct tz_call *call, const char *username, struct tz_err *err);

/* ---- evidence (app_evidence.c) ---- */
enum tz_status tz_app_attach(struct tz_call *call, int64_t item_id, const char *name,
                             const char *content_type, const void *data, size_t len,
                             struct json_object **out, struct tz_err *err);
/* Checks the upload may happen before the body is read (visibility, role, state, type, size). */
enum tz_status tz_app_attach_precheck(struct tz_call *call, int64_t item_id,
                                      const char *content_type, uint64_t declared_len,
                                      struct tz_err *err);
struct tz_download {
    const char *path; /* file on disk */
    const char *name;
    const char *content_type;
    int64_t size;
};
enum tz_status tz_app_attachment_get(struct tz_call *call, int64_t id, struct tz_download *out,
                                     struct tz_err *err);

/* ---- series and ledger rules (app_series.c, app_rules.c) ---- */
/*
 * The periods an item reports (GET /items/{id}/series): an indicator's monthly
 * {value, target, yoy}, an eco problem's samples, each with its evaluation
 * (pace light and reason; water class against the target, 超标因子, AQI band).
 * 404 for an item not visible or of a ledger without series.
 */
enum tz_status tz_app_series_list(struct tz_call *call, int64_t id, struct json_object **out,
                                  struct tz_err *err);
/* One period (yyyymm; 0 or out of range is 422 "period"); 404 when not reported. */
enum tz_status tz_app_series_get(struct tz_call *call, int64_t id, int period,
                                 struct json_object **out, struct tz_err *err);
/*
 * Reports one period, replacing what was reported for it, and updates the
 * item's summary and light (event "series"). Supervisor or the lead unit's
 * managers and staff (403); closed or cancelled items 409.
 */
enum tz_status tz_app_series_put(struct tz_call *call, int64_t id, int period, const char *text,
                                 size_t len, struct json_object **out, struct tz_err *err);
/* POST /risk/assess: LEC or LS (risk.h) under the risk_point ledger's settings. */
enum tz_status tz_app_risk_assess(struct tz_call *call, struct json_object *body,
                                  struct json_object **out, struct tz_err *err);

/* ---- dashboard, ledgers, calendar, audit (app_misc.c) ---- */
enum tz_status tz_app_dashboard(struct tz_call *call, struct json_object **out, struct tz_err *err);
/*
 * Full-text search over the items the caller may see (GET /search?q=): ranked,
 * each with a snippet around the first match, HTML-escaped, the match in <mark>.
 */
enum tz_status tz_app_search(struct tz_call *call, const char *q, int page, int per_page,
                             struct json_object **out, struct tz_err *err);

/* The ten ledgers with their field schemas (GET /ledgers). */
struct json_object *tz_app_ledgers(struct tz_ctx *ctx);
/*
 * The per-unit scorecard (GET /dashboard/units): by lead unit, 销号率, 按期完成率,
 * 逾期率, yellow and red counts, extensions, objections, reminders and 督办
 * received, each with the list query that shows the items behind it. No
 * ranking by logins, usage or online time (DOMAIN 9.3).
 */
enum tz_status tz_app_scorecard(struct tz_call *call, struct json_object **out, struct tz_err *err);
/* Reminders, 督办, objections and extensions each unit received per month (from, to: YYYY-MM). */
enum tz_status tz_app_burden(struct tz_call *call, const char *from, const char *to,
                             struct json_object **out, struct tz_err *err);
/*
 * Quarterly hazard statistics per lead unit (GET /dashboard/hazards), the
 * figures of the enterprises' quarterly report (DOMAIN 4.6): hazards found
 * (重大 and 一般), rectified and rectified on time in the quarter, open at its
 * end, of those overdue and 重大, and the rectification rate. year ("1900" to
 * "2999") and quarter ("1" to "4") are the query's text, NULL for the year or
 * quarter of today; anything else is 422 naming the field. Units the caller
 * may not see (as the scorecard) and units with all figures zero are left out.
 */
enum tz_status tz_app_hazard_stats(struct tz_call *call, const char *year, const char *quarter,
                                   struct json_object **out, struct tz_err *err);
/* The ledger with this key, or NULL; borrowed for the life of ctx. */
const struct tz_ledger_def *tz_app_ledger(struct tz_ctx *ctx, const char *key);
enum tz_status tz_app_calendar_get(struct tz_call *call, int year, struct json_object **out,
                                   struct tz_err *err);
enum tz_status tz_app_calendar_put(struct tz_call *call, int year, struct json_object *body,
                                   struct json_object **out, struct tz_err *err);
enum tz_status tz_app_audit_list(struct tz_call *call, int64_t after, int limit,
                                 struct json_object **out, struct tz_err *err);
/* Verifies the whole chain. `out` may be NULL (CLI); result fields in *v. */
enum tz_status tz_app_audit_verify(struct tz_ctx *ctx, struct tz_store_conn *conn,
                                   struct tz_audit_verifier *v, struct tz_err *err);
enum tz_status tz_app_audit_verify_call(struct tz_call *call, struct json_object **out,
                                        struct tz_err *err);

/*
 * Appends one audit entry inside the caller's open transaction. detail is JSON
 * text ("{}" when none).
 */
enum tz_status tz_app_audit(struct tz_call *call, const char *action, const char *target,
                            const char *detail, struct tz_err *err);
/* One audit entry in a transaction of its own (an export, a print: reads that are audited). */
enum tz_status tz_app_audit_alone(struct tz_call *call, const char *action, const char *target,
                                  const char *detail, struct tz_err *err);
/* Records a refused request in its own transaction (every denial is audited). */
void tz_app_audit_denial(struct tz_call *call, const char *what, const struct tz_err *why);

/* ---- the to-do list (app_todos.c) ---- */
/*
 * What waits for the caller's action (GET /todos?limit=): {today, count,
 * counts: {kind: n}, kinds: [{kind, label, count}], todos: [{kind, label,
 * item: {id, code, title, ledger, status, light, deadline, lead_unit_id},
 * since, due, overdue}], truncated}, most urgent first, at most limit to-dos
 * (0: the counts alone, for a badge; capped at 500). Scoped as GET /items;
 * callers without a role that acts on items get an empty list.
 */
enum tz_status tz_app_todos(struct tz_call *call, int limit, struct json_object **out,
                            struct tz_err *err);

/* ---- the war map's map (app_map.c) ---- */
/*
 * The district boundary the map draws (GET /map/boundary): the GeoJSON the
 * administrator stored, else the built-in data/geo/chengdong.geojson (an
 * approximate outline). *text_out is borrowed (from the call's arena or the
 * binary); *uploaded_out says which. Any signed-in user.
 */
enum tz_status tz_app_map_boundary(struct tz_call *call, const char **text_out, size_t *len_out,
                                   bool *uploaded_out, struct tz_err *err);
/*
 * Stores the district's own boundary (PUT /map/boundary, admin only): GeoJSON
 * text checked by tz_geo_check_boundary (422 naming the part), at most
 * TZ_MAP_BOUNDARY_MAX bytes (413); audited. out: {source, features, bbox}.
 */
#define TZ_MAP_BOUNDARY_MAX (8u << 20)
enum tz_status tz_app_map_boundary_put(struct tz_call *call, const char *text, size_t len,
                                       struct json_object **out, struct tz_err *err);
/* Forgets the stored boundary (DELETE /map/boundary, admin only): back to the built-in. */
enum tz_status tz_app_map_boundary_delete(struct tz_call *call, struct tz_err *err);
/*
 * The located items the caller may see, scoped as GET /items (GET /map/items):
 * {items: [{id, code, title, ledger, status, light, lat, lon, address,
 * lead_unit_id}], truncated}, at most TZ_MAP_ITEMS_MAX of them.
 */
#define TZ_MAP_ITEMS_MAX 20000
enum tz_status tz_app_map_items(struct tz_call *call, struct json_object **out, struct tz_err *err);

/* ---- notifications (app_notify.c) ---- */
/*
 * Sets the notification settings from text (NULL leaves a value as it is):
 * at "HH:MM" or "off", public_url an http(s) URL, backoff seconds "30,120,…"
 * (at most TZ_NOTIFY_MAX_ATTEMPTS - 1 waits). 422 naming the setting.
 */
enum tz_status tz_config_notify(struct tz_config *cfg, const char *at, const char *public_url,
                                const char *backoff, struct tz_err *err);
/*
 * The admin API of the robot channels (admin only, else 403). A channel is
 * {id, unit_id, unit_name, kind, name, url (masked), has_secret, msgtype,
 * enabled, created_at, updated_at}: the URL's key and the secret are never
 * shown. create/update take {unit_id, kind, name, url, secret, msgtype,
 * enabled}; a URL must be http(s) (422 "url"). Changes are audited.
 */
enum tz_status tz_app_notify_channels(struct tz_call *call, struct json_object **out,
                                      struct tz_err *err);
enum tz_status tz_app_notify_channel_create(struct tz_call *call, struct json_object *body,
                                            struct json_object **out, struct tz_err *err);
enum tz_status tz_app_notify_channel_update(struct tz_call *call, int64_t id,
                                            struct json_object *body, struct json_object **out,
                                            struct tz_err *err);
enum tz_status tz_app_notify_channel_delete(struct tz_call *call, int64_t id, struct tz_err *err);
/* Queues a test message on the channel (sent by the sender thread): {message_id}. */
enum tz_status tz_app_notify_channel_test(struct tz_call *call, int64_t id,
                                          struct json_object **out, struct tz_err *err);
/* Outbox messages in a state (NULL: any; pending, sending, sent, dead), newest first. */
enum tz_status tz_app_notify_outbox(struct tz_call *call, const char *state,
                                    struct json_object **out, struct tz_err *err);
/* Re-queues a dead message (attempts from 0). 404 when it is not dead. */
enum tz_status tz_app_notify_retry(struct tz_call *call, int64_t id, struct json_object **out,
                                   struct tz_err *err);
/* Writes today's digests now (idempotent: one per unit, channel and day): {day, queued}. */
enum tz_status tz_app_notify_daily_run(struct tz_call *call, struct json_object **out,
                                       struct tz_err *err);
/*
 * Inside the caller's open transaction: a 催办 or 督办 (action remind or
 * supervise) of the item becomes one outbox message per enabled channel of its
 * lead unit, keyed action:<item>:<event seq>:<channel>.
 */
enum tz_status tz_app_notify_urged(struct tz_call *call, const struct tz_item *it, bool supervise,
                                   const char *comment, int64_t event_seq, struct tz_err *err);

/* What the sender thread delivers: a claimed message and its channel. */
struct tz_notify_job {
    struct tz_outbox_msg msg;
    struct tz_notify_channel channel;
    bool has_channel; /* false: the channel was deleted meanwhile */
    const char *unit_code;
};
/* Claims the next due message (strings from a). *found_out false when none. Thread-safe. */
enum tz_status tz_app_notify_claim(struct tz_ctx *ctx, struct tz_arena *a,
                                   struct tz_notify_job *job, bool *found_out, struct tz_err *err);
/* Records the outcome: sent, or retried after the backoff, or dead after the last attempt. */
enum tz_status tz_app_notify_settle(struct tz_ctx *ctx, const struct tz_notify_job *job,
                                    enum tz_notify_verdict v, const char *why, struct tz_err *err);
/*
 * The daily job's clock: when the local time of day has reached notify_at and
 * no server has run today's digest yet (table notify_runs), writes it.
 * *ran_out says whether this call did; *checked_day (the caller's memory,
 * TZ_DAY_NONE at first) skips the database once the day is settled.
 * Thread-safe; several servers agree through the database.
 */
enum tz_status tz_app_notify_daily_tick(struct tz_ctx *ctx, int32_t *checked_day, bool *ran_out,
                                        struct tz_err *err);

/* ---- set-up (app_setup.c) ---- */
/* Creates the ROOT unit and the first admin. Prints nothing. */
enum tz_status tz_app_init(struct tz_ctx *ctx, const char *admin_user, const char *admin_password,
                           struct tz_err *err);
/* Loads the Chengdong demo (data/demo/chengdong.json) through the use cases. */
enum tz_status tz_app_demo(struct tz_ctx *ctx, struct tz_err *err);

#endif
