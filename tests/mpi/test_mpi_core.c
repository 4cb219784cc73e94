/*
 * test_mpi_core.c: libsurvkit-mpi's pieces under mpirun -np 1, 2 and 3 (ctest label mpi): the status
 * agreement (a failure on one rank reaches every rank, no hang), the sum in rank order (the same
 * bits on every rank and equal to the sum of all ranks' numbers), and the global (code, time) grid
 * (the sorted union of every rank's pairs, whatever K). Exit status 0 when all hold on every rank.
 */
#include "mpi_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int failures = 0;

#define CHECK(cond)                                                                     \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            fprintf(stderr, "rank check failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                                 \
        }                                                                               \
    } while (0)

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    survkit_mpi *mpi = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    CHECK(survkit_mpi_create(MPI_COMM_WORLD, &mpi, &err) == SURVKIT_OK);
    const int r = survkit_mpi_rank(mpi), K = survkit_mpi_size(mpi);

    /* agreement: all fine, then the last rank fails */
    CHECK(survkit_mpi_agree(mpi, SURVKIT_OK, &err) == SURVKIT_OK);
    CHECK(survkit_mpi_failed_rank(mpi) == -1);
    survkit_status local = r == K - 1 ? SURVKIT_ERR_DOMAIN : SURVKIT_OK;
    survkit_status st = survkit_mpi_agree(mpi, local, &err);
    CHECK(st != SURVKIT_OK);
    CHECK(survkit_mpi_failed_rank(mpi) == K - 1);
    if (r == K - 1) CHECK(st == SURVKIT_ERR_DOMAIN);

    /* sums: rank r holds the rows r, r + K, ... of 1000 numbers; the global sums are known */
    double x[3] = {0, 0, 0};
    for (int i = r; i < 1000; i += K) {
        x[0] += 1;
        x[1] += i;
        x[2] += 1.0 / (i + 1);
    }
    CHECK(mpi_ordered_sum(mpi, x, 3, &err) == SURVKIT_OK);
    CHECK(x[0] == 1000 && x[1] == 999 * 1000 / 2);
    double h = 0;
    for (int i = 0; i < 1000; i++) h += 1.0 / (i + 1);
    CHECK(fabs(x[2] - h) <= 1e-13 * h);
    double bits[3] = {x[0], x[1], x[2]}, root[3];
    for (int j = 0; j < 3; j++) root[j] = bits[j];
    MPI_Bcast(root, 3, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    CHECK(root[2] == bits[2]); /* every rank the same bits */

    /* grid: rows (i % 3, i % 7 + 0.5) for i = r, r + K, ... below 50: 21 distinct pairs in all */
    int32_t code[50];
    double time[50];
    size_t n = 0;
    for (int i = r; i < 50; i += K) {
        code[n] = i % 3;
        time[n] = i % 7 + 0.5;
        n++;
    }
    mpi_grid grid;
    CHECK(mpi_grid_build(mpi, n, code, time, &grid, &err) == SURVKIT_OK);
    CHECK(grid.n_cells == 21);
    for (size_t c = 0; c < grid.n_cells; c++) {
        CHECK(grid.code[c] == (int32_t)(c / 7) && grid.time[c] == (double)(c % 7) + 0.5);
        CHECK(mpi_grid_find(&grid, grid.code[c], grid.time[c]) == c);
    }
    CHECK(mpi_grid_last_at_or_before(&grid, 1, 3.9) == 7 + 3);
    CHECK(mpi_grid_last_at_or_before(&grid, 2, 0.1) == SIZE_MAX);
    mpi_grid_free(&grid);

    int total = 0;
    MPI_Allreduce(&failures, &total, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    survkit_mpi_free(mpi);
    MPI_Finalize();
    if (r == 0) printf("test_mpi_core: %d ranks, %d failures\n", K, total);
    return total == 0 ? 0 : 1;
}
