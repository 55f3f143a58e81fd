/*
 * app_notify.c - notifications: the robot channels of each unit, the outbox,
 * the 催办/督办 messages and the daily digest (docs/DECISIONS.md, Notifications).
 *
 * Design: a message is never sent from here. It is written to the outbox
 * table in the same transaction as what caused it (the action's event, or the
 * day's run in notify_runs), under a unique dedupe key, so a rolled-back
 * action sends nothing and a repeated run writes nothing new. The sender
 * thread (src/notify/) claims due messages with one atomic UPDATE and leases
 * them, so several servers sharing the database never send one twice; it
 * calls tz_app_notify_claim and tz_app_notify_settle below. Everything here
 * lives in the database, none of it only in this process's memory.
 */
#include "app_internal.h"
#include "tz/date.h"
#include "tz/json.h"
#include "tz/log.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DIGEST_LINES 10  /* items shown per section of a digest */
#define OUTBOX_LIMIT 200 /* messages listed by GET /notify/outbox and /notify/dead */
#define NAME_MAX_LEN 100
#define SECRET_MAX   256

/* ---- settings ----------------------------------------------------------- */

enum tz_status tz_config_notify(struct tz_config *cfg, const char *at, const char *public_url,
                                const char *backoff, struct tz_err *err)
{
    struct tz_err local;
    if (!err)
        err = &local;
    if (at && *at) {
        int h = -1, m = -1;
        char tail = 0;
        if (strcmp(at, "off") == 0)
            cfg->notify_at_min = -1;
        else if (sscanf(at, "%2d:%2d%c", &h, &m, &tail) == 2 && h >= 0 && h < 24 && m >= 0 &&
                 m < 60)
            cfg->notify_at_min = h * 60 + m;
        else
            return tz_err_field(err, TZ_EINVAL, "notify-at",
                                "the digest time must be HH:MM or off, not '%s'", at);
    }
    if (public_url && *public_url) {
        if (!tz_notify_url_ok(public_url))
            return tz_err_field(err, TZ_EINVAL, "public-url",
                                "the public URL must be an http:// or https:// URL");
        cfg->public_url = public_url;
    }
    if (backoff && *backoff) {
        size_t n = 0;
        if (!tz_notify_backoff_parse(backoff, cfg->notify_backoff_s,
                                     sizeof(cfg->notify_backoff_s) / sizeof(int), &n))
            return tz_err_field(err, TZ_EINVAL, "notify-backoff",
                                "the backoff must be 1 to %d waits in seconds, e.g. 30,120,600",
                                TZ_NOTIFY_MAX_ATTEMPTS - 1);
        cfg->n_notify_backoff = n;
    }
    return TZ_OK;
}

/* ---- helpers ------------------------------------------------------------ */

static enum tz_status need_admin(struct tz_call *call, struct tz_err *err)
{
    if (!(call->user.roles & TZ_ROLE_ADMIN))
        return tz_err_set(err, TZ_EFORBIDDEN, "only the administrator manages notifications");
    return TZ_OK;
}

static int64_t real_seconds(void)
{
    return (int64_t)time(NULL);
}

static const char *unit_name(struct tz_call *call, int64_t id)
{
    const struct tz_unit *u = tz_ctx_unit(call->ctx, id, call->arena);
    return u ? u->name : "";
}

