/*
 * dot.c: R's `.` on the right of a formula: every column of the data that the left side does not
 * name, in the data's column order (terms.formula(x, data = d) with allowDotAsName = FALSE).
 *
 * As in R, only the response's variables are left out: a column also named by strata(), cluster(),
 * offset() or the weights stays in `.` (coxph(Surv(time, status) ~ . + strata(sex)) has a
 * coefficient for sex). The `.` node is replaced in the syntax tree by ( c1 + c2 + ... ), so that
 * `. - age`, `.^2` and `.:x` expand as R expands them; a data set with no other column gives `1`.
 * A `.` inside a function call is not a term and is an error.
 */
#include "formula/formula_internal.h"

#include <stdlib.h>
#include <string.h>

static bool is_dot(const sk_node *node)
{
    return node->kind == SK_NODE_NAME && strcmp(node->name, ".") == 0;
}

/* Does the left side name column `name` (anywhere, as R's all.vars)? */
static bool lhs_names(const sk_node *node, const char *name)
{
    if (node == NULL) return false;
    if (node->kind == SK_NODE_NAME && strcmp(node->name, name) == 0) return true;
    for (size_t k = 0; k < node->n_args; k++)
        if (lhs_names(node->args[k], name)) return true;
    return false;
}

static sk_node *new_node(sk_node_kind kind, size_t pos, size_t n_args)
{
    sk_node *node = calloc(1, sizeof *node);
    if (node == NULL) return NULL;
    if (n_args > 0 && (node->args = sk_calloc_array(n_args, sizeof *node->args)) == NULL) {
        free(node);
        return NULL;
    }
    node->kind = kind;
    node->pos = node->op_pos = pos;
    node->n_args = n_args;
    return node;
}

/* ( c1 + c2 + ... ) over the columns the left side does not name, or the number 1. */
static sk_node *dot_expansion(const sk_node *lhs, const survkit_table *table, size_t pos)
{
    sk_node *sum = NULL;
    for (size_t j = 0; j < survkit_table_n_columns(table); j++) {
        const char *name = survkit_table_column_name(table, j);
        if (lhs_names(lhs, name)) continue;
        sk_node *leaf = new_node(SK_NODE_NAME, pos, 0);
        if (leaf != NULL && (leaf->name = sk_strdup(name)) == NULL) {
            sk_node_free(leaf);
            leaf = NULL;
        }
        sk_node *joined = leaf == NULL  ? NULL
                          : sum == NULL ? leaf
                                        : new_node(SK_NODE_BINARY, pos, 2);
        if (joined == NULL) {
            sk_node_free(leaf);
            sk_node_free(sum);
            return NULL;
        }
        if (joined != leaf) {
            joined->op = '+';
            joined->args[0] = sum;
            joined->args[1] = leaf;
        }
        sum = joined;
    }
    if (sum == NULL) {
        sk_node *one = new_node(SK_NODE_NUMBER, pos, 0);
        if (one != NULL) one->number = 1;
        return one;
    }
    sk_node *paren = new_node(SK_NODE_PAREN, pos, 1);
    if (paren == NULL) {
        sk_node_free(sum);
        return NULL;
    }
    paren->args[0] = sum;
    return paren;
}

/* Replace every `.` term under *slot; `in_call`: *slot is an argument of a function. */
static survkit_status expand_in(sk_node **slot, const sk_node *lhs, const survkit_table *table,
                                bool in_call, survkit_error *err)
{
    sk_node *node = *slot;
    if (is_dot(node)) {
        if (in_call)
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, node->pos,
                                "'.' stands for the other columns and cannot be inside a function "
                                "call");
        sk_node *expansion = dot_expansion(lhs, table, node->pos);
        RETURN_ERROR_IF(expansion == NULL, err, SURVKIT_ERR_NOMEM, "out of memory expanding '.'");
        sk_node_free(node);
        *slot = expansion;
        return SURVKIT_OK;
    }
    for (size_t k = 0; k < node->n_args; k++)
        RETURN_IF_ERROR(expand_in(&node->args[k], lhs, table, in_call || node->kind == SK_NODE_CALL,
                                  err));
    return SURVKIT_OK;
}

survkit_status sk_formula_expand_dot(sk_formula *f, const survkit_table *table, survkit_error *err)
{
    return expand_in(&f->rhs, f->lhs, table, false, err);
}

bool sk_formula_has_dot(const sk_node *node)
{
    if (is_dot(node)) return true;
    for (size_t k = 0; k < node->n_args; k++)
        if (sk_formula_has_dot(node->args[k])) return true;
    return false;
}
