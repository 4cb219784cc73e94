/*
 * concordance.c: the wall time of survkit_concordance on a fitted linear predictor, best of 5.
 * Reads a CSV from `survkit simulate` (columns time, status, x1..xP), fits
 * Surv(time, status) ~ x1 + ... + xP once, then times the concordance of the fit's linear predictor
 * alone, with the public entry point (which sorts and lays out the times itself): the best wall
 * time and the best CPU time of the process (all threads) over the repeats.
 *
 *   cc -O2 -Iinclude -Ibuild/include concordance.c -Lbuild/src -lsurvkit -o conc_probe
 *   LD_LIBRARY_PATH=build/src ./conc_probe data.csv [repeats]
 */
#define _POSIX_C_SOURCE 200809L
#include <survkit/survkit.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double clock_s(clockid_t which)
{
    struct timespec ts;
    clock_gettime(which, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double now(void) { return clock_s(CLOCK_MONOTONIC); }

static int fail(const char *what, const survkit_error *err)
{
    fprintf(stderr, "%s: %s\n", what, err->message);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s data.csv [repeats]\n", argv[0]);
        return 2;
    }
    int repeats = argc > 2 ? atoi(argv[2]) : 5;
    survkit_error err;
    survkit_error_clear(&err);
    survkit_table *table = NULL;
    if (survkit_table_read_file(argv[1], NULL, &table, &err) != SURVKIT_OK) return fail("read", &err);

    /* Surv(time, status) ~ every x column. */
    char formula[4096] = "Surv(time, status) ~ ";
    size_t used = strlen(formula), terms = 0;
    for (size_t c = 0; c < survkit_table_n_columns(table); c++) {
        const char *name = survkit_table_column_name(table, c);
        if (name[0] != 'x') continue;
        used += (size_t)snprintf(formula + used, sizeof formula - used, "%s%s", terms++ ? " + " : "",
                                 name);
    }
    survkit_frame_options fopt;
    survkit_frame_options_init(&fopt);
    fopt.groups = 0; /* a Cox model's frame, as the CLI builds it */
    survkit_frame *frame = NULL;
    if (survkit_frame_build(table, formula, &fopt, &frame, &err) != SURVKIT_OK)
        return fail("frame", &err);
    survkit_cox_result *fit = NULL;
    double t0 = now();
    if (survkit_cox_fit_frame(frame, NULL, &fit, &err) != SURVKIT_OK) return fail("fit", &err);
    double fit_s = now() - t0;

    survkit_cox_data d;
    survkit_cox_data_from_frame(frame, &d);
    const double *lp = survkit_cox_result_linear_predictor(fit);
    double best = 1e300, best_cpu = 1e300, c = 0, se = 0, counts[5];
    for (int r = 0; r < repeats; r++) {
        t0 = now();
        double c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        if (survkit_concordance(d.n, d.start, d.time, d.status, lp, d.weights, d.strata,
                                d.n_strata, &c, &se, counts, &err) != SURVKIT_OK)
            return fail("concordance", &err);
        double s = now() - t0, cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        if (s < best) best = s;
        if (cpu < best_cpu) best_cpu = cpu;
    }
    printf("n %zu  fit %.3f s (concordance in fit %.17g)\n", d.n, fit_s,
           survkit_cox_result_concordance(fit));
    printf("concordance %.17g  std %.17g  counts %.17g %.17g %.17g %.17g %.17g\n", c, se, counts[0],
           counts[1], counts[2], counts[3], counts[4]);
    printf("survkit_concordance best of %d: %.4f s wall, %.4f s CPU (both threads)\n", repeats, best,
           best_cpu);
    survkit_cox_result_free(fit);
    survkit_frame_free(frame);
    survkit_table_free(table);
    return 0;
}
