/*
 * concordance.c: Harrell's concordance of a risk score, with its infinitesimal-jackknife standard
 * error, in O(n log m) for m distinct event times: the numbers of R's coxph fit$concordance
 * (survival 3.5-3, concordancefit with timewt = "n", reverse = TRUE; the quantities of Therneau's
 * concordance3/concordance4, computed another way).
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
 * over all strata. (R folds more than 10 strata into one shifted counting-process data set; the
 * pairs, and so the numbers, are the same.)
 *
 * Slots. The distinct event times of a stratum, latest first, are its slots 0..E-1 (cox_data.c's
 * layout, whose sentinel is slot E); row j is at risk at the slots [kin_j, kout_j), R's rule
 * s_j < t <= t_j. Y*_j(t_k) = 1 exactly when a_j <= k < kout_j, with a_j = kin_j + delta_j: an
 * event is compared with the events of later slots only, a censoring also with those of its own.
 * So every row is the interval [a_j, kout_j) of slots, and every event a point k_i = kin_i.
 *
 * Algorithm. Rows are sorted by (stratum, eta) and each stratum is swept in ascending eta, a group
 * of equal eta at a time, with two Fenwick trees indexed by slot (slot_tree.h):
 *
 *   the risk tree holds +v_j at a_j and, when j leaves before the stratum ends, -v_j at kout_j, so
 *   its weight at slots <= k is the weight of the rows compared with an event at slot k that were
 *   passed so far (smaller eta). For each event i of a group: below_i is read before the group is
 *   added, below_i + at_i after (only when the group has more than one row), and
 *   above_i = W_k - below_i - at_i with W_k the static weight compared at slot k (a prefix sum of
 *   the same +/- weights). This gives C, D, T and the event's part of U and M:
 *   U_i += below_i - above_i, M_i += W_k.
 *
 *   the event tree holds +v_i at k_i for the events passed so far; row j's weight of events with
 *   smaller eta is its range [a_j, kout_j) in the tree, read before and after its group's events
 *   are added as above, and the events above it are the static event weight of its range minus
 *   those. This gives the at-risk member's part: U_j += above_j - below_j, M_j += its range total.
 *
 * Events at the same slot are the tied-on-time pairs (Ty), with equal eta too within a group (Txy).
 *
 * Why this way round. The trees used to be indexed by the rank of eta (as many as the rows for
 * continuous scores: two 8 MB trees, 20 levels of cache misses) and swept in time order. Everything
 * above is symmetric in the two roles, so sweeping in eta order with trees over the event times
 * gives the same sums, in another order: with day-valued times (a few thousand slots) the trees stay
 * in the first-level cache, and with continuous times they are no larger than before. Each row
 * costs a constant number of O(log E) tree operations.
 *
 * Around the sweeps. The slots come from cox_data.c's layout: the Cox fit passes its own, so the
 * times are not sorted again. Each row's a_j, kout_j and delta_j are packed into one word. With the
 * layout at hand and one stratum (the Cox fit's usual case), the words are packed on two threads
 * and sorted along with eta by core/bucket_sort.h, which hands them back in sweep order: nothing is
 * read by row afterwards but the weights. Otherwise one thread sorts the rows by (stratum, eta) with
 * core/sort.h while the other builds the layout (public entry points only) and packs the words in
 * row order, and the rows are then gathered into sweep order on two threads -- two random reads a
 * row, the packed word and eta, against four unpacked. Either way the sweeps read memory in
 * sequence; slots are 32-bit there (at most 2^31 - 1 rows, the Cox fit's own limit).
 *
 * The two trees never meet: the risk tree gives the counts and the event's part of U and M, the
 * event tree the at-risk member's part. So the sweep runs twice, once per tree,
 * on two threads for large n (always as two sweeps, so the numbers do not depend on the cores),
 * each writing its own U and M, summed in the jackknife (in sweep order; a cluster's code is read
 * through the order).
 */
#include "cox/concordance.h"
#include "core/memory.h"

#include "core/bucket_sort.h"
#include "core/internal.h"
#include "core/parallel.h"
#include "core/sort.h"
#include "cox/slot_tree.h"

#include <math.h>
#include <stdlib.h>

