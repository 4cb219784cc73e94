/*
 * split.c: R's survSplit (survival/R/survSplit.R and src/survsplit.c).
 *
 * With cut points c_1 < ... < c_m (sorted, duplicates dropped), a row with interval (s, e] becomes
 * the pieces (s, c_j], (c_j, c_j+1], ..., (c_k, e] for the cut points with s < c_j < e; all but the
 * last piece are censored (status 0), the last keeps the row's status, and each piece's episode is
 * 1 + #{j : c_j <= piece start}. Right-censored data start at `zero`. Every other column is copied.
 * Rows with a missing time are passed through uncut with episode 2 (R's C code gives them interval
 * 1); a missing status is kept on the last piece, as R keeps it.
 */
#include "tvc/tvc_internal.h"
#include "formula/formula_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void survkit_split_options_init(survkit_split_options *opt)
{
    if (opt == NULL) return;
    opt->start_name = "tstart";
    opt->episode_name = "episode";
    opt->zero = 0;
    opt->first_row = 0;
    opt->n_rows = SIZE_MAX;
    opt->coding = NULL;
}

/* Mark the table columns named anywhere in `node` (R's all.vars of the response). */
static void mark_variables(const sk_node *node, const survkit_table *t, bool *used)
{
    if (node == NULL) return;
    if (node->kind == SK_NODE_NAME) {
        long j = survkit_table_find(t, node->name);
        if (j >= 0) used[j] = true;
    }
    for (size_t k = 0; k < node->n_args; k++) mark_variables(node->args[k], t, used);
}

/* The right side: `.` (every column not in the response) or names joined by '+'. */
static survkit_status select_columns(const sk_node *rhs, const survkit_table *t, const bool *in_lhs,
                                     bool *keep, survkit_error *err)
{
    if (rhs->kind == SK_NODE_NAME && strcmp(rhs->name, ".") == 0) {
        for (size_t j = 0; j < t->n_columns; j++) keep[j] = !in_lhs[j];
        return SURVKIT_OK;
    }
    if (rhs->kind == SK_NODE_BINARY && rhs->op == '+') {
        RETURN_IF_ERROR(select_columns(rhs->args[0], t, in_lhs, keep, err));
        return select_columns(rhs->args[1], t, in_lhs, keep, err);
    }
    if (rhs->kind == SK_NODE_NUMBER && rhs->number == 1) return SURVKIT_OK;
    if (rhs->kind != SK_NODE_NAME)
        return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, rhs->pos,
                            "split takes '.' or column names joined by '+' on the right side");
    long j = survkit_table_find(t, rhs->name);
    if (j < 0)
        return sk_error_set(err, SURVKIT_ERR_NOT_FOUND, NULL, 0, rhs->pos, "no column '%s' in the data",
                            rhs->name);
    keep[j] = !in_lhs[j];
    return SURVKIT_OK;
}

/* The response coded as R's Surv(): start (zero for right-censored data), stop, status 0/1, over
 * every row; rows with a missing time keep NaN times and their status as coded. */
typedef struct split_response {
    double *start, *stop, *status;
} split_response;

static void response_release(split_response *r)
{
    free(r->start);
    free(r->stop);
    free(r->status);
    r->start = r->stop = r->status = NULL;
}

/* The status shift of R's Surv() (1 for a 1/2 coding) over the whole column, for the rows with a
 * missing time that sk_response_code does not see. */
static double status_shift(const sk_value *status)
{
    if (status->kind == SK_VALUE_LOGICAL) return 0;
    bool two = false;
    for (size_t i = 0; i < status->n; i++) {
        if (status->num[i] == 0) return 0;
        two |= status->num[i] == 2;
    }
    return two ? 1 : 0;
}

/* The shift the whole data's coding gives (survkit_split_coding_check has passed). */
static double coding_shift(const survkit_split_coding *c)
{
    return !c->logical && c->first_two != SIZE_MAX && c->first_zero == SIZE_MAX ? 1 : 0;
}

