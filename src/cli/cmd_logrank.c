/* cmd_logrank.c: `survkit logrank`: G-rho tests between groups (R's survdiff), pairwise, trend. */
#include "cli.h"
#include "logrank_args.h"
#include "report_logrank.h"

#include <math.h>
#include <stdlib.h>

int cli_logrank(int argc, char **argv)
{
    cli_common common = {0};
    common.needs_formula = true;
    common.accepts_timefix = true;
    cli_logrank_args args;
    cli_option options[CLI_LOGRANK_N_OPTIONS];
    cli_logrank_args_options(&args, options);
    int status = cli_parse(argc, argv, &common, options, CLI_LOGRANK_N_OPTIONS,
                           "survkit logrank -f 'Surv(time, status) ~ group [+ strata(s)]' [options] DATA",
                           "Compare survival between groups with R's survdiff G-rho tests.");
    if (status >= 0) return status;
    survkit_logrank_options opt;
    size_t n_scores = 0;
    if ((status = cli_logrank_args_apply(&common, &args, &opt, &n_scores)) >= 0) return status;
    double *sc = (double *)opt.scores;

    cli_timings timings;
    survkit_table *table = NULL;
    survkit_frame *frame = NULL;
    survkit_logrank *lr = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    report_logrank_options ropt = {common.formula, 0, NULL};
    int rc = CLI_EXIT_USAGE;
    /* The output is opened before any work: a bad path fails now and leaves nothing behind. */
    cli_output out;
    if (!cli_output_open(&common, &out)) goto done;
    if (!cli_load(&common, &table, &frame, &timings)) goto done;
    if (sc != NULL && n_scores != survkit_frame_n_groups(frame)) {
        cli_fail(&common, "--scores needs one score per group (%zu), not %zu",
                 survkit_frame_n_groups(frame), n_scores);
        goto done;
    }
    ropt.n_dropped = survkit_frame_n_dropped(frame);
    cli_warn_dropped(&common, ropt.n_dropped);
    double t1 = cli_now();
    if (survkit_logrank_test_frame(frame, &opt, &lr, &err) != SURVKIT_OK) {
        cli_report_error(&common, &err);
        goto done;
    }
    timings.fit_s = cli_now() - t1;
    double tv[CLI_TIMINGS_LEN];
    ropt.timings = cli_timings_for_json(&common, &timings, tv);
    if (common.format == CLI_FORMAT_JSON) report_logrank_json(out.stream, lr, &ropt);
    else if (common.format == CLI_FORMAT_CSV) report_logrank_csv(out.stream, lr);
    else report_logrank_text(out.stream, lr, &ropt);
    if (!cli_output_commit(&common, &out)) goto done;
    cli_report_timings(&common, &timings);
    rc = CLI_EXIT_OK;
done:
    cli_output_abort(&out);
    survkit_logrank_free(lr);
    survkit_frame_free(frame);
    survkit_table_free(table);
    free(sc);
    return rc;
}
