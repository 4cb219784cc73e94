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
 * REBASE_BELOW (or to 0, the group's last death), the pass starts again from t_k (P = 1, F = 0,
 * C = 0), so the divisions never lose more than a few digits: every offset becomes its U at t_k,
 *
 *   off' = A (off + y C) + y x_k,   A = [[a P, 0], [F_j + P d_jk/n_k, I]],
 *
 * an affine map the same for every subject (b = A C + x_k). The subjects at risk are mapped at
 * once; the others (y = 0) follow it in the sums (G' = A G A') and each only when it is next
 * touched (a later row of it), by the maps of the rebases since (kept, one per rebase): a rebase
 * costs the rows at risk, not n.
 */
#include "compete/compete_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { REBASE_DIV = 20 };
static const double REBASE_BELOW = 1.0 / REBASE_DIV;

/* Running state of the pass. Vectors have J + 1 entries (state 0 first); matrices are
 * (J + 1) x (J + 1), row-major. */
typedef struct aj_state {
    size_t J, J1;     /* J1 = J + 1 */
    double *C;        /* running sum of Phi^{-1} x */
    double *F;        /* F_j relative to the last rebase (index 0 unused) */
    double P;         /* P relative to the last rebase */
    double *G;        /* G_ab = sum off_a off_b */
    double *H;        /* H_a = sum y off_a */
    double Y2;
    double *z;        /* scratch */
    double *maps;     /* per rebase: A (J1^2) then b (J1) */
    uint32_t n_maps, cap_maps;
} aj_state;

static inline double weight_of(const sk_aj_rows *r, size_t i)
{
    return r->weights ? r->weights[i] : 1.0;
}

/* The slot of the subject of the row at place q of by_stop: its id, or without ids (rows are
 * subjects) q itself, so that the pass reads the slots in order. ((start, stop] data always
 * have ids.) */
static inline size_t slot_at(const sk_aj_rows *r, size_t q)
{
    return r->subject ? (size_t)r->subject[r->by_stop[q]] : q;
}

/* Add (sign +1) or remove (-1) a subject's terms: offset o, at-risk weight y. */
static void account(aj_state *s, const double *o, double y, double sign)
{
    const size_t J1 = s->J1;
    for (size_t a = 0; a < J1; a++) {
        const double oa = sign * o[a];
        for (size_t b = 0; b < J1; b++) s->G[a * J1 + b] += oa * o[b];
        s->H[a] += sign * y * o[a];
    }
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
    const double *C = s->C, *G = s->G, *H = s->H;
    const size_t J1 = s->J1;
    double S00 = G[0] + 2 * C[0] * H[0] + C[0] * C[0] * s->Y2;
    se_out[0] = sqrt(fmax(s->P * s->P * S00, 0));
    for (size_t j = 1; j <= s->J; j++) {
        double Sj0 = G[j * J1] + C[j] * H[0] + C[0] * H[j] + C[j] * C[0] * s->Y2;
        double Sjj = G[j * J1 + j] + 2 * C[j] * H[j] + C[j] * C[j] * s->Y2;
        double v = Sjj + 2 * s->F[j] * Sj0 + s->F[j] * s->F[j] * S00;
        se_out[j] = sqrt(fmax(v, 0));
    }
}

/*
 * The step of the estimate at t_k, d[1..J] the weighted events among nk at risk: p is updated,
 * x = x_k and dn[j] = d_jk / nk are set, *a = a_k and *e = p_0(t_{k-1}) / n_k. Returns true when
 * the pass must re-base before this step (P a_k below REBASE_BELOW); otherwise the step is taken
 * in the Z coordinates (P, F, C).
 */
static bool step(aj_state *s, double *p, const double *d, double dk, double nk, double *x,
                 double *dn, double *a, double *e)
{
    const size_t J = s->J;
    const double p0 = p[0];
    *a = 1 - dk / nk;
    *e = p0 / nk;
    x[0] = p0 * dk / (nk * nk);
    for (size_t j = 1; j <= J; j++) {
        dn[j] = d[j] / nk;
        x[j] = -p0 * d[j] / (nk * nk);
        p[j] += p0 * dn[j];
    }
    p[0] = p0 * *a;
    if (s->P * *a < REBASE_BELOW) return true;
    double P_prev = s->P;
    s->P *= *a;
    for (size_t j = 1; j <= J; j++) s->F[j] += P_prev * dn[j];
    to_z(s, x, s->z);
    for (size_t b = 0; b <= J; b++) s->C[b] += s->z[b];
    return false;
}

/* The event term of each state in the current Z coordinates: row j of ez (J1 x J1). */
static void event_terms(const aj_state *s, double e, double *ev, double *ez)
{
    const size_t J1 = s->J1;
    for (size_t j = 1; j < J1; j++) {
        memset(ev, 0, J1 * sizeof *ev);
        ev[0] = -e;
        ev[j] = e;
        to_z(s, ev, ez + j * J1);
    }
}

