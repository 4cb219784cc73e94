/*
 * test_mpi_estimators.c: Kaplan-Meier (right censored and (start, stop], weights, groups, ctype 1
 * and 2; Greenwood and robust (infinitesimal jackknife) variance, integer and fractional
 * weights) and survdiff (rho 0 and 1, strata, trend, pairwise) over ranks, rank r holding rows r, r + K, ...,
 * equal the single-process fits of all rows (checked against R in test_km.c and test_logrank.c)
 * to 1e-10 relative, under mpirun -np 1, 2 and 3 (also with ranks holding no rows); and a bad row
 * on one rank stops every rank.
 */
#include "mpi_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define N 600
#define K 3
#define S 2

static double start_[N], time_[N], status_[N], weight_[N], fraction_[N];
static int32_t group_[N], stratum_[N];
static int failures = 0;

#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "check failed at %s:%d: %s\n", __FILE__, __LINE__, #cond);       \
            failures++;                                                                      \
        }                                                                                    \
    } while (0)

static void close_to(double a, double b)
{
    if (a == b || (isnan(a) && isnan(b))) return;
    if (!(fabs(a - b) <= 1e-10 * fmax(1e-300, fabs(b)))) {
        fprintf(stderr, "%.17g != %.17g\n", a, b);
        failures++;
    }
}

static void make_data(void)
{
    uint32_t x = 777;
    for (size_t i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        time_[i] = 2 + (double)((x >> 8) % 40) + ((x >> 20) % 2) * 0.5;
        x = x * 1103515245u + 12345u;
        status_[i] = ((x >> 9) % 3) != 0;
        start_[i] = time_[i] - 1 - (double)((x >> 13) % 5);
        x = x * 1103515245u + 12345u;
        group_[i] = (int32_t)((x >> 10) % K);
        stratum_[i] = (int32_t)((x >> 12) % S);
        weight_[i] = 1 + (double)((x >> 14) % 4);
        fraction_[i] = weight_[i] * 0.37 + (double)((x >> 18) % 7) / 3; /* not integers */
    }
}

/* This rank's rows: r, r + size, ... */
static size_t my_rows(int r, int size, double *start, double *time, double *status, double *w,
                      double *wf, int32_t *group, int32_t *stratum)
{
    size_t m = 0;
    for (size_t i = (size_t)r; i < N; i += (size_t)size, m++) {
        start[m] = start_[i];
        time[m] = time_[i];
        status[m] = status_[i];
        w[m] = weight_[i];
        wf[m] = fraction_[i];
        group[m] = group_[i];
        stratum[m] = stratum_[i];
    }
    return m;
}

