/*
 * logrank.c: the G-rho family of k-sample tests, as R's survdiff (survdiff2.c).
 *
 * Within a stratum, at each distinct time t with d deaths among N at risk (r_g of them in group
 * g), and weight w = S(t-)^rho, S the pooled Kaplan-Meier curve of the stratum taken
 * left-continuous (Harrington & Fleming 1982):
 *
 *   O_g += w d_g,    E_g += w d r_g / N,
 *   V_gh += w^2 d (N - d) / (N (N - 1)) * r_g (delta_gh - r_h / N)      (N > 1)
 *
 * O, E and V are summed over strata. Over the groups with E_g > 0, the first is dropped and
 * chisq = (O - E)' V^{-1} (O - E) on (number of such groups - 1) degrees of freedom.
 * rho = 0 is the log-rank test, rho = 1 the Peto & Peto modification of the Gehan-Wilcoxon test.
 */
#include "km/logrank_internal.h"

#include "core/sort.h"
#include "core/dense_solve.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

void survkit_logrank_options_init(survkit_logrank_options *opt)
{
    opt->rho = 0;
    opt->pairwise = false;
    opt->trend = false;
    opt->scores = NULL;
}

void sk_logrank_sums(const sk_logrank_data *d, const int32_t *map, size_t k, double rho,
                     double *observed, double *expected, double *var, double *risk, size_t *rows,
                     double *kaplan)
{
    for (size_t g = 0; g < k; g++) observed[g] = expected[g] = 0;
    for (size_t g = 0; g < k * k; g++) var[g] = 0;
    size_t pos = 0;
    while (pos < d->n) {
        /* Gather the stratum's included rows, in ascending time. */
        int32_t stratum = d->strata ? d->strata[d->order[pos]] : 0;
        size_t ns = 0;
        for (; pos < d->n && (d->strata ? d->strata[d->order[pos]] : 0) == stratum; pos++) {
            size_t i = d->order[pos];
            if (map[d->group[i]] >= 0) rows[ns++] = i;
        }
        for (size_t g = 0; g < k; g++) risk[g] = 0;
        if (rho != 0) { /* pooled Kaplan-Meier, left-continuous */
            double km = 1;
            for (size_t a = 0; a < ns;) {
                double deaths = 0;
                size_t b = a;
                for (; b < ns && d->time[rows[b]] == d->time[rows[a]]; b++) {
                    kaplan[b] = km;
                    deaths += d->status[rows[b]];
                }
                double nrisk = (double)(ns - a);
                km = km * (nrisk - deaths) / nrisk;
                a = b;
            }
        }
        for (size_t b = ns; b > 0;) { /* tied blocks [a, b), from the last */
            size_t a = b - 1;
            while (a > 0 && d->time[rows[a - 1]] == d->time[rows[b - 1]]) a--;
            double wt = rho == 0 ? 1 : pow(kaplan[a], rho), deaths = 0;
            for (size_t j = b; j-- > a;) {
                size_t i = rows[j], g = (size_t)map[d->group[i]];
                deaths += d->status[i];
                risk[g] += 1;
                observed[g] += d->status[i] * wt;
            }
            sk_logrank_time_step(k, wt, deaths, risk, (double)(ns - a), expected, var);
            b = a;
        }
    }
}

double sk_chisq_upper(double x, int df)
{
    if (isnan(x) || df < 0) return NAN; /* no group with expected > 0: R's df -1 and p NaN */
    if (df == 0) return 0; /* pchisq(x, 0, lower = FALSE) is 0 for x >= 0 */
    if (x <= 0) return 1;
    return gsl_cdf_chisq_Q(x, (double)df);
}

survkit_status sk_logrank_statistic(const double *observed, const double *expected,
                                    const double *var, size_t k, double *chisq, int *df,
                                    survkit_error *err)
{
    *chisq = 0;
    *df = 0;
    size_t *used = sk_malloc_array(k, sizeof *used);
    RETURN_ERROR_IF(used == NULL, err, SURVKIT_ERR_NOMEM, "logrank: out of memory");
    size_t m = 0;
    for (size_t g = 0; g < k; g++)
        if (expected[g] > 0) used[m++] = g;
    *df = (int)m - 1; /* -1 when no group has an expected count: R's survdiff prints that */
    if (m < 2) {
        free(used);
        return SURVKIT_OK;
    }
    /* chisq = sum(solve(V, d) * d) over the used groups but the first. */
    const size_t q = m - 1;
    double *A = sk_malloc_array(q * q + 2 * q, sizeof *A);
    if (A == NULL) {
        free(used);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "logrank: out of memory");
    }
    double *d = A + q * q, *x = d + q;
    for (size_t r = 0; r < q; r++) {
        size_t gr = used[r + 1];
        x[r] = d[r] = observed[gr] - expected[gr];
        for (size_t c = 0; c < q; c++) A[r + c * q] = var[gr * k + used[c + 1]];
    }
    bool ok = sk_solve_dense(A, x, q);
    double s = 0;
    for (size_t r = 0; r < q; r++) s += x[r] * d[r];
    free(A);
    free(used);
    RETURN_ERROR_IF(!ok, err, SURVKIT_ERR_NUMERIC,
                    "logrank: the variance matrix is singular (system is computationally singular)");
    *chisq = s;
    return SURVKIT_OK;
}

