/*
 * report_compete.c: competing-risks reports (report_compete.h).
 *
 * Text of a cumulative incidence fit, as R prints a multi-state survfit: a matrix with one row per
 * state and group ("edema=0, (s0)", ..., "edema=0, 1", ...; states slowest), columns n, nevent
 * and rmean* (restricted mean time in state up to the largest time of every curve, or --rmst),
 * formatted per column at 7 digits as R shows it; then, with --times, summary(fit, times =)'s
 * table per group (time, n.risk, n.event since the previous time, Pr(state) at 3 digits); then
 * print(cuminc)'s Tests matrix (stat, pv, df at 7 digits).
 *
 * Text of a Fine-Gray fit, as print(summary(crr)) at options(digits = 3): the coefficient matrix
 * (coef, exp(coef), se(coef), z, p-value = signif(2 (1 - pnorm(|z|)), 2)), the interval matrix
 * (exp(coef), exp(-coef), limits), "Num. cases", "Pseudo Log-likelihood" and the likelihood ratio
 * test, the numbers formatted as R's print and cat do at 3 digits.
 */
#include "csv.h"
#include "json.h"
#include "report_compete.h"
#include "report_timings.h"
#include "rformat.h"
#include "rmatrix.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { CELL = 64 };

static survkit_status nomem(survkit_error *err)
{
    if (err) {
        err->status = SURVKIT_ERR_NOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
    }
    return SURVKIT_ERR_NOMEM;
}

/* The largest time of every curve (R's default rmean horizon for print.survfitms). */
static double max_time(const survkit_cuminc *fit)
{
    double m = NAN;
    for (size_t g = 0; g < survkit_cuminc_n_groups(fit); g++) {
        size_t nt = survkit_cuminc_n_times(fit, g);
        if (nt == 0) continue;
        double t = survkit_cuminc_values(fit, g, 0, SURVKIT_CUMINC_TIME)[nt - 1];
        if (!(t <= m)) m = t;
    }
    return m;
}

/* Columns without row names, as print.data.frame(row.names = FALSE) shows summary tables:
 * each column formatted on its own at `digits`, right-aligned under its header. */
static void print_columns(FILE *out, const double *x, size_t nrow, size_t ncol,
                          const char *const *header, int digits)
{
    char(*cells)[CELL] = malloc((nrow * ncol + 1) * sizeof *cells);
    char **ptr = malloc((nrow + 1) * sizeof *ptr);
    size_t *width = calloc(ncol + 1, sizeof *width);
    if (cells == NULL || ptr == NULL || width == NULL) goto done;
    for (size_t j = 0; j < ncol; j++) {
        for (size_t i = 0; i < nrow; i++) ptr[i] = cells[j * nrow + i];
        int w = rformat_column(x + j * nrow, nrow, digits, ptr, CELL);
        width[j] = strlen(header[j]) > (size_t)w ? strlen(header[j]) : (size_t)w;
    }
    for (size_t j = 0; j < ncol; j++) fprintf(out, " %*s", (int)width[j], header[j]);
    fputc('\n', out);
    for (size_t i = 0; i < nrow; i++) {
        for (size_t j = 0; j < ncol; j++) fprintf(out, " %*s", (int)width[j], cells[j * nrow + i]);
        fputc('\n', out);
    }
done:
    free(cells);
    free(ptr);
    free(width);
}

/* summary(fit, times =) for group g: time, n.risk, n.event (all states, since the previous
 * requested time), Pr(state) for (s0) and each state. */
