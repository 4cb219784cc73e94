/*
 * test_compete_cuminc.c: cumulative incidence curves (pstate, IJ std.err, limits of each
 * conf.type), with groups, weights, ties across causes, a cause without events in a group and
 * (start, stop] data with ids, and Gray's test with strata and rho, against R's
 * survfit(Surv(time, factor(event)) ~ g) and cmprsk::cuminc(...)$Tests
 * (tests/golden/make_golden_compete.R writes every expected number, with the R call).
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

static const char **strings_of(const golden *g, const char *key, size_t *k)
{
    *k = golden_length(g, key);
    const char **out = malloc(*k * sizeof *out);
    for (size_t j = 0; j < *k; j++) out[j] = golden_string(g, key, j);
    return out;
}

static void check_case(const char *name)
{
    golden *g = golden_load(name);
    const size_t n = golden_length(g, "time");
    int32_t *state = golden_int32(g, "state"), *group = golden_int32(g, "group"),
            *strata = golden_int32(g, "strata"), *id = golden_int32(g, "id");
    size_t J, G;
    const char **states = strings_of(g, "states", &J), **labels = strings_of(g, "labels", &G);
    size_t n_strata = 0;
    for (size_t i = 0; strata && i < n; i++)
        if ((size_t)strata[i] + 1 > n_strata) n_strata = (size_t)strata[i] + 1;

    survkit_cuminc_options opt;
    survkit_cuminc_options_init(&opt);
    survkit_error err;
    assert_int_equal(survkit_conf_type_parse(golden_string(g, "conf_type", 0), &opt.conf_type, &err),
                     SURVKIT_OK);
    opt.conf_level = golden_number(g, "conf_level");
    opt.rho = golden_number(g, "rho");
    survkit_cuminc_data d = {n, golden_has(g, "start") ? golden_numbers(g, "start") : NULL,
                             golden_numbers(g, "time"), state, J, states,
                             golden_has(g, "weights") ? golden_numbers(g, "weights") : NULL, id,
                             group, G, labels, strata, n_strata};
    survkit_cuminc *fit = NULL;
    if (survkit_cuminc_fit(&d, &opt, &fit, &err) != SURVKIT_OK)
        fail_msg("%s: fit failed: %s", name, err.message);
    assert_int_equal(survkit_cuminc_n_groups(fit), G);
    assert_int_equal(survkit_cuminc_n_states(fit), J);
    assert_string_equal(survkit_cuminc_state_label(fit, 0), "(s0)");

    const double *sizes = golden_numbers(g, "strata_sizes");
    const size_t total = golden_length(g, "out_time");
    const double *r_time = golden_numbers(g, "out_time"), *r_nrisk = golden_numbers(g, "n_risk"),
                 *r_ncens = golden_numbers(g, "n_censor");
    static const char *const keys[] = {"n_event", "pstate", "std_err", "lower", "upper"};
    static const survkit_cuminc_column cols[] = {SURVKIT_CUMINC_N_EVENT, SURVKIT_CUMINC_PSTATE,
                                                 SURVKIT_CUMINC_STD_ERR, SURVKIT_CUMINC_LOWER,
                                                 SURVKIT_CUMINC_UPPER};
    size_t offset = 0;
    char what[160];
    for (size_t k = 0; k < G; k++) {
        const size_t nt = (size_t)sizes[k];
        assert_int_equal(survkit_cuminc_n_times(fit, k), nt);
        snprintf(what, sizeof what, "%s group %zu time", name, k);
        assert_numbers_close(survkit_cuminc_values(fit, k, 0, SURVKIT_CUMINC_TIME), r_time + offset,
                             nt, REL, 0, what);
        snprintf(what, sizeof what, "%s group %zu n_risk", name, k);
        assert_numbers_close(survkit_cuminc_values(fit, k, 0, SURVKIT_CUMINC_N_RISK),
                             r_nrisk + offset, nt, REL, 1e-12, what);
        snprintf(what, sizeof what, "%s group %zu n_censor", name, k);
        assert_numbers_close(survkit_cuminc_values(fit, k, 0, SURVKIT_CUMINC_N_CENSOR),
                             r_ncens + offset, nt, REL, 1e-12, what);
        for (size_t s = 0; s <= J; s++)
            for (size_t c = 0; c < 5; c++) {
                snprintf(what, sizeof what, "%s group %zu state %zu %s", name, k, s, keys[c]);
                /* absolute 1e-13 for values that are 0 in exact arithmetic (an IJ std.err of a
                 * curve still at 0 or 1 is a difference of rounded sums) */
                assert_numbers_close(survkit_cuminc_values(fit, k, s, cols[c]),
                                     golden_numbers(g, keys[c]) + s * total + offset, nt, REL,
                                     1e-13, what);
            }
        offset += nt;
    }
    assert_int_equal(offset, total);

    if (golden_has(g, "gray_state")) {
        const size_t m = golden_length(g, "gray_state");
        const double *st = golden_numbers(g, "gray_state"), *stat = golden_numbers(g, "gray_stat"),
                     *p = golden_numbers(g, "gray_p"), *df = golden_numbers(g, "gray_df");
        for (size_t q = 0; q < m; q++) {
            double s_stat, s_df, s_p;
            assert_true(survkit_cuminc_gray(fit, (size_t)st[q], &s_stat, &s_df, &s_p));
            snprintf(what, sizeof what, "%s Gray's test, state %g", name, st[q]);
            assert_number_close(s_stat, stat[q], REL, 0, what);
            assert_number_close(s_p, p[q], REL, 1e-15, what);
            assert_number_close(s_df, df[q], 0, 0, what);
        }
    } else {
        double a, b, c;
        assert_false(survkit_cuminc_gray(fit, 1, &a, &b, &c));
    }
    survkit_cuminc_free(fit);
    free(state);
    free(group);
    free(strata);
    free(id);
    free(states);
    free(labels);
    golden_free(g);
}

