/*
 * penal_fixture.h: what the penalised-Cox tests (test_frailty.c, test_pspline.c) share: a
 * committed dataset read with the library's CSV reader, and R's coxph with frailty(), ridge() or
 * pspline() terms fitted the way `survkit cox` fits it (frame of the formula and the weights
 * column, then survkit_frailty_fit_frame with the given ties), the check of a refusal, and the
 * check of a fit's df, loglik and penalty against its golden.
 * Header-only: each test program includes it once.
 */
#ifndef SURVKIT_TEST_PENAL_FIXTURE_H
#define SURVKIT_TEST_PENAL_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "golden.h"
#include "survkit/survkit.h"

/* datasets/<name>.csv (fails the test when unreadable). */
static survkit_table *penal_dataset(const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.csv", datasets_dir(), name);
    survkit_table *t = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_table_read_file(path, NULL, &t, &err) != SURVKIT_OK)
        fail_msg("cannot read %s: %s", path, err.message);
    return t;
}

/* The penalised fit of `formula` on t with case weights from column `weights` (NULL: none) and
 * R's robust argument. */
static survkit_status penal_fit_robust(survkit_table *t, const char *formula, const char *weights,
                                       survkit_cox_ties ties, survkit_cox_robust robust,
                                       survkit_frame **frame, survkit_frailty_result **fit,
                                       survkit_error *err)
{
    survkit_frame_options fo;
    survkit_frame_options_init(&fo);
    fo.groups = 0;
    fo.weights = weights;
    survkit_status st = survkit_frame_build(t, formula, &fo, frame, err);
    if (st != SURVKIT_OK) return st;
    survkit_frailty_options opt;
    survkit_frailty_options_init(&opt);
    opt.ties = ties;
    opt.robust = robust;
    return survkit_frailty_fit_frame(*frame, &opt, fit, err);
}

/* The model-based fit (R's robust = FALSE, which the goldens with fractional weights pass; with
 * whole weights and no cluster() it is R's default). */
static inline survkit_status penal_fit(survkit_table *t, const char *formula, const char *weights,
                                       survkit_cox_ties ties, survkit_frame **frame,
                                       survkit_frailty_result **fit, survkit_error *err)
{
    return penal_fit_robust(t, formula, weights, ties, SURVKIT_COX_ROBUST_OFF, frame, fit, err);
}

/* A golden case <dir>/<file>.txt fitted as its R call was: its dataset, formula, ties, weights
 * column and robust argument (`robust_default` when the golden has none, or not TRUE; fails the
 * test when the fit fails). Free with penal_case_free. */
typedef struct penal_case {
    golden *g;
    survkit_table *t;
    survkit_frame *frame;
    survkit_frailty_result *fit;
} penal_case;

static inline penal_case penal_case_fit_robust(const char *dir, const char *file,
                                               survkit_cox_robust robust_default)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s.txt", dir, file);
    penal_case c = {golden_load(path), NULL, NULL, NULL};
    c.t = penal_dataset(golden_string(c.g, "dataset", 0));
    survkit_error err;
    survkit_error_clear(&err);
    const survkit_cox_ties ties = strcmp(golden_string(c.g, "ties", 0), "breslow") == 0
                                      ? SURVKIT_COX_BRESLOW
                                      : SURVKIT_COX_EFRON;
    const char *weights = golden_length(c.g, "weights") ? golden_string(c.g, "weights", 0) : NULL;
    const survkit_cox_robust robust =
        golden_has(c.g, "robust") && strcmp(golden_string(c.g, "robust", 0), "TRUE") == 0
            ? SURVKIT_COX_ROBUST_ON
            : robust_default;
    if (penal_fit_robust(c.t, golden_string(c.g, "formula", 0), weights, ties, robust, &c.frame,
                         &c.fit, &err) != SURVKIT_OK)
        fail_msg("%s: %s", file, err.message);
    return c;
}

/* The same with the model-based variance (R's robust = FALSE). */
static inline penal_case penal_case_fit(const char *dir, const char *file)
{
    return penal_case_fit_robust(dir, file, SURVKIT_COX_ROBUST_OFF);
}

/* R's fit$df (relative tolerance df_rel, or df_abs absolutely), fit$loglik and fit$penalty (rel;
 * the final penalty also penalty_abs absolutely: it is near 0 in some fits) against the golden. */
static inline void penal_check_df_loglik_penalty(const survkit_frailty_result *fit, golden *g,
                                                 double rel, double df_rel, double df_abs,
                                                 double penalty_abs)
{
    assert_int_equal(survkit_frailty_result_n_df(fit), golden_length(g, "df"));
    assert_numbers_close(survkit_frailty_result_df(fit), golden_numbers(g, "df"),
                         golden_length(g, "df"), df_rel, df_abs, "df");
    const double *ll = golden_numbers(g, "loglik");
    assert_number_close(survkit_frailty_result_loglik_null(fit), ll[0], rel, 0, "loglik[1]");
    assert_number_close(survkit_frailty_result_loglik(fit), ll[1], rel, 0, "loglik[2]");
    const double *pen = golden_numbers(g, "penalty");
    assert_number_close(survkit_frailty_result_penalty_first(fit), pen[0], rel, 1e-12,
                        "penalty[1]");
    assert_number_close(survkit_frailty_result_penalty(fit), pen[1], rel, penalty_abs,
                        "penalty[2]");
}

static inline void penal_case_free(penal_case *c)
{
    survkit_frailty_result_free(c->fit);
    survkit_frame_free(c->frame);
    survkit_table_free(c->t);
    golden_free(c->g);
}

/* The fit of `formula` on t (no weights, Efron ties, R's robust argument `robust`) must fail
 * with a message containing `needle`. */
static void penal_expect_error_robust(survkit_table *t, const char *formula,
                                      survkit_cox_robust robust, const char *needle)
{
    survkit_frame *frame = NULL;
    survkit_frailty_result *fit = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    survkit_status st =
        penal_fit_robust(t, formula, NULL, SURVKIT_COX_EFRON, robust, &frame, &fit, &err);
    if (st == SURVKIT_OK) fail_msg("%s: expected an error", formula);
    if (strstr(err.message, needle) == NULL)
        fail_msg("%s: message '%s' lacks '%s'", formula, err.message, needle);
    survkit_frailty_result_free(fit);
    survkit_frame_free(frame);
}

/* The same for the model-based fit (inline: not every test program refuses that way). */
static inline void penal_expect_error(survkit_table *t, const char *formula, const char *needle)
{
    penal_expect_error_robust(t, formula, SURVKIT_COX_ROBUST_OFF, needle);
}

/* The pspline term whose columns start at column j of the fit (its index, and its column count in
 * *count), or SIZE_MAX when column j does not start one. */
static inline size_t penal_pspline_at(const survkit_frailty_result *fit, size_t j, size_t *count)
{
    for (size_t k = 0; k < survkit_frailty_result_n_pspline(fit); k++) {
        size_t first = 0;
        survkit_frailty_result_pspline_columns(fit, k, &first, count);
        if (first == j) return k;
    }
    return SIZE_MAX;
}

#endif /* SURVKIT_TEST_PENAL_FIXTURE_H */
