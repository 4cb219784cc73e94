/*
 * test_cox_golden.c: survkit_cox_fit_arrays against R's coxph, case by case.
 *
 * Every case in tests/golden/cox/ was written by tests/golden/make_golden_cox.R (the coxph call is
 * the first line of each file) and carries the model's inputs as R built them (model matrix,
 * status 0/1, strata and cluster codes) with coxph's results: coefficients, variance (robust and
 * naive), log-likelihoods, score/Wald/robust score tests, iterations, means, linear predictor,
 * the summary table, warnings and concordance. Compared at 1e-9 relative; iterations and warning
 * texts exactly.
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

#include <limits.h>

#include "golden.h"
#include "report_cox.h"
#include "survkit/survkit.h"

#define REL 1e-9
/* Absolute floor for entries that are zero in exact arithmetic (off-diagonals of aliased rows). */
#define ABS 1e-14

typedef struct fitted {
    golden *g;
    survkit_cox_result *r;
    int32_t *strata, *cluster;
    const char **names;
} fitted;

static void fit_case(const char *name, fitted *f)
{
    char path[256];
    snprintf(path, sizeof path, "cox/%s.txt", name);
    golden *g = golden_load(path);
    f->g = g;
    size_t n = (size_t)golden_number(g, "n"), p = (size_t)golden_number(g, "p");
    f->strata = golden_int32(g, "strata");
    f->cluster = golden_int32(g, "cluster");
    f->names = calloc(p + 1, sizeof *f->names);
    for (size_t j = 0; j < p; j++) f->names[j] = golden_string(g, "names", j);
    survkit_cox_data d = {
        .n = n, .p = p,
        .start = golden_optional(g, "start"),
        .time = golden_numbers(g, "time"),
        .status = golden_numbers(g, "status"),
        .x = golden_numbers(g, "x"),
        .names = f->names,
        .weights = golden_optional(g, "weights"),
        .offset = golden_optional(g, "offset"),
        .strata = f->strata,
        .n_strata = (size_t)golden_number(g, "n_strata"),
        .cluster = f->cluster,
        .n_clusters = (size_t)golden_number(g, "n_clusters"),
    };
    survkit_cox_options opt;
    survkit_cox_options_init(&opt);
    const char *ties = golden_string(g, "ties", 0);
    opt.ties = strcmp(ties, "breslow") == 0 ? SURVKIT_COX_BRESLOW
               : strcmp(ties, "exact") == 0 ? SURVKIT_COX_EXACT : SURVKIT_COX_EFRON;
    opt.iter_max = (int)golden_number(g, "iter_max");
    opt.init = golden_optional(g, "init");
    opt.n_init = golden_length(g, "init");
    const char *robust = golden_string(g, "robust", 0);
    opt.robust = strcmp(robust, "on") == 0 ? SURVKIT_COX_ROBUST_ON : SURVKIT_COX_ROBUST_AUTO;
    survkit_error err;
    survkit_error_clear(&err);
    survkit_status st = survkit_cox_fit_arrays(&d, &opt, &f->r, &err);
    if (st != SURVKIT_OK) fail_msg("%s: fit failed: %s", name, err.message);
}

static void fitted_free(fitted *f)
{
    survkit_cox_result_free(f->r);
    golden_free(f->g);
    free(f->strata), free(f->cluster), free(f->names);
}

static void check_warnings(const fitted *f, const char *name)
{
    size_t nw = golden_length(f->g, "warnings");
    if (survkit_cox_result_n_warnings(f->r) != nw)
        fail_msg("%s: %zu warnings, R gave %zu", name, survkit_cox_result_n_warnings(f->r), nw);
    for (size_t k = 0; k < nw; k++)
        assert_string_equal(survkit_cox_result_warning(f->r, k), golden_string(f->g, "warnings", k));
}

