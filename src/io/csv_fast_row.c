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
 * The numbers parsed here are exactly those of number.c's fast path: at most 19 significant
 * digits, no exponent, an integer mantissa M <= 2^53 and k <= 22 decimals, value M / 10^k, one
 * correctly rounded IEEE division (Clinger 1990). Every other number goes through
 * sk_number_parse. With extra missing-value tokens (--na) a number could be one of them, so
 * numeric fields then take the general path as well.
 */
#include "io/csv_internal.h"

static const double exact_powers_of_ten[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* A decimal at [p, end) in the fast form; *stop is the first byte after it. */
static bool fast_decimal(const char *p, const char *end, const char **stop, double *out)
{
    bool negative = false;
    if (p < end && (*p == '-' || *p == '+')) negative = *p++ == '-';
    uint64_t mantissa = 0;
    const char *first = p;
    while (p < end && (unsigned)(*p - '0') < 10) mantissa = mantissa * 10 + (uint64_t)(*p++ - '0');
    size_t n_digits = (size_t)(p - first), n_fraction = 0;
    if (p < end && *p == '.') {
        const char *fraction = ++p;
        while (p < end && (unsigned)(*p - '0') < 10) mantissa = mantissa * 10 + (uint64_t)(*p++ - '0');
        n_fraction = (size_t)(p - fraction);
        n_digits += n_fraction;
    }
    if (n_digits == 0 || n_digits > 19 || n_fraction > 22 || mantissa > (UINT64_C(1) << 53))
        return false;
    double v = (double)mantissa / exact_powers_of_ten[n_fraction];
    *out = negative ? -v : v;
    *stop = p;
    return true;
}

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
    for (size_t j = 0; j < n_columns; j++) {
        if (p < end && *p == '"') return SK_FAST_FALLBACK;
        const char *q = NULL;
        double value;
        if (numbers_inline && chunk->actions[j] == SK_ACTION_DETECT &&
            chunk->states[j] <= SK_CHUNK_NUMERIC && fast_decimal(p, end, &q, &value) &&
            field_ends(q, end, separator)) {
            shared->values[j][row] = value;
            chunk->states[j] = SK_CHUNK_NUMERIC;
        } else {
            q = p;
            while (q < end && !stops[(unsigned char)*q]) q++;
            if (!field_ends(q, end, separator)) return SK_FAST_FALLBACK; /* NUL, lone CR */
            sk_field field = {p, (size_t)(q - p), false, false};
            if (!sk_chunk_store_field(shared, chunk, j, row, &field)) return SK_FAST_NOMEM;
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
    s->row_line = s->line;
    s->line++;
    s->line_start = p;
    s->p = p;
    return SK_FAST_ROW;
}
