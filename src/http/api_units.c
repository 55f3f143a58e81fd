/*
 * api_units.c - units and users: GET|POST /units, GET|PATCH /units/{id},
 * GET|POST /users, GET|PATCH /users/{id}. Each handler is one use case.
 */
#include "api.h"

void api_units_list(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_answer(req, resp, tz_app_unit_list);
}

void api_units_create(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_answer_body(req, resp, tz_app_unit_create, 201);
}

void api_units_get(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_answer_id(req, resp, tz_app_unit_get);
}

void api_units_patch(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_answer_id_body(req, resp, tz_app_unit_update);
}

void api_users_list(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_answer(req, resp, tz_app_user_list);
}

void api_users_create(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_answer_body(req, resp, tz_app_user_create, 201);
}

void api_users_get(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_answer_id(req, resp, tz_app_user_get);
}

void api_users_patch(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_answer_id_body(req, resp, tz_app_user_update);
}
