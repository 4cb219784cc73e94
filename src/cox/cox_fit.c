/*
 * cox_fit.c: survkit_cox_fit_arrays / survkit_cox_fit_frame and the result object, following R's
 * coxph(): option checks, offset centring, which covariates are centred and scaled (R's nocenter
 * rule: columns whose values all lie in {-1, 0, 1} are left alone), the Newton-Raphson flavour
 * (coxph.fit, agreg.fit or coxexact.fit), aliased coefficients, the warnings in R's words, the
 * robust variance, the tests and the per-coefficient table of summary(coxph).
 *
 * R's reported means (fit$means) are the weighted column means for right-censored Breslow/Efron
 * fits and the plain column means for counting-process and exact fits, 0 for the {-1, 0, 1}
 * columns; the linear predictor is X b + offset - sum(b * means), with the offset centred on its
 * mean. The kernels themselves always work on covariates centred at their weighted means: the
 * partial likelihood does not depend on the centring, only the round-off does.
 */
#include "cox/cox_internal.h"
#include "core/memory.h"
#include "cox/concordance.h"
#include "core/bucket_sort.h"
#include "core/parallel.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_WARNINGS = 8, PARALLEL_MIN_ELEMENTS = 1 << 20, BYTE_COLUMNS_MIN_ROWS = 100000 };

/* Two threads for the O(n p) set-up passes when they are large enough to gain from them. */
static size_t n_tasks_for(size_t n, size_t p)
{
    return n * p >= PARALLEL_MIN_ELEMENTS ? 2 : 1;
}

struct survkit_cox_result_s {
    size_t n, p, df;
    double n_events;
    survkit_cox_ties ties;
    bool counting, robust, has_tests, converged;
    char **names;
    double *coef, *exp_coef, *se, *robust_se, *z, *pvalue, *lower, *upper;
    double *vcov, *naive_vcov, *means, *lp, *u;
    double conf_level, loglik0, loglik, aic;
    double test_stat[4], test_df[4], test_p[4];
    bool has_test[4];
    double concordance, concordance_se;
    int iterations;
    size_t n_warnings;
    char *warnings[MAX_WARNINGS];
};

void survkit_cox_options_init(survkit_cox_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->ties = SURVKIT_COX_EFRON;
    opt->eps = 1e-9;
    opt->iter_max = 20;
    opt->robust = SURVKIT_COX_ROBUST_AUTO;
    opt->conf_level = 0.95;
    opt->toler_chol = pow(2.220446049250313e-16, 0.75);
    opt->toler_inf = NAN;
}

void survkit_cox_result_free(survkit_cox_result *r)
{
    if (r == NULL) return;
    if (r->names)
        for (size_t j = 0; j < r->p; j++) free(r->names[j]);
    free(r->names);
    double *arrays[] = {r->coef, r->exp_coef, r->se, r->robust_se, r->z, r->pvalue, r->lower,
                        r->upper, r->vcov, r->naive_vcov, r->means, r->lp, r->u};
    for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++) free(arrays[k]);
    for (size_t k = 0; k < r->n_warnings; k++) free(r->warnings[k]);
    free(r);
}

static void add_warning(survkit_cox_result *r, const char *text)
{
    if (r->n_warnings < MAX_WARNINGS) {
        char *copy = sk_strdup(text);
        if (copy) r->warnings[r->n_warnings++] = copy;
    }
}

/* The 1-based indices of flagged coefficients, comma separated, as R's paste(collapse=","). */
static void infinite_warning(survkit_cox_result *r, const bool *flag, size_t p, const char *tail)
{
    char list[512] = "";
    size_t used = 0;
    bool any = false;
    for (size_t j = 0; j < p; j++) {
        if (!flag[j]) continue;
        int w = snprintf(list + used, sizeof list - used, "%s%zu", any ? "," : "", j + 1);
        if (w > 0 && (size_t)w < sizeof list - used) used += (size_t)w;
        any = true;
    }
    if (!any) return;
    char msg[700];
    snprintf(msg, sizeof msg, "Loglik converged before variable  %s ; %s may be infinite. ", list, tail);
    add_warning(r, msg);
}

/* Everything a fit owns besides the result. */
typedef struct fit_ctx {
    const survkit_cox_data *d;
    sk_cox_layout lay;
    sk_cox_problem pb;
    sk_cox_work *work;
    double *weights, *offset, *cmean;
    uint8_t **x_byte;         /* NULL, or p: column j as bytes when it holds only 0 and 1 */
    uint8_t *byte_block;      /* with x_byte: p x n bytes, column j's at j n (written when 0/1) */
    bool exact_nomem;
} fit_ctx;

static double eval_efron(void *ctx, const double *beta, double *u, double *imat)
{
    fit_ctx *c = ctx;
    return sk_cox_efron_eval(&c->pb, c->work, beta, u, imat);
}

static double eval_exact(void *ctx, const double *beta, double *u, double *imat)
{
    fit_ctx *c = ctx;
    bool nomem = false;
    double ll = sk_cox_exact_eval(&c->pb, beta, u, imat, &nomem);
    if (nomem) c->exact_nomem = true;
    return ll;
}

/*
 * R's coxph refuses initial values whose risk scores overflow (or all underflow): with
 * eta_i = x_i'init - colMeans(X)'init + offset_i, any exp(eta_i) > DBL_MAX or every exp(eta_i) = 0
 * is an error ("initial values lead to overflow or underflow of the exp function"). Without this
 * check the first iteration's log-likelihood is not finite and the fit would report NaN as a result.
 */
static survkit_status check_init(const survkit_cox_data *d, const survkit_cox_options *opt,
                                 survkit_error *err)
{
    if (opt->init == NULL || d->n == 0) return SURVKIT_OK;
    double centre = 0;
    for (size_t j = 0; j < d->p; j++) {
        double mean = 0;
        for (size_t i = 0; i < d->n; i++) mean += d->x[i + j * d->n];
        centre += mean / (double)d->n * opt->init[j];
    }
    bool any_positive = false;
    for (size_t i = 0; i < d->n; i++) {
        double eta = -centre + (d->offset ? d->offset[i] : 0);
        for (size_t j = 0; j < d->p; j++) eta += d->x[i + j * d->n] * opt->init[j];
        double risk = exp(eta);
        if (!(risk <= DBL_MAX)) { /* R's message, then the row and the column that caused it */
            size_t worst = 0;
            for (size_t j = 1; j < d->p; j++)
                if (fabs(d->x[i + j * d->n] * opt->init[j]) >
                    fabs(d->x[i + worst * d->n] * opt->init[worst]))
                    worst = j;
            char column[160];
            if (d->p == 0) snprintf(column, sizeof column, "the offset");
            else if (d->names) snprintf(column, sizeof column, "column '%s'", d->names[worst]);
            else snprintf(column, sizeof column, "column %zu", worst + 1);
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 1, 0,
                                "initial values lead to overflow or underflow of the exp function "
                                "(the linear predictor is %g here, mostly from %s)",
                                eta, column);
        }
        any_positive |= risk > 0;
    }
    RETURN_ERROR_IF(!any_positive, err, SURVKIT_ERR_DOMAIN,
                    "initial values lead to overflow or underflow of the exp function");
    return SURVKIT_OK;
}

