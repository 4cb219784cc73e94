/*
 * cmd_zph.c: `survkit zph`: fit the Cox model (or read a saved one), then R's cox.zph: the table
 * as text (print.cox.zph), JSON (the CLI contract) or CSV, the scaled Schoenfeld residuals as CSV
 * (--residuals FILE), and R's plot(cox.zph) as a picture (--plot FILE).
 */
#include "cox_model_cli.h"
#include "report_zph.h"
#ifdef SURVKIT_HAVE_PLOTS
#include "zph_plot.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef SURVKIT_HAVE_PLOTS
/* Draw the picture; a term R would skip (singular spline fit) is left out with R's warning. */
static bool write_plot(const cli_common *common, const plot_zph_request *plot, const survkit_zph *z)
{
    const size_t nt = survkit_zph_n_rows(z) - 1;
    bool *skipped = calloc(nt ? nt : 1, sizeof *skipped);
    survkit_error err;
    survkit_error_clear(&err);
    survkit_status status = skipped ? plot_zph_write(plot, z, skipped, &err)
                                    : plot_error(&err, SURVKIT_ERR_NOMEM, "out of memory");
    for (size_t t = 0; status == SURVKIT_OK && t < nt; t++)
        if (skipped[t]) {
            char msg[160];
            snprintf(msg, sizeof msg, "spline fit is singular, variable %zu skipped", t + 1);
            cli_warn(common, msg);
        }
    free(skipped);
    if (status != SURVKIT_OK) cli_report_error(common, &err);
    return status == SURVKIT_OK;
}
#endif

int cli_zph(int argc, char **argv)
{
    cli_common common = {0};
    common.accepts_weights = true;
    common.accepts_timefix = true;
    cli_cox_source src = {.parts = SURVKIT_MODEL_NO_BASELINE}; /* cox.zph never reads it */
    const char *transform = "km", *residuals_path = NULL;
    cli_option options[3 + 2 + 6];
    cli_cox_source_options(&src, options);
    size_t n_options = 3;
    options[n_options++] = (cli_option){"transform", 0, CLI_OPT_STRING, &transform, "T",
                                        "km (default), rank, identity or log"};
    options[n_options++] = (cli_option){"residuals", 0, CLI_OPT_STRING, &residuals_path, "FILE",
                                        "write the scaled Schoenfeld residuals as CSV"};
#ifdef SURVKIT_HAVE_PLOTS
    plot_zph_request plot = {0};
    options[n_options++] = (cli_option){"plot", 0, CLI_OPT_STRING, &plot.path, "FILE",
                                        "draw R's plot(cox.zph): .png, .svg or .pdf"};
    options[n_options++] = (cli_option){"plot-term", 0, CLI_OPT_STRING, &plot.term, "NAME",
                                        "one panel, for this term (default: every term)"};
    options[n_options++] = (cli_option){"plot-df", 0, CLI_OPT_INT, &plot.df, "DF",
                                        "degrees of freedom of the smooth (default 4)"};
    options[n_options++] = (cli_option){"plot-nsmo", 0, CLI_OPT_INT, &plot.nsmo, "N",
                                        "points of the smooth (default 40)"};
    options[n_options++] = (cli_option){"plot-width", 0, CLI_OPT_DOUBLE, &plot.width, "W",
                                        "page width: pixels for PNG, points for PDF/SVG"};
    options[n_options++] = (cli_option){"plot-height", 0, CLI_OPT_DOUBLE, &plot.height, "H",
                                        "page height: pixels for PNG, points for PDF/SVG"};
#endif
    int status = cli_parse(argc, argv, &common, options, n_options,
                           "survkit zph -f FORMULA [options] DATA | --model FILE DATA",
                           "Test of proportional hazards of a Cox model, as R's cox.zph.");
    if (status >= 0) return status;
    survkit_error err;
    survkit_error_clear(&err);
    survkit_zph_transform tr;
    if (survkit_zph_transform_parse(transform, &tr, &err) != SURVKIT_OK)
        return cli_fail(&common, "--transform takes km, rank, identity or log, not '%s'", transform);
#ifdef SURVKIT_HAVE_PLOTS
    if (plot.path && plot_zph_request_check(&plot, NULL, &err) != SURVKIT_OK)
        return cli_fail(&common, "%s", err.message);
    if (!plot.path && plot_zph_request_has_options(&plot))
        return cli_fail(&common, "the --plot-* options need --plot FILE");
#endif

    cli_timings t;
    survkit_table *table = NULL;
    survkit_frame *frame = NULL;
    survkit_cox_model *model = NULL;
    survkit_zph *z = NULL;
    int exit_status = CLI_EXIT_USAGE;
    /* Every output is opened before any work: a bad path fails now and leaves nothing behind. */
    cli_output output, residuals_out = {0}, plot_out = {0};
    if (!cli_output_open(&common, &output) ||
        !cli_output_open_path(&common, residuals_path, &residuals_out))
        goto done;
#ifdef SURVKIT_HAVE_PLOTS
    if (!cli_output_open_path(&common, plot.path, &plot_out)) goto done;
    plot.stream = plot_out.stream;
#endif
    if (!cli_cox_prepare(&common, &src, true, &table, &frame, &model, &t)) goto done;
    survkit_cox_data data;
    survkit_cox_data_from_frame(frame, &data);
    double t_zph = cli_now();
    if (survkit_cox_zph(model, &data, tr, &z, &err) != SURVKIT_OK) {
        cli_report_error(&common, &err);
        goto done;
    }
    cli_timings_add(&t.fit_s, t_zph);
    if (residuals_path && !report_zph_residuals_csv(residuals_out.stream, z, model)) {
        cli_fail(&common, "cannot write the residuals (out of memory, or the output failed)");
        goto done;
    }
#ifdef SURVKIT_HAVE_PLOTS
    if (plot.path && !write_plot(&common, &plot, z)) goto done;
#endif
    double tv[CLI_TIMINGS_LEN];
    const double *json_timings = cli_timings_for_json(&common, &t, tv);
    switch (common.format) {
    case CLI_FORMAT_JSON: report_zph_json(output.stream, z, NULL, 0, json_timings); break;
    case CLI_FORMAT_CSV: report_zph_csv(output.stream, z); break;
    default: report_zph_text(output.stream, z); break;
    }
    cli_output *outs[3] = {&output, &residuals_out, &plot_out};
    if (!cli_output_commit_all(&common, outs, 3)) goto done;
    cli_report_timings(&common, &t);
    exit_status = CLI_EXIT_OK;
done:
    cli_output_abort(&plot_out);
    cli_output_abort(&residuals_out);
    cli_output_abort(&output);
    survkit_zph_free(z);
    survkit_cox_model_free(model);
    survkit_frame_free(frame);
    survkit_table_free(table);
    return exit_status;
}
