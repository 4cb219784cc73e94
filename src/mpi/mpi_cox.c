/*
 * mpi_cox.c: the Cox fit (Breslow or Efron ties, strata, case weights, offset, (start, stop]
 * data) over ranks, each rank keeping its own rows. R's Newton-Raphson (src/cox/newton.c) runs on
 * every rank with the same evaluation of the log partial likelihood, score and information, so
 * every rank takes the same steps; the result object is built by src/cox (sk_cox_result_from_newton).
 *
 * Global event slots: the distinct (stratum, event time) cells of all ranks (mpi_grid.c), cell c of
 * stratum s in [c0_s, c1_s), times increasing. Row i (start_i, stop_i] is at risk at the cells
 * [lo_i, hi_i]: hi_i the last cell of its stratum with t <= stop_i, lo_i the first with t > start_i.
 *
 * One evaluation at beta, with eta_i = (x_i - xbar)'beta + offset_i and r_i = exp(eta_i - shift_s):
 *   1. each rank sums its rows into the cells: add_c = sum_{hi_i = c} w r (1, x~), leave_c =
 *      sum_{lo_i = c + 1} w r (1, x~) for (start, stop] data, dead_c = sum over the deaths at c of
 *      w r (1, x~), x~ = x - xbar; these 2 or 3 (p + 1) T numbers are summed over ranks in rank
 *      order (mpi_ordered_sum), then S_c = S_{c+1} - leave_c + add_c down the cells (restarted at
 *      zero where nobody is at risk, as R's agfit4), giving S0_c, S1_c and D0_c, D1_c (tied deaths);
 *   2. every rank computes the same per-cell terms: d_c deaths of total weight W_c, for l < d_c
 *      f_l = l / d_c (Efron; 0 and one term of weight W_c for Breslow), den_l = S0 - f_l D0,
 *      loglik -= sum_l (W/d)(log den_l + shift), u -= a S1 - b D1 with a = sum_l (W/d)/den_l,
 *      b = sum_l (W/d) f_l/den_l, and the means part of the information
 *      I -= q0 S1 S1' - q1 (S1 D1' + D1 S1') + q2 D1 D1', q_m = sum_l (W/d) f_l^m / den_l^2;
 *   3. the S2 part of the information, sum_c sum_l (W/d)(S2_c - f_l D2_c)/den_l, is per row
 *      sum_i c_i x~_i x~_i' with c_i = w_i r_i (sum_{c in [lo_i, hi_i]} a_c - delta_i b_{hi_i}),
 *      so each rank forms its X~' diag(c) X~ and sum delta w eta, sum delta w x~, and these
 *      1 + p + p^2 numbers are summed in rank order.
 * So per iteration each rank sends (2 or 3)(p + 1) T + 1 + p + p^2 doubles (and the per-stratum
 * largest eta, n_strata doubles by MPI_MAX), never O(n); the sums are in a fixed order, so the
 * fit equals the single-process one to round-off for any K (the single process adds in another
 * order, hence equal to about 1e-13, not bit for bit).
 *
 * R's scale of each covariate (coxfit6: sum w / sum w |x - xbar_w|; agfit4: the same about the
 * first row of the sort, i.e. the row with the latest stop time, lowest stratum, lowest index,
 * among rows ever at risk) and R's reported means are global sums too. The robust variance with
 * one cluster per row needs one more evaluation and p + p^2 sums (residual_sums). The concordance
 * streams the events to every rank, never the rows (mpi_concordance.c). With cluster() (codes
 * global across ranks) the weighted score residuals are summed within clusters on each rank and
 * the n_clusters x p matrix summed over ranks in rank order (robust_clusters): O(n_clusters p) memory and bytes, not O(n).
 * Refused over ranks: the exact partial likelihood.
 */
#include "mpi_internal.h"
#include "cox/cox_internal.h"

#include <cblas.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { SYRK_BLOCK = 256 };

typedef struct mpi_cox {
    survkit_mpi *mpi;
    const survkit_cox_data *d;
    size_t n, p, T, n_strata;
    bool counting, efron, failed;
    bool no_offset;         /* the robust score test's eta = x~'beta without the offset, as R */
    survkit_error *err;
    mpi_grid grid;
    size_t *stratum_end;    /* n_strata: c1_s (c0_s is the previous end) */
    uint32_t *lo, *hi;      /* per row; lo > hi: never at risk */
    double *offset;         /* centred, or NULL */
    double *xbar;           /* p: weighted means (centre of the kernel) */
    double *deaths, *wdeaths; /* T: number and weight of the deaths at each cell */
    unsigned char *restart; /* T: nobody at risk just after (in time) this cell */
    double *eta, *risk, *cw; /* n */
    double *sums;           /* (2 or 3)(p + 1) T: add, dead (, leave) */
    double *tot;            /* 1 + p + p^2: local loglik part, score part, information part */
    double *S, *D, *acell, *bcell, *prefix; /* (p + 1) T, (p + 1) T, T, T, T */
    double *cellq;          /* 5 T: q0, q1, q2, m0, m1 per cell, for the score residuals */
    double *shift, *smax;   /* n_strata */
    double *block;          /* SYRK_BLOCK x p */
} mpi_cox;

static double xt(const mpi_cox *c, size_t i, size_t j)
{
    return c->d->x[i + j * c->n] - c->xbar[j];
}

static double weight_of(const mpi_cox *c, size_t i)
{
    return c->d->weights ? c->d->weights[i] : 1.0;
}

static size_t stratum_of(const mpi_cox *c, size_t i)
{
    return c->d->strata ? (size_t)c->d->strata[i] : 0;
}

