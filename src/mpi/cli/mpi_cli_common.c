/* mpi_cli_common.c: what the survkit-mpi commands share: agreement, parsing, rank 0's output. */
#include "mpi_cli.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

bool mpi_cli_agree(survkit_mpi *mpi, bool ok)
{
    survkit_error err;
    survkit_error_clear(&err);
    return survkit_mpi_agree(mpi, ok ? SURVKIT_OK : SURVKIT_ERR_ARGUMENT, &err) == SURVKIT_OK;
}

int mpi_cli_parse(survkit_mpi *mpi, int argc, char **argv, cli_common *common,
                  const cli_option *options, size_t n_options, const char *usage,
                  const char *description)
{
    int saved = -1;
    if (survkit_mpi_rank(mpi) != 0) { /* the same message K times would be noise */
        fflush(stderr);
        saved = dup(STDERR_FILENO);
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, STDERR_FILENO);
            close(null);
        }
    }
    int status = cli_parse(argc, argv, common, options, n_options, usage, description);
    if (saved >= 0) {
        fflush(stderr);
        dup2(saved, STDERR_FILENO);
        close(saved);
    }
    if (survkit_mpi_rank(mpi) != 0) common->quiet = true; /* warnings and progress: rank 0's */
    return status;
}

bool mpi_cli_output_open(survkit_mpi *mpi, const cli_common *common, cli_output *out)
{
    memset(out, 0, sizeof *out);
    bool ok = survkit_mpi_rank(mpi) != 0 || cli_output_open(common, out);
    return mpi_cli_agree(mpi, ok);
}

survkit_status mpi_cli_error(survkit_error *err, survkit_status st, const char *fmt, ...)
{
    survkit_error_clear(err);
    err->status = st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return st;
}
