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
} sk_column;

struct survkit_table_s {
    size_t n_rows;
    size_t n_columns;
    size_t capacity;
    sk_column *columns;
};

/* Append `col` to `t`, taking ownership of its arrays (also on failure, when they are freed). */
survkit_status sk_table_take_column(survkit_table *t, sk_column *col, survkit_error *err);
/* Free the arrays of one column (not the struct itself). */
void sk_column_release(sk_column *col);

#endif /* SURVKIT_TABLE_INTERNAL_H */
