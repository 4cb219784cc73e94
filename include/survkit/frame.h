/*
 * survkit/frame.h: an R model formula evaluated against a table.
 *
 * `Surv(time, status) ~ age + sex + strata(site) + cluster(family) + offset(lx)` gives the response
 * (time or start/stop, and status coded 0/1), the design matrix X exactly as R's model.matrix would
 * build it without its intercept column (treatment contrasts, R's column order and names), case
 * weights, the summed offset, strata and cluster codes, and R's na.omit (rows with a missing value in
 * any variable the formula uses, or in the weights, are dropped and counted).
 *
 * For Kaplan-Meier and log-rank the right-hand side variables also define groups
 * (survkit_frame_n_groups), labelled as R's survfit labels them: "sex=1", "sex=1, ph.ecog=0", and
 * "all" for `~ 1`.
 * Include <survkit/survkit.h>, not this file.
 */
#ifndef SURVKIT_FRAME_H
#define SURVKIT_FRAME_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct survkit_frame_s survkit_frame;

typedef enum survkit_response_kind {
    SURVKIT_RESPONSE_RIGHT = 0,    /* Surv(time, status) */
    SURVKIT_RESPONSE_COUNTING = 1, /* Surv(start, stop, status): interval (start, stop] */
    SURVKIT_RESPONSE_BINARY = 2,   /* a plain 0/1 response for glm (frame option binary_response):
                                      survkit_frame_status holds y, survkit_frame_time is NULL */
    SURVKIT_RESPONSE_INTERVAL = 3  /* Surv(time1, time2, type = "interval2"): survreg's left,
                                      right and interval censoring (survkit_frame_time2) */
} survkit_response_kind;

/*
 * The order of a string column's levels (and so the reference level of its contrasts, and the
 * order of strata and groups). SURVKIT_COLLATE_UTF8: as R sorts them in a UTF-8 locale (Debian's R,
 * ICU's root collation: case, accents and punctuation as docs/collation.md describes, so
 * "female" < "X-linked" and "<=20" < "20-50"). SURVKIT_COLLATE_C: by bytes, as R with
 * LC_COLLATE=C (strcmp: every capital before every small letter).
 */
typedef enum survkit_collate {
    SURVKIT_COLLATE_UTF8 = 0,
    SURVKIT_COLLATE_C = 1
} survkit_collate;

/* order[k] = the index of the k-th of texts[n] in the given order (the order of factor levels).
 * Returns 1, or 0 when memory runs out. */
SURVKIT_API int survkit_collate_order(const char *const *texts, size_t n, survkit_collate collate,
                                       size_t *order);

/* Options for building a frame. Initialise with survkit_frame_options_init(). */
typedef struct survkit_frame_options {
    const char *weights;   /* column of case weights, or NULL (default NULL) */
    int groups;            /* non-zero: number and label the km/logrank groups (default 1). A Cox
                              model does not need them, and with a continuous covariate there is
                              one group, and one label, per row: set 0 to skip that work. Set 0,
                              X is checked as coxph checks it: a one-level factor and an infinite
                              value are errors (survfit and survdiff accept both). */
    int timefix;           /* non-zero (default 1): times that differ only by round-off are one
                              time, as R's coxph, survfit and survdiff do by default (timefix =
                              TRUE, survival's aeqSurv): consecutive distinct times at most
                              sqrt(DBL_EPSILON) apart, absolutely or relative to the mean of the
                              distinct times, become the first of their chain. 0: times as read */
    survkit_collate collate; /* order of string levels (default SURVKIT_COLLATE_UTF8) */
    int states;            /* non-zero: the status is a factor of states (competing risks), a
                              string or integer column coded 0 (censored) and 1..K (the other
                              levels in R's factor order; survkit_frame_state_label). Default 0 */
    const char *censor;    /* with states: the censoring level (NULL: "0" for a numeric status,
                              the first level for a string one); a value the status never takes
                              is an error */
    int binary_response;   /* non-zero: the left side is a plain variable, not Surv(): numbers in
                              [0, 1], TRUE/FALSE, or a factor of two levels (the second is 1), as
                              R's binomial() codes y; weights may be 0 (default 0) */
    int interval;          /* non-zero: accept Surv(time1, time2, type = "interval2") (survreg);
                              0 (default): such a response is a formula error */
} survkit_frame_options;

