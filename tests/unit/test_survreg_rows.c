/* test_survreg_rows.c: the block row kernel (survreg_rows.c) against the row-by-row kernel
 * (survreg_row.h, survregc1's formulas, which the survreg goldens check against R), for every
 * distribution, every censoring code, two strata, weights, a block length that is not a multiple
 * of four, and rows whose probability underflows to 0 (survregc1's g = -200 branch). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "survreg/survreg_row.h"
#include "survreg/survreg_rows.h"

enum { N = 41 };

/* |got - want| within 1e-12 relative (an ulp or two of rounding differences, amplified a little
 * where ddg = temp2 - dg^2 cancels) */
static void assert_close(double got, double want, size_t row, const char *what)
{
    const double tol = 1e-12 * (1 + fabs(want));
    if (!(fabs(got - want) <= tol))
        fail_msg("row %zu %s: block %.17g, row kernel %.17g", row, what, got, want);
}

static void check_base(sk_sr_base base)
{
    double y1[N], y2[N], w[N], eta[SK_SR_ROWS_MAX];
    uint8_t status[N];
    int32_t strata[N];
    const double sigma[2] = {0.7, 1.9}, log_sigma[2] = {log(0.7), log(1.9)};
    const double inv[2] = {1 / 0.7, 1 / 1.9};
    for (size_t i = 0; i < N; i++) {
        status[i] = (uint8_t)(i % 4); /* right, exact, left, interval in turn */
        strata[i] = (int32_t)(i % 3 == 0);
        w[i] = 0.5 + (double)(i % 5) / 4;
        y1[i] = -2.0 + 0.1 * (double)i;
        y2[i] = y1[i] + 0.05 + 0.02 * (double)(i % 7);
        eta[i] = 0.3 - 0.05 * (double)i;
    }
    /* probabilities that underflow: far into the tails, for each code */
    for (size_t i = 0; i < 8; i++) /* z = +800 for right-censored and exact rows, else -800 */
        eta[i] = (status[i] == SK_SR_RIGHT || status[i] == SK_SR_EXACT ? -1 : 1) * 800.0 * sigma[strata[i]];
    const sk_sr_problem pb = {.n = N, .nvar = 1, .nstrat = 2, .y1 = y1, .y2 = y2, .status = status,
                              .w = w, .strata = strata, .base = base};
    const sk_sr_scales sc = {sigma, inv, log_sigma};
    double *scratch = malloc(sk_sr_rows_scratch_size() * sizeof(double));
    double *arr[9];
    for (size_t k = 0; k < 9; k++) arr[k] = malloc(SK_SR_ROWS_MAX * sizeof(double));
    assert_non_null(scratch);
    const sk_sr_rows_out o = {arr[0], arr[1], arr[2], arr[3], arr[4], arr[5], arr[6], arr[7], arr[8]};
    sk_sr_rows_block(&pb, &sc, 0, N, eta, true, true, scratch, &o);
    size_t small = 0;
    for (size_t i = 0; i < N; i++) {
        const size_t k = (size_t)strata[i];
        sk_sr_row d;
        sk_sr_row_derivs(base, status[i], y1[i], y2[i], eta[i], sigma[k], log_sigma[k], NULL,
                         NULL, &d);
        small += d.g == SK_SR_SMALL;
        assert_close(o.gw[i], d.g * w[i], i, "w g");
        assert_close(o.a[i], d.dg * w[i], i, "w dg");
        assert_close(o.c[i], -d.ddg * w[i], i, "-w ddg");
        assert_close(o.e[i], -d.dsg * w[i], i, "-w dsg");
        assert_close(o.ds[i], d.dsig * w[i], i, "w dsig");
        assert_close(o.dss[i], -d.ddsig * w[i], i, "-w ddsig");
        assert_close(o.jd[i], d.dg * d.dg * w[i], i, "w dg^2");
        assert_close(o.js[i], d.dsig * d.dg * w[i], i, "w dsig dg");
        assert_close(o.jss[i], d.dsig * d.dsig * w[i], i, "w dsig^2");
    }
    assert_true(small >= 6); /* the underflow branch was exercised */
    /* the log-likelihood alone gives the same terms */
    double gw_only[SK_SR_ROWS_MAX];
    memcpy(gw_only, o.gw, sizeof gw_only);
    const sk_sr_rows_out g_only = {.gw = o.gw};
    sk_sr_rows_block(&pb, &sc, 0, N, eta, false, false, scratch, &g_only);
    for (size_t i = 0; i < N; i++) assert_close(o.gw[i], gw_only[i], i, "w g alone");
    /* a block that starts inside the data reads its own rows */
    sk_sr_rows_block(&pb, &sc, 5, N - 5, eta + 5, true, false, scratch, &o);
    for (size_t i = 0; i < N - 5; i++) assert_close(o.gw[i], gw_only[i + 5], i, "w g from row 5");
    for (size_t k = 0; k < 9; k++) free(arr[k]);
    free(scratch);
}

static void test_extreme(void **state)
{
    (void)state;
    check_base(SK_SR_EXTREME);
}

static void test_logistic(void **state)
{
    (void)state;
    check_base(SK_SR_LOGISTIC);
}

static void test_gaussian(void **state)
{
    (void)state;
    check_base(SK_SR_GAUSSIAN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extreme),
        cmocka_unit_test(test_logistic),
        cmocka_unit_test(test_gaussian),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
