/*
 * concordance.h: the concordance of a Cox model's linear predictor, as coxph reports it in
 * fit$concordance (the "concordance" and "std" entries). Internal to libsurvkit; programs use
 * survkit_concordance() in <survkit/concordance.h>.
 */
#ifndef SK_COX_CONCORDANCE_H
#define SK_COX_CONCORDANCE_H

#include "core/internal.h"
#include "cox/cox_internal.h"

/*
 * Arrays the caller reads no more, lent for the concordance's own n-sized scratch (the packed words,
 * then the rows' slots), so that it maps no fresh pages for them: each NULL or room for n doubles,
 * distinct, not the inputs. The Cox fit lends its workspace's risks and its weights, and its
 * workspace's scratch block as sort_space (sort_bytes long; used for the rows in sorted order when
 * it holds n sk_sort_item, else an array is allocated).
 */
typedef struct sk_concordance_loan {
    void *block[2];
    void *sort_space;
    size_t sort_bytes;
} sk_concordance_loan;

/*
 * survkit_concordance_cluster from a risk-set layout the caller already holds (the Cox fit's), so
 * that the times are not sorted again.
 * Inputs: lay, built by sk_cox_layout_build from the n = lay->n rows' start/time/status/strata;
 * status[n] as given to it; linear_predictor[n] (no NaN); weights[n] (NULL = all 1, else finite
 * and >= 0); cluster[n] codes 0..n_clusters-1 or NULL; loan NULL or as above.
 * Outputs: *c_index, *std_err, counts[5] as survkit_concordance_cluster (any may be NULL).
 * Errors: SURVKIT_ERR_DOMAIN for a NaN score, SURVKIT_ERR_ARGUMENT for a bad cluster code,
 * SURVKIT_ERR_NOMEM.
 */
survkit_status sk_concordance_layout(const sk_cox_layout *lay, const double *status,
                                     const double *linear_predictor, const double *weights,
                                     const int32_t *cluster, size_t n_clusters,
                                     const sk_concordance_loan *loan, double *c_index,
                                     double *std_err, double counts[5], survkit_error *err);

/*
 * The pieces of the result that do not depend on how the counts were found (shared with the
 * distributed concordance of libsurvkit-mpi, src/mpi/mpi_concordance.c).
 * sk_concordance_dfbeta: row k's dfbeta v_k (U_k - d M_k) / m (concordance.c's header), with
 * d = Somers' d and m = C + D + T the comparable pairs.
 * sk_concordance_report: from pairs[5] = C, D, T, Ty (tied on time, tied_xy included), Txy and
 * var(d) = sum of squared dfbeta, writes *c_index = (d + 1)/2, *std_err = sqrt(var(d) / 4) (NaN
 * both when m = 0) and counts[5] in <survkit/concordance.h>'s order (any may be NULL).
 */
static inline double sk_concordance_dfbeta(double v, double u, double m, double somers_d,
                                           double pairs)
{
    return v * (u - somers_d * m) / pairs;
}

void sk_concordance_report(const double pairs[5], double var_d, double *c_index, double *std_err,
                           double counts[5]);

#endif /* SK_COX_CONCORDANCE_H */
