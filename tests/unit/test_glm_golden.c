/*
 * test_glm_golden.c: the binomial GLM against R's glm() and summary.glm(), case by case.
 *
 * Every case in tests/golden/glm/ was written by tests/golden/make_golden_glm.R (the glm call is
 * the first line of each file): R's model matrix, y, prior weights, offset and cluster codes, and
 * glm's coefficients (NA when aliased), summary's standard errors, z and p, vcov(fit, complete =
 * TRUE), deviances, degrees of freedom, AIC, iterations, convergence, fitted values, linear
 * predictors and warnings; with clusters, sandwich's vcovCL(type = "HC0", cadjust = FALSE)
 * computed in base R. Each case is fitted through the arrays with both solvers (QR, and Cholesky,
 * which must hand aliased data to QR), and through the formula from the dataset's CSV.
 * Compared at 1e-9 relative; iterations, convergence and warning texts exactly. Two looser
 * tolerances, each for a reason: the Cholesky path solves the normal equations, whose rounding
 * grows with the square of X's condition number (1e-8); and the separated case is R's 25th
 * iterate on the way to an infinite coefficient (-522 and growing), where each step's rounding is
 * amplified by a weight matrix with entries down to 1e-200 (1e-7 for its coefficients and
 * variances).
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
#include "report_glm.h"
#include "survkit/survkit.h"

#define REL 1e-9
#define REL_CHOLESKY 1e-8
#define REL_SEPARATED 1e-7
#define ABS 1e-13

static const char *const cases[] = {
    "lung_logit", "lung_probit", "lung_cloglog", "reunification_factors",
    "reunification_weights", "pbc_frac_weights", "reunification_offset", "aml_string",
    "aliased", "separated", "reunification_cluster",
};
#define N_CASES (sizeof cases / sizeof cases[0])

static survkit_glm_link link_of(const golden *g)
{
    const char *link = golden_string(g, "link", 0);
    if (strcmp(link, "probit") == 0) return SURVKIT_GLM_PROBIT;
    if (strcmp(link, "cloglog") == 0) return SURVKIT_GLM_CLOGLOG;
    assert_string_equal(link, "logit");
    return SURVKIT_GLM_LOGIT;
}

/* Everything R reports, against the golden file. */
static void check_result(const golden *g, const survkit_glm_result *r, double tol, bool per_row)
{
    size_t n = (size_t)golden_number(g, "n"), p = (size_t)golden_number(g, "p");
    assert_int_equal(survkit_glm_result_n(r), n);
    assert_int_equal(survkit_glm_result_p(r), p);
    assert_int_equal(survkit_glm_result_rank(r), (size_t)golden_number(g, "rank"));
    for (size_t j = 0; j < p; j++)
        assert_string_equal(survkit_glm_result_name(r, j), golden_string(g, "names", j));
    assert_numbers_close(survkit_glm_result_coef(r), golden_numbers(g, "coef"), p, tol, 0, "coef");
    assert_numbers_close(survkit_glm_result_se(r), golden_numbers(g, "se"), p, tol, 0, "se");
    bool robust = golden_has(g, "robust_se");
    assert_int_equal(survkit_glm_result_is_robust(r), robust);
    if (robust) {
        assert_numbers_close(survkit_glm_result_robust_se(r), golden_numbers(g, "robust_se"), p,
                             tol, 0, "robust se");
        assert_numbers_close(survkit_glm_result_vcov(r), golden_numbers(g, "robust_vcov"), p * p,
                             tol, ABS, "robust vcov");
        assert_numbers_close(survkit_glm_result_naive_vcov(r), golden_numbers(g, "vcov"), p * p,
                             tol, ABS, "naive vcov");
        /* z and p come from the robust errors: check them against the golden robust se */
        const double *coef = golden_numbers(g, "coef"), *rse = golden_numbers(g, "robust_se");
        for (size_t j = 0; j < p; j++)
            assert_number_close(survkit_glm_result_z(r)[j], coef[j] / rse[j], tol, 0, "robust z");
    } else {
        assert_null(survkit_glm_result_naive_vcov(r));
        assert_numbers_close(survkit_glm_result_vcov(r), golden_numbers(g, "vcov"), p * p, tol,
                             ABS, "vcov");
        assert_numbers_close(survkit_glm_result_z(r), golden_numbers(g, "z"), p, tol, 0, "z");
        assert_numbers_close(survkit_glm_result_pvalue(r), golden_numbers(g, "pvalue"), p, tol,
                             1e-300, "p");
    }
    assert_number_close(survkit_glm_result_deviance(r), golden_number(g, "deviance"), tol, 0, "deviance");
    assert_number_close(survkit_glm_result_null_deviance(r), golden_number(g, "null_deviance"),
                        tol, 0, "null deviance");
    assert_number_close(survkit_glm_result_df_residual(r), golden_number(g, "df_residual"), 0, 0,
                        "df residual");
    assert_number_close(survkit_glm_result_df_null(r), golden_number(g, "df_null"), 0, 0, "df null");
    assert_number_close(survkit_glm_result_aic(r), golden_number(g, "aic"), tol, 0, "aic");
    assert_int_equal(survkit_glm_result_iterations(r), (int)golden_number(g, "iter"));
    assert_int_equal(survkit_glm_result_converged(r),
                     strcmp(golden_string(g, "converged", 0), "TRUE") == 0);
    assert_int_equal(survkit_glm_result_boundary(r),
                     strcmp(golden_string(g, "boundary", 0), "TRUE") == 0);
    size_t n_warnings = (size_t)golden_number(g, "n_warnings");
    assert_int_equal(survkit_glm_result_n_warnings(r), n_warnings);
    for (size_t k = 0; k < n_warnings; k++)
        assert_string_equal(survkit_glm_result_warning(r, k), golden_string(g, "warnings", k));
    if (!per_row) return;
    assert_numbers_close(survkit_glm_result_fitted(r), golden_numbers(g, "fitted"), n, tol, 0,
                         "fitted");
    assert_numbers_close(survkit_glm_result_linear_predictor(r), golden_numbers(g, "lp"), n, tol,
                         1e-12, "linear predictor");
}

