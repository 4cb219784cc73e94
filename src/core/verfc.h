/*
 * verfc.h: erfc() of a whole array, for the normal (log-normal) survreg's censored rows (an erfc a
 * censored row an evaluation, with the exp it calls the largest single cost of the log-normal row
 * kernel with the C library's erfc). Vectorised where the processor allows it (verfc.c), within a
 * few units in the last place of the C library's erfc (tests/unit/test_verfc.c: 1e-15 relative).
 */
#ifndef SURVKIT_VERFC_H
#define SURVKIT_VERFC_H

#include <stddef.h>

/* y[i] = erfc(x[i]) for i < n (y may be x). */
void sk_erfc_array(const double *x, double *y, size_t n);

#endif /* SURVKIT_VERFC_H */
