/*
 * terms.c: the right-hand side of a formula -> variables and terms, as R's terms.formula().
 *
 * A term is a set of variables (a bit mask over the variables in order of first appearance).
 * Expansion rules on sets of terms L and R:  L + R = L u R (first occurrence kept),
 * L - R = L \ R,  L:R = { l u r },  L*R = L + R + L:R,  L/R = L + (u L):R,  L^n = L*L*...*L
 * (interactions up to order n). `1` and `0` only concern the intercept, which coxph ignores.
 * Anything else (a name, a call such as log(x), a comparison) is one variable, named by its
 * deparsed text. Terms are then ordered by interaction order, stably, and labelled with their
 * variables in variable order joined by ':' ("b:a" when b appeared first).
 * strata(), cluster() and offset() are set aside as specials.
 */
#include "formula/formula_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A list of terms, each a bit set of n_words words (bit v = variable v), one after another, with
 * a hash set of them (open addressing: slot = item index + 1, 0 empty) so that adding a term
 * costs O(n_words) whatever the length of the list (a `.` over thousands of columns). */
typedef struct term_list {
    uint64_t *items;
    size_t n, capacity, n_words;
    size_t *slots;
    size_t n_slots; /* a power of two, at least twice n */
} term_list;

typedef struct expander {
    sk_terms *terms;
    survkit_error *err;
    size_t specials_capacity;
    size_t n_words;           /* words per term: enough for every variable the formula can name */
    size_t variables_capacity;
    /* the variables by label: open addressing, slot = variable index + 1, 0 empty; a power of two
     * at least twice the nodes of the formula, so it never fills */
    size_t *label_slots;
    size_t n_label_slots;
    bool removing; /* expanding the right side of '-' (or a unary '-'): `1` there drops the intercept */
} expander;

static term_list new_list(const expander *ex) { return (term_list){.n_words = ex->n_words}; }

static void list_free(term_list *l)
{
    free(l->items);
    free(l->slots);
    l->items = NULL;
    l->slots = NULL;
    l->n = l->capacity = l->n_slots = 0;
}

static uint64_t *item(const term_list *l, size_t k) { return l->items + k * l->n_words; }

/* A hash of the words: each folded in through splitmix64's finaliser, which spreads every bit of
 * its input over all 64 (a term is often a single bit in one word). */
static size_t term_hash(const uint64_t *t, size_t n_words)
{
    uint64_t h = 0;
    for (size_t w = 0; w < n_words; w++) {
        if (t[w] == 0) continue;
        uint64_t x = h ^ t[w] ^ (uint64_t)w * UINT64_C(0x9e3779b97f4a7c15);
        x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
        x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
        h = x ^ (x >> 31);
    }
    return (size_t)h;
}

static bool same_term(const uint64_t *a, const uint64_t *b, size_t n_words)
{
    for (size_t w = 0; w < n_words; w++)
        if (a[w] != b[w]) return false;
    return true;
}

/* The slot holding t, or the empty slot where it would go. */
static size_t find_slot(const term_list *l, const uint64_t *t)
{
    size_t s = term_hash(t, l->n_words) & (l->n_slots - 1);
    while (l->slots[s] != 0 && !same_term(item(l, l->slots[s] - 1), t, l->n_words))
        s = (s + 1) & (l->n_slots - 1);
    return s;
}

static bool list_has(const term_list *l, const uint64_t *t)
{
    return l->n_slots > 0 && l->slots[find_slot(l, t)] != 0;
}

/* A hash set of twice the slots, refilled from the items. */
static survkit_status grow_slots(term_list *l, survkit_error *err)
{
    size_t n_slots = l->n_slots ? 2 * l->n_slots : 16;
    size_t *slots = sk_calloc_array(n_slots, sizeof *slots);
    RETURN_ERROR_IF(slots == NULL, err, SURVKIT_ERR_NOMEM, "out of memory expanding formula");
    free(l->slots);
    l->slots = slots;
    l->n_slots = n_slots;
    for (size_t k = 0; k < l->n; k++) l->slots[find_slot(l, item(l, k))] = k + 1;
    return SURVKIT_OK;
}

