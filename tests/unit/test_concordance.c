/*
 * test_concordance.c: the concordance equals R's coxph fit$concordance (counts, concordance, std)
 * on the classic datasets, and an O(n^2) pair-by-pair reference on generated data.
 *
 * Golden files: tests/golden/make_golden_concordance.R (each names its R call).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <time.h>

#include <cmocka.h>

#include "golden.h"
#include "test_random.h"
#include "survkit/survkit.h"
#include "cox/concordance.h"
#include "core/bucket_sort.h"

#define REL_TOL 1e-9

/* ---- golden cases ----------------------------------------------------------------------------- */

/* Integer codes `key` (n of them; NULL when the file has none) and their number, `count_key`. */
static int32_t *golden_codes(const golden *g, const char *key, const char *count_key, size_t n,
                             size_t *n_codes)
{
    if (!golden_has(g, key)) return NULL;
    const double *values = golden_numbers(g, key);
    assert_int_equal(golden_length(g, key), n);
    int32_t *codes = malloc(n * sizeof *codes);
    for (size_t i = 0; i < n; i++) codes[i] = (int32_t)values[i];
    *n_codes = (size_t)golden_number(g, count_key);
    return codes;
}

static void check_golden_case(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "concordance/%s.txt", name);
    golden *g = golden_load(path);
    size_t n = golden_length(g, "time");
    const double *time = golden_numbers(g, "time");
    const double *status = golden_numbers(g, "status");
    const double *lp = golden_numbers(g, "lp");
    const double *start = golden_has(g, "start") ? golden_numbers(g, "start") : NULL;
    const double *weights = golden_has(g, "weights") ? golden_numbers(g, "weights") : NULL;
    size_t n_strata = 0, n_clusters = 0;
    int32_t *strata = golden_codes(g, "strata", "n_strata", n, &n_strata);
    int32_t *cluster = golden_codes(g, "cluster", "n_clusters", n, &n_clusters);
    assert_int_equal(golden_length(g, "status"), n);
    assert_int_equal(golden_length(g, "lp"), n);

    double c = 0, se = 0, counts[5];
    survkit_error err;
    survkit_error_clear(&err);
    survkit_status st = survkit_concordance_cluster(n, start, time, status, lp, weights, strata,
                                                    n_strata, cluster, n_clusters, &c, &se, counts,
                                                    &err);
    if (st != SURVKIT_OK) fail_msg("%s: %s", name, err.message);

    const double *expected_counts = golden_numbers(g, "counts");
    assert_int_equal(golden_length(g, "counts"), 5);
    /* Counts that R gives as exactly 0 come out as round-off (~1e-16 of the pair total) when the
     * weights are not integers: the absolute tolerance is 1e-9 of that total. */
    double scale = expected_counts[0] + expected_counts[1] + expected_counts[2];
    char what[600];
    snprintf(what, sizeof what, "%s counts", name);
    assert_numbers_close(counts, expected_counts, 5, REL_TOL, REL_TOL * scale, what);
    snprintf(what, sizeof what, "%s concordance", name);
    assert_number_close(c, golden_number(g, "concordance"), REL_TOL, 0, what);
    snprintf(what, sizeof what, "%s std", name);
    assert_number_close(se, golden_number(g, "std"), REL_TOL, 0, what);

    /* The Cox fit's entry point, from a layout built as the fit builds it, gives the same numbers;
     * the entry point without clusters the same without clusters. */
    double c2 = 0, se2 = 0, counts2[5], c3 = 0, se3 = 0, counts3[5];
    sk_cox_layout lay;
    assert_int_equal(sk_cox_layout_build_unchecked(n, start, time, status, weights, strata,
                                                   n_strata, false, &lay, &err),
                     SURVKIT_OK);
    assert_int_equal(sk_concordance_layout(&lay, status, lp, weights, cluster, n_clusters, NULL,
                                           &c2, &se2, counts2, NULL),
                     SURVKIT_OK);
    assert_true(c2 == c && se2 == se);
    for (int k = 0; k < 5; k++) assert_true(counts2[k] == counts[k]);
    /* The same with scratch lent by the caller (as the Cox fit lends its risks, its weights and
     * its workspace's block for the sorted rows), filled with values the concordance must not
     * read. */
    const size_t sort_doubles = (n * sizeof(sk_sort_item) + sizeof(double) - 1) / sizeof(double);
    double *lent = malloc((2 * n + sort_doubles) * sizeof(double));
    assert_non_null(lent);
    for (size_t i = 0; i < 2 * n + sort_doubles; i++) lent[i] = -1e300;
    sk_concordance_loan loan = {{lent, lent + n}, lent + 2 * n, sort_doubles * sizeof(double)};
    assert_int_equal(sk_concordance_layout(&lay, status, lp, weights, cluster, n_clusters, &loan,
                                           &c2, &se2, counts2, NULL),
                     SURVKIT_OK);
    free(lent);
    sk_cox_layout_free(&lay);
    assert_true(c2 == c && se2 == se);
    for (int k = 0; k < 5; k++) assert_true(counts2[k] == counts[k]);
    assert_int_equal(survkit_concordance(n, start, time, status, lp, weights, strata, n_strata, &c3,
                                         &se3, counts3, NULL),
                     SURVKIT_OK);
    assert_true(c3 == c);
    for (int k = 0; k < 5; k++) assert_true(counts3[k] == counts[k]);
    if (cluster == NULL) assert_true(se3 == se);
    else assert_true(fabs(se3 - se) > 1e-6 * se); /* the grouping matters in these cases */

    free(cluster);
    free(strata);
    golden_free(g);
}

