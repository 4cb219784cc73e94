/*
 * readstat_reader.c: SPSS (.sav, .zsav, .por), Stata (.dta) and SAS (.sas7bdat, .xpt) files read
 * through ReadStat into the table's columns, with no text in between.
 *
 * ReadStat parses the mapped file (memory I/O handlers below) and calls one handler per kind of
 * record: the metadata (row count), each variable (name, label, display format, value-label set),
 * each value, each value label. A value lands in its column's array at once: a number as a double
 * (NaN when system, user-defined or extended missing: ReadStat's readstat_value_is_missing), a
 * string as a dictionary code. Value labels may come after the data (Stata writes them last), so
 * the columns are finished at the end: dates converted (haven's rules), labelled columns made
 * factors (labelled.c), the value labels and variable labels kept for `describe`. The rows of a
 * Stata 117-119 file are decoded from the mapped bytes by stata_data.c (ReadStat reads all the
 * rest); another large Stata file is read by ReadStat in row ranges on several threads.
 */
#include "io/readers_internal.h"
#include "io/dictionary.h"
#include "io/labelled.h"
#include "io/stata_data.h"
#include "core/parallel.h"
#include "data/table_internal.h"

#include <math.h>
#include <readstat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the file in memory, as ReadStat's I/O ---------------------------------------------------- */

typedef struct memory_io {
    const unsigned char *data;
    size_t size, pos;
} memory_io;

static int io_open(const char *path, void *ctx)
{
    (void)path;
    ((memory_io *)ctx)->pos = 0;
    return 0;
}

static int io_close(void *ctx)
{
    (void)ctx;
    return 0;
}

static readstat_off_t io_seek(readstat_off_t offset, readstat_io_flags_t whence, void *ctx)
{
    memory_io *io = ctx;
    readstat_off_t base = whence == READSTAT_SEEK_SET ? 0
                          : whence == READSTAT_SEEK_CUR ? (readstat_off_t)io->pos
                                                        : (readstat_off_t)io->size;
    readstat_off_t to = base + offset;
    if (to < 0 || (uint64_t)to > (uint64_t)io->size) return -1;
    io->pos = (size_t)to;
    return to;
}

static ssize_t io_read(void *buf, size_t nbyte, void *ctx)
{
    memory_io *io = ctx;
    size_t n = io->size - io->pos < nbyte ? io->size - io->pos : nbyte;
    if (n == 0) return 0; /* ReadStat may ask for nothing, into no buffer */
    memcpy(buf, io->data + io->pos, n);
    io->pos += n;
    return (ssize_t)n;
}

static readstat_error_t io_update(long file_size, readstat_progress_handler progress, void *user,
                                  void *ctx)
{
    (void)file_size;
    const memory_io *io = ctx;
    if (progress != NULL && io->size > 0 && progress((double)io->pos / (double)io->size, user) != 0)
        return READSTAT_ERROR_USER_ABORT;
    return READSTAT_OK;
}

/* ---- what the handlers collect ----------------------------------------------------------------- */

typedef enum date_kind { NOT_A_DATE, DATE, DATETIME } date_kind;

typedef struct rs_column {
    char *name, *label, *label_set;
    date_kind date;
    bool is_string;
    bool user_missing; /* SPSS: the variable declares missing values or ranges */
    double *numbers; /* numeric column: one per row */
    int32_t *codes;  /* string column: dictionary codes, -1 = missing */
    sk_dict dict;
    size_t n_missing;
    size_t n_values; /* values delivered: every row must give one */
} rs_column;

typedef struct label_set {
    char *name;
    double *values;
    char **texts;
    size_t n, capacity;
} label_set;

typedef struct reader {
    sk_format format;
    const char *source;
    const survkit_read_options *opt;
    size_t file_size;
    rs_column *columns;
    size_t n_columns;
    size_t n_rows, capacity; /* rows seen; rows each column array holds */
    label_set *sets;
    size_t n_sets, sets_capacity;
    size_t set_name_limit;   /* bytes a value-label set's name may take (see set_name) */
    survkit_status status;   /* a failure inside a handler (memory, a bad record) */
    char detail[256];        /* ReadStat's own message, if it gave one */
    survkit_error *err;
    survkit_error own_err;   /* where err points, for a chunk read on its own thread */
    long announced_rows;     /* the row count in the header (count_rows), -1 when unknown */
    bool reports;            /* the first chunk: calls the progress callback */
} reader;

static int fail(reader *r, survkit_status status, const char *what)
{
    if (r->status == SURVKIT_OK) {
        r->status = status;
        sk_error_set(r->err, status, r->source, 0, 0, "%s", what);
    }
    return READSTAT_HANDLER_ABORT;
}

