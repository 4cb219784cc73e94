/*
 * read_file.c: survkit_table_read_file and survkit_table_read_memory, the one place where a data
 * file's format is decided.
 *
 * The extension names the format and the first bytes must agree (format.c); a file with another
 * extension goes by its bytes. The file is memory-mapped (source.c) and handed to its reader:
 * text to the CSV reader as it is, gzip and zstd inflated in memory first, SPSS, Stata and SAS
 * files to ReadStat. Standard input is always delimited text.
 */
#include "io/csv_internal.h"
#include "io/readers_internal.h"

#include <stdlib.h>
#include <string.h>

/* The format to read `path` with, or an error when its extension and its bytes disagree. */
static survkit_status choose_format(const char *path, const char *source, const unsigned char *bytes,
                                    size_t size, sk_format *format, survkit_error *err)
{
    size_t n = size < SK_FORMAT_SNIFF_BYTES ? size : SK_FORMAT_SNIFF_BYTES;
    sk_format named = sk_format_from_name(path);
    sk_format found = sk_format_sniff(bytes, n);
    *format = named == SK_FORMAT_UNKNOWN ? found : named;
    if (named == SK_FORMAT_UNKNOWN || named == found) return SURVKIT_OK;
    const char *dot = strrchr(path, '.');
    if (size == 0)
        return sk_error_set(err, SURVKIT_ERR_PARSE, source, 0, 0,
                            "the file is empty, but its extension %s says it is %s", dot,
                            sk_format_describe(named));
    return sk_error_set(err, SURVKIT_ERR_PARSE, source, 0, 0,
                        "the extension %s says %s, but the file's first bytes are those of %s", dot,
                        sk_format_describe(named), sk_format_describe(found));
}

/* Bytes of a file named `name` (its extension; "-" for standard input, always text), read by the
 * reader of its format. */
static survkit_status read_bytes(const char *name, const char *source, const unsigned char *bytes,
                                 size_t size, const survkit_read_options *opt, sk_source *src,
                                 survkit_table **out, survkit_error *err)
{
    sk_format format = SK_FORMAT_TEXT;
    if (strcmp(name, "-") != 0) RETURN_IF_ERROR(choose_format(name, source, bytes, size, &format, err));
    switch (format) {
    case SK_FORMAT_UNKNOWN:
    case SK_FORMAT_TEXT:
        return sk_csv_read((const char *)bytes, size, source, opt, out, err);
    case SK_FORMAT_GZIP:
    case SK_FORMAT_ZSTD: {
        char *text = NULL;
        size_t text_size = 0;
        survkit_status status = sk_decompress(format, bytes, size, source, opt, &text, &text_size, err);
        if (src != NULL) sk_source_close(src); /* the compressed bytes are no longer needed */
        if (status == SURVKIT_OK) status = sk_csv_read(text ? text : "", text_size, source, opt, out, err);
        free(text);
        return status;
    }
    case SK_FORMAT_SPSS:
    case SK_FORMAT_POR:
    case SK_FORMAT_STATA:
    case SK_FORMAT_SAS7BDAT:
    case SK_FORMAT_XPORT:
        return sk_readstat_read(format, bytes, size, source, opt, out, err);
    }
    return sk_error_set(err, SURVKIT_ERR_INTERNAL, source, 0, 0, "unknown format");
}

survkit_status survkit_table_read_file(const char *path, const survkit_read_options *opt,
                                       survkit_table **out, survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL || path == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "survkit_table_read_file: NULL argument");
    *out = NULL;
    const char *source = strcmp(path, "-") == 0 ? "<stdin>" : path;
    sk_source src;
    RETURN_IF_ERROR(sk_source_open(path, source, &src, err));
    const unsigned char *bytes = (const unsigned char *)(src.data ? src.data : "");
    survkit_status status = read_bytes(path, source, bytes, src.size, opt, &src, out, err);
    sk_source_close(&src);
    return status;
}

survkit_status survkit_table_read_memory(const void *data, size_t size, const char *name,
                                         const survkit_read_options *opt, survkit_table **out,
                                         survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL || name == NULL || (data == NULL && size > 0), err,
                    SURVKIT_ERR_ARGUMENT, "survkit_table_read_memory: NULL argument");
    *out = NULL;
    const unsigned char *bytes = data ? data : (const unsigned char *)"";
    return read_bytes(name, name, bytes, size, opt, NULL, out, err);
}
