/*
 * parser.c: tokens -> syntax tree, by recursive descent over R's operator precedence (?Syntax),
 * loosest first:  ~   then  == != < > <= >=   then binary + -   then * /   then %in%   then :
 * then unary + -   then ^ (right associative, so -a^2 is -(a^2) and a^-1 is allowed). Function
 * names are checked against the functions survkit evaluates, with their numbers of arguments;
 * an argument may be named (`ref = "b"`, `df = 3`).
 */
#include "formula/formula_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
    const sk_tokens *tokens;
    size_t at;
    survkit_error *err;
    survkit_status status;
} parser;

/* The functions a formula may call: name, fewest and most arguments (SIZE_MAX: any number), and
 * whether arguments may be named (the others take them by position only: a name there would be
 * read wrongly, so it is an error). The evaluator checks which names a function knows. */
static const struct { const char *name; size_t min_args, max_args; bool named; } functions[] = {
    {"Surv", 2, 3, false},   {"strata", 1, SIZE_MAX, false}, {"cluster", 1, 1, false},
    {"offset", 1, 1, false}, {"factor", 1, 2, true},         {"as.factor", 1, 1, false},
    {"I", 1, 1, false},      {"log", 1, 2, false},           {"log2", 1, 1, false},
    {"log10", 1, 1, false},  {"log1p", 1, 1, false},         {"exp", 1, 1, false},
    {"sqrt", 1, 1, false},   {"abs", 1, 1, false},           {"as.numeric", 1, 1, false},
    {"relevel", 2, 2, true}, {"c", 1, SIZE_MAX, false},      {"list", 1, SIZE_MAX, true},
    {"poly", 1, 4, true},    {"ns", 1, 5, true},
    {"frailty", 1, 4, true}, {"frailty.gamma", 1, 3, true}, {"frailty.gaussian", 1, 3, true},
    {"ridge", 1, SIZE_MAX, true}, {"pspline", 1, 6, true}};

static const sk_token *peek(const parser *ps) { return &ps->tokens->items[ps->at]; }

static bool peek_op(const parser *ps, int op)
{
    const sk_token *t = peek(ps);
    return t->kind == SK_TOK_OP && t->op == op;
}

/* Record the first error (the message printf-style); always returns NULL. */
static sk_node *fail(parser *ps, survkit_status status, size_t pos, const char *fmt, ...)
    SK_PRINTF(4, 5);
static sk_node *fail(parser *ps, survkit_status status, size_t pos, const char *fmt, ...)
{
    if (ps->status == SURVKIT_OK) {
        char message[512];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(message, sizeof message, fmt, ap);
        va_end(ap);
        sk_error_set(ps->err, status, NULL, 0, pos, "%s", message);
        ps->status = status;
    }
    return NULL;
}

/* How a token reads in an error message. */
static const char *describe(const sk_token *t, char *buf, size_t size)
{
    static const char *const op_text[] = {['E'] = "==", ['N'] = "!=", ['L'] = "<=", ['G'] = ">=",
                                          ['I'] = "%in%"};
    switch (t->kind) {
    case SK_TOK_END: return "end of formula";
    case SK_TOK_NAME: snprintf(buf, size, "'%s'", t->text); return buf;
    case SK_TOK_STRING: snprintf(buf, size, "\"%s\"", t->text); return buf;
    case SK_TOK_NUMBER: return "number";
    case SK_TOK_LPAREN: return "'('";
    case SK_TOK_RPAREN: return "')'";
    case SK_TOK_COMMA: return "','";
    case SK_TOK_OP:
        if (t->op < (int)(sizeof op_text / sizeof op_text[0]) && op_text[t->op] != NULL)
            snprintf(buf, size, "'%s'", op_text[t->op]);
        else
            snprintf(buf, size, "'%c'", t->op);
        return buf;
    }
    return "token";
}

static sk_node *unexpected(parser *ps)
{
    char buf[300];
    return fail(ps, SURVKIT_ERR_FORMULA, peek(ps)->pos, "unexpected %s",
                describe(peek(ps), buf, sizeof buf));
}

