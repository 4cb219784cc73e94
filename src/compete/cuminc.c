/*
 * cuminc.c: cumulative incidence curves per group (R's survfit(Surv(time, factor(event)) ~ g),
 * whose survfitCI calls the Aalen-Johansen code of aj_kernel.c once per group) and Gray's test
 * per state (gray.c).
 *
 * (start, stop] data need subject ids, as R: a subject's rows are checked (no overlap, no gap,
 * nothing after an event, as R's survcheck flags stop survfit), and a censored row that the next
 * row of its subject continues is merged into it (R drops the censoring there: the merged row
 * keeps the earlier start and the later row's stop, state, weight and group). After that every
 * subject's rows follow one another without overlap; the IJ influence is summed per subject,
 * as R's (its weight is taken as constant within a subject, R using the subject's last row's).
 */
#include "compete/compete_internal.h"
#include "km/km_internal.h"

#include "core/sort.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void survkit_cuminc_options_init(survkit_cuminc_options *opt)
{
    opt->conf_type = SURVKIT_CONF_LOG;
    opt->conf_level = 0.95;
    opt->rho = 0;
}

void survkit_cuminc_free(survkit_cuminc *fit)
{
    if (fit == NULL) return;
    for (size_t g = 0; g < fit->n_groups; g++) {
        if (fit->labels) free(fit->labels[g]);
        if (fit->curves) {
            free(fit->curves[g].values);
            free(fit->curves[g].events);
        }
    }
    for (size_t s = 0; fit->state_labels && s <= fit->n_states; s++) free(fit->state_labels[s]);
    free(fit->state_labels);
    free(fit->labels);
    free(fit->curves);
    free(fit->gray_done);
    free(fit->gray_stat);
    free(fit->gray_df);
    free(fit->gray_p);
    free(fit);
}

static survkit_status check_data(const survkit_cuminc_data *d, const survkit_cuminc_options *opt,
                                 survkit_error *err)
{
    RETURN_ERROR_IF(d->time == NULL || d->state == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "cuminc: time and state are required");
    RETURN_ERROR_IF(d->n_states < 2, err, SURVKIT_ERR_ARGUMENT,
                    "cuminc: competing risks need at least two event states, not %zu (use km for "
                    "one)", d->n_states);
    RETURN_ERROR_IF(d->n_groups == 0 || (d->group == NULL && d->n_groups != 1), err,
                    SURVKIT_ERR_ARGUMENT, "cuminc: group codes are needed for %zu groups",
                    d->n_groups);
    RETURN_ERROR_IF(d->start != NULL && d->id == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "cuminc: (start, stop] data need subject ids (--id), as R's survfit");
    RETURN_ERROR_IF(!(opt->conf_level > 0 && opt->conf_level < 1), err, SURVKIT_ERR_ARGUMENT,
                    "cuminc: the confidence level must be between 0 and 1, not %g",
                    opt->conf_level);
    RETURN_ERROR_IF((unsigned)opt->conf_type > SURVKIT_CONF_NONE, err, SURVKIT_ERR_ARGUMENT,
                    "cuminc: unknown confidence interval type");
    for (size_t i = 0; i < d->n; i++) {
        if (!isfinite(d->time[i]))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 2, 0,
                                "cuminc: row %zu: the time is missing or infinite", i + 1);
        if (d->state[i] < 0 || (size_t)d->state[i] > d->n_states)
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 2, 0,
                                "cuminc: row %zu: state code %d is not 0..%zu", i + 1,
                                (int)d->state[i], d->n_states);
        if (d->start != NULL && !(isfinite(d->start[i]) && d->start[i] < d->time[i]))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 2, 0,
                                "cuminc: row %zu: stop time must be > start time", i + 1);
        if (d->weights != NULL && !(d->weights[i] >= 0 && isfinite(d->weights[i])))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 2, 0,
                                "cuminc: row %zu: weights must be finite and >= 0", i + 1);
        if (d->group != NULL && (d->group[i] < 0 || (size_t)d->group[i] >= d->n_groups))
            return sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, 0, 0,
                                "cuminc: row %zu: group code out of range", i + 1);
        if (d->strata != NULL && (d->strata[i] < 0 || (size_t)d->strata[i] >= d->n_strata))
            return sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, 0, 0,
                                "cuminc: row %zu: strata code out of range", i + 1);
        if (d->id != NULL && d->id[i] < 0)
            return sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, 0, 0,
                                "cuminc: row %zu: negative id code", i + 1);
    }
    return SURVKIT_OK;
}

