/*
 * concordance.c: Harrell's concordance of a risk score, with its infinitesimal-jackknife standard
 * error, in O(n log n): the numbers of R's coxph fit$concordance (survival 3.5-3, concordancefit
 * with timewt = "n", reverse = TRUE; the algorithm of Therneau's concordance3/concordance4).
 *
 * Notation (design.md): rows i with case weight v_i, risk score eta_i (the linear predictor), event
 * indicator delta_i, time t_i and, for counting-process data, entry time s_i. Within a stratum a row
 * i with an event is compared with each row j at risk at t_i that has no event at t_i:
 *
 *   Y*_j(t_i) = 1  when t_j >= t_i (right-censored; a censoring at t_i counts as longer), or
 *                  s_j < t_i <= t_j (counting process),          and not (delta_j = 1, t_j = t_i).
 *
 * Each pair weighs v_i v_j. With [.] the indicator,
 *
 *   C = sum_i delta_i v_i sum_j v_j Y*_j(t_i) [eta_j < eta_i]    concordant: the event had the
 *   D = sum_i delta_i v_i sum_j v_j Y*_j(t_i) [eta_j > eta_i]    higher risk / the lower one
 *   T = sum_i delta_i v_i sum_j v_j Y*_j(t_i) [eta_j = eta_i]    tied on x, scored 1/2
 *
 * and, not used by the estimate, Txy = the weighted pairs of events at the same time with equal eta,
 * Ty = the other pairs of events at the same time. With m = C + D + T, Somers' d = (C - D)/m and the
 * concordance is c = (d + 1)/2 = (C + T/2)/m.
 *
 * Standard error (R's infinitesimal jackknife). With the partial derivatives of the counts with
 * respect to a row's weight, e.g.
 *
 *   dC/dv_k = delta_k sum_j v_j Y*_j(t_k) [eta_j < eta_k] + sum_i delta_i v_i Y*_k(t_i) [eta_k < eta_i]
 *
 * (first as the event of a pair, then as the at-risk member), U_k = dC/dv_k - dD/dv_k and
 * M_k = dC/dv_k + dD/dv_k + dT/dv_k, R takes
 *
 *   dfbeta_k = v_k (U_k - d M_k) / m,   var(d) = sum_k dfbeta_k^2,   std(c) = sqrt(var(d)) / 2.
 *
 * With clusters (coxph's cluster(), or robust = TRUE with an id), the dfbeta_k of each cluster are
 * summed before squaring. Strata add their counts and their rows' dfbeta; m and d are the totals
 * over all strata. (R folds
 * more than 10 strata into one shifted counting-process data set; the pairs, and so the numbers,
 * are the same.)
 *
 * Algorithm. Rows are ranked by eta within their stratum. Each stratum is swept from the largest
 * time down, keeping two rank trees (rank_tree.h): the risk set, and the events already passed. A
 * row enters the risk set at its time t_j (censorings at t before the events at t) and, for
 * counting-process data, leaves it once the sweep reaches its entry time s_j (s_j >= t). The events
 * at one time are first compared with the risk set (giving C, D, T and the first part of their U and
 * M), then all of them are added to the event tree, then to the risk set. The second part of a row's
 * U and M, from the events whose risk set holds it, is the event tree read when it leaves minus the
 * event tree read when it enters; after the sweep the event tree is frozen, so the rows still at
 * risk are read from a table of its cumulative weights. Each row costs a constant number of
 * O(log n) tree operations; sorting is linear-time (core/sort.h), and the inputs are first gathered
 * into sweep order so that, apart from the trees, memory is read in sequence.
 *
 * The two trees never meet: the risk tree gives the counts and the event's part of U and M, the
 * event tree the at-risk member's part. So the sweep runs twice, once per tree, on two threads for
 * large n (always as two sweeps, so the numbers do not depend on the cores), each adding into its
 * own U and M, summed at the end.
 */
#include "cox/concordance.h"
#include "core/memory.h"

#include "core/internal.h"
#include "core/parallel.h"
#include "core/sort.h"
#include "cox/rank_tree.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

/* The pair counts, indices as in <survkit/concordance.h>; tied_y here still includes tied_xy. */
typedef struct conc_counts {
    double concordant, discordant, tied_x, tied_y, tied_xy;
} conc_counts;

