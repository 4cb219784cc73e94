/*
 * test_counts.c: Kaplan-Meier and survdiff from per-time counts (survkit_km_fit_counts,
 * survkit_logrank_test_counts, what libsurvkit-mpi reduces across ranks) equal the fits from the
 * rows (themselves checked against R in test_km.c and test_logrank.c), on tied integer times with
 * weights, groups and strata. The counts are made here by plain loops over the rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "survkit/survkit.h"

#define N 400
#define K 3
#define S 2
#define T 25 /* times 1..T */

static double time_[N], status_[N], weight_[N];
static int32_t group_[N], stratum_[N];

static void make_data(void)
{
    uint32_t x = 12345;
    for (size_t i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        time_[i] = 1 + (double)((x >> 8) % T);
        x = x * 1103515245u + 12345u;
        status_[i] = ((x >> 9) % 3) != 0;
        x = x * 1103515245u + 12345u;
        group_[i] = (int32_t)((x >> 10) % K);
        stratum_[i] = (int32_t)((x >> 12) % S);
        weight_[i] = 1 + (double)((x >> 14) % 3); /* integer weights: Greenwood, as R */
    }
}

static void assert_close(double a, double b)
{
    if (a == b) return; /* also infinite limits */
    if (!(fabs(a - b) <= 1e-12 * fmax(1, fabs(b)))) fprintf(stderr, "%.17g != %.17g\n", a, b);
    assert_true(fabs(a - b) <= 1e-12 * fmax(1, fabs(b)));
}

static void test_km(int ctype)
{
    make_data();
    survkit_km_options opt;
    survkit_km_options_init(&opt);
    opt.ctype = ctype;
    survkit_error err;
    survkit_km *rows = NULL, *counted = NULL;
    assert_int_equal(survkit_km_fit(N, NULL, time_, status_, weight_, group_, K, NULL, &opt, &rows,
                                    &err), SURVKIT_OK);
    /* counts on the grid (group, time 1..T), then only the times that occur */
    static double risk[K][T], ev[K][T], ce[K][T], dd[K][T], tt[K][T];
    static double c_time[K][T], c_risk[K][T], c_ev[K][T], c_ce[K][T], c_dd[K][T];
    size_t records[K] = {0};
    memset(risk, 0, sizeof risk);
    memset(ev, 0, sizeof ev);
    memset(ce, 0, sizeof ce);
    memset(dd, 0, sizeof dd);
    memset(tt, 0, sizeof tt);
    for (size_t i = 0; i < N; i++) {
        size_t g = (size_t)group_[i], t = (size_t)time_[i] - 1;
        records[g]++;
        tt[g][t] += 1;
        if (status_[i] == 1) {
            ev[g][t] += weight_[i];
            dd[g][t] += 1;
        } else {
            ce[g][t] += weight_[i];
        }
        for (size_t u = 0; u <= t; u++) risk[g][u] += weight_[i];
    }
    survkit_km_counts counts[K];
    for (size_t g = 0; g < K; g++) {
        size_t m = 0;
        for (size_t t = 0; t < T; t++)
            if (tt[g][t] > 0) {
                c_time[g][m] = (double)t + 1;
                c_risk[g][m] = risk[g][t];
                c_ev[g][m] = ev[g][t];
                c_ce[g][m] = ce[g][t];
                c_dd[g][m] = dd[g][t];
                m++;
            }
        counts[g] = (survkit_km_counts){m, records[g], c_time[g], c_risk[g], c_ev[g], c_ce[g], c_dd[g]};
    }
    assert_int_equal(survkit_km_fit_counts(K, counts, NULL, false, &opt, &counted, &err), SURVKIT_OK);
    for (size_t g = 0; g < K; g++) {
        assert_int_equal(survkit_km_n_times(counted, g), survkit_km_n_times(rows, g));
        assert_int_equal(survkit_km_records(counted, g), survkit_km_records(rows, g));
        assert_close(survkit_km_n_max(counted, g), survkit_km_n_max(rows, g));
        assert_close(survkit_km_events(counted, g), survkit_km_events(rows, g));
        for (int c = 0; c < SURVKIT_KM_N_COLUMNS; c++) {
            const double *a = survkit_km_column_values(counted, g, (survkit_km_column)c);
            const double *b = survkit_km_column_values(rows, g, (survkit_km_column)c);
            for (size_t j = 0; j < survkit_km_n_times(rows, g); j++)
                if (!(isnan(a[j]) && isnan(b[j]))) assert_close(a[j], b[j]);
        }
        double ma[3], mb[3];
        survkit_km_median(counted, g, ma);
        survkit_km_median(rows, g, mb);
        for (int j = 0; j < 3; j++)
            if (!(isnan(ma[j]) && isnan(mb[j]))) assert_close(ma[j], mb[j]);
    }
    survkit_km_free(rows);
    survkit_km_free(counted);
    /* the robust variance needs the rows */
    opt.robust = 1;
    assert_int_equal(survkit_km_fit_counts(K, counts, NULL, false, &opt, &counted, &err),
                     SURVKIT_ERR_ARGUMENT);
}

