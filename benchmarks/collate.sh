#!/usr/bin/env bash
# benchmarks/collate.sh: what R's order of string levels (the default, src/formula/collate.c) costs
# against byte order (--collate C), on a column of many distinct strings: N rows (default 1e6)
# whose `id` takes about 400,000 values ("Site-012345", "site-012345"), as cluster(id). Prints the
# fastest of three frame times (survkit cox --timings) for each order.
#   benchmarks/collate.sh [SURVKIT] [N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
survkit=${1:-$root/build/src/survkit}
n=${2:-1000000}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
awk -v n="$n" 'BEGIN { srand(7); print "time,status,x,id"
    for (i = 0; i < n; i++) printf "%d,%d,%.3f,%s-%06d\n", 1 + int(rand() * 1000), rand() < 0.7,
        rand(), rand() < 0.5 ? "Site" : "site", int(rand() * 200000) }' > "$tmp/ids.csv"
for order in utf8 C; do
    best=""
    for run in 1 2 3; do
        t=$("$survkit" cox -f 'Surv(time, status) ~ x + cluster(id)' --collate "$order" --timings \
            "$tmp/ids.csv" 2>&1 >/dev/null | sed -n 's/.*frame \([0-9.]*\) s.*/\1/p')
        [ -z "$t" ] && t=$("$survkit" cox -f 'Surv(time, status) ~ x + cluster(id)' --collate "$order" \
            --timings "$tmp/ids.csv" | sed -n 's/.*frame \([0-9.]*\) s.*/\1/p')
        if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
    done
    echo "--collate $order: frame $best s (fastest of 3, $n rows)"
done