static struct json_object *channel_json(struct tz_call *call, const struct tz_notify_channel *ch)
{
    struct tz_strbuf masked = TZ_STRBUF_INIT;
    tz_notify_url_mask(ch->url, &masked);
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_int64(ch->id));
    json_object_object_add(o, "unit_id", json_object_new_int64(ch->unit_id));
    json_object_object_add(o, "unit_name", json_object_new_string(unit_name(call, ch->unit_id)));
    json_object_object_add(o, "kind", json_object_new_string(ch->kind));
    json_object_object_add(o, "name", json_object_new_string(ch->name));
    json_object_object_add(o, "url", json_object_new_string(masked.buf ? masked.buf : ""));
    json_object_object_add(o, "has_secret", json_object_new_boolean(ch->secret && *ch->secret));
    json_object_object_add(o, "msgtype", json_object_new_string(ch->msgtype));
    json_object_object_add(o, "enabled", json_object_new_boolean(ch->enabled));
    json_object_object_add(o, "created_at", json_object_new_string(ch->created_at));
    json_object_object_add(o, "updated_at", json_object_new_string(ch->updated_at));
    tz_strbuf_release(&masked);
    return o;
}

static struct json_object *outbox_json(const struct tz_outbox_msg *m)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_int64(m->id));
    json_object_object_add(o, "dedupe_key", json_object_new_string(m->dedupe_key));
    json_object_object_add(o, "channel_id", json_object_new_int64(m->channel_id));
    json_object_object_add(o, "unit_id", json_object_new_int64(m->unit_id));
    json_object_object_add(o, "event", json_object_new_string(m->event));
    json_object_object_add(o, "item_id", m->item_id ? json_object_new_int64(m->item_id) : NULL);
    json_object_object_add(o, "title", json_object_new_string(m->title));
    json_object_object_add(o, "state", json_object_new_string(m->state));
    json_object_object_add(o, "attempts", json_object_new_int(m->attempts));
    json_object_object_add(o, "next_at", json_object_new_int64(m->next_at));
    json_object_object_add(o, "last_error", tz_json_str_or_null(m->last_error));
    json_object_object_add(o, "created_at", json_object_new_string(m->created_at));
    json_object_object_add(o, "sent_at", tz_json_str_or_null(m->sent_at));
    return o;
}

/* The audit detail of a channel: never its URL's key nor its secret. */
static const char *channel_detail(struct tz_call *call, const struct tz_notify_channel *ch)
{
    struct tz_strbuf masked = TZ_STRBUF_INIT, d = TZ_STRBUF_INIT;
    tz_notify_url_mask(ch->url, &masked);
    tz_strbuf_addf(&d, "{\"unit_id\":%lld,\"kind\":", (long long)ch->unit_id);
    tz_strbuf_add_json_str(&d, ch->kind, strlen(ch->kind));
    tz_strbuf_addstr(&d, ",\"name\":");
    tz_strbuf_add_json_str(&d, ch->name, strlen(ch->name));
    tz_strbuf_addstr(&d, ",\"url\":");
    tz_strbuf_add_json_str(&d, masked.buf ? masked.buf : "", masked.len);
    tz_strbuf_addf(&d, ",\"has_secret\":%s,\"msgtype\":\"%s\",\"enabled\":%s}",
                   ch->secret && *ch->secret ? "true" : "false", ch->msgtype,
                   ch->enabled ? "true" : "false");
    const char *out = tz_arena_strdup(call->arena, d.buf);
    tz_strbuf_release(&masked);
    tz_strbuf_release(&d);
    return out;
}

