/*
 * glm_frame.c: a binomial GLM from a model frame: R's model.matrix with its "(Intercept)" column
 * first (the frame's X has none: the intercept enters as a column of ones that is never stored, the
 * frame's columns are used in place), the frame's weights, offset() and cluster(), and errors that
 * name the data file's line rather than the frame's row.
 */
#include "glm/glm_internal.h"

#include <stdlib.h>
#include <string.h>

survkit_status survkit_glm_fit_frame(const survkit_frame *frame, const survkit_glm_options *opt,
                                     survkit_glm_result **out, survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL || frame == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "survkit_glm_fit_frame: NULL argument");
    *out = NULL;
    RETURN_ERROR_IF(survkit_frame_response_kind(frame) != SURVKIT_RESPONSE_BINARY, err,
                    SURVKIT_ERR_ARGUMENT,
                    "the frame was not built for a binomial model (frame option binary_response)");
    RETURN_ERROR_IF(!survkit_frame_intercept(frame), err, SURVKIT_ERR_ARGUMENT,
                    "a binomial model without an intercept (- 1 or + 0 in the formula) is not "
                    "supported: R codes its factors differently; keep the intercept");
    const size_t n = survkit_frame_n(frame), q = survkit_frame_p(frame), p = q + 1;
    /* X is [1 | the frame's X]: the intercept as a NULL column, the others used in place */
    const double **cols = sk_malloc_array(p, sizeof *cols);
    const char **names = sk_malloc_array(p, sizeof *names);
    if (cols == NULL || names == NULL) {
        free(cols), free(names);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    const double *x = survkit_frame_x(frame);
    cols[0] = NULL;
    names[0] = "(Intercept)";
    for (size_t j = 0; j < q; j++) {
        cols[j + 1] = x + j * n;
        names[j + 1] = survkit_frame_column_name(frame, j);
    }
    survkit_glm_data d = {
        .n = n, .p = p, .y = survkit_frame_status(frame), .x = NULL, .names = names,
        .intercept = true, .weights = survkit_frame_weights(frame),
        .offset = survkit_frame_offset(frame), .cluster = survkit_frame_cluster(frame),
        .n_clusters = survkit_frame_n_clusters(frame)};
    survkit_status status = sk_glm_fit(&d, cols, opt, out, err);
    if (status != SURVKIT_OK && err != NULL && err->line > 0 && err->line <= n)
        err->line = survkit_frame_row_index(frame)[err->line - 1] + 2; /* the data file's line */
    free(cols);
    free(names);
    return status;
}
