/*
 * test_csv.c: the CSV/TSV reader. Values come from R where R defines them (golden files written by
 * tests/golden/make_golden_io.R from the fixtures in tests/data/io/), from strtod where the
 * contract says "the double strtod gives", and otherwise from the literal input of each case.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <float.h>
#include <unistd.h>

#include <cmocka.h>

#include "golden.h"
#include "io/number.h"
#include "survkit/survkit.h"

#ifndef SURVKIT_TEST_DATA_DIR
#define SURVKIT_TEST_DATA_DIR SURVKIT_GOLDEN_DIR "/../data"
#endif

static survkit_table *read_text_opt(const char *text, const survkit_read_options *opt)
{
    survkit_table *t = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    survkit_status status = survkit_table_read_buffer(text, strlen(text), "test.csv", opt, &t, &err);
    if (status != SURVKIT_OK) fail_msg("unexpected error: %s:%llu:%llu: %s", err.source,
                                       (unsigned long long)err.line, (unsigned long long)err.column,
                                       err.message);
    assert_non_null(t);
    return t;
}

static survkit_table *read_text(const char *text) { return read_text_opt(text, NULL); }

/* Reading `size` bytes of `text` fails with `status` at `line`:`column`; returns the message. */
static void expect_error_n(const char *text, size_t size, survkit_status status, uint64_t line,
                           uint64_t column, const char *message_part)
{
    survkit_table *t = (survkit_table *)1;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_table_read_buffer(text, size, "bad.csv", NULL, &t, &err), status);
    assert_null(t);
    assert_int_equal(err.status, status);
    assert_string_equal(err.source, "bad.csv");
    assert_int_equal(err.line, line);
    assert_int_equal(err.column, column);
    if (message_part != NULL && strstr(err.message, message_part) == NULL)
        fail_msg("message '%s' lacks '%s'", err.message, message_part);
}

static void expect_error(const char *text, survkit_status status, uint64_t line, uint64_t column,
                         const char *message_part)
{
    expect_error_n(text, strlen(text), status, line, column, message_part);
}

static const double *numeric(const survkit_table *t, const char *name)
{
    long j = survkit_table_find(t, name);
    assert_true(j >= 0);
    assert_int_equal(survkit_table_column_type(t, (size_t)j), SURVKIT_COLUMN_NUMERIC);
    return survkit_table_numeric(t, (size_t)j);
}

/* The text of row i of string column `name` (NULL when missing). */
static const char *text_at(const survkit_table *t, const char *name, size_t i)
{
    long j = survkit_table_find(t, name);
    assert_true(j >= 0);
    assert_int_equal(survkit_table_column_type(t, (size_t)j), SURVKIT_COLUMN_STRING);
    int32_t code = survkit_table_codes(t, (size_t)j)[i];
    return code < 0 ? NULL : survkit_table_level(t, (size_t)j, (size_t)code);
}

static char *read_fixture(const char *name, size_t *size)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/io/%s", SURVKIT_TEST_DATA_DIR, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) fail_msg("cannot open %s", path);
    char *buf = malloc(1 << 20);
    *size = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

/* ---- numbers ---------------------------------------------------------------------------- */

/* Every number R reads in tests/data/io/numbers.csv, to the last bit (and sign of zero). */
static void test_numbers_match_r(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/io/numbers.csv", SURVKIT_TEST_DATA_DIR);
    survkit_table *t = NULL;
    survkit_error err;
    assert_int_equal(survkit_table_read_file(path, NULL, &t, &err), SURVKIT_OK);
    golden *g = golden_load("io/numbers.txt");
    size_t n = golden_length(g, "value");
    assert_int_equal(survkit_table_n_rows(t), n);
    const double *expected = golden_numbers(g, "value");
    const double *signbits = golden_numbers(g, "signbit");
    const double *quoted = numeric(t, "text"), *plain = numeric(t, "value");
    for (size_t i = 0; i < n; i++) {
        if (isnan(expected[i])) {
            assert_true(isnan(plain[i]) && isnan(quoted[i]));
            continue;
        }
        if (plain[i] != expected[i] || quoted[i] != expected[i])
            fail_msg("row %zu: read %.17g (quoted %.17g), R reads %.17g", i + 2, plain[i], quoted[i],
                     expected[i]);
        assert_int_equal(signbit(plain[i]) != 0, signbits[i] != 0);
    }
    golden_free(g);
    survkit_table_free(t);
}

