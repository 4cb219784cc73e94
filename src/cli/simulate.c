/*
 * simulate.c: proportional-hazards cohorts with known coefficients (the generator of issue 6).
 *
 * Model, for row i in stratum s and cluster c, with covariates x_i and true log-hazard ratios beta:
 *
 *   h_i(t) = z_c exp(x_i' beta) h0_s(t),    H0_s(t) = (lambda_s t)^k
 *
 * (exponential: k = 1). Since H_i(T) is standard exponential, T = (E / (z_c exp(x_i' beta)))^(1/k)
 * / lambda_s with E ~ Exp(1) (Bender, Augustin and Blettner, "Generating survival times to simulate
 * Cox proportional hazards models", Statistics in Medicine 24:1713-1723, 2005). The frailty
 * z_c ~ Gamma(shape 1/v, scale v) has mean 1 and variance v. Censoring C = min(Exp(rate), max_time)
 * is independent of T; the row shows time = min(T, C) and status = [T <= C]. With delayed entry,
 * A ~ Uniform(0, entry_max) and only rows with min(T, C) > A are observed (left truncation), which
 * is what a (start, stop] analysis with Surv(start, time, status) corrects for.
 *
 * Each row consumes the random stream in a fixed order (covariates, stratum, cluster, E, C, A), so a
 * seed fixes the whole file; every random draw goes through sim_random.h's portable arithmetic.
 */
#include "simulate.h"

#include "sim_decimal.h"
#include "sim_random.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void sim_options_init(sim_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->seed = 1;
    opt->n = 1000;
    opt->p = 5;
    opt->binary_share = 0.5;
    opt->beta = NULL;
    opt->baseline = SIM_BASELINE_EXPONENTIAL;
    opt->shape = 1.0;
    opt->scale = 0.01;
    opt->censor_rate = 0.005;
    opt->max_time = 0.0;
    opt->integer_times = false;
    opt->digits = 8;
    opt->frailty_var = 0.5;
}

const char *sim_options_check(const sim_options *opt)
{
    if (opt->n == 0) return "--n must be at least 1";
    if (opt->p > SIM_MAX_P) return "--p is at most 10000";
    if (!(opt->binary_share >= 0 && opt->binary_share <= 1)) return "--binary-share must be in [0, 1]";
    if (!(opt->shape > 0) || !isfinite(opt->shape)) return "--shape must be positive";
    if (opt->baseline == SIM_BASELINE_EXPONENTIAL && opt->shape != 1.0)
        return "--shape applies to --baseline weibull only";
    if (!(opt->scale > 0) || !isfinite(opt->scale)) return "--scale must be positive";
    if (!(opt->censor_rate >= 0) || !isfinite(opt->censor_rate)) return "--censor-rate must be >= 0";
    if (!(opt->max_time >= 0)) return "--max-time must be >= 0";
    if (opt->digits < 1 || opt->digits > 17) return "--digits must be between 1 and 17";
    if (!(opt->frailty_var >= 0) || !isfinite(opt->frailty_var)) return "--frailty-var must be >= 0";
    if (!(opt->entry_max >= 0) || !isfinite(opt->entry_max)) return "--entry-max must be >= 0";
    if (opt->strata > ((size_t)1 << 31) || opt->clusters > ((size_t)1 << 31))
        return "--strata and --clusters are at most 2^31";
    /* more strata or clusters than rows cannot work (and their tables would be allocated first) */
    if (opt->strata > opt->n) return "--strata cannot exceed the number of rows (--n)";
    if (opt->clusters > opt->n) return "--clusters cannot exceed the number of rows (--n)";
    if (opt->beta != NULL)
        for (size_t j = 0; j < opt->p; j++)
            if (!isfinite(opt->beta[j])) return "--beta values must be finite";
    return NULL;
}

double sim_default_beta(size_t j)
{
    static const double pattern[5] = {0.5, -0.25, 0.1, -0.05, 0.0};
    return pattern[j % 5];
}

size_t sim_binary_count(const sim_options *opt)
{
    return (size_t)floor((double)opt->p * opt->binary_share + 0.5);
}

double sim_stratum_scale(const sim_options *opt, size_t stratum)
{
    if (opt->strata <= 1) return opt->scale;
    /* 2^(2 (s - 1)/(K - 1) - 1): from 1/2 (s = 1) to 2 (s = K). */
    const double position = (double)(stratum - 1) / (double)(opt->strata - 1);
    return opt->scale * sim_exp((2 * position - 1) * 0.69314718055994530942);
}

