/*
 * test_tvc.c: survSplit, tmerge and landmark data through the library API, against R
 * (tests/golden/make_golden_tvc.R). The tables survkit_table_split and survkit_tmerge build are
 * compared value by value with the CSVs R's survSplit and tmerge wrote (read back with survkit's
 * reader: numbers exactly, strings as text, NA as NA), independently of the CSV writer that
 * tests/cli/test_split_tmerge.sh checks byte for byte; the event-time quantile cuts against R's
 * quantile(); the landmark tables against R's subset(); and the errors' codes, lines and columns.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "golden.h"
#include "survkit/survkit.h"

static survkit_table *read_csv(const char *dir, const char *name)
{
    char path[4096];
    int length = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (length < 0 || (size_t)length >= sizeof path) fail_msg("path too long: %s/%s", dir, name);
    survkit_read_options opt;
    survkit_read_options_init(&opt);
    survkit_table *t = NULL;
    survkit_error err;
    if (survkit_table_read_file(path, &opt, &t, &err) != SURVKIT_OK) fail_msg("%s: %s", path, err.message);
    return t;
}

static survkit_table *read_dataset(const char *name) { return read_csv(datasets_dir(), name); }

static survkit_table *read_tvc(const char *name)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tvc", golden_dir());
    return read_csv(dir, name);
}

/* Every column and value of `actual` equals R's table `expected` (names, order, values). */
static void assert_tables_equal(const survkit_table *actual, const survkit_table *expected,
                                const char *what)
{
    size_t nc = survkit_table_n_columns(expected), n = survkit_table_n_rows(expected);
    if (survkit_table_n_columns(actual) != nc || survkit_table_n_rows(actual) != n)
        fail_msg("%s: %zu x %zu, R has %zu x %zu", what, survkit_table_n_rows(actual),
                 survkit_table_n_columns(actual), n, nc);
    for (size_t j = 0; j < nc; j++) {
        const char *name = survkit_table_column_name(expected, j);
        if (strcmp(survkit_table_column_name(actual, j), name) != 0)
            fail_msg("%s: column %zu is %s, R's is %s", what, j, survkit_table_column_name(actual, j), name);
        if (survkit_table_column_type(expected, j) == SURVKIT_COLUMN_NUMERIC) {
            /* a logical column R wrote as TRUE/FALSE is text to the reader: not in these files */
            assert_int_equal(survkit_table_column_type(actual, j), SURVKIT_COLUMN_NUMERIC);
            const double *a = survkit_table_numeric(actual, j), *e = survkit_table_numeric(expected, j);
            for (size_t i = 0; i < n; i++)
                if (!(a[i] == e[i] || (isnan(a[i]) && isnan(e[i]))) &&
                    !golden_close(a[i], e[i], 1e-14, 0)) /* R wrote 15 significant digits */
                    fail_msg("%s: %s row %zu is %.17g, R's %.17g", what, name, i + 1, a[i], e[i]);
            continue;
        }
        assert_int_equal(survkit_table_column_type(actual, j), SURVKIT_COLUMN_STRING);
        const int32_t *a = survkit_table_codes(actual, j), *e = survkit_table_codes(expected, j);
        for (size_t i = 0; i < n; i++) {
            if (a[i] < 0 || e[i] < 0) {
                if ((a[i] < 0) != (e[i] < 0)) fail_msg("%s: %s row %zu: NA on one side only", what, name, i + 1);
                continue;
            }
            const char *sa = survkit_table_level(actual, j, (size_t)a[i]);
            const char *se = survkit_table_level(expected, j, (size_t)e[i]);
            if (strcmp(sa, se) != 0) fail_msg("%s: %s row %zu is '%s', R's '%s'", what, name, i + 1, sa, se);
        }
    }
}

