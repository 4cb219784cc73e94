/*
 * progress.c: progress of long jobs on standard error. Only when standard error is a terminal and
 * without --quiet, and only once the command has run for PROGRESS_AFTER seconds: a short job
 * prints nothing. Reading shows the share of the file read; the Cox fit one line per Newton
 * iteration with its log-likelihood. The library only calls back (survkit_progress_fn); all the
 * printing is here.
 */
#include "cli.h"

#include <stdio.h>
#include <unistd.h>

enum { PROGRESS_AFTER_MS = 2000, READ_EVERY_MS = 250 };

void cli_progress_start(cli_progress *p, const cli_common *common)
{
    p->command = common->command;
    p->enabled = !common->quiet && isatty(STDERR_FILENO);
    p->started = cli_now();
    p->last = 0;
    p->open_line = false;
}

static bool due(const cli_progress *p, double now)
{
    return p->enabled && (now - p->started) * 1000 >= PROGRESS_AFTER_MS;
}

int cli_progress_read(void *user, const char *stage, uint64_t done, uint64_t total, double value)
{
    (void)stage;
    (void)value;
    cli_progress *p = user;
    double now = cli_now();
    if (!due(p, now) || (now - p->last) * 1000 < READ_EVERY_MS || total == 0) return 0;
    p->last = now;
    fprintf(stderr, "\rsurvkit %s: reading %3.0f%% (%.0f of %.0f MB)", p->command,
            100.0 * (double)done / (double)total, (double)done / 1e6, (double)total / 1e6);
    p->open_line = true;
    return 0;
}

int cli_progress_fit(void *user, const char *stage, uint64_t done, uint64_t total, double value)
{
    (void)total;
    cli_progress *p = user;
    if (!due(p, cli_now())) return 0;
    cli_progress_end(p);
    fprintf(stderr, "survkit %s: %s iteration %llu, log-likelihood %.10g\n", p->command, stage,
            (unsigned long long)done, value);
    return 0;
}

void cli_progress_end(cli_progress *p)
{
    if (!p->open_line) return;
    fputs("\r\033[K", stderr); /* the reading line is replaced by what follows */
    p->open_line = false;
}