/* v rounded to `digits` (or kept whole), its text form in *text; returns the rounded value. */
static double round_to(double v, int digits, bool whole, sim_decimal *text)
{
    if (whole) sim_decimal_integer(v, text);
    else sim_decimal_round(v, digits, text);
    return text->value;
}

/* An integer uniform on 1..k. */
static size_t draw_level(sim_rng *rng, size_t k)
{
    size_t level = (size_t)(sim_uniform(rng) * (double)k);
    return (level < k ? level : k - 1) + 1;
}

/* State shared by the rows: coefficients, frailties and stratum rates, drawn or fixed up front. */
typedef struct sim_state {
    sim_rng rng;
    double *beta, *frailty, *log_scale, *x;
    sim_decimal *x_text;
    size_t p, n_binary;
    double max_time, entry_max;
} sim_state;

static void state_free(sim_state *st)
{
    free(st->beta);
    free(st->frailty);
    free(st->log_scale);
    free(st->x);
    free(st->x_text);
}

static bool state_init(const sim_options *opt, sim_state *st)
{
    memset(st, 0, sizeof *st);
    sim_rng_seed(&st->rng, opt->seed);
    st->p = opt->p;
    st->n_binary = sim_binary_count(opt);
    const size_t n_strata = opt->strata > 1 ? opt->strata : 1;
    st->beta = malloc((opt->p ? opt->p : 1) * sizeof *st->beta);
    st->x = malloc((opt->p ? opt->p : 1) * sizeof *st->x);
    st->x_text = malloc((opt->p ? opt->p : 1) * sizeof *st->x_text);
    st->log_scale = malloc(n_strata * sizeof *st->log_scale);
    st->frailty = opt->clusters ? malloc(opt->clusters * sizeof *st->frailty) : NULL;
    if (!st->beta || !st->x || !st->x_text || !st->log_scale || (opt->clusters && !st->frailty)) {
        state_free(st);
        return false;
    }
    for (size_t j = 0; j < opt->p; j++) st->beta[j] = opt->beta ? opt->beta[j] : sim_default_beta(j);
    for (size_t s = 0; s < n_strata; s++) st->log_scale[s] = sim_log(sim_stratum_scale(opt, s + 1));
    for (size_t c = 0; c < opt->clusters; c++)
        st->frailty[c] = opt->frailty_var > 0
                             ? opt->frailty_var * sim_gamma(&st->rng, 1 / opt->frailty_var)
                             : 1.0;
    st->max_time = opt->max_time > 0 && isfinite(opt->max_time) ? opt->max_time : INFINITY;
    st->entry_max = opt->entry_max > 0               ? opt->entry_max
                    : isfinite(st->max_time) ? st->max_time / 2
                                             : 1 / opt->scale;
    return true;
}

/* Draw one candidate row into *row; false when delayed entry rejects it. */
static bool draw_row(const sim_options *opt, sim_state *st, sim_row *row)
{
    sim_rng *rng = &st->rng;
    const size_t n_continuous = st->p - st->n_binary;
    double eta = 0;
    for (size_t j = 0; j < st->p; j++) {
        st->x[j] = j < n_continuous
                       ? round_to(sim_normal(rng), opt->digits, false, &st->x_text[j])
                       : round_to((double)(sim_rng_next(rng) >> 63), 0, true, &st->x_text[j]);
        eta += st->beta[j] * st->x[j];
    }
    row->x = st->x;
    row->x_text = st->x_text;
    row->stratum = opt->strata > 1 ? draw_level(rng, opt->strata) : 0;
    row->cluster = opt->clusters ? draw_level(rng, opt->clusters) : 0;
    const double z = row->cluster ? st->frailty[row->cluster - 1] : 1.0;
    const double log_scale = st->log_scale[row->stratum ? row->stratum - 1 : 0];

    /* log T = (log E - log z - eta) / k - log lambda_s */
    const double k = opt->baseline == SIM_BASELINE_WEIBULL ? opt->shape : 1.0;
    const double t_event = sim_exp((sim_log(sim_exponential(rng)) - sim_log(z) - eta) / k - log_scale);
    double t_censor = opt->censor_rate > 0 ? sim_exponential(rng) / opt->censor_rate : INFINITY;
    if (t_censor > st->max_time) t_censor = st->max_time;
    const double observed = t_event <= t_censor ? t_event : t_censor;
    row->status = t_event <= t_censor;

    /* Whole units: rounded up, at least 1; start rounded down, so entry < exit still holds. */
    const bool whole = opt->integer_times;
    const double up = ceil(observed) < 1 ? 1 : ceil(observed);
    row->time = round_to(whole ? up : observed, opt->digits, whole, &row->time_text);
    row->start = round_to(0, opt->digits, true, &row->start_text);
    if (opt->start) {
        const double entry = sim_uniform(rng) * st->entry_max;
        row->start = round_to(whole ? floor(entry) : entry, opt->digits, whole, &row->start_text);
        if (!(observed > entry)) return false;
    }
    return row->time > row->start && isfinite(row->time);
}

