/* parallel.c: fork-join of a few tasks (see parallel.h). */
#include "core/parallel.h"

#include <pthread.h>
#include <stdbool.h>
#include <unistd.h>

typedef struct task_arg {
    void (*fn)(void *ctx, size_t task);
    void *ctx;
    size_t task;
} task_arg;

static void *task_main(void *arg)
{
    task_arg *a = arg;
    a->fn(a->ctx, a->task);
    return NULL;
}

size_t sk_parallel_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (size_t)n;
}

void sk_parallel_run_if(bool parallel, size_t n_tasks, void (*fn)(void *ctx, size_t task),
                        void *ctx)
{
    if (parallel) {
        sk_parallel_run(n_tasks, fn, ctx);
        return;
    }
    for (size_t t = 0; t < n_tasks; t++) fn(ctx, t);
}

void sk_parallel_run(size_t n_tasks, void (*fn)(void *ctx, size_t task), void *ctx)
{
    if (n_tasks > SK_PARALLEL_MAX_TASKS) n_tasks = SK_PARALLEL_MAX_TASKS;
    pthread_t threads[SK_PARALLEL_MAX_TASKS];
    task_arg args[SK_PARALLEL_MAX_TASKS];
    bool started[SK_PARALLEL_MAX_TASKS] = {false};
    for (size_t t = 1; t < n_tasks; t++) {
        args[t] = (task_arg){fn, ctx, t};
        started[t] = pthread_create(&threads[t], NULL, task_main, &args[t]) == 0;
    }
    if (n_tasks > 0) fn(ctx, 0);
    for (size_t t = 1; t < n_tasks; t++) {
        if (started[t]) pthread_join(threads[t], NULL);
        else fn(ctx, t);
    }
}
