/*
 * coefmat_columns.c: R's printCoefmat (signif.stars = FALSE) for any number of estimate columns,
 * as print.summary.survreg calls it (report/coefmat.c prints the fixed glm table with stars).
 *
 *  - the estimate columns are rounded together to max(1, digits - digmin) decimals, digmin = 1 +
 *    floor(log10(smallest non-zero finite |value|)), then formatted together with `digits`; a
 *    non-zero value that prints as zero is formatted alone with digits - 1 digits;
 *  - the statistic is round(x, dig.tst) formatted with `digits`, dig.tst = max(1, min(5, digits - 1));
 *  - p-values by format.pval with dig.tst digits;
 *  - print.default of the character matrix: row names left-aligned, columns right-aligned.
 */
#include "coefmat_columns.h"
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

/* Format n values of x into cells[first..first+n) with rformat_column or rformat_pvalues. */
static void format_cells(const double *x, size_t n, int digits, bool pvalues, char (*cells)[CELL])
{
    char **ptr = malloc((n ? n : 1) * sizeof *ptr);
    if (ptr == NULL) return;
    for (size_t i = 0; i < n; i++) ptr[i] = cells[i];
    if (pvalues) rformat_pvalues(x, n, digits, ptr, CELL);
    else rformat_column(x, n, digits, ptr, CELL);
    free(ptr);
}

void report_coefmat_columns(FILE *out, const char *const *names, size_t rows, const double *const *est,
                            size_t n_est, const double *stat, const double *p, const char *const *header,
                            int digits)
{
    const size_t cols = n_est + 2, ne = rows * n_est;
    char (*cell)[CELL] = calloc(rows * cols + 1, CELL);
    double *v = malloc((ne + rows + 1) * sizeof *v);
    if (cell == NULL || v == NULL) goto done;
    double amin = 0;
    bool any = false;
    for (size_t c = 0; c < n_est; c++)
        for (size_t i = 0; i < rows; i++) {
            double a = fabs(est[c][i]);
            if (isfinite(a) && a != 0) {
                if (!any || a < amin) amin = a;
                any = true;
            }
        }
    const int digmin = 1 + (any ? (int)floor(log10(amin)) : 0);
    const int dec = digits - digmin > 1 ? digits - digmin : 1;
    for (size_t c = 0; c < n_est; c++)
        for (size_t i = 0; i < rows; i++) v[i + c * rows] = round_to(est[c][i], dec);
    format_cells(v, ne, digits, false, cell);
    for (size_t c = 0; c < n_est; c++) /* a non-zero value shown as zero: alone */
        for (size_t i = 0; i < rows; i++) {
            double x = est[c][i];
            if (x != 0 && !isnan(x) && strtod(cell[i + c * rows], NULL) == 0)
                rformat_number(x, digits - 1, cell[i + c * rows], CELL);
        }
    const int dig_tst = digits - 1 < 1 ? 1 : (digits - 1 > 5 ? 5 : digits - 1);
    for (size_t i = 0; i < rows; i++) v[i] = round_to(stat[i], dig_tst);
    format_cells(v, rows, digits, false, cell + ne);
    format_cells(p, rows, dig_tst, true, cell + ne + rows);

    size_t name_w = 0, *width = calloc(cols, sizeof *width);
    if (width == NULL) goto done;
    for (size_t i = 0; i < rows; i++)
        if (strlen(names[i]) > name_w) name_w = strlen(names[i]);
    for (size_t j = 0; j < cols; j++) {
        width[j] = strlen(header[j]);
        for (size_t i = 0; i < rows; i++)
            if (strlen(cell[i + j * rows]) > width[j]) width[j] = strlen(cell[i + j * rows]);
    }
    fprintf(out, "%*s", (int)name_w, "");
    for (size_t j = 0; j < cols; j++) fprintf(out, " %*s", (int)width[j], header[j]);
    fputc('\n', out);
    for (size_t i = 0; i < rows; i++) {
        fprintf(out, "%-*s", (int)name_w, names[i]);
        for (size_t j = 0; j < cols; j++) fprintf(out, " %*s", (int)width[j], cell[i + j * rows]);
        fputc('\n', out);
    }
    free(width);
done:
    free(cell);
    free(v);
}
