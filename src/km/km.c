/*
 * km.c: the Kaplan-Meier and Nelson-Aalen estimator per group (R's survfitKM / survfitkm.c).
 *
 * Rows i with case weight v_i, follow-up (start_i, stop_i] (start_i = -inf for right-censored data)
 * and event indicator delta_i. Within a group, the distinct stop times t_k (of events and
 * censorings alike) give one row of the curve each, with
 *
 *   n_k  = sum of v_i over the risk set  start_i < t_k <= stop_i        (n.risk)
 *   wd_k = sum of v_i delta_i over stop_i = t_k,  d_k the unweighted count  (n.event, weighted)
 *   c_k  = sum of v_i (1 - delta_i) over stop_i = t_k                   (n.censor, weighted)
 *
 * and, over the times with d_k > 0 and wd_k > 0,
 *
 *   S(t)        = prod_{t_k <= t} (n_k - wd_k) / n_k                    (Kaplan-Meier)
 *   std.err(t)  = sqrt( sum_{t_k <= t} wd_k / (n_k (n_k - wd_k)) )      (Greenwood, of -log S)
 *   ctype 1:  Lambda(t) = sum wd_k / n_k,  var = sum wd_k / n_k^2       (Nelson-Aalen)
 *   ctype 2:  the d_k tied deaths leave one at a time (Fleming-Harrington):
 *             Lambda(t) = sum_k sum_{j<d_k} (wd_k/d_k) / (n_k - j wd_k/d_k),
 *             var       = sum_k sum_{j<d_k} (wd_k/d_k) / (n_k - j wd_k/d_k)^2.
 *
 * Counts come from one backward pass over the rows sorted by stop time (adding rows whose stop is
 * >= t_k) and, for counting-process data, by start time (removing rows whose start is >= t_k), so
 * that the weighted sums are accumulated in R's order. Sorting is linear (core/sort.h): by time,
 * then stably by group code. Integer times of a modest range (days) skip the sort: one pass adds
 * each row into its (group, time) cell and the backward pass runs over the cells (km_grid.c).
 *
 * Robust variance (opt.robust; by default, as R, when some case weight is not an integer):
 * std.err and std.chaz are replaced by the infinitesimal jackknife ones of km_robust.c, which
 * need the rows in time order, so the grid is not used then.
 */
#include "km/km_internal.h"

#include "core/parallel.h"
#include "core/sort.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void survkit_km_options_init(survkit_km_options *opt)
{
    opt->conf_type = SURVKIT_CONF_LOG;
    opt->conf_level = 0.95;
    opt->ctype = 1;
    opt->robust = -1;
}

static const char *const conf_type_names[] = {"log", "log-log", "plain", "logit", "arcsin", "none"};

const char *survkit_conf_type_name(survkit_conf_type type)
{
    return (unsigned)type <= SURVKIT_CONF_NONE ? conf_type_names[type] : "unknown";
}

survkit_status survkit_conf_type_parse(const char *name, survkit_conf_type *out, survkit_error *err)
{
    for (int k = 0; k <= SURVKIT_CONF_NONE; k++) {
        if (name != NULL && strcmp(name, conf_type_names[k]) == 0) {
            *out = (survkit_conf_type)k;
            return SURVKIT_OK;
        }
    }
    return sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, 0, 0,
                        "unknown confidence interval type '%s' (log, log-log, plain, logit, "
                        "arcsin or none)", name ? name : "");
}

void survkit_km_free(survkit_km *km)
{
    if (km == NULL) return;
    for (size_t g = 0; g < km->n_groups; g++) {
        if (km->labels) free(km->labels[g]);
        if (km->curves) free(km->curves[g].values);
    }
    free(km->labels);
    free(km->curves);
    free(km);
}

enum { PARALLEL_MIN_ROWS = 100000 };

/*
 * The row checks of check_inputs without a branch a row (each a simple loop the compiler
 * vectorises), half the rows per task: bad[t] tells whether some row of half t breaks a rule;
 * only then are the rows walked again, one by one, to name the first.
 */
typedef struct row_scan {
    size_t n;
    const double *start, *time, *status, *weights;
    const int32_t *group;
    size_t n_groups;
    bool bad[2];
} row_scan;