static void compare_km(const survkit_km *a, const survkit_km *b)
{
    CHECK(survkit_km_n_groups(a) == survkit_km_n_groups(b));
    CHECK(survkit_km_is_robust(a) == survkit_km_is_robust(b));
    for (size_t g = 0; g < survkit_km_n_groups(b); g++) {
        CHECK(survkit_km_n_times(a, g) == survkit_km_n_times(b, g));
        CHECK(survkit_km_records(a, g) == survkit_km_records(b, g));
        close_to(survkit_km_n_max(a, g), survkit_km_n_max(b, g));
        for (int c = 0; c < SURVKIT_KM_N_COLUMNS; c++) {
            const double *x = survkit_km_column_values(a, g, (survkit_km_column)c);
            const double *y = survkit_km_column_values(b, g, (survkit_km_column)c);
            for (size_t j = 0; j < survkit_km_n_times(b, g); j++) close_to(x[j], y[j]);
        }
    }
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    survkit_mpi *mpi = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    CHECK(survkit_mpi_create(MPI_COMM_WORLD, &mpi, &err) == SURVKIT_OK);
    const int r = survkit_mpi_rank(mpi), size = survkit_mpi_size(mpi);
    make_data();
    static double start[N], time[N], status[N], w[N], wf[N];
    static int32_t group[N], stratum[N];
    size_t m = my_rows(r, size, start, time, status, w, wf, group, stratum);

    /* variance: integer weights, R's rule (Greenwood); integer weights, robust = 1; fractional
     * weights, R's rule (robust); fractional weights, robust = 0 (Greenwood); no weights, robust */
    for (int variance = 0; variance < 5; variance++)
        for (int counting = 0; counting <= 1; counting++)
            for (int ctype = 1; ctype <= 2; ctype++) {
                survkit_km_options opt;
                survkit_km_options_init(&opt);
                opt.ctype = ctype;
                opt.robust = variance == 1 || variance == 4 ? 1 : variance == 3 ? 0 : -1;
                const bool frac = variance == 2 || variance == 3;
                const double *wa = variance == 4 ? NULL : frac ? fraction_ : weight_;
                const double *wm = variance == 4 ? NULL : frac ? wf : w;
                survkit_km *all = NULL, *over = NULL;
                CHECK(survkit_km_fit(N, counting ? start_ : NULL, time_, status_, wa, group_, K,
                                     NULL, &opt, &all, &err) == SURVKIT_OK);
                CHECK(survkit_mpi_km_fit(mpi, m, counting ? start : NULL, time, status, wm, group,
                                         K, NULL, &opt, &over, &err) == SURVKIT_OK);
                CHECK(all && survkit_km_is_robust(all) == (variance == 1 || variance == 2 || variance == 4));
                if (all && over) compare_km(over, all);
                survkit_km_free(all);
                survkit_km_free(over);
            }

    /* variants: plain; rho = 1 with strata; trend with strata; pairwise with strata; pairwise
     * with rho = 1 */
    for (int variant = 0; variant < 5; variant++) {
        survkit_logrank_options opt;
        survkit_logrank_options_init(&opt);
        opt.rho = variant == 1 || variant == 4 ? 1 : 0;
        opt.trend = variant == 2;
        opt.pairwise = variant >= 3;
        const bool strat = variant >= 1 && variant <= 3;
        const int32_t *sa = strat ? stratum_ : NULL, *sm = strat ? stratum : NULL;
        survkit_logrank *all = NULL, *over = NULL;
        CHECK(survkit_logrank_test(N, time_, status_, group_, K, sa, sa ? S : 0, NULL, &opt, &all,
                                   &err) == SURVKIT_OK);
        CHECK(survkit_mpi_logrank_test(mpi, m, time, status, group, K, sm, sm ? S : 0, NULL, &opt,
                                       &over, &err) == SURVKIT_OK);
        if (all && over) {
            CHECK(survkit_logrank_df(over) == survkit_logrank_df(all));
            close_to(survkit_logrank_chisq(over), survkit_logrank_chisq(all));
            close_to(survkit_logrank_p(over), survkit_logrank_p(all));
            for (size_t g = 0; g < K; g++) {
                close_to(survkit_logrank_observed(over)[g], survkit_logrank_observed(all)[g]);
                close_to(survkit_logrank_expected(over)[g], survkit_logrank_expected(all)[g]);
                for (size_t h = 0; h < K; h++)
                    close_to(survkit_logrank_variance(over)[g * K + h],
                             survkit_logrank_variance(all)[g * K + h]);
            }
            /* the pairwise tests from the summed counts equal those from the rows */
            CHECK(survkit_logrank_n_pairs(over) == survkit_logrank_n_pairs(all));
            CHECK(!opt.pairwise || survkit_logrank_n_pairs(all) == K * (K - 1) / 2);
            const survkit_logrank_pair *po = survkit_logrank_pairs(over), *pa = survkit_logrank_pairs(all);
            for (size_t q = 0; q < survkit_logrank_n_pairs(all) && po && pa; q++) {
                CHECK(po[q].a == pa[q].a && po[q].b == pa[q].b && po[q].df == pa[q].df);
                close_to(po[q].chisq, pa[q].chisq);
                close_to(po[q].p, pa[q].p);
                close_to(po[q].p_holm, pa[q].p_holm);
                close_to(po[q].p_bh, pa[q].p_bh);
            }
        }
        survkit_logrank_free(all);
        survkit_logrank_free(over);
    }

    /* every row on rank 0, none on the others: the same fit (Greenwood, then robust) */
    for (int frac = 0; frac <= 1; frac++) {
        survkit_km *all = NULL, *over = NULL;
        const double *wa = frac ? fraction_ : weight_;
        CHECK(survkit_km_fit(N, start_, time_, status_, wa, group_, K, NULL, NULL, &all,
                             &err) == SURVKIT_OK);
        CHECK(survkit_mpi_km_fit(mpi, r == 0 ? N : 0, start_, time_, status_, wa, group_, K,
                                 NULL, NULL, &over, &err) == SURVKIT_OK);
        if (all && over) compare_km(over, all);
        survkit_km_free(all);
        survkit_km_free(over);
    }

    /* a bad status on the last rank: every rank returns a failure, the last its own */
    if (r == size - 1 && m > 0) status[0] = 2;
    survkit_km *bad = NULL;
    survkit_status st = survkit_mpi_km_fit(mpi, m, NULL, time, status, NULL, group, K, NULL, NULL,
                                           &bad, &err);
    CHECK(st != SURVKIT_OK && bad == NULL);
    CHECK(survkit_mpi_failed_rank(mpi) == size - 1);
    if (r == size - 1) CHECK(st == SURVKIT_ERR_DOMAIN);

    int total = 0;
    MPI_Allreduce(&failures, &total, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    survkit_mpi_free(mpi);
    MPI_Finalize();
    if (r == 0) printf("test_mpi_estimators: %d ranks, %d failures\n", size, total);
    return total == 0 ? 0 : 1;
}
