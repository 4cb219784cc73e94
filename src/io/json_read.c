/* json_read.c: the strict JSON reader of json_read.h (recursive descent, depth-limited). */
#include "io/json_read.h"
#include "core/c_locale.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 64 };

typedef struct parser {
    const char *s;
    size_t len, pos;
    uint64_t line, col;
    const char *source;
    survkit_error *err;
} parser;

static survkit_status fail(parser *p, const char *what)
{
    return sk_error_set(p->err, SURVKIT_ERR_PARSE, p->source, p->line, p->col, "invalid JSON: %s",
                        what);
}

static int peek(const parser *p) { return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1; }

static void advance(parser *p)
{
    if (p->pos >= p->len) return;
    if (p->s[p->pos] == '\n') p->line++, p->col = 1;
    else p->col++;
    p->pos++;
}

static void skip_space(parser *p)
{
    for (int c = peek(p); c == ' ' || c == '\t' || c == '\n' || c == '\r'; c = peek(p)) advance(p);
}

void sk_json_free(sk_json *v)
{
    if (v == NULL) return;
    free(v->string);
    for (size_t k = 0; k < v->n; k++) {
        if (v->items) sk_json_free(&v->items[k]);
        if (v->keys) free(v->keys[k]);
    }
    free(v->items);
    free(v->keys);
    memset(v, 0, sizeof *v);
}

const sk_json *sk_json_get(const sk_json *o, const char *key)
{
    if (o == NULL || o->kind != SK_JSON_OBJECT) return NULL;
    for (size_t k = 0; k < o->n; k++)
        if (strcmp(o->keys[k], key) == 0) return &o->items[k];
    return NULL;
}

static survkit_status parse_value(parser *p, sk_json *v, int depth);

static bool literal(parser *p, const char *word)
{
    size_t n = strlen(word);
    if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0) return false;
    for (size_t k = 0; k < n; k++) advance(p);
    return true;
}

static int hex4(parser *p)
{
    int v = 0;
    for (int k = 0; k < 4; k++) {
        int c = peek(p), d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else return -1;
        v = v * 16 + d;
        advance(p);
    }
    return v;
}

