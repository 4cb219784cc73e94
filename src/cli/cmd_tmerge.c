/*
 * cmd_tmerge.c: `survkit tmerge --id ID --stop COL [--event|--cumevent|--tdc|--cumtdc SPEC]... BASE`:
 * R's tmerge. The first call is tmerge(base, base, id = ID, tstop = COL); each SPEC,
 * NAME=FILE:TIMECOL[:VALUECOL], is one further call tmerge(tm, read.csv(FILE), id = ID,
 * NAME = KIND(TIMECOL[, VALUECOL])), in the order given. CSV as R's write.csv writes the result.
 */
#include "cli.h"
#include "table_csv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct tm_spec {
    survkit_tmerge_kind kind;
    const char *option;
    char *text;  /* a copy of the spec, cut into the four parts below */
    const char *name, *file, *time, *value;
} tm_spec;

static const char *const kind_options[4] = {"event", "cumevent", "tdc", "cumtdc"};

/* NAME=FILE:TIMECOL[:VALUECOL]; FILE is what precedes the first ':' after the '='. */
static bool parse_spec(const cli_common *common, tm_spec *s, const char *text)
{
    s->text = malloc(strlen(text) + 1);
    if (s->text == NULL) return cli_fail(common, "out of memory"), false;
    strcpy(s->text, text);
    char *eq = strchr(s->text, '=');
    char *c1 = eq ? strchr(eq + 1, ':') : NULL;
    char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (eq == NULL || c1 == NULL || eq == s->text || c1 == eq + 1 || c1[1] == '\0' ||
        (c2 && (c2[1] == '\0' || c2 == c1 + 1 || strchr(c2 + 1, ':'))))
        return cli_fail(common, "--%s takes NAME=FILE:TIMECOL%s, not '%s'", s->option,
                        s->kind == SURVKIT_TMERGE_CUMTDC ? ":VALUECOL"
                        : s->kind == SURVKIT_TMERGE_CUMEVENT ? "" : "[:VALUECOL]", text), false;
    *eq = *c1 = '\0';
    if (c2) *c2 = '\0';
    s->name = s->text;
    s->file = eq + 1;
    s->time = c1 + 1;
    s->value = c2 ? c2 + 1 : NULL;
    if (s->kind == SURVKIT_TMERGE_CUMTDC && s->value == NULL)
        return cli_fail(common, "--cumtdc needs a value column: NAME=FILE:TIMECOL:VALUECOL"), false;
    if (s->kind == SURVKIT_TMERGE_CUMEVENT && s->value != NULL)
        return cli_fail(common, "--cumevent takes NAME=FILE:TIMECOL (it counts the events)"), false;
    return true;
}

/* Take the repeatable --event/--cumevent/--tdc/--cumtdc out of argv (kept in order); the rest
 * goes to cli_parse. Returns -1 to go on, or an exit status. */
static int take_specs(cli_common *common, int *argc, char **argv, tm_spec *specs, size_t *n_specs,
                      size_t max_specs)
{
    int kept = 1;
    for (int i = 1; i < *argc; i++) {
        int kind = -1;
        const char *value = NULL;
        for (int k = 0; k < 4 && kind < 0; k++) {
            size_t len = strlen(kind_options[k]);
            if (strncmp(argv[i], "--", 2) != 0 || strncmp(argv[i] + 2, kind_options[k], len) != 0) continue;
            if (argv[i][2 + len] == '\0') kind = k, value = i + 1 < *argc ? argv[++i] : NULL;
            else if (argv[i][2 + len] == '=') kind = k, value = argv[i] + 3 + len;
        }
        if (kind < 0) {
            argv[kept++] = argv[i];
            continue;
        }
        if (value == NULL) return cli_fail(common, "option '--%s' needs a value", kind_options[kind]);
        if (*n_specs == max_specs) return cli_fail(common, "at most %zu event options", max_specs);
        tm_spec *s = &specs[(*n_specs)++];
        s->kind = (survkit_tmerge_kind)kind;
        s->option = kind_options[kind];
        if (!parse_spec(common, s, value)) return CLI_EXIT_USAGE;
    }
    *argc = kept;
    return -1;
}

