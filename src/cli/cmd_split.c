/*
 * cmd_split.c: `survkit split -f 'Surv(time, status) ~ .' --cut T1,T2,... DATA`: R's survSplit
 * (episode = "episode", start = "tstart"), written as R's write.csv(row.names = FALSE) writes it.
 * --cut-quantiles K cuts at the event-time quantiles (1:(K-1))/K instead, for piecewise-constant
 * hazards and discrete-time models.
 */
#include "cli.h"
#include "table_csv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/*
 * How each output column prints, decided on the whole data: R computes survSplit's made columns
 * (start, stop, event, episode) in doubles; a copied column prints as read.csv would have read the
 * input column (integer or double), so that every block of rows prints alike.
 */
static report_csv_storage *split_storage(const survkit_table *data, const survkit_table *t,
                                         const survkit_split_columns *made)
{
    size_t nc = survkit_table_n_columns(t);
    report_csv_storage *s = calloc(nc ? nc : 1, sizeof *s);
    if (s == NULL) return NULL;
    for (size_t j = 0; j < nc; j++) {
        long in = survkit_table_find(data, survkit_table_column_name(t, j));
        if (in >= 0 && survkit_table_column_type(data, (size_t)in) == SURVKIT_COLUMN_NUMERIC)
            s[j] = report_csv_decide(data, (size_t)in);
    }
    const size_t where[4] = {made->start, made->stop, made->event, made->episode};
    for (int k = 0; k < 4; k++)
        if (where[k] < nc) s[where[k]] = REPORT_CSV_DOUBLE;
    return s;
}

/*
 * Split and write `data`, block_rows input rows at a time (all at once when block_rows is 0): a
 * block's rows are made, written and freed before the next, so the memory is the input plus one
 * block. Only into a file (-o), which is renamed into place only if every block succeeds.
 */
static bool split_and_write(const cli_common *common, const survkit_table *data, const double *cuts,
                            size_t n_cuts, survkit_split_options *opt, size_t block_rows,
                            cli_output *output, survkit_error *err, bool *data_error)
{
    size_t n = survkit_table_n_rows(data);
    report_csv_storage *storage = NULL;
    bool ok = true;
    *data_error = false;
    for (size_t first = 0; ok && (first == 0 || first < n); first += block_rows ? block_rows : n + 1) {
        opt->first_row = first;
        opt->n_rows = block_rows ? block_rows : SIZE_MAX;
        survkit_table *split = NULL;
        survkit_split_columns made;
        if (survkit_table_split(data, common->formula, cuts, n_cuts, opt, &split, &made, err) != SURVKIT_OK) {
            *data_error = true;
            ok = false;
            break;
        }
        if (storage == NULL && (storage = split_storage(data, split, &made)) == NULL) {
            cli_fail(common, "out of memory");
            ok = false;
        }
        if (ok && report_table_csv_rows(output->stream, split, storage, first == 0) != 0) {
            cli_fail(common, "cannot write the output");
            ok = false;
        }
        survkit_table_free(split);
        if (block_rows == 0) break;
    }
    free(storage);
    return ok;
}

/* The same decision when the data come a block at a time, from what the reader's first pass saw
 * of each input column over the whole file: whole numbers (integer), or a string column's values
 * when they are few (logical if all are TRUE/FALSE words). */
static report_csv_storage *stream_storage(const survkit_table_reader *rd, const survkit_table *t,
                                          const survkit_split_columns *made)
{
    size_t nc = survkit_table_n_columns(t), n_in = survkit_table_reader_n_columns(rd);
    report_csv_storage *s = calloc(nc ? nc : 1, sizeof *s);
    if (s == NULL) return NULL;
    for (size_t j = 0; j < nc; j++) {
        size_t in = 0;
        while (in < n_in && strcmp(survkit_table_reader_column_name(rd, in), survkit_table_column_name(t, j)) != 0)
            in++;
        if (in == n_in) continue;
        if (survkit_table_reader_column_type(rd, in) == SURVKIT_COLUMN_NUMERIC) {
            s[j] = survkit_table_reader_column_whole(rd, in) ? REPORT_CSV_INTEGER : REPORT_CSV_DOUBLE;
            continue;
        }
        const char *levels[SURVKIT_READER_FEW_LEVELS];
        size_t n = survkit_table_reader_n_levels(rd, in);
        for (size_t k = 0; n != SIZE_MAX && k < n; k++) levels[k] = survkit_table_reader_level(rd, in, k);
        s[j] = report_csv_decide_levels(levels, n);
    }
    const size_t where[4] = {made->start, made->stop, made->event, made->episode};
    for (int k = 0; k < 4; k++)
        if (where[k] < nc) s[where[k]] = REPORT_CSV_DOUBLE;
    return s;
}

