/*
 * render.h: drawing a plot_figure (or a page of them) through cairo, one code path for PNG, SVG
 * and PDF. The format
 * comes from the file name's extension; the file appears complete or not at all (report/outfile.h:
 * a temporary file renamed into place; devices, FIFOs and /dev/fd/N written directly). Text uses the "sans-serif" family through fontconfig
 * (DejaVu Sans on Debian, where fontconfig-config depends on a font package), so no display is
 * needed. Colours: the Okabe-Ito palette, safe for colour-blind readers.
 */
#ifndef SURVKIT_PLOT_RENDER_H
#define SURVKIT_PLOT_RENDER_H

#include "figure.h"

#include <survkit/survkit.h>

#include <stdint.h>
#include <stdio.h>

typedef enum plot_format { PLOT_FORMAT_NONE, PLOT_FORMAT_PNG, PLOT_FORMAT_SVG, PLOT_FORMAT_PDF } plot_format;

/* The format named by a path's extension (.png, .svg, .pdf, any case); NONE otherwise. */
plot_format plot_format_from_path(const char *path);

/* Default size when the figure's width or height is 0: 800 x 600 pixels for PNG, 576 x 432 points
 * (8 x 6 inches) for PDF and SVG. */
void plot_default_size(plot_format format, double *width, double *height);

/* Largest width or height accepted, in pixels or points. */
#define PLOT_MAX_SIZE 20000.0
#define PLOT_MIN_SIZE 50.0

/* The checks every --plot command makes of its file name (a known extension) and of
 * --plot-width/--plot-height (0 = default, else within [PLOT_MIN_SIZE, PLOT_MAX_SIZE]):
 * SURVKIT_ERR_ARGUMENT with a message naming the option. */
survkit_status plot_check_file_and_size(const char *path, double width, double height,
                                        survkit_error *err);

/* Palette colour k (wraps around) as 0xRRGGBB. */
uint32_t plot_palette(int k);

/*
 * Draw `fig` into `path`. Inputs: a figure from a builder; the path's extension picks the format;
 * the size is fig->width x fig->height (pixels for PNG, points for PDF and SVG; 0 = default).
 * Errors: SURVKIT_ERR_ARGUMENT (unknown extension, size out of [PLOT_MIN_SIZE, PLOT_MAX_SIZE]),
 * SURVKIT_ERR_IO (cannot write; no file is left behind), SURVKIT_ERR_NOMEM.
 */
survkit_status plot_render_file(const plot_figure *fig, const char *path, survkit_error *err);
/* The same into the caller's open stream (NULL: as plot_render_file); path names the format. */
survkit_status plot_render_file_to(const plot_figure *fig, const char *path, FILE *stream,
                                   survkit_error *err);

/* The same for a page of figures (figure.h); its size is page->width x page->height, by default
 * (0) that of plot_page_default_size. */
survkit_status plot_render_page(const plot_page *page, const char *path, survkit_error *err);

/* The same into a stream the caller opened (and will commit or abort); `path` only names the
 * format. stream NULL: as plot_render_page. */
survkit_status plot_render_page_to(const plot_page *page, const char *path, FILE *stream,
                                   survkit_error *err);

/* A page's size: its own, else the format's default for one figure, and for a grid of c columns
 * and r rows 0.625 c times the default width by 0.625 r times the default height (cells of
 * 500 x 375 pixels for PNG). */
void plot_page_default_size(const plot_page *page, plot_format format, double *width,
                            double *height);

#endif /* SURVKIT_PLOT_RENDER_H */
