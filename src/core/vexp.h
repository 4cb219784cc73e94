/*
 * vexp.h: exp() of a whole array, for the risks exp(eta_i) of the Cox passes (a million calls an
 * evaluation at a million rows, the largest single cost of pass 1 with the C library's exp).
 * Vectorised where the processor allows it (vexp.c), within one unit in the last place of the C
 * library's exp; so the last bit of a risk may differ from R's, which calls the C library.
 */
#ifndef SURVKIT_VEXP_H
#define SURVKIT_VEXP_H

#include <stddef.h>

/* y[i] = exp(x[i]) for i < n (y may be x). */
void sk_exp_array(const double *x, double *y, size_t n);

#endif /* SURVKIT_VEXP_H */