static size_t stratum_begin(const mpi_cox *c, size_t s)
{
    return s == 0 ? 0 : c->stratum_end[s - 1];
}

/* The row's risk scores against the global per-stratum shift (the stratum's mean eta over its rows
 * at risk when its largest exceeds 700, else 0: efron.c's rule). */
static bool risk_scores(mpi_cox *c, const double *beta)
{
    const size_t n = c->n, p = c->p, ns = c->n_strata;
    for (size_t s = 0; s < ns; s++) c->smax[s] = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double e = c->offset && !c->no_offset ? c->offset[i] : 0.0;
        for (size_t j = 0; j < p; j++) e += xt(c, i, j) * beta[j];
        c->eta[i] = e;
        size_t s = stratum_of(c, i);
        if (c->lo[i] <= c->hi[i] && e > c->smax[s]) c->smax[s] = e;
    }
    /* the largest is the same whatever the order: MPI_MAX */
    MPI_Allreduce(MPI_IN_PLACE, c->smax, (int)ns, MPI_DOUBLE, MPI_MAX, c->mpi->comm);
    bool any = false;
    for (size_t s = 0; s < ns; s++) any = any || c->smax[s] > 700;
    for (size_t s = 0; s < ns; s++) c->shift[s] = 0;
    if (any) { /* per stratum: sum and count of eta at risk, summed over ranks */
        double *v = calloc(2 * ns, sizeof *v);
        survkit_status st = v ? SURVKIT_OK : mpi_fail(c->err, SURVKIT_ERR_NOMEM, "cox: out of memory");
        if ((st = survkit_mpi_agree(c->mpi, st, c->err)) != SURVKIT_OK) {
            free(v);
            return false;
        }
        for (size_t i = 0; i < n; i++)
            if (c->lo[i] <= c->hi[i]) {
                v[2 * stratum_of(c, i)] += c->eta[i];
                v[2 * stratum_of(c, i) + 1] += 1;
            }
        st = mpi_ordered_sum(c->mpi, v, 2 * ns, c->err);
        for (size_t s = 0; st == SURVKIT_OK && s < ns; s++)
            if (c->smax[s] > 700) c->shift[s] = v[2 * s] / v[2 * s + 1];
        free(v);
        if (st != SURVKIT_OK) return false;
    }
    for (size_t i = 0; i < n; i++) c->risk[i] = weight_of(c, i) * exp(c->eta[i] - c->shift[stratum_of(c, i)]);
    return true;
}

/* Add w r (1, x~_i) into the (p + 1)-block of cell `cell` of `v` (T blocks). */
static void add_row(const mpi_cox *c, double *v, size_t cell, size_t i)
{
    double *b = v + cell * (c->p + 1);
    b[0] += c->risk[i];
    for (size_t j = 0; j < c->p; j++) b[j + 1] += c->risk[i] * xt(c, i, j);
}

static double fail_eval(mpi_cox *c)
{
    c->failed = true;
    return NAN;
}

