/* report_timings.h: the "timings" object every command's JSON carries with --timings. */
#ifndef SURVKIT_REPORT_TIMINGS_H
#define SURVKIT_REPORT_TIMINGS_H

#include "json.h"

/* "timings": {"read_s": ..., "frame_s": ..., "fit_s": ..., "total_s": ...} from timings[4]
 * (read, frame, fit, total seconds; NaN, written null, for a stage the command does not have).
 * Nothing when timings is NULL. */
void report_timings_json(json_writer *w, const double *timings);

#endif
