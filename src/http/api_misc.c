/*
 * api_misc.c - health, metrics, the OpenAPI document, ledgers, the dashboards
 * (totals, scorecard, burden, hazard statistics), calendar and the audit log.
 */
#include "tz/embed.h"
#include "api.h"

#include <stdlib.h>
#include <string.h>

void api_healthz(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    const char *v = NULL;
    tz_err_clear(&err);
    /* the database must answer too */
    if (TZ_STORE(req->call.conn)->meta_get(req->call.conn, "lights_day", req->arena, &v, &err) !=
        TZ_OK) {
        tz_err_set(&err, TZ_EUNAVAIL, "the database does not answer");
        tz_http_error(resp, &err);
        return;
    }
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "status", json_object_new_string("ok"));
    json_object_object_add(o, "version", json_object_new_string(tz_version()));
    tz_http_json(resp, 200, o);
}

void api_metrics(struct tz_http_req *req, struct tz_http_resp *resp)
{
    resp->status = 200;
    resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
    tz_metrics_render(req->call.ctx, &resp->body);
}

void api_openapi(struct tz_http_req *req, struct tz_http_resp *resp)
{
    const struct tz_embedded *f = tz_embed_find("data/openapi.json");
    (void)req;
    if (!f) {
        struct tz_err err;
        tz_err_set(&err, TZ_ENOTFOUND, "the OpenAPI document is not built in");
        tz_http_error(resp, &err);
        return;
    }
    resp->status = 200;
    resp->content_type = "application/json; charset=utf-8";
    tz_strbuf_add(&resp->body, f->data, f->len);
}

void api_ledgers(struct tz_http_req *req, struct tz_http_resp *resp)
{
    (void)req;
    tz_http_json(resp, 200, tz_app_ledgers(req->call.ctx));
}

void api_dashboard(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_answer(req, resp, tz_app_dashboard);
}

void api_calendar_get(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    enum tz_status s = tz_app_calendar_get(&req->call, (int)req->params[0], &out, &err);
    tz_http_result(resp, s, 200, out, &err);
}

void api_calendar_put(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    struct json_object *body = tz_http_body_object(req, resp);
    if (!body)
        return;
    enum tz_status s = tz_app_calendar_put(&req->call, (int)req->params[0], body, &out, &err);
    json_object_put(body);
    tz_http_result(resp, s, 200, out, &err);
}

void api_audit_list(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    const char *after = tz_http_query(req, "after"), *limit = tz_http_query(req, "limit");
    char *end = NULL;
    long long a = 0, l = 100;
    if (after) {
        a = strtoll(after, &end, 10);
        if (!*after || *end || a < 0) {
            tz_err_field(&err, TZ_EINVAL, "after", "'after' must be a sequence number");
            tz_http_error(resp, &err);
            return;
        }
    }
    if (limit) {
        l = strtoll(limit, &end, 10);
        if (!*limit || *end || l < 1 || l > 1000) {
            tz_err_field(&err, TZ_EINVAL, "limit", "'limit' must be 1 to 1000");
            tz_http_error(resp, &err);
            return;
        }
    }
    enum tz_status s = tz_app_audit_list(&req->call, a, (int)l, &out, &err);
    tz_http_result(resp, s, 200, out, &err);
}

void api_audit_verify(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_answer(req, resp, tz_app_audit_verify_call);
}

void api_scorecard(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_answer(req, resp, tz_app_scorecard);
}

void api_burden(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    enum tz_status s =
        tz_app_burden(&req->call, tz_http_query(req, "from"), tz_http_query(req, "to"), &out, &err);
    tz_http_result(resp, s, 200, out, &err);
}

void api_risk_assess(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_answer_body(req, resp, tz_app_risk_assess, 200);
}

void api_hazard_stats(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    enum tz_status s = tz_app_hazard_stats(&req->call, tz_http_query(req, "year"),
                                           tz_http_query(req, "quarter"), &out, &err);
    tz_http_result(resp, s, 200, out, &err);
}

/* "1" or "true" turns a flag of the query on. */
static bool query_flag(struct tz_http_req *req, const char *name)
{
    const char *v = tz_http_query(req, name);
    return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

/*
 * POST /ledgers/{ledger}/import: the raw file as the body (its own cap, a
 * route flag). A refused import that has a report (bad cells: 422, conflicts:
 * 409) answers the error envelope with the report's keys beside "error".
 */
void api_ledger_import(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    if (req->body_too_large) {
        tz_err_set(&err, TZ_ETOOLARGE, "文件超过导入上限 %zu MB",
                   req->call.ctx->cfg.max_import >> 20);
        tz_http_error(resp, &err);
        return;
    }
    struct tz_import_opts o = {
        .ledger = req->name,
        .name = tz_http_query(req, "name"),
        .content_type = tz_http_header(req, "Content-Type"),
        .dry_run = query_flag(req, "dry_run"),
        .skip_conflicts = query_flag(req, "skip_conflicts"),
    };
    enum tz_status s = tz_app_import(&req->call, &o, req->body, req->body_len, &out, &err);
    if (s == TZ_OK || !out) {
        tz_http_result(resp, s, 200, out, &err);
        return;
    }
    tz_http_error(resp, &err);
    const char *text = json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN);
    if (resp->body.len && text[0] == '{' && text[1] != '}') {
        resp->body.buf[--resp->body.len] = '\0'; /* the envelope's closing brace */
        tz_strbuf_addch(&resp->body, ',');
        tz_strbuf_addstr(&resp->body, text + 1);
    }
    json_object_put(out);
}
