/*
 * test_formula.c: the formula parser (tree shape, character positions, error messages and their
 * positions), R's term expansion and labels (golden: attr(terms(f), "term.labels") from
 * tests/golden/make_golden_formula.R) and R's as.character() of numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "golden.h"
#include "formula/formula_internal.h"

static void test_tree_and_positions(void **state)
{
    (void)state;
    /*                 1234567890123456789012345678901234567890 */
    const char *text = "Surv(time, status) ~ age + log(bili):sex";
    sk_formula f;
    survkit_error err;
    assert_int_equal(sk_formula_parse(text, &f, &err), SURVKIT_OK);
    assert_int_equal(f.lhs->kind, SK_NODE_CALL);
    assert_string_equal(f.lhs->name, "Surv");
    assert_int_equal(f.lhs->n_args, 2);
    assert_int_equal(f.lhs->args[1]->pos, 12);
    const sk_node *plus = f.rhs;
    assert_int_equal(plus->kind, SK_NODE_BINARY);
    assert_int_equal(plus->op, '+');
    assert_int_equal(plus->op_pos, 26);
    assert_int_equal(plus->args[0]->pos, 22);
    const sk_node *colon = plus->args[1];
    assert_int_equal(colon->op, ':'); /* ':' binds tighter than '+' */
    assert_int_equal(colon->args[0]->pos, 28);
    assert_string_equal(colon->args[0]->name, "log");
    assert_int_equal(colon->args[1]->pos, 38);
    sk_formula_release(&f);

    /* -a^2 is -(a^2); a^-1 is allowed; * binds tighter than +; comparisons loosest */
    assert_int_equal(sk_formula_parse("~ I(-a^2 + b*c == d)", &f, &err), SURVKIT_OK);
    const sk_node *eq = f.rhs->args[0];
    assert_int_equal(eq->op, SK_OP_EQ);
    assert_int_equal(eq->args[0]->op, '+');
    assert_int_equal(eq->args[0]->args[0]->kind, SK_NODE_UNARY);
    assert_int_equal(eq->args[0]->args[0]->args[0]->op, '^');
    assert_int_equal(eq->args[0]->args[1]->op, '*');
    char *text2 = sk_deparse(f.rhs);
    assert_string_equal(text2, "I(-a^2 + b * c == d)");
    free(text2);
    sk_formula_release(&f);

    /* backticks, dotted and underscored names */
    assert_int_equal(sk_formula_parse("Surv(t, s) ~ `my var` + ph.ecog + x_1", &f, &err), SURVKIT_OK);
    assert_string_equal(f.rhs->args[0]->args[0]->name, "my var");
    assert_int_equal(f.rhs->args[0]->args[1]->pos, 25);
    assert_string_equal(f.rhs->args[1]->name, "x_1");
    sk_formula_release(&f);
}

typedef struct error_case {
    const char *formula;
    size_t column;
    const char *message; /* a substring of the message */
} error_case;

static void assert_error_matches(const error_case *c, const survkit_error *err)
{
    if (err->column != c->column || strstr(err->message, c->message) == NULL)
        fail_msg("'%s': column %llu '%s', expected column %zu '%s'", c->formula,
                 (unsigned long long)err->column, err->message, c->column, c->message);
}

