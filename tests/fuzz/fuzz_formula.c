/*
 * fuzz_formula.c: any bytes as an R formula -> survkit_frame_build over a small fixed table (numeric,
 * string, logical-looking and missing values, a name that needs backticks). The frame is built twice:
 * with km/logrank groups and no weights, and without groups (as for Cox) with the weights column.
 * A frame must be consistent (status 0/1, codes in range, stop > start); an error must have a message.
 */
#include "fuzz_support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { N_ROWS = 8 };

static survkit_table *small_table(void)
{
    static const double time[N_ROWS] = {5, 3, 9, 3, 12, 7, NAN, 2};
    static const double start[N_ROWS] = {0, 1, 2, 0, 4, 0, 0, 1};
    static const double status[N_ROWS] = {1, 0, 1, 1, 0, 1, 1, 2};
    static const double x[N_ROWS] = {0.5, -1, 2, 0, 3.25, NAN, 1, 1e300};
    static const double w[N_ROWS] = {1, 2, 0.5, 1, 0, 1, 3, 1};
    static const char *const g[N_ROWS] = {"a", "b", "a", "c", NULL, "b", "a", "c"};
    static const char *const l[N_ROWS] = {"TRUE", "FALSE", "T", "F", "TRUE", "FALSE", "TRUE", NULL};
    static const char *const odd[N_ROWS] = {"1", "2", "x y", "", "é", "2", "1", "3"};
    survkit_table *t = NULL;
    if (survkit_table_create(N_ROWS, &t, NULL) != SURVKIT_OK) abort();
    if (survkit_table_add_numeric(t, "time", time, NULL) || survkit_table_add_numeric(t, "start", start, NULL) ||
        survkit_table_add_numeric(t, "status", status, NULL) || survkit_table_add_numeric(t, "x", x, NULL) ||
        survkit_table_add_numeric(t, "w", w, NULL) || survkit_table_add_string(t, "g", g, NULL) ||
        survkit_table_add_string(t, "l", l, NULL) || survkit_table_add_string(t, "odd name", odd, NULL))
        abort();
    return t;
}

static void build(const survkit_table *t, const char *formula, int groups, const char *weights)
{
    survkit_frame_options opt;
    survkit_frame_options_init(&opt);
    opt.groups = groups;
    opt.weights = weights;
    survkit_frame *f = (survkit_frame *)&opt; /* must be reset to NULL on failure */
    survkit_error err;
    survkit_status st = survkit_frame_build(t, formula, &opt, &f, &err);
    fuzz_check_error(st, &err);
    if ((st == SURVKIT_OK) != (f != NULL)) abort();
    /* a formula position lies within the formula (or just past its end) */
    if ((st == SURVKIT_ERR_FORMULA || st == SURVKIT_ERR_NOT_FOUND) && err.line == 0 &&
        err.column > strlen(formula) + 1)
        abort();
    if (f != NULL) fuzz_touch_frame(f);
    survkit_frame_free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *formula = malloc(size + 1);
    if (formula == NULL) return 0;
    memcpy(formula, data, size);
    formula[size] = '\0';
    survkit_table *t = small_table();
    build(t, formula, 1, NULL);
    build(t, formula, 0, "w");
    survkit_table_free(t);
    free(formula);
    return 0;
}
