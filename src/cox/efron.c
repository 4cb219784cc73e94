/*
 * efron.c: the Cox partial likelihood, its score and information, for Breslow and Efron ties, in
 * the BLAS-3 form of design.md. One kernel for right-censored and counting-process data, strata
 * and case weights (Breslow is Efron with every tied set counted as one death).
 *
 * Notation (design.md): rows i with weight v_i, centred covariates x_i, eta_i = x_i'b + offset_i,
 * risk r_i = v_i exp(eta_i), event indicator delta_i. Event slot k (cox_data.c) has risk set R_k,
 * d_k tied events of summed weight wd_k; S0_k, S1_k are the risk-set sums of r_i and r_i x_i, E0_k,
 * E1_k the same over the events alone. With w_k = wd_k / d_k and f = l / d_k, l = 0..d_k-1:
 *
 *     den_kl = S0_k - f E0_k,    m_kl = (S1_k - f E1_k) / den_kl,
 *     a_k = w_k sum_l 1/den_kl,  b_k = w_k sum_l f/den_kl,
 *     A_i = sum of a_k over the slots where row i is at risk,
 *     c_i = r_i (A_i - delta_i b_k(i))                                      (>= 0)
 *
 *     loglik = sum_i delta_i v_i eta_i - sum_k w_k sum_l log den_kl
 *     U      = X' (delta .* v - c)                                          (GEMV)
 *     I      = X' diag(c) X - M' diag(w) M,  M: one row m_kl per (k, l)     (two SYRKs)
 *
 * Breslow: d_k is taken as 1 with w_k = wd_k.
 *
 * M needs no row per tied death: a slot's rows m_kl = (S1_k - f_l E1_k) / den_kl contribute
 * w_k [S1 E1] G [S1 E1]' with G = sum_l (1, -f_l)'(1, -f_l) / den_kl^2 = [[al, -be], [-be, ga]],
 * a rank-2 form. With G = L L' (L11 = sqrt(al), L21 = -be / sqrt(al), L22^2 = ga - be^2/al
 * = sum_l (f_l - be/al)^2 / den_kl^2, summed that way to avoid cancellation), the slot gives the two
 * rows sqrt(w_k) (L11 S1 + L21 E1) and sqrt(w_k) L22 E1. So M has min(d_k, 2) rows per event time
 * (one row m_k0 for a single death, the two m_kl themselves for d_k = 2): a few thousand rows for
 * integer-day times instead of one per event.
 *
 * One evaluation reads X twice, in row blocks that stay in cache, centring each block on the fly
 * (x_i - mean, the same doubles a centred copy would hold, but no copy of X is kept):
 *   pass 1 (rows split in two halves on two threads for large n, each half summing into its own
 *     slot arrays, added after, so the result does not depend on the number of cores): eta, r_i,
 *     sum delta_i v_i eta_i, and the scatters of r_i and r_i x_i into the rows' entry and exit
 *     slots, one column at a time (a column's slot sums are slot-contiguous and stay in L1); the
 *     0/1 columns of large right-censored fits four at a time, through their patterns (see
 *     scatter_patterns);
 *   then over the slots: running sums per stratum (R's agfit4 order: subtract the leavers, add the
 *     entrants, restart from zero when everyone has left), and the per-slot scalars and rows of M
 *     (the slots in two halves on two threads when there are many; log() taken of products of
 *     four denominators); suffix sums of a_k give A_i = Q[kin_i] - Q[kout_i];
 *   pass 2 (the same two halves, each with its own U and information, added after): per block,
 *     c_i and delta v - c from A_i, then U += Xblock' (delta v - c) and the block scaled by
 *     sqrt(c) into a SYRK, so that X' diag(c) X is accumulated without a scaled copy of X; when
 *     the pattern groups hold at most twelve 0/1 columns, only the other columns go through the
 *     SYRK and the 0/1 columns' part comes from sums by joint pattern (see joint_scatter).
 * Both passes are bound by memory traffic more than by arithmetic, hence: columns holding only 0
 * and 1 are read from byte copies when the fit made them (pb->x_byte); the next block's columns are
 * prefetched while the current one is worked on (spread through pass 1's scatter, in one burst
 * before pass 2's SYRK, which leaves the bus idle); the pattern sums a row adds to, which lie
 * beyond the first-level cache, are prefetched PATTERN_AHEAD rows before; all-ones weights are
 * not read.
 *
 * exp() overflow: the risk of a stratum is computed relative to a shift (the stratum's mean eta
 * when some eta exceeds 700, else 0; pass 1 assumes 0 and is run again when an eta is larger).
 * Every quantity above is invariant to it; R's agfit4 does the same ("recenter"), R's coxfit6 needs
 * it never in practice.
 *
 * The diagnostics reuse the same passes. sk_cox_hazard_compute keeps the per-slot sums at a given
 * eta (with a2_k = w_k sum_l 1/den_kl^2, the baseline hazard's variance term, and the shifts).
 * sk_cox_efron_slot_info weights each event slot by t_k (cox.zph):
 *
 *     I_t = X' diag(c_t) X - M' diag(w t) M,
 *     c_t,i = r_i (sum of t_k a_k over the slots where i is at risk - delta_i t_k(i) b_k(i)),
 *
 * which is pass 2 with c_t in place of c: c_t may be negative, so there is no sqrt(c)-scaled SYRK;
 * each centred block goes instead through the weighted cross-products of core/crossprod.c (the
 * upper triangle, weights of any sign), for every weighting while the block is in the cache, with
 * c_t computed row by row from the suffix sums of t_k a_k; the rank-2 rows of M of slot k carry
 * w_k sum_l m_kl m_kl' exactly, so they take t_k as a whole.
 *
 * sk_cox_work_set_agfit5 (R's agfit5b, the penalised (start, stop] fit, and only there): its Efron
 * denominators are den_kl = S0_k - f_l E0w_k with E0w_k = sum over the tied deaths of v_i r_i
 * (efron_wt += risk * weights[p], risk already holding the weight), while E1_k and every
 * numerator keep r_i; loglik, U and I are the formulas above with that den_kl. It is R's number
 * for that case, not Efron's approximation (with unit weights both agree).
 */
#include "cox/cox_internal.h"
#include "core/crossprod.h"
#include "core/memory.h"
#include "core/parallel.h"
#include "core/vexp.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    SCAN_ELEMENTS = 131072,   /* pass 1 blocks: 256 KB of centred rows, in L2 */
    SYRK_ELEMENTS = 262144,  /* pass 2 blocks: about 2 MB, where the SYRK runs at full speed */
    MIN_BLOCK_ROWS = 256,
    PARALLEL_MIN_SLOTS = 2048, /* fewer event slots hold fewer deaths than are worth a thread */
    PARALLEL_MIN_ROWS = 100000,
    MAX_PARTS = 2,
    HAZARD_PARALLEL_MIN = 1 << 18, /* Efron steps x columns from which the slots are split */
    GROUP_BITS = 4,             /* 0/1 columns summed together through their patterns (below) */
    PATTERNS = 1 << GROUP_BITS,
    MAX_PATTERN_SUMS = 131072,  /* 1 MiB of a group's sums, 2 n_slots x PATTERNS */
    MAX_JOINT_BITS = 12,        /* pass 2 by joint patterns for at most 12 0/1 columns */
    PATTERN_AHEAD = 32          /* the pattern scatters prefetch the sums of the row this far on */
};

/*
 * One half of the rows' slot sums (pass 1). Entering rows are summed by slot into `in`: the
 * censorings at [k], the events (E0, E1) at [n_slots + k], so that a row's place is one index
 * (kin, plus n_slots for an event) for every column; scan_all then adds the events to the
 * censorings, and the running sums S0, S1 replace them. Columns of the first-order sums are
 * 2 n_slots apart (slot-contiguous, so that one column's sums stay in L1 while rows are added).
 */
typedef struct slot_sums {
    double *in0;    /* 2 n_slots: add0 = in0, e0 = in0 + n_slots */
    double *in1;    /* p x 2 n_slots: column j at in1 + 2 n_slots j (see s1_col, e1_col) */
    double *rem0;   /* n_slots: rows leaving at a slot (counting-process data only) */
    double *rem1;   /* p x n_slots */
    double *add0, *e0;
    size_t *place;  /* scan_rows: each row's index into the in0 and in1 columns (kin [+ n_slots]) */
    double *col;    /* scan_rows: a byte column's rows as doubles */
    double *eta;    /* scan_rows: a block's eta when pass 1 computes it (see block_eta) */
    double *by_pattern; /* pattern groups: n_groups x 2 n_slots x PATTERNS sums of r_i */
    double max_eta;
    double event_eta;            /* sum of delta_i v_i eta_i over the rows */
} slot_sums;

/* Column j of the censorings entering / the running sums S1 (n_slots values), and of E1. */
static inline double *s1_col(const slot_sums *s, size_t ns, size_t j) { return s->in1 + 2 * ns * j; }
static inline double *e1_col(const slot_sums *s, size_t ns, size_t j)
{
    return s->in1 + 2 * ns * j + ns;
}

