/*
 * finegray_plot.h: `survkit finegray --newdata FILE --plot PICTURE`: the predicted cumulative
 * incidence of each new row (predict.crr) as R's plot.predict.crr draws it, one step curve per
 * row, built with km_figure.h's PLOT_KM_STATE curves (no bands, marks or risk table: a prediction
 * has none). The options are km's --plot-title, --plot-xlab, --plot-ylab, --plot-width,
 * --plot-height, --plot-break and --plot-xmax, checked by plot_km_request_check.
 */
#ifndef SURVKIT_PLOT_FINEGRAY_PLOT_H
#define SURVKIT_PLOT_FINEGRAY_PLOT_H

#include "km_plot.h"

/*
 * The figure. Inputs: times[K] the event times of the cause; cif[K * m], column r the prediction
 * for new row r (survkit_finegray_predict's layout); rows[m] their 0-based data rows (the labels
 * are "row <rows[r] + 1>", the JSON's "row"); opt as km_figure.h (fun, ci, risk table and marks are
 * set here). Series r: steps (0, 0) then (times[k], cif[k + r K]). Output: *out.
 */
survkit_status plot_finegray_figure_build(const double *times, size_t K, const double *cif,
                                          size_t m, const size_t *rows,
                                          const plot_km_options *opt, plot_figure **out,
                                          survkit_error *err);

/* Validate req (km's checks; --plot-fun, --plot-ci, --plot-median, the risk table and censoring
 * marks are not finegray's and must be unset), build the figure and render it to req->path. */
survkit_status plot_finegray_write(const plot_km_request *req, const double *times, size_t K,
                                   const double *cif, size_t m, const size_t *rows,
                                   survkit_error *err);

#endif /* SURVKIT_PLOT_FINEGRAY_PLOT_H */
