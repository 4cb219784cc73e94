/*
 * test_frailty_dense.c: R's dense frailty (frailty(x, sparse = FALSE), R's default for 5 groups or
 * fewer) against R's coxph: one penalised 0/1 column per group (R's coefficients gamma:<level>),
 * gamma and gaussian, every search for theta, strata, Breslow ties, counting-process data, with
 * ridge() and pspline(), and the robust variance R gives it.
 * Expected values: tests/golden/frailty_dense/<case>.txt, written by
 * tests/golden/make_golden_frailty_dense.R (the R call is the first line of each file). The fit
 * is built as the CLI builds it (penal_fixture.h). survkit follows R's iterates (the same outer
 * and Newton steps), so everything agrees to round-off: 1e-9 relative, except where stated.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "penal_fixture.h"
#include "survkit/survkit.h"

static const double TOL = 1e-9;

/* Relative tolerances of one case. */
typedef struct tolerances {
    double coef, frail_abs, hist, pen_abs;
} tolerances;

/* R's full coefficient vector: the covariates in survkit's order around the G frailties at fcol. */
static double full_coef(const survkit_frailty_result *fit, size_t fcol, size_t G, size_t k)
{
    if (k >= fcol && k < fcol + G) return survkit_frailty_result_frail(fit)[k - fcol];
    return survkit_frailty_result_coef(fit)[k < fcol ? k : k - G];
}

static void check_history(const survkit_frailty_result *fit, const golden *g, double tol)
{
    const size_t cols = (size_t)golden_number(g, "hist_cols");
    const size_t rows = golden_length(g, "hist") / cols;
    const double *h = golden_numbers(g, "hist");
    const char *formula = golden_string(g, "formula", 0);
    if (strstr(formula, "df = ") != NULL) { /* R's frailty.controldf: (0, 0), then each fit */
        assert_int_equal(survkit_frailty_result_n_history(fit) + 1, rows);
        for (size_t k = 0; k + 1 < rows; k++) {
            double th, ll, cl;
            survkit_frailty_result_history(fit, k, &th, &ll, &cl);
            assert_number_close(th, h[k + 1], tol, 0, "history theta (df)");
        }
        return;
    }
    if (cols == 1) { /* fixed theta: no history */
        assert_int_equal(survkit_frailty_result_n_history(fit), 1);
        return;
    }
    assert_int_equal(survkit_frailty_result_n_history(fit), rows);
    if (cols == 5) { /* R's frailty.controlaic: theta, plik, df, plik - df, aicc */
        for (size_t k = 0; k < rows; k++) {
            double th, ll, cl;
            survkit_frailty_result_history(fit, k, &th, &ll, &cl);
            assert_number_close(th, h[k], tol, 0, "history theta (aic)");
        }
        return;
    }
    const bool gauss = survkit_frailty_result_distribution(fit) == SURVKIT_FRAILTY_GAUSSIAN;
    const bool reml = gauss && cols == 4; /* theta, resid, fsum, trace */
    for (size_t k = 0; k < rows; k++) {
        double th, ll, cl;
        survkit_frailty_result_history(fit, k, &th, &ll, &cl);
        assert_number_close(th, h[k], tol, 0, "history theta");
        if (reml) {
            /* resid is a difference near 0 at the end: absolute on theta's scale */
            assert_number_close(survkit_frailty_result_history_resid(fit, k), h[k + rows], tol,
                                1e-10, "history resid");
        } else {
            assert_number_close(ll, h[k + rows], tol, 0, "history loglik");
            if (cols == 3) assert_number_close(cl, h[k + 2 * rows], tol, 0, "history c.loglik");
        }
    }
}

/* The case of golden file frailty_dense/<file>.txt fitted as its R call: dataset, formula, ties,
 * and R's robust argument (TRUE, or its default: robust with cluster()). */
static penal_case dense_case_fit(const char *file)
{
    return penal_case_fit_robust("frailty_dense", file, SURVKIT_COX_ROBUST_AUTO);
}