/* haven's rules (numType in haven's C++): the display format marks dates and date-times. */
static date_kind date_of_format(sk_format format, const char *f)
{
    if (f == NULL) return NOT_A_DATE;
#define HAS(prefix) (strncmp(f, prefix, sizeof prefix - 1) == 0)
    switch (format) {
    case SK_FORMAT_STATA:
        if (HAS("%tC") || HAS("%tc")) return DATETIME;
        if (HAS("%td") || HAS("%d")) return DATE;
        return NOT_A_DATE;
    case SK_FORMAT_SPSS:
    case SK_FORMAT_POR:
        if (HAS("DATETIME")) return DATETIME;
        if (HAS("DATE") || HAS("ADATE") || HAS("EDATE") || HAS("JDATE") || HAS("SDATE")) return DATE;
        return NOT_A_DATE;
    case SK_FORMAT_SAS7BDAT:
    case SK_FORMAT_XPORT:
        if (HAS("DATETIME")) return DATETIME;
        if (HAS("WEEKDATE") || HAS("MMDDYY") || HAS("DDMMYY") || HAS("YYMMDD") || HAS("DATE")) return DATE;
        return NOT_A_DATE;
    default:
        return NOT_A_DATE;
    }
#undef HAS
}

/*
 * A stored date or date-time as R's Date (days) or POSIXct (seconds) since 1970-01-01. Stata and
 * SAS count from 1960-01-01 (3653 days earlier; Stata's date-times in milliseconds), SPSS from
 * 1582-10-14 (141428 days earlier; its dates in seconds too).
 */
static double to_r_time(sk_format format, date_kind kind, double v)
{
    bool spss = format == SK_FORMAT_SPSS || format == SK_FORMAT_POR;
    double days = spss ? 141428.0 : 3653.0;
    if (kind == DATETIME) return (format == SK_FORMAT_STATA ? v / 1000.0 : v) - days * 86400.0;
    return (spss ? v / 86400.0 : v) - days;
}

static int on_metadata(readstat_metadata_t *metadata, void *ctx)
{
    reader *r = ctx;
    int vars = readstat_get_var_count(metadata), rows = readstat_get_row_count(metadata);
    if (vars < 0) return fail(r, SURVKIT_ERR_PARSE, "the file gives no variable count");
    if ((size_t)vars > r->file_size) /* each variable takes bytes of the header */
        return fail(r, SURVKIT_ERR_PARSE, "the file announces more variables than it can hold");
    /* ReadStat (1.1.8) hands a Stata variable's label-set name straight from the file, where a
     * damaged file may leave it unterminated: read no further than its field (9 bytes before
     * format 108, 33 before 118, 129 since). Other formats' names are ReadStat's own strings. */
    int version = readstat_get_file_format_version(metadata);
    r->set_name_limit = r->format != SK_FORMAT_STATA ? 256 : version < 108 ? 9 : version < 118 ? 33 : 129;
    r->columns = sk_calloc_array((size_t)vars, sizeof *r->columns);
    if (r->columns == NULL) return fail(r, SURVKIT_ERR_NOMEM, "out of memory reading the variables");
    r->n_columns = (size_t)vars;
    for (size_t j = 0; j < r->n_columns; j++) sk_dict_init(&r->columns[j].dict);
    /* The announced count sizes the columns, but a damaged file may announce anything: never more
     * cells at first than 8 per byte of the file (a compressed SPSS cell takes at least one byte;
     * the arrays grow if more rows come, as they may from a .zsav). */
    size_t cells = r->file_size < SIZE_MAX / 16 ? 8 * r->file_size + 1024 : SIZE_MAX / 2;
    size_t bound = cells / (vars > 0 ? (size_t)vars : 1);
    if (bound < 1024) bound = 1024;
    r->capacity = rows > 0 ? ((size_t)rows < bound ? (size_t)rows : bound) : 1024;
    return READSTAT_HANDLER_OK;
}

/* A label-set name, cut at its field's end (set_name_limit) when it has no terminator there. */
static char *set_name(const reader *r, const char *name)
{
    /* SPSS value labels come before the metadata: the limit is not known yet, and not needed. */
    size_t len = strnlen(name, r->set_name_limit ? r->set_name_limit : 256);
    char *copy = malloc(len + 1);
    if (copy == NULL) return NULL;
    memcpy(copy, name, len);
    copy[len] = '\0';
    return copy;
}

