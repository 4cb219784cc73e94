#!/usr/bin/env bash
# benchmarks/pspline.sh: survkit cox with a pspline() term against R's coxph(... + pspline(x)).
#
#   benchmarks/pspline.sh [--n 1e5] [--seed 1] [--survkit PATH] [--workdir DIR] [--keep]
#
# 1. R writes the data (set.seed(SEED); N rows; age uniform on (30, 90) rounded to 0.1, x2
#    Bernoulli(0.4), exponential event times with hazard 0.01 exp(0.002 (age - 60)^2 - 0.3 x2),
#    uniform censoring on (0, 200)) as CSV (fwrite).
# 2. survkit cox -f 'Surv(time, status) ~ pspline(age) + x2' --format json --timings (the best of
#    three runs of the fit stage).
# 3. R reads the CSV with fread and times coxph with the same formula (system.time, once).
# 4. Prints a markdown table: fit times, the ratio R / survkit, the largest relative differences
#    of the coefficients and their variances, and the iteration counts.
set -euo pipefail

. "$(dirname "$0")/lib.sh"
n=1e5
seed=1
bench_options pspline.sh 2,13 "n seed keep:keep=1" "$@"
bench_prepare pspline.sh "survival, data.table, jsonlite"
data="$workdir/pspline.csv"
formula='Surv(time, status) ~ pspline(age) + x2'

Rscript -e "
suppressPackageStartupMessages(library(data.table))
set.seed($seed); n <- as.integer($n)
age <- round(runif(n, 30, 90), 1); x2 <- rbinom(n, 1, 0.4)
t <- rexp(n, 0.01 * exp(0.002 * (age - 60)^2 - 0.3 * x2)); c <- runif(n, 0, 200)
fwrite(data.table(age = age, x2 = x2, time = round(pmin(t, c), 4),
                  status = as.integer(t <= c)), '$data')"

best=$(bench_best_fit 3 "$workdir/sk.json" "$survkit" cox -f "$formula" "$data")

Rscript -e "$(bench_r_coxph "$data" "$formula" "$workdir/sk.json")
cat('| rows | survkit fit (s) | R coxph (s) | R / survkit | coef rel. diff | var rel. diff | outer, Newton (R) | outer, Newton (survkit) |\n')
cat('| --- | --- | --- | --- | --- | --- | --- | --- |\n')
cat(sprintf('| %d | %.3f | %.2f | %.0f | %.1e | %.1e | %d, %d | %d, %d |\n',
    nrow(d), $best, tm, tm / $best,
    rel(sk\$terms\$coef, unname(coef(fit))), rel(unlist(sk\$vcov), as.vector(fit\$var)),
    fit\$iter[1], fit\$iter[2], sk\$outer_iterations, sk\$iterations))
"
