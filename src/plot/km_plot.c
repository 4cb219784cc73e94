/* km_plot.c: the --plot-* option values of `survkit km` turned into a Kaplan-Meier figure file. */
#include "km_plot.h"
#include "render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool parse_fun(const char *text, plot_km_fun *fun)
{
    static const struct { const char *name; plot_km_fun fun; } names[] = {
        {"surv", PLOT_KM_SURV},     {"event", PLOT_KM_EVENT},
        {"cumhaz", PLOT_KM_CUMHAZ}, {"cloglog", PLOT_KM_CLOGLOG},
    };
    if (!text) return true;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (strcmp(text, names[k].name) == 0) return *fun = names[k].fun, true;
    return false;
}

static bool parse_ci(const char *text, plot_km_ci *ci)
{
    static const struct { const char *name; plot_km_ci ci; } names[] = {
        {"auto", PLOT_KM_CI_AUTO}, {"yes", PLOT_KM_CI_ON},  {"true", PLOT_KM_CI_ON},
        {"on", PLOT_KM_CI_ON},     {"no", PLOT_KM_CI_OFF},  {"false", PLOT_KM_CI_OFF},
        {"off", PLOT_KM_CI_OFF},
    };
    if (!text) return true;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (strcmp(text, names[k].name) == 0) return *ci = names[k].ci, true;
    return false;
}

survkit_status plot_km_request_check(const plot_km_request *req, plot_km_options *opt,
                                     survkit_error *err)
{
    plot_km_options o;
    plot_km_options_init(&o);
    survkit_status status = plot_check_file_and_size(req->path, req->width, req->height, err);
    if (status != SURVKIT_OK) return status;
    if (!parse_fun(req->fun, &o.fun))
        return plot_error(err, SURVKIT_ERR_ARGUMENT,
                          "--plot-fun '%s': expected surv, event, cumhaz or cloglog", req->fun);
    if (!parse_ci(req->ci, &o.ci))
        return plot_error(err, SURVKIT_ERR_ARGUMENT, "--plot-ci '%s': expected auto, yes or no",
                          req->ci);
    if (!(req->x_break >= 0 && isfinite(req->x_break)))
        return plot_error(err, SURVKIT_ERR_ARGUMENT, "--plot-break must be a positive number");
    if (!(req->x_max >= 0 && isfinite(req->x_max)))
        return plot_error(err, SURVKIT_ERR_ARGUMENT, "--plot-xmax must be a positive number");
    o.title = req->title;
    o.xlab = req->xlab;
    o.ylab = req->ylab;
    o.width = req->width;
    o.height = req->height;
    o.x_break = req->x_break;
    o.x_max = req->x_max;
    o.medians = req->median;
    o.risk_table = !req->no_risk_table;
    o.censor_ticks = !req->no_censor_marks;
    if (req->conf_level > 0 && req->conf_level < 1) o.conf_level = req->conf_level;
    if (opt) *opt = o;
    return SURVKIT_OK;
}

bool plot_km_request_has_options(const plot_km_request *req)
{
    return req->fun || req->ci || req->title || req->xlab || req->ylab || req->width != 0 ||
           req->height != 0 || req->x_break != 0 || req->x_max != 0 || req->median || req->no_risk_table ||
           req->no_censor_marks;
}

survkit_status plot_km_write(const plot_km_request *req, const plot_km_curve *curves,
                             size_t n_curves, survkit_error *err)
{
    plot_km_options opt;
    survkit_status status = plot_km_request_check(req, &opt, err);
    if (status != SURVKIT_OK) return status;
    plot_figure *fig = NULL;
    status = plot_km_figure_build(curves, n_curves, &opt, &fig, err);
    if (status == SURVKIT_OK) status = plot_render_file_to(fig, req->path, req->stream, err);
    plot_figure_free(fig);
    return status;
}

void plot_km_curves_from_fit(const survkit_km *km, plot_km_curve *curves)
{
    for (size_t g = 0; g < survkit_km_n_groups(km); g++) {
        double median[3];
        survkit_km_median(km, g, median);
        curves[g] = (plot_km_curve){
            .label = survkit_km_group_label(km, g),
            .n = survkit_km_n_times(km, g),
            .time = survkit_km_column_values(km, g, SURVKIT_KM_TIME),
            .n_risk = survkit_km_column_values(km, g, SURVKIT_KM_N_RISK),
            .n_event = survkit_km_column_values(km, g, SURVKIT_KM_N_EVENT),
            .n_censor = survkit_km_column_values(km, g, SURVKIT_KM_N_CENSOR),
            .surv = survkit_km_column_values(km, g, SURVKIT_KM_SURV),
            .std_err = survkit_km_column_values(km, g, SURVKIT_KM_STD_ERR),
            .lower = survkit_km_column_values(km, g, SURVKIT_KM_LOWER),
            .upper = survkit_km_column_values(km, g, SURVKIT_KM_UPPER),
            .cumhaz = survkit_km_column_values(km, g, SURVKIT_KM_CUMHAZ),
            .std_chaz = survkit_km_column_values(km, g, SURVKIT_KM_STD_CHAZ),
            .median = median[0],
        };
    }
}

survkit_status plot_km_write_fit(const plot_km_request *req, const survkit_km *km,
                                 survkit_error *err)
{
    const size_t n = survkit_km_n_groups(km);
    plot_km_curve *curves = calloc(n ? n : 1, sizeof *curves);
    if (!curves) return plot_error(err, SURVKIT_ERR_NOMEM, "plot: out of memory");
    plot_km_curves_from_fit(km, curves);
    survkit_status status = plot_km_write(req, curves, n, err);
    free(curves);
    return status;
}