/* Append t unless present. */
static survkit_status list_add(term_list *l, const uint64_t *t, survkit_error *err)
{
    if (list_has(l, t)) return SURVKIT_OK;
    if (2 * (l->n + 1) > l->n_slots) RETURN_IF_ERROR(grow_slots(l, err));
    if (l->n == l->capacity) {
        size_t capacity = l->capacity ? 2 * l->capacity : 8, words;
        RETURN_ERROR_IF(!sk_mul_size(capacity, l->n_words, &words), err, SURVKIT_ERR_NOMEM,
                        "out of memory expanding formula");
        uint64_t *grown = sk_realloc_array(l->items, words, sizeof *grown);
        RETURN_ERROR_IF(grown == NULL, err, SURVKIT_ERR_NOMEM, "out of memory expanding formula");
        l->items = grown;
        l->capacity = capacity;
    }
    memcpy(item(l, l->n), t, l->n_words * sizeof *t);
    l->slots[find_slot(l, t)] = ++l->n;
    return SURVKIT_OK;
}

static survkit_status list_union(term_list *into, const term_list *from, survkit_error *err)
{
    for (size_t k = 0; k < from->n; k++) RETURN_IF_ERROR(list_add(into, item(from, k), err));
    return SURVKIT_OK;
}

/* into += { l u r : l in a, r in b } */
static survkit_status list_cross(term_list *into, const term_list *a, const term_list *b,
                                 survkit_error *err)
{
    uint64_t *both = sk_malloc_array(into->n_words, sizeof *both);
    RETURN_ERROR_IF(both == NULL, err, SURVKIT_ERR_NOMEM, "out of memory expanding formula");
    survkit_status status = SURVKIT_OK;
    for (size_t i = 0; i < a->n && status == SURVKIT_OK; i++)
        for (size_t j = 0; j < b->n && status == SURVKIT_OK; j++) {
            for (size_t w = 0; w < into->n_words; w++) both[w] = item(a, i)[w] | item(b, j)[w];
            status = list_add(into, both, err);
        }
    free(both);
    return status;
}

/* FNV-1a of a label. */
static size_t label_hash(const char *s)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (; *s; s++) h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return (size_t)(h ^ (h >> 29));
}

static survkit_status add_variable(expander *ex, const sk_node *node, size_t *index)
{
    sk_terms *t = ex->terms;
    char *label = sk_deparse(node);
    RETURN_ERROR_IF(label == NULL, ex->err, SURVKIT_ERR_NOMEM, "out of memory expanding formula");
    const size_t mask = ex->n_label_slots - 1;
    size_t slot = label_hash(label) & mask;
    for (; ex->label_slots[slot] != 0; slot = (slot + 1) & mask) {
        size_t v = ex->label_slots[slot] - 1;
        if (strcmp(t->variable_label[v], label) == 0) {
            free(label);
            *index = v;
            return SURVKIT_OK;
        }
    }
    if (t->n_variables == ex->variables_capacity) {
        size_t capacity = ex->variables_capacity ? 2 * ex->variables_capacity : 16;
        const sk_node **nodes = sk_realloc_array(t->variable, capacity, sizeof *nodes);
        if (nodes != NULL) t->variable = nodes;
        char **labels = nodes ? sk_realloc_array(t->variable_label, capacity, sizeof *labels) : NULL;
        if (labels != NULL) t->variable_label = labels;
        if (labels == NULL) {
            free(label);
            return sk_error_set(ex->err, SURVKIT_ERR_NOMEM, NULL, 0, 0,
                                "out of memory expanding formula");
        }
        ex->variables_capacity = capacity;
    }
    if (t->n_variables == 64 * ex->n_words) { /* cannot happen: n_words counts every node */
        free(label);
        return sk_error_set(ex->err, SURVKIT_ERR_INTERNAL, NULL, 0, node->pos,
                            "more variables than nodes in the formula");
    }
    t->variable[t->n_variables] = node;
    t->variable_label[t->n_variables] = label;
    *index = t->n_variables++;
    ex->label_slots[slot] = t->n_variables;
    return SURVKIT_OK;
}

