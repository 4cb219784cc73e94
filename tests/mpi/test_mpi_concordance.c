/*
 * test_mpi_concordance.c: the concordance over ranks without gathering the rows
 * (survkit_mpi_concordance, src/mpi/mpi_concordance.c) equals the single-process
 * survkit_concordance_cluster of all rows (itself checked against R's concordance in
 * tests/unit/test_concordance.c and the Cox goldens) under mpirun -np 1, 2 and 3: the five pair
 * counts exactly with integer weights (to 1e-10 relative with fractional ones), the concordance
 * and R's std to 1e-10 relative. Cases: heart.csv's (start, stop] data by cluster(id); the
 * reunification cohort with strata(la), integer and fractional weights and cluster(family_id);
 * synthetic data with many tied times and tied scores (a score of two values, so that groups of
 * equal score hold hundreds of events and span many rounds), a rank holding no rows; each with
 * rounds of 2 and 17 events and the default (61 and the default for the cohort's 3000 rows).
 * With integer weights and no clusters the K-rank result has the same bits as one rank's (counts,
 * concordance and std). Also: a NaN score on the last rank stops every rank.
 * Rank r holds a contiguous block of rows.
 */
#include <survkit/mpi.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
static survkit_mpi *alone = NULL; /* this rank by itself (MPI_COMM_SELF): the K = 1 result */
static double worst = 0; /* the largest relative difference seen (c and std), printed at the end */

#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "check failed at %s:%d: %s\n", __FILE__, __LINE__, #cond);       \
            failures++;                                                                      \
        }                                                                                    \
    } while (0)

static void close_to(const char *what, double a, double b, double tol)
{
    if (a == b) return;
    if (fabs(a - b) / fabs(b) > worst) worst = fabs(a - b) / fabs(b);
    if (!(fabs(a - b) <= tol * fmax(1e-300, fabs(b)))) {
        fprintf(stderr, "%s: %.17g != %.17g\n", what, a, b);
        failures++;
    }
}

/* All rows of a case; rank r passes its block [first, first + m). */
typedef struct rows {
    size_t n;
    const double *start, *time, *status, *eta, *weights;
    const int32_t *strata, *cluster;
    size_t n_strata, n_clusters;
} rows;

static const double *part_d(const double *x, size_t first) { return x ? x + first : NULL; }
static const int32_t *part_i(const int32_t *x, size_t first) { return x ? x + first : NULL; }

/* Over ranks (rounds of `block` events) against one process, every rank checking. */
static void check_case(survkit_mpi *mpi, const char *name, const rows *a, size_t block,
                       bool empty_last, bool integer_weights)
{
    const int r = survkit_mpi_rank(mpi), K = survkit_mpi_size(mpi);
    const int used = empty_last && K > 1 ? K - 1 : K;
    const size_t first = r < used ? (size_t)r * a->n / (size_t)used : a->n;
    const size_t m = r < used ? (size_t)(r + 1) * a->n / (size_t)used - first : 0;
    survkit_error err;
    survkit_error_clear(&err);
    double c1 = NAN, s1 = NAN, k1[5] = {0}, cK = NAN, sK = NAN, kK[5] = {0};
    CHECK(survkit_concordance_cluster(a->n, a->start, a->time, a->status, a->eta, a->weights,
                                      a->strata, a->n_strata, a->cluster, a->n_clusters, &c1, &s1,
                                      k1, &err) == SURVKIT_OK);
    survkit_status st = survkit_mpi_concordance(
        mpi, m, part_d(a->start, first), part_d(a->time, first), part_d(a->status, first),
        part_d(a->eta, first), part_d(a->weights, first), part_i(a->strata, first), a->n_strata,
        part_i(a->cluster, first), a->n_clusters, block, &cK, &sK, kK, &err);
    CHECK(st == SURVKIT_OK);
    if (st != SURVKIT_OK) {
        fprintf(stderr, "%s (block %zu): %s\n", name, block, err.message);
        return;
    }
    char what[160];
    for (int k = 0; k < 5; k++) {
        snprintf(what, sizeof what, "%s (block %zu) count %d", name, block, k);
        if (integer_weights && kK[k] != k1[k]) {
            fprintf(stderr, "%s: %.17g != %.17g (integer weights: exact)\n", what, kK[k], k1[k]);
            failures++;
        }
        close_to(what, kK[k], k1[k], 1e-10);
    }
    snprintf(what, sizeof what, "%s (block %zu) concordance", name, block);
    close_to(what, cK, c1, 1e-10);
    snprintf(what, sizeof what, "%s (block %zu) std", name, block);
    close_to(what, sK, s1, 1e-10);
    CHECK(k1[0] > 0 && k1[1] > 0 && isfinite(s1) && s1 > 0); /* the case compares something */
    /* identical whatever K: with integer weights and no clusters the same bits as one rank with
     * every row (the counts are exact integers, the variance an exactly rounded sum) */
    if (integer_weights && a->cluster == NULL) {
        double c0 = NAN, s0 = NAN, k0[5] = {0};
        CHECK(survkit_mpi_concordance(alone, a->n, a->start, a->time, a->status, a->eta,
                                      a->weights, a->strata, a->n_strata, NULL, 0, block, &c0, &s0,
                                      k0, &err) == SURVKIT_OK);
        bool same = c0 == cK && s0 == sK;
        for (int k = 0; k < 5; k++) same = same && k0[k] == kK[k];
        if (!same) {
            fprintf(stderr, "%s (block %zu): %d ranks give %.17g, %.17g; one gives %.17g, %.17g\n",
                    name, block, K, cK, sK, c0, s0);
            failures++;
        }
    }
}

