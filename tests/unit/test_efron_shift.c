/*
 * test_efron_shift.c: the Breslow/Efron kernel (sk_cox_efron_eval) where exp(eta) would overflow.
 * When some eta exceeds 700 the kernel computes each stratum's risks relative to a shift (efron.c,
 * as R's agfit4 recentres); the partial likelihood and its score do not depend on it. They are
 * checked here against a direct evaluation in long double with the largest eta of each risk set
 * subtracted (the log-sum-exp rule), on 60 rows in two strata with tied event times, for Efron and
 * Breslow ties: in stratum 0 eta runs from -59 to 59, in stratum 1 an offset of 700 moves it to 641
 * to 759, where exp overflows. (A spread of eta wider than about 1400 within a stratum cannot be
 * held by any one shift; R's agfit4 stops there with "exp overflow due to covariates".) The
 * reference is the definition:
 *
 *   Breslow: loglik = sum_k [ sum_{i dies at k} eta_i - d_k log S0_k ]
 *   Efron:   loglik = sum_k [ sum_{i dies at k} eta_i - sum_{l<d_k} log(S0_k - l/d_k E0_k) ]
 *
 * with S0_k the sum of exp(eta) over the risk set of event time k and E0_k over its deaths; the
 * score is the derivative in beta, U = sum_k [ sum_{deaths} x_i - sum_l (S1_k - l/d_k E1_k) /
 * (S0_k - l/d_k E0_k) ] (Breslow: l = 0 only, d_k times), and the information minus the second
 * derivative, I = sum_k sum_l [ S2_kl / den_kl - (S1_kl / den_kl)^2 ] with S1_kl, S2_kl the same
 * differences of the sums of r x and r x^2.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "cox/cox_internal.h"

enum { N = 60 };

typedef struct reference {
    long double loglik, score, information;
} reference;

/* The definition above for one covariate x (eta = offset + beta (x - mean)), strata by codes. */
static reference direct(const double *time, const double *status, const int32_t *stratum,
                        const double *x, const double *offset, double mean, double beta,
                        bool efron)
{
    reference ref = {0, 0, 0};
    bool done[N] = {false}; /* event times already counted, by their first death */
    for (size_t i = 0; i < N; i++) {
        if (status[i] != 1 || done[i]) continue;
        /* the event time time[i] of stratum stratum[i]: its deaths and its risk set */
        long double top = -INFINITY;
        for (size_t j = 0; j < N; j++)
            if (stratum[j] == stratum[i] && time[j] >= time[i])
                top = fmaxl(top, offset[j] + (long double)beta * (x[j] - mean));
        long double s0 = 0, s1 = 0, s2 = 0, e0 = 0, e1 = 0, e2 = 0, eta_sum = 0, x_sum = 0;
        size_t d = 0;
        for (size_t j = 0; j < N; j++) {
            if (stratum[j] != stratum[i] || time[j] < time[i]) continue;
            const long double eta = offset[j] + (long double)beta * (x[j] - mean);
            const long double r = expl(eta - top);
            s0 += r;
            s1 += r * x[j];
            s2 += r * x[j] * x[j];
            if (time[j] == time[i] && status[j] == 1) {
                e0 += r;
                e1 += r * x[j];
                e2 += r * x[j] * x[j];
                eta_sum += eta;
                x_sum += x[j];
                d++;
                done[j] = true;
            }
        }
        ref.loglik += eta_sum;
        ref.score += x_sum;
        for (size_t l = 0; l < d; l++) {
            const long double f = efron ? (long double)l / (long double)d : 0;
            const long double den = s0 - f * e0, mean_x = (s1 - f * e1) / den;
            ref.loglik -= logl(den) + top;
            ref.score -= mean_x;
            ref.information += (s2 - f * e2) / den - mean_x * mean_x;
        }
    }
    return ref;
}

static void check(bool efron)
{
    double time[N], status[N], x[N], weights[N], offset[N];
    int32_t stratum[N];
    double mean = 0;
    for (size_t i = 0; i < N; i++) {
        time[i] = (double)((i * 7) % 23 + 1); /* 23 distinct days: ties of up to three */
        status[i] = (i % 4 != 3);
        stratum[i] = (int32_t)(i % 2);
        offset[i] = stratum[i] == 1 ? 700.0 : 0.0;
        x[i] = (double)i / 10;
        weights[i] = 1;
        mean += x[i];
    }
    mean /= N;
    const double beta = 20.0; /* beta (x - mean) = 2 (i - 29.5): from -59 to 59 */

    sk_cox_layout lay;
    survkit_error err;
    assert_int_equal(sk_cox_layout_build(N, NULL, time, status, NULL, stratum, 2, false, &lay, &err),
                     SURVKIT_OK);
    const sk_cox_problem pb = {&lay, N, 1, x, &mean, weights, true, offset, status, efron, NULL};
    sk_cox_work *w = NULL;
    assert_int_equal(sk_cox_work_create(&pb, &w, &err), SURVKIT_OK);
    double u = 0, imat = 0;
    const double loglik = sk_cox_efron_eval(&pb, w, &beta, &u, &imat);
    const reference ref = direct(time, status, stratum, x, offset, mean, beta, efron);
    assert_true(isfinite(loglik) && isfinite(u) && isfinite(imat) && imat >= 0);
    assert_true(fabsl((long double)loglik - ref.loglik) <= 1e-12L * fabsl(ref.loglik));
    assert_true(fabsl((long double)u - ref.score) <= 1e-9L * fmaxl(1, fabsl(ref.score)));
    assert_true(fabsl((long double)imat - ref.information) <= 1e-9L * ref.information);
    sk_cox_work_free(w);
    sk_cox_layout_free(&lay);
}

static void test_efron_past_exp_overflow(void **state)
{
    (void)state;
    check(true);
}

static void test_breslow_past_exp_overflow(void **state)
{
    (void)state;
    check(false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_efron_past_exp_overflow),
        cmocka_unit_test(test_breslow_past_exp_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