/* The one-variable term of `node`. */
static survkit_status variable_term(expander *ex, const sk_node *node, term_list *out)
{
    size_t v = 0;
    RETURN_IF_ERROR(add_variable(ex, node, &v));
    uint64_t *bits = sk_calloc_array(ex->n_words, sizeof *bits);
    RETURN_ERROR_IF(bits == NULL, ex->err, SURVKIT_ERR_NOMEM, "out of memory expanding formula");
    bits[v / 64] = UINT64_C(1) << (v % 64);
    survkit_status status = list_add(out, bits, ex->err);
    free(bits);
    return status;
}

static survkit_status add_special(expander *ex, const sk_node *call, sk_special_kind kind,
                                  bool in_interaction)
{
    sk_terms *t = ex->terms;
    if (in_interaction)
        return sk_error_set(ex->err, SURVKIT_ERR_FORMULA, NULL, 0, call->pos,
                            "%s() cannot be part of an interaction", call->name);
    if (t->n_specials == ex->specials_capacity) {
        size_t capacity = ex->specials_capacity ? 2 * ex->specials_capacity : 4;
        sk_special *grown = sk_realloc_array(t->special, capacity, sizeof *grown);
        RETURN_ERROR_IF(grown == NULL, ex->err, SURVKIT_ERR_NOMEM, "out of memory expanding formula");
        t->special = grown;
        ex->specials_capacity = capacity;
    }
    t->special[t->n_specials].kind = kind;
    t->special[t->n_specials].call = call;
    t->n_specials++;
    return SURVKIT_OK;
}

static survkit_status expand(expander *ex, const sk_node *node, bool in_interaction, term_list *out);

/* Expand both operands of a binary node into a and b. */
static survkit_status expand_operands(expander *ex, const sk_node *node, bool in_interaction,
                                      term_list *a, term_list *b)
{
    RETURN_IF_ERROR(expand(ex, node->args[0], in_interaction, a));
    return expand(ex, node->args[1], in_interaction, b);
}

static survkit_status expand_power(expander *ex, const sk_node *node, term_list *out)
{
    const sk_node *power = node->args[1];
    while (power->kind == SK_NODE_PAREN) power = power->args[0];
    if (power->kind != SK_NODE_NUMBER || power->number < 1 || power->number > 64 ||
        power->number != (double)(int)power->number)
        return sk_error_set(ex->err, SURVKIT_ERR_FORMULA, NULL, 0, power->pos,
                            "the power of a formula term must be a positive integer");
    term_list base = new_list(ex);
    survkit_status status = expand(ex, node->args[0], true, &base);
    if (status == SURVKIT_OK) status = list_union(out, &base, ex->err);
    for (int k = 1; status == SURVKIT_OK && k < (int)power->number; k++) {
        term_list current = new_list(ex);
        status = list_union(&current, out, ex->err);
        if (status == SURVKIT_OK) status = list_cross(out, &current, &base, ex->err);
        list_free(&current);
    }
    list_free(&base);
    return status;
}

