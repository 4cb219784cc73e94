/*
 * frailty.c: survkit_frailty_fit_frame, R's coxpenal.fit for one sparse gamma frailty term, and
 * the result object with its getters.
 *
 * Outer loop (coxpenal.fit with frailty.controlgam): theta starts at 0 (the frailties held at 0:
 * the plain Cox model), then 1; the third is the mean of the first two when the integrated
 * likelihood c.loglik = loglik + gammacon(d, 1/theta) rose by less than 1, else twice the second;
 * from the fourth on, twice the largest theta when the last one is both the largest and the best,
 * else frailty.brent on (sqrt(theta), c.loglik), squared. Done when c.loglik changes by less than
 * eps (relative) between the last two; at most outer_max fits. Each fit starts from the
 * coefficients of the earlier fit whose theta is closest to the new one. With theta fixed there
 * is one fit. The variances and df come from the last fit's factor (penal_df.c).
 *
 * pspline() terms (pspline.c) are dense penalties with ridge(); each with df instead of theta
 * has its own outer search (frailty.controldf), which needs the terms' df after every fit. The
 * loop stops when every term is done (R: done <- done & temp$done), and the next fit starts from
 * the earlier fit whose thetas (all terms') are nearest in squared distance.
 *
 * A dense frailty (R's sparse = FALSE, its default for 5 groups or fewer: frailty_dense.c) is one
 * indicator column per group among the covariates, its penalty (the same pfun, recentring those
 * coefficients in place) one more dense penalty; the outer loop is the frailty's own, its df,
 * var and var2 are coxpenal.df's dense ones, and its printed chisq is coxph.wtest's on its block.
 */
#include "cox/penal_internal.h"
#include "cox/pspline_internal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_WARNINGS = 4 };

/* A pspline() term of the result: its label, columns, the theta R prints (the last one its cfun
 * returned), printfun's two rows (linear then nonlin, 6 values each) and its (theta, df) history. */
typedef struct ps_out {
    char *label;
    size_t term, first, m;
    bool fixed;
    double theta, df, rows[12];
    double *hist; /* n_hist thetas then n_hist dfs */
    size_t n_hist;
} ps_out;

struct survkit_frailty_result_s {
    size_t n, p, G, n_df, n_history;
    double n_events;
    survkit_cox_ties ties;
    survkit_frailty_distribution dist;
    char **names, **groups, *term;
    double *coef, *se, *se2, *chisq, *pvalue, *var, *var2, *df, *frail, *fvar, *lp;
    bool robust;        /* var is R's robust variance (penal_robust.c), naive_var H^-1 */
    double *naive_var;  /* p x p when robust, else NULL */
    double rscore;      /* the robust score test (NaN when not robust) */
    double *means;      /* R's fit$means: the plain column means, 0 for columns within {-1,0,1} */
    double *pen_second; /* p: R's fit$coxlist2$second, the dense penalty's diagonal; NULL without */
    size_t frail_pos;   /* the frailty term's place in R's term order (fit$df, the table) */
    size_t frail_row;   /* its row in R's printed table: the coefficients of earlier terms */
    bool dense;         /* a dense frailty: frail are R's coef[gamma:k], fvar the diagonal of its
                         * block of var */
    double *full_var, *full_var2; /* dense: R's var and var2 with the indicators ((p+G)^2) */
    double *full_naive_var;       /* dense and robust: R's naive.var, the same size; else NULL */
    double *hist_theta, *hist_loglik, *hist_c, *hist_resid;
    double theta, c_loglik, loglik0, loglik, penalty0, penalty;
    double frail_chisq, frail_df, frail_p;
    size_t n_ps;
    ps_out *ps;  /* n_ps pspline() terms */
    int outer, iterations;
    size_t n_warnings;
    char *warnings[MAX_WARNINGS];
};

void survkit_frailty_options_init(survkit_frailty_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->ties = SURVKIT_COX_EFRON;
    opt->eps = 1e-9;
    opt->iter_max = 20;
    opt->outer_max = 10;
    opt->toler_chol = pow(DBL_EPSILON, 0.75);
    opt->theta_eps = 1e-5;
    opt->robust = SURVKIT_COX_ROBUST_AUTO;
}

void survkit_frailty_result_free(survkit_frailty_result *r)
{
    if (r == NULL) return;
    for (size_t j = 0; r->names && j < r->p; j++) free(r->names[j]);
    for (size_t g = 0; r->groups && g < r->G; g++) free(r->groups[g]);
    free(r->names), free(r->groups), free(r->term);
    double *arrays[] = {r->coef, r->se,   r->se2,  r->chisq,      r->pvalue,      r->var,
                        r->var2, r->df,   r->frail, r->fvar,      r->lp,          r->hist_theta,
                        r->hist_loglik, r->hist_c, r->hist_resid, r->means, r->pen_second,
                        r->naive_var, r->full_var, r->full_var2, r->full_naive_var};
    for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++) free(arrays[k]);
    for (size_t k = 0; k < r->n_warnings; k++) free(r->warnings[k]);
    for (size_t k = 0; r->ps && k < r->n_ps; k++) free(r->ps[k].label), free(r->ps[k].hist);
    free(r->ps);
    free(r);
}

/* The gamma penalty (R's frailty.gamma pfun), theta = 0 holding the frailties at 0. */
typedef struct gamma_ctx {
    double theta;
} gamma_ctx;

static void gamma_penalty(void *ctx, double *f, size_t G, double *first, double *second,
                          double *logpen, bool *flag)
{
    const double theta = ((const gamma_ctx *)ctx)->theta;
    if (theta == 0) {
        *flag = true;
        *logpen = 0;
        return;
    }
    /* R's pfun recentres f by log(mean(exp(f))) (R's mean: a long double sum, refined once, so
     * that the recentred f are R's), then gives first = -(exp(f) - 1) nu, second = exp(f) nu and
     * the penalty -nu sum(f), which is -nu sum(f - (exp(f) - 1)) as sum(exp(f) - 1) = 0 after the
     * recentring (R: "the exp part sums to a constant"). survkit sums f - expm1(f) and takes
     * expm1(f): the same numbers, except near f = 0 (theta tiny, nu = 1/theta huge), where R's are
     * nu times the rounding of exp(f) - 1 (about 1e-16 a group, 1e-6 for nu = 2e10), noise its
     * Newton test |1 - l_k / l_(k-1)| <= eps then sees, so that its count there is round-off. */
    long double s = 0;
    for (size_t g = 0; g < G; g++) s += exp(f[g]);
    s /= (long double)G;
    long double t = 0;
    for (size_t g = 0; g < G; g++) t += exp(f[g]) - s;
    s += t / (long double)G;
    const double recenter = log((double)s), nu = 1 / theta;
    long double sum = 0;
    for (size_t g = 0; g < G; g++) {
        f[g] -= recenter;
        const double e = exp(f[g]), em1 = expm1(f[g]);
        first[g] = -em1 * nu;
        second[g] = e * nu;
        sum += f[g] - em1;
    }
    *flag = false;
    *logpen = (double)sum * nu; /* -(R's penalty) */
}

/* The gaussian penalty (R's frailty.gaussian pfun): recentre w = f - mean(f), then
 * first = w / theta, second = 1 / theta, penalty = sum(w^2 / theta + log(2 pi theta)) / 2. */
static void gauss_penalty(void *ctx, double *f, size_t G, double *first, double *second,
                          double *logpen, bool *flag)
{
    const double theta = ((const gamma_ctx *)ctx)->theta;
    if (theta == 0) {
        *flag = true;
        *logpen = 0;
        return;
    }
    double mean = 0;
    for (size_t g = 0; g < G; g++) mean += f[g];
    mean /= (double)G;
    double pen = 0;
    for (size_t g = 0; g < G; g++) {
        f[g] -= mean;
        first[g] = -f[g] / theta;
        second[g] = 1 / theta;
        pen += f[g] * f[g] / theta + log(2 * 3.14159265358979323846 * theta);
    }
    *flag = false;
    *logpen = -0.5 * pen;
}

