/*
 * cmd_predict.c: `survkit predict`: for the rows of --newdata FILE, coded with the model's
 * formula and factor levels: R's predict.coxph linear predictor (with its standard error), relative
 * risk and, when the new rows carry the response columns, the expected number of events; and with
 * --times the survival probability with its confidence limits (survfit.coxph with newdata),
 * per stratum where the model has strata. The model is fitted here (-f ... DATA) or saved
 * (--model FILE). CSV (text and csv formats, one row per new row) or JSON. A new row with a
 * missing value keeps its place with NA (JSON null) results, as R's predict (na.pass).
 */
#include "csv.h"
#include "csv_rows.h"
#include "cox_model_cli.h"
#include "json.h"
#include "report_timings.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The CSV rows of the predictions: the new row's number, its stratum's label, lp, lp_se, risk,
 * expected, then surv, std_err, lower, upper at each time. */
typedef struct prediction_rows {
    const survkit_prediction *pr;
    const survkit_cox_model *m;
    const double *expected, *cols[4]; /* surv, std_err, lower, upper: n x times */
    size_t n, nt;
    bool strata;
} prediction_rows;

static size_t prediction_row_text(const void *ctx, size_t i, char *buf)
{
    const prediction_rows *r = ctx;
    size_t at = csv_count_text(buf, survkit_prediction_row_index(r->pr)[i] + 1);
    const int32_t stratum = r->strata ? survkit_prediction_stratum(r->pr)[i] : 0;
    if (r->strata && stratum < 0) {
        memcpy(buf + at, ",NA", 3);
        at += 3;
    } else if (r->strata) {
        buf[at++] = ',';
        at += csv_quoted_text(buf + at, survkit_cox_model_strata_label(r->m, (size_t)stratum));
    }
    const double values[3] = {survkit_prediction_lp(r->pr)[i], survkit_prediction_lp_se(r->pr)[i],
                              survkit_prediction_risk(r->pr)[i]};
    for (int q = 0; q < 3; q++) buf[at++] = ',', at += csv_number_text(buf + at, values[q]);
    if (r->expected) buf[at++] = ',', at += csv_number_text(buf + at, r->expected[i]);
    for (size_t k = 0; k < r->nt; k++)
        for (int q = 0; q < 4; q++)
            buf[at++] = ',', at += csv_number_text(buf + at, r->cols[q][i + k * r->n]);
    buf[at++] = '\n';
    return at;
}

/* Returns false when the rows cannot be written (memory, or the output). */
static bool write_csv(FILE *out, const survkit_prediction *pr, const survkit_cox_model *m)
{
    const size_t n = survkit_prediction_n(pr), nt = survkit_prediction_n_times(pr);
    const double *times = survkit_prediction_times(pr), *expected = survkit_prediction_expected(pr);
    const bool strata = survkit_cox_model_has_strata(m);
    fputs(strata ? "row,strata,lp,lp_se,risk" : "row,lp,lp_se,risk", out);
    if (expected) fputs(",expected", out);
    const char *parts[4] = {"surv", "std_err", "lower", "upper"};
    for (size_t k = 0; k < nt; k++)
        for (int q = 0; q < 4; q++) fprintf(out, ",%s_%.15g", parts[q], times[k]);
    fputc('\n', out);
    prediction_rows text = {pr, m, expected,
                            {survkit_prediction_surv(pr), survkit_prediction_std_err(pr),
                             survkit_prediction_lower(pr), survkit_prediction_upper(pr)},
                            n, nt, strata};
    size_t longest = 3; /* ",NA" */
    for (size_t s = 0; strata && s < survkit_cox_model_n_strata(m); s++)
        if (strlen(survkit_cox_model_strata_label(m, s)) + 3 > longest)
            longest = strlen(survkit_cox_model_strata_label(m, s)) + 3;
    const size_t row_bytes = CSV_NUMBER_MAX + longest + (4 + 4 * nt) * (1 + CSV_NUMBER_MAX) + 1;
    return csv_rows_write(out, n, row_bytes, prediction_row_text, &text);
}

static void write_json(FILE *out, const survkit_prediction *pr, const survkit_cox_model *m,
                       const double *timings)
{
    const size_t n = survkit_prediction_n(pr), nt = survkit_prediction_n_times(pr);
    const double *expected = survkit_prediction_expected(pr);
    json_writer w;
    json_init(&w, out);
    json_object_begin(&w, NULL);
    json_string(&w, "command", "predict");
    json_number_array(&w, "times", survkit_prediction_times(pr), nt);
    json_array_begin(&w, "rows");
    const char *parts[4] = {"surv", "std_err", "lower", "upper"};
    const double *cols[4] = {survkit_prediction_surv(pr), survkit_prediction_std_err(pr),
                             survkit_prediction_lower(pr), survkit_prediction_upper(pr)};
    double *v = malloc((nt ? nt : 1) * sizeof *v);
    for (size_t i = 0; v && i < n; i++) {
        json_object_begin(&w, NULL);
        json_integer(&w, "row", (long long)survkit_prediction_row_index(pr)[i] + 1);
        const int32_t stratum = survkit_prediction_stratum(pr)[i];
        if (survkit_cox_model_has_strata(m) && stratum < 0) json_null(&w, "strata");
        else if (survkit_cox_model_has_strata(m))
            json_string(&w, "strata", survkit_cox_model_strata_label(m, (size_t)stratum));
        json_number(&w, "lp", survkit_prediction_lp(pr)[i]);
        json_number(&w, "lp_se", survkit_prediction_lp_se(pr)[i]);
        json_number(&w, "risk", survkit_prediction_risk(pr)[i]);
        if (expected) json_number(&w, "expected", expected[i]);
        for (int q = 0; q < 4; q++) {
            for (size_t k = 0; k < nt; k++) v[k] = cols[q][i + k * n];
            json_number_array(&w, parts[q], v, nt);
        }
        json_object_end(&w);
    }
    free(v);
    json_array_end(&w);
    report_timings_json(&w, timings);
    json_object_end(&w);
    json_finish(&w);
}