static size_t put_utf8(char *out, unsigned cp)
{
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) { out[0] = (char)(0xC0 | cp >> 6); out[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static survkit_status parse_string(parser *p, char **out)
{
    advance(p); /* the opening quote */
    size_t cap = 16, n = 0;
    char *buf = malloc(cap);
    if (buf == NULL) return sk_error_set(p->err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (;;) {
        int c = peek(p);
        if (n + 8 > cap) {
            char *bigger = realloc(buf, cap *= 2);
            if (bigger == NULL) {
                free(buf);
                return sk_error_set(p->err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
            }
            buf = bigger;
        }
        if (c < 0) { free(buf); return fail(p, "unterminated string"); }
        if (c == '"') { advance(p); break; }
        if (c < 0x20) { free(buf); return fail(p, "control character in a string"); }
        if (c != '\\') { buf[n++] = (char)c; advance(p); continue; }
        advance(p);
        int e = peek(p);
        const char *simple = "\"\\/bfnrt", *value = "\"\\/\b\f\n\r\t";
        const char *hit = e > 0 ? strchr(simple, e) : NULL;
        if (hit) { buf[n++] = value[hit - simple]; advance(p); continue; }
        if (e != 'u') { free(buf); return fail(p, "bad escape in a string"); }
        advance(p);
        int cp = hex4(p);
        if (cp < 0) { free(buf); return fail(p, "bad \\u escape"); }
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            int lo = -1;
            if (literal(p, "\\u")) lo = hex4(p);
            if (lo < 0xDC00 || lo > 0xDFFF) { free(buf); return fail(p, "unpaired surrogate"); }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            free(buf);
            return fail(p, "unpaired surrogate");
        }
        if (cp == 0) { free(buf); return fail(p, "NUL in a string"); }
        n += put_utf8(buf + n, (unsigned)cp);
    }
    buf[n] = '\0';
    *out = buf;
    return SURVKIT_OK;
}

static survkit_status parse_number(parser *p, double *out)
{
    size_t start = p->pos;
    if (peek(p) == '-') advance(p);
    if (peek(p) == '0') advance(p);
    else if (peek(p) >= '1' && peek(p) <= '9')
        while (peek(p) >= '0' && peek(p) <= '9') advance(p);
    else return fail(p, "bad number");
    if (peek(p) == '.') {
        advance(p);
        if (!(peek(p) >= '0' && peek(p) <= '9')) return fail(p, "bad number");
        while (peek(p) >= '0' && peek(p) <= '9') advance(p);
    }
    if (peek(p) == 'e' || peek(p) == 'E') {
        advance(p);
        if (peek(p) == '+' || peek(p) == '-') advance(p);
        if (!(peek(p) >= '0' && peek(p) <= '9')) return fail(p, "bad number");
        while (peek(p) >= '0' && peek(p) <= '9') advance(p);
    }
    char buf[64];
    size_t n = p->pos - start;
    if (n >= sizeof buf) return fail(p, "number too long");
    memcpy(buf, p->s + start, n);
    buf[n] = '\0';
    *out = sk_strtod_c(buf, NULL); /* the JSON's '.' whatever the program's locale */
    if (!isfinite(*out)) return fail(p, "number out of range");
    return SURVKIT_OK;
}

/* Append an element (and key) to an array or object under construction. */
static sk_json *append(sk_json *v, char *key, size_t *cap)
{
    if (v->n == *cap) {
        size_t nc = *cap ? 2 * *cap : 8;
        sk_json *items = sk_realloc_array(v->items, nc, sizeof *items);
        if (items == NULL) return NULL;
        v->items = items;
        if (v->kind == SK_JSON_OBJECT) {
            char **keys = sk_realloc_array(v->keys, nc, sizeof *keys);
            if (keys == NULL) return NULL;
            v->keys = keys;
        }
        *cap = nc;
    }
    memset(&v->items[v->n], 0, sizeof v->items[v->n]);
    if (v->kind == SK_JSON_OBJECT) v->keys[v->n] = key;
    return &v->items[v->n++];
}

static survkit_status parse_container(parser *p, sk_json *v, int depth)
{
    const bool object = v->kind == SK_JSON_OBJECT;
    const int close = object ? '}' : ']';
    size_t cap = 0;
    advance(p);
    skip_space(p);
    if (peek(p) == close) { advance(p); return SURVKIT_OK; }
    for (;;) {
        char *key = NULL;
        skip_space(p);
        if (object) {
            if (peek(p) != '"') return fail(p, "expected a member name");
            RETURN_IF_ERROR(parse_string(p, &key));
            for (size_t k = 0; k < v->n; k++)
                if (strcmp(v->keys[k], key) == 0) {
                    free(key);
                    return fail(p, "duplicate member name");
                }
            skip_space(p);
            if (peek(p) != ':') { free(key); return fail(p, "expected ':'"); }
            advance(p);
            skip_space(p);
        }
        sk_json *item = append(v, key, &cap);
        if (item == NULL) {
            free(key);
            return sk_error_set(p->err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        }
        RETURN_IF_ERROR(parse_value(p, item, depth + 1));
        skip_space(p);
        if (peek(p) == ',') { advance(p); continue; }
        if (peek(p) == close) { advance(p); return SURVKIT_OK; }
        return fail(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static survkit_status parse_value(parser *p, sk_json *v, int depth)
{
    if (depth > MAX_DEPTH) return fail(p, "nested too deeply");
    skip_space(p);
    v->line = p->line;
    v->column = p->col;
    int c = peek(p);
    if (c == '{' || c == '[') {
        v->kind = c == '{' ? SK_JSON_OBJECT : SK_JSON_ARRAY;
        return parse_container(p, v, depth);
    }
    if (c == '"') {
        v->kind = SK_JSON_STRING;
        return parse_string(p, &v->string);
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        v->kind = SK_JSON_NUMBER;
        return parse_number(p, &v->number);
    }
    if (literal(p, "true")) { v->kind = SK_JSON_TRUE; return SURVKIT_OK; }
    if (literal(p, "false")) { v->kind = SK_JSON_FALSE; return SURVKIT_OK; }
    if (literal(p, "null")) { v->kind = SK_JSON_NULL; return SURVKIT_OK; }
    return fail(p, c < 0 ? "unexpected end of text" : "unexpected character");
}

survkit_status sk_json_parse(const char *text, size_t length, const char *source, sk_json *root,
                             survkit_error *err)
{
    memset(root, 0, sizeof *root);
    parser p = {text, length, 0, 1, 1, source, err};
    if (length >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) p.pos = 3; /* a UTF-8 BOM */
    survkit_status status = parse_value(&p, root, 0);
    if (status == SURVKIT_OK) {
        skip_space(&p);
        if (p.pos != p.len) status = fail(&p, "text after the value");
    }
    if (status != SURVKIT_OK) sk_json_free(root);
    return status;
}
