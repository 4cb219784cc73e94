/*
 * cmd_convert.c: `survkit convert DATA -o FILE.csv`: any data file survkit reads (SPSS, Stata,
 * SAS, compressed CSV) written as CSV, the table as survkit sees it: a factor from value labels as
 * its labels, dates as days and date-times as seconds since 1970-01-01, missing values as NA.
 * Text in double quotes as R's write.csv writes it; numbers with the fewest digits that read back
 * to the same double, so the CSV gives the same fits as the original.
 */
#include "csv.h"
#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The shortest of %.15g, %.16g and %.17g that reads back as x; whole numbers at once. */
static void write_number(FILE *out, double x)
{
    if (isnan(x) || isinf(x)) {
        csv_number(out, x);
        return;
    }
    if (x == (double)(long long)x && fabs(x) < 0x1p53) {
        fprintf(out, "%lld", (long long)x);
        return;
    }
    char buf[40];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, x);
        if (strtod(buf, NULL) == x) break;
    }
    fputs(buf, out);
}

static void write_table(FILE *out, const survkit_table *t)
{
    size_t n = survkit_table_n_rows(t), p = survkit_table_n_columns(t);
    for (size_t j = 0; j < p; j++) {
        if (j > 0) fputc(',', out);
        csv_text(out, survkit_table_column_name(t, j), true);
    }
    fputc('\n', out);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < p; j++) {
            if (j > 0) fputc(',', out);
            if (survkit_table_column_type(t, j) == SURVKIT_COLUMN_NUMERIC) {
                write_number(out, survkit_table_numeric(t, j)[i]);
                continue;
            }
            int32_t code = survkit_table_codes(t, j)[i];
            if (code < 0) fputs("NA", out);
            else csv_text(out, survkit_table_level(t, j, (size_t)code), true);
        }
        fputc('\n', out);
    }
}

int cli_convert(int argc, char **argv)
{
    cli_common common = {0};
    int status = cli_parse(argc, argv, &common, NULL, 0, "survkit convert [options] DATA -o FILE.csv",
                           "Write DATA (SPSS .sav/.zsav/.por, Stata .dta, SAS .sas7bdat/.xpt, "
                           ".csv.gz, .csv.zst or CSV) as CSV: value labels as text, dates as days "
                           "and date-times as seconds since 1970-01-01, missing values as NA.");
    if (status >= 0) return status;
    if (common.format == CLI_FORMAT_JSON) return cli_fail(&common, "convert writes CSV only (--format csv)");
    cli_timings timings;
    cli_timings_start(&timings, &common);
    survkit_table *table = NULL;
    if (!cli_read_table_timed(&common, &table, &timings)) return CLI_EXIT_USAGE;
    cli_output out;
    int exit_status = CLI_EXIT_OK;
    if (!cli_output_open(&common, &out)) {
        exit_status = CLI_EXIT_USAGE;
    } else {
        write_table(out.stream, table);
        if (!cli_output_commit(&common, &out)) exit_status = CLI_EXIT_USAGE;
    }
    cli_report_timings(&common, &timings);
    survkit_table_free(table);
    return exit_status;
}