SURVKIT_API void survkit_frame_options_init(survkit_frame_options *opt);

/*
 * Parse `formula` and evaluate it against `table`. A malformed formula gives SURVKIT_ERR_FORMULA
 * with err->column the 1-based position of the problem; an unknown variable SURVKIT_ERR_NOT_FOUND
 * (also with its position); bad values (a non-finite time, stop <= start, status outside R's
 * codings, negative or non-finite weights, and without groups an infinite covariate) SURVKIT_ERR_DOMAIN
 * naming the data row (err->line = table row + 2, the header being line 1; err->column = table
 * column + 1 where one column is to blame; err->source left empty for the caller); a string where
 * numbers are needed SURVKIT_ERR_TYPE (err->column its position in the formula, or, for a text
 * column in Surv() or the weights, err->line and err->column at its first value that is not a
 * number); no rows (none in the table, or none left after na.omit) SURVKIT_ERR_NO_DATA. Negative times are accepted, as R's survfit and coxph accept them.
 */
SURVKIT_API survkit_status survkit_frame_build(const survkit_table *table, const char *formula,
                                               const survkit_frame_options *opt, survkit_frame **out,
                                               survkit_error *err);
SURVKIT_API void survkit_frame_free(survkit_frame *f);

SURVKIT_API const char *survkit_frame_formula(const survkit_frame *f);
/* Rows kept, and rows dropped for missing values. */
SURVKIT_API size_t survkit_frame_n(const survkit_frame *f);
SURVKIT_API size_t survkit_frame_n_dropped(const survkit_frame *f);
/* 1 when the times went through R's timefix (survkit_frame_options.timefix), else 0. */
SURVKIT_API int survkit_frame_timefix(const survkit_frame *f);
/* For each kept row, its 0-based row index in the table. When no row was dropped the array is
 * built on the first call (a frame needs none: it saves 8 bytes a row); NULL only when out of
 * memory. */
SURVKIT_API const size_t *survkit_frame_row_index(const survkit_frame *f);

/* Response. `start` is NULL for right-censored data; `status` is 0 or 1 per row. */
SURVKIT_API survkit_response_kind survkit_frame_response_kind(const survkit_frame *f);
SURVKIT_API const double *survkit_frame_start(const survkit_frame *f);
SURVKIT_API const double *survkit_frame_time(const survkit_frame *f);
SURVKIT_API const double *survkit_frame_status(const survkit_frame *f);
/* Interval data (SURVKIT_RESPONSE_INTERVAL) as R's Surv() codes it: time is the known bound
 * (time2 for a left-censored row), time2 the upper bound of an interval row (NaN for the others),
 * status 0 right-censored, 1 exact, 2 left-censored, 3 interval. NULL for other responses. */
SURVKIT_API const double *survkit_frame_time2(const survkit_frame *f);

/* With survkit_frame_options.states: the number of event states K, and the label of state s in
 * 1..K, or of the censoring level for s = 0 (the status then holds 0 for censored rows and
 * 1..K). 0 and NULL otherwise. */
SURVKIT_API size_t survkit_frame_n_states(const survkit_frame *f);
SURVKIT_API const char *survkit_frame_state_label(const survkit_frame *f, size_t s);

