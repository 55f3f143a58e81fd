/*
 * webclient.c - the HTTP client of the notifications (webclient.h): one
 * blocking POST per call with libcurl's easy interface, run only on the
 * sender thread, never on a request thread.
 *
 * The settings keep surprises out: CURLOPT_NOSIGNAL (threads), short timeouts,
 * no redirects (a robot that redirects is misconfigured), protocols limited
 * to http and https, and CURLOPT_PROXY set explicitly so that an http_proxy
 * variable in the service's environment is not picked up by accident.
 */
#include "webclient.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

void tz_webclient_global_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

void tz_webclient_global_cleanup(void)
{
    curl_global_cleanup();
}

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *arg)
{
    struct tz_strbuf *sb = arg;
    size_t len = size * nmemb;
    if (sb->len < TZ_WEBCLIENT_MAX_ANSWER) {
        size_t room = TZ_WEBCLIENT_MAX_ANSWER - sb->len;
        tz_strbuf_add(sb, ptr, len < room ? len : room);
    }
    return len;
}

/* libcurl calls this about once a second and more often while data moves. */
static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    const atomic_bool *cancel = arg;
    return cancel && atomic_load(cancel) ? 1 : 0; /* non-zero aborts the transfer */
}

long tz_webclient_post(const char *url, const char *const *headers, size_t n_headers,
                       const char *body, size_t body_len, const char *proxy,
                       const atomic_bool *cancel, struct tz_strbuf *answer, char *why,
                       size_t why_len)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    long status = 0;
    struct curl_slist *list = curl_slist_append(NULL, "Content-Type: application/json");
    for (size_t i = 0; i < n_headers && i < TZ_WEBCLIENT_MAX_HEADERS; i++)
        list = curl_slist_append(list, headers[i]);
    list = curl_slist_append(list, "Expect:"); /* no 100-continue round trip */
    why[0] = '\0';
    CURL *h = curl_easy_init();
    if (!h) {
        snprintf(why, why_len, "cannot start an HTTP client");
        curl_slist_free_all(list);
        return 0;
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_PROXY, proxy ? proxy : "");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "taizhang-notify/1");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, answer);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)cancel);
    CURLcode rc = curl_easy_perform(h);
    if (rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    else
        snprintf(why, why_len, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
    curl_easy_cleanup(h);
    curl_slist_free_all(list);
    return status;
}
