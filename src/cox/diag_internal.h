/*
 * diag_internal.h: what the diagnostics files of the Cox module share; not installed.
 *
 *   cox_model.c       the survkit_cox_model object: made from a fit and its data, getters
 *   cox_eval.c        a fitted model evaluated on its data: risk-set layout, centred X, eta
 *   baseline.c        the hazard increments of survfit.coxph (one kernel: basehaz and predict)
 *   zph.c             cox.zph
 *   zph_smooth.c      the smooth and band of plot.cox.zph (core/nspline.c: splines::ns)
 *   residuals.c       residuals.coxph
 *   predict.c         predict.coxph and survfit.coxph(newdata)
 *   model_json.c      saving and reading models (the "survkit-model" JSON format)
 */
#ifndef SURVKIT_COX_DIAG_INTERNAL_H
#define SURVKIT_COX_DIAG_INTERNAL_H

#include "cox/cox_internal.h"
#include "formula/model_variables.h"

/*
 * The baseline hazard of one model, all strata: for every distinct (stop) time of each stratum,
 * R's agsurv pieces with risks exp(x'b + offset - xcenter): the hazard increment, the variance
 * increment (varhaz) and the running sum of xbar (p columns), the weighted number at risk and
 * of events. Rows of stratum s are first[s] .. first[s+1]-1, times ascending.
 */
typedef struct sk_baseline {
    size_t n_rows, p, n_strata;
    size_t *first;                /* n_strata + 1 */
    double *time, *n_risk, *n_event, *hazard, *varhaz;
    double *xbar;                 /* n_rows x p, cumulative within the stratum */
} sk_baseline;

void sk_baseline_free(sk_baseline *b);

/*
 * What a penalised fit (frailty(), ridge(): R's coxph.penal) adds to a model. The frailties enter
 * the linear predictor of the fit's own rows (d->frailty codes); df is R's fit$df (one per term in
 * R's order, the frailty's at frail_pos), second R's fit$coxlist2$second: a vector of p for
 * ridge() alone, the p x p matrix (column-major) once a pspline() term makes R's imat full.
 */
typedef struct sk_model_penalty {
    bool penalised;
    size_t n_frail;          /* frailty groups (0 without frailty()) */
    char **frail_labels;     /* n_frail: the groups' values as text */
    double *frail;           /* n_frail: R's fit$frail */
    char *frail_term;        /* "frailty(la)", or NULL */
    size_t frail_pos;        /* its place among the terms (SIZE_MAX without) */
    size_t n_df;
    double *df;              /* n_df */
    double *second;          /* n_second, or NULL without a dense penalty */
    size_t n_second;         /* p (ridge() alone) or p * p (with a pspline(): R's full.imat) */
    /* A dense frailty (R's sparse = FALSE): the model's p columns are R's X, the groups' 0/1
     * columns at dense_col .. dense_col + n_frail - 1 (named gamma:<group>), the coefficients,
     * var and means R's full ones; frail holds the groups' coefficients again. Its data are
     * given as the frame's (p - n_frail covariates and the groups' codes): sk_cox_data_dense. */
    bool dense;
    size_t dense_col;
} sk_model_penalty;

void sk_model_penalty_free(sk_model_penalty *pen, size_t p);

/*
 * The data of a dense frailty model (pen->dense, p_model columns) as R's X: d's covariates with
 * the 0/1 columns of d->frailty's groups inserted (*x_owned holds them: free it), no frailty
 * codes. Data that already have p_model columns, and the data of any other model, are passed
 * through (*out = *d, *x_owned NULL). Errors: the data do not match the model's groups.
 */
survkit_status sk_cox_data_dense(const sk_model_penalty *pen, size_t p_model,
                                 const survkit_cox_data *d, survkit_cox_data *out,
                                 double **x_owned, survkit_error *err);

/* What a model is made of, from a Cox or a penalised fit. */
typedef struct sk_model_source {
    survkit_cox_ties ties;
    bool counting, robust;
    size_t n, p;
    double n_events;
    const char *const *names;                  /* p */
    const double *coef, *var, *naive_var, *means;
    const sk_model_penalty *pen;               /* NULL: not penalised (copied into the model) */
} sk_model_source;

