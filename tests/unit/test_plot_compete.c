/*
 * test_plot_compete.c: the pictures of `cuminc --plot` (cuminc_figure.c) and `ipw --plot`
 * (ipw_figure.c). The expected values come from tests/golden/plot/cuminc_*.txt and ipw_lung.txt,
 * written by tests/golden/make_golden_plot_compete.R from R's survival 3.5-3 and base R:
 *   cuminc_pbc_edema: survfit(Surv(time, factor(status)) ~ edema, data = read.csv("datasets/pbc.csv"))
 *   cuminc_syn_g:     survfit(Surv(time, factor(event)) ~ g, data = tests/data/compete/synthetic.csv)
 * per group and state fit$pstate, fit$lower, fit$upper, their running sums over the states (the
 * stacked edges), and summary(fit, times, extend = TRUE)$n.risk[, 1] (the risk table). The curves
 * are fitted here by survkit_cuminc_fit from the golden input, as `survkit cuminc` fits them, so the
 * figure's coordinates are the fit's numbers, which its JSON output prints.
 *   ipw_lung: glm(I(sex == 2) ~ age + ph.ecog + ph.karno + wt.loss, binomial, lung): ps, the
 *     design columns, abs() of the contract's smd before and after ATE weighting (the love plot),
 *     and hist(ps[group], breaks = seq(min(ps), max(ps), length.out = 31))$density.
 * The weights and balance are computed here by survkit_ipw_compute from ps and the columns.
 * finegray --plot: compete/fg_pbc_death.txt (make_golden_compete.R): crr(time, status, X,
 * failcode = 2) on pbc and predict(fit, X[1:3, ]), the curves the picture must hold.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "golden.h"
#include "plot/cuminc_figure.h"
#include "plot/cuminc_plot.h"
#include "plot/finegray_plot.h"
#include "plot/ipw_plot.h"
#include "plot/render.h"

#define REL 1e-9
#define ABS 1e-12

/* A golden case and the cuminc fit of its input. */
typedef struct cuminc_case {
    golden *g;
    survkit_cuminc *fit;
    size_t n_groups, n_states;
} cuminc_case;

static cuminc_case load_case(const char *name)
{
    cuminc_case c = {.g = golden_load(name)};
    const size_t n = golden_length(c.g, "time");
    c.n_groups = (size_t)golden_number(c.g, "n_groups");
    c.n_states = (size_t)golden_number(c.g, "n_states");
    int32_t *state = malloc(n * sizeof *state), *group = malloc(n * sizeof *group);
    const double *sv = golden_numbers(c.g, "state"), *gv = golden_numbers(c.g, "group");
    for (size_t i = 0; i < n; i++) state[i] = (int32_t)sv[i], group[i] = (int32_t)gv[i];
    const char *states[8], *groups[8];
    assert_true(c.n_states <= 8 && c.n_groups <= 8);
    for (size_t k = 0; k < c.n_states; k++) states[k] = golden_string(c.g, "state_labels", k);
    for (size_t k = 0; k < c.n_groups; k++) groups[k] = golden_string(c.g, "group_labels", k);
    survkit_cuminc_data d = {.n = n, .time = golden_numbers(c.g, "time"), .state = state,
                             .n_states = c.n_states, .state_labels = states, .group = group,
                             .n_groups = c.n_groups, .group_labels = groups};
    survkit_cuminc_options opt;
    survkit_cuminc_options_init(&opt);
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_cuminc_fit(&d, &opt, &c.fit, &err) != SURVKIT_OK)
        fail_msg("%s: cuminc fit: %s", name, err.message);
    free(state), free(group);
    return c;
}

static void free_case(cuminc_case *c)
{
    survkit_cuminc_free(c->fit);
    golden_free(c->g);
}

static const double *key(const golden *g, size_t group, size_t state, const char *what, size_t *n)
{
    char name[64];
    if (state) snprintf(name, sizeof name, "g%zu_s%zu_%s", group + 1, state, what);
    else snprintf(name, sizeof name, "g%zu_%s", group + 1, what);
    if (n) *n = golden_length(g, name);
    return golden_numbers(g, name);
}

