/*
 * event_quantiles.c: cut points at the event-time quantiles, for piecewise-constant hazards:
 * R's quantile(time[status == 1], probs = (1:(k-1))/k), type 7: with the n event times sorted
 * x_1 <= ... <= x_n, index = 1 + (n - 1) p, lo = floor(index), hi = ceiling(index), h = index - lo,
 * and the quantile (1 - h) x_lo + h x_hi when index > lo and x_hi != x_lo, else x_lo (the same
 * operations, in the same order, as stats:::quantile.default).
 */
#include "tvc/tvc_internal.h"
#include "formula/formula_internal.h"

#include <math.h>
#include <stdlib.h>

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

survkit_status survkit_split_event_quantiles(const survkit_table *data, const char *formula,
                                             size_t k, double **cuts, size_t *n_cuts,
                                             survkit_error *err)
{
    RETURN_ERROR_IF(data == NULL || formula == NULL || cuts == NULL || n_cuts == NULL, err,
                    SURVKIT_ERR_ARGUMENT, "survkit_split_event_quantiles: NULL argument");
    RETURN_ERROR_IF(k < 2 || k > 100000, err, SURVKIT_ERR_ARGUMENT,
                    "the number of quantile groups must be 2 or more (at most 100000), not %zu", k);
    *cuts = NULL;
    *n_cuts = 0;
    /* The response as survSplit sees it (cut at no point): its stop and status columns. */
    survkit_table *split = NULL;
    survkit_split_columns where;
    survkit_split_options opt;
    survkit_split_options_init(&opt);
    opt.episode_name = NULL;
    RETURN_IF_ERROR(survkit_table_split(data, formula, NULL, 0, &opt, &split, &where, err));
    const double *stop = split->columns[where.stop].numbers;
    const double *status = split->columns[where.event].numbers;
    size_t n = 0;
    double *x = sk_malloc_array(split->n_rows, sizeof *x);
    double *q = sk_malloc_array(k - 1, sizeof *q);
    if (x == NULL || q == NULL) {
        free(x);
        free(q);
        survkit_table_free(split);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < split->n_rows; i++)
        if (status[i] == 1 && !isnan(stop[i])) x[n++] = stop[i];
    survkit_table_free(split);
    if (n == 0) {
        free(x);
        free(q);
        return sk_error_set(err, SURVKIT_ERR_NO_DATA, NULL, 0, 0,
                            "no events: event-time quantiles need at least one event");
    }
    qsort(x, n, sizeof *x, compare_doubles);
    for (size_t j = 1; j < k; j++) {
        double p = (double)j / (double)k;
        double index = 1 + (double)(n - 1) * p;
        double lo = floor(index), hi = ceil(index);
        double qs = x[(size_t)lo - 1], xhi = x[(size_t)hi - 1];
        if (index > lo && xhi != qs) {
            double h = index - lo;
            qs = (1 - h) * qs + h * xhi;
        }
        q[j - 1] = qs;
    }
    free(x);
    *cuts = q;
    *n_cuts = k - 1;
    return SURVKIT_OK;
}
