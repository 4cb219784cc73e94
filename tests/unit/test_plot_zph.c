/*
 * test_plot_zph.c: the figure of R's plot(cox.zph(fit)) (src/plot/zph_figure.c) against what R
 * draws, from tests/golden/zphplot/ (tests/golden/make_golden_zphplot.R repeats plot.cox.zph's
 * steps): per panel the x and y ranges (R's range() plus the 4% of xaxs = "r"), the x ticks and
 * labels R writes for the km and rank transforms, the points, the smooth and its band; a grid page
 * and one term; PNG, SVG and PDF files; and pixels: the smooth is drawn where its values say.
 * Set SURVKIT_PLOT_GALLERY=DIR to also write the example picture of docs/ (zph-lung.png) there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "golden.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag_fixture.h"
#include "plot/draw.h"
#include "plot/render.h"
#include "plot/zph_figure.h"

#define REL 1e-9

typedef struct zcase {
    diag_case c;
    survkit_zph *z;
} zcase;

static zcase load(const char *file)
{
    zcase k;
    diag_case_load_from("zphplot", file, &k.c);
    survkit_zph_transform tr;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_zph_transform_parse(golden_string(k.c.g, "transform", 0), &tr, &err),
                     SURVKIT_OK);
    k.z = NULL;
    if (survkit_cox_zph(k.c.model, &k.c.data, tr, &k.z, &err) != SURVKIT_OK)
        fail_msg("%s: %s", file, err.message);
    return k;
}

static void unload(zcase *k)
{
    survkit_zph_free(k->z);
    diag_case_free(&k->c);
}

static plot_page *page_of(const zcase *k, const char *term)
{
    plot_zph_options opt = {.term = term};
    plot_page *page = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (plot_zph_page_build(k->z, &opt, NULL, &page, &err) != SURVKIT_OK)
        fail_msg("page: %s", err.message);
    return page;
}

/* R's plot range: [lo, hi] of the data widened by 4% each side (in log10 on a log axis). */
static void assert_range(const plot_axis *a, const double *r, const char *what)
{
    double lo = r[0], hi = r[1];
    if (a->log_scale) lo = log10(lo), hi = log10(hi);
    double d = 0.04 * (hi - lo);
    double want_lo = a->log_scale ? pow(10.0, lo - d) : lo - d;
    double want_hi = a->log_scale ? pow(10.0, hi + d) : hi + d;
    assert_number_close(a->lo, want_lo, REL, 1e-13, what);
    assert_number_close(a->hi, want_hi, REL, 1e-13, what);
}

static void check_figures(const char *file)
{
    zcase k = load(file);
    plot_page *page = page_of(&k, NULL);
    const size_t nt = golden_length(k.c.g, "terms"), ne = survkit_zph_n_events(k.z);
    const bool log_x = strcmp(golden_string(k.c.g, "transform", 0), "log") == 0;
    assert_int_equal(page->n_figures, nt);
    assert_int_equal(page->columns, nt > 1 ? 2 : 1);
    for (size_t t = 0; t < nt; t++) {
        const plot_figure *fig = page->figures[t];
        const plot_series *s = &fig->series[0];
        char key[32], what[128], ylab[128];
        snprintf(what, sizeof what, "%s term %zu", file, t + 1);
        snprintf(ylab, sizeof ylab, "Beta(t) for %s", golden_string(k.c.g, "terms", t));
        assert_string_equal(fig->y.label, ylab);
        assert_string_equal(fig->x.label, "Time");
        assert_true(fig->x.log_scale == log_x);
        snprintf(key, sizeof key, "xrange_%zu", t + 1);
        assert_range(&fig->x, golden_numbers(k.c.g, key), what);
        snprintf(key, sizeof key, "yrange_%zu", t + 1);
        assert_range(&fig->y, golden_numbers(k.c.g, key), what);
        /* the smooth and its band at R's grid (exp() of it on the log axis) */
        snprintf(key, sizeof key, "x_%zu", t + 1);
        const double *gx = golden_numbers(k.c.g, key);
        for (size_t i = 0; i < s->steps.n; i++)
            assert_number_close(s->steps.x[i], log_x ? exp(gx[i]) : gx[i], REL, 1e-13, what);
        snprintf(key, sizeof key, "yup_%zu", t + 1);
        assert_numbers_close(s->band.hi, golden_numbers(k.c.g, key), s->band.n, REL, 1e-12, what);
        /* one point per residual that is not NA */
        size_t kept = 0;
        for (size_t e = 0; e < ne; e++) kept += !isnan(survkit_zph_resid(k.z)[e + t * ne]);
        assert_int_equal(s->marks.n, kept);
        /* R's own x axis (km, rank): its tick positions and labels */
        if (!log_x && strcmp(golden_string(k.c.g, "transform", 0), "identity") != 0) {
            assert_int_equal(fig->x.n_breaks, golden_length(k.c.g, "axis_at"));
            assert_numbers_close(fig->x.breaks, golden_numbers(k.c.g, "axis_at"), fig->x.n_breaks,
                                 REL, 1e-13, what);
            assert_non_null(fig->x.labels);
            for (size_t j = 0; j < fig->x.n_breaks; j++)
                assert_string_equal(fig->x.labels[j], golden_string(k.c.g, "axis_labels", j));
        } else {
            assert_null(fig->x.labels);
            assert_true(fig->x.n_breaks >= 2);
        }
    }
    plot_page_free(page);
    unload(&k);
}

