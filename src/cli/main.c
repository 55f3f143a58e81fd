/*
 * main.c - the taizhang command: a table of subcommands, each in its own file.
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"init", cmd_init, "create a database with the district root and the first admin"},
    {"serve", cmd_serve, "run the HTTP server"},
    {"demo", cmd_demo, "load the Chengdong District demo (creates the database if needed)"},
    {"audit", cmd_audit, "audit verify: check the audit log's hash chain"},
    {"backup", cmd_backup, "write an online, consistent copy of the database"},
    {"restore", cmd_restore, "replace the database by a backup (server stopped)"},
    {"user", cmd_user, "user add: create a user account"},
    {"export", cmd_export, "write a ledger's items to an .xlsx workbook"},
    {"report", cmd_report, "report bulletin|notice: print the 通报 or an item's 督办单 as PDF"},
    {"import", cmd_import, "read an .xlsx or CSV file into a ledger (all or nothing)"},
    {"migrate", cmd_migrate,
     "copy a SQLite database into an empty PostgreSQL one (all or nothing)"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: taizhang COMMAND [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nrun 'taizhang COMMAND --help' for a command's options\n");
}

int cli_parse(int argc, char **argv, struct cli_opts *o, const char *usage_text)
{
    static const struct option longopts[] = {
        {"db", required_argument, 0, 'd'},
        {"pg", required_argument, 0, 'g'},
        {"pool", required_argument, 0, 'c'},
        {"trusted-proxy", required_argument, 0, 'T'},
        {"listen", required_argument, 0, 'l'},
        {"data-dir", required_argument, 0, 'D'},
        {"max-upload", required_argument, 0, 'm'},
        {"threads", required_argument, 0, 't'},
        {"username", required_argument, 0, 'u'},
        {"password", required_argument, 0, 'p'},
        {"roles", required_argument, 0, 'r'},
        {"unit", required_argument, 0, 'U'},
        {"display-name", required_argument, 0, 'n'},
        {"to", required_argument, 0, 'o'},
        {"from", required_argument, 0, 'f'},
        {"ledger", required_argument, 0, 'L'},
        {"out", required_argument, 0, 'O'},
        {"status", required_argument, 0, 'S'},
        {"light", required_argument, 0, 'G'},
        {"item", required_argument, 0, 'I'},
        {"notify-at", required_argument, 0, 'A'},
        {"public-url", required_argument, 0, 'P'},
        {"notify-backoff", required_argument, 0, 'B'},
        {"file", required_argument, 0, 'F'},
        {"dry-run", no_argument, 0, 'y'},
        {"as", required_argument, 0, 'a'},
        {"skip-conflicts", no_argument, 0, 'k'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    memset(o, 0, sizeof(*o));
    o->db = "data/taizhang.db";
    o->listen = "127.0.0.1:8080";
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'd':
            o->db = optarg;
            break;
        case 'g':
            o->pg = optarg;
            break;
        case 'T':
            o->trusted_proxy = optarg;
            break;
        case 'c':
            o->pool = (int)strtol(optarg, &end, 10);
            if (!*optarg || *end || o->pool < 1 || o->pool > 1000) {
                fprintf(stderr, "taizhang: --pool must be 1 to 1000 connections\n");
                return 2;
            }
            break;
        case 'l':
            o->listen = optarg;
            break;
        case 'D':
            o->data_dir = optarg;
            break;
        case 'm':
            o->max_upload = strtoll(optarg, &end, 10);
            if (!*optarg || *end || o->max_upload < 1) {
                fprintf(stderr, "taizhang: --max-upload must be a number of bytes\n");
                return 2;
            }
            break;
        case 't':
            o->threads = (int)strtol(optarg, &end, 10);
            if (!*optarg || *end || o->threads < 1 || o->threads > 256) {
                fprintf(stderr, "taizhang: --threads must be 1 to 256\n");
                return 2;
            }
            break;
        case 'u':
            o->username = optarg;
            break;
        case 'p':
            o->password = optarg;
            break;
        case 'r':
            o->roles = optarg;
            break;
        case 'U':
            o->unit = optarg;
            break;
        case 'n':
            o->display_name = optarg;
            break;
        case 'o':
            o->to = optarg;
            break;
        case 'f':
            o->from = optarg;
            break;
        case 'L':
            o->ledger = optarg;
            break;
        case 'O':
            o->out = optarg;
            break;
        case 'S':
            o->status = optarg;
            break;
        case 'G':
            o->light = optarg;
            break;
        case 'I':
            o->item = optarg;
            break;
        case 'A':
            o->notify_at = optarg;
            break;
        case 'P':
            o->public_url = optarg;
            break;
        case 'B':
            o->notify_backoff = optarg;
            break;
        case 'F':
            o->file = optarg;
            break;
        case 'y':
            o->dry_run = true;
            break;
        case 'a':
            o->as_user = optarg;
            break;
        case 'k':
            o->skip_conflicts = true;
            break;
        case 'h':
            printf("%s", usage_text);
            exit(0);
        default:
            fprintf(stderr, "taizhang: unknown option '%s'\n%s", argv[optind - 1], usage_text);
            return 2;
        }
    }
    o->n_args = argc - optind;
    o->args = argv + optind;
    return 0;
}

const char *cli_store_name(const struct cli_opts *o)
{
    return o->pg ? "the PostgreSQL database" : o->db;
}

int cli_sqlite_only(const struct cli_opts *o, const char *cmd)
{
    if (!o->pg)
        return 0;
    fprintf(stderr,
            "taizhang: %s works on a SQLite file; for PostgreSQL use pg_dump and pg_restore\n",
            cmd);
    return 1;
}

int cli_fail(const struct tz_err *err)
{
    fprintf(stderr, "taizhang: %s\n", err->msg[0] ? err->msg : tz_status_name(err->code));
    return 1;
}

int cli_open(struct cli_opts *o, bool create, struct tz_store **st, struct tz_ctx *ctx)
{
    struct tz_config cfg;
    struct tz_err err;
    tz_err_clear(&err);
    tz_config_init(&cfg);
    if (tz_config_from_env(&cfg, &err) != TZ_OK)
        return cli_fail(&err);
    cfg.db_path = o->db;
    if (o->data_dir) {
        cfg.data_dir = o->data_dir;
    } else if (o->pg) {
        /* several servers share one database: their evidence folder must be shared too */
        cfg.data_dir = "data";
    } else {
        /* evidence lives beside the database unless told otherwise */
        const char *slash = strrchr(o->db, '/');
        snprintf(o->dir_buf, sizeof(o->dir_buf), "%.*s", slash ? (int)(slash - o->db) : 1,
                 slash ? o->db : ".");
        cfg.data_dir = o->dir_buf;
    }
    if (o->max_upload)
        cfg.max_upload = (size_t)o->max_upload;
    /* a connection per request thread, and two for the sender and the daily job */
    int conns = o->pool ? o->pool : o->threads ? o->threads + 2 : 8;
    *st = o->pg ? tz_store_pg_open(o->pg, create, conns, &err)
                : tz_store_sqlite_open(o->db, create, conns, &err);
    if (!*st)
        return cli_fail(&err);
    if (tz_ctx_init(ctx, &cfg, *st, &err) != TZ_OK) {
        tz_store_close(*st);
        return cli_fail(&err);
    }
    return 0;
}

void cli_close(struct tz_store *st, struct tz_ctx *ctx)
{
    tz_ctx_release(ctx);
    tz_store_close(st);
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("taizhang %s\n", tz_version());
        return 0;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "taizhang: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
