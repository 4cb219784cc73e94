/*
 * bench_read.c: times survkit_table_read_file on one file with 1 thread and with all cores, and
 * prints MB/s of wall time and per CPU second. Uses only the public API. Built and run by run.sh.
 */
#include <survkit/survkit.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_read FILE [REPEATS]\n");
        return 2;
    }
    int repeats = argc > 2 ? atoi(argv[2]) : 1;
    struct stat st;
    if (stat(argv[1], &st) != 0) {
        perror(argv[1]);
        return 2;
    }
    double mb = (double)st.st_size / 1e6;
    const int thread_counts[2] = {1, 0};
    for (int t = 0; t < 2; t++) {
        double best = 1e300, best_cpu = 1e300;
        size_t rows = 0;
        for (int r = 0; r < repeats; r++) {
            survkit_read_options opt;
            survkit_read_options_init(&opt);
            opt.threads = thread_counts[t];
            survkit_table *table = NULL;
            survkit_error err;
            double start = now();
            clock_t cpu_start = clock();
            if (survkit_table_read_file(argv[1], &opt, &table, &err) != SURVKIT_OK) {
                fprintf(stderr, "%s:%llu:%llu: %s\n", err.source, (unsigned long long)err.line,
                        (unsigned long long)err.column, err.message);
                return 1;
            }
            double elapsed = now() - start;
            double cpu = (double)(clock() - cpu_start) / CLOCKS_PER_SEC;
            if (elapsed < best) best = elapsed;
            if (cpu < best_cpu) best_cpu = cpu;
            rows = survkit_table_n_rows(table);
            survkit_table_free(table);
        }
        /* On a shared machine wall time includes waiting for a core; CPU time does not. */
        printf("threads=%s: %.1f MB, %zu rows, best of %d: %.3f s wall (%.0f MB/s), "
               "%.3f s CPU (%.0f MB per CPU second)\n",
               thread_counts[t] ? "1" : "all", mb, rows, repeats, best, mb / best, best_cpu,
               mb / best_cpu);
    }
    return 0;
}
