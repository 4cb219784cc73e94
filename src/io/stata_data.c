/*
 * stata_data.c: the rows of a Stata file (formats 117-119, "<stata_dta>" files: Stata 13 to 18)
 * decoded from the mapped bytes. The header gives the byte order, K and N; the map (14 offsets)
 * gives where the variable types and the data begin. A row is the variables' fields side by side:
 * byte (65530, 1 byte), int (65529, 2), long (65528, 4), float (65527, 4), double (65526, 8), str#
 * (# bytes, 1-2045). Stata's missing values sit above the largest valid value of each type:
 * byte > 100, int > 32740, long > 2147483620, float >= 2^127, double >= 2^1023 (the system missing
 * `.` and the extended `.a`-`.z` alike).
 */
#include "io/stata_data.h"
#include "core/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    TYPE_DOUBLE = 65526, TYPE_FLOAT = 65527, TYPE_LONG = 65528, TYPE_INT = 65529, TYPE_BYTE = 65530,
    TYPE_STR_MAX = 2045
};

static uint64_t load(const unsigned char *p, size_t width, bool big_endian)
{
    uint64_t v = 0;
    for (size_t k = 0; k < width; k++) v |= (uint64_t)p[big_endian ? width - 1 - k : k] << (8 * k);
    return v;
}

/* Find `tag` at *at (the header is a fixed sequence of tags), moving past it. */
static bool expect(const unsigned char *data, size_t size, size_t *at, const char *tag)
{
    size_t n = strlen(tag);
    if (*at > size || size - *at < n || memcmp(data + *at, tag, n) != 0) return false;
    *at += n;
    return true;
}

static size_t field_width(uint16_t type)
{
    switch (type) {
    case TYPE_DOUBLE: return 8;
    case TYPE_FLOAT:
    case TYPE_LONG: return 4;
    case TYPE_INT: return 2;
    case TYPE_BYTE: return 1;
    default: return type >= 1 && type <= TYPE_STR_MAX ? type : 0; /* 0: strL or unknown */
    }
}

bool sk_stata_layout_read(const unsigned char *data, size_t size, sk_stata_layout *l)
{
    memset(l, 0, sizeof *l);
    size_t at = 0;
    if (!expect(data, size, &at, "<stata_dta><header><release>") || size - at < 3) return false;
    int release = (data[at] - '0') * 100 + (data[at + 1] - '0') * 10 + (data[at + 2] - '0');
    at += 3;
    if (release < 117 || release > 119) return false;
    l->release = release;
    if (!expect(data, size, &at, "</release><byteorder>") || size - at < 3) return false;
    if (memcmp(data + at, "MSF", 3) == 0) l->big_endian = true;
    else if (memcmp(data + at, "LSF", 3) != 0) return false;
    at += 3;
    size_t k_width = release == 119 ? 4 : 2, n_width = release == 117 ? 4 : 8;
    if (!expect(data, size, &at, "</byteorder><K>") || size - at < k_width) return false;
    l->n_vars = (size_t)load(data + at, k_width, l->big_endian);
    at += k_width;
    if (!expect(data, size, &at, "</K><N>") || size - at < n_width) return false;
    uint64_t n = load(data + at, n_width, l->big_endian);
    at += n_width;
    if (l->n_vars == 0 || l->n_vars > size || n > size) return false;
    l->n_rows = (size_t)n;
    /* The map follows the label and the timestamp: found by its tag rather than by their lengths. */
    const unsigned char *map = NULL;
    for (size_t i = at; i + 5 <= size && i < at + 2048 && map == NULL; i++)
        if (memcmp(data + i, "<map>", 5) == 0) map = data + i + 5;
    if (map == NULL || (size_t)(map - data) + 14 * 8 > size) return false;
    uint64_t types_at = load(map + 2 * 8, 8, l->big_endian), data_at = load(map + 9 * 8, 8, l->big_endian);
    at = (size_t)types_at;
    if (types_at > size || !expect(data, size, &at, "<variable_types>") || (size - at) / 2 < l->n_vars) return false;
    l->types = malloc(l->n_vars * sizeof *l->types);
    l->offsets = malloc(l->n_vars * sizeof *l->offsets);
    if (l->types == NULL || l->offsets == NULL) {
        sk_stata_layout_free(l);
        return false;
    }
    for (size_t j = 0; j < l->n_vars; j++) {
        l->types[j] = (uint16_t)load(data + at + 2 * j, 2, l->big_endian);
        size_t w = field_width(l->types[j]);
        if (w == 0 || (release == 117 && !sk_stata_is_number(l, j))) {
            sk_stata_layout_free(l);
            return false;
        }
        l->offsets[j] = l->row_width;
        l->row_width += w;
    }
    at = (size_t)data_at;
    size_t bytes;
    if (data_at > size || !expect(data, size, &at, "<data>") ||
        !sk_mul_size(l->n_rows, l->row_width, &bytes) || bytes > size - at) {
        sk_stata_layout_free(l);
        return false;
    }
    l->data = at;
    return true;
}

