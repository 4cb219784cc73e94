/*
 * cmd_cox.c: `survkit cox`: read the data, build the model frame, fit the Cox model through the
 * public API, write the report (text like R's print(summary(coxph)), JSON, CSV).
 */
#include "cli.h"
#include "report_cox.h"
#include "cox_frailty_cli.h"
#include "cox_model_cli.h"
#ifdef SURVKIT_HAVE_PLOTS
#include "termplot_plot.h"
#else
typedef struct plot_termplot_request { /* no pictures in this build: never a --plot */
    const char *path;
    FILE *stream;
} plot_termplot_request;
#endif

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Parse "b1,b2,..." into a new array. */
static bool parse_init(const char *text, double **out, size_t *n)
{
    size_t count = 1;
    for (const char *c = text; *c; c++) count += *c == ',';
    double *v = malloc(count * sizeof *v);
    if (v == NULL) return false;
    const char *c = text;
    for (size_t k = 0; k < count; k++) {
        char *end;
        v[k] = strtod(c, &end);
        if (end == c || !isfinite(v[k]) || (*end != ',' && *end != '\0')) {
            free(v);
            return false;
        }
        c = end + 1;
    }
    *out = v;
    *n = count;
    return true;
}

/* The call R would print: coxph(formula = ..., data = <file stem>, ...) (cox_call.c, which
 * survkit-mpi cox shares). */
static void build_call(const cli_common *common, const survkit_cox_options *opt, char *buf,
                       size_t size)
{
    cli_cox_call(common, opt, buf, size);
}

/* Write the saved model into `out` (opened before the fit; the caller commits it). */
static bool save_model(const cli_common *common, cli_output *out, const survkit_cox_result *fit,
                       const survkit_frame *frame)
{
    survkit_error err;
    survkit_error_clear(&err);
    survkit_cox_model *model = NULL;
    const survkit_status st =
        survkit_cox_model_create_frame(fit, frame, common->weights, &model, &err);
    return cli_write_model(common, st, &err, model, out);
}

/* cli_load for --landmark T: read, keep the rows at risk at T with times from T, build the frame. */
static bool load_landmark(const cli_common *common, double at, survkit_table **table,
                          survkit_frame **frame, cli_timings *t)
{
    cli_timings_start(t, common);
    if (!cli_read_table_timed(common, table, t)) return false;
    double read_done = cli_now();
    survkit_error err;
    survkit_error_clear(&err);
    survkit_table *kept = NULL;
    if (survkit_table_landmark(*table, common->formula, at, &kept, &err) != SURVKIT_OK) {
        if (err.line > 0 && err.source[0] == '\0')
            snprintf(err.source, sizeof err.source, "%s",
                     strcmp(common->data_path, "-") == 0 ? "<stdin>" : common->data_path);
        cli_report_error(common, &err);
        return false;
    }
    survkit_table_free(*table);
    *table = kept;
    if (!cli_build_frame(common, *table, frame)) return false;
    t->frame_s = cli_now() - read_done;
    return true;
}

