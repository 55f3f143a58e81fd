/*
 * test_app_faults.c - every use case survives a failing store.
 *
 * For N = 1, 2, ... the store fails its Nth call (statement, BEGIN or COMMIT)
 * while one use case runs, until a run needs fewer than N calls. After each
 * run the database must be whole: on failure nothing of the change is there
 * (same item version, no new event, attachment, item or user), on success all
 * of it; the audit chain always verifies; and ASan sees no leak. The answer
 * must be a mapped error (an HTTP status of 400 or more), never a crash.
 */
#include "tz/app.h"
#include "tz/date.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

struct countdown {
    int left;  /* fail when this reaches 0 */
    int calls; /* calls seen */
};

static bool fail_nth(void *arg)
{
    struct countdown *cd = arg;
    cd->calls++;
    return --cd->left == 0;
}

static char baseline[512];
static char workdir[128];
static int64_t item_id;

struct fixture {
    struct tz_store *st;
    struct tz_ctx ctx;
    struct tz_arena arena;
    struct tz_call call;
};

static void open_db(struct fixture *fx, const char *path)
{
    struct tz_config cfg;
    struct tz_err err;
    tz_config_init(&cfg);
    cfg.data_dir = workdir;
    cfg.today_fixed = tz_date_from_ymd(2026, 11, 30);
    fx->st = tz_store_sqlite_open(path, true, 2, &err);
    assert_non_null(fx->st);
    assert_int_equal(tz_ctx_init(&fx->ctx, &cfg, fx->st, &err), TZ_OK);
    tz_arena_init(&fx->arena);
}

static void close_db(struct fixture *fx)
{
    tz_arena_release(&fx->arena);
    tz_ctx_release(&fx->ctx);
    tz_store_close(fx->st);
}

/* A call as the named user, as the HTTP layer would make after sign-in. */
static void call_as(struct fixture *fx, const char *username)
{
    struct tz_err err;
    tz_call_init(&fx->call, &fx->ctx, &fx->arena, "127.0.0.1");
    assert_int_equal(TZ_STORE(fx->call.conn)
                         ->user_get(fx->call.conn, 0, username, &fx->arena, &fx->call.user, &err),
                     TZ_OK);
    fx->call.signed_in = true;
    /* the actor's subtree: every unit (the fixture's users sit at the root or at ZJJ) */
    static int64_t all[] = {1, 2, 3};
    fx->call.actor = (struct tz_actor){.user_id = fx->call.user.id,
                                       .username = fx->call.user.username,
                                       .unit_id = fx->call.user.unit_id,
                                       .roles = fx->call.user.roles,
                                       .subtree = fx->call.user.unit_id == 1 ? all : all + 2,
                                       .n_subtree = fx->call.user.unit_id == 1 ? 3 : 1};
}

static struct json_object *parse(const char *text)
{
    struct tz_err err;
    struct json_object *o = tz_json_parse(text, strlen(text), &err);
    assert_non_null(o);
    return o;
}

static int64_t count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* The numbers a use case may change, read straight from the file. */
struct snapshot {
    int64_t items, version, events, attachments, units, users, sessions;
};

static void snap(const char *path, struct snapshot *s)
{
    sqlite3 *db = NULL;
    char sql[128];
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    s->items = count(db, "SELECT count(*) FROM items");
    snprintf(sql, sizeof(sql), "SELECT version FROM items WHERE id = %lld", (long long)item_id);
    s->version = count(db, sql);
    s->events = count(db, "SELECT count(*) FROM events");
    s->attachments = count(db, "SELECT count(*) FROM attachments");
    s->units = count(db, "SELECT count(*) FROM units");
    s->users = count(db, "SELECT count(*) FROM users");
    s->sessions = count(db, "SELECT count(*) FROM sessions");
    sqlite3_close(db);
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buf[65536];
    size_t n;
    assert_non_null(in);
    assert_non_null(out);
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    fclose(out);
}

