/*
 * cmd_survreg.c: `survkit survreg`: read the data, build the model frame, fit the parametric
 * model through the public API, write the report (text like R's print(summary(survreg)), JSON,
 * CSV).
 */
#include "cli.h"
#include "report_survreg.h"
#ifdef SURVKIT_HAVE_PLOTS
#include "survreg_plot.h"
#endif

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The call R would print: survreg(formula = ..., data = <file stem>, ...). */
static void build_call(const cli_common *common, const survkit_survreg_options *opt, char *buf,
                       size_t size)
{
    const char *path = common->data_path, *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    int stem = (int)strcspn(base, ".");
    int used = strcmp(base, "-") == 0
                   ? snprintf(buf, size, "survreg(formula = %s, data = stdin", common->formula)
                   : snprintf(buf, size, "survreg(formula = %s, data = %.*s", common->formula, stem,
                              base);
    if (used < 0 || (size_t)used >= size) return;
    if (common->weights) used += snprintf(buf + used, size - (size_t)used, ", weights = %s", common->weights);
    if ((size_t)used < size && opt->dist != SURVKIT_SURVREG_WEIBULL)
        used += snprintf(buf + used, size - (size_t)used, ", dist = \"%s\"",
                         survkit_survreg_dist_name(opt->dist));
    if ((size_t)used < size && opt->scale > 0)
        used += snprintf(buf + used, size - (size_t)used, ", scale = %.15g", opt->scale);
    if ((size_t)used < size && opt->robust == SURVKIT_SURVREG_ROBUST_ON)
        used += snprintf(buf + used, size - (size_t)used, ", robust = TRUE");
    if ((size_t)used < size) snprintf(buf + used, size - (size_t)used, ")");
}

/* Write the saved model to `path`, atomically. */
static bool save_model(const cli_common *common, const char *path, const survkit_survreg_model *m)
{
    char *text = survkit_survreg_model_to_json(m);
    if (text == NULL) {
        cli_fail(common, "out of memory saving the model");
        return false;
    }
    bool ok = cli_write_text(common, path, text);
    free(text);
    return ok;
}

/* Read the new rows (same reading options as DATA) and predict for them. */
static bool predict_newdata(const cli_common *common, const char *path, const survkit_survreg_model *m,
                            const survkit_survreg_predict_options *popt, survkit_table **newdata,
                            survkit_survreg_prediction **pred)
{
    cli_common source = *common;
    source.data_path = path;
    if (!cli_read_table(&source, newdata)) return false;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_survreg_predict(m, *newdata, popt, pred, &err) != SURVKIT_OK) {
        if (err.line > 0 && err.source[0] == '\0') snprintf(err.source, sizeof err.source, "%s", path);
        cli_report_error(common, &err);
        return false;
    }
    return true;
}