static void fit_arrays(const char *name, survkit_glm_solver solver)
{
    char path[256];
    snprintf(path, sizeof path, "glm/%s.txt", name);
    golden *g = golden_load(path);
    size_t n = (size_t)golden_number(g, "n"), p = (size_t)golden_number(g, "p");
    const char **names = calloc(p + 1, sizeof *names);
    for (size_t j = 0; j < p; j++) names[j] = golden_string(g, "names", j);
    int32_t *cluster = NULL;
    if (golden_has(g, "cluster")) {
        cluster = malloc(n * sizeof *cluster);
        for (size_t i = 0; i < n; i++) cluster[i] = (int32_t)golden_numbers(g, "cluster")[i];
    }
    survkit_glm_data d = {
        .n = n, .p = p, .y = golden_numbers(g, "y"), .x = golden_numbers(g, "x"), .names = names,
        .intercept = true, .weights = golden_optional(g, "prior_weights"), .offset = golden_optional(g, "offset"),
        .cluster = cluster,
        .n_clusters = cluster ? (size_t)golden_number(g, "n_clusters") : 0};
    survkit_glm_options opt;
    survkit_glm_options_init(&opt);
    opt.link = link_of(g);
    opt.solver = solver;
    survkit_glm_result *r = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_glm_fit_arrays(&d, &opt, &r, &err) != SURVKIT_OK) fail_msg("%s: %s", name, err.message);
    double tol = strcmp(name, "separated") == 0 ? REL_SEPARATED
                 : solver == SURVKIT_GLM_SOLVER_CHOLESKY ? REL_CHOLESKY : REL;
    check_result(g, r, tol, true);
    /* the Cholesky path hands a fit with an aliased column to QR */
    bool aliased = survkit_glm_result_rank(r) < p;
    assert_int_equal(survkit_glm_result_solver(r),
                     solver == SURVKIT_GLM_SOLVER_CHOLESKY && !aliased ? SURVKIT_GLM_SOLVER_CHOLESKY
                                                                       : SURVKIT_GLM_SOLVER_QR);
    survkit_glm_result_free(r);
    free(cluster);
    free(names);
    golden_free(g);
}

