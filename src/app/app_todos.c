/*
 * app_todos.c - the to-do list (GET /todos): what waits for the caller's
 * action, as the closed loop (SPEC 2.4) hands work from one party to the next.
 *
 * A caller acts for up to three parties, from their roles: the lead unit
 * (staff and managers: items whose lead unit is in their subtree), the
 * supervision office (supervisors: every item) and the leaders (every item).
 * Each party's kinds are one branch of one store query (store.h, todos), so
 * the list never loads every item; docs/DECISIONS.md gives the rules. Every
 * to-do is an item the caller may see: the unit side asks only for items led
 * by the caller's subtree and past the draft, the other parties see every item.
 *
 * The answer: {today, count, counts, kinds, todos, truncated}; kinds in the
 * fixed order below, each with its Chinese label; to-dos most urgent first
 * (overdue first, then the soonest due date; none last).
 */
#include "app_internal.h"
#include "tz/date.h"
#include "tz/json.h"

#include <string.h>

#define TODO_LIMIT_MAX 500

/* The kinds, in the order the list presents them, with their labels. */
static const struct {
    const char *kind;
    const char *label;
} kinds[] = {
    {"accept", "待签收"},        {"rework", "退回重办"},
    {"reopened", "问题反弹"},    {"extension_denied", "延期未获批准"},
    {"due", "临期逾期"},         {"submit", "待申请销号"},
    {"report", "待报进展"},      {"verify", "待验收销号"},
    {"extension", "待审批延期"}, {"objection", "异议退回"},
    {"assign", "待交办"},        {"supervised_red", "督办红灯"},
};
#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static const char *kind_label(const char *kind)
{
    for (size_t i = 0; i < N_KINDS; i++)
        if (strcmp(kinds[i].kind, kind) == 0)
            return kinds[i].label;
    return kind;
}

static struct json_object *todo_json(const struct tz_todo *t, int32_t today)
{
    struct json_object *o = json_object_new_object(), *it = json_object_new_object();
    json_object_object_add(o, "kind", json_object_new_string(t->kind));
    json_object_object_add(o, "label", json_object_new_string(kind_label(t->kind)));
    json_object_object_add(it, "id", json_object_new_int64(t->id));
    json_object_object_add(it, "code", json_object_new_string(t->code));
    json_object_object_add(it, "title", json_object_new_string(t->title));
    json_object_object_add(it, "ledger", json_object_new_string(t->ledger));
    json_object_object_add(it, "status", json_object_new_string(t->status));
    json_object_object_add(it, "light", json_object_new_string(t->light));
    json_object_object_add(it, "deadline", tz_json_date(t->deadline));
    json_object_object_add(it, "lead_unit_id",
                           t->lead_unit_id ? json_object_new_int64(t->lead_unit_id) : NULL);
    json_object_object_add(o, "item", it);
    json_object_object_add(o, "since", tz_json_str_or_null(t->since));
    json_object_object_add(o, "due", tz_json_date(t->due));
    json_object_object_add(o, "overdue",
                           json_object_new_boolean(t->due != TZ_DAY_NONE && t->due < today));
    return o;
}

enum tz_status tz_app_todos(struct tz_call *call, int limit, struct json_object **out,
                            struct tz_err *err)
{
    const struct tz_actor *a = &call->actor;
    struct tz_todo_query q = {.limit = limit < 0 ? 0 : limit};
    if (q.limit > TODO_LIMIT_MAX)
        q.limit = TODO_LIMIT_MAX;
    if (a->roles & (TZ_ROLE_STAFF | TZ_ROLE_MANAGER)) {
        q.units = a->subtree;
        q.n_units = a->n_subtree;
        q.manager = (a->roles & TZ_ROLE_MANAGER) != 0;
    }
    q.office = (a->roles & TZ_ROLE_SUPERVISOR) != 0;
    q.leader = (a->roles & TZ_ROLE_LEADER) != 0;

    enum tz_status s = tz_app_lights_current(call, err);
    struct tz_todo *v = NULL;
    struct tz_todo_count *counts = NULL;
    size_t n = 0, n_counts = 0;
    if (s == TZ_OK)
        s = TZ_STORE(call->conn)
                ->todos(call->conn, &q, call->arena, &v, &n, &counts, &n_counts, err);
    if (s != TZ_OK)
        return s;

    int32_t today = tz_ctx_today(call->ctx);
    int64_t total = 0;
    struct json_object *o = json_object_new_object(), *by = json_object_new_object(),
                       *arr = json_object_new_array();
    for (size_t k = 0; k < N_KINDS; k++) {
        for (size_t i = 0; i < n_counts; i++) {
            if (strcmp(counts[i].kind, kinds[k].kind) != 0)
                continue;
            struct json_object *r = json_object_new_object();
            json_object_object_add(r, "kind", json_object_new_string(kinds[k].kind));
            json_object_object_add(r, "label", json_object_new_string(kinds[k].label));
            json_object_object_add(r, "count", json_object_new_int64(counts[i].n));
            json_object_array_add(arr, r);
            json_object_object_add(by, kinds[k].kind, json_object_new_int64(counts[i].n));
            total += counts[i].n;
        }
    }
    json_object_object_add(o, "today", tz_json_date(today));
    json_object_object_add(o, "count", json_object_new_int64(total));
    json_object_object_add(o, "counts", by);
    json_object_object_add(o, "kinds", arr);
    arr = json_object_new_array_ext((int)n);
    for (size_t i = 0; i < n; i++)
        json_object_array_add(arr, todo_json(&v[i], today));
    json_object_object_add(o, "todos", arr);
    json_object_object_add(o, "truncated", json_object_new_boolean((int64_t)n < total));
    *out = o;
    return TZ_OK;
}
