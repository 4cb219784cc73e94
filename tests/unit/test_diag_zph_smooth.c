/*
 * test_diag_zph_smooth.c: the smooth of R's plot.cox.zph (survkit_zph_smooth) and the natural
 * spline basis under it (sk_ns_basis), against R (tests/golden/zphplot/, written by
 * tests/golden/make_golden_zphplot.R, which repeats plot.cox.zph's steps and names each call):
 * the grid pred.x, yhat, and the band yhat -/+ 2 sqrt(var[i, i] * seval) of every term, for the
 * four transforms, df = 3, a factor term, a counting-process model and a term with NA residuals
 * (constant within a stratum); and splines::ns(x, df, intercept) itself.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core/nspline.h"
#include "diag_fixture.h"

#define REL 1e-9
/* The smooth of a residual around 0 crosses 0: an absolute floor far below its scale (the
 * residuals are of order 0.1 to 10). */
#define ABS 1e-12

static void check_case(const char *file)
{
    diag_case c;
    diag_case_load_from("zphplot", file, &c);
    survkit_zph_transform tr;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_zph_transform_parse(golden_string(c.g, "transform", 0), &tr, &err),
                     SURVKIT_OK);
    survkit_zph *z = NULL;
    if (survkit_cox_zph(c.model, &c.data, tr, &z, &err) != SURVKIT_OK)
        fail_msg("%s: %s", file, err.message);
    const size_t df = (size_t)golden_number(c.g, "df"), nsmo = (size_t)golden_number(c.g, "nsmo");
    const size_t nt = golden_length(c.g, "terms");
    assert_int_equal(survkit_zph_n_rows(z) - 1, nt);
    double *grid = malloc(nsmo * sizeof *grid), *fit = malloc(nsmo * sizeof *fit);
    double *lo = malloc(nsmo * sizeof *lo), *hi = malloc(nsmo * sizeof *hi);
    for (size_t t = 0; t < nt; t++) {
        char key[32], what[160];
        assert_string_equal(survkit_zph_row_name(z, t), golden_string(c.g, "terms", t));
        if (survkit_zph_smooth(z, t, df, nsmo, grid, fit, lo, hi, &err) != SURVKIT_OK)
            fail_msg("%s term %zu: %s", file, t + 1, err.message);
        const double *parts[4] = {grid, fit, lo, hi};
        const char *names[4] = {"x", "yhat", "ylow", "yup"};
        for (int k = 0; k < 4; k++) {
            snprintf(key, sizeof key, "%s_%zu", names[k], t + 1);
            snprintf(what, sizeof what, "%s %s", file, key);
            assert_int_equal(golden_length(c.g, key), nsmo);
            assert_numbers_close(parts[k], golden_numbers(c.g, key), nsmo, REL, ABS, what);
        }
    }
    free(grid), free(fit), free(lo), free(hi);
    survkit_zph_free(z);
    diag_case_free(&c);
}

#define CASE(name)                                                                                \
    static void test_##name(void **state)                                                         \
    {                                                                                             \
        (void)state;                                                                              \
        check_case(#name);                                                                        \
    }
CASE(lung_km)
CASE(lung_rank)
CASE(lung_identity)
CASE(lung_log)
CASE(lung_df3_km)
CASE(veteran_factor_km)
CASE(heart_km)
CASE(lung_strata_na_km)

/* The NA residuals of lung_strata_na really are there (left out of the fit above). */
static void test_na_residuals_present(void **state)
{
    (void)state;
    diag_case c;
    diag_case_load_from("zphplot", "lung_strata_na_km", &c);
    survkit_zph *z = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_cox_zph(c.model, &c.data, SURVKIT_ZPH_KM, &z, &err), SURVKIT_OK);
    size_t ne = survkit_zph_n_events(z), na = 0;
    for (size_t e = 0; e < ne; e++) na += isnan(survkit_zph_resid(z)[e + ne]);
    assert_true(na > 0 && na < ne);
    survkit_zph_free(z);
    diag_case_free(&c);
}

