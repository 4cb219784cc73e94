/*
 * test_csv_decimals.c: every number the CSV reader reads is the double strtod gives, bit for bit
 * (the contract of docs/cli.md), over millions of random fields of the shapes data files hold:
 * 0/1 indicators, integers with and without leading zeros, R's 7 to 17 significant digits, long
 * decimals past the 19 digits of the fast path, mantissas next to 2^53, exponents, signs, "-0",
 * ".5" and "5.". The expected value of each field is strtod of its own text; nothing else is
 * assumed. Two ways in: the fast decimal parser itself (io/fast_decimal.h) on each field, and the
 * whole reader (both threads, the fused row reader and its fallbacks) on a table of them.
 *
 * SURVKIT_DECIMAL_FIELDS=N (environment) sets the number of fields of each part (default 1
 * million, well under a second in a release build); run by hand with 100000000 or more.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io/fast_decimal.h"
#include "survkit/survkit.h"
#include "test_random.h"

enum { MAX_FIELD = 64 };

static size_t n_fields(void) { return test_count_from_env("SURVKIT_DECIMAL_FIELDS", 1000000); }

/* A number in [0, n) from the top 32 bits (multiply and shift, no division). */
static unsigned below(uint64_t *state, unsigned n)
{
    return (unsigned)(((test_random_word(state) >> 32) * n) >> 32);
}

static size_t put_digits(char *f, size_t len, unsigned count, uint64_t *state)
{
    for (unsigned k = 0; k < count; k++) f[len++] = (char)('0' + below(state, 10));
    return len;
}

/* One random field of a data file's shapes into f (NUL-terminated); returns its length. */
static size_t random_field(char *f, uint64_t *state)
{
    size_t len = 0;
    const unsigned kind = below(state, 12);
    if (kind != 0 && below(state, 2)) f[len++] = '-';
    else if (kind != 0 && below(state, 16) == 0) f[len++] = '+';
    switch (kind) {
    case 0: /* an indicator or a small code */
        f[len++] = (char)('0' + below(state, 10));
        break;
    case 1: /* an integer, 1 to 20 digits */
        len = put_digits(f, len, 1 + below(state, 20), state);
        break;
    case 2: /* leading zeros, then an integer or a decimal */
        for (unsigned k = 1 + below(state, 6); k > 0; k--) f[len++] = '0';
        len = put_digits(f, len, below(state, 8), state);
        if (below(state, 2)) {
            f[len++] = '.';
            len = put_digits(f, len, 1 + below(state, 10), state);
        }
        break;
    case 3: /* R's write.csv of a double: 0 to 4 integer digits, 1 to 17 decimals */
    case 4:
    case 5: {
        unsigned n_int = below(state, 5);
        if (n_int == 0) f[len++] = '0';
        len = put_digits(f, len, n_int, state);
        f[len++] = '.';
        if (below(state, 4) == 0)
            for (unsigned k = below(state, 6); k > 0; k--) f[len++] = '0';
        len = put_digits(f, len, 1 + below(state, 17), state);
        break;
    }
    case 6: /* many digits on both sides: past the 19 of the fast path */
        len = put_digits(f, len, below(state, 21), state);
        f[len++] = '.';
        len = put_digits(f, len, 1 + below(state, 25), state);
        break;
    case 7: { /* a mantissa next to 2^53 = 9007199254740992, the point anywhere */
        char digits[24];
        int n = snprintf(digits, sizeof digits, "%llu",
                         9007199254740992ULL - 8 + (unsigned long long)below(state, 17));
        unsigned point = below(state, (unsigned)n + 1);
        for (int k = 0; k < n; k++) {
            if ((unsigned)k == point && k > 0) f[len++] = '.';
            f[len++] = digits[k];
        }
        break;
    }
    case 8: /* an exponent */
        len = put_digits(f, len, 1 + below(state, 3), state);
        if (below(state, 2)) {
            f[len++] = '.';
            len = put_digits(f, len, 1 + below(state, 17), state);
        }
        len += (size_t)snprintf(f + len, MAX_FIELD - len, "%c%d", below(state, 2) ? 'e' : 'E',
                                (int)below(state, 660) - 330);
        break;
    case 9: /* no integer digits, or no decimals */
        if (below(state, 2)) {
            f[len++] = '.';
            len = put_digits(f, len, 1 + below(state, 12), state);
        } else {
            len = put_digits(f, len, 1 + below(state, 12), state);
            f[len++] = '.';
        }
        break;
    case 10: /* zeros, signed too */
        f[len++] = '0';
        if (below(state, 2)) {
            f[len++] = '.';
            for (unsigned k = 1 + below(state, 5); k > 0; k--) f[len++] = '0';
        }
        break;
    default: /* 15 to 17 significant digits, the point anywhere among them */
    {
        unsigned n = 15 + below(state, 3), point = below(state, n);
        for (unsigned k = 0; k < n; k++) {
            if (k == point && k > 0) f[len++] = '.';
            f[len++] = (char)('0' + below(state, 10));
        }
        break;
    }
    }
    f[len] = '\0';
    return len;
}

