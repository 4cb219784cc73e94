/* common.c: reading data and building frames with uniform errors, atomic output, timings. */
#include "cli.h"
#include "report_timings.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static void put_escaped(const char *s);

int cli_fail(const cli_common *common, const char *fmt, ...)
{
    fprintf(stderr, "survkit%s%s: error: ", common && common->command ? " " : "",
            common && common->command ? common->command : "");
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    put_escaped(text); /* one line, whatever the arguments held */
    fputc('\n', stderr);
    return CLI_EXIT_USAGE;
}

/* Text from the data (a field, a column name) may hold a newline: the message stays one line, with
 * control characters shown as C escapes. */
static void put_escaped(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n') fputs("\\n", stderr);
        else if (c == '\r') fputs("\\r", stderr);
        else if (c == '\t') fputs("\\t", stderr);
        else if (c < 0x20 || c == 0x7f) fprintf(stderr, "\\x%02x", c);
        else fputc(c, stderr);
    }
}

/* Is `path` an SPSS, Stata or SAS file by its extension (read without text lines)? */
static bool is_statistics_file(const char *path)
{
    static const char *const suffixes[] = {".sav", ".zsav", ".por", ".dta", ".sas7bdat", ".xpt"};
    size_t len = strlen(path);
    for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++) {
        size_t n = strlen(suffixes[k]);
        if (len > n && strcasecmp(path + len - n, suffixes[k]) == 0) return true;
    }
    return false;
}

/* The formula above its caret: control characters as spaces, so the caret stays aligned. */
static void put_flat(const char *s)
{
    for (; *s; s++) fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, stderr);
}

void cli_report_error(const cli_common *common, const survkit_error *err)
{
    const char *message = err->message[0] ? err->message : survkit_strerror(err->status);
    /* An error with a column but no file and no line is a position in the formula. */
    bool in_formula = err->source[0] == '\0' && err->line == 0 && err->column > 0 &&
                      common->formula != NULL;
    /* A bad row found after reading (by a fit, say) is a line of the data file too. */
    const char *source = err->source;
    if (source[0] == '\0' && err->line > 0 && common->data_path != NULL)
        source = strcmp(common->data_path, "-") == 0 ? "<stdin>" : common->data_path;
    if (in_formula) {
        /* the position in characters, not bytes (UTF-8 names such as 'âge' before it) */
        uint64_t column = 0;
        for (uint64_t b = 0; b + 1 < err->column && common->formula[b] != '\0'; b++)
            column += ((unsigned char)common->formula[b] & 0xC0) != 0x80;
        column++;
        fprintf(stderr, "survkit %s: error in formula", common->command);
        if (common->formula_source != NULL) {
            fputs(" saved in ", stderr);
            put_escaped(common->formula_source);
        }
        fprintf(stderr, ", at character %llu: ", (unsigned long long)column);
        put_escaped(message);
        fputs("\n  ", stderr);
        put_flat(common->formula);
        fprintf(stderr, "\n  %*s^\n", (int)(column - 1), "");
        return;
    }
    fprintf(stderr, "survkit %s: error: ", common->command);
    if (source[0] && err->line > 1 && is_statistics_file(source)) {
        /* No text lines in an SPSS, Stata or SAS file: the data row (line 2 is row 1) and column. */
        put_escaped(source);
        fprintf(stderr, ": row %llu", (unsigned long long)(err->line - 1));
        if (err->column > 0) fprintf(stderr, ", column %llu", (unsigned long long)err->column);
        fputs(": ", stderr);
    } else if (source[0]) {
        put_escaped(source);
        if (err->line > 0) fprintf(stderr, ":%llu", (unsigned long long)err->line);
        if (err->line > 0 && err->column > 0) fprintf(stderr, ":%llu", (unsigned long long)err->column);
        fputs(": ", stderr);
    }
    put_escaped(message);
    fputc('\n', stderr);
}