/*
 * The data in sweep order -- by stratum, then by descending time -- so that the sweep reads memory
 * in sequence; rows are known by their sweep position p. The per-row accumulators are by position.
 */
typedef struct conc_sweep {
    const double *time;      /* time[p], descending within each stratum */
    const uint8_t *event;    /* 1 for an event, 0 for a censoring */
    const double *weight;    /* case weights, NULL for all 1 */
    const size_t *rank;      /* rank of eta within the stratum */
    const double *entry;     /* counting process: entry times, descending within each stratum */
    const size_t *entry_pos; /* the position of the row whose entry time is entry[k] */
    double *u;               /* U_p */
    double *m;               /* M_p */
} conc_sweep;

/* Scratch sized for the largest stratum: the tree of one sweep and one weight per rank. */
typedef struct conc_trees {
    sk_rank_tree risk;   /* the risk sweep's */
    sk_rank_tree events; /* the event sweep's */
    double *per_rank;    /* zero between uses */
} conc_trees;

/* Which tree a sweep keeps. */
enum { SWEEP_RISK = 1, SWEEP_EVENTS = 2 };

static double weight_at(const conc_sweep *s, size_t p)
{
    return s->weight ? s->weight[p] : 1.0;
}

/*
 * The at-risk member's part of U_p and M_p: the events whose risk set holds row p, read from the
 * event tree as weight below, at and above its rank. sign -1 when p enters the risk set (those
 * events do not count), +1 when it leaves (they do).
 */
static void credit_events(const conc_sweep *s, size_t p, double sign, double below, double above,
                          double total)
{
    s->u[p] += sign * (above - below);
    s->m[p] += sign * total;
}

/* Row p joins (sign +1) or leaves (sign -1) the risk set. */
static void move_risk_set(const conc_sweep *s, conc_trees *tr, size_t p, double sign, int sweep)
{
    if (sweep & SWEEP_EVENTS) {
        double below, at, above;
        sk_rank_tree_split(&tr->events, s->rank[p], &below, &at, &above);
        credit_events(s, p, -sign, below, above, tr->events.total);
    }
    if (sweep & SWEEP_RISK) sk_rank_tree_add(&tr->risk, s->rank[p], sign * weight_at(s, p));
}

/*
 * The rows at one time, positions p0..p1-1: compare each event with the risk set, count the pairs
 * of events tied on time (and on eta), add the events to the event tree and, once all are there,
 * to the risk set.
 */
static void count_events(const conc_sweep *s, conc_trees *tr, size_t p0, size_t p1,
                         conc_counts *cnt, int sweep)
{
    double tied_time_weight = 0.0; /* weight of the events at this time seen so far */
    for (size_t p = p0; p < p1; p++) {
        if (!s->event[p]) continue;
        size_t r = s->rank[p];
        double v = weight_at(s, p);
        if (sweep & SWEEP_RISK) {
            double below, at, above;
            sk_rank_tree_split(&tr->risk, r, &below, &at, &above);
            cnt->concordant += v * below;
            cnt->discordant += v * above;
            cnt->tied_x += v * at;
            s->u[p] += below - above;
            s->m[p] += tr->risk.total;
            cnt->tied_y += v * tied_time_weight;
            tied_time_weight += v;
            cnt->tied_xy += v * tr->per_rank[r]; /* per_rank: event weight at this time, by rank */
            tr->per_rank[r] += v;
        }
        if (sweep & SWEEP_EVENTS) sk_rank_tree_add(&tr->events, r, v);
    }
    for (size_t p = p0; p < p1; p++) {
        if (!s->event[p]) continue;
        if (sweep & SWEEP_RISK) tr->per_rank[s->rank[p]] = 0.0;
        move_risk_set(s, tr, p, +1, sweep);
    }
}

/*
 * After the sweep the event tree no longer changes: the k rows still at risk (positions order[a],
 * or first + a when order is NULL) leave through a table of cumulative event weight per rank.
 */
static void close_books(const conc_sweep *s, conc_trees *tr, const size_t *order, size_t first,
                        size_t k)
{
    const sk_rank_tree *ev = &tr->events;
    double *below = tr->per_rank, sum = 0.0;
    for (size_t r = 0; r < ev->size; r++) {
        below[r] = sum;
        sum += ev->at[r];
    }
    for (size_t a = 0; a < k; a++) {
        size_t p = order ? order[a] : first + a, r = s->rank[p];
        credit_events(s, p, +1, below[r], ev->total - below[r] - ev->at[r], ev->total);
    }
    for (size_t r = 0; r < ev->size; r++) below[r] = 0.0;
}