static void test_arrays_qr(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_CASES; k++) fit_arrays(cases[k], SURVKIT_GLM_SOLVER_QR);
}

static void test_arrays_cholesky(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_CASES; k++) fit_arrays(cases[k], SURVKIT_GLM_SOLVER_CHOLESKY);
}

/*
 * The rows split between two threads (at 8192 rows and more; the golden datasets are smaller):
 * a case's rows repeated four times, whose maximum-likelihood fit is R's fit of the case, with
 * the deviance four times R's, the standard errors half R's and the AIC 4 (aic - 2 rank) + 2 rank.
 */
static void fit_repeated(const char *name, survkit_glm_solver solver)
{
    enum { REPEATS = 4 };
    char path[256];
    snprintf(path, sizeof path, "glm/%s.txt", name);
    golden *g = golden_load(path);
    size_t n = (size_t)golden_number(g, "n"), p = (size_t)golden_number(g, "p"), m = REPEATS * n;
    const double *x = golden_numbers(g, "x"), *y = golden_numbers(g, "y");
    const double *w = golden_optional(g, "prior_weights");
    double *xr = malloc(m * p * sizeof *xr), *yr = malloc(m * sizeof *yr);
    double *wr = w ? malloc(m * sizeof *wr) : NULL;
    for (size_t k = 0; k < REPEATS; k++)
        for (size_t i = 0; i < n; i++) {
            for (size_t j = 0; j < p; j++) xr[k * n + i + j * m] = x[i + j * n];
            yr[k * n + i] = y[i];
            if (wr) wr[k * n + i] = w[i];
        }
    survkit_glm_data d = {.n = m, .p = p, .y = yr, .x = xr, .intercept = true, .weights = wr};
    survkit_glm_options opt;
    survkit_glm_options_init(&opt);
    opt.link = link_of(g);
    opt.solver = solver;
    survkit_glm_result *r = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_glm_fit_arrays(&d, &opt, &r, &err) != SURVKIT_OK)
        fail_msg("%s: %s", name, err.message);
    double tol = solver == SURVKIT_GLM_SOLVER_CHOLESKY ? REL_CHOLESKY : REL;
    assert_int_equal(survkit_glm_result_solver(r), solver);
    assert_numbers_close(survkit_glm_result_coef(r), golden_numbers(g, "coef"), p, tol, 0, "coef");
    for (size_t j = 0; j < p; j++)
        assert_number_close(2 * survkit_glm_result_se(r)[j], golden_numbers(g, "se")[j], tol, 0,
                            "se");
    assert_number_close(survkit_glm_result_deviance(r), REPEATS * golden_number(g, "deviance"),
                        tol, 0, "deviance");
    assert_number_close(survkit_glm_result_null_deviance(r),
                        REPEATS * golden_number(g, "null_deviance"), tol, 0, "null deviance");
    double rank = golden_number(g, "rank");
    assert_number_close(survkit_glm_result_aic(r),
                        REPEATS * (golden_number(g, "aic") - 2 * rank) + 2 * rank, tol, 0, "aic");
    assert_int_equal(survkit_glm_result_iterations(r), (int)golden_number(g, "iter"));
    for (size_t k = 0; k < REPEATS; k++)
        assert_numbers_close(survkit_glm_result_fitted(r) + k * n, golden_numbers(g, "fitted"), n,
                             tol, 0, "fitted");
    survkit_glm_result_free(r);
    free(xr), free(yr), free(wr);
    golden_free(g);
}

