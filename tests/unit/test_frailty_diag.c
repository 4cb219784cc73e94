/*
 * test_frailty_diag.c: the diagnostics of penalised Cox fits (frailty(), ridge()) against R's
 * methods for coxph.penal objects (tests/golden/frailty_diag/, written by
 * tests/golden/make_golden_frailty_diag.R; each file names its coxph call and the method's):
 * residuals of every type (frailties in the linear predictor, not among the covariates), cox.zph
 * (df from fit$df, GLOBAL's their sum), predict on new rows (no frailty; expected from the
 * baseline of the fit's own linear predictor), the saved model read back, and R's refusals.
 * Dense frailties (issue 16): R's X with a 0/1 column per group (gamma:<group>), residuals with a
 * column per coefficient, new rows by their group, basehaz; and where R fails, the refusals.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "diag_fixture.h"
#include "golden.h"
#include "survkit/survkit.h"

/* Outer loops stop at R's relative 1e-5 on the integrated likelihood, the inner ones at 1e-9:
 * both programs make the same steps, so the values agree far closer than the stopping rules. */
#define REL 1e-7
#define ABS 1e-10

typedef struct penal_case {
    golden *g;
    survkit_table *table;
    survkit_frame *frame;
    survkit_frailty_result *fit;
    survkit_cox_model *model;
    survkit_cox_data data;
} penal_case;

/* The case of frailty_diag/<file>.txt; with `reload`, the model goes through its JSON text. */
static void penal_case_load(const char *file, bool reload, penal_case *c)
{
    char path[512];
    snprintf(path, sizeof path, "frailty_diag/%s.txt", file);
    memset(c, 0, sizeof *c);
    c->g = golden_load(path);
    const char *weights = diag_frame_load(c->g, &c->table, &c->frame);
    survkit_error err;
    survkit_error_clear(&err);
    survkit_frailty_options opt;
    survkit_frailty_options_init(&opt);
    opt.ties = diag_ties(golden_string(c->g, "ties", 0));
    if (survkit_frailty_fit_frame(c->frame, &opt, &c->fit, &err) != SURVKIT_OK)
        fail_msg("fit: %s", err.message);
    if (survkit_frailty_model_create_frame(c->fit, c->frame, weights, &c->model, &err) !=
        SURVKIT_OK)
        fail_msg("model: %s", err.message);
    assert_true(survkit_cox_model_is_penalised(c->model));
    if (reload) {
        char *text = survkit_cox_model_to_json(c->model);
        assert_non_null(text);
        survkit_cox_model_free(c->model);
        c->model = NULL;
        if (survkit_cox_model_from_json(text, strlen(text), "model", &c->model, &err) != SURVKIT_OK)
            fail_msg("reading the model back: %s", err.message);
        assert_true(survkit_cox_model_is_penalised(c->model));
        free(text);
    }
    survkit_cox_data_from_frame(c->frame, &c->data);
}

static void penal_case_free(penal_case *c)
{
    survkit_cox_model_free(c->model);
    survkit_frailty_result_free(c->fit);
    survkit_frame_free(c->frame);
    survkit_table_free(c->table);
    golden_free(c->g);
    memset(c, 0, sizeof *c);
}

static bool golden_exists(const char *file)
{
    char path[512];
    snprintf(path, sizeof path, "%s/frailty_diag/%s.txt", golden_dir(), file);
    FILE *f = fopen(path, "r");
    if (f != NULL) fclose(f);
    return f != NULL;
}

