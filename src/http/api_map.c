/*
 * api_map.c - the war map's map: the district boundary (GeoJSON, read by
 * everyone signed in, replaced or removed by the administrator) and the
 * compact list of located items.
 */
#include "api.h"

#include <string.h>
#include <strings.h>

void api_map_boundary_get(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    const char *text = NULL;
    size_t len = 0;
    bool uploaded = false;
    tz_err_clear(&err);
    enum tz_status s = tz_app_map_boundary(&req->call, &text, &len, &uploaded, &err);
    if (s != TZ_OK) {
        tz_http_error(resp, &err);
        return;
    }
    resp->status = 200;
    resp->content_type = "application/geo+json";
    tz_http_add_header(resp, "X-Boundary-Source", uploaded ? "uploaded" : "builtin");
    if (uploaded) {
        tz_strbuf_add(&resp->body, text, len);
    } else {
        resp->static_data = text; /* built into the binary: outlives the response */
        resp->static_len = len;
    }
}

/* The body is GeoJSON text, as application/geo+json or application/json. */
void api_map_boundary_put(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    const char *type = tz_http_header(req, "Content-Type");
    enum tz_status s = TZ_OK;
    if (req->body_too_large)
        s = tz_err_set(&err, TZ_ETOOLARGE, "a boundary is at most %u bytes",
                       (unsigned)TZ_MAP_BOUNDARY_MAX);
    else if (!type || (strncasecmp(type, "application/geo+json", 20) != 0 &&
                       strncasecmp(type, "application/json", 16) != 0))
        s = tz_err_set(&err, TZ_EMEDIA,
                       "send GeoJSON with Content-Type: application/geo+json or application/json");
    else
        s = tz_app_map_boundary_put(&req->call, req->body ? req->body : "", req->body_len, &out,
                                    &err);
    tz_http_result(resp, s, 200, out, &err);
}

void api_map_boundary_delete(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    tz_err_clear(&err);
    enum tz_status s = tz_app_map_boundary_delete(&req->call, &err);
    if (s != TZ_OK) {
        tz_http_error(resp, &err);
        return;
    }
    resp->status = 204;
}

void api_map_items(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_answer(req, resp, tz_app_map_items);
}