struct sk_cox_work {
    size_t n, p, n_slots, n_mrows, scan_rows, syrk_rows, n_parts;
    double *eta, *risk;              /* n */
    bool eta_lent;                   /* eta is the caller's (sk_cox_work_create_in) */
    double *s0, *a, *b, *q;          /* n_slots */
    double *e0_agfit5;               /* n_slots: E0w_k ((start, stop] Efron fits), else NULL */
    bool agfit5;                     /* sk_cox_work_set_agfit5: den_kl from e0_agfit5 */
    slot_sums part[MAX_PARTS];       /* part[0] ends up holding the running sums S0, S1 */
    size_t *mrow_slot;               /* n_mrows: the slot of each row of M */
    size_t *mrow_first;              /* n_slots: the first row of M of each event slot */
    double *part_inv[MAX_PARTS];     /* max_deaths: a slot's 1 / den_kl, per part */
    double *mca, *mcb;               /* n_mrows: row = mca S1 - mcb E1 */
    double *m;                       /* n_mrows x p */
    double *shift;                   /* n_strata */
    double *part_block[MAX_PARTS];   /* pass 2: syrk_rows x p each */
    double *part_rows[MAX_PARTS];    /* pass 2: sqrt(c) and delta v - c of a block, 2 syrk_rows */
    double *part_col[MAX_PARTS];     /* pass 2: a byte column's rows as doubles, syrk_rows */
    double *part_u, *part_imat;      /* pass 2: p and p x p per part */
    /* Pattern groups (right-censored fits with byte columns, see scan_rows): group g holds the
     * 0/1 columns group_col[g GROUP_BITS + b], b < GROUP_BITS (SIZE_MAX past the last); code[g n + i]
     * has bit b set when row i has a 1 in column b of the group. */
    size_t n_groups;
    size_t *group_col;
    uint8_t *code;
    bool *grouped;                   /* p: column j belongs to a group */
    double *eta_table;               /* n_groups x PATTERNS: sum_b beta_j (bit_b - mean_j) */
    /* Pass 2 by joint patterns (see joint_scatter), when there are groups and at most
     * MAX_JOINT_BITS 0/1 columns: the n_binary grouped columns are bits 0.. of joint[i] (the
     * groups' codes side by side), the other n_cont columns (cont_col) go through the SYRK. */
    size_t n_binary, n_cont, n_joint;
    uint16_t *joint;                 /* n, or NULL when pass 2 does not use patterns */
    size_t *cont_col;                /* n_cont */
    double *part_joint[MAX_PARTS];   /* n_joint x (2 + n_cont): sum c_i, sum y_i, sum c_i x_ic */
    /* Right-censored fits of one stratum with at most 32768 slots (see row_place_at): each row's
     * kin_i + n_slots delta_i in 16 bits, read by both passes instead of kin (8 bytes) and the
     * status (8 bytes); else NULL. */
    uint16_t *row_place;
    bool has_row_place;
    void *block;                     /* every array above but eta, risk and mrow_first (carve_work) */
    size_t block_bytes;              /* its length: what they need, or more when asked (create_in) */
};

void sk_cox_work_free(sk_cox_work *w)
{
    if (w == NULL) return;
    if (!w->eta_lent) free(w->eta);
    free(w->risk), free(w->mrow_first), free(w->block);
    free(w);
}

static size_t rows_for(size_t elements, size_t p, size_t n)
{
    size_t rows = p > 0 && elements / p > MIN_BLOCK_ROWS ? elements / p : MIN_BLOCK_ROWS;
    return rows > n ? (n > 0 ? n : 1) : rows;
}

/*
 * The work's scratch is one block: its arrays are laid out twice by carve_work, first with no
 * base to add up their sizes, then into the block. One allocation mapped at once (in huge pages
 * when large, sk_malloc_filled) costs a fraction of the page faults of the thirty arrays it
 * replaces, whose pages were otherwise first touched one by one in the first evaluation.
 */
typedef struct carve {
    char *base;  /* NULL while measuring */
    size_t used; /* bytes laid out so far, each array on a 64-byte boundary */
    bool overflow;
} carve;

static void *carve_take(carve *c, size_t count, size_t size)
{
    size_t bytes;
    if (!sk_mul_size(count, size, &bytes) || bytes > SIZE_MAX - 64 - c->used) {
        c->overflow = true;
        return NULL;
    }
    void *at = c->base != NULL ? c->base + c->used : NULL;
    c->used += (bytes + 63) & ~(size_t)63;
    return at;
}

/* Two counts multiplied, SIZE_MAX when they overflow (carve_take then reports it). */
static size_t times(size_t a, size_t b)
{
    size_t out;
    return sk_mul_size(a, b, &out) ? out : SIZE_MAX;
}

/* Every array of the block, laid out in c (see carve). The sizes are set before (work_create). */
static void carve_work(const sk_cox_problem *pb, sk_cox_work *w, carve *c)
{
    const sk_cox_layout *lay = pb->lay;
    const size_t n = w->n, p = w->p, ns = w->n_slots, nm = w->n_mrows, one_p = p ? p : 1;
    w->s0 = carve_take(c, ns, sizeof(double));
    w->a = carve_take(c, ns, sizeof(double));
    w->b = carve_take(c, ns, sizeof(double));
    w->q = carve_take(c, ns, sizeof(double));
    if (lay->counting && pb->efron) w->e0_agfit5 = carve_take(c, ns, sizeof(double));
    for (size_t t = 0; t < w->n_parts; t++) {
        slot_sums *s = &w->part[t];
        s->in0 = carve_take(c, times(2, ns), sizeof(double));
        s->in1 = carve_take(c, times(2, times(ns, one_p)), sizeof(double));
        s->place = carve_take(c, w->scan_rows, sizeof(size_t));
        s->col = carve_take(c, w->scan_rows, sizeof(double));
        s->eta = carve_take(c, w->scan_rows, sizeof(double));
        if (lay->counting) {
            s->rem0 = carve_take(c, ns, sizeof(double));
            s->rem1 = carve_take(c, times(ns, one_p), sizeof(double));
        }
        if (w->n_groups > 0)
            s->by_pattern = carve_take(c, times(w->n_groups, times(2 * ns, PATTERNS)), sizeof(double));
        s->add0 = s->in0;
        s->e0 = s->in0 != NULL ? s->in0 + ns : NULL;
        w->part_block[t] = carve_take(c, times(w->syrk_rows, one_p), sizeof(double));
        w->part_rows[t] = carve_take(c, times(2, w->syrk_rows), sizeof(double));
        w->part_col[t] = carve_take(c, w->syrk_rows, sizeof(double));
        if (w->n_joint > 0)
            w->part_joint[t] = carve_take(c, times(w->n_joint, 2 + w->n_cont), sizeof(double));
    }
    for (size_t t = 0; t < MAX_PARTS; t++)
        w->part_inv[t] = carve_take(c, (size_t)lay->max_deaths + 1, sizeof(double));
    w->mrow_slot = carve_take(c, nm, sizeof(size_t));
    w->mca = carve_take(c, nm, sizeof(double));
    w->mcb = carve_take(c, nm, sizeof(double));
    w->m = carve_take(c, times(nm, p), sizeof(double));
    w->shift = carve_take(c, lay->n_strata, sizeof(double));
    w->part_u = carve_take(c, times(w->n_parts, one_p), sizeof(double));
    w->part_imat = carve_take(c, times(w->n_parts, times(one_p, one_p)), sizeof(double));
    if (w->n_groups > 0) {
        w->group_col = carve_take(c, times(w->n_groups, GROUP_BITS), sizeof(size_t));
        w->code = carve_take(c, times(w->n_groups, n), 1);
        w->grouped = carve_take(c, p, sizeof(bool));
        w->eta_table = carve_take(c, times(w->n_groups, PATTERNS), sizeof(double));
    }
    if (w->has_row_place) w->row_place = carve_take(c, n, sizeof(uint16_t));
    if (w->n_joint > 0) {
        w->joint = carve_take(c, n, sizeof(uint16_t));
        w->cont_col = carve_take(c, w->n_cont + 1, sizeof(size_t));
    }
}

/* Task t's half of the rows: each row's pattern in every group, its joint pattern, its place. */
typedef struct code_job {
    const sk_cox_problem *pb;
    sk_cox_work *w;
} code_job;

