/*
 * compete_internal.h: the layout of the competing-risks results, shared by the files of
 * src/compete (cuminc.c fits the curves, aj_kernel.c is the Aalen-Johansen pass with its
 * influence sums, gray.c Gray's test, cuminc_read.c the getters and summaries; finegray*.c the
 * Fine-Gray model).
 */
#ifndef SURVKIT_COMPETE_INTERNAL_H
#define SURVKIT_COMPETE_INTERNAL_H

#include "core/internal.h"

/* Columns of a curve: time, n_risk, n_censor, then per state s = 0..n_states five columns
 * (n_event, pstate, std_err, lower, upper). */
enum { SK_AJ_BASE = 3, SK_AJ_PER_STATE = 5 };

typedef struct sk_cuminc_curve {
    size_t n_times;
    size_t records;
    double *events;   /* n_states + 1 weighted event totals (index 0 unused) */
    double *values;   /* (SK_AJ_BASE + SK_AJ_PER_STATE (n_states + 1)) * n_times */
} sk_cuminc_curve;

struct survkit_cuminc_s {
    survkit_cuminc_options opt;
    bool counting;
    size_t n_states;
    char **state_labels;  /* n_states + 1; [0] = "(s0)" */
    size_t n_groups;
    char **labels;        /* n_groups */
    sk_cuminc_curve *curves;
    bool *gray_done;      /* n_states + 1 (index 0 unused) */
    double *gray_stat, *gray_df, *gray_p;
};

static inline size_t sk_aj_n_columns(size_t n_states)
{
    return SK_AJ_BASE + SK_AJ_PER_STATE * (n_states + 1);
}

/* Column `col` (0..2 the shared ones; 3 + 5 s + k for state s) of a curve. */
static inline double *sk_aj_col(const sk_cuminc_curve *c, size_t col)
{
    return c->values + col * c->n_times;
}

static inline double *sk_aj_state_col(const sk_cuminc_curve *c, size_t s, size_t k)
{
    return sk_aj_col(c, SK_AJ_BASE + SK_AJ_PER_STATE * s + k);
}

/* One group's rows for the Aalen-Johansen pass. */
typedef struct sk_aj_rows {
    size_t m;                 /* rows of the group */
    const size_t *by_stop;    /* the rows, ascending stop time */
    const size_t *by_start;   /* the same rows, ascending start time (NULL: right censored) */
    const double *start, *time, *weights; /* indexed by row; weights NULL for 1 */
    double total_weight;      /* sum of the group's weights in row order (right-censored data) */
    const int32_t *state;     /* 0 censored, 1..n_states */
    const int32_t *subject;   /* subject codes, or NULL: every row its own subject */
    size_t n_states;
} sk_aj_rows;

/* Per-subject scratch of the pass, indexed by subject (contents overwritten). */
typedef struct sk_aj_work {
    double *off;       /* (n_states + 1) per subject */
    double *y;         /* one per subject */
    uint32_t *epoch;   /* one per subject: the rebases its offset has been through */
} sk_aj_work;

/*
 * The Aalen-Johansen curve of one group with its infinitesimal jackknife standard errors
 * (aj_kernel.c). Output: c->n_times, c->values (allocated; every column but the limits),
 * c->events. A subject's rows must not overlap in time.
 */
survkit_status sk_aj_curve(const sk_aj_rows *rows, sk_aj_work *work, sk_cuminc_curve *c,
                           survkit_error *err);

/* One group's unweighted right-censored rows as counts: n_times distinct times, ascending, and
 * counts[k (n_states + 1) + s] the rows leaving at times[k] in state s (0 censored). */
typedef struct sk_aj_counts {
    size_t m;               /* rows of the group */
    size_t n_times;
    const double *times;
    const double *counts;
    size_t n_states;
} sk_aj_counts;

/* The Aalen-Johansen pass from counts alone (aj_kernel.c); outputs as sk_aj_curve. */
survkit_status sk_aj_curve_counts(const sk_aj_counts *in, sk_cuminc_curve *c, survkit_error *err);

/*
 * Gray's test of equal cumulative incidence of one cause across groups, stratified (gray.c),
 * as cmprsk's crstm. Inputs: n rows with time[n], cause[n] (0 censored, 1 the cause, 2 another),
 * group[n] in 0..n_groups-1, strata[n] in 0..n_strata-1 (NULL: one), rho; order[n] the rows by
 * ascending time. Outputs: *stat (-1 when the variance is singular), *df = n_groups - 1.
 */
