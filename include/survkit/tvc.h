/*
 * survkit/tvc.h: data with time-varying covariates, as R's survSplit and tmerge build it.
 *
 * Both tools take tables and return a new table of (start, stop] rows; they compute nothing else.
 * survkit_table_split cuts each row's follow-up at given times (R's survSplit); survkit_tmerge
 * builds rows per subject from a base table (one row per id, its follow-up end) and tables of
 * dated events, one R tmerge() call at a time. Rows and columns come out in R's order.
 * Include <survkit/survkit.h>, not this file.
 */
#ifndef SURVKIT_TVC_H
#define SURVKIT_TVC_H

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- survSplit */

/* Options for survkit_table_split. Initialise with survkit_split_options_init(). */
typedef struct survkit_split_options {
    const char *start_name;   /* name of the start column R adds (default "tstart") */
    const char *episode_name; /* name of the episode column (default "episode"); NULL for none */
    double zero;              /* start of follow-up for Surv(time, status) (default 0) */
    size_t first_row;         /* split only rows first_row .. first_row + n_rows - 1 of the data */
    size_t n_rows;            /* (defaults 0 and SIZE_MAX: all), so that a large table can be split
                                 and written a block at a time; Surv()'s coding is still decided
                                 over every row, as R's Surv() sees the whole column */
    const struct survkit_split_coding *coding; /* NULL (default): Surv()'s status coding is decided
                                 over `data`; else as survkit_split_coding_scan found it over every
                                 block of the data, for data read a block at a time */
} survkit_split_options;

/*
 * Data split a block at a time (survkit_table_reader): R's Surv() decides whether a status is
 * coded 0/1 or 1/2 over the whole column, so a first pass over the blocks gathers what decides it.
 * Initialise with survkit_split_coding_init, call survkit_split_coding_scan on every block in
 * order (it also makes the formula checks survkit_table_split makes), then
 * survkit_split_coding_check, which gives the error R's coding gives (err->line = the row in the
 * whole data + 2), and pass it in survkit_split_options.coding for each block.
 */
typedef struct survkit_split_coding {
    size_t n_rows;                 /* rows scanned */
    size_t first_zero, first_two;  /* first rows (of the whole data) with status 0 and 2, or SIZE_MAX */
    size_t first_bad;              /* first row with a status not 0, 1 or 2, or SIZE_MAX */
    double bad_value;
    size_t status_column;          /* the status's column + 1 when it is a column, else 0 */
    int logical;                   /* the status is logical (TRUE = event) */
} survkit_split_coding;

SURVKIT_API void survkit_split_coding_init(survkit_split_coding *coding);
SURVKIT_API survkit_status survkit_split_coding_scan(const survkit_table *block, const char *formula,
                                                     survkit_split_coding *coding, survkit_error *err);
SURVKIT_API survkit_status survkit_split_coding_check(const survkit_split_coding *coding,
                                                      survkit_error *err);

SURVKIT_API void survkit_split_options_init(survkit_split_options *opt);

/* Which columns of a split table survSplit made (SIZE_MAX when absent), as R's types: all four are
 * doubles in R, whatever the input columns were. */
typedef struct survkit_split_columns {
    size_t start, stop, event, episode;
} survkit_split_columns;

/*
 * R's survSplit(formula, data, cut, start = opt->start_name, episode = opt->episode_name, zero).
 * `formula` is `Surv(time, status) ~ RHS` or `Surv(start, stop, status) ~ RHS` whose Surv()
 * arguments are column names or expressions over columns; RHS is `.` (every column not used in
 * Surv()) or column names joined by `+`. cuts[n_cuts] in any order (sorted, duplicates dropped).
 * Each row whose interval (start, stop] holds cut points strictly inside is cut there; the pieces
 * keep the row's columns, the event stays on the last piece (0 on the others), and `episode` is
 * 1 + the number of cut points at or before the piece's start. Columns: the kept columns in the
 * table's order, then start, stop (named after Surv()'s argument when it is a column, else
 * "tstop"), status (likewise, else "event"), episode. A missing time leaves its row uncut (episode
 * 2, as R's C code does). Errors: SURVKIT_ERR_DOMAIN for a time <= zero or start >= stop (naming
 * the row), a non-finite cut (SURVKIT_ERR_ARGUMENT), and the formula errors of survkit_frame_build.
 * `columns` (may be NULL) receives the positions of the made columns.
 */
