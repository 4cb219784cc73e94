#!/usr/bin/env bash
# benchmarks/plots.sh: what drawing costs on top of the estimate: `survkit cuminc` with and without
# --plot (PNG, SVG, PDF, --plot-stacked) on N rows of integer days, two causes and G groups, and
# `survkit ipw` with and without --plot on the same rows (xP, a 0/1 column of simulate's, as the
# treatment, x1..x(P-1) as covariates).
# The cohort comes from `survkit simulate --seed 1 --integer-times`; an event's cause is 1 or 2 by
# its row number's parity, the group its row number modulo G. Each job runs twice, the faster wall
# time is kept (the machine is shared).
#
#   benchmarks/plots.sh [--survkit PATH] [--n 1e6] [--p 6] [--groups 3] [--workdir DIR]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
n=1e6; p=6; groups=3
bench_options plots.sh 2,10 "n p groups" "$@"
[ -z "$workdir" ] || keep=1   # a folder of one's own stays
bench_prepare plots.sh ""
data="$workdir/cohort.csv"
"$survkit" simulate --seed 1 --n "$n" --p "$p" --integer-times --quiet -o "$workdir/sim.csv"
awk -F, -v g="$groups" 'BEGIN { OFS = "," }
    NR == 1 { print $0, "cause", "group"; next }
    { print $0, ($2 == 0 ? 0 : 1 + NR % 2), "g" NR % g }' "$workdir/sim.csv" >"$data"

best_of_two() { # the faster wall time of two runs of the command, in seconds
    local best="" t0 t1 t
    for _ in 1 2; do
        t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
        t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
        if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
    done
    echo "$best"
}

f='Surv(time, factor(cause)) ~ group'
covariates=$(seq -s ' + ' 1 $((p - 1)) | sed 's/[0-9][0-9]*/x&/g')
echo "| job (n = $n) | wall time | picture |"
echo "| --- | --- | --- |"
row() { # label picture command...
    local label=$1 picture=$2; shift 2
    local t; t=$(best_of_two "$@")
    local size="-"; [ "$picture" = - ] || size="$(stat -c %s "$picture") bytes"
    echo "| $label | $t s | $size |"
}
row "cuminc, no picture" - "$survkit" cuminc -f "$f" "$data"
row "cuminc --plot cif.png" "$workdir/cif.png" "$survkit" cuminc -f "$f" --plot "$workdir/cif.png" "$data"
row "cuminc --plot cif.svg" "$workdir/cif.svg" "$survkit" cuminc -f "$f" --plot "$workdir/cif.svg" "$data"
row "cuminc --plot cif.pdf" "$workdir/cif.pdf" "$survkit" cuminc -f "$f" --plot "$workdir/cif.pdf" "$data"
row "cuminc --plot-stacked --plot st.png" "$workdir/st.png" "$survkit" cuminc -f "$f" --plot-stacked --plot "$workdir/st.png" "$data"
row "ipw x$p ~ $covariates, no picture" - "$survkit" ipw -f "x$p ~ $covariates" "$data"
row "ipw --plot ipw.png" "$workdir/ipw.png" "$survkit" ipw -f "x$p ~ $covariates" --plot "$workdir/ipw.png" "$data"
