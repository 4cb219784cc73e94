/*
 * evaluate.c: one variable of a formula (a column, a transform, I(...), factor(...)) evaluated over
 * every row of a table, as R's model.frame does before na.omit.
 *
 * Types follow R: a numeric column is numeric; a string column is a factor whose levels are its
 * distinct values sorted as R sorts them (collate.c: R's UTF-8 locale order, or bytes with
 * SURVKIT_COLLATE_C), unless all its values are TRUE/FALSE/T/F (read.csv makes such a column
 * logical); a factor read from value labels keeps its levels' order (haven's as_factor).
 * factor(x) of a number sorts numerically and labels levels as as.character().
 * Arithmetic (+ - * / ^, unary -) and log, exp, sqrt... need numbers (a logical counts as 0/1);
 * comparisons give logicals. NaN, as in R's model.frame, counts as missing.
 */
#include "formula/formula_internal.h"
#include "data/table_internal.h"
#include "core/c_locale.h"
#include "core/sort.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What evaluation reads: the table, and the order to give string levels. */
typedef struct evaluator {
    const survkit_table *table;
    survkit_collate collate;
} evaluator;

static survkit_status evaluate(const evaluator *ev, const sk_node *node, sk_value *out,
                               survkit_error *err);

void sk_free_strings(char **strings, size_t n)
{
    if (strings == NULL) return;
    for (size_t k = 0; k < n; k++) free(strings[k]);
    free(strings);
}

void sk_value_release(sk_value *v)
{
    if (v == NULL) return;
    if (!v->borrowed) free(v->num);
    free(v->codes);
    sk_free_strings(v->levels, v->n_levels);
    free(v->predict_call);
    memset(v, 0, sizeof *v);
}

bool sk_value_missing(const sk_value *v, size_t i)
{
    if (v->kind == SK_VALUE_MATRIX) {
        for (size_t c = 0; c < v->n_cols; c++)
            if (isnan(v->num[i + c * v->n])) return true;
        return false;
    }
    return v->kind == SK_VALUE_FACTOR ? v->codes[i] < 0 : isnan(v->num[i]);
}

void sk_value_text(const sk_value *v, size_t i, char *buf, size_t size)
{
    if (sk_value_missing(v, i))
        snprintf(buf, size, "NA");
    else if (v->kind == SK_VALUE_MATRIX)
        snprintf(buf, size, "(row %zu of a basis)", i + 1);
    else if (v->kind == SK_VALUE_FACTOR)
        snprintf(buf, size, "%s", v->levels[v->codes[i]]);
    else if (v->kind == SK_VALUE_LOGICAL)
        snprintf(buf, size, "%s", v->num[i] != 0 ? "TRUE" : "FALSE");
    else
        sk_format_number(v->num[i], buf, size);
}

static survkit_status out_of_memory(survkit_error *err)
{
    return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory evaluating the formula");
}

static survkit_status numeric_value(sk_value *v, sk_value_kind kind, size_t n, survkit_error *err)
{
    memset(v, 0, sizeof *v);
    v->kind = kind;
    v->n = n;
    v->num = sk_malloc_array(n, sizeof *v->num);
    return v->num ? SURVKIT_OK : out_of_memory(err);
}

/* R's read.csv reads a column of these tokens as logical. */
static int logical_token(const char *s)
{
    static const char *const yes[] = {"TRUE", "T", "true", "True"};
    static const char *const no[] = {"FALSE", "F", "false", "False"};
    for (size_t k = 0; k < 4; k++) {
        if (strcmp(s, yes[k]) == 0) return 1;
        if (strcmp(s, no[k]) == 0) return 0;
    }
    return -1;
}

/* A factor read from value labels: its levels in their order, all kept (R's model.frame keeps a
 * factor's unused levels: drop.unused.levels = FALSE). */
