/*
 * timefix.c: times that differ only by round-off made equal, as R's coxph, survfit and survdiff do
 * by default (timefix = TRUE, survival's aeqSurv).
 *
 * Rule (the same decision as R's all.equal): with y_1 < ... < y_m the distinct finite times of the
 * response (start and stop times together for counting-process data), tol = sqrt(DBL_EPSILON) =
 * 2^-26 and mu = mean(|y_k|), consecutive times are tied when
 *
 *     y_{k+1} - y_k <= tol   or   (y_{k+1} - y_k) / mu <= tol,
 *
 * and every time becomes the first of its chain of tied times (a chain may span more than tol).
 * mu is R's mean(): a long double sum divided by m, corrected by the mean of the residuals.
 *
 * Times that are all integers below 2^25 in magnitude need no work: distinct ones are at least 1
 * apart, and 1 / mu > 2^-25 / 1 > tol. Anything else is sorted (core/sort.h) once.
 */
#include "formula/formula_internal.h"

#include "core/internal.h"
#include "core/sort.h"

#include <math.h>
#include <stdlib.h>

static const double TIMEFIX_TOLERANCE = 1.4901161193847656e-08; /* sqrt(.Machine$double.eps) */

/* R's mean() of values[order[q]] over the first occurrence of each distinct value. */
static double mean_abs_distinct(const double *values, const size_t *order, size_t count)
{
    long double sum = 0;
    size_t m = 0;
    for (size_t q = 0; q < count; q++) {
        const double v = values[order[q]];
        if (q > 0 && v == values[order[q - 1]]) continue;
        sum += fabsl((long double)v);
        m++;
    }
    long double mean = sum / (long double)m, residual = 0;
    if (isfinite((double)mean)) {
        for (size_t q = 0; q < count; q++) {
            const double v = values[order[q]];
            if (q > 0 && v == values[order[q - 1]]) continue;
            residual += fabsl((long double)v) - mean;
        }
        mean += residual / (long double)m;
    }
    return (double)mean;
}

static bool small_integers(const double *values, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (!sk_is_integer(values[i]) || fabs(values[i]) >= 33554432.0) return false; /* 2^25 */
    return true;
}

bool sk_time_fix_is_identity(const double *time, size_t n)
{
    return small_integers(time, n);
}

survkit_status sk_time_fix(double *start, double *time, size_t n, size_t *bad_row,
                           survkit_error *err)
{
    *bad_row = SIZE_MAX;
    const size_t count = start != NULL ? 2 * n : n;
    if (n == 0 || (small_integers(time, n) && (start == NULL || small_integers(start, n))))
        return SURVKIT_OK;
    /* values: the times, then the starts; each sorted once, together */
    double *values = sk_malloc_array(count, sizeof *values);
    size_t *order = sk_malloc_array(count, sizeof *order);
    bool ok = values != NULL && order != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        values[i] = time[i];
        if (start != NULL) values[n + i] = start[i];
    }
    ok = ok && sk_sort_order(values, count, false, order);
    if (!ok) {
        free(values), free(order);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (timefix)");
    }
    /* Walk the values in order: each takes the first value of its chain of tied distinct values.
     * (The times are finite here: the response refuses the others.) */
    const double mu = mean_abs_distinct(values, order, count);
    double chain_first = values[order[0]], previous = chain_first;
    bool changed = false;
    for (size_t q = 0; q < count; q++) {
        double *at = order[q] < n ? &time[order[q]] : &start[order[q] - n];
        const double v = values[order[q]];
        if (v != previous) {
            const double gap = v - previous;
            if (!(gap <= TIMEFIX_TOLERANCE || gap / mu <= TIMEFIX_TOLERANCE)) chain_first = v;
            previous = v;
        }
        changed = changed || chain_first != v;
        *at = chain_first;
    }
    /* An interval that the fix closed is an error, as in R. */
    for (size_t i = 0; changed && start != NULL && i < n; i++)
        if (start[i] == time[i] && values[n + i] != values[i]) {
            *bad_row = i;
            break;
        }
    free(values), free(order);
    if (*bad_row != SIZE_MAX)
        return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, 0, 0,
                            "aeqSurv exception, an interval has effective length 0 (its start and "
                            "stop differ by round-off only: R's timefix makes them one time)");
    return SURVKIT_OK;
}
