/*
 * cmd_ipw.c: `survkit ipw -f 'treatment ~ covariates'`: the propensity model (logit GLM), the ATE
 * or ATT weights (--stabilize, --trim Q), effective sample sizes and the balance table; JSON per
 * the contract; `--format csv` writes the input's rows, every column, with `ps` and `weight`
 * added (rows dropped for missing values get NA, so km/cox --weights weight leave them out).
 */
#include "cli.h"
#include "coefmat.h"
#include "csv.h"
#include "json.h"
#include "report_glm.h"
#include "report_timings.h"
#include "rformat.h"
#ifdef SURVKIT_HAVE_PLOTS
#include "ipw_plot.h"
#endif

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A number as R's write.csv writes it: the shortest of 15, 16, 17 digits that reads back. */
static void write_number(FILE *out, double x)
{
    if (isnan(x)) {
        fputs("NA", out);
        return;
    }
    char buf[40];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, x);
        if (strtod(buf, NULL) == x) break;
    }
    fputs(buf, out);
}

static void write_rows(FILE *out, const survkit_table *t, const survkit_frame *frame,
                       const survkit_ipw_result *r)
{
    const size_t rows = survkit_table_n_rows(t), cols = survkit_table_n_columns(t);
    for (size_t j = 0; j < cols; j++) {
        csv_text(out, survkit_table_column_name(t, j), true);
        fputc(',', out);
    }
    fputs("\"ps\",\"weight\"\n", out);
    const size_t *kept = survkit_frame_row_index(frame), n = survkit_frame_n(frame);
    const double *ps = survkit_ipw_result_ps(r), *w = survkit_ipw_result_weights(r);
    for (size_t i = 0, k = 0; i < rows; i++) {
        for (size_t j = 0; j < cols; j++) {
            if (survkit_table_column_type(t, j) == SURVKIT_COLUMN_NUMERIC) {
                write_number(out, survkit_table_numeric(t, j)[i]);
            } else {
                int32_t code = survkit_table_codes(t, j)[i];
                if (code < 0) fputs("NA", out);
                else csv_text(out, survkit_table_level(t, j, (size_t)code), true);
            }
            fputc(',', out);
        }
        bool used = k < n && kept[k] == i;
        write_number(out, used ? ps[k] : NAN);
        fputc(',', out);
        write_number(out, used ? w[k] : NAN);
        fputc('\n', out);
        k += used;
    }
}

/* The one-step adjusted curves (--surv): weighted, robust Kaplan-Meier curves per treatment group
 * and their contrasts at --times and for --rmst. */
typedef struct adjusted {
    survkit_km *km;
    survkit_ipw_contrast *at;   /* n_at rows */
    size_t n_at;
    survkit_ipw_contrast rmst;
    bool has_rmst;
} adjusted;

static void adjusted_free(adjusted *a)
{
    survkit_km_free(a->km);
    free(a->at);
}

/* Put the weights into the table (NA for rows the propensity model dropped), build the frame
 * `SURV ~ treatment` weighted by them and fit R's survfit(..., weights = w, robust = TRUE). */
