/* encoding.c: UTF-8 validation and Latin-1 / Windows-1252 conversion of a data file (encoding.h). */
#include "io/encoding.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

size_t sk_utf8_invalid_at(const char *text, size_t size)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < size) {
        /* ASCII 32 bytes at a time (four words OR-ed, one test): most data files are ASCII
         * throughout, and this pass then costs a small part of parsing them */
        while (i + 32 <= size) {
            uint64_t w[4];
            memcpy(w, s + i, 32);
            if ((w[0] | w[1] | w[2] | w[3]) & UINT64_C(0x8080808080808080)) break;
            i += 32;
        }
        while (i + 8 <= size) {
            uint64_t word;
            memcpy(&word, s + i, 8);
            if (word & UINT64_C(0x8080808080808080)) break;
            i += 8;
        }
        if (i >= size) break;
        const unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        /* length and the allowed range of the second byte (Unicode table 3-7) */
        size_t len;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) len = 2;
        else if (c == 0xE0) len = 3, lo = 0xA0;
        else if (c >= 0xE1 && c <= 0xEC) len = 3;
        else if (c == 0xED) len = 3, hi = 0x9F;
        else if (c >= 0xEE && c <= 0xEF) len = 3;
        else if (c == 0xF0) len = 4, lo = 0x90;
        else if (c >= 0xF1 && c <= 0xF3) len = 4;
        else if (c == 0xF4) len = 4, hi = 0x8F;
        else return i;
        if (i + len > size || s[i + 1] < lo || s[i + 1] > hi) return i;
        for (size_t k = 2; k < len; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF) return i;
        i += len;
    }
    return size;
}

/* Windows-1252's 0x80..0x9F as Unicode code points; 0 where the code page defines none. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

char *sk_to_utf8(const char *text, size_t size, survkit_encoding encoding, size_t *out_size,
                 size_t *bad)
{
    const unsigned char *s = (const unsigned char *)text;
    *bad = SIZE_MAX;
    if (size > (SIZE_MAX - 1) / 3) return NULL;
    char *out = malloc(3 * size + 1); /* at most three bytes per byte (U+20AC) */
    if (out == NULL) return NULL;
    size_t o = 0;
    for (size_t i = 0; i < size; i++) {
        uint32_t cp = s[i];
        if (encoding == SURVKIT_ENCODING_CP1252 && cp >= 0x80 && cp <= 0x9F) {
            cp = cp1252_high[cp - 0x80];
            if (cp == 0) {
                *bad = i;
                free(out);
                return NULL;
            }
        }
        if (cp < 0x80) {
            out[o++] = (char)cp;
        } else if (cp < 0x800) {
            out[o++] = (char)(0xC0 | (cp >> 6));
            out[o++] = (char)(0x80 | (cp & 0x3F));
        } else {
            out[o++] = (char)(0xE0 | (cp >> 12));
            out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    out[o] = '\0';
    *out_size = o;
    return out;
}

int sk_encoding_parse(const char *name)
{
    static const struct { const char *name; survkit_encoding encoding; } names[] = {
        {"utf-8", SURVKIT_ENCODING_UTF8},         {"utf8", SURVKIT_ENCODING_UTF8},
        {"latin1", SURVKIT_ENCODING_LATIN1},      {"latin-1", SURVKIT_ENCODING_LATIN1},
        {"iso-8859-1", SURVKIT_ENCODING_LATIN1},  {"iso8859-1", SURVKIT_ENCODING_LATIN1},
        {"cp1252", SURVKIT_ENCODING_CP1252},      {"windows-1252", SURVKIT_ENCODING_CP1252},
        {"win1252", SURVKIT_ENCODING_CP1252},
    };
    for (size_t k = 0; name != NULL && k < sizeof names / sizeof names[0]; k++)
        if (strcasecmp(name, names[k].name) == 0) return (int)names[k].encoding;
    return -1;
}
