/*
 * logrank_counts.c: survdiff's G-rho test from per-(stratum, time) counts instead of rows.
 *
 * The sums of logrank.c depend on the rows only through, at each distinct time of a stratum, the
 * rows ending there and their deaths per group: at risk at time t are the rows ending at t or
 * later (suffix sums of the counts), S(t-) the pooled Kaplan-Meier of the stratum over the earlier
 * cells. So counts summed across processes give the same test, and the same pairwise tests.
 */
#include "km/logrank_internal.h"

#include <math.h>
#include <stdlib.h>

/* O, E and V (observed[k], expected[k], var[k*k]) added over one stratum's cells [c0, c1).
 * kaplan[n_cells] scratch, risk[k] scratch. */
static void stratum_sums(size_t c0, size_t c1, size_t k, const double *ended, const double *deaths,
                         double rho, double *kaplan, double *risk, double *observed,
                         double *expected, double *var)
{
    double total = 0; /* rows of the stratum */
    for (size_t c = c0; c < c1; c++)
        for (size_t g = 0; g < k; g++) total += ended[c * k + g];
    if (rho != 0) { /* pooled Kaplan-Meier, left-continuous */
        double km = 1, nrisk = total;
        for (size_t c = c0; c < c1; c++) {
            double d = 0, e = 0;
            for (size_t g = 0; g < k; g++) {
                d += deaths[c * k + g];
                e += ended[c * k + g];
            }
            kaplan[c] = km;
            if (nrisk > 0) km = km * (nrisk - d) / nrisk;
            nrisk -= e;
        }
    }
    for (size_t g = 0; g < k; g++) risk[g] = 0;
    double nrisk = 0;
    for (size_t c = c1; c-- > c0;) { /* from the last time, as survdiff */
        double wt = rho == 0 ? 1 : pow(kaplan[c], rho), d = 0;
        for (size_t g = 0; g < k; g++) {
            risk[g] += ended[c * k + g];
            nrisk += ended[c * k + g];
            d += deaths[c * k + g];
            observed[g] += deaths[c * k + g] * wt;
        }
        sk_logrank_time_step(k, wt, d, risk, nrisk, expected, var);
    }
}

/* O, E and V added over every stratum (cells grouped by cell_stratum, NULL: one stratum). */
static void all_sums(size_t n_cells, const int32_t *cell_stratum, size_t k, const double *ended,
                     const double *deaths, double rho, double *kaplan, double *risk,
                     double *observed, double *expected, double *var)
{
    for (size_t c0 = 0; c0 < n_cells;) {
        size_t c1 = c0 + 1;
        while (c1 < n_cells && cell_stratum && cell_stratum[c1] == cell_stratum[c0]) c1++;
        if (!cell_stratum) c1 = n_cells;
        stratum_sums(c0, c1, k, ended, deaths, rho, kaplan, risk, observed, expected, var);
        c0 = c1;
    }
}

/*
 * The pairwise tests (logrank_pairwise.c's, from counts): pair (a, b) is survdiff on the rows of
 * groups a and b, i.e. on the two columns of the counts (cells where neither has rows add
 * nothing). Then the adjusted p-values.
 */
static survkit_status pairs_from_counts(survkit_logrank *lr, size_t n_cells,
                                        const int32_t *cell_stratum, const double *ended,
                                        const double *deaths, double *kaplan, survkit_error *err)
{
    const size_t k = lr->k, m = k * (k - 1) / 2;
    lr->pairs = sk_calloc_array(m, sizeof *lr->pairs);
    double *two = sk_malloc_array(4 * n_cells, sizeof *two); /* ended, deaths of the pair */
    survkit_status status = SURVKIT_OK;
    if (lr->pairs == NULL || two == NULL) {
        free(two);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "logrank: out of memory");
    }
    lr->n_pairs = m;
    size_t pair = 0;
    for (size_t a = 0; a < k && status == SURVKIT_OK; a++) {
        for (size_t b = a + 1; b < k && status == SURVKIT_OK; b++, pair++) {
            for (size_t c = 0; c < n_cells; c++) {
                two[2 * c] = ended[c * k + a];
                two[2 * c + 1] = ended[c * k + b];
                two[2 * n_cells + 2 * c] = deaths[c * k + a];
                two[2 * n_cells + 2 * c + 1] = deaths[c * k + b];
            }
            double obs[2] = {0, 0}, exp_[2] = {0, 0}, var[4] = {0, 0, 0, 0}, risk[2];
            all_sums(n_cells, cell_stratum, 2, two, two + 2 * n_cells, lr->rho, kaplan, risk, obs,
                     exp_, var);
            status = sk_logrank_pair_test(obs, exp_, var, a, b, &lr->pairs[pair], err);
        }
    }
    free(two);
    return status == SURVKIT_OK ? sk_logrank_adjust_pairs(lr, err) : status;
}

