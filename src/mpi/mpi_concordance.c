/*
 * mpi_concordance.c: coxph's concordance and its standard error over ranks, exactly, without
 * gathering the rows: memory per rank O(n/K + T + K B), for n rows, K ranks, T global event cells
 * and B events streamed per rank and round.
 *
 * The quantities are those of src/cox/concordance.c (see its header for R's definitions): an event
 * i (weight v_i, score eta_i, cell k_i) is compared with every row j whose compared cells
 * [lo_j, e_j), e_j = hi_j + 1 - delta_j, contain k_i (R's Y*_j(t_i): at risk, and not an event at
 * the same time). Per event, below_i / at_i / above_i are the compared weight with a lower / equal /
 * higher score; per row j, ebelow_j / eat_j / eabove_j the weight of the events in its compared
 * cells with a lower / equal / higher score. Then
 *
 *   C = sum_i v_i below_i,  D = sum_i v_i above_i,  T = sum_i v_i at_i,
 *   U_k = delta_k (below_k - above_k) + (eabove_k - ebelow_k),   M_k = delta_k W_{k_k} + E_k,
 *
 * with W_c the weight compared at cell c and E_k the event weight in row k's compared cells, and
 * var(d) = sum_k dfbeta_k^2 (summed within clusters first), dfbeta_k = v_k (U_k - d M_k) / m.
 * So the variance decomposes into per-row terms once U_k and M_k are known, and both are sums
 * over ranks of what each rank sees: below_i = sum_r below_i^(r) over every rank's rows, and the
 * row terms need every event. W_c and the per-cell event weights are T-vectors summed over ranks.
 *
 * Algorithm: a sweep in ascending score, as concordance.c's, where every rank holds its own rows
 * and every rank sees every event. Events are streamed in rounds: each rank proposes the score of
 * its B-th next event; the smallest proposal is the round's bound, and each rank sends its next
 * events up to B with scores <= bound (all of those below the bound fit). An MPI_Allgatherv hands
 * every rank the round's events; merged by (score, sending rank, position) they continue one global
 * ascending stream, the same on every rank. Each rank merges it with its own rows sorted by score,
 * with four Fenwick trees over the T cells (cox/slot_tree.h; a few thousand cells stay in cache):
 *
 *   risk:  +v_j at lo_j, -v_j at e_j for the rows of lower score passed; an event at cell k reads
 *          below^(r) as the weight at the cells <= k;
 *   grisk: the same for the rows whose score equals the current group's (read as at^(r));
 *   event: +v_i at k_i for the events of lower score; a row reads ebelow_j on [lo_j, e_j);
 *   gevent: the events of the current group's score (eat_j), folded into `event` when it closes.
 *
 * A group of equal score may span rounds (heavily tied scores), so no round holds more than about
 * K B events. C and T are sums over events, so each rank adds v_i below_i^(r) and v_i at_i^(r)
 * itself; the event's U needs the total, U_i = 2 below_i + at_i - W(k_i), so each rank's partial
 * 2 below^(r) + at^(r) (one double) goes back to the event's rank (MPI_Alltoallv), which adds the K
 * partials in rank order. D = sum_i v_i W(k_i) - C - T (every compared pair is below, above or at).
 * Pairs tied on time (Ty) and on time and score (Txy) are counted from the stream itself,
 * identically on every rank. At the end C, sum v W and T are added in rank order (mpi_ordered_sum):
 * with integer weights every count is an exact integer, identical for any K, and so is every row's
 * dfbeta; var(d) is their squares' exact sum rounded once (mpi_exact_sum.c), so the std too has the
 * same bits for any K. With clusters the n_clusters per-cluster sums are added in rank order (the
 * std then agrees across K to round-off).
 *
 * Cost: every rank handles every event (the stream is broadcast): per rank O(E log T + (n/K) log T)
 * with E events; (K - 1) E 12 bytes sent in the stream (score, cell; 20 with a weight) and
 * (K - 1) E 8 bytes of partials back, in all; 2T doubles and a few sums once.
 */
#include "mpi_internal.h"

#include "core/sort.h"
#include "cox/concordance.h"
#include "cox/slot_tree.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The default round: about 2^19 events over all ranks (some 30 MB of buffers per rank whatever K),
 * at least 256 per rank. */
enum { DEFAULT_ROUND = 1 << 19, MIN_BLOCK = 256, GROUP_LIST = 256 };

