/*
 * test_diag_residuals.c: survkit_cox_residuals against R's residuals.coxph, every type, case by
 * case (tests/golden/diag/resid_*.txt, written by tests/golden/make_golden_diag.R; each file names
 * its coxph and residuals calls): Efron and Breslow, a factor, strata, case weights, a
 * counting-process model, collapse by id (heart) and by litter (rats, a clustered fit), and exact
 * fits (martingale and deviance only, as R; the other types refused with R's message).
 * The values at 1e-9 relative, and the rows: the data row (R's names), the event time for the
 * Schoenfeld types, the group for collapse.
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
/* Residuals that are sums of terms of either sign: an absolute floor far below their scale. */
#define ABS 1e-13

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Group codes of a numeric column over the frame's rows, groups in ascending order (rowsum). */
static int32_t *group_codes(const diag_case *c, const char *column, size_t *n_groups,
                            double **values)
{
    long j = survkit_table_find(c->table, column);
    assert_true(j >= 0);
    const double *col = survkit_table_numeric(c->table, (size_t)j);
    const size_t n = survkit_frame_n(c->frame);
    const size_t *rows = survkit_frame_row_index(c->frame);
    double *v = malloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++) v[i] = col[rows[i]];
    qsort(v, n, sizeof *v, cmp_double);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || v[i] != v[m - 1]) v[m++] = v[i];
    int32_t *codes = malloc(n * sizeof *codes);
    for (size_t i = 0; i < n; i++) {
        double *hit = bsearch(&col[rows[i]], v, m, sizeof *v, cmp_double);
        codes[i] = (int32_t)(hit - v);
    }
    *n_groups = m;
    *values = v;
    return codes;
}

static void check_case(const char *file)
{
    diag_case c;
    diag_case_load(file, &c);
    survkit_residual_type type;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_residual_type_parse(golden_string(c.g, "type", 0), &type, &err),
                     SURVKIT_OK);
    int32_t *codes = NULL;
    double *group_values = NULL;
    size_t n_groups = 0;
    if (golden_length(c.g, "collapse") > 0)
        codes = group_codes(&c, golden_string(c.g, "collapse", 0), &n_groups, &group_values);
    survkit_residuals *r = NULL;
    if (survkit_cox_residuals(c.model, &c.data, type, codes, n_groups, &r, &err) != SURVKIT_OK)
        fail_msg("%s: %s", file, err.message);
    size_t rows = survkit_residuals_rows(r), cols = survkit_residuals_cols(r);
    assert_int_equal(rows, (size_t)golden_number(c.g, "rows_out"));
    assert_int_equal(cols, (size_t)golden_number(c.g, "cols_out"));
    assert_numbers_close(survkit_residuals_values(r), golden_numbers(c.g, "values"), rows * cols,
                         REL, ABS, file);
    const size_t *id = survkit_residuals_row_id(r);
    const double *names = golden_numbers(c.g, "row_names");
    for (size_t i = 0; i < rows; i++) {
        double actual;
        if (type == SURVKIT_RESID_SCHOENFELD || type == SURVKIT_RESID_SCALEDSCH)
            actual = survkit_residuals_time(r)[i];
        else if (codes)
            actual = group_values[id[i]];
        else
            actual = (double)survkit_frame_row_index(c.frame)[id[i]] + 1;
        if (actual != names[i]) fail_msg("%s: row %zu is %g, R says %g", file, i, actual, names[i]);
    }
    /* The model without its baseline hazard gives the same bits (residuals never read it). */
    survkit_residuals *lean = NULL;
    if (survkit_cox_residuals(c.lean, &c.data, type, codes, n_groups, &lean, &err) != SURVKIT_OK)
        fail_msg("%s without baseline: %s", file, err.message);
    assert_int_equal(survkit_residuals_rows(lean), rows);
    assert_int_equal(survkit_residuals_cols(lean), cols);
    assert_memory_equal(survkit_residuals_values(lean), survkit_residuals_values(r),
                        rows * cols * sizeof(double));
    survkit_residuals_free(lean);
    survkit_residuals_free(r);
    free(codes);
    free(group_values);
    diag_case_free(&c);
}

