/*
 * test_km.c: Kaplan-Meier curves, confidence intervals, medians, quantiles, restricted means and
 * the curve at chosen times, against R's survfit (tests/golden/make_golden_km.R writes every
 * expected number, with the R call, into tests/golden/km/).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "golden.h"
#include "survkit/survkit.h"

#define REL 1e-9

static const survkit_km_column curve_columns[] = {
    SURVKIT_KM_TIME, SURVKIT_KM_N_RISK, SURVKIT_KM_N_EVENT, SURVKIT_KM_N_CENSOR, SURVKIT_KM_SURV,
    SURVKIT_KM_STD_ERR, SURVKIT_KM_LOWER, SURVKIT_KM_UPPER, SURVKIT_KM_CUMHAZ, SURVKIT_KM_STD_CHAZ};
static const char *const curve_keys[] = {"out_time", "n_risk", "n_event", "n_censor", "surv",
                                         "std_err", "lower", "upper", "cumhaz", "std_chaz"};

/* Fit the case stored in golden file `name` and compare everything R computed. */
static void check_case(const char *name)
{
    golden *g = golden_load(name);
    size_t n = golden_length(g, "time");
    const double *gcodes = golden_numbers(g, "group");
    int32_t *group = malloc(n * sizeof *group);
    for (size_t i = 0; i < n; i++) group[i] = (int32_t)gcodes[i];
    size_t k = golden_length(g, "labels");
    const char **labels = malloc(k * sizeof *labels);
    for (size_t j = 0; j < k; j++) labels[j] = golden_string(g, "labels", j);

    survkit_km_options opt;
    survkit_km_options_init(&opt);
    survkit_error err;
    assert_int_equal(survkit_conf_type_parse(golden_string(g, "conf_type", 0), &opt.conf_type, &err),
                     SURVKIT_OK);
    opt.conf_level = golden_number(g, "conf_level");
    opt.ctype = (int)golden_number(g, "ctype");
    if (golden_has(g, "robust")) opt.robust = (int)golden_number(g, "robust");
    survkit_km *km = NULL;
    survkit_status st = survkit_km_fit(n, golden_has(g, "start") ? golden_numbers(g, "start") : NULL,
                                       golden_numbers(g, "time"), golden_numbers(g, "status"),
                                       golden_has(g, "weights") ? golden_numbers(g, "weights") : NULL,
                                       group, k, labels, &opt, &km, &err);
    if (st != SURVKIT_OK) fail_msg("%s: fit failed: %s", name, err.message);
    assert_int_equal(survkit_km_n_groups(km), k);
    assert_int_equal(survkit_km_is_counting(km), golden_has(g, "start"));

    const double *sizes = golden_numbers(g, "strata_sizes");
    const size_t np = golden_length(g, "probs");
    const double *probs = golden_numbers(g, "probs");
    double *qe = malloc(np * sizeof *qe), *ql = malloc(np * sizeof *ql), *qu = malloc(np * sizeof *qu);
    size_t offset = 0;
    char what[128];
    for (size_t j = 0; j < k; j++) {
        assert_string_equal(survkit_km_group_label(km, j), labels[j]);
        size_t nt = survkit_km_n_times(km, j);
        assert_int_equal(nt, (size_t)sizes[j]);
        for (size_t c = 0; c < sizeof curve_columns / sizeof curve_columns[0]; c++) {
            snprintf(what, sizeof what, "%s group %zu %s", name, j, curve_keys[c]);
            assert_numbers_close(survkit_km_column_values(km, j, curve_columns[c]),
                                 golden_numbers(g, curve_keys[c]) + offset, nt, REL, 0, what);
        }
        offset += nt;
        snprintf(what, sizeof what, "%s group %zu records", name, j);
        assert_number_close((double)survkit_km_records(km, j), golden_numbers(g, "records")[j], 0, 0, what);
        snprintf(what, sizeof what, "%s group %zu n.max", name, j);
        assert_number_close(survkit_km_n_max(km, j), golden_numbers(g, "n_max")[j], REL, 0, what);
        snprintf(what, sizeof what, "%s group %zu n.start", name, j);
        assert_number_close(survkit_km_n_start(km, j), golden_numbers(g, "n_start")[j], REL, 0, what);
        snprintf(what, sizeof what, "%s group %zu events", name, j);
        assert_number_close(survkit_km_events(km, j), golden_numbers(g, "events")[j], REL, 0, what);

        double med[3];
        survkit_km_median(km, j, med);
        const char *mkeys[3] = {"median", "lcl", "ucl"};
        for (int m = 0; m < 3; m++) {
            snprintf(what, sizeof what, "%s group %zu %s", name, j, mkeys[m]);
            assert_number_close(med[m], golden_numbers(g, mkeys[m])[j], REL, 0, what);
        }
        assert_int_equal(survkit_km_quantiles(km, j, probs, np, qe, ql, qu, &err), SURVKIT_OK);
        snprintf(what, sizeof what, "%s group %zu quantile", name, j);
        assert_numbers_close(qe, golden_numbers(g, "q_est") + j * np, np, REL, 0, what);
        snprintf(what, sizeof what, "%s group %zu quantile lower", name, j);
        assert_numbers_close(ql, golden_numbers(g, "q_lower") + j * np, np, REL, 0, what);
        snprintf(what, sizeof what, "%s group %zu quantile upper", name, j);
        assert_numbers_close(qu, golden_numbers(g, "q_upper") + j * np, np, REL, 0, what);

        if (golden_has(g, "rmean")) {
            double est, se;
            assert_int_equal(survkit_km_rmst(km, j, golden_number(g, "tau"), &est, &se, &err), SURVKIT_OK);
            snprintf(what, sizeof what, "%s group %zu rmean", name, j);
            assert_number_close(est, golden_numbers(g, "rmean")[j], REL, 0, what);
            snprintf(what, sizeof what, "%s group %zu se(rmean)", name, j);
            assert_number_close(se, golden_numbers(g, "se_rmean")[j], REL, 1e-300, what);
        }
    }
    assert_int_equal(offset, golden_length(g, "out_time"));

    if (golden_has(g, "times")) {
        size_t nt = golden_length(g, "times");
        const double *at_group = golden_numbers(g, "at_group");
        const char *keys[8] = {"at_time", "at_n_risk", "at_n_event", "at_n_censor",
                               "at_surv", "at_std_err", "at_lower", "at_upper"};
        double *buf = malloc(8 * nt * sizeof *buf);
        double *out[8];
        for (int c = 0; c < 8; c++) out[c] = buf + c * nt;
        size_t row = 0;
        for (size_t j = 0; j < k; j++) {
            size_t n_rows = 0;
            assert_int_equal(survkit_km_at_times(km, j, golden_numbers(g, "times"), nt, out, &n_rows, &err),
                             SURVKIT_OK);
            for (size_t r = 0; r < n_rows; r++, row++) {
                assert_int_equal((size_t)at_group[row], j);
                for (int c = 0; c < 8; c++) {
                    snprintf(what, sizeof what, "%s group %zu summary(times) %s row %zu", name, j, keys[c], r);
                    assert_number_close(out[c][r], golden_numbers(g, keys[c])[row], REL, 1e-12, what);
                }
            }
        }
        assert_int_equal(row, golden_length(g, "at_time"));
        free(buf);
    }
    free(qe);
    free(ql);
    free(qu);
    survkit_km_free(km);
    free(labels);
    free(group);
    golden_free(g);
}

