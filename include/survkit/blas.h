/*
 * survkit/blas.h: the number of threads of the BLAS that libsurvkit calls (OpenBLAS).
 *
 * OpenBLAS starts its own worker threads when it is loaded, one per core, and splits large calls
 * among them. survkit's kernels already split their passes over rows on threads of their own
 * (two at most) and call BLAS on blocks from those threads; OpenBLAS's workers, woken by such a
 * call, then spin (sched_yield) for a while after it and take a core from survkit's other thread
 * (benchmarks/RESULTS.md, issue 24). The library itself never changes this setting: it is
 * process-wide and belongs to the program. The survkit command calls
 * survkit_blas_set_threads(1) at start unless OPENBLAS_NUM_THREADS, GOTO_NUM_THREADS or
 * OMP_NUM_THREADS is set.
 *
 * Include <survkit/survkit.h>, not this file.
 */
#ifndef SURVKIT_BLAS_H
#define SURVKIT_BLAS_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Set the number of threads OpenBLAS may use for each call, for the whole process (every thread,
 * every library sharing that OpenBLAS): n_threads >= 1, else SURVKIT_ERR_ARGUMENT. Call it before
 * the work starts, not while another thread is inside a BLAS call. OpenBLAS cuts a product into
 * different tiles for different thread counts, so a result may move in its last bits with the
 * count: the Cox fit's did not in the tests (tests/unit/test_blas_threads.c), cox.zph's test
 * statistics did (by about 1e-15 relative). With one thread the bits no longer depend on the
 * number of cores of the machine.
 */
SURVKIT_API survkit_status survkit_blas_set_threads(int n_threads, survkit_error *err);

/* The number of threads OpenBLAS uses now for each call. */
SURVKIT_API int survkit_blas_threads(void);

#ifdef __cplusplus
}
#endif

#endif /* SURVKIT_BLAS_H */