static void km_ctype1(void **state) { (void)state; test_km(1); }
static void km_ctype2(void **state) { (void)state; test_km(2); }

static void test_logrank(double rho, bool strata, bool trend)
{
    make_data();
    survkit_logrank_options opt;
    survkit_logrank_options_init(&opt);
    opt.rho = rho;
    opt.trend = trend;
    survkit_error err;
    survkit_logrank *rows = NULL, *counted = NULL;
    assert_int_equal(survkit_logrank_test(N, time_, status_, group_, K, strata ? stratum_ : NULL,
                                          strata ? S : 0, NULL, &opt, &rows, &err), SURVKIT_OK);
    static double ended[S * T * K], deaths[S * T * K], c_ended[S * T * K], c_deaths[S * T * K];
    static int32_t cell_stratum[S * T];
    for (size_t i = 0; i < S * T * K; i++) ended[i] = deaths[i] = 0;
    for (size_t i = 0; i < N; i++) {
        size_t s = strata ? (size_t)stratum_[i] : 0, t = (size_t)time_[i] - 1;
        ended[(s * T + t) * K + (size_t)group_[i]] += 1;
        deaths[(s * T + t) * K + (size_t)group_[i]] += status_[i];
    }
    size_t cells = 0;
    for (size_t c = 0; c < S * T; c++) {
        double any = 0;
        for (size_t g = 0; g < K; g++) any += ended[c * K + g];
        if (any == 0) continue;
        for (size_t g = 0; g < K; g++) {
            c_ended[cells * K + g] = ended[c * K + g];
            c_deaths[cells * K + g] = deaths[c * K + g];
        }
        cell_stratum[cells++] = (int32_t)(c / T);
    }
    assert_int_equal(survkit_logrank_test_counts(cells, strata ? cell_stratum : NULL, S, K, c_ended,
                                                 c_deaths, NULL, &opt, &counted, &err),
                     SURVKIT_OK);
    assert_int_equal(survkit_logrank_df(counted), survkit_logrank_df(rows));
    assert_close(survkit_logrank_chisq(counted), survkit_logrank_chisq(rows));
    assert_close(survkit_logrank_p(counted), survkit_logrank_p(rows));
    for (size_t g = 0; g < K; g++) {
        assert_close(survkit_logrank_n(counted)[g], survkit_logrank_n(rows)[g]);
        assert_close(survkit_logrank_observed(counted)[g], survkit_logrank_observed(rows)[g]);
        assert_close(survkit_logrank_expected(counted)[g], survkit_logrank_expected(rows)[g]);
        for (size_t h = 0; h < K; h++)
            assert_close(survkit_logrank_variance(counted)[g * K + h],
                         survkit_logrank_variance(rows)[g * K + h]);
    }
    survkit_logrank_free(rows);
    survkit_logrank_free(counted);
    /* the pairwise tests from each pair's two columns of the counts equal those on the rows */
    opt.pairwise = true;
    assert_int_equal(survkit_logrank_test(N, time_, status_, group_, K, strata ? stratum_ : NULL,
                                          strata ? S : 0, NULL, &opt, &rows, &err), SURVKIT_OK);
    assert_int_equal(survkit_logrank_test_counts(cells, strata ? cell_stratum : NULL, S, K, c_ended,
                                                 c_deaths, NULL, &opt, &counted, &err),
                     SURVKIT_OK);
    assert_int_equal(survkit_logrank_n_pairs(counted), K * (K - 1) / 2);
    assert_int_equal(survkit_logrank_n_pairs(counted), survkit_logrank_n_pairs(rows));
    for (size_t k = 0; k < survkit_logrank_n_pairs(rows); k++) {
        const survkit_logrank_pair *a = &survkit_logrank_pairs(counted)[k];
        const survkit_logrank_pair *b = &survkit_logrank_pairs(rows)[k];
        assert_int_equal(a->a, b->a);
        assert_int_equal(a->b, b->b);
        assert_int_equal(a->df, b->df);
        assert_close(a->chisq, b->chisq);
        assert_close(a->p, b->p);
        assert_close(a->p_holm, b->p_holm);
        assert_close(a->p_bh, b->p_bh);
    }
    survkit_logrank_free(rows);
    survkit_logrank_free(counted);
}

static void logrank_plain(void **state) { (void)state; test_logrank(0, false, false); }
static void logrank_strata(void **state) { (void)state; test_logrank(0, true, true); }
static void peto_strata(void **state) { (void)state; test_logrank(1, true, false); }
static void rho_half(void **state) { (void)state; test_logrank(0.5, false, true); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(km_ctype1),     cmocka_unit_test(km_ctype2),
        cmocka_unit_test(logrank_plain), cmocka_unit_test(logrank_strata),
        cmocka_unit_test(peto_strata),   cmocka_unit_test(rho_half),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