static int on_variable(int index, readstat_variable_t *variable, const char *val_labels, void *ctx)
{
    reader *r = ctx;
    if (index < 0 || (size_t)index >= r->n_columns) return fail(r, SURVKIT_ERR_PARSE, "a variable beyond the variable count");
    rs_column *c = &r->columns[index];
    const char *name = readstat_variable_get_name(variable);
    c->name = sk_strdup(name ? name : "");
    const char *label = readstat_variable_get_label(variable);
    if (label != NULL && label[0] != '\0') c->label = sk_strdup(label);
    if (val_labels != NULL && val_labels[0] != '\0') c->label_set = set_name(r, val_labels);
    c->is_string = readstat_variable_get_type_class(variable) == READSTAT_TYPE_CLASS_STRING;
    c->user_missing = readstat_variable_get_missing_ranges_count(variable) > 0;
    c->date = c->is_string ? NOT_A_DATE : date_of_format(r->format, readstat_variable_get_format(variable));
    if (c->is_string) c->codes = sk_malloc_array(r->capacity, sizeof *c->codes);
    else c->numbers = sk_malloc_array(r->capacity, sizeof *c->numbers);
    if (c->name == NULL || (label && label[0] && !c->label) || (val_labels && val_labels[0] && !c->label_set) ||
        (c->is_string ? c->codes == NULL : c->numbers == NULL))
        return fail(r, SURVKIT_ERR_NOMEM, "out of memory reading the variables");
    return READSTAT_HANDLER_OK;
}

static bool set_capacity(reader *r, size_t capacity);

/* Room for row `row` in every column (a file that did not announce its rows, or a damaged one). */
static bool make_room(reader *r, size_t row)
{
    size_t capacity = r->capacity ? r->capacity : 1024;
    while (capacity <= row) {
        if (capacity > SIZE_MAX / 2) return false;
        capacity *= 2;
    }
    return set_capacity(r, capacity);
}

/* Every column array resized to `capacity` rows. */
static bool set_capacity(reader *r, size_t capacity)
{
    if (capacity == 0) capacity = 1;
    for (size_t j = 0; j < r->n_columns; j++) {
        rs_column *c = &r->columns[j];
        if (c->is_string) {
            int32_t *grown = sk_realloc_array(c->codes, capacity, sizeof *grown);
            if (grown == NULL) return false;
            c->codes = grown;
        } else {
            double *grown = sk_realloc_array(c->numbers, capacity, sizeof *grown);
            if (grown == NULL) return false;
            c->numbers = grown;
        }
    }
    r->capacity = capacity;
    return true;
}

/* A number from ReadStat's value record (its fields are public): this runs once per cell, so the
 * accessor functions, a call each through the PLT, are left for the rare cases. */
static double number_of(readstat_value_t value)
{
    switch (value.type) {
    case READSTAT_TYPE_DOUBLE: return value.v.double_value;
    case READSTAT_TYPE_FLOAT: return (double)value.v.float_value;
    case READSTAT_TYPE_INT32: return (double)value.v.i32_value;
    case READSTAT_TYPE_INT16: return (double)value.v.i16_value;
    case READSTAT_TYPE_INT8: return (double)value.v.i8_value;
    default: return NAN;
    }
}

static int on_value(int obs_index, readstat_variable_t *variable, readstat_value_t value, void *ctx)
{
    reader *r = ctx;
    int index = readstat_variable_get_index(variable);
    if (obs_index < 0 || index < 0 || (size_t)index >= r->n_columns)
        return fail(r, SURVKIT_ERR_PARSE, "a value outside the table");
    size_t row = (size_t)obs_index;
    rs_column *c = &r->columns[index];
    if (row >= r->capacity && !make_room(r, row)) return fail(r, SURVKIT_ERR_NOMEM, "out of memory reading the values");
    if (row >= r->n_rows) r->n_rows = row + 1;
    c->n_values++;
    bool string_value = value.type == READSTAT_TYPE_STRING || value.type == READSTAT_TYPE_STRING_REF;
    if (c->is_string != string_value || (c->is_string ? c->codes == NULL : c->numbers == NULL))
        return fail(r, SURVKIT_ERR_PARSE, "a value of the wrong type for its variable");
    /* System missing, Stata's .a-.z and SAS's .A-.Z, and SPSS's declared missing values. */
    bool missing = value.is_system_missing || value.is_tagged_missing ||
                   (c->user_missing && readstat_value_is_defined_missing(value, variable));
    if (c->is_string) {
        const char *text = value.v.string_value;
        if (missing || text == NULL || text[0] == '\0') {
            c->codes[row] = -1;
            c->n_missing++;
            return READSTAT_HANDLER_OK;
        }
        c->codes[row] = sk_dict_intern(&c->dict, text, strlen(text));
        if (c->codes[row] < 0) return fail(r, SURVKIT_ERR_NOMEM, "out of memory reading string values");
        return READSTAT_HANDLER_OK;
    }
    double x = missing ? NAN : number_of(value);
    c->n_missing += isnan(x);
    c->numbers[row] = x;
    return READSTAT_HANDLER_OK;
}

static label_set *find_set(reader *r, const char *name)
{
    for (size_t k = 0; k < r->n_sets; k++)
        if (strcmp(r->sets[k].name, name) == 0) return &r->sets[k];
    return NULL;
}

/* Numeric value labels only (a labelled string column stays a string); a label on a missing
 * code (Stata's .a, SPSS's system missing) names no level. */
