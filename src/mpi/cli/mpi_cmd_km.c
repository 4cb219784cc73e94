/* mpi_cmd_km.c: `survkit-mpi km`: Kaplan-Meier curves over ranks, written as `survkit km` writes
 * them (the report and variance options of survkit km, robust included; no plots). */
#include "mpi_cli.h"
#include "report_km.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int mpi_cmd_km(survkit_mpi *mpi, int argc, char **argv)
{
    cli_common common = {0};
    common.needs_formula = true;
    common.accepts_weights = true;
    common.accepts_timefix = true;
    const char *conf_type = "log", *quantiles = NULL, *rmst = NULL, *times = NULL;
    double conf_level = 0.95;
    long ctype = 1;
    bool summary = false, robust = false, no_robust = false;
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
    };
    int status = mpi_cli_parse(mpi, argc, argv, &common, options, sizeof options / sizeof options[0],
                               "mpirun -np K survkit-mpi km -f 'Surv(time, status) ~ group' [options] DATA",
                               "Kaplan-Meier curves per group over K processes (Greenwood or robust variance).");
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
    /* Neither: R's rule, robust when some case weight is not an integer (on any rank). */
    opt.robust = robust ? 1 : no_robust ? 0 : -1;
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
            free(probs);
            return cli_fail(&common, "--quantiles must lie in [0, 1]");
        }
    if (times && !cli_parse_numbers(&common, "times", times, &at, &ropt.n_times)) {
        free(probs);
        return CLI_EXIT_USAGE;
    }
    for (size_t i = 1; i < ropt.n_times; i++) /* ascending, as survkit km sorts them */
        for (size_t j = i; j > 0 && at[j - 1] > at[j]; j--) {
            double t = at[j];
            at[j] = at[j - 1];
            at[j - 1] = t;
        }
    ropt.quantiles = probs;
    ropt.times = at;
    ropt.summary = summary;
    ropt.formula = common.formula;

    cli_timings timings;
    cli_timings_start(&timings, &common);
    mpi_part part = {0};
    survkit_km *km = NULL;
    int rc = CLI_EXIT_USAGE;
    cli_output out;
    if (!mpi_cli_output_open(mpi, &common, &out)) goto done;
    if (!mpi_part_load(mpi, &common, true, &part)) goto done;
    timings.read_s = part.read_s;
    timings.frame_s = part.frame_s;
    ropt.n_dropped = part.n_dropped;
    cli_warn_dropped(&common, ropt.n_dropped);
    double t1 = cli_now();
    const survkit_frame *f = part.frame;
    if (survkit_mpi_km_fit(mpi, survkit_frame_n(f), survkit_frame_start(f), survkit_frame_time(f),
                           survkit_frame_status(f), survkit_frame_weights(f), part.group,
                           part.n_groups, (const char *const *)part.group_labels, &opt, &km,
                           &err) != SURVKIT_OK) {
        mpi_cli_report(mpi, &common, &part, &err);
        goto done;
    }
    timings.fit_s = cli_now() - t1;
    double tv[MPI_CLI_TIMINGS_ROOM];
    ropt.timings = cli_timings_for_json(&common, &timings, tv);
    bool ok = true;
    if (survkit_mpi_rank(mpi) == 0) {
        survkit_status st;
        if (common.format == CLI_FORMAT_JSON) st = report_km_json(out.stream, km, &ropt, &err);
        else if (common.format == CLI_FORMAT_CSV) st = report_km_csv(out.stream, km, &err);
        else st = report_km_text(out.stream, km, &ropt, &err);
        if (st != SURVKIT_OK) cli_report_error(&common, &err);
        ok = st == SURVKIT_OK && cli_output_commit(&common, &out);
        if (ok) cli_report_timings(&common, &timings);
    }
    if (mpi_cli_agree(mpi, ok)) rc = CLI_EXIT_OK;
done:
    cli_output_abort(&out);
    survkit_km_free(km);
    mpi_part_free(&part);
    free(probs);
    free(at);
    return rc;
}
