/*
 * test_plot.c: Kaplan-Meier pictures. The curves come from the files in tests/golden/plot/, written by
 * tests/golden/make_golden_plot.R from R's survival 3.5-3:
 *   lung_all:  survfit(Surv(time, status) ~ 1, data = read.csv("datasets/lung.csv"))
 *   lung_sex:  survfit(Surv(time, status) ~ sex, data = lung)
 *   veteran_celltype: survfit(Surv(time, status) ~ celltype, data = veteran)
 *   aml_x:     survfit(Surv(time, status) ~ x, data = aml)
 * each with summary(fit, times = ..., extend = TRUE)$n.risk (the risk table) and the transforms
 * plot(fit, fun = "event" | "cumhaz" | "cloglog") draws.
 *
 * Set SURVKIT_PLOT_GALLERY=DIR to also write the example pictures (docs/) there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cairo.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "golden.h"
#include "plot/km_figure.h"
#include "plot/km_plot.h"
#include "plot/render.h"

/* The curves of one golden fit, as plot_km_curve views of the golden arrays. */
typedef struct fit {
    golden *g;
    size_t n;
    plot_km_curve curves[8];
} fit;

static const double *column(const golden *g, size_t k, const char *key, size_t *n)
{
    char name[64];
    snprintf(name, sizeof name, "s%zu_%s", k + 1, key);
    if (n) *n = golden_length(g, name);
    return golden_numbers(g, name);
}

static fit load_fit(const char *name)
{
    fit f = {.g = golden_load(name)};
    f.n = (size_t)golden_number(f.g, "n_strata");
    assert_true(f.n >= 1 && f.n <= 8);
    for (size_t k = 0; k < f.n; k++) {
        plot_km_curve *c = &f.curves[k];
        c->label = golden_string(f.g, "labels", k);
        c->time = column(f.g, k, "time", &c->n);
        c->n_risk = column(f.g, k, "n_risk", NULL);
        c->n_event = column(f.g, k, "n_event", NULL);
        c->n_censor = column(f.g, k, "n_censor", NULL);
        c->surv = column(f.g, k, "surv", NULL);
        c->std_err = column(f.g, k, "std_err", NULL);
        c->lower = column(f.g, k, "lower", NULL);
        c->upper = column(f.g, k, "upper", NULL);
        c->cumhaz = column(f.g, k, "cumhaz", NULL);
        c->std_chaz = column(f.g, k, "std_chaz", NULL);
        c->median = column(f.g, k, "median", NULL)[0];
    }
    return f;
}

static plot_figure *build(const fit *f, const plot_km_options *opt)
{
    plot_figure *fig = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    survkit_status status = plot_km_figure_build(f->curves, f->n, opt, &fig, &err);
    if (status != SURVKIT_OK) fail_msg("plot_km_figure_build: %s", err.message);
    return fig;
}

/* A fresh scratch directory per test program. */
static const char *scratch(void)
{
    static char dir[64];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/survkit-plot-XXXXXX");
        assert_non_null(mkdtemp(dir));
    }
    return dir;
}

/* Remove the scratch directory and what the tests wrote in it. */
static int remove_scratch(void **state)
{
    (void)state;
    const char *dir = scratch();
    DIR *d = opendir(dir);
    if (!d) return 0;
    char path[512];
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
    return 0;
}

static char *scratch_path(const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", scratch(), name);
    return path;
}

/* Does buf[len] (binary, NULs allowed) contain `text`? */
static bool contains(const unsigned char *buf, size_t len, const char *text)
{
    size_t m = strlen(text);
    for (size_t i = 0; i + m <= len; i++)
        if (memcmp(buf + i, text, m) == 0) return true;
    return false;
}

