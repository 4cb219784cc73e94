/*
 * test_diag_large.c: Cox diagnostics large enough to take their large-data paths -- cox.zph's
 * Schoenfeld columns and its block solves split between two threads, the model's column means and
 * linear predictor (cox_eval.c) and the hazard's per-slot terms (efron.c) on two threads --
 * against R (tests/golden/make_golden_diag_large.R):
 * lung's rows repeated 500 times (105,000 complete rows, 74,000 events, 500 tied copies of every
 * time: few event slots, so that the information's pass over the rows is split too), coxph(Surv(time, status) ~ age + sex + factor(ph.ecog) + ph.karno + pat.karno +
 * wt.loss): cox.zph (km) and the martingale and Schoenfeld residuals, from the whole model and from
 * the one without its baseline hazard. R's per-event results are kept for every 97th event and the
 * last; everything at 1e-9 relative, as test_diag_zph and test_diag_residuals.
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
#define ABS 1e-12
/* A Schoenfeld residual is x minus a risk-set mean of x, for columns of up to 100 (ph.karno) over
 * risk sets of up to 105,000 rows: summed in another order than R's, the mean differs by some 1e-14
 * of the column's scale, so small residuals get an absolute floor of 1e-12 x 100. */
#define ABS_SCHOENFELD 1e-10

enum { COPIES = 500, N_COLUMNS = 8 };

static const char *const FORMULA = "Surv(time, status) ~ age + sex + factor(ph.ecog) + ph.karno + "
                                   "pat.karno + wt.loss";

typedef struct large_case {
    survkit_table *table;
    survkit_frame *frame;
    survkit_cox_result *fit;
    survkit_cox_model *model, *lean;
    survkit_cox_data data;
} large_case;

/* lung.csv's columns of the formula, repeated COPIES times (copy k after copy k - 1), as a table;
 * then R's fit of it, whole and without baseline. */
static void large_case_load(large_case *c)
{
    static const char *const names[N_COLUMNS] = {"time",    "status",   "age",       "sex",
                                                 "ph.ecog", "ph.karno", "pat.karno", "wt.loss"};
    memset(c, 0, sizeof *c);
    survkit_error err;
    survkit_error_clear(&err);
    char path[4096];
    snprintf(path, sizeof path, "%s/lung.csv", datasets_dir());
    survkit_table *lung = NULL;
    if (survkit_table_read_file(path, NULL, &lung, &err) != SURVKIT_OK)
        fail_msg("cannot read %s: %s", path, err.message);
    const size_t m = survkit_table_n_rows(lung), n = m * COPIES;
    assert_int_equal(survkit_table_create(n, &c->table, &err), SURVKIT_OK);
    double *values = malloc(n * sizeof *values);
    assert_non_null(values);
    for (size_t j = 0; j < N_COLUMNS; j++) {
        const long col = survkit_table_find(lung, names[j]);
        assert_true(col >= 0);
        const double *v = survkit_table_numeric(lung, (size_t)col);
        for (size_t k = 0; k < COPIES; k++)
            for (size_t i = 0; i < m; i++)
                values[k * m + i] = v[i];
        assert_int_equal(survkit_table_add_numeric(c->table, names[j], values, &err), SURVKIT_OK);
    }
    free(values);
    survkit_table_free(lung);
    survkit_frame_options fo;
    survkit_frame_options_init(&fo);
    fo.groups = 0;
    if (survkit_frame_build(c->table, FORMULA, &fo, &c->frame, &err) != SURVKIT_OK)
        fail_msg("frame: %s", err.message);
    survkit_cox_options opt;
    survkit_cox_options_init(&opt);
    if (survkit_cox_fit_frame(c->frame, &opt, &c->fit, &err) != SURVKIT_OK)
        fail_msg("fit: %s", err.message);
    if (survkit_cox_model_create_frame(c->fit, c->frame, NULL, &c->model, &err) != SURVKIT_OK ||
        survkit_cox_model_create_frame_parts(c->fit, c->frame, NULL, SURVKIT_MODEL_NO_BASELINE,
                                             &c->lean, &err) != SURVKIT_OK)
        fail_msg("model: %s", err.message);
    survkit_cox_data_from_frame(c->frame, &c->data);
}

static void large_case_free(large_case *c)
{
    survkit_cox_model_free(c->lean);
    survkit_cox_model_free(c->model);
    survkit_cox_result_free(c->fit);
    survkit_frame_free(c->frame);
    survkit_table_free(c->table);
}

static golden *load(const char *file)
{
    char path[512];
    snprintf(path, sizeof path, "diag_large/%s.txt", file);
    return golden_load(path);
}

/* values[rows_sampled x cols]: the golden's sampled rows (1-based) of an n x cols column-major
 * array. */
static double *sampled(const golden *g, const double *all, size_t n, size_t cols)
{
    const size_t k = golden_length(g, "sample_rows");
    const double *rows = golden_numbers(g, "sample_rows");
    double *out = malloc((k * cols + 1) * sizeof *out);
    assert_non_null(out);
    for (size_t c = 0; c < cols; c++)
        for (size_t r = 0; r < k; r++) {
            assert_true(rows[r] >= 1 && rows[r] <= (double)n);
            out[r + c * k] = all[(size_t)rows[r] - 1 + c * n];
        }
    return out;
}

