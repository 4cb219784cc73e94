/*
 * bucket_sort.c: a stable sort of doubles that carries a 64-bit payload with each key, on two
 * threads (see bucket_sort.h).
 *
 * Buckets. With lo and hi the least and greatest key, key x goes to bucket
 *
 *     b(x) = min(floor((x - lo) * B / (hi - lo)), B - 1),    B about n / 2 buckets,
 *
 * which never decreases as x grows (a subtraction, a multiplication by a positive constant and a
 * floor, each monotone under rounding): the buckets come in key order and equal keys share one.
 * Each task counts the buckets of its half of the rows; in every bucket the rows of the first half
 * are placed before those of the second, each in row order, so the scatter is stable. Buckets of
 * more than INSERTION_MAX keys (keys crowded in a small range, or many equal) are sorted by
 * sk_sort_order; then one insertion pass over each task's positions finishes the small ones (two
 * keys on average for spread-out keys; no key moves out of its bucket). The rows are read once in
 * order and written once out of order, where the LSD radix sort of sort.c moves all of them once
 * per byte of the key, eight times for continuous values.
 *
 * Keys that are not all finite (or whose range is too small to scale) go through sk_sort_order as
 * one bucket.
 */
#include "core/bucket_sort.h"

#include "core/internal.h"
#include "core/memory.h"
#include "core/parallel.h"
#include "core/sort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    ROWS_PER_BUCKET = 2,
    INSERTION_MAX = 32,
    PARALLEL_MIN_ROWS = 20000, /* fewer rows are sorted on the calling thread */
    TASKS = 2
};

typedef struct bucket_job {
    const double *keys;
    const uint64_t *payload;
    size_t n, n_buckets;
    double lo, per_unit;           /* b(x) = (x - lo) * per_unit, capped at n_buckets - 1 */
    double least[TASKS], most[TASKS];
    uint32_t *next[TASKS];         /* counts of each half, then where its next row goes */
    size_t first_bucket[TASKS + 1]; /* the buckets each task sorts */
    sk_sort_item *out;
    bool failed[TASKS];             /* sk_sort_order found no memory */
} bucket_job;

static size_t bucket_of(const bucket_job *job, double x)
{
    size_t b = (size_t)((x - job->lo) * job->per_unit);
    return b < job->n_buckets ? b : job->n_buckets - 1;
}

static void half_rows(const bucket_job *job, size_t t, size_t *lo, size_t *hi)
{
    sk_parallel_range(job->n, TASKS, t, lo, hi);
}

static void find_range(void *ctx, size_t t)
{
    bucket_job *job = ctx;
    size_t lo, hi;
    half_rows(job, t, &lo, &hi);
    double least = INFINITY, most = -INFINITY;
    for (size_t i = lo; i < hi; i++) {
        least = job->keys[i] < least ? job->keys[i] : least;
        most = job->keys[i] > most ? job->keys[i] : most;
    }
    job->least[t] = least;
    job->most[t] = most;
}

static void count_buckets(void *ctx, size_t t)
{
    bucket_job *job = ctx;
    size_t lo, hi;
    half_rows(job, t, &lo, &hi);
    uint32_t *count = job->next[t];
    memset(count, 0, job->n_buckets * sizeof *count);
    for (size_t i = lo; i < hi; i++) count[bucket_of(job, job->keys[i])]++;
}

static void scatter(void *ctx, size_t t)
{
    bucket_job *job = ctx;
    size_t lo, hi;
    half_rows(job, t, &lo, &hi);
    uint32_t *next = job->next[t];
    for (size_t i = lo; i < hi; i++) {
        const double x = job->keys[i];
        const size_t at = next[bucket_of(job, x)]++;
        job->out[at] = (sk_sort_item){x, job->payload[i], i};
    }
}

/*
 * Stable insertion sort of out[lo, hi). Across bucket boundaries too: a key never passes the
 * smaller keys of the buckets before its own, so each moves within its bucket, and the whole range
 * costs one comparison a row plus the few moves inside small buckets.
 */
static void insertion_sort(sk_sort_item *item, size_t lo, size_t hi)
{
    for (size_t i = lo + 1; i < hi; i++) {
        if (!(item[i - 1].key > item[i].key)) continue;
        const sk_sort_item moving = item[i];
        size_t j = i;
        for (; j > lo && item[j - 1].key > moving.key; j--) item[j] = item[j - 1];
        item[j] = moving;
    }
}