/* A block's error at its row i (err->line = i + 2) as the row of the whole data. */
static void block_row_error(const survkit_table_reader *rd, survkit_error *err)
{
    if (err->line > 0) err->line += survkit_table_reader_block_start(rd);
}

/*
 * Split the data streaming: the blocks are read twice, first for Surv()'s status coding (decided
 * over the whole column, survkit_split_coding_scan), then to be split and written. The memory is
 * a block of input and its output rows, whatever the size of the data. On a data error (*data_error)
 * the caller names it through the whole-file path, so err here need not be the whole file's.
 */
static bool split_stream(const cli_common *common, survkit_table_reader *rd, const double *cuts,
                         size_t n_cuts, survkit_split_options *opt, cli_output *output,
                         survkit_error *err, bool *data_error)
{
    *data_error = true;
    survkit_split_coding coding;
    survkit_split_coding_init(&coding);
    survkit_table *block = NULL;
    for (;;) {
        if (survkit_table_reader_next(rd, &block, err) != SURVKIT_OK) return false;
        if (block == NULL) break;
        survkit_status status = survkit_split_coding_scan(block, common->formula, &coding, err);
        survkit_table_free(block);
        if (status != SURVKIT_OK) return block_row_error(rd, err), false;
    }
    if (survkit_split_coding_check(&coding, err) != SURVKIT_OK) return false;
    survkit_table_reader_rewind(rd);
    opt->coding = &coding;
    report_csv_storage *storage = NULL;
    bool ok = true, first = true;
    while (ok) {
        if (survkit_table_reader_next(rd, &block, err) != SURVKIT_OK) {
            ok = false;
            break;
        }
        if (block == NULL) break;
        survkit_table *split = NULL;
        survkit_split_columns made;
        if (survkit_table_split(block, common->formula, cuts, n_cuts, opt, &split, &made, err) != SURVKIT_OK) {
            block_row_error(rd, err);
            ok = false;
        }
        survkit_table_free(block);
        if (ok && storage == NULL && (storage = stream_storage(rd, split, &made)) == NULL) {
            *data_error = false;
            cli_fail(common, "out of memory");
            ok = false;
        }
        if (ok && report_table_csv_rows(output->stream, split, storage, first) != 0) {
            *data_error = false;
            cli_fail(common, "cannot write the output");
            ok = false;
        }
        first = false;
        survkit_table_free(split);
    }
    opt->coding = NULL;
    free(storage);
    return ok;
}

/* Open the data as blocks of `block` rows when they can be streamed: *rd NULL (and true) when the
 * file is to be read whole (not delimited text, or no rows); false after reporting an error. */
static bool open_stream(const cli_common *common, size_t block, cli_timings *t,
                        survkit_table_reader **rd)
{
    survkit_read_options ropt;
    cli_read_options(common, &ropt);
    ropt.progress = cli_progress_read;
    ropt.progress_user = &t->progress;
    survkit_error err;
    survkit_error_clear(&err);
    double start = cli_now();
    survkit_status status = survkit_table_reader_open(common->data_path, &ropt, block, rd, &err);
    cli_progress_end(&t->progress);
    if (status == SURVKIT_ERR_TYPE) return true; /* SPSS, Stata, SAS: read whole */
    if (status != SURVKIT_OK) {
        cli_report_error(common, &err);
        return false;
    }
    t->read_s = cli_now() - start;
    if (survkit_table_reader_n_rows(*rd) == 0) { /* the header alone: the whole path writes it */
        survkit_table_reader_close(*rd);
        *rd = NULL;
    }
    return true;
}

