/* cuminc_plot.c: the --plot-* option values of `survkit cuminc` turned into a picture file; the
 * options km shares are checked by km_plot.c. */
#include "cuminc_plot.h"
#include "render.h"

survkit_status plot_cuminc_request_check(const plot_cuminc_request *req, plot_cuminc_options *opt,
                                         survkit_error *err)
{
    plot_cuminc_options o;
    plot_cuminc_options_init(&o);
    survkit_status status = plot_km_request_check(&req->km, &o.km, err);
    if (status != SURVKIT_OK) return status;
    if (req->stacked && req->km.ci)
        return plot_error(err, SURVKIT_ERR_ARGUMENT,
                          "--plot-ci does not go with --plot-stacked (the states' areas are drawn)");
    if (req->stacked && req->km.no_censor_marks)
        return plot_error(err, SURVKIT_ERR_ARGUMENT,
                          "--plot-no-censor-marks does not go with --plot-stacked (it has none)");
    o.km.fun = PLOT_KM_STATE;
    o.stacked = req->stacked;
    if (opt) *opt = o;
    return SURVKIT_OK;
}

bool plot_cuminc_request_has_options(const plot_cuminc_request *req)
{
    return req->stacked || plot_km_request_has_options(&req->km);
}

survkit_status plot_cuminc_write(const plot_cuminc_request *req, const survkit_cuminc *fit,
                                 survkit_error *err)
{
    plot_cuminc_options opt;
    survkit_status status = plot_cuminc_request_check(req, &opt, err);
    if (status != SURVKIT_OK) return status;
    plot_page *page = NULL;
    status = plot_cuminc_page_build(fit, &opt, &page, err);
    if (status == SURVKIT_OK)
        status = plot_render_page_to(page, req->km.path, req->km.stream, err);
    plot_page_free(page);
    return status;
}
