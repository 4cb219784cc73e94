/*
 * mpi_load.c: each rank reads its part of the data and builds the frame of its rows so that the
 * frames of all ranks together are the frame of the whole file:
 *   - a delimited text file is split into K byte ranges at line ends, each rank reading the header
 *     and its range (a quoted field holding a line break must not straddle a boundary); with "%d"
 *     in the path, rank r reads the file named with r (each with its header); other formats
 *     (SPSS, Stata, SAS, compressed text) are read whole by every rank, which keeps its K-th of
 *     the rows;
 *   - the headers (names and kinds of the columns) must agree, else every rank stops;
 *   - a string column's levels become the union of every rank's, sorted as R sorts them, and its
 *     codes are renumbered (a table of factors with those levels: unused levels are kept, so the
 *     model matrix has the same columns on every rank);
 *   - km/logrank groups and strata: each rank sends one representative row per group and stratum
 *     it holds; every rank builds the frame of all those rows, whose groups and strata are then
 *     the global ones in R's order with R's labels (padding included), and renumbers its rows.
 * A failure on any rank stops all (survkit_mpi_agree); only the lowest failing rank prints.
 */
#include "mpi_cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static survkit_status set_error(survkit_error *err, survkit_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static survkit_status set_error(survkit_error *err, survkit_status st, const char *fmt, ...)
{
    survkit_error_clear(err);
    err->status = st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return st;
}

/* After an agreement: the lowest failing rank prints its error (lines of its part). */
static void report_if_first(survkit_mpi *mpi, const cli_common *common, const mpi_part *part,
                            survkit_error *err)
{
    if (survkit_mpi_failed_rank(mpi) != survkit_mpi_rank(mpi)) return;
    if (part != NULL && err->line > 1) err->line += part->line_offset;
    if (part != NULL && err->line > 0 && err->source[0] == '\0')
        snprintf(err->source, sizeof err->source, "%s", part->source);
    cli_report_error(common, err);
}

void mpi_cli_report(survkit_mpi *mpi, const cli_common *common, const mpi_part *part,
                    survkit_error *err)
{
    /* a fit's row (1-based over the frame) is its table row + 2 */
    if (err->line > 0 && part->frame && err->line <= survkit_frame_n(part->frame))
        err->line = survkit_frame_row_index(part->frame)[err->line - 1] + 2;
    report_if_first(mpi, common, part, err);
}

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

/*
 * This rank's byte range of a delimited text file, after the header, into *buf (header included);
 * *first_line: the number of data lines before the range is computed by the caller from the
 * lines of each range.
 */
