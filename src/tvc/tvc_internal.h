/*
 * tvc_internal.h: what survSplit (split.c) and tmerge (tmerge*.c) share: copying table columns
 * row by row into the output table, and adding made columns to it.
 */
#ifndef SURVKIT_TVC_INTERNAL_H
#define SURVKIT_TVC_INTERNAL_H

#include "data/table_internal.h"

/*
 * Append to `out` (n rows) a copy of column `src` taken at rows[0..n-1] (rows of src's table, any
 * order, repeats allowed), named `name` (NULL: src's name). String columns keep their levels.
 */
survkit_status sk_tvc_gather(survkit_table *out, const sk_column *src, const size_t *rows, size_t n,
                             const char *name, survkit_error *err);

/* Append `values` (n = out's rows, taken over: freed on failure too) as numeric column `name`. */
survkit_status sk_tvc_take_numeric(survkit_table *out, const char *name, double *values,
                                   survkit_error *err);

/*
 * Append a string column built from codes[n] (taken over) into levels[n_levels] (copied; the
 * caller keeps its own), -1 = missing.
 */
survkit_status sk_tvc_take_codes(survkit_table *out, const char *name, int32_t *codes,
                                 char *const *levels, size_t n_levels, survkit_error *err);

#endif
