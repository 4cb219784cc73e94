/* golden.c: the reader of golden files (format in golden.h). */
#include "golden.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

typedef struct golden_entry {
    char *key;
    size_t n;
    char **text;
    double *numbers; /* NULL when some element is not a number */
} golden_entry;

struct golden {
    golden_entry *entries;
    size_t n_entries;
};

const char *golden_dir(void) { return SURVKIT_GOLDEN_DIR; }
const char *datasets_dir(void) { return SURVKIT_DATASETS_DIR; }

static bool parse_number(const char *s, double *out)
{
    if (strcmp(s, "NA") == 0 || strcmp(s, "NaN") == 0) { *out = NAN; return true; }
    if (strcmp(s, "Inf") == 0) { *out = INFINITY; return true; }
    if (strcmp(s, "-Inf") == 0) { *out = -INFINITY; return true; }
    if (strcmp(s, "TRUE") == 0) { *out = 1; return true; }
    if (strcmp(s, "FALSE") == 0) { *out = 0; return true; }
    char *end;
    *out = strtod(s, &end);
    return end != s && *end == '\0';
}

static void add_entry(golden *g, char *line)
{
    size_t len = strlen(line);
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
    if (len == 0 || line[0] == '#') return;
    golden_entry e = {0};
    char *field = line, *tab;
    size_t capacity = 0;
    bool key_done = false;
    for (;;) {
        tab = strchr(field, '\t');
        if (tab) *tab = '\0';
        if (!key_done) {
            e.key = strdup(field);
            key_done = true;
        } else {
            if (e.n == capacity) {
                capacity = capacity ? 2 * capacity : 16;
                e.text = realloc(e.text, capacity * sizeof *e.text);
                assert_non_null(e.text);
            }
            e.text[e.n++] = strdup(field);
        }
        if (!tab) break;
        field = tab + 1;
    }
    e.numbers = malloc((e.n ? e.n : 1) * sizeof *e.numbers);
    for (size_t k = 0; k < e.n; k++) {
        if (!parse_number(e.text[k], &e.numbers[k])) {
            free(e.numbers);
            e.numbers = NULL;
            break;
        }
    }
    g->entries = realloc(g->entries, (g->n_entries + 1) * sizeof *g->entries);
    assert_non_null(g->entries);
    g->entries[g->n_entries++] = e;
}

golden *golden_load(const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", golden_dir(), name);
    FILE *f = fopen(path, "r");
    if (f == NULL) fail_msg("cannot open golden file %s", path);
    golden *g = calloc(1, sizeof *g);
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) >= 0) add_entry(g, line);
    free(line);
    fclose(f);
    return g;
}

void golden_free(golden *g)
{
    if (g == NULL) return;
    for (size_t i = 0; i < g->n_entries; i++) {
        for (size_t k = 0; k < g->entries[i].n; k++) free(g->entries[i].text[k]);
        free(g->entries[i].text);
        free(g->entries[i].numbers);
        free(g->entries[i].key);
    }
    free(g->entries);
    free(g);
}

static const golden_entry *find(const golden *g, const char *key)
{
    for (size_t i = 0; i < g->n_entries; i++)
        if (strcmp(g->entries[i].key, key) == 0) return &g->entries[i];
    return NULL;
}

bool golden_has(const golden *g, const char *key) { return find(g, key) != NULL; }

static const golden_entry *require(const golden *g, const char *key)
{
    const golden_entry *e = find(g, key);
    if (e == NULL) fail_msg("golden vector '%s' is missing", key);
    return e;
}

size_t golden_length(const golden *g, const char *key) { return require(g, key)->n; }

const double *golden_numbers(const golden *g, const char *key)
{
    const golden_entry *e = require(g, key);
    if (e->numbers == NULL) fail_msg("golden vector '%s' is not numeric", key);
    return e->numbers;
}

const double *golden_optional(const golden *g, const char *key)
{
    const golden_entry *e = find(g, key);
    return e != NULL && e->n > 0 ? golden_numbers(g, key) : NULL;
}

int32_t *golden_int32(const golden *g, const char *key)
{
    const double *v = golden_optional(g, key);
    if (v == NULL) return NULL;
    size_t n = golden_length(g, key);
    int32_t *out = malloc(n * sizeof *out);
    if (out == NULL) fail_msg("out of memory copying golden vector '%s'", key);
    for (size_t i = 0; i < n; i++) out[i] = (int32_t)v[i];
    return out;
}

double golden_number(const golden *g, const char *key)
{
    const golden_entry *e = require(g, key);
    if (e->n != 1) fail_msg("golden vector '%s' has %zu values, expected one", key, e->n);
    return golden_numbers(g, key)[0];
}

const char *golden_string(const golden *g, const char *key, size_t k)
{
    const golden_entry *e = require(g, key);
    if (k >= e->n) fail_msg("golden vector '%s' has no element %zu", key, k);
    return e->text[k];
}

bool golden_close(double actual, double expected, double rel, double abs_tol)
{
    if (isnan(expected) || isnan(actual)) return isnan(expected) && isnan(actual);
    if (isinf(expected) || isinf(actual)) return actual == expected;
    double diff = fabs(actual - expected);
    return diff <= abs_tol || diff <= rel * fmax(fabs(actual), fabs(expected));
}

void assert_numbers_close(const double *actual, const double *expected, size_t n, double rel,
                          double abs_tol, const char *what)
{
    for (size_t k = 0; k < n; k++) {
        if (!golden_close(actual[k], expected[k], rel, abs_tol))
            fail_msg("%s[%zu]: got %.17g, R gives %.17g", what, k, actual[k], expected[k]);
    }
}

void assert_number_close(double actual, double expected, double rel, double abs_tol,
                         const char *what)
{
    if (!golden_close(actual, expected, rel, abs_tol))
        fail_msg("%s: got %.17g, R gives %.17g", what, actual, expected);
}

unsigned char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) fail_msg("cannot read %s", path);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (size < 0) fail_msg("cannot size %s", path);
    unsigned char *buf = malloc((size_t)size + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
    buf[size] = 0;
    fclose(f);
    *len = (size_t)size;
    return buf;
}
