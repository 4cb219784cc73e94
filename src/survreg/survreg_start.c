/*
 * survreg_start.c: survreg.fit's starting values, which decide R's iterates and iteration count.
 *
 * yy = y (the midpoint (y1 + y2) / 2 for an interval row). From sd$init(yy, w) = (m, v):
 *   log sigma_0 = log(4 v) / 2 (twice the variance guess's sigma), or the fixed log scale;
 *   derfun at eta = yy (residuals.survreg's derivatives, dg and ddg - dg^2, with R's density
 *   columns) gives the 'glim' intercept sum(w dg + c (yy - offset)) / sum(c), c = -w ddg;
 *   the intercept-only model is fitted from there (survreg6, at most 20 iterations): its loglik is
 *   R's loglik[1], its log scales the full model's;
 *   the full model's coefficients are one weighted least-squares step from eta = yy - offset:
 *   solve (X' diag(c) X) b = X' (c eta + w dg) by coxph.wtest (cholesky2, an aliased column 0).
 * A model with only the intercept (R's meanonly) skips the intercept-only fit.
 */
#include "survreg/survreg_internal.h"

#include "cox/cox_internal.h"
#include "core/memory.h"
#include "core/parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* R's derfun(y, yy, sigma): dg and ddg - dg^2 at eta = yy for every row (residuals.survreg's
 * formulas, of which derfun is a subset); the rows in two halves on two threads (each row's values
 * are its own, so the numbers do not depend on it). At eta = yy a row that is not an interval has
 * z = (y - y) / sigma = 0, so its values depend on its code and sigma only: they are computed once
 * per code for the stratum of the row before (the same call with the same arguments, so the same
 * numbers) and copied. */
typedef struct derfun_job {
    const sk_sr_problem *pb;
    const double *yy, *log_scale;
    double *dg, *ddg;
} derfun_job;

enum { DERFUN_TASKS = 2, DERFUN_PARALLEL_ROWS = 50000 };

static void derfun_task(void *ctx, size_t task)
{
    const derfun_job *job = ctx;
    const sk_sr_problem *pb = job->pb;
    size_t lo, hi;
    sk_parallel_range(pb->n, DERFUN_TASKS, task, &lo, &hi);
    double memo_dg[SK_SR_INTERVAL], memo_ddg[SK_SR_INTERVAL]; /* by code, at z = 0 */
    bool known[SK_SR_INTERVAL] = {false, false, false};
    size_t memo_stratum = 0;
    for (size_t i = lo; i < hi; i++) {
        const size_t k = pb->strata ? (size_t)pb->strata[i] : 0;
        const int st = pb->status[i];
        const double sigma = exp(job->log_scale[k]);
        const bool z0 = st != SK_SR_INTERVAL && pb->y1[i] == job->yy[i];
        if (k != memo_stratum) {
            memset(known, 0, sizeof known);
            memo_stratum = k;
        }
        if (z0 && known[st]) {
            job->dg[i] = memo_dg[st], job->ddg[i] = memo_ddg[st];
            continue;
        }
        sk_sr_resid_row(pb->base, st, pb->y1[i], pb->y2 ? pb->y2[i] : 0, job->yy[i], sigma,
                        &job->dg[i], &job->ddg[i], NULL);
        if (z0) {
            memo_dg[st] = job->dg[i], memo_ddg[st] = job->ddg[i];
            known[st] = true;
        }
    }
}

static void derfun(const sk_sr_problem *pb, const double *yy, const double *log_scale,
                   double *dg, double *ddg)
{
    derfun_job job = {pb, yy, log_scale, dg, ddg};
    sk_parallel_run_if(pb->n >= DERFUN_PARALLEL_ROWS, DERFUN_TASKS, derfun_task, &job);
}

/*
 * The intercept-only model's rows, grouped. Its log-likelihood is sum_i w_i l(y_i, b0, sigma_k(i))
 * and a row enters it only through (stratum, status, y): rows that share all three add up to one
 * row of weight sum w_i (the same function of b0 and sigma; only the order of the additions
 * differs). With integer times a million rows make a few thousand groups, so the fit's 8 or so
 * evaluations of this model cost nothing next to the full model's. Kept to right-, left-censored
 * and exact rows without an offset (an offset or an interval bound would enter the key), and
 * given up, returning false, once there are more than GROUP_MAX groups (continuous times): the
 * hash table and the group arrays are then of a fixed small size whatever n is.
 */
