/*
 * zph_figure.c: R's plot(cox.zph(fit)) as plain figures, one per term (survival 3.5-3's
 * plot.cox.zph with resid = TRUE, se = TRUE, df = 4, nsmo = 40, hr = FALSE).
 *
 * For term i with transformed event times x_e, residuals y_e (NA where the covariate is constant
 * in the event's stratum) and the smooth yhat at the grid with its band yhat -/+ 2 sqrt(var seval)
 * (survkit_zph_smooth), the panel holds the points (x_e, y_e) that are not NA, the smooth (solid)
 * and the band (dashed). plot.cox.zph's ranges: x over range(x) for the identity transform and
 * over the x of the points drawn otherwise; y over range(yhat, y, yup, ylow); then R's 4% margins.
 * The log transform draws exp(x), the times, on a log axis. For km and rank R writes its own x
 * axis: 8 ticks at transformed positions labelled with rounded original times (time_axis below).
 */
#include "zph_figure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ the x axis of km and rank */

typedef struct pair {
    double key, value;
    size_t order;
} pair;

static int cmp_pair(const void *a, const void *b)
{
    const pair *p = a, *q = b;
    if (p->key != q->key) return (p->key > q->key) - (p->key < q->key);
    return (p->order > q->order) - (p->order < q->order);
}

/* R's approx(x, y, v) (linear, rule = 1: NA outside the range) over pairs sorted by key whose
 * keys are distinct. */
static double approx_at(const pair *p, size_t n, double v)
{
    if (n == 0 || !(v >= p[0].key && v <= p[n - 1].key)) return NAN;
    size_t i = 0, j = n - 1;
    while (j - i > 1) {
        size_t mid = (i + j) / 2;
        if (v < p[mid].key) j = mid;
        else i = mid;
    }
    if (v == p[j].key) return p[j].value;
    if (v == p[i].key) return p[i].value;
    return p[i].value + (p[j].value - p[i].value) * ((v - p[i].key) / (p[j].key - p[i].key));
}

/* Sort pairs by key and merge equal keys into one with the mean value (approx's ties = mean). */
static size_t sort_merge(pair *p, size_t n)
{
    qsort(p, n, sizeof *p, cmp_pair);
    size_t m = 0;
    for (size_t a = 0; a < n;) {
        size_t b = a;
        double sum = 0;
        while (b < n && p[b].key == p[a].key) sum += p[b++].value;
        p[m] = p[a];
        p[m++].value = sum / (double)(b - a);
        a = b;
    }
    return m;
}

/* R's signif(v, 2). */
static double signif2(double v)
{
    if (v == 0 || !isfinite(v)) return v;
    double e = 1 - floor(log10(fabs(v)));
    double scale = pow(10.0, fabs(e));
    return e >= 0 ? nearbyint(v * scale) / scale : nearbyint(v / scale) * scale;
}

/* R's format(v) for one number (7 significant digits at most): the fewest significant digits
 * that show it, fixed notation unless scientific is narrower, as formatReal decides. */
static void format_r(double v, char *buf, size_t size)
{
    if (!isfinite(v)) {
        snprintf(buf, size, "NA");
        return;
    }
    if (v == 0) {
        snprintf(buf, size, "0");
        return;
    }
    int sig = 1;
    for (; sig < 7; sig++) {
        char t[64];
        snprintf(t, sizeof t, "%.*e", sig - 1, v);
        if (fabs(strtod(t, NULL) - v) <= 5e-8 * fabs(v)) break;
    }
    char sci[32];
    snprintf(sci, sizeof sci, "%.*e", sig - 1, v);
    int e10 = atoi(strchr(sci, 'e') + 1);
    int decimals = sig - 1 - e10 > 0 ? sig - 1 - e10 : 0;
    size_t fixed_width = (v < 0) + (size_t)(e10 >= 0 ? e10 + 1 : 1) + (decimals ? (size_t)decimals + 1 : 0);
    if (fixed_width <= strlen(sci)) snprintf(buf, size, "%.*f", decimals, v);
    else snprintf(buf, size, "%s", sci);
}

