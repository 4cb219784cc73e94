/*
 * frailty_gamma.c: the pieces of R's gamma frailty (frailty.gamma, method "em") that are not the
 * Newton iteration: the penalty, the correction that turns the penalised partial likelihood into
 * the integrated likelihood R prints (frailty.gammacon), and the choice of the next theta
 * (frailty.controlgam with frailty.brent).
 *
 * Penalty (pfun), nu = 1/theta: recentre w = f - log(mean(exp(f))), then
 *     first  = (exp(w) - 1) nu,  second = exp(w) nu,  penalty = -nu sum(w)
 * (the exp part of nu sum(exp(w) - w) is the constant G after recentring); theta = 0 holds the
 * frailties at 0.
 * Correction, d_g the events of group g (unweighted), D = max d:
 *     term1 = sum_g (d_g + nu log(nu / (nu + d_g)))   (sum d_g^2 / nu when nu > 1e7 D)
 *     term2 = sum_k log(num_k / den_k), num: for j = 1..D, #{g: d_g >= j} copies of nu + j - 1;
 *             den: for j = 1..D, j #{g: d_g = j} copies of nu + j (paired element by element)
 */
#include "cox/penal_internal.h"

#include <math.h>
#include <stdlib.h>

double sk_frailty_gammacon(const double *d, size_t G, double nu)
{
    double maxd = 0;
    for (size_t g = 0; g < G; g++) if (d[g] > maxd) maxd = d[g];
    double term1 = 0;
    if (nu > 1e7 * maxd) {
        for (size_t g = 0; g < G; g++) term1 += d[g] * d[g];
        term1 /= nu;
    } else {
        for (size_t g = 0; g < G; g++) term1 += d[g] + nu * log(nu / (nu + d[g]));
    }
    const size_t D = (size_t)maxd;
    if (D == 0) return term1;
    size_t *tbl = calloc(D + 2, sizeof(size_t)); /* tbl[j] = #{g: d_g = j} */
    if (tbl == NULL) return NAN;
    for (size_t g = 0; g < G; g++)
        if (d[g] > 0) tbl[(size_t)d[g]]++;
    size_t *ctbl = calloc(D + 2, sizeof(size_t)); /* ctbl[j] = #{g: d_g >= j} */
    if (ctbl == NULL) {
        free(tbl);
        return NAN;
    }
    for (size_t j = D; j >= 1; j--) ctbl[j] = ctbl[j + 1] + tbl[j];
    /* walk the two sequences together */
    size_t jn = 1, cn = 0, jd = 1, cd = 0;
    double term2 = 0;
    for (;;) {
        while (jn <= D && cn == ctbl[jn]) jn++, cn = 0;
        while (jd <= D && cd == tbl[jd] * jd) jd++, cd = 0;
        if (jn > D || jd > D) break;
        term2 += log((nu + (double)(jn - 1)) / (nu + (double)jd));
        cn++, cd++;
    }
    free(tbl), free(ctbl);
    return term1 + term2;
}

void sk_frailty_order(const double *x, size_t n, size_t *ord)
{
    for (size_t i = 0; i < n; i++) ord[i] = i;
    for (size_t i = 1; i < n; i++) /* insertion: stable as R's order(), n is a few outer fits */
        for (size_t j = i; j > 0 && x[ord[j - 1]] > x[ord[j]]; j--) {
            size_t t = ord[j];
            ord[j] = ord[j - 1];
            ord[j - 1] = t;
        }
}

/* R's frailty.brent(x, y, lower = 0): the next guess for the maximum of y(x). */
double sk_frailty_brent(const double *x, const double *y, size_t n)
{
    if (n < 3) {
        double s = 0;
        for (size_t i = 0; i < n; i++) s += x[i];
        return s / (double)n;
    }
    size_t *ord = malloc(n * sizeof *ord);
    if (ord == NULL) return NAN;
    sk_frailty_order(x, n, ord);
    double ymax = -INFINITY;
    for (size_t i = 0; i < n; i++) if (y[i] > ymax) ymax = y[i];
    size_t best = n, nbest = 0;
    for (size_t i = 0; i < n; i++)
        if (y[ord[i]] == ymax) best = i, nbest++;
    double out;
    const double x0 = x[ord[0]], x1 = x[ord[1]], xn = x[ord[n - 1]], xn1 = x[ord[n - 2]];
    if (nbest != 1) out = NAN; /* R: "Ties for max(y), I surrender" */
    else if (best == 0) {
        out = x0 - 3 * (x1 - x0);
        if (out < 0) { /* lower = 0: a tenth of the way to the smallest x above it */
            double above = INFINITY;
            for (size_t i = 0; i < n; i++) if (x[i] > 0 && x[i] < above) above = x[i];
            out = above / 10;
        }
    } else if (best == n - 1) {
        out = xn + 3 * (xn - xn1);
    } else {
        const double a = x[ord[best - 1]], b = x[ord[best]], c = x[ord[best + 1]];
        const double ya = y[ord[best - 1]], yb = y[ord[best]], yc = y[ord[best + 1]];
        const double t1 = (b - a) * (b - a) * (yb - yc) - (b - c) * (b - c) * (yb - ya);
        const double t2 = (b - a) * (yb - yc) - (b - c) * (yb - ya);
        out = b - 0.5 * t1 / t2;
        if (out < a || out > c ||
            (n > 4 && (out - x[n - 1]) > 0.5 * fabs(x[n - 2] - x[n - 3]))) {
            if ((b - a) > (c - b)) out = b - 0.38 * (b - a);
            else out = b + 0.32 * (c - b);
        }
    }
    free(ord);
    return out;
}