/* coxph(Surv(time, status) ~ age + sex, data = lung) */
static void test_lung_age_sex(void **state) { (void)state; check_golden_case("lung_age_sex"); }
/* coxph(Surv(time, status) ~ ph.ecog): four predictor values, heavy ties on x */
static void test_lung_ecog(void **state) { (void)state; check_golden_case("lung_ecog"); }
/* coxph(Surv(time, status) ~ trt + factor(celltype) + karno, data = veteran) */
static void test_veteran_celltype(void **state) { (void)state; check_golden_case("veteran_celltype"); }
/* coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data = heart) */
static void test_heart_counting(void **state) { (void)state; check_golden_case("heart_counting"); }
/* coxph(Surv(time, status == 2) ~ age + log(bili) + albumin + strata(edema), data = pbc) */
static void test_pbc_strata(void **state) { (void)state; check_golden_case("pbc_strata_edema"); }
/* coxph(Surv(time, status) ~ age + sex, data = lung, weights = w), non-integer w */
static void test_lung_weighted(void **state) { (void)state; check_golden_case("lung_weighted"); }
/* coxph(Surv(month, status) ~ ph.ecog + sex): ties in time, in x, and in both */
static void test_lung_ties(void **state) { (void)state; check_golden_case("lung_ties"); }
/* veteran, times rounded to 10 days, weights, strata(trt) */
static void test_veteran_ties_weighted_strata(void **state)
{
    (void)state;
    check_golden_case("veteran_ties_weighted_strata");
}
/* lung with strata(inst): 18 strata, which R folds into one shifted counting-process data set */
static void test_lung_many_strata(void **state) { (void)state; check_golden_case("lung_many_strata"); }
/* heart, counting process, weights and strata(surgery) */
static void test_heart_weighted_strata(void **state)
{
    (void)state;
    check_golden_case("heart_weighted_strata");
}
/* coxph(Surv(start, stop, event) ~ age + transplant + cluster(id), data = heart) */
static void test_heart_cluster(void **state) { (void)state; check_golden_case("heart_cluster_id"); }
/* coxph(Surv(time, status == 2) ~ age + log(bili) + strata(edema), robust = TRUE, id = grp) */
static void test_pbc_robust_id_strata(void **state)
{
    (void)state;
    check_golden_case("pbc_robust_id_strata");
}
/* concordance(fit) for coxph(Surv(time, status) ~ age + sex + ph.karno, data = lung) */
static void test_concordance_of_fit(void **state) { (void)state; check_golden_case("lung_concordance_fit"); }
/* concordance(Surv(time, status) ~ age, data = lung, reverse = TRUE): raw, uncentred predictor */
static void test_concordance_formula(void **state) { (void)state; check_golden_case("lung_concordance_age"); }