static survkit_status print_at_times(FILE *out, const survkit_cuminc *fit, size_t g,
                                     const report_cuminc_options *opt, survkit_error *err)
{
    const size_t J = survkit_cuminc_n_states(fit), m = opt->n_times, nt = survkit_cuminc_n_times(fit, g);
    const size_t ncol = 3 + J + 1;
    double *x = calloc(m * ncol + 1, sizeof *x), *scratch = malloc(4 * (m + 1) * sizeof *scratch);
    const char **header = calloc(ncol, sizeof *header);
    char(*names)[CELL] = malloc((J + 1) * sizeof *names);
    if (!x || !scratch || !header || !names) {
        free(x), free(scratch), free(header), free(names);
        return nomem(err);
    }
    const double *t = nt ? survkit_cuminc_values(fit, g, 0, SURVKIT_CUMINC_TIME) : NULL;
    const double *risk = nt ? survkit_cuminc_values(fit, g, 0, SURVKIT_CUMINC_N_RISK) : NULL;
    size_t k = 0;
    for (size_t q = 0; q < m; q++) {
        double tq = opt->times[q], events = 0;
        size_t first_at = k; /* the first row at or after tq: its risk set is the one at tq */
        while (first_at < nt && t[first_at] < tq) first_at++;
        for (; k < nt && t[k] <= tq; k++)
            for (size_t s = 1; s <= J; s++)
                events += survkit_cuminc_values(fit, g, s, SURVKIT_CUMINC_N_EVENT)[k];
        x[q] = tq;
        x[m + q] = first_at < nt ? risk[first_at] : 0;
        x[2 * m + q] = events;
    }
    survkit_status st = SURVKIT_OK;
    for (size_t s = 0; s <= J && st == SURVKIT_OK; s++) {
        st = survkit_cuminc_at_times(fit, g, s, opt->times, m, x + (3 + s) * m, scratch,
                                     scratch + m, scratch + 2 * m, err);
        snprintf(names[s], CELL, "Pr(%s)", survkit_cuminc_state_label(fit, s));
        header[3 + s] = names[s];
    }
    header[0] = "time";
    header[1] = "n.risk";
    header[2] = "n.event";
    if (st == SURVKIT_OK) {
        fprintf(out, "\n                %s \n", survkit_cuminc_group_label(fit, g));
        print_columns(out, x, m, ncol, header, 3);
    }
    free(x), free(scratch), free(header), free(names);
    return st;
}

survkit_status report_cuminc_text(FILE *out, const survkit_cuminc *fit,
                                  const report_cuminc_options *opt, survkit_error *err)
{
    const size_t G = survkit_cuminc_n_groups(fit), J = survkit_cuminc_n_states(fit);
    const size_t rows = G * (J + 1);
    const double tau = isnan(opt->tau) ? max_time(fit) : opt->tau;
    double *x = calloc(rows * 3 + 1, sizeof *x);
    char(*names)[CELL + 64] = malloc((rows + 1) * sizeof *names);
    const char **rownames = malloc((rows + 1) * sizeof *rownames);
    if (!x || !names || !rownames) {
        free(x), free(names), free(rownames);
        return nomem(err);
    }
    survkit_status st = SURVKIT_OK;
    for (size_t s = 0; s <= J && st == SURVKIT_OK; s++)
        for (size_t g = 0; g < G && st == SURVKIT_OK; g++) {
            size_t i = s * G + g;
            if (G > 1 || strcmp(survkit_cuminc_group_label(fit, g), "all") != 0)
                snprintf(names[i], sizeof names[i], "%s, %s", survkit_cuminc_group_label(fit, g),
                         survkit_cuminc_state_label(fit, s));
            else
                snprintf(names[i], sizeof names[i], "%s", survkit_cuminc_state_label(fit, s));
            rownames[i] = names[i];
            x[i] = (double)survkit_cuminc_records(fit, g);
            x[rows + i] = s == 0 ? 0 : survkit_cuminc_events(fit, g, s);
            st = survkit_cuminc_rmtl(fit, g, s, tau, &x[2 * rows + i], err);
        }
    if (st == SURVKIT_OK) {
        fprintf(out, "Call: survfit(formula = %s)\n\n", opt->formula ? opt->formula : "");
        if (opt->n_dropped > 0)
            fprintf(out, "   %zu observation%s deleted due to missingness \n", opt->n_dropped,
                    opt->n_dropped == 1 ? "" : "s");
        static const char *const cols[] = {"n", "nevent", "rmean*"};
        rmatrix_print(out, x, rows, 3, rownames, cols, 7);
        char tt[32];
        rformat_number(tau, 7, tt, sizeof tt);
        fprintf(out, "   *restricted mean time in state (max time = %s )\n", tt);
    }
    for (size_t g = 0; g < G && st == SURVKIT_OK && opt->n_times > 0; g++)
        st = print_at_times(out, fit, g, opt, err);
    /* Gray's test, as print(cuminc(...)$Tests) */
    size_t nt = 0;
    double *tests = calloc(3 * J + 1, sizeof *tests);
    const char **tnames = calloc(J + 1, sizeof *tnames);
    if (st == SURVKIT_OK && (tests == NULL || tnames == NULL)) st = nomem(err);
    for (size_t s = 1; st == SURVKIT_OK && s <= J; s++)
        if (survkit_cuminc_gray(fit, s, &tests[nt], &tests[J + nt], &tests[2 * J + nt]))
            tnames[nt++] = survkit_cuminc_state_label(fit, s);
    if (st == SURVKIT_OK && nt > 0) {
        /* columns stat, pv, df of the nt rows (the matrix is filled with stride J) */
        double *m3 = malloc(3 * nt * sizeof *m3);
        if (m3 == NULL) st = nomem(err);
        else {
            for (size_t i = 0; i < nt; i++) {
                m3[i] = tests[i];
                m3[nt + i] = tests[2 * J + i];
                m3[2 * nt + i] = tests[J + i];
            }
            static const char *const cols[] = {"stat", "pv", "df"};
            fprintf(out, "\nGray's test (cmprsk::cuminc Tests):\n");
            rmatrix_print(out, m3, nt, 3, tnames, cols, 7);
            free(m3);
        }
    }
    free(tests), free(tnames);
    free(x), free(names), free(rownames);
    return st;
}

