/*
 * csv_blocks.c: delimited text a block of rows at a time (survkit_table_reader, survkit/table.h).
 *
 * The pieces are those of the whole-file reader (csv_internal.h): the header reader, the scanner,
 * and the chunk kernel (csv_chunk.c) that parses a byte range of whole rows into column arrays.
 * What is new is only how the text is cut and when the types are decided:
 *
 *   cutting   a block is the next block_rows rows. Without a quote in the range, block_rows line
 *             ends (memchr) bound it; with one, a line end may sit inside a quoted field, so the
 *             scanner counts whole rows instead (sk_scan_row without fields).
 *   pass 1    (open) every block is parsed with the kernel's DETECT action into one reused buffer
 *             and dropped: a column is text as soon as one block saw text in it, exactly the rule
 *             csv.c applies to its chunks (a chunk that saw numbers first is MIXED, i.e. text).
 *             Numeric columns are checked for whole numbers (how R's write.csv prints them), and
 *             the levels of a text column are kept while there are few.
 *   pass 2    (next) each block is parsed with the types known: numeric columns as numbers, text
 *             columns with the TEXT action into a fresh dictionary per block.
 * A memory-mapped file's pages are released (madvise) once a block is behind us, so the resident
 * memory is the block, not the file.
 */
#define _DEFAULT_SOURCE /* madvise */

#include "io/csv_internal.h"
#include "io/readers_internal.h"
#include "io/encoding.h"
#include "data/table_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct survkit_table_reader_s {
    sk_source src;         /* the file's bytes (mapped), unless `owned` replaced them */
    char *owned;           /* inflated, converted or CR-to-LF text, or NULL */
    const char *data;      /* the text */
    size_t size;
    char source[256];      /* name in errors */
    bool check_utf8;       /* UTF-8 text: check each block's levels */
    sk_csv_header header;
    sk_csv_shared shared;
    sk_chunk chunk;
    double **values;       /* values[j][0..block_rows): the kernel's output for one block */
    size_t block_rows;
    bool *is_text;         /* per column, decided by pass 1 */
    bool *whole;           /* numeric column: every value whole and in R's integer range */
    sk_dict *few;          /* text column: its levels while there are few */
    bool *many;            /* text column: more than SURVKIT_READER_FEW_LEVELS levels */
    bool *again;           /* pass 1: columns to read again as text in this block */
    size_t n_rows;         /* rows in the file */
    const char *pos;       /* next unread row */
    uint64_t line;         /* its physical line */
    size_t rows_done;      /* rows handed out */
    size_t block_start;    /* first row of the last block */
    size_t released;       /* bytes of a mapped file given back to the system */
    survkit_read_options opt; /* as given (NA tokens borrowed), for survkit_table_reader_read_all */
};

/* The 1-based line of offset `at` in [begin, ...), `begin` being on line `first_line`, and its
 * byte column. */
static void locate(const char *begin, size_t at, uint64_t first_line, uint64_t *line, uint64_t *column)
{
    uint64_t l = first_line;
    size_t start = 0;
    for (const char *p = begin; (p = memchr(p, '\n', (size_t)(begin + at - p))) != NULL; p++) {
        l++;
        start = (size_t)(p - begin) + 1;
    }
    *line = l;
    *column = at - start + 1;
}

/* Give back the pages of a mapped file before `upto` (they are read again if touched). */
static void release_pages(survkit_table_reader *r, const char *upto)
{
    if (r->src.map == NULL || r->data != r->src.data) return;
    const size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t end = (size_t)(upto - r->data) / page * page;
    if (end <= r->released) return;
    madvise((char *)r->src.map + r->released, end - r->released, MADV_DONTNEED);
    r->released = end;
}

/* Cut the next block at r->pos: [*begin, *end) holding at most block_rows rows, starting on
 * line *first_line. false at the end of the text; on a scanning error, false with *status set. */
