/*
 * test_frame_in_place.c: a CSV's consecutive numeric columns are the frame's design matrix in
 * place (no copy: src/io/csv.c's block, src/formula/design.c's x_in_place), a 0/1 status and times
 * that timefix leaves alone are the frame's response in place (sk_response_in_place), the row
 * index of a frame that dropped no row is built only when asked for, and the frame keeps the
 * table's memory after survkit_table_free; every case that cannot be read in place (columns
 * out of order, a dropped row, a transformed or factor term, an infinite value) still gets the
 * copied X with the same values and errors. The values are the file's own (no R call: the cases
 * check where X lives and that it holds the text's numbers; the frame's agreement with R's
 * model.matrix is test_frame.c's). A Cox fit on the in-place X equals the fit on a table built
 * column by column (separate arrays: always copied), to the last bit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <math.h>
#include <survkit/survkit.h>

enum { ROWS = 12000 }; /* a text column's slot of 96 kB: its pages are handed back (csv.c) */

/* Column values of row i, as written to the text (exact decimals: parsing gives these doubles). */
static double x1_of(size_t i) { return (double)(i % 1000) / 8.0; }
static double x2_of(size_t i) { return (double)(i % 7); }
static double x3_of(size_t i) { return (double)((i * 37) % 101) - 50.0; }

/* "t,s,grp,x1,x2,x3" with ROWS rows; row `odd_row` gets `odd_x2` as its x2 text (NULL: none). */
static char *make_csv(size_t odd_row, const char *odd_x2, size_t *size)
{
    size_t cap = 64 + (size_t)ROWS * 64, used = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    used += (size_t)snprintf(text + used, cap - used, "t,s,grp,x1,x2,x3\n");
    for (size_t i = 0; i < ROWS; i++) {
        char x2[32];
        if (odd_x2 != NULL && i == odd_row) snprintf(x2, sizeof x2, "%s", odd_x2);
        else snprintf(x2, sizeof x2, "%g", x2_of(i));
        used += (size_t)snprintf(text + used, cap - used, "%zu,%zu,%s,%.17g,%s,%g\n", 1 + i % 97,
                                 (size_t)(i % 3 != 0), i % 2 ? "a" : "b", x1_of(i), x2, x3_of(i));
    }
    *size = used;
    return text;
}

static survkit_table *read_text(const char *text, size_t size)
{
    survkit_table *table = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_table_read_buffer(text, size, "in_place.csv", NULL, &table, &err) != SURVKIT_OK)
        fail_msg("reading: %s", err.message);
    return table;
}

/* A Cox frame (no groups: X is checked) of `formula`; NULL and *status on failure. */
static survkit_frame *cox_frame(const survkit_table *table, const char *formula,
                                survkit_status *status, survkit_error *err)
{
    survkit_frame_options opt;
    survkit_frame_options_init(&opt);
    opt.groups = 0;
    survkit_frame *frame = NULL;
    survkit_error_clear(err);
    *status = survkit_frame_build(table, formula, &opt, &frame, err);
    return frame;
}

static bool inside(const double *x, const survkit_table *table, size_t column)
{
    return x == survkit_table_numeric(table, column);
}

/* X's column j holds f(row) for the kept rows (all, or all but `dropped`). */
static void check_column(const double *x, size_t n, size_t j, double (*f)(size_t), size_t dropped)
{
    for (size_t i = 0, row = 0; i < n; i++, row++) {
        if (row == dropped) row++;
        if (x[j * n + i] != f(row)) fail_msg("X[%zu, %zu] = %.17g, the text says %.17g", i, j,
                                              x[j * n + i], f(row));
    }
}

static void test_consecutive_columns_are_x(void **state)
{
    (void)state;
    size_t size;
    char *text = make_csv(0, NULL, &size);
    survkit_table *table = read_text(text, size);
    free(text);
    survkit_status status;
    survkit_error err;
    survkit_frame *frame = cox_frame(table, "Surv(t, s) ~ x1 + x2 + x3", &status, &err);
    assert_int_equal(status, SURVKIT_OK);
    assert_true(inside(survkit_frame_x(frame), table, 3)); /* x1 is the fourth column */
    survkit_table_free(table); /* the frame keeps the memory (AddressSanitizer checks the reads) */
    const double *x = survkit_frame_x(frame);
    assert_int_equal(survkit_frame_n(frame), ROWS);
    check_column(x, ROWS, 0, x1_of, SIZE_MAX);
    check_column(x, ROWS, 1, x2_of, SIZE_MAX);
    check_column(x, ROWS, 2, x3_of, SIZE_MAX);
    survkit_frame_free(frame);
}