/* The sweep's state on one rank. */
typedef struct conc {
    survkit_mpi *mpi;
    const mpi_conc_rows *in;
    size_t T;
    size_t *order;               /* this rank's rows by ascending score: position q holds row order[q] */
    double *eta, *w;             /* by position: score, weight (w NULL: all 1) */
    uint32_t *lo, *e;            /* by position: compared cells [lo, e); an event's cell is e */
    size_t *events;              /* this rank's events by ascending score (positions) */
    size_t n_events, q;          /* events; the next position not yet swept */
    double *compared, *ew_below; /* W_c; event weight at the cells below c (T + 1) */
    sk_slot_tree risk, grisk, event, gevent;
    double *tied_time, *tied_group; /* per cell: events passed, events of the group passed */
    size_t *group_stamp;         /* per cell: the group (numbered from 1) tied_group is of */
    double *u, *m;               /* by position: U and M */
    double cnt[5];               /* C, T of this rank's rows (over every event) in 0 and 2; in 1
                                    sum v W(k) over this rank's events; Ty, Txy of the stream */
    /* the open group of equal score */
    bool open;
    double gx;
    size_t g0, g1, gid;          /* its rows: positions g0..g1-1 */
    size_t glist_n;              /* its events held in gevent (cells, weights), or > GROUP_LIST */
    size_t glist_cell[GROUP_LIST];
    double glist_w[GROUP_LIST];
} conc;

static double weight_at(const conc *c, size_t q)
{
    return c->w ? c->w[q] : 1.0;
}

/* Position q's compared cells [lo, e); false when none. */
static bool compared_cells(const conc *c, size_t q, size_t *lo, size_t *e)
{
    *lo = c->lo[q];
    *e = c->e[q];
    return *lo < *e;
}

/* Position q's row into tree t: +v at lo, -v at e (the cells where it is compared). */
static void tree_add_row(conc *c, sk_slot_tree *t, size_t q)
{
    size_t lo, e;
    if (!compared_cells(c, q, &lo, &e)) return;
    sk_slot_tree_add(t, lo, weight_at(c, q));
    if (e < c->T) sk_slot_tree_add(t, e, -weight_at(c, q));
}

static double tree_range(const sk_slot_tree *t, size_t lo, size_t e)
{
    return sk_slot_tree_below(t, e) - sk_slot_tree_below(t, lo);
}

/* Position q's part as the at-risk member: the events of lower score (in `event`) and of equal
 * score (`at`, from gevent) in its compared cells; U += eabove - ebelow, M += E. */
static void row_part(conc *c, size_t q, bool in_group)
{
    size_t lo, e;
    if (!compared_cells(c, q, &lo, &e)) return;
    double below = tree_range(&c->event, lo, e);
    double at = in_group ? tree_range(&c->gevent, lo, e) : 0.0;
    double total = c->ew_below[e] - c->ew_below[lo];
    c->u[q] += (total - below - at) - below;
    c->m[q] += total;
}

/* A row whose score no event shares: its part, then into the risk tree. */
static void pass_row(conc *c, size_t q)
{
    row_part(c, q, false);
    tree_add_row(c, &c->risk, q);
}

/* Open the group of score x: this rank's rows of that score wait in grisk. */
static void open_group(conc *c, double x)
{
    const double *eta = c->eta;
    c->open = true;
    c->gx = x;
    c->g0 = c->q;
    while (c->q < c->in->n && eta[c->q] == x) c->q++;
    c->g1 = c->q;
    c->gid++;
    c->glist_n = 0;
    for (size_t k = c->g0; k < c->g1; k++) tree_add_row(c, &c->grisk, k);
}

/* Close the group: its rows read the events below and at their score, then everything of the
 * group joins the trees of lower scores and the group's trees are emptied. */
static void close_group(conc *c)
{
    const bool rows = c->g1 > c->g0;
    for (size_t k = c->g0; k < c->g1; k++) row_part(c, k, true);
    for (size_t k = c->g0; k < c->g1; k++) {
        size_t lo, e;
        tree_add_row(c, &c->risk, k);
        if (compared_cells(c, k, &lo, &e)) {
            sk_slot_tree_clear_at(&c->grisk, lo);
            if (e < c->T) sk_slot_tree_clear_at(&c->grisk, e);
        }
    }
    if (rows && c->glist_n <= GROUP_LIST) {
        for (size_t k = 0; k < c->glist_n; k++) {
            sk_slot_tree_add(&c->event, c->glist_cell[k], c->glist_w[k]);
            sk_slot_tree_clear_at(&c->gevent, c->glist_cell[k]);
        }
    } else if (rows) { /* many tied events: fold node by node */
        sk_slot_tree_merge(&c->event, &c->gevent);
        sk_slot_tree_reset(&c->gevent, c->T);
    }
    c->open = false;
}