/* survkit_cox_model_create_frame_parts's work, for any source. */
survkit_status sk_cox_model_from_frame(const sk_model_source *src, const survkit_frame *frame,
                                       const char *weights_name, survkit_cox_model_parts parts,
                                       survkit_cox_model **out, survkit_error *err);

/* SURVKIT_ERR_ARGUMENT unless `parts` is one of survkit_cox_model_parts. */
survkit_status sk_cox_model_parts_check(survkit_cox_model_parts parts, survkit_error *err);

/* SURVKIT_ERR_ARGUMENT, naming `what` (the function that needs it), for a model made without its
 * baseline hazard (SURVKIT_MODEL_NO_BASELINE). */
survkit_status sk_cox_model_baseline_check(const survkit_cox_model *m, const char *what,
                                           survkit_error *err);

struct survkit_cox_model_s {
    char *formula, *weights_name;           /* NULL for models from arrays */
    survkit_cox_ties ties;
    bool counting, robust, has_offset;
    bool timefix;                           /* the data's times went through R's timefix */
    survkit_collate collate;                /* the order its data's string levels were given */
    size_t n;
    double n_events;
    size_t p;
    char **names;
    double *coef;                           /* NaN = aliased */
    double *var, *naive_var;                /* p x p; naive_var NULL unless robust */
    double *means;                          /* R's fit$means */
    size_t n_terms;
    char **term_names;
    size_t *column_term;                    /* p */
    double offset_mean;                     /* mean offset (lp centring) */
    double offset_wmean;                    /* weighted mean offset (survfit centring) */
    size_t n_strata;                        /* 1 when the model has no strata */
    bool has_strata;
    char **strata_labels;                   /* n_strata (NULL without strata) */
    double *strata_means;                   /* n_strata x p weighted column means */
    size_t n_variables;
    sk_model_variable *variables;
    bool has_baseline;                      /* false: made with SURVKIT_MODEL_NO_BASELINE */
    sk_baseline base;
    sk_model_penalty pen;                   /* a penalised fit's parts (penalised false else) */
};

/* Allocate an empty model (all arrays NULL). */
survkit_cox_model *sk_cox_model_alloc(void);

/* The coefficient used in products: 0 for an aliased (NaN) coefficient, as R's predict does. */
static inline double sk_coef0(double b) { return b != b ? 0.0 : b; }

/*
 * A fitted model evaluated on its data: the risk-set layout (one sort), the weighted column means
 * of X (cmean: the kernels centre on the fly, pb.x is the caller's X, which must outlive it), weights (1 when none), the offset, and eta = X b + offset - xcenter with R's
 * survfit xcenter (sum(means * b) + weighted mean offset). Aliased coefficients count as 0.
 * `efron` selects Efron's sums (Efron fits), Breslow's otherwise (Breslow and exact fits).
 */
typedef struct sk_cox_eval {
    sk_cox_layout lay;
    sk_cox_problem pb;
    sk_cox_work *work;
    size_t n, p;
    double *weights, *offset, *eta, *cmean;
} sk_cox_eval;

/* The model on its data (cox_eval.c). with_order: the layout keeps its rows' order (lay.order),
 * which only the baseline hazard reads; without it, integer times on a small grid are laid out
 * without a sort (the fit's way: the same layout). */
survkit_status sk_cox_eval_build(const survkit_cox_model *m, const survkit_cox_data *d,
                                 bool with_order, sk_cox_eval *ev, survkit_error *err);
void sk_cox_eval_free(sk_cox_eval *ev);

/*
 * The event rows (status 1) in R's order: by stratum, then time (stop) ascending; ties by row, or
 * by row reversed (`reverse_ties`, cox.zph on counting-process data), from the layout of their
 * data. Output: out[*n_events]. Returns false when memory fails.
 */
bool sk_cox_event_order(const sk_cox_layout *lay, const double *status, bool reverse_ties,
                        size_t *out, size_t *n_events);

/* Compute the baseline hazard of m from its data into m->base. */
survkit_status sk_baseline_compute(survkit_cox_model *m, const survkit_cox_data *d,
                                   survkit_error *err);

/* Check that data fit the model (n, p, kind); a message naming the mismatch otherwise. */
survkit_status sk_cox_model_check_data(const survkit_cox_model *m, const survkit_cox_data *d,
                                       survkit_error *err);

#endif /* SURVKIT_COX_DIAG_INTERNAL_H */