static void code_rows(void *ctx, size_t t)
{
    const code_job *job = ctx;
    const sk_cox_work *w = job->w;
    size_t r0, r1;
    sk_parallel_range(w->n, w->n_parts, t, &r0, &r1);
    for (size_t g = 0; g < w->n_groups; g++) {
        uint8_t *code = w->code + g * w->n;
        memset(code + r0, 0, r1 - r0);
        for (size_t b = 0; b < GROUP_BITS && w->group_col[g * GROUP_BITS + b] != SIZE_MAX; b++) {
            const uint8_t *x = job->pb->x_byte[w->group_col[g * GROUP_BITS + b]];
            for (size_t i = r0; i < r1; i++) code[i] |= (uint8_t)(x[i] << b);
        }
    }
    for (size_t i = r0; w->joint != NULL && i < r1; i++) {
        unsigned joint = 0;
        for (size_t g = 0; g < w->n_groups; g++)
            joint |= (unsigned)w->code[g * w->n + i] << (GROUP_BITS * g);
        w->joint[i] = (uint16_t)joint;
    }
    const sk_cox_layout *lay = job->pb->lay;
    for (size_t i = r0; w->row_place != NULL && i < r1; i++)
        w->row_place[i] = (uint16_t)(lay->kin[i] + (job->pb->status[i] == 1 ? w->n_slots : 0));
}

/*
 * A row's place kin_i + n_slots delta_i, and from it its entry slot and event flag: from row_place
 * when the work has it (2 bytes a row), else from the layout and the status (16 bytes a row).
 */
static inline size_t row_place_at(const sk_cox_problem *pb, const sk_cox_work *w, size_t i,
                                  size_t *kin, bool *event)
{
    if (w->row_place != NULL) {
        const size_t place = w->row_place[i];
        *event = place >= w->n_slots;
        *kin = *event ? place - w->n_slots : place;
        return place;
    }
    *event = pb->status[i] == 1;
    *kin = pb->lay->kin[i];
    return *kin + (*event ? w->n_slots : 0);
}

/*
 * The pattern groups of a right-censored fit whose 0/1 columns came as bytes (pb->x_byte), when
 * there are two such columns or more: their numbers (before carve_work), then, in the block, their
 * columns and the rows' codes (fill_rows).
 */
static void plan_groups(const sk_cox_problem *pb, sk_cox_work *w)
{
    size_t binary = 0;
    for (size_t j = 0; pb->x_byte != NULL && j < pb->p; j++) binary += pb->x_byte[j] != NULL;
    /* The sums of a group must stay in the second-level cache, as a column's stay in the first:
     * with continuous times (tens of thousands of slots) the scatters would miss it. */
    if (binary < 2 || pb->lay->counting || 2 * w->n_slots * PATTERNS > MAX_PATTERN_SUMS) return;
    w->n_groups = (binary + GROUP_BITS - 1) / GROUP_BITS;
    if (binary <= MAX_JOINT_BITS) {
        w->n_binary = binary;
        w->n_cont = pb->p - binary;
        w->n_joint = (size_t)1 << binary;
    }
}

/* The groups' columns, then the rows' codes and places (code_rows). */
static void fill_rows(const sk_cox_problem *pb, sk_cox_work *w)
{
    size_t slot = 0;
    for (size_t j = 0; w->n_groups > 0 && j < pb->p; j++) {
        w->grouped[j] = pb->x_byte[j] != NULL;
        if (w->grouped[j]) w->group_col[slot++] = j;
    }
    while (slot < w->n_groups * GROUP_BITS) w->group_col[slot++] = SIZE_MAX;
    for (size_t j = 0, c = 0; w->joint != NULL && j < pb->p; j++)
        if (!w->grouped[j]) w->cont_col[c++] = j;
    if (w->n_groups == 0 && w->row_place == NULL) return;
    code_job job = {pb, w};
    sk_parallel_run(w->n_parts, code_rows, &job);
}

survkit_status sk_cox_work_create(const sk_cox_problem *pb, sk_cox_work **out, survkit_error *err)
{
    return sk_cox_work_create_in(pb, NULL, 0, out, err);
}

void sk_cox_work_set_agfit5(sk_cox_work *w, bool on) { w->agfit5 = on && w->e0_agfit5 != NULL; }

double *sk_cox_work_take_risk(sk_cox_work *w)
{
    double *risk = w->risk;
    w->risk = NULL;
    return risk;
}

void *sk_cox_work_take_block(sk_cox_work *w, size_t *bytes)
{
    void *block = w->block;
    *bytes = w->block_bytes;
    w->block = NULL;
    w->block_bytes = 0;
    return block;
}

survkit_status sk_cox_work_create_in(const sk_cox_problem *pb, double *eta, size_t spare_bytes,
                                     sk_cox_work **out, survkit_error *err)
{
    const sk_cox_layout *lay = pb->lay;
    *out = NULL;
    sk_cox_work *w = calloc(1, sizeof *w);
    RETURN_ERROR_IF(w == NULL, err, SURVKIT_ERR_NOMEM, "out of memory (Cox workspace)");
    const size_t n = pb->n, p = pb->p, ns = lay->n_slots;
    w->n = n;
    w->p = p;
    w->n_slots = ns;
    w->eta_lent = eta != NULL;
    w->mrow_first = sk_malloc_array(ns, sizeof(size_t));
    if (w->mrow_first == NULL) {
        sk_cox_work_free(w);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (Cox workspace)");
    }
    for (size_t k = 0; k < ns; k++) { /* rows of M: one per death up to two, then the rank-2 form */
        size_t d = (size_t)lay->slot_deaths[k];
        w->mrow_first[k] = w->n_mrows;
        if (d > 0) w->n_mrows += pb->efron && d >= 2 ? 2 : 1;
    }
    w->scan_rows = rows_for(SCAN_ELEMENTS, p, n);
    w->syrk_rows = rows_for(SYRK_ELEMENTS, p, n);
    /* Two halves when the rows are many and the per-half slot arrays few (integer times). */
    w->n_parts = n >= PARALLEL_MIN_ROWS && (3 + 3 * p) * ns <= n / 4 ? MAX_PARTS : 1;
    plan_groups(pb, w);
    /* Right-censored rows of one stratum all leave at its sentinel: a row is its entry slot and
     * event flag, one 16-bit place when there are few slots (day-valued times: a few thousand; 2 MB
     * of fresh memory at 1M rows, which costs less than the 28 MB a fit reads instead). */
    w->has_row_place = !lay->counting && lay->n_strata == 1 && 2 * ns <= (size_t)UINT16_MAX + 1;
    carve measure = {NULL, 0, false};
    carve_work(pb, w, &measure);
    carve into = {NULL, 0, false};
    w->block_bytes = measure.used > spare_bytes ? measure.used : spare_bytes;
    bool ok = !measure.overflow && (into.base = w->block = sk_malloc_filled(w->block_bytes, 1)) != NULL;
    if (ok) carve_work(pb, w, &into);
    w->eta = eta != NULL ? eta : sk_malloc_filled(n, sizeof(double));
    w->risk = sk_malloc_filled(n, sizeof(double));
    ok = ok && w->eta && w->risk;
    if (!ok) {
        sk_cox_work_free(w);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (Cox workspace)");
    }
    for (size_t k = 0; k < ns; k++)
        for (size_t r = w->mrow_first[k]; r < (k + 1 < ns ? w->mrow_first[k + 1] : w->n_mrows); r++)
            w->mrow_slot[r] = k;
    fill_rows(pb, w);
    *out = w;
    return SURVKIT_OK;
}

/* Rows [start, start + nb) of column j: in place, or its bytes converted into buf. */
static const double *column_rows(const sk_cox_problem *pb, size_t j, size_t start, size_t nb,
                                 double *buf)
{
    const uint8_t *bytes = pb->x_byte != NULL ? pb->x_byte[j] : NULL;
    if (bytes == NULL) return pb->x + j * pb->n + start;
    for (size_t i = 0; i < nb; i++) buf[i] = bytes[start + i];
    return buf;
}

/* Where rows [start, start + count) of column j lie: its doubles, or its bytes. */
static void column_span(const sk_cox_problem *pb, size_t j, size_t start, size_t count,
                        const char **from, size_t *bytes)
{
    const uint8_t *column = pb->x_byte != NULL ? pb->x_byte[j] : NULL;
    *from = column ? (const char *)(column + start) : (const char *)(pb->x + j * pb->n + start);
    *bytes = column ? count : count * sizeof(double);
}

/*
 * Ask for rows [start, start + nb) of every column (or of the n_cols columns cols[], when cols is
 * not NULL) ahead of their use, into the outer caches
 * (__builtin_prefetch with low locality), before a block's SYRK, which works in L1/L2 and leaves
 * the memory bus idle: the next block's columns arrive meanwhile instead of being waited for.
 */
static void prefetch_rows(const sk_cox_problem *pb, const size_t *cols, size_t n_cols, size_t start,
                          size_t nb)
{
    for (size_t k = 0; k < (cols ? n_cols : pb->p); k++) {
        const char *from;
        size_t length;
        column_span(pb, cols ? cols[k] : k, start, nb, &from, &length);
        for (size_t off = 0; off < length; off += 64) __builtin_prefetch(from + off, 0, 1);
    }
}

