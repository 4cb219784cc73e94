/*
 * mpi_km.c: Kaplan-Meier and survdiff over ranks, each rank holding its own rows.
 *
 * Both estimators depend on the rows only through per-(code, time) counts: for Kaplan-Meier per
 * (group, time) the weighted events, censorings, rows ending (stop) and rows entering (start, for
 * (start, stop] data), and the unweighted events; for survdiff per (stratum, time) the rows ending
 * and the deaths of each group. So: the global grid of (code, time) cells is agreed (mpi_grid.c),
 * each rank counts its rows into the grid, the counts are summed in rank order (5T + G numbers for
 * Kaplan-Meier, 2Tk for survdiff), and every rank finishes with the library's fit from counts. At
 * risk at t_k is the suffix sum over the group's cells j >= k of the ending weights minus that of
 * the entering weights, a row entering at s counted in the last cell with t_j <= s (it is not at
 * risk at t_j <= s).
 */
#include "mpi_internal.h"
#include "core/internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

survkit_status survkit_mpi_km_fit(survkit_mpi *mpi, size_t n, const double *start,
                                  const double *time, const double *status, const double *weights,
                                  const int32_t *group, size_t n_groups, const char *const *labels,
                                  const survkit_km_options *opt, survkit_km **out,
                                  survkit_error *err)
{
    survkit_status st = SURVKIT_OK;
    if (out == NULL || time == NULL || status == NULL || n_groups == 0 || (group == NULL && n_groups != 1))
        st = mpi_fail(err, SURVKIT_ERR_ARGUMENT, "km: bad arguments");
    for (size_t i = 0; st == SURVKIT_OK && i < n; i++)
        if (!isfinite(time[i]) || (status[i] != 0 && status[i] != 1) ||
            (group && (group[i] < 0 || (size_t)group[i] >= n_groups)) ||
            (start && !(start[i] < time[i])) || (weights && !(weights[i] >= 0 && isfinite(weights[i]))))
            st = mpi_fail(err, SURVKIT_ERR_DOMAIN, "km: row %zu of rank %d: bad time, status, group or weight",
                          i + 1, mpi->rank);
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) return st;
    *out = NULL;
    /* R's default rule (robust when some weight is not an integer) over all ranks */
    const bool robust_default = opt == NULL || opt->robust == -1;
    double fractions = 0;
    for (size_t i = 0; robust_default && weights && i < n; i++)
        fractions += !sk_is_integer(weights[i]);
    if ((st = mpi_ordered_sum(mpi, &fractions, 1, err)) != SURVKIT_OK) return st;
    const int robust_option = opt ? opt->robust : -1;
    const bool robust = robust_option == 1 || (robust_option == -1 && fractions > 0);
    mpi_grid grid;
    if ((st = mpi_grid_build(mpi, n, group, time, &grid, err)) != SURVKIT_OK) return st;
    const size_t T = grid.n_cells, G = n_groups;
    /* ev, ce, dd, ending, entering: 5 blocks of T; then the records of each group */
    double *v = calloc(5 * T + G, sizeof *v);
    double *risk = malloc((T ? T : 1) * sizeof *risk);
    survkit_km_counts *counts = calloc(G, sizeof *counts);
    const double **deaths = calloc(G, sizeof *deaths);
    st = v && risk && counts && deaths ? SURVKIT_OK
                                       : mpi_fail(err, SURVKIT_ERR_NOMEM, "km: out of memory");
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) goto done;
    double *ev = v, *ce = v + T, *dd = v + 2 * T, *ending = v + 3 * T, *entering = v + 4 * T,
           *records = v + 5 * T;
    for (size_t i = 0; i < n; i++) {
        int32_t g = group ? group[i] : 0;
        size_t c = mpi_grid_find(&grid, g, time[i]);
        double w = weights ? weights[i] : 1.0;
        if (status[i] == 1) {
            ev[c] += w;
            dd[c] += 1;
        } else {
            ce[c] += w;
        }
        ending[c] += w;
        records[g] += 1;
        if (start != NULL) {
            size_t e = mpi_grid_last_at_or_before(&grid, g, start[i]);
            if (e != SIZE_MAX) entering[e] += w;
        }
    }
    if ((st = mpi_ordered_sum(mpi, v, 5 * T + G, err)) != SURVKIT_OK) goto done;
    for (size_t c1 = T; c1 > 0;) { /* each group's cells [c0, c1), suffix sums */
        size_t c0 = c1 - 1;
        while (c0 > 0 && grid.code[c0 - 1] == grid.code[c1 - 1]) c0--;
        double in = 0, left = 0;
        for (size_t c = c1; c-- > c0;) {
            in += ending[c];
            left += entering[c];
            risk[c] = in - left;
        }
        size_t g = (size_t)grid.code[c0];
        counts[g] = (survkit_km_counts){c1 - c0, (size_t)records[g], grid.time + c0, risk + c0,
                                        ev + c0, ce + c0, dd + c0};
        c1 = c0;
    }
    survkit_km_options o;
    survkit_km_options_init(&o);
    if (opt) o = *opt;
    o.robust = 0;
    st = survkit_km_fit_counts(G, counts, labels, start != NULL, &o, out, err);
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK || !robust) goto done;
    for (size_t g = 0; g < G; g++) deaths[g] = counts[g].deaths;
    st = mpi_km_robust(mpi, *out, deaths, T, n, start, time, status, weights, group, robust_option,
                       err);
    if (st != SURVKIT_OK) {
        survkit_km_free(*out);
        *out = NULL;
    }
