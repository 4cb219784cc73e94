/* fuzz_support.c: walking tables, frames and fits so the sanitizers read every value they expose. */
#include "fuzz_support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Sum that ignores NaN and infinities but still reads the value (so MSan/ASan see the load). */
static double add(double sum, double v) { return isfinite(v) ? sum + v : sum + 1; }

void fuzz_check_error(survkit_status status, const survkit_error *err)
{
    if (status == SURVKIT_OK) return;
    if (err->status != status || err->message[0] == '\0') abort();
    if (memchr(err->message, '\0', sizeof err->message) == NULL) abort();
}

double fuzz_touch_table(const survkit_table *t)
{
    double sum = 0;
    size_t n = survkit_table_n_rows(t), p = survkit_table_n_columns(t);
    for (size_t j = 0; j < p; j++) {
        sum += (double)strlen(survkit_table_column_name(t, j));
        sum += (double)survkit_table_n_missing(t, j);
        if (survkit_table_column_type(t, j) == SURVKIT_COLUMN_NUMERIC) {
            const double *x = survkit_table_numeric(t, j);
            for (size_t i = 0; i < n; i++) sum = add(sum, x[i]);
        } else {
            const int32_t *codes = survkit_table_codes(t, j);
            size_t levels = survkit_table_n_levels(t, j);
            for (size_t i = 0; i < n; i++) {
                if (codes[i] < -1 || codes[i] >= (int64_t)levels) abort();
                sum += codes[i];
            }
            for (size_t k = 0; k < levels; k++) sum += (double)strlen(survkit_table_level(t, j, k));
        }
    }
    if (p > 0 && survkit_table_find(t, survkit_table_column_name(t, 0)) != 0) abort();
    return sum;
}

static double touch_codes(const int32_t *codes, size_t n, size_t n_codes)
{
    double sum = 0;
    for (size_t i = 0; codes != NULL && i < n; i++) {
        if (codes[i] < 0 || (size_t)codes[i] >= n_codes) abort();
        sum += codes[i];
    }
    return sum;
}

double fuzz_touch_frame(const survkit_frame *f)
{
    double sum = 0;
    size_t n = survkit_frame_n(f), p = survkit_frame_p(f);
    sum += (double)strlen(survkit_frame_formula(f)) + (double)survkit_frame_n_dropped(f);
    const size_t *rows = survkit_frame_row_index(f);
    const double *start = survkit_frame_start(f), *time = survkit_frame_time(f);
    const double *status = survkit_frame_status(f), *w = survkit_frame_weights(f);
    const double *offset = survkit_frame_offset(f), *x = survkit_frame_x(f);
    for (size_t i = 0; i < n; i++) {
        if (!(status[i] == 0 || status[i] == 1)) abort();
        if (start != NULL && !(time[i] > start[i])) abort();
        sum += (double)rows[i] + time[i] + status[i];
        if (w != NULL) sum = add(sum, w[i]);
        if (offset != NULL) sum = add(sum, offset[i]);
        for (size_t j = 0; j < p; j++) sum = add(sum, x[i + j * n]);
    }
    for (size_t j = 0; j < p; j++) {
        sum += (double)strlen(survkit_frame_column_name(f, j));
        if (survkit_frame_column_term(f, j) >= survkit_frame_n_terms(f)) abort();
    }
    for (size_t k = 0; k < survkit_frame_n_terms(f); k++)
        sum += (double)strlen(survkit_frame_term_label(f, k));
    sum += touch_codes(survkit_frame_strata(f), n, survkit_frame_n_strata(f));
    for (size_t k = 0; k < survkit_frame_n_strata(f); k++)
        sum += (double)strlen(survkit_frame_strata_label(f, k));
    sum += touch_codes(survkit_frame_cluster(f), n, survkit_frame_n_clusters(f));
    sum += touch_codes(survkit_frame_groups(f), n, survkit_frame_n_groups(f));
    for (size_t k = 0; k < survkit_frame_n_groups(f); k++)
        sum += (double)strlen(survkit_frame_group_label(f, k));
    return sum;
}

static double touch_km(const survkit_km *km)
{
    double sum = 0;
    static const double probs[] = {0, 0.25, 0.5, 0.75, 1};
    for (size_t g = 0; g < survkit_km_n_groups(km); g++) {
        sum += (double)strlen(survkit_km_group_label(km, g)) + (double)survkit_km_records(km, g);
        sum = add(add(add(sum, survkit_km_n_max(km, g)), survkit_km_n_start(km, g)),
                  survkit_km_events(km, g));
        size_t m = survkit_km_n_times(km, g);
        for (int c = 0; c < SURVKIT_KM_N_COLUMNS; c++) {
            const double *col = survkit_km_column_values(km, g, (survkit_km_column)c);
            for (size_t i = 0; i < m; i++) sum = add(sum, col[i]);
        }
        double med[3], est[5], lo[5], hi[5], mean, se;
        survkit_km_median(km, g, med);
        sum = add(add(add(sum, med[0]), med[1]), med[2]);
        survkit_error err;
        survkit_status st = survkit_km_quantiles(km, g, probs, 5, est, lo, hi, &err);
        fuzz_check_error(st, &err);
        for (int k = 0; st == SURVKIT_OK && k < 5; k++) sum = add(add(add(sum, est[k]), lo[k]), hi[k]);
        if (m > 0) {
            const double *t = survkit_km_column_values(km, g, SURVKIT_KM_TIME);
            st = survkit_km_rmst(km, g, t[m - 1], &mean, &se, &err);
            fuzz_check_error(st, &err);
            if (st == SURVKIT_OK) sum = add(add(sum, mean), se);
            double at[3] = {t[0], t[m / 2], t[m - 1]}, cols[8][3];
            double *const out[8] = {cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7]};
            size_t rows = 0;
            st = survkit_km_at_times(km, g, at, 3, out, &rows, &err);
            fuzz_check_error(st, &err);
            if (rows > 3) abort();
            for (size_t r = 0; st == SURVKIT_OK && r < rows; r++)
                for (int c = 0; c < 8; c++) sum = add(sum, cols[c][r]);
        }
    }
    return sum;
}