/* Five censorings at time Inf (concordance(Surv(time, status) ~ age, reverse = TRUE) in R). */
static void test_infinite_times(void **state) { (void)state; check_golden_case("lung_infinite_times"); }
/* concordance(Surv(start, stop, event) ~ age, data = heart, weights = w, reverse = TRUE) */
static void test_concordance_formula_weighted_counting(void **state)
{
    (void)state;
    check_golden_case("heart_concordance_age_weighted");
}

/* ---- an O(n^2) reference, straight from the definitions ---------------------------------------- */

typedef struct data_set {
    size_t n;
    double *start, *time, *status, *lp, *weights;
    int32_t *strata;
    size_t n_strata;
    int32_t *cluster; /* NULL: no clusters */
    size_t n_clusters;
} data_set;

/*
 * Every pair, from the definitions in concordance.c's header: row i with an event against every row
 * j of its stratum at risk at t_i without an event at t_i; events at one time are tied on y. The
 * derivative of each count with respect to v_k is the sum of the partner's weights over the pairs
 * that hold k; with clusters, the terms of the jackknife are summed within a cluster.
 */
static void reference_concordance(const data_set *d, double *c, double *se, double counts[5])
{
    size_t n = d->n;
    double *dc = calloc(n, sizeof *dc), *dd = calloc(n, sizeof *dd), *dt = calloc(n, sizeof *dt);
    double C = 0, D = 0, T = 0, TY = 0, TXY = 0;
    for (size_t i = 0; i < n; i++) {
        if (d->status[i] != 1) continue;
        double wi = d->weights ? d->weights[i] : 1;
        for (size_t j = 0; j < n; j++) {
            if (j == i || (d->strata && d->strata[i] != d->strata[j])) continue;
            double wj = d->weights ? d->weights[j] : 1;
            if (d->status[j] == 1 && d->time[j] == d->time[i]) {
                if (j > i) { /* each unordered pair once */
                    if (d->lp[i] == d->lp[j]) TXY += wi * wj;
                    else TY += wi * wj;
                }
                continue;
            }
            int at_risk = d->start ? (d->start[j] < d->time[i] && d->time[i] <= d->time[j])
                                   : d->time[j] >= d->time[i];
            if (!at_risk) continue;
            if (d->lp[i] > d->lp[j]) { C += wi * wj; dc[i] += wj; dc[j] += wi; }
            else if (d->lp[i] < d->lp[j]) { D += wi * wj; dd[i] += wj; dd[j] += wi; }
            else { T += wi * wj; dt[i] += wj; dt[j] += wi; }
        }
    }
    double m = C + D + T, somers = (C - D) / m, var = 0;
    double *grouped = d->cluster ? calloc(d->n_clusters, sizeof *grouped) : NULL;
    for (size_t k = 0; k < n; k++) {
        double wk = d->weights ? d->weights[k] : 1;
        double dfbeta = wk * ((dc[k] - dd[k]) - somers * (dc[k] + dd[k] + dt[k])) / m;
        if (grouped) grouped[d->cluster[k]] += dfbeta;
        else var += dfbeta * dfbeta;
    }
    for (size_t g = 0; grouped && g < d->n_clusters; g++) var += grouped[g] * grouped[g];
    free(grouped);
    *c = (somers + 1) / 2;
    *se = sqrt(var) / 2;
    counts[0] = C; counts[1] = D; counts[2] = T; counts[3] = TY; counts[4] = TXY;
    free(dc);
    free(dd);
    free(dt);
}

/* A small deterministic generator (splitmix64), so the data are the same on every platform. */
static double uniform(uint64_t *s) { return test_random_uniform(s); }

/*
 * n rows with many ties: integer times 1..400 whose hazard grows with the predictor, the predictor
 * on a grid of 1/8 (exact under shifts by whole numbers), weights in {0.5, 0.75, ..., 2.25}, 3
 * strata, ~30% censored; `counting` adds entry times 0 <= start < time.
 */
