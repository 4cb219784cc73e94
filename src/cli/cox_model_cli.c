/* cox_model_cli.c: fitting or loading the Cox model of the diagnostics commands. */
#include "cox_model_cli.h"
#include "cox_frailty_cli.h"

#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void cli_cox_source_options(cli_cox_source *src, cli_option *options)
{
    src->ties = "efron";
    options[0] = (cli_option){"formula", 'f', CLI_OPT_STRING, &src->formula, "F",
                              "R model formula, e.g. 'Surv(time, status) ~ age + sex'"};
    options[1] = (cli_option){"ties", 0, CLI_OPT_STRING, &src->ties, "METHOD",
                              "efron (default), breslow or exact"};
    options[2] = (cli_option){"model", 0, CLI_OPT_STRING, &src->model_path, "FILE",
                              "a model saved by survkit cox --save, instead of fitting"};
}

bool cli_has_model_option(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--model") == 0 || strncmp(argv[i], "--model=", 8) == 0) return true;
    return false;
}

bool cli_write_model(const cli_common *common, survkit_status st, const survkit_error *err,
                     survkit_cox_model *model, cli_output *out)
{
    if (st != SURVKIT_OK) {
        survkit_cox_model_free(model);
        cli_report_error(common, err);
        return false;
    }
    char *text = survkit_cox_model_to_json(model);
    survkit_cox_model_free(model);
    if (text == NULL) {
        cli_fail(common, "out of memory saving the model");
        return false;
    }
    fputs(text, out->stream);
    free(text);
    return true;
}

bool cli_read_model(const cli_common *common, const char *path, survkit_cox_model **model)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        cli_fail(common, "cannot read %s: %s", path, strerror(errno));
        return false;
    }
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    while (text != NULL) {
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (len < cap) break;
        char *bigger = realloc(text, cap * 2);
        if (bigger == NULL) {
            free(text);
            text = NULL;
        }
        text = bigger;
        cap *= 2;
    }
    bool read_error = ferror(f) != 0;
    fclose(f);
    if (text == NULL || read_error) {
        free(text);
        cli_fail(common, "cannot read %s", path);
        return false;
    }
    survkit_error err;
    survkit_error_clear(&err);
    survkit_status status = survkit_cox_model_from_json(text, len, path, model, &err);
    free(text);
    if (status != SURVKIT_OK) {
        if (err.source[0] == '\0') { /* the saved formula's own error: name the file it is in */
            snprintf(err.source, sizeof err.source, "%s", path);
            if (err.line == 0 && err.column > 0) {
                char message[sizeof err.message + 64];
                snprintf(message, sizeof message, "its formula, at character %llu: %s",
                         (unsigned long long)err.column, err.message);
                snprintf(err.message, sizeof err.message, "%.700s", message);
                err.column = 0;
            }
        }
        cli_report_error(common, &err);
        return false;
    }
    return true;
}

static bool parse_ties(const cli_common *common, const char *ties, survkit_cox_ties *out)
{
    if (strcmp(ties, "efron") == 0) *out = SURVKIT_COX_EFRON;
    else if (strcmp(ties, "breslow") == 0) *out = SURVKIT_COX_BRESLOW;
    else if (strcmp(ties, "exact") == 0) *out = SURVKIT_COX_EXACT;
    else {
        cli_fail(common, "--ties takes efron, breslow or exact, not '%s'", ties);
        return false;
    }
    return true;
}

/* A saved frailty model's data must have the groups it was fitted with (their frailties enter
 * each row's linear predictor). */
static bool same_frailty_groups(const cli_common *common, const survkit_cox_model *model,
                                const survkit_frame *frame, const char *path)
{
    const size_t G = survkit_cox_model_n_frailty(model);
    bool same = G == survkit_frame_n_frailty(frame);
    for (size_t g = 0; same && g < G; g++)
        same = strcmp(survkit_cox_model_frailty_label(model, g),
                      survkit_frame_frailty_label(frame, g)) == 0;
    if (!same)
        cli_fail(common, "%s: the data's %s groups are not the %zu the model was fitted on "
                         "(residuals and zph of a frailty model need its own data)",
                 path, G > 0 ? survkit_cox_model_frailty_term(model) : "frailty()", G);
    return same;
}