static void report_data_error(const cli_common *common, const char *path, survkit_error *err)
{
    if (err->source[0] == '\0')
        snprintf(err->source, sizeof err->source, "%s", strcmp(path, "-") == 0 ? "<stdin>" : path);
    cli_report_error(common, err);
}

/* R's types of the made columns: tstart and a cumtdc's sums are doubles; the rest as read. */
static report_csv_storage *tmerge_storage(const survkit_table *t, const tm_spec *specs, size_t n_specs)
{
    size_t nc = survkit_table_n_columns(t);
    report_csv_storage *s = calloc(nc ? nc : 1, sizeof *s);
    if (s == NULL) return NULL;
    for (size_t j = 0; j < nc; j++) {
        const char *name = survkit_table_column_name(t, j);
        if (strcmp(name, "tstart") == 0) s[j] = REPORT_CSV_DOUBLE;
        for (size_t k = 0; k < n_specs; k++)
            if (strcmp(specs[k].name, name) == 0)
                s[j] = specs[k].kind == SURVKIT_TMERGE_CUMTDC ? REPORT_CSV_DOUBLE : REPORT_CSV_AUTO;
    }
    return s;
}

/*
 * Write the rows a block of `block_rows` at a time (a block's table is made, written, freed). A
 * column left to REPORT_CSV_AUTO prints as integers only if every block's values are whole: a
 * first pass over the blocks decides, the second writes.
 */
static bool write_blocks(const cli_common *common, const survkit_tmerge *tm, const tm_spec *specs,
                         size_t n_specs, size_t block_rows, FILE *out)
{
    size_t n = survkit_tmerge_n_rows(tm);
    report_csv_storage *storage = NULL;
    survkit_error err;
    bool ok = true;
    for (int pass = 0; ok && pass < 2; pass++)
        for (size_t first = 0; ok && (first == 0 || first < n); first += block_rows) {
            survkit_table *block = NULL;
            if (survkit_tmerge_table_rows(tm, first, block_rows, &block, &err) != SURVKIT_OK) {
                cli_report_error(common, &err);
                ok = false;
                break;
            }
            size_t nc = survkit_table_n_columns(block);
            if (storage == NULL && (storage = tmerge_storage(block, specs, n_specs)) == NULL) {
                cli_fail(common, "out of memory");
                ok = false;
            }
            for (size_t j = 0; ok && pass == 0 && j < nc; j++)
                if (storage[j] != REPORT_CSV_DOUBLE &&
                    survkit_table_column_type(block, j) == SURVKIT_COLUMN_NUMERIC)
                    storage[j] = report_csv_decide(block, j) == REPORT_CSV_DOUBLE ? REPORT_CSV_DOUBLE
                                                                                 : REPORT_CSV_INTEGER;
            if (ok && pass == 1 && report_table_csv_rows(out, block, storage, first == 0) != 0) {
                cli_fail(common, "cannot write the output");
                ok = false;
            }
            survkit_table_free(block);
        }
    free(storage);
    return ok;
}

enum { MAX_SPECS = 64 };

/*
 * Streaming the base (-o FILE, delimited text): the event files are read whole and indexed by id
 * once (survkit_tmerge_events), the base is read a block of rows at a time through
 * survkit_table_reader, in any id order; each block is merged by its own survkit_tmerge (in block
 * mode) with the events of the block's ids only, and written as it comes. R's rows per id depend
 * only on the id's base row and events, so the blocks put end to end are the whole result. What R
 * decides over the whole base is gathered over the blocks: the ids must be distinct (a set of the
 * ids seen, survkit_id_set; a repeat or a missing id sends the base to the whole path, which names
 * it), every call needs a usable event somewhere, the unknown ids are counted over all blocks, and a
 * column prints as integer only if every block's values are whole (a first pass).
 */
