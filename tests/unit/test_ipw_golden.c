/*
 * test_ipw_golden.c: propensity weights and balance against R.
 *
 * Each case in tests/golden/ipw/ was written by tests/golden/make_golden_ipw.R: R's glm(treatment ~
 * covariates, binomial) on the dataset's CSV, then the contract's formulas in base R (ATE/ATT
 * weights, trimming at quantile type 7, stabilisation, effective sample sizes, SMDs and variance
 * ratios before and after). survkit goes from the CSV through the formula (survkit_ipw_fit_frame).
 * Compared at 1e-9 relative. Then the errors: a group with no rows, a propensity score of 0 or 1
 * (separation), a treatment of three levels.
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

static const char *const cases[] = {"reunification_ate", "reunification_att_stab",
                                    "reunification_trim", "lung_ate"};

static survkit_table *read_dataset(const char *name)
{
    char csv[1024];
    snprintf(csv, sizeof csv, "%s/%s.csv", datasets_dir(), name);
    survkit_table *table = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_table_read_file(csv, NULL, &table, &err) != SURVKIT_OK) fail_msg("%s", err.message);
    return table;
}

static survkit_status fit(survkit_table *table, const char *formula, const survkit_ipw_options *opt,
                          survkit_frame **frame, survkit_ipw_result **r, survkit_error *err)
{
    survkit_frame_options fo;
    survkit_frame_options_init(&fo);
    fo.binary_response = 1;
    fo.groups = 0;
    survkit_status st = survkit_frame_build(table, formula, &fo, frame, err);
    if (st != SURVKIT_OK) return st;
    return survkit_ipw_fit_frame(*frame, NULL, opt, r, err);
}

static void test_cases(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char path[256];
        snprintf(path, sizeof path, "ipw/%s.txt", cases[k]);
        golden *g = golden_load(path);
        survkit_table *table = read_dataset(golden_string(g, "dataset", 0));
        survkit_ipw_options opt;
        survkit_ipw_options_init(&opt);
        opt.estimand = strcmp(golden_string(g, "estimand", 0), "att") == 0 ? SURVKIT_IPW_ATT
                                                                           : SURVKIT_IPW_ATE;
        opt.stabilize = golden_number(g, "stabilize") != 0;
        opt.trim = golden_number(g, "trim");
        survkit_frame *frame = NULL;
        survkit_ipw_result *r = NULL;
        survkit_error err;
        survkit_error_clear(&err);
        if (fit(table, golden_string(g, "formula", 0), &opt, &frame, &r, &err) != SURVKIT_OK)
            fail_msg("%s: %s", cases[k], err.message);
        size_t n = (size_t)golden_number(g, "n");
        assert_int_equal(survkit_ipw_result_n(r), n);
        assert_int_equal(survkit_ipw_result_n_treated(r), (size_t)golden_number(g, "treated"));
        const survkit_glm_result *model = survkit_ipw_result_model(r);
        assert_numbers_close(survkit_glm_result_coef(model), golden_numbers(g, "coef"),
                             golden_length(g, "coef"), REL, 0, "propensity coef");
        assert_number_close(survkit_glm_result_aic(model), golden_number(g, "aic"), REL, 0, "aic");
        assert_numbers_close(survkit_ipw_result_ps(r), golden_numbers(g, "ps"), n, REL, 0, "ps");
        assert_numbers_close(survkit_ipw_result_weights(r), golden_numbers(g, "weights"), n, REL,
                             0, "weights");
        survkit_ipw_summary s;
        survkit_ipw_result_summary(r, &s);
        assert_number_close(s.min, golden_number(g, "min"), REL, 0, "min");
        assert_number_close(s.max, golden_number(g, "max"), REL, 0, "max");
        assert_number_close(s.sum_treated, golden_number(g, "sum_treated"), REL, 0, "sum T");
        assert_number_close(s.sum_control, golden_number(g, "sum_control"), REL, 0, "sum C");
        assert_number_close(s.ess_treated, golden_number(g, "ess_treated"), REL, 0, "ess T");
        assert_number_close(s.ess_control, golden_number(g, "ess_control"), REL, 0, "ess C");
        assert_number_close(s.trim_lower, golden_number(g, "trim_lower"), REL, 0, "trim lower");
        assert_number_close(s.trim_upper, golden_number(g, "trim_upper"), REL, 0, "trim upper");
        size_t q = golden_length(g, "names");
        assert_int_equal(survkit_ipw_result_n_balance(r), q);
        for (size_t j = 0; j < q; j++)
            assert_string_equal(survkit_ipw_result_balance_name(r, j), golden_string(g, "names", j));
        /* smd_after is near 0 by design: an absolute floor of 1e-12 of the pooled scale */
        assert_numbers_close(survkit_ipw_result_smd_before(r), golden_numbers(g, "smd_before"), q,
                             REL, 0, "smd before");
        assert_numbers_close(survkit_ipw_result_smd_after(r), golden_numbers(g, "smd_after"), q,
                             REL, 1e-12, "smd after");
        assert_numbers_close(survkit_ipw_result_vr_before(r), golden_numbers(g, "vr_before"), q,
                             REL, 0, "vr before");
        assert_numbers_close(survkit_ipw_result_vr_after(r), golden_numbers(g, "vr_after"), q,
                             REL, 0, "vr after");
        survkit_ipw_result_free(r);
        survkit_frame_free(frame);
        survkit_table_free(table);
        golden_free(g);
    }
}

