/*
 * survkit/km.h: Kaplan-Meier survival curves and Nelson-Aalen cumulative hazards, per group.
 *
 * Equal to R's survfit(Surv(time, status) ~ g, weights =, conf.type =, conf.int =, ctype =) for
 * right-censored data and for counting-process data Surv(start, stop, status) (late entry): the
 * curve table (time, n.risk, n.event, n.censor, surv, std.err, lower, upper, cumhaz, std.chaz),
 * print(fit)'s median and its limits, quantile(fit, probs), the restricted mean (print(fit,
 * rmean = tau)) and summary(fit, times =).
 *
 * Fit with survkit_km_fit (arrays) or survkit_km_fit_frame (a model frame whose right-hand side
 * defines the groups), read the result with the getters, free it with survkit_km_free.
 * Include <survkit/survkit.h>, not this file.
 */
#ifndef SURVKIT_KM_H
#define SURVKIT_KM_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Confidence interval transforms, as R's conf.type. */
typedef enum survkit_conf_type {
    SURVKIT_CONF_LOG = 0,  /* "log" (R's default) */
    SURVKIT_CONF_LOGLOG,   /* "log-log" */
    SURVKIT_CONF_PLAIN,    /* "plain" */
    SURVKIT_CONF_LOGIT,    /* "logit" */
    SURVKIT_CONF_ARCSIN,   /* "arcsin" */
    SURVKIT_CONF_NONE      /* "none": lower and upper are NaN */
} survkit_conf_type;

/* R's name of a transform ("log", "log-log", ...). */
SURVKIT_API const char *survkit_conf_type_name(survkit_conf_type type);
/* Parse R's name of a transform; SURVKIT_ERR_ARGUMENT for an unknown one. */
SURVKIT_API survkit_status survkit_conf_type_parse(const char *name, survkit_conf_type *out,
                                                   survkit_error *err);

/* Options for a fit. Initialise with survkit_km_options_init(). */
typedef struct survkit_km_options {
    survkit_conf_type conf_type; /* default SURVKIT_CONF_LOG */
    double conf_level;           /* in (0, 1); default 0.95 */
    int ctype;                   /* cumulative hazard: 1 Nelson-Aalen (default), 2 Fleming-Harrington
                                    tie correction (R's ctype) */
    int robust;                  /* variance of surv and cumhaz: -1 R's default rule (default: robust
                                    when some case weight is not an integer), 0 Greenwood /
                                    Nelson-Aalen, 1 the robust (infinitesimal jackknife) variance
                                    with each row its own cluster (R's robust = TRUE) */
} survkit_km_options;

SURVKIT_API void survkit_km_options_init(survkit_km_options *opt);

typedef struct survkit_km_s survkit_km;

/*
 * Kaplan-Meier fit from arrays.
 * Inputs: n rows; start[n] entry times (NULL for right-censored data; interval (start, stop]);
 *   time[n] follow-up (stop) times; status[n] 0 (censored) or 1 (event); weights[n] case weights
 *   >= 0 (NULL for 1); group[n] codes 0..n_groups-1 (NULL: one group, n_groups 1); labels[n_groups]
 *   the group labels (NULL: "all" for one group, else "1", "2", ...); opt (NULL for defaults).
 * Output: *out, one curve per group (a group without rows has an empty curve).
 */
SURVKIT_API survkit_status survkit_km_fit(size_t n, const double *start, const double *time,
                                          const double *status, const double *weights,
                                          const int32_t *group, size_t n_groups,
                                          const char *const *labels, const survkit_km_options *opt,
                                          survkit_km **out, survkit_error *err);

/* Kaplan-Meier fit of a model frame: response, weights and the groups of its right-hand side. */
SURVKIT_API survkit_status survkit_km_fit_frame(const survkit_frame *frame,
                                                const survkit_km_options *opt, survkit_km **out,
                                                survkit_error *err);

/*
 * Kaplan-Meier from per-time counts already summed (e.g. reduced across processes by
 * libsurvkit-mpi). Group g has counts[g]: n_times distinct times in ascending order with, at each,
 * the weighted number at risk, events and censorings, the unweighted number of events (for ctype 2
 * and R's "at least one event" rule) and the group's rows (R's n). The robust variance needs the
 * rows: opt->robust must be 0 (or -1, read as 0). `counting`: the response was (start, stop].
 */
typedef struct survkit_km_counts {
    size_t n_times, records;
    const double *time, *n_risk, *n_event, *n_censor, *deaths;
} survkit_km_counts;

SURVKIT_API survkit_status survkit_km_fit_counts(size_t n_groups, const survkit_km_counts *counts,
                                                 const char *const *labels, bool counting,
                                                 const survkit_km_options *opt, survkit_km **out,
                                                 survkit_error *err);