int sim_generate(const sim_options *opt, sim_row_fn emit, void *user, sim_summary *summary)
{
    sim_summary count = {0, 0};
    if (summary) *summary = count;
    sim_state st;
    if (!state_init(opt, &st)) return -1;
    int status = 0;
    sim_row row;
    for (size_t i = 0; i < opt->n && status == 0; i++) {
        /* Delayed entry rejects rows with probability P(min(T, C) <= A); a million rejections in a
         * row means the options leave (almost) nothing observable, e.g. infinite times. */
        size_t rejected = 0;
        while (!draw_row(opt, &st, &row))
            if (++rejected == 1000000) {
                status = -2;
                break;
            }
        if (status != 0) break;
        count.rows++;
        count.events += (size_t)row.status;
        status = emit(user, &row);
    }
    state_free(&st);
    if (summary) *summary = count;
    return status;
}

/* ---- CSV output ---------------------------------------------------------------------------- */

typedef struct csv_sink {
    FILE *out;
    char *buf;
    size_t used, size, row_max;
    size_t p;
    bool start, stratum, cluster;
} csv_sink;

static int sink_flush(csv_sink *sink)
{
    if (sink->used && fwrite(sink->buf, 1, sink->used, sink->out) != sink->used) return 1;
    sink->used = 0;
    return 0;
}

static void put_text(csv_sink *sink, const char *text)
{
    const size_t len = strlen(text);
    memcpy(sink->buf + sink->used, text, len);
    sink->used += len;
}

static void put_decimal(csv_sink *sink, const sim_decimal *d)
{
    sink->used += sim_decimal_format(d, sink->buf + sink->used);
}

static int write_row(void *user, const sim_row *row)
{
    csv_sink *sink = user;
    if (sink->size - sink->used < sink->row_max && sink_flush(sink)) return 1;
    if (sink->start) {
        put_decimal(sink, &row->start_text);
        sink->buf[sink->used++] = ',';
    }
    put_decimal(sink, &row->time_text);
    sink->buf[sink->used++] = ',';
    sink->buf[sink->used++] = row->status ? '1' : '0';
    for (size_t j = 0; j < sink->p; j++) {
        sink->buf[sink->used++] = ',';
        put_decimal(sink, &row->x_text[j]);
    }
    if (sink->stratum) {
        sink->buf[sink->used++] = ',';
        sink->used += sim_format_integer((long long)row->stratum, sink->buf + sink->used);
    }
    if (sink->cluster) {
        sink->buf[sink->used++] = ',';
        sink->used += sim_format_integer((long long)row->cluster, sink->buf + sink->used);
    }
    sink->buf[sink->used++] = '\n';
    return 0;
}

int sim_write_csv(const sim_options *opt, FILE *out, sim_summary *summary)
{
    csv_sink sink = {.out = out, .p = opt->p, .start = opt->start,
                     .stratum = opt->strata > 1, .cluster = opt->clusters > 0};
    /* A field is at most SIM_DECIMAL_MAX - 1 characters plus its separator. */
    sink.row_max = (opt->p + 6) * SIM_DECIMAL_MAX;
    sink.size = sink.row_max * 2 > ((size_t)1 << 20) ? sink.row_max * 2 : ((size_t)1 << 20);
    sink.buf = malloc(sink.size);
    if (sink.buf == NULL) return -1;

    if (sink.start) put_text(&sink, "start,");
    put_text(&sink, "time,status");
    for (size_t j = 0; j < opt->p; j++) {
        if (sink.size - sink.used < SIM_DECIMAL_MAX && sink_flush(&sink)) goto write_error;
        char name[SIM_DECIMAL_MAX];
        snprintf(name, sizeof name, ",x%zu", j + 1);
        put_text(&sink, name);
    }
    if (sink.stratum) put_text(&sink, ",stratum");
    if (sink.cluster) put_text(&sink, ",cluster");
    put_text(&sink, "\n");

    int status = sim_generate(opt, write_row, &sink, summary);
    if (status == 0 && sink_flush(&sink)) status = 1;
    free(sink.buf);
    return status;

write_error:
    free(sink.buf);
    return 1;
}
