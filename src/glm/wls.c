/*
 * wls.c: one weighted least-squares step of IRLS, min_b || sw * (z - X b) ||^2, with R's choice
 * of aliased columns.
 *
 * R (glm.fit -> Cdqrls -> LINPACK dqrdc2) takes the columns left to right; a column whose norm
 * orthogonal to the columns already kept falls below tol (1e-11) times its own norm is moved to
 * the end and left out (coefficient 0 in the solve, NA in the fit). That remaining norm is |R_ll|
 * of an unpivoted Householder QR of the columns in their current order, so the QR path factors
 * the columns by LAPACK's blocked dgeqrf, looks for the first l with |R_ll| < tol ||x_l||, moves
 * that column to the end and factors again (aliasing is rare; each move costs one factorisation).
 * Rows R leaves out (weight 0) enter with sw = 0: a zero row changes no Householder reflection.
 *
 * The Cholesky path forms A = X' W X in row blocks (the cross-products of sqrt(w)-scaled blocks,
 * the two halves of the rows on two threads, summed in a fixed order) and X' W z, factors
 * A = U'U (LAPACK's dpotrf) and solves U'U b = X'Wz (dtrtrs): one pass over X instead of QR's
 * two and a copy. Its rounding makes a remaining squared norm good to about DBL_EPSILON ||x_l||^2, so it cannot tell R's 1e-11 rule
 * apart near aliasing: when some U_ll^2 < 1e-7 A_ll (remaining norm below 3e-4 of the column's),
 * or the factor fails, it hands this and every later solve of the fit to the QR path. Above that
 * bound R's rule keeps every column, so both paths keep the same columns.
 */
#include "glm/glm_internal.h"
#include "core/lapack.h"
#include "core/crossprod.h"
#include "core/parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CHOLESKY_NEAR_ALIASED 1e-7
#define BLOCK_ROWS SK_GLM_NORMAL_BLOCK

static survkit_status no_memory(survkit_error *err)
{
    return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory in the glm fit");
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SK_WLS_AVX2 1
#include <immintrin.h>

/* y = sqrt(x), four at a time (sqrt is correctly rounded: the same numbers as the C library's). */
__attribute__((target("avx2"))) static size_t sqrt_avx2(const double *x, double *y, size_t n)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4) _mm256_storeu_pd(y + i, _mm256_sqrt_pd(_mm256_loadu_pd(x + i)));
    return i;
}
#endif

/* y[i] = sqrt(x[i]) for i < n. */
static void sqrt_array(const double *x, double *y, size_t n)
{
    size_t i = 0;
#ifdef SK_WLS_AVX2
    if (__builtin_cpu_supports("avx2")) i = sqrt_avx2(x, y, n);
#endif
    for (; i < n; i++) y[i] = sqrt(x[i]);
}

survkit_status sk_glm_wls_init(sk_glm_wls *w, size_t n, size_t p, survkit_glm_solver solver,
                               survkit_error *err)
{
    memset(w, 0, sizeof *w);
    w->n = n;
    w->p = p;
    w->solver = solver == SURVKIT_GLM_SOLVER_CHOLESKY ? solver : SURVKIT_GLM_SOLVER_QR;
    RETURN_ERROR_IF(n > INT32_MAX || p > 46340, err, SURVKIT_ERR_ARGUMENT,
                    "the glm fit takes at most 2^31-1 rows and 46340 columns");
    w->coef = sk_malloc_array(p, sizeof *w->coef);
    w->r = sk_calloc_array(p * p, sizeof *w->r);
    w->norm = sk_malloc_array(p, sizeof *w->norm);
    w->pivot = sk_malloc_array(p, sizeof *w->pivot);
    w->tau = sk_malloc_array(p, sizeof *w->tau);
    if (!w->coef || !w->r || !w->norm || !w->pivot || !w->tau) return no_memory(err);
    return SURVKIT_OK;
}

