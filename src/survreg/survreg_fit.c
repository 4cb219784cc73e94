/*
 * survreg_fit.c: the survreg fit as R's survreg and survreg.fit assemble it, and its result.
 *
 * 1. The response: log times for the log distributions (a zero bound is an error, as in survival
 *    3.5-3, which later versions turn into a left-censored row); exact rows add R's log-Jacobian sum w log(1/t) to both
 *    log-likelihoods.
 * 2. The design matrix with its intercept; when some column is not 0/1, R rescales the columns
 *    that are not: x_j -> (x_j - mean_j) / sd_j. The fit runs on the rescaled matrix and the
 *    coefficients and variance come back through T (T_jj = 1/sd_j, T_0j = -mean_j/sd_j):
 *    b = T b_s, V = T V_s T'.
 * 3. Starting values (survreg_start.c), Newton-Raphson (survreg_newton.c), the robust variance
 *    (survreg_robust.c) when asked or with a cluster; an aliased coefficient (zero variance) is
 *    NA; summary(survreg)'s table, the chi-square 2 (loglik - loglik0) on sum(df) - idf df.
 */
#include "survreg/survreg_internal.h"

#include "cox/cox_internal.h"
#include "core/memory.h"
#include "core/parallel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_WARNINGS = 8 };

struct survkit_survreg_result_s {
    survkit_survreg_dist dist;
    size_t n, n_events, p, n_scales, rows;
    char **names;
    double *coef, *se, *naive_se, *z, *pvalue, *scale, *vcov, *naive_vcov, *lp;
    bool robust, scale_fixed, converged;
    double loglik, loglik0, chisq, df, chisq_p;
    int iterations;
    size_t n_warnings;
    char *warnings[MAX_WARNINGS];
};

void survkit_survreg_options_init(survkit_survreg_options *opt)
{
    *opt = (survkit_survreg_options){.dist = SURVKIT_SURVREG_WEIBULL, .scale = 0, .eps = 1e-9,
                                     .iter_max = 30, .toler_chol = 1e-10,
                                     .robust = SURVKIT_SURVREG_ROBUST_AUTO};
}

void survkit_survreg_result_free(survkit_survreg_result *r)
{
    if (r == NULL) return;
    if (r->names)
        for (size_t j = 0; j < r->rows; j++) free(r->names[j]);
    free(r->names);
    double *arrays[] = {r->coef, r->se, r->naive_se, r->z, r->pvalue, r->scale, r->vcov,
                        r->naive_vcov, r->lp};
    for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++) free(arrays[k]);
    for (size_t k = 0; k < r->n_warnings; k++) free(r->warnings[k]);
    free(r);
}

static void add_warning(survkit_survreg_result *r, const char *text)
{
    if (r->n_warnings < MAX_WARNINGS) {
        char *copy = sk_strdup(text);
        if (copy) r->warnings[r->n_warnings++] = copy;
    }
}

/* Everything a fit owns besides the result. */
typedef struct fit_ctx {
    double *y1, *y2, *center, *stdev, *beta, *var, *u, *robust, *sigma_log;
    uint8_t *status;
    uint8_t **x01; /* nvar: the 0/1 columns as bytes (sk_sr_problem.x01), or NULL */
    uint8_t *x01_block; /* nvar x n bytes, x01[j] at j n; pages mapped only where written */
    size_t nv;
    sk_sr_work *work;
} fit_ctx;

static void fit_ctx_free(fit_ctx *c)
{
    double *arrays[] = {c->y1, c->y2, c->center, c->stdev, c->beta, c->var, c->u, c->robust,
                        c->sigma_log};
    for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++) free(arrays[k]);
    free(c->status);
    free(c->x01);
    free(c->x01_block);
    sk_sr_work_free(c->work);
}

