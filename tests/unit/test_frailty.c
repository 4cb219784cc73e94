/*
 * test_frailty.c: shared gamma and gaussian frailty fits against R's coxph(... + frailty(id)),
 * right-censored (reunification) and counting-process (bladder2) data.
 * Expected values: tests/golden/frailty/<case>.txt, written by tests/golden/make_golden_frailty.R
 * (the R call is the first line of each file). The fit is built as the CLI builds it: the committed
 * CSV, the case's formula, survkit_frailty_fit_frame. R's outer loop stops at its tolerance
 * (|1 - c_k / c_(k-1)| < 1e-5), and survkit follows the same iterates, so the numbers agree to
 * round-off: 1e-8 relative is asked (the contract's minimum is 1e-6).
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
#include "cox/penal_internal.h"

static const double TOL = 1e-8;

/* The case of golden file frailty/<file>.txt: its formula and ties, fitted and compared. */
static void check_case(const char *file)
{
    penal_case c = penal_case_fit("frailty", file);
    golden *g = c.g;
    survkit_frailty_result *fit = c.fit;
    assert_int_equal(survkit_frailty_result_n_warnings(fit), golden_length(g, "warnings"));
    for (size_t k = 0; k < golden_length(g, "warnings"); k++)
        assert_string_equal(survkit_frailty_result_warning(fit, k), golden_string(g, "warnings", k));
    const size_t p = survkit_frailty_result_p(fit), G = survkit_frailty_result_n_groups(fit);
    assert_int_equal(p, golden_length(g, "coef"));
    assert_int_equal(G, golden_length(g, "frail"));
    const double *iter = golden_numbers(g, "iter");
    assert_int_equal(survkit_frailty_result_outer_iterations(fit), (int)iter[0]);
    assert_int_equal(survkit_frailty_result_iterations(fit), (int)iter[1]);
    assert_int_equal(survkit_frailty_result_n_history(fit), golden_length(g, "history_theta"));
    for (size_t k = 0; k < survkit_frailty_result_n_history(fit); k++) {
        double th, ll, cl;
        survkit_frailty_result_history(fit, k, &th, &ll, &cl);
        assert_number_close(th, golden_numbers(g, "history_theta")[k], TOL, 0, "history theta");
        if (!isnan(golden_numbers(g, "history_loglik")[k]))
            assert_number_close(ll, golden_numbers(g, "history_loglik")[k], TOL, 0,
                                "history loglik");
        assert_number_close(cl, golden_numbers(g, "history_c_loglik")[k], TOL, 0,
                            "history c.loglik");
        assert_number_close(survkit_frailty_result_history_resid(fit, k),
                            golden_numbers(g, "history_resid")[k], 1e-7, 1e-12, "history resid");
    }
    assert_number_close(survkit_frailty_result_theta(fit), golden_number(g, "theta"), TOL, 0,
                        "theta");
    assert_number_close(survkit_frailty_result_c_loglik(fit), golden_number(g, "c_loglik"), TOL, 0,
                        "c.loglik");
    assert_numbers_close(survkit_frailty_result_coef(fit), golden_numbers(g, "coef"), p, TOL, 0,
                         "coef");
    assert_numbers_close(survkit_frailty_result_vcov(fit), golden_numbers(g, "var"), p * p, TOL,
                         0, "var");
    assert_numbers_close(survkit_frailty_result_vcov2(fit), golden_numbers(g, "var2"), p * p,
                         TOL, 0, "var2");
    penal_check_df_loglik_penalty(fit, g, TOL, TOL, 0, 0);
    /* frailties are near 0 for some groups: compare on the scale of the largest */
    assert_numbers_close(survkit_frailty_result_frail(fit), golden_numbers(g, "frail"), G, TOL,
                         1e-9, "frail");
    assert_numbers_close(survkit_frailty_result_fvar(fit), golden_numbers(g, "fvar"), G, TOL, 0,
                         "fvar");
    assert_numbers_close(survkit_frailty_result_linear_predictor(fit), golden_numbers(g, "lp"),
                         survkit_frailty_result_n(fit), TOL, 1e-9, "linear predictor");
    /* R's printed table: p coefficient rows, then the frailty row (column-major, 6 columns) */
    const double *table = golden_numbers(g, "table");
    const size_t rows = p + (G > 0); /* ridge(): no frailty row */
    for (size_t j = 0; j < p; j++) {
        assert_number_close(survkit_frailty_result_se(fit)[j], table[j + rows], TOL, 0, "se");
        assert_number_close(survkit_frailty_result_se2(fit)[j], table[j + 2 * rows], TOL, 0, "se2");
        assert_number_close(survkit_frailty_result_chisq(fit)[j], table[j + 3 * rows], TOL, 0,
                            "chisq");
        assert_number_close(survkit_frailty_result_pvalue(fit)[j], table[j + 5 * rows], 1e-7,
                            1e-300, "p");
    }
    if (G > 0) {
        double chisq, df, pv;
        survkit_frailty_result_frailty_test(fit, &chisq, &df, &pv);
        assert_number_close(chisq, table[p + 3 * rows], TOL, 0, "frailty chisq");
        assert_number_close(df, table[p + 4 * rows], TOL, 0, "frailty df");
        assert_number_close(pv, table[p + 5 * rows], 1e-7, 1e-300, "frailty p");
    }
    assert_number_close(survkit_frailty_result_n_events(fit), golden_number(g, "nevent"), 0, 0,
                        "events");
    penal_case_free(&c);
}