/* Compare everything. `rel` loosens the numbers for the cases whose comment says why. */
static void check_case(const char *name, double rel)
{
    fitted f = {0};
    fit_case(name, &f);
    const golden *g = f.g;
    const survkit_cox_result *r = f.r;
    size_t p = survkit_cox_result_p(r), n = survkit_cox_result_n(r);
    char what[128];
#define CMP(actual, key, len)                                                             \
    do {                                                                                  \
        snprintf(what, sizeof what, "%s: %s", name, key);                                 \
        assert_int_equal(golden_length(g, key), (len));                                   \
        assert_numbers_close((actual), golden_numbers(g, key), (len), rel, ABS, what);    \
    } while (0)

    assert_int_equal(survkit_cox_result_iterations(r), (int)golden_number(g, "iter"));
    check_warnings(&f, name);
    CMP(survkit_cox_result_coef(r), "coef", p);
    CMP(survkit_cox_result_vcov(r), "var", p * p);
    if (golden_length(g, "naive_var")) {
        assert_non_null(survkit_cox_result_naive_vcov(r));
        CMP(survkit_cox_result_naive_vcov(r), "naive_var", p * p);
    } else {
        assert_null(survkit_cox_result_naive_vcov(r));
    }
    double ll[2] = {survkit_cox_result_loglik_null(r), survkit_cox_result_loglik(r)};
    CMP(ll, "loglik", 2);
    double stat, df, pv;
    assert_true(survkit_cox_result_test(r, SURVKIT_COX_TEST_SCORE, &stat, &df, &pv));
    CMP(&stat, "score", 1);
    assert_true(survkit_cox_result_test(r, SURVKIT_COX_TEST_WALD, &stat, &df, &pv));
    CMP(&stat, "wald", 1);
    CMP(&pv, "waldtest_p", 1);
    if (golden_length(g, "rscore")) {
        assert_true(survkit_cox_result_test(r, SURVKIT_COX_TEST_ROBUST_SCORE, &stat, &df, &pv));
        CMP(&stat, "rscore", 1);
    } else {
        assert_false(survkit_cox_result_test(r, SURVKIT_COX_TEST_ROBUST_SCORE, &stat, &df, &pv));
    }
    assert_true(survkit_cox_result_test(r, SURVKIT_COX_TEST_LR, &stat, &df, &pv));
    double lr[3] = {stat, df, pv};
    CMP(lr, "logtest", 3);
    assert_true(survkit_cox_result_test(r, SURVKIT_COX_TEST_SCORE, &stat, &df, &pv));
    double sc[3] = {stat, df, pv};
    CMP(sc, "sctest", 3);
    CMP(survkit_cox_result_means(r), "means", p);
    CMP(survkit_cox_result_linear_predictor(r), "lp", n);
    double aic = survkit_cox_result_aic(r), nev = survkit_cox_result_n_events(r);
    CMP(&aic, "aic", 1);
    CMP(&nev, "nevent", 1);

    /* summary(fit)$coefficients: coef, exp(coef), se(coef), [robust se], z, Pr(>|z|) */
    const double *cols[6];
    size_t nc = 0;
    cols[nc++] = survkit_cox_result_coef(r);
    cols[nc++] = survkit_cox_result_exp_coef(r);
    cols[nc++] = survkit_cox_result_se(r);
    if (survkit_cox_result_robust_se(r)) cols[nc++] = survkit_cox_result_robust_se(r);
    cols[nc++] = survkit_cox_result_z(r);
    cols[nc++] = survkit_cox_result_pvalue(r);
    double *table = malloc(nc * p * sizeof *table);
    for (size_t c = 0; c < nc; c++) memcpy(table + c * p, cols[c], p * sizeof *table);
    CMP(table, "summary_coef", nc * p);
    free(table);
    /* summary(fit)$conf.int: exp(coef), exp(-coef), lower, upper */
    double *ci = malloc(4 * p * sizeof *ci);
    for (size_t j = 0; j < p; j++) {
        ci[j] = survkit_cox_result_exp_coef(r)[j];
        ci[p + j] = 1 / ci[j];
        ci[2 * p + j] = survkit_cox_result_lower(r)[j];
        ci[3 * p + j] = survkit_cox_result_upper(r)[j];
    }
    CMP(ci, "conf_int", 4 * p);
    free(ci);
    for (size_t j = 0; j < p; j++)
        assert_string_equal(survkit_cox_result_name(r, j), golden_string(g, "names", j));

    double conc[2] = {survkit_cox_result_concordance(r), survkit_cox_result_concordance_se(r)};
    CMP(conc, "concordance", 2);
#undef CMP
    fitted_free(&f);
}