static void check_split(const char *data_dir, const char *input, const char *formula,
                        const double *cuts, size_t n_cuts, const char *golden_name)
{
    survkit_table *in = read_csv(data_dir, input), *want = read_tvc(golden_name), *got = NULL;
    survkit_split_columns made;
    survkit_error err;
    if (survkit_table_split(in, formula, cuts, n_cuts, NULL, &got, &made, &err) != SURVKIT_OK)
        fail_msg("%s: %s", golden_name, err.message);
    assert_tables_equal(got, want, golden_name);
    /* survSplit appends tstart, the stop time, the status and the episode in that order */
    size_t nc = survkit_table_n_columns(got);
    assert_int_equal(made.start, nc - 4);
    assert_int_equal(made.episode, nc - 1);
    /* split in blocks of 5 input rows: the blocks, one after the other, are R's rows */
    survkit_split_options opt;
    survkit_split_options_init(&opt);
    opt.n_rows = 5;
    size_t done = 0;
    for (opt.first_row = 0; opt.first_row < survkit_table_n_rows(in); opt.first_row += 5) {
        survkit_table *block = NULL;
        if (survkit_table_split(in, formula, cuts, n_cuts, &opt, &block, &made, &err) != SURVKIT_OK)
            fail_msg("%s block at %zu: %s", golden_name, opt.first_row, err.message);
        const double *a = survkit_table_numeric(block, made.stop);
        const double *e = survkit_table_numeric(want, made.stop);
        for (size_t i = 0; i < survkit_table_n_rows(block); i++)
            assert_true(a[i] == e[done + i] || (isnan(a[i]) && isnan(e[done + i])));
        done += survkit_table_n_rows(block);
        survkit_table_free(block);
    }
    assert_int_equal(done, survkit_table_n_rows(want));
    survkit_table_free(in);
    survkit_table_free(want);
    survkit_table_free(got);
}

/* survSplit(FORMULA, data, cut, episode = "episode", start = "tstart") as in make_golden_tvc.R. */
static void test_split_matches_r(void **state)
{
    (void)state;
    char input_dir[1024];
    snprintf(input_dir, sizeof input_dir, "%s/tvc/input", golden_dir());
    const double vet[] = {180, 30, 90, 30}, lung[] = {100, 200.5, 365, 730}, aml[] = {12, 5, 28};
    const double edge[] = {60, 30, 45.5, 1e6, -5}, counting[] = {50, 10, 30}, bladder[] = {5, 10, 20};
    check_split(datasets_dir(), "veteran.csv", "Surv(time, status) ~ .", vet, 4, "split_veteran.csv");
    check_split(datasets_dir(), "lung.csv", "Surv(time, status) ~ .", lung, 4, "split_lung.csv");
    check_split(datasets_dir(), "aml.csv", "Surv(time, status) ~ x", aml, 3, "split_aml_rhs.csv");
    check_split(input_dir, "split_edge.csv", "Surv(time, status) ~ .", edge, 5, "split_edge.csv");
    check_split(input_dir, "split_counting.csv", "Surv(start, stop, event) ~ .", counting, 3,
                "split_counting.csv");
    const double numbers[] = {100.5, 200};
    check_split(input_dir, "split_numbers.csv", "Surv(time, status) ~ .", numbers, 2, "split_numbers.csv");
    check_split(datasets_dir(), "bladder2.csv", "Surv(start, stop, event) ~ .", bladder, 3,
                "split_bladder2.csv");
}

/* R: quantile(time[status == event], probs = (1:(k-1))/k), type 7 (tests/golden/tvc/numbers.txt). */
static void test_event_quantiles(void **state)
{
    (void)state;
    golden *g = golden_load("tvc/numbers.txt");
    survkit_table *vet = read_dataset("veteran.csv"), *lung = read_dataset("lung.csv");
    const struct { survkit_table *t; size_t k; const char *key; } cases[] = {
        {vet, 4, "veteran_q4"}, {lung, 5, "lung_q5"}, {lung, 7, "lung_q7"}};
    for (size_t c = 0; c < 3; c++) {
        double *cuts = NULL;
        size_t n = 0;
        survkit_error err;
        assert_int_equal(survkit_split_event_quantiles(cases[c].t, "Surv(time, status) ~ .", cases[c].k,
                                                       &cuts, &n, &err), SURVKIT_OK);
        assert_int_equal(n, golden_length(g, cases[c].key));
        assert_numbers_close(cuts, golden_numbers(g, cases[c].key), n, 1e-15, 0, cases[c].key);
        free(cuts);
    }
    double *cuts = NULL;
    size_t n = 0;
    survkit_error err;
    assert_int_equal(survkit_split_event_quantiles(vet, "Surv(time, status) ~ .", 1, &cuts, &n, &err),
                     SURVKIT_ERR_ARGUMENT);
    survkit_table_free(vet);
    survkit_table_free(lung);
    golden_free(g);
}

