/* table_csv.c: a table as R's write.csv writes it (see table_csv.h for R's rules). */
#include "table_csv.h"
#include "rformat.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef enum cell_kind { CELL_INTEGER, CELL_DOUBLE, CELL_STRING, CELL_LOGICAL } cell_kind;

static void put_quoted(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"') fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* R's type.convert reads these texts, and only these, as logical values. */
static int logical_value(const char *s)
{
    static const char *const yes[] = {"T", "TRUE", "true", "True"}, *const no[] = {"F", "FALSE", "false", "False"};
    for (int k = 0; k < 4; k++) {
        if (strcmp(s, yes[k]) == 0) return 1;
        if (strcmp(s, no[k]) == 0) return 0;
    }
    return -1;
}

static cell_kind column_kind(const survkit_table *t, size_t j, report_csv_storage storage)
{
    if (survkit_table_column_type(t, j) == SURVKIT_COLUMN_STRING) {
        size_t n_levels = survkit_table_n_levels(t, j);
        for (size_t k = 0; k < n_levels; k++)
            if (logical_value(survkit_table_level(t, j, k)) < 0) return CELL_STRING;
        return n_levels > 0 ? CELL_LOGICAL : CELL_STRING;
    }
    if (storage == REPORT_CSV_DOUBLE) return CELL_DOUBLE;
    if (storage == REPORT_CSV_INTEGER) return CELL_INTEGER;
    const double *x = survkit_table_numeric(t, j);
    size_t n = survkit_table_n_rows(t);
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]) && !(x[i] == nearbyint(x[i]) && fabs(x[i]) <= 2147483647.0)) return CELL_DOUBLE;
    return CELL_INTEGER;
}

static void put_double(FILE *out, double x)
{
    if (isnan(x)) {
        fputs("NA", out);
    } else if (isinf(x)) {
        fputs(x > 0 ? "Inf" : "-Inf", out);
    } else if (x == nearbyint(x) && fabs(x) < 1e5) {
        /* whole numbers below 1e5 are shorter in fixed notation: R prints them as integers */
        fprintf(out, "%.0f", x == 0 ? 0.0 : x);
    } else {
        char buf[64];
        rformat_number(x, 15, buf, sizeof buf);
        fputs(buf, out);
    }
}

int report_table_csv(FILE *out, const survkit_table *t, const report_csv_storage *storage)
{
    size_t nc = survkit_table_n_columns(t), n = survkit_table_n_rows(t);
    cell_kind *kind = malloc((nc ? nc : 1) * sizeof *kind);
    if (kind == NULL) return -1;
    for (size_t j = 0; j < nc; j++) {
        kind[j] = column_kind(t, j, storage ? storage[j] : REPORT_CSV_AUTO);
        if (j) fputc(',', out);
        put_quoted(out, survkit_table_column_name(t, j));
    }
    fputc('\n', out);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < nc; j++) {
            if (j) fputc(',', out);
            if (kind[j] == CELL_STRING || kind[j] == CELL_LOGICAL) {
                int32_t code = survkit_table_codes(t, j)[i];
                if (code < 0) fputs("NA", out);
                else if (kind[j] == CELL_LOGICAL)
                    fputs(logical_value(survkit_table_level(t, j, (size_t)code)) ? "TRUE" : "FALSE", out);
                else put_quoted(out, survkit_table_level(t, j, (size_t)code));
                continue;
            }
            double x = survkit_table_numeric(t, j)[i];
            if (kind[j] == CELL_INTEGER && !isnan(x)) fprintf(out, "%.0f", x == 0 ? 0.0 : x);
            else put_double(out, x);
        }
        fputc('\n', out);
    }
    free(kind);
    return ferror(out) ? -1 : 0;
}