static bool fit_adjusted(const cli_common *common, survkit_table *table, const survkit_frame *frame,
                         const survkit_ipw_result *r, const char *surv, const double *times,
                         size_t n_times, double tau, double conf_level, adjusted *a)
{
    static const char *const column = "ipw_weight";
    if (survkit_table_find(table, column) >= 0) {
        cli_fail(common, "%s already has a column named '%s'", common->data_path, column);
        return false;
    }
    const size_t rows = survkit_table_n_rows(table), n = survkit_frame_n(frame);
    double *w = malloc((rows + 1) * sizeof *w);
    const char *tilde = strchr(common->formula, '~');
    size_t len = strlen(surv) + strlen(common->formula) + 8;
    char *formula = malloc(len);
    if (w == NULL || formula == NULL || tilde == NULL) {
        free(w), free(formula);
        cli_fail(common, "out of memory");
        return false;
    }
    for (size_t i = 0; i < rows; i++) w[i] = NAN;
    for (size_t i = 0; i < n; i++) w[survkit_frame_row_index(frame)[i]] = survkit_ipw_result_weights(r)[i];
    size_t lhs = (size_t)(tilde - common->formula);
    while (lhs > 0 && common->formula[lhs - 1] == ' ') lhs--;
    snprintf(formula, len, "%s ~ %.*s", surv, (int)lhs, common->formula);
    survkit_error err;
    survkit_error_clear(&err);
    survkit_status st = survkit_table_add_numeric(table, column, w, &err);
    free(w);
    survkit_frame *kframe = NULL;
    if (st == SURVKIT_OK) {
        cli_common kc = *common;
        kc.formula = formula;
        kc.weights = column;
        kc.binary_response = false;
        kc.skip_groups = false;
        st = cli_build_frame(&kc, table, &kframe) ? SURVKIT_OK : SURVKIT_ERR_ARGUMENT;
        err.message[0] = '\0';
    }
    free(formula);
    survkit_km_options ko;
    survkit_km_options_init(&ko);
    ko.robust = 1;
    ko.conf_level = conf_level;
    if (st == SURVKIT_OK) st = survkit_km_fit_frame(kframe, &ko, &a->km, &err);
    survkit_frame_free(kframe);
    if (st == SURVKIT_OK && n_times > 0) {
        a->at = calloc(n_times, sizeof *a->at);
        st = a->at ? survkit_ipw_contrast_survival(a->km, times, n_times, conf_level, a->at,
                                                    &a->n_at, &err)
                   : SURVKIT_ERR_NOMEM;
    }
    if (st == SURVKIT_OK && !isnan(tau)) {
        st = survkit_ipw_contrast_rmst(a->km, tau, conf_level, &a->rmst, &err);
        a->has_rmst = st == SURVKIT_OK;
    }
    if (st != SURVKIT_OK && err.message[0]) cli_report_error(common, &err);
    return st == SURVKIT_OK;
}

static void json_contrast(json_writer *w, const survkit_ipw_contrast *c, const char *key)
{
    json_object_begin(w, NULL);
    json_number(w, key, c->time);
    json_number(w, "control", c->control);
    json_number(w, "treated", c->treated);
    json_number(w, "se_control", c->se_control);
    json_number(w, "se_treated", c->se_treated);
    json_number(w, "diff", c->diff);
    json_number(w, "diff_lower", c->diff_lower);
    json_number(w, "diff_upper", c->diff_upper);
    json_number(w, "ratio", c->ratio);
    json_number(w, "ratio_lower", c->ratio_lower);
    json_number(w, "ratio_upper", c->ratio_upper);
    json_object_end(w);
}

static void json_adjusted(json_writer *w, const adjusted *a)
{
    json_object_begin(w, "adjusted");
    json_array_begin(w, "curves");
    for (size_t g = 0; g < survkit_km_n_groups(a->km); g++) {
        json_object_begin(w, NULL);
        json_string(w, "label", survkit_km_group_label(a->km, g));
        static const struct { survkit_km_column c; const char *key; } cols[] = {
            {SURVKIT_KM_TIME, "time"}, {SURVKIT_KM_N_RISK, "n_risk"}, {SURVKIT_KM_N_EVENT, "n_event"},
            {SURVKIT_KM_SURV, "surv"}, {SURVKIT_KM_STD_ERR, "std_err"}, {SURVKIT_KM_LOWER, "lower"},
            {SURVKIT_KM_UPPER, "upper"}};
        for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
            json_number_array(w, cols[k].key, survkit_km_column_values(a->km, g, cols[k].c),
                              survkit_km_n_times(a->km, g));
        json_object_end(w);
    }
    json_array_end(w);
    json_array_begin(w, "survival");
    for (size_t i = 0; i < a->n_at; i++) json_contrast(w, &a->at[i], "time");
    json_array_end(w);
    if (a->has_rmst) {
        json_array_begin(w, "rmst");
        json_contrast(w, &a->rmst, "tau");
        json_array_end(w);
    }
    json_object_end(w);
}