/*
 * Subjects' rows: check them and merge continued censored rows. Output: keep[n] (false for a
 * row merged into the next), start[n] the (possibly earlier) start of each kept row.
 */
static survkit_status merge_subjects(const survkit_cuminc_data *d, bool *keep, double *start,
                                     survkit_error *err)
{
    const size_t n = d->n;
    int32_t n_ids = 0;
    for (size_t i = 0; i < n; i++) n_ids = d->id[i] >= n_ids ? d->id[i] + 1 : n_ids;
    size_t *by_time = sk_malloc_array(n, sizeof *by_time), *order = sk_malloc_array(n, sizeof *order);
    bool ok = by_time && order && sk_sort_order(d->time, n, false, by_time) &&
              sk_sort_by_code(d->id, (size_t)n_ids, by_time, n, order);
    free(by_time);
    if (!ok) {
        free(order);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "cuminc: out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        keep[i] = true;
        if (d->start) start[i] = d->start[i];
    }
    survkit_status status = SURVKIT_OK;
    for (size_t q = 1; q < n && status == SURVKIT_OK; q++) {
        size_t p = order[q - 1], i = order[q];
        if (d->id[p] != d->id[i]) continue;
        if (d->start == NULL)
            status = sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, i + 2, 0,
                                  "cuminc: the subject of row %zu has another row; right-censored "
                                  "data need one row per subject", i + 1);
        else if (d->time[p] > d->start[i])
            status = sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, i + 2, 0,
                                  "cuminc: row %zu overlaps an earlier row of its subject", i + 1);
        else if (d->state[p] != 0)
            status = sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, i + 2, 0,
                                  "cuminc: row %zu follows its subject's event (competing events "
                                  "end follow-up)", i + 1);
        else if (d->time[p] < d->start[i])
            status = sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, i + 2, 0,
                                  "cuminc: row %zu leaves a gap after the previous row of its "
                                  "subject (R's survfit stops on survcheck's gap flag)", i + 1);
        else if (q >= 2 && d->id[order[q - 2]] == d->id[p]) {
            /* p continues an earlier row and is continued: R's survflag 0, merged */
            keep[p] = false;
            start[i] = start[p];
        }
    }
    free(order);
    return status;
}

static char *state_name(const survkit_cuminc_data *d, size_t s)
{
    char buf[32];
    if (s == 0) return sk_strdup("(s0)");
    if (d->state_labels != NULL) return sk_strdup(d->state_labels[s - 1]);
    snprintf(buf, sizeof buf, "%zu", s);
    return sk_strdup(buf);
}

static char *group_name(const survkit_cuminc_data *d, size_t g)
{
    char buf[32];
    if (d->group_labels != NULL) return sk_strdup(d->group_labels[g]);
    if (d->n_groups == 1) return sk_strdup("all");
    snprintf(buf, sizeof buf, "%zu", g + 1);
    return sk_strdup(buf);
}

static survkit_status alloc_result(const survkit_cuminc_data *d, const survkit_cuminc_options *opt,
                                   survkit_cuminc **out, survkit_error *err)
{
    survkit_cuminc *fit = calloc(1, sizeof *fit);
    RETURN_ERROR_IF(fit == NULL, err, SURVKIT_ERR_NOMEM, "cuminc: out of memory");
    *out = fit;
    fit->opt = *opt;
    fit->counting = d->start != NULL;
    fit->n_states = d->n_states;
    fit->n_groups = d->n_groups;
    fit->state_labels = sk_calloc_array(d->n_states + 1, sizeof *fit->state_labels);
    fit->labels = sk_calloc_array(d->n_groups, sizeof *fit->labels);
    fit->curves = sk_calloc_array(d->n_groups, sizeof *fit->curves);
    fit->gray_done = sk_calloc_array(d->n_states + 1, sizeof *fit->gray_done);
    fit->gray_stat = sk_calloc_array(d->n_states + 1, sizeof(double));
    fit->gray_df = sk_calloc_array(d->n_states + 1, sizeof(double));
    fit->gray_p = sk_calloc_array(d->n_states + 1, sizeof(double));
    RETURN_ERROR_IF(!fit->state_labels || !fit->labels || !fit->curves || !fit->gray_done ||
                        !fit->gray_stat || !fit->gray_df || !fit->gray_p,
                    err, SURVKIT_ERR_NOMEM, "cuminc: out of memory");
    for (size_t s = 0; s <= d->n_states; s++) {
        fit->state_labels[s] = state_name(d, s);
        RETURN_ERROR_IF(fit->state_labels[s] == NULL, err, SURVKIT_ERR_NOMEM, "cuminc: out of memory");
    }
    for (size_t g = 0; g < d->n_groups; g++) {
        fit->labels[g] = group_name(d, g);
        RETURN_ERROR_IF(fit->labels[g] == NULL, err, SURVKIT_ERR_NOMEM, "cuminc: out of memory");
    }
    return SURVKIT_OK;
}

