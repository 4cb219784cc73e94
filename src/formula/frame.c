/*
 * frame.c: the survkit_frame object: a formula evaluated against a table, as R's model.frame with
 * na.omit followed by coxph's model.matrix, strata() and cluster() handling.
 *
 * Steps: parse; expand the right side into terms; evaluate the response, every variable, the
 * specials and the weights over all rows; drop the rows where any of them is missing (R's na.omit,
 * NaN counts as missing); then code the response, check the weights, sum the offsets, build X and
 * number the strata, clusters and km/logrank groups on the kept rows.
 */
#include "formula/formula_internal.h"
#include "core/memory.h"
#include "data/table_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What prediction on new data needs of a variable: its kind and, for a factor, its levels. */
typedef struct sk_variable_info {
    sk_value_kind kind;
    char **levels;
    size_t n_levels;
} sk_variable_info;

struct survkit_frame_s {
    char *formula;
    char *model_formula; /* the formula with `.` expanded, or NULL when it had none */
    sk_formula parsed;   /* kept for prediction on new data */
    sk_terms terms;      /* points into parsed */
    sk_variable_info *variable_info; /* terms.n_variables entries */
    size_t n, n_dropped;
    /* The table row of each kept row; NULL while no row was dropped (the identity: 8 bytes a row
     * of fresh pages saved), built on first demand by kept_rows(). */
    size_t *row_index;
    survkit_response_kind kind;
    double *start, *time, *status;
    double *time2;       /* interval data only */
    bool response_in_place; /* time and status are the table's (sk_response_in_place) */
    bool timefix;        /* the times went through R's timefix (sk_time_fix) */
    survkit_collate collate; /* the order of string levels */
    sk_design design;
    double *weights, *offset;
    int32_t *strata;
    size_t n_strata;
    char **strata_labels;
    int32_t *cluster;
    size_t n_clusters;
    /* frailty(x, ...): the groups' codes and values, the term's label and its options */
    int32_t *frailty;
    size_t n_frailty;
    char **frailty_labels;
    char *frailty_term;
    survkit_frailty_distribution frailty_dist;
    double *ridge_var;     /* ridge(): each column's variance before na.omit (R's pparm) */
    survkit_pspline_term *pspline; /* pspline() terms, in term order */
    double **pspline_x;            /* each one's variable over every table row */
    size_t n_pspline;
    double frailty_theta;  /* NaN: estimated */
    survkit_frailty_method frailty_method;
    double frailty_df;     /* the target df of method "df", else NaN */
    int frailty_sparse;    /* frailty(sparse =): 1 TRUE, 0 FALSE, -1 not given (R: nclass > 5) */
    size_t frailty_nclass; /* R's nclass: distinct values of x before na.omit (0: not counted) */
    int32_t *groups;
    size_t n_groups;
    char **group_labels;
    size_t n_states;     /* survkit_frame_options.states: status holds states 0..n_states */
                         /* state_labels: n_states + 1, the censoring level first */
    char **state_labels;
    survkit_table *table; /* the table X is read from in place (design.x_in_place), or NULL */
};

void survkit_frame_options_init(survkit_frame_options *opt)
{
    if (opt == NULL) return;
    opt->weights = NULL;
    opt->groups = 1;
    opt->timefix = 1;
    opt->collate = SURVKIT_COLLATE_UTF8;
    opt->states = 0;
    opt->censor = NULL;
    opt->binary_response = 0;
    opt->interval = 0;
}

void survkit_frame_free(survkit_frame *f)
{
    if (f == NULL) return;
    for (size_t v = 0; f->variable_info != NULL && v < f->terms.n_variables; v++)
        sk_free_strings(f->variable_info[v].levels, f->variable_info[v].n_levels);
    free(f->variable_info);
    sk_terms_release(&f->terms);
    sk_formula_release(&f->parsed);
    free(f->formula);
    free(f->model_formula);
    free(f->row_index);
    free(f->start);
    free(f->time2);
    if (!f->response_in_place) {
        free(f->time);
        free(f->status);
    }
    sk_design_release(&f->design);
    survkit_table_free(f->table); /* this frame's hold on it */
    free(f->weights);
    free(f->offset);
    free(f->strata);
    sk_free_strings(f->strata_labels, f->n_strata);
    free(f->cluster);
    free(f->frailty);
    sk_free_strings(f->frailty_labels, f->n_frailty);
    free(f->frailty_term);
    free(f->ridge_var);
    free(f->pspline);
    for (size_t k = 0; f->pspline_x && k < f->n_pspline; k++) free(f->pspline_x[k]);
    free(f->pspline_x);
    free(f->groups);
    sk_free_strings(f->group_labels, f->n_groups);
    sk_free_strings(f->state_labels, f->state_labels ? f->n_states + 1 : 0);
    free(f);
}

/* Building on new data like a model's frame (sk_frame_build_like); NULL for an ordinary build. */
typedef struct like_spec {
    const sk_variable_spec *specs;
    size_t n_specs;
    const char *const *strata_labels;
    size_t n_strata;
    bool frailty;      /* code the frailty() groups too (a dense frailty's are covariates) */
    bool has_response; /* output: were the response columns found? */
} like_spec;

/* Every evaluated vector of a build, so that one loop does na.omit and one frees. */
typedef struct workspace {
    sk_response response;
    sk_value *variables;     /* terms.n_variables */
    sk_value *specials;      /* one per argument of strata(), cluster(), offset() */
    const char **special_names;
    sk_special_kind *special_kind;
    size_t n_specials;
    const sk_node *frailty_call; /* the frailty() call, or NULL */
    sk_value weights;
    bool has_weights;
} workspace;

static void workspace_release(workspace *w, size_t n_variables)
{
    sk_response_release(&w->response);
    for (size_t v = 0; w->variables != NULL && v < n_variables; v++) sk_value_release(&w->variables[v]);
    for (size_t s = 0; s < w->n_specials; s++) {
        sk_value_release(&w->specials[s]);
        free((char *)w->special_names[s]);
    }
    free(w->variables);
    free(w->specials);
    free(w->special_names);
    free(w->special_kind);
    sk_value_release(&w->weights);
}

static survkit_status out_of_memory(survkit_error *err)
{
    return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory building the model frame");
}

/* Evaluate the arguments of strata(), cluster() and offset(). New data for prediction
 * (`for_prediction`) need no cluster column: clusters only enter the variance of the fit, and R's
 * predict.coxph does not ask for them either; nor a frailty() column unless `frailty` (a dense
 * frailty's groups are columns of R's X). */
static survkit_status evaluate_specials(const sk_terms *terms, const survkit_table *table,
                                        survkit_collate collate, bool for_prediction,
                                        bool frailty, workspace *w, survkit_error *err)
{
    size_t n_args = 0, n_clusters = 0, n_frailty = 0;
    for (size_t s = 0; s < terms->n_specials; s++) {
        n_args += terms->special[s].call->n_args;
        if (terms->special[s].kind == SK_SPECIAL_CLUSTER && n_clusters++ > 0)
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, terms->special[s].call->pos,
                                "only one cluster() term is allowed");
        if (terms->special[s].kind == SK_SPECIAL_FRAILTY && n_frailty++ > 0)
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, terms->special[s].call->pos,
                                "multiple frailty terms are not supported");
    }
    w->specials = sk_calloc_array(n_args, sizeof *w->specials);
    w->special_names = sk_calloc_array(n_args, sizeof *w->special_names);
    w->special_kind = sk_calloc_array(n_args, sizeof *w->special_kind);
    if (w->specials == NULL || w->special_names == NULL || w->special_kind == NULL)
        return out_of_memory(err);
    for (size_t s = 0; s < terms->n_specials; s++) {
        const sk_node *call = terms->special[s].call;
        const sk_special_kind kind = terms->special[s].kind;
        if (for_prediction &&
            (kind == SK_SPECIAL_CLUSTER || (kind == SK_SPECIAL_FRAILTY && !frailty)))
            continue;
        if (kind == SK_SPECIAL_FRAILTY) w->frailty_call = call;
        for (size_t a = 0; a < call->n_args; a++) {
            size_t k = w->n_specials;
            /* frailty(): only its first argument is data, the others are options */
            if (kind == SK_SPECIAL_FRAILTY && call->args[a] != sk_call_arg(call, "x", 0)) continue;
            RETURN_IF_ERROR(sk_evaluate_variable_collated(call->args[a], table, collate,
                                                          &w->specials[k], err));
            w->special_kind[k] = terms->special[s].kind;
            w->n_specials++;
            if ((w->special_names[k] = sk_deparse(call->args[a])) == NULL) return out_of_memory(err);
            if (w->specials[k].kind == SK_VALUE_MATRIX)
                return sk_error_set(err, SURVKIT_ERR_TYPE, NULL, 0, call->args[a]->pos,
                                    "%s() needs one column, but '%s' is a basis of several",
                                    call->name, w->special_names[k]);
            if (terms->special[s].kind == SK_SPECIAL_OFFSET && w->specials[k].kind == SK_VALUE_FACTOR)
                return sk_error_set(err, SURVKIT_ERR_TYPE, NULL, 0, call->args[a]->pos,
                                    "offset() needs numbers, but '%s' is a string (factor) variable",
                                    w->special_names[k]);
        }
    }
    return SURVKIT_OK;
}

