/*
 * test_timefix.c: R's timefix (sk_time_fix, and survkit_frame_options.timefix) against R
 * (tests/golden/make_golden_timefix.R): aeqSurv on vectors with near-equal times, right-censored and
 * counting-process, its error when a fix closes an interval; and, end to end, coxph and survfit on
 * lung with every third day moved by 1e-10 and the next by 2e-10, with timefix (the days' own fit)
 * and without it (the ties split).
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

#include "formula/formula_internal.h"
#include "golden.h"
#include "survkit/survkit.h"

/* sk_time_fix on a copy of `key` (and of `start_key`), compared with the golden's fixed values:
 * the fixed times are input values themselves, so they must match exactly. */
static void check_vector(const golden *g, const char *key, const char *fixed_key,
                         const char *start_key, const char *start_fixed_key)
{
    const size_t n = golden_length(g, key);
    double *time = malloc(n * sizeof *time), *start = NULL;
    memcpy(time, golden_numbers(g, key), n * sizeof *time);
    if (start_key != NULL) {
        start = malloc(n * sizeof *start);
        memcpy(start, golden_numbers(g, start_key), n * sizeof *start);
    }
    size_t bad_row = 0;
    survkit_error err;
    assert_int_equal(sk_time_fix(start, time, n, &bad_row, &err), SURVKIT_OK);
    assert_true(bad_row == SIZE_MAX);
    const double *want = golden_numbers(g, fixed_key);
    for (size_t i = 0; i < n; i++) assert_true(time[i] == want[i]);
    if (start != NULL) {
        const double *want_start = golden_numbers(g, start_fixed_key);
        for (size_t i = 0; i < n; i++) assert_true(start[i] == want_start[i]);
    }
    free(time), free(start);
}

static void test_aeqsurv_vectors(void **state)
{
    (void)state;
    golden *g = golden_load("timefix/aeqsurv.txt");
    check_vector(g, "small", "small_fixed", NULL, NULL);
    check_vector(g, "seconds", "seconds_fixed", NULL, NULL);
    check_vector(g, "stop", "stop_fixed", "start", "start_fixed");
    golden_free(g);
}

/* R: aeqSurv(Surv(c(1, 1 + 1e-12), c(2, 1 + 2e-12), c(1, 1))) stops with "aeqSurv exception, an
 * interval has effective length 0": the second row's start and stop become one time. */
static void test_closed_interval_is_an_error(void **state)
{
    (void)state;
    golden *g = golden_load("timefix/aeqsurv.txt");
    double start[] = {1, 1 + 1e-12}, stop[] = {2, 1 + 2e-12};
    size_t bad_row = 0;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(sk_time_fix(start, stop, 2, &bad_row, &err), SURVKIT_ERR_DOMAIN);
    assert_int_equal(bad_row, 1);
    assert_non_null(strstr(err.message, golden_string(g, "empty_interval_error", 0)));
    golden_free(g);
}

/* Integer days are left as they are (and never sorted). */
static void test_integer_days_unchanged(void **state)
{
    (void)state;
    double time[] = {5, 3, 3, 1825, 0, -7}, copy[6];
    memcpy(copy, time, sizeof time);
    size_t bad_row = 0;
    survkit_error err;
    assert_int_equal(sk_time_fix(NULL, time, 6, &bad_row, &err), SURVKIT_OK);
    assert_memory_equal(time, copy, sizeof time);
}

/* lung.csv's time, status, age, sex as a table, times moved by 0, 1e-10, 2e-10 in turn (as R). */
static survkit_table *jittered_lung(void)
{
    survkit_error err;
    survkit_table *lung = NULL, *t = NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/lung.csv", SURVKIT_DATASETS_DIR);
    assert_int_equal(survkit_table_read_file(path, NULL, &lung, &err), SURVKIT_OK);
    const size_t n = survkit_table_n_rows(lung);
    const double *time = survkit_table_numeric(lung, (size_t)survkit_table_find(lung, "time"));
    double *moved = malloc(n * sizeof *moved);
    for (size_t i = 0; i < n; i++) moved[i] = time[i] + (double)(i % 3) * 1e-10;
    assert_int_equal(survkit_table_create(n, &t, &err), SURVKIT_OK);
    assert_int_equal(survkit_table_add_numeric(t, "time", moved, &err), SURVKIT_OK);
    const char *names[] = {"status", "age", "sex"};
    for (size_t k = 0; k < 3; k++)
        assert_int_equal(survkit_table_add_numeric(
                             t, names[k],
                             survkit_table_numeric(lung, (size_t)survkit_table_find(lung, names[k])),
                             &err),
                         SURVKIT_OK);
    free(moved);
    survkit_table_free(lung);
    return t;
}

static void check_fits(int timefix, const char *golden_name)
{
    survkit_table *t = jittered_lung();
    golden *g = golden_load(golden_name);
    survkit_frame_options opt;
    survkit_frame_options_init(&opt);
    opt.timefix = timefix;
    survkit_frame *frame = NULL;
    survkit_error err;
    assert_int_equal(survkit_frame_build(t, "Surv(time, status) ~ age + sex", &opt, &frame, &err),
                     SURVKIT_OK);
    assert_int_equal(survkit_frame_timefix(frame), timefix);
    survkit_cox_result *fit = NULL;
    assert_int_equal(survkit_cox_fit_frame(frame, NULL, &fit, &err), SURVKIT_OK);
    assert_numbers_close(survkit_cox_result_coef(fit), golden_numbers(g, "coef"), 2, 1e-9, 0, "coef");
    assert_numbers_close(survkit_cox_result_se(fit), golden_numbers(g, "se"), 2, 1e-9, 0, "se");
    const double loglik[2] = {survkit_cox_result_loglik_null(fit), survkit_cox_result_loglik(fit)};
    assert_numbers_close(loglik, golden_numbers(g, "loglik"), 2, 1e-9, 0, "loglik");
    survkit_cox_result_free(fit);
    survkit_frame_free(frame);

    /* survfit: one curve, its times and survival */
    assert_int_equal(survkit_frame_build(t, "Surv(time, status) ~ 1", &opt, &frame, &err),
                     SURVKIT_OK);
    survkit_km *km = NULL;
    assert_int_equal(survkit_km_fit_frame(frame, NULL, &km, &err), SURVKIT_OK);
    const size_t m = survkit_km_n_times(km, 0);
    assert_int_equal(m, golden_length(g, "km_time"));
    assert_numbers_close(survkit_km_column_values(km, 0, SURVKIT_KM_TIME), golden_numbers(g, "km_time"),
                         m, 0, 0, "km time");
    assert_numbers_close(survkit_km_column_values(km, 0, SURVKIT_KM_SURV), golden_numbers(g, "km_surv"),
                         m, 1e-12, 0, "km surv");
    survkit_km_free(km);
    survkit_frame_free(frame);
    golden_free(g);
    survkit_table_free(t);
}

static void test_lung_jitter_with_timefix(void **state)
{
    (void)state;
    check_fits(1, "timefix/lung_jitter.txt");
}

static void test_lung_jitter_without_timefix(void **state)
{
    (void)state;
    check_fits(0, "timefix/lung_jitter_no_timefix.txt");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aeqsurv_vectors),
        cmocka_unit_test(test_closed_interval_is_an_error),
        cmocka_unit_test(test_integer_days_unchanged),
        cmocka_unit_test(test_lung_jitter_with_timefix),
        cmocka_unit_test(test_lung_jitter_without_timefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
