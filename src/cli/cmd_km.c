/* cmd_km.c: `survkit km`: Kaplan-Meier curves per group (R's survfit and its print/summary). */
#include "cli.h"
#include "km_args.h"
#include "report_km.h"
#ifdef SURVKIT_HAVE_PLOTS
#include "km_plot.h"
#endif

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int fail_with(const cli_common *common, const survkit_error *err)
{
    cli_report_error(common, err);
    return CLI_EXIT_USAGE;
}

int cli_km(int argc, char **argv)
{
    cli_common common = {0};
    common.needs_formula = true;
    common.accepts_weights = true;
    common.accepts_timefix = true;
    cli_km_args args;
    cli_option options[CLI_KM_N_OPTIONS + 16];
    cli_km_args_options(&args, options);
    size_t n_options = CLI_KM_N_OPTIONS;
#ifdef SURVKIT_HAVE_PLOTS
    plot_km_request plot = {0};
    const cli_option plot_options[] = {
        {"plot", 0, CLI_OPT_STRING, &plot.path, "FILE", "draw the curves into FILE: .png, .svg or .pdf"},
        {"plot-fun", 0, CLI_OPT_STRING, &plot.fun, "F", "surv (default), event (1-S), cumhaz, cloglog"},
        {"plot-ci", 0, CLI_OPT_STRING, &plot.ci, "WHEN", "confidence bands: auto (one curve; default), yes, no"},
        {"plot-title", 0, CLI_OPT_STRING, &plot.title, "TEXT", "title of the plot"},
        {"plot-xlab", 0, CLI_OPT_STRING, &plot.xlab, "TEXT", "x axis label (default Time)"},
        {"plot-ylab", 0, CLI_OPT_STRING, &plot.ylab, "TEXT", "y axis label (default by --plot-fun)"},
        {"plot-width", 0, CLI_OPT_DOUBLE, &plot.width, "W", "pixels for PNG (800), points for PDF/SVG (576)"},
        {"plot-height", 0, CLI_OPT_DOUBLE, &plot.height, "H", "pixels for PNG (600), points for PDF/SVG (432)"},
        {"plot-break", 0, CLI_OPT_DOUBLE, &plot.x_break, "B", "x tick and risk-table interval (default: pretty)"},
        {"plot-xmax", 0, CLI_OPT_DOUBLE, &plot.x_max, "T", "the x axis from 0 to T (default: the last time)"},
        {"plot-median", 0, CLI_OPT_FLAG, &plot.median, NULL, "dashed guides to the median times"},
        {"plot-no-risk-table", 0, CLI_OPT_FLAG, &plot.no_risk_table, NULL, "no number-at-risk table"},
        {"plot-no-censor-marks", 0, CLI_OPT_FLAG, &plot.no_censor_marks, NULL, "no + at censored times"},
    };
    for (size_t k = 0; k < sizeof plot_options / sizeof plot_options[0]; k++)
        options[n_options++] = plot_options[k];
#endif
    int status = cli_parse(argc, argv, &common, options, n_options,
                           "survkit km -f 'Surv(time, status) ~ group' [options] DATA",
                           "Kaplan-Meier curves per group, with R's survfit numbers: median, "
                           "quantiles, restricted mean, curve table.");
    if (status >= 0) return status;

    survkit_error err;
    survkit_error_clear(&err);
#ifdef SURVKIT_HAVE_PLOTS
    plot.conf_level = args.conf_level;
    if (plot.path && plot_km_request_check(&plot, NULL, &err) != SURVKIT_OK)
        return cli_fail(&common, "%s", err.message);
    if (!plot.path && plot_km_request_has_options(&plot))
        return cli_fail(&common, "the --plot-* options need --plot FILE");
#endif
    survkit_km_options opt;
    report_km_options ropt;
    if ((status = cli_km_args_apply(&common, &args, &opt, &ropt)) >= 0) return status;
    double *probs = (double *)ropt.quantiles, *at = (double *)ropt.times;

    cli_timings timings;
    survkit_table *table = NULL;
    survkit_frame *frame = NULL;
    survkit_km *km = NULL;
    int rc = CLI_EXIT_USAGE;
    /* Every output is opened before any work: a bad path fails now and leaves nothing behind. */
    cli_output out, plot_out = {0};
    if (!cli_output_open(&common, &out)) goto done;
#ifdef SURVKIT_HAVE_PLOTS
    if (!cli_output_open_path(&common, plot.path, &plot_out)) goto done;
    plot.stream = plot_out.stream;
#endif
    if (!cli_load(&common, &table, &frame, &timings)) goto done;
    ropt.n_dropped = survkit_frame_n_dropped(frame);
    cli_warn_dropped(&common, ropt.n_dropped);
    double t1 = cli_now();
    if (survkit_km_fit_frame(frame, &opt, &km, &err) != SURVKIT_OK) {
        rc = fail_with(&common, &err);
        goto done;
    }
    timings.fit_s = cli_now() - t1;
    double tv[CLI_TIMINGS_LEN];
    ropt.timings = cli_timings_for_json(&common, &timings, tv);

#ifdef SURVKIT_HAVE_PLOTS
    if (plot.path && plot_km_write_fit(&plot, km, &err) != SURVKIT_OK) {
        rc = fail_with(&common, &err);
        goto done;
    }
#endif
    survkit_status st;
    if (common.format == CLI_FORMAT_JSON) st = report_km_json(out.stream, km, &ropt, &err);
    else if (common.format == CLI_FORMAT_CSV) st = report_km_csv(out.stream, km, &err);
    else st = report_km_text(out.stream, km, &ropt, &err);
    if (st != SURVKIT_OK) {
        rc = fail_with(&common, &err);
        goto done;
    }
    cli_output *outs[2] = {&out, &plot_out};
    if (!cli_output_commit_all(&common, outs, 2)) goto done;
    cli_report_timings(&common, &timings);
    rc = CLI_EXIT_OK;
done:
    cli_output_abort(&plot_out);
    cli_output_abort(&out);
    survkit_km_free(km);
    survkit_frame_free(frame);
    survkit_table_free(table);
    free(probs);
    free(at);
    return rc;
}
