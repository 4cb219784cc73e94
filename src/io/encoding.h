/*
 * encoding.h: the text of a data file as UTF-8. String values and column names go into the table,
 * and from there into JSON, CSV and plots, as UTF-8: bytes that are not UTF-8 (a Windows-1252 or
 * Latin-1 export) must not pass. As R's read.csv(fileEncoding = ...) does, a file declared Latin-1
 * or Windows-1252 is converted; otherwise invalid UTF-8 is an error at its line and column.
 */
#ifndef SURVKIT_IO_ENCODING_H
#define SURVKIT_IO_ENCODING_H

#include <survkit/survkit.h>

#include <stddef.h>

/* The offset of the first byte of text[size] that does not begin a well-formed UTF-8 sequence
 * (Unicode 15, table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), or size. */
size_t sk_utf8_invalid_at(const char *text, size_t size);

/*
 * text[size] in Latin-1 (ISO 8859-1) or Windows-1252 as UTF-8, in a new buffer (free it);
 * *out_size its length. NULL when out of memory, or (with *bad set to the byte's offset) when a
 * Windows-1252 text holds one of the five bytes that code page leaves undefined (0x81, 0x8D, 0x8F,
 * 0x90, 0x9D); *bad is SIZE_MAX otherwise.
 */
char *sk_to_utf8(const char *text, size_t size, survkit_encoding encoding, size_t *out_size,
                 size_t *bad);

/* "utf-8", "latin1", "cp1252" (and their common aliases, any case) to an encoding; -1 if unknown. */
int sk_encoding_parse(const char *name);

#endif /* SURVKIT_IO_ENCODING_H */