static void json_state_arrays(json_writer *w, const char *key, const survkit_cuminc *fit, size_t g,
                              survkit_cuminc_column col)
{
    const size_t J = survkit_cuminc_n_states(fit), nt = survkit_cuminc_n_times(fit, g);
    json_object_begin(w, key);
    for (size_t s = 1; s <= J; s++)
        json_number_array(w, survkit_cuminc_state_label(fit, s),
                          nt ? survkit_cuminc_values(fit, g, s, col) : NULL, nt);
    json_object_end(w);
}

survkit_status report_cuminc_json(FILE *out, const survkit_cuminc *fit,
                                  const report_cuminc_options *opt, survkit_error *err)
{
    const size_t G = survkit_cuminc_n_groups(fit), J = survkit_cuminc_n_states(fit);
    /* the summaries first, so that an error leaves nothing written */
    double *rmtl = calloc(G * (J + 1) + 1, sizeof *rmtl);
    double *at = calloc(4 * G * (J + 1) * (opt->n_times + 1) + 1, sizeof *at);
    if (rmtl == NULL || at == NULL) {
        free(rmtl), free(at);
        return nomem(err);
    }
    survkit_status st = SURVKIT_OK;
    const size_t m = opt->n_times, block = 4 * (m + 1);
    for (size_t g = 0; g < G && st == SURVKIT_OK; g++)
        for (size_t s = 1; s <= J && st == SURVKIT_OK; s++) {
            if (!isnan(opt->tau)) st = survkit_cuminc_rmtl(fit, g, s, opt->tau, &rmtl[g * (J + 1) + s], err);
            double *b = at + (g * (J + 1) + s) * block;
            if (st == SURVKIT_OK && m > 0)
                st = survkit_cuminc_at_times(fit, g, s, opt->times, m, b, b + m, b + 2 * m, b + 3 * m, err);
        }
    if (st != SURVKIT_OK) {
        free(rmtl), free(at);
        return st;
    }
    const survkit_cuminc_options *o = survkit_cuminc_options_used(fit);
    json_writer w;
    json_init(&w, out);
    json_object_begin(&w, NULL);
    json_string(&w, "command", "cuminc");
    json_string(&w, "conf_type", survkit_conf_type_name(o->conf_type));
    json_number(&w, "conf_level", o->conf_level);
    json_array_begin(&w, "states");
    for (size_t s = 1; s <= J; s++) json_string(&w, NULL, survkit_cuminc_state_label(fit, s));
    json_array_end(&w);
    json_array_begin(&w, "strata");
    for (size_t g = 0; g < G; g++) {
        const size_t nt = survkit_cuminc_n_times(fit, g);
        json_object_begin(&w, NULL);
        json_string(&w, "label", survkit_cuminc_group_label(fit, g));
        json_integer(&w, "n", (long long)survkit_cuminc_records(fit, g));
        json_object_begin(&w, "events");
        for (size_t s = 1; s <= J; s++)
            json_number(&w, survkit_cuminc_state_label(fit, s), survkit_cuminc_events(fit, g, s));
        json_object_end(&w);
        json_number_array(&w, "time", nt ? survkit_cuminc_values(fit, g, 0, SURVKIT_CUMINC_TIME) : NULL, nt);
        json_number_array(&w, "n_risk", nt ? survkit_cuminc_values(fit, g, 0, SURVKIT_CUMINC_N_RISK) : NULL, nt);
        json_number_array(&w, "n_censor", nt ? survkit_cuminc_values(fit, g, 0, SURVKIT_CUMINC_N_CENSOR) : NULL, nt);
        json_state_arrays(&w, "n_event", fit, g, SURVKIT_CUMINC_N_EVENT);
        json_state_arrays(&w, "cif", fit, g, SURVKIT_CUMINC_PSTATE);
        json_state_arrays(&w, "std_err", fit, g, SURVKIT_CUMINC_STD_ERR);
        json_state_arrays(&w, "lower", fit, g, SURVKIT_CUMINC_LOWER);
        json_state_arrays(&w, "upper", fit, g, SURVKIT_CUMINC_UPPER);
        if (!isnan(opt->tau)) {
            json_object_begin(&w, "rmtl");
            json_number(&w, "tau", opt->tau);
            for (size_t s = 1; s <= J; s++)
                json_number(&w, survkit_cuminc_state_label(fit, s), rmtl[g * (J + 1) + s]);
            json_object_end(&w);
        }
        if (m > 0) {
            json_object_begin(&w, "at_times");
            json_number_array(&w, "time", opt->times, m);
            static const char *const keys[] = {"cif", "std_err", "lower", "upper"};
            for (size_t c = 0; c < 4; c++) {
                json_object_begin(&w, keys[c]);
                for (size_t s = 1; s <= J; s++)
                    json_number_array(&w, survkit_cuminc_state_label(fit, s),
                                      at + (g * (J + 1) + s) * block + c * m, m);
                json_object_end(&w);
            }
            json_object_end(&w);
        }
        json_object_end(&w);
    }
    json_array_end(&w);
    double stat, df, p;
    bool any = false;
    for (size_t s = 1; s <= J; s++) any |= survkit_cuminc_gray(fit, s, &stat, &df, &p);
    if (any) {
        json_array_begin(&w, "gray");
        for (size_t s = 1; s <= J; s++) {
            if (!survkit_cuminc_gray(fit, s, &stat, &df, &p)) continue;
            json_object_begin(&w, NULL);
            json_string(&w, "state", survkit_cuminc_state_label(fit, s));
            json_number(&w, "stat", stat);
            json_number(&w, "df", df);
            json_number(&w, "p", p);
            json_object_end(&w);
        }
        json_array_end(&w);
    }
    if (opt->timings) report_timings_json(&w, opt->timings);
    json_object_end(&w);
    json_finish(&w);
    free(rmtl), free(at);
    return SURVKIT_OK;
}