static survkit_status evaluate_weights(const survkit_table *table, const char *name, workspace *w,
                                       survkit_error *err)
{
    if (name == NULL) return SURVKIT_OK;
    long j = survkit_table_find(table, name);
    RETURN_ERROR_IF(j < 0, err, SURVKIT_ERR_NOT_FOUND, "no weights column named '%s' in the data",
                    name);
    size_t row;
    if (sk_first_non_number(table, (size_t)j, &row))
        return sk_error_set(err, SURVKIT_ERR_TYPE, NULL, row + 2, (uint64_t)j + 1,
                            "'%.40s' is not a number, but column '%s' holds the weights",
                            sk_table_text(table, (size_t)j, row), name);
    RETURN_ERROR_IF(survkit_table_column_type(table, (size_t)j) != SURVKIT_COLUMN_NUMERIC, err,
                    SURVKIT_ERR_TYPE, "the weights column '%s' is not numeric", name);
    size_t n = survkit_table_n_rows(table);
    w->weights.kind = SK_VALUE_NUMERIC;
    w->weights.n = n;
    w->weights.num = sk_malloc_array(n, sizeof(double));
    if (w->weights.num == NULL) return out_of_memory(err);
    memcpy(w->weights.num, survkit_table_numeric(table, (size_t)j), n * sizeof(double));
    w->has_weights = true;
    return SURVKIT_OK;
}

/* Mark the rows where v is missing (one pass per value, in order: no call per row). */
static void mark_missing(const sk_value *v, size_t n, unsigned char *missing)
{
    if (v->borrowed && v->complete) return; /* the reader counted none in the column */
    if (v->kind == SK_VALUE_MATRIX)
        for (size_t c = 0; c < v->n_cols; c++)
            for (size_t i = 0; i < n; i++) missing[i] |= v->num[i + c * n] != v->num[i + c * n];
    else if (v->kind == SK_VALUE_FACTOR)
        for (size_t i = 0; i < n; i++) missing[i] |= v->codes[i] < 0;
    else
        for (size_t i = 0; i < n; i++) missing[i] |= v->num[i] != v->num[i]; /* NaN */
}

/* The table row of kept row i. */
static size_t row_of(const survkit_frame *f, size_t i)
{
    const size_t *rows = __atomic_load_n(&f->row_index, __ATOMIC_ACQUIRE);
    return rows != NULL ? rows[i] : i;
}

/* f->row_index, built as the identity when no row was dropped and nobody asked for it before;
 * NULL when out of memory. Safe from several threads (the first array published wins). */
static const size_t *kept_rows(const survkit_frame *f)
{
    size_t **slot = &((survkit_frame *)f)->row_index; /* a cache, not the frame's contents */
    size_t *rows = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (rows != NULL) return rows;
    size_t *identity = sk_malloc_array(f->n + 1, sizeof *identity);
    if (identity == NULL) return NULL;
    for (size_t i = 0; i < f->n; i++) identity[i] = i;
    if (__atomic_compare_exchange_n(slot, &rows, identity, false, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE))
        return identity;
    free(identity); /* another thread published first: rows holds its array */
    return rows;
}

/* na.omit: the rows where nothing is missing, in table order. New data (`like`) keep rows whose
 * response alone is missing: predict.coxph needs the response only for type = "expected". */
static survkit_status omit_missing(survkit_frame *f, const workspace *w, size_t n_rows,
                                   const like_spec *like, survkit_error *err)
{
    unsigned char *missing = sk_calloc_array(n_rows, 1);
    if (missing == NULL) return out_of_memory(err);
    const size_t n_response = like ? 0 : w->response.n_parts;
    if (w->has_weights) mark_missing(&w->weights, n_rows, missing);
    if (n_response > 0 && w->response.kind == SURVKIT_RESPONSE_INTERVAL) {
        /* an interval is missing only when neither bound is known (R: both NA, or infinite) */
        const double *a = w->response.parts[0].num, *b = w->response.parts[1].num;
        for (size_t i = 0; i < n_rows; i++) missing[i] |= !isfinite(a[i]) && !isfinite(b[i]);
    } else {
        for (size_t k = 0; k < n_response; k++) mark_missing(&w->response.parts[k], n_rows, missing);
    }
    for (size_t v = 0; v < f->terms.n_variables; v++) mark_missing(&w->variables[v], n_rows, missing);
    for (size_t s = 0; s < w->n_specials; s++) mark_missing(&w->specials[s], n_rows, missing);
    size_t n_missing = 0;
    for (size_t i = 0; i < n_rows; i++) n_missing += missing[i];
    if (n_missing > 0) { /* the kept rows' numbers; none kept: row_index stays NULL (identity) */
        f->row_index = sk_malloc_filled(n_rows, sizeof *f->row_index);
        if (f->row_index == NULL) {
            free(missing);
            return out_of_memory(err);
        }
        for (size_t i = 0; i < n_rows; i++) {
            f->row_index[f->n] = i;
            f->n += !missing[i];
        }
    } else {
        f->n = n_rows;
    }
    free(missing);
    f->n_dropped = n_rows - f->n;
    RETURN_ERROR_IF(n_rows == 0, err, SURVKIT_ERR_NO_DATA, "the data have no rows (only a header)");
    RETURN_ERROR_IF(f->n == 0, err, SURVKIT_ERR_NO_DATA,
                    "no rows left: all %zu rows have a missing value in a variable of the formula",
                    n_rows);
    return SURVKIT_OK;
}

/* Keep the rows of v (a factor also drops its unused levels, so it is subset even when every
 * row is kept; other values then need nothing). */
static survkit_status subset_one(const survkit_frame *f, sk_value *v, survkit_error *err)
{
    if (f->row_index == NULL && v->kind != SK_VALUE_FACTOR) return SURVKIT_OK;
    const size_t *keep = kept_rows(f);
    if (keep == NULL) return out_of_memory(err);
    return sk_value_subset(v, keep, f->n, err);
}

static survkit_status subset_all(survkit_frame *f, workspace *w, survkit_error *err)
{
    for (size_t v = 0; v < f->terms.n_variables; v++)
        RETURN_IF_ERROR(subset_one(f, &w->variables[v], err));
    for (size_t s = 0; s < w->n_specials; s++) RETURN_IF_ERROR(subset_one(f, &w->specials[s], err));
    if (w->has_weights) RETURN_IF_ERROR(subset_one(f, &w->weights, err));
    return SURVKIT_OK;
}

/* The response of the kept rows. New data (`like`) may miss it in some rows: a missing time (or
 * start) makes the row's time, start and status NaN; a missing status only the status. */