static survkit_status factor_column(const survkit_table *table, size_t column, sk_value *out,
                                    survkit_error *err)
{
    size_t n = survkit_table_n_rows(table), n_levels = survkit_table_n_levels(table, column);
    memset(out, 0, sizeof *out);
    out->kind = SK_VALUE_FACTOR;
    out->n = n;
    out->drop_unused = false;
    out->codes = sk_malloc_array(n, sizeof *out->codes);
    out->levels = sk_calloc_array(n_levels, sizeof *out->levels);
    bool ok = out->codes && out->levels;
    if (ok) memcpy(out->codes, survkit_table_codes(table, column), n * sizeof *out->codes);
    for (size_t k = 0; ok && k < n_levels; k++) {
        out->levels[k] = sk_strdup(survkit_table_level(table, column, k));
        ok = out->levels[k] != NULL;
        out->n_levels = k + 1;
    }
    if (!ok) {
        sk_value_release(out);
        return out_of_memory(err);
    }
    return SURVKIT_OK;
}

/* A string column: logical when every level is a logical token, else a factor with sorted levels. */
static survkit_status string_column(const evaluator *ev, size_t column, sk_value *out,
                                    survkit_error *err)
{
    const survkit_table *table = ev->table;
    size_t n = survkit_table_n_rows(table), n_levels = survkit_table_n_levels(table, column);
    const int32_t *codes = survkit_table_codes(table, column);
    if (survkit_table_is_factor(table, column)) return factor_column(table, column, out, err);
    bool logical = n_levels > 0;
    for (size_t k = 0; k < n_levels && logical; k++)
        logical = logical_token(survkit_table_level(table, column, k)) >= 0;
    if (logical) {
        RETURN_IF_ERROR(numeric_value(out, SK_VALUE_LOGICAL, n, err));
        for (size_t i = 0; i < n; i++)
            out->num[i] = codes[i] < 0 ? NAN
                          : logical_token(survkit_table_level(table, column, (size_t)codes[i]));
        return SURVKIT_OK;
    }
    memset(out, 0, sizeof *out);
    out->kind = SK_VALUE_FACTOR;
    out->n = n;
    out->drop_unused = true;
    const char **texts = sk_malloc_array(n_levels, sizeof *texts);
    size_t *order = sk_malloc_array(n_levels, sizeof *order);
    size_t *rank = sk_malloc_array(n_levels, sizeof *rank);
    out->codes = sk_malloc_array(n, sizeof *out->codes);
    out->levels = sk_calloc_array(n_levels, sizeof *out->levels);
    bool ok = texts && order && rank && out->codes && out->levels;
    for (size_t k = 0; ok && k < n_levels; k++) texts[k] = survkit_table_level(table, column, k);
    ok = ok && sk_collate_order(texts, n_levels, ev->collate, order); /* distinct strings only */
    for (size_t k = 0; ok && k < n_levels; k++) {
        rank[order[k]] = k;
        out->levels[k] = sk_strdup(texts[order[k]]);
        ok = out->levels[k] != NULL;
        out->n_levels = k + 1;
    }
    for (size_t i = 0; ok && i < n; i++) out->codes[i] = codes[i] < 0 ? -1 : (int32_t)rank[codes[i]];
    free(texts);
    free(order);
    free(rank);
    if (!ok) {
        sk_value_release(out);
        return out_of_memory(err);
    }
    return SURVKIT_OK;
}

static survkit_status evaluate_name(const evaluator *ev, const sk_node *node, sk_value *out,
                                    survkit_error *err)
{
    const survkit_table *table = ev->table;
    long column = survkit_table_find(table, node->name);
    if (column < 0)
        return sk_error_set(err, SURVKIT_ERR_NOT_FOUND, NULL, 0, node->pos,
                            "no column named '%s' in the data", node->name);
    if (survkit_table_column_type(table, (size_t)column) == SURVKIT_COLUMN_STRING)
        return string_column(ev, (size_t)column, out, err);
    size_t n = survkit_table_n_rows(table);
    RETURN_IF_ERROR(numeric_value(out, SK_VALUE_NUMERIC, n, err));
    memcpy(out->num, survkit_table_numeric(table, (size_t)column), n * sizeof *out->num);
    return SURVKIT_OK;
}

