/*
 * tmerge_add.c: one further R tmerge() call, tmerge(tm, events, id = ID, NAME = KIND(time, value))
 * (survival/R/tmerge.R, src/tmerge.c), for one subject at a time.
 *
 * The events of an id, sorted by time (ties in file order), against its rows (s_k, e_k]:
 * indx1 = the last row with s_k <= t, indx2 = the first row with e_k >= t (R's neardate). An event
 * is early without indx1, late without indx2, in a gap when indx2 > indx1, on a boundary when
 * t = s_indx1 or t = e_indx2 (a junction of two rows when indx1 = indx2 + 1, the leading edge when
 * t = s_indx1, else the trailing edge), and within a row otherwise: such a row is cut at each
 * distinct such t, the earlier pieces taking 0 for every event variable made so far, after which
 * the event is at a junction. Then, for NAME:
 *  - event:    value (default 1) on row indx2 for the junction and trailing-edge events, the last
 *              one winning; 0 elsewhere;
 *  - cumevent: the running count of the id's events (all of them, early and late included), put
 *              where event would put its value;
 *  - tdc:      on each row, the value of the last event with t <= s_k (NA before the first, or
 *              0/1 without a value column); an existing tdc is only updated where an event applies;
 *  - cumtdc:   on each row, the sum of the values of the non-late events with t <= s_k, added to
 *              the row's earlier value (an NA is replaced), NA where none applies.
 */
#include "tvc/tmerge_internal.h"
#include "formula/formula_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tm_event {
    double time;
    double value;  /* numeric value, or 1 */
    int32_t code;  /* text value's code in the events column */
    size_t row;    /* row of the events table: ties keep file order */
} tm_event;

static int compare_time(const void *a, const void *b)
{
    const tm_event *x = a, *y = b;
    if (x->time != y->time) return (x->time > y->time) - (x->time < y->time);
    return (x->row > y->row) - (x->row < y->row);
}

/* The call's events, sorted by (base row, time, file row); first[b]..first[b+1] are id b's. */
typedef struct tm_events {
    tm_event *ev;
    size_t n;
    size_t *first; /* n_base + 1 */
} tm_events;

static void events_release(tm_events *e)
{
    free(e->ev);
    free(e->first);
}

static survkit_status type_error(const survkit_table *t, size_t j, const char *role, survkit_error *err)
{
    size_t row;
    bool found = sk_first_non_number(t, j, &row);
    return sk_error_set(err, SURVKIT_ERR_TYPE, NULL, found ? row + 2 : 1, j + 1,
                        "'%s' is not a number, but column '%s' is the %s, which must be numeric",
                        found ? sk_table_text(t, j, row) : "", t->columns[j].name, role);
}

/*
 * The call's usable events grouped by id (a counting sort by base row: one pass finds each row's
 * id and counts, a second places the events) and in time order within an id. Memory: one word
 * per event row and one record per usable event.
 */
