/*
 * survkit/mpi.h: libsurvkit-mpi, the estimators over several processes (MPI ranks), each holding
 * its own rows. Not included from survkit.h: only programs built with MPI include it (the core
 * library stays free of MPI).
 *
 * Every function here is collective: every rank of the communicator calls it with the same
 * arguments (its own data), and every rank gets the same status. A failure on one rank is agreed
 * across ranks before anyone returns: the failing rank gets its own error, the others
 * SURVKIT_ERR_ARGUMENT with err->line = 0 and a message naming the rank (survkit_mpi_failed_rank
 * tells which). The estimators sum per-time counts across ranks in rank order and finish with
 * survkit_km_fit_counts / survkit_logrank_test_counts, so they equal the single-process fits to
 * round-off whatever the number of ranks.
 */
#ifndef SURVKIT_MPI_H
#define SURVKIT_MPI_H

#include <survkit/survkit.h>

#include <mpi.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The communicator (duplicated: the library's messages never mix with the caller's). */
typedef struct survkit_mpi_s survkit_mpi;

SURVKIT_API survkit_status survkit_mpi_create(MPI_Comm comm, survkit_mpi **out, survkit_error *err);
SURVKIT_API void survkit_mpi_free(survkit_mpi *mpi);
SURVKIT_API int survkit_mpi_rank(const survkit_mpi *mpi);
SURVKIT_API int survkit_mpi_size(const survkit_mpi *mpi);

/*
 * Agree on a status: every rank passes its own; all return SURVKIT_OK only if all passed it.
 * Otherwise the lowest failing rank keeps its err, the others get a message naming that rank.
 */
SURVKIT_API survkit_status survkit_mpi_agree(survkit_mpi *mpi, survkit_status local,
                                             survkit_error *err);
/* The lowest rank whose status failed the last agreement, or -1. */
SURVKIT_API int survkit_mpi_failed_rank(const survkit_mpi *mpi);
/* Payload bytes this rank has sent in the estimators' collectives (rank 0: its broadcasts times
 * K - 1), for the scaling figures; the status agreements (one int each) are not counted. */
SURVKIT_API uint64_t survkit_mpi_bytes_sent(const survkit_mpi *mpi);

/*
 * Kaplan-Meier over all ranks' rows: each rank passes its own rows with group codes that mean the
 * same on every rank (0..n_groups-1), as survkit_km_fit, with the same variance rule: the robust
 * (infinitesimal jackknife, each row its own cluster) variance when opt->robust = 1, or -1 and some
 * weight on some rank is not an integer; each rank adds its rows' squared influences per time.
 */
SURVKIT_API survkit_status survkit_mpi_km_fit(survkit_mpi *mpi, size_t n, const double *start,
                                              const double *time, const double *status,
                                              const double *weights, const int32_t *group,
                                              size_t n_groups, const char *const *labels,
                                              const survkit_km_options *opt, survkit_km **out,
                                              survkit_error *err);

/* survdiff over all ranks' rows, as survkit_logrank_test (global codes; pairwise tests too). */
SURVKIT_API survkit_status survkit_mpi_logrank_test(survkit_mpi *mpi, size_t n, const double *time,
                                                    const double *status, const int32_t *group,
                                                    size_t n_groups, const int32_t *strata,
                                                    size_t n_strata, const char *const *labels,
                                                    const survkit_logrank_options *opt,
                                                    survkit_logrank **out, survkit_error *err);

/*
 * The Cox fit over all ranks' rows, as survkit_cox_fit_arrays: each rank passes its own rows in
 * `data` (strata and cluster codes that mean the same on every rank, the same p and names); every
 * rank gets the same result. Per Newton iteration the ranks exchange per-event-time sums, O(T p)
 * numbers, and the information, O(p^2): the rows never move. Breslow and Efron ties, strata,
 * weights, offset, (start, stop] data, and the robust variance and robust score test with one
 * cluster per row (robust = ON, or fractional weights under R's default) or of data->cluster's
 * clusters (codes 0..n_clusters-1 meaning the same cluster on every rank, the same n_clusters on
 * every rank: the score residuals summed per cluster, O(n_clusters p) numbers exchanged). The
 * concordance is survkit_mpi_concordance's (below), on the fit's event times: the rows do not
 * move, every event's (score, time, weight) is streamed to every rank once. Not available over
 * ranks (refused with an error): ties = exact. The result has no linear predictor
 * (survkit_cox_result_linear_predictor returns NULL). err->line, for a bad value, is the row of
 * the failing rank (1-based).
 */
SURVKIT_API survkit_status survkit_mpi_cox_fit(survkit_mpi *mpi, const survkit_cox_data *data,
                                               const survkit_cox_options *opt,
                                               survkit_cox_result **out, survkit_error *err);

/*
 * The concordance of a risk score over all ranks' rows, as survkit_concordance_cluster (coxph's
 * fit$concordance: the pair counts and the infinitesimal-jackknife std), exactly and without
 * gathering the rows: each rank keeps its rows, every rank sees every event's (score, time,
 * weight) streamed in rounds of at most `block` events per rank (0: 2^19 / K, at least 256), so
 * a rank holds O(n/K + T + K block) numbers for its n/K rows and T distinct (stratum, event time)
 * pairs.
 * Inputs per rank: its n rows' start (NULL: right-censored; else on every rank), time, status
 * (0/1), linear_predictor, weights (NULL: 1; NULL on every rank or none), strata codes (NULL or
 * 0..n_strata-1, the same meaning and n_strata on every rank), cluster codes (NULL or
 * 0..n_clusters-1 global: the std is then the clusters'). Outputs: as survkit_concordance_cluster,
 * the same on every rank (any may be NULL). With integer weights the counts are exact and equal
 * to the single process's whatever K, and without clusters the concordance and std have the same
 * bits for every K (to round-off of the single process's).
 * Errors: SURVKIT_ERR_DOMAIN for a bad row (err->line its row on the failing rank),
 * SURVKIT_ERR_ARGUMENT when the ranks disagree on the arguments' shape, SURVKIT_ERR_NOMEM.
 */
SURVKIT_API survkit_status survkit_mpi_concordance(survkit_mpi *mpi, size_t n, const double *start,
                                                   const double *time, const double *status,
                                                   const double *linear_predictor,
                                                   const double *weights, const int32_t *strata,
                                                   size_t n_strata, const int32_t *cluster,
                                                   size_t n_clusters, size_t block,
                                                   double *c_index, double *std_err,
                                                   double counts[5], survkit_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SURVKIT_MPI_H */
