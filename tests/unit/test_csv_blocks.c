/*
 * test_csv_blocks.c: the block reader (survkit_table_reader) against the whole-file reader
 * (survkit_table_read_file), which the golden tests tie to R's read.csv. Every data set in
 * datasets/, the reader fixtures (quoted fields, NA and extra missing tokens, a column of numbers
 * then text), compressed text, and inline texts built to put a type change, a quoted line end and
 * an empty line across block boundaries are read in blocks of 1, 7 and 1000 rows: the blocks put
 * end to end must be the whole table (names, types, each number bit for bit, each string, each
 * missing value), and the first pass's summaries (whole numbers, few levels) must be what the
 * whole table shows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <dirent.h>
#include <unistd.h>

#include <cmocka.h>

#include "golden.h"
#include "survkit/survkit.h"

#define DATA_DIR SURVKIT_GOLDEN_DIR "/../data"

static const size_t block_sizes[] = {1, 7, 1000};

static survkit_table *read_whole(const char *path, const survkit_read_options *opt)
{
    survkit_table *t = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_table_read_file(path, opt, &t, &err) != SURVKIT_OK)
        fail_msg("%s: %s", path, err.message);
    return t;
}

/* Is x whole and within R's integer range, or missing? (report_csv_decide's rule) */
static bool whole_value(double x)
{
    return isnan(x) || (x == nearbyint(x) && fabs(x) <= 2147483647.0);
}

/* The blocks of `path` in blocks of `block` rows equal the whole table. */
static void check_blocks(const char *path, const survkit_read_options *opt, size_t block)
{
    survkit_table *whole = read_whole(path, opt);
    const size_t nc = survkit_table_n_columns(whole), n = survkit_table_n_rows(whole);
    survkit_table_reader *rd = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    if (survkit_table_reader_open(path, opt, block, &rd, &err) != SURVKIT_OK)
        fail_msg("%s in blocks of %zu: %s", path, block, err.message);
    assert_int_equal(survkit_table_reader_n_rows(rd), n);
    assert_int_equal(survkit_table_reader_n_columns(rd), nc);
    for (size_t j = 0; j < nc; j++) {
        assert_string_equal(survkit_table_reader_column_name(rd, j), survkit_table_column_name(whole, j));
        assert_int_equal(survkit_table_reader_column_type(rd, j), survkit_table_column_type(whole, j));
        if (survkit_table_column_type(whole, j) == SURVKIT_COLUMN_NUMERIC) {
            bool all_whole = true;
            for (size_t i = 0; i < n; i++) all_whole &= whole_value(survkit_table_numeric(whole, j)[i]);
            assert_int_equal(survkit_table_reader_column_whole(rd, j), all_whole);
            assert_int_equal(survkit_table_reader_n_levels(rd, j), 0);
        } else {
            size_t levels = survkit_table_n_levels(whole, j);
            size_t few = survkit_table_reader_n_levels(rd, j);
            if (few != (levels <= SURVKIT_READER_FEW_LEVELS ? levels : SIZE_MAX))
                fail_msg("%s column %zu blocks of %zu: %zu levels, whole %zu", path, j, block, few, levels);
            for (size_t k = 0; few != SIZE_MAX && k < few; k++)
                assert_string_equal(survkit_table_reader_level(rd, j, k), survkit_table_level(whole, j, k));
            assert_false(survkit_table_reader_column_whole(rd, j));
        }
    }
    for (int pass = 0; pass < 2; pass++) { /* the second after a rewind */
        size_t row = 0, blocks = 0;
        for (;;) {
            survkit_table *b = NULL;
            if (survkit_table_reader_next(rd, &b, &err) != SURVKIT_OK) fail_msg("%s: %s", path, err.message);
            if (b == NULL) break;
            const size_t m = survkit_table_n_rows(b);
            assert_true(m >= 1 && m <= block);
            assert_int_equal(survkit_table_reader_block_start(rd), row);
            assert_int_equal(survkit_table_n_columns(b), nc);
            for (size_t j = 0; j < nc; j++) {
                assert_string_equal(survkit_table_column_name(b, j), survkit_table_column_name(whole, j));
                assert_int_equal(survkit_table_column_type(b, j), survkit_table_column_type(whole, j));
                size_t missing = 0;
                if (survkit_table_column_type(whole, j) == SURVKIT_COLUMN_NUMERIC) {
                    const double *x = survkit_table_numeric(b, j), *y = survkit_table_numeric(whole, j) + row;
                    for (size_t i = 0; i < m; i++) {
                        if (isnan(y[i])) assert_true(isnan(x[i]));
                        else assert_memory_equal(&x[i], &y[i], sizeof x[i]);
                        missing += isnan(x[i]);
                    }
                } else {
                    const int32_t *x = survkit_table_codes(b, j), *y = survkit_table_codes(whole, j) + row;
                    for (size_t i = 0; i < m; i++) {
                        assert_int_equal(x[i] < 0, y[i] < 0);
                        if (y[i] >= 0)
                            assert_string_equal(survkit_table_level(b, j, (size_t)x[i]),
                                                survkit_table_level(whole, j, (size_t)y[i]));
                        missing += x[i] < 0;
                    }
                }
                assert_int_equal(survkit_table_n_missing(b, j), missing);
            }
            row += m;
            blocks++;
            survkit_table_free(b);
        }
        assert_int_equal(row, n);
        if (block == 1) assert_int_equal(blocks, n);
        survkit_table_reader_rewind(rd);
    }
    /* read_all: the whole table again, from the text the reader holds */
    survkit_table *all = NULL;
    if (survkit_table_reader_read_all(rd, &all, &err) != SURVKIT_OK) fail_msg("%s: %s", path, err.message);
    assert_int_equal(survkit_table_n_rows(all), n);
    assert_int_equal(survkit_table_n_columns(all), nc);
    for (size_t j = 0; j < nc; j++) {
        assert_int_equal(survkit_table_column_type(all, j), survkit_table_column_type(whole, j));
        assert_int_equal(survkit_table_n_missing(all, j), survkit_table_n_missing(whole, j));
        assert_int_equal(survkit_table_n_levels(all, j), survkit_table_n_levels(whole, j));
    }
    survkit_table_free(all);
    survkit_table_reader_close(rd);
    survkit_table_free(whole);
}