/* The evaluation of the header's steps 1-3 (newton.c's callback; beta in original coordinates). */
static double eval_over_ranks(void *ctx, const double *beta, double *u, double *imat)
{
    mpi_cox *c = ctx;
    const size_t n = c->n, p = c->p, T = c->T, q = p + 1;
    if (c->failed || !risk_scores(c, beta)) return fail_eval(c);

    /* 1. the rows into the cells */
    const size_t blocks = c->counting ? 3 : 2;
    double *add = c->sums, *dead = c->sums + q * T, *leave = c->counting ? c->sums + 2 * q * T : NULL;
    memset(c->sums, 0, blocks * q * T * sizeof *c->sums);
    for (size_t i = 0; i < n; i++) {
        if (c->lo[i] > c->hi[i]) continue;
        add_row(c, add, c->hi[i], i);
        if (c->d->status[i] == 1) add_row(c, dead, c->hi[i], i);
        if (leave && c->lo[i] > stratum_begin(c, stratum_of(c, i))) add_row(c, leave, c->lo[i] - 1, i);
    }
    if (mpi_ordered_sum(c->mpi, c->sums, blocks * q * T, c->err) != SURVKIT_OK) return fail_eval(c);

    /* 2. the per-cell terms, the same on every rank */
    double loglik = 0;
    for (size_t j = 0; j < p; j++) u[j] = 0;
    for (size_t k = 0; k < p * p; k++) imat[k] = 0;
    for (size_t s = 0; s < c->n_strata; s++) {
        const size_t c0 = stratum_begin(c, s), c1 = c->stratum_end[s];
        for (size_t cell = c1; cell-- > c0;) {
            double *S = c->S + cell * q;
            const double *A = add + cell * q;
            const bool fresh = cell + 1 == c1 || c->restart[cell];
            for (size_t j = 0; j < q; j++)
                S[j] = (fresh ? 0.0 : S[j + q] - (leave ? leave[cell * q + j] : 0.0)) + A[j];
        }
        double running = 0;
        for (size_t cell = c0; cell < c1; cell++) {
            const double *S = c->S + cell * q, *Dd = dead + cell * q;
            const double dk = c->deaths[cell], W = c->wdeaths[cell];
            const size_t terms = c->efron ? (size_t)dk : 1;
            const double wk = c->efron ? W / dk : W;
            double a = 0, b = 0, q0 = 0, q1 = 0, q2 = 0, m0 = 0, m1 = 0;
            for (size_t l = 0; l < terms; l++) {
                const double f = c->efron ? (double)l / dk : 0.0;
                const double den = S[0] - f * Dd[0];
                loglik -= wk * (log(den) + c->shift[s]);
                a += wk / den;
                b += wk * f / den;
                q0 += wk / (den * den);
                q1 += wk * f / (den * den);
                q2 += wk * f * f / (den * den);
                m0 += 1 / den / (double)terms;
                m1 += f / den / (double)terms;
            }
            double *cq = c->cellq + 5 * cell;
            cq[0] = q0, cq[1] = q1, cq[2] = q2, cq[3] = m0, cq[4] = m1;
            for (size_t j = 0; j < p; j++) u[j] -= a * S[j + 1] - b * Dd[j + 1];
            for (size_t jj = 0; jj < p; jj++)
                for (size_t j = 0; j < p; j++)
                    imat[j + jj * p] -= q0 * S[j + 1] * S[jj + 1] -
                                        q1 * (S[j + 1] * Dd[jj + 1] + Dd[j + 1] * S[jj + 1]) +
                                        q2 * Dd[j + 1] * Dd[jj + 1];
            c->acell[cell] = a;
            c->bcell[cell] = b;
            running += a;
            c->prefix[cell] = running; /* sum of a over [c0, cell] */
        }
    }

    /* 3. this rank's rows: sum delta w eta, sum delta w x~, X~' diag(c) X~ */
    double *tot = c->tot;
    memset(tot, 0, (1 + p + p * p) * sizeof *tot);
    for (size_t i = 0; i < n; i++) {
        c->cw[i] = 0;
        if (c->lo[i] > c->hi[i]) continue;
        const size_t c0 = stratum_begin(c, stratum_of(c, i));
        double suma = c->prefix[c->hi[i]] - (c->lo[i] > c0 ? c->prefix[c->lo[i] - 1] : 0.0);
        if (c->d->status[i] == 1) {
            const double w = weight_of(c, i);
            suma -= c->bcell[c->hi[i]];
            tot[0] += w * c->eta[i];
            for (size_t j = 0; j < p; j++) tot[1 + j] += w * xt(c, i, j);
        }
        c->cw[i] = c->risk[i] * suma;
    }
    double *info = tot + 1 + p;
    const size_t B = SYRK_BLOCK;
    size_t m = 0;
    for (size_t i = 0; i <= n; i++) {
        if (m == B || (i == n && m > 0)) {
            cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)p, (int)m, 1.0, c->block,
                        (int)B, 1.0, info, (int)p);
            m = 0;
        }
        if (i == n) break;
        if (!(c->cw[i] > 0)) continue;
        const double sq = sqrt(c->cw[i]);
        for (size_t j = 0; j < p; j++) c->block[m + j * B] = sq * xt(c, i, j);
        m++;
    }
    for (size_t jj = 0; jj < p; jj++) /* the lower triangle from the upper */
        for (size_t j = jj + 1; j < p; j++) info[j + jj * p] = info[jj + j * p];
    if (mpi_ordered_sum(c->mpi, tot, 1 + p + p * p, c->err) != SURVKIT_OK) return fail_eval(c);
    loglik += tot[0];
    for (size_t j = 0; j < p; j++) u[j] += tot[1 + j];
    for (size_t k = 0; k < p * p; k++) imat[k] += info[k];
    return loglik;
}

static void mpi_cox_free(mpi_cox *c)
{
    mpi_grid_free(&c->grid);
    void *blocks[] = {c->stratum_end, c->lo, c->hi, c->offset, c->xbar, c->deaths, c->wdeaths,
                      c->restart, c->eta, c->risk, c->cw, c->sums, c->tot, c->S, c->acell,
                      c->bcell, c->prefix, c->shift, c->smax, c->block, c->cellq};
    for (size_t k = 0; k < sizeof blocks / sizeof blocks[0]; k++) free(blocks[k]);
}

/* This rank's rows and options, checked as survkit_cox_fit_arrays does; err->line is the row of
 * this rank (1-based). */
static survkit_status check_local(const survkit_mpi *mpi, const survkit_cox_data *d,
                                  const survkit_cox_options *opt, survkit_error *err)
{
    if (d == NULL || (d->n > 0 && (d->time == NULL || d->status == NULL)) ||
        (d->p > 0 && d->n > 0 && d->x == NULL))
        return mpi_fail(err, SURVKIT_ERR_ARGUMENT, "cox: time, status and x are required");
    if (d->frailty != NULL)
        return mpi_fail(err, SURVKIT_ERR_ARGUMENT, "cox: frailty() terms are not fitted over ranks");
    if (opt->ties == SURVKIT_COX_EXACT)
        return mpi_fail(err, SURVKIT_ERR_ARGUMENT,
                        "cox: ties = exact needs the rows together (not available over ranks)");
    if (opt->ties != SURVKIT_COX_EFRON && opt->ties != SURVKIT_COX_BRESLOW)
        return mpi_fail(err, SURVKIT_ERR_ARGUMENT, "cox: unknown ties method");
    if (!(opt->eps > 0)) return mpi_fail(err, SURVKIT_ERR_ARGUMENT, "Invalid convergence criteria");
    if (opt->iter_max < 0) return mpi_fail(err, SURVKIT_ERR_ARGUMENT, "Invalid value for iterations");
    if (!(opt->conf_level > 0 && opt->conf_level < 1))
        return mpi_fail(err, SURVKIT_ERR_ARGUMENT,
                        "the confidence level must lie strictly between 0 and 1");
    if (!(opt->toler_chol > 0)) return mpi_fail(err, SURVKIT_ERR_ARGUMENT, "toler_chol must be > 0");
    if (opt->init != NULL && opt->n_init != d->p)
        return mpi_fail(err, SURVKIT_ERR_ARGUMENT,
                        "wrong length for init argument: %zu values for %zu coefficients",
                        opt->n_init, d->p);
    for (size_t j = 0; opt->init && j < d->p; j++)
        if (!isfinite(opt->init[j]))
            return mpi_fail(err, SURVKIT_ERR_ARGUMENT, "init value %zu is not finite", j + 1);
    for (size_t i = 0; i < d->n; i++) {
        const char *bad = NULL;
        if (!isfinite(d->time[i]) || (d->status[i] != 0 && d->status[i] != 1) ||
            (d->start && !(d->start[i] < d->time[i])))
            bad = "bad time or status";
        else if (d->weights && !(d->weights[i] > 0 && isfinite(d->weights[i])))
            bad = "Invalid weights, must be >0";
        else if (d->offset && !(isfinite(d->offset[i]) && isfinite(exp(d->offset[i]))))
            bad = "offsets must lead to a finite risk score";
        else if (d->strata && (d->strata[i] < 0 || (size_t)d->strata[i] >= d->n_strata))
            bad = "stratum code out of range";
        else if (d->cluster && (d->cluster[i] < 0 || (size_t)d->cluster[i] >= d->n_clusters))
            bad = "cluster code out of range";
        for (size_t j = 0; bad == NULL && j < d->p; j++)
            if (!isfinite(d->x[i + j * d->n])) bad = "data contains an infinite or missing predictor";
        if (bad != NULL) {
            mpi_fail(err, SURVKIT_ERR_DOMAIN, "%s (row %zu of rank %d)", bad, i + 1, mpi->rank);
            if (err != NULL) err->line = i + 1;
            return SURVKIT_ERR_DOMAIN;
        }
    }
    return SURVKIT_OK;
}

