/*
 * test_logrank.c: survdiff's G-rho tests (strata, many groups, rho = 0, 0.5, 1, heavy ties),
 * pairwise tests with Holm and Benjamini-Hochberg p-values, and the trend test, against R
 * (tests/golden/make_golden_km.R: survdiff, survdiff on each pair's rows, p.adjust, and the trend
 * contrast computed from survdiff's var).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>

#include <cmocka.h>

#include "golden.h"
#include "survkit/survkit.h"

#define REL 1e-9

static void check_case(const char *name, bool with_extras)
{
    golden *g = golden_load(name);
    size_t n = golden_length(g, "time"), k = golden_length(g, "labels");
    int32_t *group = malloc(n * sizeof *group), *strata = NULL;
    const double *gc = golden_numbers(g, "group");
    for (size_t i = 0; i < n; i++) group[i] = (int32_t)gc[i];
    size_t n_strata = 0;
    if (golden_has(g, "strata")) {
        strata = malloc(n * sizeof *strata);
        const double *sc = golden_numbers(g, "strata");
        for (size_t i = 0; i < n; i++) strata[i] = (int32_t)sc[i];
        n_strata = (size_t)golden_number(g, "n_strata");
    }
    const char **labels = malloc(k * sizeof *labels);
    for (size_t j = 0; j < k; j++) labels[j] = golden_string(g, "labels", j);
    survkit_logrank_options opt;
    survkit_logrank_options_init(&opt);
    opt.rho = golden_number(g, "rho");
    opt.pairwise = opt.trend = with_extras;
    survkit_logrank *lr = NULL;
    survkit_error err;
    if (survkit_logrank_test(n, golden_numbers(g, "time"), golden_numbers(g, "status"), group, k,
                             strata, n_strata, labels, &opt, &lr, &err) != SURVKIT_OK)
        fail_msg("%s: %s", name, err.message);
    char what[128];
    assert_int_equal(survkit_logrank_n_groups(lr), k);
    assert_string_equal(survkit_logrank_group_label(lr, k - 1), labels[k - 1]);
    snprintf(what, sizeof what, "%s n", name);
    assert_numbers_close(survkit_logrank_n(lr), golden_numbers(g, "n"), k, 0, 0, what);
    snprintf(what, sizeof what, "%s observed", name);
    assert_numbers_close(survkit_logrank_observed(lr), golden_numbers(g, "observed"), k, REL, 0, what);
    snprintf(what, sizeof what, "%s expected", name);
    assert_numbers_close(survkit_logrank_expected(lr), golden_numbers(g, "expected"), k, REL, 0, what);
    snprintf(what, sizeof what, "%s var", name);
    assert_numbers_close(survkit_logrank_variance(lr), golden_numbers(g, "var"), k * k, REL, 1e-13, what);
    snprintf(what, sizeof what, "%s chisq", name);
    assert_number_close(survkit_logrank_chisq(lr), golden_number(g, "chisq"), REL, 0, what);
    assert_int_equal(survkit_logrank_df(lr), (int)golden_number(g, "df"));
    snprintf(what, sizeof what, "%s p", name);
    assert_number_close(survkit_logrank_p(lr), golden_number(g, "p"), 1e-8, 0, what);
    if (with_extras) {
        size_t m = golden_length(g, "pair_chisq");
        assert_int_equal(survkit_logrank_n_pairs(lr), m);
        const survkit_logrank_pair *pr = survkit_logrank_pairs(lr);
        for (size_t q = 0; q < m; q++) {
            assert_int_equal(pr[q].a, (size_t)golden_numbers(g, "pair_a")[q]);
            assert_int_equal(pr[q].b, (size_t)golden_numbers(g, "pair_b")[q]);
            snprintf(what, sizeof what, "%s pair %zu chisq", name, q);
            assert_number_close(pr[q].chisq, golden_numbers(g, "pair_chisq")[q], REL, 0, what);
            /* p-values: GSL's and R's chi-square tails agree to ~1e-12 relative, looser far out */
            snprintf(what, sizeof what, "%s pair %zu p", name, q);
            assert_number_close(pr[q].p, golden_numbers(g, "pair_p")[q], 1e-8, 0, what);
            snprintf(what, sizeof what, "%s pair %zu holm", name, q);
            assert_number_close(pr[q].p_holm, golden_numbers(g, "pair_holm")[q], 1e-8, 0, what);
            snprintf(what, sizeof what, "%s pair %zu BH", name, q);
            assert_number_close(pr[q].p_bh, golden_numbers(g, "pair_bh")[q], 1e-8, 0, what);
        }
        assert_true(survkit_logrank_has_trend(lr));
        snprintf(what, sizeof what, "%s trend scores", name);
        assert_numbers_close(survkit_logrank_trend_scores(lr), golden_numbers(g, "scores"), k, 0, 0, what);
        snprintf(what, sizeof what, "%s trend chisq", name);
        assert_number_close(survkit_logrank_trend_chisq(lr), golden_number(g, "trend_chisq"), REL, 0, what);
        snprintf(what, sizeof what, "%s trend p", name);
        assert_number_close(survkit_logrank_trend_p(lr), golden_number(g, "trend_p"), 1e-8, 0, what);
    } else {
        assert_int_equal(survkit_logrank_n_pairs(lr), 0);
        assert_false(survkit_logrank_has_trend(lr));
    }
    survkit_logrank_free(lr);
    free(labels);
    free(group);
    free(strata);
    golden_free(g);
}

#define CASE(fn, file)                        \
    static void fn(void **state)              \
    {                                         \
        (void)state;                          \
        check_case("km/" file, false);        \
        check_case("km/" file, true);         \
    }
CASE(test_lung_sex, "lr_lung_sex.txt")
CASE(test_veteran_celltype_logrank, "lr_veteran_celltype.txt")
CASE(test_veteran_celltype_peto_rho1, "lr_veteran_celltype_rho1.txt")
CASE(test_lung_ecog_stratified_by_sex, "lr_lung_ecog_strata_sex.txt")
CASE(test_ovarian_stratified_rho_half, "lr_ovarian_rx_strata_rho05.txt")
CASE(test_heavy_ties_five_groups, "lr_ties.txt")

static void test_one_group_is_an_error(void **state)
{
    (void)state;
    const double time[] = {1, 2}, status[] = {1, 1};
    const int32_t group[] = {0, 0};
    survkit_logrank *lr = NULL;
    survkit_error err;
    assert_int_equal(survkit_logrank_test(2, time, status, group, 1, NULL, 0, NULL, NULL, &lr, &err),
                     SURVKIT_ERR_ARGUMENT);
    assert_null(lr);
    survkit_logrank_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lung_sex),
        cmocka_unit_test(test_veteran_celltype_logrank),
        cmocka_unit_test(test_veteran_celltype_peto_rho1),
        cmocka_unit_test(test_lung_ecog_stratified_by_sex),
        cmocka_unit_test(test_ovarian_stratified_rho_half),
        cmocka_unit_test(test_heavy_ties_five_groups),
        cmocka_unit_test(test_one_group_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