static survkit_status read_range(const char *path, int rank, int K, char **buf, size_t *len,
                                 survkit_error *err)
{
    *buf = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL) return set_error(err, SURVKIT_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    survkit_status st = SURVKIT_OK;
    long size = -1, header = 0;
    if (fseek(f, 0, SEEK_END) == 0) size = ftell(f);
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return set_error(err, SURVKIT_ERR_IO, "cannot read %s: %s", path, "not a regular file");
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
    if (a < 0 || b < 0) st = set_error(err, SURVKIT_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    if (b < a) b = a;
    if (st == SURVKIT_OK && (*buf = malloc((size_t)(header + (b - a)) + 1)) == NULL)
        st = set_error(err, SURVKIT_ERR_NOMEM, "out of memory reading %s", path);
    if (st == SURVKIT_OK) {
        *len = (size_t)(header + (b - a));
        bool ok = fseek(f, 0, SEEK_SET) == 0 && fread(*buf, 1, (size_t)header, f) == (size_t)header &&
                  fseek(f, a, SEEK_SET) == 0 &&
                  fread(*buf + header, 1, (size_t)(b - a), f) == (size_t)(b - a);
        if (!ok) st = set_error(err, SURVKIT_ERR_IO, "cannot read %s: %s", path, "short read");
        else if (header > 0 && (*buf)[header - 1] != '\n' && b > a) /* a header without newline */
            st = set_error(err, SURVKIT_ERR_IO, "cannot read %s: %s", path, "no line end after the header");
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

static size_t count_strings(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += s[i] == '\0';
    return k;
}

/* Strings of every rank: each rank's `n` strings, NUL-terminated and concatenated, gathered on all
 * ranks. all[r] is the first string of rank r inside *buf; count[r] how many. */
typedef struct gathered {
    char *buf;
    int *bytes, *displ;
    size_t *count;
} gathered;

static void gathered_free(gathered *g)
{
    free(g->buf), free(g->bytes), free(g->displ), free(g->count);
    memset(g, 0, sizeof *g);
}

static bool gather_strings(int K, const char *const *s, size_t n, gathered *g)
{
    memset(g, 0, sizeof *g);
    size_t mine = 0;
    for (size_t k = 0; k < n; k++) mine += strlen(s[k]) + 1;
    char *local = malloc(mine + 1);
    g->bytes = calloc((size_t)K, sizeof *g->bytes);
    g->displ = calloc((size_t)K, sizeof *g->displ);
    g->count = calloc((size_t)K, sizeof *g->count);
    int ok = local && g->bytes && g->displ && g->count && mine < (size_t)1 << 30, all_ok = 0;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all_ok) {
        free(local);
        gathered_free(g);
        return false;
    }
    size_t at = 0;
    for (size_t k = 0; k < n; k++) {
        size_t m = strlen(s[k]) + 1;
        memcpy(local + at, s[k], m);
        at += m;
    }
    int b = (int)mine;
    MPI_Allgather(&b, 1, MPI_INT, g->bytes, 1, MPI_INT, MPI_COMM_WORLD);
    size_t total = 0;
    for (int r = 0; r < K; r++) {
        g->displ[r] = (int)total;
        total += (size_t)g->bytes[r];
    }
    g->buf = malloc(total + 1);
    ok = g->buf != NULL && total < (size_t)1 << 31;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all_ok) {
        free(local);
        gathered_free(g);
        return false;
    }
    MPI_Allgatherv(local, b, MPI_CHAR, g->buf, g->bytes, g->displ, MPI_CHAR, MPI_COMM_WORLD);
    free(local);
    for (int r = 0; r < K; r++)
        g->count[r] = count_strings(g->buf + g->displ[r], (size_t)g->bytes[r]);
    return true;
}

/* The k-th string of rank r in g (linear: headers and level lists are short). */
static const char *gathered_at(const gathered *g, int r, size_t k)
{
    const char *p = g->buf + g->displ[r];
    while (k-- > 0) p += strlen(p) + 1;
    return p;
}

/* A column's kind in the header exchange: numbers, numbers all missing, text, or a read factor. */
static char column_kind(const survkit_table *t, size_t j)
{
    if (survkit_table_is_factor(t, j)) return 'f';
    if (survkit_table_column_type(t, j) == SURVKIT_COLUMN_STRING) return 's';
    return survkit_table_n_missing(t, j) == survkit_table_n_rows(t) ? 'e' : 'n';
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Column j's global levels: the union of every rank's (sorted as R sorts them) for text; a read
 * factor's levels must be the same everywhere. Outputs the levels (pointers into g, valid while g
 * lives) and this rank's codes renumbered.
 */
static survkit_status global_levels(const cli_common *common, int K, const survkit_table *t,
                                    size_t j, bool factor, gathered *g, const char ***levels,
                                    size_t *n_levels, int32_t *codes, survkit_error *err)
{
    const size_t m = survkit_table_column_type(t, j) == SURVKIT_COLUMN_STRING ? survkit_table_n_levels(t, j) : 0;
    const char **mine = malloc((m + 1) * sizeof *mine);
    if (mine == NULL) return set_error(err, SURVKIT_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < m; k++) mine[k] = survkit_table_level(t, j, k);
    bool ok = gather_strings(K, mine, m, g);
    free(mine);
    if (!ok) return set_error(err, SURVKIT_ERR_NOMEM, "out of memory");
    size_t total = 0;
    for (int r = 0; r < K; r++) total += g->count[r];
    const char **all = malloc((total + 1) * sizeof *all);
    size_t *order = malloc((total + 1) * sizeof *order), *pos = malloc((total + 1) * sizeof *pos);
    const char **out = malloc((total + 1) * sizeof *out);
    if (!all || !order || !pos || !out) {
        free(all), free(order), free(pos), free(out);
        return set_error(err, SURVKIT_ERR_NOMEM, "out of memory");
    }
    size_t u = 0;
    for (int r = 0; r < K; r++)
        for (size_t k = 0; k < g->count[r]; k++) all[u++] = gathered_at(g, r, k);
    survkit_status st = SURVKIT_OK;
    if (factor) { /* the first rank's order; every rank holding levels must have the same */
        size_t n0 = 0;
        int first = -1;
        for (int r = 0; r < K && first < 0; r++)
            if (g->count[r] > 0) first = r, n0 = g->count[r];
        for (size_t k = 0; k < n0; k++) out[k] = gathered_at(g, first, k);
        u = n0;
        bool same = m == 0 || m == n0;
        for (size_t k = 0; same && k < m; k++) same = strcmp(survkit_table_level(t, j, k), out[k]) == 0;
        if (!same)
            st = set_error(err, SURVKIT_ERR_DOMAIN,
                           "column '%s': its labelled levels differ between the parts",
                           survkit_table_column_name(t, j));
        for (size_t k = 0; k < m; k++) pos[k] = k;
    } else { /* union: sorted by bytes, repeats dropped, then put in R's order */
        qsort(all, u, sizeof *all, cmp_str);
        size_t w = 0;
        for (size_t k = 0; k < u; k++)
            if (w == 0 || strcmp(all[k], all[w - 1]) != 0) all[w++] = all[k];
        u = w;
        if (!survkit_collate_order(all, u, common->collate_c ? SURVKIT_COLLATE_C : SURVKIT_COLLATE_UTF8,
                                   order))
            st = set_error(err, SURVKIT_ERR_NOMEM, "out of memory");
        for (size_t k = 0; st == SURVKIT_OK && k < u; k++) {
            out[k] = all[order[k]];
            pos[order[k]] = k; /* byte-sorted index -> R's index */
        }
        /* this rank's level k -> its global index */
        for (size_t k = 0; st == SURVKIT_OK && k < m; k++) {
            const char *key = survkit_table_level(t, j, k);
            const char **hit = bsearch(&key, all, u, sizeof *all, cmp_str);
            order[k] = pos[hit - all];
        }
        for (size_t k = 0; st == SURVKIT_OK && k < m; k++) pos[k] = order[k];
    }
    const size_t n = survkit_table_n_rows(t);
    const int32_t *local = m > 0 ? survkit_table_codes(t, j) : NULL;
    for (size_t i = 0; st == SURVKIT_OK && i < n; i++)
        codes[i] = local == NULL || local[i] < 0 ? -1 : (int32_t)pos[local[i]];
    free(all), free(order), free(pos);
    if (st != SURVKIT_OK) {
        free(out);
        return st;
    }
    *levels = out;
    *n_levels = u;
    return SURVKIT_OK;
}

/* Read this rank's table: rows [*first_row, + *n_rows) of it are this rank's (all but when every
 * rank reads the whole file). part->line_offset: the data lines before them in the file. */
static survkit_status read_part(const cli_common *common, int rank, int K, mpi_part *part,
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
        st = set_error(err, SURVKIT_ERR_ARGUMENT,
                       "survkit-mpi reads a file (every rank reads its part), not standard input");
        lines = 0;
    } else if (strstr(path, "%d") != NULL) {
        const char *at = strstr(path, "%d"); /* the path with %d replaced by the rank */
        snprintf(part->source_buf, sizeof part->source_buf, "%.*s%d%s", (int)(at - path), path,
                 rank, at + 2);
        part->source = part->source_buf;
        st = survkit_table_read_file(part->source, &opt, table, err);
    } else if (read_whole(path)) {
        survkit_table *whole = NULL;
        st = survkit_table_read_file(path, &opt, &whole, err);
        if (st == SURVKIT_OK) { /* keep rows [rank n / K, (rank + 1) n / K): a view of numbers */
            *table = whole; /* sliced in make_global (first_row, n_rows) */
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
        if (st == SURVKIT_OK) lines = count_lines(buf, len) - (len > 0);
        unsigned long long mine = lines, before = 0;
        MPI_Exscan(&mine, &before, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
        part->line_offset = rank == 0 ? 0 : (size_t)before;
        if (st == SURVKIT_OK) st = survkit_table_read_buffer(buf, len, path, &opt, table, err);
        free(buf);
        return st;
    }
    return st;
}

/* The header of every rank against rank 0's, then the kinds made global. Collective. */
static survkit_status agree_header(survkit_mpi *mpi, const mpi_part *part, const survkit_table *t,
                                   char *kinds, survkit_error *err)
{
    const int K = survkit_mpi_size(mpi);
    const size_t nc = survkit_table_n_columns(t);
    char **mine = calloc(nc + 1, sizeof *mine);
    survkit_status st = mine ? SURVKIT_OK : set_error(err, SURVKIT_ERR_NOMEM, "out of memory");
    for (size_t j = 0; st == SURVKIT_OK && j < nc; j++) {
        const char *name = survkit_table_column_name(t, j);
        if ((mine[j] = malloc(strlen(name) + 2)) == NULL) {
            st = set_error(err, SURVKIT_ERR_NOMEM, "out of memory");
            break;
        }
        mine[j][0] = column_kind(t, j);
        strcpy(mine[j] + 1, name);
    }
    gathered g = {0};
    bool ok = st == SURVKIT_OK && gather_strings(K, (const char *const *)mine, nc, &g);
    if (st == SURVKIT_OK && !ok) st = set_error(err, SURVKIT_ERR_NOMEM, "out of memory");
    if (ok) {
        if (g.count[0] != nc)
            st = set_error(err, SURVKIT_ERR_DOMAIN,
                           "its header differs from the first part's: %zu columns, %zu there", nc,
                           g.count[0]);
        for (size_t j = 0; st == SURVKIT_OK && j < nc; j++) {
            const char *first = gathered_at(&g, 0, j);
            if (strcmp(first + 1, mine[j] + 1) != 0)
                st = set_error(err, SURVKIT_ERR_DOMAIN,
                               "its header differs from the first part's: column %zu is '%.200s' "
                               "here, '%.200s' there", j + 1, mine[j] + 1, first + 1);
        }
    }
    if (st != SURVKIT_OK && err->line == 0) {
        err->line = 1; /* the header line of this rank's file */
        snprintf(err->source, sizeof err->source, "%s", part->source);
    }
    bool header_ok = (st = survkit_mpi_agree(mpi, st, err)) == SURVKIT_OK;
    for (size_t j = 0; header_ok && j < nc; j++) { /* text anywhere: text; else numbers */
        char kind = 'n';
        for (int r = 0; r < K; r++) {
            char k = gathered_at(&g, r, j)[0];
            if (k == 's' || k == 'f') kind = k;
        }
        kinds[j] = kind;
        if (kind != 'n' && mine[j][0] == 'n')
            st = set_error(err, SURVKIT_ERR_TYPE,
                           "column '%s' holds numbers in this part but %s in another",
                           survkit_table_column_name(t, j), kind == 's' ? "text" : "labelled values");
    }
    for (size_t j = 0; mine && j < nc; j++) free(mine[j]);
    free(mine);
    gathered_free(&g);
    if (st != SURVKIT_OK && err->source[0] == '\0')
        snprintf(err->source, sizeof err->source, "%s", part->source);
    return header_ok ? survkit_mpi_agree(mpi, st, err) : st; /* agreed once: the first failure's */
}

/* The table of rows [first, first + n) of t with every text column a factor of global levels. */
static survkit_status make_global(survkit_mpi *mpi, const cli_common *common, const mpi_part *part,
                                  const survkit_table *t, size_t first, size_t n,
                                  const char *kinds, survkit_table **out, int32_t **codes_out,
                                  const char ***levels_out, size_t *n_levels_out,
                                  gathered *keep, survkit_error *err)
{
    const int K = survkit_mpi_size(mpi);
    const size_t nc = survkit_table_n_columns(t), rows = survkit_table_n_rows(t);
    survkit_status st = survkit_table_create(n, out, err);
    /* a failure agreed here returns at once on every rank; later ones are agreed at the end */
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) return st;
    for (size_t j = 0; j < nc; j++) {
        const char *name = survkit_table_column_name(t, j);
        if (kinds[j] == 'n') {
            if (st == SURVKIT_OK)
                st = survkit_table_add_numeric_view(*out, name, survkit_table_numeric(t, j) + first, err);
            continue;
        }
        /* collective for every text column, whatever happened here */
        codes_out[j] = malloc((rows ? rows : 1) * sizeof **codes_out);
        survkit_status lv = codes_out[j] ? global_levels(common, K, t, j, kinds[j] == 'f', &keep[j],
                                                         &levels_out[j], &n_levels_out[j],
                                                         codes_out[j], err)
                                         : set_error(err, SURVKIT_ERR_NOMEM, "out of memory");
        if (st == SURVKIT_OK) st = lv;
        if (st == SURVKIT_OK)
            st = survkit_table_add_factor(*out, name, codes_out[j] + first, levels_out[j],
                                          n_levels_out[j], err);
    }
    (void)part;
    return survkit_mpi_agree(mpi, st, err);
}

static void frame_options(const cli_common *common, bool groups, survkit_frame_options *opt)
{
    survkit_frame_options_init(opt);
    opt->weights = common->weights;
    opt->groups = groups;
    opt->timefix = !common->no_timefix;
    opt->collate = common->collate_c ? SURVKIT_COLLATE_C : SURVKIT_COLLATE_UTF8;
}

/*
 * Global group and stratum codes. Each rank takes, for each group (and stratum) code of its frame,
 * its first row, and sends that row's values (numbers, or global level codes); every rank builds
 * the frame of all these rows (identical on all), whose groups and strata are the global ones.
 */
static survkit_status global_codes(survkit_mpi *mpi, const cli_common *common, bool groups,
                                   const survkit_table *table, const int32_t *const *codes,
                                   const char *const *const *levels, const size_t *n_levels,
                                   mpi_part *part, survkit_error *err)
{
    const int K = survkit_mpi_size(mpi), me = survkit_mpi_rank(mpi);
    const survkit_frame *f = part->frame;
    const size_t n = survkit_frame_n(f), nc = survkit_table_n_columns(table);
    const size_t G = groups ? survkit_frame_n_groups(f) : 0, S = survkit_frame_n_strata(f);
    const int32_t *gc = groups ? survkit_frame_groups(f) : NULL, *sc = survkit_frame_strata(f);
    const size_t *row = survkit_frame_row_index(f);
    int counts[2] = {(int)G, (int)S}, *all = calloc(2 * (size_t)K, sizeof *all);
    int *sizes = calloc((size_t)K, sizeof *sizes), *displ = calloc((size_t)K, sizeof *displ);
    size_t *rep = calloc(G + S + 1, sizeof *rep);
    double *mine = calloc((G + S) * nc + 1, sizeof *mine);
    survkit_status st = all && sizes && displ && rep && mine
                            ? SURVKIT_OK : set_error(err, SURVKIT_ERR_NOMEM, "out of memory");
    double *reps = NULL;
    survkit_table *rt = NULL;
    survkit_frame *rf = NULL;
    int32_t *fcodes = NULL;
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) goto done;
    for (size_t k = 0; k < G + S; k++) rep[k] = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        if (gc && rep[gc[i]] == SIZE_MAX) rep[gc[i]] = row[i];
        if (sc && rep[G + (size_t)sc[i]] == SIZE_MAX) rep[G + (size_t)sc[i]] = row[i];
    }
    for (size_t k = 0; k < G + S; k++) {
        if (rep[k] == SIZE_MAX) rep[k] = row[0]; /* a level without rows here: any row will do */
        for (size_t j = 0; j < nc; j++)
            mine[k * nc + j] = codes[j] ? (double)codes[j][rep[k]]
                                        : survkit_table_numeric(table, j)[rep[k]];
    }
    MPI_Allgather(counts, 2, MPI_INT, all, 2, MPI_INT, MPI_COMM_WORLD);
    size_t total = 0, before = 0;
    for (int r = 0; r < K; r++) {
        if (r == me) before = total;
        sizes[r] = (all[2 * r] + all[2 * r + 1]) * (int)nc;
        displ[r] = (int)(total * nc);
        total += (size_t)(all[2 * r] + all[2 * r + 1]);
    }
    reps = malloc((total * nc + 1) * sizeof *reps);
    fcodes = malloc((total + 1) * sizeof *fcodes);
    st = reps && fcodes ? SURVKIT_OK : set_error(err, SURVKIT_ERR_NOMEM, "out of memory");
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) goto done;
    MPI_Allgatherv(mine, sizes[me], MPI_DOUBLE, reps, sizes, displ, MPI_DOUBLE, MPI_COMM_WORLD);
    /* the table of representative rows, column by column */
    double *col = malloc((total + 1) * sizeof *col);
    st = col ? survkit_table_create(total, &rt, err) : set_error(err, SURVKIT_ERR_NOMEM, "out of memory");
    for (size_t j = 0; st == SURVKIT_OK && j < nc; j++) {
        for (size_t k = 0; k < total; k++) col[k] = reps[k * nc + j];
        if (codes[j] == NULL) {
            st = survkit_table_add_numeric(rt, survkit_table_column_name(table, j), col, err);
            continue;
        }
        for (size_t k = 0; k < total; k++) fcodes[k] = (int32_t)col[k];
        st = survkit_table_add_factor(rt, survkit_table_column_name(table, j), fcodes, levels[j],
                                      n_levels[j], err);
    }
    free(col);
    survkit_frame_options opt;
    frame_options(common, true, &opt);
    if (st == SURVKIT_OK) st = survkit_frame_build(rt, common->formula, &opt, &rf, err);
    if (st == SURVKIT_OK && survkit_frame_n(rf) != total)
        st = set_error(err, SURVKIT_ERR_DOMAIN, "the groups could not be made global");
    if (st == SURVKIT_OK) {
        part->n_groups = groups ? survkit_frame_n_groups(rf) : 0;
        part->n_strata = survkit_frame_n_strata(rf);
        part->group = groups ? malloc((n ? n : 1) * sizeof *part->group) : NULL;
        part->stratum = sc ? malloc((n ? n : 1) * sizeof *part->stratum) : NULL;
        part->group_labels = calloc(part->n_groups + 1, sizeof *part->group_labels);
        part->strata_labels = calloc(part->n_strata + 1, sizeof *part->strata_labels);
        bool ok = (!groups || part->group) && (!sc || part->stratum) && part->group_labels &&
                  part->strata_labels;
        for (size_t k = 0; ok && k < part->n_groups; k++)
            ok = (part->group_labels[k] = strdup(survkit_frame_group_label(rf, k))) != NULL;
        for (size_t k = 0; ok && k < part->n_strata; k++)
            ok = (part->strata_labels[k] = strdup(survkit_frame_strata_label(rf, k))) != NULL;
        if (!ok) st = set_error(err, SURVKIT_ERR_NOMEM, "out of memory");
        const size_t base = before; /* my first representative row */
        for (size_t i = 0; st == SURVKIT_OK && i < n; i++) {
            if (gc) part->group[i] = survkit_frame_groups(rf)[base + (size_t)gc[i]];
            if (sc) part->stratum[i] = survkit_frame_strata(rf)[base + G + (size_t)sc[i]];
        }
    }
    st = survkit_mpi_agree(mpi, st, err);
