/*
 * csv.c: reading delimited text held in memory into a survkit_table (the contract is in
 * docs/cli.md and survkit/table.h; read_file.c hands it a mapped file or an inflated stream).
 *
 * After the header, the body is cut into chunks at line ends, one per thread, when it is large and
 * holds no quote character (a quoted field may hide a line end, so a file with quotes is parsed by
 * one thread). Counting the line ends of each chunk (memchr, several GB/s) bounds its rows, so
 * every column array is allocated once and each chunk writes its own slice: no copies and no
 * locks. Then, per column: numeric if no chunk saw text; otherwise the chunks that saw numbers are
 * read again as text, their dictionaries are merged in chunk order (which keeps the levels in order
 * of first appearance), and the codes are renumbered. Finally the slices are closed up.
 *
 * The columns are one allocation, column after column, each `capacity` rows (the line ends
 * counted): the table keeps it as its block, so when no row was blank the numeric columns of the
 * file are a column-major matrix that a model frame uses as its design matrix in place (design.c),
 * with no copy and no new pages. A text column's slot goes back to the system once its codes are
 * written.
 */
#include "io/csv_internal.h"
#include "io/readers_internal.h"

#include "io/encoding.h"
#include "data/table_internal.h"
#include "core/memory.h"
#include "core/parallel.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#endif

enum {
    MIN_CHUNK_BYTES = 1 << 22, /* below 2 x this, one thread */
    MAX_THREADS = 64
};

void survkit_read_options_init(survkit_read_options *opt)
{
    if (opt == NULL) return;
    opt->separator = 0;
    opt->na_tokens = NULL;
    opt->n_na_tokens = 0;
    opt->threads = 0;
    opt->progress = NULL;
    opt->progress_user = NULL;
    opt->value_labels = 1;

    opt->encoding = SURVKIT_ENCODING_UTF8;
}

bool survkit_encoding_parse(const char *name, survkit_encoding *out)
{
    int e = sk_encoding_parse(name);
    if (e < 0) return false;
    *out = (survkit_encoding)e;
    return true;
}

/* The 1-based line and byte column of offset `at` in text (lines end at LF). */
static void locate(const char *text, size_t at, uint64_t *line, uint64_t *column)
{
    uint64_t l = 1;
    size_t start = 0;
    for (const char *p = text; (p = memchr(p, '\n', (size_t)(text + at - p))) != NULL; p++) {
        l++;
        start = (size_t)(p - text) + 1;
    }
    *line = l;
    *column = at - start + 1;
}

/*
 * The text as UTF-8 (encoding.h). A Latin-1 or Windows-1252 text is converted into *converted (the
 * caller frees it) before parsing. A UTF-8 text is checked after parsing, where it is cheap: only
 * string values can hold bytes above 0x7F (a number is ASCII), so only the levels of the string
 * columns, each distinct value once, are checked (check_levels); a numeric file pays nothing.
 */
static survkit_status as_utf8(const char **data, size_t *size, const char *source,
                              survkit_encoding encoding, char **converted, survkit_error *err)
{
    *converted = NULL;
    uint64_t line, column;
    if (encoding == SURVKIT_ENCODING_LATIN1 || encoding == SURVKIT_ENCODING_CP1252) {
        size_t bad, out_size;
        *converted = sk_to_utf8(*data, *size, encoding, &out_size, &bad);
        if (*converted == NULL && bad != SIZE_MAX) {
            locate(*data, bad, &line, &column);
            return sk_error_set(err, SURVKIT_ERR_PARSE, source, line, column,
                                "byte 0x%02X is not a character in Windows-1252",
                                (unsigned)(unsigned char)(*data)[bad]);
        }
        RETURN_ERROR_IF(*converted == NULL, err, SURVKIT_ERR_NOMEM, "out of memory reading %s",
                        source);
        *data = *converted;
        *size = out_size;
        return SURVKIT_OK;
    }
    RETURN_ERROR_IF(encoding != SURVKIT_ENCODING_UTF8, err, SURVKIT_ERR_ARGUMENT,
                    "unknown encoding %d", (int)encoding);
    return SURVKIT_OK;
}

