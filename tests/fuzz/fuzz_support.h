/*
 * fuzz_support.h: what the fuzz targets share: reading every value a result object exposes (so the
 * sanitizers see any out-of-bounds or uninitialised value behind a getter), and the entry point
 * every target defines. Targets call only the public API, as a program using libsurvkit would.
 */
#ifndef SURVKIT_FUZZ_SUPPORT_H
#define SURVKIT_FUZZ_SUPPORT_H

#include <survkit/survkit.h>

#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry point; tests/fuzz/replay.c calls it without libFuzzer. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read every column, level and name of a table; returns a checksum (to keep the reads). */
double fuzz_touch_table(const survkit_table *t);
/* Read every array, name and label of a frame. */
double fuzz_touch_frame(const survkit_frame *f);
/* Fit Kaplan-Meier curves and a log-rank test to a frame, and read their results. */
double fuzz_fit_km_logrank(const survkit_frame *f);
/* Fit a Cox model (Efron, or Breslow when `breslow`) to a frame built without groups, and read it. */
double fuzz_fit_cox(const survkit_frame *f, int breslow);
/* Abort (a finding) when a failed call left no message: every error must explain itself. */
void fuzz_check_error(survkit_status status, const survkit_error *err);

#endif /* SURVKIT_FUZZ_SUPPORT_H */