static void check_case_tol(const char *file, tolerances tl)
{
    print_message("case %s\n", file);
    penal_case c = dense_case_fit(file);
    golden *g = c.g;
    survkit_frailty_result *fit = c.fit;
    assert_true(survkit_frailty_result_is_dense(fit));
    assert_int_equal(survkit_frailty_result_n_warnings(fit), golden_length(g, "warnings"));
    for (size_t k = 0; k < golden_length(g, "warnings"); k++)
        assert_string_equal(survkit_frailty_result_warning(fit, k), golden_string(g, "warnings", k));
    const size_t G = (size_t)golden_number(g, "G"), fcol = (size_t)golden_number(g, "fcol");
    const size_t pf = golden_length(g, "coef"), p = pf - G;
    assert_int_equal(survkit_frailty_result_p(fit), p);
    assert_int_equal(survkit_frailty_result_n_groups(fit), G);
    assert_int_equal(survkit_frailty_result_frailty_row(fit), fcol);
    for (size_t g2 = 0; g2 < G; g2++) { /* R's names: gamma:<level> or gauss:<level> */
        const char *name = golden_string(g, "coef_names", fcol + g2);
        assert_string_equal(strchr(name, ':') + 1, survkit_frailty_result_group(fit, g2));
    }
    const double *iter = golden_numbers(g, "iter");
    assert_int_equal(survkit_frailty_result_outer_iterations(fit), (int)iter[0]);
    assert_int_equal(survkit_frailty_result_iterations(fit), (int)iter[1]);
    check_history(fit, g, tl.hist);
    assert_number_close(survkit_frailty_result_theta(fit), golden_number(g, "theta"), tl.hist, 0,
                        "theta");
    if (!isnan(golden_number(g, "c_loglik")))
        assert_number_close(survkit_frailty_result_c_loglik(fit), golden_number(g, "c_loglik"),
                            TOL, 0, "c.loglik");
    const double *coef = golden_numbers(g, "coef");
    for (size_t k = 0; k < pf; k++) /* frailties near 0: absolute on their scale */
        assert_number_close(full_coef(fit, fcol, G, k), coef[k], tl.coef,
                            k >= fcol && k < fcol + G ? tl.frail_abs : 0, "coef");
    assert_numbers_close(survkit_frailty_result_dense_vcov(fit), golden_numbers(g, "var"), pf * pf,
                         tl.coef, 1e-15, "var");
    assert_numbers_close(survkit_frailty_result_dense_vcov2(fit), golden_numbers(g, "var2"),
                         pf * pf, tl.coef, 1e-15, "var2");
    /* the covariates' blocks of var */
    const double *var = golden_numbers(g, "var");
    for (size_t a = 0; a < p; a++)
        for (size_t b = 0; b < p; b++) {
            const size_t fa = a < fcol ? a : a + G, fb = b < fcol ? b : b + G;
            assert_number_close(survkit_frailty_result_vcov(fit)[a + b * p], var[fa + fb * pf],
                                tl.coef, 0, "var (covariates)");
        }
    /* R's fit$means: 0 for the 0/1 columns (the indicators among them) */
    const double *means = golden_numbers(g, "means");
    for (size_t a = 0; a < p; a++)
        assert_number_close(survkit_frailty_result_means(fit)[a], means[a < fcol ? a : a + G], TOL,
                            0, "means");
    for (size_t g2 = 0; g2 < G; g2++) assert_true(means[fcol + g2] == 0);
    /* robust: R's naive.var (its covariates' block here) and the robust score test */
    const bool robust = !isnan(golden_number(g, "rscore"));
    assert_int_equal(survkit_frailty_result_is_robust(fit), robust);
    if (robust) {
        const double *naive = golden_numbers(g, "naive_var");
        for (size_t a = 0; a < p; a++)
            for (size_t b = 0; b < p; b++) {
                const size_t fa = a < fcol ? a : a + G, fb = b < fcol ? b : b + G;
                assert_number_close(survkit_frailty_result_naive_vcov(fit)[a + b * p],
                                    naive[fa + fb * pf], tl.coef, 0, "naive var");
            }
        assert_number_close(survkit_frailty_result_robust_score(fit), golden_number(g, "rscore"),
                            TOL, 0, "robust score test");
    }
    for (size_t g2 = 0; g2 < G; g2++)
        assert_number_close(survkit_frailty_result_fvar(fit)[g2],
                            var[(fcol + g2) * (pf + 1)], tl.coef, 0, "fvar");
    penal_check_df_loglik_penalty(fit, g, TOL, tl.coef, 1e-12, tl.pen_abs);
    assert_numbers_close(survkit_frailty_result_linear_predictor(fit), golden_numbers(g, "lp"),
                         survkit_frailty_result_n(fit), tl.coef, tl.frail_abs, "linear predictor");
    /* R's printed table (column-major, 6 columns): the rows of the covariates and the frailty's,
     * in the formula's order; pspline's two rows are test_pspline's business */
    const double *table = golden_numbers(g, "table");
    const size_t rows = golden_length(g, "table") / 6;
    size_t j = 0;
    for (size_t r = 0; r < rows; r++) {
        const char *label = golden_string(g, "table_labels", r);
        if (strncmp(label, "pspline(", 8) == 0) {
            size_t first, m;
            survkit_frailty_result_pspline_columns(fit, 0, &first, &m);
            const double *pr = survkit_frailty_result_pspline_rows(fit, 0);
            const double *mine = strstr(label, "nonlin") ? pr + 6 : pr;
            for (size_t col = 3; col < 5; col++)
                assert_number_close(mine[col], table[r + col * rows], tl.coef, 0, "pspline row");
            if (strstr(label, "nonlin")) j += m;
            continue;
        }
        if (strncmp(label, "frailty(", 8) == 0) {
            double chisq, df, pv;
            survkit_frailty_result_frailty_test(fit, &chisq, &df, &pv);
            assert_string_equal(label, survkit_frailty_result_term(fit));
            assert_number_close(chisq, table[r + 3 * rows], tl.coef, 0, "frailty chisq");
            assert_number_close(df, table[r + 4 * rows], tl.coef, 1e-12, "frailty df");
            assert_number_close(pv, table[r + 5 * rows], 1e-7, 1e-300, "frailty p");
            continue;
        }
        assert_number_close(survkit_frailty_result_coef(fit)[j], table[r], tl.coef, 0, "coef row");
        assert_number_close(survkit_frailty_result_se(fit)[j], table[r + rows], tl.coef, 0, "se");
        assert_number_close(survkit_frailty_result_se2(fit)[j], table[r + 2 * rows], tl.coef, 0,
                            "se2");
        assert_number_close(survkit_frailty_result_chisq(fit)[j], table[r + 3 * rows], tl.coef, 0,
                            "chisq");
        assert_number_close(survkit_frailty_result_pvalue(fit)[j], table[r + 5 * rows], 1e-7,
                            1e-300, "p");
        j++;
    }
    assert_int_equal(j, p);
    assert_number_close(survkit_frailty_result_n_events(fit), golden_number(g, "nevent"), 0, 0,
                        "events");
    if (golden_has(g, "curve_x")) { /* R's termplot of the pspline term (cox --plot) */
        const size_t n = survkit_frailty_result_n(fit);
        double *x = malloc(3 * n * sizeof(double));
        assert_non_null(x);
        size_t m = 0;
        survkit_error err;
        survkit_error_clear(&err);
        assert_int_equal(survkit_frailty_result_pspline_curve(fit, c.frame, 0, x, x + n,
                                                              x + 2 * n, &m, &err),
                         SURVKIT_OK);
        assert_int_equal(m, golden_length(g, "curve_x"));
        assert_numbers_close(x, golden_numbers(g, "curve_x"), m, 0, 0, "curve x");
        assert_numbers_close(x + n, golden_numbers(g, "curve_y"), m, tl.coef, 1e-12, "curve y");
        assert_numbers_close(x + 2 * n, golden_numbers(g, "curve_se"), m, tl.coef, 0, "curve se");
        free(x);
    }
    penal_case_free(&c);
}