int cli_survreg(int argc, char **argv)
{
    cli_common common = {0};
    common.needs_formula = true;
    common.accepts_weights = true;
    common.skip_groups = true;
    common.accepts_interval = true;
    common.no_timefix = true; /* survreg takes times as read (no aeqSurv in R's survreg) */
    const char *dist = "weibull", *save_path = NULL, *newdata_path = NULL, *p_text = NULL,
               *times_text = NULL, *plot_path = NULL;
    bool robust = false;
    double eps = 1e-9, scale = 0;
    long iter_max = 30;
    const cli_option options[] = {
        {"dist", 0, CLI_OPT_STRING, &dist, "NAME",
         "weibull (default), exponential, gaussian, logistic, lognormal or loglogistic"},
        {"scale", 0, CLI_OPT_DOUBLE, &scale, "S", "fix the scale at S (default: estimated)"},
        {"robust", 0, CLI_OPT_FLAG, &robust, NULL, "robust (sandwich) variance, one cluster per row"},
        {"eps", 0, CLI_OPT_DOUBLE, &eps, "EPS", "convergence tolerance (default 1e-9)"},
        {"iter-max", 0, CLI_OPT_INT, &iter_max, "N", "maximum iterations (default 30)"},
        {"save", 0, CLI_OPT_STRING, &save_path, "FILE", "save the model (JSON) for prediction"},
        {"newdata", 0, CLI_OPT_STRING, &newdata_path, "FILE",
         "predict for these rows (predict.survreg): lp, response, with standard errors"},
        {"p", 0, CLI_OPT_STRING, &p_text, "P1,P2,..", "with --newdata: quantiles (type quantile)"},
        {"times", 0, CLI_OPT_STRING, &times_text, "T1,T2,..", "with --newdata: survival at times"},
#ifdef SURVKIT_HAVE_PLOTS
        {"plot", 0, CLI_OPT_STRING, &plot_path, "FILE",
         "draw the fitted survival over the Kaplan-Meier curves: .png, .svg or .pdf"},
#endif
    };
    int status = cli_parse(argc, argv, &common, options, sizeof options / sizeof options[0],
                           "survkit survreg -f FORMULA [--dist NAME] [options] DATA",
                           "Parametric (accelerated failure time) regression, as R's survreg.");
    if (status >= 0) return status;

    survkit_survreg_options opt;
    survkit_survreg_options_init(&opt);
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_survreg_dist_parse(dist, &opt.dist, &err) != SURVKIT_OK)
        return cli_fail(&common, "--dist: %s", err.message);
    if (!(eps > 0)) return cli_fail(&common, "--eps must be positive");
    if (iter_max < 0 || iter_max > 1000000) return cli_fail(&common, "--iter-max must be 0 or more");
    if (!(scale >= 0) || !isfinite(scale)) return cli_fail(&common, "--scale must be positive");
    survkit_survreg_predict_options popt = {0};
    double *pv = NULL, *tv_times = NULL;
    if ((p_text || times_text) && newdata_path == NULL)
        return cli_fail(&common, "--p and --times need --newdata");
    if (p_text && !cli_parse_numbers(&common, "--p", p_text, &pv, &popt.n_p)) return CLI_EXIT_USAGE;
    if (times_text && !cli_parse_numbers(&common, "--times", times_text, &tv_times, &popt.n_times)) {
        free(pv);
        return CLI_EXIT_USAGE;
    }
    popt.p = pv, popt.times = tv_times;
    opt.eps = eps;
    opt.iter_max = (int)iter_max;
    opt.scale = scale;
    if (robust) opt.robust = SURVKIT_SURVREG_ROBUST_ON;

    cli_timings t;
    survkit_table *table = NULL;
    survkit_frame *frame = NULL;
    survkit_survreg_result *fit = NULL;
    survkit_survreg_model *model = NULL;
    survkit_survreg_prediction *pred = NULL;
    survkit_table *newdata = NULL;
    int exit_status = CLI_EXIT_USAGE;
    if (!cli_load(&common, &table, &frame, &t)) goto done;
    double t2 = cli_now();
    opt.progress = cli_progress_fit;
    opt.progress_user = &t.progress;
    if (survkit_survreg_fit_frame(frame, &opt, &fit, &err) != SURVKIT_OK) {
        cli_report_error(&common, &err);
        goto done;
    }
    t.fit_s = cli_now() - t2;
    if (scale > 0 && opt.dist == SURVKIT_SURVREG_EXPONENTIAL)
        cli_warn(&common, "Exponential has a fixed scale, user specified value ignored");

    size_t dropped = survkit_frame_n_dropped(frame);
    if (dropped > 0 && common.format != CLI_FORMAT_TEXT) cli_warn_dropped(&common, dropped);
    for (size_t k = 0; k < survkit_survreg_result_n_warnings(fit); k++)
        cli_warn(&common, survkit_survreg_result_warning(fit, k));

    if ((save_path || newdata_path) &&
        survkit_survreg_model_create_frame(fit, frame, &model, &err) != SURVKIT_OK) {
        cli_report_error(&common, &err);
        goto done;
    }
    if (save_path && !save_model(&common, save_path, model)) goto done;
    if (newdata_path && !predict_newdata(&common, newdata_path, model, &popt, &newdata, &pred))
        goto done;

    if (plot_path) {
#ifdef SURVKIT_HAVE_PLOTS
        if (plot_survreg_write(plot_path, fit, frame, &err) != SURVKIT_OK) {
            cli_report_error(&common, &err);
            goto done;
        }
#endif
    }

    char call[2048];
    build_call(&common, &opt, call, sizeof call);
    double tv[CLI_TIMINGS_LEN];
    report_survreg_info info = {call, dropped, cli_timings_for_json(&common, &t, tv), NULL};
    cli_output output;
    if (!cli_output_open(&common, &output)) goto done;
    report_survreg_prediction_info pinfo = {pred, pv, popt.n_p, tv_times, popt.n_times};
    info.prediction = pred ? &pinfo : NULL;
    switch (common.format) {
    case CLI_FORMAT_JSON: report_survreg_json(output.stream, fit, &info); break;
    case CLI_FORMAT_CSV:
        if (pred && !report_survreg_prediction_csv(output.stream, &pinfo)) {
            cli_fail(&common, "cannot write the predictions (out of memory, or the output failed)");
            goto done;
        }
        if (!pred) report_survreg_csv(output.stream, fit);
        break;
    default: report_survreg_text(output.stream, fit, &info); break;
    }
    if (!cli_output_commit(&common, &output)) goto done;
    cli_report_timings(&common, &t);
    exit_status = CLI_EXIT_OK;

done:
    survkit_survreg_prediction_free(pred);
    survkit_table_free(newdata);
    survkit_survreg_model_free(model);
    free(pv), free(tv_times);
    survkit_survreg_result_free(fit);
    survkit_frame_free(frame);
    survkit_table_free(table);
    return exit_status;
}