static survkit_status collect_events(survkit_tmerge *tm, const survkit_table *events,
                                     size_t id_col, size_t time_col, long value_col,
                                     tm_events *out, survkit_error *err)
{
    size_t n_base = tm->base->n_rows, n = events->n_rows;
    const sk_column *ids = &events->columns[id_col], *times = &events->columns[time_col];
    const sk_column *values = value_col >= 0 ? &events->columns[value_col] : NULL;
    size_t *base_of = sk_malloc_array(n, sizeof *base_of);
    out->first = sk_calloc_array(n_base + 2, sizeof *out->first);
    if (!base_of || !out->first) {
        free(base_of);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory: %zu events", n);
    }
    tm->n_unknown = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        bool missing_id = ids->type == SURVKIT_COLUMN_NUMERIC ? isnan(ids->numbers[i]) : ids->codes[i] < 0;
        if (missing_id) {
            free(base_of);
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 2, id_col + 1,
                                "the id is missing (R: id variable cannot have missing values)");
        }
        size_t b = sk_id_index_find(&tm->ids, ids, i);
        base_of[i] = SIZE_MAX;
        if (b == SIZE_MAX) {
            tm->n_unknown++;
            continue;
        }
        bool missing_value = values != NULL && (values->type == SURVKIT_COLUMN_NUMERIC
                                                    ? isnan(values->numbers[i]) : values->codes[i] < 0);
        if (isnan(times->numbers[i]) || missing_value) continue;
        base_of[i] = b;
        out->first[b + 1]++;
        m++;
    }
    tm->n_used = m;
    if (m == 0 && !tm->block) { /* R's neardate stops: "No valid entries in data set 2" */
        free(base_of);
        return sk_error_set(err, SURVKIT_ERR_NO_DATA, NULL, 0, 0,
                            "no usable event rows: every row has an id not in the base or a missing "
                            "time%s (R: No valid entries in data set 2)", values ? " or value" : "");
    }
    for (size_t b = 0; b < n_base; b++) out->first[b + 1] += out->first[b];
    size_t *next = sk_malloc_array(n_base + 1, sizeof *next);
    out->ev = sk_malloc_array(m, sizeof *out->ev);
    if (next == NULL || out->ev == NULL) {
        free(next);
        free(base_of);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory: %zu events", m);
    }
    memcpy(next, out->first, (n_base + 1) * sizeof *next);
    for (size_t i = 0; i < n; i++) {
        if (base_of[i] == SIZE_MAX) continue;
        tm_event e = {times->numbers[i], 1, -1, i};
        if (values != NULL && values->type == SURVKIT_COLUMN_NUMERIC) e.value = values->numbers[i];
        else if (values != NULL) e.code = values->codes[i];
        out->ev[next[base_of[i]]++] = e;
    }
    free(next);
    free(base_of);
    out->n = m;
    for (size_t b = 0; b < n_base; b++) {
        size_t a = out->first[b], z = out->first[b + 1];
        if (z - a > 1) qsort(out->ev + a, z - a, sizeof *out->ev, compare_time);
    }
    return SURVKIT_OK;
}

/* ---------------------------------------------------------------- cutting rows */

typedef struct tm_rows {
    size_t n, capacity;
    size_t *base_row, *src; /* src: the old row a piece comes from */
    double *tstart, *tstop;
    bool *last;             /* the last piece of its old row */
} tm_rows;

static void rows_release(tm_rows *r)
{
    free(r->base_row);
    free(r->src);
    free(r->tstart);
    free(r->tstop);
    free(r->last);
}

static bool rows_push(tm_rows *r, size_t base_row, size_t src, double a, double b, bool last)
{
    if (r->n == r->capacity) {
        size_t c = r->capacity ? 2 * r->capacity : 1024;
        size_t *b1 = sk_realloc_array(r->base_row, c, sizeof *b1);
        if (b1) r->base_row = b1;
        size_t *b2 = sk_realloc_array(r->src, c, sizeof *b2);
        if (b2) r->src = b2;
        double *b3 = sk_realloc_array(r->tstart, c, sizeof *b3);
        if (b3) r->tstart = b3;
        double *b4 = sk_realloc_array(r->tstop, c, sizeof *b4);
        if (b4) r->tstop = b4;
        bool *b5 = sk_realloc_array(r->last, c, sizeof *b5);
        if (b5) r->last = b5;
        if (!b1 || !b2 || !b3 || !b4 || !b5) return false;
        r->capacity = c;
    }
    r->base_row[r->n] = base_row;
    r->src[r->n] = src;
    r->tstart[r->n] = a;
    r->tstop[r->n] = b;
    r->last[r->n++] = last;
    return true;
}

