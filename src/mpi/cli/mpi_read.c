/*
 * mpi_read.c: this rank's part of the data. A delimited text file is split into K byte ranges at
 * line ends (a quoted field holding a line break must not straddle a boundary): each rank reads the
 * header and its range, and its lines are numbered after those of the ranges before it (MPI_Exscan).
 * With "%d" in the path, rank r reads the file named with r. Other formats (SPSS, Stata, SAS,
 * compressed text) are read whole by every rank, which keeps its K-th of the rows.
 */
#include "mpi_cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool has_suffix(const char *path, const char *const *suffixes, size_t n)
{
    size_t len = strlen(path);
    for (size_t k = 0; k < n; k++) {
        size_t m = strlen(suffixes[k]);
        if (len > m && strcasecmp(path + len - m, suffixes[k]) == 0) return true;
    }
    return false;
}

/* Files that cannot be split by bytes: statistics formats and compressed text. */
static bool read_whole(const char *path)
{
    static const char *const suffixes[] = {".sav", ".zsav", ".por", ".dta", ".sas7bdat",
                                           ".xpt", ".gz", ".zst"};
    return has_suffix(path, suffixes, sizeof suffixes / sizeof suffixes[0]);
}

static void read_options(const cli_common *common, survkit_read_options *opt)
{
    survkit_read_options_init(opt);
    opt->separator = common->separator;
    opt->encoding = common->encoding;
    opt->na_tokens = common->na_tokens;
    opt->n_na_tokens = common->n_na_tokens;
    opt->value_labels = !common->no_labels;
    opt->threads = 1; /* the ranks share the cores */
}

/* The first byte at or after `pos` that starts a line (pos itself when the byte before is '\n'). */
static long line_start(FILE *f, long pos, long end)
{
    if (fseek(f, pos - 1, SEEK_SET) != 0) return -1;
    int c;
    while (pos - 1 < end && (c = fgetc(f)) != EOF) {
        if (c == '\n') return pos;
        pos++;
    }
    return end;
}

/* This rank's byte range of a delimited text file, after the header, into *buf with the header
 * before it. */
static survkit_status read_range(const char *path, int rank, int K, char **buf, size_t *len,
                                 survkit_error *err)
{
    *buf = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL) return mpi_cli_error(err, SURVKIT_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    survkit_status st = SURVKIT_OK;
    long size = -1, header = 0;
    if (fseek(f, 0, SEEK_END) == 0) size = ftell(f);
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return mpi_cli_error(err, SURVKIT_ERR_IO, "cannot read %s: %s", path, "not a regular file");
    }
    int c;
    while ((c = fgetc(f)) != EOF && c != '\n') header++;
    header += c == '\n';
    const long data = size - header;
    long a = header + (long)((double)data * rank / K), b = header + (long)((double)data * (rank + 1) / K);
    if (rank == 0) a = header;
    if (rank == K - 1) b = size;
    if (a > header) a = line_start(f, a, size);
    if (b > header && b < size) b = line_start(f, b, size);
    if (a < 0 || b < 0) st = mpi_cli_error(err, SURVKIT_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    if (b < a) b = a;
    if (st == SURVKIT_OK && (*buf = malloc((size_t)(header + (b - a)) + 1)) == NULL)
        st = mpi_cli_error(err, SURVKIT_ERR_NOMEM, "out of memory reading %s", path);
    if (st == SURVKIT_OK) {
        *len = (size_t)(header + (b - a));
        bool ok = fseek(f, 0, SEEK_SET) == 0 && fread(*buf, 1, (size_t)header, f) == (size_t)header &&
                  fseek(f, a, SEEK_SET) == 0 &&
                  fread(*buf + header, 1, (size_t)(b - a), f) == (size_t)(b - a);
        if (!ok) st = mpi_cli_error(err, SURVKIT_ERR_IO, "cannot read %s: %s", path, "short read");
        else if (header > 0 && (*buf)[header - 1] != '\n' && b > a) /* a header without newline */
            st = mpi_cli_error(err, SURVKIT_ERR_IO, "cannot read %s: %s", path, "no line end after the header");
    }
    fclose(f);
    if (st != SURVKIT_OK) {
        free(*buf);
        *buf = NULL;
    }
    return st;
}

static size_t count_lines(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += s[i] == '\n';
    return k;
}

/* Rows [*first_row, + *n_rows) of *table are this rank's (all but when every rank reads the whole
 * file); part->line_offset: the data lines before them in the file. */
survkit_status mpi_read_part(const cli_common *common, int rank, int K, mpi_part *part,
                             survkit_table **table, size_t *first_row, size_t *n_rows,
                             survkit_error *err)
{
    *first_row = 0;
    *n_rows = SIZE_MAX; /* all the table's rows */
    survkit_read_options opt;
    read_options(common, &opt);
    const char *path = common->data_path;
    part->source = path;
    survkit_status st;
    size_t lines = 0;
    if (strcmp(path, "-") == 0) {
        st = mpi_cli_error(err, SURVKIT_ERR_ARGUMENT,
                           "survkit-mpi reads a file (every rank reads its part), not standard input");
    } else if (strstr(path, "%d") != NULL) {
        const char *at = strstr(path, "%d"); /* the path with %d replaced by the rank */
        snprintf(part->source_buf, sizeof part->source_buf, "%.*s%d%s", (int)(at - path), path,
                 rank, at + 2);
        part->source = part->source_buf;
        st = survkit_table_read_file(part->source, &opt, table, err);
    } else if (read_whole(path)) {
        survkit_table *whole = NULL;
        st = survkit_table_read_file(path, &opt, &whole, err);
        if (st == SURVKIT_OK) { /* rows [rank n / K, (rank + 1) n / K), sliced by mpi_make_global */
            *table = whole;
            const size_t n = survkit_table_n_rows(whole);
            part->line_offset = (size_t)rank * n / (size_t)K;
            lines = (size_t)(rank + 1) * n / (size_t)K - part->line_offset;
        }
        *first_row = part->line_offset;
        *n_rows = lines;
        return st;
    } else {
        char *buf = NULL;
        size_t len = 0;
        st = read_range(path, rank, K, &buf, &len, err);
        const size_t newlines = st == SURVKIT_OK ? count_lines(buf, len) : 0;
        lines = newlines > 0 ? newlines - 1 : 0; /* the header's line end is not a data line */
        unsigned long long mine = lines, before = 0;
        MPI_Exscan(&mine, &before, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
        part->line_offset = rank == 0 ? 0 : (size_t)before;
        if (st == SURVKIT_OK) st = survkit_table_read_buffer(buf, len, path, &opt, table, err);
        free(buf);
        return st;
    }
    return st;
}
