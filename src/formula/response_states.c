/*
 * response_states.c: a response whose status is a factor of states, for competing risks:
 * Surv(time, event) or Surv(start, stop, event) with `event` a string or integer column, as R's
 * Surv(time, factor(event)).
 *
 * The levels are those of the kept rows, in R's factor order (strings sorted as R sorts factor
 * levels, in the frame's collation; numbers numerically). One level is censoring: the one named by `censor`, or by default
 * "0" for a numeric column and the first level for a string column (R's survfit takes the first
 * level); the other levels, in order, are the states 1..K. A `censor` that is no level of the
 * column is an error (it names the levels), as is a status that is neither text nor numbers.
 */
#include "formula/formula_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

survkit_status sk_response_evaluate_states(const sk_node *lhs, const survkit_table *table,
                                           survkit_collate collate, sk_response *out,
                                           survkit_error *err)
{
    /* the checks of an ordinary response first, on everything but the status */
    if (lhs == NULL || lhs->kind != SK_NODE_CALL || strcmp(lhs->name, "Surv") != 0 ||
        (lhs->n_args != 2 && lhs->n_args != 3))
        return sk_response_evaluate(lhs, table, out, err);
    memset(out, 0, sizeof *out);
    out->kind = lhs->n_args == 3 ? SURVKIT_RESPONSE_COUNTING : SURVKIT_RESPONSE_RIGHT;
    for (size_t k = 0; k < lhs->n_args; k++) {
        survkit_status status =
            sk_evaluate_variable_collated(lhs->args[k], table, collate, &out->parts[k], err);
        if (status != SURVKIT_OK) {
            sk_response_release(out);
            return status;
        }
        out->n_parts = k + 1;
        bool is_status = k + 1 == lhs->n_args;
        if (!is_status && out->parts[k].kind != SK_VALUE_NUMERIC) {
            /* a text time: the ordinary path names the row and column */
            sk_response_release(out);
            return sk_response_evaluate(lhs, table, out, err);
        }
    }
    return SURVKIT_OK;
}

