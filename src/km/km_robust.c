/*
 * km_robust.c: the robust (infinitesimal jackknife, IJ) standard errors of a Kaplan-Meier curve and
 * of its cumulative hazard, each row its own cluster: R's survfit(robust = TRUE), which R's
 * survfitKM chooses by default when some case weight is not an integer (survfitkm.c, "robust
 * variance"; Therneau's methods document, survfitkm: robust variance).
 *
 * Notation of km.c: event times t_i (d_i > 0 and wd_i > 0) with weighted risk set n_i, weighted
 * deaths wd_i, h_i = wd_i / n_i, S_i = prod_{j<=i} (1 - h_j), S_{i-1} the value before t_i.
 * Y_k(t_i) = 1 when row k (weight v_k) is at risk at t_i (start_k < t_i <= stop_k), dN_k(t_i) = 1
 * when it dies at t_i. R's influence of row k on S and on Lambda evolves as
 *
 *   I_k(t_i) = I_k(t_{i-1}) (1 - h_i) + v_k Y_k(t_i) S_{i-1} h_i / n_i - v_k dN_k(t_i) S_{i-1} / n_i
 *   J_k(t_i) = J_k(t_{i-1}) - v_k Y_k(t_i) alpha_i + v_k dN_k(t_i) beta_i
 *
 * with alpha_i = h_i / n_i, beta_i = 1 / n_i (Nelson-Aalen, ctype 1) or, for Fleming-Harrington
 * (ctype 2) with b_j = 1 / (n_i - wd_i + (j/d_i) wd_i), j = 1..d_i:
 *   dtemp = sum_j b_j / d_i,  dtemp2 = sum_j b_j^2 j/d_i,  dtemp3 = sum_j b_j^2, the last two
 *   multiplied by wd_i / d_i when wd_i != d_i;  alpha_i = dtemp3, beta_i = dtemp + dtemp3 - dtemp2.
 * R's std.err is sqrt(sum_k I_k^2) (the standard error of S itself, R's logse = FALSE, for ctype 1;
 * with ctype 2 R keeps logse = TRUE and treats the same number as that of -log S), and std.chaz
 * is sqrt(sum_k J_k^2); both change only at event times.
 *
 * R loops over every row at every event time (O(n T)). Here, solving the recursion, with
 * C_i = C_{i-1} (1 - h_i) + S_{i-1} h_i / n_i (C_0 = 0) and E_i = E_{i-1} + alpha_i, a row that
 * entered the risk set just before event step e (y_k = C_{e-1} / S_{e-1}, z_k = E_{e-1}; 0 and 0
 * for right-censored data) has, while at risk,
 *
 *   I_k(t_i) = v_k (C_i - y_k S_i),      J_k(t_i) = -v_k (E_i - z_k),
 *
 * so with U = sum v_k^2, V = sum v_k^2 y_k, Z = sum v_k^2 y_k^2 over the rows at risk
 *
 *   sum_{at risk} I_k^2 = U (C - S V/U)^2 + S^2 (Z - V^2/U)
 *
 * (and likewise for J with E, z). A row that leaves at t_i (its stop time) carries
 * I_k = v_k (C_i - y_k S_i - dN_k S_{i-1} / n_i) and J_k = v_k (dN_k beta_i - E_i + z_k) into the
 * departed sums D1, D2; afterwards its I_k only decays by (1 - h), so D1 is multiplied by (1 - h)^2
 * at each event time and D2 stays. A row entering when S_{e-1} = 0 has I_k = 0 for ever (R's terms
 * are all multiplied by S). For right-censored data V = Z = 0 and the at-risk sum is U C^2.
 *
 * How U, V, Z are summed matters. Kept as running sums that add the rows entering and subtract
 * the rows leaving, they cancel catastrophically when weights differ in scale: after the rows of
 * weight 1 have left, U of the rows of weight 1e-6 left at risk (about 1e-12 each) is the
 * difference of two sums near 1, wrong from the fourth digit (issue 21). So nothing is subtracted:
 * C, S and E depend on the curve alone and are computed first, so each row's y_k and z_k are known
 * before the sums are built; each row then adds v^2, v^2 y, v^2 y^2 to the O(log T) nodes of a
 * segment tree over the time index that cover its at-risk range, and the sums at t_i are the
 * nodes on i's path to the root: sums of non-negative terms only (y, z >= 0), O((n + T) log T).
 * A row at risk from the first time on (every row of right-censored data) has a range [0, l]: it
 * adds its terms at l, and one backward pass of suffix sums gives each time's share of them, again
 * adding only: O(T) after each row's stop index is found (a binary search, O(n log T) in all: the
 * rows may come in any order), and no tree at all for right-censored data.
 *
 * Everything the rows contribute is a sum over rows, per time: the moments of the rows at risk
 * (U, V, Z for I and for J) and the squared influences of the rows leaving at t_i (added to D1,
 * D2 at i, before D1's later decay). So the work is split in three: sk_km_ij_init (the curve's
 * recursions), sk_km_ij_add_rows (any subset of the rows adds its 8 sums per time; the sums of a
 * partition of the rows add up to those of all of them: libsurvkit-mpi adds them over ranks) and
 * sk_km_ij_finish (the decay of D1, the standard errors, from the summed sums).
 */