/* Gray's test for every state with events (right-censored, unweighted data, two or more groups). */
static survkit_status gray_tests(const survkit_cuminc_data *d, survkit_cuminc *fit,
                                 const size_t *by_time, survkit_error *err)
{
    size_t used = 0; /* groups with rows (cuminc drops empty ones) */
    int32_t *recode = sk_malloc_array(d->n_groups, sizeof *recode);
    int32_t *group = sk_malloc_array(d->n, sizeof *group);
    int8_t *cause = sk_malloc_array(d->n, sizeof *cause);
    survkit_status status = SURVKIT_OK;
    if (recode == NULL || group == NULL || cause == NULL) {
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "cuminc: out of memory");
        goto done;
    }
    for (size_t g = 0; g < d->n_groups; g++) recode[g] = fit->curves[g].records > 0 ? (int32_t)used++ : -1;
    if (used < 2) goto done;
    for (size_t i = 0; i < d->n; i++) group[i] = recode[d->group[i]];
    for (size_t s = 1; s <= d->n_states && status == SURVKIT_OK; s++) {
        double events = 0;
        for (size_t g = 0; g < d->n_groups; g++) events += fit->curves[g].events[s];
        if (events == 0) continue;
        for (size_t i = 0; i < d->n; i++)
            cause[i] = d->state[i] == 0 ? 0 : (d->state[i] == (int32_t)s ? 1 : 2);
        double stat;
        status = sk_gray_test(d->n, d->time, cause, group, used, d->strata, d->n_strata,
                              fit->opt.rho, by_time, &stat, err);
        fit->gray_done[s] = true;
        fit->gray_stat[s] = stat;
        fit->gray_df[s] = (double)(used - 1);
        fit->gray_p[s] = 1 - gsl_cdf_chisq_P(stat > 0 ? stat : 0, (double)(used - 1)); /* R's 1 - pchisq */
    }
done:
    free(recode);
    free(group);
    free(cause);
    return status;
}

/* The kept rows' values in (group, stop) order: place q holds row by_stop[q]. */
typedef struct sorted_rows {
    size_t *identity, *by_start;
    double *time, *start, *weights;
    int32_t *state, *subject;
} sorted_rows;

static void release_sorted(sorted_rows *s)
{
    free(s->identity);
    free(s->by_start);
    free(s->time);
    free(s->start);
    free(s->weights);
    free(s->state);
    free(s->subject);
}

/* Gather; by_start (rows) becomes places. Inputs as fit_curves. */
static bool gather_sorted(const survkit_cuminc_data *d, const double *start, const size_t *by_stop,
                          const size_t *by_start, size_t m, sorted_rows *s)
{
    memset(s, 0, sizeof *s);
    s->identity = sk_malloc_array(m, sizeof *s->identity);
    s->time = sk_malloc_array(m, sizeof *s->time);
    s->state = sk_malloc_array(m, sizeof *s->state);
    bool ok = s->identity && s->time && s->state;
    if (ok && d->weights) ok = (s->weights = sk_malloc_array(m, sizeof *s->weights)) != NULL;
    if (ok && d->id) ok = (s->subject = sk_malloc_array(m, sizeof *s->subject)) != NULL;
    if (ok && start) ok = (s->start = sk_malloc_array(m, sizeof *s->start)) != NULL &&
                          (s->by_start = sk_malloc_array(m, sizeof *s->by_start)) != NULL;
    size_t *place = NULL;
    if (ok && start) ok = (place = sk_malloc_array(d->n, sizeof *place)) != NULL;
    if (!ok) {
        free(place);
        release_sorted(s);
        return false;
    }
    for (size_t q = 0; q < m; q++) {
        size_t i = by_stop[q];
        s->identity[q] = q;
        s->time[q] = d->time[i];
        s->state[q] = d->state[i];
        if (s->weights) s->weights[q] = d->weights[i];
        if (s->subject) s->subject[q] = d->id[i];
        if (start) {
            s->start[q] = start[i];
            place[i] = q;
        }
    }
    for (size_t q = 0; start && q < m; q++) s->by_start[q] = place[by_start[q]];
    free(place);
    return true;
}

