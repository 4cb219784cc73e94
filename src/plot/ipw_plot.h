/*
 * ipw_plot.h: `survkit ipw --plot FILE`, as km_plot.h does for km: the command passes its
 * --plot-* values as parsed; plot_ipw_request_check validates them before any fitting (a usage
 * error writes nothing), plot_ipw_write draws a result (ipw_figure.h).
 *
 *   --plot FILE            .png, .svg or .pdf
 *   --plot-kind K          both (default: the love plot and the propensity histograms side by
 *                          side) | love | ps
 *   --plot-threshold T     the love plot's dashed line (default 0.1)
 *   --plot-bins N          bins of the propensity histograms (default 30)
 *   --plot-title T         before each panel's own title
 *   --plot-width W, --plot-height H   the page: pixels for PNG, points for PDF and SVG
 */
#ifndef SURVKIT_PLOT_IPW_PLOT_H
#define SURVKIT_PLOT_IPW_PLOT_H

#include "ipw_figure.h"

#include <stdio.h>

typedef struct plot_ipw_request {
    const char *path;     /* --plot; NULL: no plot */
    FILE *stream;         /* the caller's open output for path (it commits); NULL: written here */
    const char *kind;     /* NULL = both */
    const char *title;
    double threshold;     /* 0 = 0.1 */
    long bins;            /* 0 = 30 */
    double width, height; /* 0 = default */
} plot_ipw_request;

/* Validate the values; *opt (may be NULL) receives them. SURVKIT_ERR_ARGUMENT naming the option. */
survkit_status plot_ipw_request_check(const plot_ipw_request *req, plot_ipw_options *opt,
                                      survkit_error *err);

/* Is a --plot-* option other than --plot given? */
bool plot_ipw_request_has_options(const plot_ipw_request *req);

/* Draw r into req->path; treated[n] is the treatment of its rows (the frame's binary response). */
survkit_status plot_ipw_write(const plot_ipw_request *req, const survkit_ipw_result *r,
                              const double *treated, survkit_error *err);

#endif /* SURVKIT_PLOT_IPW_PLOT_H */