static void test_syntax_errors(void **state)
{
    (void)state;
    static const error_case cases[] = {
        /*123456789012345678901234567890 */
        {"Surv(time, status ~ age", 19, "expected ')'"},
        {"Surv(time, status) ~ foo(age)", 22, "unknown function 'foo'"},
        {"Surv(time) ~ age", 1, "Surv() takes 2 or 3 arguments"},
        {"Surv(a, b, c, d) ~ age", 1, "Surv() takes 2 or 3 arguments"},
        {"Surv(time, status) ~ log()", 22, "log() takes 1 or 2 arguments"},
        {"Surv(time, status) ~ age +", 27, "unexpected end of formula"},
        {"Surv(time, status) ~ age $ x", 26, "unexpected character '$'"},
        {"Surv(time, status) age", 20, "unexpected 'age'"},
        {"Surv(time, status)", 19, "expected '~'"},
        {"Surv(time, status) ~ (age", 26, "expected ')'"},
        {"Surv(time, status) ~ age)", 25, "unmatched ')'"},
        {"Surv(time, status) ~ `ph ecog", 22, "unterminated backtick"},
        {"Surv(time, status) ~ age + , sex", 28, "unexpected ','"},
        {"", 1, "unexpected end of formula"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        sk_formula f;
        survkit_error err;
        survkit_error_clear(&err);
        if (sk_formula_parse(cases[k].formula, &f, &err) != SURVKIT_ERR_FORMULA)
            fail_msg("'%s' parsed", cases[k].formula);
        assert_error_matches(&cases[k], &err);
    }
}

static void test_term_errors(void **state)
{
    (void)state;
    static const error_case cases[] = {
        {"~ age + strata(sex):age", 9, "strata() cannot be part of an interaction"},
        {"~ age * cluster(id)", 9, "cluster() cannot be part of an interaction"},
        {"~ age + 2", 9, "invalid model term"},
        {"~ (a + b)^x", 11, "positive integer"},
        {"~ Surv(a, b)", 3, "left of '~'"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        sk_formula f;
        sk_terms t;
        survkit_error err;
        assert_int_equal(sk_formula_parse(cases[k].formula, &f, &err), SURVKIT_OK);
        if (sk_terms_build(f.rhs, &t, &err) != SURVKIT_ERR_FORMULA)
            fail_msg("'%s' expanded", cases[k].formula);
        assert_error_matches(&cases[k], &err);
        sk_formula_release(&f);
    }
}

static void test_terms_match_r(void **state)
{
    (void)state;
    golden *g = golden_load("formula/terms.txt");
    size_t checked = 0;
    for (size_t k = 1;; k++) {
        char key[32], labels_key[32];
        snprintf(key, sizeof key, "formula%zu", k);
        snprintf(labels_key, sizeof labels_key, "labels%zu", k);
        if (!golden_has(g, key)) break;
        const char *text = golden_string(g, key, 0);
        sk_formula f;
        sk_terms t;
        survkit_error err;
        if (sk_formula_parse(text, &f, &err) != SURVKIT_OK || sk_terms_build(f.rhs, &t, &err) != SURVKIT_OK)
            fail_msg("%s: %s", text, err.message);
        size_t n = golden_length(g, labels_key);
        if (t.n_terms != n) fail_msg("%s: %zu terms, R has %zu", text, t.n_terms, n);
        for (size_t j = 0; j < n; j++)
            if (strcmp(t.term_label[j], golden_string(g, labels_key, j)) != 0)
                fail_msg("%s: term %zu is '%s', R says '%s'", text, j, t.term_label[j],
                         golden_string(g, labels_key, j));
        sk_terms_release(&t);
        sk_formula_release(&f);
        checked++;
    }
    assert_true(checked >= 19);
    golden_free(g);
}

static void test_specials_are_set_aside(void **state)
{
    (void)state;
    sk_formula f;
    sk_terms t;
    survkit_error err;
    assert_int_equal(sk_formula_parse("~ x + strata(s, u) + offset(o) + cluster(id) + offset(p)", &f, &err), SURVKIT_OK);
    assert_int_equal(sk_terms_build(f.rhs, &t, &err), SURVKIT_OK);
    assert_int_equal(t.n_terms, 1);
    assert_int_equal(t.n_specials, 4);
    assert_int_equal(t.special[0].kind, SK_SPECIAL_STRATA);
    assert_int_equal(t.special[0].call->n_args, 2);
    assert_int_equal(t.special[1].kind, SK_SPECIAL_OFFSET);
    assert_int_equal(t.special[2].kind, SK_SPECIAL_CLUSTER);
    assert_int_equal(t.special[3].kind, SK_SPECIAL_OFFSET);
    sk_terms_release(&t);
    sk_formula_release(&f);
}

static void test_as_character_matches_r(void **state)
{
    (void)state;
    golden *g = golden_load("formula/as_character.txt");
    size_t n = golden_length(g, "values");
    const double *values = golden_numbers(g, "values");
    for (size_t k = 0; k < n; k++) {
        char text[64];
        sk_format_number(values[k], text, sizeof text);
        if (strcmp(text, golden_string(g, "text", k)) != 0)
            fail_msg("as.character(%.17g): '%s', R says '%s'", values[k], text, golden_string(g, "text", k));
    }
    golden_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree_and_positions),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_term_errors),
        cmocka_unit_test(test_terms_match_r),
        cmocka_unit_test(test_specials_are_set_aside),
        cmocka_unit_test(test_as_character_matches_r),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
