/*
 * cmd_describe.c: `survkit describe DATA`: each column's name, type and missing count; R's
 * summary() numbers for a numeric column (min, quartiles by quantile type 7, mean, max) and the
 * level counts of a string column (levels sorted as R's factor() sorts them in the C locale).
 * Text laid out like R's summary(), JSON, or CSV in long form. A statistics file's variable labels
 * and value labels are shown too, and a factor made from value labels lists its levels in the
 * order of their codes (R's levels(haven::as_factor(x))).
 */
#include "csv.h"
#include "cli.h"
#include "json.h"
#include "summary.h"
#include "report_timings.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Everything describe prints about one column. */
typedef struct column_report {
    const char *name;
    const char *label;           /* variable label, or NULL */
    bool is_string;
    bool is_factor;              /* levels in code order, not sorted */
    size_t missing;
    report_summary summary;      /* numeric */
    size_t n_levels;             /* string */
    const char *const *levels;
    size_t *order, *counts;
} column_report;

static const char *const statistic_names[6] = {"Min.", "1st Qu.", "Median", "Mean", "3rd Qu.", "Max."};
static const char *const statistic_keys[6] = {"min", "q1", "median", "mean", "q3", "max"};

static void statistics(const report_summary *s, double out[6])
{
    out[0] = s->min;
    out[1] = s->q1;
    out[2] = s->median;
    out[3] = s->mean;
    out[4] = s->q3;
    out[5] = s->max;
}

static bool build_reports(const survkit_table *t, survkit_collate collate, column_report *reports)
{
    for (size_t j = 0; j < survkit_table_n_columns(t); j++) {
        column_report *r = &reports[j];
        r->name = survkit_table_column_name(t, j);
        r->label = survkit_table_column_label(t, j);
        r->is_factor = survkit_table_is_factor(t, j);
        r->missing = survkit_table_n_missing(t, j);
        r->is_string = survkit_table_column_type(t, j) == SURVKIT_COLUMN_STRING;
        if (!r->is_string) {
            if (!report_summary_numeric(survkit_table_numeric(t, j), survkit_table_n_rows(t), &r->summary))
                return false;
            continue;
        }
        r->n_levels = survkit_table_n_levels(t, j);
        const char **levels = malloc((r->n_levels ? r->n_levels : 1) * sizeof *levels);
        r->levels = levels;
        r->order = malloc((r->n_levels ? r->n_levels : 1) * sizeof *r->order);
        r->counts = malloc((r->n_levels ? r->n_levels : 1) * sizeof *r->counts);
        if (levels == NULL || r->order == NULL || r->counts == NULL) return false;
        for (size_t k = 0; k < r->n_levels; k++) levels[k] = survkit_table_level(t, j, k);
        if (!report_level_counts(survkit_table_codes(t, j), survkit_table_n_rows(t), r->levels,
                                 r->n_levels, collate, r->order, r->counts))
            return false;
        for (size_t k = 0; r->is_factor && k < r->n_levels; k++) r->order[k] = k;
    }
    return true;
}

static void free_reports(column_report *reports, size_t n)
{
    for (size_t j = 0; reports != NULL && j < n; j++) {
        free((void *)reports[j].levels);
        free(reports[j].order);
        free(reports[j].counts);
    }
    free(reports);
}

/* A number as R's print(summary(x)) shows it, with `decimals` from report_decimals. */
static void format_value(char *buf, size_t size, double v, int decimals)
{
    if (v != v) snprintf(buf, size, "NA");
    else if (v == HUGE_VAL) snprintf(buf, size, "Inf");
    else if (v == -HUGE_VAL) snprintf(buf, size, "-Inf");
    else if (decimals < 0) snprintf(buf, size, "%.4g", v);
    else snprintf(buf, size, "%.*f", decimals, v);
}