/* The pair counts, indices as in <survkit/concordance.h>; tied_y here still includes tied_xy. */
typedef struct conc_counts {
    double concordant, discordant, tied_x, tied_y, tied_xy;
} conc_counts;

enum { ROW_EVENT = 1, ROW_NEW_GROUP = 2 }; /* conc_rows.flags */

/*
 * The rows in sweep order -- by stratum, then by ascending eta -- so that the sweeps read memory in
 * sequence; rows are known by their sweep position q. Slots are numbered within the stratum, in
 * 32 bits (so at most 2^31 - 1 rows: see rows_prepare).
 */
typedef struct conc_rows {
    size_t n;
    size_t *order;          /* order[q]: the row at position q */
    uint32_t *first;        /* a_q = kin_q + delta_q: the first slot at which q is compared */
    uint32_t *stop;         /* kout_q: q is compared at the slots [first_q, stop_q) */
    uint8_t *flags;         /* ROW_EVENT; ROW_NEW_GROUP at the first position of a group of eta */
    double *weight;         /* case weights, NULL for all 1 */
    uint64_t *packed;       /* by row: first | stop << 32 | delta << 63 (scratch of rows_prepare) */
    bool own_packed, own_slots; /* packed, first (with stop) allocated here, not lent */
} conc_rows;

enum { PARALLEL_MIN_ROWS = 20000 };

static double weight_at(const conc_rows *r, size_t q)
{
    return r->weight ? r->weight[q] : 1.0;
}

/* The end of the group of equal eta that starts at position q (positions below hi). */
static size_t group_end(const conc_rows *r, size_t q, size_t hi)
{
    size_t end = q + 1;
    while (end < hi && !(r->flags[end] & ROW_NEW_GROUP)) end++;
    return end;
}

/* Scratch of one sweep, sized for the stratum with the most slots (max_slots event slots). */
typedef struct conc_scratch {
    sk_slot_tree tree;
    double *per_slot;   /* risk sweep: W_k, the weight compared at slot k. Event sweep: the event
                           weight at slots below k (max_slots + 1 of them) */
    double *tied_time;  /* risk sweep: event weight passed so far at each slot */
    double *tied_group; /* risk sweep: event weight of the current group at each slot */
} conc_scratch;

/*
 * The risk sweep of one stratum (positions lo..hi-1, event slots 0..n_slots-1): adds the counts to
 * *cnt, and writes the event's part of U and M to u[q], m[q] (0 for censored rows).
 */
static void risk_sweep(const conc_rows *r, size_t lo, size_t hi, size_t n_slots, conc_scratch *sc,
                       double *u, double *m, conc_counts *cnt)
{
    double *compared = sc->per_slot;
    for (size_t k = 0; k < n_slots; k++) compared[k] = sc->tied_time[k] = sc->tied_group[k] = 0.0;
    for (size_t q = lo; q < hi; q++) {
        if (r->first[q] >= r->stop[q]) continue; /* never compared */
        double v = weight_at(r, q);
        compared[r->first[q]] += v;
        if (r->stop[q] < n_slots) compared[r->stop[q]] -= v;
    }
    for (size_t k = 1; k < n_slots; k++) compared[k] += compared[k - 1];

    /* One slot more than the events use, so that slot n_slots - 1 is read like any other. */
    sk_slot_tree_reset(&sc->tree, n_slots + 1);
    conc_counts c = {0}; /* locals: the stores to u and m could alias *cnt */
    for (size_t g = lo; g < hi;) {
        size_t end = group_end(r, g, hi);
        bool tied = end - g > 1;
        for (size_t q = g; q < end; q++) /* below_q, kept in u[q] meanwhile */
            if (r->flags[q] & ROW_EVENT) u[q] = sk_slot_tree_below(&sc->tree, r->first[q]);
        for (size_t q = g; q < end; q++) {
            if (r->first[q] >= r->stop[q]) continue;
            double v = weight_at(r, q);
            sk_slot_tree_add(&sc->tree, r->first[q], v);
            if (r->stop[q] < n_slots) sk_slot_tree_add(&sc->tree, r->stop[q], -v);
        }
        for (size_t q = g; q < end; q++) {
            if (!(r->flags[q] & ROW_EVENT)) {
                u[q] = m[q] = 0.0;
                continue;
            }
            size_t k = r->first[q] - 1; /* the event's slot */
            double v = weight_at(r, q), below = u[q];
            double at = tied ? sk_slot_tree_below(&sc->tree, k + 1) - below : 0.0;
            double above = compared[k] - below - at;
            c.concordant += v * below;
            c.discordant += v * above;
            c.tied_x += v * at;
            u[q] = below - above;
            m[q] = compared[k];
            c.tied_y += v * sc->tied_time[k];
            sc->tied_time[k] += v;
            if (tied) {
                c.tied_xy += v * sc->tied_group[k];
                sc->tied_group[k] += v;
            }
        }
        for (size_t q = g; tied && q < end; q++)
            if (r->flags[q] & ROW_EVENT) sc->tied_group[r->first[q] - 1] = 0.0;
        g = end;
    }
    cnt->concordant += c.concordant;
    cnt->discordant += c.discordant;
    cnt->tied_x += c.tied_x;
    cnt->tied_y += c.tied_y;
    cnt->tied_xy += c.tied_xy;
}