static int on_value_label(const char *val_labels, readstat_value_t value, const char *label, void *ctx)
{
    reader *r = ctx;
    if (val_labels == NULL || label == NULL ||
        readstat_value_type_class(value) != READSTAT_TYPE_CLASS_NUMERIC ||
        readstat_value_is_system_missing(value) || readstat_value_is_tagged_missing(value))
        return READSTAT_HANDLER_OK;
    double x = readstat_double_value(value);
    if (isnan(x)) return READSTAT_HANDLER_OK;
    char *name = set_name(r, val_labels);
    if (name == NULL) return fail(r, SURVKIT_ERR_NOMEM, "out of memory reading value labels");
    label_set *set = find_set(r, name);
    if (set == NULL) {
        if (r->n_sets == r->sets_capacity) {
            size_t capacity = r->sets_capacity ? 2 * r->sets_capacity : 8;
            label_set *grown = sk_realloc_array(r->sets, capacity, sizeof *grown);
            if (grown == NULL) {
                free(name);
                return fail(r, SURVKIT_ERR_NOMEM, "out of memory reading value labels");
            }
            r->sets = grown;
            r->sets_capacity = capacity;
        }
        set = &r->sets[r->n_sets];
        memset(set, 0, sizeof *set);
        set->name = name;
        name = NULL;
        r->n_sets++;
    }
    free(name);
    if (set->n == set->capacity) {
        size_t capacity = set->capacity ? 2 * set->capacity : 8;
        double *values = sk_realloc_array(set->values, capacity, sizeof *values);
        if (values != NULL) set->values = values;
        char **texts = sk_realloc_array(set->texts, capacity, sizeof *texts);
        if (texts != NULL) set->texts = texts;
        if (values == NULL || texts == NULL) return fail(r, SURVKIT_ERR_NOMEM, "out of memory reading value labels");
        set->capacity = capacity;
    }
    set->texts[set->n] = sk_strdup(label);
    if (set->texts[set->n] == NULL) return fail(r, SURVKIT_ERR_NOMEM, "out of memory reading value labels");
    set->values[set->n++] = x;
    return READSTAT_HANDLER_OK;
}

static void on_error(const char *message, void *ctx)
{
    reader *r = ctx;
    if (r->detail[0] == '\0' && message != NULL) {
        snprintf(r->detail, sizeof r->detail, "%s", message);
        size_t len = strlen(r->detail);
        while (len > 0 && (r->detail[len - 1] == '\n' || r->detail[len - 1] == ' ')) r->detail[--len] = '\0';
    }
}

static int on_progress(double progress, void *ctx)
{
    const reader *r = ctx;
    const survkit_read_options *opt = r->opt;
    if (opt == NULL || opt->progress == NULL || !r->reports) return READSTAT_HANDLER_OK;
    uint64_t done = (uint64_t)(progress * (double)r->file_size);
    return opt->progress(opt->progress_user, "read", done, r->file_size, 0.0) != 0 ? READSTAT_HANDLER_ABORT
                                                                                    : READSTAT_HANDLER_OK;
}

/* ---- the table --------------------------------------------------------------------------------- */

typedef struct pair {
    double value;
    char *text;
} pair;

static int compare_pairs(const void *a, const void *b)
{
    double x = ((const pair *)a)->value, y = ((const pair *)b)->value;
    return (x > y) - (x < y);
}

/* The column's value labels, sorted by code, copied into `col` (a code labelled twice keeps its
 * last label, as SPSS and Stata do). */
static bool take_value_labels(const label_set *set, sk_column *col)
{
    pair *pairs = sk_malloc_array(set->n, sizeof *pairs);
    col->label_values = sk_malloc_array(set->n, sizeof *col->label_values);
    col->label_texts = sk_calloc_array(set->n, sizeof *col->label_texts);
    bool ok = pairs && col->label_values && col->label_texts;
    for (size_t k = 0; ok && k < set->n; k++) pairs[k] = (pair){set->values[k], set->texts[k]};
    if (ok) qsort(pairs, set->n, sizeof *pairs, compare_pairs);
    size_t n = 0;
    for (size_t k = 0; ok && k < set->n; k++) {
        if (n > 0 && col->label_values[n - 1] == pairs[k].value) {
            free(col->label_texts[n - 1]);
            n--;
        }
        col->label_values[n] = pairs[k].value;
        col->label_texts[n] = sk_strdup(pairs[k].text);
        ok = col->label_texts[n++] != NULL;
        col->n_value_labels = n;
    }
    free(pairs);
    return ok;
}

