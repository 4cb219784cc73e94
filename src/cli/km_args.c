/*
 * km_args.c: the options survkit km and survkit-mpi km share (km_args.h).
 */
#include "km_args.h"

#include <math.h>
#include <stdlib.h>

void cli_km_args_options(cli_km_args *a, cli_option *options)
{
    *a = (cli_km_args){.conf_type = "log", .conf_level = 0.95, .ctype = 1};
    const cli_option entries[CLI_KM_N_OPTIONS] = {
        {"conf-type", 0, CLI_OPT_STRING, &a->conf_type, "T", "log (default), log-log, plain, logit, arcsin, none"},
        {"conf-level", 0, CLI_OPT_DOUBLE, &a->conf_level, "L", "confidence level (default 0.95)"},
        {"quantiles", 0, CLI_OPT_STRING, &a->quantiles, "P1,P2", "survival quantiles with confidence limits"},
        {"rmst", 0, CLI_OPT_STRING, &a->rmst, "TAU", "restricted mean survival time up to TAU, with its se"},
        {"ctype", 0, CLI_OPT_INT, &a->ctype, "1|2", "cumulative hazard: 1 Nelson-Aalen, 2 Fleming-Harrington ties"},
        {"robust", 0, CLI_OPT_FLAG, &a->robust, NULL, "robust (infinitesimal jackknife) std_err and limits"},
        {"no-robust", 0, CLI_OPT_FLAG, &a->no_robust, NULL, "Greenwood std_err even with fractional weights"},
        {"summary", 0, CLI_OPT_FLAG, &a->summary, NULL, "text: print the curve table (R's summary(fit))"},
        {"times", 0, CLI_OPT_STRING, &a->times, "T1,T2", "text: the curve at these times (summary(fit, times=))"},
    };
    for (size_t k = 0; k < CLI_KM_N_OPTIONS; k++) options[k] = entries[k];
}

static void sort_ascending(double *x, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && x[j - 1] > x[j]; j--) {
            double t = x[j];
            x[j] = x[j - 1];
            x[j - 1] = t;
        }
}

int cli_km_args_apply(const cli_common *common, const cli_km_args *a, survkit_km_options *opt,
                      report_km_options *ropt)
{
    survkit_error err;
    survkit_error_clear(&err);
    survkit_km_options_init(opt);
    opt->conf_level = a->conf_level;
    opt->ctype = (int)a->ctype;
    if (survkit_conf_type_parse(a->conf_type, &opt->conf_type, &err) != SURVKIT_OK)
        return cli_fail(common, "--conf-type: %s", err.message);
    if (!(a->conf_level > 0 && a->conf_level < 1))
        return cli_fail(common, "--conf-level must lie between 0 and 1, not %g", a->conf_level);
    if (a->ctype != 1 && a->ctype != 2)
        return cli_fail(common, "--ctype takes 1 or 2, not %ld", a->ctype);
    if (a->robust && a->no_robust)
        return cli_fail(common, "--robust and --no-robust exclude each other");
    /* Neither: R's rule, robust when some case weight is not an integer. */
    opt->robust = a->robust ? 1 : a->no_robust ? 0 : -1;

    *ropt = (report_km_options){0};
    ropt->tau = NAN;
    double *probs = NULL, *at = NULL;
    if (a->rmst != NULL) {
        char *end;
        ropt->tau = strtod(a->rmst, &end);
        if (end == a->rmst || *end != '\0' || !isfinite(ropt->tau))
            return cli_fail(common, "--rmst takes a number, not '%s'", a->rmst);
    }
    if (a->quantiles &&
        !cli_parse_numbers(common, "quantiles", a->quantiles, &probs, &ropt->n_quantiles))
        return CLI_EXIT_USAGE;
    for (size_t j = 0; j < ropt->n_quantiles; j++)
        if (!(probs[j] >= 0 && probs[j] <= 1)) {
            const double bad = probs[j]; /* read before the array is freed */
            free(probs);
            return cli_fail(common, "--quantiles must lie in [0, 1], not %g", bad);
        }
    if (a->times && !cli_parse_numbers(common, "times", a->times, &at, &ropt->n_times)) {
        free(probs);
        return CLI_EXIT_USAGE;
    }
    sort_ascending(at, ropt->n_times);
    ropt->quantiles = probs;
    ropt->times = at;
    ropt->summary = a->summary;
    ropt->formula = common->formula;
    return -1;
}
