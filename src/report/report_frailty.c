/*
 * report_frailty.c: a shared-frailty Cox fit as R's print.coxph.penal prints it, as the JSON of
 * the CLI contract (docs/spec: "Penalised terms in cox"), as CSV of the printed table, and the
 * estimated frailties per group as CSV.
 *
 * print.coxph.penal sets options(digits = 3) and calls printCoefmat(signif.stars = FALSE,
 * na.print = "") on the columns coef | se(coef) | se2 | Chisq | DF | p, so with digits = 3:
 *  - coef, se(coef), se2 and Chisq are the estimate columns: rounded together to
 *    max(1, 3 - digmin) decimals, digmin = 1 + floor(log10(smallest non-zero |value|)), then
 *    formatted together (format(x, digits = 3)); a non-zero value that prints as 0 is formatted
 *    alone with 2 digits;
 *  - DF is round(df, 2) formatted with 3 digits; p by format.pval with 2 digits;
 *  - NA cells (the frailty row's coef, se and se2) print as nothing.
 * The lines after it: the iterations, "Variance of random effect= format(theta)   I-likelihood =
 * format(round(c.loglik, 1), digits = 10)" (gamma; the gaussian's line stops at theta), the df rounded to 1 decimal formatted together, the
 * likelihood-ratio test (its df = round(sum(df), 2) printed with 3 digits, p by format.pval with
 * 1 digit), n and the number of events.
 */
#include "report_frailty.h"
#include "csv.h"
#include "json.h"
#include "report_timings.h"
#include "rformat.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { CELL = 64, COLS = 6, DIGITS = 3 };

static double round_to(double x, int d)
{
    double s = pow(10.0, d);
    return nearbyint(x * s) / s;
}

/* The rows of R's table: the coefficients (a pspline() term's "linear" and "nonlin" rows in
 * place of its columns) with the frailty term at its place in the formula; NaN for R's NA. */
typedef struct table_rows {
    size_t rows;
    const char **names;
    double *x;    /* rows x COLS, column-major */
    char *labels; /* the pspline rows' names, PS_LABEL bytes each */
} table_rows;

enum { PS_LABEL = 512 };

/* The pspline() term whose first column is j, or n_pspline. */
static size_t pspline_at(const survkit_frailty_result *r, size_t j, size_t *count)
{
    const size_t nps = survkit_frailty_result_n_pspline(r);
    for (size_t k = 0; k < nps; k++) {
        size_t first;
        survkit_frailty_result_pspline_columns(r, k, &first, count);
        if (first == j) return k;
    }
    return nps;
}

static bool build_rows(const survkit_frailty_result *r, table_rows *t)
{
    const size_t p = survkit_frailty_result_p(r), nps = survkit_frailty_result_n_pspline(r);
    const bool frail = survkit_frailty_result_n_groups(r) > 0; /* else ridge() alone */
    size_t rows = frail;
    for (size_t j = 0; j < p; rows++) {
        size_t count = 0;
        if (pspline_at(r, j, &count) < nps) rows++, j += count;
        else j++;
    }
    t->rows = rows;
    t->names = calloc(rows, sizeof *t->names);
    t->x = calloc(rows * COLS, sizeof(double));
    t->labels = calloc(2 * nps + 1, PS_LABEL);
    if (t->names == NULL || t->x == NULL || t->labels == NULL) {
        free(t->names), free(t->x), free(t->labels);
        return false;
    }
    /* the frailty row comes before the coefficient whose index is the number of coefficients
     * of the terms before it */
    const size_t at = frail ? survkit_frailty_result_frailty_row(r) : SIZE_MAX;
    size_t i = 0;
    bool placed = false;
    for (size_t j = 0; j <= p; i++) {
        if (j == at && !placed) { /* R's frailty row: no coefficient, its chi-square, df and p */
            t->names[i] = survkit_frailty_result_term(r);
            t->x[i] = t->x[i + rows] = t->x[i + 2 * rows] = NAN;
            survkit_frailty_result_frailty_test(r, &t->x[i + 3 * rows], &t->x[i + 4 * rows],
                                                &t->x[i + 5 * rows]);
            placed = true;
            continue;
        }
        if (j == p) break;
        size_t count = 0;
        const size_t k = pspline_at(r, j, &count);
        if (k < nps) { /* pspline's printfun: "<term>, linear" and "<term>, nonlin" */
            const double *ps = survkit_frailty_result_pspline_rows(r, k);
            for (size_t q = 0; q < 2; q++) {
                char *label = t->labels + (2 * k + q) * PS_LABEL;
                snprintf(label, PS_LABEL, "%s, %s", survkit_frailty_result_pspline_term(r, k),
                         q == 0 ? "linear" : "nonlin");
                t->names[i + q] = label;
                for (size_t c = 0; c < COLS; c++) t->x[i + q + c * rows] = ps[6 * q + c];
            }
            i++;
            j += count;
            continue;
        }
        t->names[i] = survkit_frailty_result_name(r, j);
        t->x[i] = survkit_frailty_result_coef(r)[j];
        t->x[i + rows] = survkit_frailty_result_se(r)[j];
        t->x[i + 2 * rows] = survkit_frailty_result_se2(r)[j];
        t->x[i + 3 * rows] = survkit_frailty_result_chisq(r)[j];
        t->x[i + 4 * rows] = 1;
        t->x[i + 5 * rows] = survkit_frailty_result_pvalue(r)[j];
        j++;
    }
    return true;
}

