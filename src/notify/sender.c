/*
 * sender.c - the notification sender thread (sender.h).
 *
 * One loop: once the day's digest time has come, ask the app to write the
 * digest (several servers agree through notify_runs); then claim due outbox
 * messages one at a time (an atomic UPDATE with a lease: app_notify.c),
 * deliver each with one POST and record the outcome; then sleep poll_ms or
 * until told to stop. Delivery builds the robot's body and signature from
 * the pure core (notify.c) at the moment of sending, so DingTalk's timestamp
 * is fresh on every attempt.
 */
#include "tz/sender.h"

#include "tz/date.h"
#include "tz/log.h"
#include "tz/xalloc.h"
#include "webclient.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct tz_sender {
    struct tz_ctx *ctx;
    int poll_ms;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stopping;
    atomic_bool cancel; /* set with stopping: aborts the delivery in hand */
};

enum tz_notify_verdict tz_sender_deliver(const struct tz_notify_job *job, int64_t now_ms,
                                         const atomic_bool *cancel, char *why, size_t why_len)
{
    enum tz_notify_kind kind;
    const struct tz_notify_channel *ch = &job->channel;
    if (!job->has_channel) {
        snprintf(why, why_len, "the channel was deleted");
        return TZ_NOTIFY_PERMANENT;
    }
    if (!ch->enabled) {
        snprintf(why, why_len, "the channel is disabled");
        return TZ_NOTIFY_PERMANENT;
    }
    if (!tz_notify_kind_parse(ch->kind, &kind)) {
        snprintf(why, why_len, "unknown channel kind '%s'", ch->kind);
        return TZ_NOTIFY_PERMANENT;
    }
    struct tz_notify_msg_view view = {
        .id = job->msg.id,
        .event = job->msg.event,
        .title = job->msg.title,
        .text = job->msg.body,
        .unit_code = job->unit_code,
        .item_id = job->msg.item_id,
        .created_at = job->msg.created_at,
    };
    struct tz_strbuf body = TZ_STRBUF_INIT, url = TZ_STRBUF_INIT, answer = TZ_STRBUF_INIT;
    tz_notify_body(kind, strcmp(ch->msgtype, "text") == 0, &view, &body);
    tz_strbuf_addstr(&url, ch->url);
    char h_event[64], h_id[64], h_ts[64], h_sig[128];
    const char *headers[4];
    size_t n_headers = 0;
    bool has_secret = ch->secret && *ch->secret;
    if (kind == TZ_NOTIFY_DINGTALK && has_secret) {
        char sign[128];
        tz_notify_dingtalk_sign(ch->secret, now_ms, sign, sizeof(sign));
        tz_strbuf_addf(&url, "%ctimestamp=%lld&sign=%s", strchr(ch->url, '?') ? '&' : '?',
                       (long long)now_ms, sign);
    }
    if (kind == TZ_NOTIFY_WEBHOOK) {
        int64_t ts = now_ms / 1000;
        snprintf(h_event, sizeof(h_event), "X-Taizhang-Event: %s", job->msg.event);
        snprintf(h_id, sizeof(h_id), "X-Taizhang-Delivery: %lld", (long long)job->msg.id);
        snprintf(h_ts, sizeof(h_ts), "X-Taizhang-Timestamp: %lld", (long long)ts);
        headers[n_headers++] = h_event;
        headers[n_headers++] = h_id;
        headers[n_headers++] = h_ts;
        if (has_secret) {
            char sig[80];
            tz_notify_webhook_signature(ch->secret, ts, body.buf, body.len, sig);
            snprintf(h_sig, sizeof(h_sig), "X-Taizhang-Signature: %s", sig);
            headers[n_headers++] = h_sig;
        }
    }
    char transport[256];
    long status = tz_webclient_post(url.buf, headers, n_headers, body.buf, body.len, NULL, cancel,
                                    &answer, transport, sizeof(transport));
    enum tz_notify_verdict v = tz_notify_judge(kind, status, answer.buf, answer.len, why, why_len);
    if (status == 0)
        snprintf(why, why_len, "%s", transport);
    tz_strbuf_release(&body);
    tz_strbuf_release(&url);
    tz_strbuf_release(&answer);
    return v;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool is_stopping(struct tz_sender *s)
{
    pthread_mutex_lock(&s->mu);
    bool stop = s->stopping;
    pthread_mutex_unlock(&s->mu);
    return stop;
}

/* Delivers due messages until none is due or the server stops. */
static void drain(struct tz_sender *s)
{
    while (!is_stopping(s)) {
        struct tz_arena a;
        struct tz_notify_job job;
        struct tz_err err;
        bool found = false;
        tz_arena_init(&a);
        tz_err_clear(&err);
        enum tz_status st = tz_app_notify_claim(s->ctx, &a, &job, &found, &err);
        if (st != TZ_OK)
            tz_warn("notify: cannot claim a message: %s", err.msg);
        if (st == TZ_OK && found) {
            char why[256] = "";
            enum tz_notify_verdict v =
                tz_sender_deliver(&job, now_ms(), &s->cancel, why, sizeof(why));
            if (tz_app_notify_settle(s->ctx, &job, v, why, &err) != TZ_OK)
                tz_warn("notify: cannot record message %lld: %s", (long long)job.msg.id, err.msg);
        }
        tz_arena_release(&a);
        if (st != TZ_OK || !found)
            return;
    }
}

static void *run(void *arg)
{
    struct tz_sender *s = arg;
    int32_t checked_day = TZ_DAY_NONE;
    while (!is_stopping(s)) {
        struct tz_err err;
        bool ran = false;
        tz_err_clear(&err);
        if (tz_app_notify_daily_tick(s->ctx, &checked_day, &ran, &err) != TZ_OK)
            tz_warn("notify: daily digest failed: %s", err.msg);
        drain(s);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += s->poll_ms / 1000;
        until.tv_nsec += (long)(s->poll_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_mutex_lock(&s->mu);
        if (!s->stopping)
            pthread_cond_timedwait(&s->cv, &s->mu, &until);
        pthread_mutex_unlock(&s->mu);
    }
    return NULL;
}

struct tz_sender *tz_sender_start(struct tz_ctx *ctx, int poll_ms)
{
    struct tz_sender *s = tz_xmalloc(sizeof(*s));
    memset(s, 0, sizeof(*s));
    s->ctx = ctx;
    s->poll_ms = poll_ms > 0 ? poll_ms : 1000;
    atomic_init(&s->cancel, false);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    tz_webclient_global_init();
    /* the thread blocks every signal: SIGINT and SIGTERM are for the main thread's sigwait */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int rc = pthread_create(&s->thread, NULL, run, s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        tz_webclient_global_cleanup();
        pthread_cond_destroy(&s->cv);
        pthread_mutex_destroy(&s->mu);
        free(s);
        return NULL;
    }
    return s;
}

void tz_sender_stop(struct tz_sender *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->stopping = true;
    atomic_store(&s->cancel, true);
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    tz_webclient_global_cleanup();
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