static survkit_status code_response(survkit_frame *f, const workspace *w, const survkit_table *table,
                                    const like_spec *like, const survkit_frame_options *states,
                                    bool timefix, survkit_error *err)
{
    if (w->response.n_parts == 0) return SURVKIT_OK; /* new data without the response */
    f->kind = w->response.kind;
    const double *in_place_time, *in_place_status;
    if (like == NULL && states == NULL &&
        sk_response_in_place(&w->response, f->n, timefix, &in_place_time, &in_place_status)) {
        f->time = (double *)in_place_time; /* read only, as every frame array */
        f->status = (double *)in_place_status;
        f->response_in_place = true;
        if (f->table == NULL) f->table = sk_table_retain(table);
        return SURVKIT_OK;
    }
    /* sk_response_code takes NULL for every row; the others want the rows' numbers */
    const size_t *keep = like == NULL && states == NULL && f->kind != SURVKIT_RESPONSE_BINARY &&
                                 f->kind != SURVKIT_RESPONSE_INTERVAL
                             ? f->row_index : kept_rows(f);
    if (f->kind == SURVKIT_RESPONSE_BINARY) { /* glm: y in the status array, no times */
        if ((f->status = sk_malloc_filled(f->n, sizeof *f->status)) == NULL) return out_of_memory(err);
        if (keep == NULL) return out_of_memory(err);
        return sk_response_code_binary(&w->response, f->parsed.lhs, table, keep, f->n, f->status,
                                       err);
    }
    if (f->kind == SURVKIT_RESPONSE_INTERVAL) {
        if (like) return SURVKIT_OK; /* prediction needs no interval response */
        f->time = sk_malloc_filled(f->n, sizeof *f->time);
        f->time2 = sk_malloc_filled(f->n, sizeof *f->time2);
        f->status = sk_malloc_filled(f->n, sizeof *f->status);
        if (f->time == NULL || f->time2 == NULL || f->status == NULL || keep == NULL)
            return out_of_memory(err);
        return sk_response_code_interval(&w->response, f->parsed.lhs, table, keep, f->n,
                                         f->time, f->time2, f->status, err);
    }
    f->time = sk_malloc_filled(f->n, sizeof *f->time);
    f->status = sk_malloc_filled(f->n, sizeof *f->status);
    if (f->kind == SURVKIT_RESPONSE_COUNTING) f->start = sk_malloc_filled(f->n, sizeof *f->start);
    if (f->time == NULL || f->status == NULL || (f->kind == SURVKIT_RESPONSE_COUNTING && !f->start))
        return out_of_memory(err);
    if (keep == NULL && (like != NULL || states != NULL)) return out_of_memory(err);
    if (like == NULL && states != NULL)
        return sk_response_code_states(&w->response, f->parsed.lhs, table, keep, f->n,
                                       states->censor, f->start, f->time, f->status, &f->n_states,
                                       &f->state_labels, err);
    if (like == NULL)
        return sk_response_code(&w->response, f->parsed.lhs, table, keep, f->n, f->start, f->time,
                                f->status, err);
    /* Code the rows with a complete response into scratch arrays, then spread them out. */
    const size_t n = f->n;
    size_t *rows = sk_malloc_array(n + 1, sizeof *rows);
    double *scratch = sk_malloc_array(3 * n + 1, sizeof *scratch);
    if (rows == NULL || scratch == NULL) {
        free(rows), free(scratch);
        return out_of_memory(err);
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) { /* the times (the parts before the status) */
        bool missing = false;
        for (size_t k = 0; !missing && k + 1 < w->response.n_parts; k++)
            missing = sk_value_missing(&w->response.parts[k], keep[i]);
        if (!missing) rows[m++] = keep[i];
    }
    double *time = scratch, *status = scratch + n, *start = scratch + 2 * n;
    survkit_status st = sk_response_code(&w->response, f->parsed.lhs, table, rows, m,
                                         f->start ? start : NULL, time, status, err);
    for (size_t i = 0, q = 0; st == SURVKIT_OK && i < n; i++) {
        bool complete = q < m && rows[q] == keep[i];
        f->time[i] = complete ? time[q] : NAN;
        f->status[i] = complete ? status[q] : NAN;
        if (f->start) f->start[i] = complete ? start[q] : NAN;
        q += complete;
    }
    free(rows), free(scratch);
    return st;
}

/* R's timefix on the kept rows' times (sk_time_fix); an interval it closes names its row. */
static survkit_status fix_times(survkit_frame *f, survkit_error *err)
{
    size_t bad_row = SIZE_MAX;
    survkit_status status = sk_time_fix(f->start, f->time, f->n, &bad_row, err);
    if (status != SURVKIT_OK && bad_row != SIZE_MAX && err != NULL)
        err->line = row_of(f, bad_row) + 2;
    return status;
}

/* Weights: finite and >= 0 (survfit), and > 0 when `checked` (coxph: "Invalid weights, must be >0"). */
static survkit_status copy_weights(survkit_frame *f, workspace *w, const survkit_table *table,
                                   const char *name, bool checked, survkit_error *err)
{
    if (!w->has_weights) return SURVKIT_OK;
    for (size_t i = 0; i < f->n; i++) {
        double v = w->weights.num[i];
        if (!(v >= 0) || isinf(v) || (checked && v == 0))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, row_of(f, i) + 2,
                                (uint64_t)survkit_table_find(table, name) + 1, "%s",
                                checked ? "Invalid weights, must be >0"
                                        : "weights must be finite and non-negative");
    }
    f->weights = w->weights.num; /* take the array */
    w->weights.num = NULL;
    return SURVKIT_OK;
}

/* frailty(x, sparse = S): R's frailty.gamma and frailty.gaussian test it with if (sparse), so it
 * is one logical, a number counting as TRUE unless 0 (R's "cutoff" of the manual is not
 * implemented there); R's messages for the rest. */
static survkit_status frailty_sparse(survkit_frame *f, const sk_node *arg, survkit_error *err)
{
    if (arg->kind == SK_NODE_NAME && strcmp(arg->name, "NA") == 0)
        return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, arg->pos,
                            "frailty(sparse = NA): missing value where TRUE/FALSE needed");
    sk_constant c;
    RETURN_IF_ERROR(sk_constant_read(arg, &c, err));
    const bool string = c.is_string, many = c.n != 1;
    const double value = c.n > 0 ? c.num[0] : NAN;
    sk_constant_release(&c);
    if (string)
        return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, arg->pos,
                            "frailty(sparse = ): argument is not interpretable as logical");
    if (many)
        return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, arg->pos,
                            "frailty(sparse = ): the condition has length > 1 (R takes one "
                            "TRUE or FALSE)");
    f->frailty_sparse = value != 0;
    return SURVKIT_OK;
}

/* frailty(x, distribution = "gamma"|"gaussian", theta = T, method = "em"|"reml"|"fixed"),
 * frailty.gamma(x, theta =), frailty.gaussian(x, theta =): R's frailty() options that survkit fits.
 * The groups are numbered as R's match(x, sort(unique(x))). */