static sk_node *new_node(parser *ps, sk_node_kind kind, size_t pos, size_t n_args)
{
    sk_node *node = calloc(1, sizeof *node);
    if (node != NULL && n_args > 0) {
        node->args = sk_calloc_array(n_args, sizeof *node->args);
        if (node->args == NULL) {
            free(node);
            node = NULL;
        }
    }
    if (node == NULL) return fail(ps, SURVKIT_ERR_NOMEM, 0, "out of memory parsing the formula");
    node->kind = kind;
    node->pos = node->op_pos = pos;
    node->n_args = n_args;
    return node;
}

void sk_node_free(sk_node *node)
{
    if (node == NULL) return;
    for (size_t k = 0; k < node->n_args; k++) sk_node_free(node->args[k]);
    if (node->arg_names != NULL) sk_free_strings(node->arg_names, node->n_args);
    free(node->args);
    free(node->name);
    free(node);
}

const sk_node *sk_call_arg(const sk_node *node, const char *name, size_t position)
{
    size_t unnamed = 0;
    for (size_t k = 0; k < node->n_args; k++) {
        const char *arg_name = node->arg_names ? node->arg_names[k] : NULL;
        if (arg_name != NULL && strcmp(arg_name, name) == 0) return node->args[k];
    }
    for (size_t k = 0; k < node->n_args; k++) {
        if (node->arg_names != NULL && node->arg_names[k] != NULL) continue;
        if (unnamed++ == position) return node->args[k];
    }
    return NULL;
}

static sk_node *parse_comparison(parser *ps);
static sk_node *parse_unary(parser *ps);

static sk_node *make_binary(parser *ps, sk_node *left, const sk_token *op, sk_node *right)
{
    if (left == NULL || right == NULL) {
        sk_node_free(left);
        sk_node_free(right);
        return NULL;
    }
    sk_node *node = new_node(ps, SK_NODE_BINARY, left->pos, 2);
    if (node == NULL) {
        sk_node_free(left);
        sk_node_free(right);
        return NULL;
    }
    node->op = op->op;
    node->op_pos = op->pos;
    node->args[0] = left;
    node->args[1] = right;
    return node;
}

