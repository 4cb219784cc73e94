/*
 * cmd_residuals.c: `survkit residuals`: R's residuals.coxph of a model fitted here (-f) or saved
 * (--model FILE, with the data it was fitted on), one row per observation (per event for the
 * Schoenfeld types), or summed within the groups of --collapse COLUMN (R's collapse =, groups in
 * sorted order as rowsum gives them). CSV (text and csv formats) or JSON.
 */
#include "cox_model_cli.h"
#include "json.h"
#include "report_timings.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int compare_numbers(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Levels to sort: their text, and their index in the table's level list. */
typedef struct level_ref {
    const char *text;
    size_t index;
} level_ref;

static int compare_levels(const void *a, const void *b)
{
    return strcmp(((const level_ref *)a)->text, ((const level_ref *)b)->text);
}

/* Group codes 0..n_groups-1 of the frame's rows by `name`, groups sorted (numbers numerically,
 * strings by byte order); labels[n_groups] are the groups' values as text. */
static bool collapse_groups(const cli_common *common, const survkit_table *table,
                            const survkit_frame *frame, const char *name, int32_t **codes,
                            size_t *n_groups, char ***labels)
{
    long j = survkit_table_find(table, name);
    if (j < 0) {
        cli_fail(common, "--collapse: no column named '%s' in the data", name);
        return false;
    }
    const size_t n = survkit_frame_n(frame), *rows = survkit_frame_row_index(frame);
    size_t col = (size_t)j, m = 0;
    *codes = malloc((n ? n : 1) * sizeof **codes);
    if (*codes == NULL) return false;
    if (survkit_table_column_type(table, col) == SURVKIT_COLUMN_NUMERIC) {
        const double *x = survkit_table_numeric(table, col);
        double *v = malloc((n ? n : 1) * sizeof *v);
        if (v == NULL) return false;
        for (size_t i = 0; i < n; i++) {
            if (isnan(x[rows[i]])) {
                free(v);
                cli_fail(common, "--collapse: column '%s' has a missing value", name);
                return false;
            }
            v[i] = x[rows[i]];
        }
        qsort(v, n, sizeof *v, compare_numbers);
        for (size_t i = 0; i < n; i++)
            if (m == 0 || v[i] != v[m - 1]) v[m++] = v[i];
        for (size_t i = 0; i < n; i++)
            (*codes)[i] = (int32_t)((double *)bsearch(&x[rows[i]], v, m, sizeof *v, compare_numbers) - v);
        *labels = calloc(m + 1, sizeof **labels);
        for (size_t g = 0; *labels && g < m; g++) {
            char buf[64];
            snprintf(buf, sizeof buf, "%.15g", v[g]);
            (*labels)[g] = strdup(buf);
        }
        free(v);
    } else {
        const int32_t *x = survkit_table_codes(table, col);
        size_t nl = survkit_table_n_levels(table, col);
        level_ref *order = malloc((nl + 1) * sizeof *order);
        size_t *rank = malloc((nl + 1) * sizeof *rank);
        bool *used = calloc(nl + 1, sizeof *used);
        if (!order || !rank || !used) return false;
        for (size_t i = 0; i < n; i++) {
            if (x[rows[i]] < 0) {
                free(order), free(rank), free(used);
                cli_fail(common, "--collapse: column '%s' has a missing value", name);
                return false;
            }
            used[x[rows[i]]] = true;
        }
        for (size_t k = 0; k < nl; k++)
            if (used[k]) order[m++] = (level_ref){survkit_table_level(table, col, k), k};
        qsort(order, m, sizeof *order, compare_levels);
        for (size_t g = 0; g < m; g++) rank[order[g].index] = g;
        for (size_t i = 0; i < n; i++) (*codes)[i] = (int32_t)rank[x[rows[i]]];
        *labels = calloc(m + 1, sizeof **labels);
        for (size_t g = 0; *labels && g < m; g++)
            (*labels)[g] = strdup(order[g].text);
        free(order), free(rank), free(used);
    }
    *n_groups = m;
    return *labels != NULL;
}

static void csv_number(FILE *out, double v)
{
    if (isnan(v)) fputs("NA", out);
    else fprintf(out, "%.17g", v);
}