done:
    survkit_frame_free(rf);
    survkit_table_free(rt);
    free(all), free(sizes), free(displ), free(rep), free(mine), free(reps), free(fcodes);
    return st;
}

void mpi_part_free(mpi_part *part)
{
    survkit_frame_free(part->frame);
    free(part->group);
    free(part->stratum);
    for (size_t k = 0; part->group_labels && k < part->n_groups; k++) free(part->group_labels[k]);
    for (size_t k = 0; part->strata_labels && k < part->n_strata; k++) free(part->strata_labels[k]);
    free(part->group_labels);
    free(part->strata_labels);
    memset(part, 0, sizeof *part);
}

/*
 * poly() and ns() take their bases from all the values of x (knots at quantiles, orthogonal
 * polynomials): evaluated on each rank's rows they would differ between ranks, so they are refused
 * (err->column: their position in the formula).
 */
static survkit_status refuse_data_dependent(const char *formula, survkit_error *err)
{
    static const char *const names[] = {"poly", "ns"};
    for (const char *c = formula; *c; c++) {
        if (c > formula && (isalnum((unsigned char)c[-1]) || c[-1] == '.' || c[-1] == '_')) continue;
        for (size_t k = 0; k < 2; k++) {
            size_t m = strlen(names[k]);
            const char *after = c + m;
            if (strncmp(c, names[k], m) != 0) continue;
            while (*after == ' ') after++;
            if (*after != '(') continue;
            set_error(err, SURVKIT_ERR_FORMULA,
                      "%s() takes its basis from all the rows: not available in survkit-mpi",
                      names[k]);
            err->column = (uint64_t)(c - formula) + 1;
            return SURVKIT_ERR_FORMULA;
        }
    }
    return SURVKIT_OK;
}

