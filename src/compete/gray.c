/*
 * gray.c: Gray's (1988) test that the cumulative incidence of one cause is the same in every
 * group, stratified, as cmprsk::cuminc(...)$Tests (its Fortran crstm/crst), from the paper's
 * score and variance.
 *
 * Within a stratum, at each distinct time with an event, per group g with R_g > 0 at risk (rows
 * not yet failed or censored), S_g- the left-continuous Kaplan-Meier of any event and F_g- the
 * left-continuous cumulative incidence of the cause, d_1g / d_2g the events of the cause / of
 * other causes, D_1 = sum_g d_1g:
 *
 *   h_g = R_g / S_g-,  tr = sum_g h_g,  tq = sum_g R_g (1 - F_g-) / S_g-,  F = F- + D_1 / tr,
 *   weight fb = (1 - F-)^rho,
 *   score  s_g += fb (d_1g - D_1 R_g (1 - F_g-) / (S_g- tq))            (groups 1..G-1)
 *   a_gg = fb h_g (1 - h_g / tr),  a_gh = -fb h_g h_h / tr,  c += a D_1 / (tr (1 - F-)).
 *
 * The variance gathers, per group k, the terms of the cause's events (t4 = 1 - (1 - F)/S_k,
 * t3 = t5 S_k- D_1 / (tr R_k) with the tie correction t5 = 1 - (D_1 - 1)/(tr S_k- - 1)) and of the
 * other causes' (t4 = (1 - F)/S_k, t3 = t5 S_k-^2 d_2k / R_k^2, t5 = 1 - (d_2k - 1)/(R_k - 1)) into
 * v, v2 and v3, and at the end v += c v3 c' + c v2 + (c v2)'. Scores and variances add over
 * strata; the statistic is s' V^-1 s on G - 1 degrees of freedom (-1 when V is singular, as
 * cmprsk's qr rank test says).
 */
#include "compete/compete_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct gray_work {
    size_t G;
    double *rs, *f1m, *f1, *skmm, *skm, *v3; /* per group */
    double *c, *a;                           /* G x G, row-major */
    double *v2;                              /* (G-1) x G */
    double *d;                               /* 3 x G: censored, cause, other at this time */
    double *vs;                              /* (G-1)^2: the stratum's v before the last terms */
} gray_work;

