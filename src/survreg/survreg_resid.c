/*
 * survreg_resid.c: one row of residuals.survreg's derivative matrix (R's own formulas, from the
 * density columns F, 1 - F, f, f'/f, f''/f of sk_sr_density5), which survreg.fit's derfun (the
 * starting values) and the robust variance's dfbeta residuals both use.
 *
 * With P the row's probability (1 - F(z), 1, F(z), or F(zu) - F(z) from the tail that keeps the
 * digits, for right, exact, left, interval rows) and t = 1 / P:
 *   dg  = -(t / sigma) * (-f, f'/f, f, f(zu) - f(z))
 *   ddg = (t / sigma^2) * (-f f'/f, f''/f, f f'/f, f(zu) f'/f(zu) - f(z) f'/f(z)) - dg^2
 *   ds  = dg sigma z, or t (zu f(zu) - z f(z)) for an interval row; exact rows take ds - 1.
 * (For an interval row this ds has the opposite sign of survregc1's dsig; it is R's.)
 */
#include "survreg/survreg_internal.h"

void sk_sr_resid_row(sk_sr_base base, int status, double y1, double y2, double eta, double sigma,
                     double *dg, double *ddg, double *ds)
{
    const double z = (y1 - eta) / sigma;
    double d[5], d2[5] = {0, 0, 0, 0, 0}, z2 = 0;
    sk_sr_density5(base, z, d);
    if (status == SK_SR_INTERVAL) {
        z2 = (y2 - eta) / sigma;
        sk_sr_density5(base, z2, d2);
    }
    double den, num1, num2;
    switch (status) {
    case SK_SR_RIGHT: den = d[1], num1 = 0 - d[2], num2 = 0 - d[2] * d[3]; break;
    case SK_SR_EXACT: den = 1, num1 = d[3], num2 = d[4]; break;
    case SK_SR_LEFT: den = d[0], num1 = d[2], num2 = d[2] * d[3]; break;
    default:
        den = z > 0 ? d[1] - d2[1] : d2[0] - d[0];
        num1 = d2[2] - d[2];
        num2 = d2[2] * d2[3] - d[2] * d[3];
        break;
    }
    const double t = 1 / den;
    *dg = -(t / sigma) * num1;
    if (ddg) *ddg = (t / (sigma * sigma)) * num2 - *dg * *dg;
    if (ds) {
        *ds = status < SK_SR_INTERVAL ? *dg * sigma * z : t * (z2 * d2[2] - z * d[2]);
        if (status == SK_SR_EXACT) *ds -= 1;
    }
}