#include "km/km_internal.h"

#include <math.h>
#include <stdlib.h>

/* Sums of v^2, v^2 x, v^2 x^2 over a set of rows. */
typedef struct moments {
    double u, v, z;
} moments;

/* sum over the rows of v^2 (a - b x)^2, from the moments. */
static double moments_square(const moments *m, double a, double b)
{
    if (!(m->u > 0)) return 0;
    double mean = m->v / m->u, spread = m->z - m->v * mean;
    double centre = a - b * mean;
    return m->u * centre * centre + (spread > 0 ? b * b * spread : 0);
}

/*
 * Range add, point query over time indices 0..size-1 without subtraction: a bottom-up segment
 * tree (node 1 the root, leaves size..2 size-1). A row's terms are added to the nodes covering
 * its range; the sum at index i is that of the nodes from leaf i to the root.
 */
typedef struct risk_tree {
    size_t size;
    moments *node; /* 2 size */
} risk_tree;

static void tree_add(risk_tree *t, size_t first, size_t last, double w2, double x)
{
    const moments add = {w2, w2 * x, w2 * x * x};
    for (size_t l = first + t->size, r = last + 1 + t->size; l < r; l >>= 1, r >>= 1) {
        if (l & 1) {
            t->node[l].u += add.u, t->node[l].v += add.v, t->node[l].z += add.z;
            l++;
        }
        if (r & 1) {
            --r;
            t->node[r].u += add.u, t->node[r].v += add.v, t->node[r].z += add.z;
        }
    }
}

static moments tree_at(const risk_tree *t, size_t i)
{
    moments sum = {0, 0, 0};
    for (size_t p = i + t->size; p >= 1; p >>= 1)
        sum.u += t->node[p].u, sum.v += t->node[p].v, sum.z += t->node[p].z;
    return sum;
}

/* The first index i of the ascending t[0..n) with t[i] > x (n when none). */
static size_t first_after(const double *t, size_t n, double x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid] > x) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

/* The hazard increments alpha (at risk) and beta (deaths) of J at one event time. */
static void hazard_steps(int ctype, double nr, double wd, double d0, double *alpha, double *beta)
{
    if (ctype != 2) {
        *alpha = wd / (nr * nr);
        *beta = 1 / nr;
        return;
    }
    double dtemp = 0, dtemp2 = 0, dtemp3 = 0, rest = nr - wd;
    for (double k = d0; k > 0; k--) {
        double frac = k / d0, b = 1 / (rest + frac * wd);
        dtemp += b;
        dtemp2 += b * b * frac;
        dtemp3 += b * b;
    }
    dtemp /= d0;
    if (wd != d0) {
        dtemp2 *= wd / d0;
        dtemp3 *= wd / d0;
    }
    *alpha = dtemp3;
    *beta = dtemp + dtemp3 - dtemp2;
}

