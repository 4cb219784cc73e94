#!/usr/bin/env bash
# benchmarks/tvc_scale.sh: survkit split and survkit tmerge on 10,000,000 input rows, wall time,
# CPU time and peak memory (through /usr/bin/time -v). The inputs are made with awk (fixed seeds):
#   split:  10,000,000 rows id, x (3 decimals), grp (7 levels), time (days 1..2000), status;
#           cut at 365, 730, 1095 (29,047,709 rows out)
#   tmerge: a base of 2,000,000 ids (age, group, futime 1..3000) and 8,000,000 dated events
#           (day -50..3149, a dose), as --tdc dose=...:day:dose and --event ev=...:day
#
#   benchmarks/tvc_scale.sh [--survkit PATH] [--workdir DIR]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
bench_options tvc_scale.sh 2,9 "" "$@"
[ -z "$workdir" ] || keep=1   # a folder of one's own stays (its inputs are made once)
bench_prepare tvc_scale.sh ""
cd "$workdir"
[ -s split10m.csv ] || awk 'BEGIN { srand(7); print "id,x,grp,time,status"
    for (i = 1; i <= 10000000; i++)
        printf "%d,%.3f,g%d,%d,%d\n", i, rand() * 100, i % 7, 1 + int(rand() * 2000), (rand() < 0.6) }' > split10m.csv
[ -s base2m.csv ] || awk 'BEGIN { srand(11); print "id,age,group,futime"
    for (i = 1; i <= 2000000; i++)
        printf "%d,%.1f,g%d,%d\n", i, 20 + rand() * 60, i % 5, 1 + int(rand() * 3000) }' > base2m.csv
[ -s events8m.csv ] || awk 'BEGIN { srand(12); print "id,day,dose"
    for (i = 1; i <= 8000000; i++)
        printf "%d,%d,%.2f\n", 1 + int(rand() * 2000000), int(rand() * 3200) - 50, rand() * 10 }' > events8m.csv

measure() {
    local name=$1
    shift
    /usr/bin/time -v "$@" 2> time.txt > /dev/null
    awk -v name="$name" -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = (n == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2] }
        /User time/ { user = $2 } /System time/ { sys = $2 } /Maximum resident/ { mb = $2 / 1024 }
        END { printf "| %s | %.1f | %.1f | %.0f |\n", name, wall, user + sys, mb }' time.txt
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| job | wall s | cpu s | peak MB |"
echo "| --- | ---: | ---: | ---: |"
measure "split 1e7 rows, 3 cuts" "$survkit" split -f 'Surv(time, status) ~ .' --cut 365,730,1095 -o split_out.csv split10m.csv
measure "split 1e7 rows, 3 cuts, --block-rows 100000" "$survkit" split -f 'Surv(time, status) ~ .' \
    --cut 365,730,1095 --block-rows 100000 -o split_out_100k.csv split10m.csv
cmp -s split_out.csv split_out_100k.csv || echo "split: blocks of 1e5 rows give another file!" >&2
measure "tmerge 2e6 ids + 8e6 events, tdc + event" "$survkit" tmerge --quiet --id id --stop futime \
    --tdc dose=events8m.csv:day:dose --event ev=events8m.csv:day -o tmerge_out.csv base2m.csv
echo "rows out: split $(($(wc -l < split_out.csv) - 1)), tmerge $(($(wc -l < tmerge_out.csv) - 1))"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
