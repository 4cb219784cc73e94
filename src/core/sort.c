/*
 * sort.c: counting sort for integer-valued keys, LSD radix sort on IEEE-754 bits otherwise.
 *
 * Radix keys: a double's bits, with the sign bit flipped for non-negative values and every bit
 * flipped for negative ones, order as unsigned integers exactly as the doubles order (-0 sorts
 * before +0, which no caller distinguishes). Eight passes of 8 bits; a pass whose digit is the same
 * for every key is skipped, so integer-like keys of moderate range cost few passes.
 */
#include "core/sort.h"
#include "core/memory.h"

#include "core/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Largest key range counted directly: the counts array costs 8 bytes per possible value. */
static size_t counting_range_limit(size_t n) { return n + ((size_t)1 << 16); }

static uint64_t radix_key(double x)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    return (bits & UINT64_C(0x8000000000000000)) ? ~bits : bits | UINT64_C(0x8000000000000000);
}

static bool counting_sort(const double *keys, size_t n, double lo, size_t range, bool descending,
                          size_t *order)
{
    size_t *start = sk_calloc_array(range + 1, sizeof *start);
    if (start == NULL) return false;
    for (size_t i = 0; i < n; i++) {
        size_t bucket = (size_t)(keys[i] - lo);
        if (descending) bucket = range - 1 - bucket;
        start[bucket + 1]++;
    }
    for (size_t b = 0; b < range; b++) start[b + 1] += start[b];
    for (size_t i = 0; i < n; i++) {
        size_t bucket = (size_t)(keys[i] - lo);
        if (descending) bucket = range - 1 - bucket;
        order[start[bucket]++] = i;
    }
    free(start);
    return true;
}

static bool radix_sort(const double *keys, size_t n, bool descending, size_t *out)
{
    size_t *order = out;
    uint64_t *key = sk_malloc_filled(n, sizeof *key);
    uint64_t *key_tmp = sk_malloc_filled(n, sizeof *key_tmp);
    size_t *order_tmp = sk_malloc_filled(n, sizeof *order_tmp);
    size_t (*histogram)[256] = calloc(8, sizeof *histogram);
    bool ok = key && key_tmp && order_tmp && histogram;
    if (ok) {
        for (size_t i = 0; i < n; i++) {
            key[i] = descending ? ~radix_key(keys[i]) : radix_key(keys[i]);
            order[i] = i;
            for (int pass = 0; pass < 8; pass++) histogram[pass][(key[i] >> (8 * pass)) & 0xff]++;
        }
        for (int pass = 0; pass < 8; pass++) {
            size_t *count = histogram[pass];
            if (count[(key[0] >> (8 * pass)) & 0xff] == n) continue; /* one digit value: no-op */
            size_t offset = 0;
            for (int d = 0; d < 256; d++) {
                size_t c = count[d];
                count[d] = offset;
                offset += c;
            }
            for (size_t i = 0; i < n; i++) {
                size_t slot = count[(key[i] >> (8 * pass)) & 0xff]++;
                key_tmp[slot] = key[i];
                order_tmp[slot] = order[i];
            }
            uint64_t *swap_key = key;
            key = key_tmp;
            key_tmp = swap_key;
            size_t *swap_order = order;
            order = order_tmp;
            order_tmp = swap_order;
        }
        if (order != out) { /* an odd number of passes: the result is in the scratch array */
            memcpy(out, order, n * sizeof *out);
            order_tmp = order;
        }
    }
    free(key);
    free(key_tmp);
    free(order_tmp);
    free(histogram);
    return ok;
}

bool sk_sort_order(const double *keys, size_t n, bool descending, size_t *order)
{
    if (n == 0) return true;
    double lo = keys[0], hi = keys[0];
    bool integral = true;
    for (size_t i = 0; i < n; i++) {
        double k = keys[i];
        if (k < lo) lo = k;
        if (k > hi) hi = k;
        if (integral && !sk_is_integer(k)) integral = false;
    }
    /* hi - lo is exact for integers below 2^53; the range test keeps the cast in bounds. */
    if (integral && isfinite(lo) && isfinite(hi) && hi - lo < (double)counting_range_limit(n))
        return counting_sort(keys, n, lo, (size_t)(hi - lo) + 1, descending, order);
    return radix_sort(keys, n, descending, order);
}

bool sk_sort_by_code(const int32_t *codes, size_t n_codes, const size_t *in_order, size_t n,
                     size_t *out_order)
{
    size_t *start = sk_calloc_array(n_codes + 1, sizeof *start);
    if (start == NULL) return false;
    for (size_t i = 0; i < n; i++) start[(size_t)codes[in_order[i]] + 1]++;
    for (size_t c = 0; c < n_codes; c++) start[c + 1] += start[c];
    for (size_t i = 0; i < n; i++) out_order[start[(size_t)codes[in_order[i]]]++] = in_order[i];
    free(start);
    return true;
}
