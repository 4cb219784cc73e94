/*
 * simulate.h: the synthetic-cohort generator behind `survkit simulate` (issue 6): proportional-hazards
 * survival times with covariates, censoring, strata and clustered frailty, for tests and benchmarks.
 * It prints nothing: rows go to a callback, or as CSV into a FILE* the caller owns.
 */
#ifndef SURVKIT_CLI_SIMULATE_H
#define SURVKIT_CLI_SIMULATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim_decimal.h"

typedef enum sim_baseline { SIM_BASELINE_EXPONENTIAL, SIM_BASELINE_WEIBULL } sim_baseline;

#define SIM_MAX_P 10000

typedef struct sim_options {
    uint64_t seed;
    size_t n;                  /* rows */
    size_t p;                  /* covariates x1..xp */
    double binary_share;       /* share of the p covariates that are binary (the last ones) */
    const double *beta;        /* p true log-hazard ratios; NULL = sim_default_beta */
    sim_baseline baseline;
    double shape;              /* Weibull shape k (1 for exponential) */
    double scale;              /* baseline rate lambda: H0(t) = (lambda t)^k */
    double censor_rate;        /* exponential censoring rate; 0 = none */
    double max_time;           /* administrative censoring time; 0 or inf = none */
    bool integer_times;        /* round times up to whole units (days) */
    int digits;                /* significant digits of continuous values (1..17; > 15 = unrounded) */
    size_t strata;             /* K > 1 adds a `stratum` column 1..K; 0 or 1 = none */
    size_t clusters;           /* M > 0 adds a `cluster` column 1..M with a shared gamma frailty */
    double frailty_var;        /* variance of the frailty (mean 1); 0 = none */
    bool start;                /* add a left-truncation `start` column (delayed entry) */
    double entry_max;          /* entry times are Uniform(0, entry_max); 0 = automatic */
} sim_options;

/* Defaults: seed 1, n 1000, p 5, binary share 0.5, default beta, exponential baseline rate 0.01,
 * censoring rate 0.005, no maximum time, continuous times, 8 digits, no strata or clusters,
 * frailty variance 0.5 (used only with clusters). */
void sim_options_init(sim_options *opt);

/* NULL when the options are usable, else a message naming the first bad one. */
const char *sim_options_check(const sim_options *opt);

/* The default true coefficient of covariate j (0-based): 0.5, -0.25, 0.1, -0.05, 0 repeating. */
double sim_default_beta(size_t j);

/* Number of binary covariates for p and binary_share: round(p * share). */
size_t sim_binary_count(const sim_options *opt);

/* The baseline rate of stratum s (1..K): lambda times a multiplier spread geometrically over
 * [1/2, 2], so the strata have clearly different baselines. */
double sim_stratum_scale(const sim_options *opt, size_t stratum);

/* One generated row. x has p values (binary covariates are 0/1); stratum and cluster are 1-based
 * (0 when the column is absent); start is 0 without delayed entry. The *_text members are the
 * same values in sim_decimal form, ready to be written as text that reads back as exactly them. */
typedef struct sim_row {
    double start, time;
    int status;
    const double *x;
    size_t stratum, cluster;
    sim_decimal start_text, time_text;
    const sim_decimal *x_text;
} sim_row;

/* Return non-zero to stop the generation (sim_generate then returns that value). */
typedef int (*sim_row_fn)(void *user, const sim_row *row);

typedef struct sim_summary {
    size_t rows, events;
} sim_summary;

/*
 * Generate opt->n rows, deterministically from opt->seed, calling `emit` for each.
 *   time   = min(T, C) (rounded up to a whole unit with integer_times, at least 1), status = T <= C,
 *   T: hazard z_c lambda_s k (lambda_s t)^(k-1) exp(x'beta), drawn as T = (E / (z exp(x'beta)))^(1/k)
 *      / lambda_s with E standard exponential; z_c ~ Gamma(1/v, scale v) (mean 1, variance v) per
 *      cluster; continuous covariates N(0, 1), binary ones Bernoulli(1/2); all rounded to `digits`.
 *   C: min(exponential(censor_rate), max_time).
 *   With `start`: entry A ~ Uniform(0, entry_max); rows with min(T, C) <= A are not observed and
 *      are drawn again (left truncation), so n rows still come out.
 * Returns 0, -1 when memory runs out (opt->p or opt->clusters too large), -2 when a million draws in
 * a row are rejected (no finite time, or entry always after exit), or emit's non-zero value.
 * `summary` (may be NULL) receives the rows written and events among them.
 */
int sim_generate(const sim_options *opt, sim_row_fn emit, void *user, sim_summary *summary);

/*
 * Write the cohort as CSV into `out`: the header `[start,]time,status,x1,...,xp[,stratum][,cluster]`
 * then one line per row, continuous values in round-trip text (sim_decimal.h). Buffered in large
 * blocks. Returns 0, -1 when memory runs out, -2 as sim_generate, or 1 on a write error.
 */
int sim_write_csv(const sim_options *opt, FILE *out, sim_summary *summary);

#endif /* SURVKIT_CLI_SIMULATE_H */