static void check_half(void *ctx, size_t t)
{
    row_scan *s = ctx;
    size_t lo, hi;
    sk_parallel_range(s->n, 2, t, &lo, &hi);
    bool good = true; /* every comparison is false for NaN */
    for (size_t i = lo; i < hi; i++)
        good &= (fabs(s->time[i]) <= DBL_MAX) & ((s->status[i] == 0) | (s->status[i] == 1));
    for (size_t i = lo; s->start != NULL && i < hi; i++)
        good &= (fabs(s->start[i]) <= DBL_MAX) & (s->start[i] < s->time[i]);
    for (size_t i = lo; s->weights != NULL && i < hi; i++)
        good &= (s->weights[i] >= 0) & (s->weights[i] <= DBL_MAX);
    for (size_t i = lo; s->group != NULL && i < hi; i++)
        good &= (uint32_t)s->group[i] < s->n_groups; /* a negative code wraps to a large one */
    s->bad[t] = !good;
}

static survkit_status check_inputs(size_t n, const double *start, const double *time,
                                   const double *status, const double *weights,
                                   const int32_t *group, size_t n_groups,
                                   const survkit_km_options *opt, survkit_error *err)
{
    RETURN_ERROR_IF(time == NULL || status == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "km: time and status are required");
    RETURN_ERROR_IF(n_groups == 0 || n_groups > INT32_MAX, err, SURVKIT_ERR_ARGUMENT,
                    "km: the number of groups must be at least 1");
    RETURN_ERROR_IF(group == NULL && n_groups != 1, err, SURVKIT_ERR_ARGUMENT,
                    "km: group codes are needed for %zu groups", n_groups);
    RETURN_ERROR_IF(!(opt->conf_level > 0 && opt->conf_level < 1), err, SURVKIT_ERR_ARGUMENT,
                    "km: the confidence level must be between 0 and 1, not %g", opt->conf_level);
    RETURN_ERROR_IF((unsigned)opt->conf_type > SURVKIT_CONF_NONE, err, SURVKIT_ERR_ARGUMENT,
                    "km: unknown confidence interval type");
    RETURN_ERROR_IF(opt->ctype != 1 && opt->ctype != 2, err, SURVKIT_ERR_ARGUMENT,
                    "km: ctype must be 1 or 2, not %d", opt->ctype);
    RETURN_ERROR_IF(opt->robust < -1 || opt->robust > 1, err, SURVKIT_ERR_ARGUMENT,
                    "km: robust must be -1 (R's default), 0 or 1, not %d", opt->robust);
    row_scan scan = {n, start, time, status, weights, group, n_groups, {false, false}};
    sk_parallel_run_if(n >= PARALLEL_MIN_ROWS, 2, check_half, &scan);
    if (!scan.bad[0] && !scan.bad[1]) return SURVKIT_OK;
    for (size_t i = 0; i < n; i++) { /* the first bad row, for its message */
        RETURN_ERROR_IF(!isfinite(time[i]), err, SURVKIT_ERR_DOMAIN,
                        "km: row %zu: the time is missing or infinite", i + 1);
        RETURN_ERROR_IF(status[i] != 0 && status[i] != 1, err, SURVKIT_ERR_DOMAIN,
                        "km: row %zu: status must be 0 or 1, not %g", i + 1, status[i]);
        if (start != NULL) {
            RETURN_ERROR_IF(!isfinite(start[i]), err, SURVKIT_ERR_DOMAIN,
                            "km: row %zu: the start time is missing or infinite", i + 1);
            RETURN_ERROR_IF(!(start[i] < time[i]), err, SURVKIT_ERR_DOMAIN,
                            "km: row %zu: stop time %g is not after start time %g", i + 1,
                            time[i], start[i]);
        }
        if (weights != NULL)
            RETURN_ERROR_IF(!(weights[i] >= 0) || !isfinite(weights[i]), err, SURVKIT_ERR_DOMAIN,
                            "km: row %zu: weights must be finite and >= 0, not %g", i + 1,
                            weights[i]);
        if (group != NULL)
            RETURN_ERROR_IF(group[i] < 0 || (size_t)group[i] >= n_groups, err,
                            SURVKIT_ERR_ARGUMENT, "km: row %zu: group code %d out of range", i + 1,
                            (int)group[i]);
    }
    return SURVKIT_OK;
}

