/*
 * cmd_glm.c: `survkit glm`: read the data, build the frame with a plain 0/1 response, fit the
 * binomial GLM through the public API, write the report (text like R's print(summary(glm)), JSON,
 * CSV). --cluster COLUMN (or cluster() in the formula) gives cluster-robust standard errors.
 */
#include "cli.h"
#include "csv.h"
#include "csv_rows.h"
#include "json.h"
#include "report_glm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The data's name in R's call: the file's stem ("lung" for data/lung.csv), "stdin" for "-". */
static void data_stem(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
    if (strcmp(base, "-") == 0) base = "stdin";
    snprintf(buf, size, "%.*s", (int)strcspn(base, "."), base);
}

/* Write the saved model to `path`, atomically. */
static bool save_model(const cli_common *common, const char *path, const survkit_glm_result *fit,
                       const survkit_frame *frame)
{
    survkit_error err;
    survkit_error_clear(&err);
    survkit_glm_model *model = NULL;
    if (survkit_glm_model_create(fit, frame, &model, &err) != SURVKIT_OK) {
        cli_report_error(common, &err);
        return false;
    }
    char *text = survkit_glm_model_to_json(model);
    survkit_glm_model_free(model);
    if (text == NULL) {
        cli_fail(common, "out of memory saving the model");
        return false;
    }
    bool ok = cli_write_text(common, path, text);
    free(text);
    return ok;
}

/* A new row's CSV row: its number, lp, lp_se, prob. */
static size_t glm_row_text(const void *ctx, size_t i, char *buf)
{
    const survkit_glm_prediction *pr = ctx;
    size_t at = csv_count_text(buf, pr->row_index[i] + 1);
    const double values[3] = {pr->lp[i], pr->se_lp[i], pr->prob[i]};
    for (int q = 0; q < 3; q++) buf[at++] = ',', at += csv_number_text(buf + at, values[q]);
    buf[at++] = '\n';
    return at;
}

/* `survkit glm --model FILE NEWDATA`: R's predict(fit, newdata, se.fit = TRUE) on the link scale
 * and type = "response", one row per new row without a missing covariate. */
static int predict_rows(cli_common *common, const char *model_path)
{
    survkit_error err;
    survkit_error_clear(&err);
    char *text = NULL;
    size_t len = 0;
    if (!cli_read_file(common, model_path, &text, &len)) return CLI_EXIT_USAGE;
    survkit_glm_model *m = NULL;
    survkit_table *table = NULL;
    survkit_glm_prediction pr = {0};
    int rc = CLI_EXIT_USAGE;
    if (survkit_glm_model_from_json(text, len, model_path, &m, &err) != SURVKIT_OK) {
        cli_report_error(common, &err);
        goto done;
    }
    if (!cli_read_table(common, &table)) goto done;
    if (survkit_glm_model_predict(m, table, &pr, &err) != SURVKIT_OK) {
        if (err.source[0] == '\0') snprintf(err.source, sizeof err.source, "%s", common->data_path);
        cli_report_error(common, &err);
        goto done;
    }
    cli_output out;
    if (!cli_output_open(common, &out)) goto done;
    if (common->format == CLI_FORMAT_JSON) {
        json_writer w;
        json_init(&w, out.stream);
        json_object_begin(&w, NULL);
        json_string(&w, "command", "predict");
        json_string(&w, "model", "glm");
        json_string(&w, "link", survkit_glm_link_name(survkit_glm_model_link(m)));
        json_array_begin(&w, "rows");
        for (size_t i = 0; i < pr.n; i++) {
            json_object_begin(&w, NULL);
            json_integer(&w, "row", (long long)pr.row_index[i] + 1);
            json_number(&w, "lp", pr.lp[i]);
            json_number(&w, "lp_se", pr.se_lp[i]);
            json_number(&w, "prob", pr.prob[i]);
            json_object_end(&w);
        }
        json_array_end(&w);
        json_object_end(&w);
        json_finish(&w);
    } else {
        fputs("row,lp,lp_se,prob\n", out.stream);
        if (!csv_rows_write(out.stream, pr.n, 4 * (1 + CSV_NUMBER_MAX) + 1, glm_row_text, &pr)) {
            cli_fail(common, "cannot write the predictions (out of memory, or the output failed)");
            goto done;
        }
    }
    if (cli_output_commit(common, &out)) rc = CLI_EXIT_OK;
done:
    survkit_glm_prediction_release(&pr);
    survkit_table_free(table);
    survkit_glm_model_free(m);
    free(text);
    return rc;
}

