/*
 * survkit/compete.h: competing risks.
 *
 * - Cumulative incidence (Aalen-Johansen) per group and state, equal to R's
 *   survfit(Surv(time, factor(event)) ~ g) for one starting state: pstate, its infinitesimal
 *   jackknife std.err, the limits of every conf.type, case weights, (start, stop] data with an id;
 *   and Gray's test per state, equal to cmprsk::cuminc(time, event, group, strata)$Tests.
 * - The Fine-Gray subdistribution hazard model, equal to cmprsk::crr: coefficients (crr's Newton
 *   iteration and stopping rule), its sandwich variance with the term for the estimated censoring
 *   distribution, loglik and loglik.null, and predict.crr's cumulative incidence for new rows.
 *
 * States are coded 0 (censored) and 1..n_states (the event types, in factor order); labels name
 * them. Fit from arrays or from a model frame whose status is a factor of states
 * (survkit_frame_options.states). Results are opaque objects with getters; arrays they return are
 * owned by them. Include <survkit/survkit.h>, not this file.
 */
#ifndef SURVKIT_COMPETE_H
#define SURVKIT_COMPETE_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ cumulative incidence */

typedef struct survkit_cuminc_options {
    survkit_conf_type conf_type; /* default SURVKIT_CONF_LOG (R's default for survfit) */
    double conf_level;           /* default 0.95 */
    double rho;                  /* power of Gray's weight function (cuminc's rho), default 0 */
} survkit_cuminc_options;

SURVKIT_API void survkit_cuminc_options_init(survkit_cuminc_options *opt);

typedef struct survkit_cuminc_s survkit_cuminc;

/* The data of a cumulative incidence fit. Every array has n entries unless said. */
typedef struct survkit_cuminc_data {
    size_t n;
    const double *start;      /* entry times for (start, stop] data, or NULL (right censored) */
    const double *time;       /* follow-up (stop) times */
    const int32_t *state;     /* 0 censored, 1..n_states the state entered at `time` */
    size_t n_states;          /* event types (at least 2) */
    const char *const *state_labels; /* n_states names, or NULL ("1", "2", ...) */
    const double *weights;    /* case weights >= 0, or NULL */
    const int32_t *id;        /* subject codes (required with start), or NULL: one subject a row */
    const int32_t *group;     /* 0..n_groups-1, or NULL: one group */
    size_t n_groups;
    const char *const *group_labels; /* n_groups labels, or NULL ("all", or "1", "2", ...) */
    const int32_t *strata;    /* strata for Gray's test only, 0..n_strata-1, or NULL */
    size_t n_strata;
} survkit_cuminc_data;

/*
 * Fit. Errors: SURVKIT_ERR_ARGUMENT (fewer than two states, (start, stop] data without id, a
 * subject with overlapping intervals or a row after its event), SURVKIT_ERR_DOMAIN (a bad value,
 * err->line = row + 2). Gray's test is computed for right-censored, unweighted data with two or
 * more groups (cmprsk's cuminc has neither weights nor late entry).
 */
SURVKIT_API survkit_status survkit_cuminc_fit(const survkit_cuminc_data *data,
                                              const survkit_cuminc_options *opt,
                                              survkit_cuminc **out, survkit_error *err);
/* Fit a frame built with survkit_frame_options.states: its groups, strata (Gray's test), weights;
 * `id` codes the subjects (NULL: one a row; required for (start, stop] data). */
SURVKIT_API survkit_status survkit_cuminc_fit_frame(const survkit_frame *frame, const int32_t *id,
                                                    const survkit_cuminc_options *opt,
                                                    survkit_cuminc **out, survkit_error *err);
SURVKIT_API void survkit_cuminc_free(survkit_cuminc *fit);

SURVKIT_API const survkit_cuminc_options *survkit_cuminc_options_used(const survkit_cuminc *fit);
SURVKIT_API size_t survkit_cuminc_n_states(const survkit_cuminc *fit);
/* State s in 1..n_states (0 gives "(s0)", R's name of the starting state). */
SURVKIT_API const char *survkit_cuminc_state_label(const survkit_cuminc *fit, size_t s);
SURVKIT_API size_t survkit_cuminc_n_groups(const survkit_cuminc *fit);
SURVKIT_API const char *survkit_cuminc_group_label(const survkit_cuminc *fit, size_t g);
/* Rows of group g (R's n), and its weighted events of state s (1..n_states). */
SURVKIT_API size_t survkit_cuminc_records(const survkit_cuminc *fit, size_t g);
SURVKIT_API double survkit_cuminc_events(const survkit_cuminc *fit, size_t g, size_t s);

