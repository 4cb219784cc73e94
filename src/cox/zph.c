/*
 * zph.c: R's cox.zph (survival >= 3), the test of proportional hazards.
 *
 * Let g_k be the transformed time of event slot k (km: 1 - the left-continuous Kaplan-Meier of
 * all rows, unweighted and ignoring strata; rank; identity; log), centred on its mean over the
 * event rows. The model is extended by the time-varying covariates x_i g(t) with coefficients
 * gamma, and the score test of gamma = 0 is taken at (b_fit, 0) with the full information matrix:
 *
 *     u2    = sum_k g_k sum_{i dead at k} v_i (x_i - mbar_k)                 (the added score)
 *     I     = [ I_0  I_1 ]    I_q = sum_k g_k^q sum_l w_k (S2_kl/den_kl - m_kl m_kl')
 *             [ I_1  I_2 ]          (efron.c's sk_cox_efron_slot_info with slot weights g^q)
 *     chisq = (0, u2)' I^-1 (0, u2)   restricted, per term, to the rows of all b and of the
 *                                     term's gammas; GLOBAL uses all of them. df = their count.
 *
 * mbar_k is the mean over l of the Efron means m_kl (the plain risk-set mean for Breslow), which
 * is also the Schoenfeld residual's centring. Exact fits are treated as Breslow, as R does.
 * The scaled Schoenfeld residuals follow cox.zph: each stratum's residuals times the inverse of
 * vmean = I_0 / (the events of the strata where the column varies), plus the coefficient; a
 * factor term is combined into one column sum_j b_j r_j first (scaled, then plus 1).
 * Aliased coefficients are left out, as R drops them.
 * A penalised model (R's coxph.penal) has no row for its frailty term (whose frailties are in eta),
 * takes each term's df from fit$df, and adds a ridge() penalty's second derivatives to I as R does
 * (recycled down the columns: I is then not symmetric, and R's solve() is an LU).
 */
#include "cox/diag_internal.h"
#include "core/sort.h"
#include "core/dense_solve.h"
#include "core/parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct survkit_zph_s {
    survkit_zph_transform transform;
    size_t n_rows;               /* terms + GLOBAL */
    char **names;
    double *chisq, *df, *p;
    size_t n_events, n_terms;
    double *time, *x, *resid, *var;
    int32_t *strata;
};

const char *survkit_zph_transform_name(survkit_zph_transform t)
{
    switch (t) {
    case SURVKIT_ZPH_RANK: return "rank";
    case SURVKIT_ZPH_IDENTITY: return "identity";
    case SURVKIT_ZPH_LOG: return "log";
    default: return "km";
    }
}

survkit_status survkit_zph_transform_parse(const char *name, survkit_zph_transform *out,
                                           survkit_error *err)
{
    static const survkit_zph_transform all[] = {SURVKIT_ZPH_KM, SURVKIT_ZPH_RANK,
                                                SURVKIT_ZPH_IDENTITY, SURVKIT_ZPH_LOG};
    for (size_t k = 0; name && k < 4; k++)
        if (strcmp(name, survkit_zph_transform_name(all[k])) == 0) {
            *out = all[k];
            return SURVKIT_OK;
        }
    return sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, 0, 0,
                        "Unrecognized transform '%s': use km, rank, identity or log",
                        name ? name : "");
}

void survkit_zph_free(survkit_zph *z)
{
    if (z == NULL) return;
    for (size_t k = 0; z->names && k < z->n_rows; k++) free(z->names[k]);
    free(z->names), free(z->chisq), free(z->df), free(z->p);
    free(z->time), free(z->x), free(z->resid), free(z->var), free(z->strata);
    free(z);
}

/* The number of times[0..nt) (increasing) below t: a binary search whose steps depend only on nt,
 * with a conditional move for each comparison. The rows' times come in no order: a branch per
 * comparison would be mispredicted half the time. */
static size_t count_below(const double *times, size_t nt, double t)
{
    size_t lo = 0, len = nt; /* the count lies in [lo, lo + len] */
    while (len > 1) {
        const size_t half = len / 2;
        lo = times[lo + half - 1] < t ? lo + half : lo;
        len -= half;
    }
    return lo + (len == 1 && times[lo] < t);
}

/* ttimes[i], R's switch(transform, ...) in cox.zph, into tt: for every row, or for the event rows
 * alone with km (cox.zph reads no other). */
