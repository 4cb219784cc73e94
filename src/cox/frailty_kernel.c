/*
 * frailty_kernel.c: the Cox partial likelihood with a shared frailty, its score and the three
 * blocks of its information that R's coxfit5 keeps (the sparse rule): the frailty block's
 * diagonal, the frailty x covariate block and the covariate block, in O(n p + slots p) per
 * evaluation, never O(groups x event times) as R's loop over every group at every death.
 *
 * Notation of efron.c (design.md): row i, weight v_i, risk R_i = v_i exp(eta_i) with eta_i =
 * x_i'b + offset_i + f_g(i); event slot k, w_k = wd_k / d_k (Breslow: d_k = 1), f_l = l / d_k,
 * den_kl = S0_k - f_l E0_k (E0_k R's agfit5 sum of v_i R_i with case weights and (start, stop]
 * data: efron.c, sk_cox_work_set_agfit5; only den_kl changes, every sum below keeps R_i),
 * a_k = w_k sum_l 1/den_kl, b_k = w_k sum_l f_l/den_kl,
 * c_i = R_i (A_i - delta_i b_k(i)). For group g, S0g_k and E0g_k are the sums of R_i over its rows
 * at risk at slot k and over its events there. Then
 *
 *   covariates:  loglik, U and I from sk_cox_efron_eval with f_g(i) added to the offset;
 *   U_g      = sum_{i in g} (delta_i v_i - c_i)
 *   I_gj     = sum_{i in g} [c_i x_ij - R_i (G_j(kin_i) - G_j(kout_i)) + delta_i R_i e_k(i)j]
 *              with g_kj = sum_l (w_k/den_kl) m_kl,j, e_kj = sum_l f_l (w_k/den_kl) m_kl,j and
 *              G_j(k) their suffix sums over the slots (sk_cox_hazard_compute);
 *   fdiag_g  = sum_k u_k sum_l [m_kl,g - m_kl,g^2],  m_kl,g = (S0g_k - f_l E0g_k) / den_kl,
 *              u_k = d_k / wd_k: R's coxfit5 adds m (1 - m) once per tied death, without the
 *              case weight (wtave) it gives every other sum; so
 *            = sum_{i in g} R_i (FA(kin_i) - FA(kout_i)) - sum_{events i in g} R_i u_k b_k
 *              - sum_k u_k (S0g_k^2 a2_k - 2 S0g_k E0g_k a2f_k + E0g_k^2 a2ff_k),
 *              FA the suffix sums of u_k a_k, a2 = sum_l w/den^2, a2f = sum_l f w/den^2,
 *              a2ff = sum_l f^2 w/den^2.
 * The squares need S0g_k at every slot, which is constant between the slots where a row of g
 * enters (kin) or leaves (kout): each group's 2 n_g breakpoints, sorted once, are swept with
 * prefix sums of u_k a2_k, so the whole sum costs O(n). Centring x does not change U_g or I_gj
 * (sum_l over a slot of w m_kl,g equals sum_{i in g} c_i), so the centred x of the kernel is used.
 */
#include "cox/penal_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct bp_sort {
    int32_t group;
    size_t slot;
    size_t code;
} bp_sort;

static int bp_compare(const void *pa, const void *pb)
{
    const bp_sort *a = pa, *b = pb;
    if (a->group != b->group) return a->group < b->group ? -1 : 1;
    if (a->slot != b->slot) return a->slot < b->slot ? -1 : 1;
    return a->code < b->code ? -1 : a->code > b->code;
}

void sk_frail_kernel_free(sk_frail_kernel *k)
{
    if (k == NULL) return;
    sk_cox_work_free(k->work);
    free(k->eta_offset), free(k->eta), free(k->c), free(k->slot_a), free(k->slot_b);
    free(k->bp), free(k->bp_slot), free(k->bp_first);
    memset(k, 0, sizeof *k);
}