/* Fills ch from the body; is_new requires unit_id, kind, name and url. 422 naming a field. */
static enum tz_status decode_channel(struct tz_call *call, struct json_object *body, bool is_new,
                                     struct tz_notify_channel *ch, struct tz_err *err)
{
    static const char *const keys[] = {"unit_id", "kind",    "name",    "url",
                                       "secret",  "msgtype", "enabled", NULL};
    enum tz_status s = tz_json_only_keys(body, keys, err);
    const char *kind = NULL, *name = NULL, *url = NULL, *secret = NULL, *msgtype = NULL;
    int64_t unit_id = 0;
    bool enabled = true, has_unit = false, has_kind = false, has_name = false, has_url = false,
         has_secret = false, has_msgtype = false, has_enabled = false;
    if (s == TZ_OK)
        s = tz_json_get_int(body, "unit_id", &unit_id, &has_unit, err);
    if (s == TZ_OK)
        s = tz_json_get_str(body, "kind", &kind, &has_kind, err);
    if (s == TZ_OK)
        s = tz_json_get_str(body, "name", &name, &has_name, err);
    if (s == TZ_OK)
        s = tz_json_get_str(body, "url", &url, &has_url, err);
    if (s == TZ_OK)
        s = tz_json_get_str(body, "secret", &secret, &has_secret, err);
    if (s == TZ_OK)
        s = tz_json_get_str(body, "msgtype", &msgtype, &has_msgtype, err);
    if (s == TZ_OK)
        s = tz_json_get_bool(body, "enabled", &enabled, &has_enabled, err);
    if (s != TZ_OK)
        return s;
    const char *missing = !has_unit   ? "unit_id"
                          : !has_kind ? "kind"
                          : !has_name ? "name"
                          : !has_url  ? "url"
                                      : NULL;
    if (is_new && missing)
        return tz_err_field(err, TZ_EINVAL, missing, "'%s' is required", missing);
    if (has_unit) {
        if (!tz_ctx_unit(call->ctx, unit_id, call->arena))
            return tz_err_field(err, TZ_EINVAL, "unit_id", "unit %lld does not exist",
                                (long long)unit_id);
        ch->unit_id = unit_id;
    }
    enum tz_notify_kind k;
    if (has_kind && !tz_notify_kind_parse(kind, &k))
        return tz_err_field(err, TZ_EINVAL, "kind", "'kind' must be wecom, dingtalk or webhook");
    if (has_kind)
        ch->kind = tz_arena_strdup(call->arena, kind);
    if (has_name && (!*name || strlen(name) > NAME_MAX_LEN))
        return tz_err_field(err, TZ_EINVAL, "name", "'name' must be 1 to %d bytes", NAME_MAX_LEN);
    if (has_name)
        ch->name = tz_arena_strdup(call->arena, name);
    if (has_url && !tz_notify_url_ok(url))
        return tz_err_field(err, TZ_EINVAL, "url",
                            "'url' must be an http:// or https:// URL without spaces");
    if (has_url)
        ch->url = tz_arena_strdup(call->arena, url);
    if (has_secret && strlen(secret) > SECRET_MAX)
        return tz_err_field(err, TZ_EINVAL, "secret", "'secret' is at most %d bytes", SECRET_MAX);
    if (has_secret)
        ch->secret = tz_arena_strdup(call->arena, secret);
    if (has_msgtype && strcmp(msgtype, "markdown") != 0 && strcmp(msgtype, "text") != 0)
        return tz_err_field(err, TZ_EINVAL, "msgtype", "'msgtype' must be markdown or text");
    if (has_msgtype)
        ch->msgtype = strcmp(msgtype, "text") == 0 ? "text" : "markdown";
    if (has_enabled)
        ch->enabled = enabled;
    return TZ_OK;
}

/* Writes the channel and its audit entry in one transaction. */
static enum tz_status write_channel(struct tz_call *call, struct tz_notify_channel *ch,
                                    const char *action, struct json_object **out,
                                    struct tz_err *err)
{
    enum tz_status s = TZ_APP_BEGIN(call, err);
    if (s != TZ_OK)
        return s;
    s = TZ_STORE(call->conn)->notify_channel_put(call->conn, ch, err);
    if (s == TZ_OK)
        s = tz_app_audit(call, action,
                         tz_arena_printf(call->arena, "notify_channel:%lld", (long long)ch->id),
                         channel_detail(call, ch), err);
    s = tz_app_end(call, s, err);
    if (s == TZ_OK && out)
        *out = channel_json(call, ch);
    return s;
}

/* ---- channels ----------------------------------------------------------- */