static survkit_status transform_times(const survkit_cox_data *d, survkit_zph_transform tr,
                                      double *tt, survkit_error *err)
{
    const size_t n = d->n;
    if (tr == SURVKIT_ZPH_IDENTITY || tr == SURVKIT_ZPH_LOG) {
        for (size_t i = 0; i < n; i++) {
            tt[i] = tr == SURVKIT_ZPH_LOG ? log(d->time[i]) : d->time[i];
            RETURN_ERROR_IF(!isfinite(tt[i]), err, SURVKIT_ERR_DOMAIN,
                            "row %zu: the log transform needs positive times", i + 1);
        }
        return SURVKIT_OK;
    }
    if (tr == SURVKIT_ZPH_RANK) { /* average ranks of ties */
        size_t *order = sk_malloc_array(n, sizeof(size_t));
        RETURN_ERROR_IF(order == NULL || !sk_sort_order(d->time, n, false, order), err,
                        SURVKIT_ERR_NOMEM, "out of memory (rank)");
        for (size_t a = 0; a < n;) {
            size_t e = a;
            while (e < n && d->time[order[e]] == d->time[order[a]]) e++;
            double r = 0.5 * (double)(a + 1 + e);
            for (size_t q = a; q < e; q++) tt[order[q]] = r;
            a = e;
        }
        free(order);
        return SURVKIT_OK;
    }
    /* km: 1 - S(t-) from survfitKM of all rows, unweighted and unstratified, at the event rows'
     * times (no other row's is read). */
    survkit_km *km = NULL;
    RETURN_IF_ERROR(survkit_km_fit(n, d->start, d->time, d->status, NULL, NULL, 1, NULL, NULL, &km,
                                   err));
    size_t nt = survkit_km_n_times(km, 0);
    const double *kt = survkit_km_column_values(km, 0, SURVKIT_KM_TIME);
    const double *ks = survkit_km_column_values(km, 0, SURVKIT_KM_SURV);
    for (size_t i = 0; i < n; i++) {
        if (d->status[i] != 1) continue;
        const size_t below = count_below(kt, nt, d->time[i]);
        tt[i] = 1 - (below == 0 ? 1.0 : ks[below - 1]);
    }
    survkit_km_free(km);
    return SURVKIT_OK;
}

/* x' A^-1 x for a symmetric positive definite A (m x m, overwritten). */
static double quad_solve(double *a, const double *x, size_t m, double *y, bool unsymmetric)
{
    memcpy(y, x, m * sizeof(double));
    if (unsymmetric) { /* R's solve(): LU */
        if (!sk_solve_dense(a, y, m))
            for (size_t i = 0; i < m; i++) y[i] = NAN;
    } else {
        sk_cox_cholesky2(a, m, 1e-12);
        sk_cox_chsolve2(a, m, y);
    }
    double s = 0;
    for (size_t i = 0; i < m; i++) s += x[i] * y[i];
    return s;
}

enum {
    ZPH_BLOCK = 256, /* event rows solved together: rows x terms stay in the cache */
    /* events x columns (or rows of a stratum's solves x terms) from which the work is split
     * between two threads: below, starting them costs more than it saves */
    ZPH_PARALLEL_MIN = 1 << 18,
    ZPH_TASKS = 2
};

typedef struct zph_work {
    size_t *keep, *order, *idx; /* kept columns; events in R's order; a test's rows */
    double *tt, *gslot, *gsq, *ones, *imat, *blk, *u2, *sub, *vec, *sol, *schoen;
    size_t *event_slot;  /* per event (in order): its slot */
    double *event_weight; /* per event: v_i g_k */
} zph_work;

static void zph_work_free(zph_work *w)
{
    free(w->keep), free(w->order), free(w->idx), free(w->tt), free(w->gslot), free(w->gsq);
    free(w->ones), free(w->imat);
    free(w->blk), free(w->u2), free(w->sub), free(w->vec), free(w->sol), free(w->schoen);
    free(w->event_slot), free(w->event_weight);
}

/* One stratum's rows [row, row + count) of resid (its events), solved with its matrix a of the
 * terms k[0..nk) (factored by sk_cox_cholesky2, or to be LU-solved when unsymmetric) a block of
 * ZPH_BLOCK rows at a time, all rows of a block together (the same operations per row as one solve
 * per row); the terms not in the stratum get NaN. The blocks are split between the tasks, each
 * with its own part of `scratch` (ZPH_SCRATCH(nt) values): every row is solved alone, so the split
 * changes no bit. */