static void test_case(void **state) { check_case((const char *)*state, REL); }

/*
 * Monotone likelihoods. The coefficient that runs away stops wherever the loglik criterion stops
 * it; the score there is a difference of nearly equal sums (order exp(-22) of their size), so the
 * last Newton steps, and with them the coefficient and its variance, carry round-off far above
 * 1e-9 in any two correct programs. Compared at 1e-6; iterations and warnings exactly.
 */
static void test_monotone(void **state) { check_case((const char *)*state, 1e-6); }

/*
 * x = -time: the likelihood is monotone and R runs out of iterations (21, and the warning). With
 * beta near 100 the path goes through step halvings decided by differences of log-likelihoods at
 * round-off level (R's own path changes from iter.max = 18 to 20), so only what the rules decide
 * is compared: the iteration count, non-convergence, the warning, and loglik at init.
 */
static void test_monotone_noconv(void **state)
{
    (void)state;
    fitted f = {0};
    fit_case("monotone_noconv", &f);
    assert_int_equal(survkit_cox_result_iterations(f.r), (int)golden_number(f.g, "iter"));
    assert_false(survkit_cox_result_converged(f.r));
    check_warnings(&f, "monotone_noconv");
    assert_number_close(survkit_cox_result_loglik_null(f.r), golden_numbers(f.g, "loglik")[0],
                        1e-9, 0, "loglik at init");
    fitted_free(&f);
}

/*
 * The text report against R's print(summary(fit)), line by line from the "n=" line on (the Call
 * line names the R data frame).
 */
static void test_summary_text(void **state)
{
    const char *name = *state;
    fitted f = {0};
    fit_case(name, &f);
    char *text = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&text, &size);
    report_cox_info info = {"coxph()", 0, NULL};
    report_cox_text(mem, f.r, &info);
    fclose(mem);
    size_t nl = golden_length(f.g, "summary_text"), k = 0;
    while (k < nl && strncmp(golden_string(f.g, "summary_text", k), "  n=", 4) != 0) k++;
    char *line = strstr(text, "  n=");
    assert_non_null(line);
    for (; k < nl; k++) {
        const char *expected = golden_string(f.g, "summary_text", k);
        char *end = strchr(line, '\n');
        if (end == NULL) fail_msg("%s: text ends before R's line '%s'", name, expected);
        *end = '\0';
        if (strncmp(expected, "   (", 4) == 0) { /* rows R dropped: not in the array input */
            continue;
        }
        if (strcmp(line, expected) != 0)
            fail_msg("%s: line %zu\n  survkit: '%s'\n  R:       '%s'", name, k, line, expected);
        line = end + 1;
    }
    free(text);
    fitted_free(&f);
}

/* Inputs R refuses are refused with the matching status, and nothing is returned. */
static void test_rejected_inputs(void **state)
{
    (void)state;
    const double time[] = {1, 2, 3, 4}, status[] = {1, 0, 1, 1}, x[] = {0.5, 1, 2, 0};
    const double weights[] = {1, 2, 1, 1}, bad_status[] = {1, 2, 1, 0}, init[] = {0, 0};
    survkit_cox_data d = {.n = 4, .p = 1, .time = time, .status = status, .x = x};
    survkit_cox_options opt;
    survkit_cox_result *r = (survkit_cox_result *)&d; /* must be reset to NULL */
    survkit_error err;

    survkit_cox_options_init(&opt);
    opt.ties = SURVKIT_COX_EXACT;
    d.weights = weights;
    assert_int_equal(survkit_cox_fit_arrays(&d, &opt, &r, &err), SURVKIT_ERR_ARGUMENT);
    assert_null(r);
    assert_non_null(strstr(err.message, "Case weights are not supported"));

    survkit_cox_options_init(&opt);
    d.weights = NULL;
    opt.init = init;
    opt.n_init = 2;
    assert_int_equal(survkit_cox_fit_arrays(&d, &opt, &r, &err), SURVKIT_ERR_ARGUMENT);

    survkit_cox_options_init(&opt);
    d.status = bad_status;
    assert_int_equal(survkit_cox_fit_arrays(&d, &opt, &r, &err), SURVKIT_ERR_DOMAIN);

    /* More rows than a BLAS dimension can hold: refused before any array is read. */
    d.status = status;
    d.n = (size_t)INT_MAX + 1;
    assert_int_equal(survkit_cox_fit_arrays(&d, &opt, &r, &err), SURVKIT_ERR_ARGUMENT);
    assert_null(r);
    assert_non_null(strstr(err.message, "2^31-1 rows"));
    d.n = 4;
    survkit_cox_result_free(NULL);
}