/* Column j of the reader as a table column (arrays moved, not copied). */
static bool finish_column(reader *r, rs_column *c, sk_column *col)
{
    size_t n = r->n_rows;
    col->name = c->name;
    c->name = NULL;
    col->label = c->label;
    c->label = NULL;
    col->n_missing = c->n_missing;
    if (c->is_string) {
        col->type = SURVKIT_COLUMN_STRING;
        col->codes = c->codes;
        c->codes = NULL;
        col->levels = sk_calloc_array(c->dict.n_levels, sizeof *col->levels);
        if (col->levels == NULL) return false;
        for (size_t k = 0; k < c->dict.n_levels; k++) {
            col->levels[k] = sk_strdup(sk_dict_level(&c->dict, k, NULL));
            if (col->levels[k] == NULL) return false;
            col->n_levels = k + 1;
        }
        return true;
    }
    col->type = SURVKIT_COLUMN_NUMERIC;
    col->numbers = c->numbers;
    c->numbers = NULL;
    if (c->date != NOT_A_DATE)
        for (size_t i = 0; i < n; i++) col->numbers[i] = to_r_time(r->format, c->date, col->numbers[i]);
    const label_set *set = c->label_set ? find_set(r, c->label_set) : NULL;
    if (set == NULL || set->n == 0 || c->date != NOT_A_DATE) return true;
    if (!take_value_labels(set, col)) return false;
    if (r->opt != NULL && !r->opt->value_labels) return true;
    int32_t *codes;
    char **levels;
    size_t n_levels;
    if (sk_labelled_factor(col->numbers, n, col->label_values, col->label_texts, col->n_value_labels,
                           &codes, &levels, &n_levels) != SURVKIT_OK)
        return false;
    free(col->numbers);
    col->numbers = NULL;
    col->type = SURVKIT_COLUMN_STRING;
    col->factor = true;
    col->codes = codes;
    col->levels = levels;
    col->n_levels = n_levels;
    return true;
}

static survkit_status build_table(reader *r, survkit_table **out)
{
    RETURN_IF_ERROR(survkit_table_create(r->n_rows, out, r->err));
    for (size_t j = 0; j < r->n_columns; j++) {
        rs_column *c = &r->columns[j];
        if (c->name == NULL || (c->is_string ? c->codes == NULL : c->numbers == NULL))
            return sk_error_set(r->err, SURVKIT_ERR_PARSE, r->source, 0, 0,
                                "variable %zu of %zu is missing from the file", j + 1, r->n_columns);
        if (c->n_values != r->n_rows)
            return sk_error_set(r->err, SURVKIT_ERR_PARSE, r->source, 0, 0,
                                "variable '%s' has %zu values for %zu rows: the file is damaged",
                                c->name, c->n_values, r->n_rows);
        if (survkit_table_find(*out, c->name) >= 0)
            return sk_error_set(r->err, SURVKIT_ERR_PARSE, r->source, 0, 0,
                                "two variables are named '%s'", c->name);
        sk_column col = {0};
        if (!finish_column(r, c, &col)) {
            sk_column_release(&col);
            return sk_error_set(r->err, SURVKIT_ERR_NOMEM, r->source, 0, 0, "out of memory building the table");
        }
        /* Shrink the arrays to the rows read. */
        if (col.numbers != NULL) {
            double *shrunk = sk_realloc_array(col.numbers, r->n_rows, sizeof *shrunk);
            if (shrunk != NULL) col.numbers = shrunk;
        }
        RETURN_IF_ERROR(sk_table_take_column(*out, &col, r->err));
    }
    return SURVKIT_OK;
}

static void reader_free(reader *r)
{
    for (size_t j = 0; j < r->n_columns; j++) {
        rs_column *c = &r->columns[j];
        free(c->name);
        free(c->label);
        free(c->label_set);
        free(c->numbers);
        free(c->codes);
        sk_dict_free(&c->dict);
    }
    free(r->columns);
    for (size_t k = 0; k < r->n_sets; k++) {
        free(r->sets[k].name);
        free(r->sets[k].values);
        for (size_t l = 0; l < r->sets[k].n; l++) free(r->sets[k].texts[l]);
        free(r->sets[k].texts);
    }
    free(r->sets);
}

static readstat_error_t parse(readstat_parser_t *parser, sk_format format, reader *r)
{
    switch (format) {
    case SK_FORMAT_SPSS: return readstat_parse_sav(parser, r->source, r);
    case SK_FORMAT_POR: return readstat_parse_por(parser, r->source, r);
    case SK_FORMAT_STATA: return readstat_parse_dta(parser, r->source, r);
    case SK_FORMAT_SAS7BDAT: return readstat_parse_sas7bdat(parser, r->source, r);
    case SK_FORMAT_XPORT: return readstat_parse_xport(parser, r->source, r);
    default: return READSTAT_ERROR_UNSUPPORTED_FILE_FORMAT_VERSION;
    }
}

