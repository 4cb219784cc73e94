/*
 * figure.h: a statistical figure as plain data, before any drawing: one panel with its axes, the
 * curves drawn in it (step curves or lines, confidence bands, censoring ticks, scatter points,
 * guide lines), a legend, a title and a number-at-risk table under the x axis; and a page of
 * several figures in a grid. Builders (km_figure.c, zph_figure.c) fill it from estimates; the
 * renderer (render.c) draws it; tests read it back. No cairo here.
 *
 * Coordinates are in data units. A step curve with points (x[i], y[i]) holds the value y[i] on
 * [x[i], x[i+1]) and ends at x[n-1]: it is drawn as horizontal runs joined by vertical drops, as
 * R's lines(type = "s"). A band holds [lo[i], hi[i]] on the same intervals; a non-finite bound
 * breaks the band there. A curve joined by lines goes straight from point to point (R's
 * lines()), and so do the two edges of its band, drawn dashed (R's lty = 2). On a log axis only
 * positive x is drawn.
 */
#ifndef SURVKIT_PLOT_FIGURE_H
#define SURVKIT_PLOT_FIGURE_H

#include <survkit/survkit.h>

#include <stdbool.h>
#include <stddef.h>

typedef struct plot_axis {
    double lo, hi;     /* the panel's range: the data range plus R's 4% margins */
    double *breaks;    /* tick positions, inside [lo, hi], increasing */
    size_t n_breaks;
    char *label;
    bool log_scale;    /* breaks and data stay in data units; the renderer takes logs */
    char **labels;     /* n_breaks tick texts, or NULL: the break values, printed as R does */
} plot_axis;

/* A list of points: a step curve (x, y), censoring ticks (x, y). */
typedef struct plot_points {
    size_t n;
    double *x, *y;
} plot_points;

typedef struct plot_band {
    size_t n;
    double *x, *lo, *hi;
} plot_band;

/* How a curve's points (and its band's) are joined. */
typedef enum plot_join {
    PLOT_JOIN_STEPS = 0, /* step function, band shaded (Kaplan-Meier) */
    PLOT_JOIN_LINES = 1  /* straight lines, band as two dashed lines (a smooth) */
} plot_join;

/* How a series' scatter points are drawn. */
typedef enum plot_mark_style {
    PLOT_MARK_CIRCLE = 0, /* open black circles (R's pch = 1), under the curves */
    PLOT_MARK_DOT = 1     /* filled dots in the series' colour (R's pch = 19), the legend's swatch
                             a dot too */
} plot_mark_style;

/* One group: its curve, band (n = 0 when not drawn), ticks, scatter points (marks, drawn as
 * mark_style says) and a median guide (x, y) drawn from the axes to the curve when `has_guide`.
 * `colour` indexes the palette (render.h). */
typedef struct plot_series {
    char *label;
    int colour;
    plot_join join;
    plot_mark_style mark_style;
    plot_points steps;  /* the curve */
    plot_band band;
    plot_points ticks;
    plot_points marks;
    bool has_guide;
    double guide_x, guide_y;
} plot_series;

/* Numbers at risk: counts[s * n_times + j] for series s at times[j] (the x breaks). With
 * n_rows > 0 the table has its own rows instead of one per series: row r labelled row_labels[r]
 * (in black), counts[r * n_times + j] (e.g. one group's row under its stacked states). */
typedef struct plot_risk_table {
    size_t n_times;
    double *times;
    double *counts;
    char *heading;
    size_t n_rows;
    char **row_labels;
} plot_risk_table;

/* A reference line across the panel: vertical at x = at, or horizontal at y = at; grey, solid or
 * dashed (R's abline(v = at, lty = 2)). */
typedef struct plot_refline {
    bool vertical;
    bool dashed;
    double at;
} plot_refline;

typedef struct plot_figure {
    double width, height; /* pixels for PNG, points (1/72 inch) for PDF and SVG; 0: by format */
    char *title;          /* NULL for none */
    plot_axis x, y;
    size_t n_reflines;
    plot_refline reflines[4];
    size_t n_series;
    plot_series *series;
    bool show_legend;
    bool show_risk_table;
    plot_risk_table risk;
} plot_figure;

/* Several figures on one page, in a grid of `columns` filled row by row (R's par(mfrow)). The
 * page size is width x height (0: by format and grid, see render.h); each figure's own size is
 * ignored there. The page owns its figures. */
typedef struct plot_page {
    double width, height;
    size_t n_figures, columns;
    plot_figure **figures;
} plot_page;

/* An empty figure of `n_series` zeroed series; NULL when out of memory. */
plot_figure *plot_figure_create(size_t n_series);
void plot_figure_free(plot_figure *fig);

/* A page of n_figures empty slots (NULL figures) in `columns` columns; NULL when out of memory. */
plot_page *plot_page_create(size_t n_figures, size_t columns);
void plot_page_free(plot_page *page);

/* Allocate the arrays of a point list, band or axis for n values (all zero); false on failure. */
bool plot_points_alloc(plot_points *p, size_t n);
bool plot_band_alloc(plot_band *b, size_t n);
bool plot_axis_alloc_breaks(plot_axis *a, size_t n);
/* Give the axis's n_breaks ticks these texts (copied); false when out of memory. */
bool plot_axis_set_labels(plot_axis *a, const char *const *labels);
bool plot_risk_table_alloc(plot_risk_table *r, size_t n_times, size_t n_series);
/* Give the table n_rows rows of its own with these labels (copied; n_rows at most the series the
 * counts were allocated for); false when out of memory. */
bool plot_risk_table_set_rows(plot_risk_table *r, size_t n_rows, const char *const *labels);

/* Fill `err` (when not NULL) with `status` and a printf-style message; returns `status`. */
survkit_status plot_error(survkit_error *err, survkit_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Copy a text into a figure field (NULL stays NULL); false when out of memory. */
bool plot_set_text(char **field, const char *text);

/*
 * Tick positions for a linear axis, kept inside the panel range [axis->lo, axis->hi]: R's
 * axis() ticks, i.e. pretty(c(lo, hi)) over the panel range with about five intervals (a unit of 1,
 * 2 or 5 times a power of ten, chosen with R's default bias), or the multiples of `step` when
 * step > 0. False when out of memory.
 */
bool plot_axis_linear_breaks(plot_axis *axis, double step);
/* Ticks for a log axis over a positive panel range: 1, 2 and 5 times powers of ten (only powers of
 * ten beyond three decades), as R's log axis; multiples of `step` when step > 0; linear ticks when
 * fewer than two would show. */
bool plot_axis_log_breaks(plot_axis *axis, double step);

#endif /* SURVKIT_PLOT_FIGURE_H */