static survkit_status frailty_options(survkit_frame *f, const sk_node *call, survkit_error *err)
{
    f->frailty_dist = strcmp(call->name, "frailty.gaussian") == 0 ? SURVKIT_FRAILTY_GAUSSIAN
                                                                   : SURVKIT_FRAILTY_GAMMA;
    f->frailty_theta = NAN;
    f->frailty_df = NAN;
    f->frailty_method = SURVKIT_FRAILTY_METHOD_DEFAULT;
    f->frailty_sparse = -1;
    const char *method = NULL;
    size_t df_pos = 0;
    size_t method_pos = call->pos;
    for (size_t a = 0; a < call->n_args; a++) {
        const sk_node *arg = call->args[a];
        const char *name = call->arg_names ? call->arg_names[a] : NULL;
        if (name == NULL || strcmp(name, "x") == 0) {
            RETURN_ERROR_IF(arg != sk_call_arg(call, "x", 0), err, SURVKIT_ERR_FORMULA, "%s",
                            "frailty() takes one variable; name its other arguments");
            continue;
        }
        /* R's frailty(x, distribution, ...): its name matches partially (dist = ), its value
         * as pmatch(distribution, c("gamma", "gaussian", "t")) ("gauss") */
        if (strncmp(name, "distribution", strlen(name)) == 0 &&
            strcmp(call->name, "frailty") == 0) {
            if (arg->kind != SK_NODE_STRING)
                return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, arg->pos,
                                    "distribution must be \"gamma\" or \"gaussian\"");
            const size_t len = strlen(arg->name);
            const bool gamma_prefix = len > 0 && strncmp(arg->name, "gamma", len) == 0;
            const bool gauss_prefix = len > 0 && strncmp(arg->name, "gaussian", len) == 0;
            if (strcmp(arg->name, "gamma") == 0 || (gamma_prefix && !gauss_prefix))
                f->frailty_dist = SURVKIT_FRAILTY_GAMMA;
            else if (gauss_prefix && !gamma_prefix) f->frailty_dist = SURVKIT_FRAILTY_GAUSSIAN;
            else
                return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, arg->pos,
                                    "frailty distribution \"%s\" is not supported: use \"gamma\" "
                                    "or \"gaussian\"", arg->name);
        } else if (strcmp(name, "theta") == 0) {
            double theta = NAN;
            if (arg->kind == SK_NODE_NUMBER) theta = arg->number;
            else if (arg->kind == SK_NODE_UNARY && arg->op == '-' &&
                     arg->args[0]->kind == SK_NODE_NUMBER)
                theta = -arg->args[0]->number;
            else
                return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, arg->pos,
                                    "theta must be a number");
            if (!(theta > 0) || !isfinite(theta))
                return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, 0, arg->pos,
                                    "theta must be positive (the frailty variance), not %g", theta);
            f->frailty_theta = theta;
        } else if (strcmp(name, "df") == 0) {
            if (arg->kind != SK_NODE_NUMBER || !isfinite(arg->number) || arg->number < 0)
                return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, arg->pos,
                                    "df must be a number >= 0 (the frailty term's degrees of "
                                    "freedom)");
            f->frailty_df = arg->number;
            df_pos = arg->pos;
        } else if (strcmp(name, "sparse") == 0) {
            RETURN_IF_ERROR(frailty_sparse(f, arg, err));
        } else if (strcmp(name, "method") == 0) {
            if (arg->kind != SK_NODE_STRING)
                return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, arg->pos,
                                    "method must be a string");
            method = arg->name;
            method_pos = arg->pos;
        } else {
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, arg->pos,
                                "%s() has no argument '%s' that survkit supports (x, %stheta, "
                                "df, method, sparse)", call->name, name,
                                strcmp(call->name, "frailty") == 0 ? "distribution, " : "");
        }
    }
    /* R's frailty.gamma / frailty.gaussian: the method from theta or df when not given */
    const bool gamma = f->frailty_dist == SURVKIT_FRAILTY_GAMMA, has_df = !isnan(f->frailty_df);
    if (method == NULL) {
        if (!isnan(f->frailty_theta) && has_df)
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, df_pos,
                                "Cannot give both a df and theta argument");
        method = !isnan(f->frailty_theta) ? "fixed"
                 : has_df                 ? (!gamma && f->frailty_df == 0 ? "aic" : "df")
                 : gamma                  ? "em"
                                          : "reml";
    }
    const char *own = gamma ? "em" : "reml";
    if (strcmp(method, "fixed") == 0) {
        RETURN_ERROR_IF(isnan(f->frailty_theta), err, SURVKIT_ERR_FORMULA,
                        "Method= fixed but no theta argument");
        f->frailty_method = SURVKIT_FRAILTY_METHOD_FIXED;
    } else if (strcmp(method, own) == 0 || strcmp(method, "aic") == 0 ||
               strcmp(method, "df") == 0) {
        if (!isnan(f->frailty_theta))
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, method_pos,
                                "Method is not 'fixed', but have a theta argument");
        if (strcmp(method, "aic") == 0) f->frailty_method = SURVKIT_FRAILTY_METHOD_AIC;
        if (strcmp(method, "df") == 0) {
            if (!has_df)
                return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, method_pos,
                                    "Method = df but no df argument");
            if (!(f->frailty_df > 0))
                return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, 0, df_pos,
                                    "df must be positive with method = \"df\"");
            f->frailty_method = SURVKIT_FRAILTY_METHOD_DF;
        }
    } else {
        return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, method_pos,
                            "frailty method \"%s\" is not supported here (\"%s\", \"aic\", "
                            "\"df\" or \"fixed\")", method, own);
    }
    if (gamma && has_df && f->frailty_method != SURVKIT_FRAILTY_METHOD_DF)
        return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, df_pos,
                            "Method is not df, but have a df argument");
    if (f->frailty_method != SURVKIT_FRAILTY_METHOD_DF) f->frailty_df = NAN;
    return SURVKIT_OK;
}

static survkit_status code_frailty(survkit_frame *f, const workspace *w, const sk_value *v,
                                   const char *name, survkit_error *err)
{
    RETURN_IF_ERROR(frailty_options(f, w->frailty_call, err));
    if ((f->frailty = sk_malloc_filled(f->n, sizeof *f->frailty)) == NULL) return out_of_memory(err);
    RETURN_IF_ERROR(sk_groups_build(&v, &name, 1, true, f->n, f->frailty, &f->n_frailty,
                                    &f->frailty_labels, err));
    if ((f->frailty_term = sk_deparse(w->frailty_call)) == NULL) return out_of_memory(err);
    return SURVKIT_OK;
}

static int compare_doubles(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* R's frailty(): nclass <- length(unique(x[!is.na(x)])) over every row of the data, before the
 * model frame drops rows with a missing value elsewhere; its default sparse = (nclass > 5). */
static survkit_status count_frailty_classes(survkit_frame *f, const workspace *w,
                                            survkit_error *err)
{
    for (size_t s = 0; s < w->n_specials; s++) {
        if (w->special_kind[s] != SK_SPECIAL_FRAILTY) continue;
        const sk_value *v = &w->specials[s];
        size_t k = 0;
        if (v->kind == SK_VALUE_FACTOR) {
            bool *seen = sk_calloc_array(v->n_levels + 1, sizeof(bool));
            if (seen == NULL) return out_of_memory(err);
            for (size_t i = 0; i < v->n; i++)
                if (v->codes[i] >= 0 && !seen[v->codes[i]]) seen[v->codes[i]] = true, k++;
            free(seen);
        } else if (v->kind != SK_VALUE_MATRIX) {
            double *x = sk_malloc_array(v->n + 1, sizeof(double));
            if (x == NULL) return out_of_memory(err);
            size_t m = 0;
            for (size_t i = 0; i < v->n; i++)
                if (!isnan(v->num[i])) x[m++] = v->num[i];
            qsort(x, m, sizeof *x, compare_doubles); /* once per frame */
            for (size_t i = 0; i < m; i++) k += i == 0 || x[i] != x[i - 1];
            free(x);
        }
        f->frailty_nclass = k;
    }
    return SURVKIT_OK;
}

/* Offsets add up; strata() arguments combine; cluster() numbers its distinct values. */
static survkit_status match_strata(survkit_frame *f, const like_spec *like, survkit_error *err);

static survkit_status code_specials(survkit_frame *f, const workspace *w, const like_spec *like,
                                    survkit_error *err)
{
    const sk_value *strata[SK_MAX_GROUP_VARIABLES];
    const char *strata_names[SK_MAX_GROUP_VARIABLES];
    size_t n_strata_vars = 0;
    for (size_t s = 0; s < w->n_specials; s++) {
        const sk_value *v = &w->specials[s];
        if (w->special_kind[s] == SK_SPECIAL_OFFSET) {
            if (f->offset == NULL && (f->offset = sk_calloc_array(f->n, sizeof *f->offset)) == NULL)
                return out_of_memory(err);
            for (size_t i = 0; i < f->n; i++) f->offset[i] += v->num[i];
        } else if (w->special_kind[s] == SK_SPECIAL_STRATA) {
            RETURN_ERROR_IF(n_strata_vars == SK_MAX_GROUP_VARIABLES, err, SURVKIT_ERR_FORMULA,
                            "more than %d strata variables", SK_MAX_GROUP_VARIABLES);
            strata_names[n_strata_vars] = w->special_names[s];
            strata[n_strata_vars++] = v;
        } else if (w->special_kind[s] == SK_SPECIAL_FRAILTY) {
            RETURN_IF_ERROR(code_frailty(f, w, v, w->special_names[s], err));
        } else {
            char **labels = NULL;
            if ((f->cluster = sk_malloc_filled(f->n, sizeof *f->cluster)) == NULL)
                return out_of_memory(err);
            const char *name = w->special_names[s];
            RETURN_IF_ERROR(sk_groups_build(&v, &name, 1, true, f->n, f->cluster, &f->n_clusters,
                                            &labels, err));
            sk_free_strings(labels, f->n_clusters);
        }
    }
    if (n_strata_vars == 0) return SURVKIT_OK;
    /* R's strata() labels bare levels when every argument is a factor or character */
    bool short_labels = true;
    for (size_t k = 0; k < n_strata_vars; k++) short_labels &= strata[k]->kind == SK_VALUE_FACTOR;
    if ((f->strata = sk_malloc_filled(f->n, sizeof *f->strata)) == NULL) return out_of_memory(err);
    RETURN_IF_ERROR(sk_groups_build(strata, strata_names, n_strata_vars, short_labels, f->n,
                                    f->strata, &f->n_strata, &f->strata_labels, err));
    return like ? match_strata(f, like, err) : SURVKIT_OK;
}

/* Two strata labels are the same stratum when they agree outside the padding spaces. */
static bool same_label(const char *a, const char *b)
{
    for (;;) {
        while (*a == ' ') a++;
        while (*b == ' ') b++;
        if (*a != *b) return false;
        if (*a == '\0') return true;
        a++, b++;
    }
}

/* Recode the strata of new data to the model's strata (their labels), as R's factor(levels=). */
static survkit_status match_strata(survkit_frame *f, const like_spec *like, survkit_error *err)
{
    size_t *map = sk_malloc_array(f->n_strata + 1, sizeof *map);
    if (map == NULL) return out_of_memory(err);
    for (size_t k = 0; k < f->n_strata; k++) {
        map[k] = SIZE_MAX;
        for (size_t m = 0; m < like->n_strata && map[k] == SIZE_MAX; m++)
            if (same_label(f->strata_labels[k], like->strata_labels[m])) map[k] = m;
        if (map[k] == SIZE_MAX) {
            survkit_status st = sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, 0, 0,
                                             "New data has a strata not found in the original "
                                             "model: %s", f->strata_labels[k]);
            free(map);
            return st;
        }
    }
    for (size_t i = 0; i < f->n; i++) f->strata[i] = (int32_t)map[f->strata[i]];
    sk_free_strings(f->strata_labels, f->n_strata);
    f->strata_labels = sk_calloc_array(like->n_strata + 1, sizeof(char *));
    f->n_strata = like->n_strata;
    free(map);
    if (f->strata_labels == NULL) return out_of_memory(err);
    for (size_t m = 0; m < like->n_strata; m++)
        if ((f->strata_labels[m] = sk_strdup(like->strata_labels[m])) == NULL) return out_of_memory(err);
    return SURVKIT_OK;
}

