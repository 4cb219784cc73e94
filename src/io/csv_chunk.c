/*
 * csv_chunk.c: the parsing kernel. One pass over a byte range of whole rows writes every column
 * straight into its final array: numbers as doubles, text as dictionary codes (stored as doubles
 * until the table is assembled), NaN for a missing value. A column is read as numbers until a value
 * that is neither missing nor a number appears; if numbers came before it, the column is marked
 * MIXED and skipped, to be read again as text by a second pass with the TEXT action (rare: a
 * column is usually text from its first value).
 */
#include "io/csv_internal.h"
#include "io/number.h"
#include "core/memory.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    PROGRESS_STEP = 1 << 22, /* bytes between progress reports and cancellation checks */
    FAST_BATCH_ROWS = 1 << 14 /* rows per call of the fast row reader (progress is checked between) */
};

survkit_status sk_chunk_init(sk_chunk *chunk, size_t n_columns)
{
    chunk->states = sk_calloc_array(n_columns, sizeof *chunk->states);
    chunk->actions = sk_calloc_array(n_columns, sizeof *chunk->actions);
    chunk->dicts = sk_calloc_array(n_columns, sizeof *chunk->dicts);
    chunk->fields = sk_malloc_array(n_columns, sizeof *chunk->fields);
    chunk->n_missing = sk_calloc_array(n_columns, sizeof *chunk->n_missing);
    chunk->row_missing = sk_malloc_array(n_columns, sizeof *chunk->row_missing);
    chunk->status = SURVKIT_OK;
    survkit_error_clear(&chunk->err);
    if (chunk->states == NULL || chunk->actions == NULL || chunk->dicts == NULL ||
        chunk->fields == NULL || chunk->n_missing == NULL || chunk->row_missing == NULL)
        return SURVKIT_ERR_NOMEM;
    return SURVKIT_OK;
}

void sk_chunk_free(sk_chunk *chunk, size_t n_columns)
{
    if (chunk->dicts != NULL)
        for (size_t j = 0; j < n_columns; j++) sk_dict_free(&chunk->dicts[j]);
    free(chunk->dicts);
    free(chunk->states);
    free(chunk->actions);
    free(chunk->fields);
    free(chunk->n_missing);
    free(chunk->row_missing);
    free(chunk->scratch);
    chunk->dicts = NULL;
    chunk->states = chunk->actions = NULL;
    chunk->fields = NULL;
    chunk->n_missing = chunk->row_missing = NULL;
    chunk->scratch = NULL;
    chunk->scratch_capacity = 0;
}

/* "NA", the empty field, a field of blanks only (R reads it as NA in a numeric column), or one
 * of the extra tokens. Quoting does not matter ("NA" quoted is missing too, as in R). */
static bool is_missing(const sk_csv_shared *shared, const sk_field *f)
{
    if (f->len == 0) return true;
    if (f->len == 2 && f->text[0] == 'N' && f->text[1] == 'A') return true;
    if (f->text[0] == ' ' || f->text[0] == '\t') {
        size_t k = 0;
        while (k < f->len && (f->text[k] == ' ' || f->text[k] == '\t')) k++;
        if (k == f->len) return true;
    }
    for (size_t t = 0; t < shared->n_na_tokens; t++) {
        const char *token = shared->na_tokens[t];
        size_t len = strlen(token);
        if (len == f->len && memcmp(token, f->text, len) == 0) return true;
    }
    return false;
}

static survkit_status fail(sk_chunk *chunk, survkit_status status, uint64_t line, const char *what)
{
    chunk->status = sk_error_set(&chunk->err, status, NULL, line, 0, "%s", what);
    return chunk->status;
}

/* The level code of a field's text in `dict` (doubled quotes collapsed first), or -1. */
static int32_t intern_field(sk_chunk *chunk, sk_dict *dict, const sk_field *f)
{
    if (!f->escaped) return sk_dict_intern(dict, f->text, f->len);
    if (f->len + 1 > chunk->scratch_capacity) {
        size_t capacity = f->len + 1 > 2 * chunk->scratch_capacity ? f->len + 1 : 2 * chunk->scratch_capacity;
        char *grown = realloc(chunk->scratch, capacity);
        if (grown == NULL) return -1;
        chunk->scratch = grown;
        chunk->scratch_capacity = capacity;
    }
    size_t len = sk_field_unescape(f, chunk->scratch);
    return sk_dict_intern(dict, chunk->scratch, len);
}

