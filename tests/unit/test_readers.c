/*
 * test_readers.c: SPSS, Stata and SAS files (through ReadStat) and gzip/zstd-compressed CSV, read
 * with survkit_table_read_file and fitted, against R. Every fixture in tests/data/readers/ was
 * written by haven or gzip/zstd (tests/data/readers/make_readers_data.R); every expected value in
 * tests/golden/readers/ comes from R reading the same file (tests/golden/make_golden_readers.R):
 * haven's read_sav/read_dta/read_xpt/read_sas with droplevels(as_factor(x)) for labelled columns and
 * as.numeric for dates, then coxph and survfit; read.csv(gzfile(...)) for the compressed CSV. The
 * column values, factor levels and codes, missing counts and variable labels are compared exactly
 * (dates to 1e-15 relative), the fits at 1e-9 relative. Then the failures: truncated, corrupt and
 * mislabelled files, each an error naming the file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <unistd.h>

#include <cmocka.h>
#include <readstat.h>

#include "golden.h"
#include "survkit/survkit.h"

#define REL 1e-9
#define FIXTURES SURVKIT_GOLDEN_DIR "/../data/readers/"

static survkit_table *read_ok(const char *file, int value_labels)
{
    char path[512];
    snprintf(path, sizeof path, "%s%s", FIXTURES, file);
    survkit_read_options opt;
    survkit_read_options_init(&opt);
    opt.value_labels = value_labels;
    survkit_table *t = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_table_read_file(path, &opt, &t, &err) != SURVKIT_OK)
        fail_msg("%s: %s: %s", file, err.source, err.message);
    return t;
}

/* The columns as R's haven saw them: names, classes, missing counts, labels, levels and values. */
static void check_columns(const survkit_table *t, const golden *g)
{
    size_t n = (size_t)golden_number(g, "n_rows"), p = golden_length(g, "names");
    assert_int_equal(survkit_table_n_rows(t), n);
    assert_int_equal(survkit_table_n_columns(t), p);
    for (size_t j = 0; j < p; j++) {
        const char *name = golden_string(g, "names", j), *class = golden_string(g, "class", j);
        assert_string_equal(survkit_table_column_name(t, j), name);
        const char *label = golden_string(g, "label", j), *have = survkit_table_column_label(t, j);
        if (strcmp(label, "NA") == 0) assert_null(have);
        else assert_string_equal(have, label);
        assert_int_equal(survkit_table_n_missing(t, j), (size_t)golden_numbers(g, "missing")[j]);
        char key[128];
        if (strcmp(class, "factor") == 0) {
            assert_int_equal(survkit_table_column_type(t, j), SURVKIT_COLUMN_STRING);
            assert_true(survkit_table_is_factor(t, j));
            snprintf(key, sizeof key, "%s@levels", name);
            assert_int_equal(survkit_table_n_levels(t, j), golden_length(g, key));
            for (size_t k = 0; k < golden_length(g, key); k++)
                assert_string_equal(survkit_table_level(t, j, k), golden_string(g, key, k));
            snprintf(key, sizeof key, "%s@codes", name);
            const double *codes = golden_numbers(g, key);
            for (size_t i = 0; i < n; i++) assert_int_equal(survkit_table_codes(t, j)[i], (int32_t)codes[i]);
        } else if (strcmp(class, "character") == 0) {
            assert_int_equal(survkit_table_column_type(t, j), SURVKIT_COLUMN_STRING);
            assert_false(survkit_table_is_factor(t, j));
        } else {
            assert_int_equal(survkit_table_column_type(t, j), SURVKIT_COLUMN_NUMERIC);
            snprintf(key, sizeof key, "%s@values", name);
            assert_numbers_close(survkit_table_numeric(t, j), golden_numbers(g, key), n, 1e-15, 0, key);
        }
    }
}

