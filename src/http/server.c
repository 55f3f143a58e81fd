/*
 * server.c - the libmicrohttpd daemon and the request life cycle.
 *
 * Design:
 * - One daemon with an epoll thread pool. The listening socket is made here
 *   (so port 0 works and the chosen port can be printed) and handed to MHD.
 * - MHD calls the access handler several times per request: the first call
 *   only allocates the request state (answering then would make MHD 0.9.75
 *   close the connection), the middle calls collect the body up to its cap
 *   (the rest is read and dropped, so the client gets its 413 cleanly), and the
 *   last call runs the request: route, sign-in, CSRF, handler, response.
 * - Every request gets its own arena and store connection, released when MHD
 *   reports the request complete. One log line per request.
 * - Shutdown on SIGINT/SIGTERM: stop accepting (quiesce), wait for open
 *   connections to finish, then stop the daemon.
 * - Behind a reverse proxy the client's address is the proxy's; for proxies
 *   named trusted (--trusted-proxy) the last address of X-Forwarded-For,
 *   the one the proxy itself appended, is taken instead. Any other hop of
 *   that header is the client's own word and is never believed.
 */
#include "tz/http.h"
#include "tz/log.h"
#include "tz/xalloc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Bytes read and dropped past a cap before the connection is cut instead. */
#define DISCARD_LIMIT (64u << 20)

struct request {
    struct tz_arena arena;
    struct tz_strbuf body;
    size_t received;
    bool too_large;
    struct timespec start;
    int route; /* index in tz_routes, -1 none, -2 method not allowed */
    int64_t params[TZ_HTTP_MAX_PARAMS];
    char name[TZ_HTTP_MAX_NAME];
    bool call_ready;
    struct tz_call call;
};

#define MAX_PROXIES 8

struct server {
    struct tz_ctx *ctx;
    struct MHD_Daemon *daemon;
    atomic_int in_flight; /* requests between their first call and completion */
    char proxies[MAX_PROXIES][INET6_ADDRSTRLEN]; /* trusted, as inet_ntop writes them */
    int n_proxies;
};

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/*
 * A {period} segment: "YYYY-MM" as yyyymm, anything else of digits and dashes
 * as 0 (the handler answers 422 naming the period rather than a bare 404).
 */
static const char *match_period(const char *path, int64_t *out)
{
    const char *p = path;
    while ((*p >= '0' && *p <= '9') || *p == '-')
        p++;
    *out = 0;
    if (p - path == 7 && path[4] == '-') {
        int64_t v = 0;
        for (int i = 0; i < 7; i++)
            if (i != 4 && (path[i] < '0' || path[i] > '9'))
                return p;
        for (int i = 0; i < 7; i++)
            if (i != 4)
                v = v * 10 + (path[i] - '0');
        *out = v;
    }
    return p;
}

/*
 * Matches a path against a pattern: {period} is a month, {ledger} a name of
 * [a-z_]{1,31} copied into name, every other {segment} a positive integer.
 */
static bool match(const char *pattern, const char *path, int64_t params[TZ_HTTP_MAX_PARAMS],
                  char name[TZ_HTTP_MAX_NAME])
{
    int n = 0;
    name[0] = '\0';
    while (*pattern && *path) {
        if (*pattern == '{') {
            const char *end = strchr(pattern, '}');
            if (!end)
                return false;
            if (strncmp(pattern, "{ledger}", 8) == 0) {
                size_t len = 0;
                while ((path[len] >= 'a' && path[len] <= 'z') || path[len] == '_')
                    len++;
                if (len == 0 || len >= TZ_HTTP_MAX_NAME)
                    return false;
                memcpy(name, path, len);
                name[len] = '\0';
                path += len;
                pattern = end + 1;
                continue;
            }
            if (n >= TZ_HTTP_MAX_PARAMS)
                return false;
            if (strncmp(pattern, "{period}", 8) == 0) {
                const char *after = match_period(path, &params[n]);
                if (after == path)
                    return false;
                n++;
                path = after;
                pattern = end + 1;
                continue;
            }
            pattern = end + 1;
            int64_t v = 0;
            int digits = 0;
            while (*path >= '0' && *path <= '9') {
                if (digits++ > 15)
                    return false;
                v = v * 10 + (*path++ - '0');
            }
            if (!digits)
                return false;
            params[n++] = v;
            continue;
        }
        if (*pattern++ != *path++)
            return false;
    }
    return *pattern == '\0' && *path == '\0';
}

