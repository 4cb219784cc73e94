/*
 * quad_form.h: x' V x for one row at a time (the standard error of a prediction), as R's
 * rowSums((x %*% V) * x).
 */
#ifndef SURVKIT_QUAD_FORM_H
#define SURVKIT_QUAD_FORM_H

#include <stddef.h>

/* x' V x, V p x p column-major and symmetric: t_k = sum_j x_j V_jk in j order, then the sum over
 * k of t_k x_k in k order. */
double sk_quad_form(const double *v, const double *x, size_t p);

#endif
