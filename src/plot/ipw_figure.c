/*
 * ipw_figure.c: the love plot and the mirrored propensity histograms of a weighting result as plain
 * figures (ipw_figure.h), and the page holding them.
 *
 * The histogram is R's hist.default with given breaks: breaks b_0..b_B = seq(lo, hi, length.out =
 * B + 1), i.e. b_j = lo + j (hi - lo) / B with b_B = hi exactly; widths h_j = b_j+1 - b_j; the
 * breaks are fuzzed by diddle = 1e-7 median(h) (B >= 5; min h for B = 3, 4; 1e-7 range(x) for
 * B <= 2), b_0 down and the others up, so x falls in bin j when fb_j < x <= fb_j+1 (the first bin
 * also takes x = fb_0), found by R's bisection (C_BinCount, right = TRUE); density_j =
 * count_j / (n h_j).
 */
#include "ipw_figure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DEFAULT_BINS = 30 };

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* R's median of h[n] (n >= 1), on a sorted copy. */
static double median_of(const double *h, size_t n, double *scratch)
{
    memcpy(scratch, h, n * sizeof *h);
    qsort(scratch, n, sizeof *scratch, cmp_double);
    return n % 2 ? scratch[n / 2] : 0.5 * (scratch[n / 2 - 1] + scratch[n / 2]);
}

void plot_histogram(const double *x, const bool *keep, size_t n, double lo, double hi,
                    size_t bins, double *breaks_out, double *density, double *counts_out)
{
    double *breaks = calloc(2 * (bins + 1) + bins, sizeof *breaks);
    if (!breaks) { /* scratch refused: no histogram */
        for (size_t j = 0; j < bins; j++) density[j] = 0;
        return;
    }
    double *fuzzy = breaks + bins + 1, *h = fuzzy + bins + 1;
    breaks[0] = lo;
    for (size_t j = 1; j < bins; j++) breaks[j] = lo + (double)j * ((hi - lo) / (double)bins);
    breaks[bins] = hi;
    for (size_t j = 0; j < bins; j++) h[j] = breaks[j + 1] - breaks[j];
    double x_lo = INFINITY, x_hi = -INFINITY, n_kept = 0;
    for (size_t i = 0; i < n; i++)
        if ((!keep || keep[i]) && isfinite(x[i])) {
            x_lo = fmin(x_lo, x[i]), x_hi = fmax(x_hi, x[i]);
            n_kept++;
        }
    double diddle;
    if (bins + 1 > 5) {
        diddle = 1e-7 * median_of(h, bins, fuzzy);
    } else if (bins + 1 <= 3) {
        diddle = 1e-7 * (n_kept > 0 ? x_hi - x_lo : 0);
    } else {
        double m = INFINITY;
        for (size_t j = 0; j < bins; j++)
            if (h[j] > 0) m = fmin(m, h[j]);
        diddle = 1e-7 * m;
    }
    for (size_t j = 0; j <= bins; j++) fuzzy[j] = breaks[j] + (j == 0 ? -diddle : diddle);
    for (size_t j = 0; j < bins; j++) density[j] = 0;
    for (size_t i = 0; i < n; i++) {
        if ((keep && !keep[i]) || !isfinite(x[i])) continue;
        size_t a = 0, b = bins;
        if (!(fuzzy[a] <= x[i] && x[i] < fuzzy[b])) continue;
        while (b - a >= 2) {
            size_t mid = (a + b) / 2;
            if (x[i] > fuzzy[mid]) a = mid;
            else b = mid;
        }
        density[a] += 1;
    }
    if (counts_out) memcpy(counts_out, density, bins * sizeof *density);
    for (size_t j = 0; j < bins; j++) density[j] = n_kept > 0 ? density[j] / (n_kept * h[j]) : 0;
    if (breaks_out) memcpy(breaks_out, breaks, (bins + 1) * sizeof *breaks);
    free(breaks);
}

/* The panel's title: `what`, after "<title>: " when a title is given. */
static bool set_title(plot_figure *fig, const char *title, const char *what)
{
    char buf[512];
    if (title) snprintf(buf, sizeof buf, "%s: %s", title, what);
    else snprintf(buf, sizeof buf, "%s", what);
    return plot_set_text(&fig->title, buf);
}