static void render_ok(const plot_figure *fig, const char *path)
{
    survkit_error err;
    survkit_error_clear(&err);
    if (plot_render_file(fig, path, &err) != SURVKIT_OK) fail_msg("render %s: %s", path, err.message);
}

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* ---- formats and sizes ---- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void test_formats_signatures_and_sizes(void **state)
{
    (void)state;
    fit f = load_fit("plot/lung_all.txt");
    plot_km_options opt;
    plot_km_options_init(&opt);
    plot_figure *fig = build(&f, &opt);
    size_t len;

    /* PNG: the default size, then a requested one (pixels) read from the IHDR chunk. */
    render_ok(fig, scratch_path("default.png"));
    unsigned char *png = test_read_file(scratch_path("default.png"), &len);
    assert_true(len > 24 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0 && memcmp(png + 12, "IHDR", 4) == 0);
    assert_int_equal(be32(png + 16), 800);
    assert_int_equal(be32(png + 20), 600);
    free(png);
    fig->width = 640;
    fig->height = 410;
    render_ok(fig, scratch_path("sized.PNG"));
    png = test_read_file(scratch_path("sized.PNG"), &len);
    assert_true(memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0);
    assert_int_equal(be32(png + 16), 640);
    assert_int_equal(be32(png + 20), 410);
    free(png);

    /* SVG and PDF: sizes in points. */
    fig->width = 500;
    fig->height = 300;
    render_ok(fig, scratch_path("sized.svg"));
    char *svg = (char *)test_read_file(scratch_path("sized.svg"), &len);
    assert_true(strncmp(svg, "<?xml", 5) == 0 || strncmp(svg, "<svg", 4) == 0);
    assert_non_null(strstr(svg, "<svg"));
    assert_non_null(strstr(svg, "width=\"500pt\" height=\"300pt\""));
    free(svg);
    render_ok(fig, scratch_path("sized.pdf"));
    unsigned char *pdf = test_read_file(scratch_path("sized.pdf"), &len);
    assert_true(len > 100 && memcmp(pdf, "%PDF-", 5) == 0);
    assert_true(contains(pdf, len, "/MediaBox [ 0 0 500 300 ]"));
    assert_true(contains(pdf + len - 8, 8, "%%EOF"));
    free(pdf);

    /* Anything else is refused and nothing is written; an unwritable place leaves nothing. */
    survkit_error err;
    assert_int_equal(plot_render_file(fig, scratch_path("x.jpg"), &err), SURVKIT_ERR_ARGUMENT);
    assert_false(file_exists(scratch_path("x.jpg")));
    assert_int_equal(plot_render_file(fig, scratch_path("no/such/dir/x.png"), &err), SURVKIT_ERR_IO);
    fig->width = 10;
    assert_int_equal(plot_render_file(fig, scratch_path("tiny.png"), &err), SURVKIT_ERR_ARGUMENT);
    assert_false(file_exists(scratch_path("tiny.png")));
    plot_figure_free(fig);
    golden_free(f.g);
}

/* ---- the description equals the estimates ---- */

static void test_steps_and_risk_table_equal_estimates(void **state)
{
    (void)state;
    fit f = load_fit("plot/lung_sex.txt");
    plot_km_options opt;
    plot_km_options_init(&opt);
    plot_figure *fig = build(&f, &opt);
    assert_int_equal(fig->n_series, 2);
    assert_true(fig->show_legend);
    const double *risk_times = golden_numbers(f.g, "risk_times");
    assert_int_equal(fig->risk.n_times, golden_length(f.g, "risk_times"));
    assert_numbers_close(fig->risk.times, risk_times, fig->risk.n_times, 1e-12, 0, "risk times");
    assert_numbers_close(fig->x.breaks, risk_times, fig->x.n_breaks, 1e-12, 0, "x ticks (pretty)");
    for (size_t k = 0; k < 2; k++) {
        const plot_km_curve *c = &f.curves[k];
        const plot_series *ser = &fig->series[k];
        assert_string_equal(ser->label, golden_string(f.g, "labels", k));
        assert_int_equal(ser->steps.n, c->n + 1);
        assert_true(ser->steps.x[0] == 0 && ser->steps.y[0] == 1); /* survfit0's start */
        assert_numbers_close(ser->steps.x + 1, c->time, c->n, 1e-12, 0, "step times");
        assert_numbers_close(ser->steps.y + 1, c->surv, c->n, 1e-12, 0, "step heights");
        assert_int_equal(ser->band.n, 0); /* two curves: no bands by default, as R */
        size_t n_censored = 0;
        for (size_t i = 0; i < c->n; i++) n_censored += c->n_censor[i] > 0;
        assert_int_equal(ser->ticks.n, n_censored);
        assert_false(ser->has_guide);
        size_t n_risk;
        const double *expected = column(f.g, k, "risk_n", &n_risk);
        assert_int_equal(n_risk, fig->risk.n_times);
        assert_numbers_close(fig->risk.counts + k * fig->risk.n_times, expected, n_risk, 0, 0,
                             "numbers at risk");
    }
    /* The first tick of sex=1 is at t = 174 (1 censored, no event): on the curve. */
    const plot_series *s1 = &fig->series[0];
    assert_true(s1->ticks.x[0] == 174);
    for (size_t i = 0; i < f.curves[0].n; i++)
        if (f.curves[0].time[i] == 174) assert_true(s1->ticks.y[0] == f.curves[0].surv[i]);
    plot_figure_free(fig);

    /* Bands on request equal R's limits; medians give guides at (median, 0.5). */
    opt.ci = PLOT_KM_CI_ON;
    opt.medians = true;
    fig = build(&f, &opt);
    for (size_t k = 0; k < 2; k++) {
        const plot_km_curve *c = &f.curves[k];
        const plot_series *ser = &fig->series[k];
        assert_int_equal(ser->band.n, c->n + 1);
        assert_numbers_close(ser->band.lo + 1, c->lower, c->n, 1e-12, 0, "band lower");
        assert_numbers_close(ser->band.hi + 1, c->upper, c->n, 1e-12, 0, "band upper");
        assert_true(ser->has_guide);
        assert_number_close(ser->guide_x, golden_number(f.g, k == 0 ? "s1_median" : "s2_median"),
                            1e-12, 0, "median");
        assert_true(ser->guide_y == 0.5);
    }
    plot_figure_free(fig);
    golden_free(f.g);
}

