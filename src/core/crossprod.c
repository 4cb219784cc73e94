/*
 * crossprod.c: sk_crossprod_block (crossprod.h), the dot products of every (left, right) pair of
 * columns of a row block, register-tiled.
 *
 * A tile is up to 3 left by 3 right columns: each step of four rows loads their vectors and does
 * one multiplication and addition per pair into its own accumulator (3 x 3: 6 loads for 9
 * multiply-adds, 9 of the 16 vector registers). Every tile computes only the pairs asked for: an
 * edge tile has the sizes left over (1 or 2 columns, not a repeated column whose products are
 * dropped), and a tile on the diagonal of a symmetric product only its upper triangle (b >= a: 6
 * of 9). So survreg's block of 21 symmetric columns and two vectors against 21 columns takes the
 * 273 products per row it needs (231 + 42), not the 315 of whole 3 x 3 tiles. The sizes are
 * compile-time constants of each tile's instance (a switch picks it), so its loops unroll fully.
 * The tiling changes no sum (each is made in the order of crossprod.h).
 * Dot products column pair by column pair would load two vectors per multiply-add and be bound by
 * the loads. The same body is compiled plainly and for AVX2 (chosen at run time):
 * both perform the same operations in the same order, so their sums are equal. No BLAS: the
 * block is small and BLAS's own threads, started inside the callers' row halves, only wait for
 * each other (and its packing copies cost as much as the products at these sizes).
 */
#include "core/crossprod.h"

#include <stdbool.h>
#include <string.h>

enum { T = 3 }; /* the largest tile: T x T */

typedef double sk_v4 __attribute__((vector_size(32)));

/* One tile: acc[(a0 + a) + (b0 + b) ld] += sum_i (w_i l[a][i]) r[b][i] over nb rows (w_i = 1
 * when w is NULL: no multiplication), for a < na and b < nr (with `tri`, na == nr, only b >= a).
 * Called with constant na, nr, tri and whether w is NULL only. */
static inline __attribute__((always_inline)) void tile(size_t nb, size_t na, size_t nr, bool tri,
                                                       const double *const *l, const double *w,
                                                       const double *const *r, double *acc,
                                                       size_t ld)
{
    const size_t n4 = nb - nb % 4;
    sk_v4 s[T][T];
    memset(s, 0, sizeof s);
    for (size_t i = 0; i < n4; i += 4) {
        sk_v4 lv[T], rv[T];
#pragma GCC unroll 4
        for (size_t a = 0; a < na; a++) memcpy(&lv[a], l[a] + i, sizeof lv[a]);
        if (w != NULL) { /* the weighted left column w l[a], as a caller's scaled copy has it */
            sk_v4 wv;
            memcpy(&wv, w + i, sizeof wv);
#pragma GCC unroll 4
            for (size_t a = 0; a < na; a++) lv[a] = wv * lv[a];
        }
#pragma GCC unroll 4
        for (size_t b = 0; b < nr; b++) memcpy(&rv[b], r[b] + i, sizeof rv[b]);
#pragma GCC unroll 4
        for (size_t a = 0; a < na; a++)
#pragma GCC unroll 4
            for (size_t b = tri ? a : 0; b < nr; b++) s[a][b] += lv[a] * rv[b];
    }
#pragma GCC unroll 4
    for (size_t a = 0; a < na; a++)
#pragma GCC unroll 4
        for (size_t b = tri ? a : 0; b < nr; b++) {
            const sk_v4 t = s[a][b];
            double sum = (t[0] + t[1]) + (t[2] + t[3]);
            for (size_t i = n4; i < nb; i++) sum += (w ? w[i] * l[a][i] : l[a][i]) * r[b][i];
            acc[a + b * ld] += sum;
        }
}

/* The tile of na x nr columns (each 1 .. T), triangular or not, weighted or not, as a
 * constant-size instance. */