survkit_status sk_km_ij_init(sk_km_ij *ij, const sk_km_curve *c, const double *deaths, int ctype)
{
    const size_t nt = c->n_times;
    *ij = (sk_km_ij){nt, sk_km_col(c, SURVKIT_KM_TIME), sk_km_col(c, SURVKIT_KM_N_RISK),
                     sk_km_col(c, SURVKIT_KM_N_EVENT), deaths, ctype, NULL};
    if (nt == 0) return SURVKIT_OK;
    /* per time: C, S and E after t_i, S before it, beta */
    ij->state = sk_malloc_array(nt, 5 * sizeof *ij->state);
    if (ij->state == NULL) return SURVKIT_ERR_NOMEM;
    double *cc = ij->state, *s = cc + nt, *e = cc + 2 * nt, *s_before = cc + 3 * nt,
           *beta = cc + 4 * nt;
    /* The curve's own recursions (no row needed). */
    double s_now = 1, c_now = 0, e_now = 0;
    for (size_t i = 0; i < nt; i++) {
        s_before[i] = s_now;
        beta[i] = 0;
        if (deaths[i] > 0 && ij->n_event[i] > 0) {
            double h = ij->n_event[i] / ij->n_risk[i], alpha;
            c_now = c_now * (1 - h) + s_now * h / ij->n_risk[i];
            hazard_steps(ctype, ij->n_risk[i], ij->n_event[i], deaths[i], &alpha, &beta[i]);
            e_now += alpha;
            s_now *= 1 - h;
        }
        cc[i] = c_now, s[i] = s_now, e[i] = e_now;
    }
    return SURVKIT_OK;
}

void sk_km_ij_free(sk_km_ij *ij)
{
    free(ij->state);
    ij->state = NULL;
}

/* Is t_i an event time (a step of S and of Lambda)? */
static bool ij_event(const sk_km_ij *ij, size_t i) { return ij->deaths[i] > 0 && ij->n_event[i] > 0; }

survkit_status sk_km_ij_add_rows(const sk_km_ij *ij, const size_t *rows, size_t m,
                                 const double *start, const double *time, const double *status,
                                 const double *weights, double *sums)
{
    const size_t nt = ij->nt;
    if (nt == 0 || m == 0) return SURVKIT_OK;
    const double *t = ij->t, *cc = ij->state, *s = cc + nt, *e = cc + 2 * nt,
                 *s_before = cc + 3 * nt, *beta = cc + 4 * nt;
    /* the suffix sums of the rows at risk from the start (surv, haz); the two trees of the others
     * (counting-process data only) */
    moments *ends = sk_calloc_array(nt, 2 * sizeof *ends);
    moments *nodes = start ? sk_calloc_array(nt, 4 * sizeof *nodes) : NULL;
    if (ends == NULL || (start != NULL && nodes == NULL)) {
        free(ends);
        free(nodes);
        return SURVKIT_ERR_NOMEM;
    }
    moments *surv_ends = ends, *haz_ends = ends + nt;
    risk_tree surv_tree = {nt, nodes}, haz_tree = {nt, nodes ? nodes + 2 * nt : NULL};
    double *dep1 = sums + 6 * nt, *dep2 = sums + 7 * nt;

    /* Each row at risk from its entry index f (first t > start; 0 without starts) to the index
     * before its stop's i (t[i] = its stop: the t are the distinct stop times); y = C_{f-1} /
     * S_{f-1}, z = E_{f-1}. At i it leaves, carrying its influence into the departed sums. */
    for (size_t r = 0; r < m; r++) {
        const size_t k = rows[r];
        const size_t i = first_after(t, nt, time[k]) - 1;
        const size_t f = start ? first_after(t, nt, start[k]) : 0;
        const double v = weights ? weights[k] : 1.0, died = ij_event(ij, i) && status[k] == 1;
        const double sf = f ? s[f - 1] : 1, y = f ? cc[f - 1] / sf : 0, z = f ? e[f - 1] : 0;
        if (sf > 0) {
            double a = v * (cc[i] - y * s[i] - died * s_before[i] / ij->n_risk[i]);
            dep1[i] += a * a;
        }
        double b = v * (died * beta[i] - e[i] + z);
        dep2[i] += b * b;
        if (f >= i) continue; /* at risk at no time before it leaves */
        if (f == 0) {         /* at risk from the start: y = z = 0, counted in the suffix sums */
            surv_ends[i - 1].u += v * v;
            haz_ends[i - 1].u += v * v;
            continue;
        }
        if (sf > 0) tree_add(&surv_tree, f, i - 1, v * v, y);
        tree_add(&haz_tree, f, i - 1, v * v, z);
    }
    for (size_t i = nt - 1; i-- > 0;) { /* suffix sums: the rows whose range [0, l] holds i */
        surv_ends[i].u += surv_ends[i + 1].u;
        haz_ends[i].u += haz_ends[i + 1].u;
    }
    for (size_t i = 0; i < nt; i++) {
        moments at_s = surv_ends[i], at_h = haz_ends[i];
        if (start != NULL) {
            const moments ts = tree_at(&surv_tree, i), th = tree_at(&haz_tree, i);
            at_s.u += ts.u, at_s.v += ts.v, at_s.z += ts.z;
            at_h.u += th.u, at_h.v += th.v, at_h.z += th.z;
        }
        sums[i] += at_s.u, sums[nt + i] += at_s.v, sums[2 * nt + i] += at_s.z;
        sums[3 * nt + i] += at_h.u, sums[4 * nt + i] += at_h.v, sums[5 * nt + i] += at_h.z;
    }
    free(ends);
    free(nodes);
    return SURVKIT_OK;
}

