/*
 * double17.c: "%.17g" of a double (double17.h) in integer arithmetic.
 *
 * A finite x != 0 is |x| = m 2^q exactly (m < 2^53). Its 17 significant digits are
 * D = round(|x| 10^s), s = 16 - X, where X = floor(log10 |x|) puts D in [10^16, 10^17):
 *
 *     s >= 0:  |x| 10^s = m 5^s 2^(q + s), and m 5^s < 2^128 for s <= 32: a shift of a 128-bit
 *              integer gives floor(|x| 10^s) and the bits shifted out the exact remainder;
 *     s < 0:   |x| 10^s = (m 2^q) / 10^-s, a 128-bit division with its remainder (|x| < 2^127).
 *
 * The remainder against one half rounds D to nearest, ties to even, as glibc's printf does in the
 * default rounding mode. X comes from the binary exponent and is corrected once when D falls
 * outside [10^16, 10^17); rounding up to 10^17 moves to the next decade. The text is then
 * printf's %g with precision 17: style f when -4 <= X < 17, else style e with at least two exponent
 * digits; trailing zeros, and a point with nothing after it, dropped.
 * Everything else (zero, not finite, subnormal, |x| below about 1e-16 or above 1e38) goes to
 * snprintf, so the text is always printf's; tests/unit/test_double17.c compares the two on
 * millions of values.
 * About five times faster than snprintf: a million rows of residuals are 20 million numbers.
 */
#include "double17.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static size_t by_printf(char *buf, double x)
{
    const int len = snprintf(buf, DOUBLE17_MAX, "%.17g", x);
    return len > 0 ? (size_t)len : 0;
}

#if defined(__SIZEOF_INT128__)

__extension__ typedef unsigned __int128 u128;

/* 5^k, k = 0..27 (5^27 < 2^64 < 5^28) */
static const uint64_t pow5[28] = {1,
                                  5,
                                  25,
                                  125,
                                  625,
                                  3125,
                                  15625,
                                  78125,
                                  390625,
                                  1953125,
                                  9765625,
                                  48828125,
                                  244140625,
                                  1220703125,
                                  6103515625,
                                  30517578125,
                                  152587890625,
                                  762939453125,
                                  3814697265625,
                                  19073486328125,
                                  95367431640625,
                                  476837158203125,
                                  2384185791015625,
                                  11920928955078125,
                                  59604644775390625,
                                  298023223876953125,
                                  1490116119384765625,
                                  7450580596923828125};

/* 10^k, k = 0..19 */
static const uint64_t pow10[20] = {1,
                                   10,
                                   100,
                                   1000,
                                   10000,
                                   100000,
                                   1000000,
                                   10000000,
                                   100000000,
                                   1000000000,
                                   10000000000,
                                   100000000000,
                                   1000000000000,
                                   10000000000000,
                                   100000000000000,
                                   1000000000000000,
                                   10000000000000000,
                                   100000000000000000,
                                   1000000000000000000,
                                   10000000000000000000u};

enum { MAX_POW5 = 32, MAX_POW10 = 38 };

static u128 power(const uint64_t *table, int last, int k)
{
    return k <= last ? (u128)table[k] : (u128)table[last] * table[k - last];
}

/* -1, 0 or 1 as rem is below, at or above half. */
static int against_half(u128 rem, u128 half_twice)
{
    const u128 twice = rem << 1; /* rem < half_twice <= 2^127: no overflow */
    return twice < half_twice ? -1 : twice == half_twice ? 0 : 1;
}

/* floor(m 2^q 10^s) into *d and how the dropped part compares with one half; false when a number
 * does not fit 128 bits or the floor not 64. */
