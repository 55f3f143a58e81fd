/*
 * test_ledger.c - ledger definitions as data and the check of `fields`
 * (ledger.h): every shipped definition loads, and each field type refuses what
 * it must, naming the field.
 */
#include "tz/embed.h"
#include "tz/ledger.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static struct tz_ledgers *load_shipped(void)
{
    struct tz_ledgers *l = tz_ledgers_new();
    struct tz_err err;
    for (const struct tz_embedded *f = tz_embedded_files; f->path; f++)
        if (strncmp(f->path, "data/ledgers/", 13) == 0)
            assert_int_equal(tz_ledgers_add_json(l, (const char *)f->data, f->len, &err), TZ_OK);
    return l;
}

static void test_shipped_ledgers(void **state)
{
    (void)state;
    static const char *const keys[] = {"rectification", "reform",     "project", "policy",
                                       "eco_problem",   "risk_point", "hazard",  "petition",
                                       "livelihood",    "indicator"};
    static const char *const prefixes[] = {"ZG", "GG", "XM", "ZC", "ST",
                                           "FX", "YH", "XF", "MS", "ZB"};
    struct tz_ledgers *l = load_shipped();
    assert_int_equal(tz_ledgers_count(l), 10);
    for (size_t i = 0; i < 10; i++) {
        const struct tz_ledger_def *d = tz_ledgers_at(l, i);
        assert_string_equal(d->key, keys[i]); /* in SPEC 3's order */
        assert_string_equal(d->prefix, prefixes[i]);
        assert_int_equal(d->is_register,
                         strcmp(keys[i], "policy") == 0 || strcmp(keys[i], "risk_point") == 0);
        assert_int_equal(d->warn_days, 3);
    }
    assert_null(tz_ledgers_find(l, "nonsense"));
    tz_ledgers_free(l);
}

static bool only_unit_7(void *arg, int64_t id)
{
    (void)arg;
    return id == 7;
}

struct vector {
    const char *ledger;
    const char *fields; /* JSON */
    enum tz_status want;
    const char *field; /* expected err.field when refused */
};

static const struct vector vectors[] = {
    {"rectification", "{}", TZ_OK, NULL},
    {"rectification", "{\"rect_type\":\"限期整改\",\"measures\":[\"一\",\"二\"]}", TZ_OK, NULL},
    {"rectification", "{\"rect_type\":\"马上改\"}", TZ_EINVAL, "rect_type"},
    {"rectification", "{\"measures\":\"一\"}", TZ_EINVAL, "measures"},
    {"rectification", "{\"measures\":[1]}", TZ_EINVAL, "measures"},
    {"rectification", "{\"colour\":\"红\"}", TZ_EINVAL, "colour"},
    {"rectification", "{\"source_type\":\"中央生态环境保护督察反馈问题\"}", TZ_OK, NULL},
    {"project", "{\"total_investment\":12000.5,\"phase\":\"在建\"}", TZ_OK, NULL},
    {"project", "{\"total_investment\":-1}", TZ_EINVAL, "total_investment"},
    {"project", "{\"total_investment\":\"很多\"}", TZ_EINVAL, "total_investment"},
    {"project", "{\"start_date\":\"2026-02-30\"}", TZ_EINVAL, "start_date"},
    {"project", "{\"start_date\":\"2026-02-28\"}", TZ_OK, NULL},
    {"project", "{\"milestones\":[{\"name\":\"开工\",\"due\":\"2026-03-01\",\"done\":true}]}",
     TZ_OK, NULL},
    {"project", "{\"milestones\":[{\"name\":\"开工\",\"due\":\"明年\"}]}", TZ_EINVAL, "milestones"},
    {"project", "{\"milestones\":[{\"name\":\"开工\",\"when\":1}]}", TZ_EINVAL, "milestones"},
    {"project",
     "{\"approvals\":[{\"name\":\"可行性研究报告批复\",\"status\":\"已取得\",\"date\":\"2026-02-"
     "10\",\"doc_no\":\"东发改〔2026〕12号\"},{\"name\":\"建筑工程施工许可证\"}]}",
     TZ_OK, NULL},
    {"project", "{\"approvals\":[{\"name\":\"环评批复\",\"status\":\"已办\"}]}", TZ_EINVAL,
     "approvals"},
    {"project", "{\"approvals\":[{\"name\":\"\"}]}", TZ_EINVAL, "approvals"},
    {"project", "{\"approvals\":[\"环评批复\"]}", TZ_EINVAL, "approvals"},
    {"project", "{\"approvals\":[{\"name\":\"节能审查\",\"date\":\"2026-02-30\"}]}", TZ_EINVAL,
     "approvals"},
    {"project", "{\"phase\":\"施工\"}", TZ_EINVAL, "phase"},
    {"petition", "{}", TZ_EINVAL, "received_on"},
    {"petition", "{\"received_on\":\"2026-11-02\",\"channel\":\"走访\",\"backlog\":true}", TZ_OK,
     NULL},
    {"petition", "{\"received_on\":\"2026-11-02\",\"backlog\":\"是\"}", TZ_EINVAL, "backlog"},
    {"petition", "{\"received_on\":null}", TZ_EINVAL, "received_on"},
    {"risk_point", "{\"s\":6}", TZ_EINVAL, "s"},
    {"risk_point", "{\"s\":2.5}", TZ_EINVAL, "s"},
    {"risk_point", "{\"s\":5,\"check_every_days\":30}", TZ_OK, NULL},
    {"eco_problem", "{\"category\":\"水\",\"found_by\":\"巡查\"}", TZ_OK, NULL},
    {"eco_problem", "{\"category\":\"光\"}", TZ_EINVAL, "category"},
    {"livelihood", "{\"beneficiaries\":-3}", TZ_EINVAL, "beneficiaries"},
};