/* Design matrix: n x p, column-major, no intercept column. */
SURVKIT_API size_t survkit_frame_p(const survkit_frame *f);
SURVKIT_API const double *survkit_frame_x(const survkit_frame *f);
SURVKIT_API const char *survkit_frame_column_name(const survkit_frame *f, size_t j);
/* 1 unless the formula removes the intercept (`- 1`, `+ 0`), as R's terms() intercept attribute. */
SURVKIT_API int survkit_frame_intercept(const survkit_frame *f);
/* Terms of the right-hand side (R's term.labels, specials excluded) and the term of each column. */
SURVKIT_API size_t survkit_frame_n_terms(const survkit_frame *f);
SURVKIT_API const char *survkit_frame_term_label(const survkit_frame *f, size_t k);
SURVKIT_API size_t survkit_frame_column_term(const survkit_frame *f, size_t j);

/* Case weights (NULL when none were given) and the summed offset (NULL when the formula has none). */
SURVKIT_API const double *survkit_frame_weights(const survkit_frame *f);
SURVKIT_API const double *survkit_frame_offset(const survkit_frame *f);

/*
 * strata(...) codes 0..n_strata-1 in R's level order (NULL and 0 when the formula has none).
 * Labels as R's strata(): "sex=1", "sex=f, edema=0  " (later parts padded like R's format()),
 * bare levels ("f") when every strata variable is a string or factor.
 */
SURVKIT_API const int32_t *survkit_frame_strata(const survkit_frame *f);
SURVKIT_API size_t survkit_frame_n_strata(const survkit_frame *f);
SURVKIT_API const char *survkit_frame_strata_label(const survkit_frame *f, size_t k);

/* cluster(...) codes 0..n_clusters-1 (NULL and 0 when the formula has none). */
SURVKIT_API const int32_t *survkit_frame_cluster(const survkit_frame *f);
SURVKIT_API size_t survkit_frame_n_clusters(const survkit_frame *f);

/* frailty(x, ...): codes 0..n_frailty-1 of the groups, in R's order (sort(unique(x))), their
 * values as text, the term as R labels it ("frailty(family_id)"), the distribution, and theta
 * when the formula fixes it (theta = T), else NaN (estimated). NULL and 0 without a frailty. */
typedef enum survkit_frailty_distribution {
    SURVKIT_FRAILTY_GAMMA = 0,
    SURVKIT_FRAILTY_GAUSSIAN = 1
} survkit_frailty_distribution;
SURVKIT_API const int32_t *survkit_frame_frailty(const survkit_frame *f);
SURVKIT_API size_t survkit_frame_n_frailty(const survkit_frame *f);
SURVKIT_API const char *survkit_frame_frailty_label(const survkit_frame *f, size_t g);
SURVKIT_API const char *survkit_frame_frailty_term(const survkit_frame *f);
/* The frailty term's place among the terms in R's order (R's fit$df and printed table): the
 * number of terms before it, 0 .. survkit_frame_n_terms; SIZE_MAX without a frailty. */
SURVKIT_API size_t survkit_frame_frailty_position(const survkit_frame *f);
SURVKIT_API survkit_frailty_distribution survkit_frame_frailty_distribution(const survkit_frame *f);
SURVKIT_API double survkit_frame_frailty_theta(const survkit_frame *f);
/* How theta is chosen (R's frailty(method =)): DEFAULT is "em" for the gamma, "reml" for the
 * gaussian; FIXED (theta = T); AIC (method = "aic"; the gaussian's df = 0); DF (df = D, the
 * target in *df, NaN otherwise). */
typedef enum survkit_frailty_method {
    SURVKIT_FRAILTY_METHOD_DEFAULT = 0,
    SURVKIT_FRAILTY_METHOD_FIXED = 1,
    SURVKIT_FRAILTY_METHOD_AIC = 2,
    SURVKIT_FRAILTY_METHOD_DF = 3
} survkit_frailty_method;
SURVKIT_API survkit_frailty_method survkit_frame_frailty_method(const survkit_frame *f,
                                                                double *df);
/* frailty(x, sparse = S): 1 for TRUE (or a non-zero number, as R's if (sparse)), 0 for FALSE,
 * -1 when not given (R's default: sparse when x has more than 5 groups) or without frailty(). */
