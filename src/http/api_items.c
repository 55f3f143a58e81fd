/*
 * api_items.c - items: the list with its filters, create, read, patch, the
 * closed-loop actions, events, evidence upload and download.
 */
#include "tz/date.h"
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A whole decimal integer in [lo, hi]; 422 naming the parameter otherwise. */
static enum tz_status query_int(struct tz_http_req *req, const char *name, int64_t lo, int64_t hi,
                                int64_t *out, bool *present, struct tz_err *err)
{
    const char *s = tz_http_query(req, name);
    *present = s != NULL;
    if (!s)
        return TZ_OK;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return tz_err_field(err, TZ_EINVAL, name, "'%s' must be a whole number from %lld to %lld",
                            name, (long long)lo, (long long)hi);
    *out = v;
    return TZ_OK;
}

static enum tz_status query_date(struct tz_http_req *req, const char *name, int32_t *out,
                                 struct tz_err *err)
{
    const char *s = tz_http_query(req, name);
    *out = TZ_DAY_NONE;
    if (s && !tz_date_parse(s, out))
        return tz_err_field(err, TZ_EINVAL, name, "'%s' must be a date YYYY-MM-DD", name);
    return TZ_OK;
}

/* A comma list of names parsed by `parse` into a bit mask. */
static enum tz_status query_mask(struct tz_http_req *req, const char *name,
                                 bool (*parse)(const char *, int *), unsigned *mask,
                                 struct tz_err *err)
{
    const char *s = tz_http_query(req, name);
    *mask = 0;
    if (!s)
        return TZ_OK;
    char *copy = tz_arena_strdup(req->arena, s), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int v = 0;
        if (!parse(tok, &v))
            return tz_err_field(err, TZ_EINVAL, name, "unknown %s '%s'", name, tok);
        *mask |= 1u << v;
    }
    if (!*mask)
        return tz_err_field(err, TZ_EINVAL, name, "'%s' is empty", name);
    return TZ_OK;
}

static bool parse_state(const char *s, int *out)
{
    enum tz_state st;
    if (!tz_state_parse(s, &st))
        return false;
    *out = (int)st;
    return true;
}

static bool parse_light(const char *s, int *out)
{
    enum tz_light l;
    if (!tz_light_parse(s, &l))
        return false;
    *out = (int)l;
    return true;
}

/*
 * received=KIND[&received_by=UNIT]: the items on which (that unit) received an
 * objection, a reminder, a 督办 or an approved extension; the scorecard's
 * drill-down of its tallies.
 */
static enum tz_status decode_received(struct tz_http_req *req, struct tz_item_filter *f,
                                      struct tz_err *err)
{
    static const char *const kinds[] = {"object", "remind", "supervise", "extension"};
    const char *kind = tz_http_query(req, "received");
    bool present = false;
    int64_t unit = 0;
    enum tz_status s = query_int(req, "received_by", 1, INT64_MAX, &unit, &present, err);
    if (s != TZ_OK)
        return s;
    if (present && !kind)
        return tz_err_field(err, TZ_EINVAL, "received_by", "'received_by' goes with 'received'");
    if (!kind)
        return TZ_OK;
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strcmp(kind, kinds[i]) == 0) {
            f->received = kinds[i];
            f->received_by = unit;
            return TZ_OK;
        }
    }
    return tz_err_field(err, TZ_EINVAL, "received",
                        "'received' must be object, remind, supervise or extension");
}

