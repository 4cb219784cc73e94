/*
 * outfile.h: output files that appear complete or not at all, without harming what the path
 * names. Used by every writer of the CLI (-o, --save, --residuals, --plot).
 *
 *  - a regular file (new or existing) is written to a temporary file beside the real file
 *    (symbolic links followed, so the link stays a link) and renamed over it on commit; the
 *    result keeps an existing target's mode (and owner, where permitted). An existing target
 *    with other hard links is instead overwritten in place on commit, from the finished
 *    temporary file, so every link still names the result;
 *  - a character device, a FIFO or a socket (/dev/null, a named pipe) is written directly: it is
 *    never replaced by a regular file;
 *  - /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N (bash's process substitution) write
 *    to a duplicate of that descriptor, whatever it refers to;
 *  - "-" is standard output.
 * report_outfile_open checks the path at once (a directory, a missing folder, no permission are
 * errors before any work is done) and creates the temporary file; report_outfile_abort removes
 * it. While temporary files exist, SIGINT, SIGTERM, SIGHUP and SIGPIPE remove them before the
 * process ends with the signal (a handler is installed the first time, only where the signal's
 * action is the default one).
 *
 * This module keeps the list of live temporary files in static storage, for the signal handler:
 * it belongs to the command-line side (the report library), never to libsurvkit, and is used
 * from one thread.
 */
#ifndef SURVKIT_REPORT_OUTFILE_H
#define SURVKIT_REPORT_OUTFILE_H

#include <survkit/survkit.h>

#include <stdbool.h>
#include <stdio.h>

typedef enum report_outfile_kind {
    REPORT_OUTFILE_NONE,    /* closed (zeroed, committed or aborted) */
    REPORT_OUTFILE_STDOUT,  /* "-" (or no path): the process's stdout stream */
    REPORT_OUTFILE_DIRECT,  /* a device, FIFO, socket or descriptor: written as it goes */
    REPORT_OUTFILE_RENAME,  /* a temporary file renamed over the real target */
    REPORT_OUTFILE_COPY,    /* a temporary file copied into a target with other hard links */
} report_outfile_kind;

typedef struct report_outfile {
    FILE *stream;        /* write the output here */
    report_outfile_kind kind;
    char *path;          /* the path as given, for messages */
    char *target;        /* the real file (links resolved): RENAME and COPY */
    char *temp;          /* the temporary file: RENAME and COPY */
    int slot;            /* 1 + the temporary file's entry in the signal handler's list; 0: none */
} report_outfile;

/*
 * Open `path` for output (NULL or "-": standard output). On failure *out is zeroed, nothing is
 * left on disk, and err has SURVKIT_ERR_IO (or NOMEM) with a message naming the path.
 */
survkit_status report_outfile_open(report_outfile *out, const char *path, survkit_error *err);

/*
 * Finish the output: flush and close the stream, then put the file in place (rename, or copy for
 * hard-linked targets). On failure the temporary file is removed and the target is untouched.
 * Standard output is flushed and stays open. *out is zeroed either way.
 */
survkit_status report_outfile_commit(report_outfile *out, survkit_error *err);

/* Flush and close without putting in place (the first half of commit: a command with several
 * outputs finishes all of them before it renames any). NONE/STDOUT: only flushes. */
survkit_status report_outfile_finish(report_outfile *out, survkit_error *err);

/* Drop the output: close the stream and remove the temporary file. Accepts a zeroed or already
 * committed *out (does nothing). */
void report_outfile_abort(report_outfile *out);

#endif /* SURVKIT_REPORT_OUTFILE_H */
