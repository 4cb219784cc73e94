/*
 * mpi_exact_sum.c: a sum of doubles over ranks whose result does not depend on the order of the
 * terms, nor so on how the rows are split between ranks: the exact sum, rounded once.
 *
 * Each rank keeps its terms' exact sum as a list of non-overlapping partials of increasing
 * magnitude (Shewchuk 1997, "Adaptive precision floating-point arithmetic", the grow-expansion of
 * two-sum steps: hi = x + y is rounded, lo = y - (hi - x) is its exact error when |x| >= |y|).
 * The ranks' lists are gathered on every rank (MPI_Allgatherv) and added the same way, and the
 * total is rounded to the nearest double, ties to even (the last step of Python's math.fsum):
 * a function of the exact sum alone.
 */
#include "mpi_internal.h"

#include <math.h>
#include <stdlib.h>

/* Add x to the expansion; false when memory runs out. */
bool mpi_exact_add(mpi_exact_sum *s, double x)
{
    size_t kept = 0;
    for (size_t j = 0; j < s->n; j++) {
        double y = s->part[j];
        if (fabs(x) < fabs(y)) {
            double t = x;
            x = y;
            y = t;
        }
        double hi = x + y, lo = y - (hi - x);
        if (lo != 0.0) s->part[kept++] = lo;
        x = hi;
    }
    if (kept == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        double *grown = realloc(s->part, cap * sizeof *grown);
        if (grown == NULL) return false;
        s->part = grown;
        s->cap = cap;
    }
    s->part[kept++] = x;
    s->n = kept;
    return true;
}

/* The expansion's value rounded to the nearest double (ties to even). */
static double rounded(const mpi_exact_sum *s)
{
    size_t n = s->n;
    if (n == 0) return 0.0;
    double hi = s->part[--n], lo = 0.0;
    while (n > 0) { /* from the largest down, until a sum is inexact */
        double x = hi, y = s->part[--n];
        hi = x + y;
        lo = y - (hi - x);
        if (lo != 0.0) break;
    }
    /* hi + lo is exact; the partials below lo decide a tie of lo at half an ulp of hi */
    if (n > 0 && ((lo < 0 && s->part[n - 1] < 0) || (lo > 0 && s->part[n - 1] > 0))) {
        double y = 2 * lo, x = hi + y;
        if (y == x - hi) hi = x;
    }
    return hi;
}

survkit_status mpi_exact_total(survkit_mpi *mpi, const mpi_exact_sum *mine, double *total,
                               survkit_error *err)
{
    const int K = mpi->size;
    int n = (int)mine->n, *counts = calloc((size_t)K, sizeof *counts);
    int *displs = calloc((size_t)K, sizeof *displs);
    double *all = NULL;
    mpi_exact_sum sum = {0};
    survkit_status st = counts && displs ? SURVKIT_OK : mpi_fail(err, SURVKIT_ERR_NOMEM, "mpi: out of memory");
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) goto done;
    MPI_Allgather(&n, 1, MPI_INT, counts, 1, MPI_INT, mpi->comm);
    size_t len = 0;
    for (int r = 0; r < K; r++) {
        displs[r] = (int)len;
        len += (size_t)counts[r];
    }
    all = malloc((len + 1) * sizeof *all);
    st = all ? SURVKIT_OK : mpi_fail(err, SURVKIT_ERR_NOMEM, "mpi: out of memory");
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) goto done;
    MPI_Allgatherv(mine->part, n, MPI_DOUBLE, all, counts, displs, MPI_DOUBLE, mpi->comm);
    mpi->bytes_sent += (uint64_t)(K - 1) * (uint64_t)n * sizeof(double);
    bool ok = true;
    for (size_t j = 0; j < len && ok; j++) ok = mpi_exact_add(&sum, all[j]);
    st = ok ? SURVKIT_OK : mpi_fail(err, SURVKIT_ERR_NOMEM, "mpi: out of memory");
    if ((st = survkit_mpi_agree(mpi, st, err)) == SURVKIT_OK) *total = rounded(&sum);
done:
    free(counts);
    free(displs);
    free(all);
    free(sum.part);
    return st;
}
