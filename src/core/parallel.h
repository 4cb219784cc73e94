/*
 * parallel.h: a fork-join of a few tasks on POSIX threads, for the O(n p) scans that split by rows.
 * No pool and no global state: each call starts its threads and joins them.
 */
#ifndef SURVKIT_PARALLEL_H
#define SURVKIT_PARALLEL_H

#include <stdbool.h>
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

/*
 * The same n_tasks tasks, on threads (sk_parallel_run) when `parallel`, else one after the other
 * on the calling thread in task order: a job split into fixed parts computes the same numbers
 * either way, and small inputs skip the cost of starting threads.
 */
void sk_parallel_run_if(bool parallel, size_t n_tasks, void (*fn)(void *ctx, size_t task),
                        void *ctx);

/* Task t's share [*lo, *hi) of 0 .. count-1 split into n_tasks contiguous ranges. */
static inline void sk_parallel_range(size_t count, size_t n_tasks, size_t t, size_t *lo, size_t *hi)
{
    const size_t per = (count + n_tasks - 1) / n_tasks;
    *lo = t * per < count ? t * per : count;
    *hi = *lo + per < count ? *lo + per : count;
}

#endif /* SURVKIT_PARALLEL_H */
