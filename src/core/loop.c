/*
 * loop.c - the closed loop (闭环) of SPEC 2.4 as data: who may see an item, who
 * may take which action from which state, what the action requires and what it
 * changes (see loop.h).
 *
 * DESIGN
 *
 * Every action is one row of `transitions[]`, indexed by enum tz_action:
 *   from   the states it may start from (a mask of 1u << state);
 *   roles  the roles that may take it (a user holds a union of roles);
 *   rel    how the actor's unit subtree must relate to the item: any item
 *          (supervisor, leader), holding the lead unit, or holding the lead or
 *          a co-unit;
 *   when   conditions checked together with the state (409 invalid_transition):
 *          an extension pending or not, the supervise level below its maximum;
 *   needs  requirements (422 validation_failed), as bits whose order is the
 *          SPEC's order of fields (lead_unit_id, deadline, comment, progress,
 *          attachments, report_every_days), so the lowest failing bit names the
 *          field the SPEC says answers first;
 *   to     the state it leads to (TZ__STATE_COUNT: the state stays);
 *   effect what else it changes, beyond state, version and updated_at.
 *
 * tz_loop_check walks one row in the SPEC's order: roles (403) -> version (409
 * version_conflict) -> state and `when` (409 invalid_transition) -> `needs`
 * (422). tz_loop_allowed is the same walk without version and needs, so the UI
 * offers exactly the actions the API would try. Nothing here allocates or keeps
 * state; every function is pure and thread-safe.
 *
 * Invariants kept by the table: a pending extension exists only in in_progress
 * (only request_extension creates one, only from in_progress; submit,
 * approve_extension and deny_extension clear it), and `supervised` stays in 0..2.
 */
#include "tz/loop.h"

#include "tz/date.h"

#include <stddef.h>

#define SUPERVISED_MAX 2

#define S(x)      (1u << TZ_STATE_##x)
#define OPEN      (S(ASSIGNED) | S(IN_PROGRESS) | S(SUBMITTED) | S(ONGOING))
#define ANY_STATE ((1u << TZ__STATE_COUNT) - 1u)
#define STAY      TZ__STATE_COUNT

/* How the actor's unit subtree must relate to the item. */
enum relation {
    REL_ANY,        /* no unit condition */
    REL_LEAD,       /* the subtree holds the lead unit */
    REL_LEAD_OR_CO, /* the subtree holds the lead unit or a co-unit */
};

/* Conditions checked with the state: failing one is 409 invalid_transition. */
enum {
    WHEN_PENDING = 1u << 0,       /* an extension request is pending */
    WHEN_NOT_PENDING = 1u << 1,   /* no extension request is pending */
    WHEN_BELOW_MAX_SUP = 1u << 2, /* supervised < SUPERVISED_MAX */
};

/* Requirements, checked from the lowest bit up: the SPEC's order of fields. */
enum {
    NEED_LEAD_UNIT = 1u << 0,     /* lead_unit_id: the item has a lead unit */
    NEED_ITEM_DEADLINE = 1u << 1, /* deadline: the item has a deadline */
    NEED_DEADLINE = 1u << 2,      /* deadline: the request names one */
    NEED_LATER = 1u << 3,         /* deadline: later than the item's, which has not passed */
    NEED_NOT_EARLIER = 1u << 4,   /* deadline: if named, not before the requested extension */
    NEED_COMMENT = 1u << 5,       /* comment: present and not blank */
    NEED_PROGRESS_100 = 1u << 6,  /* progress: the item's progress is 100 */
    NEED_ATTACHMENT = 1u << 7,    /* attachments: at least one piece of evidence */
    NEED_EVERY_DAYS = 1u << 8,    /* report_every_days: a positive cadence */
    NEED_UNBLOCKED = 1u << 9,     /* env->accept_block: no ledger rule forbids accept */
};

typedef void effect_fn(struct tz_item *it, const struct tz_actor *a,
                       const struct tz_action_req *req, const struct tz_loop_env *env);

struct transition {
    unsigned from;
    unsigned roles;
    enum relation rel;
    unsigned when;
    unsigned needs;
    unsigned to; /* enum tz_state, or STAY */
    effect_fn *effect;
};

