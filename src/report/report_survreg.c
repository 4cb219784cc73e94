/*
 * report_survreg.c: a survreg fit as R's print(summary(survreg)) prints it (digits = 3,
 * printCoefmat without stars), as the JSON object of the CLI contract, and as CSV.
 */
#include "coefmat.h"
#include "csv.h"
#include "csv_rows.h"
#include "json.h"
#include "report_survreg.h"
#include "report_timings.h"
#include "rformat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { DIGITS = 3, CELL = 64 };

static double round_to(double x, int d)
{
    double s = pow(10.0, d);
    return nearbyint(x * s) / s;
}

/* print(x$scale, digits = 3) of a named vector: names over values, each right-aligned to the
 * wider of the two, every field followed by a space. */
static void print_named(FILE *out, const survkit_survreg_result *r)
{
    const size_t k = survkit_survreg_result_n_scales(r), p = survkit_survreg_result_p(r);
    char (*cells)[CELL] = calloc(k + 1, CELL);
    char **ptr = calloc(k + 1, sizeof *ptr);
    if (cells == NULL || ptr == NULL) goto done;
    for (size_t j = 0; j < k; j++) ptr[j] = cells[j];
    rformat_column(survkit_survreg_result_scale(r), k, DIGITS, ptr, CELL);
    for (size_t line = 0; line < 2; line++) {
        for (size_t j = 0; j < k; j++) {
            const char *name = survkit_survreg_result_name(r, p + j);
            const char *value = cells[j] + strspn(cells[j], " ");
            int w = (int)(strlen(name) > strlen(value) ? strlen(name) : strlen(value));
            fprintf(out, "%*s ", w, line == 0 ? name : value);
        }
        fputc('\n', out);
    }
done:
    free(cells);
    free(ptr);
}

void report_survreg_text(FILE *out, const survkit_survreg_result *r, const report_survreg_info *info)
{
    const size_t m = survkit_survreg_result_n_rows(r);
    const bool robust = survkit_survreg_result_is_robust(r);
    fprintf(out, "\nCall:\n%s\n", info && info->call ? info->call : "survreg()");
    const char **names = malloc((m + 1) * sizeof *names);
    if (names == NULL) return;
    for (size_t j = 0; j < m; j++) names[j] = survkit_survreg_result_name(r, j);
    report_coefmat cm = {.rows = m, .names = names, .n_est = robust ? 3 : 2,
                         .est = {survkit_survreg_result_coef(r), survkit_survreg_result_se(r),
                                 survkit_survreg_result_naive_se(r)},
                         .statistic = survkit_survreg_result_z(r),
                         .pvalue = survkit_survreg_result_pvalue(r),
                         .header = {"Value", "Std. Error", "z", "p"}, .digits = DIGITS};
    if (robust) { /* print.summary.survreg's titles with a robust variance */
        const char *rob[] = {"Value", "Std. Err", "(Naive SE)", "z", "p"};
        memcpy(cm.header, rob, sizeof rob);
    }
    report_coefmat_print(out, &cm);
    free(names);

    char a[CELL], b[CELL];
    const double *scale = survkit_survreg_result_scale(r);
    if (survkit_survreg_result_scale_fixed(r)) {
        rformat_number(scale[0], DIGITS, a, sizeof a);
        fprintf(out, "\nScale fixed at %s \n", a);
    } else if (survkit_survreg_result_n_scales(r) == 1) {
        rformat_number(scale[0], DIGITS, a, sizeof a);
        fprintf(out, "\nScale= %s \n", a);
    } else {
        fprintf(out, "\nScale:\n");
        print_named(out, r);
    }
    fprintf(out, "\n%s distribution\n", survkit_survreg_dist_title(survkit_survreg_result_dist(r)));
    rformat_number(round_to(survkit_survreg_result_loglik(r), 1), 7, a, sizeof a);
    rformat_number(round_to(survkit_survreg_result_loglik_null(r), 1), 7, b, sizeof b);
    fprintf(out, "Loglik(model)= %s   Loglik(intercept only)= %s", a, b);
    const double df = survkit_survreg_result_df(r);
    if (df > 0) {
        rformat_number(round_to(survkit_survreg_result_chisq(r), 2), 7, a, sizeof a);
        double pv = survkit_survreg_result_chisq_p(r);
        double sig = pv == 0 || !isfinite(pv) ? pv
                     : round_to(pv, 1 - (int)floor(log10(fabs(pv)))); /* signif(p, 2) */
        rformat_number(sig, 7, b, sizeof b);
        fprintf(out, "\n\tChisq= %s on %.7g degrees of freedom, p= %s \n", a, round_to(df, 1), b);
    } else {
        fputc('\n', out);
    }
    if (robust) fprintf(out, "(Loglikelihood assumes independent observations)\n");
    fprintf(out, "Number of Newton-Raphson Iterations: %d \n", survkit_survreg_result_iterations(r));
    const size_t dropped = info ? info->n_dropped : 0;
    if (dropped > 0)
        fprintf(out, "n=%zu (%zu observation%s deleted due to missingness)\n",
                survkit_survreg_result_n(r), dropped, dropped == 1 ? "" : "s");
    else
        fprintf(out, "n= %zu \n", survkit_survreg_result_n(r));
    fputc('\n', out);
    if (info && info->prediction) { /* the CSV's columns, aligned */
        fprintf(out, "Predictions (predict.survreg) for the new rows:\n");
        char *text = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&text, &len);
        if (mem == NULL) return;
        const bool made = report_survreg_prediction_csv(mem, info->prediction);
        fclose(mem);
        if (!made) {
            free(text);
            return;
        }
        for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
            for (char *cell = line; cell;) {
                char *comma = strchr(cell, ',');
                if (comma) *comma = '\0';
                char *end;
                double x = strtod(cell, &end);
                if (line == text || cell == line || end == cell) fprintf(out, "%12s", cell);
                else fprintf(out, "%12.6g", x);
                cell = comma ? comma + 1 : NULL;
            }
            fputc('\n', out);
        }
        free(text);
    }
}

