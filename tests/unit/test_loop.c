/*
 * test_loop.c - the closed loop (loop.h) against SPEC 2.2 and 2.4.
 *
 * The heart is test_matrix: every state x every action x every combination of
 * the seven roles x five positions of the actor's unit relative to the item,
 * with an extension pending and not, is checked against an expected answer
 * computed here from this file's own reading of the SPEC: a per-role table of
 * what each role may do and where (SPEC 2.2), and a per-action table of the
 * states each action starts from and leads to (SPEC 2.4), both written as text.
 * It shares nothing with loop.c's table. The other tests pin the requirements
 * (422 and their field), the precedence of the checks, the effect of each
 * action, visibility, PATCH and upload permissions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tz/date.h"
#include "tz/loop.h"

#include <stdio.h>
#include <string.h>

/*
 * The unit tree of the tests:
 *   1 district
 *   +-- 10 department A (the lead unit)  +-- 110 office under A
 *   +-- 20 department B (the co-unit)
 *   +-- 30 department C (unrelated)
 */
enum { U_ROOT = 1, U_A = 10, U_B = 20, U_C = 30, U_A1 = 110 };

static const int64_t sub_root[] = {U_ROOT, U_A, U_B, U_C, U_A1};
static const int64_t sub_a[] = {U_A, U_A1};
static const int64_t sub_b[] = {U_B};
static const int64_t sub_c[] = {U_C};
static const int64_t sub_a1[] = {U_A1};
static const int64_t co_units[] = {U_B};

/* Where the actor sits, and what that makes it to the item. */
enum sees { SEES_NONE, SEES_CO, SEES_LEAD };

static const struct position {
    const char *name;
    int64_t unit;
    const int64_t *subtree;
    size_t n;
    enum sees sees;
} positions[] = {
    {"lead unit", U_A, sub_a, 2, SEES_LEAD},
    {"above the lead unit", U_ROOT, sub_root, 5, SEES_LEAD},
    {"co-unit", U_B, sub_b, 1, SEES_CO},
    {"below the lead unit", U_A1, sub_a1, 1, SEES_NONE},
    {"other unit", U_C, sub_c, 1, SEES_NONE},
};
#define N_POSITIONS (sizeof(positions) / sizeof(positions[0]))
enum { POS_LEAD, POS_ABOVE, POS_CO, POS_BELOW, POS_OTHER };

/* ---- the expected tables: SPEC 2.2 per role, SPEC 2.4 per action ---- */

/* May a role take an action, and where? */
enum may { NO = 0, ANYWHERE, IF_LEAD, IF_LEAD_OR_CO };

static const struct {
    unsigned role;
    enum may may[TZ__ACTION_COUNT];
} role_table[] = {
    {TZ_ROLE_ADMIN, {0}},
    {TZ_ROLE_AUDITOR, {0}},
    {TZ_ROLE_LEADER, {[TZ_ACTION_INSTRUCT] = ANYWHERE}},
    {TZ_ROLE_SUPERVISOR,
     {
         [TZ_ACTION_ASSIGN] = ANYWHERE,
         [TZ_ACTION_VERIFY] = ANYWHERE,
         [TZ_ACTION_KEEP_ONGOING] = ANYWHERE,
         [TZ_ACTION_REJECT] = ANYWHERE,
         [TZ_ACTION_APPROVE_EXTENSION] = ANYWHERE,
         [TZ_ACTION_DENY_EXTENSION] = ANYWHERE,
         [TZ_ACTION_REMIND] = ANYWHERE,
         [TZ_ACTION_SUPERVISE] = ANYWHERE,
         [TZ_ACTION_REOPEN] = ANYWHERE,
         [TZ_ACTION_CANCEL] = ANYWHERE,
     }},
    {TZ_ROLE_MANAGER,
     {
         [TZ_ACTION_ACCEPT] = IF_LEAD,
         [TZ_ACTION_OBJECT] = IF_LEAD,
         [TZ_ACTION_REPORT] = IF_LEAD_OR_CO,
         [TZ_ACTION_SUBMIT] = IF_LEAD,
         [TZ_ACTION_REQUEST_EXTENSION] = IF_LEAD,
     }},
    {TZ_ROLE_STAFF,
     {
         [TZ_ACTION_ACCEPT] = IF_LEAD,
         [TZ_ACTION_OBJECT] = IF_LEAD,
         [TZ_ACTION_REPORT] = IF_LEAD_OR_CO,
     }},
    {TZ_ROLE_VIEWER, {0}},
};

/* Whether an extension must be pending for the action to be open. */
enum pend { PEND_ANY, PEND_YES, PEND_NO };

/* SPEC 2.4 as text: the action, its from-states ("*" is every state), its target ("=" stays). */
static const struct {
    const char *action;
    const char *from;
    const char *to;
    enum pend pend;
} action_table[] = {
    {"assign", "draft", "assigned", PEND_ANY},
    {"accept", "assigned", "in_progress", PEND_ANY},
    {"object", "assigned", "draft", PEND_ANY},
    {"report", "in_progress ongoing", "=", PEND_ANY},
    {"submit", "in_progress", "submitted", PEND_ANY},
    {"verify", "submitted", "closed", PEND_ANY},
    {"keep_ongoing", "submitted", "ongoing", PEND_ANY},
    {"reject", "submitted", "in_progress", PEND_ANY},
    {"request_extension", "in_progress", "=", PEND_NO},
    {"approve_extension", "in_progress", "=", PEND_YES},
    {"deny_extension", "in_progress", "=", PEND_YES},
    {"remind", "assigned in_progress submitted ongoing", "=", PEND_ANY},
    {"supervise", "assigned in_progress submitted ongoing", "=", PEND_ANY},
    {"reopen", "closed ongoing", "in_progress", PEND_ANY},
    {"cancel", "draft assigned registered", "cancelled", PEND_ANY},
    {"instruct", "*", "=", PEND_ANY},
};

static bool expected_role_ok(enum tz_action action, unsigned roles, enum sees sees)
{
    for (size_t i = 0; i < sizeof(role_table) / sizeof(role_table[0]); i++) {
        if ((roles & role_table[i].role) == 0)
            continue;
        switch (role_table[i].may[action]) {
        case ANYWHERE:
            return true;
        case IF_LEAD:
            if (sees == SEES_LEAD)
                return true;
            break;
        case IF_LEAD_OR_CO:
            if (sees != SEES_NONE)
                return true;
            break;
        case NO:
            break;
        }
    }
    return false;
}

static size_t action_row(enum tz_action action)
{
    for (size_t i = 0; i < sizeof(action_table) / sizeof(action_table[0]); i++) {
        enum tz_action a;
        assert_true(tz_action_parse(action_table[i].action, &a));
        if (a == action)
            return i;
    }
    fail_msg("action %d missing from the expected table", (int)action);
    return 0;
}

static bool expected_from(enum tz_action action, enum tz_state state, bool pending)
{
    size_t r = action_row(action);
    const char *list = action_table[r].from;
    const char *name = tz_state_name(state);
    size_t len = strlen(name);
    bool listed = strcmp(list, "*") == 0;

    for (const char *p = list; !listed && (p = strstr(p, name)) != NULL; p += len) {
        bool starts = p == list || p[-1] == ' ';
        bool ends = p[len] == '\0' || p[len] == ' ';
        listed = starts && ends;
    }
    if (!listed)
        return false;
    if (action_table[r].pend == PEND_YES && !pending)
        return false;
    if (action_table[r].pend == PEND_NO && pending)
        return false;
    return true;
}

static enum tz_state expected_to(enum tz_action action, enum tz_state from)
{
    const char *to = action_table[action_row(action)].to;
    enum tz_state s;

    if (strcmp(to, "=") == 0)
        return from;
    assert_true(tz_state_parse(to, &s));
    return s;
}

/* ---- fixtures ---- */

#define NOW     "2026-03-10T09:30:00+08:00"
#define EARLIER "2026-02-02T10:00:00+08:00"