survkit_status sk_evaluate_variable_collated(const sk_node *node, const survkit_table *table,
                                             survkit_collate collate, sk_value *out,
                                             survkit_error *err)
{
    long column = node->kind == SK_NODE_NAME ? survkit_table_find(table, node->name) : -1;
    if (column < 0 || survkit_table_column_type(table, (size_t)column) != SURVKIT_COLUMN_NUMERIC)
        return sk_evaluate_collated(node, table, collate, out, err);
    memset(out, 0, sizeof *out);
    out->kind = SK_VALUE_NUMERIC;
    out->n = survkit_table_n_rows(table);
    out->num = (double *)survkit_table_numeric(table, (size_t)column); /* read only: borrowed */
    out->borrowed = true;
    out->complete = sk_table_column_complete(table, (size_t)column);
    return SURVKIT_OK;
}

survkit_status sk_evaluate_variable(const sk_node *node, const survkit_table *table, sk_value *out,
                                    survkit_error *err)
{
    return sk_evaluate_variable_collated(node, table, SURVKIT_COLLATE_UTF8, out, err);
}

/* factor(x): a factor stays as it is (keeping all its levels); numbers are sorted numerically. */
static survkit_status make_factor(sk_value *v, survkit_error *err)
{
    v->drop_unused = false;
    if (v->kind == SK_VALUE_FACTOR) return SURVKIT_OK;
    size_t n = v->n, n_present = 0;
    double *present = sk_malloc_array(n, sizeof *present);
    size_t *row_of = sk_malloc_array(n, sizeof *row_of);
    size_t *order = sk_malloc_array(n, sizeof *order);
    int32_t *codes = sk_malloc_array(n, sizeof *codes);
    char **levels = NULL;
    size_t n_levels = 0;
    bool ok = present && row_of && order && codes;
    for (size_t i = 0; ok && i < n; i++) {
        codes[i] = -1;
        if (isnan(v->num[i])) continue;
        present[n_present] = v->num[i];
        row_of[n_present++] = i;
    }
    ok = ok && sk_sort_order(present, n_present, false, order);
    if (ok) levels = sk_calloc_array(n_present, sizeof *levels);
    ok = ok && levels != NULL;
    for (size_t k = 0; ok && k < n_present; k++) {
        double value = present[order[k]];
        if (k == 0 || value != present[order[k - 1]]) {
            char text[40];
            if (v->kind == SK_VALUE_LOGICAL) snprintf(text, sizeof text, value ? "TRUE" : "FALSE");
            else sk_format_number(value, text, sizeof text);
            ok = n_levels < INT32_MAX && (levels[n_levels++] = sk_strdup(text)) != NULL;
        }
        codes[row_of[order[k]]] = (int32_t)(n_levels - 1);
    }
    free(present);
    free(row_of);
    free(order);
    if (!ok) {
        free(codes);
        sk_free_strings(levels, n_levels);
        return out_of_memory(err);
    }
    free(v->num);
    v->num = NULL;
    v->kind = SK_VALUE_FACTOR;
    v->codes = codes;
    v->levels = levels;
    v->n_levels = n_levels;
    return SURVKIT_OK;
}

const char *sk_table_text(const survkit_table *table, size_t j, size_t i)
{
    int32_t code = survkit_table_codes(table, j)[i];
    return code < 0 ? "NA" : survkit_table_level(table, j, (size_t)code);
}

bool sk_first_non_number(const survkit_table *table, size_t j, size_t *row)
{
    if (survkit_table_column_type(table, j) != SURVKIT_COLUMN_STRING) return false;
    const int32_t *codes = survkit_table_codes(table, j);
    for (size_t i = 0; i < survkit_table_n_rows(table); i++) {
        if (codes[i] < 0) continue;
        const char *text = survkit_table_level(table, j, (size_t)codes[i]);
        char *end;
        sk_strtod_c(text, &end);
        if (end == text || *end != '\0') {
            *row = i;
            return true;
        }
    }
    return false;
}

static survkit_status need_numbers(const sk_node *where, const sk_value *v, const char *what,
                                   survkit_error *err)
{
    if (v->kind != SK_VALUE_FACTOR && v->kind != SK_VALUE_MATRIX) return SURVKIT_OK;
    char *text = sk_deparse(where);
    if (v->kind == SK_VALUE_MATRIX)
        sk_error_set(err, SURVKIT_ERR_TYPE, NULL, 0, where->pos,
                     "%s needs one column of numbers, but '%s' is a basis of several", what,
                     text ? text : "?");
    else
        sk_error_set(err, SURVKIT_ERR_TYPE, NULL, 0, where->pos,
                 "%s needs numbers, but '%s' is a string (factor) variable", what,
                 text ? text : "?");
    free(text);
    return SURVKIT_ERR_TYPE;
}