/* One stratum's score (added to s[G-1]) and variance (added to v[(G-1)^2]). Rows: idx[m] by time. */
static void gray_stratum(const gray_work *w, const size_t *idx, size_t m, const double *time,
                         const int8_t *cause, const int32_t *group, double rho, double *s,
                         double *v)
{
    const size_t G = w->G, G1 = G - 1;
    double *rs = w->rs, *f1m = w->f1m, *f1 = w->f1, *skmm = w->skmm, *skm = w->skm, *v3 = w->v3;
    double *c = w->c, *a = w->a, *v2 = w->v2, *d = w->d;
    for (size_t g = 0; g < G; g++) {
        rs[g] = f1m[g] = f1[g] = v3[g] = 0;
        skmm[g] = skm[g] = 1;
    }
    memset(c, 0, G * G * sizeof *c);
    memset(v2, 0, G1 * G * sizeof *v2);
    double *vs = w->vs;
    memset(vs, 0, G1 * G1 * sizeof *vs);
    for (size_t q = 0; q < m; q++) rs[group[idx[q]]] += 1;
    double fm = 0, f = 0;
    for (size_t lo = 0; lo < m;) {
        size_t hi = lo;
        memset(d, 0, 3 * G * sizeof *d);
        for (; hi < m && time[idx[hi]] == time[idx[lo]]; hi++)
            d[(size_t)cause[idx[hi]] * G + (size_t)group[idx[hi]]] += 1;
        double nd1 = 0, nd2 = 0;
        for (size_t g = 0; g < G; g++) {
            nd1 += d[G + g];
            nd2 += d[2 * G + g];
        }
        if (nd1 > 0 || nd2 > 0) {
            double tr = 0, tq = 0;
            for (size_t g = 0; g < G; g++) {
                if (rs[g] <= 0) continue;
                skm[g] = skmm[g] * (rs[g] - d[G + g] - d[2 * G + g]) / rs[g];
                f1[g] = f1m[g] + skmm[g] * d[G + g] / rs[g];
                tr += rs[g] / skmm[g];
                tq += rs[g] * (1 - f1m[g]) / skmm[g];
            }
            f = fm + nd1 / tr;
            const double fb = pow(1 - fm, rho);
            for (size_t i = 0; i < G; i++) {
                for (size_t j = i; j < G; j++) a[i * G + j] = 0;
                if (rs[i] <= 0) continue;
                double t1 = rs[i] / skmm[i];
                a[i * G + i] = fb * t1 * (1 - t1 / tr);
                if (a[i * G + i] != 0) c[i * G + i] += a[i * G + i] * nd1 / (tr * (1 - fm));
                for (size_t j = i + 1; j < G; j++) {
                    if (rs[j] <= 0) continue;
                    a[i * G + j] = -fb * t1 * rs[j] / (skmm[j] * tr);
                    if (a[i * G + j] != 0) c[i * G + j] += a[i * G + j] * nd1 / (tr * (1 - fm));
                }
            }
            for (size_t i = 1; i < G; i++)
                for (size_t j = 0; j < i; j++) {
                    a[i * G + j] = a[j * G + i];
                    c[i * G + j] = c[j * G + i];
                }
            for (size_t i = 0; i < G1; i++)
                if (rs[i] > 0) s[i] += fb * (d[G + i] - nd1 * rs[i] * (1 - f1m[i]) / (skmm[i] * tq));
            if (nd1 > 0) {
                for (size_t k = 0; k < G; k++) {
                    if (rs[k] <= 0) continue;
                    double t4 = skm[k] > 0 ? 1 - (1 - f) / skm[k] : 1;
                    double t5 = nd1 > 1 ? 1 - (nd1 - 1) / (tr * skmm[k] - 1) : 1;
                    double t3 = t5 * skmm[k] * nd1 / (tr * rs[k]);
                    v3[k] += t4 * t4 * t3;
                    for (size_t i = 0; i < G1; i++) {
                        double t1 = a[i * G + k] - t4 * c[i * G + k];
                        v2[i * G + k] += t1 * t4 * t3;
                        for (size_t j = 0; j <= i; j++)
                            vs[i * G1 + j] += t1 * (a[j * G + k] - t4 * c[j * G + k]) * t3;
                    }
                }
            }
            for (size_t k = 0; nd2 > 0 && k < G; k++) {
                double d2 = d[2 * G + k];
                if (skm[k] <= 0 || d2 <= 0) continue;
                double t4 = (1 - f) / skm[k];
                double t5 = d2 > 1 ? 1 - (d2 - 1) / (rs[k] - 1) : 1;
                double t3 = t5 * skmm[k] * skmm[k] * d2 / (rs[k] * rs[k]);
                v3[k] += t4 * t4 * t3;
                for (size_t i = 0; i < G1; i++) {
                    double t1 = t4 * c[i * G + k];
                    v2[i * G + k] -= t1 * t4 * t3;
                    for (size_t j = 0; j <= i; j++) vs[i * G1 + j] += t1 * t4 * c[j * G + k] * t3;
                }
            }
        }
        for (size_t q = lo; q < hi; q++) rs[group[idx[q]]] -= 1;
        fm = f;
        for (size_t g = 0; g < G; g++) {
            f1m[g] = f1[g];
            skmm[g] = skm[g];
        }
        lo = hi;
    }
    for (size_t i = 0; i < G1; i++)
        for (size_t j = 0; j <= i; j++) {
            double t = vs[i * G1 + j];
            for (size_t k = 0; k < G; k++)
                t += c[i * G + k] * c[j * G + k] * v3[k] + c[i * G + k] * v2[j * G + k] +
                     c[j * G + k] * v2[i * G + k];
            v[i * G1 + j] += t;
            if (j != i) v[j * G1 + i] += t;
        }
}

/*
 * s' V^-1 s by Householder QR of V, with R's qr() rank rule (a column whose remaining norm falls
 * below 1e-7 of its original norm makes V rank deficient): -1 then, as cmprsk.
 */