static int find_route(const char *method, const char *url, int64_t params[TZ_HTTP_MAX_PARAMS],
                      char name[TZ_HTTP_MAX_NAME])
{
    bool path_known = false;
    for (unsigned i = 0; i < tz_n_routes; i++) {
        if (!match(tz_routes[i].pattern, url, params, name))
            continue;
        path_known = true;
        if (strcmp(tz_routes[i].method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(tz_routes[i].method, "GET") == 0))
            return (int)i;
    }
    return path_known ? -2 : -1;
}

const char *tz_http_query(struct tz_http_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

struct prefixed {
    const char *prefix;
    size_t len, max, n, seen;
    const char **keys, **values;
};

static enum MHD_Result collect_prefixed(void *cls, enum MHD_ValueKind kind, const char *key,
                                        const char *value)
{
    struct prefixed *p = cls;
    (void)kind;
    if (!key || strncmp(key, p->prefix, p->len) != 0)
        return MHD_YES;
    p->seen++;
    if (p->n < p->max) {
        p->keys[p->n] = key + p->len;
        p->values[p->n++] = value ? value : "";
    }
    return MHD_YES;
}

size_t tz_http_query_prefixed(struct tz_http_req *req, const char *prefix, const char **keys,
                              const char **values, size_t max)
{
    struct prefixed p = {prefix, strlen(prefix), max, 0, 0, keys, values};
    MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, collect_prefixed, &p);
    return p.seen;
}

const char *tz_http_header(struct tz_http_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

/* The IPv4 or IPv6 address in s[0..len) as inet_ntop writes it, into out; false if it is none. */
static bool normal_ip(const char *s, size_t len, char out[INET6_ADDRSTRLEN])
{
    char text[INET6_ADDRSTRLEN];
    unsigned char bin[sizeof(struct in6_addr)];
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (!len || len >= sizeof(text))
        return false;
    memcpy(text, s, len);
    text[len] = '\0';
    if (inet_pton(AF_INET, text, bin) == 1)
        return inet_ntop(AF_INET, bin, out, INET6_ADDRSTRLEN) != NULL;
    if (inet_pton(AF_INET6, text, bin) == 1)
        return inet_ntop(AF_INET6, bin, out, INET6_ADDRSTRLEN) != NULL;
    return false;
}

/* "ADDR[,ADDR...]" into srv->proxies; false, with a message, on anything else. */
static bool parse_proxies(struct server *srv, const char *list)
{
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        if (srv->n_proxies == MAX_PROXIES || !normal_ip(p, len, srv->proxies[srv->n_proxies])) {
            fprintf(stderr, "taizhang: --trusted-proxy: '%.*s' is not an IP address (at most %d)\n",
                    (int)len, p, MAX_PROXIES);
            return false;
        }
        srv->n_proxies++;
        p += len + (p[len] == ',');
    }
    return true;
}

static const char *client_ip(const struct server *srv, struct MHD_Connection *c, struct tz_arena *a)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char buf[INET6_ADDRSTRLEN] = "-";
    if (ci && ci->client_addr) {
        if (ci->client_addr->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, buf,
                      sizeof(buf));
        else if (ci->client_addr->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, buf,
                      sizeof(buf));
    }
    for (int i = 0; i < srv->n_proxies; i++) {
        if (strcmp(buf, srv->proxies[i]) != 0)
            continue;
        const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
        if (xff) {
            const char *last = strrchr(xff, ',');
            last = last ? last + 1 : xff;
            char seen[INET6_ADDRSTRLEN];
            if (normal_ip(last, strlen(last), seen))
                memcpy(buf, seen, sizeof(buf));
        }
        break;
    }
    return tz_arena_strdup(a, buf);
}

