/* quad_form.c: x' V x (quad_form.h). Four of the sums t_k run side by side: a single sum of p^2
 * terms waits on every addition, which made it most of a prediction's time at 1M rows (each sum
 * keeps its own order, so the result does not depend on the grouping). */
#include "core/quad_form.h"

double sk_quad_form(const double *v, const double *x, size_t p)
{
    double q = 0;
    size_t k = 0;
    for (; k + 4 <= p; k += 4) {
        const double *v0 = v + k * p, *v1 = v0 + p, *v2 = v1 + p, *v3 = v2 + p;
        double t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        for (size_t j = 0; j < p; j++) {
            const double xj = x[j];
            t0 += xj * v0[j], t1 += xj * v1[j], t2 += xj * v2[j], t3 += xj * v3[j];
        }
        q += t0 * x[k], q += t1 * x[k + 1], q += t2 * x[k + 2], q += t3 * x[k + 3];
    }
    for (; k < p; k++) {
        double t = 0;
        for (size_t j = 0; j < p; j++) t += x[j] * v[j + k * p];
        q += t * x[k];
    }
    return q;
}
