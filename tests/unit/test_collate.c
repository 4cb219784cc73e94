/*
 * test_collate.c: the order of string levels (src/formula/collate.c) against R's sort() of a list
 * of strings that differ in case, punctuation, digits, accents, spaces, ligatures and script
 * (tests/golden/collate/strings.txt, written by tests/golden/make_golden_collate.R in Debian's R:
 * ICU root collation in a UTF-8 locale, and bytes with LC_COLLATE=C).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "formula/formula_internal.h"
#include "golden.h"

static void check_order(survkit_collate collate, const char *key)
{
    golden *g = golden_load("collate/strings.txt");
    size_t n = golden_length(g, "input");
    assert_int_equal(golden_length(g, key), n);
    const char **texts = malloc(n * sizeof *texts);
    size_t *order = malloc(n * sizeof *order);
    for (size_t k = 0; k < n; k++) texts[k] = golden_string(g, "input", k);
    assert_true(sk_collate_order(texts, n, collate, order));
    for (size_t k = 0; k < n; k++)
        if (strcmp(texts[order[k]], golden_string(g, key, k)) != 0)
            fail_msg("%s: place %zu holds '%s', R has '%s'", key, k + 1, texts[order[k]],
                     golden_string(g, key, k));
    /* the pairwise comparison agrees with the sort */
    for (size_t k = 1; k < n; k++)
        assert_true(sk_collate_compare(texts[order[k - 1]], texts[order[k]], collate) < 0);
    free(order);
    free(texts);
    golden_free(g);
}

static void test_utf8_order_matches_r(void **state)
{
    (void)state;
    check_order(SURVKIT_COLLATE_UTF8, "sorted_utf8");
}

static void test_c_order_matches_r(void **state)
{
    (void)state;
    check_order(SURVKIT_COLLATE_C, "sorted_c");
}

/* The cases the issue names, and what the levels give in a frame. */
static void test_named_cases(void **state)
{
    (void)state;
    assert_true(sk_collate_compare("female", "X-linked", SURVKIT_COLLATE_UTF8) < 0);
    assert_true(sk_collate_compare("female", "X-linked", SURVKIT_COLLATE_C) > 0);
    assert_true(sk_collate_compare("<=20", "20-50", SURVKIT_COLLATE_UTF8) < 0);
    assert_true(sk_collate_compare("<=20", "20-50", SURVKIT_COLLATE_C) > 0);
    /* a decomposed e + combining acute sorts with the precomposed letter, bytes breaking the tie */
    assert_true(sk_collate_compare("e\xcc\x81" "a", "\xc3\xa9" "b", SURVKIT_COLLATE_UTF8) < 0);
    assert_true(sk_collate_compare("\xc3\xa9" "a", "e\xcc\x81" "b", SURVKIT_COLLATE_UTF8) < 0);
    /* an invalid byte does not stop the key */
    assert_true(sk_collate_compare("a\xff" "a", "a\xff" "b", SURVKIT_COLLATE_UTF8) < 0);

    const char csv[] = "time,status,g\n1,1,X-linked\n2,0,female\n3,1,female\n4,1,X-linked\n";
    survkit_table *t = NULL;
    survkit_error err;
    survkit_error_clear(&err);
    assert_int_equal(survkit_table_read_buffer(csv, sizeof csv - 1, "g.csv", NULL, &t, &err),
                     SURVKIT_OK);
    survkit_frame_options opt;
    survkit_frame_options_init(&opt);
    survkit_frame *f = NULL;
    assert_int_equal(survkit_frame_build(t, "Surv(time, status) ~ g", &opt, &f, &err), SURVKIT_OK);
    assert_string_equal(survkit_frame_column_name(f, 0), "gX-linked");
    assert_string_equal(survkit_frame_group_label(f, 0), "g=female");
    survkit_frame_free(f);
    opt.collate = SURVKIT_COLLATE_C;
    assert_int_equal(survkit_frame_build(t, "Surv(time, status) ~ g", &opt, &f, &err), SURVKIT_OK);
    assert_string_equal(survkit_frame_column_name(f, 0), "gfemale");
    assert_string_equal(survkit_frame_group_label(f, 0), "g=X-linked");
    survkit_frame_free(f);
    opt.collate = (survkit_collate)7;
    assert_int_equal(survkit_frame_build(t, "Surv(time, status) ~ g", &opt, &f, &err),
                     SURVKIT_ERR_ARGUMENT);
    survkit_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_order_matches_r),
        cmocka_unit_test(test_c_order_matches_r),
        cmocka_unit_test(test_named_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
