/*
 * report_cox.c: the Cox fit as R's print(summary(coxph)) prints it (digits = 4, printCoefmat's
 * column rules), as the JSON object of the CLI contract, and as CSV.
 *
 * printCoefmat, for the table coef | exp(coef) | se(coef) | [robust se] | z | Pr(>|z|):
 *  - the estimate columns are rounded together to max(1, 4 - digmin) decimals, digmin = 1 +
 *    floor(log10(smallest non-zero |value|)) (R takes the max over the range, i.e. the smallest
 *    magnitude wins), then formatted together (one layout for all of them); a
 *    non-zero value that prints as zero is formatted alone with 3 digits;
 *  - z is round(z, 3) formatted with 4 digits; p-values by format.pval with 3 digits (values
 *    >= 1e-3 in fixed notation as one group, smaller ones as another);
 *  - significance stars when some p < 0.1; print.default right-aligns every column.
 */
#include "csv.h"
#include "report_cox.h"
#include "report_timings.h"
#include "json.h"
#include "rformat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { CELL = 64, DIGITS = 4 };

const char *report_cox_ties_name(survkit_cox_ties ties)
{
    switch (ties) {
    case SURVKIT_COX_BRESLOW: return "breslow";
    case SURVKIT_COX_EXACT: return "exact";
    default: return "efron";
    }
}

/* R's round(x, d) for the small d used here. */
static double round_to(double x, int d)
{
    double s = pow(10.0, d);
    return nearbyint(x * s) / s;
}

/* A table of strings: rows x cols cells, column headers, row names. */
typedef struct text_table {
    size_t rows, cols;
    char (*cell)[CELL];
    const char **header;
} text_table;

static char *cell(text_table *t, size_t i, size_t j) { return t->cell[i + j * t->rows]; }

/* print.default of a character matrix: row names left, every column right-aligned, one space. */
static void print_table(FILE *out, text_table *t, const survkit_cox_result *r)
{
    size_t name_w = 0;
    for (size_t i = 0; i < t->rows; i++) {
        size_t w = strlen(survkit_cox_result_name(r, i));
        if (w > name_w) name_w = w;
    }
    size_t *width = calloc(t->cols, sizeof *width);
    if (width == NULL) return;
    for (size_t j = 0; j < t->cols; j++) {
        width[j] = strlen(t->header[j]);
        for (size_t i = 0; i < t->rows; i++)
            if (strlen(cell(t, i, j)) > width[j]) width[j] = strlen(cell(t, i, j));
    }
    fprintf(out, "%*s", (int)name_w, "");
    for (size_t j = 0; j < t->cols; j++) fprintf(out, " %*s", (int)width[j], t->header[j]);
    fputc('\n', out);
    for (size_t i = 0; i < t->rows; i++) {
        fprintf(out, "%-*s", (int)name_w, survkit_cox_result_name(r, i));
        for (size_t j = 0; j < t->cols; j++) fprintf(out, " %*s", (int)width[j], cell(t, i, j));
        fputc('\n', out);
    }
    free(width);
}

/* Format n values jointly (R's format(x, digits)) into cells, NaN as "NA". */
static void format_joint(const double *x, size_t n, int digits, char (*cells)[CELL])
{
    char **ptr = malloc((n ? n : 1) * sizeof *ptr);
    if (ptr == NULL) return;
    for (size_t i = 0; i < n; i++) ptr[i] = cells[i];
    rformat_column(x, n, digits, ptr, CELL);
    free(ptr);
}

/* R's format.pval of a vector (rformat_pvalues) into cells. */
static void format_pvalues(const double *p, size_t n, int digits, char (*cells)[CELL])
{
    char **ptr = malloc((n ? n : 1) * sizeof *ptr);
    if (ptr == NULL) return;
    for (size_t i = 0; i < n; i++) ptr[i] = cells[i];
    rformat_pvalues(p, n, digits, ptr, CELL);
    free(ptr);
}