/* splines::ns(xs, df, intercept) as R computes it, column for column. */
static void check_ns(const char *file)
{
    char path[256];
    snprintf(path, sizeof path, "zphplot/%s.txt", file);
    golden *g = golden_load(path);
    const size_t n = golden_length(g, "x"), df = (size_t)golden_number(g, "df");
    const bool intercept = strcmp(golden_string(g, "intercept", 0), "TRUE") == 0;
    double *basis = malloc(n * df * sizeof *basis);
    survkit_error err;
    survkit_error_clear(&err);
    if (sk_ns_basis(golden_numbers(g, "x"), n, df, intercept, basis, &err) != SURVKIT_OK)
        fail_msg("%s: %s", file, err.message);
    assert_int_equal(golden_length(g, "basis"), n * df);
    assert_numbers_close(basis, golden_numbers(g, "basis"), n * df, REL, 1e-13, file);
    free(basis);
    golden_free(g);
}

static void test_ns_basis(void **state)
{
    (void)state;
    check_ns("ns_df4_intercept");
    check_ns("ns_df4_nointercept");
    check_ns("ns_df2_intercept");
    check_ns("ns_df6_intercept");
    check_ns("ns_df6_nointercept");
}

/* Wrong arguments are refused; a basis with more columns than rows is singular (R's warning
 * "spline fit is singular, variable 1 skipped"). */
static void test_refusals(void **state)
{
    (void)state;
    diag_case c;
    diag_case_load_from("zphplot", "lung_km", &c);
    survkit_zph *z = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_cox_zph(c.model, &c.data, SURVKIT_ZPH_KM, &z, &err), SURVKIT_OK);
    double g[40], f[40], lo[40], hi[40];
    assert_int_equal(survkit_zph_smooth(z, 3, 4, 40, g, f, lo, hi, &err), SURVKIT_ERR_ARGUMENT);
    assert_int_equal(survkit_zph_smooth(z, 0, 1, 40, g, f, lo, hi, &err), SURVKIT_ERR_ARGUMENT);
    assert_int_equal(survkit_zph_smooth(z, 0, 4, 1, g, f, lo, hi, &err), SURVKIT_ERR_ARGUMENT);
    survkit_zph_free(z);
    diag_case_free(&c);

    double x[3] = {1, 2, 3}, basis[3 * 4];
    assert_int_equal(sk_ns_basis(x, 3, 0, true, basis, &err), SURVKIT_ERR_ARGUMENT);
    double same[3] = {2, 2, 2};
    assert_int_equal(sk_ns_basis(same, 3, 4, true, basis, &err), SURVKIT_ERR_NUMERIC);
}

/* Five events and df = 6: fewer rows than columns, singular as in R. */
static void test_singular(void **state)
{
    (void)state;
    double time[8] = {1, 2, 3, 4, 5, 6, 7, 8}, status[8] = {1, 0, 1, 1, 0, 1, 0, 1};
    double x[8] = {0.5, 1.5, 0.2, 2.0, 1.1, 0.7, 1.9, 0.3};
    survkit_cox_data d = {0};
    d.n = 8, d.p = 1, d.time = time, d.status = status, d.x = x;
    survkit_cox_options opt;
    survkit_cox_options_init(&opt);
    survkit_cox_result *fit = NULL;
    survkit_cox_model *m = NULL;
    survkit_zph *z = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_cox_fit_arrays(&d, &opt, &fit, &err), SURVKIT_OK);
    assert_int_equal(survkit_cox_model_create(fit, &d, NULL, &m, &err), SURVKIT_OK);
    assert_int_equal(survkit_cox_zph(m, &d, SURVKIT_ZPH_KM, &z, &err), SURVKIT_OK);
    double g[40], f[40], lo[40], hi[40];
    assert_int_equal(survkit_zph_smooth(z, 0, 6, 40, g, f, lo, hi, &err), SURVKIT_ERR_NUMERIC);
    assert_string_equal(err.message, "spline fit is singular, variable 1 skipped");
    assert_int_equal(survkit_zph_smooth(z, 0, 4, 40, g, f, lo, hi, &err), SURVKIT_OK);
    survkit_zph_free(z);
    survkit_cox_model_free(m);
    survkit_cox_result_free(fit);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lung_km),           cmocka_unit_test(test_lung_rank),
        cmocka_unit_test(test_lung_identity),     cmocka_unit_test(test_lung_log),
        cmocka_unit_test(test_lung_df3_km),       cmocka_unit_test(test_veteran_factor_km),
        cmocka_unit_test(test_heart_km),          cmocka_unit_test(test_lung_strata_na_km),
        cmocka_unit_test(test_na_residuals_present), cmocka_unit_test(test_ns_basis),
        cmocka_unit_test(test_refusals),          cmocka_unit_test(test_singular),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