/*
 * One event of the stream (score x, cell k, weight v): this rank's partial 2 below + at into *part
 * (what the event's U needs), its v below and v at into C and T (sums over events: the event's rank
 * is not needed), and the event's place in the trees and in the tied-on-time counts.
 */
static void pass_event(conc *c, double x, size_t k, double v, double *part)
{
    const double *eta = c->eta;
    if (c->open && x != c->gx) close_group(c);
    while (c->q < c->in->n && eta[c->q] < x) pass_row(c, c->q++);
    if (!c->open) open_group(c, x);
    const bool rows = c->g1 > c->g0;
    const double below = sk_slot_tree_below(&c->risk, k + 1);
    const double at = rows ? sk_slot_tree_below(&c->grisk, k + 1) : 0.0;
    *part = 2 * below + at;
    c->cnt[0] += v * below;
    c->cnt[2] += v * at;
    if (rows) { /* the group's rows must not see it as below them: held apart until the close */
        sk_slot_tree_add(&c->gevent, k, v);
        if (c->glist_n < GROUP_LIST) {
            c->glist_cell[c->glist_n] = k;
            c->glist_w[c->glist_n] = v;
        }
        c->glist_n++;
    } else {
        sk_slot_tree_add(&c->event, k, v);
    }
    c->cnt[3] += v * c->tied_time[k]; /* Ty: the earlier events of the stream at this cell */
    c->tied_time[k] += v;
    if (c->group_stamp[k] != c->gid) {
        c->group_stamp[k] = c->gid;
        c->tied_group[k] = 0.0;
    }
    c->cnt[4] += v * c->tied_group[k]; /* Txy: ... with the same score */
    c->tied_group[k] += v;
}

/*
 * Round buffers, for at most `cap` events in a round. An event travels as a record of `rec` bytes:
 * its score (double), cell (uint32) and, with weights, weight (double).
 */
typedef struct round_buf {
    size_t cap, rec;
    unsigned char *send, *recv;
    size_t *order;             /* the round's positions in stream order */
    size_t *head;              /* K: the merge's next position of each rank's block */
    double *part, *back;       /* partials by position; this rank's events' partials from each rank */
    int *cnt, *displ, *cnt2, *displ2, *own2, *owndispl2;
} round_buf;

static void round_free(round_buf *b)
{
    free(b->send), free(b->recv), free(b->order), free(b->head), free(b->part), free(b->back);
    free(b->cnt), free(b->displ), free(b->cnt2), free(b->displ2), free(b->own2), free(b->owndispl2);
}

static bool round_alloc(round_buf *b, size_t K, size_t block, size_t rec)
{
    b->cap = K * block + 1;
    b->rec = rec;
    b->send = malloc(block * rec + 1);
    b->recv = malloc(b->cap * rec);
    b->order = malloc(b->cap * sizeof *b->order);
    b->head = malloc(K * sizeof *b->head);
    b->part = malloc(b->cap * sizeof *b->part);
    b->back = malloc(K * block * sizeof *b->back + 1);
    b->cnt = calloc(K, sizeof(int)), b->displ = calloc(K, sizeof(int));
    b->cnt2 = calloc(K, sizeof(int)), b->displ2 = calloc(K, sizeof(int));
    b->own2 = calloc(K, sizeof(int)), b->owndispl2 = calloc(K, sizeof(int));
    return b->send && b->recv && b->order && b->head && b->part && b->back && b->cnt && b->displ &&
           b->cnt2 && b->displ2 && b->own2 && b->owndispl2;
}

static double rec_score(const round_buf *b, size_t p)
{
    double x;
    memcpy(&x, b->recv + p * b->rec, sizeof x);
    return x;
}

/*
 * The round's R events in stream order, into b->order: by score, ties by position (rank, then
 * place in the rank's block). Each rank's block is sorted already: a K-way merge, O(R K).
 */