static void print_coef_table(FILE *out, const survkit_cox_result *r)
{
    const size_t p = survkit_cox_result_p(r);
    const bool robust = survkit_cox_result_robust_se(r) != NULL;
    const size_t ncs = robust ? 4 : 3, cols = ncs + 3;
    const double *pv = survkit_cox_result_pvalue(r);
    text_table t = {p, cols, calloc(p * cols + 1, CELL), NULL};
    const char *hdr_plain[] = {"coef", "exp(coef)", "se(coef)", "z", "Pr(>|z|)", ""};
    const char *hdr_robust[] = {"coef", "exp(coef)", "se(coef)", "robust se", "z", "Pr(>|z|)", ""};
    t.header = robust ? hdr_robust : hdr_plain;
    double *cs = malloc((p * ncs + 1) * sizeof *cs);
    if (t.cell == NULL || cs == NULL) goto done;

    const double *src[4] = {survkit_cox_result_coef(r), survkit_cox_result_exp_coef(r),
                            survkit_cox_result_se(r), survkit_cox_result_robust_se(r)};
    double amin = 0;
    bool any = false;
    for (size_t c = 0; c < ncs; c++)
        for (size_t i = 0; i < p; i++) {
            double a = fabs(src[c][i]);
            cs[i + c * p] = src[c][i];
            if (isfinite(a) && a != 0) {
                if (!any || a < amin) amin = a;
                any = true;
            }
        }
    int digmin = 1 + (any ? (int)floor(log10(amin)) : 0);
    int dec = DIGITS - digmin > 1 ? DIGITS - digmin : 1;
    double *rounded = malloc((p * ncs + 1) * sizeof *rounded);
    if (rounded == NULL) goto done;
    for (size_t k = 0; k < p * ncs; k++) rounded[k] = round_to(cs[k], dec);
    format_joint(rounded, p * ncs, DIGITS, t.cell);
    for (size_t k = 0; k < p * ncs; k++) /* a non-zero value shown as zero: alone, 3 digits */
        if (cs[k] != 0 && !isnan(cs[k]) && strtod(t.cell[k], NULL) == 0)
            rformat_number(cs[k], DIGITS - 1, t.cell[k], CELL);
    free(rounded);

    double *z = malloc((p + 1) * sizeof *z);
    if (z == NULL) goto done;
    for (size_t i = 0; i < p; i++) z[i] = round_to(survkit_cox_result_z(r)[i], DIGITS - 1);
    format_joint(z, p, DIGITS, &t.cell[ncs * p]);
    free(z);
    format_pvalues(pv, p, DIGITS - 1, &t.cell[(ncs + 1) * p]);

    bool stars = false;
    size_t star_w = 0;
    for (size_t i = 0; i < p; i++) stars = stars || (!isnan(pv[i]) && pv[i] < 0.1);
    if (stars) {
        for (size_t i = 0; i < p; i++) {
            const char *s = isnan(pv[i]) ? "" : pv[i] < 0.001 ? "***" : pv[i] < 0.01 ? "**"
                            : pv[i] < 0.05 ? "*" : pv[i] < 0.1 ? "." : " ";
            snprintf(cell(&t, i, cols - 1), CELL, "%s", s);
            if (strlen(s) > star_w) star_w = strlen(s);
        }
        for (size_t i = 0; i < p; i++) { /* format(): left-justified to a common width */
            char *c = cell(&t, i, cols - 1);
            size_t len = strlen(c);
            while (len < star_w) c[len++] = ' ';
            c[len] = '\0';
        }
    } else {
        t.cols = cols - 1;
    }
    print_table(out, &t, r);
    if (stars)
        fprintf(out, "---\nSignif. codes:  0 \u2018***\u2019 0.001 \u2018**\u2019 0.01 \u2018*\u2019 "
                     "0.05 \u2018.\u2019 0.1 \u2018 \u2019 1\n");
done:
    free(t.cell);
    free(cs);
}