/* Cut each row at the distinct event times strictly inside it. */
static survkit_status cut_rows(const survkit_tmerge *tm, const tm_events *e, tm_rows *out,
                               survkit_error *err)
{
    for (size_t i = 0; i < tm->n;) {
        size_t b = tm->base_row[i], j = i;
        while (j < tm->n && tm->base_row[j] == b) j++;
        size_t p = e->first[b], z = e->first[b + 1];
        for (size_t k = i; k < j; k++) {
            double cur = tm->tstart[k], end = tm->tstop[k];
            while (p < z && e->ev[p].time <= cur) p++;
            for (; p < z && e->ev[p].time < end; p++) {
                if (e->ev[p].time == cur) continue;
                if (!rows_push(out, b, k, cur, e->ev[p].time, false)) goto nomem;
                cur = e->ev[p].time;
            }
            if (!rows_push(out, b, k, cur, end, true)) goto nomem;
        }
        i = j;
    }
    return SURVKIT_OK;
nomem:
    return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory cutting rows");
}

/* Carry a variable onto the new rows: event variables are 0 on the earlier pieces. */
static survkit_status carry_var(tm_var *v, const tm_rows *r, survkit_error *err)
{
    if (v->is_text) {
        int32_t *codes = sk_malloc_array(r->n, sizeof *codes);
        RETURN_ERROR_IF(codes == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < r->n; i++) codes[i] = v->codes[r->src[i]];
        free(v->codes);
        v->codes = codes;
        return SURVKIT_OK;
    }
    double *num = sk_malloc_array(r->n, sizeof *num);
    RETURN_ERROR_IF(num == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < r->n; i++) num[i] = v->is_event && !r->last[i] ? 0 : v->num[r->src[i]];
    free(v->num);
    v->num = num;
    return SURVKIT_OK;
}

static survkit_status apply_cuts(survkit_tmerge *tm, tm_rows *r, survkit_error *err)
{
    for (size_t k = 0; k < tm->n_vars; k++) RETURN_IF_ERROR(carry_var(&tm->vars[k], r, err));
    free(tm->base_row);
    free(tm->tstart);
    free(tm->tstop);
    tm->base_row = r->base_row;
    tm->tstart = r->tstart;
    tm->tstop = r->tstop;
    tm->n = r->n;
    tm->capacity = r->capacity;
    r->base_row = NULL;
    r->tstart = r->tstop = NULL;
    return SURVKIT_OK;
}

/* ---------------------------------------------------------------- classifying and assigning */

enum { EARLY = 1, LATE = 2, GAP = 3, BOUNDARY = 5 };
enum { JUNCTION = 1, LEADING = 2, TRAILING = 3 };

/* R's neardate and itype/subtype for one event against the rows a..z-1 of its id. The pointers
 * *p1, *p2 only move forward as the (sorted) event times grow. Returns the type; *subtype, *row
 * (indx2: the row ending at or after t). */
static int classify(const survkit_tmerge *tm, size_t a, size_t z, double t, size_t *p1, size_t *p2,
                    int *subtype, size_t *row)
{
    while (*p1 < z && tm->tstart[*p1] <= t) (*p1)++;
    while (*p2 < z && tm->tstop[*p2] < t) (*p2)++;
    *subtype = 0;
    *row = *p2;
    if (*p1 == a) return EARLY; /* no row starts at or before t */
    if (*p2 == z) return LATE;
    size_t i1 = *p1 - 1, i2 = *p2;
    if (i2 > i1) return GAP;
    if (i1 == i2 + 1) *subtype = JUNCTION;
    else if (t == tm->tstart[i1]) *subtype = LEADING;
    else *subtype = TRAILING;
    return BOUNDARY; /* after the cuts no event is strictly within a row */
}

/* Event, cumevent: a value on the row ending at a junction or trailing-edge event's time. */
static void assign_events(const survkit_tmerge *tm, const tm_events *e, size_t b, size_t a, size_t z,
                          bool cumulative, double *var)
{
    size_t p1 = a, p2 = a;
    double count = 0;
    for (size_t q = e->first[b]; q < e->first[b + 1]; q++) {
        const tm_event *ev = &e->ev[q];
        count += ev->value;
        int subtype;
        size_t row;
        int type = classify(tm, a, z, ev->time, &p1, &p2, &subtype, &row);
        if (type != BOUNDARY || subtype == LEADING) continue;
        if (cumulative && ev->value == 0) continue;
        var[row] = cumulative ? count : ev->value;
    }
}