/* Rows sorted by key, then stably by group: (group, key) order. */
static survkit_status group_order(const double *key, const int32_t *group, size_t n_groups,
                                  size_t n, size_t *out, survkit_error *err)
{
    size_t *by_key = sk_malloc_array(n, sizeof *by_key);
    RETURN_ERROR_IF(by_key == NULL, err, SURVKIT_ERR_NOMEM, "km: out of memory");
    bool ok = sk_sort_order(key, n, false, group ? by_key : out);
    if (ok && group != NULL) ok = sk_sort_by_code(group, n_groups, by_key, n, out);
    free(by_key);
    RETURN_ERROR_IF(!ok, err, SURVKIT_ERR_NOMEM, "km: out of memory while sorting");
    return SURVKIT_OK;
}

/*
 * One group's counts from its rows sorted by time.
 * Inputs: by_stop[m] the group's rows in ascending stop order, by_start[m] the same rows in
 * ascending start order (NULL for right-censored data), the data arrays.
 * Output: c's values allocated, with the time, n_risk, n_event and n_censor columns; *deaths_out
 * (allocated here) the unweighted deaths per time.
 */
static survkit_status count_sorted(const size_t *by_stop, const size_t *by_start, size_t m,
                                   const double *start, const double *time, const double *status,
                                   const double *weights, sk_km_curve *c, double **deaths_out,
                                   survkit_error *err)
{
    c->records = m;
    if (m == 0) return SURVKIT_OK;
    size_t nt = 1;
    for (size_t i = 1; i < m; i++) nt += time[by_stop[i]] != time[by_stop[i - 1]];
    c->n_times = nt;
    c->values = sk_malloc_array(nt, SURVKIT_KM_N_COLUMNS * sizeof(double));
    RETURN_ERROR_IF(c->values == NULL, err, SURVKIT_ERR_NOMEM, "km: out of memory");
    /* Unweighted deaths per time, needed for the "at least one event" rule and ctype 2. */
    double *deaths = *deaths_out = sk_malloc_array(nt, sizeof *deaths);
    RETURN_ERROR_IF(deaths == NULL, err, SURVKIT_ERR_NOMEM, "km: out of memory");

    double *t = sk_km_col(c, SURVKIT_KM_TIME), *n_risk = sk_km_col(c, SURVKIT_KM_N_RISK),
           *n_event = sk_km_col(c, SURVKIT_KM_N_EVENT), *n_censor = sk_km_col(c, SURVKIT_KM_N_CENSOR);
    {
        size_t k = 0;
        t[0] = time[by_stop[0]];
        for (size_t i = 1; i < m; i++)
            if (time[by_stop[i]] != t[k]) t[++k] = time[by_stop[i]];
    }

    /* Backward pass: rows enter the risk set at their stop time, leave it at their start. */
    size_t p2 = m, p1 = m;
    double at_risk = 0;
    for (size_t k = nt; k-- > 0;) {
        double wd = 0, wc = 0, d = 0;
        for (; p2 > 0 && time[by_stop[p2 - 1]] >= t[k]; p2--) {
            size_t i = by_stop[p2 - 1];
            double v = weights ? weights[i] : 1.0;
            at_risk += v;
            if (status[i] == 1) {
                wd += v;
                d += 1;
            } else {
                wc += v;
            }
        }
        if (by_start != NULL)
            for (; p1 > 0 && start[by_start[p1 - 1]] >= t[k]; p1--)
                at_risk -= weights ? weights[by_start[p1 - 1]] : 1.0;
        n_risk[k] = at_risk;
        n_event[k] = wd;
        n_censor[k] = wc;
        deaths[k] = d;
    }
    return SURVKIT_OK;
}

/* The confidence limits of one curve from its surv and std_err (that of S itself when robust
 * with ctype 1). */
static void curve_confint(sk_km_curve *c, const survkit_km_options *opt, bool robust)
{
    sk_km_confint(sk_km_col(c, SURVKIT_KM_SURV), sk_km_col(c, SURVKIT_KM_STD_ERR), c->n_times,
                  !(robust && opt->ctype == 1), opt->conf_type, opt->conf_level,
                  sk_km_col(c, SURVKIT_KM_LOWER), sk_km_col(c, SURVKIT_KM_UPPER));
}

