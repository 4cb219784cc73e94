/*
 * km_figure.c: Kaplan-Meier curves as a plain figure (what R's plot.survfit and survminer's
 * ggsurvplot show), before any drawing.
 *
 * Per group, rows i = 0..n-1 at distinct times t_i with n_i at risk, d_i events, c_i censored,
 * S_i = S(t_i), its limits [L_i, U_i], H_i = cumhaz (Nelson-Aalen) with standard error se_i.
 * As survfit0() does before plot.survfit draws, every curve starts at t = 0 with S = 1, H = 0.
 * The curve drawn is f applied to each row, with its band (plot.survfit(fun = ...)):
 *
 *   surv     f = S                 band [L, U]
 *   event    f = 1 - S             band [1 - U, 1 - L]
 *   cumhaz   f = H                 band [max(H - z se, 0), H + z se]   (survfit_confint "plain",
 *            (H = -log S and se = std.err when no cumhaz is given)      z = qnorm(1 - (1-level)/2))
 *   cloglog  f = log(-log S)       band [log(-log U), log(-log L)], x on a log scale
 *   state    f = P, the curve given band [L, U]: a state's probability (cumulative incidence),
 *            which starts at P = 0 (survfit0's row at t = 0 for a state other than the start)
 *
 * Rows where f is not finite (log(-log 1) = -Inf, t = 0 on the log axis) are left out, as R's
 * dostep() drops them. A censoring tick sits at (t_i, f_i), or halfway between f_{i-1} and f_i when
 * events happen at t_i too (plot.survfit's drawmark). The number at risk at a risk-table time t is
 * n_j for the first row j with t_j >= t, 0 after the last row: summary(fit, times, extend = TRUE).
 * Axis ranges follow plot.survfit: x over [min(0, t), max t] (positive times on a log axis; up to
 * x_max instead when it is given, R's xlim), y over
 * [0, 1] for surv and event, else over the finite values drawn; then R's 4% margins (xaxs = "r").
 */
#include "km_figure.h"

#include <math.h>
#include <stdint.h>

void plot_km_options_init(plot_km_options *opt)
{
    *opt = (plot_km_options){.fun = PLOT_KM_SURV, .ci = PLOT_KM_CI_AUTO, .conf_level = 0.95,
                             .risk_table = true, .censor_ticks = true};
}

/* The standard normal quantile at p in (0.5, 1), by bisection on erfc: exact to double precision,
 * and called once per figure. */
static double normal_quantile_upper(double p)
{
    double lo = 0, hi = 40;
    for (int it = 0; it < 200 && hi - lo > 0; it++) {
        double mid = 0.5 * (lo + hi);
        if (0.5 * erfc(-mid / sqrt(2.0)) < p) lo = mid;
        else hi = mid;
    }
    return 0.5 * (lo + hi);
}

/* One point of a curve after the transform: x, y and the band [lo, hi] (NaN when unknown). */
typedef struct km_point {
    double x, y, lo, hi;
} km_point;

static double cloglog(double s)
{
    return log(-log(s));
}

/* Row i of curve c under opt->fun; i == SIZE_MAX is the starting point at t = 0. */
static km_point km_row(const plot_km_curve *c, size_t i, plot_km_fun fun, double z)
{
    const bool start = i == SIZE_MAX;
    const double s0 = fun == PLOT_KM_STATE ? 0 : 1; /* the curve's value at t = 0 */
    const double s = start ? s0 : c->surv[i];
    const double lower = start ? s0 : c->lower ? c->lower[i] : NAN;
    const double upper = start ? s0 : c->upper ? c->upper[i] : NAN;
    km_point p = {.x = start ? 0 : c->time[i]};
    switch (fun) {
    case PLOT_KM_SURV:
    case PLOT_KM_STATE:
        p.y = s, p.lo = lower, p.hi = upper;
        break;
    case PLOT_KM_EVENT:
        p.y = 1 - s, p.lo = 1 - upper, p.hi = 1 - lower;
        break;
    case PLOT_KM_CUMHAZ: {
        const double *se_of = c->cumhaz ? c->std_chaz : c->std_err;
        double h = start ? 0 : c->cumhaz ? c->cumhaz[i] : -log(s);
        double se = start ? 0 : se_of ? se_of[i] : NAN;
        p.y = h, p.lo = fmax(h - z * se, 0), p.hi = h + z * se;
        if (isnan(se)) p.lo = NAN;
        break;
    }
    case PLOT_KM_CLOGLOG:
        p.y = cloglog(s), p.lo = cloglog(upper), p.hi = cloglog(lower);
        break;
    }
    return p;
}

static bool km_has_band(const plot_km_curve *c, plot_km_fun fun)
{
    if (fun == PLOT_KM_CUMHAZ) return c->cumhaz ? c->std_chaz != NULL : c->std_err != NULL;
    return c->lower != NULL && c->upper != NULL;
}

