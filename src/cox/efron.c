/*
 * efron.c: the Cox partial likelihood, its score and information, for Breslow and Efron ties, in
 * the BLAS-3 form of design.md. One kernel for right-censored and counting-process data, strata
 * and case weights (Breslow is Efron with every tied set counted as one death).
 *
 * Notation (design.md): rows i with weight v_i, centred covariates x_i, eta_i = x_i'b + offset_i,
 * risk r_i = v_i exp(eta_i), event indicator delta_i. Event slot k (cox_data.c) has risk set R_k,
 * d_k tied events of summed weight wd_k; S0_k, S1_k are the risk-set sums of r_i and r_i x_i, E0_k,
 * E1_k the same over the events alone. With w_k = wd_k / d_k and f = l / d_k, l = 0..d_k-1:
 *
 *     den_kl = S0_k - f E0_k,    m_kl = (S1_k - f E1_k) / den_kl,
 *     a_k = w_k sum_l 1/den_kl,  b_k = w_k sum_l f/den_kl,
 *     A_i = sum of a_k over the slots where row i is at risk,
 *     c_i = r_i (A_i - delta_i b_k(i))                                      (>= 0)
 *
 *     loglik = sum_i delta_i v_i eta_i - sum_k w_k sum_l log den_kl
 *     U      = X' (delta .* v - c)                                          (GEMV)
 *     I      = X' diag(c) X - M' diag(w) M,  M: one row m_kl per (k, l)     (two SYRKs)
 *
 * Breslow: d_k is taken as 1 with w_k = wd_k.
 *
 * M needs no row per tied death: a slot's rows m_kl = (S1_k - f_l E1_k) / den_kl contribute
 * w_k [S1 E1] G [S1 E1]' with G = sum_l (1, -f_l)'(1, -f_l) / den_kl^2 = [[al, -be], [-be, ga]],
 * a rank-2 form. With G = L L' (L11 = sqrt(al), L21 = -be / sqrt(al), L22^2 = ga - be^2/al
 * = sum_l (f_l - be/al)^2 / den_kl^2, summed that way to avoid cancellation), the slot gives the two
 * rows sqrt(w_k) (L11 S1 + L21 E1) and sqrt(w_k) L22 E1. So M has min(d_k, 2) rows per event time
 * (one row m_k0 for a single death, the two m_kl themselves for d_k = 2): a few thousand rows for
 * integer-day times instead of one per event.
 *
 * One evaluation reads X twice, in row blocks that stay in cache, centring each block on the fly
 * (x_i - mean, the same doubles a centred copy would hold, but no copy of X is kept):
 *   pass 1 (rows split in two halves on two threads for large n, each half summing into its own
 *     slot arrays, added after, so the result does not depend on the number of cores): eta, r_i,
 *     and scatters of r_i and r_i x_i into the rows' entry and exit slots;
 *   then over the slots: running sums per stratum (R's agfit4 order: subtract the leavers, add the
 *     entrants, restart from zero when everyone has left), the per-slot scalars and the rows of M;
 *     suffix sums of a_k give A_i = Q[kin_i] - Q[kout_i], hence c_i;
 *   pass 2 (the same two halves, each with its own U and information, added after): U +=
 *     Xblock' (delta v - c), then the block scaled by sqrt(c) into a SYRK, so that X' diag(c) X is
 *     accumulated without a scaled copy of X.
 *
 * exp() overflow: the risk of a stratum is computed relative to a shift (the stratum's mean eta
 * when some eta exceeds 700, else 0; pass 1 assumes 0 and is run again when an eta is larger).
 * Every quantity above is invariant to it; R's agfit4 does the same ("recenter"), R's coxfit6 needs
 * it never in practice.
 *
 * The diagnostics reuse the same passes. sk_cox_hazard_compute keeps the per-slot sums at a given
 * eta (with a2_k = w_k sum_l 1/den_kl^2, the baseline hazard's variance term, and the shifts).
 * sk_cox_efron_slot_info weights each event slot by t_k (cox.zph):
 *
 *     I_t = X' diag(c_t) X - M' diag(w t) M,
 *     c_t,i = r_i (sum of t_k a_k over the slots where i is at risk - delta_i t_k(i) b_k(i)),
 *
 * which is pass 2 with c_t in place of c: c_t may be negative, so each centred block is multiplied
 * by a c_t-scaled copy (GEMM) instead of the sqrt(c)-scaled SYRK; the rank-2 rows of M of slot k
 * carry w_k sum_l m_kl m_kl' exactly, so they take t_k as a whole.
 */