enum { GROUP_MAX = 1 << 15, GROUP_SLOTS = 2 * GROUP_MAX };

typedef struct grouped_rows {
    size_t n;
    double *y1, *w;
    uint8_t *status;
    int32_t *strata;
} grouped_rows;

static void grouped_rows_free(grouped_rows *g)
{
    free(g->y1), free(g->w), free(g->status), free(g->strata);
    memset(g, 0, sizeof *g);
}

static uint64_t group_hash(double y, uint8_t status, int32_t stratum)
{
    uint64_t bits;
    memcpy(&bits, &y, sizeof bits);
    uint64_t h = bits ^ ((uint64_t)status << 56) ^ ((uint64_t)(uint32_t)stratum * 0x9E3779B97F4A7C15u);
    h ^= h >> 33, h *= 0xFF51AFD7ED558CCDu, h ^= h >> 33; /* the murmur3 finaliser */
    return h;
}

/* Fills g (groups in the order of their first row, weights added in row order) and returns true,
 * or returns false with g empty: the rows are then used as they are. */
static bool group_rows(const sk_sr_problem *pb, grouped_rows *g)
{
    memset(g, 0, sizeof *g);
    if (pb->y2 != NULL || pb->offset != NULL) return false;
    uint32_t *slot = calloc(GROUP_SLOTS, sizeof *slot); /* group + 1, or 0: empty */
    g->y1 = malloc(GROUP_MAX * sizeof *g->y1), g->w = malloc(GROUP_MAX * sizeof *g->w);
    g->status = malloc(GROUP_MAX * sizeof *g->status);
    g->strata = pb->strata ? malloc(GROUP_MAX * sizeof *g->strata) : NULL;
    bool ok = slot && g->y1 && g->w && g->status && (g->strata || !pb->strata);
    for (size_t i = 0; ok && i < pb->n; i++) {
        const double y = pb->y1[i], wi = pb->w ? pb->w[i] : 1;
        const uint8_t st = pb->status[i];
        const int32_t k = pb->strata ? pb->strata[i] : 0;
        size_t h = (size_t)group_hash(y, st, k) & (GROUP_SLOTS - 1);
        for (;; h = (h + 1) & (GROUP_SLOTS - 1)) {
            const uint32_t e = slot[h];
            if (e == 0) { /* a new group */
                if (g->n == GROUP_MAX) {
                    ok = false;
                    break;
                }
                g->y1[g->n] = y, g->w[g->n] = wi, g->status[g->n] = st;
                if (g->strata) g->strata[g->n] = k;
                slot[h] = (uint32_t)++g->n;
                break;
            }
            const size_t j = e - 1;
            if (g->y1[j] == y && g->status[j] == st && (!g->strata || g->strata[j] == k)) {
                g->w[j] += wi;
                break;
            }
        }
    }
    free(slot);
    if (!ok) grouped_rows_free(g);
    return ok;
}

/* The intercept-only model, fitted from the 'glim' intercept at one common sigma exp(v0):
 * its log-likelihood and log scales (into vars) as survreg.fit's fit0. dg, ddg: n scratch. */
