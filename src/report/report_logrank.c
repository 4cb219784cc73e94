/* report_logrank.c: print(survdiff)'s layout (digits 3), and the JSON object of the spec. */
#include "csv.h"
#include "report_logrank.h"
#include "report_timings.h"

#include "json.h"
#include "rformat.h"
#include "rmatrix.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void report_logrank_text(FILE *out, const survkit_logrank *lr, const report_logrank_options *opt)
{
    size_t k = survkit_logrank_n_groups(lr);
    const double *n = survkit_logrank_n(lr), *o = survkit_logrank_observed(lr),
                 *e = survkit_logrank_expected(lr), *v = survkit_logrank_variance(lr);
    double rho = survkit_logrank_rho(lr);
    char num[64];
    fprintf(out, "Call:\nsurvdiff(formula = %s", opt->formula ? opt->formula : "");
    if (rho != 0) {
        rformat_number(rho, 7, num, sizeof num);
        fprintf(out, ", rho = %s", num);
    }
    fprintf(out, ")\n\n");
    if (opt->n_dropped > 0) {
        double total = 0;
        for (size_t g = 0; g < k; g++) total += n[g];
        fprintf(out, "n=%.0f, %zu observation%s deleted due to missingness.\n\n", total,
                opt->n_dropped, opt->n_dropped == 1 ? "" : "s");
    }
    double *x = malloc((5 * k + 1) * sizeof *x);
    const char **rn = malloc((k + 1) * sizeof *rn);
    if (x && rn) {
        for (size_t g = 0; g < k; g++) {
            double d = o[g] - e[g];
            x[g] = n[g];
            x[k + g] = o[g];
            x[2 * k + g] = e[g];
            x[3 * k + g] = d * d / e[g];
            x[4 * k + g] = d * d / v[g * k + g];
            rn[g] = survkit_logrank_group_label(lr, g);
        }
        const char *cn[5] = {"N", "Observed", "Expected", "(O-E)^2/E", "(O-E)^2/V"};
        rmatrix_print(out, x, k, 5, rn, cn, 3);
    }
    free(x);
    free(rn);
    char chisq[64], p[64];
    rformat_number(round(survkit_logrank_chisq(lr) * 10) / 10, 3, chisq, sizeof chisq);
    /* print.survdiff: options(digits = 3), format.pval's digits = max(1, digits - 2) = 1 */
    rformat_pvalue(survkit_logrank_p(lr), 1, p, sizeof p);
    fprintf(out, "\n Chisq= %s  on %d degrees of freedom, p= %s \n", chisq, survkit_logrank_df(lr), p);

    size_t m = survkit_logrank_n_pairs(lr);
    if (m > 0) {
        const survkit_logrank_pair *pr = survkit_logrank_pairs(lr);
        fprintf(out, "\nPairwise comparisons (each pair's own survdiff; p adjusted over %zu pairs):\n", m);
        double *y = malloc((4 * m + 1) * sizeof *y);
        char **names = calloc(m + 1, sizeof *names);
        if (y && names) {
            for (size_t q = 0; q < m; q++) {
                const char *a = survkit_logrank_group_label(lr, pr[q].a),
                           *b = survkit_logrank_group_label(lr, pr[q].b);
                size_t len = strlen(a) + strlen(b) + 8;
                names[q] = malloc(len);
                if (names[q]) snprintf(names[q], len, "%s vs %s", a, b);
                y[q] = pr[q].chisq;
                y[m + q] = pr[q].p;
                y[2 * m + q] = pr[q].p_holm;
                y[3 * m + q] = pr[q].p_bh;
            }
            const char *cn[4] = {"Chisq", "p", "p.holm", "p.BH"};
            rmatrix_print(out, y, m, 4, (const char *const *)names, cn, 3);
            for (size_t q = 0; q < m; q++) free(names[q]);
        }
        free(names);
        free(y);
    }
    if (survkit_logrank_has_trend(lr)) {
        const double *sc = survkit_logrank_trend_scores(lr);
        fprintf(out, "\nTest for trend (scores");
        for (size_t g = 0; g < k; g++) {
            rformat_number(sc[g], 7, num, sizeof num);
            fprintf(out, "%s %s", g ? "," : "", num);
        }
        rformat_number(survkit_logrank_trend_chisq(lr), 3, chisq, sizeof chisq);
        rformat_pvalue(survkit_logrank_trend_p(lr), 3, p, sizeof p);
        fprintf(out, "):\n Chisq= %s  on 1 degrees of freedom, p= %s \n", chisq, p);
    }
}