static void check_cox(const survkit_table *t, const golden *g, const char *formula)
{
    survkit_frame_options fopt;
    survkit_frame_options_init(&fopt);
    fopt.groups = 0;
    survkit_frame *frame = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_frame_build(t, formula, &fopt, &frame, &err) != SURVKIT_OK) fail_msg("frame: %s", err.message);
    survkit_cox_result *r = NULL;
    if (survkit_cox_fit_frame(frame, NULL, &r, &err) != SURVKIT_OK) fail_msg("cox: %s", err.message);
    size_t p = survkit_cox_result_p(r);
    assert_int_equal(p, golden_length(g, "cox_names"));
    for (size_t j = 0; j < p; j++) assert_string_equal(survkit_cox_result_name(r, j), golden_string(g, "cox_names", j));
    assert_numbers_close(survkit_cox_result_coef(r), golden_numbers(g, "cox_coef"), p, REL, 0, "coef");
    assert_numbers_close(survkit_cox_result_vcov(r), golden_numbers(g, "cox_var"), p * p, REL, 0, "var");
    assert_number_close(survkit_cox_result_loglik_null(r), golden_numbers(g, "cox_loglik")[0], REL, 0, "loglik null");
    assert_number_close(survkit_cox_result_loglik(r), golden_numbers(g, "cox_loglik")[1], REL, 0, "loglik");
    survkit_cox_result_free(r);
    survkit_frame_free(frame);
}

/* survfit's curves, stratum after stratum, against golden `prefix`_time, _surv (and _std_err). */
static void check_km(const survkit_table *t, const golden *g, const char *formula, const char *prefix)
{
    survkit_frame *frame = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_frame_build(t, formula, NULL, &frame, &err) != SURVKIT_OK) fail_msg("frame: %s", err.message);
    survkit_km *km = NULL;
    if (survkit_km_fit_frame(frame, NULL, &km, &err) != SURVKIT_OK) fail_msg("km: %s", err.message);
    char key[64];
    snprintf(key, sizeof key, "%s_strata", prefix);
    size_t n_groups = golden_length(g, key), at = 0;
    assert_int_equal(survkit_km_n_groups(km), n_groups);
    snprintf(key, sizeof key, "%s_time", prefix);
    const double *time = golden_numbers(g, key);
    size_t total = golden_length(g, key);
    snprintf(key, sizeof key, "%s_surv", prefix);
    const double *surv = golden_numbers(g, key);
    snprintf(key, sizeof key, "%s_std_err", prefix);
    const double *std_err = golden_has(g, key) ? golden_numbers(g, key) : NULL;
    snprintf(key, sizeof key, "%s_strata", prefix);
    for (size_t k = 0; k < n_groups; k++) {
        assert_string_equal(survkit_km_group_label(km, k), golden_string(g, key, k));
        size_t m = survkit_km_n_times(km, k);
        assert_true(at + m <= total);
        assert_numbers_close(survkit_km_column_values(km, k, SURVKIT_KM_TIME), time + at, m, REL, 0, "time");
        assert_numbers_close(survkit_km_column_values(km, k, SURVKIT_KM_SURV), surv + at, m, REL, 0, "surv");
        if (std_err != NULL)
            assert_numbers_close(survkit_km_column_values(km, k, SURVKIT_KM_STD_ERR), std_err + at, m, REL,
                                 0, "std.err");
        at += m;
    }
    assert_int_equal(at, total);
    survkit_km_free(km);
    survkit_frame_free(frame);
}

static void check_statistics_file(const char *golden_name, const char *file)
{
    char name[64];
    snprintf(name, sizeof name, "readers/%s.txt", golden_name);
    golden *g = golden_load(name);
    survkit_table *t = read_ok(file, 1);
    check_columns(t, g);
    check_cox(t, g, "Surv(time, status) ~ age + sex + ecog + wt_loss + site");
    check_km(t, g, "Surv(I(exit - entry), status) ~ sex", "km");
    bool xpt_names = survkit_table_find(t, "entrydt") >= 0; /* SAS: names of 8 characters */
    check_km(t, g, xpt_names ? "Surv(I((exitdt - entrydt) / 86400), status) ~ ecog"
                             : "Surv(I((exit_dt - entry_dt) / 86400), status) ~ ecog", "kmdt");
    survkit_table_free(t);
    golden_free(g);
}

static void test_spss(void **state)
{
    (void)state;
    check_statistics_file("sav", "lung.sav");
    check_statistics_file("zsav", "lung.zsav");
    check_statistics_file("por", "lung.por"); /* written by make_por.py, read by R's read_por */
}

