/*
 * test_diag_zph.c: survkit_cox_zph against R's cox.zph, case by case (tests/golden/diag/zph_*.txt,
 * written by tests/golden/make_golden_diag.R; each file names its coxph and cox.zph calls):
 * the test table (chisq, df, p per term and GLOBAL), the event times, the transformed times, the
 * scaled Schoenfeld residuals (NA where R has NA) and R's $var. 1e-9 relative.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "diag_fixture.h"

#define REL 1e-9
/* Residuals of a term that R computes as a difference of O(1) numbers: 1e-12 absolute floor. */
#define ABS 1e-12

static void check_case(const char *file)
{
    diag_case c;
    diag_case_load(file, &c);
    survkit_zph_transform tr;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_zph_transform_parse(golden_string(c.g, "transform", 0), &tr, &err),
                     SURVKIT_OK);
    survkit_zph *z = NULL;
    if (survkit_cox_zph(c.model, &c.data, tr, &z, &err) != SURVKIT_OK)
        fail_msg("%s: %s", file, err.message);
    size_t rows = survkit_zph_n_rows(z);
    assert_int_equal(rows, golden_length(c.g, "names"));
    double chisq[64], df[64], p[64];
    for (size_t k = 0; k < rows; k++) {
        assert_string_equal(survkit_zph_row_name(z, k), golden_string(c.g, "names", k));
        chisq[k] = survkit_zph_chisq(z, k);
        df[k] = survkit_zph_df(z, k);
        p[k] = survkit_zph_p(z, k);
    }
    assert_numbers_close(chisq, golden_numbers(c.g, "chisq"), rows, REL, 0, "chisq");
    assert_numbers_close(df, golden_numbers(c.g, "df"), rows, 0, 0, "df");
    assert_numbers_close(p, golden_numbers(c.g, "p"), rows, REL, 0, "p");
    size_t ne = survkit_zph_n_events(z);
    assert_int_equal(ne, golden_length(c.g, "time"));
    assert_numbers_close(survkit_zph_time(z), golden_numbers(c.g, "time"), ne, 0, 0, "time");
    assert_numbers_close(survkit_zph_x(z), golden_numbers(c.g, "x"), ne, REL, ABS, "x");
    assert_int_equal(ne * (rows - 1), golden_length(c.g, "y"));
    assert_numbers_close(survkit_zph_resid(z), golden_numbers(c.g, "y"), ne * (rows - 1), REL, ABS,
                         "y");
    assert_numbers_close(survkit_zph_var(z), golden_numbers(c.g, "var"), (rows - 1) * (rows - 1),
                         REL, 0, "var");
    if (golden_length(c.g, "strata") > 0) {
        const int32_t *s = survkit_zph_strata(z);
        assert_non_null(s);
        for (size_t e = 0; e < ne; e++)
            assert_string_equal(survkit_cox_model_strata_label(c.model, (size_t)s[e]),
                                golden_string(c.g, "strata", e));
    }
    /* The model without its baseline hazard gives the same bits (cox.zph never reads it). */
    survkit_zph *lean = NULL;
    if (survkit_cox_zph(c.lean, &c.data, tr, &lean, &err) != SURVKIT_OK)
        fail_msg("%s without baseline: %s", file, err.message);
    assert_int_equal(survkit_zph_n_rows(lean), rows);
    assert_int_equal(survkit_zph_n_events(lean), ne);
    for (size_t k = 0; k < rows; k++) assert_true(survkit_zph_chisq(lean, k) == chisq[k]);
    assert_memory_equal(survkit_zph_resid(lean), survkit_zph_resid(z),
                        ne * (rows - 1) * sizeof(double));
    survkit_zph_free(lean);
    survkit_zph_free(z);
    diag_case_free(&c);
}

#define CASE(name)                                                                                \
    static void test_##name(void **state)                                                         \
    {                                                                                             \
        (void)state;                                                                              \
        check_case("zph_" #name);                                                                 \
    }
CASE(lung_km)
CASE(lung_rank)
CASE(lung_identity)
CASE(lung_log)
CASE(lung_breslow_km)
CASE(veteran_factor_km)
CASE(veteran_factor_rank)
CASE(lung_strata_km)
CASE(kidney_weights_km)
CASE(kidney_weights_identity)
CASE(heart_counting_km)
CASE(heart_counting_rank)
CASE(heart_breslow_km)

/* A transform name survkit does not know is refused, as R's "Unrecognized transform". */
static void test_bad_transform(void **state)
{
    (void)state;
    survkit_zph_transform tr;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_zph_transform_parse("sqrt", &tr, &err), SURVKIT_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "Unrecognized transform"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lung_km),           cmocka_unit_test(test_lung_rank),
        cmocka_unit_test(test_lung_identity),     cmocka_unit_test(test_lung_log),
        cmocka_unit_test(test_lung_breslow_km),   cmocka_unit_test(test_veteran_factor_km),
        cmocka_unit_test(test_veteran_factor_rank), cmocka_unit_test(test_lung_strata_km),
        cmocka_unit_test(test_kidney_weights_km), cmocka_unit_test(test_kidney_weights_identity),
        cmocka_unit_test(test_heart_counting_km), cmocka_unit_test(test_heart_counting_rank),
        cmocka_unit_test(test_heart_breslow_km),  cmocka_unit_test(test_bad_transform),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
