/* table.c: the column store (typed columns, dictionary-encoded strings) and its getters. */
#include "data/table_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void sk_column_release(sk_column *col)
{
    if (col == NULL) return;
    free(col->name);
    if (!col->borrowed && !col->in_block) free(col->numbers);
    free(col->codes);
    for (size_t k = 0; k < col->n_levels; k++) free(col->levels[k]);
    free(col->levels);
    free(col->label);
    free(col->label_values);
    for (size_t k = 0; k < col->n_value_labels; k++) free(col->label_texts[k]);
    free(col->label_texts);
    memset(col, 0, sizeof *col);
}

survkit_status survkit_table_create(size_t n_rows, survkit_table **out, survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL, err, SURVKIT_ERR_ARGUMENT, "survkit_table_create: out is NULL");
    *out = calloc(1, sizeof **out);
    RETURN_ERROR_IF(*out == NULL, err, SURVKIT_ERR_NOMEM, "out of memory creating a table");
    (*out)->n_rows = n_rows;
    (*out)->refs = 1;
    return SURVKIT_OK;
}

survkit_table *sk_table_retain(const survkit_table *t)
{
    survkit_table *owned = (survkit_table *)t; /* the count is not the table's contents */
    __atomic_add_fetch(&owned->refs, 1, __ATOMIC_RELAXED);
    return owned;
}

bool sk_table_column_complete(const survkit_table *t, size_t j)
{
    return t != NULL && j < t->n_columns && t->columns[j].in_block &&
           t->columns[j].type == SURVKIT_COLUMN_NUMERIC && t->columns[j].n_missing == 0;
}

void survkit_table_free(survkit_table *t)
{
    if (t == NULL) return;
    if (__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) > 0) return; /* a frame still reads it */
    for (size_t j = 0; j < t->n_columns; j++) sk_column_release(&t->columns[j]);
    free(t->columns);
    free(t->block);
    free(t);
}

survkit_status sk_table_take_column(survkit_table *t, sk_column *col, survkit_error *err)
{
    if (t->n_columns == t->capacity) {
        size_t capacity = t->capacity ? 2 * t->capacity : 8;
        sk_column *grown = sk_realloc_array(t->columns, capacity, sizeof *grown);
        if (grown == NULL) {
            sk_column_release(col);
            return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory adding a column");
        }
        t->columns = grown;
        t->capacity = capacity;
    }
    t->columns[t->n_columns++] = *col;
    memset(col, 0, sizeof *col);
    return SURVKIT_OK;
}

survkit_status survkit_table_add_numeric(survkit_table *t, const char *name, const double *values,
                                         survkit_error *err)
{
    RETURN_ERROR_IF(t == NULL || name == NULL || (values == NULL && t->n_rows > 0), err,
                    SURVKIT_ERR_ARGUMENT, "survkit_table_add_numeric: NULL argument");
    sk_column col = {.type = SURVKIT_COLUMN_NUMERIC};
    col.name = sk_strdup(name);
    col.numbers = sk_malloc_array(t->n_rows, sizeof(double));
    if (col.name == NULL || col.numbers == NULL) {
        sk_column_release(&col);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory adding column %s", name);
    }
    for (size_t i = 0; i < t->n_rows; i++) {
        col.numbers[i] = values[i];
        if (isnan(values[i])) col.n_missing++;
    }
    return sk_table_take_column(t, &col, err);
}

/* The caller's array is used in place (no copy): bindings pass a NumPy or R vector this way. */
survkit_status survkit_table_add_numeric_view(survkit_table *t, const char *name, const double *values,
                                              survkit_error *err)
{
    RETURN_ERROR_IF(t == NULL || name == NULL || (values == NULL && t->n_rows > 0), err,
                    SURVKIT_ERR_ARGUMENT, "survkit_table_add_numeric_view: NULL argument");
    sk_column col = {.type = SURVKIT_COLUMN_NUMERIC, .borrowed = true};
    col.name = sk_strdup(name);
    RETURN_ERROR_IF(col.name == NULL, err, SURVKIT_ERR_NOMEM, "out of memory adding column %s", name);
    col.numbers = (double *)values; /* never written: frames read columns only */
    for (size_t i = 0; i < t->n_rows; i++) col.n_missing += isnan(values[i]) != 0;
    return sk_table_take_column(t, &col, err);
}

/* A factor: codes 0..n_levels-1 (-1 missing) into `levels`, which keep their order (R's factor
 * levels; unused levels kept, as model.frame keeps them). Codes and levels are copied. */
survkit_status survkit_table_add_factor(survkit_table *t, const char *name, const int32_t *codes,
                                        const char *const *levels, size_t n_levels,
                                        survkit_error *err)
{
    RETURN_ERROR_IF(t == NULL || name == NULL || (codes == NULL && t->n_rows > 0) ||
                        (levels == NULL && n_levels > 0),
                    err, SURVKIT_ERR_ARGUMENT, "survkit_table_add_factor: NULL argument");
    RETURN_ERROR_IF(n_levels > INT32_MAX, err, SURVKIT_ERR_ARGUMENT, "column %s: too many levels", name);
    sk_column col = {.type = SURVKIT_COLUMN_STRING, .factor = true};
    col.name = sk_strdup(name);
    col.codes = sk_malloc_array(t->n_rows, sizeof(int32_t));
    col.levels = sk_calloc_array(n_levels > 0 ? n_levels : 1, sizeof *col.levels);
    bool ok = col.name != NULL && col.codes != NULL && col.levels != NULL;
    for (size_t k = 0; ok && k < n_levels; k++) {
        col.levels[k] = sk_strdup(levels[k] != NULL ? levels[k] : "NA");
        ok = col.levels[k] != NULL;
        col.n_levels = k + 1;
    }
    if (!ok) {
        sk_column_release(&col);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory adding column %s", name);
    }
    for (size_t i = 0; i < t->n_rows; i++) {
        if (codes[i] < -1 || codes[i] >= (int32_t)n_levels) {
            sk_column_release(&col);
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 2, t->n_columns + 1,
                                "column %s: code %ld is not a level (0..%zu or -1)", name,
                                (long)codes[i], n_levels);
        }
        col.codes[i] = codes[i];
        col.n_missing += codes[i] == -1;
    }
    return sk_table_take_column(t, &col, err);
}