#define ZPH_SCRATCH(nt) ((size_t)ZPH_BLOCK * (nt) + (nt) + (nt) * (nt))
typedef struct solve_job {
    double *resid;
    const double *a;
    const size_t *k;
    const bool *in_stratum;
    double *scratch;
    size_t ne, nt, nk, row, count, n_tasks;
    bool unsymmetric;
} solve_job;

static void solve_rows(void *ctx, size_t task)
{
    const solve_job *job = ctx;
    const size_t ne = job->ne, nt = job->nt, nk = job->nk, end = job->row + job->count;
    const size_t *k = job->k;
    double *resid = job->resid, *block = job->scratch + task * ZPH_SCRATCH(nt);
    double *one = block + ZPH_BLOCK * nt, *lu = one + nt;
    size_t b0, b1;
    sk_parallel_range((job->count + ZPH_BLOCK - 1) / ZPH_BLOCK, job->n_tasks, task, &b0, &b1);
    for (size_t b = b0; b < b1; b++) {
        const size_t r0 = job->row + b * ZPH_BLOCK;
        const size_t rows = end - r0 < ZPH_BLOCK ? end - r0 : ZPH_BLOCK;
        /* the block's systems: row r's coordinate i at y[r + i ld]; when a term is unused in
         * the stratum the used ones are copied side by side first (k[i] = i otherwise) */
        double *y = resid + r0;
        size_t ld = ne;
        if (nk < nt) {
            for (size_t i = 0; i < nk; i++)
                memcpy(block + i * ZPH_BLOCK, resid + r0 + k[i] * ne, rows * sizeof(double));
            y = block, ld = ZPH_BLOCK;
        }
        if (!job->unsymmetric) {
            sk_cox_chsolve2_many(job->a, nk, y, ld, rows);
        } else { /* R's solve(): an LU of a copy per row (the solve overwrites it) */
            for (size_t r = 0; r < rows; r++) {
                for (size_t i = 0; i < nk; i++) one[i] = y[r + i * ld];
                memcpy(lu, job->a, nk * nk * sizeof(double));
                if (!sk_solve_dense(lu, one, nk))
                    for (size_t i = 0; i < nk; i++) one[i] = NAN;
                for (size_t i = 0; i < nk; i++) y[r + i * ld] = one[i];
            }
        }
        for (size_t i = 0; nk < nt && i < nk; i++)
            memcpy(resid + r0 + k[i] * ne, block + i * ZPH_BLOCK, rows * sizeof(double));
        for (size_t t = 0; t < nt; t++)
            for (size_t r = 0; !job->in_stratum[t] && r < rows; r++) resid[r0 + r + t * ne] = NAN;
    }
}

