/*
 * tmerge.c: the survkit_tmerge object: its first call (R's tmerge(base, base, id = ID,
 * tstop = STOP): one row (0, STOP] per base row), its getters, and its rows as a table in R's
 * column order. Each further call is tmerge_add.c.
 */
#include "tvc/tmerge_internal.h"
#include "tvc/tvc_internal.h"
#include "formula/formula_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sk_tm_var_release(tm_var *v)
{
    free(v->name);
    free(v->num);
    free(v->codes);
    for (size_t k = 0; k < v->n_levels; k++) free(v->levels[k]);
    free(v->levels);
    memset(v, 0, sizeof *v);
}

bool sk_tm_warn(survkit_tmerge *tm, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    char **grown = sk_realloc_array(tm->warnings, tm->n_warnings + 1, sizeof *grown);
    if (grown == NULL) return false;
    tm->warnings = grown;
    return (tm->warnings[tm->n_warnings] = sk_strdup(text)) != NULL && ++tm->n_warnings;
}

void survkit_tmerge_free(survkit_tmerge *tm)
{
    if (tm == NULL) return;
    sk_id_index_release(&tm->ids);
    free(tm->base_row);
    free(tm->tstart);
    free(tm->tstop);
    for (size_t k = 0; k < tm->n_vars; k++) sk_tm_var_release(&tm->vars[k]);
    free(tm->vars);
    for (size_t k = 0; k < tm->n_warnings; k++) free(tm->warnings[k]);
    free(tm->warnings);
    free(tm);
}

static survkit_status find_column(const survkit_table *t, const char *name, const char *role,
                                  size_t *out, survkit_error *err)
{
    long j = survkit_table_find(t, name);
    if (j < 0)
        return sk_error_set(err, SURVKIT_ERR_NOT_FOUND, NULL, 1, 0, "no column '%s' (the %s)", name, role);
    *out = (size_t)j;
    return SURVKIT_OK;
}

static survkit_status create(survkit_tmerge *tm, const survkit_table *base, const char *id,
                             const char *stop, survkit_error *err)
{
    tm->base = base;
    RETURN_IF_ERROR(find_column(base, id, "id", &tm->id_column, err));
    RETURN_IF_ERROR(find_column(base, stop, "follow-up end", &tm->stop_column, err));
    size_t n = base->n_rows;
    const sk_column *s = &base->columns[tm->stop_column];
    if (s->type != SURVKIT_COLUMN_NUMERIC) {
        size_t row;
        bool found = sk_first_non_number(base, tm->stop_column, &row);
        return sk_error_set(err, SURVKIT_ERR_TYPE, NULL, found ? row + 2 : 0, tm->stop_column + 1,
                            "'%s' is not a number, but column '%s' is the follow-up end",
                            found ? sk_table_text(base, tm->stop_column, row) : "", stop);
    }
    RETURN_IF_ERROR(sk_id_index_build(&tm->ids, &base->columns[tm->id_column], n, tm->id_column + 1, err));
    tm->base_row = sk_malloc_array(n, sizeof *tm->base_row);
    tm->tstart = sk_malloc_array(n, sizeof *tm->tstart);
    tm->tstop = sk_malloc_array(n, sizeof *tm->tstop);
    RETURN_ERROR_IF(!tm->base_row || !tm->tstart || !tm->tstop, err, SURVKIT_ERR_NOMEM,
                    "out of memory: %zu base rows", n);
    tm->n = tm->capacity = n;
    for (size_t i = 0; i < n; i++) {
        double v = s->numbers[i];
        if (isnan(v))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 2, tm->stop_column + 1,
                                "the follow-up end is missing (R: missing time value, when that "
                                "variable defines the span)");
        if (!(v > 0))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 2, tm->stop_column + 1,
                                "found an ending time of %g, the default starting time of 0 is invalid",
                                v);
        tm->base_row[i] = i;
        tm->tstart[i] = 0;
        tm->tstop[i] = v;
    }
    return SURVKIT_OK;
}

