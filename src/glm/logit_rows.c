/*
 * logit_rows.c: the per-row work of one IRLS evaluation for the logit link and a response in
 * {0, 1} (the common case), from one exp per row: with e = exp(eta) (core/vexp.c),
 *
 *   mu  = e / (1 + e), e clamped to DBL_EPSILON below eta = -30 and 1/DBL_EPSILON above 30
 *   dev = 2 w log(1/mu) where y = 1, 2 w log(1/(1 - mu)) where y = 0
 *   d   = mu.eta = e / (1 + e)^2, DBL_EPSILON beyond +-30
 *   z   = (eta - offset) + (y - mu) / d,  wt = w d^2 / (mu (1 - mu))   (0 where w = 0)
 *
 * These are link.c's formulas operation for operation (R's C_logit_linkinv, C_logit_mu_eta and
 * C_binomial_dev_resids): with y in {0, 1} one of R's two deviance terms is 0 (a term whose y
 * factor is 0 is 0), so one log per row instead of two, and y/mu is 1/mu. The AVX2 loop does the
 * same operations four rows at a time (no fused multiply-adds), so both paths give the same
 * numbers as the scalar one; the logs of a block go through core/vlog.c.
 */
#include "glm/glm_internal.h"
#include "core/vexp.h"
#include "core/vlog.h"

#include <float.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SK_LOGIT_AVX2 1
#include <immintrin.h>
#endif

#define LOGIT_THRESH 30.0

/* Rows [i0, n): mu, the deviance's log argument, and (when z) z and wt. Returns the informative
 * rows (w > 0: d is never 0 here); *zero_variance when some such row has mu (1 - mu) = 0. */
static size_t rows_plain(const sk_glm_rows *r, const double *e, size_t i0, double *arg,
                         bool *zero_variance)
{
    size_t n_good = 0;
    for (size_t i = i0; i < r->n; i++) {
        const double eta = r->eta[i];
        const bool out = eta < -LOGIT_THRESH || eta > LOGIT_THRESH;
        const double ec = eta < -LOGIT_THRESH  ? DBL_EPSILON
                          : eta > LOGIT_THRESH ? 1 / DBL_EPSILON
                                               : e[i];
        const double one_plus = 1 + ec, m = ec / one_plus;
        r->mu[i] = m;
        arg[i] = 1 / (r->y[i] == 1 ? m : 1 - m);
        if (r->z == NULL) continue;
        const double w = r->weights[i], var = m * (1 - m);
        const double d = out ? DBL_EPSILON : ec / (one_plus * one_plus);
        const double off = r->offset ? r->offset[i] : 0;
        const bool good = w > 0;
        *zero_variance |= good && var == 0;
        r->z[i] = good ? (eta - off) + (r->y[i] - m) / d : 0;
        r->wt[i] = good ? (w * d * d) / var : 0;
        n_good += good;
    }
    return n_good;
}

#ifdef SK_LOGIT_AVX2
__attribute__((target("avx2"))) static size_t rows_avx2(const sk_glm_rows *r, const double *e,
                                                        double *arg, bool *zero_variance,
                                                        size_t *done)
{
    const __m256d lo_t = _mm256_set1_pd(-LOGIT_THRESH), hi_t = _mm256_set1_pd(LOGIT_THRESH);
    const __m256d eps = _mm256_set1_pd(DBL_EPSILON), big = _mm256_set1_pd(1 / DBL_EPSILON);
    const __m256d one = _mm256_set1_pd(1.0), zero = _mm256_setzero_pd();
    size_t n_good = 0, i = 0;
    __m256d zv = zero;
    for (; i + 4 <= r->n; i += 4) {
        const __m256d eta = _mm256_loadu_pd(r->eta + i), y = _mm256_loadu_pd(r->y + i);
        const __m256d below = _mm256_cmp_pd(eta, lo_t, _CMP_LT_OQ);
        const __m256d above = _mm256_cmp_pd(eta, hi_t, _CMP_GT_OQ);
        __m256d ec = _mm256_blendv_pd(_mm256_loadu_pd(e + i), eps, below);
        ec = _mm256_blendv_pd(ec, big, above);
        const __m256d one_plus = _mm256_add_pd(one, ec), m = _mm256_div_pd(ec, one_plus);
        const __m256d one_minus = _mm256_sub_pd(one, m);
        _mm256_storeu_pd(r->mu + i, m);
        const __m256d y1 = _mm256_cmp_pd(y, one, _CMP_EQ_OQ);
        _mm256_storeu_pd(arg + i, _mm256_div_pd(one, _mm256_blendv_pd(one_minus, m, y1)));
        if (r->z == NULL) continue;
        const __m256d w = _mm256_loadu_pd(r->weights + i), var = _mm256_mul_pd(m, one_minus);
        const __m256d d = _mm256_blendv_pd(_mm256_div_pd(ec, _mm256_mul_pd(one_plus, one_plus)),
                                           eps, _mm256_or_pd(below, above));
        const __m256d off = r->offset ? _mm256_loadu_pd(r->offset + i) : zero;
        const __m256d good = _mm256_cmp_pd(w, zero, _CMP_GT_OQ);
        zv = _mm256_or_pd(zv, _mm256_and_pd(good, _mm256_cmp_pd(var, zero, _CMP_EQ_OQ)));
        const __m256d z = _mm256_add_pd(_mm256_sub_pd(eta, off),
                                        _mm256_div_pd(_mm256_sub_pd(y, m), d));
        const __m256d wt = _mm256_div_pd(_mm256_mul_pd(_mm256_mul_pd(w, d), d), var);
        _mm256_storeu_pd(r->z + i, _mm256_and_pd(z, good));
        _mm256_storeu_pd(r->wt + i, _mm256_and_pd(wt, good));
        n_good += (size_t)__builtin_popcount((unsigned)_mm256_movemask_pd(good));
    }
    *zero_variance |= _mm256_movemask_pd(zv) != 0;
    *done = i;
    return n_good;
}
#endif

size_t sk_glm_logit_rows(const sk_glm_rows *r, bool *zero_variance)
{
    double e[SK_GLM_DEV_BLOCK], *arg = r->dev;
    sk_exp_array(r->eta, e, r->n);
    size_t done = 0, n_good = 0;
#ifdef SK_LOGIT_AVX2
    /* libgcc reads the processor's features once, before main; this only tests them. */
    if (__builtin_cpu_supports("avx2")) n_good = rows_avx2(r, e, arg, zero_variance, &done);
#endif
    n_good += rows_plain(r, e, done, arg, zero_variance);
    sk_log_array(arg, arg, r->n);
    for (size_t i = 0; i < r->n; i++) r->dev[i] = 2 * r->weights[i] * arg[i];
    return n_good;
}