/* ReadStat's failure as one message: its code's text, with its detail when that helps. */
static survkit_status readstat_failure(reader *r, readstat_error_t rc)
{
    const char *what = sk_format_describe(r->format);
    if (rc == READSTAT_ERROR_MALLOC)
        return sk_error_set(r->err, SURVKIT_ERR_NOMEM, r->source, 0, 0, "out of memory reading %s", what);
    if (rc == READSTAT_ERROR_READ || rc == READSTAT_ERROR_SEEK)
        return sk_error_set(r->err, SURVKIT_ERR_PARSE, r->source, 0, 0,
                            "cannot read %s: it ends before its data do (truncated or damaged)", what);
    bool detail = r->detail[0] != '\0' && strstr(r->detail, "errno") == NULL;
    return sk_error_set(r->err, SURVKIT_ERR_PARSE, r->source, 0, 0, "cannot read %s: %s%s%s%s", what,
                        readstat_error_message(rc), detail ? " (" : "", detail ? r->detail : "",
                        detail ? ")" : "");
}

/* The header's row count, and nothing more (the parse stops there). */
static int on_count(readstat_metadata_t *metadata, void *ctx)
{
    ((reader *)ctx)->announced_rows = readstat_get_row_count(metadata);
    return READSTAT_HANDLER_ABORT;
}

/* Run ReadStat over the file into r: rows [offset, offset + limit) (limit 0: all), or only the
 * row count when `count`. Sets r->status and r->err on failure. */
static void run_parser(reader *r, const unsigned char *data, size_t size, long offset, long limit,
                       bool count)
{
    memory_io io = {data, size, 0};
    readstat_parser_t *parser = readstat_parser_init();
    if (parser == NULL) {
        fail(r, SURVKIT_ERR_NOMEM, "out of memory starting ReadStat");
        return;
    }
    readstat_set_open_handler(parser, io_open);
    readstat_set_close_handler(parser, io_close);
    readstat_set_seek_handler(parser, io_seek);
    readstat_set_read_handler(parser, io_read);
    readstat_set_update_handler(parser, io_update);
    readstat_set_io_ctx(parser, &io);
    readstat_set_error_handler(parser, on_error);
    if (count) {
        readstat_set_metadata_handler(parser, on_count);
    } else {
        readstat_set_metadata_handler(parser, on_metadata);
        readstat_set_variable_handler(parser, on_variable);
        readstat_set_value_handler(parser, on_value);
        readstat_set_value_label_handler(parser, on_value_label);
        readstat_set_progress_handler(parser, on_progress);
        if (offset > 0) readstat_set_row_offset(parser, offset);
        if (limit > 0) readstat_set_row_limit(parser, limit);
    }
    readstat_error_t rc = parse(parser, r->format, r);
    readstat_parser_free(parser);
    if (count || r->status != SURVKIT_OK) return;
    if (rc == READSTAT_ERROR_USER_ABORT)
        r->status = sk_error_set(r->err, SURVKIT_ERR_ARGUMENT, r->source, 0, 0, "cancelled");
    else if (rc != READSTAT_OK)
        r->status = readstat_failure(r, rc);
    else if (r->format == SK_FORMAT_XPORT && size % 80 != 0)
        /* Rows run to the end of a transport file, so a cut one would read without complaint; but
         * the file is made of whole 80-byte records. */
        r->status = sk_error_set(r->err, SURVKIT_ERR_PARSE, r->source, 0, 0,
                                 "cannot read %s: it ends in the middle of a record (truncated?)",
                                 sk_format_describe(r->format));
    else if (r->columns == NULL)
        r->status = sk_error_set(r->err, SURVKIT_ERR_PARSE, r->source, 0, 0, "cannot read %s: no variables",
                                 sk_format_describe(r->format));
}

/*
 * Large Stata files that stata_data.c does not decode (formats before 117, strL columns) are read
 * in row ranges on several threads, each by a parser of its own that seeks to its first row (Stata
 * rows have a fixed width, so ReadStat's row offset is a seek), into a reader of its own; the
 * chunks are then joined in order. Other formats are read in one pass (an SPSS file is usually
 * compressed row by row, so its offsets cost a decoding of all before).
 */
enum { MIN_CHUNK_ROWS = 1 << 16 };

typedef struct chunk_job {
    reader *readers;
    const unsigned char *data;
    size_t size, rows, n_chunks;
} chunk_job;

static void parse_chunk(void *ctx, size_t k)
{
    chunk_job *job = ctx;
    size_t lo = 0, hi = 0;
    if (job->n_chunks > 1) sk_parallel_range(job->rows, job->n_chunks, k, &lo, &hi);
    run_parser(&job->readers[k], job->data, job->size, (long)lo, (long)(hi - lo), false);
}

/* Append chunk `c`'s rows to `into` (the first chunk), column by column: numbers copied, string
 * codes renumbered into the first chunk's dictionary (levels stay in order of first appearance). */