survkit_status report_cuminc_csv(FILE *out, const survkit_cuminc *fit, survkit_error *err)
{
    (void)err;
    const size_t G = survkit_cuminc_n_groups(fit), J = survkit_cuminc_n_states(fit);
    static const char *const parts[] = {"n_event", "cif", "std_err", "lower", "upper"};
    static const survkit_cuminc_column cols[] = {SURVKIT_CUMINC_N_EVENT, SURVKIT_CUMINC_PSTATE,
                                                 SURVKIT_CUMINC_STD_ERR, SURVKIT_CUMINC_LOWER,
                                                 SURVKIT_CUMINC_UPPER};
    fputs("\"strata\",\"time\",\"n_risk\",\"n_censor\"", out);
    for (size_t s = 1; s <= J; s++)
        for (size_t c = 0; c < 5; c++) {
            char name[CELL + 16];
            snprintf(name, sizeof name, "%s_%s", parts[c], survkit_cuminc_state_label(fit, s));
            fputc(',', out);
            csv_text(out, name, true);
        }
    fputc('\n', out);
    for (size_t g = 0; g < G; g++) {
        const size_t nt = survkit_cuminc_n_times(fit, g);
        for (size_t k = 0; k < nt; k++) {
            csv_text(out, survkit_cuminc_group_label(fit, g), true);
            fputc(',', out);
            csv_number(out, survkit_cuminc_values(fit, g, 0, SURVKIT_CUMINC_TIME)[k]);
            fputc(',', out);
            csv_number(out, survkit_cuminc_values(fit, g, 0, SURVKIT_CUMINC_N_RISK)[k]);
            fputc(',', out);
            csv_number(out, survkit_cuminc_values(fit, g, 0, SURVKIT_CUMINC_N_CENSOR)[k]);
            for (size_t s = 1; s <= J; s++)
                for (size_t c = 0; c < 5; c++) {
                    fputc(',', out);
                    csv_number(out, survkit_cuminc_values(fit, g, s, cols[c])[k]);
                }
            fputc('\n', out);
        }
    }
    return SURVKIT_OK;
}