enum tz_status tz_app_notify_channels(struct tz_call *call, struct json_object **out,
                                      struct tz_err *err)
{
    struct tz_notify_channel *v = NULL;
    size_t n = 0;
    enum tz_status s = need_admin(call, err);
    if (s == TZ_OK)
        s = TZ_STORE(call->conn)->notify_channel_list(call->conn, 0, call->arena, &v, &n, err);
    if (s != TZ_OK)
        return s;
    struct json_object *arr = json_object_new_array_ext((int)n);
    for (size_t i = 0; i < n; i++)
        json_object_array_add(arr, channel_json(call, &v[i]));
    *out = json_object_new_object();
    json_object_object_add(*out, "channels", arr);
    return TZ_OK;
}

enum tz_status tz_app_notify_channel_create(struct tz_call *call, struct json_object *body,
                                            struct json_object **out, struct tz_err *err)
{
    struct tz_notify_channel ch = {.secret = "", .msgtype = "markdown", .enabled = true};
    enum tz_status s = need_admin(call, err);
    if (s == TZ_OK)
        s = decode_channel(call, body, true, &ch, err);
    if (s != TZ_OK)
        return s;
    ch.created_at = ch.updated_at = tz_ctx_real_now(call->ctx, call->arena);
    return write_channel(call, &ch, "notify.channel.create", out, err);
}

enum tz_status tz_app_notify_channel_update(struct tz_call *call, int64_t id,
                                            struct json_object *body, struct json_object **out,
                                            struct tz_err *err)
{
    struct tz_notify_channel ch;
    enum tz_status s = need_admin(call, err);
    if (s == TZ_OK)
        s = TZ_STORE(call->conn)->notify_channel_get(call->conn, id, call->arena, &ch, err);
    if (s == TZ_OK)
        s = decode_channel(call, body, false, &ch, err);
    if (s != TZ_OK)
        return s;
    ch.updated_at = tz_ctx_real_now(call->ctx, call->arena);
    return write_channel(call, &ch, "notify.channel.update", out, err);
}

enum tz_status tz_app_notify_channel_delete(struct tz_call *call, int64_t id, struct tz_err *err)
{
    struct tz_notify_channel ch;
    enum tz_status s = need_admin(call, err);
    if (s == TZ_OK)
        s = TZ_STORE(call->conn)->notify_channel_get(call->conn, id, call->arena, &ch, err);
    if (s == TZ_OK)
        s = TZ_APP_BEGIN(call, err);
    if (s != TZ_OK)
        return s;
    s = TZ_STORE(call->conn)->notify_channel_delete(call->conn, id, err);
    if (s == TZ_OK)
        s = tz_app_audit(call, "notify.channel.delete",
                         tz_arena_printf(call->arena, "notify_channel:%lld", (long long)id),
                         channel_detail(call, &ch), err);
    return tz_app_end(call, s, err);
}

/* One outbox message for a channel, inside the open transaction. */
static enum tz_status enqueue(struct tz_call *call, const char *key,
                              const struct tz_notify_channel *ch, const char *event,
                              int64_t item_id, const char *title, const char *text, int64_t *id_out,
                              struct tz_err *err)
{
    struct tz_outbox_msg m = {
        .dedupe_key = key,
        .channel_id = ch->id,
        .unit_id = ch->unit_id,
        .event = event,
        .item_id = item_id,
        .title = title,
        .body = text,
        .next_at = real_seconds(),
        .created_at = tz_ctx_real_now(call->ctx, call->arena),
    };
    return TZ_STORE(call->conn)->notify_enqueue(call->conn, &m, id_out, err);
}