static void free_rows(table_rows *t) { free(t->names), free(t->x), free(t->labels); }

/* printCoefmat's cells for the table (see the top of the file). */
static void format_cells(const table_rows *t, char (*cell)[CELL])
{
    const size_t rows = t->rows, ncs = 4 * rows;
    double *vals = malloc((ncs + rows) * sizeof(double));
    char **ptr = malloc((ncs + rows) * sizeof *ptr);
    size_t *where = malloc((ncs + rows) * sizeof *where);
    if (vals == NULL || ptr == NULL || where == NULL) {
        free(vals), free(ptr), free(where);
        return;
    }
    double amin = INFINITY;
    for (size_t k = 0; k < ncs; k++) {
        const double a = fabs(t->x[k]);
        if (isfinite(a) && a != 0 && a < amin) amin = a;
    }
    const int digmin = isfinite(amin) ? 1 + (int)floor(log10(amin)) : 1;
    const int dec = DIGITS - digmin > 1 ? DIGITS - digmin : 1;
    size_t m = 0;
    for (size_t k = 0; k < ncs; k++) {
        if (isnan(t->x[k])) continue;
        vals[m] = round_to(t->x[k], dec);
        where[m] = k;
        ptr[m] = cell[k];
        m++;
    }
    (void)rformat_column(vals, m, DIGITS, ptr, CELL);
    for (size_t q = 0; q < m; q++) { /* a non-zero value printed as 0 */
        const double x = t->x[where[q]];
        if (x != 0 && strtod(cell[where[q]], NULL) == 0)
            rformat_number(x, DIGITS - 1, cell[where[q]], CELL);
    }
    for (size_t i = 0; i < rows; i++) {
        vals[i] = round_to(t->x[i + 4 * rows], 2);
        ptr[i] = cell[i + 4 * rows];
    }
    (void)rformat_column(vals, rows, DIGITS, ptr, CELL);
    for (size_t i = 0; i < rows; i++) ptr[i] = cell[i + 5 * rows];
    rformat_pvalues(t->x + 5 * rows, rows, 2, ptr, CELL);
    for (size_t k = 0; k < rows * COLS; k++)
        if (isnan(t->x[k])) cell[k][0] = '\0';
    free(vals), free(ptr), free(where);
}