/* ------------------------------------------------------------------ Fine-Gray */

/* R's signif(x, d) */
static double signif(double x, int d)
{
    if (x == 0 || !isfinite(x)) return x;
    double e = floor(log10(fabs(x))) + 1 - d, s = pow(10.0, -e);
    return nearbyint(x * s) / s;
}

/* predict.crr as text: the event times, then one column per new row. */
static survkit_status predictions_text(FILE *out, const report_finegray_options *opt,
                                       survkit_error *err)
{
    const size_t K = opt->pred_K, m = opt->pred_m;
    double *tab = malloc((m + 1) * K * sizeof *tab + 1);
    char(*hdr)[CELL] = malloc((m + 1) * sizeof *hdr);
    const char **cols = malloc((m + 1) * sizeof *cols);
    if (!tab || !hdr || !cols) {
        free(tab), free(hdr), free(cols);
        return nomem(err);
    }
    memcpy(tab, opt->pred_times, K * sizeof *tab);
    memcpy(tab + K, opt->pred_cif, m * K * sizeof *tab);
    snprintf(hdr[0], CELL, "time");
    cols[0] = hdr[0];
    for (size_t r = 0; r < m; r++) {
        snprintf(hdr[r + 1], CELL, "row %zu", opt->pred_rows[r] + 1);
        cols[r + 1] = hdr[r + 1];
    }
    fprintf(out, "Cumulative incidence of the new rows (predict.crr):\n");
    rmatrix_print(out, tab, K, m + 1, NULL, cols, 7);
    free(tab), free(hdr), free(cols);
    return SURVKIT_OK;
}

static void predictions_json(json_writer *w, const report_finegray_options *opt)
{
    const size_t K = opt->pred_K;
    json_object_begin(w, "predict");
    json_number_array(w, "time", opt->pred_times, K);
    json_array_begin(w, "rows");
    for (size_t r = 0; r < opt->pred_m; r++) {
        json_object_begin(w, NULL);
        json_integer(w, "row", (long long)opt->pred_rows[r] + 1);
        json_number_array(w, "cif", opt->pred_cif + r * K, K);
        json_object_end(w);
    }
    json_array_end(w);
    json_object_end(w);
}