static void check_residuals(const char *file, bool reload)
{
    penal_case c;
    penal_case_load(file, reload, &c);
    survkit_residual_type type;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_residual_type_parse(golden_string(c.g, "type", 0), &type, &err),
                     SURVKIT_OK);
    survkit_residuals *r = NULL;
    if (survkit_cox_residuals(c.model, &c.data, type, NULL, 0, &r, &err) != SURVKIT_OK)
        fail_msg("%s: %s", file, err.message);
    const size_t rows = survkit_residuals_rows(r), cols = survkit_residuals_cols(r);
    assert_int_equal(rows, (size_t)golden_number(c.g, "rows_out"));
    assert_int_equal(cols, (size_t)golden_number(c.g, "cols_out"));
    assert_numbers_close(survkit_residuals_values(r), golden_numbers(c.g, "values"), rows * cols,
                         REL, ABS, file);
    const double *names = golden_numbers(c.g, "row_names");
    for (size_t i = 0; i < rows; i++) {
        const bool sch = type == SURVKIT_RESID_SCHOENFELD || type == SURVKIT_RESID_SCALEDSCH;
        const double actual =
            sch ? survkit_residuals_time(r)[i]
                : (double)survkit_frame_row_index(c.frame)[survkit_residuals_row_id(r)[i]] + 1;
        if (actual != names[i]) fail_msg("%s: row %zu is %g, R says %g", file, i, actual, names[i]);
    }
    survkit_residuals_free(r);
    penal_case_free(&c);
}

static size_t residual_case(const char *name)
{
    static const char *const types[] = {"martingale", "deviance", "score",  "schoenfeld",
                                        "scaledsch",  "dfbeta",   "dfbetas"};
    size_t found = 0;
    for (size_t k = 0; k < 7; k++) {
        char file[128];
        snprintf(file, sizeof file, "resid_%s_%s", name, types[k]);
        if (!golden_exists(file)) continue;
        found++;
        if (k < 2 && strstr(name, "strata") != NULL) { /* test_refusals */
            penal_case c;
            penal_case_load(file, false, &c);
            survkit_residuals *r = NULL;
            survkit_error err;
            survkit_error_clear(&err);
            assert_int_equal(survkit_cox_residuals(c.model, &c.data, (survkit_residual_type)k, NULL,
                                                   0, &r, &err),
                             SURVKIT_ERR_ARGUMENT);
            assert_non_null(strstr(err.message, "carries the cumulative hazard"));
            penal_case_free(&c);
            continue;
        }
        check_residuals(file, k == 0); /* the martingale ones through the saved model */
    }
    return found;
}

static void test_residuals(void **state)
{
    (void)state;
    assert_int_equal(residual_case("la_gamma"), 7);
    assert_int_equal(residual_case("la_strata"), 7); /* martingale and deviance refused */
    assert_int_equal(residual_case("la_weights"), 7);
    assert_int_equal(residual_case("family_breslow"), 5);
    assert_int_equal(residual_case("bladder_gamma"), 7);
    assert_int_equal(residual_case("ridge_scaled"), 7);
    assert_int_equal(residual_case("la_ridge"), 4);
    assert_int_equal(residual_case("lung_pspline"), 7); /* issue 16: pspline() terms */
    assert_int_equal(residual_case("bladder_w_gamma"), 7); /* R's agfit5 fit, agmart3 residuals */
    /* dense frailties: a column per group among the coefficients */
    assert_int_equal(residual_case("lung_dense"), 7);
    assert_int_equal(residual_case("lung_dense_gauss"), 4);
    assert_int_equal(residual_case("lung_dense_strata"), 2); /* refused as la_strata's */
    /* with cluster(): dfbeta from R's naive.var over every column */
    assert_int_equal(residual_case("lung_dense_cluster"), 7);
}

static void check_zph(const char *file, bool reload)
{
    penal_case c;
    penal_case_load(file, reload, &c);
    survkit_zph_transform tr;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_zph_transform_parse(golden_string(c.g, "transform", 0), &tr, &err),
                     SURVKIT_OK);
    survkit_zph *z = NULL;
    if (survkit_cox_zph(c.model, &c.data, tr, &z, &err) != SURVKIT_OK)
        fail_msg("%s: %s", file, err.message);
    const size_t rows = survkit_zph_n_rows(z);
    assert_int_equal(rows, golden_length(c.g, "names"));
    double chisq[16], df[16], p[16];
    for (size_t k = 0; k < rows && k < 16; k++) {
        assert_string_equal(survkit_zph_row_name(z, k), golden_string(c.g, "names", k));
        chisq[k] = survkit_zph_chisq(z, k);
        df[k] = survkit_zph_df(z, k);
        p[k] = survkit_zph_p(z, k);
    }
    assert_numbers_close(chisq, golden_numbers(c.g, "chisq"), rows, REL, 0, "chisq");
    assert_numbers_close(df, golden_numbers(c.g, "df"), rows, REL, 0, "df");
    assert_numbers_close(p, golden_numbers(c.g, "p"), rows, REL, 0, "p");
    const size_t ne = survkit_zph_n_events(z);
    assert_int_equal(ne, golden_length(c.g, "time"));
    assert_numbers_close(survkit_zph_time(z), golden_numbers(c.g, "time"), ne, 0, 0, "time");
    assert_numbers_close(survkit_zph_x(z), golden_numbers(c.g, "x"), ne, REL, ABS, "x");
    assert_numbers_close(survkit_zph_resid(z), golden_numbers(c.g, "y"), ne * (rows - 1), REL,
                         ABS, "y");
    assert_numbers_close(survkit_zph_var(z), golden_numbers(c.g, "var"), (rows - 1) * (rows - 1),
                         REL, ABS, "var");
    survkit_zph_free(z);
    penal_case_free(&c);
}

