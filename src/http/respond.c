/*
 * respond.c - turns use-case results into HTTP answers: JSON bodies, and the
 * error envelope {"error": {"code", "message", "field"}} whose status comes
 * from the one status table (err.h), never picked by hand in a handler.
 */
#include "tz/http.h"

#include <string.h>

void tz_http_add_header(struct tz_http_resp *resp, const char *name, const char *value)
{
    if (resp->n_headers >= TZ_HTTP_MAX_HEADERS)
        return;
    resp->header_names[resp->n_headers] = name;
    resp->header_values[resp->n_headers] = value;
    resp->n_headers++;
}

void tz_http_json(struct tz_http_resp *resp, int status, struct json_object *obj)
{
    size_t len = 0;
    const char *text = tz_json_compact(obj, &len);
    resp->status = status;
    resp->content_type = "application/json; charset=utf-8";
    tz_strbuf_reset(&resp->body);
    tz_strbuf_add(&resp->body, text, len);
    json_object_put(obj);
}

void tz_http_error(struct tz_http_resp *resp, const struct tz_err *err)
{
    const char *code = tz_status_name(err->code);
    resp->err = *err;
    resp->status = tz_status_http(err->code);
    resp->content_type = "application/json; charset=utf-8";
    resp->file_path = NULL;
    tz_strbuf_reset(&resp->body);
    tz_strbuf_addstr(&resp->body, "{\"error\":{\"code\":");
    tz_strbuf_add_json_str(&resp->body, code, strlen(code));
    tz_strbuf_addstr(&resp->body, ",\"message\":");
    const char *msg = err->msg[0] ? err->msg : code;
    tz_strbuf_add_json_str(&resp->body, msg, strlen(msg));
    if (err->field[0]) {
        tz_strbuf_addstr(&resp->body, ",\"field\":");
        tz_strbuf_add_json_str(&resp->body, err->field, strlen(err->field));
    }
    tz_strbuf_addstr(&resp->body, "}}");
}

void tz_http_result(struct tz_http_resp *resp, enum tz_status s, int ok_status,
                    struct json_object *obj, const struct tz_err *err)
{
    if (s == TZ_OK) {
        tz_http_json(resp, ok_status, obj);
        return;
    }
    json_object_put(obj);
    tz_http_error(resp, err);
}

struct json_object *tz_http_body_object(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    tz_err_clear(&err);
    struct json_object *obj = tz_json_parse_object(req->body, req->body_len, &err);
    if (!obj)
        tz_http_error(resp, &err);
    return obj;
}

void tz_http_answer(struct tz_http_req *req, struct tz_http_resp *resp, tz_case_fn fn)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    enum tz_status s = fn(&req->call, &out, &err);
    tz_http_result(resp, s, 200, out, &err);
}

void tz_http_answer_id(struct tz_http_req *req, struct tz_http_resp *resp, tz_case_id_fn fn)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    enum tz_status s = fn(&req->call, req->params[0], &out, &err);
    tz_http_result(resp, s, 200, out, &err);
}

void tz_http_answer_body(struct tz_http_req *req, struct tz_http_resp *resp, tz_case_body_fn fn,
                         int ok_status)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    struct json_object *body = tz_http_body_object(req, resp);
    if (!body)
        return;
    enum tz_status s = fn(&req->call, body, &out, &err);
    json_object_put(body);
    tz_http_result(resp, s, ok_status, out, &err);
}

void tz_http_answer_id_body(struct tz_http_req *req, struct tz_http_resp *resp,
                            tz_case_id_body_fn fn)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    struct json_object *body = tz_http_body_object(req, resp);
    if (!body)
        return;
    enum tz_status s = fn(&req->call, req->params[0], body, &out, &err);
    json_object_put(body);
    tz_http_result(resp, s, 200, out, &err);
}
