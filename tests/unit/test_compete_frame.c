/*
 * test_compete_frame.c: a status that is a factor of states (survkit_frame_options.states): the
 * coding of string and integer statuses, --censor, missing values, the errors; and the frame entry
 * points of cuminc and finegray against R (tests/golden/compete/: syn_groups.txt is
 * survfit(Surv(time, factor(event)) ~ g) on tests/data/compete/synthetic.csv, fg_pbc_death.txt
 * crr on pbc).
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

/* A small table: time, a text status with a missing value, an integer status, a group. */
static survkit_table *small_table(void)
{
    const double time[] = {5, 3, 8, 2, 7, 4};
    const double code[] = {2, 0, 1, 1, 0, 3};
    const char *event[] = {"relapse", "censored", "death", NULL, "censored", "death"};
    const char *g[] = {"a", "b", "a", "b", "a", "b"};
    survkit_table *t = NULL;
    survkit_error err;
    assert_int_equal(survkit_table_create(6, &t, &err), SURVKIT_OK);
    assert_int_equal(survkit_table_add_numeric(t, "time", time, &err), SURVKIT_OK);
    assert_int_equal(survkit_table_add_string(t, "event", event, &err), SURVKIT_OK);
    assert_int_equal(survkit_table_add_numeric(t, "code", code, &err), SURVKIT_OK);
    assert_int_equal(survkit_table_add_string(t, "g", g, &err), SURVKIT_OK);
    return t;
}

static survkit_frame *states_frame(const survkit_table *t, const char *formula, const char *censor,
                                   survkit_status expect, survkit_error *err)
{
    survkit_frame_options opt;
    survkit_frame_options_init(&opt);
    opt.states = 1;
    opt.censor = censor;
    survkit_frame *f = NULL;
    assert_int_equal(survkit_frame_build(t, formula, &opt, &f, err), expect);
    return f;
}

static void test_string_status(void **state)
{
    (void)state;
    survkit_table *t = small_table();
    survkit_error err;
    survkit_frame *f = states_frame(t, "Surv(time, event) ~ g", NULL, SURVKIT_OK, &err);
    assert_int_equal(survkit_frame_n(f), 5); /* the missing status dropped */
    assert_int_equal(survkit_frame_n_states(f), 2);
    assert_string_equal(survkit_frame_state_label(f, 0), "censored"); /* the first level */
    assert_string_equal(survkit_frame_state_label(f, 1), "death");
    assert_string_equal(survkit_frame_state_label(f, 2), "relapse");
    const double expect[] = {2, 0, 1, 0, 1};
    for (size_t i = 0; i < 5; i++) assert_true(survkit_frame_status(f)[i] == expect[i]);
    survkit_frame_free(f);
    /* --censor another level: the states are the others, in order */
    f = states_frame(t, "Surv(time, event) ~ g", "death", SURVKIT_OK, &err);
    assert_string_equal(survkit_frame_state_label(f, 0), "death");
    assert_string_equal(survkit_frame_state_label(f, 1), "censored");
    survkit_frame_free(f);
    f = states_frame(t, "Surv(time, event) ~ g", "alive", SURVKIT_ERR_DOMAIN, &err);
    assert_null(f);
    assert_non_null(strstr(err.message, "'alive' is not a value"));
    survkit_table_free(t);
}

static void test_integer_status(void **state)
{
    (void)state;
    survkit_table *t = small_table();
    survkit_error err;
    survkit_frame *f = states_frame(t, "Surv(time, code) ~ 1", NULL, SURVKIT_OK, &err);
    assert_int_equal(survkit_frame_n_states(f), 3);
    assert_string_equal(survkit_frame_state_label(f, 0), "0");
    assert_string_equal(survkit_frame_state_label(f, 3), "3");
    const double expect[] = {2, 0, 1, 1, 0, 3};
    for (size_t i = 0; i < 6; i++) assert_true(survkit_frame_status(f)[i] == expect[i]);
    survkit_cuminc *fit = NULL;
    assert_int_equal(survkit_cuminc_fit_frame(f, NULL, NULL, &fit, &err), SURVKIT_OK);
    assert_string_equal(survkit_cuminc_state_label(fit, 2), "2");
    survkit_cuminc_free(fit);
    survkit_finegray *fg = NULL; /* --cause naming the censoring level */
    assert_int_equal(survkit_finegray_fit_frame(f, "0", NULL, &fg, &err), SURVKIT_ERR_DOMAIN);
    assert_non_null(strstr(err.message, "censoring level"));
    survkit_frame_free(f);
    /* one state only (a logical status): cuminc refuses it, naming the state */
    f = states_frame(t, "Surv(time, code == 2) ~ 1", NULL, SURVKIT_OK, &err);
    assert_int_equal(survkit_frame_n_states(f), 1);
    assert_int_equal(survkit_cuminc_fit_frame(f, NULL, NULL, &fit, &err), SURVKIT_ERR_DOMAIN);
    assert_non_null(strstr(err.message, "competing risks need two or more"));
    assert_null(fit);
    survkit_frame_free(f);
    survkit_table_free(t);
}

/* The frame entry point on the synthetic data equals the array fit R checked (syn_groups.txt). */
static void test_frame_fits(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/../data/compete/synthetic.csv", golden_dir());
    survkit_table *t = NULL;
    survkit_error err;
    assert_int_equal(survkit_table_read_file(path, NULL, &t, &err), SURVKIT_OK);
    survkit_frame *f = states_frame(t, "Surv(time, event) ~ g + strata(site)", "censored",
                                    SURVKIT_OK, &err);
    survkit_cuminc *fit = NULL;
    assert_int_equal(survkit_cuminc_fit_frame(f, NULL, NULL, &fit, &err), SURVKIT_OK);
    golden *g = golden_load("compete/syn_groups.txt");
    const double *pstate = golden_numbers(g, "pstate"), *sizes = golden_numbers(g, "strata_sizes");
    const size_t total = golden_length(g, "out_time");
    assert_int_equal(survkit_cuminc_n_groups(fit), 3);
    assert_string_equal(survkit_cuminc_group_label(fit, 0), "g=a");
    assert_numbers_close(survkit_cuminc_values(fit, 0, 3, SURVKIT_CUMINC_PSTATE), pstate + 3 * total,
                         (size_t)sizes[0], 1e-9, 0, "frame fit: relapse in g=a");
    double stat, df, p;
    assert_true(survkit_cuminc_gray(fit, 1, &stat, &df, &p));
    assert_number_close(stat, golden_numbers(g, "gray_stat")[0], 1e-9, 0, "frame fit: Gray, death");
    survkit_cuminc_free(fit);
    survkit_finegray *fg = NULL; /* strata() is no part of crr's model */
    assert_int_equal(survkit_finegray_fit_frame(f, "death", NULL, &fg, &err), SURVKIT_ERR_ARGUMENT);
    survkit_frame_free(f);
    golden_free(g);
    survkit_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_string_status),
        cmocka_unit_test(test_integer_status),
        cmocka_unit_test(test_frame_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
