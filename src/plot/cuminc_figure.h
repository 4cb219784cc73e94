/*
 * cuminc_figure.h: the pictures of a competing-risks fit (survkit_cuminc), built from the
 * Kaplan-Meier figure of km_figure.h with PLOT_KM_STATE curves:
 *   by cause (default): one panel per state (event type), one step curve per group, the
 *     cumulative incidence as R's plot(survfit(Surv(t, factor(e)) ~ g)) draws each state, with
 *     its confidence band when bands are on and the number at risk of each group under the x axis;
 *   stacked: one panel per group, the states stacked as shaded areas: state s fills the band
 *     between P_1 + ... + P_{s-1} and P_1 + ... + P_s (the rest up to 1 is the event-free
 *     probability), the group's number at risk in one row under the x axis.
 */
#ifndef SURVKIT_PLOT_CUMINC_FIGURE_H
#define SURVKIT_PLOT_CUMINC_FIGURE_H

#include "km_figure.h"

#include <survkit/survkit.h>

#include <stdbool.h>

typedef struct plot_cuminc_options {
    plot_km_options km; /* title, labels, size, x_break, ci, risk_table, censor_ticks (fun and
                           medians are set here); width and height are the page's */
    bool stacked;
} plot_cuminc_options;

/* The defaults of km_figure.h, by cause. */
void plot_cuminc_options_init(plot_cuminc_options *opt);

/*
 * Build the page for `fit`: panels in a grid of ceil(sqrt(k)) columns for k panels, each titled
 * with its state (by cause) or group (stacked), after "<title>: " when opt->km.title is given.
 * Per cause, panel s has series g = group g with steps (0, 0), (time_i, pstate_i), band [lower,
 * upper], censoring ticks, and the risk table's row g = n_risk at the x ticks (the km rule).
 * Stacked, panel g has series s with steps at the stacked sum, band between the sums, no
 * censoring ticks, and one risk-table row labelled with the group; the panels share the x axis
 * (up to the last time of any group unless opt->km.x_max is given). Output: *out (plot_page_free).
 * Errors: SURVKIT_ERR_ARGUMENT (bands switched on or off for a stacked picture), SURVKIT_ERR_NOMEM.
 */
survkit_status plot_cuminc_page_build(const survkit_cuminc *fit, const plot_cuminc_options *opt,
                                      plot_page **out, survkit_error *err);

#endif /* SURVKIT_PLOT_CUMINC_FIGURE_H */