/* The scaled Schoenfeld residuals and R's $var (see the top of the file). */
static survkit_status scaled_residuals(const survkit_cox_model *m, const survkit_cox_data *d,
                                       zph_work *w, size_t nv, const size_t *term_of,
                                       const size_t *term_size, survkit_zph *z,
                                       survkit_error *err)
{
    const size_t n = d->n, ns = d->strata ? d->n_strata : 1, ne = z->n_events, nt = z->n_terms;
    const size_t p2 = 2 * nv;
    long *used = sk_calloc_array(ns * nv, sizeof(long));     /* stratum x column */
    double *ndead = sk_calloc_array(ns, sizeof(double));
    double *vmean = sk_calloc_array(nv * nv, sizeof(double));
    double *tmat = sk_calloc_array(nv * nt, sizeof(double));
    double *vt = sk_calloc_array(nt * nt, sizeof(double));
    double *a = sk_malloc_array(nt * nt + nt + 1, sizeof(double)); /* a stratum's matrix; $var */
    /* ridge() without a frailty: R's solve() on an unsymmetric vmean */
    const bool unsymmetric = m->pen.second != NULL && m->pen.n_frail == 0;
    long *tused = sk_calloc_array(ns * nt, sizeof(long));
    bool *seen = sk_calloc_array(ns, sizeof(bool));
    bool *constant = sk_malloc_array(ns * nv + 1, sizeof(bool));
    double *fx = sk_malloc_array(ns * nv + 1, sizeof(double));
    size_t *k = sk_malloc_array(nt + 1, sizeof(size_t));
    bool *in_stratum = sk_malloc_array(nt + 1, sizeof(bool));
    double *scratch = sk_malloc_array(ZPH_TASKS * ZPH_SCRATCH(nt), sizeof(double));
    survkit_status status = SURVKIT_OK;
    if (!used || !ndead || !vmean || !tmat || !vt || !a || !tused || !seen || !constant || !fx ||
        !k || !in_stratum || !scratch) {
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (cox.zph)");
        goto done;
    }
    /* used: the stratum's events when the column varies within the stratum, else 0. A column at
     * a time (X is column-major): seen[s] is reset for each. */
    for (size_t q = 0; q < ns * nv; q++) constant[q] = true;
    for (size_t i = 0; i < n; i++) ndead[d->strata ? (size_t)d->strata[i] : 0] += d->status[i];
    for (size_t c = 0; c < nv; c++) {
        const double *col = d->x + w->keep[c] * n;
        double *first = fx + c * ns;
        bool *varies_not = constant + c * ns;
        for (size_t s = 0; s < ns; s++) seen[s] = false;
        size_t open = ns; /* strata not yet seen to vary: the scan stops when none is left */
        for (size_t i = 0; i < n && open > 0; i++) {
            size_t s = d->strata ? (size_t)d->strata[i] : 0;
            if (!seen[s]) first[s] = col[i], seen[s] = true;
            else if (varies_not[s] && col[i] != first[s]) varies_not[s] = false, open--;
        }
    }
    for (size_t s = 0; s < ns; s++)
        for (size_t c = 0; c < nv; c++) used[s + c * ns] = constant[s + c * ns] ? 0 : (long)ndead[s];
    /* A term of several columns: if one is unused in a stratum, all take the row maximum. */
    for (size_t t = 0; t < nt; t++) {
        if (term_size[t] < 2) continue;
        for (size_t s = 0; s < ns; s++) {
            long mx = 0;
            bool zero = false;
            for (size_t c = 0; c < nv; c++)
                if (term_of[c] == t) {
                    if (used[s + c * ns] > mx) mx = used[s + c * ns];
                    zero = zero || used[s + c * ns] == 0;
                }
            for (size_t c = 0; zero && c < nv; c++)
                if (term_of[c] == t) used[s + c * ns] = mx;
        }
    }
    for (size_t i = 0; i < nv; i++)
        for (size_t j = 0; j < nv; j++) {
            double wt = 0;
            for (size_t s = 0; s < ns; s++) {
                long u = used[s + i * ns] < used[s + j * ns] ? used[s + i * ns] : used[s + j * ns];
                wt += (double)u;
            }
            vmean[i + j * nv] = w->imat[i + j * p2] / (wt == 0 ? 1.0 : wt);
        }
    /* Map columns to terms: 1 for a single column, the coefficient for a factor's columns. */
    for (size_t c = 0; c < nv; c++) {
        size_t t = term_of[c];
        tmat[c + t * nv] = term_size[t] == 1 ? 1.0 : m->coef[w->keep[c]];
    }
    for (size_t i = 0; i < nt; i++)
        for (size_t j = 0; j < nt; j++) {
            double s = 0;
            for (size_t c = 0; c < nv; c++)
                for (size_t l = 0; l < nv; l++)
                    s += tmat[c + i * nv] * vmean[c + l * nv] * tmat[l + j * nv];
            vt[i + j * nt] = s;
        }
    /* resid[, t] = schoen tmat[, t], written over schoen's own buffer, a column at a time. Term
     * t's columns are never before column t (terms are numbered as their first column appears):
     * the first of them is read and written element by element (it may be column t itself), the
     * others are after column t, and later terms' columns are untouched. Each element is summed
     * over c in column order; tmat[c, t] is 0 unless column c belongs to term t, and adding
     * 0 x (a finite residual) to a sum started at +0 changes no bit, so those columns are
     * skipped: O(events x p), not x p x terms. */
    double *resid = w->schoen;
    for (size_t t = 0; t < nt; t++) {
        double *out = resid + t * ne;
        bool first = true;
        for (size_t c = t; c < nv; c++) {
            const double f = tmat[c + t * nv], *col = resid + c * ne;
            if (f == 0) continue;
            if (first)
                for (size_t e = 0; e < ne; e++) out[e] = 0.0 + col[e] * f;
            else
                for (size_t e = 0; e < ne; e++) out[e] += col[e] * f;
            first = false;
        }
        for (size_t e = 0; first && e < ne; e++) out[e] = 0;
    }
    z->resid = resid;
    w->schoen = NULL;
    for (size_t s = 0; s < ns; s++)
        for (size_t c = 0; c < nv; c++)
            if (tmat[c + term_of[c] * nv] != 0 || term_size[term_of[c]] == 1) {
                size_t t = term_of[c];
                if (used[s + c * ns] > tused[s + t * ns]) tused[s + t * ns] = used[s + c * ns];
            }
    /* Per stratum (its events are consecutive: R's sgrp), solve with vmean of the used terms;
     * the other terms' residuals are NaN. The stratum's matrix is factored once and its event
     * rows are solved a block at a time, all rows of a block together (the same operations per
     * row as one solve per row). */
    size_t row = 0;
    for (size_t s = 0; s < ns; s++) {
        size_t count = 0;
        for (size_t t = 0; t < nt; t++)
            if ((size_t)tused[s + t * ns] > count) count = (size_t)tused[s + t * ns];
        if (count > ne - row) count = ne - row;
        size_t nk = 0;
        for (size_t t = 0; t < nt; t++) {
            in_stratum[t] = tused[s + t * ns] > 0;
            if (in_stratum[t]) k[nk++] = t;
        }
        for (size_t i = 0; i < nk; i++)
            for (size_t j = 0; j < nk; j++) a[i + j * nk] = vt[k[i] + k[j] * nt];
        if (count > 0 && !unsymmetric) sk_cox_cholesky2(a, nk, 1e-12);
        solve_job sj = {resid, a, k, in_stratum, scratch, ne, nt, nk, row, count,
                        count * nk >= ZPH_PARALLEL_MIN ? ZPH_TASKS : 1, unsymmetric};
        sk_parallel_run_if(sj.n_tasks > 1, sj.n_tasks, solve_rows, &sj);
        row += count;
    }
    for (size_t t = 0; t < nt; t++) {
        double add = 1.0;
        if (term_size[t] == 1)
            for (size_t c = 0; c < nv; c++)
                if (term_of[c] == t) add = m->coef[w->keep[c]];
        for (size_t e = 0; e < ne; e++) z->resid[e + t * ne] += add;
    }
    /* $var = solve(vmean) */
    for (size_t j = 0; j < nt; j++) {
        memcpy(a, vt, nt * nt * sizeof(double));
        double *col = a + nt * nt;
        for (size_t i = 0; i < nt; i++) col[i] = i == j;
        if (unsymmetric) {
            if (!sk_solve_dense(a, col, nt))
                for (size_t i = 0; i < nt; i++) col[i] = NAN;
        } else {
            sk_cox_cholesky2(a, nt, 1e-12);
            sk_cox_chsolve2(a, nt, col);
        }
        for (size_t i = 0; i < nt; i++) z->var[i + j * nt] = col[i];
    }
done:
    free(used), free(ndead), free(vmean), free(tmat), free(vt), free(a), free(tused), free(seen);
    free(constant), free(fx), free(k), free(in_stratum), free(scratch);
    return status;
}