int cli_residuals(int argc, char **argv)
{
    cli_common common = {0};
    common.accepts_weights = true;
    cli_cox_source src = {0};
    const char *type_name = "martingale", *collapse = NULL;
    cli_option options[5];
    cli_cox_source_options(&src, options);
    options[3] = (cli_option){"type", 0, CLI_OPT_STRING, &type_name, "T",
                              "martingale (default), deviance, score, schoenfeld, scaledsch, "
                              "dfbeta or dfbetas"};
    options[4] = (cli_option){"collapse", 0, CLI_OPT_STRING, &collapse, "COLUMN",
                              "sum the residuals within the groups of COLUMN (per child, family)"};
    int status = cli_parse(argc, argv, &common, options, 5,
                           "survkit residuals -f FORMULA [options] DATA | --model FILE DATA",
                           "Residuals of a Cox model, as R's residuals.coxph; CSV or JSON.");
    if (status >= 0) return status;
    survkit_error err;
    survkit_error_clear(&err);
    survkit_residual_type type;
    if (survkit_residual_type_parse(type_name, &type, &err) != SURVKIT_OK)
        return cli_fail(&common, "--type: %s", err.message);

    cli_timings t;
    survkit_table *table = NULL;
    survkit_frame *frame = NULL;
    survkit_cox_model *model = NULL;
    survkit_residuals *res = NULL;
    int32_t *codes = NULL;
    char **labels = NULL;
    size_t n_groups = 0;
    int exit_status = CLI_EXIT_USAGE;
    common.keep_table = collapse != NULL; /* the --collapse column is read after the frame */
    if (!cli_cox_prepare(&common, &src, true, &table, &frame, &model, &t)) goto done;
    if (collapse && !collapse_groups(&common, table, frame, collapse, &codes, &n_groups, &labels))
        goto done;
    survkit_table_free(table); /* everything else is in the frame */
    table = NULL;
    survkit_cox_data data;
    survkit_cox_data_from_frame(frame, &data);
    double t_res = cli_now();
    if (survkit_cox_residuals(model, &data, type, codes, n_groups, &res, &err) != SURVKIT_OK) {
        cli_report_error(&common, &err);
        goto done;
    }
    cli_timings_add(&t.fit_s, t_res);
    double tv[4];
    const double *json_timings = cli_timings_for_json(&common, &t, tv);
    const size_t rows = survkit_residuals_rows(res), cols = survkit_residuals_cols(res);
    const double *v = survkit_residuals_values(res), *time = survkit_residuals_time(res);
    const size_t *id = survkit_residuals_row_id(res), *row_index = survkit_frame_row_index(frame);
    const char *key = collapse ? collapse : "row";
    cli_output output;
    if (!cli_output_open(&common, &output)) goto done;
    FILE *out = output.stream;
    if (common.format == CLI_FORMAT_JSON) {
        json_writer w;
        json_init(&w, out);
        json_object_begin(&w, NULL);
        json_string(&w, "command", "residuals");
        json_string(&w, "type", type_name);
        if (collapse) json_string(&w, "collapse", collapse);
        json_array_begin(&w, "columns");
        for (size_t j = 0; j < cols; j++)
            json_string(&w, NULL, cols == 1 && (type == SURVKIT_RESID_MARTINGALE ||
                                                type == SURVKIT_RESID_DEVIANCE)
                                      ? type_name : survkit_cox_model_name(model, j));
        json_array_end(&w);
        json_array_begin(&w, collapse ? "groups" : "rows");
        for (size_t i = 0; i < rows; i++) {
            if (collapse) json_string(&w, NULL, labels[id[i]]);
            else json_integer(&w, NULL, (long long)row_index[id[i]] + 1);
        }
        json_array_end(&w);
        if (time) json_number_array(&w, "time", time, rows);
        json_array_begin(&w, "values");
        for (size_t i = 0; i < rows; i++) {
            json_array_begin(&w, NULL);
            for (size_t j = 0; j < cols; j++) json_number(&w, NULL, v[i + j * rows]);
            json_array_end(&w);
        }
        json_array_end(&w);
        report_timings_json(&w, json_timings);
        json_object_end(&w);
        json_finish(&w);
    } else {
        fprintf(out, "\"%s\"", key);
        if (time) fputs(",time", out);
        if (type == SURVKIT_RESID_MARTINGALE || type == SURVKIT_RESID_DEVIANCE)
            fprintf(out, ",%s", type_name);
        else
            for (size_t j = 0; j < cols; j++) fprintf(out, ",\"%s\"", survkit_cox_model_name(model, j));
        fputc('\n', out);
        for (size_t i = 0; i < rows; i++) {
            if (collapse) fprintf(out, "\"%s\"", labels[id[i]]);
            else fprintf(out, "%zu", row_index[id[i]] + 1);
            if (time) fputc(',', out), csv_number(out, time[i]);
            for (size_t j = 0; j < cols; j++) fputc(',', out), csv_number(out, v[i + j * rows]);
            fputc('\n', out);
        }
    }
    if (!cli_output_commit(&common, &output)) goto done;
    cli_report_timings(&common, &t);
    exit_status = CLI_EXIT_OK;
done:
    for (size_t g = 0; labels && g < n_groups; g++) free(labels[g]);
    free(labels);
    free(codes);
    survkit_residuals_free(res);
    survkit_cox_model_free(model);
    survkit_frame_free(frame);
    survkit_table_free(table);
    return exit_status;
}