#include "cox/cox_internal.h"
#include "core/memory.h"
#include "core/parallel.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    SCAN_ELEMENTS = 32768,   /* pass 1 blocks: 256 KB of centred rows, in L2 */
    SYRK_ELEMENTS = 262144,  /* pass 2 blocks: about 2 MB, where the SYRK runs at full speed */
    MIN_BLOCK_ROWS = 256,
    PARALLEL_MIN_ROWS = 100000,
    MAX_PARTS = 2
};

/* One half of the rows' slot sums (pass 1). add holds the censorings entering at a slot until
 * scan_all adds the events (e) to it. */
typedef struct slot_sums {
    double *add0, *rem0, *e0; /* n_slots; rem only for counting-process data */
    double *add1, *rem1, *e1; /* n_slots x p, slot-major: slot k's p sums at [k * p] */
    double *block;            /* scan_rows x p: centred rows, row-major */
    double max_eta;
} slot_sums;

struct sk_cox_work {
    size_t n, p, n_slots, n_mrows, scan_rows, syrk_rows, n_parts;
    double *eta, *risk, *c;          /* n */
    double *s0, *a, *b, *q;          /* n_slots */
    slot_sums part[MAX_PARTS];       /* part[0].add1 ends up holding the running sums S1 */
    size_t *mrow_slot;               /* n_mrows: the slot of each row of M */
    double *mca, *mcb;               /* n_mrows: row = mca S1 - mcb E1 */
    double *m;                       /* n_mrows x p */
    double *shift;                   /* n_strata */
    double *part_block[MAX_PARTS];   /* pass 2: syrk_rows x p each */
    double *part_u, *part_imat;      /* pass 2: p and p x p per part */
};

static void free_sums(slot_sums *s)
{
    free(s->add0), free(s->rem0), free(s->e0), free(s->add1), free(s->rem1), free(s->e1);
    free(s->block);
}

void sk_cox_work_free(sk_cox_work *w)
{
    if (w == NULL) return;
    free(w->eta), free(w->risk), free(w->c);
    free(w->s0), free(w->a), free(w->b), free(w->q);
    for (size_t t = 0; t < MAX_PARTS; t++) free_sums(&w->part[t]);
    free(w->mrow_slot), free(w->mca), free(w->mcb), free(w->m), free(w->shift);
    for (size_t t = 0; t < MAX_PARTS; t++) free(w->part_block[t]);
    free(w->part_u), free(w->part_imat);
    free(w);
}

static size_t rows_for(size_t elements, size_t p, size_t n)
{
    size_t rows = p > 0 && elements / p > MIN_BLOCK_ROWS ? elements / p : MIN_BLOCK_ROWS;
    return rows > n ? (n > 0 ? n : 1) : rows;
}

static bool alloc_sums(slot_sums *s, size_t ns, size_t p, size_t scan_rows, bool counting)
{
    size_t slots_p;
    if (!sk_mul_size(ns, p, &slots_p)) return false;
    s->add0 = sk_malloc_array(ns, sizeof(double));
    s->e0 = sk_malloc_array(ns, sizeof(double));
    s->add1 = sk_malloc_array(slots_p, sizeof(double));
    s->e1 = sk_malloc_array(slots_p, sizeof(double));
    s->block = sk_malloc_array(scan_rows * (p ? p : 1), sizeof(double));
    if (counting) {
        s->rem0 = sk_malloc_array(ns, sizeof(double));
        s->rem1 = sk_malloc_array(slots_p, sizeof(double));
    }
    return s->add0 && s->e0 && s->add1 && s->e1 && s->block && (!counting || (s->rem0 && s->rem1));
}