static void test_other_terms_are_copied(void **state)
{
    (void)state;
    size_t size;
    char *text = make_csv(0, NULL, &size);
    survkit_table *table = read_text(text, size);
    free(text);
    static const char *const formulas[] = {
        "Surv(t, s) ~ x2 + x1",        /* out of the file's order */
        "Surv(t, s) ~ x1 + x3",        /* not neighbours */
        "Surv(t, s) ~ x1 + I(x2 + 0)", /* a computed term */
        "Surv(t, s) ~ x1 + grp",       /* a factor */
    };
    for (size_t k = 0; k < sizeof formulas / sizeof formulas[0]; k++) {
        survkit_status status;
        survkit_error err;
        survkit_frame *frame = cox_frame(table, formulas[k], &status, &err);
        if (status != SURVKIT_OK) fail_msg("%s: %s", formulas[k], err.message);
        const double *x = survkit_frame_x(frame);
        for (size_t j = 0; j < survkit_table_n_columns(table); j++)
            if (inside(x, table, j)) fail_msg("%s: X read in place", formulas[k]);
        check_column(x, ROWS, k == 0 ? 1 : 0, x1_of, SIZE_MAX);
        if (k == 0) check_column(x, ROWS, 0, x2_of, SIZE_MAX);
        if (k == 1) check_column(x, ROWS, 1, x3_of, SIZE_MAX);
        if (k == 2) check_column(x, ROWS, 1, x2_of, SIZE_MAX);
        survkit_frame_free(frame);
    }
    survkit_table_free(table);
}

/* A missing x2 in any of R's spellings (NA, an empty field, NaN) drops its row, though columns
 * the reader counted complete are not searched for missing values (frame.c's mark_missing). */
static void test_dropped_row_is_copied(void **state)
{
    (void)state;
    static const char *const missing[] = {"NA", "", "NaN"};
    for (size_t k = 0; k < sizeof missing / sizeof missing[0]; k++) {
        size_t size;
        char *text = make_csv(4321, missing[k], &size);
        survkit_table *table = read_text(text, size);
        free(text);
        survkit_status status;
        survkit_error err;
        survkit_frame *frame = cox_frame(table, "Surv(t, s) ~ x1 + x2 + x3", &status, &err);
        assert_int_equal(status, SURVKIT_OK);
        if (survkit_frame_n(frame) != ROWS - 1) fail_msg("x2 '%s': no row dropped", missing[k]);
        assert_false(inside(survkit_frame_x(frame), table, 3));
        survkit_table_free(table);
        check_column(survkit_frame_x(frame), ROWS - 1, 0, x1_of, 4321);
        check_column(survkit_frame_x(frame), ROWS - 1, 2, x3_of, 4321);
        survkit_frame_free(frame);
    }
}

static void test_infinite_value_named(void **state)
{
    (void)state;
    size_t size;
    char *text = make_csv(777, "Inf", &size);
    survkit_table *table = read_text(text, size);
    free(text);
    survkit_status status;
    survkit_error err;
    survkit_frame *frame = cox_frame(table, "Surv(t, s) ~ x1 + x2 + x3", &status, &err);
    assert_null(frame);
    assert_int_equal(status, SURVKIT_ERR_DOMAIN);
    assert_int_equal(err.line, 777 + 2); /* the header is line 1 */
    assert_non_null(strstr(err.message, "infinite predictor"));
    survkit_table_free(table);
}

/* Surv(t, s) with integer times and a 0/1 status: the table's columns, also after it is freed. */
static void test_response_in_place(void **state)
{
    (void)state;
    size_t size;
    char *text = make_csv(0, NULL, &size);
    survkit_table *table = read_text(text, size);
    free(text);
    survkit_status status;
    survkit_error err;
    survkit_frame *frame = cox_frame(table, "Surv(t, s) ~ x1", &status, &err);
    assert_int_equal(status, SURVKIT_OK);
    assert_true(survkit_frame_time(frame) == survkit_table_numeric(table, 0));
    assert_true(survkit_frame_status(frame) == survkit_table_numeric(table, 1));
    survkit_table_free(table);
    const double *time = survkit_frame_time(frame), *event = survkit_frame_status(frame);
    for (size_t i = 0; i < ROWS; i++) {
        assert_true(time[i] == (double)(1 + i % 97));
        assert_true(event[i] == (double)(i % 3 != 0));
    }
    const size_t *rows = survkit_frame_row_index(frame); /* built now: the identity */
    assert_non_null(rows);
    for (size_t i = 0; i < ROWS; i++) assert_int_equal(rows[i], i);
    assert_true(survkit_frame_row_index(frame) == rows); /* built once */
    survkit_frame_free(frame);
}