/* tdc: on each row the last event at or before the row's start (tmerge2 in R's tmerge.c). */
static void assign_tdc(const survkit_tmerge *tm, const tm_events *e, size_t b, size_t a, size_t z,
                       tm_var *v, bool has_value, bool update, const int32_t *code_map)
{
    size_t q = e->first[b], qz = e->first[b + 1];
    const tm_event *last = NULL;
    for (size_t k = a; k < z; k++) {
        while (q < qz && e->ev[q].time <= tm->tstart[k]) last = &e->ev[q++];
        if (last == NULL) {
            if (update) continue;
            if (v->is_text) v->codes[k] = -1;
            else v->num[k] = has_value ? NAN : 0;
        } else if (v->is_text) {
            v->codes[k] = code_map[last->code];
        } else {
            v->num[k] = has_value ? last->value : 1;
        }
    }
}

/* cumtdc: on each row the sum of the non-late events at or before its start (tmerge in R's
 * tmerge.c), added to what the row held (an NA is replaced). */
static void assign_cumtdc(const survkit_tmerge *tm, const tm_events *e, size_t b, size_t a,
                          size_t z, double *var)
{
    size_t q = e->first[b], qz = e->first[b + 1];
    double last_stop = tm->tstop[z - 1];
    double sum = 0;
    bool any = false;
    for (size_t k = a; k < z; k++) {
        for (; q < qz && e->ev[q].time <= tm->tstart[k]; q++) {
            if (e->ev[q].time > last_stop) continue; /* late: after the id's last row */
            sum += e->ev[q].value;
            any = true;
        }
        if (any) var[k] = isnan(var[k]) ? sum : var[k] + sum;
    }
}

/* ---------------------------------------------------------------- the variable */