survkit_status sk_cox_work_create(const sk_cox_problem *pb, sk_cox_work **out, survkit_error *err)
{
    const sk_cox_layout *lay = pb->lay;
    *out = NULL;
    sk_cox_work *w = calloc(1, sizeof *w);
    RETURN_ERROR_IF(w == NULL, err, SURVKIT_ERR_NOMEM, "out of memory (Cox workspace)");
    const size_t n = pb->n, p = pb->p, ns = lay->n_slots;
    w->n = n;
    w->p = p;
    w->n_slots = ns;
    for (size_t k = 0; k < ns; k++) {
        size_t d = (size_t)lay->slot_deaths[k];
        if (d > 0) w->n_mrows += pb->efron && d >= 2 ? 2 : 1;
    }
    w->scan_rows = rows_for(SCAN_ELEMENTS, p, n);
    w->syrk_rows = rows_for(SYRK_ELEMENTS, p, n);
    /* Two halves when the rows are many and the per-half slot arrays few (integer times). */
    w->n_parts = n >= PARALLEL_MIN_ROWS && (3 + 3 * p) * ns <= n / 4 ? MAX_PARTS : 1;
    size_t m_p = 0;
    bool ok = sk_mul_size(w->n_mrows, p, &m_p);
    w->eta = sk_malloc_filled(n, sizeof(double));
    w->risk = sk_malloc_filled(n, sizeof(double));
    w->c = sk_malloc_filled(n, sizeof(double));
    w->s0 = sk_malloc_array(ns, sizeof(double));
    w->a = sk_malloc_array(ns, sizeof(double));
    w->b = sk_malloc_array(ns, sizeof(double));
    w->q = sk_malloc_array(ns, sizeof(double));
    for (size_t t = 0; ok && t < w->n_parts; t++)
        ok = alloc_sums(&w->part[t], ns, p, w->scan_rows, lay->counting);
    w->mrow_slot = sk_malloc_array(w->n_mrows, sizeof(size_t));
    w->mca = sk_malloc_array(w->n_mrows, sizeof(double));
    w->mcb = sk_malloc_array(w->n_mrows, sizeof(double));
    w->m = ok ? sk_malloc_array(m_p, sizeof(double)) : NULL;
    w->shift = sk_malloc_array(lay->n_strata, sizeof(double));
    for (size_t t = 0; ok && t < w->n_parts; t++)
        ok = (w->part_block[t] = sk_malloc_array(w->syrk_rows * (p ? p : 1), sizeof(double))) != NULL;
    w->part_u = sk_malloc_array(w->n_parts * (p ? p : 1), sizeof(double));
    w->part_imat = sk_malloc_array(w->n_parts * (p ? p * p : 1), sizeof(double));
    ok = ok && w->eta && w->risk && w->c && w->s0 && w->a && w->b && w->q && w->mrow_slot &&
         w->mca && w->mcb && w->m && w->shift && w->part_u && w->part_imat;
    if (!ok) {
        sk_cox_work_free(w);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (Cox workspace)");
    }
    *out = w;
    return SURVKIT_OK;
}

/* to[0..p) += r * from[0..p): one row's covariates into one slot's sums (vectorised). */
static inline void add_scaled(double *restrict to, const double *restrict from, double r, size_t p)
{
    for (size_t j = 0; j < p; j++) to[j] += r * from[j];
}

/*
 * Pass 1 over rows [r0, r1) into `acc`: eta = offset + Xc beta (when beta is not NULL; otherwise
 * w->eta is given), r_i = v_i exp(eta_i - shift), and the scatters of r_i and r_i x_i. The block
 * holds the centred rows transposed (row i's p covariates together) and the slot sums are
 * slot-major, so that adding a row into its slot is one short vector loop.
 */