static double parsed(const char *text)
{
    double v = -12345.0;
    if (!sk_number_parse(text, strlen(text), &v)) fail_msg("'%s' is not read as a number", text);
    return v;
}

static void assert_not_number(const char *text)
{
    double v;
    if (sk_number_parse(text, strlen(text), &v)) fail_msg("'%s' read as the number %g", text, v);
}

/* R's number syntax: each value below is type.convert(TEXT, as.is = TRUE) in R 4.2. */
static void test_number_syntax_as_r(void **state)
{
    (void)state;
    assert_true(parsed("1e") == 1);            /* R: 1 */
    assert_true(parsed("1e+") == 1);           /* R: 1 */
    assert_true(parsed("1e-") == 1);           /* R: 1 */
    assert_true(parsed("1.") == 1);            /* R: 1 */
    assert_true(parsed("+.5") == 0.5);         /* R: 0.5 */
    assert_true(parsed(" 3") == 3);            /* R: 3 */
    assert_true(parsed("3\t") == 3);           /* R: 3 */
    assert_true(parsed("0x1A") == 26);         /* R: 26 */
    assert_true(parsed("-0x10") == -16);       /* R: -16 */
    assert_true(parsed("0x1.8p1") == 3);       /* R: 3 */
    assert_true(parsed("0x1P-2") == 0.25);     /* R: 0.25 */
    assert_true(parsed("INF") == INFINITY);    /* R: Inf */
    assert_true(parsed("-infinity") == -INFINITY); /* R: -Inf */
    assert_true(isnan(parsed("nan")));         /* R: NaN */
    assert_true(isnan(parsed("-NaN")));        /* R: NaN */
    assert_true(isnan(parsed("nAN")));         /* R: NaN */
    assert_true(parsed("1e99999999999") == INFINITY); /* R: Inf */
    assert_true(parsed("1e-99999999999") == 0);       /* R: 0 */
    assert_true(parsed("1.7976931348623157e308") == DBL_MAX);
    /* R's own R_strtod reads 1.7976931348623158e308 as Inf; the contract is strtod's rounding. */
    assert_true(parsed("1.7976931348623158e308") == DBL_MAX);
    assert_true(signbit(parsed("-0")) && parsed("-0") == 0);
    assert_not_number("NAN");    /* R: character (a leading "NA") */
    assert_not_number("NAn");    /* R: character */
    assert_not_number("infin");  /* R: character */
    assert_not_number("1d5");    /* R: character */
    assert_not_number(".e5");    /* R: character */
    assert_not_number("1e5e");   /* R: character */
    assert_not_number("++1");    /* R: character */
    assert_not_number("+-1");    /* R: character */
    assert_not_number("-");      /* R: character */
    assert_not_number(".");      /* R: character */
    assert_not_number("0x");     /* R: character */
    assert_not_number("0xg");    /* R: character */
    assert_not_number("1 2");    /* R: character */
    assert_not_number("1,5");    /* R: character */
    assert_not_number("1.5L");   /* R: character */
    assert_not_number("TRUE");   /* R: logical, a string column in survkit */
    assert_not_number("");
    assert_not_number("  ");
}

/* Decimal texts the fast path cannot take, against strtod on the same text. */
static void test_numbers_equal_strtod(void **state)
{
    (void)state;
    char text[1200];
    /* Halfway between 2^53 and 2^53 + 2 rounds to even; a non-zero digit past the 780 kept ones
     * must round it up (the sticky digit). */
    strcpy(text, "9007199254740993.");
    size_t len = strlen(text);
    memset(text + len, '0', 900);
    strcpy(text + len + 900, "1");
    assert_true(parsed(text) == strtod(text, NULL));
    assert_true(parsed(text) == 9007199254740994.0);
    text[len + 900] = '\0';
    assert_true(parsed(text) == 9007199254740992.0);

    /* Random digit strings with random exponents, short and long. */
    srand(12345);
    for (int trial = 0; trial < 200000; trial++) {
        size_t pos = 0;
        if (rand() % 2) text[pos++] = '-';
        int n_int = rand() % 22, n_frac = rand() % 22;
        if (trial % 97 == 0) n_int = 200 + rand() % 800;
        for (int k = 0; k < n_int; k++) text[pos++] = (char)('0' + rand() % 10);
        if (n_frac > 0 || n_int == 0) {
            text[pos++] = '.';
            for (int k = 0; k < n_frac || (n_int == 0 && k == 0); k++) text[pos++] = (char)('0' + rand() % 10);
        }
        if (rand() % 3 == 0) pos += (size_t)sprintf(text + pos, "e%d", rand() % 700 - 350);
        text[pos] = '\0';
        double expected = strtod(text, NULL), got = parsed(text);
        if (memcmp(&expected, &got, sizeof got) != 0)
            fail_msg("'%s': read %.17g, strtod gives %.17g", text, got, expected);
    }
}

