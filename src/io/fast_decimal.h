/*
 * fast_decimal.h: the short decimals of a CSV field to doubles, exactly, at a few nanoseconds each
 * (inline: the row reader csv_fast_row.c calls it once per numeric field).
 *
 * A decimal [sign] digits [. digits] with n <= 19 digits in all, k of them after the point, whose
 * digits read as an integer M <= 2^53, is M / 10^k with k <= 22: M and 10^k are exact doubles, so
 * the one IEEE division rounds the exact quotient correctly and the result is strtod's (Clinger,
 * "How to read floating point numbers accurately", PLDI 1990). Any other text (an exponent, more
 * digits, a missing value) is left to number.c, which hands what this form cannot hold to strtod.
 *
 * The digits are gathered eight bytes at a time (SWAR); a field of one digit followed by neither a
 * digit nor a point (the 0/1 columns) takes a shortcut. Either way the value stops at the first
 * byte that is not part of the form; the caller checks that the field ends there.
 */
#ifndef SURVKIT_IO_FAST_DECIMAL_H
#define SURVKIT_IO_FAST_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SK_FAST_DECIMAL_SWAR 1
#endif
#if defined(__GNUC__)
#define SK_FAST_DECIMAL_INLINE __attribute__((always_inline)) static inline
#else
#define SK_FAST_DECIMAL_INLINE static inline
#endif

static const double sk_exact_powers_of_ten[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

#define SK_BYTES(b) (UINT64_C(0x0101010101010101) * (uint64_t)(b))

/* The number written by the 8 digits in v, the first (lowest address) the most significant; each
 * byte's low nibble is the digit (ASCII or 0-9): pairs, then quadruples, then the whole, by
 * multiply-and-shift within the 64-bit word. */
static inline uint64_t sk_eight_digits(uint64_t v)
{
    v = ((v & SK_BYTES(0x0F)) * 2561) >> 8;                           /* 10 a + b per 16 bits */
    v = ((v & UINT64_C(0x00FF00FF00FF00FF)) * 6553601) >> 16;         /* 100 ab + cd per 32 bits */
    return ((v & UINT64_C(0x0000FFFF0000FFFF)) * UINT64_C(42949672960001)) >> 32;
}

/*
 * Append the run of digits at p to *mantissa (which may wrap past 19 digits: the caller rejects
 * those), eight bytes at a time while eight can be read. A byte is a digit when (byte ^ '0') <= 9;
 * adding 0x76 sets the top bit of every larger value, so the lowest flagged byte ends the run (a
 * carry out of a flagged byte only disturbs the bytes after it).
 */
SK_FAST_DECIMAL_INLINE const char *sk_digit_run(const char *p, const char *end, uint64_t *mantissa)
{
    static const uint64_t powers[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
    uint64_t m = *mantissa;
#if defined(SK_FAST_DECIMAL_SWAR)
    while (end - p >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        const uint64_t x = v ^ SK_BYTES('0');
        const uint64_t stop = ((x + SK_BYTES(0x76)) | x) & SK_BYTES(0x80);
        if (stop == 0) {
            m = m * powers[8] + sk_eight_digits(v);
            p += 8;
            continue;
        }
        /* k digits before the first non-digit (k = 0 too, without a branch: the run length varies
         * from field to field): moved to the end of the word, '0's in front. */
        const unsigned k = (unsigned)__builtin_ctzll(stop) >> 3;
        const uint64_t w = ((v << (8 * (7 - k))) << 8) | (SK_BYTES('0') >> (8 * k));
        *mantissa = m * powers[k] + sk_eight_digits(w);
        return p + k;
    }
#endif
    while (p < end && (unsigned)(*p - '0') < 10) m = m * 10 + (uint64_t)(*p++ - '0');
    *mantissa = m;
    return p;
}

/* The scalar way: [sign] digits [. digits] at [p, end) in the fast form. */
static inline bool sk_fast_decimal_scalar(const char *p, const char *end, const char **stop, double *out)
{
    bool negative = false;
    if (p < end && (*p == '-' || *p == '+')) negative = *p++ == '-';
    uint64_t mantissa = 0;
    const char *first = p;
    if (end - p >= 2 && (unsigned)(p[0] - '0') < 10 && p[1] == '.') /* one digit before the point */
        mantissa = (uint64_t)(*p++ - '0');
    else
        p = sk_digit_run(p, end, &mantissa);
    size_t n_digits = (size_t)(p - first), n_fraction = 0;
    if (p < end && *p == '.') {
        const char *fraction = ++p;
        p = sk_digit_run(p, end, &mantissa);
        n_fraction = (size_t)(p - fraction);
        n_digits += n_fraction;
    }
    if (n_digits == 0 || n_digits > 19 || n_fraction > 22 || mantissa > (UINT64_C(1) << 53))
        return false;
    /* M < 2^63: the signed conversion (one instruction); the sign by its bit, without a branch
     * (the signs of a column follow no pattern), -0.0 for "-0" as strtod. */
    const double v = (double)(int64_t)mantissa / sk_exact_powers_of_ten[n_fraction];
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    bits |= (uint64_t)negative << 63;
    memcpy(out, &bits, sizeof bits);
    *stop = p;
    return true;
}

/*
 * The decimal at [p, end) in the fast form (see the top). Output: *out, its correctly rounded
 * double, and *stop, the first byte after it. false: not in the fast form (nothing written).
 */
static inline bool sk_fast_decimal(const char *p, const char *end, const char **stop, double *out)
{
    /* One digit and then neither a digit nor a point: 0/1 indicators, small codes. */
    if (end - p >= 2 && (unsigned)(p[0] - '0') < 10 && (unsigned)(p[1] - '0') >= 10 && p[1] != '.') {
        *out = (double)(p[0] - '0');
        *stop = p + 1;
        return true;
    }
    return sk_fast_decimal_scalar(p, end, stop, out);
}

#endif /* SURVKIT_IO_FAST_DECIMAL_H */