static void test_stata(void **state)
{
    (void)state;
    check_statistics_file("dta", "lung.dta");
    check_statistics_file("dta_v8", "lung_v8.dta");
    check_statistics_file("dta_v11", "lung_v11.dta");
    check_statistics_file("dta_v13", "lung_v13.dta");
    check_statistics_file("dta_v15", "lung_v15.dta");
}

static void test_sas(void **state)
{
    (void)state;
    check_statistics_file("xpt", "lung.xpt");
    check_statistics_file("xpt_v8", "lung_v8.xpt");
    check_statistics_file("sas7bdat", "lung.sas7bdat");
}

static void check_compressed(const char *golden_name, const char *file)
{
    char name[64];
    snprintf(name, sizeof name, "readers/%s.txt", golden_name);
    golden *g = golden_load(name);
    survkit_table *t = read_ok(file, 1);
    assert_int_equal(survkit_table_n_rows(t), (size_t)golden_number(g, "n_rows"));
    assert_int_equal(survkit_table_n_columns(t), golden_length(g, "names"));
    for (size_t j = 0; j < golden_length(g, "names"); j++)
        assert_string_equal(survkit_table_column_name(t, j), golden_string(g, "names", j));
    check_cox(t, g, "Surv(time, status) ~ age + sex + ph.ecog + wt.loss");
    check_km(t, g, "Surv(time, status) ~ sex", "km");
    survkit_table_free(t);
    golden_free(g);
}

static void test_compressed_csv(void **state)
{
    (void)state;
    check_compressed("csv_gz", "lung.csv.gz");
    check_compressed("tsv_gz", "lung.tsv.gz");
    check_compressed("csv_zst", "lung.csv.zst");
}

/* --no-labels: a labelled column keeps its codes; its value labels stay readable (by code). */
static void test_codes_without_labels(void **state)
{
    (void)state;
    survkit_table *t = read_ok("lung.dta", 0);
    long sex = survkit_table_find(t, "sex");
    assert_true(sex >= 0);
    assert_int_equal(survkit_table_column_type(t, (size_t)sex), SURVKIT_COLUMN_NUMERIC);
    assert_false(survkit_table_is_factor(t, (size_t)sex));
    /* lung.csv row 1 has sex 1; make_readers_data.R labels 1 Male, 2 Female, 9 Unknown. */
    assert_true(survkit_table_numeric(t, (size_t)sex)[0] == 1.0);
    assert_int_equal(survkit_table_n_value_labels(t, (size_t)sex), 3);
    double code;
    assert_string_equal(survkit_table_value_label(t, (size_t)sex, 0, &code), "Male");
    assert_true(code == 1.0);
    assert_string_equal(survkit_table_value_label(t, (size_t)sex, 2, &code), "Unknown");
    assert_true(code == 9.0);
    assert_null(survkit_table_value_label(t, (size_t)sex, 3, &code));
    survkit_table_free(t);
}

/* A private temporary folder (mkdtemp: POSIX; mkstemps, which keeps a suffix, is not). */
static const char *temp_dir(void)
{
    static char dir[64];
    if (dir[0] == '\0') {
        snprintf(dir, sizeof dir, "/tmp/survkit_readers_XXXXXX");
        assert_non_null(mkdtemp(dir));
    }
    return dir;
}

/* Write `size` bytes to a new file of the temporary folder named ...`suffix`; returns its path
 * (free it). */
static char *temp_file(const void *bytes, size_t size, const char *suffix)
{
    static unsigned serial;
    char *path = malloc(256);
    snprintf(path, 256, "%s/file%u%s", temp_dir(), serial++, suffix);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, size, f), size);
    fclose(f);
    return path;
}

/* Reading `size` bytes of `fixture` saved as ...`suffix` (bytes flipped from `flip` on when it is
 * not SIZE_MAX) fails with SURVKIT_ERR_PARSE, a message holding `part`, and the file named. */
static void expect_failure(const char *fixture, size_t size, size_t flip, const char *suffix,
                           const char *part)
{
    char source[512];
    snprintf(source, sizeof source, "%s%s", FIXTURES, fixture);
    size_t len;
    unsigned char *bytes = test_read_file(source, &len);
    if (size > len) size = len;
    for (size_t i = flip; i < size && i < flip + 64; i++) bytes[i] ^= 0x5a;
    char *path = temp_file(bytes, size, suffix);
    survkit_table *t = (survkit_table *)1;
    survkit_error err;
    survkit_error_clear(&err);
    survkit_status status = survkit_table_read_file(path, NULL, &t, &err);
    unlink(path);
    if (status != SURVKIT_ERR_PARSE) fail_msg("%s (%zu bytes, %s): status %d: %s", fixture, size, suffix, status, err.message);
    assert_null(t);
    assert_string_equal(err.source, path);
    if (part != NULL && strstr(err.message, part) == NULL) fail_msg("message '%s' lacks '%s'", err.message, part);
    free(path);
    free(bytes);
}

