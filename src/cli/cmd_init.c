/*
 * cmd_init.c - `taizhang init --db FILE`: creates the database with its schema,
 * the district root unit (code ROOT) and the first administrator. The admin's
 * name comes from TAIZHANG_ADMIN_USER (default "admin"), the password from
 * TAIZHANG_ADMIN_PASSWORD, else one is generated and printed once.
 */
#include "cli.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] = "usage: taizhang init --db FILE | --pg CONNINFO\n";

/* 16 characters from a set that always meets the password policy's classes. */
static void generate_password(char out[17])
{
    static const char sets[4][27] = {"ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz",
                                     "23456789", "@#%+=-_"};
    for (int i = 0; i < 16; i++) {
        const char *set = sets[i < 4 ? i : (int)randombytes_uniform(4)];
        out[i] = set[randombytes_uniform((uint32_t)strlen(set))];
    }
    out[16] = '\0';
}

int cmd_init(int argc, char **argv)
{
    struct cli_opts o;
    struct tz_store *st = NULL;
    struct tz_ctx ctx;
    struct tz_err err;
    char generated[17];
    int rc = cli_parse(argc, argv, &o, usage);
    if (rc)
        return rc;
    if (!o.pg && access(o.db, F_OK) == 0) {
        fprintf(stderr, "taizhang: '%s' exists already; init makes a new database\n", o.db);
        return 1;
    }
    if (sodium_init() < 0)
        return 1;
    const char *user = getenv("TAIZHANG_ADMIN_USER");
    const char *password = getenv("TAIZHANG_ADMIN_PASSWORD");
    if (!user || !*user)
        user = "admin";
    if (!password || !*password) {
        generate_password(generated);
        password = generated;
    }
    rc = cli_open(&o, true, &st, &ctx);
    if (rc)
        return rc;
    tz_err_clear(&err);
    if (tz_app_init(&ctx, user, password, &err) != TZ_OK) {
        cli_close(st, &ctx);
        if (!o.pg)
            unlink(o.db);
        return cli_fail(&err);
    }
    cli_close(st, &ctx);
    printf("created %s with the district root unit and the administrator '%s'\n",
           cli_store_name(&o), user);
    if (password == generated)
        printf("administrator password (shown once): %s\n", generated);
    return 0;
}