/* Group g's table: one row per distinct stop time (R's fit$time). */
SURVKIT_API size_t survkit_cuminc_n_times(const survkit_cuminc *fit, size_t g);

typedef enum survkit_cuminc_column {
    SURVKIT_CUMINC_TIME = 0,  /* (state ignored) */
    SURVKIT_CUMINC_N_RISK,    /* weighted number at risk in the starting state (state ignored) */
    SURVKIT_CUMINC_N_CENSOR,  /* weighted censorings (state ignored) */
    SURVKIT_CUMINC_N_EVENT,   /* weighted transitions into state s */
    SURVKIT_CUMINC_PSTATE,    /* probability of being in state s: the cumulative incidence for
                                 s >= 1, the probability of no event yet for s = 0 */
    SURVKIT_CUMINC_STD_ERR,   /* its infinitesimal jackknife standard error (R's std.err) */
    SURVKIT_CUMINC_LOWER,     /* confidence limits (NaN = R's NA) */
    SURVKIT_CUMINC_UPPER
} survkit_cuminc_column;

/* A column of group g's table for state s (0..n_states): survkit_cuminc_n_times values. */
SURVKIT_API const double *survkit_cuminc_values(const survkit_cuminc *fit, size_t g, size_t s,
                                                survkit_cuminc_column column);

/*
 * Gray's test for state s (1..n_states): false when not computed (one group, weights, late entry)
 * or when the state has no event (cmprsk leaves it out). stat is -1 when the score variance is
 * singular, as cmprsk's. Outputs: *stat, *df (groups - 1), *p (upper chi-square tail).
 */
SURVKIT_API bool survkit_cuminc_gray(const survkit_cuminc *fit, size_t s, double *stat,
                                     double *df, double *p);

/*
 * The curves at chosen times, as summary(fit, times =): for each requested time (ascending),
 * the last row at or before it. A time before the group's first time gives pstate of the start
 * (0 for s >= 1, 1 for s = 0) and standard error 0; after its last time the last row.
 * Outputs: pstate[n_times], std_err[n_times], lower[n_times], upper[n_times], n_risk[n_times]
 * (at risk at t: the rows whose time is >= t; NULL allowed).
 */
SURVKIT_API survkit_status survkit_cuminc_at_times(const survkit_cuminc *fit, size_t g, size_t s,
                                                   const double *times, size_t n_times,
                                                   double *pstate, double *std_err, double *lower,
                                                   double *upper, survkit_error *err);

/*
 * Restricted mean time lost to state s up to tau (R's print(fit, rmean = tau) for state s: the
 * area under the cumulative incidence curve from the start to tau).
 */
SURVKIT_API survkit_status survkit_cuminc_rmtl(const survkit_cuminc *fit, size_t g, size_t s,
                                               double tau, double *estimate, survkit_error *err);

/* ------------------------------------------------------------------ Fine-Gray */

typedef struct survkit_finegray_options {
    double gtol;       /* crr's gtol (default 1e-6) */
    int iter_max;      /* crr's maxiter (default 10) */
    double conf_level; /* limits of exp(coef) (default 0.95) */
    survkit_progress_fn progress; /* optional: stage "fit", done = iteration, value = loglik */
    void *progress_user;
} survkit_finegray_options;

SURVKIT_API void survkit_finegray_options_init(survkit_finegray_options *opt);

typedef struct survkit_finegray_s survkit_finegray;

/*
 * Fit by arrays. Inputs: n rows; time[n]; state[n] (0 censored, `cause` the event of interest, any
 * other positive code a competing event); x[n*p] column-major; names[p] (NULL: "x1", ...);
 * weights[n] case weights (NULL for 1; see survkit_finegray_weighted).
 */
SURVKIT_API survkit_status survkit_finegray_fit(size_t n, const double *time,
                                                const int32_t *state, int32_t cause, size_t p,
                                                const double *x, const char *const *names,
                                                const double *weights,
                                                const survkit_finegray_options *opt,
                                                survkit_finegray **out, survkit_error *err);
/* Fit a frame built with survkit_frame_options.states; `cause` a state label. */
SURVKIT_API survkit_status survkit_finegray_fit_frame(const survkit_frame *frame, const char *cause,
                                                      const survkit_finegray_options *opt,
                                                      survkit_finegray **out, survkit_error *err);
SURVKIT_API void survkit_finegray_free(survkit_finegray *fit);

