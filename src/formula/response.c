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
    out->kind = lhs->n_args == 3 ? SURVKIT_RESPONSE_COUNTING : SURVKIT_RESPONSE_RIGHT;
    static const char *const roles[2][3] = {{"time", "status", ""}, {"start", "stop", "status"}};
    for (size_t k = 0; k < lhs->n_args; k++) {
        survkit_status status = sk_evaluate_variable(lhs->args[k], table, &out->parts[k], err);
        if (status != SURVKIT_OK) {
            sk_response_release(out);
            return status;
        }
        out->n_parts = k + 1;
        const sk_value *v = &out->parts[k];
        bool is_status = k + 1 == lhs->n_args;
        if (v->kind == SK_VALUE_FACTOR || (!is_status && v->kind == SK_VALUE_LOGICAL)) {
            sk_response_release(out);
            return not_numeric(lhs->args[k], table, roles[out->kind == SURVKIT_RESPONSE_COUNTING][k],
                               is_status, err);
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
