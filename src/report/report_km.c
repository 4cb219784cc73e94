/*
 * report_km.c: Kaplan-Meier reports. The text follows R's print.survfit (survmean's table:
 * records, n.max, n.start, events, rmean, se(rmean), median, limits; n.max dropped when it equals
 * n.start, which is then called n; records dropped when equal to n) and print.summary.survfit.
 */
#include "csv.h"
#include "report_km.h"
#include "report_timings.h"

#include "json.h"
#include "rformat.h"
#include "rmatrix.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Per-group numbers every format needs: median[3], quantiles[3][nq], rmst[2]. */
typedef struct group_summary {
    double median[3];
    double *q;           /* 3 * n_quantiles: estimates, lower, upper */
    double rmst[2];
} group_summary;

static void free_summaries(group_summary *s, size_t k)
{
    if (s == NULL) return;
    for (size_t g = 0; g < k; g++) free(s[g].q);
    free(s);
}

static survkit_status summarise(const survkit_km *km, const report_km_options *opt,
                                group_summary **out, survkit_error *err)
{
    size_t k = survkit_km_n_groups(km), nq = opt->n_quantiles;
    group_summary *s = calloc(k ? k : 1, sizeof *s);
    survkit_status st = s ? SURVKIT_OK : SURVKIT_ERR_NOMEM;
    for (size_t g = 0; g < k && st == SURVKIT_OK; g++) {
        survkit_km_median(km, g, s[g].median);
        s[g].rmst[0] = s[g].rmst[1] = NAN;
        if (nq > 0) {
            s[g].q = malloc(3 * nq * sizeof *s[g].q);
            if (s[g].q == NULL) st = SURVKIT_ERR_NOMEM;
            else st = survkit_km_quantiles(km, g, opt->quantiles, nq, s[g].q, s[g].q + nq,
                                           s[g].q + 2 * nq, err);
        }
        if (st == SURVKIT_OK && !isnan(opt->tau))
            st = survkit_km_rmst(km, g, opt->tau, &s[g].rmst[0], &s[g].rmst[1], err);
    }
    if (st == SURVKIT_ERR_NOMEM && err) {
        err->status = st;
        snprintf(err->message, sizeof err->message, "out of memory");
    }
    if (st != SURVKIT_OK) {
        free_summaries(s, k);
        return st;
    }
    *out = s;
    return SURVKIT_OK;
}

static void level_label(double level, const char *suffix, char *buf, size_t size)
{
    char num[24];
    rformat_number(level, 7, num, sizeof num);
    snprintf(buf, size, "%s%s", num, suffix);
}

static void print_table(FILE *out, const survkit_km *km, const group_summary *s,
                        const report_km_options *opt)
{
    size_t k = survkit_km_n_groups(km);
    bool rmean = !isnan(opt->tau);
    enum { RECORDS, NMAX, NSTART, EVENTS, RMEAN, SERMEAN, MEDIAN, LCL, UCL, NCOL };
    double *v = calloc(k * NCOL + 1, sizeof *v);
    if (v == NULL) return;
    bool nmax_eq = true, rec_eq = true;
    for (size_t g = 0; g < k; g++) {
        double row[NCOL] = {(double)survkit_km_records(km, g), survkit_km_n_max(km, g),
                            survkit_km_n_start(km, g), survkit_km_events(km, g), s[g].rmst[0],
                            s[g].rmst[1], s[g].median[0], s[g].median[1], s[g].median[2]};
        for (int c = 0; c < NCOL; c++) v[c * k + g] = row[c];
        if (row[NMAX] != row[NSTART]) nmax_eq = false;
    }
    for (size_t g = 0; g < k; g++)
        if (v[RECORDS * k + g] != v[(nmax_eq ? NSTART : NMAX) * k + g]) rec_eq = false;
    char lcl[48], ucl[48];
    double level = survkit_km_options_used(km)->conf_level;
    level_label(level, "LCL", lcl, sizeof lcl);
    level_label(level, "UCL", ucl, sizeof ucl);
    const char *names[NCOL] = {"records", "n.max", nmax_eq ? "n" : "n.start", "events",
                               "rmean*", "se(rmean)", "median", lcl, ucl};
    bool keep[NCOL] = {!rec_eq, !nmax_eq, true, true, rmean, rmean, true, true, true};
    double *x = calloc(k * NCOL + 1, sizeof *x);
    const char *cn[NCOL];
    size_t nc = 0;
    for (int c = 0; c < NCOL && x; c++) {
        if (!keep[c]) continue;
        memcpy(x + nc * k, v + c * k, k * sizeof *x);
        cn[nc++] = names[c];
    }
    const char **rn = calloc(k + 1, sizeof *rn);
    if (x && rn) {
        bool named = k > 1;
        for (size_t g = 0; g < k; g++) rn[g] = named ? survkit_km_group_label(km, g) : NULL;
        rmatrix_print(out, x, k, nc, rn, cn, 3);
        if (rmean) {
            char tau[64];
            rformat_number(opt->tau, 7, tau, sizeof tau);
            fprintf(out, "    * restricted mean with upper limit =  %s \n", tau);
        }
    }
    free(rn);
    free(x);
    free(v);
}

