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
    size_t size;
} sk_slot_tree;

/* No running total is kept: a caller that needs one sums it in a local variable, which the
 * compiler can hold in a register (a total next to the nodes would be reloaded after every store
 * to a node, a chain of store-to-load latencies through the whole sweep). */

/* Empty the tree and use slots 0..size-1; node must hold size + 1 doubles. */
static inline void sk_slot_tree_reset(sk_slot_tree *t, size_t size)
{
    memset(t->node, 0, (size + 1) * sizeof *t->node);
    t->size = size;
}

/* Add weight w (negative removes) at slot k < size. */
static inline void sk_slot_tree_add(sk_slot_tree *t, size_t k, double w)
{
    for (size_t j = k + 1; j <= t->size; j += j & (~j + 1)) t->node[j] += w;
}

/* The weight held at the slots below k (k <= size). */
static inline double sk_slot_tree_below(const sk_slot_tree *t, size_t k)
{
    double s = 0.0;
    for (size_t j = k; j > 0; j -= j & (~j + 1)) s += t->node[j];
    return s;
}

/* Empty a tree that holds only additions at slot k (and others): zero the nodes an add at k
 * touched. Clearing every slot that was added to empties the tree in O(log size) each, where a
 * reset costs O(size) (the distributed concordance's per-group trees). */
static inline void sk_slot_tree_clear_at(sk_slot_tree *t, size_t k)
{
    for (size_t j = k + 1; j <= t->size; j += j & (~j + 1)) t->node[j] = 0.0;
}

/* dst += src, node by node (a Fenwick tree is linear in its weights; the same size). */
static inline void sk_slot_tree_merge(sk_slot_tree *dst, const sk_slot_tree *src)
{
    for (size_t j = 1; j <= dst->size; j++) dst->node[j] += src->node[j];
}

#endif /* SK_COX_SLOT_TREE_H */