static double apply_binary(int op, double a, double b)
{
    if (isnan(a) || isnan(b)) return NAN;
    switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    case '^': return pow(a, b);
    case '<': return a < b;
    case '>': return a > b;
    case SK_OP_EQ: return a == b;
    case SK_OP_NE: return a != b;
    case SK_OP_LE: return a <= b;
    case SK_OP_GE: return a >= b;
    }
    return NAN;
}

static bool is_comparison(int op) { return strchr("<>ENLG", op) != NULL; }

/* factor == "level" and friends: compare the level text. */
static survkit_status compare_factor(const sk_node *node, const sk_value *f, const char *text,
                                     sk_value *out, survkit_error *err)
{
    if (node->op != SK_OP_EQ && node->op != SK_OP_NE)
        return sk_error_set(err, SURVKIT_ERR_TYPE, NULL, 0, node->op_pos,
                            "a factor can only be compared with == or !=");
    RETURN_IF_ERROR(numeric_value(out, SK_VALUE_LOGICAL, f->n, err));
    for (size_t i = 0; i < f->n; i++) {
        if (f->codes[i] < 0) {
            out->num[i] = NAN;
            continue;
        }
        bool equal = strcmp(f->levels[f->codes[i]], text) == 0;
        out->num[i] = node->op == SK_OP_EQ ? equal : !equal;
    }
    return SURVKIT_OK;
}

/* x %in% c(...) inside an expression (I(stage %in% c("III", "IV"))): a logical, TRUE where x's
 * text (a factor's level, or a number's as.character()) or number is in the set; a missing x is
 * FALSE, as R's match() gives. (Between terms, %in% is an interaction: terms.c.) */
static survkit_status evaluate_membership(const evaluator *ev, const sk_node *node, sk_value *out,
                                          survkit_error *err)
{
    sk_constant set;
    RETURN_IF_ERROR(sk_constant_read(node->args[1], &set, err));
    sk_value x;
    survkit_status status = evaluate(ev, node->args[0], &x, err);
    if (status == SURVKIT_OK && x.kind == SK_VALUE_MATRIX)
        status = need_numbers(node->args[0], &x, "%in%", err);
    if (status == SURVKIT_OK) status = numeric_value(out, SK_VALUE_LOGICAL, x.n, err);
    for (size_t i = 0; status == SURVKIT_OK && i < x.n; i++) {
        bool found = false;
        if (!sk_value_missing(&x, i)) {
            char buf[64];
            const char *text = buf;
            if (x.kind == SK_VALUE_FACTOR) text = x.levels[x.codes[i]];
            else sk_value_text(&x, i, buf, sizeof buf);
            for (size_t k = 0; k < set.n && !found; k++)
                found = set.is_string || x.kind == SK_VALUE_FACTOR ? strcmp(text, set.text[k]) == 0
                                                                   : x.num[i] == set.num[k];
        }
        out->num[i] = found;
    }
    sk_value_release(&x);
    sk_constant_release(&set);
    return status;
}

