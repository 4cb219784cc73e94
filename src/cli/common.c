/* common.c: reading data and building frames with uniform errors, atomic output, timings. */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
        fprintf(stderr, "survkit %s: error in formula, at character %llu: ", common->command,
                (unsigned long long)err->column);
        put_escaped(message);
        fputs("\n  ", stderr);
        put_flat(common->formula);
        fprintf(stderr, "\n  %*s^\n", (int)(err->column - 1), "");
        return;
    }
    fprintf(stderr, "survkit %s: error: ", common->command);
    if (source[0]) {
        put_escaped(source);
        if (err->line > 0) fprintf(stderr, ":%llu", (unsigned long long)err->line);
        if (err->line > 0 && err->column > 0) fprintf(stderr, ":%llu", (unsigned long long)err->column);
        fputs(": ", stderr);
    }
    put_escaped(message);
    fputc('\n', stderr);
}

static bool read_table(const cli_common *common, survkit_table **table, cli_progress *progress)
{
    survkit_read_options opt;
    survkit_read_options_init(&opt);
    opt.separator = common->separator;
    opt.na_tokens = common->na_tokens;
    opt.n_na_tokens = common->n_na_tokens;
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

void cli_timings_start(cli_timings *t, const cli_common *common)
{
    t->read_s = t->frame_s = t->fit_s = t->total_s = NAN;
    t->started = cli_now();
    cli_progress_start(&t->progress, common);
}

bool cli_read_table_timed(const cli_common *common, survkit_table **table, cli_timings *t)
{
    double start = cli_now();
    if (!read_table(common, table, &t->progress)) return false;
    t->read_s = cli_now() - start;
    return true;
}

const double *cli_timings_for_json(const cli_common *common, cli_timings *t, double out[4])
{
    t->total_s = cli_now() - t->started;
    if (!common->timings || common->format != CLI_FORMAT_JSON) return NULL;
    out[0] = t->read_s;
    out[1] = t->frame_s;
    out[2] = t->fit_s;
    out[3] = t->total_s;
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
    memset(out, 0, sizeof *out);
    if (common->output_path == NULL || strcmp(common->output_path, "-") == 0) {
        out->stream = stdout;
        return true;
    }
    size_t len = strlen(common->output_path);
    out->final_path = malloc(len + 1);
    out->temp_path = malloc(len + 16);
    if (out->final_path == NULL || out->temp_path == NULL) {
        cli_output_abort(out);
        cli_fail(common, "out of memory");
        return false;
    }
    memcpy(out->final_path, common->output_path, len + 1);
    snprintf(out->temp_path, len + 16, "%s.tmp.XXXXXX", common->output_path);
    int fd = mkstemp(out->temp_path);
    /* mkstemp creates 0600; give the result the permissions a plain fopen would (0666 & ~umask). */
    if (fd >= 0) {
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    if (fd < 0 || (out->stream = fdopen(fd, "w")) == NULL) {
        int saved = errno;
        if (fd >= 0) {
            close(fd);
            unlink(out->temp_path);
        }
        free(out->temp_path);
        out->temp_path = NULL;
        cli_fail(common, "cannot write %s: %s", common->output_path, strerror(saved));
        cli_output_abort(out);
        return false;
    }
    return true;
}

bool cli_output_commit(const cli_common *common, cli_output *out)
{
    if (out->stream == stdout) {
        if (fflush(stdout) != 0) {
            cli_fail(common, "cannot write standard output: %s", strerror(errno));
            return false;
        }
        return true;
    }
    bool ok = fflush(out->stream) == 0 && !ferror(out->stream);
    ok = (fclose(out->stream) == 0) && ok;
    out->stream = NULL;
    if (ok && rename(out->temp_path, out->final_path) != 0) ok = false;
    if (!ok) {
        cli_fail(common, "cannot write %s: %s", out->final_path, strerror(errno));
        cli_output_abort(out);
        return false;
    }
    free(out->temp_path);
    free(out->final_path);
    out->temp_path = out->final_path = NULL;
    return true;
}

void cli_output_abort(cli_output *out)
{
    if (out->stream != NULL && out->stream != stdout) fclose(out->stream);
    if (out->temp_path != NULL) unlink(out->temp_path);
    free(out->temp_path);
    free(out->final_path);
    memset(out, 0, sizeof *out);
}

bool cli_load(const cli_common *common, survkit_table **table, survkit_frame **frame,
              cli_timings *t)
{
    cli_timings_start(t, common);
    if (!cli_read_table_timed(common, table, t)) return false;
    double read_done = cli_now();
    if (!cli_build_frame(common, *table, frame)) return false;
    t->frame_s = cli_now() - read_done;
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
}

void cli_warn(const cli_common *common, const char *message)
{
    if (!common->quiet) fprintf(stderr, "survkit %s: warning: %s\n", common->command, message);
}
