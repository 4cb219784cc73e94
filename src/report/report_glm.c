/*
 * report_glm.c: the binomial GLM as R's print(summary(glm)) prints it (R 4.2, digits = 4), as the
 * JSON object of the CLI contract, and as CSV of the coefficient table.
 *
 * print.summary.glm: the call; "Deviance Residuals:" as zapsmall(quantile(resid), 5) printed at 4
 * digits with print.gap = 2 (the residuals themselves when df.residual <= 5); the coefficient
 * table by printCoefmat (coefmat.c) with a count of aliased coefficients; the dispersion line; the
 * null and residual deviances formatted together at 5 digits with their degrees of freedom; the
 * rows dropped; AIC at 5 digits; the iteration count. With clusters the table's Std. Error is the
 * robust one (R's coeftest(fit, vcovCL(...)) layout), and a line says so.
 */
#include "csv.h"
#include "coefmat.h"
#include "json.h"
#include "report_glm.h"
#include "report_timings.h"
#include "rformat.h"
#include "summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { DIGITS = 4, CELL = 64 };

/* R's deparse line breaking (width.cutoff 60), on the call's text: R checks the line's length
 * after each argument's ", " and after the "op " of each binary operator (+ - * ~ == < > & |, the
 * ones deparse writes with spaces); past 60 characters the line ends there and the next starts
 * indented by 4. Text inside quotes is never broken. */
static void print_call(FILE *out, const char *call)
{
    static const char *const ops[] = {" + ", " - ", " * ", " ~ ", " == ", " != ", " <= ", " >= ",
                                      " < ", " > ", " & ", " | ", ", "};
    size_t len = 0;
    char quote = 0;
    for (const char *c = call; *c;) {
        size_t step = 1;
        bool point = false;
        if (quote) {
            if (*c == quote) quote = 0;
        } else if (*c == '"' || *c == '\'') {
            quote = *c;
        } else {
            for (size_t k = 0; k < sizeof ops / sizeof ops[0] && !point; k++)
                if (strncmp(c, ops[k], strlen(ops[k])) == 0) step = strlen(ops[k]), point = true;
        }
        fwrite(c, 1, step, out);
        len += step;
        c += step;
        if (point && *c && len > 60) {
            fputs("\n    ", out);
            len = 4;
        }
    }
    fputc('\n', out);
}

/* R's zapsmall(x, digits): round(x, digits - log10(max |x|)), where round() takes the nearest
 * whole number of decimals (R 4.2's zapsmall does not take the ceiling of the logarithm). */
static void zapsmall(double *x, size_t n, int digits)
{
    double mx = 0;
    for (size_t i = 0; i < n; i++)
        if (fabs(x[i]) > mx) mx = fabs(x[i]);
    double d = mx > 0 ? floor(digits - log10(mx) + 0.5) : digits;
    if (d < 0) d = 0;
    double s = pow(10.0, d);
    for (size_t i = 0; i < n; i++) x[i] = nearbyint(x[i] * s) / s;
}

/* print.default of a named numeric vector with print.gap = 2: each cell (name above value)
 * right-justified to the wider of the two, followed by two spaces. */
static void print_named(FILE *out, const double *x, const char *const *names, size_t n)
{
    char (*cells)[CELL] = calloc(n + 1, CELL);
    char **ptr = malloc((n + 1) * sizeof *ptr);
    if (cells && ptr) {
        for (size_t i = 0; i < n; i++) ptr[i] = cells[i];
        rformat_column(x, n, DIGITS, ptr, CELL);
        size_t w = 0;
        for (size_t i = 0; i < n; i++) {
            if (strlen(cells[i]) > w) w = strlen(cells[i]);
            if (strlen(names[i]) > w) w = strlen(names[i]);
        }
        for (size_t i = 0; i < n; i++) fprintf(out, "%*s  ", (int)w, names[i]);
        fputc('\n', out);
        for (size_t i = 0; i < n; i++) fprintf(out, "%*s  ", (int)w, cells[i]);
        fputc('\n', out);
    }
    free(cells);
    free(ptr);
}

