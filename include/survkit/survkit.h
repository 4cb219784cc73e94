/*
 * survkit: survival analysis in C.
 *
 * libsurvkit reads delimited data into a column store (survkit_table), turns an R model formula
 * into a model frame (survkit_frame: response, design matrix, weights, offset, strata, clusters),
 * and fits Kaplan-Meier curves, log-rank tests and Cox proportional-hazards models whose numbers
 * equal R's `survival` package. Every estimator also has an entry point taking plain arrays, for
 * programs that already hold their data in memory.
 *
 * Conventions, for every function in this API:
 *  - Functions that can fail return a survkit_status (SURVKIT_OK = 0) and, when the caller passes a
 *    non-NULL survkit_error, fill it with a message and, where it applies, the line and column of
 *    the input (or the position in a formula). The library never prints, never exits, and keeps no
 *    global mutable state: different objects may be used from different threads at once.
 *  - Objects are opaque. Each `_create`/`_read`/`_fit` has a matching `_free` that accepts NULL.
 *  - Arrays returned by getters are owned by the object and live as long as it does.
 *  - Matrices are column-major (`X[i + j*n]` is row i, column j), ready for BLAS.
 *  - Missing values are NaN in double arrays.
 *
 * This header includes the per-module headers; include only <survkit/survkit.h>.
 */
#ifndef SURVKIT_SURVKIT_H
#define SURVKIT_SURVKIT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SURVKIT_VERSION_MAJOR 0
#define SURVKIT_VERSION_MINOR 1
#define SURVKIT_VERSION_PATCH 0
#define SURVKIT_VERSION_NUMBER \
    (SURVKIT_VERSION_MAJOR * 10000 + SURVKIT_VERSION_MINOR * 100 + SURVKIT_VERSION_PATCH)

/* Symbols are hidden by default (-fvisibility=hidden); the public API is marked with SURVKIT_API. */
#if defined(_WIN32) && defined(SURVKIT_BUILDING_SHARED)
#  define SURVKIT_API __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#  define SURVKIT_API __attribute__((visibility("default")))
#else
#  define SURVKIT_API
#endif

/* "MAJOR.MINOR.PATCH" of the library actually linked. */
SURVKIT_API const char *survkit_version_string(void);
/* SURVKIT_VERSION_NUMBER of the library actually linked. */
SURVKIT_API unsigned survkit_version_number(void);

typedef enum survkit_status {
    SURVKIT_OK = 0,
    SURVKIT_ERR_NOMEM,        /* an allocation failed or a size overflowed */
    SURVKIT_ERR_IO,           /* a file could not be opened, read or written */
    SURVKIT_ERR_PARSE,        /* malformed data file (line and column given) */
    SURVKIT_ERR_FORMULA,      /* malformed formula (position given) */
    SURVKIT_ERR_NOT_FOUND,    /* a named column does not exist */
    SURVKIT_ERR_TYPE,         /* a value or column of the wrong type for its role */
    SURVKIT_ERR_DOMAIN,       /* a value out of its domain: negative time, stop <= start, weight < 0 */
    SURVKIT_ERR_NO_DATA,      /* nothing left to analyse (no rows, no events where some are needed) */
    SURVKIT_ERR_ARGUMENT,     /* an invalid argument or option */
    SURVKIT_ERR_NUMERIC,      /* a numerical failure that leaves no usable result */
    SURVKIT_ERR_INTERNAL      /* a broken invariant: a bug in survkit */
} survkit_status;

/* A fixed English description of a status code; never NULL. */
SURVKIT_API const char *survkit_strerror(survkit_status status);

/*
 * Where and why an operation failed. Pass a pointer to one (or NULL) to any function that can fail.
 * `line` and `column` are 1-based positions in the data file (0 when not applicable); for a formula
 * error `column` is the 1-based character position in the formula text. `source` names the file
 * ("<stdin>" for standard input) or is empty.
 */
typedef struct survkit_error {
    survkit_status status;
    uint64_t line;
    uint64_t column;
    char source[256];
    char message[768];
} survkit_error;

/* Reset an error record to SURVKIT_OK with empty texts. */
SURVKIT_API void survkit_error_clear(survkit_error *err);

/*
 * Progress callback for long jobs: `stage` names the stage ("read", "fit", ...), `done` and `total`
 * count its work (total 0 when unknown), `value` carries a stage-specific number (the
 * log-likelihood for "fit"). Returning non-zero asks the library to stop early with
 * SURVKIT_ERR_ARGUMENT ("cancelled"). The callback runs on the calling thread.
 */
typedef int (*survkit_progress_fn)(void *user, const char *stage, uint64_t done, uint64_t total,
                                   double value);

#ifdef __cplusplus
}
#endif

#include "survkit/table.h"
#include "survkit/frame.h"
#include "survkit/km.h"
#include "survkit/logrank.h"
#include "survkit/cox.h"
#include "survkit/concordance.h"
#include "survkit/diagnostics.h"
#include "survkit/compete.h"

#include "survkit/glm.h"
#include "survkit/ipw.h"
#include "survkit/frailty.h"

#include "survkit/tvc.h"

#include "survkit/survreg.h"
#include "survkit/blas.h"

#endif /* SURVKIT_SURVKIT_H */