static bool cut_block(survkit_table_reader *r, const char **begin, const char **end,
                      uint64_t *first_line, survkit_status *status, survkit_error *err)
{
    *status = SURVKIT_OK;
    const char *p = r->pos, *text_end = r->data + r->size;
    if (p >= text_end) return false;
    const char *q = p;
    size_t line_ends = 0;
    while (line_ends < r->block_rows && q < text_end) {
        const char *nl = memchr(q, '\n', (size_t)(text_end - q));
        q = nl ? nl + 1 : text_end;
        line_ends += nl != NULL;
    }
    *begin = p;
    *first_line = r->line;
    if (memchr(p, '"', (size_t)(q - p)) == NULL) {
        *end = q;
        r->pos = q;
        r->line += line_ends;
        return true;
    }
    /* A quoted field may hold line ends: count whole rows. */
    sk_scanner s;
    sk_scan_init(&s, p, text_end, r->header.separator, r->line, r->source);
    for (size_t k = 0; k < r->block_rows; k++) {
        size_t found;
        sk_scan_result got = sk_scan_row(&s, NULL, 0, &found, err);
        if (got == SK_SCAN_ERROR) {
            *status = err ? err->status : SURVKIT_ERR_PARSE;
            return false;
        }
        if (got == SK_SCAN_END) break;
    }
    *end = s.p;
    r->pos = s.p;
    r->line = s.line;
    return true;
}

/* Parse [begin, end) with the chunk's actions into r->values. */
static survkit_status parse_block(survkit_table_reader *r, const char *begin, const char *end,
                                  uint64_t first_line, survkit_error *err)
{
    sk_chunk *c = &r->chunk;
    c->index = 0;
    c->begin = begin;
    c->end = end;
    c->first_line = first_line;
    c->row0 = 0;
    c->capacity = r->block_rows;
    c->reports = true;
    memset(c->n_missing, 0, r->header.n_columns * sizeof *c->n_missing);
    atomic_store(&r->shared.first_failed, SIZE_MAX);
    sk_chunk_parse(&r->shared, c);
    if (c->status == SURVKIT_OK) return SURVKIT_OK;
    if (err != NULL) {
        *err = c->err;
        err->status = c->status;
        if (err->source[0] == '\0') snprintf(err->source, sizeof err->source, "%s", r->source);
    }
    return c->status;
}

/*
 * Columns that saw numbers before text (r->again) are read again as text from the first row up to
 * `upto` (the end of the current block), so that their levels come in order of first appearance
 * as in the whole table (csv.c reads such chunks again too; rare: a column is usually text from
 * its first value). The other columns are skipped.
 */
static survkit_status reread_as_text(survkit_table_reader *r, const char *upto, survkit_error *err)
{
    sk_chunk *c = &r->chunk;
    const size_t nc = r->header.n_columns;
    for (size_t j = 0; j < nc; j++) c->actions[j] = r->again[j] ? SK_ACTION_TEXT : SK_ACTION_SKIP;
    const char *pos = r->pos;
    uint64_t line = r->line;
    r->pos = r->header.body;
    r->line = r->header.body_line;
    const char *begin, *end;
    uint64_t first_line;
    survkit_status status = SURVKIT_OK;
    while (r->pos < upto && cut_block(r, &begin, &end, &first_line, &status, err)) {
        status = parse_block(r, begin, end, first_line, err);
        if (status != SURVKIT_OK) break;
    }
    r->pos = pos;
    r->line = line;
    r->released = 0; /* the pages read again */
    return status;
}

