/*
 * survreg_rows.h: survregc1's row terms for a block of rows at once (survreg_rows.c), the
 * evaluation pass's per-row work in loops without branches.
 */
#ifndef SURVKIT_SURVREG_ROWS_H
#define SURVKIT_SURVREG_ROWS_H

#include "survreg/survreg_internal.h"

/* Rows a block may have at most (the scratch is sized for it). */
enum { SK_SR_ROWS_MAX = 512 };

/* Doubles of scratch sk_sr_rows_block needs. */
size_t sk_sr_rows_scratch_size(void);

/* The scales at the point evaluated, one entry per stratum (or the one, or the fixed, scale):
 * sigma, 1 / sigma and R's log(sigma). */
typedef struct sk_sr_scales {
    const double *sigma, *inv, *log;
} sk_sr_scales;

/* The block's terms (the caller's arrays of SK_SR_ROWS_MAX values; written up to nb rounded up to
 * a multiple of four, the rows past nb as zeros): with w the row's weight,
 *   gw = w g;  and when derivatives are asked:
 *   a = w dg, c = -w ddg, e = -w dsg   (for X' a, X' diag(c) X and the scale column X' e),
 *   ds = w dsig, dss = -w ddsig        (the scale's score and information, summed by stratum),
 *   and with J'J also jd = w dg^2, js = w dsig dg, jss = w dsig^2.
 * Arrays not asked for may be NULL. */
typedef struct sk_sr_rows_out {
    double *gw, *a, *c, *e, *ds, *dss, *jd, *js, *jss;
} sk_sr_rows_out;

/* Rows lo .. lo+nb-1 (nb <= SK_SR_ROWS_MAX) at the linear predictor eta (nb values). */
void sk_sr_rows_block(const sk_sr_problem *pb, const sk_sr_scales *sc, size_t lo, size_t nb,
                      const double *eta, bool deriv, bool want_jj, double *scratch,
                      const sk_sr_rows_out *out);

#endif /* SURVKIT_SURVREG_ROWS_H */
