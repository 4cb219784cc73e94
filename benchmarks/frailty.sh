#!/usr/bin/env bash
# benchmarks/frailty.sh: survkit cox with a shared gamma frailty against R's coxph(... + frailty(id)).
#
#   benchmarks/frailty.sh [--n 1e5] [--groups 2e4] [--seed 1] [--survkit PATH] [--workdir DIR] [--keep]
#
# 1. R writes the data (set.seed(SEED); N rows in GROUPS sibling groups of equal size; x1 standard
#    normal, x2 Bernoulli(0.4), a gamma frailty of variance 0.5 per group, exponential event times
#    with hazard 0.01 z exp(0.5 x1 - 0.3 x2), uniform censoring on (0, 200)) as CSV (fwrite).
# 2. survkit cox -f 'Surv(time, status) ~ x1 + x2 + frailty(group)' --format json --timings (the
#    best of three runs of the fit stage). With --groups 5 or fewer both fit R's dense frailty.
# 3. R reads the CSV with fread and times coxph with the same formula (system.time, once).
# 4. Prints a markdown table: fit times, the ratio R / survkit, and the largest relative
#    differences of the coefficients, their variances and theta.
set -euo pipefail

. "$(dirname "$0")/lib.sh"
n=1e5
groups=2e4
seed=1
bench_options frailty.sh 2,14 "n groups seed keep:keep=1" "$@"
bench_prepare frailty.sh "survival, data.table, jsonlite"
data="$workdir/frailty.csv"
formula='Surv(time, status) ~ x1 + x2 + frailty(group)'

Rscript -e "
suppressPackageStartupMessages(library(data.table))
set.seed($seed); n <- as.integer($n); G <- as.integer($groups)
group <- rep(seq_len(G), length.out = n)
z <- rgamma(G, shape = 2, rate = 2)[group]
x1 <- rnorm(n); x2 <- rbinom(n, 1, 0.4)
t <- rexp(n, 0.01 * z * exp(0.5 * x1 - 0.3 * x2)); c <- runif(n, 0, 200)
fwrite(data.table(group = group, x1 = round(x1, 6), x2 = x2, time = round(pmin(t, c), 4),
                  status = as.integer(t <= c)), '$data')"

best=$(bench_best_fit 3 "$workdir/sk.json" "$survkit" cox -f "$formula" "$data")

Rscript -e "$(bench_r_coxph "$data" "$formula" "$workdir/sk.json")
h <- fit\$history[[1]]\$history
theta <- h[nrow(h), 1]
# 5 groups or fewer: R's dense frailty, whose coefficients gamma:k survkit reports as frailties
keep <- !grepl('^gamma:', names(coef(fit)))
cat('| rows | groups | survkit fit (s) | R coxph (s) | R / survkit | coef rel. diff | var rel. diff | theta rel. diff | outer, Newton (R) | outer, Newton (survkit) |\n')
cat('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n')
cat(sprintf('| %d | %d | %.3f | %.1f | %.0f | %.1e | %.1e | %.1e | %d, %d | %d, %d |\n',
    nrow(d), length(unique(d\$group)), $best, tm, tm / $best,
    rel(sk\$terms\$coef, unname(coef(fit))[keep]), rel(unlist(sk\$vcov), as.vector(fit\$var[keep, keep])),
    rel(sk\$frailty\$variance, theta), fit\$iter[1], fit\$iter[2], sk\$outer_iterations, sk\$iterations))
"
