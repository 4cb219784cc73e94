/*
 * survkit_r.c: the .Call glue of the R package. No numerics: a data frame's columns become a
 * survkit_table (double vectors read in place, integers and logicals converted, character vectors
 * coded by the library), the library builds the frame and fits, and the result comes back as a named
 * list that R/survkit.R dresses as a coxph, survfit or survdiff object. A library failure is an R
 * error with the library's message (for a formula, the formula and a caret under the position).
 */
#include <R.h>
#include <Rinternals.h>
#include <R_ext/Rdynload.h>
#include <survkit/survkit.h>
#include <string.h>

/* Everything a fit owns, freed on every path (R errors longjmp, so free before calling error()). */
typedef struct fit_state {
    survkit_table *table;
    survkit_frame *frame;
    survkit_cox_result *cox;
    survkit_km *km;
    survkit_logrank *lr;
} fit_state;

static void fit_state_free(fit_state *s)
{
    survkit_cox_result_free(s->cox);
    survkit_km_free(s->km);
    survkit_logrank_free(s->lr);
    survkit_frame_free(s->frame);
    survkit_table_free(s->table);
    memset(s, 0, sizeof *s);
}

static void fail(fit_state *s, const survkit_error *err, const char *formula)
{
    char text[2048];
    const char *message = err->message[0] ? err->message : survkit_strerror(err->status);
    if (err->source[0] == '\0' && err->line == 0 && err->column > 0 && formula != NULL) {
        int pad = (int)err->column - 1;
        snprintf(text, sizeof text, "error in formula, at character %d: %s\n  %s\n  %*s^",
                 pad + 1, message, formula, pad, "");
    } else if (err->line > 1) {
        snprintf(text, sizeof text, "data row %llu: %s", (unsigned long long)(err->line - 1), message);
    } else {
        snprintf(text, sizeof text, "%s", message);
    }
    fit_state_free(s);
    error("%s", text);
}

static SEXP doubles(const double *v, size_t n)
{
    SEXP out = PROTECT(allocVector(REALSXP, (R_xlen_t)n));
    for (size_t i = 0; i < n; i++) REAL(out)[i] = (v == NULL || ISNAN(v[i])) ? NA_REAL : v[i];
    UNPROTECT(1);
    return out;
}

static SEXP strings(size_t n, const char *(*get)(const void *, size_t), const void *obj)
{
    SEXP out = PROTECT(allocVector(STRSXP, (R_xlen_t)n));
    for (size_t i = 0; i < n; i++) SET_STRING_ELT(out, (R_xlen_t)i, mkCharCE(get(obj, i), CE_UTF8));
    UNPROTECT(1);
    return out;
}

static const char *cox_name(const void *r, size_t j) { return survkit_cox_result_name(r, j); }
static const char *km_label(const void *k, size_t g) { return survkit_km_group_label(k, g); }
static const char *lr_label(const void *l, size_t g) { return survkit_logrank_group_label(l, g); }

/* A named list from parallel arrays of names and values (values protected by the caller). */
static SEXP named_list(int n, const char *const *names, SEXP *values)
{
    SEXP out = PROTECT(allocVector(VECSXP, n)), nm = PROTECT(allocVector(STRSXP, n));
    for (int k = 0; k < n; k++) {
        SET_VECTOR_ELT(out, k, values[k]);
        SET_STRING_ELT(nm, k, mkChar(names[k]));
    }
    setAttrib(out, R_NamesSymbol, nm);
    UNPROTECT(2);
    return out;
}

