/*
 * csv_rows.h: the rows of a large CSV output made by two threads and written in order. Formatting
 * the numbers is most of the time of an output of millions of rows (residuals, predictions): the
 * rows are made a chunk at a time into memory (8192 rows, fewer when max_row_bytes is large: two
 * chunks take at most 8 MB), two chunks side by side, then written one after the other, so the
 * file holds the same bytes as a row-by-row writer's.
 */
#ifndef SURVKIT_REPORT_CSV_ROWS_H
#define SURVKIT_REPORT_CSV_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Writes row `row`'s text, its line end included, into buf (room for max_row_bytes) and returns
 * its length. Called from two threads at once for different rows: it must only read `ctx`. */
typedef size_t (*csv_row_text)(const void *ctx, size_t row, char *buf);

/* Rows 0..rows-1 of `text` written to out in order. max_row_bytes bounds every row's text.
 * Returns false when memory for the chunks fails (nothing is written then) or writing fails. */
bool csv_rows_write(FILE *out, size_t rows, size_t max_row_bytes, csv_row_text text,
                    const void *ctx);

#endif
