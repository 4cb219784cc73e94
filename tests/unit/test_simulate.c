/*
 * test_simulate.c: the generator behind `survkit simulate`: its random stream, its portable log and
 * exp, its round-trip decimals, and cohorts whose event shares match the model's probabilities.
 *
 * The generator lives with the command (src/cli), outside the library this test links, so its three
 * source files are compiled into this test directly.
 *
 * Tolerances for simulated shares: the event indicator is Bernoulli(P), so the share over n rows has
 * standard error sqrt(P (1 - P) / n); the tests allow 5 standard errors (a false alarm has
 * probability below 1e-6 for a fresh seed, and the seeds are fixed, so the outcome is reproducible).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cli/sim_decimal.c"
#include "cli/sim_random.c"
#include "cli/simulate.c"

/* The first outputs of xoshiro256** seeded with splitmix64(1), from an independent Python
 * implementation of the published algorithms (Vigna's reference code). */
static void test_stream_matches_reference(void **state)
{
    (void)state;
    const uint64_t expected[4] = {UINT64_C(0xb3f2af6d0fc710c5), UINT64_C(0x853b559647364cea),
                                  UINT64_C(0x92f89756082a4514), UINT64_C(0x642e1c7bc266a3a7)};
    sim_rng rng;
    sim_rng_seed(&rng, 1);
    for (int k = 0; k < 4; k++) assert_true(sim_rng_next(&rng) == expected[k]);
}

/* A positive double spread over ~1e-304 .. 1e304. */
static double wide_positive(sim_rng *rng)
{
    return exp((sim_uniform(rng) - 0.5) * 1400);
}

/* sim_log and sim_exp agree with glibc's to a few units in the last place. */
static void test_log_exp_accuracy(void **state)
{
    (void)state;
    sim_rng rng;
    sim_rng_seed(&rng, 7);
    double worst_log = 0, worst_exp = 0;
    for (int i = 0; i < 200000; i++) {
        const double x = wide_positive(&rng);
        const double l = sim_log(x), lr = log(x);
        if (lr != 0) worst_log = fmax(worst_log, fabs(l - lr) / fabs(lr));
        const double y = (sim_uniform(&rng) - 0.5) * 1400; /* [-700, 700] */
        const double e = sim_exp(y), er = exp(y);
        worst_exp = fmax(worst_exp, fabs(e - er) / er);
    }
    assert_true(worst_log < 4e-16);
    assert_true(worst_exp < 4e-16);
    assert_true(sim_log(1.0) == 0.0);
    assert_true(sim_exp(0.0) == 1.0);
    assert_true(isinf(sim_log(0.0)) && sim_log(0.0) < 0);
    assert_true(isnan(sim_log(-1.0)));
    assert_true(isinf(sim_exp(710.0)));
    assert_true(sim_exp(-800.0) == 0.0);
}

/* Normal(0, 1) and Gamma(a) scaled to mean 1: sample mean and variance within 5 standard errors.
 * Mean: SE = sigma / sqrt(n). Variance: SE = sqrt((mu4 - sigma^4) / n), with mu4 = 3 sigma^4 for
 * the normal and (3 + 6/a) sigma^4 for the gamma. */
static void check_moments(const double *v, size_t n, double mean, double var, double mu4)
{
    double m = 0, s = 0;
    for (size_t i = 0; i < n; i++) m += v[i];
    m /= (double)n;
    for (size_t i = 0; i < n; i++) s += (v[i] - m) * (v[i] - m);
    s /= (double)(n - 1);
    assert_true(fabs(m - mean) < 5 * sqrt(var / (double)n));
    assert_true(fabs(s - var) < 5 * sqrt((mu4 - var * var) / (double)n));
}

static void test_normal_and_gamma_moments(void **state)
{
    (void)state;
    enum { N = 200000 };
    double *v = malloc(N * sizeof *v);
    assert_non_null(v);
    sim_rng rng;
    sim_rng_seed(&rng, 2024);
    for (size_t i = 0; i < N; i++) v[i] = sim_normal(&rng);
    check_moments(v, N, 0, 1, 3);
    const double frailty_vars[2] = {0.5, 2.0}; /* gamma shapes 2 and 0.5 (the boosted branch) */
    for (int k = 0; k < 2; k++) {
        const double fv = frailty_vars[k], a = 1 / fv;
        for (size_t i = 0; i < N; i++) v[i] = fv * sim_gamma(&rng, a);
        check_moments(v, N, 1, fv, (3 + 6 / a) * fv * fv);
    }
    free(v);
}

/* Rounded values are within half a unit of the D-th digit (up to the scaling's rounding), and their text reads back (strtod,
 * correctly rounded in glibc, as R's and survkit's readers) as exactly the same double. */
