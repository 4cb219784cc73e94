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
    size_t n_clusters;        /* global count of cluster() codes (0 without cluster()) */
    int32_t *cluster;         /* this rank's rows' global cluster codes, or NULL */
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

/* Fill err (status, printf-style message) and return the status. */
survkit_status mpi_cli_error(survkit_error *err, survkit_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Strings gathered from every rank (mpi_levels.c): count[r] strings of rank r from buf + displ[r]. */
typedef struct mpi_gathered {
    char *buf;
    int *bytes, *displ;
    size_t *count;
} mpi_gathered;
void mpi_gathered_free(mpi_gathered *g);

/* mpi_read.c: this rank's table; rows [*first_row, + *n_rows) of it are this rank's (*n_rows
 * SIZE_MAX: all); part->line_offset, part->source set. Not collective in its failures (agree after). */
survkit_status mpi_read_part(const cli_common *common, int rank, int K, mpi_part *part,
                             survkit_table **table, size_t *first_row, size_t *n_rows,
                             survkit_error *err);
/* mpi_levels.c: the headers against rank 0's and the columns' global kinds (n numbers, s text,
 * f labelled factor) into kinds[]; then the table of this rank's rows with the text columns as
 * factors of the global levels (codes[j], levels[j], n_levels[j] and keep[j] hold them). Collective,
 * agreed statuses. */
survkit_status mpi_agree_header(survkit_mpi *mpi, const mpi_part *part, const survkit_table *t,
                                char *kinds, survkit_error *err);
survkit_status mpi_make_global(survkit_mpi *mpi, const cli_common *common, const mpi_part *part,
                               const survkit_table *t, size_t first, size_t n, const char *kinds,
                               survkit_table **out, int32_t **codes, const char ***levels,
                               size_t *n_levels, mpi_gathered *keep, survkit_error *err);
/* mpi_codes.c: the frame options of survkit's commands; the global groups, strata and clusters of
 * part->frame into part (collective, agreed status). */
void mpi_frame_options(const cli_common *common, bool groups, survkit_frame_options *opt);
survkit_status mpi_global_codes(survkit_mpi *mpi, const cli_common *common, bool groups,
                                const survkit_table *table, const int32_t *const *codes,
                                const char *const *const *levels, const size_t *n_levels,
                                mpi_part *part, survkit_error *err);

/* Room for cli_timings_for_json's output: 4 times here; main's issue 24 adds page faults and
 * peak memory (CLI_TIMINGS_LEN = 12 there). */
enum { MPI_CLI_TIMINGS_ROOM = 16 };

int mpi_cmd_km(survkit_mpi *mpi, int argc, char **argv);
int mpi_cmd_logrank(survkit_mpi *mpi, int argc, char **argv);
int mpi_cmd_cox(survkit_mpi *mpi, int argc, char **argv);

#endif /* SURVKIT_MPI_CLI_H */