/* Give variable v the model's kind and levels (R's xlev): codes follow the model's levels. */
static survkit_status recode_like(sk_value *v, const sk_variable_spec *spec, const char *label,
                                  survkit_error *err)
{
    if (spec->kind == SK_VALUE_NUMERIC || spec->kind == SK_VALUE_LOGICAL) {
        RETURN_ERROR_IF(v->kind == SK_VALUE_FACTOR, err, SURVKIT_ERR_TYPE,
                        "'%s' is a string (factor) in the new data but numeric in the model", label);
        if (v->kind != SK_VALUE_MATRIX) v->kind = spec->kind;
        return SURVKIT_OK;
    }
    RETURN_ERROR_IF(v->kind == SK_VALUE_MATRIX, err, SURVKIT_ERR_TYPE,
                    "'%s' is a basis in the new data but a factor in the model", label);
    if (v->kind != SK_VALUE_FACTOR) { /* numbers where the model had a factor: their text */
        size_t n = v->n;
        int32_t *codes = sk_malloc_array(n, sizeof *codes);
        if (codes == NULL) return out_of_memory(err);
        for (size_t i = 0; i < n; i++) {
            codes[i] = -1;
            if (sk_value_missing(v, i)) continue;
            char buf[64];
            sk_value_text(v, i, buf, sizeof buf);
            for (size_t k = 0; k < spec->n_levels && codes[i] < 0; k++)
                if (strcmp(buf, spec->levels[k]) == 0) codes[i] = (int32_t)k;
            if (codes[i] < 0) {
                free(codes);
                return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 2, 0,
                                    "factor %s has new level %s", label, buf);
            }
        }
        if (!v->borrowed) free(v->num); /* a plain column is the table's */
        v->num = NULL;
        v->borrowed = false;
        v->codes = codes;
    } else {
        for (size_t i = 0; i < v->n; i++) {
            if (v->codes[i] < 0) continue;
            const char *text = v->levels[v->codes[i]];
            int32_t code = -1;
            for (size_t k = 0; k < spec->n_levels && code < 0; k++)
                if (strcmp(text, spec->levels[k]) == 0) code = (int32_t)k;
            if (code < 0) /* line: the data row (the header is line 1) */
                return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 2, 0,
                                    "factor %s has new level %s", label, text);
            v->codes[i] = code;
        }
        sk_free_strings(v->levels, v->n_levels);
    }
    v->kind = SK_VALUE_FACTOR;
    v->levels = sk_calloc_array(spec->n_levels + 1, sizeof(char *));
    v->n_levels = 0;
    v->drop_unused = false;
    if (v->levels == NULL) return out_of_memory(err);
    for (size_t k = 0; k < spec->n_levels; k++) {
        if ((v->levels[k] = sk_strdup(spec->levels[k])) == NULL) return out_of_memory(err);
        v->n_levels++;
    }
    return SURVKIT_OK;
}

/* km/logrank groups: the variables of the (non-special) terms. */
static survkit_status code_groups(survkit_frame *f, const workspace *w, survkit_error *err)
{
    const sk_value *values[SK_MAX_GROUP_VARIABLES];
    const char *names[SK_MAX_GROUP_VARIABLES];
    size_t n_values = 0;
    for (size_t v = 0; v < f->terms.n_variables; v++) {
        bool used = false;
        for (size_t k = 0; k < f->terms.n_terms && !used; k++) used = sk_term_has(&f->terms, k, v);
        if (!used) continue;
        if (w->variables[v].kind == SK_VALUE_MATRIX)
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, f->terms.variable[v]->pos,
                                "'%s' is a basis of several columns and cannot define groups",
                                f->terms.variable_label[v]);
        RETURN_ERROR_IF(n_values == SK_MAX_GROUP_VARIABLES, err, SURVKIT_ERR_FORMULA,
                        "more than %d variables define the groups", SK_MAX_GROUP_VARIABLES);
        values[n_values] = &w->variables[v];
        names[n_values++] = f->terms.variable_label[v];
    }
    if (n_values == 0) { /* `~ 1`: one group, code 0 for every row. calloc's fresh pages are
                             * never written: reading them maps the kernel's zero page, with no
                             * page to allocate and zero (a 10^7-row frame saves 40 MB of them). */
        f->groups = sk_calloc_array(f->n, sizeof *f->groups);
        if (f->groups == NULL) return out_of_memory(err);
        return sk_groups_build(values, names, 0, false, 0, NULL, &f->n_groups, &f->group_labels,
                               err);
    }
    if ((f->groups = sk_malloc_filled(f->n, sizeof *f->groups)) == NULL) return out_of_memory(err);
    return sk_groups_build(values, names, n_values, false, f->n, f->groups, &f->n_groups,
                           &f->group_labels, err);
}

/* Keep the kind and levels of each variable for prediction on new data. */
static survkit_status keep_variable_info(survkit_frame *f, workspace *w, survkit_error *err)
{
    f->variable_info = sk_calloc_array(f->terms.n_variables, sizeof *f->variable_info);
    if (f->variable_info == NULL) return out_of_memory(err);
    for (size_t v = 0; v < f->terms.n_variables; v++) {
        /* a basis is numbers to new data: its predict call rebuilds it */
        f->variable_info[v].kind =
            w->variables[v].kind == SK_VALUE_MATRIX ? SK_VALUE_NUMERIC : w->variables[v].kind;
        f->variable_info[v].levels = w->variables[v].levels; /* take them */
        f->variable_info[v].n_levels = w->variables[v].n_levels;
        w->variables[v].levels = NULL;
        w->variables[v].n_levels = 0;
    }
    return SURVKIT_OK;
}

/* The table column (1-based) of a plain-column variable that is infinite in table row `row`, or 0:
 * where an infinite predictor came from, for the error message. */
static uint64_t infinite_column(const survkit_frame *f, const workspace *w, const survkit_table *table,
                                uint64_t row)
{
    size_t i = 0;
    while (i < f->n && row_of(f, i) != row) i++;
    for (size_t v = 0; i < f->n && v < f->terms.n_variables; v++) {
        long j = survkit_table_find(table, f->terms.variable_label[v]);
        if (j >= 0 && w->variables[v].kind == SK_VALUE_NUMERIC && isinf(w->variables[v].num[i]))
            return (uint64_t)j + 1;
    }
    return 0;
}

/* The formula as R's terms(fit) has it, with makepredictcall's calls: lhs ~ rhs deparsed from
 * the (expanded) syntax tree, each poly()/ns() variable written as its predict call. */