/* Builds the baseline: root, two units, a supervisor and a staff user, one item in progress. */
static int make_baseline(void **state)
{
    (void)state;
    struct fixture fx;
    struct tz_err err;
    struct json_object *out = NULL;
    if (sodium_init() < 0)
        return -1;
    snprintf(workdir, sizeof(workdir), "/tmp/tz-faults-%ld", (long)getpid());
    snprintf(baseline, sizeof(baseline), "%s/base.db", workdir);
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "rm -rf %s && mkdir -p %s", workdir, workdir);
    if (system(cmd) != 0)
        return -1;
    open_db(&fx, baseline);
    assert_int_equal(tz_app_init(&fx.ctx, "admin", "Admin@12345", &err), TZ_OK);
    call_as(&fx, "admin");
    const char *bodies[] = {
        "{\"code\":\"DCS\",\"name\":\"督查室\",\"kind\":\"department\",\"parent_id\":1}",
        "{\"code\":\"ZJJ\",\"name\":\"住建局\",\"kind\":\"department\",\"parent_id\":1}",
    };
    for (int i = 0; i < 2; i++) {
        struct json_object *b = parse(bodies[i]);
        assert_int_equal(tz_app_unit_create(&fx.call, b, &out, &err), TZ_OK);
        json_object_put(b);
        json_object_put(out);
    }
    const char *users[] = {"{\"username\":\"sup\",\"display_name\":\"督查\",\"unit_id\":1,"
                           "\"roles\":[\"supervisor\"],\"password\":\"Sup@12345\"}",
                           "{\"username\":\"zs\",\"display_name\":\"张三\",\"unit_id\":3,"
                           "\"roles\":[\"staff\"],\"password\":\"Staff@12345\"}"};
    for (int i = 0; i < 2; i++) {
        struct json_object *b = parse(users[i]);
        assert_int_equal(tz_app_user_create(&fx.call, b, &out, &err), TZ_OK);
        json_object_put(b);
        json_object_put(out);
    }
    tz_call_release(&fx.call);
    call_as(&fx, "sup");
    struct json_object *b = parse("{\"ledger\":\"rectification\",\"title\":\"排污口整治\","
                                  "\"lead_unit_id\":3,\"deadline\":\"2026-12-31\"}");
    assert_int_equal(tz_app_item_create(&fx.call, b, &out, &err), TZ_OK);
    /* items come back rendered as text: read the id back from it */
    struct json_object *o = parse(tz_json_compact(out, NULL));
    item_id = json_object_get_int64(json_object_object_get(o, "id"));
    json_object_put(o);
    json_object_put(b);
    json_object_put(out);
    const char *assign = "{\"action\":\"assign\",\"version\":1}";
    assert_int_equal(tz_app_item_action(&fx.call, item_id, assign, strlen(assign), &out, &err),
                     TZ_OK);
    json_object_put(out);
    tz_call_release(&fx.call);
    call_as(&fx, "zs");
    const char *accept = "{\"action\":\"accept\",\"version\":2}";
    assert_int_equal(tz_app_item_action(&fx.call, item_id, accept, strlen(accept), &out, &err),
                     TZ_OK);
    json_object_put(out);
    tz_call_release(&fx.call);
    close_db(&fx);
    return 0;
}

