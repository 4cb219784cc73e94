/*
 * report_zph.c: cox.zph reports. The text is R's print.cox.zph, i.e. printCoefmat(table,
 * digits = 3, P.values = TRUE, has.Pvalue = TRUE): chisq is the estimate column (rounded to
 * max(1, 3 - digmin) decimals, digmin = 1 + floor(log10(smallest non-zero chisq)), then formatted
 * jointly with 3 digits), df the statistic column (round(df, 2), 3 digits), p by format.pval
 * with 2 digits; print.default right-aligns every column.
 */
#include "report_zph.h"
#include "report_timings.h"
#include "json.h"
#include "rformat.h"
#include "csv.h"
#include "csv_rows.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { CELL = 64, DIGITS = 3 };

void report_zph_text(FILE *out, const survkit_zph *z)
{
    const size_t n = survkit_zph_n_rows(z);
    char *cells = calloc(3 * n + 1, CELL);
    char **ptr = malloc((3 * n + 1) * sizeof *ptr);
    double *v = malloc((2 * n + 1) * sizeof *v);
    if (!cells || !ptr || !v) goto done;
    for (size_t k = 0; k < 3 * n; k++) ptr[k] = cells + k * CELL;
    double amin = 0;
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        double a = fabs(survkit_zph_chisq(z, i));
        if (isfinite(a) && a != 0 && (!any || a < amin)) amin = a, any = true;
    }
    int digmin = 1 + (any ? (int)floor(log10(amin)) : 0);
    int dec = DIGITS - digmin > 1 ? DIGITS - digmin : 1;
    double scale = pow(10.0, dec);
    for (size_t i = 0; i < n; i++) {
        v[i] = nearbyint(survkit_zph_chisq(z, i) * scale) / scale;
        v[n + i] = nearbyint(survkit_zph_df(z, i) * 100) / 100;
    }
    rformat_column(v, n, DIGITS, ptr, CELL);
    rformat_column(v + n, n, DIGITS, ptr + n, CELL);
    for (size_t i = 0; i < n; i++) v[i] = survkit_zph_p(z, i);
    rformat_pvalues(v, n, DIGITS - 1, ptr + 2 * n, CELL);

    const char *header[3] = {"chisq", "df", "p"};
    size_t name_w = 0, width[3];
    for (size_t i = 0; i < n; i++)
        if (strlen(survkit_zph_row_name(z, i)) > name_w) name_w = strlen(survkit_zph_row_name(z, i));
    for (size_t c = 0; c < 3; c++) {
        width[c] = strlen(header[c]);
        for (size_t i = 0; i < n; i++)
            if (strlen(ptr[i + c * n]) > width[c]) width[c] = strlen(ptr[i + c * n]);
    }
    fprintf(out, "%*s", (int)name_w, "");
    for (size_t c = 0; c < 3; c++) fprintf(out, " %*s", (int)width[c], header[c]);
    fputc('\n', out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%-*s", (int)name_w, survkit_zph_row_name(z, i));
        for (size_t c = 0; c < 3; c++) fprintf(out, " %*s", (int)width[c], ptr[i + c * n]);
        fputc('\n', out);
    }
done:
    free(cells), free(ptr), free(v);
}

void report_zph_json(FILE *out, const survkit_zph *z, const char *const *warnings,
                     size_t n_warnings, const double *timings)
{
    json_writer w;
    json_init(&w, out);
    json_object_begin(&w, NULL);
    json_string(&w, "command", "zph");
    json_string(&w, "transform", survkit_zph_transform_name(survkit_zph_transform_used(z)));
    json_array_begin(&w, "rows");
    for (size_t i = 0; i < survkit_zph_n_rows(z); i++) {
        json_object_begin(&w, NULL);
        json_string(&w, "name", survkit_zph_row_name(z, i));
        json_number(&w, "chisq", survkit_zph_chisq(z, i));
        json_number(&w, "df", survkit_zph_df(z, i));
        json_number(&w, "p", survkit_zph_p(z, i));
        json_object_end(&w);
    }
    json_array_end(&w);
    json_integer(&w, "events", (long long)survkit_zph_n_events(z));
    if (n_warnings > 0) {
        json_array_begin(&w, "warnings");
        for (size_t k = 0; k < n_warnings; k++) json_string(&w, NULL, warnings[k]);
        json_array_end(&w);
    }
    report_timings_json(&w, timings);
    json_object_end(&w);
    json_finish(&w);
}

void report_zph_csv(FILE *out, const survkit_zph *z)
{
    fputs("name,chisq,df,p\n", out);
    for (size_t i = 0; i < survkit_zph_n_rows(z); i++) {
        fprintf(out, "\"%s\",", survkit_zph_row_name(z, i));
        csv_number(out, survkit_zph_chisq(z, i));
        fputc(',', out);
        csv_number(out, survkit_zph_df(z, i));
        fputc(',', out);
        csv_number(out, survkit_zph_p(z, i));
        fputc('\n', out);
    }
}

/* An event's CSV row: its time, transformed time, stratum's label and scaled residuals. */
typedef struct zph_rows {
    const survkit_cox_model *m;
    const int32_t *strata;
    const double *t, *x, *r;
    size_t ne, nt;
} zph_rows;

static size_t zph_row_text(const void *ctx, size_t e, char *buf)
{
    const zph_rows *z = ctx;
    size_t at = csv_number_text(buf, z->t[e]);
    buf[at++] = ',';
    at += csv_number_text(buf + at, z->x[e]);
    if (z->strata) {
        buf[at++] = ',';
        at += csv_quoted_text(buf + at, survkit_cox_model_strata_label(z->m, (size_t)z->strata[e]));
    }
    for (size_t k = 0; k < z->nt; k++)
        buf[at++] = ',', at += csv_number_text(buf + at, z->r[e + k * z->ne]);
    buf[at++] = '\n';
    return at;
}

bool report_zph_residuals_csv(FILE *out, const survkit_zph *z, const survkit_cox_model *m)
{
    const size_t ne = survkit_zph_n_events(z), nt = survkit_zph_n_rows(z) - 1;
    const int32_t *strata = survkit_zph_strata(z);
    fputs("time,transformed_time", out);
    if (strata) fputs(",strata", out);
    for (size_t k = 0; k < nt; k++) fprintf(out, ",\"%s\"", survkit_zph_row_name(z, k));
    fputc('\n', out);
    size_t longest = 0; /* the quoted stratum label and its comma */
    for (size_t s = 0; strata && s < survkit_cox_model_n_strata(m); s++)
        if (strlen(survkit_cox_model_strata_label(m, s)) + 3 > longest)
            longest = strlen(survkit_cox_model_strata_label(m, s)) + 3;
    zph_rows text = {m, strata, survkit_zph_time(z), survkit_zph_x(z), survkit_zph_resid(z),
                     ne, nt};
    return csv_rows_write(out, ne, longest + (2 + nt) * (1 + CSV_NUMBER_MAX) + 1, zph_row_text,
                          &text);
}