/* The fused row reader (csv_fast_row.c) against strtod, field by field: random decimals of every
 * length around the 8-byte steps, signs, exponents, blanks, NA and empty fields, CRLF line ends
 * and now and then a quoted field (which sends the row to the general tokenizer). */
static void test_rows_read_as_strtod(void **state)
{
    (void)state;
    enum { ROWS = 40000, COLS = 4 };
    char *text = malloc((size_t)ROWS * COLS * 48 + 64);
    char (*fields)[48] = malloc((size_t)ROWS * COLS * sizeof *fields);
    assert_non_null(text);
    assert_non_null(fields);
    size_t pos = (size_t)sprintf(text, "a,b,c,d\n"), missing[COLS] = {0};
    srand(2024);
    for (int i = 0; i < ROWS; i++) {
        for (int j = 0; j < COLS; j++) {
            char *f = fields[i * COLS + j];
            size_t len = 0;
            int kind = rand() % 50;
            if (kind == 0) {
                strcpy(f, "NA");
            } else if (kind == 1) {
                f[0] = '\0';
            } else {
                if (rand() % 3 == 0) f[len++] = rand() % 2 ? '-' : '+';
                int n_int = rand() % 12, n_frac = rand() % 20;
                if (kind == 2) n_int = 17 + rand() % 6; /* past 19 digits: the general parser */
                for (int k = 0; k < n_int; k++) f[len++] = (char)('0' + rand() % 10);
                if (n_frac > 0 || n_int == 0) {
                    f[len++] = '.';
                    for (int k = 0; k < (n_frac > 0 ? n_frac : 1); k++) f[len++] = (char)('0' + rand() % 10);
                }
                if (kind == 3) len += (size_t)sprintf(f + len, "e%d", rand() % 40 - 20);
                f[len] = '\0';
            }
            if (kind <= 1) missing[j]++;
            const char *sep = j + 1 < COLS ? "," : (i % 5 == 0 ? "\r\n" : "\n");
            if (kind == 4) pos += (size_t)sprintf(text + pos, "\"%s\"%s", f, sep);
            else if (kind == 5) pos += (size_t)sprintf(text + pos, " %s %s", f, sep);
            else pos += (size_t)sprintf(text + pos, "%s%s", f, sep);
        }
    }
    survkit_table *t = NULL;
    survkit_error err;
    assert_int_equal(survkit_table_read_buffer(text, pos, "gen", NULL, &t, &err), SURVKIT_OK);
    assert_int_equal(survkit_table_n_rows(t), ROWS);
    for (size_t j = 0; j < COLS; j++) {
        assert_int_equal(survkit_table_column_type(t, j), SURVKIT_COLUMN_NUMERIC);
        assert_int_equal(survkit_table_n_missing(t, j), missing[j]);
        const double *v = survkit_table_numeric(t, j);
        for (size_t i = 0; i < ROWS; i++) {
            const char *f = fields[i * COLS + j];
            if (strcmp(f, "NA") == 0 || f[0] == '\0') {
                if (!isnan(v[i])) fail_msg("row %zu column %zu: '%s' read as %.17g", i, j, f, v[i]);
                continue;
            }
            double expected = strtod(f, NULL);
            if (memcmp(&expected, &v[i], sizeof expected) != 0)
                fail_msg("row %zu column %zu: '%s' read as %.17g, strtod gives %.17g", i, j, f, v[i],
                         expected);
        }
    }
    survkit_table_free(t);
    free(fields);
    free(text);
}

/* ---- types, missing values, quoting ----------------------------------------------------- */