static int remove_baseline(void **state)
{
    char cmd[300];
    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf %s", workdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* One use case under test: runs as `user`, returns its status. */
struct use_case {
    const char *name;
    const char *user;
    enum tz_status (*run)(struct tz_call *call, struct json_object **out, struct tz_err *err);
    /* on success, what must have grown */
    int d_items, d_version, d_events, d_attachments, d_units, d_users, d_sessions;
};

static enum tz_status uc_create(struct tz_call *call, struct json_object **out, struct tz_err *err)
{
    struct json_object *b = parse("{\"ledger\":\"reform\",\"title\":\"新改革任务\"}");
    enum tz_status s = tz_app_item_create(call, b, out, err);
    json_object_put(b);
    return s;
}

static enum tz_status uc_report(struct tz_call *call, struct json_object **out, struct tz_err *err)
{
    const char *b = "{\"action\":\"report\",\"version\":3,\"comment\":\"完成过半\","
                    "\"progress\":50}";
    return tz_app_item_action(call, item_id, b, strlen(b), out, err);
}

static enum tz_status uc_patch(struct tz_call *call, struct json_object **out, struct tz_err *err)
{
    const char *b = "{\"title\":\"排污口整治（改）\",\"version\":3}";
    return tz_app_item_patch(call, item_id, b, strlen(b), out, err);
}

static enum tz_status uc_attach(struct tz_call *call, struct json_object **out, struct tz_err *err)
{
    static const char pdf[] = "%PDF-1.4\nfault test\n%%EOF\n";
    return tz_app_attach(call, item_id, "现场.pdf", "application/pdf", pdf, sizeof(pdf) - 1, out,
                         err);
}

static enum tz_status uc_unit(struct tz_call *call, struct json_object **out, struct tz_err *err)
{
    struct json_object *b =
        parse("{\"code\":\"STJ\",\"name\":\"生态环境局\",\"kind\":\"department\",\"parent_id\":1}");
    enum tz_status s = tz_app_unit_create(call, b, out, err);
    json_object_put(b);
    return s;
}

static enum tz_status uc_user(struct tz_call *call, struct json_object **out, struct tz_err *err)
{
    struct json_object *b = parse("{\"username\":\"ls\",\"display_name\":\"李四\",\"unit_id\":3,"
                                  "\"roles\":[\"manager\"],\"password\":\"Mgr@123456\"}");
    enum tz_status s = tz_app_user_create(call, b, out, err);
    json_object_put(b);
    return s;
}

static enum tz_status uc_login(struct tz_call *call, struct json_object **out, struct tz_err *err)
{
    struct tz_login login;
    enum tz_status s = tz_app_login(call, "zs", "Staff@12345", &login, err);
    *out = s == TZ_OK ? login.user : NULL;
    return s;
}

static enum tz_status uc_hazards(struct tz_call *call, struct json_object **out, struct tz_err *err)
{
    return tz_app_hazard_stats(call, "2026", "4", out, err);
}

/* An import (one bulk transaction): a new item, and the progress of the item in progress. */
static enum tz_status uc_import(struct tz_call *call, struct json_object **out, struct tz_err *err)
{
    static const char csv[] = "编号,事项,牵头单位,进度,版本\n"
                              ",导入新建,住建局,,\n"
                              "ZG-2026-0001,排污口整治,住建局,60,3\n";
    struct tz_import_opts o = {.ledger = "rectification", .name = "故障.csv"};
    return tz_app_import(call, &o, csv, sizeof(csv) - 1, out, err);
}

/* The printed documents: a failed print is an error and the caller removes its file. */
static enum tz_status uc_print(struct tz_call *call, bool notice, struct json_object **out,
                               struct tz_err *err)
{
    char path[300];
    struct tz_report_out ro;
    snprintf(path, sizeof(path), "%s/print.pdf", workdir);
    enum tz_status s = notice
                           ? tz_app_report_notice(call, item_id, path, NULL, NULL, &ro, err)
                           : tz_app_report_bulletin(call, NULL, NULL, path, NULL, NULL, &ro, err);
    if (s == TZ_OK) {
        FILE *f = fopen(path, "rb");
        char head[5] = {0};
        assert_non_null(f);
        assert_int_equal(fread(head, 1, sizeof(head), f), sizeof(head));
        fclose(f);
        assert_memory_equal(head, "%PDF-", 5);
    }
    unlink(path);
    *out = NULL;
    return s;
}

static enum tz_status uc_bulletin(struct tz_call *call, struct json_object **out,
                                  struct tz_err *err)
{
    return uc_print(call, false, out, err);
}

static enum tz_status uc_notice(struct tz_call *call, struct json_object **out, struct tz_err *err)
{
    return uc_print(call, true, out, err);
}

static const struct use_case cases[] = {
    {"create item", "sup", uc_create, 1, 0, 1, 0, 0, 0, 0},
    {"report", "zs", uc_report, 0, 1, 1, 0, 0, 0, 0},
    {"patch", "sup", uc_patch, 0, 1, 1, 0, 0, 0, 0},
    {"attach", "zs", uc_attach, 0, 1, 1, 1, 0, 0, 0},
    {"create unit", "admin", uc_unit, 0, 0, 0, 0, 1, 0, 0},
    {"create user", "admin", uc_user, 0, 0, 0, 0, 0, 1, 0},
    {"login", "zs", uc_login, 0, 0, 0, 0, 0, 0, 1},
    {"hazard statistics", "sup", uc_hazards, 0, 0, 0, 0, 0, 0, 0},
    {"print bulletin", "sup", uc_bulletin, 0, 0, 0, 0, 0, 0, 0},
    {"print notice", "zs", uc_notice, 0, 0, 0, 0, 0, 0, 0},
    {"import", "sup", uc_import, 1, 1, 2, 0, 0, 0, 0},
};

static void check_chain(const char *path)
{
    struct fixture fx;
    struct tz_err err;
    struct tz_audit_verifier v;
    open_db(&fx, path);
    struct tz_store_conn *c = fx.st->ops->acquire(fx.st);
    assert_int_equal(tz_app_audit_verify(&fx.ctx, c, &v, &err), TZ_OK);
    fx.st->ops->release(c);
    close_db(&fx);
    assert_int_equal(v.first_broken_seq, 0);
    assert_true(v.checked > 0);
}

static void test_every_fault(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof(path), "%s/run.db", workdir);
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        const struct use_case *uc = &cases[k];
        int failures = 0;
        for (int n = 1; n < 200; n++) {
            struct fixture fx;
            struct snapshot before, after;
            struct tz_err err;
            struct json_object *out = NULL;
            struct countdown cd = {.left = n};
            unlink(path);
            copy_file(baseline, path);
            snap(path, &before);
            open_db(&fx, path);
            call_as(&fx, uc->user);
            tz_err_clear(&err);
            tz_store_sqlite_set_fault(fx.st, fail_nth, &cd);
            enum tz_status s = uc->run(&fx.call, &out, &err);
            tz_store_sqlite_set_fault(fx.st, NULL, NULL);
            json_object_put(out);
            tz_call_release(&fx.call);
            close_db(&fx);
            snap(path, &after);
            if (s != TZ_OK) {
                failures++;
                if (tz_status_http(s) < 400)
                    fail_msg("%s, fault %d: status %d is not an error", uc->name, n, s);
                assert_int_equal(after.items, before.items);
                assert_int_equal(after.version, before.version);
                assert_int_equal(after.events, before.events);
                assert_int_equal(after.attachments, before.attachments);
                assert_int_equal(after.units, before.units);
                assert_int_equal(after.users, before.users);
                assert_int_equal(after.sessions, before.sessions);
            } else {
                assert_int_equal(after.items, before.items + uc->d_items);
                assert_int_equal(after.version, before.version + uc->d_version);
                assert_int_equal(after.events, before.events + uc->d_events);
                assert_int_equal(after.attachments, before.attachments + uc->d_attachments);
                assert_int_equal(after.units, before.units + uc->d_units);
                assert_int_equal(after.users, before.users + uc->d_users);
                assert_int_equal(after.sessions, before.sessions + uc->d_sessions);
            }
            check_chain(path);
            if (cd.calls < n) {
                /* this run needed fewer calls than the fault: it ran clean, so we are done */
                assert_int_equal(s, TZ_OK);
                break;
            }
        }
        /* the use case touched the store, so some faults must have failed it */
        assert_true(failures > 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_fault),
    };
    return cmocka_run_group_tests(tests, make_baseline, remove_baseline);
}
