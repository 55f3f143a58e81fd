/*
 * cmd_import.c - `taizhang import --db FILE --ledger KEY --file X.xlsx|X.csv
 * --as USER [--dry-run] [--skip-conflicts]` reads a workbook or CSV file into a
 * ledger exactly as POST /ledgers/{ledger}/import does, as the named user (the
 * importer's roles and scope apply; events and the audit entry name them).
 *
 * Progress goes to stderr: one line rewritten in place on a terminal, plain
 * lines every 10 000 rows otherwise. The summary (新建, 更新, 未变, 冲突) goes
 * to stdout, and with bad cells the first of them, one a line. Exit 0 on
 * success (or a clean dry run), 1 with one line on stderr for a user error
 * (unreadable file, bad cells, conflicts, unknown user or ledger), 2 for usage.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOW_ERRORS 20

static const char import_usage[] =
    "usage: taizhang import [--db FILE] --ledger KEY --file FILE.xlsx|FILE.csv --as USER "
    "[--dry-run] [--skip-conflicts]\n";

/* The whole file into memory (imports are capped, so is this). */
static char *read_file(const char *path, size_t cap, size_t *len, struct tz_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        tz_err_set(err, TZ_EINVAL, "cannot read '%s'", path);
        return NULL;
    }
    size_t alloc = 1 << 16, n = 0;
    char *buf = malloc(alloc);
    while (buf) {
        if (n == alloc) {
            alloc *= 2;
            char *more = realloc(buf, alloc);
            if (!more)
                break;
            buf = more;
        }
        size_t got = fread(buf + n, 1, alloc - n, f);
        n += got;
        if (n > cap) {
            tz_err_set(err, TZ_ETOOLARGE, "文件超过导入上限 %zu MB", cap >> 20);
            free(buf);
            buf = NULL;
            break;
        }
        if (got == 0)
            break;
    }
    fclose(f);
    if (!buf && !err->msg[0])
        abort();
    *len = n;
    return buf;
}

static long long count(struct json_object *o, const char *key)
{
    return json_object_get_int64(json_object_object_get(o, key));
}

static void print_report(struct json_object *out, bool dry_run)
{
    printf("%s新建 %lld，更新 %lld，未变 %lld，冲突 %lld（共 %lld 行）\n", dry_run ? "预览：" : "",
           count(out, "creates"), count(out, "updates"), count(out, "unchanged"),
           count(out, "conflicts"), count(out, "rows"));
    struct json_object *errors = json_object_object_get(out, "errors");
    size_t n = errors ? json_object_array_length(errors) : 0;
    for (size_t i = 0; i < n && i < SHOW_ERRORS; i++) {
        struct json_object *e = json_object_array_get_idx(errors, i);
        struct json_object *col = json_object_object_get(e, "column");
        printf("第 %lld 行 %s：%s\n", count(e, "row"), col ? json_object_get_string(col) : "",
               json_object_get_string(json_object_object_get(e, "reason")));
    }
}

int cmd_import(int argc, char **argv)
{
    struct cli_opts o;
    struct tz_err err;
    struct tz_store *st = NULL;
    struct tz_ctx ctx;
    int rc = cli_parse(argc, argv, &o, import_usage);
    if (rc)
        return rc;
    if (!o.ledger || !o.file || !o.as_user || o.n_args) {
        fprintf(stderr, "%s", import_usage);
        return 2;
    }
    tz_err_clear(&err);
    rc = cli_open(&o, false, &st, &ctx);
    if (rc)
        return rc;
    size_t len = 0;
    char *data = read_file(o.file, ctx.cfg.max_import, &len, &err);
    if (!data) {
        cli_close(st, &ctx);
        return cli_fail(&err);
    }
    struct tz_arena a;
    struct tz_call call;
    tz_arena_init(&a);
    tz_call_init(&call, &ctx, &a, "-");
    struct cli_progress progress;
    cli_progress_init(&progress, "importing", "imported", "rows");
    progress.open_ended = true; /* the rows are counted as the file is read */
    const char *base = strrchr(o.file, '/');
    struct tz_import_opts io = {
        .ledger = o.ledger,
        .name = base ? base + 1 : o.file,
        .dry_run = o.dry_run,
        .skip_conflicts = o.skip_conflicts,
        .progress = cli_progress_show,
        .progress_arg = &progress,
    };
    struct json_object *out = NULL;
    enum tz_status s = tz_app_call_as(&call, o.as_user, &err);
    if (s == TZ_OK)
        s = tz_app_import(&call, &io, data, len, &out, &err);
    if (out)
        print_report(out, o.dry_run);
    json_object_put(out);
    free(data);
    tz_call_release(&call);
    tz_arena_release(&a);
    cli_close(st, &ctx);
    if (s != TZ_OK)
        return cli_fail(&err);
    return 0;
}
