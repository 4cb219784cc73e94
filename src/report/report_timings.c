/* report_timings.c: the "timings" object of the JSON reports. */
#include "report_timings.h"

void report_timings_json(json_writer *w, const double *timings)
{
    if (timings == NULL) return;
    static const char *const keys[4] = {"read_s", "frame_s", "fit_s", "total_s"};
    json_object_begin(w, "timings");
    for (int k = 0; k < 4; k++) json_number(w, keys[k], timings[k]);
    json_object_end(w);
}
