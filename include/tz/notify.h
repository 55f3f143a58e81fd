/*
 * notify.h - the pure half of the notifications: what a message says and how
 * each kind of robot wants it, with no clock, no network and no database.
 *
 * Three kinds of channel: the WeCom group robot (企业微信群机器人), the
 * DingTalk custom robot (钉钉自定义机器人, optionally signed: 加签) and a
 * generic webhook signed with HMAC-SHA256 (docs/DECISIONS.md, Notifications).
 * A message is a title and a Markdown text; tz_notify_body renders it for a
 * channel, tz_notify_dingtalk_sign and tz_notify_webhook_signature sign it for
 * a given time and secret, tz_notify_judge reads the robot's answer.
 *
 * Every function here is thread-safe and deterministic: time and secrets come
 * in as arguments, so the unit tests use known-answer vectors.
 */
#ifndef TZ_NOTIFY_H
#define TZ_NOTIFY_H

#include "tz/strbuf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tz_notify_kind { TZ_NOTIFY_WECOM, TZ_NOTIFY_DINGTALK, TZ_NOTIFY_WEBHOOK };

const char *tz_notify_kind_name(enum tz_notify_kind k);
bool tz_notify_kind_parse(const char *s, enum tz_notify_kind *out);

/* At most this many attempts, whatever the schedule says. */
#define TZ_NOTIFY_MAX_ATTEMPTS 16
/* WeCom caps a Markdown message at 4096 bytes; we cut texts a little below. */
#define TZ_NOTIFY_TEXT_MAX 3800

/*
 * Is url an absolute http:// or https:// URL with a host and no spaces or
 * control characters? (The only URLs a channel may hold.)
 */
bool tz_notify_url_ok(const char *url);
/*
 * The URL as the admin API shows it: every query value longer than 4 bytes is
 * cut to its first 4 bytes and "****" (robot keys and tokens live there).
 */
void tz_notify_url_mask(const char *url, struct tz_strbuf *out);

/* Seconds to wait after failed attempt number `attempt` (1-based), from the schedule. */
int64_t tz_notify_backoff(const int *schedule_s, size_t n, int attempt);
/* Parses "30,120,600" into up to max seconds; false on anything else. */
bool tz_notify_backoff_parse(const char *s, int *out, size_t max, size_t *n_out);

/*
 * The JSON body POSTed to the channel: WeCom {"msgtype":"markdown","markdown":
 * {"content":...}} or "text"; DingTalk {"msgtype":"markdown","markdown":{"title",
 * "text"}} or "text"; the webhook {"event","id","title","text","unit","item_id",
 * "created_at"} (docs/DECISIONS.md). as_text sends the text with the Markdown
 * marks removed. event and fields in wh may be NULL/0 for the robots.
 */
struct tz_notify_msg_view {
    int64_t id;        /* delivery id */
    const char *event; /* remind, supervise, daily, test */
    const char *title;
    const char *text;       /* Markdown */
    const char *unit_code;  /* the unit the message is for */
    int64_t item_id;        /* 0: none */
    const char *created_at; /* when the message was written */
};
void tz_notify_body(enum tz_notify_kind kind, bool as_text, const struct tz_notify_msg_view *m,
                    struct tz_strbuf *out);
/* The Markdown text as plain text: "**", leading "#"s and "> " removed, [a](b) as "a b". */
void tz_notify_plain(const char *md, struct tz_strbuf *out);

/*
 * DingTalk's 加签: URL-encoded base64 of HMAC-SHA256(secret, "<ts_ms>\n<secret>")
 * into out (at least 64 bytes).
 */
void tz_notify_dingtalk_sign(const char *secret, int64_t ts_ms, char *out, size_t out_len);
/* The webhook's signature: "sha256=" + hex HMAC-SHA256(secret, "<ts>.<body>") (72 bytes). */
void tz_notify_webhook_signature(const char *secret, int64_t ts, const char *body, size_t body_len,
                                 char out[80]);

/* How a delivery went, from the HTTP status and body (or a transport error). */
enum tz_notify_verdict {
    TZ_NOTIFY_SENT,      /* delivered */
    TZ_NOTIFY_RETRY,     /* try again later (network, 5xx, 429, rate limit, unknown errcode) */
    TZ_NOTIFY_PERMANENT, /* no point retrying (bad key, bad signature, other 4xx) */
};
/*
 * Judges a robot's answer: http_status 0 means the transport failed. The
 * robots answer 200 with {"errcode":0}; any other errcode is a failure,
 * permanent for codes that mean a wrong address or secret. why (at least 256
 * bytes) gets a short reason for the dead-letter list.
 */
enum tz_notify_verdict tz_notify_judge(enum tz_notify_kind kind, long http_status, const char *body,
                                       size_t body_len, char *why, size_t why_len);

/* ---- message texts (Chinese, Markdown) ---- */

/* One item as a message shows it. */
struct tz_notify_item_line {
    const char *code;
    const char *title;
    int32_t deadline; /* TZ_DAY_NONE: none */
    const char *light;
    int days_late; /* > 0: overdue by so many days */
};

/*
 * A 催办 or 督办 of an item: who urged, the item, its deadline and light, the
 * comment, and the link (base_url + "/#/items/<id>", or the path alone when
 * base_url is NULL or empty). Title into title_out.
 */
struct tz_notify_urge {
    bool supervise; /* 督办, else 催办 */
    const char *by; /* who urged (display name) */
    const char *unit_name;
    int64_t item_id;
    struct tz_notify_item_line item;
    const char *comment; /* may be NULL */
    const char *base_url;
};
void tz_notify_format_urge(const struct tz_notify_urge *u, struct tz_strbuf *title_out,
                           struct tz_strbuf *text_out);

/*
 * The daily digest of one unit: counts of overdue and due-soon items and the
 * first lines of each (overdue first), the business date in 2026年11月30日 form.
 */
struct tz_notify_digest {
    const char *unit_name;
    int32_t today;
    int64_t n_overdue, n_due_soon;
    const struct tz_notify_item_line *overdue, *due_soon; /* the lines to show */
    size_t n_overdue_lines, n_due_soon_lines;
    const char *base_url;
};
void tz_notify_format_digest(const struct tz_notify_digest *d, struct tz_strbuf *title_out,
                             struct tz_strbuf *text_out);

#endif