static void scan_rows(const sk_cox_problem *pb, sk_cox_work *w, const double *beta, size_t r0,
                      size_t r1, slot_sums *acc)
{
    const sk_cox_layout *lay = pb->lay;
    const size_t n = pb->n, p = pb->p, ns = w->n_slots;
    const bool counting = lay->counting;
    memset(acc->add0, 0, ns * sizeof(double));
    memset(acc->e0, 0, ns * sizeof(double));
    memset(acc->add1, 0, ns * p * sizeof(double));
    memset(acc->e1, 0, ns * p * sizeof(double));
    if (counting) {
        memset(acc->rem0, 0, ns * sizeof(double));
        memset(acc->rem1, 0, ns * p * sizeof(double));
    }
    double max_eta = -INFINITY;
    double *const block = acc->block;
    for (size_t start = r0; start < r1; start += w->scan_rows) {
        const size_t nb = r1 - start < w->scan_rows ? r1 - start : w->scan_rows;
        const size_t *kin = lay->kin + start, *kout = lay->kout + start;
        const double *st = pb->status + start, *v = pb->weights + start;
        const int32_t *stratum = lay->row_stratum + start;
        double *eta = w->eta + start, *risk = w->risk + start;
        if (beta != NULL) memcpy(eta, pb->offset + start, nb * sizeof(double));
        for (size_t j = 0; j < p; j++) {
            const double *x = pb->x + j * n + start;
            const double mean = pb->xmean[j];
            if (beta != NULL) {
                const double bj = beta[j];
                for (size_t i = 0; i < nb; i++) eta[i] += bj * (x[i] - mean);
            }
            for (size_t i = 0; i < nb; i++) block[i * p + j] = x[i] - mean;
        }
        for (size_t i = 0; i < nb; i++) {
            double r = 0;
            if (kin[i] < kout[i]) {
                if (eta[i] > max_eta) max_eta = eta[i];
                r = v[i] * exp(eta[i] - w->shift[stratum[i]]);
            }
            risk[i] = r;
            const double *xi = block + i * p;
            /* Events and censorings apart (added together in scan_all): one vector loop a row. */
            const bool event = st[i] == 1;
            (event ? acc->e0 : acc->add0)[kin[i]] += r;
            add_scaled((event ? acc->e1 : acc->add1) + kin[i] * p, xi, r, p);
            if (counting) {
                acc->rem0[kout[i]] += r;
                add_scaled(acc->rem1 + kout[i] * p, xi, r, p);
            }
        }
    }
    acc->max_eta = max_eta;
}

/*
 * What the tasks of a pass share: beta for pass 1; for pass 2, y = delta v - c (or NULL: no score)
 * and, when w->c holds signed weights c rather than sqrt(c), one more block per part (`scaled`).
 */
typedef struct pass_job {
    const sk_cox_problem *pb;
    sk_cox_work *w;
    const double *vec;
    double *const *scaled;
} pass_job;

/* The rows [*r0, *r1) of part t. */
static void part_rows(size_t n, size_t n_parts, size_t t, size_t *r0, size_t *r1)
{
    const size_t per = (n + n_parts - 1) / n_parts;
    *r0 = t * per < n ? t * per : n;
    *r1 = *r0 + per < n ? *r0 + per : n;
}

static void scan_part(void *ctx, size_t t)
{
    const pass_job *job = ctx;
    size_t r0, r1;
    part_rows(job->pb->n, job->w->n_parts, t, &r0, &r1);
    scan_rows(job->pb, job->w, job->vec, r0, r1, &job->w->part[t]);
}

static void add_into(double *to, const double *from, size_t count)
{
    for (size_t k = 0; k < count; k++) to[k] += from[k];
}

/* sum_i a_i b_i with four running sums (vectorisable, and the same order on every machine). */
static double dot4(const double *a, const double *b, size_t n)
{
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
    }
    for (; i < n; i++) s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

/*
 * Pass 2 over part t's rows: its U = Xc' y (when y is given) and Xc' diag(c) Xc: the upper
 * triangle by a SYRK of sqrt(c) Xc (w->c = sqrt(c)), or the full matrix by a GEMM of the centred
 * block with its c-scaled copy (job->scaled, w->c = c of any sign).
 */