/* A statistics file's variable labels, then each column's value labels (code = label). */
static void write_labels_text(FILE *out, const survkit_table *t, const column_report *reports)
{
    size_t n_columns = survkit_table_n_columns(t), width = 0;
    bool any_label = false, any_values = false;
    for (size_t j = 0; j < n_columns; j++) {
        if (reports[j].label != NULL && strlen(reports[j].name) > width) width = strlen(reports[j].name);
        any_label |= reports[j].label != NULL;
        any_values |= survkit_table_n_value_labels(t, j) > 0;
    }
    if (any_label) {
        fprintf(out, "\nvariable labels:\n");
        for (size_t j = 0; j < n_columns; j++)
            if (reports[j].label != NULL) fprintf(out, "  %-*s %s\n", (int)width, reports[j].name, reports[j].label);
    }
    if (!any_values) return;
    fprintf(out, "\nvalue labels:\n");
    for (size_t j = 0; j < n_columns; j++) {
        size_t n = survkit_table_n_value_labels(t, j);
        if (n == 0) continue;
        fprintf(out, "%s:\n", reports[j].name);
        for (size_t k = 0; k < n; k++) {
            double code;
            const char *text = survkit_table_value_label(t, j, k, &code);
            fprintf(out, "  %10.15g = %s\n", code, text);
        }
    }
}

static void write_text(FILE *out, const char *source, const survkit_table *t,
                       const column_report *reports,
                       const char *collate_name)
{
    size_t n_columns = survkit_table_n_columns(t), width = 6;
    bool any_numeric = false, any_string = false;
    for (size_t j = 0; j < n_columns; j++) {
        if (!reports[j].is_string && strlen(reports[j].name) > width) width = strlen(reports[j].name);
        any_numeric |= !reports[j].is_string;
        any_string |= reports[j].is_string;
    }
    fprintf(out, "%s: %zu rows, %zu columns\n", source, survkit_table_n_rows(t), n_columns);
    if (any_numeric) {
        fprintf(out, "\nnumeric columns:\n%-*s", (int)width, "");
        for (int s = 0; s < 6; s++) fprintf(out, " %10s", statistic_names[s]);
        fprintf(out, " %7s\n", "NA's");
        for (size_t j = 0; j < n_columns; j++) {
            if (reports[j].is_string) continue;
            double v[6];
            statistics(&reports[j].summary, v);
            int decimals = report_decimals(v, 6, 4);
            fprintf(out, "%-*s", (int)width, reports[j].name);
            for (int s = 0; s < 6; s++) {
                char buf[64];
                format_value(buf, sizeof buf, v[s], decimals);
                fprintf(out, " %10s", buf);
            }
            fprintf(out, " %7zu\n", reports[j].missing);
        }
    }
    if (any_string) {
        fprintf(out, "\nstring columns (levels in %s order):\n", collate_name);
        for (size_t j = 0; j < n_columns; j++) {
            const column_report *r = &reports[j];
            if (!r->is_string) continue;
            fprintf(out, "%s: %zu level%s, %zu missing%s\n", r->name, r->n_levels,
                    r->n_levels == 1 ? "" : "s", r->missing,
                    r->is_factor ? " (factor from value labels: levels in code order)" : "");
            size_t level_width = 4;
            for (size_t k = 0; k < r->n_levels; k++)
                if (strlen(r->levels[k]) > level_width) level_width = strlen(r->levels[k]);
            for (size_t k = 0; k < r->n_levels; k++)
                fprintf(out, "  %-*s %zu\n", (int)level_width, r->levels[r->order[k]],
                        r->counts[r->order[k]]);
            if (r->missing > 0) fprintf(out, "  %-*s %zu\n", (int)level_width, "NA's", r->missing);
        }
    }
    write_labels_text(out, t, reports);
}

