/*
 * coefmat.c: R's printCoefmat(x, digits, signif.stars, P.values = TRUE, has.Pvalue = TRUE) for
 * a table of n_est estimate columns, a test statistic and its p-value (summary.glm's Estimate |
 * Std. Error | z value | Pr(>|z|) with stars; print.summary.survreg's Value | Std. Error | z | p,
 * or with a robust variance Value | Std. Err | (Naive SE) | z | p, without).
 *
 * The rules (digits d, dig.tst = max(1, min(5, d - 1))):
 *  - the estimate columns are rounded together to max(1, d - digmin) decimals, digmin = 1 +
 *    floor(log10(the smallest non-zero finite |value|)), then formatted together at d digits; a
 *    non-zero value shown as zero is formatted alone at max(1, d - 1) digits;
 *  - the test statistic is round(t, dig.tst) formatted at d digits;
 *  - p-values by format.pval at dig.tst digits (rformat_pvalues; NA rows are left out of the
 *    joint formatting and print NA);
 *  - stars *** ** * . and blank at 0.001 0.01 0.05 0.1 when asked and some p < 0.1,
 *    left-justified, and the legend under the table;
 *  - print.default of the character matrix: row names left-justified, columns right-justified.
 */
#include "coefmat.h"
#include "rformat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { CELL = 64 };

static double round_to(double x, int d)
{
    double s = pow(10.0, d);
    return nearbyint(x * s) / s;
}

/* Format n values of x into cells[0..n) with rformat_column or rformat_pvalues. */
static void format_cells(const double *x, size_t n, int digits, bool pvalues, char (*cells)[CELL])
{
    char **ptr = malloc((n ? n : 1) * sizeof *ptr);
    if (ptr == NULL) return;
    for (size_t i = 0; i < n; i++) ptr[i] = cells[i];
    if (pvalues) rformat_pvalues(x, n, digits, ptr, CELL);
    else rformat_column(x, n, digits, ptr, CELL);
    free(ptr);
}

static const char *star(double p)
{
    return isnan(p) ? "" : p < 0.001 ? "***" : p < 0.01 ? "**" : p < 0.05 ? "*" : p < 0.1 ? "." : " ";
}

void report_coefmat_print(FILE *out, const report_coefmat *m)
{
    const size_t rows = m->rows, n_est = m->n_est, ne = rows * n_est;
    const int digits = m->digits;
    const int dig_tst = digits - 1 < 1 ? 1 : digits - 1 > 5 ? 5 : digits - 1;
    bool stars = false;
    for (size_t i = 0; m->stars && i < rows; i++) stars |= m->pvalue[i] < 0.1;
    /* columns: the estimates, the statistic, the p-value, the stars */
    const size_t cols = n_est + 2 + (stars ? 1 : 0);
    char (*cell)[CELL] = calloc(rows * (n_est + 3) + 1, CELL);
    double *v = malloc((ne + rows + 1) * sizeof *v);
    size_t *width = calloc(cols, sizeof *width);
    if (cell == NULL || v == NULL || width == NULL || n_est == 0 || n_est > REPORT_COEFMAT_MAX_EST)
        goto done;
    double amin = 0;
    bool any = false;
    for (size_t c = 0; c < n_est; c++)
        for (size_t i = 0; i < rows; i++) {
            double a = fabs(m->est[c][i]);
            if (isfinite(a) && a != 0 && (!any || a < amin)) amin = a, any = true;
        }
    const int digmin = 1 + (any ? (int)floor(log10(amin)) : 0);
    const int dec = digits - digmin > 1 ? digits - digmin : 1;
    for (size_t c = 0; c < n_est; c++)
        for (size_t i = 0; i < rows; i++) v[i + c * rows] = round_to(m->est[c][i], dec);
    format_cells(v, ne, digits, false, cell);
    for (size_t c = 0; c < n_est; c++) /* a non-zero value shown as zero: alone */
        for (size_t i = 0; i < rows; i++) {
            double x = m->est[c][i];
            if (x != 0 && !isnan(x) && strtod(cell[i + c * rows], NULL) == 0)
                rformat_number(x, digits - 1 > 1 ? digits - 1 : 1, cell[i + c * rows], CELL);
        }
    for (size_t i = 0; i < rows; i++) v[i] = round_to(m->statistic[i], dig_tst);
    format_cells(v, rows, digits, false, cell + ne);
    format_cells(m->pvalue, rows, dig_tst, true, cell + ne + rows);
    char (*st)[CELL] = cell + ne + 2 * rows;
    size_t star_w = 0;
    for (size_t i = 0; stars && i < rows; i++) {
        snprintf(st[i], CELL, "%s", star(m->pvalue[i]));
        if (strlen(st[i]) > star_w) star_w = strlen(st[i]);
    }
    for (size_t i = 0; stars && i < rows; i++) { /* format(): left-justified to a common width */
        size_t len = strlen(st[i]);
        while (len < star_w) st[i][len++] = ' ';
        st[i][len] = '\0';
    }

    /* print.default of the character matrix */
    size_t name_w = 0;
    for (size_t i = 0; i < rows; i++)
        if (strlen(m->names[i]) > name_w) name_w = strlen(m->names[i]);
    for (size_t j = 0; j < cols; j++) {
        const char *h = j < n_est + 2 ? m->header[j] : "";
        width[j] = strlen(h);
        for (size_t i = 0; i < rows; i++)
            if (strlen(cell[i + j * rows]) > width[j]) width[j] = strlen(cell[i + j * rows]);
    }
    fprintf(out, "%*s", (int)name_w, "");
    for (size_t j = 0; j < cols; j++)
        fprintf(out, " %*s", (int)width[j], j < n_est + 2 ? m->header[j] : "");
    fputc('\n', out);
    for (size_t i = 0; i < rows; i++) {
        fprintf(out, "%-*s", (int)name_w, m->names[i]);
        for (size_t j = 0; j < cols; j++) fprintf(out, " %*s", (int)width[j], cell[i + j * rows]);
        fputc('\n', out);
    }
    if (stars)
        fprintf(out, "---\nSignif. codes:  0 \u2018***\u2019 0.001 \u2018**\u2019 0.01 \u2018*\u2019 "
                     "0.05 \u2018.\u2019 0.1 \u2018 \u2019 1\n");
done:
    free(cell);
    free(v);
    free(width);
}
