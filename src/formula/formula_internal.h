/*
 * formula_internal.h: the pieces of the formula module and how they hand data to each other.
 *
 *   text --lexer.c--> tokens --parser.c--> syntax tree (sk_node, 1-based character positions)
 *        --terms.c--> variables + terms (R's terms(): expansion, duplicates removed, R's order)
 *        --evaluate.c--> one sk_value per variable over every table row (model.frame)
 *        --frame.c--> na.omit, response (response.c), design matrix (design.c),
 *                     strata / cluster / km groups (groups.c)
 *
 * Not installed; everything here is internal to libsurvkit (hidden symbols).
 */
#ifndef SURVKIT_FORMULA_INTERNAL_H
#define SURVKIT_FORMULA_INTERNAL_H

#include "core/internal.h"

/* ---------------------------------------------------------------- tokens (lexer.c) */

typedef enum sk_token_kind {
    SK_TOK_END = 0,
    SK_TOK_NAME,    /* identifier or `backtick quoted` name (text without the backticks) */
    SK_TOK_NUMBER,
    SK_TOK_STRING,  /* "..." or '...' */
    SK_TOK_OP,      /* one of the SK_OP_* codes below */
    SK_TOK_LPAREN,
    SK_TOK_RPAREN,
    SK_TOK_COMMA
} sk_token_kind;

/* Operator codes: the character itself for one-character operators ('=' names an argument). */
enum {
    SK_OP_EQ = 'E', SK_OP_NE = 'N', SK_OP_LE = 'L', SK_OP_GE = 'G', /* == != <= >= */
    SK_OP_IN = 'I'                                                   /* %in% */
};

typedef struct sk_token {
    sk_token_kind kind;
    int op;          /* SK_TOK_OP: '+', '-', '*', '/', '^', ':', '~', '<', '>', SK_OP_* */
    size_t pos;      /* 1-based position of the first character in the formula text */
    size_t len;      /* characters in the source text */
    char *text;      /* SK_TOK_NAME / SK_TOK_STRING: owned copy */
    double number;   /* SK_TOK_NUMBER */
} sk_token;

typedef struct sk_tokens {
    sk_token *items;
    size_t n;
} sk_tokens;

/* Split `text` into tokens (the last one SK_TOK_END). SURVKIT_ERR_FORMULA at the bad character. */
survkit_status sk_formula_tokenize(const char *text, sk_tokens *out, survkit_error *err);
void sk_formula_tokens_free(sk_tokens *t);

/* ---------------------------------------------------------------- syntax tree (parser.c) */

typedef enum sk_node_kind {
    SK_NODE_NAME,    /* a variable */
    SK_NODE_NUMBER,  /* a numeric constant */
    SK_NODE_STRING,  /* a string constant */
    SK_NODE_CALL,    /* name(args) */
    SK_NODE_PAREN,   /* ( arg ) */
    SK_NODE_UNARY,   /* op arg: '+' or '-' */
    SK_NODE_BINARY   /* arg[0] op arg[1] */
} sk_node_kind;

typedef struct sk_node {
    sk_node_kind kind;
    int op;                 /* SK_NODE_UNARY / SK_NODE_BINARY: operator code as in sk_token */
    size_t pos;             /* 1-based position of the node's first character */
    size_t op_pos;          /* position of the operator or of the function name */
    char *name;             /* NAME: the name; CALL: the function; STRING: the text */
    double number;          /* NUMBER */
    struct sk_node **args;  /* CALL: arguments; PAREN/UNARY: 1; BINARY: 2 */
    char **arg_names;       /* CALL: n_args names, NULL for an unnamed argument (or no array) */
    size_t n_args;
} sk_node;

/* The argument of call `node` named `name`, else its `position`-th unnamed argument (0-based;
 * SIZE_MAX: only by name), else NULL. */
const sk_node *sk_call_arg(const sk_node *node, const char *name, size_t position);

/* A parsed `lhs ~ rhs` (lhs may be NULL when the formula is one-sided). */
typedef struct sk_formula {
    sk_node *lhs;
    sk_node *rhs;
} sk_formula;