/* Step 1: (transformed) times and censoring codes; *logcorrect the log-Jacobian. */
static survkit_status code_response(const survkit_survreg_data *d, const sk_sr_dist_info *info,
                                    fit_ctx *c, double *logcorrect, survkit_error *err)
{
    const bool interval = d->time2 != NULL;
    long double lc = 0;
    for (size_t i = 0; i < d->n; i++) {
        const size_t line = i + 1;
        double s = d->status[i], t1 = d->time[i], t2 = interval ? d->time2[i] : NAN;
        bool ok_code = interval ? (s == 0 || s == 1 || s == 2 || s == 3) : (s == 0 || s == 1);
        if (!ok_code)
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, line, 0,
                                "status %g is not a censoring code", s);
        if (!isfinite(t1) || (s == SK_SR_INTERVAL && !isfinite(t2)))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, line, 0, "time is not finite");
        if (s == SK_SR_INTERVAL && t2 < t1)
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, line, 0,
                                "empty interval: time2 (%g) < time1 (%g)", t2, t1);
        if (info->log_time) {
            t1 = log(t1);
            /* R adds sum(w log(1/t)); -log(t) is that to round-off, without a second log */
            if (s == SK_SR_EXACT) lc -= (d->weights ? d->weights[i] : 1) * t1;
            if (s == SK_SR_INTERVAL) t2 = log(t2);
            if (!isfinite(t1) || (s == SK_SR_INTERVAL && !isfinite(t2)))
                return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, line, 0,
                                    "Invalid survival times for this distribution (times must be "
                                    "> 0 for the %s distribution)", info->name);
        }
        c->y1[i] = t1;
        if (c->y2) c->y2[i] = s == SK_SR_INTERVAL ? t2 : 0;
        c->status[i] = (uint8_t)s;
    }
    *logcorrect = (double)lc;
    return SURVKIT_OK;
}

/* Step 2: R's rescaling of [1, X]: when some column is not 0/1, such columns get their mean and
 * standard deviation (n - 1) as center and stdev; the others (and the intercept) 0 and 1. The
 * kernel builds the rescaled matrix block by block (sk_sr_design_columns). One column: */