/* Positions [lo, hi) of the outputs, stably by key, with sk_sort_order (a large bucket). */
static bool sort_segment(bucket_job *job, size_t lo, size_t hi)
{
    sk_sort_item *item = job->out + lo;
    const size_t count = hi - lo;
    size_t i = 1;
    while (i < count && item[i - 1].key <= item[i].key) i++;
    if (i == count) return true; /* in order already (equal keys, say) */
    size_t *perm = sk_malloc_array(count, sizeof *perm);
    double *keys = sk_malloc_array(count, sizeof *keys);
    sk_sort_item *copy = sk_malloc_array(count, sizeof *copy);
    bool ok = perm && keys && copy;
    for (size_t q = 0; ok && q < count; q++) keys[q] = item[q].key;
    ok = ok && sk_sort_order(keys, count, false, perm);
    if (ok) {
        memcpy(copy, item, count * sizeof *item);
        for (size_t q = 0; q < count; q++) item[q] = copy[perm[q]];
    }
    free(perm), free(keys), free(copy);
    return ok;
}

/*
 * Task t sorts its buckets: the large ones with sort_segment, then all by one insertion sort over
 * their positions. After the scatter, bucket b ends where the second half's `next` stands,
 * next[1][b], and starts where bucket b - 1 ends.
 */
static void sort_buckets(void *ctx, size_t t)
{
    bucket_job *job = ctx;
    const uint32_t *end = job->next[1];
    const size_t b0 = job->first_bucket[t], b1 = job->first_bucket[t + 1];
    if (b0 == b1) return;
    bool ok = true;
    for (size_t b = b0; b < b1; b++) {
        const size_t lo = b == 0 ? 0 : end[b - 1], hi = end[b];
        if (hi - lo > INSERTION_MAX) ok = sort_segment(job, lo, hi) && ok;
    }
    insertion_sort(job->out, b0 == 0 ? 0 : end[b0 - 1], end[b1 - 1]);
    job->failed[t] = !ok;
}

bool sk_sort_carry(const double *keys, const uint64_t *payload, size_t n, sk_sort_item *out)
{
    if (n == 0) return true;
    bucket_job job = {.keys = keys, .payload = payload, .n = n, .out = out};
    sk_parallel_run_if(n >= PARALLEL_MIN_ROWS, TASKS, find_range, &job);
    const double lo = fmin(job.least[0], job.least[1]), hi = fmax(job.most[0], job.most[1]);
    job.n_buckets = n / ROWS_PER_BUCKET + 1;
    job.lo = lo;
    job.per_unit = hi > lo ? (double)job.n_buckets / (hi - lo) : 0.0;
    /* Infinite keys, or a range so small that the scale overflows: one bucket, sorted whole. */
    if (!isfinite(hi - lo) || !isfinite(job.per_unit) || n > UINT32_MAX) {
        for (size_t i = 0; i < n; i++) out[i] = (sk_sort_item){keys[i], payload[i], i};
        return n == 1 || sort_segment(&job, 0, n);
    }
    /* The tasks' counts side by side in one array (mapped at once, in huge pages when large). */
    job.next[0] = sk_malloc_filled(TASKS * job.n_buckets, sizeof(uint32_t));
    if (job.next[0] == NULL) return false;
    for (size_t t = 1; t < TASKS; t++) job.next[t] = job.next[0] + t * job.n_buckets;
    sk_parallel_run_if(n >= PARALLEL_MIN_ROWS, TASKS, count_buckets, &job);

    /* Where each half's rows of each bucket start; the tasks' bucket ranges, about n / 2 rows
     * each. */
    size_t at = 0;
    job.first_bucket[0] = 0;
    job.first_bucket[1] = job.first_bucket[2] = job.n_buckets;
    for (size_t b = 0; b < job.n_buckets; b++) {
        if (at >= n / 2 && job.first_bucket[1] == job.n_buckets) job.first_bucket[1] = b;
        const uint32_t first = job.next[0][b], second = job.next[1][b];
        job.next[0][b] = (uint32_t)at;
        job.next[1][b] = (uint32_t)(at + first);
        at += (size_t)first + second;
    }
    sk_parallel_run_if(n >= PARALLEL_MIN_ROWS, TASKS, scatter, &job);
    sk_parallel_run_if(n >= PARALLEL_MIN_ROWS, TASKS, sort_buckets, &job);
    free(job.next[0]);
    return !job.failed[0] && !job.failed[1];
}