/* Pass 1: the type of every column over the whole text (see the top of the file). */
static survkit_status decide_types(survkit_table_reader *r, survkit_error *err)
{
    const size_t nc = r->header.n_columns;
    sk_chunk *c = &r->chunk;
    for (size_t j = 0; j < nc; j++) r->whole[j] = true;
    const char *begin, *end;
    uint64_t first_line;
    survkit_status status;
    while (cut_block(r, &begin, &end, &first_line, &status, err)) {
        RETURN_IF_ERROR(parse_block(r, begin, end, first_line, err));
        r->n_rows += c->n_rows;
        bool reread = false;
        for (size_t j = 0; j < nc; j++) {
            r->again[j] = false;
            if (r->is_text[j]) continue; /* text since an earlier block */
            if (c->states[j] == SK_CHUNK_STRING || c->states[j] == SK_CHUNK_MIXED) {
                r->is_text[j] = true;
                if (c->states[j] == SK_CHUNK_MIXED) { /* numbers then text: this block again as text */
                    c->states[j] = SK_CHUNK_STRING;
                    r->again[j] = reread = true;
                }
                continue;
            }
            const double *x = r->values[j];
            for (size_t i = 0; r->whole[j] && i < c->n_rows; i++)
                if (!isnan(x[i]) && !(x[i] == nearbyint(x[i]) && fabs(x[i]) <= 2147483647.0))
                    r->whole[j] = false;
        }
        if (reread) RETURN_IF_ERROR(reread_as_text(r, end, err));
        /* Text columns: keep their levels while there are few, then stop reading them. */
        for (size_t j = 0; j < nc; j++) {
            if (!r->is_text[j]) {
                c->actions[j] = SK_ACTION_DETECT;
                continue;
            }
            c->actions[j] = r->many[j] ? SK_ACTION_SKIP : SK_ACTION_TEXT;
            if (r->many[j]) continue;
            if (c->dicts[j].n_levels > SURVKIT_READER_FEW_LEVELS) {
                r->many[j] = true;
                c->actions[j] = SK_ACTION_SKIP;
                sk_dict_free(&c->dicts[j]);
                sk_dict_init(&c->dicts[j]);
            }
        }
        release_pages(r, end);
    }
    RETURN_IF_ERROR(status);
    for (size_t j = 0; j < nc; j++) {
        if (r->is_text[j] && !r->many[j]) {
            r->few[j] = c->dicts[j];
            sk_dict_init(&c->dicts[j]);
        }
        if (r->is_text[j]) r->whole[j] = false;
    }
    return SURVKIT_OK;
}

/* Is every level of the block's text columns UTF-8? If not, the error names the first bad byte of
 * the block (the blocks before it were valid, and numbers are ASCII). */
static survkit_status check_block_utf8(const survkit_table_reader *r, const char *begin,
                                       const char *end, uint64_t first_line, survkit_error *err)
{
    const sk_chunk *c = &r->chunk;
    bool valid = true;
    for (size_t j = 0; valid && j < r->header.n_columns; j++) {
        if (!r->is_text[j]) continue;
        for (size_t k = 0; valid && k < c->dicts[j].n_levels; k++) {
            size_t len;
            const char *level = sk_dict_level(&c->dicts[j], k, &len);
            valid = sk_utf8_invalid_at(level, len) == len;
        }
    }
    if (valid) return SURVKIT_OK;
    const size_t size = (size_t)(end - begin), at = sk_utf8_invalid_at(begin, size);
    uint64_t line = 0, column = 0;
    if (at < size) locate(begin, at, first_line, &line, &column);
    return sk_error_set(err, SURVKIT_ERR_PARSE, r->source, line, column,
                        "byte 0x%02X is not UTF-8 text: for a file from Windows give --encoding "
                        "cp1252 (or latin1)", at < size ? (unsigned)(unsigned char)begin[at] : 0u);
}

/* The block just parsed as a table (copies: the buffers serve the next block). */
static survkit_status block_table(const survkit_table_reader *r, survkit_table **out, survkit_error *err)
{
    const sk_chunk *c = &r->chunk;
    const size_t n = c->n_rows, nc = r->header.n_columns;
    survkit_table *t = NULL;
    RETURN_IF_ERROR(survkit_table_create(n, &t, err));
    for (size_t j = 0; j < nc; j++) {
        sk_column col = {0};
        bool ok = (col.name = sk_strdup(r->header.names[j])) != NULL;
        const double *x = r->values[j];
        if (!r->is_text[j]) {
            col.type = SURVKIT_COLUMN_NUMERIC;
            col.n_missing = c->n_missing[j];
            ok = ok && (col.numbers = sk_malloc_array(n ? n : 1, sizeof *col.numbers)) != NULL;
            if (ok && n > 0) memcpy(col.numbers, x, n * sizeof *x);
        } else {
            const sk_dict *d = &c->dicts[j];
            col.type = SURVKIT_COLUMN_STRING;
            ok = ok && (col.codes = sk_malloc_array(n ? n : 1, sizeof *col.codes)) != NULL;
            ok = ok && (col.levels = sk_calloc_array(d->n_levels ? d->n_levels : 1, sizeof *col.levels)) != NULL;
            for (size_t i = 0; ok && i < n; i++) {
                col.codes[i] = isnan(x[i]) ? -1 : (int32_t)x[i];
                col.n_missing += isnan(x[i]);
            }
            for (size_t k = 0; ok && k < d->n_levels; k++) {
                ok = (col.levels[k] = sk_strdup(sk_dict_level(d, k, NULL))) != NULL;
                col.n_levels = k + 1;
            }
        }
        if (!ok) {
            sk_column_release(&col);
            survkit_table_free(t);
            return sk_error_set(err, SURVKIT_ERR_NOMEM, r->source, 0, 0, "out of memory building a block");
        }
        survkit_status status = sk_table_take_column(t, &col, err);
        if (status != SURVKIT_OK) {
            survkit_table_free(t);
            return status;
        }
    }
    *out = t;
    return SURVKIT_OK;
}