/* One stratum: sweep positions lo..hi-1 (and entry[lo..hi-1]); its ranks are 0..n_ranks-1. */
static void count_stratum(const conc_sweep *s, conc_trees *tr, size_t lo, size_t hi, size_t n_ranks,
                          conc_counts *cnt, int sweep)
{
    if (sweep & SWEEP_RISK) sk_rank_tree_reset(&tr->risk, n_ranks);
    if (sweep & SWEEP_EVENTS) sk_rank_tree_reset(&tr->events, n_ranks);
    size_t left = lo; /* rows entry_pos[lo..left-1] have left the risk set */
    for (size_t i = lo; i < hi;) {
        double t = s->time[i];
        size_t j = i;
        bool any_event = false;
        for (; j < hi && s->time[j] == t; j++) any_event |= s->event[j] != 0;
        if (any_event && s->entry != NULL)
            for (; left < hi && s->entry[left] >= t; left++)
                move_risk_set(s, tr, s->entry_pos[left], -1, sweep);
        for (size_t p = i; p < j; p++)
            if (!s->event[p]) move_risk_set(s, tr, p, +1, sweep);
        if (any_event) count_events(s, tr, i, j, cnt, sweep);
        i = j;
    }
    if (!(sweep & SWEEP_EVENTS)) return;
    if (s->entry != NULL) close_books(s, tr, s->entry_pos + left, 0, hi - left);
    else close_books(s, tr, NULL, lo, hi - lo);
}

static survkit_status check_inputs(size_t n, const double *start, const double *time,
                                   const double *status, const double *eta, const double *weights,
                                   const int32_t *strata, size_t n_strata, survkit_error *err)
{
    RETURN_ERROR_IF(n == 0, err, SURVKIT_ERR_NO_DATA, "concordance: no rows");
    RETURN_ERROR_IF(time == NULL || status == NULL || eta == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "concordance: time, status and linear predictor are required");
    RETURN_ERROR_IF(strata != NULL && (n_strata == 0 || n_strata > (size_t)INT32_MAX + 1), err,
                    SURVKIT_ERR_ARGUMENT, "concordance: n_strata %zu out of range", n_strata);
    for (size_t i = 0; i < n; i++) {
        RETURN_ERROR_IF(isnan(time[i]), err, SURVKIT_ERR_DOMAIN, "concordance: time[%zu] is NaN", i);
        RETURN_ERROR_IF(status[i] != 0 && status[i] != 1, err, SURVKIT_ERR_DOMAIN,
                        "concordance: status[%zu] = %g is not 0 or 1", i, status[i]);
        RETURN_ERROR_IF(isnan(eta[i]), err, SURVKIT_ERR_DOMAIN,
                        "concordance: linear predictor [%zu] is NaN", i);
        RETURN_ERROR_IF(start != NULL && !(start[i] < time[i]), err, SURVKIT_ERR_DOMAIN,
                        "concordance: start[%zu] = %g is not below time %g", i, start[i], time[i]);
        RETURN_ERROR_IF(weights != NULL && !(weights[i] >= 0 && isfinite(weights[i])), err,
                        SURVKIT_ERR_DOMAIN, "concordance: weight[%zu] = %g is not a finite value >= 0",
                        i, weights[i]);
        RETURN_ERROR_IF(strata != NULL && (strata[i] < 0 || (size_t)strata[i] >= n_strata), err,
                        SURVKIT_ERR_ARGUMENT, "concordance: stratum code [%zu] = %d out of 0..%zu", i,
                        (int)strata[i], n_strata - 1);
    }
    return SURVKIT_OK;
}

static size_t stratum_of(const int32_t *strata, size_t row)
{
    return strata ? (size_t)strata[row] : 0;
}

/*
 * Stable order of `keys` (ascending or descending), grouped by stratum.
 * Inputs: keys[n], strata[n] or NULL. Output: order[n]. scratch[n] is clobbered.
 */
