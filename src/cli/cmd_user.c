/*
 * cmd_user.c - `taizhang user add`: creates an account from the command line
 * (for operators and benchmarks), through the same use case as POST /users,
 * acting as the built-in administrator.
 */
#include "cli.h"
#include "tz/strbuf.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] = "usage: taizhang user add [--db FILE] --username NAME --password PW "
                            "--roles r1,r2 --unit CODE [--display-name NAME]\n";

int cmd_user(int argc, char **argv)
{
    struct cli_opts o;
    struct tz_store *st = NULL;
    struct tz_ctx ctx;
    struct tz_err err;
    int rc = cli_parse(argc, argv, &o, usage);
    if (rc)
        return rc;
    if (o.n_args != 1 || strcmp(o.args[0], "add") != 0 || !o.username || !o.password || !o.roles ||
        !o.unit) {
        fprintf(stderr, "%s", usage);
        return 2;
    }
    if (sodium_init() < 0)
        return 1;
    rc = cli_open(&o, false, &st, &ctx);
    if (rc)
        return rc;
    tz_err_clear(&err);
    int64_t unit = tz_app_unit_by_code(&ctx, o.unit);
    struct json_object *body = json_object_new_object(), *roles = json_object_new_array();
    char *copy = strdup(o.roles), *save = NULL;
    for (char *r = strtok_r(copy, ",", &save); r; r = strtok_r(NULL, ",", &save))
        json_object_array_add(roles, json_object_new_string(r));
    free(copy);
    json_object_object_add(body, "username", json_object_new_string(o.username));
    json_object_object_add(body, "display_name",
                           json_object_new_string(o.display_name ? o.display_name : o.username));
    json_object_object_add(body, "unit_id", json_object_new_int64(unit));
    json_object_object_add(body, "roles", roles);
    json_object_object_add(body, "password", json_object_new_string(o.password));

    struct tz_arena a;
    struct tz_call call;
    struct json_object *out = NULL;
    tz_arena_init(&a);
    tz_call_init(&call, &ctx, &a, "cli");
    call.signed_in = true;
    call.user.username = "cli";
    call.user.roles = TZ_ROLE_ADMIN;
    enum tz_status s = tz_app_user_create(&call, body, &out, &err);
    tz_call_release(&call);
    tz_arena_release(&a);
    json_object_put(body);
    json_object_put(out);
    cli_close(st, &ctx);
    if (s != TZ_OK) {
        if (err.field[0])
            fprintf(stderr, "taizhang: %s (%s)\n", err.msg, err.field);
        else
            cli_fail(&err);
        return 1;
    }
    printf("created user %s\n", o.username);
    return 0;
}