static survkit_status fit_curves(const survkit_cuminc_data *d, const bool *keep, const double *start,
                                 survkit_cuminc *fit, size_t *by_time, survkit_error *err)
{
    const size_t n = d->n, J = d->n_states;
    size_t *by_stop = sk_malloc_array(n, sizeof *by_stop);
    size_t *by_start = start ? sk_malloc_array(n, sizeof *by_start) : NULL;
    size_t *tmp = sk_malloc_array(n, sizeof *tmp);
    size_t n_subjects = n;
    if (d->id != NULL) {
        n_subjects = 0;
        for (size_t i = 0; i < n; i++)
            if ((size_t)d->id[i] + 1 > n_subjects) n_subjects = (size_t)d->id[i] + 1;
    }
    sk_aj_work work = {sk_malloc_array(n_subjects, (J + 1) * sizeof(double)),
                       sk_malloc_array(n_subjects, sizeof(double)),
                       sk_malloc_array(n_subjects, sizeof(uint32_t))};
    size_t *first = sk_calloc_array(d->n_groups + 1, sizeof *first);
    survkit_status status = SURVKIT_OK;
    bool ok = by_stop && tmp && work.off && work.y && work.epoch && first &&
              (start == NULL || by_start);
    ok = ok && sk_sort_order(d->time, n, false, by_time);
    if (ok && d->group) ok = sk_sort_by_code(d->group, d->n_groups, by_time, n, by_stop);
    else if (ok) memcpy(by_stop, by_time, n * sizeof *by_stop);
    if (ok && start) {
        ok = sk_sort_order(start, n, false, tmp);
        if (ok && d->group) ok = sk_sort_by_code(d->group, d->n_groups, tmp, n, by_start);
        else if (ok) memcpy(by_start, tmp, n * sizeof *by_start);
    }
    if (!ok) {
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "cuminc: out of memory");
        goto done;
    }
    /* drop merged rows from both orders, keeping the group runs */
    size_t m = 0, m2 = 0;
    for (size_t q = 0; q < n; q++) {
        if (keep[by_stop[q]]) by_stop[m++] = by_stop[q];
        if (start && keep[by_start[q]]) by_start[m2++] = by_start[q];
    }
    for (size_t q = 0; q < m; q++) first[(d->group ? (size_t)d->group[by_stop[q]] : 0) + 1]++;
    double *total = sk_calloc_array(d->n_groups, sizeof *total); /* in row order, as R adds them */
    if (total == NULL) {
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "cuminc: out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        if (keep[i]) total[d->group ? (size_t)d->group[i] : 0] += d->weights ? d->weights[i] : 1;
    for (size_t g = 0; g < d->n_groups; g++) first[g + 1] += first[g];
    /* The rows' values gathered once in (group, stop) order, so that the pass reads them in
     * order (a gather through by_stop in every loop of it costs a cache miss a row). */
    sorted_rows sr;
    if (!gather_sorted(d, start, by_stop, by_start, m, &sr)) {
        free(total);
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "cuminc: out of memory");
        goto done;
    }
    for (size_t g = 0; g < d->n_groups && status == SURVKIT_OK; g++) {
        sk_aj_rows rows = {first[g + 1] - first[g], sr.identity + first[g],
                           start ? sr.by_start + first[g] : NULL, sr.start, sr.time, sr.weights,
                           total[g], sr.state, sr.subject, J};
        sk_cuminc_curve *c = &fit->curves[g];
        status = sk_aj_curve(&rows, &work, c, err);
        for (size_t s = 0; status == SURVKIT_OK && s <= J && c->n_times > 0; s++)
            sk_km_confint(sk_aj_state_col(c, s, 1), sk_aj_state_col(c, s, 2), c->n_times, false,
                          fit->opt.conf_type, fit->opt.conf_level, sk_aj_state_col(c, s, 3),
                          sk_aj_state_col(c, s, 4));
    }
    release_sorted(&sr);
    free(total);
