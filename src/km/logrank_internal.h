/*
 * logrank_internal.h: the layout of a log-rank result and the kernels shared by logrank.c,
 * logrank_pairwise.c and logrank_trend.c.
 */
#ifndef SURVKIT_LOGRANK_INTERNAL_H
#define SURVKIT_LOGRANK_INTERNAL_H

#include "core/internal.h"

struct survkit_logrank_s {
    double rho;
    size_t k, n_strata;
    char **labels;
    double *n, *observed, *expected, *var; /* k, k, k, k*k */
    double chisq, p;
    int df;
    survkit_logrank_pair *pairs;
    size_t n_pairs;
    bool has_trend;
    double *scores, trend_chisq, trend_p;
};

/* The data of one test, rows ordered by (stratum, time). */
typedef struct sk_logrank_data {
    size_t n;
    const size_t *order;     /* n rows, grouped by stratum, ascending time within a stratum */
    const double *time, *status;
    const int32_t *group, *strata; /* strata NULL: one stratum */
} sk_logrank_data;

/*
 * survdiff's sums (R's survdiff2.c) over the rows whose group g has map[g] >= 0, recoded to
 * map[g] in 0..k-1.
 * Outputs: observed[k], expected[k] summed over strata, var[k*k]. Scratch: risk[k], rows[n],
 * kaplan[n]. Never fails.
 */
void sk_logrank_sums(const sk_logrank_data *d, const int32_t *map, size_t k, double rho,
                     double *observed, double *expected, double *var, double *risk, size_t *rows,
                     double *kaplan);

/* Allocate lr's labels (labels[g], or "1".."k" where NULL) and its zeroed n, O, E, V (lr->k set). */
survkit_status sk_logrank_init(survkit_logrank *lr, const char *const *labels, survkit_error *err);

/*
 * One distinct time's share of survdiff's sums (the formulas at the top of logrank.c): weight wt,
 * `deaths` in all among nrisk at risk, risk[k] of them per group. Updates expected[k], var[k*k].
 */
static inline void sk_logrank_time_step(size_t k, double wt, double deaths, const double *risk,
                                        double nrisk, double *expected, double *var)
{
    if (!(deaths > 0)) return;
    for (size_t g = 0; g < k; g++) expected[g] += wt * deaths * risk[g] / nrisk;
    if (nrisk == 1) return; /* one subject: no variance */
    double wt2 = wt * wt;
    for (size_t g = 0; g < k; g++) {
        double tmp = wt2 * deaths * risk[g] * (nrisk - deaths) / (nrisk * (nrisk - 1));
        var[g * k + g] += tmp;
        for (size_t h = 0; h < k; h++) var[g * k + h] -= tmp * risk[h] / nrisk;
    }
}

/*
 * survdiff's statistic: over the groups with expected > 0 (k_used of them), drop the first and
 * solve V x = (O - E): chisq = (O - E)' x. Outputs: *chisq, *df = k_used - 1 (chisq 0 when
 * k_used < 2). SURVKIT_ERR_NUMERIC when the variance is singular.
 */
survkit_status sk_logrank_statistic(const double *observed, const double *expected,
                                    const double *var, size_t k, double *chisq, int *df,
                                    survkit_error *err);

/* Upper tail of chi-square with df degrees of freedom, as R's pchisq(x, df, lower = FALSE)
 * (df 0: a point mass at 0). */
double sk_chisq_upper(double x, int df);

/* The pairwise tests and their adjusted p-values (logrank_pairwise.c). */
survkit_status sk_logrank_pairwise(survkit_logrank *lr, const sk_logrank_data *d,
                                   survkit_error *err);
/* Pair (a, b)'s test from its two-group sums observed[2], expected[2], var[4]: pr's a, b, chisq,
 * df, p (NaN with df 0). */
survkit_status sk_logrank_pair_test(const double *observed, const double *expected,
                                    const double *var, size_t a, size_t b,
                                    survkit_logrank_pair *pr, survkit_error *err);
/* Holm and Benjamini-Hochberg adjusted p-values of lr's n_pairs pairs, from their p (NaN: no
 * test, left out), into p_holm and p_bh (logrank_pairwise.c; also used by logrank_counts.c). */
survkit_status sk_logrank_adjust_pairs(survkit_logrank *lr, survkit_error *err);
/* The trend test (logrank_trend.c). scores NULL: 1..k. */
survkit_status sk_logrank_trend(survkit_logrank *lr, const double *scores, survkit_error *err);

#endif /* SURVKIT_LOGRANK_INTERNAL_H */