void survkit_logrank_free(survkit_logrank *lr)
{
    if (lr == NULL) return;
    if (lr->labels)
        for (size_t g = 0; g < lr->k; g++) free(lr->labels[g]);
    free(lr->labels);
    free(lr->n);
    free(lr->observed);
    free(lr->expected);
    free(lr->var);
    free(lr->pairs);
    free(lr->scores);
    free(lr);
}

static survkit_status check_inputs(size_t n, const double *time, const double *status,
                                   const int32_t *group, size_t n_groups, const int32_t *strata,
                                   size_t n_strata, const survkit_logrank_options *opt,
                                   survkit_error *err)
{
    RETURN_ERROR_IF(time == NULL || status == NULL || group == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "logrank: time, status and group are required");
    RETURN_ERROR_IF(n_groups < 2, err, SURVKIT_ERR_ARGUMENT, "logrank: there is only 1 group");
    RETURN_ERROR_IF(n_groups > 46340, err, SURVKIT_ERR_ARGUMENT, "logrank: too many groups");
    RETURN_ERROR_IF(strata != NULL && (n_strata == 0 || n_strata > INT32_MAX), err,
                    SURVKIT_ERR_ARGUMENT, "logrank: bad number of strata");
    RETURN_ERROR_IF(!isfinite(opt->rho), err, SURVKIT_ERR_ARGUMENT, "logrank: rho must be finite");
    for (size_t i = 0; i < n; i++) {
        RETURN_ERROR_IF(!isfinite(time[i]), err, SURVKIT_ERR_DOMAIN,
                        "logrank: row %zu: the time is missing or infinite", i + 1);
        RETURN_ERROR_IF(status[i] != 0 && status[i] != 1, err, SURVKIT_ERR_DOMAIN,
                        "logrank: row %zu: status must be 0 or 1, not %g", i + 1, status[i]);
        RETURN_ERROR_IF(group[i] < 0 || (size_t)group[i] >= n_groups, err, SURVKIT_ERR_ARGUMENT,
                        "logrank: row %zu: group code %d out of range", i + 1, (int)group[i]);
        if (strata)
            RETURN_ERROR_IF(strata[i] < 0 || (size_t)strata[i] >= n_strata, err,
                            SURVKIT_ERR_ARGUMENT, "logrank: row %zu: stratum code out of range",
                            i + 1);
    }
    return SURVKIT_OK;
}

survkit_status sk_logrank_init(survkit_logrank *lr, const char *const *labels, survkit_error *err)
{
    const size_t k = lr->k;
    lr->labels = sk_calloc_array(k, sizeof *lr->labels);
    lr->n = sk_calloc_array(k, sizeof *lr->n);
    lr->observed = sk_calloc_array(k, sizeof *lr->observed);
    lr->expected = sk_calloc_array(k, sizeof *lr->expected);
    lr->var = sk_calloc_array(k * k, sizeof *lr->var);
    RETURN_ERROR_IF(!lr->labels || !lr->n || !lr->observed || !lr->expected || !lr->var, err,
                    SURVKIT_ERR_NOMEM, "logrank: out of memory");
    for (size_t g = 0; g < k; g++) {
        char buf[32];
        snprintf(buf, sizeof buf, "%zu", g + 1);
        lr->labels[g] = sk_strdup(labels && labels[g] ? labels[g] : buf);
        RETURN_ERROR_IF(lr->labels[g] == NULL, err, SURVKIT_ERR_NOMEM, "logrank: out of memory");
    }
    return SURVKIT_OK;
}