/*
 * The event sweep of one stratum: writes the at-risk member's part of U and M to u[q], m[q] (0 for
 * rows never compared).
 */
static void event_sweep(const conc_rows *r, size_t lo, size_t hi, size_t n_slots, conc_scratch *sc,
                        double *u, double *m)
{
    double *events_below = sc->per_slot; /* n_slots + 1: the stratum's event weight below slot k */
    for (size_t k = 0; k <= n_slots; k++) events_below[k] = 0.0;
    for (size_t q = lo; q < hi; q++)
        if (r->flags[q] & ROW_EVENT) events_below[r->first[q]] += weight_at(r, q);
    for (size_t k = 1; k <= n_slots; k++) events_below[k] += events_below[k - 1];

    sk_slot_tree_reset(&sc->tree, n_slots);
    double passed = 0.0; /* the weight of the events in the tree */
    for (size_t g = lo; g < hi;) {
        size_t end = group_end(r, g, hi);
        bool tied = end - g > 1;
        /* Rows that stay to the stratum's end (stop = n_slots) see every event passed. */
        for (size_t q = g; q < end; q++) /* below_q, kept in u[q] meanwhile */
            if (r->first[q] < r->stop[q])
                u[q] = (r->stop[q] == n_slots ? passed : sk_slot_tree_below(&sc->tree, r->stop[q])) -
                       sk_slot_tree_below(&sc->tree, r->first[q]);
        for (size_t q = g; q < end; q++) {
            if (!(r->flags[q] & ROW_EVENT)) continue;
            double v = weight_at(r, q);
            sk_slot_tree_add(&sc->tree, r->first[q] - 1, v);
            passed += v;
        }
        for (size_t q = g; q < end; q++) {
            if (r->first[q] >= r->stop[q]) {
                u[q] = m[q] = 0.0;
                continue;
            }
            double below = u[q], total = events_below[r->stop[q]] - events_below[r->first[q]];
            double at = 0.0;
            if (tied)
                at = (r->stop[q] == n_slots ? passed : sk_slot_tree_below(&sc->tree, r->stop[q])) -
                     sk_slot_tree_below(&sc->tree, r->first[q]) - below;
            double above = total - below - at;
            u[q] = above - below;
            m[q] = total;
        }
        g = end;
    }
}

/* The two sweeps over every stratum, and the rows' preparation before them. */
typedef struct sweep_job {
    size_t n;
    const double *status, *eta, *weights; /* by row */
    const int32_t *strata;   /* by row, for the sort (NULL: one stratum) */
    size_t n_strata;
    const sk_cox_layout *lay; /* the caller's, or &own */
    sk_cox_layout own;        /* built here when the caller has no layout: */
    const double *start, *time;
    survkit_error *err;
    survkit_status layout_status;
    conc_rows *rows;
    bool ordered;            /* the sort found its memory */
    sk_sort_item *sorted;    /* sk_sort_carry's output (one stratum, the caller's layout) */
    bool own_sorted;         /* sorted allocated here, not the loan's sort_space */
    conc_scratch scratch[2]; /* the risk sweep's, the event sweep's */
    double *u[2], *m[2];     /* each sweep's part of U and M, by position */
    bool own_um;             /* u and m allocated here (else in `sorted` and `packed`, see job_run) */
    bool need_order;         /* rows->order is read after the sort (clusters) */
    sk_concordance_loan loan; /* the caller's spare arrays (concordance.h) */
    conc_counts cnt;         /* the risk sweep's counts */
} sweep_job;