static survkit_status keep_model_formula(survkit_frame *f, const workspace *w, survkit_error *err)
{
    const sk_node **from = sk_malloc_array(f->terms.n_variables + 1, sizeof *from);
    const char **to = sk_malloc_array(f->terms.n_variables + 1, sizeof *to);
    size_t n = 0;
    for (size_t v = 0; from && to && v < f->terms.n_variables; v++)
        if (w->variables[v].predict_call != NULL) {
            from[n] = f->terms.variable[v];
            to[n++] = w->variables[v].predict_call;
        }
    char *lhs = f->parsed.lhs ? sk_deparse(f->parsed.lhs) : sk_strdup("");
    char *rhs = from && to ? sk_deparse_replacing(f->parsed.rhs, from, to, n) : NULL;
    size_t len = (lhs ? strlen(lhs) : 0) + (rhs ? strlen(rhs) : 0) + 4;
    free(f->model_formula);
    f->model_formula = lhs && rhs ? malloc(len) : NULL;
    if (f->model_formula != NULL)
        snprintf(f->model_formula, len, "%s%s~ %s", lhs, lhs[0] ? " " : "", rhs);
    free(lhs);
    free(rhs);
    free(from);
    free(to);
    return f->model_formula ? SURVKIT_OK : out_of_memory(err);
}

/* R's ridge() scales each column's penalty by var(z[!is.na(z)]), computed in model.frame before
 * na.omit: so over every row where that column is present, not only the rows the fit keeps. */
static survkit_status keep_ridge_variances(survkit_frame *f, const workspace *w, survkit_error *err)
{
    for (size_t v = 0; v < f->terms.n_variables; v++) {
        const sk_node *node = f->terms.variable[v];
        if (node->kind != SK_NODE_CALL || strcmp(node->name, "ridge") != 0) continue;
        const sk_value *x = &w->variables[v];
        free(f->ridge_var);
        if ((f->ridge_var = sk_calloc_array(x->n_cols + 1, sizeof(double))) == NULL)
            return out_of_memory(err);
        for (size_t c = 0; c < x->n_cols; c++) {
            const double *col = x->num + c * x->n;
            double mean = 0, ss = 0;
            size_t m = 0;
            for (size_t i = 0; i < x->n; i++)
                if (!isnan(col[i])) mean += col[i], m++;
            mean /= (double)m;
            for (size_t i = 0; i < x->n; i++)
                if (!isnan(col[i])) ss += (col[i] - mean) * (col[i] - mean);
            f->ridge_var[c] = ss / (double)(m - 1);
        }
    }
    return SURVKIT_OK;
}

/* pspline(x, ...) terms: R's arguments and range(x) over every row where x is present (its
 * knots), kept for the fit's penalty; a pspline in an interaction is refused as R refuses it. */
static survkit_status keep_psplines(survkit_frame *f, const survkit_table *table, survkit_error *err)
{
    const sk_terms *t = &f->terms;
    for (size_t k = 0; k < t->n_terms; k++) {
        size_t order = 0;
        const sk_node *call = NULL;
        for (size_t u = sk_term_next(t, k, 0); u < t->n_variables; u = sk_term_next(t, k, u + 1)) {
            order++;
            const sk_node *node = t->variable[u];
            if (node->kind == SK_NODE_CALL && strcmp(node->name, "pspline") == 0) call = node;
        }
        if (call == NULL) continue;
        RETURN_ERROR_IF(order > 1, err, SURVKIT_ERR_FORMULA,
                        "Penalty terms cannot be in an interaction (%s)", t->term_label[k]);
        survkit_pspline_term *grown =
            realloc(f->pspline, (f->n_pspline + 1) * sizeof *f->pspline);
        if (grown == NULL) return out_of_memory(err);
        f->pspline = grown;
        double **grown_x = realloc(f->pspline_x, (f->n_pspline + 1) * sizeof *f->pspline_x);
        if (grown_x == NULL) return out_of_memory(err);
        f->pspline_x = grown_x;
        f->pspline_x[f->n_pspline] = NULL;
        sk_value x;
        memset(&x, 0, sizeof x);
        RETURN_IF_ERROR(sk_evaluate_collated(sk_call_arg(call, "x", 0), table, f->collate, &x, err));
        survkit_status st = SURVKIT_OK;
        if (x.kind != SK_VALUE_NUMERIC && x.kind != SK_VALUE_LOGICAL)
            st = sk_error_set(err, SURVKIT_ERR_TYPE, NULL, 0, call->pos,
                              "pspline() needs one numeric variable");
        if (st == SURVKIT_OK) st = sk_pspline_spec(call, x.num, x.n, &f->pspline[f->n_pspline], err);
        if (st == SURVKIT_OK && (f->pspline_x[f->n_pspline] = sk_malloc_array(x.n + 1, sizeof(double))) == NULL)
            st = out_of_memory(err);
        if (st == SURVKIT_OK) memcpy(f->pspline_x[f->n_pspline], x.num, x.n * sizeof(double));
        sk_value_release(&x);
        RETURN_IF_ERROR(st);
        f->pspline[f->n_pspline++].term = k;
    }
    return SURVKIT_OK;
}

/* frailty() and ridge() are terms of a penalised Cox model: a glm, cuminc or finegray frame
 * would otherwise drop the frailty or fit the ridge columns unpenalised, another model than the
 * formula says. */
static survkit_status refuse_penalties(const sk_terms *t, survkit_error *err)
{
    for (size_t s = 0; s < t->n_specials; s++)
        if (t->special[s].kind == SK_SPECIAL_FRAILTY)
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, t->special[s].call->pos,
                                "%s() is a term of a Cox model (survkit cox), not of this one",
                                t->special[s].call->name);
    for (size_t v = 0; v < t->n_variables; v++)
        if (t->variable[v]->kind == SK_NODE_CALL && (strcmp(t->variable[v]->name, "ridge") == 0 ||
                                                     strcmp(t->variable[v]->name, "pspline") == 0))
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, t->variable[v]->pos,
                                "%s() is a term of a Cox model (survkit cox), not of this one",
                                t->variable[v]->name);
    return SURVKIT_OK;
}