static void print_deviance_residuals(FILE *out, const survkit_glm_result *r)
{
    const size_t n = survkit_glm_result_n(r);
    const double *res = survkit_glm_result_deviance_residuals(r);
    fputs("Deviance Residuals: \n", out);
    if (survkit_glm_result_df_residual(r) > 5) {
        report_summary s;
        if (!report_summary_numeric(res, n, &s)) return;
        double q[5] = {s.min, s.q1, s.median, s.q3, s.max};
        static const char *const names[5] = {"Min", "1Q", "Median", "3Q", "Max"};
        zapsmall(q, 5, DIGITS + 1);
        print_named(out, q, names, 5);
        return;
    }
    double *x = malloc((n + 1) * sizeof *x);
    char (*labels)[24] = calloc(n + 1, 24);
    const char **names = malloc((n + 1) * sizeof *names);
    if (x && labels && names) {
        for (size_t i = 0; i < n; i++) {
            x[i] = res[i];
            snprintf(labels[i], 24, "%zu", i + 1);
            names[i] = labels[i];
        }
        zapsmall(x, n, DIGITS + 1);
        print_named(out, x, names, n);
    }
    free(x), free(labels), free(names);
}

void report_glm_text(FILE *out, const survkit_glm_result *r, const report_glm_info *info)
{
    const size_t p = survkit_glm_result_p(r);
    fputs("\nCall:\n", out);
    char call[2048];
    int used = snprintf(call, sizeof call, "glm(formula = %s, family = binomial(link = \"%s\"), data = %s",
                        info && info->formula ? info->formula : "y ~ .",
                        survkit_glm_link_name(survkit_glm_result_link(r)),
                        info && info->data ? info->data : "data");
    if (used > 0 && (size_t)used < sizeof call)
        snprintf(call + used, sizeof call - (size_t)used, "%s%s)",
                 info && info->weights ? ", weights = " : "",
                 info && info->weights ? info->weights : "");
    print_call(out, call);
    fputc('\n', out);
    print_deviance_residuals(out, r);

    size_t aliased = p - survkit_glm_result_rank(r);
    if (aliased > 0) fprintf(out, "\nCoefficients: (%zu not defined because of singularities)\n", aliased);
    else fputs("\nCoefficients:\n", out);
    const char **names = malloc((p + 1) * sizeof *names);
    if (names == NULL) return;
    for (size_t j = 0; j < p; j++) names[j] = survkit_glm_result_name(r, j);
    const double *se = survkit_glm_result_is_robust(r) ? survkit_glm_result_robust_se(r)
                                                       : survkit_glm_result_se(r);
    report_coefmat m = {.rows = p, .names = names, .n_est = 2,
                        .est = {survkit_glm_result_coef(r), se},
                        .statistic = survkit_glm_result_z(r), .pvalue = survkit_glm_result_pvalue(r),
                        .header = {"Estimate", "Std. Error", "z value", "Pr(>|z|)"},
                        .digits = DIGITS, .stars = true};
    report_coefmat_print(out, &m);
    free(names);
    if (survkit_glm_result_is_robust(r))
        fprintf(out, "(Std. Error: cluster-robust over %zu clusters, as sandwich::vcovCL(type = "
                     "\"HC0\", cadjust = FALSE))\n", survkit_glm_result_n_clusters(r));

    fputs("\n(Dispersion parameter for binomial family taken to be 1)\n\n", out);
    double dev[2] = {survkit_glm_result_null_deviance(r), survkit_glm_result_deviance(r)};
    double df[2] = {survkit_glm_result_df_null(r), survkit_glm_result_df_residual(r)};
    char dcell[2][CELL], fcell[2][CELL];
    char *dptr[2] = {dcell[0], dcell[1]}, *fptr[2] = {fcell[0], fcell[1]};
    rformat_column(dev, 2, DIGITS + 1 > 5 ? DIGITS + 1 : 5, dptr, CELL);
    rformat_column(df, 2, 7, fptr, CELL);
    fprintf(out, "    Null deviance: %s  on %s  degrees of freedom\n", dcell[0], fcell[0]);
    fprintf(out, "Residual deviance: %s  on %s  degrees of freedom\n", dcell[1], fcell[1]);
    if (info && info->n_dropped > 0)
        fprintf(out, "  (%zu observation%s deleted due to missingness)\n", info->n_dropped,
                info->n_dropped == 1 ? "" : "s");
    char aic[CELL];
    rformat_number(survkit_glm_result_aic(r), DIGITS + 1, aic, sizeof aic);
    fprintf(out, "AIC: %s\n\nNumber of Fisher Scoring iterations: %d\n\n", aic,
            survkit_glm_result_iterations(r));
}