static enum tz_status decode_list(struct tz_http_req *req, struct tz_list_query *q,
                                  struct tz_err *err)
{
    struct tz_item_filter *f = &q->filter;
    bool present = false;
    int64_t v = 0;
    memset(q, 0, sizeof(*q));
    f->page = 1;
    f->per_page = 25;
    f->supervised_min = -1;
    f->sort = TZ_SORT_DEADLINE;
    enum tz_status s = query_int(req, "page", 1, 1000000, &v, &present, err);
    if (s != TZ_OK)
        return s;
    if (present)
        f->page = (int)v;
    s = query_int(req, "per_page", 1, 200, &v, &present, err);
    if (s != TZ_OK)
        return s;
    if (present)
        f->per_page = (int)v;
    s = query_int(req, "supervised", 0, 2, &v, &present, err);
    if (s != TZ_OK)
        return s;
    if (present)
        f->supervised_min = (int)v;
    s = query_int(req, "unit", 1, INT64_MAX, &v, &present, err);
    if (s != TZ_OK)
        return s;
    if (present)
        q->unit = v;
    s = query_int(req, "lead", 1, INT64_MAX, &v, &present, err);
    if (s != TZ_OK)
        return s;
    if (present)
        f->lead_unit_id = v;
    s = decode_received(req, f, err);
    if (s != TZ_OK)
        return s;
    s = query_mask(req, "status", parse_state, &f->states, err);
    if (s == TZ_OK)
        s = query_mask(req, "light", parse_light, &f->lights, err);
    if (s == TZ_OK)
        s = query_date(req, "due_before", &f->due_before, err);
    if (s == TZ_OK)
        s = query_date(req, "due_after", &f->due_after, err);
    if (s != TZ_OK)
        return s;
    const char *ledger = tz_http_query(req, "ledger");
    if (ledger) {
        char *copy = tz_arena_strdup(req->arena, ledger), *save = NULL;
        for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            if (!tz_app_ledger(req->call.ctx, tok))
                return tz_err_field(err, TZ_EINVAL, "ledger", "unknown ledger '%s'", tok);
            if (f->n_ledgers < TZ_FILTER_MAX_LEDGERS)
                f->ledgers[f->n_ledgers++] = tok;
        }
    }
    q->n_field_args =
        tz_http_query_prefixed(req, "f.", q->field_keys, q->field_values, TZ_FILTER_MAX_FIELDS);
    if (q->n_field_args > TZ_FILTER_MAX_FIELDS)
        return tz_err_field(err, TZ_EINVAL, "f", "at most %d field filters", TZ_FILTER_MAX_FIELDS);
    f->q = tz_http_query(req, "q");
    if (f->q && strlen(f->q) > 200)
        return tz_err_field(err, TZ_EINVAL, "q", "'q' is longer than 200 bytes");
    const char *sort = tz_http_query(req, "sort");
    if (sort) {
        static const char *const keys[] = {"deadline", "updated_at", "code", "light", "progress"};
        const char *key = sort;
        f->sort_desc = *sort == '-';
        if (f->sort_desc)
            key++;
        bool ok = false;
        for (int i = 0; i < 5; i++) {
            if (strcmp(keys[i], key) == 0) {
                f->sort = (enum tz_sort_key)i;
                ok = true;
            }
        }
        if (!ok)
            return tz_err_field(err, TZ_EINVAL, "sort",
                                "'sort' must be deadline, updated_at, code, light or progress, "
                                "with '-' for descending");
    }
    return TZ_OK;
}

void api_items_list(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct tz_list_query q;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    enum tz_status s = decode_list(req, &q, &err);
    if (s == TZ_OK)
        s = tz_app_item_list(&req->call, &q, &out, &err);
    tz_http_result(resp, s, 200, out, &err);
}

void api_items_create(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_answer_body(req, resp, tz_app_item_create, 201);
}

void api_items_get(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_answer_id(req, resp, tz_app_item_get);
}

void api_items_patch(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    enum tz_status s =
        tz_app_item_patch(&req->call, req->params[0], req->body, req->body_len, &out, &err);
    tz_http_result(resp, s, 200, out, &err);
}

void api_items_action(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    enum tz_status s =
        tz_app_item_action(&req->call, req->params[0], req->body, req->body_len, &out, &err);
    tz_http_result(resp, s, 200, out, &err);
}

void api_items_events(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_answer_id(req, resp, tz_app_item_events);
}

void api_items_attach(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    const char *type = tz_http_header(req, "Content-Type");
    enum tz_status s;
    if (req->body_too_large) {
        /* the order of checks still holds: who may upload here, then the size */
        s = tz_app_attach_precheck(&req->call, req->params[0], type, UINT64_MAX, &err);
    } else {
        s = tz_app_attach(&req->call, req->params[0], tz_http_query(req, "name"), type, req->body,
                          req->body_len, &out, &err);
    }
    tz_http_result(resp, s, 201, out, &err);
}

/*
 * Content-Disposition with the name in RFC 5987 encoding: "attachment", or
 * "inline" when asked (?inline=1) for a type the browser shows by itself (PNG,
 * JPEG, PDF), so the UI can open a PDF in a tab; anything else is always saved.
 */
static const char *disposition(struct tz_http_req *req, const char *name, const char *type)
{
    struct tz_strbuf sb = TZ_STRBUF_INIT;
    static const char hex[] = "0123456789ABCDEF";
    /* an ASCII fallback for old clients: the name if it is plain, else "file" + extension */
    bool plain = true;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        plain = plain && *p < 0x80 && *p >= 0x20 && *p != '"' && *p != '\\';
    const char *ext = strrchr(name, '.');
    const char *inl = tz_http_query(req, "inline");
    bool is_inline = inl && strcmp(inl, "1") == 0 &&
                     (strcmp(type, "image/png") == 0 || strcmp(type, "image/jpeg") == 0 ||
                      strcmp(type, "application/pdf") == 0);
    tz_strbuf_addstr(&sb, is_inline ? "inline; filename=\"" : "attachment; filename=\"");
    if (plain)
        tz_strbuf_addstr(&sb, name);
    else
        tz_strbuf_addf(&sb, "file%s",
                       ext && strspn(ext, ".abcdefghijklmnopqrstuvwxyzABCDEFGHIJKL"
                                          "MNOPQRSTUVWXYZ0123456789") == strlen(ext)
                           ? ext
                           : "");
    tz_strbuf_addstr(&sb, "\"; filename*=UTF-8''");
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p)) {
            tz_strbuf_addch(&sb, (char)*p);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            tz_strbuf_add(&sb, e, 3);
        }
    }
    const char *out = tz_arena_strdup(req->arena, sb.buf);
    tz_strbuf_release(&sb);
    return out;
}

