/*
 * vlog.h: log() of a whole array, for survreg's log-likelihood terms (a log a row an evaluation,
 * the largest single cost of its row kernel with the C library's log). Vectorised where the
 * processor allows it (vlog.c), within one unit in the last place of the C library's log, and
 * log(1) = 0 exactly.
 */
#ifndef SURVKIT_VLOG_H
#define SURVKIT_VLOG_H

#include <stddef.h>

/* y[i] = log(x[i]) for i < n (y may be x). */
void sk_log_array(const double *x, double *y, size_t n);

#endif /* SURVKIT_VLOG_H */
