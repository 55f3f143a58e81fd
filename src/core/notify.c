/*
 * notify.c - message texts, robot bodies, signatures and verdicts for the
 * notifications (notify.h). Pure: the clock and the secrets are arguments.
 *
 * The robots' formats (vendor documentation): WeCom's group robot takes
 * {"msgtype":"markdown","markdown":{"content":…}} or {"msgtype":"text",
 * "text":{"content":…}}; DingTalk's custom robot {"msgtype":"markdown",
 * "markdown":{"title":…,"text":…}} or {"msgtype":"text","text":{"content":…}}.
 * Both answer HTTP 200 with {"errcode":0,"errmsg":"ok"}; a non-zero errcode
 * is a failure. The codes that mean "this address or secret is wrong" are
 * permanent; rate limits (WeCom 45009, DingTalk 130101) and anything unknown
 * are retried, so a passing fault never loses a message before its last try.
 */
#include "tz/notify.h"

#include "tz/date.h"
#include "tz/json.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {"wecom", "dingtalk", "webhook"};

const char *tz_notify_kind_name(enum tz_notify_kind k)
{
    return (unsigned)k < 3 ? kind_names[k] : "?";
}

bool tz_notify_kind_parse(const char *s, enum tz_notify_kind *out)
{
    for (int i = 0; s && i < 3; i++) {
        if (strcmp(s, kind_names[i]) == 0) {
            *out = (enum tz_notify_kind)i;
            return true;
        }
    }
    return false;
}

/* ---- URLs --------------------------------------------------------------- */

bool tz_notify_url_ok(const char *url)
{
    size_t skip;
    if (!url)
        return false;
    if (strncmp(url, "https://", 8) == 0)
        skip = 8;
    else if (strncmp(url, "http://", 7) == 0)
        skip = 7;
    else
        return false;
    if (strlen(url) > 2000)
        return false;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
            return false;
    const char *host = url + skip;
    size_t host_len = strcspn(host, "/?#");
    /* a host, and no user:password@ in front of it */
    return host_len > 0 && host[0] != ':' && memchr(host, '@', host_len) == NULL;
}

void tz_notify_url_mask(const char *url, struct tz_strbuf *out)
{
    const char *q = strchr(url, '?');
    if (!q) {
        tz_strbuf_addstr(out, url);
        return;
    }
    tz_strbuf_add(out, url, (size_t)(q - url) + 1);
    const char *p = q + 1;
    while (*p) {
        size_t len = strcspn(p, "&#");
        const char *eq = memchr(p, '=', len);
        if (eq) {
            size_t name_len = (size_t)(eq - p) + 1, value_len = len - name_len;
            tz_strbuf_add(out, p, name_len);
            if (value_len > 4) {
                tz_strbuf_add(out, eq + 1, 4);
                tz_strbuf_addstr(out, "****");
            } else {
                tz_strbuf_add(out, eq + 1, value_len);
            }
        } else {
            tz_strbuf_add(out, p, len);
        }
        p += len;
        if (*p == '#')
            break; /* a fragment is never sent: drop it */
        if (*p == '&') {
            tz_strbuf_addch(out, '&');
            p++;
        }
    }
}

/* ---- backoff ------------------------------------------------------------ */

int64_t tz_notify_backoff(const int *schedule_s, size_t n, int attempt)
{
    if (n == 0 || attempt < 1)
        return 0;
    size_t i = (size_t)attempt - 1;
    return schedule_s[i < n ? i : n - 1];
}

bool tz_notify_backoff_parse(const char *s, int *out, size_t max, size_t *n_out)
{
    size_t n = 0;
    const char *p = s;
    *n_out = 0;
    if (!s || !*s)
        return false;
    while (*p) {
        char *end = NULL;
        long v = strtol(p, &end, 10);
        if (end == p || v < 0 || v > 7 * 86400 || n == max)
            return false;
        out[n++] = (int)v;
        if (*end == ',' && end[1] != '\0')
            end++;
        else if (*end)
            return false; /* anything else, or a trailing comma */
        p = end;
    }
    *n_out = n;
    return n > 0;
}

/* ---- bodies ------------------------------------------------------------- */

static void add_str(struct tz_strbuf *sb, const char *s)
{
    if (s)
        tz_strbuf_add_json_str(sb, s, strlen(s));
    else
        tz_strbuf_addstr(sb, "null");
}