static void info_part(void *ctx, size_t t)
{
    const pass_job *job = ctx;
    const sk_cox_problem *pb = job->pb;
    sk_cox_work *w = job->w;
    const size_t n = pb->n, p = pb->p;
    double *u = w->part_u + t * p, *imat = w->part_imat + t * p * p, *block = w->part_block[t];
    double *scaled = job->scaled ? job->scaled[t] : NULL;
    memset(u, 0, p * sizeof(double));
    memset(imat, 0, p * p * sizeof(double));
    size_t r0, r1;
    part_rows(n, w->n_parts, t, &r0, &r1);
    for (size_t start = r0; start < r1; start += w->syrk_rows) {
        const size_t nb = r1 - start < w->syrk_rows ? r1 - start : w->syrk_rows;
        const double *cb = w->c + start;
        for (size_t j = 0; j < p; j++) {
            const double *x = pb->x + j * n + start;
            const double mean = pb->xmean[j];
            double *bcol = block + j * nb;
            for (size_t i = 0; i < nb; i++) bcol[i] = x[i] - mean;
            if (job->vec != NULL) u[j] += dot4(bcol, job->vec + start, nb);
            if (scaled != NULL) {
                double *scol = scaled + j * nb;
                for (size_t i = 0; i < nb; i++) scol[i] = cb[i] * bcol[i];
            } else {
                for (size_t i = 0; i < nb; i++) bcol[i] *= cb[i];
            }
        }
        if (scaled != NULL)
            cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)p, (int)p, (int)nb, 1.0,
                        scaled, (int)nb, block, (int)nb, 1.0, imat, (int)p);
        else
            cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)p, (int)nb, 1.0, block,
                        (int)nb, 1.0, imat, (int)p);
    }
}

/* Pass 2 over every row (see info_part); the parts' U and information summed into u, imat. */
static void info_all(const sk_cox_problem *pb, sk_cox_work *w, const double *y,
                     double *const *scaled, double *u, double *imat)
{
    const size_t p = pb->p;
    pass_job job = {pb, w, y, scaled};
    sk_parallel_run(w->n_parts, info_part, &job);
    if (u != NULL) memcpy(u, w->part_u, p * sizeof(double));
    memcpy(imat, w->part_imat, p * p * sizeof(double));
    for (size_t t = 1; t < w->n_parts; t++) {
        if (u != NULL) add_into(u, w->part_u + t * p, p);
        add_into(imat, w->part_imat + t * p * p, p * p);
    }
}

/* Pass 1 over every row, with the overflow shift when needed; the halves added into part[0]. */
static void scan_all(const sk_cox_problem *pb, sk_cox_work *w, const double *beta)
{
    const sk_cox_layout *lay = pb->lay;
    const size_t n = pb->n, ns = w->n_slots, p = pb->p;
    for (size_t s = 0; s < lay->n_strata; s++) w->shift[s] = 0;
    pass_job job = {pb, w, beta, NULL};
    sk_parallel_run(w->n_parts, scan_part, &job);
    double max_eta = -INFINITY;
    for (size_t t = 0; t < w->n_parts; t++)
        if (w->part[t].max_eta > max_eta) max_eta = w->part[t].max_eta;
    if (max_eta > 700) { /* shift by the stratum's mean eta where its largest exceeds 700 */
        for (size_t s = 0; s < lay->n_strata; s++) w->shift[s] = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            int32_t s = lay->row_stratum[i];
            if (lay->kin[i] < lay->kout[i] && w->eta[i] > w->shift[s]) w->shift[s] = w->eta[i];
        }
        for (size_t s = 0; s < lay->n_strata; s++) {
            if (!(w->shift[s] > 700)) {
                w->shift[s] = 0;
                continue;
            }
            double sum = 0, count = 0;
            for (size_t i = 0; i < n; i++)
                if (lay->row_stratum[i] == (int32_t)s && lay->kin[i] < lay->kout[i])
                    sum += w->eta[i], count++;
            w->shift[s] = sum / count;
        }
        job.vec = NULL; /* eta is known now */
        sk_parallel_run(w->n_parts, scan_part, &job);
    }
    slot_sums *total = &w->part[0];
    for (size_t t = 1; t < w->n_parts; t++) {
        const slot_sums *other = &w->part[t];
        add_into(total->add0, other->add0, ns);
        add_into(total->e0, other->e0, ns);
        add_into(total->add1, other->add1, ns * p);
        add_into(total->e1, other->e1, ns * p);
        if (lay->counting) {
            add_into(total->rem0, other->rem0, ns);
            add_into(total->rem1, other->rem1, ns * p);
        }
    }
    /* The entrants of a slot: its censorings (add) and its events (e). */
    add_into(total->add0, total->e0, ns);
    add_into(total->add1, total->e1, ns * p);
}

/*
 * Risks and risk-set sums at beta (or at the given w->eta when beta is NULL): w->risk, S0 (w->s0),
 * S1 (part[0].add1), E0, E1 (part[0].e0, e1), a_k, b_k. Returns sum_k w_k sum_l log den_kl.
 */
