/*
 * design.c: the design matrix X, column for column as R's model.matrix builds it for coxph (with an
 * intercept while coding factors, whose column is then dropped).
 *
 * A term is the product of its variables. A numeric variable gives one column; a factor (or a
 * logical, a factor with levels FALSE and TRUE) gives indicator columns: treatment contrasts
 * (levels 2..K, named label+level: "sexM", "lTRUE") when the term with that factor removed is
 * contained in a preceding term (or is empty: the intercept), and all K levels otherwise -- R's
 * TermCode rule, which is why `~ age:sex` has "age:sex1" and "age:sex2" but `~ age + age:sex` only
 * "age:sex2". The columns of a term run over the combinations of its variables' columns, the first
 * variable varying fastest; names join the parts with ':' ("celltypesmallcell:trt"). A basis
 * (poly(), ns()) gives its columns, named by number ("poly(age, 2)1").
 * An infinite value in X is an error, as in coxph ("data contains an infinite predictor"), and so is a
 * factor of one level under contrasts; both only when X is `checked`: the km/logrank frames do not
 * check them, as R's survfit and survdiff build no model matrix (`~ x` with x = Inf is a group "x=Inf").
 */
#include "formula/formula_internal.h"
#include "core/memory.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const logical_levels[2] = {"FALSE", "TRUE"};

void sk_design_release(sk_design *d)
{
    if (d == NULL) return;
    if (!d->x_in_place) free(d->x);
    sk_free_strings(d->names, d->p);
    free(d->column_term);
    memset(d, 0, sizeof *d);
}

static size_t value_levels(const sk_value *v)
{
    return v->kind == SK_VALUE_FACTOR ? v->n_levels : v->kind == SK_VALUE_LOGICAL ? 2 : 0;
}

static const char *level_text(const sk_value *v, size_t k)
{
    return v->kind == SK_VALUE_FACTOR ? v->levels[k] : logical_levels[k];
}

/* R's TermCode: is term k without variable v contained in one of the terms before index k? */
static bool coded_by_contrasts(const sk_terms *terms, size_t k, size_t v)
{
    const size_t n_words = terms->n_words;
    const uint64_t *term = terms->term + k * n_words;
    bool empty = true; /* the margin is the intercept, always there for coxph */
    for (size_t w = 0; w < n_words && empty; w++)
        empty = (term[w] & ~(w == v / 64 ? UINT64_C(1) << (v % 64) : 0)) == 0;
    if (empty) return true;
    for (size_t j = 0; j < k; j++) {
        const uint64_t *before = terms->term + j * n_words;
        bool contained = true;
        for (size_t w = 0; w < n_words && contained; w++) {
            uint64_t margin = term[w] & ~(w == v / 64 ? UINT64_C(1) << (v % 64) : 0);
            contained = (margin & ~before[w]) == 0;
        }
        if (contained) return true;
    }
    return false;
}

/* The columns one variable contributes to term k: levels first..first+count-1 (numeric: 1). */
typedef struct part {
    const sk_value *value;
    const sk_node *node;  /* the variable's expression */
    const char *label;
    size_t first, count;
} part;

static survkit_status term_parts(const sk_terms *terms, size_t k, const sk_value *values,
                                 bool checked, part *parts, size_t *n_parts, size_t *n_columns,
                                 survkit_error *err)
{
    *n_parts = 0;
    *n_columns = 1;
    for (size_t v = sk_term_next(terms, k, 0); v < terms->n_variables;
         v = sk_term_next(terms, k, v + 1)) {
        part *p = &parts[(*n_parts)++];
        p->value = &values[v];
        p->node = terms->variable[v];
        p->label = terms->variable_label[v];
        size_t levels = value_levels(&values[v]);
        if (values[v].kind == SK_VALUE_MATRIX) { /* poly(), ns(): every column, numbered */
            p->first = 0;
            p->count = values[v].n_cols;
        } else if (levels == 0) {
            p->first = 0;
            p->count = 1;
        } else if (coded_by_contrasts(terms, k, v)) {
            if (levels < 2 && checked)
                return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, 0, terms->variable[v]->pos,
                                    "contrasts can be applied only to factors with 2 or more "
                                    "levels: '%s' has %zu", p->label, levels);
            p->first = 1;
            p->count = levels > 0 ? levels - 1 : 0;
        } else {
            p->first = 0;
            p->count = levels;
        }
        RETURN_ERROR_IF(!sk_mul_size(*n_columns, p->count, n_columns), err, SURVKIT_ERR_NOMEM,
                        "too many design columns");
    }
    return SURVKIT_OK;
}

