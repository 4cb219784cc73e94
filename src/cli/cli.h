/*
 * cli.h: what the survkit commands share: the command table, option parsing, reading the data and
 * building the model frame with uniform error messages, atomic output files, and stage timings.
 * Everything here uses only the public library API.
 */
#ifndef SURVKIT_CLI_H
#define SURVKIT_CLI_H

#include <survkit/survkit.h>

#include "outfile.h"

#include <stdbool.h>
#include <stdio.h>

enum { CLI_EXIT_OK = 0, CLI_EXIT_USAGE = 2 };

typedef struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the command name; returns the exit status */
} cli_command;

/* Commands (one file each: cmd_NAME.c). */
int cli_describe(int argc, char **argv);
int cli_km(int argc, char **argv);
int cli_logrank(int argc, char **argv);
int cli_simulate(int argc, char **argv);
int cli_cox(int argc, char **argv);
int cli_survreg(int argc, char **argv);
int cli_zph(int argc, char **argv);
int cli_residuals(int argc, char **argv);
int cli_predict(int argc, char **argv);
int cli_basehaz(int argc, char **argv);
int cli_convert(int argc, char **argv);
int cli_cuminc(int argc, char **argv);
int cli_finegray(int argc, char **argv);
int cli_glm(int argc, char **argv);
int cli_ipw(int argc, char **argv);
int cli_split(int argc, char **argv);
int cli_tmerge(int argc, char **argv);

typedef enum cli_format { CLI_FORMAT_TEXT, CLI_FORMAT_JSON, CLI_FORMAT_CSV } cli_format;

typedef enum cli_option_kind {
    CLI_OPT_FLAG,   /* bool *, set to true */
    CLI_OPT_STRING, /* const char ** */
    CLI_OPT_DOUBLE, /* double * */
    CLI_OPT_INT,    /* long * */
} cli_option_kind;

/* One command-specific option. `value_name` and `help` are shown by COMMAND --help. */
typedef struct cli_option {
    const char *long_name; /* without the leading "--" */
    char short_name;       /* 0 for none */
    cli_option_kind kind;
    void *target;
    const char *value_name;
    const char *help;
} cli_option;

#define CLI_MAX_NA_TOKENS 32

/* Options every command shares, filled by cli_parse. */
typedef struct cli_common {
    const char *command;
    const char *formula;     /* -f/--formula */
    const char *formula_source; /* the file the formula was read from (--model), or NULL */
    const char *data_path;   /* the positional DATA argument */
    const char *output_path; /* -o/--output, NULL = standard output */
    cli_format format;       /* --format */
    const char *weights;     /* --weights COLUMN */
    char separator;          /* --sep */
    survkit_encoding encoding; /* --encoding (default UTF-8) */
    const char *na_tokens[CLI_MAX_NA_TOKENS]; /* --na TOKEN, repeatable */
    size_t n_na_tokens;
    bool timings;            /* --timings */
    bool quiet;              /* --quiet */
    bool no_timefix;         /* --no-timefix: R's timefix = FALSE */
    bool collate_c;          /* --collate C: string levels in byte order (R's LC_COLLATE=C) */
    bool collate_given;      /* --collate was given */
    bool accepts_collate;    /* likewise: sorts string levels without a frame (describe) */
    bool no_labels;          /* --no-labels: value-labelled columns keep their numeric codes */
    bool needs_formula;      /* set by the command before parsing */
    bool accepts_weights;    /* likewise: whether --weights is offered */
    bool accepts_timefix;    /* likewise: whether --no-timefix is offered (the data has a response) */
    bool accepts_interval;   /* likewise: Surv(time1, time2, type = "interval2") allowed (survreg) */
    bool skip_groups;        /* the command needs no km/logrank groups in its frame (Cox) */
    bool no_data;            /* likewise: the command reads no DATA argument (simulate) */
    bool keep_table;         /* likewise: cli_load keeps the table (a column outside the frame is
                                read after it, e.g. residuals --collapse) */
    bool states;             /* likewise: the status is a factor of states (cuminc, finegray) */
    const char *censor;      /* with states: --censor LEVEL (NULL: R's default) */
    bool binary_response;    /* likewise: the formula's left side is a plain 0/1 variable (glm) */
} cli_common;

/*
 * Parse argv for a command: the shared options plus `options[n_options]`. `usage` is the synopsis
 * line shown by --help. Returns -1 to go on, or an exit status to return at once (0 after --help,
 * 2 after a usage error, already reported on stderr).
 */
int cli_parse(int argc, char **argv, cli_common *common, const cli_option *options,
              size_t n_options, const char *usage, const char *description);

