/*
 * table_csv.h: a whole table written as R's write.csv(x, row.names = FALSE) writes the data frame
 * read.csv would have made of it (survkit split and tmerge output).
 *
 * R's rules, as applied here: the header and every string are quoted, inner quotes doubled; NA
 * unquoted; integer columns as integers; double columns element by element with 15 significant
 * digits, fixed notation unless scientific is shorter (R's formatReal with digits 15, scipen 0:
 * 0.1 + 0.2 -> 0.3, 200000 -> 2e+05, 1e-20); logical columns TRUE/FALSE.
 * Which numeric columns R holds as integers is not in the table: REPORT_CSV_AUTO takes a column
 * whose values are all whole numbers within R's integer range as one (what read.csv makes of
 * such a column written without decimals); made columns that R computes in doubles (survSplit's
 * times, a cumulative sum) are marked REPORT_CSV_DOUBLE by the caller.
 */
#ifndef SURVKIT_REPORT_TABLE_CSV_H
#define SURVKIT_REPORT_TABLE_CSV_H

#include <survkit/survkit.h>

#include <stdio.h>

typedef enum report_csv_storage {
    REPORT_CSV_AUTO = 0,  /* integer if every value is a whole number in R's integer range */
    REPORT_CSV_DOUBLE,    /* R double: each value formatted with 15 significant digits */
    REPORT_CSV_INTEGER,   /* R integer */
    REPORT_CSV_TEXT,      /* string column: text, even when a block's values are all TRUE/FALSE */
    REPORT_CSV_LOGICAL    /* string column: R logical (its values are TRUE/FALSE words) */
} report_csv_storage;

/* Write `t`. storage[n_columns] (NULL: all REPORT_CSV_AUTO). Returns 0, or -1 on a write error. */
int report_table_csv(FILE *out, const survkit_table *t, const report_csv_storage *storage);
/* The same, with or without the header line: a large result written a block of rows at a time
 * (then give every block the storage decided on the whole data, see report_csv_decide). */
int report_table_csv_rows(FILE *out, const survkit_table *t, const report_csv_storage *storage,
                          int header);
/* What REPORT_CSV_AUTO makes of numeric column j of `t`: REPORT_CSV_INTEGER or REPORT_CSV_DOUBLE. */
report_csv_storage report_csv_decide(const survkit_table *t, size_t j);
/* What a string column of these distinct values (all of the data's) prints as: REPORT_CSV_LOGICAL
 * when every one is a logical word (T, TRUE, true, True, F, ...), else REPORT_CSV_TEXT; n SIZE_MAX
 * (too many to list) is text. For data written a block at a time. */
report_csv_storage report_csv_decide_levels(const char *const *levels, size_t n);

#endif
