/*
 * api_reports.c - the printed documents: GET /reports/bulletin.pdf?from=&to=
 * (通报) and GET /items/{id}/notice.pdf (督办通知单).
 *
 * As the export: the use case writes the PDF to a temporary file, which is
 * sent from its descriptor and unlinked once queued (file_is_temp), so no
 * document outlives its response; a failed print removes it at once. The
 * file name is Chinese, in RFC 5987 form (api_disposition); ?inline=1 asks
 * the browser to show the PDF in its tab instead of saving it.
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* A new empty temporary file's path (arena), NULL when none can be made. */
static char *temp_pdf(struct tz_http_req *req)
{
    const char *dir = getenv("TMPDIR");
    char *path =
        tz_arena_printf(req->arena, "%s/taizhang-report-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    close(fd);
    return path;
}

/* Answers the printed file, or the error (removing the file). */
static void send_pdf(struct tz_http_req *req, struct tz_http_resp *resp, enum tz_status s,
                     const char *path, const struct tz_report_out *out, struct tz_err *err)
{
    struct stat sb;
    if (s == TZ_OK && stat(path, &sb) != 0)
        s = tz_err_set(err, TZ_EINTERNAL, "the printed file is missing");
    if (s != TZ_OK) {
        unlink(path);
        tz_http_error(resp, err);
        return;
    }
    resp->status = 200;
    resp->content_type = "application/pdf";
    resp->file_path = path;
    resp->file_size = (int64_t)sb.st_size;
    resp->file_is_temp = true;
    tz_http_add_header(resp, "Content-Disposition",
                       api_disposition(req, out->file_name, resp->content_type));
}

void api_report_bulletin(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct tz_report_out out;
    int32_t from, to;
    tz_err_clear(&err);
    /* bad dates answer before any file is made */
    enum tz_status s = tz_app_report_period(req->call.ctx, tz_http_query(req, "from"),
                                            tz_http_query(req, "to"), &from, &to, &err);
    if (s != TZ_OK) {
        tz_http_error(resp, &err);
        return;
    }
    char *path = temp_pdf(req);
    if (!path) {
        tz_err_set(&err, TZ_EINTERNAL, "cannot create a temporary file");
        tz_http_error(resp, &err);
        return;
    }
    s = tz_app_report_bulletin(&req->call, tz_http_query(req, "from"), tz_http_query(req, "to"),
                               path, NULL, NULL, &out, &err);
    send_pdf(req, resp, s, path, &out, &err);
}

void api_report_notice(struct tz_http_req *req, struct tz_http_resp *resp)
{
    struct tz_err err;
    struct tz_report_out out;
    tz_err_clear(&err);
    char *path = temp_pdf(req);
    if (!path) {
        tz_err_set(&err, TZ_EINTERNAL, "cannot create a temporary file");
        tz_http_error(resp, &err);
        return;
    }
    enum tz_status s =
        tz_app_report_notice(&req->call, req->params[0], path, NULL, NULL, &out, &err);
    send_pdf(req, resp, s, path, &out, &err);
}