SURVKIT_API int survkit_frame_frailty_sparse(const survkit_frame *f);
/* R's nclass of frailty(x): the distinct non-missing values of x over every row of the data,
 * before the rows with a missing value elsewhere are dropped (R decides sparse = (nclass > 5) on
 * it); survkit_frame_n_frailty counts the groups of the kept rows. 0 without frailty(). */
SURVKIT_API size_t survkit_frame_frailty_nclass(const survkit_frame *f);
/* ridge(x1, ..., theta = T, scale = TRUE): *found, the term's index (survkit_frame_term_label),
 * theta and scale (R's default TRUE: each coefficient's penalty times its column's variance).
 * theta is NaN without theta = (the fit chooses it by df: survkit_frame_ridge_df).
 * Errors: ridge() in an interaction or twice, theta and df both, theta <= 0, df <= 0. */
SURVKIT_API survkit_status survkit_frame_ridge(const survkit_frame *f, bool *found, size_t *term,
                                               double *theta, bool *scale, survkit_error *err);
/* The ridge() columns' variances (var with n - 1) over every row of the table where the column
 * is present, as R's ridge() computes them before na.omit; NULL without ridge(). */
SURVKIT_API const double *survkit_frame_ridge_variances(const survkit_frame *f);
/* ridge() without theta: the df its penalty is chosen for (df = D, or R's default: half the
 * number of its columns); NaN when theta is given or without ridge(). */
SURVKIT_API double survkit_frame_ridge_df(const survkit_frame *f);

/*
 * pspline(x, df = 4, theta, nterm = 2.5 * df, degree = 3, eps = 0.1): R's penalised cubic
 * B-spline term of a Cox model. Its design columns are the spline basis without its first column
 * (named "ps(x)3", ...). `fixed`: theta was given (R's method "fixed"), else theta is chosen so
 * the term's degrees of freedom equal df (method "df", within eps). nterm is R's round(nterm),
 * boundary R's range(x) over the rows where x is present (before na.omit).
 */
typedef struct survkit_pspline_term {
    size_t term;         /* the term's index (survkit_frame_term_label) */
    bool fixed;
    double df, theta, eps;
    size_t nterm;
    double boundary[2];
} survkit_pspline_term;
SURVKIT_API size_t survkit_frame_n_pspline(const survkit_frame *f);
SURVKIT_API const survkit_pspline_term *survkit_frame_pspline(const survkit_frame *f, size_t k);
/* The pspline term's variable x over every row of the table (NaN where missing); the fit's rows
 * are survkit_frame_row_index's. */
SURVKIT_API const double *survkit_frame_pspline_x(const survkit_frame *f, size_t k);

/*
 * Groups for km/logrank: the distinct combinations of the right-hand side variables (specials
 * excluded), in R's order, with R's labels. One group labelled "all" for `~ 1`.
 */
SURVKIT_API const int32_t *survkit_frame_groups(const survkit_frame *f);
SURVKIT_API size_t survkit_frame_n_groups(const survkit_frame *f);
SURVKIT_API const char *survkit_frame_group_label(const survkit_frame *f, size_t k);

/*
 * Code the frame's rows by the values of the table column `name` (the table the frame was built
 * from), e.g. to sum residuals per child or per family. Groups are numbered in sorted order
 * (numbers numerically, strings as R sorts factor levels), in linear time after the level sort.
 * Outputs: *codes (survkit_frame_n(f) values in 0..*n_groups-1) and *labels (the groups' values as
 * text), to release with survkit_frame_codes_free. A missing value in a kept row is
 * SURVKIT_ERR_DOMAIN with err->line its data line; an unknown column SURVKIT_ERR_NOT_FOUND.
 */
SURVKIT_API survkit_status survkit_frame_code_column(const survkit_frame *f,
                                                     const survkit_table *table, const char *name,
                                                     int32_t **codes, size_t *n_groups,
                                                     char ***labels, survkit_error *err);
SURVKIT_API void survkit_frame_codes_free(int32_t *codes, char **labels, size_t n_groups);

#ifdef __cplusplus
}
#endif

#endif /* SURVKIT_FRAME_H */