static void rescale_column(const survkit_survreg_data *d, fit_ctx *c, size_t j)
{
    const size_t n = d->n;
    const double *xj = d->x + (j - 1) * n;
    bool okay = true;
    /* four partial sums (the loop vectorises; any center and scale give the same fit, and
     * these are R's colMeans and sd to round-off) */
    double sum[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (size_t k = 0; k < 4; k++) {
            okay &= (xj[i + k] == 0) | (xj[i + k] == 1);
            sum[k] += xj[i + k];
        }
    for (; i < n; i++) {
        okay &= (xj[i] == 0) | (xj[i] == 1);
        sum[0] += xj[i];
    }
    c->center[j] = 0, c->stdev[j] = 1;
    /* a 0/1 column as bytes, for the evaluation pass to read an eighth of the bytes (an
     * optimisation only: when memory runs short, the column stays doubles) */
    if (okay && c->x01 && c->x01_block) {
        c->x01[j] = c->x01_block + j * n;
        for (i = 0; i < n; i++) c->x01[j][i] = (uint8_t)xj[i];
    }
    if (okay) return;
    const double mean = ((sum[0] + sum[1]) + (sum[2] + sum[3])) / (double)n;
    double ss[4] = {0, 0, 0, 0};
    for (i = 0; i + 4 <= n; i += 4)
        for (size_t k = 0; k < 4; k++) ss[k] += (xj[i + k] - mean) * (xj[i + k] - mean);
    for (; i < n; i++) ss[0] += (xj[i] - mean) * (xj[i] - mean);
    c->center[j] = mean;
    c->stdev[j] = sqrt(((ss[0] + ss[1]) + (ss[2] + ss[3])) / (double)(n - 1));
}

typedef struct rescale_job {
    const survkit_survreg_data *d;
    fit_ctx *c;
} rescale_job;

enum { RESCALE_TASKS = 2, RESCALE_PARALLEL_ROWS = 50000 };

static void rescale_task(void *ctx, size_t task)
{
    rescale_job *job = ctx;
    for (size_t j = 1 + task; j <= job->d->p; j += RESCALE_TASKS) rescale_column(job->d, job->c, j);
}

/* Every column, alternate columns on two threads (each column's numbers are its own). Returns
 * whether any column is rescaled (a column with center 0 and stdev 1 is the identity, whichever it
 * is); *constant: the last column whose standard deviation is 0 (or not finite). */
static bool rescaling(const survkit_survreg_data *d, fit_ctx *c, size_t *constant)
{
    c->center[0] = 0, c->stdev[0] = 1;
    rescale_job job = {d, c};
    sk_parallel_run_if(d->n >= RESCALE_PARALLEL_ROWS && d->p > 1, RESCALE_TASKS, rescale_task, &job);
    bool rescaled = false;
    for (size_t j = 1; j <= d->p; j++) {
        rescaled |= !(c->center[j] == 0 && c->stdev[j] == 1);
        if (!(c->stdev[j] > 0) || !isfinite(c->stdev[j])) *constant = j;
    }
    return rescaled;
}

/* V <- T V T' and b <- T b for the rescaling T (only its first row and diagonal are non-zero). */
static void back_transform(const fit_ctx *c, size_t nv, size_t m, double *b, double *v)
{
    if (b) {
        double b0 = b[0];
        for (size_t j = 1; j < nv; j++) b0 += -c->center[j] / c->stdev[j] * b[j];
        b[0] = b0;
        for (size_t j = 1; j < nv; j++) b[j] /= c->stdev[j];
    }
    if (v == NULL) return;
    /* rows: (T V)_0. = sum_j T_0j V_j., (T V)_j. = V_j. / s_j; then the same on the columns */
    for (size_t col = 0; col < m; col++) {
        double r0 = v[0 + col * m];
        for (size_t j = 1; j < nv; j++) r0 += -c->center[j] / c->stdev[j] * v[j + col * m];
        v[0 + col * m] = r0;
        for (size_t j = 1; j < nv; j++) v[j + col * m] /= c->stdev[j];
    }
    for (size_t row = 0; row < m; row++) {
        double c0 = v[row + 0 * m];
        for (size_t j = 1; j < nv; j++) c0 += -c->center[j] / c->stdev[j] * v[row + j * m];
        v[row + 0 * m] = c0;
        for (size_t j = 1; j < nv; j++) v[row + j * m] /= c->stdev[j];
    }
}

/* The first row with a value of X that is not finite in columns task, task + 2, ... (and the
 * first such column of that row): column by column (X is column-major: a scan row by row would
 * miss the cache at every value), each only up to the best row found so far. */
typedef struct finite_job {
    const survkit_survreg_data *d;
    size_t bad_row[2], bad_col[2];
} finite_job;

static void finite_task(void *ctx, size_t task)
{
    finite_job *job = ctx;
    const survkit_survreg_data *d = job->d;
    size_t bad_row = d->n, bad_col = 0;
    for (size_t j = task; j < d->p; j += 2) {
        const double *xj = d->x + j * d->n;
        /* four lanes of sums of x * 0, NaN exactly when a value is not finite (a loop
         * that vectorises); only such a column is scanned for its first bad row */
        double nan_if_bad[4] = {0, 0, 0, 0};
        size_t i4 = 0;
        for (; i4 + 4 <= bad_row; i4 += 4)
            for (size_t k = 0; k < 4; k++) nan_if_bad[k] += xj[i4 + k] * 0;
        for (; i4 < bad_row; i4++) nan_if_bad[0] += xj[i4] * 0;
        if (!isnan(nan_if_bad[0] + nan_if_bad[1] + nan_if_bad[2] + nan_if_bad[3])) continue;
        for (size_t i = 0; i < bad_row; i++)
            if (!isfinite(xj[i])) {
                bad_row = i, bad_col = j;
                break;
            }
    }
    job->bad_row[task] = bad_row, job->bad_col[task] = bad_col;
}

static survkit_status check_data(const survkit_survreg_data *d, const survkit_survreg_options *o,
                                 survkit_error *err)
{
    RETURN_ERROR_IF(d->n == 0, err, SURVKIT_ERR_NO_DATA, "no rows to fit");
    RETURN_ERROR_IF(d->time == NULL || d->status == NULL || (d->p > 0 && d->x == NULL), err,
                    SURVKIT_ERR_ARGUMENT, "missing time, status or design matrix");
    RETURN_ERROR_IF(!(o->scale >= 0) || !isfinite(o->scale), err, SURVKIT_ERR_ARGUMENT,
                    "Invalid scale value");
    RETURN_ERROR_IF(o->scale > 0 && d->strata && d->n_strata > 1, err, SURVKIT_ERR_ARGUMENT,
                    "The scale argument is not valid with multiple strata");
    RETURN_ERROR_IF(o->iter_max < 0 || !(o->eps > 0), err, SURVKIT_ERR_ARGUMENT,
                    "iter_max must be >= 0 and eps > 0");
    /* the first row with a value that is not finite and its first such column: alternate
     * columns on two threads, then the earlier row (the smaller column on a tie), as one scan of
     * the columns in order finds them */
    finite_job fj = {.d = d};
    sk_parallel_run_if(d->n >= RESCALE_PARALLEL_ROWS && d->p > 1, 2, finite_task, &fj);
    const bool second = fj.bad_row[1] < fj.bad_row[0] ||
                        (fj.bad_row[1] == fj.bad_row[0] && fj.bad_col[1] < fj.bad_col[0]);
    const size_t bad_row = fj.bad_row[second], bad_col = fj.bad_col[second];
    for (size_t i = 0; i < d->n; i++) {
        if (d->weights && !(d->weights[i] > 0 && isfinite(d->weights[i])))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 1, 0,
                                "Invalid weights, must be >0");
        if (d->offset && !isfinite(d->offset[i]))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 1, 0, "offset is not finite");
        if (d->strata && (d->strata[i] < 0 || (size_t)d->strata[i] >= d->n_strata))
            return sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, i + 1, 0, "bad stratum code");
        if (d->cluster && (d->cluster[i] < 0 || (size_t)d->cluster[i] >= d->n_clusters))
            return sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, i + 1, 0, "bad cluster code");
        if (i == bad_row)
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 1, bad_col + 1,
                                "data contains an infinite predictor");
    }
    return SURVKIT_OK;
}

