/*
 * test_cox_large.c: Cox fits large enough to take the kernel's large-data paths -- rows split over
 * two threads, the 0/1 column read from bytes, the layout built without a sort, the event slots on
 * two threads -- against R (tests/golden/make_golden_cox_large.R): lung's rows repeated 500 times
 * (114,000 rows), coxph(Surv(time, status) ~ age + factor(sex)), with integer days (500 tied copies
 * of every time) and with copy k shifted by k / 1000 days (about 70,000 distinct event times); and,
 * with integer days, age beside seven 0/1 columns, which the kernel sums through their patterns,
 * those seven alone, and six of them with case weights and two strata.
 */
#include <math.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "golden.h"
#include "survkit/survkit.h"

enum { COPIES = 500 };

typedef struct large_data {
    size_t n, p;
    double *time, *status, *x; /* x: age, sex == 2 (0/1), then the indicators when asked for */
    double *weights;           /* WEIGHTED_STRATA: 1, 2, 3 in turn; else NULL */
    int32_t *strata;           /* WEIGHTED_STRATA: age >= 65; else NULL */
} large_data;

/* The columns: age + sex; age + sex + the six indicators; sex + the indicators; age + sex + the
 * indicators but age >= 65, which is the strata, with weights. */
typedef enum { AGE_SEX, AGE_SEX_INDICATORS, SEX_INDICATORS, WEIGHTED_STRATA } columns_kind;

enum { INDICATORS = 6 };

/* The 0/1 columns after sex of the "indicators" case: age >= 50, 60, 65, 70, 75, age even. */
static double indicator(size_t k, double age)
{
    static const double threshold[] = {50, 60, 65, 70, 75};
    return k < 5 ? age >= threshold[k] : fmod(age, 2) == 0;
}

/* lung.csv's rows repeated COPIES times, copy k after copy k - 1; when shifted, copy k's times
 * + k / 1000 (computed as R does). */
static large_data lung_copies(bool shifted, columns_kind kind)
{
    survkit_error err;
    survkit_table *t = NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/lung.csv", SURVKIT_DATASETS_DIR);
    assert_int_equal(survkit_table_read_file(path, NULL, &t, &err), SURVKIT_OK);
    const size_t m = survkit_table_n_rows(t);
    const double *time = survkit_table_numeric(t, (size_t)survkit_table_find(t, "time"));
    const double *status = survkit_table_numeric(t, (size_t)survkit_table_find(t, "status"));
    const double *age = survkit_table_numeric(t, (size_t)survkit_table_find(t, "age"));
    const double *sex = survkit_table_numeric(t, (size_t)survkit_table_find(t, "sex"));
    large_data d = {m * COPIES, kind == AGE_SEX ? 2 : 2 + INDICATORS, NULL, NULL, NULL, NULL, NULL};
    d.time = malloc(d.n * sizeof *d.time);
    d.status = malloc(d.n * sizeof *d.status);
    d.x = malloc(d.p * d.n * sizeof *d.x);
    assert_true(d.time && d.status && d.x);
    for (size_t k = 0; k < COPIES; k++)
        for (size_t i = 0; i < m; i++) {
            size_t r = k * m + i;
            d.time[r] = time[i] + (shifted ? (double)k / 1000.0 : 0.0);
            d.status[r] = status[i] == 2;
            d.x[r] = age[i];
            d.x[d.n + r] = sex[i] == 2;
            for (size_t j = 2; j < d.p; j++) d.x[j * d.n + r] = indicator(j - 2, age[i]);
        }
    if (kind == SEX_INDICATORS) { /* without age: the 0/1 columns moved one place left */
        d.p--;
        for (size_t q = 0; q < d.p * d.n; q++) d.x[q] = d.x[q + d.n];
    }
    if (kind == WEIGHTED_STRATA) { /* age >= 65 (column 4) becomes the strata */
        d.weights = malloc(d.n * sizeof *d.weights);
        d.strata = malloc(d.n * sizeof *d.strata);
        assert_true(d.weights && d.strata);
        for (size_t r = 0; r < d.n; r++) {
            d.weights[r] = (double)(r % 3 + 1);
            d.strata[r] = d.x[4 * d.n + r] == 1;
        }
        d.p--;
        for (size_t q = 4 * d.n; q < d.p * d.n; q++) d.x[q] = d.x[q + d.n];
    }
    survkit_table_free(t);
    return d;
}

static void check_against_r(const char *golden_name, bool shifted, columns_kind kind)
{
    large_data d = lung_copies(shifted, kind);
    golden *g = golden_load(golden_name);
    survkit_cox_data data = {0};
    data.n = d.n;
    data.p = d.p;
    data.time = d.time;
    data.status = d.status;
    data.x = d.x;
    data.weights = d.weights;
    data.strata = d.strata;
    data.n_strata = d.strata ? 2 : 0;
    survkit_cox_result *r = NULL;
    survkit_error err;
    assert_int_equal(survkit_cox_fit_arrays(&data, NULL, &r, &err), SURVKIT_OK);
    assert_int_equal(survkit_cox_result_n(r), (size_t)golden_number(g, "n"));
    assert_int_equal(survkit_cox_result_iterations(r), (int)golden_number(g, "iter"));
    const double *coef = golden_numbers(g, "coef"), *se = golden_numbers(g, "se");
    for (size_t j = 0; j < d.p; j++) {
        assert_true(golden_close(survkit_cox_result_coef(r)[j], coef[j], 1e-9, 0));
        assert_true(golden_close(survkit_cox_result_se(r)[j], se[j], 1e-9, 0));
    }
    const double *loglik = golden_numbers(g, "loglik");
    assert_true(golden_close(survkit_cox_result_loglik_null(r), loglik[0], 1e-9, 0));
    assert_true(golden_close(survkit_cox_result_loglik(r), loglik[1], 1e-9, 0));
    assert_true(golden_close(survkit_cox_result_concordance(r), golden_number(g, "concordance"),
                             1e-9, 0));
    assert_true(golden_close(survkit_cox_result_concordance_se(r),
                             golden_number(g, "concordance_se"), 1e-9, 0));
    survkit_cox_result_free(r);
    golden_free(g);
    free(d.time), free(d.status), free(d.x), free(d.weights), free(d.strata);
}

static void test_lung_x500_integer_days(void **state)
{
    (void)state;
    check_against_r("cox_large/lung_x500.txt", false, AGE_SEX);
}

static void test_lung_x500_distinct_times(void **state)
{
    (void)state;
    check_against_r("cox_large/lung_x500_shifted.txt", true, AGE_SEX);
}

static void test_lung_x500_indicators(void **state)
{
    (void)state;
    check_against_r("cox_large/lung_x500_indicators.txt", false, AGE_SEX_INDICATORS);
}

static void test_lung_x500_indicators_only(void **state)
{
    (void)state;
    check_against_r("cox_large/lung_x500_indicators_only.txt", false, SEX_INDICATORS);
}

static void test_lung_x500_indicators_weighted_strata(void **state)
{
    (void)state;
    check_against_r("cox_large/lung_x500_indicators_weighted_strata.txt", false, WEIGHTED_STRATA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lung_x500_integer_days),
        cmocka_unit_test(test_lung_x500_distinct_times),
        cmocka_unit_test(test_lung_x500_indicators),
        cmocka_unit_test(test_lung_x500_indicators_only),
        cmocka_unit_test(test_lung_x500_indicators_weighted_strata),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
