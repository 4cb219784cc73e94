/*
 * test_mpi_cox.c: the Cox fit over ranks (survkit_mpi_cox_fit) equals the single-process fit of
 * all rows (survkit_cox_fit_arrays, itself checked against R's coxph in tests/unit/test_cox.c) to
 * 1e-10 relative, under mpirun -np 1, 2 and 3: Efron and Breslow ties, strata, case weights, an
 * offset, (start, stop] data, a starting value, tied times, a rank holding no rows, and the robust
 * variance and robust score test with one cluster per row (robust = TRUE, fractional weights) and
 * with cluster() codes shared by the ranks (clusters spanning ranks; with strata, weights, (start,
 * stop] data; heart.csv by cluster(id), the reunification cohort by cluster(family_id)). Rank r
 * holds a contiguous block of rows (the order survkit-mpi reads a file in).
 * Also: a bad row on one rank stops every rank, and what is not available over ranks (exact ties,
 * cluster codes the ranks do not share) is refused on every rank.
 */
#include "mpi_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 500
#define P 3
#define S 3

static double start_[N], time_[N], status_[N], weight_[N], x_[N * P], offset_[N];
static int32_t stratum_[N], cluster_[N];
#define CLUSTERS 61
static int failures = 0;

#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "check failed at %s:%d: %s\n", __FILE__, __LINE__, #cond);       \
            failures++;                                                                      \
        }                                                                                    \
    } while (0)

static double worst = 0; /* the largest relative difference seen, printed at the end */

static void close_to(const char *what, double a, double b)
{
    if (a == b || (isnan(a) && isnan(b))) return;
    if (fabs(a - b) / fabs(b) > worst) worst = fabs(a - b) / fabs(b);
    if (!(fabs(a - b) <= 1e-10 * fmax(1e-300, fabs(b)))) {
        fprintf(stderr, "%s: %.17g != %.17g\n", what, a, b);
        failures++;
    }
}

static void make_data(void)
{
    uint32_t v = 4242;
#define NEXT() (v = v * 1103515245u + 12345u, (v >> 8) & 0xffff)
    for (size_t i = 0; i < N; i++) {
        double z = (double)NEXT() / 65536.0 - 0.5;
        x_[i] = 2 * z + 0.1 * (double)(NEXT() % 7);          /* continuous */
        x_[i + N] = (double)(NEXT() % 2);                     /* 0/1: not scaled by R */
        x_[i + 2 * N] = 10 + (double)(NEXT() % 50) / 7.0;     /* a column far from 0 */
        double hazard = exp(0.7 * x_[i] - 0.5 * x_[i + N] + 0.05 * x_[i + 2 * N]);
        time_[i] = 1 + floor((double)(NEXT() % 400) / (10 * hazard)); /* many ties */
        status_[i] = (NEXT() % 4) != 0;
        start_[i] = time_[i] - 1 - (double)(NEXT() % 6);
        stratum_[i] = (int32_t)(NEXT() % S);
        weight_[i] = 1 + (double)(NEXT() % 3);
        offset_[i] = 0.2 * (double)(NEXT() % 5);
        cluster_[i] = (int32_t)(NEXT() % CLUSTERS); /* clusters spread over every rank's block */
    }
#undef NEXT
}

/* Rank r's block of rows; with `empty_last`, the last rank (when K > 1) holds none. */
static void my_block(int r, int K, bool empty_last, size_t *first, size_t *count)
{
    int used = empty_last && K > 1 ? K - 1 : K;
    if (r >= used) {
        *first = N;
        *count = 0;
        return;
    }
    *first = (size_t)r * N / (size_t)used;
    *count = (size_t)(r + 1) * N / (size_t)used - *first;
}

typedef struct local {
    double start[N], time[N], status[N], weight[N], x[N * P], offset[N];
    int32_t stratum[N], cluster[N];
} local;

static survkit_cox_data slice(local *l, size_t first, size_t m, const survkit_cox_data *all)
{
    survkit_cox_data d = *all;
    d.n = m;
    for (size_t i = 0; i < m; i++) {
        l->start[i] = start_[first + i];
        l->time[i] = time_[first + i];
        l->status[i] = status_[first + i];
        l->weight[i] = all->weights ? all->weights[first + i] : 1;
        l->offset[i] = offset_[first + i];
        l->stratum[i] = stratum_[first + i];
        l->cluster[i] = all->cluster ? all->cluster[first + i] : 0;
        for (size_t j = 0; j < P; j++) l->x[i + j * m] = x_[first + i + j * N];
    }
    d.start = all->start ? l->start : NULL;
    d.time = l->time;
    d.status = l->status;
    d.weights = all->weights ? l->weight : NULL;
    d.offset = all->offset ? l->offset : NULL;
    d.strata = all->strata ? l->stratum : NULL;
    d.cluster = all->cluster ? l->cluster : NULL;
    d.x = l->x;
    return d;
}