void cli_read_options(const cli_common *common, survkit_read_options *opt)
{
    survkit_read_options_init(opt);
    opt->separator = common->separator;
    opt->encoding = common->encoding;
    opt->na_tokens = common->na_tokens;
    opt->n_na_tokens = common->n_na_tokens;
    opt->value_labels = !common->no_labels;
}

static bool read_table(const cli_common *common, survkit_table **table, cli_progress *progress)
{
    survkit_read_options opt;
    cli_read_options(common, &opt);
    if (progress != NULL) {
        opt.progress = cli_progress_read;
        opt.progress_user = progress;
    }
    survkit_error err;
    survkit_error_clear(&err);
    survkit_status status = survkit_table_read_file(common->data_path, &opt, table, &err);
    if (progress != NULL) cli_progress_end(progress);
    if (status != SURVKIT_OK) {
        cli_report_error(common, &err);
        return false;
    }
    return true;
}

bool cli_read_table(const cli_common *common, survkit_table **table)
{
    return read_table(common, table, NULL);
}

_Static_assert((int)CLI_TIMINGS_LEN == (int)REPORT_TIMINGS_LEN,
               "the CLI fills the report's timings array");

/* The process's anonymous resident memory in MB (RssAnon of /proc/self/status; NaN where there
 * is none). The CLI keeps freed memory for the next allocation (keep_freed_memory in main.c), so
 * its growth over a stage is the fresh memory the stage touched: pages the kernel had to zero. */
static double anonymous_mb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL) return NAN;
    char line[128];
    double kb = NAN;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "RssAnon: %lf kB", &kb) == 1) break;
    fclose(f);
    return kb / 1024.0;
}

/* The process's minor page faults so far, its peak resident set and its anonymous resident memory
 * in MB (NaN when unknown). */
static void memory_now(double *faults, double *peak_mb, double *anon_mb)
{
    struct rusage u;
    *anon_mb = anonymous_mb();
    if (getrusage(RUSAGE_SELF, &u) != 0) {
        *faults = *peak_mb = NAN;
        return;
    }
    *faults = (double)u.ru_minflt;
    *peak_mb = (double)u.ru_maxrss / 1024.0; /* Linux gives kB */
}

/* The end of stage k: its faults and fresh memory since the last mark, and the peak so far. */
static void memory_mark(cli_timings *t, int k)
{
    double faults, anon;
    memory_now(&faults, &t->peak_mb[k], &anon);
    t->faults[k] = faults - t->faults_mark;
    /* a stage that gave back more than it touched (a text column's slot) shows 0 */
    t->fresh_mb[k] = anon > t->anon_mark ? anon - t->anon_mark : 0.0;
    t->faults_mark = faults;
    t->anon_mark = anon;
}

void cli_timings_start(cli_timings *t, const cli_common *common)
{
    t->read_s = t->frame_s = t->fit_s = t->total_s = NAN;
    for (int k = 0; k < 4; k++) t->faults[k] = t->peak_mb[k] = t->fresh_mb[k] = NAN;
    double peak;
    memory_now(&t->faults_mark, &peak, &t->anon_mark);
    t->started = cli_now();
    cli_progress_start(&t->progress, common);
}

bool cli_read_table_timed(const cli_common *common, survkit_table **table, cli_timings *t)
{
    double start = cli_now();
    if (!read_table(common, table, &t->progress)) return false;
    t->read_s = cli_now() - start;
    memory_mark(t, 0);
    return true;
}

/* The end of the command: total time, and the faults since the frame (or the start) as the
 * fit's. */
static void timings_finish(cli_timings *t)
{
    t->total_s = cli_now() - t->started;
    double before = t->faults_mark, anon_before = t->anon_mark;
    memory_mark(t, 2);
    double all = 0, fresh = 0;
    for (int k = 0; k < 3; k++) {
        all += isnan(t->faults[k]) ? 0 : t->faults[k];
        fresh += isnan(t->fresh_mb[k]) ? 0 : t->fresh_mb[k];
    }
    t->faults[3] = all;
    t->fresh_mb[3] = fresh;
    t->peak_mb[3] = t->peak_mb[2];
    t->faults_mark = before; /* a second call measures from the same marks */
    t->anon_mark = anon_before;
}

