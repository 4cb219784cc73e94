/* mpi_cmd_cox.c: `survkit-mpi cox`: the Cox fit over ranks (survkit_mpi_cox_fit), written as
 * `survkit cox` writes it (print(summary(coxph)) text, JSON, CSV). */
#include "mpi_cli.h"
#include "report_cox.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int mpi_cmd_cox(survkit_mpi *mpi, int argc, char **argv)
{
    cli_common common = {0};
    common.needs_formula = true;
    common.accepts_weights = true;
    common.accepts_timefix = true;
    common.skip_groups = true;
    const char *ties = "efron", *init_text = NULL;
    double eps = 1e-9, conf_level = 0.95;
    long iter_max = 20;
    bool robust = false;
    const cli_option options[] = {
        {"ties", 0, CLI_OPT_STRING, &ties, "METHOD", "efron (default) or breslow"},
        {"robust", 0, CLI_OPT_FLAG, &robust, NULL,
         "robust (sandwich) variance (one cluster per row without cluster())"},
        {"init", 0, CLI_OPT_STRING, &init_text, "B1,B2,..", "initial coefficients (default 0)"},
        {"eps", 0, CLI_OPT_DOUBLE, &eps, "EPS", "convergence tolerance (default 1e-9)"},
        {"iter-max", 0, CLI_OPT_INT, &iter_max, "N", "maximum iterations (default 20)"},
        {"conf-level", 0, CLI_OPT_DOUBLE, &conf_level, "L", "confidence level (default 0.95)"},
    };
    int status = mpi_cli_parse(mpi, argc, argv, &common, options, sizeof options / sizeof options[0],
                               "mpirun -np K survkit-mpi cox -f FORMULA [options] DATA",
                               "Cox proportional hazards regression, as R's coxph, over K processes.");
    if (status >= 0) return status;
    survkit_cox_options opt;
    survkit_cox_options_init(&opt);
    if (strcmp(ties, "efron") == 0) opt.ties = SURVKIT_COX_EFRON;
    else if (strcmp(ties, "breslow") == 0) opt.ties = SURVKIT_COX_BRESLOW;
    else return cli_fail(&common, "--ties takes efron or breslow over ranks, not '%s'", ties);
    if (!(eps > 0)) return cli_fail(&common, "--eps must be positive");
    if (iter_max < 0 || iter_max > 1000000)
        return cli_fail(&common, "--iter-max must be a whole number from 0 to 1000000, not %ld", iter_max);
    if (!(conf_level > 0 && conf_level < 1))
        return cli_fail(&common, "--conf-level must lie strictly between 0 and 1");
    double *init = NULL;
    size_t n_init = 0;
    if (init_text && !cli_parse_numbers(&common, "init", init_text, &init, &n_init)) return CLI_EXIT_USAGE;
    opt.eps = eps;
    opt.iter_max = (int)iter_max;
    opt.conf_level = conf_level;
    opt.init = init;
    opt.n_init = n_init;
    if (robust) opt.robust = SURVKIT_COX_ROBUST_ON;

    cli_timings t;
    cli_timings_start(&t, &common);
    mpi_part part = {0};
    survkit_cox_result *fit = NULL;
    const char **names = NULL;
    int exit_status = CLI_EXIT_USAGE;
    cli_output output;
    if (!mpi_cli_output_open(mpi, &common, &output)) goto done;
    if (!mpi_part_load(mpi, &common, false, &part)) goto done;
    t.read_s = part.read_s;
    t.frame_s = part.frame_s;
    const survkit_frame *f = part.frame;
    const size_t p = survkit_frame_p(f);
    bool ridge = false, rscale;
    size_t rterm;
    double rtheta;
    survkit_error perr;
    survkit_error_clear(&perr);
    if (survkit_frame_frailty(f) != NULL ||
        survkit_frame_ridge(f, &ridge, &rterm, &rtheta, &rscale, &perr) != SURVKIT_OK || ridge ||
        survkit_frame_n_pspline(f) > 0) { /* the same formula on every rank */
        cli_fail(&common, "survkit-mpi cox does not fit penalised terms (frailty, ridge, pspline): "
                          "use survkit cox");
        goto done;
    }
    if (init && n_init != p) { /* p is the same on every rank */
        cli_fail(&common, "--init has %zu values but the model has %zu coefficients", n_init, p);
        goto done;
    }
    names = calloc(p + 1, sizeof *names);
    if (!mpi_cli_agree(mpi, names != NULL)) goto done;
    for (size_t j = 0; j < p; j++) names[j] = survkit_frame_column_name(f, j);
    survkit_cox_data d;
    survkit_cox_data_from_frame(f, &d);
    d.names = names;
    d.strata = part.stratum; /* the global codes */
    d.n_strata = part.n_strata;
    d.cluster = part.cluster; /* the global codes (NULL without cluster()) */
    d.n_clusters = part.n_clusters;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_mpi_rank(mpi) == 0) {
        opt.progress = cli_progress_fit;
        opt.progress_user = &t.progress;
    }
    double t2 = cli_now();
    if (survkit_mpi_cox_fit(mpi, &d, &opt, &fit, &err) != SURVKIT_OK) {
        mpi_cli_report(mpi, &common, &part, &err);
        goto done;
    }
    t.fit_s = cli_now() - t2;
    if (part.n_dropped > 0 && common.format != CLI_FORMAT_TEXT) {
        char msg[128];
        snprintf(msg, sizeof msg, "%zu observation%s deleted due to missingness", part.n_dropped,
                 part.n_dropped == 1 ? "" : "s");
        cli_warn(&common, msg);
    }
    for (size_t k = 0; k < survkit_cox_result_n_warnings(fit); k++)
        cli_warn(&common, survkit_cox_result_warning(fit, k));
    bool ok = true;
    if (survkit_mpi_rank(mpi) == 0) {
        char call[2048];
        cli_cox_call(&common, &opt, call, sizeof call);
        double tv[MPI_CLI_TIMINGS_ROOM];
        report_cox_info info = {call, part.n_dropped, cli_timings_for_json(&common, &t, tv)};
        switch (common.format) {
        case CLI_FORMAT_JSON: report_cox_json(output.stream, fit, &info); break;
        case CLI_FORMAT_CSV: report_cox_csv(output.stream, fit); break;
        default: report_cox_text(output.stream, fit, &info); break;
        }
        ok = cli_output_commit(&common, &output);
        if (ok) cli_report_timings(&common, &t);
    }
    if (mpi_cli_agree(mpi, ok)) exit_status = CLI_EXIT_OK;
done:
    cli_output_abort(&output);
    survkit_cox_result_free(fit);
    mpi_part_free(&part);
    free(names);
    free(init);
    return exit_status;
}