static inline __attribute__((always_inline)) void tile_any(size_t nb, size_t na, size_t nr,
                                                           bool tri, const double *const *l,
                                                           const double *w,
                                                           const double *const *r, double *acc,
                                                           size_t ld)
{
#define SK_TILE_CASE(A, B)                                                                   \
    case (A) * 4 + (B):                                                                      \
        if (w != NULL && tri && (A) == (B)) tile(nb, A, B, true, l, w, r, acc, ld);          \
        else if (w != NULL) tile(nb, A, B, false, l, w, r, acc, ld);                         \
        else if (tri && (A) == (B)) tile(nb, A, B, true, l, NULL, r, acc, ld);               \
        else tile(nb, A, B, false, l, NULL, r, acc, ld);                                     \
        return;
    switch (na * 4 + nr) {
        SK_TILE_CASE(1, 1) SK_TILE_CASE(1, 2) SK_TILE_CASE(1, 3)
        SK_TILE_CASE(2, 1) SK_TILE_CASE(2, 2) SK_TILE_CASE(2, 3)
        SK_TILE_CASE(3, 1) SK_TILE_CASE(3, 2) SK_TILE_CASE(3, 3)
    default: return;
    }
#undef SK_TILE_CASE
}

static inline __attribute__((always_inline)) void body(size_t nb, size_t m,
                                                       const double *const *left, const double *w,
                                                       size_t m_sym, size_t q,
                                                       const double *const *right, double *acc,
                                                       size_t ld)
{
    /* the symmetric rows and the others in separate tiles, so a tile is wholly one or the other */
    for (size_t part = 0; part < 2; part++) {
        const size_t a_lo = part == 0 ? 0 : m_sym, a_hi = part == 0 ? m_sym : m;
        for (size_t a0 = a_lo; a0 < a_hi; a0 += T) {
            const size_t na = a_hi - a0 < T ? a_hi - a0 : T;
            /* symmetric rows: from the diagonal entry (a0, a0) on; the first tile is square and
             * takes its upper triangle (the rows a0 .. a0 + na - 1 against as many columns) */
            size_t b0 = part == 0 ? a0 : 0;
            if (part == 0 && b0 < q) {
                const size_t nr = q - b0 < na ? q - b0 : na;
                tile_any(nb, nr, nr, true, left + a0, w, right + b0, acc + a0 + b0 * ld, ld);
                /* rows a0 + nr .. of a diagonal tile cut short by q have no column b >= a */
                b0 += nr;
            }
            for (; b0 < q; b0 += T) {
                const size_t nr = q - b0 < T ? q - b0 : T;
                tile_any(nb, na, nr, false, left + a0, part == 0 ? w : NULL, right + b0,
                         acc + a0 + b0 * ld, ld);
            }
        }
    }
}

static void crossprod_plain(size_t nb, size_t m, const double *const *left, const double *w,
                            size_t m_sym, size_t q, const double *const *right, double *acc,
                            size_t ld)
{
    body(nb, m, left, w, m_sym, q, right, acc, ld);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SK_CROSSPROD_AVX2 1
__attribute__((target("avx2"))) static void crossprod_avx2(size_t nb, size_t m,
                                                           const double *const *left,
                                                           const double *w, size_t m_sym,
                                                           size_t q, const double *const *right,
                                                           double *acc, size_t ld)
{
    body(nb, m, left, w, m_sym, q, right, acc, ld);
}
#endif

void sk_crossprod_block_weighted(size_t nb, size_t m, const double *const *left, const double *w,
                                 size_t m_sym, size_t q, const double *const *right, double *acc,
                                 size_t ld)
{
#ifdef SK_CROSSPROD_AVX2
    /* libgcc reads the processor's features once, before main; this only tests them. */
    if (__builtin_cpu_supports("avx2")) {
        crossprod_avx2(nb, m, left, w, m_sym, q, right, acc, ld);
        return;
    }
#endif
    crossprod_plain(nb, m, left, w, m_sym, q, right, acc, ld);
}

void sk_crossprod_block(size_t nb, size_t m, const double *const *left, size_t m_sym, size_t q,
                        const double *const *right, double *acc, size_t ld)
{
    sk_crossprod_block_weighted(nb, m, left, NULL, m_sym, q, right, acc, ld);
}