/* The session token: Authorization: Bearer, else the tz_session cookie. */
static const char *session_token(struct tz_http_req *req, bool *from_cookie)
{
    const char *h = tz_http_header(req, "Authorization");
    *from_cookie = false;
    if (h && strncasecmp(h, "Bearer ", 7) == 0)
        return h + 7;
    const char *c = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, "tz_session");
    if (c)
        *from_cookie = true;
    return c;
}

static bool same(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char d = la != lb;
    for (size_t i = 0; i < la && i < lb; i++)
        d |= (unsigned char)(a[i] ^ b[i]);
    return d == 0;
}

static void run(struct server *srv, struct request *r, struct MHD_Connection *c, const char *method,
                const char *url, struct tz_http_resp *resp)
{
    struct tz_http_req req = {
        .method = method,
        .path = url,
        .conn = c,
        .body = r->body.buf,
        .body_len = r->body.len,
        .body_too_large = r->too_large,
        .arena = &r->arena,
    };
    struct tz_err err;
    tz_err_clear(&err);
    memcpy(req.params, r->params, sizeof(req.params));
    memcpy(req.name, r->name, sizeof(req.name));
    const struct tz_route *route = r->route >= 0 ? &tz_routes[r->route] : NULL;
    /* the web UI's files need no sign-in: the sign-in page is one of them */
    if (r->route == -1 && strncmp(url, "/api/", 5) != 0 &&
        (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) && tz_http_static(&req, resp))
        return;
    bool public = route ? (route->flags & TZ_ROUTE_PUBLIC) != 0 : strncmp(url, "/api/", 5) != 0;
    tz_call_init(&r->call, srv->ctx, &r->arena, client_ip(srv, c, &r->arena));
    r->call_ready = true;
    /* signed in first: without a session, even an unknown API path is 401 */
    if (!public) {
        bool from_cookie = false;
        const char *token = session_token(&req, &from_cookie);
        enum tz_status s = tz_app_authenticate(&r->call, token, &err);
        if (s != TZ_OK) {
            tz_http_error(resp, &err);
            return;
        }
        req.cookie_auth = from_cookie;
        bool write = strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
        if (write && from_cookie) {
            const char *csrf = tz_http_header(&req, "X-CSRF-Token");
            if (!csrf || !r->call.csrf || !same(csrf, r->call.csrf)) {
                tz_err_set(&err, TZ_ECSRF,
                           "a write with the session cookie needs the "
                           "X-CSRF-Token header");
                tz_http_error(resp, &err);
                return;
            }
        }
    }
    if (r->route == -1) {
        tz_err_set(&err, TZ_ENOTFOUND, "no such resource '%s'", url);
        tz_http_error(resp, &err);
        return;
    }
    if (r->route == -2) {
        tz_err_set(&err, TZ_EMETHOD, "method %s is not allowed on '%s'", method, url);
        tz_http_error(resp, &err);
        return;
    }
    bool has_body =
        strcmp(method, "POST") == 0 || strcmp(method, "PATCH") == 0 || strcmp(method, "PUT") == 0;
    const char *type = tz_http_header(&req, "Content-Type");
    if (has_body && !(route->flags & TZ_ROUTE_UPLOAD) && type &&
        strncasecmp(type, "application/json", 16) != 0) {
        tz_err_set(&err, TZ_EMEDIA, "send JSON with Content-Type: application/json");
        tz_http_error(resp, &err);
        return;
    }
    if (r->too_large && !(route->flags & TZ_ROUTE_UPLOAD)) {
        tz_err_set(&err, TZ_ETOOLARGE, "the request body is larger than %zu bytes",
                   srv->ctx->cfg.max_body);
        tz_http_error(resp, &err);
        return;
    }
    req.call = r->call;
    route->handler(&req, resp);
    r->call = req.call;
}

