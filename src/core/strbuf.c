/* strbuf.c: the growing text buffer of strbuf.h. */
#include "core/strbuf.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void sk_strbuf_printf(sk_strbuf *b, const char *fmt, ...)
{
    if (b->failed) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = b->s ? vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap)
                     : vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = true;
            return;
        }
        if (b->s && (size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = 2 * b->cap + (size_t)n + 64;
        char *bigger = realloc(b->s, cap);
        if (bigger == NULL) {
            b->failed = true;
            return;
        }
        if (b->s == NULL) bigger[0] = '\0';
        b->s = bigger;
        b->cap = cap;
    }
}

void sk_strbuf_json_string(sk_strbuf *b, const char *s)
{
    if (s == NULL) {
        sk_strbuf_printf(b, "null");
        return;
    }
    sk_strbuf_printf(b, "\"");
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\') sk_strbuf_printf(b, "\\%c", *c);
        else if (*c < 0x20) sk_strbuf_printf(b, "\\u%04x", *c);
        else sk_strbuf_printf(b, "%c", *c);
    }
    sk_strbuf_printf(b, "\"");
}

void sk_strbuf_json_number(sk_strbuf *b, double x)
{
    if (isfinite(x)) sk_strbuf_printf(b, "%.17g", x);
    else sk_strbuf_printf(b, "null");
}

void sk_strbuf_json_numbers(sk_strbuf *b, const double *x, size_t n, const char *sep)
{
    sk_strbuf_printf(b, "[");
    for (size_t i = 0; i < n; i++) {
        if (i) sk_strbuf_printf(b, "%s", sep);
        sk_strbuf_json_number(b, x[i]);
    }
    sk_strbuf_printf(b, "]");
}

void sk_strbuf_json_strings(sk_strbuf *b, char *const *s, size_t n)
{
    sk_strbuf_printf(b, "[");
    for (size_t i = 0; i < n; i++) {
        if (i) sk_strbuf_printf(b, ", ");
        sk_strbuf_json_string(b, s[i]);
    }
    sk_strbuf_printf(b, "]");
}

void sk_strbuf_json_variable(sk_strbuf *b, const char *label, const char *kind, char *const *levels,
                             size_t n_levels)
{
    sk_strbuf_printf(b, "{\"label\": ");
    sk_strbuf_json_string(b, label);
    sk_strbuf_printf(b, ", \"kind\": \"%s\", \"levels\": ", kind);
    sk_strbuf_json_strings(b, levels, n_levels);
    sk_strbuf_printf(b, "}");
}

char *sk_strbuf_finish(sk_strbuf *b)
{
    if (!b->failed) return b->s;
    free(b->s);
    b->s = NULL;
    return NULL;
}