/* The estimates of one curve from its counts (forward pass) and the confidence limits. */
static void estimate_curve(sk_km_curve *c, const double *deaths, const survkit_km_options *opt,
                           bool robust)
{
    const size_t nt = c->n_times;
    if (nt == 0) return;
    const double *n_risk = sk_km_col(c, SURVKIT_KM_N_RISK), *n_event = sk_km_col(c, SURVKIT_KM_N_EVENT);
    double *surv = sk_km_col(c, SURVKIT_KM_SURV), *se = sk_km_col(c, SURVKIT_KM_STD_ERR),
           *chaz = sk_km_col(c, SURVKIT_KM_CUMHAZ), *se_chaz = sk_km_col(c, SURVKIT_KM_STD_CHAZ);
    double km = 1, greenwood = 0, hazard = 0, var_hazard = 0;
    c->n_max = 0;
    c->events = 0;
    for (size_t k = 0; k < nt; k++) {
        double d0 = deaths[k], d1 = n_event[k], nr = n_risk[k];
        if (opt->ctype == 2) {
            for (double j = 0; j < d0; j++) {
                double dtemp = nr - j * d1 / d0;
                hazard += d1 / (d0 * dtemp);
                var_hazard += d1 / (d0 * dtemp * dtemp);
            }
        } else if (d0 > 0 && d1 > 0) {
            hazard += d1 / nr;
            var_hazard += d1 / (nr * nr);
        }
        if (d0 > 0 && d1 > 0) {
            km *= (nr - d1) / nr;
            greenwood += d1 / (nr * (nr - d1));
        }
        surv[k] = km;
        chaz[k] = hazard;
        if (!robust) { /* else km_robust.c filled them */
            se[k] = sqrt(greenwood);
            se_chaz[k] = sqrt(var_hazard);
        }
        if (nr > c->n_max) c->n_max = nr;
        c->events += d1;
    }
    c->n_start = n_risk[0];
    curve_confint(c, opt, robust);
}

void sk_km_set_robust(survkit_km *km, int robust_option)
{
    km->robust = true;
    km->opt.robust = robust_option;
    for (size_t g = 0; g < km->n_groups; g++)
        if (km->curves[g].n_times > 0) curve_confint(&km->curves[g], &km->opt, true);
}

static survkit_status set_labels(survkit_km *km, const char *const *labels, survkit_error *err)
{
    km->labels = sk_calloc_array(km->n_groups, sizeof *km->labels);
    RETURN_ERROR_IF(km->labels == NULL, err, SURVKIT_ERR_NOMEM, "km: out of memory");
    for (size_t g = 0; g < km->n_groups; g++) {
        char buf[32];
        const char *label = labels ? labels[g] : NULL;
        if (label == NULL) {
            if (km->n_groups == 1) snprintf(buf, sizeof buf, "all");
            else snprintf(buf, sizeof buf, "%zu", g + 1);
            label = buf;
        }
        km->labels[g] = sk_strdup(label);
        RETURN_ERROR_IF(km->labels[g] == NULL, err, SURVKIT_ERR_NOMEM, "km: out of memory");
    }
    return SURVKIT_OK;
}

