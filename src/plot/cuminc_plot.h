/*
 * cuminc_plot.h: `survkit cuminc --plot FILE`, as km_plot.h does for km: the command passes its
 * --plot-* values as parsed; plot_cuminc_request_check validates them before any fitting (a usage
 * error writes nothing), plot_cuminc_write draws a fit (cuminc_figure.h).
 *
 *   --plot FILE          .png, .svg or .pdf
 *   --plot-stacked       one panel per group with the states stacked (default: one per state)
 *   --plot-ci WHEN       auto (default: bands when a panel has one curve) | yes | no; not stacked
 *   --plot-title T, --plot-xlab T, --plot-ylab T
 *   --plot-width W, --plot-height H   the page: pixels for PNG, points for PDF and SVG
 *   --plot-break B       x tick and risk-table interval (default: R's pretty ticks)
 *   --plot-xmax T        the x axis from 0 to T (default: the last time)
 *   --plot-no-risk-table, --plot-no-censor-marks (the latter not stacked: no marks there)
 */
#ifndef SURVKIT_PLOT_CUMINC_PLOT_H
#define SURVKIT_PLOT_CUMINC_PLOT_H

#include "cuminc_figure.h"
#include "km_plot.h"

typedef struct plot_cuminc_request {
    plot_km_request km; /* path, stream and km's options; fun and median are not cuminc's and
                           stay NULL and false */
    bool stacked;
} plot_cuminc_request;

/* Validate the values; *opt (may be NULL) receives them. SURVKIT_ERR_ARGUMENT naming the option. */
survkit_status plot_cuminc_request_check(const plot_cuminc_request *req, plot_cuminc_options *opt,
                                         survkit_error *err);

/* Is a --plot-* option other than --plot given? */
bool plot_cuminc_request_has_options(const plot_cuminc_request *req);

/* Draw fit into req->km.path (or req->km.stream). */
survkit_status plot_cuminc_write(const plot_cuminc_request *req, const survkit_cuminc *fit,
                                 survkit_error *err);

#endif /* SURVKIT_PLOT_CUMINC_PLOT_H */