/* The rebase map A (J1 x J1, row-major, as the header) and b = A C + x. */
static void rebase_map(const aj_state *s, const double *x, const double *dn, double a, double *A,
                       double *b)
{
    const size_t J = s->J, J1 = s->J1;
    memset(A, 0, J1 * J1 * sizeof *A);
    A[0] = a * s->P;
    for (size_t j = 1; j <= J; j++) {
        A[j * J1] = s->F[j] + s->P * dn[j];
        A[j * J1 + j] = 1;
    }
    for (size_t i = 0; i < J1; i++) {
        double t = x[i];
        for (size_t k = 0; k < J1; k++) t += A[i * J1 + k] * s->C[k];
        b[i] = t;
    }
}

/* G <- A G A' (the sums of the subjects not at risk), then P = 1, F = 0, C = 0 follow. */
static void map_sums(aj_state *s, const double *A)
{
    const size_t J1 = s->J1;
    double *AG = s->z; /* scratch: J1^2 */
    for (size_t i = 0; i < J1; i++)
        for (size_t c = 0; c < J1; c++) {
            double g = 0;
            for (size_t k = 0; k < J1; k++) g += A[i * J1 + k] * s->G[k * J1 + c];
            AG[i * J1 + c] = g;
        }
    for (size_t i = 0; i < J1; i++)
        for (size_t c = 0; c < J1; c++) {
            double g = 0;
            for (size_t k = 0; k < J1; k++) g += AG[i * J1 + k] * A[c * J1 + k];
            s->G[i * J1 + c] = g;
        }
}

/* Row k of the curve: the events counted[1..J] (unweighted), pstate p and the standard errors
 * (se is scratch, J + 1). */
static void store_row(const aj_state *s, sk_cuminc_curve *c, size_t k, const double *counted,
                      const double *p, double *se)
{
    record_se(s, se);
    for (size_t j = 1; j <= s->J; j++) c->events[j] += counted[j];
    for (size_t j = 0; j <= s->J; j++) {
        sk_aj_state_col(c, j, 0)[k] = j == 0 ? 0 : counted[j];
        sk_aj_state_col(c, j, 1)[k] = p[j];
        sk_aj_state_col(c, j, 2)[k] = se[j];
    }
}

static void reset_coordinates(aj_state *s)
{
    s->P = 1;
    memset(s->F, 0, s->J1 * sizeof *s->F);
    memset(s->C, 0, s->J1 * sizeof *s->C);
}

/* o <- A o + y b, A sparse as built by rebase(). */
static void apply_map(size_t J, const double *A, const double *b, double *o, double y)
{
    const size_t J1 = J + 1;
    double o0 = o[0];
    o[0] = A[0] * o0 + y * b[0];
    for (size_t j = 1; j <= J; j++) o[j] = o[j] + A[j * J1] * o0 + y * b[j];
}

/* Bring subject id's offset to the current coordinates (the rebases since it was last touched;
 * a subject not at risk then, so y = 0 in those maps). */
static void catch_up(const aj_state *s, sk_aj_work *w, size_t id)
{
    const size_t J1 = s->J1;
    for (uint32_t e = w->epoch[id]; e < s->n_maps; e++) {
        const double *A = s->maps + (size_t)e * (J1 * J1 + J1);
        apply_map(s->J, A, A + J1 * J1, w->off + id * J1, w->y[id]);
    }
    w->epoch[id] = s->n_maps;
}

/*
 * Rebase at t_k (before its events and exits): the map A, b of the header, applied to the sums
 * and to the subjects at risk (the rows in by_stop[q_stop..] that have entered), kept for the
 * others. x: x_k; dn[j] = d_jk / n_k; a = a_k. Returns false when out of memory.
 */