/* The Schoenfeld residuals of the kept columns into w->schoen (events in order) and the added
 * score u2[c] = sum_e v_e g_e r_ec. A column at a time: the event rows are scattered over the rows,
 * and one column (8 bytes a row) stays in the cache where a row's p columns would each miss it.
 * The columns are split between the tasks, and each u2[c] is summed by one task in event order:
 * the split changes no bit. */
typedef struct schoen_job {
    zph_work *w;
    const sk_cox_eval *ev;
    const sk_cox_hazard *hz;
    size_t ne, nv, n_tasks;
} schoen_job;

static void schoen_columns(void *ctx, size_t task)
{
    const schoen_job *job = ctx;
    zph_work *w = job->w;
    const size_t n = job->ev->n, ns = job->ev->lay.n_slots, ne = job->ne;
    size_t c0, c1;
    sk_parallel_range(job->nv, job->n_tasks, task, &c0, &c1);
    for (size_t c = c0; c < c1; c++) {
        const size_t j = w->keep[c];
        const double *xj = job->ev->pb.x + j * n, *mbar = job->hz->mbar + j * ns;
        const double centre = job->ev->cmean[j];
        double *schoen = w->schoen + c * ne, u2 = w->u2[c];
        enum { AHEAD = 16 }; /* the events' rows are scattered: fetch a few ahead */
        for (size_t e = 0; e < ne; e++) {
            if (e + AHEAD < ne) __builtin_prefetch(xj + w->order[e + AHEAD]);
            double r = (xj[w->order[e]] - centre) - mbar[w->event_slot[e]];
            schoen[e] = r;
            u2 += w->event_weight[e] * r;
        }
        w->u2[c] = u2;
    }
}

