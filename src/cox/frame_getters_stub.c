/*
 * frame_getters_stub.c: the model-frame getters the Cox module calls, until the formula work
 * (src/formula) is merged; the integrator deletes this file then. survkit_frame_build of the
 * skeleton's stub never returns a frame, so these are never reached with a real one.
 */
#include "core/internal.h"

size_t survkit_frame_n(const survkit_frame *f) { (void)f; return 0; }
size_t survkit_frame_n_dropped(const survkit_frame *f) { (void)f; return 0; }
size_t survkit_frame_p(const survkit_frame *f) { (void)f; return 0; }
const double *survkit_frame_start(const survkit_frame *f) { (void)f; return NULL; }
const double *survkit_frame_time(const survkit_frame *f) { (void)f; return NULL; }
const double *survkit_frame_status(const survkit_frame *f) { (void)f; return NULL; }
const double *survkit_frame_x(const survkit_frame *f) { (void)f; return NULL; }
const char *survkit_frame_column_name(const survkit_frame *f, size_t j) { (void)f, (void)j; return NULL; }
const double *survkit_frame_weights(const survkit_frame *f) { (void)f; return NULL; }
const double *survkit_frame_offset(const survkit_frame *f) { (void)f; return NULL; }
const int32_t *survkit_frame_strata(const survkit_frame *f) { (void)f; return NULL; }
size_t survkit_frame_n_strata(const survkit_frame *f) { (void)f; return 0; }
const int32_t *survkit_frame_cluster(const survkit_frame *f) { (void)f; return NULL; }
size_t survkit_frame_n_clusters(const survkit_frame *f) { (void)f; return 0; }