/* R's 4% margins around [lo, hi]. */
static void set_range(plot_axis *a, double lo, double hi)
{
    if (!(hi > lo)) hi = lo + 1;
    double d = 0.04 * (hi - lo);
    a->lo = lo - d;
    a->hi = hi + d;
}

survkit_status plot_ipw_love_build(const char *const *names, const double *smd_before,
                                   const double *smd_after, size_t q, double threshold,
                                   plot_figure **out, survkit_error *err)
{
    *out = NULL;
    if (q == 0)
        return plot_error(err, SURVKIT_ERR_ARGUMENT,
                          "--plot: the propensity model has no covariates, so no balance to draw");
    if (!(threshold > 0)) threshold = 0.1;
    plot_figure *fig = plot_figure_create(2);
    const char **labels = calloc(q, sizeof *labels);
    bool ok = fig && labels;
    double top = threshold;
    static const char *const series[2] = {"Unadjusted", "Adjusted"};
    for (int k = 0; ok && k < 2; k++) {
        plot_series *ser = &fig->series[k];
        const double *smd = k == 0 ? smd_before : smd_after;
        ser->colour = k;
        ser->mark_style = PLOT_MARK_DOT;
        ok = plot_set_text(&ser->label, series[k]) && plot_points_alloc(&ser->marks, q);
        for (size_t j = 0; ok && j < q; j++) {
            ser->marks.x[j] = fabs(smd[j]);
            ser->marks.y[j] = (double)(q - j);
            if (isfinite(ser->marks.x[j])) top = fmax(top, ser->marks.x[j]);
        }
    }
    if (ok) {
        fig->show_legend = true;
        set_range(&fig->x, 0, top);
        fig->y.lo = 0.5;
        fig->y.hi = (double)q + 0.5;
        fig->reflines[0] = (plot_refline){.vertical = true, .at = 0};
        fig->reflines[1] = (plot_refline){.vertical = true, .dashed = true, .at = threshold};
        fig->n_reflines = 2;
        for (size_t j = 0; j < q; j++) labels[j] = names[q - 1 - j]; /* tick j is at y = j + 1 */
        ok = plot_axis_linear_breaks(&fig->x, 0) && plot_axis_alloc_breaks(&fig->y, q) &&
             plot_set_text(&fig->x.label, "Absolute standardized mean difference");
        for (size_t j = 0; ok && j < q; j++) fig->y.breaks[j] = (double)(j + 1);
        ok = ok && plot_axis_set_labels(&fig->y, labels);
    }
    free(labels);
    if (!ok) {
        plot_figure_free(fig);
        return plot_error(err, SURVKIT_ERR_NOMEM, "plot: out of memory");
    }
    *out = fig;
    return SURVKIT_OK;
}

/* One group's histogram as a step outline with its band; sign +1 above the axis, -1 below. */
static bool histogram_series(plot_series *ser, const double *breaks, const double *density,
                             size_t bins, double sign)
{
    if (!plot_points_alloc(&ser->steps, bins + 2) || !plot_band_alloc(&ser->band, bins + 2))
        return false;
    for (size_t i = 0; i < bins + 2; i++) {
        double x = i == 0 ? breaks[0] : breaks[i - 1];
        double y = i == 0 || i == bins + 1 ? 0 : sign * density[i - 1];
        ser->steps.x[i] = ser->band.x[i] = x;
        ser->steps.y[i] = y;
        ser->band.lo[i] = fmin(y, 0);
        ser->band.hi[i] = fmax(y, 0);
    }
    return true;
}

