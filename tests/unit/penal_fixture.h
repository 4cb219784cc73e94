/*
 * penal_fixture.h: what the penalised-Cox tests (test_frailty.c, test_pspline.c) share: a
 * committed dataset read with the library's CSV reader, and R's coxph with frailty(), ridge() or
 * pspline() terms fitted the way `survkit cox` fits it (frame of the formula and the weights
 * column, then survkit_frailty_fit_frame with the given ties), and the check of a refusal.
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

/* A golden case <dir>/<file>.txt fitted as its R call was: its dataset, formula, ties and weights
 * column, the model-based variance (fails the test when the fit fails). Free with
 * penal_case_free. */
typedef struct penal_case {
    golden *g;
    survkit_table *t;
    survkit_frame *frame;
    survkit_frailty_result *fit;
} penal_case;

static inline penal_case penal_case_fit(const char *dir, const char *file)
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
    if (penal_fit(c.t, golden_string(c.g, "formula", 0), weights, ties, &c.frame, &c.fit, &err) !=
        SURVKIT_OK)
        fail_msg("%s: %s", file, err.message);
    return c;
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