static void test_decimal_round_trip(void **state)
{
    (void)state;
    sim_rng rng;
    sim_rng_seed(&rng, 99);
    char text[SIM_DECIMAL_MAX];
    size_t rounded = 0, near_midpoint_kept = 0;
    for (int i = 0; i < 300000; i++) {
        const double magnitude = sim_exp((sim_uniform(&rng) - 0.5) * 80); /* ~1e-17 .. 1e17 */
        const double v = (sim_rng_next(&rng) >> 63 ? -1 : 1) * magnitude * sim_uniform(&rng);
        const int digits = 1 + (int)(sim_uniform(&rng) * 17);
        sim_decimal d;
        sim_decimal_round(v, digits, &d);
        const size_t len = sim_decimal_format(&d, text);
        assert_true(len == strlen(text) && len < SIM_DECIMAL_MAX);
        assert_true(strtod(text, NULL) == d.value);
        if (!d.fallback) {
            /* A reader that divides in long double and rounds again (R_strtod) agrees. */
            long double scale = 1;
            for (int j = 0; j < abs(d.s); j++) scale *= 10;
            const long double ld = d.s < 0 ? (long double)d.k / scale : (long double)d.k * scale;
            if ((double)(d.negative ? -ld : ld) != d.value)
                fail_msg("%.17g to %d digits: %s read in long double as %.17g", v, digits, text,
                         (double)ld);
            rounded++;
        } else if (d.value != v) {
            near_midpoint_kept++;
        }
        if (d.value != v || !d.fallback) {
            /* Half a unit of the last digit kept, plus the scaling's own rounding (a few ulp of v,
             * which matters at 15 digits, where the unit is below the double's precision). */
            const double unit = pow(10, floor(log10(fabs(v))) - digits + 1);
            if (!(fabs(d.value - v) <= 0.5 * unit + 4 * DBL_EPSILON * fabs(v)))
                fail_msg("%.17g to %d digits gave %s", v, digits, text);
        }
    }
    /* Near-midpoint decimals are rare: 2 * 2^-9 of the values that are not exact. */
    assert_true(rounded > 100000);
    assert_true(near_midpoint_kept > 0 && near_midpoint_kept < rounded / 100);
    sim_decimal d;
    sim_decimal_round(-0.0001234567891, 4, &d);
    sim_decimal_format(&d, text);
    assert_string_equal(text, "-0.0001235");
    sim_decimal_round(123456.789, 8, &d);
    sim_decimal_format(&d, text);
    assert_string_equal(text, "123456.79");
    sim_decimal_round(2.5e-9, 8, &d);
    sim_decimal_format(&d, text);
    assert_string_equal(text, "2.5e-9");
    sim_decimal_round(1000, 8, &d);
    sim_decimal_format(&d, text);
    assert_string_equal(text, "1000");
    sim_decimal_integer(1825, &d);
    sim_decimal_format(&d, text);
    assert_string_equal(text, "1825");
    assert_int_equal(sim_format_integer(-9876543210LL, text), 11);
    assert_string_equal(text, "-9876543210");
}

/* Counting events per covariate value, through the row callback. */
typedef struct tally {
    size_t rows[2], events[2];
    bool entry_before_exit, text_matches;
} tally;

static int count_row(void *user, const sim_row *row)
{
    tally *t = user;
    const int g = row->x != NULL && row->x_text != NULL && row->x[0] == 1.0;
    t->rows[g]++;
    t->events[g] += (size_t)row->status;
    if (!(row->start < row->time)) t->entry_before_exit = false;
    if (row->time_text.value != row->time) t->text_matches = false;
    return 0;
}

static void assert_share(size_t events, size_t rows, double p)
{
    const double share = (double)events / (double)rows;
    const double se = sqrt(p * (1 - p) / (double)rows);
    if (fabs(share - p) >= 5 * se)
        fail_msg("event share %.5f, expected %.5f (5 SE = %.5f)", share, p, 5 * se);
}

/* Exponential baseline rate 0.01, exponential censoring rate 0.005: P(T <= C) = 0.01 / 0.015. */
static void test_exponential_event_share(void **state)
{
    (void)state;
    sim_options opt;
    sim_options_init(&opt);
    opt.seed = 31;
    opt.n = 200000;
    opt.p = 0;
    assert_null(sim_options_check(&opt));
    tally t = {{0, 0}, {0, 0}, true, true};
    sim_summary summary;
    assert_int_equal(sim_generate(&opt, count_row, &t, &summary), 0);
    assert_int_equal(summary.rows, opt.n);
    assert_int_equal(summary.events, t.events[0]);
    assert_share(t.events[0], t.rows[0], 0.01 / 0.015);
    assert_true(t.text_matches);
}

/* Weibull shape 1.5, rate 0.01, one binary covariate with beta = log 2, censored at 100 only:
 * P(event | x) = 1 - exp(-2^x (0.01 * 100)^1.5) = 1 - exp(-2^x). */
