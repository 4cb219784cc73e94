/*
 * survreg_plot.h: `survkit survreg --plot FILE`: the Kaplan-Meier curve of each stratum (all rows
 * when there are none) with the model's fitted survival averaged over the stratum's rows drawn
 * over it as a line (R: lines(...) over plot(survfit(...)) with 1 - psurvreg averaged over the
 * rows). Right-censored fits only (a Kaplan-Meier estimate needs them).
 */
#ifndef SURVKIT_PLOT_SURVREG_PLOT_H
#define SURVKIT_PLOT_SURVREG_PLOT_H

#include <survkit/survkit.h>

/* Draw into `path` (.png, .svg or .pdf). frame: the frame the fit was made from. */
survkit_status plot_survreg_write(const char *path, const survkit_survreg_result *fit,
                                  const survkit_frame *frame, survkit_error *err);

#endif /* SURVKIT_PLOT_SURVREG_PLOT_H */
