/*
 * cmd_backup.c - `taizhang backup --db FILE --to COPY` takes an online,
 * consistent copy (the server may keep running); `taizhang restore --from COPY
 * --db FILE` puts a copy back (stop the server first).
 */
#include "cli.h"

#include <stdio.h>
#include <unistd.h>

static const char backup_usage[] = "usage: taizhang backup [--db FILE] --to COPY\n";
static const char restore_usage[] = "usage: taizhang restore --from COPY [--db FILE]\n";

int cmd_backup(int argc, char **argv)
{
    struct cli_opts o;
    struct tz_err err;
    int rc = cli_parse(argc, argv, &o, backup_usage);
    if (rc)
        return rc;
    if (!o.to) {
        fprintf(stderr, "%s", backup_usage);
        return 2;
    }
    if (cli_sqlite_only(&o, "backup"))
        return 1;
    tz_err_clear(&err);
    struct tz_store *st = tz_store_sqlite_open(o.db, false, 1, &err);
    if (!st)
        return cli_fail(&err);
    enum tz_status s = st->ops->backup(st, o.to, &err);
    tz_store_close(st);
    if (s != TZ_OK)
        return cli_fail(&err);
    printf("backed up %s to %s\n", o.db, o.to);
    return 0;
}

int cmd_restore(int argc, char **argv)
{
    struct cli_opts o;
    struct tz_err err;
    int rc = cli_parse(argc, argv, &o, restore_usage);
    if (rc)
        return rc;
    if (!o.from) {
        fprintf(stderr, "%s", restore_usage);
        return 2;
    }
    if (cli_sqlite_only(&o, "restore"))
        return 1;
    tz_err_clear(&err);
    if (tz_store_sqlite_restore(o.from, o.db, &err) != TZ_OK)
        return cli_fail(&err);
    /* open once so the restored copy is migrated and checked */
    struct tz_store *st = tz_store_sqlite_open(o.db, false, 1, &err);
    if (!st)
        return cli_fail(&err);
    tz_store_close(st);
    printf("restored %s from %s\n", o.db, o.from);
    return 0;
}