static void run_sweep(void *ctx, size_t task)
{
    sweep_job *job = ctx;
    const conc_rows *r = job->rows;
    const sk_cox_layout *lay = job->lay;
    /* Stratum s holds the positions stratum_first_row[s].. and the slots stratum_first_slot[s]..,
     * the last of which is its sentinel. */
    for (size_t s = 0; s < lay->n_strata; s++) {
        size_t lo = lay->stratum_first_row[s], hi = lay->stratum_first_row[s + 1];
        size_t n_slots = lay->stratum_first_slot[s + 1] - lay->stratum_first_slot[s] - 1;
        if (task == 0)
            risk_sweep(r, lo, hi, n_slots, &job->scratch[0], job->u[0], job->m[0], &job->cnt);
        else
            event_sweep(r, lo, hi, n_slots, &job->scratch[1], job->u[1], job->m[1]);
    }
}

/* Rows [lo, hi)'s first, stop (within the stratum) and delta, packed into one word each. */
static void pack_rows(sweep_job *job, size_t lo, size_t hi)
{
    const sk_cox_layout *lay = job->lay;
    uint64_t *packed = job->rows->packed;
    for (size_t row = lo; row < hi; row++) {
        uint64_t delta = job->status[row] != 0;
        /* one stratum: its rows' codes are 0, not read (cox_data.c leaves them unmapped) */
        size_t base = lay->n_strata > 1 ? lay->stratum_first_slot[lay->row_stratum[row]] : 0;
        packed[row] = (uint64_t)(lay->kin[row] - base + delta) |
                      (uint64_t)(lay->kout[row] - base) << 32 | delta << 63;
    }
}

/*
 * Task 0 sorts the rows by (stratum, eta); task 1 meanwhile builds the layout when the caller has
 * none (the time sort), then packs, in row order, what the sweeps read of it: first, stop (within
 * the stratum) and delta.
 */
static void sort_and_pack(void *ctx, size_t task)
{
    sweep_job *job = ctx;
    conc_rows *r = job->rows;
    size_t n = job->n;
    if (task == 0) {
        if (job->strata == NULL || job->n_strata == 1) {
            job->ordered = sk_sort_order(job->eta, n, false, r->order);
            return;
        }
        size_t *by_eta = sk_malloc_filled(n, sizeof *by_eta);
        job->ordered = by_eta && sk_sort_order(job->eta, n, false, by_eta) &&
                      sk_sort_by_code(job->strata, job->n_strata, by_eta, n, r->order);
        free(by_eta);
        return;
    }
    if (job->lay == NULL) {
        job->layout_status = sk_cox_layout_build_unchecked(n, job->start, job->time, job->status,
                                                           job->weights, job->strata,
                                                           job->n_strata, false, &job->own,
                                                           job->err);
        if (job->layout_status != SURVKIT_OK) return;
        job->lay = &job->own;
    }
    pack_rows(job, 0, n);
}

/* Task t of 2 packs its half of the rows (the layout is the caller's). */
static void pack_half(void *ctx, size_t task)
{
    sweep_job *job = ctx;
    size_t lo, hi;
    sk_parallel_range(job->n, 2, task, &lo, &hi);
    pack_rows(job, lo, hi);
}

/* Position q in sweep order: the row, its packed word and its eta (prev: the eta before it). */
static inline void put_position(conc_rows *r, const double *weights, size_t q, size_t row,
                                uint64_t code, double e, double prev)
{
    r->first[q] = (uint32_t)code;
    r->stop[q] = (uint32_t)(code >> 32) & 0x7fffffffu;
    r->flags[q] = (uint8_t)((code >> 63) | (e != prev ? ROW_NEW_GROUP : 0));
    if (r->weight) r->weight[q] = weights[row];
}

