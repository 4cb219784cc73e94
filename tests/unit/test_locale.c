/*
 * test_locale.c: the library reads and writes numbers the same in every locale (issue 21, defect
 * 4). A program that calls setlocale(LC_ALL, "") in a decimal-comma locale used to get I(age/2.5)
 * fitted as I(age/2) (strtod stopped at the '.') and saved models that could not be read back
 * (printf wrote "0,0123"). Here the process switches to de_DE.UTF-8 or fr_FR.UTF-8 -- installed,
 * or generated with localedef into a temporary folder named by LOCPATH -- and the formula, the
 * names, a CSV file, a strata label and a saved model's round trip must equal those of the C
 * locale. Skipped, saying why, only when no decimal-comma locale can be had at all.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "golden.h"
#include "formula/formula_internal.h"

#include <survkit/survkit.h>

#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char generated_dir[64]; /* the LOCPATH folder when a locale had to be generated */

static bool comma_locale_active(void)
{
    const struct lconv *lc = localeconv();
    return lc != NULL && strcmp(lc->decimal_point, ",") == 0;
}

static bool try_locales(void)
{
    static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8",
                                        "de_DE", "fr_FR"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (setlocale(LC_ALL, names[k]) != NULL && comma_locale_active()) return true;
    return false;
}

/* Switch the whole process to a decimal-comma locale; false (with a note) when impossible. */
static bool enter_comma_locale(void)
{
    if (try_locales()) return true;
    if (generated_dir[0] != '\0') return false; /* generated before, and it did not work */
    /* Not installed: compile one from the system's locale sources into a private folder. */
    snprintf(generated_dir, sizeof generated_dir, "/tmp/survkit-locale-XXXXXX");
    if (mkdtemp(generated_dir) == NULL) return false;
    char command[256];
    snprintf(command, sizeof command,
             "localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1 || "
             "localedef -i fr_FR -f UTF-8 %s/fr_FR.UTF-8 >/dev/null 2>&1",
             generated_dir, generated_dir);
    if (system(command) == 0) {
        setenv("LOCPATH", generated_dir, 1);
        if (try_locales()) return true;
    }
    return false;
}

static void leave_comma_locale(void)
{
    setlocale(LC_ALL, "C");
}

/* Remove a generated locale (once, at the end: generating one takes seconds). */
static void remove_generated_locale(void)
{
    if (generated_dir[0] != '\0') {
        char command[128];
        snprintf(command, sizeof command, "rm -rf %s", generated_dir);
        if (system(command) != 0) print_message("could not remove %s\n", generated_dir);
        generated_dir[0] = '\0';
        unsetenv("LOCPATH");
    }
}

static survkit_table *read_lung(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/lung.csv", datasets_dir());
    survkit_read_options opt;
    survkit_read_options_init(&opt);
    survkit_table *t = NULL;
    survkit_error err;
    if (survkit_table_read_file(path, &opt, &t, &err) != SURVKIT_OK) fail_msg("lung: %s", err.message);
    return t;
}

/* What the test compares between the two locales. */
typedef struct results {
    double x0, x1;          /* the first row of I(age/2.5) and of I(wt.loss * 0.5) */
    double age0;            /* that row's age, read by the CSV reader */
    char name[64];          /* the coefficient's name */
    char label[64];         /* a strata label from a decimal value */
    double coef[2];         /* a Cox fit's coefficients */
    double read_back[2];    /* the same after the saved model's round trip */
    double csv_value;       /* a decimal read by the CSV reader */
} results;