static void predictions_csv(FILE *out, const report_finegray_options *opt)
{
    const size_t K = opt->pred_K;
    fputs("\"row\",\"time\",\"cif\"\n", out);
    for (size_t r = 0; r < opt->pred_m; r++)
        for (size_t k = 0; k < K; k++) {
            fprintf(out, "%zu,", opt->pred_rows[r] + 1);
            csv_number(out, opt->pred_times[k]);
            fputc(',', out);
            csv_number(out, opt->pred_cif[r * K + k]);
            fputc('\n', out);
        }
}

survkit_status report_finegray_predictions(FILE *out, int format, const report_finegray_options *opt,
                                           survkit_error *err)
{
    if (format == 2) {
        predictions_csv(out, opt);
        return SURVKIT_OK;
    }
    if (format == 0) return predictions_text(out, opt, err);
    json_writer w;
    json_init(&w, out);
    json_object_begin(&w, NULL);
    json_string(&w, "command", "finegray");
    json_string(&w, "cause", opt->cause ? opt->cause : "");
    predictions_json(&w, opt);
    if (opt->timings) report_timings_json(&w, opt->timings);
    json_object_end(&w);
    json_finish(&w);
    return SURVKIT_OK;
}

survkit_status report_finegray_text(FILE *out, const survkit_finegray *fit,
                                    const report_finegray_options *opt, survkit_error *err)
{
    const size_t p = survkit_finegray_p(fit);
    const double *b = survkit_finegray_coef(fit);
    double *coef = malloc(5 * p * sizeof *coef), *ci = malloc(4 * p * sizeof *ci);
    const char **names = malloc(p * sizeof *names);
    if (!coef || !ci || !names) {
        free(coef), free(ci), free(names);
        return nomem(err);
    }
    const double level = survkit_finegray_conf_level(fit);
    for (size_t j = 0; j < p; j++) {
        double t[7];
        survkit_finegray_term(fit, j, t);
        names[j] = survkit_finegray_name(fit, j);
        coef[j] = t[0];
        coef[p + j] = t[1];
        coef[2 * p + j] = t[2];
        coef[3 * p + j] = t[3];
        /* summary.crr: signif(2 * (1 - pnorm(|z|)), 2), with 1 - pnorm's rounding */
        coef[4 * p + j] = signif(2 * (1 - (1 - t[4] / 2)), 2);
        ci[j] = t[1];
        ci[p + j] = exp(-b[j]);
        ci[2 * p + j] = t[5];
        ci[3 * p + j] = t[6];
    }
    fprintf(out, "Competing Risks Regression\n\nCall:\nfinegray(formula = %s, cause = \"%s\")\n\n",
            opt->formula ? opt->formula : "", opt->cause ? opt->cause : "");
    if (!survkit_finegray_converged(fit)) fprintf(out, "crr converged: FALSE \n");
    static const char *const ccols[] = {"coef", "exp(coef)", "se(coef)", "z", "p-value"};
    rmatrix_print(out, coef, p, 5, names, ccols, 3);
    fputc('\n', out);
    char lo[40], hi[40], pct[32];
    rformat_number(100 * (1 - level) / 2, 3, pct, sizeof pct);
    snprintf(lo, sizeof lo, "%s%%", pct);
    rformat_number(100 * (1 - (1 - level) / 2), 3, pct, sizeof pct);
    snprintf(hi, sizeof hi, "%s%%", pct);
    const char *icols[] = {"exp(coef)", "exp(-coef)", lo, hi};
    rmatrix_print(out, ci, p, 4, names, icols, 3);
    fputc('\n', out);
    fprintf(out, "Num. cases = %zu", survkit_finegray_n(fit));
    if (opt->n_dropped > 0) fprintf(out, " (%zu cases omitted due to missing values)", opt->n_dropped);
    fputc('\n', out);
    char ll[32], lr[32];
    rformat_number(survkit_finegray_loglik(fit), 3, ll, sizeof ll);
    double logtest = -2 * (survkit_finegray_loglik_null(fit) - survkit_finegray_loglik(fit));
    rformat_number(nearbyint(logtest * 100) / 100, 3, lr, sizeof lr);
    fprintf(out, "Pseudo Log-likelihood = %s \n", ll);
    fprintf(out, "Pseudo likelihood ratio test = %s  on %zu df,\n", lr, p);
    if (survkit_finegray_weighted(fit))
        fprintf(out, "(case weights: crr has none; the fit equals crr on rows repeated by weight)\n");
    free(coef), free(ci), free(names);
    if (opt->pred_m == 0) return SURVKIT_OK;
    fputc('\n', out);
    return predictions_text(out, opt, err);
}