/* The variable NAME as R's rules leave it before the call assigns (see the file's comment). */
static survkit_status prepare_var(survkit_tmerge *tm, survkit_tmerge_kind kind, const char *name,
                                  const sk_column *value, tm_var **out, bool *update,
                                  survkit_error *err)
{
    long k = -1;
    for (size_t j = 0; j < tm->n_vars; j++)
        if (strcmp(tm->vars[j].name, name) == 0) k = (long)j;
    bool tdc = kind == SURVKIT_TMERGE_TDC || kind == SURVKIT_TMERGE_CUMTDC;
    bool text = value != NULL && value->type == SURVKIT_COLUMN_STRING;
    long base_j = survkit_table_find(tm->base, name);
    *update = false;
    if (k >= 0) {
        tm_var *v = &tm->vars[k];
        RETURN_ERROR_IF(tdc && v->is_event, err, SURVKIT_ERR_ARGUMENT,
                        "attempt to turn event variable %s into a %s", name,
                        kind == SURVKIT_TMERGE_TDC ? "tdc" : "cumtdc");
        bool keep = (kind == SURVKIT_TMERGE_TDC && v->is_tdc) || kind == SURVKIT_TMERGE_CUMTDC ||
                    (!tdc && v->is_event);
        if (keep) {
            RETURN_ERROR_IF(v->is_text != text && kind == SURVKIT_TMERGE_TDC, err, SURVKIT_ERR_TYPE,
                            "tdc update does not match prior variable type: %s", name);
            RETURN_ERROR_IF(v->is_text && kind != SURVKIT_TMERGE_TDC, err, SURVKIT_ERR_TYPE,
                            "data and starting value do not agree on data type: %s", name);
            *update = true;
            *out = v;
            return SURVKIT_OK;
        }
        if (kind == SURVKIT_TMERGE_TDC && !sk_tm_warn(tm, "replacement of variable '%s'", name))
            return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        bool was_event = v->is_event, was_tdc = v->is_tdc;
        sk_tm_var_release(v);
        v->is_event = was_event;
        v->is_tdc = was_tdc;
        v->name = sk_strdup(name);
        RETURN_ERROR_IF(v->name == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
        *out = v;
    } else {
        tm_var *grown = sk_realloc_array(tm->vars, tm->n_vars + 1, sizeof *grown);
        RETURN_ERROR_IF(grown == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
        tm->vars = grown;
        tm_var *v = &tm->vars[tm->n_vars];
        memset(v, 0, sizeof *v);
        v->name = sk_strdup(name);
        RETURN_ERROR_IF(v->name == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
        tm->n_vars++;
        *out = v;
        if (base_j >= 0 && kind == SURVKIT_TMERGE_TDC &&
            !sk_tm_warn(tm, "replacement of variable '%s'", name))
            return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    tm_var *v = *out;
    v->is_text = text && kind == SURVKIT_TMERGE_TDC;
    if (v->is_text) v->codes = sk_malloc_array(tm->n, sizeof *v->codes);
    else v->num = sk_malloc_array(tm->n, sizeof *v->num);
    RETURN_ERROR_IF(v->is_text ? v->codes == NULL : v->num == NULL, err, SURVKIT_ERR_NOMEM,
                    "out of memory");
    if (v->is_text) return SURVKIT_OK;
    /* R's starting values: 0 for event variables; a cumtdc starts from a base column of that name,
     * else NA with a value column */
    const sk_column *from = base_j >= 0 ? &tm->base->columns[base_j] : NULL;
    if (kind == SURVKIT_TMERGE_CUMTDC && from != NULL) {
        RETURN_ERROR_IF(from->type != SURVKIT_COLUMN_NUMERIC, err, SURVKIT_ERR_TYPE,
                        "data and starting value do not agree on data type: %s", name);
        for (size_t i = 0; i < tm->n; i++) v->num[i] = from->numbers[tm->base_row[i]];
        *update = true;
    } else {
        double start = kind == SURVKIT_TMERGE_CUMTDC && value != NULL ? NAN : 0;
        for (size_t i = 0; i < tm->n; i++) v->num[i] = start;
    }
    return SURVKIT_OK;
}

/* Codes of the events' text values in the variable's levels (levels added as met). */
static survkit_status map_levels(tm_var *v, const sk_column *value, int32_t **map, survkit_error *err)
{
    *map = sk_malloc_array(value->n_levels, sizeof **map);
    RETURN_ERROR_IF(*map == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
    for (size_t l = 0; l < value->n_levels; l++) {
        size_t k = 0;
        while (k < v->n_levels && strcmp(v->levels[k], value->levels[l]) != 0) k++;
        if (k == v->n_levels) {
            char **grown = sk_realloc_array(v->levels, v->n_levels + 1, sizeof *grown);
            RETURN_ERROR_IF(grown == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
            v->levels = grown;
            RETURN_ERROR_IF((v->levels[k] = sk_strdup(value->levels[l])) == NULL, err,
                            SURVKIT_ERR_NOMEM, "out of memory");
            v->n_levels++;
        }
        (*map)[l] = (int32_t)k;
    }
    return SURVKIT_OK;
}

static survkit_status find(const survkit_table *t, const char *name, const char *role, size_t *j,
                           survkit_error *err)
{
    long k = survkit_table_find(t, name);
    if (k < 0)
        return sk_error_set(err, SURVKIT_ERR_NOT_FOUND, NULL, 1, 0, "no column '%s' (the %s)", name, role);
    *j = (size_t)k;
    return SURVKIT_OK;
}

static survkit_status add(survkit_tmerge *tm, survkit_tmerge_kind kind, const char *name,
                          const survkit_table *events, const char *time, const char *value,
                          tm_events *e, tm_rows *rows, int32_t **code_map, survkit_error *err)
{
    RETURN_ERROR_IF(strcmp(name, "tstart") == 0 || strcmp(name, "tstop") == 0 ||
                        strcmp(name, tm->base->columns[tm->id_column].name) == 0,
                    err, SURVKIT_ERR_ARGUMENT, "'%s' names the id or a time column", name);
    RETURN_ERROR_IF(kind == SURVKIT_TMERGE_CUMTDC && value == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "cumtdc needs a value column");
    size_t id_col = 0, time_col = 0, value_col = 0;
    RETURN_IF_ERROR(find(events, tm->base->columns[tm->id_column].name, "id", &id_col, err));
    RETURN_IF_ERROR(find(events, time, "time", &time_col, err));
    if (events->columns[time_col].type != SURVKIT_COLUMN_NUMERIC)
        return type_error(events, time_col, "event time", err);
    const sk_column *vcol = NULL;
    if (value != NULL) {
        RETURN_IF_ERROR(find(events, value, "value", &value_col, err));
        vcol = &events->columns[value_col];
        if (vcol->type != SURVKIT_COLUMN_NUMERIC && kind != SURVKIT_TMERGE_TDC)
            return type_error(events, value_col, "value", err);
    }
    RETURN_IF_ERROR(collect_events(tm, events, id_col, time_col, value ? (long)value_col : -1, e, err));
    RETURN_IF_ERROR(cut_rows(tm, e, rows, err));
    RETURN_IF_ERROR(apply_cuts(tm, rows, err));
    tm_var *v = NULL;
    bool update;
    RETURN_IF_ERROR(prepare_var(tm, kind, name, vcol, &v, &update, err));
    if (v->is_text) RETURN_IF_ERROR(map_levels(v, vcol, code_map, err));
    for (size_t a = 0; a < tm->n;) {
        size_t b = tm->base_row[a], z = a;
        while (z < tm->n && tm->base_row[z] == b) z++;
        switch (kind) {
        case SURVKIT_TMERGE_EVENT: assign_events(tm, e, b, a, z, false, v->num); break;
        case SURVKIT_TMERGE_CUMEVENT: assign_events(tm, e, b, a, z, true, v->num); break;
        case SURVKIT_TMERGE_TDC: assign_tdc(tm, e, b, a, z, v, value != NULL, update, *code_map); break;
        case SURVKIT_TMERGE_CUMTDC: assign_cumtdc(tm, e, b, a, z, v->num); break;
        }
        a = z;
    }
    if (kind == SURVKIT_TMERGE_EVENT || kind == SURVKIT_TMERGE_CUMEVENT) v->is_event = true;
    else v->is_tdc = true;
    char message[512];
    if (tm->n_unknown > 0 && !tm->block) {
        survkit_tmerge_unknown_message(message, sizeof message, tm->n_unknown, name);
        if (!sk_tm_warn(tm, "%s", message))
            return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    return SURVKIT_OK;
}

void survkit_tmerge_unknown_message(char *buf, size_t size, size_t n_unknown, const char *name)
{
    if (buf == NULL || size == 0) return;
    snprintf(buf, size, "%zu row%s of the events for '%s' ha%s an id not in the base: ignored",
             n_unknown, n_unknown == 1 ? "" : "s", name ? name : "", n_unknown == 1 ? "s" : "ve");
}

survkit_status survkit_tmerge_add(survkit_tmerge *tm, survkit_tmerge_kind kind, const char *name,
                                  const survkit_table *events, const char *time, const char *value,
                                  survkit_error *err)
{
    RETURN_ERROR_IF(tm == NULL || name == NULL || events == NULL || time == NULL, err,
                    SURVKIT_ERR_ARGUMENT, "survkit_tmerge_add: NULL argument");
    RETURN_ERROR_IF((unsigned)kind > SURVKIT_TMERGE_CUMTDC, err, SURVKIT_ERR_ARGUMENT,
                    "survkit_tmerge_add: unknown kind %d", (int)kind);
    tm_events e = {0};
    tm_rows rows = {0};
    int32_t *code_map = NULL;
    survkit_status status = add(tm, kind, name, events, time, value, &e, &rows, &code_map, err);
    events_release(&e);
    rows_release(&rows);
    free(code_map);
    return status;
}