int cli_split(int argc, char **argv)
{
    cli_common common = {0};
    common.needs_formula = true;
    common.format = CLI_FORMAT_CSV;
    const char *cut_text = NULL, *start_name = "tstart", *episode_name = "episode";
    long quantiles = 0;
    bool no_episode = false;
    double zero = 0;
    long block_rows = 1000000;
    const cli_option options[] = {
        {"cut", 0, CLI_OPT_STRING, &cut_text, "T1,T2,..", "cut points, in any order"},
        {"cut-quantiles", 0, CLI_OPT_INT, &quantiles, "K",
         "cut at the event-time quantiles (1:(K-1))/K (R's quantile, type 7)"},
        {"start", 0, CLI_OPT_STRING, &start_name, "NAME", "name of the start column (default tstart)"},
        {"episode", 0, CLI_OPT_STRING, &episode_name, "NAME", "name of the episode column (default episode)"},
        {"no-episode", 0, CLI_OPT_FLAG, &no_episode, NULL, "no episode column"},
        {"zero", 0, CLI_OPT_DOUBLE, &zero, "Z", "start of follow-up for Surv(time, status) (default 0)"},
        {"block-rows", 0, CLI_OPT_INT, &block_rows, "N",
         "with -o FILE, read, split and write N input rows at a time (default 1000000; 0: all at once)"},
    };
    int status = cli_parse(argc, argv, &common, options, sizeof options / sizeof options[0],
                           "survkit split -f FORMULA (--cut T1,T2,... | --cut-quantiles K) [options] DATA",
                           "R's survSplit: each row cut at the cut points into (tstart, stop] rows, "
                           "with an episode column; CSV as R's write.csv writes it.");
    if (status >= 0) return status;
    if (common.format == CLI_FORMAT_JSON)
        return cli_fail(&common, "split writes CSV (R's write.csv); --format json is not offered");
    if ((cut_text == NULL) == (quantiles == 0))
        return cli_fail(&common, "give either --cut T1,T2,... or --cut-quantiles K");
    if (cut_text == NULL && quantiles < 2)
        return cli_fail(&common, "--cut-quantiles takes a whole number of groups, 2 or more, not %ld",
                        quantiles);
    double *cuts = NULL;
    size_t n_cuts = 0;
    if (cut_text && !cli_parse_numbers(&common, "cut", cut_text, &cuts, &n_cuts)) return CLI_EXIT_USAGE;

    if (block_rows < 0) return cli_fail(&common, "--block-rows must be 0 or more, not %ld", block_rows);
    /* blocks only into a file: on standard output a late error would leave earlier blocks written */
    bool to_file = common.output_path != NULL && strcmp(common.output_path, "-") != 0;
    size_t block = to_file ? (size_t)block_rows : 0;

    cli_timings t;
    cli_timings_start(&t, &common);
    survkit_table *data = NULL;
    survkit_table_reader *stream = NULL;
    int exit_status = CLI_EXIT_USAGE;
    survkit_error err;
    survkit_error_clear(&err);
    /* Streamed (the data read a block at a time) into a file with given cuts; quantiles need
     * every event time first, and standard output gets nothing before the whole is known. */
    if (block > 0 && cut_text != NULL && !open_stream(&common, block, &t, &stream)) goto done;
    if (stream == NULL && !cli_read_table_timed(&common, &data, &t)) goto done;
    double t2 = cli_now();
    if (cut_text == NULL &&
        survkit_split_event_quantiles(data, common.formula, (size_t)quantiles, &cuts, &n_cuts, &err) != SURVKIT_OK)
        goto data_error;
    survkit_split_options opt;
    survkit_split_options_init(&opt);
    opt.start_name = start_name;
    opt.episode_name = no_episode ? NULL : episode_name;
    opt.zero = zero;
    cli_output output;
    if (!cli_output_open(&common, &output)) goto done;
    bool data_failed;
    if (stream != NULL && !split_stream(&common, stream, cuts, n_cuts, &opt, &output, &err, &data_failed)) {
        cli_output_abort(&output);
        if (!data_failed) goto done;
        /* A data error: which one comes first (and at which row) is decided over the whole data
         * (Surv()'s checks of a column, a bad byte in a later block), so the data are read whole
         * and split again, all at once, to name it as R would (only when the data are bad). */
        survkit_error_clear(&err);
        if (survkit_table_reader_read_all(stream, &data, &err) != SURVKIT_OK) {
            cli_report_error(&common, &err);
            goto done;
        }
        survkit_table_reader_close(stream);
        stream = NULL;
        block = 0; /* all rows at once: Surv()'s checks of every row come before survSplit's */
        if (!cli_output_open(&common, &output)) goto done;
    }
    if (stream == NULL &&
        !split_and_write(&common, data, cuts, n_cuts, &opt, block, &output, &err, &data_failed)) {
        cli_output_abort(&output);
        if (data_failed) goto data_error;
        goto done;
    }
    if (!cli_output_commit(&common, &output)) goto done;
    t.fit_s = cli_now() - t2; /* split and write */
    t.total_s = cli_now() - t.started;
    if (common.timings) cli_print_timings(&t);
    exit_status = CLI_EXIT_OK;
    goto done;

data_error:
    /* errors found while evaluating the formula over the data name the data file */
    if (err.line > 0 && err.source[0] == '\0')
        snprintf(err.source, sizeof err.source, "%s",
                 strcmp(common.data_path, "-") == 0 ? "<stdin>" : common.data_path);
    cli_report_error(&common, &err);
done:
    free(cuts);
    survkit_table_free(data);
    survkit_table_reader_close(stream);
    return exit_status;
}