/* ridge(..., theta, scale): R's pfun on the term's columns, s_j the column's variance (n - 1)
 * when scale, else 1: penalty = theta sum(s_j b_j^2) / 2, first = theta s_j b_j, second =
 * theta s_j on the diagonal. */
typedef struct ridge_ctx {
    double theta;
    const double *s; /* p: the scale of each penalised column, 0 for the others */
} ridge_ctx;

static void ridge_penalty(const ridge_ctx *c, const double *beta, size_t p, double *first,
                          double *second, double *logpen)
{
    double pen = 0;
    for (size_t j = 0; j < p; j++) {
        if (c->s[j] == 0) continue;
        first[j] = -c->theta * beta[j] * c->s[j];
        second[j + j * p] = c->theta * c->s[j];
        pen += beta[j] * beta[j] * c->s[j];
    }
    *logpen -= pen * c->theta / 2;
}

/* Every dense penalty (R's coxlist2): ridge() and the pspline() terms, each on its own columns. */
typedef struct dense_ctx {
    const ridge_ctx *ridge; /* NULL without ridge() */
    const sk_pspline_pen *ps;
    size_t n_ps;
    sk_penal_sparse_fn frail; /* a dense frailty's pfun on columns fcol..fcol+G-1, or NULL */
    void *frail_ctx;
    size_t fcol, G;
    double *ffirst, *fsecond; /* G each: scratch */
} dense_ctx;

/* A dense frailty: the pfun of the sparse form on its columns (recentring them in place, R's
 * coxlist2$coef written back), first and second on the diagonal; flagged (theta = 0) columns
 * are held (R's coxlist2$flag) and add nothing. */
static void dense_frailty_penalty(const dense_ctx *c, double *beta, size_t p, double *first,
                                  double *second, double *logpen, bool *zflag)
{
    double lp = 0;
    bool flag = false;
    c->frail(c->frail_ctx, beta + c->fcol, c->G, c->ffirst, c->fsecond, &lp, &flag);
    for (size_t g = 0; g < c->G; g++) {
        const size_t j = c->fcol + g;
        zflag[j] = flag;
        if (flag) continue;
        first[j] = c->ffirst[g];
        if (c->n_ps > 0) /* R's full matrix: tmat[pen.col, pen.col] <- second, as for ridge */
            for (size_t i = 0; i < c->G; i++) second[(c->fcol + i) + j * p] = c->fsecond[g];
        else second[j + j * p] = c->fsecond[g];
    }
    if (!flag) *logpen += lp;
}

static void dense_penalty(void *ctx, double *beta, size_t p, double *first, double *second,
                          double *logpen, bool *zflag)
{
    const dense_ctx *c = ctx;
    memset(first, 0, p * sizeof(double));
    memset(second, 0, p * p * sizeof(double));
    memset(zflag, 0, p * sizeof(bool));
    *logpen = 0;
    if (c->ridge != NULL) ridge_penalty(c->ridge, beta, p, first, second, logpen);
    for (size_t k = 0; k < c->n_ps; k++) sk_pspline_penalty(&c->ps[k], beta, p, first, second, logpen);
    if (c->frail != NULL) dense_frailty_penalty(c, beta, p, first, second, logpen, zflag);
    if (c->ridge != NULL && c->n_ps > 0) {
        /* R's coxpenal.fit with a full penalty matrix (a pspline makes full.imat TRUE) stores
         * ridge's diagonal second[] with tmat[pen.col, pen.col] <- second, which recycles the
         * vector over the block: R's tmat[i, j] = theta s_i for every pair of ridge columns, and
         * coxfit5 reads that matrix transposed, so its information gets theta s_j at (i, j). R's
         * numbers are those of this matrix (coxpenal.df uses tmat itself: penal_df.c). */
        const ridge_ctx *r = c->ridge;
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j < p; j++)
                if (r->s[i] != 0 && r->s[j] != 0) second[i + j * p] = r->theta * r->s[j];
    }
}

typedef struct fit_state {
    const survkit_frame *frame;
    const survkit_frailty_options *opt;
    size_t n, p, G;
    sk_cox_layout lay;
    sk_frail_kernel kernel;
    double *weights, *xmean, *events;
    size_t *term_of, n_terms; /* each column's term (R's assign), and the number of terms */
    bool ridge;
    size_t rterm;      /* the ridge() term */
    double ridge_df;   /* ridge(df = D) (R's default: half its columns); NaN with theta = */
    ridge_ctx rctx;
    double *rscale;
    sk_pspline_pen *ps;
    size_t n_ps;
    dense_ctx dctx;
    const double *x;   /* the design the fit runs on: the frame's, or xdense */
    double *xdense;    /* a dense frailty's design (frailty_dense.c), else NULL */
    size_t Gd, fcol, fterm; /* a dense frailty: its groups, first column and term (R's order) */
    bool has_layout, has_kernel;
} fit_state;

static void state_free(fit_state *s)
{
    if (s->has_kernel) sk_frail_kernel_free(&s->kernel);
    if (s->has_layout) sk_cox_layout_free(&s->lay);
    free(s->weights), free(s->xmean), free(s->events), free(s->term_of), free(s->rscale);
    free(s->xdense), free(s->dctx.ffirst), free(s->dctx.fsecond);
    for (size_t k = 0; s->ps && k < s->n_ps; k++) sk_pspline_pen_free(&s->ps[k]);
    free(s->ps);
}

static survkit_status check_frame(const survkit_frame *frame, const survkit_frailty_options *opt,
                                  survkit_error *err)
{
    bool ridge = false;
    size_t rterm = 0;
    double rtheta = 0;
    bool rscale = true;
    RETURN_IF_ERROR(survkit_frame_ridge(frame, &ridge, &rterm, &rtheta, &rscale, err));
    const bool frail = survkit_frame_frailty(frame) != NULL;
    const size_t n_ps = survkit_frame_n_pspline(frame);
    RETURN_ERROR_IF(!frail && !ridge && n_ps == 0, err, SURVKIT_ERR_ARGUMENT,
                    "the formula has no frailty(), ridge() or pspline() term");
    const char *term = frail    ? survkit_frame_frailty_term(frame)
                       : ridge ? survkit_frame_term_label(frame, rterm)
                               : survkit_frame_term_label(frame, survkit_frame_pspline(frame, 0)->term);
    RETURN_ERROR_IF(opt->outer_max > 60, err, SURVKIT_ERR_ARGUMENT,
                    "%s: at most 60 outer iterations", term);
    RETURN_ERROR_IF(survkit_frame_response_kind(frame) == SURVKIT_RESPONSE_BINARY, err,
                    SURVKIT_ERR_ARGUMENT, "a frailty model needs a Surv() response");
    RETURN_ERROR_IF(opt->ties != SURVKIT_COX_EFRON && opt->ties != SURVKIT_COX_BRESLOW, err,
                    SURVKIT_ERR_ARGUMENT,
                    "%s: penalised Cox fits take ties = efron or breslow (R's coxpenal.fit has no "
                    "exact method)", term);
    const size_t G = survkit_frame_n_frailty(frame), n = survkit_frame_n(frame);
    RETURN_ERROR_IF(frail && G == n, err, SURVKIT_ERR_ARGUMENT,
                    "%s: every group has one row (%zu groups, %zu rows), so the frailty cannot "
                    "be told apart from each row's own risk; a shared frailty needs groups of "
                    "several rows", term, G, n);
    double events = 0;
    const double *status = survkit_frame_status(frame);
    for (size_t i = 0; i < n; i++) events += status[i];
    RETURN_ERROR_IF(events == 0, err, SURVKIT_ERR_DOMAIN,
                    "%s: the data have no events, so there is nothing to fit", term);
    RETURN_ERROR_IF(opt->iter_max < 1, err, SURVKIT_ERR_ARGUMENT,
                    "%s: a penalised fit needs at least 1 Newton iteration (iter_max)", term);
    RETURN_ERROR_IF(opt->outer_max < 1 || !(opt->eps > 0) || !(opt->theta_eps > 0) ||
                        !(opt->toler_chol > 0),
                    err, SURVKIT_ERR_ARGUMENT,
                    "invalid penalised fit options: outer_max >= 1, eps, theta_eps and toler_chol "
                    "> 0");
    return SURVKIT_OK;
}