static bool order_within_strata(const double *keys, size_t n, bool descending, const int32_t *strata,
                                size_t n_strata, size_t *order, size_t *scratch)
{
    if (strata == NULL) return sk_sort_order(keys, n, descending, order);
    return sk_sort_order(keys, n, descending, scratch) &&
           sk_sort_by_code(strata, n_strata, scratch, n, order);
}

/* Dense ranks of eta within each stratum, from an order by (stratum, eta). */
static void rank_within_strata(const double *eta, const int32_t *strata, const size_t *by_eta,
                               size_t n, size_t *rank)
{
    size_t r = 0;
    for (size_t i = 0; i < n; i++) {
        size_t row = by_eta[i], prev = i > 0 ? by_eta[i - 1] : row;
        if (i > 0 && stratum_of(strata, row) != stratum_of(strata, prev)) r = 0;
        else if (i > 0 && eta[row] != eta[prev]) r++;
        rank[row] = r;
    }
}

/* Every scratch array of one computation; allocated together, freed together. */
typedef struct conc_workspace {
    size_t *rank;      /* by row: rank of eta within the stratum; later the row's sweep position */
    size_t *by_stop;   /* rows by stratum, then descending time: position p holds row by_stop[p] */
    size_t *by_start;  /* rows by stratum, then descending entry time; then their positions */
    size_t *scratch;   /* sort scratch; then the ranks in sweep order */
    double *time, *weight, *entry, *u, *m;
    double *u_events, *m_events; /* the event sweep's part of U and M */
    uint8_t *event;
    conc_trees trees[2];         /* the risk sweep's, the event sweep's */
} conc_workspace;

static void workspace_free(conc_workspace *w)
{
    free(w->rank);
    free(w->by_stop);
    free(w->by_start);
    free(w->scratch);
    free(w->time);
    free(w->weight);
    free(w->entry);
    free(w->u);
    free(w->m);
    free(w->u_events);
    free(w->m_events);
    free(w->event);
    for (int k = 0; k < 2; k++) {
        free(w->trees[k].risk.prefix);
        free(w->trees[k].risk.at);
        free(w->trees[k].events.prefix);
        free(w->trees[k].events.at);
        free(w->trees[k].per_rank);
    }
}

/* The tree of one sweep and its per-rank scratch (zeroed). */
static bool trees_alloc(conc_trees *tr, int sweep, size_t max_ranks)
{
    sk_rank_tree *tree = sweep == SWEEP_RISK ? &tr->risk : &tr->events;
    tree->prefix = sk_malloc_filled(max_ranks + 1, sizeof(double));
    tree->at = sk_malloc_filled(max_ranks, sizeof(double));
    tr->per_rank = sk_calloc_array(max_ranks, sizeof(double));
    return tree->prefix && tree->at && tr->per_rank;
}

/*
 * Sort, rank and gather the inputs into sweep order (inputs already checked), filling w and *s.
 * Returns the largest number of distinct eta in a stratum, or 0 when memory runs out.
 */
