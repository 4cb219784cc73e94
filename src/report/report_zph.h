/*
 * report_zph.h: cox.zph as R's print(cox.zph) prints it, as the JSON object of the CLI contract,
 * as CSV of the table, and the scaled Schoenfeld residuals as CSV for plotting.
 */
#ifndef SURVKIT_REPORT_ZPH_H
#define SURVKIT_REPORT_ZPH_H

#include <survkit/survkit.h>

#include <stdio.h>

void report_zph_text(FILE *out, const survkit_zph *z);
/* timings: read, frame, fit, total seconds for the "timings" object, or NULL for none. */
void report_zph_json(FILE *out, const survkit_zph *z, const char *const *warnings,
                     size_t n_warnings, const double *timings);
void report_zph_csv(FILE *out, const survkit_zph *z);
/* time, transformed time, [stratum label], one column per term; NA for R's NA. Rows made on two
 * threads (csv_rows.h). Returns false when memory or the output fails. */
bool report_zph_residuals_csv(FILE *out, const survkit_zph *z, const survkit_cox_model *m);

#endif
