/*
 * api.h - the handlers of the route table (routes.c), one per endpoint, each in
 * the api_<resource>.c file of its resource. Internal to src/http/.
 */
#ifndef TZ_HTTP_API_H
#define TZ_HTTP_API_H

#include "tz/http.h"

void api_healthz(struct tz_http_req *req, struct tz_http_resp *resp);
void api_metrics(struct tz_http_req *req, struct tz_http_resp *resp);
void api_openapi(struct tz_http_req *req, struct tz_http_resp *resp);
void api_login(struct tz_http_req *req, struct tz_http_resp *resp);
void api_logout(struct tz_http_req *req, struct tz_http_resp *resp);
void api_me(struct tz_http_req *req, struct tz_http_resp *resp);
void api_units_list(struct tz_http_req *req, struct tz_http_resp *resp);
void api_units_create(struct tz_http_req *req, struct tz_http_resp *resp);
void api_units_get(struct tz_http_req *req, struct tz_http_resp *resp);
void api_units_patch(struct tz_http_req *req, struct tz_http_resp *resp);
void api_users_list(struct tz_http_req *req, struct tz_http_resp *resp);
void api_users_create(struct tz_http_req *req, struct tz_http_resp *resp);
void api_users_get(struct tz_http_req *req, struct tz_http_resp *resp);
void api_users_patch(struct tz_http_req *req, struct tz_http_resp *resp);
void api_ledgers(struct tz_http_req *req, struct tz_http_resp *resp);
void api_items_list(struct tz_http_req *req, struct tz_http_resp *resp);
void api_ledger_export(struct tz_http_req *req, struct tz_http_resp *resp);
void api_ledger_import(struct tz_http_req *req, struct tz_http_resp *resp);
void api_items_create(struct tz_http_req *req, struct tz_http_resp *resp);
void api_items_get(struct tz_http_req *req, struct tz_http_resp *resp);
void api_items_patch(struct tz_http_req *req, struct tz_http_resp *resp);
void api_items_action(struct tz_http_req *req, struct tz_http_resp *resp);
void api_items_events(struct tz_http_req *req, struct tz_http_resp *resp);
void api_items_attach(struct tz_http_req *req, struct tz_http_resp *resp);
void api_attachment_get(struct tz_http_req *req, struct tz_http_resp *resp);
void api_dashboard(struct tz_http_req *req, struct tz_http_resp *resp);
void api_scorecard(struct tz_http_req *req, struct tz_http_resp *resp);
void api_search(struct tz_http_req *req, struct tz_http_resp *resp);
void api_burden(struct tz_http_req *req, struct tz_http_resp *resp);
void api_stream(struct tz_http_req *req, struct tz_http_resp *resp);
void api_risk_assess(struct tz_http_req *req, struct tz_http_resp *resp);
void api_series_list(struct tz_http_req *req, struct tz_http_resp *resp);
void api_series_get(struct tz_http_req *req, struct tz_http_resp *resp);
void api_series_put(struct tz_http_req *req, struct tz_http_resp *resp);
void api_hazard_stats(struct tz_http_req *req, struct tz_http_resp *resp);
void api_calendar_get(struct tz_http_req *req, struct tz_http_resp *resp);
void api_calendar_put(struct tz_http_req *req, struct tz_http_resp *resp);
void api_audit_list(struct tz_http_req *req, struct tz_http_resp *resp);
void api_audit_verify(struct tz_http_req *req, struct tz_http_resp *resp);
void api_map_boundary_get(struct tz_http_req *req, struct tz_http_resp *resp);
void api_map_boundary_put(struct tz_http_req *req, struct tz_http_resp *resp);
void api_map_boundary_delete(struct tz_http_req *req, struct tz_http_resp *resp);
void api_map_items(struct tz_http_req *req, struct tz_http_resp *resp);
void api_todos(struct tz_http_req *req, struct tz_http_resp *resp);
void api_report_bulletin(struct tz_http_req *req, struct tz_http_resp *resp);
void api_report_notice(struct tz_http_req *req, struct tz_http_resp *resp);
/* Content-Disposition (RFC 5987 name; inline on ?inline=1 for PDF and images). */
const char *api_disposition(struct tz_http_req *req, const char *name, const char *type);
void api_notify_channels(struct tz_http_req *req, struct tz_http_resp *resp);
void api_notify_channel_create(struct tz_http_req *req, struct tz_http_resp *resp);
void api_notify_channel_patch(struct tz_http_req *req, struct tz_http_resp *resp);
void api_notify_channel_delete(struct tz_http_req *req, struct tz_http_resp *resp);
void api_notify_channel_test(struct tz_http_req *req, struct tz_http_resp *resp);
void api_notify_outbox(struct tz_http_req *req, struct tz_http_resp *resp);
void api_notify_dead(struct tz_http_req *req, struct tz_http_resp *resp);
void api_notify_retry(struct tz_http_req *req, struct tz_http_resp *resp);
void api_notify_daily_run(struct tz_http_req *req, struct tz_http_resp *resp);

#endif