static size_t prepare_sweep(size_t n, const double *start, const double *time, const double *status,
                            const double *eta, const double *weights, const int32_t *strata,
                            size_t n_strata, conc_workspace *w, conc_sweep *s)
{
    w->rank = sk_malloc_filled(n, sizeof *w->rank);
    w->by_stop = sk_malloc_filled(n, sizeof *w->by_stop);
    w->by_start = start ? sk_malloc_filled(n, sizeof *w->by_start) : NULL;
    w->scratch = sk_malloc_filled(n, sizeof *w->scratch);
    w->time = sk_malloc_filled(n, sizeof *w->time);
    w->event = sk_malloc_filled(n, sizeof *w->event);
    w->weight = weights ? sk_malloc_filled(n, sizeof *w->weight) : NULL;
    w->entry = start ? sk_malloc_filled(n, sizeof *w->entry) : NULL;
    w->u = sk_calloc_array(n, sizeof *w->u);
    w->m = sk_calloc_array(n, sizeof *w->m);
    w->u_events = sk_calloc_array(n, sizeof *w->u_events);
    w->m_events = sk_calloc_array(n, sizeof *w->m_events);
    if (!w->rank || !w->by_stop || (start && (!w->by_start || !w->entry)) || !w->scratch ||
        !w->time || !w->event || (weights && !w->weight) || !w->u || !w->m || !w->u_events ||
        !w->m_events)
        return 0;

    /* Ranks of eta within strata (by_stop holds the order by eta meanwhile). */
    if (!order_within_strata(eta, n, false, strata, n_strata, w->by_stop, w->scratch)) return 0;
    rank_within_strata(eta, strata, w->by_stop, n, w->rank);
    size_t max_ranks = 0;
    for (size_t i = 0; i < n; i++)
        if (w->rank[i] + 1 > max_ranks) max_ranks = w->rank[i] + 1;

    if (!order_within_strata(time, n, true, strata, n_strata, w->by_stop, w->scratch)) return 0;
    if (start && !order_within_strata(start, n, true, strata, n_strata, w->by_start, w->scratch))
        return 0;

    size_t *sweep_rank = w->scratch;
    for (size_t p = 0; p < n; p++) {
        size_t row = w->by_stop[p];
        sweep_rank[p] = w->rank[row];
        w->time[p] = time[row];
        w->event[p] = status[row] != 0;
        if (weights) w->weight[p] = weights[row];
        w->rank[row] = p; /* from here on: the row's position */
    }
    if (start) {
        for (size_t k = 0; k < n; k++) {
            size_t row = w->by_start[k];
            w->entry[k] = start[row];
            w->by_start[k] = w->rank[row];
        }
    }
    *s = (conc_sweep){w->time, w->event, w->weight, sweep_rank, w->entry, w->by_start, w->u, w->m};
    if (!trees_alloc(&w->trees[0], SWEEP_RISK, max_ranks) ||
        !trees_alloc(&w->trees[1], SWEEP_EVENTS, max_ranks))
        return 0;
    return max_ranks;
}

/*
 * The counts and the per-position U, M of every stratum (inputs already checked). Returns false
 * when scratch memory cannot be allocated.
 */
/* One sweep over every stratum. */
typedef struct sweep_job {
    const conc_sweep *s;       /* [0] the risk sweep's view, [1] the event sweep's (its own U, M) */
    conc_workspace *w;
    const int32_t *strata;
    size_t n;
    bool counting;
    conc_counts *cnt;          /* the risk sweep's counts */
} sweep_job;

static void run_sweep(void *ctx, size_t task)
{
    const sweep_job *job = ctx;
    const conc_sweep *s = &job->s[task];
    conc_counts unused = {0};
    const int sweep = task == 0 ? SWEEP_RISK : SWEEP_EVENTS;
    /* Each stratum is one contiguous range of positions, in by_stop and in by_start alike. */
    for (size_t lo = 0; lo < job->n;) {
        size_t code = stratum_of(job->strata, job->w->by_stop[lo]), hi = lo, n_ranks = 0;
        for (; hi < job->n && stratum_of(job->strata, job->w->by_stop[hi]) == code; hi++)
            if (s->rank[hi] + 1 > n_ranks) n_ranks = s->rank[hi] + 1;
        assert(!job->counting || stratum_of(job->strata, job->w->by_stop[s->entry_pos[lo]]) == code);
        count_stratum(s, &job->w->trees[task], lo, hi, n_ranks, task == 0 ? job->cnt : &unused,
                      sweep);
        lo = hi;
    }
}

enum { PARALLEL_MIN_ROWS = 20000 };

/*
 * The counts and the per-position U, M of every stratum (inputs already checked). Returns false
 * when scratch memory cannot be allocated.
 */
static bool count_all(size_t n, const double *start, const double *time, const double *status,
                      const double *eta, const double *weights, const int32_t *strata,
                      size_t n_strata, conc_workspace *w, conc_sweep *s, conc_counts *cnt)
{
    if (prepare_sweep(n, start, time, status, eta, weights, strata, n_strata, w, s) == 0)
        return false;
    conc_sweep views[2] = {*s, *s};
    views[1].u = w->u_events;
    views[1].m = w->m_events;
    sweep_job job = {views, w, strata, n, start != NULL, cnt};
    if (n >= PARALLEL_MIN_ROWS) {
        sk_parallel_run(2, run_sweep, &job);
    } else {
        run_sweep(&job, 0);
        run_sweep(&job, 1);
    }
    for (size_t p = 0; p < n; p++) {
        w->u[p] += w->u_events[p];
        w->m[p] += w->m_events[p];
    }
    return true;
}