enum tz_status tz_app_notify_channel_test(struct tz_call *call, int64_t id,
                                          struct json_object **out, struct tz_err *err)
{
    struct tz_notify_channel ch;
    enum tz_status s = need_admin(call, err);
    if (s == TZ_OK)
        s = TZ_STORE(call->conn)->notify_channel_get(call->conn, id, call->arena, &ch, err);
    if (s != TZ_OK)
        return s;
    const char *now = tz_ctx_real_now(call->ctx, call->arena);
    const char *title = "【测试】督查台账通知测试";
    const char *text =
        tz_arena_printf(call->arena,
                        "### 【测试】督查台账通知测试\n> 渠道：%s\n> 单位：%s\n> "
                        "发送人：%s\n> 时间：%s",
                        ch.name, unit_name(call, ch.unit_id), call->user.display_name, now);
    /* a test is a new message each time: the key carries the time and a random part */
    unsigned char rnd[6];
    randombytes_buf(rnd, sizeof(rnd));
    const char *key =
        tz_arena_printf(call->arena, "test:%lld:%s:%02x%02x%02x%02x%02x%02x", (long long)id, now,
                        rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]);
    int64_t msg_id = 0;
    s = TZ_APP_BEGIN(call, err);
    if (s != TZ_OK)
        return s;
    s = enqueue(call, key, &ch, "test", 0, title, text, &msg_id, err);
    if (s == TZ_OK)
        s = tz_app_audit(call, "notify.channel.test",
                         tz_arena_printf(call->arena, "notify_channel:%lld", (long long)id), "{}",
                         err);
    s = tz_app_end(call, s, err);
    if (s != TZ_OK)
        return s;
    *out = json_object_new_object();
    json_object_object_add(*out, "message_id", json_object_new_int64(msg_id));
    return TZ_OK;
}

/* ---- outbox and dead letters --------------------------------------------- */

enum tz_status tz_app_notify_outbox(struct tz_call *call, const char *state,
                                    struct json_object **out, struct tz_err *err)
{
    static const char *const states[] = {"pending", "sending", "sent", "dead"};
    enum tz_status s = need_admin(call, err);
    if (s != TZ_OK)
        return s;
    bool known = state == NULL;
    for (size_t i = 0; !known && i < 4; i++)
        known = strcmp(state, states[i]) == 0;
    if (!known)
        return tz_err_field(err, TZ_EINVAL, "state",
                            "'state' must be pending, sending, sent or dead");
    struct tz_outbox_msg *v = NULL;
    size_t n = 0;
    s = TZ_STORE(call->conn)
            ->notify_list(call->conn, state, OUTBOX_LIMIT, call->arena, &v, &n, err);
    if (s != TZ_OK)
        return s;
    struct json_object *arr = json_object_new_array_ext((int)n);
    for (size_t i = 0; i < n; i++) {
        struct json_object *o = outbox_json(&v[i]);
        json_object_object_add(o, "unit_name",
                               json_object_new_string(unit_name(call, v[i].unit_id)));
        json_object_array_add(arr, o);
    }
    *out = json_object_new_object();
    json_object_object_add(*out, "messages", arr);
    return TZ_OK;
}

enum tz_status tz_app_notify_retry(struct tz_call *call, int64_t id, struct json_object **out,
                                   struct tz_err *err)
{
    enum tz_status s = need_admin(call, err);
    if (s == TZ_OK)
        s = TZ_APP_BEGIN(call, err);
    if (s != TZ_OK)
        return s;
    s = TZ_STORE(call->conn)->notify_requeue(call->conn, id, real_seconds(), err);
    if (s == TZ_OK)
        s = tz_app_audit(call, "notify.retry",
                         tz_arena_printf(call->arena, "notify_message:%lld", (long long)id), "{}",
                         err);
    s = tz_app_end(call, s, err);
    if (s != TZ_OK)
        return s;
    *out = json_object_new_object();
    json_object_object_add(*out, "id", json_object_new_int64(id));
    json_object_object_add(*out, "state", json_object_new_string("pending"));
    return TZ_OK;
}

/* ---- 催办 and 督办 ---------------------------------------------------------- */