survkit_status sk_frail_kernel_init(sk_frail_kernel *k, const sk_cox_problem *pb,
                                    const int32_t *group, size_t n_groups, survkit_error *err)
{
    memset(k, 0, sizeof *k);
    const sk_cox_layout *lay = pb->lay;
    const size_t n = pb->n;
    k->pb = *pb;
    k->offset = pb->offset;
    k->group = group;
    k->n_groups = n_groups;
    k->eta_offset = sk_malloc_array(n, sizeof(double));
    k->eta = sk_malloc_array(n, sizeof(double));
    k->c = sk_malloc_array(n, sizeof(double));
    k->slot_a = sk_malloc_array(lay->n_slots, sizeof(double));
    k->slot_b = sk_malloc_array(lay->n_slots + 1, sizeof(double));
    k->bp_first = sk_calloc_array(n_groups + 1, sizeof(size_t));
    bp_sort *tmp = sk_malloc_array(2 * n + 1, sizeof *tmp);
    k->bp = sk_malloc_array(2 * n + 1, sizeof(size_t));
    k->bp_slot = sk_malloc_array(2 * n + 1, sizeof(size_t));
    if (!k->eta_offset || !k->eta || !k->c || !k->slot_a || !k->slot_b || !k->bp_first || !tmp ||
        !k->bp || !k->bp_slot) {
        free(tmp);
        sk_frail_kernel_free(k);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (frailty)");
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (lay->kin[i] >= lay->kout[i]) continue; /* never at risk */
        if (group == NULL) break; /* no frailty: the covariates alone */
        tmp[m++] = (bp_sort){group[i], lay->kin[i], i << 1};
        tmp[m++] = (bp_sort){group[i], lay->kout[i], i << 1 | 1};
    }
    qsort(tmp, m, sizeof *tmp, bp_compare); /* once per fit */
    for (size_t t = 0; t < m; t++) {
        k->bp[t] = tmp[t].code;
        k->bp_slot[t] = tmp[t].slot;
        k->bp_first[tmp[t].group + 1]++;
    }
    for (size_t g = 0; g < n_groups; g++) k->bp_first[g + 1] += k->bp_first[g];
    k->n_bp = m;
    free(tmp);
    k->pb.offset = k->eta_offset;
    survkit_status st = sk_cox_work_create(&k->pb, &k->work, err);
    if (st != SURVKIT_OK) sk_frail_kernel_free(k);
    return st;
}