static double touch_logrank(const survkit_logrank *lr)
{
    double sum = survkit_logrank_rho(lr) + (double)survkit_logrank_n_strata(lr);
    size_t k = survkit_logrank_n_groups(lr);
    const double *v = survkit_logrank_variance(lr);
    for (size_t g = 0; g < k; g++) {
        sum += (double)strlen(survkit_logrank_group_label(lr, g));
        sum = add(add(add(sum, survkit_logrank_n(lr)[g]), survkit_logrank_observed(lr)[g]),
                  survkit_logrank_expected(lr)[g]);
        for (size_t h = 0; h < k; h++) sum = add(sum, v[g + h * k]);
    }
    sum = add(add(sum, survkit_logrank_chisq(lr)), survkit_logrank_p(lr)) + survkit_logrank_df(lr);
    const survkit_logrank_pair *pairs = survkit_logrank_pairs(lr);
    for (size_t q = 0; q < survkit_logrank_n_pairs(lr); q++) {
        if (pairs[q].a >= pairs[q].b || pairs[q].b >= k) abort();
        sum = add(add(add(add(sum, pairs[q].chisq), pairs[q].p), pairs[q].p_holm), pairs[q].p_bh);
    }
    if (survkit_logrank_has_trend(lr)) {
        for (size_t g = 0; g < k; g++) sum = add(sum, survkit_logrank_trend_scores(lr)[g]);
        sum = add(add(sum, survkit_logrank_trend_chisq(lr)), survkit_logrank_trend_p(lr));
    }
    return sum;
}

double fuzz_fit_km_logrank(const survkit_frame *f)
{
    double sum = 0;
    survkit_error err;
    survkit_km_options kopt;
    survkit_km_options_init(&kopt);
    survkit_km *km = NULL;
    survkit_status st = survkit_km_fit_frame(f, &kopt, &km, &err);
    fuzz_check_error(st, &err);
    if (st == SURVKIT_OK) sum += touch_km(km);
    survkit_km_free(km);

    survkit_logrank_options lopt;
    survkit_logrank_options_init(&lopt);
    lopt.pairwise = true;
    lopt.trend = true;
    survkit_logrank *lr = NULL;
    st = survkit_logrank_test_frame(f, &lopt, &lr, &err);
    fuzz_check_error(st, &err);
    if (st == SURVKIT_OK) sum += touch_logrank(lr);
    survkit_logrank_free(lr);
    return sum;
}

double fuzz_fit_cox(const survkit_frame *f, int breslow)
{
    survkit_cox_options opt;
    survkit_cox_options_init(&opt);
    opt.ties = breslow ? SURVKIT_COX_BRESLOW : SURVKIT_COX_EFRON;
    survkit_cox_result *r = NULL;
    survkit_error err;
    survkit_status st = survkit_cox_fit_frame(f, &opt, &r, &err);
    fuzz_check_error(st, &err);
    if ((st == SURVKIT_OK) != (r != NULL)) abort();
    if (r == NULL) return 0;
    double sum = survkit_cox_result_n_events(r) + (double)survkit_cox_result_df(r);
    size_t p = survkit_cox_result_p(r), n = survkit_cox_result_n(r);
    if (survkit_cox_result_df(r) > p || n != survkit_frame_n(f)) abort();
    const double *arrays[] = {survkit_cox_result_coef(r), survkit_cox_result_exp_coef(r),
                              survkit_cox_result_se(r), survkit_cox_result_z(r),
                              survkit_cox_result_pvalue(r), survkit_cox_result_lower(r),
                              survkit_cox_result_upper(r), survkit_cox_result_means(r),
                              survkit_cox_result_score_vector(r), survkit_cox_result_robust_se(r)};
    for (size_t a = 0; a < sizeof arrays / sizeof arrays[0]; a++)
        for (size_t j = 0; arrays[a] != NULL && j < p; j++) sum = add(sum, arrays[a][j]);
    const double *v = survkit_cox_result_vcov(r);
    for (size_t j = 0; v != NULL && j < p * p; j++) sum = add(sum, v[j]);
    const double *lp = survkit_cox_result_linear_predictor(r);
    for (size_t i = 0; lp != NULL && i < n; i++) sum = add(sum, lp[i]);
    for (size_t j = 0; j < p; j++) sum += (double)strlen(survkit_cox_result_name(r, j));
    for (int k = SURVKIT_COX_TEST_LR; k <= SURVKIT_COX_TEST_ROBUST_SCORE; k++) {
        double stat, df, pv;
        if (survkit_cox_result_test(r, (survkit_cox_test_kind)k, &stat, &df, &pv))
            sum = add(add(add(sum, stat), df), pv);
    }
    sum = add(add(add(sum, survkit_cox_result_loglik(r)), survkit_cox_result_loglik_null(r)),
              survkit_cox_result_concordance(r));
    sum = add(sum, survkit_cox_result_concordance_se(r)) + survkit_cox_result_iterations(r);
    for (size_t k = 0; k < survkit_cox_result_n_warnings(r); k++)
        sum += (double)strlen(survkit_cox_result_warning(r, k));
    survkit_cox_result_free(r);
    return sum;
}