#define CASE(name)                                                                                \
    static void test_##name(void **state)                                                         \
    {                                                                                             \
        (void)state;                                                                              \
        check_figures(#name);                                                                     \
    }
CASE(lung_km)
CASE(lung_rank)
CASE(lung_identity)
CASE(lung_log)
CASE(veteran_factor_km)
CASE(heart_km)
CASE(lung_strata_na_km)

/* R's format() of the axis labels: 2 significant digits, fixed unless scientific is shorter. */
static void test_time_axis_labels(void **state)
{
    (void)state;
    double x[4] = {0, 1, 2, 3}, t[4] = {0.0012, 3.4, 120000, 150000};
    double at[8];
    char labels[8][32];
    plot_zph_time_axis(x, t, 4, at, labels);
    for (int k = 0; k < 8; k++) assert_true(isfinite(at[k]));
    /* seq(0, 3, length = 17)[2] = 0.1875 -> approx time 0.6382... -> signif 0.64 */
    assert_string_equal(labels[0], "0.64");
    /* [16] = 2.8125 -> 144375 -> 140000, printed fixed (6 wide, "1.4e+05" is 7) */
    assert_string_equal(labels[7], "140000");
    double t2[4] = {0, 1e5, 2e5, 3e5};
    plot_zph_time_axis(x, t2, 4, at, labels);
    /* [8] = 1.3125 -> 131250 -> 130000; [10] = 1.6875 -> 168750 -> 170000; [12] = 2.0625 ->
     * 206250 -> 210000; [14] = 2.4375 -> 243750 -> 240000 */
    assert_string_equal(labels[3], "130000");
    double t3[4] = {0, 1e5, 1e5 + 1, 1e5 + 2};
    plot_zph_time_axis(x, t3, 4, at, labels);
    assert_string_equal(labels[7], "1e+05"); /* R: format(1e5) */
}

/* One term by name; an unknown name lists the terms. */
static void test_term_choice(void **state)
{
    (void)state;
    zcase k = load("lung_km");
    plot_page *page = page_of(&k, "sex");
    assert_int_equal(page->n_figures, 1);
    assert_int_equal(page->columns, 1);
    assert_string_equal(page->figures[0]->y.label, "Beta(t) for sex");
    plot_page_free(page);
    plot_zph_options opt = {.term = "weight"};
    survkit_error err;
    survkit_error_clear(&err);
    page = NULL;
    assert_int_equal(plot_zph_page_build(k.z, &opt, NULL, &page, &err), SURVKIT_ERR_ARGUMENT);
    assert_null(page);
    assert_non_null(strstr(err.message, "'age', 'sex', 'ph.ecog'"));
    unload(&k);
}

static char *temp_path(const char *name)
{
    static char path[512];
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/survkit-zph-%ld-%s", dir && dir[0] ? dir : "/tmp",
             (long)getpid(), name);
    return path;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The grid page in the three formats: signatures, and the PNG's default size (2 x 2 cells of
 * 500 x 375 for three terms). */
static void test_files(void **state)
{
    (void)state;
    zcase k = load("lung_km");
    plot_page *page = page_of(&k, NULL);
    survkit_error err;
    survkit_error_clear(&err);
    size_t len;
    const char *png = temp_path("page.png");
    assert_int_equal(plot_render_page(page, png, &err), SURVKIT_OK);
    unsigned char *buf = test_read_file(png, &len);
    assert_true(len > 24 && memcmp(buf, "\x89PNG\r\n\x1a\n", 8) == 0);
    assert_int_equal(be32(buf + 16), 1000);
    assert_int_equal(be32(buf + 20), 750);
    free(buf);
    unlink(png);
    const char *svg = temp_path("page.svg");
    assert_int_equal(plot_render_page(page, svg, &err), SURVKIT_OK);
    buf = test_read_file(svg, &len);
    assert_true(len > 100 && strstr((char *)buf, "<svg") != NULL);
    free(buf);
    unlink(svg);
    const char *pdf = temp_path("page.pdf");
    page->width = 400, page->height = 300;
    assert_int_equal(plot_render_page(page, pdf, &err), SURVKIT_OK);
    buf = test_read_file(pdf, &len);
    assert_true(len > 100 && memcmp(buf, "%PDF-", 5) == 0);
    free(buf);
    unlink(pdf);
    assert_int_equal(plot_render_page(page, temp_path("page.gif"), &err), SURVKIT_ERR_ARGUMENT);
    plot_page_free(page);
    unload(&k);
}

