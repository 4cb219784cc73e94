/*
 * tmerge_stream.c: an events table indexed by id once, so that tmerge can take the base a block at a
 * time in any id order (survkit/tvc.h; id_set.c finds a base id repeated across blocks). A base
 * row's output depends only on that row and on its id's events, so a block needs only the events
 * of its ids: survkit_tmerge_events groups the event rows by id (ids hashed in the kind of the base
 * ids, as R's match() compares them; each id's rows in file order, a counting sort) and gives a
 * block those rows: O(block + its events) a block, instead of matching every event again.
 */
#include "tvc/id_index.h"
#include "tvc/tvc_internal.h"
#include "formula/formula_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct survkit_tmerge_events_s {
    const survkit_table *events; /* borrowed */
    size_t id_col;
    bool to_text;  /* the base ids are text: event ids compared as text */
    /* Whole-number ids in a range at most 4n + 16 wide (1..n, say) are their own group, id - lowest:
     * one memory access a look-up instead of a probe chain (as id_index.c does for the base) */
    bool dense;
    double lowest;
    size_t mask;   /* slots - 1 */
    size_t *slot;  /* group + 1, 0 = empty */
    size_t *rep;   /* an event row of each group (its key) */
    size_t n_groups;
    size_t *first; /* n_groups + 1: rows[first[g] .. first[g + 1]) are group g's */
    size_t *rows;  /* event rows, grouped, file order within a group */
};

void survkit_tmerge_events_free(survkit_tmerge_events *x)
{
    if (x == NULL) return;
    free(x->slot);
    free(x->rep);
    free(x->first);
    free(x->rows);
    free(x);
}

/* The key of event row i in the base's kind; false when it can match no base id. */
static bool event_key(const survkit_tmerge_events *x, size_t i, sk_id_key *k, char *buf, size_t size)
{
    return sk_id_key_of(&x->events->columns[x->id_col], i, k) && sk_id_key_convert(k, x->to_text, buf, size);
}

/* The dense group of number v, or SIZE_MAX. */
static size_t dense_group(const survkit_tmerge_events *x, double v)
{
    double offset = v - x->lowest;
    if (!(offset >= 0 && offset < (double)x->n_groups) || offset != nearbyint(offset)) return SIZE_MAX;
    return (size_t)offset;
}

/* Every event id a whole number in a narrow range: the dense groups. */
static bool use_dense(survkit_tmerge_events *x)
{
    const sk_column *ids = &x->events->columns[x->id_col];
    size_t n = x->events->n_rows;
    if (x->to_text || ids->type != SURVKIT_COLUMN_NUMERIC || n == 0) return false;
    double lo = ids->numbers[0], hi = lo;
    for (size_t i = 0; i < n; i++) {
        double v = ids->numbers[i];
        if (!(v == nearbyint(v)) || fabs(v) > 0x1p52) return false; /* also NaN: reported later */
        if (v < lo) lo = v;
        if (v > hi) hi = v;
    }
    if (hi - lo > 4.0 * (double)n + 16) return false;
    x->dense = true;
    x->lowest = lo;
    x->n_groups = (size_t)(hi - lo) + 1;
    return true;
}

/* The group holding key k, or the empty slot where it would go (*found false). */
static size_t probe(const survkit_tmerge_events *x, const sk_id_key *k, bool *found)
{
    size_t s = (size_t)sk_id_key_hash(k) & x->mask;
    for (; x->slot[s] != 0; s = (s + 1) & x->mask) {
        sk_id_key other = {false, 0, NULL};
        char buf[40];
        event_key(x, x->rep[x->slot[s] - 1], &other, buf, sizeof buf);
        if (sk_id_key_equal(k, &other)) {
            *found = true;
            return s;
        }
    }
    *found = false;
    return s;
}

/* Group the rows, dense groups (each row's group is its id): rows of group g at first[g].. */
static survkit_status index_dense(survkit_tmerge_events *x, survkit_error *err)
{
    size_t n = x->events->n_rows;
    const double *v = x->events->columns[x->id_col].numbers;
    x->first = sk_calloc_array(x->n_groups + 2, sizeof *x->first);
    x->rows = sk_malloc_array(n + 1, sizeof *x->rows);
    RETURN_ERROR_IF(!x->first || !x->rows, err, SURVKIT_ERR_NOMEM, "out of memory indexing %zu events", n);
    for (size_t i = 0; i < n; i++) x->first[dense_group(x, v[i]) + 2]++;
    for (size_t g = 0; g < x->n_groups; g++) x->first[g + 2] += x->first[g + 1];
    for (size_t i = 0; i < n; i++) x->rows[x->first[dense_group(x, v[i]) + 1]++] = i;
    return SURVKIT_OK;
}