survkit_status sk_gray_test(size_t n, const double *time, const int8_t *cause,
                            const int32_t *group, size_t n_groups, const int32_t *strata,
                            size_t n_strata, double rho, const size_t *order, double *stat,
                            survkit_error *err);

/* ------------------------------------------------------------------ Fine-Gray */

/*
 * A Fine-Gray fit's data laid out once (finegray_layout.c): rows sorted by time (stable, as crr's
 * order(ftime)), covariates centred by their means (the likelihood does not change), and the
 * distinct event times of the cause.
 */
typedef struct sk_fg_data {
    size_t n, p;
    double *time;     /* n, ascending */
    int8_t *cls;      /* n: 0 censored, 1 the cause, 2 a competing event */
    double *w;        /* n case weights (1 without) */
    double *G;        /* n: G(T_i-), the Kaplan-Meier of censoring just before T_i */
    double *x;        /* n x p row-major (row i at x + i p), centred, in time order */
    double *mean;     /* p column means subtracted */
    size_t K;         /* distinct event times of the cause */
    double *t_event;  /* K */
    size_t *lo;       /* K: first row at t_k (rows lo[k].. have T >= t_k) */
    double *d;        /* K: weighted events of the cause at t_k */
    double *Gk;       /* K: G(t_k-) */
    size_t *k_of;     /* n: number of event times <= T_i */
} sk_fg_data;

survkit_status sk_fg_layout(size_t n, const double *time, const int32_t *state, int32_t cause,
                            size_t p, const double *x, const double *weights, sk_fg_data *out,
                            survkit_error *err);
void sk_fg_release(sk_fg_data *d);

/* Scratch and results of one evaluation (finegray_kernel.c). */
typedef struct sk_fg_eval {
    double loglik;
    double *U;        /* p: score */
    double *info;     /* p x p: information (full, symmetric) */
    double *S0;       /* K: S0_k with the centred covariates */
    double *M;        /* K x p column-major: m_k = S1_k / S0_k */
    double *r;        /* n: w_i exp(eta_i) */
    double *c;        /* n: sqrt(c_i), the information's row weights */
    double *scratch;  /* 256 p + 2 p + 2 (K + 1) doubles */
} sk_fg_eval;

survkit_status sk_fg_eval_alloc(const sk_fg_data *d, sk_fg_eval *e, survkit_error *err);
void sk_fg_eval_release(sk_fg_eval *e);

/*
 * crr's pseudo log-likelihood at b (with its score and information when `full`), in O(n p) plus
 * the information's O(n p^2) as a SYRK in row blocks.
 */
void sk_fg_evaluate(const sk_fg_data *d, const double *b, bool full, sk_fg_eval *e);

/*
 * crr's sandwich middle V = sum_i w_i eta_i eta_i' (its crrvv, finegray_var.c), at the b of the
 * last full evaluation e. Output: V[p*p]. O(n p + K p) for the eta_i, O(n p^2) for V.
 */
survkit_status sk_fg_sandwich(const sk_fg_data *d, const sk_fg_eval *e, double *V,
                              survkit_error *err);

/* predict.crr: cif[r K + k] = 1 - exp(-exp(x_r'b) sum_{k' <= k} bfitj_k') for m rows x[m*p]
 * (column-major); SURVKIT_ERR_DOMAIN for a row whose linear predictor is not finite. */
survkit_status sk_fg_predict_rows(const double *coef, size_t p, const double *bfitj, size_t K,
                                  size_t m, const double *x, double *cif, survkit_error *err);

/* predict.crr for the rows of `newdata` coded by the right-hand side of `formula` with the
 * fit's variables (specs[nv]) (compete_frame.c). Outputs as survkit_finegray_predict_table. */
struct sk_variable_spec;
survkit_status sk_fg_predict_like(const char *formula, const struct sk_variable_spec *specs,
                                  size_t nv, const double *coef, size_t p, const double *bfitj,
                                  size_t K, const survkit_table *newdata, size_t *m, size_t **rows,
                                  double **cif, survkit_error *err);

#endif /* SURVKIT_COMPETE_INTERNAL_H */
