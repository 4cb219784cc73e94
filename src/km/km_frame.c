/* km_frame.c: the Kaplan-Meier and log-rank entry points that take a model frame. */
#include "core/internal.h"

#include <stdlib.h>

/* The frame's group labels as an array (owned by the frame; the array is the caller's to free). */
static const char **frame_group_labels(const survkit_frame *frame, size_t k)
{
    const char **labels = sk_malloc_array(k, sizeof *labels);
    if (labels != NULL)
        for (size_t g = 0; g < k; g++) labels[g] = survkit_frame_group_label(frame, g);
    return labels;
}

survkit_status survkit_km_fit_frame(const survkit_frame *frame, const survkit_km_options *opt,
                                    survkit_km **out, survkit_error *err)
{
    RETURN_ERROR_IF(frame == NULL || out == NULL, err, SURVKIT_ERR_ARGUMENT, "km: no frame");
    size_t k = survkit_frame_n_groups(frame);
    RETURN_ERROR_IF(k == 0, err, SURVKIT_ERR_ARGUMENT,
                    "km: the frame was built without groups (survkit_frame_options.groups = 0)");
    const char **labels = frame_group_labels(frame, k);
    RETURN_ERROR_IF(labels == NULL, err, SURVKIT_ERR_NOMEM, "km: out of memory");
    survkit_status status = survkit_km_fit(
        survkit_frame_n(frame), survkit_frame_start(frame), survkit_frame_time(frame),
        survkit_frame_status(frame), survkit_frame_weights(frame), survkit_frame_groups(frame), k,
        labels, opt, out, err);
    free(labels);
    return status;
}

survkit_status survkit_logrank_test_frame(const survkit_frame *frame,
                                          const survkit_logrank_options *opt,
                                          survkit_logrank **out, survkit_error *err)
{
    RETURN_ERROR_IF(frame == NULL || out == NULL, err, SURVKIT_ERR_ARGUMENT, "logrank: no frame");
    RETURN_ERROR_IF(survkit_frame_response_kind(frame) != SURVKIT_RESPONSE_RIGHT, err,
                    SURVKIT_ERR_ARGUMENT, "logrank: right censored data only (as R's survdiff)");
    RETURN_ERROR_IF(survkit_frame_weights(frame) != NULL, err, SURVKIT_ERR_ARGUMENT,
                    "logrank: case weights are not supported (R's survdiff has none)");
    size_t k = survkit_frame_n_groups(frame);
    RETURN_ERROR_IF(k == 0, err, SURVKIT_ERR_ARGUMENT,
                    "logrank: the frame was built without groups (survkit_frame_options.groups = 0)");
    const char **labels = frame_group_labels(frame, k);
    RETURN_ERROR_IF(labels == NULL, err, SURVKIT_ERR_NOMEM, "logrank: out of memory");
    survkit_status status = survkit_logrank_test(
        survkit_frame_n(frame), survkit_frame_time(frame), survkit_frame_status(frame),
        survkit_frame_groups(frame), k, survkit_frame_strata(frame), survkit_frame_n_strata(frame),
        labels, opt, out, err);
    free(labels);
    return status;
}