static SEXP cox_list(const survkit_frame *f, const survkit_cox_result *r)
{
    size_t p = survkit_cox_result_p(r);
    double tests[4][3];
    for (int k = 0; k < 4; k++)
        if (!survkit_cox_result_test(r, (survkit_cox_test_kind)k, &tests[k][0], &tests[k][1], &tests[k][2]))
            tests[k][0] = tests[k][1] = tests[k][2] = NA_REAL;
    double loglik[2] = {survkit_cox_result_loglik_null(r), survkit_cox_result_loglik(r)};
    double conc[2] = {survkit_cox_result_concordance(r), survkit_cox_result_concordance_se(r)};
    const double *naive = survkit_cox_result_naive_vcov(r);
    static const char *const names[] = {"names", "coef", "var", "naive_var", "loglik", "n", "nevent",
                                        "n_dropped", "wald", "score", "rscore", "concordance", "iter",
                                        "converged", "means", "linear_predictors", "warnings",
                                        "row_index"};
    enum { N = 18 };
    SEXP v[N];
    int k = 0;
    v[k++] = PROTECT(strings(p, cox_name, r));
    v[k++] = PROTECT(doubles(survkit_cox_result_coef(r), p));
    v[k++] = PROTECT(doubles(survkit_cox_result_vcov(r), p * p));
    v[k++] = PROTECT(naive ? doubles(naive, p * p) : R_NilValue);
    v[k++] = PROTECT(doubles(loglik, 2));
    v[k++] = PROTECT(ScalarInteger((int)survkit_cox_result_n(r)));
    v[k++] = PROTECT(ScalarReal(survkit_cox_result_n_events(r)));
    v[k++] = PROTECT(ScalarInteger((int)survkit_frame_n_dropped(f)));
    v[k++] = PROTECT(doubles(tests[SURVKIT_COX_TEST_WALD], 3));
    v[k++] = PROTECT(doubles(tests[SURVKIT_COX_TEST_SCORE], 3));
    v[k++] = PROTECT(doubles(tests[SURVKIT_COX_TEST_ROBUST_SCORE], 3));
    v[k++] = PROTECT(doubles(conc, 2));
    v[k++] = PROTECT(ScalarInteger(survkit_cox_result_iterations(r)));
    v[k++] = PROTECT(ScalarLogical(survkit_cox_result_converged(r)));
    v[k++] = PROTECT(doubles(survkit_cox_result_means(r), p));
    v[k++] = PROTECT(doubles(survkit_cox_result_linear_predictor(r), survkit_cox_result_n(r)));
    size_t nw = survkit_cox_result_n_warnings(r);
    SEXP w = v[k++] = PROTECT(allocVector(STRSXP, (R_xlen_t)nw));
    for (size_t j = 0; j < nw; j++) SET_STRING_ELT(w, (R_xlen_t)j, mkChar(survkit_cox_result_warning(r, j)));
    size_t n = survkit_frame_n(f);
    SEXP rows = v[k++] = PROTECT(allocVector(REALSXP, (R_xlen_t)n));
    for (size_t i = 0; i < n; i++) REAL(rows)[i] = (double)survkit_frame_row_index(f)[i] + 1;
    SEXP out = named_list(N, names, v);
    UNPROTECT(N);
    return out;
}

static SEXP km_list(const survkit_frame *f, const survkit_km *km)
{
    size_t G = survkit_km_n_groups(km), total = 0;
    for (size_t g = 0; g < G; g++) total += survkit_km_n_times(km, g);
    static const char *const names[] = {"time", "n.risk", "n.event", "n.censor", "surv", "std.err",
                                        "lower", "upper", "cumhaz", "std.chaz", "strata", "labels",
                                        "records", "n_dropped"};
    enum { N = 14 };
    SEXP v[N];
    for (int c = 0; c < SURVKIT_KM_N_COLUMNS; c++) {
        v[c] = PROTECT(allocVector(REALSXP, (R_xlen_t)total));
        size_t at = 0;
        for (size_t g = 0; g < G; g++) {
            const double *x = survkit_km_column_values(km, g, (survkit_km_column)c);
            for (size_t i = 0; i < survkit_km_n_times(km, g); i++, at++)
                REAL(v[c])[at] = ISNAN(x[i]) ? NA_REAL : x[i];
        }
    }
    v[10] = PROTECT(allocVector(INTSXP, (R_xlen_t)G));
    v[12] = PROTECT(allocVector(INTSXP, (R_xlen_t)G));
    for (size_t g = 0; g < G; g++) {
        INTEGER(v[10])[g] = (int)survkit_km_n_times(km, g);
        INTEGER(v[12])[g] = (int)survkit_km_records(km, g);
    }
    v[11] = PROTECT(strings(G, km_label, km));
    v[13] = PROTECT(ScalarInteger((int)survkit_frame_n_dropped(f)));
    SEXP out = named_list(N, names, v);
    UNPROTECT(N);
    return out;
}

static SEXP lr_list(const survkit_frame *f, const survkit_logrank *lr)
{
    size_t G = survkit_logrank_n_groups(lr);
    static const char *const names[] = {"labels", "n", "obs", "exp", "var", "chisq", "pvalue",
                                        "n_dropped"};
    enum { N = 8 };
    SEXP v[N];
    v[0] = PROTECT(strings(G, lr_label, lr));
    v[1] = PROTECT(doubles(survkit_logrank_n(lr), G));
    v[2] = PROTECT(doubles(survkit_logrank_observed(lr), G));
    v[3] = PROTECT(doubles(survkit_logrank_expected(lr), G));
    v[4] = PROTECT(doubles(survkit_logrank_variance(lr), G * G));
    v[5] = PROTECT(ScalarReal(survkit_logrank_chisq(lr)));
    v[6] = PROTECT(ScalarReal(survkit_logrank_p(lr)));
    v[7] = PROTECT(ScalarInteger((int)survkit_frame_n_dropped(f)));
    SEXP out = named_list(N, names, v);
    UNPROTECT(N);
    return out;
}

/*
 * sk_fit(kind, columns, formula, weights, ties, conf_type, conf_level, rho, robust)
 * kind 0 cox, 1 km, 2 logrank; columns a named list of double or character vectors of one length
 * (R/survkit.R converts factors, integers and logicals first); weights NULL or a column name.
 */