static void check_all_sizes(const char *path, const survkit_read_options *opt)
{
    for (size_t k = 0; k < sizeof block_sizes / sizeof block_sizes[0]; k++) check_blocks(path, opt, block_sizes[k]);
}

static void test_datasets(void **state)
{
    (void)state;
    DIR *dir = opendir(SURVKIT_DATASETS_DIR);
    assert_non_null(dir);
    size_t files = 0;
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".csv") != 0) continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", SURVKIT_DATASETS_DIR, e->d_name);
        check_all_sizes(path, NULL);
        files++;
    }
    closedir(dir);
    assert_true(files >= 10);
}

static void test_fixtures_and_tokens(void **state)
{
    (void)state;
    check_all_sizes(DATA_DIR "/io/types.csv", NULL);
    check_all_sizes(DATA_DIR "/io/numbers.csv", NULL);
    survkit_read_options opt;
    survkit_read_options_init(&opt);
    const char *tokens[] = {"-99", "x"};
    opt.na_tokens = tokens;
    opt.n_na_tokens = 2;
    check_all_sizes(DATA_DIR "/io/types.csv", &opt);
    /* compressed text is inflated, then read in blocks */
    check_all_sizes(DATA_DIR "/readers/lung.csv.gz", NULL);
    check_all_sizes(DATA_DIR "/readers/lung.tsv.gz", NULL);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

/* Texts whose block boundaries cross what the types depend on. */
static void test_across_blocks(void **state)
{
    (void)state;
    char path[] = "/tmp/survkit_blocks_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    static const char *const texts[] = {
        /* numbers for 8 rows, then text in a later block: the column is text from its first row */
        "a,b\n1,2\n2,3\n3,4\n4,5\n5,6\n6,7\n7,8\n8,9\n9,x\n10,11\n",
        /* quoted line ends, doubled quotes, an empty line, CRLF, no final line end */
        "\xEF\xBB\xBFid,s,v\r\n1,\"a\nb\",1.5\r\n2,\"say \"\"hi\"\"\",NA\r\n\r\n3,\"x,y\",\r\n4,,2e300",
        /* TRUE/FALSE words, more than 8 levels after a few, a column all missing */
        "f,g,h\nTRUE,a,NA\nFALSE,b,\nT,c,NA\nF,d,\ntrue,e,NA\nFalse,f,\nTRUE,g,NA\nTRUE,h,\nTRUE,i,NA\n",
        /* whole numbers up to R's integer limit, then past it in the last row */
        "k,w\n1,2147483647\n2,-2147483647\n3,2147483648\n",
    };
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        write_file(path, texts[t]);
        check_all_sizes(path, NULL);
    }
    unlink(path);
}

/* Errors are those of the whole reader: the same status, line and column. */
static void test_errors(void **state)
{
    (void)state;
    char path[] = "/tmp/survkit_blocks_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    static const char *const bad[] = {
        "a,b\n1,2\n3,4\n5,6,7\n8,9\n",          /* too many fields on line 4 */
        "a,b\n1,2\n3,\"open\n4,5\n",            /* an unterminated quote */
        "a,b\n1,2\n3,\"x\"y\n",                  /* text after a closing quote */
        "a,b\n1,2\n3,\xff\n",                    /* not UTF-8 */
    };
    for (size_t t = 0; t < sizeof bad / sizeof bad[0]; t++) {
        write_file(path, bad[t]);
        survkit_table *whole = NULL;
        survkit_error e1, e2;
        survkit_error_clear(&e1);
        survkit_status s1 = survkit_table_read_file(path, NULL, &whole, &e1);
        assert_int_not_equal(s1, SURVKIT_OK);
        for (size_t k = 0; k < sizeof block_sizes / sizeof block_sizes[0]; k++) {
            survkit_error_clear(&e2);
            survkit_table_reader *rd = NULL;
            survkit_status s2 = survkit_table_reader_open(path, NULL, block_sizes[k], &rd, &e2);
            survkit_table *b = NULL;
            while (s2 == SURVKIT_OK) { /* some errors (UTF-8) show in the blocks */
                s2 = survkit_table_reader_next(rd, &b, &e2);
                if (b == NULL) break;
                survkit_table_free(b);
                b = NULL;
            }
            survkit_table_reader_close(rd);
            assert_int_equal(s2, s1);
            assert_int_equal(e2.line, e1.line);
            assert_int_equal(e2.column, e1.column);
            assert_string_equal(e2.message, e1.message);
        }
    }
    unlink(path);
}

static void test_statistics_file_is_not_streamed(void **state)
{
    (void)state;
    survkit_table_reader *rd = (survkit_table_reader *)1;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_table_reader_open(DATA_DIR "/readers/lung_v13.dta", NULL, 10, &rd, &err),
                     SURVKIT_ERR_TYPE);
    assert_null(rd);
    assert_int_equal(survkit_table_reader_open(DATA_DIR "/io/types.csv", NULL, 0, &rd, &err),
                     SURVKIT_ERR_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_datasets),
        cmocka_unit_test(test_fixtures_and_tokens),
        cmocka_unit_test(test_across_blocks),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_statistics_file_is_not_streamed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