static void test_zph(void **state)
{
    (void)state;
    check_zph("zph_la_gamma_km", false);
    check_zph("zph_la_gamma_rank", true);
    check_zph("zph_la_strata_km", false);
    check_zph("zph_family_gauss_km", false);
    check_zph("zph_bladder_gamma_km", true);
    check_zph("zph_ridge_scaled_km", false);
    check_zph("zph_ridge_scaled_identity", true);
    check_zph("zph_sex_ridge_km", false);
    check_zph("zph_la_ridge_km", true);
    /* pspline(): R's full coxlist2$second (with a ridge() block), or none with a frailty */
    check_zph("zph_lung_pspline_km", false);
    check_zph("zph_lung_pspline_identity", true);
    check_zph("zph_lung_pspline_theta_km", true);
    check_zph("zph_lung_pspline_ridge_km", true);
    check_zph("zph_la_pspline_km", false);
}

static void check_predict(const char *file, survkit_reference reference, bool reload)
{
    penal_case c;
    penal_case_load(file, reload, &c);
    char path[4096];
    snprintf(path, sizeof path, "%s/frailty_diag/%s", golden_dir(),
             golden_string(c.g, "newdata", 0));
    survkit_table *nd = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_table_read_file(path, NULL, &nd, &err) != SURVKIT_OK)
        fail_msg("cannot read %s: %s", path, err.message);
    const size_t nt = golden_length(c.g, "times");
    survkit_prediction *pr = NULL;
    if (survkit_cox_predict_table(c.model, nd, reference, golden_numbers(c.g, "times"), nt, 0.95,
                                  &pr, &err) != SURVKIT_OK)
        fail_msg("%s: %s", file, err.message);
    const size_t n = survkit_prediction_n(pr);
    assert_int_equal(n, golden_length(c.g, "lp"));
    assert_numbers_close(survkit_prediction_lp(pr), golden_numbers(c.g, "lp"), n, REL, ABS, "lp");
    assert_numbers_close(survkit_prediction_lp_se(pr), golden_numbers(c.g, "lp_se"), n, REL, 0,
                         "lp_se");
    assert_numbers_close(survkit_prediction_risk(pr), golden_numbers(c.g, "risk"), n, REL, 0,
                         "risk");
    if (golden_length(c.g, "expected") == 0) /* new rows without the response */
        assert_null(survkit_prediction_expected(pr));
    else
        assert_numbers_close(survkit_prediction_expected(pr), golden_numbers(c.g, "expected"), n,
                             REL, 0, "expected");
    const char *keys[4] = {"surv", "std_err", "lower", "upper"};
    const double *mine[4] = {survkit_prediction_surv(pr), survkit_prediction_std_err(pr),
                             survkit_prediction_lower(pr), survkit_prediction_upper(pr)};
    for (int k = 0; k < 4 && nt > 0; k++) {
        assert_int_equal(golden_length(c.g, keys[k]), n * nt);
        double *actual = malloc(n * nt * sizeof *actual);
        for (size_t i = 0; i < n; i++)
            for (size_t t = 0; t < nt; t++) actual[t + i * nt] = mine[k][i + t * n];
        assert_numbers_close(actual, golden_numbers(c.g, keys[k]), n * nt, REL, 0, keys[k]);
        free(actual);
    }
    survkit_prediction_free(pr);
    survkit_table_free(nd);
    penal_case_free(&c);
}