const double *cli_timings_for_json(const cli_common *common, cli_timings *t,
                                   double out[CLI_TIMINGS_LEN])
{
    timings_finish(t);
    if (!common->timings || common->format != CLI_FORMAT_JSON) return NULL;
    const double stage[4] = {t->read_s, t->frame_s, t->fit_s, t->total_s};
    for (int k = 0; k < 4; k++) {
        out[k] = stage[k];
        out[4 + k] = t->faults[k];
        out[8 + k] = t->peak_mb[k];
        out[12 + k] = t->fresh_mb[k];
    }
    return out;
}

void cli_report_timings(const cli_common *common, const cli_timings *t)
{
    if (common->timings && common->format != CLI_FORMAT_JSON) cli_print_timings(t);
}

bool cli_build_frame(const cli_common *common, const survkit_table *table, survkit_frame **frame)
{
    survkit_frame_options opt;
    survkit_frame_options_init(&opt);
    opt.weights = common->weights;
    opt.groups = !common->skip_groups;
    opt.timefix = !common->no_timefix;
    opt.collate = common->collate_c ? SURVKIT_COLLATE_C : SURVKIT_COLLATE_UTF8;
    opt.states = common->states;
    opt.censor = common->censor;
    opt.binary_response = common->binary_response;
    opt.interval = common->accepts_interval;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_frame_build(table, common->formula, &opt, frame, &err) != SURVKIT_OK) {
        /* Data errors found while evaluating the formula (and "no rows") name the data file. */
        if ((err.line > 0 || err.status == SURVKIT_ERR_NO_DATA) && err.source[0] == '\0')
            snprintf(err.source, sizeof err.source, "%s",
                     strcmp(common->data_path, "-") == 0 ? "<stdin>" : common->data_path);
        cli_report_error(common, &err);
        return false;
    }
    return true;
}

bool cli_output_open(const cli_common *common, cli_output *out)
{
    survkit_error err;
    survkit_error_clear(&err);
    if (report_outfile_open(out, common->output_path, &err) != SURVKIT_OK) {
        cli_report_error(common, &err);
        return false;
    }
    return true;
}

bool cli_output_open_path(const cli_common *common, const char *path, cli_output *out)
{
    memset(out, 0, sizeof *out);
    if (path == NULL) return true;
    cli_common target = *common;
    target.output_path = path;
    return cli_output_open(&target, out);
}

bool cli_output_commit(const cli_common *common, cli_output *out)
{
    cli_output *one[1] = {out};
    return cli_output_commit_all(common, one, 1);
}

bool cli_output_commit_all(const cli_common *common, cli_output *const *outs, size_t n)
{
    survkit_error err;
    survkit_error_clear(&err);
    bool ok = true;
    for (size_t k = 0; ok && k < n; k++)
        if (outs[k] != NULL) ok = report_outfile_finish(outs[k], &err) == SURVKIT_OK;
    for (size_t k = 0; ok && k < n; k++)
        if (outs[k] != NULL) ok = report_outfile_commit(outs[k], &err) == SURVKIT_OK;
    if (!ok) {
        cli_report_error(common, &err);
        for (size_t k = 0; k < n; k++)
            if (outs[k] != NULL) report_outfile_abort(outs[k]);
    }
    return ok;
}

void cli_output_abort(cli_output *out)
{
    report_outfile_abort(out);
}

