#!/usr/bin/env bash
# benchmarks/survreg.sh: `survkit survreg` against R's survreg on one synthetic cohort, Weibull and
# log-normal side by side, in one run.
#
#   benchmarks/survreg.sh [--n 1e6] [--p 20] [--seed 1] [--dists weibull,lognormal] [--repeat 3]
#                         [--survkit PATH] [--workdir DIR] [--no-r]
#
# 1. `survkit simulate --baseline weibull --integer-times` writes N rows with P covariates (half
#    binary).
# 2. `survkit survreg --format json --timings` fits each distribution (read, frame, fit, total),
#    --repeat times; the fastest fit is kept (on a shared machine the others measure the neighbours).
# 3. Rscript reads the same file with data.table::fread and times survreg(...) alone with
#    system.time (elapsed, and CPU: user + system); the coefficients and log scale are compared with survkit's (1e-6 relative).
# 4. Prints a markdown table: fit seconds, R / survkit on the fit, iterations, largest relative
#    difference of the coefficients.
set -euo pipefail

. "$(dirname "$0")/lib.sh"
n=1e6
p=20
seed=1
dists=weibull,lognormal
repeat=3
bench_options survreg.sh 2,15 "n p seed dists no-r:use_r=0 repeat" "$@"
[ -z "$workdir" ] || keep=1   # a folder of one's own stays (its data file is used again)
bench_prepare survreg.sh ""
data="$workdir/survreg_$n.csv"
[ -s "$data" ] || "$survkit" simulate --seed "$seed" --n "$n" -p "$p" --baseline weibull \
    --integer-times --quiet -o "$data"
terms=$(seq -s ' + ' -f 'x%g' 1 "$p")
formula="Surv(time, status) ~ $terms"

cat > "$workdir/fit.R" <<'EOF'
suppressPackageStartupMessages({ library(survival); library(data.table); library(jsonlite) })
args <- commandArgs(TRUE)
d <- fread(args[1])
f <- as.formula(args[3])
tm <- system.time(fit <- survreg(f, data = d, dist = args[2]))
cat(toJSON(list(fit_s = unname(tm["elapsed"]), fit_cpu_s = unname(tm["user.self"] + tm["sys.self"]),
                coef = unname(coef(fit)),
                log_scale = unname(log(fit$scale)), iter = fit$iter), digits = NA), "\n")
EOF

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -r)"
echo "| dist | rows x p | survkit fit s | survkit total s | R fit s (CPU s) | R / survkit (fit) | iterations (survkit, R) | max rel. diff coef |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for dist in ${dists//,/ }; do
    sk_fit=$(bench_best_fit "$repeat" "$workdir/sk_$dist.json" \
        "$survkit" survreg -f "$formula" --dist "$dist" --quiet "$data")
    sk_total=$(grep -o '"total_s":[0-9.e+-]*' "$workdir/sk_$dist.json" | cut -d: -f2)
    sk_iter=$(grep -o '"iterations":[0-9]*' "$workdir/sk_$dist.json" | cut -d: -f2)
    r_fit="-" r_cpu="-" ratio="-" r_iter="-" diff="-"
    if [ $use_r -eq 1 ] && command -v Rscript > /dev/null; then
        Rscript "$workdir/fit.R" "$data" "$dist" "$formula" > "$workdir/r_$dist.json"
        read -r r_fit r_cpu r_iter diff < <(python3 - "$workdir/sk_$dist.json" "$workdir/r_$dist.json" <<'EOF'
import json, sys
sk = json.load(open(sys.argv[1])); r = json.loads(open(sys.argv[2]).read())
mine = [t["coef"] for t in sk["terms"]] + [s["log_scale"] for s in sk["scale"]]
theirs = r["coef"] + (r["log_scale"] if isinstance(r["log_scale"], list) else [r["log_scale"]])
d = max(abs(a - b) / max(abs(b), 1e-300) for a, b in zip(mine, theirs))
first = lambda v: v[0] if isinstance(v, list) else v
print(first(r["fit_s"]), first(r["fit_cpu_s"]),
      r["iter"][0] if isinstance(r["iter"], list) else r["iter"], "%.2e" % d)
EOF
)
        ratio=$(awk -v a="$r_fit" -v b="$sk_fit" 'BEGIN { printf "%.1fx", a / b }')
    fi
    printf '| %s | %s x %s | %.3f | %.3f | %s (%s) | %s | %s, %s | %s |\n' "$dist" "$n" "$p" "$sk_fit" \
        "$sk_total" "$r_fit" "$r_cpu" "$ratio" "$sk_iter" "$r_iter" "$diff"
done
