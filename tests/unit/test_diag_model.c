/*
 * test_diag_model.c: saved models. A model written with survkit_cox_model_to_json and read back
 * predicts, gives the baseline hazard and the residuals exactly as the original (the R goldens of
 * tests/golden/diag/ then hold for it too: checked against predict_veteran_factor and
 * predict_lung_strata); malformed JSON is refused with its line and column, another format or
 * version, a missing member or a wrong length with a message naming it. A model made without its
 * baseline hazard (SURVKIT_MODEL_NO_BASELINE) is refused by what reads the baseline.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "diag_fixture.h"

static survkit_cox_model *round_trip(const survkit_cox_model *m)
{
    char *text = survkit_cox_model_to_json(m);
    assert_non_null(text);
    survkit_cox_model *back = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_cox_model_from_json(text, strlen(text), "model.json", &back, &err) != SURVKIT_OK)
        fail_msg("reading back: %s (line %llu, column %llu)", err.message,
                 (unsigned long long)err.line, (unsigned long long)err.column);
    /* writing the model read back gives the same text: nothing lost */
    char *again = survkit_cox_model_to_json(back);
    assert_string_equal(text, again);
    free(text);
    free(again);
    return back;
}

/* The loaded model predicts what R predicts (the golden of the original case). */
static void check_predictions(const char *file)
{
    diag_case c;
    diag_case_load(file, &c);
    survkit_cox_model *back = round_trip(c.model);
    char path[4096];
    snprintf(path, sizeof path, "%s/diag/%s", golden_dir(), golden_string(c.g, "newdata", 0));
    survkit_table *nd = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_table_read_file(path, NULL, &nd, &err), SURVKIT_OK);
    size_t nt = golden_length(c.g, "times");
    survkit_prediction *a = NULL, *b = NULL;
    assert_int_equal(survkit_cox_predict_table(c.model, nd, SURVKIT_REFERENCE_STRATA,
                                               golden_numbers(c.g, "times"), nt, 0.95, &a, &err),
                     SURVKIT_OK);
    assert_int_equal(survkit_cox_predict_table(back, nd, SURVKIT_REFERENCE_STRATA,
                                               golden_numbers(c.g, "times"), nt, 0.95, &b, &err),
                     SURVKIT_OK);
    size_t n = survkit_prediction_n(a);
    assert_int_equal(n, survkit_prediction_n(b));
    assert_memory_equal(survkit_prediction_lp(a), survkit_prediction_lp(b), n * sizeof(double));
    assert_memory_equal(survkit_prediction_surv(a), survkit_prediction_surv(b), n * nt * sizeof(double));
    assert_memory_equal(survkit_prediction_lower(a), survkit_prediction_lower(b), n * nt * sizeof(double));
    assert_numbers_close(survkit_prediction_lp(b), golden_numbers(c.g, "lp"), n, 1e-9, 1e-14, "lp");
    /* residuals from the loaded model and the data equal the original model's */
    survkit_residuals *r1 = NULL, *r2 = NULL;
    assert_int_equal(survkit_cox_residuals(c.model, &c.data, SURVKIT_RESID_DFBETA, NULL, 0, &r1, &err),
                     SURVKIT_OK);
    assert_int_equal(survkit_cox_residuals(back, &c.data, SURVKIT_RESID_DFBETA, NULL, 0, &r2, &err),
                     SURVKIT_OK);
    assert_memory_equal(survkit_residuals_values(r1), survkit_residuals_values(r2),
                        survkit_residuals_rows(r1) * survkit_residuals_cols(r1) * sizeof(double));
    survkit_residuals_free(r1);
    survkit_residuals_free(r2);
    survkit_prediction_free(a);
    survkit_prediction_free(b);
    survkit_table_free(nd);
    survkit_cox_model_free(back);
    diag_case_free(&c);
}

static void test_round_trip_factor(void **state)
{
    (void)state;
    check_predictions("predict_veteran_factor");
}

static void test_round_trip_strata(void **state)
{
    (void)state;
    check_predictions("predict_lung_strata");
}

/* Read `text`; expect failure with `status`, a message containing `needle`, and line/column. */
static void expect_error(const char *text, survkit_status status, const char *needle,
                         uint64_t line, uint64_t column)
{
    survkit_cox_model *m = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_cox_model_from_json(text, strlen(text), "m.json", &m, &err), status);
    assert_null(m);
    if (strstr(err.message, needle) == NULL) fail_msg("message '%s' lacks '%s'", err.message, needle);
    if (line) {
        assert_int_equal(err.line, line);
        assert_int_equal(err.column, column);
    }
    assert_string_equal(err.source, "m.json");
}

static void test_malformed(void **state)
{
    (void)state;
    expect_error("{\"format\": \"survkit-model\",\n \"version\": 1,,}", SURVKIT_ERR_PARSE,
                 "invalid JSON", 2, 15);
    expect_error("{\"a\": [1, 2", SURVKIT_ERR_PARSE, "invalid JSON", 1, 12);
    expect_error("{\"a\": 1, \"a\": 2}", SURVKIT_ERR_PARSE, "duplicate", 0, 0);
    expect_error("{\"a\": 01}", SURVKIT_ERR_PARSE, "invalid JSON", 0, 0);
    expect_error("{\"a\": \"x\" } trailing", SURVKIT_ERR_PARSE, "text after", 1, 13);
    expect_error("[]", SURVKIT_ERR_PARSE, "not a survkit model", 0, 0);
    expect_error("{\"format\": \"other\"}", SURVKIT_ERR_PARSE, "not a survkit model", 0, 0);
    expect_error("{\"format\": \"survkit-model\", \"version\": 2}", SURVKIT_ERR_PARSE,
                 "format version 2", 1, 40);
}

