/*
 * mpi_load.c: each rank reads its part of the data and builds the frame of its rows so that the
 * frames of all ranks together are the frame of the whole file: its part (mpi_read.c), the header
 * agreed and the text columns' levels made global (mpi_levels.c), the frame, the rows dropped for
 * missing values counted over ranks, and the groups, strata and clusters made global
 * (mpi_codes.c). poly() and ns() are refused. A failure on any rank stops all
 * (survkit_mpi_agree); only the lowest failing rank prints, its lines numbered as lines of the
 * file.
 */
#include "mpi_cli.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* After an agreement: the lowest failing rank prints its error (lines of its part). */
static void report_if_first(survkit_mpi *mpi, const cli_common *common, const mpi_part *part,
                            survkit_error *err)
{
    if (survkit_mpi_failed_rank(mpi) != survkit_mpi_rank(mpi)) return;
    if (part != NULL && err->line > 1) err->line += part->line_offset;
    if (part != NULL && err->line > 0 && err->source[0] == '\0')
        snprintf(err->source, sizeof err->source, "%s", part->source);
    cli_report_error(common, err);
}

void mpi_cli_report(survkit_mpi *mpi, const cli_common *common, const mpi_part *part,
                    survkit_error *err)
{
    /* a fit's row (1-based over the frame) is its table row + 2 */
    if (err->line > 0 && part->frame && err->line <= survkit_frame_n(part->frame))
        err->line = survkit_frame_row_index(part->frame)[err->line - 1] + 2;
    report_if_first(mpi, common, part, err);
}

void mpi_part_free(mpi_part *part)
{
    survkit_frame_free(part->frame);
    free(part->group);
    free(part->stratum);
    free(part->cluster);
    for (size_t k = 0; part->group_labels && k < part->n_groups; k++) free(part->group_labels[k]);
    for (size_t k = 0; part->strata_labels && k < part->n_strata; k++) free(part->strata_labels[k]);
    free(part->group_labels);
    free(part->strata_labels);
    memset(part, 0, sizeof *part);
}

/*
 * poly() and ns() take their bases from all the values of x (knots at quantiles, orthogonal
 * polynomials): evaluated on each rank's rows they would differ between ranks, so they are refused
 * (err->column: their position in the formula).
 */
static survkit_status refuse_data_dependent(const char *formula, survkit_error *err)
{
    static const char *const names[] = {"poly", "ns"};
    for (const char *c = formula; *c; c++) {
        if (c > formula && (isalnum((unsigned char)c[-1]) || c[-1] == '.' || c[-1] == '_')) continue;
        for (size_t k = 0; k < 2; k++) {
            size_t m = strlen(names[k]);
            const char *after = c + m;
            if (strncmp(c, names[k], m) != 0) continue;
            while (*after == ' ') after++;
            if (*after != '(') continue;
            mpi_cli_error(err, SURVKIT_ERR_FORMULA,
                      "%s() takes its basis from all the rows: not available in survkit-mpi",
                      names[k]);
            err->column = (uint64_t)(c - formula) + 1;
            return SURVKIT_ERR_FORMULA;
        }
    }
    return SURVKIT_OK;
}

bool mpi_part_load(survkit_mpi *mpi, const cli_common *common, bool groups, mpi_part *part)
{
    memset(part, 0, sizeof *part);
    const int K = survkit_mpi_size(mpi), me = survkit_mpi_rank(mpi);
    survkit_error err;
    survkit_error_clear(&err);
    survkit_table *table = NULL, *global = NULL;
    size_t first = 0, rows = 0, nc = 0;
    double t0 = cli_now();
    if (refuse_data_dependent(common->formula, &err) != SURVKIT_OK) { /* the same on every rank */
        if (me == 0) cli_report_error(common, &err);
        return false;
    }
    survkit_status st = mpi_read_part(common, me, K, part, &table, &first, &rows, &err);
    if (st == SURVKIT_OK && rows == SIZE_MAX) rows = survkit_table_n_rows(table);
    if (st != SURVKIT_OK && err.source[0] == '\0')
        snprintf(err.source, sizeof err.source, "%s", part->source);
    if ((st = survkit_mpi_agree(mpi, st, &err)) != SURVKIT_OK) {
        report_if_first(mpi, common, err.line > 1 ? part : NULL, &err);
        survkit_table_free(table);
        return false;
    }
    part->read_s = cli_now() - t0;
    t0 = cli_now();
    nc = survkit_table_n_columns(table);
    char *kinds = calloc(nc + 1, 1);
    int32_t **codes = calloc(nc + 1, sizeof *codes);
    const char ***levels = calloc(nc + 1, sizeof *levels);
    size_t *n_levels = calloc(nc + 1, sizeof *n_levels);
    mpi_gathered *keep = calloc(nc + 1, sizeof *keep);
    st = kinds && codes && levels && n_levels && keep ? SURVKIT_OK
                                                      : mpi_cli_error(&err, SURVKIT_ERR_NOMEM, "out of memory");
    if ((st = survkit_mpi_agree(mpi, st, &err)) == SURVKIT_OK)
        st = mpi_agree_header(mpi, part, table, kinds, &err);
    if (st == SURVKIT_OK)
        st = mpi_make_global(mpi, common, part, table, first, rows, kinds, &global, codes, levels,
                         n_levels, keep, &err);
    if (st != SURVKIT_OK) {
        report_if_first(mpi, common, NULL, &err);
        goto done;
    }
    survkit_frame_options opt;
    mpi_frame_options(common, groups, &opt);
    st = survkit_frame_build(global, common->formula, &opt, &part->frame, &err);
    /* a rank whose rows are all dropped: fine if others have rows (no frame: n = 0) */
    unsigned long long kept = st == SURVKIT_OK ? survkit_frame_n(part->frame) : 0, kept_all = 0;
    MPI_Allreduce(&kept, &kept_all, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    if (st == SURVKIT_ERR_NO_DATA && kept_all > 0)
        st = mpi_cli_error(&err, SURVKIT_ERR_NO_DATA,
                       "this process's part has no complete rows: run fewer processes");
    if (st != SURVKIT_OK && (err.line > 0 || err.status == SURVKIT_ERR_NO_DATA) && err.source[0] == '\0')
        snprintf(err.source, sizeof err.source, "%s", part->source);
    if ((st = survkit_mpi_agree(mpi, st, &err)) != SURVKIT_OK) {
        report_if_first(mpi, common, part, &err);
        goto done;
    }
    unsigned long long dropped = survkit_frame_n_dropped(part->frame), dropped_all = 0;
    MPI_Allreduce(&dropped, &dropped_all, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    part->n_dropped = (size_t)dropped_all;
    /* (the formula decides whether there are strata and clusters: the same on every rank) */
    if (groups || survkit_frame_strata(part->frame) != NULL ||
        survkit_frame_cluster(part->frame) != NULL)
        st = mpi_global_codes(mpi, common, groups, global, (const int32_t *const *)codes,
                          (const char *const *const *)levels, n_levels, part, &err);
    if (st != SURVKIT_OK) report_if_first(mpi, common, NULL, &err);
    part->frame_s = cli_now() - t0;
done:
    survkit_table_free(global);
    survkit_table_free(table);
    for (size_t j = 0; j < nc; j++) {
        if (codes) free(codes[j]);
        if (levels) free(levels[j]);
        if (keep) mpi_gathered_free(&keep[j]);
    }
    free(kinds), free(codes), free(levels), free(n_levels), free(keep);
    if (st != SURVKIT_OK) mpi_part_free(part);
    return st == SURVKIT_OK;
}