/* The counts of every curve through sorting (any times). deaths[g] allocated per group. */
static survkit_status counts_by_sorting(survkit_km *km, size_t n, const double *start,
                                        const double *time, const double *status,
                                        const double *weights, const int32_t *group,
                                        double **deaths, survkit_error *err)
{
    size_t *by_stop = sk_malloc_array(n, sizeof *by_stop);
    size_t *by_start = start ? sk_malloc_array(n, sizeof *by_start) : NULL;
    size_t *offset = sk_calloc_array(km->n_groups + 1, sizeof *offset);
    survkit_status status_code = SURVKIT_OK;
    if (by_stop == NULL || offset == NULL || (start != NULL && by_start == NULL)) {
        status_code = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "km: out of memory");
        goto done;
    }
    status_code = group_order(time, group, km->n_groups, n, by_stop, err);
    if (status_code == SURVKIT_OK && start != NULL)
        status_code = group_order(start, group, km->n_groups, n, by_start, err);
    if (status_code != SURVKIT_OK) goto done;
    for (size_t i = 0; i < n; i++) offset[(group ? (size_t)group[i] : 0) + 1]++;
    for (size_t g = 0; g < km->n_groups; g++) offset[g + 1] += offset[g];
    for (size_t g = 0; g < km->n_groups && status_code == SURVKIT_OK; g++) {
        size_t lo = offset[g], m = offset[g + 1] - lo;
        status_code = count_sorted(by_stop + lo, by_start ? by_start + lo : NULL, m, start, time,
                                   status, weights, &km->curves[g], &deaths[g], err);
        if (status_code == SURVKIT_OK && km->robust && m > 0 &&
            sk_km_robust_se(&km->curves[g], deaths[g], by_stop + lo, m, start, time, status,
                            weights, km->opt.ctype) != SURVKIT_OK)
            status_code = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "km: out of memory");
    }
done:
    free(by_stop);
    free(by_start);
    free(offset);
    return status_code;
}

static survkit_status fit_all(survkit_km *km, size_t n, const double *start, const double *time,
                              const double *status, const double *weights, const int32_t *group,
                              const char *const *labels, survkit_error *err)
{
    RETURN_IF_ERROR(set_labels(km, labels, err));
    km->curves = sk_calloc_array(km->n_groups, sizeof *km->curves);
    double **deaths = sk_calloc_array(km->n_groups, sizeof *deaths);
    survkit_status status_code = SURVKIT_OK;
    if (km->curves == NULL || deaths == NULL) {
        free(deaths);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "km: out of memory");
    }
    bool counted = false;
    if (!km->robust)
        status_code = sk_km_grid_counts(n, start, time, status, weights, group, km->n_groups,
                                    km->curves, deaths, &counted, err);
    if (status_code == SURVKIT_OK && !counted)
        status_code = counts_by_sorting(km, n, start, time, status, weights, group, deaths, err);
    km->min_time = INFINITY;
    for (size_t g = 0; g < km->n_groups && status_code == SURVKIT_OK; g++) {
        sk_km_curve *c = &km->curves[g];
        estimate_curve(c, deaths[g], &km->opt, km->robust);
        if (c->n_times > 0 && c->values[0] < km->min_time) km->min_time = c->values[0];
    }
    for (size_t g = 0; g < km->n_groups; g++) free(deaths[g]);
    free(deaths);
    return status_code;
}

survkit_status survkit_km_fit(size_t n, const double *start, const double *time,
                              const double *status, const double *weights, const int32_t *group,
                              size_t n_groups, const char *const *labels,
                              const survkit_km_options *opt, survkit_km **out, survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL, err, SURVKIT_ERR_ARGUMENT, "km: no output pointer");
    *out = NULL;
    survkit_km_options defaults;
    if (opt == NULL) {
        survkit_km_options_init(&defaults);
        opt = &defaults;
    }
    RETURN_IF_ERROR(check_inputs(n, start, time, status, weights, group, n_groups, opt, err));
    RETURN_ERROR_IF(n == 0, err, SURVKIT_ERR_NO_DATA, "km: no observations");
    survkit_km *km = calloc(1, sizeof *km);
    RETURN_ERROR_IF(km == NULL, err, SURVKIT_ERR_NOMEM, "km: out of memory");
    km->opt = *opt;
    km->counting = start != NULL;
    km->robust = opt->robust == 1;
    for (size_t i = 0; opt->robust == -1 && weights != NULL && i < n && !km->robust; i++)
        km->robust = !sk_is_integer(weights[i]);
    km->n_groups = n_groups;
    survkit_status status_code =
        fit_all(km, n, start, time, status, weights, group, labels, err);
    if (status_code != SURVKIT_OK) {
        survkit_km_free(km);
        return status_code;
    }
    *out = km;
    return SURVKIT_OK;
}