/* Print a library error the way the spec asks (file:line:column, or the formula with a caret). */
void cli_report_error(const cli_common *common, const survkit_error *err);
/* Print a usage-level error message (printf-style) and return CLI_EXIT_USAGE. */
int cli_fail(const cli_common *common, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Read common->data_path with the shared read options. Reports errors; returns true on success. */
bool cli_read_table(const cli_common *common, survkit_table **table);
/* The read options of common's --sep, --encoding, --na and --no-labels (for a table reader). */
void cli_read_options(const cli_common *common, survkit_read_options *opt);
/* Build the model frame for common->formula (and --weights). Reports errors. */
bool cli_build_frame(const cli_common *common, const survkit_table *table, survkit_frame **frame);

/*
 * Output that is all or nothing (src/report/outfile.h): a regular file is written to a temporary
 * name beside the real file and put in place by cli_output_commit; devices, FIFOs and /dev/fd/N
 * are written directly; cli_output_abort removes what was started. Commands open every output
 * before reading the data, so a bad path fails before any work and leaves nothing behind.
 */
typedef report_outfile cli_output;

/* Open common->output_path (standard output when NULL or "-"); reports errors. */
bool cli_output_open(const cli_common *common, cli_output *out);
/* Open another output of the command (--save, --residuals, --plot); NULL path: *out stays closed
 * (zeroed). Reports errors. */
bool cli_output_open_path(const cli_common *common, const char *path, cli_output *out);
/* Flush, close and put in place; on failure reports it and removes the temporary file. */
bool cli_output_commit(const cli_common *common, cli_output *out);
/* Commit several outputs: all are finished (flushed, closed) before any is put in place, so a
 * full disk leaves every target as it was. NULL entries and closed outputs are skipped. On failure
 * the others are aborted. */
bool cli_output_commit_all(const cli_common *common, cli_output *const *outs, size_t n);
/* Drop an output (accepts a zeroed or committed one). */
void cli_output_abort(cli_output *out);

/* Report an estimator's error whose err->line is a frame row + 2 (arrays fitted from a frame):
 * as the data file's line. Returns CLI_EXIT_USAGE. */
int cli_fail_frame_row(const cli_common *common, const survkit_frame *frame, survkit_error *err);
/* Write `text` to `path` all or nothing (a saved model). Reports errors. */
bool cli_write_text(const cli_common *common, const char *path, const char *text);

/* The whole of file `path` into a new NUL-terminated buffer (free it); false (reported) when it
 * cannot be read. */
bool cli_read_file(const cli_common *common, const char *path, char **text, size_t *len);

/* Parse "1,2.5,3" into a new array (free it); false (reported, naming --option) on a bad list. */
bool cli_parse_numbers(const cli_common *common, const char *option, const char *text,
                       double **values, size_t *n);

/* Monotonic wall-clock seconds, for --timings. */
/* One OpenBLAS thread for the process, unless OpenBLAS's environment sets a count (common.c). */
void cli_one_blas_thread(void);
double cli_now(void);

/* Progress on standard error (progress.c): a terminal, no --quiet, and a job past 2 seconds. */
typedef struct cli_progress {
    const char *command;
    bool enabled;
    bool open_line;   /* a reading line waits to be replaced */
    double started, last;
} cli_progress;

void cli_progress_start(cli_progress *p, const cli_common *common);
/* survkit_progress_fn callbacks, `user` a cli_progress: reading (bytes) and fitting (iterations). */
int cli_progress_read(void *user, const char *stage, uint64_t done, uint64_t total, double value);
int cli_progress_fit(void *user, const char *stage, uint64_t done, uint64_t total, double value);
/* Clear a pending progress line before other output on standard error. */
void cli_progress_end(cli_progress *p);

/* Stage timings collected by a command; NaN for stages it does not have. `started` is the
 * cli_now() at which the command began, for total_s. */
typedef struct cli_timings {
    double read_s, frame_s, fit_s, total_s;
    /* Memory per stage (read, frame, fit, total; NaN for a stage the command does not have): the
     * minor page faults it took (getrusage's ru_minflt: pages the kernel mapped in, nearly all of
     * them fresh pages it zeroed first; a huge page counts once) and the peak resident set in MB
     * at its end (ru_maxrss); the fresh memory it touched in MB (the growth of the anonymous
     * resident set: memory freed is kept for reuse, so what grows it are pages the kernel zeroed).
     * "fit" is everything after the frame: the fit and the report. */
    double faults[4], peak_mb[4], fresh_mb[4];
    double started;
    double faults_mark; /* ru_minflt at the end of the last stage measured */
    double anon_mark;   /* the anonymous resident MB then */
    cli_progress progress;
} cli_timings;

/* The length of the array cli_timings_for_json fills: the four times (read_s, frame_s, fit_s,
 * total_s), the four stages' page faults, their peak resident MB, their fresh MB. */
enum { CLI_TIMINGS_LEN = 16 };

/* Start the clock (every stage NaN) and the progress display. */
void cli_timings_start(cli_timings *t, const cli_common *common);
/* Read common->data_path as cli_read_table does, timing it into t->read_s, with progress. */
bool cli_read_table_timed(const cli_common *common, survkit_table **table, cli_timings *t);
/* total_s = now - started; out[CLI_TIMINGS_LEN] = read, frame, fit, total seconds, then their page
 * faults and peak MB, for a JSON report, or NULL when --timings was not given or the format is not
 * JSON. */
const double *cli_timings_for_json(const cli_common *common, cli_timings *t,
                                   double out[CLI_TIMINGS_LEN]);
/* With --timings and a format other than JSON: "timings: read 0.12 s, ..." on standard error. */
void cli_report_timings(const cli_common *common, const cli_timings *t);

/*
 * Read the data and build the model frame, timing both stages into *t (which it starts, with the
 * progress display). Reports errors itself. On success the table is freed once the frame is built
 * (*table is NULL: the frame needs nothing from it, and a large table is as big as the design
 * matrix) unless common->keep_table; on failure the table (if read) is still returned for the
 * caller to free.
 */
bool cli_load(const cli_common *common, survkit_table **table, survkit_frame **frame,
              cli_timings *t);
/* Warn "N rows dropped for missing values" on stderr, unless N is 0 or --quiet. */
void cli_warn_dropped(const cli_common *common, size_t n_dropped);

/* The call R would print for `survkit cox` (cmd_cox.c; survkit-mpi cox prints it too). */
void cli_cox_call(const cli_common *common, const survkit_cox_options *opt, char *buf, size_t size);

/* Print "timings: read 0.12 s, ..." on stderr (what cli_report_timings prints). */
void cli_print_timings(const cli_timings *t);
/* Print a warning on stderr ("survkit: warning: ...") unless --quiet. */
void cli_warn(const cli_common *common, const char *message);

#endif /* SURVKIT_CLI_H */