/* tests/data/io/types.csv against read.csv(..., na.strings = c("NA", "-99", ".")). */
static void test_column_types_as_r(void **state)
{
    (void)state;
    size_t size;
    char *text = read_fixture("types.csv", &size);
    const char *tokens[] = {"-99", "."};
    survkit_read_options opt;
    survkit_read_options_init(&opt);
    opt.na_tokens = tokens;
    opt.n_na_tokens = 2;
    survkit_table *t = NULL;
    survkit_error err;
    assert_int_equal(survkit_table_read_buffer(text, size, "types.csv", &opt, &t, &err), SURVKIT_OK);
    golden *g = golden_load("io/types.txt");
    size_t n_columns = golden_length(g, "names");
    assert_int_equal(survkit_table_n_columns(t), n_columns);
    assert_int_equal(survkit_table_n_rows(t), 5);
    const double *missing = golden_numbers(g, "missing");
    for (size_t j = 0; j < n_columns; j++) {
        const char *name = golden_string(g, "names", j), *cls = golden_string(g, "class", j);
        assert_string_equal(survkit_table_column_name(t, j), name);
        /* R's integer and numeric are numeric; character and logical are strings, except that an
         * all-NA column (logical in R) is an all-missing numeric column here. */
        bool all_missing = missing[j] == 5;
        bool r_numeric = strcmp(cls, "integer") == 0 || strcmp(cls, "numeric") == 0;
        survkit_column_type expected = (r_numeric || all_missing) ? SURVKIT_COLUMN_NUMERIC : SURVKIT_COLUMN_STRING;
        if (survkit_table_column_type(t, j) != expected) fail_msg("column %s has the wrong type", name);
        assert_int_equal(survkit_table_n_missing(t, j), (size_t)missing[j]);
    }
    assert_numbers_close(numeric(t, "quoted"), golden_numbers(g, "quoted"), 5, 0, 0, "quoted");
    assert_numbers_close(numeric(t, "tokens"), golden_numbers(g, "tokens"), 5, 0, 0, "tokens");
    assert_numbers_close(numeric(t, "sign"), golden_numbers(g, "sign"), 5, 0, 0, "sign");
    /* Levels in order of first appearance, quotes collapsed. */
    long label = survkit_table_find(t, "label");
    assert_int_equal(survkit_table_n_levels(t, (size_t)label), golden_length(g, "label_levels"));
    for (size_t k = 0; k < golden_length(g, "label_levels"); k++)
        assert_string_equal(survkit_table_level(t, (size_t)label, k), golden_string(g, "label_levels", k));
    /* mixed: numbers, then text: every value is text, levels first-seen. */
    assert_string_equal(text_at(t, "mixed", 0), "1");
    assert_string_equal(text_at(t, "mixed", 2), "x");
    assert_null(text_at(t, "mixed", 4));
    assert_string_equal(text_at(t, "flag", 1), "FALSE");
    golden_free(g);
    survkit_table_free(t);
    free(text);
}

static void test_quoting_crlf_bom(void **state)
{
    (void)state;
    survkit_table *t = read_text("\xEF\xBB\xBF" "name,\"a,b\",note\r\n"
                                 "\"x, y\",1,\"he said \"\"no\"\"\"\r\n"
                                 "z,2,\"two\r\nlines\"\r\n"
                                 "\"\",3,plain\"quote\r\n");
    assert_int_equal(survkit_table_n_rows(t), 3);
    assert_string_equal(survkit_table_column_name(t, 0), "name"); /* BOM dropped */
    assert_string_equal(survkit_table_column_name(t, 1), "a,b");
    assert_string_equal(text_at(t, "name", 0), "x, y");
    assert_null(text_at(t, "name", 2)); /* "" is the empty field: missing */
    assert_string_equal(text_at(t, "note", 0), "he said \"no\"");
    assert_string_equal(text_at(t, "note", 1), "two\r\nlines");
    assert_string_equal(text_at(t, "note", 2), "plain\"quote"); /* a quote inside a field is text */
    const double *ab = numeric(t, "a,b");
    assert_true(ab[0] == 1 && ab[1] == 2 && ab[2] == 3);
    survkit_table_free(t);
}