static survkit_status build(survkit_frame *f, const survkit_table *table, const char *formula,
                            const survkit_frame_options *opt, workspace *w, like_spec *like,
                            survkit_error *err)
{
    f->collate = opt ? opt->collate : SURVKIT_COLLATE_UTF8;
    RETURN_ERROR_IF(f->collate != SURVKIT_COLLATE_UTF8 && f->collate != SURVKIT_COLLATE_C, err,
                    SURVKIT_ERR_ARGUMENT, "unknown collation %d", (int)f->collate);
    RETURN_IF_ERROR(sk_formula_parse(formula, &f->parsed, err));
    const bool dot = sk_formula_has_dot(f->parsed.rhs);
    if (dot) RETURN_IF_ERROR(sk_formula_expand_dot(&f->parsed, table, err));
    RETURN_IF_ERROR(sk_terms_build(f->parsed.rhs, &f->terms, err));
    if (opt != NULL && (opt->states || opt->binary_response))
        RETURN_IF_ERROR(refuse_penalties(&f->terms, err));
    if (like) { /* the response is optional in new data */
        survkit_error ignored;
        survkit_error_clear(&ignored);
        like->has_response =
            sk_response_evaluate(f->parsed.lhs, table, &w->response, &ignored) == SURVKIT_OK;
        if (!like->has_response) {
            sk_response_release(&w->response);
            memset(&w->response, 0, sizeof w->response);
        }
        RETURN_ERROR_IF(like->n_specs != f->terms.n_variables, err, SURVKIT_ERR_ARGUMENT,
                        "the model describes %zu variables but its formula has %zu",
                        like->n_specs, f->terms.n_variables);
    } else if (opt != NULL && opt->states) {
        RETURN_IF_ERROR(
            sk_response_evaluate_states(f->parsed.lhs, table, f->collate, &w->response, err));
    } else if (opt != NULL && opt->binary_response) {
        RETURN_IF_ERROR(sk_response_evaluate_binary(f->parsed.lhs, table, &w->response, err));
    } else {
        RETURN_IF_ERROR(sk_response_evaluate(f->parsed.lhs, table, &w->response, err));
        if (w->response.kind == SURVKIT_RESPONSE_INTERVAL && !(opt && opt->interval))
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, f->parsed.lhs->pos,
                                "Surv(time1, time2, type = \"interval2\") is for survreg only");
    }
    for (size_t k = 0; k < w->response.n_parts; k++)
        RETURN_ERROR_IF(w->response.parts[k].kind == SK_VALUE_MATRIX, err, SURVKIT_ERR_TYPE,
                        "Surv() needs one column per argument, not a poly() or ns() basis");
    w->variables = sk_calloc_array(f->terms.n_variables, sizeof *w->variables);
    if (w->variables == NULL) return out_of_memory(err);
    for (size_t v = 0; v < f->terms.n_variables; v++) {
        RETURN_IF_ERROR(sk_evaluate_variable_collated(f->terms.variable[v], table, f->collate,
                                                      &w->variables[v], err));
        if (like)
            RETURN_IF_ERROR(recode_like(&w->variables[v], &like->specs[v],
                                        f->terms.variable_label[v], err));
    }
    RETURN_IF_ERROR(keep_ridge_variances(f, w, err));
    RETURN_IF_ERROR(keep_psplines(f, table, err));
    bool rewritten = dot;
    for (size_t v = 0; v < f->terms.n_variables; v++)
        rewritten |= w->variables[v].predict_call != NULL;
    if (like == NULL && rewritten) RETURN_IF_ERROR(keep_model_formula(f, w, err));
    RETURN_IF_ERROR(evaluate_specials(&f->terms, table, f->collate, like != NULL,
                                      like != NULL && like->frailty, w, err));
    RETURN_IF_ERROR(evaluate_weights(table, opt ? opt->weights : NULL, w, err));
    RETURN_IF_ERROR(count_frailty_classes(f, w, err));
    RETURN_IF_ERROR(omit_missing(f, w, survkit_table_n_rows(table), like, err));
    RETURN_IF_ERROR(subset_all(f, w, err));
    const bool timefix = like == NULL && (opt == NULL || opt->timefix);
    RETURN_IF_ERROR(
        code_response(f, w, table, like, opt && opt->states ? opt : NULL, timefix, err));
    f->timefix = timefix && f->kind != SURVKIT_RESPONSE_BINARY && f->kind != SURVKIT_RESPONSE_INTERVAL;
    /* a response read in place has nothing to fix (sk_response_in_place checked it) */
    if (f->timefix && !f->response_in_place) RETURN_IF_ERROR(fix_times(f, err));
    bool groups = opt == NULL || opt->groups;
    /* zero weights: allowed by survfit and glm (the row leaves the fit), not by coxph */
    bool positive_weights = !groups && f->kind != SURVKIT_RESPONSE_BINARY;
    RETURN_IF_ERROR(copy_weights(f, w, table, opt ? opt->weights : NULL, positive_weights, err));
    survkit_status status = sk_design_build(&f->terms, w->variables, f->n, f->row_index, !groups,
                                            table->block, table->block_cells, &f->design, err);
    if (status == SURVKIT_OK && f->design.x_in_place && f->table == NULL)
        f->table = sk_table_retain(table);
    if (status == SURVKIT_ERR_DOMAIN && err != NULL && err->line > 0 && err->column == 0)
        err->column = infinite_column(f, w, table, err->line - 2);
    RETURN_IF_ERROR(status);
    RETURN_IF_ERROR(code_specials(f, w, like, err));
    if (like == NULL && groups) RETURN_IF_ERROR(code_groups(f, w, err));
    return keep_variable_info(f, w, err);
}

/* Build a frame for `formula` over `table` (`like` NULL for an ordinary build, else new data coded
 * like a model's frame): the one path both public and prediction builds take. */
static survkit_status build_frame(const survkit_table *table, const char *formula,
                                  const survkit_frame_options *opt, like_spec *like,
                                  survkit_frame **out, survkit_error *err)
{
    survkit_frame *f = calloc(1, sizeof *f);
    if (f == NULL) return out_of_memory(err);
    if ((f->formula = sk_strdup(formula)) == NULL) {
        free(f);
        return out_of_memory(err);
    }
    workspace w;
    memset(&w, 0, sizeof w);
    survkit_status status = build(f, table, formula, opt, &w, like, err);
    workspace_release(&w, f->terms.n_variables);
    if (status != SURVKIT_OK) {
        survkit_frame_free(f);
        return status;
    }
    *out = f;
    return SURVKIT_OK;
}

survkit_status survkit_frame_build(const survkit_table *table, const char *formula,
                                   const survkit_frame_options *opt, survkit_frame **out,
                                   survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL, err, SURVKIT_ERR_ARGUMENT, "survkit_frame_build: out is NULL");
    *out = NULL;
    RETURN_ERROR_IF(table == NULL || formula == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "survkit_frame_build: NULL table or formula");
    return build_frame(table, formula, opt, NULL, out, err);
}

static survkit_status build_like(const char *formula, const sk_variable_spec *specs,
                                 size_t n_specs, const char *const *strata_labels,
                                 size_t n_strata, bool frailty, const survkit_table *table,
                                 survkit_frame **out, bool *has_response, survkit_error *err)
{
    *out = NULL;
    RETURN_ERROR_IF(table == NULL || formula == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "sk_frame_build_like: NULL table or formula");
    like_spec like = {specs, n_specs, strata_labels, n_strata, frailty, false};
    survkit_frame_options opt;
    survkit_frame_options_init(&opt);
    opt.groups = 0;
    RETURN_IF_ERROR(build_frame(table, formula, &opt, &like, out, err));
    if (has_response) *has_response = like.has_response;
    return SURVKIT_OK;
}

survkit_status sk_frame_build_like(const char *formula, const sk_variable_spec *specs,
                                   size_t n_specs, const char *const *strata_labels,
                                   size_t n_strata, const survkit_table *table,
                                   survkit_frame **out, bool *has_response, survkit_error *err)
{
    return build_like(formula, specs, n_specs, strata_labels, n_strata, false, table, out,
                      has_response, err);
}

survkit_status sk_frame_build_like_frailty(const char *formula, const sk_variable_spec *specs,
                                           size_t n_specs, const char *const *strata_labels,
                                           size_t n_strata, const survkit_table *table,
                                           survkit_frame **out, bool *has_response,
                                           survkit_error *err)
{
    return build_like(formula, specs, n_specs, strata_labels, n_strata, true, table, out,
                      has_response, err);
}

/* ---------------------------------------------------------------- getters */

size_t sk_frame_n_variables(const survkit_frame *f) { return f ? f->terms.n_variables : 0; }

void sk_frame_variable(const survkit_frame *f, size_t v, const char **label, sk_value_kind *kind,
                       char *const **levels, size_t *n_levels)
{
    *label = f->terms.variable_label[v];
    *kind = f->variable_info[v].kind;
    *levels = f->variable_info[v].levels;
    *n_levels = f->variable_info[v].n_levels;
}

const char *survkit_frame_formula(const survkit_frame *f) { return f ? f->formula : NULL; }
survkit_collate sk_frame_collate(const survkit_frame *f) { return f->collate; }
const char *sk_frame_model_formula(const survkit_frame *f)
{
    return f->model_formula ? f->model_formula : f->formula;
}
size_t survkit_frame_n(const survkit_frame *f) { return f ? f->n : 0; }
size_t survkit_frame_n_dropped(const survkit_frame *f) { return f ? f->n_dropped : 0; }
int survkit_frame_timefix(const survkit_frame *f) { return f ? f->timefix : 0; }
const size_t *survkit_frame_row_index(const survkit_frame *f) { return f ? kept_rows(f) : NULL; }

survkit_response_kind survkit_frame_response_kind(const survkit_frame *f)
{
    return f ? f->kind : SURVKIT_RESPONSE_RIGHT;
}
const double *survkit_frame_start(const survkit_frame *f) { return f ? f->start : NULL; }
const double *survkit_frame_time2(const survkit_frame *f) { return f ? f->time2 : NULL; }
const double *survkit_frame_time(const survkit_frame *f) { return f ? f->time : NULL; }
const double *survkit_frame_status(const survkit_frame *f) { return f ? f->status : NULL; }
size_t survkit_frame_n_states(const survkit_frame *f) { return f ? f->n_states : 0; }
const char *survkit_frame_state_label(const survkit_frame *f, size_t s)
{
    return (f && f->state_labels && s <= f->n_states) ? f->state_labels[s] : NULL;
}

