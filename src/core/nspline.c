/*
 * nspline.c: R's splines::ns basis (natural cubic splines), as splines:::ns builds it.
 *
 * Knots: boundary a = min x, b = max x; K = df - 1 - intercept interior knots at the type-7
 * quantiles of x at probabilities k / (K + 1), k = 1..K; the knot vector t repeats each boundary
 * knot four times. The cubic B-splines B_1..B_{K+4} on t (Cox-de Boor recursion) span the cubic
 * splines with those knots. A natural spline has zero second derivative at a and b: with the
 * 2 x (K+4) matrix C = [B''_j(a); B''_j(b)] (its first column dropped, with B_1, when there is no
 * intercept), R takes the QR decomposition C' = Q R and keeps the columns 3.. of B Q, an
 * orthonormal change of basis of the null space of C. The same Householder reflections
 * (LAPACK's dgeqrf makes the ones LINPACK's dqrdc2 makes for a full-rank C') give R's matrix.
 *
 * Outside [a, b] (new data) the basis continues along its tangent at the nearer boundary knot.
 *
 * B-spline values: on the interval t_mu <= x < t_{mu+1} (at x = b, the last non-empty interval,
 * as splineDesign takes it), order 1 is the indicator of mu, and for order j
 *     B_{i,j}(x) = (x - t_i) / (t_{i+j-1} - t_i) B_{i,j-1}(x)
 *                + (t_{i+j} - x) / (t_{i+j} - t_{i+1}) B_{i+1,j-1}(x),
 * derivatives  B'_{i,j} = (j - 1) [ B_{i,j-1} / (t_{i+j-1} - t_i) - B_{i+1,j-1} / (t_{i+j} - t_{i+1}) ],
 * a term with an empty knot span counting 0.
 */
#include "core/nspline.h"
#include "core/lapack.h"
#include "core/sort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { ORDER = 4 };

/* a / b with 0 for an empty span. */
static double ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

/*
 * The d-th derivative (d < ORDER) of the order-4 B-splines on t[nk] at x: out[nk - 4].
 * scratch holds nk values.
 */
static void bspline_row(const double *t, size_t nk, unsigned d, double x, double *scratch,
                        double *out)
{
    const size_t last = nk - ORDER; /* intervals mu in [ORDER - 1, last - 1]: t[last] is the
                                     * right end of the basis' range, closed as splineDesign's */
    size_t mu = ORDER - 1;
    while (mu + 1 < last && t[mu + 1] <= x) mu++;
    while (mu > ORDER - 1 && !(t[mu] < t[mu + 1])) mu--; /* x = b: the last non-empty interval */
    double *b = scratch;
    for (size_t i = 0; i + 1 < nk; i++) b[i] = i == mu ? 1.0 : 0.0;
    for (unsigned j = 2; j <= ORDER; j++) {
        const bool derivative = j > ORDER - d;
        for (size_t i = 0; i + j < nk; i++) {
            double left = t[i + j - 1] - t[i], right = t[i + j] - t[i + 1];
            b[i] = derivative ? (j - 1) * (ratio(b[i], left) - ratio(b[i + 1], right))
                              : ratio(x - t[i], left) * b[i] + ratio(t[i + j] - x, right) * b[i + 1];
        }
    }
    memcpy(out, b, (nk - ORDER) * sizeof(double));
}

void sk_bspline_values(const double *t, size_t nk, double x, double *scratch, double *out)
{
    bspline_row(t, nk, 0, x, scratch, out);
}

/* R's quantile(x, p, type = 7) of sorted s[n], in its arithmetic: index = 1 + (n - 1) p,
 * h = index - floor(index), (1 - h) s[lo] + h s[hi]. */
static double quantile7(const double *s, size_t n, double p)
{
    double index = 1 + (double)(n - 1) * p;
    double lo = floor(index), h = index - lo;
    size_t l = (size_t)lo - 1, u = (size_t)ceil(index) - 1;
    return h > 0 && s[u] != s[l] ? (1 - h) * s[l] + h * s[u] : s[l];
}

void sk_ns_default_knots(const double *sorted, size_t n, size_t n_inner, double *knots)
{
    for (size_t k = 1; k <= n_inner; k++)
        knots[k - 1] = quantile7(sorted, n, (double)k * (1.0 / (double)(n_inner + 1)));
}

