/*
 * test_cox_null.c: survkit_cox_fit_arrays with no covariates and an offset (p = 0) against R's
 * coxph (tests/golden/make_golden_cox_null.R; the call is the first line of each file): the
 * partial likelihood is evaluated at the offset. The fit once evaluated it at whatever its
 * workspace held (zeros in fresh memory), which ignored the offset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "golden.h"
#include "survkit/survkit.h"

#define REL 1e-9

static void check_case(void **state)
{
    const char *name = *state;
    char path[256];
    snprintf(path, sizeof path, "cox_null/%s.txt", name);
    golden *g = golden_load(path);
    const size_t n = (size_t)golden_number(g, "n");
    int32_t *strata = NULL;
    const size_t n_strata = (size_t)golden_number(g, "n_strata");
    if (golden_length(g, "strata") > 0) {
        strata = malloc(n * sizeof *strata);
        assert_non_null(strata);
        for (size_t i = 0; i < n; i++) strata[i] = (int32_t)golden_numbers(g, "strata")[i];
    }
    survkit_cox_data d = {.n = n,
                          .p = 0,
                          .time = golden_numbers(g, "time"),
                          .status = golden_numbers(g, "status"),
                          .offset = golden_numbers(g, "offset"),
                          .strata = strata,
                          .n_strata = n_strata};
    survkit_cox_options opt;
    survkit_cox_options_init(&opt);
    opt.ties = strcmp(golden_string(g, "ties", 0), "breslow") == 0 ? SURVKIT_COX_BRESLOW
                                                                   : SURVKIT_COX_EFRON;
    survkit_cox_result *r = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_cox_fit_arrays(&d, &opt, &r, &err) != SURVKIT_OK)
        fail_msg("%s: fit failed: %s", name, err.message);
    char what[300];
    snprintf(what, sizeof what, "%s: loglik", name);
    assert_number_close(survkit_cox_result_loglik(r), golden_number(g, "loglik"), REL, 0, what);
    assert_number_close(survkit_cox_result_loglik_null(r), golden_number(g, "loglik"), REL, 0, what);
    snprintf(what, sizeof what, "%s: linear predictor", name);
    assert_int_equal(golden_length(g, "lp"), n);
    assert_numbers_close(survkit_cox_result_linear_predictor(r), golden_numbers(g, "lp"), n, REL,
                         1e-14, what);
    assert_true(survkit_cox_result_n_events(r) == golden_number(g, "nevent"));
    survkit_cox_result_free(r);
    free(strata);
    golden_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_prestate(check_case, (void *)"ovarian_offset_only"),
        cmocka_unit_test_prestate(check_case, (void *)"lung_offset_strata_breslow"),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
