/*
 * response.c: the left-hand side Surv(time, status) or Surv(start, stop, status).
 *
 * Status follows R's Surv(): logical TRUE = event; numbers 0/1 (1 = event), or 1/2 (2 = event)
 * when a 2 occurs and every value is 1 or 2 (decided over all rows, as Surv() sees them before
 * na.omit). Other codings are an error here, where R would turn them into NA with a warning.
 * Times: R accepts negative times for right-censored data (survfit and coxph run), so survkit does
 * too; an infinite time is an error. For (start, stop] data R's Surv() turns stop <= start into NA
 * with the warning "Stop time must be > start time, NA created"; survkit stops with that error
 * instead of silently dropping the row.
 * Surv(time1, time2, type = "interval2") (survreg's interval data) is coded as R's Surv() codes
 * it: a non-finite bound is unknown (NA); time1 unknown: left-censored at time2 (code 2); time2
 * unknown: right-censored at time1 (0); equal bounds: exact (1); else the interval (time1,
 * time2] (3). Both unknown is a missing response (na.omit drops the row); time1 > time2 is an
 * error here where R warns "Invalid interval: start > stop, NA created".
 */
#include "formula/formula_internal.h"

#include <math.h>
#include <string.h>

static uint64_t column_of(const sk_node *node, const survkit_table *table);

/*
 * A text value where Surv() needs numbers: when the argument is a plain column, name the first row
 * whose text is not a number (the hand-typed "abc" or "1,5" that made the column text), so the
 * message gives its line and column; otherwise point at the argument in the formula.
 */
static survkit_status not_numeric(const sk_node *arg, const survkit_table *table, const char *role,
                                  bool is_status, survkit_error *err)
{
    const char *hint = is_status ? " (0/1, 1/2) or logical" : "";
    uint64_t column = column_of(arg, table);
    size_t row;
    if (column > 0 && sk_first_non_number(table, column - 1, &row))
        return sk_error_set(err, SURVKIT_ERR_TYPE, NULL, row + 2, column,
                            "'%.40s' is not a number, but column '%s' is the %s in Surv(), which "
                            "must be numeric%s", sk_table_text(table, column - 1, row), arg->name,
                            role, hint);
    return sk_error_set(err, SURVKIT_ERR_TYPE, NULL, 0, arg->pos, "the %s in Surv() must be numeric%s",
                        role, hint);
}

void sk_response_release(sk_response *r)
{
    if (r == NULL) return;
    for (size_t k = 0; k < r->n_parts; k++) sk_value_release(&r->parts[k]);
    r->n_parts = 0;
}

/* A named argument of Surv() must be type = "interval2", last, with two times before it; *n_args
 * becomes the number of positional arguments. */
static survkit_status interval_type(const sk_node *lhs, size_t *n_args, survkit_error *err)
{
    if (lhs->arg_names == NULL) return SURVKIT_OK;
    for (size_t k = 0; k < lhs->n_args; k++) {
        const char *name = lhs->arg_names[k];
        if (name == NULL) continue;
        const sk_node *value = lhs->args[k];
        if (strcmp(name, "type") != 0)
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, value->pos,
                                "unknown argument '%s' of Surv() (only type = \"interval2\")", name);
        if (k + 1 != lhs->n_args)
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, value->pos,
                                "type = must be the last argument of Surv()");
        if (value->kind != SK_NODE_STRING || strcmp(value->name, "interval2") != 0)
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, value->pos,
                                "only type = \"interval2\" is supported: Surv(time1, time2, type = "
                                "\"interval2\")");
        if (lhs->n_args != 3)
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, lhs->pos,
                                "Surv(time1, time2, type = \"interval2\") takes two times");
        *n_args = 2;
    }
    return SURVKIT_OK;
}

survkit_status sk_response_evaluate(const sk_node *lhs, const survkit_table *table,
                                    sk_response *out, survkit_error *err)
{
    memset(out, 0, sizeof *out);
    if (lhs == NULL) /* the position of the missing response: the start of the formula */
        return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, 1,
                            "the formula needs a response on the left: Surv(time, status) ~ ...");
    if (lhs->kind != SK_NODE_CALL || strcmp(lhs->name, "Surv") != 0)
        return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, lhs->pos,
                            "the left side must be Surv(time, status) or Surv(start, stop, status)");
    size_t n_args = lhs->n_args;
    RETURN_IF_ERROR(interval_type(lhs, &n_args, err));
    out->kind = n_args < lhs->n_args ? SURVKIT_RESPONSE_INTERVAL
                : n_args == 3 ? SURVKIT_RESPONSE_COUNTING : SURVKIT_RESPONSE_RIGHT;
    static const char *const roles[3][3] = {
        {"time", "status", ""}, {"start", "stop", "status"}, {"time1", "time2", ""}};
    for (size_t k = 0; k < n_args; k++) {
        survkit_status status = sk_evaluate_variable(lhs->args[k], table, &out->parts[k], err);
        if (status != SURVKIT_OK) {
            sk_response_release(out);
            return status;
        }
        out->n_parts = k + 1;
        const sk_value *v = &out->parts[k];
        bool is_status = k + 1 == n_args && out->kind != SURVKIT_RESPONSE_INTERVAL;
        if (v->kind == SK_VALUE_FACTOR || (!is_status && v->kind == SK_VALUE_LOGICAL)) {
            sk_response_release(out);
            return not_numeric(lhs->args[k], table, roles[out->kind][k], is_status, err);
        }
    }
    return SURVKIT_OK;
}