/* A valid model with one member broken is refused, naming the member. */
static void test_inconsistent(void **state)
{
    (void)state;
    diag_case c;
    diag_case_load("predict_lung", &c);
    char *text = survkit_cox_model_to_json(c.model);
    assert_non_null(text);
    const char *cuts[] = {"\"means\"", "\"baseline\"", "\"ties\""};
    const char *names[] = {"means", "baseline", "ties"};
    for (int k = 0; k < 3; k++) {
        char *copy = strdup(text);
        char *at = strstr(copy, cuts[k]);
        assert_non_null(at);
        at[1] = 'X'; /* rename the member: it is then missing */
        survkit_cox_model *m = NULL;
        survkit_error err;
        survkit_error_clear(&err);
        assert_int_equal(survkit_cox_model_from_json(copy, strlen(copy), "m.json", &m, &err),
                         SURVKIT_ERR_PARSE);
        assert_non_null(strstr(err.message, names[k]));
        free(copy);
    }
    /* coef with one number too few */
    char *copy = strdup(text);
    char *coef = strstr(copy, "\"coef\": [");
    char *comma = strchr(coef, ',');
    memmove(coef + 9, comma + 1, strlen(comma + 1) + 1);
    survkit_cox_model *m = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_cox_model_from_json(copy, strlen(copy), "m.json", &m, &err),
                     SURVKIT_ERR_PARSE);
    assert_non_null(strstr(err.message, "coef"));
    free(copy);
    free(text);
    diag_case_free(&c);
}

/* Without its baseline hazard: basehaz, predict's survival and expected events, and saving refuse
 * the model, naming the reason, while its lp and risk are the whole model's; a model read back
 * from JSON has its baseline; unknown parts are refused. (That residuals and cox.zph give the
 * same bits from it is checked in test_diag_residuals and test_diag_zph.) */
static void test_no_baseline(void **state)
{
    (void)state;
    diag_case c;
    diag_case_load("predict_lung", &c);
    assert_true(survkit_cox_model_has_baseline(c.model));
    assert_false(survkit_cox_model_has_baseline(c.lean));
    assert_null(survkit_cox_model_to_json(c.lean));
    survkit_error err;
    survkit_error_clear(&err);
    survkit_basehaz *b = NULL;
    assert_int_equal(survkit_cox_basehaz(c.lean, true, &b, &err), SURVKIT_ERR_ARGUMENT);
    assert_null(b);
    assert_non_null(strstr(err.message, "basehaz needs the model's baseline hazard"));
    /* lp and risk of the first data row: the same bits from both models; survival at a time or
     * the expected events (a follow-up time) refused */
    const size_t n = c.data.n, p = c.data.p;
    double x[16];
    assert_true(p <= 16);
    for (size_t j = 0; j < p; j++) x[j] = c.data.x[j * n];
    const double times[1] = {100}, follow_up[1] = {100};
    survkit_cox_newdata nd = {.n = 1, .x = x};
    survkit_prediction *whole = NULL, *lean = NULL;
    assert_int_equal(survkit_cox_predict(c.model, &nd, SURVKIT_REFERENCE_SAMPLE, NULL, 0, 0.95,
                                         &whole, &err), SURVKIT_OK);
    assert_int_equal(survkit_cox_predict(c.lean, &nd, SURVKIT_REFERENCE_SAMPLE, NULL, 0, 0.95,
                                         &lean, &err), SURVKIT_OK);
    assert_true(survkit_prediction_lp(lean)[0] == survkit_prediction_lp(whole)[0]);
    assert_true(survkit_prediction_risk(lean)[0] == survkit_prediction_risk(whole)[0]);
    survkit_prediction_free(whole), survkit_prediction_free(lean);
    survkit_prediction *pr = NULL;
    survkit_error_clear(&err);
    assert_int_equal(survkit_cox_predict(c.lean, &nd, SURVKIT_REFERENCE_SAMPLE, times, 1, 0.95,
                                         &pr, &err),
                     SURVKIT_ERR_ARGUMENT);
    assert_null(pr);
    assert_non_null(strstr(err.message, "predict with times or expected events needs the model's"));
    nd.time = follow_up;
    survkit_error_clear(&err);
    assert_int_equal(survkit_cox_predict(c.lean, &nd, SURVKIT_REFERENCE_SAMPLE, NULL, 0, 0.95,
                                         &pr, &err),
                     SURVKIT_ERR_ARGUMENT);
    assert_null(pr);
    survkit_cox_model *back = round_trip(c.model);
    assert_true(survkit_cox_model_has_baseline(back));
    survkit_cox_model_free(back);
    survkit_cox_model *m = NULL;
    survkit_error_clear(&err);
    assert_int_equal(survkit_cox_model_create_frame_parts(c.fit, c.frame, NULL,
                                                          (survkit_cox_model_parts)7, &m, &err),
                     SURVKIT_ERR_ARGUMENT);
    assert_null(m);
    assert_non_null(strstr(err.message, "unknown model parts"));
    diag_case_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_baseline),
        cmocka_unit_test(test_round_trip_factor), cmocka_unit_test(test_round_trip_strata),
        cmocka_unit_test(test_malformed),         cmocka_unit_test(test_inconsistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
