/*
 * sim_decimal.h: rounding a double to D significant decimal digits and writing it back as text that
 * reads (with any correctly rounded parser: R's, glibc's strtod, survkit's) as exactly the same
 * double: the simulated values and the file agree to the last bit, and writing is far cheaper than
 * printf("%.17g").
 *
 * For |v| in [10^(D-1-22), 10^D) and D <= 15 the rounded value is k 10^s with an integer k < 10^D
 * and -22 <= s <= 0; `value` is computed as k / 10^-s, one correctly rounded division of two exact
 * doubles, hence the double nearest to the decimal k 10^s, which is what parsing its text gives.
 * Other values (D > 15, huge or tiny magnitudes, infinities) are kept unrounded and written with
 * "%.17g", which also round-trips; so is the rounded value when its decimal lies so near the middle
 * of two doubles that a reader dividing in extended precision (R, data.table) might double-round.
 */
#ifndef SURVKIT_CLI_SIM_DECIMAL_H
#define SURVKIT_CLI_SIM_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest text sim_decimal_format writes, with its terminating NUL. */
#define SIM_DECIMAL_MAX 32

typedef struct sim_decimal {
    double value;  /* the rounded double */
    uint64_t k;    /* |value| = k 10^s, k without trailing zeros (k = 0 for zero) */
    int s;
    bool negative;
    bool fallback; /* value written with %.17g: not rounded, or rounded but near a midpoint */
} sim_decimal;

/* Round v to `digits` significant digits (1..17; 16 and 17 keep v as it is). */
void sim_decimal_round(double v, int digits, sim_decimal *out);
/* The whole number v exactly, whatever the digits (other values are kept as with digits 17). */
void sim_decimal_integer(double v, sim_decimal *out);
/* Write d as text into buf (SIM_DECIMAL_MAX bytes); returns the length, without the NUL. */
size_t sim_decimal_format(const sim_decimal *d, char *buf);
/* Write the integer v (|v| < 2^63) into buf; returns the length. */
size_t sim_format_integer(long long v, char *buf);

#endif /* SURVKIT_CLI_SIM_DECIMAL_H */
