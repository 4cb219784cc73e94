/* finegray_plot.c: predict.crr's curves drawn as km_figure.c's state curves (finegray_plot.h). A
 * prediction has no counts: the curves get zero counts, so no censoring marks and no risk table. */
#include "finegray_plot.h"
#include "render.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

survkit_status plot_finegray_figure_build(const double *times, size_t K, const double *cif,
                                          size_t m, const size_t *rows,
                                          const plot_km_options *opt, plot_figure **out,
                                          survkit_error *err)
{
    *out = NULL;
    if (m == 0) return plot_error(err, SURVKIT_ERR_ARGUMENT, "plot: no rows to draw");
    plot_km_curve *curves = calloc(m, sizeof *curves);
    double *zeros = calloc(K + 1, sizeof *zeros);
    char (*labels)[32] = calloc(m, sizeof *labels);
    if (!curves || !zeros || !labels) {
        free(curves), free(zeros), free(labels);
        return plot_error(err, SURVKIT_ERR_NOMEM, "plot: out of memory");
    }
    for (size_t r = 0; r < m; r++) {
        snprintf(labels[r], sizeof labels[r], "row %zu", rows[r] + 1);
        curves[r] = (plot_km_curve){.label = labels[r], .n = K, .time = times, .n_risk = zeros,
                                    .n_event = zeros, .n_censor = zeros, .surv = cif + r * K,
                                    .median = NAN};
    }
    plot_km_options o = *opt;
    o.fun = PLOT_KM_STATE;
    o.ci = PLOT_KM_CI_OFF;
    o.medians = false;
    o.risk_table = false;
    o.censor_ticks = false;
    survkit_status status = plot_km_figure_build(curves, m, &o, out, err);
    free(curves), free(zeros), free(labels);
    return status;
}

survkit_status plot_finegray_write(const plot_km_request *req, const double *times, size_t K,
                                   const double *cif, size_t m, const size_t *rows,
                                   survkit_error *err)
{
    if (req->fun || req->ci || req->median || req->no_risk_table || req->no_censor_marks)
        return plot_error(err, SURVKIT_ERR_ARGUMENT,
                          "plot: a prediction has no --plot-fun, bands, medians, risk table or marks");
    plot_km_options opt;
    survkit_status status = plot_km_request_check(req, &opt, err);
    if (status != SURVKIT_OK) return status;
    plot_figure *fig = NULL;
    status = plot_finegray_figure_build(times, K, cif, m, rows, &opt, &fig, err);
    if (status == SURVKIT_OK) status = plot_render_file_to(fig, req->path, req->stream, err);
    plot_figure_free(fig);
    return status;
}
