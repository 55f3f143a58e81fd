/*
 * http.h - the HTTP server: libmicrohttpd underneath, a static route table,
 * handlers that decode a request, call one use case and encode the answer.
 *
 * This header is the contract for the command line (tz_http_serve) and for the
 * handlers in src/http/. Only files in src/http/ include microhttpd.h.
 */
#ifndef TZ_HTTP_H
#define TZ_HTTP_H

#include "tz/app.h"
#include "tz/strbuf.h"

#include <stdbool.h>
#include <stdint.h>

#define TZ_HTTP_MAX_PARAMS  4
#define TZ_HTTP_MAX_HEADERS 6
#define TZ_HTTP_MAX_NAME    32 /* a {ledger} segment: [a-z_]{1,31} */

struct tz_http_req {
    const char *method;
    const char *path;
    int64_t params[TZ_HTTP_MAX_PARAMS]; /* the {id}/{year} segments of the route, in order */
    /*
     * The route's {ledger} segment (at most one a route): its text, [a-z_]{1,31};
     * "" when the route has none. Whether such a ledger exists is the handler's
     * question (404). Numeric segments keep their places in params.
     */
    char name[TZ_HTTP_MAX_NAME];
    void *conn; /* struct MHD_Connection, for tz_http_query/header */
    const char *body;
    size_t body_len;
    bool body_too_large;
    bool cookie_auth;
    struct tz_call call; /* signed in unless the route is public */
    struct tz_arena *arena;
};

struct tz_http_resp {
    int status;
    const char *content_type;
    struct tz_strbuf body;
    const char *file_path; /* send this file instead of body */
    bool file_is_temp;     /* delete file_path once it is queued (the open fd keeps it readable) */
    int64_t file_size;
    const void *static_data; /* or these bytes, which outlive the response (embedded files) */
    size_t static_len;
    const char *cache_control; /* NULL: no-store */
    /* or a stream of unknown length: read(cls, pos, buf, max) as MHD's content reader; free(cls) */
    long (*stream_read)(void *cls, uint64_t pos, char *buf, size_t max);
    void (*stream_free)(void *cls);
    void *stream_cls;
    const char *header_names[TZ_HTTP_MAX_HEADERS];
    const char *header_values[TZ_HTTP_MAX_HEADERS];
    int n_headers;
    struct tz_err err; /* the error answered, when status >= 400 */
};

typedef void (*tz_http_handler)(struct tz_http_req *req, struct tz_http_resp *resp);

enum tz_route_flags {
    TZ_ROUTE_PUBLIC = 1 << 0, /* no sign-in */
    TZ_ROUTE_UPLOAD = 1 << 1, /* raw body with its own cap */
    TZ_ROUTE_IMPORT = 1 << 2, /* with UPLOAD: the import's cap (max_import) */
};

struct tz_route {
    const char *method;
    const char *pattern; /* "/api/v1/items/{id}" */
    tz_http_handler handler;
    unsigned flags;
};

extern const struct tz_route tz_routes[];
extern const unsigned tz_n_routes;

/* Query argument (URL-decoded), NULL when absent. Borrowed for the request. */
const char *tz_http_query(struct tz_http_req *req, const char *name);
/*
 * The query arguments whose names start with prefix ("f."): up to max of them
 * into keys (the name after the prefix) and values, borrowed for the request.
 * Returns how many there are, which may exceed max.
 */
size_t tz_http_query_prefixed(struct tz_http_req *req, const char *prefix, const char **keys,
                              const char **values, size_t max);
/* Request header, NULL when absent. */
const char *tz_http_header(struct tz_http_req *req, const char *name);

/* Responses. */
void tz_http_json(struct tz_http_resp *resp, int status, struct json_object *obj); /* takes obj */
void tz_http_error(struct tz_http_resp *resp, const struct tz_err *err);
void tz_http_add_header(struct tz_http_resp *resp, const char *name, const char *value);
/* Answers a use case's result: 2xx with obj, or the error envelope. Takes obj. */
void tz_http_result(struct tz_http_resp *resp, enum tz_status s, int ok_status,
                    struct json_object *obj, const struct tz_err *err);
/*
 * Handlers that only call one use case and answer its result (200, or ok_status
 * for creations): with nothing, the path's {id}, the JSON body, or both.
 */
typedef enum tz_status (*tz_case_fn)(struct tz_call *, struct json_object **, struct tz_err *);
typedef enum tz_status (*tz_case_id_fn)(struct tz_call *, int64_t, struct json_object **,
                                        struct tz_err *);
typedef enum tz_status (*tz_case_body_fn)(struct tz_call *, struct json_object *,
                                          struct json_object **, struct tz_err *);
typedef enum tz_status (*tz_case_id_body_fn)(struct tz_call *, int64_t, struct json_object *,
                                             struct json_object **, struct tz_err *);
void tz_http_answer(struct tz_http_req *req, struct tz_http_resp *resp, tz_case_fn fn);
void tz_http_answer_id(struct tz_http_req *req, struct tz_http_resp *resp, tz_case_id_fn fn);
void tz_http_answer_body(struct tz_http_req *req, struct tz_http_resp *resp, tz_case_body_fn fn,
                         int ok_status);
void tz_http_answer_id_body(struct tz_http_req *req, struct tz_http_resp *resp,
                            tz_case_id_body_fn fn);

/* Parses the body as a JSON object; on failure answers 400 and returns NULL. */
struct json_object *tz_http_body_object(struct tz_http_req *req, struct tz_http_resp *resp);

/*
 * The web UI (static.c): answers a GET of a file built into the binary ("/"
 * is the UI's index.html) and returns true, or returns false for any other
 * path. Thread-safe.
 */
bool tz_http_static(struct tz_http_req *req, struct tz_http_resp *resp);

/*
 * The live streams (stream.c): start wires them to ctx's hub and starts their
 * ticker; stop ends every open stream (the server is stopping).
 */
void tz_stream_start(struct tz_ctx *ctx);
void tz_stream_stop(struct tz_ctx *ctx);

/* Metrics (metrics.c). Thread-safe. */
void tz_metrics_record(unsigned route, int status, double ms);
void tz_metrics_render(struct tz_ctx *ctx, struct tz_strbuf *out);

struct tz_serve_opts {
    const char *host;
    int port; /* 0 = any free port */
    int threads;
    /*
     * Reverse proxies whose X-Forwarded-For is believed ("127.0.0.1,::1"; NULL:
     * none): a request from one of them is recorded (audit, log) as coming
     * from the address the proxy appended last, the client it saw.
     */
    const char *trusted_proxies;
};

/*
 * Serves until SIGINT or SIGTERM, then stops accepting, lets in-flight requests
 * finish (up to 10 s) and returns. Prints "listening on http://HOST:PORT/" on
 * stdout once ready. Returns 0, or 1 with a message on stderr.
 */
int tz_http_serve(struct tz_ctx *ctx, const struct tz_serve_opts *opts);

#endif