/* Task t of 2 gathers the positions of its half into sweep order, by row (after sort_and_pack). */
static void gather(void *ctx, size_t task)
{
    sweep_job *job = ctx;
    conc_rows *r = job->rows;
    size_t lo, hi;
    sk_parallel_range(r->n, 2, task, &lo, &hi);
    double prev = lo > 0 ? job->eta[r->order[lo - 1]] : NAN;
    for (size_t q = lo; q < hi; q++) {
        size_t row = r->order[q];
        double e = job->eta[row];
        put_position(r, job->weights, q, row, r->packed[row], e, prev);
        prev = e;
    }
}

/* Task t of 2 unpacks the positions of its half, whose words and etas came sorted (sk_sort_carry):
 * only the weights are read by row. */
static void unpack(void *ctx, size_t task)
{
    sweep_job *job = ctx;
    conc_rows *r = job->rows;
    size_t lo, hi;
    sk_parallel_range(r->n, 2, task, &lo, &hi);
    const sk_sort_item *item = job->sorted;
    for (size_t q = lo; q < hi; q++) {
        if (r->order != NULL) r->order[q] = item[q].row;
        put_position(r, job->weights, q, item[q].row, item[q].payload, item[q].key,
                     q > 0 ? item[q - 1].key : NAN);
    }
}

/* job_run keeps three n-vectors in the sorted items once they are read (see there). */
_Static_assert(sizeof(sk_sort_item) >= 3 * sizeof(double), "a sorted item holds three doubles");

static void rows_free(conc_rows *r)
{
    free(r->order);
    if (r->own_slots) free(r->first);
    free(r->flags);
    free(r->weight);
    if (r->own_packed) free(r->packed);
}

/*
 * Sort the rows by (stratum, eta) and gather what the sweeps read into that order (the job's inputs
 * set). Returns false when memory runs out (job_free releases what was allocated).
 */
static bool rows_prepare(sweep_job *job)
{
    conc_rows *r = job->rows;
    size_t n = job->n;
    bool parallel = n >= PARALLEL_MIN_ROWS;
    *r = (conc_rows){.n = n};
    /* One stratum and the layout at hand: pack, then sort the packed words along with eta. Else
     * sort (by stratum too) while the layout is built and packed, then gather by row. The sorted
     * items carry the rows, so that the order is kept there only for clusters. */
    const bool carry = job->lay != NULL && (job->strata == NULL || job->n_strata == 1);
    if (!carry || job->need_order) {
        r->order = sk_malloc_filled(n, sizeof *r->order);
        if (r->order == NULL) return false;
    }
    r->packed = job->loan.block[0];
    r->own_packed = r->packed == NULL;
    if (r->own_packed && (r->packed = sk_malloc_filled(n, sizeof *r->packed)) == NULL) return false;
    if (carry) {
        sk_parallel_run_if(parallel, 2, pack_half, job);
        job->own_sorted = job->loan.sort_space == NULL || job->loan.sort_bytes / sizeof *job->sorted < n;
        job->sorted = job->own_sorted ? sk_malloc_filled(n, sizeof *job->sorted) : job->loan.sort_space;
        job->ordered = job->sorted && sk_sort_carry(job->eta, r->packed, n, job->sorted);
    } else {
        sk_parallel_run_if(parallel, 2, sort_and_pack, job);
    }
    if (!job->ordered || job->lay == NULL) return false;
    const sk_cox_layout *lay = job->lay;
    /* first and stop: one block of 2 n words (the second loan has room for n doubles) */
    r->first = job->loan.block[1];
    r->own_slots = r->first == NULL;
    if (r->own_slots) r->first = sk_malloc_filled(n, 2 * sizeof *r->first);
    r->stop = r->first ? r->first + n : NULL;
    r->flags = sk_malloc_filled(n, sizeof *r->flags);
    r->weight = job->weights ? sk_malloc_filled(n, sizeof *r->weight) : NULL;
    if (!r->first || !r->flags || (job->weights && !r->weight)) return false;
    sk_parallel_run_if(parallel, 2, carry ? unpack : gather, job);
    /* A stratum's first position starts a group whatever the eta before it. */
    for (size_t s = 0; s < lay->n_strata; s++)
        if (lay->stratum_first_row[s] < n) r->flags[lay->stratum_first_row[s]] |= ROW_NEW_GROUP;
    /* After the sort, the sorted items and the packed words are read no more: job_run writes U
     * and M there when they are at hand. */
    if (!carry && r->own_packed) {
        free(r->packed);
        r->packed = NULL;
    }
    return true;
}