/* Rounds of 2 and 17 events per rank (many rounds; groups of equal score across rounds) and the
 * default; for the larger data set (`large`) 61 and the default. (Every round is four collectives:
 * on a loaded machine with oversubscribed ranks each costs a scheduling delay, so not more.) */
static bool large = false;
static void every_block(survkit_mpi *mpi, const char *name, const rows *a, bool empty_last,
                        bool integer_weights)
{
    const size_t small_blocks[] = {0, 2, 17}, large_blocks[] = {0, 61};
    const size_t *blocks = large ? large_blocks : small_blocks;
    const size_t n_blocks = large ? 2 : 3;
    for (size_t b = 0; b < n_blocks; b++)
        check_case(mpi, name, a, blocks[b], empty_last, integer_weights);
}

/* The frame of a data set (every rank reads the whole file: the codes are then global). */
static survkit_frame *load(const char *file, const char *formula, survkit_table **t)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/datasets/%s", SURVKIT_SOURCE_DIR, file);
    survkit_error err;
    survkit_error_clear(&err);
    survkit_frame *f = NULL;
    survkit_frame_options fo;
    survkit_frame_options_init(&fo);
    *t = NULL;
    CHECK(survkit_table_read_file(path, NULL, t, &err) == SURVKIT_OK);
    CHECK(*t && survkit_frame_build(*t, formula, &fo, &f, &err) == SURVKIT_OK);
    if (f == NULL) fprintf(stderr, "%s: %s\n", file, err.message);
    return f;
}

/* A score from the frame's columns: sum_j b_j x_j (b_j = 0.3, -0.2, 0.1, ...); `digits` >= 0
 * rounds it to that many decimals (tied scores). */
static double *score(const survkit_cox_data *d, int digits)
{
    double *eta = malloc((d->n + 1) * sizeof *eta);
    for (size_t i = 0; eta && i < d->n; i++) {
        double e = 0;
        for (size_t j = 0; j < d->p; j++) e += (j % 2 ? -0.2 : 0.3) / (double)(1 + j / 2) * d->x[i + j * d->n];
        eta[i] = digits < 0 ? e : round(e * pow(10, digits)) / pow(10, digits);
    }
    return eta;
}

static void heart_cases(survkit_mpi *mpi)
{
    survkit_table *t;
    survkit_frame *f = load("heart.csv",
                            "Surv(start, stop, event) ~ age + year + surgery + transplant + cluster(id)", &t);
    if (f == NULL) return;
    survkit_cox_data d;
    survkit_cox_data_from_frame(f, &d);
    double *eta = score(&d, -1), *tied = score(&d, 1);
    rows a = {.n = d.n, .start = d.start, .time = d.time, .status = d.status, .eta = eta};
    CHECK(d.start != NULL && d.cluster != NULL);
    every_block(mpi, "heart (start, stop]", &a, false, true);
    a.eta = tied;
    every_block(mpi, "heart (start, stop], tied scores", &a, false, true);
    a.cluster = d.cluster;
    a.n_clusters = d.n_clusters;
    a.eta = eta;
    every_block(mpi, "heart by cluster(id)", &a, false, true);
    free(eta), free(tied);
    survkit_frame_free(f);
    survkit_table_free(t);
}

