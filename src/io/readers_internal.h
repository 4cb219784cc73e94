/*
 * readers_internal.h: the readers survkit_table_read_file (read_file.c) chooses between.
 *
 *   csv.c             delimited text held in memory (the CSV reader)
 *   decompress.c      gzip and zstd streams inflated in memory, then read as text
 *   readstat_reader.c SPSS, Stata and SAS files through ReadStat, straight into columns
 *   labelled.c        value labels into factors (haven's as_factor), for readstat_reader.c
 */
#ifndef SURVKIT_IO_READERS_INTERNAL_H
#define SURVKIT_IO_READERS_INTERNAL_H

#include "core/internal.h"
#include "io/format.h"

/* Delimited text in [data, data + size) into a table; `source` names it in errors. */
survkit_status sk_csv_read(const char *data, size_t size, const char *source,
                           const survkit_read_options *opt, survkit_table **out, survkit_error *err);

/*
 * Inflate all of a gzip (SK_FORMAT_GZIP: one or more members) or zstd (SK_FORMAT_ZSTD: one or more
 * frames) stream into a new buffer *out of *out_size bytes (free it). Truncated or corrupt input is
 * SURVKIT_ERR_PARSE naming `source`. `opt` (may be NULL) gives progress and cancellation, in
 * compressed bytes.
 */
survkit_status sk_decompress(sk_format format, const unsigned char *data, size_t size,
                             const char *source, const survkit_read_options *opt, char **out,
                             size_t *out_size, survkit_error *err);

/* An SPSS, Stata or SAS file held in [data, data + size) into a table (see survkit/table.h for
 * what becomes of labels, missing values and dates). */
survkit_status sk_readstat_read(sk_format format, const unsigned char *data, size_t size,
                                const char *source, const survkit_read_options *opt,
                                survkit_table **out, survkit_error *err);

#endif /* SURVKIT_IO_READERS_INTERNAL_H */
