/*
 * id_index.h: the base table's ids, looked up by value (R's match(id, baseid)): numbers by value,
 * strings by text; a number and a string are compared as R's match() compares them, through R's
 * as.character of the number (15 significant digits).
 */
#ifndef SURVKIT_TVC_ID_INDEX_H
#define SURVKIT_TVC_ID_INDEX_H

#include "data/table_internal.h"

typedef struct sk_id_index {
    const sk_column *ids; /* the base's id column (borrowed) */
    size_t n;             /* its rows */
    size_t mask;          /* slots - 1 (a power of two) */
    size_t *slot;         /* base row + 1, 0 = empty */
    /* Whole-number ids in a range at most 4n + 16 wide (1..n, say) are looked up directly:
     * dense[id - lowest] = base row + 1 (one memory access a look-up instead of a probe chain). */
    size_t *dense;
    double lowest;
    size_t span;
} sk_id_index;

/* An id: a number, or a text (borrowed). */
typedef struct sk_id_key {
    bool is_text;
    double number;
    const char *text;
} sk_id_key;

/* The id of column `col` at row i; false when it is missing. */
bool sk_id_key_of(const sk_column *col, size_t i, sk_id_key *k);
uint64_t sk_id_key_hash(const sk_id_key *k);
/* Bring `k` to text (to_text) or to a number as R's match() compares them (the text through
 * buf); false when a text is no number's as.character. */
bool sk_id_key_convert(sk_id_key *k, bool to_text, char *buf, size_t size);
/* Two keys of one kind are the same id. */
bool sk_id_key_equal(const sk_id_key *a, const sk_id_key *b);

/* Index the base ids. A missing id is SURVKIT_ERR_DOMAIN, a repeated one too (R's "data1 must
 * have no duplicate identifiers"); both name the row (err->line = row + 2, err->column). */
survkit_status sk_id_index_build(sk_id_index *x, const sk_column *ids, size_t n, uint64_t column,
                                 survkit_error *err);
void sk_id_index_release(sk_id_index *x);

/* The base row holding id `value` of column `col` at row i, or SIZE_MAX (also for a missing id). */
size_t sk_id_index_find(const sk_id_index *x, const sk_column *col, size_t i);

#endif