struct fx {
    struct tz_item it;
    struct tz_actor a;
    struct tz_action_req req;
    struct tz_loop_env env;
    struct tz_err err;
    int32_t today;
};

static void set_actor(struct fx *f, unsigned roles, size_t pos)
{
    f->a.user_id = 42;
    f->a.username = "tester";
    f->a.roles = roles;
    f->a.unit_id = positions[pos].unit;
    f->a.subtree = positions[pos].subtree;
    f->a.n_subtree = positions[pos].n;
}

/*
 * An item in `state` that meets every requirement of every action, and a
 * request that does too: the only reasons left to refuse are roles and state.
 */
static void setup(struct fx *f, enum tz_state state, unsigned roles, size_t pos)
{
    memset(f, 0, sizeof(*f));
    f->today = tz_date_from_ymd(2026, 3, 10);

    struct tz_item *it = &f->it;
    it->id = 1;
    it->code = "ZG-2026-0001";
    it->ledger = "rectification";
    it->title = "整改事项";
    it->lead_unit_id = U_A;
    it->co_unit_ids = co_units;
    it->n_co_units = 1;
    it->deadline = f->today + 20;
    it->original_deadline = state == TZ_STATE_DRAFT ? TZ_DAY_NONE : f->today + 20;
    it->state = state;
    it->light = TZ_LIGHT_RED; /* a sentinel: apply must leave it alone */
    it->progress = 100;
    it->created_at = EARLIER;
    it->updated_at = EARLIER;
    bool assigned = state != TZ_STATE_DRAFT && state != TZ_STATE_REGISTERED;
    it->assigned_at = assigned ? EARLIER : NULL;
    it->assigned_day = assigned ? f->today - 36 : TZ_DAY_NONE;
    it->closed_at = state == TZ_STATE_CLOSED ? EARLIER : NULL;
    it->submitted_day = TZ_DAY_NONE;
    it->last_report_day = TZ_DAY_NONE;
    it->on_time = state == TZ_STATE_CLOSED ? 1 : -1;
    it->extension.deadline = TZ_DAY_NONE;
    it->version = 7;

    set_actor(f, roles, pos);

    f->req.comment = "按要求办理";
    f->req.has_progress = true;
    f->req.progress = 60;
    f->req.deadline = f->today + 30;
    f->req.report_every_days = 30;
    f->req.version = 7;

    f->env.today = f->today;
    f->env.now = NOW;
    f->env.n_attachments = 1;
    f->env.accept_block = NULL;
}

static void make_pending(struct fx *f)
{
    f->it.extension.pending = true;
    f->it.extension.deadline = f->today + 25;
    f->it.extension.comment = "需要更多时间";
    f->it.extension.by = 7;
    f->it.extension.at = EARLIER;
}

static enum tz_status check(struct fx *f, enum tz_action action)
{
    f->req.action = action;
    return tz_loop_check(&f->it, &f->a, &f->req, &f->env, &f->err);
}

static void apply(struct fx *f, enum tz_action action)
{
    f->req.action = action;
    tz_loop_apply(&f->it, &f->a, &f->req, &f->env);
}

/* Checks, then applies what must be accepted. */
static void check_apply(struct fx *f, enum tz_action action)
{
    enum tz_status st = check(f, action);
    if (st != TZ_OK)
        fail_msg("%s refused: %s %s (%s)", tz_action_name(action), tz_status_name(st), f->err.msg,
                 f->err.field);
    apply(f, action);
}

static void expect_refused(struct fx *f, enum tz_action action, enum tz_status code,
                           const char *field)
{
    struct tz_item before = f->it;
    enum tz_status st = check(f, action);
    if (st != code)
        fail_msg("%s: expected %s, got %s (%s)", tz_action_name(action), tz_status_name(code),
                 tz_status_name(st), f->err.msg);
    assert_int_equal(f->err.code, code);
    if (field)
        assert_string_equal(f->err.field, field);
    assert_true(f->err.msg[0] != '\0');
    assert_memory_equal(&before, &f->it, sizeof(before));
}

/* ---- the whole table ---- */

static void test_matrix(void **state)
{
    (void)state;
    size_t n_cases = 0, n_ok = 0, n_bad = 0;

    for (int s = 0; s < TZ__STATE_COUNT; s++) {
        for (int pend = 0; pend < 2; pend++) {
            /* A pending extension exists only in in_progress. */
            if (pend && s != TZ_STATE_IN_PROGRESS)
                continue;
            for (unsigned roles = 0; roles < (1u << TZ_ROLE_COUNT); roles++) {
                for (size_t pos = 0; pos < N_POSITIONS; pos++) {
                    struct fx f;
                    setup(&f, (enum tz_state)s, roles, pos);
                    if (pend)
                        make_pending(&f);
                    unsigned allowed = tz_loop_allowed(&f.it, &f.a);

                    for (int ac = 0; ac < TZ__ACTION_COUNT; ac++) {
                        enum tz_action action = (enum tz_action)ac;
                        enum tz_status want = TZ_OK;
                        if (!expected_role_ok(action, roles, positions[pos].sees))
                            want = TZ_EFORBIDDEN;
                        else if (!expected_from(action, (enum tz_state)s, pend))
                            want = TZ_ETRANSITION;

                        enum tz_status got = check(&f, action);
                        bool in_mask = (allowed >> ac) & 1u;
                        n_cases++;
                        if (got != want || in_mask != (want == TZ_OK)) {
                            if (n_bad++ < 20)
                                print_error("%s from %s%s by roles 0x%02x at %s: want %s, got %s "
                                            "(allowed bit %d)\n",
                                            tz_action_name(action), tz_state_name(s),
                                            pend ? " (extension pending)" : "", roles,
                                            positions[pos].name, tz_status_name(want),
                                            tz_status_name(got), (int)in_mask);
                            continue;
                        }
                        if (got != TZ_OK)
                            continue;
                        n_ok++;

                        struct fx g = f;
                        apply(&g, action);
                        if (g.it.state != expected_to(action, (enum tz_state)s) ||
                            g.it.version != 8 || strcmp(g.it.updated_at, NOW) != 0 ||
                            g.it.light != TZ_LIGHT_RED) {
                            if (n_bad++ < 20)
                                print_error("%s from %s: went to %s, version %lld\n",
                                            tz_action_name(action), tz_state_name(s),
                                            tz_state_name(g.it.state), (long long)g.it.version);
                        }
                    }
                }
            }
        }
    }
    print_message("transition matrix: %zu cases, %zu accepted\n", n_cases, n_ok);
    assert_int_equal(n_cases, 9u * TZ__ACTION_COUNT * (1u << TZ_ROLE_COUNT) * N_POSITIONS);
    assert_int_equal(n_bad, 0);
}

