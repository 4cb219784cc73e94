/*
 * syrk.c: the BLAS rates a Cox fit can reach on this machine: DSYRK of an n x p block (C += A'A,
 * the information matrix's shape: p small, n large), in row blocks of about 2 MB as efron.c does,
 * and a square DGEMM for the peak. GFLOP/s counted as n p (p + 1) for SYRK and 2 m^3 for DGEMM.
 *
 *   cc -O2 syrk.c -lopenblas -o syrk && ./syrk [N] [P]
 */
#define _POSIX_C_SOURCE 200809L
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)atol(argv[1]) : 1000000, p = argc > 2 ? (size_t)atol(argv[2]) : 20;
    size_t rows = 262144 / p;
    double *x = malloc(n * p * sizeof(double)), *c = calloc(p * p, sizeof(double));
    if (x == NULL || c == NULL) return 1;
    for (size_t i = 0; i < n * p; i++) x[i] = (double)(i % 1013) / 1013.0 - 0.5;
    printf("OpenBLAS core: %s (OPENBLAS_CORETYPE %s)\n", openblas_get_corename(),
           getenv("OPENBLAS_CORETYPE") ? getenv("OPENBLAS_CORETYPE") : "unset");
    for (int blocked = 0; blocked <= 1; blocked++) {
        double best = 1e300;
        for (int r = 0; r < 5; r++) {
            double t = now();
            if (blocked) {
                for (size_t s = 0; s < n; s += rows) {
                    size_t nb = n - s < rows ? n - s : rows;
                    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)p, (int)nb, 1.0,
                                x + s * p, (int)nb, 1.0, c, (int)p);
                }
            } else {
                cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)p, (int)n, 1.0, x, (int)n,
                            1.0, c, (int)p);
            }
            t = now() - t;
            if (t < best) best = t;
        }
        printf("dsyrk %zu x %zu%s: %.4f s, %.1f GFLOP/s\n", n, p, blocked ? " in 2 MB row blocks" : "",
               best, (double)n * (double)p * (double)(p + 1) / best / 1e9);
    }
    size_t m = 2000;
    double *a = malloc(m * m * sizeof(double)), *b = malloc(m * m * sizeof(double)),
           *d = malloc(m * m * sizeof(double));
    if (a == NULL || b == NULL || d == NULL) return 1;
    for (size_t i = 0; i < m * m; i++) a[i] = b[i] = (double)(i % 7) - 3;
    double best = 1e300;
    for (int r = 0; r < 3; r++) {
        double t = now();
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)m, (int)m, 1.0, a,
                    (int)m, b, (int)m, 0.0, d, (int)m);
        t = now() - t;
        if (t < best) best = t;
    }
    printf("dgemm %zu x %zu: %.3f s, %.1f GFLOP/s\n", m, m, best, 2.0 * (double)m * m * m / best / 1e9);
    return 0;
}