static survkit_status evaluate_binary(const evaluator *ev, const sk_node *node, sk_value *out,
                                      survkit_error *err)
{
    const sk_node *left = node->args[0], *right = node->args[1];
    if (node->op == SK_OP_IN) return evaluate_membership(ev, node, out, err);
    if (is_comparison(node->op) && (left->kind == SK_NODE_STRING || right->kind == SK_NODE_STRING)) {
        const sk_node *factor_side = left->kind == SK_NODE_STRING ? right : left;
        const sk_node *text_side = left->kind == SK_NODE_STRING ? left : right;
        sk_value f;
        RETURN_IF_ERROR(evaluate(ev, factor_side, &f, err));
        survkit_status status =
            f.kind == SK_VALUE_FACTOR
                ? compare_factor(node, &f, text_side->name, out, err)
                : sk_error_set(err, SURVKIT_ERR_TYPE, NULL, 0, text_side->pos,
                               "a string can only be compared with a string variable");
        sk_value_release(&f);
        return status;
    }
    sk_value a, b;
    RETURN_IF_ERROR(evaluate(ev, left, &a, err));
    survkit_status status = evaluate(ev, right, &b, err);
    if (status != SURVKIT_OK) {
        sk_value_release(&a);
        return status;
    }
    char what[32];
    snprintf(what, sizeof what, "the operator at character %zu", node->op_pos);
    status = need_numbers(left, &a, what, err);
    if (status == SURVKIT_OK) status = need_numbers(right, &b, what, err);
    if (status == SURVKIT_OK) {
        /* the result reuses a's array */
        for (size_t i = 0; i < a.n; i++) a.num[i] = apply_binary(node->op, a.num[i], b.num[i]);
        a.kind = is_comparison(node->op) ? SK_VALUE_LOGICAL : SK_VALUE_NUMERIC;
        *out = a;
    } else {
        sk_value_release(&a);
    }
    sk_value_release(&b);
    return status;
}

static double r_log2(double x) { return log2(x); }
static double r_log10(double x) { return log10(x); }
static double r_identity(double x) { return x; }

/* Elementwise transforms of one number. */
static double (*transform_of(const char *name))(double)
{
    static const struct { const char *name; double (*fn)(double); } table[] = {
        {"log", log},   {"log2", r_log2}, {"log10", r_log10}, {"log1p", log1p},
        {"exp", exp},   {"sqrt", sqrt},   {"abs", fabs},      {"as.numeric", r_identity}};
    for (size_t k = 0; k < sizeof table / sizeof table[0]; k++)
        if (strcmp(table[k].name, name) == 0) return table[k].fn;
    return NULL;
}

/* ridge(x1, x2, ..., theta = T | df = D, scale = TRUE): the columns side by side as a basis
 * (R's cbind(...)); theta, df and scale are read by survkit_frame_ridge(_df). */
static survkit_status evaluate_ridge(const evaluator *ev, const sk_node *node, sk_value *out,
                                     survkit_error *err)
{
    size_t k = 0;
    for (size_t a = 0; a < node->n_args; a++) {
        const char *arg = node->arg_names ? node->arg_names[a] : NULL;
        if (arg == NULL) k++;
        else if (strcmp(arg, "theta") != 0 && strcmp(arg, "scale") != 0 && strcmp(arg, "df") != 0)
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, node->args[a]->pos,
                                "ridge() has no argument '%s' that survkit supports (its "
                                "variables, theta, df, scale)", arg);
    }
    RETURN_ERROR_IF(k == 0, err, SURVKIT_ERR_FORMULA, "ridge() needs at least one variable");
    double *cols = NULL;
    size_t n = 0, c = 0;
    for (size_t a = 0; a < node->n_args; a++) {
        if (node->arg_names && node->arg_names[a]) continue;
        sk_value v;
        memset(&v, 0, sizeof v);
        survkit_status st = evaluate(ev, node->args[a], &v, err);
        if (st == SURVKIT_OK) st = need_numbers(node->args[a], &v, "ridge()", err);
        if (st == SURVKIT_OK && cols == NULL) {
            n = v.n;
            if ((cols = sk_malloc_array(n * k + 1, sizeof(double))) == NULL)
                st = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (ridge)");
        }
        if (st == SURVKIT_OK) memcpy(cols + c * n, v.num, n * sizeof(double));
        sk_value_release(&v);
        if (st != SURVKIT_OK) {
            free(cols);
            return st;
        }
        c++;
    }
    memset(out, 0, sizeof *out);
    out->kind = SK_VALUE_MATRIX;
    out->n = n;
    out->num = cols;
    out->n_cols = k;
    return SURVKIT_OK;
}