static void clear_extension(struct tz_item *it)
{
    it->extension.pending = false;
    it->extension.deadline = TZ_DAY_NONE;
    it->extension.comment = NULL;
    it->extension.by = 0;
    it->extension.at = NULL;
}

static void do_assign(struct tz_item *it, const struct tz_actor *a, const struct tz_action_req *req,
                      const struct tz_loop_env *env)
{
    (void)a;
    (void)req;
    it->assigned_at = env->now;
    it->assigned_day = env->today;
    if (it->original_deadline == TZ_DAY_NONE)
        it->original_deadline = it->deadline;
}

static void do_object(struct tz_item *it, const struct tz_actor *a, const struct tz_action_req *req,
                      const struct tz_loop_env *env)
{
    (void)a;
    (void)req;
    (void)env;
    it->assigned_at = NULL;
    it->assigned_day = TZ_DAY_NONE;
}

static void do_report(struct tz_item *it, const struct tz_actor *a, const struct tz_action_req *req,
                      const struct tz_loop_env *env)
{
    /* A co-unit's share stays on the event; only the lead side moves the item. */
    if (req->has_progress && tz_loop_is_lead(it, a))
        it->progress = req->progress;
    it->last_report_day = env->today;
}

static void do_submit(struct tz_item *it, const struct tz_actor *a, const struct tz_action_req *req,
                      const struct tz_loop_env *env)
{
    (void)a;
    (void)req;
    it->submitted_day = env->today;
    clear_extension(it);
}

static void do_verify(struct tz_item *it, const struct tz_actor *a, const struct tz_action_req *req,
                      const struct tz_loop_env *env)
{
    (void)a;
    (void)req;
    int32_t at = it->submitted_day != TZ_DAY_NONE ? it->submitted_day : env->today;
    it->closed_at = env->now;
    it->on_time = it->deadline == TZ_DAY_NONE || at <= it->deadline;
}

static void do_keep_ongoing(struct tz_item *it, const struct tz_actor *a,
                            const struct tz_action_req *req, const struct tz_loop_env *env)
{
    (void)a;
    it->report_every_days = req->report_every_days;
    it->last_report_day = env->today;
}

static void do_request_extension(struct tz_item *it, const struct tz_actor *a,
                                 const struct tz_action_req *req, const struct tz_loop_env *env)
{
    it->extension.pending = true;
    it->extension.deadline = req->deadline;
    it->extension.comment = req->comment;
    it->extension.by = a->user_id;
    it->extension.at = env->now;
}

static void do_approve_extension(struct tz_item *it, const struct tz_actor *a,
                                 const struct tz_action_req *req, const struct tz_loop_env *env)
{
    (void)a;
    (void)env;
    int32_t d = it->extension.deadline;
    if (req->deadline != TZ_DAY_NONE && req->deadline > d)
        d = req->deadline;
    it->deadline = d;
    it->extension_count++;
    clear_extension(it);
}

static void do_deny_extension(struct tz_item *it, const struct tz_actor *a,
                              const struct tz_action_req *req, const struct tz_loop_env *env)
{
    (void)a;
    (void)req;
    (void)env;
    clear_extension(it);
}

static void do_remind(struct tz_item *it, const struct tz_actor *a, const struct tz_action_req *req,
                      const struct tz_loop_env *env)
{
    (void)a;
    (void)req;
    (void)env;
    it->remind_count++;
}

static void do_supervise(struct tz_item *it, const struct tz_actor *a,
                         const struct tz_action_req *req, const struct tz_loop_env *env)
{
    (void)a;
    (void)req;
    (void)env;
    it->supervised++;
}

static void do_reopen(struct tz_item *it, const struct tz_actor *a, const struct tz_action_req *req,
                      const struct tz_loop_env *env)
{
    (void)a;
    it->deadline = req->deadline;
    it->closed_at = NULL;
    it->on_time = -1;
    it->assigned_at = env->now;
    it->assigned_day = env->today;
    it->reopen_count++;
}

#define SUP  TZ_ROLE_SUPERVISOR
#define UNIT (TZ_ROLE_STAFF | TZ_ROLE_MANAGER)

