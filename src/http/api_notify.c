/*
 * api_notify.c - notifications, for the administrator: the robot channels of
 * each unit (list, add, change, delete, send a test), the outbox and its dead
 * letters (list, re-queue), and running today's digest now. Each handler is
 * one use case of app_notify.c; sending happens on the sender thread.
 */
#include "api.h"

#include <string.h>

void api_notify_channels(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_answer(req, resp, tz_app_notify_channels);
}

void api_notify_channel_create(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_answer_body(req, resp, tz_app_notify_channel_create, 201);
}

void api_notify_channel_patch(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_answer_id_body(req, resp, tz_app_notify_channel_update);
}

void api_notify_channel_delete(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    tz_err_clear(&err);
    enum tz_status s = tz_app_notify_channel_delete(&req->call, req->params[0], &err);
    if (s != TZ_OK) {
        tz_http_error(resp, &err);
        return;
    }
    resp->status = 204;
}

/* 202: the message is queued; the sender thread delivers it. */
void api_notify_channel_test(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    enum tz_status s = tz_app_notify_channel_test(&req->call, req->params[0], &out, &err);
    tz_http_result(resp, s, 202, out, &err);
}

void api_notify_outbox(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    enum tz_status s = tz_app_notify_outbox(&req->call, tz_http_query(req, "state"), &out, &err);
    tz_http_result(resp, s, 200, out, &err);
}

void api_notify_dead(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    enum tz_status s = tz_app_notify_outbox(&req->call, "dead", &out, &err);
    tz_http_result(resp, s, 200, out, &err);
}

void api_notify_retry(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_answer_id(req, resp, tz_app_notify_retry);
}

void api_notify_daily_run(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_answer(req, resp, tz_app_notify_daily_run);
}