double plot_km_at_risk(const plot_km_curve *curve, double t)
{
    size_t lo = 0, hi = curve->n; /* first row with time >= t, by bisection */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (curve->time[mid] < t) lo = mid + 1;
        else hi = mid;
    }
    return lo < curve->n ? curve->n_risk[lo] : 0;
}

static survkit_status check_curve(const plot_km_curve *c, size_t k, survkit_error *err)
{
    if (c->n == 0) return SURVKIT_OK;
    if (!c->time || !c->n_risk || !c->n_event || !c->n_censor || !c->surv)
        return plot_error(err, SURVKIT_ERR_ARGUMENT, "plot: curve %zu lacks time, counts or surv", k + 1);
    for (size_t i = 0; i < c->n; i++) {
        if (!isfinite(c->time[i]) || (i > 0 && !(c->time[i] > c->time[i - 1])))
            return plot_error(err, SURVKIT_ERR_ARGUMENT,
                              "plot: the times of curve %zu are not finite and increasing (row %zu)",
                              k + 1, i + 1);
    }
    return SURVKIT_OK;
}

/* Fill one series from one curve: steps, band, censoring ticks. */
static bool build_series(plot_series *series, const plot_km_curve *c, const plot_km_options *opt,
                         bool band_on, double z)
{
    const bool log_x = opt->fun == PLOT_KM_CLOGLOG;
    const size_t n_rows = c->n + 1; /* the starting point, then each row */
    size_t n_keep = 0, n_ticks = 0;
    for (size_t r = 0; r < n_rows; r++) {
        km_point p = km_row(c, r == 0 ? SIZE_MAX : r - 1, opt->fun, z);
        if (isfinite(p.y) && (!log_x || p.x > 0)) {
            n_keep++;
            if (r > 0 && c->n_censor[r - 1] > 0) n_ticks++;
        }
    }
    if (!opt->censor_ticks) n_ticks = 0;
    band_on = band_on && km_has_band(c, opt->fun);
    if (!plot_points_alloc(&series->steps, n_keep) || !plot_points_alloc(&series->ticks, n_ticks) ||
        !plot_band_alloc(&series->band, band_on ? n_keep : 0))
        return false;
    size_t j = 0, m = 0;
    double previous_y = NAN;
    for (size_t r = 0; r < n_rows; r++) {
        km_point p = km_row(c, r == 0 ? SIZE_MAX : r - 1, opt->fun, z);
        if (!(isfinite(p.y) && (!log_x || p.x > 0))) {
            previous_y = p.y;
            continue;
        }
        series->steps.x[j] = p.x;
        series->steps.y[j] = p.y;
        if (band_on) {
            series->band.x[j] = p.x;
            series->band.lo[j] = p.lo;
            series->band.hi[j] = p.hi;
        }
        j++;
        if (m < n_ticks && r > 0 && c->n_censor[r - 1] > 0) {
            bool with_events = c->n_event[r - 1] > 0 && isfinite(previous_y);
            series->ticks.x[m] = p.x;
            series->ticks.y[m] = with_events ? 0.5 * (p.y + previous_y) : p.y;
            m++;
        }
        previous_y = p.y;
    }
    return true;
}

static const char *default_ylab(plot_km_fun fun)
{
    switch (fun) {
    case PLOT_KM_EVENT:
    case PLOT_KM_STATE: return "Cumulative incidence";
    case PLOT_KM_CUMHAZ: return "Cumulative hazard";
    case PLOT_KM_CLOGLOG: return "log(-log(survival))";
    case PLOT_KM_SURV: break;
    }
    return "Survival probability";
}