static void test_case(void **state)
{
    check_case_tol(*state, (tolerances){TOL, 1e-12, TOL, 1e-12});
}

/* lung_inst: theta falls to 5e-07, and nu = 1/theta = 2e6 multiplies the round-off of
 * exp(f) - 1 in the penalty (survkit sums f - expm1(f), R -f: frailty.c's gamma_penalty, as
 * for the sparse form): about nu x 18 groups x 1e-16 = 4e-9 on a penalty of 3e-5, so the final
 * penalty agrees to 1e-9 absolute (1.6e-6 relative); the frailties (~1e-7) to 1e-11 absolute;
 * everything else to 1e-9 relative. */
static void test_inst(void **state)
{
    (void)state;
    check_case_tol("lung_inst", (tolerances){TOL, 1e-11, TOL, 1e-9});
}

/* A value of frailty(x) whose rows all go to na.omit (ph.ecog 3: meal.cal < 1100 there): R's
 * dense frailty keeps its all-zero column (G = 4), survkit has 3 groups. The column's coefficient
 * is 0 at R's solution (9.5e-25), so recentring, penalty, df, REML trace and I-likelihood are the
 * same; everything else agrees (R's "NaNs produced" warning is sqrt()'s, not the fit's). */
static void test_empty_level(void **state)
{
    (void)state;
    penal_case c = dense_case_fit("lung_empty_level");
    golden *g = c.g;
    survkit_frailty_result *fit = c.fit;
    assert_true(survkit_frailty_result_is_dense(fit));
    const size_t G = (size_t)golden_number(g, "G"), fcol = (size_t)golden_number(g, "fcol");
    assert_int_equal(survkit_frailty_result_n_groups(fit), G - 1);
    const double *coef = golden_numbers(g, "coef"), *iter = golden_numbers(g, "iter");
    assert_true(fabs(coef[fcol + G - 1]) < 1e-20);
    for (size_t j = 0; j < fcol; j++)
        assert_number_close(survkit_frailty_result_coef(fit)[j], coef[j], TOL, 0, "coef");
    for (size_t g2 = 0; g2 + 1 < G; g2++)
        assert_number_close(survkit_frailty_result_frail(fit)[g2], coef[fcol + g2], TOL, 1e-15,
                            "frail");
    assert_int_equal(survkit_frailty_result_outer_iterations(fit), (int)iter[0]);
    assert_int_equal(survkit_frailty_result_iterations(fit), (int)iter[1]);
    assert_numbers_close(survkit_frailty_result_df(fit), golden_numbers(g, "df"), 3, TOL, 1e-12,
                         "df");
    assert_number_close(survkit_frailty_result_loglik(fit), golden_numbers(g, "loglik")[1], TOL, 0,
                        "loglik");
    assert_number_close(survkit_frailty_result_c_loglik(fit), golden_number(g, "c_loglik"), TOL, 0,
                        "c.loglik");
    assert_number_close(survkit_frailty_result_theta(fit), golden_number(g, "theta"), TOL, 0,
                        "theta");
    penal_case_free(&c);
}

