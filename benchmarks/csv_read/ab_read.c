/*
 * ab_read.c: two builds of libsurvkit read the same file in turn, in one process, and the best and
 * mean CPU and wall seconds of each are printed. On a shared machine whose load moves by the
 * minute, turns a second apart compare two builds more fairly than runs minutes apart. Uses only
 * the public API (each library opened with dlopen, its own symbols first).
 *
 *   cc -O2 -std=c11 -D_GNU_SOURCE -I include benchmarks/csv_read/ab_read.c -ldl -o ab_read
 *   ./ab_read OLD/libsurvkit.so.0 NEW/libsurvkit.so.0 FILE.csv REPEATS [THREADS]
 *
 * THREADS as survkit_read_options.threads (0: every core; default 1). Copy a build's library
 * elsewhere first if it is to be rebuilt while it is measured.
 */
#include <survkit/survkit.h>

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef void (*init_fn)(survkit_read_options *);
typedef survkit_status (*read_fn)(const char *, const survkit_read_options *, survkit_table **,
                                  survkit_error *);
typedef void (*free_fn)(survkit_table *);

static double seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: ab_read LIB_A LIB_B FILE REPEATS [THREADS]\n");
        return 2;
    }
    const int repeats = atoi(argv[4]), threads = argc > 5 ? atoi(argv[5]) : 1;
    init_fn init[2];
    read_fn read[2];
    free_fn release[2];
    for (int k = 0; k < 2; k++) {
        void *lib = dlopen(argv[1 + k], RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
        if (lib == NULL) {
            fprintf(stderr, "%s\n", dlerror());
            return 2;
        }
        *(void **)&init[k] = dlsym(lib, "survkit_read_options_init");
        *(void **)&read[k] = dlsym(lib, "survkit_table_read_file");
        *(void **)&release[k] = dlsym(lib, "survkit_table_free");
        if (!init[k] || !read[k] || !release[k]) {
            fprintf(stderr, "%s: not a libsurvkit\n", argv[1 + k]);
            return 2;
        }
    }
    double best_cpu[2] = {1e300, 1e300}, best_wall[2] = {1e300, 1e300}, sum_cpu[2] = {0, 0};
    for (int r = 0; r < repeats; r++) {
        for (int k = 0; k < 2; k++) {
            survkit_read_options opt;
            init[k](&opt);
            opt.threads = threads;
            survkit_table *table = NULL;
            survkit_error err;
            const double wall0 = seconds(CLOCK_MONOTONIC), cpu0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
            if (read[k](argv[3], &opt, &table, &err) != SURVKIT_OK) {
                fprintf(stderr, "%s: %s\n", argv[3], err.message);
                return 1;
            }
            const double cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
            const double wall = seconds(CLOCK_MONOTONIC) - wall0;
            release[k](table);
            if (cpu < best_cpu[k]) best_cpu[k] = cpu;
            if (wall < best_wall[k]) best_wall[k] = wall;
            sum_cpu[k] += cpu;
        }
    }
    for (int k = 0; k < 2; k++)
        printf("%s: best CPU %.3f s, best wall %.3f s, mean CPU %.3f s\n", k ? "B" : "A", best_cpu[k],
               best_wall[k], sum_cpu[k] / repeats);
    printf("B/A: best CPU %.3f, best wall %.3f, mean CPU %.3f (threads=%d, %d turns each)\n",
           best_cpu[1] / best_cpu[0], best_wall[1] / best_wall[0], sum_cpu[1] / sum_cpu[0], threads,
           repeats);
    return 0;
}
