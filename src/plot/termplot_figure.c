/*
 * termplot_figure.c: R's termplot(fit, terms = k, se = TRUE) for pspline() terms as plain
 * figures (termplot_figure.h). termplot draws lines(x, fit) and lines(x, fit +/- 2 se, lty = 2)
 * over the distinct x in increasing order; its ylim "common" is
 * range(fit + 1.05 * 2 se, fit - 1.05 * 2 se) over the terms drawn; the axes get xaxs = yaxs =
 * "r" margins (4%). The x label is the variable (R's carrier.name), the y label
 * "Partial for <term>".
 */
#include "termplot_figure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static survkit_status nomem(survkit_error *err)
{
    return plot_error(err, SURVKIT_ERR_NOMEM, "plot: out of memory");
}

/* R's xaxs = "r": 4% of the range on each side; a zero range gets +/- 1. */
static void set_range(plot_axis *a, double lo, double hi)
{
    if (!(hi > lo)) lo -= 1, hi += 1;
    const double d = 0.04 * (hi - lo);
    a->lo = lo - d;
    a->hi = hi + d;
}

/* The variable of pspline term k from its first coefficient's name "ps(<x>)<j>". */
static bool variable_name(const survkit_frailty_result *r, size_t k, char *out, size_t size)
{
    size_t first, count;
    survkit_frailty_result_pspline_columns(r, k, &first, &count);
    const char *name = survkit_frailty_result_name(r, first);
    const char *close = name ? strrchr(name, ')') : NULL;
    if (name == NULL || strncmp(name, "ps(", 3) != 0 || close == NULL || close < name + 3)
        return false;
    snprintf(out, size, "%.*s", (int)(close - name - 3), name + 3);
    return true;
}

/* One panel; *ylo, *yhi grow by R's common ylim. */
static survkit_status build_panel(const survkit_frailty_result *r, const survkit_frame *frame,
                                  size_t k, plot_figure **out, double *ylo, double *yhi,
                                  survkit_error *err)
{
    char var[256];
    const char *term = survkit_frailty_result_pspline_term(r, k);
    if (!variable_name(r, k, var, sizeof var) || strpbrk(var, "()") != NULL)
        return plot_error(err, SURVKIT_ERR_ARGUMENT,
                          "--plot: %s is a spline of an expression; R's termplot draws it against "
                          "the variable inside, survkit only pspline() of a plain variable", term);
    const size_t n = survkit_frame_n(frame);
    double *mem = malloc(3 * (n + 1) * sizeof(double));
    if (mem == NULL) return nomem(err);
    double *x = mem, *fit = x + n + 1, *se = fit + n + 1;
    size_t m = 0;
    survkit_status st = survkit_frailty_result_pspline_curve(r, frame, k, x, fit, se, &m, err);
    plot_figure *fig = st == SURVKIT_OK ? plot_figure_create(1) : NULL;
    if (st == SURVKIT_OK && fig == NULL) st = nomem(err);
    if (st != SURVKIT_OK) {
        free(mem);
        return st;
    }
    plot_series *s = &fig->series[0];
    s->join = PLOT_JOIN_LINES;
    s->colour = 1;
    char ylab[512];
    snprintf(ylab, sizeof ylab, "Partial for %s", term);
    bool ok = plot_points_alloc(&s->steps, m) && plot_band_alloc(&s->band, m) &&
              plot_set_text(&s->label, term) && plot_set_text(&fig->x.label, var) &&
              plot_set_text(&fig->y.label, ylab);
    for (size_t i = 0; ok && i < m; i++) {
        s->steps.x[i] = s->band.x[i] = x[i];
        s->steps.y[i] = fit[i];
        s->band.lo[i] = fit[i] - 2 * se[i];
        s->band.hi[i] = fit[i] + 2 * se[i];
        *ylo = fmin(*ylo, fit[i] - 1.05 * 2 * se[i]);
        *yhi = fmax(*yhi, fit[i] + 1.05 * 2 * se[i]);
    }
    if (ok) set_range(&fig->x, x[0], x[m - 1]);
    ok = ok && plot_axis_linear_breaks(&fig->x, 0);
    free(mem);
    if (!ok) {
        plot_figure_free(fig);
        return nomem(err);
    }
    *out = fig;
    return SURVKIT_OK;
}

survkit_status plot_termplot_page_build(const survkit_frailty_result *r, const survkit_frame *frame,
                                        const plot_termplot_options *opt, plot_page **out,
                                        survkit_error *err)
{
    *out = NULL;
    const size_t nps = survkit_frailty_result_n_pspline(r);
    if (nps == 0)
        return plot_error(err, SURVKIT_ERR_ARGUMENT,
                          "--plot draws pspline() terms (R's termplot): the formula has none");
    /* predict.coxph.penal: "subscript out of bounds" (a dense frailty's columns are ordinary
     * covariates there: R's termplot works, and so does this) */
    if (survkit_frailty_result_n_groups(r) > 0 && !survkit_frailty_result_is_dense(r))
        return plot_error(err, SURVKIT_ERR_ARGUMENT,
                          "--plot with a sparse frailty() term: R's termplot (predict(type = "
                          "\"terms\")) fails on such a model, so there is no R figure to match");
    size_t first = 0, count = nps;
    if (opt->term) {
        while (first < nps && strcmp(survkit_frailty_result_pspline_term(r, first), opt->term) != 0)
            first++;
        if (first == nps) {
            char list[512] = "";
            for (size_t k = 0; k < nps; k++) {
                const size_t used = strlen(list);
                snprintf(list + used, sizeof list - used, "%s'%s'", k ? ", " : "",
                         survkit_frailty_result_pspline_term(r, k));
            }
            return plot_error(err, SURVKIT_ERR_ARGUMENT,
                              "--plot-term '%s': the pspline terms are %s", opt->term, list);
        }
        count = 1;
    }
    size_t cols = 1;
    while (cols * cols < count) cols++;
    plot_page *page = plot_page_create(count, cols);
    if (page == NULL) return nomem(err);
    double ylo = INFINITY, yhi = -INFINITY;
    survkit_status st = SURVKIT_OK;
    for (size_t q = 0; q < count && st == SURVKIT_OK; q++)
        st = build_panel(r, frame, first + q, &page->figures[q], &ylo, &yhi, err);
    for (size_t q = 0; q < count && st == SURVKIT_OK; q++) { /* R's ylim = "common" */
        plot_figure *fig = page->figures[q];
        set_range(&fig->y, ylo, yhi);
        if (!plot_axis_linear_breaks(&fig->y, 0)) st = nomem(err);
    }
    if (st != SURVKIT_OK) {
        plot_page_free(page);
        return st;
    }
    page->width = opt->width;
    page->height = opt->height;
    *out = page;
    return SURVKIT_OK;
}