static void merge_blocks(round_buf *b, int K, size_t R)
{
    for (int r = 0; r < K; r++) b->head[r] = (size_t)b->displ[r] / b->rec;
    for (size_t t = 0; t < R; t++) {
        int best = -1;
        double low = 0.0;
        for (int r = 0; r < K; r++) {
            size_t h = b->head[r], end = (size_t)(b->displ[r] + b->cnt[r]) / b->rec;
            if (h < end && (best < 0 || rec_score(b, h) < low)) {
                best = r;
                low = rec_score(b, h);
            }
        }
        b->order[t] = b->head[best]++;
    }
}

/* Rounds until every rank's events have been streamed; then the rows of higher score. */
static void stream_events(conc *c, round_buf *b, size_t block)
{
    survkit_mpi *mpi = c->mpi;
    const mpi_conc_rows *in = c->in;
    const int K = mpi->size;
    size_t next = 0; /* this rank's next event in c->events */
    for (;;) {
        /* proposal: the score of the B-th next event (+inf: fewer left), and whether any is left */
        double prop[2] = {next + block - 1 < c->n_events ? c->eta[c->events[next + block - 1]] : INFINITY,
                          next < c->n_events ? -1.0 : 0.0};
        MPI_Allreduce(MPI_IN_PLACE, prop, 2, MPI_DOUBLE, MPI_MIN, mpi->comm);
        if (prop[1] == 0.0) break;
        size_t take = 0;
        while (take < block && next + take < c->n_events && c->eta[c->events[next + take]] <= prop[0])
            take++;
        const size_t rec = b->rec;
        for (size_t t = 0; t < take; t++) {
            size_t q = c->events[next + t];
            unsigned char *s = b->send + t * rec;
            memcpy(s, &c->eta[q], sizeof(double));
            memcpy(s + sizeof(double), &c->e[q], sizeof(uint32_t));
            if (c->w) memcpy(s + sizeof(double) + sizeof(uint32_t), &c->w[q], sizeof(double));
        }
        int mine = (int)(take * rec);
        MPI_Allgather(&mine, 1, MPI_INT, b->cnt, 1, MPI_INT, mpi->comm);
        size_t total = 0;
        for (int r = 0; r < K; r++) {
            b->displ[r] = (int)total;
            total += (size_t)b->cnt[r];
        }
        MPI_Allgatherv(b->send, mine, MPI_BYTE, b->recv, b->cnt, b->displ, MPI_BYTE, mpi->comm);
        mpi->bytes_sent += (uint64_t)(K - 1) * (uint64_t)mine;
        const size_t R = total / rec;
        merge_blocks(b, K, R);
        for (size_t t = 0; t < R; t++) {
            const size_t p = b->order[t];
            const unsigned char *e = b->recv + p * rec;
            uint32_t cell;
            double v = 1.0;
            memcpy(&cell, e + sizeof(double), sizeof cell);
            if (c->w) memcpy(&v, e + sizeof(double) + sizeof cell, sizeof v);
            pass_event(c, rec_score(b, p), cell, v, b->part + p);
        }
        /* the partials of rank r's events go back to rank r */
        for (int r = 0; r < K; r++) {
            b->cnt2[r] = b->cnt[r] / (int)rec;
            b->displ2[r] = b->displ[r] / (int)rec;
            b->own2[r] = (int)take;
            b->owndispl2[r] = r * (int)take;
            if (r != mpi->rank) mpi->bytes_sent += (uint64_t)b->cnt2[r] * sizeof(double);
        }
        MPI_Alltoallv(b->part, b->cnt2, b->displ2, MPI_DOUBLE, b->back, b->own2, b->owndispl2,
                      MPI_DOUBLE, mpi->comm);
        /* this rank's events: the K partials in rank order give 2 below + at, and with the compared
         * weight W: U = below - above = (2 below + at) - W, M = W */
        for (size_t t = 0; t < take; t++) {
            size_t i = c->events[next + t], k = c->e[i];
            double twice_below_at = 0.0;
            for (int r = 0; r < K; r++) twice_below_at += b->back[(size_t)r * take + t];
            c->cnt[1] += weight_at(c, i) * c->compared[k];
            c->u[i] += twice_below_at - c->compared[k];
            c->m[i] += c->compared[k];
        }
        next += take;
    }
    if (c->open) close_group(c);
    while (c->q < in->n) pass_row(c, c->q++);
}

