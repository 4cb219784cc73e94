/* cmd_finegray.c: `survkit finegray`: the Fine-Gray subdistribution hazards model (cmprsk::crr,
 * summary(crr)), with predict.crr's cumulative incidence for new rows. */
#include "cli.h"
#include "report_compete.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int fail_with(const cli_common *common, const survkit_error *err)
{
    cli_report_error(common, err);
    return CLI_EXIT_USAGE;
}

int cli_finegray(int argc, char **argv)
{
    cli_common common = {0};
    common.needs_formula = true;
    common.accepts_weights = true;
    common.accepts_timefix = true;
    common.skip_groups = true;
    common.states = true;
    const char *cause = NULL, *newdata_path = NULL;
    double conf_level = 0.95, gtol = 1e-6;
    long iter_max = 10;
    const cli_option options[] = {
        {"cause", 0, CLI_OPT_STRING, &cause, "LEVEL", "the event of interest (required); the other event levels compete"},
        {"censor", 0, CLI_OPT_STRING, &common.censor, "LEVEL", "the censoring value of the status (default 0, or the first level of a text column)"},
        {"conf-level", 0, CLI_OPT_DOUBLE, &conf_level, "L", "level of the exp(coef) limits (default 0.95)"},
        {"gtol", 0, CLI_OPT_DOUBLE, &gtol, "G", "crr's convergence tolerance (default 1e-6)"},
        {"iter-max", 0, CLI_OPT_INT, &iter_max, "N", "crr's maxiter (default 10)"},
        {"newdata", 0, CLI_OPT_STRING, &newdata_path, "FILE", "also predict the cumulative incidence of these rows (predict.crr)"},
    };
    int status = cli_parse(argc, argv, &common, options, sizeof options / sizeof options[0],
                           "survkit finegray -f 'Surv(time, event) ~ x1 + x2' --cause LEVEL [options] DATA",
                           "Fine-Gray subdistribution hazards regression with cmprsk::crr's "
                           "numbers: coefficients, sandwich variance, pseudo log-likelihoods.");
    if (status >= 0) return status;
    if (cause == NULL) return cli_fail(&common, "--cause LEVEL is required (the event of interest)");
    if (!(conf_level > 0 && conf_level < 1))
        return cli_fail(&common, "--conf-level must lie between 0 and 1, not %g", conf_level);
    if (!(gtol > 0)) return cli_fail(&common, "--gtol must be > 0");
    if (iter_max < 0 || iter_max > 100000) return cli_fail(&common, "--iter-max must be >= 0");

    survkit_error err;
    survkit_error_clear(&err);
    survkit_finegray_options opt;
    survkit_finegray_options_init(&opt);
    opt.conf_level = conf_level;
    opt.gtol = gtol;
    opt.iter_max = (int)iter_max;
    report_finegray_options ropt = {common.formula, cause, 0, NULL, 0, NULL, NULL};
    size_t *pred_rows = NULL;
    double *pred_cif = NULL;
    survkit_table *newdata = NULL;

    cli_timings timings;
    survkit_table *table = NULL;
    survkit_frame *frame = NULL;
    survkit_finegray *fit = NULL;
    int rc = CLI_EXIT_USAGE;
    if (!cli_load(&common, &table, &frame, &timings)) goto done;
    ropt.n_dropped = survkit_frame_n_dropped(frame);
    cli_warn_dropped(&common, ropt.n_dropped);
    opt.progress = cli_progress_fit;
    opt.progress_user = &timings.progress;
    double t1 = cli_now();
    survkit_status st = survkit_finegray_fit_frame(frame, cause, &opt, &fit, &err);
    cli_progress_end(&timings.progress);
    if (st != SURVKIT_OK) {
        if (err.line > 0 && err.source[0] == '\0') {
            const size_t *rows = survkit_frame_row_index(frame);
            if (err.line - 2 < survkit_frame_n(frame)) err.line = rows[err.line - 2] + 2;
            snprintf(err.source, sizeof err.source, "%s", common.data_path);
        }
        rc = fail_with(&common, &err);
        goto done;
    }
    timings.fit_s = cli_now() - t1;
    if (!survkit_finegray_converged(fit))
        cli_warn(&common, "crr did not converge (the iteration limit or step halving was reached)");
    if (newdata_path != NULL) {
        cli_common nd_common = common;
        nd_common.data_path = newdata_path;
        if (!cli_read_table(&nd_common, &newdata)) goto done;
        if (survkit_finegray_predict_table(fit, frame, newdata, &ropt.pred_m, &pred_rows,
                                           &pred_cif, &err) != SURVKIT_OK) {
            if (err.line > 0 && err.source[0] == '\0')
                snprintf(err.source, sizeof err.source, "%s", newdata_path);
            rc = fail_with(&common, &err);
            goto done;
        }
        ropt.pred_rows = pred_rows;
        ropt.pred_cif = pred_cif;
    }
    double tv[4];
    ropt.timings = cli_timings_for_json(&common, &timings, tv);
    cli_output out;
    if (!cli_output_open(&common, &out)) goto done;
    if (common.format == CLI_FORMAT_JSON) st = report_finegray_json(out.stream, fit, &ropt, &err);
    else if (common.format == CLI_FORMAT_CSV) st = report_finegray_csv(out.stream, fit, &ropt, &err);
    else st = report_finegray_text(out.stream, fit, &ropt, &err);
    if (st != SURVKIT_OK) {
        cli_output_abort(&out);
        rc = fail_with(&common, &err);
        goto done;
    }
    if (!cli_output_commit(&common, &out)) goto done;
    cli_report_timings(&common, &timings);
    rc = CLI_EXIT_OK;
done:
    free(pred_rows);
    free(pred_cif);
    survkit_table_free(newdata);
    survkit_finegray_free(fit);
    survkit_frame_free(frame);
    survkit_table_free(table);
    return rc;
}