static void json_matrix(json_writer *w, const char *key, const double *m, size_t p)
{
    json_array_begin(w, key);
    for (size_t i = 0; i < p; i++) {
        json_array_begin(w, NULL);
        for (size_t j = 0; j < p; j++) json_number(w, NULL, m[i + j * p]);
        json_array_end(w);
    }
    json_array_end(w);
}

void report_glm_json_members(json_writer *w, const survkit_glm_result *r)
{
    const size_t p = survkit_glm_result_p(r);
    const double *rse = survkit_glm_result_robust_se(r);
    json_array_begin(w, "terms");
    for (size_t j = 0; j < p; j++) {
        json_object_begin(w, NULL);
        json_string(w, "name", survkit_glm_result_name(r, j));
        json_number(w, "coef", survkit_glm_result_coef(r)[j]);
        json_number(w, "se", survkit_glm_result_se(r)[j]);
        if (rse) json_number(w, "robust_se", rse[j]);
        json_number(w, "z", survkit_glm_result_z(r)[j]);
        json_number(w, "p", survkit_glm_result_pvalue(r)[j]);
        json_object_end(w);
    }
    json_array_end(w);
    json_number(w, "deviance", survkit_glm_result_deviance(r));
    json_number(w, "null_deviance", survkit_glm_result_null_deviance(r));
    json_number(w, "aic", survkit_glm_result_aic(r));
}

void report_glm_json(FILE *out, const survkit_glm_result *r, const report_glm_info *info)
{
    const size_t p = survkit_glm_result_p(r);
    json_writer w;
    json_init(&w, out);
    json_object_begin(&w, NULL);
    json_string(&w, "command", "glm");
    json_string(&w, "family", "binomial");
    json_string(&w, "link", survkit_glm_link_name(survkit_glm_result_link(r)));
    json_integer(&w, "n", (long long)survkit_glm_result_n(r));
    if (info) json_integer(&w, "n_dropped", (long long)info->n_dropped);
    report_glm_json_members(&w, r);
    json_matrix(&w, "vcov", survkit_glm_result_vcov(r), p);
    if (survkit_glm_result_naive_vcov(r)) {
        json_matrix(&w, "naive_vcov", survkit_glm_result_naive_vcov(r), p);
        json_integer(&w, "n_clusters", (long long)survkit_glm_result_n_clusters(r));
    }
    json_number(&w, "df_residual", survkit_glm_result_df_residual(r));
    json_number(&w, "df_null", survkit_glm_result_df_null(r));
    json_integer(&w, "rank", (long long)survkit_glm_result_rank(r));
    json_integer(&w, "iterations", survkit_glm_result_iterations(r));
    json_bool(&w, "converged", survkit_glm_result_converged(r));
    json_bool(&w, "robust", survkit_glm_result_is_robust(r));
    json_array_begin(&w, "warnings");
    for (size_t k = 0; k < survkit_glm_result_n_warnings(r); k++)
        json_string(&w, NULL, survkit_glm_result_warning(r, k));
    json_array_end(&w);
    if (info) report_timings_json(&w, info->timings);
    json_object_end(&w);
    json_finish(&w);
}

void report_glm_csv(FILE *out, const survkit_glm_result *r)
{
    const size_t p = survkit_glm_result_p(r);
    const double *rse = survkit_glm_result_robust_se(r);
    fprintf(out, "term,coef,se,%sz,p\n", rse ? "robust_se," : "");
    for (size_t j = 0; j < p; j++) {
        csv_text(out, survkit_glm_result_name(r, j), true);
        const double cells[5] = {survkit_glm_result_coef(r)[j], survkit_glm_result_se(r)[j],
                                 rse ? rse[j] : NAN, survkit_glm_result_z(r)[j],
                                 survkit_glm_result_pvalue(r)[j]};
        for (size_t c = 0; c < 5; c++) {
            if (c == 2 && !rse) continue;
            fputc(',', out);
            csv_number(out, cells[c]);
        }
        fputc('\n', out);
    }
}