void sk_km_ij_finish(const sk_km_ij *ij, const double *sums, sk_km_curve *c)
{
    const size_t nt = ij->nt;
    double *se = sk_km_col(c, SURVKIT_KM_STD_ERR), *se_chaz = sk_km_col(c, SURVKIT_KM_STD_CHAZ);
    const double *cc = ij->state, *s = cc + nt, *e = cc + 2 * nt;
    /* Forward: the departed sums, D1 decaying by (1 - h)^2 at each event time before the rows
     * leaving there are added; the variances change at event times only. */
    double d1 = 0, d2 = 0, v1 = 0, v2 = 0;
    for (size_t i = 0; i < nt; i++) {
        const bool event = ij_event(ij, i);
        if (event) {
            double h = ij->n_event[i] / ij->n_risk[i];
            d1 *= (1 - h) * (1 - h);
        }
        d1 += sums[6 * nt + i];
        d2 += sums[7 * nt + i];
        if (event) {
            const moments at_s = {sums[i], sums[nt + i], sums[2 * nt + i]},
                          at_h = {sums[3 * nt + i], sums[4 * nt + i], sums[5 * nt + i]};
            v1 = d1 + moments_square(&at_s, cc[i], s[i]);
            v2 = d2 + moments_square(&at_h, e[i], 1);
        }
        se[i] = sqrt(v1);
        se_chaz[i] = sqrt(v2);
    }
}

survkit_status sk_km_robust_se(sk_km_curve *c, const double *deaths, const size_t *by_stop,
                               size_t m, const double *start, const double *time,
                               const double *status, const double *weights, int ctype)
{
    if (c->n_times == 0) return SURVKIT_OK;
    sk_km_ij ij;
    double *sums = sk_calloc_array(c->n_times, SK_KM_IJ_SUMS * sizeof *sums);
    survkit_status st = sums ? sk_km_ij_init(&ij, c, deaths, ctype) : SURVKIT_ERR_NOMEM;
    if (st == SURVKIT_OK) {
        st = sk_km_ij_add_rows(&ij, by_stop, m, start, time, status, weights, sums);
        if (st == SURVKIT_OK) sk_km_ij_finish(&ij, sums, c);
        sk_km_ij_free(&ij);
    }
    free(sums);
    return st;
}
