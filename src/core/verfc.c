/*
 * verfc.c: erfc() of an array (see verfc.h), where the processor has AVX2 and FMA.
 *
 * Method, for 0 <= x < 26 (beyond, erfc(x) < 1e-295 nears the subnormals: the C library):
 *
 *     erfc(x) = exp(-x^2) g(u) / (x + K),   u = (x - K) / (x + K),   K = 3.75,
 *
 * with g(u) = (x + K) erfcx(x) (erfcx(x) = erfc(x) exp(x^2), the scaled complement: g is smooth
 * and between 0.6 and 3.75 there, and u maps [0, 26) onto [-1, 0.75)) a polynomial of degree 26
 * in u, a Chebyshev fit to 1e-21 relative made with mpmath at 40 digits by
 * verfc_coefficients.py (next to this file), which printed the table below; Horner's rule in
 * double precision stays within 5.2e-16 of erfcx. x^2 = h + l exactly (l = fma(x, x, -h)) and
 * exp(-x^2) = exp(-h) (1 - l) to 1e-27 (|l| <= 4e-14): the rounding of x^2, which would cost up
 * to x^2 ulps, is not lost. exp(-h) through core/vexp.c. One polynomial for every value, so that
 * each Horner step is a multiply-add of four values with the same coefficient. Measured against
 * glibc's erfc: within 1e-15 relative (tests/unit/test_verfc.c). Negative x, x >= 26 and NaN go
 * through the C library's erfc, as does every value without AVX2 and FMA (or with another compiler
 * than GCC or Clang, or on another processor than x86-64).
 */
#include "core/verfc.h"

#include "core/vexp.h"

#include <math.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SK_VERFC_FMA 1
#endif

#ifdef SK_VERFC_FMA
enum { DEGREE = 26, CHUNK = 256 };
#define K 3.75
#define TOP 26.0

/* g(u): coefficients of u^26 down to u^0 */
static const double COEF[DEGREE + 1] = {
    -3.3386220018414168e-11, -9.810689430507892e-11, 2.3584302870629065e-10,
    1.019493349359148e-09, -9.9893970323336006e-10, -6.8865098738158004e-09,
    4.2701964776740571e-09, 4.2528922076656857e-08, -2.7817300783279322e-08,
    -2.6566273464691276e-07, 2.8028043262687982e-07, 1.657100530622692e-06,
    -3.2895236087944577e-06, -8.9043100677412663e-06, 3.7471691884892912e-05,
    1.0594074597052057e-05, -0.00034864684253619428, 0.00079482308680757106,
    0.00098633807754198327, -0.012535880039859195, 0.04911877861544154,
    -0.13195540117859819, 0.27906204903377807, -0.49047029120767682,
    0.73631892522175169, -0.9587415766529096, 1.0919229095627891
};

/* In chunks, each step a loop over the chunk (vectorised four values at a time). */
__attribute__((target("avx2,fma"))) static void erfc_fma(const double *x, double *y, size_t n)
{
    double e[CHUNK], p[CHUNK], u[CHUNK], d[CHUNK], l[CHUNK];
    for (size_t c0 = 0; c0 < n; c0 += CHUNK) {
        const size_t m = n - c0 < CHUNK ? n - c0 : CHUNK;
        const double *restrict xc = x + c0;
        for (size_t i = 0; i < m; i++) {
            const double xi = xc[i] >= 0 && xc[i] < TOP ? xc[i] : 0; /* others: below */
            const double h = xi * xi;
            d[i] = xi + K;
            u[i] = (xi - K) / d[i];
            e[i] = -h;
            l[i] = fma(xi, xi, -h);
            p[i] = COEF[0];
        }
        for (size_t j = 1; j <= DEGREE; j++)
            for (size_t i = 0; i < m; i++) p[i] = fma(p[i], u[i], COEF[j]);
        sk_exp_array(e, e, m);
        for (size_t i = 0; i < m; i++) e[i] = e[i] * (p[i] / d[i]) * (1 - l[i]);
        for (size_t i = 0; i < m; i++) y[c0 + i] = xc[i] >= 0 && xc[i] < TOP ? e[i] : erfc(xc[i]);
    }
}
#endif

void sk_erfc_array(const double *x, double *y, size_t n)
{
#ifdef SK_VERFC_FMA
    /* libgcc reads the processor's features once, before main; this only tests them. */
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        erfc_fma(x, y, n);
        return;
    }
#endif
    for (size_t i = 0; i < n; i++) y[i] = erfc(x[i]);
}
