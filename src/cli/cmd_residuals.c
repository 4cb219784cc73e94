/*
 * cmd_residuals.c: `survkit residuals`: R's residuals.coxph of a model fitted here (-f) or saved
 * (--model FILE, with the data it was fitted on), one row per observation (per event for the
 * Schoenfeld types), or summed within the groups of --collapse COLUMN (R's collapse =, groups in
 * sorted order as rowsum gives them). CSV (text and csv formats) or JSON.
 */
#include "csv.h"
#include "csv_rows.h"
#include "cox_model_cli.h"
#include "json.h"
#include "report_timings.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The CSV rows of the residuals: the data row's number or the group's label, the event time of
 * the Schoenfeld types, then the values. */
typedef struct residual_rows {
    const double *v, *time;      /* rows x cols; per row or NULL */
    const size_t *id, *row_index;
    char *const *labels;         /* --collapse: the groups' labels, else NULL */
    size_t rows, cols;
} residual_rows;

static size_t residual_row_text(const void *ctx, size_t i, char *buf)
{
    const residual_rows *r = ctx;
    size_t at = r->labels ? csv_quoted_text(buf, r->labels[r->id[i]])
                          : csv_count_text(buf, r->row_index[r->id[i]] + 1);
    if (r->time) buf[at++] = ',', at += csv_number_text(buf + at, r->time[i]);
    for (size_t j = 0; j < r->cols; j++)
        buf[at++] = ',', at += csv_number_text(buf + at, r->v[i + j * r->rows]);
    buf[at++] = '\n';
    return at;
}

int cli_residuals(int argc, char **argv)
{
    cli_common common = {0};
    common.accepts_weights = true;
    common.accepts_timefix = true;
    cli_cox_source src = {.parts = SURVKIT_MODEL_NO_BASELINE}; /* residuals never read it */
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
    /* The output is opened before any work: a bad path fails now and leaves nothing behind. */
    cli_output output;
    if (!cli_output_open(&common, &output)) goto done;
    common.keep_table = collapse != NULL; /* the --collapse column is read after the frame */
    if (!cli_cox_prepare(&common, &src, true, &table, &frame, &model, &t)) goto done;
    if (collapse && survkit_frame_code_column(frame, table, collapse, &codes, &n_groups, &labels,
                                              &err) != SURVKIT_OK) {
        if (err.line > 0 && err.source[0] == '\0')
            snprintf(err.source, sizeof err.source, "%s", common.data_path);
        cli_report_error(&common, &err);
        goto done;
    }
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
    double tv[CLI_TIMINGS_LEN];
    const double *json_timings = cli_timings_for_json(&common, &t, tv);
    const size_t rows = survkit_residuals_rows(res), cols = survkit_residuals_cols(res);
    const double *v = survkit_residuals_values(res), *time = survkit_residuals_time(res);
    const size_t *id = survkit_residuals_row_id(res), *row_index = survkit_frame_row_index(frame);
    const char *key = collapse ? collapse : "row";
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
        residual_rows text = {v, time, id, row_index, collapse ? labels : NULL, rows, cols};
        size_t longest = 24; /* a row number's digits */
        for (size_t g = 0; collapse && g < n_groups; g++)
            if (strlen(labels[g]) + 2 > longest) longest = strlen(labels[g]) + 2;
        if (!csv_rows_write(out, rows, longest + (cols + 1) * (1 + CSV_NUMBER_MAX) + 1,
                            residual_row_text, &text)) {
            cli_fail(&common, "cannot write the residuals (out of memory, or the output failed)");
            goto done;
        }
    }
    if (!cli_output_commit(&common, &output)) goto done;
    cli_report_timings(&common, &t);
    exit_status = CLI_EXIT_OK;
done:
    cli_output_abort(&output);
    survkit_frame_codes_free(codes, labels, n_groups);
    survkit_residuals_free(res);
    survkit_cox_model_free(model);
    survkit_frame_free(frame);
    survkit_table_free(table);
    return exit_status;
}
