/*
 * aj_kernel.c: the Aalen-Johansen estimate of one group with one starting state, and its
 * infinitesimal jackknife (IJ) variance, in one forward pass: O(n + T x states), not O(n T).
 *
 * At the distinct stop times t_k, with n_k the weighted number at risk (start < t_k <= stop),
 * d_jk the weighted events into state j, d_k = sum_j d_jk, a_k = 1 - d_k / n_k:
 *
 *   p_0(t_k) = p_0(t_{k-1}) a_k,      p_j(t_k) = p_j(t_{k-1}) + p_0(t_{k-1}) d_jk / n_k
 *
 * (R's survfit(Surv(time, factor(event)) ~ 1): pstate). R's std.err is sqrt(sum_i D_i(t)^2) with
 * D_i = w_i dp/dw_i the weighted influence of row (subject) i. Differentiating the recursion,
 * U_i = dp/dw_i obeys
 *
 *   U_i(k) = L_k U_i(k-1) + Y_i(k) x_k + delta_ijk e_jk
 *   L_k: (u_0, u_j) -> (a_k u_0, u_j + u_0 d_jk / n_k)
 *   x_k = p_0(t_{k-1}) / n_k^2 (d_k, -d_1k, ..., -d_Jk)       (every row at risk)
 *   e_jk = p_0(t_{k-1}) / n_k (-1, +1 in place j)              (a row with an event into j)
 *
 * L_k is the same for every row, so with Phi(k) = L_k ... L_1, Phi(k) z = (P_k z_0,
 * z_j + F_jk z_0) (P_k = prod a, F_jk = sum_{m<=k} P_{m-1} d_jm / n_m), each row is
 * U_i(k) = Phi(k) Z_i(k) with Z_i(k) = sum_{m<=k} Phi(m)^{-1} (its contributions). Rows at risk all
 * receive the same Phi(m)^{-1} x_m: with C(k) its running sum, a row's Z is off_i + y_i C(k), where
 * y_i = w_i while the row is at risk and 0 after, and off_i changes only when the row enters
 * (-w_i C), has its event (+w_i Phi^{-1} e) or leaves (+w_i C). So the sums
 *
 *   G_ab = sum_i off_ia off_ib,   H_a = sum_i y_i off_ia,   Y2 = sum_i y_i^2
 *
 * give sum_i Z_ia Z_ib = G_ab + C_a H_b + C_b H_a + C_a C_b Y2, and the variances
 * V_0 = P^2 sum Z_0^2, V_j = sum Z_j^2 + 2 F_j sum Z_j Z_0 + F_j^2 sum Z_0^2, each row touched
 * only when it enters or leaves. Phi is inverted through P; when P has fallen below
 * REBASE_BELOW (or to 0, the group's last death), every row's U is formed at t_k and the pass
 * starts again from it (P = 1, F = 0, C = 0): the divisions never lose more than a few digits.
 */
#include "compete/compete_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { REBASE_DIV = 20 };
static const double REBASE_BELOW = 1.0 / REBASE_DIV;

/* Running state of the pass. Vectors have J + 1 entries (state 0 first). */
typedef struct aj_state {
    size_t J;
    double *C;        /* running sum of Phi^{-1} x */
    double *F;        /* F_j relative to the last rebase (index 0 unused) */
    double P;         /* P relative to the last rebase */
    double *G0, *Gjj; /* G_{0,b} for b = 0..J (G_{00} first), G_{jj} for j = 1..J */
    double *H;        /* H_a */
    double Y2;
    double *z;        /* scratch: one contribution in Z coordinates */
} aj_state;

static inline double weight_of(const sk_aj_rows *r, size_t i)
{
    return r->weights ? r->weights[i] : 1.0;
}

/* Add (sign +1) or remove (-1) row i's terms, with offset off_i and at-risk weight y. */
static void account(aj_state *s, const double *off_i, double y, double sign)
{
    for (size_t b = 0; b <= s->J; b++) {
        s->G0[b] += sign * off_i[0] * off_i[b];
        s->H[b] += sign * y * off_i[b];
    }
    for (size_t j = 1; j <= s->J; j++) s->Gjj[j] += sign * off_i[j] * off_i[j];
    s->Y2 += sign * y * y;
}

/* x in U coordinates at t_k to Z coordinates: z_0 = x_0 / P, z_j = x_j - F_j z_0. */
static void to_z(const aj_state *s, const double *x, double *z)
{
    z[0] = x[0] / s->P;
    for (size_t j = 1; j <= s->J; j++) z[j] = x[j] - s->F[j] * z[0];
}

/* The standard errors of every state at the current time. */
static void record_se(const aj_state *s, double *se_out /* J + 1 */)
{
    const double *C = s->C;
    double S00 = s->G0[0] + 2 * C[0] * s->H[0] + C[0] * C[0] * s->Y2;
    se_out[0] = sqrt(fmax(s->P * s->P * S00, 0));
    for (size_t j = 1; j <= s->J; j++) {
        double Sj0 = s->G0[j] + C[j] * s->H[0] + C[0] * s->H[j] + C[j] * C[0] * s->Y2;
        double Sjj = s->Gjj[j] + 2 * C[j] * s->H[j] + C[j] * C[j] * s->Y2;
        double v = Sjj + 2 * s->F[j] * Sj0 + s->F[j] * s->F[j] * S00;
        se_out[j] = sqrt(fmax(v, 0));
    }
}

