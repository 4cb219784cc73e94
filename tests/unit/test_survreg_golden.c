/*
 * test_survreg_golden.c: survkit_survreg_fit_arrays against R's survreg, case by case.
 *
 * Every case in tests/golden/survreg/ was written by tests/golden/make_golden_survreg.R (the
 * survreg call is the first line of each file) with the model's inputs as R built them (the model
 * matrix without its intercept, the response as Surv codes it, strata and cluster codes) and
 * survreg's results: coefficients (NA when aliased), scales, vcov (robust and naive), both
 * log-likelihoods, iterations, the linear predictor, summary(survreg)'s table and chi-square, and
 * the warnings. Compared at 1e-9 relative; iterations, row names and warning texts exactly.
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
#include "report_survreg.h"
#include "survkit/survkit.h"

#define REL 1e-9
/* Absolute floor for entries that are zero in exact arithmetic (an aliased row's covariances). */
#define ABS 1e-13

typedef struct fitted {
    golden *g;
    survkit_survreg_result *r;
    int32_t *strata, *cluster;
    const char **names, **labels;
} fitted;

static void fit_case(const char *name, fitted *f)
{
    char path[256];
    snprintf(path, sizeof path, "survreg/%s.txt", name);
    golden *g = golden_load(path);
    f->g = g;
    const size_t n = (size_t)golden_number(g, "n"), p = (size_t)golden_number(g, "p");
    f->names = calloc(p + 1, sizeof(char *));
    for (size_t j = 0; j < p; j++) f->names[j] = golden_string(g, "names", j);
    const size_t nl = golden_length(g, "strata_labels");
    f->labels = calloc(nl + 1, sizeof(char *));
    for (size_t k = 0; k < nl; k++) f->labels[k] = golden_string(g, "strata_labels", k);
    f->strata = golden_int32(g, "strata");
    f->cluster = golden_int32(g, "cluster");
    survkit_survreg_data d = {
        .n = n, .p = p, .time = golden_numbers(g, "time"),
        .time2 = golden_number(g, "interval") != 0 ? golden_numbers(g, "time2") : NULL,
        .status = golden_numbers(g, "status"), .x = p ? golden_numbers(g, "x") : NULL,
        .names = f->names, .weights = golden_optional(g, "weights"), .offset = golden_optional(g, "offset"),
        .strata = f->strata, .n_strata = (size_t)golden_number(g, "n_strata"),
        .strata_labels = nl ? f->labels : NULL,
        .cluster = f->cluster, .n_clusters = (size_t)golden_number(g, "n_clusters")};
    survkit_survreg_options opt;
    survkit_survreg_options_init(&opt);
    assert_int_equal(survkit_survreg_dist_parse(golden_string(g, "dist", 0), &opt.dist, NULL),
                     SURVKIT_OK);
    opt.scale = golden_number(g, "fixed_scale");
    opt.iter_max = (int)golden_number(g, "iter_max");
    const char *robust = golden_string(g, "robust", 0);
    opt.robust = strcmp(robust, "on") == 0 ? SURVKIT_SURVREG_ROBUST_ON : SURVKIT_SURVREG_ROBUST_AUTO;
    survkit_error err = {0};
    survkit_status st = survkit_survreg_fit_arrays(&d, &opt, &f->r, &err);
    if (st != SURVKIT_OK) fail_msg("%s: %s", name, err.message);
}

static void fitted_free(fitted *f)
{
    survkit_survreg_result_free(f->r);
    free(f->strata), free(f->cluster), free(f->names), free(f->labels);
    golden_free(f->g);
}

