/* id_index.c: base ids by value, an open-addressing hash table (see id_index.h). */
#include "tvc/id_index.h"
#include "formula/formula_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_bytes(const void *p, size_t len)
{
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t k = 0; k < len; k++) h = (h ^ s[k]) * 1099511628211ull;
    return h ^ (h >> 29);
}

static uint64_t hash_number(double v)
{
    if (v == 0) v = 0; /* -0 and 0 are one id */
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    bits ^= bits >> 33;
    bits *= 0xff51afd7ed558ccdull;
    return bits ^ (bits >> 33);
}

bool sk_id_key_of(const sk_column *col, size_t i, sk_id_key *k)
{
    if (col->type == SURVKIT_COLUMN_NUMERIC) {
        k->is_text = false;
        k->number = col->numbers[i];
        return !isnan(k->number);
    }
    k->is_text = true;
    return col->codes[i] >= 0 && (k->text = col->levels[col->codes[i]], true);
}

uint64_t sk_id_key_hash(const sk_id_key *k)
{
    return k->is_text ? hash_bytes(k->text, strlen(k->text)) : hash_number(k->number);
}

/* Bring `k` to the kind of the base ids (R's match() compares a number and a text as text). */
bool sk_id_key_convert(sk_id_key *k, bool to_text, char *buf, size_t size)
{
    if (k->is_text == to_text) return true;
    if (to_text) {
        sk_format_number(k->number, buf, size);
        k->text = buf;
        k->is_text = true;
        return true;
    }
    char *end;
    double v = strtod(k->text, &end);
    if (end == k->text || *end != '\0') return false;
    char back[40];
    sk_format_number(v, back, sizeof back); /* "1.0" is not the id 1 under as.character */
    if (strcmp(back, k->text) != 0) return false;
    k->number = v;
    k->is_text = false;
    return true;
}

bool sk_id_key_equal(const sk_id_key *a, const sk_id_key *b)
{
    return a->is_text ? strcmp(a->text, b->text) == 0 : a->number == b->number;
}

/* The direct table for whole-number ids in a narrow range; false (no table) otherwise. */
static bool build_dense(sk_id_index *x, const sk_column *ids, size_t n)
{
    if (ids->type != SURVKIT_COLUMN_NUMERIC || n == 0) return false;
    double lo = ids->numbers[0], hi = lo;
    for (size_t i = 0; i < n; i++) {
        double v = ids->numbers[i];
        if (!(v == nearbyint(v)) || fabs(v) > 0x1p52) return false; /* also NaN: the hash reports it */
        if (v < lo) lo = v;
        if (v > hi) hi = v;
    }
    if (hi - lo > 4.0 * (double)n + 16) return false;
    x->lowest = lo;
    x->span = (size_t)(hi - lo) + 1;
    x->dense = sk_calloc_array(x->span, sizeof *x->dense);
    return x->dense != NULL;
}

survkit_status sk_id_index_build(sk_id_index *x, const sk_column *ids, size_t n, uint64_t column,
                                 survkit_error *err)
{
    memset(x, 0, sizeof *x);
    x->ids = ids;
    x->n = n;
    if (build_dense(x, ids, n)) {
        for (size_t i = 0; i < n; i++) {
            size_t *s = &x->dense[(size_t)(ids->numbers[i] - x->lowest)];
            if (*s != 0)
                return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 2, column,
                                    "the id is repeated (first on line %zu): the base file must have "
                                    "one row per id, as R's tmerge requires of its first call", *s + 1);
            *s = i + 1;
        }
        return SURVKIT_OK;
    }
    size_t slots = 16;
    while (slots < 2 * n) slots *= 2;
    x->mask = slots - 1;
    x->slot = sk_calloc_array(slots, sizeof *x->slot);
    RETURN_ERROR_IF(x->slot == NULL, err, SURVKIT_ERR_NOMEM, "out of memory indexing %zu ids", n);
    for (size_t i = 0; i < n; i++) {
        sk_id_key k = {false, 0, NULL};
        if (!sk_id_key_of(ids, i, &k))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 2, column,
                                "the id is missing: every base row needs an id");
        size_t s = (size_t)sk_id_key_hash(&k) & x->mask;
        for (; x->slot[s] != 0; s = (s + 1) & x->mask) {
            sk_id_key other = {false, 0, NULL};
            sk_id_key_of(ids, x->slot[s] - 1, &other);
            if (sk_id_key_equal(&k, &other))
                return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 2, column,
                                    "the id is repeated (first on line %zu): the base file must have "
                                    "one row per id, as R's tmerge requires of its first call",
                                    x->slot[s] + 1);
        }
        x->slot[s] = i + 1;
    }
    return SURVKIT_OK;
}

void sk_id_index_release(sk_id_index *x)
{
    if (x == NULL) return;
    free(x->slot);
    free(x->dense);
    x->slot = x->dense = NULL;
}

size_t sk_id_index_find(const sk_id_index *x, const sk_column *col, size_t i)
{
    sk_id_key k = {false, 0, NULL};
    char buf[40];
    if (!sk_id_key_of(col, i, &k) || !sk_id_key_convert(&k, x->ids->type == SURVKIT_COLUMN_STRING, buf, sizeof buf))
        return SIZE_MAX;
    if (x->dense != NULL) {
        double offset = k.number - x->lowest;
        if (!(offset >= 0 && offset < (double)x->span) || offset != nearbyint(offset)) return SIZE_MAX;
        return x->dense[(size_t)offset] - 1; /* 0 - 1: SIZE_MAX, no such id */
    }
    for (size_t s = (size_t)sk_id_key_hash(&k) & x->mask; x->slot[s] != 0; s = (s + 1) & x->mask) {
        sk_id_key other = {false, 0, NULL};
        sk_id_key_of(x->ids, x->slot[s] - 1, &other);
        if (sk_id_key_equal(&k, &other)) return x->slot[s] - 1;
    }
    return SIZE_MAX;
}