SURVKIT_API size_t survkit_finegray_n(const survkit_finegray *fit);
SURVKIT_API size_t survkit_finegray_events(const survkit_finegray *fit);     /* of the cause */
SURVKIT_API size_t survkit_finegray_competing(const survkit_finegray *fit);  /* other events */
SURVKIT_API size_t survkit_finegray_p(const survkit_finegray *fit);
SURVKIT_API const char *survkit_finegray_name(const survkit_finegray *fit, size_t j);
SURVKIT_API const double *survkit_finegray_coef(const survkit_finegray *fit);
/* crr's var: the sandwich H^-1 V H^-1, p x p column-major. */
SURVKIT_API const double *survkit_finegray_vcov(const survkit_finegray *fit);
SURVKIT_API double survkit_finegray_loglik(const survkit_finegray *fit);
SURVKIT_API double survkit_finegray_loglik_null(const survkit_finegray *fit);
SURVKIT_API int survkit_finegray_iterations(const survkit_finegray *fit);
SURVKIT_API bool survkit_finegray_converged(const survkit_finegray *fit);
/* Were case weights used (no crr reference then: the weighted Fine-Gray of survival::finegray)? */
SURVKIT_API bool survkit_finegray_weighted(const survkit_finegray *fit);
SURVKIT_API double survkit_finegray_conf_level(const survkit_finegray *fit);

/* Row j of summary(crr)'s tables: out[7] = coef, exp(coef), se, z, p = 2 Phi(-|z|), and the
 * limits of exp(coef) at survkit_finegray_conf_level. */
SURVKIT_API void survkit_finegray_term(const survkit_finegray *fit, size_t j, double out[7]);

/* The distinct event times of the cause (crr's uftime) and the baseline jumps (crr's bfitj). */
SURVKIT_API size_t survkit_finegray_n_event_times(const survkit_finegray *fit);
SURVKIT_API const double *survkit_finegray_event_times(const survkit_finegray *fit);
SURVKIT_API const double *survkit_finegray_baseline_jumps(const survkit_finegray *fit);

/*
 * predict.crr: the cumulative incidence 1 - exp(-exp(x'b) sum_{t_k <= t} bfitj_k) at every event
 * time of the cause, for each of m new rows. Inputs: x[m*p] column-major (coded as the fit's
 * columns). Output: cif[n_event_times * m], column r for row r.
 */
SURVKIT_API survkit_status survkit_finegray_predict(const survkit_finegray *fit, size_t m,
                                                    const double *x, double *cif,
                                                    survkit_error *err);

/*
 * predict.crr for the rows of a table, coded as the fit's frame codes its data (R's
 * model.frame(Terms, newdata, xlev =) then model.matrix: the factor levels of the fit).
 * Inputs: the fit, the frame it was fitted on, the new rows. Outputs: *m the rows kept (rows with
 * a missing covariate are dropped, as na.omit), *rows their 0-based table rows, *cif
 * (n_event_times x *m, column r for kept row r); free both with free().
 */
SURVKIT_API survkit_status survkit_finegray_predict_table(const survkit_finegray *fit,
                                                          const survkit_frame *fit_frame,
                                                          const survkit_table *newdata, size_t *m,
                                                          size_t **rows, double **cif,
                                                          survkit_error *err);

/*
 * A saved Fine-Gray model: the fit's coefficients and baseline jumps with the frame's variables
 * (their kinds and factor levels), enough for predict.crr on new data; saved and read as JSON
 * ("survkit-finegray-model", version 1; reading checks every member and names the bad one).
 */
typedef struct survkit_finegray_model_s survkit_finegray_model;
SURVKIT_API survkit_status survkit_finegray_model_create(const survkit_finegray *fit,
                                                         const survkit_frame *frame,
                                                         const char *cause,
                                                         survkit_finegray_model **out,
                                                         survkit_error *err);
SURVKIT_API void survkit_finegray_model_free(survkit_finegray_model *m);
/* A malloc'd JSON text (free it), or NULL when out of memory. */
SURVKIT_API char *survkit_finegray_model_to_json(const survkit_finegray_model *m);
SURVKIT_API survkit_status survkit_finegray_model_from_json(const char *text, size_t length,
                                                            const char *source,
                                                            survkit_finegray_model **out,
                                                            survkit_error *err);
SURVKIT_API const char *survkit_finegray_model_formula(const survkit_finegray_model *m);
SURVKIT_API const char *survkit_finegray_model_cause(const survkit_finegray_model *m);
SURVKIT_API size_t survkit_finegray_model_n_event_times(const survkit_finegray_model *m);
SURVKIT_API const double *survkit_finegray_model_event_times(const survkit_finegray_model *m);
/* As survkit_finegray_predict_table, from a saved model. */
SURVKIT_API survkit_status survkit_finegray_model_predict_table(const survkit_finegray_model *m,
                                                                const survkit_table *newdata,
                                                                size_t *n, size_t **rows,
                                                                double **cif, survkit_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SURVKIT_COMPETE_H */