static void test_separators(void **state)
{
    (void)state;
    survkit_table *t = read_text("a\tb;c\tx,y\n1\t2;3\t4,5\n"); /* two tabs beat one ; and one , */
    assert_int_equal(survkit_table_n_columns(t), 3);
    assert_string_equal(survkit_table_column_name(t, 1), "b;c");
    assert_string_equal(text_at(t, "b;c", 0), "2;3");
    survkit_table_free(t);

    t = read_text("\"a;b\";c;d\n1;2;3\n"); /* the quoted ; is not counted: ; then */
    assert_int_equal(survkit_table_n_columns(t), 3);
    assert_true(numeric(t, "d")[0] == 3);
    survkit_table_free(t);

    survkit_read_options opt;
    survkit_read_options_init(&opt);
    opt.separator = ';';
    t = read_text_opt("a,b;c\n1,5;2\n", &opt);
    assert_int_equal(survkit_table_n_columns(t), 2);
    assert_string_equal(text_at(t, "a,b", 0), "1,5");
    survkit_table_free(t);

    t = read_text("only\n1\n\n2\n"); /* one column; the empty line is skipped, as R does */
    assert_int_equal(survkit_table_n_columns(t), 1);
    assert_int_equal(survkit_table_n_rows(t), 2);
    assert_true(numeric(t, "only")[1] == 2);
    survkit_table_free(t);
}

static void test_missing_values_and_names(void **state)
{
    (void)state;
    const char *tokens[] = {"?", "n/a"};
    survkit_read_options opt;
    survkit_read_options_init(&opt);
    opt.na_tokens = tokens;
    opt.n_na_tokens = 2;
    survkit_table *t = read_text_opt("x 1,my.col,Sex\nNA,?,M\n,1,n/a\n  ,\"NA\",F\n7,NaN,\n", &opt);
    assert_string_equal(survkit_table_column_name(t, 0), "x 1"); /* verbatim, no make.names */
    const double *x = numeric(t, "x 1");
    assert_true(isnan(x[0]) && isnan(x[1]) && isnan(x[2]) && x[3] == 7);
    assert_int_equal(survkit_table_n_missing(t, 0), 3);
    assert_int_equal(survkit_table_n_missing(t, 1), 3); /* ?, "NA" and NaN */
    assert_null(text_at(t, "Sex", 1));
    assert_null(text_at(t, "Sex", 3));
    assert_string_equal(text_at(t, "Sex", 2), "F");
    assert_int_equal(survkit_table_n_levels(t, 2), 2);
    survkit_table_free(t);

    t = read_text("a,b\n"); /* a header and no rows: an empty table */
    assert_int_equal(survkit_table_n_rows(t), 0);
    assert_int_equal(survkit_table_n_columns(t), 2);
    survkit_table_free(t);
}

/* ---- errors ----------------------------------------------------------------------------- */

static void test_errors_name_line_and_column(void **state)
{
    (void)state;
    expect_error("a,b,c\n1,2,3\n4,5,6,7\n", SURVKIT_ERR_PARSE, 3, 7, "4 fields but the header has 3");
    expect_error("a,b,c\n1,2,3\n4,5\n", SURVKIT_ERR_PARSE, 3, 4, "2 fields but the header has 3");
    expect_error("a,b\n1,\"x\ny\"\n2\n", SURVKIT_ERR_PARSE, 4, 2, "1 fields"); /* line counts the quoted newline */
    expect_error("a,b\n1,2\n3,\"open\n4,5\n", SURVKIT_ERR_PARSE, 3, 3, "unterminated");
    expect_error("a,b\n1,\"x\"y\n", SURVKIT_ERR_PARSE, 2, 6, "after a closing quote");
    expect_error_n("a,b\n1,2\n3,\0\n", 12, SURVKIT_ERR_PARSE, 3, 3, "NUL");
    expect_error("", SURVKIT_ERR_PARSE, 1, 1, "empty");
    expect_error("\xEF\xBB\xBF\n\n", SURVKIT_ERR_PARSE, 1, 1, "empty");
    expect_error("a,,c\n1,2,3\n", SURVKIT_ERR_PARSE, 1, 3, "column 2 has an empty name");
    expect_error("a,b,\"a\"\n1,2,3\n", SURVKIT_ERR_PARSE, 1, 5, "column 3 is named 'a' like column 1");
    expect_error("ok,caf\xE9\n1,2\n", SURVKIT_ERR_PARSE, 1, 4, "not valid UTF-8");
    expect_error("ok,\xED\xA0\x80\n1,2\n", SURVKIT_ERR_PARSE, 1, 4, "not valid UTF-8"); /* a surrogate */

    survkit_table *t = (survkit_table *)1;
    survkit_error err;
    assert_int_equal(survkit_table_read_file("/nonexistent/survkit.csv", NULL, &t, &err), SURVKIT_ERR_IO);
    assert_null(t);
    assert_string_equal(err.source, "/nonexistent/survkit.csv");
    assert_non_null(strstr(err.message, "No such file"));
    assert_int_equal(survkit_table_read_file(SURVKIT_DATASETS_DIR, NULL, &t, &err), SURVKIT_ERR_IO);
    assert_non_null(strstr(err.message, "directory"));
    assert_int_equal(survkit_table_read_buffer("a\n1\n", 4, "x", NULL, NULL, &err), SURVKIT_ERR_ARGUMENT);
}

