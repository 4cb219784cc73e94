/*
 * labelled.c: value labels to a factor, in two passes over the rows. The first gives each row the
 * index of its value among the distinct values present (an open-addressing hash table keyed by
 * the double's bits); the few distinct values and the labels are then merged in value order and
 * named, the names interned (first occurrence wins, as R's unique()), and the levels no value
 * takes dropped; the second pass maps each row's distinct index to its level.
 */
#include "io/labelled.h"
#include "io/dictionary.h"
#include "formula/formula_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct value_set {
    uint32_t *slots; /* index + 1 of the distinct value, 0 = empty; a power of 2 of them */
    size_t n_slots;
    double *values;  /* distinct values, first-seen order */
    size_t n, capacity;
} value_set;

static uint64_t mix(double x)
{
    uint64_t h;
    if (x == 0) x = 0; /* -0 is 0 */
    memcpy(&h, &x, sizeof h);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

static bool set_grow(value_set *s)
{
    size_t n_slots = s->n_slots ? 2 * s->n_slots : 64;
    uint32_t *slots = sk_calloc_array(n_slots, sizeof *slots);
    double *values = sk_realloc_array(s->values, n_slots / 2, sizeof *values);
    if (slots == NULL || values == NULL || n_slots / 2 > UINT32_MAX) {
        free(slots);
        if (values != NULL) s->values = values;
        return false;
    }
    s->values = values;
    s->capacity = n_slots / 2;
    for (size_t k = 0; k < s->n; k++) {
        size_t i = mix(s->values[k]) & (n_slots - 1);
        while (slots[i] != 0) i = (i + 1) & (n_slots - 1);
        slots[i] = (uint32_t)(k + 1);
    }
    free(s->slots);
    s->slots = slots;
    s->n_slots = n_slots;
    return true;
}

/* Index of x among the distinct values, added when new; -1 when memory runs out. */
static int64_t set_index(value_set *s, double x)
{
    if (s->n == s->capacity && !set_grow(s)) return -1;
    size_t i = mix(x) & (s->n_slots - 1);
    while (s->slots[i] != 0) {
        if (s->values[s->slots[i] - 1] == x) return (int64_t)s->slots[i] - 1;
        i = (i + 1) & (s->n_slots - 1);
    }
    s->values[s->n] = x;
    s->slots[i] = (uint32_t)++s->n;
    return (int64_t)s->n - 1;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Label of value x (binary search in the increasing `values`), or NULL. */
static const char *label_of(double x, const double *values, char *const *texts, size_t n)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (values[mid] < x) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && values[lo] == x ? texts[lo] : NULL;
}

/* Level code of each distinct value (level_of[k] for s->values[k]); levels interned in `names`. */
static bool name_levels(const value_set *s, const double *values, char *const *texts,
                        size_t n_labels, sk_dict *names, int32_t *level_of)
{
    double *sorted = sk_malloc_array(s->n, sizeof *sorted);
    if (sorted == NULL) return false;
    memcpy(sorted, s->values, s->n * sizeof *sorted);
    qsort(sorted, s->n, sizeof *sorted, compare_doubles);
    /* Merge the present values and the labelled codes in value order; a value present and
     * labelled comes once (its name is the same either way). */
    size_t a = 0, b = 0;
    bool ok = true;
    while (ok && (a < s->n || b < n_labels)) {
        double x;
        const char *text;
        char number[40];
        if (b == n_labels || (a < s->n && sorted[a] < values[b])) {
            x = sorted[a++];
            text = label_of(x, values, texts, n_labels);
            if (text == NULL) {
                sk_format_number(x, number, sizeof number);
                text = number;
            }
        } else {
            x = values[b];
            text = texts[b++];
            if (a < s->n && sorted[a] == x) a++;
        }
        ok = sk_dict_intern(names, text, strlen(text)) >= 0;
    }
    free(sorted);
    for (size_t k = 0; ok && k < s->n; k++) {
        const char *text = label_of(s->values[k], values, texts, n_labels);
        char number[40];
        if (text == NULL) {
            sk_format_number(s->values[k], number, sizeof number);
            text = number;
        }
        level_of[k] = sk_dict_intern(names, text, strlen(text)); /* already there: its code */
        ok = level_of[k] >= 0;
    }
    return ok;
}

survkit_status sk_labelled_factor(const double *x, size_t n, const double *values,
                                  char *const *texts, size_t n_labels, int32_t **codes_out,
                                  char ***levels_out, size_t *n_levels_out)
{
    *codes_out = NULL;
    *levels_out = NULL;
    *n_levels_out = 0;
    value_set s = {0};
    sk_dict names;
    sk_dict_init(&names);
    int32_t *codes = sk_malloc_array(n, sizeof *codes);
    int32_t *level_of = NULL, *kept = NULL;
    char **levels = NULL;
    size_t n_levels = 0;
    bool ok = codes != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        if (isnan(x[i])) {
            codes[i] = -1;
            continue;
        }
        int64_t k = set_index(&s, x[i]);
        ok = k >= 0;
        codes[i] = (int32_t)k;
    }
    if (ok) {
        level_of = sk_malloc_array(s.n, sizeof *level_of);
        ok = level_of != NULL && name_levels(&s, values, texts, n_labels, &names, level_of);
    }
    /* droplevels: the levels some distinct value takes, renumbered in their order. */
    if (ok) {
        kept = sk_malloc_array(names.n_levels, sizeof *kept);
        levels = sk_calloc_array(names.n_levels, sizeof *levels);
        ok = kept != NULL && levels != NULL;
    }
    for (size_t l = 0; ok && l < names.n_levels; l++) kept[l] = -1;
    for (size_t k = 0; ok && k < s.n; k++) kept[level_of[k]] = 0;
    for (size_t l = 0; ok && l < names.n_levels; l++) {
        if (kept[l] < 0) continue;
        kept[l] = (int32_t)n_levels;
        levels[n_levels] = sk_strdup(sk_dict_level(&names, l, NULL));
        ok = levels[n_levels++] != NULL;
    }
    for (size_t i = 0; ok && i < n; i++)
        if (codes[i] >= 0) codes[i] = kept[level_of[codes[i]]];
    free(kept);
    free(level_of);
    free(s.slots);
    free(s.values);
    sk_dict_free(&names);
    if (!ok) {
        free(codes);
        for (size_t l = 0; levels != NULL && l < n_levels; l++) free(levels[l]);
        free(levels);
        return SURVKIT_ERR_NOMEM;
    }
    *codes_out = codes;
    *levels_out = levels;
    *n_levels_out = n_levels;
    return SURVKIT_OK;
}
