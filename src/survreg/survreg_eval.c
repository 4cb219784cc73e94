/*
 * survreg_eval.c: survregc1 as one pass over the design matrix: the log-likelihood, the score
 * and the information of (beta, log sigma) at a given point.
 *
 * With c_i = -w_i ddg_i (>= 0 for the log-concave densities survreg offers):
 *   loglik = sum w_i g_i
 *   U_beta = X' (w .* dg),               U_k = sum_{stratum k} w_i dsig_i
 *   I_bb   = X' diag(c) X,               I_kb = -sum_{stratum k} w_i dsg_i x_i,
 *   I_kk   = -sum_{stratum k} w_i ddsig_i
 * and J'J the same with w dg^2, w dsig dg, w dsig^2 (only when asked: R falls back to it only when
 * I is not positive definite). Per block of rows: the design columns and eta in one pass; the
 * next block's memory prefetched; the row terms of the block in branch-free stages, four rows at
 * a time (survreg_rows.c), summed in four lanes; then X' diag(c) X (upper triangle), U_beta and
 * (one scale) the scale column in one sweep of the register-tiled kernel core/crossprod.c, which
 * weights X by c as it reads it (c may be negative after round-off: no square roots).
 * The design columns are the frame's X in place where R does not rescale a column, a 0/1 column
 * from its bytes (survreg_fit.c makes them: an eighth of the memory traffic), else R's rescaled
 * values built in cache (sk_sr_design_eta), so X is read from memory once per evaluation and
 * never copied whole. Rows are split in two halves on two threads, each with its own sums, added
 * in a fixed order: the numbers do not depend on the number of cores.
 */
#include "survreg/survreg_internal.h"
#include "survreg/survreg_rows.h"

#include "core/parallel.h"

#include "core/crossprod.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { BLOCK = SK_SR_ROWS_MAX, TASKS = 2, PARALLEL_ROWS = 50000 };

/* Rows per block: at most BLOCK, and few enough that a block's design columns (rows x nvar
 * doubles) stay in the second-level cache with room to spare. */
static size_t block_rows(size_t nvar)
{
    size_t rows = 32768 / (nvar ? nvar : 1);
    return rows > BLOCK ? BLOCK : rows < 16 ? 16 : rows;
}

/* Block scratch: the design columns as pointers (into the frame's X where a column is used as
 * it is), the rescaled columns, the cross-products' sums. */
typedef struct block_cols {
    double *ones, *design;          /* BLOCK; BLOCK x nvar */
    const double **right, **left;   /* nvar; nvar + 2 */
    double *acc;                    /* (nvar + 2) x nvar: sk_crossprod_block's sums */
} block_cols;

static void block_cols_free(block_cols *b)
{
    free(b->ones), free(b->design), free(b->acc);
    free((void *)b->right), free((void *)b->left);
}

static bool block_cols_init(block_cols *b, size_t nvar)
{
    b->ones = sk_malloc_array(BLOCK, sizeof(double));
    b->design = sk_malloc_array((size_t)BLOCK * nvar, sizeof(double));
    b->acc = sk_malloc_array((nvar + 2) * nvar, sizeof(double));
    b->right = sk_malloc_array(nvar, sizeof(double *));
    b->left = sk_malloc_array(nvar + 2, sizeof(double *));
    if (!b->ones || !b->design || !b->acc || !b->right || !b->left) return false;
    for (size_t i = 0; i < BLOCK; i++) b->ones[i] = 1;
    return true;
}

typedef struct task_acc {
    double ll;
    double *u, *imat, *jj;                   /* nvar2, nvar2^2, nvar2^2 */
    double *eta;                             /* BLOCK: the block's linear predictor */
    double *gw, *a, *c, *e, *ds, *dss, *jd, *js, *jss; /* BLOCK each: the row terms (sk_sr_rows_out) */
    double *rows;                            /* sk_sr_rows_block's scratch */
    block_cols bc;
} task_acc;

struct sk_sr_work {
    size_t nvar2, nsig; /* nsig: scales in use (max(nstrat, 1)) */
    double *sigma, *inv_sigma, *log_sigma; /* nsig each */
    task_acc t[TASKS];
};