static void write_json(FILE *out, const char *source, const survkit_table *t,
                       const column_report *reports, const double *timings)
{
    json_writer w;
    json_init(&w, out);
    json_object_begin(&w, NULL);
    json_string(&w, "command", "describe");
    json_string(&w, "source", source);
    json_integer(&w, "n_rows", (long long)survkit_table_n_rows(t));
    json_integer(&w, "n_columns", (long long)survkit_table_n_columns(t));
    json_array_begin(&w, "columns");
    for (size_t j = 0; j < survkit_table_n_columns(t); j++) {
        const column_report *r = &reports[j];
        json_object_begin(&w, NULL);
        json_string(&w, "name", r->name);
        json_string(&w, "type", r->is_string ? "string" : "numeric");
        json_integer(&w, "missing", (long long)r->missing);
        if (!r->is_string) {
            double v[6];
            statistics(&r->summary, v);
            for (int s = 0; s < 6; s++) json_number(&w, statistic_keys[s], v[s]);
        } else {
            json_integer(&w, "n_levels", (long long)r->n_levels);
            json_array_begin(&w, "levels");
            for (size_t k = 0; k < r->n_levels; k++) {
                json_object_begin(&w, NULL);
                json_string(&w, "level", r->levels[r->order[k]]);
                json_integer(&w, "count", (long long)r->counts[r->order[k]]);
                json_object_end(&w);
            }
            json_array_end(&w);
        }
        /* A statistics file's labels, after the keys every column has. */
        if (r->label != NULL) json_string(&w, "label", r->label);
        if (r->is_factor) json_bool(&w, "factor", true);
        size_t n_value_labels = survkit_table_n_value_labels(t, j);
        if (n_value_labels > 0) {
            json_array_begin(&w, "value_labels");
            for (size_t k = 0; k < n_value_labels; k++) {
                double code;
                const char *text = survkit_table_value_label(t, j, k, &code);
                json_object_begin(&w, NULL);
                json_number(&w, "value", code);
                json_string(&w, "label", text);
                json_object_end(&w);
            }
            json_array_end(&w);
        }
        json_object_end(&w);
    }
    json_array_end(&w);
    report_timings_json(&w, timings);
    json_object_end(&w);
    json_finish(&w);
}

static void csv_row(FILE *out, const column_report *r, const char *statistic, double value)
{
    csv_text(out, r->name, false);
    fprintf(out, ",%s,%zu,", r->is_string ? "string" : "numeric", r->missing);
    csv_text(out, statistic, false);
    if (value != value) fprintf(out, ",NA\n");
    else fprintf(out, ",%.17g\n", value);
}

/* Long form: one row per statistic of a numeric column and per level of a string column. */
static void write_csv(FILE *out, const survkit_table *t, const column_report *reports)
{
    fprintf(out, "column,type,missing,statistic,value\n");
    for (size_t j = 0; j < survkit_table_n_columns(t); j++) {
        const column_report *r = &reports[j];
        if (!r->is_string) {
            double v[6];
            statistics(&r->summary, v);
            for (int s = 0; s < 6; s++) csv_row(out, r, statistic_keys[s], v[s]);
        } else {
            for (size_t k = 0; k < r->n_levels; k++)
                csv_row(out, r, r->levels[r->order[k]], (double)r->counts[r->order[k]]);
        }
    }
}

int cli_describe(int argc, char **argv)
{
    cli_common common = {0};
    common.accepts_collate = true;
    int status = cli_parse(argc, argv, &common, NULL, 0, "survkit describe [options] DATA",
                           "Show each column's type and missing values, R's summary() of each "
                           "numeric column and the level counts of each string column.");
    if (status >= 0) return status;
    /* The output is opened before any work: a bad path fails now and leaves nothing behind. */
    cli_output out;
    if (!cli_output_open(&common, &out)) return CLI_EXIT_USAGE;
    cli_timings timings;
    cli_timings_start(&timings, &common);
    survkit_table *table = NULL;
    if (!cli_read_table_timed(&common, &table, &timings)) {
        cli_output_abort(&out);
        return CLI_EXIT_USAGE;
    }
    size_t n_columns = survkit_table_n_columns(table);
    column_report *reports = calloc(n_columns ? n_columns : 1, sizeof *reports);
    const survkit_collate collate = common.collate_c ? SURVKIT_COLLATE_C : SURVKIT_COLLATE_UTF8;
    if (reports == NULL || !build_reports(table, collate, reports)) {
        free_reports(reports, n_columns);
        survkit_table_free(table);
        cli_output_abort(&out);
        return cli_fail(&common, "out of memory");
    }
    const char *source = strcmp(common.data_path, "-") == 0 ? "<stdin>" : common.data_path;
    double tv[CLI_TIMINGS_LEN];
    const double *json_timings = cli_timings_for_json(&common, &timings, tv);
    int exit_status = CLI_EXIT_OK;
    if (common.format == CLI_FORMAT_JSON) write_json(out.stream, source, table, reports, json_timings);
    else if (common.format == CLI_FORMAT_CSV) write_csv(out.stream, table, reports);
    else write_text(out.stream, source, table, reports,
                    common.collate_c ? "C-locale (bytes)" : "R's UTF-8");
    if (!cli_output_commit(&common, &out)) exit_status = CLI_EXIT_USAGE;
    cli_report_timings(&common, &timings);
    free_reports(reports, n_columns);
    survkit_table_free(table);
    return exit_status;
}