/* Spot checks of the matrix, spelled out, so a reader sees the rules at work. */
static void test_matrix_examples(void **state)
{
    (void)state;
    struct fx f;

    setup(&f, TZ_STATE_ASSIGNED, TZ_ROLE_STAFF, POS_LEAD);
    assert_int_equal(check(&f, TZ_ACTION_ACCEPT), TZ_OK);
    setup(&f, TZ_STATE_ASSIGNED, TZ_ROLE_STAFF, POS_ABOVE);
    assert_int_equal(check(&f, TZ_ACTION_ACCEPT), TZ_OK);
    setup(&f, TZ_STATE_ASSIGNED, TZ_ROLE_STAFF, POS_CO);
    expect_refused(&f, TZ_ACTION_ACCEPT, TZ_EFORBIDDEN, NULL);
    setup(&f, TZ_STATE_ASSIGNED, TZ_ROLE_STAFF, POS_BELOW);
    expect_refused(&f, TZ_ACTION_ACCEPT, TZ_EFORBIDDEN, NULL);
    setup(&f, TZ_STATE_IN_PROGRESS, TZ_ROLE_STAFF, POS_CO);
    assert_int_equal(check(&f, TZ_ACTION_REPORT), TZ_OK);
    setup(&f, TZ_STATE_IN_PROGRESS, TZ_ROLE_STAFF, POS_LEAD);
    expect_refused(&f, TZ_ACTION_SUBMIT, TZ_EFORBIDDEN, NULL);
    setup(&f, TZ_STATE_IN_PROGRESS, TZ_ROLE_MANAGER, POS_LEAD);
    assert_int_equal(check(&f, TZ_ACTION_SUBMIT), TZ_OK);
    setup(&f, TZ_STATE_IN_PROGRESS, TZ_ROLE_MANAGER, POS_CO);
    expect_refused(&f, TZ_ACTION_SUBMIT, TZ_EFORBIDDEN, NULL);
    expect_refused(&f, TZ_ACTION_REQUEST_EXTENSION, TZ_EFORBIDDEN, NULL);
    setup(&f, TZ_STATE_IN_PROGRESS, TZ_ROLE_SUPERVISOR, POS_OTHER);
    expect_refused(&f, TZ_ACTION_SUBMIT, TZ_EFORBIDDEN, NULL);
    expect_refused(&f, TZ_ACTION_REPORT, TZ_EFORBIDDEN, NULL);
    expect_refused(&f, TZ_ACTION_INSTRUCT, TZ_EFORBIDDEN, NULL);
    setup(&f, TZ_STATE_CANCELLED, TZ_ROLE_LEADER, POS_OTHER);
    assert_int_equal(check(&f, TZ_ACTION_INSTRUCT), TZ_OK);
    expect_refused(&f, TZ_ACTION_REMIND, TZ_EFORBIDDEN, NULL);
    setup(&f, TZ_STATE_CLOSED, TZ_ROLE_SUPERVISOR, POS_OTHER);
    expect_refused(&f, TZ_ACTION_REMIND, TZ_ETRANSITION, NULL);
    expect_refused(&f, TZ_ACTION_CANCEL, TZ_ETRANSITION, NULL);
    setup(&f, TZ_STATE_REGISTERED, TZ_ROLE_SUPERVISOR, POS_OTHER);
    assert_int_equal(check(&f, TZ_ACTION_CANCEL), TZ_OK);
    expect_refused(&f, TZ_ACTION_ASSIGN, TZ_ETRANSITION, NULL);
    /* A union of roles: supervisor and manager of the lead unit may submit and verify. */
    setup(&f, TZ_STATE_IN_PROGRESS, TZ_ROLE_SUPERVISOR | TZ_ROLE_MANAGER, POS_LEAD);
    assert_int_equal(check(&f, TZ_ACTION_SUBMIT), TZ_OK);
    /* No lead unit: nobody below the district is on the lead side. */
    setup(&f, TZ_STATE_ONGOING, TZ_ROLE_STAFF | TZ_ROLE_MANAGER, POS_ABOVE);
    f.it.lead_unit_id = 0;
    f.it.n_co_units = 0;
    expect_refused(&f, TZ_ACTION_REPORT, TZ_EFORBIDDEN, NULL);
    assert_int_equal(tz_loop_allowed(&f.it, &f.a), 0);
}

static void test_allowed_masks(void **state)
{
    (void)state;
    struct fx f;

    setup(&f, TZ_STATE_IN_PROGRESS, TZ_ROLE_STAFF, POS_LEAD);
    assert_int_equal(tz_loop_allowed(&f.it, &f.a), 1u << TZ_ACTION_REPORT);
    setup(&f, TZ_STATE_IN_PROGRESS, TZ_ROLE_MANAGER, POS_LEAD);
    assert_int_equal(tz_loop_allowed(&f.it, &f.a), (1u << TZ_ACTION_REPORT) |
                                                       (1u << TZ_ACTION_SUBMIT) |
                                                       (1u << TZ_ACTION_REQUEST_EXTENSION));
    make_pending(&f);
    assert_int_equal(tz_loop_allowed(&f.it, &f.a),
                     (1u << TZ_ACTION_REPORT) | (1u << TZ_ACTION_SUBMIT));
    setup(&f, TZ_STATE_SUBMITTED, TZ_ROLE_SUPERVISOR, POS_OTHER);
    assert_int_equal(tz_loop_allowed(&f.it, &f.a),
                     (1u << TZ_ACTION_VERIFY) | (1u << TZ_ACTION_KEEP_ONGOING) |
                         (1u << TZ_ACTION_REJECT) | (1u << TZ_ACTION_REMIND) |
                         (1u << TZ_ACTION_SUPERVISE));
    f.it.supervised = 2;
    assert_int_equal(tz_loop_allowed(&f.it, &f.a),
                     (1u << TZ_ACTION_VERIFY) | (1u << TZ_ACTION_KEEP_ONGOING) |
                         (1u << TZ_ACTION_REJECT) | (1u << TZ_ACTION_REMIND));
    setup(&f, TZ_STATE_ASSIGNED, TZ_ROLE_ADMIN | TZ_ROLE_AUDITOR | TZ_ROLE_VIEWER, POS_LEAD);
    assert_int_equal(tz_loop_allowed(&f.it, &f.a), 0);
}

/* ---- requirements: 422 naming the first missing field ---- */

static void test_requirements_assign(void **state)
{
    (void)state;
    struct fx f;

    setup(&f, TZ_STATE_DRAFT, TZ_ROLE_SUPERVISOR, POS_OTHER);
    f.it.lead_unit_id = 0;
    f.it.deadline = TZ_DAY_NONE;
    expect_refused(&f, TZ_ACTION_ASSIGN, TZ_EINVAL, "lead_unit_id");
    f.it.lead_unit_id = U_A;
    expect_refused(&f, TZ_ACTION_ASSIGN, TZ_EINVAL, "deadline");
    /* The request's deadline is no substitute for the item's. */
    f.req.deadline = f.today + 10;
    expect_refused(&f, TZ_ACTION_ASSIGN, TZ_EINVAL, "deadline");
    /* A deadline in the past is valid: the item is red at once. */
    f.it.deadline = f.today - 5;
    assert_int_equal(check(&f, TZ_ACTION_ASSIGN), TZ_OK);
    /* assign needs no comment. */
    f.req.comment = NULL;
    assert_int_equal(check(&f, TZ_ACTION_ASSIGN), TZ_OK);
}

static void test_requirements_comment(void **state)
{
    (void)state;
    static const struct {
        enum tz_action action;
        enum tz_state state;
        unsigned roles;
    } cases[] = {
        {TZ_ACTION_OBJECT, TZ_STATE_ASSIGNED, TZ_ROLE_STAFF},
        {TZ_ACTION_REPORT, TZ_STATE_IN_PROGRESS, TZ_ROLE_STAFF},
        {TZ_ACTION_REPORT, TZ_STATE_ONGOING, TZ_ROLE_MANAGER},
        {TZ_ACTION_VERIFY, TZ_STATE_SUBMITTED, TZ_ROLE_SUPERVISOR},
        {TZ_ACTION_KEEP_ONGOING, TZ_STATE_SUBMITTED, TZ_ROLE_SUPERVISOR},
        {TZ_ACTION_REJECT, TZ_STATE_SUBMITTED, TZ_ROLE_SUPERVISOR},
        {TZ_ACTION_REQUEST_EXTENSION, TZ_STATE_IN_PROGRESS, TZ_ROLE_MANAGER},
        {TZ_ACTION_REOPEN, TZ_STATE_CLOSED, TZ_ROLE_SUPERVISOR},
        {TZ_ACTION_CANCEL, TZ_STATE_DRAFT, TZ_ROLE_SUPERVISOR},
        {TZ_ACTION_CANCEL, TZ_STATE_ASSIGNED, TZ_ROLE_SUPERVISOR},
        {TZ_ACTION_CANCEL, TZ_STATE_REGISTERED, TZ_ROLE_SUPERVISOR},
        {TZ_ACTION_INSTRUCT, TZ_STATE_CLOSED, TZ_ROLE_LEADER},
    };
    static const char *const blanks[] = {NULL, "", "   ", "\t\n"};

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (size_t b = 0; b < sizeof(blanks) / sizeof(blanks[0]); b++) {
            struct fx f;
            setup(&f, cases[i].state, cases[i].roles, POS_LEAD);
            f.req.comment = blanks[b];
            expect_refused(&f, cases[i].action, TZ_EINVAL, "comment");
            f.req.comment = "说明";
            assert_int_equal(check(&f, cases[i].action), TZ_OK);
        }
    }
}

