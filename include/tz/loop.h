/*
 * loop.h - the closed loop (闭环) as pure decisions: who may see an item, who
 * may do what to it from which state, and what an accepted action changes.
 *
 * The core never touches the store: the app loads the item and the actor,
 * asks tz_loop_check, applies tz_loop_apply to its copy and writes the result
 * in one transaction. Pure and thread-safe.
 *
 * Check order of SPEC 2.4, after sign-in, CSRF, visibility and body typing
 * (which the caller has done): roles (403 forbidden) -> version (409
 * version_conflict) -> state (409 invalid_transition) -> requirements (422
 * validation_failed naming the first missing field).
 */
#ifndef TZ_LOOP_H
#define TZ_LOOP_H

#include "tz/err.h"
#include "tz/item.h"

/* A decoded, typed action request. */
struct tz_action_req {
    enum tz_action action;
    const char *comment; /* NULL when absent; "" counts as absent where required */
    bool has_progress;
    int progress;          /* 0..100, checked by the decoder */
    int32_t deadline;      /* TZ_DAY_NONE when absent */
    int report_every_days; /* 0 when absent */
    int64_t version;
};

/* What the check needs to know beyond the item and the actor. */
struct tz_loop_env {
    int32_t today;
    const char *now;          /* business timestamp text for stamps the action writes */
    size_t n_attachments;     /* evidence on the item */
    const char *accept_block; /* non-NULL: a ledger rule forbids accept; names the field (422) */
};

/*
 * True when the actor may see the item (SPEC 2.2): supervisors and leaders see
 * every item; staff, managers and viewers see items whose lead or co-unit is in
 * their subtree, except drafts and items cancelled without ever being assigned;
 * registered (register ledger) items are seen by every holder of an item role;
 * admin and auditor see none.
 */
bool tz_loop_visible(const struct tz_item *it, const struct tz_actor *a);

/* True when the actor's unit subtree holds the lead unit / the lead or a co-unit. */
bool tz_loop_is_lead(const struct tz_item *it, const struct tz_actor *a);
bool tz_loop_is_lead_or_co(const struct tz_item *it, const struct tz_actor *a);

/*
 * Decides whether the actor may take the action now. `version` is compared with
 * it->version. TZ_OK or the first failing check, with err filled.
 */
enum tz_status tz_loop_check(const struct tz_item *it, const struct tz_actor *a,
                             const struct tz_action_req *req, const struct tz_loop_env *env,
                             struct tz_err *err);

/*
 * Applies an action already accepted by tz_loop_check to *it: state, deadline,
 * progress, counters, stamps (env->now, env->today), the pending extension, and
 * version + 1. Strings stored into *it are borrowed from req and env.
 */
void tz_loop_apply(struct tz_item *it, const struct tz_actor *a, const struct tz_action_req *req,
                   const struct tz_loop_env *env);

/* Bit mask (1u << action) of the actions tz_loop_check would let the actor try now, ignoring
 * requirements. */
unsigned tz_loop_allowed(const struct tz_item *it, const struct tz_actor *a);

/*
 * May the actor PATCH the item? Supervisors only (403); closed or cancelled is
 * 409; changing deadline or lead unit after draft is 409 invalid_transition.
 */
enum tz_status tz_loop_check_edit(const struct tz_item *it, const struct tz_actor *a,
                                  bool changes_deadline_or_lead, struct tz_err *err);

/*
 * May the actor upload evidence? Supervisors and the lead or co-units' staff and
 * managers (403), while the item is open (409).
 */
enum tz_status tz_loop_check_attach(const struct tz_item *it, const struct tz_actor *a,
                                    struct tz_err *err);

#endif