static void compare(const survkit_cox_result *a, const survkit_cox_result *b)
{
    const size_t p = survkit_cox_result_p(b);
    CHECK(survkit_cox_result_p(a) == p);
    CHECK(survkit_cox_result_n(a) == survkit_cox_result_n(b));
    CHECK(survkit_cox_result_n_events(a) == survkit_cox_result_n_events(b));
    CHECK(survkit_cox_result_iterations(a) == survkit_cox_result_iterations(b));
    CHECK(survkit_cox_result_converged(a) == survkit_cox_result_converged(b));
    CHECK(survkit_cox_result_df(a) == survkit_cox_result_df(b));
    CHECK(survkit_cox_result_n_warnings(a) == survkit_cox_result_n_warnings(b));
    close_to("loglik0", survkit_cox_result_loglik_null(a), survkit_cox_result_loglik_null(b));
    close_to("loglik", survkit_cox_result_loglik(a), survkit_cox_result_loglik(b));
    for (size_t j = 0; j < p; j++) {
        CHECK(strcmp(survkit_cox_result_name(a, j), survkit_cox_result_name(b, j)) == 0);
        close_to("coef", survkit_cox_result_coef(a)[j], survkit_cox_result_coef(b)[j]);
        close_to("se", survkit_cox_result_se(a)[j], survkit_cox_result_se(b)[j]);
        close_to("z", survkit_cox_result_z(a)[j], survkit_cox_result_z(b)[j]);
        close_to("p", survkit_cox_result_pvalue(a)[j], survkit_cox_result_pvalue(b)[j]);
        close_to("means", survkit_cox_result_means(a)[j], survkit_cox_result_means(b)[j]);
        /* the score at the fit is round-off around 0: absolute 1e-10 */
        double ua = survkit_cox_result_score_vector(a)[j], ub = survkit_cox_result_score_vector(b)[j];
        if (!(fabs(ua - ub) <= 1e-10 * fmax(1, fabs(ub)))) {
            fprintf(stderr, "u: %.17g != %.17g\n", ua, ub);
            failures++;
        }
        for (size_t k = 0; k < p; k++)
            close_to("vcov", survkit_cox_result_vcov(a)[j + k * p], survkit_cox_result_vcov(b)[j + k * p]);
    }
    CHECK(survkit_cox_result_is_robust(a) == survkit_cox_result_is_robust(b));
    if (survkit_cox_result_is_robust(a) && survkit_cox_result_is_robust(b))
        for (size_t j = 0; j < p; j++) {
            close_to("robust se", survkit_cox_result_robust_se(a)[j], survkit_cox_result_robust_se(b)[j]);
            for (size_t k = 0; k < p; k++)
                close_to("naive vcov", survkit_cox_result_naive_vcov(a)[j + k * p],
                         survkit_cox_result_naive_vcov(b)[j + k * p]);
        }
    for (int k = 0; k < 4; k++) {
        double s1 = 0, d1 = 0, p1 = 0, s2 = 0, d2 = 0, p2 = 0;
        bool h1 = survkit_cox_result_test(a, (survkit_cox_test_kind)k, &s1, &d1, &p1);
        bool h2 = survkit_cox_result_test(b, (survkit_cox_test_kind)k, &s2, &d2, &p2);
        CHECK(h1 == h2);
        close_to("test", s1, s2);
        close_to("test df", d1, d2);
        close_to("test p", p1, p2);
    }
    close_to("concordance", survkit_cox_result_concordance(a), survkit_cox_result_concordance(b));
    close_to("concordance se", survkit_cox_result_concordance_se(a),
             survkit_cox_result_concordance_se(b));
    CHECK(survkit_cox_result_linear_predictor(a) == NULL);
}