/* Code of `value` among the levels seen so far, adding it when new (linear search: for tests and
 * small in-memory tables; the file readers use a hash table). */
static int32_t level_code(sk_column *col, const char *value, size_t *capacity)
{
    for (size_t k = 0; k < col->n_levels; k++)
        if (strcmp(col->levels[k], value) == 0) return (int32_t)k;
    if (col->n_levels == *capacity) {
        size_t grown_capacity = *capacity ? 2 * *capacity : 8;
        char **grown = sk_realloc_array(col->levels, grown_capacity, sizeof *grown);
        if (grown == NULL) return -2;
        col->levels = grown;
        *capacity = grown_capacity;
    }
    if (col->n_levels >= INT32_MAX) return -2;
    char *copy = sk_strdup(value);
    if (copy == NULL) return -2;
    col->levels[col->n_levels] = copy;
    return (int32_t)col->n_levels++;
}

survkit_status survkit_table_add_string(survkit_table *t, const char *name,
                                        const char *const *values, survkit_error *err)
{
    RETURN_ERROR_IF(t == NULL || name == NULL || (values == NULL && t->n_rows > 0), err,
                    SURVKIT_ERR_ARGUMENT, "survkit_table_add_string: NULL argument");
    sk_column col = {.type = SURVKIT_COLUMN_STRING};
    size_t capacity = 0;
    col.name = sk_strdup(name);
    col.codes = sk_malloc_array(t->n_rows, sizeof(int32_t));
    bool ok = col.name != NULL && col.codes != NULL;
    for (size_t i = 0; ok && i < t->n_rows; i++) {
        if (values[i] == NULL) {
            col.codes[i] = -1;
            col.n_missing++;
            continue;
        }
        col.codes[i] = level_code(&col, values[i], &capacity);
        ok = col.codes[i] >= 0;
    }
    if (!ok) {
        sk_column_release(&col);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory adding column %s", name);
    }
    return sk_table_take_column(t, &col, err);
}

size_t survkit_table_n_rows(const survkit_table *t) { return t ? t->n_rows : 0; }
size_t survkit_table_n_columns(const survkit_table *t) { return t ? t->n_columns : 0; }

long survkit_table_find(const survkit_table *t, const char *name)
{
    if (t == NULL || name == NULL) return -1;
    for (size_t j = 0; j < t->n_columns; j++)
        if (strcmp(t->columns[j].name, name) == 0) return (long)j;
    return -1;
}

static const sk_column *column_at(const survkit_table *t, size_t j)
{
    return (t != NULL && j < t->n_columns) ? &t->columns[j] : NULL;
}

const char *survkit_table_column_name(const survkit_table *t, size_t j)
{
    const sk_column *c = column_at(t, j);
    return c ? c->name : NULL;
}

survkit_column_type survkit_table_column_type(const survkit_table *t, size_t j)
{
    const sk_column *c = column_at(t, j);
    return c ? c->type : SURVKIT_COLUMN_NUMERIC;
}

const double *survkit_table_numeric(const survkit_table *t, size_t j)
{
    const sk_column *c = column_at(t, j);
    return c ? c->numbers : NULL;
}

const int32_t *survkit_table_codes(const survkit_table *t, size_t j)
{
    const sk_column *c = column_at(t, j);
    return c ? c->codes : NULL;
}

size_t survkit_table_n_levels(const survkit_table *t, size_t j)
{
    const sk_column *c = column_at(t, j);
    return c ? c->n_levels : 0;
}

const char *survkit_table_level(const survkit_table *t, size_t j, size_t k)
{
    const sk_column *c = column_at(t, j);
    return (c != NULL && k < c->n_levels) ? c->levels[k] : NULL;
}

size_t survkit_table_n_missing(const survkit_table *t, size_t j)
{
    const sk_column *c = column_at(t, j);
    return c ? c->n_missing : 0;
}

bool survkit_table_is_factor(const survkit_table *t, size_t j)
{
    const sk_column *c = column_at(t, j);
    return c != NULL && c->type == SURVKIT_COLUMN_STRING && c->factor;
}

const char *survkit_table_column_label(const survkit_table *t, size_t j)
{
    const sk_column *c = column_at(t, j);
    return c ? c->label : NULL;
}

size_t survkit_table_n_value_labels(const survkit_table *t, size_t j)
{
    const sk_column *c = column_at(t, j);
    return c ? c->n_value_labels : 0;
}

const char *survkit_table_value_label(const survkit_table *t, size_t j, size_t k, double *value)
{
    const sk_column *c = column_at(t, j);
    if (c == NULL || k >= c->n_value_labels) return NULL;
    if (value != NULL) *value = c->label_values[k];
    return c->label_texts[k];
}