static bool scaled(uint64_t m, int q, int s, uint64_t *d, int *half)
{
    u128 whole, rem, unit; /* |x| 10^s = whole + rem / unit */
    if (s >= 0) {
        if (s > MAX_POW5) return false;
        const u128 num = (u128)m * power(pow5, 27, s);
        const int shift = q + s;
        if (shift >= 0) {
            if (shift >= 64 || (num >> (64 - shift)) != 0) return false;
            *d = (uint64_t)(num << shift);
            *half = -1; /* exact */
            return true;
        }
        if (-shift >= 127) return false;
        whole = num >> -shift;
        unit = (u128)1 << -shift;
        rem = num & (unit - 1);
    } else {
        if (-s > MAX_POW10 || q < 0 || q > 127 - 53) return false;
        const u128 num = (u128)m << q;
        unit = power(pow10, 19, -s);
        whole = num / unit;
        rem = num % unit;
    }
    if ((whole >> 64) != 0) return false;
    *d = (uint64_t)whole;
    *half = against_half(rem, unit);
    return true;
}

size_t double17(char *buf, double x)
{
    if (!isfinite(x) || x == 0) return by_printf(buf, x);
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    const int biased = (int)((bits >> 52) & 0x7ff);
    if (biased == 0) return by_printf(buf, x); /* subnormal */
    const uint64_t m = (bits & ((UINT64_C(1) << 52) - 1)) | (UINT64_C(1) << 52);
    const int q = biased - 1075; /* |x| = m 2^q, 2^52 <= m < 2^53 */
    /* |x| in [2^(q+52), 2^(q+53)): log10 |x| lies in [(q+52) L, (q+52) L + L), L = log10(2) =
     * 0.30103, so X is this floor or the next integer (one correction at most) */
    int exp10 = (int)floor((q + 52) * 0.30102999566398120);
    uint64_t d = 0;
    int half = 0;
    for (int tries = 0;; tries++) {
        if (tries == 3 || !scaled(m, q, 16 - exp10, &d, &half)) return by_printf(buf, x);
        if (d < pow10[16]) exp10--;
        else if (d >= pow10[17]) exp10++;
        else break;
    }
    if (half > 0 || (half == 0 && (d & 1))) d++;
    if (d == pow10[17]) d = pow10[16], exp10++;

    char digits[17];
    digits[0] = (char)('0' + d / pow10[16]);
    d %= pow10[16];
    for (int i = 16; i > 1; i -= 2) { /* two digits a step: 16 and 15, ..., 2 and 1 */
        const unsigned pair = (unsigned)(d % 100);
        d /= 100;
        digits[i] = (char)('0' + pair % 10), digits[i - 1] = (char)('0' + pair / 10);
    }
    size_t nd = 17; /* significant digits without the trailing zeros */
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    char *p = buf;
    if (x < 0) *p++ = '-';
    if (exp10 >= -4 && exp10 < 17) { /* style f */
        if (exp10 >= 0) {
            const size_t whole = (size_t)exp10 + 1;
            memcpy(p, digits, whole);
            p += whole;
            if (nd > whole) {
                *p++ = '.';
                memcpy(p, digits + whole, nd - whole);
                p += nd - whole;
            }
        } else {
            *p++ = '0', *p++ = '.';
            for (int z = 0; z < -exp10 - 1; z++) *p++ = '0';
            memcpy(p, digits, nd);
            p += nd;
        }
    } else { /* style e */
        *p++ = digits[0];
        if (nd > 1) {
            *p++ = '.';
            memcpy(p, digits + 1, nd - 1);
            p += nd - 1;
        }
        *p++ = 'e';
        *p++ = exp10 < 0 ? '-' : '+';
        int e = exp10 < 0 ? -exp10 : exp10;
        if (e >= 100) *p++ = (char)('0' + e / 100), e %= 100;
        *p++ = (char)('0' + e / 10);
        *p++ = (char)('0' + e % 10);
    }
    *p = '\0';
    return (size_t)(p - buf);
}

#else /* no 128-bit integers on this target: printf itself */

size_t double17(char *buf, double x) { return by_printf(buf, x); }

#endif

void double17_write(FILE *out, double x)
{
    char text[DOUBLE17_MAX];
    fwrite(text, 1, double17(text, x), out);
}
