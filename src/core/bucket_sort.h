/*
 * bucket_sort.h: a stable sort of doubles that carries a payload word with each key, for the large
 * sorts whose callers read the rows in key order afterwards (the concordance's sweep in order of
 * the linear predictor): the keys and payloads come out in order, so nothing is gathered by row
 * after the sort. Buckets of equal width in value (bucket_sort.c), on two threads for many rows.
 */
#ifndef SURVKIT_BUCKET_SORT_H
#define SURVKIT_BUCKET_SORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A row in sorted order: its key, its payload and its number (one write per row in the scatter). */
typedef struct sk_sort_item {
    double key;
    uint64_t payload;
    size_t row;
} sk_sort_item;

/*
 * Stable ascending sort of keys[n] (no NaN) with payload[n] carried along.
 * Output: out[n], the rows by ascending key, ties in row order (-0 and +0 count as equal keys).
 * Returns false only when scratch memory cannot be allocated (out is then unspecified).
 */
bool sk_sort_carry(const double *keys, const uint64_t *payload, size_t n, sk_sort_item *out);

#endif /* SURVKIT_BUCKET_SORT_H */