/* A frame built for km (groups on) keeps a one-level factor as a term without columns; the Cox fit
 * must refuse it as R's model.matrix does, not fit a model without the term. */
static void test_one_level_factor_frame_refused(void **state)
{
    (void)state;
    const double time[] = {1, 2, 3, 4}, status[] = {1, 0, 1, 1}, age[] = {50, 60, 55, 70};
    const char *const site[] = {"A", "A", "A", "A"};
    survkit_table *t = NULL;
    survkit_frame *f = NULL;
    survkit_cox_result *r = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_table_create(4, &t, &err), SURVKIT_OK);
    survkit_table_add_numeric(t, "time", time, &err);
    survkit_table_add_numeric(t, "status", status, &err);
    survkit_table_add_numeric(t, "age", age, &err);
    survkit_table_add_string(t, "site", site, &err);
    assert_int_equal(survkit_frame_build(t, "Surv(time, status) ~ age + site", NULL, &f, &err),
                     SURVKIT_OK);
    assert_int_equal(survkit_cox_fit_frame(f, NULL, &r, &err), SURVKIT_ERR_DOMAIN);
    assert_null(r);
    assert_non_null(strstr(err.message, "term 'site'"));
    survkit_frame_free(f);
    survkit_table_free(t);
}

#define CASE(name) cmocka_unit_test_prestate(test_case, (void *)name)
#define TEXT(name) cmocka_unit_test_prestate(test_summary_text, (void *)name)

int main(void)
{
    const struct CMUnitTest tests[] = {
        CASE("lung_efron"),          CASE("lung_breslow"),       CASE("lung_exact"),
        CASE("ties_efron"),          CASE("ties_breslow"),       CASE("ties_exact"),
        CASE("veteran_interaction"), CASE("heart_cluster"),      CASE("heart_breslow"),
        CASE("heart_noconv"),        CASE("bladder2_cluster"),   CASE("bladder2_strata"),
        CASE("rats_cluster"),        CASE("rats_robust"),        CASE("rats_cluster_init"),
        CASE("pbc_strata_weights"),  CASE("pbc_frac_weights"),   CASE("ovarian_offset"),
        CASE("strata_single_none"),  CASE("collinear"),          CASE("lung_init"),
        cmocka_unit_test_prestate(test_monotone, (void *)"monotone"),
        cmocka_unit_test_prestate(test_monotone, (void *)"monotone_breslow_counting"),
        cmocka_unit_test_prestate(test_monotone, (void *)"monotone_exact"),
        CASE("lung_iter2"),          CASE("lung_iter1"),         CASE("lung_iter0_init"),
        CASE("lung_exact_iter2"),
        CASE("spread_lung"),         CASE("spread_lung_breslow_robust"),
        CASE("spread_heart_counting"),
        cmocka_unit_test(test_monotone_noconv),
        cmocka_unit_test(test_rejected_inputs),
        cmocka_unit_test(test_one_level_factor_frame_refused),
        TEXT("lung_efron"), TEXT("rats_cluster"), TEXT("collinear"), TEXT("heart_cluster"),
        TEXT("pbc_frac_weights"), TEXT("veteran_interaction"), TEXT("ties_exact"),
        TEXT("ovarian_offset"), TEXT("bladder2_strata"),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
