/* json.c: the streaming JSON writer (see json.h). */
#include "json.h"
#include "double17.h"

#include <math.h>

void json_init(json_writer *w, FILE *out)
{
    w->out = out;
    w->depth = 0;
    w->has_items[0] = false;
}

static void write_escaped(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20) fprintf(out, "\\u%04x", *p);
            else fputc(*p, out);
        }
    }
    fputc('"', out);
}

/* The separator and member name before a value. */
static void begin_value(json_writer *w, const char *key)
{
    if (w->has_items[w->depth]) fputc(',', w->out);
    w->has_items[w->depth] = true;
    if (key != NULL) {
        write_escaped(w->out, key);
        fputc(':', w->out);
    }
}

static void open_container(json_writer *w, const char *key, char bracket)
{
    begin_value(w, key);
    fputc(bracket, w->out);
    if (w->depth + 1 < JSON_MAX_DEPTH) w->depth++;
    w->has_items[w->depth] = false;
}

static void close_container(json_writer *w, char bracket)
{
    fputc(bracket, w->out);
    if (w->depth > 0) w->depth--;
}

void json_object_begin(json_writer *w, const char *key) { open_container(w, key, '{'); }
void json_object_end(json_writer *w) { close_container(w, '}'); }
void json_array_begin(json_writer *w, const char *key) { open_container(w, key, '['); }
void json_array_end(json_writer *w) { close_container(w, ']'); }

void json_number(json_writer *w, const char *key, double value)
{
    begin_value(w, key);
    if (!isfinite(value)) fputs("null", w->out);
    else if (value == 0) fputs("0", w->out); /* no "-0" */
    else double17_write(w->out, value); /* printf's %.17g */
}

void json_integer(json_writer *w, const char *key, long long value)
{
    begin_value(w, key);
    fprintf(w->out, "%lld", value);
}

void json_string(json_writer *w, const char *key, const char *value)
{
    begin_value(w, key);
    if (value == NULL) fputs("null", w->out);
    else write_escaped(w->out, value);
}

void json_bool(json_writer *w, const char *key, bool value)
{
    begin_value(w, key);
    fputs(value ? "true" : "false", w->out);
}

void json_null(json_writer *w, const char *key)
{
    begin_value(w, key);
    fputs("null", w->out);
}

void json_number_array(json_writer *w, const char *key, const double *values, size_t n)
{
    json_array_begin(w, key);
    for (size_t i = 0; i < n; i++) json_number(w, NULL, values[i]);
    json_array_end(w);
}

void json_finish(json_writer *w) { fputc('\n', w->out); }

void json_square_matrix(json_writer *w, const char *key, const double *m, size_t p)
{
    json_array_begin(w, key);
    for (size_t i = 0; i < p; i++) {
        json_array_begin(w, NULL);
        for (size_t j = 0; j < p; j++) json_number(w, NULL, m[i + j * p]);
        json_array_end(w);
    }
    json_array_end(w);
}
