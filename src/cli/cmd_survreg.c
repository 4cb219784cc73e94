/*
 * cmd_survreg.c: `survkit survreg`: read the data, build the model frame, fit the parametric
 * model through the public API, write the report (text like R's print(summary(survreg)), JSON,
 * CSV).
 */
#include "cli.h"
#include "report_survreg.h"

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

int cli_survreg(int argc, char **argv)
{
    cli_common common = {0};
    common.needs_formula = true;
    common.accepts_weights = true;
    common.skip_groups = true;
    common.accepts_interval = true;
    common.no_timefix = true; /* survreg takes times as read (no aeqSurv in R's survreg) */
    const char *dist = "weibull";
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
    opt.eps = eps;
    opt.iter_max = (int)iter_max;
    opt.scale = scale;
    if (robust) opt.robust = SURVKIT_SURVREG_ROBUST_ON;

    cli_timings t;
    survkit_table *table = NULL;
    survkit_frame *frame = NULL;
    survkit_survreg_result *fit = NULL;
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

    char call[2048];
    build_call(&common, &opt, call, sizeof call);
    double tv[4];
    report_survreg_info info = {call, dropped, cli_timings_for_json(&common, &t, tv)};
    cli_output output;
    if (!cli_output_open(&common, &output)) goto done;
    switch (common.format) {
    case CLI_FORMAT_JSON: report_survreg_json(output.stream, fit, &info); break;
    case CLI_FORMAT_CSV: report_survreg_csv(output.stream, fit); break;
    default: report_survreg_text(output.stream, fit, &info); break;
    }
    if (!cli_output_commit(&common, &output)) goto done;
    cli_report_timings(&common, &t);
    exit_status = CLI_EXIT_OK;

done:
    survkit_survreg_result_free(fit);
    survkit_frame_free(frame);
    survkit_table_free(table);
    return exit_status;
}
