/*
 * test_blas_threads.c: survkit_blas_set_threads (survkit/blas.h). The count is refused below 1 and
 * read back as set; and a Cox fit large enough for OpenBLAS to split its SYRKs and GEMMs (200,000
 * rows x 12 columns on two kernel threads, with its concordance) gives the same bits with one BLAS
 * thread as with two; cox.zph's test statistics, whose products OpenBLAS tiles differently by
 * thread count, agree to 1e-12 relative.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "survkit/survkit.h"

enum { ROWS = 200000, COLUMNS = 12, BINARY = 6 };

typedef struct cohort {
    double time[ROWS], status[ROWS], x[ROWS * COLUMNS];
} cohort;

/* A fixed pseudo-random cohort (xorshift64): integer days 1..900, about 70% events; the first
 * BINARY columns 0/1, the others uniform on (-2, 2). */
static void make_cohort(cohort *c)
{
    uint64_t s = 88172645463325252ULL;
    for (size_t i = 0; i < ROWS; i++) {
        for (size_t j = 0; j < COLUMNS; j++) {
            s ^= s << 13, s ^= s >> 7, s ^= s << 17;
            const double u = (double)(s >> 11) / 9007199254740992.0;
            c->x[i + j * ROWS] = j < BINARY ? (double)(u < 0.4) : 4 * u - 2;
        }
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        c->time[i] = (double)(1 + (s >> 11) % 900);
        c->status[i] = (double)((s >> 40) % 10 < 7);
    }
}

static void test_refuses_zero(void **state)
{
    (void)state;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_blas_set_threads(0, &err), SURVKIT_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "at least 1"));
    assert_int_equal(survkit_blas_set_threads(-3, NULL), SURVKIT_ERR_ARGUMENT);
    assert_int_equal(survkit_blas_set_threads(1, &err), SURVKIT_OK);
    assert_int_equal(survkit_blas_threads(), 1);
}

typedef struct fit_bits {
    double coef[COLUMNS], vcov[COLUMNS * COLUMNS], loglik, concordance, concordance_se;
    double zph_chisq[COLUMNS + 1]; /* not compared bit for bit */
} fit_bits;

static void fit_with_threads(const cohort *c, int threads, fit_bits *out)
{
    assert_int_equal(survkit_blas_set_threads(threads, NULL), SURVKIT_OK);
    assert_int_equal(survkit_blas_threads(), threads);
    survkit_cox_data d = {0};
    d.n = ROWS, d.p = COLUMNS, d.time = c->time, d.status = c->status, d.x = c->x;
    survkit_cox_result *r = NULL;
    survkit_error err;
    assert_int_equal(survkit_cox_fit_arrays(&d, NULL, &r, &err), SURVKIT_OK);
    memcpy(out->coef, survkit_cox_result_coef(r), sizeof out->coef);
    memcpy(out->vcov, survkit_cox_result_vcov(r), sizeof out->vcov);
    out->loglik = survkit_cox_result_loglik(r);
    out->concordance = survkit_cox_result_concordance(r);
    out->concordance_se = survkit_cox_result_concordance_se(r);
    survkit_cox_model *m = NULL;
    assert_int_equal(survkit_cox_model_create(r, &d, NULL, &m, &err), SURVKIT_OK);
    survkit_zph *z = NULL;
    assert_int_equal(survkit_cox_zph(m, &d, SURVKIT_ZPH_KM, &z, &err), SURVKIT_OK);
    assert_int_equal(survkit_zph_n_rows(z), COLUMNS + 1);
    for (size_t k = 0; k <= COLUMNS; k++) out->zph_chisq[k] = survkit_zph_chisq(z, k);
    survkit_zph_free(z);
    survkit_cox_model_free(m);
    survkit_cox_result_free(r);
}

static void test_same_bits_on_one_and_two_threads(void **state)
{
    (void)state;
    cohort *c = malloc(sizeof *c);
    assert_non_null(c);
    make_cohort(c);
    fit_bits one, two;
    const int before = survkit_blas_threads();
    fit_with_threads(c, 1, &one);
    fit_with_threads(c, 2, &two);
    assert_int_equal(survkit_blas_set_threads(before, NULL), SURVKIT_OK);
    assert_true(one.loglik < 0); /* a real fit, not zeros on both sides */
    assert_true(one.concordance > 0.5 && one.concordance < 1);
    assert_memory_equal(&one, &two, offsetof(fit_bits, zph_chisq));
    for (size_t k = 0; k <= COLUMNS; k++) {
        assert_true(one.zph_chisq[k] > 0);
        assert_true(fabs(one.zph_chisq[k] - two.zph_chisq[k]) <= 1e-12 * one.zph_chisq[k]);
    }
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refuses_zero),
        cmocka_unit_test(test_same_bits_on_one_and_two_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
