/*
 * number.h: reading one field as a number the way R's read.csv (type.convert) does, to the double
 * that a correctly rounded strtod gives.
 */
#ifndef SURVKIT_IO_NUMBER_H
#define SURVKIT_IO_NUMBER_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Parse text[0..len) as a number.
 * Accepted, as R's type.convert accepts them: leading and trailing blanks (space, tab); an optional
 * sign; decimal digits with an optional point and an optional exponent, whose digits may be absent
 * ("1e" and "1e+" read as 1, as in R); "Inf", "inf", "Infinity" (any case) and "NaN" in any case
 * except a leading "NA" ("NAN" is text in R); hexadecimal "0x1A", "0x1.8p3".
 * Output: *out, the correctly rounded double (overflow gives +-Inf, underflow 0, as R).
 * Returns false when the text is not a number (then *out is untouched). No allocation, no locale.
 */
bool sk_number_parse(const char *text, size_t len, double *out);

#endif /* SURVKIT_IO_NUMBER_H */