static survkit_status fit_intercept_only(const sk_sr_problem *pb, const double *yy, double v0,
                                         double *dg, double *ddg, double eps, double toler_chol,
                                         double *vars, double *loglik0, survkit_error *err)
{
    const size_t n = pb->n, ns = pb->nstrat, nsig = ns > 0 ? ns : 1, q = 1 + ns;
    const sk_sr_problem common = {.n = n, .nvar = 1, .y1 = pb->y1, .y2 = pb->y2,
                                  .status = pb->status, .base = pb->base};
    derfun(&common, yy, &v0, dg, ddg);
    double num = 0, den = 0;
    for (size_t i = 0; i < n; i++) {
        const double wi = pb->w ? pb->w[i] : 1, c = -1 * ddg[i] * wi;
        num += wi * dg[i] + c * (yy[i] - (pb->offset ? pb->offset[i] : 0));
        den += c;
    }
    sk_sr_problem one = *pb;
    one.nvar = 1, one.x = NULL, one.center = one.stdev = NULL, one.x01 = NULL;
    grouped_rows groups;
    if (group_rows(pb, &groups)) {
        one.n = groups.n, one.y1 = groups.y1, one.w = groups.w, one.status = groups.status;
        one.strata = groups.strata;
    }
    double *coef = sk_malloc_array(1 + nsig, sizeof(double));
    double *var = sk_malloc_array(q * q, sizeof(double)), *u = sk_malloc_array(q, sizeof(double));
    sk_sr_work *work = NULL;
    survkit_status status = SURVKIT_ERR_NOMEM;
    if (coef && var && u) work = sk_sr_work_new(&one);
    if (work == NULL) {
        sk_error_set(err, status, NULL, 0, 0, "out of memory");
    } else {
        coef[0] = num / den;
        for (size_t k = 0; k < nsig; k++) coef[1 + k] = v0;
        sk_sr_newton_out o = {.var = var, .u = u};
        status = sk_sr_newton(&one, work, coef, 20, eps, toler_chol, &o, err);
        bool finite = isfinite(o.loglik);
        for (size_t j = 0; j < q; j++) finite &= isfinite(coef[j]);
        for (size_t j = 0; j < q * q; j++) finite &= isfinite(var[j]);
        if (status == SURVKIT_OK && !finite)
            status = sk_error_set(err, SURVKIT_ERR_NUMERIC, NULL, 0, 0,
                                  "initial iteration failed (use starting estimates?)");
        if (status == SURVKIT_OK) {
            *loglik0 = o.loglik;
            memcpy(vars, coef + 1, nsig * sizeof(double));
        }
    }
    sk_sr_work_free(work);
    grouped_rows_free(&groups);
    free(coef), free(var), free(u);
    return status;
}

survkit_status sk_sr_start(const sk_sr_problem *pb, double fixed_log_scale, double eps,
                           double toler_chol, double *beta, double *loglik0, survkit_error *err)
{
    const size_t n = pb->n, p = pb->nvar, ns = pb->nstrat, nsig = ns > 0 ? ns : 1;
    /* n-value scratch in one block of whole huge pages (memory.h): dg and ddg, and yy unless it
     * is y1 itself (no interval rows); the right-hand side is written over dg, row by row */
    const bool yy_is_y1 = pb->y2 == NULL;
    double *block = sk_malloc_filled(n, (yy_is_y1 ? 2 : 3) * sizeof(double));
    double *dg = block, *ddg = block ? block + n : NULL;
    double *yy = block == NULL || yy_is_y1 ? NULL : block + 2 * n;
    const double *yyc = yy_is_y1 ? pb->y1 : yy;
    double *vars = sk_malloc_array(nsig, sizeof(double));
    double *xtx = sk_malloc_array(p * p, sizeof(double)), *xty = sk_malloc_array(p, sizeof(double));
    survkit_status status = SURVKIT_OK;
    if (!block || !vars || !xtx || !xty)
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    *loglik0 = NAN;
    if (status == SURVKIT_OK) {
        for (size_t i = 0; yy && i < n; i++)
            yy[i] = pb->status[i] != SK_SR_INTERVAL ? pb->y1[i] : (pb->y1[i] + pb->y2[i]) / 2;
        double mv[2];
        sk_sr_init(pb->base, yyc, pb->w, n, mv);
        const double v0 = ns > 0 ? log(4 * mv[1]) / 2 : fixed_log_scale;
        for (size_t k = 0; k < nsig; k++) vars[k] = v0;
        if (p > 1) /* not R's meanonly */
            status = fit_intercept_only(pb, yyc, v0, dg, ddg, eps, toler_chol, vars, loglik0, err);
    }
    if (status == SURVKIT_OK) {
        /* one weighted least-squares step for the coefficients, a sigma per stratum */
        derfun(pb, yyc, vars, dg, ddg);
        double *rhs = dg; /* rhs_i needs dg_i only */
        for (size_t i = 0; i < n; i++) {
            const double wi = pb->w ? pb->w[i] : 1, c = -1 * ddg[i] * wi;
            const double eta = yyc[i] - (pb->offset ? pb->offset[i] : 0);
            ddg[i] = c;
            rhs[i] = c * eta + wi * dg[i];
        }
        status = sk_sr_weighted_cross(pb, ddg, rhs, xtx, xty, err);
    }
    if (status == SURVKIT_OK) {
        (void)sk_cox_cholesky2(xtx, p, toler_chol);
        sk_cox_chsolve2(xtx, p, xty);
        memcpy(beta, xty, p * sizeof(double));
        memcpy(beta + p, vars, nsig * sizeof(double));
    }
    free(block), free(vars), free(xtx), free(xty);
    return status;
}
