/* ipw_plot.c: the --plot-* option values of `survkit ipw` turned into a picture file. */
#include "ipw_plot.h"
#include "render.h"

#include <math.h>
#include <string.h>

survkit_status plot_ipw_request_check(const plot_ipw_request *req, plot_ipw_options *opt,
                                      survkit_error *err)
{
    plot_ipw_options o = {0};
    survkit_status status = plot_check_file_and_size(req->path, req->width, req->height, err);
    if (status != SURVKIT_OK) return status;
    static const struct { const char *name; plot_ipw_kind kind; } kinds[] = {
        {"both", PLOT_IPW_BOTH}, {"love", PLOT_IPW_LOVE}, {"ps", PLOT_IPW_PS}};
    bool known = req->kind == NULL;
    for (size_t k = 0; !known && k < sizeof kinds / sizeof kinds[0]; k++)
        if (strcmp(req->kind, kinds[k].name) == 0) o.kind = kinds[k].kind, known = true;
    if (!known)
        return plot_error(err, SURVKIT_ERR_ARGUMENT, "--plot-kind '%s': expected both, love or ps",
                          req->kind);
    if (!(req->threshold >= 0 && isfinite(req->threshold)))
        return plot_error(err, SURVKIT_ERR_ARGUMENT, "--plot-threshold must be a positive number");
    if (req->bins != 0 && (req->bins < 1 || req->bins > 1000))
        return plot_error(err, SURVKIT_ERR_ARGUMENT, "--plot-bins must lie in 1..1000, not %ld",
                          req->bins);
    if (req->kind && o.kind == PLOT_IPW_PS && req->threshold != 0)
        return plot_error(err, SURVKIT_ERR_ARGUMENT,
                          "--plot-threshold belongs to the love plot, not to --plot-kind ps");
    if (req->kind && o.kind == PLOT_IPW_LOVE && req->bins != 0)
        return plot_error(err, SURVKIT_ERR_ARGUMENT,
                          "--plot-bins belongs to the histograms, not to --plot-kind love");
    o.threshold = req->threshold;
    o.bins = (size_t)req->bins;
    o.title = req->title;
    o.width = req->width;
    o.height = req->height;
    if (opt) *opt = o;
    return SURVKIT_OK;
}

bool plot_ipw_request_has_options(const plot_ipw_request *req)
{
    return req->kind || req->title || req->threshold != 0 || req->bins != 0 || req->width != 0 ||
           req->height != 0;
}

survkit_status plot_ipw_write(const plot_ipw_request *req, const survkit_ipw_result *r,
                              const double *treated, survkit_error *err)
{
    plot_ipw_options opt;
    survkit_status status = plot_ipw_request_check(req, &opt, err);
    if (status != SURVKIT_OK) return status;
    plot_page *page = NULL;
    status = plot_ipw_page_build(r, treated, &opt, &page, err);
    if (status == SURVKIT_OK) status = plot_render_page_to(page, req->path, req->stream, err);
    plot_page_free(page);
    return status;
}
