/*
 * cli.h - what the subcommands share: the common options and opening the
 * database with the settings from the environment.
 *
 * Exit status: 0 success, 1 a user error (one line on stderr), 2 usage.
 */
#ifndef TZ_CLI_H
#define TZ_CLI_H

#include "tz/app.h"

struct cli_opts {
    const char *db;
    const char *pg;            /* a PostgreSQL connection string: the store is there, not in db */
    int pool;                  /* the store's connections (default: threads + 2) */
    const char *trusted_proxy; /* serve: proxies whose X-Forwarded-For is believed */
    const char *listen;
    const char *data_dir;
    long long max_upload;
    int threads;
    const char *username;
    const char *password;
    const char *roles;
    const char *unit;
    const char *display_name;
    const char *to;   /* backup target */
    const char *from; /* restore source */
    const char *ledger;
    const char *out;            /* export target */
    const char *status;         /* export filter: a comma list of states */
    const char *light;          /* export filter: a comma list of lights */
    const char *item;           /* report notice: an item's id or code */
    const char *notify_at;      /* serve: the daily digest's time, HH:MM or off */
    const char *public_url;     /* serve: base of the links in messages */
    const char *notify_backoff; /* serve: retry waits in seconds, 30,120,... */

    const char *file;    /* import source */
    const char *as_user; /* import: the user the import is made as */
    bool dry_run;        /* import: check and report only */
    bool skip_conflicts; /* import: leave rows edited meanwhile */

    int n_args;
    char **args;        /* positional arguments after the options */
    char dir_buf[4096]; /* the data folder derived from --db */
};

/* Parses argv (after the subcommand name). Returns 0, or 2 after printing usage. */
int cli_parse(int argc, char **argv, struct cli_opts *o, const char *usage);

/* Opens the store and the context. Returns 0, or 1 after printing the reason. */
int cli_open(struct cli_opts *o, bool create, struct tz_store **st, struct tz_ctx *ctx);
void cli_close(struct tz_store *st, struct tz_ctx *ctx);

/* What the options name as the store, for messages: the SQLite file, or "the PostgreSQL database".
 */
const char *cli_store_name(const struct cli_opts *o);
/* With --pg: prints that what cmd does is PostgreSQL's own tools' work and returns 1; else 0. */
int cli_sqlite_only(const struct cli_opts *o, const char *cmd);

/* Prints "taizhang: MESSAGE" and returns 1. */
int cli_fail(const struct tz_err *err);

/* Progress of long work on stderr (progress.c): a bar on a terminal, plain lines otherwise. */
struct cli_progress {
    const char *doing;         /* "exporting" (the bar's label; "report" for stages) */
    const char *did;           /* "exported" (the plain lines) */
    const char *unit;          /* "rows" */
    const char *const *stages; /* names of stages 0..total, or NULL for a count */
    bool open_ended;           /* the total is known only at the end (a count so far) */
    bool tty;                  /* stderr is a terminal */
    bool finished;
    int64_t next_plain; /* the count at which the next plain line is due */
};
void cli_progress_init(struct cli_progress *p, const char *doing, const char *did,
                       const char *unit);
/* A tz_progress_fn: arg is the struct cli_progress. */
void cli_progress_show(void *arg, int64_t done, int64_t total);

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_migrate(int argc, char **argv);

#endif