/* W_c (the weight compared at cell c) and the event weight below each cell, summed over ranks. */
static survkit_status cell_sums(conc *c, survkit_error *err)
{
    const mpi_conc_rows *in = c->in;
    const size_t T = c->T;
    double *v = calloc(2 * T + 1, sizeof *v);
    survkit_status st = v ? SURVKIT_OK : mpi_fail(err, SURVKIT_ERR_NOMEM, "concordance: out of memory");
    if ((st = survkit_mpi_agree(c->mpi, st, err)) != SURVKIT_OK) return st;
    for (size_t q = 0; q < in->n; q++) {
        size_t lo, e;
        if (compared_cells(c, q, &lo, &e)) {
            v[lo] += weight_at(c, q);
            if (e < T) v[e] -= weight_at(c, q);
        }
    }
    for (size_t k = 0; k < c->n_events; k++) v[T + c->e[c->events[k]]] += weight_at(c, c->events[k]);
    st = mpi_ordered_sum(c->mpi, v, 2 * T, err);
    if (st == SURVKIT_OK) {
        double w = 0.0, ew = 0.0;
        for (size_t k = 0; k < T; k++) {
            c->compared[k] = w += v[k];
            c->ew_below[k] = ew;
            ew += v[T + k];
        }
        c->ew_below[T] = ew;
    }
    free(v);
    return st;
}

/*
 * var(d): the rows' squared dfbeta, their exact sum rounded once (mpi_exact_sum.c), so that with
 * integer weights, where every dfbeta has the same bits whatever K, var(d) has too. With clusters
 * the dfbeta are summed within clusters first, in rank order (n_clusters numbers per rank).
 */
static survkit_status variance(conc *c, double somers_d, double pairs, double *var,
                               survkit_error *err)
{
    const mpi_conc_rows *in = c->in;
    if (in->cluster == NULL) {
        mpi_exact_sum sum = {0};
        bool ok = true;
        for (size_t q = 0; q < in->n && ok; q++) {
            double dfbeta = sk_concordance_dfbeta(weight_at(c, q), c->u[q], c->m[q], somers_d, pairs);
            ok = mpi_exact_add(&sum, dfbeta * dfbeta);
        }
        survkit_status st = ok ? SURVKIT_OK : mpi_fail(err, SURVKIT_ERR_NOMEM, "concordance: out of memory");
        if ((st = survkit_mpi_agree(c->mpi, st, err)) == SURVKIT_OK)
            st = mpi_exact_total(c->mpi, &sum, var, err);
        free(sum.part);
        return st;
    }
    const size_t len = in->n_clusters;
    double *v = calloc(len + 1, sizeof *v);
    survkit_status st = v ? SURVKIT_OK : mpi_fail(err, SURVKIT_ERR_NOMEM, "concordance: out of memory");
    if ((st = survkit_mpi_agree(c->mpi, st, err)) != SURVKIT_OK) return st;
    for (size_t q = 0; q < in->n; q++)
        v[in->cluster[c->order[q]]] +=
            sk_concordance_dfbeta(weight_at(c, q), c->u[q], c->m[q], somers_d, pairs);
    st = mpi_ordered_sum(c->mpi, v, len, err);
    double sum = 0.0;
    for (size_t g = 0; g < len; g++) sum += v[g] * v[g];
    *var = sum;
    free(v);
    return st;
}

static void conc_free(conc *c)
{
    free(c->order), free(c->eta), free(c->w), free(c->lo), free(c->e), free(c->events);
    free(c->compared), free(c->ew_below);
    free(c->risk.node), free(c->grisk.node), free(c->event.node), free(c->gevent.node);
    free(c->tied_time), free(c->tied_group), free(c->group_stamp), free(c->u), free(c->m);
}