/* The text of level `code` of the status over the kept rows (numbers as R prints them). */
static void level_text(const sk_value *v, double number, int32_t code, char *buf, size_t size)
{
    if (v->kind == SK_VALUE_FACTOR) {
        strncpy(buf, v->levels[code], size - 1);
        buf[size - 1] = '\0';
    } else {
        sk_format_number(number, buf, size);
    }
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

survkit_status sk_response_code_states(const sk_response *r, const sk_node *lhs,
                                       const survkit_table *table, const size_t *keep, size_t n,
                                       const char *censor, double *start, double *time,
                                       double *state, size_t *n_states, char ***labels,
                                       survkit_error *err)
{
    *n_states = 0;
    *labels = NULL;
    const sk_value *v = &r->parts[r->n_parts - 1];
    const sk_node *node = lhs->args[lhs->n_args - 1];
    /* validate the times through the ordinary coding, with a status of zeros in its place */
    sk_response numeric = *r;
    sk_value zeros;
    memset(&zeros, 0, sizeof zeros);
    zeros.kind = SK_VALUE_NUMERIC;
    zeros.n = v->n;
    zeros.num = sk_calloc_array(v->n + 1, sizeof(double));
    if (zeros.num == NULL) return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    numeric.parts[r->n_parts - 1] = zeros;
    survkit_status status = sk_response_code(&numeric, lhs, table, keep, n, start, time, state, err);
    free(zeros.num);
    RETURN_IF_ERROR(status);

    /* the levels present in the kept rows, in order: factor codes, or the sorted numbers */
    size_t n_levels = 0;
    double *numbers = NULL;
    int32_t *map = NULL; /* factor code -> level index among the used ones */
    if (v->kind == SK_VALUE_FACTOR) {
        map = sk_malloc_array(v->n_levels + 1, sizeof *map);
        RETURN_ERROR_IF(map == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
        for (size_t k = 0; k < v->n_levels; k++) map[k] = -1;
        for (size_t i = 0; i < n; i++) map[v->codes[keep[i]]] = 0;
        for (size_t k = 0; k < v->n_levels; k++)
            if (map[k] == 0) map[k] = (int32_t)n_levels++;
    } else {
        numbers = sk_malloc_array(n + 1, sizeof *numbers);
        RETURN_ERROR_IF(numbers == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
        /* a status has a few distinct values: keep them sorted as they are met (insertion into
         * a short list); past SMALL of them, sort everything */
        enum { SMALL = 32 };
        bool few = true;
        for (size_t i = 0; i < n && few; i++) {
            double x = v->num[keep[i]];
            size_t at = n_levels;
            while (at > 0 && numbers[at - 1] > x) at--;
            if (at > 0 && numbers[at - 1] == x) continue;
            if (n_levels == SMALL) {
                few = false;
                break;
            }
            memmove(numbers + at + 1, numbers + at, (n_levels - at) * sizeof *numbers);
            numbers[at] = x;
            n_levels++;
        }
        if (!few) {
            n_levels = 0;
            for (size_t i = 0; i < n; i++) numbers[i] = v->num[keep[i]];
            qsort(numbers, n, sizeof *numbers, compare_doubles);
            for (size_t i = 0; i < n; i++)
                if (i == 0 || numbers[i] != numbers[n_levels - 1]) numbers[n_levels++] = numbers[i];
        }
    }
    /* the censoring level */
    char text[128];
    long censor_level = -1;
    for (size_t l = 0; l < n_levels && censor_level < 0; l++) {
        int32_t code = 0;
        for (size_t k = 0; map && k < v->n_levels; k++)
            if (map[k] == (int32_t)l) code = (int32_t)k;
        level_text(v, numbers ? numbers[l] : 0, code, text, sizeof text);
        const char *want = censor ? censor : (v->kind == SK_VALUE_FACTOR ? NULL : "0");
        if (want == NULL ? l == 0 : strcmp(text, want) == 0) censor_level = (long)l;
    }
    if (censor_level < 0 && censor != NULL) {
        free(map);
        free(numbers);
        return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, 0, node->pos,
                            "the censoring level '%s' is not a value of the status '%s'", censor,
                            node->name ? node->name : "status");
    }
    /* states: the levels but the censoring one, in order; level_state[l] = 0 or 1..K; names[0]
     * the censoring level's text, names[s] state s */
    size_t K = n_levels - (censor_level >= 0);
    char **names = sk_calloc_array(K + 1, sizeof *names);
    if (names != NULL) {
        int32_t code = 0;
        for (size_t k = 0; map && censor_level >= 0 && k < v->n_levels; k++)
            if (map[k] == (int32_t)censor_level) code = (int32_t)k;
        if (censor_level >= 0)
            level_text(v, numbers ? numbers[censor_level] : 0, code, text, sizeof text);
        else
            snprintf(text, sizeof text, "%s", censor ? censor : "0");
        names[0] = sk_strdup(text);
    }
    int32_t *level_state = sk_malloc_array(n_levels + 1, sizeof *level_state);
    status = names && level_state ? SURVKIT_OK
                                  : sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t l = 0, s = 0; status == SURVKIT_OK && l < n_levels; l++) {
        if ((long)l == censor_level) {
            level_state[l] = 0;
            continue;
        }
        int32_t code = 0;
        for (size_t k = 0; map && k < v->n_levels; k++)
            if (map[k] == (int32_t)l) code = (int32_t)k;
        level_text(v, numbers ? numbers[l] : 0, code, text, sizeof text);
        level_state[l] = (int32_t)++s;
        names[s] = sk_strdup(text);
        if (names[s] == NULL) status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; status == SURVKIT_OK && i < n; i++) {
        size_t l;
        if (map) {
            l = (size_t)map[v->codes[keep[i]]];
        } else { /* binary search among the sorted distinct numbers */
            size_t lo = 0, hi = n_levels;
            double x = v->num[keep[i]];
            while (hi - lo > 1) {
                size_t mid = lo + (hi - lo) / 2;
                if (numbers[mid] <= x) lo = mid;
                else hi = mid;
            }
            l = lo;
        }
        state[i] = level_state[l];
    }
    free(map);
    free(numbers);
    free(level_state);
    if (status == SURVKIT_OK && names[0] == NULL)
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (status != SURVKIT_OK) {
        sk_free_strings(names, K + 1);
        return status;
    }
    *n_states = K;
    *labels = names;
    return SURVKIT_OK;
}
