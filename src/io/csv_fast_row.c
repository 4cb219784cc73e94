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

#include <string.h>

static const double exact_powers_of_ten[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static const uint64_t powers_of_ten[9] = {1,      10,      100,      1000,     10000,
                                           100000, 1000000, 10000000, 100000000};

/* The number written by the 8 ASCII digits in v, the first (lowest address) the most significant:
 * pairs, then quadruples, then the whole, by multiply-and-shift within the 64-bit word. */
static uint64_t eight_digits(uint64_t v)
{
    v = ((v & UINT64_C(0x0F0F0F0F0F0F0F0F)) * 2561) >> 8;            /* 10 a + b per 16 bits */
    v = ((v & UINT64_C(0x00FF00FF00FF00FF)) * 6553601) >> 16;        /* 100 ab + cd per 32 bits */
    return ((v & UINT64_C(0x0000FFFF0000FFFF)) * UINT64_C(42949672960001)) >> 32;
}

/*
 * Append the run of digits at p to *mantissa (which may wrap past 19 digits: the caller rejects
 * those), eight bytes at a time while eight can be read. A byte is a digit when (byte ^ '0') <= 9;
 * adding 0x76 sets the top bit of every larger value, so the lowest flagged byte ends the run (a
 * carry out of a flagged byte only disturbs the bytes after it). Little-endian GCC/Clang only;
 * elsewhere byte by byte.
 */
static const char *digit_run(const char *p, const char *end, uint64_t *mantissa)
{
    uint64_t m = *mantissa;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (end - p >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        const uint64_t x = v ^ UINT64_C(0x3030303030303030);
        const uint64_t stop = ((x + UINT64_C(0x7676767676767676)) | x) & UINT64_C(0x8080808080808080);
        if (stop == 0) {
            m = m * powers_of_ten[8] + eight_digits(v);
            p += 8;
            continue;
        }
        unsigned k = (unsigned)__builtin_ctzll(stop) >> 3; /* digits before the first non-digit */
        if (k > 0) {
            /* The k digits moved to the end of the word, '0's in front. */
            uint64_t w = (v << (8 * (8 - k))) | (UINT64_C(0x3030303030303030) >> (8 * k));
            m = m * powers_of_ten[k] + eight_digits(w);
            p += k;
        }
        *mantissa = m;
        return p;
    }
#endif
    while (p < end && (unsigned)(*p - '0') < 10) m = m * 10 + (uint64_t)(*p++ - '0');
    *mantissa = m;
    return p;
}

/* A decimal at [p, end) in the fast form; *stop is the first byte after it. */
static bool fast_decimal(const char *p, const char *end, const char **stop, double *out)
{
    bool negative = false;
    if (p < end && (*p == '-' || *p == '+')) negative = *p++ == '-';
    uint64_t mantissa = 0;
    const char *first = p;
    p = digit_run(p, end, &mantissa);
    size_t n_digits = (size_t)(p - first), n_fraction = 0;
    if (p < end && *p == '.') {
        const char *fraction = ++p;
        p = digit_run(p, end, &mantissa);
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
    size_t n_nan = 0; /* columns of this row stored as NaN: counted once the row is complete */
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