static void test_family_gamma(void **state) { (void)state; check_case("family_gamma"); }
static void test_la_gamma(void **state) { (void)state; check_case("la_gamma"); }
static void test_family_breslow(void **state) { (void)state; check_case("family_breslow"); }
static void test_la_strata(void **state) { (void)state; check_case("la_strata"); }
static void test_family_fixed(void **state) { (void)state; check_case("family_fixed"); }
static void test_la_only(void **state) { (void)state; check_case("la_only"); }
static void test_family_gauss(void **state) { (void)state; check_case("family_gauss"); }
static void test_la_gauss(void **state) { (void)state; check_case("la_gauss"); }
static void test_la_gauss_fixed(void **state) { (void)state; check_case("la_gauss_fixed"); }
static void test_la_weights(void **state) { (void)state; check_case("la_weights"); }
static void test_la_ridge(void **state) { (void)state; check_case("la_ridge"); }
static void test_family_ridge_na(void **state) { (void)state; check_case("family_ridge_na"); }
static void test_la_ridge_df(void **state) { (void)state; check_case("la_ridge_df"); }
static void test_la_ridge_df_gauss(void **state) { (void)state; check_case("la_ridge_df_gauss"); }
static void test_ridge_scaled(void **state) { (void)state; check_case("ridge_scaled"); }
static void test_ridge_unscaled_breslow(void **state)
{
    (void)state;
    check_case("ridge_unscaled_breslow");
}
static void test_bladder_gamma(void **state) { (void)state; check_case("bladder_gamma"); }
static void test_bladder_gauss_breslow(void **state)
{
    (void)state;
    check_case("bladder_gauss_breslow");
}

/* One golden case, named by the test's state (cmocka_unit_test_prestate), for the cases below. */
static void test_golden_case(void **state)
{
    print_message("case %s\n", (const char *)*state);
    check_case(*state);
}