static survkit_status parse_next(survkit_table_reader *r, const char *begin, const char *end,
                                 uint64_t first_line, survkit_error *err);

survkit_status survkit_table_reader_next(survkit_table_reader *r, survkit_table **block,
                                         survkit_error *err)
{
    RETURN_ERROR_IF(r == NULL || block == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "survkit_table_reader_next: NULL argument");
    *block = NULL;
    sk_chunk *c = &r->chunk;
    const char *begin, *end;
    uint64_t first_line;
    survkit_status status;
    do { /* a range of empty lines holds no row: on to the next */
        if (!cut_block(r, &begin, &end, &first_line, &status, err)) return status;
        RETURN_IF_ERROR(parse_next(r, begin, end, first_line, err));
    } while (c->n_rows == 0);
    if (r->check_utf8) RETURN_IF_ERROR(check_block_utf8(r, begin, end, first_line, err));
    RETURN_IF_ERROR(block_table(r, block, err));
    r->block_start = r->rows_done;
    r->rows_done += c->n_rows;
    release_pages(r, end);
    return SURVKIT_OK;
}

/* Pass 2's parse of one block: numeric columns as numbers, text columns into a fresh dictionary. */
static survkit_status parse_next(survkit_table_reader *r, const char *begin, const char *end,
                                 uint64_t first_line, survkit_error *err)
{
    sk_chunk *c = &r->chunk;
    const size_t nc = r->header.n_columns;
    for (size_t j = 0; j < nc; j++) {
        if (r->is_text[j]) {
            sk_dict_free(&c->dicts[j]);
            sk_dict_init(&c->dicts[j]);
            c->states[j] = SK_CHUNK_STRING;
            c->actions[j] = SK_ACTION_TEXT;
        } else {
            c->states[j] = SK_CHUNK_NUMERIC;
            c->actions[j] = SK_ACTION_DETECT;
        }
    }
    return parse_block(r, begin, end, first_line, err);
}

void survkit_table_reader_rewind(survkit_table_reader *r)
{
    if (r == NULL) return;
    r->pos = r->header.body;
    r->line = r->header.body_line;
    r->rows_done = r->block_start = 0;
    r->released = 0;
}

void survkit_table_reader_close(survkit_table_reader *r)
{
    if (r == NULL) return;
    const size_t nc = r->header.n_columns;
    sk_chunk_free(&r->chunk, nc);
    if (r->values != NULL)
        for (size_t j = 0; j < nc; j++) free(r->values[j]);
    if (r->few != NULL)
        for (size_t j = 0; j < nc; j++) sk_dict_free(&r->few[j]);
    free(r->values);
    free(r->few);
    free(r->is_text);
    free(r->whole);
    free(r->many);
    free(r->again);
    sk_csv_header_free(&r->header);
    sk_source_close(&r->src);
    free(r->owned);
    free(r);
}

/* The text of the file: mapped as it is, or inflated / converted into r->owned. SURVKIT_ERR_TYPE
 * for a statistics file, or when the name and the bytes disagree (survkit_table_read_file says
 * how). */