done:
    mpi_grid_free(&grid);
    free(v);
    free(risk);
    free(counts);
    free(deaths);
    return st;
}

survkit_status survkit_mpi_logrank_test(survkit_mpi *mpi, size_t n, const double *time,
                                        const double *status, const int32_t *group,
                                        size_t n_groups, const int32_t *strata, size_t n_strata,
                                        const char *const *labels,
                                        const survkit_logrank_options *opt, survkit_logrank **out,
                                        survkit_error *err)
{
    survkit_status st = SURVKIT_OK;
    if (out == NULL || time == NULL || status == NULL || group == NULL || n_groups < 2)
        st = mpi_fail(err, SURVKIT_ERR_ARGUMENT, "logrank: bad arguments");
    for (size_t i = 0; st == SURVKIT_OK && i < n; i++)
        if (!isfinite(time[i]) || (status[i] != 0 && status[i] != 1) || group[i] < 0 ||
            (size_t)group[i] >= n_groups || (strata && (strata[i] < 0 || (size_t)strata[i] >= n_strata)))
            st = mpi_fail(err, SURVKIT_ERR_DOMAIN,
                          "logrank: row %zu of rank %d: bad time, status, group or stratum", i + 1,
                          mpi->rank);
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) return st;
    *out = NULL;
    mpi_grid grid;
    if ((st = mpi_grid_build(mpi, n, strata, time, &grid, err)) != SURVKIT_OK) return st;
    const size_t T = grid.n_cells, k = n_groups;
    double *v = calloc(2 * T * k + 1, sizeof *v); /* ended[T*k], deaths[T*k] */
    st = v ? SURVKIT_OK : mpi_fail(err, SURVKIT_ERR_NOMEM, "logrank: out of memory");
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) goto done;
    for (size_t i = 0; i < n; i++) {
        size_t c = mpi_grid_find(&grid, strata ? strata[i] : 0, time[i]);
        v[c * k + (size_t)group[i]] += 1;
        v[T * k + c * k + (size_t)group[i]] += status[i];
    }
    if ((st = mpi_ordered_sum(mpi, v, 2 * T * k, err)) != SURVKIT_OK) goto done;
    st = survkit_logrank_test_counts(T, strata ? grid.code : NULL, strata ? n_strata : 1, k, v,
                                     v + T * k, labels, opt, out, err);
done:
    mpi_grid_free(&grid);
    free(v);
    return st;
}
