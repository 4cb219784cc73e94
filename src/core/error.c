/* error.c: status codes, their fixed messages, and filling a caller's survkit_error. */
#include "core/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *survkit_strerror(survkit_status status)
{
    switch (status) {
    case SURVKIT_OK: return "success";
    case SURVKIT_ERR_NOMEM: return "out of memory";
    case SURVKIT_ERR_IO: return "input/output error";
    case SURVKIT_ERR_PARSE: return "malformed data";
    case SURVKIT_ERR_FORMULA: return "malformed formula";
    case SURVKIT_ERR_NOT_FOUND: return "no such column";
    case SURVKIT_ERR_TYPE: return "value of the wrong type";
    case SURVKIT_ERR_DOMAIN: return "value out of its domain";
    case SURVKIT_ERR_NO_DATA: return "no data to analyse";
    case SURVKIT_ERR_ARGUMENT: return "invalid argument";
    case SURVKIT_ERR_NUMERIC: return "numerical failure";
    case SURVKIT_ERR_INTERNAL: return "internal error";
    }
    return "unknown status";
}

void survkit_error_clear(survkit_error *err)
{
    if (err == NULL) return;
    memset(err, 0, sizeof *err);
    err->status = SURVKIT_OK;
}

survkit_status sk_error_set(survkit_error *err, survkit_status status, const char *source,
                            uint64_t line, uint64_t column, const char *fmt, ...)
{
    if (err == NULL) return status;
    err->status = status;
    err->line = line;
    err->column = column;
    if (source != NULL) snprintf(err->source, sizeof err->source, "%s", source);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}