void plot_zph_time_axis(const double *x, const double *time, size_t n, double at[8],
                        char labels[8][32])
{
    for (int k = 0; k < 8; k++) at[k] = NAN, snprintf(labels[k], 32, "NA");
    pair *fwd = calloc(n ? n : 1, sizeof *fwd), *back = calloc(n ? n : 1, sizeof *back);
    if (!fwd || !back || n == 0) {
        free(fwd), free(back);
        return;
    }
    /* !duplicated(xx): the first row of each distinct transformed time */
    for (size_t e = 0; e < n; e++) fwd[e] = (pair){x[e], time[e], e};
    qsort(fwd, n, sizeof *fwd, cmp_pair);
    size_t m = 0;
    for (size_t e = 0; e < n; e++)
        if (m == 0 || fwd[e].key != fwd[m - 1].key) fwd[m++] = fwd[e];
    for (size_t e = 0; e < m; e++) back[e] = (pair){fwd[e].value, fwd[e].key, e};
    size_t mb = sort_merge(back, m);
    const double lo = fwd[0].key, hi = fwd[m - 1].key, by = (hi - lo) / 16;
    for (int k = 0; k < 8; k++) {
        double v = lo + (double)(2 * k + 1) * by; /* seq(min, max, length = 17)[2 * (1:8)] */
        double t = signif2(approx_at(fwd, m, v));
        at[k] = approx_at(back, mb, t);
        format_r(t, labels[k], 32);
    }
    free(fwd), free(back);
}

/* ------------------------------------------------------------------ one panel */

static survkit_status nomem(survkit_error *err)
{
    return plot_error(err, SURVKIT_ERR_NOMEM, "plot: out of memory");
}

/* The range of the finite values of a[n] into [*lo, *hi]. */
static void extend(const double *a, size_t n, double *lo, double *hi)
{
    for (size_t i = 0; i < n; i++)
        if (isfinite(a[i])) *lo = fmin(*lo, a[i]), *hi = fmax(*hi, a[i]);
}

/* R's xaxs = "r": 4% of the range on each side (of log10 on a log axis); a zero range gets +/- 1
 * (or a decade). */
static void set_range(plot_axis *a, double lo, double hi)
{
    if (a->log_scale) lo = log10(lo), hi = log10(hi);
    if (!(hi > lo)) lo -= 1, hi += 1;
    double d = 0.04 * (hi - lo);
    a->lo = a->log_scale ? pow(10.0, lo - d) : lo - d;
    a->hi = a->log_scale ? pow(10.0, hi + d) : hi + d;
}

static survkit_status build_panel(const survkit_zph *z, size_t t, size_t df, size_t nsmo,
                                  plot_figure **out, survkit_error *err)
{
    const size_t ne = survkit_zph_n_events(z);
    const survkit_zph_transform tr = survkit_zph_transform_used(z);
    const double *x = survkit_zph_x(z), *y = survkit_zph_resid(z) + t * ne;
    plot_figure *fig = plot_figure_create(1);
    if (!fig) return nomem(err);
    plot_series *ser = &fig->series[0];
    ser->join = PLOT_JOIN_LINES;
    size_t kept = 0;
    for (size_t e = 0; e < ne; e++) kept += !isnan(y[e]);
    if (!plot_points_alloc(&ser->steps, nsmo) || !plot_band_alloc(&ser->band, nsmo) ||
        !plot_points_alloc(&ser->marks, kept)) {
        plot_figure_free(fig);
        return nomem(err);
    }
    survkit_status status = survkit_zph_smooth(z, t, df, nsmo, ser->steps.x, ser->steps.y,
                                               ser->band.lo, ser->band.hi, err);
    if (status != SURVKIT_OK) {
        plot_figure_free(fig);
        return status;
    }
    const bool log_x = tr == SURVKIT_ZPH_LOG;
    for (size_t k = 0; k < nsmo; k++) {
        if (log_x) ser->steps.x[k] = exp(ser->steps.x[k]);
        ser->band.x[k] = ser->steps.x[k];
    }
    for (size_t e = 0, i = 0; e < ne; e++) {
        if (isnan(y[e])) continue;
        ser->marks.x[i] = log_x ? exp(x[e]) : x[e];
        ser->marks.y[i++] = y[e];
    }
    /* ranges */
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    if (tr == SURVKIT_ZPH_IDENTITY) extend(x, ne, &xlo, &xhi);
    else extend(ser->marks.x, kept, &xlo, &xhi);
    extend(ser->steps.y, nsmo, &ylo, &yhi);
    extend(ser->band.lo, nsmo, &ylo, &yhi);
    extend(ser->band.hi, nsmo, &ylo, &yhi);
    extend(ser->marks.y, kept, &ylo, &yhi);
    fig->x.log_scale = log_x;
    set_range(&fig->x, xlo, xhi);
    set_range(&fig->y, ylo, yhi);
    char ylab[512];
    snprintf(ylab, sizeof ylab, "Beta(t) for %s", survkit_zph_row_name(z, t));
    bool ok = plot_set_text(&ser->label, survkit_zph_row_name(z, t)) &&
              plot_set_text(&fig->x.label, "Time") && plot_set_text(&fig->y.label, ylab) &&
              plot_axis_linear_breaks(&fig->y, 0);
    if (ok && tr == SURVKIT_ZPH_IDENTITY) ok = plot_axis_linear_breaks(&fig->x, 0);
    else if (ok && log_x) ok = plot_axis_log_breaks(&fig->x, 0);
    else if (ok) { /* R's own axis: the ticks inside the panel */
        double at[8];
        char labels[8][32];
        const char *keep[8];
        plot_zph_time_axis(x, survkit_zph_time(z), ne, at, labels);
        size_t n = 0;
        for (int k = 0; k < 8; k++)
            if (at[k] >= fig->x.lo && at[k] <= fig->x.hi) at[n] = at[k], keep[n++] = labels[k];
        ok = plot_axis_alloc_breaks(&fig->x, n);
        if (ok) memcpy(fig->x.breaks, at, n * sizeof at[0]);
        ok = ok && plot_axis_set_labels(&fig->x, keep);
    }
    if (!ok) {
        plot_figure_free(fig);
        return nomem(err);
    }
    *out = fig;
    return SURVKIT_OK;
}