SURVKIT_API survkit_status survkit_table_split(const survkit_table *data, const char *formula,
                                               const double *cuts, size_t n_cuts,
                                               const survkit_split_options *opt,
                                               survkit_table **out, survkit_split_columns *columns,
                                               survkit_error *err);

/*
 * Cut points for piecewise-constant hazards: R's quantile(time[status == 1], (1:(k-1))/k) (type
 * 7) of the event times of `formula`'s response (the stop times for counting-process data), with
 * duplicates kept (survkit_table_split drops them). k >= 2. Outputs *cuts (malloc'd, free it)
 * and *n_cuts = k - 1. SURVKIT_ERR_NO_DATA when there is no event.
 */
SURVKIT_API survkit_status survkit_split_event_quantiles(const survkit_table *data,
                                                         const char *formula, size_t k,
                                                         double **cuts, size_t *n_cuts,
                                                         survkit_error *err);

/*
 * A landmark data set (cox --landmark): the rows still at risk at time `at`, times measured from
 * it. Surv(time, status): rows with time > at, time - at. Surv(start, stop, status): rows with
 * stop > at, max(start, at) - at and stop - at. The times in Surv() must be columns. Other columns
 * are copied. SURVKIT_ERR_NO_DATA when no row is left.
 */
SURVKIT_API survkit_status survkit_table_landmark(const survkit_table *data, const char *formula,
                                                  double at, survkit_table **out,
                                                  survkit_error *err);

/* ---------------------------------------------------------------- tmerge */

typedef struct survkit_tmerge_s survkit_tmerge;

typedef enum survkit_tmerge_kind {
    SURVKIT_TMERGE_EVENT = 0,    /* event(time[, value]): value (default 1) on the row ending at time */
    SURVKIT_TMERGE_CUMEVENT = 1, /* cumevent(time): the running count of the id's events */
    SURVKIT_TMERGE_TDC = 2,      /* tdc(time[, value]): value from time on (0/1 without a value) */
    SURVKIT_TMERGE_CUMTDC = 3    /* cumtdc(time, value): running sum of the values from time on */
} survkit_tmerge_kind;

/*
 * The first call, R's tmerge(base, base, id = ID, tstop = STOP): one row (0, STOP] per base row,
 * the base's columns followed by "tstart" and "tstop". Errors: an unknown column
 * (SURVKIT_ERR_NOT_FOUND), a duplicated or missing id, a missing or text stop, a stop <= 0
 * (SURVKIT_ERR_DOMAIN, naming the row: err->line = row + 2, err->column the column + 1).
 * The base table must outlive the object.
 */
SURVKIT_API survkit_status survkit_tmerge_create(const survkit_table *base, const char *id,
                                                 const char *stop, survkit_tmerge **out,
                                                 survkit_error *err);
SURVKIT_API void survkit_tmerge_free(survkit_tmerge *tm);

/*
 * One further call, R's tmerge(tm, events, id = ID, NAME = KIND(TIME[, VALUE])): `events` has the
 * id column (same name as in the base), the time column and, if given, the value column (numeric;
 * for SURVKIT_TMERGE_TDC also text). Rows whose id is not in the base are ignored and counted
 * (survkit_tmerge_n_unknown_ids), as are rows with a missing time or value. Events inside a row's
 * interval split it there; events before follow-up, at its start or after its end are kept or
 * dropped as R keeps or drops them. Errors name the events table's row and column (err->line,
 * err->column; err->source left for the caller).
 */
SURVKIT_API survkit_status survkit_tmerge_add(survkit_tmerge *tm, survkit_tmerge_kind kind,
                                              const char *name, const survkit_table *events,
                                              const char *time, const char *value,
                                              survkit_error *err);