/* The global event cells, each row's [lo, hi], the deaths per cell and where nobody is at risk. */
static survkit_status build_cells(mpi_cox *c)
{
    const survkit_cox_data *d = c->d;
    const size_t n = c->n, ns = c->n_strata;
    int32_t *code = malloc((n ? n : 1) * sizeof *code);
    double *when = malloc((n ? n : 1) * sizeof *when);
    survkit_status st = code && when ? SURVKIT_OK : mpi_fail(c->err, SURVKIT_ERR_NOMEM, "cox: out of memory");
    size_t m = 0;
    for (size_t i = 0; st == SURVKIT_OK && i < n; i++)
        if (d->status[i] == 1) {
            code[m] = (int32_t)stratum_of(c, i);
            when[m++] = d->time[i];
        }
    if ((st = survkit_mpi_agree(c->mpi, st, c->err)) == SURVKIT_OK)
        st = mpi_grid_build(c->mpi, m, code, when, &c->grid, c->err);
    free(code);
    free(when);
    if (st != SURVKIT_OK) return st;
    const size_t T = c->T = c->grid.n_cells;
    c->stratum_end = malloc(ns * sizeof *c->stratum_end);
    c->lo = malloc((n ? n : 1) * sizeof *c->lo);
    c->hi = malloc((n ? n : 1) * sizeof *c->hi);
    c->deaths = calloc(4 * T + 1, sizeof *c->deaths); /* deaths, their weight, entering, leaving */
    c->restart = calloc(T + 1, 1);
    st = c->stratum_end && c->lo && c->hi && c->deaths && c->restart && T < UINT32_MAX
             ? SURVKIT_OK : mpi_fail(c->err, SURVKIT_ERR_NOMEM, "cox: out of memory");
    if ((st = survkit_mpi_agree(c->mpi, st, c->err)) != SURVKIT_OK) return st;
    for (size_t s = 0, cell = 0; s < ns; s++) {
        while (cell < T && (size_t)c->grid.code[cell] <= s) cell++;
        c->stratum_end[s] = cell;
    }
    double *cnt_in = c->deaths + 2 * T, *cnt_out = c->deaths + 3 * T;
    for (size_t i = 0; i < n; i++) {
        const int32_t s = (int32_t)stratum_of(c, i);
        const size_t c0 = stratum_begin(c, (size_t)s);
        size_t lo, hi;
        if (!mpi_grid_row_cells(&c->grid, s, d->start ? &d->start[i] : NULL, d->time[i], &lo, &hi)) {
            /* never at risk */
            c->lo[i] = 1;
            c->hi[i] = 0;
            continue;
        }
        c->lo[i] = (uint32_t)lo;
        c->hi[i] = (uint32_t)hi;
        cnt_in[hi] += 1;
        if (lo > c0) cnt_out[lo - 1] += 1;
        if (d->status[i] == 1) {
            c->deaths[hi] += 1;
            c->deaths[T + hi] += weight_of(c, i);
        }
    }
    if ((st = mpi_ordered_sum(c->mpi, c->deaths, 4 * T, c->err)) != SURVKIT_OK) return st;
    c->wdeaths = malloc((T ? T : 1) * sizeof *c->wdeaths);
    st = c->wdeaths ? SURVKIT_OK : mpi_fail(c->err, SURVKIT_ERR_NOMEM, "cox: out of memory");
    if ((st = survkit_mpi_agree(c->mpi, st, c->err)) != SURVKIT_OK) return st;
    memcpy(c->wdeaths, c->deaths + T, T * sizeof *c->wdeaths);
    for (size_t s = 0; s < ns; s++) { /* counts at risk down the cells: exact integers */
        double at_risk = 0;
        for (size_t cell = c->stratum_end[s]; cell-- > stratum_begin(c, s);) {
            double left = at_risk - cnt_out[cell];
            c->restart[cell] = cell + 1 < c->stratum_end[s] && left == 0;
            at_risk = left + cnt_in[cell];
        }
    }
    return SURVKIT_OK;
}

/*
 * R's scale of each covariate (newton.c runs in x * scale): coxfit6 sum w / sum w |x - xbar_w|
 * over every row; agfit4 the same about the first row of the sort over the rows ever at risk;
 * columns in {-1, 0, 1} keep 1. `gidx0`: this rank's first row in the global order.
 */