static survkit_status run(survkit_logrank *lr, const sk_logrank_data *d,
                          const survkit_logrank_options *opt, const char *const *labels,
                          survkit_error *err)
{
    const size_t k = lr->k;
    RETURN_IF_ERROR(sk_logrank_init(lr, labels, err));
    for (size_t i = 0; i < d->n; i++) lr->n[d->group[i]] += 1;

    int32_t *map = sk_malloc_array(k, sizeof *map);
    double *risk = sk_malloc_array(k, sizeof *risk);
    size_t *rows = sk_malloc_array(d->n, sizeof *rows);
    double *kaplan = sk_malloc_array(d->n, sizeof *kaplan);
    survkit_status status = SURVKIT_OK;
    if (!map || !risk || !rows || !kaplan) {
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "logrank: out of memory");
    } else {
        for (size_t g = 0; g < k; g++) map[g] = (int32_t)g;
        sk_logrank_sums(d, map, k, lr->rho, lr->observed, lr->expected, lr->var, risk, rows, kaplan);
        status = sk_logrank_statistic(lr->observed, lr->expected, lr->var, k, &lr->chisq,
                                      &lr->df, err);
        lr->p = sk_chisq_upper(lr->chisq, lr->df);
    }
    free(map);
    free(risk);
    free(rows);
    free(kaplan);
    if (status == SURVKIT_OK && opt->pairwise) status = sk_logrank_pairwise(lr, d, err);
    if (status == SURVKIT_OK && opt->trend) status = sk_logrank_trend(lr, opt->scores, err);
    return status;
}

survkit_status survkit_logrank_test(size_t n, const double *time, const double *status,
                                    const int32_t *group, size_t n_groups, const int32_t *strata,
                                    size_t n_strata, const char *const *labels,
                                    const survkit_logrank_options *opt, survkit_logrank **out,
                                    survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL, err, SURVKIT_ERR_ARGUMENT, "logrank: no output pointer");
    *out = NULL;
    survkit_logrank_options defaults;
    if (opt == NULL) {
        survkit_logrank_options_init(&defaults);
        opt = &defaults;
    }
    RETURN_IF_ERROR(check_inputs(n, time, status, group, n_groups, strata, n_strata, opt, err));
    RETURN_ERROR_IF(n == 0, err, SURVKIT_ERR_NO_DATA, "logrank: no observations");
    size_t *by_time = sk_malloc_array(n, sizeof *by_time);
    size_t *order = sk_malloc_array(n, sizeof *order);
    survkit_logrank *lr = calloc(1, sizeof *lr);
    survkit_status code = SURVKIT_OK;
    if (!by_time || !order || !lr) {
        code = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "logrank: out of memory");
    } else if (!sk_sort_order(time, n, false, strata ? by_time : order) ||
               (strata && !sk_sort_by_code(strata, n_strata, by_time, n, order))) {
        code = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "logrank: out of memory");
    } else {
        lr->rho = opt->rho;
        lr->k = n_groups;
        lr->n_strata = strata ? n_strata : 1;
        sk_logrank_data d = {n, order, time, status, group, strata};
        code = run(lr, &d, opt, labels, err);
    }
    free(by_time);
    free(order);
    if (code != SURVKIT_OK) {
        survkit_logrank_free(lr);
        return code;
    }
    *out = lr;
    return SURVKIT_OK;
}

double survkit_logrank_rho(const survkit_logrank *lr) { return lr->rho; }
size_t survkit_logrank_n_groups(const survkit_logrank *lr) { return lr->k; }
size_t survkit_logrank_n_strata(const survkit_logrank *lr) { return lr->n_strata; }
const char *survkit_logrank_group_label(const survkit_logrank *lr, size_t g)
{
    return g < lr->k ? lr->labels[g] : NULL;
}
const double *survkit_logrank_n(const survkit_logrank *lr) { return lr->n; }
const double *survkit_logrank_observed(const survkit_logrank *lr) { return lr->observed; }
const double *survkit_logrank_expected(const survkit_logrank *lr) { return lr->expected; }
const double *survkit_logrank_variance(const survkit_logrank *lr) { return lr->var; }
double survkit_logrank_chisq(const survkit_logrank *lr) { return lr->chisq; }
int survkit_logrank_df(const survkit_logrank *lr) { return lr->df; }
double survkit_logrank_p(const survkit_logrank *lr) { return lr->p; }
size_t survkit_logrank_n_pairs(const survkit_logrank *lr) { return lr->n_pairs; }
const survkit_logrank_pair *survkit_logrank_pairs(const survkit_logrank *lr) { return lr->pairs; }
bool survkit_logrank_has_trend(const survkit_logrank *lr) { return lr->has_trend; }
const double *survkit_logrank_trend_scores(const survkit_logrank *lr) { return lr->scores; }
double survkit_logrank_trend_chisq(const survkit_logrank *lr) { return lr->trend_chisq; }
double survkit_logrank_trend_p(const survkit_logrank *lr) { return lr->trend_p; }