static plot_page *build(const cuminc_case *c, const plot_cuminc_options *opt)
{
    plot_page *page = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (plot_cuminc_page_build(c->fit, opt, &page, &err) != SURVKIT_OK)
        fail_msg("plot_cuminc_page_build: %s", err.message);
    return page;
}

/* The risk table under a panel: its times are the golden risk times, row r's counts golden_r. */
static void assert_risk_row(const plot_figure *fig, size_t row, const golden *g, size_t group)
{
    size_t n;
    const double *times = golden_numbers(g, "risk_times");
    const double *counts = key(g, group, 0, "risk_n", &n);
    assert_int_equal(fig->risk.n_times, golden_length(g, "risk_times"));
    assert_numbers_close(fig->risk.times, times, n, 0, 1e-9, "risk times");
    assert_numbers_close(fig->risk.counts + row * fig->risk.n_times, counts, n, REL, ABS,
                         "number at risk");
}

/* Panel per state: series g is group g's curve of that state; band the fit's limits. */
static void check_by_cause(const char *name, double x_break, double x_max)
{
    cuminc_case c = load_case(name);
    plot_cuminc_options opt;
    plot_cuminc_options_init(&opt);
    opt.km.x_break = x_break;
    opt.km.x_max = x_max;
    opt.km.ci = PLOT_KM_CI_ON;
    plot_page *page = build(&c, &opt);
    assert_int_equal(page->n_figures, c.n_states);
    assert_int_equal(page->columns, (size_t)ceil(sqrt((double)c.n_states)));
    for (size_t s = 1; s <= c.n_states; s++) {
        const plot_figure *fig = page->figures[s - 1];
        assert_string_equal(fig->title, golden_string(c.g, "state_labels", s - 1));
        assert_string_equal(fig->y.label, "Cumulative incidence");
        assert_int_equal(fig->n_series, c.n_groups);
        assert_true(fig->show_risk_table && fig->risk.n_rows == 0);
        assert_true(fig->y.lo < 0 && fig->y.hi > 1); /* [0, 1] with R's margins */
        for (size_t g = 0; g < c.n_groups; g++) {
            const plot_series *ser = &fig->series[g];
            assert_string_equal(ser->label, golden_string(c.g, "group_labels", g));
            size_t n;
            const double *time = key(c.g, g, s, "time", &n);
            assert_int_equal(ser->steps.n, n + 1);
            assert_true(ser->steps.x[0] == 0 && ser->steps.y[0] == 0);
            assert_numbers_close(ser->steps.x + 1, time, n, 0, 0, "time");
            assert_numbers_close(ser->steps.y + 1, key(c.g, g, s, "pstate", NULL), n, REL, ABS,
                                 "pstate");
            assert_int_equal(ser->band.n, n + 1);
            assert_numbers_close(ser->band.lo + 1, key(c.g, g, s, "lower", NULL), n, REL, ABS,
                                 "lower");
            assert_numbers_close(ser->band.hi + 1, key(c.g, g, s, "upper", NULL), n, REL, ABS,
                                 "upper");
            assert_risk_row(fig, g, c.g, g);
        }
    }
    plot_page_free(page);
    free_case(&c);
}

static void test_by_cause_equals_r(void **state)
{
    (void)state;
    check_by_cause("plot/cuminc_pbc_edema.txt", 1000, 0);
    check_by_cause("plot/cuminc_syn_g.txt", 25, 150);
}

