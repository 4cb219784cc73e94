/*
 * cuminc_read.c: reading a cumulative incidence fit: getters, the curves at chosen times (R's
 * summary(fit, times =)) and the restricted mean time in a state (R's print(fit, rmean = tau)).
 */
#include "compete/compete_internal.h"

#include <math.h>

const survkit_cuminc_options *survkit_cuminc_options_used(const survkit_cuminc *fit)
{
    return fit ? &fit->opt : NULL;
}

size_t survkit_cuminc_n_states(const survkit_cuminc *fit) { return fit ? fit->n_states : 0; }

const char *survkit_cuminc_state_label(const survkit_cuminc *fit, size_t s)
{
    return fit && s <= fit->n_states ? fit->state_labels[s] : NULL;
}

size_t survkit_cuminc_n_groups(const survkit_cuminc *fit) { return fit ? fit->n_groups : 0; }

const char *survkit_cuminc_group_label(const survkit_cuminc *fit, size_t g)
{
    return fit && g < fit->n_groups ? fit->labels[g] : NULL;
}

size_t survkit_cuminc_records(const survkit_cuminc *fit, size_t g)
{
    return fit && g < fit->n_groups ? fit->curves[g].records : 0;
}

double survkit_cuminc_events(const survkit_cuminc *fit, size_t g, size_t s)
{
    return fit && g < fit->n_groups && s >= 1 && s <= fit->n_states ? fit->curves[g].events[s] : NAN;
}

size_t survkit_cuminc_n_times(const survkit_cuminc *fit, size_t g)
{
    return fit && g < fit->n_groups ? fit->curves[g].n_times : 0;
}

const double *survkit_cuminc_values(const survkit_cuminc *fit, size_t g, size_t s,
                                    survkit_cuminc_column column)
{
    if (fit == NULL || g >= fit->n_groups || s > fit->n_states) return NULL;
    const sk_cuminc_curve *c = &fit->curves[g];
    if (c->n_times == 0) return NULL;
    switch (column) {
    case SURVKIT_CUMINC_TIME: return sk_aj_col(c, 0);
    case SURVKIT_CUMINC_N_RISK: return sk_aj_col(c, 1);
    case SURVKIT_CUMINC_N_CENSOR: return sk_aj_col(c, 2);
    case SURVKIT_CUMINC_N_EVENT:
    case SURVKIT_CUMINC_PSTATE:
    case SURVKIT_CUMINC_STD_ERR:
    case SURVKIT_CUMINC_LOWER:
    case SURVKIT_CUMINC_UPPER:
        return sk_aj_state_col(c, s, (size_t)column - SURVKIT_CUMINC_N_EVENT);
    }
    return NULL;
}

bool survkit_cuminc_gray(const survkit_cuminc *fit, size_t s, double *stat, double *df, double *p)
{
    if (fit == NULL || s < 1 || s > fit->n_states || !fit->gray_done[s]) return false;
    *stat = fit->gray_stat[s];
    *df = fit->gray_df[s];
    *p = fit->gray_p[s];
    return true;
}

/* Index of the last row at or before t, or SIZE_MAX when t is before the first time. */
static size_t row_at(const double *time, size_t nt, double t)
{
    size_t lo = 0, hi = nt; /* first index with time > t */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (time[mid] <= t) lo = mid + 1;
        else hi = mid;
    }
    return lo == 0 ? SIZE_MAX : lo - 1;
}

survkit_status survkit_cuminc_at_times(const survkit_cuminc *fit, size_t g, size_t s,
                                       const double *times, size_t n_times, double *pstate,
                                       double *std_err, double *lower, double *upper,
                                       survkit_error *err)
{
    RETURN_ERROR_IF(fit == NULL || g >= fit->n_groups || s > fit->n_states, err,
                    SURVKIT_ERR_ARGUMENT, "cuminc: no such group or state");
    const sk_cuminc_curve *c = &fit->curves[g];
    for (size_t q = 0; q < n_times; q++) {
        RETURN_ERROR_IF(!isfinite(times[q]) || (q > 0 && times[q] < times[q - 1]), err,
                        SURVKIT_ERR_ARGUMENT, "cuminc: times must be finite and ascending");
        size_t k = c->n_times ? row_at(sk_aj_col(c, 0), c->n_times, times[q]) : SIZE_MAX;
        if (k == SIZE_MAX) { /* before any time: the starting state, known exactly */
            pstate[q] = s == 0 ? 1 : 0;
            std_err[q] = 0;
            lower[q] = upper[q] = NAN;
            continue;
        }
        pstate[q] = sk_aj_state_col(c, s, 1)[k];
        std_err[q] = sk_aj_state_col(c, s, 2)[k];
        lower[q] = sk_aj_state_col(c, s, 3)[k];
        upper[q] = sk_aj_state_col(c, s, 4)[k];
    }
    return SURVKIT_OK;
}

/* Area under p_s from the start to tau: p_s is a step function, 0 (or 1 for s = 0) before the
 * first time. The start is min(0, first time), as R's survfit curves start at 0. */
survkit_status survkit_cuminc_rmtl(const survkit_cuminc *fit, size_t g, size_t s, double tau,
                                   double *estimate, survkit_error *err)
{
    RETURN_ERROR_IF(fit == NULL || g >= fit->n_groups || s > fit->n_states, err,
                    SURVKIT_ERR_ARGUMENT, "cuminc: no such group or state");
    const sk_cuminc_curve *c = &fit->curves[g];
    RETURN_ERROR_IF(!isfinite(tau), err, SURVKIT_ERR_ARGUMENT, "cuminc: tau must be finite");
    const double *t = c->n_times ? sk_aj_col(c, 0) : NULL, *p = c->n_times ? sk_aj_state_col(c, s, 1) : NULL;
    double origin = c->n_times && t[0] < 0 ? t[0] : 0;
    RETURN_ERROR_IF(tau < origin, err, SURVKIT_ERR_ARGUMENT,
                    "cuminc: tau %g is before the start of the curve", tau);
    double area = 0, prev_t = origin, prev_p = s == 0 ? 1 : 0;
    for (size_t k = 0; k < c->n_times && t[k] < tau; k++) {
        area += prev_p * (t[k] - prev_t);
        prev_t = t[k];
        prev_p = p[k];
    }
    area += prev_p * (tau - prev_t);
    *estimate = area;
    return SURVKIT_OK;
}
