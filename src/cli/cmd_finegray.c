/* cmd_finegray.c: `survkit finegray`: the Fine-Gray subdistribution hazards model (cmprsk::crr,
 * summary(crr)); --save FILE keeps the model, --newdata FILE adds predict.crr's cumulative
 * incidence for new rows, from the fit or from a saved --model FILE. */
#include "cli.h"
#include "report_compete.h"
#ifdef SURVKIT_HAVE_PLOTS
#include "finegray_plot.h"
typedef plot_km_request finegray_plot_request;
#else
typedef struct finegray_plot_request { /* no pictures in this build: never a --plot */
    const char *path;
    FILE *stream;
} finegray_plot_request;
#endif

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int fail_with(const cli_common *common, const survkit_error *err)
{
    cli_report_error(common, err);
    return CLI_EXIT_USAGE;
}

static bool has_model_option(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--model") == 0 || strncmp(argv[i], "--model=", 8) == 0) return true;
    return false;
}

/* Write the model as JSON to `path`, atomically. */
static bool save_model(const cli_common *common, const char *path, const survkit_finegray *fit,
                       const survkit_frame *frame, const char *cause)
{
    survkit_error err;
    survkit_error_clear(&err);
    survkit_finegray_model *model = NULL;
    if (survkit_finegray_model_create(fit, frame, cause, &model, &err) != SURVKIT_OK) {
        cli_report_error(common, &err);
        return false;
    }
    char *text = survkit_finegray_model_to_json(model);
    survkit_finegray_model_free(model);
    if (text == NULL) {
        cli_fail(common, "out of memory saving the model");
        return false;
    }
    bool ok = cli_write_text(common, path, text);
    free(text);
    return ok;
}

/* Open --plot's output (before any work, as every output) when one is asked for. */
static bool open_plot(const cli_common *common, finegray_plot_request *req, cli_output *out)
{
    if (!cli_output_open_path(common, req->path, out)) return false;
    req->stream = out->stream;
    return true;
}

/* --plot: predict.crr's curves of the --newdata rows, into the open plot output. */
static bool draw_predictions(const cli_common *common, const finegray_plot_request *req,
                             const report_finegray_options *ropt)
{
    if (req->path == NULL) return true;
#ifdef SURVKIT_HAVE_PLOTS
    survkit_error err;
    survkit_error_clear(&err);
    if (plot_finegray_write(req, ropt->pred_times, ropt->pred_K, ropt->pred_cif, ropt->pred_m,
                            ropt->pred_rows, &err) != SURVKIT_OK) {
        cli_report_error(common, &err);
        return false;
    }
#else
    (void)common, (void)ropt;
#endif
    return true;
}

/* Read --newdata and predict from the fit (frame) or the saved model. */
static bool predict_newdata(const cli_common *common, const char *path, const survkit_finegray *fit,
                            const survkit_frame *frame, const survkit_finegray_model *model,
                            report_finegray_options *ropt, size_t **rows, double **cif)
{
    cli_common nd_common = *common;
    nd_common.data_path = path;
    survkit_table *newdata = NULL;
    if (!cli_read_table(&nd_common, &newdata)) return false;
    survkit_error err;
    survkit_error_clear(&err);
    survkit_status st =
        model ? survkit_finegray_model_predict_table(model, newdata, &ropt->pred_m, rows, cif, &err)
              : survkit_finegray_predict_table(fit, frame, newdata, &ropt->pred_m, rows, cif, &err);
    survkit_table_free(newdata);
    if (st != SURVKIT_OK) {
        if (err.line > 0 && err.source[0] == '\0') snprintf(err.source, sizeof err.source, "%s", path);
        cli_report_error(common, &err);
        return false;
    }
    ropt->pred_rows = *rows;
    ropt->pred_cif = *cif;
    ropt->pred_times = model ? survkit_finegray_model_event_times(model)
                             : survkit_finegray_event_times(fit);
    ropt->pred_K = model ? survkit_finegray_model_n_event_times(model)
                         : survkit_finegray_n_event_times(fit);
    return true;
}

