/*
 * read_file.c: survkit_table_read_file, the one place where a data file's format is decided.
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
static survkit_status choose_format(const char *path, const char *source, const sk_source *src,
                                    sk_format *format, survkit_error *err)
{
    size_t n = src->size < SK_FORMAT_SNIFF_BYTES ? src->size : SK_FORMAT_SNIFF_BYTES;
    sk_format named = sk_format_from_name(path);
    sk_format found = sk_format_sniff((const unsigned char *)src->data, n);
    *format = named == SK_FORMAT_UNKNOWN ? found : named;
    if (named == SK_FORMAT_UNKNOWN || named == found) return SURVKIT_OK;
    const char *dot = strrchr(path, '.');
    if (src->size == 0)
        return sk_error_set(err, SURVKIT_ERR_PARSE, source, 0, 0,
                            "the file is empty, but its extension %s says it is %s", dot,
                            sk_format_describe(named));
    return sk_error_set(err, SURVKIT_ERR_PARSE, source, 0, 0,
                        "the extension %s says %s, but the file's first bytes are those of %s", dot,
                        sk_format_describe(named), sk_format_describe(found));
}

survkit_status survkit_table_read_file(const char *path, const survkit_read_options *opt,
                                       survkit_table **out, survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL || path == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "survkit_table_read_file: NULL argument");
    *out = NULL;
    bool stdin_text = strcmp(path, "-") == 0;
    const char *source = stdin_text ? "<stdin>" : path;
    sk_source src;
    RETURN_IF_ERROR(sk_source_open(path, source, &src, err));
    sk_format format = SK_FORMAT_TEXT;
    survkit_status status = stdin_text ? SURVKIT_OK : choose_format(path, source, &src, &format, err);
    const unsigned char *bytes = (const unsigned char *)(src.data ? src.data : "");
    if (status == SURVKIT_OK) {
        switch (format) {
        case SK_FORMAT_UNKNOWN:
        case SK_FORMAT_TEXT:
            status = sk_csv_read((const char *)bytes, src.size, source, opt, out, err);
            break;
        case SK_FORMAT_GZIP:
        case SK_FORMAT_ZSTD: {
            char *text = NULL;
            size_t size = 0;
            status = sk_decompress(format, bytes, src.size, source, opt, &text, &size, err);
            sk_source_close(&src); /* the compressed bytes are no longer needed */
            if (status == SURVKIT_OK) status = sk_csv_read(text ? text : "", size, source, opt, out, err);
            free(text);
            break;
        }
        case SK_FORMAT_SPSS:
        case SK_FORMAT_POR:
        case SK_FORMAT_STATA:
        case SK_FORMAT_SAS7BDAT:
        case SK_FORMAT_XPORT:
            status = sk_readstat_read(format, bytes, src.size, source, opt, out, err);
            break;
        }
    }
    sk_source_close(&src);
    return status;
}
