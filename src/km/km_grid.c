/*
 * km_grid.c: Kaplan-Meier counts without sorting, for integer times of a modest range (days,
 * months: the usual case of large registers).
 *
 * With every stop (and start) time an integer in [lo, hi], one pass over the rows adds each row
 * into the cell (group g, time t) of a grid of R = hi - lo + 1 times per group: the rows stopping
 * at t, their summed weight, the weighted and unweighted events, the weighted censorings and, for
 * (start, stop] data, the summed weight of the rows starting at t. The backward pass of km.c then
 * runs over the cells instead of the sorted rows: from the latest time down, n_risk gains the
 * weight stopping at t and loses the weight starting at t (R's rule start < t <= stop), and every
 * time at which some row of the group stops is one row of the curve. Linear in n with sequential
 * reads, and no n-sized scratch. Sums of unit weights are exact, so the counts equal those of the
 * sorted pass; with fractional weights the per-time sums are added in another order (round-off).
 *
 * Large inputs are counted in two halves on two threads, each into its own grid, added after (the
 * halves are fixed by n, so the sums do not depend on the cores). Without weights a row adds only
 * to its count and its events; the weighted sums follow from them.
 */
#include "km/km_internal.h"

#include "core/parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { CELL_ROWS, CELL_STOP_W, CELL_EVENT_W, CELL_EVENTS, CELL_CENSOR_W, CELL_START_W, N_CELL };
enum { PARTS = 2, PARALLEL_MIN_ROWS = 100000 };

/* The integer range of x[lo..hi), or false when some time is not an integer. */
static bool integer_range(const double *x, size_t lo, size_t hi, double *least, double *most)
{
    bool integral = true;
    for (size_t i = lo; i < hi; i++) {
        integral &= sk_is_integer(x[i]);
        *least = x[i] < *least ? x[i] : *least;
        *most = x[i] > *most ? x[i] : *most;
    }
    return integral;
}

/* What the two halves of the rows share: their ranges first, then their grids. */
typedef struct grid_job {
    size_t n;
    const double *start, *time, *status, *weights;
    const int32_t *group;
    double lo;                      /* the least time */
    size_t r, n_cells;              /* times per group, cells of the grid */
    bool integral[PARTS];
    double least[PARTS], most[PARTS];
    double *cells[PARTS];           /* N_CELL x n_cells each */
} grid_job;

static void range_part(void *ctx, size_t t)
{
    grid_job *job = ctx;
    size_t lo, hi;
    sk_parallel_range(job->n, PARTS, t, &lo, &hi);
    job->least[t] = INFINITY, job->most[t] = -INFINITY;
    job->integral[t] = integer_range(job->time, lo, hi, &job->least[t], &job->most[t]) &&
                       (job->start == NULL ||
                        integer_range(job->start, lo, hi, &job->least[t], &job->most[t]));
}

/* Part t's rows into its grid. */
static void count_part(void *ctx, size_t t)
{
    grid_job *job = ctx;
    size_t lo, hi;
    sk_parallel_range(job->n, PARTS, t, &lo, &hi);
    const size_t n_cells = job->n_cells, r = job->r;
    double *cells = job->cells[t];
    double *rows = cells + CELL_ROWS * n_cells, *stop_w = cells + CELL_STOP_W * n_cells,
           *event_w = cells + CELL_EVENT_W * n_cells, *events = cells + CELL_EVENTS * n_cells,
           *censor_w = cells + CELL_CENSOR_W * n_cells, *start_w = cells + CELL_START_W * n_cells;
    const double *weights = job->weights, *time = job->time, *status = job->status;
    for (size_t i = lo; i < hi; i++) {
        const size_t base = job->group ? (size_t)job->group[i] * r : 0;
        const size_t cell = base + (size_t)(time[i] - job->lo);
        const double s = status[i]; /* 0 or 1 */
        rows[cell] += 1;
        events[cell] += s;
        if (weights != NULL) {
            const double v = weights[i];
            stop_w[cell] += v;
            event_w[cell] += v * s;
            censor_w[cell] += v * (1 - s);
        }
        if (job->start != NULL)
            start_w[base + (size_t)(job->start[i] - job->lo)] += weights ? weights[i] : 1.0;
    }
}


