/*
 * survkit/logrank.h: the G-rho family of tests comparing survival between groups (R's survdiff),
 * optionally stratified, with pairwise comparisons (Holm and Benjamini-Hochberg adjusted) and a
 * test for trend across ordered groups.
 *
 * Right-censored data only (as survdiff). Fit with survkit_logrank_test (arrays) or
 * survkit_logrank_test_frame (groups from the right-hand side, strata from strata()), read the
 * result with the getters, free it with survkit_logrank_free.
 * Include <survkit/survkit.h>, not this file.
 */
#ifndef SURVKIT_LOGRANK_H
#define SURVKIT_LOGRANK_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Options for a test. Initialise with survkit_logrank_options_init(). */
typedef struct survkit_logrank_options {
    double rho;              /* weight S(t-)^rho: 0 log-rank (default), 1 Peto-Peto */
    bool pairwise;           /* also test every pair of groups (default false) */
    bool trend;              /* also test for trend across the ordered groups (default false) */
    const double *scores;    /* n_groups trend scores; NULL for 1, 2, ..., k (default NULL) */
} survkit_logrank_options;

SURVKIT_API void survkit_logrank_options_init(survkit_logrank_options *opt);

typedef struct survkit_logrank_s survkit_logrank;

/*
 * The test from arrays.
 * Inputs: n rows; time[n] >= 0... any finite times; status[n] 0/1; group[n] codes
 *   0..n_groups-1 (n_groups >= 2); strata[n] codes 0..n_strata-1 (NULL: one stratum);
 *   labels[n_groups] (NULL: "1", "2", ...); opt (NULL for defaults).
 * Output: *out.
 */
SURVKIT_API survkit_status survkit_logrank_test(size_t n, const double *time, const double *status,
                                                const int32_t *group, size_t n_groups,
                                                const int32_t *strata, size_t n_strata,
                                                const char *const *labels,
                                                const survkit_logrank_options *opt,
                                                survkit_logrank **out, survkit_error *err);

/* The test on a model frame: groups of its right-hand side, strata from strata(). */
SURVKIT_API survkit_status survkit_logrank_test_frame(const survkit_frame *frame,
                                                      const survkit_logrank_options *opt,
                                                      survkit_logrank **out, survkit_error *err);

/*
 * The test from per-time counts already summed (e.g. reduced across processes by libsurvkit-mpi).
 * n_cells (stratum, time) cells, grouped by stratum (cell_stratum[c] codes in 0..n_strata-1, or
 * NULL for one stratum), times ascending within a stratum; ended[c * n_groups + g] the rows of
 * group g whose time is the cell's, deaths[c * n_groups + g] their events. The times themselves
 * are not needed. opt->pairwise: each pair is the test on its two columns of the counts.
 */
SURVKIT_API survkit_status survkit_logrank_test_counts(size_t n_cells, const int32_t *cell_stratum,
                                                       size_t n_strata, size_t n_groups,
                                                       const double *ended, const double *deaths,
                                                       const char *const *labels,
                                                       const survkit_logrank_options *opt,
                                                       survkit_logrank **out, survkit_error *err);
SURVKIT_API void survkit_logrank_free(survkit_logrank *lr);

SURVKIT_API double survkit_logrank_rho(const survkit_logrank *lr);
SURVKIT_API size_t survkit_logrank_n_groups(const survkit_logrank *lr);
SURVKIT_API size_t survkit_logrank_n_strata(const survkit_logrank *lr);
SURVKIT_API const char *survkit_logrank_group_label(const survkit_logrank *lr, size_t g);
/* Per group (arrays of n_groups): records, observed and expected (weighted by S^rho, summed over
 * strata as print(survdiff) shows them). */
SURVKIT_API const double *survkit_logrank_n(const survkit_logrank *lr);
SURVKIT_API const double *survkit_logrank_observed(const survkit_logrank *lr);
SURVKIT_API const double *survkit_logrank_expected(const survkit_logrank *lr);
/* The n_groups x n_groups variance matrix of O - E (column-major), R's survdiff()$var. */
SURVKIT_API const double *survkit_logrank_variance(const survkit_logrank *lr);
SURVKIT_API double survkit_logrank_chisq(const survkit_logrank *lr);
SURVKIT_API int survkit_logrank_df(const survkit_logrank *lr);
SURVKIT_API double survkit_logrank_p(const survkit_logrank *lr);

/* Pairwise comparisons (with opt.pairwise): n_groups (n_groups - 1) / 2 pairs, in the order
 * (0,1), (0,2), ..., (1,2), ...; each is survdiff on the rows of the two groups. */
typedef struct survkit_logrank_pair {
    size_t a, b;          /* group indices, a < b */
    double chisq;
    int df;
    double p, p_holm, p_bh;
} survkit_logrank_pair;

SURVKIT_API size_t survkit_logrank_n_pairs(const survkit_logrank *lr);
SURVKIT_API const survkit_logrank_pair *survkit_logrank_pairs(const survkit_logrank *lr);

/* Trend test (with opt.trend): U = c'(O - E), chisq = U^2 / (c' V c) on 1 df. */
SURVKIT_API bool survkit_logrank_has_trend(const survkit_logrank *lr);
SURVKIT_API const double *survkit_logrank_trend_scores(const survkit_logrank *lr);
SURVKIT_API double survkit_logrank_trend_chisq(const survkit_logrank *lr);
SURVKIT_API double survkit_logrank_trend_p(const survkit_logrank *lr);

#ifdef __cplusplus
}
#endif

#endif /* SURVKIT_LOGRANK_H */
