/*
 * stata_data.h: the data section of a Stata file of format 117 to 119 decoded straight from the
 * mapped bytes (stata_data.c), for readstat_reader.c: ReadStat reads the header, variables and
 * labels; the rows, the bulk of a large file, are decoded here, a column at a time.
 */
#ifndef SURVKIT_IO_STATA_DATA_H
#define SURVKIT_IO_STATA_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { SK_STATA_MAX_VARS = 1 << 15 };

typedef struct sk_stata_layout {
    int release;             /* 117, 118 or 119 */
    size_t n_rows, n_vars;
    size_t row_width;        /* bytes per row */
    size_t data;             /* offset of the first row */
    bool big_endian;
    uint16_t *types;         /* n_vars Stata type codes: 1-2045 str#, 65526-65530 numbers */
    size_t *offsets;         /* n_vars offsets of each variable within a row */
} sk_stata_layout;

/*
 * The layout of [data, data + size) when it is a Stata file of format 117, 118 or 119 whose
 * variables are all numbers or fixed-width strings (no strL; in format 117, whose strings are not
 * UTF-8, numbers only) and whose rows lie within the file; false otherwise (the caller then lets
 * ReadStat read the rows, converting text). Free with sk_stata_layout_free.
 */
bool sk_stata_layout_read(const unsigned char *data, size_t size, sk_stata_layout *layout);
void sk_stata_layout_free(sk_stata_layout *layout);

/* Is variable j a number (byte, int, long, float, double)? */
bool sk_stata_is_number(const sk_stata_layout *layout, size_t j);

/*
 * Rows [lo, hi) of numeric variable j as doubles in out[0 .. hi-lo): Stata's missing values (.,
 * .a-.z) as NaN. Returns how many are missing.
 */
size_t sk_stata_numbers(const sk_stata_layout *layout, const unsigned char *data, size_t j,
                        size_t lo, size_t hi, double *out);

/* String variable j of row i: its bytes up to the first NUL or the field's end; *len its length. */
const char *sk_stata_text(const sk_stata_layout *layout, const unsigned char *data, size_t j,
                          size_t i, size_t *len);

#endif /* SURVKIT_IO_STATA_DATA_H */
