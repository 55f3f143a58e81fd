/*
 * api_auth.c - POST /auth/login, POST /auth/logout, GET /me.
 *
 * Login answers the token in the body (for API clients, as a bearer token) and
 * as an HttpOnly SameSite=Strict cookie (for the browser, with the CSRF token
 * the page must echo in X-CSRF-Token on writes).
 */
#include "tz/date.h"
#include "api.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *iso_utc8(struct tz_http_req *req, int64_t epoch, int offset_min)
{
    time_t t = (time_t)(epoch + offset_min * 60);
    struct tm tm;
    gmtime_r(&t, &tm);
    return tz_arena_printf(req->arena, "%04d-%02d-%02dT%02d:%02d:%02d+%02d:%02d", tm.tm_year + 1900,
                           tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                           offset_min / 60, offset_min % 60);
}

void api_login(struct tz_http_req *req, struct tz_http_resp *resp)
{
    static const char *const keys[] = {"username", "password", NULL};
    struct tz_err err;
    struct tz_login login;
    const char *username = NULL, *password = NULL;
    bool has_user = false, has_pw = false;
    tz_err_clear(&err);
    struct json_object *body = tz_http_body_object(req, resp);
    if (!body)
        return;
    enum tz_status s = tz_json_only_keys(body, keys, &err);
    if (s == TZ_OK)
        s = tz_json_get_str(body, "username", &username, &has_user, &err);
    if (s == TZ_OK)
        s = tz_json_get_str(body, "password", &password, &has_pw, &err);
    if (s == TZ_OK && (!has_user || !*username))
        s = tz_err_field(&err, TZ_EINVAL, "username", "'username' is required");
    if (s == TZ_OK && (!has_pw || !*password))
        s = tz_err_field(&err, TZ_EINVAL, "password", "'password' is required");
    if (s == TZ_OK && (strlen(username) > 64 || strlen(password) > 1024))
        s = tz_err_set(&err, TZ_EAUTH, "wrong user name or password");
    if (s == TZ_OK)
        s = tz_app_login(&req->call, username, password, &login, &err);
    json_object_put(body);
    if (s != TZ_OK) {
        tz_http_error(resp, &err);
        return;
    }
    int offset = req->call.ctx->cfg.utc_offset_min;
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "token", json_object_new_string(login.token));
    json_object_object_add(o, "csrf", json_object_new_string(login.csrf));
    json_object_object_add(o, "user", login.user);
    json_object_object_add(o, "expires_at",
                           json_object_new_string(iso_utc8(req, login.expires_at, offset)));
    const char *proto = tz_http_header(req, "X-Forwarded-Proto");
    bool secure = req->call.ctx->cfg.trust_proxy_https && proto && strcasecmp(proto, "https") == 0;
    tz_http_add_header(resp, "Set-Cookie",
                       tz_arena_printf(req->arena,
                                       "tz_session=%s; Path=/; HttpOnly; SameSite=Strict; "
                                       "Max-Age=%d%s",
                                       login.token, req->call.ctx->cfg.session_abs_s,
                                       secure ? "; Secure" : ""));
    tz_http_json(resp, 200, o);
}

void api_logout(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    tz_err_clear(&err);
    enum tz_status s = tz_app_logout(&req->call, &err);
    if (s != TZ_OK) {
        tz_http_error(resp, &err);
        return;
    }
    resp->status = 204;
    tz_http_add_header(resp, "Set-Cookie",
                       "tz_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}

void api_me(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_json(resp, 200, tz_app_me(&req->call));
}