/* R's frailty(sparse = (nclass > 5)): a dense frailty (one penalised indicator column per group,
 * frailty_dense.c) when sparse is FALSE, or not given and x has 5 values or fewer (counted, as R
 * does, before na.omit; a value left with no row then has no column here, where R's is all
 * zeros: its coefficient is 0 at R's solution and adds nothing to the rest). */
static bool frailty_is_dense(const survkit_frame *frame)
{
    const int sparse = survkit_frame_frailty_sparse(frame);
    return survkit_frame_frailty(frame) != NULL &&
           (sparse == 0 || (sparse < 0 && survkit_frame_frailty_nclass(frame) <= 5));
}

/* R's coxph: robust when asked, or by default with cluster() or a case weight that is not a whole
 * number; with (start, stop] data robust = TRUE needs a cluster. A sparse frailty term has none
 * (R's residuals are not defined for it): asked or cluster() is an error, and fractional weights
 * keep the model-based variance (R's robust = FALSE). A dense frailty's columns are ordinary
 * covariates there: it gets the robust variance as ridge() does. */
static survkit_status robust_wanted(const survkit_frame *frame, const survkit_frailty_options *opt,
                                    bool *robust, bool *naive_by_default, survkit_error *err)
{
    const bool cluster = survkit_frame_cluster(frame) != NULL;
    const double *w = survkit_frame_weights(frame);
    bool fractional = false;
    for (size_t i = 0; w != NULL && i < survkit_frame_n(frame); i++)
        fractional = fractional || w[i] != floor(w[i]);
    const bool frail = survkit_frame_frailty(frame) != NULL && !frailty_is_dense(frame);
    RETURN_ERROR_IF(frail && opt->robust != SURVKIT_COX_ROBUST_OFF &&
                        (opt->robust == SURVKIT_COX_ROBUST_ON || cluster),
                    err, SURVKIT_ERR_ARGUMENT,
                    "%s: the robust variance (robust = TRUE or cluster()) is not defined for a "
                    "model with a frailty() term; it is for ridge() and pspline() terms",
                    survkit_frame_frailty_term(frame));
    *robust = !frail && (opt->robust == SURVKIT_COX_ROBUST_ON ||
                         (opt->robust == SURVKIT_COX_ROBUST_AUTO && (cluster || fractional)));
    /* R's default would be the robust variance, which fails with a sparse frailty: say that the
     * numbers are those of robust = FALSE */
    *naive_by_default = frail && opt->robust == SURVKIT_COX_ROBUST_AUTO && fractional;
    RETURN_ERROR_IF(*robust && !cluster && survkit_frame_start(frame) != NULL &&
                        opt->robust == SURVKIT_COX_ROBUST_ON,
                    err, SURVKIT_ERR_ARGUMENT, "one of cluster or id is needed");
    return SURVKIT_OK;
}

static survkit_status alloc_result(survkit_frailty_result **out, size_t n, size_t p, size_t G,
                                   size_t n_df, size_t outer_max)
{
    survkit_frailty_result *r = calloc(1, sizeof *r);
    if (r == NULL) return SURVKIT_ERR_NOMEM;
    r->n = n, r->p = p, r->G = G, r->n_df = n_df;
    r->names = calloc(p + 1, sizeof *r->names);
    r->groups = calloc(G + 1, sizeof *r->groups);
    double **arrays[] = {&r->coef, &r->se, &r->se2, &r->chisq, &r->pvalue};
    bool ok = r->names && r->groups;
    for (size_t k = 0; k < 5; k++) ok &= (*arrays[k] = calloc(p + 1, sizeof(double))) != NULL;
    ok &= (r->var = calloc(p * p + 1, sizeof(double))) != NULL;
    ok &= (r->var2 = calloc(p * p + 1, sizeof(double))) != NULL;
    ok &= (r->df = calloc(n_df + 1, sizeof(double))) != NULL;
    ok &= (r->frail = calloc(G + 1, sizeof(double))) != NULL;
    ok &= (r->fvar = calloc(G + 1, sizeof(double))) != NULL;
    ok &= (r->lp = calloc(n + 1, sizeof(double))) != NULL;
    ok &= (r->means = calloc(p + 1, sizeof(double))) != NULL;
    ok &= (r->hist_theta = calloc(outer_max + 1, sizeof(double))) != NULL;
    ok &= (r->hist_loglik = calloc(outer_max + 1, sizeof(double))) != NULL;
    ok &= (r->hist_c = calloc(outer_max + 1, sizeof(double))) != NULL;
    ok &= (r->hist_resid = calloc(outer_max + 1, sizeof(double))) != NULL;
    *out = r;
    return ok ? SURVKIT_OK : SURVKIT_ERR_NOMEM;
}

