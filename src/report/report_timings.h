/* report_timings.h: the "timings" object every command's JSON carries with --timings. */
#ifndef SURVKIT_REPORT_TIMINGS_H
#define SURVKIT_REPORT_TIMINGS_H

#include "json.h"

/* The length of a timings array: read, frame, fit, total seconds; the same stages' minor page
 * faults; their peak resident set in MB at the stage's end; the fresh memory each touched, in MB
 * (the growth of the anonymous resident set over the stage). */
enum { REPORT_TIMINGS_LEN = 16 };

/* "timings": {"read_s": ..., "frame_s": ..., "fit_s": ..., "total_s": ..., "read_faults": ...,
 * ..., "total_faults": ..., "read_peak_mb": ..., ..., "total_peak_mb": ..., "read_fresh_mb": ..., ..., "total_fresh_mb": ...} from
 * timings[REPORT_TIMINGS_LEN] (NaN, written null, for a stage the command does not have).
 * Nothing when timings is NULL. */
void report_timings_json(json_writer *w, const double *timings);

#endif
