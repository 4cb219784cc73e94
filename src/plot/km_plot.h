/*
 * km_plot.h: `survkit km --plot FILE` in two calls. The command passes its --plot-* option values
 * as parsed (strings and numbers, NULL or 0 when absent); plot_km_request_check validates them
 * before any fitting (a usage error, exit 2, writes nothing), and plot_km_write_fit builds the
 * figure from the fit's curves (plot_km_curves_from_fit) and renders it.
 *
 *   --plot FILE          .png, .svg or .pdf
 *   --plot-fun F         surv (default) | event | cumhaz | cloglog
 *   --plot-ci WHEN       auto (default: bands for one curve) | yes | no
 *   --plot-title T, --plot-xlab T, --plot-ylab T
 *   --plot-width W, --plot-height H   pixels for PNG, points (1/72 in) for PDF and SVG;
 *                        default 800 x 600 px, 576 x 432 pt
 *   --plot-break B       x tick and risk-table interval (default: R's pretty ticks)
 *   --plot-xmax T        the x axis from 0 to T (R's xlim = c(0, T)); default: the last time
 *   --plot-median        dashed guides to the median survival times
 *   --plot-no-risk-table, --plot-no-censor-marks
 */
#ifndef SURVKIT_PLOT_KM_PLOT_H
#define SURVKIT_PLOT_KM_PLOT_H

#include "km_figure.h"

#include <survkit/survkit.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct plot_km_request {
    const char *path;       /* --plot; NULL: no plot */
    FILE *stream;           /* the caller's open output for path (it commits); NULL: the file is
                               written, all or nothing, by plot_km_write */
    const char *fun;        /* --plot-fun */
    const char *ci;         /* --plot-ci */
    const char *title, *xlab, *ylab;
    double width, height;   /* 0 = default */
    double x_break;         /* 0 = pretty */
    double x_max;           /* --plot-xmax: the x axis ends there; 0 = at the last time */
    bool median;
    bool no_risk_table;
    bool no_censor_marks;
    double conf_level;      /* the fit's confidence level (km --conf-level), 0 = 0.95 */
} plot_km_request;

/* Validate the option values and translate them to figure options (*opt may be NULL).
 * SURVKIT_ERR_ARGUMENT with a message naming the option when one is wrong. */
survkit_status plot_km_request_check(const plot_km_request *req, plot_km_options *opt,
                                     survkit_error *err);

/* Is any --plot-* option other than --plot itself given? (They mean nothing without --plot.) */
bool plot_km_request_has_options(const plot_km_request *req);

/* Draw curves[n_curves] as req asks into req->path. Inputs: the curves of a fit (km_figure.h). */
survkit_status plot_km_write(const plot_km_request *req, const plot_km_curve *curves,
                             size_t n_curves, survkit_error *err);

/* The curves of a fit as plot_km_curve views (arrays owned by km): curves[survkit_km_n_groups(km)]
 * with every column, and the median as print(fit) gives it. */
void plot_km_curves_from_fit(const survkit_km *km, plot_km_curve *curves);

/* plot_km_write for every group of a Kaplan-Meier fit. */
survkit_status plot_km_write_fit(const plot_km_request *req, const survkit_km *km,
                                 survkit_error *err);

#endif /* SURVKIT_PLOT_KM_PLOT_H */