static survkit_status code_response(const sk_formula *f, const survkit_table *t, double zero,
                                    size_t first, size_t n, const survkit_split_coding *coding,
                                    split_response *out, survkit_error *err)
{
    sk_response r;
    RETURN_IF_ERROR(sk_response_evaluate(f->lhs, t, &r, err));
    bool counting = r.kind == SURVKIT_RESPONSE_COUNTING;
    const sk_value *v_start = counting ? &r.parts[0] : NULL, *v_stop = &r.parts[counting ? 1 : 0];
    const sk_value *v_status = &r.parts[counting ? 2 : 1];
    size_t *keep = sk_malloc_array(n, sizeof *keep);
    double *kstart = sk_malloc_array(n, sizeof *kstart), *kstop = sk_malloc_array(n, sizeof *kstop);
    double *kstatus = sk_malloc_array(n, sizeof *kstatus);
    out->start = sk_malloc_array(n, sizeof *out->start);
    out->stop = sk_malloc_array(n, sizeof *out->stop);
    out->status = sk_malloc_array(n, sizeof *out->status);
    survkit_status status = SURVKIT_OK;
    if (!keep || !kstart || !kstop || !kstatus || !out->start || !out->stop || !out->status)
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory splitting");
    size_t n_keep = 0;
    for (size_t i = first; status == SURVKIT_OK && i < first + n; i++)
        if (!isnan(v_stop->num[i]) && !(counting && isnan(v_start->num[i]))) keep[n_keep++] = i;
    if (status == SURVKIT_OK)
        status = sk_response_code(&r, f->lhs, t, keep, n_keep, kstart, kstop, kstatus, err);
    /* sk_response_code codes by these rows; with a whole-data coding, its shift replaces theirs */
    double own = status == SURVKIT_OK ? status_shift(v_status) : 0;
    double shift = coding != NULL ? coding_shift(coding) : own;
    for (size_t i = 0; status == SURVKIT_OK && i < n; i++) {
        out->start[i] = counting ? v_start->num[first + i] : zero;
        out->stop[i] = v_stop->num[first + i];
        out->status[i] = v_status->num[first + i] - shift;
    }
    for (size_t k = 0; status == SURVKIT_OK && k < n_keep; k++) {
        size_t i = keep[k];
        out->stop[i - first] = kstop[k];
        out->status[i - first] = kstatus[k] + own - shift;
        if (counting) out->start[i - first] = kstart[k];
        else if (!(kstop[k] > zero))
            status = sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 2,
                                  f->lhs->args[0]->kind == SK_NODE_NAME
                                      ? (uint64_t)survkit_table_find(t, f->lhs->args[0]->name) + 1 : 0,
                                  "every time must be greater than the start of follow-up (%g), as "
                                  "survSplit's 'zero' requires", zero);
    }
    free(keep);
    free(kstart);
    free(kstop);
    free(kstatus);
    sk_response_release(&r);
    if (status != SURVKIT_OK) response_release(out);
    return status;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The name R gives a made column: Surv()'s argument when it is a plain column, else `fallback`. */
static const char *arg_name(const sk_node *arg, const char *fallback)
{
    return arg->kind == SK_NODE_NAME ? arg->name : fallback;
}

/* Put `values` into the output as `name`: in place of a kept column of that name, else appended.
 * Returns its position through *where. */
static survkit_status place_column(survkit_table *out, const char *name, double *values,
                                   size_t *where, survkit_error *err)
{
    for (size_t j = 0; j < out->n_columns; j++)
        if (strcmp(out->columns[j].name, name) == 0) {
            sk_column *c = &out->columns[j];
            char *keep_name = c->name;
            c->name = NULL;
            sk_column_release(c);
            c->name = keep_name;
            c->type = SURVKIT_COLUMN_NUMERIC;
            c->numbers = values;
            for (size_t i = 0; i < out->n_rows; i++) c->n_missing += values[i] != values[i];
            *where = j;
            return SURVKIT_OK;
        }
    *where = out->n_columns;
    return sk_tvc_take_numeric(out, name, values, err);
}

typedef struct split_rows {
    size_t n;
    size_t *row;
    double *start, *stop, *status, *episode;
} split_rows;

/* The pieces of every row (survsplit.c's loop), given the sorted distinct cuts. */
static survkit_status cut_rows(const split_response *r, size_t first, size_t n, const double *cut,
                               size_t m, split_rows *s, survkit_error *err)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        total++;
        if (isnan(r->start[i]) || isnan(r->stop[i])) continue;
        for (size_t j = 0; j < m; j++) total += cut[j] > r->start[i] && cut[j] < r->stop[i];
    }
    s->n = total;
    s->row = sk_malloc_array(total, sizeof *s->row);
    s->start = sk_malloc_array(total, sizeof *s->start);
    s->stop = sk_malloc_array(total, sizeof *s->stop);
    s->status = sk_malloc_array(total, sizeof *s->status);
    s->episode = sk_malloc_array(total, sizeof *s->episode);
    RETURN_ERROR_IF(!s->row || !s->start || !s->stop || !s->status || !s->episode, err,
                    SURVKIT_ERR_NOMEM, "out of memory: %zu split rows", total);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        double a = r->start[i], b = r->stop[i];
        if (isnan(a) || isnan(b)) {
            s->row[k] = first + i, s->start[k] = a, s->stop[k] = b, s->status[k] = r->status[i];
            s->episode[k++] = 2;
            continue;
        }
        size_t j = 0;
        while (j < m && cut[j] <= a) j++;
        s->row[k] = first + i, s->start[k] = a, s->episode[k] = (double)j + 1;
        for (; j < m && cut[j] < b; j++) {
            s->stop[k] = cut[j], s->status[k] = 0;
            k++;
            s->row[k] = first + i, s->start[k] = cut[j], s->episode[k] = (double)j + 2;
        }
        s->stop[k] = b, s->status[k] = r->status[i];
        k++;
    }
    return SURVKIT_OK;
}