survkit_status sk_ns_basis_at(const double *x, size_t n, const double *knots, size_t n_inner,
                              const double boundary[2], bool intercept, double *basis,
                              survkit_error *err)
{
    const double a = boundary[0], b = boundary[1];
    RETURN_ERROR_IF(!(b > a) || !isfinite(a) || !isfinite(b), err, SURVKIT_ERR_NUMERIC,
                    "ns: the boundary knots must be finite and distinct");
    const size_t nk = n_inner + 2 * ORDER, nb = nk - ORDER; /* knots, B-splines */
    const size_t first = intercept ? 0 : 1, nc = nb - first;   /* constrained columns */
    RETURN_ERROR_IF(nc < 3, err, SURVKIT_ERR_ARGUMENT, "ns: too few knots for a basis");
    double *t = sk_malloc_array(2 * nk + 4 * nb + nc * nc + 65 * nc, sizeof(double));
    RETURN_ERROR_IF(t == NULL, err, SURVKIT_ERR_NOMEM, "out of memory (ns)");
    double *scratch = t + nk, *row = scratch + nk, *slope = row + nb, *ct = slope + nb,
           *q = ct + 2 * nb, *tau = q + nc * nc, *work = tau + nc;
    survkit_status status = SURVKIT_OK;
    for (size_t k = 0; k < ORDER; k++) t[k] = a, t[nk - 1 - k] = b;
    for (size_t k = 0; k < n_inner; k++) t[ORDER + k] = knots[k];

    /* C' (nc x 2): second derivatives at a and b; its QR; Q (nc x nc) explicitly. */
    for (int e = 0; e < 2; e++) {
        bspline_row(t, nk, 2, e == 0 ? a : b, scratch, row);
        for (size_t j = 0; j < nc; j++) ct[j + (size_t)e * nc] = row[first + j];
    }
    int m = (int)nc, two = 2, lwork = 64 * (int)nc, info = 0;
    dgeqrf_(&m, &two, ct, &m, tau, work, &lwork, &info);
    for (size_t i = 0; i < nc * nc; i++) q[i] = 0;
    for (size_t i = 0; i < nc; i++) q[i + i * nc] = 1;
    if (info == 0)
        dormqr_("L", "N", &m, &m, &two, ct, &m, tau, q, &m, work, &lwork, &info, 1, 1);
    if (info != 0) {
        status = sk_error_set(err, SURVKIT_ERR_INTERNAL, NULL, 0, 0, "ns: LAPACK info %d", info);
        goto done;
    }
    /* basis = (B Q)[, 3..nc], row by row; outside [a, b] B is continued by its tangent at the
     * nearer boundary knot, B(k) + (x - k) B'(k), as splines::ns does; NaN stays NaN */
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i])) {
            for (size_t c = 2; c < nc; c++) basis[i + (c - 2) * n] = NAN;
            continue;
        }
        if (x[i] < a || x[i] > b) {
            const double k = x[i] < a ? a : b;
            bspline_row(t, nk, 0, k, scratch, row);
            bspline_row(t, nk, 1, k, scratch, slope);
            for (size_t j = 0; j < nb; j++) row[j] += (x[i] - k) * slope[j];
        } else {
            bspline_row(t, nk, 0, x[i], scratch, row);
        }
        for (size_t c = 2; c < nc; c++) {
            double s = 0;
            for (size_t j = 0; j < nc; j++) s += row[first + j] * q[j + c * nc];
            basis[i + (c - 2) * n] = s;
        }
    }
done:
    free(t);
    return status;
}

survkit_status sk_ns_basis(const double *x, size_t n, size_t df, bool intercept, double *basis,
                           survkit_error *err)
{
    RETURN_ERROR_IF(n == 0 || df < 1 + (size_t)intercept || df > 100, err, SURVKIT_ERR_ARGUMENT,
                    "ns: df must lie in %d..100 and x must not be empty", 1 + (int)intercept);
    for (size_t i = 0; i < n; i++)
        RETURN_ERROR_IF(!isfinite(x[i]), err, SURVKIT_ERR_ARGUMENT, "ns: x[%zu] is not finite",
                        i + 1);
    const size_t n_inner = df - 1 - (size_t)intercept;
    size_t *order = sk_malloc_array(n, sizeof(size_t));
    double *sorted = sk_malloc_array(n + n_inner, sizeof(double));
    if (order == NULL || sorted == NULL || !sk_sort_order(x, n, false, order)) {
        free(order), free(sorted);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (ns)");
    }
    for (size_t i = 0; i < n; i++) sorted[i] = x[order[i]];
    const double boundary[2] = {sorted[0], sorted[n - 1]};
    survkit_status status = SURVKIT_OK;
    if (!(boundary[1] > boundary[0])) {
        status = sk_error_set(err, SURVKIT_ERR_NUMERIC, NULL, 0, 0, "ns: all x are equal");
    } else {
        sk_ns_default_knots(sorted, n, n_inner, sorted + n);
        status = sk_ns_basis_at(x, n, sorted + n, n_inner, boundary, intercept, basis, err);
    }
    free(order), free(sorted);
    return status;
}
