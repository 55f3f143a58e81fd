/*
 * metrics.c - Prometheus text metrics: requests by route and status, a latency
 * histogram, and open items by light.
 *
 * Counters are plain atomics in static tables indexed by route and by status
 * (a short fixed list), so recording costs a few relaxed increments and no lock.
 * These are the only mutable statics in the program: process-wide counters are
 * what Prometheus scrapes, and they carry no behaviour.
 */
#include "tz/http.h"

#include <stdatomic.h>
#include <string.h>

#define MAX_ROUTES 64

static const int statuses[] = {200, 201, 204, 400, 401, 403, 404, 405,
                               409, 413, 415, 422, 429, 500, 503};
#define N_STATUS (sizeof(statuses) / sizeof(statuses[0]))
static const double buckets_ms[] = {1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000};
#define N_BUCKETS (sizeof(buckets_ms) / sizeof(buckets_ms[0]))

static atomic_uint_fast64_t requests[MAX_ROUTES + 1][N_STATUS + 1];
static atomic_uint_fast64_t latency[N_BUCKETS + 1];
static atomic_uint_fast64_t latency_count;
static atomic_uint_fast64_t latency_sum_us;

void tz_metrics_record(unsigned route, int status, double ms)
{
    size_t si = N_STATUS;
    for (size_t i = 0; i < N_STATUS; i++)
        if (statuses[i] == status)
            si = i;
    if (route > MAX_ROUTES)
        route = MAX_ROUTES;
    atomic_fetch_add_explicit(&requests[route][si], 1, memory_order_relaxed);
    size_t b = N_BUCKETS;
    for (size_t i = 0; i < N_BUCKETS; i++) {
        if (ms <= buckets_ms[i]) {
            b = i;
            break;
        }
    }
    atomic_fetch_add_explicit(&latency[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&latency_count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&latency_sum_us, (uint_fast64_t)(ms * 1000.0), memory_order_relaxed);
}

void tz_metrics_render(struct tz_ctx *ctx, struct tz_strbuf *out)
{
    tz_strbuf_addstr(out, "# HELP taizhang_http_requests_total HTTP requests by route and "
                          "status.\n# TYPE taizhang_http_requests_total counter\n");
    for (unsigned r = 0; r <= MAX_ROUTES && r <= tz_n_routes; r++) {
        for (size_t s = 0; s <= N_STATUS; s++) {
            uint64_t n = atomic_load_explicit(&requests[r][s], memory_order_relaxed);
            if (!n)
                continue;
            const char *method = r < tz_n_routes ? tz_routes[r].method : "";
            const char *route = r < tz_n_routes ? tz_routes[r].pattern : "unmatched";
            if (s < N_STATUS)
                tz_strbuf_addf(out,
                               "taizhang_http_requests_total{method=\"%s\",route=\"%s\","
                               "status=\"%d\"} %llu\n",
                               method, route, statuses[s], (unsigned long long)n);
            else
                tz_strbuf_addf(out,
                               "taizhang_http_requests_total{method=\"%s\",route=\"%s\","
                               "status=\"other\"} %llu\n",
                               method, route, (unsigned long long)n);
        }
    }
    tz_strbuf_addstr(out, "# HELP taizhang_http_request_duration_seconds Request latency.\n"
                          "# TYPE taizhang_http_request_duration_seconds histogram\n");
    uint64_t cum = 0;
    for (size_t i = 0; i <= N_BUCKETS; i++) {
        cum += atomic_load_explicit(&latency[i], memory_order_relaxed);
        if (i < N_BUCKETS)
            tz_strbuf_addf(out, "taizhang_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                           buckets_ms[i] / 1000.0, (unsigned long long)cum);
        else
            tz_strbuf_addf(out, "taizhang_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
                           (unsigned long long)cum);
    }
    tz_strbuf_addf(out, "taizhang_http_request_duration_seconds_sum %.6f\n",
                   (double)atomic_load(&latency_sum_us) / 1e6);
    tz_strbuf_addf(out, "taizhang_http_request_duration_seconds_count %llu\n",
                   (unsigned long long)atomic_load(&latency_count));

    /* open items by light, over every item */
    struct tz_arena a;
    struct tz_call call;
    struct tz_err err;
    tz_arena_init(&a);
    tz_call_init(&call, ctx, &a, "-");
    struct tz_scope scope = {.all = true};
    struct tz_counts totals, *bl = NULL, *bu = NULL;
    size_t nl = 0, nu = 0;
    if (tz_app_lights_current(&call, &err) == TZ_OK &&
        TZ_STORE(call.conn)->dashboard(call.conn, &scope, &a, &totals, &bl, &nl, &bu, &nu, NULL,
                                       NULL, &err) == TZ_OK) {
        tz_strbuf_addstr(out, "# HELP taizhang_open_items Open items by light.\n"
                              "# TYPE taizhang_open_items gauge\n");
        tz_strbuf_addf(out, "taizhang_open_items{light=\"green\"} %lld\n", (long long)totals.green);
        tz_strbuf_addf(out, "taizhang_open_items{light=\"yellow\"} %lld\n",
                       (long long)totals.yellow);
        tz_strbuf_addf(out, "taizhang_open_items{light=\"red\"} %lld\n", (long long)totals.red);
    }
    tz_call_release(&call);
    tz_arena_release(&a);
}