static void compute(results *r)
{
    memset(r, 0, sizeof *r);
    survkit_error err;
    survkit_table *lung = read_lung();
    survkit_frame_options fo;
    survkit_frame_options_init(&fo);
    fo.groups = false;
    survkit_frame *frame = NULL;
    if (survkit_frame_build(lung, "Surv(time, status) ~ I(age/2.5) + I(wt.loss * 0.5)", &fo,
                            &frame, &err) != SURVKIT_OK)
        fail_msg("frame: %s", err.message);
    r->x0 = survkit_frame_x(frame)[0];
    r->age0 = survkit_table_numeric(lung, (size_t)survkit_table_find(lung, "age"))
                  [survkit_frame_row_index(frame)[0]];
    r->x1 = survkit_frame_x(frame)[survkit_frame_n(frame)];
    snprintf(r->name, sizeof r->name, "%s", survkit_frame_column_name(frame, 0));

    survkit_cox_options co;
    survkit_cox_options_init(&co);
    survkit_cox_result *fit = NULL;
    if (survkit_cox_fit_frame(frame, &co, &fit, &err) != SURVKIT_OK) fail_msg("fit: %s", err.message);
    memcpy(r->coef, survkit_cox_result_coef(fit), sizeof r->coef);
    survkit_cox_model *model = NULL;
    assert_int_equal(survkit_cox_model_create_frame(fit, frame, NULL, &model, &err), SURVKIT_OK);
    char *text = survkit_cox_model_to_json(model);
    assert_non_null(text);
    survkit_cox_model *again = NULL;
    if (survkit_cox_model_from_json(text, strlen(text), "model", &again, &err) != SURVKIT_OK)
        fail_msg("the saved model does not read back: %s (line %llu)", err.message,
                 (unsigned long long)err.line);
    memcpy(r->read_back, survkit_cox_model_coef(again), sizeof r->read_back);
    free(text);
    survkit_cox_model_free(again);
    survkit_cox_model_free(model);
    survkit_cox_result_free(fit);
    survkit_frame_free(frame);

    static const char csv[] = "time,status,dose\n1,1,0.5\n2,0,1.25\n3,1,0.5\n";
    survkit_read_options ro;
    survkit_read_options_init(&ro);
    survkit_table *small = NULL;
    assert_int_equal(survkit_table_read_buffer(csv, sizeof csv - 1, "small", &ro, &small, &err),
                     SURVKIT_OK);
    r->csv_value = survkit_table_numeric(small, 2)[1];
    survkit_frame_options so;
    survkit_frame_options_init(&so);
    survkit_frame *by_dose = NULL;
    if (survkit_frame_build(small, "Surv(time, status) ~ strata(dose)", &so, &by_dose, &err) !=
        SURVKIT_OK)
        fail_msg("strata frame: %s", err.message);
    snprintf(r->label, sizeof r->label, "%s", survkit_frame_strata_label(by_dose, 0));
    survkit_frame_free(by_dose);
    survkit_table_free(small);
    survkit_table_free(lung);
}

static void test_numbers_ignore_the_locale(void **state)
{
    (void)state;
    results c, comma;
    compute(&c);
    /* the C locale's values are R's */
    assert_true(c.x0 == c.age0 / 2.5);
    assert_string_equal(c.name, "I(age/2.5)");
    assert_string_equal(c.label, "dose=0.5");
    assert_true(c.csv_value == 1.25);
    if (!enter_comma_locale()) {
        print_message("SKIPPED: no decimal-comma locale is installed and localedef could not "
                      "make one (de_DE or fr_FR)\n");
        skip();
    }
    compute(&comma);
    leave_comma_locale();
    assert_true(comma.x0 == c.x0);
    assert_true(comma.x1 == c.x1);
    assert_string_equal(comma.name, c.name);
    assert_string_equal(comma.label, c.label);
    assert_true(comma.csv_value == c.csv_value);
    assert_memory_equal(comma.coef, c.coef, sizeof c.coef);
    assert_memory_equal(comma.read_back, c.coef, sizeof c.coef);
    assert_memory_equal(c.read_back, c.coef, sizeof c.coef);
}

/* The number names R gives (as.character) in a decimal-comma locale. */
static void test_number_names(void **state)
{
    (void)state;
    if (!enter_comma_locale()) skip();
    char buf[64];
    sk_format_number(2.5, buf, sizeof buf);
    assert_string_equal(buf, "2.5");
    sk_format_number(1e-20, buf, sizeof buf);
    assert_string_equal(buf, "1e-20");
    sk_format_number(-0.125, buf, sizeof buf);
    assert_string_equal(buf, "-0.125");
    leave_comma_locale();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers_ignore_the_locale),
        cmocka_unit_test(test_number_names),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    remove_generated_locale();
    return failed;
}