static void test_case(void **state)
{
    const char *name = *state;
    fitted f;
    fit_case(name, &f);
    const golden *g = f.g;
    const survkit_survreg_result *r = f.r;
    const size_t m = survkit_survreg_result_n_rows(r);
    const size_t p = survkit_survreg_result_p(r);
    assert_int_equal(m, golden_length(g, "row_names"));
    for (size_t j = 0; j < m; j++)
        assert_string_equal(survkit_survreg_result_name(r, j), golden_string(g, "row_names", j));
    assert_int_equal(survkit_survreg_result_iterations(r), (int)golden_number(g, "iter"));
    assert_numbers_close(survkit_survreg_result_coef(r), golden_numbers(g, "coef"), p, REL, ABS,
                         "coef");
    assert_numbers_close(survkit_survreg_result_scale(r), golden_numbers(g, "scale"),
                         golden_length(g, "scale"), REL, 0, "scale");
    assert_numbers_close(survkit_survreg_result_vcov(r), golden_numbers(g, "var"), m * m, REL, ABS,
                         "vcov");
    if (golden_length(g, "naive_var")) {
        assert_true(survkit_survreg_result_is_robust(r));
        assert_numbers_close(survkit_survreg_result_naive_vcov(r), golden_numbers(g, "naive_var"),
                             m * m, REL, ABS, "naive vcov");
        assert_numbers_close(survkit_survreg_result_naive_se(r), golden_numbers(g, "naive_se"), m,
                             REL, ABS, "naive se");
    } else {
        assert_false(survkit_survreg_result_is_robust(r));
        assert_null(survkit_survreg_result_naive_vcov(r));
    }
    const double *ll = golden_numbers(g, "loglik");
    assert_number_close(survkit_survreg_result_loglik_null(r), ll[0], REL, 0, "loglik[1]");
    assert_number_close(survkit_survreg_result_loglik(r), ll[1], REL, 0, "loglik[2]");
    assert_numbers_close(survkit_survreg_result_linear_predictor(r), golden_numbers(g, "lp"),
                         survkit_survreg_result_n(r), REL, ABS, "linear predictor");
    assert_numbers_close(survkit_survreg_result_coef(r), golden_numbers(g, "value"), m, REL, ABS,
                         "summary value");
    assert_numbers_close(survkit_survreg_result_se(r), golden_numbers(g, "se"), m, REL, ABS, "se");
    assert_numbers_close(survkit_survreg_result_z(r), golden_numbers(g, "z"), m, REL, ABS, "z");
    assert_numbers_close(survkit_survreg_result_pvalue(r), golden_numbers(g, "pvalue"), m, REL, 0,
                         "p");
    /* the chi-square is a difference of two log-likelihoods: relative to their size */
    const double scale_ll = fabs(ll[1]) * REL;
    assert_number_close(survkit_survreg_result_chisq(r), golden_number(g, "chi"), 0, scale_ll,
                        "chisq");
    assert_number_close(survkit_survreg_result_df(r), golden_number(g, "df"), 0, 0, "df");
    if (golden_number(g, "df") > 0)
        assert_number_close(survkit_survreg_result_chisq_p(r), golden_number(g, "chi_p"), 1e-7, 0,
                            "chisq p");
    assert_int_equal(survkit_survreg_result_n_warnings(r), (size_t)golden_number(g, "n_warnings"));
    for (size_t k = 0; k < survkit_survreg_result_n_warnings(r); k++)
        assert_string_equal(survkit_survreg_result_warning(r, k), golden_string(g, "warnings", k));
    assert_int_equal(survkit_survreg_result_converged(r),
                     golden_number(g, "n_warnings") == 0 ? 1 : 0);
    fitted_free(&f);
}

/* The text report equals R's print(summary(fit)) from the table on (the call is R's deparse). */
static void test_summary_text(void **state)
{
    const char *name = *state;
    fitted f;
    fit_case(name, &f);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    assert_non_null(mem);
    report_survreg_info info = {"survreg()", 0, NULL, NULL};
    report_survreg_text(mem, f.r, &info);
    fclose(mem);
    /* R's lines from the table's header on; "\\t" in the golden is a tab */
    const size_t nl = golden_length(f.g, "summary_text");
    size_t first = 0;
    while (first < nl && strstr(golden_string(f.g, "summary_text", first), "Value") == NULL) first++;
    assert_true(first < nl);
    const char *table = strstr(buf, " Value ");
    while (table && table > buf && table[-1] != '\n') table--; /* back to its line's start */
    assert_non_null(table);
    const char *at = table;
    for (size_t k = first; k < nl; k++) {
        char expected[512];
        const char *src = golden_string(f.g, "summary_text", k);
        size_t e = 0;
        for (size_t i = 0; src[i] && e + 1 < sizeof expected; i++) {
            if (src[i] == '\\' && src[i + 1] == 't') expected[e++] = '\t', i++;
            else expected[e++] = src[i];
        }
        expected[e] = '\0';
        const char *nl_at = strchr(at, '\n');
        assert_non_null(nl_at);
        char line[512];
        size_t ll = (size_t)(nl_at - at) < sizeof line - 1 ? (size_t)(nl_at - at) : sizeof line - 1;
        memcpy(line, at, ll);
        line[ll] = '\0';
        if (strcmp(line, expected) != 0) fail_msg("%s line %zu: got '%s', R prints '%s'", name, k, line, expected);
        at = nl_at + 1;
    }
    free(buf);
    fitted_free(&f);
}

/* Bad input is refused with the row named: R's "Invalid survival times for this distribution",
 * an empty interval, a fixed scale with strata, a weight <= 0, an unknown distribution. */
