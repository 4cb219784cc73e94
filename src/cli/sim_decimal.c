/* sim_decimal.c: values rounded to D significant digits, written as text that round-trips. */
#include "sim_decimal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The powers of ten that are exact doubles. */
static const double POW10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
static const uint64_t POW10_INT[20] = {
    1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL, 100000000ULL,
    1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL, 10000000000000ULL,
    100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
    1000000000000000000ULL, 10000000000000000000ULL};

/*
 * Is the decimal k / 10^m within 2^-9 units in the last place of the midpoint between q (its
 * correctly rounded double) and a neighbour? Then a reader that divides in extended precision and
 * rounds again to double (R's read.csv and data.table's fread do: R_strtod accumulates in long
 * double) may land on the neighbour, while survkit's reader and strtod give q; such values are
 * written with %.17g, which every reader gets right since its text is within 1e-17 of q. About one
 * value in 250. Exact arithmetic: q * 10^m is split into hi + lo exactly (Dekker's product with
 * Veltkamp's split), k - hi is exact (Sterbenz), so r = k - q 10^m is known to full precision.
 */
static bool near_midpoint(double k, int m, double q)
{
    if (m == 0) return false; /* k itself: exact in every reader */
    const double p = POW10[m];
    const double split = 134217729.0; /* 2^27 + 1 */
    const double qc = split * q, qh = qc - (qc - q), ql = q - qh;
    const double pc = split * p, ph = pc - (pc - p), pl = p - ph;
    const double hi = q * p;
    const double lo = ((qh * ph - hi) + qh * pl + ql * ph) + ql * pl;
    const double distance = fabs(((k - hi) - lo) / p); /* |k / 10^m - q| */
    int e;
    frexp(q, &e);
    const double ulp = ldexp(1.0, e - 53);
    return fabs(distance - ulp / 2) < ulp * 0x1p-9;
}

/* |v| 10^m rounded to an integer, for |m| <= 22 (the scaling's own rounding is harmless: it only
 * decides which neighbouring decimal is chosen). */
static double scaled_round(double a, int m)
{
    const double x = m >= 0 ? a * POW10[m] : a / POW10[-m];
    return floor(x + 0.5);
}

static void keep_unrounded(double v, sim_decimal *out)
{
    out->value = v;
    out->k = 0;
    out->s = 0;
    out->negative = signbit(v) != 0;
    out->fallback = true;
}

void sim_decimal_round(double v, int digits, sim_decimal *out)
{
    memset(out, 0, sizeof *out);
    if (v == 0) {
        out->value = 0; /* also turns -0 into 0 */
        return;
    }
    if (digits > 15 || digits < 1 || !isfinite(v)) {
        keep_unrounded(v, out);
        return;
    }
    const double a = fabs(v);
    const double lo = POW10[digits - 1], hi = POW10[digits];
    /* Decimal exponent e with 10^e <= a < 10^(e+1): estimated from the binary exponent, then
     * corrected so that k = round(a 10^(digits-1-e)) has exactly `digits` digits. */
    int e = 0;
    if (a >= 1) {
        while (e < 22 && a >= POW10[e + 1]) e++;
    } else {
        e = -1;
        while (e > -22 && a * POW10[-e] < 1) e--;
    }
    for (int tries = 0; tries < 4; tries++) {
        const int m = digits - 1 - e;
        if (m > 22 || m < 0) { /* outside the exact range described in the header */
            keep_unrounded(v, out);
            return;
        }
        const double k = scaled_round(a, m);
        if (k >= hi) {
            e++;
            continue;
        }
        if (k < lo) {
            e--;
            continue;
        }
        const double q = k / POW10[m];
        if (near_midpoint(k, m, q)) {
            keep_unrounded(v < 0 ? -q : q, out);
            return;
        }
        uint64_t ki = (uint64_t)k;
        int s = -m;
        out->value = q;
        while (ki % 10 == 0) {
            ki /= 10;
            s++;
        }
        out->k = ki;
        out->s = s;
        out->negative = v < 0;
        if (out->negative) out->value = -out->value;
        return;
    }
    keep_unrounded(v, out); /* not reached: the estimate is off by at most one */
}

void sim_decimal_integer(double v, sim_decimal *out)
{
    if (!(fabs(v) < 9007199254740992.0) || v != floor(v)) {
        keep_unrounded(v, out);
        return;
    }
    memset(out, 0, sizeof *out);
    out->value = v == 0 ? 0.0 : v;
    out->negative = v < 0;
    out->k = (uint64_t)fabs(v);
}

/* Decimal digits of u (at least 1). */
static size_t digit_count(uint64_t u)
{
    size_t n = 1;
    while (n < 20 && u >= POW10_INT[n]) n++;
    return n;
}

/* The n digits of u into buf[0..n), two at a time. */
static void put_digits(uint64_t u, size_t n, char *buf)
{
    static const char PAIRS[] = "00010203040506070809101112131415161718192021222324252627282930313233"
                                "34353637383940414243444546474849505152535455565758596061626364656667"
                                "6869707172737475767778798081828384858687888990919293949596979899";
    while (n >= 2) {
        const unsigned r = (unsigned)(u % 100);
        u /= 100;
        n -= 2;
        buf[n] = PAIRS[2 * r];
        buf[n + 1] = PAIRS[2 * r + 1];
    }
    if (n == 1) buf[0] = (char)('0' + u);
}

size_t sim_format_integer(long long v, char *buf)
{
    const uint64_t u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    size_t len = 0;
    if (v < 0) buf[len++] = '-';
    const size_t n = digit_count(u);
    put_digits(u, n, buf + len);
    len += n;
    buf[len] = '\0';
    return len;
}

size_t sim_decimal_format(const sim_decimal *d, char *buf)
{
    if (d->fallback) return (size_t)snprintf(buf, SIM_DECIMAL_MAX, "%.17g", d->value);
    if (d->k == 0) {
        buf[0] = '0';
        buf[1] = '\0';
        return 1;
    }
    char digits[24];
    const size_t n = digit_count(d->k);
    put_digits(d->k, n, digits);
    size_t len = 0;
    if (d->negative) buf[len++] = '-';
    const int point = (int)n + d->s; /* digits before the decimal point */
    if (d->s >= 0) {                 /* an integer: k then s zeros (s < 16 here) */
        memcpy(buf + len, digits, n);
        len += n;
        for (int z = 0; z < d->s; z++) buf[len++] = '0';
    } else if (point > 0) { /* ddd.ddd */
        memcpy(buf + len, digits, (size_t)point);
        len += (size_t)point;
        buf[len++] = '.';
        memcpy(buf + len, digits + point, n - (size_t)point);
        len += n - (size_t)point;
    } else if (point > -5) { /* 0.000ddd */
        buf[len++] = '0';
        buf[len++] = '.';
        for (int z = 0; z < -point; z++) buf[len++] = '0';
        memcpy(buf + len, digits, n);
        len += n;
    } else { /* d.ddde-XX */
        buf[len++] = digits[0];
        if (n > 1) {
            buf[len++] = '.';
            memcpy(buf + len, digits + 1, n - 1);
            len += n - 1;
        }
        buf[len++] = 'e';
        len += sim_format_integer(point - 1, buf + len);
    }
    buf[len] = '\0';
    return len;
}