static survkit_status check_data(const survkit_cox_data *d, const survkit_cox_options *opt,
                                 survkit_error *err)
{
    RETURN_ERROR_IF(d == NULL || d->time == NULL || d->status == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "time and status are required");
    RETURN_ERROR_IF(d->p > 0 && d->x == NULL, err, SURVKIT_ERR_ARGUMENT, "x is required when p > 0");
    /* a frailty is another model (survkit_frailty_fit_frame): fitting without it would answer
     * another question */
    RETURN_ERROR_IF(d->frailty != NULL, err, SURVKIT_ERR_ARGUMENT,
                    "the data have frailty groups: fit them with survkit_frailty_fit_frame");
    /* BLAS and LAPACK take int dimensions (OpenBLAS's LP64 interface): refuse rather than wrap. */
    RETURN_ERROR_IF(d->n > INT_MAX || d->p > INT_MAX, err, SURVKIT_ERR_ARGUMENT,
                    "%zu rows x %zu columns: one Cox fit takes at most 2^31-1 rows (32-bit BLAS "
                    "dimensions)", d->n, d->p);
    RETURN_ERROR_IF(opt->ties != SURVKIT_COX_EFRON && opt->ties != SURVKIT_COX_BRESLOW &&
                        opt->ties != SURVKIT_COX_EXACT,
                    err, SURVKIT_ERR_ARGUMENT, "unknown ties method");
    RETURN_ERROR_IF(!(opt->eps > 0), err, SURVKIT_ERR_ARGUMENT, "Invalid convergence criteria");
    RETURN_ERROR_IF(opt->iter_max < 0, err, SURVKIT_ERR_ARGUMENT, "Invalid value for iterations");
    RETURN_ERROR_IF(!(opt->conf_level > 0 && opt->conf_level < 1), err, SURVKIT_ERR_ARGUMENT,
                    "the confidence level must lie strictly between 0 and 1");
    RETURN_ERROR_IF(!(opt->toler_chol > 0), err, SURVKIT_ERR_ARGUMENT, "toler_chol must be > 0");
    RETURN_ERROR_IF(opt->init != NULL && opt->n_init != d->p, err, SURVKIT_ERR_ARGUMENT,
                    "wrong length for init argument: %zu values for %zu coefficients", opt->n_init,
                    d->p);
    for (size_t j = 0; opt->init && j < d->p; j++)
        RETURN_ERROR_IF(!isfinite(opt->init[j]), err, SURVKIT_ERR_ARGUMENT,
                        "init value %zu is not finite", j + 1);
    for (size_t i = 0; d->weights && i < d->n; i++)
        if (!(d->weights[i] > 0) || !isfinite(d->weights[i]))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 1, 0,
                                "Invalid weights, must be >0");
    for (size_t i = 0; d->offset && i < d->n; i++)
        if (!isfinite(d->offset[i]) || !isfinite(exp(d->offset[i])))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 1, 0,
                                "offsets must lead to a finite risk score");
    for (size_t i = 0; d->cluster && i < d->n; i++)
        if (d->cluster[i] < 0 || (size_t)d->cluster[i] >= d->n_clusters)
            return sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, i + 1, 0,
                                "cluster code out of range");
    RETURN_IF_ERROR(check_init(d, opt, err));
    if (opt->ties == SURVKIT_COX_EXACT) {
        RETURN_ERROR_IF(d->start != NULL, err, SURVKIT_ERR_ARGUMENT,
                        "ties = exact is not supported for counting-process data");
        for (size_t i = 0; d->weights && i < d->n; i++)
            RETURN_ERROR_IF(d->weights[i] != 1, err, SURVKIT_ERR_ARGUMENT,
                            "Case weights are not supported for the exact method");
    }
    return SURVKIT_OK;
}

/*
 * Per column of X, one read: the weighted sum sum_i w_i x_ij (four running sums, the same order on
 * every machine), whether the column holds only -1, 0 and 1 (R does not scale those) and whether
 * every value is finite. Then, while the last level of cache still holds the column, what needs
 * its mean or its 0/1 test: coxfit6's scale sum and, in large fits, the byte copy of a 0/1 column.
 * Each column is one piece of work of the set-up (setup_task).
 */
typedef struct column_job {
    const double *x, *weights;
    bool unit_weights; /* every weight is 1: weights is not read */
    size_t n, p, n_tasks;
    double sumw;     /* sum of the weights */
    double *wsum;
    double *abs_dev; /* NULL, or sum_i w_i |x_ij - mean_j| (coxfit6's scale), read again at once */
    uint8_t **x_byte; /* NULL, or p: a 0/1 column's bytes, made at once (NULL for other columns) */
    uint8_t *byte_block; /* with x_byte: room for every column's bytes, its pages mapped as written */
    bool *zero_one, *finite;
} column_job;