/* The table of SPEC 2.4, one row per action. */
static const struct transition transitions[TZ__ACTION_COUNT] = {
    [TZ_ACTION_ASSIGN] = {S(DRAFT), SUP, REL_ANY, 0, NEED_LEAD_UNIT | NEED_ITEM_DEADLINE,
                          TZ_STATE_ASSIGNED, do_assign},
    [TZ_ACTION_ACCEPT] = {S(ASSIGNED), UNIT, REL_LEAD, 0, NEED_UNBLOCKED, TZ_STATE_IN_PROGRESS,
                          NULL},
    [TZ_ACTION_OBJECT] = {S(ASSIGNED), UNIT, REL_LEAD, 0, NEED_COMMENT, TZ_STATE_DRAFT, do_object},
    [TZ_ACTION_REPORT] = {S(IN_PROGRESS) | S(ONGOING), UNIT, REL_LEAD_OR_CO, 0, NEED_COMMENT, STAY,
                          do_report},
    [TZ_ACTION_SUBMIT] = {S(IN_PROGRESS), TZ_ROLE_MANAGER, REL_LEAD, 0,
                          NEED_PROGRESS_100 | NEED_ATTACHMENT, TZ_STATE_SUBMITTED, do_submit},
    [TZ_ACTION_VERIFY] = {S(SUBMITTED), SUP, REL_ANY, 0, NEED_COMMENT, TZ_STATE_CLOSED, do_verify},
    [TZ_ACTION_KEEP_ONGOING] = {S(SUBMITTED), SUP, REL_ANY, 0, NEED_COMMENT | NEED_EVERY_DAYS,
                                TZ_STATE_ONGOING, do_keep_ongoing},
    [TZ_ACTION_REJECT] = {S(SUBMITTED), SUP, REL_ANY, 0, NEED_COMMENT, TZ_STATE_IN_PROGRESS, NULL},
    [TZ_ACTION_REQUEST_EXTENSION] = {S(IN_PROGRESS), TZ_ROLE_MANAGER, REL_LEAD, WHEN_NOT_PENDING,
                                     NEED_DEADLINE | NEED_LATER | NEED_COMMENT, STAY,
                                     do_request_extension},
    [TZ_ACTION_APPROVE_EXTENSION] = {S(IN_PROGRESS), SUP, REL_ANY, WHEN_PENDING, NEED_NOT_EARLIER,
                                     STAY, do_approve_extension},
    [TZ_ACTION_DENY_EXTENSION] = {S(IN_PROGRESS), SUP, REL_ANY, WHEN_PENDING, 0, STAY,
                                  do_deny_extension},
    [TZ_ACTION_REMIND] = {OPEN, SUP, REL_ANY, 0, 0, STAY, do_remind},
    [TZ_ACTION_SUPERVISE] = {OPEN, SUP, REL_ANY, WHEN_BELOW_MAX_SUP, 0, STAY, do_supervise},
    [TZ_ACTION_REOPEN] = {S(CLOSED) | S(ONGOING), SUP, REL_ANY, 0, NEED_DEADLINE | NEED_COMMENT,
                          TZ_STATE_IN_PROGRESS, do_reopen},
    [TZ_ACTION_CANCEL] = {S(DRAFT) | S(ASSIGNED) | S(REGISTERED), SUP, REL_ANY, 0, NEED_COMMENT,
                          TZ_STATE_CANCELLED, NULL},
    [TZ_ACTION_INSTRUCT] = {ANY_STATE, TZ_ROLE_LEADER, REL_ANY, 0, NEED_COMMENT, STAY, NULL},
};

_Static_assert(sizeof(transitions) / sizeof(transitions[0]) == TZ__ACTION_COUNT,
               "one transition row per action");
_Static_assert(TZ__STATE_COUNT < 32, "state masks fit in unsigned");

bool tz_loop_is_lead(const struct tz_item *it, const struct tz_actor *a)
{
    return it->lead_unit_id != 0 && tz_actor_in_subtree(a, it->lead_unit_id);
}

