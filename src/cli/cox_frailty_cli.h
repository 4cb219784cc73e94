/* cox_frailty_cli.h: `survkit cox` with a frailty() term (cox_frailty_cli.c). */
#ifndef SURVKIT_COX_FRAILTY_CLI_H
#define SURVKIT_COX_FRAILTY_CLI_H

#include "cli.h"

typedef struct cli_cox_frailty_args {
    const survkit_cox_options *cox; /* the options cox parsed (ties, eps, iter-max, ...) */
    cli_output *save_out;           /* --save: the model file (opened), or stream NULL */
    const char *call;               /* the call R would print */
    const struct plot_termplot_request *plot; /* --plot (pspline terms); path NULL: none */
    cli_output *plot_out;                     /* its open output, committed with the others */
} cli_cox_frailty_args;

/* Does the formula hold a frailty() or ridge() term (R's penalised coxph)? */
bool cli_cox_is_penalised(const survkit_frame *frame);

/* Fit, report to `output` and, when open, the frailties to `frail_out` and the model to
 * a->save_out; commits them. Returns the exit status (errors reported). */
int cli_cox_frailty(const cli_common *common, const survkit_frame *frame,
                    const cli_cox_frailty_args *a, cli_output *output, cli_output *frail_out,
                    cli_timings *t);

/* The penalised fit of `frame` with `ties` as the model of predict, residuals, zph and basehaz
 * (-f FORMULA with a frailty() or ridge() term), holding `parts`; reports errors and warnings. */
bool cli_cox_penalised_model(const cli_common *common, const survkit_frame *frame,
                             survkit_cox_ties ties, survkit_cox_model_parts parts,
                             survkit_cox_model **model, cli_timings *t);

#endif
