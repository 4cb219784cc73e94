/*
 * csv_header.c: the header row. Names are kept verbatim (R's check.names = FALSE); they must be
 * non-empty, distinct and valid UTF-8, since formulas and reports name columns by them.
 */
#include "io/csv_internal.h"

#include <stdlib.h>
#include <string.h>

/* Is s[0..len) well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF)?
 * Returns the offset of the first bad byte, or len. */
static size_t utf8_valid_prefix(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t n;
        unsigned min;
        if (c < 0x80) { i++; continue; }
        if (c >= 0xC2 && c <= 0xDF) { n = 1; min = 0x80; }
        else if (c >= 0xE0 && c <= 0xEF) { n = 2; min = 0x800; }
        else if (c >= 0xF0 && c <= 0xF4) { n = 3; min = 0x10000; }
        else return i;
        if (len - i <= n) return i;
        unsigned cp = c & (0x3Fu >> n);
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
        i += n + 1;
    }
    return len;
}

void sk_csv_header_free(sk_csv_header *header)
{
    if (header == NULL) return;
    if (header->names != NULL)
        for (size_t j = 0; j < header->n_columns; j++) free(header->names[j]);
    free(header->names);
    memset(header, 0, sizeof *header);
}

/* Column (1-based, in bytes) where a header field starts. */
static uint64_t field_column(const sk_scanner *s, const sk_field *f)
{
    return (uint64_t)(f->text - s->line_start) + (f->quoted ? 0 : 1);
}

static survkit_status check_names(const sk_scanner *s, const sk_field *fields, sk_csv_header *h,
                                  survkit_error *err)
{
    sk_dict seen;
    sk_dict_init(&seen);
    survkit_status status = SURVKIT_OK;
    for (size_t j = 0; j < h->n_columns && status == SURVKIT_OK; j++) {
        const char *name = h->names[j];
        size_t len = strlen(name);
        uint64_t column = field_column(s, &fields[j]);
        size_t bad = utf8_valid_prefix((const unsigned char *)name, len);
        if (len == 0) {
            status = sk_error_set(err, SURVKIT_ERR_PARSE, s->source, s->row_line, column,
                                  "column %zu has an empty name", j + 1);
        } else if (bad < len) {
            status = sk_error_set(err, SURVKIT_ERR_PARSE, s->source, s->row_line, column,
                                  "the name of column %zu is not valid UTF-8 (byte %zu)", j + 1,
                                  bad + 1);
        } else {
            int32_t code = sk_dict_intern(&seen, name, len);
            if (code < 0)
                status = sk_error_set(err, SURVKIT_ERR_NOMEM, s->source, 0, 0,
                                      "out of memory reading the header");
            else if ((size_t)code < j)
                status = sk_error_set(err, SURVKIT_ERR_PARSE, s->source, s->row_line, column,
                                      "column %zu is named '%s' like column %d", j + 1, name,
                                      (int)code + 1);
        }
    }
    sk_dict_free(&seen);
    return status;
}

survkit_status sk_csv_header_read(const char *begin, const char *end, char separator,
                                  const char *source, sk_csv_header *h, survkit_error *err)
{
    memset(h, 0, sizeof *h);
    h->separator = separator ? separator : sk_scan_detect_separator(begin, end);
    sk_scanner s;
    sk_scan_init(&s, begin, end, h->separator, 1, source);
    sk_scanner counting = s;
    size_t n = 0;
    sk_scan_result r = sk_scan_row(&counting, NULL, 0, &n, err);
    if (r == SK_SCAN_ERROR) return err ? err->status : SURVKIT_ERR_PARSE;
    if (r == SK_SCAN_END)
        return sk_error_set(err, SURVKIT_ERR_PARSE, source, 1, 1, "the file is empty (no header row)");
    sk_field *fields = sk_malloc_array(n, sizeof *fields);
    h->names = sk_calloc_array(n, sizeof *h->names);
    if (fields == NULL || h->names == NULL) {
        free(fields);
        sk_csv_header_free(h);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, source, 0, 0, "out of memory reading the header");
    }
    survkit_status status = SURVKIT_OK;
    size_t found;
    const char *header_line_start = NULL;
    if (sk_scan_row(&s, fields, n, &found, err) != SK_SCAN_ROW) {
        status = err ? err->status : SURVKIT_ERR_PARSE;
    } else {
        h->n_columns = n;
        for (size_t j = 0; j < n && status == SURVKIT_OK; j++) {
            h->names[j] = malloc(fields[j].len + 1);
            if (h->names[j] == NULL)
                status = sk_error_set(err, SURVKIT_ERR_NOMEM, source, 0, 0, "out of memory reading the header");
            else
                sk_field_unescape(&fields[j], h->names[j]);
        }
        /* Columns are reported relative to the header's own line. */
        header_line_start = fields[0].text - (fields[0].quoted ? 1 : 0);
        sk_scanner at_header = s;
        at_header.line_start = header_line_start;
        if (status == SURVKIT_OK) status = check_names(&at_header, fields, h, err);
    }
    free(fields);
    if (status != SURVKIT_OK) {
        sk_csv_header_free(h);
        return status;
    }
    h->body = s.p;
    h->body_line = s.line;
    return SURVKIT_OK;
}
