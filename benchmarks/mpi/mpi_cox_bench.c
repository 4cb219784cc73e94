/*
 * mpi_cox_bench.c: the Cox fit (Efron) over K ranks on N synthetic rows x P covariates (integer
 * days 1..1825; row i the same whatever K, rank r holding the r-th contiguous block of rows).
 * Prints, from rank 0: K, N, P, iterations, the fit time (the slowest rank), the bytes one Newton
 * evaluation sends (all ranks together: the bytes sent between the progress reports of iterations
 * 0 and 1), the bytes of the whole fit (its distributed concordance included), the peak resident
 * memory of every rank (rank 0 first), and the log-likelihood, the first coefficient and the
 * concordance and its std (to check that K does not change them; the fitted score itself moves by
 * round-off with K, which can reorder scores 1e-15 apart). Then, apart, the concordance alone
 * (survkit_mpi_concordance, the fit's algorithm) of the generating score, the same bits whatever K:
 * its time, bytes, pair counts, concordance and std. With C > 0, row i is in cluster(i mod C)
 * (every cluster spread over the ranks) and the fit has the robust variance of those clusters.
 *   mpirun -np K build/benchmarks/mpi_cox_bench [N] [P] [C]
 */
#include <survkit/mpi.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

/* The bytes this rank had sent when iterations 0 and 1 were reported. */
typedef struct watch {
    survkit_mpi *mpi;
    unsigned long long at[2];
} watch;

static int on_iteration(void *user, const char *stage, uint64_t done, uint64_t total, double value)
{
    (void)stage, (void)total, (void)value;
    watch *w = user;
    if (done < 2) w->at[done] = survkit_mpi_bytes_sent(w->mpi);
    return 0;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    const size_t N = argc > 1 ? (size_t)strtod(argv[1], NULL) : 10000000;
    const size_t P = argc > 2 ? (size_t)strtod(argv[2], NULL) : 20;
    const size_t C = argc > 3 ? (size_t)strtod(argv[3], NULL) : 0;
    survkit_mpi *mpi = NULL;
    survkit_error err;
    if (survkit_mpi_create(MPI_COMM_WORLD, &mpi, &err) != SURVKIT_OK) MPI_Abort(MPI_COMM_WORLD, 2);
    const int r = survkit_mpi_rank(mpi), K = survkit_mpi_size(mpi);
    const size_t first = (size_t)r * N / (size_t)K, n = (size_t)(r + 1) * N / (size_t)K - first;
    double *x = malloc((n * P + 1) * sizeof *x), *time = malloc((n + 1) * sizeof *time);
    double *status = malloc((n + 1) * sizeof *status);
    int32_t *cluster = C > 0 ? malloc((n + 1) * sizeof *cluster) : NULL;
    if (!x || !time || !status || (C > 0 && !cluster)) MPI_Abort(MPI_COMM_WORLD, 2);
    for (size_t i = 0; C > 0 && i < n; i++) cluster[i] = (int32_t)((first + i) % C);
    for (size_t i = 0; i < n; i++) {
        uint64_t h = mix(first + i + 1);
        double eta = 0;
        for (size_t j = 0; j < P; j++) {
            uint64_t g = mix(h + j);
            /* half 0/1 indicators, half continuous in (-2, 2) */
            double v = j % 2 ? (double)(g & 1) : ((double)(g >> 11) / 9007199254740992.0) * 4 - 2;
            x[i + j * n] = v;
            eta += (j % 3 == 0 ? 0.1 : -0.05) * v;
        }
        double u = ((double)(h >> 11) + 0.5) / 9007199254740992.0;
        time[i] = fmin(1825, 1 + floor(-log(u) * 600 * exp(-eta)));
        status[i] = ((h >> 7) % 10) < 7;
    }
    survkit_cox_data d = {.n = n, .p = P, .time = time, .status = status, .x = x,
                          .cluster = cluster, .n_clusters = C};
    survkit_cox_options opt;
    survkit_cox_options_init(&opt);
    watch w = {mpi, {0, 0}};
    opt.progress = on_iteration;
    opt.progress_user = &w;
    survkit_cox_result *full = NULL;
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = now();
    if (survkit_mpi_cox_fit(mpi, &d, &opt, &full, &err) != SURVKIT_OK) {
        fprintf(stderr, "rank %d: %s\n", r, err.message);
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    double local = now() - t0, s_full = 0;
    MPI_Reduce(&local, &s_full, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    unsigned long long mine[2] = {w.at[1] - w.at[0], survkit_mpi_bytes_sent(mpi)}, all[2] = {0, 0};
    MPI_Reduce(mine, all, 2, MPI_UNSIGNED_LONG_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    /* the concordance alone, on the generating score (computed as above: the same whatever K) */
    double *eta = malloc((n + 1) * sizeof *eta), cidx = NAN, cse = NAN, cnt[5] = {0};
    if (eta == NULL) MPI_Abort(MPI_COMM_WORLD, 2);
    for (size_t i = 0; i < n; i++) {
        eta[i] = 0;
        for (size_t j = 0; j < P; j++) eta[i] += (j % 3 == 0 ? 0.1 : -0.05) * x[i + j * n];
    }
    unsigned long long before = survkit_mpi_bytes_sent(mpi), conc_bytes = 0;
    MPI_Barrier(MPI_COMM_WORLD);
    t0 = now();
    if (survkit_mpi_concordance(mpi, n, NULL, time, status, eta, NULL, NULL, 0, cluster, C, 0,
                                &cidx, &cse, cnt, &err) != SURVKIT_OK) {
        fprintf(stderr, "rank %d: %s\n", r, err.message);
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    local = now() - t0;
    double s_conc = 0;
    MPI_Reduce(&local, &s_conc, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    unsigned long long sent = survkit_mpi_bytes_sent(mpi) - before;
    MPI_Reduce(&sent, &conc_bytes, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    free(eta);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    long peak = ru.ru_maxrss, *peaks = calloc((size_t)K, sizeof *peaks);
    if (peaks == NULL) MPI_Abort(MPI_COMM_WORLD, 2);
    MPI_Gather(&peak, 1, MPI_LONG, peaks, 1, MPI_LONG, 0, MPI_COMM_WORLD);
    if (r == 0) {
        printf("K=%d N=%zu P=%zu C=%zu iterations=%d fit_s=%.2f bytes_per_iteration=%llu bytes_fit=%llu "
               "peak_rss_MB_by_rank=",
               K, N, P, C, survkit_cox_result_iterations(full), s_full, all[0], all[1]);
        for (int k = 0; k < K; k++) printf("%s%.0f", k ? "," : "", (double)peaks[k] / 1024.0);
        printf(" loglik=%.17g coef1=%.17g concordance=%.17g std=%.17g\n"
               "  concordance alone: conc_s=%.2f bytes_conc=%llu counts=%.0f,%.0f,%.0f,%.0f,%.0f "
               "concordance=%.17g std=%.17g\n",
               survkit_cox_result_loglik(full), survkit_cox_result_coef(full)[0],
               survkit_cox_result_concordance(full), survkit_cox_result_concordance_se(full),
               s_conc, conc_bytes, cnt[0], cnt[1], cnt[2], cnt[3], cnt[4], cidx, cse);
    }
    free(peaks);
    survkit_cox_result_free(full);
    free(x), free(time), free(status), free(cluster);
    survkit_mpi_free(mpi);
    MPI_Finalize();
    return 0;
}