#define CASE(name)                                                                                \
    static void test_##name(void **state)                                                         \
    {                                                                                             \
        (void)state;                                                                              \
        static const char *const types[] = {"martingale", "deviance",  "score",  "schoenfeld",    \
                                            "scaledsch",  "dfbeta",    "dfbetas"};                \
        for (size_t k = 0; k < 7; k++) {                                                          \
            char file[128], path[512];                                                            \
            snprintf(file, sizeof file, "resid_" #name "_%s", types[k]);                          \
            snprintf(path, sizeof path, "%s/diag/%s.txt", golden_dir(), file);                    \
            FILE *f = fopen(path, "r");                                                           \
            if (f == NULL) continue; /* the case does not have this type */                       \
            fclose(f);                                                                            \
            check_case(file);                                                                     \
        }                                                                                         \
    }
CASE(lung)
CASE(lung_breslow)
CASE(veteran_factor)
CASE(lung_strata)
CASE(kidney_weights)
CASE(heart)
CASE(heart_id)
CASE(rats_litter)
CASE(lung_exact)
CASE(veteran_exact)
CASE(rats_exact)

/* Every case above must have found its files: 7 + 7 + 3 + 7 + 7 + 7 + 5 + 2 + 3 x 2 goldens. */
static void test_all_goldens_present(void **state)
{
    (void)state;
    static const char *const names[] = {"lung",          "lung_breslow", "veteran_factor",
                                        "lung_strata",   "kidney_weights", "heart",
                                        "heart_id",      "rats_litter",  "lung_exact",
                                        "veteran_exact", "rats_exact"};
    static const char *const types[] = {"martingale", "deviance", "score", "schoenfeld",
                                        "scaledsch", "dfbeta", "dfbetas"};
    size_t found = 0;
    for (size_t c = 0; c < sizeof names / sizeof names[0]; c++)
        for (size_t k = 0; k < 7; k++) {
            char path[512];
            snprintf(path, sizeof path, "%s/diag/resid_%s_%s.txt", golden_dir(), names[c], types[k]);
            FILE *f = fopen(path, "r");
            if (f) found++, fclose(f);
        }
    assert_int_equal(found, 51);
}

/*
 * An exact fit has martingale and deviance residuals (the goldens above); every other type stops
 * in R 3.5-3's residuals.coxph with paste(otype, "residuals are not available for the exact
 * method"), e.g. residuals(coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung,
 * ties = "exact"), type = "dfbeta"). survkit refuses them with the same words.
 */
static void test_exact_refusals(void **state)
{
    (void)state;
    diag_case c;
    diag_case_load("resid_lung_exact_martingale", &c);
    static const survkit_residual_type refused[] = {SURVKIT_RESID_SCORE, SURVKIT_RESID_SCHOENFELD,
                                                    SURVKIT_RESID_SCALEDSCH, SURVKIT_RESID_DFBETA,
                                                    SURVKIT_RESID_DFBETAS};
    for (size_t k = 0; k < sizeof refused / sizeof refused[0]; k++) {
        survkit_residuals *r = NULL;
        survkit_error err;
        survkit_error_clear(&err);
        assert_int_equal(survkit_cox_residuals(c.model, &c.data, refused[k], NULL, 0, &r, &err),
                         SURVKIT_ERR_ARGUMENT);
        assert_null(r);
        char expected[128];
        snprintf(expected, sizeof expected, "%s residuals are not available for the exact method",
                 survkit_residual_type_name(refused[k]));
        assert_string_equal(err.message, expected);
    }
    diag_case_free(&c);
}

/* Schoenfeld residuals cannot be collapsed. */
static void test_refusals(void **state)
{
    (void)state;
    diag_case c;
    diag_case_load("resid_lung_schoenfeld", &c);
    int32_t *codes = calloc(c.data.n, sizeof *codes);
    survkit_residuals *r = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_cox_residuals(c.model, &c.data, SURVKIT_RESID_SCHOENFELD, codes, 1,
                                           &r, &err),
                     SURVKIT_ERR_ARGUMENT);
    assert_null(r);
    survkit_residual_type t;
    assert_int_equal(survkit_residual_type_parse("pearson", &t, &err), SURVKIT_ERR_ARGUMENT);
    free(codes);
    diag_case_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lung),           cmocka_unit_test(test_lung_breslow),
        cmocka_unit_test(test_veteran_factor), cmocka_unit_test(test_lung_strata),
        cmocka_unit_test(test_kidney_weights), cmocka_unit_test(test_heart),
        cmocka_unit_test(test_heart_id),       cmocka_unit_test(test_rats_litter),
        cmocka_unit_test(test_lung_exact),     cmocka_unit_test(test_veteran_exact),
        cmocka_unit_test(test_rats_exact),     cmocka_unit_test(test_all_goldens_present),
        cmocka_unit_test(test_exact_refusals), cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