static uint32_t pixel(cairo_surface_t *img, int x, int y)
{
    const unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    return ((const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride))[x] & 0xffffff;
}

static int colour_distance(uint32_t a, uint32_t b)
{
    int d = 0;
    for (int shift = 0; shift <= 16; shift += 8)
        d += abs((int)((a >> shift) & 0xff) - (int)((b >> shift) & 0xff));
    return d;
}

/* Pixels of colour within `radius` px of device point (x, y). */
static int count_near(cairo_surface_t *img, double x, double y, double radius, uint32_t colour,
                      int tolerance)
{
    int n = 0;
    for (int r = (int)floor(y - radius); r <= (int)ceil(y + radius); r++)
        for (int c = (int)floor(x - radius); c <= (int)ceil(x + radius); c++) {
            double dx = c + 0.5 - x, dy = r + 0.5 - y;
            if (dx * dx + dy * dy <= radius * radius &&
                colour_distance(pixel(img, c, r), colour) <= tolerance)
                n++;
        }
    return n;
}

/* The age panel of lung, drawn at 800 x 600: the smooth passes at its value in the middle of the
 * grid, not halfway to the band; the highest residual has its circle. */
static void test_pixels(void **state)
{
    (void)state;
    zcase k = load("lung_km");
    plot_page *page = page_of(&k, "age");
    const plot_figure *fig = page->figures[0];
    const plot_series *s = &fig->series[0];
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 800, 600);
    cairo_t *cr = cairo_create(img);
    plot_layout panel;
    plot_draw_figure(cr, fig, 800, 600, &panel);
    cairo_destroy(cr);
    cairo_surface_flush(img);
#define PX(v) (panel.left + ((v) - fig->x.lo) / (fig->x.hi - fig->x.lo) * panel.width)
#define PY(v) (panel.top + (fig->y.hi - (v)) / (fig->y.hi - fig->y.lo) * panel.height)
    const uint32_t blue = plot_palette(0);
    for (size_t i = 10; i <= 30; i += 10) {
        double x = PX(s->steps.x[i]), y = PY(s->steps.y[i]);
        if (count_near(img, x, y, 2, blue, 60) == 0)
            fail_msg("smooth not drawn at grid point %zu (%.1f, %.1f)", i, x, y);
        double half = PY(0.5 * (s->steps.y[i] + s->band.hi[i]));
        assert_true(fabs(half - y) > 6);
        assert_int_equal(count_near(img, x, half, 1.5, blue, 60), 0);
    }
    size_t top = 0;
    for (size_t i = 1; i < s->marks.n; i++)
        if (s->marks.y[i] > s->marks.y[top]) top = i;
    double cx = PX(s->marks.x[top]), cy = PY(s->marks.y[top]);
    /* dark pixels on the ring (radius 2.6 px at this size, s = 1.25: 3.25 px) */
    assert_true(count_near(img, cx, cy, 5, 0x000000, 300) > 4);
#undef PX
#undef PY
    cairo_surface_destroy(img);
    plot_page_free(page);
    unload(&k);
}

/* The example of docs/diagnostics.md, when SURVKIT_PLOT_GALLERY names a folder. */
static void test_gallery(void **state)
{
    (void)state;
    const char *dir = getenv("SURVKIT_PLOT_GALLERY");
    if (!dir || !dir[0]) return;
    zcase k = load("lung_km");
    plot_page *page = page_of(&k, NULL);
    char path[1024];
    snprintf(path, sizeof path, "%s/zph-lung.png", dir);
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(plot_render_page(page, path, &err), SURVKIT_OK);
    plot_page_free(page);
    unload(&k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lung_km),           cmocka_unit_test(test_lung_rank),
        cmocka_unit_test(test_lung_identity),     cmocka_unit_test(test_lung_log),
        cmocka_unit_test(test_veteran_factor_km), cmocka_unit_test(test_heart_km),
        cmocka_unit_test(test_lung_strata_na_km), cmocka_unit_test(test_time_axis_labels),
        cmocka_unit_test(test_term_choice),       cmocka_unit_test(test_files),
        cmocka_unit_test(test_pixels),            cmocka_unit_test(test_gallery),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
