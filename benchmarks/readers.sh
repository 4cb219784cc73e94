#!/usr/bin/env bash
# benchmarks/readers.sh: survkit's reading time for the same 1,000,000 x 22 table as CSV, gzip'ed
# and zstd'ed CSV, Stata .dta and SPSS .sav (issue 19: a .dta must read at least as fast as the CSV).
#
#   benchmarks/readers.sh [--rows 1e6] [--repeat 5] [--survkit PATH] [--workdir DIR] [--keep]
#
# Writes the files with R (haven and data.table: Rscript must have them): time (integer days),
# status, age, 9 normal covariates (6 decimals), 8 codes 0-4, sex with value labels, a uniform
# weight. Then runs `survkit km -f 'Surv(time, status) ~ 1' --format json --timings FILE` --repeat
# times per file and keeps the fastest read_s (on a shared machine the others measure the
# neighbours), and prints a markdown table.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
rows=1e6
repeat=5
bench_options readers.sh 2,12 "rows repeat keep:keep=1" "$@"
bench_prepare readers.sh "haven, data.table"

Rscript - "$rows" "$workdir" <<'R'
suppressPackageStartupMessages({ library(haven); library(data.table) })
args <- commandArgs(TRUE); n <- as.numeric(args[1]); dir <- args[2]
set.seed(19)
d <- data.frame(time = round(rexp(n, 0.01) + 1), status = rbinom(n, 1, 0.7), age = round(rnorm(n, 60, 10), 1))
for (k in 1:9) d[[paste0("x", k)]] <- round(rnorm(n), 6)
for (k in 1:8) d[[paste0("g", k)]] <- sample(0:4, n, TRUE)
d$sex <- labelled(sample(1:2, n, TRUE), c(Male = 1, Female = 2))
d$w <- runif(n)
fwrite(as.data.frame(lapply(d, function(x) if (is.labelled(x)) as.character(as_factor(x)) else x)),
       file.path(dir, "big.csv"))
write_dta(d, file.path(dir, "big.dta"))
write_sav(d, file.path(dir, "big.sav"))
R
gzip -1 -c "$workdir/big.csv" > "$workdir/big.csv.gz"
zstd -q -3 -c "$workdir/big.csv" > "$workdir/big.csv.zst"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| file | size (MB) | read_s (fastest of $repeat) |"
echo "| --- | --- | --- |"
for f in big.csv big.csv.gz big.csv.zst big.dta big.sav; do
    best=""
    for _ in $(seq "$repeat"); do
        t=$("$survkit" km -f 'Surv(time, status) ~ 1' --format json --timings "$workdir/$f" |
            grep -o '"read_s": *[0-9.eE+-]*' | sed 's/.*: *//')
        best=$(awk -v a="$t" -v b="$best" 'BEGIN { print (b == "" || a < b) ? a : b }')
    done
    size=$(awk -v s="$(stat -c %s "$workdir/$f")" 'BEGIN { printf "%.1f", s / 1e6 }')
    echo "| $f | $size | $(awk -v t="$best" 'BEGIN { printf "%.3f", t }') |"
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
