/*
 * survreg_rows.c: survregc1's log-likelihood and derivatives (survreg_row.h gives them row by
 * row) for a block of rows, in stages that are each one loop without branches, so that the
 * compiler vectorises them (four rows at a time with AVX2, chosen at run time):
 *
 * 1. z = (y - eta) / sigma as (y - eta) * (1 / sigma), 1 / sigma per stratum computed once.
 * 2. The lower end's density values funs[0..3] of each row (survregc1's which = 1 for an exact
 *    row, else 2), with the exponentials of the block through core/vexp.c:
 *      extreme value: w = e^z (z clamped to [-200, 200]), t = exp(-w);
 *      logistic:      w = exp(-|z|);
 *      normal:        f = exp(-z^2 / 2) / sqrt(2 pi), and for the censored rows only (gathered
 *                     in a list) the smaller tail erfc(|z| / sqrt 2) / 2 (core/verfc.c), the
 *                     other 1 minus it.
 *    Exact and censored rows' values are both formed and one selected, instead of a branch.
 * 3. With P the probability term (f exact, 1 - F right, F left) and, for censored rows, its
 *    reciprocal taken once: temp = s funs[2] / P / sigma, temp2 = s funs[3] / P / sigma^2 (s = -1
 *    for right censoring; no division by P for an exact row), then survregc1's
 *      dg = -temp, dsig = -temp sz, ddg = temp2 - dg^2, dsg = sz temp2 - dg (dsig + 1),
 *      ddsig = sz^2 temp2 - dsig (1 + dsig)  (an exact row's dsig less 1),
 *    g = log P (core/vlog.c, a block at a time) less log sigma for an exact row; a row whose P
 *    is 0 gets survregc1's g = -200 and derivatives that only trigger step halving.
 * 4. Interval rows (only in an interval response) are redone one by one by survreg_row.h.
 * A multiplication by 1 / sigma or 1 / P where survregc1 divides moves a value by an ulp or so;
 * the fits agree with R's to the goldens' 1e-9 and take R's iterations.
 */
#include "survreg/survreg_rows.h"
#include "survreg/survreg_row.h"

#include "core/verfc.h"
#include "core/vexp.h"
#include "core/vlog.h"

#include <math.h>

#include <stdint.h>
#include <string.h>

#define SPI_INV (1 / 2.506628274631001) /* 1 / survregc1's sqrt(2 pi) */
#define ROOT_2 1.414213562373095        /* survregc1's sqrt(2) */

/* The scratch arrays, SK_SR_ROWS_MAX doubles each. */
enum { S_KIND, S_W, S_SZ, S_Z, S_ISIG, S_LSIG, S_F0, S_F1, S_F2, S_F3, S_T1, S_T2, S_LG, S_IDX,
       N_SCRATCH };
#define ARR(s, k) ((s) + (size_t)(k) * SK_SR_ROWS_MAX)

size_t sk_sr_rows_scratch_size(void) { return (size_t)N_SCRATCH * SK_SR_ROWS_MAX; }

#define INLINE static inline __attribute__((always_inline))

/* Four rows at a time in GCC's vector types (two SSE2 or one AVX2 operation each): each stage is
 * straight-line code over the block, a choice between two values a bitwise select. */
typedef double v4 __attribute__((vector_size(32)));
typedef int64_t m4 __attribute__((vector_size(32)));
/* the same four doubles at any address that holds doubles */
typedef double v4u __attribute__((vector_size(32), aligned(8), may_alias));
/* (macros, not functions: a function passing these types by value changes the ABI with AVX) */
#define ld(p) (*(const v4u *)(p))
#define st(p, v) (*(v4u *)(p) = (v))
#define splat(x) ((v4){(x), (x), (x), (x)})
/* m ? a : b lane by lane (m's lanes all ones or all zeros, as comparisons give them) */
#define sel(m, a, b) ((v4)((((m4)(a)) & (m)) | (((m4)(b)) & ~(m))))
#define IS(kind, code) ((m4)((kind) == splat(code)))

/* Stage 1: each row's status as a double (so the selects compare doubles lane for lane), its
 * weight, 1 / sigma and log sigma of its stratum, sz = y - eta and z; the rows past nb up to a
 * multiple of four are filled as exact rows at z = 0 with weight 0. Returns that multiple. */