static SEXP sk_fit(SEXP kind_, SEXP columns, SEXP formula_, SEXP weights_, SEXP ties_, SEXP conf_type_,
                   SEXP conf_level_, SEXP rho_, SEXP robust_)
{
    int kind = asInteger(kind_);
    const char *formula = translateCharUTF8(STRING_ELT(formula_, 0));
    const char *weights = isNull(weights_) ? NULL : translateCharUTF8(STRING_ELT(weights_, 0));
    fit_state s = {0};
    survkit_error err;
    survkit_error_clear(&err);
    R_xlen_t m = XLENGTH(columns);
    SEXP names = getAttrib(columns, R_NamesSymbol);
    R_xlen_t n = m > 0 ? XLENGTH(VECTOR_ELT(columns, 0)) : 0;
    if (survkit_table_create((size_t)n, &s.table, &err) != SURVKIT_OK) fail(&s, &err, NULL);
    for (R_xlen_t j = 0; j < m; j++) {
        SEXP col = VECTOR_ELT(columns, j);
        const char *name = translateCharUTF8(STRING_ELT(names, j));
        survkit_status st;
        if (XLENGTH(col) != n) {
            fit_state_free(&s);
            error("column %s has a different length", name);
        }
        if (isFactor(col)) { /* its levels in their order; R's NA code is NA_INTEGER */
            SEXP lv = getAttrib(col, R_LevelsSymbol);
            size_t nl = (size_t)XLENGTH(lv);
            int32_t *codes = (int32_t *)R_alloc((size_t)n + 1, sizeof *codes);
            const char **levels = (const char **)R_alloc(nl + 1, sizeof *levels);
            for (R_xlen_t i = 0; i < n; i++)
                codes[i] = INTEGER(col)[i] == NA_INTEGER ? -1 : INTEGER(col)[i] - 1;
            for (size_t k = 0; k < nl; k++) levels[k] = translateCharUTF8(STRING_ELT(lv, (R_xlen_t)k));
            st = survkit_table_add_factor(s.table, name, codes, levels, nl, &err);
        } else if (TYPEOF(col) == REALSXP) {
            st = survkit_table_add_numeric_view(s.table, name, REAL(col), &err); /* R's NA is a NaN */
        } else if (TYPEOF(col) == STRSXP) {
            const char **texts = (const char **)R_alloc((size_t)n + 1, sizeof *texts);
            for (R_xlen_t i = 0; i < n; i++)
                texts[i] = STRING_ELT(col, i) == NA_STRING ? NULL : translateCharUTF8(STRING_ELT(col, i));
            st = survkit_table_add_string(s.table, name, texts, &err);
        } else {
            fit_state_free(&s);
            error("column %s: expected a double or character vector", name);
        }
        if (st != SURVKIT_OK) fail(&s, &err, NULL);
    }
    survkit_frame_options fo;
    survkit_frame_options_init(&fo);
    fo.weights = weights;
    fo.groups = kind != 0;
    if (survkit_frame_build(s.table, formula, &fo, &s.frame, &err) != SURVKIT_OK) fail(&s, &err, formula);
    survkit_status st;
    if (kind == 0) {
        survkit_cox_options co;
        survkit_cox_options_init(&co);
        co.ties = (survkit_cox_ties)asInteger(ties_);
        co.robust = (survkit_cox_robust)asInteger(robust_);
        co.conf_level = asReal(conf_level_);
        st = survkit_cox_fit_frame(s.frame, &co, &s.cox, &err);
    } else if (kind == 1) {
        survkit_km_options ko;
        survkit_km_options_init(&ko);
        ko.conf_level = asReal(conf_level_);
        st = survkit_conf_type_parse(CHAR(STRING_ELT(conf_type_, 0)), &ko.conf_type, &err);
        if (st == SURVKIT_OK) st = survkit_km_fit_frame(s.frame, &ko, &s.km, &err);
    } else {
        survkit_logrank_options lo;
        survkit_logrank_options_init(&lo);
        lo.rho = asReal(rho_);
        st = survkit_logrank_test_frame(s.frame, &lo, &s.lr, &err);
    }
    if (st != SURVKIT_OK) fail(&s, &err, formula);
    SEXP out = PROTECT(kind == 0 ? cox_list(s.frame, s.cox)
                       : kind == 1 ? km_list(s.frame, s.km) : lr_list(s.frame, s.lr));
    fit_state_free(&s);
    UNPROTECT(1);
    return out;
}

static const R_CallMethodDef call_methods[] = {{"sk_fit", (DL_FUNC)&sk_fit, 9}, {NULL, NULL, 0}};

void R_init_survkit(DllInfo *dll)
{
    R_registerRoutines(dll, NULL, call_methods, NULL, NULL);
    R_useDynamicSymbols(dll, FALSE);
}