static survkit_status setup(fit_state *s, survkit_error *err)
{
    const survkit_frame *fr = s->frame;
    const size_t n = s->n, p = s->p;
    const double *x = survkit_frame_x(fr), *w = survkit_frame_weights(fr);
    s->weights = sk_malloc_array(n, sizeof(double));
    s->xmean = sk_calloc_array(p + 1, sizeof(double));
    s->events = sk_calloc_array(s->G + s->Gd + 1, sizeof(double));
    s->term_of = sk_calloc_array(p + 1, sizeof(size_t));
    RETURN_ERROR_IF(!s->weights || !s->xmean || !s->events || !s->term_of, err, SURVKIT_ERR_NOMEM,
                    "out of memory (frailty)");
    s->n_terms = survkit_frame_n_terms(fr);
    for (size_t j = 0; j < s->p - s->Gd; j++) s->term_of[j] = survkit_frame_column_term(fr, j);
    s->x = x;
    if (s->Gd > 0) { /* R's dense frailty: its indicator columns among the covariates */
        size_t *full = NULL;
        s->fterm = survkit_frame_frailty_position(fr);
        if (s->fterm > s->n_terms) s->fterm = s->n_terms;
        RETURN_IF_ERROR(sk_frailty_dense_design(x, s->term_of, n, p - s->Gd,
                                                survkit_frame_frailty(fr), s->Gd, s->fterm,
                                                &s->xdense, &full, &s->fcol, err));
        free(s->term_of);
        s->term_of = full;
        s->n_terms++;
        s->x = x = s->xdense;
        s->dctx.G = s->Gd;
        s->dctx.fcol = s->fcol;
        s->dctx.ffirst = sk_calloc_array(s->Gd, sizeof(double));
        s->dctx.fsecond = sk_calloc_array(s->Gd, sizeof(double));
        RETURN_ERROR_IF(!s->dctx.ffirst || !s->dctx.fsecond, err, SURVKIT_ERR_NOMEM,
                        "out of memory (frailty)");
    }
    size_t rterm = 0;
    bool rscale = true;
    RETURN_IF_ERROR(survkit_frame_ridge(fr, &s->ridge, &rterm, &s->rctx.theta, &rscale, err));
    if (s->Gd > 0 && rterm >= s->fterm) rterm++; /* the terms in R's order */
    s->rterm = rterm;
    s->ridge_df = s->ridge ? survkit_frame_ridge_df(fr) : NAN;
    s->rscale = sk_calloc_array(p + 1, sizeof(double));
    RETURN_ERROR_IF(s->rscale == NULL, err, SURVKIT_ERR_NOMEM, "out of memory (ridge)");
    const double *rvar = survkit_frame_ridge_variances(fr);
    size_t c = 0; /* R: var(z[!is.na(z)]) of each column, before na.omit */
    for (size_t j = 0; s->ridge && j < p; j++)
        if (s->term_of[j] == rterm) s->rscale[j] = rscale ? rvar[c++] : 1;
    s->rctx.s = s->rscale;
    s->n_ps = survkit_frame_n_pspline(fr);
    s->ps = sk_calloc_array(s->n_ps + 1, sizeof *s->ps);
    RETURN_ERROR_IF(s->ps == NULL, err, SURVKIT_ERR_NOMEM, "out of memory (pspline)");
    for (size_t k = 0; k < s->n_ps; k++) {
        const survkit_pspline_term *t = survkit_frame_pspline(fr, k);
        const size_t term = s->Gd > 0 && t->term >= s->fterm ? t->term + 1 : t->term;
        size_t first = p, m = 0;
        for (size_t j = 0; j < p; j++)
            if (s->term_of[j] == term) {
                if (first == p) first = j;
                m++;
            }
        RETURN_IF_ERROR(sk_pspline_pen_init(&s->ps[k], t, first, m, (size_t)s->opt->outer_max, err));
    }
    s->dctx.ridge = s->ridge ? &s->rctx : NULL;
    s->dctx.ps = s->ps;
    s->dctx.n_ps = s->n_ps;
    for (size_t i = 0; i < n; i++) s->weights[i] = w ? w[i] : 1.0;
    const double *status = survkit_frame_status(fr);
    const int32_t *grp = survkit_frame_frailty(fr);
    for (size_t i = 0; grp != NULL && i < n; i++) s->events[grp[i]] += status[i];
    /* R's coxfit5 centres each column on its plain mean, except the columns coxph marks as
     * within {-1, 0, 1}. coxph marks them by their index in the model matrix that still holds the
     * frailty's column (group codes: never within {-1, 0, 1}), but coxpenal.fit applies the marks
     * to x without that column: a column after the frailty takes the mark of the column before
     * it (R's fit$means; `~ frailty(g) + sex` centres sex, `~ sex + frailty(g)` does not). */
    size_t at = p; /* the frailty column's index in R's model matrix (none when dense) */
    if (grp != NULL && s->Gd == 0) {
        const size_t pos = survkit_frame_frailty_position(fr);
        at = 0;
        for (size_t j = 0; j < p; j++) at += s->term_of[j] < pos;
    }
    bool prev_zero_one = false;
    for (size_t j = 0; j < p; j++) {
        const double *col = x + j * n;
        bool zero_one = true;
        double sum = 0;
        for (size_t i = 0; i < n; i++) {
            zero_one &= col[i] == 0 || col[i] == 1 || col[i] == -1;
            sum += col[i];
        }
        const bool mark = j < at ? zero_one : j == at ? false : prev_zero_one;
        s->xmean[j] = mark ? 0 : sum / (double)n;
        prev_zero_one = zero_one;
    }
    RETURN_IF_ERROR(sk_cox_layout_build(n, survkit_frame_start(fr), survkit_frame_time(fr), status,
                                        s->weights, survkit_frame_strata(fr),
                                        survkit_frame_n_strata(fr),
                                        false, &s->lay, err));
    s->has_layout = true;
    sk_cox_problem pb = {&s->lay,   n,      p,      x,
                         s->xmean,  s->weights, w == NULL, survkit_frame_offset(fr),
                         status,    s->opt->ties == SURVKIT_COX_EFRON, NULL};
    RETURN_IF_ERROR(sk_frail_kernel_init(&s->kernel, &pb, s->G > 0 ? grp : NULL, s->G, err));
    s->has_kernel = true;
    return SURVKIT_OK;
}

static void add_warning(survkit_frailty_result *r, const char *text)
{
    if (r->n_warnings < MAX_WARNINGS) {
        char *copy = sk_strdup(text);
        if (copy) r->warnings[r->n_warnings++] = copy;
    }
}

/* The next theta of frailty.controlgam after `k` fits (history of k rows). */
static double next_theta(const double *theta, const double *c, size_t k, double eps, bool *done)
{
    *done = false;
    if (k == 1) return 1;
    if (k == 2) return c[1] < c[0] + 1 ? (theta[0] + theta[1]) / 2 : 2 * theta[1];
    *done = fabs(1 - c[k - 1] / c[k - 2]) < eps;
    double xmax = -INFINITY, ymax = -INFINITY;
    for (size_t i = 0; i < k; i++) {
        if (theta[i] > xmax) xmax = theta[i];
        if (c[i] > ymax) ymax = c[i];
    }
    if (c[k - 1] == ymax && theta[k - 1] == xmax) return 2 * xmax;
    double sx[64];
    for (size_t i = 0; i < k && i < 64; i++) sx[i] = sqrt(theta[i]);
    const double b = sk_frailty_brent(sx, c, k);
    return b * b;
}

