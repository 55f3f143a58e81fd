/*
 * app_internal.h - what the use-case files share among themselves and nobody
 * else: snapshot queries of the context and JSON renderers.
 */
#ifndef TZ_APP_INTERNAL_H
#define TZ_APP_INTERNAL_H

#include "tz/app.h"
#include "tz/loop.h"
#include "tz/strbuf.h"

enum tz_status tz_ctx_reload_units(struct tz_ctx *ctx, struct tz_store_conn *conn,
                                   struct tz_err *err);
enum tz_status tz_ctx_reload_calendar(struct tz_ctx *ctx, struct tz_store_conn *conn,
                                      struct tz_err *err);
/* A copy (in the arena) of the unit with this id, or NULL. */
const struct tz_unit *tz_ctx_unit(struct tz_ctx *ctx, int64_t id, struct tz_arena *a);
/* Sorted ids of root and every unit below it. */
size_t tz_ctx_subtree(struct tz_ctx *ctx, int64_t root, struct tz_arena *a, int64_t **out);

struct json_object *tz_json_unit(const struct tz_unit *u);
struct json_object *tz_json_user(const struct tz_user *u);
/* The roles mask as a JSON array of names. */
struct json_object *tz_json_roles(unsigned roles);
struct json_object *tz_json_date(int32_t day);
struct json_object *tz_json_str_or_null(const char *s);

/* Reloads snapshots after a committed change; a failure only marks them stale (retried). */
void tz_ctx_refresh_after_commit(struct tz_call *call, bool units, bool calendar);

/*
 * List totals by filter key, each valid for the data version and light day it
 * was counted at: counting a million rows once, not on every page. Thread-safe.
 */
struct tz_count_cache *tz_count_cache_new(void);
void tz_count_cache_free(struct tz_count_cache *cc);
/* The cached total, or -1. */
int64_t tz_count_cache_get(struct tz_count_cache *cc, const char *key, int64_t version, int day);
void tz_count_cache_put(struct tz_count_cache *cc, const char *key, int64_t version, int day,
                        int64_t total);
/* The same for rendered answers (the dashboard): a heap copy the caller frees, or NULL. */
char *tz_count_cache_get_text(struct tz_count_cache *cc, const char *key, int64_t version, int day);
void tz_count_cache_put_text(struct tz_count_cache *cc, const char *key, int64_t version, int day,
                             const char *text);

/* Forgets the day the lights were computed for (inside the caller's transaction). */
void tz_app_lights_invalidate(struct tz_call *call);

/* For the evidence use cases (app_items.c): the item if the caller may see it (else 404). */
enum tz_status tz_app_item_load_visible(struct tz_call *call, int64_t id, struct tz_item *it,
                                        struct tz_err *err);
/* Records an upload on the item (version, event, audit) inside the caller's transaction. */
enum tz_status tz_app_item_attached(struct tz_call *call, struct tz_item *it,
                                    const struct tz_attachment *at, struct tz_err *err);

/* The searchable text of an item (all but its title), without protected personal data. */
void tz_app_search_text(const struct tz_item *it, struct tz_strbuf *body);
/* (Re)writes the item's searchable text, inside the caller's transaction. */
enum tz_status tz_app_search_index(struct tz_call *call, const struct tz_item *it,
                                   struct tz_err *err);

/* Indexes, once, the items written before the search index existed. */
enum tz_status tz_app_search_backfill(struct tz_ctx *ctx, struct tz_err *err);

/* ---- ledger rules (app_rules.c, app_series.c) ---- */

struct tz_pace_rules;
/* The item's kind-specific fields as a new object (caller puts it), never NULL. */
struct json_object *tz_rules_fields(const struct tz_item *it);
/*
 * Raises an open item's light l by its ledger's rules (milestones, pace,
 * water class); never lowers it. Reads ctx's ledgers and calendar: call with
 * ctx->lock held for reading.
 */
enum tz_light tz_rules_light(struct tz_ctx *ctx, const struct tz_item *it, int32_t today,
                             enum tz_light l);
/* The first missing part of a 重大 hazard's 五到位 plan (a field key), or NULL. */
const char *tz_rules_accept_block(const struct tz_item *it);
/*
 * Derives what follows from the fields about to be written: computed fields
 * (risk level, series summary), progress, 督办, review cadence. 422 naming the
 * field when the fields break a rule (an LEC factor outside its table, petition
 * dates out of order). Rewrites it->fields_json in the call's arena.
 */