static bool rebase(aj_state *s, const sk_aj_rows *r, sk_aj_work *w, size_t q_stop, double tk,
                   const double *x, const double *dn, double a)
{
    const size_t J = s->J, J1 = s->J1;
    if (s->n_maps == s->cap_maps) {
        uint32_t cap = s->cap_maps ? 2 * s->cap_maps : 16;
        double *m = sk_realloc_array(s->maps, cap, (J1 * J1 + J1) * sizeof *m);
        if (m == NULL) return false;
        s->maps = m;
        s->cap_maps = cap;
    }
    double *A = s->maps + (size_t)s->n_maps * (J1 * J1 + J1), *b = A + J1 * J1;
    rebase_map(s, x, dn, a, A, b);
    /* The subjects at risk leave the sums, which then hold only subjects with y = 0 (H = 0,
     * Y2 = 0) and follow G' = A G A'; the subjects at risk are mapped one by one and come back.
     * (Summing their terms through the map, G' = A G A' + (A H) b' + ..., would cancel badly
     * where every influence on p_0 is near 0, as at a curve's last death.) */
    for (size_t q = q_stop; q < r->m; q++) {
        size_t i = r->by_stop[q], id = slot_at(r, q);
        if (r->start != NULL && !(r->start[i] < tk)) continue;
        account(s, w->off + id * J1, w->y[id], -1);
    }
    map_sums(s, A);
    memset(s->H, 0, J1 * sizeof *s->H);
    s->Y2 = 0;
    s->n_maps++;
    for (size_t q = q_stop; q < r->m; q++) {
        size_t i = r->by_stop[q], id = slot_at(r, q);
        if (r->start != NULL && !(r->start[i] < tk)) continue;
        apply_map(J, A, b, w->off + id * J1, w->y[id]);
        w->epoch[id] = s->n_maps;
        account(s, w->off + id * J1, w->y[id], +1);
    }
    reset_coordinates(s);
    return true;
}

survkit_status sk_aj_curve(const sk_aj_rows *r, sk_aj_work *w, sk_cuminc_curve *c,
                           survkit_error *err)
{
    const size_t J = r->n_states, J1 = J + 1, m = r->m, nc = sk_aj_n_columns(J);
    c->records = m;
    c->n_times = 0;
    c->events = sk_calloc_array(J1, sizeof *c->events);
    RETURN_ERROR_IF(c->events == NULL, err, SURVKIT_ERR_NOMEM, "cuminc: out of memory");
    if (m == 0) return SURVKIT_OK;
    size_t nt = 1;
    for (size_t q = 1; q < m; q++) nt += r->time[r->by_stop[q]] != r->time[r->by_stop[q - 1]];
    c->n_times = nt;
    c->values = sk_calloc_array(nt, nc * sizeof(double));
    /* vectors C, F, H, d, x, dn, se, p, ev, dc; matrices G, ez and the scratch z (J1 + J1^2) */
    double *buf = sk_calloc_array(10 * J1 + 3 * J1 * J1 + J1, sizeof(double));
    if (c->values == NULL || buf == NULL) {
        free(buf);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "cuminc: out of memory");
    }
    aj_state s = {J, J1, buf, buf + J1, 1.0, buf + 10 * J1, buf + 2 * J1, 0,
                  buf + 10 * J1 + 2 * J1 * J1, NULL, 0, 0};
    double *d = buf + 3 * J1, *x = buf + 4 * J1, *dn = buf + 5 * J1, *se = buf + 6 * J1,
           *p = buf + 7 * J1, *ev = buf + 8 * J1, *dc = buf + 9 * J1,
           *ez = buf + 10 * J1 + J1 * J1;
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
    for (size_t q = 0; q < m; q++) {
        size_t id = slot_at(r, q);
        memset(w->off + id * J1, 0, J1 * sizeof *w->off);
        w->y[id] = 0;
        w->epoch[id] = 0;
    }
    for (size_t k = 0; k < nt; k++) {
        const double tk = t[k];
        /* entries: rows with start < t_k join the risk set, their subject's offset less w C */
        for (; q_start < m && (r->by_start == NULL ? k == 0 : r->start[r->by_start[q_start]] < tk);
             q_start++) {
            size_t i = r->by_start ? r->by_start[q_start] : r->by_stop[q_start];
            size_t id = r->subject ? (size_t)r->subject[i] : q_start;
            double wi = weight_of(r, i), *o = w->off + id * J1;
            if (r->by_start != NULL) ws += wi;
            catch_up(&s, w, id);
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
        const bool stepped = dk > 0 && nk > 0;
        if (stepped) {
            double a, e;
            if (step(&s, p, d, dk, nk, x, dn, &a, &e) && !rebase(&s, r, w, q_stop, tk, x, dn, a)) {
                free(buf);
                free(s.maps);
                return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "cuminc: out of memory");
            }
            event_terms(&s, e, ev, ez);
        }
        /* rows leaving: the event term, then the offset frozen (+w C) and out of the risk set */
        for (size_t q = q_stop; q < q_end; q++) {
            size_t i = r->by_stop[q], id = slot_at(r, q);
            int32_t st = r->state[i];
            double wi = weight_of(r, i), *o = w->off + id * J1;
            account(&s, o, w->y[id], -1);
            for (size_t b = 0; b <= J; b++)
                o[b] += wi * (s.C[b] + (stepped && st > 0 ? ez[(size_t)st * J1 + b] : 0));
            w->y[id] -= wi;
            account(&s, o, w->y[id], +1);
        }
        for (size_t q = q_stop; q < q_end; q++) ws -= weight_of(r, r->by_stop[q]);
        q_stop = q_end;
        store_row(&s, c, k, dc, p, se);
    }
    free(buf);
    free(s.maps);
    return SURVKIT_OK;
}