static void test_requirements_no_comment_needed(void **state)
{
    (void)state;
    static const struct {
        enum tz_action action;
        enum tz_state state;
        unsigned roles;
        bool pending;
    } cases[] = {
        {TZ_ACTION_ASSIGN, TZ_STATE_DRAFT, TZ_ROLE_SUPERVISOR, false},
        {TZ_ACTION_ACCEPT, TZ_STATE_ASSIGNED, TZ_ROLE_STAFF, false},
        {TZ_ACTION_SUBMIT, TZ_STATE_IN_PROGRESS, TZ_ROLE_MANAGER, false},
        {TZ_ACTION_APPROVE_EXTENSION, TZ_STATE_IN_PROGRESS, TZ_ROLE_SUPERVISOR, true},
        {TZ_ACTION_DENY_EXTENSION, TZ_STATE_IN_PROGRESS, TZ_ROLE_SUPERVISOR, true},
        {TZ_ACTION_REMIND, TZ_STATE_ASSIGNED, TZ_ROLE_SUPERVISOR, false},
        {TZ_ACTION_SUPERVISE, TZ_STATE_ONGOING, TZ_ROLE_SUPERVISOR, false},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct fx f;
        setup(&f, cases[i].state, cases[i].roles, POS_LEAD);
        if (cases[i].pending)
            make_pending(&f);
        f.req.comment = NULL;
        f.req.has_progress = false;
        f.req.deadline = TZ_DAY_NONE;
        f.req.report_every_days = 0;
        assert_int_equal(check(&f, cases[i].action), TZ_OK);
    }
}

static void test_requirements_report(void **state)
{
    (void)state;
    struct fx f;

    /* progress is optional on a report */
    setup(&f, TZ_STATE_IN_PROGRESS, TZ_ROLE_STAFF, POS_CO);
    f.req.has_progress = false;
    assert_int_equal(check(&f, TZ_ACTION_REPORT), TZ_OK);
    /* deadline, report_every_days and attachments play no part */
    f.req.deadline = TZ_DAY_NONE;
    f.env.n_attachments = 0;
    f.it.progress = 0;
    assert_int_equal(check(&f, TZ_ACTION_REPORT), TZ_OK);
}

static void test_requirements_submit(void **state)
{
    (void)state;
    struct fx f;

    setup(&f, TZ_STATE_IN_PROGRESS, TZ_ROLE_MANAGER, POS_LEAD);
    f.it.progress = 99;
    f.env.n_attachments = 0;
    expect_refused(&f, TZ_ACTION_SUBMIT, TZ_EINVAL, "progress");
    f.env.n_attachments = 3;
    expect_refused(&f, TZ_ACTION_SUBMIT, TZ_EINVAL, "progress");
    f.it.progress = 100;
    f.env.n_attachments = 0;
    expect_refused(&f, TZ_ACTION_SUBMIT, TZ_EINVAL, "attachments");
    f.env.n_attachments = 1;
    assert_int_equal(check(&f, TZ_ACTION_SUBMIT), TZ_OK);
    /* The request's progress is not the item's: 100 in the body does not count. */
    f.it.progress = 80;
    f.req.progress = 100;
    expect_refused(&f, TZ_ACTION_SUBMIT, TZ_EINVAL, "progress");
}

static void test_requirements_keep_ongoing(void **state)
{
    (void)state;
    struct fx f;

    setup(&f, TZ_STATE_SUBMITTED, TZ_ROLE_SUPERVISOR, POS_OTHER);
    f.req.comment = NULL;
    f.req.report_every_days = 0;
    expect_refused(&f, TZ_ACTION_KEEP_ONGOING, TZ_EINVAL, "comment");
    f.req.comment = "阶段目标已完成";
    expect_refused(&f, TZ_ACTION_KEEP_ONGOING, TZ_EINVAL, "report_every_days");
    f.req.report_every_days = -7;
    expect_refused(&f, TZ_ACTION_KEEP_ONGOING, TZ_EINVAL, "report_every_days");
    f.req.report_every_days = 1;
    assert_int_equal(check(&f, TZ_ACTION_KEEP_ONGOING), TZ_OK);
}

static void test_requirements_request_extension(void **state)
{
    (void)state;
    struct fx f;

    setup(&f, TZ_STATE_IN_PROGRESS, TZ_ROLE_MANAGER, POS_LEAD);
    /* deadline answers before comment */
    f.req.deadline = TZ_DAY_NONE;
    f.req.comment = NULL;
    expect_refused(&f, TZ_ACTION_REQUEST_EXTENSION, TZ_EINVAL, "deadline");
    f.req.comment = "需要延期";
    expect_refused(&f, TZ_ACTION_REQUEST_EXTENSION, TZ_EINVAL, "deadline");
    /* later than the current deadline: equal or earlier is refused */
    f.req.deadline = f.it.deadline;
    expect_refused(&f, TZ_ACTION_REQUEST_EXTENSION, TZ_EINVAL, "deadline");
    f.req.deadline = f.it.deadline - 1;
    expect_refused(&f, TZ_ACTION_REQUEST_EXTENSION, TZ_EINVAL, "deadline");
    f.req.deadline = f.it.deadline + 1;
    assert_int_equal(check(&f, TZ_ACTION_REQUEST_EXTENSION), TZ_OK);
    f.req.comment = "";
    expect_refused(&f, TZ_ACTION_REQUEST_EXTENSION, TZ_EINVAL, "comment");
    f.req.comment = "需要延期";
    /* on the deadline day it may still be asked; the day after, not */
    f.env.today = f.it.deadline;
    assert_int_equal(check(&f, TZ_ACTION_REQUEST_EXTENSION), TZ_OK);
    f.env.today = f.it.deadline + 1;
    f.req.deadline = f.it.deadline + 30;
    expect_refused(&f, TZ_ACTION_REQUEST_EXTENSION, TZ_EINVAL, "deadline");
    /* one pending at a time: 409, before any requirement */
    setup(&f, TZ_STATE_IN_PROGRESS, TZ_ROLE_MANAGER, POS_LEAD);
    make_pending(&f);
    f.req.comment = NULL;
    expect_refused(&f, TZ_ACTION_REQUEST_EXTENSION, TZ_ETRANSITION, NULL);
}

static void test_requirements_extension_decisions(void **state)
{
    (void)state;
    struct fx f;

    /* nothing pending: 409 */
    setup(&f, TZ_STATE_IN_PROGRESS, TZ_ROLE_SUPERVISOR, POS_OTHER);
    expect_refused(&f, TZ_ACTION_APPROVE_EXTENSION, TZ_ETRANSITION, NULL);
    expect_refused(&f, TZ_ACTION_DENY_EXTENSION, TZ_ETRANSITION, NULL);

    make_pending(&f);
    f.req.deadline = f.it.extension.deadline - 1;
    expect_refused(&f, TZ_ACTION_APPROVE_EXTENSION, TZ_EINVAL, "deadline");
    f.req.deadline = f.it.extension.deadline;
    assert_int_equal(check(&f, TZ_ACTION_APPROVE_EXTENSION), TZ_OK);
    f.req.deadline = TZ_DAY_NONE;
    assert_int_equal(check(&f, TZ_ACTION_APPROVE_EXTENSION), TZ_OK);
    /* deny takes no deadline into account */
    f.req.deadline = f.it.extension.deadline - 10;
    assert_int_equal(check(&f, TZ_ACTION_DENY_EXTENSION), TZ_OK);
}