static void print_quantiles(FILE *out, const survkit_km *km, const group_summary *s,
                            const report_km_options *opt)
{
    size_t k = survkit_km_n_groups(km), nq = opt->n_quantiles;
    double level = survkit_km_options_used(km)->conf_level;
    char head[3][48];
    snprintf(head[0], sizeof head[0], "quantile");
    level_label(level, "LCL", head[1], sizeof head[1]);
    level_label(level, "UCL", head[2], sizeof head[2]);
    fprintf(out, "\nQuantiles (quantile(fit, probs)):\n");
    double *x = malloc(3 * nq * sizeof *x + 1);
    char (*pn)[32] = malloc(nq * sizeof *pn + 1);
    const char **rn = malloc(nq * sizeof *rn + 1);
    if (x && pn && rn) {
        for (size_t j = 0; j < nq; j++) {
            char p[24];
            rformat_number(opt->quantiles[j] * 100, 7, p, sizeof p);
            snprintf(pn[j], sizeof pn[j], "%s%%", p);
            rn[j] = pn[j];
        }
        const char *cn[3] = {head[0], head[1], head[2]};
        for (size_t g = 0; g < k; g++) {
            if (k > 1) fprintf(out, "%s%s\n", g ? "\n" : "", survkit_km_group_label(km, g));
            memcpy(x, s[g].q, 3 * nq * sizeof *x);
            rmatrix_print(out, x, nq, 3, rn, cn, 3);
        }
    }
    free(x);
    free(pn);
    free(rn);
}

