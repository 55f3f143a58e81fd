/*
 * progress.c - how long work shows its progress on the operator's console
 * (cli.h): a bar redrawn in place when stderr is a terminal, a plain line now
 * and then when it is a file or a pipe (a log has no carriage returns).
 *
 * Three kinds of work, one callback (tz_progress_fn):
 *   counted:    done of a known total (export): a bar with the percentage and
 *               the count; plain lines every tenth of the way and at the end;
 *   open-ended: a count whose total is known only at the end (import reads
 *               until the file ends): the count; plain lines every 10 000;
 *   staged:     named stages 0..total (report): a bar by stages and the name
 *               of the current one; a plain line for each stage.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BAR_WIDTH        30
#define OPEN_ENDED_EVERY 10000

void cli_progress_init(struct cli_progress *p, const char *doing, const char *did, const char *unit)
{
    memset(p, 0, sizeof(*p));
    p->doing = doing;
    p->did = did;
    p->unit = unit;
    p->tty = isatty(STDERR_FILENO);
    p->next_plain = -1;
}

/* "[██████░░░░]": filled in proportion to done of total. */
static void draw_bar(int64_t done, int64_t total)
{
    int filled = total > 0 ? (int)(done * BAR_WIDTH / total) : 0;
    if (filled > BAR_WIDTH)
        filled = BAR_WIDTH;
    fputc('[', stderr);
    for (int i = 0; i < BAR_WIDTH; i++)
        fputs(i < filled ? "█" : "░", stderr);
    fputc(']', stderr);
}

static void on_terminal(const struct cli_progress *p, int64_t done, int64_t total, bool last)
{
    fputs("\r\033[K", stderr); /* back to the start of the line, which is cleared */
    if (p->stages) {
        fprintf(stderr, "%s ", p->doing);
        draw_bar(done, total);
        fprintf(stderr, " %lld/%lld %s", (long long)done, (long long)total, p->stages[done]);
    } else if (p->open_ended && !last) {
        fprintf(stderr, "%s: %lld %s", p->doing, (long long)done, p->unit);
    } else {
        fprintf(stderr, "%s ", p->doing);
        draw_bar(done, total);
        fprintf(stderr, " %3lld%%  %lld/%lld %s", (long long)(total ? done * 100 / total : 100),
                (long long)done, (long long)total, p->unit);
    }
    if (last)
        fputc('\n', stderr);
    fflush(stderr);
}

static void plain(struct cli_progress *p, int64_t done, int64_t total, bool last)
{
    if (p->stages) {
        fprintf(stderr, "%s: %s\n", p->doing, p->stages[done]);
        return;
    }
    if (!last && done < p->next_plain)
        return;
    if (p->open_ended)
        p->next_plain = done + OPEN_ENDED_EVERY;
    else
        p->next_plain = done + (total / 10 > 0 ? total / 10 : 1);
    if (p->open_ended || total <= 0)
        fprintf(stderr, "%s %lld %s\n", p->did, (long long)done, p->unit);
    else
        fprintf(stderr, "%s %lld of %lld %s\n", p->did, (long long)done, (long long)total, p->unit);
}

void cli_progress_show(void *arg, int64_t done, int64_t total)
{
    struct cli_progress *p = arg;
    if (done < 0 || (p->stages && done > total))
        return;
    bool last = total > 0 && done >= total;
    if (last && p->finished)
        return; /* the end is said once, however often it is reported */
    p->finished = last;
    if (p->tty)
        on_terminal(p, done, total, last);
    else
        plain(p, done, total, last);
}
