/*
 * id_set.c: the base ids seen so far (survkit_id_set, survkit/tvc.h), so that a tmerge streaming
 * its base finds an id repeated in another block (R's "data1 must have no duplicate identifiers"):
 * an open-addressing hash set of numbers or of owned texts, keys compared as id_index.c compares
 * them; memory O(distinct ids).
 */
#include "tvc/id_index.h"
#include "formula/formula_internal.h"

#include <stdlib.h>
#include <string.h>


struct survkit_id_set_s {
    bool kind_known, is_text;
    size_t n, mask;
    bool *used;
    double *numbers; /* the slots (number ids) */
    char **texts;    /* the slots (text ids, owned) */
};

void survkit_id_set_free(survkit_id_set *s)
{
    if (s == NULL) return;
    for (size_t k = 0; s->texts && k <= s->mask; k++) free(s->texts[k]);
    free(s->texts);
    free(s->numbers);
    free(s->used);
    free(s);
}

survkit_status survkit_id_set_create(survkit_id_set **out, survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL, err, SURVKIT_ERR_ARGUMENT, "survkit_id_set_create: NULL argument");
    *out = calloc(1, sizeof **out);
    RETURN_ERROR_IF(*out == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
    return SURVKIT_OK;
}

/* The slot of key k: where it is (*found) or where it would go. */
static size_t set_probe(const survkit_id_set *s, const sk_id_key *k, bool *found)
{
    size_t p = (size_t)sk_id_key_hash(k) & s->mask;
    for (; s->used[p]; p = (p + 1) & s->mask) {
        sk_id_key other = {s->is_text, s->is_text ? 0 : s->numbers[p], s->is_text ? s->texts[p] : NULL};
        if (sk_id_key_equal(k, &other)) {
            *found = true;
            return p;
        }
    }
    *found = false;
    return p;
}

static bool set_put(survkit_id_set *s, const sk_id_key *k, size_t p)
{
    s->used[p] = true;
    if (s->is_text) return (s->texts[p] = sk_strdup(k->text)) != NULL;
    s->numbers[p] = k->number == 0 ? 0 : k->number; /* -0 and 0 are one id */
    return true;
}

/* Twice the slots, the keys placed again. */
static bool set_grow(survkit_id_set *s)
{
    survkit_id_set old = *s;
    size_t slots = old.used ? 2 * (old.mask + 1) : 1024;
    s->mask = slots - 1;
    s->used = sk_calloc_array(slots, sizeof *s->used);
    s->numbers = s->is_text ? NULL : sk_malloc_array(slots, sizeof *s->numbers);
    s->texts = s->is_text ? sk_calloc_array(slots, sizeof *s->texts) : NULL;
    if (!s->used || (s->is_text ? !s->texts : !s->numbers)) {
        free(s->used);
        free(s->numbers);
        free(s->texts);
        *s = old;
        return false;
    }
    for (size_t p = 0; old.used && p <= old.mask; p++) {
        if (!old.used[p]) continue;
        sk_id_key k = {s->is_text, s->is_text ? 0 : old.numbers[p], s->is_text ? old.texts[p] : NULL};
        bool found;
        size_t q = set_probe(s, &k, &found);
        s->used[q] = true;
        if (s->is_text) s->texts[q] = old.texts[p]; /* moved, not copied */
        else s->numbers[q] = old.numbers[p];
    }
    free(old.used);
    free(old.numbers);
    free(old.texts);
    return true;
}

survkit_status survkit_id_set_add(survkit_id_set *s, const survkit_table *block, const char *id,
                                  int *repeated, survkit_error *err)
{
    RETURN_ERROR_IF(s == NULL || block == NULL || id == NULL || repeated == NULL, err,
                    SURVKIT_ERR_ARGUMENT, "survkit_id_set_add: NULL argument");
    *repeated = 0;
    long j = survkit_table_find(block, id);
    if (j < 0) return sk_error_set(err, SURVKIT_ERR_NOT_FOUND, NULL, 1, 0, "no column '%s' (the id)", id);
    const sk_column *ids = &block->columns[j];
    if (!s->kind_known) {
        s->kind_known = true;
        s->is_text = ids->type == SURVKIT_COLUMN_STRING;
    }
    RETURN_ERROR_IF((ids->type == SURVKIT_COLUMN_STRING) != s->is_text, err, SURVKIT_ERR_TYPE,
                    "the ids changed from numbers to text between blocks");
    for (size_t i = 0; i < block->n_rows; i++) {
        sk_id_key k = {false, 0, NULL};
        if (!sk_id_key_of(ids, i, &k)) { /* a missing id: the caller's whole path reports it */
            *repeated = 1;
            return SURVKIT_OK;
        }
        if (2 * (s->n + 1) > (s->used ? s->mask + 1 : 0))
            RETURN_ERROR_IF(!set_grow(s), err, SURVKIT_ERR_NOMEM, "out of memory: %zu ids", s->n);
        bool found;
        size_t p = set_probe(s, &k, &found);
        if (found) {
            *repeated = 1;
            return SURVKIT_OK;
        }
        RETURN_ERROR_IF(!set_put(s, &k, p), err, SURVKIT_ERR_NOMEM, "out of memory");
        s->n++;
    }
    return SURVKIT_OK;
}