static void check_zph(const golden *g, const survkit_cox_model *model, const survkit_cox_data *d)
{
    survkit_error err;
    survkit_error_clear(&err);
    survkit_zph *z = NULL;
    if (survkit_cox_zph(model, d, SURVKIT_ZPH_KM, &z, &err) != SURVKIT_OK)
        fail_msg("cox.zph: %s", err.message);
    const size_t rows = survkit_zph_n_rows(z), ne = survkit_zph_n_events(z), nt = rows - 1;
    assert_int_equal(rows, golden_length(g, "names"));
    assert_int_equal(ne, (size_t)golden_number(g, "events"));
    double chisq[16], df[16], p[16];
    assert_true(rows <= 16);
    for (size_t k = 0; k < rows; k++) {
        assert_string_equal(survkit_zph_row_name(z, k), golden_string(g, "names", k));
        chisq[k] = survkit_zph_chisq(z, k);
        df[k] = survkit_zph_df(z, k);
        p[k] = survkit_zph_p(z, k);
    }
    assert_numbers_close(chisq, golden_numbers(g, "chisq"), rows, REL, 0, "chisq");
    assert_numbers_close(df, golden_numbers(g, "df"), rows, 0, 0, "df");
    assert_numbers_close(p, golden_numbers(g, "p"), rows, REL, 0, "p");
    assert_numbers_close(survkit_zph_var(z), golden_numbers(g, "var"), nt * nt, REL, 0, "var");
    const size_t k = golden_length(g, "sample_rows");
    double *time = sampled(g, survkit_zph_time(z), ne, 1);
    double *x = sampled(g, survkit_zph_x(z), ne, 1);
    double *y = sampled(g, survkit_zph_resid(z), ne, nt);
    assert_numbers_close(time, golden_numbers(g, "time"), k, 0, 0, "time");
    assert_numbers_close(x, golden_numbers(g, "x"), k, REL, ABS, "x");
    assert_int_equal(golden_length(g, "y"), k * nt);
    assert_numbers_close(y, golden_numbers(g, "y"), k * nt, REL, ABS, "y");
    free(time), free(x), free(y);
    survkit_zph_free(z);
}

static void test_zph(void **state)
{
    (void)state;
    large_case c;
    large_case_load(&c);
    golden *g = load("zph_lung_x500_km");
    assert_int_equal(survkit_frame_n(c.frame), (size_t)golden_number(g, "n"));
    check_zph(g, c.model, &c.data);
    check_zph(g, c.lean, &c.data);
    golden_free(g);
    large_case_free(&c);
}

static void check_residuals(const char *file, survkit_residual_type type, double abs)
{
    large_case c;
    large_case_load(&c);
    golden *g = load(file);
    const survkit_cox_model *models[2] = {c.model, c.lean};
    for (int q = 0; q < 2; q++) {
        survkit_error err;
        survkit_error_clear(&err);
        survkit_residuals *r = NULL;
        if (survkit_cox_residuals(models[q], &c.data, type, NULL, 0, &r, &err) != SURVKIT_OK)
            fail_msg("%s: %s", file, err.message);
        const size_t rows = survkit_residuals_rows(r), cols = survkit_residuals_cols(r);
        assert_int_equal(rows, (size_t)golden_number(g, "rows_out"));
        assert_int_equal(cols, (size_t)golden_number(g, "cols_out"));
        double *values = sampled(g, survkit_residuals_values(r), rows, cols);
        assert_int_equal(golden_length(g, "values"), golden_length(g, "sample_rows") * cols);
        assert_numbers_close(values, golden_numbers(g, "values"), golden_length(g, "values"), REL,
                             abs, file);
        free(values);
        survkit_residuals_free(r);
    }
    golden_free(g);
    large_case_free(&c);
}

static void test_martingale(void **state)
{
    (void)state;
    check_residuals("resid_lung_x500_martingale", SURVKIT_RESID_MARTINGALE, ABS);
}

static void test_schoenfeld(void **state)
{
    (void)state;
    check_residuals("resid_lung_x500_schoenfeld", SURVKIT_RESID_SCHOENFELD, ABS_SCHOENFELD);
}

/* A NaN or infinite covariate is refused with the first such row in column order (the data are
 * scanned in two halves at once): here a NaN in column 6 at row 11 and an infinity in column 2 at
 * row 70,001; then the NaN alone. */
static void test_non_finite(void **state)
{
    (void)state;
    large_case c;
    large_case_load(&c);
    const size_t n = c.data.n, p = c.data.p;
    double *x = malloc(n * p * sizeof *x);
    assert_non_null(x);
    for (size_t q = 0; q < n * p; q++) /* no zeros: only the non-finite values stand out */
        x[q] = c.data.x[q] == 0 ? 1.0 : c.data.x[q];
    survkit_cox_data d = c.data;
    d.x = x;
    x[5 * n + 10] = NAN;
    x[1 * n + 70000] = INFINITY;
    const char *const want[2] = {"row 70001:", "row 11:"};
    for (int k = 0; k < 2; k++) {
        survkit_error err;
        survkit_error_clear(&err);
        survkit_residuals *r = NULL;
        assert_int_equal(survkit_cox_residuals(c.lean, &d, SURVKIT_RESID_MARTINGALE, NULL, 0, &r,
                                               &err),
                         SURVKIT_ERR_DOMAIN);
        assert_null(r);
        if (strstr(err.message, want[k]) == NULL) fail_msg("%s: want %s", err.message, want[k]);
        x[1 * n + 70000] = 1.0;
    }
    free(x);
    large_case_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zph),
        cmocka_unit_test(test_martingale),
        cmocka_unit_test(test_schoenfeld),
        cmocka_unit_test(test_non_finite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