/* After parsing a UTF-8 text: is every string value UTF-8? If not, the error is placed at the
 * first byte of the values (from line 2: the header's names are checked by csv_header.c) that is
 * not, found by one pass over the text (an error path only). */
static survkit_status check_levels(const survkit_table *t, const char *data, size_t size,
                                   const char *source, survkit_error *err)
{
    bool valid = true;
    for (size_t j = 0; valid && j < survkit_table_n_columns(t); j++) {
        if (survkit_table_column_type(t, j) != SURVKIT_COLUMN_STRING) continue;
        for (size_t k = 0; valid && k < survkit_table_n_levels(t, j); k++) {
            const char *level = survkit_table_level(t, j, k);
            const size_t len = strlen(level);
            valid = sk_utf8_invalid_at(level, len) == len;
        }
    }
    if (valid) return SURVKIT_OK;
    const char *eol = memchr(data, '\n', size);
    const size_t from = eol ? (size_t)(eol - data) + 1 : 0;
    const size_t at = from + sk_utf8_invalid_at(data + from, size - from);
    uint64_t line = 0, column = 0;
    if (at < size) locate(data, at, &line, &column);
    return sk_error_set(err, SURVKIT_ERR_PARSE, source, line, column,
                        "byte 0x%02X is not UTF-8 text: for a file from Windows give --encoding "
                        "cp1252 (or latin1)", at < size ? (unsigned)(unsigned char)data[at] : 0u);
}

static size_t thread_count(const survkit_read_options *opt)
{
    long n = opt->threads;
    if (n <= 0) n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) n = 1;
    if (n > MAX_THREADS) n = MAX_THREADS;
    return (size_t)n;
}

/* Line ends and quotes of one byte range. */
typedef struct range_count {
    const char *begin, *end;
    size_t line_ends;
    bool quotes;
} range_count;

/*
 * One pass over the bytes for both tests. With SSE2 on x86-64: 16 bytes a step, the line ends
 * counted in byte lanes (each lane subtracts the compare's -1) and added up by PSADBW every 255
 * steps, before a lane can wrap; about 6 instructions per 16 bytes where the compiler's own
 * vectorisation of the plain loop (which widens every flag to 64 bits) took about 40. The plain
 * loop does the tail and other machines.
 */
static void count_range(void *ctx, size_t task)
{
    range_count *r = (range_count *)ctx + task;
    const char *p = r->begin;
    size_t n = 0, size = (size_t)(r->end - p), i = 0;
    unsigned char quotes = 0;
#if defined(__SSE2__) && defined(__x86_64__)
    const __m128i newline = _mm_set1_epi8('\n'), quote = _mm_set1_epi8('"');
    __m128i any_quote = _mm_setzero_si128();
    while (size - i >= 16) {
        size_t steps = (size - i) / 16;
        if (steps > 255) steps = 255;
        __m128i lanes = _mm_setzero_si128();
        for (size_t k = 0; k < steps; k++, i += 16) {
            const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(x, newline));
            any_quote = _mm_or_si128(any_quote, _mm_cmpeq_epi8(x, quote));
        }
        const __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128()); /* two 64-bit sums */
        n += (size_t)_mm_cvtsi128_si64(sums) + (size_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums));
    }
    quotes = _mm_movemask_epi8(any_quote) != 0;
#endif
    for (; i < size; i++) {
        n += p[i] == '\n';
        quotes |= p[i] == '"';
    }
    r->line_ends = n;
    r->quotes = quotes != 0;
}

/*
 * Cut [body, end) into at most `threads` chunks at line ends, counting each chunk's line ends (on
 * the chunks' threads) to size it. A quoted field may hide a line end, so when a quote appears
 * the body is one chunk. Returns the number of chunks.
 */