survkit_status mpi_concordance_cells(survkit_mpi *mpi, const mpi_conc_rows *in, double *c_index,
                                     double *std_err, double counts[5], survkit_error *err)
{
    const size_t n = in->n, T = in->T, K = (size_t)mpi->size;
    const size_t block = in->block ? in->block
                                   : (DEFAULT_ROUND / K > MIN_BLOCK ? DEFAULT_ROUND / K : MIN_BLOCK);
    /* a round holds at most K B events, whose byte counts travel as ints */
    const size_t rec = sizeof(double) + sizeof(uint32_t) + (in->weights ? sizeof(double) : 0);
    conc c = {.mpi = mpi, .in = in, .T = T};
    round_buf b = {0};
    survkit_status st = SURVKIT_OK;
    if (K * block * rec > (size_t)INT32_MAX)
        st = mpi_fail(err, SURVKIT_ERR_ARGUMENT, "concordance: block of %zu events too large", block);
    const size_t nn = n ? n : 1, tt = T + 2;
    c.order = malloc(nn * sizeof *c.order);
    c.eta = malloc(nn * sizeof *c.eta);
    c.w = in->weights ? malloc(nn * sizeof *c.w) : NULL;
    c.lo = malloc(nn * sizeof *c.lo);
    c.e = malloc(nn * sizeof *c.e);
    c.events = malloc(nn * sizeof *c.events);
    c.compared = malloc(tt * sizeof *c.compared);
    c.ew_below = malloc(tt * sizeof *c.ew_below);
    c.risk.node = malloc(tt * sizeof(double)), c.grisk.node = malloc(tt * sizeof(double));
    c.event.node = malloc(tt * sizeof(double)), c.gevent.node = malloc(tt * sizeof(double));
    c.tied_time = calloc(tt, sizeof *c.tied_time);
    c.tied_group = calloc(tt, sizeof *c.tied_group);
    c.group_stamp = calloc(tt, sizeof *c.group_stamp);
    c.u = calloc(nn, sizeof *c.u);
    c.m = calloc(nn, sizeof *c.m);
    bool ok = c.order && c.eta && (c.w || !in->weights) && c.lo && c.e && c.events && c.compared && c.ew_below && c.risk.node && c.grisk.node &&
              c.event.node && c.gevent.node && c.tied_time && c.tied_group && c.group_stamp &&
              c.u && c.m && (st != SURVKIT_OK || round_alloc(&b, K, block, rec)) &&
              sk_sort_order(in->eta, n, false, c.order);
    if (st == SURVKIT_OK && !ok) st = mpi_fail(err, SURVKIT_ERR_NOMEM, "concordance: out of memory");
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) goto done;
    /* what the sweep reads, gathered into sweep order (then read in sequence) */
    for (size_t q = 0; q < n; q++) {
        const size_t i = c.order[q];
        const bool event = in->status[i] != 0, at_risk = in->lo[i] <= in->hi[i];
        c.eta[q] = in->eta[i];
        if (c.w) c.w[q] = in->weights[i];
        c.lo[q] = at_risk ? in->lo[i] : 0;
        c.e[q] = at_risk ? in->hi[i] + 1 - event : 0; /* an event's own cell is not compared */
        if (event) c.events[c.n_events++] = q;
    }
    if ((st = cell_sums(&c, err)) != SURVKIT_OK) goto done;
    sk_slot_tree_reset(&c.risk, T), sk_slot_tree_reset(&c.grisk, T);
    sk_slot_tree_reset(&c.event, T), sk_slot_tree_reset(&c.gevent, T);
    stream_events(&c, &b, block);
    /* C, sum v W and T over ranks, in rank order; D = sum v W - C - T (sum v W = C + D + T: every
     * compared pair is below, above or at). Ty and Txy are the same on every rank. */
    double sums[3] = {c.cnt[0], c.cnt[1], c.cnt[2]};
    if ((st = mpi_ordered_sum(mpi, sums, 3, err)) != SURVKIT_OK) goto done;
    const double pairs[5] = {sums[0], sums[1] - sums[0] - sums[2], sums[2], c.cnt[3], c.cnt[4]};
    const double m = pairs[0] + pairs[1] + pairs[2], somers_d = (pairs[0] - pairs[1]) / m;
    double var_d = NAN;
    if ((st = variance(&c, somers_d, m, &var_d, err)) != SURVKIT_OK) goto done;
    sk_concordance_report(pairs, var_d, c_index, std_err, counts);
done:
    round_free(&b);
    conc_free(&c);
    return st;
}

