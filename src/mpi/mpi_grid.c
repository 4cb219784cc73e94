/*
 * mpi_grid.c: the global (code, time) grid: every rank's distinct pairs gathered on rank 0,
 * sorted and made unique there, and broadcast. Its size is the number of distinct times per code
 * (T), not the number of rows: T pairs cross the network once per fit.
 */
#include "mpi_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct pair {
    int32_t code;
    double time;
} pair;

static int pair_cmp(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->code != y->code) return x->code < y->code ? -1 : 1;
    return (x->time > y->time) - (x->time < y->time);
}

/* Sort pairs and drop repeats; returns the new count. */
static size_t sort_unique(pair *p, size_t n)
{
    if (n == 0) return 0;
    qsort(p, n, sizeof *p, pair_cmp);
    size_t m = 1;
    for (size_t i = 1; i < n; i++)
        if (pair_cmp(&p[i], &p[m - 1]) != 0) p[m++] = p[i];
    return m;
}

survkit_status mpi_grid_build(survkit_mpi *mpi, size_t n, const int32_t *code, const double *time,
                              mpi_grid *grid, survkit_error *err)
{
    memset(grid, 0, sizeof *grid);
    const int K = mpi->size;
    pair *mine = malloc((n ? n : 1) * sizeof *mine);
    int *counts = calloc((size_t)K, sizeof *counts), *displs = calloc((size_t)K, sizeof *displs);
    pair *all = NULL;
    survkit_status st = SURVKIT_OK;
    size_t m = 0;
    if (mine == NULL || counts == NULL || displs == NULL) {
        st = mpi_fail(err, SURVKIT_ERR_NOMEM, "mpi: out of memory");
    } else {
        for (size_t i = 0; i < n; i++) mine[i] = (pair){code ? code[i] : 0, time[i]};
        m = sort_unique(mine, n);
        if (m > (size_t)INT32_MAX / sizeof(pair))
            st = mpi_fail(err, SURVKIT_ERR_ARGUMENT, "mpi: too many distinct times");
    }
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) goto done;
    int bytes = (int)(m * sizeof(pair));
    MPI_Gather(&bytes, 1, MPI_INT, counts, 1, MPI_INT, 0, mpi->comm);
    size_t total = 0;
    if (mpi->rank == 0) {
        for (int r = 0; r < K; r++) {
            displs[r] = (int)total;
            total += (size_t)counts[r];
            if (total > (size_t)INT32_MAX) st = mpi_fail(err, SURVKIT_ERR_ARGUMENT, "mpi: too many distinct times");
        }
        if (st == SURVKIT_OK && (all = malloc(total ? total : 1)) == NULL)
            st = mpi_fail(err, SURVKIT_ERR_NOMEM, "mpi: out of memory");
    }
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) goto done;
    MPI_Gatherv(mine, bytes, MPI_BYTE, all, counts, displs, MPI_BYTE, 0, mpi->comm);
    mpi_count_gather(mpi, (uint64_t)bytes);
    unsigned long long cells = 0;
    if (mpi->rank == 0) cells = sort_unique(all, total / sizeof(pair));
    MPI_Bcast(&cells, 1, MPI_UNSIGNED_LONG_LONG, 0, mpi->comm);
    grid->n_cells = (size_t)cells;
    grid->code = malloc((cells ? cells : 1) * sizeof *grid->code);
    grid->time = malloc((cells ? cells : 1) * sizeof *grid->time);
    if (grid->code == NULL || grid->time == NULL)
        st = mpi_fail(err, SURVKIT_ERR_NOMEM, "mpi: out of memory");
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) goto done;
    if (mpi->rank == 0)
        for (size_t c = 0; c < cells; c++) {
            grid->code[c] = all[c].code;
            grid->time[c] = all[c].time;
        }
    MPI_Bcast(grid->code, (int)cells, MPI_INT32_T, 0, mpi->comm);
    MPI_Bcast(grid->time, (int)cells, MPI_DOUBLE, 0, mpi->comm);
    mpi_count_bcast(mpi, cells * (sizeof *grid->code + sizeof *grid->time));
done:
    free(mine);
    free(counts);
    free(displs);
    free(all);
    if (st != SURVKIT_OK) {
        mpi_grid_free(grid);
        return st;
    }
    return SURVKIT_OK;
}

/* The first cell not before (code, time). */
static size_t lower_bound(const mpi_grid *g, int32_t code, double time)
{
    size_t lo = 0, hi = g->n_cells;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g->code[mid] < code || (g->code[mid] == code && g->time[mid] < time)) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

size_t mpi_grid_find(const mpi_grid *grid, int32_t code, double time)
{
    return lower_bound(grid, code, time);
}

size_t mpi_grid_last_at_or_before(const mpi_grid *grid, int32_t code, double t)
{
    /* first cell after (code, t), minus one, if that one is still of `code` */
    size_t lo = 0, hi = grid->n_cells;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (grid->code[mid] < code || (grid->code[mid] == code && grid->time[mid] <= t)) lo = mid + 1;
        else hi = mid;
    }
    if (lo == 0 || grid->code[lo - 1] != code) return SIZE_MAX;
    return lo - 1;
}

bool mpi_grid_row_cells(const mpi_grid *grid, int32_t code, const double *start, double time,
                        size_t *lo, size_t *hi)
{
    *hi = mpi_grid_last_at_or_before(grid, code, time);
    if (*hi == SIZE_MAX) return false;
    *lo = lower_bound(grid, code, -INFINITY); /* the code's first cell */
    if (start != NULL) {
        size_t before = mpi_grid_last_at_or_before(grid, code, *start);
        if (before != SIZE_MAX) *lo = before + 1;
    }
    return *lo <= *hi;
}

void mpi_grid_free(mpi_grid *grid)
{
    free(grid->code);
    free(grid->time);
    memset(grid, 0, sizeof *grid);
}