static void test_rejected_inputs(void **state)
{
    (void)state;
    const double time[] = {5, 0, 7, 9}, status[] = {1, 1, 0, 1}, x[] = {1, 2, 3, 5};
    survkit_survreg_data d = {.n = 4, .p = 1, .time = time, .status = status, .x = x};
    survkit_survreg_options opt;
    survkit_survreg_options_init(&opt);
    survkit_survreg_result *r = NULL;
    survkit_error err = {0};
    assert_int_equal(survkit_survreg_fit_arrays(&d, &opt, &r, &err), SURVKIT_ERR_DOMAIN);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.message, "Invalid survival times"));
    opt.dist = SURVKIT_SURVREG_GAUSSIAN; /* a zero time is fine on the time scale */
    assert_int_equal(survkit_survreg_fit_arrays(&d, &opt, &r, &err), SURVKIT_OK);
    survkit_survreg_result_free(r);

    const double t1[] = {5, 3, 7, 9}, t2[] = {6, 2, 7, 9}, st3[] = {3, 3, 1, 0};
    d.time = t1, d.time2 = t2, d.status = st3;
    assert_int_equal(survkit_survreg_fit_arrays(&d, &opt, &r, &err), SURVKIT_ERR_DOMAIN);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.message, "empty interval"));

    d.time = time, d.time2 = NULL, d.status = status;
    const int32_t strata[] = {0, 1, 0, 1};
    d.strata = strata, d.n_strata = 2, opt.scale = 2;
    assert_int_equal(survkit_survreg_fit_arrays(&d, &opt, &r, &err), SURVKIT_ERR_ARGUMENT);
    d.strata = NULL, d.n_strata = 0, opt.scale = 0;
    const double w[] = {1, 1, 0, 1};
    d.weights = w;
    assert_int_equal(survkit_survreg_fit_arrays(&d, &opt, &r, &err), SURVKIT_ERR_DOMAIN);
    assert_int_equal(err.line, 3);
    survkit_survreg_dist dist;
    assert_int_equal(survkit_survreg_dist_parse("weibul", &dist, &err), SURVKIT_ERR_ARGUMENT);
    assert_int_equal(survkit_survreg_dist_parse("loglogistic", &dist, &err), SURVKIT_OK);
    assert_int_equal(dist, SURVKIT_SURVREG_LOGLOGISTIC);
}

/* A predictor that is not finite: the first such row, and its first such column, are named, also
 * when the columns are scanned on two threads (60,000 rows, four columns: alternate columns
 * each; the earlier row wins, and on a tie the smaller column, as one scan in column order
 * finds them). */
static void test_infinite_predictor(void **state)
{
    (void)state;
    enum { N = 60000, P = 4 };
    double *time = malloc(N * sizeof(double)), *status = malloc(N * sizeof(double));
    double *x = malloc((size_t)N * P * sizeof(double));
    assert_non_null(time);
    assert_non_null(status);
    assert_non_null(x);
    for (size_t i = 0; i < N; i++) {
        time[i] = 1 + (double)(i % 97);
        status[i] = (double)(i % 3 != 0);
        for (size_t j = 0; j < P; j++) x[i + j * N] = (double)((i * (j + 3)) % 11) / 7;
    }
    survkit_survreg_data d = {.n = N, .p = P, .time = time, .status = status, .x = x};
    survkit_survreg_options opt;
    survkit_survreg_options_init(&opt);
    survkit_survreg_result *r = NULL;
    survkit_error err = {0};
    x[50000 + 0 * N] = INFINITY; /* column 1 (task 0), a later row */
    x[40000 + 3 * N] = NAN;      /* column 4 (task 1), the first row */
    x[45000 + 1 * N] = -INFINITY;
    assert_int_equal(survkit_survreg_fit_arrays(&d, &opt, &r, &err), SURVKIT_ERR_DOMAIN);
    assert_int_equal(err.line, 40001);
    assert_int_equal(err.column, 4);
    assert_non_null(strstr(err.message, "infinite predictor"));
    x[40000 + 2 * N] = INFINITY; /* the same row in column 3 (task 0): the smaller column */
    assert_int_equal(survkit_survreg_fit_arrays(&d, &opt, &r, &err), SURVKIT_ERR_DOMAIN);
    assert_int_equal(err.line, 40001);
    assert_int_equal(err.column, 3);
    x[40000 + 1 * N] = INFINITY; /* and in column 2 (task 1): smaller still */
    assert_int_equal(survkit_survreg_fit_arrays(&d, &opt, &r, &err), SURVKIT_ERR_DOMAIN);
    assert_int_equal(err.column, 2);
    assert_null(r);
    free(time), free(status), free(x);
}

#define CASE(name) {name, test_case, NULL, NULL, (void *)name}
#define TEXT(name) {"text " name, test_summary_text, NULL, NULL, (void *)name}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CASE("lung_weibull"), CASE("lung_exponential"), CASE("lung_gaussian"),
        CASE("lung_logistic"), CASE("lung_lognormal"), CASE("lung_loglogistic"),
        CASE("lung_meanonly"), CASE("lung_strata"), CASE("lung_strata_lognormal"),
        CASE("lung_weights"), CASE("lung_offset"), CASE("lung_fixed_scale"),
        CASE("lung_fixed_scale_gaussian"), CASE("lung_cluster"), CASE("lung_robust"),
        CASE("lung_cluster_strata"), CASE("lung_aliased"), CASE("veteran_factor"),
        CASE("lung_iter2"), CASE("interval_weibull"), CASE("interval_gaussian"),
        CASE("interval_loglogistic"), CASE("interval_lognormal"), CASE("interval_robust"),
        CASE("lung_weights_cluster"), CASE("no_events"),
        TEXT("lung_weibull"), TEXT("lung_exponential"), TEXT("lung_meanonly"),
        TEXT("lung_strata"), TEXT("lung_fixed_scale"), TEXT("lung_cluster"), TEXT("lung_aliased"),
        TEXT("veteran_factor"), TEXT("interval_lognormal"), TEXT("lung_iter2"),
        cmocka_unit_test(test_rejected_inputs), cmocka_unit_test(test_infinite_predictor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
