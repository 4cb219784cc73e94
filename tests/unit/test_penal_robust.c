/*
 * test_penal_robust.c: the robust (sandwich) variance of ridge() and pspline() Cox fits against
 * R's coxph (survival 3.5): with cluster(), with robust = TRUE, and by R's default when some case
 * weight is not a whole number (weighted_lung.csv). Expected values:
 * tests/golden/penal_robust/<case>.txt, written by tests/golden/make_golden_penal_robust.R (the R
 * call is the first line of each file): coef, the robust var (R's fit$var), var2, naive.var,
 * rscore, loglik and the printed table (se(coef) and Chisq from the robust var), at 1e-9
 * relative. Also the refusals: frailty() with cluster() or robust, and robust = TRUE on
 * (start, stop] data without a cluster.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "golden.h"
#include "penal_fixture.h"
#include "survkit/survkit.h"

static const double TOL = 1e-9;

/* The golden's printed table against the fit: ridge and plain columns one row each (coef,
 * se(coef) = sqrt of the robust var, se2, Chisq, 1, p), a pspline term its two rows. */
static void check_table(const golden *g, const survkit_frailty_result *fit)
{
    const double *table = golden_numbers(g, "table");
    const size_t rows = golden_length(g, "table_names"), p = survkit_frailty_result_p(fit);
    size_t row = 0;
    for (size_t j = 0; j < p;) {
        size_t count = 0;
        const size_t k = penal_pspline_at(fit, j, &count);
        if (k != SIZE_MAX) {
            const double *ps = survkit_frailty_result_pspline_rows(fit, k);
            for (size_t r = 0; r < 2; r++, row++)
                for (size_t c = 0; c < 6; c++) {
                    const double want = table[row + c * rows], got = ps[r * 6 + c];
                    if (isnan(want)) assert_true(isnan(got));
                    else assert_number_close(got, want, TOL, 1e-300, "pspline row");
                }
            j += count;
            continue;
        }
        assert_string_equal(survkit_frailty_result_name(fit, j),
                            golden_string(g, "table_names", row));
        const double got[6] = {survkit_frailty_result_coef(fit)[j],
                               survkit_frailty_result_se(fit)[j],
                               survkit_frailty_result_se2(fit)[j],
                               survkit_frailty_result_chisq(fit)[j], 1,
                               survkit_frailty_result_pvalue(fit)[j]};
        for (size_t c = 0; c < 6; c++)
            assert_number_close(got[c], table[row + c * rows], TOL, 1e-300, "table");
        row++, j++;
    }
    assert_int_equal(row, rows);
}

static void test_golden_case(void **state)
{
    const char *name = *state;
    char path[256];
    snprintf(path, sizeof path, "penal_robust/%s.txt", name);
    golden *g = golden_load(path);
    survkit_table *t = penal_dataset(golden_string(g, "dataset", 0));
    const char *weights = golden_length(g, "weights") ? golden_string(g, "weights", 0) : NULL;
    /* R's robust = TRUE when the call has it, else its default */
    const survkit_cox_robust robust =
        golden_length(g, "options") ? SURVKIT_COX_ROBUST_ON : SURVKIT_COX_ROBUST_AUTO;
    survkit_frame *frame = NULL;
    survkit_frailty_result *fit = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (penal_fit_robust(t, golden_string(g, "formula", 0), weights, SURVKIT_COX_EFRON, robust,
                         &frame, &fit, &err) != SURVKIT_OK)
        fail_msg("%s: %s", name, err.message);
    const size_t p = survkit_frailty_result_p(fit);
    assert_int_equal(p, golden_length(g, "coef"));
    assert_true(survkit_frailty_result_is_robust(fit));
    assert_numbers_close(survkit_frailty_result_coef(fit), golden_numbers(g, "coef"), p, TOL, 0,
                         "coef");
    assert_numbers_close(survkit_frailty_result_vcov(fit), golden_numbers(g, "var"), p * p, TOL,
                         1e-300, "robust var");
    assert_numbers_close(survkit_frailty_result_vcov2(fit), golden_numbers(g, "var2"), p * p,
                         TOL, 1e-300, "var2");
    assert_numbers_close(survkit_frailty_result_naive_vcov(fit), golden_numbers(g, "naive_var"),
                         p * p, TOL, 1e-300, "naive var");
    assert_number_close(survkit_frailty_result_robust_score(fit), golden_number(g, "rscore"), TOL,
                        0, "robust score test");
    const double *loglik = golden_numbers(g, "loglik");
    assert_number_close(survkit_frailty_result_loglik_null(fit), loglik[0], TOL, 0, "loglik[1]");
    assert_number_close(survkit_frailty_result_loglik(fit), loglik[1], TOL, 0, "loglik[2]");
    assert_numbers_close(survkit_frailty_result_df(fit), golden_numbers(g, "df"),
                         golden_length(g, "df"), 1e-8, 0, "df");
    check_table(g, fit);
    survkit_frailty_result_free(fit);
    survkit_frame_free(frame);
    survkit_table_free(t);
    golden_free(g);
}