static void test_requirements_reopen(void **state)
{
    (void)state;
    static const enum tz_state from[] = {TZ_STATE_CLOSED, TZ_STATE_ONGOING};

    for (size_t i = 0; i < 2; i++) {
        struct fx f;
        setup(&f, from[i], TZ_ROLE_SUPERVISOR, POS_OTHER);
        f.req.deadline = TZ_DAY_NONE;
        f.req.comment = NULL;
        expect_refused(&f, TZ_ACTION_REOPEN, TZ_EINVAL, "deadline");
        f.req.deadline = f.today + 60;
        expect_refused(&f, TZ_ACTION_REOPEN, TZ_EINVAL, "comment");
        f.req.comment = "问题反弹";
        assert_int_equal(check(&f, TZ_ACTION_REOPEN), TZ_OK);
    }
}

static void test_requirements_accept_block(void **state)
{
    (void)state;
    struct fx f;

    setup(&f, TZ_STATE_ASSIGNED, TZ_ROLE_MANAGER, POS_LEAD);
    f.env.accept_block = "measures";
    expect_refused(&f, TZ_ACTION_ACCEPT, TZ_EINVAL, "measures");
    assert_int_equal(tz_status_http(f.err.code), 422);
    /* the block is about accept only */
    assert_int_equal(check(&f, TZ_ACTION_OBJECT), TZ_OK);
    /* and it does not come before roles */
    set_actor(&f, TZ_ROLE_STAFF, POS_CO);
    expect_refused(&f, TZ_ACTION_ACCEPT, TZ_EFORBIDDEN, NULL);
}

static void test_unknown_action(void **state)
{
    (void)state;
    struct fx f;

    setup(&f, TZ_STATE_ASSIGNED, TZ_ROLE_SUPERVISOR, POS_OTHER);
    expect_refused(&f, TZ__ACTION_COUNT, TZ_EINVAL, "action");
}

/* ---- precedence: roles -> version -> state -> requirements ---- */

static void test_precedence(void **state)
{
    (void)state;
    struct fx f;

    /* stale version and wrong role: 403 first */
    setup(&f, TZ_STATE_DRAFT, TZ_ROLE_STAFF, POS_LEAD);
    f.req.version = 6;
    expect_refused(&f, TZ_ACTION_ASSIGN, TZ_EFORBIDDEN, NULL);
    assert_int_equal(tz_status_http(f.err.code), 403);
    /* stale version, wrong role, wrong state: still 403 */
    setup(&f, TZ_STATE_CLOSED, TZ_ROLE_VIEWER, POS_LEAD);
    f.req.version = 1;
    expect_refused(&f, TZ_ACTION_VERIFY, TZ_EFORBIDDEN, NULL);
    /* stale version and wrong state: version_conflict first */
    setup(&f, TZ_STATE_IN_PROGRESS, TZ_ROLE_SUPERVISOR, POS_OTHER);
    f.req.version = 6;
    expect_refused(&f, TZ_ACTION_ASSIGN, TZ_ECONFLICT, NULL);
    assert_string_equal(tz_status_name(f.err.code), "version_conflict");
    /* a version from the future is as stale */
    f.req.version = 8;
    expect_refused(&f, TZ_ACTION_ASSIGN, TZ_ECONFLICT, NULL);
    /* stale version and a missing requirement: version_conflict */
    setup(&f, TZ_STATE_SUBMITTED, TZ_ROLE_SUPERVISOR, POS_OTHER);
    f.req.version = 6;
    f.req.comment = NULL;
    expect_refused(&f, TZ_ACTION_VERIFY, TZ_ECONFLICT, NULL);
    /* current version, wrong state and a missing requirement: invalid_transition */
    setup(&f, TZ_STATE_ASSIGNED, TZ_ROLE_SUPERVISOR, POS_OTHER);
    f.req.comment = NULL;
    expect_refused(&f, TZ_ACTION_VERIFY, TZ_ETRANSITION, NULL);
    assert_string_equal(tz_status_name(f.err.code), "invalid_transition");
    /* stale version with a pending-extension conflict: version first */
    setup(&f, TZ_STATE_IN_PROGRESS, TZ_ROLE_MANAGER, POS_LEAD);
    make_pending(&f);
    f.req.version = 3;
    expect_refused(&f, TZ_ACTION_REQUEST_EXTENSION, TZ_ECONFLICT, NULL);
    /* supervise at its maximum: 409 invalid_transition, after version */
    setup(&f, TZ_STATE_IN_PROGRESS, TZ_ROLE_SUPERVISOR, POS_OTHER);
    f.it.supervised = 2;
    expect_refused(&f, TZ_ACTION_SUPERVISE, TZ_ETRANSITION, NULL);
    f.req.version = 5;
    expect_refused(&f, TZ_ACTION_SUPERVISE, TZ_ECONFLICT, NULL);
}

/* ---- the effects of apply ---- */

static void expect_stamped(const struct fx *f, int64_t version)
{
    assert_int_equal(f->it.version, version);
    assert_string_equal(f->it.updated_at, NOW);
    assert_int_equal(f->it.light, TZ_LIGHT_RED);
}

static void test_apply_assign_object(void **state)
{
    (void)state;
    struct fx f;

    setup(&f, TZ_STATE_DRAFT, TZ_ROLE_SUPERVISOR, POS_OTHER);
    int32_t first = f.it.deadline;
    check_apply(&f, TZ_ACTION_ASSIGN);
    assert_int_equal(f.it.state, TZ_STATE_ASSIGNED);
    assert_string_equal(f.it.assigned_at, NOW);
    assert_int_equal(f.it.assigned_day, f.today);
    assert_int_equal(f.it.original_deadline, first);
    expect_stamped(&f, 8);

    set_actor(&f, TZ_ROLE_STAFF, POS_LEAD);
    f.req.version = 8;
    check_apply(&f, TZ_ACTION_OBJECT);
    assert_int_equal(f.it.state, TZ_STATE_DRAFT);
    assert_null(f.it.assigned_at);
    assert_int_equal(f.it.assigned_day, TZ_DAY_NONE);
    assert_int_equal(f.it.original_deadline, first);
    expect_stamped(&f, 9);

    /* The draft's deadline is edited, then assigned again: original_deadline stays. */
    f.it.deadline = first + 15;
    set_actor(&f, TZ_ROLE_SUPERVISOR, POS_OTHER);
    f.req.version = 9;
    check_apply(&f, TZ_ACTION_ASSIGN);
    assert_int_equal(f.it.deadline, first + 15);
    assert_int_equal(f.it.original_deadline, first);
    expect_stamped(&f, 10);
}

static void test_apply_accept(void **state)
{
    (void)state;
    struct fx f;

    setup(&f, TZ_STATE_ASSIGNED, TZ_ROLE_STAFF, POS_LEAD);
    struct tz_item before = f.it;
    check_apply(&f, TZ_ACTION_ACCEPT);
    assert_int_equal(f.it.state, TZ_STATE_IN_PROGRESS);
    expect_stamped(&f, 8);
    /* nothing else moved */
    before.state = TZ_STATE_IN_PROGRESS;
    before.version = 8;
    before.updated_at = NOW;
    assert_memory_equal(&before, &f.it, sizeof(before));
}

static void test_apply_report(void **state)
{
    (void)state;
    struct fx f;

    /* the lead unit sets the item's progress, and may lower it */
    setup(&f, TZ_STATE_IN_PROGRESS, TZ_ROLE_STAFF, POS_LEAD);
    f.it.progress = 70;
    f.req.progress = 40;
    check_apply(&f, TZ_ACTION_REPORT);
    assert_int_equal(f.it.state, TZ_STATE_IN_PROGRESS);
    assert_int_equal(f.it.progress, 40);
    assert_int_equal(f.it.last_report_day, f.today);
    expect_stamped(&f, 8);

    /* a report without progress keeps it */
    f.req.has_progress = false;
    f.req.progress = 0;
    f.req.version = 8;
    check_apply(&f, TZ_ACTION_REPORT);
    assert_int_equal(f.it.progress, 40);
    expect_stamped(&f, 9);

    /* a co-unit's report leaves the item's progress alone */
    setup(&f, TZ_STATE_IN_PROGRESS, TZ_ROLE_MANAGER, POS_CO);
    f.it.progress = 70;
    f.req.progress = 100;
    check_apply(&f, TZ_ACTION_REPORT);
    assert_int_equal(f.it.progress, 70);
    assert_int_equal(f.it.last_report_day, f.today);
    expect_stamped(&f, 8);

    /* a unit above both the lead and the co-unit reports for the lead side */
    setup(&f, TZ_STATE_IN_PROGRESS, TZ_ROLE_STAFF, POS_ABOVE);
    f.it.progress = 10;
    f.req.progress = 35;
    check_apply(&f, TZ_ACTION_REPORT);
    assert_int_equal(f.it.progress, 35);

    /* in ongoing, a report is a review and the state stays */
    setup(&f, TZ_STATE_ONGOING, TZ_ROLE_STAFF, POS_LEAD);
    f.it.report_every_days = 30;
    f.it.last_report_day = f.today - 40;
    f.req.has_progress = false;
    check_apply(&f, TZ_ACTION_REPORT);
    assert_int_equal(f.it.state, TZ_STATE_ONGOING);
    assert_int_equal(f.it.last_report_day, f.today);
    assert_int_equal(f.it.report_every_days, 30);
}