static void test_predict(void **state)
{
    (void)state;
    check_predict("predict_la_gamma", SURVKIT_REFERENCE_STRATA, false);
    check_predict("predict_la_strata", SURVKIT_REFERENCE_SAMPLE, true);
    check_predict("predict_bladder_gamma", SURVKIT_REFERENCE_STRATA, false);
    check_predict("predict_ridge_scaled", SURVKIT_REFERENCE_STRATA, true);
    /* pspline(): the saved model's formula rebuilds the fit's basis (also outside its range) */
    check_predict("predict_lung_pspline", SURVKIT_REFERENCE_STRATA, false);
    check_predict("predict_lung_pspline", SURVKIT_REFERENCE_STRATA, true);
    check_predict("predict_lung_pspline_outside", SURVKIT_REFERENCE_STRATA, false);
    check_predict("predict_lung_pspline_outside", SURVKIT_REFERENCE_STRATA, true);
    /* dense frailty: each new row with its group's coefficient (row 14's group is NA) */
    check_predict("predict_lung_dense", SURVKIT_REFERENCE_STRATA, false);
    check_predict("predict_lung_dense", SURVKIT_REFERENCE_STRATA, true);
    check_predict("predict_lung_dense_gauss", SURVKIT_REFERENCE_SAMPLE, true);
    check_predict("predict_lung_dense_strata", SURVKIT_REFERENCE_SAMPLE, false);
    /* with cluster(): lp_se from R's robust var over every column, also from the saved model */
    check_predict("predict_lung_dense_cluster", SURVKIT_REFERENCE_STRATA, false);
    check_predict("predict_lung_dense_cluster", SURVKIT_REFERENCE_STRATA, true);
}

/* A dense frailty's model: R's coefficient names (score residuals' columns too), and predict on
 * the fit's own data as R's predict(fit) lp and risk (NA where the group is missing). */
static void check_dense_names(const char *file)
{
    penal_case c;
    penal_case_load(file, true, &c);
    const size_t p = survkit_cox_model_p(c.model);
    assert_int_equal(p, golden_length(c.g, "coef_names"));
    for (size_t j = 0; j < p; j++) {
        assert_string_equal(survkit_cox_model_name(c.model, j), golden_string(c.g, "coef_names", j));
        assert_string_equal(golden_string(c.g, "resid_names", j), golden_string(c.g, "coef_names", j));
    }
    survkit_error err;
    survkit_error_clear(&err);
    survkit_residuals *r = NULL;
    assert_int_equal(survkit_cox_residuals(c.model, &c.data, SURVKIT_RESID_SCORE, NULL, 0, &r, &err),
                     SURVKIT_OK);
    assert_int_equal(survkit_residuals_cols(r), p);
    survkit_residuals_free(r);
    survkit_prediction *pr = NULL;
    if (survkit_cox_predict_table(c.model, c.table, SURVKIT_REFERENCE_STRATA, NULL, 0, 0.95, &pr,
                                  &err) != SURVKIT_OK)
        fail_msg("%s: %s", file, err.message);
    const size_t used = golden_length(c.g, "rows"), n = survkit_prediction_n(pr);
    assert_int_equal(n, survkit_table_n_rows(c.table));
    const double *rows = golden_numbers(c.g, "rows");
    double *lp = malloc((used + 1) * sizeof *lp), *risk = malloc((used + 1) * sizeof *risk);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k < used && (double)(i + 1) == rows[k]) {
            lp[k] = survkit_prediction_lp(pr)[i];
            risk[k++] = survkit_prediction_risk(pr)[i];
        } else { /* a row the fit left out: NA, as R's na.pass */
            assert_true(isnan(survkit_prediction_lp(pr)[i]));
        }
    }
    assert_int_equal(k, used);
    assert_numbers_close(lp, golden_numbers(c.g, "lp"), used, REL, ABS, "own lp");
    assert_numbers_close(risk, golden_numbers(c.g, "risk"), used, REL, 0, "own risk");
    free(lp), free(risk);
    survkit_prediction_free(pr);
    penal_case_free(&c);
}