static survkit_status index_events(survkit_tmerge_events *x, survkit_error *err)
{
    size_t n = x->events->n_rows;
    if (use_dense(x)) return index_dense(x, err);
    size_t slots = 16;
    while (slots < 2 * n) slots *= 2;
    x->mask = slots - 1;
    x->slot = sk_calloc_array(slots, sizeof *x->slot);
    x->rep = sk_malloc_array(n + 1, sizeof *x->rep);
    size_t *group = sk_malloc_array(n + 1, sizeof *group);
    if (!x->slot || !x->rep || !group) {
        free(group);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory indexing %zu events", n);
    }
    const sk_column *ids = &x->events->columns[x->id_col];
    for (size_t i = 0; i < n; i++) {
        sk_id_key k = {false, 0, NULL};
        char buf[40];
        group[i] = SIZE_MAX;
        if (!sk_id_key_of(ids, i, &k)) {
            free(group);
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 2, x->id_col + 1,
                                "the id is missing (R: id variable cannot have missing values)");
        }
        if (!sk_id_key_convert(&k, x->to_text, buf, sizeof buf)) continue; /* matches no base id */
        bool found;
        size_t s = probe(x, &k, &found);
        if (!found) {
            x->rep[x->n_groups] = i;
            x->slot[s] = ++x->n_groups;
        }
        group[i] = x->slot[s] - 1;
    }
    x->first = sk_calloc_array(x->n_groups + 2, sizeof *x->first);
    x->rows = sk_malloc_array(n + 1, sizeof *x->rows);
    if (!x->first || !x->rows) {
        free(group);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory indexing %zu events", n);
    }
    for (size_t i = 0; i < n; i++)
        if (group[i] != SIZE_MAX) x->first[group[i] + 2]++;
    for (size_t g = 0; g < x->n_groups; g++) x->first[g + 2] += x->first[g + 1];
    /* first[g + 1] is now where group g starts; placing moves it to where g ends = first[g + 1] */
    for (size_t i = 0; i < n; i++)
        if (group[i] != SIZE_MAX) x->rows[x->first[group[i] + 1]++] = i;
    free(group);
    return SURVKIT_OK;
}

survkit_status survkit_tmerge_events_create(const survkit_table *events, const char *id, int text_ids,
                                            survkit_tmerge_events **out, survkit_error *err)
{
    RETURN_ERROR_IF(events == NULL || id == NULL || out == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "survkit_tmerge_events_create: NULL argument");
    *out = NULL;
    long j = survkit_table_find(events, id);
    if (j < 0) return sk_error_set(err, SURVKIT_ERR_NOT_FOUND, NULL, 1, 0, "no column '%s' (the id)", id);
    survkit_tmerge_events *x = calloc(1, sizeof *x);
    RETURN_ERROR_IF(x == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
    x->events = events;
    x->id_col = (size_t)j;
    x->to_text = text_ids != 0;
    survkit_status status = index_events(x, err);
    if (status != SURVKIT_OK) {
        survkit_tmerge_events_free(x);
        return status;
    }
    *out = x;
    return SURVKIT_OK;
}

survkit_status survkit_tmerge_events_rows(const survkit_tmerge_events *x, const survkit_table *block,
                                          const char *id, survkit_table **out, survkit_error *err)
{
    RETURN_ERROR_IF(x == NULL || block == NULL || id == NULL || out == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "survkit_tmerge_events_rows: NULL argument");
    *out = NULL;
    long j = survkit_table_find(block, id);
    if (j < 0) return sk_error_set(err, SURVKIT_ERR_NOT_FOUND, NULL, 1, 0, "no column '%s' (the id)", id);
    const sk_column *ids = &block->columns[j];
    RETURN_ERROR_IF((ids->type == SURVKIT_COLUMN_STRING) != x->to_text, err, SURVKIT_ERR_TYPE,
                    "the block's ids are not of the kind the events were indexed for");
    size_t m = 0, cap = 0, *rows = NULL;
    for (size_t i = 0; i < block->n_rows; i++) {
        sk_id_key k = {false, 0, NULL};
        bool found = false;
        size_t g = SIZE_MAX;
        if (x->dense && ids->type == SURVKIT_COLUMN_NUMERIC) {
            g = dense_group(x, ids->numbers[i]);
        } else if (sk_id_key_of(ids, i, &k)) {
            size_t s = probe(x, &k, &found);
            if (found) g = x->slot[s] - 1;
        }
        if (g == SIZE_MAX) continue;
        size_t a = x->first[g], z = x->first[g + 1];
        if (z == a) continue; /* an id of the range without events */
        if (m + (z - a) > cap) {
            size_t c = 2 * cap + (z - a) + 64;
            size_t *grown = sk_realloc_array(rows, c, sizeof *grown);
            if (grown == NULL) {
                free(rows);
                return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
            }
            rows = grown;
            cap = c;
        }
        memcpy(rows + m, x->rows + a, (z - a) * sizeof *rows);
        m += z - a;
    }
    survkit_table *t = NULL;
    survkit_status status = survkit_table_create(m, &t, err);
    for (size_t c = 0; status == SURVKIT_OK && c < x->events->n_columns; c++)
        status = sk_tvc_gather(t, &x->events->columns[c], rows, m, NULL, err);
    free(rows);
    if (status != SURVKIT_OK) {
        survkit_table_free(t);
        return status;
    }
    *out = t;
    return SURVKIT_OK;
}