static void column_pass(column_job *job, size_t j)
{
    const size_t n = job->n;
    const double *w = job->unit_weights ? NULL : job->weights;
    const double *x = job->x + j * n;
    /* Four running sums of each kind, so that the loop vectorises (the same order on every
     * machine). nan_k collect x * 0, which is NaN for an infinite or missing x and 0 otherwise.
     * sign_k collect |x^2 - |x||, zero exactly when x is -1, 0 or 1 (R does not scale such a
     * column), bin_k |x^2 - x|, zero exactly when x is 0 or 1 (subnormal x: x^2 is 0, not |x|;
     * a huge one overflows to infinity; NaN stays NaN: none of them sums to zero). With unit
     * weights w_i x_i is x_i, so the sums are the weighted ones bit for bit. */
    double s[4] = {0, 0, 0, 0}, nan[4] = {0, 0, 0, 0}, sign[4] = {0, 0, 0, 0};
    double bin[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (size_t k = 0; k < 4; k++) {
            const double v = x[i + k];
            s[k] += w != NULL ? w[i + k] * v : v;
            nan[k] += v * 0.0;
            sign[k] += fabs(v * v - fabs(v));
            bin[k] += fabs(v * v - v);
        }
    for (; i < n; i++) {
        const double v = x[i];
        s[0] += w != NULL ? w[i] * v : v;
        nan[0] += v * 0.0;
        sign[0] += fabs(v * v - fabs(v));
        bin[0] += fabs(v * v - v);
    }
    const bool binary = (bin[0] + bin[1]) + (bin[2] + bin[3]) == 0;
    job->wsum[j] = (s[0] + s[1]) + (s[2] + s[3]);
    job->zero_one[j] = (sign[0] + sign[1]) + (sign[2] + sign[3]) == 0;
    job->finite[j] = (nan[0] + nan[1]) + (nan[2] + nan[3]) == 0;
    if (job->x_byte != NULL && binary) { /* the kernels' passes read it at 1/8 of the traffic */
        uint8_t *bytes = job->byte_block + j * n;
        for (i = 0; i < n; i++) bytes[i] = (uint8_t)x[i];
        job->x_byte[j] = bytes;
    }
    if (job->abs_dev == NULL || job->zero_one[j] || !job->finite[j]) return;
    /* The column again, while the last level of cache still holds it. */
    const double mean = job->wsum[j] / job->sumw;
    double a[4] = {0, 0, 0, 0};
    for (i = 0; i + 4 <= n; i += 4)
        for (size_t k = 0; k < 4; k++) {
            const double dev = fabs(x[i + k] - mean);
            a[k] += w != NULL ? w[i + k] * dev : dev;
        }
    for (; i < n; i++) a[0] += w != NULL ? w[i] * fabs(x[i] - mean) : fabs(x[i] - mean);
    job->abs_dev[j] = (a[0] + a[1]) + (a[2] + a[3]);
}

/*
 * The set-up passes, which need nothing from each other: the risk-set layout (time, status,
 * strata; the order of rows by time only where the exact kernel or agfit4's scale needs it) and
 * the column pass of each column of X. They are p + 1 pieces of work, the layout first, that the
 * tasks take one at a time as they come free, so that the threads finish together whatever the
 * pieces cost; each piece writes only its own results, so the numbers do not depend on who ran it.
 */
typedef struct setup_job {
    fit_ctx *c;
    bool with_order;
    column_job *cols;
    survkit_error *err;
    survkit_status layout_status;
    atomic_size_t next_piece; /* 0: the layout, 1 + j: column j */
} setup_job;

static void setup_task(void *ctx, size_t t)
{
    (void)t;
    setup_job *job = ctx;
    const survkit_cox_data *d = job->c->d;
    for (;;) {
        const size_t piece = atomic_fetch_add(&job->next_piece, 1);
        if (piece > job->cols->p) return;
        if (piece > 0) {
            column_pass(job->cols, piece - 1);
            continue;
        }
        job->layout_status = sk_cox_layout_build(d->n, d->start, d->time, d->status,
                                                 job->c->weights, d->strata, d->n_strata,
                                                 job->with_order, &job->c->lay, job->err);
    }
}

/*
 * R's per-column scale (x_scaled = x * scale): coxfit6 uses sum(w) / sum(w |x - mean_w|); agfit4
 * the same about the first row of its sort (the row with the latest stop time in the first
 * stratum, among rows ever at risk); coxexact 1 / sd(x). Columns in {-1, 0, 1} are not scaled.
 * coxfit6's sums come from the column pass (column_task); the other two are computed here.
 */
typedef struct scale_job {
    const fit_ctx *c;
    sk_cox_flavour fl;
    const bool *zero_one;
    size_t first, n_tasks;
    double *scale;
} scale_job;

/* r_scale for task t's share of the columns (each column alone: the same numbers on any split). */
static void scale_task(void *ctx, size_t t)
{
    const scale_job *job = ctx;
    const fit_ctx *c = job->c;
    const survkit_cox_data *d = c->d;
    const size_t n = d->n, first = job->first;
    const sk_cox_flavour fl = job->fl;
    double *scale = job->scale;
    size_t lo, hi;
    sk_parallel_range(d->p, job->n_tasks, t, &lo, &hi);
    for (size_t j = lo; j < hi; j++) {
        const double *x = d->x + j * n;
        scale[j] = 1;
        if (job->zero_one[j]) continue;
        if (fl == SK_COX_EXACT) { /* R's scale(): long double sums */
            long double m = 0, ss = 0;
            for (size_t i = 0; i < n; i++) m += x[i];
            double mean = (double)(m / (long double)n);
            for (size_t i = 0; i < n; i++) ss += (long double)(x[i] - mean) * (x[i] - mean);
            double sd = n > 1 ? sqrt((double)(ss / (long double)(n - 1))) : 0;
            if (sd > 0) scale[j] = 1 / sd;
            continue;
        }
        double centre = first == SIZE_MAX ? 0 : x[first]; /* agfit4 */
        double sw = 0, sa = 0;
        for (size_t i = 0; i < n; i++) {
            if (c->lay.kin[i] == c->lay.kout[i]) continue;
            sw += c->weights[i];
            sa += c->weights[i] * fabs(x[i] - centre);
        }
        if (sa > 0) scale[j] = sw / sa;
    }
}

static void r_scale(const fit_ctx *c, sk_cox_flavour fl, const bool *zero_one,
                    const double *abs_dev, double sumw, double *scale)
{
    const survkit_cox_data *d = c->d;
    if (fl == SK_COX_COXFIT6) { /* sum(w) / sum(w |x - mean_w|), from the column pass */
        for (size_t j = 0; j < d->p; j++)
            scale[j] = !zero_one[j] && abs_dev[j] > 0 ? sumw / abs_dev[j] : 1;
        return;
    }
    size_t first = SIZE_MAX;
    if (fl == SK_COX_AGFIT4) {
        for (size_t s = 0; s < c->lay.n_strata && first == SIZE_MAX; s++)
            for (size_t q = c->lay.stratum_first_row[s]; q < c->lay.stratum_first_row[s + 1]; q++) {
                size_t i = c->lay.order[q];
                if (c->lay.kin[i] == c->lay.kout[i]) continue;
                if (first == SIZE_MAX || d->time[i] > d->time[first] ||
                    (d->time[i] == d->time[first] && i < first))
                    first = i;
                else break;
            }
    }
    scale_job job = {c, fl, zero_one, first, n_tasks_for(d->n, d->p), scale};
    sk_parallel_run(job.n_tasks, scale_task, &job);
}

/* The centred offset of row i (0 without one). */
static double offset_at(const fit_ctx *c, size_t i)
{
    return c->offset ? c->offset[i] : 0.0;
}

/*
 * The linear predictor computed in R's order of operations, so that rows whose linear predictors
 * tie in R tie here too (the concordance counts ties): coxph.fit and agreg.fit take
 * c(x %*% coef) + offset - sum(coef * means), coxexact.fit newx %*% coef_scaled + offset with
 * newx = scale(x) (sum() and colMeans() accumulate in long double).
 */
typedef struct lp_job {
    const fit_ctx *c;
    const double *beta;
    double shift, *lp;
    size_t n_tasks;
} lp_job;

/* lp_i = sum_j x_ij b_j (j in order) + offset_i - shift for task t's share of the rows. */
static void lp_task(void *ctx, size_t t)
{
    const lp_job *job = ctx;
    const survkit_cox_data *d = job->c->d;
    const size_t n = d->n;
    size_t lo, hi;
    sk_parallel_range(n, job->n_tasks, t, &lo, &hi);
    double *lp = job->lp;
    for (size_t i = lo; i < hi; i++) lp[i] = 0;
    for (size_t j = 0; j < d->p; j++) {
        const double *x = d->x + j * n;
        const uint8_t *bytes = job->c->x_byte != NULL ? job->c->x_byte[j] : NULL;
        const double b = job->beta[j];
        if (bytes != NULL) /* the same 0 and 1, an eighth of the reading */
            for (size_t i = lo; i < hi; i++) lp[i] += (double)bytes[i] * b;
        else
            for (size_t i = lo; i < hi; i++) lp[i] += x[i] * b;
    }
    const double *offset = job->c->offset;
    for (size_t i = lo; i < hi; i++) lp[i] = lp[i] + (offset ? offset[i] : 0.0) - job->shift;
}

static void linear_predictor(const fit_ctx *c, sk_cox_flavour fl, const bool *zero_one,
                             const sk_cox_newton_out *nw, survkit_cox_result *r)
{
    const survkit_cox_data *d = c->d;
    const size_t n = d->n, p = d->p;
    long double s = 0;
    if (fl != SK_COX_EXACT) {
        for (size_t j = 0; j < p; j++) s += (long double)nw->beta[j] * r->means[j];
        lp_job job = {c, nw->beta, (double)s, r->lp, n_tasks_for(n, p)};
        sk_parallel_run(job.n_tasks, lp_task, &job);
        return;
    }
    for (size_t i = 0; i < n; i++) r->lp[i] = 0;
    for (size_t j = 0; j < p; j++) {
        const double *x = d->x + j * n;
        if (zero_one[j]) {
            for (size_t i = 0; i < n; i++) r->lp[i] += x[i] * nw->beta_scaled[j];
            continue;
        }
        long double m = 0, ss = 0;
        for (size_t i = 0; i < n; i++) m += x[i];
        double mean = (double)(m / (long double)n);
        for (size_t i = 0; i < n; i++) ss += (long double)(x[i] - mean) * (x[i] - mean);
        double sd = sqrt((double)(ss / (long double)(n > 1 ? n - 1 : 1)));
        for (size_t i = 0; i < n; i++) r->lp[i] += ((x[i] - mean) / sd) * nw->beta_scaled[j];
    }
    for (size_t i = 0; i < n; i++) r->lp[i] = r->lp[i] + offset_at(c, i) - (double)s;
}

/* Allocate the per-coefficient arrays of the result. */
static bool result_alloc(survkit_cox_result *r, size_t n, size_t p, bool robust)
{
    double **vectors[] = {&r->coef, &r->exp_coef, &r->se, &r->z, &r->pvalue, &r->lower, &r->upper,
                          &r->means, &r->u};
    for (size_t k = 0; k < sizeof vectors / sizeof vectors[0]; k++) {
        *vectors[k] = sk_calloc_array(p, sizeof(double));
        if (*vectors[k] == NULL) return false;
    }
    r->vcov = sk_calloc_array(p * p, sizeof(double));
    r->lp = sk_malloc_filled(n, sizeof(double)); /* every path writes it whole */
    r->names = sk_calloc_array(p, sizeof(char *));
    if (!r->vcov || !r->lp || !r->names) return false;
    if (robust) {
        r->robust_se = sk_calloc_array(p, sizeof(double));
        r->naive_vcov = sk_calloc_array(p * p, sizeof(double));
        if (!r->robust_se || !r->naive_vcov) return false;
    }
    return true;
}

static void fit_ctx_free(fit_ctx *c)
{
    sk_cox_layout_free(&c->lay);
    sk_cox_work_free(c->work);
    free(c->weights), free(c->offset), free(c->cmean);
    free(c->x_byte), free(c->byte_block);
}

/* The per-coefficient table, tests and AIC of summary(coxph). */
static survkit_status summarise(survkit_cox_result *r, const double *init, double toler_chol,
                                survkit_error *err)
{
    const size_t p = r->p;
    double q = sk_cox_normal_quantile((1 + r->conf_level) / 2);
    size_t df = 0;
    for (size_t j = 0; j < p; j++) df += !isnan(r->coef[j]);
    r->df = df;
    for (size_t j = 0; j < p; j++) {
        double b = r->coef[j], se = sqrt(r->vcov[j + j * p]);
        if (r->robust) { /* summary.coxph: se(coef) naive, robust se from the robust variance */
            r->robust_se[j] = se;
            r->se[j] = sqrt(r->naive_vcov[j + j * p]);
        } else {
            r->se[j] = se;
        }
        r->exp_coef[j] = exp(b);
        r->z[j] = b / se;
        r->pvalue[j] = sk_cox_chisq_upper(r->z[j] * r->z[j], 1);
        r->lower[j] = exp(b - q * se);
        r->upper[j] = exp(b + q * se);
    }
    r->aic = -2 * r->loglik + 2 * (double)df;
    if (!r->has_tests) return SURVKIT_OK;

    /* Wald test on the non-aliased coefficients, R's coxph.wtest. */
    double *sub = sk_malloc_array(2 * p * p + 3 * p + 1, sizeof(double));
    RETURN_ERROR_IF(sub == NULL, err, SURVKIT_ERR_NOMEM, "out of memory (Wald test)");
    double *b = sub + p * p, *scratch = b + p;
    size_t m = 0;
    for (size_t j = 0; j < p; j++) {
        if (isnan(r->coef[j])) continue;
        b[m] = r->coef[j] - (init ? init[j] : 0);
        size_t m2 = 0;
        for (size_t i = 0; i < p; i++)
            if (!isnan(r->coef[i])) sub[m2++ + m * df] = r->vcov[i + j * p];
        m++;
    }
    size_t rank = 0;
    double wald = m > 0 ? sk_cox_wald(sub, b, m, toler_chol, scratch, &rank) : 0;
    free(sub);

    double dfd = (double)df;
    r->test_stat[SURVKIT_COX_TEST_LR] = -2 * (r->loglik0 - r->loglik);
    r->test_stat[SURVKIT_COX_TEST_WALD] = wald;
    for (int k = 0; k < 4; k++) {
        if (k == SURVKIT_COX_TEST_ROBUST_SCORE && !r->robust) continue;
        r->has_test[k] = true;
        r->test_df[k] = dfd;
        r->test_p[k] = sk_cox_chisq_upper(r->test_stat[k], dfd);
    }
    return SURVKIT_OK;
}

/* R's rules for the warnings after the iteration (coxph.fit, agreg.fit, coxexact.fit). */
static void iteration_warnings(survkit_cox_result *r, sk_cox_flavour fl,
                               const sk_cox_newton_out *nw, const survkit_cox_options *opt,
                               double toler_inf, size_t p, double max_lp)
{
    if (opt->iter_max <= 1) return;
    const bool scaled = fl == SK_COX_EXACT;
    const double *u = scaled ? nw->u_scaled : nw->u, *var = scaled ? nw->var_scaled : nw->var;
    const double *coef = scaled ? nw->beta_scaled : nw->beta;
    bool *flag = sk_calloc_array(p, sizeof(bool));
    if (flag == NULL) return;
    bool any_nonfinite = false;
    for (size_t j = 0; j < p; j++) {
        double infs = 0;
        for (size_t i = 0; i < p; i++) infs += u[i] * var[i + j * p];
        infs = fabs(infs);
        if (!isfinite(infs)) any_nonfinite = true;
        if (fl == SK_COX_AGFIT4)
            flag[j] = !isfinite(u[j]) || infs > toler_inf * (1 + fabs(coef[j]));
        else
            flag[j] = (fl == SK_COX_COXFIT6 && !isfinite(u[j])) ||
                      (infs > opt->eps && infs > toler_inf * fabs(coef[j]));
    }
    if (!nw->converged) {
        add_warning(r, "Ran out of iterations and did not converge");
        if (fl == SK_COX_COXFIT6) {
            if (max_lp > 500 || any_nonfinite) add_warning(r, "one or more coefficients may be infinite");
        }
    } else {
        infinite_warning(r, flag, p, fl == SK_COX_COXFIT6 ? "coefficient" : "beta");
    }
    free(flag);
}

survkit_status survkit_cox_fit_arrays(const survkit_cox_data *d, const survkit_cox_options *opt_in,
                                      survkit_cox_result **out, survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL, err, SURVKIT_ERR_ARGUMENT, "no place for the result");
    *out = NULL;
    survkit_cox_options defaults;
    survkit_cox_options_init(&defaults);
    const survkit_cox_options *opt = opt_in ? opt_in : &defaults;
    RETURN_IF_ERROR(check_data(d, opt, err));
    const size_t n = d->n, p = d->p;
    RETURN_ERROR_IF(n == 0, err, SURVKIT_ERR_NO_DATA, "No (non-missing) observations");
    const double toler_inf = isnan(opt->toler_inf) ? sqrt(opt->eps) : opt->toler_inf;

    /* Robust or not, as R's coxph decides. */
    bool has_rwt = false;
    for (size_t i = 0; d->weights && i < n; i++)
        if (!sk_is_integer(d->weights[i])) has_rwt = true;
    bool robust = opt->robust == SURVKIT_COX_ROBUST_ON ||
                  (opt->robust == SURVKIT_COX_ROBUST_AUTO && (d->cluster != NULL || has_rwt));
    const int32_t *cluster = robust ? d->cluster : NULL;
    RETURN_ERROR_IF(robust && cluster == NULL && d->start != NULL &&
                        opt->robust == SURVKIT_COX_ROBUST_ON,
                    err, SURVKIT_ERR_ARGUMENT, "one of cluster or id is needed");
    RETURN_ERROR_IF(robust && opt->ties == SURVKIT_COX_EXACT, err, SURVKIT_ERR_ARGUMENT,
                    "dfbeta residuals are not available for the exact method");

    survkit_status status = SURVKIT_OK;
    fit_ctx c = {0};
    c.d = d;
    survkit_cox_result *r = calloc(1, sizeof *r);
    c.weights = sk_malloc_filled(n, sizeof(double));
    c.cmean = sk_calloc_array(p + 1, sizeof(double));
    double *nwmem = sk_calloc_array(4 * p * p + 5 * p + 1, sizeof(double));
    double *scale = sk_malloc_array(p + 1, sizeof(double));
    double *init = sk_calloc_array(p + 1, sizeof(double));
    double *eta_init = sk_calloc_array(n, sizeof(double));
    double *spare_risk = NULL; /* the work's risks, kept for the concordance */
    void *spare_block = NULL;  /* the work's scratch block, kept for the concordance */
    size_t spare_bytes = 0;
    bool *zero_one = sk_calloc_array(p + 1, sizeof(bool));
    bool *finite = sk_calloc_array(p + 1, sizeof(bool));
    double *abs_dev = sk_calloc_array(p + 1, sizeof(double));
    if (!r || !c.weights || !c.cmean || !nwmem || !scale || !init ||
        !eta_init || !zero_one || !finite || !abs_dev || !result_alloc(r, n, p, robust)) {
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (Cox fit)");
        goto fail;
    }
    r->n = n;
    r->p = p;
    r->ties = opt->ties;
    r->counting = d->start != NULL;
    r->robust = robust;
    r->conf_level = opt->conf_level;
    r->concordance = r->concordance_se = NAN;
    for (size_t j = 0; j < p; j++) {
        char buf[32];
        snprintf(buf, sizeof buf, "x%zu", j + 1);
        r->names[j] = sk_strdup(d->names && d->names[j] ? d->names[j] : buf);
        if (r->names[j] == NULL) {
            status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (Cox fit)");
            goto fail;
        }
    }
    if (opt->robust == SURVKIT_COX_ROBUST_OFF && d->cluster != NULL)
        add_warning(r, "cluster specified with robust=FALSE, cluster ignored");

    /* Weights, the offset centred on its mean (R), the centred covariates. */
    double sumw = 0, events = 0;
    for (size_t i = 0; i < n; i++) {
        c.weights[i] = d->weights ? d->weights[i] : 1.0;
        sumw += c.weights[i];
        events += d->status[i];
    }
    r->n_events = events;
    if (d->offset) { /* c.offset stays NULL when there is none or it is all zero */
        double mo = 0;
        bool all_zero = true;
        for (size_t i = 0; i < n; i++) mo += d->offset[i], all_zero = all_zero && d->offset[i] == 0;
        mo /= (double)n;
        if (!all_zero && (c.offset = sk_malloc_filled(n, sizeof(double))) == NULL) {
            status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (Cox fit)");
            goto fail;
        }
        for (size_t i = 0; i < n && !all_zero; i++) c.offset[i] = d->offset[i] - mo;
    }
    const bool coxfit6 = opt->ties != SURVKIT_COX_EXACT && d->start == NULL;
    /* Large fits keep their 0/1 columns (indicators, factor dummies) as bytes too, in one block
     * whose pages are mapped only where a column is written (in huge pages: the columns of a fit
     * with many 0/1 columns are many megabytes of fresh memory). */
    if (n >= BYTE_COLUMNS_MIN_ROWS && p > 0 &&
        ((c.x_byte = sk_calloc_array(p, sizeof *c.x_byte)) == NULL ||
         (c.byte_block = sk_malloc_huge(p, n)) == NULL)) {
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (Cox fit)");
        goto fail;
    }
    column_job cols = {d->x,     c.weights, d->weights == NULL, n,        p,     n_tasks_for(n, p),
                       sumw,     c.cmean,   coxfit6 ? abs_dev : NULL, c.x_byte,
                       c.byte_block, zero_one, finite};
    /* The layout needs nothing from the column pass: it runs beside it. */
    setup_job setup = {&c, opt->ties == SURVKIT_COX_EXACT || d->start != NULL, &cols, err,
                       SURVKIT_OK, 0};
    sk_parallel_run_if(cols.n_tasks > 1, cols.n_tasks, setup_task, &setup);
    for (size_t j = 0; j < p; j++) {
        if (finite[j]) continue;
        size_t i = 0;
        while (isfinite(d->x[j * n + i])) i++;
        if (d->names)
            status = sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 1, 0,
                                  "data contains an infinite or missing predictor (column '%s')",
                                  d->names[j]);
        else
            status = sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 1, 0,
                                  "data contains an infinite or missing predictor (column %zu)",
                                  j + 1);
        goto fail;
    }
    for (size_t j = 0; j < p; j++) c.cmean[j] /= sumw;
    for (size_t j = 0; opt->init && j < p; j++) init[j] = opt->init[j];

    status = setup.layout_status;
    if (status != SURVKIT_OK) goto fail;

    const sk_cox_flavour fl = opt->ties == SURVKIT_COX_EXACT ? SK_COX_EXACT
                              : d->start ? SK_COX_AGFIT4 : SK_COX_COXFIT6;
    /* R's reported means. */
    for (size_t j = 0; j < p; j++) {
        if (zero_one[j]) continue;
        if (fl == SK_COX_COXFIT6) {
            r->means[j] = c.cmean[j];
        } else { /* colMeans: a long double sum */
            long double m = 0;
            for (size_t i = 0; i < n; i++) m += d->x[i + j * n];
            r->means[j] = (double)(m / (long double)n);
        }
    }

    if (events == 0) { /* R: coefficients NA, zero variance, loglik 0, no iterations */
        for (size_t j = 0; j < p; j++) r->coef[j] = NAN;
        for (size_t i = 0; i < n; i++) r->lp[i] = offset_at(&c, i);
        r->converged = true;
        r->has_tests = false;
        status = summarise(r, NULL, opt->toler_chol, err);
        if (status != SURVKIT_OK) goto fail;
        r->df = 0;
        r->aic = 0;
        *out = r;
        goto done;
    }

    c.pb = (sk_cox_problem){&c.lay,    n,         p,         d->x,
                            c.cmean,   c.weights, d->weights == NULL,  c.offset,
                            d->status, opt->ties == SURVKIT_COX_EFRON,
                            (const uint8_t *const *)c.x_byte};
    /* The result's linear predictor is written only after the iteration: until then it is the
     * work's eta (not with the robust variance, whose score residuals at two etas need both). */
    /* The workspace's block is then the concordance's sorted rows (an sk_sort_item a row): the
     * concordance maps no fresh pages for them. */
    status = sk_cox_work_create_in(&c.pb, robust ? NULL : r->lp, n <= SIZE_MAX / sizeof(sk_sort_item) ? n * sizeof(sk_sort_item) : 0,
                                   &c.work, err);
    if (status != SURVKIT_OK) goto fail;

    sk_cox_newton_out nw = {
        .beta = nwmem, .u = nwmem + p, .u_scaled = nwmem + 2 * p, .beta_scaled = nwmem + 3 * p,
        .var = nwmem + 5 * p, .var_scaled = nwmem + 5 * p + p * p};
    if (p == 0) {
        double dummy_u = 0, dummy_i = 0;
        for (size_t i = 0; i < n; i++) r->lp[i] = offset_at(&c, i);
        double ll = fl == SK_COX_EXACT ? eval_exact(&c, NULL, &dummy_u, &dummy_i)
                                       : eval_efron(&c, NULL, &dummy_u, &dummy_i);
        r->loglik0 = r->loglik = ll;
        r->converged = true;
        r->aic = -2 * ll;
        *out = r;
        goto done;
    }

    r_scale(&c, fl, zero_one, abs_dev, sumw, scale);
    sk_cox_newton_in nin = {fl, p, scale, init, opt->iter_max, opt->eps, opt->toler_chol,
                            fl == SK_COX_EXACT ? eval_exact : eval_efron, &c, opt->progress,
                            opt->progress_user};
    status = sk_cox_newton(&nin, &nw, err);
    if (status != SURVKIT_OK) goto fail;
    if (c.exact_nomem) {
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (exact ties)");
        goto fail;
    }
    r->loglik0 = nw.loglik0;
    r->loglik = nw.loglik;
    r->iterations = nw.iterations;
    r->converged = nw.converged;
    r->has_tests = true;
    r->test_stat[SURVKIT_COX_TEST_SCORE] = nw.score_test;
    memcpy(r->vcov, nw.var, p * p * sizeof(double));
    memcpy(r->u, nw.u, p * sizeof(double));

    linear_predictor(&c, fl, zero_one, &nw, r);

    /* Aliased coefficients: R's flag < nvar and a zero variance. */
    bool check_sing = nw.flag < (int)p;
    for (size_t j = 0; j < p; j++) {
        r->coef[j] = nw.beta[j];
        if (opt->iter_max > 0 && check_sing && nw.var[j + j * p] == 0) r->coef[j] = NAN;
    }
    double max_lp = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (r->lp[i] > max_lp) max_lp = r->lp[i];
    iteration_warnings(r, fl, &nw, opt, toler_inf, p, max_lp);

    if (robust) {
        bool any_coef = false;
        for (size_t j = 0; j < p; j++) any_coef = any_coef || !isnan(r->coef[j]);
        memcpy(r->naive_vcov, nw.var, p * p * sizeof(double));
        if (any_coef) {
            /* The robust score test starts from X init (no offset) with a cluster, from 0 without. */
            if (cluster && opt->init)
                for (size_t i = 0; i < n; i++) {
                    double v = 0;
                    for (size_t j = 0; j < p; j++) v += (d->x[i + j * n] - c.cmean[j]) * init[j];
                    eta_init[i] = v;
                }
            sk_cox_robust_in rin = {&c.pb, c.work, r->lp, eta_init, nw.var, cluster,
                                    cluster ? d->n_clusters : 0, opt->toler_chol};
            double rscore = 0;
            status = sk_cox_robust(&rin, r->vcov, &rscore, err);
            if (status != SURVKIT_OK) goto fail;
            r->test_stat[SURVKIT_COX_TEST_ROBUST_SCORE] = rscore;
        } else {
            r->robust = false;
        }
    }

    /* The kernels are done: their memory goes back before the concordance takes its own, but for
     * the risks and the weights, which the concordance reuses for its n-sized scratch (pages
     * mapped already, where fresh ones would cost a fault and the kernel's zeroing each). */
    spare_risk = sk_cox_work_take_risk(c.work);
    spare_block = sk_cox_work_take_block(c.work, &spare_bytes);
    sk_cox_work_free(c.work);
    c.work = NULL;
    free(eta_init);
    eta_init = NULL;
    status = summarise(r, opt->init ? init : NULL, opt->toler_chol, err);
    if (status != SURVKIT_OK) goto fail;
    /* The concordance reuses the layout's time slots. R passes coxph's cluster to concordancefit:
     * its std is then the grouped jackknife. */
    sk_concordance_loan loan = {{spare_risk, c.weights}, spare_block, spare_bytes};
    status = sk_concordance_layout(&c.lay, d->status, r->lp, d->weights, cluster,
                                   cluster ? d->n_clusters : 0, &loan, &r->concordance,
                                   &r->concordance_se, NULL, err);
    sk_cox_layout_free(&c.lay);
    if (status != SURVKIT_OK) goto fail;
    *out = r;
    goto done;