static data_set generate(size_t n, bool counting, uint64_t seed)
{
    data_set d = {0};
    d.n = n;
    d.n_strata = 3;
    d.time = malloc(n * sizeof *d.time);
    d.status = malloc(n * sizeof *d.status);
    d.lp = malloc(n * sizeof *d.lp);
    d.weights = malloc(n * sizeof *d.weights);
    d.strata = malloc(n * sizeof *d.strata);
    d.start = counting ? malloc(n * sizeof *d.start) : NULL;
    for (size_t i = 0; i < n; i++) {
        double x = floor(uniform(&seed) * 24) / 8 - 1.5; /* -1.5 .. 1.375 */
        double t = -log(1 - uniform(&seed)) * 80 * exp(-x);
        d.lp[i] = x;
        d.time[i] = fmin(400, 1 + floor(t));
        d.status[i] = uniform(&seed) < 0.7 ? 1 : 0;
        d.weights[i] = 0.5 + 0.25 * floor(uniform(&seed) * 8);
        d.strata[i] = (int32_t)(uniform(&seed) * 3);
        if (counting) d.start[i] = floor(uniform(&seed) * d.time[i]);
    }
    return d;
}

static void data_set_free(data_set *d)
{
    free(d->start);
    free(d->time);
    free(d->status);
    free(d->lp);
    free(d->weights);
    free(d->strata);
    free(d->cluster);
}

static void fast_concordance(const data_set *d, double *c, double *se, double counts[5])
{
    survkit_error err;
    survkit_error_clear(&err);
    survkit_status st = survkit_concordance_cluster(d->n, d->start, d->time, d->status, d->lp,
                                                    d->weights, d->strata, d->n_strata, d->cluster,
                                                    d->n_clusters, c, se, counts, &err);
    if (st != SURVKIT_OK) fail_msg("survkit_concordance: %s", err.message);
}

static void check_against_reference(const data_set *d, const char *what)
{
    double c, se, counts[5], rc, rse, rcounts[5];
    fast_concordance(d, &c, &se, counts);
    reference_concordance(d, &rc, &rse, rcounts);
    assert_true(rcounts[3] > 0 && rcounts[4] > 0 && rcounts[2] > 0); /* the ties are exercised */
    char label[128];
    snprintf(label, sizeof label, "%s counts", what);
    assert_numbers_close(counts, rcounts, 5, REL_TOL, 0, label);
    snprintf(label, sizeof label, "%s concordance", what);
    assert_number_close(c, rc, REL_TOL, 0, label);
    snprintf(label, sizeof label, "%s std", what);
    assert_number_close(se, rse, REL_TOL, 0, label);
}

static void test_reference_right_censored(void **state)
{
    (void)state;
    data_set d = generate(2000, false, 11);
    check_against_reference(&d, "right-censored, weights, 3 strata");
    double *w = d.weights;
    int32_t *s = d.strata;
    d.weights = NULL;
    d.strata = NULL;
    check_against_reference(&d, "right-censored, unweighted, unstratified");
    d.weights = w;
    d.strata = s;
    data_set_free(&d);
}

static void test_reference_counting(void **state)
{
    (void)state;
    data_set d = generate(2000, true, 12);
    check_against_reference(&d, "counting process, weights, 3 strata");
    /* Clusters of 5 consecutive rows (across strata, as an id may be). */
    d.n_clusters = 400;
    d.cluster = malloc(d.n * sizeof *d.cluster);
    for (size_t i = 0; i < d.n; i++) d.cluster[i] = (int32_t)(i / 5);
    check_against_reference(&d, "counting process, weights, 3 strata, clusters");
    data_set_free(&d);
}

/*
 * n = 200,000 (reference: the 2,000-row subset above; O(n^2) is out of reach here). Checks: it is
 * fast; a shift of the predictor changes nothing (exactly: the grid makes the shift exact); R's
 * trick for many strata -- one unstratified counting-process data set whose strata are moved
 * apart in time -- gives the same numbers as the stratified computation; reversing the row order
 * changes only the round-off.
 */