/* summary(fit) (rows with events) or summary(fit, times =) for every group. */
static survkit_status print_curves(FILE *out, const survkit_km *km, const report_km_options *opt,
                                   survkit_error *err)
{
    size_t k = survkit_km_n_groups(km);
    double level = survkit_km_options_used(km)->conf_level;
    char lo[48], hi[48], pct[24];
    rformat_number(level * 100, 7, pct, sizeof pct);
    snprintf(lo, sizeof lo, "lower %s%% CI", pct);
    snprintf(hi, sizeof hi, "upper %s%% CI", pct);
    const char *cn[7] = {"time", "n.risk", "n.event", "survival", "std.err", lo, hi};
    for (size_t g = 0; g < k; g++) {
        size_t nt = survkit_km_n_times(km, g), cap = opt->n_times > nt ? opt->n_times : nt;
        double *buf = malloc((8 * cap + 1) * sizeof *buf), *x = malloc((7 * cap + 1) * sizeof *x);
        if (buf == NULL || x == NULL) {
            free(buf), free(x);
            return SURVKIT_ERR_NOMEM;
        }
        double *col[8];
        for (int c = 0; c < 8; c++) col[c] = buf + c * cap;
        size_t rows = 0;
        if (opt->n_times > 0) {
            survkit_status st = survkit_km_at_times(km, g, opt->times, opt->n_times, col, &rows, err);
            if (st != SURVKIT_OK) {
                free(buf), free(x);
                return st;
            }
        } else {
            const survkit_km_column src[8] = {SURVKIT_KM_TIME, SURVKIT_KM_N_RISK, SURVKIT_KM_N_EVENT,
                                              SURVKIT_KM_N_CENSOR, SURVKIT_KM_SURV, SURVKIT_KM_STD_ERR,
                                              SURVKIT_KM_LOWER, SURVKIT_KM_UPPER};
            const double *v[8];
            for (int c = 0; c < 8; c++) v[c] = survkit_km_column_values(km, g, src[c]);
            /* std.err is already that of surv with the robust variance and ctype 1 (logse FALSE) */
            const bool se_of_surv =
                survkit_km_is_robust(km) && survkit_km_options_used(km)->ctype == 1;
            for (size_t i = 0; i < nt; i++) {
                if (!(v[2][i] > 0)) continue;
                for (int c = 0; c < 8; c++) col[c][rows] = v[c][i];
                col[5][rows] = se_of_surv ? v[5][i] : v[4][i] * v[5][i]; /* that of surv */
                rows++;
            }
        }
        const int from[7] = {0, 1, 2, 4, 5, 6, 7};
        for (int c = 0; c < 7; c++) memcpy(x + c * rows, col[from[c]], rows * sizeof *x);
        if (k > 1) fprintf(out, "\n                %s \n", survkit_km_group_label(km, g));
        else fputc('\n', out);
        const char **blank = calloc(rows + 1, sizeof *blank);
        if (blank != NULL && rows > 0) {
            for (size_t r = 0; r < rows; r++) blank[r] = ""; /* summary's rows are unnamed */
            rmatrix_print(out, x, rows, 7, blank, cn, 3);
        }
        free(blank);
        free(buf);
        free(x);
    }
    return SURVKIT_OK;
}

survkit_status report_km_text(FILE *out, const survkit_km *km, const report_km_options *opt,
                              survkit_error *err)
{
    group_summary *s = NULL;
    survkit_status st = summarise(km, opt, &s, err);
    if (st != SURVKIT_OK) return st;
    fprintf(out, "Call: survfit(formula = %s)\n\n", opt->formula ? opt->formula : "");
    if (opt->n_dropped > 0)
        fprintf(out, "   %zu observation%s deleted due to missingness \n", opt->n_dropped,
                opt->n_dropped == 1 ? "" : "s");
    print_table(out, km, s, opt);
    if (opt->n_quantiles > 0) print_quantiles(out, km, s, opt);
    if (opt->summary || opt->n_times > 0) st = print_curves(out, km, opt, err);
    free_summaries(s, survkit_km_n_groups(km));
    return st;
}

static void json_triple(json_writer *w, const char *key, const char *k0, double a, double lo,
                        double hi)
{
    json_object_begin(w, key);
    json_number(w, k0, a);
    json_number(w, "lower", lo);
    json_number(w, "upper", hi);
    json_object_end(w);
}