int cli_cox(int argc, char **argv)
{
    cli_common common = {0};
    common.needs_formula = true;
    common.accepts_weights = true;
    common.accepts_timefix = true;
    common.skip_groups = true; /* no km/logrank groups: they cost a label per distinct row */
    const char *ties = "efron", *init_text = NULL, *save_path = NULL, *frail_path = NULL;
    bool robust = false, no_robust = false;
    double eps = 1e-9, conf_level = 0.95, landmark = NAN;
    long iter_max = 20;
    plot_termplot_request plot = {0};
    const cli_option options[] = {
        {"ties", 0, CLI_OPT_STRING, &ties, "METHOD", "efron (default), breslow or exact"},
        {"robust", 0, CLI_OPT_FLAG, &robust, NULL, "robust (sandwich) variance, one cluster per row"},
        {"no-robust", 0, CLI_OPT_FLAG, &no_robust, NULL,
         "the model-based variance even with cluster() or fractional weights (R's robust = FALSE)"},
        {"init", 0, CLI_OPT_STRING, &init_text, "B1,B2,..", "initial coefficients (default 0)"},
        {"eps", 0, CLI_OPT_DOUBLE, &eps, "EPS", "convergence tolerance (default 1e-9)"},
        {"iter-max", 0, CLI_OPT_INT, &iter_max, "N", "maximum iterations (default 20)"},
        {"conf-level", 0, CLI_OPT_DOUBLE, &conf_level, "L", "confidence level (default 0.95)"},
        {"landmark", 0, CLI_OPT_DOUBLE, &landmark, "T",
         "landmark analysis: only the rows still at risk at T, time measured from T"},
        {"save", 0, CLI_OPT_STRING, &save_path, "FILE",
         "save the model (JSON) for predict, basehaz, residuals and zph --model"},
        {"frail-out", 0, CLI_OPT_STRING, &frail_path, "FILE",
         "with frailty(): the estimated frailty of each group (CSV: group,frail,fvar)"},
#ifdef SURVKIT_HAVE_PLOTS
        {"plot", 0, CLI_OPT_STRING, &plot.path, "FILE",
         "with pspline(): R's termplot of each pspline term (+/- 2 se): .png, .svg or .pdf"},
        {"plot-term", 0, CLI_OPT_STRING, &plot.term, "TERM", "only this pspline term"},
        {"plot-width", 0, CLI_OPT_DOUBLE, &plot.width, "W", "pixels for PNG (800), points for PDF/SVG (576)"},
        {"plot-height", 0, CLI_OPT_DOUBLE, &plot.height, "H", "pixels for PNG (600), points for PDF/SVG (432)"},
#endif
    };
    int status = cli_parse(argc, argv, &common, options, sizeof options / sizeof options[0],
                           "survkit cox -f FORMULA [options] DATA",
                           "Cox proportional hazards regression, as R's coxph.");
    if (status >= 0) return status;

    survkit_cox_options opt;
    survkit_cox_options_init(&opt);
    if (strcmp(ties, "efron") == 0) opt.ties = SURVKIT_COX_EFRON;
    else if (strcmp(ties, "breslow") == 0) opt.ties = SURVKIT_COX_BRESLOW;
    else if (strcmp(ties, "exact") == 0) opt.ties = SURVKIT_COX_EXACT;
    else return cli_fail(&common, "--ties takes efron, breslow or exact, not '%s'", ties);
    if (!(eps > 0)) return cli_fail(&common, "--eps must be positive");
    if (iter_max < 0 || iter_max > 1000000) return cli_fail(&common, "--iter-max must be a whole number from 0 to 1000000, not %ld", iter_max);
    if (!(conf_level > 0 && conf_level < 1))
        return cli_fail(&common, "--conf-level must lie strictly between 0 and 1");
    double *init = NULL;
    size_t n_init = 0;
    if (init_text && !parse_init(init_text, &init, &n_init))
        return cli_fail(&common, "--init takes numbers separated by commas, not '%s'", init_text);
    opt.eps = eps;
    opt.iter_max = (int)iter_max;
    opt.conf_level = conf_level;
    opt.init = init;
    opt.n_init = n_init;
    if (robust && no_robust)
        return cli_fail(&common, "--robust and --no-robust exclude each other");
    if (robust) opt.robust = SURVKIT_COX_ROBUST_ON;
    if (no_robust) opt.robust = SURVKIT_COX_ROBUST_OFF;
#ifdef SURVKIT_HAVE_PLOTS
    survkit_error perr;
    survkit_error_clear(&perr);
    if (plot.path && plot_termplot_request_check(&plot, &perr) != SURVKIT_OK)
        return cli_fail(&common, "%s", perr.message);
    if (!plot.path && plot_termplot_request_has_options(&plot))
        return cli_fail(&common, "the --plot-* options need --plot FILE");
#endif

    cli_timings t;
    survkit_table *table = NULL;
    survkit_frame *frame = NULL;
    survkit_cox_result *fit = NULL;
    int exit_status = CLI_EXIT_USAGE;
    cli_output frail_out = {0}; /* --frail-out: opened first, like the others before any work */
    if (!cli_output_open_path(&common, frail_path, &frail_out)) {
        free(init);
        return CLI_EXIT_USAGE;
    }
    /* Every output is opened before any work: a bad path fails now and leaves nothing behind. */
    cli_output output, save_out = {0}, plot_out = {0};
    if (!cli_output_open(&common, &output) || !cli_output_open_path(&common, save_path, &save_out) ||
        !cli_output_open_path(&common, plot.path, &plot_out))
        goto done;
    plot.stream = plot_out.stream;
    if (isnan(landmark) ? !cli_load(&common, &table, &frame, &t)
                        : !load_landmark(&common, landmark, &table, &frame, &t))
        goto done;
    double t2 = cli_now();
    if (cli_cox_is_penalised(frame)) { /* a penalised fit: cox_frailty_cli.c */
        char fcall[2048];
        build_call(&common, &opt, fcall, sizeof fcall);
        cli_cox_frailty_args fa = {&opt, &save_out, fcall, &plot, &plot_out};
        exit_status = cli_cox_frailty(&common, frame, &fa, &output, &frail_out, &t);
        goto done;
    }
    if (frail_path != NULL) {
        cli_fail(&common, "--frail-out needs a frailty() term in the formula");
        goto done;
    }
    if (plot.path != NULL) {
        cli_fail(&common, "--plot draws pspline() terms (R's termplot): the formula has none");
        goto done;
    }
    if (init && n_init != survkit_frame_p(frame)) {
        cli_fail(&common, "--init has %zu values but the model has %zu coefficients", n_init,
                 survkit_frame_p(frame));
        goto done;
    }
    survkit_error err;
    survkit_error_clear(&err);
    opt.progress = cli_progress_fit;
    opt.progress_user = &t.progress;
    if (survkit_cox_fit_frame(frame, &opt, &fit, &err) != SURVKIT_OK) {
        cli_report_error(&common, &err);
        goto done;
    }
    t.fit_s = cli_now() - t2;

    size_t dropped = survkit_frame_n_dropped(frame);
    if (dropped > 0 && common.format != CLI_FORMAT_TEXT) {
        char msg[128];
        snprintf(msg, sizeof msg, "%zu observation%s deleted due to missingness", dropped,
                 dropped == 1 ? "" : "s");
        cli_warn(&common, msg);
    }
    for (size_t k = 0; k < survkit_cox_result_n_warnings(fit); k++)
        cli_warn(&common, survkit_cox_result_warning(fit, k));

    if (save_path && !save_model(&common, &save_out, fit, frame)) goto done;

    char call[2048];
    build_call(&common, &opt, call, sizeof call);
    double tv[CLI_TIMINGS_LEN];
    report_cox_info info = {call, dropped, cli_timings_for_json(&common, &t, tv)};
    switch (common.format) {
    case CLI_FORMAT_JSON: report_cox_json(output.stream, fit, &info); break;
    case CLI_FORMAT_CSV: report_cox_csv(output.stream, fit); break;
    default: report_cox_text(output.stream, fit, &info); break;
    }
    cli_output *outs[2] = {&output, &save_out};
    if (!cli_output_commit_all(&common, outs, 2)) goto done;
    cli_report_timings(&common, &t);
    exit_status = CLI_EXIT_OK;

done:
    cli_output_abort(&frail_out);
    cli_output_abort(&save_out);
    cli_output_abort(&plot_out);
    cli_output_abort(&output);
    survkit_cox_result_free(fit);
    survkit_frame_free(frame);
    survkit_table_free(table);
    free(init);
    return exit_status;
}
