/*
 * test_frame.c: model frames built from the committed datasets equal R's (model.frame + na.omit,
 * coxph's model.matrix, strata, cluster, offset, weights, survfit group labels), as written by
 * tests/golden/make_golden_formula.R; and data errors name the row and column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <math.h>
#include <survkit/survkit.h>

#include "golden.h"

/* Exact for copies; 1e-12 relative for transformed values (log, /, ^ may differ in the last bit). */
#define EXACT 0.0
#define TRANSFORM_REL 1e-12

/* The committed dataset `name` read with the library's own CSV reader. */
static survkit_table *read_dataset(const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.csv", datasets_dir(), name);
    survkit_table *table = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_table_read_file(path, NULL, &table, &err) != SURVKIT_OK)
        fail_msg("cannot read %s: %s", path, err.message);
    return table;
}

static void assert_codes(const int32_t *actual, const golden *g, const char *key, size_t n)
{
    assert_non_null(actual);
    assert_int_equal(golden_length(g, key), n);
    const double *expected = golden_numbers(g, key);
    for (size_t i = 0; i < n; i++) {
        if ((double)actual[i] != expected[i])
            fail_msg("%s[%zu]: %d, R says %g", key, i, actual[i], expected[i]);
    }
}

static void check_case(const char *name)
{
    char file[256];
    snprintf(file, sizeof file, "formula/%s.txt", name);
    golden *g = golden_load(file);
    survkit_table *table = read_dataset(golden_string(g, "dataset", 0));
    assert_non_null(table);
    survkit_frame_options opt;
    survkit_frame_options_init(&opt);
    const char *weights = golden_length(g, "weights") > 0 ? golden_string(g, "weights", 0) : "";
    if (weights[0]) opt.weights = weights;
    survkit_error err;
    survkit_error_clear(&err);
    survkit_frame *f = NULL;
    const char *formula = golden_string(g, "formula", 0);
    if (survkit_frame_build(table, formula, &opt, &f, &err) != SURVKIT_OK)
        fail_msg("%s: %s (line %llu column %llu)", formula, err.message,
                 (unsigned long long)err.line, (unsigned long long)err.column);

    size_t n = survkit_frame_n(f);
    assert_int_equal(n, (size_t)golden_number(g, "n"));
    assert_int_equal(survkit_frame_n_dropped(f), (size_t)golden_number(g, "n_dropped"));
    const double *rows = golden_numbers(g, "row_index");
    for (size_t i = 0; i < n; i++) assert_int_equal(survkit_frame_row_index(f)[i] + 1, (size_t)rows[i]);

    bool counting = strcmp(golden_string(g, "kind", 0), "counting") == 0;
    assert_int_equal(survkit_frame_response_kind(f),
                     counting ? SURVKIT_RESPONSE_COUNTING : SURVKIT_RESPONSE_RIGHT);
    if (counting) assert_numbers_close(survkit_frame_start(f), golden_numbers(g, "start"), n, EXACT, 0, "start");
    else assert_null(survkit_frame_start(f));
    assert_numbers_close(survkit_frame_time(f), golden_numbers(g, "time"), n, EXACT, 0, "time");
    assert_numbers_close(survkit_frame_status(f), golden_numbers(g, "status"), n, EXACT, 0, "status");

    size_t p = survkit_frame_p(f);
    assert_int_equal(p, golden_length(g, "colnames"));
    for (size_t j = 0; j < p; j++) {
        assert_string_equal(survkit_frame_column_name(f, j), golden_string(g, "colnames", j));
        assert_int_equal(survkit_frame_column_term(f, j), (size_t)golden_numbers(g, "column_term")[j]);
    }
    if (p > 0) assert_numbers_close(survkit_frame_x(f), golden_numbers(g, "X"), n * p, TRANSFORM_REL, 0, "X");
    assert_int_equal(survkit_frame_n_terms(f), golden_length(g, "term_labels"));
    for (size_t k = 0; k < survkit_frame_n_terms(f); k++)
        assert_string_equal(survkit_frame_term_label(f, k), golden_string(g, "term_labels", k));

    if (golden_length(g, "weights_values") > 0)
        assert_numbers_close(survkit_frame_weights(f), golden_numbers(g, "weights_values"), n, EXACT, 0, "weights");
    else
        assert_null(survkit_frame_weights(f));
    if (golden_length(g, "offset") > 0)
        assert_numbers_close(survkit_frame_offset(f), golden_numbers(g, "offset"), n, TRANSFORM_REL, 0, "offset");
    else
        assert_null(survkit_frame_offset(f));

    if (golden_has(g, "strata")) {
        assert_int_equal(survkit_frame_n_strata(f), golden_length(g, "strata_labels"));
        for (size_t k = 0; k < survkit_frame_n_strata(f); k++)
            assert_string_equal(survkit_frame_strata_label(f, k), golden_string(g, "strata_labels", k));
        assert_codes(survkit_frame_strata(f), g, "strata", n);
    } else {
        assert_null(survkit_frame_strata(f));
        assert_int_equal(survkit_frame_n_strata(f), 0);
    }
    if (golden_has(g, "cluster")) assert_codes(survkit_frame_cluster(f), g, "cluster", n);
    else assert_null(survkit_frame_cluster(f));
    if (golden_has(g, "groups")) {
        assert_int_equal(survkit_frame_n_groups(f), golden_length(g, "group_labels"));
        for (size_t k = 0; k < survkit_frame_n_groups(f); k++)
            assert_string_equal(survkit_frame_group_label(f, k), golden_string(g, "group_labels", k));
        assert_codes(survkit_frame_groups(f), g, "groups", n);
    }
    survkit_frame_free(f);
    survkit_table_free(table);
    golden_free(g);
}

