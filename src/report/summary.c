/*
 * summary.c: R's summary() numbers.
 *
 * Quantiles follow R's quantile(type = 7) line by line, so that they are the same doubles:
 * with the sorted values x_(1..n), index = 1 + (n - 1) p, lo = floor(index), hi = ceiling(index),
 * q = x_(lo), and when index > lo and x_(hi) != x_(lo), h = index - lo and
 * q = (1 - h) x_(lo) + h x_(hi). Only order statistics are needed, so they are found by selection
 * (expected O(n)) rather than by sorting. The mean is R's: a long double sum divided by n, then a
 * second pass adding the mean residual (src/main/summary.c, rsum/real_mean).
 */
#include "summary.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void swap(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

/* Rearrange a[from..n) so that a[k] is the value of rank k and a[from..k) <= a[k] <= a[k+1..n)
 * (quickselect with a median-of-three pivot and a three-way partition, for tied values). The
 * caller guarantees a[0..from) <= a[from..n), so ranks count from 0 over the whole array. */
static void select_rank(double *a, size_t from, size_t n, size_t k)
{
    size_t left = from, right = n - 1;
    while (left < right) {
        size_t mid = left + (right - left) / 2;
        double x = a[left], y = a[mid], z = a[right];
        double pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        /* a[left..lt) < pivot, a[lt..i) == pivot, a[above..right] > pivot */
        size_t lt = left, i = left, above = right + 1;
        while (i < above) {
            if (a[i] < pivot) swap(&a[lt++], &a[i++]);
            else if (a[i] > pivot) swap(&a[i], &a[--above]);
            else i++;
        }
        if (k < lt) right = lt - 1;
        else if (k >= above) left = above;
        else return;
    }
}

/* The smallest of a[from..n). */
static double smallest(const double *a, size_t from, size_t n)
{
    double m = a[from];
    for (size_t i = from + 1; i < n; i++)
        if (a[i] < m) m = a[i];
    return m;
}

/* R's type-7 quantile of the values in a[n] (rearranged). Quantiles are asked for in increasing
 * order, and *from (the rank selected last) lets each selection skip the values below it. */
static double quantile7(double *a, size_t n, double p, size_t *from)
{
    double index = 1.0 + (double)(n - 1) * p;
    double lo = floor(index), hi = ceil(index);
    size_t rank_lo = (size_t)lo - 1;
    select_rank(a, *from, n, rank_lo);
    *from = rank_lo;
    double q = a[rank_lo];
    if (hi > lo) {
        double x_hi = smallest(a, rank_lo + 1, n);
        if (index > lo && x_hi != q) {
            double h = index - lo;
            q = (1 - h) * q + h * x_hi;
        }
    }
    return q;
}

static double r_mean(const double *x, size_t n)
{
    long double s = 0;
    for (size_t i = 0; i < n; i++) s += x[i];
    s /= (long double)n;
    if (isfinite((double)s)) {
        long double t = 0;
        for (size_t i = 0; i < n; i++) t += x[i] - s;
        s += t / (long double)n;
    }
    return (double)s;
}

bool report_summary_numeric(const double *x, size_t n, report_summary *out)
{
    memset(out, 0, sizeof *out);
    double *a = malloc((n ? n : 1) * sizeof *a);
    if (a == NULL) return false;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i])) out->missing++;
        else a[m++] = x[i];
    }
    out->n = m;
    if (m == 0) {
        out->min = out->q1 = out->median = out->mean = out->q3 = out->max = NAN;
        free(a);
        return true;
    }
    out->mean = r_mean(a, m);
    double lo = a[0], hi = a[0];
    for (size_t i = 1; i < m; i++) {
        if (a[i] < lo) lo = a[i];
        if (a[i] > hi) hi = a[i];
    }
    out->min = lo;
    out->max = hi;
    size_t from = 0;
    out->q1 = quantile7(a, m, 0.25, &from);
    out->median = quantile7(a, m, 0.5, &from);
    out->q3 = quantile7(a, m, 0.75, &from);
    free(a);
    return true;
}

bool report_level_counts(const int32_t *codes, size_t n, const char *const *levels, size_t n_levels,
                         survkit_collate collate, size_t *order, size_t *counts)
{
    for (size_t k = 0; k < n_levels; k++) counts[k] = 0;
    for (size_t i = 0; i < n; i++)
        if (codes[i] >= 0 && (size_t)codes[i] < n_levels) counts[codes[i]]++;
    return survkit_collate_order(levels, n_levels, collate, order) != 0;
}

int report_decimals(const double *x, size_t n, int digits)
{
    int decimals = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) continue;
        if (x[i] == 0) continue;
        char buf[64];
        snprintf(buf, sizeof buf, "%.*e", digits - 1, x[i]);
        char *e = strchr(buf, 'e');
        if (e == NULL) continue;
        int exponent = atoi(e + 1);
        if (exponent >= 15 || exponent < -15) return -1;
        /* significant digits shown, trailing zeros dropped */
        int sig = 0, last_nonzero = 0;
        for (char *p = buf; p < e; p++) {
            if (*p < '0' || *p > '9') continue;
            sig++;
            if (*p != '0') last_nonzero = sig;
        }
        int needed = last_nonzero - 1 - exponent;
        if (needed > decimals) decimals = needed;
    }
    return decimals > 15 ? -1 : decimals;
}
