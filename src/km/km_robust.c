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
 * R loops over every row at every event time (O(n T)). Here the sums of squares are kept in O(1)
 * per time and O(1) per row. Solving the recursion, with C_i = C_{i-1} (1 - h_i) + S_{i-1} h_i / n_i
 * (C_0 = 0) and E_i = E_{i-1} + alpha_i, a row that entered the risk set just before event step e
 * (y_k = C_{e-1} / S_{e-1}, z_k = E_{e-1}; 0 and 0 for right-censored data) has, while at risk,
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
 */
#include "km/km_internal.h"

#include <math.h>

/* Running sums of v^2, v^2 x, v^2 x^2 over the rows at risk, with their count. */
typedef struct moments {
    double u, v, z;
    size_t count;
} moments;

static void moments_add(moments *m, double w2, double x, double sign)
{
    m->u += sign * w2;
    m->v += sign * w2 * x;
    m->z += sign * w2 * x * x;
    if (sign > 0) m->count++;
    else if (--m->count == 0) m->u = m->v = m->z = 0; /* no drift once the set is empty */
}

/* sum over the rows of v^2 (a - b x)^2, from the moments. */
static double moments_square(const moments *m, double a, double b)
{
    if (m->count == 0 || m->u <= 0) return 0;
    double mean = m->v / m->u, spread = m->z - m->v * mean;
    double centre = a - b * mean;
    return m->u * centre * centre + (spread > 0 ? b * b * spread : 0);
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

void sk_km_robust_se(sk_km_curve *c, const double *deaths, const size_t *by_stop,
                     const size_t *by_start, size_t m, const double *start, const double *time,
                     const double *status, const double *weights, int ctype, double *entry_y,
                     double *entry_z)
{
    const size_t nt = c->n_times;
    const double *t = sk_km_col(c, SURVKIT_KM_TIME), *n_risk = sk_km_col(c, SURVKIT_KM_N_RISK),
                 *n_event = sk_km_col(c, SURVKIT_KM_N_EVENT);
    double *se = sk_km_col(c, SURVKIT_KM_STD_ERR), *se_chaz = sk_km_col(c, SURVKIT_KM_STD_CHAZ);
    moments surv_m = {0, 0, 0, 0}, haz_m = {0, 0, 0, 0};
    double s = 1, cc = 0, e = 0, d1 = 0, d2 = 0, v1 = 0, v2 = 0;
    size_t p1 = 0, p2 = 0;
    if (by_start == NULL) /* right-censored: every row is at risk from the start, y = z = 0 */
        for (size_t r = 0; r < m; r++) {
            double v = weights ? weights[by_stop[r]] : 1.0;
            moments_add(&surv_m, v * v, 0, 1);
            moments_add(&haz_m, v * v, 0, 1);
        }
    for (size_t i = 0; i < nt; i++) {
        if (by_start != NULL) /* rows entering before t_i: start < t_i */
            for (; p1 < m && start[by_start[p1]] < t[i]; p1++) {
                size_t k = by_start[p1];
                double v = weights ? weights[k] : 1.0;
                entry_y[k] = s > 0 ? cc / s : NAN; /* NaN: entered at S = 0, I_k stays 0 */
                entry_z[k] = e;
                if (s > 0) moments_add(&surv_m, v * v, entry_y[k], 1);
                moments_add(&haz_m, v * v, e, 1);
            }
        const bool event = deaths[i] > 0 && n_event[i] > 0;
        double h = 0, s_before = s, alpha = 0, beta = 0;
        if (event) {
            h = n_event[i] / n_risk[i];
            cc = cc * (1 - h) + s * h / n_risk[i];
            hazard_steps(ctype, n_risk[i], n_event[i], deaths[i], &alpha, &beta);
            e += alpha;
            s *= 1 - h;
            d1 *= (1 - h) * (1 - h);
        }
        /* rows leaving at t_i carry their influence into the departed sums */
        for (; p2 < m && time[by_stop[p2]] <= t[i]; p2++) {
            size_t k = by_stop[p2];
            double v = weights ? weights[k] : 1.0, died = event && status[k] == 1;
            double y = by_start ? entry_y[k] : 0, z = by_start ? entry_z[k] : 0;
            if (y == y) {
                double a = v * (cc - y * s - died * s_before / n_risk[i]);
                d1 += a * a;
                moments_add(&surv_m, v * v, y, -1);
            }
            double b = v * (died * beta - e + z);
            d2 += b * b;
            moments_add(&haz_m, v * v, z, -1);
        }
        if (event) {
            v1 = d1 + moments_square(&surv_m, cc, s);
            v2 = d2 + moments_square(&haz_m, e, 1);
        }
        se[i] = sqrt(v1);
        se_chaz[i] = sqrt(v2);
    }
}