static void test_single_curve_band_and_at_risk_on_log_times(void **state)
{
    (void)state;
    fit f = load_fit("plot/lung_all.txt");
    plot_km_options opt;
    plot_km_options_init(&opt);
    plot_figure *fig = build(&f, &opt);
    assert_false(fig->show_legend);
    assert_int_equal(fig->series[0].band.n, f.curves[0].n + 1); /* one curve: band by default */
    assert_numbers_close(fig->risk.counts, golden_numbers(f.g, "s1_risk_n"), 6, 0, 0, "n.risk");
    assert_true(fig->x.lo < 0 && fig->x.hi > 1022 && fig->y.lo < 0 && fig->y.hi > 1);
    plot_figure_free(fig);
    golden_free(f.g);

    /* Times between, before and after the event times (aml). */
    f = load_fit("plot/aml_x.txt");
    const double *times = golden_numbers(f.g, "risk_times");
    size_t n_times = golden_length(f.g, "risk_times");
    for (size_t k = 0; k < f.n; k++) {
        double got[16];
        for (size_t j = 0; j < n_times; j++) got[j] = plot_km_at_risk(&f.curves[k], times[j]);
        assert_numbers_close(got, column(f.g, k, "risk_n", NULL), n_times, 0, 0, "aml n.risk");
    }
    golden_free(f.g);
}

/* x_max (--plot-xmax, R's xlim = c(0, x_max)): the axis ends there with R's 4% margin, and the
 * risk table counts at its ticks only; the curve keeps every row (the panel clips it). */
static void test_x_max_cuts_the_axis(void **state)
{
    (void)state;
    fit f = load_fit("plot/lung_all.txt");
    plot_km_options opt;
    plot_km_options_init(&opt);
    opt.x_max = 600;
    opt.x_break = 200;
    plot_figure *fig = build(&f, &opt);
    assert_number_close(fig->x.hi, 600 + 0.04 * 600, 1e-12, 0, "x.hi");
    assert_int_equal(fig->risk.n_times, 4);
    assert_numbers_close(fig->risk.counts, golden_numbers(f.g, "s1_risk_n"), 4, 0, 0, "n.risk");
    assert_int_equal(fig->series[0].steps.n, f.curves[0].n + 1);
    plot_figure_free(fig);
    golden_free(f.g);
}