static void assert_same_double(double got, double expected, const char *text, const char *where)
{
    if (memcmp(&got, &expected, sizeof got) != 0)
        fail_msg("%s: '%s' read as %.17g, strtod gives %.17g", where, text, got, expected);
}

/*
 * The fast parser on each field, followed by a separator and by as many bytes as the field leaves
 * in a 24-byte slot, or none (the field ends the input: end - p is the field and its separator).
 * When it takes a field it must give strtod's double and stop exactly at the separator; every
 * field in its form (at most 19 digits, no exponent, M <= 2^53) must be taken.
 */
static void test_fast_parser_equals_strtod(void **state)
{
    (void)state;
    const size_t n = n_fields();
    uint64_t rng = 20241203;
    char buf[MAX_FIELD + 32];
    size_t taken = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = random_field(buf, &rng);
        buf[len] = ',';
        memset(buf + len + 1, '7', sizeof buf - len - 1); /* digits after the end must not count */
        const char *end = (i & 1) ? buf + len + 1 : buf + sizeof buf;
        const char *stop = NULL;
        double got;
        /* In the fast form: sign, digits with at most one point, 1 to 19 digits, M <= 2^53. */
        size_t digits = 0, point = 0, other = 0;
        unsigned long long m = 0;
        for (size_t k = (buf[0] == '-' || buf[0] == '+'); k < len; k++) {
            if (buf[k] == '.') point++;
            else if (buf[k] >= '0' && buf[k] <= '9') {
                digits++;
                if (digits <= 19) m = m * 10 + (unsigned)(buf[k] - '0');
            } else other++;
        }
        const bool fast_form = other == 0 && point <= 1 && digits >= 1 && digits <= 19 &&
                               m <= (1ULL << 53);
        if (sk_fast_decimal(buf, end, &stop, &got)) {
            /* It read [buf, stop): the whole field, or a prefix in the fast form that the caller
             * rejects because no separator follows ("1" of "1e5"); either way strtod's double. */
            if (stop <= buf || stop > buf + len) fail_msg("field %zu: stopped at byte %td", i, stop - buf);
            const char saved = *stop;
            *(char *)stop = '\0';
            assert_same_double(got, strtod(buf, NULL), buf, "fast parser");
            *(char *)stop = saved;
            if (fast_form && stop != buf + len) fail_msg("field %zu: stopped at byte %td", i, stop - buf);
            taken += stop == buf + len;
        } else if (fast_form) {
            buf[len] = '\0';
            fail_msg("'%s' is in the fast form but was not taken", buf);
        }
    }
    assert_true(taken > n / 2); /* the shapes above are mostly in the fast form */
}

/* The whole reader on a table of the same fields: 7 columns, LF and now and then CRLF. */
static void test_reader_equals_strtod(void **state)
{
    (void)state;
    enum { COLS = 7 };
    const size_t rows = n_fields() / COLS;
    char *text = malloc(rows * COLS * (MAX_FIELD + 2) + 64);
    size_t *at = malloc(rows * COLS * sizeof *at);
    assert_non_null(text);
    assert_non_null(at);
    size_t pos = (size_t)sprintf(text, "a,b,c,d,e,f,g\n");
    uint64_t rng = 7;
    for (size_t i = 0; i < rows; i++) {
        for (size_t j = 0; j < COLS; j++) {
            at[i * COLS + j] = pos;
            pos += random_field(text + pos, &rng);
            if (j + 1 < COLS) text[pos++] = ',';
            else if (i % 7 == 3) text[pos++] = '\r', text[pos++] = '\n';
            else text[pos++] = '\n';
        }
    }
    survkit_table *t = NULL;
    survkit_error err;
    assert_int_equal(survkit_table_read_buffer(text, pos, "decimals.csv", NULL, &t, &err), SURVKIT_OK);
    assert_int_equal(survkit_table_n_rows(t), rows);
    char field[MAX_FIELD + 1];
    for (size_t j = 0; j < COLS; j++) {
        assert_int_equal(survkit_table_column_type(t, j), SURVKIT_COLUMN_NUMERIC);
        assert_int_equal(survkit_table_n_missing(t, j), 0);
        const double *v = survkit_table_numeric(t, j);
        for (size_t i = 0; i < rows; i++) {
            const char *f = text + at[i * COLS + j];
            size_t len = strcspn(f, ",\r\n");
            memcpy(field, f, len);
            field[len] = '\0';
            assert_same_double(v[i], strtod(field, NULL), field, "reader");
        }
    }
    survkit_table_free(t);
    free(at);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fast_parser_equals_strtod),
        cmocka_unit_test(test_reader_equals_strtod),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
