/*
 * km_figure.h: the figure of Kaplan-Meier curves (survival, cumulative incidence, cumulative hazard
 * or log(-log S) against log time), as R's plot(survfit(...), fun = ...) and survminer's
 * ggsurvplot(..., risk.table = TRUE) draw it, built as a plain plot_figure from per-group curves.
 * The estimators know nothing about this: the caller copies a fit's arrays into plot_km_curve.
 */
#ifndef SURVKIT_PLOT_KM_FIGURE_H
#define SURVKIT_PLOT_KM_FIGURE_H

#include "figure.h"

#include <survkit/survkit.h>

#include <stdbool.h>
#include <stddef.h>

/*
 * One group's curve, as survfit (and `survkit km --format json`) reports it: one row per distinct
 * time at which an event or a censoring happened, in increasing time. Arrays of length n (n may
 * be 0: an empty group still gets its legend entry and risk-table row of zeros). Not owned.
 *   time, n_risk, n_event, n_censor, surv: required when n > 0 (with PLOT_KM_STATE, surv is the
 *     state's probability and n_event the transitions into it).
 *   std_err: R's std.err (standard error of -log S); lower, upper: the confidence limits of S at
 *     conf_level. NULL when unknown (then no band is drawn for surv, event and cloglog).
 *   cumhaz, std_chaz: R's cumhaz (Nelson-Aalen) and std.chaz; NULL to use -log(surv) and
 *     std_err instead, as plot.survfit does for a fit without a cumhaz.
 *   median: the median survival time, NaN when not reached.
 */
typedef struct plot_km_curve {
    const char *label;
    size_t n;
    const double *time, *n_risk, *n_event, *n_censor, *surv;
    const double *std_err, *lower, *upper;
    const double *cumhaz, *std_chaz;
    double median;
} plot_km_curve;

typedef enum plot_km_fun {
    PLOT_KM_SURV,    /* S(t) */
    PLOT_KM_EVENT,   /* 1 - S(t), band [1 - upper, 1 - lower] */
    PLOT_KM_CUMHAZ,  /* cumhaz (or -log S), band cumhaz -/+ z se, lower cut at 0 (R: "plain") */
    PLOT_KM_CLOGLOG, /* log(-log S) against log t, band log(-log) of the limits */
    PLOT_KM_STATE    /* `surv` holds the probability of a state entered from the start (a
                        cumulative incidence: 0 at t = 0), drawn as is, band [lower, upper] */
} plot_km_fun;

typedef enum plot_km_ci { PLOT_KM_CI_AUTO, PLOT_KM_CI_ON, PLOT_KM_CI_OFF } plot_km_ci;

/* What the figure shows. Zero-initialised fields take the defaults noted. */
typedef struct plot_km_options {
    plot_km_fun fun;
    plot_km_ci ci;          /* AUTO: bands for a single curve only (R's plot.survfit default) */
    double conf_level;      /* of the cumhaz band; 0 = 0.95 */
    const char *title;      /* NULL: none */
    const char *xlab;       /* NULL: "Time" ("Time (log scale)" for cloglog) */
    const char *ylab;       /* NULL: by fun, e.g. "Survival probability" */
    double width, height;   /* 0: 800 x 600 pixels for PNG, 576 x 432 points for PDF and SVG */
    double x_break;         /* distance between x ticks (and risk-table times); 0: pretty ticks */
    double x_max;           /* the x axis ends here (R's xlim = c(0, x_max)), the curves cut at
                               the panel's edge; 0: at the last time */
    bool medians;           /* median guide lines (surv and event only) */
    bool risk_table;        /* the number-at-risk table under the x axis */
    bool censor_ticks;      /* "+" where observations were censored */
} plot_km_options;

/* The defaults: surv, auto bands, risk table and censor ticks on, no medians. */
void plot_km_options_init(plot_km_options *opt);

/*
 * Build the figure for `curves[n_curves]` (n_curves >= 1). Inputs: curves as above; opt.
 * Output: *out, a figure the caller frees with plot_figure_free. Each series has:
 *   steps: (0, f(1)) then (time[i], f(surv[i])), f the transform (cumhaz: (0, 0) then cumhaz[i]);
 *     points where f is not finite (log(-log 1), time 0 on a log axis) are left out.
 *   band: the same x with the transformed limits, when bands are on.
 *   ticks: (time[i], curve) where n_censor[i] > 0; with events at the same time the tick sits
 *     halfway up the drop, as plot.survfit(mark.time = TRUE) puts it.
 *   risk counts at the x ticks t: n_risk of the first row with time >= t (0 past the last row),
 *     i.e. summary(fit, times = ticks, extend = TRUE)$n.risk.
 * Errors: SURVKIT_ERR_ARGUMENT for inconsistent input, SURVKIT_ERR_NOMEM.
 */
survkit_status plot_km_figure_build(const plot_km_curve *curves, size_t n_curves,
                                    const plot_km_options *opt, plot_figure **out,
                                    survkit_error *err);

/* The number at risk at time t for one curve (the rule above). */
double plot_km_at_risk(const plot_km_curve *curve, double t);

#endif /* SURVKIT_PLOT_KM_FIGURE_H */