static void text_adjusted(FILE *out, const adjusted *a)
{
    fprintf(out, "\nIPW-adjusted survival (robust standard errors): %s vs %s\n",
            survkit_km_group_label(a->km, 1), survkit_km_group_label(a->km, 0));
    fprintf(out, "%10s %9s %9s %9s %20s %9s %20s\n", "time", "control", "treated", "diff",
            "diff 95% CI", "ratio", "ratio 95% CI");
    for (size_t i = 0; i <= a->n_at; i++) {
        const survkit_ipw_contrast *c = i < a->n_at ? &a->at[i] : a->has_rmst ? &a->rmst : NULL;
        if (c == NULL) break;
        char t[32];
        snprintf(t, sizeof t, i < a->n_at ? "%g" : "RMST %g", c->time);
        fprintf(out, "%10s %9.4g %9.4g %9.4g  (%8.4g, %8.4g) %9.4g  (%8.4g, %8.4g)\n", t, c->control,
                c->treated, c->diff, c->diff_lower, c->diff_upper, c->ratio, c->ratio_lower,
                c->ratio_upper);
    }
}

static void write_json(FILE *out, const survkit_ipw_result *r, size_t dropped, const double *timings,
                       const adjusted *a)
{
    survkit_ipw_summary s;
    survkit_ipw_result_summary(r, &s);
    json_writer w;
    json_init(&w, out);
    json_object_begin(&w, NULL);
    json_string(&w, "command", "ipw");
    json_string(&w, "estimand", survkit_ipw_result_estimand(r) == SURVKIT_IPW_ATT ? "att" : "ate");
    json_integer(&w, "n", (long long)survkit_ipw_result_n(r));
    json_integer(&w, "n_dropped", (long long)dropped);
    json_integer(&w, "treated", (long long)survkit_ipw_result_n_treated(r));
    json_object_begin(&w, "propensity");
    report_glm_json_members(&w, survkit_ipw_result_model(r));
    json_object_end(&w);
    json_object_begin(&w, "weights");
    json_number(&w, "min", s.min);
    json_number(&w, "max", s.max);
    json_number(&w, "sum_treated", s.sum_treated);
    json_number(&w, "sum_control", s.sum_control);
    json_number(&w, "ess_treated", s.ess_treated);
    json_number(&w, "ess_control", s.ess_control);
    if (!isnan(s.trim_lower)) {
        json_number(&w, "trim_lower", s.trim_lower);
        json_number(&w, "trim_upper", s.trim_upper);
    }
    json_object_end(&w);
    json_array_begin(&w, "balance");
    for (size_t k = 0; k < survkit_ipw_result_n_balance(r); k++) {
        json_object_begin(&w, NULL);
        json_string(&w, "name", survkit_ipw_result_balance_name(r, k));
        json_number(&w, "smd_before", survkit_ipw_result_smd_before(r)[k]);
        json_number(&w, "smd_after", survkit_ipw_result_smd_after(r)[k]);
        json_number(&w, "vr_before", survkit_ipw_result_vr_before(r)[k]);
        json_number(&w, "vr_after", survkit_ipw_result_vr_after(r)[k]);
        json_object_end(&w);
    }
    json_array_end(&w);
    json_array_begin(&w, "warnings");
    const survkit_glm_result *m = survkit_ipw_result_model(r);
    for (size_t k = 0; k < survkit_glm_result_n_warnings(m); k++)
        json_string(&w, NULL, survkit_glm_result_warning(m, k));
    json_array_end(&w);
    if (a && a->km) json_adjusted(&w, a);
    report_timings_json(&w, timings);
    json_object_end(&w);
    json_finish(&w);
}

