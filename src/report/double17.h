/*
 * double17.h: printf's "%.17g" of a double, written without printf where that is exact and fast
 * (the CSV and JSON writers print millions of them: residuals and predictions of 1M rows).
 */
#ifndef SURVKIT_REPORT_DOUBLE17_H
#define SURVKIT_REPORT_DOUBLE17_H

#include <stddef.h>
#include <stdio.h>

enum { DOUBLE17_MAX = 32 }; /* the longest text, "-1.2345678901234567e-308", and its NUL */

/* Writes the text of snprintf(buf, DOUBLE17_MAX, "%.17g", x), byte for byte, into buf (at least
 * DOUBLE17_MAX bytes) and returns its length. The point is always ".", as printf's in the C locale
 * (the command runs in it). */
size_t double17(char *buf, double x);

/* fprintf(out, "%.17g", x), through double17. */
void double17_write(FILE *out, double x);

#endif