static survkit_status expand_binary(expander *ex, const sk_node *node, bool in_interaction,
                                    term_list *out)
{
    term_list a = new_list(ex), b = new_list(ex);
    survkit_status status = SURVKIT_OK;
    switch (node->op) {
    case '+': /* both sides straight into out: a long sum is not copied at every level */
        status = expand(ex, node->args[0], in_interaction, out);
        if (status == SURVKIT_OK) status = expand(ex, node->args[1], in_interaction, out);
        break;
    case '-':
        status = expand(ex, node->args[0], in_interaction, &a);
        ex->removing = !ex->removing;
        if (status == SURVKIT_OK) status = expand(ex, node->args[1], in_interaction, &b);
        ex->removing = !ex->removing;
        for (size_t k = 0; status == SURVKIT_OK && k < a.n; k++)
            if (!list_has(&b, item(&a, k))) status = list_add(out, item(&a, k), ex->err);
        break;
    case ':':
    case SK_OP_IN: /* R's terms(): b %in% a is the interaction b:a */
        status = expand_operands(ex, node, true, &a, &b);
        if (status == SURVKIT_OK) status = list_cross(out, &a, &b, ex->err);
        break;
    case '*':
        status = expand_operands(ex, node, true, &a, &b);
        if (status == SURVKIT_OK) status = list_union(out, &a, ex->err);
        if (status == SURVKIT_OK) status = list_union(out, &b, ex->err);
        if (status == SURVKIT_OK) status = list_cross(out, &a, &b, ex->err);
        break;
    case '/': { /* L/R = L + (u L):R */
        status = expand_operands(ex, node, true, &a, &b);
        term_list left_all = new_list(ex);
        uint64_t *all = sk_calloc_array(ex->n_words, sizeof *all);
        if (status == SURVKIT_OK && all == NULL)
            status = sk_error_set(ex->err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        for (size_t k = 0; status == SURVKIT_OK && k < a.n; k++)
            for (size_t w = 0; w < ex->n_words; w++) all[w] |= item(&a, k)[w];
        if (status == SURVKIT_OK) status = list_union(out, &a, ex->err);
        if (status == SURVKIT_OK) status = list_add(&left_all, all, ex->err);
        if (status == SURVKIT_OK) status = list_cross(out, &left_all, &b, ex->err);
        list_free(&left_all);
        free(all);
        break;
    }
    case '^':
        status = expand_power(ex, node, out);
        break;
    default: /* a comparison: one variable, as R's terms() treats it */
        status = variable_term(ex, node, out);
    }
    list_free(&a);
    list_free(&b);
    return status;
}

static survkit_status expand(expander *ex, const sk_node *node, bool in_interaction, term_list *out)
{
    switch (node->kind) {
    case SK_NODE_NUMBER:
        if (node->number == 0 || node->number == 1) { /* the intercept: R's last word counts */
            ex->terms->no_intercept = (node->number == 0) != ex->removing;
            return SURVKIT_OK;
        }
        return sk_error_set(ex->err, SURVKIT_ERR_FORMULA, NULL, 0, node->pos,
                            "invalid model term: a number other than 0 or 1");
    case SK_NODE_STRING:
        return sk_error_set(ex->err, SURVKIT_ERR_FORMULA, NULL, 0, node->pos,
                            "invalid model term: a string");
    case SK_NODE_PAREN:
        return expand(ex, node->args[0], in_interaction, out);
    case SK_NODE_UNARY:
        if (node->op == '+') return expand(ex, node->args[0], in_interaction, out);
        {
            /* `-1`, `-0` or `- x` in front: removes from nothing, as in R (`~ -1 + x` is x) */
            term_list removed = new_list(ex);
            ex->removing = !ex->removing;
            survkit_status status = expand(ex, node->args[0], in_interaction, &removed);
            ex->removing = !ex->removing;
            list_free(&removed);
            return status;
        }
    case SK_NODE_BINARY:
        return expand_binary(ex, node, in_interaction, out);
    case SK_NODE_CALL:
        if (strcmp(node->name, "strata") == 0)
            return add_special(ex, node, SK_SPECIAL_STRATA, in_interaction);
        if (strcmp(node->name, "cluster") == 0)
            return add_special(ex, node, SK_SPECIAL_CLUSTER, in_interaction);
        if (strcmp(node->name, "offset") == 0)
            return add_special(ex, node, SK_SPECIAL_OFFSET, in_interaction);
        if (strncmp(node->name, "frailty", 7) == 0)
            return add_special(ex, node, SK_SPECIAL_FRAILTY, in_interaction);
        if (strcmp(node->name, "Surv") == 0)
            return sk_error_set(ex->err, SURVKIT_ERR_FORMULA, NULL, 0, node->pos,
                                "Surv() belongs on the left of '~'");
        return variable_term(ex, node, out); /* a transformed variable */
    case SK_NODE_NAME:
        return variable_term(ex, node, out);
    }
    return sk_error_set(ex->err, SURVKIT_ERR_INTERNAL, NULL, 0, node->pos, "unknown node");
}

/* Variables in a term (its interaction order). */
static size_t term_order(const uint64_t *term, size_t n_words)
{
    size_t n = 0;
    for (size_t w = 0; w < n_words; w++)
        for (uint64_t x = term[w]; x; x &= x - 1) n++;
    return n;
}

/* Label of a term: its variables in variable order joined by ':'. */
static char *term_label(const sk_terms *t, size_t k)
{
    size_t len = 1, used = 0;
    for (size_t v = sk_term_next(t, k, 0); v < t->n_variables; v = sk_term_next(t, k, v + 1))
        len += strlen(t->variable_label[v]) + 1;
    char *label = malloc(len);
    if (label == NULL) return NULL;
    label[0] = '\0';
    for (size_t v = sk_term_next(t, k, 0); v < t->n_variables; v = sk_term_next(t, k, v + 1))
        used += (size_t)snprintf(label + used, len - used, "%s%s", used ? ":" : "",
                                 t->variable_label[v]);
    return label;
}

void sk_terms_release(sk_terms *t)
{
    if (t == NULL) return;
    for (size_t v = 0; v < t->n_variables; v++) free(t->variable_label[v]);
    free(t->variable_label);
    free(t->variable);
    sk_free_strings(t->term_label, t->n_terms);
    free(t->term);
    free(t->special);
    memset(t, 0, sizeof *t);
}

/* Nodes of the tree: every variable is one of them, so they bound the number of variables. */
static size_t count_nodes(const sk_node *node)
{
    size_t n = 1;
    for (size_t k = 0; k < node->n_args; k++) n += count_nodes(node->args[k]);
    return n;
}

survkit_status sk_terms_build(const sk_node *rhs, sk_terms *out, survkit_error *err)
{
    memset(out, 0, sizeof *out);
    const size_t n_nodes = count_nodes(rhs);
    expander ex = {.terms = out, .err = err, .n_words = (n_nodes + 63) / 64, .n_label_slots = 16};
    while (ex.n_label_slots < 2 * n_nodes) ex.n_label_slots *= 2;
    ex.label_slots = sk_calloc_array(ex.n_label_slots, sizeof *ex.label_slots);
    RETURN_ERROR_IF(ex.label_slots == NULL, err, SURVKIT_ERR_NOMEM, "out of memory expanding formula");
    out->n_words = ex.n_words;
    term_list list = new_list(&ex);
    survkit_status status = expand(&ex, rhs, false, &list);
    size_t words = 0;
    if (status == SURVKIT_OK) {
        out->term = sk_mul_size(list.n, ex.n_words, &words)
                        ? sk_malloc_array(words + 1, sizeof *out->term)
                        : NULL;
        out->term_label = sk_calloc_array(list.n + 1, sizeof *out->term_label);
        if (out->term == NULL || out->term_label == NULL)
            status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    /* Stable order by interaction order: one pass per order present. */
    size_t max_order = 0;
    for (size_t k = 0; status == SURVKIT_OK && k < list.n; k++) {
        size_t order = term_order(item(&list, k), ex.n_words);
        if (order > max_order) max_order = order;
    }
    for (size_t order = 1; status == SURVKIT_OK && order <= max_order; order++) {
        for (size_t k = 0; k < list.n && status == SURVKIT_OK; k++) {
            if (term_order(item(&list, k), ex.n_words) != order) continue;
            memcpy(out->term + out->n_terms * ex.n_words, item(&list, k),
                   ex.n_words * sizeof *out->term);
            out->term_label[out->n_terms] = term_label(out, out->n_terms);
            if (out->term_label[out->n_terms++] == NULL)
                status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        }
    }
    list_free(&list);
    free(ex.label_slots);
    if (status != SURVKIT_OK) sk_terms_release(out);
    return status;
}
