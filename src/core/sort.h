/*
 * sort.h: linear-time stable sorting of row indices, shared by every estimator.
 *
 * Design (../docs/design.md): sorting is the whole cost of Kaplan-Meier and a large part of Cox, so
 * no comparison sort is used. Keys that are all small integers (days, months) are counting-sorted;
 * any other doubles are LSD-radix-sorted on their IEEE-754 bits. Orders compose: sort by time, then
 * stably by group code, to get (group, time) order.
 */
#ifndef SURVKIT_SORT_H
#define SURVKIT_SORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Stable ascending order of `keys`.
 * Inputs: keys[n] (no NaN), `descending` to sort from largest to smallest (ties keep input order).
 * Output: order[n], a permutation of 0..n-1 with keys[order[i]] monotone.
 * Returns false only when scratch memory cannot be allocated (order is then unspecified).
 */
bool sk_sort_order(const double *keys, size_t n, bool descending, size_t *order);

/*
 * Stable counting sort of an existing order by small integer codes.
 * Inputs: codes[row] in 0..n_codes-1 for every row named in in_order[n].
 * Output: out_order[n] (may not alias in_order): the rows of in_order grouped by ascending code,
 * each group keeping its order in in_order. Returns false when scratch memory cannot be allocated.
 */
bool sk_sort_by_code(const int32_t *codes, size_t n_codes, const size_t *in_order, size_t n,
                     size_t *out_order);

#endif /* SURVKIT_SORT_H */