static size_t plan_chunks(const char *body, const char *end, size_t threads, uint64_t body_line,
                          sk_chunk *chunks)
{
    size_t size = (size_t)(end - body), n = 1;
    if (threads > 1 && size >= 2 * (size_t)MIN_CHUNK_BYTES) {
        n = size / MIN_CHUNK_BYTES;
        if (n > threads) n = threads;
        if (n > SK_PARALLEL_MAX_TASKS) n = SK_PARALLEL_MAX_TASKS;
    }
    range_count counts[SK_PARALLEL_MAX_TASKS];
    const char *start = body;
    size_t k = 0;
    for (size_t c = 0; c < n; c++) {
        const char *stop = end;
        if (c + 1 < n) {
            stop = body + (size / n) * (c + 1);
            if (stop < start) stop = start;
            const char *nl = memchr(stop, '\n', (size_t)(end - stop));
            stop = nl ? nl + 1 : end;
        }
        if (stop == start && c + 1 < n) continue;
        counts[k] = (range_count){start, stop, 0, false};
        k++;
        start = stop;
    }
    sk_parallel_run(k, count_range, counts);
    bool quotes = false;
    for (size_t c = 0; c < k; c++) quotes |= counts[c].quotes;
    if (quotes && k > 1) { /* one chunk after all */
        for (size_t c = 1; c < k; c++) counts[0].line_ends += counts[c].line_ends;
        counts[0].end = end;
        k = 1;
    }
    uint64_t line = body_line;
    size_t row = 0;
    for (size_t c = 0; c < k; c++) {
        chunks[c].index = c;
        chunks[c].begin = counts[c].begin;
        chunks[c].end = counts[c].end;
        chunks[c].first_line = line;
        chunks[c].row0 = row;
        /* A row ends at a line end, except perhaps the last row of the input. */
        bool open_end = chunks[c].end > chunks[c].begin && chunks[c].end[-1] != '\n';
        chunks[c].capacity = counts[c].line_ends + (open_end ? 1 : 0);
        line += counts[c].line_ends;
        row += chunks[c].capacity;
    }
    return k;
}

typedef struct chunk_job {
    sk_csv_shared *shared;
    sk_chunk *chunk;
} chunk_job;

static void *chunk_thread(void *arg)
{
    chunk_job *job = arg;
    sk_chunk_parse(job->shared, job->chunk);
    return NULL;
}

/* Parse the chunks that have `todo` set: the first on this thread, the others on their own. */
static void run_chunks(sk_csv_shared *shared, sk_chunk *chunks, size_t n, const bool *todo)
{
    pthread_t threads[MAX_THREADS];
    chunk_job jobs[MAX_THREADS];
    bool started[MAX_THREADS] = {false};
    size_t first = n;
    for (size_t c = 0; c < n; c++) {
        chunks[c].reports = false;
        if (!todo[c]) continue;
        if (first == n) {
            first = c;
            continue;
        }
        jobs[c].shared = shared;
        jobs[c].chunk = &chunks[c];
        started[c] = pthread_create(&threads[c], NULL, chunk_thread, &jobs[c]) == 0;
    }
    if (first < n) {
        chunks[first].reports = true;
        sk_chunk_parse(shared, &chunks[first]);
    }
    for (size_t c = 0; c < n; c++) {
        if (!todo[c] || c == first) continue;
        if (started[c]) pthread_join(threads[c], NULL);
        else sk_chunk_parse(shared, &chunks[c]); /* no thread: parse it here */
    }
}

/* The error of the first chunk that failed, if any. */
static survkit_status first_failure(const sk_chunk *chunks, size_t n, const char *source,
                                    survkit_error *err)
{
    for (size_t c = 0; c < n; c++) {
        if (chunks[c].status == SURVKIT_OK) continue;
        if (err != NULL) {
            *err = chunks[c].err;
            err->status = chunks[c].status;
            if (err->source[0] == '\0') snprintf(err->source, sizeof err->source, "%s", source);
        }
        return chunks[c].status;
    }
    return SURVKIT_OK;
}

/* Is column j text in some chunk? */
static bool column_is_text(const sk_chunk *chunks, size_t n, size_t j)
{
    for (size_t c = 0; c < n; c++)
        if (chunks[c].states[j] == SK_CHUNK_STRING || chunks[c].states[j] == SK_CHUNK_MIXED) return true;
    return false;
}