typedef struct tm_step {
    survkit_tmerge_kind kind;
    const char *name, *file, *time, *value;
} tm_step;

static survkit_tmerge *run_tmerge(const survkit_table *base, const tm_step *steps, size_t n_steps)
{
    survkit_tmerge *tm = NULL;
    survkit_error err;
    if (survkit_tmerge_create(base, "id", "futime", &tm, &err) != SURVKIT_OK) fail_msg("%s", err.message);
    for (size_t k = 0; k < n_steps; k++) {
        char name[256];
        snprintf(name, sizeof name, "input/%s", steps[k].file);
        survkit_table *events = read_tvc(name);
        if (survkit_tmerge_add(tm, steps[k].kind, steps[k].name, events, steps[k].time, steps[k].value,
                               &err) != SURVKIT_OK)
            fail_msg("%s: %s", steps[k].name, err.message);
        survkit_table_free(events);
    }
    return tm;
}

/*
 * The base (R's order: ids not sorted) streamed `block_rows` rows at a time: each block merged
 * alone with the events of its ids (survkit_tmerge_events, indexed once) gives the whole result's
 * rows of those ids, in place; the ids seen are new in every block.
 */
static void check_tmerge_blocks(const survkit_tmerge *whole, const tm_step *steps, size_t n_steps,
                                size_t block_rows)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tvc/input/tm_base.csv", golden_dir());
    survkit_read_options opt;
    survkit_read_options_init(&opt);
    survkit_error err;
    survkit_table_reader *rd = NULL;
    if (survkit_table_reader_open(path, &opt, block_rows, &rd, &err) != SURVKIT_OK) fail_msg("%s", err.message);
    survkit_table *events[8] = {0};
    survkit_tmerge_events *index[8] = {0};
    survkit_id_set *seen = NULL;
    assert_int_equal(survkit_id_set_create(&seen, &err), SURVKIT_OK);
    size_t done = 0, n_blocks = 0, taken[8] = {0};
    for (;;) {
        survkit_table *block = NULL;
        assert_int_equal(survkit_table_reader_next(rd, &block, &err), SURVKIT_OK);
        if (block == NULL) break;
        n_blocks++;
        int repeated = 1;
        assert_int_equal(survkit_id_set_add(seen, block, "id", &repeated, &err), SURVKIT_OK);
        assert_int_equal(repeated, 0);
        survkit_tmerge *tm = NULL;
        assert_int_equal(survkit_tmerge_create(block, "id", "futime", &tm, &err), SURVKIT_OK);
        survkit_tmerge_set_block(tm, 1);
        for (size_t k = 0; k < n_steps; k++) {
            char name[256];
            snprintf(name, sizeof name, "input/%s", steps[k].file);
            if (events[k] == NULL) {
                events[k] = read_tvc(name);
                assert_int_equal(survkit_tmerge_events_create(events[k], "id", 0, &index[k], &err), SURVKIT_OK);
            }
            survkit_table *mine = NULL;
            assert_int_equal(survkit_tmerge_events_rows(index[k], block, "id", &mine, &err), SURVKIT_OK);
            assert_true(survkit_table_n_rows(mine) <= survkit_table_n_rows(events[k]));
            if (survkit_tmerge_add(tm, steps[k].kind, steps[k].name, mine, steps[k].time, steps[k].value,
                                   &err) != SURVKIT_OK)
                fail_msg("block %zu, %s: %s", n_blocks, steps[k].name, err.message);
            assert_int_equal(survkit_tmerge_n_unknown_ids(tm), 0); /* only the block's ids were given */
            taken[k] += survkit_table_n_rows(mine);
            survkit_table_free(mine);
        }
        survkit_table *got = NULL, *want = NULL;
        assert_int_equal(survkit_tmerge_table(tm, &got, &err), SURVKIT_OK);
        assert_int_equal(survkit_tmerge_table_rows(whole, done, survkit_table_n_rows(got), &want, &err), SURVKIT_OK);
        assert_tables_equal(got, want, "a block");
        done += survkit_table_n_rows(got);
        survkit_table_free(got);
        survkit_table_free(want);
        survkit_tmerge_free(tm);
        survkit_table_free(block);
    }
    assert_int_equal(done, survkit_tmerge_n_rows(whole));
    assert_true(n_blocks >= 5 / block_rows);
    /* the event rows no block took are those whose id is not in the base (the whole call's count) */
    if (n_steps > 0)
        assert_int_equal(survkit_table_n_rows(events[n_steps - 1]) - taken[n_steps - 1],
                         survkit_tmerge_n_unknown_ids(whole));
    /* a base id met again in a later block is a repeat */
    survkit_table_reader_rewind(rd);
    survkit_table *again = NULL;
    assert_int_equal(survkit_table_reader_next(rd, &again, &err), SURVKIT_OK);
    int repeated = 0;
    assert_int_equal(survkit_id_set_add(seen, again, "id", &repeated, &err), SURVKIT_OK);
    assert_int_equal(repeated, 1);
    survkit_table_free(again);
    for (size_t k = 0; k < n_steps; k++) {
        survkit_tmerge_events_free(index[k]);
        survkit_table_free(events[k]);
    }
    survkit_id_set_free(seen);
    survkit_table_reader_close(rd);
}

