/*
 * termplot_plot.h: `survkit cox --plot FILE` for a fit with pspline() terms (R's termplot with
 * se = TRUE), in two calls as zph_plot.h does: plot_termplot_request_check validates the option
 * values before any fitting (a usage error writes nothing), plot_termplot_write draws the fit.
 *
 *   --plot FILE          .png, .svg or .pdf
 *   --plot-term TERM     one panel, for that pspline term (default: every one, in a grid)
 *   --plot-width W, --plot-height H   the page: pixels for PNG, points for PDF and SVG
 */
#ifndef SURVKIT_PLOT_TERMPLOT_PLOT_H
#define SURVKIT_PLOT_TERMPLOT_PLOT_H

#include "termplot_figure.h"

#include <stdio.h>

typedef struct plot_termplot_request {
    const char *path;     /* --plot; NULL: no plot */
    FILE *stream;         /* the caller's open output for path (it commits); NULL: written here */
    const char *term;
    double width, height; /* 0 = default */
} plot_termplot_request;

/* Validate the values. SURVKIT_ERR_ARGUMENT naming the option. */
survkit_status plot_termplot_request_check(const plot_termplot_request *req, survkit_error *err);

/* Is a --plot-* option other than --plot given? */
bool plot_termplot_request_has_options(const plot_termplot_request *req);

/* Draw the fit's pspline terms into req->path. frame: the frame of the fit. */
survkit_status plot_termplot_write(const plot_termplot_request *req,
                                   const survkit_frailty_result *r, const survkit_frame *frame,
                                   survkit_error *err);

#endif /* SURVKIT_PLOT_TERMPLOT_PLOT_H */
