/*
 * survreg_plot.c: the Kaplan-Meier figure of km_figure.c, one step curve per stratum, and for each
 * a line of the fitted survival averaged over its rows (survkit_survreg_mean_survival) on a grid
 * of GRID times from 0 to the largest time, in the same colour, labelled "<stratum> (<dist>)".
 * No number-at-risk table (the fitted lines have none).
 */
#include "survreg_plot.h"

#include "km_figure.h"
#include "km_plot.h"
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { GRID = 101 };

/* Append one line series per curve to fig: x = times, y = surv[g * GRID + k]. */
static survkit_status add_fitted(plot_figure *fig, size_t groups, const double *times,
                                 const double *surv, const char *dist, survkit_error *err)
{
    plot_series *more = realloc(fig->series, (fig->n_series + groups) * sizeof *more);
    if (more == NULL) return plot_error(err, SURVKIT_ERR_NOMEM, "plot: out of memory");
    fig->series = more;
    for (size_t g = 0; g < groups; g++) {
        plot_series *s = &fig->series[fig->n_series];
        memset(s, 0, sizeof *s);
        fig->n_series++;
        const plot_series *km = &fig->series[g];
        char label[256];
        snprintf(label, sizeof label, "%s (%s)", km->label ? km->label : "all", dist);
        s->colour = km->colour;
        s->join = PLOT_JOIN_LINES;
        if (!plot_set_text(&s->label, label) || !plot_points_alloc(&s->steps, GRID))
            return plot_error(err, SURVKIT_ERR_NOMEM, "plot: out of memory");
        for (size_t k = 0; k < GRID; k++) {
            s->steps.x[k] = times[k];
            s->steps.y[k] = surv[g * GRID + k];
        }
    }
    fig->show_legend = true;
    fig->show_risk_table = false; /* its counts are the Kaplan-Meier series' only */
    return SURVKIT_OK;
}

survkit_status plot_survreg_write(const char *path, const survkit_survreg_result *fit,
                                  const survkit_frame *frame, survkit_error *err)
{
    if (survkit_frame_response_kind(frame) != SURVKIT_RESPONSE_RIGHT)
        return plot_error(err, SURVKIT_ERR_ARGUMENT,
                          "--plot draws a Kaplan-Meier estimate: it needs Surv(time, status) data");
    const size_t n = survkit_frame_n(frame), ns = survkit_frame_n_strata(frame);
    const int32_t *strata = ns > 1 ? survkit_frame_strata(frame) : NULL;
    const size_t groups = strata ? ns : 1;
    const char **labels = calloc(groups + 1, sizeof *labels);
    double *times = malloc(GRID * sizeof *times), *surv = malloc(groups * GRID * sizeof *surv);
    plot_km_curve *curves = calloc(groups, sizeof *curves);
    survkit_km *km = NULL;
    plot_figure *fig = NULL;
    survkit_status status = SURVKIT_OK;
    if (!labels || !times || !surv || !curves) {
        status = plot_error(err, SURVKIT_ERR_NOMEM, "plot: out of memory");
        goto done;
    }
    for (size_t g = 0; strata && g < groups; g++) labels[g] = survkit_frame_strata_label(frame, g);
    const double *time = survkit_frame_time(frame);
    double tmax = 0;
    for (size_t i = 0; i < n; i++) tmax = time[i] > tmax ? time[i] : tmax;
    for (size_t k = 0; k < GRID; k++) times[k] = tmax * (double)k / (GRID - 1);
    status = survkit_km_fit(n, NULL, time, survkit_frame_status(frame), survkit_frame_weights(frame),
                            strata, groups, strata ? labels : NULL, NULL, &km, err);
    if (status == SURVKIT_OK)
        status = survkit_survreg_mean_survival(fit, strata, groups, times, GRID, surv, err);
    if (status != SURVKIT_OK) goto done;
    plot_km_curves_from_fit(km, curves);
    plot_km_options opt;
    plot_km_options_init(&opt);
    opt.ci = PLOT_KM_CI_OFF;
    opt.risk_table = false;
    status = plot_km_figure_build(curves, groups, &opt, &fig, err);
    if (status == SURVKIT_OK)
        status = add_fitted(fig, groups, times, surv,
                            survkit_survreg_dist_name(survkit_survreg_result_dist(fit)), err);
    if (status == SURVKIT_OK) status = plot_render_file(fig, path, err);
done:
    plot_figure_free(fig);
    survkit_km_free(km);
    free(labels), free(times), free(surv), free(curves);
    return status;
}
