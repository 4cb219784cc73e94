/*
 * test_survreg_predict.c: survkit_survreg_predict against R's predict.survreg.
 *
 * Each tests/golden/survreg/pred_<case>.txt (make_golden_survreg.R) holds the formula, the
 * distribution and R's predictions for the rows of newdata_<case>.csv: types lp and response with
 * se.fit, quantile (p = 0.25, 0.5) with se.fit, and 1 - psurvreg(t, lp, scale, dist) at two times;
 * the last new row misses a covariate (R's na.pass: NA). The model is fitted here from the
 * committed dataset through a frame, then kept as a survkit_survreg_model; the model is also
 * written to JSON and read back, and must predict the same. Compared at 1e-9 relative.
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

static survkit_table *read_csv(const char *path)
{
    survkit_read_options ro;
    survkit_read_options_init(&ro);
    survkit_table *t = NULL;
    survkit_error err = {0};
    if (survkit_table_read_file(path, &ro, &t, &err) != SURVKIT_OK) fail_msg("%s: %s", path, err.message);
    return t;
}

static void check(const golden *g, const survkit_survreg_prediction *pr)
{
    const size_t n = (size_t)golden_number(g, "n");
    assert_int_equal(survkit_survreg_prediction_n(pr), n);
    assert_numbers_close(survkit_survreg_prediction_lp(pr), golden_numbers(g, "lp"), n, REL, 0, "lp");
    assert_numbers_close(survkit_survreg_prediction_lp_se(pr), golden_numbers(g, "lp_se"), n, REL, 0,
                         "lp se");
    assert_numbers_close(survkit_survreg_prediction_response(pr), golden_numbers(g, "response"), n,
                         REL, 0, "response");
    assert_numbers_close(survkit_survreg_prediction_response_se(pr),
                         golden_numbers(g, "response_se"), n, REL, 0, "response se");
    for (size_t k = 0; k < 2; k++) {
        assert_numbers_close(survkit_survreg_prediction_quantile(pr, k),
                             golden_numbers(g, "quantile") + k * n, n, REL, 0, "quantile");
        assert_numbers_close(survkit_survreg_prediction_quantile_se(pr, k),
                             golden_numbers(g, "quantile_se") + k * n, n, REL, 0, "quantile se");
        assert_numbers_close(survkit_survreg_prediction_survival(pr, k),
                             golden_numbers(g, "survival") + k * n, n, REL, 1e-15, "survival");
    }
}

static void test_predict(void **state)
{
    const char *name = *state;
    char path[512];
    snprintf(path, sizeof path, "survreg/pred_%s.txt", name);
    golden *g = golden_load(path);
    const char *dataset = strncmp(name, "veteran", 7) == 0 ? "veteran" : "lung";
    snprintf(path, sizeof path, "%s/%s.csv", datasets_dir(), dataset);
    survkit_table *table = read_csv(path);
    snprintf(path, sizeof path, "%s/survreg/newdata_%s.csv", golden_dir(), name);
    survkit_table *newdata = read_csv(path);
    survkit_frame_options fo;
    survkit_frame_options_init(&fo);
    fo.groups = 0, fo.timefix = 0;
    survkit_frame *frame = NULL;
    survkit_error err = {0};
    if (survkit_frame_build(table, golden_string(g, "formula", 0), &fo, &frame, &err) != SURVKIT_OK)
        fail_msg("frame: %s", err.message);
    survkit_survreg_options opt;
    survkit_survreg_options_init(&opt);
    assert_int_equal(survkit_survreg_dist_parse(golden_string(g, "dist", 0), &opt.dist, &err), SURVKIT_OK);
    survkit_survreg_result *fit = NULL;
    assert_int_equal(survkit_survreg_fit_frame(frame, &opt, &fit, &err), SURVKIT_OK);
    survkit_survreg_model *model = NULL;
    assert_int_equal(survkit_survreg_model_create_frame(fit, frame, &model, &err), SURVKIT_OK);
    const survkit_survreg_predict_options po = {golden_numbers(g, "p"), 2, golden_numbers(g, "times"), 2};
    survkit_survreg_prediction *pr = NULL;
    if (survkit_survreg_predict(model, newdata, &po, &pr, &err) != SURVKIT_OK) fail_msg("predict: %s", err.message);
    check(g, pr);
    survkit_survreg_prediction_free(pr);

    /* the saved model predicts the same */
    char *json = survkit_survreg_model_to_json(model);
    assert_non_null(json);
    survkit_survreg_model *back = NULL;
    if (survkit_survreg_model_from_json(json, strlen(json), &back, &err) != SURVKIT_OK)
        fail_msg("from_json: %s", err.message);
    /* the model's formula: the fit's, with a basis's knots written in (R's makepredictcall) */
    assert_string_equal(survkit_survreg_model_formula(back), survkit_survreg_model_formula(model));
    assert_int_equal(survkit_survreg_predict(back, newdata, &po, &pr, &err), SURVKIT_OK);
    check(g, pr);
    survkit_survreg_prediction_free(pr);
    free(json);
    survkit_survreg_model_free(back);
    survkit_survreg_model_free(model);
    survkit_survreg_result_free(fit);
    survkit_frame_free(frame);
    survkit_table_free(newdata);
    survkit_table_free(table);
    golden_free(g);
}

