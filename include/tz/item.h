/*
 * item.h - the vocabulary of the domain: states, lights, roles, actions, the
 * item core and the actor who acts on it.
 *
 * These are plain values. Strings inside a struct tz_item are borrowed: they
 * belong to whoever filled the struct (usually a request arena) and live as long
 * as it does. Every name table here is static; all functions are pure and
 * thread-safe.
 */
#ifndef TZ_ITEM_H
#define TZ_ITEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* States of the closed loop (SPEC 2.4). `registered` is the state of register ledgers. */
enum tz_state {
    TZ_STATE_DRAFT,
    TZ_STATE_ASSIGNED,
    TZ_STATE_IN_PROGRESS,
    TZ_STATE_SUBMITTED,
    TZ_STATE_CLOSED,
    TZ_STATE_ONGOING,
    TZ_STATE_CANCELLED,
    TZ_STATE_REGISTERED,
    TZ__STATE_COUNT
};

/* Lights (SPEC 2.5). */
enum tz_light {
    TZ_LIGHT_NONE,
    TZ_LIGHT_GREEN,
    TZ_LIGHT_YELLOW,
    TZ_LIGHT_RED,
    TZ_LIGHT_DONE,
    TZ__LIGHT_COUNT
};

/* Roles are bits of a mask (SPEC 2.2). */
enum tz_role {
    TZ_ROLE_ADMIN = 1u << 0,
    TZ_ROLE_AUDITOR = 1u << 1,
    TZ_ROLE_LEADER = 1u << 2,
    TZ_ROLE_SUPERVISOR = 1u << 3,
    TZ_ROLE_MANAGER = 1u << 4,
    TZ_ROLE_STAFF = 1u << 5,
    TZ_ROLE_VIEWER = 1u << 6,
};
#define TZ_ROLE_COUNT 7
/* Roles that may read items at all. */
#define TZ_ROLES_ITEM                                                                              \
    (TZ_ROLE_LEADER | TZ_ROLE_SUPERVISOR | TZ_ROLE_MANAGER | TZ_ROLE_STAFF | TZ_ROLE_VIEWER)

/* Actions of POST /items/{id}/actions (SPEC 2.4), in the table's order. */
enum tz_action {
    TZ_ACTION_ASSIGN,
    TZ_ACTION_ACCEPT,
    TZ_ACTION_OBJECT,
    TZ_ACTION_REPORT,
    TZ_ACTION_SUBMIT,
    TZ_ACTION_VERIFY,
    TZ_ACTION_KEEP_ONGOING,
    TZ_ACTION_REJECT,
    TZ_ACTION_REQUEST_EXTENSION,
    TZ_ACTION_APPROVE_EXTENSION,
    TZ_ACTION_DENY_EXTENSION,
    TZ_ACTION_REMIND,
    TZ_ACTION_SUPERVISE,
    TZ_ACTION_REOPEN,
    TZ_ACTION_CANCEL,
    TZ_ACTION_INSTRUCT,
    TZ__ACTION_COUNT
};

/* A pending extension request; `pending` false means none. */
struct tz_extension {
    bool pending;
    int32_t deadline;
    const char *comment;
    int64_t by; /* user id */
    const char *at;
};

/*
 * The item core (SPEC 2.3). Dates are day numbers (date.h), TZ_DAY_NONE when
 * absent; timestamps are ISO 8601 text with offset ("2026-11-29T10:15:02+08:00"),
 * NULL when absent. `fields_json` is the kind-specific object as compact JSON text.
 */
struct tz_item {
    int64_t id;
    const char *code;
    const char *ledger;
    const char *title;
    const char *description;
    const char *source;
    const char *leader;
    int64_t lead_unit_id; /* 0 when none */
    const int64_t *co_unit_ids;
    size_t n_co_units;
    const int64_t *link_ids; /* items linked to this one (最多报一次), kept both ways */
    size_t n_links;
    int32_t deadline;
    int32_t original_deadline;
    enum tz_state state;
    enum tz_light light;
    int progress;
    int extension_count;
    int supervised;
    int remind_count;
    int reopen_count;
    bool has_location;
    double lat, lon;
    const char *address;
    const char *fields_json;
    const char *created_at;
    const char *updated_at;
    const char *assigned_at;
    const char *closed_at;
    int32_t assigned_day;    /* date of assigned_at, TZ_DAY_NONE when not assigned */
    int32_t submitted_day;   /* date of the last submit, TZ_DAY_NONE when none */
    int32_t last_report_day; /* date of the last report (or of entering ongoing) */
    int report_every_days;   /* report cadence of ongoing items, 0 when none */
    int on_time;             /* -1 null, 0 false, 1 true */
    struct tz_extension extension;
    int64_t version;
};

/*
 * Who acts: the signed-in user, with the sorted ids of the user's unit and of
 * every unit below it (scope reaches down the tree, never up). Borrowed arrays.
 */
struct tz_actor {
    int64_t user_id;
    const char *username;
    int64_t unit_id;
    unsigned roles;
    const int64_t *subtree;
    size_t n_subtree;
};

const char *tz_state_name(enum tz_state s);
bool tz_state_parse(const char *s, enum tz_state *out);
/* assigned, in_progress, submitted or ongoing */
bool tz_state_is_open(enum tz_state s);

const char *tz_light_name(enum tz_light l);
bool tz_light_parse(const char *s, enum tz_light *out);

/* Name of a single role bit ("supervisor"), NULL for anything else. */
const char *tz_role_name(unsigned role_bit);
bool tz_role_parse(const char *s, unsigned *bit_out);

const char *tz_action_name(enum tz_action a);
bool tz_action_parse(const char *s, enum tz_action *out);
/* Chinese label of an action ("签收"). */
const char *tz_action_label(enum tz_action a);

/* True when unit_id is the actor's unit or below it (binary search of subtree). */
bool tz_actor_in_subtree(const struct tz_actor *a, int64_t unit_id);

#endif
