/*
 * cmd_basehaz.c: `survkit basehaz`: R's basehaz(fit, centered) of a model fitted here (-f ... DATA)
 * or saved (--model FILE, no data needed): the cumulative hazard at every distinct time of each
 * stratum, for a subject at the means (default) or with covariates zero (--uncentered).
 * CSV (text and csv formats: hazard, time[, strata] as R's data frame) or JSON.
 */
#include "cox_model_cli.h"
#include "json.h"
#include "report_timings.h"

#include <math.h>
#include <stdlib.h>

int cli_basehaz(int argc, char **argv)
{
    cli_common common = {0};
    common.accepts_weights = true;
    common.accepts_timefix = true;
    common.no_data = cli_has_model_option(argc, argv); /* a saved model needs no data */
    cli_cox_source src = {0};
    bool uncentered = false;
    cli_option options[4];
    cli_cox_source_options(&src, options);
    options[3] = (cli_option){"uncentered", 0, CLI_OPT_FLAG, &uncentered, NULL,
                              "covariates at zero instead of the means (centered = FALSE)"};
    int status = cli_parse(argc, argv, &common, options, 4,
                           "survkit basehaz -f FORMULA [options] DATA | --model FILE",
                           "Baseline cumulative hazard of a Cox model per stratum, as R's basehaz.");
    if (status >= 0) return status;
    cli_timings t;
    survkit_table *table = NULL;
    survkit_frame *frame = NULL;
    survkit_cox_model *model = NULL;
    survkit_basehaz *b = NULL;
    int exit_status = CLI_EXIT_USAGE;
    /* The output is opened before any work: a bad path fails now and leaves nothing behind. */
    cli_output output;
    if (!cli_output_open(&common, &output)) goto done;
    if (!cli_cox_prepare(&common, &src, false, &table, &frame, &model, &t)) goto done;
    survkit_error err;
    survkit_error_clear(&err);
    double t_base = cli_now();
    if (survkit_cox_basehaz(model, !uncentered, &b, &err) != SURVKIT_OK) {
        cli_report_error(&common, &err);
        goto done;
    }
    cli_timings_add(&t.fit_s, t_base);
    double tv[CLI_TIMINGS_LEN];
    const double *json_timings = cli_timings_for_json(&common, &t, tv);
    const size_t n = survkit_basehaz_rows(b);
    const double *time = survkit_basehaz_time(b), *hz = survkit_basehaz_hazard(b);
    const int32_t *st = survkit_basehaz_stratum(b);
    const bool strata = survkit_cox_model_has_strata(model);
    FILE *out = output.stream;
    if (common.format == CLI_FORMAT_JSON) {
        json_writer w;
        json_init(&w, out);
        json_object_begin(&w, NULL);
        json_string(&w, "command", "basehaz");
        json_bool(&w, "centered", !uncentered);
        json_array_begin(&w, "strata");
        for (size_t s = 0, i = 0; s < survkit_cox_model_n_strata(model); s++) {
            size_t end = i;
            while (end < n && (size_t)st[end] == s) end++;
            json_object_begin(&w, NULL);
            if (strata) json_string(&w, "label", survkit_cox_model_strata_label(model, s));
            else json_string(&w, "label", "all");
            json_number_array(&w, "time", time + i, end - i);
            json_number_array(&w, "hazard", hz + i, end - i);
            json_object_end(&w);
            i = end;
        }
        json_array_end(&w);
        report_timings_json(&w, json_timings);
        json_object_end(&w);
        json_finish(&w);
    } else {
        fputs(strata ? "hazard,time,strata\n" : "hazard,time\n", out);
        for (size_t i = 0; i < n; i++) {
            fprintf(out, "%.17g,%.17g", hz[i], time[i]);
            if (strata) fprintf(out, ",\"%s\"", survkit_cox_model_strata_label(model, (size_t)st[i]));
            fputc('\n', out);
        }
    }
    if (!cli_output_commit(&common, &output)) goto done;
    cli_report_timings(&common, &t);
    exit_status = CLI_EXIT_OK;
done:
    cli_output_abort(&output);
    survkit_basehaz_free(b);
    survkit_cox_model_free(model);
    survkit_frame_free(frame);
    survkit_table_free(table);
    return exit_status;
}
