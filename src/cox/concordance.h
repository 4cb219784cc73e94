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
 * distinct, not the inputs. The Cox fit lends its workspace's risks and its weights.
 */
typedef struct sk_concordance_loan {
    void *block[2];
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

#endif /* SK_COX_CONCORDANCE_H */
