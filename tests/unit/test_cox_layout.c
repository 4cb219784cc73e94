/*
 * test_cox_layout.c: the Cox risk-set layout built without sorting (integer times on a grid) is the
 * layout built from the sorted order, field by field: entry and exit slots of every row, the slots'
 * times, deaths, weighted deaths, strata and restarts. (The numbers of the fits built on both paths
 * are checked against R in test_cox_golden.c.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "cox/cox_internal.h"

static void assert_same_layout(const sk_cox_layout *a, const sk_cox_layout *b)
{
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->n_slots, b->n_slots);
    assert_int_equal(a->n_events, b->n_events);
    assert_int_equal(a->n_used, b->n_used);
    assert_true(a->max_deaths == b->max_deaths);
    for (size_t i = 0; i < a->n; i++) {
        assert_int_equal(a->kin[i], b->kin[i]);
        assert_int_equal(a->kout[i], b->kout[i]);
        assert_int_equal(a->row_stratum[i], b->row_stratum[i]);
    }
    for (size_t k = 0; k < a->n_slots; k++) {
        assert_true(a->slot_time[k] == b->slot_time[k]);
        assert_int_equal(a->slot_deaths[k], b->slot_deaths[k]);
        assert_true(a->slot_wdeaths[k] == b->slot_wdeaths[k]);
        assert_int_equal(a->slot_stratum[k], b->slot_stratum[k]);
        assert_int_equal(a->slot_restart[k], b->slot_restart[k]);
    }
    for (size_t s = 0; s <= a->n_strata; s++) {
        assert_int_equal(a->stratum_first_slot[s], b->stratum_first_slot[s]);
        assert_int_equal(a->stratum_first_row[s], b->stratum_first_row[s]);
    }
}

/* n rows of integer times in [lo, lo + span), about a third censored, weights, n_strata strata. */
static void check_grid_matches_sort(size_t n, int lo, int span, size_t n_strata, unsigned seed)
{
    double *time = malloc(n * sizeof *time), *status = malloc(n * sizeof *status);
    double *weights = malloc(n * sizeof *weights);
    int32_t *strata = malloc(n * sizeof *strata);
    srand(seed);
    for (size_t i = 0; i < n; i++) {
        time[i] = lo + rand() % span;
        status[i] = rand() % 3 != 0;
        weights[i] = 0.5 + (rand() % 4) / 4.0;
        strata[i] = (int32_t)((size_t)rand() % n_strata);
    }
    const int32_t *codes = n_strata > 1 ? strata : NULL;
    sk_cox_layout sorted, grid;
    survkit_error err;
    assert_int_equal(sk_cox_layout_build(n, NULL, time, status, weights, codes, n_strata, true,
                                         &sorted, &err), SURVKIT_OK);
    assert_int_equal(sk_cox_layout_build(n, NULL, time, status, weights, codes, n_strata, false,
                                         &grid, &err), SURVKIT_OK);
    assert_non_null(sorted.order);
    assert_null(grid.order); /* the grid path was taken */
    assert_same_layout(&sorted, &grid);
    sk_cox_layout_free(&sorted);
    sk_cox_layout_free(&grid);
    free(time), free(status), free(weights), free(strata);
}

static void test_grid_one_stratum(void **state)
{
    (void)state;
    check_grid_matches_sort(5000, 1, 400, 1, 1);
}

static void test_grid_strata_negative_times(void **state)
{
    (void)state;
    check_grid_matches_sort(3000, -50, 120, 4, 2);
}

static void test_grid_heavy_ties(void **state)
{
    (void)state;
    check_grid_matches_sort(2000, 0, 3, 2, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_one_stratum),
        cmocka_unit_test(test_grid_strata_negative_times),
        cmocka_unit_test(test_grid_heavy_ties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