/* Parse R formula syntax. Errors: SURVKIT_ERR_FORMULA with err->column at the offending token. */
survkit_status sk_formula_parse(const char *text, sk_formula *out, survkit_error *err);
void sk_formula_release(sk_formula *f);
void sk_node_free(sk_node *node);

/*
 * R's `.` (dot.c): replace each `.` term of f->rhs by ( c1 + c2 + ... ), the table's columns that
 * the left side does not name, in column order (`1` when there is none). A `.` inside a function
 * call is SURVKIT_ERR_FORMULA at its position.
 */
survkit_status sk_formula_expand_dot(sk_formula *f, const survkit_table *table, survkit_error *err);
/* Does the tree under node hold a `.` name? */
bool sk_formula_has_dot(const sk_node *node);

/* ---------------------------------------------------------------- constants (constants.c) */

/* A constant argument: a number, string or TRUE/FALSE, or c(...) of them. num[k] (NaN for a
 * string), text[k] (as.character()), is_string when any element is a string. */
typedef struct sk_constant {
    size_t n;
    double *num;
    char **text;
    bool is_string;
} sk_constant;

/* Read `node` as a constant; SURVKIT_ERR_FORMULA at its position when it is not one. */
survkit_status sk_constant_read(const sk_node *node, sk_constant *out, survkit_error *err);
void sk_constant_release(sk_constant *c);

/* ---------------------------------------------------------------- R text conventions (deparse.c) */

/*
 * R's as.character() of a double: up to 15 significant digits, fixed notation unless scientific is
 * shorter ("1e+05", "0.3", "-17.1553730321697"). Writes at most `size` bytes (32 always suffice).
 */
void sk_format_number(double x, char *buf, size_t size);
/* R's deparse() of an expression ("log(bili)", "I(age^2)", "I((age - 40)/10)"); malloc'd, or NULL. */
char *sk_deparse(const sk_node *node);
/* As sk_deparse, with the nodes from[k] written as the texts to[k] (k < n). */
char *sk_deparse_replacing(const sk_node *node, const sk_node *const *from,
                           const char *const *to, size_t n);

/* ---------------------------------------------------------------- terms (terms.c) */

/* The most variables strata() or a km/logrank grouping may combine (covariates have no limit). */
#define SK_MAX_GROUP_VARIABLES 64

typedef enum sk_special_kind {
    SK_SPECIAL_STRATA,
    SK_SPECIAL_CLUSTER,
    SK_SPECIAL_OFFSET,
    SK_SPECIAL_FRAILTY /* frailty(x, ...), frailty.gamma(x), frailty.gaussian(x): a shared frailty */
} sk_special_kind;

/* A special term of the right-hand side: strata(...), cluster(x), offset(x). */
typedef struct sk_special {
    sk_special_kind kind;
    const sk_node *call;  /* points into the parsed formula */
} sk_special;

typedef struct sk_terms {
    /* Variables in order of first appearance (R's "variables" attribute without the response). */
    size_t n_variables;
    const sk_node **variable;
    char **variable_label;
    /* Terms in R's order: by interaction order, then order of appearance. Term k is a bit set of
     * n_words words at term + k * n_words (bit v = variable v): test it with sk_term_has. */
    size_t n_terms, n_words;
    uint64_t *term;
    char **term_label;   /* variables of the term in variable order, joined by ':' */
    sk_special *special;
    size_t n_specials;
    bool no_intercept;   /* `- 1` or `+ 0` (R's intercept attribute 0); coxph ignores it, glm not */
} sk_terms;

/* Does term k of t hold variable v? */
static inline bool sk_term_has(const sk_terms *t, size_t k, size_t v)
{
    return t->term[k * t->n_words + v / 64] >> (v % 64) & 1;
}

/* The first variable of term k at or after v, or n_variables: loop over a term's variables with
 * for (v = sk_term_next(t, k, 0); v < t->n_variables; v = sk_term_next(t, k, v + 1)),
 * in time proportional to the words, not the variables. */