static void test_threaded(void **state)
{
    (void)state;
    /* logit with 0/1 y (logit_rows.c), with case weights, and probit (the general rows) */
    static const char *const repeated[] = {"reunification_factors", "reunification_weights",
                                           "pbc_frac_weights"};
    for (size_t k = 0; k < sizeof repeated / sizeof repeated[0]; k++) {
        fit_repeated(repeated[k], SURVKIT_GLM_SOLVER_QR);
        fit_repeated(repeated[k], SURVKIT_GLM_SOLVER_CHOLESKY);
    }
}

/* The formula on the dataset's CSV: frame (plain response, intercept column, factors, weights,
 * offset, cluster) and fit together. */
static void test_frame(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_CASES; k++) {
        char path[256];
        snprintf(path, sizeof path, "glm/%s.txt", cases[k]);
        golden *g = golden_load(path);
        char csv[1024];
        snprintf(csv, sizeof csv, "%s/%s.csv", datasets_dir(), golden_string(g, "dataset", 0));
        survkit_error err;
        survkit_error_clear(&err);
        survkit_table *table = NULL;
        if (survkit_table_read_file(csv, NULL, &table, &err) != SURVKIT_OK) fail_msg("%s", err.message);
        char formula[512];
        snprintf(formula, sizeof formula, "%s", golden_string(g, "formula", 0));
        if (golden_length(g, "cluster_column")) { /* R's golden fit has no cluster() term */
            size_t len = strlen(formula);
            snprintf(formula + len, sizeof formula - len, " + cluster(%s)",
                     golden_string(g, "cluster_column", 0));
        }
        survkit_frame_options fo;
        survkit_frame_options_init(&fo);
        fo.binary_response = 1;
        fo.groups = 0;
        fo.weights = golden_length(g, "weights_column") ? golden_string(g, "weights_column", 0) : NULL;
        survkit_frame *frame = NULL;
        if (survkit_frame_build(table, formula, &fo, &frame, &err) != SURVKIT_OK)
            fail_msg("%s: %s (column %llu)", cases[k], err.message, (unsigned long long)err.column);
        survkit_glm_options opt;
        survkit_glm_options_init(&opt);
        opt.link = link_of(g);
        survkit_glm_result *r = NULL;
        if (survkit_glm_fit_frame(frame, &opt, &r, &err) != SURVKIT_OK)
            fail_msg("%s: %s", cases[k], err.message);
        check_result(g, r, strcmp(cases[k], "separated") == 0 ? REL_SEPARATED : REL, true);
        survkit_glm_result_free(r);
        survkit_frame_free(frame);
        survkit_table_free(table);
        golden_free(g);
    }
}

/* Prediction on the fitted rows gives back R's linear predictor and fitted values. */
static void test_predict(void **state)
{
    (void)state;
    golden *g = golden_load("glm/aliased.txt");
    size_t n = (size_t)golden_number(g, "n"), p = (size_t)golden_number(g, "p");
    survkit_glm_data d = {.n = n, .p = p, .y = golden_numbers(g, "y"), .x = golden_numbers(g, "x"),
                          .intercept = true};
    survkit_glm_result *r = NULL;
    assert_int_equal(survkit_glm_fit_arrays(&d, NULL, &r, NULL), SURVKIT_OK);
    double *lp = malloc(n * sizeof *lp), *prob = malloc(n * sizeof *prob);
    double *se = malloc(n * sizeof *se);
    assert_int_equal(survkit_glm_result_predict(r, d.x, n, NULL, lp, prob, se, NULL), SURVKIT_OK);
    assert_numbers_close(lp, golden_numbers(g, "lp"), n, REL, 1e-12, "predicted lp");
    assert_numbers_close(prob, golden_numbers(g, "fitted"), n, REL, 0, "predicted probability");
    /* se of the intercept-only row: sqrt(V[1,1]) */
    assert_int_equal(p, 5);
    double one[5] = {1, 0, 0, 0, 0}, s1; /* the aliased case has 5 columns */
    assert_int_equal(survkit_glm_result_predict(r, one, 1, NULL, NULL, NULL, &s1, NULL), SURVKIT_OK);
    assert_number_close(s1, golden_numbers(g, "se")[0], REL, 0, "se of the intercept");
    free(lp), free(prob), free(se);
    survkit_glm_result_free(r);
    golden_free(g);
}

