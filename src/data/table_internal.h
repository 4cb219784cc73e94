/*
 * table_internal.h: the layout of survkit_table, for the readers that build one without copying.
 */
#ifndef SURVKIT_TABLE_INTERNAL_H
#define SURVKIT_TABLE_INTERNAL_H

#include "core/internal.h"

typedef struct sk_column {
    char *name;
    survkit_column_type type;
    double *numbers;   /* SURVKIT_COLUMN_NUMERIC: n_rows values, NaN = missing */
    int32_t *codes;    /* SURVKIT_COLUMN_STRING: n_rows codes, -1 = missing */
    char **levels;     /* SURVKIT_COLUMN_STRING: n_levels strings, first-seen order */
    size_t n_levels;
    size_t n_missing;
    bool factor;       /* SURVKIT_COLUMN_STRING: levels are a factor's, in their order (value labels) */
    char *label;       /* variable label of a statistics file, or NULL */
    double *label_values; /* value labels of a statistics file: n_value_labels codes... */
    char **label_texts;   /* ...and their labels, by code */
    size_t n_value_labels;
    bool borrowed;     /* numbers belong to the caller (survkit_table_add_numeric_view) */
    bool in_block;     /* numbers lie in the table's block (a CSV's numeric columns): not freed
                        * alone */
} sk_column;

struct survkit_table_s {
    size_t n_rows;
    size_t n_columns;
    size_t capacity;
    sk_column *columns;
    /* The CSV reader's one allocation for every column's values, column after column (csv.c):
     * consecutive numeric columns of the file are then one column-major matrix, which a model
     * frame can use as its design matrix without a copy. NULL when the columns are separate. */
    double *block;
    size_t block_cells; /* doubles in the block */
    /* Owners: the caller of survkit_table_create, plus every frame that reads the table's arrays
     * in place (sk_table_retain). survkit_table_free drops one; the last frees the table. */
    size_t refs;
};

/* Append `col` to `t`, taking ownership of its arrays (also on failure, when they are freed). */
survkit_status sk_table_take_column(survkit_table *t, sk_column *col, survkit_error *err);
/* One more owner of t (a frame that keeps pointers into its columns): t stays until each owner
 * has called survkit_table_free. Returns t. Safe from several threads. */
survkit_table *sk_table_retain(const survkit_table *t);
/* Is numeric column j known to hold no missing value? True for a CSV's column (in the block,
 * where the reader counted every NaN it stored) with none; false when unknown. */
bool sk_table_column_complete(const survkit_table *t, size_t j);
/* Free the arrays of one column (not the struct itself). */
void sk_column_release(sk_column *col);

#endif /* SURVKIT_TABLE_INTERNAL_H */
