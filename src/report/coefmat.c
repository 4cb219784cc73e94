/*
 * coefmat.c: R's printCoefmat for a table Estimate | Std. Error | <test> | Pr(>|.|), with
 * significance stars; rows whose estimate is NA (aliased) print NA in every column.
 *
 * The rules (printCoefmat with digits d, dig.tst = max(1, min(5, d - 1))):
 *  - estimates and standard errors are rounded together to max(1, d - digmin) decimals, digmin =
 *    1 + floor(log10(the smallest non-zero |value|)), then formatted together at d digits; a
 *    non-zero value shown as zero is formatted alone at d - 1 digits;
 *  - the test statistic is round(t, dig.tst) formatted at d digits;
 *  - p-values by format.pval at dig.tst digits (rformat_pvalues);
 *  - stars *** ** * . and blank at 0.001 0.01 0.05 0.1 when some p < 0.1, left-justified;
 *  - print.default of the character matrix: row names left-justified, columns right-justified.
 */
#include "coefmat.h"
#include "rformat.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum { CELL = 64 };

static double round_to(double x, int d)
{
    double s = pow(10.0, d);
    return nearbyint(x * s) / s;
}

static void format_into(const double *x, size_t n, int digits, char (*cells)[CELL], bool pvalues)
{
    char **ptr = malloc((n ? n : 1) * sizeof *ptr);
    if (ptr == NULL) return;
    for (size_t i = 0; i < n; i++) ptr[i] = cells[i];
    if (pvalues) rformat_pvalues(x, n, digits, ptr, CELL);
    else rformat_column(x, n, digits, ptr, CELL);
    free(ptr);
}

void report_coefmat_print(FILE *out, const report_coefmat *m)
{
    const size_t p = m->rows;
    const int digits = m->digits, dig_tst = digits - 1 < 1 ? 1 : digits - 1 > 5 ? 5 : digits - 1;
    char (*cells)[CELL] = calloc(5 * p + 1, CELL); /* estimate, se, test, p, stars */
    double *v = calloc(5 * p + 1, sizeof *v); /* values, rounded values, statistics */
    if (cells == NULL || v == NULL) goto done;
    /* estimates and standard errors, rounded and formatted together */
    double amin = 0;
    bool any = false;
    for (size_t i = 0; i < p; i++) {
        v[i] = m->estimate[i];
        v[p + i] = m->se[i];
    }
    for (size_t k = 0; k < 2 * p; k++) {
        double a = fabs(v[k]);
        if (isfinite(a) && a != 0 && (!any || a < amin)) amin = a, any = true;
    }
    int digmin = 1 + (any ? (int)floor(log10(amin)) : 0);
    int dec = digits - digmin > 1 ? digits - digmin : 1;
    double *both = v + 2 * p, *rounded = v + 4 * p;
    for (size_t k = 0; k < 2 * p; k++) both[k] = round_to(v[k], dec);
    format_into(both, 2 * p, digits, cells, false);
    for (size_t k = 0; k < 2 * p; k++)
        if (v[k] != 0 && !isnan(v[k]) && strtod(cells[k], NULL) == 0)
            rformat_number(v[k], digits - 1 > 1 ? digits - 1 : 1, cells[k], CELL);
    for (size_t i = 0; i < p; i++) rounded[i] = round_to(m->statistic[i], dig_tst);
    format_into(rounded, p, digits, cells + 2 * p, false);
    /* p-values of the rows that have one, formatted together */
    size_t n_ok = 0;
    double *pv = malloc((p + 1) * sizeof *pv);
    char (*pcells)[CELL] = calloc(p + 1, CELL);
    if (pv == NULL || pcells == NULL) {
        free(pv), free(pcells);
        goto done;
    }
    for (size_t i = 0; i < p; i++)
        if (!isnan(m->pvalue[i])) pv[n_ok++] = m->pvalue[i];
    format_into(pv, n_ok, dig_tst, pcells, true);
    bool stars = false;
    for (size_t i = 0, q = 0; i < p; i++) {
        if (isnan(m->pvalue[i])) {
            snprintf(cells[3 * p + i], CELL, "NA");
            continue;
        }
        snprintf(cells[3 * p + i], CELL, "%s", pcells[q++]);
        stars |= m->pvalue[i] < 0.1;
    }
    free(pv), free(pcells);
    size_t star_w = 0;
    for (size_t i = 0; stars && i < p; i++) {
        double q = m->pvalue[i];
        const char *s = isnan(q) ? "" : q < 0.001 ? "***" : q < 0.01 ? "**" : q < 0.05 ? "*"
                        : q < 0.1 ? "." : " ";
        snprintf(cells[4 * p + i], CELL, "%s", s);
        if (strlen(s) > star_w) star_w = strlen(s);
    }
    for (size_t i = 0; stars && i < p; i++) { /* format(): left-justified to a common width */
        size_t len = strlen(cells[4 * p + i]);
        while (len < star_w) cells[4 * p + i][len++] = ' ';
        cells[4 * p + i][len] = '\0';
    }
    /* print.default of the character matrix */
    const char *header[5] = {"Estimate", "Std. Error", m->statistic_name, m->pvalue_name, ""};
    const size_t cols = stars ? 5 : 4;
    size_t name_w = 0, width[5];
    for (size_t i = 0; i < p; i++)
        if (strlen(m->names[i]) > name_w) name_w = strlen(m->names[i]);
    for (size_t j = 0; j < cols; j++) {
        width[j] = strlen(header[j]);
        for (size_t i = 0; i < p; i++)
            if (strlen(cells[j * p + i]) > width[j]) width[j] = strlen(cells[j * p + i]);
    }
    fprintf(out, "%*s", (int)name_w, "");
    for (size_t j = 0; j < cols; j++) fprintf(out, " %*s", (int)width[j], header[j]);
    fputc('\n', out);
    for (size_t i = 0; i < p; i++) {
        fprintf(out, "%-*s", (int)name_w, m->names[i]);
        for (size_t j = 0; j < cols; j++) fprintf(out, " %*s", (int)width[j], cells[j * p + i]);
        fputc('\n', out);
    }
    if (stars)
        fprintf(out, "---\nSignif. codes:  0 \u2018***\u2019 0.001 \u2018**\u2019 0.01 \u2018*\u2019 "
                     "0.05 \u2018.\u2019 0.1 \u2018 \u2019 1\n");
done:
    free(cells);
    free(v);
}
