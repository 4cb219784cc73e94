/*
 * test_encoding.c: the data file's text as UTF-8 (src/io/encoding.c, issue 21 defect 6): the
 * validator's verdict on each kind of ill-formed sequence (Unicode 15, table 3-7), the Latin-1 and
 * Windows-1252 conversions, and the reader's located error and --encoding conversion.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "io/encoding.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t invalid_at(const char *s) { return sk_utf8_invalid_at(s, strlen(s)); }

static void test_utf8_validator(void **state)
{
    (void)state;
    assert_int_equal(invalid_at("plain ASCII, longer than eight bytes"), 36);
    assert_int_equal(invalid_at("K\xC3\xB6ln"), 5);                      /* ö */
    assert_int_equal(invalid_at("\xE2\x82\xAC and \xF0\x9F\x98\x80"), 12); /* €, an emoji */
    assert_int_equal(invalid_at("K\xF6ln"), 1);                          /* Latin-1 ö */
    assert_int_equal(invalid_at("ab\xC0\xAF"), 2);                       /* overlong '/' */
    assert_int_equal(invalid_at("ab\xE0\x80\xAF"), 2);                   /* overlong, 3 bytes */
    assert_int_equal(invalid_at("ab\xED\xA0\x80"), 2);                   /* a surrogate */
    assert_int_equal(invalid_at("ab\xF4\x90\x80\x80"), 2);               /* above U+10FFFF */
    assert_int_equal(invalid_at("ab\xF5\x80\x80\x80"), 2);
    assert_int_equal(invalid_at("12345678\xC3"), 8);                     /* cut short */
    assert_int_equal(invalid_at("\xE2\x82x"), 0);                        /* bad continuation */
    assert_int_equal(invalid_at("\x80"), 0);                             /* lone continuation */
}

static void test_conversions(void **state)
{
    (void)state;
    size_t n, bad;
    char *u = sk_to_utf8("K\xF6ln \x80", 6, SURVKIT_ENCODING_CP1252, &n, &bad);
    assert_non_null(u);
    assert_string_equal(u, "K\xC3\xB6ln \xE2\x82\xAC");
    assert_int_equal(n, strlen(u));
    free(u);
    u = sk_to_utf8("K\xF6ln \x80", 6, SURVKIT_ENCODING_LATIN1, &n, &bad);
    assert_non_null(u);
    assert_string_equal(u, "K\xC3\xB6ln \xC2\x80"); /* Latin-1 maps every byte to U+00XX */
    free(u);
    assert_null(sk_to_utf8("ab\x81", 3, SURVKIT_ENCODING_CP1252, &n, &bad));
    assert_int_equal(bad, 2);
    survkit_encoding e;
    assert_true(survkit_encoding_parse("Windows-1252", &e) && e == SURVKIT_ENCODING_CP1252);
    assert_true(survkit_encoding_parse("ISO-8859-1", &e) && e == SURVKIT_ENCODING_LATIN1);
    assert_true(survkit_encoding_parse("UTF-8", &e) && e == SURVKIT_ENCODING_UTF8);
    assert_false(survkit_encoding_parse("ebcdic", &e));
}

static void test_reader(void **state)
{
    (void)state;
    static const char text[] = "time,status,town\n1,1,K\xF6ln\n2,0,M\xFCnchen\n";
    survkit_read_options opt;
    survkit_read_options_init(&opt);
    survkit_table *t = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_table_read_buffer(text, sizeof text - 1, "w.csv", &opt, &t, &err),
                     SURVKIT_ERR_PARSE);
    assert_null(t);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 6);
    assert_non_null(strstr(err.message, "--encoding"));
    opt.encoding = SURVKIT_ENCODING_CP1252;
    assert_int_equal(survkit_table_read_buffer(text, sizeof text - 1, "w.csv", &opt, &t, &err),
                     SURVKIT_OK);
    assert_string_equal(survkit_table_level(t, 2, 0), "K\xC3\xB6ln");
    assert_string_equal(survkit_table_level(t, 2, 1), "M\xC3\xBCnchen");
    survkit_table_free(t);
    /* CR-only line ends read as LF ones */
    static const char cr[] = "time,status\r1,1\r2,0\r";
    survkit_read_options_init(&opt);
    assert_int_equal(survkit_table_read_buffer(cr, sizeof cr - 1, "cr.csv", &opt, &t, &err),
                     SURVKIT_OK);
    assert_int_equal(survkit_table_n_rows(t), 2);
    assert_int_equal(survkit_table_n_columns(t), 2);
    survkit_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_validator),
        cmocka_unit_test(test_conversions),
        cmocka_unit_test(test_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
