/*
 * test_formula_features.c: the formula features of issue 21 against R's coxph, case by case
 * (tests/golden/formula_features/, written by tests/golden/make_golden_formula_features.R; the
 * coxph call heads each file): a 100-covariate model written out and as `.`, `- term`, `- 1`,
 * `+ 0`, `%in%` (between terms, and as membership inside I()), relevel(), factor(levels =),
 * poly() (orthogonal and raw) and ns() (df, knots, intercept, Boundary.knots), string levels in R's UTF-8 order and with LC_COLLATE=C.
 * Each case checks the coefficient names exactly, the coefficients and log-likelihoods at 1e-9
 * relative and the term labels; cases with new data also check the linear predictor of the
 * model on them (R's predict(fit, newdata, type = "lp"): the poly coefficients and ns knots of
 * the fit must be reused), then again after the model went through its JSON file.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "golden.h"
#include "survkit/survkit.h"

#define REL 1e-9

static survkit_table *read_table(const char *file)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/formula_features/%s", golden_dir(), file);
    FILE *probe = fopen(path, "r");
    if (probe != NULL) fclose(probe);
    else snprintf(path, sizeof path, "%s/%s", datasets_dir(), file);
    survkit_table *t = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_table_read_file(path, NULL, &t, &err) != SURVKIT_OK)
        fail_msg("cannot read %s: %s", path, err.message);
    return t;
}

/* The linear predictor of `model` on the golden's new data, against R's. */
static void check_lp(const survkit_cox_model *model, const golden *g, const char *what)
{
    survkit_table *nd = read_table(golden_string(g, "newdata", 0));
    survkit_prediction *pr = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_cox_predict_table(model, nd, SURVKIT_REFERENCE_STRATA, NULL, 0, 0.95, &pr, &err) !=
        SURVKIT_OK)
        fail_msg("%s: predict: %s", what, err.message);
    size_t n = survkit_prediction_n(pr);
    assert_int_equal(n, golden_length(g, "lp"));
    assert_numbers_close(survkit_prediction_lp(pr), golden_numbers(g, "lp"), n, REL, 1e-12, what);
    survkit_prediction_free(pr);
    survkit_table_free(nd);
}

static void check_case(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "formula_features/%s.txt", name);
    golden *g = golden_load(path);
    survkit_table *t = read_table(golden_string(g, "data", 0));
    survkit_frame_options fo;
    survkit_frame_options_init(&fo);
    fo.groups = 0;
    fo.collate = strcmp(golden_string(g, "collate", 0), "C") == 0 ? SURVKIT_COLLATE_C
                                                                  : SURVKIT_COLLATE_UTF8;
    survkit_frame *f = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    const char *formula = golden_string(g, "formula", 0);
    if (survkit_frame_build(t, formula, &fo, &f, &err) != SURVKIT_OK)
        fail_msg("%s: frame: %s (column %zu)", name, err.message, (size_t)err.column);
    size_t n_terms = golden_length(g, "term_labels");
    assert_int_equal(survkit_frame_n_terms(f), n_terms);
    for (size_t k = 0; k < n_terms; k++)
        assert_string_equal(survkit_frame_term_label(f, k), golden_string(g, "term_labels", k));

    survkit_cox_options co;
    survkit_cox_options_init(&co);
    survkit_cox_result *r = NULL;
    if (survkit_cox_fit_frame(f, &co, &r, &err) != SURVKIT_OK)
        fail_msg("%s: fit: %s", name, err.message);
    size_t p = golden_length(g, "names");
    assert_int_equal(survkit_cox_result_p(r), p);
    for (size_t j = 0; j < p; j++)
        assert_string_equal(survkit_cox_result_name(r, j), golden_string(g, "names", j));
    assert_numbers_close(survkit_cox_result_coef(r), golden_numbers(g, "coef"), p, REL, 1e-12, name);
    assert_number_close(survkit_cox_result_loglik_null(r), golden_numbers(g, "loglik")[0], REL, 0,
                        "loglik null");
    assert_number_close(survkit_cox_result_loglik(r), golden_numbers(g, "loglik")[1], REL, 0,
                        "loglik");

    /* the model, and the model after its JSON file, predict as R does on new data and keep the
     * order of the string levels */
    survkit_cox_model *m = NULL;
    if (survkit_cox_model_create_frame(r, f, NULL, &m, &err) != SURVKIT_OK)
        fail_msg("%s: model: %s", name, err.message);
    char *json = survkit_cox_model_to_json(m);
    assert_non_null(json);
    survkit_cox_model *back = NULL;
    if (survkit_cox_model_from_json(json, strlen(json), "model.json", &back, &err) != SURVKIT_OK)
        fail_msg("%s: model from JSON: %s", name, err.message);
    assert_int_equal(survkit_cox_model_collate(m), fo.collate);
    assert_int_equal(survkit_cox_model_collate(back), fo.collate);
    if (golden_has(g, "newdata")) {
        check_lp(m, g, name);
        check_lp(back, g, "lp after the JSON round trip");
    }
    survkit_cox_model_free(back);
    free(json);
    survkit_cox_model_free(m);
    survkit_cox_result_free(r);
    survkit_frame_free(f);
    survkit_table_free(t);
    golden_free(g);
}