done:
    free(by_stop);
    free(by_start);
    free(tmp);
    free(work.off);
    free(work.y);
    free(work.epoch);
    free(first);
    return status;
}

/*
 * Unweighted right-censored rows, one per subject: the curves from counts per (group, time,
 * state) (sk_aj_curve_counts). Integer times of a modest range are counted on a grid, without a
 * sort (as km_grid.c does for Kaplan-Meier); other times through the (group, time) order.
 */
static survkit_status fit_counts(const survkit_cuminc_data *d, survkit_cuminc *fit,
                                 survkit_error *err)
{
    const size_t n = d->n, J1 = d->n_states + 1, G = d->n_groups;
    double lo = INFINITY, hi = -INFINITY;
    bool integer = true;
    for (size_t i = 0; i < n; i++) {
        integer &= sk_is_integer(d->time[i]);
        lo = d->time[i] < lo ? d->time[i] : lo;
        hi = d->time[i] > hi ? d->time[i] : hi;
    }
    const double range = n ? hi - lo + 1 : 0;
    const bool grid = integer && n > 0 && range <= 4.0 * (double)n + 1024 &&
                      range * (double)G * (double)J1 <= 2e8;
    size_t width = grid ? (size_t)range : 0; /* cells of a group: width x J1 */
    double *cells = NULL, *times = NULL;
    size_t *order = NULL, *first = sk_calloc_array(G + 1, sizeof *first);
    survkit_status status = SURVKIT_OK;
    if (first == NULL) return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "cuminc: out of memory");
    if (grid) {
        cells = sk_calloc_array(G * width, J1 * sizeof(double));
        if (cells == NULL) status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "cuminc: out of memory");
        for (size_t i = 0; status == SURVKIT_OK && i < n; i++) {
            size_t g = d->group ? (size_t)d->group[i] : 0;
            cells[(g * width + (size_t)(d->time[i] - lo)) * J1 + (size_t)d->state[i]] += 1;
            first[g + 1]++;
        }
    } else { /* the (group, time) order, then runs of equal times as cells */
        order = sk_malloc_array(n, sizeof *order);
        size_t *tmp = sk_malloc_array(n, sizeof *tmp);
        bool ok = order && tmp && sk_sort_order(d->time, n, false, d->group ? tmp : order) &&
                  (!d->group || sk_sort_by_code(d->group, G, tmp, n, order));
        free(tmp);
        size_t cells_used = 0;
        for (size_t q = 0; ok && q < n; q++)
            cells_used += q == 0 || d->time[order[q]] != d->time[order[q - 1]] ||
                          (d->group && d->group[order[q]] != d->group[order[q - 1]]);
        if (ok) {
            cells = sk_calloc_array(cells_used + 1, J1 * sizeof(double));
            times = sk_malloc_array(cells_used + 1, sizeof(double));
        }
        if (!ok || !cells || !times)
            status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "cuminc: out of memory");
        for (size_t q = 0, c = 0; status == SURVKIT_OK && q < n; q++) {
            size_t i = order[q], g = d->group ? (size_t)d->group[i] : 0;
            if (q > 0 && (d->time[i] != d->time[order[q - 1]] ||
                          (d->group && d->group[i] != d->group[order[q - 1]])))
                c++;
            times[c] = d->time[i];
            cells[c * J1 + (size_t)d->state[i]] += 1;
            first[g + 1]++; /* rows per group; turned into cells per group below */
        }
        /* cells per group: count again over the runs */
        if (status == SURVKIT_OK) {
            size_t *runs = sk_calloc_array(G + 1, sizeof *runs);
            if (runs == NULL) status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "cuminc: out of memory");
            for (size_t q = 0; runs && q < n; q++)
                if (q == 0 || d->time[order[q]] != d->time[order[q - 1]] ||
                    (d->group && d->group[order[q]] != d->group[order[q - 1]]))
                    runs[(d->group ? (size_t)d->group[order[q]] : 0) + 1]++;
            if (runs) {
                for (size_t g = 0; g < G; g++) runs[g + 1] += runs[g];
                for (size_t g = 0; g <= G; g++) first[g] = runs[g];
                free(runs);
            }
        }
    }
    /* each group's distinct times with rows, compacted in place (grid), then the pass */
    double *gtimes = grid ? sk_malloc_array(width + 1, sizeof *gtimes) : NULL;
    if (status == SURVKIT_OK && grid && gtimes == NULL)
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "cuminc: out of memory");
    for (size_t g = 0; status == SURVKIT_OK && g < G; g++) {
        sk_aj_counts in = {0, 0, NULL, NULL, d->n_states};
        if (grid) {
            double *gc = cells + g * width * J1;
            size_t nt = 0;
            for (size_t t = 0; t < width; t++) {
                double any = 0;
                for (size_t st = 0; st < J1; st++) any += gc[t * J1 + st];
                if (any == 0) continue;
                if (nt != t) memmove(gc + nt * J1, gc + t * J1, J1 * sizeof *gc);
                gtimes[nt++] = lo + (double)t;
            }
            in.m = first[g + 1];
            in.n_times = nt;
            in.times = gtimes;
            in.counts = gc;
        } else {
            in.n_times = first[g + 1] - first[g];
            in.times = times + first[g];
            in.counts = cells + first[g] * J1;
            double rows = 0;
            for (size_t c = 0; c < in.n_times * J1; c++) rows += in.counts[c];
            in.m = (size_t)rows;
        }
        sk_cuminc_curve *c = &fit->curves[g];
        status = sk_aj_curve_counts(&in, c, err);
        for (size_t st = 0; status == SURVKIT_OK && st < J1 && c->n_times > 0; st++)
            sk_km_confint(sk_aj_state_col(c, st, 1), sk_aj_state_col(c, st, 2), c->n_times, false,
                          fit->opt.conf_type, fit->opt.conf_level, sk_aj_state_col(c, st, 3),
                          sk_aj_state_col(c, st, 4));
    }
    free(gtimes);
    free(cells);
    free(times);
    free(order);
    free(first);
    return status;
}