/* Rows [first, first + m) of `all` into freshly allocated arrays (freed by free_rows). */
static survkit_cox_data rows_of(const survkit_cox_data *all, size_t first, size_t m)
{
    survkit_cox_data d = *all;
    d.n = m;
    const double *src[] = {all->start, all->time, all->status, all->weights, all->offset};
    double *dst[5] = {NULL};
    for (size_t k = 0; k < 5; k++) {
        if (src[k] == NULL) continue;
        dst[k] = malloc((m + 1) * sizeof(double));
        if (dst[k]) memcpy(dst[k], src[k] + first, m * sizeof(double));
    }
    d.start = dst[0], d.time = dst[1], d.status = dst[2], d.weights = dst[3], d.offset = dst[4];
    int32_t *st = all->strata ? malloc((m + 1) * sizeof *st) : NULL;
    int32_t *cl = all->cluster ? malloc((m + 1) * sizeof *cl) : NULL;
    if (st) memcpy(st, all->strata + first, m * sizeof *st);
    if (cl) memcpy(cl, all->cluster + first, m * sizeof *cl);
    d.strata = st, d.cluster = cl;
    double *x = malloc((m * all->p + 1) * sizeof *x);
    for (size_t j = 0; x && j < all->p; j++)
        memcpy(x + j * m, all->x + j * all->n + first, m * sizeof *x);
    d.x = x;
    return d;
}

static void free_rows(survkit_cox_data *d)
{
    free((void *)d->start), free((void *)d->time), free((void *)d->status);
    free((void *)d->weights), free((void *)d->offset), free((void *)d->strata);
    free((void *)d->cluster), free((void *)d->x);
}

/* A data set of datasets/ with cluster(): every rank builds the frame of the whole file (so the
 * cluster codes are global), keeps its block of rows and fits over ranks; the fit equals the
 * single-process fit of all rows (robust by R's default), itself checked against R's coxph in
 * tests/unit/test_cox.c (heart: tests/golden/make_golden_cox.R, heart_cluster). */