/* The adjusted curves: ATE weights put into the table, then survfit's weighted, robust curves per
 * treatment group and their contrasts at times and for restricted means (curves_*.txt). */
static void check_curves(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "ipw/%s.txt", name);
    golden *g = golden_load(path);
    survkit_table *table = read_dataset(golden_string(g, "dataset", 0));
    const char *formula = golden_string(g, "formula", 0);
    survkit_ipw_options opt;
    survkit_ipw_options_init(&opt);
    opt.stabilize = golden_number(g, "stabilize") != 0;
    survkit_frame *frame = NULL;
    survkit_ipw_result *r = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(fit(table, formula, &opt, &frame, &r, &err), SURVKIT_OK);
    size_t rows = survkit_table_n_rows(table), n = survkit_frame_n(frame);
    double *w = malloc(rows * sizeof *w);
    for (size_t i = 0; i < rows; i++) w[i] = NAN;
    for (size_t i = 0; i < n; i++) w[survkit_frame_row_index(frame)[i]] = survkit_ipw_result_weights(r)[i];
    assert_int_equal(survkit_table_add_numeric(table, "ipw_w", w, &err), SURVKIT_OK);
    char km_formula[512];
    const char *tilde = strchr(formula, '~');
    snprintf(km_formula, sizeof km_formula, "%s ~ %.*s", golden_string(g, "surv", 0),
             (int)(tilde - formula - 1), formula);
    survkit_frame_options fo;
    survkit_frame_options_init(&fo);
    fo.weights = "ipw_w";
    survkit_frame *kframe = NULL;
    if (survkit_frame_build(table, km_formula, &fo, &kframe, &err) != SURVKIT_OK) fail_msg("%s", err.message);
    survkit_km_options ko;
    survkit_km_options_init(&ko);
    ko.robust = 1;
    survkit_km *km = NULL;
    assert_int_equal(survkit_km_fit_frame(kframe, &ko, &km, &err), SURVKIT_OK);
    assert_int_equal(survkit_km_n_groups(km), 2);
    /* the curves, group after group, as R lists them */
    const double *strata = golden_numbers(g, "curve_strata");
    size_t total = golden_length(g, "curve_time"), at = 0;
    static const struct { survkit_km_column column; const char *key; } cols[] = {
        {SURVKIT_KM_TIME, "curve_time"}, {SURVKIT_KM_SURV, "curve_surv"},
        {SURVKIT_KM_STD_ERR, "curve_std_err"}, {SURVKIT_KM_LOWER, "curve_lower"},
        {SURVKIT_KM_UPPER, "curve_upper"}};
    for (size_t grp = 0; grp < 2; grp++) {
        assert_string_equal(survkit_km_group_label(km, grp), golden_string(g, "labels", grp));
        size_t m = survkit_km_n_times(km, grp);
        for (size_t i = 0; i < m; i++) assert_int_equal((size_t)strata[at + i], grp);
        for (size_t c = 0; c < 5; c++)
            assert_numbers_close(survkit_km_column_values(km, grp, cols[c].column),
                                 golden_numbers(g, cols[c].key) + at, m, REL, 0, cols[c].key);
        at += m;
    }
    assert_int_equal(at, total);
    size_t nt = golden_length(g, "times"), got = 0;
    survkit_ipw_contrast *c = calloc(nt, sizeof *c);
    assert_int_equal(survkit_ipw_contrast_survival(km, golden_numbers(g, "times"), nt, 0.95, c,
                                                   &got, &err), SURVKIT_OK);
    assert_int_equal(got, nt);
    static const char *const keys[] = {"surv_control", "surv_treated", "se_control", "se_treated",
                                       "diff", "diff_lower", "diff_upper", "ratio", "ratio_lower",
                                       "ratio_upper"};
    for (size_t i = 0; i < nt; i++) {
        const double v[10] = {c[i].control, c[i].treated, c[i].se_control, c[i].se_treated,
                              c[i].diff, c[i].diff_lower, c[i].diff_upper, c[i].ratio,
                              c[i].ratio_lower, c[i].ratio_upper};
        for (size_t k = 0; k < 10; k++)
            assert_number_close(v[k], golden_numbers(g, keys[k])[i], REL, 0, keys[k]);
    }
    survkit_ipw_contrast rm;
    assert_int_equal(survkit_ipw_contrast_rmst(km, golden_number(g, "tau"), 0.95, &rm, &err), SURVKIT_OK);
    assert_number_close(rm.control, golden_numbers(g, "rmst")[0], REL, 0, "rmst control");
    assert_number_close(rm.treated, golden_numbers(g, "rmst")[1], REL, 0, "rmst treated");
    assert_number_close(rm.se_control, golden_numbers(g, "rmst_se")[0], REL, 0, "rmst se control");
    assert_number_close(rm.se_treated, golden_numbers(g, "rmst_se")[1], REL, 0, "rmst se treated");
    assert_number_close(rm.diff_lower, golden_number(g, "rmst_diff_lower"), REL, 0, "rmst diff lower");
    assert_number_close(rm.diff_upper, golden_number(g, "rmst_diff_upper"), REL, 0, "rmst diff upper");
    assert_number_close(rm.ratio, golden_number(g, "rmst_ratio"), REL, 0, "rmst ratio");
    assert_number_close(rm.ratio_lower, golden_number(g, "rmst_ratio_lower"), REL, 0, "rmst ratio lower");
    assert_number_close(rm.ratio_upper, golden_number(g, "rmst_ratio_upper"), REL, 0, "rmst ratio upper");
    free(c);
    free(w);
    survkit_km_free(km);
    survkit_frame_free(kframe);
    survkit_ipw_result_free(r);
    survkit_frame_free(frame);
    survkit_table_free(table);
    golden_free(g);
}