static void test_dense_names(void **state)
{
    (void)state;
    check_dense_names("names_lung_dense");
    check_dense_names("names_lung_dense_gauss");
}

static void test_basehaz(void **state)
{
    (void)state;
    static const char *const files[] = {"basehaz_ridge_scaled_raw",
                                        "basehaz_ridge_scaled_centered",
                                        "basehaz_lung_pspline_raw",
                                        "basehaz_lung_pspline_centered",
                                        "basehaz_lung_dense_raw",
                                        "basehaz_lung_dense_centered"};
    for (int k = 0; k < 6; k++) {
        const int centered = k % 2;
        penal_case c;
        penal_case_load(files[k], centered == 0, &c);
        survkit_basehaz *b = NULL;
        survkit_error err;
        survkit_error_clear(&err);
        assert_int_equal(survkit_cox_basehaz(c.model, centered, &b, &err), SURVKIT_OK);
        const size_t n = survkit_basehaz_rows(b);
        assert_int_equal(n, golden_length(c.g, "time"));
        assert_numbers_close(survkit_basehaz_time(b), golden_numbers(c.g, "time"), n, 0, 0, "time");
        assert_numbers_close(survkit_basehaz_hazard(b), golden_numbers(c.g, "hazard"), n, REL, 0,
                             "hazard");
        survkit_basehaz_free(b);
        penal_case_free(&c);
    }
    /* a frailty model: R's survfit.coxph leaves the frailties out of its curve; refused */
    penal_case c;
    penal_case_load("predict_la_gamma", false, &c);
    survkit_basehaz *b = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_cox_basehaz(c.model, true, &b, &err), SURVKIT_ERR_ARGUMENT);
    assert_null(b);
    penal_case_free(&c);
}

/* frailty(method = "aic") and frailty(df = ): the fit and the thetas tried, as R's. */
static void check_method(const char *file)
{
    penal_case c;
    penal_case_load(file, false, &c);
    const golden *g = c.g;
    const survkit_frailty_result *fit = c.fit;
    const size_t p = survkit_frailty_result_p(fit), G = survkit_frailty_result_n_groups(fit);
    const double *iter = golden_numbers(g, "iter");
    assert_int_equal(survkit_frailty_result_outer_iterations(fit), (int)iter[0]);
    assert_int_equal(survkit_frailty_result_iterations(fit), (int)iter[1]);
    const size_t nh = golden_length(g, "history_theta") > 0 ? survkit_frailty_result_n_history(fit) : 0;
    assert_int_equal(nh, golden_length(g, "history_theta"));
    double theta[64], ll[64], c_loglik[64];
    for (size_t k = 0; k < nh && k < 64; k++)
        survkit_frailty_result_history(fit, k, &theta[k], &ll[k], &c_loglik[k]);
    assert_numbers_close(theta, golden_numbers(g, "history_theta"), nh, REL, 0, "history theta");
    assert_numbers_close(survkit_frailty_result_coef(fit), golden_numbers(g, "coef"), p, REL, 0,
                         "coef");
    assert_numbers_close(survkit_frailty_result_vcov(fit), golden_numbers(g, "var"), p * p, REL, 0,
                         "var");
    assert_int_equal(survkit_frailty_result_n_df(fit), golden_length(g, "df"));
    assert_numbers_close(survkit_frailty_result_df(fit), golden_numbers(g, "df"),
                         survkit_frailty_result_n_df(fit), REL, 0, "df");
    const double loglik[2] = {survkit_frailty_result_loglik_null(fit),
                              survkit_frailty_result_loglik(fit)};
    assert_numbers_close(loglik, golden_numbers(g, "loglik"), 2, REL, 0, "loglik");
    assert_numbers_close(survkit_frailty_result_frail(fit), golden_numbers(g, "frail"), G, REL,
                         ABS, "frail");
    penal_case_free(&c);
}

static void test_methods(void **state)
{
    (void)state;
    check_method("method_gamma_aic");
    check_method("method_gauss_aic");
    check_method("method_gauss_aic_strata");
    check_method("method_gauss_df0");
    check_method("method_gamma_df");
    check_method("method_gauss_df");
    check_method("method_family_df");
    check_method("method_ridge_df");
    check_method("method_ridge_default");
    check_method("method_ridge_df_frail");
    check_method("method_ridge_df_frail_df");
}