static survkit_status evaluate_call(const evaluator *ev, const sk_node *node, sk_value *out,
                                    survkit_error *err)
{
    const char *name = node->name;
    if (strcmp(name, "Surv") == 0 || strcmp(name, "strata") == 0 || strcmp(name, "cluster") == 0 ||
        strcmp(name, "offset") == 0)
        return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, node->pos,
                            "%s() is not allowed inside another expression", name);
    if (strcmp(name, "c") == 0 || strcmp(name, "list") == 0)
        return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, node->pos,
                            "%s() can only give an argument of another function", name);
    if (strcmp(name, "pspline") == 0) {
        const sk_node *x = sk_call_arg(node, "x", 0);
        RETURN_ERROR_IF(x == NULL, err, SURVKIT_ERR_FORMULA, "pspline() needs x");
        RETURN_IF_ERROR(evaluate(ev, x, out, err));
        survkit_status st = need_numbers(x, out, "pspline()", err);
        if (st == SURVKIT_OK) st = sk_pspline_evaluate(node, out, err);
        if (st != SURVKIT_OK) sk_value_release(out);
        return st;
    }
    if (strcmp(name, "poly") == 0 || strcmp(name, "ns") == 0) {
        const sk_node *x = sk_call_arg(node, "x", 0);
        RETURN_ERROR_IF(x == NULL, err, SURVKIT_ERR_FORMULA, "%s() needs x", name);
        RETURN_IF_ERROR(evaluate(ev, x, out, err));
        survkit_status st = need_numbers(x, out, name[0] == 'p' ? "poly()" : "ns()", err);
        if (st == SURVKIT_OK)
            st = name[0] == 'p' ? sk_poly_evaluate(node, out, err) : sk_ns_evaluate(node, out, err);
        if (st != SURVKIT_OK) sk_value_release(out);
        return st;
    }
    if (strcmp(name, "ridge") == 0) return evaluate_ridge(ev, node, out, err);
    /* the parser lets only factor() and relevel() of these have named arguments */
    const char *second = strcmp(name, "factor") == 0 ? "levels" : "ref";
    for (size_t k = 0; node->arg_names != NULL && k < node->n_args; k++) {
        const char *arg = node->arg_names[k];
        if (arg != NULL && strcmp(arg, "x") != 0 && strcmp(arg, second) != 0)
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, node->args[k]->pos,
                                "%s() has no argument '%s' survkit knows", name, arg);
    }
    const sk_node *x = sk_call_arg(node, "x", 0);
    RETURN_ERROR_IF(x == NULL, err, SURVKIT_ERR_FORMULA, "%s() needs its first argument", name);
    RETURN_IF_ERROR(evaluate(ev, x, out, err));
    survkit_status status = SURVKIT_OK;
    if (out->kind == SK_VALUE_MATRIX) { /* a basis is used as a whole; factors are checked below */
        status = need_numbers(x, out, name, err);
        sk_value_release(out);
        return status;
    }
    if (strcmp(name, "I") == 0) return SURVKIT_OK;
    if (strcmp(name, "factor") == 0 && sk_call_arg(node, "levels", 1) != NULL) {
        status = sk_factor_set_levels(out, sk_call_arg(node, "levels", 1), err);
    } else if (strcmp(name, "factor") == 0 || strcmp(name, "as.factor") == 0) {
        status = make_factor(out, err);
    } else if (strcmp(name, "relevel") == 0) {
        status = sk_factor_relevel(out, node, err);
    } else {
        char what[32];
        snprintf(what, sizeof what, "%s()", name);
        status = need_numbers(node->args[0], out, what, err);
        double (*fn)(double) = transform_of(name);
        double base = NAN;
        if (status == SURVKIT_OK && node->n_args == 2) { /* log(x, base) with a constant base */
            const sk_node *b = node->args[1];
            if (b->kind != SK_NODE_NUMBER)
                status = sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, b->pos,
                                      "the base of log() must be a number");
            base = b->number;
        }
        for (size_t i = 0; status == SURVKIT_OK && i < out->n; i++) {
            out->num[i] = fn(out->num[i]);
            if (node->n_args == 2) out->num[i] /= log(base);
        }
        out->kind = SK_VALUE_NUMERIC;
    }
    if (status != SURVKIT_OK) sk_value_release(out);
    return status;
}