/* frailty(x) with 6 values before na.omit and 5 after: R decides sparse = (nclass > 5) on the
 * 6, so its fit is the sparse one (survkit_frame_frailty_nclass); survkit's too. */
static void test_nclass_sparse(void **state)
{
    (void)state;
    penal_case c = dense_case_fit("lung_nclass_sparse");
    golden *g = c.g;
    survkit_frailty_result *fit = c.fit;
    assert_false(survkit_frailty_result_is_dense(fit));
    assert_int_equal(survkit_frame_frailty_nclass(c.frame), 6);
    assert_int_equal(survkit_frailty_result_n_groups(fit), golden_length(g, "frail"));
    const double *iter = golden_numbers(g, "iter");
    assert_int_equal(survkit_frailty_result_outer_iterations(fit), (int)iter[0]);
    assert_int_equal(survkit_frailty_result_iterations(fit), (int)iter[1]);
    assert_numbers_close(survkit_frailty_result_coef(fit), golden_numbers(g, "coef"), 2, TOL, 0,
                         "coef");
    assert_numbers_close(survkit_frailty_result_frail(fit), golden_numbers(g, "frail"),
                         golden_length(g, "frail"), TOL, 1e-12, "frail");
    assert_numbers_close(survkit_frailty_result_vcov(fit), golden_numbers(g, "var"), 4, TOL, 0,
                         "var");
    assert_number_close(survkit_frailty_result_loglik(fit), golden_numbers(g, "loglik")[1], TOL, 0,
                        "loglik");
    penal_case_free(&c);
}