survkit_status sk_km_grid_counts(size_t n, const double *start, const double *time,
                                 const double *status, const double *weights, const int32_t *group,
                                 size_t n_groups, sk_km_curve *curves, double **deaths,
                                 bool *counted, survkit_error *err)
{
    *counted = false;
    if (n == 0) return SURVKIT_OK;
    const bool parallel = n >= PARALLEL_MIN_ROWS;
    grid_job job = {.n = n, .start = start, .time = time, .status = status, .weights = weights,
                    .group = group};
    sk_parallel_run_if(parallel, PARTS, range_part, &job);
    if (!job.integral[0] || !job.integral[1]) return SURVKIT_OK;
    const double lo = fmin(job.least[0], job.least[1]), hi = fmax(job.most[0], job.most[1]);
    /* The grid costs N_CELL doubles per group and time: no more than a few per row. */
    double range = hi - lo + 1, limit = 2.0 * (double)n + 65536.0;
    if (!(range * (double)n_groups <= limit)) return SURVKIT_OK;
    const size_t r = (size_t)range, n_cells = r * n_groups;
    job.lo = lo, job.r = r, job.n_cells = n_cells;
    for (size_t t = 0; t < PARTS; t++) job.cells[t] = sk_calloc_array(n_cells, N_CELL * sizeof(double));
    if (job.cells[0] == NULL || job.cells[1] == NULL) {
        free(job.cells[0]), free(job.cells[1]);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "km: out of memory");
    }
    sk_parallel_run_if(parallel, PARTS, count_part, &job);
    double *cells = job.cells[0];
    for (size_t k = 0; k < N_CELL * n_cells; k++) cells[k] += job.cells[1][k];
    free(job.cells[1]);
    double *rows = cells + CELL_ROWS * n_cells, *stop_w = cells + CELL_STOP_W * n_cells,
           *event_w = cells + CELL_EVENT_W * n_cells, *events = cells + CELL_EVENTS * n_cells,
           *censor_w = cells + CELL_CENSOR_W * n_cells, *start_w = cells + CELL_START_W * n_cells;
    if (weights == NULL) /* unit weights: the sums are the counts */
        for (size_t k = 0; k < n_cells; k++) {
            stop_w[k] = rows[k];
            event_w[k] = events[k];
            censor_w[k] = rows[k] - events[k];
        }

    survkit_status status_code = SURVKIT_OK;
    for (size_t g = 0; g < n_groups && status_code == SURVKIT_OK; g++) {
        const size_t base = g * r;
        sk_km_curve *c = &curves[g];
        size_t nt = 0;
        double records = 0;
        for (size_t b = 0; b < r; b++) {
            nt += rows[base + b] > 0;
            records += rows[base + b];
        }
        c->records = (size_t)records;
        c->n_times = nt;
        if (nt == 0) continue;
        c->values = sk_malloc_array(nt, SURVKIT_KM_N_COLUMNS * sizeof(double));
        deaths[g] = sk_malloc_array(nt, sizeof(double));
        if (c->values == NULL || deaths[g] == NULL) {
            status_code = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "km: out of memory");
            break;
        }
        double *t = sk_km_col(c, SURVKIT_KM_TIME), *n_risk = sk_km_col(c, SURVKIT_KM_N_RISK),
               *n_event = sk_km_col(c, SURVKIT_KM_N_EVENT),
               *n_censor = sk_km_col(c, SURVKIT_KM_N_CENSOR);
        double at_risk = 0;
        size_t k = nt;
        for (size_t b = r; b-- > 0;) {
            const size_t cell = base + b;
            at_risk += stop_w[cell];
            if (start != NULL) at_risk -= start_w[cell];
            if (rows[cell] == 0) continue;
            k--;
            t[k] = lo + (double)b;
            n_risk[k] = at_risk;
            n_event[k] = event_w[cell];
            n_censor[k] = censor_w[cell];
            deaths[g][k] = events[cell];
        }
    }
    free(cells);
    if (status_code == SURVKIT_OK) *counted = true;
    return status_code;
}