static void check_tmerge(const survkit_table *base, const tm_step *steps, size_t n_steps,
                         const char *golden_name)
{
    survkit_tmerge *tm = run_tmerge(base, steps, n_steps);
    survkit_table *got = NULL, *want = read_tvc(golden_name);
    survkit_error err;
    assert_int_equal(survkit_tmerge_table(tm, &got, &err), SURVKIT_OK);
    assert_int_equal(survkit_tmerge_n_rows(tm), survkit_table_n_rows(want));
    assert_tables_equal(got, want, golden_name);
    /* a block of rows is those rows of the whole */
    size_t n = survkit_tmerge_n_rows(tm), first = n / 3;
    survkit_table *block = NULL;
    assert_int_equal(survkit_tmerge_table_rows(tm, first, 2, &block, &err), SURVKIT_OK);
    assert_int_equal(survkit_table_n_rows(block), n - first < 2 ? n - first : 2);
    assert_int_equal(survkit_table_n_columns(block), survkit_table_n_columns(want));
    const double *whole = survkit_table_numeric(got, (size_t)survkit_table_find(got, "tstop"));
    const double *part = survkit_table_numeric(block, (size_t)survkit_table_find(block, "tstop"));
    for (size_t i = 0; i < survkit_table_n_rows(block); i++) assert_true(part[i] == whole[first + i]);
    survkit_table_free(block);
    survkit_table_free(got);
    survkit_table_free(want);
    check_tmerge_blocks(tm, steps, n_steps, 1);
    check_tmerge_blocks(tm, steps, n_steps, 2);
    survkit_tmerge_free(tm);
}

