/*
 * csv_scan.h: the tokenizer of delimited text (RFC 4180). It splits a byte range into rows of
 * fields without copying: a field points into the input, and a quoted field that holds doubled
 * quotes is flagged so that a consumer collapses them only when it needs the text.
 */
#ifndef SURVKIT_IO_CSV_SCAN_H
#define SURVKIT_IO_CSV_SCAN_H

#include "core/internal.h"

typedef struct sk_field {
    const char *text; /* the field's bytes; inside the quotes for a quoted field */
    size_t len;
    bool quoted;
    bool escaped;     /* holds doubled quotes ("") that stand for one quote each */
} sk_field;

typedef enum sk_scan_result { SK_SCAN_ROW, SK_SCAN_END, SK_SCAN_ERROR } sk_scan_result;

typedef struct sk_scanner {
    const char *p, *end;      /* unread input */
    const char *line_start;   /* first byte of the current physical line */
    uint64_t line;            /* current physical line, 1-based */
    uint64_t row_line;        /* line where the row last returned starts */
    const char *source;       /* file name for errors */
    char separator;
    uint8_t stops[256];       /* bytes that end an unquoted field: separator, CR, LF, NUL */
} sk_scanner;

/* Scan [begin, end), whose first byte is at the start of physical line `first_line`. */
void sk_scan_init(sk_scanner *s, const char *begin, const char *end, char separator,
                  uint64_t first_line, const char *source);

/*
 * Read the next row, skipping empty lines (as R's blank.lines.skip).
 * Inputs: fields[n_fields], or fields NULL to only count the fields of the row.
 * Output: fields[0..n_fields) and *n_found. With fields given, a row with another number of fields
 * is an error (SURVKIT_ERR_PARSE naming the row's line and the column of the problem), as are an
 * unterminated quote, a NUL byte and text after a closing quote.
 */
sk_scan_result sk_scan_row(sk_scanner *s, sk_field *fields, size_t n_fields, size_t *n_found,
                           survkit_error *err);

/* Copy a field's text into out (at least field->len + 1 bytes), collapsing doubled quotes and
 * adding a NUL. Returns the length written. */
size_t sk_field_unescape(const sk_field *field, char *out);

/*
 * The separator of a header line: the most frequent of ',', '\t', ';' outside quotes in the first
 * non-empty line of [begin, end) (ties: ',' then tab then ';'); ',' when there is none.
 */
char sk_scan_detect_separator(const char *begin, const char *end);

#endif /* SURVKIT_IO_CSV_SCAN_H */