survkit_status survkit_table_split(const survkit_table *data, const char *formula,
                                   const double *cuts, size_t n_cuts,
                                   const survkit_split_options *opt, survkit_table **out,
                                   survkit_split_columns *columns, survkit_error *err)
{
    RETURN_ERROR_IF(data == NULL || formula == NULL || out == NULL || (cuts == NULL && n_cuts > 0),
                    err, SURVKIT_ERR_ARGUMENT, "survkit_table_split: NULL argument");
    *out = NULL;
    survkit_split_options defaults;
    survkit_split_options_init(&defaults);
    if (opt == NULL) opt = &defaults;
    for (size_t j = 0; j < n_cuts; j++)
        RETURN_ERROR_IF(!isfinite(cuts[j]), err, SURVKIT_ERR_ARGUMENT, "cut points must be finite numbers");
    RETURN_ERROR_IF(opt->start_name == NULL || !isfinite(opt->zero), err, SURVKIT_ERR_ARGUMENT,
                    "survkit_table_split: no start name or a non-finite zero");

    sk_formula f = {0};
    split_response r = {0};
    split_rows s = {0};
    survkit_table *t = NULL;
    size_t nc = data->n_columns;
    bool *in_lhs = sk_calloc_array(nc, sizeof *in_lhs), *keep = sk_calloc_array(nc, sizeof *keep);
    double *cut = sk_malloc_array(n_cuts, sizeof *cut);
    survkit_status status = SURVKIT_OK;
    if (!in_lhs || !keep || !cut) status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (status == SURVKIT_OK) status = sk_formula_parse(formula, &f, err);
    if (status == SURVKIT_OK && f.lhs == NULL)
        status = sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, 1,
                              "the formula needs a response on the left: Surv(time, status) ~ .");
    if (status == SURVKIT_OK) { /* the formula's own errors before the data's */
        mark_variables(f.lhs, data, in_lhs);
        status = select_columns(f.rhs, data, in_lhs, keep, err);
    }
    size_t first = opt->first_row < data->n_rows ? opt->first_row : data->n_rows;
    size_t n_rows = data->n_rows - first < opt->n_rows ? data->n_rows - first : opt->n_rows;
    if (status == SURVKIT_OK && opt->coding != NULL) status = survkit_split_coding_check(opt->coding, err);
    if (status == SURVKIT_OK)
        status = code_response(&f, data, opt->zero, first, n_rows, opt->coding, &r, err);
    /* cut <- unique(sort(cut)) */
    size_t m = 0;
    if (status == SURVKIT_OK) {
        if (n_cuts > 0) memcpy(cut, cuts, n_cuts * sizeof *cut);
        qsort(cut, n_cuts, sizeof *cut, compare_doubles);
        for (size_t j = 0; j < n_cuts; j++)
            if (m == 0 || cut[j] != cut[m - 1]) cut[m++] = cut[j];
        status = cut_rows(&r, first, n_rows, cut, m, &s, err);
    }
    if (status == SURVKIT_OK) status = survkit_table_create(s.n, &t, err);
    for (size_t j = 0; status == SURVKIT_OK && j < nc; j++)
        if (keep[j]) status = sk_tvc_gather(t, &data->columns[j], s.row, s.n, NULL, err);
    survkit_split_columns where = {SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX};
    if (status == SURVKIT_OK) {
        bool counting = f.lhs->n_args == 3;
        const char *stop_name = arg_name(f.lhs->args[counting ? 1 : 0], "tstop");
        const char *event_name = arg_name(f.lhs->args[counting ? 2 : 1], "event");
        /* start = "tstart" is given in the contract's call, so R names the column so even for
         * Surv(start, stop, status) (survSplit takes Surv()'s first name only when start is missing) */
        const char *start_name = opt->start_name;
        /* place_column owns the array from the call on, also when it fails */
        double *made[4] = {s.start, s.stop, s.status, s.episode};
        const char *names[4] = {start_name, stop_name, event_name, opt->episode_name};
        size_t *place[4] = {&where.start, &where.stop, &where.event, &where.episode};
        s.start = s.stop = s.status = s.episode = NULL;
        for (int k = 0; k < 4; k++) {
            if (status == SURVKIT_OK && names[k] != NULL)
                status = place_column(t, names[k], made[k], place[k], err);
            else free(made[k]);
        }
    }
    free(s.row);
    free(s.start);
    free(s.stop);
    free(s.status);
    free(s.episode);
    response_release(&r);
    sk_formula_release(&f);
    free(in_lhs);
    free(keep);
    free(cut);
    if (status != SURVKIT_OK) {
        survkit_table_free(t);
        return status;
    }
    if (columns) *columns = where;
    *out = t;
    return SURVKIT_OK;
}