/* Rows of the events table of the last survkit_tmerge_add whose id is not in the base. */
SURVKIT_API size_t survkit_tmerge_n_unknown_ids(const survkit_tmerge *tm);
/* Rows of the events table of the last survkit_tmerge_add that were used: id in the base, time
 * (and value) not missing. */
SURVKIT_API size_t survkit_tmerge_n_used(const survkit_tmerge *tm);
/*
 * For a caller that streams the base (survkit_table_reader): `base` is one block of a larger base.
 * Then a call that finds no usable event for this block's ids is not an error, and event ids not
 * in the block give no warning: both are R's checks over the whole base, which the caller makes
 * from survkit_tmerge_n_used and survkit_tmerge_n_unknown_ids summed over the blocks (the ids must
 * be distinct across blocks too, as R's first call requires), with the message below.
 */
SURVKIT_API void survkit_tmerge_set_block(survkit_tmerge *tm, int block);
/* The warning for n_unknown event rows of variable `name` whose id is not in the base. */
SURVKIT_API void survkit_tmerge_unknown_message(char *buf, size_t size, size_t n_unknown,
                                                const char *name);
/* Warnings so far, as R gives them (e.g. "replacement of variable 'x'"), and the ignored ids. */
SURVKIT_API size_t survkit_tmerge_n_warnings(const survkit_tmerge *tm);
SURVKIT_API const char *survkit_tmerge_warning(const survkit_tmerge *tm, size_t k);
/* Number of (tstart, tstop] rows so far. */
SURVKIT_API size_t survkit_tmerge_n_rows(const survkit_tmerge *tm);

/* The rows as a new table: the base's columns, tstart, tstop, then each added variable. */
SURVKIT_API survkit_status survkit_tmerge_table(const survkit_tmerge *tm, survkit_table **out,
                                                survkit_error *err);
/* Rows first .. first + n - 1 only (clipped to the rows there are), to write a large result a
 * block at a time. */
SURVKIT_API survkit_status survkit_tmerge_table_rows(const survkit_tmerge *tm, size_t first,
                                                     size_t n, survkit_table **out,
                                                     survkit_error *err);

/* ---------------------------------------------------------------- tmerge over a streamed base */

/*
 * An events table indexed by id once, for a caller that merges the base a block at a time in any
 * id order: survkit_tmerge_events_rows gives the events of one block's ids (all columns, each id's
 * rows in file order), to pass to survkit_tmerge_add for that block (in block mode) instead of the
 * whole events table. `text_ids`: the base ids are text (the events' ids are then compared as R's
 * match() does, as text). A missing event id is SURVKIT_ERR_DOMAIN (err->line). `events` is
 * borrowed: it must outlive the index.
 */
typedef struct survkit_tmerge_events_s survkit_tmerge_events;
SURVKIT_API survkit_status survkit_tmerge_events_create(const survkit_table *events, const char *id,
                                                        int text_ids, survkit_tmerge_events **out,
                                                        survkit_error *err);
SURVKIT_API survkit_status survkit_tmerge_events_rows(const survkit_tmerge_events *x,
                                                      const survkit_table *block, const char *id,
                                                      survkit_table **out, survkit_error *err);
SURVKIT_API void survkit_tmerge_events_free(survkit_tmerge_events *x);

/* The base ids seen so far across blocks: survkit_id_set_add sets *repeated when an id of column
 * `id` of `block` is missing or was seen before (R's first tmerge call forbids both). */
typedef struct survkit_id_set_s survkit_id_set;
SURVKIT_API survkit_status survkit_id_set_create(survkit_id_set **out, survkit_error *err);
SURVKIT_API survkit_status survkit_id_set_add(survkit_id_set *s, const survkit_table *block,
                                              const char *id, int *repeated, survkit_error *err);
SURVKIT_API void survkit_id_set_free(survkit_id_set *s);

#ifdef __cplusplus
}
#endif

#endif /* SURVKIT_TVC_H */
