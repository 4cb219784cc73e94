/* mpi_internal.h: what the files of libsurvkit-mpi share. */
#ifndef SURVKIT_MPI_INTERNAL_H
#define SURVKIT_MPI_INTERNAL_H

#include <survkit/mpi.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct survkit_mpi_s {
    MPI_Comm comm;
    int rank, size;
    int failed_rank;
    uint64_t bytes_sent; /* payload this rank sent in the library's collectives (not agreements) */
};

/* Count payload bytes sent: `bytes` to rank 0 (a gather), or broadcast by rank 0 to K - 1 ranks. */
void mpi_count_gather(survkit_mpi *mpi, uint64_t bytes);
void mpi_count_bcast(survkit_mpi *mpi, uint64_t bytes);

/* Fill err (status, message) and return the status. */
survkit_status mpi_fail(survkit_error *err, survkit_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/*
 * x[n] summed over ranks in rank order (gathered on rank 0, added rank 0 first, broadcast), so
 * that the sums do not depend on MPI's reduction tree. Every rank gets the sums in x.
 */
survkit_status mpi_ordered_sum(survkit_mpi *mpi, double *x, size_t n, survkit_error *err);

/*
 * The global grid of (code, time) cells: the sorted union of every rank's distinct pairs, the same
 * on every rank. Built from this rank's n rows.
 */
typedef struct mpi_grid {
    size_t n_cells;
    int32_t *code;
    double *time;
} mpi_grid;

/* The grid of every rank's distinct (code, time) pairs; code NULL: every row has code 0. */
survkit_status mpi_grid_build(survkit_mpi *mpi, size_t n, const int32_t *code, const double *time,
                              mpi_grid *grid, survkit_error *err);
/* The cell of (code, time), which must be in the grid. */
size_t mpi_grid_find(const mpi_grid *grid, int32_t code, double time);
/* The last cell of `code` whose time is <= t, or SIZE_MAX when there is none. */
size_t mpi_grid_last_at_or_before(const mpi_grid *grid, int32_t code, double t);
/* The cells [lo, hi] at which a row of `code` ending at `time` (entering after *start, when start is
 * not NULL) is at risk: hi the last cell with t <= time, lo the first with t > start. Returns
 * false when there is none. */
bool mpi_grid_row_cells(const mpi_grid *grid, int32_t code, const double *start, double time,
                        size_t *lo, size_t *hi);
void mpi_grid_free(mpi_grid *grid);

/* The global codes of a frame's rows (groups_internal). */
struct survkit_mpi_groups_s {
    size_t n_groups, n_strata;
    char **labels;       /* n_groups */
    size_t n;            /* this rank's frame rows */
    int32_t *group;      /* n global group codes */
    int32_t *stratum;    /* n global stratum codes, NULL without strata */
    bool any_fraction;   /* some weight (on any rank) is not an integer */
};

/*
 * A sum over ranks that does not depend on the order of its terms (mpi_exact_sum.c): each rank adds
 * its terms into an mpi_exact_sum (zero-initialised; free `part` after), then mpi_exact_total gives
 * every rank the exact total of all ranks' terms rounded once to the nearest double.
 */
typedef struct mpi_exact_sum {
    double *part; /* non-overlapping partials, increasing magnitude */
    size_t n, cap;
} mpi_exact_sum;

bool mpi_exact_add(mpi_exact_sum *s, double x);
survkit_status mpi_exact_total(survkit_mpi *mpi, const mpi_exact_sum *mine, double *total,
                               survkit_error *err);

/*
 * The exact concordance over ranks without gathering the rows (mpi_concordance.c). Each rank
 * passes its n rows by their global event cells (the grid of (stratum, event time), T cells, the
 * same on every rank): row i at risk at [lo_i, hi_i] (lo_i > hi_i: never), an event at hi_i.
 * block: the events each rank streams per round (0: a default). Every rank gets the same
 * *c_index, *std_err and counts[5] (survkit_concordance_cluster's; any may be NULL).
 */
typedef struct mpi_conc_rows {
    size_t n, T, block;
    const uint32_t *lo, *hi;
    const double *status, *eta, *weights; /* weights NULL: all 1 */
    const int32_t *cluster;               /* NULL, or codes 0..n_clusters-1 global */
    size_t n_clusters;
} mpi_conc_rows;

survkit_status mpi_concordance_cells(survkit_mpi *mpi, const mpi_conc_rows *in, double *c_index,
                                     double *std_err, double counts[5], survkit_error *err);

/*
 * The robust (IJ) variance of the curves of km, a fit from the global counts (mpi_km_robust.c):
 * deaths[g] the unweighted deaths per time of group g; n_cells the times of all groups; this
 * rank's rows (start NULL for right-censored data, weights NULL for 1, group NULL for one group).
 * Collective. Fills the STD_ERR, STD_CHAZ and limits, and marks km robust (opt.robust =
 * robust_option).
 */
survkit_status mpi_km_robust(survkit_mpi *mpi, survkit_km *km, const double *const *deaths,
                             size_t n_cells, size_t n, const double *start, const double *time,
                             const double *status, const double *weights, const int32_t *group,
                             int robust_option, survkit_error *err);

#endif /* SURVKIT_MPI_INTERNAL_H */
