/*
 * diag_fixture.h: what the diagnostics tests share: a golden case of tests/golden/diag/ (written
 * by tests/golden/make_golden_diag.R) turned into a fitted model the way the CLI makes one:
 * the committed dataset read with the library's CSV reader, the frame of the case's formula
 * (and weights column), coxph with the case's ties, and the survkit_cox_model of the fit, whole and
 * without its baseline hazard (SURVKIT_MODEL_NO_BASELINE, as the CLI's residuals and zph make it).
 * Header-only (static inline): each test program includes it once.
 */
#ifndef SURVKIT_TEST_DIAG_FIXTURE_H
#define SURVKIT_TEST_DIAG_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "golden.h"
#include "survkit/survkit.h"

typedef struct diag_case {
    golden *g;
    survkit_table *table;
    survkit_frame *frame;
    survkit_cox_result *fit;
    survkit_cox_model *model;
    survkit_cox_model *lean; /* the same made with SURVKIT_MODEL_NO_BASELINE */
    survkit_cox_data data;
} diag_case;

static inline survkit_cox_ties diag_ties(const char *name)
{
    if (strcmp(name, "breslow") == 0) return SURVKIT_COX_BRESLOW;
    if (strcmp(name, "exact") == 0) return SURVKIT_COX_EXACT;
    return SURVKIT_COX_EFRON;
}

/* The golden case's data (keys dataset, formula, weights): the committed dataset read with the
 * library's CSV reader and the frame of the formula; returns the weights column or NULL. */
static inline const char *diag_frame_load(const golden *g, survkit_table **table, survkit_frame **frame)
{
    char data_path[4096];
    snprintf(data_path, sizeof data_path, "%s/%s.csv", datasets_dir(), golden_string(g, "dataset", 0));
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_table_read_file(data_path, NULL, table, &err) != SURVKIT_OK)
        fail_msg("cannot read %s: %s", data_path, err.message);
    survkit_frame_options fo;
    survkit_frame_options_init(&fo);
    fo.groups = 0;
    if (golden_length(g, "weights") > 0) fo.weights = golden_string(g, "weights", 0);
    if (survkit_frame_build(*table, golden_string(g, "formula", 0), &fo, frame, &err) != SURVKIT_OK)
        fail_msg("frame: %s", err.message);
    return fo.weights;
}

/* The case of golden file <folder>/<file>.txt (keys dataset, formula, ties, weights). */
static inline void diag_case_load_from(const char *folder, const char *file, diag_case *c)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.txt", folder, file);
    memset(c, 0, sizeof *c);
    c->g = golden_load(path);
    const char *weights = diag_frame_load(c->g, &c->table, &c->frame);
    survkit_error err;
    survkit_error_clear(&err);
    survkit_cox_options opt;
    survkit_cox_options_init(&opt);
    opt.ties = diag_ties(golden_string(c->g, "ties", 0));
    if (survkit_cox_fit_frame(c->frame, &opt, &c->fit, &err) != SURVKIT_OK)
        fail_msg("fit: %s", err.message);
    if (survkit_cox_model_create_frame(c->fit, c->frame, weights, &c->model, &err) != SURVKIT_OK)
        fail_msg("model: %s", err.message);
    if (survkit_cox_model_create_frame_parts(c->fit, c->frame, weights, SURVKIT_MODEL_NO_BASELINE,
                                             &c->lean, &err) != SURVKIT_OK)
        fail_msg("model without baseline: %s", err.message);
    survkit_cox_data_from_frame(c->frame, &c->data);
}

static inline void diag_case_load(const char *file, diag_case *c) { diag_case_load_from("diag", file, c); }

static inline void diag_case_free(diag_case *c)
{
    survkit_cox_model_free(c->model);
    survkit_cox_model_free(c->lean);
    survkit_cox_result_free(c->fit);
    survkit_frame_free(c->frame);
    survkit_table_free(c->table);
    golden_free(c->g);
    memset(c, 0, sizeof *c);
}

#endif