/* ------------------------------------------------------------------ the page */

survkit_status plot_zph_page_build(const survkit_zph *z, const plot_zph_options *opt,
                                   bool *skipped, plot_page **out, survkit_error *err)
{
    *out = NULL;
    const size_t nt = survkit_zph_n_rows(z) - 1;
    const size_t df = opt->df ? opt->df : 4, nsmo = opt->nsmo ? opt->nsmo : 40;
    size_t first = 0, count = nt;
    if (opt->term) {
        while (first < nt && strcmp(survkit_zph_row_name(z, first), opt->term) != 0) first++;
        if (first == nt) {
            char list[512] = "";
            for (size_t t = 0; t < nt; t++) {
                size_t used = strlen(list);
                snprintf(list + used, sizeof list - used, "%s'%s'", t ? ", " : "",
                         survkit_zph_row_name(z, t));
            }
            return plot_error(err, SURVKIT_ERR_ARGUMENT, "--plot-term '%s': the terms are %s",
                              opt->term, list);
        }
        count = 1;
    }
    for (size_t t = 0; skipped && t < nt; t++) skipped[t] = false;
    plot_figure **figs = calloc(count ? count : 1, sizeof *figs);
    if (!figs) return nomem(err);
    size_t n = 0;
    survkit_status status = SURVKIT_OK;
    for (size_t t = first; t < first + count && status == SURVKIT_OK; t++) {
        status = build_panel(z, t, df, nsmo, &figs[n], err);
        if (status == SURVKIT_OK) n++;
        else if (status == SURVKIT_ERR_NUMERIC) { /* R: "spline fit is singular", skipped */
            if (skipped) skipped[t] = true;
            status = SURVKIT_OK;
        }
    }
    if (status == SURVKIT_OK && n == 0)
        status = plot_error(err, SURVKIT_ERR_NUMERIC,
                            "plot: no term could be drawn (every spline fit is singular)");
    size_t cols = 1;
    while (cols * cols < n) cols++;
    plot_page *page = status == SURVKIT_OK ? plot_page_create(n, cols) : NULL;
    if (status == SURVKIT_OK && !page) status = nomem(err);
    for (size_t k = 0; k < n; k++) {
        if (page) page->figures[k] = figs[k];
        else plot_figure_free(figs[k]);
    }
    free(figs);
    if (status != SURVKIT_OK) return status;
    page->width = opt->width;
    page->height = opt->height;
    *out = page;
    return SURVKIT_OK;
}