survkit_status report_finegray_json(FILE *out, const survkit_finegray *fit,
                                    const report_finegray_options *opt, survkit_error *err)
{
    (void)err;
    const size_t p = survkit_finegray_p(fit);
    const double *v = survkit_finegray_vcov(fit);
    const double level = survkit_finegray_conf_level(fit);
    json_writer w;
    json_init(&w, out);
    json_object_begin(&w, NULL);
    json_string(&w, "command", "finegray");
    json_string(&w, "cause", opt->cause ? opt->cause : "");
    json_integer(&w, "n", (long long)survkit_finegray_n(fit));
    json_integer(&w, "events", (long long)survkit_finegray_events(fit));
    json_integer(&w, "competing", (long long)survkit_finegray_competing(fit));
    json_array_begin(&w, "terms");
    static const char *const keys[] = {"coef", "exp_coef", "se", "z", "p", "lower", "upper"};
    for (size_t j = 0; j < p; j++) {
        double t[7];
        survkit_finegray_term(fit, j, t);
        json_object_begin(&w, NULL);
        json_string(&w, "name", survkit_finegray_name(fit, j));
        for (size_t c = 0; c < 7; c++) json_number(&w, keys[c], t[c]);
        json_object_end(&w);
    }
    json_array_end(&w);
    json_array_begin(&w, "vcov");
    for (size_t a = 0; a < p; a++) json_number_array(&w, NULL, v + a * p, p);
    json_array_end(&w);
    json_number(&w, "loglik", survkit_finegray_loglik(fit));
    json_number(&w, "loglik_null", survkit_finegray_loglik_null(fit));
    json_integer(&w, "iterations", survkit_finegray_iterations(fit));
    json_bool(&w, "converged", survkit_finegray_converged(fit));
    json_number(&w, "conf_level", level);
    json_bool(&w, "weighted", survkit_finegray_weighted(fit));
    if (opt->pred_m > 0) predictions_json(&w, opt);
    if (opt->timings) report_timings_json(&w, opt->timings);
    json_object_end(&w);
    json_finish(&w);
    return SURVKIT_OK;
}

survkit_status report_finegray_csv(FILE *out, const survkit_finegray *fit,
                                   const report_finegray_options *opt, survkit_error *err)
{
    (void)err;
    if (opt->pred_m > 0) { /* the predictions: row, time, cif */
        predictions_csv(out, opt);
        return SURVKIT_OK;
    }
    const size_t p = survkit_finegray_p(fit);
    fputs("\"name\",\"coef\",\"exp_coef\",\"se\",\"z\",\"p\",\"lower\",\"upper\"\n", out);
    for (size_t j = 0; j < p; j++) {
        double t[7];
        survkit_finegray_term(fit, j, t);
        csv_text(out, survkit_finegray_name(fit, j), true);
        for (size_t c = 0; c < 7; c++) {
            fputc(',', out);
            csv_number(out, t[c]);
        }
        fputc('\n', out);
    }
    return SURVKIT_OK;
}