/* Second pass: every chunk that read numbers in a text column reads it again as text. */
static survkit_status reread_text_columns(sk_csv_shared *shared, sk_chunk *chunks, size_t n,
                                          const bool *is_text, survkit_error *err)
{
    bool todo[MAX_THREADS] = {false};
    bool any = false;
    for (size_t c = 0; c < n; c++) {
        for (size_t j = 0; j < shared->n_columns; j++) {
            uint8_t state = chunks[c].states[j];
            bool again = is_text[j] && (state == SK_CHUNK_NUMERIC || state == SK_CHUNK_MIXED);
            chunks[c].actions[j] = again ? SK_ACTION_TEXT : SK_ACTION_SKIP;
            if (again) {
                sk_dict_free(&chunks[c].dicts[j]);
                chunks[c].states[j] = SK_CHUNK_STRING;
                todo[c] = true;
            }
        }
        any |= todo[c];
    }
    if (!any) return SURVKIT_OK;
    /* Progress stays where the first pass left it (done never goes back); the pass is rare. */
    survkit_progress_fn progress = shared->progress;
    shared->progress = NULL;
    run_chunks(shared, chunks, n, todo);
    shared->progress = progress;
    return first_failure(chunks, n, shared->source, err);
}

/* Close up the chunk slices of numeric column j and add up its missing values. */
static survkit_status finish_numeric(const sk_chunk *chunks, size_t n, size_t j, double *values,
                                     sk_column *col)
{
    size_t to = 0;
    for (size_t c = 0; c < n; c++) {
        col->n_missing += chunks[c].n_missing[j];
        if (to != chunks[c].row0)
            memmove(values + to, values + chunks[c].row0, chunks[c].n_rows * sizeof *values);
        to += chunks[c].n_rows;
    }
    col->numbers = values; /* its slot of the block */
    col->in_block = true;
    col->type = SURVKIT_COLUMN_NUMERIC;
    return SURVKIT_OK;
}

/* Merge the chunks' dictionaries of column j in chunk order and write the renumbered codes. */
static survkit_status finish_string(const sk_chunk *chunks, size_t n, size_t j, const double *values,
                                    size_t n_rows, sk_column *col)
{
    sk_dict global;
    sk_dict_init(&global);
    col->type = SURVKIT_COLUMN_STRING;
    col->codes = sk_malloc_array(n_rows, sizeof *col->codes);
    survkit_status status = col->codes ? SURVKIT_OK : SURVKIT_ERR_NOMEM;
    int32_t *map = NULL;
    size_t to = 0;
    for (size_t c = 0; c < n && status == SURVKIT_OK; c++) {
        const sk_dict *local = &chunks[c].dicts[j];
        free(map);
        map = sk_malloc_array(local->n_levels, sizeof *map);
        if (map == NULL) {
            status = SURVKIT_ERR_NOMEM;
            break;
        }
        for (size_t k = 0; k < local->n_levels && status == SURVKIT_OK; k++) {
            size_t len;
            const char *text = sk_dict_level(local, k, &len);
            map[k] = sk_dict_intern(&global, text, len);
            if (map[k] < 0) status = SURVKIT_ERR_NOMEM;
        }
        const double *from = values + chunks[c].row0;
        for (size_t i = 0; i < chunks[c].n_rows && status == SURVKIT_OK; i++, to++) {
            if (isnan(from[i])) {
                col->codes[to] = -1;
                col->n_missing++;
            } else {
                col->codes[to] = map[(size_t)from[i]];
            }
        }
    }
    free(map);
    if (status == SURVKIT_OK) {
        col->levels = sk_calloc_array(global.n_levels, sizeof *col->levels);
        if (col->levels == NULL) status = SURVKIT_ERR_NOMEM;
        for (size_t k = 0; status == SURVKIT_OK && k < global.n_levels; k++) {
            col->levels[k] = sk_strdup(sk_dict_level(&global, k, NULL));
            if (col->levels[k] == NULL) status = SURVKIT_ERR_NOMEM;
            col->n_levels = k + 1;
        }
    }
    sk_dict_free(&global);
    return status;
}

