/*
 * test_report_km.c: the text reports read like R's print methods. Expected text is R 4.2's
 * output (survival 3.5-3) for lung.csv:
 *   print(survfit(Surv(time, status) ~ sex, lung), rmean = 365)
 *   summary(fit, times = c(100, 365))
 *   print(survdiff(Surv(time, status) ~ sex, lung))
 * The fits use the arrays stored in tests/golden/km/ (same data).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "golden.h"
#include "report_km.h"
#include "report_logrank.h"

static char *capture_start(FILE **f)
{
    *f = tmpfile();
    assert_non_null(*f);
    return NULL;
}

static char *capture_end(FILE *f)
{
    long size = ftell(f);
    char *text = calloc((size_t)size + 1, 1);
    rewind(f);
    assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    return text;
}

static void assert_contains(const char *text, const char *expected)
{
    if (strstr(text, expected) == NULL) fail_msg("expected\n%s\nin\n%s", expected, text);
}

static void test_print_survfit_and_summary_times(void **state)
{
    (void)state;
    golden *g = golden_load("km/lung_sex.txt");
    size_t n = golden_length(g, "time");
    int32_t *group = golden_int32(g, "group");
    const char *labels[2] = {"sex=1", "sex=2"};
    survkit_km *km = NULL;
    assert_int_equal(survkit_km_fit(n, NULL, golden_numbers(g, "time"), golden_numbers(g, "status"),
                                    NULL, group, 2, labels, NULL, &km, NULL), SURVKIT_OK);
    const double times[2] = {100, 365};
    report_km_options opt = {0};
    opt.formula = "Surv(time, status) ~ sex";
    opt.tau = 365;
    opt.times = times;
    opt.n_times = 2;
    FILE *f;
    capture_start(&f);
    assert_int_equal(report_km_text(f, km, &opt, NULL), SURVKIT_OK);
    char *text = capture_end(f);
    assert_contains(text,
                    "        n events rmean* se(rmean) median 0.95LCL 0.95UCL\n"
                    "sex=1 138    112    241      10.4    270     212     310\n"
                    "sex=2  90     53    297      10.8    426     348     550\n"
                    "    * restricted mean with upper limit =  365 \n");
    assert_contains(text,
                    "                sex=1 \n"
                    " time n.risk n.event survival std.err lower 95% CI upper 95% CI\n"
                    "  100    114      24    0.826  0.0323        0.765        0.892\n"
                    "  365     35      61    0.336  0.0434        0.261        0.433\n");
    assert_contains(text,
                    "  100     82       7    0.922  0.0283        0.868        0.979\n"
                    "  365     30      29    0.526  0.0597        0.421        0.658\n");
    free(text);
    /* A tau before the first time is an error, reported before anything is written. */
    opt.tau = 1;
    capture_start(&f);
    survkit_error err;
    assert_int_equal(report_km_text(f, km, &opt, &err), SURVKIT_ERR_ARGUMENT);
    text = capture_end(f);
    assert_string_equal(text, "");
    free(text);
    survkit_km_free(km);
    free(group);
    golden_free(g);
}

static void test_print_survdiff(void **state)
{
    (void)state;
    golden *g = golden_load("km/lr_lung_sex.txt");
    size_t n = golden_length(g, "time");
    int32_t *group = golden_int32(g, "group");
    const char *labels[2] = {"sex=1", "sex=2"};
    survkit_logrank *lr = NULL;
    assert_int_equal(survkit_logrank_test(n, golden_numbers(g, "time"), golden_numbers(g, "status"),
                                          group, 2, NULL, 0, labels, NULL, &lr, NULL), SURVKIT_OK);
    report_logrank_options opt = {"Surv(time, status) ~ sex", 0, NULL};
    FILE *f;
    capture_start(&f);
    report_logrank_text(f, lr, &opt);
    char *text = capture_end(f);
    assert_contains(text,
                    "        N Observed Expected (O-E)^2/E (O-E)^2/V\n"
                    "sex=1 138      112     91.6      4.55      10.3\n"
                    "sex=2  90       53     73.4      5.68      10.3\n"
                    "\n Chisq= 10.3  on 1 degrees of freedom, p= 0.001 \n");
    free(text);
    survkit_logrank_free(lr);
    free(group);
    golden_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_print_survfit_and_summary_times),
        cmocka_unit_test(test_print_survdiff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