/*
 * sums[where[i]] += r_i (x_i - mean), i < nb: one column of rows into its slots; meanwhile one
 * cache line of `ahead` (the next block's column) is prefetched every eight rows: spread over the
 * loop, unlike a burst of prefetches, which stalls like the loads it replaces (measured).
 */
/* Kept out of line: inlined, it lost its registers to the caller's loop (measured). */
__attribute__((noinline)) static void scatter_column(double *restrict sums,
                                                     const size_t *restrict where,
                                                     const double *restrict r,
                                                     const double *restrict x, double mean,
                                                     size_t nb, const char *ahead, size_t ahead_bytes)
{
    size_t i = 0;
    for (; i + 8 <= nb; i += 8) { /* eight rows a prefetch, the test once per eight */
        if (8 * i < ahead_bytes) __builtin_prefetch(ahead + 8 * i, 0, 1);
        for (size_t k = i; k < i + 8; k++) sums[where[k]] += r[k] * (x[k] - mean);
    }
    for (; i < nb; i++) {
        if ((i & 7) == 0 && 8 * i < ahead_bytes) __builtin_prefetch(ahead + 8 * i, 0, 1);
        sums[where[i]] += r[i] * (x[i] - mean);
    }
}

/*
 * Pattern groups. A 0/1 column's slot sums, sum r_i (x_i - mean) over the rows of a place, are
 * sum r_i over the rows with x_i = 1 less mean times sum r_i over all of them. So the 0/1 columns
 * are taken GROUP_BITS at a time: each row adds r_i once per group, at its place and its pattern
 * of the group's columns (one of PATTERNS), and each column's sums are read off the patterns with
 * its bit set afterwards (2 n_slots x PATTERNS additions a column, against one a row). With half of
 * twenty columns 0/1, a row's scatters in pass 1 drop from 20 to 13. Likewise eta takes one look-up
 * a group, sum over the group of beta_j (bit_j - mean_j), instead of one product a column.
 */
static void scatter_patterns(double *restrict sums, const size_t *restrict place,
                             const uint8_t *restrict code, size_t code_stride, size_t n_groups,
                             const double *restrict r, size_t nb)
{
    for (size_t i = 0; i < nb; i++) {
        if (i + PATTERN_AHEAD < nb) { /* the sums a later row adds to, out of the outer caches */
            const double *ahead = sums + place[i + PATTERN_AHEAD] * n_groups * PATTERNS;
            for (size_t g = 0; g < n_groups; g++)
                __builtin_prefetch(ahead + g * PATTERNS + code[g * code_stride + i + PATTERN_AHEAD], 1, 3);
        }
        double *at = sums + place[i] * n_groups * PATTERNS; /* the place's sums of every group */
        for (size_t g = 0; g < n_groups; g++) at[g * PATTERNS + code[g * code_stride + i]] += r[i];
    }
}

/* s1[k] = sum of the pattern sums of group g at place k whose bit b is set - mean r_total[k]. */
static void column_from_patterns(double *restrict s1, const double *restrict sums, size_t n_groups,
                                 size_t g, const double *restrict r_total, double mean, size_t b,
                                 size_t places)
{
    for (size_t k = 0; k < places; k++) {
        const double *at = sums + (k * n_groups + g) * PATTERNS;
        double with_one = 0;
        for (size_t pattern = 0; pattern < PATTERNS; pattern++)
            if (pattern >> b & 1) with_one += at[pattern];
        s1[k] = with_one - mean * r_total[k];
    }
}

/* The eta look-up of each group's patterns at beta (w->eta_table). */
static void fill_eta_table(const sk_cox_problem *pb, sk_cox_work *w, const double *beta)
{
    for (size_t g = 0; g < w->n_groups; g++)
        for (size_t pattern = 0; pattern < PATTERNS; pattern++) {
            double sum = 0;
            for (size_t b = 0; b < GROUP_BITS && w->group_col[g * GROUP_BITS + b] != SIZE_MAX; b++) {
                const size_t j = w->group_col[g * GROUP_BITS + b];
                sum += beta[j] * ((double)(pattern >> b & 1) - pb->xmean[j]);
            }
            w->eta_table[g * PATTERNS + pattern] = sum;
        }
}

/* eta = offset + Xc beta for rows [start, start + nb) into eta[0..nb); col: scratch for a byte
 * column. */
static void block_eta(const sk_cox_problem *pb, const sk_cox_work *w, const double *beta,
                      size_t start, size_t nb, double *restrict eta, double *col)
{
    if (pb->offset) memcpy(eta, pb->offset + start, nb * sizeof(double));
    else memset(eta, 0, nb * sizeof(double));
    for (size_t j = 0; j < pb->p; j++) {
        /* beta_j = 0 adds zero (the first iteration's beta); grouped columns come below */
        if (beta[j] == 0 || (w->n_groups > 0 && w->grouped[j])) continue;
        const double *x = column_rows(pb, j, start, nb, col);
        const double mean = pb->xmean[j], bj = beta[j];
        for (size_t i = 0; i < nb; i++) eta[i] += bj * (x[i] - mean);
    }
    /* no pattern groups: no codes (NULL, and NULL + start is undefined) */
    const uint8_t *code = w->n_groups > 0 ? w->code + start : NULL;
    for (size_t i = 0; w->n_groups > 0 && i < nb; i++) {
        double sum = 0;
        for (size_t g = 0; g < w->n_groups; g++)
            sum += w->eta_table[g * PATTERNS + code[g * w->n + i]];
        eta[i] += sum;
    }
}

/*
 * Pass 1 over rows [r0, r1) into `acc`: eta = offset + Xc beta (when beta is not NULL, kept a
 * block at a time; otherwise w->eta is given), r_i = v_i exp(eta_i - shift), sum delta_i v_i eta_i, and the scatters of r_i
 * and r_i x_i into the slots, in blocks of rows read in place.
 */
static void scan_rows(const sk_cox_problem *pb, sk_cox_work *w, const double *beta, size_t r0,
                      size_t r1, slot_sums *acc)
{
    const sk_cox_layout *lay = pb->lay;
    const size_t p = pb->p, ns = w->n_slots;
    const bool counting = lay->counting;
    memset(acc->in0, 0, 2 * ns * sizeof(double));
    memset(acc->in1, 0, 2 * ns * p * sizeof(double));
    if (counting) {
        memset(acc->rem0, 0, ns * sizeof(double));
        memset(acc->rem1, 0, ns * p * sizeof(double));
    }
    if (w->n_groups > 0) memset(acc->by_pattern, 0, w->n_groups * 2 * ns * PATTERNS * sizeof(double));
    double max_eta = -INFINITY, event_eta = 0;
    size_t *place = acc->place;
    /* Right-censored rows of one stratum all leave at its sentinel and share its shift: neither
     * kout nor the stratum is read row by row (12 of the pass's 130 bytes a row). */
    const bool one_stratum = !counting && lay->n_strata == 1;
    const size_t sentinel = lay->stratum_first_slot[1] - 1;
    for (size_t start = r0; start < r1; start += w->scan_rows) {
        const size_t nb = r1 - start < w->scan_rows ? r1 - start : w->scan_rows;
        const size_t *kout = one_stratum ? NULL : lay->kout + start;
        const double *v = pb->unit_weights ? NULL : pb->weights + start;
        const int32_t *stratum = one_stratum ? NULL : lay->row_stratum + start;
        /* eta computed here stays in the block (its pass 1 needs it, nothing after): writing it
         * out to w->eta was a sixth of the pass's memory traffic */
        double *eta = beta != NULL ? acc->eta : w->eta + start, *risk = w->risk + start;
        if (beta != NULL) block_eta(pb, w, beta, start, nb, eta, acc->col);
        /* Risks (the block's exponentials at once, core/vexp.h), their sums by slot, and each
         * row's place in the slot columns. */
        if (one_stratum)
            for (size_t i = 0; i < nb; i++) risk[i] = eta[i] - w->shift[0];
        else
            for (size_t i = 0; i < nb; i++) risk[i] = eta[i] - w->shift[stratum[i]];
        sk_exp_array(risk, risk, nb);
        for (size_t i = 0; i < nb; i++) {
            double r = 0;
            size_t entry;
            bool event;
            place[i] = row_place_at(pb, w, start + i, &entry, &event);
            if (entry < (kout != NULL ? kout[i] : sentinel)) {
                if (eta[i] > max_eta) max_eta = eta[i];
                r = v ? v[i] * risk[i] : risk[i];
            }
            risk[i] = r;
            if (event) event_eta += v ? v[i] * eta[i] : eta[i];
            acc->in0[place[i]] += r;
            if (counting) acc->rem0[kout[i]] += r;
        }
        /* r_i (x_i - mean) into the slots, one column at a time: the column's 2 n_slots sums stay
         * in L1 and the block is read in place (no transposed copy). */
        const size_t next_nb = start + nb < r1 ? (r1 - start - nb < nb ? r1 - start - nb : nb) : 0;
        for (size_t j = 0; j < p; j++) {
            if (w->n_groups > 0 && w->grouped[j]) continue;
            const double *x = column_rows(pb, j, start, nb, acc->col);
            const char *ahead;
            size_t ahead_bytes;
            column_span(pb, j, start + nb, next_nb, &ahead, &ahead_bytes);
            scatter_column(s1_col(acc, ns, j), place, risk, x, pb->xmean[j], nb, ahead, ahead_bytes);
            if (counting) scatter_column(acc->rem1 + j * ns, kout, risk, x, pb->xmean[j], nb, NULL, 0);
        }
        if (w->n_groups > 0)
            scatter_patterns(acc->by_pattern, place, w->code + start, w->n, w->n_groups, risk, nb);
    }
    acc->max_eta = max_eta;
    acc->event_eta = event_eta;
    for (size_t g = 0; g < w->n_groups; g++)
        for (size_t b = 0; b < GROUP_BITS && w->group_col[g * GROUP_BITS + b] != SIZE_MAX; b++) {
            const size_t j = w->group_col[g * GROUP_BITS + b];
            column_from_patterns(s1_col(acc, ns, j), acc->by_pattern, w->n_groups, g, acc->in0,
                                 pb->xmean[j], b, 2 * ns);
        }
}