static void test_pbc_edema(void **state) { (void)state; check_case("compete/pbc_edema.txt"); }
static void test_pbc_trt_strata(void **state) { (void)state; check_case("compete/pbc_trt_strata_loglog90.txt"); }
static void test_pbc_stage_rho1(void **state) { (void)state; check_case("compete/pbc_stage_rho1.txt"); }
static void test_pbc_all(void **state) { (void)state; check_case("compete/pbc_all.txt"); }
static void test_syn_groups(void **state) { (void)state; check_case("compete/syn_groups.txt"); }
static void test_syn_weights(void **state) { (void)state; check_case("compete/syn_weights_logit.txt"); }
static void test_syn_counting(void **state) { (void)state; check_case("compete/syn_counting_arcsin.txt"); }
static void test_syn_counting_all(void **state) { (void)state; check_case("compete/syn_counting_all.txt"); }

/* summary(fit, times =) and print(fit, rmean = 3000) of pbc ~ edema, through the getters. */
static void test_summaries(void **state)
{
    (void)state;
    golden *g = golden_load("compete/pbc_edema.txt"), *e = golden_load("compete/pbc_edema_summaries.txt");
    const size_t n = golden_length(g, "time");
    int32_t *st = golden_int32(g, "state"), *group = golden_int32(g, "group");
    survkit_cuminc_data d = {n, NULL, golden_numbers(g, "time"), st, 2, NULL, NULL, NULL, group, 3,
                             NULL, NULL, 0};
    survkit_cuminc *fit = NULL;
    survkit_error err;
    assert_int_equal(survkit_cuminc_fit(&d, NULL, &fit, &err), SURVKIT_OK);
    const double *times = golden_numbers(e, "times"), *pst = golden_numbers(e, "at_pstate"),
                 *se = golden_numbers(e, "at_std_err"), *rmean = golden_numbers(e, "rmean");
    const size_t m = golden_length(e, "times"), rows = 3 * m;
    char what[96];
    for (size_t k = 0; k < 3; k++)
        for (size_t s = 0; s <= 2; s++) {
            double p[3], sd[3], lo[3], hi[3];
            assert_int_equal(survkit_cuminc_at_times(fit, k, s, times, m, p, sd, lo, hi, &err), SURVKIT_OK);
            snprintf(what, sizeof what, "summary(times=) group %zu state %zu pstate", k, s);
            assert_numbers_close(p, pst + s * rows + k * m, m, REL, 1e-15, what);
            snprintf(what, sizeof what, "summary(times=) group %zu state %zu std.err", k, s);
            assert_numbers_close(sd, se + s * rows + k * m, m, REL, 1e-15, what);
            double area;
            assert_int_equal(survkit_cuminc_rmtl(fit, k, s, 3000, &area, &err), SURVKIT_OK);
            snprintf(what, sizeof what, "rmean group %zu state %zu", k, s);
            assert_number_close(area, rmean[s * 3 + k], REL, 1e-12, what);
        }
    survkit_cuminc_free(fit);
    free(st);
    free(group);
    golden_free(g);
    golden_free(e);
}