static void print_conf_table(FILE *out, const survkit_cox_result *r)
{
    const size_t p = survkit_cox_result_p(r);
    char lower[48], upper[48];
    double level = round_to(100 * survkit_cox_result_conf_level(r), 2);
    snprintf(lower, sizeof lower, "lower .%.15g", level);
    snprintf(upper, sizeof upper, "upper .%.15g", level);
    const char *hdr[] = {"exp(coef)", "exp(-coef)", lower, upper};
    text_table t = {p, 4, calloc(4 * p + 1, CELL), hdr};
    double *col = malloc((p + 1) * sizeof *col);
    if (t.cell == NULL || col == NULL) goto done;
    const double *e = survkit_cox_result_exp_coef(r);
    for (size_t i = 0; i < p; i++) col[i] = e[i];
    format_joint(col, p, DIGITS, &t.cell[0]);
    for (size_t i = 0; i < p; i++) col[i] = exp(-survkit_cox_result_coef(r)[i]);
    format_joint(col, p, DIGITS, &t.cell[p]);
    format_joint(survkit_cox_result_lower(r), p, DIGITS, &t.cell[2 * p]);
    format_joint(survkit_cox_result_upper(r), p, DIGITS, &t.cell[3 * p]);
    print_table(out, &t, r);
done:
    free(t.cell);
    free(col);
}

/* format(round(x, d)) with the digits = 4 option print.summary.coxph sets. */
static void rounded4(double x, int d, char *buf, size_t size)
{
    rformat_number(round_to(x, d), DIGITS, buf, size);
}