static double risk_set_sums(const sk_cox_problem *pb, sk_cox_work *w, const double *beta)
{
    const sk_cox_layout *lay = pb->lay;
    const size_t p = pb->p, ns = lay->n_slots;
    scan_all(pb, w, beta);
    slot_sums *sums = &w->part[0];

    /* Running sums over the slots of each stratum, latest time first. */
    for (size_t s = 0; s < lay->n_strata; s++) {
        size_t first = lay->stratum_first_slot[s], sentinel = lay->stratum_first_slot[s + 1] - 1;
        for (size_t k = first; k < sentinel; k++) {
            bool restart = k == first || lay->slot_restart[k];
            double leave0 = lay->counting ? sums->rem0[k] : 0.0;
            w->s0[k] = (restart ? 0.0 : w->s0[k - 1] - leave0) + sums->add0[k];
            double *s1 = sums->add1 + k * p;
            for (size_t j = 0; j < p; j++) {
                double leave1 = lay->counting ? sums->rem1[k * p + j] : 0.0;
                s1[j] = (restart ? 0.0 : s1[j - p] - leave1) + s1[j];
            }
        }
    }

    /* Per-(k, l) denominators: the log-likelihood term, a_k, b_k, and the rows of M. */
    double log_sum = 0;
    size_t row = 0;
    for (size_t k = 0; k < ns; k++) {
        w->a[k] = w->b[k] = 0;
        int32_t d = lay->slot_deaths[k];
        if (d == 0) continue;
        size_t dd = pb->efron ? (size_t)d : 1;
        double wk = lay->slot_wdeaths[k] / (double)dd, al = 0, be = 0;
        for (size_t l = 0; l < dd; l++) {
            double f = (double)l / (double)dd;
            double den = w->s0[k] - f * sums->e0[k];
            log_sum += wk * log(den);
            w->a[k] += wk / den;
            w->b[k] += wk * f / den;
            al += 1 / (den * den);
            be += f / (den * den);
        }
        double root_w = sqrt(wk);
        if (dd <= 2) { /* the rows m_kl themselves */
            for (size_t l = 0; l < dd; l++, row++) {
                double f = (double)l / (double)dd;
                double den = w->s0[k] - f * sums->e0[k];
                w->mrow_slot[row] = k;
                w->mca[row] = root_w / den;
                w->mcb[row] = root_w * f / den;
            }
        } else { /* the rank-2 form (see the top of the file) */
            double fbar = be / al, spread = 0;
            for (size_t l = 0; l < dd; l++) {
                double f = (double)l / (double)dd;
                double den = w->s0[k] - f * sums->e0[k];
                spread += (f - fbar) * (f - fbar) / (den * den);
            }
            w->mrow_slot[row] = k;
            w->mca[row] = root_w * sqrt(al);
            w->mcb[row++] = root_w * be / sqrt(al);
            w->mrow_slot[row] = k;
            w->mca[row] = 0;
            w->mcb[row++] = -root_w * sqrt(spread);
        }
    }
    return log_sum;
}

/* The rows of M from the risk-set sums, each scaled by sqrt(w_k): w->m (n_mrows x p). */
static void fill_m(const sk_cox_problem *pb, sk_cox_work *w)
{
    const size_t p = pb->p, nm = w->n_mrows;
    const slot_sums *sums = &w->part[0];
    for (size_t j = 0; j < p; j++) {
        const double *s1 = sums->add1 + j, *e1 = sums->e1 + j; /* slot k at [k * p] */
        double *mcol = w->m + j * nm;
        for (size_t r = 0; r < nm; r++) {
            size_t k = w->mrow_slot[r];
            mcol[r] = w->mca[r] * s1[k * p] - w->mcb[r] * e1[k * p];
        }
    }
}