fail:
    survkit_cox_result_free(r);
done:
    fit_ctx_free(&c);
    free(nwmem), free(scale), free(init), free(eta_init), free(zero_one), free(finite);
    free(spare_risk);
    free(spare_block);
    free(abs_dev);
    return status;
}

/*
 * A result from a Newton iteration run elsewhere (the fit over MPI ranks, src/mpi/mpi_cox.c): the
 * same aliasing, warnings, robust variance, tests and table as survkit_cox_fit_arrays, without
 * the per-row linear predictor (its getter returns NULL: the rows are spread over processes).
 */
survkit_status sk_cox_result_from_newton(const sk_cox_result_in *in, survkit_cox_result **out,
                                         survkit_error *err)
{
    const size_t p = in->p;
    const survkit_cox_options *opt = in->opt;
    survkit_cox_result *r = calloc(1, sizeof *r);
    survkit_status status = SURVKIT_OK;
    if (r == NULL || !result_alloc(r, 1, p, in->robust)) {
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (Cox fit)");
        goto fail;
    }
    free(r->lp);
    r->lp = NULL;
    r->n = in->n;
    r->p = p;
    r->n_events = in->n_events;
    r->ties = opt->ties;
    r->counting = in->counting;
    r->robust = in->robust;
    r->conf_level = opt->conf_level;
    r->concordance = in->concordance;
    r->concordance_se = in->concordance_se;
    for (size_t j = 0; j < p; j++) {
        char buf[32];
        snprintf(buf, sizeof buf, "x%zu", j + 1);
        r->names[j] = sk_strdup(in->names && in->names[j] ? in->names[j] : buf);
        if (r->names[j] == NULL) {
            status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (Cox fit)");
            goto fail;
        }
        r->means[j] = in->means[j];
    }
    if (in->cluster_ignored) add_warning(r, "cluster specified with robust=FALSE, cluster ignored");
    if (in->n_events == 0) { /* as survkit_cox_fit_arrays: NA coefficients, no tests */
        for (size_t j = 0; j < p; j++) r->coef[j] = NAN;
        r->converged = true;
        status = summarise(r, NULL, opt->toler_chol, err);
        if (status != SURVKIT_OK) goto fail;
        r->df = 0;
        r->aic = 0;
        *out = r;
        return SURVKIT_OK;
    }
    const sk_cox_newton_out *nw = in->nw;
    if (p == 0) {
        r->loglik0 = r->loglik = nw->loglik;
        r->converged = true;
        r->aic = -2 * nw->loglik;
        *out = r;
        return SURVKIT_OK;
    }
    r->loglik0 = nw->loglik0;
    r->loglik = nw->loglik;
    r->iterations = nw->iterations;
    r->converged = nw->converged;
    r->has_tests = true;
    r->test_stat[SURVKIT_COX_TEST_SCORE] = nw->score_test;
    memcpy(r->vcov, nw->var, p * p * sizeof(double));
    memcpy(r->u, nw->u, p * sizeof(double));
    bool check_sing = nw->flag < (int)p;
    for (size_t j = 0; j < p; j++) {
        r->coef[j] = nw->beta[j];
        if (opt->iter_max > 0 && check_sing && nw->var[j + j * p] == 0) r->coef[j] = NAN;
    }
    const double toler_inf = isnan(opt->toler_inf) ? sqrt(opt->eps) : opt->toler_inf;
    iteration_warnings(r, in->flavour, nw, opt, toler_inf, p, in->max_lp);
    if (in->robust) {
        bool any_coef = false;
        for (size_t j = 0; j < p; j++) any_coef = any_coef || !isnan(r->coef[j]);
        memcpy(r->naive_vcov, nw->var, p * p * sizeof(double));
        if (any_coef && in->robust_var != NULL) {
            memcpy(r->vcov, in->robust_var, p * p * sizeof(double));
            r->test_stat[SURVKIT_COX_TEST_ROBUST_SCORE] = in->robust_score;
        } else {
            r->robust = false;
        }
    }
    status = summarise(r, opt->init, opt->toler_chol, err);
    if (status != SURVKIT_OK) goto fail;
    *out = r;
    return SURVKIT_OK;
fail:
    survkit_cox_result_free(r);
    return status;
}