survkit_status survkit_km_fit_counts(size_t n_groups, const survkit_km_counts *counts,
                                     const char *const *labels, bool counting,
                                     const survkit_km_options *opt, survkit_km **out,
                                     survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL || counts == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "km: no counts or no output pointer");
    *out = NULL;
    survkit_km_options defaults;
    if (opt == NULL) {
        survkit_km_options_init(&defaults);
        opt = &defaults;
    }
    /* the option checks of a fit from rows, over no rows (time and status only need to exist) */
    const double none = 0;
    const int32_t no_group = 0;
    RETURN_IF_ERROR(check_inputs(0, NULL, &none, &none, NULL, &no_group, n_groups, opt, err));
    RETURN_ERROR_IF(opt->robust == 1, err, SURVKIT_ERR_ARGUMENT,
                    "km: the robust variance needs the rows, not counts");
    survkit_km *km = calloc(1, sizeof *km);
    RETURN_ERROR_IF(km == NULL, err, SURVKIT_ERR_NOMEM, "km: out of memory");
    km->opt = *opt;
    km->opt.robust = 0;
    km->counting = counting;
    km->n_groups = n_groups;
    survkit_status code = set_labels(km, labels, err);
    if (code == SURVKIT_OK) {
        km->curves = sk_calloc_array(n_groups, sizeof *km->curves);
        if (km->curves == NULL) code = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "km: out of memory");
    }
    km->min_time = INFINITY;
    size_t total = 0;
    for (size_t g = 0; g < n_groups && code == SURVKIT_OK; g++) {
        sk_km_curve *c = &km->curves[g];
        const survkit_km_counts *k = &counts[g];
        total += k->records;
        c->records = k->records;
        c->n_times = k->n_times;
        if (k->n_times == 0) continue;
        c->values = sk_malloc_array(k->n_times, SURVKIT_KM_N_COLUMNS * sizeof(double));
        if (c->values == NULL) {
            code = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "km: out of memory");
            break;
        }
        size_t bytes = k->n_times * sizeof(double);
        memcpy(sk_km_col(c, SURVKIT_KM_TIME), k->time, bytes);
        memcpy(sk_km_col(c, SURVKIT_KM_N_RISK), k->n_risk, bytes);
        memcpy(sk_km_col(c, SURVKIT_KM_N_EVENT), k->n_event, bytes);
        memcpy(sk_km_col(c, SURVKIT_KM_N_CENSOR), k->n_censor, bytes);
        estimate_curve(c, k->deaths, &km->opt, false);
        if (c->values[0] < km->min_time) km->min_time = c->values[0];
    }
    if (code == SURVKIT_OK && total == 0)
        code = sk_error_set(err, SURVKIT_ERR_NO_DATA, NULL, 0, 0, "km: no observations");
    if (code != SURVKIT_OK) {
        survkit_km_free(km);
        return code;
    }
    *out = km;
    return SURVKIT_OK;
}

/* ---- getters ---- */

const survkit_km_options *survkit_km_options_used(const survkit_km *km) { return &km->opt; }
bool survkit_km_is_counting(const survkit_km *km) { return km->counting; }
bool survkit_km_is_robust(const survkit_km *km) { return km->robust; }
size_t survkit_km_n_groups(const survkit_km *km) { return km->n_groups; }

const char *survkit_km_group_label(const survkit_km *km, size_t g)
{
    return g < km->n_groups ? km->labels[g] : NULL;
}

size_t survkit_km_records(const survkit_km *km, size_t g)
{
    return g < km->n_groups ? km->curves[g].records : 0;
}

double survkit_km_n_max(const survkit_km *km, size_t g)
{
    return g < km->n_groups ? km->curves[g].n_max : NAN;
}

double survkit_km_n_start(const survkit_km *km, size_t g)
{
    return g < km->n_groups && km->curves[g].n_times > 0 ? km->curves[g].n_start : NAN;
}

double survkit_km_events(const survkit_km *km, size_t g)
{
    return g < km->n_groups ? km->curves[g].events : NAN;
}

size_t survkit_km_n_times(const survkit_km *km, size_t g)
{
    return g < km->n_groups ? km->curves[g].n_times : 0;
}

const double *survkit_km_column_values(const survkit_km *km, size_t g, survkit_km_column column)
{
    if (g >= km->n_groups || (unsigned)column >= SURVKIT_KM_N_COLUMNS) return NULL;
    const sk_km_curve *c = &km->curves[g];
    return c->values ? sk_km_col(c, column) : NULL;
}
