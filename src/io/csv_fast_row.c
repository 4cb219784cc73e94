/*
 * csv_fast_row.c: the common row, read in one pass. Most rows of a large file are one physical
 * line of unquoted fields, most of them short decimals. Here the tokenizer and the number parser
 * are fused: a numeric column's field is parsed while it is scanned, so its bytes are read once
 * (sk_scan_row followed by sk_number_parse reads them twice). Any other field that is unquoted is
 * handed to the general field store. Anything else (a quote, an empty line, a lone CR, a NUL, the
 * wrong number of fields) makes the row fall back to the general tokenizer, which reads it again
 * from its first byte: storing a field is idempotent (same value, same dictionary code, same
 * column state), so the values stored before the fallback are simply written again.
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

sk_fast_row sk_chunk_fast_row(sk_csv_shared *shared, sk_chunk *chunk, sk_scanner *s, size_t row)
{
    const char *p = s->p, *const end = s->end;
    if (p == end || *p == '\n' || *p == '\r') return SK_FAST_FALLBACK; /* the end, an empty line */
    const size_t n_columns = shared->n_columns;
    const char separator = shared->separator;
    const uint8_t *stops = s->stops;
    const bool numbers_inline = shared->n_na_tokens == 0;
    size_t n_nan = 0; /* columns of this row stored as NaN: counted once the row is complete */
    for (size_t j = 0; j < n_columns; j++) {
        const char *q = NULL;
        double value;
        if (numbers_inline && chunk->actions[j] == SK_ACTION_DETECT &&
            chunk->states[j] <= SK_CHUNK_NUMERIC && sk_fast_decimal(p, end, &q, &value) &&
            field_ends(q, end, separator)) { /* a number never starts with a quote */
            shared->values[j][row] = value;
            chunk->states[j] = SK_CHUNK_NUMERIC;
        } else {
            if (p < end && *p == '"') return SK_FAST_FALLBACK;
            q = p;
            while (q < end && !stops[(unsigned char)*q]) q++;
            if (!field_ends(q, end, separator)) return SK_FAST_FALLBACK; /* NUL, lone CR */
            sk_field field = {p, (size_t)(q - p), false, false};
            sk_store stored = sk_chunk_store_field(shared, chunk, j, row, &field);
            if (stored == SK_STORE_NOMEM) return SK_FAST_NOMEM;
            if (stored == SK_STORED_NAN) chunk->row_missing[n_nan++] = j;
        }
        if (j + 1 < n_columns) {
            if (q == end || *q != separator) return SK_FAST_FALLBACK; /* too few fields */
            p = q + 1;
        } else {
            p = q;
        }
    }
    if (p < end && *p == separator) return SK_FAST_FALLBACK; /* too many fields */
    if (p < end && *p == '\r') p++;
    if (p < end) p++; /* the LF */
    for (size_t k = 0; k < n_nan; k++) chunk->n_missing[chunk->row_missing[k]]++;
    s->row_line = s->line;
    s->line++;
    s->line_start = p;
    s->p = p;
    return SK_FAST_ROW;
}
