#!/usr/bin/env bash
# generate.sh OUT [MB]: a numeric CSV of about MB megabytes (default 300) shaped like survival data:
# id, time (two decimals), status (0/1), age (integer), four covariates (six decimals), a missing
# value now and then. Deterministic (awk's srand seed is fixed).
set -euo pipefail
out=${1:?usage: generate.sh OUT [MB]}
mb=${2:-300}
rows=$(( mb * 1000000 / 62 ))
awk -v rows="$rows" 'BEGIN {
    srand(20240601)
    print "id,time,status,age,x1,x2,x3,x4"
    for (i = 1; i <= rows; i++) {
        x4 = (i % 97 == 0) ? "NA" : sprintf("%.6f", rand() * 100)
        printf "%d,%.2f,%d,%d,%.6f,%.6f,%.6f,%s\n", i, rand() * 3650, rand() < 0.6, 30 + int(rand() * 60),
               rand() * 2 - 1, rand() * 1e3, -rand(), x4
    }
}' > "$out"