typedef struct tm_stream {
    survkit_table_reader *rd;
    survkit_table *events[MAX_SPECS];
    survkit_tmerge_events *index[MAX_SPECS]; /* made at the first block (the ids' kind known) */
    size_t used[MAX_SPECS], matched[MAX_SPECS];
    char *warnings[MAX_SPECS * 4]; /* the first block's warnings (replacements), by spec */
    size_t warning_spec[MAX_SPECS * 4], n_warnings;
    report_csv_storage *storage;
} tm_stream;

static void stream_release(tm_stream *st, size_t n_specs)
{
    survkit_table_reader_close(st->rd);
    for (size_t k = 0; k < n_specs; k++) {
        bool shared = false;
        for (size_t j = 0; j < k; j++) shared |= st->events[j] == st->events[k];
        if (!shared) survkit_tmerge_events_free(st->index[k]);
        if (!shared) survkit_table_free(st->events[k]);
    }
    for (size_t w = 0; w < st->n_warnings; w++) free(st->warnings[w]);
    free(st->storage);
    memset(st, 0, sizeof *st);
}

/* The event files indexed by the base's id (a file named again shares its index); false when one
 * cannot be (no id column, a missing id: the whole path reports it). */
static bool index_events(tm_stream *st, const survkit_table *block, const char *id, size_t n_specs)
{
    long j = survkit_table_find(block, id);
    if (j < 0) return false;
    int text = survkit_table_column_type(block, (size_t)j) == SURVKIT_COLUMN_STRING;
    survkit_error err;
    for (size_t k = 0; k < n_specs; k++) {
        if (st->index[k] != NULL) continue;
        size_t same = 0;
        while (same < k && st->events[same] != st->events[k]) same++;
        if (same < k) st->index[k] = st->index[same];
        else if (survkit_tmerge_events_create(st->events[k], id, text, &st->index[k], &err) != SURVKIT_OK)
            return false;
    }
    return true;
}

/* Pass one: the block's ids are new (none seen in an earlier block, none missing). */
static bool ids_new(survkit_id_set *seen, const survkit_table *block, const char *id)
{
    int repeated = 1;
    survkit_error err;
    return survkit_id_set_add(seen, block, id, &repeated, &err) == SURVKIT_OK && !repeated;
}

/* The first pass's print types of a block's columns, merged into st->storage. */
static bool decide_storage(tm_stream *st, const survkit_table *t, const tm_spec *specs, size_t n_specs)
{
    size_t nc = survkit_table_n_columns(t);
    if (st->storage == NULL) {
        if ((st->storage = tmerge_storage(t, specs, n_specs)) == NULL) return false;
        /* a base text column: TRUE/FALSE or text as over the whole file (a block's levels vary) */
        for (size_t j = 0; j < nc; j++) {
            if (survkit_table_column_type(t, j) != SURVKIT_COLUMN_STRING) continue;
            const char *name = survkit_table_column_name(t, j);
            bool made = false;
            for (size_t k = 0; k < n_specs; k++) made |= strcmp(specs[k].name, name) == 0;
            for (size_t in = 0; !made && in < survkit_table_reader_n_columns(st->rd); in++) {
                if (strcmp(survkit_table_reader_column_name(st->rd, in), name) != 0) continue;
                const char *levels[SURVKIT_READER_FEW_LEVELS];
                size_t n = survkit_table_reader_n_levels(st->rd, in);
                for (size_t k = 0; n != SIZE_MAX && k < n; k++) levels[k] = survkit_table_reader_level(st->rd, in, k);
                st->storage[j] = report_csv_decide_levels(levels, n);
            }
        }
    }
    for (size_t j = 0; j < nc; j++)
        if (st->storage[j] != REPORT_CSV_DOUBLE && survkit_table_column_type(t, j) == SURVKIT_COLUMN_NUMERIC)
            st->storage[j] = report_csv_decide(t, j) == REPORT_CSV_DOUBLE ? REPORT_CSV_DOUBLE : REPORT_CSV_INTEGER;
    return true;
}

