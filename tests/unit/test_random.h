/*
 * test_random.h: what the unit tests that draw their own data share: splitmix64 (a fixed, fast
 * stream of random words, the same on every platform), a uniform double from it, and a count
 * read from the environment (to run a randomised test longer by hand).
 */
#ifndef SURVKIT_TEST_RANDOM_H
#define SURVKIT_TEST_RANDOM_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* splitmix64 */
static inline uint64_t test_random_word(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Uniform in [0, 1): the word's top 53 bits. */
static inline double test_random_uniform(uint64_t *state)
{
    return (double)(test_random_word(state) >> 11) * 0x1p-53;
}

/* The positive integer in the environment variable `name`, else `fallback`. */
static inline size_t test_count_from_env(const char *name, size_t fallback)
{
    const char *env = getenv(name);
    const long long n = env ? atoll(env) : 0;
    return n > 0 ? (size_t)n : fallback;
}

#endif