static survkit_status outer_loop(fit_state *s, survkit_frailty_result *r, sk_penal_newton_out *nw,
                                 survkit_error *err)
{
    const survkit_frailty_options *opt = s->opt;
    /* thetas per fit: the frailty's, the ridge's, then one per pspline term */
    const size_t p = s->p, G = s->G, nth = 2 + s->n_ps;
    const bool has_frail = G > 0 || s->Gd > 0; /* sparse or dense */
    const int outer_max = opt->outer_max;
    const double fixed = survkit_frame_frailty_theta(s->frame);
    double *save = sk_calloc_array((size_t)(outer_max + 1) * (p + G) + 1, sizeof(double));
    double *thetasave = sk_calloc_array(((size_t)outer_max + 2) * nth, sizeof(double));
    double *init = sk_calloc_array(p + G + 1, sizeof(double));
    double *dvar = sk_calloc_array(2 * p * p + G + s->n_terms + 2, sizeof(double));
    /* the histories of the ridge's df search and of the frailty's aic and df searches */
    double *rth = sk_calloc_array((size_t)outer_max + 2, sizeof(double));
    double *rdf = sk_calloc_array((size_t)outer_max + 2, sizeof(double));
    double *aic = sk_calloc_array((size_t)outer_max + 2, sizeof(double));
    double *df_theta = sk_calloc_array((size_t)outer_max + 2, sizeof(double));
    double *df_hist = sk_calloc_array((size_t)outer_max + 2, sizeof(double));
    if (!save || !thetasave || !init || !dvar || !rth || !rdf || !aic || !df_theta || !df_hist) {
        free(save), free(thetasave), free(init), free(dvar);
        free(rth), free(rdf), free(aic), free(df_theta), free(df_hist);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (frailty)");
    }
    const bool gauss = survkit_frame_frailty_distribution(s->frame) == SURVKIT_FRAILTY_GAUSSIAN;
    double target_df = NAN;
    const survkit_frailty_method method = survkit_frame_frailty_method(s->frame, &target_df);
    /* R's first theta: 0 for the gamma (frailty.controlgam), 1 for the gaussian (controlgauss),
     * 0.1 for method = "aic", 3 df / (the rows before na.omit) for df = */
    const double rows = (double)(survkit_frame_n(s->frame) + survkit_frame_n_dropped(s->frame));
    gamma_ctx gctx = {!isnan(fixed)                              ? fixed
                      : method == SURVKIT_FRAILTY_METHOD_AIC     ? 0.1
                      : method == SURVKIT_FRAILTY_METHOD_DF      ? 3 * target_df / rows
                      : gauss                                    ? 1.0
                                                                 : 0.0};
    /* the gamma's own eps (frailty(eps = 1e-5); 0.1 for df =), else R's eps2 = sqrt(control eps),
     * which the gaussian's rules read through R's partial matching of parms$eps */
    const double rule_eps = gauss ? sqrt(opt->eps)
                            : method == SURVKIT_FRAILTY_METHOD_DF ? 0.1 : opt->theta_eps;
    /* the frailty's REML, AIC and df rules read its df after every fit (R's need.df) */
    const bool frail_df = has_frail && isnan(fixed) &&
                          ((gauss && method == SURVKIT_FRAILTY_METHOD_DEFAULT) ||
                           method == SURVKIT_FRAILTY_METHOD_AIC || method == SURVKIT_FRAILTY_METHOD_DF);
    /* ridge(df = D): R's frailty.controldf on the ridge term's df from the guess theta = 1 and the
     * point (0, the number of its columns), eps = 0.1 (ridge()'s eps) */
    const bool ridge_df = s->ridge && !isnan(s->ridge_df);
    int rhalf = -1, half = -1;
    if (ridge_df) {
        s->rctx.theta = 1;
        for (size_t j = 0; j < p; j++) rdf[0] += s->term_of[j] == s->rterm;
    }
    bool need_df = frail_df || ridge_df; /* pspline's df search needs it too */
    for (size_t k = 0; k < s->n_ps; k++) need_df |= !s->ps[k].fixed;
    const bool dense = s->ridge || s->n_ps > 0 || s->Gd > 0;
    if (s->Gd > 0) {
        s->dctx.frail = gauss ? gauss_penalty : gamma_penalty;
        s->dctx.frail_ctx = &gctx;
    }
    sk_penal_newton_in in = {p,        G,     &s->kernel,
                             G > 0 ? (gauss ? gauss_penalty : gamma_penalty) : NULL,
                             &gctx,
                             dense ? dense_penalty : NULL,
                             &s->dctx, opt->iter_max, opt->eps, opt->toler_chol, opt->progress,
                             opt->progress_user};
    if (s->Gd > 0) { /* R's coxfit5_a adds the dense penalty at beta = 0 to loglik[1]: the
                      * gaussian's -sum(log(2 pi theta)) / 2 (init holds zeros here) */
        double lp0 = 0;
        bool flag = false;
        s->dctx.frail(&gctx, init, s->Gd, s->dctx.ffirst, s->dctx.fsecond, &lp0, &flag);
        if (!flag) r->loglik0 += lp0;
    }
    thetasave[0] = gctx.theta;
    thetasave[1] = s->rctx.theta;
    for (size_t k = 0; k < s->n_ps; k++) thetasave[2 + k] = s->ps[k].theta;
    char failed[256] = "";
    size_t failed_len = 0;
    survkit_status st = SURVKIT_OK;
    int outer;
    for (outer = 1; outer <= outer_max; outer++) {
        memcpy(nw->beta, init + G, p * sizeof(double));
        memcpy(nw->f, init, G * sizeof(double));
        st = sk_penal_newton(&in, nw, err);
        if (st != SURVKIT_OK) break;
        r->iterations += nw->iterations;
        if (nw->iterations >= opt->iter_max && failed_len + 16 < sizeof failed)
            failed_len += (size_t)snprintf(failed + failed_len, sizeof failed - failed_len, " %d",
                                           outer);
        const double theta = gctx.theta;
        const double correct = !has_frail || gauss || theta == 0
                                   ? 0
                                   : sk_frailty_gammacon(s->events, G + s->Gd, 1 / theta);
        r->loglik = nw->loglik + nw->penalty;
        r->penalty = nw->penalty;
        if (outer == 1) r->penalty0 = nw->penalty;
        r->theta = theta;
        r->c_loglik = gauss ? NAN : nw->loglik + correct;
        const size_t k = (size_t)outer - 1;
        r->hist_theta[k] = theta;
        r->hist_loglik[k] = nw->loglik;
        r->hist_c[k] = r->c_loglik;
        r->hist_resid[k] = NAN;
        r->n_history = (size_t)outer;
        double df_sparse = 0;
        if (need_df) {
            st = sk_penal_df(&nw->fac, s->term_of, s->n_terms, dvar, dvar + p * p,
                             dvar + 2 * p * p, &df_sparse, dvar + 2 * p * p + G, err);
            if (st != SURVKIT_OK) break;
            if (s->Gd > 0) df_sparse = dvar[2 * p * p + s->fterm]; /* the dense term's df */
        }
        bool done = true;
        double newtheta = theta, newridge = s->rctx.theta;
        if (ridge_df) {
            rth[k + 1] = s->rctx.theta;
            rdf[k + 1] = dvar[2 * p * p + G + s->rterm];
            newridge = sk_frailty_df_next(rth, rdf, (size_t)outer + 1, outer, s->ridge_df, 0.1,
                                          &rhalf, &done);
        }
        if (!has_frail) {
            /* no frailty: ridge() and pspline() alone (R's cfun for ridge(theta = T): done) */
            r->theta = r->c_loglik = r->hist_c[k] = NAN;
            r->hist_theta[k] = s->ridge ? s->rctx.theta : NAN;
        } else if (frail_df) {
            bool frail_done = true;
            if (method == SURVKIT_FRAILTY_METHOD_AIC) {
                /* frailty.controlaic's criterion: plik - df (the uncorrected AIC) */
                aic[k] = nw->loglik + nw->penalty - df_sparse;
                newtheta = sk_frailty_aic_next(r->hist_theta, aic, (size_t)outer, rule_eps,
                                               &frail_done);
            } else if (method == SURVKIT_FRAILTY_METHOD_DF) {
                df_theta[k + 1] = theta; /* after R's starting point (0, 0) */
                df_hist[k + 1] = df_sparse;
                newtheta = sk_frailty_df_next(df_theta, df_hist, (size_t)outer + 1, outer,
                                              target_df, rule_eps, &half, &frail_done);
            } else { /* the gaussian's REML: trace of H^-1's frailty block */
                double trh = 0, fsum = 0;
                for (size_t g = 0; g < G; g++) {
                    trh += dvar[2 * p * p + g];
                    fsum += nw->f[g] * nw->f[g];
                }
                for (size_t g = 0; g < s->Gd; g++) { /* dense: R's trH is var's block trace */
                    const size_t j = s->fcol + g;
                    trh += dvar[j + j * p];
                    fsum += nw->beta[j] * nw->beta[j];
                }
                r->hist_resid[k] = fsum / ((double)(G + s->Gd) - trh / theta) - theta;
                newtheta = sk_frailty_gauss_next(r->hist_theta, r->hist_resid, (size_t)outer,
                                                 sqrt(opt->eps), &frail_done);
            }
            done &= frail_done;
        } else if (isnan(fixed)) {
            bool frail_done = true;
            newtheta = next_theta(r->hist_theta, r->hist_c, (size_t)outer, opt->theta_eps,
                                  &frail_done);
            done &= frail_done;
        }
        for (size_t q = 0; q < s->n_ps; q++) {
            bool ps_done = true;
            const double df_term = need_df ? dvar[2 * p * p + G + s->term_of[s->ps[q].first]]
                                           : NAN;
            (void)sk_pspline_next_theta(&s->ps[q], outer, df_term, &ps_done);
            done &= ps_done;
        }
        if (done) break;
        if ((isnan(newtheta) || !(newtheta >= 0) || isnan(newridge)) && failed_len > 0) {
            /* e.g. pspline(age) + frailty(ph.ecog, distribution = "gaussian") on lung, where
             * R's coefficients run off to -6000 with the same iterates and it prints nonsense */
            st = sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, 0, 0,
                              "frailty: the search for theta failed after %d outer fits: the "
                              "inner Newton loops of fits%s did not converge (R's fit diverges "
                              "there as well)", outer, failed);
            break;
        }
        if (isnan(newtheta) || !(newtheta >= 0) || isnan(newridge)) {
            st = sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, 0, 0,
                              "frailty: the search for theta failed (tied integrated "
                              "likelihoods, R's \"Ties for max(y), I surrender\")");
            break;
        }
        for (size_t q = 0; q < s->n_ps; q++)
            if (!(s->ps[q].next > 0 && s->ps[q].next < 1)) {
                st = sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, 0, 0,
                                  "pspline: the search for theta left (0, 1) (theta %g); the "
                                  "df asked for may be out of reach", s->ps[q].next);
                break;
            }
        if (st != SURVKIT_OK) break;
        /* start the next fit from the earlier fit whose thetas are closest (R: over every term's
         * theta) */
        double *slot = save + k * (p + G);
        memcpy(slot, nw->f, G * sizeof(double));
        memcpy(slot + G, nw->beta, p * sizeof(double));
        double *next = thetasave + (k + 1) * nth;
        next[0] = newtheta;
        next[1] = newridge;
        for (size_t q = 0; q < s->n_ps; q++) next[2 + q] = s->ps[q].next;
        size_t which = k;
        if (outer > 1) {
            double best = INFINITY;
            for (size_t i = 0; i <= k; i++) {
                double dist = 0;
                for (size_t c = 0; c < nth; c++)
                    dist += (thetasave[i * nth + c] - next[c]) * (thetasave[i * nth + c] - next[c]);
                if (dist < best) best = dist, which = i;
            }
        }
        memcpy(init, save + which * (p + G), (p + G) * sizeof(double));
        gctx.theta = newtheta;
        s->rctx.theta = newridge;
        for (size_t q = 0; q < s->n_ps; q++) s->ps[q].theta = s->ps[q].next;
    }
    r->outer = outer > outer_max ? outer_max : outer;
    if (opt->iter_max > 1 && failed_len > 0) {
        char msg[300];
        snprintf(msg, sizeof msg, "Inner loop failed to coverge for iterations%s", failed);
        add_warning(r, msg);
    }
    free(save), free(thetasave), free(init), free(dvar);
    free(rth), free(rdf), free(aic), free(df_theta), free(df_hist);
    return st;
}