/* Where R stops, survkit refuses with R's reason. */
static void test_refusals(void **state)
{
    (void)state;
    survkit_error err;
    survkit_error_clear(&err);
    penal_case c;
    penal_case_load("predict_la_gamma", false, &c);
    survkit_table *nd = NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/frailty_diag/newdata_la_gamma.csv", golden_dir());
    assert_int_equal(survkit_table_read_file(path, NULL, &nd, &err), SURVKIT_OK);
    const double times[1] = {100};
    survkit_prediction *pr = NULL;
    /* survfit.coxph: "Newdata cannot be used when a model has frailty terms" */
    assert_int_equal(survkit_cox_predict_table(c.model, nd, SURVKIT_REFERENCE_STRATA, times, 1,
                                               0.95, &pr, &err),
                     SURVKIT_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "Newdata cannot be used"));
    assert_null(pr);
    /* residuals and cox.zph need the frailty groups of the data the model was fitted on */
    survkit_cox_data no_groups = c.data;
    no_groups.frailty = NULL;
    survkit_residuals *r = NULL;
    assert_int_equal(survkit_cox_residuals(c.model, &no_groups, SURVKIT_RESID_MARTINGALE, NULL, 0,
                                           &r, &err),
                     SURVKIT_ERR_ARGUMENT);
    survkit_cox_data fewer = c.data;
    fewer.n_frailty--;
    assert_int_equal(survkit_cox_residuals(c.model, &fewer, SURVKIT_RESID_MARTINGALE, NULL, 0, &r,
                                           &err),
                     SURVKIT_ERR_ARGUMENT);
    /* a saved model's "penalised" member is read strictly: a bad one is named */
    char *text = survkit_cox_model_to_json(c.model);
    assert_non_null(text);
    char *at = strstr(text, "\"frail\": [");
    assert_non_null(at);
    memcpy(at, "\"frial\"", 7); /* the frailties' key misspelt */
    survkit_cox_model *bad = NULL;
    assert_int_equal(survkit_cox_model_from_json(text, strlen(text), "m.json", &bad, &err),
                     SURVKIT_ERR_PARSE);
    assert_non_null(strstr(err.message, "\"frail\" is missing"));
    assert_null(bad);
    free(text);
    /* a plain Cox fit refuses data with frailty groups */
    survkit_cox_result *cox = NULL;
    assert_int_equal(survkit_cox_fit_arrays(&c.data, NULL, &cox, &err), SURVKIT_ERR_ARGUMENT);
    survkit_table_free(nd);
    penal_case_free(&c);

    /* strata: R's predict.coxph with reference = "strata" fails (non-conformable arguments) */
    penal_case_load("predict_la_strata", false, &c);
    snprintf(path, sizeof path, "%s/frailty_diag/newdata_la_strata.csv", golden_dir());
    assert_int_equal(survkit_table_read_file(path, NULL, &nd, &err), SURVKIT_OK);
    assert_int_equal(survkit_cox_predict_table(c.model, nd, SURVKIT_REFERENCE_STRATA, NULL, 0,
                                               0.95, &pr, &err),
                     SURVKIT_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "non-conformable"));
    survkit_table_free(nd);
    penal_case_free(&c);

    /* cox.zph: R fails when a term follows frailty() */
    survkit_frame_options fo;
    survkit_frame_options_init(&fo);
    fo.groups = 0;
    char data_path[4096];
    snprintf(data_path, sizeof data_path, "%s/reunification.csv", datasets_dir());
    survkit_table *t = NULL;
    assert_int_equal(survkit_table_read_file(data_path, NULL, &t, &err), SURVKIT_OK);
    survkit_frame *f = NULL;
    assert_int_equal(survkit_frame_build(t, "Surv(days, breakdown) ~ age + frailty(la) + sex", &fo,
                                         &f, &err),
                     SURVKIT_OK);
    assert_int_equal(survkit_frame_frailty_position(f), 1);
    survkit_frailty_result *fit = NULL;
    assert_int_equal(survkit_frailty_fit_frame(f, NULL, &fit, &err), SURVKIT_OK);
    survkit_cox_model *m = NULL;
    assert_int_equal(survkit_frailty_model_create_frame(fit, f, NULL, &m, &err), SURVKIT_OK);
    survkit_cox_data d;
    survkit_cox_data_from_frame(f, &d);
    survkit_zph *z = NULL;
    assert_int_equal(survkit_cox_zph(m, &d, SURVKIT_ZPH_KM, &z, &err), SURVKIT_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "subscript out of bounds"));
    survkit_cox_model_free(m);
    survkit_frailty_result_free(fit);
    survkit_frame_free(f);
    survkit_table_free(t);
}