survkit_status survkit_cox_zph(const survkit_cox_model *m, const survkit_cox_data *d,
                               survkit_zph_transform transform, survkit_zph **out,
                               survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL, err, SURVKIT_ERR_ARGUMENT, "no place for the result");
    *out = NULL;
    /* R's cox.zph on a dense frailty adds its p x p penalty matrix to an information matrix
     * of the other size and stops. R's message. */
    RETURN_ERROR_IF(m->pen.dense, err, SURVKIT_ERR_ARGUMENT,
                    "cox.zph of a dense frailty (%s): R's cox.zph fails there (\"non-conformable "
                    "arrays\" in resid$imat + pmat); fit the frailty with sparse = TRUE for a "
                    "test", m->pen.frail_term);
    RETURN_IF_ERROR(sk_cox_model_check_data(m, d, err));
    RETURN_ERROR_IF(m->p == 0, err, SURVKIT_ERR_ARGUMENT,
                    "there are no score residuals for a Null model");
    /* A penalised model (cox.zph on R's coxph.penal): the frailty term has no row (its eta holds
     * the frailties), each term's df is R's fit$df of the term, GLOBAL's their sum. R indexes
     * fit$assign after dropping the frailty's column, so a term after frailty() fails there. */
    const sk_model_penalty *pen = &m->pen;
    RETURN_ERROR_IF(pen->n_frail > 0 && pen->frail_pos < m->n_terms, err, SURVKIT_ERR_ARGUMENT,
                    "cox.zph: a term follows %s in the formula, where R's cox.zph fails "
                    "(\"subscript out of bounds\"); write the frailty term last",
                    pen->frail_term);
    RETURN_ERROR_IF(pen->penalised && pen->n_df < m->n_terms, err, SURVKIT_ERR_ARGUMENT,
                    "the model's df do not match its terms");
    const size_t n = d->n, p = d->p;
    zph_work w = {0};
    sk_cox_eval ev;
    sk_cox_hazard hz = {0};
    survkit_zph *z = calloc(1, sizeof *z);
    RETURN_ERROR_IF(z == NULL, err, SURVKIT_ERR_NOMEM, "out of memory (cox.zph)");
    survkit_status status = sk_cox_eval_build(m, d, false, &ev, err);
    if (status != SURVKIT_OK) {
        free(z);
        return status;
    }
    const sk_cox_layout *lay = &ev.lay;
    const size_t ns = lay->n_slots;
    z->transform = transform;

    /* Kept (non-aliased) columns and their terms, renumbered in order of appearance. */
    size_t nv = 0, nt = 0;
    size_t *term_of = sk_malloc_array(p + 1, sizeof(size_t));
    size_t *term_size = sk_calloc_array(p + 1, sizeof(size_t));
    size_t *term_map = sk_malloc_array(m->n_terms + 1, sizeof(size_t));
    w.keep = sk_malloc_array(p + 1, sizeof(size_t));
    w.order = sk_malloc_array(n, sizeof(size_t));
    w.idx = sk_malloc_array(2 * p, sizeof(size_t));
    w.tt = sk_malloc_array(n, sizeof(double));
    w.gslot = sk_calloc_array(ns, sizeof(double));
    w.ones = sk_malloc_array(ns, sizeof(double));
    w.gsq = sk_malloc_array(ns, sizeof(double));
    w.imat = sk_calloc_array(4 * p * p, sizeof(double));
    w.blk = sk_malloc_array(3 * p * p, sizeof(double)); /* the blocks of weights 1, g, g^2 */
    w.u2 = sk_calloc_array(p, sizeof(double));
    w.sub = sk_malloc_array(4 * p * p, sizeof(double));
    w.vec = sk_malloc_array(2 * p, sizeof(double));
    w.sol = sk_malloc_array(2 * p, sizeof(double));
    if (!term_of || !term_size || !term_map || !w.keep || !w.order || !w.idx || !w.tt || !w.gslot ||
        !w.gsq || !w.ones || !w.imat || !w.blk || !w.u2 || !w.sub || !w.vec || !w.sol) {
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (cox.zph)");
        goto done;
    }
    for (size_t k = 0; k < m->n_terms; k++) term_map[k] = SIZE_MAX;
    for (size_t j = 0; j < p; j++) {
        if (isnan(m->coef[j])) continue;
        size_t t = m->column_term[j];
        if (term_map[t] == SIZE_MAX) term_map[t] = nt++;
        term_of[nv] = term_map[t];
        term_size[term_map[t]]++;
        w.keep[nv++] = j;
    }
    if (nv == 0) {
        status = sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, 0, 0, "every coefficient is aliased");
        goto done;
    }

    /* g per event slot: the transformed time centred on its mean over the event rows. */
    status = transform_times(d, transform, w.tt, err);
    if (status != SURVKIT_OK) goto done;
    double gsum = 0, nev = 0;
    for (size_t i = 0; i < n; i++)
        if (d->status[i] == 1) gsum += w.tt[i], nev++;
    if (nev == 0) {
        status = sk_error_set(err, SURVKIT_ERR_NO_DATA, NULL, 0, 0, "no events");
        goto done;
    }
    double gmean = gsum / nev;
    for (size_t i = 0; i < n; i++)
        if (d->status[i] == 1 && lay->kin[i] < lay->kout[i]) w.gslot[lay->kin[i]] = w.tt[i] - gmean;
    for (size_t k = 0; k < ns; k++) w.ones[k] = 1.0;

    /* Schoenfeld residuals, u2. */
    status = sk_cox_hazard_compute(&ev.pb, ev.work, ev.eta, &hz, err);
    if (status != SURVKIT_OK) goto done;
    size_t ne = 0;
    if (!sk_cox_event_order(lay, d->status, d->start != NULL, w.order, &ne)) {
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (cox.zph)");
        goto done;
    }
    w.schoen = sk_malloc_array(ne * nv + 1, sizeof(double));
    w.event_slot = sk_malloc_array(ne + 1, sizeof(size_t));
    w.event_weight = sk_malloc_array(ne + 1, sizeof(double));
    z->n_events = ne;
    z->n_terms = nt;
    z->time = sk_malloc_array(ne + 1, sizeof(double));
    z->x = sk_malloc_array(ne + 1, sizeof(double));
    z->var = sk_malloc_array(nt * nt, sizeof(double));
    if (d->strata) z->strata = sk_malloc_array(ne + 1, sizeof(int32_t));
    if (!w.schoen || !w.event_slot || !w.event_weight || !z->time || !z->x || !z->var ||
        (d->strata && !z->strata)) {
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (cox.zph)");
        goto done;
    }
    for (size_t e = 0; e < ne; e++) {
        size_t i = w.order[e], k = lay->kin[i];
        z->time[e] = d->time[i];
        z->x[e] = w.tt[i];
        if (z->strata) z->strata[e] = d->strata[i];
        w.event_slot[e] = k;
        w.event_weight[e] = ev.weights[i] * w.gslot[k]; /* v_i g_k, as the sum below groups it */
    }
    schoen_job sj = {&w, &ev, &hz, ne, nv, ne * nv >= ZPH_PARALLEL_MIN ? ZPH_TASKS : 1};
    sk_parallel_run_if(sj.n_tasks > 1, sj.n_tasks, schoen_columns, &sj);

    /* The 2p x 2p information (kept columns): blocks with slot weights 1, g, g^2. */
    const size_t p2 = 2 * nv;
    for (size_t k = 0; k < ns; k++) w.gsq[k] = w.gslot[k] * w.gslot[k];
    const double *const weightings[3] = {w.ones, w.gslot, w.gsq};
    double *const blocks[3] = {w.blk, w.blk + p * p, w.blk + 2 * p * p};
    /* ev.work still holds pass 1 at ev.eta from sk_cox_hazard_compute above */
    status = sk_cox_efron_slot_info(&ev.pb, ev.work, NULL, 3, weightings, blocks, err);
    if (status != SURVKIT_OK) goto done;
    for (int q = 0; q < 3; q++) {
        size_t r0 = q == 2 ? nv : 0, c0 = q == 0 ? 0 : nv;
        for (size_t a = 0; a < nv; a++)
            for (size_t b = 0; b < nv; b++) {
                double v = blocks[q][w.keep[a] + w.keep[b] * p];
                w.imat[(r0 + a) + (c0 + b) * p2] = v;
                w.imat[(c0 + b) + (r0 + a) * p2] = v;
            }
    }

    /* A dense penalty (ridge()): R adds fit$coxlist2$second, a vector of p, to both diagonal
     * blocks with pmat[1:nvar, 1:nvar] <- second, which recycles it down every column: element
     * (a, b) is second[(a + b nvar) mod p], so row a gets second[a] throughout (not symmetric).
     * With a pspline() second is the full p x p matrix (n_second = p * p): the same rule reads it
     * element by element.
     * A fit with a frailty as well keeps no coxlist2: nothing is added then. */
    const bool dense_penalty = pen->second != NULL && pen->n_frail == 0;
    for (size_t a = 0; dense_penalty && a < nv; a++)
        for (size_t b = 0; b < nv; b++) {
            const double v = pen->second[(a + b * nv) % pen->n_second];
            w.imat[a + b * p2] += v;
            w.imat[(nv + a) + (nv + b) * p2] += v;
        }

    /* The tests: per term, then GLOBAL. */
    z->n_rows = nt + 1;
    z->names = sk_calloc_array(nt + 1, sizeof(char *));
    z->chisq = sk_malloc_array(nt + 1, sizeof(double));
    z->df = sk_malloc_array(nt + 1, sizeof(double));
    z->p = sk_malloc_array(nt + 1, sizeof(double));
    if (!z->names || !z->chisq || !z->df || !z->p) {
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (cox.zph)");
        goto done;
    }
    for (size_t t = 0; t <= nt; t++) {
        size_t *idx = w.idx, mm = 0;
        for (size_t c = 0; c < nv; c++) idx[mm++] = c;
        for (size_t c = 0; c < nv; c++)
            if (t == nt || term_of[c] == t) idx[mm++] = nv + c;
        for (size_t a = 0; a < mm; a++) {
            w.vec[a] = idx[a] < nv ? 0.0 : w.u2[idx[a] - nv];
            for (size_t b = 0; b < mm; b++) w.sub[a + b * mm] = w.imat[idx[a] + idx[b] * p2];
        }
        z->chisq[t] = quad_solve(w.sub, w.vec, mm, w.sol, dense_penalty);
        z->df[t] = (double)(mm - nv);
        if (pen->penalised && t < nt) /* R: fit$df[ii] */
            for (size_t k = 0; k < m->n_terms; k++)
                if (term_map[k] == t) z->df[t] = pen->df[k];
        if (pen->penalised && t == nt) { /* R: sum(fit$df) */
            z->df[t] = 0;
            for (size_t k = 0; k < pen->n_df; k++) z->df[t] += pen->df[k];
        }
        z->p[t] = sk_cox_chisq_upper(z->chisq[t], z->df[t]);
        const char *name = "GLOBAL";
        if (t < nt)
            for (size_t k = 0; k < m->n_terms; k++)
                if (term_map[k] == t) name = m->term_names[k];
        if ((z->names[t] = sk_strdup(name)) == NULL) {
            status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (cox.zph)");
            goto done;
        }
    }
    status = scaled_residuals(m, d, &w, nv, term_of, term_size, z, err);

