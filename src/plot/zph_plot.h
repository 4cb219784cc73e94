/*
 * zph_plot.h: `survkit zph --plot FILE` in two calls, as km_plot.h does for km: the command passes
 * its --plot-* option values as parsed; plot_zph_request_check validates them before any fitting
 * (a usage error writes nothing), plot_zph_write draws a cox.zph result.
 *
 *   --plot FILE          .png, .svg or .pdf
 *   --plot-term NAME     one panel, for that term (default: every term, in a grid)
 *   --plot-df DF         degrees of freedom of the smooth (R's df, default 4)
 *   --plot-nsmo N        points of the smooth (R's nsmo, default 40)
 *   --plot-width W, --plot-height H   the page: pixels for PNG, points for PDF and SVG
 */
#ifndef SURVKIT_PLOT_ZPH_PLOT_H
#define SURVKIT_PLOT_ZPH_PLOT_H

#include "zph_figure.h"

#include <stdio.h>

typedef struct plot_zph_request {
    const char *path;     /* --plot; NULL: no plot */
    FILE *stream;         /* the caller's open output for path (it commits); NULL: written here */
    const char *term;
    long df, nsmo;        /* 0 = default */
    double width, height; /* 0 = default */
} plot_zph_request;

/* Validate the values; *opt (may be NULL) receives them. SURVKIT_ERR_ARGUMENT naming the option. */
survkit_status plot_zph_request_check(const plot_zph_request *req, plot_zph_options *opt,
                                      survkit_error *err);

/* Is a --plot-* option other than --plot given? */
bool plot_zph_request_has_options(const plot_zph_request *req);

/* Draw z into req->path. skipped (n_rows - 1 entries, or NULL) marks the terms R would skip
 * ("spline fit is singular"); the caller warns about them. */
survkit_status plot_zph_write(const plot_zph_request *req, const survkit_zph *z, bool *skipped,
                              survkit_error *err);

#endif /* SURVKIT_PLOT_ZPH_PLOT_H */
