/*
 * zph_figure.h: the figure of R's plot(cox.zph(fit)): one panel per term with the scaled
 * Schoenfeld residuals as points against transformed time, the natural-spline smooth and its
 * +/- 2 se band (survkit_zph_smooth), built as a page of plain figures (one, or a grid).
 */
#ifndef SURVKIT_PLOT_ZPH_FIGURE_H
#define SURVKIT_PLOT_ZPH_FIGURE_H

#include "figure.h"

#include <survkit/survkit.h>

#include <stdbool.h>
#include <stddef.h>

/* What the page shows. Zero-initialised fields take the defaults noted. */
typedef struct plot_zph_options {
    const char *term;       /* the one term to draw (a name of the zph table); NULL: every term */
    size_t df;              /* the smooth's degrees of freedom; 0: R's 4 */
    size_t nsmo;            /* points of the smooth; 0: R's 40 */
    double width, height;   /* the page; 0: by format and grid (render.h) */
} plot_zph_options;

/*
 * Build the page for `z`. Each panel, as plot.cox.zph(resid = TRUE, se = TRUE) draws it:
 *   marks: (x, y) of the term's residuals that are not NA; steps (joined by lines): the smooth at
 *   the grid; band: its limits, dashed. The y label is "Beta(t) for <term>", the x label "Time".
 *   x axis by transform: identity, the times (range over every event); log, the times on a log
 *   axis; km and rank, the transformed times with ticks where R puts them and R's labels, the
 *   original times (see plot_zph_time_axis); else the range over the rows drawn. The y range
 *   holds the points, the smooth and the band; both get R's 4% margins.
 * A term whose spline fit is singular is left out, as R skips it with a warning: skipped[t] is
 * set (when skipped is not NULL, n_rows - 1 entries). The grid has ceil(sqrt(k)) columns for k
 * panels. Output: *out (free with plot_page_free).
 * Errors: SURVKIT_ERR_ARGUMENT (unknown term: the message lists the terms), SURVKIT_ERR_NUMERIC
 * (no term could be drawn), SURVKIT_ERR_NOMEM.
 */
survkit_status plot_zph_page_build(const survkit_zph *z, const plot_zph_options *opt,
                                   bool *skipped, plot_page **out, survkit_error *err);

/*
 * plot.cox.zph's x axis for the km and rank transforms: at 8 transformed times equally spaced
 * inside the range (the even points of 17), the original time is interpolated (approx over the
 * distinct transformed times), rounded to 2 significant digits (signif), and mapped back to a
 * transformed position (approx). Inputs: x[n] transformed and time[n] original event times.
 * Outputs: at[8] (NaN where approx gives NA) and labels[8] (R's format(), e.g. "55", "3.8",
 * "1e+05"), each at most 31 characters.
 */
void plot_zph_time_axis(const double *x, const double *time, size_t n, double at[8],
                        char labels[8][32]);

#endif /* SURVKIT_PLOT_ZPH_FIGURE_H */
