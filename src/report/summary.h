/*
 * summary.h: the numbers of R's summary() for one column, for `survkit describe`.
 */
#ifndef SURVKIT_REPORT_SUMMARY_H
#define SURVKIT_REPORT_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "survkit/survkit.h"

/* R's summary.default of a numeric vector: Min., 1st Qu., Median, Mean, 3rd Qu., Max. */
typedef struct report_summary {
    double min, q1, median, mean, q3, max;
    size_t n;       /* non-missing values */
    size_t missing; /* NaN values (R's NA's) */
} report_summary;

/*
 * Summarise x[n] (NaN = missing), as R's summary(x): quantile(x, type = 7) and mean(x) over the
 * non-missing values. With no value left, every number is NaN (R prints NA). Uses O(n) scratch;
 * returns false only when it cannot be allocated.
 */
bool report_summary_numeric(const double *x, size_t n, report_summary *out);

/*
 * Level counts of a dictionary-encoded column, in sorted order as R's factor() sorts them (R in a
 * UTF-8 locale, or bytes as with LC_COLLATE=C: `collate`, see survkit_collate).
 * Inputs: codes[n] (-1 = missing), levels[n_levels].
 * Outputs: order[n_levels], the level indices sorted by name; counts[n_levels], the number of rows
 * with each level (indexed by level, not by rank). Returns false when scratch memory runs out.
 */
bool report_level_counts(const int32_t *codes, size_t n, const char *const *levels, size_t n_levels,
                         survkit_collate collate, size_t *order, size_t *counts);

/*
 * The number of decimals R's format(x, digits) prints for a vector: the largest number of
 * decimals any finite value needs to show `digits` significant digits (trailing zeros dropped).
 * Returns -1 when fixed notation would need more than 15 decimals or values past 1e15 (then
 * print each with %.*g).
 */
int report_decimals(const double *x, size_t n, int digits);

#endif /* SURVKIT_REPORT_SUMMARY_H */