static inline size_t sk_term_next(const sk_terms *t, size_t k, size_t v)
{
    const uint64_t *term = t->term + k * t->n_words;
    while (v < t->n_variables) {
        uint64_t rest = term[v / 64] >> (v % 64);
        if (rest == 0) { /* nothing left in this word */
            v = (v / 64 + 1) * 64;
            continue;
        }
        while (!(rest & 1)) rest >>= 1, v++;
        return v;
    }
    return t->n_variables;
}

/*
 * Expand the right-hand side as R's terms.formula does: `a*b` = a + b + a:b, `a/b` = a + a:b,
 * `(a+b)^2`, `-` removes terms, `1`/`0` only touch the (ignored) intercept, duplicates are dropped.
 * strata(), cluster() and offset() become specials; they may not enter an interaction.
 */
survkit_status sk_terms_build(const sk_node *rhs, sk_terms *out, survkit_error *err);
void sk_terms_release(sk_terms *t);

/* ---------------------------------------------------------------- collation (collate.c) */

/*
 * R's order of strings: ICU root collation (R in a UTF-8 locale) unless collate is
 * SURVKIT_COLLATE_C (bytes). sk_collate_order: order[k] = index of the k-th smallest of texts[n];
 * false when out of memory. sk_collate_compare: <0, 0, >0 (0 only for equal bytes).
 * sk_collate_key: the three-level sort key (malloc'd; strcmp of keys orders the texts), or NULL.
 */
bool sk_collate_order(const char *const *texts, size_t n, survkit_collate collate, size_t *order);
int sk_collate_compare(const char *a, const char *b, survkit_collate collate);
char *sk_collate_key(const char *text);

/* ---------------------------------------------------------------- values (evaluate.c) */

typedef enum sk_value_kind {
    SK_VALUE_NUMERIC, /* num[] with NaN = missing */
    SK_VALUE_LOGICAL, /* num[] holding 0, 1 or NaN; a factor with levels FALSE, TRUE in a design */
    SK_VALUE_FACTOR,  /* codes[] into levels[] (sorted as R sorts them), -1 = missing */
    SK_VALUE_MATRIX   /* num[] n x n_cols, column-major, NaN = missing: poly() and ns(), whose
                         design columns are named label + "1", "2", ... */
} sk_value_kind;

typedef struct sk_value {
    sk_value_kind kind;
    size_t n;
    double *num;
    int32_t *codes;
    char **levels;
    size_t n_levels;
    /* A character column: R makes it a factor after na.omit, so unused levels are dropped then.
     * factor(x) is evaluated before na.omit and keeps every level it saw. */
    bool drop_unused;
    /* num points into the table's column (a plain numeric variable, as evaluated by
     * sk_evaluate_variable): it is read, never written nor freed, and subsetting copies it. */
    bool borrowed;
    /* With `borrowed`: the reader counted no missing value in the column, so na.omit need not
     * look (sk_table_column_complete). Meaningless once the value is no longer borrowed. */
    bool complete;
    size_t n_cols;       /* SK_VALUE_MATRIX: its columns */
    /* poly() and ns(): the call that gives the same basis on new data (R's makepredictcall: the
     * polynomial's coefficients, the spline's knots), malloc'd; NULL otherwise */
    char *predict_call;
} sk_value;

/* Evaluate `node` over every row of `table` (R's model.frame before na.omit), string levels in
 * the order `collate` gives (sk_evaluate: SURVKIT_COLLATE_UTF8). */
survkit_status sk_evaluate_collated(const sk_node *node, const survkit_table *table,
                                    survkit_collate collate, sk_value *out, survkit_error *err);
survkit_status sk_evaluate(const sk_node *node, const survkit_table *table, sk_value *out,
                           survkit_error *err);
void sk_value_release(sk_value *v);
/* The first row of string column j whose text is not a number (why the column is text): true and
 * *row, or false. sk_table_text: the text of row i of string column j. */