void sk_glm_wls_release(sk_glm_wls *w)
{
    if (w == NULL) return;
    free(w->coef);
    free(w->r);
    free(w->norm);
    free(w->pivot);
    free(w->a);
    free(w->tau);
    free(w->work);
    free(w->qtz);
    free(w->sw);
    memset(w, 0, sizeof *w);
}

/* The QR path's scratch: the n x p copy, Q'z and LAPACK's workspace (sized by a query). */
static survkit_status qr_scratch(sk_glm_wls *w, survkit_error *err)
{
    if (w->a != NULL) return SURVKIT_OK;
    size_t cells;
    if (!sk_mul_size(w->n, w->p, &cells)) return no_memory(err);
    w->a = sk_malloc_array(cells, sizeof *w->a);
    w->qtz = sk_malloc_array(w->n, sizeof *w->qtz);
    w->sw = sk_malloc_array(w->n, sizeof *w->sw);
    if (w->a == NULL || w->qtz == NULL || w->sw == NULL) return no_memory(err);
    int m = (int)w->n, np = (int)w->p, k = m < np ? m : np, lwork = -1, info = 0, one = 1;
    double q1 = 0, q2 = 0;
    dgeqrf_(&m, &np, w->a, &m, w->tau, &q1, &lwork, &info);
    dormqr_("L", "T", &m, &one, &k, w->a, &m, w->tau, w->qtz, &m, &q2, &lwork, &info, 1, 1);
    w->lwork = (int)(q1 > q2 ? q1 : q2) + 1;
    w->work = sk_malloc_array((size_t)w->lwork, sizeof *w->work);
    return w->work ? SURVKIT_OK : no_memory(err);
}

/* Scaled columns in the order w->pivot into w->a. */
static void load_columns(sk_glm_wls *w, const double *const *cols, const double *sw)
{
    const size_t n = w->n;
    for (size_t j = 0; j < w->p; j++) {
        const double *col = cols[w->pivot[j]];
        double *dst = w->a + j * n;
        if (col == NULL) memcpy(dst, sw, n * sizeof *dst); /* the intercept: 1 * sw */
        else for (size_t i = 0; i < n; i++) dst[i] = col[i] * sw[i];
    }
}

static survkit_status solve_qr(sk_glm_wls *w, const double *const *cols, const double *wt,
                               const double *z, double tol, survkit_error *err)
{
    RETURN_IF_ERROR(qr_scratch(w, err));
    const size_t n = w->n, p = w->p;
    double *sw = w->sw; /* R's w: sqrt of the working weights */
    sqrt_array(wt, sw, n);
    int m = (int)n, np = (int)p, k = m < np ? m : np, info = 0, one = 1;
    for (size_t j = 0; j < p; j++) {
        w->pivot[j] = j;
        double s = 0;
        for (size_t i = 0; i < n; i++) {
            double v = sk_glm_x(cols, j, i) * sw[i];
            s += v * v;
        }
        w->norm[j] = s > 0 ? sqrt(s) : 1; /* dqrdc2: a zero column compares with 1 */
    }
    size_t kept = p; /* columns 0..kept-1 are candidates; the rest were moved to the end */
    for (;;) {
        load_columns(w, cols, sw);
        dgeqrf_(&m, &np, w->a, &m, w->tau, w->work, &w->lwork, &info);
        RETURN_ERROR_IF(info != 0, err, SURVKIT_ERR_NUMERIC, "QR factorisation failed (%d)", info);
        size_t limit = kept < n ? kept : n, moved = SIZE_MAX;
        for (size_t l = 0; l < limit && moved == SIZE_MAX; l++)
            if (fabs(w->a[l + l * n]) < tol * w->norm[w->pivot[l]]) moved = l;
        if (moved == SIZE_MAX) {
            w->rank = limit;
            break;
        }
        size_t column = w->pivot[moved];
        memmove(w->pivot + moved, w->pivot + moved + 1, (p - moved - 1) * sizeof *w->pivot);
        w->pivot[p - 1] = column;
        kept--;
    }
    /* b = R^-1 (Q'(sw z)) over the leading rank columns */
    for (size_t i = 0; i < n; i++) w->qtz[i] = z[i] * sw[i];
    dormqr_("L", "T", &m, &one, &k, w->a, &m, w->tau, w->qtz, &m, w->work, &w->lwork, &info, 1, 1);
    RETURN_ERROR_IF(info != 0, err, SURVKIT_ERR_NUMERIC, "QR solve failed (%d)", info);
    memset(w->r, 0, p * p * sizeof *w->r);
    for (size_t j = 0; j < p; j++)
        for (size_t i = 0; i <= j && i < n; i++) w->r[i + j * p] = w->a[i + j * n];
    int rank = (int)w->rank, ldr = (int)p;
    if (rank > 0) {
        dtrtrs_("U", "N", "N", &rank, &one, w->r, &ldr, w->qtz, &m, &info, 1, 1, 1);
        RETURN_ERROR_IF(info != 0, err, SURVKIT_ERR_NUMERIC, "triangular solve failed (%d)", info);
    }
    for (size_t j = 0; j < p; j++) w->coef[w->pivot[j]] = j < w->rank ? w->qtz[j] : 0;
    return SURVKIT_OK;
}