/* What the tasks of a pass share. */
typedef struct pass_job {
    const sk_cox_problem *pb;
    sk_cox_work *w;
    const double *beta; /* pass 1: the coefficients (NULL: w->eta is given) */
} pass_job;

/* w->eta at job->beta for part t's rows, block by block as pass 1 computes it. */
static void eta_part(void *ctx, size_t t)
{
    const pass_job *job = ctx;
    sk_cox_work *w = job->w;
    size_t r0, r1;
    sk_parallel_range(job->pb->n, w->n_parts, t, &r0, &r1);
    for (size_t start = r0; start < r1; start += w->scan_rows) {
        const size_t nb = r1 - start < w->scan_rows ? r1 - start : w->scan_rows;
        block_eta(job->pb, w, job->beta, start, nb, w->eta + start, w->part[t].col);
    }
}

static void scan_part(void *ctx, size_t t)
{
    const pass_job *job = ctx;
    size_t r0, r1;
    sk_parallel_range(job->pb->n, job->w->n_parts, t, &r0, &r1);
    scan_rows(job->pb, job->w, job->beta, r0, r1, &job->w->part[t]);
}

static void add_into(double *to, const double *from, size_t count)
{
    for (size_t k = 0; k < count; k++) to[k] += from[k];
}

/*
 * c_i = r_i (A_i - delta_i b_k(i)) for rows [start, start + nb), with A_i = Q[kin_i] - Q[kout_i]
 * (w->q, the suffix sums of a_k): sqrt(c_i) into root_c, delta_i v_i - c_i into y.
 */
static void block_weights(const sk_cox_problem *pb, const sk_cox_work *w, size_t start, size_t nb,
                          double *restrict root_c, double *restrict y)
{
    const sk_cox_layout *lay = pb->lay;
    /* Right-censored rows of one stratum all leave at its sentinel (see scan_rows). */
    const bool one_stratum = !lay->counting && lay->n_strata == 1;
    const size_t sentinel = lay->stratum_first_slot[1] - 1;
    const size_t *kout = one_stratum ? NULL : lay->kout + start;
    const double *risk = w->risk + start;
    const double *v = pb->unit_weights ? NULL : pb->weights + start;
    for (size_t i = 0; i < nb; i++) {
        double c = 0;
        size_t entry;
        bool event;
        (void)row_place_at(pb, w, start + i, &entry, &event);
        const size_t leave = kout != NULL ? kout[i] : sentinel;
        if (entry < leave) {
            double hz = w->q[entry] - w->q[leave];
            if (event) hz -= w->b[entry];
            c = risk[i] * hz;
            if (c < 0) c = 0; /* round-off of the counting-process difference */
        }
        y[i] = (event ? (v ? v[i] : 1.0) : 0.0) - c;
        root_c[i] = sqrt(c);
    }
}

/*
 * One column of a block: out_i = (x_i - mean) s_i; returns sum_i (x_i - mean) y_i (four running
 * sums: vectorisable, and the same order on every machine).
 */
static double centre_column(double *restrict out, const double *restrict x, double mean,
                            const double *restrict s, const double *restrict y, size_t nb)
{
    double d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    size_t i = 0;
    for (; i + 4 <= nb; i += 4) {
        double x0 = x[i] - mean, x1 = x[i + 1] - mean, x2 = x[i + 2] - mean, x3 = x[i + 3] - mean;
        d0 += x0 * y[i];
        d1 += x1 * y[i + 1];
        d2 += x2 * y[i + 2];
        d3 += x3 * y[i + 3];
        out[i] = x0 * s[i];
        out[i + 1] = x1 * s[i + 1];
        out[i + 2] = x2 * s[i + 2];
        out[i + 3] = x3 * s[i + 3];
    }
    for (; i < nb; i++) {
        double xc = x[i] - mean;
        d0 += xc * y[i];
        out[i] = xc * s[i];
    }
    return (d0 + d1) + (d2 + d3);
}

/*
 * Joint patterns in pass 2. X' diag(c) X and U = X' y need, of the 0/1 columns, only sums over the
 * rows of each joint pattern z of them (a row's 0/1 values, bits 0..n_binary-1):
 *
 *   sum_i c_i (b_i - m)(b_i - m)' = sum_z C_z (z - m)(z - m)',        C_z = sum_{i: z} c_i
 *   sum_i c_i (b_i - m)(x_i - mx)' = sum_z (z - m) X_z',               X_z = sum_{i: z} c_i (x_i - mx)
 *   sum_i y_i (b_i - m)            = sum_z Y_z (z - m),                 Y_z = sum_{i: z} y_i
 *
 * (b: the 0/1 columns, x: the others). So only the other columns go through the SYRK, whose cost
 * grows with the elements it packs rather than with the flops (twenty columns take as long as ten
 * plus a ten-by-ten GEMM, measured), and each row adds c_i, y_i and its scaled centred values to
 * its pattern's row of sums, which stays in the second-level cache (2^n_binary rows).
 */
static void joint_scatter(double *restrict sums, const uint16_t *restrict joint,
                          const double *restrict root_c, const double *restrict y,
                          const double *restrict block, size_t nb, size_t n_cont)
{
    const size_t width = 2 + n_cont;
    for (size_t i = 0; i < nb; i++) {
        if (i + PATTERN_AHEAD < nb) { /* a later row's sums out of the second-level cache */
            const double *ahead = sums + (size_t)joint[i + PATTERN_AHEAD] * width;
            for (size_t at = 0; at < width; at += 8) __builtin_prefetch(ahead + at, 1, 3);
        }
        double *row = sums + (size_t)joint[i] * width;
        row[0] += root_c[i] * root_c[i];
        row[1] += y[i];
        for (size_t c = 0; c < n_cont; c++) row[2 + c] += root_c[i] * block[c * nb + i];
    }
}

/*
 * U and the upper triangle of X' diag(c) X from the joint patterns' sums (both parts' added into
 * part_joint[0]) and the SYRK of the other columns (n_cont x n_cont, upper, in cc); u holds the
 * other columns' U already.
 */
static void joint_assemble(const sk_cox_problem *pb, sk_cox_work *w, const double *cc, double *u,
                           double *imat)
{
    const size_t p = pb->p, nb = w->n_binary, nc = w->n_cont, width = 2 + nc;
    double *sums = w->part_joint[0];
    for (size_t t = 1; t < w->n_parts; t++) add_into(sums, w->part_joint[t], w->n_joint * width);
    memset(imat, 0, p * p * sizeof(double));
    for (size_t b = 0; b < nc; b++) /* the other columns' block, placed at their own indices */
        for (size_t a = 0; a <= b; a++) {
            const size_t ja = w->cont_col[a], jb = w->cont_col[b];
            imat[(ja < jb ? ja : jb) + (ja < jb ? jb : ja) * p] = cc[a + b * nc];
        }
    double centred[MAX_JOINT_BITS];
    for (size_t z = 0; z < w->n_joint; z++) {
        const double *row = sums + z * width;
        for (size_t k = 0; k < nb; k++)
            centred[k] = (double)(z >> k & 1) - pb->xmean[w->group_col[k]];
        for (size_t k = 0; k < nb; k++) {
            const size_t jk = w->group_col[k];
            if (u != NULL) u[jk] += centred[k] * row[1];
            for (size_t l = k; l < nb; l++) { /* 0/1 by 0/1 */
                const size_t jl = w->group_col[l];
                imat[(jk < jl ? jk : jl) + (jk < jl ? jl : jk) * p] +=
                    centred[k] * centred[l] * row[0];
            }
            for (size_t c = 0; c < nc; c++) { /* 0/1 by the others */
                const size_t jc = w->cont_col[c];
                imat[(jk < jc ? jk : jc) + (jk < jc ? jc : jk) * p] += centred[k] * row[2 + c];
            }
        }
    }
}