static void test_truncated_and_corrupt(void **state)
{
    (void)state;
    expect_failure("lung.csv.gz", 1000, SIZE_MAX, ".csv.gz", "truncated gzip data");
    expect_failure("lung.csv.gz", SIZE_MAX, 100, ".csv.gz", "corrupt gzip data");
    expect_failure("lung.csv.zst", 1000, SIZE_MAX, ".csv.zst", "truncated zstd data");
    expect_failure("lung.csv.zst", SIZE_MAX, 100, ".csv.zst", "corrupt zstd data");
    const char *files[] = {"lung.dta", "lung_v8.dta", "lung.sav", "lung.zsav", "lung.xpt", "lung.sas7bdat",
                           "lung.por"};
    const char *suffixes[] = {".dta", ".dta", ".sav", ".zsav", ".xpt", ".sas7bdat", ".por"};
    for (size_t k = 0; k < 7; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s%s", FIXTURES, files[k]);
        size_t len;
        free(test_read_file(path, &len));
        expect_failure(files[k], len / 2 + 7, SIZE_MAX, suffixes[k], "cannot read");
        expect_failure(files[k], 40, SIZE_MAX, suffixes[k], NULL);
    }
}

static void test_mislabelled(void **state)
{
    (void)state;
    expect_failure("lung.dta", SIZE_MAX, SIZE_MAX, ".sav", "the extension .sav says an SPSS system file");
    expect_failure("lung.sav", SIZE_MAX, SIZE_MAX, ".dta", "first bytes are those of an SPSS system file");
    expect_failure("lung.csv.gz", SIZE_MAX, SIZE_MAX, ".csv", "those of gzip data");
    expect_failure("lung.csv.zst", SIZE_MAX, SIZE_MAX, ".gz", "the extension .gz says gzip data");
    expect_failure("lung.csv.gz", SIZE_MAX, SIZE_MAX, ".xpt", "those of gzip data");
    expect_failure("lung.csv.gz", 0, SIZE_MAX, ".dta", "the file is empty");
    char path[512];
    snprintf(path, sizeof path, "%s../../../datasets/lung.csv", FIXTURES);
    size_t len;
    unsigned char *text = test_read_file(path, &len);
    char *fake = temp_file(text, len, ".sas7bdat");
    survkit_error err;
    survkit_error_clear(&err);
    survkit_table *t = NULL;
    assert_int_equal(survkit_table_read_file(fake, NULL, &t, &err), SURVKIT_ERR_PARSE);
    assert_non_null(strstr(err.message, "those of delimited text"));
    unlink(fake);
    free(fake);
    /* An unknown extension goes by the bytes: a Stata file named .data is read as Stata. */
    snprintf(path, sizeof path, "%slung.dta", FIXTURES);
    unsigned char *dta = test_read_file(path, &len);
    char *renamed = temp_file(dta, len, ".data");
    assert_int_equal(survkit_table_read_file(renamed, NULL, &t, &err), SURVKIT_OK);
    assert_int_equal(survkit_table_n_rows(t), 228);
    assert_true(survkit_table_is_factor(t, (size_t)survkit_table_find(t, "sex")));
    survkit_table_free(t);
    unlink(renamed);
    free(renamed);
    free(dta);
    free(text);
}

static ssize_t write_to_file(const void *bytes, size_t len, void *ctx)
{
    return (ssize_t)fwrite(bytes, 1, len, ctx);
}

/*
 * A Stata file large enough to be read in row ranges on two threads (at least 2 x 65536 rows),
 * written by ReadStat's own writer in format `version`: 118 is decoded by stata_data.c, 114 read by
 * ReadStat in row ranges, one parser per thread. A number, a labelled code whose labels and
 * unlabelled values first appear in different ranges, a string whose levels do too, and missing
 * values. Read on one thread and on two, the tables are the same, and equal to what was written.
 */
