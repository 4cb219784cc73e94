/*
 * csv.h: CSV cells for the reports, as R's write.csv writes them: text in double quotes with inner
 * quotes doubled, numbers with 17 significant digits (they round-trip), NA for a missing value and
 * Inf/-Inf for infinities.
 */
#ifndef SURVKIT_REPORT_CSV_H
#define SURVKIT_REPORT_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A text cell: always quoted (`always_quote`), or only when it holds a separator, quote or line end. */
void csv_text(FILE *out, const char *s, bool always_quote);
/* A number cell: %.17g, NA for NaN, Inf or -Inf. */
void csv_number(FILE *out, double x);
/* The same cell's text into buf (CSV_NUMBER_MAX bytes at least, no NUL); returns its length. */
enum { CSV_NUMBER_MAX = 32 };
size_t csv_number_text(char *buf, double x);
/* A count's decimal digits (printf's %zu) into buf (CSV_NUMBER_MAX bytes at least, no NUL);
 * returns their number. */
size_t csv_count_text(char *buf, size_t k);
/* A label in double quotes, as the row writers put it (its text as it is, inner quotes not
 * doubled), into buf (strlen(s) + 2 bytes at least, no NUL); returns its length. */
size_t csv_quoted_text(char *buf, const char *s);

#endif