static bool append_chunk(reader *into, reader *c, size_t rows)
{
    size_t at = into->n_rows;
    if (at + rows > into->capacity && !make_room(into, at + rows - 1)) return false;
    for (size_t j = 0; j < into->n_columns; j++) {
        rs_column *to = &into->columns[j], *from = &c->columns[j];
        to->n_missing += from->n_missing;
        to->n_values += from->n_values;
        if (!to->is_string) {
            memcpy(to->numbers + at, from->numbers, rows * sizeof *to->numbers);
            continue;
        }
        int32_t *map = sk_malloc_array(from->dict.n_levels, sizeof *map);
        if (map == NULL) return false;
        for (size_t k = 0; k < from->dict.n_levels; k++) {
            size_t len;
            const char *text = sk_dict_level(&from->dict, k, &len);
            map[k] = sk_dict_intern(&to->dict, text, len);
            if (map[k] < 0) {
                free(map);
                return false;
            }
        }
        for (size_t i = 0; i < rows; i++) to->codes[at + i] = from->codes[i] < 0 ? -1 : map[from->codes[i]];
        free(map);
    }
    into->n_rows = at + rows;
    return true;
}

/* The chunks' failure (the first in row order), or their rows joined into the first chunk. */
static survkit_status join_chunks(reader *readers, size_t n_chunks, size_t rows, survkit_error *err)
{
    for (size_t k = 0; k < n_chunks; k++) {
        if (readers[k].status == SURVKIT_OK) continue;
        if (err != NULL) *err = readers[k].own_err;
        return readers[k].status;
    }
    for (size_t k = 1; k < n_chunks; k++) {
        size_t lo, hi;
        sk_parallel_range(rows, n_chunks, k, &lo, &hi);
        reader *c = &readers[k];
        bool same = c->n_columns == readers[0].n_columns && c->n_rows == hi - lo;
        for (size_t j = 0; same && j < c->n_columns; j++)
            same = c->columns[j].is_string == readers[0].columns[j].is_string &&
                   (c->columns[j].is_string ? c->columns[j].codes != NULL : c->columns[j].numbers != NULL);
        if (!same)
            return sk_error_set(err, SURVKIT_ERR_PARSE, readers[0].source, 0, 0,
                                "cannot read %s: rows %zu to %zu do not match the header",
                                sk_format_describe(readers[0].format), lo + 1, hi);
        if (!append_chunk(&readers[0], c, hi - lo))
            return sk_error_set(err, SURVKIT_ERR_NOMEM, readers[0].source, 0, 0, "out of memory joining the rows");
    }
    return SURVKIT_OK;
}

/*
 * A Stata 117-119 file whose rows stata_data.c can decode: ReadStat reads the header, the
 * variables, the value labels and one row; the rows are then decoded from the mapped bytes, numbers
 * in row ranges on the threads, strings on this one (their levels in order of first appearance).
 */
typedef struct decode_job {
    const sk_stata_layout *layout;
    const unsigned char *data;
    reader *r;
    size_t n_tasks;
    size_t *missing; /* [task][column] */
} decode_job;

/* Rows in blocks of about 256 KB of the file, each block decoded column by column while the
 * cache holds it (a column at a time over all rows would read the whole file once per column). */
static void decode_rows(void *ctx, size_t t)
{
    decode_job *job = ctx;
    size_t lo, hi;
    sk_parallel_range(job->layout->n_rows, job->n_tasks, t, &lo, &hi);
    size_t block = ((size_t)1 << 18) / (job->layout->row_width ? job->layout->row_width : 1) + 1;
    size_t *missing = job->missing + t * job->r->n_columns;
    for (size_t b = lo; b < hi; b += block) {
        size_t e = hi - b < block ? hi : b + block;
        for (size_t j = 0; j < job->r->n_columns; j++) {
            rs_column *c = &job->r->columns[j];
            if (!c->is_string) missing[j] += sk_stata_numbers(job->layout, job->data, j, b, e, c->numbers + b);
        }
    }
}

static survkit_status decode_strings(reader *r, const sk_stata_layout *l, const unsigned char *data)
{
    for (size_t j = 0; j < r->n_columns; j++) {
        rs_column *c = &r->columns[j];
        if (!c->is_string) continue;
        sk_dict_free(&c->dict);
        sk_dict_init(&c->dict);
        for (size_t i = 0; i < l->n_rows; i++) {
            size_t len;
            const char *text = sk_stata_text(l, data, j, i, &len);
            if (len == 0) {
                c->codes[i] = -1;
                c->n_missing++;
                continue;
            }
            c->codes[i] = sk_dict_intern(&c->dict, text, len);
            if (c->codes[i] < 0) return SURVKIT_ERR_NOMEM;
        }
    }
    return SURVKIT_OK;
}

