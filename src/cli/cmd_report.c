/*
 * cmd_report.c - `taizhang report bulletin --db FILE [--from D --to D]
 * [--out FILE.pdf]` prints the 通报 of a period (default: the seven days
 * ending today), and `taizhang report notice --db FILE --item ID|CODE
 * [--out FILE.pdf]` the 督办通知单 of one item, as GET /reports/bulletin.pdf
 * and GET /items/{id}/notice.pdf do.
 *
 * As `taizhang export`, the command acts as a supervisor of the whole
 * district (the operator at the server's console holds the database anyway);
 * its prints are audited like the API's, with the actor "-" at ip "-".
 *
 * Progress goes to stderr by stage (gathering, drawing, recording): one line
 * rewritten in place on a terminal, plain lines otherwise. The summary goes
 * to stdout. Exit 0, 1 with one line for a user error (bad date, unknown
 * item, a path that cannot be written, fonts missing), 2 for usage.
 */
#include "cli.h"
#include "tz/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char report_usage[] =
    "usage: taizhang report bulletin [--db FILE] [--from YYYY-MM-DD] [--to YYYY-MM-DD] "
    "[--out FILE.pdf]\n"
    "       taizhang report notice [--db FILE] --item ID|CODE [--out FILE.pdf]\n";

static const char *const stages[] = {"gathering figures", "drawing the PDF", "recording the audit",
                                     "done"};

/* An item id from "123" or a code ("ZG-2026-0005"). */
static enum tz_status item_id(struct tz_call *call, const char *arg, int64_t *id,
                              struct tz_err *err)
{
    char *end = NULL;
    long long v = strtoll(arg, &end, 10);
    if (*arg && !*end && v > 0) {
        *id = v;
        return TZ_OK;
    }
    return tz_app_item_id_by_code(call, arg, id, err);
}

int cmd_report(int argc, char **argv)
{
    struct cli_opts o;
    struct tz_err err;
    struct tz_store *st = NULL;
    struct tz_ctx ctx;
    int rc = cli_parse(argc, argv, &o, report_usage);
    if (rc)
        return rc;
    bool bulletin = o.n_args == 1 && strcmp(o.args[0], "bulletin") == 0;
    bool notice = o.n_args == 1 && strcmp(o.args[0], "notice") == 0;
    if ((!bulletin && !notice) || (notice && !o.item) || (bulletin && o.item) ||
        (notice && (o.from || o.to))) {
        fprintf(stderr, "%s", report_usage);
        return 2;
    }
    tz_err_clear(&err);
    rc = cli_open(&o, false, &st, &ctx);
    if (rc)
        return rc;
    struct tz_arena a;
    struct tz_call call;
    struct tz_report_out out;
    tz_arena_init(&a);
    tz_call_init(&call, &ctx, &a, "-");
    call.actor.roles = TZ_ROLE_SUPERVISOR;
    struct cli_progress progress;
    cli_progress_init(&progress, "report", "reported", "stages");
    progress.stages = stages;
    char day[TZ_DATE_BUF];
    const char *path = o.out;
    enum tz_status s = TZ_OK;
    if (bulletin) {
        int32_t from, to;
        s = tz_app_report_period(&ctx, o.from, o.to, &from, &to, &err);
        if (s == TZ_OK && !path)
            path = tz_arena_printf(&a, "bulletin-%s.pdf", tz_date_format(to, day));
        if (s == TZ_OK)
            s = tz_app_report_bulletin(&call, o.from, o.to, path, cli_progress_show, &progress,
                                       &out, &err);
    } else {
        int64_t id = 0;
        s = item_id(&call, o.item, &id, &err);
        if (s == TZ_OK && !path)
            path = tz_arena_printf(&a, "notice-%lld.pdf", (long long)id);
        if (s == TZ_OK)
            s = tz_app_report_notice(&call, id, path, cli_progress_show, &progress, &out, &err);
    }
    if (s == TZ_OK) {
        if (notice)
            printf("printed %s (%s) to %s\n", o.args[0], out.number, path);
        else
            printf("printed bulletin (%d pages) to %s\n", out.pages, path);
    } else if (path) {
        unlink(path);
    }
    tz_call_release(&call);
    tz_arena_release(&a);
    cli_close(st, &ctx);
    return s == TZ_OK ? 0 : cli_fail(&err);
}
