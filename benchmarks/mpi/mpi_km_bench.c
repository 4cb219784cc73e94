/*
 * mpi_km_bench.c: Kaplan-Meier and the log-rank test over K ranks on N synthetic rows (integer
 * days 1..1825, 3 groups, 2 strata; row i the same whatever K, rank r holding rows r, r + K, ...).
 * Prints, from rank 0: K, N, the distinct (group, time) cells, the fit times (the slowest rank),
 * the bytes sent by every rank together, the peak resident memory of the largest rank, and the
 * median and chi-square (to check that K does not change them).
 * With `robust`, also the Kaplan-Meier fit with the robust (infinitesimal jackknife) variance: its
 * time, its bytes sent (all ranks) and group 0's last std_err (to check that K does not change it).
 *   mpirun -np K build/benchmarks/mpi_km_bench [N] [robust]
 */
#include <survkit/mpi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* row i's values from a hash of i (the same on any rank) */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    size_t N = argc > 1 ? (size_t)strtod(argv[1], NULL) : 10000000;
    survkit_mpi *mpi = NULL;
    survkit_error err;
    if (survkit_mpi_create(MPI_COMM_WORLD, &mpi, &err) != SURVKIT_OK) MPI_Abort(MPI_COMM_WORLD, 2);
    int r = survkit_mpi_rank(mpi), K = survkit_mpi_size(mpi);
    size_t m = N / (size_t)K + 1;
    double *time = malloc(m * sizeof *time), *status = malloc(m * sizeof *status);
    int32_t *group = malloc(m * sizeof *group), *stratum = malloc(m * sizeof *stratum);
    size_t n = 0;
    for (size_t i = (size_t)r; i < N; i += (size_t)K, n++) {
        uint64_t h = mix(i + 1);
        group[n] = (int32_t)(h % 3);
        stratum[n] = (int32_t)((h >> 8) % 2);
        time[n] = 1 + (double)((h >> 16) % (600 + 400 * (uint64_t)group[n]));
        status[n] = ((h >> 40) % 10) < 7;
    }
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = now();
    survkit_km *km = NULL;
    survkit_status st = survkit_mpi_km_fit(mpi, n, NULL, time, status, NULL, group, 3, NULL, NULL, &km, &err);
    double t1 = now();
    survkit_logrank *lr = NULL;
    if (st == SURVKIT_OK)
        st = survkit_mpi_logrank_test(mpi, n, time, status, group, 3, stratum, 2, NULL, NULL, &lr, &err);
    double t2 = now();
    unsigned long long bytes = survkit_mpi_bytes_sent(mpi), all_bytes = 0;
    const bool robust = argc > 2 && strcmp(argv[2], "robust") == 0;
    survkit_km *rkm = NULL;
    if (robust && st == SURVKIT_OK) {
        survkit_km_options opt;
        survkit_km_options_init(&opt);
        opt.robust = 1;
        MPI_Barrier(MPI_COMM_WORLD);
        t2 = now();
        st = survkit_mpi_km_fit(mpi, n, NULL, time, status, NULL, group, 3, NULL, &opt, &rkm, &err);
    }
    double t3 = now();
    double local[3] = {t1 - t0, t2 - t1, t3 - t2}, slowest[3];
    MPI_Reduce(local, slowest, 3, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    unsigned long long rbytes = survkit_mpi_bytes_sent(mpi) - bytes, all_rbytes = 0;
    MPI_Reduce(&bytes, &all_bytes, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    MPI_Reduce(&rbytes, &all_rbytes, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    long peak = ru.ru_maxrss, max_peak = 0;
    MPI_Reduce(&peak, &max_peak, 1, MPI_LONG, MPI_MAX, 0, MPI_COMM_WORLD);
    if (r == 0 && st == SURVKIT_OK) {
        size_t cells = 0;
        for (size_t g = 0; g < 3; g++) cells += survkit_km_n_times(km, g);
        double med[3];
        survkit_km_median(km, 0, med);
        printf("K=%d N=%zu cells=%zu km_s=%.3f logrank_s=%.3f bytes_sent=%llu peak_rss_MB_max_rank=%.1f "
               "median0=%.17g chisq=%.17g\n",
               K, N, cells, slowest[0], slowest[1], all_bytes, (double)max_peak / 1024.0, med[0],
               survkit_logrank_chisq(lr));
        if (robust) {
            size_t last = survkit_km_n_times(rkm, 0) - 1;
            printf("K=%d robust: km_robust_s=%.3f bytes_sent=%llu std_err0_last=%.17g\n", K,
                   slowest[2], all_rbytes,
                   survkit_km_column_values(rkm, 0, SURVKIT_KM_STD_ERR)[last]);
        }
    } else if (st != SURVKIT_OK) {
        fprintf(stderr, "rank %d: %s\n", r, err.message);
    }
    survkit_km_free(km);
    survkit_km_free(rkm);
    survkit_logrank_free(lr);
    free(time);
    free(status);
    free(group);
    free(stratum);
    survkit_mpi_free(mpi);
    MPI_Finalize();
    return st == SURVKIT_OK ? 0 : 2;
}
