/*
 * rank_tree.h: a weighted multiset of ranks 0..size-1 that answers, in O(log size), how much weight
 * lies below, at and above a given rank (a Fenwick tree of prefix sums plus the weight at each
 * rank). The concordance keeps one for the risk set and one for the events seen so far.
 */
#ifndef SK_COX_RANK_TREE_H
#define SK_COX_RANK_TREE_H

#include <stddef.h>
#include <string.h>

typedef struct sk_rank_tree {
    double *prefix; /* prefix[1..size]: Fenwick partial sums (prefix[0] unused) */
    double *at;     /* at[r]: weight held at rank r */
    double total;   /* weight held at all ranks */
    size_t size;
} sk_rank_tree;

/* Empty the tree and use ranks 0..size-1; the arrays must hold size + 1 and size doubles. */
static inline void sk_rank_tree_reset(sk_rank_tree *t, size_t size)
{
    memset(t->prefix, 0, (size + 1) * sizeof *t->prefix);
    memset(t->at, 0, size * sizeof *t->at);
    t->total = 0.0;
    t->size = size;
}

/* Add weight w (negative removes) at rank r < size. */
static inline void sk_rank_tree_add(sk_rank_tree *t, size_t r, double w)
{
    t->at[r] += w;
    t->total += w;
    for (size_t k = r + 1; k <= t->size; k += k & (~k + 1)) t->prefix[k] += w;
}

/* The weight held at ranks below r, at r, and above r. */
static inline void sk_rank_tree_split(const sk_rank_tree *t, size_t r, double *below, double *at,
                                      double *above)
{
    double s = 0.0;
    for (size_t k = r; k > 0; k -= k & (~k + 1)) s += t->prefix[k];
    *below = s;
    *at = t->at[r];
    *above = t->total - s - t->at[r];
}

#endif /* SK_COX_RANK_TREE_H */
