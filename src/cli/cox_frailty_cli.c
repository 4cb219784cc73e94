/*
 * cox_frailty_cli.c: `survkit cox` when the formula has a frailty() or ridge() term: the
 * penalised fit of
 * survkit_frailty_fit_frame, reported as R's print.coxph.penal (text), the contract's JSON, the
 * printed table as CSV, and with --frail-out FILE the estimated frailty of every group as CSV;
 * with --save the model (survkit_frailty_model_create_frame) for predict, residuals and zph.
 * Options of the ordinary fit that R's penalised fit has no use for are refused, not ignored.
 */
#include "cli.h"
#include "cox_frailty_cli.h"
#include "cox_model_cli.h"
#include "report_frailty.h"
#ifdef SURVKIT_HAVE_PLOTS
#include "termplot_plot.h"
#endif

#include <stdio.h>
#include <stdlib.h>

bool cli_cox_is_penalised(const survkit_frame *frame)
{
    bool ridge = false;
    size_t term;
    double theta;
    bool scale;
    survkit_error err;
    survkit_error_clear(&err);
    /* a malformed ridge() is penalised too: its fit reports the error */
    if (survkit_frame_ridge(frame, &ridge, &term, &theta, &scale, &err) != SURVKIT_OK) return true;
    return ridge || survkit_frame_frailty(frame) != NULL || survkit_frame_n_pspline(frame) > 0;
}

/* The model of the fit into `out` (opened before the fit; the caller commits it). */
static bool save_model(const cli_common *common, const survkit_frailty_result *fit,
                       const survkit_frame *frame, cli_output *out)
{
    survkit_error err;
    survkit_error_clear(&err);
    survkit_cox_model *model = NULL;
    const survkit_status st =
        survkit_frailty_model_create_frame(fit, frame, common->weights, &model, &err);
    return cli_write_model(common, st, &err, model, out);
}

bool cli_cox_penalised_model(const cli_common *common, const survkit_frame *frame,
                             survkit_cox_ties ties, survkit_cox_model_parts parts,
                             survkit_cox_model **model, cli_timings *t)
{
    survkit_frailty_options opt;
    survkit_frailty_options_init(&opt);
    opt.ties = ties;
    opt.progress = cli_progress_fit;
    opt.progress_user = &t->progress;
    survkit_error err;
    survkit_error_clear(&err);
    survkit_frailty_result *fit = NULL;
    if (survkit_frailty_fit_frame(frame, &opt, &fit, &err) != SURVKIT_OK) {
        cli_report_error(common, &err);
        return false;
    }
    for (size_t k = 0; k < survkit_frailty_result_n_warnings(fit); k++)
        cli_warn(common, survkit_frailty_result_warning(fit, k));
    const bool ok = survkit_frailty_model_create_frame_parts(fit, frame, common->weights, parts,
                                                             model, &err) == SURVKIT_OK;
    if (!ok) cli_report_error(common, &err);
    survkit_frailty_result_free(fit);
    return ok;
}

int cli_cox_frailty(const cli_common *common, const survkit_frame *frame,
                    const cli_cox_frailty_args *a, cli_output *output, cli_output *frail_out,
                    cli_timings *t)
{
    if (frail_out->stream != NULL && survkit_frame_frailty(frame) == NULL)
        return cli_fail(common, "--frail-out needs a frailty() term in the formula");
    if (a->cox->init != NULL)
        return cli_fail(common, "--init is not supported with frailty() (the fit starts from 0, "
                                "as R's coxph)");
    if (a->cox->conf_level != 0.95)
        return cli_fail(common, "--conf-level has no use with frailty(): R's penalised print "
                                "has no confidence limits");
    survkit_frailty_options opt;
    survkit_frailty_options_init(&opt);
    opt.ties = a->cox->ties;
    opt.eps = a->cox->eps;
    opt.iter_max = a->cox->iter_max;
    opt.robust = a->cox->robust; /* the library refuses it with a sparse frailty() */
    opt.progress = cli_progress_fit;
    opt.progress_user = &t->progress;
    survkit_error err;
    survkit_error_clear(&err);
    survkit_frailty_result *fit = NULL;
    const double t2 = cli_now();
    if (survkit_frailty_fit_frame(frame, &opt, &fit, &err) != SURVKIT_OK) {
        cli_report_error(common, &err);
        return CLI_EXIT_USAGE;
    }
    t->fit_s = cli_now() - t2;
    const size_t dropped = survkit_frame_n_dropped(frame);
    if (dropped > 0 && common->format != CLI_FORMAT_TEXT) {
        char msg[128];
        snprintf(msg, sizeof msg, "%zu observation%s deleted due to missingness", dropped,
                 dropped == 1 ? "" : "s");
        cli_warn(common, msg);
    }
    for (size_t k = 0; k < survkit_frailty_result_n_warnings(fit); k++)
        cli_warn(common, survkit_frailty_result_warning(fit, k));
#ifdef SURVKIT_HAVE_PLOTS
    if (a->plot != NULL && a->plot->path != NULL &&
        plot_termplot_write(a->plot, fit, frame, &err) != SURVKIT_OK) {
        survkit_frailty_result_free(fit);
        cli_report_error(common, &err);
        return CLI_EXIT_USAGE;
    }
#endif
    double tv[CLI_TIMINGS_LEN];
    report_cox_info info = {a->call, dropped, cli_timings_for_json(common, t, tv)};
    switch (common->format) {
    case CLI_FORMAT_JSON: report_frailty_json(output->stream, fit, &info); break;
    case CLI_FORMAT_CSV: report_frailty_csv(output->stream, fit); break;
    default: report_frailty_text(output->stream, fit, &info); break;
    }
    if (frail_out->stream != NULL) report_frailty_frail_csv(frail_out->stream, fit);
    if (a->save_out->stream != NULL && !save_model(common, fit, frame, a->save_out)) {
        survkit_frailty_result_free(fit);
        return CLI_EXIT_USAGE;
    }
    survkit_frailty_result_free(fit);
    cli_output *outs[4] = {output, frail_out, a->save_out, a->plot_out};
    if (!cli_output_commit_all(common, outs, 4)) return CLI_EXIT_USAGE;
    cli_report_timings(common, t);
    return CLI_EXIT_OK;
}
