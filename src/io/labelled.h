/*
 * labelled.h: a numeric column with value labels turned into a factor, as R's
 * droplevels(haven::as_factor(x)) does (labelled.c).
 */
#ifndef SURVKIT_IO_LABELLED_H
#define SURVKIT_IO_LABELLED_H

#include "core/internal.h"

/*
 * Inputs: x[n] (NaN = missing); the value labels, n_labels codes `values` in increasing order with
 * their texts. Outputs (allocated, owned by the caller): codes[n] (-1 = missing) and the levels.
 * haven's rule: every value present and every labelled code, sorted by value, is named by its label
 * (or, unlabelled, by its number as R's as.character writes it); the distinct names in that order
 * are the levels; then the levels no row takes are dropped (droplevels). SURVKIT_ERR_NOMEM only.
 */
survkit_status sk_labelled_factor(const double *x, size_t n, const double *values,
                                  char *const *texts, size_t n_labels, int32_t **codes,
                                  char ***levels, size_t *n_levels);

#endif /* SURVKIT_IO_LABELLED_H */