/*
 * Pass 2 over part t's rows: per block, c and y from the slot sums (block_weights), U += Xc' y,
 * and the upper triangle of Xc' diag(c) Xc by a SYRK of sqrt(c) Xc.
 */
static void info_part(void *ctx, size_t t)
{
    const pass_job *job = ctx;
    const sk_cox_problem *pb = job->pb;
    sk_cox_work *w = job->w;
    const size_t n = pb->n, p = pb->p;
    double *u = w->part_u + t * p, *imat = w->part_imat + t * p * p, *block = w->part_block[t];
    double *root_c = w->part_rows[t], *y = root_c + w->syrk_rows;
    memset(u, 0, p * sizeof(double));
    memset(imat, 0, p * p * sizeof(double));
    size_t r0, r1;
    sk_parallel_range(n, w->n_parts, t, &r0, &r1);
    const bool joint = w->joint != NULL;
    if (joint) memset(w->part_joint[t], 0, w->n_joint * (2 + w->n_cont) * sizeof(double));
    for (size_t start = r0; start < r1; start += w->syrk_rows) {
        const size_t nb = r1 - start < w->syrk_rows ? r1 - start : w->syrk_rows;
        if (joint) { /* the other columns by SYRK (n_cont x n_cont in imat), 0/1 by patterns */
            block_weights(pb, w, start, nb, root_c, y);
            for (size_t c = 0; c < w->n_cont; c++) {
                const size_t j = w->cont_col[c];
                u[j] += centre_column(block + c * nb, column_rows(pb, j, start, nb, w->part_col[t]),
                                      pb->xmean[j], root_c, y, nb);
            }
            const size_t next = start + nb; /* the 0/1 columns are not read here: their patterns are */
            if (next < r1)
                prefetch_rows(pb, w->cont_col, w->n_cont, next, r1 - next < nb ? r1 - next : nb);
            if (w->n_cont > 0)
                cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)w->n_cont, (int)nb, 1.0,
                            block, (int)nb, 1.0, imat, (int)w->n_cont);
            joint_scatter(w->part_joint[t], w->joint + start, root_c, y, block, nb, w->n_cont);
            continue;
        }
        block_weights(pb, w, start, nb, root_c, y);
        for (size_t j = 0; j < p; j++)
            u[j] += centre_column(block + j * nb, column_rows(pb, j, start, nb, w->part_col[t]),
                                  pb->xmean[j], root_c, y, nb);
        const size_t next = start + nb;
        if (next < r1) prefetch_rows(pb, NULL, 0, next, r1 - next < nb ? r1 - next : nb);
        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)p, (int)nb, 1.0, block, (int)nb,
                    1.0, imat, (int)p);
    }
}

/* Pass 2 over every row (see info_part); the parts' U and information summed into u, imat. */
static void info_all(const sk_cox_problem *pb, sk_cox_work *w, double *u, double *imat)
{
    const size_t p = pb->p;
    pass_job job = {pb, w, NULL};
    sk_parallel_run(w->n_parts, info_part, &job);
    if (u != NULL) memcpy(u, w->part_u, p * sizeof(double));
    for (size_t t = 1; u != NULL && t < w->n_parts; t++) add_into(u, w->part_u + t * p, p);
    const size_t side = w->joint != NULL ? w->n_cont : p; /* of part_imat */
    for (size_t t = 1; t < w->n_parts; t++)
        add_into(w->part_imat, w->part_imat + t * p * p, side * side);
    if (side == p) memcpy(imat, w->part_imat, p * p * sizeof(double));
    else joint_assemble(pb, w, w->part_imat, u, imat);
}

/* Pass 1 over every row, with the overflow shift when needed; the halves added into part[0]. */
static void scan_all(const sk_cox_problem *pb, sk_cox_work *w, const double *beta)
{
    const sk_cox_layout *lay = pb->lay;
    const size_t n = pb->n, ns = w->n_slots, p = pb->p;
    for (size_t s = 0; s < lay->n_strata; s++) w->shift[s] = 0;
    if (beta != NULL) fill_eta_table(pb, w, beta);
    pass_job job = {pb, w, beta};
    sk_parallel_run(w->n_parts, scan_part, &job);
    double max_eta = -INFINITY;
    for (size_t t = 0; t < w->n_parts; t++)
        if (w->part[t].max_eta > max_eta) max_eta = w->part[t].max_eta;
    if (max_eta > 700) { /* shift by the stratum's mean eta where its largest exceeds 700 */
        if (beta != NULL) sk_parallel_run(w->n_parts, eta_part, &job); /* pass 1 kept no eta */
        for (size_t s = 0; s < lay->n_strata; s++) w->shift[s] = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            int32_t s = lay->row_stratum[i];
            if (lay->kin[i] < lay->kout[i] && w->eta[i] > w->shift[s]) w->shift[s] = w->eta[i];
        }
        for (size_t s = 0; s < lay->n_strata; s++) {
            if (!(w->shift[s] > 700)) {
                w->shift[s] = 0;
                continue;
            }
            double sum = 0, count = 0;
            for (size_t i = 0; i < n; i++)
                if (lay->row_stratum[i] == (int32_t)s && lay->kin[i] < lay->kout[i])
                    sum += w->eta[i], count++;
            w->shift[s] = sum / count;
        }
        job.beta = NULL; /* eta is known now */
        sk_parallel_run(w->n_parts, scan_part, &job);
    }
    slot_sums *total = &w->part[0];
    for (size_t t = 1; t < w->n_parts; t++) {
        const slot_sums *other = &w->part[t];
        add_into(total->in0, other->in0, 2 * ns);
        add_into(total->in1, other->in1, 2 * ns * p);
        total->event_eta += other->event_eta;
        if (lay->counting) {
            add_into(total->rem0, other->rem0, ns);
            add_into(total->rem1, other->rem1, ns * p);
        }
    }
    /* The entrants of a slot: its censorings (add) and its events (e). */
    add_into(total->add0, total->e0, ns);
    for (size_t j = 0; j < p; j++) add_into(s1_col(total, ns, j), e1_col(total, ns, j), ns);
}

/* E0_k of Efron's denominators: the events' risk sum, or R's agfit5 E0w_k (top of the file). */
static inline double tied_risk(const sk_cox_work *w, size_t k)
{
    return w->agfit5 ? w->e0_agfit5[k] : w->part[0].e0[k];
}

/* R's agfit5 E0w_k = sum over the deaths at slot k of v_i r_i (w->risk holds r_i = v_i exp). */
static void agfit5_tied_risk(const sk_cox_problem *pb, sk_cox_work *w)
{
    const sk_cox_layout *lay = pb->lay;
    memset(w->e0_agfit5, 0, lay->n_slots * sizeof(double));
    for (size_t i = 0; i < pb->n; i++)
        if (pb->status[i] == 1 && lay->kin[i] < lay->kout[i])
            w->e0_agfit5[lay->kin[i]] += pb->weights[i] * w->risk[i];
}

/*
 * One event slot's denominators den_kl = S0_k - f_l E0_k: its a_k, b_k, its rows of M (from
 * w->mrow_first[k]) and its log-likelihood term w_k sum_l log den_kl, returned. inv holds
 * max_deaths doubles of scratch. The logs are taken of products of four denominators (a quarter of
 * the calls to log) when those products cannot leave the range of doubles.
 */
static double slot_terms(const sk_cox_problem *pb, sk_cox_work *w, size_t k, double *inv)
{
    const sk_cox_layout *lay = pb->lay;
    const double s0 = w->s0[k], e0 = tied_risk(w, k);
    const size_t dd = pb->efron ? (size_t)lay->slot_deaths[k] : 1;
    const double wk = lay->slot_wdeaths[k] / (double)dd;
    const double step = 1 / (double)dd; /* f_l = l step: one division a slot, not one a death */
    const double smallest = s0 - (double)(dd - 1) * step * e0;
    const bool grouped = s0 < 1e70 && smallest > 1e-70;
    double a = 0, b = 0, al = 0, be = 0, log_den = 0, product = 1;
    for (size_t l = 0; l < dd; l++) {
        const double f = (double)l * step, den = s0 - f * e0, r = 1 / den;
        inv[l] = r;
        a += r;
        b += f * r;
        al += r * r;
        be += f * r * r;
        if (!grouped) {
            log_den += log(den);
        } else {
            product *= den;
            if ((l & 3) == 3 || l + 1 == dd) log_den += log(product), product = 1;
        }
    }
    w->a[k] = wk * a;
    w->b[k] = wk * b;
    const double root_w = sqrt(wk);
    size_t row = w->mrow_first[k];
    if (dd <= 2) { /* the rows m_kl themselves */
        for (size_t l = 0; l < dd; l++, row++) {
            w->mca[row] = root_w * inv[l];
            w->mcb[row] = root_w * ((double)l * step) * inv[l];
        }
    } else { /* the rank-2 form (see the top of the file), its spread summed apart (no cancelling) */
        const double fbar = be / al;
        double spread = 0;
        for (size_t l = 0; l < dd; l++) {
            const double g = ((double)l * step - fbar) * inv[l];
            spread += g * g;
        }
        w->mca[row] = root_w * sqrt(al);
        w->mcb[row++] = root_w * be / sqrt(al);
        w->mca[row] = 0;
        w->mcb[row] = -root_w * sqrt(spread);
    }
    return wk * log_den;
}

