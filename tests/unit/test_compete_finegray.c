/*
 * test_compete_finegray.c: the Fine-Gray model against cmprsk::crr (coefficients at crr's own
 * final iterate, its sandwich variance, loglik, loglik.null, the number of Newton steps, the
 * baseline jumps and predict.crr), with factors, an interaction, a transform, ties across
 * causes, and integer case weights checked against crr on the rows repeated
 * (tests/golden/make_golden_compete.R).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "golden.h"
#include "survkit/survkit.h"

#define REL 1e-9

static void check_case(const char *name)
{
    golden *g = golden_load(name);
    const size_t n = golden_length(g, "time"), p = golden_length(g, "names");
    const double *sv = golden_numbers(g, "state");
    int32_t *state = malloc(n * sizeof *state);
    for (size_t i = 0; i < n; i++) state[i] = (int32_t)sv[i];
    const char **names = malloc(p * sizeof *names);
    for (size_t j = 0; j < p; j++) names[j] = golden_string(g, "names", j);
    survkit_finegray *fit = NULL;
    survkit_error err;
    if (survkit_finegray_fit(n, golden_numbers(g, "time"), state, (int32_t)golden_number(g, "cause"),
                             p, golden_numbers(g, "x"), names,
                             golden_has(g, "weights") ? golden_numbers(g, "weights") : NULL, NULL,
                             &fit, &err) != SURVKIT_OK)
        fail_msg("%s: fit failed: %s", name, err.message);
    char what[128];
    snprintf(what, sizeof what, "%s coef", name);
    assert_numbers_close(survkit_finegray_coef(fit), golden_numbers(g, "coef"), p, REL, 0, what);
    snprintf(what, sizeof what, "%s var", name);
    assert_numbers_close(survkit_finegray_vcov(fit), golden_numbers(g, "var"), p * p, REL, 0, what);
    snprintf(what, sizeof what, "%s loglik", name);
    assert_number_close(survkit_finegray_loglik(fit), golden_number(g, "loglik"), REL, 0, what);
    assert_number_close(survkit_finegray_loglik_null(fit), golden_number(g, "loglik_null"), REL, 0,
                        what);
    assert_int_equal(survkit_finegray_converged(fit), (int)golden_number(g, "converged"));
    assert_int_equal(survkit_finegray_iterations(fit), (int)golden_number(g, "iterations"));
    assert_string_equal(survkit_finegray_name(fit, 0), names[0]);
    const size_t K = golden_length(g, "uftime");
    assert_int_equal(survkit_finegray_n_event_times(fit), K);
    snprintf(what, sizeof what, "%s uftime", name);
    assert_numbers_close(survkit_finegray_event_times(fit), golden_numbers(g, "uftime"), K, 0, 0, what);
    snprintf(what, sizeof what, "%s bfitj", name);
    assert_numbers_close(survkit_finegray_baseline_jumps(fit), golden_numbers(g, "bfitj"), K, REL,
                         0, what);
    /* predict.crr for the first n_new rows of the design */
    const size_t m = (size_t)golden_number(g, "n_new");
    const double *x = golden_numbers(g, "x");
    double *newx = malloc(m * p * sizeof *newx), *cif = malloc(m * K * sizeof *cif);
    for (size_t j = 0; j < p; j++)
        for (size_t r = 0; r < m; r++) newx[j * m + r] = x[j * n + r];
    assert_int_equal(survkit_finegray_predict(fit, m, newx, cif, &err), SURVKIT_OK);
    snprintf(what, sizeof what, "%s predict", name);
    assert_numbers_close(cif, golden_numbers(g, "predict"), m * K, REL, 0, what);
    free(newx);
    free(cif);
    survkit_finegray_free(fit);
    free(state);
    free(names);
    golden_free(g);
}

static void test_pbc_death(void **state) { (void)state; check_case("compete/fg_pbc_death.txt"); }
static void test_pbc_transplant(void **state) { (void)state; check_case("compete/fg_pbc_transplant.txt"); }
static void test_syn_relapse(void **state) { (void)state; check_case("compete/fg_syn_relapse.txt"); }
static void test_syn_weights(void **state) { (void)state; check_case("compete/fg_syn_weights.txt"); }

/* Bad input: the censoring code as the cause; a cause without events. */
static void test_errors(void **state)
{
    (void)state;
    const double time[] = {1, 2, 3, 4}, x[] = {0.5, 1, 2, 3};
    const int32_t st[] = {1, 0, 2, 1};
    survkit_finegray *fit = NULL;
    survkit_error err;
    assert_int_equal(survkit_finegray_fit(4, time, st, 0, 1, x, NULL, NULL, NULL, &fit, &err),
                     SURVKIT_ERR_ARGUMENT);
    assert_int_equal(survkit_finegray_fit(4, time, st, 3, 1, x, NULL, NULL, NULL, &fit, &err),
                     SURVKIT_ERR_NO_DATA);
    assert_null(fit);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pbc_death), cmocka_unit_test(test_pbc_transplant),
        cmocka_unit_test(test_syn_relapse), cmocka_unit_test(test_syn_weights),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
