/*
 * sim_random.c: a portable random stream and the draws `survkit simulate` needs.
 *
 * log:  x = m 2^e with m in [sqrt(1/2), sqrt(2)); log m = 2 atanh(f), f = (m - 1)/(m + 1), |f| < 0.172,
 *       summed as 2 f (1 + f^2/3 + f^4/5 + ...) to 12 terms (f^24/25 < 1e-19); then e log 2 is added
 *       with log 2 split in a high part (exact when multiplied by e) and a low part.
 * exp:  x = k log 2 + r with |r| <= log(2)/2, exp r by its Taylor series to r^17/17!
 *       (0.347^18/18! < 1e-24), scaled by 2^k with ldexp (exact).
 * Both need only correctly rounded + - * / and exact frexp/ldexp, so every IEEE machine agrees.
 */
#include "sim_random.h"

#include <math.h>

/* log(2) = LN2_HI + LN2_LO, LN2_HI with its low 32 bits zero so that e * LN2_HI is exact. */
static const double LN2_HI = 6.93147180369123816490e-01;
static const double LN2_LO = 1.90821492927058770002e-10;
static const double INV_LN2 = 1.44269504088896338700e+00;
static const double SQRT_HALF = 0.70710678118654752440;
/* 1/(2j + 1), j = 11 .. 0: the atanh series of sim_log, innermost first. */
static const double ATANH_COEF[12] = {1.0 / 23, 1.0 / 21, 1.0 / 19, 1.0 / 17, 1.0 / 15, 1.0 / 13,
                                      1.0 / 11, 1.0 / 9,  1.0 / 7,  1.0 / 5,  1.0 / 3,  1.0};

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

void sim_rng_seed(sim_rng *rng, uint64_t seed)
{
    uint64_t x = seed;
    for (int k = 0; k < 4; k++) rng->s[k] = splitmix64(&x);
    /* splitmix64 is a bijection of a counter: four consecutive outputs are never all zero. */
    rng->spare = 0.0;
    rng->has_spare = 0;
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t sim_rng_next(sim_rng *rng)
{
    uint64_t *s = rng->s;
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double sim_uniform(sim_rng *rng)
{
    return ((double)(sim_rng_next(rng) >> 11) + 0.5) * 0x1.0p-53;
}

double sim_log(double x)
{
    if (isnan(x) || x < 0) return NAN;
    if (x == 0) return -INFINITY;
    if (isinf(x)) return x;
    int e;
    double m = frexp(x, &e); /* x = m 2^e, m in [0.5, 1) */
    if (m < SQRT_HALF) {
        m *= 2;
        e -= 1;
    }
    const double f = (m - 1) / (m + 1), s = f * f;
    double series = 0;
    for (int j = 0; j < 12; j++) series = series * s + ATANH_COEF[j];
    const double log_m = 2 * f * series;
    return (double)e * LN2_HI + (log_m + (double)e * LN2_LO);
}

double sim_exp(double x)
{
    if (isnan(x)) return x;
    if (x > 709.782712893384) return INFINITY;
    if (x < -745.2) return 0.0;
    const double k = floor(x * INV_LN2 + 0.5);
    const double r = (x - k * LN2_HI) - k * LN2_LO;
    double series = 1;
    for (int n = 17; n >= 1; n--) series = 1 + series * r / n;
    return ldexp(series, (int)k);
}

double sim_exponential(sim_rng *rng)
{
    return -sim_log(sim_uniform(rng));
}

double sim_normal(sim_rng *rng)
{
    if (rng->has_spare) {
        rng->has_spare = 0;
        return rng->spare;
    }
    double u, v, s;
    do {
        u = 2 * sim_uniform(rng) - 1;
        v = 2 * sim_uniform(rng) - 1;
        s = u * u + v * v;
    } while (s >= 1 || s == 0);
    const double factor = sqrt(-2 * sim_log(s) / s);
    rng->spare = v * factor;
    rng->has_spare = 1;
    return u * factor;
}

double sim_gamma(sim_rng *rng, double shape)
{
    if (shape < 1) {
        const double g = sim_gamma(rng, shape + 1);
        return g * sim_exp(sim_log(sim_uniform(rng)) / shape);
    }
    const double d = shape - 1.0 / 3.0, c = 1.0 / sqrt(9 * d);
    for (;;) {
        const double x = sim_normal(rng);
        double v = 1 + c * x;
        if (v <= 0) continue;
        v = v * v * v;
        const double u = sim_uniform(rng);
        const double x2 = x * x;
        if (u < 1 - 0.0331 * x2 * x2) return d * v;
        if (sim_log(u) < 0.5 * x2 + d * (1 - v + sim_log(v))) return d * v;
    }
}