static void test_transforms_like_plot_survfit(void **state)
{
    (void)state;
    fit f = load_fit("plot/lung_sex.txt");
    plot_km_options opt;
    plot_km_options_init(&opt);
    opt.ci = PLOT_KM_CI_ON;
    for (size_t k = 0; k < f.n; k++) {
        const plot_km_curve *c = &f.curves[k];
        opt.fun = PLOT_KM_EVENT;
        plot_figure *fig = build(&f, &opt);
        const plot_series *ser = &fig->series[k];
        assert_true(ser->steps.y[0] == 0);
        assert_numbers_close(ser->steps.y + 1, column(f.g, k, "event", NULL), c->n, 1e-12, 0, "1-S");
        assert_numbers_close(ser->band.lo + 1, column(f.g, k, "event_lower", NULL), c->n, 1e-12, 0,
                             "1-upper");
        assert_numbers_close(ser->band.hi + 1, column(f.g, k, "event_upper", NULL), c->n, 1e-12, 0,
                             "1-lower");
        assert_true(fig->y.lo < 0 && fig->y.hi > 1);
        plot_figure_free(fig);

        opt.fun = PLOT_KM_CUMHAZ;
        fig = build(&f, &opt);
        ser = &fig->series[k];
        assert_numbers_close(ser->steps.y + 1, c->cumhaz, c->n, 1e-12, 0, "cumhaz");
        assert_numbers_close(ser->band.lo + 1, column(f.g, k, "cumhaz_lower", NULL), c->n, 1e-9, 0,
                             "cumhaz lower (plain)");
        assert_numbers_close(ser->band.hi + 1, column(f.g, k, "cumhaz_upper", NULL), c->n, 1e-9, 0,
                             "cumhaz upper (plain)");
        plot_figure_free(fig);

        /* log(-log S) on a log time axis: the start (S = 1) is left out. */
        opt.fun = PLOT_KM_CLOGLOG;
        fig = build(&f, &opt);
        ser = &fig->series[k];
        const double *expected = column(f.g, k, "cloglog", NULL);
        size_t j = 0;
        for (size_t i = 0; i < c->n; i++) {
            if (!isfinite(expected[i])) continue;
            assert_true(j < ser->steps.n);
            assert_number_close(ser->steps.x[j], c->time[i], 1e-12, 0, "cloglog time");
            assert_number_close(ser->steps.y[j], expected[i], 1e-12, 0, "log(-log S)");
            j++;
        }
        assert_int_equal(j, ser->steps.n);
        assert_true(fig->x.log_scale && fig->x.lo > 0);
        plot_figure_free(fig);
    }
    golden_free(f.g);

    /* Without cumhaz, R's fallback: -log S, band -log S -/+ z std.err. */
    f = load_fit("plot/lung_all.txt");
    f.curves[0].cumhaz = NULL;
    opt.fun = PLOT_KM_CUMHAZ;
    plot_figure *fig = build(&f, &opt);
    const plot_km_curve *c = &f.curves[0];
    for (size_t i = 0; i < c->n; i++) {
        assert_number_close(fig->series[0].steps.y[i + 1], -log(c->surv[i]), 1e-12, 0, "-log S");
        assert_number_close(fig->series[0].band.hi[i + 1],
                            -log(c->surv[i]) + 1.959963984540054 * c->std_err[i], 1e-12, 0,
                            "-log S + z se");
    }
    plot_figure_free(fig);
    golden_free(f.g);
}

/* ---- pixels: the curve passes where the data says ---- */

typedef struct frame {
    double left, right, top, bottom;
} frame;

static double luminance(const uint32_t px)
{
    return 0.299 * ((px >> 16) & 0xff) + 0.587 * ((px >> 8) & 0xff) + 0.114 * (px & 0xff);
}

static uint32_t pixel(cairo_surface_t *img, int x, int y)
{
    const unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    return ((const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride))[x] & 0xffffff;
}

/* The panel box, found from the picture alone: the rows and columns holding long dark lines. */
static frame find_frame(cairo_surface_t *img)
{
    const int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    double sums[2] = {0, 0}, counts[2] = {0, 0};
    frame fr;
    for (int pass = 0; pass < 2; pass++) { /* 0: columns, 1: rows */
        const int n_lines = pass == 0 ? w : h, n_along = pass == 0 ? h : w;
        double first = -1, last = -1;
        sums[0] = sums[1] = counts[0] = counts[1] = 0;
        for (int a = 0; a < n_lines; a++) {
            int dark = 0;
            for (int b = 0; b < n_along; b++)
                dark += luminance(pass == 0 ? pixel(img, a, b) : pixel(img, b, a)) < 160;
            if (dark < 0.4 * n_along) continue;
            if (first < 0 || a <= first + 3) {
                if (first < 0) first = a;
                sums[0] += a, counts[0]++;
            } else {
                last = a;
                sums[1] += a, counts[1]++;
            }
        }
        assert_true(counts[0] > 0 && counts[1] > 0 && last > first);
        /* the line centres: mean of the dark columns, plus half a pixel (pixel a spans [a, a+1]) */
        double lo = sums[0] / counts[0] + 0.5, hi = sums[1] / counts[1] + 0.5;
        if (pass == 0) fr.left = lo, fr.right = hi;
        else fr.top = lo, fr.bottom = hi;
    }
    return fr;
}