static void json_matrix(json_writer *w, const char *key, const double *v, size_t m)
{
    json_array_begin(w, key);
    for (size_t i = 0; i < m; i++) {
        json_array_begin(w, NULL);
        for (size_t j = 0; j < m; j++) json_number(w, NULL, v[i + j * m]);
        json_array_end(w);
    }
    json_array_end(w);
}

void report_survreg_json(FILE *out, const survkit_survreg_result *r, const report_survreg_info *info)
{
    const size_t m = survkit_survreg_result_n_rows(r), p = survkit_survreg_result_p(r);
    const double *coef = survkit_survreg_result_coef(r), *se = survkit_survreg_result_se(r);
    const double *nse = survkit_survreg_result_naive_se(r), *z = survkit_survreg_result_z(r);
    const double *pv = survkit_survreg_result_pvalue(r);
    json_writer w;
    json_init(&w, out);
    json_object_begin(&w, NULL);
    json_string(&w, "command", "survreg");
    json_string(&w, "dist", survkit_survreg_dist_name(survkit_survreg_result_dist(r)));
    json_integer(&w, "n", (long long)survkit_survreg_result_n(r));
    json_integer(&w, "events", (long long)survkit_survreg_result_n_events(r));
    if (info) json_integer(&w, "n_dropped", (long long)info->n_dropped);
    for (size_t part = 0; part < 2; part++) {
        json_array_begin(&w, part == 0 ? "terms" : "scale");
        for (size_t j = part == 0 ? 0 : p; j < (part == 0 ? p : m); j++) {
            json_object_begin(&w, NULL);
            json_string(&w, "name", survkit_survreg_result_name(r, j));
            json_number(&w, part == 0 ? "coef" : "log_scale", coef[j]);
            json_number(&w, "se", se[j]);
            if (nse) json_number(&w, "naive_se", nse[j]);
            if (part == 1) json_number(&w, "value", survkit_survreg_result_scale(r)[j - p]);
            json_number(&w, "z", z[j]);
            json_number(&w, "p", pv[j]);
            json_object_end(&w);
        }
        json_array_end(&w);
    }
    if (survkit_survreg_result_scale_fixed(r))
        json_number(&w, "fixed_scale", survkit_survreg_result_scale(r)[0]);
    json_matrix(&w, "vcov", survkit_survreg_result_vcov(r), m);
    if (nse) json_matrix(&w, "naive_vcov", survkit_survreg_result_naive_vcov(r), m);
    json_number(&w, "loglik", survkit_survreg_result_loglik(r));
    json_number(&w, "loglik_null", survkit_survreg_result_loglik_null(r));
    json_number(&w, "chisq", survkit_survreg_result_chisq(r));
    json_number(&w, "df", survkit_survreg_result_df(r));
    json_number(&w, "p", survkit_survreg_result_chisq_p(r));
    json_bool(&w, "robust", survkit_survreg_result_is_robust(r));
    json_integer(&w, "iterations", survkit_survreg_result_iterations(r));
    json_bool(&w, "converged", survkit_survreg_result_converged(r));
    json_array_begin(&w, "warnings");
    for (size_t k = 0; k < survkit_survreg_result_n_warnings(r); k++)
        json_string(&w, NULL, survkit_survreg_result_warning(r, k));
    json_array_end(&w);
    if (info && info->prediction) {
        const report_survreg_prediction_info *pi = info->prediction;
        const survkit_survreg_prediction *pr = pi->pred;
        json_array_begin(&w, "predictions");
        for (size_t i = 0; i < survkit_survreg_prediction_n(pr); i++) {
            json_object_begin(&w, NULL);
            json_number(&w, "lp", survkit_survreg_prediction_lp(pr)[i]);
            json_number(&w, "lp_se", survkit_survreg_prediction_lp_se(pr)[i]);
            json_number(&w, "response", survkit_survreg_prediction_response(pr)[i]);
            json_number(&w, "response_se", survkit_survreg_prediction_response_se(pr)[i]);
            json_array_begin(&w, "quantiles");
            for (size_t k = 0; k < pi->n_p; k++) {
                json_object_begin(&w, NULL);
                json_number(&w, "p", pi->p[k]);
                json_number(&w, "estimate", survkit_survreg_prediction_quantile(pr, k)[i]);
                json_number(&w, "se", survkit_survreg_prediction_quantile_se(pr, k)[i]);
                json_object_end(&w);
            }
            json_array_end(&w);
            json_array_begin(&w, "survival");
            for (size_t k = 0; k < pi->n_times; k++) {
                json_object_begin(&w, NULL);
                json_number(&w, "time", pi->times[k]);
                json_number(&w, "surv", survkit_survreg_prediction_survival(pr, k)[i]);
                json_object_end(&w);
            }
            json_array_end(&w);
            json_object_end(&w);
        }
        json_array_end(&w);
    }
    if (info) report_timings_json(&w, info->timings);
    json_object_end(&w);
    json_finish(&w);
}

