/*
 * cmd_tmerge.c: `survkit tmerge --id ID --stop COL [--event|--cumevent|--tdc|--cumtdc SPEC]... BASE`:
 * R's tmerge. The first call is tmerge(base, base, id = ID, tstop = COL); each SPEC,
 * NAME=FILE:TIMECOL[:VALUECOL], is one further call tmerge(tm, read.csv(FILE), id = ID,
 * NAME = KIND(TIMECOL[, VALUECOL])), in the order given. CSV as R's write.csv writes the result.
 */
#include "cli.h"
#include "table_csv.h"

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
        {"block-rows", 0, CLI_OPT_INT, &block_rows, "N", "write N rows at a time (default 1000000)"},
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
    if (!cli_read_table_timed(&common, &base, &t)) goto done;
    survkit_error err;
    survkit_error_clear(&err);
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
    survkit_tmerge_free(tm);
    survkit_table_free(base);
    for (size_t k = 0; k < n_specs; k++) free(specs[k].text);
    return exit_status;
}
