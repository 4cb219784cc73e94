/*
 * csv_scan.c: RFC 4180 tokenizing. A quote opens a quoted field only as the field's first byte (a
 * quote later in an unquoted field is an ordinary byte, as in R); inside quotes separators and line
 * ends are data and "" is one quote; a closing quote must be followed by a separator or a line end.
 * Lines end with LF or CRLF. The inner loop over an unquoted field is one table lookup per byte.
 */
#include "io/csv_scan.h"

#include <string.h>

void sk_scan_init(sk_scanner *s, const char *begin, const char *end, char separator,
                  uint64_t first_line, const char *source)
{
    s->p = begin;
    s->end = end;
    s->line_start = begin;
    s->line = first_line;
    s->row_line = first_line;
    s->source = source;
    s->separator = separator;
    memset(s->stops, 0, sizeof s->stops);
    s->stops[(unsigned char)separator] = 1;
    s->stops['\n'] = 1;
    s->stops['\r'] = 1;
    s->stops[0] = 1;
}

static uint64_t column_of(const sk_scanner *s, const char *at)
{
    return (uint64_t)(at - s->line_start) + 1;
}

/* Skip empty lines; false at the end of the input. */
static bool skip_empty_lines(sk_scanner *s)
{
    const char *p = s->p, *end = s->end;
    for (;;) {
        if (p < end && *p == '\n') {
            p++;
        } else if (p + 1 < end && p[0] == '\r' && p[1] == '\n') {
            p += 2;
        } else if (p + 1 == end && *p == '\r') {
            p++;
        } else {
            break;
        }
        s->line++;
        s->line_start = p;
    }
    s->p = p;
    return p < end;
}

static sk_scan_result nul_error(sk_scanner *s, const char *at, survkit_error *err)
{
    sk_error_set(err, SURVKIT_ERR_PARSE, s->source, s->line, column_of(s, at),
                 "NUL byte in the data (is this a text file?)");
    return SK_SCAN_ERROR;
}

/* Scan a quoted field starting at *pp (the opening quote); on success *pp is after the closing
 * quote and field holds the text between the quotes. */
static sk_scan_result scan_quoted(sk_scanner *s, const char **pp, sk_field *field, survkit_error *err)
{
    const char *open = *pp, *q = open + 1, *end = s->end;
    uint64_t open_line = s->line, open_column = column_of(s, open);
    field->quoted = true;
    field->escaped = false;
    for (;;) {
        while (q < end && *q != '"' && *q != '\n' && *q != '\0') q++;
        if (q == end) {
            sk_error_set(err, SURVKIT_ERR_PARSE, s->source, open_line, open_column,
                         "unterminated quoted field (the quote opened here is never closed)");
            return SK_SCAN_ERROR;
        }
        if (*q == '\n') {
            q++;
            s->line++;
            s->line_start = q;
        } else if (*q == '\0') {
            return nul_error(s, q, err);
        } else if (q + 1 < end && q[1] == '"') {
            field->escaped = true;
            q += 2;
        } else {
            break;
        }
    }
    field->text = open + 1;
    field->len = (size_t)(q - open - 1);
    *pp = q + 1;
    return SK_SCAN_ROW;
}

sk_scan_result sk_scan_row(sk_scanner *s, sk_field *fields, size_t n_fields, size_t *n_found,
                           survkit_error *err)
{
    *n_found = 0;
    if (!skip_empty_lines(s)) return SK_SCAN_END;
    s->row_line = s->line;
    const char *p = s->p, *end = s->end;
    const uint8_t *stops = s->stops;
    const char separator = s->separator;
    size_t count = 0;
    uint64_t extra_column = 0; /* column of the first field beyond n_fields */
    for (;;) {
        sk_field field;
        if (fields != NULL && count == n_fields && extra_column == 0) extra_column = column_of(s, p);
        if (p < end && *p == '"') {
            if (scan_quoted(s, &p, &field, err) != SK_SCAN_ROW) return SK_SCAN_ERROR;
            if (p < end && *p != separator && *p != '\n' &&
                !(*p == '\r' && (p + 1 == end || p[1] == '\n'))) {
                sk_error_set(err, SURVKIT_ERR_PARSE, s->source, s->line, column_of(s, p),
                             "unexpected text after a closing quote (a quote inside a quoted "
                             "field must be doubled)");
                return SK_SCAN_ERROR;
            }
        } else {
            const char *q = p;
            for (;;) {
                while (q < end && !stops[(unsigned char)*q]) q++;
                /* A CR not followed by LF (or the end) is an ordinary byte. */
                if (q < end && *q == '\r' && q + 1 < end && q[1] != '\n') {
                    q++;
                    continue;
                }
                break;
            }
            if (q < end && *q == '\0') return nul_error(s, q, err);
            field.text = p;
            field.len = (size_t)(q - p);
            field.quoted = false;
            field.escaped = false;
            p = q;
        }
        if (fields != NULL && count < n_fields) fields[count] = field;
        count++;
        if (p < end && *p == separator) {
            p++;
            continue;
        }
        break; /* line end or end of input */
    }
    const char *line_end = p;
    if (p < end && *p == '\r') p++;
    if (p < end && *p == '\n') p++;
    *n_found = count;
    if (fields != NULL && count != n_fields) {
        /* Too many: the column where the first extra field starts; too few: the line's end. */
        uint64_t column = count > n_fields ? extra_column : column_of(s, line_end);
        sk_error_set(err, SURVKIT_ERR_PARSE, s->source, s->row_line, column,
                     "row has %zu fields but the header has %zu", count, n_fields);
        return SK_SCAN_ERROR;
    }
    s->line++;
    s->line_start = p;
    s->p = p;
    return SK_SCAN_ROW;
}

size_t sk_field_unescape(const sk_field *field, char *out)
{
    size_t n = 0;
    if (!field->escaped) {
        memcpy(out, field->text, field->len);
        n = field->len;
    } else {
        for (size_t k = 0; k < field->len; k++) {
            out[n++] = field->text[k];
            if (field->text[k] == '"') k++; /* the second quote of a pair */
        }
    }
    out[n] = '\0';
    return n;
}

char sk_scan_detect_separator(const char *begin, const char *end)
{
    size_t commas = 0, tabs = 0, semicolons = 0;
    bool in_quotes = false, seen_text = false;
    for (const char *p = begin; p < end; p++) {
        char c = *p;
        if (c == '"') in_quotes = !in_quotes;
        if (in_quotes) continue;
        if (c == '\n') {
            if (seen_text) break;
            continue;
        }
        if (c != '\r') seen_text = true;
        if (c == ',') commas++;
        else if (c == '\t') tabs++;
        else if (c == ';') semicolons++;
    }
    if (tabs > commas && tabs >= semicolons) return '\t';
    if (semicolons > commas && semicolons > tabs) return ';';
    return ',';
}