void tz_notify_plain(const char *md, struct tz_strbuf *out)
{
    bool line_start = true;
    for (const char *p = md; *p;) {
        if (line_start) {
            while (*p == '#')
                p++;
            if (*p == '>')
                p++;
            if (*p == ' ' && p > md && (p[-1] == '#' || p[-1] == '>'))
                p++;
            line_start = false;
            continue;
        }
        if (p[0] == '*' && p[1] == '*') {
            p += 2;
            continue;
        }
        if (*p == '[') {
            const char *close = strstr(p, "](");
            const char *nl = strchr(p, '\n');
            const char *end = close ? strchr(close, ')') : NULL;
            if (close && end && (!nl || end < nl)) {
                tz_strbuf_add(out, p + 1, (size_t)(close - p - 1));
                tz_strbuf_addch(out, ' ');
                tz_strbuf_add(out, close + 2, (size_t)(end - close - 2));
                p = end + 1;
                continue;
            }
        }
        tz_strbuf_addch(out, *p);
        if (*p == '\n')
            line_start = true;
        p++;
    }
}

void tz_notify_body(enum tz_notify_kind kind, bool as_text, const struct tz_notify_msg_view *m,
                    struct tz_strbuf *out)
{
    struct tz_strbuf plain = TZ_STRBUF_INIT;
    if (as_text || kind == TZ_NOTIFY_WEBHOOK)
        tz_notify_plain(m->text, &plain);
    const char *text = plain.buf ? plain.buf : "";
    switch (kind) {
    case TZ_NOTIFY_WECOM:
        if (as_text) {
            tz_strbuf_addstr(out, "{\"msgtype\":\"text\",\"text\":{\"content\":");
            add_str(out, text);
        } else {
            tz_strbuf_addstr(out, "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":");
            add_str(out, m->text);
        }
        tz_strbuf_addstr(out, "}}");
        break;
    case TZ_NOTIFY_DINGTALK:
        if (as_text) {
            tz_strbuf_addstr(out, "{\"msgtype\":\"text\",\"text\":{\"content\":");
            add_str(out, text);
        } else {
            tz_strbuf_addstr(out, "{\"msgtype\":\"markdown\",\"markdown\":{\"title\":");
            add_str(out, m->title);
            tz_strbuf_addstr(out, ",\"text\":");
            add_str(out, m->text);
        }
        tz_strbuf_addstr(out, "}}");
        break;
    case TZ_NOTIFY_WEBHOOK:
        tz_strbuf_addf(out, "{\"id\":%lld,\"event\":", (long long)m->id);
        add_str(out, m->event);
        tz_strbuf_addstr(out, ",\"title\":");
        add_str(out, m->title);
        tz_strbuf_addstr(out, ",\"markdown\":");
        add_str(out, m->text);
        tz_strbuf_addstr(out, ",\"text\":");
        add_str(out, text);
        tz_strbuf_addstr(out, ",\"unit\":");
        add_str(out, m->unit_code);
        if (m->item_id)
            tz_strbuf_addf(out, ",\"item_id\":%lld", (long long)m->item_id);
        else
            tz_strbuf_addstr(out, ",\"item_id\":null");
        tz_strbuf_addstr(out, ",\"created_at\":");
        add_str(out, m->created_at);
        tz_strbuf_addch(out, '}');
        break;
    }
    tz_strbuf_release(&plain);
}

/* ---- signatures --------------------------------------------------------- */

static unsigned hmac_sha256(const char *key, const void *data, size_t len, unsigned char md[32])
{
    unsigned md_len = 0;
    HMAC(EVP_sha256(), key, (int)strlen(key), data, len, md, &md_len);
    return md_len;
}

void tz_notify_dingtalk_sign(const char *secret, int64_t ts_ms, char *out, size_t out_len)
{
    char msg[1024];
    unsigned char md[32], b64[64];
    int n = snprintf(msg, sizeof(msg), "%lld\n%s", (long long)ts_ms, secret);
    size_t msg_len = n < 0 ? 0 : ((size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
    unsigned md_len = hmac_sha256(secret, msg, msg_len, md);
    int b64_len = EVP_EncodeBlock(b64, md, (int)md_len);
    /* URL-encode: base64's '+', '/' and '=' are the only characters that need it */
    size_t o = 0;
    for (int i = 0; i < b64_len && o + 4 < out_len; i++) {
        unsigned char c = b64[i];
        if (c == '+' || c == '/' || c == '=')
            o += (size_t)snprintf(out + o, out_len - o, "%%%02X", c);
        else
            out[o++] = (char)c;
    }
    out[o < out_len ? o : out_len - 1] = '\0';
}

void tz_notify_webhook_signature(const char *secret, int64_t ts, const char *body, size_t body_len,
                                 char out[80])
{
    unsigned char md[32];
    char prefix[32];
    int n = snprintf(prefix, sizeof(prefix), "%lld.", (long long)ts);
    struct tz_strbuf msg = TZ_STRBUF_INIT;
    tz_strbuf_add(&msg, prefix, (size_t)n);
    tz_strbuf_add(&msg, body, body_len);
    unsigned md_len = hmac_sha256(secret, msg.buf, msg.len, md);
    tz_strbuf_release(&msg);
    memcpy(out, "sha256=", 7);
    for (unsigned i = 0; i < md_len; i++)
        snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
    out[7 + 2 * md_len] = '\0';
}

/* ---- verdicts ----------------------------------------------------------- */

/* Codes that say the address, key, token or signature is wrong: retrying cannot help. */
static const long permanent_codes[] = {
    93000,  /* WeCom: invalid webhook URL (bad key) */
    93004,  /* WeCom: robot removed from the group */
    40008,  /* WeCom: invalid message type */
    40058,  /* WeCom: invalid parameter */
    300001, /* DingTalk: token invalid */
    300005, /* DingTalk: token does not exist */
    310000, /* DingTalk: signature, keyword or IP check failed */
    400101, /* DingTalk: access_token does not exist */
    400102, /* DingTalk: robot stopped */
};

static bool is_permanent_code(long code)
{
    for (size_t i = 0; i < sizeof(permanent_codes) / sizeof(permanent_codes[0]); i++)
        if (permanent_codes[i] == code)
            return true;
    return false;
}

enum tz_notify_verdict tz_notify_judge(enum tz_notify_kind kind, long http_status, const char *body,
                                       size_t body_len, char *why, size_t why_len)
{
    why[0] = '\0';
    if (http_status == 0) {
        snprintf(why, why_len, "no answer");
        return TZ_NOTIFY_RETRY;
    }
    if (http_status < 200 || http_status > 299) {
        snprintf(why, why_len, "HTTP %ld", http_status);
        bool transient = http_status >= 500 || http_status == 429 || http_status == 408;
        return transient ? TZ_NOTIFY_RETRY : TZ_NOTIFY_PERMANENT;
    }
    if (kind == TZ_NOTIFY_WEBHOOK)
        return TZ_NOTIFY_SENT;
    struct tz_err err;
    struct json_object *o = body && body_len ? tz_json_parse_object(body, body_len, &err) : NULL;
    struct json_object *code = NULL, *msg = NULL;
    if (!o || !json_object_object_get_ex(o, "errcode", &code) ||
        !json_object_is_type(code, json_type_int)) {
        snprintf(why, why_len, "HTTP %ld without an errcode", http_status);
        json_object_put(o);
        return TZ_NOTIFY_RETRY;
    }
    long c = (long)json_object_get_int64(code);
    json_object_object_get_ex(o, "errmsg", &msg);
    const char *m =
        msg && json_object_is_type(msg, json_type_string) ? json_object_get_string(msg) : "";
    enum tz_notify_verdict v = TZ_NOTIFY_SENT;
    if (c != 0) {
        snprintf(why, why_len, "errcode %ld: %.200s", c, m);
        v = is_permanent_code(c) ? TZ_NOTIFY_PERMANENT : TZ_NOTIFY_RETRY;
    }
    json_object_put(o);
    return v;
}

/* ---- message texts ------------------------------------------------------ */

static void add_cn_date(struct tz_strbuf *sb, int32_t day)
{
    int y, m, d;
    if (day == TZ_DAY_NONE) {
        tz_strbuf_addstr(sb, "无");
        return;
    }
    tz_date_to_ymd(day, &y, &m, &d);
    tz_strbuf_addf(sb, "%d年%d月%d日", y, m, d);
}

static const char *light_cn(const char *light)
{
    if (!light)
        return "—";
    if (strcmp(light, "red") == 0)
        return "红灯";
    if (strcmp(light, "yellow") == 0)
        return "黄灯";
    if (strcmp(light, "green") == 0)
        return "绿灯";
    if (strcmp(light, "done") == 0)
        return "已完成";
    return "—";
}

static void add_link(struct tz_strbuf *sb, const char *base_url, int64_t item_id)
{
    const char *base = base_url ? base_url : "";
    size_t len = strlen(base);
    while (len && base[len - 1] == '/')
        len--;
    tz_strbuf_add(sb, base, len);
    tz_strbuf_addf(sb, "/#/items/%lld", (long long)item_id);
}

void tz_notify_format_urge(const struct tz_notify_urge *u, struct tz_strbuf *title_out,
                           struct tz_strbuf *text_out)
{
    const char *what = u->supervise ? "督办" : "催办";
    tz_strbuf_addf(title_out, "【%s】%s %s", what, u->item.code, u->item.title);
    tz_strbuf_addf(text_out, "### 【%s】%s\n", what, u->item.title);
    tz_strbuf_addf(text_out, "> 编号：%s\n", u->item.code);
    tz_strbuf_addf(text_out, "> 牵头单位：%s\n", u->unit_name ? u->unit_name : "—");
    tz_strbuf_addstr(text_out, "> 办理时限：");
    add_cn_date(text_out, u->item.deadline);
    tz_strbuf_addf(text_out, "\n> 状态灯：%s\n", light_cn(u->item.light));
    tz_strbuf_addf(text_out, "> %s人：%s\n", what, u->by ? u->by : "—");
    if (u->comment && *u->comment)
        tz_strbuf_addf(text_out, "\n**%s意见：**%s\n", what, u->comment);
    tz_strbuf_addstr(text_out, "\n[查看事项](");
    add_link(text_out, u->base_url, u->item_id);
    tz_strbuf_addstr(text_out, ")");
}

static void add_lines(struct tz_strbuf *sb, const struct tz_notify_item_line *v, size_t n)
{
    for (size_t i = 0; i < n && sb->len < TZ_NOTIFY_TEXT_MAX - 300; i++) {
        tz_strbuf_addf(sb, "- %s %s，时限 ", v[i].code, v[i].title);
        add_cn_date(sb, v[i].deadline);
        if (v[i].days_late > 0)
            tz_strbuf_addf(sb, "，已逾期%d天", v[i].days_late);
        tz_strbuf_addch(sb, '\n');
    }
}

void tz_notify_format_digest(const struct tz_notify_digest *d, struct tz_strbuf *title_out,
                             struct tz_strbuf *text_out)
{
    tz_strbuf_addf(title_out, "【每日提醒】%s：逾期%lld项，临期%lld项",
                   d->unit_name ? d->unit_name : "", (long long)d->n_overdue,
                   (long long)d->n_due_soon);
    tz_strbuf_addf(text_out, "### 【每日提醒】%s\n> ", d->unit_name ? d->unit_name : "");
    add_cn_date(text_out, d->today);
    tz_strbuf_addf(text_out, "：逾期 **%lld** 项，临期 **%lld** 项\n", (long long)d->n_overdue,
                   (long long)d->n_due_soon);
    if (d->n_overdue) {
        tz_strbuf_addstr(text_out, "\n**逾期事项**\n");
        add_lines(text_out, d->overdue, d->n_overdue_lines);
        if ((int64_t)d->n_overdue_lines < d->n_overdue)
            tz_strbuf_addf(text_out, "- ……另有%lld项\n",
                           (long long)(d->n_overdue - (int64_t)d->n_overdue_lines));
    }
    if (d->n_due_soon) {
        tz_strbuf_addstr(text_out, "\n**临期事项**\n");
        add_lines(text_out, d->due_soon, d->n_due_soon_lines);
        if ((int64_t)d->n_due_soon_lines < d->n_due_soon)
            tz_strbuf_addf(text_out, "- ……另有%lld项\n",
                           (long long)(d->n_due_soon - (int64_t)d->n_due_soon_lines));
    }
    const char *base = d->base_url ? d->base_url : "";
    size_t len = strlen(base);
    while (len && base[len - 1] == '/')
        len--;
    tz_strbuf_addstr(text_out, "\n[查看待办](");
    tz_strbuf_add(text_out, base, len);
    tz_strbuf_addstr(text_out, "/#/todos)");
}
