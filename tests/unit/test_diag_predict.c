/*
 * test_diag_predict.c: survkit_cox_basehaz against R's basehaz (centred and not), and
 * survkit_cox_predict_table against R's predict.coxph (lp with se.fit, risk, expected) and
 * summary(survfit(fit, newdata), times, extend = TRUE) (surv, std.chaz, lower, upper), case by
 * case (tests/golden/diag/basehaz_*.txt, predict_*.txt and the newdata_*.csv rows, written by
 * tests/golden/make_golden_diag.R). Efron and Breslow, a factor, strata, case weights (robust
 * variance), a counting-process model and the clustered, stratified reunification model; new
 * rows with missing values (R's na.pass: NA results in place).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag_fixture.h"

#define REL 1e-9

static void check_basehaz(const char *file)
{
    diag_case c;
    diag_case_load(file, &c);
    bool centered = golden_number(c.g, "centered") != 0;
    survkit_basehaz *b = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_cox_basehaz(c.model, centered, &b, &err) != SURVKIT_OK)
        fail_msg("%s: %s", file, err.message);
    size_t n = survkit_basehaz_rows(b);
    assert_int_equal(n, golden_length(c.g, "time"));
    assert_numbers_close(survkit_basehaz_time(b), golden_numbers(c.g, "time"), n, 0, 0, "time");
    assert_numbers_close(survkit_basehaz_hazard(b), golden_numbers(c.g, "hazard"), n, REL, 0,
                         "hazard");
    if (golden_length(c.g, "strata") > 0)
        for (size_t i = 0; i < n; i++)
            assert_string_equal(
                survkit_cox_model_strata_label(c.model, (size_t)survkit_basehaz_stratum(b)[i]),
                golden_string(c.g, "strata", i));
    survkit_basehaz_free(b);
    diag_case_free(&c);
}

/* na_stratum_row: a row whose stratum is missing, where R 3.5-3's predict(type = "expected")
 * gives 0 (its per-stratum loop never visits the row) and survkit NA, or SIZE_MAX. */
static void check_predict_rows(const char *file, size_t na_stratum_row)
{
    diag_case c;
    diag_case_load(file, &c);
    char path[4096];
    snprintf(path, sizeof path, "%s/diag/%s", golden_dir(), golden_string(c.g, "newdata", 0));
    survkit_table *nd = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_table_read_file(path, NULL, &nd, &err) != SURVKIT_OK)
        fail_msg("cannot read %s: %s", path, err.message);
    size_t nt = golden_length(c.g, "times");
    survkit_prediction *pr = NULL;
    if (survkit_cox_predict_table(c.model, nd, SURVKIT_REFERENCE_STRATA,
                                  golden_numbers(c.g, "times"), nt, 0.95, &pr, &err) != SURVKIT_OK)
        fail_msg("%s: %s", file, err.message);
    size_t n = survkit_prediction_n(pr);
    assert_int_equal(n, golden_length(c.g, "lp"));
    assert_numbers_close(survkit_prediction_lp(pr), golden_numbers(c.g, "lp"), n, REL, 1e-14, "lp");
    assert_numbers_close(survkit_prediction_lp_se(pr), golden_numbers(c.g, "lp_se"), n, REL, 0,
                         "lp_se");
    assert_numbers_close(survkit_prediction_risk(pr), golden_numbers(c.g, "risk"), n, REL, 0, "risk");
    assert_non_null(survkit_prediction_expected(pr));
    double *want = malloc(n * sizeof *want);
    memcpy(want, golden_numbers(c.g, "expected"), n * sizeof *want);
    if (na_stratum_row != SIZE_MAX) {
        assert_true(want[na_stratum_row] == 0); /* R's value, replaced by the NA survkit gives */
        want[na_stratum_row] = NAN;
    }
    assert_numbers_close(survkit_prediction_expected(pr), want, n, REL, 0, "expected");
    free(want);
    /* one result per new row, in order; rows without an lp have no stratum */
    assert_int_equal(n, survkit_table_n_rows(nd));
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(survkit_prediction_row_index(pr)[i], i);
        if (isnan(survkit_prediction_lp(pr)[i])) assert_int_equal(survkit_prediction_stratum(pr)[i], -1);
        else assert_true(survkit_prediction_stratum(pr)[i] >= 0);
    }
    /* the goldens run row by row over the times; survkit's arrays are column-major n x nt */
    const char *keys[4] = {"surv", "std_err", "lower", "upper"};
    const double *mine[4] = {survkit_prediction_surv(pr), survkit_prediction_std_err(pr),
                             survkit_prediction_lower(pr), survkit_prediction_upper(pr)};
    for (int k = 0; k < 4; k++) {
        const double *expected = golden_numbers(c.g, keys[k]);
        assert_int_equal(golden_length(c.g, keys[k]), n * nt);
        double *actual = malloc(n * nt * sizeof *actual);
        for (size_t i = 0; i < n; i++)
            for (size_t t = 0; t < nt; t++) actual[t + i * nt] = mine[k][i + t * n];
        assert_numbers_close(actual, expected, n * nt, REL, 0, keys[k]);
        free(actual);
    }
    survkit_prediction_free(pr);
    survkit_table_free(nd);
    diag_case_free(&c);
}

