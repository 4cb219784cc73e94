/* mpi_cmd_logrank.c: `survkit-mpi logrank`: survdiff's G-rho tests over ranks, pairwise and trend,
 * written as `survkit logrank` writes them (the pairwise tests from the summed counts). */
#include "mpi_cli.h"
#include "logrank_args.h"
#include "report_logrank.h"

#include <stdlib.h>

int mpi_cmd_logrank(survkit_mpi *mpi, int argc, char **argv)
{
    cli_common common = {0};
    common.needs_formula = true;
    common.accepts_timefix = true;
    cli_logrank_args args;
    cli_option options[CLI_LOGRANK_N_OPTIONS];
    cli_logrank_args_options(&args, options);
    int status = mpi_cli_parse(mpi, argc, argv, &common, options, CLI_LOGRANK_N_OPTIONS,
                               "mpirun -np K survkit-mpi logrank -f 'Surv(time, status) ~ group [+ strata(s)]' [options] DATA",
                               "Compare survival between groups with R's survdiff G-rho tests, over K processes.");
    if (status >= 0) return status;
    survkit_logrank_options opt;
    size_t n_scores = 0;
    if ((status = cli_logrank_args_apply(&common, &args, &opt, &n_scores)) >= 0) return status;
    double *sc = (double *)opt.scores;

    cli_timings timings;
    cli_timings_start(&timings, &common);
    mpi_part part = {0};
    survkit_logrank *lr = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    report_logrank_options ropt = {common.formula, 0, NULL};
    int rc = CLI_EXIT_USAGE;
    cli_output out;
    if (!mpi_cli_output_open(mpi, &common, &out)) goto done;
    if (!mpi_part_load(mpi, &common, true, &part)) goto done;
    timings.read_s = part.read_s;
    timings.frame_s = part.frame_s;
    if (sc != NULL && n_scores != part.n_groups) { /* the same on every rank */
        cli_fail(&common, "--scores needs one score per group (%zu), not %zu", part.n_groups, n_scores);
        goto done;
    }
    const survkit_frame *f = part.frame;
    bool refused = survkit_frame_response_kind(f) != SURVKIT_RESPONSE_RIGHT;
    if (refused && survkit_mpi_rank(mpi) == 0)
        cli_fail(&common, "logrank: right censored data only (as R's survdiff)");
    if (refused) goto done;
    ropt.n_dropped = part.n_dropped;
    cli_warn_dropped(&common, ropt.n_dropped);
    double t1 = cli_now();
    if (survkit_mpi_logrank_test(mpi, survkit_frame_n(f), survkit_frame_time(f),
                                 survkit_frame_status(f), part.group, part.n_groups, part.stratum,
                                 part.n_strata, (const char *const *)part.group_labels, &opt, &lr,
                                 &err) != SURVKIT_OK) {
        mpi_cli_report(mpi, &common, &part, &err);
        goto done;
    }
    timings.fit_s = cli_now() - t1;
    double tv[MPI_CLI_TIMINGS_ROOM];
    ropt.timings = cli_timings_for_json(&common, &timings, tv);
    bool ok = true;
    if (survkit_mpi_rank(mpi) == 0) {
        if (common.format == CLI_FORMAT_JSON) report_logrank_json(out.stream, lr, &ropt);
        else if (common.format == CLI_FORMAT_CSV) report_logrank_csv(out.stream, lr);
        else report_logrank_text(out.stream, lr, &ropt);
        ok = cli_output_commit(&common, &out);
        if (ok) cli_report_timings(&common, &timings);
    }
    if (mpi_cli_agree(mpi, ok)) rc = CLI_EXIT_OK;
done:
    cli_output_abort(&out);
    survkit_logrank_free(lr);
    mpi_part_free(&part);
    free(sc);
    return rc;
}