/* A model of 100 covariates, named one by one and as `.` */
static void test_hundred_covariates(void **state)
{
    (void)state;
    check_case("wide100_terms");
    check_case("wide100_dot");
    check_case("wide100_interactions");
}

static void test_dot_and_minus(void **state)
{
    (void)state;
    check_case("lung_dot_minus");
    check_case("lung_dot_strata");
    check_case("veteran_minus");
    check_case("veteran_minus_zero");
}

static void test_in(void **state)
{
    (void)state;
    check_case("veteran_in");
    check_case("veteran_in_values"); /* x %in% c(...) inside I() and strata(): membership */
}

static void test_reference_levels(void **state)
{
    (void)state;
    check_case("veteran_relevel");
    check_case("veteran_levels");
}

static void test_poly(void **state)
{
    (void)state;
    check_case("veteran_poly");
    check_case("veteran_poly1");
}

static void test_ns(void **state)
{
    (void)state;
    check_case("veteran_ns");
    check_case("veteran_ns_intercept");
    check_case("veteran_dot_poly");
}

static void test_string_levels(void **state)
{
    (void)state;
    check_case("lung_strings_utf8");
    check_case("lung_strings_c");
}

/* Formula errors name their position. */
static void expect_formula_error(const survkit_table *t, const char *formula, survkit_status status,
                                 size_t column, const char *fragment)
{
    survkit_frame_options fo;
    survkit_frame_options_init(&fo);
    fo.groups = 0;
    survkit_frame *f = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_frame_build(t, formula, &fo, &f, &err), status);
    assert_null(f);
    if (column) assert_int_equal(err.column, column);
    if (strstr(err.message, fragment) == NULL)
        fail_msg("'%s': message '%s' lacks '%s'", formula, err.message, fragment);
}

static void test_errors(void **state)
{
    (void)state;
    survkit_table *t = read_table("veteran.csv");
    expect_formula_error(t, "Surv(time, status) ~ relevel(celltype, ref = \"huge\")",
                         SURVKIT_ERR_DOMAIN, 46, "'ref' must be an existing level");
    expect_formula_error(t, "Surv(time, status) ~ relevel(karno, ref = 1)", SURVKIT_ERR_TYPE, 22,
                         "only for (unordered) factors");
    expect_formula_error(t, "Surv(time, status) ~ factor(celltype, levels = c(\"a\", \"a\"))",
                         SURVKIT_ERR_FORMULA, 0, "duplicated");
    expect_formula_error(t, "Surv(time, status) ~ poly(age, 200)", SURVKIT_ERR_FORMULA, 32,
                         "'degree'");
    expect_formula_error(t, "Surv(time, status) ~ poly(trt, 2)", SURVKIT_ERR_DOMAIN, 22,
                         "less than number of unique points");
    expect_formula_error(t, "Surv(time, status) ~ ns(age, spar = 2)", SURVKIT_ERR_FORMULA, 37,
                         "no argument 'spar'");
    expect_formula_error(t, "Surv(time, status) ~ log(.)", SURVKIT_ERR_FORMULA, 26,
                         "cannot be inside a function call");
    expect_formula_error(t, "Surv(time, status) ~ I(poly(age, 2) * 2)", SURVKIT_ERR_TYPE, 24,
                         "basis of several");
    expect_formula_error(t, "Surv(time, status) ~ age + strata(ns(karno, df = 2))",
                         SURVKIT_ERR_TYPE, 35, "basis of several");
    expect_formula_error(t, "Surv(poly(time, 2), status) ~ age", SURVKIT_ERR_TYPE, 0,
                         "not a poly() or ns() basis");
    expect_formula_error(t, "Surv(time = time, status) ~ age", SURVKIT_ERR_FORMULA, 6,
                         "by position");
    expect_formula_error(t, "Surv(time, status) ~ factor(celltype, labels = c(\"a\"))",
                         SURVKIT_ERR_FORMULA, 48, "no argument 'labels'");
    survkit_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hundred_covariates), cmocka_unit_test(test_dot_and_minus),
        cmocka_unit_test(test_in),                 cmocka_unit_test(test_reference_levels),
        cmocka_unit_test(test_poly),               cmocka_unit_test(test_ns),
        cmocka_unit_test(test_string_levels),      cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