double sk_frail_kernel_eval(sk_frail_kernel *k, const double *beta, const double *f, double *u,
                            double *fdiag, double *cross, double *imat, bool *nomem)
{
    const sk_cox_problem *pb = &k->pb;
    const sk_cox_layout *lay = pb->lay;
    const size_t n = pb->n, p = pb->p, G = k->n_groups, ns = lay->n_slots;
    const double *v = pb->weights, *status = pb->status;
    for (size_t i = 0; i < n; i++)
        k->eta_offset[i] = (k->offset ? k->offset[i] : 0.0) + (G ? f[k->group[i]] : 0.0);
    double loglik = sk_cox_efron_eval(pb, k->work, beta, u + G, imat);
    if (G == 0) return loglik;

    /* The linear predictor with centred x, for the per-slot sums at the same point. */
    memcpy(k->eta, k->eta_offset, n * sizeof(double));
    for (size_t j = 0; j < p; j++) {
        const double *x = pb->x + j * n;
        const double bj = beta[j], mj = pb->xmean[j];
        for (size_t i = 0; i < n; i++) k->eta[i] += (x[i] - mj) * bj;
    }
    sk_cox_hazard hz;
    if (sk_cox_hazard_compute(pb, k->work, k->eta, &hz, NULL) != SURVKIT_OK) {
        *nomem = true;
        return NAN;
    }
    /* slot_a: suffix sums of a_k; slot_b: suffix sums of u_k a_k */
    double *sa = k->slot_a, *sua = k->slot_b;
    sk_cox_suffix_sums(lay, hz.a, sa);
    double *uk = sk_malloc_array(ns + 1, sizeof(double));
    double *col = sk_malloc_array(ns, sizeof(double));
    double *p2 = sk_malloc_array(ns + 1, sizeof(double));
    if (uk == NULL || col == NULL || p2 == NULL) {
        free(uk), free(col), free(p2);
        sk_cox_hazard_free(&hz);
        *nomem = true;
        return NAN;
    }
    for (size_t s = 0; s < ns; s++)
        uk[s] = lay->slot_deaths[s] > 0 ? (double)lay->slot_deaths[s] / lay->slot_wdeaths[s] : 0.0;
    for (size_t s = 0; s < ns; s++) col[s] = uk[s] * hz.a[s];
    sk_cox_suffix_sums(lay, col, sua);
    p2[0] = 0; /* prefix sums of u_k a2_k over all slots */
    for (size_t s = 0; s < ns; s++) p2[s + 1] = p2[s] + uk[s] * hz.a2[s];

    /* suffix sums of every covariate's g_kj, side by side: sg[j * ns + k] */
    double *sg = sk_malloc_array(ns * p + 1, sizeof(double));
    if (sg == NULL) {
        free(uk), free(col), free(p2);
        sk_cox_hazard_free(&hz);
        *nomem = true;
        return NAN;
    }
    for (size_t j = 0; j < p; j++) sk_cox_suffix_sums(lay, hz.g + j * ns, sg + j * ns);
    double *r = k->eta; /* R_i = v_i exp(eta_i), in the scratch the linear predictor held */
    memset(u, 0, G * sizeof(double));
    memset(fdiag, 0, G * sizeof(double));
    memset(cross, 0, p * G * sizeof(double));
    /* one pass over the rows: score, the linear parts of the diagonal and the cross block
     * c_i x_ij - R_i (G_j(kin) - G_j(kout)) + delta_i R_i e_k(i)j, a group's p values together */
    for (size_t i = 0; i < n; i++) {
        const size_t kin = lay->kin[i], kout = lay->kout[i];
        const size_t g = (size_t)k->group[i];
        if (kin >= kout) { /* never at risk: no part in any sum */
            k->c[i] = r[i] = 0;
            continue;
        }
        const double ri = v[i] * hz.risk[i];
        const double dead = status[i];
        const double ci = ri * (sa[kin] - sa[kout] - dead * hz.b[kin]);
        r[i] = ri;
        k->c[i] = ci;
        u[g] += dead * v[i] - ci;
        fdiag[g] += ri * (sua[kin] - sua[kout]) - dead * ri * uk[kin] * hz.b[kin];
        double *cg = cross + g * p;
        for (size_t j = 0; j < p; j++) {
            const double *sgj = sg + j * ns;
            cg[j] += ci * (pb->x[i + j * n] - pb->xmean[j]) - ri * (sgj[kin] - sgj[kout]) +
                     dead * ri * hz.e[j * ns + kin];
        }
    }
    /* the squares, group by group over its sorted breakpoints */
    for (size_t g = 0; g < G; g++) {
        double s0g = 0, quad = 0;
        size_t t = k->bp_first[g];
        const size_t end = k->bp_first[g + 1];
        while (t < end) {
            const size_t slot = k->bp_slot[t];
            double e0g = 0;
            for (; t < end && k->bp_slot[t] == slot; t++) { /* every change at this slot */
                const size_t c2 = k->bp[t], r2 = c2 >> 1;
                if (c2 & 1) s0g -= r[r2];
                else {
                    s0g += r[r2];
                    if (status[r2] != 0) e0g += r[r2];
                }
            }
            if (t < end) quad += s0g * s0g * (p2[k->bp_slot[t]] - p2[slot]);
            if (e0g != 0 && slot < ns)
                quad += uk[slot] * (e0g * e0g * hz.a2ff[slot] - 2 * s0g * e0g * hz.a2f[slot]);
        }
        fdiag[g] -= quad;
    }
    free(sg);
    free(uk), free(col), free(p2);
    sk_cox_hazard_free(&hz);
    return loglik;
}
