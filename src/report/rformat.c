/* rformat.c: R's formatReal layout rules (see rformat.h for the rule in one paragraph). */
#include "rformat.h"

#include <float.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Significant digits (after rounding to `digits` and dropping trailing zeros) and the decimal
 * exponent of a finite x, read from C's correctly rounded %e conversion. */
static void significance(double x, int digits, int *nsig, int *exponent)
{
    char buf[64];
    if (x == 0) {
        *nsig = 1;
        *exponent = 0;
        return;
    }
    snprintf(buf, sizeof buf, "%.*e", digits - 1, fabs(x));
    char *e = strchr(buf, 'e');
    *exponent = atoi(e + 1);
    int count = 0, last_nonzero = 1;
    for (const char *p = buf; p < e; p++) {
        if (*p < '0' || *p > '9') continue;
        count++;
        if (*p != '0') last_nonzero = count;
    }
    *nsig = last_nonzero;
}

typedef struct layout {
    int scientific; /* 1: %e with `decimals` mantissa decimals; 0: %f with `decimals` */
    int decimals;
} layout;

static layout choose_layout(const double *x, size_t n, int digits)
{
    int fixed_left = 1, fixed_right = 0, max_sig = 1, exp_width = 2, any_negative = 0, any = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) continue;
        int nsig, e;
        significance(x[i], digits, &nsig, &e);
        any = 1;
        if (x[i] < 0) any_negative = 1;
        /* R's formatReal counts a minus sign in that number's own left width (mxsl), so the sign
         * of a small negative number fits within the digits of a larger positive one */
        int left = (e >= 0 ? e + 1 : 1) + (x[i] < 0);
        int right = nsig - e - 1;
        if (left > fixed_left) fixed_left = left;
        if (right > fixed_right) fixed_right = right;
        if (nsig > max_sig) max_sig = nsig;
        if (abs(e) >= 100) exp_width = 3;
    }
    layout l = {0, fixed_right};
    if (!any) return l;
    int fixed_width = fixed_left + fixed_right + (fixed_right > 0);
    int sci_width = any_negative + max_sig + (max_sig > 1) + 2 + exp_width;
    if (fixed_width > sci_width) {
        l.scientific = 1;
        l.decimals = max_sig - 1;
    }
    return l;
}

static void format_with(double x, layout l, char *out, size_t out_size)
{
    if (isnan(x)) snprintf(out, out_size, "NA");
    else if (isinf(x)) snprintf(out, out_size, x > 0 ? "Inf" : "-Inf");
    else if (l.scientific) snprintf(out, out_size, "%.*e", l.decimals, x);
    else snprintf(out, out_size, "%.*f", l.decimals, x == 0 ? 0.0 : x);
}

int rformat_column(const double *x, size_t n, int digits, char **out, size_t out_size)
{
    if (digits < 1) digits = 1;
    if (digits > 15) digits = 15;
    layout l = choose_layout(x, n, digits);
    int width = 0;
    for (size_t i = 0; i < n; i++) {
        format_with(x[i], l, out[i], out_size);
        int len = (int)strlen(out[i]);
        if (len > width) width = len;
    }
    char tmp[128];
    for (size_t i = 0; i < n; i++) {
        snprintf(tmp, sizeof tmp, "%*s", width, out[i]);
        snprintf(out[i], out_size, "%s", tmp);
    }
    return width;
}

void rformat_number(double x, int digits, char *out, size_t out_size)
{
    char *slot[1] = {out};
    rformat_column(&x, 1, digits, slot, out_size);
}

void rformat_pvalue(double p, int digits, char *out, size_t out_size)
{
    if (isnan(p)) {
        snprintf(out, out_size, "NA");
        return;
    }
    if (p >= DBL_EPSILON) {
        rformat_number(p, digits, out, out_size);
        return;
    }
    int eps_digits = digits - 2 > 1 ? digits - 2 : 1;
    char eps[64];
    rformat_number(DBL_EPSILON, eps_digits, eps, sizeof eps);
    snprintf(out, out_size, "<%s%s", eps_digits == 1 ? "" : " ", eps);
}

void rformat_rounded(double x, int decimals, char *out, size_t out_size)
{
    double scale = pow(10.0, decimals);
    double r = nearbyint(x * scale) / scale;
    rformat_number(r, 7, out, out_size); /* format() at R's default 7 digits */
}

/*
 * R's format.pval(p, digits) of a vector: values below machine epsilon print as "<" eps, the
 * others in two groups each formatted jointly, expo >= -3 (or -4 when digits > 1) and the rest;
 * the "<" entries are glued to eps ("<2e-16") unless the other entries are wider than 6.
 */
void rformat_pvalues(const double *p, size_t n, int digits, char **out, size_t out_size)
{
    const double eps = 2.220446049250313e-16;
    double *group = malloc((n ? n : 1) * sizeof *group);
    size_t *where = malloc((n ? n : 1) * sizeof *where);
    char *tmp = malloc((n ? n : 1) * out_size);
    char **tp = malloc((n ? n : 1) * sizeof *tp);
    if (!group || !where || !tmp || !tp) goto done;
    for (size_t i = 0; i < n; i++) tp[i] = tmp + i * out_size;
    size_t widest = 0;
    bool any_other = false;
    for (int fixed = 1; fixed >= 0; fixed--) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            if (isnan(p[i]) || p[i] < eps) continue;
            double e = floor(log10(p[i] > 0 ? p[i] : 1e-50));
            bool fixp = e >= -3 || (e == -4 && digits > 1);
            if (fixp != (fixed == 1)) continue;
            group[m] = p[i];
            where[m++] = i;
        }
        if (m == 0) continue;
        any_other = true;
        rformat_column(group, m, digits, tp, out_size);
        for (size_t k = 0; k < m; k++) {
            snprintf(out[where[k]], out_size, "%s", tp[k]);
            if (strlen(tp[k]) > widest) widest = strlen(tp[k]);
        }
    }
    int eps_digits = digits - 2 > 1 ? digits - 2 : 1;
    if (any_other && eps_digits > 1 && (size_t)eps_digits + 6 > widest)
        eps_digits = widest > 8 ? (int)widest - 7 : 1;
    const char *sep = (eps_digits == 1 && (!any_other || widest <= 6)) ? "" : " ";
    char eps_text[32];
    rformat_number(eps, eps_digits, eps_text, sizeof eps_text);
    for (size_t i = 0; i < n; i++) {
        if (isnan(p[i])) snprintf(out[i], out_size, "NA");
        else if (p[i] < eps) snprintf(out[i], out_size, "<%s%s", sep, eps_text);
    }
done:
    free(group), free(where), free(tmp), free(tp);
}