static void test_apply_submit_withdraws_extension(void **state)
{
    (void)state;
    struct fx f;

    setup(&f, TZ_STATE_IN_PROGRESS, TZ_ROLE_MANAGER, POS_LEAD);
    make_pending(&f);
    int32_t deadline = f.it.deadline;
    check_apply(&f, TZ_ACTION_SUBMIT);
    assert_int_equal(f.it.state, TZ_STATE_SUBMITTED);
    assert_int_equal(f.it.submitted_day, f.today);
    assert_false(f.it.extension.pending);
    assert_int_equal(f.it.deadline, deadline);
    assert_int_equal(f.it.extension_count, 0);
    expect_stamped(&f, 8);
}

static void test_apply_verify_on_time(void **state)
{
    (void)state;
    struct fx f;

    /* submitted on the deadline day, verified later: on time */
    setup(&f, TZ_STATE_SUBMITTED, TZ_ROLE_SUPERVISOR, POS_OTHER);
    f.it.submitted_day = f.it.deadline;
    f.env.today = f.it.deadline + 9;
    check_apply(&f, TZ_ACTION_VERIFY);
    assert_int_equal(f.it.state, TZ_STATE_CLOSED);
    assert_string_equal(f.it.closed_at, NOW);
    assert_int_equal(f.it.on_time, 1);
    expect_stamped(&f, 8);

    /* submitted the day after: late */
    setup(&f, TZ_STATE_SUBMITTED, TZ_ROLE_SUPERVISOR, POS_OTHER);
    f.it.submitted_day = f.it.deadline + 1;
    check_apply(&f, TZ_ACTION_VERIFY);
    assert_int_equal(f.it.on_time, 0);
}

static void test_apply_keep_ongoing_reject(void **state)
{
    (void)state;
    struct fx f;

    setup(&f, TZ_STATE_SUBMITTED, TZ_ROLE_SUPERVISOR, POS_OTHER);
    f.req.report_every_days = 14;
    check_apply(&f, TZ_ACTION_KEEP_ONGOING);
    assert_int_equal(f.it.state, TZ_STATE_ONGOING);
    assert_int_equal(f.it.report_every_days, 14);
    assert_int_equal(f.it.last_report_day, f.today);
    assert_null(f.it.closed_at);
    expect_stamped(&f, 8);

    setup(&f, TZ_STATE_SUBMITTED, TZ_ROLE_SUPERVISOR, POS_OTHER);
    f.it.progress = 100;
    f.it.submitted_day = f.today - 2;
    check_apply(&f, TZ_ACTION_REJECT);
    assert_int_equal(f.it.state, TZ_STATE_IN_PROGRESS);
    assert_int_equal(f.it.progress, 100);
    assert_int_equal(f.it.submitted_day, f.today - 2);
    expect_stamped(&f, 8);
}

static void test_apply_extension(void **state)
{
    (void)state;
    struct fx f;

    setup(&f, TZ_STATE_IN_PROGRESS, TZ_ROLE_MANAGER, POS_LEAD);
    int32_t deadline = f.it.deadline;
    f.req.deadline = deadline + 14;
    f.req.comment = "施工受天气影响";
    check_apply(&f, TZ_ACTION_REQUEST_EXTENSION);
    assert_int_equal(f.it.state, TZ_STATE_IN_PROGRESS);
    assert_true(f.it.extension.pending);
    assert_int_equal(f.it.extension.deadline, deadline + 14);
    assert_string_equal(f.it.extension.comment, "施工受天气影响");
    assert_int_equal(f.it.extension.by, 42);
    assert_string_equal(f.it.extension.at, NOW);
    assert_int_equal(f.it.deadline, deadline);
    expect_stamped(&f, 8);

    /* approved as asked */
    struct fx g = f;
    set_actor(&g, TZ_ROLE_SUPERVISOR, POS_OTHER);
    g.req.version = 8;
    g.req.deadline = TZ_DAY_NONE;
    check_apply(&g, TZ_ACTION_APPROVE_EXTENSION);
    assert_int_equal(g.it.deadline, deadline + 14);
    assert_int_equal(g.it.extension_count, 1);
    assert_int_equal(g.it.original_deadline, deadline);
    assert_false(g.it.extension.pending);
    expect_stamped(&g, 9);

    /* approved to a later date the supervisor names */
    g = f;
    set_actor(&g, TZ_ROLE_SUPERVISOR, POS_OTHER);
    g.req.version = 8;
    g.req.deadline = deadline + 20;
    check_apply(&g, TZ_ACTION_APPROVE_EXTENSION);
    assert_int_equal(g.it.deadline, deadline + 20);
    assert_int_equal(g.it.extension_count, 1);

    /* denied: nothing moves but the request */
    g = f;
    set_actor(&g, TZ_ROLE_SUPERVISOR, POS_OTHER);
    g.req.version = 8;
    check_apply(&g, TZ_ACTION_DENY_EXTENSION);
    assert_int_equal(g.it.deadline, deadline);
    assert_int_equal(g.it.extension_count, 0);
    assert_false(g.it.extension.pending);
    expect_stamped(&g, 9);
    /* and a new request may follow */
    set_actor(&g, TZ_ROLE_MANAGER, POS_LEAD);
    g.req.version = 9;
    g.req.deadline = deadline + 3;
    assert_int_equal(check(&g, TZ_ACTION_REQUEST_EXTENSION), TZ_OK);
}

static void test_apply_remind_supervise(void **state)
{
    (void)state;
    struct fx f;

    setup(&f, TZ_STATE_ASSIGNED, TZ_ROLE_SUPERVISOR, POS_OTHER);
    check_apply(&f, TZ_ACTION_REMIND);
    f.req.version = 8;
    check_apply(&f, TZ_ACTION_REMIND);
    assert_int_equal(f.it.remind_count, 2);
    assert_int_equal(f.it.state, TZ_STATE_ASSIGNED);

    f.req.version = 9;
    check_apply(&f, TZ_ACTION_SUPERVISE);
    assert_int_equal(f.it.supervised, 1);
    f.req.version = 10;
    check_apply(&f, TZ_ACTION_SUPERVISE);
    assert_int_equal(f.it.supervised, 2);
    f.req.version = 11;
    expect_refused(&f, TZ_ACTION_SUPERVISE, TZ_ETRANSITION, NULL);
    expect_stamped(&f, 11);
}

static void test_apply_reopen(void **state)
{
    (void)state;
    static const enum tz_state from[] = {TZ_STATE_CLOSED, TZ_STATE_ONGOING};

    for (size_t i = 0; i < 2; i++) {
        struct fx f;
        setup(&f, from[i], TZ_ROLE_SUPERVISOR, POS_OTHER);
        int32_t original = f.it.original_deadline;
        f.it.reopen_count = 1;
        f.req.deadline = f.today + 45;
        check_apply(&f, TZ_ACTION_REOPEN);
        assert_int_equal(f.it.state, TZ_STATE_IN_PROGRESS);
        assert_int_equal(f.it.deadline, f.today + 45);
        assert_int_equal(f.it.original_deadline, original);
        assert_null(f.it.closed_at);
        assert_int_equal(f.it.on_time, -1);
        assert_string_equal(f.it.assigned_at, NOW);
        assert_int_equal(f.it.assigned_day, f.today);
        assert_int_equal(f.it.reopen_count, 2);
        expect_stamped(&f, 8);
    }
}