/* Text: the propensity model's coefficient table, the weights and the balance table. */
static void write_text(FILE *out, const survkit_ipw_result *r, const char *formula, size_t dropped)
{
    const survkit_glm_result *m = survkit_ipw_result_model(r);
    survkit_ipw_summary s;
    survkit_ipw_result_summary(r, &s);
    const size_t p = survkit_glm_result_p(m), q = survkit_ipw_result_n_balance(r);
    fprintf(out, "Propensity model: glm(formula = %s, family = binomial)\n", formula);
    fprintf(out, "  n= %zu, treated= %zu", survkit_ipw_result_n(r), survkit_ipw_result_n_treated(r));
    if (dropped) fprintf(out, "   (%zu observation%s deleted due to missingness)", dropped, dropped == 1 ? "" : "s");
    fputs("\n\n", out);
    const char **names = malloc((p + q + 1) * sizeof *names);
    if (names == NULL) return;
    for (size_t j = 0; j < p; j++) names[j] = survkit_glm_result_name(m, j);
    report_coefmat cm = {.rows = p, .names = names, .n_est = 2,
                         .est = {survkit_glm_result_coef(m), survkit_glm_result_se(m)},
                         .statistic = survkit_glm_result_z(m), .pvalue = survkit_glm_result_pvalue(m),
                         .header = {"Estimate", "Std. Error", "z value", "Pr(>|z|)"},
                         .digits = 4, .stars = true};
    report_coefmat_print(out, &cm);
    char a[64], b[64];
    rformat_number(survkit_glm_result_deviance(m), 5, a, sizeof a);
    rformat_number(survkit_glm_result_aic(m), 5, b, sizeof b);
    fprintf(out, "\nResidual deviance: %s, AIC: %s\n\n", a, b);
    fprintf(out, "Weights (%s%s%s):\n", survkit_ipw_result_estimand(r) == SURVKIT_IPW_ATT ? "ATT" : "ATE",
            isnan(s.trim_lower) ? "" : ", trimmed", "");
    const double row_t[2] = {s.sum_treated, s.ess_treated}, row_c[2] = {s.sum_control, s.ess_control};
    rformat_number(s.min, 4, a, sizeof a);
    rformat_number(s.max, 4, b, sizeof b);
    fprintf(out, "  range %s to %s\n", a, b);
    fprintf(out, "  %-8s %12s %12s\n", "group", "sum", "ESS");
    for (int g = 0; g < 2; g++) {
        const double *row = g == 0 ? row_t : row_c;
        rformat_number(row[0], 6, a, sizeof a);
        rformat_number(row[1], 6, b, sizeof b);
        fprintf(out, "  %-8s %12s %12s\n", g == 0 ? "treated" : "control", a, b);
    }
    fputs("\nBalance (standardised mean differences, variance ratios):\n", out);
    size_t w = 4;
    for (size_t k = 0; k < q; k++) {
        size_t len = strlen(survkit_ipw_result_balance_name(r, k));
        if (len > w) w = len;
    }
    fprintf(out, "%-*s %10s %10s %10s %10s\n", (int)w, "", "smd.before", "smd.after", "vr.before",
            "vr.after");
    for (size_t k = 0; k < q; k++) {
        const double v[4] = {survkit_ipw_result_smd_before(r)[k], survkit_ipw_result_smd_after(r)[k],
                             survkit_ipw_result_vr_before(r)[k], survkit_ipw_result_vr_after(r)[k]};
        fprintf(out, "%-*s", (int)w, survkit_ipw_result_balance_name(r, k));
        for (int c = 0; c < 4; c++) fprintf(out, " %10.4f", v[c]);
        fputc('\n', out);
    }
    free(names);
}

