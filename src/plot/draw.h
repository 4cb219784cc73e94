/*
 * draw.h: drawing a plot_figure or a page of them onto any cairo context (image, SVG or PDF
 * surface alike): the layout (title, legend, panel, axes, number-at-risk table), the marks, and
 * the grid of a page. render.c owns surfaces.
 */
#ifndef SURVKIT_PLOT_DRAW_H
#define SURVKIT_PLOT_DRAW_H

#include "figure.h"

#include <cairo.h>

/* Where the panel lands on the page, in device units (pixels or points). */
typedef struct plot_layout {
    double left, top, width, height;
} plot_layout;

/* Draw `fig` on a width x height page; writes the panel rectangle to *panel when not NULL. */
void plot_draw_figure(cairo_t *cr, const plot_figure *fig, double width, double height,
                      plot_layout *panel);

/* Draw a page of figures on a width x height page: figure k in the cell (row k / columns,
 * column k % columns) of an equal grid, each drawn as plot_draw_figure draws it at the cell's size. */
void plot_draw_page(cairo_t *cr, const plot_page *page, double width, double height);

#endif /* SURVKIT_PLOT_DRAW_H */