/* A dense frailty where R fails: with strata, the score-type residuals, basehaz and predict's
 * expected (R's model matrix one group column short), reference = "strata"; survfit(newdata); a
 * group the fit did not have (R's model.frame with xlev). */
static void test_dense_refusals(void **state)
{
    (void)state;
    survkit_error err;
    survkit_error_clear(&err);
    penal_case c;
    penal_case_load("predict_lung_dense_strata", false, &c);
    survkit_residuals *r = NULL;
    for (int k = SURVKIT_RESID_SCORE; k <= SURVKIT_RESID_DFBETAS; k++) {
        assert_int_equal(survkit_cox_residuals(c.model, &c.data, (survkit_residual_type)k, NULL, 0,
                                               &r, &err),
                         SURVKIT_ERR_ARGUMENT);
        assert_non_null(strstr(err.message, "length of 'dimnames' [2] not equal to array extent"));
        assert_null(r);
    }
    survkit_basehaz *b = NULL;
    assert_int_equal(survkit_cox_basehaz(c.model, true, &b, &err), SURVKIT_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "non-conformable arguments"));
    assert_null(b);
    survkit_prediction *pr = NULL; /* the fit's data as new rows: with the response */
    assert_int_equal(survkit_cox_predict_table(c.model, c.table, SURVKIT_REFERENCE_SAMPLE, NULL, 0,
                                               0.95, &pr, &err),
                     SURVKIT_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "dims do not match"));
    char path[4096];
    snprintf(path, sizeof path, "%s/frailty_diag/newdata_lung_dense_strata.csv", golden_dir());
    survkit_table *nd = NULL;
    assert_int_equal(survkit_table_read_file(path, NULL, &nd, &err), SURVKIT_OK);
    assert_int_equal(survkit_cox_predict_table(c.model, nd, SURVKIT_REFERENCE_STRATA, NULL, 0,
                                               0.95, &pr, &err),
                     SURVKIT_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "non-conformable"));
    assert_null(pr);
    survkit_table_free(nd);
    penal_case_free(&c);

    penal_case_load("predict_lung_dense", false, &c);
    const double times[1] = {100};
    assert_int_equal(survkit_cox_predict_table(c.model, c.table, SURVKIT_REFERENCE_STRATA, times,
                                               1, 0.95, &pr, &err),
                     SURVKIT_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "non-conformable arguments"));
    static const char text[] = "time,status,age,ph.ecog\n100,1,60,0\n200,2,70,4\n";
    assert_int_equal(survkit_table_read_memory(text, sizeof text - 1, "new.csv", NULL, &nd, &err),
                     SURVKIT_OK);
    assert_int_equal(survkit_cox_predict_table(c.model, nd, SURVKIT_REFERENCE_STRATA, NULL, 0,
                                               0.95, &pr, &err),
                     SURVKIT_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "has new levels 4"));
    assert_null(pr);
    survkit_zph *z = NULL; /* R: "non-conformable arrays" */
    assert_int_equal(survkit_cox_zph(c.model, &c.data, SURVKIT_ZPH_KM, &z, &err),
                     SURVKIT_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "non-conformable arrays"));
    survkit_table_free(nd);
    penal_case_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_residuals),
        cmocka_unit_test(test_zph),
        cmocka_unit_test(test_predict),
        cmocka_unit_test(test_basehaz),
        cmocka_unit_test(test_methods),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_dense_names),
        cmocka_unit_test(test_dense_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