void report_cox_text(FILE *out, const survkit_cox_result *r, const report_cox_info *info)
{
    fprintf(out, "Call:\n%s\n\n", info && info->call ? info->call : "coxph()");
    fprintf(out, "  n= %zu, number of events= %.7g \n", survkit_cox_result_n(r),
            survkit_cox_result_n_events(r));
    if (info && info->n_dropped > 0)
        fprintf(out, "   (%zu observation%s deleted due to missingness)\n", info->n_dropped,
                info->n_dropped == 1 ? "" : "s");
    if (survkit_cox_result_p(r) == 0) {
        fprintf(out, "   Null model\n");
        return;
    }
    fputc('\n', out);
    print_coef_table(out, r);
    fputc('\n', out);
    print_conf_table(out, r);
    fputc('\n', out);

    char a[CELL], b[CELL];
    rounded4(survkit_cox_result_concordance(r), 3, a, sizeof a);
    rounded4(survkit_cox_result_concordance_se(r), 3, b, sizeof b);
    fprintf(out, "Concordance= %s  (se = %s )\n", a, b);
    static const struct { survkit_cox_test_kind kind; const char *label; } lines[] = {
        {SURVKIT_COX_TEST_LR, "Likelihood ratio test= "},
        {SURVKIT_COX_TEST_WALD, "Wald test            = "},
        {SURVKIT_COX_TEST_SCORE, "Score (logrank) test = "},
    };
    for (size_t k = 0; k < 3; k++) {
        double stat, df, pv;
        if (!survkit_cox_result_test(r, lines[k].kind, &stat, &df, &pv)) continue;
        rounded4(stat, 2, a, sizeof a);
        rformat_pvalue(pv, 1, b, sizeof b);
        fprintf(out, "%s%s  on %.7g df,   p=%s", lines[k].label, a, df, b);
        if (k < 2) fputc('\n', out);
    }
    double stat, df, pv;
    if (survkit_cox_result_test(r, SURVKIT_COX_TEST_ROBUST_SCORE, &stat, &df, &pv)) {
        rounded4(stat, 2, a, sizeof a);
        rformat_pvalue(pv, 1, b, sizeof b);
        fprintf(out, ",   Robust = %s  p=%s\n\n", a, b);
    } else {
        fprintf(out, "\n\n");
    }
    if (survkit_cox_result_is_robust(r))
        fprintf(out, "  (Note: the likelihood ratio and score tests assume independence of\n"
                     "     observations within a cluster, the Wald and robust score tests do not).\n");
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

void report_cox_json(FILE *out, const survkit_cox_result *r, const report_cox_info *info)
{
    const size_t p = survkit_cox_result_p(r);
    const double *rse = survkit_cox_result_robust_se(r);
    json_writer w;
    json_init(&w, out);
    json_object_begin(&w, NULL);
    json_string(&w, "command", "cox");
    json_string(&w, "ties", report_cox_ties_name(survkit_cox_result_ties(r)));
    json_integer(&w, "n", (long long)survkit_cox_result_n(r));
    json_number(&w, "events", survkit_cox_result_n_events(r));
    if (info) json_integer(&w, "n_dropped", (long long)info->n_dropped);
    json_number(&w, "loglik_null", survkit_cox_result_loglik_null(r));
    json_number(&w, "loglik", survkit_cox_result_loglik(r));
    json_array_begin(&w, "terms");
    for (size_t j = 0; j < p; j++) {
        json_object_begin(&w, NULL);
        json_string(&w, "name", survkit_cox_result_name(r, j));
        json_number(&w, "coef", survkit_cox_result_coef(r)[j]);
        json_number(&w, "exp_coef", survkit_cox_result_exp_coef(r)[j]);
        json_number(&w, "se", survkit_cox_result_se(r)[j]);
        if (rse) json_number(&w, "robust_se", rse[j]);
        json_number(&w, "z", survkit_cox_result_z(r)[j]);
        json_number(&w, "p", survkit_cox_result_pvalue(r)[j]);
        json_number(&w, "lower", survkit_cox_result_lower(r)[j]);
        json_number(&w, "upper", survkit_cox_result_upper(r)[j]);
        json_object_end(&w);
    }
    json_array_end(&w);
    json_matrix(&w, "vcov", survkit_cox_result_vcov(r), p);
    if (survkit_cox_result_naive_vcov(r)) json_matrix(&w, "naive_vcov", survkit_cox_result_naive_vcov(r), p);
    json_object_begin(&w, "tests");
    static const struct { survkit_cox_test_kind kind; const char *key; } tests[] = {
        {SURVKIT_COX_TEST_LR, "lr"}, {SURVKIT_COX_TEST_WALD, "wald"},
        {SURVKIT_COX_TEST_SCORE, "score"}, {SURVKIT_COX_TEST_ROBUST_SCORE, "robust_score"}};
    for (size_t k = 0; k < 4; k++) {
        double stat, df, pv;
        if (!survkit_cox_result_test(r, tests[k].kind, &stat, &df, &pv)) continue;
        json_object_begin(&w, tests[k].key);
        json_number(&w, "stat", stat);
        json_number(&w, "df", df);
        json_number(&w, "p", pv);
        json_object_end(&w);
    }
    json_object_end(&w);
    json_object_begin(&w, "concordance");
    json_number(&w, "c", survkit_cox_result_concordance(r));
    json_number(&w, "se", survkit_cox_result_concordance_se(r));
    json_object_end(&w);
    json_number(&w, "aic", survkit_cox_result_aic(r));
    json_bool(&w, "robust", survkit_cox_result_is_robust(r));
    json_integer(&w, "iterations", survkit_cox_result_iterations(r));
    json_bool(&w, "converged", survkit_cox_result_converged(r));
    json_array_begin(&w, "warnings");
    for (size_t k = 0; k < survkit_cox_result_n_warnings(r); k++)
        json_string(&w, NULL, survkit_cox_result_warning(r, k));
    json_array_end(&w);
    if (info) report_timings_json(&w, info->timings);
    json_object_end(&w);
    json_finish(&w);
}

/* ",x": the next number cell of a row. */
static void comma_number(FILE *out, double x)
{
    fputc(',', out);
    csv_number(out, x);
}

void report_cox_csv(FILE *out, const survkit_cox_result *r)
{
    const size_t p = survkit_cox_result_p(r);
    const double *rse = survkit_cox_result_robust_se(r);
    fprintf(out, "term,coef,exp_coef,se,%sz,p,lower,upper\n", rse ? "robust_se," : "");
    for (size_t j = 0; j < p; j++) {
        const char *name = survkit_cox_result_name(r, j);
        csv_text(out, name, true);
        comma_number(out, survkit_cox_result_coef(r)[j]);
        comma_number(out, survkit_cox_result_exp_coef(r)[j]);
        comma_number(out, survkit_cox_result_se(r)[j]);
        if (rse) comma_number(out, rse[j]);
        comma_number(out, survkit_cox_result_z(r)[j]);
        comma_number(out, survkit_cox_result_pvalue(r)[j]);
        comma_number(out, survkit_cox_result_lower(r)[j]);
        comma_number(out, survkit_cox_result_upper(r)[j]);
        fputc('\n', out);
    }
}