static void print_table(FILE *out, const table_rows *t)
{
    static const char *const header[COLS] = {"coef", "se(coef)", "se2", "Chisq", "DF", "p"};
    const size_t rows = t->rows;
    char (*cell)[CELL] = calloc(rows * COLS, CELL);
    if (cell == NULL) return;
    format_cells(t, cell);
    char (*name)[26] = calloc(rows, 26); /* R's substring(name, 1, 25) */
    if (name == NULL) {
        free(cell);
        return;
    }
    size_t name_w = 0, width[COLS];
    for (size_t i = 0; i < rows; i++) {
        snprintf(name[i], 26, "%s", t->names[i]);
        if (strlen(name[i]) > name_w) name_w = strlen(name[i]);
    }
    for (size_t j = 0; j < COLS; j++) {
        width[j] = strlen(header[j]);
        for (size_t i = 0; i < rows; i++)
            if (strlen(cell[i + j * rows]) > width[j]) width[j] = strlen(cell[i + j * rows]);
    }
    fprintf(out, "%*s", (int)name_w, "");
    for (size_t j = 0; j < COLS; j++) fprintf(out, " %*s", (int)width[j], header[j]);
    fputc('\n', out);
    for (size_t i = 0; i < rows; i++) {
        fprintf(out, "%-*s", (int)name_w, name[i]);
        for (size_t j = 0; j < COLS; j++) fprintf(out, " %*s", (int)width[j], cell[i + j * rows]);
        fputc('\n', out);
    }
    free(cell), free(name);
}

/* The frailty's printfun line: "Variance of random effect= theta" and, for the gamma,
 * "   I-likelihood = round(c.loglik, 1)". */
static void print_frailty_line(FILE *out, const survkit_frailty_result *r)
{
    char a[CELL], b[CELL];
    rformat_number(survkit_frailty_result_theta(r), DIGITS, a, sizeof a);
    if (survkit_frailty_result_distribution(r) == SURVKIT_FRAILTY_GAUSSIAN) {
        fprintf(out, "     Variance of random effect= %s \n", a); /* frailty.gaussian's printfun */
    } else {
        rformat_number(round_to(survkit_frailty_result_c_loglik(r), 1), 10, b, sizeof b);
        fprintf(out, "     Variance of random effect= %s   I-likelihood = %s \n", a, b);
    }
}

void report_frailty_text(FILE *out, const survkit_frailty_result *r, const report_cox_info *info)
{
    fprintf(out, "Call:\n%s\n\n", info && info->call ? info->call : "coxph()");
    table_rows t;
    if (!build_rows(r, &t)) return;
    print_table(out, &t);
    free_rows(&t);
    fprintf(out, "\nIterations: %d outer, %d Newton-Raphson\n",
            survkit_frailty_result_outer_iterations(r), survkit_frailty_result_iterations(r));
    /* print.coxph.penal prints each term's printfun line in the formula's order: a pspline's
     * "Theta=" before the frailty's line when its columns come before the frailty's row */
    const bool frail = survkit_frailty_result_n_groups(r) > 0; /* ridge() has no printfun */
    const size_t at = frail ? survkit_frailty_result_frailty_row(r) : SIZE_MAX;
    bool frail_done = !frail;
    char a[CELL], b[CELL];
    for (size_t k = 0; k <= survkit_frailty_result_n_pspline(r); k++) {
        size_t first = SIZE_MAX, count = 0;
        if (k < survkit_frailty_result_n_pspline(r))
            survkit_frailty_result_pspline_columns(r, k, &first, &count);
        if (!frail_done && first >= at) {
            print_frailty_line(out, r);
            frail_done = true;
        }
        if (first == SIZE_MAX) break;
        rformat_number(survkit_frailty_result_pspline_theta(r, k), DIGITS, a, sizeof a);
        fprintf(out, "     Theta= %s \n", a);
    }
    const size_t ndf = survkit_frailty_result_n_df(r);
    double *df = malloc(ndf * sizeof(double));
    char **ptr = malloc(ndf * sizeof *ptr);
    char (*cells)[CELL] = calloc(ndf, CELL);
    if (df && ptr && cells) {
        for (size_t k = 0; k < ndf; k++) {
            df[k] = round_to(survkit_frailty_result_df(r)[k], 1);
            ptr[k] = cells[k];
        }
        (void)rformat_column(df, ndf, DIGITS, ptr, CELL);
        fprintf(out, "Degrees of freedom for terms=");
        for (size_t k = 0; k < ndf; k++) fprintf(out, " %s", cells[k]);
        fprintf(out, " \n");
    }
    free(df), free(ptr), free(cells);
    double stat, ldf, pv;
    survkit_frailty_result_lr_test(r, &stat, &ldf, &pv);
    char c[CELL];
    rformat_number(round_to(stat, 2), DIGITS, a, sizeof a);
    rformat_number(ldf, DIGITS, b, sizeof b);
    rformat_pvalue(pv, 1, c, sizeof c);
    fprintf(out, "Likelihood ratio test=%s  on %s df, p=%s\n", a, b, c);
    fprintf(out, "n= %zu, number of events= %.7g \n", survkit_frailty_result_n(r),
            survkit_frailty_result_n_events(r));
    if (info && info->n_dropped > 0)
        fprintf(out, "   (%zu observation%s deleted due to missingness)\n", info->n_dropped,
                info->n_dropped == 1 ? "" : "s");
}