bool tz_loop_is_lead_or_co(const struct tz_item *it, const struct tz_actor *a)
{
    if (tz_loop_is_lead(it, a))
        return true;
    for (size_t i = 0; i < it->n_co_units; i++)
        if (tz_actor_in_subtree(a, it->co_unit_ids[i]))
            return true;
    return false;
}

/* Was the item ever handed to its units? assign stamps it; object takes it back. */
static bool was_assigned(const struct tz_item *it)
{
    return it->assigned_at != NULL || it->assigned_day != TZ_DAY_NONE;
}

bool tz_loop_visible(const struct tz_item *it, const struct tz_actor *a)
{
    if ((a->roles & TZ_ROLES_ITEM) == 0)
        return false;
    if (a->roles & (TZ_ROLE_SUPERVISOR | TZ_ROLE_LEADER))
        return true;
    switch (it->state) {
    case TZ_STATE_REGISTERED:
        return true;
    case TZ_STATE_DRAFT:
        return false;
    case TZ_STATE_CANCELLED:
        if (!was_assigned(it))
            return false;
        break;
    default:
        break;
    }
    return tz_loop_is_lead_or_co(it, a);
}

static const struct transition *row_of(enum tz_action action)
{
    return (unsigned)action < TZ__ACTION_COUNT ? &transitions[action] : NULL;
}

static bool roles_allow(const struct transition *t, const struct tz_item *it,
                        const struct tz_actor *a)
{
    if ((a->roles & t->roles) == 0)
        return false;
    switch (t->rel) {
    case REL_LEAD:
        return tz_loop_is_lead(it, a);
    case REL_LEAD_OR_CO:
        return tz_loop_is_lead_or_co(it, a);
    case REL_ANY:
        break;
    }
    return true;
}

static bool state_allows(const struct transition *t, const struct tz_item *it)
{
    if ((unsigned)it->state >= TZ__STATE_COUNT || (t->from & (1u << it->state)) == 0)
        return false;
    if ((t->when & WHEN_PENDING) && !it->extension.pending)
        return false;
    if ((t->when & WHEN_NOT_PENDING) && it->extension.pending)
        return false;
    if ((t->when & WHEN_BELOW_MAX_SUP) && it->supervised >= SUPERVISED_MAX)
        return false;
    return true;
}

/* A comment counts only when it holds something besides ASCII white space. */
static bool has_text(const char *s)
{
    if (!s)
        return false;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return true;
    return false;
}

/* The first requirement of t that the request does not meet, lowest bit first. */
static enum tz_status check_needs(const struct transition *t, const struct tz_item *it,
                                  const struct tz_action_req *req, const struct tz_loop_env *env,
                                  struct tz_err *err)
{
    const char *name = tz_action_name(req->action);
    unsigned n = t->needs;

    if ((n & NEED_LEAD_UNIT) && it->lead_unit_id == 0)
        return tz_err_field(err, TZ_EINVAL, "lead_unit_id", "'%s' needs a lead unit", name);
    if ((n & NEED_ITEM_DEADLINE) && it->deadline == TZ_DAY_NONE)
        return tz_err_field(err, TZ_EINVAL, "deadline", "'%s' needs a deadline", name);
    if ((n & NEED_DEADLINE) && req->deadline == TZ_DAY_NONE)
        return tz_err_field(err, TZ_EINVAL, "deadline", "'%s' needs a new 'deadline'", name);
    if ((n & NEED_LATER) && it->deadline != TZ_DAY_NONE) {
        if (env->today > it->deadline)
            return tz_err_field(err, TZ_EINVAL, "deadline",
                                "the deadline has passed; an extension must be asked before it");
        if (req->deadline <= it->deadline)
            return tz_err_field(err, TZ_EINVAL, "deadline",
                                "'deadline' must be later than the current deadline");
    }
    if ((n & NEED_NOT_EARLIER) && req->deadline != TZ_DAY_NONE &&
        req->deadline < it->extension.deadline)
        return tz_err_field(err, TZ_EINVAL, "deadline",
                            "'deadline' may not be earlier than the requested one");
    if ((n & NEED_COMMENT) && !has_text(req->comment))
        return tz_err_field(err, TZ_EINVAL, "comment", "'%s' needs a 'comment'", name);
    if ((n & NEED_PROGRESS_100) && it->progress != 100)
        return tz_err_field(err, TZ_EINVAL, "progress", "'%s' needs progress 100", name);
    if ((n & NEED_ATTACHMENT) && env->n_attachments == 0)
        return tz_err_field(err, TZ_EINVAL, "attachments", "'%s' needs at least one attachment",
                            name);
    if ((n & NEED_EVERY_DAYS) && req->report_every_days <= 0)
        return tz_err_field(err, TZ_EINVAL, "report_every_days",
                            "'%s' needs a positive 'report_every_days'", name);
    if ((n & NEED_UNBLOCKED) && env->accept_block)
        return tz_err_field(err, TZ_EINVAL, env->accept_block, "'%s' is required before '%s'",
                            env->accept_block, name);
    return TZ_OK;
}

