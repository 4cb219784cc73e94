/*
 * parser.c: tokens -> syntax tree, by recursive descent over R's operator precedence (?Syntax),
 * loosest first:  ~   then  == != < > <= >=   then binary + -   then * /   then :   then unary + -
 * then ^ (right associative, so -a^2 is -(a^2) and a^-1 is allowed). Function names are checked
 * against the functions survkit evaluates, with their numbers of arguments.
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

/* The functions a formula may call: name, fewest and most arguments (SIZE_MAX: any number). */
static const struct { const char *name; size_t min_args, max_args; } functions[] = {
    {"Surv", 2, 3},  {"strata", 1, SIZE_MAX}, {"cluster", 1, 1}, {"offset", 1, 1},
    {"factor", 1, 1}, {"as.factor", 1, 1},    {"I", 1, 1},       {"log", 1, 2},
    {"log2", 1, 1},  {"log10", 1, 1},         {"log1p", 1, 1},   {"exp", 1, 1},
    {"sqrt", 1, 1},  {"abs", 1, 1},           {"as.numeric", 1, 1}};

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
    static const char *const op_text[] = {['E'] = "==", ['N'] = "!=", ['L'] = "<=", ['G'] = ">="};
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
    free(node->args);
    free(node->name);
    free(node);
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

static sk_node *text_leaf(parser *ps, sk_node_kind kind, const sk_token *t);

/* Is the next argument `name = value`? */
static bool is_named(const parser *ps)
{
    const sk_token *t = peek(ps);
    return t->kind == SK_TOK_NAME && t[1].kind == SK_TOK_OP && t[1].op == '=';
}

/*
 * A named argument, `name = value`, as a BINARY node with op '=' (args: the NAME leaf, the value).
 * Only Surv() takes one (type = "interval2"); elsewhere it is an error at the name.
 */
static sk_node *parse_named(parser *ps, const sk_token *function)
{
    const sk_token *t = peek(ps);
    if (strcmp(function->text, "Surv") != 0)
        return fail(ps, SURVKIT_ERR_FORMULA, t->pos, "named arguments are not supported in %s()",
                    function->text);
    sk_node *key = text_leaf(ps, SK_NODE_NAME, t);
    if (key == NULL) return NULL;
    ps->at += 2; /* name '=' */
    return make_binary(ps, key, &t[1], parse_comparison(ps));
}

/* name(args): the name is checked against `functions`, then the arguments are counted. */
static sk_node *parse_call(parser *ps, const sk_token *name)
{
    size_t f = 0, n_functions = sizeof functions / sizeof functions[0];
    while (f < n_functions && strcmp(functions[f].name, name->text) != 0) f++;
    if (f == n_functions)
        return fail(ps, SURVKIT_ERR_FORMULA, name->pos, "unknown function '%s'", name->text);
    ps->at++; /* '(' */
    sk_node **args = NULL;
    size_t n_args = 0;
    if (peek(ps)->kind != SK_TOK_RPAREN) {
        for (;;) {
            sk_node *arg = is_named(ps) ? parse_named(ps, name) : parse_comparison(ps);
            sk_node **grown = arg ? sk_realloc_array(args, n_args + 1, sizeof *args) : NULL;
            if (grown == NULL) {
                sk_node_free(arg);
                for (size_t k = 0; k < n_args; k++) sk_node_free(args[k]);
                free(args);
                return fail(ps, SURVKIT_ERR_NOMEM, 0, "out of memory parsing the formula");
            }
            args = grown;
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
        for (size_t k = 0; k < n_args; k++) sk_node_free(args[k]);
        free(args);
        return NULL;
    }
    node->args = args;
    node->n_args = n_args;
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
static sk_node *parse_product(parser *ps) { return parse_left(ps, parse_colon, "*/"); }
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