/* ---- sizes -------------------------------------------------------------------------------- */

static void test_huge_field_and_wide_line(void **state)
{
    (void)state;
    size_t big = 5u << 20;
    char *text = malloc(big + 64);
    size_t pos = (size_t)sprintf(text, "id,blob\n1,\"");
    memset(text + pos, 'q', big);
    pos += big;
    pos += (size_t)sprintf(text + pos, "\"\n2,x\n");
    survkit_table *t = NULL;
    survkit_error err;
    assert_int_equal(survkit_table_read_buffer(text, pos, "big", NULL, &t, &err), SURVKIT_OK);
    assert_int_equal(strlen(text_at(t, "blob", 0)), big);
    assert_string_equal(text_at(t, "blob", 1), "x");
    survkit_table_free(t);
    free(text);

    enum { WIDE = 100000 };
    text = malloc((size_t)WIDE * 16 + 16);
    pos = 0;
    for (int j = 0; j < WIDE; j++) pos += (size_t)sprintf(text + pos, "%sc%d", j ? "," : "", j);
    text[pos++] = '\n';
    for (int j = 0; j < WIDE; j++) pos += (size_t)sprintf(text + pos, "%s%d", j ? "," : "", j);
    text[pos++] = '\n';
    assert_int_equal(survkit_table_read_buffer(text, pos, "wide", NULL, &t, &err), SURVKIT_OK);
    assert_int_equal(survkit_table_n_columns(t), WIDE);
    assert_true(survkit_table_numeric(t, WIDE - 1)[0] == WIDE - 1);
    assert_string_equal(survkit_table_column_name(t, WIDE - 1), "c99999");
    survkit_table_free(t);
    free(text);
}

/* ---- threads, progress ---------------------------------------------------------------------- */

typedef struct progress_log {
    int calls;
    uint64_t last_done, last_total;
    int cancel_after;
} progress_log;

static int on_progress(void *user, const char *stage, uint64_t done, uint64_t total, double value)
{
    (void)value;
    progress_log *log = user;
    assert_string_equal(stage, "read");
    assert_true(done >= log->last_done || log->calls == 0);
    log->calls++;
    log->last_done = done;
    log->last_total = total;
    return log->cancel_after > 0 && log->calls >= log->cancel_after;
}

/* A ~12 MB body without quotes, cut into chunks: same table on 1 and 3 threads, including a column
 * that turns to text in its last row (read again as text by every chunk). */