#define CASE(fn, file) static void fn(void **state) { (void)state; check_case("km/" file); }
CASE(test_lung_by_sex_log, "lung_sex.txt")
CASE(test_lung_loglog_90, "lung_all_loglog90.txt")
CASE(test_aml_plain, "aml_plain.txt")
CASE(test_ovarian_logit_99, "ovarian_logit99.txt")
CASE(test_veteran_arcsin_80_four_groups, "veteran_arcsin80.txt")
CASE(test_veteran_fleming_harrington, "veteran_fh.txt")
CASE(test_heart_counting_process, "heart_counting.txt")
CASE(test_bladder2_counting_loglog, "bladder2_counting_loglog.txt")
CASE(test_lung_case_weights, "lung_weights.txt")
CASE(test_heavy_ties_fh, "lung_ties_fh.txt")
CASE(test_group_without_events, "no_events_group.txt")
CASE(test_single_observation, "single.txt")
CASE(test_flat_stretch_at_half, "flat_half.txt")
CASE(test_robust_lung_by_sex_log, "robust_lung_sex_log.txt")
CASE(test_robust_lung_loglog, "robust_lung_all_loglog.txt")
CASE(test_robust_lung_plain_fleming_harrington, "robust_lung_sex_plain_fh.txt")
CASE(test_robust_veteran_four_groups, "robust_veteran_karno.txt")
CASE(test_robust_veteran_loglog_fleming_harrington, "robust_veteran_karno_loglog_fh.txt")
CASE(test_robust_off_is_greenwood, "robust_off_lung_sex.txt")
CASE(test_robust_on_with_integer_weights, "robust_on_integer_weights.txt")
CASE(test_robust_heart_counting_process, "robust_heart_counting.txt")
CASE(test_robust_bladder2_counting_loglog, "robust_bladder2_counting_loglog.txt")
CASE(test_robust_weight_spread, "robust_spread_lung.txt")
CASE(test_robust_weight_spread_fh, "robust_spread_lung_fh.txt")
CASE(test_robust_weight_spread_counting, "robust_spread_heart_counting.txt")
CASE(test_greenwood_weight_spread, "spread_lung_greenwood.txt")