sk_store sk_chunk_store_field(const sk_csv_shared *shared, sk_chunk *chunk, size_t j, size_t row,
                              const sk_field *f)
{
    uint8_t action = chunk->actions[j];
    if (action == SK_ACTION_SKIP) return SK_STORED;
    double *out = &shared->values[j][row];
    if (is_missing(shared, f)) {
        *out = NAN;
        return SK_STORED_NAN;
    }
    uint8_t state = chunk->states[j];
    if (action == SK_ACTION_DETECT && (state == SK_CHUNK_EMPTY || state == SK_CHUNK_NUMERIC)) {
        /* A doubled quote is never part of a number: the escaped text fails to parse as one. */
        if (sk_number_parse(f->text, f->len, out)) {
            chunk->states[j] = SK_CHUNK_NUMERIC;
            return isnan(*out) ? SK_STORED_NAN : SK_STORED;
        }
        if (state == SK_CHUNK_NUMERIC) {
            chunk->states[j] = SK_CHUNK_MIXED; /* read again as text later */
            chunk->actions[j] = SK_ACTION_SKIP;
            return SK_STORED;
        }
        chunk->states[j] = SK_CHUNK_STRING;
    }
    int32_t code = intern_field(chunk, &chunk->dicts[j], f);
    if (code < 0) return SK_STORE_NOMEM;
    *out = (double)code;
    return SK_STORED;
}

/* Report progress (on the calling thread only) and look for cancellation or an earlier failure.
 * Returns false when this chunk should stop. */
static bool keep_going(sk_csv_shared *shared, sk_chunk *chunk, uint64_t new_bytes)
{
    uint64_t done = atomic_fetch_add(&shared->bytes_done, new_bytes) + new_bytes;
    if (atomic_load(&shared->first_failed) < chunk->index) return false;
    if (chunk->reports && shared->progress != NULL &&
        shared->progress(shared->progress_user, "read", done, shared->total_bytes, 0.0) != 0) {
        fail(chunk, SURVKIT_ERR_ARGUMENT, 0, "cancelled");
        return false;
    }
    return true;
}

static void mark_failed(sk_csv_shared *shared, size_t index)
{
    size_t current = atomic_load(&shared->first_failed);
    while (index < current && !atomic_compare_exchange_weak(&shared->first_failed, &current, index)) {
    }
}

/* One row by the general tokenizer (sk_scan_row): false at the end of the chunk or on failure
 * (chunk->status set). */
static bool general_row(sk_csv_shared *shared, sk_chunk *chunk, sk_scanner *s, size_t row)
{
    const size_t n_columns = shared->n_columns;
    size_t found;
    sk_scan_result r = sk_scan_row(s, chunk->fields, n_columns, &found, &chunk->err);
    if (r == SK_SCAN_END) return false;
    if (r == SK_SCAN_ERROR) {
        chunk->status = chunk->err.status;
        return false;
    }
    for (size_t j = 0; j < n_columns; j++) {
        sk_store stored = sk_chunk_store_field(shared, chunk, j, row, &chunk->fields[j]);
        if (stored == SK_STORE_NOMEM) {
            fail(chunk, SURVKIT_ERR_NOMEM, 0, "out of memory reading string values");
            return false;
        }
        if (stored == SK_STORED_NAN) chunk->n_missing[j]++;
    }
    return true;
}

void sk_chunk_parse(sk_csv_shared *shared, sk_chunk *chunk)
{
    /* Map this chunk's slices of the columns now, on its own thread (see core/memory.h). */
    for (size_t j = 0; j < shared->n_columns; j++)
        if (chunk->actions[j] != SK_ACTION_SKIP)
            sk_memory_will_fill(shared->values[j] + chunk->row0, chunk->capacity * sizeof(double));
    sk_scanner s;
    sk_scan_init(&s, chunk->begin, chunk->end, shared->separator, chunk->first_line, shared->source);
    const char *reported = chunk->begin;
    size_t n_rows = 0;
    chunk->status = SURVKIT_OK;
    for (;;) {
        if (n_rows == chunk->capacity) { /* the end, or an internal error: capacity counts rows */
            if (sk_scan_row(&s, NULL, 0, &(size_t){0}, &chunk->err) != SK_SCAN_END)
                fail(chunk, SURVKIT_ERR_INTERNAL, s.row_line, "more rows than line ends");
            break;
        }
        /* A batch of common rows (one call, the row loop's constants set up once), then, where
         * the batch stopped short, one row by the general tokenizer. */
        size_t n_read = 0;
        const size_t batch = chunk->capacity - n_rows < FAST_BATCH_ROWS ? chunk->capacity - n_rows : FAST_BATCH_ROWS;
        sk_fast_row fast = sk_chunk_fast_rows(shared, chunk, &s, chunk->row0 + n_rows, batch, &n_read);
        n_rows += n_read;
        if (fast == SK_FAST_NOMEM) {
            fail(chunk, SURVKIT_ERR_NOMEM, 0, "out of memory reading string values");
            break;
        }
        if (fast == SK_FAST_FALLBACK) {
            if (!general_row(shared, chunk, &s, chunk->row0 + n_rows)) break;
            n_rows++;
        }
        if ((size_t)(s.p - reported) >= PROGRESS_STEP) {
            bool go_on = keep_going(shared, chunk, (uint64_t)(s.p - reported));
            reported = s.p;
            if (!go_on) {
                if (chunk->status == SURVKIT_OK) chunk->status = SURVKIT_ERR_ARGUMENT; /* abandoned */
                break;
            }
        }
    }
    atomic_fetch_add(&shared->bytes_done, (uint64_t)(s.p - reported));
    chunk->n_rows = n_rows;
    if (chunk->status != SURVKIT_OK) mark_failed(shared, chunk->index);
}