/* name(args): the name is checked against `functions`, then the arguments are counted. */
static sk_node *parse_call(parser *ps, const sk_token *name)
{
    size_t f = 0, n_functions = sizeof functions / sizeof functions[0];
    while (f < n_functions && strcmp(functions[f].name, name->text) != 0) f++;
    if (f == n_functions)
        return fail(ps, SURVKIT_ERR_FORMULA, name->pos,
                    "unknown function '%s'", name->text);
    ps->at++; /* '(' */
    sk_node **args = NULL;
    char **names = NULL;
    size_t n_args = 0;
    bool any_name = false;
    if (peek(ps)->kind != SK_TOK_RPAREN) {
        for (;;) {
            char *arg_name = NULL; /* name = value */
            const sk_token *t = peek(ps);
            if (t->kind == SK_TOK_NAME && ps->tokens->items[ps->at + 1].kind == SK_TOK_OP &&
                ps->tokens->items[ps->at + 1].op == '=') {
                /* Surv() takes one name, type = "interval2" (survreg's interval data) */
                bool surv_type = strcmp(functions[f].name, "Surv") == 0 && strcmp(t->text, "type") == 0;
                if (!functions[f].named && !surv_type) {
                    for (size_t k = 0; k < n_args; k++) sk_node_free(args[k]), free(names[k]);
                    free(args);
                    free(names);
                    return fail(ps, SURVKIT_ERR_FORMULA, t->pos,
                                "%s() takes its arguments by position: '%s =' is not supported",
                                functions[f].name, t->text);
                }
                arg_name = sk_strdup(t->text);
                if (arg_name == NULL) {
                    for (size_t k = 0; k < n_args; k++) sk_node_free(args[k]), free(names[k]);
                    free(args);
                    free(names);
                    return fail(ps, SURVKIT_ERR_NOMEM, 0, "out of memory parsing the formula");
                }
                ps->at += 2;
                any_name = true;
            }
            sk_node *arg = parse_comparison(ps);
            sk_node **grown = arg ? sk_realloc_array(args, n_args + 1, sizeof *args) : NULL;
            if (grown != NULL) args = grown;
            char **grown_names = grown ? sk_realloc_array(names, n_args + 1, sizeof *names) : NULL;
            if (grown_names != NULL) names = grown_names;
            if (grown_names == NULL) {
                sk_node_free(arg);
                free(arg_name);
                for (size_t k = 0; k < n_args; k++) sk_node_free(args[k]), free(names[k]);
                free(args);
                free(names);
                if (ps->status != SURVKIT_OK) return NULL;
                return fail(ps, SURVKIT_ERR_NOMEM, 0, "out of memory parsing the formula");
            }
            names[n_args] = arg_name;
            args[n_args++] = arg;
            if (peek(ps)->kind != SK_TOK_COMMA) break;
            ps->at++;
        }
    }
    sk_node *node = NULL;
    if (peek(ps)->kind != SK_TOK_RPAREN) {
        fail(ps, SURVKIT_ERR_FORMULA, peek(ps)->pos, "expected ')'");
    } else if (n_args < functions[f].min_args || n_args > functions[f].max_args) {
        char what[64];
        if (functions[f].max_args == SIZE_MAX)
            snprintf(what, sizeof what, "at least %zu argument%s", functions[f].min_args,
                     functions[f].min_args == 1 ? "" : "s");
        else if (functions[f].min_args == functions[f].max_args)
            snprintf(what, sizeof what, "%zu argument%s", functions[f].min_args,
                     functions[f].min_args == 1 ? "" : "s");
        else
            snprintf(what, sizeof what, "%zu or %zu arguments", functions[f].min_args,
                     functions[f].max_args);
        char message[160];
        snprintf(message, sizeof message, "%s() takes %s", functions[f].name, what);
        fail(ps, SURVKIT_ERR_FORMULA, name->pos, "%s", message);
    } else {
        ps->at++; /* ')' */
        node = new_node(ps, SK_NODE_CALL, name->pos, 0);
        if (node != NULL) {
            node->name = sk_strdup(name->text);
            if (node->name == NULL) {
                sk_node_free(node);
                node = fail(ps, SURVKIT_ERR_NOMEM, 0, "out of memory parsing the formula");
            }
        }
    }
    if (node == NULL) {
        for (size_t k = 0; k < n_args; k++) sk_node_free(args[k]), free(names[k]);
        free(args);
        free(names);
        return NULL;
    }
    node->args = args;
    node->n_args = n_args;
    if (any_name) node->arg_names = names;
    else free(names);
    return node;
}

/* A name or string leaf carrying a copy of the token's text. */
static sk_node *text_leaf(parser *ps, sk_node_kind kind, const sk_token *t)
{
    sk_node *node = new_node(ps, kind, t->pos, 0);
    if (node != NULL && (node->name = sk_strdup(t->text)) == NULL) {
        sk_node_free(node);
        return fail(ps, SURVKIT_ERR_NOMEM, 0, "out of memory parsing the formula");
    }
    return node;
}

static sk_node *parse_primary(parser *ps)
{
    const sk_token *t = peek(ps);
    switch (t->kind) {
    case SK_TOK_NAME:
        ps->at++;
        if (peek(ps)->kind == SK_TOK_LPAREN) return parse_call(ps, t);
        return text_leaf(ps, SK_NODE_NAME, t);
    case SK_TOK_STRING:
        ps->at++;
        return text_leaf(ps, SK_NODE_STRING, t);
    case SK_TOK_NUMBER: {
        ps->at++;
        sk_node *node = new_node(ps, SK_NODE_NUMBER, t->pos, 0);
        if (node != NULL) node->number = t->number;
        return node;
    }
    case SK_TOK_LPAREN: {
        ps->at++;
        sk_node *inner = parse_comparison(ps);
        if (inner == NULL) return NULL;
        if (peek(ps)->kind != SK_TOK_RPAREN) {
            sk_node_free(inner);
            return fail(ps, SURVKIT_ERR_FORMULA, peek(ps)->pos, "expected ')'");
        }
        ps->at++;
        sk_node *node = new_node(ps, SK_NODE_PAREN, t->pos, 1);
        if (node == NULL) {
            sk_node_free(inner);
            return NULL;
        }
        node->args[0] = inner;
        return node;
    }
    default:
        return unexpected(ps);
    }
}

