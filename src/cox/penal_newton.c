/*
 * penal_newton.c: the Newton-Raphson iteration of a penalised Cox fit with a sparse frailty block,
 * step by step as R's coxfit5_b, and its Cholesky factor of H = [D B'; B A] kept sparse as R's
 * cholesky3/chsolve3 keep it: D (one entry per group) is the diagonal of the frailty block, B the
 * p x G cross block, A the dense p x p block. Pivoting out D first gives L = B D^-1 and the Schur
 * complement A - B D^-1 B' (O(G p^2)), then an LDL' of the Schur complement with R's tolerance rule
 * (a pivot below eps = toler, or toler times the most negative diagonal, zeroes its column).
 *
 * The iteration (coxfit5_b): from (f, beta), for iter = 0, 1, ..., iter_max:
 *   evaluate loglik, U, H; the sparse penalty may recenter f, then adds its first derivative to
 *   U_f, its second to D and its value to the loglik (or, when flagged, holds f at 0: U_f = 0,
 *   D = 1, B = 0); factor H;
 *   converged when |loglik| < eps or |1 - previous/loglik| <= eps and not halving (the previous
 *   value is 0 at iter 0, as R's coxpenal.fit passes it);
 *   at iter_max stop (flag 1000); if the loglik fell (iter > 0), halve towards the last point;
 *   else step by H^-1 U.
 * R returns the iteration number at which it stopped.
 */
#include "cox/penal_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

survkit_status sk_penal_factor_alloc(sk_penal_factor *fac, size_t p, size_t G)
{
    memset(fac, 0, sizeof *fac);
    fac->p = p;
    fac->G = G;
    fac->d = sk_calloc_array(G + 1, sizeof(double));
    fac->pen = sk_calloc_array(G + 1, sizeof(double));
    fac->lb = sk_calloc_array(p * G + 1, sizeof(double));
    fac->a = sk_calloc_array(p * p + 1, sizeof(double));
    fac->pen2 = sk_calloc_array(p * p + 1, sizeof(double));
    fac->frail_flag = sk_calloc_array(1, sizeof(bool));
    fac->zflag = sk_calloc_array(p + 1, sizeof(bool));
    if (!fac->d || !fac->pen || !fac->lb || !fac->a || !fac->pen2 || !fac->frail_flag ||
        !fac->zflag) {
        sk_penal_factor_free(fac);
        return SURVKIT_ERR_NOMEM;
    }
    return SURVKIT_OK;
}

void sk_penal_factor_free(sk_penal_factor *fac)
{
    if (fac == NULL) return;
    free(fac->d), free(fac->pen), free(fac->lb), free(fac->a), free(fac->pen2), free(fac->frail_flag);
    free(fac->zflag);
    memset(fac, 0, sizeof *fac);
}

/* R's cholesky3 on (d, lb = B, a = A lower triangle): returns the rank (negative when H is not
 * non-negative definite). d is left as it is; lb becomes L = B D^-1. */
static int cholesky3(sk_penal_factor *fac, double toler)
{
    const size_t p = fac->p, G = fac->G;
    double *d = fac->d, *lb = fac->lb, *a = fac->a;
    double eps = 0;
    for (size_t g = 0; g < G; g++) if (d[g] < eps) eps = d[g];
    for (size_t j = 0; j < p; j++) if (a[j + j * p] < eps) eps = a[j + j * p];
    eps = eps == 0 ? toler : eps * toler;
    int rank = 0, nonneg = 1;
    for (size_t g = 0; g < G; g++) {
        const double pivot = d[g];
        double *col = lb + g * p;
        if (!isfinite(pivot) || pivot < eps) {
            for (size_t j = 0; j < p; j++) col[j] = 0;
            if (pivot < -8 * eps) nonneg = -1;
            continue;
        }
        rank++;
        for (size_t j = 0; j < p; j++) {
            const double temp = col[j] / pivot;
            col[j] = temp;
            a[j + j * p] -= temp * temp * pivot;
            for (size_t k = j + 1; k < p; k++) a[k + j * p] -= temp * col[k];
        }
    }
    for (size_t i = 0; i < p; i++) {
        const double pivot = a[i + i * p];
        if (!isfinite(pivot) || pivot < eps) {
            for (size_t j = i; j < p; j++) a[j + i * p] = 0;
            if (pivot < -8 * eps) nonneg = -1;
            continue;
        }
        rank++;
        for (size_t j = i + 1; j < p; j++) {
            const double temp = a[j + i * p] / pivot;
            a[j + i * p] = temp;
            a[j + j * p] -= temp * temp * pivot;
            for (size_t k = j + 1; k < p; k++) a[k + j * p] -= temp * a[k + i * p];
        }
    }
    return rank * nonneg;
}

