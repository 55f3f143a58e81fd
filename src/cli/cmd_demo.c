/*
 * cmd_demo.c - `taizhang demo --db FILE`: loads the Chengdong District demo
 * (creating the database first when it does not exist).
 */
#include "cli.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char usage[] = "usage: taizhang demo [--db FILE]\n";

int cmd_demo(int argc, char **argv)
{
    struct cli_opts o;
    struct tz_store *st = NULL;
    struct tz_ctx ctx;
    struct tz_err err;
    int rc = cli_parse(argc, argv, &o, usage);
    if (rc)
        return rc;
    if (sodium_init() < 0)
        return 1;
    bool fresh = !o.pg && access(o.db, F_OK) != 0;
    rc = cli_open(&o, true, &st, &ctx);
    if (rc)
        return rc;
    tz_err_clear(&err);
    enum tz_status s = TZ_OK;
    if (fresh || !tz_app_unit_by_code(&ctx, "ROOT")) {
        const char *pw = getenv("TAIZHANG_ADMIN_PASSWORD");
        s = tz_app_init(&ctx, "admin", pw && *pw ? pw : "Demo@2026", &err);
    }
    if (s == TZ_OK) {
        fprintf(stderr, "loading the Chengdong demo into %s ...\n", cli_store_name(&o));
        s = tz_app_demo(&ctx, &err);
    }
    cli_close(st, &ctx);
    if (s != TZ_OK) {
        if (fresh)
            unlink(o.db);
        return cli_fail(&err);
    }
    printf("demo loaded into %s (accounts: see docs/DEMO.md; password Demo@2026)\n",
           cli_store_name(&o));
    return 0;
}