void survkit_split_coding_init(survkit_split_coding *coding)
{
    if (coding == NULL) return;
    coding->n_rows = 0;
    coding->first_zero = coding->first_two = coding->first_bad = SIZE_MAX;
    coding->bad_value = 0;
    coding->status_column = 0;
    coding->logical = 0;
}

survkit_status survkit_split_coding_scan(const survkit_table *block, const char *formula,
                                         survkit_split_coding *c, survkit_error *err)
{
    RETURN_ERROR_IF(block == NULL || formula == NULL || c == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "survkit_split_coding_scan: NULL argument");
    sk_formula f = {0};
    size_t nc = block->n_columns;
    bool *in_lhs = sk_calloc_array(nc ? nc : 1, sizeof *in_lhs), *keep = sk_calloc_array(nc ? nc : 1, sizeof *keep);
    survkit_status status = in_lhs && keep ? SURVKIT_OK
                                           : sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    /* the checks of survkit_table_split, in its order */
    if (status == SURVKIT_OK) status = sk_formula_parse(formula, &f, err);
    if (status == SURVKIT_OK && f.lhs == NULL)
        status = sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, 1,
                              "the formula needs a response on the left: Surv(time, status) ~ .");
    if (status == SURVKIT_OK) {
        mark_variables(f.lhs, block, in_lhs);
        status = select_columns(f.rhs, block, in_lhs, keep, err);
    }
    sk_response r;
    if (status == SURVKIT_OK) status = sk_response_evaluate(f.lhs, block, &r, err);
    if (status == SURVKIT_OK) {
        bool counting = r.kind == SURVKIT_RESPONSE_COUNTING;
        const sk_value *v = &r.parts[counting ? 2 : 1];
        const sk_node *arg = f.lhs->args[counting ? 2 : 1];
        long j = arg->kind == SK_NODE_NAME ? survkit_table_find(block, arg->name) : -1;
        c->status_column = j >= 0 ? (size_t)j + 1 : 0;
        c->logical = v->kind == SK_VALUE_LOGICAL;
        /* what decide_coding (response.c) looks at, rows counted over the whole data */
        for (size_t i = 0; !c->logical && i < v->n; i++) {
            double s = v->num[i];
            size_t row = c->n_rows + i;
            if (isnan(s)) continue;
            if (s == 0 && c->first_zero == SIZE_MAX) c->first_zero = row;
            if (s == 2 && c->first_two == SIZE_MAX) c->first_two = row;
            if (s != 0 && s != 1 && s != 2 && c->first_bad == SIZE_MAX) {
                c->first_bad = row;
                c->bad_value = s;
            }
        }
        c->n_rows += block->n_rows;
        sk_response_release(&r);
    }
    sk_formula_release(&f);
    free(in_lhs);
    free(keep);
    return status;
}

survkit_status survkit_split_coding_check(const survkit_split_coding *c, survkit_error *err)
{
    RETURN_ERROR_IF(c == NULL, err, SURVKIT_ERR_ARGUMENT, "survkit_split_coding_check: NULL argument");
    size_t row = c->first_bad;
    double value = c->bad_value;
    if (row == SIZE_MAX && c->first_two != SIZE_MAX && c->first_zero != SIZE_MAX) {
        row = c->first_zero > c->first_two ? c->first_zero : c->first_two; /* as decide_coding */
        value = row == c->first_zero ? 0 : 2;
    }
    if (c->logical || row == SIZE_MAX) return SURVKIT_OK;
    char text[40];
    sk_format_number(value, text, sizeof text);
    return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, row + 2, c->status_column,
                        "status value %s: status must be coded 0/1, 1/2 or TRUE/FALSE (write "
                        "e.g. Surv(time, status == 2) for another coding)", text);
}
