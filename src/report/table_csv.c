/*
 * table_csv.c: a table as R's write.csv writes it (see table_csv.h for R's rules). Rows are laid
 * out in a buffer of our own and written in large blocks: at tens of millions of rows the cost is
 * the formatting of numbers, so a double with a short decimal form is written without printf.
 */
#include "table_csv.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef enum cell_kind { CELL_INTEGER, CELL_DOUBLE, CELL_STRING, CELL_LOGICAL } cell_kind;

enum { BLOCK = 1 << 16, CELL_MAX = 512 }; /* no number needs CELL_MAX bytes (1e308: 309 digits) */

typedef struct out_buffer {
    FILE *out;
    size_t used;
    bool failed;
    char data[BLOCK + CELL_MAX];
} out_buffer;

static void flush(out_buffer *b)
{
    if (b->used > 0 && fwrite(b->data, 1, b->used, b->out) != b->used) b->failed = true;
    b->used = 0;
}

/* Room for a number or a short token: flush when the block is full. */
static char *reserve(out_buffer *b)
{
    if (b->used >= BLOCK) flush(b);
    return b->data + b->used;
}

static void put_char(out_buffer *b, char c) { *reserve(b) = c, b->used++; }

static void put_text(out_buffer *b, const char *s)
{
    for (; *s; s++) put_char(b, *s);
}