bool sk_first_non_number(const survkit_table *table, size_t j, size_t *row);
const char *sk_table_text(const survkit_table *table, size_t j, size_t i);
/* As sk_evaluate, but a plain numeric column is borrowed from the table instead of copied (the
 * table must outlive *out). For the top-level variables of a frame, which are only read. */
survkit_status sk_evaluate_variable(const sk_node *node, const survkit_table *table, sk_value *out,
                                    survkit_error *err);
survkit_status sk_evaluate_variable_collated(const sk_node *node, const survkit_table *table,
                                             survkit_collate collate, sk_value *out,
                                             survkit_error *err);
/* Keep rows keep[0..n_keep-1] (increasing), then drop unused levels when v->drop_unused. Keeping
 * every row of a numeric value changes nothing (no copy). */
survkit_status sk_value_subset(sk_value *v, const size_t *keep, size_t n_keep, survkit_error *err);
/* poly(x, ...) and ns(x, ...) on the evaluated numeric x (`call` the call): v becomes the basis
 * matrix with its predict_call (poly.c, ns_term.c). */
survkit_status sk_poly_evaluate(const sk_node *call, sk_value *v, survkit_error *err);
survkit_status sk_ns_evaluate(const sk_node *call, sk_value *v, survkit_error *err);
/* pspline(x, df, theta, nterm, degree, eps) (pspline_term.c): the arguments with R's checks and
 * the range of x[n] (NaN skipped) into *spec (its term left 0); the basis replacing v (numbers);
 * the name of design column col (0-based): "ps(x)3", ... */
survkit_status sk_pspline_spec(const sk_node *call, const double *x, size_t n,
                               survkit_pspline_term *spec, survkit_error *err);
survkit_status sk_pspline_evaluate(const sk_node *call, sk_value *v, survkit_error *err);
char *sk_pspline_column_name(const sk_node *call, size_t col);
/* "%.17g" of x[n] as R's c(...) text ("c(1, 2.5)"; a single value alone), malloc'd or NULL. */
char *sk_numbers_text(const double *x, size_t n);

/* factor(x, levels = L) on the evaluated x: codes by text against L, the others missing
 * (factor_levels.c). relevel(x, ref = r) on an evaluated factor x (`call` the relevel call). */
survkit_status sk_factor_set_levels(sk_value *v, const sk_node *levels_node, survkit_error *err);
survkit_status sk_factor_relevel(sk_value *v, const sk_node *call, survkit_error *err);
/* Is row i missing? */
bool sk_value_missing(const sk_value *v, size_t i);
/* The text of row i as R's strata()/survfit labels print it ("1", "0.5", "adeno", "TRUE"). */
void sk_value_text(const sk_value *v, size_t i, char *buf, size_t size);

/* ---------------------------------------------------------------- groups (groups.c) */

/*
 * Distinct combinations of several variables (no missing values), as R's strata(): codes
 * 0..n_groups-1 ordered by the first variable (slowest), then the next; only combinations that
 * occur. Labels "a=1, b=2" from `names` (the variable labels), later parts padded as R's
 * strata() pads them, or "f, 1" (bare levels) with short_labels.
 * Inputs: values[n_values] (at most SK_MAX_GROUP_VARIABLES), each of length n; names[n_values].
 * Outputs: codes[n], *n_groups, *labels (malloc'd; "all" for a single group when n_values is 0).
 */
survkit_status sk_groups_build(const sk_value *const *values, const char *const *names,
                               size_t n_values, bool short_labels, size_t n, int32_t *codes,
                               size_t *n_groups, char ***labels, survkit_error *err);

/* ---------------------------------------------------------------- response (response.c) */

typedef struct sk_response {
    survkit_response_kind kind;
    sk_value parts[3];   /* time, status or start, stop, status (interval: time1, time2):
                            evaluated over every row */
    size_t n_parts;
} sk_response;

/* Check that `lhs` is Surv(time, status) or Surv(start, stop, status) and evaluate its parts. */
survkit_status sk_response_evaluate(const sk_node *lhs, const survkit_table *table,
                                    sk_response *out, survkit_error *err);
