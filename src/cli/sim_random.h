/*
 * sim_random.h: random numbers that are the same on every machine, for `survkit simulate`.
 *
 * The stream is xoshiro256** (Blackman and Vigna, "Scrambled linear pseudorandom number generators",
 * ACM TOMS 2021) with its state filled by splitmix64 from the user's seed. The draws use only IEEE
 * arithmetic (+ - * / sqrt, exact in the sense of being correctly rounded) and survkit's own log and
 * exp below, never the C library's, whose last bits differ between libm implementations: so a seed
 * gives the same numbers wherever C11's default (no contraction into fused multiply-add) holds.
 */
#ifndef SURVKIT_CLI_SIM_RANDOM_H
#define SURVKIT_CLI_SIM_RANDOM_H

#include <stdint.h>

typedef struct sim_rng {
    uint64_t s[4];
    double spare;  /* the polar method's second normal, when has_spare */
    int has_spare;
} sim_rng;

/* Seed the stream: four splitmix64 outputs of `seed` (never the all-zero state). */
void sim_rng_seed(sim_rng *rng, uint64_t seed);
/* The next 64 random bits. */
uint64_t sim_rng_next(sim_rng *rng);

/* Uniform on the open interval (0, 1): 53 random bits, offset by half a step. */
double sim_uniform(sim_rng *rng);
/* Standard exponential, -log(U). */
double sim_exponential(sim_rng *rng);
/* Standard normal, Marsaglia's polar method (no trigonometric functions). */
double sim_normal(sim_rng *rng);
/* Gamma with the given shape (> 0) and scale 1: Marsaglia and Tsang (2000), with the boost
 * Gamma(a) = Gamma(a + 1) * U^(1/a) for a < 1. */
double sim_gamma(sim_rng *rng, double shape);

/* Natural logarithm and exponential to about one unit in the last place, in plain IEEE arithmetic
 * (portable results); sim_log(x <= 0) is -inf or NaN as log's, sim_exp overflows to +inf. */
double sim_log(double x);
double sim_exp(double x);

#endif /* SURVKIT_CLI_SIM_RANDOM_H */
