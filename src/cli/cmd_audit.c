/*
 * cmd_audit.c - `taizhang audit verify --db FILE`: recomputes the audit log's
 * hash chain and names the first broken entry. Exit 0 intact, 3 broken.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const char usage[] = "usage: taizhang audit verify [--db FILE]\n";

int cmd_audit(int argc, char **argv)
{
    struct cli_opts o;
    struct tz_store *st = NULL;
    struct tz_ctx ctx;
    struct tz_err err;
    struct tz_audit_verifier v;
    int rc = cli_parse(argc, argv, &o, usage);
    if (rc)
        return rc;
    if (o.n_args != 1 || strcmp(o.args[0], "verify") != 0) {
        fprintf(stderr, "%s", usage);
        return 2;
    }
    rc = cli_open(&o, false, &st, &ctx);
    if (rc)
        return rc;
    tz_err_clear(&err);
    struct tz_store_conn *c = st->ops->acquire(st);
    enum tz_status s = tz_app_audit_verify(&ctx, c, &v, &err);
    st->ops->release(c);
    const char *alg = tz_hash_alg_name(ctx.hasher.alg, ctx.hasher.key != NULL);
    cli_close(st, &ctx);
    if (s != TZ_OK)
        return cli_fail(&err);
    if (v.first_broken_seq) {
        printf("audit chain BROKEN: first broken seq %lld (%lld entries checked, %s)\n",
               (long long)v.first_broken_seq, (long long)v.checked, alg);
        return 3;
    }
    printf("audit chain intact: %lld entries checked (%s)\n", (long long)v.checked, alg);
    return 0;
}
