/*
 * km_internal.h: the layout of a Kaplan-Meier result, shared by the files of the km module
 * (km.c fits, km_grid.c counts integer times, km_ci.c transforms, km_quantile.c, km_rmst.c, km_times.c read the curves).
 */
#ifndef SURVKIT_KM_INTERNAL_H
#define SURVKIT_KM_INTERNAL_H

#include "core/internal.h"

/* One group's curve: n_times rows of every survkit_km_column, stored column after column. */
typedef struct sk_km_curve {
    size_t n_times;
    size_t records;               /* rows of the group (R's n) */
    double n_max, n_start, events;
    double *values;               /* SURVKIT_KM_N_COLUMNS * n_times */
} sk_km_curve;

struct survkit_km_s {
    survkit_km_options opt;
    bool counting;
    bool robust;                  /* the IJ variance was used (km_robust.c) */
    size_t n_groups;
    char **labels;                /* n_groups owned strings */
    sk_km_curve *curves;          /* n_groups */
    double min_time;              /* smallest time of any curve (R's min(x$time)) */
};

static inline double *sk_km_col(const sk_km_curve *c, survkit_km_column col)
{
    return c->values + (size_t)col * c->n_times;
}

/* Is std.err that of S itself rather than of -log S (R's logse = FALSE: robust with ctype 1)? */
static inline bool sk_km_se_of_surv(const survkit_km *km) { return km->robust && km->opt.ctype == 1; }

/*
 * Confidence limits of survival as R's survfit_confint.
 * Inputs: surv[n], std_err[n] (of -log S when logse, else of S), the transform and level.
 * Outputs: lower[n], upper[n] (NaN = NA).
 */
void sk_km_confint(const double *surv, const double *std_err, size_t n, bool logse,
                   survkit_conf_type type, double conf_level, double *lower, double *upper);

/*
 * The robust (IJ) std.err and std.chaz of one curve, each row its own cluster (km_robust.c).
 * Inputs: c with its time, n_risk and n_event columns; deaths[n_times] unweighted; by_stop[m] the
 * group's rows by ascending stop; start (NULL for right-censored data), time, status, weights
 * (NULL: 1) indexed by row; ctype. Output: the STD_ERR (of S) and STD_CHAZ columns of c.
 * Returns SURVKIT_ERR_NOMEM (nothing else) when its O(n_times) scratch cannot be had.
 */
survkit_status sk_km_robust_se(sk_km_curve *c, const double *deaths, const size_t *by_stop,
                               size_t m, const double *start, const double *time,
                               const double *status, const double *weights, int ctype);

/*
 * The robust (IJ) variance in three steps (km_robust.c), for rows held apart (libsurvkit-mpi):
 * sk_km_ij_init: the curve's recursions, from c's time, n_risk, n_event columns and deaths[n_times]
 * (kept as pointers: c and deaths must outlive ij); SURVKIT_ERR_NOMEM only.
 * sk_km_ij_add_rows: rows[m] (indices into start (NULL: right-censored), time, status, weights
 * (NULL: 1), each time one of the curve's) add their SK_KM_IJ_SUMS sums per time to
 * sums[SK_KM_IJ_SUMS * n_times] (zeroed first, column after column); the sums of a partition of
 * the rows add up to those of all. sk_km_ij_finish: the STD_ERR and STD_CHAZ columns of c.
 */
#define SK_KM_IJ_SUMS 8
typedef struct sk_km_ij {
    size_t nt;
    const double *t, *n_risk, *n_event, *deaths;
    int ctype;
    double *state; /* C, S, E after t_i, S before it, beta: 5 nt */
} sk_km_ij;
survkit_status sk_km_ij_init(sk_km_ij *ij, const sk_km_curve *c, const double *deaths, int ctype);
survkit_status sk_km_ij_add_rows(const sk_km_ij *ij, const size_t *rows, size_t m,
                                 const double *start, const double *time, const double *status,
                                 const double *weights, double *sums);
void sk_km_ij_finish(const sk_km_ij *ij, const double *sums, sk_km_curve *c);
void sk_km_ij_free(sk_km_ij *ij);

/*
 * After a fit from counts (Greenwood), with the robust STD_ERR and STD_CHAZ columns filled by
 * sk_km_ij_finish: mark the fit robust (opt.robust = robust_option as asked) and recompute every
 * curve's confidence limits from them (km.c).
 */
void sk_km_set_robust(survkit_km *km, int robust_option);

/*
 * The counts of every curve when all times (and starts) are integers of a modest range (km_grid.c).
 * Inputs: as survkit_km_fit, validated. Outputs, when *counted is set: for each group g, curves[g]
 * with records, n_times and values allocated holding the time, n_risk, n_event and n_censor
 * columns, and deaths[g] (allocated) the unweighted deaths per time. *counted false: nothing done.
 */
survkit_status sk_km_grid_counts(size_t n, const double *start, const double *time,
                                 const double *status, const double *weights, const int32_t *group,
                                 size_t n_groups, sk_km_curve *curves, double **deaths,
                                 bool *counted, survkit_error *err);

/* R's pmin/pmax of two numbers: NaN when either is NaN (fmin/fmax would drop it). */
static inline double sk_r_pmin(double a, double b) { return (a != a || b != b) ? a + b : (a < b ? a : b); }
static inline double sk_r_pmax(double a, double b) { return (a != a || b != b) ? a + b : (a > b ? a : b); }

#endif /* SURVKIT_KM_INTERNAL_H */