static void put_quoted(out_buffer *b, const char *s)
{
    put_char(b, '"');
    for (; *s; s++) {
        if (*s == '"') put_char(b, '"');
        put_char(b, *s);
    }
    put_char(b, '"');
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
        if (storage == REPORT_CSV_TEXT) return CELL_STRING;
        if (storage == REPORT_CSV_LOGICAL) return CELL_LOGICAL;
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

/* The decimal digits of v (< 10^16) into d; returns how many. */
static int digits_of(uint64_t v, char *d)
{
    char tmp[24];
    int n = 0;
    do tmp[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    for (int k = 0; k < n; k++) d[k] = tmp[n - 1 - k];
    return n;
}

/* A whole number in [-2^53, 2^53], without printf. */
static void put_whole(out_buffer *b, double x)
{
    char *q = reserve(b);
    size_t start = b->used;
    if (x < 0) *q++ = '-';
    int n = digits_of((uint64_t)fabs(x), q);
    b->used = start + (size_t)(q - (b->data + start)) + (size_t)n;
}

/*
 * The shortest decimal of |x| (digits, nsig of them, the first at 10^e) when x is n / 10^k exactly
 * for a whole n below 10^15: then R's 15-digit rounding of x is that decimal (x is the double
 * nearest to it, and it has at most 15 digits). Most data (days, ages to one decimal) are.
 */
static bool short_decimal(double ax, char *digits, int *nsig, int *e)
{
    if (!(ax >= 1e-4 && ax < 1e15)) return false;
    double p = 1;
    for (int k = 0; k <= 15; k++, p *= 10) {
        double n = nearbyint(ax * p);
        if (n >= 1e15) return false;
        if (n / p != ax || n == 0) continue;
        int nd = digits_of((uint64_t)n, digits);
        *e = nd - 1 - k;
        *nsig = nd;
        while (*nsig > 1 && digits[*nsig - 1] == '0') (*nsig)--;
        return true;
    }
    return false;
}

/*
 * One double as write.csv writes it: R's formatReal for one element at 15 significant digits. The
 * 15-digit mantissa (C's correctly rounded %.14e, or short_decimal) without its trailing zeros has
 * nsig digits and exponent e; fixed notation needs max(0, nsig - e - 1) decimals and is used unless
 * it is wider than scientific (R's scipen = 0). Both are written from the mantissa's digits (for
 * |x| < 1e15 the digits sprintf("%.*f") would give); from 1e15 on, fixed notation is sprintf's
 * own: every digit of the double, as R prints it.
 */
static void put_double(out_buffer *b, double x)
{
    if (isnan(x)) {
        put_text(b, "NA");
        return;
    }
    if (isinf(x)) {
        put_text(b, x > 0 ? "Inf" : "-Inf");
        return;
    }
    if (x == nearbyint(x) && fabs(x) < 1e5) { /* shorter in fixed notation: R prints the integer */
        put_whole(b, x == 0 ? 0.0 : x);
        return;
    }
    char digits[24];
    int nsig, e;
    if (!short_decimal(fabs(x), digits, &nsig, &e)) {
        char m[40];
        snprintf(m, sizeof m, "%.14e", fabs(x)); /* d.dddddddddddddde+XX */
        nsig = 0;
        for (const char *p = m; *p != 'e'; p++)
            if (*p >= '0' && *p <= '9') digits[nsig++] = *p;
        while (nsig > 1 && digits[nsig - 1] == '0') nsig--;
        e = atoi(strchr(m, 'e') + 1);
    }
    int neg = x < 0;
    int rgt = nsig - e - 1 > 0 ? nsig - e - 1 : 0;
    int fixed_width = neg + (e >= 0 ? e + 1 : 1) + (rgt > 0 ? rgt + 1 : 0);
    int sci_width = neg + nsig + (nsig > 1) + (abs(e) >= 100 ? 5 : 4);
    char *q0 = reserve(b), *q = q0;
    if (neg) *q++ = '-';
    if (fixed_width <= sci_width && e >= 15) {
        /* R's fixed notation is sprintf("%.0f"): every digit of the double, not 15 */
        q += snprintf(q, CELL_MAX - 1, "%.0f", fabs(x));
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
    b->used += (size_t)(q - q0);
}

report_csv_storage report_csv_decide(const survkit_table *t, size_t j)
{
    return column_kind(t, j, REPORT_CSV_AUTO) == CELL_INTEGER ? REPORT_CSV_INTEGER : REPORT_CSV_DOUBLE;
}

report_csv_storage report_csv_decide_levels(const char *const *levels, size_t n)
{
    if (n == 0 || n == SIZE_MAX) return REPORT_CSV_TEXT;
    for (size_t k = 0; k < n; k++)
        if (logical_value(levels[k]) < 0) return REPORT_CSV_TEXT;
    return REPORT_CSV_LOGICAL;
}

int report_table_csv(FILE *out, const survkit_table *t, const report_csv_storage *storage)
{
    return report_table_csv_rows(out, t, storage, 1);
}

int report_table_csv_rows(FILE *out, const survkit_table *t, const report_csv_storage *storage,
                          int header)
{
    size_t nc = survkit_table_n_columns(t), n = survkit_table_n_rows(t);
    cell_kind *kind = malloc((nc ? nc : 1) * sizeof *kind);
    const double **num = malloc((nc ? nc : 1) * sizeof *num);
    const int32_t **codes = malloc((nc ? nc : 1) * sizeof *codes);
    out_buffer *b = malloc(sizeof *b);
    if (kind == NULL || num == NULL || codes == NULL || b == NULL) {
        free(kind), free(num), free(codes), free(b);
        return -1;
    }
    b->out = out;
    b->used = 0;
    b->failed = false;
    for (size_t j = 0; j < nc; j++) {
        kind[j] = column_kind(t, j, storage ? storage[j] : REPORT_CSV_AUTO);
        num[j] = survkit_table_numeric(t, j);
        codes[j] = survkit_table_codes(t, j);
        if (!header) continue;
        if (j) put_char(b, ',');
        put_quoted(b, survkit_table_column_name(t, j));
    }
    if (header) put_char(b, '\n');
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < nc; j++) {
            if (j) put_char(b, ',');
            if (kind[j] == CELL_STRING || kind[j] == CELL_LOGICAL) {
                int32_t code = codes[j][i];
                if (code < 0) put_text(b, "NA");
                else if (kind[j] == CELL_LOGICAL)
                    put_text(b, logical_value(survkit_table_level(t, j, (size_t)code)) ? "TRUE" : "FALSE");
                else put_quoted(b, survkit_table_level(t, j, (size_t)code));
                continue;
            }
            double x = num[j][i];
            if (kind[j] == CELL_INTEGER && !isnan(x)) put_whole(b, x == 0 ? 0.0 : x);
            else put_double(b, x);
        }
        put_char(b, '\n');
    }
    flush(b);
    bool failed = b->failed || ferror(out);
    free(kind), free(num), free(codes), free(b);
    return failed ? -1 : 0;
}