/* The pspline() terms of the result: printfun's rows from the final var, var2 and df. */
static survkit_status finish_psplines(const fit_state *s, survkit_frailty_result *r,
                                      survkit_error *err)
{
    if (s->n_ps == 0) return SURVKIT_OK;
    r->ps = sk_calloc_array(s->n_ps, sizeof *r->ps);
    RETURN_ERROR_IF(r->ps == NULL, err, SURVKIT_ERR_NOMEM, "out of memory (pspline)");
    r->n_ps = s->n_ps;
    for (size_t k = 0; k < s->n_ps; k++) {
        const sk_pspline_pen *ps = &s->ps[k];
        ps_out *o = &r->ps[k];
        o->term = s->term_of[ps->first];
        o->first = ps->first;
        o->m = ps->m;
        o->fixed = ps->fixed;
        o->theta = ps->next;
        /* the frame numbers its terms without a dense frailty's */
        const size_t frame_term = s->Gd > 0 && o->term > s->fterm ? o->term - 1 : o->term;
        o->label = sk_strdup(survkit_frame_term_label(s->frame, frame_term));
        o->hist = sk_calloc_array(2 * ps->n_hist + 1, sizeof(double));
        RETURN_ERROR_IF(o->label == NULL || o->hist == NULL, err, SURVKIT_ERR_NOMEM,
                        "out of memory (pspline)");
        o->n_hist = ps->n_hist;
        memcpy(o->hist, ps->hist_theta, ps->n_hist * sizeof(double));
        memcpy(o->hist + ps->n_hist, ps->hist_df, ps->n_hist * sizeof(double));
        o->df = ps->df;
        RETURN_IF_ERROR(sk_pspline_tests(ps, r->coef, r->var, r->var2, s->p, ps->df, o->rows,
                                         o->rows + 6, err));
    }
    return SURVKIT_OK;
}

/* A dense frailty's result in the sparse form's shape: R's coef[gamma:k] become the frailties,
 * the diagonal of var's block their variances, the printed chisq printfun's
 * coxph.wtest(var block, coef block)$test (a generalised-inverse Wald test, cholesky2 with
 * toler 1e-9); the covariates keep their coefficients and blocks of var and var2, and R's full
 * matrices stay alongside. */
static survkit_status fold_dense(const fit_state *s, survkit_frailty_result *r,
                                 survkit_error *err)
{
    const size_t pf = s->p, G = s->Gd, fcol = s->fcol;
    r->full_var = sk_malloc_array(pf * pf + 1, sizeof(double));
    r->full_var2 = sk_malloc_array(pf * pf + 1, sizeof(double));
    double *block = sk_malloc_array(2 * G * G + G + 1, sizeof(double));
    if (r->full_var == NULL || r->full_var2 == NULL || block == NULL) {
        free(block);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (frailty)");
    }
    memcpy(r->full_var, r->var, pf * pf * sizeof(double));
    memcpy(r->full_var2, r->var2, pf * pf * sizeof(double));
    if (r->naive_var != NULL) { /* robust: the naive variance of every column, for dfbeta */
        r->full_naive_var = sk_malloc_array(pf * pf + 1, sizeof(double));
        if (r->full_naive_var == NULL) {
            free(block);
            return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (frailty)");
        }
        memcpy(r->full_naive_var, r->naive_var, pf * pf * sizeof(double));
    }
    sk_frailty_dense_vector(r->coef, pf, fcol, G, r->frail);
    double *vectors[] = {r->se, r->se2, r->chisq, r->pvalue, r->means, r->pen_second};
    for (size_t k = 0; k < sizeof vectors / sizeof vectors[0]; k++)
        if (vectors[k] != NULL) sk_frailty_dense_vector(vectors[k], pf, fcol, G, NULL);
    sk_frailty_dense_matrix(r->var2, pf, fcol, G, NULL);
    if (r->naive_var != NULL) sk_frailty_dense_matrix(r->naive_var, pf, fcol, G, NULL);
    sk_frailty_dense_matrix(r->var, pf, fcol, G, block);
    for (size_t g = 0; g < G; g++) r->fvar[g] = block[g + g * G];
    size_t rank = 0;
    r->frail_chisq = sk_cox_wald(block, r->frail, G, 1e-9, block + G * G, &rank);
    r->frail_df = r->df[s->fterm];
    r->frail_p = sk_cox_chisq_upper(r->frail_chisq, r->frail_df > 0.5 ? r->frail_df : 0.5);
    free(block);
    for (size_t k = 0; k < r->n_ps; k++)
        if (r->ps[k].first >= fcol) r->ps[k].first -= G;
    r->p = pf - G;
    r->dense = true;
    return SURVKIT_OK;
}

