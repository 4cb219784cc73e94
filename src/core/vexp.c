/*
 * vexp.c: exp() of an array, four values at a time where the processor has AVX2 and FMA (see
 * vexp.h).
 *
 * Method (Cody and Waite's reduction, then a polynomial): with k = round(x / ln 2),
 *
 *     exp(x) = 2^k exp(r),    r = x - k ln 2,    |r| <= ln(2) / 2 = 0.347,
 *
 * where k ln 2 is subtracted in two parts (LN2_HI has its last 11 bits zero, so k LN2_HI is exact
 * for |k| < 2^11 and r carries no error beyond LN2_LO's), and exp(r) is its Taylor polynomial of
 * degree 13, whose remainder is below r^14 / 14! < 5e-18 (relative), evaluated by Horner's rule
 * with fused multiply-adds. 2^k is built in the exponent bits. The whole range of the fast path,
 * -708 <= x <= 709, keeps k within the normal exponents; a group of four with any value outside
 * it (overflow, underflow to subnormals, infinities, NaN) is computed by the C library's exp.
 * Measured against glibc's exp: within one unit in the last place (tests/unit/test_vexp.c).
 *
 * Without AVX2 and FMA (or another compiler than GCC or Clang, or another processor than x86-64)
 * every value goes through the C library's exp.
 */
#include "core/vexp.h"

#include <math.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SK_VEXP_AVX2 1
#include <immintrin.h>
#endif

static void exp_scalar(const double *x, double *y, size_t n)
{
    for (size_t i = 0; i < n; i++) y[i] = exp(x[i]);
}

#ifdef SK_VEXP_AVX2
/* 1 / k! for k = 13 down to 0: the Horner coefficients of exp(r). */
static const double TAYLOR[14] = {
    1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0,
    1.0 / 40320.0,      1.0 / 5040.0,      1.0 / 720.0,      1.0 / 120.0,     1.0 / 24.0,
    1.0 / 6.0,          0.5,               1.0,              1.0};

__attribute__((target("avx2,fma"))) static void exp_avx2(const double *x, double *y, size_t n)
{
    const __m256d log2e = _mm256_set1_pd(1.4426950408889634);
    const __m256d ln2_hi = _mm256_set1_pd(6.93147180369123816490e-01); /* 0x3fe62e42fee00000 */
    const __m256d ln2_lo = _mm256_set1_pd(1.90821492927058770002e-10);
    const __m256d lowest = _mm256_set1_pd(-708.0), highest = _mm256_set1_pd(709.0);
    const __m256i bias = _mm256_set1_epi64x(1023);
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const __m256d v = _mm256_loadu_pd(x + i);
        /* in range (false for NaN): both comparisons ordered */
        const __m256d ok = _mm256_and_pd(_mm256_cmp_pd(v, lowest, _CMP_GE_OQ),
                                         _mm256_cmp_pd(v, highest, _CMP_LE_OQ));
        if (_mm256_movemask_pd(ok) != 0xf) {
            exp_scalar(x + i, y + i, 4);
            continue;
        }
        const __m256d k = _mm256_round_pd(_mm256_mul_pd(v, log2e),
                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        __m256d r = _mm256_fnmadd_pd(k, ln2_hi, v);
        r = _mm256_fnmadd_pd(k, ln2_lo, r);
        __m256d p = _mm256_set1_pd(TAYLOR[0]);
        for (int c = 1; c < 14; c++) p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(TAYLOR[c]));
        /* 2^k: k + 1023 in the exponent field (k is an exact integer in a double) */
        const __m128i k32 = _mm256_cvtpd_epi32(k);
        const __m256i k64 = _mm256_cvtepi32_epi64(k32);
        const __m256i bits = _mm256_slli_epi64(_mm256_add_epi64(k64, bias), 52);
        _mm256_storeu_pd(y + i, _mm256_mul_pd(p, _mm256_castsi256_pd(bits)));
    }
    exp_scalar(x + i, y + i, n - i);
}
#endif

void sk_exp_array(const double *x, double *y, size_t n)
{
#ifdef SK_VEXP_AVX2
    /* libgcc reads the processor's features once, before main; this only tests them. */
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        exp_avx2(x, y, n);
        return;
    }
#endif
    exp_scalar(x, y, n);
}
