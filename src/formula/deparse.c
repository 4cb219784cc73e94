/*
 * deparse.c: R's text conventions for names: as.character() of a number, and deparse() of an
 * expression, which make factor levels ("factor(x)2"), coefficient names ("I(age^2)") and strata
 * labels ("edema=0.5") equal R's.
 *
 * as.character(x) (R's formatReal with 15 digits): the fewest significant digits d <= 15 that give
 * the same value as 15 digits do; exponent k; fixed width = sign + max(k+1, 1) + (r > 0 ? r+1 : 0)
 * with r = max(0, d-k-1) decimals; scientific width = sign + (d > 1 ? d+1 : 1) + 4 (5 when
 * |k| >= 100); fixed notation unless it is wider.
 * deparse(): spaces around + - * and comparisons, none around / ^ :, as R 4 prints them.
 */
#include "formula/formula_internal.h"
#include "core/c_locale.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void format_number(double x, char *buf, size_t size);

/* R's digits are the same in every locale: printed in the C locale. */
void sk_format_number(double x, char *buf, size_t size)
{
    sk_c_locale scope;
    sk_c_locale_enter(&scope);
    format_number(x, buf, size);
    sk_c_locale_leave(&scope);
}

static void format_number(double x, char *buf, size_t size)
{
    if (isnan(x) || isinf(x) || x == 0) {
        snprintf(buf, size, "%s", isnan(x) ? "NA" : isinf(x) ? (x > 0 ? "Inf" : "-Inf") : "0");
        return;
    }
    /* 15 significant digits "d.dddddddddddddde+XX"; the significant ones end at the last non-0 */
    char sci[40];
    snprintf(sci, sizeof sci, "%.14e", x);
    int negative = x < 0;
    const char *mantissa = sci + negative; /* "d.dddd..." */
    char *e = strchr(sci, 'e');
    int exponent = atoi(e + 1);
    int digits = 15;
    while (digits > 1 && mantissa[digits] == '0') digits--; /* mantissa[k] is digit k (k >= 1) */
    int decimals = digits - exponent - 1 > 0 ? digits - exponent - 1 : 0;
    int fixed_width = negative + (exponent >= 0 ? exponent + 1 : 1) + (decimals > 0 ? decimals + 1 : 0);
    int sci_width = negative + (digits > 1 ? digits + 1 : 1) + (abs(exponent) >= 100 ? 5 : 4);
    if (fixed_width <= sci_width) {
        snprintf(buf, size, "%.*f", decimals, x);
    } else { /* the mantissa cut to its significant digits, then the exponent as C prints it */
        int mantissa_len = negative + (digits > 1 ? digits + 1 : 1);
        snprintf(buf, size, "%.*s%s", mantissa_len, sci, e);
    }
}

/* A growing string; `failed` is set once an allocation fails. */
typedef struct text_buffer {
    char *data;
    size_t len, capacity;
    bool failed;
    /* nodes deparsed as given text instead (sk_deparse_replacing) */
    const sk_node *const *from;
    const char *const *to;
    size_t n_replaced;
} text_buffer;

static void append(text_buffer *b, const char *s)
{
    size_t len = strlen(s);
    if (b->failed) return;
    if (b->len + len + 1 > b->capacity) {
        size_t capacity = 2 * (b->len + len + 1);
        char *grown = realloc(b->data, capacity);
        if (grown == NULL) {
            b->failed = true;
            return;
        }
        b->data = grown;
        b->capacity = capacity;
    }
    memcpy(b->data + b->len, s, len + 1);
    b->len += len;
}

static bool syntactic_name(const char *s)
{
    static const char *const reserved[] = {"if", "else", "repeat", "while", "function", "for",
                                           "next", "break", "TRUE", "FALSE", "NULL", "Inf",
                                           "NaN", "NA", "in"};
    /* letters as the lexer reads them: ASCII letters and non-ASCII (UTF-8) characters, so that
     * 'âge' is printed bare, as R does in a UTF-8 locale; ASCII tests, whatever the locale */
    const unsigned char first = (unsigned char)s[0], second = (unsigned char)s[first ? 1 : 0];
    const bool letter0 = (first | 0x20) >= 'a' && (first | 0x20) <= 'z';
    if (!(letter0 || first >= 0x80 || (first == '.' && !(second >= '0' && second <= '9'))))
        return false;
    for (const char *c = s; *c; c++) {
        const unsigned char u = (unsigned char)*c;
        const bool letter = (u | 0x20) >= 'a' && (u | 0x20) <= 'z';
        if (!(letter || u >= 0x80 || (u >= '0' && u <= '9') || u == '.' || u == '_')) return false;
    }
    for (size_t k = 0; k < sizeof reserved / sizeof reserved[0]; k++)
        if (strcmp(s, reserved[k]) == 0) return false;
    return true;
}

static const char *operator_text(int op)
{
    switch (op) {
    case '+': return " + ";
    case '-': return " - ";
    case '*': return " * ";
    case '/': return "/";
    case '^': return "^";
    case ':': return ":";
    case '~': return " ~ ";
    case '<': return " < ";
    case '>': return " > ";
    case SK_OP_EQ: return " == ";
    case SK_OP_NE: return " != ";
    case SK_OP_LE: return " <= ";
    case SK_OP_GE: return " >= ";
    case SK_OP_IN: return " %in% ";
    }
    return " ? ";
}

static void deparse_into(const sk_node *node, text_buffer *b)
{
    char number[40];
    for (size_t k = 0; k < b->n_replaced; k++)
        if (b->from[k] == node) {
            append(b, b->to[k]);
            return;
        }
    switch (node->kind) {
    case SK_NODE_NAME: /* constants such as TRUE print bare, other reserved words quoted */
        if (syntactic_name(node->name) || strcmp(node->name, "TRUE") == 0 ||
            strcmp(node->name, "FALSE") == 0) {
            append(b, node->name);
        } else {
            append(b, "`");
            append(b, node->name);
            append(b, "`");
        }
        break;
    case SK_NODE_NUMBER:
        sk_format_number(node->number, number, sizeof number);
        append(b, number);
        break;
    case SK_NODE_STRING:
        append(b, "\"");
        append(b, node->name);
        append(b, "\"");
        break;
    case SK_NODE_CALL:
        append(b, node->name);
        append(b, "(");
        for (size_t k = 0; k < node->n_args; k++) {
            if (k > 0) append(b, ", ");
            if (node->arg_names != NULL && node->arg_names[k] != NULL) {
                append(b, node->arg_names[k]);
                append(b, " = ");
            }
            deparse_into(node->args[k], b);
        }
        append(b, ")");
        break;
    case SK_NODE_PAREN:
        append(b, "(");
        deparse_into(node->args[0], b);
        append(b, ")");
        break;
    case SK_NODE_UNARY:
        append(b, node->op == '-' ? "-" : "+");
        deparse_into(node->args[0], b);
        break;
    case SK_NODE_BINARY:
        deparse_into(node->args[0], b);
        append(b, operator_text(node->op));
        deparse_into(node->args[1], b);
        break;
    }
}

char *sk_deparse_replacing(const sk_node *node, const sk_node *const *from,
                           const char *const *to, size_t n)
{
    text_buffer b = {.from = from, .to = to, .n_replaced = n};
    append(&b, "");
    deparse_into(node, &b);
    if (b.failed) {
        free(b.data);
        return NULL;
    }
    return b.data;
}

char *sk_deparse(const sk_node *node)
{
    text_buffer b = {0};
    append(&b, "");
    deparse_into(node, &b);
    if (b.failed) {
        free(b.data);
        return NULL;
    }
    return b.data;
}