bool cli_cox_prepare(cli_common *common, const cli_cox_source *src, bool need_data,
                     survkit_table **table, survkit_frame **frame, survkit_cox_model **model,
                     cli_timings *t)
{
    *table = NULL;
    *frame = NULL;
    *model = NULL;
    cli_timings_start(t, common);
    const double started = t->started; /* cli_load starts the clock again: total counts from here */
    if (src->model_path != NULL) {
        if (src->formula != NULL) {
            cli_fail(common, "give either -f FORMULA or --model FILE, not both");
            return false;
        }
        if (common->no_timefix) {
            cli_fail(common, "--no-timefix goes with -f FORMULA: a model file records whether its "
                             "data's times were fixed");
            return false;
        }
        if (common->collate_given) {
            cli_fail(common, "--collate goes with -f FORMULA: a model file records the order of "
                             "its data's string levels");
            return false;
        }
        if (!cli_read_model(common, src->model_path, model)) return false;
        if (!need_data) return true;
        common->no_timefix = !survkit_cox_model_timefix(*model); /* code the data as the fit did */
        common->collate_c = survkit_cox_model_collate(*model) == SURVKIT_COLLATE_C;
        common->formula = survkit_cox_model_formula(*model);
        common->formula_source = src->model_path; /* its errors name the model file */
        if (common->formula == NULL) {
            cli_fail(common, "%s holds no formula to code the data with", src->model_path);
            return false;
        }
        if (common->weights == NULL) common->weights = survkit_cox_model_weights_name(*model);
        if (common->data_path == NULL) {
            cli_fail(common, "no data file given (use '-' for standard input)");
            return false;
        }
        common->skip_groups = true;
        bool loaded = cli_load(common, table, frame, t);
        t->started = started;
        return loaded && same_frailty_groups(common, *model, *frame, src->model_path);
    }
    if (src->formula == NULL) {
        cli_fail(common, "no formula: give one with -f 'Surv(time, status) ~ ...' or --model FILE");
        return false;
    }
    if (common->data_path == NULL) {
        cli_fail(common, "no data file given (use '-' for standard input)");
        return false;
    }
    survkit_cox_options opt;
    survkit_cox_options_init(&opt);
    if (!parse_ties(common, src->ties, &opt.ties)) return false;
    common->formula = src->formula;
    common->skip_groups = true;
    bool loaded = cli_load(common, table, frame, t);
    t->started = started;
    if (!loaded) return false;
    cli_warn_dropped(common, survkit_frame_n_dropped(*frame));
    double t2 = cli_now();
    if (cli_cox_is_penalised(*frame)) { /* frailty(), ridge(): R's coxph.penal */
        const bool ok = cli_cox_penalised_model(common, *frame, opt.ties, src->parts, model, t);
        t->fit_s = cli_now() - t2;
        return ok;
    }
    survkit_error err;
    survkit_error_clear(&err);
    survkit_cox_result *fit = NULL;
    opt.progress = cli_progress_fit;
    opt.progress_user = &t->progress;
    if (survkit_cox_fit_frame(*frame, &opt, &fit, &err) != SURVKIT_OK) {
        cli_report_error(common, &err);
        return false;
    }
    for (size_t k = 0; k < survkit_cox_result_n_warnings(fit); k++)
        cli_warn(common, survkit_cox_result_warning(fit, k));
    survkit_status status =
        survkit_cox_model_create_frame_parts(fit, *frame, common->weights, src->parts, model, &err);
    survkit_cox_result_free(fit);
    t->fit_s = cli_now() - t2;
    if (status != SURVKIT_OK) {
        cli_report_error(common, &err);
        return false;
    }
    return true;
}

void cli_timings_add(double *stage, double since)
{
    *stage = (isnan(*stage) ? 0.0 : *stage) + (cli_now() - since);
}
