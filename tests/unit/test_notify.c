/*
 * test_notify.c - the pure half of the notifications (notify.h): signatures
 * against known answers computed independently, the robots' bodies, the
 * verdicts on their answers, URL checks and masking, the backoff schedule and
 * the message texts.
 *
 * The signature vectors were computed with Python's hmac module, not with the
 * code under test:
 *
 *   secret = "SEC000000000000000000000"
 *   base64(hmac.new(secret, f"{ts}\n{secret}", sha256).digest()), then quote_plus
 *     ts 1700000000000 -> 1zJ%2Fw34EOSVAYr7cu7Vo8LnebmK2%2FGrCgegtr8mQrqM%3D
 *     ts 1700000000004 -> dYgH6xrRTcunrT2tx3%2FD89WF%2BvvbPlpI9FuEGVpjJbw%3D
 *   "sha256=" + hmac.new(b"whsec", b"1700000000." + b'{"a":1}', sha256).hexdigest()
 *     -> sha256=8ad37ba156048ae0e0a5533c75cdf26fee88b07f93cb57ee4c80adb053012032
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tz/date.h"
#include "tz/json.h"
#include "tz/notify.h"

#include <string.h>

static void test_dingtalk_sign(void **state)
{
    (void)state;
    char out[128];
    tz_notify_dingtalk_sign("SEC000000000000000000000", 1700000000000LL, out, sizeof(out));
    assert_string_equal(out, "1zJ%2Fw34EOSVAYr7cu7Vo8LnebmK2%2FGrCgegtr8mQrqM%3D");
    /* a '+' in the base64 is encoded too */
    tz_notify_dingtalk_sign("SEC000000000000000000000", 1700000000004LL, out, sizeof(out));
    assert_string_equal(out, "dYgH6xrRTcunrT2tx3%2FD89WF%2BvvbPlpI9FuEGVpjJbw%3D");
}

static void test_webhook_signature(void **state)
{
    (void)state;
    char out[80];
    const char *body = "{\"a\":1}";
    tz_notify_webhook_signature("whsec", 1700000000LL, body, strlen(body), out);
    assert_string_equal(out,
                        "sha256=8ad37ba156048ae0e0a5533c75cdf26fee88b07f93cb57ee4c80adb053012032");
    tz_notify_webhook_signature("whsec", 1700000001LL, body, strlen(body), out);
    assert_string_not_equal(
        out, "sha256=8ad37ba156048ae0e0a5533c75cdf26fee88b07f93cb57ee4c80adb053012032");
}

