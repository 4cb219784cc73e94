/*
 * csv.h: CSV cells for the reports, as R's write.csv writes them: text in double quotes with inner
 * quotes doubled, numbers with 17 significant digits (they round-trip), NA for a missing value and
 * Inf/-Inf for infinities.
 */
#ifndef SURVKIT_REPORT_CSV_H
#define SURVKIT_REPORT_CSV_H

#include <stdbool.h>
#include <stdio.h>

/* A text cell: always quoted (`always_quote`), or only when it holds a separator, quote or line end. */
void csv_text(FILE *out, const char *s, bool always_quote);
/* A number cell: %.17g, NA for NaN, Inf or -Inf. */
void csv_number(FILE *out, double x);

#endif