/* tmerge(base, base, id = id, tstop = futime), then one call per step, as make_golden_tvc.R. */
static void test_tmerge_matches_r(void **state)
{
    (void)state;
    survkit_table *base = read_tvc("input/tm_base.csv");
    const tm_step event = {SURVKIT_TMERGE_EVENT, "ev", "tm_events.csv", "day", NULL};
    const tm_step event_value = {SURVKIT_TMERGE_EVENT, "ev", "tm_events.csv", "day", "dose"};
    const tm_step cumevent = {SURVKIT_TMERGE_CUMEVENT, "nev", "tm_events.csv", "day", NULL};
    const tm_step tdc = {SURVKIT_TMERGE_TDC, "treated", "tm_events.csv", "day", NULL};
    const tm_step tdc_value = {SURVKIT_TMERGE_TDC, "dose", "tm_events.csv", "day", "dose"};
    const tm_step cumtdc = {SURVKIT_TMERGE_CUMTDC, "total", "tm_events.csv", "day", "dose"};
    const tm_step place = {SURVKIT_TMERGE_TDC, "place", "tm_visits.csv", "vday", "place"};
    check_tmerge(base, NULL, 0, "tmerge_base.csv");
    check_tmerge(base, &event, 1, "tmerge_event.csv");
    check_tmerge(base, &event_value, 1, "tmerge_event_value.csv");
    check_tmerge(base, &cumevent, 1, "tmerge_cumevent.csv");
    check_tmerge(base, &tdc, 1, "tmerge_tdc.csv");
    check_tmerge(base, &tdc_value, 1, "tmerge_tdc_value.csv");
    check_tmerge(base, &cumtdc, 1, "tmerge_cumtdc.csv");
    check_tmerge(base, &place, 1, "tmerge_tdc_string.csv");
    const tm_step chain[] = {
        place, event, cumtdc, {SURVKIT_TMERGE_TDC, "visited", "tm_visits.csv", "vday", NULL}, cumevent,
        {SURVKIT_TMERGE_TDC, "visited", "tm_events.csv", "day", NULL}};
    check_tmerge(base, chain, 6, "tmerge_chain.csv");
    /* the event row of id 42 (not in the base) is ignored and counted, with a warning */
    survkit_tmerge *tm = run_tmerge(base, &event, 1);
    assert_int_equal(survkit_tmerge_n_unknown_ids(tm), 1);
    assert_int_equal(survkit_tmerge_n_warnings(tm), 1);
    assert_non_null(strstr(survkit_tmerge_warning(tm, 0), "not in the base"));
    survkit_tmerge_free(tm);
    survkit_table_free(base);
}

/* R: subset(d, time > L) with time - L; for (start, stop] rows also pmax(start, L) - L. */
static void test_landmark(void **state)
{
    (void)state;
    golden *g = golden_load("tvc/numbers.txt");
    survkit_table *lung = read_dataset("lung.csv"), *bladder = read_dataset("bladder2.csv"), *out = NULL;
    survkit_error err;
    assert_int_equal(survkit_table_landmark(lung, "Surv(time, status) ~ age", 100, &out, &err), SURVKIT_OK);
    size_t n = survkit_table_n_rows(out);
    assert_int_equal(n, (size_t)golden_number(g, "lung_landmark_100_n"));
    const double *time = survkit_table_numeric(out, (size_t)survkit_table_find(out, "time"));
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += time[i];
    assert_number_close(sum, golden_number(g, "lung_landmark_100_time_sum"), 1e-15, 0, "lung time sum");
    survkit_table_free(out);
    assert_int_equal(survkit_table_landmark(bladder, "Surv(start, stop, event) ~ rx", 10, &out, &err),
                     SURVKIT_OK);
    n = survkit_table_n_rows(out);
    assert_int_equal(n, (size_t)golden_number(g, "bladder2_landmark_10_n"));
    const double *start = survkit_table_numeric(out, (size_t)survkit_table_find(out, "start"));
    sum = 0;
    for (size_t i = 0; i < n; i++) sum += start[i];
    assert_number_close(sum, golden_number(g, "bladder2_landmark_10_start_sum"), 1e-15, 0, "start sum");
    survkit_table_free(out);
    /* nothing at risk, and times that are not columns */
    assert_int_equal(survkit_table_landmark(lung, "Surv(time, status) ~ age", 1e6, &out, &err),
                     SURVKIT_ERR_NO_DATA);
    assert_true(out == NULL);
    assert_int_equal(survkit_table_landmark(lung, "Surv(time / 7, status) ~ age", 10, &out, &err),
                     SURVKIT_ERR_FORMULA);
    assert_int_equal(err.column, 6);
    survkit_table_free(lung);
    survkit_table_free(bladder);
    golden_free(g);
}

