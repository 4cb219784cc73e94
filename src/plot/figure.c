/* figure.c: allocating and freeing the plain figure description, and choosing axis ticks. */
#include "figure.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* calloc(count, size) that never returns NULL for count 0 and refuses overflowing sizes. */
static void *zalloc(size_t count, size_t size)
{
    if (count == 0) count = 1;
    if (size != 0 && count > SIZE_MAX / size) return NULL;
    return calloc(count, size);
}

plot_figure *plot_figure_create(size_t n_series)
{
    plot_figure *fig = calloc(1, sizeof *fig);
    if (!fig) return NULL;
    fig->series = zalloc(n_series, sizeof *fig->series);
    if (!fig->series) {
        free(fig);
        return NULL;
    }
    fig->n_series = n_series;
    return fig;
}

static void points_free(plot_points *p)
{
    free(p->x);
    free(p->y);
}

static void labels_free(plot_axis *a)
{
    for (size_t j = 0; a->labels && j < a->n_breaks; j++) free(a->labels[j]);
    free(a->labels);
    a->labels = NULL;
}

static void axis_free(plot_axis *a)
{
    labels_free(a);
    free(a->breaks);
    free(a->label);
}

void plot_figure_free(plot_figure *fig)
{
    if (!fig) return;
    for (size_t s = 0; s < fig->n_series; s++) {
        plot_series *series = &fig->series[s];
        free(series->label);
        points_free(&series->steps);
        points_free(&series->ticks);
        points_free(&series->marks);
        free(series->band.x);
        free(series->band.lo);
        free(series->band.hi);
    }
    free(fig->series);
    axis_free(&fig->x);
    axis_free(&fig->y);
    free(fig->title);
    free(fig->risk.times);
    free(fig->risk.counts);
    free(fig->risk.heading);
    for (size_t r = 0; fig->risk.row_labels && r < fig->risk.n_rows; r++)
        free(fig->risk.row_labels[r]);
    free(fig->risk.row_labels);
    free(fig);
}

bool plot_points_alloc(plot_points *p, size_t n)
{
    p->x = zalloc(n, sizeof *p->x);
    p->y = zalloc(n, sizeof *p->y);
    p->n = n;
    return p->x && p->y;
}

bool plot_band_alloc(plot_band *b, size_t n)
{
    b->x = zalloc(n, sizeof *b->x);
    b->lo = zalloc(n, sizeof *b->lo);
    b->hi = zalloc(n, sizeof *b->hi);
    b->n = n;
    return b->x && b->lo && b->hi;
}

plot_page *plot_page_create(size_t n_figures, size_t columns)
{
    plot_page *page = calloc(1, sizeof *page);
    if (!page) return NULL;
    page->figures = zalloc(n_figures, sizeof *page->figures);
    if (!page->figures) {
        free(page);
        return NULL;
    }
    page->n_figures = n_figures;
    page->columns = columns == 0 ? 1 : columns;
    return page;
}

void plot_page_free(plot_page *page)
{
    if (!page) return;
    for (size_t k = 0; k < page->n_figures; k++) plot_figure_free(page->figures[k]);
    free(page->figures);
    free(page);
}

bool plot_axis_alloc_breaks(plot_axis *a, size_t n)
{
    labels_free(a);
    free(a->breaks);
    a->breaks = zalloc(n, sizeof *a->breaks);
    a->n_breaks = a->breaks ? n : 0;
    return a->breaks != NULL;
}

bool plot_axis_set_labels(plot_axis *a, const char *const *labels)
{
    labels_free(a);
    a->labels = zalloc(a->n_breaks, sizeof *a->labels);
    if (!a->labels) return false;
    for (size_t j = 0; j < a->n_breaks; j++)
        if (!plot_set_text(&a->labels[j], labels[j] ? labels[j] : "")) return false;
    return true;
}

bool plot_risk_table_alloc(plot_risk_table *r, size_t n_times, size_t n_series)
{
    r->times = zalloc(n_times, sizeof *r->times);
    r->counts = (n_series != 0 && n_times > SIZE_MAX / n_series)
                    ? NULL
                    : zalloc(n_times * n_series, sizeof *r->counts);
    r->n_times = n_times;
    return r->times && r->counts;
}

bool plot_risk_table_set_rows(plot_risk_table *r, size_t n_rows, const char *const *labels)
{
    r->row_labels = zalloc(n_rows, sizeof *r->row_labels);
    if (!r->row_labels) return false;
    r->n_rows = n_rows;
    for (size_t k = 0; k < n_rows; k++)
        if (!plot_set_text(&r->row_labels[k], labels[k] ? labels[k] : "")) return false;
    return true;
}