static double quadratic_form(double *V, const double *s, size_t k)
{
    double *norm0 = malloc(k * sizeof *norm0), *b = malloc(k * sizeof *b);
    double stat = -1;
    if (norm0 == NULL || b == NULL) goto done;
    memcpy(b, s, k * sizeof *b);
    for (size_t j = 0; j < k; j++) {
        double t = 0;
        for (size_t i = 0; i < k; i++) t += V[i * k + j] * V[i * k + j];
        norm0[j] = sqrt(t);
    }
    for (size_t j = 0; j < k; j++) { /* column j below the diagonal, V row-major */
        double t = 0;
        for (size_t i = j; i < k; i++) t += V[i * k + j] * V[i * k + j];
        double nrm = sqrt(t);
        if (!(nrm >= 1e-7 * norm0[j]) || nrm == 0) goto done;
        double alpha = V[j * k + j] > 0 ? -nrm : nrm;
        double v0 = V[j * k + j] - alpha;
        /* Householder vector u = (v0, V[j+1..k-1][j]), H = I - 2 u u' / u'u */
        double uu = v0 * v0 + t - V[j * k + j] * V[j * k + j];
        V[j * k + j] = v0;
        for (size_t c = j + 1; c < k; c++) {
            double dot = 0;
            for (size_t i = j; i < k; i++) dot += V[i * k + j] * V[i * k + c];
            double f = 2 * dot / uu;
            for (size_t i = j; i < k; i++) V[i * k + c] -= f * V[i * k + j];
        }
        double dot = 0;
        for (size_t i = j; i < k; i++) dot += V[i * k + j] * b[i];
        double f = 2 * dot / uu;
        for (size_t i = j; i < k; i++) b[i] -= f * V[i * k + j];
        V[j * k + j] = alpha; /* R's diagonal; the rest of column j is no longer read */
    }
    /* back substitution R x = Q' s, then s' x */
    for (size_t j = k; j-- > 0;) {
        double t = b[j];
        for (size_t c = j + 1; c < k; c++) t -= V[j * k + c] * b[c];
        b[j] = t / V[j * k + j];
    }
    stat = 0;
    for (size_t j = 0; j < k; j++) stat += s[j] * b[j];
done:
    free(norm0);
    free(b);
    return stat;
}

survkit_status sk_gray_test(size_t n, const double *time, const int8_t *cause,
                            const int32_t *group, size_t n_groups, const int32_t *strata,
                            size_t n_strata, double rho, const size_t *order, double *stat,
                            survkit_error *err)
{
    const size_t G = n_groups, G1 = G - 1, K = strata ? n_strata : 1;
    RETURN_ERROR_IF(G < 2, err, SURVKIT_ERR_ARGUMENT, "Gray's test needs two or more groups");
    double *buf = sk_calloc_array(6 * G + 2 * G * G + G1 * G + 3 * G + G1 + 2 * G1 * G1, sizeof(double));
    size_t *idx = sk_malloc_array(n, sizeof *idx), *count = sk_calloc_array(K + 1, sizeof *count);
    if (buf == NULL || idx == NULL || count == NULL) {
        free(buf);
        free(idx);
        free(count);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "Gray's test: out of memory");
    }
    gray_work w = {G, buf, buf + G, buf + 2 * G, buf + 3 * G, buf + 4 * G, buf + 5 * G,
                   buf + 6 * G, buf + 6 * G + G * G, buf + 6 * G + 2 * G * G,
                   buf + 6 * G + 2 * G * G + G1 * G, NULL};
    double *s = w.d + 3 * G, *v = s + G1;
    w.vs = v + G1 * G1;
    /* the rows of each stratum, in time order (a counting sort of the time order by stratum) */
    for (size_t q = 0; q < n; q++) count[(strata ? (size_t)strata[order[q]] : 0) + 1]++;
    for (size_t k = 0; k < K; k++) count[k + 1] += count[k];
    {
        size_t *next = sk_malloc_array(K, sizeof *next);
        if (next == NULL) {
            free(buf);
            free(idx);
            free(count);
            return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "Gray's test: out of memory");
        }
        memcpy(next, count, K * sizeof *next);
        for (size_t q = 0; q < n; q++) idx[next[strata ? (size_t)strata[order[q]] : 0]++] = order[q];
        free(next);
    }
    for (size_t k = 0; k < K; k++)
        gray_stratum(&w, idx + count[k], count[k + 1] - count[k], time, cause, group, rho, s, v);
    *stat = quadratic_form(v, s, G1);
    free(buf);
    free(idx);
    free(count);
    return SURVKIT_OK;
}