/* Panel per group: series s steps at the running sum, band between it and the one below. */
static void check_stacked(const char *name, double x_break, double x_max)
{
    cuminc_case c = load_case(name);
    plot_cuminc_options opt;
    plot_cuminc_options_init(&opt);
    opt.stacked = true;
    opt.km.x_break = x_break;
    opt.km.x_max = x_max;
    opt.km.title = "Stacked";
    plot_page *page = build(&c, &opt);
    assert_int_equal(page->n_figures, c.n_groups);
    for (size_t g = 0; g < c.n_groups; g++) {
        const plot_figure *fig = page->figures[g];
        char title[128];
        snprintf(title, sizeof title, "Stacked: %s", golden_string(c.g, "group_labels", g));
        assert_string_equal(fig->title, title);
        assert_int_equal(fig->n_series, c.n_states);
        assert_int_equal(fig->risk.n_rows, 1);
        assert_string_equal(fig->risk.row_labels[0], golden_string(c.g, "group_labels", g));
        assert_risk_row(fig, 0, c.g, g);
        for (size_t s = 1; s <= c.n_states; s++) {
            const plot_series *ser = &fig->series[s - 1];
            assert_string_equal(ser->label, golden_string(c.g, "state_labels", s - 1));
            assert_int_equal(ser->ticks.n, 0);
            size_t n;
            const double *stack = key(c.g, g, s, "stack", &n);
            assert_int_equal(ser->steps.n, n + 1);
            assert_numbers_close(ser->steps.y + 1, stack, n, REL, ABS, "stacked sum");
            assert_numbers_close(ser->band.hi + 1, stack, n, REL, ABS, "band top");
            if (s == 1) {
                for (size_t i = 0; i <= n; i++) assert_true(ser->band.lo[i] == 0);
            } else {
                assert_numbers_close(ser->band.lo + 1, key(c.g, g, s - 1, "stack", NULL), n, REL,
                                     ABS, "band bottom");
            }
        }
    }
    plot_page_free(page);
    free_case(&c);
}

static void test_stacked_equals_r(void **state)
{
    (void)state;
    /* edema=1 ends at 3400, yet its panel shares the others' axis up to 4795: ticks to 4000 */
    check_stacked("plot/cuminc_pbc_edema.txt", 1000, 0);
    check_stacked("plot/cuminc_syn_g.txt", 25, 150);
}

/* The defaults: bands only where a panel has one curve, censoring marks, pretty ticks; and the
 * km options that switch them off. */
static void test_defaults_and_switches(void **state)
{
    (void)state;
    cuminc_case c = load_case("plot/cuminc_pbc_edema.txt");
    plot_cuminc_options opt;
    plot_cuminc_options_init(&opt);
    plot_page *page = build(&c, &opt);
    const plot_figure *fig = page->figures[1];
    assert_int_equal(fig->series[0].band.n, 0); /* three groups: no bands (auto) */
    assert_true(fig->series[0].ticks.n > 0);
    assert_true(fig->x.n_breaks >= 3 && fig->x.breaks[0] == 0);
    assert_numbers_close(fig->risk.times, fig->x.breaks, fig->x.n_breaks, 0, 0, "risk at ticks");
    assert_null(fig->title == NULL ? NULL : strstr(fig->title, ":"));
    plot_page_free(page);

    opt.km.censor_ticks = false;
    opt.km.risk_table = false;
    opt.km.xlab = "Days";
    opt.km.ylab = "P(event)";
    opt.km.width = 900;
    opt.km.height = 400;
    page = build(&c, &opt);
    fig = page->figures[0];
    assert_int_equal(fig->series[0].ticks.n, 0);
    assert_false(fig->show_risk_table);
    assert_string_equal(fig->x.label, "Days");
    assert_string_equal(fig->y.label, "P(event)");
    assert_true(page->width == 900 && page->height == 400);
    plot_page_free(page);

    opt.stacked = true;
    opt.km.ci = PLOT_KM_CI_OFF;
    survkit_error err;
    assert_int_equal(plot_cuminc_page_build(c.fit, &opt, &page, &err), SURVKIT_ERR_ARGUMENT);
    assert_null(page);
    free_case(&c);
}

