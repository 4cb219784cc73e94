/*
 * cuminc_figure.c: competing-risks pictures as pages of Kaplan-Meier figures (km_figure.c draws
 * each panel; this file only chooses the curves). Group g's table has one row per distinct time
 * t_i with n_i at risk in the starting state and P_s(t_i), the probability of having entered
 * state s by t_i (survkit_cuminc_values). Stacked, the curve of state s is the running sum
 * S_s = P_1 + ... + P_s, summed left to right as R's cumsum(), its band [S_{s-1}, S_s] with S_0 = 0.
 */
#include "cuminc_figure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

void plot_cuminc_options_init(plot_cuminc_options *opt)
{
    plot_km_options_init(&opt->km);
    opt->km.fun = PLOT_KM_STATE;
    opt->stacked = false;
}

/* Group g's curve for state s (1..n_states) as a view of the fit's arrays. */
static plot_km_curve state_curve(const survkit_cuminc *fit, size_t g, size_t s, const char *label)
{
    return (plot_km_curve){
        .label = label,
        .n = survkit_cuminc_n_times(fit, g),
        .time = survkit_cuminc_values(fit, g, s, SURVKIT_CUMINC_TIME),
        .n_risk = survkit_cuminc_values(fit, g, s, SURVKIT_CUMINC_N_RISK),
        .n_event = survkit_cuminc_values(fit, g, s, SURVKIT_CUMINC_N_EVENT),
        .n_censor = survkit_cuminc_values(fit, g, s, SURVKIT_CUMINC_N_CENSOR),
        .surv = survkit_cuminc_values(fit, g, s, SURVKIT_CUMINC_PSTATE),
        .lower = survkit_cuminc_values(fit, g, s, SURVKIT_CUMINC_LOWER),
        .upper = survkit_cuminc_values(fit, g, s, SURVKIT_CUMINC_UPPER),
        .median = NAN,
    };
}

/* The panel's title: the label, after "<title>: " when a title is given. */
static bool set_title(plot_figure *fig, const char *title, const char *label)
{
    char buf[512];
    if (title) snprintf(buf, sizeof buf, "%s: %s", title, label);
    else snprintf(buf, sizeof buf, "%s", label);
    return plot_set_text(&fig->title, buf);
}

/* Panel for state s: one curve per group. */
static survkit_status cause_panel(const survkit_cuminc *fit, size_t s, const plot_km_options *km,
                                  plot_km_curve *curves, plot_figure **out, survkit_error *err)
{
    const size_t n_groups = survkit_cuminc_n_groups(fit);
    for (size_t g = 0; g < n_groups; g++)
        curves[g] = state_curve(fit, g, s, survkit_cuminc_group_label(fit, g));
    return plot_km_figure_build(curves, n_groups, km, out, err);
}

/* Panel for group g: the states stacked; sums[n_states * n_times] is scratch for the edges. */
static survkit_status stacked_panel(const survkit_cuminc *fit, size_t g, const plot_km_options *km,
                                    plot_km_curve *curves, double *sums, const double *zeros,
                                    plot_figure **out, survkit_error *err)
{
    const size_t n_states = survkit_cuminc_n_states(fit), n = survkit_cuminc_n_times(fit, g);
    for (size_t s = 1; s <= n_states; s++) {
        const double *p = survkit_cuminc_values(fit, g, s, SURVKIT_CUMINC_PSTATE);
        double *sum = sums + (s - 1) * n;
        const double *below = s > 1 ? sums + (s - 2) * n : zeros;
        for (size_t i = 0; i < n; i++) sum[i] = s > 1 ? below[i] + p[i] : p[i];
        curves[s - 1] = state_curve(fit, g, s, survkit_cuminc_state_label(fit, s));
        curves[s - 1].surv = sum;
        curves[s - 1].lower = below;
        curves[s - 1].upper = sum;
    }
    survkit_status status = plot_km_figure_build(curves, n_states, km, out, err);
    if (status != SURVKIT_OK || !km->risk_table) return status;
    const char *label = survkit_cuminc_group_label(fit, g);
    if (!plot_risk_table_set_rows(&(*out)->risk, 1, &label))
        return plot_error(err, SURVKIT_ERR_NOMEM, "plot: out of memory");
    return SURVKIT_OK;
}

survkit_status plot_cuminc_page_build(const survkit_cuminc *fit, const plot_cuminc_options *opt,
                                      plot_page **out, survkit_error *err)
{
    *out = NULL;
    plot_km_options km = opt->km;
    km.fun = PLOT_KM_STATE;
    km.medians = false;
    km.title = NULL;
    if (opt->stacked) {
        if (km.ci != PLOT_KM_CI_AUTO)
            return plot_error(err, SURVKIT_ERR_ARGUMENT,
                              "plot: a stacked picture has no confidence bands");
        km.ci = PLOT_KM_CI_ON; /* the bands are the states' areas */
        km.censor_ticks = false;
    }
    const size_t n_states = survkit_cuminc_n_states(fit), n_groups = survkit_cuminc_n_groups(fit);
    const size_t n_panels = opt->stacked ? n_groups : n_states;
    size_t longest = 0;
    for (size_t g = 0; g < n_groups; g++)
        if (survkit_cuminc_n_times(fit, g) > longest) longest = survkit_cuminc_n_times(fit, g);
    size_t columns = (size_t)ceil(sqrt((double)n_panels));
    plot_page *page = plot_page_create(n_panels, columns);
    plot_km_curve *curves = calloc(n_states + n_groups + 1, sizeof *curves);
    double *sums = opt->stacked ? calloc(n_states * longest + 1, sizeof *sums) : NULL;
    double *zeros = opt->stacked ? calloc(longest + 1, sizeof *zeros) : NULL;
    survkit_status status = SURVKIT_OK;
    if (!page || !curves || (opt->stacked && (!sums || !zeros))) {
        status = plot_error(err, SURVKIT_ERR_NOMEM, "plot: out of memory");
        goto done;
    }
    if (opt->stacked && !(km.x_max > 0)) /* the groups' panels share one x axis */
        for (size_t g = 0; g < n_groups; g++) {
            const size_t n = survkit_cuminc_n_times(fit, g);
            const double *t = survkit_cuminc_values(fit, g, 0, SURVKIT_CUMINC_TIME);
            if (n > 0 && t[n - 1] > km.x_max) km.x_max = t[n - 1];
        }
    page->width = opt->km.width;
    page->height = opt->km.height;
    for (size_t k = 0; k < n_panels && status == SURVKIT_OK; k++) {
        plot_figure **fig = &page->figures[k];
        status = opt->stacked ? stacked_panel(fit, k, &km, curves, sums, zeros, fig, err)
                              : cause_panel(fit, k + 1, &km, curves, fig, err);
        const char *label = opt->stacked ? survkit_cuminc_group_label(fit, k)
                                         : survkit_cuminc_state_label(fit, k + 1);
        if (status == SURVKIT_OK && !set_title(*fig, opt->km.title, label))
            status = plot_error(err, SURVKIT_ERR_NOMEM, "plot: out of memory");
    }
done:
    free(curves), free(sums), free(zeros);
    if (status != SURVKIT_OK) plot_page_free(page);
    else *out = page;
    return status;
}
