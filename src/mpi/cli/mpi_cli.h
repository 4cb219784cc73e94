/*
 * mpi_cli.h: the survkit-mpi command (km, logrank, cox over MPI ranks), built on the survkit CLI's
 * option parsing, error messages and atomic outputs (src/cli) and on the public APIs of libsurvkit
 * and libsurvkit-mpi. Every rank runs the same command on its part of the rows; rank 0 writes.
 */
#ifndef SURVKIT_MPI_CLI_H
#define SURVKIT_MPI_CLI_H

#include "cli.h"

#include <survkit/mpi.h>

/*
 * A rank's part of the data, made global: the frame of its rows built from a table whose string
 * columns carry the levels of every rank (their union, sorted as R sorts them), and the codes of
 * the km/logrank groups and the strata as every rank numbers them.
 */
typedef struct mpi_part {
    survkit_frame *frame;     /* this rank's rows */
    size_t line_offset;       /* file line = frame's table row + 2 + line_offset */
    const char *source;       /* the file this rank read (its part file with a %d pattern) */
    char source_buf[1024];
    size_t n_dropped;         /* rows dropped for missing values, over all ranks */
    size_t n_groups, n_strata; /* global counts (n_strata 0 without strata) */
    int32_t *group, *stratum; /* this rank's rows' global codes (stratum NULL without strata) */
    char **group_labels, **strata_labels; /* global labels */
    double read_s, frame_s;
} mpi_part;

/*
 * Read this rank's part of common->data_path (a byte range of a delimited text file split at line
 * ends; or, with "%d" in the path, the file of this rank's number), agree on the header, make the
 * string levels global, build the frame and the global codes. `groups`: also the km/logrank groups.
 * Collective; on failure the lowest failing rank has printed one message and every rank returns
 * false.
 */
bool mpi_part_load(survkit_mpi *mpi, const cli_common *common, bool groups, mpi_part *part);
void mpi_part_free(mpi_part *part);

/* Agree on `ok` across ranks: true when every rank passed true (collective). */
bool mpi_cli_agree(survkit_mpi *mpi, bool ok);

/* cli_parse on every rank (the same arguments give the same answer), its messages from rank 0. */
int mpi_cli_parse(survkit_mpi *mpi, int argc, char **argv, cli_common *common,
                  const cli_option *options, size_t n_options, const char *usage,
                  const char *description);

/* Rank 0 opens common->output_path before any work; every rank learns whether it could. */
bool mpi_cli_output_open(survkit_mpi *mpi, const cli_common *common, cli_output *out);

/* Report a library error of this rank when it is the lowest failing one (after an agreement),
 * a bad row's err->line being a line of this rank's part (frame row + 2). */
void mpi_cli_report(survkit_mpi *mpi, const cli_common *common, const mpi_part *part,
                    survkit_error *err);

int mpi_cmd_km(survkit_mpi *mpi, int argc, char **argv);
int mpi_cmd_logrank(survkit_mpi *mpi, int argc, char **argv);
int mpi_cmd_cox(survkit_mpi *mpi, int argc, char **argv);

#endif /* SURVKIT_MPI_CLI_H */