/* survkit_mpi_concordance's checks of this rank's rows; 0 or the failing row + 1 in *row. */
static survkit_status check_rows(survkit_mpi *mpi, size_t n, const double *start, const double *time,
                                 const double *status, const double *eta, const double *weights,
                                 const int32_t *strata, size_t n_strata, const int32_t *cluster,
                                 size_t n_clusters, survkit_error *err)
{
    if (n > 0 && (time == NULL || status == NULL || eta == NULL))
        return mpi_fail(err, SURVKIT_ERR_ARGUMENT,
                        "concordance: time, status and linear predictor are required");
    for (size_t i = 0; i < n; i++) {
        const char *bad = NULL;
        if (isnan(time[i])) bad = "time is NaN";
        else if (status[i] != 0 && status[i] != 1) bad = "status is not 0 or 1";
        else if (start != NULL && !(start[i] < time[i])) bad = "start is not below time";
        else if (isnan(eta[i])) bad = "linear predictor is NaN";
        else if (weights != NULL && !(weights[i] >= 0 && isfinite(weights[i])))
            bad = "weight is not a finite value >= 0";
        else if (strata != NULL && (strata[i] < 0 || (size_t)strata[i] >= n_strata))
            bad = "stratum code out of range";
        else if (cluster != NULL && (cluster[i] < 0 || (size_t)cluster[i] >= n_clusters))
            bad = "cluster code out of range";
        if (bad != NULL) {
            mpi_fail(err, SURVKIT_ERR_DOMAIN, "concordance: %s (row %zu of rank %d)", bad, i + 1,
                     mpi->rank);
            if (err != NULL) err->line = i + 1;
            return SURVKIT_ERR_DOMAIN;
        }
    }
    return SURVKIT_OK;
}

survkit_status survkit_mpi_concordance(survkit_mpi *mpi, size_t n, const double *start,
                                       const double *time, const double *status,
                                       const double *linear_predictor, const double *weights,
                                       const int32_t *strata, size_t n_strata,
                                       const int32_t *cluster, size_t n_clusters, size_t block,
                                       double *c_index, double *std_err, double counts[5],
                                       survkit_error *err)
{
    survkit_status st = check_rows(mpi, n, start, time, status, linear_predictor, weights, strata,
                                   n_strata, cluster, n_clusters, err);
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) return st;
    /* what must mean the same on every rank: weights or not, strata, clusters, start */
    long long shape[5] = {weights != NULL, strata ? (long long)n_strata : -1,
                          cluster ? (long long)n_clusters : -1, start != NULL, 0};
    long long lowest[5], highest[5];
    MPI_Allreduce(shape, lowest, 5, MPI_LONG_LONG, MPI_MIN, mpi->comm);
    MPI_Allreduce(shape, highest, 5, MPI_LONG_LONG, MPI_MAX, mpi->comm);
    if (memcmp(lowest, highest, sizeof lowest) != 0)
        return mpi_fail(err, SURVKIT_ERR_ARGUMENT,
                        "concordance: the ranks disagree on weights, strata, clusters or start times");
    int32_t *code = malloc((n ? n : 1) * sizeof *code);
    double *when = malloc((n ? n : 1) * sizeof *when);
    uint32_t *lo = malloc((n ? n : 1) * sizeof *lo), *hi = malloc((n ? n : 1) * sizeof *hi);
    mpi_grid grid = {0};
    st = code && when && lo && hi ? SURVKIT_OK
                                  : mpi_fail(err, SURVKIT_ERR_NOMEM, "concordance: out of memory");
    size_t m = 0;
    for (size_t i = 0; st == SURVKIT_OK && i < n; i++)
        if (status[i] == 1) {
            code[m] = strata ? strata[i] : 0;
            when[m++] = time[i];
        }
    if ((st = survkit_mpi_agree(mpi, st, err)) != SURVKIT_OK) goto done;
    if ((st = mpi_grid_build(mpi, m, code, when, &grid, err)) != SURVKIT_OK) goto done;
    if (grid.n_cells >= UINT32_MAX) {
        st = mpi_fail(err, SURVKIT_ERR_ARGUMENT, "concordance: too many event times");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        size_t a, z;
        bool at_risk = mpi_grid_row_cells(&grid, strata ? strata[i] : 0, start ? &start[i] : NULL,
                                          time[i], &a, &z);
        lo[i] = at_risk ? (uint32_t)a : 1;
        hi[i] = at_risk ? (uint32_t)z : 0;
    }
    mpi_conc_rows rows = {.n = n, .T = grid.n_cells, .block = block, .lo = lo, .hi = hi,
                          .status = status, .eta = linear_predictor, .weights = weights,
                          .cluster = cluster, .n_clusters = n_clusters};
    st = mpi_concordance_cells(mpi, &rows, c_index, std_err, counts, err);
done:
    mpi_grid_free(&grid);
    free(code), free(when), free(lo), free(hi);
    return st;
}