void report_logrank_json(FILE *out, const survkit_logrank *lr, const report_logrank_options *opt)
{
    size_t k = survkit_logrank_n_groups(lr);
    json_writer w;
    json_init(&w, out);
    json_object_begin(&w, NULL);
    json_string(&w, "command", "logrank");
    json_number(&w, "rho", survkit_logrank_rho(lr));
    json_array_begin(&w, "labels");
    for (size_t g = 0; g < k; g++) json_string(&w, NULL, survkit_logrank_group_label(lr, g));
    json_array_end(&w);
    json_number_array(&w, "n", survkit_logrank_n(lr), k);
    json_number_array(&w, "observed", survkit_logrank_observed(lr), k);
    json_number_array(&w, "expected", survkit_logrank_expected(lr), k);
    json_array_begin(&w, "var");
    for (size_t g = 0; g < k; g++) json_number_array(&w, NULL, survkit_logrank_variance(lr) + g * k, k);
    json_array_end(&w);
    json_number(&w, "chisq", survkit_logrank_chisq(lr));
    json_integer(&w, "df", survkit_logrank_df(lr));
    json_number(&w, "p", survkit_logrank_p(lr));
    json_integer(&w, "n_strata", (long long)survkit_logrank_n_strata(lr));
    json_integer(&w, "n_dropped", (long long)opt->n_dropped);
    size_t m = survkit_logrank_n_pairs(lr);
    if (m > 0) {
        const survkit_logrank_pair *pr = survkit_logrank_pairs(lr);
        json_array_begin(&w, "pairwise");
        for (size_t q = 0; q < m; q++) {
            json_object_begin(&w, NULL);
            json_string(&w, "a", survkit_logrank_group_label(lr, pr[q].a));
            json_string(&w, "b", survkit_logrank_group_label(lr, pr[q].b));
            json_number(&w, "chisq", pr[q].chisq);
            json_integer(&w, "df", pr[q].df);
            json_number(&w, "p", pr[q].p);
            json_number(&w, "p_holm", pr[q].p_holm);
            json_number(&w, "p_bh", pr[q].p_bh);
            json_object_end(&w);
        }
        json_array_end(&w);
    }
    if (survkit_logrank_has_trend(lr)) {
        json_object_begin(&w, "trend");
        json_number_array(&w, "scores", survkit_logrank_trend_scores(lr), k);
        json_number(&w, "chisq", survkit_logrank_trend_chisq(lr));
        json_integer(&w, "df", 1);
        json_number(&w, "p", survkit_logrank_trend_p(lr));
        json_object_end(&w);
    }
    report_timings_json(&w, opt->timings);
    json_object_end(&w);
    json_finish(&w);
}

void report_logrank_csv(FILE *out, const survkit_logrank *lr)
{
    const size_t k = survkit_logrank_n_groups(lr);
    const double *n = survkit_logrank_n(lr), *o = survkit_logrank_observed(lr),
                 *e = survkit_logrank_expected(lr), *v = survkit_logrank_variance(lr);
    fputs("group,n,observed,expected,\"(O-E)^2/E\",\"(O-E)^2/V\"\n", out);
    for (size_t g = 0; g < k; g++) {
        const double d = o[g] - e[g];
        const double cells[5] = {n[g], o[g], e[g], d * d / e[g], d * d / v[g * k + g]};
        csv_text(out, survkit_logrank_group_label(lr, g), true);
        for (int c = 0; c < 5; c++) {
            fputc(',', out);
            csv_number(out, cells[c]);
        }
        fputc('\n', out);
    }
}
