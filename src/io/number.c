/*
 * number.c: the number parser of the CSV reader.
 *
 * Most fields are short decimals. Their significant digits (at most 19) are gathered into a 64-bit
 * integer M and the decimal exponent into e, so the value is M * 10^e. When M <= 2^53 and
 * |e| <= 22 both M and 10^e are exact doubles and one IEEE multiplication or division rounds the
 * exact product correctly (Clinger, "How to read floating point numbers accurately", PLDI 1990).
 * Every other case is rewritten as "DIGITSeEXP" (no decimal point, hence no locale) in a stack
 * buffer and handed to strtod, which glibc rounds correctly. At most 780 significant digits are
 * kept: a double's halfway points have at most 767 significant digits, so truncating there and
 * appending a non-zero "sticky" digit when non-zero digits were dropped cannot change the rounding.
 */
#include "io/number.h"
#include "io/fast_decimal.h" /* sk_exact_powers_of_ten */

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

enum {
    FAST_DIGITS = 19,    /* digits that always fit a uint64_t */
    MAX_DIGITS = 780,    /* significant digits kept for strtod (see above) */
    EXPONENT_CAP = 100000 /* |exponent| beyond this is 0 or Inf anyway */
};

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

/* Does [p, end) spell `word` (lower case) ignoring case? */
static bool equals_nocase(const char *p, const char *end, const char *word)
{
    for (; *word; word++, p++)
        if (p == end || lower(*p) != *word) return false;
    return p == end;
}

/* Append the decimal digits of v to buf at *pos. */
static void append_integer(char *buf, size_t *pos, long long v)
{
    char digits[24];
    size_t n = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    if (v < 0) buf[(*pos)++] = '-';
    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    while (n > 0) buf[(*pos)++] = digits[--n];
}

/* R's special values: "NaN" in any case but not starting "NA" (R reads "NAN" as text), and
 * "Inf"/"Infinity" in any case. */
static bool parse_special(const char *p, const char *end, bool negative, double *out)
{
    if (end - p >= 2 && p[0] == 'N' && p[1] == 'A') return false;
    if (equals_nocase(p, end, "nan")) {
        *out = NAN;
        return true;
    }
    if (equals_nocase(p, end, "inf") || equals_nocase(p, end, "infinity")) {
        *out = negative ? -INFINITY : INFINITY;
        return true;
    }
    return false;
}

/* Optional exponent digits after 'e', 'E' or 'p'; may be empty (R reads "1e" as 1). */
static bool parse_exponent(const char **pp, const char *end, long long *exponent)
{
    const char *p = *pp;
    bool negative = false;
    if (p < end && (*p == '+' || *p == '-')) negative = *p++ == '-';
    long long e = 0;
    for (; p < end && is_digit(*p); p++)
        if (e < EXPONENT_CAP) e = e * 10 + (*p - '0');
    *exponent = negative ? -e : e;
    *pp = p;
    return true;
}

/* Hexadecimal "0x" HEX [. HEX] [p EXP], rewritten as "0xHEXpEXP" for strtod. */
static bool parse_hex(const char *p, const char *end, bool negative, double *out)
{
    char buf[MAX_DIGITS + 40];
    size_t pos = 0, n_digits = 0;
    long long shift = 0;
    if (negative) buf[pos++] = '-';
    buf[pos++] = '0';
    buf[pos++] = 'x';
    for (; p < end && hex_value(*p) >= 0; p++) {
        if (++n_digits > MAX_DIGITS) return false;
        buf[pos++] = *p;
    }
    if (p < end && *p == '.') {
        for (p++; p < end && hex_value(*p) >= 0; p++) {
            if (++n_digits > MAX_DIGITS) return false;
            buf[pos++] = *p;
            shift -= 4;
        }
    }
    if (n_digits == 0) return false;
    long long exponent = 0;
    if (p < end && (*p == 'p' || *p == 'P')) {
        p++;
        if (p == end || !(is_digit(*p) || ((*p == '+' || *p == '-') && p + 1 < end && is_digit(p[1]))))
            return false;
        parse_exponent(&p, end, &exponent);
    }
    if (p != end) return false;
    buf[pos++] = 'p';
    append_integer(buf, &pos, exponent + shift);
    buf[pos] = '\0';
    *out = strtod(buf, NULL);
    return true;
}

/* The slow path: significant digits of the validated decimal text [p, end) with its exponent. */
static double decimal_by_strtod(const char *p, const char *end, bool negative)
{
    char buf[MAX_DIGITS + 40];
    size_t pos = 0, n_kept = 0;
    long long exponent = 0; /* value = DIGITS * 10^exponent */
    bool in_fraction = false, sticky = false;
    if (negative) buf[pos++] = '-';
    for (; p < end; p++) {
        char c = *p;
        if (c == '.') {
            in_fraction = true;
            continue;
        }
        if (!is_digit(c)) break;
        if (in_fraction) exponent--;
        if (n_kept == 0 && c == '0') continue; /* leading zero */
        if (n_kept < MAX_DIGITS) {
            buf[pos++] = c;
            n_kept++;
        } else {
            exponent++; /* dropped digit */
            if (c != '0') sticky = true;
        }
    }
    if (n_kept == 0) return negative ? -0.0 : 0.0; /* zeros only */
    long long e10 = 0;
    if (p < end) { /* 'e' or 'E' */
        p++;
        parse_exponent(&p, end, &e10);
    }
    if (sticky) {
        buf[pos++] = '1';
        exponent--;
    }
    buf[pos++] = 'e';
    append_integer(buf, &pos, exponent + e10);
    buf[pos] = '\0';
    return strtod(buf, NULL);
}

bool sk_number_parse(const char *text, size_t len, double *out)
{
    const char *p = text, *end = text + len;
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t')) end--;
    if (p == end) return false;
    bool negative = false;
    if (*p == '+' || *p == '-') negative = *p++ == '-';
    if (p == end) return false;
    if (!is_digit(*p) && *p != '.') return parse_special(p, end, negative, out);
    if (p[0] == '0' && end - p > 1 && (p[1] == 'x' || p[1] == 'X'))
        return parse_hex(p + 2, end, negative, out);

    /* All digits, leading zeros included, go into the mantissa; past 19 of them it may wrap
     * (unsigned, defined) and the slow path takes over. */
    const char *start = p;
    uint64_t mantissa = 0;
    for (; p < end && is_digit(*p); p++) mantissa = mantissa * 10 + (uint64_t)(*p - '0');
    size_t n_digits = (size_t)(p - start), n_fraction = 0;
    if (p < end && *p == '.') {
        const char *fraction = ++p;
        for (; p < end && is_digit(*p); p++) mantissa = mantissa * 10 + (uint64_t)(*p - '0');
        n_fraction = (size_t)(p - fraction);
        n_digits += n_fraction;
    }
    if (n_digits == 0) return false;
    long long e10 = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        parse_exponent(&p, end, &e10);
    }
    if (p != end) return false;

    if (n_digits <= FAST_DIGITS) {
        if (mantissa == 0) {
            *out = negative ? -0.0 : 0.0;
            return true;
        }
        long long exponent = e10 - (long long)n_fraction;
        if (mantissa <= (UINT64_C(1) << 53) && exponent >= -22 && exponent <= 22) {
            double v = (double)mantissa;
            v = exponent >= 0 ? v * sk_exact_powers_of_ten[exponent] : v / sk_exact_powers_of_ten[-exponent];
            *out = negative ? -v : v;
            return true;
        }
    }
    *out = decimal_by_strtod(start, end, negative);
    return true;
}
