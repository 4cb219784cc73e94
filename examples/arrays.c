/*
 * arrays.c: survkit from a program that already holds its data in memory (no CSV, no formula).
 *
 * The acute myelogenous leukaemia trial (R's survival::aml): weeks to relapse for 11 patients whose
 * chemotherapy was maintained and 12 whose was not. We fit Kaplan-Meier curves per arm and a Cox
 * model for the effect of stopping maintenance, then fit the same model from four threads at once
 * to show that the library is reentrant.
 *
 * R gives (survfit(Surv(time, status) ~ x, aml); coxph(Surv(time, status) ~ x, aml)):
 *   medians 31 (maintained) and 23 (not); coef 0.91553257501471763, se 0.5119342751720054.
 *
 * Build against an installed survkit:  cc arrays.c $(pkg-config --cflags --libs survkit) -lpthread
 */
#include <survkit/survkit.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>

enum { N = 23, THREADS = 4 };

static const double weeks[N] = {9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161, 5,
                                5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45};
static const double relapsed[N] = {1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1,
                                   1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1};
/* 0 = maintained, 1 = not maintained: the group code for Kaplan-Meier and the Cox covariate. */
static const int32_t arm[N] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

/* A limit that is not reached is NaN; print it as R prints NA. */
static void print_limit(double x)
{
    if (isnan(x)) printf("NA");
    else printf("%g", x);
}

static double fit_cox(double *se)
{
    double not_maintained[N];
    for (int i = 0; i < N; i++) not_maintained[i] = arm[i];
    const char *names[] = {"not_maintained"};
    survkit_cox_data data = {.n = N, .p = 1, .time = weeks, .status = relapsed,
                             .x = not_maintained, .names = names};
    survkit_cox_result *fit = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_cox_fit_arrays(&data, NULL, &fit, &err) != SURVKIT_OK) {
        fprintf(stderr, "cox: %s\n", err.message);
        return NAN;
    }
    double coef = survkit_cox_result_coef(fit)[0];
    *se = survkit_cox_result_se(fit)[0];
    survkit_cox_result_free(fit);
    return coef;
}

static void *fit_in_thread(void *result)
{
    double *out = result;
    out[0] = fit_cox(&out[1]);
    return NULL;
}

int main(void)
{
    survkit_error err;
    survkit_error_clear(&err);
    const char *labels[] = {"x=Maintained", "x=Nonmaintained"};
    survkit_km *km = NULL;
    if (survkit_km_fit(N, NULL, weeks, relapsed, NULL, arm, 2, labels, NULL, &km, &err) != SURVKIT_OK) {
        fprintf(stderr, "km: %s\n", err.message);
        return 1;
    }
    int ok = 1;
    const double r_median[2] = {31, 23};
    for (size_t g = 0; g < 2; g++) {
        double median[3]; /* estimate, lower, upper */
        survkit_km_median(km, g, median);
        printf("%-16s median %g (95%% CI ", survkit_km_group_label(km, g), median[0]);
        print_limit(median[1]);
        printf(" to ");
        print_limit(median[2]);
        printf(")\n");
        ok &= median[0] == r_median[g];
    }
    survkit_km_free(km);

    double se;
    double coef = fit_cox(&se);
    printf("hazard ratio for stopping maintenance %.4f (coef %.6f, se %.6f)\n", exp(coef), coef, se);
    ok &= fabs(coef - 0.91553257501471763) < 1e-9 * 0.92 && fabs(se - 0.5119342751720054) < 1e-9 * 0.52;

    pthread_t threads[THREADS];
    double results[THREADS][2];
    for (int t = 0; t < THREADS; t++) pthread_create(&threads[t], NULL, fit_in_thread, results[t]);
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        ok &= results[t][0] == coef && results[t][1] == se;
    }
    printf("%d concurrent fits agree: %s\n", THREADS, ok ? "yes" : "NO");
    return ok ? 0 : 1;
}