done:
    free(term_of), free(term_size), free(term_map);
    zph_work_free(&w);
    sk_cox_hazard_free(&hz);
    sk_cox_eval_free(&ev);
    if (status != SURVKIT_OK) {
        survkit_zph_free(z);
        return status;
    }
    *out = z;
    return SURVKIT_OK;
}

survkit_zph_transform survkit_zph_transform_used(const survkit_zph *z) { return z->transform; }
size_t survkit_zph_n_rows(const survkit_zph *z) { return z->n_rows; }
const char *survkit_zph_row_name(const survkit_zph *z, size_t k)
{
    return k < z->n_rows ? z->names[k] : NULL;
}
double survkit_zph_chisq(const survkit_zph *z, size_t k) { return k < z->n_rows ? z->chisq[k] : NAN; }
double survkit_zph_df(const survkit_zph *z, size_t k) { return k < z->n_rows ? z->df[k] : NAN; }
double survkit_zph_p(const survkit_zph *z, size_t k) { return k < z->n_rows ? z->p[k] : NAN; }
size_t survkit_zph_n_events(const survkit_zph *z) { return z->n_events; }
const double *survkit_zph_time(const survkit_zph *z) { return z->time; }
const double *survkit_zph_x(const survkit_zph *z) { return z->x; }
const int32_t *survkit_zph_strata(const survkit_zph *z) { return z->strata; }
const double *survkit_zph_resid(const survkit_zph *z) { return z->resid; }
const double *survkit_zph_var(const survkit_zph *z) { return z->var; }
