/*
 * concordance_stub.c: stands in for src/cox/concordance.c until the concordance work is merged
 * (the integrator deletes this file then). Returns NaN for both numbers.
 */
#include "cox/concordance.h"

#include <math.h>

/* Marks the stub so that the tests can tell it from the real computation. */
const int sk_concordance_is_stub = 1;

survkit_status sk_concordance_cox(size_t n, const double *start, const double *time,
                                  const double *status, const double *linear_predictor,
                                  const double *weights, const int32_t *strata, size_t n_strata,
                                  double *c_index, double *std_err, survkit_error *err)
{
    (void)n, (void)start, (void)time, (void)status, (void)linear_predictor, (void)weights;
    (void)strata, (void)n_strata, (void)err;
    if (c_index) *c_index = NAN;
    if (std_err) *std_err = NAN;
    return SURVKIT_OK;
}
