/*
 * tmerge_internal.h: the survkit_tmerge object: (tstart, tstop] rows grouped by base row in the
 * base's order (time order within an id, as R keeps them), and the variables the calls added.
 */
#ifndef SURVKIT_TMERGE_INTERNAL_H
#define SURVKIT_TMERGE_INTERNAL_H

#include "tvc/id_index.h"

/* A variable made by a call: numbers, or text codes into its own levels. */
typedef struct tm_var {
    char *name;
    bool is_event;   /* R's tevent: 0 on the earlier pieces when a later call cuts a row */
    bool is_tdc;     /* R's tdcvar */
    bool is_text;
    double *num;     /* per row (numbers) */
    int32_t *codes;  /* per row (text), -1 = NA */
    char **levels;
    size_t n_levels;
} tm_var;

struct survkit_tmerge_s {
    const survkit_table *base;
    size_t id_column, stop_column;
    sk_id_index ids;
    size_t n, capacity;  /* rows */
    size_t *base_row;    /* base row of each row */
    double *tstart, *tstop;
    tm_var *vars;
    size_t n_vars;
    size_t n_unknown;    /* events of the last call whose id is not in the base */
    size_t n_used;       /* events of the last call used (id in the base, time and value given) */
    bool block;          /* the base is a block of a larger one (survkit_tmerge_set_block) */
    char **warnings;
    size_t n_warnings;
};

void sk_tm_var_release(tm_var *v);
/* Add a warning (printf-style); false when out of memory. */
bool sk_tm_warn(survkit_tmerge *tm, const char *fmt, ...) SK_PRINTF(2, 3);

#endif