/*
 * The case in golden file `name` with every row repeated COPIES times (over 100,000 rows: the
 * checks and the time grid then run in two halves on two threads): the same times and survival as
 * R's curve of the original rows, and COPIES times its counts.
 */
static void check_replicated(const char *name)
{
    enum { COPIES = 600 };
    golden *g = golden_load(name);
    const size_t n = golden_length(g, "time"), big = n * COPIES;
    const bool counting = golden_has(g, "start"), weighted = golden_has(g, "weights");
    double *start = malloc(big * sizeof *start), *time = malloc(big * sizeof *time);
    double *status = malloc(big * sizeof *status), *weights = malloc(big * sizeof *weights);
    int32_t *group = malloc(big * sizeof *group);
    for (size_t c = 0; c < COPIES; c++)
        for (size_t i = 0; i < n; i++) {
            const size_t r = c * n + i;
            start[r] = counting ? golden_numbers(g, "start")[i] : 0;
            time[r] = golden_numbers(g, "time")[i];
            status[r] = golden_numbers(g, "status")[i];
            weights[r] = weighted ? golden_numbers(g, "weights")[i] : 1;
            group[r] = (int32_t)golden_numbers(g, "group")[i];
        }
    const size_t k = golden_length(g, "labels");
    survkit_km_options opt;
    survkit_km_options_init(&opt);
    opt.conf_level = golden_number(g, "conf_level");
    opt.ctype = (int)golden_number(g, "ctype");
    survkit_km *km = NULL;
    survkit_error err;
    assert_int_equal(survkit_km_fit(big, counting ? start : NULL, time, status,
                                    weighted ? weights : NULL, group, k, NULL, &opt, &km, &err),
                     SURVKIT_OK);
    const double *sizes = golden_numbers(g, "strata_sizes");
    const survkit_km_column counts[] = {SURVKIT_KM_N_RISK, SURVKIT_KM_N_EVENT, SURVKIT_KM_N_CENSOR};
    const char *const count_keys[] = {"n_risk", "n_event", "n_censor"};
    size_t offset = 0;
    char what[128];
    for (size_t j = 0; j < k; j++) {
        const size_t nt = survkit_km_n_times(km, j);
        assert_int_equal(nt, (size_t)sizes[j]);
        snprintf(what, sizeof what, "%s x%d group %zu time", name, COPIES, j);
        assert_numbers_close(survkit_km_column_values(km, j, SURVKIT_KM_TIME),
                             golden_numbers(g, "out_time") + offset, nt, 0, 0, what);
        snprintf(what, sizeof what, "%s x%d group %zu surv", name, COPIES, j);
        assert_numbers_close(survkit_km_column_values(km, j, SURVKIT_KM_SURV),
                             golden_numbers(g, "surv") + offset, nt, 1e-12, 0, what);
        for (size_t c = 0; c < 3; c++) {
            const double *got = survkit_km_column_values(km, j, counts[c]);
            const double *want = golden_numbers(g, count_keys[c]) + offset;
            for (size_t q = 0; q < nt; q++) {
                snprintf(what, sizeof what, "%s x%d group %zu %s", name, COPIES, j, count_keys[c]);
                assert_number_close(got[q], COPIES * want[q], 1e-12, 0, what);
            }
        }
        offset += nt;
    }
    survkit_km_free(km);
    free(start), free(time), free(status), free(weights), free(group);
    golden_free(g);
}

static void test_replicated_rows_two_threads(void **state)
{
    (void)state;
    check_replicated("km/lung_sex.txt");              /* integer days, two groups */
    check_replicated("km/lung_weights.txt");          /* integer case weights */
    check_replicated("km/bladder2_counting_loglog.txt"); /* (start, stop] on integer days */
    check_replicated("km/heart_counting.txt");        /* (start, stop], not all integers */
}