static sk_node *parse_power(parser *ps)
{
    sk_node *base = parse_primary(ps);
    if (base == NULL || !peek_op(ps, '^')) return base;
    const sk_token *op = peek(ps);
    ps->at++;
    return make_binary(ps, base, op, parse_unary(ps));
}

static sk_node *parse_unary(parser *ps)
{
    if (!peek_op(ps, '-') && !peek_op(ps, '+')) return parse_power(ps);
    const sk_token *op = peek(ps);
    ps->at++;
    sk_node *operand = parse_unary(ps);
    if (operand == NULL) return NULL;
    sk_node *node = new_node(ps, SK_NODE_UNARY, op->pos, 1);
    if (node == NULL) {
        sk_node_free(operand);
        return NULL;
    }
    node->op = op->op;
    node->args[0] = operand;
    return node;
}

/* One left-associative level: operands from `next`, operators listed in `ops`. */
static sk_node *parse_left(parser *ps, sk_node *(*next)(parser *), const char *ops)
{
    sk_node *left = next(ps);
    while (left != NULL && peek(ps)->kind == SK_TOK_OP && peek(ps)->op != 0 &&
           strchr(ops, peek(ps)->op) != NULL) {
        const sk_token *op = peek(ps);
        ps->at++;
        left = make_binary(ps, left, op, next(ps));
    }
    return left;
}

static sk_node *parse_colon(parser *ps) { return parse_left(ps, parse_unary, ":"); }
static sk_node *parse_special(parser *ps)
{
    static const char in[] = {SK_OP_IN, '\0'};
    return parse_left(ps, parse_colon, in);
}
static sk_node *parse_product(parser *ps) { return parse_left(ps, parse_special, "*/"); }
static sk_node *parse_sum(parser *ps) { return parse_left(ps, parse_product, "+-"); }

static sk_node *parse_comparison(parser *ps)
{
    static const char comparisons[] = {SK_OP_EQ, SK_OP_NE, SK_OP_LE, SK_OP_GE, '<', '>', '\0'};
    sk_node *left = parse_sum(ps);
    if (left == NULL || peek(ps)->kind != SK_TOK_OP || strchr(comparisons, peek(ps)->op) == NULL)
        return left;
    const sk_token *op = peek(ps);
    ps->at++;
    return make_binary(ps, left, op, parse_sum(ps));
}

void sk_formula_release(sk_formula *f)
{
    if (f == NULL) return;
    sk_node_free(f->lhs);
    sk_node_free(f->rhs);
    f->lhs = f->rhs = NULL;
}

survkit_status sk_formula_parse(const char *text, sk_formula *out, survkit_error *err)
{
    out->lhs = out->rhs = NULL;
    sk_tokens tokens;
    RETURN_IF_ERROR(sk_formula_tokenize(text, &tokens, err));
    parser ps = {.tokens = &tokens, .at = 0, .err = err, .status = SURVKIT_OK};
    if (!peek_op(&ps, '~')) out->lhs = parse_comparison(&ps);
    if (ps.status == SURVKIT_OK && !peek_op(&ps, '~')) {
        if (peek(&ps)->kind == SK_TOK_END)
            fail(&ps, SURVKIT_ERR_FORMULA, peek(&ps)->pos, "expected '~'");
        else
            unexpected(&ps);
    }
    if (ps.status == SURVKIT_OK) {
        ps.at++;
        out->rhs = parse_comparison(&ps);
    }
    if (ps.status == SURVKIT_OK && peek(&ps)->kind != SK_TOK_END) {
        if (peek(&ps)->kind == SK_TOK_RPAREN)
            fail(&ps, SURVKIT_ERR_FORMULA, peek(&ps)->pos, "unmatched ')'");
        else
            unexpected(&ps);
    }
    sk_formula_tokens_free(&tokens);
    if (ps.status != SURVKIT_OK) sk_formula_release(out);
    return ps.status;
}