/* The suffix of a part's column: a level, a basis column's number ("1", "2"), or nothing (a
 * basis of one column is named as its variable, as R's model.matrix names it). */
static const char *suffix(const part *p, size_t level, char *number, size_t size)
{
    if (p->value->kind == SK_VALUE_MATRIX && p->value->n_cols == 1) return "";
    if (p->value->kind == SK_VALUE_MATRIX) {
        snprintf(number, size, "%zu", level + 1);
        return number;
    }
    return value_levels(p->value) > 0 ? level_text(p->value, level) : "";
}

/* ridge(x1, x2, ...) names its columns "ridge(x1)", "ridge(x2)" (R's varname for the term). */
static char *ridge_name(const part *p, size_t level)
{
    size_t k = 0;
    for (size_t a = 0; a < p->node->n_args; a++) {
        if (p->node->arg_names && p->node->arg_names[a]) continue;
        if (k++ != level) continue;
        char *inner = sk_deparse(p->node->args[a]);
        if (inner == NULL) return NULL;
        size_t len = strlen(inner) + 8;
        char *name = malloc(len);
        if (name != NULL) snprintf(name, len, "ridge(%s)", inner);
        free(inner);
        return name;
    }
    return NULL;
}

static char *column_name(const part *parts, size_t n_parts, const size_t *level)
{
    if (n_parts == 1 && parts[0].node->kind == SK_NODE_CALL &&
        strcmp(parts[0].node->name, "ridge") == 0)
        return ridge_name(&parts[0], level[0]);
    if (n_parts == 1 && parts[0].node->kind == SK_NODE_CALL &&
        strcmp(parts[0].node->name, "pspline") == 0) /* R's varname: "ps(x)3", ... */
        return sk_pspline_column_name(parts[0].node, level[0]);
    char number[32];
    size_t len = 1;
    for (size_t q = 0; q < n_parts; q++)
        len += strlen(parts[q].label) + 1 +
               strlen(suffix(&parts[q], level[q], number, sizeof number));
    char *name = malloc(len);
    if (name == NULL) return NULL;
    size_t used = 0;
    for (size_t q = 0; q < n_parts; q++)
        used += (size_t)snprintf(name + used, len - used, "%s%s%s", q > 0 ? ":" : "",
                                 parts[q].label, suffix(&parts[q], level[q], number, sizeof number));
    return name;
}

/* Fill one column: the product of the parts at the given levels. */
static survkit_status fill_column(const part *parts, size_t n_parts, const size_t *level, size_t n,
                                  const size_t *row_index, bool checked, double *x,
                                  survkit_error *err)
{
    if (n_parts == 1 && parts[0].value->kind == SK_VALUE_NUMERIC) { /* a plain column: one pass */
        const double *num = parts[0].value->num;
        bool finite = true;
        for (size_t i = 0; i < n; i++) {
            x[i] = num[i];
            finite &= isfinite(num[i]) != 0;
        }
        if (finite) return SURVKIT_OK;
    }
    for (size_t i = 0; i < n; i++) x[i] = 1;
    for (size_t q = 0; q < n_parts; q++) {
        const sk_value *v = parts[q].value;
        for (size_t i = 0; i < n; i++) {
            if (v->kind == SK_VALUE_NUMERIC) x[i] *= v->num[i];
            else if (v->kind == SK_VALUE_MATRIX) x[i] *= v->num[i + level[q] * n];
            else if (v->kind == SK_VALUE_LOGICAL) x[i] *= (double)(v->num[i] == (double)level[q]);
            else x[i] *= (double)(v->codes[i] == (int32_t)level[q]);
        }
    }
    for (size_t i = 0; checked && i < n; i++)
        if (!isfinite(x[i]))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL,
                                (row_index != NULL ? row_index[i] : i) + 2, 0,
                                "data contains an infinite predictor");
    return SURVKIT_OK;
}

/*
 * X without a copy: the first column's values when every term is one plain numeric variable read
 * in place from the table, each column right after the one before in the table's block (a CSV
 * file's consecutive numeric columns, none of its rows dropped), and, when `checked`, every value
 * finite (else the copy below names the row). NULL otherwise. Writing X anew would cost n x p x 8
 * bytes of fresh pages, which the kernel must zero first: on virtual machines that costs more than
 * the fit (benchmarks/RESULTS.md).
 */