static void test_field_checks(void **state)
{
    (void)state;
    struct tz_ledgers *l = load_shipped();
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        const struct vector *v = &vectors[i];
        struct tz_err err;
        tz_err_clear(&err);
        struct json_object *f = json_tokener_parse(v->fields);
        assert_non_null(f);
        enum tz_status s =
            tz_ledger_check_fields(tz_ledgers_find(l, v->ledger), f, true, only_unit_7, NULL, &err);
        json_object_put(f);
        if (s != v->want)
            fail_msg("vector %zu (%s %s): status %d, want %d (%s)", i, v->ledger, v->fields, s,
                     v->want, err.msg);
        if (v->field)
            assert_string_equal(err.field, v->field);
    }
    tz_ledgers_free(l);
}

static void test_unit_fields_and_definitions(void **state)
{
    (void)state;
    struct tz_ledgers *l = tz_ledgers_new();
    struct tz_err err;
    const char *def = "{\"key\":\"x\",\"name\":\"测试\",\"prefix\":\"XX\",\"fields\":["
                      "{\"key\":\"owner\",\"label\":\"单位\",\"type\":\"unit\"},"
                      "{\"key\":\"owners\",\"label\":\"单位们\",\"type\":\"unit_list\"}]}";
    assert_int_equal(tz_ledgers_add_json(l, def, strlen(def), &err), TZ_OK);
    const struct tz_ledger_def *d = tz_ledgers_find(l, "x");
    struct json_object *ok = json_tokener_parse("{\"owner\":7,\"owners\":[7,7]}");
    struct json_object *no = json_tokener_parse("{\"owners\":[7,8]}");
    assert_int_equal(tz_ledger_check_fields(d, ok, true, only_unit_7, NULL, &err), TZ_OK);
    assert_int_equal(tz_ledger_check_fields(d, no, true, only_unit_7, NULL, &err), TZ_EINVAL);
    assert_string_equal(err.field, "owners");
    json_object_put(ok);
    json_object_put(no);
    /* broken definitions are refused */
    const char *bad[] = {
        "{\"key\":\"y\",\"name\":\"n\"}",
        "{\"key\":\"y\",\"name\":\"n\",\"prefix\":\"Y\",\"fields\":[{\"key\":\"a\",\"label\":"
        "\"b\",\"type\":\"colour\"}]}",
        "{\"key\":\"y\",\"name\":\"n\",\"prefix\":\"Y\",\"fields\":[{\"key\":\"a\",\"label\":"
        "\"b\",\"type\":\"enum\"}]}",
        "{\"key\":\"y\",\"name\":\"n\",\"prefix\":\"Y\",\"extra\":1}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(tz_ledgers_add_json(l, bad[i], strlen(bad[i]), &err), TZ_EINVAL);
    assert_int_equal(tz_ledgers_count(l), 1);
    tz_ledgers_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_ledgers),
        cmocka_unit_test(test_field_checks),
        cmocka_unit_test(test_unit_fields_and_definitions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