/* "pspline": one object per term: its label, theta (the one R prints), df, the target df when
 * theta was searched for, and the search's history. */
static void report_pspline_json(json_writer *w, const survkit_frailty_result *r)
{
    json_array_begin(w, "pspline");
    for (size_t k = 0; k < survkit_frailty_result_n_pspline(r); k++) {
        json_object_begin(w, NULL);
        json_string(w, "term", survkit_frailty_result_pspline_term(r, k));
        json_number(w, "theta", survkit_frailty_result_pspline_theta(r, k));
        json_number(w, "df", survkit_frailty_result_pspline_df(r, k));
        json_array_begin(w, "history");
        for (size_t i = 0; i < survkit_frailty_result_pspline_n_history(r, k); i++) {
            double th, df;
            survkit_frailty_result_pspline_history(r, k, i, &th, &df);
            json_object_begin(w, NULL);
            json_number(w, "theta", th);
            json_number(w, "df", df);
            json_object_end(w);
        }
        json_array_end(w);
        json_object_end(w);
    }
    json_array_end(w);
}

void report_frailty_json(FILE *out, const survkit_frailty_result *r, const report_cox_info *info)
{
    const size_t p = survkit_frailty_result_p(r);
    json_writer w;
    json_init(&w, out);
    json_object_begin(&w, NULL);
    json_string(&w, "command", "cox");
    json_string(&w, "ties", survkit_frailty_result_ties(r) == SURVKIT_COX_BRESLOW ? "breslow"
                                                                                 : "efron");
    json_integer(&w, "n", (long long)survkit_frailty_result_n(r));
    json_number(&w, "events", survkit_frailty_result_n_events(r));
    json_number(&w, "loglik_null", survkit_frailty_result_loglik_null(r));
    json_array_begin(&w, "terms");
    for (size_t j = 0; j < p; j++) {
        const double b = survkit_frailty_result_coef(r)[j], se = survkit_frailty_result_se(r)[j];
        json_object_begin(&w, NULL);
        json_string(&w, "name", survkit_frailty_result_name(r, j));
        json_number(&w, "coef", b);
        json_number(&w, "exp_coef", exp(b));
        json_number(&w, "se", se);
        json_number(&w, "se2", survkit_frailty_result_se2(r)[j]);
        json_number(&w, "z", b / se);
        json_number(&w, "p", survkit_frailty_result_pvalue(r)[j]);
        json_object_end(&w);
    }
    json_array_end(&w);
    json_square_matrix(&w, "vcov", survkit_frailty_result_vcov(r), p);
    json_square_matrix(&w, "vcov2", survkit_frailty_result_vcov2(r), p);
    /* robust (R's coxph with cluster(), robust = TRUE or fractional weights): vcov and se are
     * R's robust var, naive_vcov its naive.var, robust_score its rscore */
    json_bool(&w, "robust", survkit_frailty_result_is_robust(r));
    if (survkit_frailty_result_is_robust(r)) {
        json_square_matrix(&w, "naive_vcov", survkit_frailty_result_naive_vcov(r), p);
        json_number(&w, "robust_score", survkit_frailty_result_robust_score(r));
    }
    table_rows t;
    if (build_rows(r, &t)) {
        static const char *const keys[COLS] = {"coef", "se", "se2", "chisq", "df", "p"};
        json_array_begin(&w, "table");
        for (size_t i = 0; i < t.rows; i++) {
            json_object_begin(&w, NULL);
            json_string(&w, "name", t.names[i]);
            for (size_t j = 0; j < COLS; j++) json_number(&w, keys[j], t.x[i + j * t.rows]);
            json_object_end(&w);
        }
        json_array_end(&w);
        free_rows(&t);
    }
    if (survkit_frailty_result_n_groups(r) > 0) {
    json_object_begin(&w, "frailty");
    json_string(&w, "term", survkit_frailty_result_term(r));
    json_string(&w, "distribution",
                survkit_frailty_result_distribution(r) == SURVKIT_FRAILTY_GAMMA ? "gamma"
                                                                                : "gaussian");
    json_number(&w, "variance", survkit_frailty_result_theta(r));
    json_number(&w, "i_likelihood", survkit_frailty_result_c_loglik(r));
    json_integer(&w, "groups", (long long)survkit_frailty_result_n_groups(r));
    /* R's dense form (sparse = FALSE, or 5 groups or fewer): the frailties are coefficients */
    json_bool(&w, "sparse", !survkit_frailty_result_is_dense(r));
    json_array_begin(&w, "history");
    for (size_t k = 0; k < survkit_frailty_result_n_history(r); k++) {
        double th, ll, cl;
        survkit_frailty_result_history(r, k, &th, &ll, &cl);
        json_object_begin(&w, NULL);
        json_number(&w, "theta", th);
        json_number(&w, "loglik", ll);
        json_number(&w, "c_loglik", cl);
        json_object_end(&w);
    }
    json_array_end(&w);
    json_object_end(&w);
    }
    if (survkit_frailty_result_n_pspline(r) > 0) report_pspline_json(&w, r);
    json_number_array(&w, "df", survkit_frailty_result_df(r), survkit_frailty_result_n_df(r));
    const double ll[2] = {survkit_frailty_result_loglik_null(r), survkit_frailty_result_loglik(r)};
    json_number_array(&w, "loglik", ll, 2);
    json_number(&w, "penalty", survkit_frailty_result_penalty(r));
    json_number(&w, "penalty_first", survkit_frailty_result_penalty_first(r));
    double stat, df, pv;
    survkit_frailty_result_lr_test(r, &stat, &df, &pv);
    json_object_begin(&w, "tests");
    json_object_begin(&w, "lr");
    json_number(&w, "stat", stat);
    json_number(&w, "df", df);
    json_number(&w, "p", pv);
    json_object_end(&w);
    json_object_end(&w);
    json_integer(&w, "iterations", survkit_frailty_result_iterations(r));
    json_integer(&w, "outer_iterations", survkit_frailty_result_outer_iterations(r));
    if (survkit_frailty_result_n_warnings(r) > 0) {
        json_array_begin(&w, "warnings");
        for (size_t k = 0; k < survkit_frailty_result_n_warnings(r); k++)
            json_string(&w, NULL, survkit_frailty_result_warning(r, k));
        json_array_end(&w);
    }
    if (info) report_timings_json(&w, info->timings);
    json_object_end(&w);
    json_finish(&w);
}

void report_frailty_csv(FILE *out, const survkit_frailty_result *r)
{
    table_rows t;
    if (!build_rows(r, &t)) return;
    fprintf(out, "term,coef,se,se2,chisq,df,p\n");
    for (size_t i = 0; i < t.rows; i++) {
        csv_text(out, t.names[i], true);
        for (size_t j = 0; j < COLS; j++) {
            fputc(',', out);
            csv_number(out, t.x[i + j * t.rows]);
        }
        fputc('\n', out);
    }
    free_rows(&t);
}

void report_frailty_frail_csv(FILE *out, const survkit_frailty_result *r)
{
    fprintf(out, "group,frail,fvar\n");
    const double *f = survkit_frailty_result_frail(r), *v = survkit_frailty_result_fvar(r);
    for (size_t g = 0; g < survkit_frailty_result_n_groups(r); g++) {
        csv_text(out, survkit_frailty_result_group(r, g), true);
        fputc(',', out);
        csv_number(out, f[g]);
        fputc(',', out);
        csv_number(out, v[g]);
        fputc('\n', out);
    }
}