static survkit_status r_scale(mpi_cox *c, const bool *zero_one, double sumw, size_t gidx0,
                              double *scale)
{
    const survkit_cox_data *d = c->d;
    const size_t n = c->n, p = c->p, K = (size_t)c->mpi->size, q = 4 + p;
    double *v = calloc(K * q + 2 * p + 1, sizeof *v);
    survkit_status st = v ? SURVKIT_OK : mpi_fail(c->err, SURVKIT_ERR_NOMEM, "cox: out of memory");
    if ((st = survkit_mpi_agree(c->mpi, st, c->err)) != SURVKIT_OK) {
        free(v);
        return st;
    }
    double *centre = v + K * q; /* p, then the sums */
    double *sums = centre + p;
    if (c->counting) { /* every rank's candidate (stratum, -time, global index, x) in its slot */
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < n; i++) {
            if (c->lo[i] > c->hi[i]) continue;
            if (best == SIZE_MAX || stratum_of(c, i) < stratum_of(c, best) ||
                (stratum_of(c, i) == stratum_of(c, best) && d->time[i] > d->time[best]))
                best = i;
        }
        double *mine = v + (size_t)c->mpi->rank * q;
        if (best != SIZE_MAX) {
            mine[0] = 1;
            mine[1] = (double)stratum_of(c, best);
            mine[2] = d->time[best];
            mine[3] = (double)(gidx0 + best);
            for (size_t j = 0; j < p; j++) mine[4 + j] = d->x[best + j * n];
        }
        if ((st = mpi_ordered_sum(c->mpi, v, K * q, c->err)) != SURVKIT_OK) {
            free(v);
            return st;
        }
        const double *pick = NULL;
        for (size_t r = 0; r < K; r++) {
            const double *o = v + r * q;
            if (o[0] == 0) continue;
            if (pick == NULL || o[1] < pick[1] || (o[1] == pick[1] && o[2] > pick[2]) ||
                (o[1] == pick[1] && o[2] == pick[2] && o[3] < pick[3]))
                pick = o;
        }
        for (size_t j = 0; j < p; j++) centre[j] = pick ? pick[4 + j] : 0;
    } else {
        memcpy(centre, c->xbar, p * sizeof *centre);
    }
    memset(sums, 0, (p + 1) * sizeof *sums);
    for (size_t i = 0; i < n; i++) {
        if (c->counting && c->lo[i] > c->hi[i]) continue;
        sums[p] += weight_of(c, i);
        for (size_t j = 0; j < p; j++) sums[j] += weight_of(c, i) * fabs(d->x[i + j * n] - centre[j]);
    }
    if ((st = mpi_ordered_sum(c->mpi, sums, p + 1, c->err)) == SURVKIT_OK) {
        const double sw = c->counting ? sums[p] : sumw;
        for (size_t j = 0; j < p; j++) scale[j] = !zero_one[j] && sums[j] > 0 ? sw / sums[j] : 1;
    }
    free(v);
    return st;
}

/*
 * Score residuals over ranks (R's coxscore2/agscore2, as robust.c writes them): with the per-cell
 * a, b and g = q0 S1 - q1 D1, e = q1 S1 - q2 D1, mbar = m0 S1 - m1 D1 of the evaluation at `beta`
 * (for the robust score test: eta = x~'beta without the offset, beta = 0 without a cluster and
 * the initial values with one, as src/cox/cox_fit.c), row i's residual is
 *     L_i = delta_i (x_i - mbar_k(i)) - s_i [x_i (A_i - delta_i b_k(i)) - (G_i - delta_i e_k(i))],
 * A_i, G_i the sums of a, g over its cells, s_i = exp(eta_i - shift). Without a cluster (one per
 * row) each rank sums w L and w^2 L L' over its rows, and these p + p^2 numbers are summed in rank
 * order. With global cluster codes (the same cluster on every rank) each rank sums w L within
 * clusters into Lc (n_clusters x p, column-major, R's rowsum), and the ranks sum Lc in rank order,
 * n_clusters p numbers.
 * Outputs: U[p] = sum w L, and M[p*p] = sum w^2 L L' (no cluster) or Lc (cluster; M then holds
 * n_clusters p numbers).
 */