/* ---------------------------------------------------------------- normal equations */

/* The block's columns sw x_j (ptr[j]) and sw z (ptr[p]) into blk; compiled plainly and for AVX2
 * (the same products). */
static inline __attribute__((always_inline)) void scale_block(const double *const *cols, size_t p,
                                                              size_t start, size_t nb,
                                                              const double *sw, const double *z,
                                                              double *blk, const double **ptr)
{
    for (size_t j = 0; j < p; j++) {
        double *dst = blk + j * nb;
        if (cols[j] == NULL) memcpy(dst, sw, nb * sizeof *dst); /* the intercept: 1 * sw */
        else {
            const double *col = cols[j] + start;
            for (size_t i = 0; i < nb; i++) dst[i] = col[i] * sw[i];
        }
        ptr[j] = dst;
    }
    double *swz = blk + p * nb;
    for (size_t i = 0; i < nb; i++) swz[i] = sw[i] * z[start + i];
    ptr[p] = swz;
}

#ifdef SK_WLS_AVX2
__attribute__((target("avx2"))) static void scale_block_avx2(const double *const *cols, size_t p,
                                                             size_t start, size_t nb,
                                                             const double *sw, const double *z,
                                                             double *blk, const double **ptr)
{
    scale_block(cols, p, start, nb, sw, z, blk, ptr);
}
#endif

/*
 * The normal equations' sums over rows [start, start + nb) (nb <= SK_GLM_NORMAL_BLOCK): with B the
 * block of X scaled row by row by sw = sqrt(wt) and C = [B | sw z], acc[j + k (p + 1)] += (C'C)_jk
 * for j <= k <= p: X'WX's upper triangle, and X'Wz in column p (the one symmetric product of p + 1
 * columns tiles better than B'B and a row apart), by the shared kernel (core/crossprod.c).
 */
void sk_glm_normal_block(const double *const *cols, size_t p, size_t start, size_t nb,
                         const double *wt, const double *z, double *blk, const double **ptr,
                         double *acc)
{
    double *sw = blk + (p + 1) * nb;
    sqrt_array(wt + start, sw, nb);
#ifdef SK_WLS_AVX2
    if (__builtin_cpu_supports("avx2")) scale_block_avx2(cols, p, start, nb, sw, z, blk, ptr);
    else
#endif
        scale_block(cols, p, start, nb, sw, z, blk, ptr);
    sk_crossprod_block(nb, p + 1, ptr, p + 1, p + 1, ptr, acc, p + 1);
}

typedef struct normal_job {
    const double *const *cols;
    const double *wt, *z;
    size_t n, p;
    double *acc[2], *block[2]; /* per half: (p + 1) x (p + 1), the block's scratch */
    const double **ptr[2];
} normal_job;