static void job_free(sweep_job *job)
{
    rows_free(job->rows);
    if (job->own_sorted) free(job->sorted);
    sk_cox_layout_free(&job->own);
    for (int t = 0; t < 2; t++) {
        free(job->scratch[t].tree.node);
        free(job->scratch[t].per_slot);
        free(job->scratch[t].tied_time);
        free(job->scratch[t].tied_group);
        if (job->own_um) free(job->u[t]), free(job->m[t]);
    }
}

/* The per-position U, M of both sweeps, and the counts. Returns false when memory runs out. */
static bool job_run(sweep_job *job)
{
    const sk_cox_layout *lay = job->lay;
    size_t n = lay->n, max_slots = 0;
    for (size_t s = 0; s < lay->n_strata; s++) {
        size_t slots = lay->stratum_first_slot[s + 1] - lay->stratum_first_slot[s] - 1;
        if (slots > max_slots) max_slots = slots;
    }
    bool ok = true;
    /* U and M of both sweeps, four n-vectors: the sorted items (three doubles a row) and the
     * packed words (one), read no more, when the sort carried them (rows_prepare). */
    double *spare = (double *)job->sorted;
    job->own_um = spare == NULL || job->rows->packed == NULL;
    if (!job->own_um) {
        job->u[0] = spare, job->m[0] = spare + n, job->u[1] = spare + 2 * n;
        job->m[1] = (double *)job->rows->packed;
    }
    for (int t = 0; t < 2; t++) {
        conc_scratch *sc = &job->scratch[t];
        sc->tree.node = sk_malloc_array(max_slots + 2, sizeof(double));
        sc->per_slot = sk_malloc_array(max_slots + 1, sizeof(double));
        if (job->own_um) {
            job->u[t] = sk_malloc_filled(n, sizeof(double));
            job->m[t] = sk_malloc_filled(n, sizeof(double));
        }
        ok = ok && sc->tree.node && sc->per_slot && job->u[t] && job->m[t];
    }
    job->scratch[0].tied_time = sk_malloc_array(max_slots, sizeof(double));
    job->scratch[0].tied_group = sk_malloc_array(max_slots, sizeof(double));
    if (!ok || !job->scratch[0].tied_time || !job->scratch[0].tied_group) return false;
    sk_parallel_run_if(n >= PARALLEL_MIN_ROWS, 2, run_sweep, job);
    return true;
}

/*
 * R's variance of Somers' d: the sum of squared dfbeta, summed within clusters first when there are
 * clusters (codes by row). Returns false when memory runs out.
 */
