/* cox_frailty_cli.h: `survkit cox` with a frailty() term (cox_frailty_cli.c). */
#ifndef SURVKIT_COX_FRAILTY_CLI_H
#define SURVKIT_COX_FRAILTY_CLI_H

#include "cli.h"

typedef struct cli_cox_frailty_args {
    const survkit_cox_options *cox; /* the options cox parsed (ties, eps, iter-max, ...) */
    const char *save_path;          /* --save, refused */
    const char *call;               /* the call R would print */
    const struct plot_termplot_request *plot; /* --plot (pspline terms); path NULL: none */
    cli_output *plot_out;                     /* its open output, committed with the others */
} cli_cox_frailty_args;

/* Does the formula hold a frailty() or ridge() term (R's penalised coxph)? */
bool cli_cox_is_penalised(const survkit_frame *frame);

/* Fit, report to `output` and, when open, the frailties to `frail_out`; commits both. Returns
 * the exit status (errors reported). */
int cli_cox_frailty(const cli_common *common, const survkit_frame *frame,
                    const cli_cox_frailty_args *a, cli_output *output, cli_output *frail_out,
                    cli_timings *t);

#endif