survkit_status survkit_cuminc_fit(const survkit_cuminc_data *data,
                                  const survkit_cuminc_options *opt, survkit_cuminc **out,
                                  survkit_error *err)
{
    RETURN_ERROR_IF(data == NULL || out == NULL, err, SURVKIT_ERR_ARGUMENT, "cuminc: no data");
    *out = NULL;
    survkit_cuminc_options defaults;
    if (opt == NULL) {
        survkit_cuminc_options_init(&defaults);
        opt = &defaults;
    }
    RETURN_IF_ERROR(check_data(data, opt, err));
    const size_t n = data->n;
    bool *keep = sk_malloc_array(n, sizeof *keep);
    double *start = data->start ? sk_malloc_array(n, sizeof *start) : NULL;
    size_t *by_time = sk_malloc_array(n, sizeof *by_time);
    survkit_cuminc *fit = NULL;
    survkit_status status = SURVKIT_OK;
    if (keep == NULL || by_time == NULL || (data->start && start == NULL)) {
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "cuminc: out of memory");
        goto done;
    }
    if (data->id != NULL) status = merge_subjects(data, keep, start, err);
    else
        for (size_t i = 0; i < n; i++) keep[i] = true;
    if (status == SURVKIT_OK) status = alloc_result(data, opt, &fit, err);
    /* unweighted right-censored rows, one per subject, need only their counts */
    const bool counts = data->start == NULL && data->weights == NULL && data->id == NULL;
    if (status == SURVKIT_OK)
        status = counts ? fit_counts(data, fit, err) : fit_curves(data, keep, start, fit, by_time, err);
    const bool gray = data->start == NULL && data->weights == NULL && data->group != NULL &&
                      data->n_groups > 1;
    if (status == SURVKIT_OK && gray && counts && !sk_sort_order(data->time, n, false, by_time))
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "cuminc: out of memory");
    if (status == SURVKIT_OK && gray) status = gray_tests(data, fit, by_time, err);
done:
    free(keep);
    free(start);
    free(by_time);
    if (status != SURVKIT_OK) survkit_cuminc_free(fit);
    else *out = fit;
    return status;
}