static bool jackknife_variance(const conc_rows *r, const sweep_job *job, const int32_t *cluster,
                               size_t n_clusters, double somers_d, double pairs, double *var)
{
    double *per_cluster = cluster ? sk_calloc_array(n_clusters, sizeof *per_cluster) : NULL;
    if (cluster && !per_cluster) return false;
    double sum = 0.0;
    for (size_t q = 0; q < r->n; q++) {
        double u = job->u[0][q] + job->u[1][q], m = job->m[0][q] + job->m[1][q];
        double dfbeta = sk_concordance_dfbeta(weight_at(r, q), u, m, somers_d, pairs);
        if (cluster) per_cluster[cluster[r->order[q]]] += dfbeta;
        else sum += dfbeta * dfbeta;
    }
    for (size_t g = 0; cluster && g < n_clusters; g++) sum += per_cluster[g] * per_cluster[g];
    free(per_cluster);
    *var = sum;
    return true;
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

/* What the layout does not check: the scores, and the cluster codes. */
static survkit_status check_scores(size_t n, const double *eta, const int32_t *cluster,
                                   size_t n_clusters, survkit_error *err)
{
    RETURN_ERROR_IF(eta == NULL, err, SURVKIT_ERR_ARGUMENT, "concordance: no linear predictor");
    for (size_t i = 0; i < n; i++) {
        RETURN_ERROR_IF(isnan(eta[i]), err, SURVKIT_ERR_DOMAIN,
                        "concordance: linear predictor [%zu] is NaN", i);
        RETURN_ERROR_IF(cluster != NULL && (cluster[i] < 0 || (size_t)cluster[i] >= n_clusters),
                        err, SURVKIT_ERR_ARGUMENT,
                        "concordance: cluster code [%zu] = %d out of 0..%zu", i, (int)cluster[i],
                        n_clusters - 1);
    }
    return SURVKIT_OK;
}

/* The concordance of a job whose inputs are set and checked (its layout given or to be built). */
static survkit_status concordance_run(sweep_job *job, const int32_t *cluster, size_t n_clusters,
                                      double *c_index, double *std_err, double counts[5],
                                      survkit_error *err)
{
    RETURN_ERROR_IF(job->n > (size_t)INT32_MAX, err, SURVKIT_ERR_ARGUMENT,
                    "concordance: %zu rows, more than 2^31 - 1", job->n);
    conc_rows rows = {0};
    job->rows = &rows;
    job->err = err;
    job->need_order = cluster != NULL;
    double pairs = 0.0, somers_d = 0.0, var_d = 0.0;
    bool ok = rows_prepare(job) && job_run(job);
    if (ok) {
        pairs = job->cnt.concordant + job->cnt.discordant + job->cnt.tied_x;
        somers_d = (job->cnt.concordant - job->cnt.discordant) / pairs;
        ok = jackknife_variance(&rows, job, cluster, n_clusters, somers_d, pairs, &var_d);
    }
    conc_counts cnt = job->cnt;
    job_free(job);
    if (job->layout_status != SURVKIT_OK) return job->layout_status; /* err is filled */
    if (!ok)
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "concordance: out of memory (n = %zu)",
                            job->n);

    const double all[5] = {cnt.concordant, cnt.discordant, cnt.tied_x, cnt.tied_y, cnt.tied_xy};
    sk_concordance_report(all, var_d, c_index, std_err, counts);
    return SURVKIT_OK;
}

void sk_concordance_report(const double pairs[5], double var_d, double *c_index, double *std_err,
                           double counts[5])
{
    const double m = pairs[0] + pairs[1] + pairs[2], somers_d = (pairs[0] - pairs[1]) / m;
    bool comparable = m > 0;
    if (c_index) *c_index = comparable ? (somers_d + 1) / 2 : NAN;
    if (std_err) *std_err = comparable ? sqrt(var_d / 4) : NAN;
    if (counts) {
        counts[SURVKIT_CONCORDANCE_CONCORDANT] = pairs[0];
        counts[SURVKIT_CONCORDANCE_DISCORDANT] = pairs[1];
        counts[SURVKIT_CONCORDANCE_TIED_X] = pairs[2];
        counts[SURVKIT_CONCORDANCE_TIED_Y] = pairs[3] - pairs[4];
        counts[SURVKIT_CONCORDANCE_TIED_XY] = pairs[4];
    }
}

survkit_status sk_concordance_layout(const sk_cox_layout *lay, const double *status,
                                     const double *linear_predictor, const double *weights,
                                     const int32_t *cluster, size_t n_clusters,
                                     const sk_concordance_loan *loan, double *c_index,
                                     double *std_err, double counts[5], survkit_error *err)
{
    RETURN_IF_ERROR(check_scores(lay->n, linear_predictor, cluster, n_clusters, err));
    sweep_job job = {.n = lay->n, .status = status, .eta = linear_predictor, .weights = weights,
                     .strata = lay->row_stratum, .n_strata = lay->n_strata, .lay = lay};
    if (loan != NULL) job.loan = *loan;
    return concordance_run(&job, cluster, n_clusters, c_index, std_err, counts, err);
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
    RETURN_IF_ERROR(check_scores(n, linear_predictor, cluster, n_clusters, err));
    sweep_job job = {.n = n, .status = status, .eta = linear_predictor, .weights = weights,
                     .strata = strata, .n_strata = strata ? n_strata : 1, .start = start,
                     .time = time};
    return concordance_run(&job, cluster, n_clusters, c_index, std_err, counts, err);
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