/* One pass over the base's blocks: out NULL decides (and checks), else writes. Returns 1 done, 0
 * when the blocks cannot give R's result as the whole base does (read it whole), -1 failed
 * (reported). */
static int stream_pass(const cli_common *common, tm_stream *st, const char *id, const char *stop,
                       const tm_spec *specs, size_t n_specs, FILE *out)
{
    survkit_table_reader_rewind(st->rd);
    survkit_id_set *seen = NULL;
    survkit_error err;
    if (out == NULL && survkit_id_set_create(&seen, &err) != SURVKIT_OK) return 0;
    bool first = true;
    for (;;) {
        survkit_table *block = NULL;
        survkit_error_clear(&err);
        bool read = survkit_table_reader_next(st->rd, &block, &err) == SURVKIT_OK;
        if (!read || block == NULL) { /* a bad row: the whole path reports it; else the end */
            survkit_id_set_free(seen);
            return read ? 1 : 0;
        }
        survkit_tmerge *tm = NULL;
        int result = (out != NULL || ids_new(seen, block, id)) && index_events(st, block, id, n_specs) &&
                     survkit_tmerge_create(block, id, stop, &tm, &err) == SURVKIT_OK;
        if (result) survkit_tmerge_set_block(tm, 1);
        for (size_t k = 0; result == 1 && k < n_specs; k++) {
            size_t before = survkit_tmerge_n_warnings(tm);
            survkit_table *events = NULL; /* the events of this block's ids */
            if (survkit_tmerge_events_rows(st->index[k], block, id, &events, &err) != SURVKIT_OK ||
                survkit_tmerge_add(tm, specs[k].kind, specs[k].name, events, specs[k].time,
                                   specs[k].value, &err) != SURVKIT_OK) {
                survkit_table_free(events);
                result = 0;
                break;
            }
            size_t n_events = survkit_table_n_rows(events);
            survkit_table_free(events);
            if (out != NULL) continue;
            st->used[k] += survkit_tmerge_n_used(tm);
            st->matched[k] += n_events - survkit_tmerge_n_unknown_ids(tm);
            for (size_t w = before; first && w < survkit_tmerge_n_warnings(tm); w++) {
                if (st->n_warnings == sizeof st->warnings / sizeof st->warnings[0]) break;
                char *copy = malloc(strlen(survkit_tmerge_warning(tm, w)) + 1);
                if (copy == NULL) break;
                strcpy(copy, survkit_tmerge_warning(tm, w));
                st->warning_spec[st->n_warnings] = k;
                st->warnings[st->n_warnings++] = copy;
            }
        }
        survkit_table *t = NULL;
        if (result == 1 && survkit_tmerge_table(tm, &t, &err) != SURVKIT_OK) result = 0;
        if (result == 1 && out == NULL && !decide_storage(st, t, specs, n_specs)) {
            cli_fail(common, "out of memory");
            result = -1;
        }
        if (result == 1 && out != NULL && report_table_csv_rows(out, t, st->storage, first) != 0) {
            cli_fail(common, "cannot write the output");
            result = -1;
        }
        survkit_table_free(t);
        survkit_tmerge_free(tm);
        survkit_table_free(block);
        first = false;
        if (result != 1) {
            survkit_id_set_free(seen);
            return result;
        }
    }
}

/* Open the base and read the event files for streaming: false (with st->rd NULL) when the base is
 * to be read whole (not delimited text, no rows, an event file that does not read: the whole path
 * then reports in R's order). */