static void check_predict(const char *file) { check_predict_rows(file, SIZE_MAX); }

#define BASEHAZ(name)                                                                             \
    static void test_basehaz_##name(void **state)                                                 \
    {                                                                                             \
        (void)state;                                                                              \
        check_basehaz("basehaz_" #name "_centered");                                              \
        check_basehaz("basehaz_" #name "_raw");                                                   \
    }
#define PREDICT(name)                                                                             \
    static void test_predict_##name(void **state)                                                 \
    {                                                                                             \
        (void)state;                                                                              \
        check_predict("predict_" #name);                                                          \
    }
BASEHAZ(lung)
BASEHAZ(lung_breslow)
BASEHAZ(veteran_factor)
BASEHAZ(lung_strata)
BASEHAZ(kidney_weights)
BASEHAZ(heart)
PREDICT(lung)
PREDICT(lung_breslow)
PREDICT(veteran_factor)
PREDICT(lung_strata)
PREDICT(kidney_weights)
PREDICT(heart)
PREDICT(reunification)
/* Missing values in the new rows (a covariate, the time, the status; lung row 14's ph.ecog):
 * R's na.pass keeps every row, NA where a value the prediction needs is missing. */
PREDICT(lung_na)

/* A missing covariate and a missing stratum (row 3) in a stratified model. */
static void test_predict_lung_strata_na(void **state)
{
    (void)state;
    check_predict_rows("predict_lung_strata_na", 2);
}

/* New data with a factor level the model never saw is refused, naming the level (R: "factor
 * celltype has new level"). */
static void test_new_level(void **state)
{
    (void)state;
    diag_case c;
    diag_case_load("predict_veteran_factor", &c);
    const char *cells[2] = {"squamous", "giant"};
    double karno[2] = {60, 70};
    survkit_table *nd = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_table_create(2, &nd, &err), SURVKIT_OK);
    assert_int_equal(survkit_table_add_numeric(nd, "karno", karno, &err), SURVKIT_OK);
    assert_int_equal(survkit_table_add_string(nd, "celltype", cells, &err), SURVKIT_OK);
    survkit_prediction *pr = NULL;
    assert_int_equal(survkit_cox_predict_table(c.model, nd, SURVKIT_REFERENCE_SAMPLE, NULL, 0, 0.95,
                                               &pr, &err),
                     SURVKIT_ERR_DOMAIN);
    assert_null(pr);
    assert_non_null(strstr(err.message, "giant"));
    survkit_table_free(nd);
    diag_case_free(&c);
}

/* New rows that all miss a covariate: every result NA, none dropped (R: predict(fit, newdata =
 * data.frame(age = c(NA, NA), sex = 1:2, ph.ecog = 0:1)) is c(NA, NA)). */
static void test_all_rows_missing(void **state)
{
    (void)state;
    diag_case c;
    diag_case_load("predict_lung", &c);
    double age[2] = {NAN, NAN}, sex[2] = {1, 2}, ecog[2] = {0, 1};
    survkit_table *nd = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_table_create(2, &nd, &err), SURVKIT_OK);
    assert_int_equal(survkit_table_add_numeric(nd, "age", age, &err), SURVKIT_OK);
    assert_int_equal(survkit_table_add_numeric(nd, "sex", sex, &err), SURVKIT_OK);
    assert_int_equal(survkit_table_add_numeric(nd, "ph.ecog", ecog, &err), SURVKIT_OK);
    const double t = 100;
    survkit_prediction *pr = NULL;
    if (survkit_cox_predict_table(c.model, nd, SURVKIT_REFERENCE_STRATA, &t, 1, 0.95, &pr, &err) !=
        SURVKIT_OK)
        fail_msg("%s", err.message);
    assert_int_equal(survkit_prediction_n(pr), 2);
    for (size_t i = 0; i < 2; i++) {
        assert_true(isnan(survkit_prediction_lp(pr)[i]));
        assert_true(isnan(survkit_prediction_risk(pr)[i]));
        assert_true(isnan(survkit_prediction_surv(pr)[i]));
    }
    assert_null(survkit_prediction_expected(pr)); /* no response columns */
    survkit_prediction_free(pr);
    survkit_table_free(nd);
    diag_case_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basehaz_lung),           cmocka_unit_test(test_basehaz_lung_breslow),
        cmocka_unit_test(test_basehaz_veteran_factor), cmocka_unit_test(test_basehaz_lung_strata),
        cmocka_unit_test(test_basehaz_kidney_weights), cmocka_unit_test(test_basehaz_heart),
        cmocka_unit_test(test_predict_lung),           cmocka_unit_test(test_predict_lung_breslow),
        cmocka_unit_test(test_predict_veteran_factor), cmocka_unit_test(test_predict_lung_strata),
        cmocka_unit_test(test_predict_kidney_weights), cmocka_unit_test(test_predict_heart),
        cmocka_unit_test(test_predict_reunification),  cmocka_unit_test(test_predict_lung_na),
        cmocka_unit_test(test_predict_lung_strata_na), cmocka_unit_test(test_all_rows_missing),
        cmocka_unit_test(test_new_level),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
