/*
 * cox_model_cli.h: what zph, residuals, predict and basehaz share: a Cox model either fitted from
 * -f FORMULA on DATA (with --ties and --weights), or read from a saved model (--model FILE) with
 * its DATA coded by the saved formula; and reading a model file.
 */
#ifndef SURVKIT_CLI_COX_MODEL_H
#define SURVKIT_CLI_COX_MODEL_H

#include "cli.h"

typedef struct cli_cox_source {
    const char *formula;     /* -f (the command's own option, so that --model can replace it) */
    const char *ties;        /* --ties, default "efron" */
    const char *model_path;  /* --model FILE */
    /* What a model fitted here must hold: SURVKIT_MODEL_NO_BASELINE for the commands that never
     * read the baseline hazard (residuals, zph), which then skip computing it. */
    survkit_cox_model_parts parts;
} cli_cox_source;

/* The option table entries for -f, --ties and --model (3 entries) into options[0..2]. */
void cli_cox_source_options(cli_cox_source *src, cli_option *options);

/* Does argv hold --model (then commands that need no data take no DATA argument)? */
bool cli_has_model_option(int argc, char **argv);

/* --save: write `model` (made with status `st`, `err` filled on failure) as JSON into `out`, which
 * was opened before the fit (the caller commits it), and free the model. Reports errors. */
bool cli_write_model(const cli_common *common, survkit_status st, const survkit_error *err,
                     survkit_cox_model *model, cli_output *out);

/* Read and parse a saved model; reports errors. */
bool cli_read_model(const cli_common *common, const char *path, survkit_cox_model **model);

/*
 * Fit (or load) the model and build the frame of DATA. With `need_data` false and --model, no
 * data are read (*table and *frame stay NULL). The table is freed once the frame is built unless
 * common->keep_table (cli_load). Reports errors and the fit's warnings; returns false on failure.
 * The caller frees what was returned, also on failure. Starts *t (cli_timings_start): read and
 * frame as cli_load times them, fit_s the Cox fit (NaN with --model).
 */
bool cli_cox_prepare(cli_common *common, const cli_cox_source *src, bool need_data,
                     survkit_table **table, survkit_frame **frame, survkit_cox_model **model,
                     cli_timings *t);

/* Add the seconds since cli_now() was `since` to a stage of --timings (NaN counts as 0): the
 * commands' own estimators go into fit_s, predict's --newdata into read_s. */
void cli_timings_add(double *stage, double since);

#endif