enum tz_status tz_loop_check(const struct tz_item *it, const struct tz_actor *a,
                             const struct tz_action_req *req, const struct tz_loop_env *env,
                             struct tz_err *err)
{
    const struct transition *t = row_of(req->action);
    const char *name = tz_action_name(req->action);

    tz_err_clear(err);
    if (!t)
        return tz_err_field(err, TZ_EINVAL, "action", "unknown 'action'");
    if (!roles_allow(t, it, a))
        return tz_err_set(err, TZ_EFORBIDDEN, "your roles do not allow '%s' on this item", name);
    if (req->version != it->version)
        return tz_err_set(err, TZ_ECONFLICT, "'version' %lld is stale; the item is at version %lld",
                          (long long)req->version, (long long)it->version);
    if (!state_allows(t, it))
        return tz_err_set(err, TZ_ETRANSITION, "'%s' is not allowed on an item in '%s'", name,
                          tz_state_name(it->state));
    return check_needs(t, it, req, env, err);
}

void tz_loop_apply(struct tz_item *it, const struct tz_actor *a, const struct tz_action_req *req,
                   const struct tz_loop_env *env)
{
    const struct transition *t = row_of(req->action);

    if (!t)
        return;
    if (t->to != STAY)
        it->state = (enum tz_state)t->to;
    if (t->effect)
        t->effect(it, a, req, env);
    it->version++;
    it->updated_at = env->now;
}

unsigned tz_loop_allowed(const struct tz_item *it, const struct tz_actor *a)
{
    unsigned mask = 0;

    for (unsigned i = 0; i < TZ__ACTION_COUNT; i++)
        if (roles_allow(&transitions[i], it, a) && state_allows(&transitions[i], it))
            mask |= 1u << i;
    return mask;
}

enum tz_status tz_loop_check_edit(const struct tz_item *it, const struct tz_actor *a,
                                  bool changes_deadline_or_lead, struct tz_err *err)
{
    tz_err_clear(err);
    if ((a->roles & TZ_ROLE_SUPERVISOR) == 0)
        return tz_err_set(err, TZ_EFORBIDDEN, "only a supervisor may edit an item");
    if (it->state == TZ_STATE_CLOSED || it->state == TZ_STATE_CANCELLED)
        return tz_err_set(err, TZ_ETRANSITION, "an item in '%s' cannot be edited",
                          tz_state_name(it->state));
    if (changes_deadline_or_lead && it->state != TZ_STATE_DRAFT)
        return tz_err_set(err, TZ_ETRANSITION,
                          "'deadline' and 'lead_unit_id' change only on a draft; use "
                          "'approve_extension' or 'reopen'");
    return TZ_OK;
}

enum tz_status tz_loop_check_attach(const struct tz_item *it, const struct tz_actor *a,
                                    struct tz_err *err)
{
    bool unit_side = (a->roles & UNIT) != 0 && tz_loop_is_lead_or_co(it, a);

    tz_err_clear(err);
    if ((a->roles & TZ_ROLE_SUPERVISOR) == 0 && !unit_side)
        return tz_err_set(err, TZ_EFORBIDDEN, "your roles do not allow uploading evidence here");
    if (!tz_state_is_open(it->state))
        return tz_err_set(err, TZ_ETRANSITION, "evidence is uploaded only while the item is open");
    return TZ_OK;
}