void sk_sr_work_free(sk_sr_work *w)
{
    if (w == NULL) return;
    for (size_t k = 0; k < TASKS; k++) {
        task_acc *t = &w->t[k];
        double *arrays[] = {t->u,  t->imat, t->jj, t->eta, t->gw, t->a,  t->c,
                            t->e,  t->ds,   t->dss, t->jd, t->js, t->jss, t->rows};
        for (size_t j = 0; j < sizeof arrays / sizeof arrays[0]; j++) free(arrays[j]);
        block_cols_free(&t->bc);
    }
    free(w->sigma);
    free(w->inv_sigma);
    free(w->log_sigma);
    free(w);
}

sk_sr_work *sk_sr_work_new(const sk_sr_problem *pb)
{
    sk_sr_work *w = calloc(1, sizeof *w);
    if (w == NULL) return NULL;
    w->nvar2 = pb->nvar + pb->nstrat;
    w->nsig = pb->nstrat > 0 ? pb->nstrat : 1;
    w->sigma = sk_malloc_array(w->nsig, sizeof(double));
    w->inv_sigma = sk_malloc_array(w->nsig, sizeof(double));
    w->log_sigma = sk_malloc_array(w->nsig, sizeof(double));
    bool ok = w->sigma != NULL && w->inv_sigma != NULL && w->log_sigma != NULL;
    for (size_t k = 0; k < TASKS && ok; k++) {
        task_acc *t = &w->t[k];
        t->u = sk_malloc_array(w->nvar2, sizeof(double));
        t->imat = sk_malloc_array(w->nvar2 * w->nvar2, sizeof(double));
        t->jj = sk_malloc_array(w->nvar2 * w->nvar2, sizeof(double));
        t->eta = sk_malloc_array(BLOCK, sizeof(double));
        double **terms[] = {&t->gw, &t->a, &t->c, &t->e, &t->ds, &t->dss, &t->jd, &t->js, &t->jss};
        ok = t->u && t->imat && t->jj && t->eta;
        for (size_t j = 0; j < sizeof terms / sizeof terms[0]; j++)
            ok = ok && (*terms[j] = sk_malloc_array(BLOCK, sizeof(double))) != NULL;
        t->rows = sk_malloc_array(sk_sr_rows_scratch_size(), sizeof(double));
        ok = ok && t->rows && block_cols_init(&t->bc, pb->nvar);
    }
    if (!ok) {
        sk_sr_work_free(w);
        return NULL;
    }
    return w;
}

typedef struct eval_job {
    const sk_sr_problem *pb;
    sk_sr_work *w;
    const double *beta;
    bool deriv, want_jj;
    double *eta_out;
} eval_job;

/* R's rescaled design matrix (x_j - center_j) / stdev_j, as (x_j - center_j) * (1 / stdev_j):
 * one multiplication instead of a division per value, which may move a value by one unit in the
 * last place from R's. With eta (nb values), also the linear predictor beta_0 + sum_j beta_j x_ij,
 * the columns added in order as each is made (while it is in the first-level cache: one pass over
 * the block, where a separate sweep would read every column again). */
static inline __attribute__((always_inline)) void design_body(const sk_sr_problem *pb, size_t lo,
                                                              size_t nb, double *ones,
                                                              double *scratch, const double **cols,
                                                              const double *beta,
                                                              double *restrict eta)
{
    cols[0] = ones;
    if (eta)
        for (size_t i = 0; i < nb; i++) eta[i] = beta[0];
    for (size_t j = 1; j < pb->nvar; j++) {
        const double *restrict xj = pb->x + (j - 1) * pb->n + lo;
        double *restrict oj = scratch + j * nb;
        const double bj = eta ? beta[j] : 0;
        if (pb->x01 && pb->x01[j]) { /* a 0/1 column from its bytes */
            const uint8_t *restrict b01 = pb->x01[j] + lo;
            if (eta)
                for (size_t i = 0; i < nb; i++) {
                    const double v = b01[i];
                    oj[i] = v;
                    eta[i] += bj * v;
                }
            else
                for (size_t i = 0; i < nb; i++) oj[i] = b01[i];
            cols[j] = oj;
            continue;
        }
        if (pb->center == NULL || (pb->center[j] == 0 && pb->stdev[j] == 1)) {
            cols[j] = xj; /* used in place */
            if (eta)
                for (size_t i = 0; i < nb; i++) eta[i] += bj * xj[i];
            continue;
        }
        const double c = pb->center[j], inv = 1 / pb->stdev[j];
        if (eta)
            for (size_t i = 0; i < nb; i++) {
                const double v = (xj[i] - c) * inv;
                oj[i] = v;
                eta[i] += bj * v;
            }
        else
            for (size_t i = 0; i < nb; i++) oj[i] = (xj[i] - c) * inv;
        cols[j] = oj;
    }
}