static survkit_status load_text(survkit_table_reader *r, const char *path, const survkit_read_options *opt,
                                survkit_error *err)
{
    RETURN_IF_ERROR(sk_source_open(path, r->source, &r->src, err));
    r->data = r->src.data ? r->src.data : "";
    r->size = r->src.size;
    if (strcmp(path, "-") != 0) {
        const unsigned char *bytes = (const unsigned char *)r->data;
        sk_format named = sk_format_from_name(path);
        sk_format found = sk_format_sniff(bytes, r->size < SK_FORMAT_SNIFF_BYTES ? r->size : SK_FORMAT_SNIFF_BYTES);
        sk_format format = named == SK_FORMAT_UNKNOWN ? found : named;
        if ((named != SK_FORMAT_UNKNOWN && named != found) ||
            (format != SK_FORMAT_TEXT && format != SK_FORMAT_UNKNOWN && format != SK_FORMAT_GZIP &&
             format != SK_FORMAT_ZSTD))
            return sk_error_set(err, SURVKIT_ERR_TYPE, r->source, 0, 0,
                                "not delimited text: read it whole (survkit_table_read_file)");
        if (format == SK_FORMAT_GZIP || format == SK_FORMAT_ZSTD) {
            size_t text_size = 0;
            RETURN_IF_ERROR(sk_decompress(format, bytes, r->size, r->source, opt, &r->owned, &text_size, err));
            sk_source_close(&r->src);
            r->data = r->owned ? r->owned : "";
            r->size = text_size;
        }
    }
    /* Lines ended by CR alone (old Mac files): read as LF, as csv.c does. */
    if (r->size > 0 && memchr(r->data, '\n', r->size) == NULL && memchr(r->data, '\r', r->size) != NULL) {
        char *copy = malloc(r->size);
        RETURN_ERROR_IF(copy == NULL, err, SURVKIT_ERR_NOMEM, "out of memory reading %s", r->source);
        for (size_t i = 0; i < r->size; i++) copy[i] = r->data[i] == '\r' ? '\n' : r->data[i];
        free(r->owned);
        r->owned = copy;
        r->data = copy;
    }
    r->check_utf8 = opt->encoding == SURVKIT_ENCODING_UTF8;
    if (opt->encoding == SURVKIT_ENCODING_LATIN1 || opt->encoding == SURVKIT_ENCODING_CP1252) {
        size_t bad, out_size;
        char *converted = sk_to_utf8(r->data, r->size, opt->encoding, &out_size, &bad);
        if (converted == NULL && bad != SIZE_MAX) {
            uint64_t line, column;
            locate(r->data, bad, 1, &line, &column);
            return sk_error_set(err, SURVKIT_ERR_PARSE, r->source, line, column,
                                "byte 0x%02X is not a character in Windows-1252",
                                (unsigned)(unsigned char)r->data[bad]);
        }
        RETURN_ERROR_IF(converted == NULL, err, SURVKIT_ERR_NOMEM, "out of memory reading %s", r->source);
        free(r->owned);
        r->owned = converted;
        r->data = converted;
        r->size = out_size;
    }
    return SURVKIT_OK;
}