/* Times timefix might change (x1 holds eighths) are copied under timefix and read in place
 * without it; a dropped row copies the response and numbers the rows. */
static void test_response_copied(void **state)
{
    (void)state;
    size_t size;
    char *text = make_csv(5000, "NA", &size);
    survkit_table *table = read_text(text, size);
    free(text);
    survkit_frame_options opt;
    survkit_frame_options_init(&opt);
    opt.groups = 0;
    survkit_error err;
    survkit_frame *frame = NULL;
    assert_int_equal(survkit_frame_build(table, "Surv(x1, s) ~ x3", &opt, &frame, &err), SURVKIT_OK);
    assert_false(survkit_frame_time(frame) == survkit_table_numeric(table, 3));
    for (size_t i = 0; i < ROWS; i++) assert_true(survkit_frame_time(frame)[i] == x1_of(i));
    survkit_frame_free(frame);
    opt.timefix = 0;
    assert_int_equal(survkit_frame_build(table, "Surv(x1, s) ~ x3", &opt, &frame, &err), SURVKIT_OK);
    assert_true(survkit_frame_time(frame) == survkit_table_numeric(table, 3));
    survkit_frame_free(frame);
    assert_int_equal(survkit_frame_build(table, "Surv(t, s) ~ x2", &opt, &frame, &err), SURVKIT_OK);
    assert_int_equal(survkit_frame_n(frame), ROWS - 1);
    assert_false(survkit_frame_time(frame) == survkit_table_numeric(table, 0));
    const size_t *rows = survkit_frame_row_index(frame);
    for (size_t i = 0; i < ROWS - 1; i++) {
        const size_t row = i < 5000 ? i : i + 1;
        assert_int_equal(rows[i], row);
        assert_true(survkit_frame_time(frame)[i] == (double)(1 + row % 97));
    }
    survkit_frame_free(frame);
    survkit_table_free(table);
}

/* The same fit from X in place and from a copied X: the same numbers, bit for bit. */
static void test_fit_equals_copied(void **state)
{
    (void)state;
    size_t size;
    char *text = make_csv(0, NULL, &size);
    survkit_table *block_table = read_text(text, size);
    free(text);
    survkit_table *separate = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_table_create(ROWS, &separate, &err), SURVKIT_OK);
    static const char *const names[5] = {"t", "s", "x1", "x2", "x3"};
    static const size_t from[5] = {0, 1, 3, 4, 5};
    for (size_t k = 0; k < 5; k++)
        assert_int_equal(survkit_table_add_numeric(separate, names[k],
                                                   survkit_table_numeric(block_table, from[k]), &err),
                         SURVKIT_OK);
    const char *formula = "Surv(t, s) ~ x1 + x2 + x3";
    survkit_status status;
    survkit_frame *in_place = cox_frame(block_table, formula, &status, &err);
    assert_int_equal(status, SURVKIT_OK);
    survkit_frame *copied = cox_frame(separate, formula, &status, &err);
    assert_int_equal(status, SURVKIT_OK);
    assert_true(inside(survkit_frame_x(in_place), block_table, 3));
    assert_false(inside(survkit_frame_x(copied), separate, 2));
    /* arrays outside a CSV block are copied, the response too */
    assert_false(survkit_frame_time(copied) == survkit_table_numeric(separate, 0));
    survkit_table_free(block_table);
    survkit_table_free(separate);
    survkit_cox_options opt;
    survkit_cox_options_init(&opt);
    survkit_cox_result *a = NULL, *b = NULL;
    assert_int_equal(survkit_cox_fit_frame(in_place, &opt, &a, &err), SURVKIT_OK);
    assert_int_equal(survkit_cox_fit_frame(copied, &opt, &b, &err), SURVKIT_OK);
    for (size_t j = 0; j < 3; j++) {
        assert_true(survkit_cox_result_coef(a)[j] == survkit_cox_result_coef(b)[j]);
        assert_true(survkit_cox_result_se(a)[j] == survkit_cox_result_se(b)[j]);
    }
    assert_true(survkit_cox_result_loglik(a) == survkit_cox_result_loglik(b));
    survkit_cox_result_free(a);
    survkit_cox_result_free(b);
    survkit_frame_free(in_place);
    survkit_frame_free(copied);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_consecutive_columns_are_x),
        cmocka_unit_test(test_other_terms_are_copied),
        cmocka_unit_test(test_dropped_row_is_copied),
        cmocka_unit_test(test_infinite_value_named),
        cmocka_unit_test(test_response_in_place),
        cmocka_unit_test(test_response_copied),
        cmocka_unit_test(test_fit_equals_copied),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
