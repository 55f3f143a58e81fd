/*
 * cmd_migrate.c - `taizhang migrate --from FILE --pg CONNINFO` moves a
 * district's SQLite database into an empty PostgreSQL database
 * (tz_store_copy): every row with its id, then the id sequences moved on.
 * All or nothing; the SQLite file is only read (one of an older schema is
 * first brought to the current one, as every command's open does).
 *
 * FILE must be a taizhang database: a SQLite file (its header's magic) whose
 * schema version (the header's user_version) is set. It is checked before the
 * file is opened, so a wrong file is refused without being touched. The
 * PostgreSQL database gets its schema when it has none (as `init --pg`), and
 * must hold no units and no items.
 *
 * Progress goes to stderr: a bar on a terminal, a plain line every tenth of
 * the rows otherwise. Exit 0 on success, 1 with one line on stderr, 2 usage.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char migrate_usage[] = "usage: taizhang migrate --from FILE.db --pg CONNINFO\n";

/* Is path a SQLite file with a schema version (SQLite file format, section 1.3)? */
static enum tz_status check_source(const char *path, struct tz_err *err)
{
    unsigned char head[100];
    FILE *f = fopen(path, "rb");
    if (!f)
        return tz_err_set(err, TZ_EINVAL, "cannot read '%s'", path);
    size_t n = fread(head, 1, sizeof(head), f);
    fclose(f);
    if (n < sizeof(head) || memcmp(head, "SQLite format 3", 16) != 0)
        return tz_err_set(err, TZ_EINVAL, "'%s' is not a SQLite database", path);
    /* user_version: 4 bytes, big-endian, at offset 60; migrations set it from 1 */
    unsigned long version = (unsigned long)head[60] << 24 | (unsigned long)head[61] << 16 |
                            (unsigned long)head[62] << 8 | head[63];
    if (version == 0)
        return tz_err_set(err, TZ_EINVAL, "'%s' is not a taizhang database", path);
    return TZ_OK;
}

static void show(void *arg, const char *table, int64_t done, int64_t total)
{
    (void)table;
    cli_progress_show(arg, done, total);
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cmd_migrate(int argc, char **argv)
{
    struct cli_opts o;
    struct tz_err err;
    int rc = cli_parse(argc, argv, &o, migrate_usage);
    if (rc)
        return rc;
    if (!o.from || !o.pg || o.n_args) {
        fprintf(stderr, "%s", migrate_usage);
        return 2;
    }
    tz_err_clear(&err);
    if (check_source(o.from, &err) != TZ_OK)
        return cli_fail(&err);
    double start = seconds();
    struct tz_store *from = tz_store_sqlite_open(o.from, false, 1, &err);
    if (!from)
        return cli_fail(&err);
    struct tz_store *to = tz_store_pg_open(o.pg, true, 1, &err);
    if (!to) {
        tz_store_close(from);
        return cli_fail(&err);
    }
    struct cli_progress progress;
    cli_progress_init(&progress, "migrating", "migrated", "rows");
    int64_t rows = 0;
    enum tz_status s = tz_store_copy(from, to, show, &progress, &rows, &err);
    tz_store_close(to);
    tz_store_close(from);
    if (s != TZ_OK)
        return cli_fail(&err);
    printf("migrated %lld rows from %s to the PostgreSQL database in %.1f s\n", (long long)rows,
           o.from, seconds() - start);
    return 0;
}