#define GOLDEN_CASE(name) \
    static void test_##name(void **state) { (void)state; check_case(#name); }
GOLDEN_CASE(lung_basic)
GOLDEN_CASE(lung_weighted)
GOLDEN_CASE(lung_groups)
GOLDEN_CASE(veteran_star)
GOLDEN_CASE(veteran_colon)
GOLDEN_CASE(veteran_groups)
GOLDEN_CASE(pbc_transforms)
GOLDEN_CASE(pbc_margin)
GOLDEN_CASE(pbc_logical)
GOLDEN_CASE(pbc_strata2)
GOLDEN_CASE(heart_counting)
GOLDEN_CASE(colon_factors)
GOLDEN_CASE(kidney_factor_by_factor)
GOLDEN_CASE(kidney_interaction_only)
GOLDEN_CASE(aml_string)
GOLDEN_CASE(ovarian_offsets)
GOLDEN_CASE(rats_km_numeric)

/* ---------------------------------------------------------------- errors on small tables */

/* time, status, x (numeric), g (string), w (weights), start */
static survkit_table *small_table(const double *status, const double *start, const double *w)
{
    static const double time[] = {5, 8, 3, 9, 4, 7};
    static const double x[] = {1, 2, 0, 4, 5, 6};
    static const char *const g[] = {"b", "a", "b", "a", "c", "a"};
    survkit_table *t = NULL;
    assert_int_equal(survkit_table_create(6, &t, NULL), SURVKIT_OK);
    survkit_table_add_numeric(t, "time", time, NULL);
    survkit_table_add_numeric(t, "status", status, NULL);
    survkit_table_add_numeric(t, "x", x, NULL);
    survkit_table_add_string(t, "g", g, NULL);
    survkit_table_add_numeric(t, "w", w, NULL);
    survkit_table_add_numeric(t, "start", start, NULL);
    return t;
}

static const double ok_status[] = {1, 0, 1, 1, 0, 1};
static const double ok_start[] = {0, 0, 0, 0, 0, 0};
static const double ok_w[] = {1, 2, 1, 0, 1, 1};

