/*
 * frame_pending.c: TEMPORARY weak stand-ins for the model-frame getters, so that the km branch
 * links before the formula/frame work lands on main. Weak definitions yield to the real ones;
 * delete this file once src/formula defines the getters (survkit_frame_build fails until then, so
 * none of these is ever reached with a real frame).
 */
#include "core/internal.h"

#define SK_PENDING __attribute__((weak))

SK_PENDING size_t survkit_frame_n(const survkit_frame *f) { (void)f; return 0; }
SK_PENDING survkit_response_kind survkit_frame_response_kind(const survkit_frame *f)
{
    (void)f;
    return SURVKIT_RESPONSE_RIGHT;
}
SK_PENDING const double *survkit_frame_start(const survkit_frame *f) { (void)f; return NULL; }
SK_PENDING const double *survkit_frame_time(const survkit_frame *f) { (void)f; return NULL; }
SK_PENDING const double *survkit_frame_status(const survkit_frame *f) { (void)f; return NULL; }
SK_PENDING const double *survkit_frame_weights(const survkit_frame *f) { (void)f; return NULL; }
SK_PENDING const int32_t *survkit_frame_strata(const survkit_frame *f) { (void)f; return NULL; }
SK_PENDING size_t survkit_frame_n_strata(const survkit_frame *f) { (void)f; return 0; }
SK_PENDING const char *survkit_frame_strata_label(const survkit_frame *f, size_t k)
{
    (void)f, (void)k;
    return NULL;
}
SK_PENDING const int32_t *survkit_frame_groups(const survkit_frame *f) { (void)f; return NULL; }
SK_PENDING size_t survkit_frame_n_groups(const survkit_frame *f) { (void)f; return 0; }
SK_PENDING const char *survkit_frame_group_label(const survkit_frame *f, size_t k)
{
    (void)f, (void)k;
    return NULL;
}
SK_PENDING size_t survkit_frame_n_dropped(const survkit_frame *f) { (void)f; return 0; }
