/*
 * json.h: a small streaming JSON writer for the reports. Numbers are written with %.17g so they
 * round-trip; NaN is written as null (R's NA), infinities as null as well (JSON has none).
 *
 *   json_writer w; json_init(&w, stdout);
 *   json_object_begin(&w, NULL);
 *   json_string(&w, "command", "km");
 *   json_array_begin(&w, "time"); json_number(&w, NULL, 1.5); json_array_end(&w);
 *   json_object_end(&w);  json_finish(&w);   // newline
 *
 * `key` is the member name inside an object and NULL inside an array.
 */
#ifndef SURVKIT_REPORT_JSON_H
#define SURVKIT_REPORT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

typedef struct json_writer {
    FILE *out;
    int depth;
    bool has_items[JSON_MAX_DEPTH];
} json_writer;

void json_init(json_writer *w, FILE *out);
void json_object_begin(json_writer *w, const char *key);
void json_object_end(json_writer *w);
void json_array_begin(json_writer *w, const char *key);
void json_array_end(json_writer *w);
void json_number(json_writer *w, const char *key, double value);
void json_integer(json_writer *w, const char *key, long long value);
void json_string(json_writer *w, const char *key, const char *value);
void json_bool(json_writer *w, const char *key, bool value);
void json_null(json_writer *w, const char *key);
/* An array of n numbers under `key`. */
void json_number_array(json_writer *w, const char *key, const double *values, size_t n);
/* A p x p column-major matrix under `key` as an array of its rows. */
void json_square_matrix(json_writer *w, const char *key, const double *m, size_t p);
/* Ends the document with a newline. */
void json_finish(json_writer *w);

#endif