static void test_apply_cancel_instruct(void **state)
{
    (void)state;
    static const enum tz_state cancel_from[] = {TZ_STATE_DRAFT, TZ_STATE_ASSIGNED,
                                                TZ_STATE_REGISTERED};

    for (size_t i = 0; i < 3; i++) {
        struct fx f;
        setup(&f, cancel_from[i], TZ_ROLE_SUPERVISOR, POS_OTHER);
        check_apply(&f, TZ_ACTION_CANCEL);
        assert_int_equal(f.it.state, TZ_STATE_CANCELLED);
        expect_stamped(&f, 8);
    }
    for (int s = 0; s < TZ__STATE_COUNT; s++) {
        struct fx f;
        setup(&f, (enum tz_state)s, TZ_ROLE_LEADER, POS_OTHER);
        struct tz_item before = f.it;
        check_apply(&f, TZ_ACTION_INSTRUCT);
        before.version = 8;
        before.updated_at = NOW;
        assert_memory_equal(&before, &f.it, sizeof(before));
    }
}

/* A whole loop, start to close-out, through the public functions only. */
static void test_apply_full_loop(void **state)
{
    (void)state;
    struct fx f;

    setup(&f, TZ_STATE_DRAFT, TZ_ROLE_SUPERVISOR, POS_OTHER);
    f.it.progress = 0;
    static const struct {
        enum tz_action action;
        unsigned roles;
        size_t pos;
        enum tz_state to;
    } steps[] = {
        {TZ_ACTION_ASSIGN, TZ_ROLE_SUPERVISOR, POS_OTHER, TZ_STATE_ASSIGNED},
        {TZ_ACTION_ACCEPT, TZ_ROLE_STAFF, POS_LEAD, TZ_STATE_IN_PROGRESS},
        {TZ_ACTION_REPORT, TZ_ROLE_STAFF, POS_CO, TZ_STATE_IN_PROGRESS},
        {TZ_ACTION_REPORT, TZ_ROLE_STAFF, POS_LEAD, TZ_STATE_IN_PROGRESS},
        {TZ_ACTION_SUBMIT, TZ_ROLE_MANAGER, POS_LEAD, TZ_STATE_SUBMITTED},
        {TZ_ACTION_REJECT, TZ_ROLE_SUPERVISOR, POS_OTHER, TZ_STATE_IN_PROGRESS},
        {TZ_ACTION_SUBMIT, TZ_ROLE_MANAGER, POS_ABOVE, TZ_STATE_SUBMITTED},
        {TZ_ACTION_VERIFY, TZ_ROLE_SUPERVISOR, POS_OTHER, TZ_STATE_CLOSED},
        {TZ_ACTION_REOPEN, TZ_ROLE_SUPERVISOR, POS_OTHER, TZ_STATE_IN_PROGRESS},
    };
    f.req.progress = 100;
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        set_actor(&f, steps[i].roles, steps[i].pos);
        f.req.version = f.it.version;
        check_apply(&f, steps[i].action);
        assert_int_equal(f.it.state, steps[i].to);
        if (i == 2)
            assert_int_equal(f.it.progress, 0); /* the co-unit's 100 stays on its event */
        if (i == 3)
            assert_int_equal(f.it.progress, 100);
    }
    assert_int_equal(f.it.version, 7 + 9);
    assert_null(f.it.closed_at);
    assert_int_equal(f.it.on_time, -1);
    assert_int_equal(f.it.reopen_count, 1);
}

/* ---- visibility (SPEC 2.2) ---- */

static bool sees(struct fx *f, unsigned roles, size_t pos)
{
    set_actor(f, roles, pos);
    return tz_loop_visible(&f->it, &f->a);
}

static void test_visible_draft(void **state)
{
    (void)state;
    struct fx f;

    setup(&f, TZ_STATE_DRAFT, 0, POS_LEAD);
    assert_true(sees(&f, TZ_ROLE_SUPERVISOR, POS_OTHER));
    assert_true(sees(&f, TZ_ROLE_LEADER, POS_OTHER));
    assert_false(sees(&f, TZ_ROLE_STAFF, POS_LEAD));
    assert_false(sees(&f, TZ_ROLE_MANAGER, POS_LEAD));
    assert_false(sees(&f, TZ_ROLE_VIEWER, POS_LEAD));
    assert_false(sees(&f, TZ_ROLE_STAFF | TZ_ROLE_MANAGER | TZ_ROLE_VIEWER, POS_ABOVE));
    assert_false(sees(&f, TZ_ROLE_STAFF, POS_CO));
}

static void test_visible_scope(void **state)
{
    (void)state;
    static const enum tz_state open[] = {TZ_STATE_ASSIGNED, TZ_STATE_IN_PROGRESS,
                                         TZ_STATE_SUBMITTED, TZ_STATE_CLOSED, TZ_STATE_ONGOING};
    static const unsigned unit_roles[] = {TZ_ROLE_STAFF, TZ_ROLE_MANAGER, TZ_ROLE_VIEWER};

    for (size_t s = 0; s < sizeof(open) / sizeof(open[0]); s++) {
        for (size_t r = 0; r < 3; r++) {
            struct fx f;
            setup(&f, open[s], 0, POS_LEAD);
            assert_true(sees(&f, unit_roles[r], POS_LEAD));
            assert_true(sees(&f, unit_roles[r], POS_ABOVE)); /* scope reaches down */
            assert_true(sees(&f, unit_roles[r], POS_CO));
            assert_false(sees(&f, unit_roles[r], POS_BELOW)); /* never up */
            assert_false(sees(&f, unit_roles[r], POS_OTHER));
            assert_true(sees(&f, TZ_ROLE_SUPERVISOR, POS_BELOW));
            assert_true(sees(&f, TZ_ROLE_LEADER, POS_OTHER));
        }
    }
}

static void test_visible_admin_auditor(void **state)
{
    (void)state;
    for (int s = 0; s < TZ__STATE_COUNT; s++) {
        struct fx f;
        setup(&f, (enum tz_state)s, 0, POS_LEAD);
        assert_false(sees(&f, TZ_ROLE_ADMIN, POS_LEAD));
        assert_false(sees(&f, TZ_ROLE_AUDITOR, POS_ABOVE));
        assert_false(sees(&f, TZ_ROLE_ADMIN | TZ_ROLE_AUDITOR, POS_ABOVE));
        assert_false(sees(&f, 0, POS_LEAD));
    }
    /* an admin who is also staff sees what staff sees */
    struct fx f;
    setup(&f, TZ_STATE_IN_PROGRESS, 0, POS_LEAD);
    assert_true(sees(&f, TZ_ROLE_ADMIN | TZ_ROLE_STAFF, POS_LEAD));
    assert_false(sees(&f, TZ_ROLE_ADMIN | TZ_ROLE_STAFF, POS_OTHER));
}

