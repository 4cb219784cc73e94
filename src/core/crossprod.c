/*
 * crossprod.c: sk_crossprod_block (crossprod.h), the dot products of every (left, right) pair of
 * columns of a row block, register-tiled.
 *
 * A tile is TA left by TB right columns: each step of four rows loads TA + TB vectors and does
 * TA TB multiplications and additions into TA TB accumulators (3 x 3: 6 loads for 9
 * multiply-adds, 9 of the 16 vector registers). Square tiles waste less on the diagonal of a
 * symmetric product than 3 x 4 did: a 21 x 21 triangle takes 28 tiles of 9 instead of 27 of 12,
 * about a fifth less time; the tiling changes no sum (each is made in the order of crossprod.h).
 * Dot products column pair by column pair would load two vectors per multiply-add and be bound by
 * the loads. Edge tiles repeat a valid column and drop what it gives. The same body is compiled
 * plainly and for AVX2 (chosen at run time):
 * both perform the same operations in the same order, so their sums are equal. No BLAS: the
 * block is small and BLAS's own threads, started inside the callers' row halves, only wait for
 * each other (and its packing copies cost as much as the products at these sizes).
 */
#include "core/crossprod.h"

#include <stdbool.h>
#include <string.h>

enum { TA = 3, TB = 3 };

typedef double sk_v4 __attribute__((vector_size(32)));

/* One tile: out[a][b] = sum_i l[a][i] r[b][i] over nb rows. */
static inline __attribute__((always_inline)) void tile(size_t nb, const double *const l[TA],
                                                       const double *const r[TB],
                                                       double out[TA][TB])
{
    const size_t n4 = nb - nb % 4;
    sk_v4 acc[TA][TB];
    memset(acc, 0, sizeof acc);
    for (size_t i = 0; i < n4; i += 4) {
        sk_v4 lv[TA], rv[TB];
#pragma GCC unroll 4
        for (size_t a = 0; a < TA; a++) memcpy(&lv[a], l[a] + i, sizeof lv[a]);
#pragma GCC unroll 4
        for (size_t b = 0; b < TB; b++) memcpy(&rv[b], r[b] + i, sizeof rv[b]);
#pragma GCC unroll 4
        for (size_t a = 0; a < TA; a++)
#pragma GCC unroll 4
            for (size_t b = 0; b < TB; b++) acc[a][b] += lv[a] * rv[b];
    }
    for (size_t a = 0; a < TA; a++)
        for (size_t b = 0; b < TB; b++) {
            const sk_v4 t = acc[a][b];
            double s = (t[0] + t[1]) + (t[2] + t[3]);
            for (size_t i = n4; i < nb; i++) s += l[a][i] * r[b][i];
            out[a][b] = s;
        }
}

static inline __attribute__((always_inline)) void body(size_t nb, size_t m,
                                                       const double *const *left, size_t m_sym,
                                                       size_t q, const double *const *right,
                                                       double *acc, size_t ld)
{
    /* the symmetric rows and the others in separate tiles, so a tile is wholly one or the other */
    for (size_t part = 0; part < 2; part++) {
        const size_t a_lo = part == 0 ? 0 : m_sym, a_hi = part == 0 ? m_sym : m;
        for (size_t a0 = a_lo; a0 < a_hi; a0 += TA) {
            const size_t na = a_hi - a0 < TA ? a_hi - a0 : TA;
            const double *l[TA];
            for (size_t a = 0; a < TA; a++) l[a] = left[a0 + (a < na ? a : 0)];
            /* symmetric rows: the tiles from the one holding the diagonal entry (a0, a0) on */
            const size_t b_first = part == 0 ? a0 - a0 % TB : 0;
            for (size_t b0 = b_first; b0 < q; b0 += TB) {
                const size_t nbq = q - b0 < TB ? q - b0 : TB;
                const double *r[TB];
                for (size_t b = 0; b < TB; b++) r[b] = right[b0 + (b < nbq ? b : 0)];
                double out[TA][TB];
                tile(nb, l, r, out);
                for (size_t a = 0; a < na; a++)
                    for (size_t b = 0; b < nbq; b++) acc[(a0 + a) + (b0 + b) * ld] += out[a][b];
            }
        }
    }
}

static void crossprod_plain(size_t nb, size_t m, const double *const *left, size_t m_sym, size_t q,
                            const double *const *right, double *acc, size_t ld)
{
    body(nb, m, left, m_sym, q, right, acc, ld);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SK_CROSSPROD_AVX2 1
__attribute__((target("avx2"))) static void crossprod_avx2(size_t nb, size_t m,
                                                           const double *const *left, size_t m_sym,
                                                           size_t q, const double *const *right,
                                                           double *acc, size_t ld)
{
    body(nb, m, left, m_sym, q, right, acc, ld);
}
#endif

void sk_crossprod_block(size_t nb, size_t m, const double *const *left, size_t m_sym, size_t q,
                        const double *const *right, double *acc, size_t ld)
{
#ifdef SK_CROSSPROD_AVX2
    /* libgcc reads the processor's features once, before main; this only tests them. */
    if (__builtin_cpu_supports("avx2")) {
        crossprod_avx2(nb, m, left, m_sym, q, right, acc, ld);
        return;
    }
#endif
    crossprod_plain(nb, m, left, m_sym, q, right, acc, ld);
}