int cli_predict(int argc, char **argv)
{
    cli_common common = {0};
    common.accepts_weights = true;
    common.accepts_timefix = true;
    common.no_data = cli_has_model_option(argc, argv); /* a saved model needs no data */
    cli_cox_source src = {0};
    const char *newdata_path = NULL, *times_text = NULL, *reference_name = "strata";
    double conf_level = 0.95;
    cli_option options[7];
    cli_cox_source_options(&src, options);
    options[3] = (cli_option){"newdata", 0, CLI_OPT_STRING, &newdata_path, "FILE",
                              "the rows to predict for (CSV/TSV with the model's variables)"};
    options[4] = (cli_option){"times", 0, CLI_OPT_STRING, &times_text, "T1,T2",
                              "survival probabilities with confidence limits at these times"};
    options[5] = (cli_option){"reference", 0, CLI_OPT_STRING, &reference_name, "R",
                              "centring of lp: strata (R's default), sample or zero"};
    options[6] = (cli_option){"conf-level", 0, CLI_OPT_DOUBLE, &conf_level, "L",
                              "confidence level (default 0.95)"};
    int status = cli_parse(argc, argv, &common, options, 7,
                           "survkit predict -f FORMULA [options] DATA --newdata FILE | "
                           "--model FILE --newdata FILE",
                           "Predictions of a Cox model for new rows, as R's predict.coxph and "
                           "survfit.coxph(newdata).");
    if (status >= 0) return status;
    if (newdata_path == NULL) return cli_fail(&common, "--newdata FILE is required");
    survkit_reference reference;
    if (strcmp(reference_name, "strata") == 0) reference = SURVKIT_REFERENCE_STRATA;
    else if (strcmp(reference_name, "sample") == 0) reference = SURVKIT_REFERENCE_SAMPLE;
    else if (strcmp(reference_name, "zero") == 0) reference = SURVKIT_REFERENCE_ZERO;
    else return cli_fail(&common, "--reference takes strata, sample or zero, not '%s'", reference_name);
    if (!(conf_level > 0 && conf_level < 1))
        return cli_fail(&common, "--conf-level must lie strictly between 0 and 1");
    double *times = NULL;
    size_t n_times = 0;
    if (times_text && !cli_parse_numbers(&common, "times", times_text, &times, &n_times))
        return CLI_EXIT_USAGE;

    cli_timings t;
    survkit_table *table = NULL, *newdata = NULL;
    survkit_frame *frame = NULL;
    survkit_cox_model *model = NULL;
    survkit_prediction *pr = NULL;
    int exit_status = CLI_EXIT_USAGE;
    /* The output is opened before any work: a bad path fails now and leaves nothing behind. */
    cli_output output;
    if (!cli_output_open(&common, &output)) goto done;
    if (!cli_cox_prepare(&common, &src, src.model_path == NULL, &table, &frame, &model, &t))
        goto done;
    cli_common nd_common = common;
    nd_common.data_path = newdata_path;
    double t_read = cli_now();
    if (!cli_read_table(&nd_common, &newdata)) goto done;
    cli_timings_add(&t.read_s, t_read);
    survkit_error err;
    survkit_error_clear(&err);
    double t_pred = cli_now();
    if (survkit_cox_predict_table(model, newdata, reference, times, n_times, conf_level, &pr,
                                  &err) != SURVKIT_OK) {
        cli_common where = common;
        if (err.line == 0 && err.column > 0) {
            /* a position in the model's formula: shown under it, naming the model file when the
             * formula came from one, and the new data when the formula names what it lacks */
            where.formula = survkit_cox_model_formula(model);
            where.formula_source = src.model_path;
            char *in_data = strstr(err.message, " in the data");
            if (in_data != NULL) {
                char tail[sizeof err.message];
                snprintf(tail, sizeof tail, "%s", in_data + strlen(" in the data"));
                snprintf(in_data, sizeof err.message - (size_t)(in_data - err.message),
                         " in %.300s%s", newdata_path, tail);
            }
        } else if (err.source[0] == '\0') { /* a row of the new data */
            snprintf(err.source, sizeof err.source, "%s", newdata_path);
        }
        cli_report_error(&where, &err);
        goto done;
    }
    cli_timings_add(&t.fit_s, t_pred);
    double tv[CLI_TIMINGS_LEN];
    const double *json_timings = cli_timings_for_json(&common, &t, tv);
    if (common.format == CLI_FORMAT_JSON) write_json(output.stream, pr, model, json_timings);
    else if (!write_csv(output.stream, pr, model)) {
        cli_fail(&common, "cannot write the predictions (out of memory, or the output failed)");
        goto done;
    }
    if (!cli_output_commit(&common, &output)) goto done;
    cli_report_timings(&common, &t);
    exit_status = CLI_EXIT_OK;
done:
    cli_output_abort(&output);
    survkit_prediction_free(pr);
    survkit_cox_model_free(model);
    survkit_frame_free(frame);
    survkit_table_free(table);
    survkit_table_free(newdata);
    free(times);
    return exit_status;
}
