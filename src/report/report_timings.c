/* report_timings.c: the "timings" object of the JSON reports. */
#include "report_timings.h"

void report_timings_json(json_writer *w, const double *timings)
{
    if (timings == NULL) return;
    static const char *const keys[REPORT_TIMINGS_LEN] = {
        "read_s",      "frame_s",      "fit_s",      "total_s",
        "read_faults", "frame_faults", "fit_faults", "total_faults",
        "read_peak_mb", "frame_peak_mb", "fit_peak_mb", "total_peak_mb",
        "read_fresh_mb", "frame_fresh_mb", "fit_fresh_mb", "total_fresh_mb"};
    json_object_begin(w, "timings");
    for (int k = 0; k < REPORT_TIMINGS_LEN; k++) json_number(w, keys[k], timings[k]);
    json_object_end(w);
}