/* Every rejected request of a signed-in user leaves its audit entry (SPEC 2.2, 4). */
static void audit_rejection(struct request *r, const char *method, const char *url,
                            const struct tz_http_resp *resp)
{
    if (!r->call_ready || !r->call.signed_in || resp->status < 400)
        return;
    tz_app_audit_denial(&r->call, tz_arena_printf(&r->arena, "%s %s", method, url), &resp->err);
}

static enum MHD_Result queue(struct MHD_Connection *c, struct tz_http_resp *resp)
{
    struct MHD_Response *mr = NULL;
    if (resp->file_path) {
        FILE *f = fopen(resp->file_path, "rb");
        int fd = f ? dup(fileno(f)) : -1;
        if (f)
            fclose(f);
        if (fd >= 0)
            mr = MHD_create_response_from_fd((uint64_t)resp->file_size, fd);
        if (!mr) {
            if (fd >= 0)
                close(fd);
            struct tz_err err;
            tz_err_set(&err, TZ_EINTERNAL, "the stored file is missing");
            resp->file_path = NULL;
            tz_http_error(resp, &err);
        }
    }
    if (resp->stream_read) {
        mr = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096,
                                               (MHD_ContentReaderCallback)resp->stream_read,
                                               resp->stream_cls, resp->stream_free);
        if (!mr)
            resp->stream_free(resp->stream_cls);
    }
    if (!mr && resp->static_data)
        mr = MHD_create_response_from_buffer(resp->static_len, (void *)resp->static_data,
                                             MHD_RESPMEM_PERSISTENT);
    if (!mr) {
        size_t len = resp->body.len;
        char *body = tz_strbuf_detach(&resp->body, NULL);
        mr = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    }
    if (resp->content_type)
        MHD_add_response_header(mr, "Content-Type", resp->content_type);
    MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(mr, "Cache-Control",
                            resp->cache_control ? resp->cache_control : "no-store");
    MHD_add_response_header(mr, "X-Frame-Options", "DENY");
    for (int i = 0; i < resp->n_headers; i++)
        MHD_add_response_header(mr, resp->header_names[i], resp->header_values[i]);
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)resp->status, mr);
    MHD_destroy_response(mr);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct server *srv = cls;
    struct request *r = *con_cls;
    (void)version;
    if (!r) {
        r = tz_xcalloc(1, sizeof(*r));
        tz_arena_init(&r->arena);
        tz_strbuf_init(&r->body);
        clock_gettime(CLOCK_MONOTONIC, &r->start);
        r->route = find_route(method, url, r->params, r->name);
        *con_cls = r;
        atomic_fetch_add(&srv->in_flight, 1);
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t cap = srv->ctx->cfg.max_body;
        if (r->route >= 0 && (tz_routes[r->route].flags & TZ_ROUTE_UPLOAD))
            cap = srv->ctx->cfg.max_upload;
        if (r->route >= 0 && (tz_routes[r->route].flags & TZ_ROUTE_IMPORT))
            cap = srv->ctx->cfg.max_import;
        r->received += *upload_data_size;
        if (r->received > cap)
            r->too_large = true;
        if (!r->too_large)
            tz_strbuf_add(&r->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        if (r->received > cap + DISCARD_LIMIT)
            return MHD_NO; /* a client that will not stop: cut the connection */
        return MHD_YES;
    }
    struct tz_http_resp resp = {.status = 200};
    tz_strbuf_init(&resp.body);
    run(srv, r, c, method, url, &resp);
    audit_rejection(r, method, url, &resp);
    const char *temp = resp.file_is_temp ? resp.file_path : NULL;
    enum MHD_Result ret = queue(c, &resp);
    if (temp)
        unlink(temp); /* queued from an open descriptor, or failed: either way done with */
    tz_strbuf_release(&resp.body);
    double ms = ms_since(&r->start);
    tz_metrics_record(r->route >= 0 ? (unsigned)r->route : tz_n_routes, resp.status, ms);
    tz_info("%s %s %d %.2fms", method, url, resp.status, ms);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct server *srv = cls;
    struct request *r = *con_cls;
    (void)c;
    (void)toe;
    if (!r)
        return;
    atomic_fetch_sub(&srv->in_flight, 1);
    if (r->call_ready)
        tz_call_release(&r->call);
    tz_strbuf_release(&r->body);
    tz_arena_release(&r->arena);
    free(r);
    *con_cls = NULL;
}

