/*
 * json_read.h: a small strict JSON reader (RFC 8259) into a tree, for saved models.
 *
 * Strict: one value with only white space around it, no comments, no trailing commas, no
 * duplicate keys, strings in UTF-8 with the standard escapes (\uXXXX including surrogate pairs),
 * numbers in JSON's grammar. An error gives SURVKIT_ERR_PARSE with the 1-based line and column.
 * Not installed.
 */
#ifndef SURVKIT_IO_JSON_READ_H
#define SURVKIT_IO_JSON_READ_H

#include "core/internal.h"

typedef enum sk_json_kind {
    SK_JSON_NULL, SK_JSON_FALSE, SK_JSON_TRUE, SK_JSON_NUMBER, SK_JSON_STRING, SK_JSON_ARRAY,
    SK_JSON_OBJECT
} sk_json_kind;

typedef struct sk_json {
    sk_json_kind kind;
    double number;
    char *string;             /* SK_JSON_STRING (NUL-terminated, may not hold NUL) */
    struct sk_json *items;    /* array elements or object values */
    char **keys;              /* object keys */
    size_t n;                 /* elements or members */
    uint64_t line, column;    /* where the value starts */
} sk_json;

/* Parse text[length]; `source` names it in errors. Output: *root (free with sk_json_free). */
survkit_status sk_json_parse(const char *text, size_t length, const char *source, sk_json *root,
                             survkit_error *err);
void sk_json_free(sk_json *v);
/* The member `key` of an object, or NULL. */
const sk_json *sk_json_get(const sk_json *object, const char *key);

#endif