bool mpi_part_load(survkit_mpi *mpi, const cli_common *common, bool groups, mpi_part *part)
{
    memset(part, 0, sizeof *part);
    const int K = survkit_mpi_size(mpi), me = survkit_mpi_rank(mpi);
    survkit_error err;
    survkit_error_clear(&err);
    survkit_table *table = NULL, *global = NULL;
    size_t first = 0, rows = 0, nc = 0;
    double t0 = cli_now();
    if (refuse_data_dependent(common->formula, &err) != SURVKIT_OK) { /* the same on every rank */
        if (me == 0) cli_report_error(common, &err);
        return false;
    }
    survkit_status st = read_part(common, me, K, part, &table, &first, &rows, &err);
    if (st == SURVKIT_OK && rows == SIZE_MAX) rows = survkit_table_n_rows(table);
    if (st != SURVKIT_OK && err.source[0] == '\0')
        snprintf(err.source, sizeof err.source, "%s", part->source);
    if ((st = survkit_mpi_agree(mpi, st, &err)) != SURVKIT_OK) {
        report_if_first(mpi, common, err.line > 1 ? part : NULL, &err);
        survkit_table_free(table);
        return false;
    }
    part->read_s = cli_now() - t0;
    t0 = cli_now();
    nc = survkit_table_n_columns(table);
    char *kinds = calloc(nc + 1, 1);
    int32_t **codes = calloc(nc + 1, sizeof *codes);
    const char ***levels = calloc(nc + 1, sizeof *levels);
    size_t *n_levels = calloc(nc + 1, sizeof *n_levels);
    gathered *keep = calloc(nc + 1, sizeof *keep);
    st = kinds && codes && levels && n_levels && keep ? SURVKIT_OK
                                                      : set_error(&err, SURVKIT_ERR_NOMEM, "out of memory");
    if ((st = survkit_mpi_agree(mpi, st, &err)) == SURVKIT_OK)
        st = agree_header(mpi, part, table, kinds, &err);
    if (st == SURVKIT_OK)
        st = make_global(mpi, common, part, table, first, rows, kinds, &global, codes, levels,
                         n_levels, keep, &err);
    if (st != SURVKIT_OK) {
        report_if_first(mpi, common, NULL, &err);
        goto done;
    }
    survkit_frame_options opt;
    frame_options(common, groups, &opt);
    st = survkit_frame_build(global, common->formula, &opt, &part->frame, &err);
    /* a rank whose rows are all dropped: fine if others have rows (no frame: n = 0) */
    unsigned long long kept = st == SURVKIT_OK ? survkit_frame_n(part->frame) : 0, kept_all = 0;
    MPI_Allreduce(&kept, &kept_all, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    if (st == SURVKIT_ERR_NO_DATA && kept_all > 0)
        st = set_error(&err, SURVKIT_ERR_NO_DATA,
                       "this process's part has no complete rows: run fewer processes");
    if (st != SURVKIT_OK && (err.line > 0 || err.status == SURVKIT_ERR_NO_DATA) && err.source[0] == '\0')
        snprintf(err.source, sizeof err.source, "%s", part->source);
    if ((st = survkit_mpi_agree(mpi, st, &err)) != SURVKIT_OK) {
        report_if_first(mpi, common, part, &err);
        goto done;
    }
    unsigned long long dropped = survkit_frame_n_dropped(part->frame), dropped_all = 0;
    MPI_Allreduce(&dropped, &dropped_all, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    part->n_dropped = (size_t)dropped_all;
    /* (the formula decides whether there are strata: the same on every rank) */
    if (groups || survkit_frame_strata(part->frame) != NULL)
        st = global_codes(mpi, common, groups, global, (const int32_t *const *)codes,
                          (const char *const *const *)levels, n_levels, part, &err);
    if (st != SURVKIT_OK) report_if_first(mpi, common, NULL, &err);
    part->frame_s = cli_now() - t0;
done:
    survkit_table_free(global);
    survkit_table_free(table);
    for (size_t j = 0; j < nc; j++) {
        if (codes) free(codes[j]);
        if (levels) free(levels[j]);
        if (keep) gathered_free(&keep[j]);
    }
    free(kinds), free(codes), free(levels), free(n_levels), free(keep);
    if (st != SURVKIT_OK) mpi_part_free(part);
    return st == SURVKIT_OK;
}
