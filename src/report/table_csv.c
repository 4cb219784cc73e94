/* table_csv.c: a table as R's write.csv writes it (see table_csv.h for R's rules). */
#include "table_csv.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
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

/* A whole number in [-2^53, 2^53] as decimal digits, without printf. */
static void put_whole(FILE *out, double x)
{
    char buf[32], *p = buf + sizeof buf;
    bool negative = x < 0;
    uint64_t v = (uint64_t)(negative ? -x : x);
    do *--p = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    if (negative) *--p = '-';
    fwrite(p, 1, (size_t)(buf + sizeof buf - p), out);
}

/*
 * One double as write.csv writes it: R's formatReal for one element at 15 significant digits. The
 * 15-digit mantissa (C's correctly rounded %.14e) without its trailing zeros has nsig digits and
 * exponent e; fixed notation needs max(0, nsig - e - 1) decimals and is used unless it is wider
 * than scientific (R's scipen = 0). Both are written from the mantissa's digits (for |x| < 1e15 the
 * digits sprintf("%.*f") would give), so one printf per value; from 1e15 on, fixed notation is
 * sprintf's own: every digit of the double, as R prints it.
 */
static void put_double(FILE *out, double x)
{
    if (isnan(x)) {
        fputs("NA", out);
        return;
    }
    if (isinf(x)) {
        fputs(x > 0 ? "Inf" : "-Inf", out);
        return;
    }
    if (x == nearbyint(x) && fabs(x) < 1e5) { /* shorter in fixed notation: R prints the integer */
        put_whole(out, x == 0 ? 0.0 : x);
        return;
    }
    char m[40];
    snprintf(m, sizeof m, "%.14e", fabs(x)); /* d.dddddddddddddde+XX */
    char digits[16];
    int nsig = 0;
    for (const char *p = m; *p != 'e'; p++)
        if (*p >= '0' && *p <= '9') digits[nsig++] = *p;
    while (nsig > 1 && digits[nsig - 1] == '0') nsig--;
    int e = atoi(strchr(m, 'e') + 1);
    int neg = x < 0;
    int rgt = nsig - e - 1 > 0 ? nsig - e - 1 : 0;
    int fixed_width = neg + (e >= 0 ? e + 1 : 1) + (rgt > 0 ? rgt + 1 : 0);
    int sci_width = neg + nsig + (nsig > 1) + (abs(e) >= 100 ? 5 : 4);
    char buf[400], *q = buf;
    if (neg) *q++ = '-';
    if (fixed_width <= sci_width && e >= 15) {
        /* R's fixed notation is sprintf("%.0f"): every digit of the double, not 15 */
        q += snprintf(q, sizeof buf - 1, "%.0f", fabs(x));
    } else if (fixed_width <= sci_width) {
        if (e < 0) {
            *q++ = '0';
            *q++ = '.';
            for (int k = 0; k < -e - 1; k++) *q++ = '0';
            for (int k = 0; k < nsig; k++) *q++ = digits[k];
        } else {
            for (int k = 0; k <= e; k++) *q++ = k < nsig ? digits[k] : '0';
            if (rgt > 0) *q++ = '.';
            for (int k = e + 1; k < nsig; k++) *q++ = digits[k];
        }
    } else {
        *q++ = digits[0];
        if (nsig > 1) *q++ = '.';
        for (int k = 1; k < nsig; k++) *q++ = digits[k];
        q += snprintf(q, 8, "e%c%02d", e < 0 ? '-' : '+', abs(e));
    }
    fwrite(buf, 1, (size_t)(q - buf), out);
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
            if (kind[j] == CELL_INTEGER && !isnan(x)) put_whole(out, x == 0 ? 0.0 : x);
            else put_double(out, x);
        }
        fputc('\n', out);
    }
    free(kind);
    return ferror(out) ? -1 : 0;
}