typedef struct slot_job {
    const sk_cox_problem *pb;
    sk_cox_work *w;
    size_t parts;
    double log_sum[MAX_PARTS];
} slot_job;

/* slot_terms for the event slots of part t of job->parts. */
static void slot_terms_part(void *ctx, size_t t)
{
    slot_job *job = ctx;
    sk_cox_work *w = job->w;
    size_t k0, k1;
    sk_parallel_range(w->n_slots, job->parts, t, &k0, &k1);
    double sum = 0;
    for (size_t k = k0; k < k1; k++) {
        if (job->pb->lay->slot_deaths[k] == 0) {
            w->a[k] = w->b[k] = 0;
            continue;
        }
        sum += slot_terms(job->pb, w, k, w->part_inv[t]);
    }
    job->log_sum[t] = sum;
}

/*
 * Risks and risk-set sums at beta (or at the given w->eta when beta is NULL): w->risk, S0 (w->s0),
 * S1, E0, E1 (part[0]: add0, e0, s1_col, e1_col), a_k, b_k. Returns sum_k w_k sum_l log den_kl.
 */
static double risk_set_sums(const sk_cox_problem *pb, sk_cox_work *w, const double *beta)
{
    const sk_cox_layout *lay = pb->lay;
    const size_t p = pb->p, ns = lay->n_slots;
    scan_all(pb, w, beta);
    if (w->agfit5) agfit5_tied_risk(pb, w);
    slot_sums *sums = &w->part[0];

    /* Running sums over the slots of each stratum, latest time first. */
    for (size_t s = 0; s < lay->n_strata; s++) {
        size_t first = lay->stratum_first_slot[s], sentinel = lay->stratum_first_slot[s + 1] - 1;
        for (size_t k = first; k < sentinel; k++) {
            bool restart = k == first || lay->slot_restart[k];
            double leave0 = lay->counting ? sums->rem0[k] : 0.0;
            w->s0[k] = (restart ? 0.0 : w->s0[k - 1] - leave0) + sums->add0[k];
        }
        for (size_t j = 0; j < p; j++) {
            double *s1 = s1_col(sums, ns, j);
            const double *rem1 = lay->counting ? sums->rem1 + j * ns : NULL;
            for (size_t k = first; k < sentinel; k++) {
                bool restart = k == first || lay->slot_restart[k];
                s1[k] = (restart ? 0.0 : s1[k - 1] - (rem1 ? rem1[k] : 0.0)) + s1[k];
            }
        }
    }

    /* Per-(k, l) denominators, slot by slot, the slots split in two halves on two threads when
     * they are many (each half sums its own log term; the halves are added in order). */
    slot_job job = {pb, w, ns >= PARALLEL_MIN_SLOTS ? MAX_PARTS : 1, {0, 0}};
    sk_parallel_run(job.parts, slot_terms_part, &job);
    return job.parts == 1 ? job.log_sum[0] : job.log_sum[0] + job.log_sum[1];
}

/* The rows of M from the risk-set sums, each scaled by sqrt(w_k): w->m (n_mrows x p). */
static void fill_m(const sk_cox_problem *pb, sk_cox_work *w)
{
    const size_t p = pb->p, nm = w->n_mrows, ns = w->n_slots;
    const slot_sums *sums = &w->part[0];
    for (size_t j = 0; j < p; j++) {
        const double *s1 = s1_col(sums, ns, j), *e1 = e1_col(sums, ns, j);
        double *mcol = w->m + j * nm;
        for (size_t r = 0; r < nm; r++) {
            size_t k = w->mrow_slot[r];
            mcol[r] = w->mca[r] * s1[k] - w->mcb[r] * e1[k];
        }
    }
}

double sk_cox_efron_eval(const sk_cox_problem *pb, sk_cox_work *w, const double *beta, double *u,
                         double *imat)
{
    const sk_cox_layout *lay = pb->lay;
    const size_t n = pb->n, p = pb->p, nm = w->n_mrows;
    const double *v = pb->weights, *st = pb->status;

    double loglik = -risk_set_sums(pb, w, beta);
    /* + sum_i delta_i v_i (eta_i - shift): pass 1 summed delta v eta; shifts are rare. */
    loglik += w->part[0].event_eta;
    for (size_t s = 0; s < lay->n_strata; s++)
        if (w->shift[s] != 0) {
            for (size_t i = 0; i < n; i++)
                if (st[i] == 1) loglik -= v[i] * w->shift[lay->row_stratum[i]];
            break;
        }
    if (p == 0) return loglik;

    /* Rows of M, scaled by sqrt(w_k) so that one SYRK gives M' diag(w) M. */
    fill_m(pb, w);

    /* A_i by suffix sums of a_k (from the earliest event time up); pass 2 makes c_i from them. */
    sk_cox_suffix_sums(lay, w->a, w->q);

    /* Pass 2: U = Xc' (delta v - c) and I = Xc' diag(c) Xc - M' diag(w) M (upper triangle, then
     * mirrored). */
    info_all(pb, w, u, imat);
    if (nm > 0)
        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)p, (int)nm, -1.0, w->m, (int)nm, 1.0,
                    imat, (int)p);
    for (size_t j = 0; j < p; j++)
        for (size_t i = j + 1; i < p; i++) imat[i + j * p] = imat[j + i * p];
    return loglik;
}

void sk_cox_hazard_free(sk_cox_hazard *hz)
{
    if (hz == NULL) return;
    free(hz->risk), free(hz->a), free(hz->b), free(hz->a2), free(hz->g), free(hz->e), free(hz->mbar);
    free(hz->a2f), free(hz->a2ff), free(hz->shift);
    memset(hz, 0, sizeof *hz);
}

/* The per-slot terms of sk_cox_hazard_compute for the slots of one task (slots are independent:
 * the split changes no bit). Efron's steps l = 0..dd-1 of a slot: f_l, den_l and h_l = w_k / den_l
 * are the same for every column, so they are computed once per slot (the task's scratch holds one
 * slot's steps), not once per column; each column's sums then take the same operations in the
 * same order. */
typedef struct hazard_job {
    const sk_cox_problem *pb;
    const sk_cox_work *w;
    sk_cox_hazard *hz;
    double *scratch; /* n_tasks x 3 max_dd */
    size_t max_dd, n_tasks;
} hazard_job;

static void hazard_slots(void *ctx, size_t task)
{
    const hazard_job *job = ctx;
    const sk_cox_problem *pb = job->pb;
    const sk_cox_work *w = job->w;
    sk_cox_hazard *hz = job->hz;
    const sk_cox_layout *lay = pb->lay;
    const size_t p = pb->p, ns = lay->n_slots, max_dd = job->max_dd;
    double *fl = job->scratch + task * 3 * max_dd, *denl = fl + max_dd, *hl = fl + 2 * max_dd;
    const slot_sums *sums = &w->part[0];
    size_t k0, k1;
    sk_parallel_range(ns, job->n_tasks, task, &k0, &k1);
    for (size_t k = k0; k < k1; k++) {
        int32_t d = lay->slot_deaths[k];
        size_t dd = d == 0 ? 0 : pb->efron ? (size_t)d : 1;
        double wk = dd > 0 ? lay->slot_wdeaths[k] / (double)dd : 0;
        for (size_t l = 0; l < dd; l++) {
            const double f = (double)l / (double)dd;
            double den = w->s0[k] - f * tied_risk(w, k);
            double h2 = lay->slot_wdeaths[k] / (double)dd / (den * den);
            hz->a2[k] += h2;
            hz->a2f[k] += f * h2;
            hz->a2ff[k] += f * f * h2;
            fl[l] = f, denl[l] = den, hl[l] = wk / den;
        }
        for (size_t j = 0; j < p; j++) {
            const double s1 = s1_col(sums, ns, j)[k], e1 = e1_col(sums, ns, j)[k];
            double g = 0, e = 0, mbar = 0;
            for (size_t l = 0; l < dd; l++) {
                double m = (s1 - fl[l] * e1) / denl[l];
                double h = hl[l];
                g += h * m;
                e += fl[l] * h * m;
                mbar += m / (double)dd;
            }
            hz->g[j * ns + k] = g;
            hz->e[j * ns + k] = e;
            hz->mbar[j * ns + k] = mbar;
        }
    }
}

