/* columns.c: building the output table of split and tmerge, a column at a time. */
#include "tvc/tvc_internal.h"

#include <stdlib.h>
#include <string.h>

static survkit_status copy_levels(sk_column *dst, char *const *levels, size_t n_levels,
                                  survkit_error *err)
{
    dst->levels = sk_calloc_array(n_levels, sizeof *dst->levels);
    RETURN_ERROR_IF(dst->levels == NULL, err, SURVKIT_ERR_NOMEM, "out of memory copying levels");
    dst->n_levels = n_levels;
    for (size_t k = 0; k < n_levels; k++) {
        dst->levels[k] = sk_strdup(levels[k]);
        RETURN_ERROR_IF(dst->levels[k] == NULL, err, SURVKIT_ERR_NOMEM, "out of memory copying levels");
    }
    return SURVKIT_OK;
}

survkit_status sk_tvc_gather(survkit_table *out, const sk_column *src, const size_t *rows, size_t n,
                             const char *name, survkit_error *err)
{
    sk_column col = {.type = src->type};
    col.name = sk_strdup(name ? name : src->name);
    survkit_status status = SURVKIT_OK;
    if (col.name == NULL) {
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    } else if (src->type == SURVKIT_COLUMN_NUMERIC) {
        col.numbers = sk_malloc_array(n, sizeof *col.numbers);
        if (col.numbers == NULL) status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        else
            for (size_t i = 0; i < n; i++) {
                col.numbers[i] = src->numbers[rows[i]];
                col.n_missing += col.numbers[i] != col.numbers[i];
            }
    } else {
        col.codes = sk_malloc_array(n, sizeof *col.codes);
        if (col.codes == NULL) status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        else status = copy_levels(&col, src->levels, src->n_levels, err);
        if (status == SURVKIT_OK)
            for (size_t i = 0; i < n; i++) {
                col.codes[i] = src->codes[rows[i]];
                col.n_missing += col.codes[i] < 0;
            }
    }
    if (status != SURVKIT_OK) {
        sk_column_release(&col);
        return status;
    }
    return sk_table_take_column(out, &col, err);
}

survkit_status sk_tvc_take_numeric(survkit_table *out, const char *name, double *values,
                                   survkit_error *err)
{
    sk_column col = {.type = SURVKIT_COLUMN_NUMERIC, .numbers = values};
    col.name = sk_strdup(name);
    if (col.name == NULL) {
        sk_column_release(&col);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < out->n_rows; i++) col.n_missing += values[i] != values[i];
    return sk_table_take_column(out, &col, err);
}

survkit_status sk_tvc_take_codes(survkit_table *out, const char *name, int32_t *codes,
                                 char *const *levels, size_t n_levels, survkit_error *err)
{
    sk_column col = {.type = SURVKIT_COLUMN_STRING, .codes = codes};
    col.name = sk_strdup(name);
    survkit_status status = col.name == NULL
                                ? sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory")
                                : copy_levels(&col, levels, n_levels, err);
    if (status != SURVKIT_OK) {
        sk_column_release(&col);
        return status;
    }
    for (size_t i = 0; i < out->n_rows; i++) col.n_missing += codes[i] < 0;
    return sk_table_take_column(out, &col, err);
}