static int colour_distance(uint32_t a, uint32_t b)
{
    int d = 0;
    for (int shift = 0; shift <= 16; shift += 8)
        d += abs((int)((a >> shift) & 0xff) - (int)((b >> shift) & 0xff));
    return d;
}

/* In the pixel column of time t, the curve colour is found within 2 px of height s and nowhere
 * further than 7 px from it (a censoring "+" reaches 5 px). */
static void assert_curve_at(cairo_surface_t *img, const frame *fr, const plot_figure *fig, double t,
                            double s, uint32_t colour)
{
    const int h = cairo_image_surface_get_height(img);
    double x = fr->left + (t - fig->x.lo) / (fig->x.hi - fig->x.lo) * (fr->right - fr->left);
    double y = fr->top + (fig->y.hi - s) / (fig->y.hi - fig->y.lo) * (fr->bottom - fr->top);
    int col = (int)floor(x), near = 0, far = 0;
    for (int row = 0; row < h; row++) {
        if (colour_distance(pixel(img, col, row), colour) > 60) continue;
        double centre = row + 0.5;
        if (fabs(centre - y) <= 2) near++;
        else if (fabs(centre - y) > 7) far++;
    }
    if (near == 0 || far != 0)
        fail_msg("curve at t = %g: expected at y = %.1f px (S = %g), %d pixels near, %d far", t, y,
                 s, near, far);
}

/* S(t) of a curve: the last row with time <= t. */
static double surv_at(const plot_km_curve *c, double t)
{
    double s = 1;
    for (size_t i = 0; i < c->n && c->time[i] <= t; i++) s = c->surv[i];
    return s;
}

/* The middle of the gap between the row at time t0 and the next row. */
static double after(const plot_km_curve *c, double t0)
{
    for (size_t i = 0; i + 1 < c->n; i++)
        if (c->time[i] == t0) return 0.5 * (c->time[i] + c->time[i + 1]);
    fail_msg("no row at time %g", t0);
    return NAN;
}

static void test_png_pixels_follow_the_lung_curve(void **state)
{
    (void)state;
    fit f = load_fit("plot/lung_all.txt");
    const plot_km_curve *c = &f.curves[0];
    assert_true(c->median == 310); /* R: median 310 */
    plot_km_options opt;
    plot_km_options_init(&opt);
    plot_figure *fig = build(&f, &opt);
    render_ok(fig, scratch_path("lung.png"));
    cairo_surface_t *img = cairo_image_surface_create_from_png(scratch_path("lung.png"));
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    cairo_surface_flush(img);
    frame fr = find_frame(img);
    const uint32_t colour = plot_palette(0);

    /* Just after the median the curve is at S(310) = 0.4950..., just below 0.5. */
    double t = after(c, 310);
    double s = surv_at(c, t);
    assert_true(s < 0.5 && s > 0.4);
    assert_curve_at(img, &fr, fig, t, s, colour);
    /* Earlier and later steps too. */
    assert_curve_at(img, &fr, fig, after(c, 107), surv_at(c, 107), colour);
    assert_curve_at(img, &fr, fig, after(c, 655), surv_at(c, 655), colour);
    /* A test that can fail: 0.1 higher is not where the curve is. */
    const int h = cairo_image_surface_get_height(img);
    double x = fr.left + (t - fig->x.lo) / (fig->x.hi - fig->x.lo) * (fr.right - fr.left);
    double y_wrong = fr.top + (fig->y.hi - (s + 0.1)) / (fig->y.hi - fig->y.lo) * (fr.bottom - fr.top);
    for (int row = (int)y_wrong - 2; row <= (int)y_wrong + 2 && row < h; row++)
        assert_true(colour_distance(pixel(img, (int)floor(x), row), colour) > 60);
    cairo_surface_destroy(img);
    plot_figure_free(fig);
    golden_free(f.g);
}

/* ---- degenerate input still draws ---- */