/* R's chsolve3: y[G + p] (frailty first) becomes H^-1 y. */
static void chsolve3(const sk_penal_factor *fac, double *y)
{
    const size_t p = fac->p, G = fac->G;
    const double *d = fac->d, *lb = fac->lb, *a = fac->a;
    double *yd = y + G;
    for (size_t i = 0; i < p; i++) {
        double temp = yd[i];
        for (size_t g = 0; g < G; g++) temp -= y[g] * lb[i + g * p];
        for (size_t j = 0; j < i; j++) temp -= yd[j] * a[i + j * p];
        yd[i] = temp;
    }
    for (size_t i = p; i-- > 0;) {
        if (a[i + i * p] == 0) {
            yd[i] = 0;
            continue;
        }
        double temp = yd[i] / a[i + i * p];
        for (size_t j = i + 1; j < p; j++) temp -= yd[j] * a[j + i * p];
        yd[i] = temp;
    }
    for (size_t g = G; g-- > 0;) {
        if (d[g] == 0) {
            y[g] = 0;
            continue;
        }
        double temp = y[g] / d[g];
        for (size_t j = 0; j < p; j++) temp -= yd[j] * lb[j + g * p];
        y[g] = temp;
    }
}

static bool report(const sk_penal_newton_in *in, int iter, double loglik)
{
    if (in->progress == NULL) return true;
    return in->progress(in->progress_user, "fit", (uint64_t)iter, (uint64_t)in->iter_max,
                        loglik) == 0;
}

survkit_status sk_penal_newton(const sk_penal_newton_in *in, sk_penal_newton_out *out,
                               survkit_error *err)
{
    const size_t p = in->p, G = in->G, nv = p + G;
    double *mem = sk_malloc_array(2 * nv + 2 * G + p + 1, sizeof(double));
    RETURN_ERROR_IF(mem == NULL, err, SURVKIT_ERR_NOMEM, "out of memory (penalised Newton)");
    double *u = mem, *old = u + nv, *first = old + nv, *second = first + G, *dfirst = second + G;
    double *beta = out->beta, *f = out->f;
    sk_penal_factor *fac = &out->fac;
    for (size_t g = 0; g < G; g++) old[g] = f[g];
    for (size_t j = 0; j < p; j++) old[G + j] = beta[j];

    double loglik = 0, newlk = 0, logpen = 0;
    int halving = 0, iter;
    bool converged = false;
    for (iter = 0; iter <= in->iter_max; iter++) {
        bool nomem = false;
        newlk = sk_frail_kernel_eval(in->kernel, beta, f, u, fac->d, fac->lb, fac->a, &nomem);
        if (nomem) {
            free(mem);
            return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (frailty)");
        }
        bool flag = false;
        logpen = 0;
        if (in->sparse != NULL) in->sparse(in->sparse_ctx, f, G, first, second, &logpen, &flag);
        *fac->frail_flag = flag;
        if (in->sparse == NULL) {
            /* no sparse term */
        } else if (flag) {
            for (size_t g = 0; g < G; g++) {
                u[g] = 0;
                fac->d[g] = 1;
                fac->pen[g] = 0;
                for (size_t j = 0; j < p; j++) fac->lb[j + g * p] = 0;
            }
        } else {
            for (size_t g = 0; g < G; g++) {
                u[g] += first[g];
                fac->d[g] += second[g];
                fac->pen[g] = second[g];
            }
            newlk += logpen;
        }
        if (flag) logpen = 0;
        if (in->dense != NULL) { /* coxfit5: the dense penalty always counts */
            double dpen = 0;
            in->dense(in->dense_ctx, beta, p, dfirst, fac->pen2, &dpen, fac->zflag);
            for (size_t j = 0; j < p; j++) {
                u[G + j] += dfirst[j];
                for (size_t k = 0; k < p; k++) fac->a[j + k * p] += fac->pen2[j + k * p];
            }
            /* a flagged column (R's zflag) keeps its value: no score, its row of the lower
             * triangle cleared and 1 on the diagonal, as coxfit5 does (the entries below the
             * diagonal in its column stay) */
            for (size_t j = 0; j < p; j++) {
                if (!fac->zflag[j]) continue;
                u[G + j] = 0;
                for (size_t k = 0; k < j; k++) fac->a[j + k * p] = 0;
                fac->a[j + j * p] = 1;
            }
            newlk += dpen;
            logpen += dpen;
        }
        if (!report(in, iter, newlk)) {
            free(mem);
            return sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, 0, 0, "cancelled");
        }
        out->flag = cholesky3(fac, in->toler);
        if (fabs(newlk) < in->eps || (fabs(1 - loglik / newlk) <= in->eps && halving == 0)) {
            converged = true;
            break;
        }
        if (iter == in->iter_max) break;
        if (iter > 0 && newlk < loglik) { /* not converging: halve the step */
            halving = 1;
            for (size_t j = 0; j < p; j++) beta[j] = (old[G + j] + beta[j]) / 2;
            for (size_t g = 0; g < G; g++) f[g] = (old[g] + f[g]) / 2;
        } else {
            halving = 0;
            loglik = newlk;
            chsolve3(fac, u);
            for (size_t j = 0; j < p; j++) {
                old[G + j] = beta[j];
                beta[j] += u[G + j];
            }
            for (size_t g = 0; g < G; g++) {
                old[g] = f[g];
                f[g] += u[g];
            }
        }
    }
    out->loglik = newlk;
    out->penalty = -logpen;
    if (converged) out->iterations = iter;
    else {
        out->iterations = in->iter_max;
        out->flag = 1000;
    }
    free(mem);
    return SURVKIT_OK;
}