/*
 * The same pass for unweighted right-censored rows, one per subject, from their counts per time
 * and state alone (no row is visited): every subject at risk then has the offset V (a common
 * vector) and y = 1, so the rows leaving at t_k in state s change the sums by their number c:
 * G += c (U U' - V V'), H -= c V, Y2 -= c, with U = V + C + (the event term of s); a rebase maps
 * V (V' = A (V + C) + x_k) and the sums of the others (G' = A G A').
 */
survkit_status sk_aj_curve_counts(const sk_aj_counts *in, sk_cuminc_curve *c, survkit_error *err)
{
    const size_t J = in->n_states, J1 = J + 1, nt = in->n_times, nc = sk_aj_n_columns(J);
    c->records = in->m;
    c->n_times = nt;
    c->events = sk_calloc_array(J1, sizeof *c->events);
    RETURN_ERROR_IF(c->events == NULL, err, SURVKIT_ERR_NOMEM, "cuminc: out of memory");
    if (nt == 0) return SURVKIT_OK;
    c->values = sk_calloc_array(nt, nc * sizeof(double));
    /* vectors C, F, H, d, x, dn, se, p, ev, V, U, b; matrices G, ez; scratch z (J1 + J1^2) */
    double *buf = sk_calloc_array(12 * J1 + 3 * J1 * J1 + J1, sizeof(double));
    if (c->values == NULL || buf == NULL) {
        free(buf);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "cuminc: out of memory");
    }
    aj_state s = {J, J1, buf, buf + J1, 1.0, buf + 12 * J1, buf + 2 * J1, (double)in->m,
                  buf + 12 * J1 + 2 * J1 * J1, NULL, 0, 0};
    double *d = buf + 3 * J1, *x = buf + 4 * J1, *dn = buf + 5 * J1, *se = buf + 6 * J1,
           *p = buf + 7 * J1, *ev = buf + 8 * J1, *V = buf + 9 * J1, *U = buf + 10 * J1,
           *b = buf + 11 * J1, *ez = buf + 12 * J1 + J1 * J1;
    double *Amat = sk_malloc_array(J1 * J1, sizeof *Amat);
    if (Amat == NULL) {
        free(buf);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "cuminc: out of memory");
    }
    p[0] = 1;
    double at_risk = (double)in->m;
    for (size_t k = 0; k < nt; k++) {
        const double *cnt = in->counts + k * J1;
        double dk = 0, leaving = cnt[0];
        for (size_t j = 1; j <= J; j++) {
            d[j] = cnt[j];
            dk += cnt[j];
            leaving += cnt[j];
        }
        sk_aj_col(c, 0)[k] = in->times[k];
        sk_aj_col(c, 1)[k] = at_risk;
        sk_aj_col(c, 2)[k] = cnt[0];
        const bool stepped = dk > 0 && at_risk > 0;
        if (stepped) {
            double a, e;
            if (step(&s, p, d, dk, at_risk, x, dn, &a, &e)) {
                rebase_map(&s, x, dn, a, Amat, b);
                for (size_t i = 0; i < J1; i++) /* the subjects at risk leave the sums */
                    for (size_t j = 0; j < J1; j++) s.G[i * J1 + j] -= s.Y2 * V[i] * V[j];
                map_sums(&s, Amat);
                for (size_t i = 0; i < J1; i++) { /* V' = A (V + C) + x = A V + b */
                    double t = b[i];
                    for (size_t k2 = 0; k2 < J1; k2++) t += Amat[i * J1 + k2] * V[k2];
                    U[i] = t;
                }
                memcpy(V, U, J1 * sizeof *V);
                for (size_t i = 0; i < J1; i++) {
                    for (size_t j = 0; j < J1; j++) s.G[i * J1 + j] += s.Y2 * V[i] * V[j];
                    s.H[i] = s.Y2 * V[i];
                }
                reset_coordinates(&s);
            }
            event_terms(&s, e, ev, ez);
        }
        for (size_t st = 0; st <= J; st++) { /* the rows leaving in state st */
            const double cs = cnt[st];
            if (cs == 0) continue;
            for (size_t i = 0; i < J1; i++)
                U[i] = V[i] + s.C[i] + (stepped && st > 0 ? ez[st * J1 + i] : 0);
            for (size_t i = 0; i < J1; i++) {
                for (size_t j = 0; j < J1; j++) s.G[i * J1 + j] += cs * (U[i] * U[j] - V[i] * V[j]);
                s.H[i] -= cs * V[i];
            }
            s.Y2 -= cs;
        }
        at_risk -= leaving;
        store_row(&s, c, k, cnt, p, se);
    }
    free(Amat);
    free(buf);
    return SURVKIT_OK;
}