static void test_empty_group_and_single_observation(void **state)
{
    (void)state;
    const double t1[] = {5}, r1[] = {1}, e1[] = {1}, c1[] = {0}, s1[] = {0}, nan1[] = {NAN};
    const double cens_e[] = {0}, cens_c[] = {1}, cens_s[] = {1};
    const plot_km_curve curves[3] = {
        {.label = "group=empty", .n = 0, .median = NAN},
        {.label = "group=one death", .n = 1, .time = t1, .n_risk = r1, .n_event = e1,
         .n_censor = c1, .surv = s1, .std_err = nan1, .lower = nan1, .upper = nan1, .median = 5},
        {.label = "group=one censored", .n = 1, .time = t1, .n_risk = r1, .n_event = cens_e,
         .n_censor = cens_c, .surv = cens_s, .median = NAN},
    };
    const plot_km_fun funs[] = {PLOT_KM_SURV, PLOT_KM_EVENT, PLOT_KM_CUMHAZ, PLOT_KM_CLOGLOG};
    const char *exts[] = {"png", "svg", "pdf"};
    for (size_t first = 0; first < 3; first++) {
        for (size_t n_curves = 1; first + n_curves <= 3; n_curves++) {
            for (size_t k = 0; k < 4; k++) {
                plot_km_options opt;
                plot_km_options_init(&opt);
                opt.fun = funs[k];
                opt.medians = true;
                opt.ci = PLOT_KM_CI_ON;
                plot_figure *fig = NULL;
                survkit_error err;
                assert_int_equal(plot_km_figure_build(curves + first, n_curves, &opt, &fig, &err),
                                 SURVKIT_OK);
                assert_true(fig->x.hi > fig->x.lo && fig->y.hi > fig->y.lo);
                assert_true(fig->x.n_breaks >= 2 && fig->y.n_breaks >= 2);
                for (size_t j = 0; j < fig->risk.n_times; j++) /* risk rows: 1 at time 0, else 0 */
                    for (size_t s = 0; s < n_curves; s++) {
                        double expected = first + s == 0 || fig->risk.times[j] > 5 ? 0 : 1;
                        assert_true(fig->risk.counts[s * fig->risk.n_times + j] == expected);
                    }
                char name[64];
                snprintf(name, sizeof name, "degenerate-%zu-%zu-%zu.%s", first, n_curves, k,
                         exts[k % 3]);
                render_ok(fig, scratch_path(name));
                size_t len;
                free(test_read_file(scratch_path(name), &len));
                assert_true(len > 100);
                plot_figure_free(fig);
            }
        }
    }
    /* The single death: the step from 1 to 0 at t = 5. */
    plot_km_options opt;
    plot_km_options_init(&opt);
    plot_figure *fig = NULL;
    assert_int_equal(plot_km_figure_build(curves + 1, 1, &opt, &fig, NULL), SURVKIT_OK);
    assert_int_equal(fig->series[0].steps.n, 2);
    assert_true(fig->series[0].steps.x[1] == 5 && fig->series[0].steps.y[1] == 0);
    plot_figure_free(fig);
    /* Unsorted times are refused. */
    const double bad_t[] = {5, 3};
    plot_km_curve bad = curves[1];
    bad.n = 2;
    bad.time = bad_t;
    const double two[] = {1, 1};
    bad.n_risk = bad.n_event = bad.n_censor = bad.surv = two;
    bad.std_err = bad.lower = bad.upper = NULL;
    survkit_error err;
    assert_int_equal(plot_km_figure_build(&bad, 1, &opt, &fig, &err), SURVKIT_ERR_ARGUMENT);
    assert_null(fig);
}

/* A curve with 200,000 distinct times draws as about one path segment per pixel column: the SVG
 * stays small (every step written out would take over 10 MB). */
static void test_many_times_stay_compact(void **state)
{
    (void)state;
    const size_t n = 200000;
    double *cols[5];
    for (size_t k = 0; k < 5; k++) assert_non_null(cols[k] = malloc(n * sizeof(double)));
    double s = 1;
    for (size_t i = 0; i < n; i++) {
        double at_risk = (double)(n - i);
        cols[0][i] = (double)(i + 1);
        cols[1][i] = at_risk;
        cols[2][i] = i % 2 == 0;          /* alternate deaths and censorings */
        cols[3][i] = i % 2 == 1;
        s *= 1 - cols[2][i] / at_risk;
        cols[4][i] = s;
    }
    plot_km_curve c = {.label = "big", .n = n, .time = cols[0], .n_risk = cols[1],
                       .n_event = cols[2], .n_censor = cols[3], .surv = cols[4], .median = NAN};
    plot_km_options opt;
    plot_km_options_init(&opt);
    plot_figure *fig = NULL;
    assert_int_equal(plot_km_figure_build(&c, 1, &opt, &fig, NULL), SURVKIT_OK);
    assert_int_equal(fig->series[0].steps.n, n + 1);
    assert_int_equal(fig->series[0].ticks.n, n / 2);
    render_ok(fig, scratch_path("big.svg"));
    size_t len;
    free(test_read_file(scratch_path("big.svg"), &len));
    assert_true(len < 400000);
    plot_figure_free(fig);
    for (size_t k = 0; k < 5; k++) free(cols[k]);
}