typedef struct read_state {
    sk_csv_header header;
    sk_csv_shared shared;
    sk_chunk chunks[MAX_THREADS];
    size_t n_chunks;
    size_t capacity;  /* rows of each column's slot */
    double *block;    /* every column's values, column j at block + j * capacity */
    double **values;
    bool *is_text;
    survkit_table *table;
} read_state;

static void read_state_free(read_state *st)
{
    size_t n_columns = st->header.n_columns;
    for (size_t c = 0; c < st->n_chunks; c++) sk_chunk_free(&st->chunks[c], n_columns);
    free(st->block);
    free(st->values);
    free(st->is_text);
    survkit_table_free(st->table);
    sk_csv_header_free(&st->header);
}

/* Build the table from the parsed chunks, taking the column arrays over. */
static survkit_status assemble(read_state *st, survkit_error *err)
{
    size_t n_rows = 0, n_columns = st->header.n_columns;
    for (size_t c = 0; c < st->n_chunks; c++) n_rows += st->chunks[c].n_rows;
    RETURN_IF_ERROR(survkit_table_create(n_rows, &st->table, err));
    st->table->block = st->block; /* the table's from now on */
    st->table->block_cells = st->capacity * n_columns;
    st->block = NULL;
    for (size_t j = 0; j < n_columns; j++) {
        sk_column col = {0};
        survkit_status status;
        col.name = st->header.names[j];
        st->header.names[j] = NULL;
        if (st->is_text[j]) {
            status = finish_string(st->chunks, st->n_chunks, j, st->values[j], n_rows, &col);
            sk_memory_release(st->values[j], st->capacity * sizeof(double));
        } else {
            status = finish_numeric(st->chunks, st->n_chunks, j, st->values[j], &col);
        }
        st->values[j] = NULL;
        if (status != SURVKIT_OK) {
            sk_column_release(&col);
            return sk_error_set(err, status, st->shared.source, 0, 0, "out of memory building the table");
        }
        RETURN_IF_ERROR(sk_table_take_column(st->table, &col, err));
    }
    return SURVKIT_OK;
}

static survkit_status read_text(const char *data, size_t size, const char *source,
                                const survkit_read_options *opt, read_state *st, survkit_error *err)
{
    const char *begin = data, *end = data + size;
    if (size >= 3 && memcmp(begin, "\xEF\xBB\xBF", 3) == 0) begin += 3; /* UTF-8 byte order mark */
    RETURN_IF_ERROR(sk_csv_header_read(begin, end, opt->separator, source, &st->header, err));
    size_t n_columns = st->header.n_columns;

    sk_csv_shared *shared = &st->shared;
    shared->n_columns = n_columns;
    shared->separator = st->header.separator;
    shared->source = source;
    shared->na_tokens = opt->na_tokens;
    shared->n_na_tokens = opt->na_tokens ? opt->n_na_tokens : 0;
    shared->progress = opt->progress;
    shared->progress_user = opt->progress_user;
    shared->total_bytes = (uint64_t)size;
    atomic_init(&shared->bytes_done, (uint64_t)(st->header.body - data));
    atomic_init(&shared->first_failed, SIZE_MAX);

    st->n_chunks = plan_chunks(st->header.body, end, thread_count(opt), st->header.body_line, st->chunks);
    size_t capacity = st->chunks[st->n_chunks - 1].row0 + st->chunks[st->n_chunks - 1].capacity;
    st->values = sk_calloc_array(n_columns, sizeof *st->values);
    st->is_text = sk_calloc_array(n_columns, sizeof *st->is_text);
    RETURN_ERROR_IF(st->values == NULL || st->is_text == NULL, err, SURVKIT_ERR_NOMEM,
                    "out of memory reading %s", source);
    size_t cells = 0;
    st->capacity = capacity;
    if (sk_mul_size(capacity, n_columns, &cells))
        st->block = sk_malloc_array(cells > 0 ? cells : 1, sizeof(double));
    RETURN_ERROR_IF(st->block == NULL, err, SURVKIT_ERR_NOMEM,
                    "out of memory: %zu rows x %zu columns", capacity, n_columns);
    /* Huge pages over the whole block: each chunk maps its own slices (csv_chunk.c), whose ends
     * rarely fall on 2 MB boundaries, and a model reads the block as X afterwards (fewer faults
     * now, fewer TLB misses in every pass of the fit). */
    sk_memory_prefer_huge(st->block, cells * sizeof(double));
    for (size_t j = 0; j < n_columns; j++) st->values[j] = st->block + j * capacity;
    shared->values = st->values;
    bool todo[MAX_THREADS];
    for (size_t c = 0; c < st->n_chunks; c++) {
        RETURN_ERROR_IF(sk_chunk_init(&st->chunks[c], n_columns) != SURVKIT_OK, err,
                        SURVKIT_ERR_NOMEM, "out of memory reading %s", source);
        todo[c] = true;
    }
    run_chunks(shared, st->chunks, st->n_chunks, todo);
    RETURN_IF_ERROR(first_failure(st->chunks, st->n_chunks, source, err));
    for (size_t j = 0; j < n_columns; j++) st->is_text[j] = column_is_text(st->chunks, st->n_chunks, j);
    RETURN_IF_ERROR(reread_text_columns(shared, st->chunks, st->n_chunks, st->is_text, err));
    RETURN_IF_ERROR(assemble(st, err));
    if (opt->progress != NULL &&
        opt->progress(opt->progress_user, "read", (uint64_t)size, (uint64_t)size, 0.0) != 0)
        return sk_error_set(err, SURVKIT_ERR_ARGUMENT, source, 0, 0, "cancelled");
    return SURVKIT_OK;
}