/* The --plot-* values: km's checks, and the two that do not go with --plot-stacked. */
static void test_request_options(void **state)
{
    (void)state;
    survkit_error err;
    plot_cuminc_options opt;
    plot_cuminc_request req = {.km = {.path = "a.svg", .ci = "yes", .title = "T"}};
    assert_int_equal(plot_cuminc_request_check(&req, &opt, &err), SURVKIT_OK);
    assert_true(opt.km.ci == PLOT_KM_CI_ON && opt.km.fun == PLOT_KM_STATE && !opt.stacked);
    assert_true(plot_cuminc_request_has_options(&req));
    req.stacked = true;
    assert_int_equal(plot_cuminc_request_check(&req, &opt, &err), SURVKIT_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "--plot-ci"));
    req.km.ci = NULL;
    req.km.no_censor_marks = true;
    assert_int_equal(plot_cuminc_request_check(&req, &opt, &err), SURVKIT_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "--plot-no-censor-marks"));
    req.km.no_censor_marks = false;
    assert_int_equal(plot_cuminc_request_check(&req, &opt, &err), SURVKIT_OK);
    assert_true(opt.stacked);
    req.km.path = "a.gif";
    assert_int_equal(plot_cuminc_request_check(&req, &opt, &err), SURVKIT_ERR_ARGUMENT);
    plot_cuminc_request none = {.km = {.path = "a.png"}};
    assert_false(plot_cuminc_request_has_options(&none));
}

/* Written through the renderer: a PNG of the page's default size for two panels. */
static void test_write_png(void **state)
{
    (void)state;
    cuminc_case c = load_case("plot/cuminc_syn_g.txt");
    char dir[] = "/tmp/survkit-cuminc-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/stacked.png", dir);
    plot_cuminc_request req = {.km = {.path = path}, .stacked = true};
    survkit_error err;
    survkit_error_clear(&err);
    if (plot_cuminc_write(&req, c.fit, &err) != SURVKIT_OK) fail_msg("write: %s", err.message);
    size_t len;
    unsigned char *buf = test_read_file(path, &len);
    assert_true(len > 24 && memcmp(buf, "\x89PNG\r\n\x1a\n", 8) == 0);
    /* three groups: a 2 x 2 grid of 500 x 375 cells */
    const unsigned w = (unsigned)buf[16] << 24 | buf[17] << 16 | buf[18] << 8 | buf[19];
    const unsigned h = (unsigned)buf[20] << 24 | buf[21] << 16 | buf[22] << 8 | buf[23];
    assert_int_equal(w, 1000);
    assert_int_equal(h, 750);
    free(buf);
    unlink(path);
    rmdir(dir);
    free_case(&c);
}

/* ------------------------------------------------------------------ ipw */

typedef struct ipw_case {
    golden *g;
    survkit_ipw_result *r;
    size_t n, q;
} ipw_case;

static ipw_case load_ipw(void)
{
    ipw_case c = {.g = golden_load("plot/ipw_lung.txt")};
    c.n = golden_length(c.g, "ps");
    c.q = golden_length(c.g, "names");
    assert_true(c.q <= 8);
    const char *names[8];
    for (size_t k = 0; k < c.q; k++) names[k] = golden_string(c.g, "names", k);
    survkit_ipw_options opt;
    survkit_ipw_options_init(&opt);
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_ipw_compute(golden_numbers(c.g, "treated"), golden_numbers(c.g, "ps"), c.n,
                            golden_numbers(c.g, "x"), names, c.q, &opt, &c.r, &err) != SURVKIT_OK)
        fail_msg("survkit_ipw_compute: %s", err.message);
    return c;
}

static void free_ipw(ipw_case *c)
{
    survkit_ipw_result_free(c->r);
    golden_free(c->g);
}

static plot_page *build_ipw(const ipw_case *c, const plot_ipw_options *opt)
{
    plot_page *page = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (plot_ipw_page_build(c->r, golden_numbers(c->g, "treated"), opt, &page, &err) != SURVKIT_OK)
        fail_msg("plot_ipw_page_build: %s", err.message);
    return page;
}