static survkit_status evaluate(const evaluator *ev, const sk_node *node, sk_value *out,
                               survkit_error *err)
{
    size_t n = survkit_table_n_rows(ev->table);
    memset(out, 0, sizeof *out);
    switch (node->kind) {
    case SK_NODE_NAME:
        return evaluate_name(ev, node, out, err);
    case SK_NODE_NUMBER:
        RETURN_IF_ERROR(numeric_value(out, SK_VALUE_NUMERIC, n, err));
        for (size_t i = 0; i < n; i++) out->num[i] = node->number;
        return SURVKIT_OK;
    case SK_NODE_STRING:
        return sk_error_set(err, SURVKIT_ERR_TYPE, NULL, 0, node->pos,
                            "a string constant can only be compared with a string variable");
    case SK_NODE_PAREN:
        return evaluate(ev, node->args[0], out, err);
    case SK_NODE_UNARY: {
        RETURN_IF_ERROR(evaluate(ev, node->args[0], out, err));
        survkit_status status = need_numbers(node->args[0], out, "unary minus", err);
        if (status != SURVKIT_OK) {
            sk_value_release(out);
            return status;
        }
        if (node->op == '-')
            for (size_t i = 0; i < n; i++) out->num[i] = -out->num[i];
        out->kind = SK_VALUE_NUMERIC;
        return SURVKIT_OK;
    }
    case SK_NODE_BINARY:
        return evaluate_binary(ev, node, out, err);
    case SK_NODE_CALL:
        return evaluate_call(ev, node, out, err);
    }
    return sk_error_set(err, SURVKIT_ERR_INTERNAL, NULL, 0, node->pos, "unknown node");
}

survkit_status sk_evaluate_collated(const sk_node *node, const survkit_table *table,
                                    survkit_collate collate, sk_value *out, survkit_error *err)
{
    const evaluator ev = {table, collate};
    return evaluate(&ev, node, out, err);
}

survkit_status sk_evaluate(const sk_node *node, const survkit_table *table, sk_value *out,
                           survkit_error *err)
{
    return sk_evaluate_collated(node, table, SURVKIT_COLLATE_UTF8, out, err);
}

survkit_status sk_value_subset(sk_value *v, const size_t *keep, size_t n_keep, survkit_error *err)
{
    if (v->kind != SK_VALUE_FACTOR) {
        if (n_keep == v->n) return SURVKIT_OK; /* keep is increasing: every row, in order */
        const size_t n_cols = v->kind == SK_VALUE_MATRIX ? v->n_cols : 1;
        size_t cells;
        double *num =
            sk_mul_size(n_keep, n_cols, &cells) ? sk_malloc_array(cells, sizeof *num) : NULL;
        if (num == NULL) return out_of_memory(err);
        for (size_t c = 0; c < n_cols; c++)
            for (size_t i = 0; i < n_keep; i++) num[i + c * n_keep] = v->num[keep[i] + c * v->n];
        if (!v->borrowed) free(v->num);
        v->borrowed = false;
        v->num = num;
        v->n = n_keep;
        return SURVKIT_OK;
    }
    int32_t *codes = sk_malloc_array(n_keep, sizeof *codes);
    int32_t *new_code = sk_malloc_array(v->n_levels, sizeof *new_code);
    if (codes == NULL || new_code == NULL) {
        free(codes);
        free(new_code);
        return out_of_memory(err);
    }
    for (size_t k = 0; k < v->n_levels; k++) new_code[k] = v->drop_unused ? -1 : (int32_t)k;
    for (size_t i = 0; i < n_keep; i++) {
        codes[i] = v->codes[keep[i]];
        if (v->drop_unused && codes[i] >= 0) new_code[codes[i]] = 0;
    }
    if (v->drop_unused) { /* number the used levels in order, freeing the others */
        size_t used = 0;
        for (size_t k = 0; k < v->n_levels; k++) {
            if (new_code[k] < 0) {
                free(v->levels[k]);
                continue;
            }
            v->levels[used] = v->levels[k];
            new_code[k] = (int32_t)used++;
        }
        v->n_levels = used;
        for (size_t i = 0; i < n_keep; i++)
            if (codes[i] >= 0) codes[i] = new_code[codes[i]];
    }
    free(new_code);
    free(v->codes);
    v->codes = codes;
    v->n = n_keep;
    return SURVKIT_OK;
}