/* Build a frame and free it; `groups` as survkit_frame_options (0: a Cox frame, X checked). */
static survkit_status build_with(survkit_table *t, const char *formula, const char *weights,
                                 int groups, survkit_error *err)
{
    survkit_frame_options opt;
    survkit_frame_options_init(&opt);
    opt.weights = weights;
    opt.groups = groups;
    survkit_frame *f = NULL;
    survkit_error_clear(err);
    survkit_status status = survkit_frame_build(t, formula, &opt, &f, err);
    if (status == SURVKIT_OK) assert_non_null(f);
    else assert_null(f);
    survkit_frame_free(f);
    return status;
}

/* A km/logrank frame (with groups). */
static survkit_status build_small(survkit_table *t, const char *formula, const char *weights,
                                  survkit_error *err)
{
    return build_with(t, formula, weights, 1, err);
}

static void test_unknown_variable_position(void **state)
{
    (void)state;
    survkit_table *t = small_table(ok_status, ok_start, ok_w);
    survkit_error err;
    assert_int_equal(build_small(t, "Surv(time, status) ~ x + log(age)", NULL, &err), SURVKIT_ERR_NOT_FOUND);
    assert_int_equal(err.column, 30); /* 'age' */
    assert_non_null(strstr(err.message, "'age'"));
    assert_int_equal(build_small(t, "Surv(time, dead) ~ x", NULL, &err), SURVKIT_ERR_NOT_FOUND);
    assert_int_equal(err.column, 12);
    assert_int_equal(build_small(t, "Surv(time, status) ~ x", "wt", &err), SURVKIT_ERR_NOT_FOUND);
    survkit_table_free(t);
}

static void test_type_errors(void **state)
{
    (void)state;
    survkit_table *t = small_table(ok_status, ok_start, ok_w);
    survkit_error err;
    assert_int_equal(build_small(t, "Surv(time, status) ~ log(g)", NULL, &err), SURVKIT_ERR_TYPE);
    assert_non_null(strstr(err.message, "log()"));
    assert_int_equal(build_small(t, "Surv(g, status) ~ x", NULL, &err), SURVKIT_ERR_TYPE);
    assert_int_equal(build_small(t, "Surv(time, g) ~ x", NULL, &err), SURVKIT_ERR_TYPE);
    assert_int_equal(build_small(t, "Surv(time, status) ~ x", "g", &err), SURVKIT_ERR_TYPE);
    /* a factor with one level cannot take contrasts (R's coxph: "contrasts can be applied only to
     * ..."), but survfit(Surv(time, status) ~ factor(x * 0)) is one curve: no error with groups */
    assert_int_equal(build_with(t, "Surv(time, status) ~ factor(x * 0)", NULL, 0, &err), SURVKIT_ERR_DOMAIN);
    assert_non_null(strstr(err.message, "contrasts"));
    assert_int_equal(build_small(t, "Surv(time, status) ~ factor(x * 0)", NULL, &err), SURVKIT_OK);
    /* a logical that is never TRUE still has levels FALSE and TRUE: a column of zeros, as in R */
    survkit_frame *f = NULL;
    assert_int_equal(survkit_frame_build(t, "Surv(time, status) ~ I(g == \"zz\")", NULL, &f, &err), SURVKIT_OK);
    assert_string_equal(survkit_frame_column_name(f, 0), "I(g == \"zz\")TRUE");
    survkit_frame_free(f);
    survkit_table_free(t);
}

static void test_status_codings(void **state)
{
    (void)state;
    survkit_error err;
    const double twos[] = {2, 1, 2, 2, 1, NAN};
    survkit_table *t = small_table(twos, ok_start, ok_w);
    survkit_frame *f = NULL;
    assert_int_equal(survkit_frame_build(t, "Surv(time, status) ~ x", NULL, &f, &err), SURVKIT_OK);
    const double expected[] = {1, 0, 1, 1, 0};
    assert_int_equal(survkit_frame_n(f), 5);
    assert_int_equal(survkit_frame_n_dropped(f), 1);
    assert_numbers_close(survkit_frame_status(f), expected, 5, 0, 0, "status 1/2");
    survkit_frame_free(f);
    survkit_table_free(t);

    const double three[] = {0, 1, 0, 1, 2, 1};  /* 0/1/2 mixes the codings: row 1 + 5 = 6 */
    t = small_table(three, ok_start, ok_w);
    assert_int_equal(build_small(t, "Surv(time, status) ~ x", NULL, &err), SURVKIT_ERR_DOMAIN);
    assert_int_equal(err.line, 6);
    assert_int_equal(err.column, 2);
    /* a comparison makes any coding usable */
    assert_int_equal(build_small(t, "Surv(time, status == 2) ~ x", NULL, &err), SURVKIT_OK);
    survkit_table_free(t);

    const double bad[] = {0, 1, 0, 5, 1, 1};
    t = small_table(bad, ok_start, ok_w);
    assert_int_equal(build_small(t, "Surv(time, status) ~ x", NULL, &err), SURVKIT_ERR_DOMAIN);
    assert_int_equal(err.line, 5);
    survkit_table_free(t);
}