static survkit_status residual_sums(mpi_cox *c, const double *beta, bool no_offset, double *U,
                                    double *M)
{
    const size_t n = c->n, p = c->p, T = c->T, q = p + 1;
    double *scratch = malloc((p * p + p + T * p + 1) * sizeof *scratch);
    survkit_status st = scratch ? SURVKIT_OK : mpi_fail(c->err, SURVKIT_ERR_NOMEM, "cox: out of memory");
    if ((st = survkit_mpi_agree(c->mpi, st, c->err)) != SURVKIT_OK) {
        free(scratch);
        return st;
    }
    double *u = scratch, *imat = u + p, *gpre = imat + p * p;
    c->no_offset = no_offset;
    (void)eval_over_ranks(c, beta, u, imat);
    c->no_offset = false;
    if (c->failed) {
        free(scratch);
        return c->err != NULL && c->err->status != SURVKIT_OK ? c->err->status : SURVKIT_ERR_NOMEM;
    }
    const double *dead = c->sums + q * T;
    for (size_t s = 0; s < c->n_strata; s++) /* prefix sums of g within each stratum */
        for (size_t cell = stratum_begin(c, s); cell < c->stratum_end[s]; cell++) {
            const double *cq = c->cellq + 5 * cell, *S = c->S + cell * q, *Dd = dead + cell * q;
            for (size_t j = 0; j < p; j++) {
                double gk = cq[0] * S[j + 1] - cq[1] * Dd[j + 1];
                gpre[cell * p + j] = gk + (cell > stratum_begin(c, s) ? gpre[(cell - 1) * p + j] : 0.0);
            }
        }
    const int32_t *cl = c->d->cluster;
    const size_t ncl = c->d->n_clusters;
    double *tot = cl ? M : c->tot; /* U then M (no cluster), or Lc, this rank's */
    memset(tot, 0, (cl ? ncl * p : p + p * p) * sizeof *tot);
    double *L = c->block; /* one row's residual */
    for (size_t i = 0; i < n; i++) {
        if (c->lo[i] > c->hi[i]) continue; /* never at risk: no residual */
        const size_t c0 = stratum_begin(c, stratum_of(c, i)), lo = c->lo[i], hi = c->hi[i];
        const double w = weight_of(c, i), si = c->risk[i] / w;
        const double A = c->prefix[hi] - (lo > c0 ? c->prefix[lo - 1] : 0.0);
        const bool death = c->d->status[i] == 1;
        const double *cq = c->cellq + 5 * hi, *S = c->S + hi * q, *Dd = dead + hi * q;
        for (size_t j = 0; j < p; j++) {
            const double x = xt(c, i, j);
            const double G = gpre[hi * p + j] - (lo > c0 ? gpre[(lo - 1) * p + j] : 0.0);
            L[j] = -si * (x * A - G);
            if (death) {
                const double mbar = cq[3] * S[j + 1] - cq[4] * Dd[j + 1];
                const double e = cq[1] * S[j + 1] - cq[2] * Dd[j + 1];
                L[j] += x - mbar + si * (x * c->bcell[hi] - e);
            }
        }
        if (cl) {
            for (size_t j = 0; j < p; j++) tot[(size_t)cl[i] + j * ncl] += w * L[j];
            continue;
        }
        for (size_t j = 0; j < p; j++) {
            tot[j] += w * L[j];
            for (size_t k = 0; k < p; k++) tot[p + j + k * p] += w * w * L[j] * L[k];
        }
    }
    if (cl) {
        if ((st = mpi_ordered_sum(c->mpi, M, ncl * p, c->err)) == SURVKIT_OK)
            for (size_t j = 0; j < p; j++) { /* U = 1' Lc, as robust.c's colsum */
                double s = 0;
                for (size_t g = 0; g < ncl; g++) s += M[g + j * ncl];
                U[j] = s;
            }
        free(scratch);
        return st;
    }
    st = mpi_ordered_sum(c->mpi, tot, p + p * p, c->err);
    if (st == SURVKIT_OK) {
        memcpy(U, tot, p * sizeof *U);
        memcpy(M, tot + p, p * p * sizeof *M);
    }
    free(scratch);
    return st;
}

/* R's robust variance with one cluster per row: V M V (M the sum of w^2 L L' at the fit, V the
 * naive variance) and robust score test U0' M0^- U0 at eta = 0 (coxph.wtest's tolerance). */
static survkit_status robust_rows(mpi_cox *c, const sk_cox_newton_out *nw, const double *init,
                                  double toler, double *var, double *rscore)
{
    const size_t p = c->p;
    double *w = calloc(3 * p * p + 4 * p + 1, sizeof *w);
    survkit_status st = w ? SURVKIT_OK : mpi_fail(c->err, SURVKIT_ERR_NOMEM, "cox: out of memory");
    if ((st = survkit_mpi_agree(c->mpi, st, c->err)) != SURVKIT_OK) {
        free(w);
        return st;
    }
    double *U = w, *M = U + p, *VM = M + p * p, *zero = VM + p * p, *scratch = zero + p;
    (void)init; /* one cluster per row: R's test starts from 0 whatever init */
    if ((st = residual_sums(c, nw->beta, false, U, M)) == SURVKIT_OK) {
        const double *V = nw->var;
        for (size_t j = 0; j < p; j++) /* VM = V M, then var = VM V */
            for (size_t k = 0; k < p; k++) {
                double v = 0;
                for (size_t l = 0; l < p; l++) v += V[j + l * p] * M[l + k * p];
                VM[j + k * p] = v;
            }
        for (size_t j = 0; j < p; j++)
            for (size_t k = 0; k < p; k++) {
                double v = 0;
                for (size_t l = 0; l < p; l++) v += VM[j + l * p] * V[l + k * p];
                var[j + k * p] = v;
            }
        st = residual_sums(c, zero, true, U, M);
    }
    if (st == SURVKIT_OK) {
        size_t df = 0;
        *rscore = sk_cox_wald(M, U, p, toler, scratch, &df);
    }
    free(w);
    return st;
}

/* R's robust variance of clusters (global codes): the weighted score residuals summed within
 * clusters over all ranks, Lc (n_clusters x p), the dfbeta sums D = Lc V and var = D'D; the robust
 * score test from Lc at eta = x~'init (robust.c's sk_cox_robust_score_from_sums). Every rank holds Lc and
 * D: 2 n_clusters p doubles (rank 0 also K n_clusters p while it sums them). */