static void test_threads_give_the_same_table(void **state)
{
    (void)state;
    enum { ROWS = 600000 };
    char *text = malloc((size_t)ROWS * 40 + 64);
    size_t pos = (size_t)sprintf(text, "t,g,late,w\n");
    for (int i = 0; i < ROWS; i++)
        pos += (size_t)sprintf(text + pos, "%d.%d,%c,%s,%d\n", i, i % 7, 'a' + i % 5,
                               i == ROWS - 1 ? "x" : (i % 3 ? "1" : "2"), i % 11 ? i : -i);
    survkit_table *one = NULL, *three = NULL;
    survkit_error err;
    survkit_read_options opt;
    survkit_read_options_init(&opt);
    opt.threads = 1;
    assert_int_equal(survkit_table_read_buffer(text, pos, "gen", &opt, &one, &err), SURVKIT_OK);
    opt.threads = 3;
    progress_log log = {0};
    opt.progress = on_progress;
    opt.progress_user = &log;
    assert_int_equal(survkit_table_read_buffer(text, pos, "gen", &opt, &three, &err), SURVKIT_OK);
    assert_true(log.calls >= 2);
    assert_int_equal(log.last_done, pos);
    assert_int_equal(log.last_total, pos);
    assert_int_equal(survkit_table_n_rows(one), ROWS);
    assert_int_equal(survkit_table_n_rows(three), ROWS);
    for (size_t j = 0; j < 4; j++) {
        assert_int_equal(survkit_table_column_type(one, j), survkit_table_column_type(three, j));
        assert_int_equal(survkit_table_n_levels(one, j), survkit_table_n_levels(three, j));
        for (size_t k = 0; k < survkit_table_n_levels(one, j); k++)
            assert_string_equal(survkit_table_level(one, j, k), survkit_table_level(three, j, k));
    }
    assert_memory_equal(survkit_table_numeric(one, 0), survkit_table_numeric(three, 0), ROWS * sizeof(double));
    assert_memory_equal(survkit_table_codes(one, 1), survkit_table_codes(three, 1), ROWS * sizeof(int32_t));
    assert_memory_equal(survkit_table_codes(one, 2), survkit_table_codes(three, 2), ROWS * sizeof(int32_t));
    assert_memory_equal(survkit_table_numeric(one, 3), survkit_table_numeric(three, 3), ROWS * sizeof(double));
    assert_true(survkit_table_numeric(three, 0)[ROWS - 1] == strtod("599999.1", NULL));
    assert_true(survkit_table_numeric(three, 3)[ROWS - 2] == ROWS - 2);
    assert_string_equal(text_at(three, "late", 0), "2");
    assert_string_equal(text_at(three, "late", ROWS - 1), "x");
    assert_int_equal(survkit_table_n_levels(three, 2), 3); /* "2", "1", "x" */
    assert_string_equal(survkit_table_level(three, 2, 2), "x");
    survkit_table_free(one);
    survkit_table_free(three);

    /* An error in a later chunk names its line. */
    memcpy(text + pos - 6, ",,,,,\n", 6);
    log = (progress_log){0};
    assert_int_equal(survkit_table_read_buffer(text, pos, "gen", &opt, &three, &err), SURVKIT_ERR_PARSE);
    assert_int_equal(err.line, ROWS + 1);
    /* Cancelling from the progress callback. */
    log = (progress_log){.cancel_after = 1};
    assert_int_equal(survkit_table_read_buffer(text, pos, "gen", &opt, &three, &err), SURVKIT_ERR_ARGUMENT);
    assert_null(three);
    assert_non_null(strstr(err.message, "cancelled"));
    free(text);
}

/* The classic datasets read with the shape R gives them. */
static void test_lung_file(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/lung.csv", SURVKIT_DATASETS_DIR);
    survkit_table *t = NULL;
    survkit_error err;
    assert_int_equal(survkit_table_read_file(path, NULL, &t, &err), SURVKIT_OK);
    golden *g = golden_load("io/describe_lung.txt");
    assert_int_equal(survkit_table_n_rows(t), (size_t)golden_number(g, "n_rows"));
    assert_int_equal(survkit_table_n_columns(t), golden_length(g, "names"));
    for (size_t j = 0; j < survkit_table_n_columns(t); j++) {
        const char *name = golden_string(g, "names", j);
        assert_string_equal(survkit_table_column_name(t, j), name);
        /* summary(x)[7]: the NA count */
        assert_int_equal(survkit_table_n_missing(t, j), (size_t)golden_numbers(g, name)[6]);
    }
    /* lung$time[1:3] of read.csv("datasets/lung.csv") is 306 455 1010 */
    const double *time = numeric(t, "time");
    assert_true(time[0] == 306 && time[1] == 455 && time[2] == 1010);
    golden_free(g);
    survkit_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers_match_r),
        cmocka_unit_test(test_number_syntax_as_r),
        cmocka_unit_test(test_numbers_equal_strtod),
        cmocka_unit_test(test_rows_read_as_strtod),
        cmocka_unit_test(test_column_types_as_r),
        cmocka_unit_test(test_quoting_crlf_bom),
        cmocka_unit_test(test_separators),
        cmocka_unit_test(test_missing_values_and_names),
        cmocka_unit_test(test_errors_name_line_and_column),
        cmocka_unit_test(test_huge_field_and_wide_line),
        cmocka_unit_test(test_threads_give_the_same_table),
        cmocka_unit_test(test_lung_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