static survkit_status check_counts(size_t n_cells, const int32_t *cell_stratum, size_t n_strata,
                                   size_t k, const double *ended, const double *deaths,
                                   const survkit_logrank_options *opt, survkit_error *err)
{
    RETURN_ERROR_IF(ended == NULL || deaths == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "logrank: the counts are required");
    RETURN_ERROR_IF(k < 2, err, SURVKIT_ERR_ARGUMENT, "logrank: there is only 1 group");
    RETURN_ERROR_IF(k > 46340, err, SURVKIT_ERR_ARGUMENT, "logrank: too many groups");
    RETURN_ERROR_IF(!isfinite(opt->rho), err, SURVKIT_ERR_ARGUMENT, "logrank: rho must be finite");
    for (size_t c = 0; c < n_cells; c++) {
        if (cell_stratum != NULL)
            RETURN_ERROR_IF(cell_stratum[c] < 0 || (size_t)cell_stratum[c] >= n_strata ||
                                (c > 0 && cell_stratum[c] < cell_stratum[c - 1]),
                            err, SURVKIT_ERR_ARGUMENT,
                            "logrank: cell %zu: stratum codes out of range or out of order", c + 1);
        for (size_t g = 0; g < k; g++) {
            double e = ended[c * k + g], d = deaths[c * k + g];
            RETURN_ERROR_IF(!(e >= 0 && d >= 0 && d <= e && isfinite(e)), err, SURVKIT_ERR_DOMAIN,
                            "logrank: cell %zu, group %zu: bad counts (%g rows, %g deaths)", c + 1,
                            g + 1, e, d);
        }
    }
    return SURVKIT_OK;
}

survkit_status survkit_logrank_test_counts(size_t n_cells, const int32_t *cell_stratum,
                                           size_t n_strata, size_t n_groups, const double *ended,
                                           const double *deaths, const char *const *labels,
                                           const survkit_logrank_options *opt,
                                           survkit_logrank **out, survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL, err, SURVKIT_ERR_ARGUMENT, "logrank: no output pointer");
    *out = NULL;
    survkit_logrank_options defaults;
    if (opt == NULL) {
        survkit_logrank_options_init(&defaults);
        opt = &defaults;
    }
    RETURN_IF_ERROR(check_counts(n_cells, cell_stratum, n_strata, n_groups, ended, deaths, opt, err));
    RETURN_ERROR_IF(n_cells == 0, err, SURVKIT_ERR_NO_DATA, "logrank: no observations");
    const size_t k = n_groups;
    survkit_logrank *lr = calloc(1, sizeof *lr);
    double *kaplan = sk_malloc_array(n_cells, sizeof *kaplan);
    double *risk = sk_malloc_array(k, sizeof *risk);
    survkit_status code = SURVKIT_OK;
    if (lr == NULL || kaplan == NULL || risk == NULL) {
        code = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "logrank: out of memory");
        goto done;
    }
    lr->rho = opt->rho;
    lr->k = k;
    lr->n_strata = cell_stratum ? n_strata : 1;
    code = sk_logrank_init(lr, labels, err);
    if (code != SURVKIT_OK) goto done;
    for (size_t c = 0; c < n_cells; c++)
        for (size_t g = 0; g < k; g++) lr->n[g] += ended[c * k + g];
    all_sums(n_cells, cell_stratum, k, ended, deaths, opt->rho, kaplan, risk, lr->observed,
             lr->expected, lr->var);
    code = sk_logrank_statistic(lr->observed, lr->expected, lr->var, k, &lr->chisq, &lr->df, err);
    lr->p = sk_chisq_upper(lr->chisq, lr->df);
    if (code == SURVKIT_OK && opt->pairwise)
        code = pairs_from_counts(lr, n_cells, cell_stratum, ended, deaths, kaplan, err);
    if (code == SURVKIT_OK && opt->trend) code = sk_logrank_trend(lr, opt->scores, err);
done:
    free(kaplan);
    free(risk);
    if (code != SURVKIT_OK) {
        survkit_logrank_free(lr);
        return code;
    }
    *out = lr;
    return SURVKIT_OK;
}