static survkit_status robust_clusters(mpi_cox *c, const sk_cox_newton_out *nw,
                                      const double *init, double toler, double *var,
                                      double *rscore)
{
    const size_t p = c->p, ncl = c->d->n_clusters;
    size_t m = 0;
    double *w = sk_mul_size(ncl, p, &m) && m < SIZE_MAX / 2 - 2 * p * p - 3 * p - 2
                    ? calloc(2 * m + 2 * p * p + 3 * p + 2, sizeof *w) : NULL;
    survkit_status st = w ? SURVKIT_OK : mpi_fail(c->err, SURVKIT_ERR_NOMEM, "cox: out of memory");
    if ((st = survkit_mpi_agree(c->mpi, st, c->err)) != SURVKIT_OK) {
        free(w);
        return st;
    }
    double *lc = w, *D = lc + m, *U = D + m, *scratch = U + p;
    if ((st = residual_sums(c, nw->beta, false, U, lc)) == SURVKIT_OK) {
        if (ncl > 0 && p > 0)
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)ncl, (int)p, (int)p, 1.0,
                        lc, (int)ncl, nw->var, (int)p, 0.0, D, (int)ncl);
        sk_cox_crossprod(D, ncl, p, var);
        st = residual_sums(c, init, true, U, lc);
    }
    if (st == SURVKIT_OK) *rscore = sk_cox_robust_score_from_sums(lc, ncl, p, toler, scratch);
    free(w);
    return st;
}

/*
 * coxph's concordance of the linear predictor (in c->eta) and its standard error, over the ranks
 * without gathering the rows (mpi_concordance.c) on the fit's own event cells. `cl`: the cluster
 * codes when the fit is robust (coxph's std is then the clusters' grouped jackknife).
 */
static survkit_status concordance(mpi_cox *c, const int32_t *cl, double *cindex, double *se)
{
    const survkit_cox_data *d = c->d;
    mpi_conc_rows rows = {.n = c->n, .T = c->T, .lo = c->lo, .hi = c->hi, .status = d->status,
                          .eta = c->eta, .weights = d->weights, .cluster = cl,
                          .n_clusters = cl ? d->n_clusters : 0};
    return mpi_concordance_cells(c->mpi, &rows, cindex, se, NULL, c->err);
}

