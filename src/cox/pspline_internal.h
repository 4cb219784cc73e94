/*
 * pspline_internal.h: a pspline() term inside the penalised Cox fit (pspline.c; the basis itself
 * is built by the formula layer, formula/pspline_term.c). Not installed.
 */
#ifndef SURVKIT_PSPLINE_INTERNAL_H
#define SURVKIT_PSPLINE_INTERNAL_H

#include "cox/cox_internal.h"

typedef struct sk_pspline_pen {
    size_t first, m;   /* the term's design columns first .. first + m - 1 */
    bool fixed;        /* theta given (no outer search) */
    double target, eps;
    size_t nterm;
    double *dmat;      /* m x m: the second-difference penalty D'D (R's pparm) */
    double *cbase;     /* m: the basis functions' centres (R's printfun cbase) */
    double theta;      /* the theta of the fit being run */
    double next;       /* the last theta R's cfun returned (the one R prints) */
    double df;         /* the term's df in the final fit (R's fit$df entry) */
    double *hist_theta, *hist_df; /* R's history: (1, 1), (0, nterm), then one row per fit */
    size_t n_hist;
    int half;          /* R's old$half: -1 for NULL */
} sk_pspline_pen;

/* The term t with its m columns from first_col on; outer_max bounds the history. */
survkit_status sk_pspline_pen_init(sk_pspline_pen *ps, const survkit_pspline_term *t,
                                   size_t first_col, size_t m, size_t outer_max,
                                   survkit_error *err);
void sk_pspline_pen_free(sk_pspline_pen *ps);

/* The penalty at beta[p]: sets first[] and second[] (p x p) on the term's columns (R's coxlist2:
 * first = -lambda P b, second = lambda P) and subtracts lambda b'Pb / 2 from *logpen. */
void sk_pspline_penalty(const sk_pspline_pen *ps, const double *beta, size_t p, double *first,
                        double *second, double *logpen);

/* frailty.controldf after fit number iter (1, 2, ...) at ps->theta gave the term df_fit degrees
 * of freedom: records it and returns the next theta (also in ps->next); *done as R's. A fixed
 * theta is done at once. */
double sk_pspline_next_theta(sk_pspline_pen *ps, int iter, double df_fit, bool *done);

/* printfun's rows (coef, se, se2, chisq, df, p): linear[6], nonlin[6] (NaN for R's NA), from the
 * fit's coef[p], var and var2 (p x p) and the term's df. */
survkit_status sk_pspline_tests(const sk_pspline_pen *ps, const double *coef, const double *var,
                                const double *var2, size_t p, double df, double *linear,
                                double *nonlin, survkit_error *err);

#endif /* SURVKIT_PSPLINE_INTERNAL_H */