bool cli_load(const cli_common *common, survkit_table **table, survkit_frame **frame,
              cli_timings *t)
{
    cli_timings_start(t, common);
    if (!cli_read_table_timed(common, table, t)) return false;
    double read_done = cli_now();
    if (!cli_build_frame(common, *table, frame)) return false;
    t->frame_s = cli_now() - read_done;
    memory_mark(t, 1);
    /* The frame holds everything the estimators need: the table's memory goes back now. */
    if (!common->keep_table) {
        survkit_table_free(*table);
        *table = NULL;
    }
    return true;
}

void cli_warn_dropped(const cli_common *common, size_t n_dropped)
{
    if (n_dropped == 0) return;
    char message[96];
    snprintf(message, sizeof message, "%zu row%s dropped for missing values", n_dropped,
             n_dropped == 1 ? "" : "s");
    cli_warn(common, message);
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void cli_print_timings(const cli_timings *t)
{
    const double stage[4] = {t->read_s, t->frame_s, t->fit_s, t->total_s};
    static const char *const names[4] = {"read", "frame", "fit", "total"};
    fputs("timings:", stderr);
    bool first = true;
    for (int k = 0; k < 4; k++) {
        if (isnan(stage[k])) continue; /* a stage the command does not have */
        fprintf(stderr, "%s %s %.3f s", first ? "" : ",", names[k], stage[k]);
        first = false;
    }
    fputc('\n', stderr);
    /* The memory of the same stages, on a line of its own (simulate measures none). */
    first = true;
    for (int k = 0; k < 4; k++) {
        if (isnan(stage[k]) || !(t->peak_mb[k] > 0)) continue;
        fprintf(stderr, "%s %s %.0f page faults, %.0f MB fresh, peak %.0f MB",
                first ? "memory:" : ",", names[k], t->faults[k], t->fresh_mb[k], t->peak_mb[k]);
        first = false;
    }
    if (!first) fputc('\n', stderr);
}

void cli_warn(const cli_common *common, const char *message)
{
    if (!common->quiet) fprintf(stderr, "survkit %s: warning: %s\n", common->command, message);
}

bool cli_read_file(const cli_common *common, const char *path, char **text, size_t *len)
{
    *text = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        cli_fail(common, "cannot read %s: %s", path, strerror(errno));
        return false;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    while (buf != NULL) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        char *bigger = realloc(buf, 2 * cap + 1);
        if (bigger == NULL) free(buf);
        buf = bigger;
        cap *= 2;
    }
    bool failed = ferror(f) != 0 || buf == NULL;
    fclose(f);
    if (failed) {
        free(buf);
        cli_fail(common, "cannot read %s", path);
        return false;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return true;
}

int cli_fail_frame_row(const cli_common *common, const survkit_frame *frame, survkit_error *err)
{
    if (err->line > 0 && err->source[0] == '\0') {
        const size_t *rows = survkit_frame_row_index(frame);
        if (err->line - 2 < survkit_frame_n(frame)) err->line = rows[err->line - 2] + 2;
        snprintf(err->source, sizeof err->source, "%s", common->data_path);
    }
    cli_report_error(common, err);
    return CLI_EXIT_USAGE;
}

bool cli_write_text(const cli_common *common, const char *path, const char *text)
{
    cli_common target = *common;
    target.output_path = path;
    cli_output out;
    if (!cli_output_open(&target, &out)) return false;
    fputs(text, out.stream);
    return cli_output_commit(&target, &out);
}

/*
 * One OpenBLAS thread per call (survkit/blas.h): survkit's kernels split their row passes on two
 * threads of their own and call BLAS from both, and OpenBLAS's workers, woken by a call, spin
 * afterwards on the core the second kernel thread needs (the Cox fit of 1M x 20 ran 10-30% longer,
 * benchmarks/RESULTS.md, issue 24). A thread count the user set in OpenBLAS's environment is kept.
 */
void cli_one_blas_thread(void)
{
    static const char *const chosen[] = {"OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"};
    for (size_t k = 0; k < sizeof chosen / sizeof chosen[0]; k++)
        if (getenv(chosen[k]) != NULL) return;
    (void)survkit_blas_set_threads(1, NULL);
}
