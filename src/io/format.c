/*
 * format.c: a data file's format, named by its extension and recognised by its first bytes (the
 * "magic" each format starts with), so that a mislabelled file is refused with a clear message
 * instead of being parsed as something it is not.
 */
#include "io/format.h"

#include <string.h>
#include <strings.h>

typedef struct extension {
    const char *suffix;
    sk_format format;
} extension;

/* Longest suffixes first is not needed: each suffix below is matched at the end of the name. */
static const extension extensions[] = {
    {".gz", SK_FORMAT_GZIP},          {".zst", SK_FORMAT_ZSTD},   {".sav", SK_FORMAT_SPSS},
    {".zsav", SK_FORMAT_SPSS},        {".por", SK_FORMAT_POR},    {".dta", SK_FORMAT_STATA},
    {".sas7bdat", SK_FORMAT_SAS7BDAT}, {".xpt", SK_FORMAT_XPORT}, {".csv", SK_FORMAT_TEXT},
    {".tsv", SK_FORMAT_TEXT},         {".txt", SK_FORMAT_TEXT},   {".tab", SK_FORMAT_TEXT},
};

sk_format sk_format_from_name(const char *path)
{
    size_t len = strlen(path);
    for (size_t k = 0; k < sizeof extensions / sizeof extensions[0]; k++) {
        size_t n = strlen(extensions[k].suffix);
        if (len > n && strcasecmp(path + len - n, extensions[k].suffix) == 0) return extensions[k].format;
    }
    return SK_FORMAT_UNKNOWN;
}

/* Stata formats 104 to 115 start with the format number, the byte order (1 = big-endian, 2 =
 * little-endian) and the file type 1; formats 117 to 119 with an XML-like tag. */
static bool is_stata(const unsigned char *b, size_t size)
{
    static const char tag[] = "<stata_dta>";
    if (size >= sizeof tag - 1 && memcmp(b, tag, sizeof tag - 1) == 0) return true;
    return size >= 4 && b[0] >= 104 && b[0] <= 115 && (b[1] == 1 || b[1] == 2) && b[2] == 1;
}

/*
 * An SPSS portable file: 200 bytes of free text, a 256-byte character table, then the tag
 * "SPSSPORT" written through that table (lines of 80 characters: line ends do not count). In the
 * portable character set the digits are codes 64-73 and the capitals 74-99.
 */
static bool is_portable(const unsigned char *b, size_t size)
{
    unsigned char text[464];
    size_t n = 0;
    for (size_t i = 0; i < size && n < sizeof text; i++)
        if (b[i] != '\r' && b[i] != '\n') text[n++] = b[i];
    if (n < sizeof text) return false;
    static const char tag[] = "SPSSPORT";
    for (size_t i = 0; i < 8; i++)
        if (text[456 + i] != text[200 + 74 + (tag[i] - 'A')]) return false;
    /* A table maps distinct characters to distinct bytes: the ten digits at least (a run of one
     * repeated byte, which would pass the test above, is text). */
    for (size_t d = 64; d < 74; d++)
        for (size_t e = d + 1; e < 74; e++)
            if (text[200 + d] == text[200 + e]) return false;
    return true;
}

sk_format sk_format_sniff(const unsigned char *b, size_t size)
{
    static const unsigned char sas7bdat[32] = {
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc2, 0xea, 0x81, 0x60,
        0xb3, 0x14, 0x11, 0xcf, 0xbd, 0x92, 0x08, 0x00, 0x09, 0xc7, 0x31, 0x8c, 0x18, 0x1f, 0x10, 0x11};
    static const char xport[] = "HEADER RECORD*******LIB";
    if (size >= 2 && b[0] == 0x1f && b[1] == 0x8b) return SK_FORMAT_GZIP;
    if (size >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd) return SK_FORMAT_ZSTD;
    if (size >= 4 && (memcmp(b, "$FL2", 4) == 0 || memcmp(b, "$FL3", 4) == 0)) return SK_FORMAT_SPSS;
    if (size >= sizeof sas7bdat && memcmp(b, sas7bdat, sizeof sas7bdat) == 0) return SK_FORMAT_SAS7BDAT;
    if (size >= sizeof xport - 1 && memcmp(b, xport, sizeof xport - 1) == 0) return SK_FORMAT_XPORT;
    if (is_stata(b, size)) return SK_FORMAT_STATA;
    if (is_portable(b, size)) return SK_FORMAT_POR;
    return SK_FORMAT_TEXT;
}

const char *sk_format_describe(sk_format format)
{
    switch (format) {
    case SK_FORMAT_UNKNOWN: break;
    case SK_FORMAT_TEXT: return "delimited text";
    case SK_FORMAT_GZIP: return "gzip data";
    case SK_FORMAT_ZSTD: return "zstd data";
    case SK_FORMAT_SPSS: return "an SPSS system file (.sav/.zsav)";
    case SK_FORMAT_POR: return "an SPSS portable file (.por)";
    case SK_FORMAT_STATA: return "a Stata file (.dta)";
    case SK_FORMAT_SAS7BDAT: return "a SAS data set (.sas7bdat)";
    case SK_FORMAT_XPORT: return "a SAS transport file (.xpt)";
    }
    return "an unknown format";
}