static void design_plain(const sk_sr_problem *pb, size_t lo, size_t nb, double *ones,
                         double *scratch, const double **cols, const double *beta, double *eta)
{
    design_body(pb, lo, nb, ones, scratch, cols, beta, eta);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SK_SR_DESIGN_AVX2 1
/* AVX2 without FMA: the same operations in the same order, four values at a time. */
__attribute__((target("avx2"))) static void design_avx2(const sk_sr_problem *pb, size_t lo,
                                                        size_t nb, double *ones, double *scratch,
                                                        const double **cols, const double *beta,
                                                        double *eta)
{
    design_body(pb, lo, nb, ones, scratch, cols, beta, eta);
}
#endif

void sk_sr_design_eta(const sk_sr_problem *pb, size_t lo, size_t nb, double *ones,
                      double *scratch, const double **cols, const double *beta, double *eta)
{
#ifdef SK_SR_DESIGN_AVX2
    if (__builtin_cpu_supports("avx2")) {
        design_avx2(pb, lo, nb, ones, scratch, cols, beta, eta);
        return;
    }
#endif
    design_plain(pb, lo, nb, ones, scratch, cols, beta, eta);
}

void sk_sr_design_columns(const sk_sr_problem *pb, size_t lo, size_t nb, double *ones,
                          double *scratch, const double **cols)
{
    sk_sr_design_eta(pb, lo, nb, ones, scratch, cols, NULL, NULL);
}

/* acc (m x p, leading dimension m) += L' B for the block's design columns B (bc->right, p of
 * them): L = the v-weighted columns (when v is given: X' diag(v) X, upper triangle; the kernel
 * weights them as it reads them, no copy is written), then the n_vec vectors vec[] (X' vec_k in
 * rows p ..). */
static void block_products(size_t p, size_t nb, block_cols *bc, const double *v,
                           const double *const *vec, size_t n_vec)
{
    size_t m = 0;
    if (v != NULL)
        for (size_t j = 0; j < p; j++) bc->left[m++] = bc->right[j];
    const size_t m_sym = m;
    for (size_t k = 0; k < n_vec; k++) bc->left[m++] = vec[k];
    sk_crossprod_block_weighted(nb, m, bc->left, v, m_sym, p, bc->right, bc->acc, m);
}

/* acc[(nvar + k) + j ld] += sum over the block's rows of stratum k of v_i b_ij. */
static void add_scale_column(const sk_sr_problem *pb, size_t lo, size_t nb, const double *const *b,
                             const double *v, double *acc, size_t ld)
{
    const size_t p = pb->nvar;
    for (size_t j = 0; j < p; j++) {
        const double *bj = b[j];
        for (size_t i = 0; i < nb; i++) acc[p + (size_t)pb->strata[lo + i] + j * ld] += v[i] * bj[i];
    }
}

/* Move the block sums (block_products' acc with m rows: the symmetric block when `sym`, then
 * the score row when `score`, then the one scale's row when `scale`) into the task's u and
 * matrix mat (p2 x p2: the x block's upper triangle, the scale row below it). */
static void add_block_sums(const block_cols *bc, size_t p, size_t p2, bool score, bool scale,
                           double *u, double *mat)
{
    const size_t m = p + score + scale;
    for (size_t k = 0; k < p; k++) {
        for (size_t j = 0; j <= k; j++) mat[j + k * p2] += bc->acc[j + k * m];
        if (score) u[k] += bc->acc[p + k * m];
        if (scale) mat[p + k * p2] += bc->acc[p + score + k * m];
    }
}

/* Ask for the memory a block of rows lo .. lo+nb-1 reads first (its design columns as stored: the
 * frame's doubles or the 0/1 bytes, and its times and codes) to be brought into the outer caches,
 * a 64-byte line at a time: issued before the block before it goes through its row terms and
 * cross-products, the loads then overlap that arithmetic instead of stalling the next block's
 * first pass (the intercept-only fit's evaluations read the times and codes alone). */
static void prefetch_block(const sk_sr_problem *pb, size_t lo, size_t nb)
{
    enum { LINE = 64 };
    for (size_t j = 1; j < pb->nvar; j++) {
        const char *c = pb->x01 && pb->x01[j] ? (const char *)(pb->x01[j] + lo)
                                              : (const char *)(pb->x + (j - 1) * pb->n + lo);
        const size_t bytes = pb->x01 && pb->x01[j] ? nb : nb * sizeof(double);
        for (size_t k = 0; k < bytes; k += LINE) __builtin_prefetch(c + k, 0, 1);
    }
    const char *y = (const char *)(pb->y1 + lo), *st = (const char *)(pb->status + lo);
    for (size_t k = 0; k < nb * sizeof(double); k += LINE) __builtin_prefetch(y + k, 0, 1);
    for (size_t k = 0; k < nb; k += LINE) __builtin_prefetch(st + k, 0, 1);
}

/* sum of v[0..n-1] in four lanes (i mod 4), added pairwise, then the rest: a fixed order. */
static double sum4(const double *v, size_t n)
{
    double s[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (size_t k = 0; k < 4; k++) s[k] += v[i + k];
    double total = (s[0] + s[1]) + (s[2] + s[3]);
    for (; i < n; i++) total += v[i];
    return total;
}

static void eval_task(void *ctx, size_t task)
{
    eval_job *job = ctx;
    const sk_sr_problem *pb = job->pb;
    sk_sr_work *w = job->w;
    task_acc *t = &w->t[task];
    const size_t p = pb->nvar, p2 = w->nvar2, ns = pb->nstrat;
    size_t lo, hi;
    sk_parallel_range(pb->n, TASKS, task, &lo, &hi);
    t->ll = 0;
    if (job->deriv) {
        memset(t->u, 0, p2 * sizeof(double));
        memset(t->imat, 0, p2 * p2 * sizeof(double));
        if (job->want_jj) memset(t->jj, 0, p2 * p2 * sizeof(double));
    }
    const size_t block = block_rows(p);
    for (size_t b0 = lo; b0 < hi; b0 += block) {
        const size_t nb = hi - b0 < block ? hi - b0 : block;
        /* the block's eta, made where it is wanted (the caller's array, else the task's) */
        double *eta = job->eta_out ? job->eta_out + b0 : t->eta;
        if (p == 1) { /* the intercept-only start: eta = beta_0 (+ offset), no design block */
            for (size_t i = 0; i < nb; i++) eta[i] = job->beta[0];
        } else {
            sk_sr_design_eta(pb, b0, nb, t->bc.ones, t->bc.design, t->bc.right, job->beta, eta);
        }
        if (pb->offset)
            for (size_t i = 0; i < nb; i++) eta[i] += pb->offset[b0 + i];
        /* the row terms of the block (survreg_rows.c), then their sums: the log-likelihood and,
         * by stratum, the scale's score and information */
        const sk_sr_scales scales = {w->sigma, w->inv_sigma, w->log_sigma};
        const sk_sr_rows_out ro = {t->gw, t->a, t->c, t->e, t->ds, t->dss, t->jd, t->js, t->jss};
        const size_t next = b0 + nb; /* the next block's memory, loaded while this one's rows run */
        if (next < hi) prefetch_block(pb, next, hi - next < block ? hi - next : block);
        sk_sr_rows_block(pb, &scales, b0, nb, eta, job->deriv, job->want_jj, t->rows, &ro);
        t->ll += sum4(t->gw, nb);
        if (job->deriv && ns > 0 && pb->strata == NULL) {
            t->u[p] += sum4(t->ds, nb);
            t->imat[p + p * p2] += sum4(t->dss, nb);
            if (job->want_jj) t->jj[p + p * p2] += sum4(t->jss, nb);
        } else if (job->deriv && ns > 0) {
            for (size_t i = 0; i < nb; i++) {
                const size_t kk = p + (size_t)pb->strata[b0 + i];
                t->u[kk] += t->ds[i];
                t->imat[kk + kk * p2] += t->dss[i];
                if (job->want_jj) t->jj[kk + kk * p2] += t->jss[i];
            }
        }
        if (!job->deriv) continue;
        if (p == 1) { /* sums instead of the design's products (its one column is 1) */
            double su = 0, sc = 0, se = 0, sjd = 0;
            for (size_t i = 0; i < nb; i++) su += t->a[i], sc += t->c[i];
            t->u[0] += su;
            t->imat[0] += sc;
            if (ns > 0 && pb->strata == NULL) {
                for (size_t i = 0; i < nb; i++) se += t->e[i];
                t->imat[1] += se;
            } else if (ns > 0) {
                for (size_t i = 0; i < nb; i++) t->imat[1 + (size_t)pb->strata[b0 + i]] += t->e[i];
            }
            if (job->want_jj) {
                for (size_t i = 0; i < nb; i++) sjd += t->jd[i];
                t->jj[0] += sjd;
                for (size_t i = 0; ns > 0 && i < nb; i++)
                    t->jj[1 + (pb->strata ? (size_t)pb->strata[b0 + i] : 0)] += t->js[i];
            }
            continue;
        }
        /* X' diag(c) X, X' a and (one scale) X' e in one sweep of the block; with strata the
         * scale rows by stratum */
        const bool one_scale = ns > 0 && pb->strata == NULL;
        const double *sums[2] = {t->a, t->e};
        memset(t->bc.acc, 0, (p + 2) * p * sizeof(double));
        block_products(p, nb, &t->bc, t->c, sums, one_scale ? 2 : 1);
        add_block_sums(&t->bc, p, p2, true, one_scale, t->u, t->imat);
        if (ns > 0 && !one_scale) add_scale_column(pb, b0, nb, t->bc.right, t->e, t->imat, p2);
        if (job->want_jj) {
            memset(t->bc.acc, 0, (p + 2) * p * sizeof(double));
            const double *js = t->js;
            block_products(p, nb, &t->bc, t->jd, &js, one_scale ? 1 : 0);
            add_block_sums(&t->bc, p, p2, false, one_scale, NULL, t->jj);
            if (ns > 0 && !one_scale) add_scale_column(pb, b0, nb, t->bc.right, t->js, t->jj, p2);
        }
    }
}

/* total = sum of the tasks' matrices; the x block from its upper triangle, the scale rows (held
 * below the x block) mirrored above. */
static void gather_matrix(const sk_sr_work *w, size_t p, size_t which, double *out)
{
    const size_t p2 = w->nvar2;
    for (size_t c = 0; c < p2; c++)
        for (size_t r = 0; r < p2; r++) {
            bool upper_x = r < p && c < p ? r <= c : r >= p; /* where the sums were kept */
            size_t rr = upper_x ? r : c, cc = upper_x ? c : r;
            double s = 0;
            for (size_t k = 0; k < TASKS; k++) {
                const double *m = which == 0 ? w->t[k].imat : w->t[k].jj;
                s += m[rr + cc * p2];
            }
            out[r + c * p2] = s;
        }
}

double sk_sr_eval(const sk_sr_problem *pb, sk_sr_work *w, const double *beta, double *u,
                  double *imat, double *jj, double *eta)
{
    const size_t p = pb->nvar, p2 = w->nvar2;
    for (size_t k = 0; k < w->nsig; k++) {
        w->sigma[k] = exp(beta[p + k]);
        w->inv_sigma[k] = 1 / w->sigma[k];
        w->log_sigma[k] = log(w->sigma[k]); /* R's log(sigma), not beta itself */
    }
    eval_job job = {pb, w, beta, u != NULL && imat != NULL, jj != NULL, eta};
    sk_parallel_run_if(pb->n >= PARALLEL_ROWS, TASKS, eval_task, &job);
    double ll = 0;
    for (size_t k = 0; k < TASKS; k++) ll += w->t[k].ll;
    if (!job.deriv) return ll;
    for (size_t j = 0; j < p2; j++) {
        u[j] = 0;
        for (size_t k = 0; k < TASKS; k++) u[j] += w->t[k].u[j];
    }
    gather_matrix(w, p, 0, imat);
    if (jj) gather_matrix(w, p, 1, jj);
    return ll;
}

/* One pass over the rows in blocks (the start values need it once), its rows in TASKS parts on
 * threads as the evaluation's: X' diag(v) X (upper triangle) and X' vec (when vec is given), each
 * part's sums in its own matrix, added in task order. */
typedef struct cross_job {
    const sk_sr_problem *pb;
    const double *v, *vec;
    double *mat[TASKS], *out_vec[TASKS]; /* p x p and p per task */
    bool failed[TASKS];
} cross_job;

static void cross_task(void *ctx, size_t task)
{
    cross_job *job = ctx;
    const sk_sr_problem *pb = job->pb;
    const size_t p = pb->nvar, block = block_rows(p);
    double *out_mat = job->mat[task], *out_vec = job->out_vec[task];
    block_cols bc = {0};
    job->failed[task] = !block_cols_init(&bc, p);
    memset(out_mat, 0, p * p * sizeof(double));
    memset(out_vec, 0, p * sizeof(double));
    size_t lo, hi;
    sk_parallel_range(pb->n, TASKS, task, &lo, &hi);
    for (size_t b0 = lo; b0 < hi && !job->failed[task]; b0 += block) {
        const size_t nb = hi - b0 < block ? hi - b0 : block;
        sk_sr_design_columns(pb, b0, nb, bc.ones, bc.design, bc.right);
        const double *vb = job->vec ? job->vec + b0 : NULL;
        const size_t next = b0 + nb; /* as in the evaluation: the next block's memory */
        if (next < hi) prefetch_block(pb, next, hi - next < block ? hi - next : block);
        memset(bc.acc, 0, (p + 2) * p * sizeof(double));
        block_products(p, nb, &bc, job->v + b0, &vb, job->vec ? 1 : 0);
        add_block_sums(&bc, p, p, job->vec != NULL, false, out_vec, out_mat);
    }
    block_cols_free(&bc);
}

survkit_status sk_sr_weighted_cross(const sk_sr_problem *pb, const double *v, const double *r,
                                    double *out, double *out_r, survkit_error *err)
{
    const size_t p = pb->nvar;
    cross_job job = {.pb = pb, .v = v, .vec = r};
    bool ok = true;
    for (size_t k = 0; k < TASKS; k++) {
        job.mat[k] = sk_malloc_array(p * p, sizeof(double));
        job.out_vec[k] = sk_malloc_array(p, sizeof(double));
        ok = ok && job.mat[k] && job.out_vec[k];
    }
    if (ok) {
        sk_parallel_run_if(pb->n >= PARALLEL_ROWS, TASKS, cross_task, &job);
        for (size_t k = 0; k < TASKS; k++) ok = ok && !job.failed[k];
    }
    if (ok) {
        for (size_t c = 0; c < p; c++) {
            for (size_t rr = 0; rr <= c; rr++) { /* the upper triangle holds the sums */
                double sum = 0;
                for (size_t k = 0; k < TASKS; k++) sum += job.mat[k][rr + c * p];
                out[rr + c * p] = out[c + rr * p] = sum;
            }
            if (r) {
                double sum = 0;
                for (size_t k = 0; k < TASKS; k++) sum += job.out_vec[k][c];
                out_r[c] = sum;
            }
        }
    }
    for (size_t k = 0; k < TASKS; k++) free(job.mat[k]), free(job.out_vec[k]);
    return ok ? SURVKIT_OK : sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
}