/* The subject of row i (rows are subjects without ids). */
static inline size_t subject_of(const sk_aj_rows *r, size_t i)
{
    return r->subject ? (size_t)r->subject[i] : i;
}

/*
 * Rebase at t_k: every subject's influence formed in U coordinates at t_k (the step L_k, the
 * common term x for those at risk, e for the rows with their event at t_k), kept as its offset,
 * and the sums rebuilt with the rows leaving at t_k already out. x, e: x_k and the
 * p_0(t_{k-1}) / n_k of e; dn[j] = d_jk / n_k; a = a_k; rows [q_lo, q_hi) of by_stop leave at t_k;
 * `pass` a number not yet used as a stamp.
 */
static void rebase(aj_state *s, const sk_aj_rows *r, sk_aj_work *w, size_t q_lo, size_t q_hi,
                   const double *x, double e, const double *dn, double a, uint32_t pass)
{
    const size_t J = s->J;
    for (size_t q = 0; q < r->m; q++) { /* U(k) = L_k Phi (off + y C) + y x, once a subject */
        size_t id = subject_of(r, r->by_stop[q]);
        if (w->stamp[id] == pass) continue;
        w->stamp[id] = pass;
        double *o = w->off + id * (J + 1), y = w->y[id];
        double z0 = o[0] + y * s->C[0];
        double u0 = s->P * z0;
        o[0] = a * u0 + y * x[0];
        for (size_t j = 1; j <= J; j++)
            o[j] = o[j] + y * s->C[j] + s->F[j] * z0 + u0 * dn[j] + y * x[j];
    }
    for (size_t q = q_lo; q < q_hi; q++) { /* the events' terms, and the rows leave */
        size_t i = r->by_stop[q], id = subject_of(r, i);
        double wi = weight_of(r, i), *o = w->off + id * (J + 1);
        if (r->state[i] > 0) {
            o[0] -= wi * e;
            o[r->state[i]] += wi * e;
        }
        w->y[id] -= wi;
    }
    memset(s->G0, 0, (J + 1) * sizeof *s->G0);
    memset(s->Gjj, 0, (J + 1) * sizeof *s->Gjj);
    memset(s->H, 0, (J + 1) * sizeof *s->H);
    s->Y2 = 0;
    for (size_t q = 0; q < r->m; q++) {
        size_t id = subject_of(r, r->by_stop[q]);
        if (w->stamp[id] == pass + 1) continue;
        w->stamp[id] = pass + 1;
        account(s, w->off + id * (J + 1), w->y[id], +1);
    }
    s->P = 1;
    memset(s->F, 0, (J + 1) * sizeof *s->F);
    memset(s->C, 0, (J + 1) * sizeof *s->C);
}