void sk_stata_layout_free(sk_stata_layout *l)
{
    free(l->types);
    free(l->offsets);
    l->types = NULL;
    l->offsets = NULL;
}

bool sk_stata_is_number(const sk_stata_layout *l, size_t j)
{
    return l->types[j] >= TYPE_DOUBLE && l->types[j] <= TYPE_BYTE;
}

static inline double float_of(uint64_t bits)
{
    uint32_t b = (uint32_t)bits;
    float f;
    memcpy(&f, &b, sizeof f);
    return (double)f;
}

static inline double double_of(uint64_t bits)
{
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* One loop per type, the type's missing rule inside: the compiler keeps each loop tight. */
#define DECODE(WIDTH, CONVERT)                                                            \
    for (size_t i = lo; i < hi; i++) {                                                    \
        uint64_t bits = load(p + i * l->row_width, WIDTH, l->big_endian);                 \
        double x = CONVERT;                                                               \
        out[i - lo] = x;                                                                  \
        missing += x != x;                                                                \
    }

size_t sk_stata_numbers(const sk_stata_layout *l, const unsigned char *data, size_t j, size_t lo,
                        size_t hi, double *out)
{
    const unsigned char *p = data + l->data + l->offsets[j];
    size_t missing = 0;
    switch (l->types[j]) {
    case TYPE_BYTE:
        DECODE(1, (int8_t)bits > 100 ? NAN : (double)(int8_t)bits)
        break;
    case TYPE_INT:
        DECODE(2, (int16_t)bits > 32740 ? NAN : (double)(int16_t)bits)
        break;
    case TYPE_LONG:
        DECODE(4, (int32_t)bits > 2147483620 ? NAN : (double)(int32_t)bits)
        break;
    case TYPE_FLOAT: /* >= 2^127: the positive floats from bits 0x7f000000 on */
        DECODE(4, ((uint32_t)bits >= 0x7f000000u && (uint32_t)bits < 0x80000000u) ? NAN
                                                                                   : float_of(bits))
        break;
    case TYPE_DOUBLE: /* >= 2^1023: from bits 0x7fe0000000000000 on */
        DECODE(8, (bits >= 0x7fe0000000000000ull && bits < 0x8000000000000000ull) ? NAN : double_of(bits))
        break;
    default:
        for (size_t i = lo; i < hi; i++) out[i - lo] = NAN;
        missing = hi - lo;
    }
    return missing;
}

const char *sk_stata_text(const sk_stata_layout *l, const unsigned char *data, size_t j, size_t i,
                          size_t *len)
{
    const char *p = (const char *)data + l->data + i * l->row_width + l->offsets[j];
    const char *nul = memchr(p, '\0', l->types[j]);
    *len = nul ? (size_t)(nul - p) : l->types[j];
    return p;
}