/* The dense form's refusals: cox.zph of its model (R fails: "non-conformable arrays"); a
 * distribution that pmatch(c("gamma", "gaussian", "t")) does not make one of the two (R:
 * frailty.ga not found);
 * a search for theta that breaks down where R's fit diverges. */
static void test_refusals(void **state)
{
    (void)state;
    survkit_table *t = penal_dataset("lung");
    penal_expect_error(t, "Surv(time, status) ~ age + frailty(ph.ecog, dist = 'ga')",
                       "is not supported");
    penal_expect_error(t, "Surv(time, status) ~ age + frailty(ph.ecog, distribution = 't')",
                       "is not supported");
    /* R's own fit diverges here (coefficients near -6000 with the same first 7 outer iterates,
     * its inner loops failing from fit 2 on, a nonsense print): refused, saying so */
    penal_expect_error(t,
                       "Surv(time, status) ~ pspline(age, df = 3) + "
                       "frailty(ph.ecog, distribution = 'gaussian') + sex",
                       "did not converge");
    survkit_frame *frame = NULL;
    survkit_frailty_result *fit = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(penal_fit(t, "Surv(time, status) ~ age + frailty(ph.ecog)", NULL,
                               SURVKIT_COX_EFRON, &frame, &fit, &err),
                     SURVKIT_OK);
    /* cox.zph fails in R on a dense fit (its diagnostics: test_frailty_diag.c) */
    survkit_cox_model *model = NULL;
    assert_int_equal(survkit_frailty_model_create_frame(fit, frame, NULL, &model, &err),
                     SURVKIT_OK);
    survkit_cox_data data;
    survkit_cox_data_from_frame(frame, &data);
    survkit_zph *zph = NULL;
    assert_int_not_equal(survkit_cox_zph(model, &data, SURVKIT_ZPH_KM, &zph, &err), SURVKIT_OK);
    assert_non_null(strstr(err.message, "non-conformable arrays"));
    assert_null(zph);
    survkit_cox_model_free(model);
    survkit_frailty_result_free(fit);
    survkit_frame_free(frame);
    survkit_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_prestate(test_case, "lung_gamma"),
        cmocka_unit_test_prestate(test_case, "lung_gauss"),
        cmocka_unit_test(test_inst),
        cmocka_unit_test_prestate(test_case, "lung_gamma_aic"),
        cmocka_unit_test_prestate(test_case, "lung_fixed"),
        cmocka_unit_test_prestate(test_case, "lung_gauss_aic"),
        cmocka_unit_test_prestate(test_case, "lung_gauss_fixed_breslow"),
        cmocka_unit_test_prestate(test_case, "lung_df"),
        cmocka_unit_test_prestate(test_case, "lung_strata"),
        cmocka_unit_test_prestate(test_case, "lung_breslow"),
        cmocka_unit_test_prestate(test_case, "lung_first"),
        cmocka_unit_test_prestate(test_case, "lung_only"),
        cmocka_unit_test_prestate(test_case, "lung_ridge"),
        cmocka_unit_test_prestate(test_case, "lung_pspline"),
        cmocka_unit_test_prestate(test_case, "bladder_enum"),
        cmocka_unit_test_prestate(test_case, "bladder_number_breslow"),
        cmocka_unit_test_prestate(test_case, "reun_support"),
        cmocka_unit_test_prestate(test_case, "lung_gauss_dist"),
        cmocka_unit_test_prestate(test_case, "lung_robust"),
        cmocka_unit_test_prestate(test_case, "lung_cluster"),
        cmocka_unit_test(test_empty_level),
        cmocka_unit_test(test_nclass_sparse),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
