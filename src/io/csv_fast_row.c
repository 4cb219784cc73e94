/*
 * csv_fast_row.c: the common row, read in one pass. Most rows of a large file are one physical
 * line of unquoted fields, most of them short decimals. Here the tokenizer and the number parser
 * are fused: a numeric column's field is parsed while it is scanned, so its bytes are read once
 * (sk_scan_row followed by sk_number_parse reads them twice). Any other field that is unquoted is
 * handed to the general field store. Anything else (a quote, an empty line, a lone CR, a NUL, the
 * wrong number of fields) makes the row fall back to the general tokenizer, which reads it again
 * from its first byte: storing a field is idempotent (same value, same dictionary code, same
 * column state), so the values stored before the fallback are simply written again. Rows come in
 * batches (sk_chunk_fast_rows): one call and one set-up of the row loop's constants for thousands
 * of rows, which on a file of two short columns was a fifth of the work.
 *
 * The numbers parsed here (fast_decimal.h) are exactly those of number.c's fast path: at most 19
 * significant digits, no exponent, an integer mantissa M <= 2^53 and k <= 22 decimals, value
 * M / 10^k, one correctly rounded IEEE division (Clinger 1990). Every other number goes through
 * sk_number_parse. With extra missing-value tokens (--na) a number could be one of them, so
 * numeric fields then take the general path as well.
 */
#include "io/csv_internal.h"
#include "io/fast_decimal.h"

/* Does a field end at q: the separator, a line end (LF or CRLF) or the end of the input? */
static bool field_ends(const char *q, const char *end, char separator)
{
    return q == end || *q == separator || *q == '\n' || (*q == '\r' && q + 1 < end && q[1] == '\n');
}

/* What every row of a batch reads: fixed for the batch. */
typedef struct row_context {
    sk_csv_shared *shared;
    sk_chunk *chunk;
    const char *end;
    const uint8_t *stops;
    double *const *values;
    size_t n_columns;
    char separator;
    bool numbers_inline;
} row_context;

/* The row at p into row `row`: the first byte after it, or NULL to fall back to the general
 * tokenizer (*nomem set when a string could not be stored). */
static inline const char *one_row(const row_context *c, const char *p, size_t row, bool *nomem)
{
    sk_chunk *const chunk = c->chunk;
    const char *const end = c->end;
    const char separator = c->separator;
    if (p == end || *p == '\n' || *p == '\r') return NULL; /* the end, an empty line */
    size_t n_nan = 0; /* columns of this row stored as NaN: counted once the row is complete */
    for (size_t j = 0; j < c->n_columns; j++) {
        const char *q = NULL;
        double value;
        if (c->numbers_inline && chunk->actions[j] == SK_ACTION_DETECT &&
            chunk->states[j] <= SK_CHUNK_NUMERIC && sk_fast_decimal(p, end, &q, &value) &&
            field_ends(q, end, separator)) { /* a number never starts with a quote */
            c->values[j][row] = value;
            chunk->states[j] = SK_CHUNK_NUMERIC;
        } else {
            if (p < end && *p == '"') return NULL;
            q = p;
            while (q < end && !c->stops[(unsigned char)*q]) q++;
            if (!field_ends(q, end, separator)) return NULL; /* NUL, lone CR */
            sk_field field = {p, (size_t)(q - p), false, false};
            sk_store stored = sk_chunk_store_field(c->shared, chunk, j, row, &field);
            if (stored == SK_STORE_NOMEM) {
                *nomem = true;
                return NULL;
            }
            if (stored == SK_STORED_NAN) chunk->row_missing[n_nan++] = j;
        }
        if (j + 1 < c->n_columns) {
            if (q == end || *q != separator) return NULL; /* too few fields */
            p = q + 1;
        } else {
            p = q;
        }
    }
    if (p < end && *p == separator) return NULL; /* too many fields */
    if (p < end && *p == '\r') p++;
    if (p < end) p++; /* the LF */
    for (size_t k = 0; k < n_nan; k++) chunk->n_missing[chunk->row_missing[k]]++;
    return p;
}

sk_fast_row sk_chunk_fast_rows(sk_csv_shared *shared, sk_chunk *chunk, sk_scanner *s, size_t row,
                               size_t max_rows, size_t *n_read)
{
    const row_context c = {shared, chunk, s->end, s->stops, shared->values, shared->n_columns,
                           shared->separator, shared->n_na_tokens == 0};
    const char *p = s->p;
    sk_fast_row result = SK_FAST_ROW;
    size_t k = 0;
    for (; k < max_rows; k++) {
        bool nomem = false;
        const char *next = one_row(&c, p, row + k, &nomem);
        if (next == NULL) {
            result = nomem ? SK_FAST_NOMEM : SK_FAST_FALLBACK;
            break;
        }
        p = next;
    }
    if (k > 0) { /* the scanner as sk_scan_row would leave it after the k rows */
        s->line += k;
        s->row_line = s->line - 1;
        s->line_start = p;
        s->p = p;
    }
    *n_read = k;
    return result;
}
