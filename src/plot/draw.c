/*
 * draw.c: one drawing path for every output format. A figure, top to bottom: title, legend (one
 * swatch and label per group, wrapped into rows), the panel (reference lines, shaded bands, scatter
 * points, median guides, curves, dashed band lines, censoring ticks, inside a box as R's plot draws it), the x
 * tick labels and axis label, and the number-at-risk table whose counts sit under the x ticks, one
 * row per group in the group's colour. The left margin fits the y tick labels, the rotated y
 * label and the risk-table labels. Sizes scale with the figure: s = min(width / 640,
 * height / 480), so an 800 x 600 PNG uses 1.25. A page of several figures gives each its cell of
 * the grid and draws it there the same way.
 */
#include "draw.h"
#include "render.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct page {
    cairo_t *cr;
    const plot_figure *fig;
    double s;                  /* scale factor */
    double left, top, pw, ph;  /* the panel */
} page;

enum { TEXT_BUF = 48 };

static void set_rgb(cairo_t *cr, uint32_t rgb, double alpha)
{
    cairo_set_source_rgba(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                          (rgb & 0xff) / 255.0, alpha);
}

static void set_font(cairo_t *cr, double size, bool bold)
{
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

static double text_width(cairo_t *cr, const char *text)
{
    cairo_text_extents_t te;
    cairo_text_extents(cr, text, &te);
    return te.x_advance;
}

static double font_height(cairo_t *cr)
{
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    return fe.ascent + fe.descent;
}

/* Text anchored at (x, y): halign 0 left, 0.5 centre, 1 right; valign 0 top, 0.5 middle, 1 bottom
 * of the font's ascent-to-descent box. */
static void text_at(cairo_t *cr, double x, double y, const char *text, double halign, double valign)
{
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    cairo_move_to(cr, x - halign * text_width(cr, text),
                  y + fe.ascent - valign * (fe.ascent + fe.descent));
    cairo_show_text(cr, text);
}

/* Tick labels of one axis with a common number of decimals, as R's axis() prints 0.0 ... 1.0. */
static int tick_decimals(const plot_axis *axis)
{
    for (int d = 0; d < 6; d++) {
        bool exact = true;
        double scale = pow(10.0, d);
        for (size_t j = 0; j < axis->n_breaks && exact; j++) {
            double v = axis->breaks[j] * scale;
            exact = fabs(v - round(v)) < 1e-6 * fmax(1, fabs(v));
        }
        if (exact) return d;
    }
    return 6;
}

/* Tick j's text: the axis's own label, or the value with `decimals` decimals. */
static void format_tick(char *buf, const plot_axis *axis, size_t j, int decimals)
{
    if (axis->labels) {
        snprintf(buf, TEXT_BUF, "%s", axis->labels[j] ? axis->labels[j] : "");
        return;
    }
    double value = axis->breaks[j];
    if (fabs(value) < 1e-12) value = 0; /* no "-0.0" */
    snprintf(buf, TEXT_BUF, "%.*f", decimals, value);
}

/* A number at risk: whole counts as integers, weighted counts with one decimal. */
static void format_count(char *buf, double value)
{
    snprintf(buf, TEXT_BUF, fabs(value - round(value)) < 1e-9 ? "%.0f" : "%.1f", value);
}

static double map_x(const page *pg, double x)
{
    const plot_axis *a = &pg->fig->x;
    double u = a->log_scale ? (log10(x) - log10(a->lo)) / (log10(a->hi) - log10(a->lo))
                            : (x - a->lo) / (a->hi - a->lo);
    return pg->left + u * pg->pw;
}

static double map_y(const page *pg, double y)
{
    const plot_axis *a = &pg->fig->y;
    return pg->top + (a->hi - y) / (a->hi - a->lo) * pg->ph;
}

/*
 * A pen tracing step-shaped edges: each step goes horizontally to x at the current level, then
 * vertically to the new level. Steps less than a quarter of a device unit apart are merged into
 * one vertical move (the curves are monotone), so a curve with millions of distinct times costs a
 * path of about one segment per pixel column in every format.
 */
typedef struct pen {
    cairo_t *cr;
    double x, y, level;
} pen;

static pen pen_start(cairo_t *cr, double x, double y)
{
    cairo_move_to(cr, x, y);
    return (pen){cr, x, y, y};
}

static void pen_step(pen *p, double x, double level)
{
    if (fabs(x - p->x) > 0.25) {
        if (p->level != p->y) cairo_line_to(p->cr, p->x, p->level);
        p->y = p->level;
        cairo_line_to(p->cr, x, p->y);
        p->x = x;
    }
    p->level = level;
}

static void pen_finish(pen *p)
{
    if (p->level != p->y) cairo_line_to(p->cr, p->x, p->level);
}

/* Step curve: horizontal runs joined by vertical drops. */
static void path_steps(const page *pg, const plot_points *p)
{
    if (p->n == 0) return;
    pen pn = pen_start(pg->cr, map_x(pg, p->x[0]), map_y(pg, p->y[0]));
    for (size_t i = 1; i < p->n; i++) pen_step(&pn, map_x(pg, p->x[i]), map_y(pg, p->y[i]));
    pen_finish(&pn);
}

/* Straight lines through (x[i], y[i]), broken where a point is not finite (R's lines()). */
static void path_lines(const page *pg, const double *x, const double *y, size_t n)
{
    bool drawing = false;
    for (size_t i = 0; i < n; i++) {
        if (!(isfinite(x[i]) && isfinite(y[i])) || (pg->fig->x.log_scale && !(x[i] > 0))) {
            drawing = false;
            continue;
        }
        if (drawing) cairo_line_to(pg->cr, map_x(pg, x[i]), map_y(pg, y[i]));
        else cairo_move_to(pg->cr, map_x(pg, x[i]), map_y(pg, y[i]));
        drawing = true;
    }
}

/* A series' curve, joined as the series says. */
static void path_curve(const page *pg, const plot_series *ser)
{
    if (ser->join == PLOT_JOIN_LINES) path_lines(pg, ser->steps.x, ser->steps.y, ser->steps.n);
    else path_steps(pg, &ser->steps);
}

/* The band as filled step-shaped polygons, one per run of rows with finite limits; each run's last
 * level holds until the next row's time. Upper edge forward, lower edge back. */
static void fill_band(const page *pg, const plot_band *b)
{
    size_t a = 0;
    while (a < b->n) {
        if (!(isfinite(b->lo[a]) && isfinite(b->hi[a]))) {
            a++;
            continue;
        }
        size_t e = a; /* last row of the run */
        while (e + 1 < b->n && isfinite(b->lo[e + 1]) && isfinite(b->hi[e + 1])) e++;
        double x_end = e + 1 < b->n ? b->x[e + 1] : b->x[e];
        pen pn = pen_start(pg->cr, map_x(pg, b->x[a]), map_y(pg, b->hi[a]));
        for (size_t i = a + 1; i <= e; i++) pen_step(&pn, map_x(pg, b->x[i]), map_y(pg, b->hi[i]));
        pen_step(&pn, map_x(pg, x_end), map_y(pg, b->lo[e]));
        for (size_t i = e; i > a; i--) pen_step(&pn, map_x(pg, b->x[i]), map_y(pg, b->lo[i - 1]));
        pen_step(&pn, map_x(pg, b->x[a]), map_y(pg, b->lo[a]));
        pen_finish(&pn);
        cairo_close_path(pg->cr);
        cairo_fill(pg->cr);
        a = e + 1;
    }
}

static void draw_marks(const page *pg)
{
    cairo_t *cr = pg->cr;
    const plot_figure *fig = pg->fig;
    const double s = pg->s;
    cairo_save(cr);
    cairo_rectangle(cr, pg->left, pg->top, pg->pw, pg->ph);
    cairo_clip(cr);
    for (size_t k = 0; k < fig->n_series; k++) {
        if (fig->series[k].join != PLOT_JOIN_STEPS) continue;
        set_rgb(cr, plot_palette(fig->series[k].colour), 0.2);
        fill_band(pg, &fig->series[k].band);
    }
    const double dash[2] = {5 * s, 4 * s};
    cairo_set_line_width(cr, 1 * s); /* reference lines, under the points and curves */
    set_rgb(cr, 0x777777, 1);
    for (size_t k = 0; k < fig->n_reflines; k++) {
        const plot_refline *ref = &fig->reflines[k];
        cairo_set_dash(cr, dash, ref->dashed ? 2 : 0, 0);
        if (ref->vertical) {
            cairo_move_to(cr, map_x(pg, ref->at), pg->top);
            cairo_line_to(cr, map_x(pg, ref->at), pg->top + pg->ph);
        } else {
            cairo_move_to(cr, pg->left, map_y(pg, ref->at));
            cairo_line_to(cr, pg->left + pg->pw, map_y(pg, ref->at));
        }
        cairo_stroke(cr);
    }
    cairo_set_dash(cr, NULL, 0, 0);
    /* scatter points under the curves: open circles */
    cairo_set_line_width(cr, 0.9 * s);
    set_rgb(cr, 0x000000, 0.75);
    for (size_t k = 0; k < fig->n_series; k++) {
        if (fig->series[k].mark_style != PLOT_MARK_CIRCLE) continue;
        const plot_points *m = &fig->series[k].marks;
        for (size_t i = 0; i < m->n; i++) {
            if (!(isfinite(m->x[i]) && isfinite(m->y[i]))) continue;
            double x = map_x(pg, m->x[i]), y = map_y(pg, m->y[i]);
            cairo_new_sub_path(cr);
            cairo_arc(cr, x, y, 2.6 * s, 0, 8 * atan(1.0));
        }
        cairo_stroke(cr);
    }
    for (size_t k = 0; k < fig->n_series; k++) { /* dots in the series' colour */
        const plot_points *m = &fig->series[k].marks;
        if (fig->series[k].mark_style != PLOT_MARK_DOT) continue;
        set_rgb(cr, plot_palette(fig->series[k].colour), 1);
        for (size_t i = 0; i < m->n; i++) {
            if (!(isfinite(m->x[i]) && isfinite(m->y[i]))) continue;
            cairo_new_sub_path(cr);
            cairo_arc(cr, map_x(pg, m->x[i]), map_y(pg, m->y[i]), 3.5 * s, 0, 8 * atan(1.0));
        }
        cairo_fill(cr);
    }
    for (size_t k = 0; k < fig->n_series; k++) {
        const plot_series *ser = &fig->series[k];
        if (!ser->has_guide) continue;
        cairo_set_dash(cr, dash, 2, 0);
        cairo_set_line_width(cr, 1 * s);
        set_rgb(cr, 0x555555, 1);
        double gx = map_x(pg, ser->guide_x), gy = map_y(pg, ser->guide_y);
        cairo_move_to(cr, pg->left, gy);
        cairo_line_to(cr, gx, gy);
        cairo_line_to(cr, gx, pg->top + pg->ph);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    for (size_t k = 0; k < fig->n_series; k++) {
        const plot_series *ser = &fig->series[k];
        set_rgb(cr, plot_palette(ser->colour), 1);
        cairo_set_line_width(cr, 2 * s);
        path_curve(pg, ser);
        cairo_stroke(cr);
        if (ser->join == PLOT_JOIN_LINES && ser->band.n > 0) { /* the band's edges, dashed */
            cairo_set_line_width(cr, 1.2 * s);
            cairo_set_dash(cr, dash, 2, 0);
            path_lines(pg, ser->band.x, ser->band.hi, ser->band.n);
            path_lines(pg, ser->band.x, ser->band.lo, ser->band.n);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
        }
        cairo_set_line_width(cr, 1.2 * s);
        double last_x = -INFINITY, last_y = -INFINITY;
        for (size_t i = 0; i < ser->ticks.n; i++) { /* "+", R's pch = 3; no two on one spot */
            double x = map_x(pg, ser->ticks.x[i]), y = map_y(pg, ser->ticks.y[i]);
            if (fabs(x - last_x) < 0.5 && fabs(y - last_y) < 0.5) continue;
            last_x = x, last_y = y;
            cairo_move_to(cr, x, y - 4 * s);
            cairo_line_to(cr, x, y + 4 * s);
            cairo_move_to(cr, x - 4 * s, y);
            cairo_line_to(cr, x + 4 * s, y);
        }
        cairo_stroke(cr);
    }
    cairo_restore(cr);
}

static void draw_axes(const page *pg, double tick_len)
{
    cairo_t *cr = pg->cr;
    const plot_figure *fig = pg->fig;
    const double s = pg->s;
    char buf[TEXT_BUF];
    set_rgb(cr, 0x333333, 1);
    cairo_set_line_width(cr, 1 * s);
    cairo_rectangle(cr, pg->left, pg->top, pg->pw, pg->ph);
    double bottom = pg->top + pg->ph;
    for (size_t j = 0; j < fig->x.n_breaks; j++) {
        double x = map_x(pg, fig->x.breaks[j]);
        cairo_move_to(cr, x, bottom);
        cairo_line_to(cr, x, bottom + tick_len);
    }
    for (size_t j = 0; j < fig->y.n_breaks; j++) {
        double y = map_y(pg, fig->y.breaks[j]);
        cairo_move_to(cr, pg->left, y);
        cairo_line_to(cr, pg->left - tick_len, y);
    }
    cairo_stroke(cr);
    set_rgb(cr, 0x000000, 1);
    set_font(cr, 11 * s, false);
    int dx = tick_decimals(&fig->x), dy = tick_decimals(&fig->y);
    for (size_t j = 0; j < fig->x.n_breaks; j++) {
        format_tick(buf, &fig->x, j, dx);
        text_at(cr, map_x(pg, fig->x.breaks[j]), bottom + tick_len + 3 * s, buf, 0.5, 0);
    }
    for (size_t j = 0; j < fig->y.n_breaks; j++) {
        format_tick(buf, &fig->y, j, dy);
        text_at(cr, pg->left - tick_len - 4 * s, map_y(pg, fig->y.breaks[j]), buf, 1, 0.5);
    }
}

/* Width of the widest y tick label in the tick font. */
static double y_ticks_width(cairo_t *cr, const plot_figure *fig, double s)
{
    char buf[TEXT_BUF];
    set_font(cr, 11 * s, false);
    int dy = tick_decimals(&fig->y);
    double w = 0;
    for (size_t j = 0; j < fig->y.n_breaks; j++) {
        format_tick(buf, &fig->y, j, dy);
        w = fmax(w, text_width(cr, buf));
    }
    return w;
}

/* The risk table's rows: its own (n_rows > 0), else one per series. */
static size_t risk_rows(const plot_figure *fig)
{
    return fig->risk.n_rows > 0 ? fig->risk.n_rows : fig->n_series;
}

/* Row k's label and colour. */
static const char *risk_row_label(const plot_figure *fig, size_t k, uint32_t *rgb)
{
    const char *label = fig->risk.n_rows > 0 ? fig->risk.row_labels[k] : fig->series[k].label;
    *rgb = fig->risk.n_rows > 0 ? 0x000000 : plot_palette(fig->series[k].colour);
    return label ? label : "";
}

static double risk_labels_width(cairo_t *cr, const plot_figure *fig, double s)
{
    double w = 0;
    uint32_t rgb;
    set_font(cr, 11 * s, false);
    for (size_t k = 0; k < risk_rows(fig); k++)
        w = fmax(w, text_width(cr, risk_row_label(fig, k, &rgb)));
    set_font(cr, 11 * s, true);
    if (fig->risk.heading) w = fmax(w, text_width(cr, fig->risk.heading));
    return w;
}

/* Legend entries laid out in rows between x0 and x1 starting at y; draws when `draw`, and returns
 * the height used. */
static double legend(const page *pg, double x0, double x1, double y, bool draw)
{
    cairo_t *cr = pg->cr;
    const plot_figure *fig = pg->fig;
    const double s = pg->s, swatch = 22 * s, gap = 18 * s;
    set_font(cr, 12 * s, false);
    const double row_h = 1.5 * font_height(cr);
    double x = x0, rows = 1;
    for (size_t k = 0; k < fig->n_series; k++) {
        const char *label = fig->series[k].label ? fig->series[k].label : "";
        double w = swatch + 6 * s + text_width(cr, label);
        if (x > x0 && x + w > x1) {
            x = x0;
            rows++;
        }
        if (draw) {
            double cy = y + (rows - 0.5) * row_h;
            set_rgb(cr, plot_palette(fig->series[k].colour), 1);
            if (fig->series[k].mark_style == PLOT_MARK_DOT) {
                cairo_new_sub_path(cr);
                cairo_arc(cr, x + swatch / 2, cy, 3.5 * s, 0, 8 * atan(1.0));
                cairo_fill(cr);
            } else {
                cairo_set_line_width(cr, 2.5 * s);
                cairo_move_to(cr, x, cy);
                cairo_line_to(cr, x + swatch, cy);
                cairo_stroke(cr);
            }
            set_rgb(cr, 0x000000, 1);
            text_at(cr, x + swatch + 6 * s, cy, label, 0, 0.5);
        }
        x += w + gap;
    }
    return rows * row_h;
}

static void risk_table(const page *pg, double y)
{
    cairo_t *cr = pg->cr;
    const plot_figure *fig = pg->fig;
    const plot_risk_table *r = &fig->risk;
    const double s = pg->s;
    char buf[TEXT_BUF];
    set_font(cr, 11 * s, true);
    const double row_h = 1.45 * font_height(cr);
    set_rgb(cr, 0x000000, 1);
    if (r->heading) text_at(cr, pg->left - 8 * s, y, r->heading, 1, 0);
    set_font(cr, 11 * s, false);
    for (size_t k = 0; k < risk_rows(fig); k++) {
        double cy = y + (k + 1.5) * row_h;
        uint32_t rgb;
        const char *label = risk_row_label(fig, k, &rgb);
        set_rgb(cr, rgb, 1);
        text_at(cr, pg->left - 8 * s, cy, label, 1, 0.5);
        set_rgb(cr, 0x000000, 1);
        for (size_t j = 0; j < r->n_times; j++) {
            format_count(buf, r->counts[k * r->n_times + j]);
            text_at(cr, map_x(pg, r->times[j]), cy, buf, 0.5, 0.5);
        }
    }
}

void plot_draw_figure(cairo_t *cr, const plot_figure *fig, double width, double height,
                      plot_layout *panel)
{
    const double s = fmin(width / 640, height / 480);
    const double margin = 10 * s, tick_len = 5 * s;
    page pg = {.cr = cr, .fig = fig, .s = s};

    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);

    /* Horizontal: the left margin holds the y label, y tick labels and the risk-table labels. */
    set_font(cr, 12 * s, false);
    const double label_h = font_height(cr);
    const double y_axis_w = label_h + 8 * s + y_ticks_width(cr, fig, s) + 4 * s + tick_len;
    double left = margin + y_axis_w;
    const bool risk = fig->show_risk_table && fig->risk.n_times > 0;
    if (risk) left = fmax(left, margin + risk_labels_width(cr, fig, s) + 12 * s);
    double right = 24 * s;
    pg.left = left;
    pg.pw = fmax(width - left - right, 1);

    /* Vertical: title and legend above the panel; ticks, x label and risk table below. */
    double top = margin;
    if (fig->title) {
        set_font(cr, 15 * s, true);
        set_rgb(cr, 0x000000, 1);
        text_at(cr, left + pg.pw / 2, top, fig->title, 0.5, 0);
        top += font_height(cr) + 6 * s;
    }
    const double legend_top = top;
    if (fig->show_legend) top += legend(&pg, left, width - right, top, false) + 4 * s;
    set_font(cr, 11 * s, false);
    const double tick_h = font_height(cr);
    double below = tick_len + 3 * s + tick_h + 6 * s + label_h + margin;
    if (risk) {
        set_font(cr, 11 * s, true);
        below += 10 * s + 1.45 * font_height(cr) * ((double)risk_rows(fig) + 1);
    }
    pg.top = top + 6 * s;
    pg.ph = fmax(height - pg.top - below, 1);

    if (fig->show_legend) legend(&pg, left, width - right, legend_top, true);
    draw_marks(&pg);
    draw_axes(&pg, tick_len);

    /* Axis labels. */
    double y = pg.top + pg.ph + tick_len + 3 * s + tick_h + 6 * s;
    set_font(cr, 12 * s, false);
    set_rgb(cr, 0x000000, 1);
    if (fig->x.label) text_at(cr, pg.left + pg.pw / 2, y, fig->x.label, 0.5, 0);
    if (fig->y.label) {
        cairo_save(cr);
        cairo_translate(cr, pg.left - y_axis_w, pg.top + pg.ph / 2); /* beside the tick labels */
        cairo_rotate(cr, -2 * atan(1.0)); /* a quarter turn, anticlockwise */
        text_at(cr, 0, 0, fig->y.label, 0.5, 0);
        cairo_restore(cr);
    }
    if (risk) risk_table(&pg, y + label_h + 10 * s);
    cairo_restore(cr);
    if (panel) *panel = (plot_layout){pg.left, pg.top, pg.pw, pg.ph};
}

void plot_draw_page(cairo_t *cr, const plot_page *pg, double width, double height)
{
    const size_t cols = pg->columns ? pg->columns : 1;
    const size_t rows = (pg->n_figures + cols - 1) / cols;
    const double cw = width / (double)cols, ch = height / (double)(rows ? rows : 1);
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_restore(cr);
    for (size_t k = 0; k < pg->n_figures; k++) {
        if (!pg->figures[k]) continue;
        cairo_save(cr);
        cairo_translate(cr, (double)(k % cols) * cw, (double)(k / cols) * ch);
        cairo_rectangle(cr, 0, 0, cw, ch);
        cairo_clip(cr);
        plot_draw_figure(cr, pg->figures[k], cw, ch, NULL);
        cairo_restore(cr);
    }
}
