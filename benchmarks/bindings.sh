#!/usr/bin/env bash
# bindings.sh: the bindings' cost. (1) R: sk_coxph against survival::coxph on N x P (default
# 1,000,000 x 20, Efron), and the binding's overhead: sk_coxph's elapsed time beside the CLI's own
# "frame" + "fit" timings on the same data (--timings), i.e. what the R glue adds. (2) Python:
# survkit.cox against statsmodels' PHReg (Breslow, its only tie method) on PY_N x P.
# Needs the Release build in build/, Rscript with survival and data.table, python3 with statsmodels.
# Usage: benchmarks/bindings.sh [N] [P] [PY_N]
set -eu
cd "$(dirname "$0")/.."
n=${1:-1000000}
p=${2:-20}
py_n=${3:-200000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install build --prefix "$tmp/prefix" >/dev/null
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$(find "$tmp/prefix" -name survkit.pc | head -n 1)")
mkdir -p "$tmp/R" && cp -r bindings/r "$tmp/r-src" && cp -r bindings/python "$tmp/py-src"
R CMD INSTALL -l "$tmp/R" "$tmp/r-src" >/dev/null 2>&1
/usr/bin/python3 -m pip install -q --no-build-isolation --no-index --no-deps --target "$tmp/py" "$tmp/py-src" 2>/dev/null
formula="Surv(time, status) ~ $(seq -s ' + ' -f 'x%g' 1 "$p")"

R_LIBS=$tmp/R Rscript -e "
suppressPackageStartupMessages({library(survival); library(survkit); library(data.table)})
set.seed(22); n <- $n; p <- $p
x <- matrix(rnorm(n * p), n, p); colnames(x) <- paste0('x', 1:p)
eta <- drop(x %*% rep(c(0.2, -0.1), length.out = p))
d <- data.frame(time = round(rexp(n, exp(eta)) * 100) + 1, status = rbinom(n, 1, 0.7), x)
fwrite(d, '$tmp/d.csv')
f <- as.formula('$formula')
t_sk <- system.time(a <- sk_coxph(f, d))[['elapsed']]
t_r <- system.time(b <- coxph(f, d))[['elapsed']]
cat(sprintf('R  n=%d p=%d: sk_coxph %.2f s, coxph %.2f s, max |coef diff| %.2g\n', n, p, t_sk, t_r,
            max(abs(coef(a) - coef(b)))))
cat(t_sk, file = '$tmp/t_sk')
"
build/src/survkit cox -f "$formula" --timings "$tmp/d.csv" 2>"$tmp/timings" >/dev/null || true
grep -iE "frame|fit" "$tmp/timings" || cat "$tmp/timings"

PYTHONPATH=$tmp/py /usr/bin/python3 - "$py_n" "$p" <<'PY'
import sys, time
import numpy as np, pandas as pd
import survkit
from statsmodels.duration.hazard_regression import PHReg
n, p = int(sys.argv[1]), int(sys.argv[2])
rng = np.random.default_rng(22)
x = rng.standard_normal((n, p))
eta = x @ np.resize([0.2, -0.1], p)
df = pd.DataFrame(x, columns=[f"x{j + 1}" for j in range(p)])
df["time"] = np.round(rng.exponential(1 / np.exp(eta)) * 100) + 1
df["status"] = rng.binomial(1, 0.7, n).astype(float)
formula = "Surv(time, status) ~ " + " + ".join(df.columns[:p])
t0 = time.perf_counter(); a = survkit.cox(df, formula, ties="breslow"); t1 = time.perf_counter()
b = PHReg(df["time"], x, status=df["status"], ties="breslow").fit(); t2 = time.perf_counter()
print(f"Python n={n} p={p}: survkit.cox {t1 - t0:.2f} s, statsmodels PHReg {t2 - t1:.2f} s, "
      f"max |coef diff| {np.max(np.abs(a.params.to_numpy() - b.params)):.2g}")
PY
