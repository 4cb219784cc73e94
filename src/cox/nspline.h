/*
 * nspline.h: the natural cubic spline basis of R's splines::ns(x, df, intercept), for the smooth
 * of plot.cox.zph (zph_smooth.c). Not installed.
 */
#ifndef SURVKIT_COX_NSPLINE_H
#define SURVKIT_COX_NSPLINE_H

#include "core/internal.h"

/*
 * splines::ns(x, df = df, intercept = intercept) with its default knots: boundary knots at
 * range(x), df - 1 - intercept interior knots at the quantiles (type 7) of x at equally spaced
 * probabilities. Inputs: x[n], finite, n >= 1; df >= 1 + intercept. Output: basis[n x df],
 * column-major, the same matrix as R's (B-splines projected on the null space of their second
 * derivatives at the boundary knots, through the same Householder QR).
 * Errors: SURVKIT_ERR_ARGUMENT (df, non-finite x), SURVKIT_ERR_NUMERIC (all x equal),
 * SURVKIT_ERR_NOMEM.
 */
survkit_status sk_ns_basis(const double *x, size_t n, size_t df, bool intercept, double *basis,
                           survkit_error *err);

#endif /* SURVKIT_COX_NSPLINE_H */
