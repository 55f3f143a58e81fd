/*
 * item.c - name tables of the domain vocabulary (see item.h).
 *
 * English codes travel in the API for states, lights, roles and actions; the
 * Chinese labels are for people.
 */
#include "tz/item.h"

#include <string.h>

static const char *const state_names[TZ__STATE_COUNT] = {
    [TZ_STATE_DRAFT] = "draft",
    [TZ_STATE_ASSIGNED] = "assigned",
    [TZ_STATE_IN_PROGRESS] = "in_progress",
    [TZ_STATE_SUBMITTED] = "submitted",
    [TZ_STATE_CLOSED] = "closed",
    [TZ_STATE_ONGOING] = "ongoing",
    [TZ_STATE_CANCELLED] = "cancelled",
    [TZ_STATE_REGISTERED] = "registered",
};

static const char *const light_names[TZ__LIGHT_COUNT] = {
    [TZ_LIGHT_NONE] = "none", [TZ_LIGHT_GREEN] = "green", [TZ_LIGHT_YELLOW] = "yellow",
    [TZ_LIGHT_RED] = "red",   [TZ_LIGHT_DONE] = "done",
};

static const char *const role_names[TZ_ROLE_COUNT] = {
    "admin", "auditor", "leader", "supervisor", "manager", "staff", "viewer",
};

static const struct {
    const char *name;
    const char *label;
} actions[TZ__ACTION_COUNT] = {
    [TZ_ACTION_ASSIGN] = {"assign", "交办"},
    [TZ_ACTION_ACCEPT] = {"accept", "签收"},
    [TZ_ACTION_OBJECT] = {"object", "异议退回"},
    [TZ_ACTION_REPORT] = {"report", "报进展"},
    [TZ_ACTION_SUBMIT] = {"submit", "申请销号"},
    [TZ_ACTION_VERIFY] = {"verify", "验收销号"},
    [TZ_ACTION_KEEP_ONGOING] = {"keep_ongoing", "转长期坚持"},
    [TZ_ACTION_REJECT] = {"reject", "退回"},
    [TZ_ACTION_REQUEST_EXTENSION] = {"request_extension", "申请延期"},
    [TZ_ACTION_APPROVE_EXTENSION] = {"approve_extension", "批准延期"},
    [TZ_ACTION_DENY_EXTENSION] = {"deny_extension", "不予延期"},
    [TZ_ACTION_REMIND] = {"remind", "催办"},
    [TZ_ACTION_SUPERVISE] = {"supervise", "督办"},
    [TZ_ACTION_REOPEN] = {"reopen", "问题反弹"},
    [TZ_ACTION_CANCEL] = {"cancel", "撤销"},
    [TZ_ACTION_INSTRUCT] = {"instruct", "批示"},
};

const char *tz_state_name(enum tz_state s)
{
    return (unsigned)s < TZ__STATE_COUNT ? state_names[s] : "unknown";
}

bool tz_state_parse(const char *s, enum tz_state *out)
{
    for (int i = 0; i < TZ__STATE_COUNT; i++) {
        if (strcmp(s, state_names[i]) == 0) {
            *out = (enum tz_state)i;
            return true;
        }
    }
    return false;
}

bool tz_state_is_open(enum tz_state s)
{
    return s == TZ_STATE_ASSIGNED || s == TZ_STATE_IN_PROGRESS || s == TZ_STATE_SUBMITTED ||
           s == TZ_STATE_ONGOING;
}

const char *tz_light_name(enum tz_light l)
{
    return (unsigned)l < TZ__LIGHT_COUNT ? light_names[l] : "none";
}

bool tz_light_parse(const char *s, enum tz_light *out)
{
    for (int i = 0; i < TZ__LIGHT_COUNT; i++) {
        if (strcmp(s, light_names[i]) == 0) {
            *out = (enum tz_light)i;
            return true;
        }
    }
    return false;
}

const char *tz_role_name(unsigned role_bit)
{
    for (int i = 0; i < TZ_ROLE_COUNT; i++)
        if (role_bit == 1u << i)
            return role_names[i];
    return NULL;
}

bool tz_role_parse(const char *s, unsigned *bit_out)
{
    for (int i = 0; i < TZ_ROLE_COUNT; i++) {
        if (strcmp(s, role_names[i]) == 0) {
            *bit_out = 1u << i;
            return true;
        }
    }
    return false;
}

const char *tz_action_name(enum tz_action a)
{
    return (unsigned)a < TZ__ACTION_COUNT ? actions[a].name : "unknown";
}

const char *tz_action_label(enum tz_action a)
{
    return (unsigned)a < TZ__ACTION_COUNT ? actions[a].label : "";
}

bool tz_action_parse(const char *s, enum tz_action *out)
{
    for (int i = 0; i < TZ__ACTION_COUNT; i++) {
        if (strcmp(s, actions[i].name) == 0) {
            *out = (enum tz_action)i;
            return true;
        }
    }
    return false;
}

bool tz_actor_in_subtree(const struct tz_actor *a, int64_t unit_id)
{
    size_t lo = 0, hi = a->n_subtree;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a->subtree[mid] == unit_id)
            return true;
        if (a->subtree[mid] < unit_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}