survkit_status plot_ipw_ps_build(const double *ps, const double *treated, size_t n, size_t bins,
                                 plot_figure **out, survkit_error *err)
{
    *out = NULL;
    if (bins == 0) bins = DEFAULT_BINS;
    if (n == 0) return plot_error(err, SURVKIT_ERR_ARGUMENT, "plot: no propensity scores");
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (!(ps[i] >= 0 && ps[i] <= 1))
            return plot_error(err, SURVKIT_ERR_ARGUMENT,
                              "plot: propensity score %zu is not a probability", i + 1);
        lo = fmin(lo, ps[i]), hi = fmax(hi, ps[i]);
    }
    if (!(hi > lo))
        return plot_error(err, SURVKIT_ERR_ARGUMENT,
                          "--plot: every propensity score is %g, so no distribution to draw", lo);
    plot_figure *fig = plot_figure_create(2);
    bool *keep = malloc(n * sizeof *keep);
    double *breaks = malloc((bins + 1) * sizeof *breaks), *density = malloc(bins * sizeof *density);
    char **tick_text = NULL;
    bool ok = fig && keep && breaks && density;
    static const char *const series[2] = {"Treated (above)", "Control (below)"};
    double top = 0;
    for (int k = 0; ok && k < 2; k++) {
        for (size_t i = 0; i < n; i++) keep[i] = (treated[i] != 0) == (k == 0);
        plot_histogram(ps, keep, n, lo, hi, bins, breaks, density, NULL);
        for (size_t j = 0; j < bins; j++) top = fmax(top, density[j]);
        fig->series[k].colour = k;
        ok = plot_set_text(&fig->series[k].label, series[k]) &&
             histogram_series(&fig->series[k], breaks, density, bins, k == 0 ? 1 : -1);
    }
    if (ok) {
        fig->show_legend = true;
        set_range(&fig->x, lo, hi);
        set_range(&fig->y, -top, top);
        fig->reflines[0] = (plot_refline){.vertical = false, .at = 0};
        fig->n_reflines = 1;
        ok = plot_axis_linear_breaks(&fig->x, 0) && plot_axis_linear_breaks(&fig->y, 0) &&
             plot_set_text(&fig->x.label, "Propensity score") &&
             plot_set_text(&fig->y.label, "Density");
    }
    if (ok) { /* the mirrored half is labelled with positive densities */
        tick_text = calloc(fig->y.n_breaks + 1, sizeof *tick_text);
        ok = tick_text != NULL;
        for (size_t j = 0; ok && j < fig->y.n_breaks; j++) {
            char buf[32];
            snprintf(buf, sizeof buf, "%g", fabs(fig->y.breaks[j]));
            ok = plot_set_text(&tick_text[j], buf);
        }
        ok = ok && plot_axis_set_labels(&fig->y, (const char *const *)tick_text);
        for (size_t j = 0; tick_text && j < fig->y.n_breaks; j++) free(tick_text[j]);
    }
    free(tick_text), free(keep), free(breaks), free(density);
    if (!ok) {
        plot_figure_free(fig);
        return plot_error(err, SURVKIT_ERR_NOMEM, "plot: out of memory");
    }
    *out = fig;
    return SURVKIT_OK;
}

survkit_status plot_ipw_page_build(const survkit_ipw_result *r, const double *treated,
                                   const plot_ipw_options *opt, plot_page **out,
                                   survkit_error *err)
{
    *out = NULL;
    const bool love = opt->kind != PLOT_IPW_PS, ps = opt->kind != PLOT_IPW_LOVE;
    const size_t n_panels = (size_t)love + (size_t)ps, q = survkit_ipw_result_n_balance(r);
    plot_page *page = plot_page_create(n_panels, n_panels);
    const char **names = calloc(q + 1, sizeof *names);
    if (!page || !names) {
        plot_page_free(page);
        free(names);
        return plot_error(err, SURVKIT_ERR_NOMEM, "plot: out of memory");
    }
    page->width = opt->width;
    page->height = opt->height;
    for (size_t k = 0; k < q; k++) names[k] = survkit_ipw_result_balance_name(r, k);
    survkit_status status = SURVKIT_OK;
    size_t slot = 0;
    if (love) {
        status = plot_ipw_love_build(names, survkit_ipw_result_smd_before(r),
                                     survkit_ipw_result_smd_after(r), q, opt->threshold,
                                     &page->figures[slot], err);
        if (status == SURVKIT_OK && !set_title(page->figures[slot], opt->title, "Covariate balance"))
            status = plot_error(err, SURVKIT_ERR_NOMEM, "plot: out of memory");
        slot++;
    }
    if (ps && status == SURVKIT_OK) {
        status = plot_ipw_ps_build(survkit_ipw_result_ps(r), treated, survkit_ipw_result_n(r),
                                   opt->bins, &page->figures[slot], err);
        if (status == SURVKIT_OK &&
            !set_title(page->figures[slot], opt->title, "Propensity scores before weighting"))
            status = plot_error(err, SURVKIT_ERR_NOMEM, "plot: out of memory");
    }
    free(names);
    if (status != SURVKIT_OK) plot_page_free(page);
    else *out = page;
    return status;
}