/* The love plot: a dot per covariate and stage at |smd|, the first covariate at the top. */
static void test_love_plot_equals_r(void **state)
{
    (void)state;
    ipw_case c = load_ipw();
    plot_ipw_options opt = {.kind = PLOT_IPW_LOVE, .threshold = 0.2, .title = "Lung"};
    plot_page *page = build_ipw(&c, &opt);
    assert_int_equal(page->n_figures, 1);
    const plot_figure *fig = page->figures[0];
    assert_string_equal(fig->title, "Lung: Covariate balance");
    assert_string_equal(fig->series[0].label, "Unadjusted");
    assert_string_equal(fig->series[1].label, "Adjusted");
    static const char *const keys[2] = {"abs_smd_before", "abs_smd_after"};
    for (int k = 0; k < 2; k++) {
        const plot_points *m = &fig->series[k].marks;
        assert_int_equal(m->n, c.q);
        assert_int_equal(fig->series[k].mark_style, PLOT_MARK_DOT);
        assert_numbers_close(m->x, golden_numbers(c.g, keys[k]), c.q, REL, ABS, keys[k]);
        for (size_t j = 0; j < c.q; j++) assert_true(m->y[j] == (double)(c.q - j));
    }
    assert_int_equal(fig->y.n_breaks, c.q);
    for (size_t j = 0; j < c.q; j++) { /* tick j sits at y = j + 1: the covariate q - 1 - j */
        assert_true(fig->y.breaks[j] == (double)(j + 1));
        assert_string_equal(fig->y.labels[j], golden_string(c.g, "names", c.q - 1 - j));
    }
    assert_int_equal(fig->n_reflines, 2);
    assert_true(fig->reflines[0].vertical && fig->reflines[0].at == 0 && !fig->reflines[0].dashed);
    assert_true(fig->reflines[1].vertical && fig->reflines[1].at == 0.2 && fig->reflines[1].dashed);
    assert_true(fig->x.lo < 0 && fig->x.hi > 0.2 * 1.04 - 1e-12); /* the threshold shows */
    assert_false(fig->show_risk_table);
    plot_page_free(page);
    free_ipw(&c);
}

/* The histograms: R's breaks and densities, the controls mirrored below the axis. */
static void test_ps_histograms_equal_r(void **state)
{
    (void)state;
    ipw_case c = load_ipw();
    const double *breaks = golden_numbers(c.g, "breaks");
    const size_t bins = golden_length(c.g, "breaks") - 1;
    plot_ipw_options opt = {.kind = PLOT_IPW_PS};
    plot_page *page = build_ipw(&c, &opt);
    const plot_figure *fig = page->figures[0];
    assert_string_equal(fig->title, "Propensity scores before weighting");
    static const char *const keys[2] = {"density_treated", "density_control"};
    for (int k = 0; k < 2; k++) {
        const plot_series *ser = &fig->series[k];
        const double sign = k == 0 ? 1 : -1, *d = golden_numbers(c.g, keys[k]);
        assert_int_equal(ser->steps.n, bins + 2);
        assert_true(ser->steps.x[0] == breaks[0] && ser->steps.y[0] == 0);
        assert_true(ser->steps.x[bins + 1] == breaks[bins] && ser->steps.y[bins + 1] == 0);
        assert_numbers_close(ser->steps.x + 1, breaks, bins, 1e-15, 0, "breaks");
        for (size_t j = 0; j < bins; j++) {
            assert_number_close(sign * ser->steps.y[j + 1], d[j], 1e-12, 0, keys[k]);
            assert_number_close(k == 0 ? ser->band.hi[j + 1] : -ser->band.lo[j + 1], d[j], 1e-12,
                                0, "band");
        }
    }
    assert_true(fig->y.lo < 0 && fig->y.hi > 0 && fig->y.labels != NULL);
    for (size_t j = 0; j < fig->y.n_breaks; j++) { /* both halves labelled with |y| */
        char want[32];
        snprintf(want, sizeof want, "%g", fabs(fig->y.breaks[j]));
        assert_string_equal(fig->y.labels[j], want);
    }
    plot_page_free(page);

    /* the counts straight from plot_histogram, and every row kept */
    double br[31], dens[30], counts[30];
    const double *ps = golden_numbers(c.g, "ps"), *treated = golden_numbers(c.g, "treated");
    bool *keep = malloc(c.n * sizeof *keep);
    for (size_t i = 0; i < c.n; i++) keep[i] = treated[i] == 0;
    plot_histogram(ps, keep, c.n, breaks[0], breaks[bins], bins, br, dens, counts);
    assert_numbers_close(counts, golden_numbers(c.g, "counts_control"), bins, 0, 0, "counts");
    assert_numbers_close(br, breaks, bins + 1, 0, 0, "seq() breaks");
    double total = 0;
    plot_histogram(ps, NULL, c.n, breaks[0], breaks[bins], bins, NULL, dens, counts);
    for (size_t j = 0; j < bins; j++) total += counts[j];
    assert_true(total == (double)c.n); /* min and max fall inside: R's include.lowest and fuzz */
    free(keep);
    free_ipw(&c);
}

