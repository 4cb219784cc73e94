/*
 * csv_loader.h: a tiny test-only reader of the committed datasets/NAME.csv files (R's write.csv
 * output: a quoted header, quoted strings, NA for missing), building a survkit_table with
 * survkit_table_add_numeric/add_string. Not a general CSV parser: the library has its own reader.
 * A column is numeric when every non-missing field parses as a number (quotes do not matter).
 */
#ifndef SURVKIT_TEST_CSV_LOADER_H
#define SURVKIT_TEST_CSV_LOADER_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <survkit/survkit.h>

/* Split one line into fields (quotes removed, in place); returns the number of fields. */
static size_t csv_loader_split(char *line, char **fields, size_t max_fields)
{
    size_t n = 0;
    char *s = line;
    for (;;) {
        char *start = s, *w = s;
        if (*s == '"') {
            s++;
            for (;;) {
                if (*s == '"' && s[1] == '"') { *w++ = '"'; s += 2; }
                else if (*s == '"') { s++; break; }
                else if (*s == '\0') break;
                else *w++ = *s++;
            }
        } else {
            while (*s && *s != ',' && *s != '\n' && *s != '\r') *w++ = *s++;
        }
        char end = *s;
        *w = '\0';
        if (n < max_fields) fields[n++] = start;
        if (end != ',') break;
        s++;
    }
    return n;
}

/* Load datasets/<name>.csv from `dir`; NULL on any problem. */
static survkit_table *csv_loader_read(const char *dir, const char *name)
{
    enum { MAX_COLUMNS = 64, MAX_LINE = 1 << 16 };
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.csv", dir, name);
    FILE *fp = fopen(path, "r");
    if (fp == NULL) return NULL;
    static char line[MAX_LINE];
    char *header[MAX_COLUMNS], *fields[MAX_COLUMNS];
    char **cells = NULL; /* row-major copies */
    size_t n_columns = 0, n_rows = 0, capacity = 0;
    char header_copy[MAX_LINE];
    if (fgets(header_copy, sizeof header_copy, fp) == NULL) { fclose(fp); return NULL; }
    n_columns = csv_loader_split(header_copy, header, MAX_COLUMNS);
    while (fgets(line, sizeof line, fp) != NULL) {
        if (line[0] == '\n' || line[0] == '\0') continue;
        size_t n = csv_loader_split(line, fields, MAX_COLUMNS);
        if (n != n_columns) { fclose(fp); return NULL; }
        if ((n_rows + 1) * n_columns > capacity) {
            capacity = 2 * (n_rows + 1) * n_columns;
            cells = realloc(cells, capacity * sizeof *cells);
        }
        for (size_t j = 0; j < n_columns; j++) {
            const char *f = fields[j];
            cells[n_rows * n_columns + j] = (strcmp(f, "NA") == 0 || f[0] == '\0') ? NULL : strdup(f);
        }
        n_rows++;
    }
    fclose(fp);
    survkit_table *table = NULL;
    survkit_table_create(n_rows, &table, NULL);
    double *numbers = malloc((n_rows + 1) * sizeof *numbers);
    const char **strings = malloc((n_rows + 1) * sizeof *strings);
    for (size_t j = 0; j < n_columns; j++) {
        int numeric = 1;
        for (size_t i = 0; i < n_rows; i++) {
            const char *f = cells[i * n_columns + j];
            char *end;
            if (f == NULL) { numbers[i] = NAN; continue; }
            numbers[i] = strtod(f, &end);
            if (*end != '\0' || end == f) numeric = 0;
            strings[i] = f;
        }
        for (size_t i = 0; i < n_rows; i++) strings[i] = cells[i * n_columns + j];
        if (numeric) survkit_table_add_numeric(table, header[j], numbers, NULL);
        else survkit_table_add_string(table, header[j], strings, NULL);
    }
    for (size_t k = 0; k < n_rows * n_columns; k++) free(cells[k]);
    free(cells);
    free(numbers);
    free(strings);
    return table;
}

#endif
