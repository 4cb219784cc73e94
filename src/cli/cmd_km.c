/* cmd_km.c: `survkit km`: Kaplan-Meier curves per group (R's survfit and its print/summary). */
#include "cli.h"
#include "report_km.h"
#ifdef SURVKIT_HAVE_PLOTS
#include "km_plot.h"
#endif

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void sort_ascending(double *x, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && x[j - 1] > x[j]; j--) {
            double t = x[j];
            x[j] = x[j - 1];
            x[j - 1] = t;
        }
}

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
    const char *conf_type = "log", *quantiles = NULL, *rmst = NULL, *times = NULL;
    double conf_level = 0.95;
    long ctype = 1;
    bool summary = false, robust = false, no_robust = false;
#ifdef SURVKIT_HAVE_PLOTS
    plot_km_request plot = {0};
#endif
    const cli_option options[] = {
        {"conf-type", 0, CLI_OPT_STRING, &conf_type, "T", "log (default), log-log, plain, logit, arcsin, none"},
        {"conf-level", 0, CLI_OPT_DOUBLE, &conf_level, "L", "confidence level (default 0.95)"},
        {"quantiles", 0, CLI_OPT_STRING, &quantiles, "P1,P2", "survival quantiles with confidence limits"},
        {"rmst", 0, CLI_OPT_STRING, &rmst, "TAU", "restricted mean survival time up to TAU, with its se"},
        {"ctype", 0, CLI_OPT_INT, &ctype, "1|2", "cumulative hazard: 1 Nelson-Aalen, 2 Fleming-Harrington ties"},
        {"robust", 0, CLI_OPT_FLAG, &robust, NULL, "robust (infinitesimal jackknife) std_err and limits"},
        {"no-robust", 0, CLI_OPT_FLAG, &no_robust, NULL, "Greenwood std_err even with fractional weights"},
        {"summary", 0, CLI_OPT_FLAG, &summary, NULL, "text: print the curve table (R's summary(fit))"},
        {"times", 0, CLI_OPT_STRING, &times, "T1,T2", "text: the curve at these times (summary(fit, times=))"},
#ifdef SURVKIT_HAVE_PLOTS
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
#endif
    };
    int status = cli_parse(argc, argv, &common, options, sizeof options / sizeof options[0],
                           "survkit km -f 'Surv(time, status) ~ group' [options] DATA",
                           "Kaplan-Meier curves per group, with R's survfit numbers: median, "
                           "quantiles, restricted mean, curve table.");
    if (status >= 0) return status;

    survkit_error err;
    survkit_error_clear(&err);
    survkit_km_options opt;
    survkit_km_options_init(&opt);
    opt.conf_level = conf_level;
    opt.ctype = (int)ctype;
    if (survkit_conf_type_parse(conf_type, &opt.conf_type, &err) != SURVKIT_OK)
        return cli_fail(&common, "--conf-type: %s", err.message);
    if (!(conf_level > 0 && conf_level < 1))
        return cli_fail(&common, "--conf-level must lie between 0 and 1, not %g", conf_level);
    if (ctype != 1 && ctype != 2) return cli_fail(&common, "--ctype takes 1 or 2, not %ld", ctype);
    if (robust && no_robust) return cli_fail(&common, "--robust and --no-robust exclude each other");
    /* Neither: R's rule, robust when some case weight is not an integer. */
    opt.robust = robust ? 1 : no_robust ? 0 : -1;
#ifdef SURVKIT_HAVE_PLOTS
    plot.conf_level = conf_level;
    if (plot.path && plot_km_request_check(&plot, NULL, &err) != SURVKIT_OK)
        return cli_fail(&common, "%s", err.message);
    if (!plot.path && plot_km_request_has_options(&plot))
        return cli_fail(&common, "the --plot-* options need --plot FILE");
#endif

    report_km_options ropt = {0};
    ropt.tau = NAN;
    double *probs = NULL, *at = NULL;
    if (rmst != NULL) {
        char *end;
        ropt.tau = strtod(rmst, &end);
        if (end == rmst || *end != '\0' || !isfinite(ropt.tau))
            return cli_fail(&common, "--rmst takes a number, not '%s'", rmst);
    }
    if (quantiles && !cli_parse_numbers(&common, "quantiles", quantiles, &probs, &ropt.n_quantiles))
        return CLI_EXIT_USAGE;
    for (size_t j = 0; j < ropt.n_quantiles; j++)
        if (!(probs[j] >= 0 && probs[j] <= 1)) {
            const double bad = probs[j]; /* read before the array is freed */
            free(probs);
            return cli_fail(&common, "--quantiles must lie in [0, 1], not %g", bad);
        }
    if (times && !cli_parse_numbers(&common, "times", times, &at, &ropt.n_times)) {
        free(probs);
        return CLI_EXIT_USAGE;
    }
    sort_ascending(at, ropt.n_times);
    ropt.quantiles = probs;
    ropt.times = at;
    ropt.summary = summary;
    ropt.formula = common.formula;

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