/* The page of both, and the option checks. */
static void test_ipw_page_and_request(void **state)
{
    (void)state;
    ipw_case c = load_ipw();
    plot_ipw_options opt = {.width = 1200, .height = 500};
    plot_page *page = build_ipw(&c, &opt);
    assert_int_equal(page->n_figures, 2);
    assert_int_equal(page->columns, 2);
    assert_true(page->width == 1200 && page->height == 500);
    assert_int_equal(page->figures[0]->n_reflines, 2); /* love first */
    assert_int_equal(page->figures[1]->n_reflines, 1);
    assert_true(page->figures[0]->reflines[1].at == 0.1); /* the default threshold */
    assert_int_equal(page->figures[1]->series[0].steps.n, 30 + 2); /* the default bins */
    plot_page_free(page);
    opt = (plot_ipw_options){.kind = PLOT_IPW_PS, .bins = 12};
    page = build_ipw(&c, &opt);
    assert_int_equal(page->n_figures, 1);
    assert_int_equal(page->figures[0]->series[1].steps.n, 12 + 2);
    plot_page_free(page);
    free_ipw(&c);

    survkit_error err;
    plot_ipw_options o;
    plot_ipw_request req = {.path = "b.pdf", .kind = "love", .threshold = 0.05, .title = "T"};
    assert_int_equal(plot_ipw_request_check(&req, &o, &err), SURVKIT_OK);
    assert_true(o.kind == PLOT_IPW_LOVE && o.threshold == 0.05 && plot_ipw_request_has_options(&req));
    req.bins = 10;
    assert_int_equal(plot_ipw_request_check(&req, &o, &err), SURVKIT_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "--plot-bins"));
    req.kind = "ps";
    assert_int_equal(plot_ipw_request_check(&req, &o, &err), SURVKIT_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "--plot-threshold"));
    req.threshold = 0;
    assert_int_equal(plot_ipw_request_check(&req, &o, &err), SURVKIT_OK);
    assert_true(o.kind == PLOT_IPW_PS && o.bins == 10);
    req.kind = "density";
    assert_int_equal(plot_ipw_request_check(&req, &o, &err), SURVKIT_ERR_ARGUMENT);
    req.kind = NULL;
    req.bins = 0;
    req.width = 20;
    assert_int_equal(plot_ipw_request_check(&req, &o, &err), SURVKIT_ERR_ARGUMENT);
    /* nothing to draw: a model without covariates, scores all equal */
    plot_figure *fig = NULL;
    const double one_ps[3] = {0.4, 0.4, 0.4}, groups[3] = {1, 0, 1};
    assert_int_equal(plot_ipw_love_build(NULL, NULL, NULL, 0, 0.1, &fig, &err), SURVKIT_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "no covariates"));
    assert_int_equal(plot_ipw_ps_build(one_ps, groups, 3, 0, &fig, &err), SURVKIT_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "every propensity score is 0.4"));
    assert_null(fig);

    plot_ipw_request none = {.path = "a.svg"};
    assert_int_equal(plot_ipw_request_check(&none, &o, &err), SURVKIT_OK);
    assert_true(o.kind == PLOT_IPW_BOTH);
    assert_false(plot_ipw_request_has_options(&none));
}