INLINE size_t stage_z(const sk_sr_problem *pb, const sk_sr_scales *sc, size_t lo, size_t nb,
                      const double *restrict eta, double *restrict s)
{
    double *restrict kind = ARR(s, S_KIND), *restrict w = ARR(s, S_W), *restrict sz = ARR(s, S_SZ);
    double *restrict z = ARR(s, S_Z), *restrict isig = ARR(s, S_ISIG);
    double *restrict lsig = ARR(s, S_LSIG);
    const uint8_t *restrict status = pb->status + lo;
    const double *restrict y = pb->y1 + lo;
    for (size_t i = 0; i < nb; i++) kind[i] = status[i];
    if (pb->w) memcpy(w, pb->w + lo, nb * sizeof(double));
    else
        for (size_t i = 0; i < nb; i++) w[i] = 1;
    if (pb->strata) {
        const int32_t *restrict k = pb->strata + lo;
        for (size_t i = 0; i < nb; i++) isig[i] = sc->inv[k[i]], lsig[i] = sc->log[k[i]];
    } else {
        const double inv = sc->inv[0], lg = sc->log[0];
        for (size_t i = 0; i < nb; i++) isig[i] = inv, lsig[i] = lg;
    }
    for (size_t i = 0; i < nb; i++) {
        sz[i] = y[i] - eta[i];
        z[i] = sz[i] * isig[i];
    }
    const size_t nb4 = (nb + 3) / 4 * 4;
    for (size_t i = nb; i < nb4; i++)
        kind[i] = SK_SR_EXACT, w[i] = 0, sz[i] = z[i] = 0, isig[i] = 1, lsig[i] = 0;
    return nb4;
}

/* Stage 2, extreme value: funs as sk_sr_extreme_from gives them (survreg_row.h). */
INLINE void stage_extreme(size_t nb4, double *restrict s)
{
    const double *restrict kind = ARR(s, S_KIND), *restrict z = ARR(s, S_Z);
    double *restrict w = ARR(s, S_T1), *restrict t = ARR(s, S_T2);
    for (size_t i = 0; i < nb4; i++) w[i] = z[i] < -200 ? -200 : (z[i] > 200 ? 200 : z[i]);
    sk_exp_array(w, w, nb4);
    for (size_t i = 0; i < nb4; i++) t[i] = -w[i];
    sk_exp_array(t, t, nb4);
    for (size_t i = 0; i < nb4; i += 4) {
        const m4 exact = IS(ld(kind + i), SK_SR_EXACT);
        const v4 wv = ld(w + i), tv = ld(t + i), wt = wv * tv;
        st(ARR(s, S_F0) + i, 1 - tv);
        st(ARR(s, S_F1) + i, sel(exact, wt, tv));
        st(ARR(s, S_F2) + i, sel(exact, 1 - wv, wt));
        st(ARR(s, S_F3) + i, sel(exact, wv * (wv - 3) + 1, wt * (1 - wv)));
    }
}

/* Stage 2, logistic: with w = exp(-|z|), t = 1 + w (survreg_dist.c's logistic_d). */
INLINE void stage_logistic(size_t nb4, double *restrict s)
{
    const double *restrict kind = ARR(s, S_KIND), *restrict z = ARR(s, S_Z);
    double *restrict w = ARR(s, S_T1);
    for (size_t i = 0; i < nb4; i++) w[i] = z[i] > 0 ? -z[i] : z[i];
    sk_exp_array(w, w, nb4);
    for (size_t i = 0; i < nb4; i += 4) {
        const m4 exact = IS(ld(kind + i), SK_SR_EXACT), pos = (m4)(ld(z + i) > splat(0));
        const v4 wv = ld(w + i), sign = sel(pos, splat(-1), splat(1));
        const v4 it = 1 / (1 + wv), it2 = it * it, dens = wv * it2, wit = wv * it;
        st(ARR(s, S_F0) + i, sel(pos, it, wit)); /* F */
        st(ARR(s, S_F1) + i, sel(exact, dens, sel(pos, wit, it)));
        st(ARR(s, S_F2) + i, sel(exact, sign * (1 - wv) * it, dens));
        st(ARR(s, S_F3) + i, sel(exact, (wv * wv - 4 * wv + 1) * it2, sign * dens * (1 - wv) * it));
    }
}

/* Stage 2, normal: the density for every row; the smaller tail q = erfc(|z| / sqrt 2) / 2 only for
 * the censored rows, gathered into a list without a branch. */
