/*
 * mpi_context.c: the communicator object, agreement on a status, and the sum in rank order.
 *
 * Agreement: an MPI_Allreduce(MIN) of (failed ? rank : size) tells every rank the lowest failing
 * rank, so no rank goes on into a collective that another has left (no hang).
 * Sum in rank order: MPI_Reduce(SUM) may add in any tree order; gathering the vectors on rank 0 and
 * adding them rank 0 first fixes the order, at n * K doubles on rank 0.
 */
#include "mpi_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

survkit_status mpi_fail(survkit_error *err, survkit_status status, const char *fmt, ...)
{
    if (err != NULL) {
        survkit_error_clear(err);
        err->status = status;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

survkit_status survkit_mpi_create(MPI_Comm comm, survkit_mpi **out, survkit_error *err)
{
    if (out == NULL) return mpi_fail(err, SURVKIT_ERR_ARGUMENT, "mpi: no output pointer");
    *out = NULL;
    survkit_mpi *mpi = calloc(1, sizeof *mpi);
    if (mpi == NULL) return mpi_fail(err, SURVKIT_ERR_NOMEM, "mpi: out of memory");
    if (MPI_Comm_dup(comm, &mpi->comm) != MPI_SUCCESS) {
        free(mpi);
        return mpi_fail(err, SURVKIT_ERR_ARGUMENT, "mpi: cannot duplicate the communicator");
    }
    MPI_Comm_rank(mpi->comm, &mpi->rank);
    MPI_Comm_size(mpi->comm, &mpi->size);
    mpi->failed_rank = -1;
    *out = mpi;
    return SURVKIT_OK;
}

void survkit_mpi_free(survkit_mpi *mpi)
{
    if (mpi == NULL) return;
    MPI_Comm_free(&mpi->comm);
    free(mpi);
}

int survkit_mpi_rank(const survkit_mpi *mpi) { return mpi->rank; }
int survkit_mpi_size(const survkit_mpi *mpi) { return mpi->size; }
int survkit_mpi_failed_rank(const survkit_mpi *mpi) { return mpi->failed_rank; }
uint64_t survkit_mpi_bytes_sent(const survkit_mpi *mpi) { return mpi->bytes_sent; }

void mpi_count_gather(survkit_mpi *mpi, uint64_t bytes)
{
    if (mpi->rank != 0) mpi->bytes_sent += bytes;
}

void mpi_count_bcast(survkit_mpi *mpi, uint64_t bytes)
{
    if (mpi->rank == 0) mpi->bytes_sent += bytes * (uint64_t)(mpi->size - 1);
}

survkit_status survkit_mpi_agree(survkit_mpi *mpi, survkit_status local, survkit_error *err)
{
    int mine = local == SURVKIT_OK ? mpi->size : mpi->rank, lowest = mpi->size;
    MPI_Allreduce(&mine, &lowest, 1, MPI_INT, MPI_MIN, mpi->comm);
    mpi->failed_rank = lowest < mpi->size ? lowest : -1;
    if (lowest == mpi->size) return SURVKIT_OK;
    if (local != SURVKIT_OK) return local;
    return mpi_fail(err, SURVKIT_ERR_ARGUMENT, "stopped: rank %d failed", lowest);
}

survkit_status mpi_ordered_sum(survkit_mpi *mpi, double *x, size_t n, survkit_error *err)
{
    if (n > (size_t)INT32_MAX) return mpi_fail(err, SURVKIT_ERR_ARGUMENT, "mpi: too many sums");
    double *all = NULL;
    survkit_status st = SURVKIT_OK;
    if (mpi->rank == 0 && n > 0) {
        all = malloc((size_t)mpi->size * n * sizeof *all);
        if (all == NULL) st = mpi_fail(err, SURVKIT_ERR_NOMEM, "mpi: out of memory");
    }
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) {
        free(all);
        return st;
    }
    if (n == 0) return SURVKIT_OK;
    MPI_Gather(x, (int)n, MPI_DOUBLE, all, (int)n, MPI_DOUBLE, 0, mpi->comm);
    mpi_count_gather(mpi, n * sizeof *x);
    if (mpi->rank == 0) {
        memcpy(x, all, n * sizeof *x);
        for (int r = 1; r < mpi->size; r++)
            for (size_t i = 0; i < n; i++) x[i] += all[(size_t)r * n + i];
    }
    free(all);
    MPI_Bcast(x, (int)n, MPI_DOUBLE, 0, mpi->comm);
    mpi_count_bcast(mpi, n * sizeof *x);
    return SURVKIT_OK;
}