void sk_response_release(sk_response *r);
/*
 * Code the kept rows: start (counting only), time and status 0/1, validating times and statuses.
 * Inputs: r evaluated over every row from `lhs` on `table`, keep[n] (table rows; NULL: every
 * row, n of them). Outputs: start[n] (counting only), time[n],
 * status[n]. Errors name the table row (err->line = row + 2).
 */
survkit_status sk_response_code(const sk_response *r, const sk_node *lhs, const survkit_table *table,
                                const size_t *keep, size_t n, double *start, double *time,
                                double *status, survkit_error *err);
/* The same for Surv(time1, time2, type = "interval2"): time[n], time2[n] (NaN unless an
 * interval) and status[n] in R's codes 0 right, 1 exact, 2 left, 3 interval. */
survkit_status sk_response_code_interval(const sk_response *r, const sk_node *lhs,
                                         const survkit_table *table, const size_t *keep, size_t n,
                                         double *time, double *time2, double *status,
                                         survkit_error *err);
/*
 * The response read in place instead of coded into new arrays (no fresh pages): true, with *time
 * and *status pointing into the table, when `r` is right-censored, its time and status are plain
 * numeric columns read in place from the table's block with no missing value (sk_value.borrowed and
 * .complete) of n rows (every row kept), every time finite
 * and, when `timefix`, changed by no timefix (sk_time_fix_is_identity), and every status 0 or 1.
 * False otherwise: then code the response with sk_response_code. One pass over both columns.
 */
bool sk_response_in_place(const sk_response *r, size_t n, bool timefix, const double **time,
                          const double **status);

/* A plain response for binomial models (response_binary.c): `lhs` is any variable expression
 * (not Surv()), evaluated into out->parts[0] over every row. */
survkit_status sk_response_evaluate_binary(const sk_node *lhs, const survkit_table *table,
                                           sk_response *out, survkit_error *err);
/* Code the kept rows keep[n] as y[n] in [0, 1]: numbers as they are, logicals 0/1, a factor 0 at
 * its first level and 1 at its second (more than two levels used is an error). */
survkit_status sk_response_code_binary(const sk_response *r, const sk_node *lhs,
                                       const survkit_table *table, const size_t *keep, size_t n,
                                       double *y, survkit_error *err);

/*
 * A status that is a factor of states (response_states.c), for competing risks: evaluate as
 * sk_response_evaluate but accept a string status; code the kept rows' times as
 * sk_response_code and their states 0 (the censoring level: `censor`, or "0" for numbers and the
 * first level for strings when NULL) and 1..*n_states (the other levels in factor order);
 * *labels (malloc'd, *n_states + 1) names the censoring level first, then the states.
 */
survkit_status sk_response_evaluate_states(const sk_node *lhs, const survkit_table *table,
                                           survkit_collate collate, sk_response *out,
                                           survkit_error *err);
survkit_status sk_response_code_states(const sk_response *r, const sk_node *lhs,
                                       const survkit_table *table, const size_t *keep, size_t n,
                                       const char *censor, double *start, double *time,
                                       double *state, size_t *n_states, char ***labels,
                                       survkit_error *err);

/*
 * R's timefix (timefix.c): times that differ only by round-off become the first of their chain of
 * tied times, in place. Inputs: time[n] and, for counting-process data, start[n] (else NULL), all
 * finite. Errors: SURVKIT_ERR_DOMAIN when the fix closes an interval (start, stop] (its row in
 * *bad_row, else SIZE_MAX), SURVKIT_ERR_NOMEM.
 */
survkit_status sk_time_fix(double *start, double *time, size_t n, size_t *bad_row,
                           survkit_error *err);
/* Would sk_time_fix(NULL, time, n) leave every time as it is for want of round-off to fix (all
 * times integers below 2^25 in magnitude)? Reads time[n]. */
bool sk_time_fix_is_identity(const double *time, size_t n);

/* ---------------------------------------------------------------- design matrix (design.c) */

