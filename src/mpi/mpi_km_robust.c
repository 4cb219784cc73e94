/*
 * mpi_km_robust.c: the robust (infinitesimal jackknife) variance of Kaplan-Meier curves over ranks.
 *
 * Each row is its own cluster (R's survfit(robust = TRUE) without cluster(), as survkit km), so the
 * variance at t_i is a sum over rows of squared influences, and every influence depends only on the
 * curve (global: the counts are already summed over ranks) and on the row's own start, stop,
 * status and weight (src/km/km_robust.c). The library's sk_km_ij_add_rows turns a set of rows into
 * SK_KM_IJ_SUMS sums per time that add over any partition of the rows: each rank adds its rows'
 * sums into a vector of SK_KM_IJ_SUMS * T numbers (T the cells of all groups), the vectors are
 * summed in rank order (mpi_ordered_sum), and every rank finishes the same std.err and std.chaz
 * with sk_km_ij_finish, exactly the single-process code path.
 */
#include "mpi_internal.h"
#include "km/km_internal.h"

#include <stdlib.h>

survkit_status mpi_km_robust(survkit_mpi *mpi, survkit_km *km, const double *const *deaths,
                             size_t n_cells, size_t n, const double *start, const double *time,
                             const double *status, const double *weights, const int32_t *group,
                             int robust_option, survkit_error *err)
{
    const size_t G = km->n_groups;
    double *sums = calloc(SK_KM_IJ_SUMS * n_cells + 1, sizeof *sums);
    size_t *first = calloc(G + 1, sizeof *first);    /* each group's rows in `rows`, then cells */
    size_t *cell0 = calloc(G + 1, sizeof *cell0);
    size_t *rows = malloc((n ? n : 1) * sizeof *rows);
    sk_km_ij *ij = calloc(G ? G : 1, sizeof *ij);
    survkit_status st = sums && first && cell0 && rows && ij ? SURVKIT_OK : SURVKIT_ERR_NOMEM;
    if (st == SURVKIT_OK) { /* the rows by group (a counting sort, in row order within a group) */
        for (size_t i = 0; i < n; i++) first[(group ? (size_t)group[i] : 0) + 1]++;
        for (size_t g = 0; g < G; g++) first[g + 1] += first[g];
        for (size_t g = 0; g < G; g++) cell0[g] = first[g]; /* the fill positions, first */
        for (size_t i = 0; i < n; i++) rows[cell0[group ? (size_t)group[i] : 0]++] = i;
        cell0[0] = 0; /* then each group's first cell */
        for (size_t g = 0; g < G; g++) cell0[g + 1] = cell0[g] + km->curves[g].n_times;
    }
    for (size_t g = 0; st == SURVKIT_OK && g < G; g++) {
        st = sk_km_ij_init(&ij[g], &km->curves[g], deaths[g], km->opt.ctype);
        if (st == SURVKIT_OK)
            st = sk_km_ij_add_rows(&ij[g], rows + first[g], first[g + 1] - first[g], start, time,
                                   status, weights, sums + SK_KM_IJ_SUMS * cell0[g]);
    }
    if (st != SURVKIT_OK) st = mpi_fail(err, SURVKIT_ERR_NOMEM, "km: out of memory");
    if ((st = survkit_mpi_agree(mpi, st, err)) == SURVKIT_OK &&
        (st = mpi_ordered_sum(mpi, sums, SK_KM_IJ_SUMS * n_cells, err)) == SURVKIT_OK) {
        for (size_t g = 0; g < G; g++)
            if (km->curves[g].n_times > 0)
                sk_km_ij_finish(&ij[g], sums + SK_KM_IJ_SUMS * cell0[g], &km->curves[g]);
        sk_km_set_robust(km, robust_option);
    }
    for (size_t g = 0; ij && g < G; g++) sk_km_ij_free(&ij[g]);
    free(ij);
    free(sums);
    free(first);
    free(cell0);
    free(rows);
    return st;
}