static survkit_survreg_result *result_alloc(size_t n, size_t rows, size_t nsig, bool robust)
{
    survkit_survreg_result *r = calloc(1, sizeof *r);
    if (r == NULL) return NULL;
    r->names = calloc(rows, sizeof(char *));
    r->coef = sk_malloc_array(rows, sizeof(double));
    r->se = sk_malloc_array(rows, sizeof(double));
    r->z = sk_malloc_array(rows, sizeof(double));
    r->pvalue = sk_malloc_array(rows, sizeof(double));
    r->scale = sk_malloc_array(nsig, sizeof(double));
    r->vcov = sk_malloc_array(rows * rows, sizeof(double));
    r->lp = sk_malloc_huge(n, sizeof(double)); /* written by the evaluation's threads */
    if (robust) {
        r->naive_se = sk_malloc_array(rows, sizeof(double));
        r->naive_vcov = sk_malloc_array(rows * rows, sizeof(double));
    }
    r->rows = rows;
    if (!r->names || !r->coef || !r->se || !r->z || !r->pvalue || !r->scale || !r->vcov || !r->lp ||
        (robust && (!r->naive_se || !r->naive_vcov))) {
        survkit_survreg_result_free(r);
        return NULL;
    }
    return r;
}

static survkit_status name_rows(survkit_survreg_result *r, const survkit_survreg_data *d)
{
    char buf[32];
    for (size_t j = 0; j < r->rows; j++) {
        const char *name;
        if (j == 0) name = "(Intercept)";
        else if (j <= d->p) {
            snprintf(buf, sizeof buf, "x%zu", j);
            name = d->names && d->names[j - 1] ? d->names[j - 1] : buf;
        } else if (r->n_scales > 1 && d->strata_labels) name = d->strata_labels[j - 1 - d->p];
        else if (r->n_scales > 1) {
            snprintf(buf, sizeof buf, "%zu", j - d->p);
            name = buf;
        } else name = "Log(scale)";
        r->names[j] = sk_strdup(name);
        RETURN_ERROR_IF(r->names[j] == NULL, NULL, SURVKIT_ERR_NOMEM, "out of memory");
    }
    return SURVKIT_OK;
}