survkit_status report_km_json(FILE *out, const survkit_km *km, const report_km_options *opt,
                              survkit_error *err)
{
    group_summary *s = NULL;
    survkit_status st = summarise(km, opt, &s, err);
    if (st != SURVKIT_OK) return st;
    const survkit_km_options *fo = survkit_km_options_used(km);
    json_writer w;
    json_init(&w, out);
    json_object_begin(&w, NULL);
    json_string(&w, "command", "km");
    json_string(&w, "conf_type", survkit_conf_type_name(fo->conf_type));
    json_number(&w, "conf_level", fo->conf_level);
    json_integer(&w, "ctype", fo->ctype);
    json_string(&w, "type", survkit_km_is_counting(km) ? "counting" : "right");
    json_integer(&w, "n_dropped", (long long)opt->n_dropped);
    json_array_begin(&w, "strata");
    static const struct { const char *key; survkit_km_column col; } cols[] = {
        {"time", SURVKIT_KM_TIME},         {"n_risk", SURVKIT_KM_N_RISK},
        {"n_event", SURVKIT_KM_N_EVENT},   {"n_censor", SURVKIT_KM_N_CENSOR},
        {"surv", SURVKIT_KM_SURV},         {"std_err", SURVKIT_KM_STD_ERR},
        {"lower", SURVKIT_KM_LOWER},       {"upper", SURVKIT_KM_UPPER},
        {"cumhaz", SURVKIT_KM_CUMHAZ},     {"std_chaz", SURVKIT_KM_STD_CHAZ}};
    for (size_t g = 0; g < survkit_km_n_groups(km); g++) {
        json_object_begin(&w, NULL);
        json_string(&w, "label", survkit_km_group_label(km, g));
        json_integer(&w, "n", (long long)survkit_km_records(km, g));
        json_number(&w, "events", survkit_km_events(km, g));
        json_number(&w, "n_max", survkit_km_n_max(km, g));
        json_number(&w, "n_start", survkit_km_n_start(km, g));
        json_triple(&w, "median", "estimate", s[g].median[0], s[g].median[1], s[g].median[2]);
        if (opt->n_quantiles > 0) {
            json_array_begin(&w, "quantiles");
            for (size_t j = 0; j < opt->n_quantiles; j++) {
                json_object_begin(&w, NULL);
                json_number(&w, "p", opt->quantiles[j]);
                json_number(&w, "estimate", s[g].q[j]);
                json_number(&w, "lower", s[g].q[opt->n_quantiles + j]);
                json_number(&w, "upper", s[g].q[2 * opt->n_quantiles + j]);
                json_object_end(&w);
            }
            json_array_end(&w);
        }
        if (!isnan(opt->tau)) {
            json_object_begin(&w, "rmst");
            json_number(&w, "tau", opt->tau);
            json_number(&w, "estimate", s[g].rmst[0]);
            json_number(&w, "se", s[g].rmst[1]);
            json_object_end(&w);
        }
        size_t nt = survkit_km_n_times(km, g);
        for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++)
            json_number_array(&w, cols[c].key, survkit_km_column_values(km, g, cols[c].col), nt);
        json_object_end(&w);
    }
    json_array_end(&w);
    report_timings_json(&w, opt->timings);
    json_object_end(&w);
    json_finish(&w);
    free_summaries(s, survkit_km_n_groups(km));
    return SURVKIT_OK;
}

survkit_status report_km_csv(FILE *out, const survkit_km *km, survkit_error *err)
{
    (void)err;
    static const char *const names[SURVKIT_KM_N_COLUMNS] = {
        "time", "n_risk", "n_event", "n_censor", "surv", "std_err", "lower", "upper", "cumhaz",
        "std_chaz"};
    fputs("strata", out);
    for (int c = 0; c < SURVKIT_KM_N_COLUMNS; c++) fprintf(out, ",%s", names[c]);
    fputc('\n', out);
    for (size_t g = 0; g < survkit_km_n_groups(km); g++) {
        const double *v[SURVKIT_KM_N_COLUMNS];
        for (int c = 0; c < SURVKIT_KM_N_COLUMNS; c++)
            v[c] = survkit_km_column_values(km, g, (survkit_km_column)c);
        for (size_t i = 0; i < survkit_km_n_times(km, g); i++) {
            csv_text(out, survkit_km_group_label(km, g), true);
            for (int c = 0; c < SURVKIT_KM_N_COLUMNS; c++) {
                fputc(',', out);
                csv_number(out, v[c][i]);
            }
            fputc('\n', out);
        }
    }
    return SURVKIT_OK;
}
