/*
 * logrank_pairwise.c: every pair of groups compared by the same G-rho test, with multiplicity
 * adjusted p-values (what SAS's LIFETEST ADJUST= and R's survminer::pairwise_survdiff offer).
 *
 * Pair (a, b) is survdiff on the rows of groups a and b only (so the risk sets and, for rho != 0,
 * the pooled curve S(t-) are those of the pair), stratified as the main test; chisq on 1 df.
 * Adjusted p-values over the m pairs with a p-value, as R's p.adjust, with p_(1) <= ... <= p_(m):
 *   Holm (1979):                 p~_(i) = max_{j <= i} min(1, (m - j + 1) p_(j))
 *   Benjamini & Hochberg (1995): p~_(i) = min_{j >= i} min(1, m / j p_(j))
 * A pair with fewer than two groups having expected events has no test (NaN, df 0).
 */
#include "km/logrank_internal.h"

#include <math.h>
#include <stdlib.h>

/* Stable ascending order of the non-NaN p[m] (m small: insertion sort). Returns their count. */
static size_t order_pvalues(const double *p, size_t m, size_t *order)
{
    size_t n = 0;
    for (size_t i = 0; i < m; i++) {
        if (isnan(p[i])) continue;
        size_t j = n++;
        while (j > 0 && p[order[j - 1]] > p[i]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    return n;
}

static void adjust_holm(const double *p, const size_t *order, size_t n, double *out)
{
    double running = 0;
    for (size_t i = 0; i < n; i++) {
        double v = (double)(n - i) * p[order[i]];
        if (v > running) running = v;
        out[order[i]] = running < 1 ? running : 1;
    }
}

static void adjust_bh(const double *p, const size_t *order, size_t n, double *out)
{
    double running = INFINITY;
    for (size_t i = n; i-- > 0;) {
        double v = (double)n / (double)(i + 1) * p[order[i]];
        if (v < running) running = v;
        out[order[i]] = running < 1 ? running : 1;
    }
}

survkit_status sk_logrank_pairwise(survkit_logrank *lr, const sk_logrank_data *d,
                                   survkit_error *err)
{
    const size_t k = lr->k, m = k * (k - 1) / 2;
    lr->pairs = sk_calloc_array(m, sizeof *lr->pairs);
    RETURN_ERROR_IF(lr->pairs == NULL, err, SURVKIT_ERR_NOMEM, "logrank: out of memory");
    lr->n_pairs = m;
    int32_t *map = sk_malloc_array(k, sizeof *map);
    size_t *rows = sk_malloc_array(d->n, sizeof *rows);
    double *kaplan = sk_malloc_array(d->n, sizeof *kaplan);
    survkit_status status = SURVKIT_OK;
    if (!map || !rows || !kaplan) {
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "logrank: out of memory");
        goto done;
    }
    for (size_t g = 0; g < k; g++) map[g] = -1;
    size_t pair = 0;
    for (size_t a = 0; a < k; a++) {
        for (size_t b = a + 1; b < k; b++, pair++) {
            double obs[2], exp_[2], var[4], risk[2];
            map[a] = 0;
            map[b] = 1;
            sk_logrank_sums(d, map, 2, lr->rho, obs, exp_, var, risk, rows, kaplan);
            map[a] = map[b] = -1;
            status = sk_logrank_pair_test(obs, exp_, var, a, b, &lr->pairs[pair], err);
            if (status != SURVKIT_OK) goto done;
        }
    }
    status = sk_logrank_adjust_pairs(lr, err);
done:
    free(map);
    free(rows);
    free(kaplan);
    return status;
}

survkit_status sk_logrank_pair_test(const double *observed, const double *expected,
                                    const double *var, size_t a, size_t b,
                                    survkit_logrank_pair *pr, survkit_error *err)
{
    double chisq;
    int df;
    RETURN_IF_ERROR(sk_logrank_statistic(observed, expected, var, 2, &chisq, &df, err));
    pr->a = a;
    pr->b = b;
    pr->df = df;
    pr->chisq = df > 0 ? chisq : NAN;
    pr->p = df > 0 ? sk_chisq_upper(chisq, df) : NAN;
    return SURVKIT_OK;
}

survkit_status sk_logrank_adjust_pairs(survkit_logrank *lr, survkit_error *err)
{
    const size_t m = lr->n_pairs;
    size_t *order = sk_malloc_array(m, sizeof *order);
    double *p = sk_malloc_array(m, sizeof *p), *adj = sk_malloc_array(m, sizeof *adj);
    survkit_status status = SURVKIT_OK;
    if (!order || !p || !adj) {
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "logrank: out of memory");
    } else {
        for (size_t i = 0; i < m; i++) p[i] = lr->pairs[i].p;
        size_t n = order_pvalues(p, m, order);
        for (size_t i = 0; i < m; i++) adj[i] = NAN;
        adjust_holm(p, order, n, adj);
        for (size_t i = 0; i < m; i++) lr->pairs[i].p_holm = adj[i];
        adjust_bh(p, order, n, adj);
        for (size_t i = 0; i < m; i++) lr->pairs[i].p_bh = adj[i];
    }
    free(order);
    free(p);
    free(adj);
    return status;
}
