/*
 * strbuf.h: a growing text buffer written with printf formats (vsnprintf), for the JSON the library
 * produces (saved models) without touching a stream: the library never prints. A failed
 * allocation sets `failed` and later writes do nothing; the caller checks it once at the end.
 * Not installed.
 */
#ifndef SURVKIT_CORE_STRBUF_H
#define SURVKIT_CORE_STRBUF_H

#include "core/internal.h"

typedef struct sk_strbuf {
    char *s;       /* NUL-terminated text (NULL until the first write), malloc'd */
    size_t len, cap;
    bool failed;
} sk_strbuf;

/* The text written (the caller frees it), or NULL after a failed allocation (nothing to free). */
char *sk_strbuf_finish(sk_strbuf *b);
/* Append printf-formatted text. */
void sk_strbuf_printf(sk_strbuf *b, const char *fmt, ...) SK_PRINTF(2, 3);
/* Append s as a JSON string, quoted and escaped ("null" for NULL). */
void sk_strbuf_json_string(sk_strbuf *b, const char *s);
/* Append x as a JSON number with 17 significant digits ("null" when not finite). */
void sk_strbuf_json_number(sk_strbuf *b, double x);
/* Append x[n] as a JSON array of numbers, the elements separated by `sep` ("," or ", "). */
void sk_strbuf_json_numbers(sk_strbuf *b, const double *x, size_t n, const char *sep);
/* Append s[n] as a JSON array of strings, separated by ", ". */
void sk_strbuf_json_strings(sk_strbuf *b, char *const *s, size_t n);
/* Append a saved model's variable, {"label": L, "kind": "K", "levels": [...]}: how new data are
 * coded (the kind "numeric", "logical" or "factor"; the factor's levels in the fit's order). */
void sk_strbuf_json_variable(sk_strbuf *b, const char *label, const char *kind, char *const *levels,
                             size_t n_levels);

#endif
