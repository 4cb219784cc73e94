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
 * The Cholesky path forms A = X' W X in row blocks (the cross-products of sqrt(w)-scaled blocks, the
 * two halves of the rows on two threads, summed in a fixed order) and X' W z, factors A = U'U (dpotrf) and
 * solves U'U b = X'Wz: one pass over X instead of QR's two and a copy. Its rounding makes a
 * remaining squared norm good to about DBL_EPSILON ||x_l||^2, so it cannot tell R's 1e-11 rule
 * apart near aliasing: when some U_ll^2 < 1e-7 A_ll (remaining norm below 3e-4 of the column's),
 * or dpotrf fails, it hands this and every later solve of the fit to the QR path. Above that
 * bound R's rule keeps every column, so both paths keep the same columns.
 */
#include "glm/glm_internal.h"
#include "core/lapack.h"
#include "core/parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info, size_t uplo_len);

#define CHOLESKY_NEAR_ALIASED 1e-7
#define BLOCK_ROWS 512

static survkit_status no_memory(survkit_error *err)
{
    return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory in the glm fit");
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
    if (w->a == NULL || w->qtz == NULL) return no_memory(err);
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

static survkit_status solve_qr(sk_glm_wls *w, const double *const *cols, const double *sw,
                               const double *z, double tol, survkit_error *err)
{
    RETURN_IF_ERROR(qr_scratch(w, err));
    const size_t n = w->n, p = w->p;
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

typedef struct normal_job {
    const double *const *cols;
    const double *sw, *z;
    size_t n, p;
    double *a[2], *b[2], *block[2]; /* per half: p x p, p, BLOCK_ROWS x p */
} normal_job;

/*
 * A += B'B (upper triangle) and b += B'v for one block B (nb x p, column-major) and v (nb): the dot
 * products of column pairs, each with sixteen partial sums in four vectors of four lanes. Written out
 * rather than through BLAS: the block is small (it stays in the second-level cache) and BLAS's own
 * threads, started inside the two row halves, would only wait for each other. The same body is
 * compiled twice, plainly and for AVX2 (chosen at run time); both do the same operations in the
 * same order (no fused multiply-add), so the sums are the same on every processor.
 */
typedef double sk_v4 __attribute__((vector_size(32))); /* four lanes: two SSE2 or one AVX2 register */
/* sum over i < n16 (a multiple of 16) of u[i] w[i] into four vectors of four lanes, acc[q] lane l
 * holding the terms i = 16 m + 4 q + l: four independent chains of additions. */
#define SK_V4_DOT(acc, u, w, n16)                                  \
    for (size_t i_ = 0; i_ < (n16); i_ += 16)                      \
        for (size_t q_ = 0; q_ < 4; q_++) {                        \
            sk_v4 u_, w_;                                          \
            memcpy(&u_, (u) + i_ + 4 * q_, sizeof u_);             \
            memcpy(&w_, (w) + i_ + 4 * q_, sizeof w_);             \
            (acc)[q_] += u_ * w_;                                  \
        }

static inline __attribute__((always_inline)) void crossprod_body(const double *blk, size_t nb,
                                                                 size_t p, const double *v,
                                                                 double *a, double *b)
{
    const size_t n16 = nb - nb % 16;
    for (size_t j = 0; j < p; j++) {
        const double *u = blk + j * nb;
        for (size_t k = 0; k <= j + 1; k++) { /* k == j + 1: the right-hand side v */
            const double *w = k <= j ? blk + k * nb : v;
            sk_v4 acc[4] = {{0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}};
            SK_V4_DOT(acc, u, w, n16);
            sk_v4 t = (acc[0] + acc[1]) + (acc[2] + acc[3]);
            double sum = (t[0] + t[1]) + (t[2] + t[3]);
            for (size_t i = n16; i < nb; i++) sum += u[i] * w[i];
            if (k <= j) a[k + j * p] += sum;
            else b[j] += sum;
        }
    }
}

static void crossprod_plain(const double *blk, size_t nb, size_t p, const double *v, double *a,
                            double *b)
{
    crossprod_body(blk, nb, p, v, a, b);
}

__attribute__((target("avx2"))) static void crossprod_avx2(const double *blk, size_t nb, size_t p,
                                                           const double *v, double *a, double *b)
{
    crossprod_body(blk, nb, p, v, a, b);
}

/* Half t of the rows: A_t = sum over blocks of B'B, b_t = B'(sw z), B the sw-scaled block. */
static void normal_half(void *ctx, size_t t)
{
    normal_job *job = ctx;
    size_t lo, hi;
    sk_parallel_range(job->n, 2, t, &lo, &hi);
    const size_t p = job->p;
    double *a = job->a[t], *b = job->b[t], *blk = job->block[t];
    memset(a, 0, p * p * sizeof *a);
    memset(b, 0, p * sizeof *b);
    double swz[BLOCK_ROWS];
    const bool avx2 = __builtin_cpu_supports("avx2");
    for (size_t start = lo; start < hi; start += BLOCK_ROWS) {
        size_t nb = hi - start < BLOCK_ROWS ? hi - start : BLOCK_ROWS;
        for (size_t i = 0; i < nb; i++) swz[i] = job->sw[start + i] * job->z[start + i];
        for (size_t j = 0; j < p; j++) {
            double *dst = blk + j * nb;
            if (job->cols[j] == NULL) { /* the intercept: 1 * sw */
                memcpy(dst, job->sw + start, nb * sizeof *dst);
                continue;
            }
            const double *col = job->cols[j] + start;
            for (size_t i = 0; i < nb; i++) dst[i] = col[i] * job->sw[start + i];
        }
        if (avx2) crossprod_avx2(blk, nb, p, swz, a, b);
        else crossprod_plain(blk, nb, p, swz, a, b);
    }
}

/* Returns false (nothing changed but scratch) when the factor comes near aliasing. */
static bool solve_cholesky(sk_glm_wls *w, const double *const *cols, const double *sw,
                           const double *z, double *scratch)
{
    const size_t p = w->p;
    normal_job job = {cols, sw, z, w->n, p, {0}, {0}, {0}};
    double *s = scratch;
    for (size_t t = 0; t < 2; t++) {
        job.a[t] = s, s += p * p;
        job.b[t] = s, s += p;
        job.block[t] = s, s += BLOCK_ROWS * p;
    }
    sk_parallel_run_if(w->n >= 4 * BLOCK_ROWS, 2, normal_half, &job);
    double *a = w->r;
    memset(a, 0, p * p * sizeof *a);
    for (size_t j = 0; j < p; j++) {
        for (size_t i = 0; i <= j; i++) a[i + j * p] = job.a[0][i + j * p] + job.a[1][i + j * p];
        w->coef[j] = job.b[0][j] + job.b[1][j];
        w->norm[j] = a[j + j * p];
    }
    int np = (int)p, info = 0, one = 1;
    dpotrf_("U", &np, a, &np, &info, 1);
    if (info != 0) return false;
    for (size_t j = 0; j < p; j++)
        if (!(a[j + j * p] * a[j + j * p] >= CHOLESKY_NEAR_ALIASED * w->norm[j])) return false;
    /* U'U b = X'Wz: two triangular solves */
    dtrtrs_("U", "T", "N", &np, &one, a, &np, w->coef, &np, &info, 1, 1, 1);
    if (info != 0) return false;
    dtrtrs_("U", "N", "N", &np, &one, a, &np, w->coef, &np, &info, 1, 1, 1);
    if (info != 0) return false;
    for (size_t j = 0; j < p; j++) w->pivot[j] = j;
    w->rank = p;
    return true;
}

survkit_status sk_glm_wls_solve(sk_glm_wls *w, const double *const *cols, const double *sw,
                                const double *z, double tol, survkit_error *err)
{
    if (w->solver == SURVKIT_GLM_SOLVER_CHOLESKY) {
        size_t cells = 2 * (w->p * w->p + w->p + BLOCK_ROWS * w->p);
        double *scratch = sk_malloc_array(cells, sizeof *scratch);
        if (scratch == NULL) return no_memory(err);
        bool ok = solve_cholesky(w, cols, sw, z, scratch);
        free(scratch);
        if (ok) return SURVKIT_OK;
        w->solver = SURVKIT_GLM_SOLVER_QR;
    }
    return solve_qr(w, cols, sw, z, tol, err);
}