survkit_status sk_aj_curve(const sk_aj_rows *r, sk_aj_work *w, sk_cuminc_curve *c,
                           survkit_error *err)
{
    const size_t J = r->n_states, m = r->m, nc = sk_aj_n_columns(J);
    c->records = m;
    c->n_times = 0;
    c->events = sk_calloc_array(J + 1, sizeof *c->events);
    RETURN_ERROR_IF(c->events == NULL, err, SURVKIT_ERR_NOMEM, "cuminc: out of memory");
    if (m == 0) return SURVKIT_OK;
    size_t nt = 1;
    for (size_t q = 1; q < m; q++) nt += r->time[r->by_stop[q]] != r->time[r->by_stop[q - 1]];
    c->n_times = nt;
    c->values = sk_calloc_array(nt, nc * sizeof(double));
    /* six vectors of J + 1 for the state, seven of scratch, and the (J + 1)^2 table ez */
    double *buf = sk_calloc_array((13 + J + 1) * (J + 1), sizeof(double));
    if (c->values == NULL || buf == NULL) {
        free(buf);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "cuminc: out of memory");
    }
    aj_state s = {J, buf, buf + (J + 1), 1.0, buf + 2 * (J + 1), buf + 3 * (J + 1),
                  buf + 4 * (J + 1), 0, buf + 5 * (J + 1)};
    double *d = buf + 6 * (J + 1), *x = buf + 7 * (J + 1), *dn = buf + 8 * (J + 1),
           *se = buf + 9 * (J + 1), *p = buf + 10 * (J + 1), *ev = buf + 11 * (J + 1),
           *dc = buf + 12 * (J + 1), *ez = buf + 13 * (J + 1);
    p[0] = 1;

    double *t = sk_aj_col(c, 0), *n_risk = sk_aj_col(c, 1), *n_censor = sk_aj_col(c, 2);
    /* R reports the counts unweighted (n.risk, n.event, n.censor), by suffix sums */
    {
        size_t k = nt, qs = m;
        double count_after = 0, count_started = 0;
        for (size_t q = m; q-- > 0;) {
            size_t i = r->by_stop[q];
            if (q + 1 == m || r->time[i] != r->time[r->by_stop[q + 1]]) t[--k] = r->time[i];
            count_after += 1;
            if (q == 0 || r->time[r->by_stop[q - 1]] != r->time[i]) {
                /* rows with start >= t_k are not yet at risk at t_k */
                while (r->by_start != NULL && qs > 0 && r->start[r->by_start[qs - 1]] >= t[k]) {
                    qs--;
                    count_started += 1;
                }
                n_risk[k] = count_after - count_started;
            }
        }
    }
    /* The weighted number at risk as R's survfitci keeps it: rows added as they enter (all at
     * once, in row order, for right-censored data: r->total_weight) and subtracted one by one as
     * they leave, so that it rounds as R's does (a curve that reaches 0 in exact arithmetic
     * stays at R's 1e-16 with non-integer weights, where its limits are not NA). */
    double ws = r->by_start == NULL ? r->total_weight : 0;

    size_t q_stop = 0, q_start = 0;
    uint32_t pass = 0;
    for (size_t q = 0; q < m; q++) {
        size_t id = subject_of(r, r->by_stop[q]);
        memset(w->off + id * (J + 1), 0, (J + 1) * sizeof *w->off);
        w->y[id] = 0;
        w->stamp[id] = 0;
    }
    for (size_t k = 0; k < nt; k++) {
        const double tk = t[k];
        /* entries: rows with start < t_k join the risk set, their subject's offset less w C */
        for (; q_start < m && (r->by_start == NULL ? k == 0 : r->start[r->by_start[q_start]] < tk);
             q_start++) {
            size_t i = r->by_start ? r->by_start[q_start] : r->by_stop[q_start], id = subject_of(r, i);
            double wi = weight_of(r, i), *o = w->off + id * (J + 1);
            if (r->by_start != NULL) ws += wi;
            account(&s, o, w->y[id], -1);
            for (size_t b = 0; b <= J; b++) o[b] -= wi * s.C[b];
            w->y[id] += wi;
            account(&s, o, w->y[id], +1);
        }
        /* the rows leaving at t_k: events by state and censorings */
        size_t q_end = q_stop;
        memset(d, 0, (J + 1) * sizeof *d);
        memset(dc, 0, (J + 1) * sizeof *dc);
        for (; q_end < m && r->time[r->by_stop[q_end]] == tk; q_end++) {
            size_t i = r->by_stop[q_end];
            d[r->state[i]] += weight_of(r, i);
            dc[r->state[i]] += 1;
        }
        double dk = 0;
        for (size_t j = 1; j <= J; j++) dk += d[j];
        n_censor[k] = dc[0];
        const double nk = ws;
        bool step = dk > 0 && nk > 0;
        bool rebased = false;
        if (step) {
            const double a = 1 - dk / nk, p0 = p[0];
            x[0] = p0 * dk / (nk * nk);
            for (size_t j = 1; j <= J; j++) {
                dn[j] = d[j] / nk;
                x[j] = -p0 * d[j] / (nk * nk);
                p[j] += p0 * dn[j];
            }
            p[0] = p0 * a;
            const double e = p0 / nk;
            if (s.P * a < REBASE_BELOW) {
                rebase(&s, r, w, q_stop, q_end, x, e, dn, a, pass += 2);
                rebased = true;
            } else {
                double P_prev = s.P;
                s.P *= a;
                for (size_t j = 1; j <= J; j++) s.F[j] += P_prev * dn[j];
                to_z(&s, x, s.z);
                for (size_t b = 0; b <= J; b++) s.C[b] += s.z[b];
                /* the event term of each state in Z coordinates, row j of ez */
                for (size_t j = 1; j <= J; j++) {
                    memset(ev, 0, (J + 1) * sizeof *ev);
                    ev[0] = -e;
                    ev[j] = e;
                    to_z(&s, ev, ez + j * (J + 1));
                }
            }
        }
        /* rows leaving: the event term, then the offset frozen (+w C) and out of the risk set */
        for (size_t q = q_stop; q < q_end && !rebased; q++) {
            size_t i = r->by_stop[q], id = subject_of(r, i);
            int32_t st = r->state[i];
            double wi = weight_of(r, i), *o = w->off + id * (J + 1);
            account(&s, o, w->y[id], -1);
            for (size_t b = 0; b <= J; b++)
                o[b] += wi * (s.C[b] + (step && st > 0 ? ez[(size_t)st * (J + 1) + b] : 0));
            w->y[id] -= wi;
            account(&s, o, w->y[id], +1);
        }
        for (size_t q = q_stop; q < q_end; q++) ws -= weight_of(r, r->by_stop[q]);
        q_stop = q_end;
        record_se(&s, se);
        for (size_t j = 1; j <= J; j++) c->events[j] += dc[j];
        for (size_t j = 0; j <= J; j++) {
            sk_aj_state_col(c, j, 0)[k] = j == 0 ? 0 : dc[j];
            sk_aj_state_col(c, j, 1)[k] = p[j];
            sk_aj_state_col(c, j, 2)[k] = se[j];
        }
    }
    free(buf);
    return SURVKIT_OK;
}