survkit_status survkit_table_reader_open(const char *path, const survkit_read_options *opt,
                                         size_t block_rows, survkit_table_reader **out,
                                         survkit_error *err)
{
    RETURN_ERROR_IF(path == NULL || out == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "survkit_table_reader_open: NULL argument");
    *out = NULL;
    RETURN_ERROR_IF(block_rows == 0, err, SURVKIT_ERR_ARGUMENT, "a block must hold at least one row");
    survkit_read_options defaults;
    if (opt == NULL) {
        survkit_read_options_init(&defaults);
        opt = &defaults;
    }
    RETURN_ERROR_IF(opt->separator != 0 && opt->separator != ',' && opt->separator != '\t' &&
                        opt->separator != ';',
                    err, SURVKIT_ERR_ARGUMENT, "the separator must be ',', tab or ';'");
    survkit_table_reader *r = calloc(1, sizeof *r);
    RETURN_ERROR_IF(r == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
    snprintf(r->source, sizeof r->source, "%s", strcmp(path, "-") == 0 ? "<stdin>" : path);
    r->block_rows = block_rows;
    r->opt = *opt;
    r->opt.progress = NULL;
    survkit_status status = load_text(r, path, opt, err);
    const char *begin = r->data, *end = r->data + r->size;
    if (r->size >= 3 && memcmp(begin, "\xEF\xBB\xBF", 3) == 0) begin += 3; /* UTF-8 byte order mark */
    /* A row takes two bytes at least (a value and a line end; empty lines are no rows): no block
     * needs more room than that, whatever block_rows asks. */
    if (status == SURVKIT_OK && r->block_rows > r->size / 2 + 1) r->block_rows = r->size / 2 + 1;
    if (status == SURVKIT_OK)
        status = sk_csv_header_read(begin, end, opt->separator, r->source, &r->header, err);
    const size_t nc = status == SURVKIT_OK ? r->header.n_columns : 0;
    if (status == SURVKIT_OK) {
        r->values = sk_calloc_array(nc, sizeof *r->values);
        r->is_text = sk_calloc_array(nc, sizeof *r->is_text);
        r->whole = sk_calloc_array(nc, sizeof *r->whole);
        r->many = sk_calloc_array(nc, sizeof *r->many);
        r->again = sk_calloc_array(nc, sizeof *r->again);
        r->few = sk_calloc_array(nc, sizeof *r->few);
        bool ok = r->values && r->is_text && r->whole && r->many && r->again && r->few &&
                  sk_chunk_init(&r->chunk, nc) == SURVKIT_OK;
        for (size_t j = 0; ok && j < nc; j++) ok = (r->values[j] = sk_malloc_array(r->block_rows, sizeof(double))) != NULL;
        if (!ok) status = sk_error_set(err, SURVKIT_ERR_NOMEM, r->source, 0, 0,
                                       "out of memory: blocks of %zu rows x %zu columns", r->block_rows, nc);
    }
    if (status == SURVKIT_OK) {
        sk_csv_shared *sh = &r->shared;
        sh->n_columns = nc;
        sh->separator = r->header.separator;
        sh->source = r->source;
        sh->na_tokens = opt->na_tokens;
        sh->n_na_tokens = opt->na_tokens ? opt->n_na_tokens : 0;
        sh->values = r->values;
        sh->progress = opt->progress; /* pass 1 reports the bytes read */
        sh->progress_user = opt->progress_user;
        sh->total_bytes = (uint64_t)r->size;
        atomic_init(&sh->bytes_done, (uint64_t)(r->header.body - r->data));
        atomic_init(&sh->first_failed, SIZE_MAX);
        survkit_table_reader_rewind(r);
        status = decide_types(r, err);
        sh->progress = NULL;
        survkit_table_reader_rewind(r);
    }
    if (status != SURVKIT_OK) {
        survkit_table_reader_close(r);
        return status;
    }
    *out = r;
    return SURVKIT_OK;
}

size_t survkit_table_reader_block_start(const survkit_table_reader *r) { return r ? r->block_start : 0; }
size_t survkit_table_reader_n_rows(const survkit_table_reader *r) { return r ? r->n_rows : 0; }
size_t survkit_table_reader_n_columns(const survkit_table_reader *r) { return r ? r->header.n_columns : 0; }

const char *survkit_table_reader_column_name(const survkit_table_reader *r, size_t column)
{
    return r && column < r->header.n_columns ? r->header.names[column] : NULL;
}

survkit_column_type survkit_table_reader_column_type(const survkit_table_reader *r, size_t column)
{
    return r && column < r->header.n_columns && r->is_text[column] ? SURVKIT_COLUMN_STRING
                                                                   : SURVKIT_COLUMN_NUMERIC;
}

bool survkit_table_reader_column_whole(const survkit_table_reader *r, size_t column)
{
    return r && column < r->header.n_columns && r->whole[column];
}

size_t survkit_table_reader_n_levels(const survkit_table_reader *r, size_t column)
{
    if (r == NULL || column >= r->header.n_columns || !r->is_text[column]) return 0;
    return r->many[column] ? SIZE_MAX : r->few[column].n_levels;
}

const char *survkit_table_reader_level(const survkit_table_reader *r, size_t column, size_t k)
{
    size_t n = survkit_table_reader_n_levels(r, column);
    return n != SIZE_MAX && k < n ? sk_dict_level(&r->few[column], k, NULL) : NULL;
}

survkit_status survkit_table_reader_read_all(const survkit_table_reader *r, survkit_table **out,
                                             survkit_error *err)
{
    RETURN_ERROR_IF(r == NULL || out == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "survkit_table_reader_read_all: NULL argument");
    *out = NULL;
    survkit_read_options opt = r->opt;
    opt.encoding = SURVKIT_ENCODING_UTF8; /* a Latin-1 or CP1252 text is held converted */
    return sk_csv_read(r->data, r->size, r->source, &opt, out, err);
}