static int listen_socket(const char *host, int port, int *bound_port)
{
    struct sockaddr_in6 a6;
    struct sockaddr_in a4;
    int fd = -1, one = 1;
    memset(&a4, 0, sizeof(a4));
    memset(&a6, 0, sizeof(a6));
    if (inet_pton(AF_INET, host, &a4.sin_addr) == 1) {
        a4.sin_family = AF_INET;
        a4.sin_port = htons((uint16_t)port);
        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return -1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, (struct sockaddr *)&a4, sizeof(a4)) != 0)
            goto fail;
    } else if (inet_pton(AF_INET6, host, &a6.sin6_addr) == 1) {
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons((uint16_t)port);
        fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return -1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, (struct sockaddr *)&a6, sizeof(a6)) != 0)
            goto fail;
    } else {
        errno = EINVAL;
        return -1;
    }
    if (listen(fd, 512) != 0)
        goto fail;
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    getsockname(fd, (struct sockaddr *)&ss, &len);
    *bound_port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                                : ((struct sockaddr_in6 *)&ss)->sin6_port);
    return fd;
fail:
    close(fd);
    return -1;
}

/*
 * Raises the soft limit of open files to the hard one (at most 16 384) and
 * answers how many connections fit in it, leaving room for the database's
 * files and the uploads: at least 256, at most 8 000.
 */
static unsigned raise_file_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 1000;
    rlim_t want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > 16384 ? 16384 : rl.rlim_max;
    if (rl.rlim_cur < want) {
        rl.rlim_cur = want;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    long room = (long)rl.rlim_cur - 128;
    return room < 256 ? 256 : room > 8000 ? 8000 : (unsigned)room;
}

int tz_http_serve(struct tz_ctx *ctx, const struct tz_serve_opts *opts)
{
    struct server srv = {.ctx = ctx};
    atomic_init(&srv.in_flight, 0);
    if (!parse_proxies(&srv, opts->trusted_proxies))
        return 1;
    int port = 0;
    int fd = listen_socket(opts->host, opts->port, &port);
    if (fd < 0) {
        fprintf(stderr, "taizhang: cannot listen on %s:%d: %s\n", opts->host, opts->port,
                strerror(errno));
        return 1;
    }
    /* the signals are taken by sigwait below; MHD's threads inherit the mask */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    /* every open browser tab holds a live stream: room for thousands of connections */
    unsigned max_conns = raise_file_limit();
    srv.daemon = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL,
        on_request, &srv, MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)opts->threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
        MHD_OPTION_CONNECTION_LIMIT, max_conns, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
        MHD_OPTION_END);
    if (!srv.daemon) {
        close(fd);
        fprintf(stderr, "taizhang: cannot start the HTTP server\n");
        return 1;
    }
    tz_stream_start(ctx);
    printf("listening on http://%s:%d/\n", opts->host, port);
    fflush(stdout);
    tz_info("serving on %s:%d with %d threads", opts->host, port, opts->threads);

    int sig = 0;
    sigwait(&set, &sig);
    tz_info("signal %d: finishing in-flight requests", sig);
    tz_stream_stop(ctx); /* open streams end now, not after the grace period */
    MHD_socket lfd = MHD_quiesce_daemon(srv.daemon);
    if (lfd != MHD_INVALID_SOCKET)
        close(lfd);
    /* idle keep-alive connections do not hold the exit back; requests do (up to 10 s) */
    for (int i = 0; i < 1000 && atomic_load(&srv.in_flight) > 0; i++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(srv.daemon);
    tz_info("stopped");
    return 0;
}