size_t survkit_frame_p(const survkit_frame *f) { return f ? f->design.p : 0; }
int survkit_frame_intercept(const survkit_frame *f) { return f && !f->terms.no_intercept; }
const double *survkit_frame_x(const survkit_frame *f) { return f ? f->design.x : NULL; }
const char *survkit_frame_column_name(const survkit_frame *f, size_t j)
{
    return (f && j < f->design.p) ? f->design.names[j] : NULL;
}
size_t survkit_frame_n_terms(const survkit_frame *f) { return f ? f->terms.n_terms : 0; }
const char *survkit_frame_term_label(const survkit_frame *f, size_t k)
{
    return (f && k < f->terms.n_terms) ? f->terms.term_label[k] : NULL;
}
size_t survkit_frame_column_term(const survkit_frame *f, size_t j)
{
    return (f && j < f->design.p) ? f->design.column_term[j] : 0;
}

const double *survkit_frame_weights(const survkit_frame *f) { return f ? f->weights : NULL; }
const double *survkit_frame_offset(const survkit_frame *f) { return f ? f->offset : NULL; }

const int32_t *survkit_frame_strata(const survkit_frame *f) { return f ? f->strata : NULL; }
size_t survkit_frame_n_strata(const survkit_frame *f) { return f ? f->n_strata : 0; }
const char *survkit_frame_strata_label(const survkit_frame *f, size_t k)
{
    return (f && k < f->n_strata) ? f->strata_labels[k] : NULL;
}

const int32_t *survkit_frame_cluster(const survkit_frame *f) { return f ? f->cluster : NULL; }
size_t survkit_frame_n_clusters(const survkit_frame *f) { return f ? f->n_clusters : 0; }
const double *survkit_frame_ridge_variances(const survkit_frame *f)
{
    return f ? f->ridge_var : NULL;
}

survkit_status survkit_frame_ridge(const survkit_frame *f, bool *found, size_t *term,
                                   double *theta, bool *scale, survkit_error *err)
{
    *found = false;
    const sk_terms *t = &f->terms;
    for (size_t k = 0; k < t->n_terms; k++) {
        size_t v = sk_term_next(t, k, 0), order = 0;
        const sk_node *ridge = NULL;
        for (size_t u = v; u < t->n_variables; u = sk_term_next(t, k, u + 1)) {
            order++;
            const sk_node *node = t->variable[u];
            if (node->kind == SK_NODE_CALL && strcmp(node->name, "ridge") == 0) ridge = node;
        }
        if (ridge == NULL) continue;
        RETURN_ERROR_IF(order > 1, err, SURVKIT_ERR_FORMULA,
                        "Penalty terms cannot be in an interaction (%s)", t->term_label[k]);
        RETURN_ERROR_IF(*found, err, SURVKIT_ERR_FORMULA,
                        "more than one ridge() term is not supported");
        *found = true;
        *term = k;
        const sk_node *th = sk_call_arg(ridge, "theta", SIZE_MAX);
        const sk_node *df = sk_call_arg(ridge, "df", SIZE_MAX);
        if (th != NULL && df != NULL)
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, df->pos,
                                "Only one of df or theta can be specified");
        *theta = NAN; /* ridge(df = ): chosen by the fit (survkit_frame_ridge_df) */
        *scale = true;
        if (df != NULL && (df->kind != SK_NODE_NUMBER || !(df->number > 0)))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, 0, df->pos,
                                "ridge() df must be a positive number");
        if (th != NULL) {
            double value = NAN;
            if (th->kind == SK_NODE_NUMBER) value = th->number;
            else if (th->kind == SK_NODE_UNARY && th->op == '-' && th->args[0]->kind == SK_NODE_NUMBER)
                value = -th->args[0]->number;
            if (!(value > 0) || !isfinite(value))
                return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, 0, th->pos,
                                    "ridge() theta must be a positive number");
            *theta = value;
        }
        const sk_node *sc = sk_call_arg(ridge, "scale", SIZE_MAX);
        if (sc != NULL) {
            bool is_true = sc->kind == SK_NODE_NAME &&
                           (strcmp(sc->name, "TRUE") == 0 || strcmp(sc->name, "T") == 0);
            bool is_false = sc->kind == SK_NODE_NAME &&
                            (strcmp(sc->name, "FALSE") == 0 || strcmp(sc->name, "F") == 0);
            if (!is_true && !is_false)
                return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, sc->pos,
                                    "ridge() scale must be TRUE or FALSE");
            *scale = is_true;
        }
    }
    return SURVKIT_OK;
}

size_t survkit_frame_n_pspline(const survkit_frame *f) { return f ? f->n_pspline : 0; }
const survkit_pspline_term *survkit_frame_pspline(const survkit_frame *f, size_t k)
{
    return f && k < f->n_pspline ? &f->pspline[k] : NULL;
}
const double *survkit_frame_pspline_x(const survkit_frame *f, size_t k)
{
    return f && k < f->n_pspline ? f->pspline_x[k] : NULL;
}

const int32_t *survkit_frame_frailty(const survkit_frame *f) { return f ? f->frailty : NULL; }
size_t survkit_frame_n_frailty(const survkit_frame *f) { return f && f->frailty ? f->n_frailty : 0; }
const char *survkit_frame_frailty_label(const survkit_frame *f, size_t g)
{
    return f && f->frailty && g < f->n_frailty ? f->frailty_labels[g] : NULL;
}
const char *survkit_frame_frailty_term(const survkit_frame *f)
{
    return f ? f->frailty_term : NULL;
}
/* R orders terms by their interaction order, then by appearance: the frailty term (order 1)
 * follows the order-1 terms whose variable appears before it in the formula. */
/* ridge(..., df = D): D; without theta and df, R's default nvar / 2 (its unnamed arguments,
 * each one column of cbind(...)); NaN with theta = or without ridge(). */
double survkit_frame_ridge_df(const survkit_frame *f)
{
    const sk_terms *t = f ? &f->terms : NULL;
    for (size_t v = 0; t && v < t->n_variables; v++) {
        const sk_node *node = t->variable[v];
        if (node->kind != SK_NODE_CALL || strcmp(node->name, "ridge") != 0) continue;
        if (sk_call_arg(node, "theta", SIZE_MAX) != NULL) return NAN;
        const sk_node *df = sk_call_arg(node, "df", SIZE_MAX);
        if (df != NULL) return df->kind == SK_NODE_NUMBER ? df->number : NAN;
        size_t columns = 0;
        for (size_t a = 0; a < node->n_args; a++)
            columns += node->arg_names == NULL || node->arg_names[a] == NULL;
        return (double)columns / 2;
    }
    return NAN;
}

survkit_frailty_method survkit_frame_frailty_method(const survkit_frame *f, double *df)
{
    if (df != NULL) *df = f ? f->frailty_df : NAN;
    return f ? f->frailty_method : SURVKIT_FRAILTY_METHOD_DEFAULT;
}

size_t survkit_frame_frailty_nclass(const survkit_frame *f)
{
    if (f == NULL || f->frailty == NULL) return 0;
    return f->frailty_nclass > 0 ? f->frailty_nclass : f->n_frailty;
}

int survkit_frame_frailty_sparse(const survkit_frame *f)
{
    return f && f->frailty != NULL ? f->frailty_sparse : -1; /* -1 also without frailty() */
}

size_t survkit_frame_frailty_position(const survkit_frame *f)
{
    const sk_node *call = NULL;
    for (size_t s = 0; f && s < f->terms.n_specials; s++)
        if (f->terms.special[s].kind == SK_SPECIAL_FRAILTY) call = f->terms.special[s].call;
    if (call == NULL) return SIZE_MAX;
    size_t before = 0;
    for (size_t k = 0; k < f->terms.n_terms; k++) {
        const size_t v = sk_term_next(&f->terms, k, 0);
        const bool single = v < f->terms.n_variables &&
                            sk_term_next(&f->terms, k, v + 1) == f->terms.n_variables;
        before += single && f->terms.variable[v]->pos < call->pos;
    }
    return before;
}
survkit_frailty_distribution survkit_frame_frailty_distribution(const survkit_frame *f)
{
    return f ? f->frailty_dist : SURVKIT_FRAILTY_GAMMA;
}
double survkit_frame_frailty_theta(const survkit_frame *f) { return f ? f->frailty_theta : NAN; }

const int32_t *survkit_frame_groups(const survkit_frame *f) { return f ? f->groups : NULL; }
size_t survkit_frame_n_groups(const survkit_frame *f) { return f ? f->n_groups : 0; }
const char *survkit_frame_group_label(const survkit_frame *f, size_t k)
{
    return (f && k < f->n_groups) ? f->group_labels[k] : NULL;
}