/*
 * R's variance of Somers' d: the sum of squared dfbeta, summed within clusters first when there are
 * clusters. Positions p hold rows by_stop[p]. Returns false when memory runs out.
 */
static bool jackknife_variance(const conc_sweep *s, const size_t *by_stop, size_t n,
                               const int32_t *cluster, size_t n_clusters, double somers_d,
                               double pairs, double *var)
{
    double *per_cluster = cluster ? sk_calloc_array(n_clusters, sizeof *per_cluster) : NULL;
    if (cluster && !per_cluster) return false;
    double sum = 0.0;
    for (size_t p = 0; p < n; p++) {
        double dfbeta = weight_at(s, p) * (s->u[p] - somers_d * s->m[p]) / pairs;
        if (cluster) per_cluster[cluster[by_stop[p]]] += dfbeta;
        else sum += dfbeta * dfbeta;
    }
    for (size_t g = 0; cluster && g < n_clusters; g++) sum += per_cluster[g] * per_cluster[g];
    free(per_cluster);
    *var = sum;
    return true;
}

survkit_status survkit_concordance_cluster(size_t n, const double *start, const double *time,
                                           const double *status, const double *linear_predictor,
                                           const double *weights, const int32_t *strata,
                                           size_t n_strata, const int32_t *cluster,
                                           size_t n_clusters, double *c_index, double *std_err,
                                           double counts[5], survkit_error *err)
{
    RETURN_IF_ERROR(check_inputs(n, start, time, status, linear_predictor, weights, strata,
                                 n_strata, err));
    for (size_t i = 0; cluster && i < n; i++)
        RETURN_ERROR_IF(cluster[i] < 0 || (size_t)cluster[i] >= n_clusters, err,
                        SURVKIT_ERR_ARGUMENT, "concordance: cluster code [%zu] = %d out of 0..%zu",
                        i, (int)cluster[i], n_clusters - 1);
    conc_workspace w = {0};
    conc_sweep s;
    conc_counts cnt = {0};
    double pairs = 0.0, somers_d = 0.0, var_d = 0.0;
    bool ok = count_all(n, start, time, status, linear_predictor, weights, strata, n_strata, &w, &s,
                        &cnt);
    if (ok) {
        pairs = cnt.concordant + cnt.discordant + cnt.tied_x;
        somers_d = (cnt.concordant - cnt.discordant) / pairs;
        ok = jackknife_variance(&s, w.by_stop, n, cluster, n_clusters, somers_d, pairs, &var_d);
    }
    workspace_free(&w);
    if (!ok)
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "concordance: out of memory (n = %zu)",
                            n);

    bool comparable = pairs > 0;
    if (c_index) *c_index = comparable ? (somers_d + 1) / 2 : NAN;
    if (std_err) *std_err = comparable ? sqrt(var_d / 4) : NAN;
    if (counts) {
        counts[SURVKIT_CONCORDANCE_CONCORDANT] = cnt.concordant;
        counts[SURVKIT_CONCORDANCE_DISCORDANT] = cnt.discordant;
        counts[SURVKIT_CONCORDANCE_TIED_X] = cnt.tied_x;
        counts[SURVKIT_CONCORDANCE_TIED_Y] = cnt.tied_y - cnt.tied_xy;
        counts[SURVKIT_CONCORDANCE_TIED_XY] = cnt.tied_xy;
    }
    return SURVKIT_OK;
}

survkit_status survkit_concordance(size_t n, const double *start, const double *time,
                                   const double *status, const double *linear_predictor,
                                   const double *weights, const int32_t *strata, size_t n_strata,
                                   double *c_index, double *std_err, double counts[5],
                                   survkit_error *err)
{
    return survkit_concordance_cluster(n, start, time, status, linear_predictor, weights, strata,
                                       n_strata, NULL, 0, c_index, std_err, counts, err);
}

survkit_status sk_concordance_cox(size_t n, const double *start, const double *time,
                                  const double *status, const double *linear_predictor,
                                  const double *weights, const int32_t *strata, size_t n_strata,
                                  double *c_index, double *std_err, survkit_error *err)
{
    return survkit_concordance(n, start, time, status, linear_predictor, weights, strata, n_strata,
                               c_index, std_err, NULL, err);
}