survkit_status sk_cox_hazard_compute(const sk_cox_problem *pb, sk_cox_work *w, const double *eta,
                                     sk_cox_hazard *hz, survkit_error *err)
{
    const sk_cox_layout *lay = pb->lay;
    const size_t n = pb->n, p = pb->p, ns = lay->n_slots;
    memset(hz, 0, sizeof *hz);
    size_t slots_p = 0;
    RETURN_ERROR_IF(!sk_mul_size(ns, p, &slots_p), err, SURVKIT_ERR_NOMEM, "size overflow");
    hz->risk = sk_malloc_array(n, sizeof(double));
    hz->a = sk_malloc_array(ns, sizeof(double));
    hz->b = sk_malloc_array(ns, sizeof(double));
    hz->a2 = sk_calloc_array(ns, sizeof(double));
    hz->a2f = sk_calloc_array(ns, sizeof(double));
    hz->a2ff = sk_calloc_array(ns, sizeof(double));
    hz->shift = sk_malloc_array(lay->n_strata, sizeof(double));
    hz->g = sk_calloc_array(slots_p, sizeof(double));
    hz->e = sk_calloc_array(slots_p, sizeof(double));
    hz->mbar = sk_calloc_array(slots_p, sizeof(double));
    if (!hz->risk || !hz->a || !hz->b || !hz->a2 || !hz->a2f || !hz->a2ff || !hz->shift || !hz->g ||
        !hz->e || !hz->mbar) {
        sk_cox_hazard_free(hz);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (Cox residuals)");
    }
    if (w->eta != eta) memcpy(w->eta, eta, n * sizeof(double));
    (void)risk_set_sums(pb, w, NULL);
    for (size_t i = 0; i < n; i++)
        hz->risk[i] = pb->weights[i] > 0 ? w->risk[i] / pb->weights[i] : 0.0;
    memcpy(hz->a, w->a, ns * sizeof(double));
    memcpy(hz->b, w->b, ns * sizeof(double));
    memcpy(hz->shift, w->shift, lay->n_strata * sizeof(double));
    const size_t max_dd = (size_t)lay->max_deaths + 1;
    size_t steps = 0; /* the work: Efron steps (deaths, or 1 for Breslow) over the slots */
    for (size_t k = 0; k < ns; k++)
        steps += lay->slot_deaths[k] == 0 ? 0 : pb->efron ? (size_t)lay->slot_deaths[k] : 1;
    hazard_job job = {pb, w, hz, NULL, max_dd, steps * p >= HAZARD_PARALLEL_MIN ? MAX_PARTS : 1};
    job.scratch = sk_malloc_array(job.n_tasks * 3 * max_dd, sizeof(double));
    if (job.scratch == NULL) {
        sk_cox_hazard_free(hz);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (Cox residuals)");
    }
    sk_parallel_run_if(job.n_tasks > 1, job.n_tasks, hazard_slots, &job);
    free(job.scratch);
    return SURVKIT_OK;
}

/* Pass 2 with signed weights for sk_cox_efron_slot_info: per part, for each weighting v, the
 * upper triangle of Xc' diag(c_v) Xc into acc[(t count + v) p^2]. */
typedef struct signed_job {
    const sk_cox_problem *pb;
    sk_cox_work *w;
    size_t count;                      /* weightings */
    const double *const *slot_weights; /* [count][n_slots]: t_k */
    const double *q;                   /* count x n_slots: suffix sums of t_k a_k */
    double *acc;                       /* n_parts x count x p x p */
    double *c;                         /* n_parts x count x syrk_rows: a block's c_v */
    const double **cols;               /* n_parts x p: the centred block's columns */
} signed_job;

static void signed_info_part(void *ctx, size_t t)
{
    const signed_job *job = ctx;
    const sk_cox_problem *pb = job->pb;
    const sk_cox_layout *lay = pb->lay;
    sk_cox_work *w = job->w;
    const size_t n = pb->n, p = pb->p, ns = lay->n_slots, rows = w->syrk_rows;
    double *block = w->part_block[t], *acc = job->acc + t * job->count * p * p;
    double *cv = job->c + t * job->count * rows;
    const double **cols = job->cols + t * p;
    memset(acc, 0, job->count * p * p * sizeof(double));
    size_t r0, r1;
    sk_parallel_range(n, w->n_parts, t, &r0, &r1);
    for (size_t start = r0; start < r1; start += rows) {
        const size_t nb = r1 - start < rows ? r1 - start : rows;
        for (size_t j = 0; j < p; j++) {
            const double *x = column_rows(pb, j, start, nb, w->part_col[t]);
            double *bcol = block + j * nb;
            for (size_t i = 0; i < nb; i++) bcol[i] = x[i] - pb->xmean[j];
            cols[j] = bcol;
        }
        for (size_t v = 0; v < job->count; v++) {
            /* c_v,i = r_i (sum of t_k a_k where i is at risk - delta_i t_k(i) b_k(i)) */
            const double *q = job->q + v * ns, *weight = job->slot_weights[v];
            double *c = cv + v * rows;
            for (size_t r = 0; r < nb; r++) {
                const size_t i = start + r, kin = lay->kin[i], kout = lay->kout[i];
                double ci = 0;
                if (kin < kout) {
                    ci = q[kin] - q[kout];
                    if (pb->status[i] == 1) ci -= weight[kin] * w->b[kin];
                    ci *= w->risk[i];
                }
                c[r] = ci;
            }
            sk_crossprod_block_weighted(nb, p, cols, c, p, p, cols, acc + v * p * p, p);
        }
    }
}

survkit_status sk_cox_efron_slot_info(const sk_cox_problem *pb, sk_cox_work *w, const double *eta,
                                      size_t n_weights, const double *const *slot_weights,
                                      double *const *imats, survkit_error *err)
{
    const sk_cox_layout *lay = pb->lay;
    const size_t n = pb->n, p = pb->p, ns = lay->n_slots, nm = w->n_mrows, parts = w->n_parts;
    size_t m_p = 0;
    RETURN_ERROR_IF(!sk_mul_size(nm, p, &m_p), err, SURVKIT_ERR_NOMEM, "size overflow");
    double *ta = sk_malloc_array(ns, sizeof(double));
    double *mt = sk_malloc_array(m_p, sizeof(double));
    double *q = sk_malloc_array(n_weights * ns + 1, sizeof(double));
    double *acc = sk_malloc_array(parts * n_weights * p * p + 1, sizeof(double));
    double *c = sk_malloc_array(parts * n_weights * w->syrk_rows + 1, sizeof(double));
    const double **cols = sk_malloc_array(parts * p + 1, sizeof(double *));
    if (!ta || (!mt && m_p > 0) || !q || !acc || !c || !cols) {
        free(ta), free(mt), free(q), free(acc), free(c), free(cols);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (information)");
    }
    /* Pass 1 and M depend on eta alone: once for every weighting, as is pass 2 over the rows; pass
     * 1 not at all when the caller's last sk_cox_hazard_compute left it in w (eta NULL). */
    if (eta != NULL) {
        if (w->eta != eta) memcpy(w->eta, eta, n * sizeof(double));
        (void)risk_set_sums(pb, w, NULL);
    }
    fill_m(pb, w);
    for (size_t v = 0; v < n_weights; v++) {
        for (size_t k = 0; k < ns; k++) ta[k] = slot_weights[v][k] * w->a[k];
        sk_cox_suffix_sums(lay, ta, q + v * ns);
    }
    signed_job job = {pb, w, n_weights, slot_weights, q, acc, c, cols};
    if (p > 0) sk_parallel_run(parts, signed_info_part, &job);

    for (size_t v = 0; v < n_weights; v++) {
        const double *slot_weight = slot_weights[v];
        double *imat = imats[v];
        /* X' diag(c_t) X: the parts' upper triangles added, then mirrored. */
        for (size_t e = 0; e < p * p; e++) imat[e] = acc[v * p * p + e];
        for (size_t t = 1; t < parts; t++) add_into(imat, acc + (t * n_weights + v) * p * p, p * p);
        for (size_t j = 0; j < p; j++)
            for (size_t i = j + 1; i < p; i++) imat[i + j * p] = imat[j + i * p];

        /* - M' diag(w t) M: the sqrt(w_k)-scaled rows of M against their copies times t_k. */
        for (size_t j = 0; j < p; j++) {
            const double *mcol = w->m + j * nm;
            double *tcol = mt + j * nm;
            for (size_t r = 0; r < nm; r++) tcol[r] = slot_weight[w->mrow_slot[r]] * mcol[r];
        }
        if (nm > 0 && p > 0)
            cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)p, (int)p, (int)nm, -1.0, mt,
                        (int)nm, w->m, (int)nm, 1.0, imat, (int)p);
        /* Symmetric in exact arithmetic: average the two triangles. */
        for (size_t j = 0; j < p; j++)
            for (size_t i = j + 1; i < p; i++) {
                double x = 0.5 * (imat[i + j * p] + imat[j + i * p]);
                imat[i + j * p] = imat[j + i * p] = x;
            }
    }
    free(ta), free(mt), free(q), free(acc), free(c), free(cols);
    return SURVKIT_OK;
}