survkit_status survkit_tmerge_create(const survkit_table *base, const char *id, const char *stop,
                                     survkit_tmerge **out, survkit_error *err)
{
    RETURN_ERROR_IF(base == NULL || id == NULL || stop == NULL || out == NULL, err,
                    SURVKIT_ERR_ARGUMENT, "survkit_tmerge_create: NULL argument");
    *out = NULL;
    survkit_tmerge *tm = calloc(1, sizeof *tm);
    RETURN_ERROR_IF(tm == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
    survkit_status status = create(tm, base, id, stop, err);
    if (status != SURVKIT_OK) {
        survkit_tmerge_free(tm);
        return status;
    }
    *out = tm;
    return SURVKIT_OK;
}

size_t survkit_tmerge_n_unknown_ids(const survkit_tmerge *tm) { return tm ? tm->n_unknown : 0; }
size_t survkit_tmerge_n_used(const survkit_tmerge *tm) { return tm ? tm->n_used : 0; }
void survkit_tmerge_set_block(survkit_tmerge *tm, int block)
{
    if (tm != NULL) tm->block = block != 0;
}
size_t survkit_tmerge_n_rows(const survkit_tmerge *tm) { return tm ? tm->n : 0; }
size_t survkit_tmerge_n_warnings(const survkit_tmerge *tm) { return tm ? tm->n_warnings : 0; }
const char *survkit_tmerge_warning(const survkit_tmerge *tm, size_t k)
{
    return tm && k < tm->n_warnings ? tm->warnings[k] : NULL;
}

static long var_named(const survkit_tmerge *tm, const char *name)
{
    for (size_t k = 0; k < tm->n_vars; k++)
        if (strcmp(tm->vars[k].name, name) == 0) return (long)k;
    return -1;
}

/* Rows first .. first + n - 1 of a made variable, as a new column of `out`. */
static survkit_status put_var(survkit_table *out, const tm_var *v, size_t first, size_t n,
                              survkit_error *err)
{
    if (v->is_text) {
        int32_t *codes = sk_malloc_array(n, sizeof *codes);
        RETURN_ERROR_IF(codes == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
        if (n > 0) memcpy(codes, v->codes + first, n * sizeof *codes);
        return sk_tvc_take_codes(out, v->name, codes, v->levels, v->n_levels, err);
    }
    double *num = sk_malloc_array(n, sizeof *num);
    RETURN_ERROR_IF(num == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
    if (n > 0) memcpy(num, v->num + first, n * sizeof *num);
    return sk_tvc_take_numeric(out, v->name, num, err);
}

static survkit_status put_times(survkit_table *out, const char *name, const double *t, size_t n,
                                survkit_error *err)
{
    double *copy = sk_malloc_array(n, sizeof *copy);
    RETURN_ERROR_IF(copy == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
    if (n > 0) memcpy(copy, t, n * sizeof *copy);
    return sk_tvc_take_numeric(out, name, copy, err);
}

/* Columns as R's data frame has them: a base column keeps its place when a made column of the
 * same name replaces it; other made columns follow in the order they were made. */
static survkit_status build_table(const survkit_tmerge *tm, size_t first, size_t n,
                                  survkit_table *out, survkit_error *err)
{
    const survkit_table *b = tm->base;
    bool start_done = false, stop_done = false;
    bool *var_done = sk_calloc_array(tm->n_vars, sizeof *var_done);
    RETURN_ERROR_IF(var_done == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
    survkit_status status = SURVKIT_OK;
    for (size_t j = 0; status == SURVKIT_OK && j < b->n_columns; j++) {
        const char *name = b->columns[j].name;
        long v = var_named(tm, name);
        if (strcmp(name, "tstart") == 0 && !start_done) {
            status = put_times(out, "tstart", tm->tstart + first, n, err);
            start_done = true;
        } else if (strcmp(name, "tstop") == 0 && !stop_done) {
            status = put_times(out, "tstop", tm->tstop + first, n, err);
            stop_done = true;
        } else if (v >= 0) {
            status = put_var(out, &tm->vars[v], first, n, err);
            var_done[v] = true;
        } else {
            status = sk_tvc_gather(out, &b->columns[j], tm->base_row + first, n, NULL, err);
        }
    }
    if (status == SURVKIT_OK && !start_done) status = put_times(out, "tstart", tm->tstart + first, n, err);
    if (status == SURVKIT_OK && !stop_done) status = put_times(out, "tstop", tm->tstop + first, n, err);
    for (size_t k = 0; status == SURVKIT_OK && k < tm->n_vars; k++)
        if (!var_done[k]) status = put_var(out, &tm->vars[k], first, n, err);
    free(var_done);
    return status;
}

survkit_status survkit_tmerge_table_rows(const survkit_tmerge *tm, size_t first, size_t n,
                                        survkit_table **out, survkit_error *err)
{
    RETURN_ERROR_IF(tm == NULL || out == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "survkit_tmerge_table_rows: NULL argument");
    *out = NULL;
    if (first > tm->n) first = tm->n;
    if (n > tm->n - first) n = tm->n - first;
    survkit_table *t = NULL;
    RETURN_IF_ERROR(survkit_table_create(n, &t, err));
    survkit_status status = build_table(tm, first, n, t, err);
    if (status != SURVKIT_OK) {
        survkit_table_free(t);
        return status;
    }
    *out = t;
    return SURVKIT_OK;
}

survkit_status survkit_tmerge_table(const survkit_tmerge *tm, survkit_table **out, survkit_error *err)
{
    return survkit_tmerge_table_rows(tm, 0, SIZE_MAX, out, err);
}