static survkit_status read_stata_rows(const sk_stata_layout *l, const unsigned char *data,
                                      size_t size, reader *r, size_t threads, survkit_error *err)
{
    run_parser(r, data, size, 0, 1, false);
    if (r->status != SURVKIT_OK) {
        if (err != NULL) *err = r->own_err;
        return r->status;
    }
    bool same = r->n_columns == l->n_vars;
    for (size_t j = 0; same && j < r->n_columns; j++)
        same = r->columns[j].is_string != sk_stata_is_number(l, j) &&
               (r->columns[j].is_string ? r->columns[j].codes != NULL : r->columns[j].numbers != NULL);
    if (!same)
        return sk_error_set(err, SURVKIT_ERR_PARSE, r->source, 0, 0,
                            "cannot read %s: its variables do not match its header",
                            sk_format_describe(r->format));
    if (!set_capacity(r, l->n_rows)) return sk_error_set(err, SURVKIT_ERR_NOMEM, r->source, 0, 0, "out of memory reading %s", r->source);
    r->n_rows = l->n_rows;
    for (size_t j = 0; j < r->n_columns; j++) {
        r->columns[j].n_values = l->n_rows;
        r->columns[j].n_missing = 0;
    }
    size_t n_tasks = l->n_rows / MIN_CHUNK_ROWS;
    if (n_tasks > threads) n_tasks = threads;
    if (n_tasks > SK_PARALLEL_MAX_TASKS) n_tasks = SK_PARALLEL_MAX_TASKS;
    if (n_tasks < 1) n_tasks = 1;
    decode_job job = {l, data, r, n_tasks, sk_calloc_array(n_tasks * r->n_columns, sizeof(size_t))};
    RETURN_ERROR_IF(job.missing == NULL, err, SURVKIT_ERR_NOMEM, "out of memory reading %s", r->source);
    sk_parallel_run(n_tasks, decode_rows, &job);
    for (size_t t = 0; t < n_tasks; t++)
        for (size_t j = 0; j < r->n_columns; j++) r->columns[j].n_missing += job.missing[t * r->n_columns + j];
    free(job.missing);
    if (decode_strings(r, l, data) != SURVKIT_OK)
        return sk_error_set(err, SURVKIT_ERR_NOMEM, r->source, 0, 0, "out of memory reading string values");
    return SURVKIT_OK;
}

survkit_status sk_readstat_read(sk_format format, const unsigned char *data, size_t size,
                                const char *source, const survkit_read_options *opt,
                                survkit_table **out, survkit_error *err)
{
    *out = NULL;
    size_t threads = (opt != NULL && opt->threads > 0) ? (size_t)opt->threads : sk_parallel_cores();
    sk_stata_layout layout;
    if (format == SK_FORMAT_STATA && sk_stata_layout_read(data, size, &layout)) {
        reader r = {.format = format, .source = source, .opt = opt, .file_size = size,
                    .announced_rows = -1, .reports = true};
        r.err = &r.own_err;
        survkit_error_clear(r.err);
        survkit_status status = read_stata_rows(&layout, data, size, &r, threads, err);
        sk_stata_layout_free(&layout);
        if (status == SURVKIT_OK) {
            r.err = err;
            status = build_table(&r, out);
        }
        if (status != SURVKIT_OK) {
            survkit_table_free(*out);
            *out = NULL;
        }
        reader_free(&r);
        return status;
    }
    size_t n_chunks = 1, rows = 0;
    if (format == SK_FORMAT_STATA && threads > 1) {
        reader probe = {.format = format, .source = source, .file_size = size, .announced_rows = -1};
        probe.err = &probe.own_err;
        run_parser(&probe, data, size, 0, 0, true);
        reader_free(&probe);
        rows = probe.announced_rows > 0 ? (size_t)probe.announced_rows : 0;
        n_chunks = rows / MIN_CHUNK_ROWS;
        if (n_chunks > threads) n_chunks = threads;
        if (n_chunks > SK_PARALLEL_MAX_TASKS) n_chunks = SK_PARALLEL_MAX_TASKS;
        if (n_chunks < 1) n_chunks = 1;
    }
    reader *readers = sk_calloc_array(n_chunks, sizeof *readers);
    RETURN_ERROR_IF(readers == NULL, err, SURVKIT_ERR_NOMEM, "out of memory reading %s", source);
    for (size_t k = 0; k < n_chunks; k++) {
        readers[k] = (reader){.format = format, .source = source, .opt = opt, .file_size = size,
                              .announced_rows = -1, .reports = k == 0};
        readers[k].err = &readers[k].own_err;
        survkit_error_clear(readers[k].err);
    }
    chunk_job job = {readers, data, size, rows, n_chunks};
    sk_parallel_run(n_chunks, parse_chunk, &job);
    survkit_status status = join_chunks(readers, n_chunks, rows, err);
    if (status == SURVKIT_OK) {
        readers[0].err = err;
        status = build_table(&readers[0], out);
    }
    if (status != SURVKIT_OK) {
        survkit_table_free(*out);
        *out = NULL;
    }
    for (size_t k = 0; k < n_chunks; k++) reader_free(&readers[k]);
    free(readers);
    return status;
}