/* summary(survreg)'s table: value, se (sqrt of vcov's diagonal), z, 2 pnorm(-|z|). */
static void summary_table(survkit_survreg_result *r)
{
    const size_t m = r->rows;
    for (size_t j = 0; j < m; j++) {
        r->se[j] = sqrt(r->vcov[j + j * m]);
        if (r->naive_se) r->naive_se[j] = sqrt(r->naive_vcov[j + j * m]);
        r->z[j] = r->coef[j] / r->se[j];
        r->pvalue[j] = isnan(r->z[j]) ? NAN : erfc(fabs(r->z[j]) / 1.4142135623730951);
    }
    double df = r->df;
    r->chisq_p = df > 0 ? sk_cox_chisq_upper(r->chisq, df) : NAN;
}

typedef struct progress_relay {
    survkit_progress_fn fn;
    void *user;
    int iter_max;
} progress_relay;

static int relay(void *user, int iter, double loglik)
{
    progress_relay *pr = user;
    return pr->fn(pr->user, "fit", (uint64_t)iter, (uint64_t)pr->iter_max, loglik);
}

survkit_status survkit_survreg_fit_arrays(const survkit_survreg_data *d,
                                          const survkit_survreg_options *opt_in,
                                          survkit_survreg_result **out, survkit_error *err)
{
    RETURN_ERROR_IF(d == NULL || out == NULL, err, SURVKIT_ERR_ARGUMENT, "no data given");
    *out = NULL;
    survkit_survreg_options opt;
    if (opt_in) opt = *opt_in;
    else survkit_survreg_options_init(&opt);
    RETURN_IF_ERROR(check_data(d, &opt, err));
    const sk_sr_dist_info *info = sk_sr_dist(opt.dist);
    const double fixed = info->fixed_scale > 0 ? info->fixed_scale : opt.scale;
    const size_t n = d->n, nv = d->p + 1;
    const size_t nstrata = d->strata && d->n_strata > 1 ? d->n_strata : 1;
    const size_t ns = fixed > 0 ? 0 : nstrata, nsig = ns > 0 ? ns : 1, p2 = nv + ns;
    const bool robust = opt.robust == SURVKIT_SURVREG_ROBUST_ON ||
                        (opt.robust == SURVKIT_SURVREG_ROBUST_AUTO && d->cluster != NULL);

    fit_ctx c = {0};
    survkit_status status = SURVKIT_OK;
    /* the fit's arrays of n values in whole huge pages, mapped at once (memory.h: a fresh 4 KiB
     * page costs a fault; 2 MiB pages cut their number by 512) */
    c.y1 = sk_malloc_filled(n, sizeof(double));
    c.y2 = d->time2 ? sk_malloc_filled(n, sizeof(double)) : NULL;
    c.status = sk_malloc_filled(n, 1);
    c.center = sk_malloc_array(nv, sizeof(double));
    c.stdev = sk_malloc_array(nv, sizeof(double));
    c.beta = sk_malloc_array(nv + nsig, sizeof(double));
    c.var = sk_malloc_array(p2 * p2, sizeof(double));
    c.u = sk_malloc_array(p2, sizeof(double));
    survkit_survreg_result *r = result_alloc(n, p2, nsig, robust);
    if (!c.y1 || (d->time2 && !c.y2) || !c.status || !c.center || !c.stdev || !c.beta ||
        !c.var || !c.u || !r) {
        fit_ctx_free(&c);
        survkit_survreg_result_free(r);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    double logcorrect = 0;
    status = code_response(d, info, &c, &logcorrect, err);
    size_t constant = 0;
    c.nv = nv;
    c.x01 = sk_calloc_array(nv, sizeof(uint8_t *)); /* NULL: no column as bytes */
    /* one block for every column's bytes, mapped only where a 0/1 column is written */
    c.x01_block = c.x01 && nv > 1 ? sk_malloc_huge(nv, n) : NULL;
    const bool rescaled = status == SURVKIT_OK && rescaling(d, &c, &constant);
    if (status == SURVKIT_OK && constant > 0)
        status = sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, 0, 0,
                              "covariate '%s' is constant: survreg rescales it by its standard "
                              "deviation, which is 0 (R's survreg fails on it too)",
                              d->names && d->names[constant - 1] ? d->names[constant - 1] : "?");
    const sk_sr_problem pb = {.n = n, .nvar = nv, .nstrat = ns, .x = d->p > 0 ? d->x : NULL,
                              .x01 = (const uint8_t *const *)c.x01,
                              .center = rescaled ? c.center : NULL,
                              .stdev = rescaled ? c.stdev : NULL, .y1 = c.y1, .y2 = c.y2,
                              .status = c.status, .w = d->weights, .offset = d->offset,
                              .strata = nstrata > 1 ? d->strata : NULL, .base = info->base};
    double loglik0 = NAN;
    if (status == SURVKIT_OK) {
        c.work = sk_sr_work_new(&pb);
        if (c.work == NULL) status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    if (status == SURVKIT_OK)
        status = sk_sr_start(&pb, fixed > 0 ? log(fixed) : 0, opt.eps, opt.toler_chol, c.beta,
                             &loglik0, err);
    progress_relay pr = {opt.progress, opt.progress_user, opt.iter_max};
    sk_sr_newton_out no = {.var = c.var, .u = c.u, .eta = r->lp,
                           .progress = opt.progress ? relay : NULL, .progress_user = &pr};
    if (status == SURVKIT_OK)
        status = sk_sr_newton(&pb, c.work, c.beta, opt.iter_max, opt.eps, opt.toler_chol, &no, err);
    if (status == SURVKIT_OK) {
        /* r->lp holds R's linear.predictors, the rescaled x times the rescaled coefficients,
         * plus offset: the Newton iteration's last evaluation was at the returned point */
        if (robust) {
            c.robust = sk_malloc_array(p2 * p2, sizeof(double));
            if (c.robust == NULL)
                status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
            else {
                /* per row its own cluster without cluster(): R's cluster <- 1:n */
                status = sk_sr_robust(&pb, r->lp, c.beta + nv, d->cluster,
                                      d->cluster ? d->n_clusters : n, c.var, c.robust, err);
            }
        }
    }
    if (status != SURVKIT_OK) {
        fit_ctx_free(&c);
        survkit_survreg_result_free(r);
        return status;
    }
    memcpy(r->coef, c.beta, p2 * sizeof(double));
    memcpy(r->vcov, robust ? c.robust : c.var, p2 * p2 * sizeof(double));
    if (robust) memcpy(r->naive_vcov, c.var, p2 * p2 * sizeof(double));
    if (rescaled) {
        back_transform(&c, nv, p2, r->coef, r->vcov);
        if (robust) back_transform(&c, nv, p2, NULL, r->naive_vcov);
    }
    r->dist = opt.dist;
    r->n = n;
    for (size_t i = 0; i < n; i++) r->n_events += c.status[i] == SK_SR_EXACT;
    r->p = nv;
    r->n_scales = ns;
    r->scale_fixed = ns == 0;
    for (size_t k = 0; k < nsig; k++) r->scale[k] = ns > 0 ? exp(c.beta[nv + k]) : fixed;
    for (size_t k = 0; k < ns; k++) r->coef[nv + k] = log(r->scale[k]); /* summary: log(scale) */
    for (size_t j = 0; j < nv; j++) /* R: singular <- diag(fit$var) == 0 */
        if (r->vcov[j + j * p2] == 0) r->coef[j] = NAN;
    r->robust = robust;
    r->loglik = no.loglik + logcorrect;
    r->loglik0 = (nv == 1 ? no.loglik : loglik0) + logcorrect;
    r->iterations = no.iter;
    r->converged = no.flag != 1000;
    if (opt.iter_max > 1 && no.flag > (int)p2) add_warning(r, "Ran out of iterations and did not converge");
    r->chisq = 2 * (r->loglik - r->loglik0);
    r->df = (double)p2 - (double)(ns > 0 ? 1 + nstrata : 1);
    summary_table(r);
    status = name_rows(r, d);
    fit_ctx_free(&c);
    if (status != SURVKIT_OK) {
        survkit_survreg_result_free(r);
        return sk_error_set(err, status, NULL, 0, 0, "out of memory");
    }
    *out = r;
    return SURVKIT_OK;
}

survkit_status survkit_survreg_fit_frame(const survkit_frame *frame,
                                         const survkit_survreg_options *opt,
                                         survkit_survreg_result **out, survkit_error *err)
{
    RETURN_ERROR_IF(frame == NULL || out == NULL, err, SURVKIT_ERR_ARGUMENT, "no frame given");
    *out = NULL;
    RETURN_ERROR_IF(survkit_frame_response_kind(frame) == SURVKIT_RESPONSE_COUNTING, err,
                    SURVKIT_ERR_FORMULA, "start-stop type Surv objects are not supported");
    /* R's survreg penalises frailty(), ridge() and pspline(); survkit does not, and fitting
     * without the penalty (or the frailty) would answer another question */
    bool ridge = false;
    size_t rterm = 0;
    double rtheta;
    bool rscale;
    RETURN_IF_ERROR(survkit_frame_ridge(frame, &ridge, &rterm, &rtheta, &rscale, err));
    const char *penalised = survkit_frame_frailty(frame) != NULL ? survkit_frame_frailty_term(frame)
                            : ridge ? survkit_frame_term_label(frame, rterm)
                            : survkit_frame_n_pspline(frame) > 0
                                ? survkit_frame_term_label(frame, survkit_frame_pspline(frame, 0)->term)
                                : NULL;
    RETURN_ERROR_IF(penalised != NULL, err, SURVKIT_ERR_ARGUMENT,
                    "%s: survreg does not take penalised terms (frailty, ridge, pspline); survkit "
                    "cox fits them", penalised);
    const size_t p = survkit_frame_p(frame);
    for (size_t k = 0; k < survkit_frame_n_terms(frame); k++) {
        bool has_column = false;
        for (size_t j = 0; j < p && !has_column; j++) has_column = survkit_frame_column_term(frame, j) == k;
        RETURN_ERROR_IF(!has_column, err, SURVKIT_ERR_DOMAIN,
                        "term '%s': contrasts can be applied only to factors with 2 or more levels",
                        survkit_frame_term_label(frame, k));
    }
    const size_t ns = survkit_frame_n_strata(frame);
    const char **names = sk_calloc_array(p + 1, sizeof(char *));
    const char **labels = sk_calloc_array(ns + 1, sizeof(char *));
    if (names == NULL || labels == NULL) {
        free(names), free(labels);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t j = 0; j < p; j++) names[j] = survkit_frame_column_name(frame, j);
    for (size_t k = 0; k < ns; k++) labels[k] = survkit_frame_strata_label(frame, k);
    survkit_survreg_data d = {
        .n = survkit_frame_n(frame), .p = p,
        .time = survkit_frame_time(frame), .time2 = survkit_frame_time2(frame),
        .status = survkit_frame_status(frame),
        .x = survkit_frame_x(frame), .names = names,
        .weights = survkit_frame_weights(frame), .offset = survkit_frame_offset(frame),
        .strata = survkit_frame_strata(frame), .n_strata = ns, .strata_labels = labels,
        .cluster = survkit_frame_cluster(frame), .n_clusters = survkit_frame_n_clusters(frame),
    };
    survkit_status status = survkit_survreg_fit_arrays(&d, opt, out, err);
    free(names), free(labels);
    if (status != SURVKIT_OK && err != NULL && err->line > 0 && err->line <= d.n)
        err->line = survkit_frame_row_index(frame)[err->line - 1] + 2;
    return status;
}

/* Getters. */
survkit_survreg_dist survkit_survreg_result_dist(const survkit_survreg_result *r) { return r->dist; }
size_t survkit_survreg_result_n(const survkit_survreg_result *r) { return r->n; }
size_t survkit_survreg_result_n_events(const survkit_survreg_result *r) { return r->n_events; }
size_t survkit_survreg_result_p(const survkit_survreg_result *r) { return r->p; }
size_t survkit_survreg_result_n_scales(const survkit_survreg_result *r) { return r->n_scales; }
size_t survkit_survreg_result_n_rows(const survkit_survreg_result *r) { return r->rows; }
const char *survkit_survreg_result_name(const survkit_survreg_result *r, size_t j)
{
    return j < r->rows ? r->names[j] : NULL;
}
const double *survkit_survreg_result_coef(const survkit_survreg_result *r) { return r->coef; }
const double *survkit_survreg_result_se(const survkit_survreg_result *r) { return r->se; }
const double *survkit_survreg_result_naive_se(const survkit_survreg_result *r) { return r->naive_se; }
const double *survkit_survreg_result_z(const survkit_survreg_result *r) { return r->z; }
const double *survkit_survreg_result_pvalue(const survkit_survreg_result *r) { return r->pvalue; }
const double *survkit_survreg_result_scale(const survkit_survreg_result *r) { return r->scale; }
bool survkit_survreg_result_scale_fixed(const survkit_survreg_result *r) { return r->scale_fixed; }
const double *survkit_survreg_result_vcov(const survkit_survreg_result *r) { return r->vcov; }
const double *survkit_survreg_result_naive_vcov(const survkit_survreg_result *r) { return r->naive_vcov; }
bool survkit_survreg_result_is_robust(const survkit_survreg_result *r) { return r->robust; }
double survkit_survreg_result_loglik(const survkit_survreg_result *r) { return r->loglik; }
double survkit_survreg_result_loglik_null(const survkit_survreg_result *r) { return r->loglik0; }
double survkit_survreg_result_chisq(const survkit_survreg_result *r) { return r->chisq; }
double survkit_survreg_result_df(const survkit_survreg_result *r) { return r->df; }
double survkit_survreg_result_chisq_p(const survkit_survreg_result *r) { return r->chisq_p; }
int survkit_survreg_result_iterations(const survkit_survreg_result *r) { return r->iterations; }
bool survkit_survreg_result_converged(const survkit_survreg_result *r) { return r->converged; }
size_t survkit_survreg_result_n_warnings(const survkit_survreg_result *r) { return r->n_warnings; }
const char *survkit_survreg_result_warning(const survkit_survreg_result *r, size_t k)
{
    return k < r->n_warnings ? r->warnings[k] : NULL;
}
const double *survkit_survreg_result_linear_predictor(const survkit_survreg_result *r) { return r->lp; }

survkit_status survkit_survreg_mean_survival(const survkit_survreg_result *r,
                                             const int32_t *strata, size_t n_groups,
                                             const double *times, size_t n_times, double *out,
                                             survkit_error *err)
{
    RETURN_ERROR_IF(r == NULL || out == NULL || (n_times > 0 && times == NULL), err,
                    SURVKIT_ERR_ARGUMENT, "no fit or times given");
    const size_t groups = strata ? n_groups : 1;
    double *count = sk_calloc_array(groups, sizeof(double));
    RETURN_ERROR_IF(count == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
    const sk_sr_dist_info *info = sk_sr_dist(r->dist);
    memset(out, 0, groups * n_times * sizeof(double));
    for (size_t i = 0; i < r->n; i++) {
        const size_t g = strata ? (size_t)strata[i] : 0;
        RETURN_ERROR_IF(g >= groups, err, SURVKIT_ERR_ARGUMENT, "bad stratum code");
        const double sigma = r->scale[r->n_scales > 1 ? g : 0];
        count[g] += 1;
        for (size_t k = 0; k < n_times; k++) {
            const double y = info->log_time ? log(times[k]) : times[k];
            out[g * n_times + k] += sk_sr_survival(info->base, (y - r->lp[i]) / sigma);
        }
    }
    for (size_t g = 0; g < groups; g++)
        for (size_t k = 0; k < n_times; k++) out[g * n_times + k] /= count[g] > 0 ? count[g] : NAN;
    free(count);
    return SURVKIT_OK;
}