/* The data ranges of both axes over every series (steps and bands), then R's 4% margins. */
static void set_ranges(plot_figure *fig, plot_km_fun fun, double x_max)
{
    const bool log_x = fun == PLOT_KM_CLOGLOG;
    const bool unit_y = fun == PLOT_KM_SURV || fun == PLOT_KM_EVENT || fun == PLOT_KM_STATE;
    double x_lo = INFINITY, x_hi = -INFINITY, y_lo = INFINITY, y_hi = -INFINITY;
    for (size_t s = 0; s < fig->n_series; s++) {
        const plot_series *ser = &fig->series[s];
        for (size_t i = 0; i < ser->steps.n; i++) {
            x_lo = fmin(x_lo, ser->steps.x[i]);
            x_hi = fmax(x_hi, ser->steps.x[i]);
            y_lo = fmin(y_lo, ser->steps.y[i]);
            y_hi = fmax(y_hi, ser->steps.y[i]);
        }
        for (size_t i = 0; i < ser->band.n; i++) {
            if (isfinite(ser->band.lo[i])) y_lo = fmin(y_lo, ser->band.lo[i]);
            if (isfinite(ser->band.hi[i])) y_hi = fmax(y_hi, ser->band.hi[i]);
        }
    }
    if (!log_x) x_lo = fmin(x_lo, 0);
    if (x_max > 0 && (!isfinite(x_lo) || x_max > x_lo)) x_hi = x_max;
    if (!(x_hi > x_lo)) { /* no rows, or one time: a unit-wide axis */
        if (!isfinite(x_lo)) x_lo = log_x ? 1 : 0;
        x_hi = log_x ? x_lo * 10 : x_lo + 1;
    }
    if (unit_y) y_lo = 0, y_hi = 1;
    if (fun == PLOT_KM_CUMHAZ) y_lo = fmin(y_lo, 0);
    if (!(y_hi > y_lo)) {
        if (!isfinite(y_lo)) y_lo = 0;
        y_hi = y_lo + 1;
    }
    if (log_x) {
        double a = log10(x_lo), b = log10(x_hi), d = 0.04 * (b - a);
        fig->x.lo = pow(10.0, a - d);
        fig->x.hi = pow(10.0, b + d);
    } else {
        double d = 0.04 * (x_hi - x_lo);
        fig->x.lo = x_lo - d;
        fig->x.hi = x_hi + d;
    }
    double d = 0.04 * (y_hi - y_lo);
    fig->y.lo = y_lo - d;
    fig->y.hi = y_hi + d;
    fig->x.log_scale = log_x;
}

survkit_status plot_km_figure_build(const plot_km_curve *curves, size_t n_curves,
                                    const plot_km_options *opt, plot_figure **out,
                                    survkit_error *err)
{
    *out = NULL;
    if (n_curves == 0 || !curves || !opt)
        return plot_error(err, SURVKIT_ERR_ARGUMENT, "plot: no curves to draw");
    for (size_t k = 0; k < n_curves; k++) {
        survkit_status status = check_curve(&curves[k], k, err);
        if (status != SURVKIT_OK) return status;
    }
    const double level = opt->conf_level > 0 && opt->conf_level < 1 ? opt->conf_level : 0.95;
    const double z = normal_quantile_upper(1 - (1 - level) / 2);
    const bool band_on = opt->ci == PLOT_KM_CI_ON || (opt->ci == PLOT_KM_CI_AUTO && n_curves == 1);

    plot_figure *fig = plot_figure_create(n_curves);
    if (!fig) return plot_error(err, SURVKIT_ERR_NOMEM, "plot: out of memory");
    bool ok = true;
    fig->width = opt->width;
    fig->height = opt->height;
    fig->show_legend = n_curves > 1;
    fig->show_risk_table = opt->risk_table;
    for (size_t k = 0; k < n_curves && ok; k++) {
        plot_series *series = &fig->series[k];
        series->colour = (int)k;
        ok = plot_set_text(&series->label, curves[k].label ? curves[k].label : "all") &&
             build_series(series, &curves[k], opt, band_on, z);
        bool median_shown = opt->fun == PLOT_KM_SURV || opt->fun == PLOT_KM_EVENT;
        if (opt->medians && median_shown && isfinite(curves[k].median)) {
            series->has_guide = true;
            series->guide_x = curves[k].median;
            series->guide_y = 0.5;
        }
    }
    if (ok) {
        set_ranges(fig, opt->fun, opt->x_max);
        const char *xlab = opt->xlab ? opt->xlab
                           : opt->fun == PLOT_KM_CLOGLOG ? "Time (log scale)" : "Time";
        ok = plot_set_text(&fig->title, opt->title) && plot_set_text(&fig->x.label, xlab) &&
             plot_set_text(&fig->y.label, opt->ylab ? opt->ylab : default_ylab(opt->fun)) &&
             (fig->x.log_scale ? plot_axis_log_breaks(&fig->x, opt->x_break)
                               : plot_axis_linear_breaks(&fig->x, opt->x_break)) &&
             plot_axis_linear_breaks(&fig->y, 0);
    }
    if (ok && opt->risk_table) {
        plot_risk_table *risk = &fig->risk;
        ok = plot_set_text(&risk->heading, "Number at risk") &&
             plot_risk_table_alloc(risk, fig->x.n_breaks, n_curves);
        for (size_t j = 0; ok && j < risk->n_times; j++) {
            risk->times[j] = fig->x.breaks[j];
            for (size_t k = 0; k < n_curves; k++)
                risk->counts[k * risk->n_times + j] = plot_km_at_risk(&curves[k], risk->times[j]);
        }
    }
    if (!ok) {
        plot_figure_free(fig);
        return plot_error(err, SURVKIT_ERR_NOMEM, "plot: out of memory");
    }
    *out = fig;
    return SURVKIT_OK;
}
