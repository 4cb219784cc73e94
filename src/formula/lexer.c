/* lexer.c: formula text -> tokens (names, numbers, strings, operators) with character positions. */
#include "formula/formula_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void sk_formula_tokens_free(sk_tokens *t)
{
    if (t == NULL) return;
    for (size_t i = 0; i < t->n; i++) free(t->items[i].text);
    free(t->items);
    t->items = NULL;
    t->n = 0;
}

/* R's syntactic names: a letter or '.', then letters, digits, '.' and '_'. */
static bool name_start(char c) { return isalpha((unsigned char)c) || c == '.'; }
static bool name_char(char c) { return isalnum((unsigned char)c) || c == '.' || c == '_'; }

static char *copy_range(const char *s, size_t len)
{
    char *out = malloc(len + 1);
    if (out == NULL) return NULL;
    memcpy(out, s, len);
    out[len] = '\0';
    return out;
}

/* Length of the R numeric constant at s (digits, '.', exponent; an L suffix is accepted), or 0. */
static size_t number_length(const char *s)
{
    size_t i = 0, digits = 0;
    while (isdigit((unsigned char)s[i])) i++, digits++;
    if (s[i] == '.') {
        i++;
        while (isdigit((unsigned char)s[i])) i++, digits++;
    }
    if (digits == 0) return 0;
    if (s[i] == 'e' || s[i] == 'E') {
        size_t j = i + 1;
        if (s[j] == '+' || s[j] == '-') j++;
        if (isdigit((unsigned char)s[j])) {
            while (isdigit((unsigned char)s[j])) j++;
            i = j;
        }
    }
    return i;
}

/* One token at text[i]; returns its kind and fills tok, or sets err. */
static survkit_status next_token(const char *text, size_t i, sk_token *tok, survkit_error *err)
{
    const char *s = text + i;
    memset(tok, 0, sizeof *tok);
    tok->pos = i + 1;
    if (*s == '\0') {
        tok->kind = SK_TOK_END;
        return SURVKIT_OK;
    }
    static const struct { const char *text; int op; } ops[] = {
        {"==", SK_OP_EQ}, {"!=", SK_OP_NE}, {"<=", SK_OP_LE}, {">=", SK_OP_GE}, {"**", '^'},
        {"=", '='}, /* only in a named argument, Surv(..., type = "interval2") */
        {"+", '+'}, {"-", '-'}, {"*", '*'}, {"/", '/'}, {"^", '^'}, {":", ':'}, {"~", '~'},
        {"<", '<'}, {">", '>'}};
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        size_t len = strlen(ops[k].text);
        if (strncmp(s, ops[k].text, len) == 0) {
            tok->kind = SK_TOK_OP;
            tok->op = ops[k].op;
            tok->len = len;
            return SURVKIT_OK;
        }
    }
    if (*s == '(' || *s == ')' || *s == ',') {
        tok->kind = *s == '(' ? SK_TOK_LPAREN : *s == ')' ? SK_TOK_RPAREN : SK_TOK_COMMA;
        tok->len = 1;
        return SURVKIT_OK;
    }
    size_t len = number_length(s);
    if (len > 0) {
        tok->kind = SK_TOK_NUMBER;
        tok->number = strtod(s, NULL);
        tok->len = len + (s[len] == 'L');
        return SURVKIT_OK;
    }
    if (name_start(*s)) {
        len = 1;
        while (name_char(s[len])) len++;
        tok->kind = SK_TOK_NAME;
        tok->len = len;
        tok->text = copy_range(s, len);
        return tok->text ? SURVKIT_OK
                         : sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    if (*s == '`' || *s == '"' || *s == '\'') {
        const char *close = strchr(s + 1, *s);
        if (close == NULL)
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, tok->pos,
                                "unterminated %s", *s == '`' ? "backtick-quoted name" : "string");
        len = (size_t)(close - s - 1);
        if (*s == '`' && len == 0)
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, tok->pos, "empty name ``");
        tok->kind = *s == '`' ? SK_TOK_NAME : SK_TOK_STRING;
        tok->len = len + 2;
        tok->text = copy_range(s + 1, len);
        return tok->text ? SURVKIT_OK
                         : sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, tok->pos, "unexpected character '%c'",
                        *s);
}

/* Bounds the depth of every recursion over the syntax tree (parser, terms, deparse, free). */
#define SK_MAX_TOKENS 10000

survkit_status sk_formula_tokenize(const char *text, sk_tokens *out, survkit_error *err)
{
    out->items = NULL;
    out->n = 0;
    size_t capacity = 0, i = 0;
    for (;;) {
        while (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') i++;
        if (out->n == SK_MAX_TOKENS) {
            size_t pos = out->items[out->n - 1].pos;
            sk_formula_tokens_free(out);
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, pos,
                                "formula too long (more than %d tokens)", SK_MAX_TOKENS);
        }
        if (out->n == capacity) {
            size_t grown_capacity = capacity ? 2 * capacity : 16;
            sk_token *grown = sk_realloc_array(out->items, grown_capacity, sizeof *grown);
            if (grown == NULL) {
                sk_formula_tokens_free(out);
                return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
            }
            out->items = grown;
            capacity = grown_capacity;
        }
        survkit_status status = next_token(text, i, &out->items[out->n], err);
        if (status != SURVKIT_OK) {
            sk_formula_tokens_free(out);
            return status;
        }
        sk_token *tok = &out->items[out->n++];
        if (tok->kind == SK_TOK_END) return SURVKIT_OK;
        i += tok->len;
    }
}