static void test_logical_status_from_strings(void **state)
{
    (void)state;
    static const double time[] = {1, 2, 3};
    static const char *const dead[] = {"TRUE", "F", "T"};
    survkit_table *t = NULL;
    survkit_table_create(3, &t, NULL);
    survkit_table_add_numeric(t, "time", time, NULL);
    survkit_table_add_string(t, "dead", dead, NULL);
    survkit_frame *f = NULL;
    survkit_error err;
    assert_int_equal(survkit_frame_build(t, "Surv(time, dead) ~ dead", NULL, &f, &err), SURVKIT_OK);
    const double status[] = {1, 0, 1};
    assert_numbers_close(survkit_frame_status(f), status, 3, 0, 0, "logical status");
    assert_string_equal(survkit_frame_column_name(f, 0), "deadTRUE");
    assert_string_equal(survkit_frame_group_label(f, 0), "dead=FALSE");
    survkit_frame_free(f);
    survkit_table_free(t);
}

static void test_counting_and_weights_errors(void **state)
{
    (void)state;
    survkit_error err;
    const double start[] = {0, 0, 3, 0, 0, 0}; /* row 3: start 3 >= stop 3 */
    survkit_table *t = small_table(ok_status, start, ok_w);
    assert_int_equal(build_small(t, "Surv(start, time, status) ~ x", NULL, &err), SURVKIT_ERR_DOMAIN);
    assert_int_equal(err.line, 4);
    assert_non_null(strstr(err.message, "Stop time must be > start time"));
    survkit_table_free(t);

    const double w[] = {1, 1, 1, 1, -0.5, 1};
    t = small_table(ok_status, ok_start, w);
    assert_int_equal(build_small(t, "Surv(time, status) ~ x", "w", &err), SURVKIT_ERR_DOMAIN);
    assert_int_equal(err.line, 6);
    assert_int_equal(err.column, 5);
    survkit_table_free(t);
}

static void test_missing_and_non_finite(void **state)
{
    (void)state;
    survkit_error err;
    survkit_table *t = small_table(ok_status, ok_start, ok_w);
    /* log(0) = -Inf is kept by na.omit but coxph refuses it; log(x - 1) is NaN (dropped) for x = 0 */
    assert_int_equal(build_with(t, "Surv(time, status) ~ log(x)", NULL, 0, &err), SURVKIT_ERR_DOMAIN);
    assert_int_equal(err.line, 4);
    /* survfit(Surv(time, status) ~ log(x)) has a group "log(x)=-Inf" */
    survkit_frame *f = NULL;
    assert_int_equal(survkit_frame_build(t, "Surv(time, status) ~ log(x)", NULL, &f, &err), SURVKIT_OK);
    assert_int_equal(survkit_frame_n_groups(f), 6);
    assert_string_equal(survkit_frame_group_label(f, 0), "log(x)=-Inf");
    survkit_frame_free(f);
    assert_int_equal(survkit_frame_build(t, "Surv(time, status) ~ sqrt(x - 1)", NULL, &f, &err), SURVKIT_OK);
    assert_int_equal(survkit_frame_n(f), 5);
    assert_int_equal(survkit_frame_n_dropped(f), 1);
    survkit_frame_free(f);
    assert_int_equal(build_small(t, "Surv(time, status) ~ log(x - 10)", NULL, &err), SURVKIT_ERR_NO_DATA);
    survkit_table_free(t);
}

