/*
 * groups.c: the distinct combinations of several variables, numbered and labelled as R's strata()
 * numbers them (used for strata(), cluster() and the km/logrank groups).
 *
 * Each variable is coded 0..K-1 in its sorted level order (numbers numerically, factors by level,
 * FALSE before TRUE); rows are put in lexicographic order of (first variable, ..., last) by LSD
 * counting sorts, last variable first; each run of equal codes is one group. Only combinations
 * that occur get a group; labels are "a=1, b=2" (survfit and coxph strata labels).
 * Like R's strata(), the "name=level" parts of the second and later variables are padded with
 * spaces to the widest of that variable's levels (R applies format() to them: "sex=f, edema=0  "),
 * and with short labels (strata() of factors only) the parts are the bare levels, unpadded.
 */
#include "formula/formula_internal.h"
#include "core/sort.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Codes 0..K-1 of one variable in R's level order. Inputs: v with no missing rows. */
static bool variable_codes(const sk_value *v, int32_t *codes, size_t *n_codes)
{
    size_t n = v->n;
    if (v->kind == SK_VALUE_FACTOR) {
        memcpy(codes, v->codes, n * sizeof *codes);
        *n_codes = v->n_levels;
        return true;
    }
    if (v->kind == SK_VALUE_LOGICAL) {
        for (size_t i = 0; i < n; i++) codes[i] = v->num[i] != 0;
        *n_codes = 2;
        return true;
    }
    size_t *order = sk_malloc_array(n, sizeof *order);
    if (order == NULL || !sk_sort_order(v->num, n, false, order)) {
        free(order);
        return false;
    }
    int32_t rank = -1;
    for (size_t k = 0; k < n; k++) {
        if (k == 0 || v->num[order[k]] != v->num[order[k - 1]]) rank++;
        codes[order[k]] = rank;
    }
    *n_codes = (size_t)rank + 1;
    free(order);
    return true;
}

/*
 * Width of "name=level" for the widest level of variable v: a factor's levels (all of them, as
 * R's factor keeps them), otherwise the values that occur (one row per code in first_row_of_code).
 */
static size_t part_width(const sk_value *v, const char *name, const int32_t *codes, size_t n_codes,
                         size_t *first_row_of_code)
{
    size_t widest = 0;
    char text[64];
    if (v->kind == SK_VALUE_FACTOR) {
        for (size_t k = 0; k < v->n_levels; k++)
            if (strlen(v->levels[k]) > widest) widest = strlen(v->levels[k]);
        return strlen(name) + 1 + widest;
    }
    for (size_t c = 0; c < n_codes; c++) first_row_of_code[c] = SIZE_MAX;
    for (size_t i = 0; i < v->n; i++)
        if (first_row_of_code[codes[i]] == SIZE_MAX) first_row_of_code[codes[i]] = i;
    for (size_t c = 0; c < n_codes; c++) {
        if (first_row_of_code[c] == SIZE_MAX) continue;
        sk_value_text(v, first_row_of_code[c], text, sizeof text);
        if (strlen(text) > widest) widest = strlen(text);
    }
    return strlen(name) + 1 + widest;
}

/* The text of row i of v: a factor's level itself, otherwise formatted into buf. */
static const char *row_text(const sk_value *v, size_t i, char *buf, size_t size)
{
    if (v->kind == SK_VALUE_FACTOR && v->codes[i] >= 0) return v->levels[v->codes[i]];
    sk_value_text(v, i, buf, size);
    return buf;
}

static char *group_label(const sk_value *const *values, const char *const *names, size_t n_values,
                         bool short_labels, const size_t *width, size_t row)
{
    char numbers[SK_MAX_GROUP_VARIABLES][48];
    const char *text[SK_MAX_GROUP_VARIABLES];
    size_t len = 1, used = 0;
    for (size_t v = 0; v < n_values; v++) {
        text[v] = row_text(values[v], row, numbers[v], sizeof numbers[v]);
        len += strlen(text[v]) + strlen(names[v]) + width[v] + 3;
    }
    char *label = malloc(len);
    if (label == NULL) return NULL;
    label[0] = '\0';
    for (size_t v = 0; v < n_values; v++) {
        if (short_labels) {
            used += (size_t)snprintf(label + used, len - used, "%s%s", v > 0 ? ", " : "", text[v]);
            continue;
        }
        size_t start = used;
        used += (size_t)snprintf(label + used, len - used, "%s%s=%s", v > 0 ? ", " : "", names[v],
                                 text[v]);
        size_t part = used - start - (v > 0 ? 2 : 0);
        for (; v > 0 && part < width[v]; part++) label[used++] = ' ';
        label[used] = '\0';
    }
    return label;
}