static survkit_status finish(fit_state *s, survkit_frailty_result *r, sk_penal_newton_out *nw,
                             survkit_error *err)
{
    const survkit_frame *fr = s->frame;
    const size_t n = s->n, p = s->p, G = s->G, nt = G > 0 ? r->n_df - 1 : r->n_df;
    double df_sparse = 0;
    RETURN_IF_ERROR(sk_penal_df(&nw->fac, s->term_of, nt, r->var, r->var2, r->fvar, &df_sparse,
                                r->df, err));
    for (size_t k = 0; k < s->n_ps; k++) /* each pspline's df, before fit$df is laid out */
        s->ps[k].df = r->df[s->term_of[s->ps[k].first]];
    /* R's fit$df follows the terms' order: the frailty's df at its place */
    r->frail_pos = G > 0 ? survkit_frame_frailty_position(fr) : SIZE_MAX;
    if (G > 0) {
        if (r->frail_pos > nt) r->frail_pos = nt;
        memmove(r->df + r->frail_pos + 1, r->df + r->frail_pos,
                (nt - r->frail_pos) * sizeof(double));
        r->df[r->frail_pos] = df_sparse;
        for (size_t j = 0; j < p; j++) r->frail_row += s->term_of[j] < r->frail_pos;
    }
    if (s->Gd > 0) { /* dense: sk_penal_df gave the frailty's df at its place */
        r->frail_pos = s->fterm;
        r->frail_row = s->fcol;
    }
    memcpy(r->means, s->xmean, p * sizeof(double));
    if (s->ridge) {
        RETURN_ERROR_IF((r->pen_second = calloc(p + 1, sizeof(double))) == NULL, err,
                        SURVKIT_ERR_NOMEM, "out of memory (ridge)");
        for (size_t j = 0; j < p; j++) r->pen_second[j] = s->rctx.theta * s->rscale[j];
    }
    /* R: lp = offset + frail[group] + X b - sum(means * b) */
    const double *x = s->x, *off = survkit_frame_offset(fr);
    const int32_t *grp = G > 0 ? survkit_frame_frailty(fr) : NULL; /* dense: among x */
    double centre = 0;
    for (size_t j = 0; j < p; j++) centre += s->xmean[j] * nw->beta[j];
    for (size_t i = 0; i < n; i++)
        r->lp[i] = (off ? off[i] : 0) + (grp ? nw->f[grp[i]] : 0) - centre;
    for (size_t j = 0; j < p; j++)
        for (size_t i = 0; i < n; i++) r->lp[i] += x[i + j * n] * nw->beta[j];
    r->rscore = NAN;
    if (r->robust) { /* R's coxph: naive.var <- var; var <- crossprod(dfbeta collapsed) */
        RETURN_ERROR_IF((r->naive_var = sk_malloc_array(p * p + 1, sizeof(double))) == NULL, err,
                        SURVKIT_ERR_NOMEM, "out of memory (robust variance)");
        memcpy(r->naive_var, r->var, p * p * sizeof(double));
        RETURN_IF_ERROR(sk_penal_robust(&s->kernel, r->lp, survkit_frame_cluster(fr),
                                        survkit_frame_n_clusters(fr), r->naive_var,
                                        s->opt->toler_chol, r->var, &r->rscore, err));
    }
    for (size_t j = 0; j < p; j++) {
        const bool aliased = nw->fac.a[j + j * p] == 0 || nw->fac.zflag[j];
        r->coef[j] = aliased ? NAN : nw->beta[j];
        r->se[j] = sqrt(r->var[j + j * p]);
        r->se2[j] = sqrt(r->var2[j + j * p]);
        r->chisq[j] = r->coef[j] * r->coef[j] / r->var[j + j * p];
        r->pvalue[j] = sk_cox_chisq_upper(r->chisq[j], 1);
    }
    double test = 0;
    for (size_t g = 0; g < G; g++) {
        r->frail[g] = nw->f[g];
        test += nw->f[g] * nw->f[g] / r->fvar[g];
    }
    r->frail_chisq = test;
    r->frail_df = df_sparse;
    r->frail_p = sk_cox_chisq_upper(test, r->frail_df > 0.5 ? r->frail_df : 0.5);
    RETURN_IF_ERROR(finish_psplines(s, r, err));
    if (s->Gd > 0) RETURN_IF_ERROR(fold_dense(s, r, err));
    for (size_t j = 0; j < r->p; j++)
        RETURN_ERROR_IF((r->names[j] = sk_strdup(survkit_frame_column_name(fr, j))) == NULL, err,
                        SURVKIT_ERR_NOMEM, "out of memory (frailty)");
    for (size_t g = 0; g < r->G; g++)
        RETURN_ERROR_IF((r->groups[g] = sk_strdup(survkit_frame_frailty_label(fr, g))) == NULL,
                        err, SURVKIT_ERR_NOMEM, "out of memory (frailty)");
    if (r->G > 0)
        RETURN_ERROR_IF((r->term = sk_strdup(survkit_frame_frailty_term(fr))) == NULL, err,
                        SURVKIT_ERR_NOMEM, "out of memory (frailty)");
    return SURVKIT_OK;
}

survkit_status survkit_frailty_fit_frame(const survkit_frame *frame,
                                         const survkit_frailty_options *opt_in,
                                         survkit_frailty_result **out, survkit_error *err)
{
    RETURN_ERROR_IF(frame == NULL || out == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "frame and out are required");
    *out = NULL;
    survkit_frailty_options defaults;
    survkit_frailty_options_init(&defaults);
    const survkit_frailty_options *opt = opt_in ? opt_in : &defaults;
    RETURN_IF_ERROR(check_frame(frame, opt, err));
    bool robust = false;
    bool naive_by_default = false;
    RETURN_IF_ERROR(robust_wanted(frame, opt, &robust, &naive_by_default, err));
    /* a dense frailty fits as G more covariates (frailty_dense.c), no sparse block */
    const size_t n_frail = survkit_frame_n_frailty(frame);
    const size_t Gd = frailty_is_dense(frame) ? n_frail : 0;
    fit_state s = {.frame = frame, .opt = opt, .n = survkit_frame_n(frame),
                   .p = survkit_frame_p(frame) + Gd, .G = n_frail - Gd, .Gd = Gd};
    survkit_frailty_result *r = NULL;
    sk_penal_newton_out nw = {0};
    survkit_status st = alloc_result(&r, s.n, s.p, n_frail,
                                     survkit_frame_n_terms(frame) + (n_frail > 0 ? 1 : 0),
                                     (size_t)opt->outer_max);
    if (st == SURVKIT_OK) st = sk_penal_factor_alloc(&nw.fac, s.p, s.G);
    if (st == SURVKIT_OK) {
        nw.beta = sk_calloc_array(s.p + 1, sizeof(double));
        nw.f = sk_calloc_array(s.G + 1, sizeof(double));
        if (nw.beta == NULL || nw.f == NULL) st = SURVKIT_ERR_NOMEM;
    }
    if (st != SURVKIT_OK) {
        sk_error_set(err, st, NULL, 0, 0, "out of memory (frailty)");
        goto done;
    }
    r->ties = opt->ties;
    r->robust = robust;
    if (opt->robust == SURVKIT_COX_ROBUST_OFF && survkit_frame_cluster(frame) != NULL)
        add_warning(r, "cluster specified with robust=FALSE, cluster ignored");
    if (naive_by_default)
        add_warning(r, "case weights that are not whole numbers ask for R's robust variance, "
                       "which is not defined with a frailty() term (R's coxph fails): the "
                       "variance is the model-based one of robust = FALSE (--no-robust)");
    r->dist = survkit_frame_frailty_distribution(frame);
    const double *status = survkit_frame_status(frame);
    for (size_t i = 0; i < s.n; i++) r->n_events += status[i];
    st = setup(&s, err);
    if (st != SURVKIT_OK) goto done;
    { /* R's loglik[1]: beta = 0, frailties 0, no penalty (coxfit5_a, agfit5a) */
        bool nomem = false;
        double *u = sk_calloc_array(s.p + s.G + 1, sizeof(double));
        if (u == NULL) st = SURVKIT_ERR_NOMEM;
        else r->loglik0 = sk_frail_kernel_eval(&s.kernel, nw.beta, nw.f, u, nw.fac.d, nw.fac.lb,
                                               nw.fac.a, &nomem);
        free(u);
        if (st != SURVKIT_OK || nomem) {
            st = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (frailty)");
            goto done;
        }
    }
    /* R's agfit5b, which fits (start, stop] data, sums the tied deaths' risk for Efron's
     * denominators as efron_wt += risk * weights[p] with risk = exp(eta) * weights[p]: the case
     * weight twice (den = S0 - f sum v_i^2 exp(eta_i)), while its numerators, and agfit5a's first
     * loglik above, count it once. survkit takes R's rule for that case only (efron.c), to give
     * R's numbers; R's coxfit5 (right-censored data) sums the risk once, as every other fit. */
    sk_cox_work_set_agfit5(s.kernel.work, survkit_frame_weights(frame) != NULL);
    st = outer_loop(&s, r, &nw, err);
    if (st == SURVKIT_OK) st = finish(&s, r, &nw, err);
done:
    state_free(&s);
    sk_penal_factor_free(&nw.fac);
    free(nw.beta), free(nw.f);
    if (st != SURVKIT_OK) {
        survkit_frailty_result_free(r);
        return st;
    }
    *out = r;
    return SURVKIT_OK;
}