static void test_weibull_covariate_event_share(void **state)
{
    (void)state;
    const double beta[1] = {0.69314718055994530942};
    sim_options opt;
    sim_options_init(&opt);
    opt.seed = 5;
    opt.n = 100000;
    opt.p = 1;
    opt.binary_share = 1;
    opt.beta = beta;
    opt.baseline = SIM_BASELINE_WEIBULL;
    opt.shape = 1.5;
    opt.censor_rate = 0;
    opt.max_time = 100;
    opt.integer_times = true;
    assert_null(sim_options_check(&opt));
    tally t = {{0, 0}, {0, 0}, true, true};
    assert_int_equal(sim_generate(&opt, count_row, &t, NULL), 0);
    assert_share(t.rows[1], opt.n, 0.5); /* Bernoulli(1/2) covariate */
    assert_share(t.events[0], t.rows[0], 1 - exp(-1.0));
    assert_share(t.events[1], t.rows[1], 1 - exp(-2.0));
}

/* Strata: the baseline rate of stratum s runs geometrically from lambda/2 to 2 lambda; the default
 * coefficients repeat with period 5; the binary count rounds half up. */
static void test_strata_scales(void **state)
{
    (void)state;
    sim_options opt;
    sim_options_init(&opt);
    opt.strata = 3;
    assert_true(fabs(sim_stratum_scale(&opt, 1) - 0.005) < 1e-17);
    assert_true(fabs(sim_stratum_scale(&opt, 2) - 0.01) < 1e-17);
    assert_true(fabs(sim_stratum_scale(&opt, 3) - 0.02) < 1e-17);
    assert_true(sim_default_beta(0) == 0.5 && sim_default_beta(6) == -0.25 && sim_default_beta(9) == 0);
    opt.p = 7;
    opt.binary_share = 0.5;
    assert_int_equal(sim_binary_count(&opt), 4); /* round(3.5) */
}

/* Delayed entry: every row enters before it leaves; impossible entry is reported, not looped on. */
static void test_delayed_entry(void **state)
{
    (void)state;
    sim_options opt;
    sim_options_init(&opt);
    opt.seed = 8;
    opt.n = 20000;
    opt.start = true;
    opt.max_time = 200;
    tally t = {{0, 0}, {0, 0}, true, true};
    assert_int_equal(sim_generate(&opt, count_row, &t, NULL), 0);
    assert_true(t.entry_before_exit);
    opt.n = 3;
    opt.max_time = 1;
    opt.censor_rate = 0;
    opt.entry_max = 1e9;
    assert_int_equal(sim_generate(&opt, count_row, &t, NULL), -2);
}

static void test_options_check(void **state)
{
    (void)state;
    sim_options opt;
    sim_options_init(&opt);
    assert_null(sim_options_check(&opt));
    opt.shape = 2;
    assert_non_null(sim_options_check(&opt)); /* shape without weibull */
    sim_options_init(&opt);
    opt.binary_share = 1.5;
    assert_non_null(sim_options_check(&opt));
    sim_options_init(&opt);
    opt.n = 0;
    assert_non_null(sim_options_check(&opt));
    sim_options_init(&opt);
    opt.digits = 18;
    assert_non_null(sim_options_check(&opt));
}

/* The CSV writer: same seed, same bytes; values in the text are those the generator drew. */
static void test_csv_writer(void **state)
{
    (void)state;
    sim_options opt;
    sim_options_init(&opt);
    opt.n = 300;
    opt.p = 3;
    opt.clusters = 7;
    char *text[2];
    size_t size[2];
    for (int k = 0; k < 2; k++) {
        FILE *f = open_memstream(&text[k], &size[k]);
        assert_non_null(f);
        assert_int_equal(sim_write_csv(&opt, f, NULL), 0);
        fclose(f);
    }
    assert_int_equal(size[0], size[1]);
    assert_memory_equal(text[0], text[1], size[0]);
    assert_true(strncmp(text[0], "time,status,x1,x2,x3,cluster\n", 29) == 0);
    size_t lines = 0;
    for (size_t i = 0; i < size[0]; i++) lines += text[0][i] == '\n';
    assert_int_equal(lines, 301);
    free(text[0]);
    free(text[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stream_matches_reference),
        cmocka_unit_test(test_log_exp_accuracy),
        cmocka_unit_test(test_normal_and_gamma_moments),
        cmocka_unit_test(test_decimal_round_trip),
        cmocka_unit_test(test_exponential_event_share),
        cmocka_unit_test(test_weibull_covariate_event_share),
        cmocka_unit_test(test_strata_scales),
        cmocka_unit_test(test_delayed_entry),
        cmocka_unit_test(test_options_check),
        cmocka_unit_test(test_csv_writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