/* frailty() has no robust variance (R's residuals are not defined for it); robust = TRUE with
 * (start, stop] data needs a cluster (R: "one of cluster or id is needed"). */
static void test_refusals(void **state)
{
    (void)state;
    survkit_table *t = penal_dataset("lung");
    penal_expect_error_robust(t, "Surv(time, status) ~ age + frailty(inst) + cluster(inst)",
                              SURVKIT_COX_ROBUST_AUTO, "frailty() term");
    penal_expect_error_robust(t, "Surv(time, status) ~ age + frailty(inst)",
                              SURVKIT_COX_ROBUST_ON, "frailty() term");
    survkit_table_free(t);
    t = penal_dataset("bladder2");
    penal_expect_error_robust(t, "Surv(start, stop, event) ~ ridge(rx, size, theta = 1)",
                              SURVKIT_COX_ROBUST_ON, "one of cluster or id is needed");
    survkit_table_free(t);
}

/* robust = FALSE with cluster(): R's warning, the model-based variance. */
static void test_robust_off(void **state)
{
    (void)state;
    golden *g = golden_load("penal_robust/ridge_cluster.txt");
    survkit_table *t = penal_dataset("lung");
    survkit_frame *frame = NULL;
    survkit_frailty_result *fit = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (penal_fit_robust(t, golden_string(g, "formula", 0), NULL, SURVKIT_COX_EFRON,
                         SURVKIT_COX_ROBUST_OFF, &frame, &fit, &err) != SURVKIT_OK)
        fail_msg("%s", err.message);
    assert_false(survkit_frailty_result_is_robust(fit));
    assert_null(survkit_frailty_result_naive_vcov(fit));
    assert_int_equal(survkit_frailty_result_n_warnings(fit), 1);
    assert_string_equal(survkit_frailty_result_warning(fit, 0),
                        "cluster specified with robust=FALSE, cluster ignored");
    /* the model-based var is the robust fit's naive.var */
    const size_t p = survkit_frailty_result_p(fit);
    assert_numbers_close(survkit_frailty_result_vcov(fit), golden_numbers(g, "naive_var"), p * p,
                         TOL, 1e-300, "naive var");
    survkit_frailty_result_free(fit);
    survkit_frame_free(frame);
    survkit_table_free(t);
    golden_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_prestate(test_golden_case, "ridge_cluster"),
        cmocka_unit_test_prestate(test_golden_case, "ridge_robust"),
        cmocka_unit_test_prestate(test_golden_case, "ridge_weights"),
        cmocka_unit_test_prestate(test_golden_case, "pspline_weights"),
        cmocka_unit_test_prestate(test_golden_case, "pspline_cluster_strata"),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_robust_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
