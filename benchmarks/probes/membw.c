/*
 * membw.c: the machine's memory bandwidth, for the "how far from the hardware" figures of
 * benchmarks/RESULTS.md. Reads (a sum) and writes (a fill) of an array much larger than the caches,
 * with 1 and with 2 threads, best of several repeats; also the cost of touching fresh pages (the
 * first write to newly allocated memory: page faults and the kernel zeroing the pages), and the
 * same when the range is mapped in one call with huge pages asked for, as survkit's
 * sk_malloc_filled does (src/core/memory.c).
 *
 *   cc -O2 -march=native -pthread membw.c -o membw && ./membw [MB]
 */
#define _DEFAULT_SOURCE 1 /* MADV_HUGEPAGE */
#include <stdint.h>
#include <sys/mman.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct job {
    double *a;
    size_t n;
    int write;
    double sum;
} job;

static void *run(void *arg)
{
    job *j = arg;
    if (j->write) {
        for (size_t i = 0; i < j->n; i++) j->a[i] = (double)i;
    } else {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (size_t i = 0; i + 4 <= j->n; i += 4) {
            s0 += j->a[i];
            s1 += j->a[i + 1];
            s2 += j->a[i + 2];
            s3 += j->a[i + 3];
        }
        j->sum = s0 + s1 + s2 + s3;
    }
    return NULL;
}

static double pass(double *a, size_t n, int threads, int write)
{
    pthread_t t[2];
    job jobs[2];
    double start = now();
    for (int k = 0; k < threads; k++) {
        jobs[k] = (job){a + k * (n / threads), n / threads, write, 0};
        pthread_create(&t[k], NULL, run, &jobs[k]);
    }
    for (int k = 0; k < threads; k++) pthread_join(t[k], NULL);
    double elapsed = now() - start;
    if (jobs[0].sum == 12345.678) puts(""); /* keep the sum alive */
    return elapsed;
}

int main(int argc, char **argv)
{
    size_t mb = argc > 1 ? (size_t)atol(argv[1]) : 1024;
    size_t n = mb * 1000000 / sizeof(double);
    double bytes = (double)(n * sizeof(double));
    double t0 = now();
    double *a = malloc(n * sizeof(double));
    if (a == NULL) return 1;
    memset(a, 1, n * sizeof(double)); /* first touch: page faults + zeroing + the fill */
    double fresh = now() - t0;
    printf("first touch of %zu MB of fresh memory: %.3f s (%.2f GB/s)\n", mb, fresh, bytes / fresh / 1e9);
    {
        char *b = malloc(n * sizeof(double));
        if (b == NULL) return 1;
        const uintptr_t huge = (uintptr_t)1 << 21;
        char *from = (char *)(((uintptr_t)b + huge - 1) & ~(huge - 1));
        size_t len = (size_t)((((uintptr_t)b + n * sizeof(double)) & ~(huge - 1)) - (uintptr_t)from);
        double t1 = now();
        (void)madvise(from, len, MADV_HUGEPAGE);
        (void)madvise(from, len, 23); /* MADV_POPULATE_WRITE */
        double populate = now() - t1;
        printf("fresh memory mapped in one call with huge pages (MADV_HUGEPAGE + "
               "MADV_POPULATE_WRITE): %.2f GB/s\n", (double)len / populate / 1e9);
        free(b);
    }
    for (int threads = 1; threads <= 2; threads++) {
        for (int write = 0; write <= 1; write++) {
            double best = 1e300;
            for (int r = 0; r < 5; r++) {
                double e = pass(a, n, threads, write);
                if (e < best) best = e;
            }
            printf("%s, %d thread%s: %.2f GB/s\n", write ? "write" : "read ", threads,
                   threads > 1 ? "s" : " ", bytes / best / 1e9);
        }
    }
    free(a);
    return 0;
}