bool plot_set_text(char **field, const char *text)
{
    free(*field);
    *field = NULL;
    if (!text) return true;
    size_t len = strlen(text);
    *field = malloc(len + 1);
    if (!*field) return false;
    memcpy(*field, text, len + 1);
    return true;
}

survkit_status plot_error(survkit_error *err, survkit_status status, const char *fmt, ...)
{
    if (!err) return status;
    survkit_error_clear(err);
    err->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

/* Keep the multiples k * unit, k in [first, last], that fall inside the panel range. */
static bool set_multiples(plot_axis *axis, double unit, double first, double last)
{
    const double slack = 1e-10 * unit;
    size_t n = 0;
    for (double k = first; k <= last; k++)
        if (k * unit >= axis->lo - slack && k * unit <= axis->hi + slack) n++;
    if (!plot_axis_alloc_breaks(axis, n)) return false;
    size_t j = 0;
    for (double k = first; k <= last && j < n; k++)
        if (k * unit >= axis->lo - slack && k * unit <= axis->hi + slack) axis->breaks[j++] = k * unit;
    return true;
}

/*
 * R's pretty() for n = 5 intervals and its default bias (high.u.bias h = 1.5, u5.bias
 * h5 = 0.5 + 1.5 h): the cell dx / 5 is rounded to a unit of 1, 2, 5 or 10 times the power of ten
 * below it, preferring the larger unit while (unit - cell) < bias * (cell - previous unit).
 */
static double pretty_unit(double lo, double hi)
{
    const double h = 1.5, h5 = 0.5 + 1.5 * h;
    double dx = hi - lo;
    double cell = fmax(fabs(lo), fabs(hi));
    if (dx == 0 || dx < cell * 3 * 5 * (1 + 1 / (1 + h)) * DBL_EPSILON) {
        /* a range of (nearly) one value: R's small-range rule */
        if (cell == 0) cell = 1;
        if (cell > 10) cell = 9 + cell / 10;
        cell *= 0.75;
    } else {
        cell = dx / 5;
    }
    double base = pow(10.0, floor(log10(cell)));
    double unit = base;
    if (2 * base - cell < h * (cell - unit)) {
        unit = 2 * base;
        if (5 * base - cell < h5 * (cell - unit)) {
            unit = 5 * base;
            if (10 * base - cell < h * (cell - unit)) unit = 10 * base;
        }
    }
    return unit;
}

bool plot_axis_linear_breaks(plot_axis *axis, double step)
{
    double unit = step > 0 ? step : pretty_unit(axis->lo, axis->hi);
    double first = ceil(axis->lo / unit - 1e-10), last = floor(axis->hi / unit + 1e-10);
    if (!(last - first < 1000)) { /* a tiny --plot-break on a long axis: fall back to pretty */
        unit = pretty_unit(axis->lo, axis->hi);
        first = ceil(axis->lo / unit - 1e-10);
        last = floor(axis->hi / unit + 1e-10);
    }
    return set_multiples(axis, unit, first, last);
}

bool plot_axis_log_breaks(plot_axis *axis, double step)
{
    if (step > 0) return plot_axis_linear_breaks(axis, step);
    if (!(axis->lo > 0) || !(axis->hi > axis->lo)) return plot_axis_linear_breaks(axis, 0);
    const double decades = log10(axis->hi / axis->lo);
    const double mantissas[3] = {1, 2, 5};
    const int n_mantissas = decades > 3 ? 1 : 3;
    const int k_lo = (int)floor(log10(axis->lo)), k_hi = (int)ceil(log10(axis->hi));
    size_t n = 0;
    double ticks[3 * 64];
    for (int k = k_lo; k <= k_hi && n + 3 <= sizeof ticks / sizeof ticks[0]; k++) {
        for (int m = 0; m < n_mantissas; m++) {
            double t = mantissas[m] * pow(10.0, k);
            if (t >= axis->lo * (1 - 1e-10) && t <= axis->hi * (1 + 1e-10)) ticks[n++] = t;
        }
    }
    if (n < 2) return plot_axis_linear_breaks(axis, 0);
    if (!plot_axis_alloc_breaks(axis, n)) return false;
    memcpy(axis->breaks, ticks, n * sizeof ticks[0]);
    return true;
}
