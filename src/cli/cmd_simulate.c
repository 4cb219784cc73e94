/*
 * cmd_simulate.c: `survkit simulate`, a synthetic proportional-hazards cohort as CSV (the generator
 * is simulate.c). Output is atomic with -o; a one-line summary goes to stderr unless --quiet.
 */
#include "cli.h"
#include "simulate.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Parse "b1,b2,..." into a new array; *n receives the count. NULL (and *n = 0) on a bad list. */
static double *parse_beta(const char *text, size_t *n)
{
    *n = 1;
    for (const char *c = text; *c; c++) *n += *c == ',';
    double *beta = malloc(*n * sizeof *beta);
    if (beta == NULL) return NULL;
    const char *p = text;
    for (size_t j = 0; j < *n; j++) {
        char *end;
        errno = 0;
        beta[j] = strtod(p, &end);
        if (end == p || errno == ERANGE || !isfinite(beta[j]) || (*end != ',' && *end != '\0')) {
            free(beta);
            *n = 0;
            return NULL;
        }
        p = end + 1;
    }
    return beta;
}

/* A count given as a number (1e6 is accepted): whole, in [lo, hi]. */
static bool count_ok(double v, double lo, double hi)
{
    return v == floor(v) && v >= lo && v <= hi;
}

int cli_simulate(int argc, char **argv)
{
    sim_options opt;
    sim_options_init(&opt);
    long seed = 1, p = -1, digits = opt.digits, strata = 0;
    double n = (double)opt.n, clusters = 0;
    const char *beta_text = NULL, *baseline = "exponential";
    bool integer_times = false, start = false;
    double shape = NAN;
    const cli_option options[] = {
        {"seed", 0, CLI_OPT_INT, &seed, "S", "random seed (default 1); same seed, same bytes"},
        {"n", 'n', CLI_OPT_DOUBLE, &n, "N", "rows (default 1000; 1e6 accepted)"},
        {"p", 'p', CLI_OPT_INT, &p, "P", "covariates x1..xP (default 5, or the length of --beta)"},
        {"binary-share", 0, CLI_OPT_DOUBLE, &opt.binary_share, "S",
         "share of binary (0/1) covariates, the last ones (default 0.5)"},
        {"beta", 0, CLI_OPT_STRING, &beta_text, "B1,B2,...",
         "true log-hazard ratios (default 0.5,-0.25,0.1,-0.05,0 repeated)"},
        {"baseline", 0, CLI_OPT_STRING, &baseline, "KIND", "exponential (default) or weibull"},
        {"shape", 0, CLI_OPT_DOUBLE, &shape, "K", "Weibull shape (default 1.5): H0(t) = (scale t)^K"},
        {"scale", 0, CLI_OPT_DOUBLE, &opt.scale, "RATE", "baseline rate (default 0.01)"},
        {"censor-rate", 0, CLI_OPT_DOUBLE, &opt.censor_rate, "RATE",
         "exponential censoring rate, 0 for none (default 0.005)"},
        {"max-time", 0, CLI_OPT_DOUBLE, &opt.max_time, "T", "administrative censoring at T"},
        {"integer-times", 0, CLI_OPT_FLAG, &integer_times, NULL,
         "round times up to whole units (days), at least 1"},
        {"digits", 0, CLI_OPT_INT, &digits, "D",
         "significant digits of continuous values (default 8; 17 = unrounded, slower)"},
        {"strata", 0, CLI_OPT_INT, &strata, "K", "add a `stratum` column 1..K, baselines differing"},
        {"clusters", 0, CLI_OPT_DOUBLE, &clusters, "M", "add a `cluster` column 1..M with a frailty"},
        {"frailty-var", 0, CLI_OPT_DOUBLE, &opt.frailty_var, "V",
         "variance of the cluster's gamma frailty (default 0.5)"},
        {"start", 0, CLI_OPT_FLAG, &start, NULL,
         "delayed entry: add a `start` column, for Surv(start, time, status)"},
        {"entry-max", 0, CLI_OPT_DOUBLE, &opt.entry_max, "A",
         "entry times Uniform(0, A) (default max-time/2, else 1/scale)"},
    };
    cli_common common = {0};
    common.no_data = true;
    int status = cli_parse(argc, argv, &common, options, sizeof options / sizeof options[0],
                           "survkit simulate [options] [-o FILE]",
                           "Write a synthetic cohort with proportional hazards and known coefficients as\n"
                           "CSV: time,status,x1..xP[,stratum][,cluster]. Deterministic for a seed.");
    if (status >= 0) return status;
    if (common.format == CLI_FORMAT_JSON) return cli_fail(&common, "simulate writes CSV only");

    double *beta = NULL;
    size_t n_beta = 0;
    if (beta_text != NULL && (beta = parse_beta(beta_text, &n_beta)) == NULL)
        return cli_fail(&common, "--beta takes numbers separated by commas, not '%s'", beta_text);
    if (p < 0) p = beta ? (long)n_beta : 5;
    if (beta != NULL && (size_t)p != n_beta) {
        free(beta);
        return cli_fail(&common, "--beta gives %zu coefficients for --p %ld covariates", n_beta, p);
    }
    opt.beta = beta;
    opt.seed = (uint64_t)seed;
    opt.p = (size_t)p;
    opt.digits = (int)(digits < 0 || digits > 99 ? 0 : digits);
    opt.integer_times = integer_times;
    opt.start = start;
    if (strcmp(baseline, "weibull") == 0) {
        opt.baseline = SIM_BASELINE_WEIBULL;
        opt.shape = isnan(shape) ? 1.5 : shape;
    } else if (strcmp(baseline, "exponential") == 0) {
        opt.baseline = SIM_BASELINE_EXPONENTIAL;
        if (!isnan(shape)) opt.shape = shape;
    } else {
        free(beta);
        return cli_fail(&common, "--baseline takes exponential or weibull, not '%s'", baseline);
    }
    const char *problem = NULL;
    if (!count_ok(n, 1, 9007199254740992.0)) problem = "--n must be a whole number of rows from 1 to 2^53 (9007199254740992)";
    else if (!count_ok(clusters, 0, 2147483648.0)) problem = "--clusters must be a whole number from 0 to 2^31";
    else if (strata < 0) problem = "--strata must be >= 0";
    if (problem == NULL) {
        opt.n = (size_t)n;
        opt.clusters = (size_t)clusters;
        opt.strata = (size_t)strata;
        problem = sim_options_check(&opt);
    }
    if (problem != NULL) {
        free(beta);
        return cli_fail(&common, "%s", problem);
    }

    const double t0 = cli_now();
    cli_output out;
    if (!cli_output_open(&common, &out)) {
        free(beta);
        return CLI_EXIT_USAGE;
    }
    sim_summary summary;
    status = sim_write_csv(&opt, out.stream, &summary);
    free(beta);
    if (status != 0) {
        if (status == -1) cli_fail(&common, "out of memory");
        else if (status == -2)
            cli_fail(&common, "no observable row could be drawn: check --scale, --beta and --entry-max");
        else cli_fail(&common, "cannot write %s", common.output_path ? common.output_path : "standard output");
        cli_output_abort(&out);
        return CLI_EXIT_USAGE;
    }
    if (!cli_output_commit(&common, &out)) return CLI_EXIT_USAGE;
    const double elapsed = cli_now() - t0;
    if (!common.quiet)
        fprintf(stderr, "survkit simulate: %zu rows, %zu covariates, %zu events (%.2f%%), seed %ld%s%s\n",
                summary.rows, opt.p, summary.events,
                100.0 * (double)summary.events / (double)summary.rows, seed,
                common.output_path ? " -> " : "", common.output_path ? common.output_path : "");
    if (common.timings) {
        const cli_timings t = {.read_s = NAN, .frame_s = NAN, .fit_s = elapsed, .total_s = elapsed};
        cli_print_timings(&t);
    }
    return CLI_EXIT_OK;
}