static bool stream_open(const cli_common *common, size_t block, const tm_spec *specs, size_t n_specs,
                        cli_timings *t, tm_stream *st)
{
    survkit_read_options ropt;
    cli_read_options(common, &ropt);
    survkit_error err;
    survkit_error_clear(&err);
    double start = cli_now();
    if (survkit_table_reader_open(common->data_path, &ropt, block, &st->rd, &err) != SURVKIT_OK) return false;
    bool ok = survkit_table_reader_n_rows(st->rd) > 0;
    for (size_t k = 0; ok && k < n_specs; k++) {
        size_t same = 0; /* a file named again is read once */
        while (same < k && strcmp(specs[same].file, specs[k].file) != 0) same++;
        if (same < k) st->events[k] = st->events[same];
        else ok = survkit_table_read_file(specs[k].file, &ropt, &st->events[k], &err) == SURVKIT_OK;
    }
    t->read_s = cli_now() - start;
    return ok;
}

/* The streamed tmerge into `output`: 1 done, 0 read the base whole instead, -1 failed. */
static int tmerge_stream(const cli_common *common, tm_stream *st, const char *id, const char *stop,
                         const tm_spec *specs, size_t n_specs, cli_output *output)
{
    int result = stream_pass(common, st, id, stop, specs, n_specs, NULL);
    for (size_t k = 0; result == 1 && k < n_specs; k++)
        if (st->used[k] == 0) result = 0; /* R's "No valid entries": the whole path names it */
    if (result == 1 && !cli_output_open(common, output)) return -1;
    if (result == 1) result = stream_pass(common, st, id, stop, specs, n_specs, output->stream);
    if (result != 1) {
        cli_output_abort(output); /* accepts an output never opened */
        return result;
    }
    for (size_t k = 0; k < n_specs; k++) {
        char message[700], unknown[512];
        for (size_t w = 0; w < st->n_warnings; w++) {
            if (st->warning_spec[w] != k) continue;
            snprintf(message, sizeof message, "%s: %s", specs[k].file, st->warnings[w]);
            cli_warn(common, message);
        }
        size_t n_unknown = survkit_table_n_rows(st->events[k]) - st->matched[k];
        if (n_unknown == 0) continue;
        survkit_tmerge_unknown_message(unknown, sizeof unknown, n_unknown, specs[k].name);
        snprintf(message, sizeof message, "%s: %s", specs[k].file, unknown);
        cli_warn(common, message);
    }
    return 1;
}

