/*
 * fuzz_pipeline.c: the whole path from bytes to estimates. The input's first line is the formula,
 * the rest is the CSV file: table -> frame -> Kaplan-Meier (median, quantiles, restricted mean,
 * curve at times) and the log-rank test (pairwise and trend); then a Cox frame (no groups, X
 * checked) -> Cox fit (Efron, or Breslow when the input's length is odd). Whatever the bytes, each
 * stage returns a result or an error with a message.
 */
#include "fuzz_support.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *newline = memchr(data, '\n', size);
    if (newline == NULL) return 0;
    size_t formula_len = (size_t)(newline - data);
    char *formula = malloc(formula_len + 1);
    if (formula == NULL) return 0;
    memcpy(formula, data, formula_len);
    formula[formula_len] = '\0';
    const char *csv = (const char *)newline + 1;
    size_t csv_size = size - formula_len - 1;

    survkit_read_options ropt;
    survkit_read_options_init(&ropt);
    ropt.threads = 1;
    survkit_table *t = NULL;
    survkit_frame *f = NULL;
    survkit_error err;
    survkit_status st = survkit_table_read_buffer(csv, csv_size, "fuzz.csv", &ropt, &t, &err);
    fuzz_check_error(st, &err);
    if (st == SURVKIT_OK) {
        survkit_frame_options fopt;
        survkit_frame_options_init(&fopt);
        st = survkit_frame_build(t, formula, &fopt, &f, &err);
        fuzz_check_error(st, &err);
    }
    if (f != NULL) {
        fuzz_touch_frame(f);
        fuzz_fit_km_logrank(f);
    }
    survkit_frame_free(f);
    f = NULL;
    if (t != NULL) {
        survkit_frame_options fopt;
        survkit_frame_options_init(&fopt);
        fopt.groups = 0;
        st = survkit_frame_build(t, formula, &fopt, &f, &err);
        fuzz_check_error(st, &err);
        if (f != NULL) fuzz_fit_cox(f, (int)(size & 1));
        survkit_frame_free(f);
    }
    survkit_table_free(t);
    free(formula);
    return 0;
}