/* Bad input: the status, the row (err->line = row + 2) and the column, as the CLI reports them. */
static void test_errors(void **state)
{
    (void)state;
    survkit_table *t = NULL, *out = NULL;
    survkit_error err;
    const double one = 1;
    assert_int_equal(survkit_table_create(3, &t, &err), SURVKIT_OK);
    const double time[] = {5, 0, 2}, status[] = {1, 0, 1}, id[] = {1, 2, 1};
    survkit_table_add_numeric(t, "time", time, &err);
    survkit_table_add_numeric(t, "status", status, &err);
    survkit_table_add_numeric(t, "id", id, &err);
    /* survSplit: every time must exceed zero */
    assert_int_equal(survkit_table_split(t, "Surv(time, status) ~ .", &one, 1, NULL, &out, NULL, &err),
                     SURVKIT_ERR_DOMAIN);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 1);
    assert_true(out == NULL);
    const double inf = INFINITY;
    assert_int_equal(survkit_table_split(t, "Surv(time, status) ~ .", &inf, 1, NULL, &out, NULL, &err),
                     SURVKIT_ERR_ARGUMENT);
    assert_int_equal(survkit_table_split(t, "Surv(time, status) ~ log(id)", &one, 1, NULL, &out, NULL, &err),
                     SURVKIT_ERR_FORMULA);
    assert_int_equal(err.column, 22); /* the log( call */
    /* tmerge: a repeated id (line 4 repeats line 2's id 1), a follow-up end of 0 (line 3) */
    survkit_tmerge *tm = NULL;
    assert_int_equal(survkit_tmerge_create(t, "id", "time", &tm, &err), SURVKIT_ERR_DOMAIN);
    assert_int_equal(err.line, 4);
    assert_int_equal(err.column, 3);
    assert_true(tm == NULL);
    const double ids2[] = {1, 2, 3}, fine[] = {5, 4, 2};
    survkit_table *u = NULL;
    survkit_table_create(3, &u, &err);
    survkit_table_add_numeric(u, "id", ids2, &err);
    survkit_table_add_numeric(u, "futime", time, &err);
    assert_int_equal(survkit_tmerge_create(u, "id", "futime", &tm, &err), SURVKIT_ERR_DOMAIN);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 2);
    assert_int_equal(survkit_tmerge_create(u, "nosuch", "futime", &tm, &err), SURVKIT_ERR_NOT_FOUND);
    assert_true(tm == NULL);
    /* an event file without the time column, and a text time */
    survkit_table *v = NULL;
    survkit_table_create(3, &v, &err);
    survkit_table_add_numeric(v, "id", ids2, &err);
    survkit_table_add_numeric(v, "futime", fine, &err);
    assert_int_equal(survkit_tmerge_create(v, "id", "futime", &tm, &err), SURVKIT_OK);
    assert_int_equal(survkit_tmerge_add(tm, SURVKIT_TMERGE_EVENT, "e", v, "day", NULL, &err),
                     SURVKIT_ERR_NOT_FOUND);
    survkit_table *w = NULL;
    const char *text[] = {"3", "x", "4"};
    survkit_table_create(3, &w, &err);
    survkit_table_add_numeric(w, "id", ids2, &err);
    survkit_table_add_string(w, "day", text, &err);
    assert_int_equal(survkit_tmerge_add(tm, SURVKIT_TMERGE_EVENT, "e", w, "day", NULL, &err),
                     SURVKIT_ERR_TYPE);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 2);
    survkit_tmerge_free(tm);
    survkit_table_free(t);
    survkit_table_free(u);
    survkit_table_free(v);
    survkit_table_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_matches_r),
        cmocka_unit_test(test_event_quantiles),
        cmocka_unit_test(test_tmerge_matches_r),
        cmocka_unit_test(test_landmark),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