static void test_visible_cancelled(void **state)
{
    (void)state;
    struct fx f;

    /* cancelled after assignment: stays visible in scope */
    setup(&f, TZ_STATE_ASSIGNED, TZ_ROLE_SUPERVISOR, POS_OTHER);
    check_apply(&f, TZ_ACTION_CANCEL);
    assert_true(sees(&f, TZ_ROLE_STAFF, POS_LEAD));
    assert_true(sees(&f, TZ_ROLE_VIEWER, POS_CO));
    assert_false(sees(&f, TZ_ROLE_STAFF, POS_OTHER));

    /* cancelled as a draft: never shown to the units */
    setup(&f, TZ_STATE_DRAFT, TZ_ROLE_SUPERVISOR, POS_OTHER);
    check_apply(&f, TZ_ACTION_CANCEL);
    assert_false(sees(&f, TZ_ROLE_STAFF, POS_LEAD));
    assert_true(sees(&f, TZ_ROLE_LEADER, POS_OTHER));

    /* assigned, objected back to draft, then cancelled: a draft's cancellation */
    setup(&f, TZ_STATE_DRAFT, TZ_ROLE_SUPERVISOR, POS_OTHER);
    check_apply(&f, TZ_ACTION_ASSIGN);
    assert_true(sees(&f, TZ_ROLE_STAFF, POS_LEAD));
    set_actor(&f, TZ_ROLE_STAFF, POS_LEAD);
    f.req.version = f.it.version;
    check_apply(&f, TZ_ACTION_OBJECT);
    assert_false(sees(&f, TZ_ROLE_STAFF, POS_LEAD)); /* a draft again */
    set_actor(&f, TZ_ROLE_SUPERVISOR, POS_OTHER);
    f.req.version = f.it.version;
    check_apply(&f, TZ_ACTION_CANCEL);
    assert_false(sees(&f, TZ_ROLE_STAFF, POS_LEAD));
}

static void test_visible_registered(void **state)
{
    (void)state;
    struct fx f;

    setup(&f, TZ_STATE_REGISTERED, 0, POS_LEAD);
    f.it.lead_unit_id = 0;
    f.it.n_co_units = 0;
    assert_true(sees(&f, TZ_ROLE_VIEWER, POS_OTHER));
    assert_true(sees(&f, TZ_ROLE_STAFF, POS_BELOW));
    assert_true(sees(&f, TZ_ROLE_MANAGER, POS_CO));
    assert_true(sees(&f, TZ_ROLE_LEADER, POS_OTHER));
    assert_true(sees(&f, TZ_ROLE_SUPERVISOR, POS_OTHER));
    assert_false(sees(&f, TZ_ROLE_ADMIN, POS_ABOVE));
    assert_false(sees(&f, TZ_ROLE_AUDITOR, POS_ABOVE));
}

static void test_relations(void **state)
{
    (void)state;
    struct fx f;

    setup(&f, TZ_STATE_IN_PROGRESS, TZ_ROLE_STAFF, POS_LEAD);
    assert_true(tz_loop_is_lead(&f.it, &f.a));
    assert_true(tz_loop_is_lead_or_co(&f.it, &f.a));
    set_actor(&f, TZ_ROLE_STAFF, POS_CO);
    assert_false(tz_loop_is_lead(&f.it, &f.a));
    assert_true(tz_loop_is_lead_or_co(&f.it, &f.a));
    set_actor(&f, TZ_ROLE_STAFF, POS_BELOW);
    assert_false(tz_loop_is_lead(&f.it, &f.a));
    assert_false(tz_loop_is_lead_or_co(&f.it, &f.a));
    set_actor(&f, TZ_ROLE_STAFF, POS_ABOVE);
    assert_true(tz_loop_is_lead(&f.it, &f.a));
    f.it.lead_unit_id = 0;
    f.it.n_co_units = 0;
    assert_false(tz_loop_is_lead(&f.it, &f.a));
    assert_false(tz_loop_is_lead_or_co(&f.it, &f.a));
}

/* ---- PATCH and uploads ---- */

static void test_check_edit(void **state)
{
    (void)state;
    struct fx f;

    for (int s = 0; s < TZ__STATE_COUNT; s++) {
        setup(&f, (enum tz_state)s, TZ_ROLE_SUPERVISOR, POS_OTHER);
        bool frozen = s == TZ_STATE_CLOSED || s == TZ_STATE_CANCELLED;
        enum tz_status plain = frozen ? TZ_ETRANSITION : TZ_OK;
        enum tz_status moving = frozen || s != TZ_STATE_DRAFT ? TZ_ETRANSITION : TZ_OK;
        assert_int_equal(tz_loop_check_edit(&f.it, &f.a, false, &f.err), plain);
        assert_int_equal(tz_loop_check_edit(&f.it, &f.a, true, &f.err), moving);
        /* no one else edits, and 403 answers before the state */
        static const unsigned others[] = {TZ_ROLE_ADMIN,   TZ_ROLE_AUDITOR, TZ_ROLE_LEADER,
                                          TZ_ROLE_MANAGER, TZ_ROLE_STAFF,   TZ_ROLE_VIEWER};
        for (size_t r = 0; r < sizeof(others) / sizeof(others[0]); r++) {
            set_actor(&f, others[r], POS_LEAD);
            assert_int_equal(tz_loop_check_edit(&f.it, &f.a, true, &f.err), TZ_EFORBIDDEN);
            assert_int_equal(f.err.code, TZ_EFORBIDDEN);
        }
    }
    setup(&f, TZ_STATE_ASSIGNED, TZ_ROLE_SUPERVISOR, POS_OTHER);
    assert_int_equal(tz_loop_check_edit(&f.it, &f.a, true, &f.err), TZ_ETRANSITION);
    assert_string_equal(tz_status_name(f.err.code), "invalid_transition");
}

static void test_check_attach(void **state)
{
    (void)state;
    static const struct {
        unsigned roles;
        size_t pos;
        bool may;
    } who[] = {
        {TZ_ROLE_SUPERVISOR, POS_OTHER, true}, {TZ_ROLE_STAFF, POS_LEAD, true},
        {TZ_ROLE_STAFF, POS_CO, true},         {TZ_ROLE_MANAGER, POS_CO, true},
        {TZ_ROLE_MANAGER, POS_ABOVE, true},    {TZ_ROLE_STAFF, POS_BELOW, false},
        {TZ_ROLE_STAFF, POS_OTHER, false},     {TZ_ROLE_VIEWER, POS_LEAD, false},
        {TZ_ROLE_LEADER, POS_LEAD, false},     {TZ_ROLE_ADMIN, POS_LEAD, false},
        {TZ_ROLE_AUDITOR, POS_LEAD, false},
    };

    for (int s = 0; s < TZ__STATE_COUNT; s++) {
        for (size_t w = 0; w < sizeof(who) / sizeof(who[0]); w++) {
            struct fx f;
            setup(&f, (enum tz_state)s, who[w].roles, who[w].pos);
            enum tz_status want = !who[w].may                          ? TZ_EFORBIDDEN
                                  : tz_state_is_open((enum tz_state)s) ? TZ_OK
                                                                       : TZ_ETRANSITION;
            assert_int_equal(tz_loop_check_attach(&f.it, &f.a, &f.err), want);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matrix),
        cmocka_unit_test(test_matrix_examples),
        cmocka_unit_test(test_allowed_masks),
        cmocka_unit_test(test_requirements_assign),
        cmocka_unit_test(test_requirements_comment),
        cmocka_unit_test(test_requirements_no_comment_needed),
        cmocka_unit_test(test_requirements_report),
        cmocka_unit_test(test_requirements_submit),
        cmocka_unit_test(test_requirements_keep_ongoing),
        cmocka_unit_test(test_requirements_request_extension),
        cmocka_unit_test(test_requirements_extension_decisions),
        cmocka_unit_test(test_requirements_reopen),
        cmocka_unit_test(test_requirements_accept_block),
        cmocka_unit_test(test_unknown_action),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_apply_assign_object),
        cmocka_unit_test(test_apply_accept),
        cmocka_unit_test(test_apply_report),
        cmocka_unit_test(test_apply_submit_withdraws_extension),
        cmocka_unit_test(test_apply_verify_on_time),
        cmocka_unit_test(test_apply_keep_ongoing_reject),
        cmocka_unit_test(test_apply_extension),
        cmocka_unit_test(test_apply_remind_supervise),
        cmocka_unit_test(test_apply_reopen),
        cmocka_unit_test(test_apply_cancel_instruct),
        cmocka_unit_test(test_apply_full_loop),
        cmocka_unit_test(test_visible_draft),
        cmocka_unit_test(test_visible_scope),
        cmocka_unit_test(test_visible_admin_auditor),
        cmocka_unit_test(test_visible_cancelled),
        cmocka_unit_test(test_visible_registered),
        cmocka_unit_test(test_relations),
        cmocka_unit_test(test_check_edit),
        cmocka_unit_test(test_check_attach),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
