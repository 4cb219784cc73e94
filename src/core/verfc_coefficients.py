#!/usr/bin/env python3
# verfc_coefficients.py: the table COEF of verfc.c, a Chebyshev fit (mpmath.chebyfit at 40 digits)
# of g(u) = (x + K) erfcx(x), erfcx(x) = erfc(x) exp(x^2), in u = (x - K) / (x + K) for 0 <= x <= 26
# (u from -1 to (26 - K) / (26 + K)), K = 3.75, degree 26; prints the coefficients (u^26 first) and,
# on stderr, the fit's error and the largest relative error of Horner's rule in double precision
# against mpmath over 4000 values of x.
#   python3 src/core/verfc_coefficients.py    (needs mpmath; about a minute)
import random
import sys

import mpmath as mp

mp.mp.dps = 40
K, TOP, DEGREE = 3.75, 26, 26


def g(u):
    x = K * (1 + u) / (1 - u)
    return mp.erfc(x) * mp.exp(x * x) * (x + K)


poly, err = mp.chebyfit(g, [-1, mp.mpf(TOP - K) / (TOP + K)], DEGREE + 1, error=True)
coef = [float(v) for v in poly]  # highest power first
worst = 0
random.seed(1)
for n in range(4000):
    x = random.uniform(0, TOP) if n % 2 else random.uniform(0, 3)
    u = (x - K) / (x + K)
    p = 0.0
    for c in coef:
        p = p * u + c
    ref = mp.erfc(x) * mp.exp(mp.mpf(x) ** 2)
    worst = max(worst, abs(p / (x + K) - ref) / ref)
print("fit error %.2g relative; Horner in double within %.2g of erfcx" % (err / g(-1), worst),
      file=sys.stderr)
for k in range(0, len(coef), 3):
    print("    " + " ".join("%.17g," % c for c in coef[k:k + 3]))
