/*
 * cmd_export.c - `taizhang export --db FILE --ledger KEY [--out FILE.xlsx]
 * [--status S,...] [--light L,...]` writes one ledger's items to an .xlsx
 * workbook in the official ledger layout, as GET /ledgers/{ledger}/export.xlsx
 * does, with the scope of a supervisor (every item, nothing masked): the
 * operator at the server's console is trusted with the whole database anyway.
 *
 * Progress goes to stderr: one line rewritten in place on a terminal, plain
 * lines every 10 000 rows otherwise (logs stay short). The summary goes to
 * stdout. Exit 0, 1 with one line for a user error (unknown ledger or state,
 * a path that cannot be written), 2 for usage.
 */
#include "cli.h"
#include "tz/date.h"

#include <stdio.h>
#include <string.h>

static const char export_usage[] =
    "usage: taizhang export [--db FILE] --ledger KEY [--out FILE.xlsx] [--status S,...] "
    "[--light L,...]\n";

/* A comma list of names into a mask (1u << value); false naming the bad one in err. */
static bool parse_states(const char *list, unsigned *mask, struct tz_err *err)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", list);
    *mask = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        enum tz_state st;
        if (!tz_state_parse(tok, &st)) {
            tz_err_set(err, TZ_EINVAL, "unknown status '%s'", tok);
            return false;
        }
        *mask |= 1u << st;
    }
    return true;
}

static bool parse_lights(const char *list, unsigned *mask, struct tz_err *err)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", list);
    *mask = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        enum tz_light l;
        if (!tz_light_parse(tok, &l)) {
            tz_err_set(err, TZ_EINVAL, "unknown light '%s'", tok);
            return false;
        }
        *mask |= 1u << l;
    }
    return true;
}

int cmd_export(int argc, char **argv)
{
    struct cli_opts o;
    struct tz_err err;
    struct tz_store *st = NULL;
    struct tz_ctx ctx;
    struct tz_list_query q;
    int rc = cli_parse(argc, argv, &o, export_usage);
    if (rc)
        return rc;
    if (!o.ledger || o.n_args) {
        fprintf(stderr, "%s", export_usage);
        return 2;
    }
    tz_err_clear(&err);
    memset(&q, 0, sizeof(q));
    q.filter.supervised_min = -1;
    q.filter.sort = TZ_SORT_DEADLINE;
    q.filter.due_before = TZ_DAY_NONE;
    q.filter.due_after = TZ_DAY_NONE;
    if ((o.status && !parse_states(o.status, &q.filter.states, &err)) ||
        (o.light && !parse_lights(o.light, &q.filter.lights, &err)))
        return cli_fail(&err);
    rc = cli_open(&o, false, &st, &ctx);
    if (rc)
        return rc;
    if (!tz_app_ledger(&ctx, o.ledger)) {
        tz_err_set(&err, TZ_ENOTFOUND, "no ledger '%s'", o.ledger);
        cli_close(st, &ctx);
        return cli_fail(&err);
    }
    struct tz_arena a;
    struct tz_call call;
    tz_arena_init(&a);
    tz_call_init(&call, &ctx, &a, "-");
    call.actor.roles = TZ_ROLE_SUPERVISOR;
    char day[TZ_DATE_BUF];
    const char *out = o.out ? o.out
                            : tz_arena_printf(&a, "%s-%s.xlsx", o.ledger,
                                              tz_date_format(tz_ctx_today(&ctx), day));
    struct cli_progress progress;
    cli_progress_init(&progress, "exporting", "exported", "rows");
    int64_t n = 0;
    enum tz_status s =
        tz_app_export_xlsx(&call, o.ledger, &q, out, cli_progress_show, &progress, &n, &err);
    tz_call_release(&call);
    tz_arena_release(&a);
    cli_close(st, &ctx);
    if (s != TZ_OK)
        return cli_fail(&err);
    printf("exported %lld items of ledger %s to %s\n", (long long)n, o.ledger, out);
    return 0;
}