int cli_ipw(int argc, char **argv)
{
    cli_common common = {0};
    common.needs_formula = true;
    common.skip_groups = true;
    common.binary_response = true;
    common.keep_table = true; /* --format csv writes the input's rows */
    const char *estimand = "ate", *surv = NULL, *times_text = NULL, *rmst = NULL;
    bool stabilize = false;
    double trim = 0, conf_level = 0.95;
#ifdef SURVKIT_HAVE_PLOTS
    plot_ipw_request plot = {0};
#endif
    const cli_option options[] = {
        {"estimand", 0, CLI_OPT_STRING, &estimand, "E", "ate (default) or att"},
        {"stabilize", 0, CLI_OPT_FLAG, &stabilize, NULL,
         "multiply by the marginal probability of the group received"},
        {"trim", 0, CLI_OPT_DOUBLE, &trim, "Q",
         "first cap the weights at their Q and 1-Q quantiles (0 < Q < 0.5)"},
        {"surv", 0, CLI_OPT_STRING, &surv, "'Surv(t, s)'",
         "also the IPW-adjusted Kaplan-Meier curves of the two groups (robust errors)"},
        {"times", 0, CLI_OPT_STRING, &times_text, "T1,T2",
         "with --surv: survival difference and ratio at these times"},
        {"rmst", 0, CLI_OPT_STRING, &rmst, "TAU", "with --surv: RMST difference and ratio up to TAU"},
        {"conf-level", 0, CLI_OPT_DOUBLE, &conf_level, "L", "confidence level (default 0.95)"},
#ifdef SURVKIT_HAVE_PLOTS
        {"plot", 0, CLI_OPT_STRING, &plot.path, "FILE", "draw the balance (love) plot and the propensity histograms into FILE: .png, .svg or .pdf"},
        {"plot-kind", 0, CLI_OPT_STRING, &plot.kind, "K", "both (default), love or ps"},
        {"plot-threshold", 0, CLI_OPT_DOUBLE, &plot.threshold, "T", "the love plot's dashed line (default 0.1)"},
        {"plot-bins", 0, CLI_OPT_INT, &plot.bins, "N", "bins of the propensity histograms (default 30)"},
        {"plot-title", 0, CLI_OPT_STRING, &plot.title, "TEXT", "title, before each panel's own"},
        {"plot-width", 0, CLI_OPT_DOUBLE, &plot.width, "W", "page width: pixels for PNG, points for PDF/SVG"},
        {"plot-height", 0, CLI_OPT_DOUBLE, &plot.height, "H", "page height: pixels for PNG, points for PDF/SVG"},
#endif
    };
    int status = cli_parse(argc, argv, &common, options, sizeof options / sizeof options[0],
                           "survkit ipw -f 'treatment ~ covariates' [--estimand ate|att] [options] DATA",
                           "Propensity-score weights and covariate balance; --format csv -o FILE "
                           "writes the rows with ps and weight for km/cox --weights weight.");
    if (status >= 0) return status;
    survkit_ipw_options opt;
    survkit_ipw_options_init(&opt);
    if (strcmp(estimand, "ate") == 0) opt.estimand = SURVKIT_IPW_ATE;
    else if (strcmp(estimand, "att") == 0) opt.estimand = SURVKIT_IPW_ATT;
    else return cli_fail(&common, "--estimand takes ate or att, not '%s'", estimand);
    if (!(trim == 0 || (trim > 0 && trim < 0.5)))
        return cli_fail(&common, "--trim takes a quantile Q with 0 < Q < 0.5, not %g", trim);
    opt.stabilize = stabilize;
    opt.trim = trim;
    if ((times_text || rmst) && !surv) return cli_fail(&common, "--times and --rmst need --surv");
#ifdef SURVKIT_HAVE_PLOTS
    survkit_error perr;
    if (plot.path && plot_ipw_request_check(&plot, NULL, &perr) != SURVKIT_OK)
        return cli_fail(&common, "%s", perr.message);
    if (!plot.path && plot_ipw_request_has_options(&plot))
        return cli_fail(&common, "the --plot-* options need --plot FILE");
#endif
    if (!(conf_level > 0 && conf_level < 1))
        return cli_fail(&common, "--conf-level must lie between 0 and 1, not %g", conf_level);
    double tau = NAN, *times = NULL;
    size_t n_times = 0;
    if (rmst) {
        char *end;
        tau = strtod(rmst, &end);
        if (end == rmst || *end != '\0' || !isfinite(tau))
            return cli_fail(&common, "--rmst takes a number, not '%s'", rmst);
    }
    if (times_text && !cli_parse_numbers(&common, "times", times_text, &times, &n_times))
        return CLI_EXIT_USAGE;
    for (size_t i = 1; i < n_times; i++)
        if (!(times[i] > times[i - 1])) {
            free(times);
            return cli_fail(&common, "--times must be increasing");
        }
    adjusted adj = {0};

    cli_timings t;
    survkit_table *table = NULL;
    survkit_frame *frame = NULL;
    survkit_ipw_result *r = NULL;
    int exit_status = CLI_EXIT_USAGE;
    /* Every output is opened before any work: a bad path fails now and leaves nothing behind. */
    cli_output output = {0}, plot_out = {0};
    if (!cli_output_open(&common, &output)) goto done;
#ifdef SURVKIT_HAVE_PLOTS
    if (!cli_output_open_path(&common, plot.path, &plot_out)) goto done;
    plot.stream = plot_out.stream;
#endif
    if (!cli_load(&common, &table, &frame, &t)) goto done;
    if (common.format == CLI_FORMAT_CSV &&
        (survkit_table_find(table, "ps") >= 0 || survkit_table_find(table, "weight") >= 0)) {
        cli_fail(&common, "%s already has a column named 'ps' or 'weight', which the output adds",
                 common.data_path);
        goto done;
    }
    double t2 = cli_now();
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_ipw_fit_frame(frame, NULL, &opt, &r, &err) != SURVKIT_OK) {
        if (err.line > 0 && err.source[0] == '\0')
            snprintf(err.source, sizeof err.source, "%s", common.data_path);
        cli_report_error(&common, &err);
        goto done;
    }
    t.fit_s = cli_now() - t2;
    size_t dropped = survkit_frame_n_dropped(frame);
    if (dropped > 0) cli_warn_dropped(&common, dropped);
    const survkit_glm_result *m = survkit_ipw_result_model(r);
    for (size_t k = 0; k < survkit_glm_result_n_warnings(m); k++)
        cli_warn(&common, survkit_glm_result_warning(m, k));
    if (surv && !fit_adjusted(&common, table, frame, r, surv, times, n_times, tau, conf_level, &adj))
        goto done;
    double tv[CLI_TIMINGS_LEN];
    const double *timings = cli_timings_for_json(&common, &t, tv);
#ifdef SURVKIT_HAVE_PLOTS
    if (plot.path && plot_ipw_write(&plot, r, survkit_frame_status(frame), &err) != SURVKIT_OK) {
        cli_report_error(&common, &err);
        goto done;
    }
#endif
    switch (common.format) {
    case CLI_FORMAT_JSON: write_json(output.stream, r, dropped, timings, &adj); break;
    case CLI_FORMAT_CSV: write_rows(output.stream, table, frame, r); break;
    default:
        write_text(output.stream, r, common.formula, dropped);
        if (adj.km) text_adjusted(output.stream, &adj);
        break;
    }
    cli_output *outs[2] = {&output, &plot_out};
    if (!cli_output_commit_all(&common, outs, 2)) goto done;
    cli_report_timings(&common, &t);
    exit_status = CLI_EXIT_OK;
done:
    cli_output_abort(&plot_out);
    cli_output_abort(&output);
    adjusted_free(&adj);
    free(times);
    survkit_ipw_result_free(r);
    survkit_frame_free(frame);
    survkit_table_free(table);
    return exit_status;
}