void api_attachment_get(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct tz_download dl;
    tz_err_clear(&err);
    enum tz_status s = tz_app_attachment_get(&req->call, req->params[0], &dl, &err);
    if (s != TZ_OK) {
        tz_http_error(resp, &err);
        return;
    }
    resp->status = 200;
    resp->content_type = dl.content_type;
    resp->file_path = dl.path;
    resp->file_size = dl.size;
    tz_http_add_header(resp, "Content-Disposition", disposition(req, dl.name, dl.content_type));
}

/*
 * GET /ledgers/{ledger}/export.xlsx?<the filters of GET /items>: the workbook
 * is written to a temporary file, sent from its descriptor and unlinked once
 * queued (file_is_temp), so no export outlives its response.
 */
void api_ledger_export(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct tz_list_query q;
    struct stat sb;
    int64_t n = 0;
    tz_err_clear(&err);
    const struct tz_ledger_def *def = tz_app_ledger(req->call.ctx, req->name);
    if (!def) {
        tz_err_set(&err, TZ_ENOTFOUND, "no ledger '%s'", req->name);
        tz_http_error(resp, &err);
        return;
    }
    enum tz_status s = decode_list(req, &q, &err);
    if (s != TZ_OK) {
        tz_http_error(resp, &err);
        return;
    }
    const char *dir = getenv("TMPDIR");
    char *path =
        tz_arena_printf(req->arena, "%s/taizhang-export-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        tz_err_set(&err, TZ_EINTERNAL, "cannot create a temporary file");
        tz_http_error(resp, &err);
        return;
    }
    close(fd);
    s = tz_app_export_xlsx(&req->call, def->key, &q, path, NULL, NULL, &n, &err);
    if (s == TZ_OK && stat(path, &sb) != 0)
        s = tz_err_set(&err, TZ_EINTERNAL, "the export file is missing");
    if (s != TZ_OK) {
        unlink(path);
        tz_http_error(resp, &err);
        return;
    }
    char day[TZ_DATE_BUF];
    const char *name = tz_arena_printf(req->arena, "%s-%s.xlsx", def->name,
                                       tz_date_format(tz_ctx_today(req->call.ctx), day));
    resp->status = 200;
    resp->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    resp->file_path = path;
    resp->file_size = (int64_t)sb.st_size;
    resp->file_is_temp = true;
    tz_http_add_header(resp, "Content-Disposition", disposition(req, name, resp->content_type));
}

void api_search(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct json_object *out = NULL;
    bool present = false;
    int64_t page = 1, per_page = 20;
    tz_err_clear(&err);
    enum tz_status s = query_int(req, "page", 1, 1000, &page, &present, &err);
    if (s == TZ_OK)
        s = query_int(req, "per_page", 1, 100, &per_page, &present, &err);
    if (s == TZ_OK)
        s = tz_app_search(&req->call, tz_http_query(req, "q"), (int)page, (int)per_page, &out,
                          &err);
    tz_http_result(resp, s, 200, out, &err);
}

void api_series_list(struct tz_http_req *req, struct tz_http_resp *resp)
{
    tz_http_answer_id(req, resp, tz_app_series_list);
}

void api_series_get(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    enum tz_status s =
        tz_app_series_get(&req->call, req->params[0], (int)req->params[1], &out, &err);
    tz_http_result(resp, s, 200, out, &err);
}

void api_series_put(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct json_object *out = NULL;
    tz_err_clear(&err);
    enum tz_status s = tz_app_series_put(&req->call, req->params[0], (int)req->params[1], req->body,
                                         req->body_len, &out, &err);
    tz_http_result(resp, s, 200, out, &err);
}

void api_todos(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct json_object *out = NULL;
    bool present = false;
    int64_t limit = 200;
    tz_err_clear(&err);
    enum tz_status s = query_int(req, "limit", 0, 500, &limit, &present, &err);
    if (s == TZ_OK)
        s = tz_app_todos(&req->call, (int)limit, &out, &err);
    tz_http_result(resp, s, 200, out, &err);
}

/* Content-Disposition for files other handlers send (api_reports.c). */
const char *api_disposition(struct tz_http_req *req, const char *name, const char *type)
{
    return disposition(req, name, type);
}
