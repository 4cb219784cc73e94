/*
 * test_plot_pspline.c: the figure of R's termplot(fit, terms = k, se = TRUE) for pspline terms
 * (src/plot/termplot_figure.c) against R: the curve and its band against
 * termplot(..., plot = FALSE) (tests/golden/pspline/<case>.txt, make_golden_pspline.R: x, y, se; the
 * band is y -/+ 2 se), R's common ylim range(y +/- 1.05 * 2 se) and xlim range(x), each with the
 * 4% margins of xaxs = yaxs = "r"; a page of two panels, one term by name, the refusals; and a
 * PNG file written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "golden.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plot/render.h"
#include "plot/termplot_figure.h"

#define REL 1e-9

typedef struct fitted {
    golden *g;
    survkit_table *t;
    survkit_frame *frame;
    survkit_frailty_result *fit;
} fitted;

static fitted load(const char *file)
{
    fitted f;
    char path[4096];
    snprintf(path, sizeof path, "pspline/%s.txt", file);
    f.g = golden_load(path);
    snprintf(path, sizeof path, "%s/%s.csv", datasets_dir(), golden_string(f.g, "dataset", 0));
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_table_read_file(path, NULL, &f.t, &err) != SURVKIT_OK) fail_msg("%s", err.message);
    survkit_frame_options fo;
    survkit_frame_options_init(&fo);
    fo.groups = 0;
    fo.weights = golden_length(f.g, "weights") ? golden_string(f.g, "weights", 0) : NULL;
    survkit_frailty_options opt;
    survkit_frailty_options_init(&opt);
    opt.ties = strcmp(golden_string(f.g, "ties", 0), "breslow") == 0 ? SURVKIT_COX_BRESLOW
                                                                     : SURVKIT_COX_EFRON;
    if (survkit_frame_build(f.t, golden_string(f.g, "formula", 0), &fo, &f.frame, &err) !=
            SURVKIT_OK ||
        survkit_frailty_fit_frame(f.frame, &opt, &f.fit, &err) != SURVKIT_OK)
        fail_msg("%s: %s", file, err.message);
    return f;
}

static void unload(fitted *f)
{
    survkit_frailty_result_free(f->fit);
    survkit_frame_free(f->frame);
    survkit_table_free(f->t);
    golden_free(f->g);
}

/* Panel q of the page shows pspline term k: its points against the golden curve. */
static void check_panel(const fitted *f, const plot_figure *fig, size_t k, double ylo, double yhi)
{
    char key[3][64];
    snprintf(key[0], 64, "curve%zu_x", k + 1);
    snprintf(key[1], 64, "curve%zu_y", k + 1);
    snprintf(key[2], 64, "curve%zu_se", k + 1);
    const size_t m = golden_length(f->g, key[0]);
    const double *x = golden_numbers(f->g, key[0]), *y = golden_numbers(f->g, key[1]),
                 *se = golden_numbers(f->g, key[2]);
    assert_int_equal(fig->n_series, 1);
    const plot_series *s = &fig->series[0];
    assert_int_equal(s->join, PLOT_JOIN_LINES);
    assert_int_equal(s->steps.n, m);
    assert_int_equal(s->band.n, m);
    for (size_t i = 0; i < m; i++) {
        assert_number_close(s->steps.x[i], x[i], 0, 0, "x");
        assert_number_close(s->band.x[i], x[i], 0, 0, "band x");
        assert_number_close(s->steps.y[i], y[i], REL, 1e-12, "fit");
        assert_number_close(s->band.lo[i], y[i] - 2 * se[i], REL, 1e-12, "lower");
        assert_number_close(s->band.hi[i], y[i] + 2 * se[i], REL, 1e-12, "upper");
    }
    const double dx = 0.04 * (x[m - 1] - x[0]), dy = 0.04 * (yhi - ylo);
    assert_number_close(fig->x.lo, x[0] - dx, REL, 0, "xlim lo");
    assert_number_close(fig->x.hi, x[m - 1] + dx, REL, 0, "xlim hi");
    assert_number_close(fig->y.lo, ylo - dy, REL, 1e-12, "ylim lo");
    assert_number_close(fig->y.hi, yhi + dy, REL, 1e-12, "ylim hi");
    char ylab[256];
    snprintf(ylab, sizeof ylab, "Partial for %s", survkit_frailty_result_pspline_term(f->fit, k));
    assert_string_equal(fig->y.label, ylab);
}