/* survkit_survreg_mean_survival (what --plot draws over the Kaplan-Meier curves) against R's
 * mean(1 - psurvreg(t, fit$linear.predictors, scale, dist)) per stratum. */
static void test_mean_survival(void **state)
{
    (void)state;
    golden *g = golden_load("survreg/mean_survival.txt");
    char path[512];
    snprintf(path, sizeof path, "%s/lung.csv", datasets_dir());
    survkit_table *table = read_csv(path);
    static const struct { const char *formula, *dist, *key; } cases[] = {
        {"Surv(time, status) ~ age + sex + ph.ecog", "weibull", "weibull"},
        {"Surv(time, status) ~ age + ph.ecog + strata(sex)", "loglogistic", "loglogistic_strata"}};
    for (size_t c = 0; c < 2; c++) {
        survkit_frame_options fo;
        survkit_frame_options_init(&fo);
        fo.groups = 0, fo.timefix = 0;
        survkit_frame *frame = NULL;
        survkit_error err = {0};
        assert_int_equal(survkit_frame_build(table, cases[c].formula, &fo, &frame, &err), SURVKIT_OK);
        survkit_survreg_options opt;
        survkit_survreg_options_init(&opt);
        assert_int_equal(survkit_survreg_dist_parse(cases[c].dist, &opt.dist, &err), SURVKIT_OK);
        survkit_survreg_result *fit = NULL;
        assert_int_equal(survkit_survreg_fit_frame(frame, &opt, &fit, &err), SURVKIT_OK);
        const size_t ns = survkit_frame_n_strata(frame);
        double out[6];
        assert_int_equal(survkit_survreg_mean_survival(fit, ns > 1 ? survkit_frame_strata(frame) : NULL,
                                                       ns, golden_numbers(g, "times"), 3, out, &err),
                         SURVKIT_OK);
        assert_numbers_close(out, golden_numbers(g, cases[c].key), golden_length(g, cases[c].key),
                             REL, 0, cases[c].key);
        survkit_survreg_result_free(fit);
        survkit_frame_free(frame);
    }
    survkit_table_free(table);
    golden_free(g);
}

#define CASE(name) {name, test_predict, NULL, NULL, (void *)name}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CASE("lung_weibull"), CASE("lung_lognormal"), CASE("lung_logistic"), CASE("lung_strata"),
        CASE("veteran_factor"), CASE("lung_ns"),
        cmocka_unit_test(test_mean_survival),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