static void reunification_cases(survkit_mpi *mpi)
{
    survkit_table *t;
    survkit_frame *f = load("reunification.csv",
                            "Surv(days, breakdown) ~ age + sex + reason + prior_failed + strata(la) + "
                            "cluster(family_id)", &t);
    if (f == NULL) return;
    survkit_cox_data d;
    survkit_cox_data_from_frame(f, &d);
    CHECK(d.strata != NULL && d.n_strata > 1 && d.cluster != NULL);
    double *eta = score(&d, -1), *w = malloc((d.n + 1) * sizeof *w), *fw = malloc((d.n + 1) * sizeof *fw);
    for (size_t i = 0; w && fw && i < d.n; i++) {
        w[i] = (double)(1 + (i * 7) % 3);
        fw[i] = 0.25 + (double)((i * 13) % 5) / 3.0;
    }
    rows a = {.n = d.n, .time = d.time, .status = d.status, .eta = eta, .strata = d.strata,
              .n_strata = d.n_strata};
    every_block(mpi, "reunification strata(la)", &a, false, true);
    a.weights = w;
    every_block(mpi, "reunification strata(la), weights", &a, false, true);
    a.weights = fw;
    every_block(mpi, "reunification strata(la), fractional weights", &a, false, false);
    a.cluster = d.cluster;
    a.n_clusters = d.n_clusters;
    every_block(mpi, "reunification strata(la), fractional weights, cluster(family_id)", &a,
                false, false);
    /* sex alone: two scores, groups of ~1500 rows spanning many rounds */
    size_t sex = 1;
    CHECK(strcmp(survkit_frame_column_name(f, sex), "sexM") == 0);
    a.eta = d.x + sex * d.n;
    a.weights = w;
    a.cluster = NULL;
    every_block(mpi, "reunification, score sexM", &a, true, true);
    free(eta), free(w), free(fw);
    survkit_frame_free(f);
    survkit_table_free(t);
}

#define N 700
static void synthetic_cases(survkit_mpi *mpi)
{
    static double start[N], time[N], status[N], eta[N], two[N], w[N];
    static int32_t stratum[N];
    uint32_t v = 77;
#define NEXT() (v = v * 1103515245u + 12345u, (v >> 8) & 0xffff)
    for (size_t i = 0; i < N; i++) {
        time[i] = 1 + (double)(NEXT() % 40);        /* many tied times */
        start[i] = time[i] - 1 - (double)(NEXT() % 10);
        status[i] = NEXT() % 3 != 0;
        eta[i] = (double)(NEXT() % 9) / 4;          /* nine scores */
        two[i] = (double)(NEXT() % 2);              /* two scores */
        w[i] = (double)(NEXT() % 4);                /* zero weights too */
        stratum[i] = (int32_t)(NEXT() % 2);
    }
#undef NEXT
    rows a = {.n = N, .time = time, .status = status, .eta = eta};
    every_block(mpi, "synthetic tied times and scores", &a, false, true);
    every_block(mpi, "synthetic, last rank empty", &a, true, true);
    a.start = start;
    a.weights = w;
    a.strata = stratum;
    a.n_strata = 2;
    every_block(mpi, "synthetic (start, stop], weights, strata", &a, true, true);
    a.eta = two;
    every_block(mpi, "synthetic (start, stop], two scores", &a, false, true);

    /* a NaN score on the last rank: every rank stops, that rank with its own error */
    const int r = survkit_mpi_rank(mpi), K = survkit_mpi_size(mpi);
    const size_t first = (size_t)r * N / (size_t)K, m = (size_t)(r + 1) * N / (size_t)K - first;
    double bad[N];
    memcpy(bad, eta, sizeof bad);
    if (r == K - 1) bad[first + 2] = NAN;
    survkit_error err;
    survkit_error_clear(&err);
    double c = 0;
    survkit_status st = survkit_mpi_concordance(mpi, m, NULL, time + first, status + first,
                                                bad + first, NULL, NULL, 0, NULL, 0, 0, &c, NULL,
                                                NULL, &err);
    CHECK(st != SURVKIT_OK);
    CHECK(survkit_mpi_failed_rank(mpi) == K - 1);
    if (r == K - 1) CHECK(st == SURVKIT_ERR_DOMAIN && err.line == 3);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    survkit_mpi *mpi = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    CHECK(survkit_mpi_create(MPI_COMM_WORLD, &mpi, &err) == SURVKIT_OK);
    CHECK(survkit_mpi_create(MPI_COMM_SELF, &alone, &err) == SURVKIT_OK);
    heart_cases(mpi);
    large = true;
    reunification_cases(mpi);
    large = false;
    synthetic_cases(mpi);
    int all = 0;
    MPI_Allreduce(&failures, &all, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    double most = 0;
    MPI_Allreduce(&worst, &most, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    if (survkit_mpi_rank(mpi) == 0)
        printf("test_mpi_concordance: %d ranks, %d failures, largest relative difference %.3g\n",
               survkit_mpi_size(mpi), all, most);
    survkit_mpi_free(alone);
    survkit_mpi_free(mpi);
    MPI_Finalize();
    return all == 0 ? 0 : 1;
}