/* R's ylim = "common" over the terms drawn: range(y + 1.05 * 2 se, y - 1.05 * 2 se). */
static void common_ylim(const fitted *f, const size_t *terms, size_t n, double *lo, double *hi)
{
    *lo = INFINITY, *hi = -INFINITY;
    for (size_t q = 0; q < n; q++) {
        char kx[64], ky[64], ks[64];
        snprintf(kx, 64, "curve%zu_x", terms[q] + 1);
        snprintf(ky, 64, "curve%zu_y", terms[q] + 1);
        snprintf(ks, 64, "curve%zu_se", terms[q] + 1);
        for (size_t i = 0; i < golden_length(f->g, kx); i++) {
            const double y = golden_numbers(f->g, ky)[i], se = golden_numbers(f->g, ks)[i];
            *lo = fmin(*lo, y - 1.05 * 2 * se);
            *hi = fmax(*hi, y + 1.05 * 2 * se);
        }
    }
}

static void test_lung_default(void **state)
{
    (void)state;
    fitted f = load("lung_default");
    plot_termplot_options opt = {0};
    plot_page *page = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(plot_termplot_page_build(f.fit, f.frame, &opt, &page, &err), SURVKIT_OK);
    assert_int_equal(page->n_figures, 1);
    const size_t terms[] = {0};
    double lo, hi;
    common_ylim(&f, terms, 1, &lo, &hi);
    check_panel(&f, page->figures[0], 0, lo, hi);
    assert_string_equal(page->figures[0]->x.label, "age");
    char path[64];
    snprintf(path, sizeof path, "/tmp/survkit_termplot_%ld.png", (long)getpid());
    assert_int_equal(plot_render_page(page, path, &err), SURVKIT_OK);
    FILE *in = fopen(path, "rb");
    unsigned char magic[8] = {0};
    assert_non_null(in);
    assert_int_equal(fread(magic, 1, 8, in), 8);
    fclose(in);
    unlink(path);
    assert_memory_equal(magic, "\x89PNG\r\n\x1a\n", 8);
    plot_page_free(page);
    unload(&f);
}

/* Two terms: a grid of two panels with one common ylim; then the second term alone by name. */
static void test_lung_two(void **state)
{
    (void)state;
    fitted f = load("lung_two");
    plot_termplot_options opt = {0};
    plot_page *page = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(plot_termplot_page_build(f.fit, f.frame, &opt, &page, &err), SURVKIT_OK);
    assert_int_equal(page->n_figures, 2);
    assert_int_equal(page->columns, 2);
    const size_t both[] = {0, 1}, second[] = {1};
    double lo, hi;
    common_ylim(&f, both, 2, &lo, &hi);
    check_panel(&f, page->figures[0], 0, lo, hi);
    check_panel(&f, page->figures[1], 1, lo, hi);
    plot_page_free(page);
    opt.term = "pspline(ph.karno, df = 3)";
    assert_int_equal(plot_termplot_page_build(f.fit, f.frame, &opt, &page, &err), SURVKIT_OK);
    assert_int_equal(page->n_figures, 1);
    common_ylim(&f, second, 1, &lo, &hi);
    check_panel(&f, page->figures[0], 1, lo, hi);
    assert_string_equal(page->figures[0]->x.label, "ph.karno");
    plot_page_free(page);
    opt.term = "pspline(sex)";
    assert_int_equal(plot_termplot_page_build(f.fit, f.frame, &opt, &page, &err),
                     SURVKIT_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "'pspline(age)', 'pspline(ph.karno, df = 3)'"));
    unload(&f);
}

/* The counting-process and weighted fits (a row dropped for a missing weight). */
static void test_heart_and_weights(void **state)
{
    (void)state;
    const char *cases[] = {"heart_ag", "lung_weights", "lung_nterm_strata_breslow"};
    for (size_t c = 0; c < 3; c++) {
        fitted f = load(cases[c]);
        plot_termplot_options opt = {0};
        plot_page *page = NULL;
        survkit_error err;
        survkit_error_clear(&err);
        assert_int_equal(plot_termplot_page_build(f.fit, f.frame, &opt, &page, &err), SURVKIT_OK);
        const size_t terms[] = {0};
        double lo, hi;
        common_ylim(&f, terms, 1, &lo, &hi);
        check_panel(&f, page->figures[0], 0, lo, hi);
        plot_page_free(page);
        unload(&f);
    }
}

/* With a frailty R's termplot fails (predict.coxph.penal), so survkit refuses too. */
static void test_frailty_refused(void **state)
{
    (void)state;
    fitted f = load("reun_frailty");
    plot_termplot_options opt = {0};
    plot_page *page = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(plot_termplot_page_build(f.fit, f.frame, &opt, &page, &err),
                     SURVKIT_ERR_ARGUMENT);
    assert_null(page);
    assert_non_null(strstr(err.message, "frailty"));
    unload(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lung_default),
        cmocka_unit_test(test_lung_two),
        cmocka_unit_test(test_heart_and_weights),
        cmocka_unit_test(test_frailty_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