void survkit_cox_data_from_frame(const survkit_frame *frame, survkit_cox_data *d)
{
    *d = (survkit_cox_data){
        .n = survkit_frame_n(frame),
        .p = survkit_frame_p(frame),
        .start = survkit_frame_start(frame),
        .time = survkit_frame_time(frame),
        .status = survkit_frame_status(frame),
        .x = survkit_frame_x(frame),
        .weights = survkit_frame_weights(frame),
        .offset = survkit_frame_offset(frame),
        .strata = survkit_frame_strata(frame),
        .n_strata = survkit_frame_n_strata(frame),
        .cluster = survkit_frame_cluster(frame),
        .n_clusters = survkit_frame_n_clusters(frame),
        .frailty = survkit_frame_frailty(frame),
        .n_frailty = survkit_frame_n_frailty(frame),
    };
}

survkit_status survkit_cox_fit_frame(const survkit_frame *frame, const survkit_cox_options *opt,
                                     survkit_cox_result **out, survkit_error *err)
{
    RETURN_ERROR_IF(frame == NULL || out == NULL, err, SURVKIT_ERR_ARGUMENT, "no frame given");
    *out = NULL;
    /* A penalised term is another model (survkit_frailty_fit_frame): fitting without it would
     * silently answer a different question. */
    RETURN_ERROR_IF(survkit_frame_frailty(frame) != NULL, err, SURVKIT_ERR_ARGUMENT,
                    "%s: this command does not take frailty models (survkit cox, predict, "
                    "residuals and zph do)", survkit_frame_frailty_term(frame));
    bool ridge = false;
    size_t rterm = 0;
    double rtheta;
    bool rscale;
    RETURN_IF_ERROR(survkit_frame_ridge(frame, &ridge, &rterm, &rtheta, &rscale, err));
    RETURN_ERROR_IF(ridge, err, SURVKIT_ERR_ARGUMENT,
                    "%s: this command does not take penalised models yet (survkit cox fits them)",
                    survkit_frame_term_label(frame, rterm));
    RETURN_ERROR_IF(survkit_frame_n_pspline(frame) > 0, err, SURVKIT_ERR_ARGUMENT,
                    "%s: this command does not take penalised models yet (survkit cox fits them)",
                    survkit_frame_term_label(frame, survkit_frame_pspline(frame, 0)->term));
    const size_t p = survkit_frame_p(frame);
    /* A term without a column is a one-level factor: a km frame (built with groups) keeps it, but
     * a model cannot (R's model.matrix: "contrasts can be applied only to factors with 2 or more
     * levels"), and dropping it silently would fit another model than the formula says. */
    for (size_t k = 0; k < survkit_frame_n_terms(frame); k++) {
        bool has_column = false;
        for (size_t j = 0; j < p && !has_column; j++) has_column = survkit_frame_column_term(frame, j) == k;
        RETURN_ERROR_IF(!has_column, err, SURVKIT_ERR_DOMAIN,
                        "term '%s': contrasts can be applied only to factors with 2 or more levels",
                        survkit_frame_term_label(frame, k));
    }
    const char **names = sk_calloc_array(p + 1, sizeof(char *));
    RETURN_ERROR_IF(names == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
    for (size_t j = 0; j < p; j++) names[j] = survkit_frame_column_name(frame, j);
    survkit_cox_data d;
    survkit_cox_data_from_frame(frame, &d);
    d.names = names;
    survkit_status status = survkit_cox_fit_arrays(&d, opt, out, err);
    free(names);
    /* a bad value's row (err->line, 1-based over the frame's rows) becomes its data file line */
    if (status != SURVKIT_OK && err != NULL && err->line > 0 && err->line <= d.n)
        err->line = survkit_frame_row_index(frame)[err->line - 1] + 2;
    return status;
}

/* Getters. */
size_t survkit_cox_result_n(const survkit_cox_result *r) { return r->n; }
double survkit_cox_result_n_events(const survkit_cox_result *r) { return r->n_events; }
size_t survkit_cox_result_p(const survkit_cox_result *r) { return r->p; }
size_t survkit_cox_result_df(const survkit_cox_result *r) { return r->df; }
survkit_cox_ties survkit_cox_result_ties(const survkit_cox_result *r) { return r->ties; }
bool survkit_cox_result_is_counting(const survkit_cox_result *r) { return r->counting; }
const char *survkit_cox_result_name(const survkit_cox_result *r, size_t j)
{
    return j < r->p ? r->names[j] : NULL;
}
const double *survkit_cox_result_coef(const survkit_cox_result *r) { return r->coef; }
const double *survkit_cox_result_exp_coef(const survkit_cox_result *r) { return r->exp_coef; }
const double *survkit_cox_result_se(const survkit_cox_result *r) { return r->se; }
const double *survkit_cox_result_robust_se(const survkit_cox_result *r)
{
    return r->robust ? r->robust_se : NULL;
}
const double *survkit_cox_result_z(const survkit_cox_result *r) { return r->z; }
const double *survkit_cox_result_pvalue(const survkit_cox_result *r) { return r->pvalue; }
const double *survkit_cox_result_lower(const survkit_cox_result *r) { return r->lower; }
const double *survkit_cox_result_upper(const survkit_cox_result *r) { return r->upper; }
double survkit_cox_result_conf_level(const survkit_cox_result *r) { return r->conf_level; }
const double *survkit_cox_result_vcov(const survkit_cox_result *r) { return r->vcov; }
const double *survkit_cox_result_naive_vcov(const survkit_cox_result *r)
{
    return r->robust ? r->naive_vcov : NULL;
}
bool survkit_cox_result_is_robust(const survkit_cox_result *r) { return r->robust; }
double survkit_cox_result_loglik_null(const survkit_cox_result *r) { return r->loglik0; }
double survkit_cox_result_loglik(const survkit_cox_result *r) { return r->loglik; }
double survkit_cox_result_aic(const survkit_cox_result *r) { return r->aic; }
bool survkit_cox_result_test(const survkit_cox_result *r, survkit_cox_test_kind kind, double *stat,
                             double *df, double *p)
{
    if ((int)kind < 0 || (int)kind > 3 || !r->has_test[kind]) return false;
    if (stat) *stat = r->test_stat[kind];
    if (df) *df = r->test_df[kind];
    if (p) *p = r->test_p[kind];
    return true;
}
double survkit_cox_result_concordance(const survkit_cox_result *r) { return r->concordance; }
double survkit_cox_result_concordance_se(const survkit_cox_result *r) { return r->concordance_se; }
int survkit_cox_result_iterations(const survkit_cox_result *r) { return r->iterations; }
bool survkit_cox_result_converged(const survkit_cox_result *r) { return r->converged; }
size_t survkit_cox_result_n_warnings(const survkit_cox_result *r) { return r->n_warnings; }
const char *survkit_cox_result_warning(const survkit_cox_result *r, size_t k)
{
    return k < r->n_warnings ? r->warnings[k] : NULL;
}
const double *survkit_cox_result_means(const survkit_cox_result *r) { return r->means; }
const double *survkit_cox_result_linear_predictor(const survkit_cox_result *r) { return r->lp; }
const double *survkit_cox_result_score_vector(const survkit_cox_result *r) { return r->u; }
