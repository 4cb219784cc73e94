/* zph_plot.c: the --plot-* option values of `survkit zph` turned into a cox.zph figure file. */
#include "zph_plot.h"
#include "render.h"

#include <math.h>

survkit_status plot_zph_request_check(const plot_zph_request *req, plot_zph_options *opt,
                                      survkit_error *err)
{
    survkit_status status = plot_check_file_and_size(req->path, req->width, req->height, err);
    if (status != SURVKIT_OK) return status;
    if (req->df != 0 && (req->df < 2 || req->df > 100))
        return plot_error(err, SURVKIT_ERR_ARGUMENT, "--plot-df must lie in 2..100, not %ld",
                          req->df);
    if (req->nsmo != 0 && (req->nsmo < 2 || req->nsmo > 100000))
        return plot_error(err, SURVKIT_ERR_ARGUMENT, "--plot-nsmo must lie in 2..100000, not %ld",
                          req->nsmo);
    if (opt)
        *opt = (plot_zph_options){.term = req->term, .df = (size_t)req->df,
                                  .nsmo = (size_t)req->nsmo, .width = req->width,
                                  .height = req->height};
    return SURVKIT_OK;
}

bool plot_zph_request_has_options(const plot_zph_request *req)
{
    return req->term || req->df != 0 || req->nsmo != 0 || req->width != 0 || req->height != 0;
}

survkit_status plot_zph_write(const plot_zph_request *req, const survkit_zph *z, bool *skipped,
                              survkit_error *err)
{
    plot_zph_options opt;
    survkit_status status = plot_zph_request_check(req, &opt, err);
    if (status != SURVKIT_OK) return status;
    plot_page *page = NULL;
    status = plot_zph_page_build(z, &opt, skipped, &page, err);
    if (status == SURVKIT_OK) status = plot_render_page_to(page, req->path, req->stream, err);
    plot_page_free(page);
    return status;
}
