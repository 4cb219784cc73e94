/*
 * mpi_codes.c: global km/logrank groups, strata and cluster() codes. Each rank sends one
 * representative row per group, stratum and cluster it holds; every rank builds the frame of all
 * those rows (the same on all), whose groups, strata and clusters are the global ones, in R's order
 * with R's labels (padding included), and renumbers its own rows with them. Clusters cost
 * n_clusters representative rows: O(n_clusters x columns) doubles gathered on every rank.
 */
#include "mpi_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mpi_frame_options(const cli_common *common, bool groups, survkit_frame_options *opt)
{
    survkit_frame_options_init(opt);
    opt->weights = common->weights;
    opt->groups = groups;
    opt->timefix = !common->no_timefix;
    opt->collate = common->collate_c ? SURVKIT_COLLATE_C : SURVKIT_COLLATE_UTF8;
}

/*
 * Global group, stratum and cluster codes. Each rank takes, for each group (stratum, cluster) code
 * of its frame, its first row, and sends that row's values (numbers, or global level codes); every
 * rank builds the frame of all these rows (identical on all), whose groups, strata and clusters are
 * the global ones (clusters: the union of every rank's values, ordered as the frame orders them).
 */
survkit_status mpi_global_codes(survkit_mpi *mpi, const cli_common *common, bool groups,
                                   const survkit_table *table, const int32_t *const *codes,
                                   const char *const *const *levels, const size_t *n_levels,
                                   mpi_part *part, survkit_error *err)
{
    const int K = survkit_mpi_size(mpi), me = survkit_mpi_rank(mpi);
    const survkit_frame *f = part->frame;
    const size_t n = survkit_frame_n(f), nc = survkit_table_n_columns(table);
    const size_t G = groups ? survkit_frame_n_groups(f) : 0, S = survkit_frame_n_strata(f);
    const size_t C = survkit_frame_n_clusters(f);
    const int32_t *gc = groups ? survkit_frame_groups(f) : NULL, *sc = survkit_frame_strata(f);
    const int32_t *cc = survkit_frame_cluster(f);
    const size_t *row = survkit_frame_row_index(f);
    int counts[3] = {(int)G, (int)S, (int)C}, *all = calloc(3 * (size_t)K, sizeof *all);
    int *sizes = calloc((size_t)K, sizeof *sizes), *displ = calloc((size_t)K, sizeof *displ);
    size_t *rep = calloc(G + S + C + 1, sizeof *rep);
    double *mine = calloc((G + S + C) * nc + 1, sizeof *mine);
    survkit_status st = all && sizes && displ && rep && mine
                            ? SURVKIT_OK : mpi_cli_error(err, SURVKIT_ERR_NOMEM, "out of memory");
    double *reps = NULL;
    survkit_table *rt = NULL;
    survkit_frame *rf = NULL;
    int32_t *fcodes = NULL;
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) goto done;
    for (size_t k = 0; k < G + S + C; k++) rep[k] = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        if (gc && rep[gc[i]] == SIZE_MAX) rep[gc[i]] = row[i];
        if (sc && rep[G + (size_t)sc[i]] == SIZE_MAX) rep[G + (size_t)sc[i]] = row[i];
        if (cc && rep[G + S + (size_t)cc[i]] == SIZE_MAX) rep[G + S + (size_t)cc[i]] = row[i];
    }
    for (size_t k = 0; k < G + S + C; k++) {
        if (rep[k] == SIZE_MAX) rep[k] = row[0]; /* a level without rows here: any row will do */
        for (size_t j = 0; j < nc; j++)
            mine[k * nc + j] = codes[j] ? (double)codes[j][rep[k]]
                                        : survkit_table_numeric(table, j)[rep[k]];
    }
    MPI_Allgather(counts, 3, MPI_INT, all, 3, MPI_INT, MPI_COMM_WORLD);
    size_t total = 0, before = 0;
    for (int r = 0; r < K; r++) {
        if (r == me) before = total;
        sizes[r] = (all[3 * r] + all[3 * r + 1] + all[3 * r + 2]) * (int)nc;
        displ[r] = (int)(total * nc);
        total += (size_t)(all[3 * r] + all[3 * r + 1] + all[3 * r + 2]);
    }
    reps = malloc((total * nc + 1) * sizeof *reps);
    fcodes = malloc((total + 1) * sizeof *fcodes);
    st = reps && fcodes ? SURVKIT_OK : mpi_cli_error(err, SURVKIT_ERR_NOMEM, "out of memory");
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) goto done;
    MPI_Allgatherv(mine, sizes[me], MPI_DOUBLE, reps, sizes, displ, MPI_DOUBLE, MPI_COMM_WORLD);
    /* the table of representative rows, column by column */
    double *col = malloc((total + 1) * sizeof *col);
    st = col ? survkit_table_create(total, &rt, err) : mpi_cli_error(err, SURVKIT_ERR_NOMEM, "out of memory");
    for (size_t j = 0; st == SURVKIT_OK && j < nc; j++) {
        for (size_t k = 0; k < total; k++) col[k] = reps[k * nc + j];
        if (codes[j] == NULL) {
            st = survkit_table_add_numeric(rt, survkit_table_column_name(table, j), col, err);
            continue;
        }
        for (size_t k = 0; k < total; k++) fcodes[k] = (int32_t)col[k];
        st = survkit_table_add_factor(rt, survkit_table_column_name(table, j), fcodes, levels[j],
                                      n_levels[j], err);
    }
    free(col);
    survkit_frame_options opt;
    mpi_frame_options(common, true, &opt);
    if (st == SURVKIT_OK) st = survkit_frame_build(rt, common->formula, &opt, &rf, err);
    if (st == SURVKIT_OK && survkit_frame_n(rf) != total)
        st = mpi_cli_error(err, SURVKIT_ERR_DOMAIN, "the groups could not be made global");
    if (st == SURVKIT_OK) {
        part->n_groups = groups ? survkit_frame_n_groups(rf) : 0;
        part->n_strata = survkit_frame_n_strata(rf);
        part->group = groups ? malloc((n ? n : 1) * sizeof *part->group) : NULL;
        part->stratum = sc ? malloc((n ? n : 1) * sizeof *part->stratum) : NULL;
        part->n_clusters = survkit_frame_n_clusters(rf);
        part->cluster = cc ? malloc((n ? n : 1) * sizeof *part->cluster) : NULL;
        part->group_labels = calloc(part->n_groups + 1, sizeof *part->group_labels);
        part->strata_labels = calloc(part->n_strata + 1, sizeof *part->strata_labels);
        bool ok = (!groups || part->group) && (!sc || part->stratum) && (!cc || part->cluster) &&
                  part->group_labels &&
                  part->strata_labels;
        for (size_t k = 0; ok && k < part->n_groups; k++)
            ok = (part->group_labels[k] = strdup(survkit_frame_group_label(rf, k))) != NULL;
        for (size_t k = 0; ok && k < part->n_strata; k++)
            ok = (part->strata_labels[k] = strdup(survkit_frame_strata_label(rf, k))) != NULL;
        if (!ok) st = mpi_cli_error(err, SURVKIT_ERR_NOMEM, "out of memory");
        const size_t base = before; /* my first representative row */
        for (size_t i = 0; st == SURVKIT_OK && i < n; i++) {
            if (gc) part->group[i] = survkit_frame_groups(rf)[base + (size_t)gc[i]];
            if (sc) part->stratum[i] = survkit_frame_strata(rf)[base + G + (size_t)sc[i]];
            if (cc) part->cluster[i] = survkit_frame_cluster(rf)[base + G + S + (size_t)cc[i]];
        }
    }
    st = survkit_mpi_agree(mpi, st, err);
done:
    survkit_frame_free(rf);
    survkit_table_free(rt);
    free(all), free(sizes), free(displ), free(rep), free(mine), free(reps), free(fcodes);
    return st;
}