enum tz_status tz_app_notify_urged(struct tz_call *call, const struct tz_item *it, bool supervise,
                                   const char *comment, int64_t event_seq, struct tz_err *err)
{
    struct tz_notify_channel *v = NULL;
    size_t n = 0;
    if (!it->lead_unit_id)
        return TZ_OK;
    enum tz_status s =
        TZ_STORE(call->conn)
            ->notify_channel_list(call->conn, it->lead_unit_id, call->arena, &v, &n, err);
    if (s != TZ_OK || n == 0)
        return s;
    struct tz_notify_urge u = {
        .supervise = supervise,
        .by = call->user.display_name,
        .unit_name = unit_name(call, it->lead_unit_id),
        .item_id = it->id,
        .item = {.code = it->code,
                 .title = it->title,
                 .deadline = it->deadline,
                 .light = tz_light_name(it->light)},
        .comment = comment,
        .base_url = call->ctx->cfg.public_url,
    };
    struct tz_strbuf title = TZ_STRBUF_INIT, text = TZ_STRBUF_INIT;
    tz_notify_format_urge(&u, &title, &text);
    for (size_t i = 0; s == TZ_OK && i < n; i++) {
        if (!v[i].enabled)
            continue;
        int64_t msg_id = 0;
        const char *key = tz_arena_printf(call->arena, "action:%lld:%lld:%lld", (long long)it->id,
                                          (long long)event_seq, (long long)v[i].id);
        s = enqueue(call, key, &v[i], supervise ? "supervise" : "remind", it->id, title.buf,
                    text.buf, &msg_id, err);
    }
    tz_strbuf_release(&title);
    tz_strbuf_release(&text);
    return s;
}

/* ---- the daily digest --------------------------------------------------- */

/* The lines of one section: open items of the unit with a yellow or red light. */
static enum tz_status digest_section(struct tz_call *call, int64_t unit_id, bool overdue,
                                     int32_t today, struct tz_notify_item_line **lines,
                                     size_t *n_lines, int64_t *total, struct tz_err *err)
{
    struct tz_item_filter f;
    memset(&f, 0, sizeof(f));
    f.scope.all = true;
    f.states = 1u << TZ_STATE_ASSIGNED | 1u << TZ_STATE_IN_PROGRESS;
    f.lights = 1u << TZ_LIGHT_YELLOW | 1u << TZ_LIGHT_RED;
    f.lead_unit_id = unit_id;
    f.due_before = overdue ? today - 1 : TZ_DAY_NONE;
    f.due_after = overdue ? TZ_DAY_NONE : today;
    f.supervised_min = -1;
    f.sort = TZ_SORT_DEADLINE;
    f.page = 1;
    f.per_page = DIGEST_LINES;
    f.known_total = -1;
    struct tz_item *items = NULL;
    size_t n = 0;
    enum tz_status s =
        TZ_STORE(call->conn)->item_list(call->conn, &f, call->arena, &items, &n, total, err);
    if (s != TZ_OK)
        return s;
    struct tz_notify_item_line *v = tz_arena_calloc(call->arena, (n + 1) * sizeof(*v));
    for (size_t i = 0; i < n; i++) {
        v[i].code = items[i].code;
        v[i].title = items[i].title;
        v[i].deadline = items[i].deadline;
        v[i].light = tz_light_name(items[i].light);
        v[i].days_late =
            overdue && items[i].deadline != TZ_DAY_NONE ? (int)(today - items[i].deadline) : 0;
    }
    *lines = v;
    *n_lines = n;
    return TZ_OK;
}

/*
 * Writes the digests of day into the outbox, inside the open transaction:
 * one per enabled channel of every unit that has overdue or due-soon items.
 */
