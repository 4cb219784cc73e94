/*
 * survkit/concordance.h: Harrell's concordance of a risk score with a survival outcome, exactly as
 * R's coxph reports it in fit$concordance (survival 3.5-3: concordancefit(y, lp, strata, weights,
 * timewt = "n", reverse = TRUE, timefix = FALSE)), with its infinitesimal-jackknife standard error.
 *
 * A higher risk score predicts a shorter survival. A pair (i, j) in the same stratum is comparable
 * when i has an event at time t and j is at risk at t without an event at t (right-censored data:
 * time_j >= t, a censoring at t counting as longer; counting-process data: start_j < t <= stop_j).
 * It is concordant when the risk score of i is the larger, discordant when it is the smaller, and
 * tied-on-x when they are equal (scored 1/2). Pairs of events at the same time are tied on y (and
 * on x and y when their scores are also equal); they are counted but not used. Each pair weighs
 * w_i w_j. The computation costs O(n log m) time for m distinct event times (after a linear-time
 * sort) and O(n) memory.
 *
 * Include <survkit/survkit.h>, not this file.
 */
#ifndef SURVKIT_CONCORDANCE_H
#define SURVKIT_CONCORDANCE_H

#ifdef __cplusplus
extern "C" {
#endif

/* Indices into the `counts` output of survkit_concordance (R's fit$concordance order). */
enum {
    SURVKIT_CONCORDANCE_CONCORDANT = 0,
    SURVKIT_CONCORDANCE_DISCORDANT = 1,
    SURVKIT_CONCORDANCE_TIED_X = 2,
    SURVKIT_CONCORDANCE_TIED_Y = 3,  /* tied on time, not on the risk score */
    SURVKIT_CONCORDANCE_TIED_XY = 4, /* tied on both */
    SURVKIT_CONCORDANCE_N_COUNTS = 5
};

/*
 * Concordance of a risk score (typically a Cox model's linear predictor) with the outcome.
 *
 * Inputs (n rows, n >= 1):
 *   start[n]            entry times for counting-process data (start < time), or NULL for
 *                       right-censored data
 *   time[n]             event or censoring (stop) times; no NaN
 *   status[n]           1 for an event, 0 for a censoring
 *   linear_predictor[n] risk scores (a shift by a constant changes nothing); no NaN
 *   weights[n]          case weights >= 0 and finite, or NULL for all 1
 *   strata[n]           codes 0 .. n_strata-1 (pairs are only compared within a stratum), or NULL
 *                       for one stratum (n_strata is then ignored)
 * Outputs (any may be NULL):
 *   *c_index            the concordance (C + T/2) / (C + D + T); NaN when no pair is comparable
 *   *std_err            its standard error, sqrt(var) as in R (NaN when no pair is comparable)
 *   counts[5]           weighted pair counts, indexed by SURVKIT_CONCORDANCE_*
 * Returns SURVKIT_ERR_ARGUMENT for missing arrays, a bad stratum code or more than 2^31 - 1 rows,
 * SURVKIT_ERR_DOMAIN for a NaN input, a status other than 0/1, a negative or non-finite weight or
 * start >= time, SURVKIT_ERR_NO_DATA for n = 0, SURVKIT_ERR_NOMEM when scratch memory cannot be allocated.
 */
SURVKIT_API survkit_status survkit_concordance(size_t n, const double *start, const double *time,
                                               const double *status,
                                               const double *linear_predictor,
                                               const double *weights, const int32_t *strata,
                                               size_t n_strata, double *c_index, double *std_err,
                                               double counts[5], survkit_error *err);

/*
 * The same with clusters, as coxph computes it for a model with cluster(), or robust = TRUE with an
 * id: each cluster's terms of the jackknife are summed before squaring (a grouped jackknife). The
 * counts and the concordance do not change.
 * Inputs as survkit_concordance, plus cluster[n] codes 0 .. n_clusters-1 (NULL: every row its own
 * cluster, which is survkit_concordance). A bad cluster code gives SURVKIT_ERR_ARGUMENT.
 */
SURVKIT_API survkit_status survkit_concordance_cluster(
    size_t n, const double *start, const double *time, const double *status,
    const double *linear_predictor, const double *weights, const int32_t *strata, size_t n_strata,
    const int32_t *cluster, size_t n_clusters, double *c_index, double *std_err, double counts[5],
    survkit_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SURVKIT_CONCORDANCE_H */
