/*
 * nspline.h: the natural cubic spline basis of R's splines::ns(x, df, intercept), for the smooth
 * of plot.cox.zph (cox/zph_smooth.c) and ns() terms in formulas (formula/ns_term.c). Not installed.
 */
#ifndef SURVKIT_CORE_NSPLINE_H
#define SURVKIT_CORE_NSPLINE_H

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

/* The df - 1 - intercept = n_inner default interior knots: type-7 quantiles of sorted[n] at
 * k / (n_inner + 1). */
void sk_ns_default_knots(const double *sorted, size_t n, size_t n_inner, double *knots);

/*
 * The ns basis at x[n] for given interior knots[n_inner] and boundary knots (a < b): basis[n x
 * (n_inner + 1 + intercept)], column-major; x outside [a, b] on the tangent at the nearer
 * boundary, NaN rows NaN (R's predict(ns(...), newx), makepredictcall's knots).
 * Errors: SURVKIT_ERR_NUMERIC (boundary), SURVKIT_ERR_ARGUMENT (fewer than 1 column), NOMEM.
 */
survkit_status sk_ns_basis_at(const double *x, size_t n, const double *knots, size_t n_inner,
                              const double boundary[2], bool intercept, double *basis,
                              survkit_error *err);

/*
 * The cubic B-splines on knots t[nk] (non-decreasing) at x in [t[3], t[nk - 4]] (R's
 * splines::splineDesign(t, x, 4): the right end belongs to the last interval): out[nk - 4];
 * scratch holds nk values. Also the basis of pspline() (formula/pspline_term.c).
 */
void sk_bspline_values(const double *t, size_t nk, double x, double *scratch, double *out);

#endif /* SURVKIT_CORE_NSPLINE_H */