static void test_backoff(void **state)
{
    (void)state;
    int s[8];
    size_t n = 0;
    assert_true(tz_notify_backoff_parse("30,120,600,3600,21600", s, 8, &n));
    assert_int_equal(n, 5);
    assert_int_equal(tz_notify_backoff(s, n, 1), 30);
    assert_int_equal(tz_notify_backoff(s, n, 2), 120);
    assert_int_equal(tz_notify_backoff(s, n, 5), 21600);
    assert_int_equal(tz_notify_backoff(s, n, 9), 21600); /* past the end: the last wait */
    assert_int_equal(tz_notify_backoff(s, 0, 1), 0);
    static const char *const bad[] = {
        "", "x", "30,", ",30", "30;60", "-1", "30,,60", "999999999", "1,2,3,4,5,6,7,8,9"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(tz_notify_backoff_parse(bad[i], s, 8, &n));
}

static void test_urls(void **state)
{
    (void)state;
    assert_true(tz_notify_url_ok("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"));
    assert_true(tz_notify_url_ok("http://127.0.0.1:8080/hook"));
    static const char *const bad[] = {
        "ftp://x/",           "javascript:alert(1)", "http://",
        "https:///path",      "http://a b",          "http://user:pw@host/",
        "file:///etc/passwd", "HTTP://x/",           "http://:80/",
        "http://x/\"q"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(tz_notify_url_ok(bad[i]));
    struct tz_strbuf sb = TZ_STRBUF_INIT;
    tz_notify_url_mask("https://oapi.dingtalk.com/robot/send?access_token=0123456789&x=ab#frag",
                       &sb);
    assert_string_equal(sb.buf, "https://oapi.dingtalk.com/robot/send?access_token=0123****&x=ab");
    tz_strbuf_reset(&sb);
    tz_notify_url_mask("http://127.0.0.1/hook", &sb);
    assert_string_equal(sb.buf, "http://127.0.0.1/hook");
    tz_strbuf_release(&sb);
}

static struct json_object *parse(const struct tz_strbuf *sb)
{
    struct tz_err err;
    struct json_object *o = tz_json_parse_object(sb->buf, sb->len, &err);
    assert_non_null(o);
    return o;
}

static const char *str_at(struct json_object *o, const char *a, const char *b)
{
    struct json_object *x = NULL, *y = NULL;
    assert_true(json_object_object_get_ex(o, a, &x));
    if (!b)
        return json_object_get_string(x);
    assert_true(json_object_object_get_ex(x, b, &y));
    return json_object_get_string(y);
}

static void test_bodies(void **state)
{
    (void)state;
    struct tz_notify_msg_view m = {
        .id = 7,
        .event = "remind",
        .title = "【催办】ZG-2026-0001 标题",
        .text = "### 【催办】标题\n> 编号：ZG\n**意见：**快\n[查看](/#/items/1)",
        .unit_code = "ZJJ",
        .item_id = 1,
        .created_at = "2026-11-30T09:00:00+08:00"};
    struct tz_strbuf sb = TZ_STRBUF_INIT;
    tz_notify_body(TZ_NOTIFY_WECOM, false, &m, &sb);
    struct json_object *o = parse(&sb);
    assert_string_equal(str_at(o, "msgtype", NULL), "markdown");
    assert_string_equal(str_at(o, "markdown", "content"), m.text);
    json_object_put(o);

    tz_strbuf_reset(&sb);
    tz_notify_body(TZ_NOTIFY_WECOM, true, &m, &sb);
    o = parse(&sb);
    assert_string_equal(str_at(o, "msgtype", NULL), "text");
    assert_string_equal(str_at(o, "text", "content"),
                        "【催办】标题\n编号：ZG\n意见：快\n查看 /#/items/1");
    json_object_put(o);

    tz_strbuf_reset(&sb);
    tz_notify_body(TZ_NOTIFY_DINGTALK, false, &m, &sb);
    o = parse(&sb);
    assert_string_equal(str_at(o, "msgtype", NULL), "markdown");
    assert_string_equal(str_at(o, "markdown", "title"), m.title);
    assert_string_equal(str_at(o, "markdown", "text"), m.text);
    json_object_put(o);

    tz_strbuf_reset(&sb);
    tz_notify_body(TZ_NOTIFY_WEBHOOK, false, &m, &sb);
    o = parse(&sb);
    assert_string_equal(str_at(o, "event", NULL), "remind");
    assert_string_equal(str_at(o, "unit", NULL), "ZJJ");
    assert_string_equal(str_at(o, "markdown", NULL), m.text);
    struct json_object *id = NULL;
    assert_true(json_object_object_get_ex(o, "id", &id));
    assert_int_equal(json_object_get_int64(id), 7);
    json_object_put(o);
    tz_strbuf_release(&sb);
}

static void test_verdicts(void **state)
{
    (void)state;
    char why[256];
    static const struct {
        enum tz_notify_kind kind;
        long status;
        const char *body;
        enum tz_notify_verdict want;
    } cases[] = {
        {TZ_NOTIFY_WECOM, 200, "{\"errcode\":0,\"errmsg\":\"ok\"}", TZ_NOTIFY_SENT},
        {TZ_NOTIFY_WECOM, 200, "{\"errcode\":93000,\"errmsg\":\"invalid webhook url\"}",
         TZ_NOTIFY_PERMANENT},
        {TZ_NOTIFY_WECOM, 200, "{\"errcode\":45009,\"errmsg\":\"freq\"}", TZ_NOTIFY_RETRY},
        {TZ_NOTIFY_DINGTALK, 200, "{\"errcode\":130101,\"errmsg\":\"send too fast\"}",
         TZ_NOTIFY_RETRY},
        {TZ_NOTIFY_DINGTALK, 200, "{\"errcode\":310000,\"errmsg\":\"sign not match\"}",
         TZ_NOTIFY_PERMANENT},
        {TZ_NOTIFY_DINGTALK, 200, "{\"errcode\":-1,\"errmsg\":\"busy\"}", TZ_NOTIFY_RETRY},
        {TZ_NOTIFY_DINGTALK, 200, "not json", TZ_NOTIFY_RETRY},
        {TZ_NOTIFY_WECOM, 500, "", TZ_NOTIFY_RETRY},
        {TZ_NOTIFY_WECOM, 429, "", TZ_NOTIFY_RETRY},
        {TZ_NOTIFY_WECOM, 404, "", TZ_NOTIFY_PERMANENT},
        {TZ_NOTIFY_WEBHOOK, 204, "", TZ_NOTIFY_SENT},
        {TZ_NOTIFY_WEBHOOK, 200, "{\"errcode\":5}", TZ_NOTIFY_SENT}, /* ours: status alone */
        {TZ_NOTIFY_WEBHOOK, 401, "", TZ_NOTIFY_PERMANENT},
        {TZ_NOTIFY_WEBHOOK, 0, "", TZ_NOTIFY_RETRY},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        enum tz_notify_verdict v = tz_notify_judge(cases[i].kind, cases[i].status, cases[i].body,
                                                   strlen(cases[i].body), why, sizeof(why));
        if (v != cases[i].want)
            fail_msg("case %zu: verdict %d, want %d (%s)", i, v, cases[i].want, why);
    }
    const char *answer = "{\"errcode\":93000,\"errmsg\":\"invalid webhook url\"}";
    tz_notify_judge(TZ_NOTIFY_WECOM, 200, answer, strlen(answer), why, sizeof(why));
    assert_string_equal(why, "errcode 93000: invalid webhook url");
}

static void test_texts(void **state)
{
    (void)state;
    struct tz_strbuf title = TZ_STRBUF_INIT, text = TZ_STRBUF_INIT;
    struct tz_notify_urge u = {
        .supervise = true,
        .by = "王主任",
        .unit_name = "住建局",
        .item_id = 42,
        .item = {.code = "ZG-2026-0042",
                 .title = "老旧小区改造",
                 .deadline = tz_date_from_ymd(2026, 12, 4),
                 .light = "red"},
        .comment = "限期整改",
        .base_url = "https://dcs.example.gov.cn/",
    };
    tz_notify_format_urge(&u, &title, &text);
    assert_string_equal(title.buf, "【督办】ZG-2026-0042 老旧小区改造");
    assert_string_equal(text.buf, "### 【督办】老旧小区改造\n"
                                  "> 编号：ZG-2026-0042\n"
                                  "> 牵头单位：住建局\n"
                                  "> 办理时限：2026年12月4日\n"
                                  "> 状态灯：红灯\n"
                                  "> 督办人：王主任\n"
                                  "\n**督办意见：**限期整改\n"
                                  "\n[查看事项](https://dcs.example.gov.cn/#/items/42)");
    tz_strbuf_reset(&title);
    tz_strbuf_reset(&text);
    u.supervise = false;
    u.comment = NULL;
    u.base_url = NULL;
    u.item.deadline = TZ_DAY_NONE;
    tz_notify_format_urge(&u, &title, &text);
    assert_non_null(strstr(text.buf, "【催办】"));
    assert_non_null(strstr(text.buf, "办理时限：无"));
    assert_null(strstr(text.buf, "意见"));
    assert_non_null(strstr(text.buf, "[查看事项](/#/items/42)"));

    struct tz_notify_item_line late[] = {
        {"ZG-2026-0001", "河道整治", tz_date_from_ymd(2026, 11, 20), "red", 10}};
    struct tz_notify_item_line soon[] = {
        {"ZG-2026-0002", "垃圾清运", tz_date_from_ymd(2026, 12, 2), "yellow", 0}};
    struct tz_notify_digest d = {.unit_name = "住建局",
                                 .today = tz_date_from_ymd(2026, 11, 30),
                                 .n_overdue = 3,
                                 .n_due_soon = 1,
                                 .overdue = late,
                                 .n_overdue_lines = 1,
                                 .due_soon = soon,
                                 .n_due_soon_lines = 1};
    tz_strbuf_reset(&title);
    tz_strbuf_reset(&text);
    tz_notify_format_digest(&d, &title, &text);
    assert_string_equal(title.buf, "【每日提醒】住建局：逾期3项，临期1项");
    assert_string_equal(text.buf, "### 【每日提醒】住建局\n"
                                  "> 2026年11月30日：逾期 **3** 项，临期 **1** 项\n"
                                  "\n**逾期事项**\n"
                                  "- ZG-2026-0001 河道整治，时限 2026年11月20日，已逾期10天\n"
                                  "- ……另有2项\n"
                                  "\n**临期事项**\n"
                                  "- ZG-2026-0002 垃圾清运，时限 2026年12月2日\n"
                                  "\n[查看待办](/#/todos)");
    tz_strbuf_release(&title);
    tz_strbuf_release(&text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dingtalk_sign), cmocka_unit_test(test_webhook_signature),
        cmocka_unit_test(test_backoff),       cmocka_unit_test(test_urls),
        cmocka_unit_test(test_bodies),        cmocka_unit_test(test_verdicts),
        cmocka_unit_test(test_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