survkit_status sk_groups_build(const sk_value *const *values, const char *const *names,
                               size_t n_values, bool short_labels, size_t n, int32_t *codes,
                               size_t *n_groups, char ***labels, survkit_error *err)
{
    *n_groups = 0;
    *labels = NULL;
    if (n_values == 0) { /* one group, as survfit's `~ 1` */
        for (size_t i = 0; i < n; i++) codes[i] = 0;
        *labels = sk_calloc_array(1, sizeof **labels);
        if (*labels == NULL || ((*labels)[0] = sk_strdup("all")) == NULL) {
            free(*labels);
            *labels = NULL;
            return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        }
        *n_groups = 1;
        return SURVKIT_OK;
    }
    size_t *order = sk_malloc_array(n, sizeof *order);
    size_t *sorted = sk_malloc_array(n, sizeof *sorted);
    size_t *first_row = sk_malloc_array(n, sizeof *first_row);
    int32_t *all_codes = NULL;
    size_t width[SK_MAX_GROUP_VARIABLES] = {0};
    bool ok = order && sorted && first_row && n_values <= SK_MAX_GROUP_VARIABLES &&
              sk_mul_size(n, n_values, &(size_t){0});
    if (ok) all_codes = sk_malloc_array(n * n_values, sizeof *all_codes);
    ok = ok && all_codes != NULL;
    for (size_t i = 0; ok && i < n; i++) order[i] = i;
    for (size_t v = n_values; ok && v-- > 0;) {
        size_t n_codes;
        ok = variable_codes(values[v], all_codes + v * n, &n_codes) &&
             sk_sort_by_code(all_codes + v * n, n_codes, order, n, sorted);
        if (ok && !short_labels && v > 0) { /* first_row is free scratch until the scan below */
            size_t *scratch = n_codes <= n ? first_row : NULL;
            ok = scratch != NULL;
            if (ok) width[v] = part_width(values[v], names[v], all_codes + v * n, n_codes, scratch);
        }
        size_t *swap = order;
        order = sorted;
        sorted = swap;
    }
    size_t groups = 0;
    for (size_t k = 0; ok && k < n; k++) {
        bool same = k > 0;
        for (size_t v = 0; same && v < n_values; v++)
            same = all_codes[v * n + order[k]] == all_codes[v * n + order[k - 1]];
        if (!same) first_row[groups++] = order[k];
        codes[order[k]] = (int32_t)(groups - 1);
    }
    char **out = ok ? sk_calloc_array(groups, sizeof *out) : NULL;
    ok = out != NULL;
    for (size_t g = 0; ok && g < groups; g++)
        ok = (out[g] = group_label(values, names, n_values, short_labels, width, first_row[g])) != NULL;
    free(order);
    free(sorted);
    free(first_row);
    free(all_codes);
    if (!ok) {
        sk_free_strings(out, groups);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory grouping rows");
    }
    *labels = out;
    *n_groups = groups;
    return SURVKIT_OK;
}

survkit_status survkit_frame_code_column(const survkit_frame *f, const survkit_table *table,
                                         const char *name, int32_t **codes, size_t *n_groups,
                                         char ***labels, survkit_error *err)
{
    RETURN_ERROR_IF(f == NULL || table == NULL || name == NULL || codes == NULL ||
                        n_groups == NULL || labels == NULL,
                    err, SURVKIT_ERR_ARGUMENT, "survkit_frame_code_column: NULL argument");
    *codes = NULL;
    *labels = NULL;
    *n_groups = 0;
    RETURN_ERROR_IF(survkit_table_find(table, name) < 0, err, SURVKIT_ERR_NOT_FOUND,
                    "no column named '%s' in the data", name);
    /* The column evaluated as a formula variable: numbers, logicals, or a factor with sorted levels. */
    sk_node variable = {.kind = SK_NODE_NAME, .pos = 1, .name = (char *)name};
    sk_value value;
    RETURN_IF_ERROR(sk_evaluate_collated(&variable, table, sk_frame_collate(f), &value, err));
    const size_t n = survkit_frame_n(f), *rows = survkit_frame_row_index(f);
    survkit_status status = sk_value_subset(&value, rows, n, err);
    for (size_t i = 0; status == SURVKIT_OK && i < n; i++) {
        bool missing = value.kind == SK_VALUE_FACTOR ? value.codes[i] < 0 : isnan(value.num[i]);
        if (missing)
            status = sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, rows[i] + 2, 0,
                                  "column '%s' has a missing value", name);
    }
    if (status == SURVKIT_OK && (*codes = sk_malloc_array(n, sizeof **codes)) == NULL)
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory coding '%s'", name);
    const sk_value *values[1] = {&value};
    const char *names[1] = {name};
    if (status == SURVKIT_OK)
        status = sk_groups_build(values, names, 1, true, n, *codes, n_groups, labels, err);
    sk_value_release(&value);
    if (status != SURVKIT_OK) {
        free(*codes);
        *codes = NULL;
    }
    return status;
}

void survkit_frame_codes_free(int32_t *codes, char **labels, size_t n_groups)
{
    free(codes);
    sk_free_strings(labels, n_groups);
}