enum tz_status tz_rules_apply(struct tz_call *call, struct tz_item *it, struct tz_err *err);
/* Appends the keys an item shows beside its fields (",\"clocks\":[...]", ",\"pace\":{...}"). */
void tz_rules_render(struct tz_call *call, const struct tz_item *it, struct tz_strbuf *sb);
/* The pace rules of a ledger (its settings over DOMAIN 7.3's defaults). */
void tz_rules_pace(struct tz_ctx *ctx, const char *ledger, struct tz_pace_rules *r);
/*
 * Writes the computed summary of the item's latest series period into fields
 * (indicator: pace_light, pace_reason, latest_period; eco_problem: water_class,
 * complies, exceed, latest_period), or removes it when there is none.
 */
enum tz_status tz_series_summarize(struct tz_call *call, const struct tz_item *it,
                                   struct json_object *fields, struct tz_err *err);
/*
 * May the caller report a period of the item's series now (PUT
 * /items/{id}/series/{period} would not refuse it for its roles or state)? False
 * for items of a ledger without series. Thread-safe; reads only its arguments.
 */
bool tz_series_may_report(struct tz_call *call, const struct tz_item *it);
/*
 * Writes a change of an item (item, event, search text, tallies, audit) inside
 * the caller's transaction. before NULL for a creation.
 */
enum tz_status tz_app_item_record(struct tz_call *call, const struct tz_item *before,
                                  struct tz_item *after, const char *action,
                                  const struct tz_action_req *req, struct tz_err *err);
/*
 * The item's kind-specific fields as JSON text, as this caller may see them
 * (SPEC 3: a petitioner's name and contact masked for those who may not): the
 * stored text (borrowed from it) or a masked copy allocated from a.
 */
const char *tz_app_item_fields_text(struct tz_call *call, const struct tz_item *it,
                                    struct tz_arena *a);
/*
 * Readies a list query for the store, as GET /items does: checks its field
 * filters, brings the lights up to today, and sets the caller's scope and the
 * unit subtree. 422 naming a bad field filter.
 */
enum tz_status tz_app_list_prepare(struct tz_call *call, struct tz_list_query *q,
                                   struct tz_err *err);
/* The item as the API shows it, for this caller. */
struct json_object *tz_app_item_json(struct tz_call *call, const struct tz_item *it);
/* The light of an item today (takes ctx->lock). */
enum tz_light tz_app_item_light(struct tz_ctx *ctx, const struct tz_item *it, int32_t today);

/* Fills call->actor from call->user (subtree from the unit tree). */
void tz_app_make_actor(struct tz_call *call);

/* Runs under the store's write lock: begin, f, audit by f, commit. */
#define TZ_APP_BEGIN(call, err) tz_app_begin(call, err)
/* Opens the call's write transaction, forgetting changes noted in an earlier one. */
enum tz_status tz_app_begin(struct tz_call *call, struct tz_err *err);
/* Notes an item change (NULL: "refresh all") of the open transaction, for the streams. */
void tz_call_note_change(struct tz_call *call, const struct tz_item *it);
/* Publishes the noted changes (after a commit). */
void tz_call_publish_changes(struct tz_call *call);
/*
 * Tells the other servers on the database (store.h announce) what the call's
 * open transaction changes, for their live streams: sent if it commits. Does
 * nothing on a store one process serves.
 */
enum tz_status tz_call_announce(struct tz_call *call, struct tz_err *err);
/* What another server announced (payload), for the streams here; NULL: anything may have been
 * missed. */
void tz_ctx_heard(const char *payload, void *ctx);

/* Commits, bumping the context's data version and publishing the noted changes. */
enum tz_status tz_app_commit(struct tz_call *call, struct tz_err *err);
/* Ends the transaction TZ_APP_BEGIN opened: commits when s is TZ_OK, else rolls back and
 * returns s (the error already in err). */
enum tz_status tz_app_end(struct tz_call *call, enum tz_status s, struct tz_err *err);

/* ---- import (app_import.c) uses the create and PATCH paths without their writes ---- */
/*
 * Decodes and validates a POST /items body into *it exactly as a create does
 * (403 for a caller who may not create, 422 naming the field), without writing
 * it: it->code is NULL until tz_app_item_record numbers it. Strings in the
 * call's arena.
 */
enum tz_status tz_app_item_build(struct tz_call *call, struct json_object *body, struct tz_item *it,
                                 struct tz_err *err);
/*
 * Applies a PATCH body (with its version) to a copy of cur into *next with
 * every check of PATCH /items/{id} (403, 409, 422), without writing it.
 */
enum tz_status tz_app_item_edit(struct tz_call *call, const struct tz_item *cur,
                                struct json_object *body, struct tz_item *next, struct tz_err *err);
/* True when an edit would change none of the fields an event compares. */
bool tz_app_item_same(const struct tz_item *a, const struct tz_item *b);

#endif
