/*
 * stream.c - GET /api/v1/stream: the item changes a user may see, pushed as
 * server-sent events (text/event-stream), so that war maps and lists change
 * within a second of anyone's write, without polling.
 *
 *   retry: 3000                      (once: the browser reconnects after 3 s)
 *   id: 812                          (the hub's number: Last-Event-ID resumes)
 *   event: item
 *   data: {"id":42,"code":"ZG-2026-0007","status":"in_progress",...}
 *
 *   event: refresh                   (changes were missed: reload everything)
 *   : ping                           (every 15 s of silence, to keep proxies open)
 *
 * A stream holds no thread while it waits: its connection is suspended
 * (MHD_suspend_connection) when there is nothing to send, and resumed when the
 * hub publishes, when a ping is due, or when the server stops. A stream ends
 * after TZ_STREAM_MAX_S, and the browser reconnects with Last-Event-ID, which
 * also checks the session again.
 */
#include "api.h"
#include "tz/http.h"
#include "tz/xalloc.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PING_S           15
#define TZ_STREAM_MAX_S  300
#define CHANGES_PER_READ 16

struct stream {
    struct tz_ctx *ctx;
    struct MHD_Connection *conn;
    struct tz_actor actor;
    int64_t *subtree; /* the actor's, copied: the request's arena may go first */
    int64_t after;    /* the last change sent (or skipped as invisible) */
    time_t started, last_write;
    bool said_retry, suspended;
    struct stream *prev, *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct stream *streams; /* every open stream */
static bool closing;
static pthread_t ticker;
static bool ticker_running;
static pthread_cond_t ticker_cond = PTHREAD_COND_INITIALIZER;

/* Resumes the suspended streams (all, or those whose ping or end is due). Lock held. */
static void wake(bool all)
{
    time_t now = time(NULL);
    for (struct stream *s = streams; s; s = s->next) {
        bool due = now - s->last_write >= PING_S || now - s->started >= TZ_STREAM_MAX_S;
        if (s->suspended && (all || due || closing)) {
            s->suspended = false;
            MHD_resume_connection(s->conn);
        }
    }
}

static void on_publish(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    wake(true);
    pthread_mutex_unlock(&lock);
}

static void *tick(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    while (!closing) {
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        t.tv_sec += 1;
        pthread_cond_timedwait(&ticker_cond, &lock, &t);
        wake(false);
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

void tz_stream_start(struct tz_ctx *ctx)
{
    pthread_mutex_lock(&lock);
    closing = false;
    pthread_mutex_unlock(&lock);
    tz_hub_listen(ctx->hub, on_publish, NULL);
    ticker_running = pthread_create(&ticker, NULL, tick, NULL) == 0;
}

void tz_stream_stop(struct tz_ctx *ctx)
{
    tz_hub_listen(ctx->hub, NULL, NULL);
    pthread_mutex_lock(&lock);
    closing = true;
    wake(true);
    pthread_cond_broadcast(&ticker_cond);
    pthread_mutex_unlock(&lock);
    if (ticker_running)
        pthread_join(ticker, NULL);
    ticker_running = false;
}

/* MHD asks for the next bytes: changes if any, a ping if due, else wait suspended. */
static long read_stream(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct stream *s = cls;
    struct tz_change changes[CHANGES_PER_READ];
    struct tz_strbuf sb = TZ_STRBUF_INIT;
    time_t now = time(NULL);
    (void)pos;
    pthread_mutex_lock(&lock);
    if (closing || now - s->started >= TZ_STREAM_MAX_S) {
        pthread_mutex_unlock(&lock);
        return MHD_CONTENT_READER_END_OF_STREAM;
    }
    if (!s->said_retry) {
        tz_strbuf_addstr(&sb, "retry: 3000\n\n");
        s->said_retry = true;
    }
    bool gap = false;
    int64_t next = s->after;
    size_t n =
        tz_hub_since(s->ctx->hub, s->after, &s->actor, changes, CHANGES_PER_READ, &next, &gap);
    if (gap)
        tz_strbuf_addf(&sb, "id: %lld\nevent: refresh\ndata: {}\n\n", (long long)next);
    for (size_t i = 0; i < n; i++) {
        tz_strbuf_addf(&sb, "id: %lld\nevent: item\ndata: ", (long long)changes[i].seq);
        tz_change_json(&changes[i], &sb);
        tz_strbuf_addstr(&sb, "\n\n");
    }
    s->after = next;
    if (sb.len == 0 && now - s->last_write >= PING_S)
        tz_strbuf_addstr(&sb, ": ping\n\n");
    if (sb.len == 0) {
        /* nothing to say: give the thread back until the hub or the ticker wakes us */
        s->suspended = true;
        MHD_suspend_connection(s->conn);
        pthread_mutex_unlock(&lock);
        return 0;
    }
    s->last_write = now;
    pthread_mutex_unlock(&lock);
    /* a block larger than MHD's buffer cannot happen: CHANGES_PER_READ keeps it small */
    long r = sb.len <= max ? (long)sb.len : MHD_CONTENT_READER_END_WITH_ERROR;
    if (sb.len <= max)
        memcpy(buf, sb.buf, sb.len);
    tz_strbuf_release(&sb);
    return r;
}

static void free_stream(void *cls)
{
    struct stream *s = cls;
    pthread_mutex_lock(&lock);
    if (s->prev)
        s->prev->next = s->next;
    else
        streams = s->next;
    if (s->next)
        s->next->prev = s->prev;
    pthread_mutex_unlock(&lock);
    free(s->subtree);
    free(s);
}

void api_stream(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct stream *s = tz_xcalloc(1, sizeof(*s));
    s->ctx = req->call.ctx;
    s->conn = req->conn;
    s->actor = req->call.actor;
    s->actor.username = NULL;
    if (s->actor.n_subtree) {
        s->subtree = tz_xcalloc(s->actor.n_subtree, sizeof(int64_t));
        memcpy(s->subtree, s->actor.subtree, s->actor.n_subtree * sizeof(int64_t));
    }
    s->actor.subtree = s->subtree;
    s->started = s->last_write = time(NULL);
    /* a reconnecting browser says what it saw last; else only what happens from now */
    int64_t last = tz_hub_last(s->ctx->hub);
    const char *seen = tz_http_header(req, "Last-Event-ID");
    char *end = NULL;
    long long v = seen ? strtoll(seen, &end, 10) : -1;
    s->after = seen && end && *end == '\0' && v >= 0 && v <= last ? v : last;
    pthread_mutex_lock(&lock);
    s->next = streams;
    if (streams)
        streams->prev = s;
    streams = s;
    pthread_mutex_unlock(&lock);
    resp->status = 200;
    resp->content_type = "text/event-stream; charset=utf-8";
    resp->stream_read = read_stream;
    resp->stream_free = free_stream;
    resp->stream_cls = s;
    tz_http_add_header(resp, "X-Accel-Buffering", "no");
    /* a stream reads no database: its pooled connection goes back now, not in 5 minutes */
    tz_call_release(&req->call);
}