static void test_no_covariates(void **state)
{
    (void)state;
    survkit_table *t = small_table(ok_status, ok_start, ok_w);
    survkit_frame *f = NULL;
    survkit_error err;
    assert_int_equal(survkit_frame_build(t, "Surv(time, status) ~ 1", NULL, &f, &err), SURVKIT_OK);
    assert_int_equal(survkit_frame_p(f), 0);
    assert_int_equal(survkit_frame_n_groups(f), 1);
    assert_string_equal(survkit_frame_group_label(f, 0), "all");
    survkit_frame_free(f);
    assert_int_equal(survkit_frame_build(t, "Surv(time, status) ~ g + x - 1 + 0", NULL, &f, &err), SURVKIT_OK);
    assert_int_equal(survkit_frame_p(f), 3); /* gb gc x: treatment contrasts despite - 1 */
    assert_string_equal(survkit_frame_column_name(f, 0), "gb");
    survkit_frame_free(f);
    survkit_table_free(t);
}

/* Every prefix of a valid formula, and some hostile inputs, fail cleanly (run under ASan too). */
static void test_prefixes_never_crash(void **state)
{
    (void)state;
    survkit_table *t = small_table(ok_status, ok_start, ok_w);
    const char *full = "Surv(start, time, status == 1) ~ x*g + I((x - 1)^2/3) + log(x + 1):g + "
                       "strata(g, x) + cluster(g) + offset(x) + factor(x) - 1";
    char text[256];
    survkit_error err;
    for (size_t len = 0; len <= strlen(full); len++) {
        memcpy(text, full, len);
        text[len] = '\0';
        survkit_status status = build_small(t, text, NULL, &err);
        if (status != SURVKIT_OK) assert_true(err.message[0] != '\0');
    }
    assert_int_equal(build_small(t, full, "w", &err), SURVKIT_OK);
    static char deep[30000];
    memset(deep, '(', sizeof deep - 1);
    assert_int_equal(build_small(t, deep, NULL, &err), SURVKIT_ERR_FORMULA);
    memset(deep, '-', sizeof deep - 1);
    assert_int_equal(build_small(t, deep, NULL, &err), SURVKIT_ERR_FORMULA);
    survkit_table_free(t);
}

/* survkit_table_add_numeric_view: the caller's array is read in place (the getter returns the same
 * pointer), NaNs are counted as missing, a frame over it equals one over copied columns, and freeing
 * the table leaves the caller's (here stack) arrays alone, which ASan would report otherwise. */
static void test_numeric_view(void **state)
{
    (void)state;
    double time[6] = {5, 3, NAN, 8, 2, 9}, status[6] = {1, 0, 1, 1, 1, 0}, x[6] = {0.5, 1, 2, NAN, 3, 4};
    survkit_error err;
    survkit_table *views = NULL, *copies = NULL;
    assert_int_equal(survkit_table_create(6, &views, &err), SURVKIT_OK);
    assert_int_equal(survkit_table_create(6, &copies, &err), SURVKIT_OK);
    const char *names[3] = {"time", "status", "x"};
    const double *cols[3] = {time, status, x};
    for (int j = 0; j < 3; j++) {
        assert_int_equal(survkit_table_add_numeric_view(views, names[j], cols[j], &err), SURVKIT_OK);
        assert_int_equal(survkit_table_add_numeric(copies, names[j], cols[j], &err), SURVKIT_OK);
    }
    assert_ptr_equal(survkit_table_numeric(views, 0), time);
    assert_ptr_not_equal(survkit_table_numeric(copies, 0), time);
    assert_int_equal(survkit_table_n_missing(views, 0), 1);
    assert_int_equal(survkit_table_n_missing(views, 2), 1);
    survkit_frame *fv = NULL, *fc = NULL;
    assert_int_equal(survkit_frame_build(views, "Surv(time, status) ~ x", NULL, &fv, &err), SURVKIT_OK);
    assert_int_equal(survkit_frame_build(copies, "Surv(time, status) ~ x", NULL, &fc, &err), SURVKIT_OK);
    assert_int_equal(survkit_frame_n(fv), 4);
    assert_int_equal(survkit_frame_n(fv), survkit_frame_n(fc));
    assert_memory_equal(survkit_frame_x(fv), survkit_frame_x(fc), 4 * sizeof(double));
    assert_memory_equal(survkit_frame_time(fv), survkit_frame_time(fc), 4 * sizeof(double));
    survkit_frame_free(fv);
    survkit_frame_free(fc);
    survkit_table_free(views);
    survkit_table_free(copies);
    assert_true(time[0] == 5 && x[5] == 4); /* untouched */
    assert_int_equal(survkit_table_add_numeric_view(NULL, "x", x, &err), SURVKIT_ERR_ARGUMENT);
}