static void check_stata_threads(long version)
{
    enum { N = 150000 };
    char path[256];
    snprintf(path, sizeof path, "%s/threads%ld.dta", temp_dir(), version);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    readstat_writer_t *w = readstat_writer_init();
    readstat_set_data_writer(w, write_to_file);
    readstat_writer_set_file_format_version(w, version);
    readstat_label_set_t *set = readstat_add_label_set(w, READSTAT_TYPE_INT32, "grade");
    readstat_label_int32_value(set, 1, "low");
    readstat_label_int32_value(set, 2, "high");
    readstat_label_int32_value(set, 3, "never used");
    readstat_variable_t *x = readstat_add_variable(w, "x", READSTAT_TYPE_DOUBLE, 0);
    readstat_variable_t *g = readstat_add_variable(w, "g", READSTAT_TYPE_INT32, 0);
    readstat_variable_set_label_set(g, set);
    readstat_variable_t *s = readstat_add_variable(w, "s", READSTAT_TYPE_STRING, 8);
    assert_int_equal(readstat_begin_writing_dta(w, f, N), READSTAT_OK);
    for (int i = 0; i < N; i++) {
        readstat_begin_row(w);
        if (i % 1000 == 7) readstat_insert_missing_value(w, x);
        else readstat_insert_double_value(w, x, i * 0.25);
        /* g: 2 in the first half, then 1 and 0 (0 has no label); s likewise "late" then "early". */
        readstat_insert_int32_value(w, g, i < N / 2 ? 2 : i % 2);
        readstat_insert_string_value(w, s, i % 999 == 5 ? "" : i < N / 2 ? "late" : "early");
        readstat_end_row(w);
    }
    assert_int_equal(readstat_end_writing(w), READSTAT_OK);
    readstat_writer_free(w);
    fclose(f);

    survkit_table *t[2];
    for (int k = 0; k < 2; k++) {
        survkit_read_options opt;
        survkit_read_options_init(&opt);
        opt.threads = k + 1;
        survkit_error err;
        if (survkit_table_read_file(path, &opt, &t[k], &err) != SURVKIT_OK) fail_msg("%s", err.message);
        assert_int_equal(survkit_table_n_rows(t[k]), N);
        const double *xv = survkit_table_numeric(t[k], 0);
        for (int i = 0; i < N; i++) {
            if (i % 1000 == 7) assert_true(isnan(xv[i]));
            else assert_true(xv[i] == i * 0.25);
        }
        assert_int_equal(survkit_table_n_missing(t[k], 0), 150);
        /* as_factor's levels: by code, 0 unlabelled ("0"), 1 low, 2 high; 3 is used by no row. */
        assert_true(survkit_table_is_factor(t[k], 1));
        assert_int_equal(survkit_table_n_levels(t[k], 1), 3);
        assert_string_equal(survkit_table_level(t[k], 1, 0), "0");
        assert_string_equal(survkit_table_level(t[k], 1, 1), "low");
        assert_string_equal(survkit_table_level(t[k], 1, 2), "high");
        const int32_t *gc = survkit_table_codes(t[k], 1), *sc = survkit_table_codes(t[k], 2);
        for (int i = 0; i < N; i++) {
            assert_int_equal(gc[i], i < N / 2 ? 2 : i % 2);
            assert_int_equal(sc[i], i % 999 == 5 ? -1 : i < N / 2 ? 0 : 1);
        }
        assert_string_equal(survkit_table_level(t[k], 2, 0), "late");
        assert_string_equal(survkit_table_level(t[k], 2, 1), "early");
    }
    survkit_table_free(t[0]);
    survkit_table_free(t[1]);
    unlink(path);
}

static void test_stata_threads_give_the_same_table(void **state)
{
    (void)state;
    check_stata_threads(118);
    check_stata_threads(114);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spss),
        cmocka_unit_test(test_stata),
        cmocka_unit_test(test_sas),
        cmocka_unit_test(test_compressed_csv),
        cmocka_unit_test(test_codes_without_labels),
        cmocka_unit_test(test_truncated_and_corrupt),
        cmocka_unit_test(test_mislabelled),
        cmocka_unit_test(test_stata_threads_give_the_same_table),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    rmdir(temp_dir());
    return failed;
}