/*
 * The three ways through the fit give R's numbers of pbc ~ edema: counts on a grid (integer
 * times, above), counts in (group, time) order (the times made non-integer by t -> 1.5 t + 0.1,
 * which leaves every curve value as it was), and the row-by-row pass (unit case weights).
 */
static void test_paths(void **state)
{
    (void)state;
    golden *g = golden_load("compete/pbc_edema.txt");
    const size_t n = golden_length(g, "time"), total = golden_length(g, "out_time");
    int32_t *st = golden_int32(g, "state"), *group = golden_int32(g, "group");
    double *t = malloc(n * sizeof *t), *w = malloc(n * sizeof *w);
    for (size_t i = 0; i < n; i++) {
        t[i] = 1.5 * golden_numbers(g, "time")[i] + 0.1;
        w[i] = 1;
    }
    const double *sizes = golden_numbers(g, "strata_sizes");
    for (int path = 0; path < 2; path++) {
        survkit_cuminc_data d = {n, NULL, path == 0 ? t : golden_numbers(g, "time"), st, 2, NULL,
                                 path == 1 ? w : NULL, NULL, group, 3, NULL, NULL, 0};
        survkit_cuminc *fit = NULL;
        survkit_error err;
        assert_int_equal(survkit_cuminc_fit(&d, NULL, &fit, &err), SURVKIT_OK);
        size_t offset = 0;
        for (size_t k = 0; k < 3; k++) {
            const size_t nt = (size_t)sizes[k];
            assert_int_equal(survkit_cuminc_n_times(fit, k), nt);
            for (size_t s = 0; s <= 2; s++) {
                char what[96];
                snprintf(what, sizeof what, "path %d group %zu state %zu pstate", path, k, s);
                assert_numbers_close(survkit_cuminc_values(fit, k, s, SURVKIT_CUMINC_PSTATE),
                                     golden_numbers(g, "pstate") + s * total + offset, nt, REL,
                                     1e-13, what);
                snprintf(what, sizeof what, "path %d group %zu state %zu std.err", path, k, s);
                assert_numbers_close(survkit_cuminc_values(fit, k, s, SURVKIT_CUMINC_STD_ERR),
                                     golden_numbers(g, "std_err") + s * total + offset, nt, REL,
                                     1e-13, what);
            }
            offset += nt;
        }
        double stat, df, p;
        assert_true(survkit_cuminc_gray(fit, 2, &stat, &df, &p) == (path == 0));
        survkit_cuminc_free(fit);
    }
    free(t);
    free(w);
    free(st);
    free(group);
    golden_free(g);
}

/* Bad input: one state only; (start, stop] data without ids; a row after its subject's event. */
static void test_errors(void **state)
{
    (void)state;
    const double time[] = {1, 2, 3, 4}, start[] = {0, 1, 0, 0};
    const int32_t st1[] = {1, 0, 1, 1}, st2[] = {1, 2, 0, 1}, id[] = {0, 0, 1, 2};
    survkit_cuminc_data d = {4, NULL, time, st1, 1, NULL, NULL, NULL, NULL, 1, NULL, NULL, 0};
    survkit_cuminc *fit = NULL;
    survkit_error err;
    assert_int_equal(survkit_cuminc_fit(&d, NULL, &fit, &err), SURVKIT_ERR_ARGUMENT);
    assert_null(fit);
    d.n_states = 2;
    d.state = st2;
    d.start = start;
    assert_int_equal(survkit_cuminc_fit(&d, NULL, &fit, &err), SURVKIT_ERR_ARGUMENT);
    d.id = id; /* subject 0: an event at 1, then another row */
    assert_int_equal(survkit_cuminc_fit(&d, NULL, &fit, &err), SURVKIT_ERR_ARGUMENT);
    assert_non_null(strstr(err.message, "follows"));
    assert_null(fit);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pbc_edema),      cmocka_unit_test(test_pbc_trt_strata),
        cmocka_unit_test(test_pbc_stage_rho1), cmocka_unit_test(test_pbc_all),
        cmocka_unit_test(test_syn_groups),     cmocka_unit_test(test_syn_weights),
        cmocka_unit_test(test_syn_counting),   cmocka_unit_test(test_syn_counting_all),
        cmocka_unit_test(test_summaries),      cmocka_unit_test(test_paths),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