static enum tz_status write_digests(struct tz_call *call, int32_t day, int64_t *queued,
                                    struct tz_err *err)
{
    struct tz_notify_channel *v = NULL;
    size_t n = 0;
    char date[TZ_DATE_BUF];
    tz_date_format(day, date);
    enum tz_status s =
        TZ_STORE(call->conn)->notify_channel_list(call->conn, 0, call->arena, &v, &n, err);
    for (size_t i = 0; s == TZ_OK && i < n;) {
        size_t j = i; /* channels arrive by unit: v[i..j) are one unit's */
        while (j < n && v[j].unit_id == v[i].unit_id)
            j++;
        struct tz_notify_digest d = {.unit_name = unit_name(call, v[i].unit_id),
                                     .today = day,
                                     .base_url = call->ctx->cfg.public_url};
        struct tz_notify_item_line *late = NULL, *soon = NULL;
        s = digest_section(call, v[i].unit_id, true, day, &late, &d.n_overdue_lines, &d.n_overdue,
                           err);
        if (s == TZ_OK)
            s = digest_section(call, v[i].unit_id, false, day, &soon, &d.n_due_soon_lines,
                               &d.n_due_soon, err);
        d.overdue = late;
        d.due_soon = soon;
        if (s == TZ_OK && d.n_overdue + d.n_due_soon > 0) {
            struct tz_strbuf title = TZ_STRBUF_INIT, text = TZ_STRBUF_INIT;
            tz_notify_format_digest(&d, &title, &text);
            for (size_t k = i; s == TZ_OK && k < j; k++) {
                if (!v[k].enabled)
                    continue;
                int64_t msg_id = 0;
                const char *key =
                    tz_arena_printf(call->arena, "daily:%lld:%lld:%s", (long long)v[k].unit_id,
                                    (long long)v[k].id, date);
                s = enqueue(call, key, &v[k], "daily", 0, title.buf, text.buf, &msg_id, err);
                *queued += msg_id != 0;
            }
            tz_strbuf_release(&title);
            tz_strbuf_release(&text);
        }
        i = j;
    }
    return s;
}

/* Runs the day's digest in one transaction; claims notify_runs(day) first when `claim`. */
static enum tz_status run_daily(struct tz_call *call, int32_t day, bool claim, bool *ran,
                                int64_t *queued, struct tz_err *err)
{
    *ran = false;
    /* the lights are today's before the digest reads them */
    enum tz_status s = tz_app_lights_current(call, err);
    if (s == TZ_OK)
        s = TZ_APP_BEGIN(call, err);
    if (s != TZ_OK)
        return s;
    bool won = false;
    s = TZ_STORE(call->conn)
            ->notify_run_claim(call->conn, day, tz_ctx_real_now(call->ctx, call->arena), &won, err);
    if (s == TZ_OK && (won || !claim)) {
        *ran = true;
        s = write_digests(call, day, queued, err);
    }
    return tz_app_end(call, s, err);
}

enum tz_status tz_app_notify_daily_run(struct tz_call *call, struct json_object **out,
                                       struct tz_err *err)
{
    enum tz_status s = need_admin(call, err);
    if (s != TZ_OK)
        return s;
    int32_t day = tz_ctx_today(call->ctx);
    int64_t queued = 0;
    bool ran = false;
    s = run_daily(call, day, false, &ran, &queued, err);
    if (s != TZ_OK)
        return s;
    *out = json_object_new_object();
    json_object_object_add(*out, "day", tz_json_date(day));
    json_object_object_add(*out, "queued", json_object_new_int64(queued));
    return TZ_OK;
}

enum tz_status tz_app_notify_daily_tick(struct tz_ctx *ctx, int32_t *checked_day, bool *ran_out,
                                        struct tz_err *err)
{
    *ran_out = false;
    if (ctx->cfg.notify_at_min < 0 || *checked_day == tz_ctx_today(ctx))
        return TZ_OK;
    int64_t local = real_seconds() + (int64_t)ctx->cfg.utc_offset_min * 60;
    int minute_of_day = (int)((local % 86400 + 86400) % 86400 / 60);
    if (minute_of_day < ctx->cfg.notify_at_min)
        return TZ_OK;
    struct tz_arena a;
    struct tz_call call;
    tz_arena_init(&a);
    tz_call_init(&call, ctx, &a, "-");
    int32_t day = tz_ctx_today(ctx);
    int64_t queued = 0;
    enum tz_status s = run_daily(&call, day, true, ran_out, &queued, err);
    if (s == TZ_OK)
        *checked_day = day; /* run here or by another server: either way, done for the day */
    if (s == TZ_OK && *ran_out)
        tz_info("notify: daily digest of day %d: %lld message(s) queued", (int)day,
                (long long)queued);
    tz_call_release(&call);
    tz_arena_release(&a);
    return s;
}

