/*
 * draw.h: drawing a plot_figure onto any cairo context (image, SVG or PDF surface alike): the page
 * layout (title, legend, panel, axes, number-at-risk table) and the marks. render.c owns surfaces.
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

#endif /* SURVKIT_PLOT_DRAW_H */
