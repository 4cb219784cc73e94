/*
 * fit_cpu.c: the wall and CPU time (all threads) of one fit alone, survreg, glm or cox, best of
 * several repeats, for the CPU-time ratios of benchmarks/RESULTS.md (the CLI's --timings give
 * the wall time only, and on a shared machine the CPU time is the fairer figure). Reads the CSV
 * once, builds the frame once, then times survkit_survreg_fit_frame, survkit_glm_fit_frame or
 * survkit_cox_fit_frame (Efron ties), with one BLAS thread as the survkit command runs unless
 * OPENBLAS_NUM_THREADS is set. The repeats reuse the memory the first fit freed: the first
 * fit's fresh pages are in its wall time only.
 *
 *   cc -O2 -Iinclude -Ibuild/include benchmarks/probes/fit_cpu.c -Lbuild/src -lsurvkit -o fit_cpu
 *   LD_LIBRARY_PATH=build/src ./fit_cpu data.csv 'formula' weibull|lognormal|...|glm|cox [repeats]
 */
#define _POSIX_C_SOURCE 200809L
#include <survkit/survkit.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double clock_s(clockid_t which)
{
    struct timespec t;
    clock_gettime(which, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* One fit; returns its iterations (negative on failure) and the first coefficient in *coef0. */
static int fit_once(const survkit_frame *f, const char *model, double *coef0, survkit_error *err)
{
    if (strcmp(model, "cox") == 0) {
        survkit_cox_result *c = NULL;
        if (survkit_cox_fit_frame(f, NULL, &c, err) != SURVKIT_OK) return -1;
        int it = survkit_cox_result_iterations(c);
        *coef0 = survkit_cox_result_coef(c)[0];
        survkit_cox_result_free(c);
        return it;
    }
    if (strcmp(model, "glm") == 0) {
        survkit_glm_options o;
        survkit_glm_options_init(&o);
        survkit_glm_result *g = NULL;
        if (survkit_glm_fit_frame(f, &o, &g, err) != SURVKIT_OK) return -1;
        int it = survkit_glm_result_iterations(g);
        *coef0 = survkit_glm_result_coef(g)[0];
        survkit_glm_result_free(g);
        return it;
    }
    survkit_survreg_options o;
    survkit_survreg_options_init(&o);
    if (survkit_survreg_dist_parse(model, &o.dist, err) != SURVKIT_OK) return -1;
    survkit_survreg_result *s = NULL;
    if (survkit_survreg_fit_frame(f, &o, &s, err) != SURVKIT_OK) return -1;
    int it = survkit_survreg_result_iterations(s);
    *coef0 = survkit_survreg_result_coef(s)[0];
    survkit_survreg_result_free(s);
    return it;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: fit_cpu data.csv formula model [repeats]\n");
        return 2;
    }
    const int repeats = argc > 4 ? atoi(argv[4]) : 3;
    if (getenv("OPENBLAS_NUM_THREADS") == NULL) (void)survkit_blas_set_threads(1, NULL);
    survkit_error err;
    survkit_error_clear(&err);
    survkit_table *table = NULL;
    survkit_frame *frame = NULL;
    survkit_frame_options fo;
    survkit_frame_options_init(&fo);
    fo.binary_response = strcmp(argv[3], "glm") == 0;
    fo.groups = 0; /* the fits need no km groups (one label per row with continuous covariates) */
    if (survkit_table_read_file(argv[1], NULL, &table, &err) != SURVKIT_OK ||
        survkit_frame_build(table, argv[2], &fo, &frame, &err) != SURVKIT_OK) {
        fprintf(stderr, "fit_cpu: %s\n", err.message);
        return 1;
    }
    double best_wall = 1e300, best_cpu = 1e300, coef0 = 0;
    int iter = 0;
    for (int r = 0; r < repeats; r++) {
        const double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        iter = fit_once(frame, argv[3], &coef0, &err);
        const double wall = clock_s(CLOCK_MONOTONIC) - w0;
        const double cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        if (iter < 0) {
            fprintf(stderr, "fit_cpu: %s\n", err.message);
            return 1;
        }
        if (wall < best_wall) best_wall = wall;
        if (cpu < best_cpu) best_cpu = cpu;
    }
    printf("%s: fit wall %.3f s, CPU %.3f s (best of %d), %d iterations, first coefficient %.15g\n",
           argv[3], best_wall, best_cpu, repeats, iter, coef0);
    survkit_frame_free(frame);
    survkit_table_free(table);
    return 0;
}