typedef struct sk_design {
    size_t p;
    double *x;            /* n x p column-major */
    bool x_in_place;      /* x is the table's memory (sk_design_build's `block`): not freed here */
    char **names;         /* p column names */
    size_t *column_term;  /* p term indices */
} sk_design;

/*
 * R's model.matrix for coxph (intercept present while coding, then dropped).
 * Inputs: terms, values[terms->n_variables] subset to the n kept rows, row_index[n] (table rows,
 * for error messages; NULL: row i is table row i); `checked`: a factor of one level under
 * contrasts and an infinite value are errors, as in coxph (otherwise the factor gives no column
 * and the value stays, as survfit and survdiff, which build no model matrix, accept them).
 * `block` (NULL for none), `block_cells`
 * doubles: the table's one allocation of its columns (a CSV's): when every column of X is a
 * numeric variable read in place (sk_value.borrowed, no row dropped) and they follow each other in
 * the block, X is that part of the block (out->x_in_place; the caller keeps the table alive).
 * Output: *out.
 */
survkit_status sk_design_build(const sk_terms *terms, const sk_value *values, size_t n,
                               const size_t *row_index, bool checked, const double *block,
                               size_t block_cells, sk_design *out, survkit_error *err);
void sk_design_release(sk_design *d);

/* ---------------------------------------------------------------- frames (frame.c, frame_like.c) */

/* The variables of a frame's right-hand side as the frame saw them (kind and factor levels). */
size_t sk_frame_n_variables(const survkit_frame *f);
void sk_frame_variable(const survkit_frame *f, size_t v, const char **label, sk_value_kind *kind,
                       char *const **levels, size_t *n_levels);

/* The formula that codes new data like the frame's: the formula as given, or, when it had a `.`
 * or poly()/ns() terms, the formula with `.` replaced by the columns it stood for (R's
 * terms(fit)) and those calls by their predict calls (R's makepredictcall: the fit's polynomial
 * coefficients and spline knots). */
const char *sk_frame_model_formula(const survkit_frame *f);
/* The order the frame gave string levels (survkit_frame_options.collate). */
survkit_collate sk_frame_collate(const survkit_frame *f);

/* A variable's description for coding new data like the model's. */
typedef struct sk_variable_spec {
    sk_value_kind kind;
    const char *const *levels;
    size_t n_levels;
} sk_variable_spec;

/*
 * R's model.frame(Terms, newdata, xlev = the model's levels) followed by model.matrix: evaluate the
 * right-hand side of `formula` on `table` with the variables' kinds and levels from the model
 * (specs[n_specs], one per variable of the formula in its order). The response is evaluated only
 * when its columns are present (`*has_response`). Strata are coded against `strata_labels`
 * (n_strata; the model's labels). Rows with a missing covariate, stratum or offset are dropped;
 * rows whose response alone is missing are kept with NaN times (a missing time or start) or a
 * NaN status (the response of new data serves only predict's type = "expected", R's na.pass). A
 * factor level the
 * model did not have is an error naming it.
 */
survkit_status sk_frame_build_like(const char *formula, const sk_variable_spec *specs,
                                   size_t n_specs, const char *const *strata_labels,
                                   size_t n_strata, const survkit_table *table,
                                   survkit_frame **out, bool *has_response, survkit_error *err);
/* The same, with the frailty() groups coded (survkit_frame_frailty, their own values in sorted
 * order) and rows missing them dropped: the new rows of a dense frailty model. */
survkit_status sk_frame_build_like_frailty(const char *formula, const sk_variable_spec *specs,
                                           size_t n_specs, const char *const *strata_labels,
                                           size_t n_strata, const survkit_table *table,
                                           survkit_frame **out, bool *has_response,
                                           survkit_error *err);

/* ---------------------------------------------------------------- small shared helpers */

/* Free a list of n malloc'd strings (accepts NULL). */
void sk_free_strings(char **strings, size_t n);

#endif /* SURVKIT_FORMULA_INTERNAL_H */
