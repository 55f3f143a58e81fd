/*
 * sender.h - the notification sender: one thread inside `taizhang serve` that
 * runs the daily digest at its time and delivers the outbox (app_notify.c)
 * to the robots, with retries and backoff. Never on a request thread.
 *
 * tz_sender_start starts the thread (NULL when it cannot); tz_sender_stop
 * asks it to stop, aborts the delivery in hand (within a second; it counts
 * as a failed attempt and is retried later) and frees it. A message being delivered when the
 * process dies is retried by any server once its lease lapses.
 */
#ifndef TZ_SENDER_H
#define TZ_SENDER_H

#include "tz/app.h"

#include <stdatomic.h>

struct tz_sender;

/* poll_ms: how often the outbox is looked at when idle (1000). */
struct tz_sender *tz_sender_start(struct tz_ctx *ctx, int poll_ms);
void tz_sender_stop(struct tz_sender *s);

/*
 * Delivers one claimed message now (builds the channel's body, signs it,
 * POSTs it, judges the answer): the verdict, and why for failures. Used by
 * the thread; exposed for tests.
 */
enum tz_notify_verdict tz_sender_deliver(const struct tz_notify_job *job, int64_t now_ms,
                                         const atomic_bool *cancel, char *why, size_t why_len);

#endif