double sk_cox_efron_eval(const sk_cox_problem *pb, sk_cox_work *w, const double *beta, double *u,
                         double *imat)
{
    const sk_cox_layout *lay = pb->lay;
    const size_t n = pb->n, p = pb->p, nm = w->n_mrows;
    const double *v = pb->weights, *st = pb->status;

    double loglik = -risk_set_sums(pb, w, beta);
    for (size_t i = 0; i < n; i++)
        if (st[i] == 1) loglik += v[i] * (w->eta[i] - w->shift[lay->row_stratum[i]]);
    if (p == 0) return loglik;

    /* Rows of M, scaled by sqrt(w_k) so that one SYRK gives M' diag(w) M. */
    fill_m(pb, w);

    /* A_i by suffix sums of a_k (from the earliest event time up), then c_i and delta v - c. */
    sk_cox_suffix_sums(lay, w->a, w->q);
    double *y = w->eta; /* eta is not needed any more */
    for (size_t i = 0; i < n; i++) {
        double c = 0;
        if (lay->kin[i] < lay->kout[i]) {
            double hz = w->q[lay->kin[i]] - w->q[lay->kout[i]];
            if (st[i] == 1) hz -= w->b[lay->kin[i]];
            c = w->risk[i] * hz;
            if (c < 0) c = 0; /* round-off of the counting-process difference */
        }
        y[i] = (st[i] == 1 ? v[i] : 0.0) - c;
        w->c[i] = sqrt(c);
    }

    /* Pass 2: U = Xc' y and I = Xc' diag(c) Xc - M' diag(w) M (upper triangle, then mirrored). */
    info_all(pb, w, y, NULL, u, imat);
    if (nm > 0)
        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)p, (int)nm, -1.0, w->m, (int)nm, 1.0,
                    imat, (int)p);
    for (size_t j = 0; j < p; j++)
        for (size_t i = j + 1; i < p; i++) imat[i + j * p] = imat[j + i * p];
    return loglik;
}

void sk_cox_hazard_free(sk_cox_hazard *hz)
{
    if (hz == NULL) return;
    free(hz->risk), free(hz->a), free(hz->b), free(hz->a2), free(hz->g), free(hz->e), free(hz->mbar);
    free(hz->shift);
    memset(hz, 0, sizeof *hz);
}

survkit_status sk_cox_hazard_compute(const sk_cox_problem *pb, sk_cox_work *w, const double *eta,
                                     sk_cox_hazard *hz, survkit_error *err)
{
    const sk_cox_layout *lay = pb->lay;
    const size_t n = pb->n, p = pb->p, ns = lay->n_slots;
    memset(hz, 0, sizeof *hz);
    size_t slots_p = 0;
    RETURN_ERROR_IF(!sk_mul_size(ns, p, &slots_p), err, SURVKIT_ERR_NOMEM, "size overflow");
    hz->risk = sk_malloc_array(n, sizeof(double));
    hz->a = sk_malloc_array(ns, sizeof(double));
    hz->b = sk_malloc_array(ns, sizeof(double));
    hz->a2 = sk_calloc_array(ns, sizeof(double));
    hz->shift = sk_malloc_array(lay->n_strata, sizeof(double));
    hz->g = sk_calloc_array(slots_p, sizeof(double));
    hz->e = sk_calloc_array(slots_p, sizeof(double));
    hz->mbar = sk_calloc_array(slots_p, sizeof(double));
    if (!hz->risk || !hz->a || !hz->b || !hz->a2 || !hz->shift || !hz->g || !hz->e || !hz->mbar) {
        sk_cox_hazard_free(hz);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (Cox residuals)");
    }
    memcpy(w->eta, eta, n * sizeof(double));
    (void)risk_set_sums(pb, w, NULL);
    for (size_t i = 0; i < n; i++)
        hz->risk[i] = pb->weights[i] > 0 ? w->risk[i] / pb->weights[i] : 0.0;
    memcpy(hz->a, w->a, ns * sizeof(double));
    memcpy(hz->b, w->b, ns * sizeof(double));
    memcpy(hz->shift, w->shift, lay->n_strata * sizeof(double));
    const slot_sums *sums = &w->part[0];
    for (size_t k = 0; k < ns; k++) {
        int32_t d = lay->slot_deaths[k];
        size_t dd = d == 0 ? 0 : pb->efron ? (size_t)d : 1;
        for (size_t l = 0; l < dd; l++) {
            double den = w->s0[k] - (double)l / (double)dd * sums->e0[k];
            hz->a2[k] += lay->slot_wdeaths[k] / (double)dd / (den * den);
        }
    }
    for (size_t j = 0; j < p; j++) {
        const double *s1 = sums->add1 + j, *e1 = sums->e1 + j; /* slot k at [k * p] */
        for (size_t k = 0; k < ns; k++) {
            int32_t d = lay->slot_deaths[k];
            size_t dd = d == 0 ? 0 : pb->efron ? (size_t)d : 1;
            double wk = dd > 0 ? lay->slot_wdeaths[k] / (double)dd : 0;
            double g = 0, e = 0, mbar = 0;
            for (size_t l = 0; l < dd; l++) {
                double f = (double)l / (double)dd;
                double den = w->s0[k] - f * sums->e0[k];
                double m = (s1[k * p] - f * e1[k * p]) / den;
                double h = wk / den;
                g += h * m;
                e += f * h * m;
                mbar += m / (double)dd;
            }
            hz->g[j * ns + k] = g;
            hz->e[j * ns + k] = e;
            hz->mbar[j * ns + k] = mbar;
        }
    }
    return SURVKIT_OK;
}