static void test_large_n(void **state)
{
    (void)state;
    const size_t n = 200000;
    data_set d = generate(n, false, 2024);
    double c, se, counts[5];
    clock_t t0 = clock();
    fast_concordance(&d, &c, &se, counts);
    double seconds = (double)(clock() - t0) / CLOCKS_PER_SEC;
    print_message("n = %zu: concordance %.6f (se %.6f) in %.3f s\n", n, c, se, seconds);
    assert_true(seconds < 5.0);
    assert_true(c > 0.55 && c < 0.9);                /* the predictor raises the hazard */
    assert_true(se > 1e-4 && se < 0.02);             /* ~ 1/sqrt(n) */

    /* Shift invariance. */
    for (size_t i = 0; i < n; i++) d.lp[i] += 3;
    double c2, se2, counts2[5];
    fast_concordance(&d, &c2, &se2, counts2);
    assert_true(c2 == c && se2 == se);
    for (int k = 0; k < 5; k++) assert_true(counts2[k] == counts[k]);

    /* Strata folded into time, as concordancefit does for more than 10 strata. */
    data_set f = d;
    f.start = malloc(n * sizeof *f.start);
    f.time = malloc(n * sizeof *f.time);
    f.strata = NULL;
    const double delta = 400 + 2;
    for (size_t i = 0; i < n; i++) {
        f.start[i] = -1 + d.strata[i] * delta;
        f.time[i] = d.time[i] + d.strata[i] * delta;
    }
    double cf, sef, countsf[5];
    fast_concordance(&f, &cf, &sef, countsf);
    assert_numbers_close(countsf, counts, 5, 1e-12, 0, "folded strata counts");
    assert_number_close(cf, c, 1e-12, 0, "folded strata concordance");
    assert_number_close(sef, se, 1e-12, 0, "folded strata std");
    free(f.start);
    free(f.time);

    /* Row order. */
    data_set r = d;
    r.time = malloc(n * sizeof *r.time);
    r.status = malloc(n * sizeof *r.status);
    r.lp = malloc(n * sizeof *r.lp);
    r.weights = malloc(n * sizeof *r.weights);
    r.strata = malloc(n * sizeof *r.strata);
    for (size_t i = 0; i < n; i++) {
        size_t j = n - 1 - i;
        r.time[i] = d.time[j];
        r.status[i] = d.status[j];
        r.lp[i] = d.lp[j];
        r.weights[i] = d.weights[j];
        r.strata[i] = d.strata[j];
    }
    double cr, ser, countsr[5];
    fast_concordance(&r, &cr, &ser, countsr);
    assert_numbers_close(countsr, counts, 5, 1e-12, 0, "reversed rows counts");
    assert_number_close(cr, c, 1e-12, 0, "reversed rows concordance");
    assert_number_close(ser, se, 1e-12, 0, "reversed rows std");
    data_set_free(&r);
    data_set_free(&d);
}

/* ---- edge cases and errors --------------------------------------------------------------------- */

static void test_no_comparable_pair_gives_nan(void **state)
{
    (void)state;
    /* No events: nothing comparable (R's coxph reports NA). */
    const double time[] = {1, 2, 3}, status[] = {0, 0, 0}, lp[] = {0.1, 0.2, 0.3};
    double c = 0, se = 0, counts[5];
    assert_int_equal(survkit_concordance(3, NULL, time, status, lp, NULL, NULL, 0, &c, &se, counts,
                                         NULL),
                     SURVKIT_OK);
    assert_true(isnan(c) && isnan(se));
    for (int k = 0; k < 5; k++) assert_true(counts[k] == 0);
}

static void test_small_hand_count(void **state)
{
    (void)state;
    /* Times 1..4, events at 1, 2 (tied with a censoring at 2) and 4; risk scores 3, 1, 2, 1, 0.
     * Event at 1 (lp 3) vs rows 2..5 (lp 1, 2, 1, 0): 4 concordant. Event at 2 (lp 1) vs the
     * censoring at 2 (lp 2) and row 5 (time 4, lp 0): 1 discordant, 1 concordant; vs row 4 (time 3,
     * lp 1): tied on x. Event at 4 (lp 0): nobody else at risk. C = 5, D = 1, T = 1:
     * c = (5 + 0.5) / 7. */
    const double time[] = {1, 2, 2, 3, 4}, status[] = {1, 1, 0, 0, 1}, lp[] = {3, 1, 2, 1, 0};
    double c, se, counts[5];
    assert_int_equal(survkit_concordance(5, NULL, time, status, lp, NULL, NULL, 0, &c, &se, counts,
                                         NULL),
                     SURVKIT_OK);
    const double expected[] = {5, 1, 1, 0, 0};
    assert_numbers_close(counts, expected, 5, 1e-15, 0, "hand counts");
    assert_number_close(c, 5.5 / 7, 1e-15, 0, "hand concordance");
    assert_true(se > 0);
}

