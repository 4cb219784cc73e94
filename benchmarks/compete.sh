#!/usr/bin/env bash
# benchmarks/compete.sh: competing risks, survkit against R (cmprsk, survival), in one run.
#
#   benchmarks/compete.sh [--survkit PATH] [--workdir DIR] [--fg-n 1e4] [--fg-p 5]
#                         [--big-n 1e6] [--big-p 20] [--km-n 1e7] [--seed 1] [--no-r] [--keep]
#
# 1. finegray beside cmprsk::crr on FG_N rows x FG_P covariates (cohort from `survkit simulate`,
#    each event made cause 1 or 2 by a row hash): the fit times (survkit's fit_s, R's
#    system.time(crr(...))) and the largest relative difference of the coefficients.
# 2. finegray on BIG_N x BIG_P against survkit's own Cox fit on the same file (fit_s of each).
# 3. cuminc on KM_N rows (no covariates, integer days, two causes) against km on the same file
#    (total wall time and fit_s of each).
# Each survkit job runs twice and the faster run is kept (the machine is shared).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
seed=1
fg_n=1e4; fg_p=5; big_n=1e6; big_p=20; km_n=1e7
bench_options compete.sh 2,14 "fg-n fg-p big-n big-p km-n seed no-r:use_r=0 keep:keep=1" "$@"
bench_prepare compete.sh ""

# A cohort with two causes: status 1 becomes 1 or 2 by a hash of the row number.
cohort() { # n p file [simulate options...]
    local n=$1 p=$2 file=$3; shift 3
    "$survkit" simulate --seed "$seed" --n "$n" --p "$p" --integer-times --quiet "$@" -o "$file.tmp"
    awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next }
             { if ($2 == 1 && (NR * 2654435761) % 7 < 3) $2 = 2; print }' "$file.tmp" >"$file"
    rm -f "$file.tmp"
}
json_num() { sed -E "s/.*\"$2\":([-0-9.eE+]+).*/\\1/" "$1"; }
best_of_two() { bench_best_fit 2 "$@" > /dev/null; } # out.json command...: the faster fit is kept
wall() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'; }

echo "## compete benchmarks: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
formula() { local f="Surv(time, status) ~ x1"; for j in $(seq 2 "$1"); do f="$f + x$j"; done; echo "$f"; }

# 1. finegray vs crr
fg="$workdir/fg.csv"
cohort "$fg_n" "$fg_p" "$fg"
best_of_two "$workdir/fg.json" "$survkit" finegray -f "$(formula "$fg_p")" --cause 1 "$fg"
sk_fit=$(json_num "$workdir/fg.json" fit_s)
echo "finegray n=$fg_n p=$fg_p: survkit fit_s $sk_fit"
if [ $use_r -eq 1 ] && Rscript -e 'library(cmprsk)' >/dev/null 2>&1; then
    Rscript - "$fg" "$fg_p" "$workdir/fg.json" <<'EOF'
suppressPackageStartupMessages({ library(cmprsk); library(jsonlite) })
a <- commandArgs(TRUE); d <- read.csv(a[1]); p <- as.integer(a[2]); sk <- fromJSON(a[3])
X <- as.matrix(d[, paste0("x", seq_len(p))])
t <- system.time(fit <- crr(d$time, d$status, X, failcode = 1, cencode = 0))[["elapsed"]]
b <- sapply(sk$terms$coef, identity)
cat(sprintf("crr fit %.3f s; survkit %.5f s; ratio %.0fx; max relative coefficient difference %.2e; se %.2e\n",
            t, sk$timings$fit_s, t / sk$timings$fit_s, max(abs(b - fit$coef) / abs(fit$coef)),
            max(abs(sk$terms$se - sqrt(diag(fit$var))) / sqrt(diag(fit$var)))))
EOF
fi

# 2. finegray vs cox (the cause-specific Cox model, status == 1) on the big file
big="$workdir/big.csv"
cohort "$big_n" "$big_p" "$big"
best_of_two "$workdir/bigfg.json" "$survkit" finegray -f "$(formula "$big_p")" --cause 1 "$big"
best_of_two "$workdir/bigcox.json" "$survkit" cox -f "$(formula "$big_p" | sed 's/status/status == 1/')" "$big"
echo "n=$big_n p=$big_p: finegray fit_s $(json_num "$workdir/bigfg.json" fit_s) (iterations $(json_num "$workdir/bigfg.json" iterations)), cox fit_s $(json_num "$workdir/bigcox.json" fit_s); ratio $(awk -v a="$(json_num "$workdir/bigfg.json" fit_s)" -v b="$(json_num "$workdir/bigcox.json" fit_s)" 'BEGIN { printf "%.2f", a / b }')"
rm -f "$big"

# 3. cuminc vs km
kmf="$workdir/km.csv"
cohort "$km_n" 1 "$kmf" --beta 0
best_of_two "$workdir/ci.json" "$survkit" cuminc -f 'Surv(time, status) ~ 1' "$kmf"
best_of_two "$workdir/km.json" "$survkit" km -f 'Surv(time, status > 0) ~ 1' "$kmf"
w_ci=$(wall "$survkit" cuminc -f 'Surv(time, status) ~ 1' "$kmf")
w_km=$(wall "$survkit" km -f 'Surv(time, status > 0) ~ 1' "$kmf")
echo "n=$km_n: cuminc total $(json_num "$workdir/ci.json" total_s) s (fit $(json_num "$workdir/ci.json" fit_s)), km total $(json_num "$workdir/km.json" total_s) s (fit $(json_num "$workdir/km.json" fit_s)); text runs: cuminc $w_ci s, km $w_km s"
