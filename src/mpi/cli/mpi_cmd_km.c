/* mpi_cmd_km.c: `survkit-mpi km`: Kaplan-Meier curves over ranks, written as `survkit km` writes
 * them (the report and variance options of survkit km, robust included; no plots). */
#include "mpi_cli.h"
#include "km_args.h"
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
    cli_km_args args;
    cli_option options[CLI_KM_N_OPTIONS];
    cli_km_args_options(&args, options);
    int status = mpi_cli_parse(mpi, argc, argv, &common, options, CLI_KM_N_OPTIONS,
                               "mpirun -np K survkit-mpi km -f 'Surv(time, status) ~ group' [options] DATA",
                               "Kaplan-Meier curves per group over K processes (Greenwood or robust variance).");
    if (status >= 0) return status;
    survkit_error err;
    survkit_error_clear(&err);
    survkit_km_options opt;
    report_km_options ropt;
    if ((status = cli_km_args_apply(&common, &args, &opt, &ropt)) >= 0) return status;
    double *probs = (double *)ropt.quantiles, *at = (double *)ropt.times;

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