INLINE void stage_gauss(size_t nb4, double *restrict s)
{
    const double *restrict kind = ARR(s, S_KIND), *restrict z = ARR(s, S_Z);
    double *restrict e = ARR(s, S_T1), *restrict q = ARR(s, S_T2);
    size_t *restrict idx = (size_t *)ARR(s, S_IDX);
    for (size_t i = 0; i < nb4; i++) e[i] = -z[i] * z[i] / 2;
    sk_exp_array(e, e, nb4);
    size_t m = 0;
    for (size_t i = 0; i < nb4; i++) {
        q[i] = 0;
        idx[m] = i;
        m += kind[i] != SK_SR_EXACT;
    }
    double *restrict v = ARR(s, S_LG); /* free until stage 3 */
    for (size_t k = 0; k < m; k++) v[k] = fabs(z[idx[k]]) / ROOT_2;
    sk_erfc_array(v, v, m);
    for (size_t k = 0; k < m; k++) q[idx[k]] = v[k] / 2;
    for (size_t i = 0; i < nb4; i += 4) {
        const v4 zv = ld(z + i), f = ld(e + i) * SPI_INV, qv = ld(q + i);
        const m4 exact = IS(ld(kind + i), SK_SR_EXACT), pos = (m4)(zv > splat(0));
        st(ARR(s, S_F0) + i, sel(pos, 1 - qv, qv)); /* F */
        st(ARR(s, S_F1) + i, sel(exact, f, sel(pos, qv, 1 - qv)));
        st(ARR(s, S_F2) + i, sel(exact, -zv, f));
        st(ARR(s, S_F3) + i, sel(exact, zv * zv - 1, -zv * f));
    }
}

/* Stage 3: P and the two numerators (t1, t2 before the powers of 1 / sigma); the logs; then g
 * and the derivatives. */
INLINE void stage_terms(size_t nb4, bool deriv, bool want_jj, double *restrict s,
                        const sk_sr_rows_out *o)
{
    const double *restrict kind = ARR(s, S_KIND), *restrict f0 = ARR(s, S_F0);
    const double *restrict f1 = ARR(s, S_F1), *restrict f2 = ARR(s, S_F2), *restrict f3 = ARR(s, S_F3);
    double *restrict t1 = ARR(s, S_T1), *restrict t2 = ARR(s, S_T2), *restrict lg = ARR(s, S_LG);
    const v4 one = splat(1);
    for (size_t i = 0; i < nb4; i += 4) {
        const v4 k = ld(kind + i), p = sel(IS(k, SK_SR_LEFT), ld(f0 + i), ld(f1 + i));
        const m4 small = (m4)(p <= splat(0)); /* not for NaN: a NaN stays a NaN, as in survregc1 */
        const v4 r = sel(IS(k, SK_SR_EXACT), one, one / sel(small, one, p));
        const v4 sr = sel(IS(k, SK_SR_RIGHT), -r, r);
        st(t1 + i, ld(f2 + i) * sr);
        st(t2 + i, ld(f3 + i) * sr);
        st(lg + i, sel(small, one, p));
    }
    sk_log_array(lg, lg, nb4);
    for (size_t i = 0; i < nb4; i += 4) {
        const v4 k = ld(kind + i), wi = ld(ARR(s, S_W) + i);
        const m4 exact = IS(k, SK_SR_EXACT);
        const m4 small = (m4)(sel(IS(k, SK_SR_LEFT), ld(f0 + i), ld(f1 + i)) <= splat(0));
        const v4 g = sel(exact, ld(lg + i) - ld(ARR(s, S_LSIG) + i), ld(lg + i));
        st(o->gw + i, sel(small, splat(SK_SR_SMALL), g) * wi);
        if (!deriv) continue;
        const v4 is = ld(ARR(s, S_ISIG) + i), sz = ld(ARR(s, S_SZ) + i);
        const v4 temp = ld(t1 + i) * is, temp2 = ld(t2 + i) * (is * is);
        v4 dg = -temp, dsig = -temp * sz;
        v4 ddg = temp2 - dg * dg;
        v4 dsg = sz * temp2 - dg * (dsig + 1);
        v4 ddsig = sz * sz * temp2 - dsig * (1 + dsig);
        dsig = sel(exact, dsig - 1, dsig);
        /* survregc1's values for a probability that underflowed */
        const v4 zs = ld(ARR(s, S_Z) + i) * is, zero = splat(0);
        dg = sel(small, sel(IS(k, SK_SR_RIGHT), zs, -zs), dg);
        ddg = sel(small, sel(exact, -is, zero), ddg);
        dsig = sel(small, zero, dsig);
        dsg = sel(small, zero, dsg);
        ddsig = sel(small, zero, ddsig);
        st(o->a + i, dg * wi);
        st(o->c + i, -ddg * wi);
        st(o->e + i, -dsg * wi);
        st(o->ds + i, wi * dsig);
        st(o->dss + i, -ddsig * wi);
        if (!want_jj) continue;
        st(o->jd + i, dg * dg * wi);
        st(o->js + i, dsig * dg * wi);
        st(o->jss + i, dsig * dsig * wi);
    }
}