/* ---- the sender's side ---------------------------------------------------- */

enum tz_status tz_app_notify_claim(struct tz_ctx *ctx, struct tz_arena *a,
                                   struct tz_notify_job *job, bool *found_out, struct tz_err *err)
{
    struct tz_call call;
    memset(job, 0, sizeof(*job));
    *found_out = false;
    tz_call_init(&call, ctx, a, "-");
    int64_t now = real_seconds();
    bool due = false;
    /* a read first: an idle server (the common case, every second) takes no write lock */
    enum tz_status s = TZ_STORE(call.conn)->notify_due(call.conn, now, &due, err);
    if (s != TZ_OK || !due) {
        tz_call_release(&call);
        return s;
    }
    s = TZ_APP_BEGIN(&call, err);
    if (s == TZ_OK) {
        s = TZ_STORE(call.conn)->notify_claim(call.conn, now, now + ctx->cfg.notify_lease_s, a,
                                              &job->msg, found_out, err);
        if (s == TZ_OK)
            s = TZ_STORE(call.conn)->commit(call.conn, err);
        else
            TZ_STORE(call.conn)->rollback(call.conn);
    }
    if (s == TZ_OK && *found_out) {
        struct tz_err e2;
        job->has_channel = TZ_STORE(call.conn)->notify_channel_get(call.conn, job->msg.channel_id,
                                                                   a, &job->channel, &e2) == TZ_OK;
        const struct tz_unit *u = tz_ctx_unit(ctx, job->msg.unit_id, a);
        job->unit_code = u ? u->code : "";
    }
    tz_call_release(&call);
    return s;
}

enum tz_status tz_app_notify_settle(struct tz_ctx *ctx, const struct tz_notify_job *job,
                                    enum tz_notify_verdict v, const char *why, struct tz_err *err)
{
    struct tz_arena a;
    struct tz_call call;
    tz_arena_init(&a);
    tz_call_init(&call, ctx, &a, "-");
    int64_t now = real_seconds();
    const char *state = "sent", *sent_at = NULL, *last_error = why && *why ? why : NULL;
    int64_t next_at = job->msg.next_at;
    int max_attempts = (int)ctx->cfg.n_notify_backoff + 1;
    if (v == TZ_NOTIFY_SENT) {
        sent_at = tz_ctx_real_now(ctx, &a);
        last_error = NULL;
    } else if (v == TZ_NOTIFY_RETRY && job->msg.attempts < max_attempts) {
        state = "pending";
        next_at = now + tz_notify_backoff(ctx->cfg.notify_backoff_s, ctx->cfg.n_notify_backoff,
                                          job->msg.attempts);
    } else {
        state = "dead";
    }
    enum tz_status s = TZ_APP_BEGIN(&call, err);
    if (s == TZ_OK) {
        s = TZ_STORE(call.conn)->notify_settle(call.conn, job->msg.id, state, next_at, last_error,
                                               sent_at, err);
        if (s == TZ_OK)
            s = TZ_STORE(call.conn)->commit(call.conn, err);
        else
            TZ_STORE(call.conn)->rollback(call.conn);
    }
    if (s == TZ_OK && strcmp(state, "sent") != 0)
        tz_warn("notify: message %lld attempt %d failed (%s): %s", (long long)job->msg.id,
                job->msg.attempts, why ? why : "", state);
    tz_call_release(&call);
    tz_arena_release(&a);
    return s;
}
