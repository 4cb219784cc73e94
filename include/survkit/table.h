/*
 * survkit/table.h: a column store read from CSV/TSV (or built in memory).
 *
 * Numeric columns are double arrays with NaN for missing values. String columns are dictionary
 * encoded: an int32 code per row (-1 for missing) indexing a level table in order of first
 * appearance (survkit_table_column_levels); the model frame sorts levels as R's factor() does.
 * Include <survkit/survkit.h>, not this file.
 */
#ifndef SURVKIT_TABLE_H
#define SURVKIT_TABLE_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct survkit_table_s survkit_table;

typedef enum survkit_column_type {
    SURVKIT_COLUMN_NUMERIC = 0,
    SURVKIT_COLUMN_STRING = 1
} survkit_column_type;

/* The encoding of a file's text. The table holds UTF-8: a UTF-8 file with bytes that are not UTF-8
 * is an error at their line and column; LATIN1 (ISO 8859-1) and CP1252 (Windows-1252) files are
 * converted, as R's read.csv(fileEncoding = "latin1" / "cp1252") does. */
typedef enum survkit_encoding {
    SURVKIT_ENCODING_UTF8 = 0,
    SURVKIT_ENCODING_LATIN1 = 1,
    SURVKIT_ENCODING_CP1252 = 2
} survkit_encoding;

/* Options for reading delimited text. Initialise with survkit_read_options_init(). */
typedef struct survkit_read_options {
    char separator;            /* ',', '\t', ';' or 0 to detect from the header (default 0) */
    const char *const *na_tokens; /* extra tokens read as missing, besides "NA" and "" */
    size_t n_na_tokens;
    int threads;               /* parser threads; 0 = all cores (default 0) */
    survkit_progress_fn progress; /* optional; stage "read", done/total in bytes */
    void *progress_user;
    survkit_encoding encoding; /* the file's text (default UTF-8) */
} survkit_read_options;

SURVKIT_API void survkit_read_options_init(survkit_read_options *opt);
/* "utf-8", "latin1", "cp1252" (or "iso-8859-1", "windows-1252"; any case) to *out; false when
 * the name is none of these. */
SURVKIT_API bool survkit_encoding_parse(const char *name, survkit_encoding *out);

/*
 * Read a delimited file. `path` "-" reads standard input. On failure *out is NULL and `err` names
 * the file, line and column.
 */
SURVKIT_API survkit_status survkit_table_read_file(const char *path, const survkit_read_options *opt,
                                                   survkit_table **out, survkit_error *err);
/* Read delimited text held in memory; `source_name` is used in error messages. */
SURVKIT_API survkit_status survkit_table_read_buffer(const char *data, size_t size,
                                                     const char *source_name,
                                                     const survkit_read_options *opt,
                                                     survkit_table **out, survkit_error *err);

/* Build a table in memory: create it with n rows, then add columns (copied). */
SURVKIT_API survkit_status survkit_table_create(size_t n_rows, survkit_table **out, survkit_error *err);
SURVKIT_API survkit_status survkit_table_add_numeric(survkit_table *t, const char *name,
                                                     const double *values, survkit_error *err);
/* `values[i]` NULL is a missing value. */
SURVKIT_API survkit_status survkit_table_add_string(survkit_table *t, const char *name,
                                                    const char *const *values, survkit_error *err);
SURVKIT_API void survkit_table_free(survkit_table *t);

SURVKIT_API size_t survkit_table_n_rows(const survkit_table *t);
SURVKIT_API size_t survkit_table_n_columns(const survkit_table *t);
/* Index of the column named `name`, or -1. */
SURVKIT_API long survkit_table_find(const survkit_table *t, const char *name);
SURVKIT_API const char *survkit_table_column_name(const survkit_table *t, size_t column);
SURVKIT_API survkit_column_type survkit_table_column_type(const survkit_table *t, size_t column);
/* Numeric column values (NaN = missing), or NULL for a string column. */
SURVKIT_API const double *survkit_table_numeric(const survkit_table *t, size_t column);
/* String column codes (-1 = missing), or NULL for a numeric column. */
SURVKIT_API const int32_t *survkit_table_codes(const survkit_table *t, size_t column);
/* Number of distinct levels of a string column (0 for numeric) and level `k` (first-seen order). */
SURVKIT_API size_t survkit_table_n_levels(const survkit_table *t, size_t column);
SURVKIT_API const char *survkit_table_level(const survkit_table *t, size_t column, size_t k);
/* Number of missing values in a column. */
SURVKIT_API size_t survkit_table_n_missing(const survkit_table *t, size_t column);

#ifdef __cplusplus
}
#endif

#endif /* SURVKIT_TABLE_H */