/* ---- the command's options ---- */

static void test_request_options(void **state)
{
    (void)state;
    plot_km_options opt;
    survkit_error err;
    plot_km_request req = {.path = "out.svg", .fun = "cloglog", .ci = "no", .title = "T",
                           .width = 400, .height = 300, .x_break = 30, .median = true,
                           .no_censor_marks = true};
    assert_int_equal(plot_km_request_check(&req, &opt, &err), SURVKIT_OK);
    assert_int_equal(opt.fun, PLOT_KM_CLOGLOG);
    assert_int_equal(opt.ci, PLOT_KM_CI_OFF);
    assert_true(opt.width == 400 && opt.height == 300 && opt.x_break == 30 && opt.medians);
    assert_true(opt.risk_table && !opt.censor_ticks);
    assert_string_equal(opt.title, "T");

    const plot_km_request bad[] = {
        {.path = "out.jpg"}, {.path = NULL}, {.path = "out.png", .fun = "hazard"},
        {.path = "out.png", .ci = "maybe"}, {.path = "out.png", .width = 10},
        {.path = "out.png", .height = 1e9}, {.path = "out.png", .x_break = -1},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        assert_int_equal(plot_km_request_check(&bad[k], NULL, &err), SURVKIT_ERR_ARGUMENT);
    assert_true(plot_km_request_has_options(&req));
    assert_false(plot_km_request_has_options(&(plot_km_request){.path = "x.png", .conf_level = 0.9}));
    assert_true(plot_km_request_has_options(&(plot_km_request){.no_risk_table = true}));

    /* --plot-break sets the x ticks and the risk-table times. */
    fit f = load_fit("plot/lung_sex.txt");
    plot_km_options_init(&opt);
    opt.x_break = 365;
    plot_figure *fig = build(&f, &opt);
    const double years[] = {0, 365, 730};
    assert_int_equal(fig->risk.n_times, 3);
    assert_numbers_close(fig->risk.times, years, 3, 0, 0, "break 365");
    assert_true(fig->risk.counts[1] == plot_km_at_risk(&f.curves[0], 365));
    plot_figure_free(fig);

    /* plot_km_write end to end. */
    plot_km_request one = {.path = scratch_path("write.pdf"), .fun = "event", .median = true};
    assert_int_equal(plot_km_write(&one, f.curves, f.n, &err), SURVKIT_OK);
    assert_true(file_exists(scratch_path("write.pdf")));
    golden_free(f.g);
}

/* ---- from a survkit_km fit: the figure equals the one drawn from R's curves ---- */

static void test_figure_from_km_fit_equals_r(void **state)
{
    (void)state;
    /* datasets/lung.csv: columns inst, time, status, age, sex, ...; status 1/2, sex 1/2. */
    char path[512];
    snprintf(path, sizeof path, "%s/lung.csv", datasets_dir());
    FILE *in = fopen(path, "r");
    assert_non_null(in);
    double time[300], status[300];
    int32_t group[300];
    size_t n = 0;
    char line[1024];
    assert_non_null(fgets(line, sizeof line, in));
    while (n < 300 && fgets(line, sizeof line, in)) {
        char *field[6], *save = NULL;
        size_t k = 0;
        for (char *p = strtok_r(line, ",", &save); p && k < 6; p = strtok_r(NULL, ",", &save))
            field[k++] = p;
        assert_int_equal(k, 6);
        time[n] = atof(field[1]);
        status[n] = atof(field[2]) == 2;
        group[n] = atoi(field[4]) - 1;
        n++;
    }
    fclose(in);
    assert_int_equal(n, 228);
    const char *labels[2] = {"sex=1", "sex=2"};
    survkit_km *km = NULL;
    survkit_error err;
    assert_int_equal(survkit_km_fit(n, NULL, time, status, NULL, group, 2, labels, NULL, &km, &err),
                     SURVKIT_OK);
    plot_km_curve from_fit[2];
    plot_km_curves_from_fit(km, from_fit);

    fit f = load_fit("plot/lung_sex.txt");
    plot_km_options opt;
    plot_km_options_init(&opt);
    opt.ci = PLOT_KM_CI_ON;
    opt.medians = true;
    for (plot_km_fun fun = PLOT_KM_SURV; fun <= PLOT_KM_CLOGLOG; fun++) {
        opt.fun = fun;
        plot_figure *a = build(&f, &opt), *b = NULL;
        assert_int_equal(plot_km_figure_build(from_fit, 2, &opt, &b, NULL), SURVKIT_OK);
        for (size_t k = 0; k < 2; k++) {
            const plot_series *sa = &a->series[k], *sb = &b->series[k];
            assert_string_equal(sa->label, sb->label);
            assert_int_equal(sa->steps.n, sb->steps.n);
            assert_numbers_close(sb->steps.x, sa->steps.x, sa->steps.n, 1e-12, 0, "fit: step x");
            assert_numbers_close(sb->steps.y, sa->steps.y, sa->steps.n, 1e-9, 1e-12, "fit: step y");
            assert_int_equal(sa->band.n, sb->band.n);
            assert_numbers_close(sb->band.lo, sa->band.lo, sa->band.n, 1e-9, 1e-12, "fit: band lo");
            assert_numbers_close(sb->band.hi, sa->band.hi, sa->band.n, 1e-9, 1e-12, "fit: band hi");
            assert_int_equal(sa->ticks.n, sb->ticks.n);
            assert_true(sa->has_guide == sb->has_guide && sa->guide_x == sb->guide_x);
        }
        assert_int_equal(a->risk.n_times, b->risk.n_times);
        assert_numbers_close(b->risk.counts, a->risk.counts, 2 * a->risk.n_times, 0, 0, "fit: n.risk");
        plot_figure_free(a);
        plot_figure_free(b);
    }
    plot_km_request req = {.path = scratch_path("fit.png")};
    assert_int_equal(plot_km_write_fit(&req, km, &err), SURVKIT_OK);
    assert_true(file_exists(scratch_path("fit.png")));
    golden_free(f.g);
    survkit_km_free(km);
}

/* ---- every plot type, as in docs/ ---- */

static void gallery_one(const char *dir, const char *name, const char *golden_name,
                        plot_km_fun fun, bool medians, const char *title)
{
    fit f = load_fit(golden_name);
    plot_km_options opt;
    plot_km_options_init(&opt);
    opt.fun = fun;
    opt.medians = medians;
    opt.title = title;
    plot_figure *fig = build(&f, &opt);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    render_ok(fig, path);
    size_t len;
    unsigned char *png = test_read_file(path, &len);
    assert_true(memcmp(png, "\x89PNG", 4) == 0);
    free(png);
    plot_figure_free(fig);
    golden_free(f.g);
}

static void test_gallery(void **state)
{
    (void)state;
    const char *dir = getenv("SURVKIT_PLOT_GALLERY");
    if (!dir || !dir[0]) dir = scratch();
    gallery_one(dir, "km-lung.png", "plot/lung_all.txt", PLOT_KM_SURV, true,
                "Lung cancer (NCCTG): overall survival");
    gallery_one(dir, "km-lung-sex.png", "plot/lung_sex.txt", PLOT_KM_SURV, true,
                "Lung cancer: survival by sex");
    gallery_one(dir, "km-veteran-celltype.png", "plot/veteran_celltype.txt", PLOT_KM_SURV, false,
                "Veterans' lung cancer trial: survival by cell type");
    gallery_one(dir, "km-lung-sex-event.png", "plot/lung_sex.txt", PLOT_KM_EVENT, false,
                "Cumulative incidence of death by sex");
    gallery_one(dir, "km-lung-sex-cumhaz.png", "plot/lung_sex.txt", PLOT_KM_CUMHAZ, false,
                "Cumulative hazard by sex");
    gallery_one(dir, "km-aml-cloglog.png", "plot/aml_x.txt", PLOT_KM_CLOGLOG, false,
                "AML: log(-log S) against log time");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats_signatures_and_sizes),
        cmocka_unit_test(test_steps_and_risk_table_equal_estimates),
        cmocka_unit_test(test_single_curve_band_and_at_risk_on_log_times),
        cmocka_unit_test(test_x_max_cuts_the_axis),
        cmocka_unit_test(test_transforms_like_plot_survfit),
        cmocka_unit_test(test_png_pixels_follow_the_lung_curve),
        cmocka_unit_test(test_empty_group_and_single_observation),
        cmocka_unit_test(test_many_times_stay_compact),
        cmocka_unit_test(test_request_options),
        cmocka_unit_test(test_figure_from_km_fit_equals_r),
        cmocka_unit_test(test_gallery),
    };
    return cmocka_run_group_tests(tests, NULL, remove_scratch);
}
