/* termplot_plot.c: the --plot-* option values of `survkit cox` turned into a termplot file. */
#include "termplot_plot.h"
#include "render.h"

survkit_status plot_termplot_request_check(const plot_termplot_request *req, survkit_error *err)
{
    return plot_check_file_and_size(req->path, req->width, req->height, err);
}

bool plot_termplot_request_has_options(const plot_termplot_request *req)
{
    return req->term || req->width != 0 || req->height != 0;
}

survkit_status plot_termplot_write(const plot_termplot_request *req,
                                   const survkit_frailty_result *r, const survkit_frame *frame,
                                   survkit_error *err)
{
    survkit_status status = plot_termplot_request_check(req, err);
    if (status != SURVKIT_OK) return status;
    const plot_termplot_options opt = {req->term, req->width, req->height};
    plot_page *page = NULL;
    status = plot_termplot_page_build(r, frame, &opt, &page, err);
    if (status == SURVKIT_OK) status = plot_render_page_to(page, req->path, req->stream, err);
    plot_page_free(page);
    return status;
}