/* Half t of the rows: the sums of its blocks into acc[t]. */
static void normal_half(void *ctx, size_t t)
{
    normal_job *job = ctx;
    size_t lo, hi;
    sk_parallel_range(job->n, 2, t, &lo, &hi);
    const size_t p = job->p;
    memset(job->acc[t], 0, (p + 1) * (p + 1) * sizeof(double));
    for (size_t start = lo; start < hi; start += BLOCK_ROWS) {
        size_t nb = hi - start < BLOCK_ROWS ? hi - start : BLOCK_ROWS;
        sk_glm_normal_block(job->cols, p, start, nb, job->wt, job->z, job->block[t], job->ptr[t],
                            job->acc[t]);
    }
}

bool sk_glm_wls_solve_sums(sk_glm_wls *w, const double *acc0, const double *acc1)
{
    const size_t p = w->p, ld = p + 1;
    double *a = w->r;
    memset(a, 0, p * p * sizeof *a);
    for (size_t j = 0; j < p; j++) {
        for (size_t i = 0; i <= j; i++) a[i + j * p] = acc0[i + j * ld] + acc1[i + j * ld];
        w->coef[j] = acc0[j + p * ld] + acc1[j + p * ld];
        w->norm[j] = a[j + j * p];
    }
    int np = (int)p, one = 1, info = 0;
    dpotrf_("U", &np, a, &np, &info, 1);
    if (info != 0) return false;
    for (size_t j = 0; j < p; j++)
        if (!(a[j + j * p] * a[j + j * p] >= CHOLESKY_NEAR_ALIASED * w->norm[j])) return false;
    /* U'U b = X'Wz: U'c = X'Wz, then U b = c */
    dtrtrs_("U", "T", "N", &np, &one, a, &np, w->coef, &np, &info, 1, 1, 1);
    if (info == 0) dtrtrs_("U", "N", "N", &np, &one, a, &np, w->coef, &np, &info, 1, 1, 1);
    if (info != 0) return false;
    for (size_t j = 0; j < p; j++) w->pivot[j] = j;
    w->rank = p;
    return true;
}

/* Returns false (nothing changed but scratch) when the factor comes near aliasing. */
static bool solve_cholesky(sk_glm_wls *w, const double *const *cols, const double *wt,
                           const double *z, double *scratch, const double **ptrs)
{
    const size_t p = w->p;
    normal_job job = {cols, wt, z, w->n, p, {0}, {0}, {ptrs, ptrs + 2 * p + 1}};
    double *s = scratch;
    for (size_t t = 0; t < 2; t++) {
        job.acc[t] = s;
        job.block[t] = s + (p + 1) * (p + 1);
        s += SK_GLM_NORMAL_SCRATCH(p);
    }
    sk_parallel_run_if(w->n >= 4 * BLOCK_ROWS, 2, normal_half, &job);
    return sk_glm_wls_solve_sums(w, job.acc[0], job.acc[1]);
}

survkit_status sk_glm_wls_solve(sk_glm_wls *w, const double *const *cols, const double *wt,
                                const double *z, double tol, survkit_error *err)
{
    if (w->solver == SURVKIT_GLM_SOLVER_CHOLESKY) {
        double *scratch = sk_malloc_array(2 * SK_GLM_NORMAL_SCRATCH(w->p), sizeof *scratch);
        const double **ptrs = sk_malloc_array(2 * (2 * w->p + 1), sizeof *ptrs);
        if (scratch == NULL || ptrs == NULL) {
            free(scratch), free(ptrs);
            return no_memory(err);
        }
        bool ok = solve_cholesky(w, cols, wt, z, scratch, ptrs);
        free(scratch), free(ptrs);
        if (ok) return SURVKIT_OK;
        w->solver = SURVKIT_GLM_SOLVER_QR;
    }
    return solve_qr(w, cols, wt, z, tol, err);
}