static void test_invalid_inputs(void **state)
{
    (void)state;
    const double time[] = {1, 2, 3}, status[] = {1, 0, 1}, lp[] = {0, 1, 2};
    double c, se;
    survkit_error err;

    survkit_error_clear(&err);
    assert_int_equal(survkit_concordance(0, NULL, time, status, lp, NULL, NULL, 0, &c, &se, NULL, &err),
                     SURVKIT_ERR_NO_DATA);
    assert_int_equal(err.status, SURVKIT_ERR_NO_DATA);

    const double nan_time[] = {1, NAN, 3};
    assert_int_equal(survkit_concordance(3, NULL, nan_time, status, lp, NULL, NULL, 0, &c, &se, NULL,
                                         &err),
                     SURVKIT_ERR_DOMAIN);

    const double bad_status[] = {1, 2, 0};
    assert_int_equal(survkit_concordance(3, NULL, time, bad_status, lp, NULL, NULL, 0, &c, &se, NULL,
                                         &err),
                     SURVKIT_ERR_DOMAIN);

    const double start[] = {0, 2, 1};
    assert_int_equal(survkit_concordance(3, start, time, status, lp, NULL, NULL, 0, &c, &se, NULL,
                                         &err),
                     SURVKIT_ERR_DOMAIN);

    const double neg_weight[] = {1, -1, 1};
    assert_int_equal(survkit_concordance(3, NULL, time, status, lp, neg_weight, NULL, 0, &c, &se,
                                         NULL, &err),
                     SURVKIT_ERR_DOMAIN);

    const int32_t strata[] = {0, 2, 1};
    assert_int_equal(survkit_concordance(3, NULL, time, status, lp, NULL, strata, 2, &c, &se, NULL,
                                         &err),
                     SURVKIT_ERR_ARGUMENT);
    assert_int_equal(survkit_concordance(3, NULL, NULL, status, lp, NULL, NULL, 0, &c, &se, NULL,
                                         &err),
                     SURVKIT_ERR_ARGUMENT);
    const int32_t cluster[] = {0, 1, 3};
    assert_int_equal(survkit_concordance_cluster(3, NULL, time, status, lp, NULL, NULL, 0, cluster, 3,
                                                 &c, &se, NULL, &err),
                     SURVKIT_ERR_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lung_age_sex),
        cmocka_unit_test(test_infinite_times),
        cmocka_unit_test(test_lung_ecog),
        cmocka_unit_test(test_veteran_celltype),
        cmocka_unit_test(test_heart_counting),
        cmocka_unit_test(test_pbc_strata),
        cmocka_unit_test(test_lung_weighted),
        cmocka_unit_test(test_lung_ties),
        cmocka_unit_test(test_veteran_ties_weighted_strata),
        cmocka_unit_test(test_lung_many_strata),
        cmocka_unit_test(test_heart_weighted_strata),
        cmocka_unit_test(test_heart_cluster),
        cmocka_unit_test(test_pbc_robust_id_strata),
        cmocka_unit_test(test_concordance_of_fit),
        cmocka_unit_test(test_concordance_formula),
        cmocka_unit_test(test_concordance_formula_weighted_counting),
        cmocka_unit_test(test_reference_right_censored),
        cmocka_unit_test(test_reference_counting),
        cmocka_unit_test(test_large_n),
        cmocka_unit_test(test_no_comparable_pair_gives_nan),
        cmocka_unit_test(test_small_hand_count),
        cmocka_unit_test(test_invalid_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