survkit_status survkit_mpi_cox_fit(survkit_mpi *mpi, const survkit_cox_data *d,
                                   const survkit_cox_options *opt_in, survkit_cox_result **out,
                                   survkit_error *err)
{
    survkit_cox_options opt;
    survkit_cox_options_init(&opt);
    if (opt_in) opt = *opt_in;
    survkit_status st = out == NULL ? mpi_fail(err, SURVKIT_ERR_ARGUMENT, "cox: no output pointer")
                                    : check_local(mpi, d, &opt, err);
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) return st;
    /* cluster codes must mean the same everywhere: every rank has cluster() and the same count */
    long long ncl[2] = {d->cluster ? (long long)d->n_clusters + 1 : 0, 0};
    ncl[1] = -ncl[0];
    MPI_Allreduce(MPI_IN_PLACE, ncl, 2, MPI_LONG_LONG, MPI_MAX, mpi->comm);
    if (ncl[0] != -ncl[1])
        return mpi_fail(err, SURVKIT_ERR_ARGUMENT,
                        "cox: the ranks disagree on the cluster codes (cluster() or their number)");
    *out = NULL;
    const size_t n = d->n, p = d->p, K = (size_t)mpi->size;
    mpi_cox c = {.mpi = mpi, .d = d, .n = n, .p = p, .n_strata = d->strata ? d->n_strata : 1,
                 .counting = d->start != NULL, .efron = opt.ties == SURVKIT_COX_EFRON, .err = err};
    /* Global sums: rows, weight, events, offset (and its non-zeros), fractional weights, sum w x,
     * sum x, values outside {-1, 0, 1} per column; then each rank's row count in its slot. */
    const size_t G = 6 + 3 * p;
    double *g = calloc(G + K + 3 * p + 1, sizeof *g);
    bool *zero_one = calloc(p + 1, sizeof *zero_one);
    st = g && zero_one ? SURVKIT_OK : mpi_fail(err, SURVKIT_ERR_NOMEM, "cox: out of memory");
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) goto done;
    double *means = g + G + K, *scale = means + p, *init = scale + p;
    for (size_t i = 0; i < n; i++) {
        const double w = weight_of(&c, i);
        g[0] += 1;
        g[1] += w;
        g[2] += d->status[i];
        if (d->offset) {
            g[3] += d->offset[i];
            g[4] += d->offset[i] != 0;
        }
        g[5] += floor(w) != w;
        for (size_t j = 0; j < p; j++) {
            const double x = d->x[i + j * n];
            g[6 + j] += w * x;
            g[6 + p + j] += x;
            g[6 + 2 * p + j] += x != 0 && x != 1 && x != -1;
        }
    }
    g[G + (size_t)mpi->rank] = (double)n;
    if ((st = mpi_ordered_sum(mpi, g, G + K, err)) != SURVKIT_OK) goto done;
    const double n_all = g[0], sumw = g[1], events = g[2];
    size_t gidx0 = 0;
    for (int r = 0; r < mpi->rank; r++) gidx0 += (size_t)g[G + (size_t)r];
    bool robust = opt.robust == SURVKIT_COX_ROBUST_ON ||
                  (opt.robust == SURVKIT_COX_ROBUST_AUTO && (d->cluster != NULL || g[5] > 0));
    if (n_all == 0) st = mpi_fail(err, SURVKIT_ERR_NO_DATA, "No (non-missing) observations");
    else if (robust && d->start != NULL && d->cluster == NULL && opt.robust == SURVKIT_COX_ROBUST_ON)
        st = mpi_fail(err, SURVKIT_ERR_ARGUMENT, "one of cluster or id is needed");
    if (st != SURVKIT_OK) goto done; /* the same on every rank: no agreement needed */
    c.xbar = calloc(p + 1, sizeof *c.xbar);
    c.shift = calloc(c.n_strata, sizeof *c.shift);
    c.smax = calloc(c.n_strata, sizeof *c.smax);
    if (d->offset && g[4] > 0 && (c.offset = malloc((n ? n : 1) * sizeof *c.offset)) != NULL)
        for (size_t i = 0; i < n; i++) c.offset[i] = d->offset[i] - g[3] / n_all; /* R centres it */
    st = c.xbar && c.shift && c.smax && (c.offset || !(d->offset && g[4] > 0))
             ? SURVKIT_OK : mpi_fail(err, SURVKIT_ERR_NOMEM, "cox: out of memory");
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) goto done;
    const sk_cox_flavour fl = c.counting ? SK_COX_AGFIT4 : SK_COX_COXFIT6;
    for (size_t j = 0; j < p; j++) {
        c.xbar[j] = g[6 + j] / sumw;
        zero_one[j] = g[6 + 2 * p + j] == 0;
        /* R's $means: weighted (coxph.fit) or plain (agreg.fit) column means, 0 for {-1, 0, 1} */
        means[j] = zero_one[j] ? 0 : fl == SK_COX_COXFIT6 ? c.xbar[j] : g[6 + p + j] / n_all;
        init[j] = opt.init ? opt.init[j] : 0;
    }
    if ((st = build_cells(&c)) != SURVKIT_OK) goto done;

    sk_cox_result_in rin = {.n = (size_t)n_all, .p = p, .n_events = events, .counting = c.counting,
                            .names = d->names, .opt = &opt, .flavour = fl, .means = means,
                            .max_lp = -INFINITY, .concordance = NAN, .concordance_se = NAN,
                            .cluster_ignored = opt.robust == SURVKIT_COX_ROBUST_OFF && d->cluster};
    double *nwmem = NULL;
    const size_t q = p + 1, T = c.T;
    nwmem = calloc(5 * p * p + 5 * p + 1, sizeof *nwmem);
    double *robust_var = nwmem + 4 * p * p + 5 * p;
    c.eta = malloc((n ? n : 1) * sizeof *c.eta);
    c.risk = malloc((n ? n : 1) * sizeof *c.risk);
    c.cw = malloc((n ? n : 1) * sizeof *c.cw);
    c.sums = malloc(((c.counting ? 3 : 2) * q * T + 1) * sizeof *c.sums);
    c.tot = malloc((1 + p + p * p) * sizeof *c.tot);
    c.S = malloc((q * T + 1) * sizeof *c.S);
    c.acell = malloc((T + 1) * sizeof *c.acell);
    c.cellq = malloc((5 * T + 1) * sizeof *c.cellq);
    c.bcell = malloc((T + 1) * sizeof *c.bcell);
    c.prefix = malloc((T + 1) * sizeof *c.prefix);
    c.block = malloc((SYRK_BLOCK * p + 1) * sizeof *c.block);
    st = nwmem && c.eta && c.risk && c.cw && c.sums && c.tot && c.S && c.acell && c.bcell &&
                 c.prefix && c.block && c.cellq
             ? SURVKIT_OK : mpi_fail(err, SURVKIT_ERR_NOMEM, "cox: out of memory");
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) goto done_nw;
    sk_cox_newton_out nw = {
        .beta = nwmem, .u = nwmem + p, .u_scaled = nwmem + 2 * p, .beta_scaled = nwmem + 3 * p,
        .var = nwmem + 5 * p, .var_scaled = nwmem + 5 * p + p * p};
    if (events > 0 && p == 0) {
        double u0 = 0, i0 = 0;
        nw.loglik0 = nw.loglik = eval_over_ranks(&c, NULL, &u0, &i0);
    } else if (events > 0) {
        if ((st = r_scale(&c, zero_one, sumw, gidx0, scale)) != SURVKIT_OK) goto done_nw;
        sk_cox_newton_in nin = {fl, p, scale, init, opt.iter_max, opt.eps, opt.toler_chol,
                                eval_over_ranks, &c, opt.progress, opt.progress_user};
        st = sk_cox_newton(&nin, &nw, err);
        if (c.failed) st = err != NULL && err->status != SURVKIT_OK ? err->status : SURVKIT_ERR_NOMEM;
        if (st != SURVKIT_OK) goto done_nw;
        if (robust) {
            rin.robust = true;
            if ((st = (d->cluster ? robust_clusters : robust_rows)(
                     &c, &nw, init, opt.toler_chol, robust_var, &rin.robust_score)) != SURVKIT_OK)
                goto done_nw;
            rin.robust_var = robust_var;
        }
        /* R's linear predictor x b + offset - sum(b means), in R's order of operations (rows
         * that tie in R tie here), into c.eta: its largest for coxfit6's warning, and the
         * concordance */
        long double centre = 0;
        for (size_t j = 0; j < p; j++) centre += (long double)nw.beta[j] * means[j];
        for (size_t i = 0; i < n; i++) {
            double lp = 0;
            for (size_t j = 0; j < p; j++) lp += d->x[i + j * n] * nw.beta[j];
            c.eta[i] = lp + (c.offset ? c.offset[i] : 0.0) - (double)centre;
            if (c.eta[i] > rin.max_lp) rin.max_lp = c.eta[i];
        }
        MPI_Allreduce(MPI_IN_PLACE, &rin.max_lp, 1, MPI_DOUBLE, MPI_MAX, mpi->comm);
        if ((st = concordance(&c, robust ? d->cluster : NULL, &rin.concordance,
                              &rin.concordance_se)) != SURVKIT_OK)
            goto done_nw;
    }
    rin.nw = &nw;
    st = sk_cox_result_from_newton(&rin, out, err);
    st = survkit_mpi_agree(mpi, st, err);
    if (st != SURVKIT_OK) {
        survkit_cox_result_free(*out);
        *out = NULL;
    }
done_nw:
    free(nwmem);
done:
    mpi_cox_free(&c);
    free(g);
    free(zero_one);
    return st;
}