size_t survkit_frailty_result_n(const survkit_frailty_result *r) { return r->n; }
double survkit_frailty_result_n_events(const survkit_frailty_result *r) { return r->n_events; }
survkit_cox_ties survkit_frailty_result_ties(const survkit_frailty_result *r) { return r->ties; }
size_t survkit_frailty_result_p(const survkit_frailty_result *r) { return r->p; }
bool survkit_frailty_result_is_robust(const survkit_frailty_result *r) { return r->robust; }
const double *survkit_frailty_result_naive_vcov(const survkit_frailty_result *r)
{
    return r->naive_var;
}
double survkit_frailty_result_robust_score(const survkit_frailty_result *r) { return r->rscore; }
const char *survkit_frailty_result_name(const survkit_frailty_result *r, size_t j)
{
    return j < r->p ? r->names[j] : NULL;
}
const double *survkit_frailty_result_coef(const survkit_frailty_result *r) { return r->coef; }
const double *survkit_frailty_result_se(const survkit_frailty_result *r) { return r->se; }
const double *survkit_frailty_result_se2(const survkit_frailty_result *r) { return r->se2; }
const double *survkit_frailty_result_chisq(const survkit_frailty_result *r) { return r->chisq; }
const double *survkit_frailty_result_pvalue(const survkit_frailty_result *r) { return r->pvalue; }
const double *survkit_frailty_result_vcov(const survkit_frailty_result *r) { return r->var; }
const double *survkit_frailty_result_vcov2(const survkit_frailty_result *r) { return r->var2; }
size_t survkit_frailty_result_n_df(const survkit_frailty_result *r) { return r->n_df; }
const double *survkit_frailty_result_df(const survkit_frailty_result *r) { return r->df; }
const char *survkit_frailty_result_term(const survkit_frailty_result *r) { return r->term; }
survkit_frailty_distribution survkit_frailty_result_distribution(const survkit_frailty_result *r)
{
    return r->dist;
}
size_t survkit_frailty_result_n_groups(const survkit_frailty_result *r) { return r->G; }
bool survkit_frailty_result_is_dense(const survkit_frailty_result *r) { return r->dense; }
const double *survkit_frailty_result_dense_vcov(const survkit_frailty_result *r)
{
    return r->full_var;
}
const double *survkit_frailty_result_dense_vcov2(const survkit_frailty_result *r)
{
    return r->full_var2;
}
const double *survkit_frailty_result_dense_naive_vcov(const survkit_frailty_result *r)
{
    return r->full_naive_var;
}
const char *survkit_frailty_result_group(const survkit_frailty_result *r, size_t g)
{
    return g < r->G ? r->groups[g] : NULL;
}
const double *survkit_frailty_result_frail(const survkit_frailty_result *r) { return r->frail; }
const double *survkit_frailty_result_fvar(const survkit_frailty_result *r) { return r->fvar; }
void survkit_frailty_result_frailty_test(const survkit_frailty_result *r, double *chisq,
                                         double *df, double *p)
{
    *chisq = r->frail_chisq;
    *df = r->frail_df;
    *p = r->frail_p;
}
double survkit_frailty_result_theta(const survkit_frailty_result *r) { return r->theta; }
double survkit_frailty_result_c_loglik(const survkit_frailty_result *r) { return r->c_loglik; }
double survkit_frailty_result_loglik_null(const survkit_frailty_result *r) { return r->loglik0; }
double survkit_frailty_result_loglik(const survkit_frailty_result *r) { return r->loglik; }
double survkit_frailty_result_penalty(const survkit_frailty_result *r) { return r->penalty; }
double survkit_frailty_result_penalty_first(const survkit_frailty_result *r)
{
    return r->penalty0;
}
int survkit_frailty_result_outer_iterations(const survkit_frailty_result *r) { return r->outer; }
int survkit_frailty_result_iterations(const survkit_frailty_result *r) { return r->iterations; }
void survkit_frailty_result_lr_test(const survkit_frailty_result *r, double *stat, double *df,
                                    double *p)
{
    double sum = 0;
    for (size_t k = 0; k < r->n_df; k++) sum += r->df[k];
    *stat = -2 * (r->loglik0 - r->loglik);
    *df = round(sum * 100) / 100; /* R's round(sum(x$df), 2) */
    *p = sk_cox_chisq_upper(*stat, *df);
}
size_t survkit_frailty_result_n_history(const survkit_frailty_result *r) { return r->n_history; }
void survkit_frailty_result_history(const survkit_frailty_result *r, size_t k, double *theta,
                                    double *loglik, double *c_loglik)
{
    *theta = k < r->n_history ? r->hist_theta[k] : NAN;
    *loglik = k < r->n_history ? r->hist_loglik[k] : NAN;
    *c_loglik = k < r->n_history ? r->hist_c[k] : NAN;
}
double survkit_frailty_result_history_resid(const survkit_frailty_result *r, size_t k)
{
    return k < r->n_history ? r->hist_resid[k] : NAN;
}
const double *survkit_frailty_result_linear_predictor(const survkit_frailty_result *r)
{
    return r->lp;
}
const double *survkit_frailty_result_means(const survkit_frailty_result *r) { return r->means; }
const double *survkit_frailty_result_penalty_second(const survkit_frailty_result *r)
{
    return r->pen_second;
}
size_t survkit_frailty_result_frailty_position(const survkit_frailty_result *r)
{
    return r->frail_pos;
}
size_t survkit_frailty_result_frailty_row(const survkit_frailty_result *r) { return r->frail_row; }
size_t survkit_frailty_result_n_warnings(const survkit_frailty_result *r) { return r->n_warnings; }
const char *survkit_frailty_result_warning(const survkit_frailty_result *r, size_t k)
{
    return k < r->n_warnings ? r->warnings[k] : NULL;
}

size_t survkit_frailty_result_n_pspline(const survkit_frailty_result *r) { return r->n_ps; }
const char *survkit_frailty_result_pspline_term(const survkit_frailty_result *r, size_t k)
{
    return k < r->n_ps ? r->ps[k].label : NULL;
}
double survkit_frailty_result_pspline_df(const survkit_frailty_result *r, size_t k)
{
    return k < r->n_ps ? r->ps[k].df : NAN;
}
void survkit_frailty_result_pspline_columns(const survkit_frailty_result *r, size_t k,
                                            size_t *first, size_t *count)
{
    *first = k < r->n_ps ? r->ps[k].first : 0;
    *count = k < r->n_ps ? r->ps[k].m : 0;
}
double survkit_frailty_result_pspline_theta(const survkit_frailty_result *r, size_t k)
{
    return k < r->n_ps ? r->ps[k].theta : NAN;
}
const double *survkit_frailty_result_pspline_rows(const survkit_frailty_result *r, size_t k)
{
    return k < r->n_ps ? r->ps[k].rows : NULL;
}
size_t survkit_frailty_result_pspline_n_history(const survkit_frailty_result *r, size_t k)
{
    return k < r->n_ps ? r->ps[k].n_hist : 0;
}
void survkit_frailty_result_pspline_history(const survkit_frailty_result *r, size_t k, size_t i,
                                            double *theta, double *df)
{
    const bool ok = k < r->n_ps && i < r->ps[k].n_hist;
    *theta = ok ? r->ps[k].hist[i] : NAN;
    *df = ok ? r->ps[k].hist[r->ps[k].n_hist + i] : NAN;
}