static double *x_in_place(const sk_terms *terms, const sk_value *values, size_t n, size_t p,
                          bool checked, const double *block, size_t block_cells, part *parts)
{
    if (block == NULL || p == 0 || p != terms->n_terms) return NULL;
    const double *first = NULL;
    for (size_t k = 0; k < terms->n_terms; k++) {
        size_t n_parts, n_columns;
        if (term_parts(terms, k, values, checked, parts, &n_parts, &n_columns, NULL) !=
                SURVKIT_OK ||
            n_parts != 1 || n_columns != 1)
            return NULL;
        const sk_value *v = parts[0].value;
        if (v->kind != SK_VALUE_NUMERIC || !v->borrowed || v->n != n) return NULL;
        if (k == 0) first = v->num;
        if (v->num != first + k * n) return NULL;
    }
    const size_t cells = n * p; /* <= block_cells once the range check below passes */
    if (first < block || (size_t)(first - block) > block_cells ||
        cells > block_cells - (size_t)(first - block))
        return NULL;
    bool finite = true;
    for (size_t i = 0; checked && i < cells; i++) finite &= isfinite(first[i]) != 0;
    return finite ? (double *)first : NULL; /* read only: X is never written */
}

survkit_status sk_design_build(const sk_terms *terms, const sk_value *values, size_t n,
                               const size_t *row_index, bool checked, const double *block,
                               size_t block_cells, sk_design *out, survkit_error *err)
{
    memset(out, 0, sizeof *out);
    /* a term has at most every variable: one part and one level counter per variable */
    part *parts = sk_malloc_array(terms->n_variables + 1, sizeof *parts);
    size_t *level = sk_malloc_array(terms->n_variables + 1, sizeof *level);
    size_t n_parts, n_columns, p = 0;
    survkit_status status = parts && level ? SURVKIT_OK
                                           : sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0,
                                                          "out of memory");
    for (size_t k = 0; k < terms->n_terms && status == SURVKIT_OK; k++) {
        status = term_parts(terms, k, values, checked, parts, &n_parts, &n_columns, err);
        if (status == SURVKIT_OK && n_columns > SIZE_MAX - p)
            status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "too many design columns");
        p += status == SURVKIT_OK ? n_columns : 0;
    }
    if (status != SURVKIT_OK) {
        free(parts);
        free(level);
        return status;
    }
    /* Sizes that cannot work are refused before anything is built (issue 21): a model with p
     * columns needs the n x p design and, in every estimator that uses it, p x p matrices (the
     * information, its Cholesky factor, the variance). Two 1,000-level factors interacting on
     * 3,000 rows ask for 22 GB of design and 8 TB of information: said now, not after filling
     * the design. */
    const double design_bytes = 8.0 * (double)n * (double)p, square_bytes = 8.0 * (double)p * (double)p;
    const double memory = sk_physical_memory();
    if (memory > 0 && design_bytes + square_bytes > memory) {
        free(parts);
        free(level);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0,
                            "the model has %zu columns: its %zu x %zu design matrix (%.3g GB) and "
                            "%zu x %zu information matrix (%.3g GB) exceed this machine's memory "
                            "(%.3g GB)",
                            p, n, p, design_bytes / 1e9, p, p, square_bytes / 1e9, memory / 1e9);
    }
    size_t cells;
    out->x = x_in_place(terms, values, n, p, checked, block, block_cells, parts);
    out->x_in_place = out->x != NULL;
    if (out->x == NULL)
        out->x = sk_mul_size(n, p, &cells) ? sk_malloc_filled(cells, sizeof *out->x) : NULL;
    out->names = sk_calloc_array(p, sizeof *out->names);
    out->column_term = sk_malloc_array(p, sizeof *out->column_term);
    if (out->x == NULL || out->names == NULL || out->column_term == NULL) {
        sk_design_release(out);
        free(parts);
        free(level);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0,
                            "out of memory for a %zu x %zu design matrix", n, p);
    }
    out->p = p;
    size_t j = 0;
    for (size_t k = 0; k < terms->n_terms && status == SURVKIT_OK; k++) {
        term_parts(terms, k, values, checked, parts, &n_parts, &n_columns, err);
        for (size_t q = 0; q < n_parts; q++) level[q] = parts[q].first;
        for (size_t c = 0; c < n_columns && status == SURVKIT_OK; c++, j++) {
            out->column_term[j] = k;
            out->names[j] = column_name(parts, n_parts, level);
            if (out->names[j] == NULL)
                status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
            else if (!out->x_in_place)
                status = fill_column(parts, n_parts, level, n, row_index, checked,
                                     out->x + j * n, err);
            /* next combination, the first part varying fastest */
            for (size_t q = 0; q < n_parts; q++) {
                if (++level[q] < parts[q].first + parts[q].count) break;
                level[q] = parts[q].first;
            }
        }
    }
    free(parts);
    free(level);
    if (status != SURVKIT_OK) sk_design_release(out);
    return status;
}
