/*
 * format.h: which reader a data file needs, from its name and from its first bytes (format.c).
 */
#ifndef SURVKIT_IO_FORMAT_H
#define SURVKIT_IO_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

typedef enum sk_format {
    SK_FORMAT_UNKNOWN = 0, /* by name: any other extension, decided by the bytes */
    SK_FORMAT_TEXT,        /* delimited text (CSV, TSV) */
    SK_FORMAT_GZIP,        /* gzip'ed delimited text */
    SK_FORMAT_ZSTD,        /* zstd-compressed delimited text */
    SK_FORMAT_SPSS,        /* .sav and .zsav (SPSS system files) */
    SK_FORMAT_POR,         /* SPSS portable file */
    SK_FORMAT_STATA,       /* .dta */
    SK_FORMAT_SAS7BDAT,
    SK_FORMAT_XPORT        /* SAS transport file, versions 5 and 8 */
} sk_format;

/* Bytes enough for sk_format_sniff to decide (a portable file's tag sits past its 456th character). */
enum { SK_FORMAT_SNIFF_BYTES = 1024 };

/* The format an extension names (case-insensitive), SK_FORMAT_UNKNOWN for any other. */
sk_format sk_format_from_name(const char *path);
/* The format the first `size` bytes belong to; SK_FORMAT_TEXT when they match no binary format. */
sk_format sk_format_sniff(const unsigned char *bytes, size_t size);
/* "Stata .dta file", "gzip data", ... for messages. */
const char *sk_format_describe(sk_format format);

#endif /* SURVKIT_IO_FORMAT_H */