static void dataset_case(survkit_mpi *mpi, const char *file, const char *formula,
                         survkit_cox_ties ties, const double *init)
{
    const int r = survkit_mpi_rank(mpi), K = survkit_mpi_size(mpi);
    char path[1024];
    snprintf(path, sizeof path, "%s/datasets/%s", SURVKIT_SOURCE_DIR, file);
    survkit_error err;
    survkit_error_clear(&err);
    survkit_table *t = NULL;
    survkit_frame *f = NULL;
    survkit_frame_options fo;
    survkit_frame_options_init(&fo);
    CHECK(survkit_table_read_file(path, NULL, &t, &err) == SURVKIT_OK);
    CHECK(t && survkit_frame_build(t, formula, &fo, &f, &err) == SURVKIT_OK);
    if (f == NULL) {
        fprintf(stderr, "%s: %s\n", file, err.message);
        survkit_table_free(t);
        return;
    }
    survkit_cox_data all;
    survkit_cox_data_from_frame(f, &all);
    const char *names[16];
    CHECK(all.p <= 16 && all.cluster != NULL);
    for (size_t j = 0; j < all.p && j < 16; j++) names[j] = survkit_frame_column_name(f, j);
    all.names = names;
    survkit_cox_options opt;
    survkit_cox_options_init(&opt);
    opt.ties = ties;
    if (init) {
        opt.init = init;
        opt.n_init = all.p;
    }
    size_t first = (size_t)r * all.n / (size_t)K, m = (size_t)(r + 1) * all.n / (size_t)K - first;
    survkit_cox_data mine = rows_of(&all, first, m);
    survkit_cox_result *one = NULL, *over = NULL;
    CHECK(survkit_cox_fit_arrays(&all, &opt, &one, &err) == SURVKIT_OK);
    CHECK(survkit_mpi_cox_fit(mpi, &mine, &opt, &over, &err) == SURVKIT_OK);
    if (one && over) {
        CHECK(survkit_cox_result_is_robust(over));
        compare(over, one);
    } else {
        fprintf(stderr, "%s: %s\n", formula, err.message);
    }
    survkit_cox_result_free(one);
    survkit_cox_result_free(over);
    free_rows(&mine);
    survkit_frame_free(f);
    survkit_table_free(t);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    survkit_mpi *mpi = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    CHECK(survkit_mpi_create(MPI_COMM_WORLD, &mpi, &err) == SURVKIT_OK);
    const int r = survkit_mpi_rank(mpi), K = survkit_mpi_size(mpi);
    make_data();
    static local l;
    const char *names[P] = {"x", "flag", "far"};
    const double init[P] = {0.3, -0.2, 0.01};
    static double fractional[N]; /* R's default makes these fits robust */
    for (size_t i = 0; i < N; i++) fractional[i] = weight_[i] / 2 + 0.25;
    struct {
        bool counting, weights, strata, offset, empty_last, init;
        survkit_cox_ties ties;
        survkit_cox_robust robust;
        const double *w; /* the weights when `weights` */
        bool cluster;    /* cluster_ as cluster() */
    } cases[] = {
        {false, false, false, false, false, false, SURVKIT_COX_EFRON, SURVKIT_COX_ROBUST_AUTO, weight_, false},
        {false, false, false, false, false, false, SURVKIT_COX_BRESLOW, SURVKIT_COX_ROBUST_AUTO, weight_, false},
        {false, true, true, false, true, false, SURVKIT_COX_EFRON, SURVKIT_COX_ROBUST_AUTO, weight_, false},
        {false, true, false, true, false, true, SURVKIT_COX_BRESLOW, SURVKIT_COX_ROBUST_AUTO, weight_, false},
        {true, false, false, false, false, false, SURVKIT_COX_EFRON, SURVKIT_COX_ROBUST_AUTO, weight_, false},
        {true, true, true, true, false, false, SURVKIT_COX_EFRON, SURVKIT_COX_ROBUST_AUTO, weight_, false},
        {true, true, true, false, true, true, SURVKIT_COX_BRESLOW, SURVKIT_COX_ROBUST_AUTO, weight_, false},
        /* the robust variance, one cluster per row: robust = TRUE, or fractional weights */
        {false, true, true, true, false, true, SURVKIT_COX_EFRON, SURVKIT_COX_ROBUST_ON, weight_, false},
        {false, true, false, false, true, false, SURVKIT_COX_BRESLOW, SURVKIT_COX_ROBUST_AUTO, fractional, false},
        {true, true, true, false, false, false, SURVKIT_COX_EFRON, SURVKIT_COX_ROBUST_AUTO, fractional, false},
        /* cluster(): robust by R's default; codes shared by the ranks, clusters spanning ranks */
        {false, false, false, false, false, false, SURVKIT_COX_EFRON, SURVKIT_COX_ROBUST_AUTO, weight_, true},
        {false, true, true, true, true, true, SURVKIT_COX_BRESLOW, SURVKIT_COX_ROBUST_AUTO, weight_, true},
        {true, false, true, false, false, false, SURVKIT_COX_EFRON, SURVKIT_COX_ROBUST_ON, weight_, true},
        {true, true, true, true, true, false, SURVKIT_COX_EFRON, SURVKIT_COX_ROBUST_AUTO, fractional, true},
        {true, true, false, false, false, true, SURVKIT_COX_BRESLOW, SURVKIT_COX_ROBUST_AUTO, weight_, true},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        survkit_cox_data all = {.n = N, .p = P, .start = cases[k].counting ? start_ : NULL,
                                .time = time_, .status = status_, .x = x_, .names = names,
                                .weights = cases[k].weights ? cases[k].w : NULL,
                                .offset = cases[k].offset ? offset_ : NULL,
                                .strata = cases[k].strata ? stratum_ : NULL,
                                .n_strata = cases[k].strata ? S : 0,
                                .cluster = cases[k].cluster ? cluster_ : NULL,
                                .n_clusters = cases[k].cluster ? CLUSTERS : 0};
        survkit_cox_options opt;
        survkit_cox_options_init(&opt);
        opt.ties = cases[k].ties;
        opt.robust = cases[k].robust;
        if (cases[k].init) {
            opt.init = init;
            opt.n_init = P;
        }
        size_t first, m;
        my_block(r, K, cases[k].empty_last, &first, &m);
        survkit_cox_data mine = slice(&l, first, m, &all);
        survkit_cox_result *one = NULL, *over = NULL;
        CHECK(survkit_cox_fit_arrays(&all, &opt, &one, &err) == SURVKIT_OK);
        CHECK(survkit_mpi_cox_fit(mpi, &mine, &opt, &over, &err) == SURVKIT_OK);
        if (one && over) compare(over, one);
        else fprintf(stderr, "case %zu: %s\n", k, err.message);
        const bool robust = cases[k].robust == SURVKIT_COX_ROBUST_ON || cases[k].cluster ||
                            (cases[k].weights && cases[k].w == fractional);
        CHECK(over == NULL || survkit_cox_result_is_robust(over) == robust);
        survkit_cox_result_free(one);
        survkit_cox_result_free(over);
    }

    /* cluster() on the data sets of the issue: heart (start, stop] by patient, the reunification
     * cohort by family, with strata, Breslow and an initial value. */
    dataset_case(mpi, "heart.csv",
                 "Surv(start, stop, event) ~ age + year + surgery + transplant + cluster(id)",
                 SURVKIT_COX_EFRON, NULL);
    dataset_case(mpi, "reunification.csv",
                 "Surv(days, breakdown) ~ age + sex + reason + prior_failed + cluster(family_id)",
                 SURVKIT_COX_EFRON, NULL);
    const double reu_init[2] = {0.01, 0.1};
    dataset_case(mpi, "reunification.csv",
                 "Surv(days, breakdown) ~ age + sex + strata(reason) + cluster(family_id)",
                 SURVKIT_COX_BRESLOW, reu_init);

    /* No events on any rank: NA coefficients as the single-process fit. */
    {
        static double none[N];
        survkit_cox_data all = {.n = N, .p = P, .time = time_, .status = none, .x = x_};
        size_t first, m;
        my_block(r, K, false, &first, &m);
        survkit_cox_data mine = slice(&l, first, m, &all);
        mine.status = none;
        survkit_cox_result *one = NULL, *over = NULL;
        CHECK(survkit_cox_fit_arrays(&all, NULL, &one, &err) == SURVKIT_OK);
        CHECK(survkit_mpi_cox_fit(mpi, &mine, NULL, &over, &err) == SURVKIT_OK);
        if (one && over) compare(over, one);
        survkit_cox_result_free(one);
        survkit_cox_result_free(over);
    }

    /* A bad row on the last rank stops every rank: it names itself, the others name it. */
    {
        survkit_cox_data all = {.n = N, .p = P, .time = time_, .status = status_, .x = x_};
        size_t first, m;
        my_block(r, K, false, &first, &m);
        survkit_cox_data mine = slice(&l, first, m, &all);
        if (r == K - 1 && m > 0) l.status[m - 1] = 2;
        survkit_cox_result *over = NULL;
        survkit_status st = survkit_mpi_cox_fit(mpi, &mine, NULL, &over, &err);
        CHECK(over == NULL);
        CHECK(survkit_mpi_failed_rank(mpi) == K - 1);
        if (r == K - 1) {
            CHECK(st == SURVKIT_ERR_DOMAIN);
            CHECK(err.line == m);
        } else {
            CHECK(st == SURVKIT_ERR_ARGUMENT);
            CHECK(strstr(err.message, "rank") != NULL);
        }
    }

    /* Exact ties are refused on every rank, not approximated; so are cluster codes that the ranks
     * do not share (a different count of clusters on one rank). */
    {
        survkit_cox_data all = {.n = N, .p = P, .time = time_, .status = status_, .x = x_};
        size_t first, m;
        my_block(r, K, false, &first, &m);
        survkit_cox_data mine = slice(&l, first, m, &all);
        survkit_cox_options opt;
        survkit_cox_options_init(&opt);
        opt.ties = SURVKIT_COX_EXACT;
        survkit_cox_result *over = NULL;
        CHECK(survkit_mpi_cox_fit(mpi, &mine, &opt, &over, &err) == SURVKIT_ERR_ARGUMENT);
        CHECK(over == NULL);
        opt.ties = SURVKIT_COX_EFRON;
        static int32_t cluster[N];
        for (size_t i = 0; i < m; i++) cluster[i] = (int32_t)((first + i) % 7);
        mine.cluster = cluster;
        mine.n_clusters = r == K - 1 && K > 1 ? 8 : 7;
        survkit_status st = survkit_mpi_cox_fit(mpi, &mine, &opt, &over, &err);
        CHECK(over == NULL || K == 1);
        CHECK(K == 1 ? st == SURVKIT_OK : st == SURVKIT_ERR_ARGUMENT);
        survkit_cox_result_free(over);
    }

    int all_failures = 0;
    MPI_Allreduce(&failures, &all_failures, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    double worst_all = 0;
    MPI_Allreduce(&worst, &worst_all, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    survkit_mpi_free(mpi);
    MPI_Finalize();
    if (r == 0)
        printf("%s: %d failures, largest relative difference %.3g\n", argv[0], all_failures, worst_all);
    return all_failures != 0;
}
