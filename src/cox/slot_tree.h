/*
 * slot_tree.h: weights held at the slots 0..size-1 of a stratum (cox_data.c's event-time slots)
 * that answers, in O(log size), how much weight lies at the slots below a given one: a Fenwick tree
 * of prefix sums (Fenwick 1994). The concordance keeps one keyed by the slot where a row starts to
 * be compared (the risk tree) and one keyed by the slot of each event (the event tree); with a few
 * thousand distinct times the whole tree stays in the first-level cache.
 */
#ifndef SK_COX_SLOT_TREE_H
#define SK_COX_SLOT_TREE_H

#include <stddef.h>
#include <string.h>

typedef struct sk_slot_tree {
    double *node;   /* node[1..size]: Fenwick partial sums (node[0] unused); size + 1 doubles */
    double total;   /* weight held at all slots */
    size_t size;
} sk_slot_tree;

/* Empty the tree and use slots 0..size-1; node must hold size + 1 doubles. */
static inline void sk_slot_tree_reset(sk_slot_tree *t, size_t size)
{
    memset(t->node, 0, (size + 1) * sizeof *t->node);
    t->total = 0.0;
    t->size = size;
}

/* Add weight w (negative removes) at slot k < size. */
static inline void sk_slot_tree_add(sk_slot_tree *t, size_t k, double w)
{
    t->total += w;
    for (size_t j = k + 1; j <= t->size; j += j & (~j + 1)) t->node[j] += w;
}

/* The weight held at the slots below k (k <= size; k = size gives the total). */
static inline double sk_slot_tree_below(const sk_slot_tree *t, size_t k)
{
    if (k >= t->size) return t->total;
    double s = 0.0;
    for (size_t j = k; j > 0; j -= j & (~j + 1)) s += t->node[j];
    return s;
}

/* The weight held at the slots lo..hi-1 (lo <= hi <= size). */
static inline double sk_slot_tree_range(const sk_slot_tree *t, size_t lo, size_t hi)
{
    return sk_slot_tree_below(t, hi) - sk_slot_tree_below(t, lo);
}

#endif /* SK_COX_SLOT_TREE_H */
