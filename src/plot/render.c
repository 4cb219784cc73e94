/*
 * render.c: output files for figures. Each format is a cairo surface writing to a stream (image
 * surface then PNG encoder, SVG, PDF); draw.c draws on all of them the same way. The stream is the
 * caller's, or an all-or-nothing output file (report/outfile.h) put in place only when cairo
 * reports success.
 */
#include "render.h"
#include "draw.h"
#include "outfile.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
/* fontconfig keeps process-wide caches freed only by FcFini(), and cairo 1.16's font lookup leaves
 * a pattern in them: not survkit's memory. LeakSanitizer reads this hook in a sanitizer build, so
 * every program that draws (survkit, test_plot) runs clean. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
#endif

/* Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
 * deficiency. Ordered so the first colours contrast most on white; yellow last. */
static const uint32_t okabe_ito[] = {0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7,
                                     0xE69F00, 0x56B4E9, 0x000000, 0xF0E442};

survkit_status plot_check_file_and_size(const char *path, double width, double height,
                                        survkit_error *err)
{
    if (plot_format_from_path(path) == PLOT_FORMAT_NONE)
        return plot_error(err, SURVKIT_ERR_ARGUMENT,
                          "--plot '%s': the file name must end in .png, .svg or .pdf",
                          path ? path : "");
    const double sizes[2] = {width, height};
    for (int k = 0; k < 2; k++)
        if (sizes[k] != 0 && !(sizes[k] >= PLOT_MIN_SIZE && sizes[k] <= PLOT_MAX_SIZE))
            return plot_error(err, SURVKIT_ERR_ARGUMENT,
                              "--plot-width/--plot-height must be between %g and %g",
                              PLOT_MIN_SIZE, PLOT_MAX_SIZE);
    return SURVKIT_OK;
}

uint32_t plot_palette(int k)
{
    const int n = (int)(sizeof okabe_ito / sizeof okabe_ito[0]);
    return okabe_ito[((k % n) + n) % n];
}

plot_format plot_format_from_path(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot || strchr(dot, '/')) return PLOT_FORMAT_NONE;
    if (strcasecmp(dot, ".png") == 0) return PLOT_FORMAT_PNG;
    if (strcasecmp(dot, ".svg") == 0) return PLOT_FORMAT_SVG;
    if (strcasecmp(dot, ".pdf") == 0) return PLOT_FORMAT_PDF;
    return PLOT_FORMAT_NONE;
}

void plot_default_size(plot_format format, double *width, double *height)
{
    const bool png = format == PLOT_FORMAT_PNG;
    *width = png ? 800 : 576;
    *height = png ? 600 : 432;
}

static cairo_status_t write_stream(void *closure, const unsigned char *data, unsigned int length)
{
    return fwrite(data, 1, length, closure) == length ? CAIRO_STATUS_SUCCESS
                                                      : CAIRO_STATUS_WRITE_ERROR;
}

/* Draw the page on the format's surface, written to `out`; the cairo status at the end. */
static cairo_status_t draw_to_stream(const plot_page *page, plot_format format, double width,
                                     double height, FILE *out)
{
    cairo_surface_t *surface;
    if (format == PLOT_FORMAT_PNG)
        surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)width, (int)height);
    else if (format == PLOT_FORMAT_SVG)
        surface = cairo_svg_surface_create_for_stream(write_stream, out, width, height);
    else
        surface = cairo_pdf_surface_create_for_stream(write_stream, out, width, height);
    cairo_t *cr = cairo_create(surface);
    plot_draw_page(cr, page, width, height);
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    if (status == CAIRO_STATUS_SUCCESS && format == PLOT_FORMAT_PNG)
        status = cairo_surface_write_to_png_stream(surface, write_stream, out);
    cairo_surface_finish(surface);
    if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    return status;
}

void plot_page_default_size(const plot_page *page, plot_format format, double *width,
                            double *height)
{
    plot_default_size(format, width, height);
    const size_t cols = page->columns ? page->columns : 1;
    const size_t rows = (page->n_figures + cols - 1) / cols;
    if (page->n_figures > 1) {
        *width *= 0.625 * (double)cols;
        *height *= 0.625 * (double)rows;
    }
    if (page->width > 0) *width = page->width;
    if (page->height > 0) *height = page->height;
}

survkit_status plot_render_file(const plot_figure *fig, const char *path, survkit_error *err)
{
    return plot_render_file_to(fig, path, NULL, err);
}

survkit_status plot_render_file_to(const plot_figure *fig, const char *path, FILE *stream,
                                   survkit_error *err)
{
    plot_figure *one = (plot_figure *)fig; /* the page only reads it */
    const plot_page page = {fig->width, fig->height, 1, 1, &one};
    return plot_render_page_to(&page, path, stream, err);
}

survkit_status plot_render_page(const plot_page *page, const char *path, survkit_error *err)
{
    return plot_render_page_to(page, path, NULL, err);
}

survkit_status plot_render_page_to(const plot_page *page, const char *path, FILE *stream,
                                   survkit_error *err)
{
    const plot_format format = plot_format_from_path(path);
    if (format == PLOT_FORMAT_NONE)
        return plot_error(err, SURVKIT_ERR_ARGUMENT,
                          "plot: '%s' must end in .png, .svg or .pdf", path ? path : "");
    double width, height;
    plot_page_default_size(page, format, &width, &height);
    if (!(width >= PLOT_MIN_SIZE && width <= PLOT_MAX_SIZE && height >= PLOT_MIN_SIZE &&
          height <= PLOT_MAX_SIZE))
        return plot_error(err, SURVKIT_ERR_ARGUMENT,
                          "plot: size %g x %g is outside %g to %g", width, height, PLOT_MIN_SIZE,
                          PLOT_MAX_SIZE);
    if (format == PLOT_FORMAT_PNG) width = round(width), height = round(height);

    /* Without a caller's stream, the file is all or nothing here (outfile.h). */
    survkit_error e; /* the file's own message, prefixed below */
    report_outfile own;
    FILE *out = stream;
    if (out == NULL) {
        if (report_outfile_open(&own, path, &e) != SURVKIT_OK)
            return plot_error(err, e.status, "plot: %s", e.message);
        out = own.stream;
    }
    cairo_status_t status = draw_to_stream(page, format, width, height, out);
    if (status != CAIRO_STATUS_SUCCESS) {
        if (stream == NULL) report_outfile_abort(&own);
        return status == CAIRO_STATUS_NO_MEMORY
                   ? plot_error(err, SURVKIT_ERR_NOMEM, "plot: out of memory")
                   : plot_error(err, SURVKIT_ERR_IO, "plot: cannot write '%s': %s", path,
                                cairo_status_to_string(status));
    }
    if (stream == NULL && report_outfile_commit(&own, &e) != SURVKIT_OK)
        return plot_error(err, e.status, "plot: %s", e.message);
    return SURVKIT_OK;
}
