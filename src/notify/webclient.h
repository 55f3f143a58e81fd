/*
 * webclient.h - one HTTP POST with libcurl, for the notification sender.
 * Internal to src/notify/; only webclient.c includes curl/curl.h.
 */
#ifndef TZ_NOTIFY_WEBCLIENT_H
#define TZ_NOTIFY_WEBCLIENT_H

#include "tz/strbuf.h"

#include <stdatomic.h>
#include <stddef.h>

#define TZ_WEBCLIENT_MAX_HEADERS 8
#define TZ_WEBCLIENT_MAX_ANSWER  (64u << 10) /* a robot's answer is a few bytes: cap it */

/* Once per process, before any thread posts (curl_global_init); and its cleanup. */
void tz_webclient_global_init(void);
void tz_webclient_global_cleanup(void);

/*
 * POSTs body as application/json to url with the extra "Name: value" headers.
 * Connect timeout 5 s, total 10 s, no redirects, http and https only, and no
 * proxy from the environment (proxy is used when not NULL or empty). Returns
 * the HTTP status, or 0 when no answer came (why holds the reason). The
 * answer's body (at most TZ_WEBCLIENT_MAX_ANSWER bytes) goes to answer.
 * cancel (may be NULL) becoming true aborts the transfer within a second
 * (the server is stopping). Thread-safe: each call has its own handle.
 */
long tz_webclient_post(const char *url, const char *const *headers, size_t n_headers,
                       const char *body, size_t body_len, const char *proxy,
                       const atomic_bool *cancel, struct tz_strbuf *answer, char *why,
                       size_t why_len);

#endif