/* The text report line for line as R's print(summary(fit)) (cases without clusters: R's summary
 * has no robust errors), from the formula path so that the dropped rows are counted. */
static void test_text(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_CASES; k++) {
        char path[256];
        snprintf(path, sizeof path, "glm/%s.txt", cases[k]);
        golden *g = golden_load(path);
        if (golden_length(g, "cluster_column")) {
            golden_free(g);
            continue;
        }
        char csv[1024];
        snprintf(csv, sizeof csv, "%s/%s.csv", datasets_dir(), golden_string(g, "dataset", 0));
        survkit_table *table = NULL;
        assert_int_equal(survkit_table_read_file(csv, NULL, &table, NULL), SURVKIT_OK);
        survkit_frame_options fo;
        survkit_frame_options_init(&fo);
        fo.binary_response = 1;
        fo.groups = 0;
        const char *weights = golden_length(g, "weights_column") ? golden_string(g, "weights_column", 0) : NULL;
        fo.weights = weights;
        survkit_frame *frame = NULL;
        assert_int_equal(survkit_frame_build(table, golden_string(g, "formula", 0), &fo, &frame, NULL),
                         SURVKIT_OK);
        survkit_glm_options opt;
        survkit_glm_options_init(&opt);
        opt.link = link_of(g);
        survkit_glm_result *r = NULL;
        assert_int_equal(survkit_glm_fit_frame(frame, &opt, &r, NULL), SURVKIT_OK);
        report_glm_info info = {golden_string(g, "formula", 0), "d", weights,
                                survkit_frame_n_dropped(frame), NULL};
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        report_glm_text(out, r, &info);
        fclose(out);
        size_t lines = golden_length(g, "summary_text");
        const char *line = text;
        for (size_t i = 0; i < lines; i++) {
            const char *end = strchr(line, '\n');
            assert_non_null(end);
            char got[512];
            snprintf(got, sizeof got, "%.*s", (int)(end - line), line);
            if (strcmp(got, golden_string(g, "summary_text", i)) != 0)
                fail_msg("%s line %zu: got '%s', R prints '%s'", cases[k], i + 1, got,
                         golden_string(g, "summary_text", i));
            line = end + 1;
        }
        free(text);
        survkit_glm_result_free(r);
        survkit_frame_free(frame);
        survkit_table_free(table);
        golden_free(g);
    }
}

/* A saved model read back predicts R's predict(fit, se.fit = TRUE) and fitted values on the rows it
 * was fitted to (cases whose rows are the formula's complete rows: no weights column, no clusters). */
