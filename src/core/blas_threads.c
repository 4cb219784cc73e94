/* blas_threads.c: OpenBLAS's thread count, set and read on the program's request (survkit/blas.h). */
#include "core/internal.h"

#include <cblas.h>

survkit_status survkit_blas_set_threads(int n_threads, survkit_error *err)
{
    RETURN_ERROR_IF(n_threads < 1, err, SURVKIT_ERR_ARGUMENT,
                    "the number of BLAS threads must be at least 1 (got %d)", n_threads);
    openblas_set_num_threads(n_threads);
    return SURVKIT_OK;
}

int survkit_blas_threads(void) { return openblas_get_num_threads(); }