int cli_finegray(int argc, char **argv)
{
    cli_common common = {0};
    const bool from_model = has_model_option(argc, argv);
    common.needs_formula = !from_model;
    common.no_data = from_model; /* a saved model needs no data */
    common.accepts_weights = true;
    common.accepts_timefix = true;
    common.skip_groups = true;
    common.states = true;
    const char *cause = NULL, *newdata_path = NULL, *save_path = NULL, *model_path = NULL;
    double conf_level = 0.95, gtol = 1e-6;
    long iter_max = 10;
    finegray_plot_request plot = {0};
    const cli_option options[] = {
        {"cause", 0, CLI_OPT_STRING, &cause, "LEVEL", "the event of interest (required); the other event levels compete"},
        {"censor", 0, CLI_OPT_STRING, &common.censor, "LEVEL", "the censoring value of the status (default 0, or the first level of a text column)"},
        {"conf-level", 0, CLI_OPT_DOUBLE, &conf_level, "L", "level of the exp(coef) limits (default 0.95)"},
        {"gtol", 0, CLI_OPT_DOUBLE, &gtol, "G", "crr's convergence tolerance (default 1e-6)"},
        {"iter-max", 0, CLI_OPT_INT, &iter_max, "N", "crr's maxiter (default 10)"},
        {"newdata", 0, CLI_OPT_STRING, &newdata_path, "FILE", "also predict the cumulative incidence of these rows (predict.crr)"},
        {"save", 0, CLI_OPT_STRING, &save_path, "FILE", "save the model (JSON) for --model"},
        {"model", 0, CLI_OPT_STRING, &model_path, "FILE", "a model saved by --save, instead of fitting (with --newdata)"},
#ifdef SURVKIT_HAVE_PLOTS
        {"plot", 0, CLI_OPT_STRING, &plot.path, "FILE", "draw the --newdata predictions into FILE: .png, .svg or .pdf"},
        {"plot-title", 0, CLI_OPT_STRING, &plot.title, "TEXT", "title of the plot"},
        {"plot-xlab", 0, CLI_OPT_STRING, &plot.xlab, "TEXT", "x axis label (default Time)"},
        {"plot-ylab", 0, CLI_OPT_STRING, &plot.ylab, "TEXT", "y axis label (default Cumulative incidence)"},
        {"plot-width", 0, CLI_OPT_DOUBLE, &plot.width, "W", "pixels for PNG (800), points for PDF/SVG (576)"},
        {"plot-height", 0, CLI_OPT_DOUBLE, &plot.height, "H", "pixels for PNG (600), points for PDF/SVG (432)"},
        {"plot-break", 0, CLI_OPT_DOUBLE, &plot.x_break, "B", "x tick interval (default: pretty)"},
        {"plot-xmax", 0, CLI_OPT_DOUBLE, &plot.x_max, "T", "the x axis from 0 to T (default: the last time)"},
#endif
    };
    int status = cli_parse(argc, argv, &common, options, sizeof options / sizeof options[0],
                           "survkit finegray -f 'Surv(time, event) ~ x1 + x2' --cause LEVEL [options] DATA"
                           " | --model FILE --newdata FILE",
                           "Fine-Gray subdistribution hazards regression with cmprsk::crr's "
                           "numbers: coefficients, sandwich variance, pseudo log-likelihoods; "
                           "predict.crr for new rows.");
    if (status >= 0) return status;
    survkit_error err;
    survkit_error_clear(&err);
    report_finegray_options ropt = {0};
    size_t *pred_rows = NULL;
    double *pred_cif = NULL;
    int rc = CLI_EXIT_USAGE;
#ifdef SURVKIT_HAVE_PLOTS
    if (plot.path && plot_km_request_check(&plot, NULL, &err) != SURVKIT_OK)
        return cli_fail(&common, "%s", err.message);
    if (!plot.path && plot_km_request_has_options(&plot))
        return cli_fail(&common, "the --plot-* options need --plot FILE");
#endif
    if (plot.path && newdata_path == NULL)
        return cli_fail(&common, "--plot draws the predictions of --newdata FILE: give it");
    cli_output plot_out = {0};

    if (model_path != NULL) { /* predictions from a saved model */
        if (newdata_path == NULL) return cli_fail(&common, "--model FILE goes with --newdata FILE");
        if (save_path != NULL) return cli_fail(&common, "--save goes with a fit, not with --model");
        char *text = NULL;
        size_t len = 0;
        survkit_finegray_model *model = NULL;
        if (!cli_read_file(&common, model_path, &text, &len)) return CLI_EXIT_USAGE;
        status = survkit_finegray_model_from_json(text, len, model_path, &model, &err);
        free(text);
        if (status != SURVKIT_OK) return fail_with(&common, &err);
        ropt.cause = survkit_finegray_model_cause(model);
        cli_output out = {0};
        if (cli_output_open(&common, &out) && open_plot(&common, &plot, &plot_out) &&
            predict_newdata(&common, newdata_path, NULL, NULL, model, &ropt, &pred_rows, &pred_cif) &&
            draw_predictions(&common, &plot, &ropt)) {
            int format = common.format == CLI_FORMAT_JSON ? 1 : common.format == CLI_FORMAT_CSV ? 2 : 0;
            cli_output *outs[2] = {&out, &plot_out};
            if (report_finegray_predictions(out.stream, format, &ropt, &err) != SURVKIT_OK)
                cli_report_error(&common, &err);
            else if (cli_output_commit_all(&common, outs, 2))
                rc = CLI_EXIT_OK;
        }
        cli_output_abort(&plot_out);
        cli_output_abort(&out);
        free(pred_rows);
        free(pred_cif);
        survkit_finegray_model_free(model);
        return rc;
    }

    if (cause == NULL) return cli_fail(&common, "--cause LEVEL is required (the event of interest)");
    if (!(conf_level > 0 && conf_level < 1))
        return cli_fail(&common, "--conf-level must lie between 0 and 1, not %g", conf_level);
    if (!(gtol > 0)) return cli_fail(&common, "--gtol must be > 0");
    if (iter_max < 0 || iter_max > 100000) return cli_fail(&common, "--iter-max must be >= 0");
    survkit_finegray_options opt;
    survkit_finegray_options_init(&opt);
    opt.conf_level = conf_level;
    opt.gtol = gtol;
    opt.iter_max = (int)iter_max;
    ropt.formula = common.formula;
    ropt.cause = cause;

    cli_timings timings;
    survkit_table *table = NULL;
    survkit_frame *frame = NULL;
    survkit_finegray *fit = NULL;
    /* Every output is opened before any work: a bad path fails now and leaves nothing behind. */
    cli_output out = {0};
    if (!cli_output_open(&common, &out) || !open_plot(&common, &plot, &plot_out)) goto done;
    if (!cli_load(&common, &table, &frame, &timings)) goto done;
    ropt.n_dropped = survkit_frame_n_dropped(frame);
    cli_warn_dropped(&common, ropt.n_dropped);
    opt.progress = cli_progress_fit;
    opt.progress_user = &timings.progress;
    double t1 = cli_now();
    survkit_status st = survkit_finegray_fit_frame(frame, cause, &opt, &fit, &err);
    cli_progress_end(&timings.progress);
    if (st != SURVKIT_OK) {
        rc = cli_fail_frame_row(&common, frame, &err);
        goto done;
    }
    timings.fit_s = cli_now() - t1;
    if (!survkit_finegray_converged(fit))
        cli_warn(&common, "crr did not converge (the iteration limit or step halving was reached)");
    if (newdata_path != NULL &&
        !predict_newdata(&common, newdata_path, fit, frame, NULL, &ropt, &pred_rows, &pred_cif))
        goto done;
    if (!draw_predictions(&common, &plot, &ropt)) goto done;
    double tv[CLI_TIMINGS_LEN];
    ropt.timings = cli_timings_for_json(&common, &timings, tv);
    if (common.format == CLI_FORMAT_JSON) st = report_finegray_json(out.stream, fit, &ropt, &err);
    else if (common.format == CLI_FORMAT_CSV) st = report_finegray_csv(out.stream, fit, &ropt, &err);
    else st = report_finegray_text(out.stream, fit, &ropt, &err);
    if (st != SURVKIT_OK) {
        rc = fail_with(&common, &err);
        goto done;
    }
    cli_output *outs[2] = {&out, &plot_out};
    if (!cli_output_commit_all(&common, outs, 2)) goto done;
    if (save_path != NULL && !save_model(&common, save_path, fit, frame, cause)) goto done;
    cli_report_timings(&common, &timings);
    rc = CLI_EXIT_OK;
done:
    cli_output_abort(&plot_out);
    cli_output_abort(&out);
    free(pred_rows);
    free(pred_cif);
    survkit_finegray_free(fit);
    survkit_frame_free(frame);
    survkit_table_free(table);
    return rc;
}
