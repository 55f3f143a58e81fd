/*
 * api_units.c - units and users: GET|POST /units, GET|PATCH /units/{id},
 * GET|POST /users, GET|PATCH /users/{id}.
 */
#include "tz/http.h"

void api_units_list(struct tz_http_req *req, struct tz_http_resp *resp);
void api_units_create(struct tz_http_req *req, struct tz_http_resp *resp);
void api_units_get(struct tz_http_req *req, struct tz_http_resp *resp);
void api_units_patch(struct tz_http_req *req, struct tz_http_resp *resp);
void api_users_list(struct tz_http_req *req, struct tz_http_resp *resp);
void api_users_create(struct tz_http_req *req, struct tz_http_resp *resp);
void api_users_get(struct tz_http_req *req, struct tz_http_resp *resp);
void api_users_patch(struct tz_http_req *req, struct tz_http_resp *resp);

typedef enum tz_status (*body_fn)(struct tz_call *, struct json_object *, struct json_object **,
                                  struct tz_err *);
typedef enum tz_status (*id_body_fn)(struct tz_call *, int64_t, struct json_object *,
                                     struct json_object **, struct tz_err *);

static void with_body(struct tz_http_req *req, struct tz_http_resp *resp, body_fn fn, int ok)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    struct json_object *body = tz_http_body_object(req, resp);
    if (!body)
        return;
    enum tz_status s = fn(&req->call, body, &out, &err);
    json_object_put(body);
    tz_http_result(resp, s, ok, out, &err);
}

static void with_id_body(struct tz_http_req *req, struct tz_http_resp *resp, id_body_fn fn)
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

void api_units_list(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    enum tz_status s = tz_app_unit_list(&req->call, &out, &err);
    tz_http_result(resp, s, 200, out, &err);
}

void api_units_create(struct tz_http_req *req, struct tz_http_resp *resp)
{
    with_body(req, resp, tz_app_unit_create, 201);
}

void api_units_get(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    enum tz_status s = tz_app_unit_get(&req->call, req->params[0], &out, &err);
    tz_http_result(resp, s, 200, out, &err);
}

void api_units_patch(struct tz_http_req *req, struct tz_http_resp *resp)
{
    with_id_body(req, resp, tz_app_unit_update);
}

void api_users_list(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    enum tz_status s = tz_app_user_list(&req->call, &out, &err);
    tz_http_result(resp, s, 200, out, &err);
}

void api_users_create(struct tz_http_req *req, struct tz_http_resp *resp)
{
    with_body(req, resp, tz_app_user_create, 201);
}

void api_users_get(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    enum tz_status s = tz_app_user_get(&req->call, req->params[0], &out, &err);
    tz_http_result(resp, s, 200, out, &err);
}

void api_users_patch(struct tz_http_req *req, struct tz_http_resp *resp)
{
    with_id_body(req, resp, tz_app_user_update);
}
