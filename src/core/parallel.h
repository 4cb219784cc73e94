/*
 * parallel.h: a fork-join of a few tasks on POSIX threads, for the O(n p) scans that split by rows.
 * No pool and no global state: each call starts its threads and joins them.
 */
#ifndef SURVKIT_PARALLEL_H
#define SURVKIT_PARALLEL_H

#include <stddef.h>

enum { SK_PARALLEL_MAX_TASKS = 16 };

/* Cores online (at least 1). */
size_t sk_parallel_cores(void);

/*
 * Run fn(ctx, t) for t = 0 .. n_tasks-1 (at most SK_PARALLEL_MAX_TASKS): task 0 on the calling
 * thread, each other task on a thread of its own, or on the calling thread when one cannot be
 * started. Returns when every task is done.
 */
void sk_parallel_run(size_t n_tasks, void (*fn)(void *ctx, size_t task), void *ctx);

#endif /* SURVKIT_PARALLEL_H */