/* ------------------------------------------------------------------ finegray predictions */

/* The figure of predict.crr's curves: series r = new row r, from (0, 0) through R's predictions. */
static void test_finegray_predictions_equal_r(void **state)
{
    (void)state;
    golden *g = golden_load("compete/fg_pbc_death.txt");
    const size_t n = golden_length(g, "time"), p = golden_length(g, "names");
    const size_t m = (size_t)golden_number(g, "n_new"), K = golden_length(g, "uftime");
    int32_t *st = malloc(n * sizeof *st);
    const double *sv = golden_numbers(g, "state"), *x = golden_numbers(g, "x");
    for (size_t i = 0; i < n; i++) st[i] = (int32_t)sv[i];
    survkit_finegray *fit = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_finegray_fit(n, golden_numbers(g, "time"), st, (int32_t)golden_number(g, "cause"),
                             p, x, NULL, NULL, NULL, &fit, &err) != SURVKIT_OK)
        fail_msg("crr fit: %s", err.message);
    double *newx = malloc(m * p * sizeof *newx), *cif = malloc(m * K * sizeof *cif);
    size_t rows[8];
    assert_true(m <= 8);
    for (size_t r = 0; r < m; r++) rows[r] = r;
    for (size_t j = 0; j < p; j++)
        for (size_t r = 0; r < m; r++) newx[j * m + r] = x[j * n + r];
    assert_int_equal(survkit_finegray_predict(fit, m, newx, cif, &err), SURVKIT_OK);
    plot_km_options opt;
    plot_km_options_init(&opt);
    opt.title = "Death";
    plot_figure *fig = NULL;
    assert_int_equal(plot_finegray_figure_build(survkit_finegray_event_times(fit), K, cif, m, rows,
                                                &opt, &fig, &err),
                     SURVKIT_OK);
    assert_int_equal(fig->n_series, m);
    assert_string_equal(fig->title, "Death");
    assert_false(fig->show_risk_table);
    const double *want = golden_numbers(g, "predict"), *times = golden_numbers(g, "uftime");
    for (size_t r = 0; r < m; r++) {
        const plot_series *ser = &fig->series[r];
        char label[32];
        snprintf(label, sizeof label, "row %zu", r + 1);
        assert_string_equal(ser->label, label);
        assert_int_equal(ser->steps.n, K + 1);
        assert_int_equal(ser->band.n, 0);
        assert_int_equal(ser->ticks.n, 0);
        assert_true(ser->steps.x[0] == 0 && ser->steps.y[0] == 0);
        assert_numbers_close(ser->steps.x + 1, times, K, 0, 0, "uftime");
        assert_numbers_close(ser->steps.y + 1, want + r * K, K, REL, 0, "predict.crr");
    }
    plot_figure_free(fig);

    /* km's options that a prediction has no use for are refused */
    plot_km_request req = {.path = "p.png", .ci = "yes"};
    assert_int_equal(plot_finegray_write(&req, times, K, cif, m, rows, &err), SURVKIT_ERR_ARGUMENT);
    free(newx), free(cif), free(st);
    survkit_finegray_free(fit);
    golden_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_by_cause_equals_r),
        cmocka_unit_test(test_stacked_equals_r),
        cmocka_unit_test(test_defaults_and_switches),
        cmocka_unit_test(test_request_options),
        cmocka_unit_test(test_write_png),
        cmocka_unit_test(test_love_plot_equals_r),
        cmocka_unit_test(test_ps_histograms_equal_r),
        cmocka_unit_test(test_ipw_page_and_request),
        cmocka_unit_test(test_finegray_predictions_equal_r),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