static void test_curves(void **state)
{
    (void)state;
    check_curves("curves_reunification");
    check_curves("curves_lung");
}

static void test_errors(void **state)
{
    (void)state;
    double treated[4] = {1, 1, 1, 1}, ps[4] = {0.5, 0.4, 0.3, 0.2}, x[4] = {1, 2, 3, 4};
    survkit_ipw_result *r = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_ipw_compute(treated, ps, 4, x, NULL, 1, NULL, &r, &err),
                     SURVKIT_ERR_NO_DATA);
    assert_null(r);
    assert_non_null(strstr(err.message, "no control"));
    treated[0] = 0;
    ps[2] = 1;
    assert_int_equal(survkit_ipw_compute(treated, ps, 4, x, NULL, 1, NULL, &r, &err),
                     SURVKIT_ERR_NUMERIC);
    assert_int_equal(err.line, 3);
    ps[2] = 0.3;
    survkit_ipw_options opt;
    survkit_ipw_options_init(&opt);
    opt.trim = 0.5;
    assert_int_equal(survkit_ipw_compute(treated, ps, 4, x, NULL, 1, &opt, &r, &err),
                     SURVKIT_ERR_ARGUMENT);
    opt.trim = 0;
    assert_int_equal(survkit_ipw_compute(treated, ps, 4, x, NULL, 1, &opt, &r, &err), SURVKIT_OK);
    survkit_ipw_result_free(r);

    /* a treatment of three levels (reason) and complete separation on real data */
    survkit_table *table = read_dataset("reunification");
    survkit_frame *frame = NULL;
    assert_int_equal(fit(table, "reason ~ age", NULL, &frame, &r, &err), SURVKIT_ERR_DOMAIN);
    assert_non_null(strstr(err.message, "more than two levels"));
    assert_int_equal(err.column, 1);
    survkit_table_free(table);
    table = read_dataset("lung");
    assert_int_equal(fit(table, "I(time > 500) ~ time + age", NULL, &frame, &r, &err),
                     SURVKIT_ERR_NUMERIC);
    assert_non_null(strstr(err.message, "separates the groups"));
    assert_true(err.line >= 2);
    survkit_frame_free(frame);
    survkit_table_free(table);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_curves),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
