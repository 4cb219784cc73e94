/*
 * ipw_figure.h: the pictures of a propensity-weighting result (survkit_ipw_result), as R users
 * draw them with cobalt:
 *   love plot (cobalt::love.plot(..., abs = TRUE)): one row per covariate (design column), the
 *     first at the top, with a dot at |smd_before| ("Unadjusted") and one at |smd_after|
 *     ("Adjusted"), the x axis the absolute standardised mean difference, a solid line at 0 and
 *     a dashed one at the threshold (default 0.1);
 *   propensity scores (cobalt::bal.plot(..., var.name = "prop.score", which = "unadjusted",
 *     type = "histogram", mirror = TRUE)): the density histograms of the scores of the treated
 *     (above the axis) and of the controls (below, mirrored), before weighting, on common bins.
 */
#ifndef SURVKIT_PLOT_IPW_FIGURE_H
#define SURVKIT_PLOT_IPW_FIGURE_H

#include "figure.h"

#include <survkit/survkit.h>

#include <stdbool.h>
#include <stddef.h>

typedef enum plot_ipw_kind {
    PLOT_IPW_BOTH = 0, /* a page with the love plot, then the propensity histograms */
    PLOT_IPW_LOVE = 1,
    PLOT_IPW_PS = 2
} plot_ipw_kind;

/* What the page shows. Zero-initialised fields take the defaults noted. */
typedef struct plot_ipw_options {
    plot_ipw_kind kind;
    double threshold;     /* the love plot's dashed line; 0: 0.1 */
    size_t bins;          /* histogram bins; 0: 30 */
    const char *title;    /* before each panel's own title ("<title>: Covariate balance") */
    double width, height; /* the page; 0: by format and grid (render.h) */
} plot_ipw_options;

/*
 * The love plot of q balance rows. Inputs: names[q], smd_before[q], smd_after[q] (NaN: no dot).
 * Series 0 "Unadjusted" and 1 "Adjusted" hold marks (|smd|, q - k) for row k; the y axis runs
 * over [0.5, q + 0.5] with a tick at q - k labelled names[k]; the x axis over [0, max(|smd|,
 * threshold)] with R's 4% margins. Output: *out (plot_figure_free).
 * Errors: SURVKIT_ERR_ARGUMENT (q = 0: a model without covariates), SURVKIT_ERR_NOMEM.
 */
survkit_status plot_ipw_love_build(const char *const *names, const double *smd_before,
                                   const double *smd_after, size_t q, double threshold,
                                   plot_figure **out, survkit_error *err);

/*
 * The histogram breaks and densities of R's hist(x, breaks = seq(lo, hi, length.out = bins + 1))
 * for the rows i with keep[i] (all when keep is NULL): bins (b_j, b_j+1], the first closed, with
 * R's fuzz of 1e-7 times the median bin width. Outputs: breaks[bins + 1] (NULL to skip),
 * density[bins] = count / (n kept * width) (0 when nothing is kept), counts[bins] (NULL to skip).
 */
void plot_histogram(const double *x, const bool *keep, size_t n, double lo, double hi,
                    size_t bins, double *breaks, double *density, double *counts);

/*
 * The mirrored histograms of ps[n] by treated[n] (non-zero: treated), on bins over
 * [min ps, max ps]. Series 0 "Treated" has steps (b_0, 0), (b_j, d_j) for j < bins, (b_bins, 0)
 * and the band [0, d]; series 1 "Control" the same with -d (band [-d, 0]). The y ticks are
 * labelled with their absolute values; a line marks y = 0. Output: *out.
 * Errors: SURVKIT_ERR_ARGUMENT (no rows, a score outside [0, 1], all scores equal),
 * SURVKIT_ERR_NOMEM.
 */
survkit_status plot_ipw_ps_build(const double *ps, const double *treated, size_t n, size_t bins,
                                 plot_figure **out, survkit_error *err);

/* The page of a result: the love plot and/or the histograms, as opt->kind says, side by side.
 * treated[n] is the treatment of the result's rows (the frame's binary response). */
survkit_status plot_ipw_page_build(const survkit_ipw_result *r, const double *treated,
                                   const plot_ipw_options *opt, plot_page **out,
                                   survkit_error *err);

#endif /* SURVKIT_PLOT_IPW_FIGURE_H */