survkit_status sk_csv_read(const char *data, size_t size, const char *source,
                           const survkit_read_options *opt, survkit_table **out, survkit_error *err)
{
    survkit_read_options defaults;
    if (opt == NULL) {
        survkit_read_options_init(&defaults);
        opt = &defaults;
    }
    RETURN_ERROR_IF(opt->separator != 0 && opt->separator != ',' && opt->separator != '\t' &&
                        opt->separator != ';',
                    err, SURVKIT_ERR_ARGUMENT, "the separator must be ',', tab or ';'");
    /* Old Mac exports end lines with CR alone; R's scan accepts LF, CRLF and CR. A text with CRs
     * and no LF at all is read as if each CR were a line end (a copy with LF in their place);
     * the search stops at the first LF, so other files pay only for finding it. */
    char *lf_copy = NULL;
    if (size > 0 && memchr(data, '\n', size) == NULL && memchr(data, '\r', size) != NULL) {
        lf_copy = malloc(size);
        RETURN_ERROR_IF(lf_copy == NULL, err, SURVKIT_ERR_NOMEM, "out of memory reading %s", source);
        for (size_t i = 0; i < size; i++) lf_copy[i] = data[i] == '\r' ? '\n' : data[i];
        data = lf_copy;
    }
    char *utf8_copy = NULL;
    survkit_status checked = as_utf8(&data, &size, source, opt->encoding, &utf8_copy, err);
    if (checked != SURVKIT_OK) {
        free(lf_copy);
        return checked;
    }
    read_state *st = calloc(1, sizeof *st);
    if (st == NULL) {
        free(lf_copy);
        free(utf8_copy);
    }
    RETURN_ERROR_IF(st == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
    survkit_status status = read_text(data, size, source, opt, st, err);
    if (status == SURVKIT_OK && opt->encoding == SURVKIT_ENCODING_UTF8)
        status = check_levels(st->table, data, size, source, err);
    if (status == SURVKIT_OK) {
        *out = st->table;
        st->table = NULL;
    }
    read_state_free(st);
    free(st);
    free(lf_copy);
    free(utf8_copy);
    return status;
}

survkit_status survkit_table_read_buffer(const char *data, size_t size, const char *source_name,
                                         const survkit_read_options *opt, survkit_table **out,
                                         survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL, err, SURVKIT_ERR_ARGUMENT, "survkit_table_read_buffer: out is NULL");
    *out = NULL;
    RETURN_ERROR_IF(data == NULL && size > 0, err, SURVKIT_ERR_ARGUMENT,
                    "survkit_table_read_buffer: data is NULL");
    return sk_csv_read(data ? data : "", size, source_name ? source_name : "", opt, out, err);
}