static void test_model_roundtrip(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_CASES; k++) {
        char path[256];
        snprintf(path, sizeof path, "glm/%s.txt", cases[k]);
        golden *g = golden_load(path);
        if (golden_length(g, "cluster_column") || golden_length(g, "weights_column")) {
            golden_free(g);
            continue;
        }
        char csv[1024];
        snprintf(csv, sizeof csv, "%s/%s.csv", datasets_dir(), golden_string(g, "dataset", 0));
        survkit_table *table = NULL;
        assert_int_equal(survkit_table_read_file(csv, NULL, &table, NULL), SURVKIT_OK);
        survkit_frame_options fo;
        survkit_frame_options_init(&fo);
        fo.binary_response = 1;
        fo.groups = 0;
        survkit_frame *frame = NULL;
        assert_int_equal(survkit_frame_build(table, golden_string(g, "formula", 0), &fo, &frame, NULL),
                         SURVKIT_OK);
        survkit_glm_options opt;
        survkit_glm_options_init(&opt);
        opt.link = link_of(g);
        survkit_glm_result *r = NULL;
        assert_int_equal(survkit_glm_fit_frame(frame, &opt, &r, NULL), SURVKIT_OK);
        survkit_glm_model *m = NULL, *back = NULL;
        assert_int_equal(survkit_glm_model_create(r, frame, &m, NULL), SURVKIT_OK);
        char *text = survkit_glm_model_to_json(m);
        assert_non_null(text);
        survkit_error err;
        survkit_error_clear(&err);
        if (survkit_glm_model_from_json(text, strlen(text), "model.json", &back, &err) != SURVKIT_OK)
            fail_msg("%s: %s (line %llu)", cases[k], err.message, (unsigned long long)err.line);
        survkit_glm_prediction pr;
        if (survkit_glm_model_predict(back, table, &pr, &err) != SURVKIT_OK)
            fail_msg("%s: %s", cases[k], err.message);
        size_t n = (size_t)golden_number(g, "n");
        assert_int_equal(pr.n, n);
        double tol = strcmp(cases[k], "separated") == 0 ? REL_SEPARATED : REL;
        assert_numbers_close(pr.lp, golden_numbers(g, "lp"), n, tol, 1e-12, "predicted lp");
        assert_numbers_close(pr.prob, golden_numbers(g, "fitted"), n, tol, 0, "predicted prob");
        assert_numbers_close(pr.se_lp, golden_numbers(g, "se_fit"), n, tol, 0, "se.fit");
        survkit_glm_prediction_release(&pr);
        free(text);
        survkit_glm_model_free(m);
        survkit_glm_model_free(back);
        survkit_glm_result_free(r);
        survkit_frame_free(frame);
        survkit_table_free(table);
        golden_free(g);
    }
    /* a file that is not a glm model */
    survkit_error err;
    survkit_error_clear(&err);
    survkit_glm_model *m = NULL;
    const char *cox = "{\"format\": \"survkit-model\", \"version\": 1}";
    assert_int_equal(survkit_glm_model_from_json(cox, strlen(cox), "m.json", &m, &err), SURVKIT_ERR_PARSE);
    assert_null(m);
    assert_non_null(strstr(err.message, "not a survkit glm model"));
}

/* Bad inputs: R's messages, no result. */
static void test_errors(void **state)
{
    (void)state;
    double x[6] = {1, 1, 1, 0.5, 1.5, 2}, y[3] = {0, 2, 1}, w[3] = {1, -1, 1};
    survkit_glm_data d = {.n = 3, .p = 2, .y = y, .x = x, .intercept = true};
    survkit_glm_result *r = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_glm_fit_arrays(&d, NULL, &r, &err), SURVKIT_ERR_DOMAIN);
    assert_null(r);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.message, "y values must be 0 <= y <= 1");
    y[1] = 1;
    d.weights = w;
    assert_int_equal(survkit_glm_fit_arrays(&d, NULL, &r, &err), SURVKIT_ERR_DOMAIN);
    assert_int_equal(err.line, 2);
    w[0] = w[1] = w[2] = 0; /* no row informative: R cannot fit either */
    assert_int_equal(survkit_glm_fit_arrays(&d, NULL, &r, &err), SURVKIT_ERR_NO_DATA);
    assert_null(r);
    w[0] = w[1] = w[2] = 1;
    x[4] = NAN;
    assert_int_equal(survkit_glm_fit_arrays(&d, NULL, &r, &err), SURVKIT_ERR_DOMAIN);
    assert_int_equal(err.line, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arrays_qr),
        cmocka_unit_test(test_arrays_cholesky),
        cmocka_unit_test(test_threaded),
        cmocka_unit_test(test_frame),
        cmocka_unit_test(test_predict),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_model_roundtrip),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