/* Refusals with a message: bad theta, one row per group, bad sparse = . */
static void test_refusals(void **state)
{
    (void)state;
    survkit_table *t = penal_dataset("reunification");
    penal_expect_error(t, "Surv(days, breakdown) ~ age + frailty(family_id, theta = 0)",
                 "theta must be positive");
    penal_expect_error(t, "Surv(days, breakdown) ~ age + frailty(family_id, theta = -2)",
                 "theta must be positive");
    penal_expect_error(t, "Surv(days, breakdown) ~ age + frailty(child_id)", "every group has one row");
    /* frailty(support) (3 groups) and frailty(la, sparse = FALSE) are R's dense frailty,
     * fitted now: test_frailty_dense.c */
    penal_expect_error(t, "Surv(days, breakdown) ~ age + frailty(la, sparse = c(10, 0.1))",
                       "the condition has length > 1");
    penal_expect_error(t, "Surv(days, breakdown) ~ age + frailty(la, sparse = NA)",
                       "missing value where TRUE/FALSE needed");
    penal_expect_error(t, "Surv(days, breakdown) ~ age + frailty(la, sparse = 'yes')",
                       "not interpretable as logical");
    penal_expect_error(t, "Surv(days, breakdown) ~ age + frailty(la, nclass = 3)", "no argument");
    penal_expect_error(t, "Surv(days, breakdown) ~ frailty(la) + frailty(family_id)",
                 "multiple frailty");
    survkit_table_free(t);
}

/* The two helpers against values worked by hand from R's definitions. */
static void test_gammacon_brent(void **state)
{
    (void)state;
    /* d = (0, 1, 2, 2), nu = 2: term1 = 5 + 2 (log(2/3) + 2 log(2/4)); term2 pairs
     * num (2, 2, 2, 3, 3) with den (3, 4, 4, 4, 4) */
    const double d[] = {0, 1, 2, 2};
    const double expect = 5 + 2 * (log(2.0 / 3) + 2 * log(0.5)) + log(2.0 / 3) + 2 * log(0.5) +
                          2 * log(0.75);
    assert_number_close(sk_frailty_gammacon(d, 4, 2), expect, 1e-14, 0, "gammacon");
    /* bracketed maximum of a parabola: the quadratic step lands on its vertex */
    const double x[] = {0, 1, 2}, y[] = {-1, 0, -1};
    assert_number_close(sk_frailty_brent(x, y, 3), 1, 1e-14, 0, "brent vertex");
    const double y2[] = {-3, -2, -1};
    assert_number_close(sk_frailty_brent(x, y2, 3), 5, 1e-14, 0, "brent step out");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_family_gamma),  cmocka_unit_test(test_la_gamma),
        cmocka_unit_test(test_family_breslow), cmocka_unit_test(test_la_strata),
        cmocka_unit_test(test_family_fixed),  cmocka_unit_test(test_la_only),
        cmocka_unit_test(test_family_gauss),  cmocka_unit_test(test_la_gauss),
        cmocka_unit_test(test_la_gauss_fixed), cmocka_unit_test(test_bladder_gamma),
        cmocka_unit_test(test_bladder_gauss_breslow), cmocka_unit_test(test_la_weights),
        cmocka_unit_test(test_ridge_scaled), cmocka_unit_test(test_ridge_unscaled_breslow),
        cmocka_unit_test(test_la_ridge), cmocka_unit_test(test_family_ridge_na),
        cmocka_unit_test(test_la_ridge_df), cmocka_unit_test(test_la_ridge_df_gauss),
        /* case weights, (start, stop] data, Efron ties: R's agfit5 rule (efron.c,
         * sk_cox_work_set_agfit5); fractional weights on right-censored data (coxfit5) */
        cmocka_unit_test_prestate(test_golden_case, "bladder_w_gamma"),
        cmocka_unit_test_prestate(test_golden_case, "bladder_w_gauss"),
        cmocka_unit_test_prestate(test_golden_case, "bladder_w_ridge"),
        cmocka_unit_test_prestate(test_golden_case, "kidney_w_gamma"),
        /* frailty(sparse = TRUE) with 3 groups (R's default there is dense), sparse = 10 (TRUE) */
        cmocka_unit_test_prestate(test_golden_case, "support_sparse"),
        cmocka_unit_test_prestate(test_golden_case, "la_sparse_number"),
        cmocka_unit_test_prestate(test_golden_case, "support_gauss_sparse"),
        /* the gaussian frailty (REML) with strata */
        cmocka_unit_test_prestate(test_golden_case, "la_gauss_strata"),
        cmocka_unit_test(test_refusals),      cmocka_unit_test(test_gammacon_brent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