survkit_status sk_cox_efron_slot_info(const sk_cox_problem *pb, sk_cox_work *w, const double *eta,
                                      const double *slot_weight, double *imat, survkit_error *err)
{
    const sk_cox_layout *lay = pb->lay;
    const size_t n = pb->n, p = pb->p, ns = lay->n_slots, nm = w->n_mrows;
    size_t m_p = 0, block_p = 0;
    RETURN_ERROR_IF(!sk_mul_size(nm, p, &m_p) || !sk_mul_size(w->syrk_rows, p ? p : 1, &block_p),
                    err, SURVKIT_ERR_NOMEM, "size overflow");
    double *ta = sk_malloc_array(ns, sizeof(double));
    double *mt = sk_malloc_array(m_p, sizeof(double));
    double *scaled[MAX_PARTS] = {NULL};
    bool ok = ta != NULL && (mt != NULL || m_p == 0);
    for (size_t t = 0; ok && t < w->n_parts; t++)
        ok = (scaled[t] = sk_malloc_array(block_p, sizeof(double))) != NULL;
    if (!ok) {
        free(ta), free(mt);
        for (size_t t = 0; t < MAX_PARTS; t++) free(scaled[t]);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (information)");
    }
    memcpy(w->eta, eta, n * sizeof(double));
    (void)risk_set_sums(pb, w, NULL);

    /* c_t,i (into w->c), then X' diag(c_t) X by pass 2 in its signed form. */
    for (size_t k = 0; k < ns; k++) ta[k] = slot_weight[k] * w->a[k];
    sk_cox_suffix_sums(lay, ta, w->q);
    for (size_t i = 0; i < n; i++) {
        double c = 0;
        if (lay->kin[i] < lay->kout[i]) {
            c = w->q[lay->kin[i]] - w->q[lay->kout[i]];
            if (pb->status[i] == 1) c -= slot_weight[lay->kin[i]] * w->b[lay->kin[i]];
            c *= w->risk[i];
        }
        w->c[i] = c;
    }
    if (p > 0) info_all(pb, w, NULL, scaled, NULL, imat);

    /* - M' diag(w t) M: the sqrt(w_k)-scaled rows of M against their copies times t_k. */
    fill_m(pb, w);
    for (size_t j = 0; j < p; j++) {
        const double *mcol = w->m + j * nm;
        double *tcol = mt + j * nm;
        for (size_t r = 0; r < nm; r++) tcol[r] = slot_weight[w->mrow_slot[r]] * mcol[r];
    }
    if (nm > 0 && p > 0)
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)p, (int)p, (int)nm, -1.0, mt,
                    (int)nm, w->m, (int)nm, 1.0, imat, (int)p);
    /* Symmetric in exact arithmetic: average the two triangles. */
    for (size_t j = 0; j < p; j++)
        for (size_t i = j + 1; i < p; i++) {
            double v = 0.5 * (imat[i + j * p] + imat[j + i * p]);
            imat[i + j * p] = imat[j + i * p] = v;
        }
    free(ta), free(mt);
    for (size_t t = 0; t < MAX_PARTS; t++) free(scaled[t]);
    return SURVKIT_OK;
}