/* survkit_table_add_factor: the levels keep their order (the first is the reference: here "b"),
 * an unused level is kept (an aliased, all-zero column, as coxph's NA), -1 is missing, and a code
 * that is not a level is SURVKIT_ERR_DOMAIN. */
static void test_add_factor(void **state)
{
    (void)state;
    double time[6] = {5, 3, 4, 8, 2, 9}, status[6] = {1, 0, 1, 1, 1, 0};
    int32_t codes[6] = {0, 1, 0, -1, 1, 0}, bad[6] = {0, 1, 3, 0, 0, 0};
    const char *levels[3] = {"b", "a", "unused"};
    survkit_error err;
    survkit_table *t = NULL;
    assert_int_equal(survkit_table_create(6, &t, &err), SURVKIT_OK);
    assert_int_equal(survkit_table_add_numeric(t, "time", time, &err), SURVKIT_OK);
    assert_int_equal(survkit_table_add_numeric(t, "status", status, &err), SURVKIT_OK);
    assert_int_equal(survkit_table_add_factor(t, "g", codes, levels, 3, &err), SURVKIT_OK);
    assert_int_equal(survkit_table_add_factor(t, "h", bad, levels, 3, &err), SURVKIT_ERR_DOMAIN);
    assert_true(survkit_table_is_factor(t, 2));
    assert_int_equal(survkit_table_n_missing(t, 2), 1);
    survkit_frame *f = NULL;
    assert_int_equal(survkit_frame_build(t, "Surv(time, status) ~ g", NULL, &f, &err), SURVKIT_OK);
    assert_int_equal(survkit_frame_n(f), 5);
    assert_int_equal(survkit_frame_p(f), 2);
    assert_string_equal(survkit_frame_column_name(f, 0), "ga");
    assert_string_equal(survkit_frame_column_name(f, 1), "gunused");
    survkit_frame_free(f);
    survkit_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_factor),
        cmocka_unit_test(test_numeric_view),
        cmocka_unit_test(test_lung_basic),
        cmocka_unit_test(test_lung_weighted),
        cmocka_unit_test(test_lung_groups),
        cmocka_unit_test(test_veteran_star),
        cmocka_unit_test(test_veteran_colon),
        cmocka_unit_test(test_veteran_groups),
        cmocka_unit_test(test_pbc_transforms),
        cmocka_unit_test(test_pbc_margin),
        cmocka_unit_test(test_pbc_logical),
        cmocka_unit_test(test_pbc_strata2),
        cmocka_unit_test(test_heart_counting),
        cmocka_unit_test(test_colon_factors),
        cmocka_unit_test(test_kidney_factor_by_factor),
        cmocka_unit_test(test_kidney_interaction_only),
        cmocka_unit_test(test_aml_string),
        cmocka_unit_test(test_ovarian_offsets),
        cmocka_unit_test(test_rats_km_numeric),
        cmocka_unit_test(test_unknown_variable_position),
        cmocka_unit_test(test_type_errors),
        cmocka_unit_test(test_status_codings),
        cmocka_unit_test(test_logical_status_from_strings),
        cmocka_unit_test(test_counting_and_weights_errors),
        cmocka_unit_test(test_missing_and_non_finite),
        cmocka_unit_test(test_no_covariates),
        cmocka_unit_test(test_prefixes_never_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
