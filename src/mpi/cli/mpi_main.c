/*
 * mpi_main.c: `mpirun -np K survkit-mpi km|logrank|cox [the options of survkit] DATA`. Every rank
 * runs the command on its part of the data; rank 0 writes the result (text, JSON or CSV, as
 * survkit writes it), warnings and timings; the lowest failing rank writes the one error message.
 * The exit status is the same on every rank (0, or 2 for bad input).
 */
#include "mpi_cli.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const struct {
    const char *name, *summary;
    int (*run)(survkit_mpi *mpi, int argc, char **argv);
} commands[] = {
    {"km", "Kaplan-Meier curves over ranks (R's survfit)", mpi_cmd_km},
    {"logrank", "log-rank family tests over ranks (R's survdiff)", mpi_cmd_logrank},
    {"cox", "Cox regression over ranks (R's coxph)", mpi_cmd_cox},
};

static void usage(FILE *out)
{
    fputs("usage: mpirun -np K survkit-mpi COMMAND [options] DATA\n\n"
          "Each of the K processes reads its part of DATA (a delimited text file split at line\n"
          "ends, or with %d in its name one file per process, numbered from 0); the result is\n"
          "that of survkit COMMAND on the whole data, written by process 0.\n\ncommands:\n", out);
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
        fprintf(out, "  %-9s %s\n", commands[k].name, commands[k].summary);
    fputs("\nsurvkit-mpi COMMAND --help lists the options.\n", out);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    cli_one_blas_thread(); /* as survkit: the ranks' own threads use the cores */
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    /* Only rank 0 talks on standard output (help, results to "-"). */
    if (rank != 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, STDOUT_FILENO);
            close(null);
        }
    }
    int status = 2;
    survkit_mpi *mpi = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_mpi_create(MPI_COMM_WORLD, &mpi, &err) != SURVKIT_OK) {
        fprintf(stderr, "survkit-mpi: error: %s\n", err.message);
    } else if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        if (rank == 0) usage(argc < 2 ? stderr : stdout);
        status = argc < 2 ? 2 : 0;
    } else {
        size_t k = 0, n = sizeof commands / sizeof commands[0];
        while (k < n && strcmp(commands[k].name, argv[1]) != 0) k++;
        if (k == n) {
            if (rank == 0)
                fprintf(stderr, "survkit-mpi: error: unknown command '%s' (km, logrank or cox)\n", argv[1]);
        } else {
            status = commands[k].run(mpi, argc - 1, argv + 1);
        }
    }
    survkit_mpi_free(mpi);
    MPI_Finalize();
    return status;
}
