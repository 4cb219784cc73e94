/* cmd_cuminc.c: `survkit cuminc`: competing risks: cumulative incidence per group and state (R's
 * survfit(Surv(time, factor(event)) ~ g)) and Gray's test per state (cmprsk::cuminc). */
#include "cli.h"
#include "report_compete.h"
#ifdef SURVKIT_HAVE_PLOTS
#include "cuminc_plot.h"
#endif

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int fail_with(const cli_common *common, const survkit_error *err)
{
    cli_report_error(common, err);
    return CLI_EXIT_USAGE;
}

/* The subject codes of the --id column, for the frame's rows. */
static bool code_ids(const cli_common *common, const survkit_frame *frame,
                     const survkit_table *table, const char *id, int32_t **codes)
{
    survkit_error err;
    survkit_error_clear(&err);
    size_t n_groups = 0;
    char **labels = NULL;
    if (survkit_frame_code_column(frame, table, id, codes, &n_groups, &labels, &err) != SURVKIT_OK) {
        if (err.line > 0 && err.source[0] == '\0')
            snprintf(err.source, sizeof err.source, "%s", common->data_path);
        cli_report_error(common, &err);
        return false;
    }
    /* the labels are not needed, the codes are */
    int32_t *keep = *codes;
    *codes = NULL;
    survkit_frame_codes_free(NULL, labels, n_groups);
    *codes = keep;
    return true;
}

