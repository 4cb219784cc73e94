/*
 * termplot_figure.h: the figure of R's termplot(fit, terms = k, se = TRUE) for the pspline() terms
 * of a penalised Cox fit: each term's fitted log-hazard ratio (predict(fit, type = "terms"))
 * against its variable, with the +/- 2 se band, built as a page of plain figures (one, or a grid).
 */
#ifndef SURVKIT_PLOT_TERMPLOT_FIGURE_H
#define SURVKIT_PLOT_TERMPLOT_FIGURE_H

#include "figure.h"

#include <survkit/survkit.h>

typedef struct plot_termplot_options {
    const char *term;     /* the one pspline term to draw (its label, "pspline(age)"); NULL: all */
    double width, height; /* the page; 0: by format and grid (render.h) */
} plot_termplot_options;

/*
 * Build the page for the fit (frame: the frame it was fitted on). Each panel, as termplot draws
 * it: steps (joined by lines) = the term's fitted values at the distinct values of its variable
 * (survkit_frailty_result_pspline_curve), band = fitted -/+ 2 se (dashed); x label the variable,
 * y label "Partial for <term>". x range: the variable's; y range R's ylim = "common": the range of
 * fitted +/- 1.05 * 2 se over every panel drawn; both with R's 4% margins.
 * Errors: SURVKIT_ERR_ARGUMENT (no pspline term; unknown term, the message lists them; a pspline
 * of an expression, whose carrier R takes from inside the call; a model with a frailty, where R's
 * predict(type = "terms") fails), SURVKIT_ERR_NOMEM.
 */
survkit_status plot_termplot_page_build(const survkit_frailty_result *r, const survkit_frame *frame,
                                        const plot_termplot_options *opt, plot_page **out,
                                        survkit_error *err);

#endif /* SURVKIT_PLOT_TERMPLOT_FIGURE_H */
