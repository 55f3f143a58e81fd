/*
 * routes.c - the route table: every endpoint of the API as one row of data.
 *
 * A new endpoint is one row here, one handler, one use case and one test. The
 * OpenAPI document (data/openapi.json) must list every row; a style check
 * (tests/style/check_openapi.sh) reads this table and fails when one is missing.
 */
#include "api.h"

const struct tz_route tz_routes[] = {
    {"GET", "/healthz", api_healthz, TZ_ROUTE_PUBLIC},
    {"GET", "/metrics", api_metrics, TZ_ROUTE_PUBLIC},
    {"GET", "/api/v1/openapi.json", api_openapi, TZ_ROUTE_PUBLIC},
    {"POST", "/api/v1/auth/login", api_login, TZ_ROUTE_PUBLIC},
    {"POST", "/api/v1/auth/logout", api_logout, 0},
    {"GET", "/api/v1/me", api_me, 0},
    {"GET", "/api/v1/units", api_units_list, 0},
    {"POST", "/api/v1/units", api_units_create, 0},
    {"GET", "/api/v1/units/{id}", api_units_get, 0},
    {"PATCH", "/api/v1/units/{id}", api_units_patch, 0},
    {"GET", "/api/v1/users", api_users_list, 0},
    {"POST", "/api/v1/users", api_users_create, 0},
    {"GET", "/api/v1/users/{id}", api_users_get, 0},
    {"PATCH", "/api/v1/users/{id}", api_users_patch, 0},
    {"GET", "/api/v1/ledgers", api_ledgers, 0},
    {"GET", "/api/v1/ledgers/{ledger}/export.xlsx", api_ledger_export, 0},
    {"POST", "/api/v1/ledgers/{ledger}/import", api_ledger_import,
     TZ_ROUTE_UPLOAD | TZ_ROUTE_IMPORT},
    {"GET", "/api/v1/items", api_items_list, 0},
    {"POST", "/api/v1/items", api_items_create, 0},
    {"GET", "/api/v1/items/{id}", api_items_get, 0},
    {"PATCH", "/api/v1/items/{id}", api_items_patch, 0},
    {"POST", "/api/v1/items/{id}/actions", api_items_action, 0},
    {"GET", "/api/v1/items/{id}/events", api_items_events, 0},
    {"POST", "/api/v1/items/{id}/attachments", api_items_attach, TZ_ROUTE_UPLOAD},
    {"GET", "/api/v1/attachments/{id}", api_attachment_get, 0},
    {"GET", "/api/v1/dashboard", api_dashboard, 0},
    {"GET", "/api/v1/dashboard/units", api_scorecard, 0},
    {"GET", "/api/v1/dashboard/burden", api_burden, 0},
    {"GET", "/api/v1/dashboard/hazards", api_hazard_stats, 0},
    {"GET", "/api/v1/search", api_search, 0},
    {"GET", "/api/v1/todos", api_todos, 0},
    {"GET", "/api/v1/stream", api_stream, 0},
    {"POST", "/api/v1/risk/assess", api_risk_assess, 0},
    {"GET", "/api/v1/items/{id}/series", api_series_list, 0},
    {"GET", "/api/v1/items/{id}/series/{period}", api_series_get, 0},
    {"PUT", "/api/v1/items/{id}/series/{period}", api_series_put, 0},
    {"GET", "/api/v1/calendar/{year}", api_calendar_get, 0},
    {"PUT", "/api/v1/calendar/{year}", api_calendar_put, 0},
    {"GET", "/api/v1/audit", api_audit_list, 0},
    {"GET", "/api/v1/audit/verify", api_audit_verify, 0},
    {"GET", "/api/v1/map/boundary", api_map_boundary_get, 0},
    {"PUT", "/api/v1/map/boundary", api_map_boundary_put, TZ_ROUTE_UPLOAD},
    {"DELETE", "/api/v1/map/boundary", api_map_boundary_delete, 0},
    {"GET", "/api/v1/map/items", api_map_items, 0},
    {"GET", "/api/v1/reports/bulletin.pdf", api_report_bulletin, 0},
    {"GET", "/api/v1/items/{id}/notice.pdf", api_report_notice, 0},
    {"GET", "/api/v1/notify/channels", api_notify_channels, 0},
    {"POST", "/api/v1/notify/channels", api_notify_channel_create, 0},
    {"PATCH", "/api/v1/notify/channels/{id}", api_notify_channel_patch, 0},
    {"DELETE", "/api/v1/notify/channels/{id}", api_notify_channel_delete, 0},
    {"POST", "/api/v1/notify/channels/{id}/test", api_notify_channel_test, 0},
    {"GET", "/api/v1/notify/outbox", api_notify_outbox, 0},
    {"GET", "/api/v1/notify/dead", api_notify_dead, 0},
    {"POST", "/api/v1/notify/dead/{id}/retry", api_notify_retry, 0},
    {"POST", "/api/v1/notify/daily/run", api_notify_daily_run, 0},
};

const unsigned tz_n_routes = sizeof(tz_routes) / sizeof(tz_routes[0]);
