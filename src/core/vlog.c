/*
 * vlog.c: log() of an array, four values at a time where the processor has AVX2 and FMA (see
 * vlog.h).
 *
 * Method: x = 2^k m with m in [sqrt(2)/2, sqrt(2)), f = m - 1 (exact), s = f / (2 + f), z = s^2:
 *
 *     log(x) = k ln 2 + log(1 + f),   log(1 + f) = 2 atanh(s) = 2s + s R(z),
 *     R(z) = sum_{j >= 1} 2 z^j / (2j + 1),   0 <= z <= ((sqrt 2 - 1) / (sqrt 2 + 1))^2 < 0.0295,
 *
 * and, as 2s = f - s f, log(1 + f) = f - (h - s (h + R)) with h = f^2 / 2: the large term f is
 * exact and the rest a small correction, so the rounding stays within one unit in the last place.
 * R is its series to j = 11 (the remainder is below 2 z^12 / 25 < 4e-20, relative to s R, well
 * below an ulp of the result). k ln 2 is added in two parts (LN2_HI has its last 11 bits zero, so k
 * LN2_HI is exact). A group of four with a value that is not a positive normal finite number
 * (0, negative, subnormal, infinite, NaN) goes through the C library's log.
 * Measured against glibc's log: within one unit in the last place (tests/unit/test_vlog.c).
 *
 * Without AVX2 and FMA (or another compiler than GCC or Clang, or another processor than x86-64)
 * every value goes through the C library's log.
 */
#include "core/vlog.h"

#include <math.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SK_VLOG_AVX2 1
#include <immintrin.h>
#endif

static void log_scalar(const double *x, double *y, size_t n)
{
    for (size_t i = 0; i < n; i++) y[i] = log(x[i]);
}

#ifdef SK_VLOG_AVX2
/* 2 / (2j + 1) for j = 11 down to 1: the Horner coefficients of R(z) / z. */
static const double SERIES[11] = {2.0 / 23, 2.0 / 21, 2.0 / 19, 2.0 / 17, 2.0 / 15, 2.0 / 13,
                                  2.0 / 11, 2.0 / 9,  2.0 / 7,  2.0 / 5,  2.0 / 3};

__attribute__((target("avx2,fma"))) static void log_avx2(const double *x, double *y, size_t n)
{
    const __m256d ln2_hi = _mm256_set1_pd(6.93147180369123816490e-01); /* 0x3fe62e42fee00000 */
    const __m256d ln2_lo = _mm256_set1_pd(1.90821492927058770002e-10);
    const __m256d smallest = _mm256_set1_pd(2.2250738585072014e-308); /* DBL_MIN */
    const __m256d largest = _mm256_set1_pd(1.7976931348623157e308);   /* DBL_MAX */
    const __m256d one = _mm256_set1_pd(1.0), two = _mm256_set1_pd(2.0), half = _mm256_set1_pd(0.5);
    const __m256i mant_mask = _mm256_set1_epi64x(0x000fffffffffffffLL);
    const __m256i one_bits = _mm256_set1_epi64x(0x3ff0000000000000LL);
    /* mantissas at or above sqrt(2) (0x6a09e667f3bcd: the fraction bits of sqrt 2) are halved */
    const __m256i sqrt2_frac = _mm256_set1_epi64x(0x0006a09e667f3bcdLL);
    const __m256i bias = _mm256_set1_epi64x(1023);
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const __m256d v = _mm256_loadu_pd(x + i);
        /* positive, normal and finite (false for NaN): both comparisons ordered */
        const __m256d ok = _mm256_and_pd(_mm256_cmp_pd(v, smallest, _CMP_GE_OQ),
                                         _mm256_cmp_pd(v, largest, _CMP_LE_OQ));
        if (_mm256_movemask_pd(ok) != 0xf) {
            log_scalar(x + i, y + i, 4);
            continue;
        }
        const __m256i bits = _mm256_castpd_si256(v);
        const __m256i frac = _mm256_and_si256(bits, mant_mask);
        /* big: the fraction is at least sqrt(2)'s, so m = 1.frac / 2 and k + 1 */
        const __m256i big = _mm256_cmpgt_epi64(frac, sqrt2_frac);
        __m256i k = _mm256_sub_epi64(_mm256_srli_epi64(bits, 52), bias);
        k = _mm256_sub_epi64(k, big); /* big is -1 where true */
        /* m = 1.frac, with exponent 0 or -1 */
        const __m256i m_bits = _mm256_sub_epi64(_mm256_or_si256(frac, one_bits),
                                                _mm256_and_si256(big, _mm256_set1_epi64x(1LL << 52)));
        const __m256d f = _mm256_sub_pd(_mm256_castsi256_pd(m_bits), one);
        const __m256d s = _mm256_div_pd(f, _mm256_add_pd(two, f));
        const __m256d z = _mm256_mul_pd(s, s);
        __m256d r = _mm256_set1_pd(SERIES[0]);
        for (int c = 1; c < 11; c++) r = _mm256_fmadd_pd(r, z, _mm256_set1_pd(SERIES[c]));
        r = _mm256_mul_pd(r, z);
        const __m256d h = _mm256_mul_pd(half, _mm256_mul_pd(f, f));
        /* k as a double: the exponent fits in 32 bits (pack the low halves) */
        const __m256i k_lo = _mm256_permutevar8x32_epi32(k, _mm256_setr_epi32(0, 2, 4, 6, 0, 0, 0, 0));
        const __m256d kd = _mm256_cvtepi32_pd(_mm256_castsi256_si128(k_lo));
        /* log(1 + f) = f - (h - (s (h + R) + k LN2_LO)), then + k LN2_HI */
        __m256d t = _mm256_fmadd_pd(s, _mm256_add_pd(h, r), _mm256_mul_pd(kd, ln2_lo));
        t = _mm256_sub_pd(f, _mm256_sub_pd(h, t));
        _mm256_storeu_pd(y + i, _mm256_fmadd_pd(kd, ln2_hi, t));
    }
    log_scalar(x + i, y + i, n - i);
}
#endif

void sk_log_array(const double *x, double *y, size_t n)
{
#ifdef SK_VLOG_AVX2
    /* libgcc reads the processor's features once, before main; this only tests them. */
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        log_avx2(x, y, n);
        return;
    }
#endif
    log_scalar(x, y, n);
}