int cli_glm(int argc, char **argv)
{
    cli_common common = {0};
    /* with --model the formula comes from the saved model and DATA holds the new rows */
    bool predicting = false;
    for (int k = 1; k < argc; k++) predicting |= strcmp(argv[k], "--model") == 0;
    common.needs_formula = !predicting;
    common.accepts_weights = true;
    common.skip_groups = true;
    common.binary_response = true;
    const char *family = "binomial", *link = "logit", *solver = "auto", *cluster = NULL;
    const char *save_path = NULL, *model_path = NULL;
    double epsilon = 1e-8;
    long maxit = 25;
    const cli_option options[] = {
        {"family", 0, CLI_OPT_STRING, &family, "NAME", "binomial (the only family so far)"},
        {"link", 0, CLI_OPT_STRING, &link, "LINK", "logit (default), probit or cloglog"},
        {"cluster", 0, CLI_OPT_STRING, &cluster, "COLUMN",
         "cluster-robust standard errors by COLUMN (as cluster() in the formula)"},
        {"epsilon", 0, CLI_OPT_DOUBLE, &epsilon, "EPS", "glm.control's epsilon (default 1e-8)"},
        {"maxit", 0, CLI_OPT_INT, &maxit, "N", "glm.control's maxit (default 25)"},
        {"solver", 0, CLI_OPT_STRING, &solver, "S",
         "auto (default), qr (R's own computation) or cholesky (normal equations)"},
        {"save", 0, CLI_OPT_STRING, &save_path, "FILE", "save the model (JSON) for --model"},
        {"model", 0, CLI_OPT_STRING, &model_path, "FILE",
         "predict for the rows of DATA with a saved model (lp, lp_se, prob), no fit"},
    };
    int status = cli_parse(argc, argv, &common, options, sizeof options / sizeof options[0],
                           "survkit glm -f 'y ~ terms' [--link logit|probit|cloglog] [options] DATA",
                           "Binomial regression, as R's glm(family = binomial(link)) and summary.glm.");
    if (status >= 0) return status;
    if (model_path) return predict_rows(&common, model_path);

    survkit_glm_options opt;
    survkit_glm_options_init(&opt);
    if (strcmp(family, "binomial") != 0)
        return cli_fail(&common, "--family takes binomial, not '%s'", family);
    if (strcmp(link, "logit") == 0) opt.link = SURVKIT_GLM_LOGIT;
    else if (strcmp(link, "probit") == 0) opt.link = SURVKIT_GLM_PROBIT;
    else if (strcmp(link, "cloglog") == 0) opt.link = SURVKIT_GLM_CLOGLOG;
    else return cli_fail(&common, "--link takes logit, probit or cloglog, not '%s'", link);
    if (strcmp(solver, "auto") == 0) opt.solver = SURVKIT_GLM_SOLVER_AUTO;
    else if (strcmp(solver, "qr") == 0) opt.solver = SURVKIT_GLM_SOLVER_QR;
    else if (strcmp(solver, "cholesky") == 0) opt.solver = SURVKIT_GLM_SOLVER_CHOLESKY;
    else return cli_fail(&common, "--solver takes auto, qr or cholesky, not '%s'", solver);
    if (!(epsilon > 0)) return cli_fail(&common, "--epsilon must be positive");
    if (maxit < 1 || maxit > 100000) return cli_fail(&common, "--maxit must be 1 or more");
    opt.epsilon = epsilon;
    opt.maxit = (int)maxit;

    /* --cluster COLUMN: the frame's cluster() term; the call keeps the formula as given */
    char *formula = NULL;
    const char *given = common.formula;
    if (cluster) {
        size_t len = strlen(given) + strlen(cluster) + 32;
        if ((formula = malloc(len)) == NULL) return cli_fail(&common, "out of memory");
        snprintf(formula, len, "%s + cluster(%s)", given, cluster);
        common.formula = formula;
    }

    cli_timings t;
    survkit_table *table = NULL;
    survkit_frame *frame = NULL;
    survkit_glm_result *fit = NULL;
    int exit_status = CLI_EXIT_USAGE;
    if (!cli_load(&common, &table, &frame, &t)) goto done;
    double t2 = cli_now();
    survkit_error err;
    survkit_error_clear(&err);
    opt.progress = cli_progress_fit;
    opt.progress_user = &t.progress;
    if (survkit_glm_fit_frame(frame, &opt, &fit, &err) != SURVKIT_OK) {
        if (err.line > 0 && err.source[0] == '\0')
            snprintf(err.source, sizeof err.source, "%s", common.data_path);
        cli_report_error(&common, &err);
        goto done;
    }
    t.fit_s = cli_now() - t2;

    size_t dropped = survkit_frame_n_dropped(frame);
    if (dropped > 0 && common.format != CLI_FORMAT_TEXT) cli_warn_dropped(&common, dropped);
    for (size_t k = 0; k < survkit_glm_result_n_warnings(fit); k++)
        cli_warn(&common, survkit_glm_result_warning(fit, k));

    if (save_path && !save_model(&common, save_path, fit, frame)) goto done;
    char stem[256];
    data_stem(common.data_path, stem, sizeof stem);
    double tv[CLI_TIMINGS_LEN];
    report_glm_info info = {given, stem, common.weights, dropped,
                            cli_timings_for_json(&common, &t, tv)};
    cli_output output;
    if (!cli_output_open(&common, &output)) goto done;
    switch (common.format) {
    case CLI_FORMAT_JSON: report_glm_json(output.stream, fit, &info); break;
    case CLI_FORMAT_CSV: report_glm_csv(output.stream, fit); break;
    default: report_glm_text(output.stream, fit, &info); break;
    }
    if (!cli_output_commit(&common, &output)) goto done;
    cli_report_timings(&common, &t);
    exit_status = CLI_EXIT_OK;

done:
    survkit_glm_result_free(fit);
    survkit_frame_free(frame);
    survkit_table_free(table);
    free(formula);
    return exit_status;
}