/* Over 100,000 rows the checks run in two halves: a bad row in either is found, and named. */
static void test_bad_row_in_either_half(void **state)
{
    (void)state;
    enum { N = 200000 };
    double *time = malloc(N * sizeof *time), *status = malloc(N * sizeof *status);
    for (size_t i = 0; i < N; i++) time[i] = (double)(i % 100 + 1), status[i] = (double)(i % 2);
    const size_t bad_rows[] = {17, N - 5};
    for (size_t k = 0; k < 2; k++) {
        status[bad_rows[k]] = 3;
        survkit_km *km = NULL;
        survkit_error err;
        assert_int_equal(survkit_km_fit(N, NULL, time, status, NULL, NULL, 1, NULL, NULL, &km, &err),
                         SURVKIT_ERR_DOMAIN);
        char want[64];
        snprintf(want, sizeof want, "row %zu: status must be 0 or 1", bad_rows[k] + 1);
        assert_non_null(strstr(err.message, want));
        status[bad_rows[k]] = 1;
    }
    free(time), free(status);
}

static void test_bad_inputs_are_errors(void **state)
{
    (void)state;
    const double time[] = {1, 2, 3}, status[] = {1, 2, 0}, ok_status[] = {1, 0, 1};
    const double start[] = {0, 2, 1}, weights[] = {1, -1, 1};
    survkit_km *km = (survkit_km *)1;
    survkit_error err;
    assert_int_equal(survkit_km_fit(3, NULL, time, status, NULL, NULL, 1, NULL, NULL, &km, &err),
                     SURVKIT_ERR_DOMAIN);
    assert_null(km);
    assert_int_equal(survkit_km_fit(3, start, time, ok_status, NULL, NULL, 1, NULL, NULL, &km, &err),
                     SURVKIT_ERR_DOMAIN);
    assert_int_equal(survkit_km_fit(3, NULL, time, ok_status, weights, NULL, 1, NULL, NULL, &km, &err),
                     SURVKIT_ERR_DOMAIN);
    survkit_km_options opt;
    survkit_km_options_init(&opt);
    opt.conf_level = 1;
    assert_int_equal(survkit_km_fit(3, NULL, time, ok_status, NULL, NULL, 1, NULL, &opt, &km, &err),
                     SURVKIT_ERR_ARGUMENT);
    survkit_conf_type type;
    assert_int_equal(survkit_conf_type_parse("loglog", &type, &err), SURVKIT_ERR_ARGUMENT);
    assert_int_equal(survkit_km_fit(3, NULL, time, ok_status, NULL, NULL, 1, NULL, NULL, &km, &err),
                     SURVKIT_OK);
    assert_string_equal(survkit_km_group_label(km, 0), "all");
    double est, se;
    /* print(fit, rmean = 0.5): "Truncation point for the mean is < smallest survival" */
    assert_int_equal(survkit_km_rmst(km, 0, 0.5, &est, &se, &err), SURVKIT_ERR_ARGUMENT);
    const double bad_p = 1.5;
    assert_int_equal(survkit_km_quantiles(km, 0, &bad_p, 1, &est, &est, &est, &err), SURVKIT_ERR_ARGUMENT);
    survkit_km_free(km);
    survkit_km_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lung_by_sex_log),
        cmocka_unit_test(test_lung_loglog_90),
        cmocka_unit_test(test_aml_plain),
        cmocka_unit_test(test_ovarian_logit_99),
        cmocka_unit_test(test_veteran_arcsin_80_four_groups),
        cmocka_unit_test(test_veteran_fleming_harrington),
        cmocka_unit_test(test_heart_counting_process),
        cmocka_unit_test(test_bladder2_counting_loglog),
        cmocka_unit_test(test_lung_case_weights),
        cmocka_unit_test(test_heavy_ties_fh),
        cmocka_unit_test(test_group_without_events),
        cmocka_unit_test(test_single_observation),
        cmocka_unit_test(test_flat_stretch_at_half),
        cmocka_unit_test(test_robust_lung_by_sex_log),
        cmocka_unit_test(test_robust_lung_loglog),
        cmocka_unit_test(test_robust_lung_plain_fleming_harrington),
        cmocka_unit_test(test_robust_veteran_four_groups),
        cmocka_unit_test(test_robust_veteran_loglog_fleming_harrington),
        cmocka_unit_test(test_robust_off_is_greenwood),
        cmocka_unit_test(test_robust_on_with_integer_weights),
        cmocka_unit_test(test_robust_heart_counting_process),
        cmocka_unit_test(test_robust_weight_spread),
        cmocka_unit_test(test_robust_weight_spread_fh),
        cmocka_unit_test(test_robust_weight_spread_counting),
        cmocka_unit_test(test_greenwood_weight_spread),
        cmocka_unit_test(test_robust_bladder2_counting_loglog),
        cmocka_unit_test(test_bad_inputs_are_errors),
        cmocka_unit_test(test_replicated_rows_two_threads),
        cmocka_unit_test(test_bad_row_in_either_half),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