/* err->column for a value of the column named by `node`, when it is a plain column. */
static uint64_t column_of(const sk_node *node, const survkit_table *table)
{
    if (node == NULL || node->kind != SK_NODE_NAME) return 0;
    long j = survkit_table_find(table, node->name);
    return j < 0 ? 0 : (uint64_t)j + 1;
}

typedef struct status_coding {
    double shift;         /* subtracted from the values: 0 or 1 */
    size_t bad_row;       /* first row with a value outside the coding, or SIZE_MAX */
} status_coding;

static status_coding decide_coding(const sk_value *status)
{
    status_coding c = {0, SIZE_MAX};
    if (status->kind == SK_VALUE_LOGICAL) return c;
    size_t first_zero = SIZE_MAX, first_two = SIZE_MAX;
    for (size_t i = 0; i < status->n && c.bad_row == SIZE_MAX; i++) {
        double s = status->num[i];
        if (isnan(s)) continue;
        if (s == 0 && first_zero == SIZE_MAX) first_zero = i;
        if (s == 2 && first_two == SIZE_MAX) first_two = i;
        if (s != 0 && s != 1 && s != 2) c.bad_row = i;
    }
    if (c.bad_row == SIZE_MAX && first_two != SIZE_MAX) {
        if (first_zero != SIZE_MAX) c.bad_row = first_zero > first_two ? first_zero : first_two;
        else c.shift = 1;
    }
    return c;
}

bool sk_response_in_place(const sk_response *r, size_t n, bool timefix, const double **time,
                          const double **status)
{
    if (r->kind != SURVKIT_RESPONSE_RIGHT || r->n_parts != 2) return false;
    const sk_value *t = &r->parts[0], *s = &r->parts[1];
    /* `complete`: columns of the table's own block (a CSV's), which the table, and so the frame
     * that keeps it, owns; arrays the table only refers to stay copied. */
    if (t->kind != SK_VALUE_NUMERIC || s->kind != SK_VALUE_NUMERIC || !t->borrowed ||
        !s->borrowed || !t->complete || !s->complete || t->n != n || s->n != n)
        return false;
    bool ok = true; /* branch-free: one pass, the compiler vectorises it */
    for (size_t i = 0; i < n; i++) ok &= (s->num[i] == 0) | (s->num[i] == 1);
    for (size_t i = 0; ok && i < n; i++) ok &= isfinite(t->num[i]) != 0;
    if (!ok || (timefix && !sk_time_fix_is_identity(t->num, n))) return false;
    *time = t->num;
    *status = s->num;
    return true;
}

survkit_status sk_response_code(const sk_response *r, const sk_node *lhs, const survkit_table *table,
                                const size_t *keep, size_t n, double *start, double *time,
                                double *status, survkit_error *err)
{
    bool counting = r->kind == SURVKIT_RESPONSE_COUNTING;
    const sk_value *v_start = counting ? &r->parts[0] : NULL;
    const sk_value *v_time = &r->parts[counting ? 1 : 0];
    const sk_value *v_status = &r->parts[counting ? 2 : 1];
    const sk_node *n_start = counting ? lhs->args[0] : NULL;
    const sk_node *n_time = lhs->args[counting ? 1 : 0];
    const sk_node *n_status = lhs->args[counting ? 2 : 1];

    status_coding coding = decide_coding(v_status);
    if (coding.bad_row != SIZE_MAX) {
        char text[40];
        sk_format_number(v_status->num[coding.bad_row], text, sizeof text);
        return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, coding.bad_row + 2,
                            column_of(n_status, table),
                            "status value %s: status must be coded 0/1, 1/2 or TRUE/FALSE (write "
                            "e.g. Surv(time, status == 2) for another coding)", text);
    }
    for (size_t i = 0; i < n; i++) {
        size_t row = keep != NULL ? keep[i] : i;
        time[i] = v_time->num[row];
        status[i] = v_status->num[row] - coding.shift;
        if (!isfinite(time[i]))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, row + 2, column_of(n_time, table),
                                "%s time is not finite", counting ? "stop" : "survival");
        if (!counting) continue;
        start[i] = v_start->num[row];
        if (!isfinite(start[i]))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, row + 2, column_of(n_start, table),
                                "start time is not finite");
        if (!(time[i] > start[i]))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, row + 2, column_of(n_time, table),
                                "Stop time must be > start time");
    }
    return SURVKIT_OK;
}

survkit_status sk_response_code_interval(const sk_response *r, const sk_node *lhs,
                                         const survkit_table *table, const size_t *keep, size_t n,
                                         double *time, double *time2, double *status,
                                         survkit_error *err)
{
    const double *v1 = r->parts[0].num, *v2 = r->parts[1].num;
    for (size_t i = 0; i < n; i++) {
        const size_t row = keep[i];
        const double a = isfinite(v1[row]) ? v1[row] : NAN, b = isfinite(v2[row]) ? v2[row] : NAN;
        if (v1[row] > v2[row]) /* R checks this before infinite bounds become NA */
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, row + 2, column_of(lhs->args[1], table),
                                "Invalid interval: start > stop (empty interval, time2 < time1)");
        const int s = isnan(a) ? 2 : isnan(b) ? 0 : a == b ? 1 : 3;
        status[i] = s;
        time[i] = s != 2 ? a : b;
        time2[i] = s == 3 ? b : NAN;
    }
    return SURVKIT_OK;
}
