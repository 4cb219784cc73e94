/*
 * survkit/table.h: a column store read from CSV/TSV, compressed CSV, SPSS, Stata and SAS files
 * (or built in memory).
 *
 * Numeric columns are double arrays with NaN for missing values. String columns are dictionary
 * encoded: an int32 code per row (-1 for missing) indexing a level table in order of first
 * appearance (survkit_table_column_levels); the model frame sorts levels as R's factor() does,
 * except for a factor read from value labels (survkit_table_is_factor), whose levels keep their
 * order (the order of their codes, as R's haven::as_factor).
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
    int value_labels;          /* statistics files: 1 = a column with value labels is a factor of
                                  its labels (default); 0 = it keeps its numeric codes */

    survkit_encoding encoding; /* the file's text (default UTF-8) */
} survkit_read_options;

SURVKIT_API void survkit_read_options_init(survkit_read_options *opt);
/* "utf-8", "latin1", "cp1252" (or "iso-8859-1", "windows-1252"; any case) to *out; false when
 * the name is none of these. */
SURVKIT_API bool survkit_encoding_parse(const char *name, survkit_encoding *out);

/*
 * Read a data file. `path` "-" reads standard input (always delimited text). Otherwise the format
 * follows the extension and is checked against the file's first bytes (a mismatch is an error):
 *   .csv .tsv .txt (and any other extension)   delimited text
 *   .csv.gz .tsv.gz (.gz)  gzip'ed text      .csv.zst .tsv.zst (.zst)  zstd-compressed text
 *   .sav .zsav .por  SPSS     .dta  Stata (formats 104 to 119)     .sas7bdat .xpt  SAS
 * An unknown extension is read by its first bytes (delimited text when they match no format).
 * In a statistics file, a numeric column with value labels is a factor whose levels are its labels
 * in the order of their codes, a code without a label giving the level of its number, keeping only
 * the levels that occur (R's droplevels(haven::as_factor(x))); user-defined (SPSS) and extended
 * (Stata .a-.z, SAS .A-.Z) missing values are missing; dates are days and date-times seconds since
 * 1970-01-01 (haven's rules: the display format says which); an empty string is missing.
 * On failure *out is NULL and `err` names the file, line and column (for text) or what is wrong.
 */
SURVKIT_API survkit_status survkit_table_read_file(const char *path, const survkit_read_options *opt,
                                                   survkit_table **out, survkit_error *err);
/* The bytes of a data file held in memory, read as survkit_table_read_file reads a file: `name`
 * (its extension) and the bytes decide the format, and `name` is used in error messages. */
SURVKIT_API survkit_status survkit_table_read_memory(const void *data, size_t size, const char *name,
                                                     const survkit_read_options *opt,
                                                     survkit_table **out, survkit_error *err);
/* Read delimited text held in memory; `source_name` is used in error messages. */
SURVKIT_API survkit_status survkit_table_read_buffer(const char *data, size_t size,
                                                     const char *source_name,
                                                     const survkit_read_options *opt,
                                                     survkit_table **out, survkit_error *err);

/*
 * Reading delimited text a block of rows at a time (csv_blocks.c), for tools that stream (split):
 * the memory is one block, not the file. Opening makes a first pass over the file that decides each
 * column's type exactly as survkit_table_read_file does (R's read.csv rules: numeric unless some
 * value is neither missing nor a number) without keeping rows; survkit_table_reader_next then
 * parses the next block_rows rows (or fewer at the end) into a new table with those types. A string
 * column's levels are those of the block, in their order of first appearance there. A regular
 * file is memory-mapped and the pages read are released block by block; standard input ("-") and
 * gzip/zstd files are held whole as text (not as a table), as are Latin-1/CP1252 files (converted
 * first). SPSS, Stata and SAS files are not read this way: SURVKIT_ERR_TYPE (read them whole).
 * Errors give the file's line and column as survkit_table_read_file gives them.
 */
typedef struct survkit_table_reader_s survkit_table_reader;

SURVKIT_API survkit_status survkit_table_reader_open(const char *path, const survkit_read_options *opt,
                                                     size_t block_rows, survkit_table_reader **out,
                                                     survkit_error *err);
/* The next block into *block (the caller frees it), or *block NULL after the last row. */
SURVKIT_API survkit_status survkit_table_reader_next(survkit_table_reader *r, survkit_table **block,
                                                     survkit_error *err);
