/*
 * cmd_serve.c - `taizhang serve --db FILE --listen HOST:PORT`: runs the server
 * until SIGINT or SIGTERM.
 */
#include "cli.h"
#include "tz/http.h"
#include "tz/sender.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: taizhang serve [--db FILE | --pg CONNINFO] [--listen HOST:PORT] [--data-dir DIR]\n"
    "                      [--max-upload BYTES] [--threads N] [--pool N]\n"
    "                      [--notify-at HH:MM|off] [--public-url URL]\n"
    "                      [--notify-backoff S1,S2,...] [--trusted-proxy ADDR,...]\n";

int cmd_serve(int argc, char **argv)
{
    struct cli_opts o;
    struct tz_store *st = NULL;
    struct tz_ctx ctx;
    int rc = cli_parse(argc, argv, &o, usage);
    if (rc)
        return rc;
    const char *colon = strrchr(o.listen, ':');
    char *end = NULL;
    long port = colon ? strtol(colon + 1, &end, 10) : -1;
    if (!colon || colon == o.listen || !*(colon + 1) || *end || port < 0 || port > 65535) {
        fprintf(stderr, "taizhang: --listen must be HOST:PORT, e.g. 127.0.0.1:8080\n");
        return 2;
    }
    if (sodium_init() < 0)
        return 1;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    /*
     * Threads wait on disk (a commit group's fsync) and on argon2id (0.2 s a
     * sign-in), so there are more than cores: measured on 2 cores, 8 threads
     * carried 5.2k durable actions/s against 3.2k with 4, and 16 did worse.
     */
    if (!o.threads)
        o.threads = (int)(cores * 4 > 8 ? cores * 4 : 8);
    rc = cli_open(&o, false, &st, &ctx);
    if (rc)
        return rc;
    struct tz_err err;
    tz_err_clear(&err);
    if (tz_config_notify(&ctx.cfg, o.notify_at, o.public_url, o.notify_backoff, &err) != TZ_OK) {
        cli_close(st, &ctx);
        return cli_fail(&err);
    }
    char *host = strndup(o.listen, (size_t)(colon - o.listen));
    if (host[0] == '[') { /* [::1]:8080 */
        memmove(host, host + 1, strlen(host));
        host[strcspn(host, "]")] = '\0';
    }
    struct tz_serve_opts so = {
        .host = host, .port = (int)port, .threads = o.threads, .trusted_proxies = o.trusted_proxy};
    /* several servers on one PostgreSQL hear each other's changes */
    if (tz_ctx_listen(&ctx, &err) != TZ_OK) {
        cli_close(st, &ctx);
        free(host);
        return cli_fail(&err);
    }
    /* the sender delivers notifications off the request threads, until the server stops */
    struct tz_sender *sender = tz_sender_start(&ctx, 1000);
    if (!sender)
        fprintf(stderr, "taizhang: warning: the notification sender did not start\n");
    rc = tz_http_serve(&ctx, &so);
    tz_sender_stop(sender);
    free(host);
    cli_close(st, &ctx);
    return rc;
}