/* A new row's CSV row: its number, lp, lp_se, response, response_se, each quantile and its se,
 * each survival probability. */
static size_t prediction_row_text(const void *ctx, size_t i, char *buf)
{
    const report_survreg_prediction_info *pi = ctx;
    const survkit_survreg_prediction *pr = pi->pred;
    size_t at = csv_count_text(buf, i + 1);
    const double *cols[] = {survkit_survreg_prediction_lp(pr), survkit_survreg_prediction_lp_se(pr),
                            survkit_survreg_prediction_response(pr),
                            survkit_survreg_prediction_response_se(pr)};
    for (size_t c = 0; c < 4; c++) buf[at++] = ',', at += csv_number_text(buf + at, cols[c][i]);
    for (size_t k = 0; k < pi->n_p; k++) {
        const double q = survkit_survreg_prediction_quantile(pr, k)[i];
        const double se = survkit_survreg_prediction_quantile_se(pr, k)[i];
        buf[at++] = ',', at += csv_number_text(buf + at, q);
        buf[at++] = ',', at += csv_number_text(buf + at, se);
    }
    for (size_t k = 0; k < pi->n_times; k++) {
        const double surv = survkit_survreg_prediction_survival(pr, k)[i];
        buf[at++] = ',', at += csv_number_text(buf + at, surv);
    }
    buf[at++] = '\n';
    return at;
}

bool report_survreg_prediction_csv(FILE *out, const report_survreg_prediction_info *pi)
{
    fprintf(out, "row,lp,lp_se,response,response_se");
    for (size_t k = 0; k < pi->n_p; k++) fprintf(out, ",q%.15g,q%.15g_se", pi->p[k], pi->p[k]);
    for (size_t k = 0; k < pi->n_times; k++) fprintf(out, ",surv%.15g", pi->times[k]);
    fputc('\n', out);
    const size_t row_bytes = (5 + 2 * pi->n_p + pi->n_times) * (1 + CSV_NUMBER_MAX) + 1;
    return csv_rows_write(out, survkit_survreg_prediction_n(pi->pred), row_bytes,
                          prediction_row_text, pi);
}

void report_survreg_csv(FILE *out, const survkit_survreg_result *r)
{
    const size_t m = survkit_survreg_result_n_rows(r);
    const double *nse = survkit_survreg_result_naive_se(r);
    const double *cols[] = {survkit_survreg_result_coef(r), survkit_survreg_result_se(r), nse,
                            survkit_survreg_result_z(r), survkit_survreg_result_pvalue(r)};
    fprintf(out, "term,value,se,%sz,p\n", nse ? "naive_se," : "");
    for (size_t j = 0; j < m; j++) {
        csv_text(out, survkit_survreg_result_name(r, j), true);
        for (size_t c = 0; c < 5; c++) {
            if (cols[c] == NULL) continue;
            fputc(',', out);
            csv_number(out, cols[c][j]);
        }
        fputc('\n', out);
    }
}