/* Back to the first row, to read the blocks again (a second pass). */
SURVKIT_API void survkit_table_reader_rewind(survkit_table_reader *r);
/* Rows handed out before the last block returned (its first row's index in the file). */
SURVKIT_API size_t survkit_table_reader_block_start(const survkit_table_reader *r);
/* Rows in the file (known from the first pass). */
SURVKIT_API size_t survkit_table_reader_n_rows(const survkit_table_reader *r);
SURVKIT_API size_t survkit_table_reader_n_columns(const survkit_table_reader *r);
SURVKIT_API const char *survkit_table_reader_column_name(const survkit_table_reader *r, size_t column);
SURVKIT_API survkit_column_type survkit_table_reader_column_type(const survkit_table_reader *r,
                                                                 size_t column);
/* Over the whole file: is every value of numeric column `column` missing or a whole number within
 * R's integer range (|x| <= 2^31 - 1)? false for a string column. */
SURVKIT_API bool survkit_table_reader_column_whole(const survkit_table_reader *r, size_t column);
/* Over the whole file: the distinct values of string column `column` when there are at most
 * SURVKIT_READER_FEW_LEVELS (e.g. to see that a column is R's logical TRUE/FALSE), in order of
 * first appearance; SIZE_MAX when there are more; 0 for a numeric column. */
enum { SURVKIT_READER_FEW_LEVELS = 8 };
SURVKIT_API size_t survkit_table_reader_n_levels(const survkit_table_reader *r, size_t column);
SURVKIT_API const char *survkit_table_reader_level(const survkit_table_reader *r, size_t column,
                                                   size_t k);
/* The whole file as one table, as survkit_table_read_file reads it (from the text the reader holds
 * or maps): e.g. to name a data error exactly as a whole read names it. The options given to open
 * (their NA tokens) must still be alive. */
SURVKIT_API survkit_status survkit_table_reader_read_all(const survkit_table_reader *r,
                                                         survkit_table **out, survkit_error *err);
SURVKIT_API void survkit_table_reader_close(survkit_table_reader *r);

/* Build a table in memory: create it with n rows, then add columns (copied). */
SURVKIT_API survkit_status survkit_table_create(size_t n_rows, survkit_table **out, survkit_error *err);
SURVKIT_API survkit_status survkit_table_add_numeric(survkit_table *t, const char *name,
                                                     const double *values, survkit_error *err);
/* As survkit_table_add_numeric without a copy: `values` (n_rows doubles, NaN = missing) is read in
 * place and must stay alive and unchanged until the table is freed (for bindings over NumPy/R). */
SURVKIT_API survkit_status survkit_table_add_numeric_view(survkit_table *t, const char *name,
                                                          const double *values, survkit_error *err);
/* A factor (R's factor, a pandas Categorical): codes[n_rows] in 0..n_levels-1 or -1 (missing) into
 * levels[n_levels], whose order is kept (the first is the reference level; unused levels are kept,
 * as R's model.frame keeps them). A code out of range is SURVKIT_ERR_DOMAIN. Copied. */
SURVKIT_API survkit_status survkit_table_add_factor(survkit_table *t, const char *name,
                                                    const int32_t *codes, const char *const *levels,
                                                    size_t n_levels, survkit_error *err);
/* `values[i]` NULL is a missing value. */
SURVKIT_API survkit_status survkit_table_add_string(survkit_table *t, const char *name,
                                                    const char *const *values, survkit_error *err);
/* Free the table. A frame built from it may read some of its arrays in place (a CSV's numeric
 * columns as its design matrix): those stay until the frame is freed too. */
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
/* Is this string column a factor read from value labels (levels in their own order, not sorted)? */
SURVKIT_API bool survkit_table_is_factor(const survkit_table *t, size_t column);
/* The variable label of a statistics file's column, or NULL. */
SURVKIT_API const char *survkit_table_column_label(const survkit_table *t, size_t column);
/* The value labels of a statistics file's column, by code (all of them, used or not): label k and,
 * in *value when not NULL, its code; NULL for a bad index. */
SURVKIT_API size_t survkit_table_n_value_labels(const survkit_table *t, size_t column);
SURVKIT_API const char *survkit_table_value_label(const survkit_table *t, size_t column, size_t k,
                                                  double *value);

#ifdef __cplusplus
}
#endif

#endif /* SURVKIT_TABLE_H */
