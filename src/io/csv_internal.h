/*
 * csv_internal.h: the pieces of the CSV reader and how they meet.
 *
 *   source.c      bytes of a file (memory-mapped), of standard input, or of a caller's buffer
 *   csv_scan.c    tokenizer: rows of fields, RFC 4180 quoting, line and column tracking
 *   number.c      R's number syntax to correctly rounded doubles
 *   dictionary.c  string interning for string columns
 *   csv_header.c  the header row: separator, column names and their checks
 *   csv_chunk.c   the kernel: one byte range of rows into typed column arrays
 *   csv_fast_row.c the common row (one line, unquoted) tokenized and parsed in one pass
 *   csv.c         orchestration: chunks split at line ends, threads, type resolution, the table
 */
#ifndef SURVKIT_IO_CSV_INTERNAL_H
#define SURVKIT_IO_CSV_INTERNAL_H

#include "core/internal.h"
#include "io/csv_scan.h"
#include "io/dictionary.h"

#include <stdatomic.h>

/* The bytes of one input. */
typedef struct sk_source {
    const char *data;
    size_t size;
    void *map;      /* mmap'ed region, or NULL */
    size_t map_size;
    char *owned;    /* malloc'ed copy (standard input, pipes), or NULL */
} sk_source;

/* Open `path` ("-" = standard input): a regular file is memory-mapped, anything else read in
 * large blocks. `source_name` is the name used in errors. SURVKIT_ERR_IO on failure. */
survkit_status sk_source_open(const char *path, const char *source_name, sk_source *src,
                              survkit_error *err);
void sk_source_close(sk_source *src);

/* The header row. */
typedef struct sk_csv_header {
    char separator;
    size_t n_columns;
    char **names;         /* n_columns NUL-terminated names, owned */
    const char *body;     /* first byte after the header row */
    uint64_t body_line;   /* physical line of `body` */
} sk_csv_header;

/*
 * Read the header of [begin, end) (BOM already skipped): separator (`separator` 0 = detect), names.
 * Errors: an empty input, an empty or duplicated name, invalid UTF-8 in a name (line 1, the column
 * of the name).
 */
survkit_status sk_csv_header_read(const char *begin, const char *end, char separator,
                                  const char *source, sk_csv_header *header, survkit_error *err);
void sk_csv_header_free(sk_csv_header *header);

/* What the chunk kernel knows of a column so far, within one chunk. */
typedef enum sk_chunk_column_state {
    SK_CHUNK_EMPTY = 0, /* only missing values so far */
    SK_CHUNK_NUMERIC,   /* numbers (and missing values) */
    SK_CHUNK_STRING,    /* a non-number came first: codes of the chunk's dictionary */
    SK_CHUNK_MIXED      /* numbers then text: must be read again as text */
} sk_chunk_column_state;

/* What the kernel does with a column. */
typedef enum sk_chunk_action {
    SK_ACTION_DETECT = 0, /* numbers while they last, then text (first pass) */
    SK_ACTION_TEXT,       /* every value as text (second pass of a string column) */
    SK_ACTION_SKIP
} sk_chunk_action;

/* Shared by the threads of one read: progress, cancellation, and the first failing chunk. */
typedef struct sk_csv_shared {
    size_t n_columns;
    char separator;
    const char *source;
    const char *const *na_tokens; /* extra missing-value tokens */
    size_t n_na_tokens;
    double **values;              /* values[j][row]: numbers, or string codes as doubles; NaN = NA */
    survkit_progress_fn progress;
    void *progress_user;
    uint64_t total_bytes;
    atomic_uint_fast64_t bytes_done;
    atomic_size_t first_failed;   /* index of the first chunk that failed, SIZE_MAX if none */
} sk_csv_shared;

typedef struct sk_chunk {
    size_t index;
    const char *begin, *end;
    uint64_t first_line;
    size_t row0;       /* row of the chunk's first row in shared->values */
    size_t capacity;   /* rows reserved from row0 */
    size_t n_rows;
    uint8_t *states;   /* sk_chunk_column_state per column */
    uint8_t *actions;  /* sk_chunk_action per column */
    sk_dict *dicts;    /* per column, for text */
    sk_field *fields;  /* one row's fields */
    size_t *n_missing; /* per column: values stored as NaN (missing, or the number NaN) */
    size_t *row_missing; /* scratch of the fast row: its columns stored as NaN */
    char *scratch;     /* unescaped text of a field */
    size_t scratch_capacity;
    bool reports;      /* runs on the calling thread: calls the progress callback */
    survkit_status status;
    survkit_error err;
} sk_chunk;

/* Allocate a chunk's per-column arrays (states EMPTY, actions DETECT). */
survkit_status sk_chunk_init(sk_chunk *chunk, size_t n_columns);
void sk_chunk_free(sk_chunk *chunk, size_t n_columns);

/*
 * Parse the rows of chunk->[begin, end) into shared->values[j][row0 + i] for each column whose
 * action is not SKIP. Inputs: chunk->actions; states and dictionaries as left by sk_chunk_init or
 * reset for a TEXT pass. Outputs: n_rows, states, dicts; status and err on failure.
 */
void sk_chunk_parse(sk_csv_shared *shared, sk_chunk *chunk);

typedef enum sk_store { SK_STORED, SK_STORED_NAN, SK_STORE_NOMEM } sk_store;

/* Store field f as row `row` of column j, by the column's action and state (csv_chunk.c).
 * SK_STORED_NAN: the value stored is NaN (a missing value, or the number NaN), for the column's
 * missing count, which the caller keeps. Storing the same field again changes nothing. */
sk_store sk_chunk_store_field(const sk_csv_shared *shared, sk_chunk *chunk, size_t j, size_t row,
                              const sk_field *f);

typedef enum sk_fast_row { SK_FAST_ROW, SK_FAST_FALLBACK, SK_FAST_NOMEM } sk_fast_row;

/*
 * Read up to max_rows rows from s->p into rows row, row + 1, ... while each is one line of unquoted
 * fields (csv_fast_row.c), advancing the scanner as sk_scan_row would; *n_read rows were read.
 * SK_FAST_ROW: all max_rows. SK_FAST_FALLBACK: the next row is left to sk_scan_row (which also
 * reports its errors). SK_FAST_NOMEM: a string could not be stored.
 */
sk_fast_row sk_chunk_fast_rows(sk_csv_shared *shared, sk_chunk *chunk, sk_scanner *s, size_t row,
                               size_t max_rows, size_t *n_read);

#endif /* SURVKIT_IO_CSV_INTERNAL_H */