/* Stage 4: the interval rows one by one (survreg_row.h), over what the stages above left. */
static void stage_interval(const sk_sr_problem *pb, const sk_sr_scales *sc, size_t lo, size_t nb,
                           const double *eta, bool deriv, bool want_jj, const sk_sr_rows_out *o)
{
    for (size_t i = 0; i < nb; i++) {
        const size_t row = lo + i;
        if (pb->status[row] != SK_SR_INTERVAL) continue;
        const size_t k = pb->strata ? (size_t)pb->strata[row] : 0;
        const double wi = pb->w ? pb->w[row] : 1;
        sk_sr_row d;
        sk_sr_row_derivs(pb->base, SK_SR_INTERVAL, pb->y1[row], pb->y2[row], eta[i], sc->sigma[k],
                         sc->log[k], NULL, NULL, &d);
        o->gw[i] = d.g * wi;
        if (!deriv) continue;
        o->a[i] = d.dg * wi;
        o->c[i] = -d.ddg * wi;
        o->e[i] = -d.dsg * wi;
        o->ds[i] = wi * d.dsig;
        o->dss[i] = -d.ddsig * wi;
        if (want_jj) {
            o->jd[i] = d.dg * d.dg * wi;
            o->js[i] = d.dsig * d.dg * wi;
            o->jss[i] = d.dsig * d.dsig * wi;
        }
    }
}

INLINE void rows_body(const sk_sr_problem *pb, const sk_sr_scales *sc, size_t lo, size_t nb,
                      const double *eta, bool deriv, bool want_jj, double *scratch,
                      const sk_sr_rows_out *out)
{
    const size_t nb4 = stage_z(pb, sc, lo, nb, eta, scratch);
    switch (pb->base) {
    case SK_SR_EXTREME: stage_extreme(nb4, scratch); break;
    case SK_SR_LOGISTIC: stage_logistic(nb4, scratch); break;
    case SK_SR_GAUSSIAN: stage_gauss(nb4, scratch); break;
    }
    stage_terms(nb4, deriv, want_jj, scratch, out);
    if (pb->y2) stage_interval(pb, sc, lo, nb, eta, deriv, want_jj, out);
}

static void rows_plain(const sk_sr_problem *pb, const sk_sr_scales *sc, size_t lo, size_t nb,
                       const double *eta, bool deriv, bool want_jj, double *scratch,
                       const sk_sr_rows_out *out)
{
    rows_body(pb, sc, lo, nb, eta, deriv, want_jj, scratch, out);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SK_ROWS_AVX2 1
/* AVX2 without FMA: the same operations in the same order as the plain version, four rows at a
 * time, so both give the same numbers. */
__attribute__((target("avx2"))) static void rows_avx2(const sk_sr_problem *pb,
                                                      const sk_sr_scales *sc, size_t lo,
                                                      size_t nb, const double *eta, bool deriv,
                                                      bool want_jj, double *scratch,
                                                      const sk_sr_rows_out *out)
{
    rows_body(pb, sc, lo, nb, eta, deriv, want_jj, scratch, out);
}
#endif

void sk_sr_rows_block(const sk_sr_problem *pb, const sk_sr_scales *sc, size_t lo, size_t nb,
                      const double *eta, bool deriv, bool want_jj, double *scratch,
                      const sk_sr_rows_out *out)
{
#ifdef SK_ROWS_AVX2
    if (__builtin_cpu_supports("avx2")) {
        rows_avx2(pb, sc, lo, nb, eta, deriv, want_jj, scratch, out);
        return;
    }
#endif
    rows_plain(pb, sc, lo, nb, eta, deriv, want_jj, scratch, out);
}