SURVKIT_API void survkit_km_free(survkit_km *km);

/* The options the fit used. */
SURVKIT_API const survkit_km_options *survkit_km_options_used(const survkit_km *km);
/* Was the robust (infinitesimal jackknife) variance used? Then STD_ERR is the standard error of
 * surv itself for ctype 1 (R's logse FALSE), and STD_CHAZ the robust one of the cumulative hazard. */
SURVKIT_API bool survkit_km_is_robust(const survkit_km *km);
/* Was the response Surv(start, stop, status)? */
SURVKIT_API bool survkit_km_is_counting(const survkit_km *km);
SURVKIT_API size_t survkit_km_n_groups(const survkit_km *km);
SURVKIT_API const char *survkit_km_group_label(const survkit_km *km, size_t g);

/* Per-group summaries, as print(fit)'s table: records (R's n), n.max (largest weighted number at
 * risk), n.start (weighted number at risk at the first time), events (weighted). */
SURVKIT_API size_t survkit_km_records(const survkit_km *km, size_t g);
SURVKIT_API double survkit_km_n_max(const survkit_km *km, size_t g);
SURVKIT_API double survkit_km_n_start(const survkit_km *km, size_t g);
SURVKIT_API double survkit_km_events(const survkit_km *km, size_t g);

/* The curve table of group g: one row per distinct time with an event or a censoring. */
typedef enum survkit_km_column {
    SURVKIT_KM_TIME = 0,
    SURVKIT_KM_N_RISK,   /* weighted number at risk */
    SURVKIT_KM_N_EVENT,  /* weighted events */
    SURVKIT_KM_N_CENSOR, /* weighted censorings */
    SURVKIT_KM_SURV,     /* Kaplan-Meier estimate */
    SURVKIT_KM_STD_ERR,  /* R's std.err: standard error of -log(surv) (Greenwood); with the robust
                            variance that of surv for ctype 1, as R (see survkit_km_is_robust) */
    SURVKIT_KM_LOWER,    /* confidence limits of surv (NaN = R's NA) */
    SURVKIT_KM_UPPER,
    SURVKIT_KM_CUMHAZ,   /* Nelson-Aalen (ctype 1) or Fleming-Harrington (ctype 2) */
    SURVKIT_KM_STD_CHAZ, /* its standard error */
    SURVKIT_KM_N_COLUMNS
} survkit_km_column;

SURVKIT_API size_t survkit_km_n_times(const survkit_km *km, size_t g);
/* Column `column` of group g's curve: survkit_km_n_times(km, g) values, or NULL for a bad index. */
SURVKIT_API const double *survkit_km_column_values(const survkit_km *km, size_t g,
                                                   survkit_km_column column);

/*
 * Median and its confidence limits as print(fit) reports them (survmean's rule: the first time the
 * curve is below 0.5, or the midpoint of a flat stretch at exactly 0.5). NaN = NA (not reached).
 * Output: out[3] = median, lower, upper.
 */
SURVKIT_API void survkit_km_median(const survkit_km *km, size_t g, double out[3]);

/*
 * Quantiles as R's quantile(fit, probs): the time at which the curve (and its confidence limits)
 * reaches 1 - p, with R's tolerance rule for flat stretches.
 * Inputs: p[n_p] in [0, 1]. Outputs: estimate[n_p], lower[n_p], upper[n_p] (NaN = NA).
 */
SURVKIT_API survkit_status survkit_km_quantiles(const survkit_km *km, size_t g, const double *p,
                                                size_t n_p, double *estimate, double *lower,
                                                double *upper, survkit_error *err);

/*
 * Restricted mean survival time up to tau and its standard error, as print(fit, rmean = tau)
 * (R's survmean). Fails with SURVKIT_ERR_ARGUMENT when tau is below the smallest time (as R).
 */
SURVKIT_API survkit_status survkit_km_rmst(const survkit_km *km, size_t g, double tau,
                                           double *estimate, double *se, survkit_error *err);

/*
 * The curve at chosen times, as summary(fit, times = times) (extend = FALSE): for each requested
 * time t not after the group's last time, the number at risk at t, the events and censorings since
 * the previous requested time, surv, its standard error (R's summary std.err: surv * std.err, or
 * std.err itself when it is already that of surv: robust with ctype 1) and
 * the confidence limits.
 * Inputs: times[n_times], ascending. Outputs: each of the 8 arrays has room for n_times rows
 * (time, n_risk, n_event, n_censor, surv, std_err, lower, upper); *n_rows rows are filled.
 */
SURVKIT_API survkit_status survkit_km_at_times(const survkit_km *km, size_t g, const double *times,
                                               size_t n_times, double *const out[8], size_t *n_rows,
                                               survkit_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SURVKIT_KM_H */