int cli_tmerge(int argc, char **argv)
{
    cli_common common = {0};
    common.command = argv[0];
    common.format = CLI_FORMAT_CSV;
    tm_spec specs[MAX_SPECS];
    memset(specs, 0, sizeof specs);
    size_t n_specs = 0;
    const char *id = NULL, *stop = NULL;
    long block_rows = 1000000;
    const cli_option options[] = {
        {"id", 0, CLI_OPT_STRING, &id, "COL", "subject identifier, in the base and every event file"},
        {"stop", 0, CLI_OPT_STRING, &stop, "COL", "end of follow-up in the base (start 0)"},
        {"block-rows", 0, CLI_OPT_INT, &block_rows, "N",
         "with -o FILE, read the base and write N rows at a time (default 1000000)"},
    };
    int status = take_specs(&common, &argc, argv, specs, &n_specs, MAX_SPECS);
    if (status < 0)
        status = cli_parse(argc, argv, &common, options, sizeof options / sizeof options[0],
                           "survkit tmerge --id ID --stop COL [--event|--cumevent|--tdc|--cumtdc "
                           "NAME=FILE:TIMECOL[:VALUECOL]]... BASE",
                           "R's tmerge: (tstart, tstop] rows per id from a base file (one row per id) "
                           "and files of dated events,\neach option one tmerge() call, in order "
                           "(repeatable):\n"
                           "  --event NAME=FILE:TIMECOL[:VALUECOL]   an event (value default 1)\n"
                           "  --cumevent NAME=FILE:TIMECOL           a running count of events\n"
                           "  --tdc NAME=FILE:TIMECOL[:VALUECOL]     a time-dependent covariate (0/1 "
                           "without a value)\n"
                           "  --cumtdc NAME=FILE:TIMECOL:VALUECOL    a cumulative covariate\n"
                           "CSV out, as R's write.csv(row.names = FALSE).");
    int exit_status = status >= 0 ? status : CLI_EXIT_USAGE;
    survkit_table *base = NULL;
    survkit_tmerge *tm = NULL;
    tm_stream stream;
    memset(&stream, 0, sizeof stream);
    if (status >= 0) goto done;
    if (common.format == CLI_FORMAT_JSON) {
        cli_fail(&common, "tmerge writes CSV (R's write.csv); --format json is not offered");
        goto done;
    }
    if (block_rows < 1) {
        cli_fail(&common, "--block-rows must be 1 or more, not %ld", block_rows);
        goto done;
    }
    if (id == NULL || stop == NULL) {
        cli_fail(&common, "tmerge needs --id COL and --stop COL");
        goto done;
    }
    cli_timings t;
    cli_timings_start(&t, &common);
    survkit_error err;
    survkit_error_clear(&err);
    bool to_file = common.output_path != NULL && strcmp(common.output_path, "-") != 0;
    if (to_file && stream_open(&common, (size_t)block_rows, specs, n_specs, &t, &stream)) {
        cli_output streamed = {0};
        int done_streaming = tmerge_stream(&common, &stream, id, stop, specs, n_specs, &streamed);
        if (done_streaming < 0) goto done;
        if (done_streaming > 0) {
            if (!cli_output_commit(&common, &streamed)) goto done;
            t.total_s = cli_now() - t.started;
            if (common.timings) cli_print_timings(&t);
            exit_status = CLI_EXIT_OK;
            goto done;
        }
    }
    /* the whole base: from the reader's text when it is open (standard input is read once) */
    if (stream.rd != NULL) {
        if (survkit_table_reader_read_all(stream.rd, &base, &err) != SURVKIT_OK) {
            report_data_error(&common, common.data_path, &err);
            goto done;
        }
    } else if (!cli_read_table_timed(&common, &base, &t)) {
        goto done;
    }
    if (survkit_tmerge_create(base, id, stop, &tm, &err) != SURVKIT_OK) {
        report_data_error(&common, common.data_path, &err);
        goto done;
    }
    size_t warned = 0;
    for (size_t k = 0; k < n_specs; k++) {
        cli_common events_common = common;
        events_common.data_path = specs[k].file;
        survkit_table *events = NULL;
        if (!cli_read_table(&events_common, &events)) goto done;
        survkit_status s = survkit_tmerge_add(tm, specs[k].kind, specs[k].name, events, specs[k].time,
                                              specs[k].value, &err);
        survkit_table_free(events);
        if (s != SURVKIT_OK) {
            report_data_error(&common, specs[k].file, &err);
            goto done;
        }
        for (; warned < survkit_tmerge_n_warnings(tm); warned++) {
            char message[700];
            snprintf(message, sizeof message, "%s: %s", specs[k].file, survkit_tmerge_warning(tm, warned));
            cli_warn(&common, message);
        }
    }
    cli_output output;
    if (!cli_output_open(&common, &output)) goto done;
    if (!write_blocks(&common, tm, specs, n_specs, (size_t)block_rows, output.stream)) {
        cli_output_abort(&output);
        goto done;
    }
    if (!cli_output_commit(&common, &output)) goto done;
    t.total_s = cli_now() - t.started;
    if (common.timings) cli_print_timings(&t);
    exit_status = CLI_EXIT_OK;
done:
    stream_release(&stream, n_specs);
    survkit_tmerge_free(tm);
    survkit_table_free(base);
    for (size_t k = 0; k < n_specs; k++) free(specs[k].text);
    return exit_status;
}