int cli_cuminc(int argc, char **argv)
{
    cli_common common = {0};
    common.needs_formula = true;
    common.accepts_weights = true;
    common.accepts_timefix = true;
    common.states = true;
    const char *conf_type = "log", *times = NULL, *rmst = NULL, *id = NULL;
    double conf_level = 0.95, rho = 0;
#ifdef SURVKIT_HAVE_PLOTS
    plot_cuminc_request plot = {0};
#endif
    const cli_option options[] = {
        {"censor", 0, CLI_OPT_STRING, &common.censor, "LEVEL", "the censoring value of the status (default 0, or the first level of a text column)"},
        {"conf-type", 0, CLI_OPT_STRING, &conf_type, "T", "log (default), log-log, plain, logit, arcsin, none"},
        {"conf-level", 0, CLI_OPT_DOUBLE, &conf_level, "L", "confidence level (default 0.95)"},
        {"id", 0, CLI_OPT_STRING, &id, "COLUMN", "subject ids (needed for Surv(start, stop, event) data)"},
        {"rho", 0, CLI_OPT_DOUBLE, &rho, "R", "power of the weight of Gray's test (cuminc's rho; default 0)"},
        {"times", 0, CLI_OPT_STRING, &times, "T1,T2", "the curves at these times (summary(fit, times=))"},
        {"rmst", 0, CLI_OPT_STRING, &rmst, "TAU", "restricted mean time in each state (lost to each cause) up to TAU"},
#ifdef SURVKIT_HAVE_PLOTS
        {"plot", 0, CLI_OPT_STRING, &plot.km.path, "FILE", "draw the curves into FILE: .png, .svg or .pdf (a panel per state)"},
        {"plot-stacked", 0, CLI_OPT_FLAG, &plot.stacked, NULL, "a panel per group with the states stacked"},
        {"plot-ci", 0, CLI_OPT_STRING, &plot.km.ci, "WHEN", "confidence bands: auto (one curve a panel; default), yes, no"},
        {"plot-title", 0, CLI_OPT_STRING, &plot.km.title, "TEXT", "title, before each panel's state or group"},
        {"plot-xlab", 0, CLI_OPT_STRING, &plot.km.xlab, "TEXT", "x axis label (default Time)"},
        {"plot-ylab", 0, CLI_OPT_STRING, &plot.km.ylab, "TEXT", "y axis label (default Cumulative incidence)"},
        {"plot-width", 0, CLI_OPT_DOUBLE, &plot.km.width, "W", "page width: pixels for PNG, points for PDF/SVG"},
        {"plot-height", 0, CLI_OPT_DOUBLE, &plot.km.height, "H", "page height: pixels for PNG, points for PDF/SVG"},
        {"plot-break", 0, CLI_OPT_DOUBLE, &plot.km.x_break, "B", "x tick and risk-table interval (default: pretty)"},
        {"plot-xmax", 0, CLI_OPT_DOUBLE, &plot.km.x_max, "T", "the x axis from 0 to T (default: the last time)"},
        {"plot-no-risk-table", 0, CLI_OPT_FLAG, &plot.km.no_risk_table, NULL, "no number-at-risk table"},
        {"plot-no-censor-marks", 0, CLI_OPT_FLAG, &plot.km.no_censor_marks, NULL, "no + at censored times"},
#endif
    };
    int status = cli_parse(argc, argv, &common, options, sizeof options / sizeof options[0],
                           "survkit cuminc -f 'Surv(time, event) ~ group' [options] DATA",
                           "Competing risks: Aalen-Johansen cumulative incidence per group and "
                           "state with R's survfit numbers, and Gray's test per state (strata() "
                           "stratifies the test only).");
    if (status >= 0) return status;

    survkit_error err;
    survkit_error_clear(&err);
    survkit_cuminc_options opt;
    survkit_cuminc_options_init(&opt);
    if (survkit_conf_type_parse(conf_type, &opt.conf_type, &err) != SURVKIT_OK)
        return cli_fail(&common, "--conf-type: %s", err.message);
    if (!(conf_level > 0 && conf_level < 1))
        return cli_fail(&common, "--conf-level must lie between 0 and 1, not %g", conf_level);
    if (!isfinite(rho)) return cli_fail(&common, "--rho must be a finite number");
    opt.conf_level = conf_level;
    opt.rho = rho;
#ifdef SURVKIT_HAVE_PLOTS
    if (plot.km.path && plot_cuminc_request_check(&plot, NULL, &err) != SURVKIT_OK)
        return cli_fail(&common, "%s", err.message);
    if (!plot.km.path && plot_cuminc_request_has_options(&plot))
        return cli_fail(&common, "the --plot-* options need --plot FILE");
#endif
    report_cuminc_options ropt = {0};
    ropt.tau = NAN;
    ropt.formula = common.formula;
    double *at = NULL;
    if (rmst != NULL) {
        char *end;
        ropt.tau = strtod(rmst, &end);
        if (end == rmst || *end != '\0' || !isfinite(ropt.tau))
            return cli_fail(&common, "--rmst takes a number, not '%s'", rmst);
    }
    if (times && !cli_parse_numbers(&common, "times", times, &at, &ropt.n_times)) return CLI_EXIT_USAGE;
    for (size_t q = 1; q < ropt.n_times; q++)
        if (at[q] < at[q - 1]) {
            free(at);
            return cli_fail(&common, "--times must be in ascending order");
        }
    ropt.times = at;
    common.keep_table = id != NULL;

    cli_timings timings;
    survkit_table *table = NULL;
    survkit_frame *frame = NULL;
    survkit_cuminc *fit = NULL;
    int32_t *ids = NULL;
    int rc = CLI_EXIT_USAGE;
    /* Every output is opened before any work: a bad path fails now and leaves nothing behind. */
    cli_output out = {0}, plot_out = {0};
    if (!cli_output_open(&common, &out)) goto done;
#ifdef SURVKIT_HAVE_PLOTS
    if (!cli_output_open_path(&common, plot.km.path, &plot_out)) goto done;
    plot.km.stream = plot_out.stream;
#endif
    if (!cli_load(&common, &table, &frame, &timings)) goto done;
    if (id != NULL && !code_ids(&common, frame, table, id, &ids)) goto done;
    ropt.n_dropped = survkit_frame_n_dropped(frame);
    cli_warn_dropped(&common, ropt.n_dropped);
    double t1 = cli_now();
    if (survkit_cuminc_fit_frame(frame, ids, &opt, &fit, &err) != SURVKIT_OK) {
        rc = cli_fail_frame_row(&common, frame, &err);
        goto done;
    }
    timings.fit_s = cli_now() - t1;
    double tv[CLI_TIMINGS_LEN];
    ropt.timings = cli_timings_for_json(&common, &timings, tv);
#ifdef SURVKIT_HAVE_PLOTS
    if (plot.km.path && plot_cuminc_write(&plot, fit, &err) != SURVKIT_OK) {
        rc = fail_with(&common, &err);
        goto done;
    }
#endif
    survkit_status st;
    if (common.format == CLI_FORMAT_JSON) st = report_cuminc_json(out.stream, fit, &ropt, &err);
    else if (common.format == CLI_FORMAT_CSV) st = report_cuminc_csv(out.stream, fit, &err);
    else st = report_cuminc_text(out.stream, fit, &ropt, &err);
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
    survkit_cuminc_free(fit);
    free(ids);
    survkit_frame_free(frame);
    survkit_table_free(table);
    free(at);
    return rc;
}
