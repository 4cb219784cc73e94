#!/usr/bin/env bash
# test_survkit_mpi.sh SURVKIT SURVKIT_MPI ROOT NP: `mpirun -np NP survkit-mpi km|logrank|cox` writes
# what `survkit` writes on datasets/*.csv: byte for byte for km and logrank (text, JSON, CSV; the
# Peto-Peto weights with strata to 1e-10, their sums from counts differing in the last bit) and
# for the cox text (cluster() too); the cox JSON and CSV numbers (17 digits) equal to 1e-10
# relative (the sums over ranks are added in another order than the single process adds them).
# The single-process survkit output is itself checked against R in tests/cli; cox with cluster()
# is also checked against R directly (tests/golden/mpi/, from make_golden_mpi_cluster.R) to 1e-9.
# Also: one file per rank (%d), and bad input on one rank (headers that disagree, an unreadable
# part, a bad value) stops every rank with one message and exit 2, leaving no output file.
set -u
survkit="$1"; mpi="$2"; root="$3"; np="$4"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL (np $np): $*" >&2; exit 1; }
run_mpi() { timeout 120 mpirun -np "$np" --oversubscribe "$mpi" "$@"; }
d="$root/datasets"

# Numbers of two JSON or CSV outputs equal to 1e-10 relative, everything else equal.
same_numbers() {
    python3 - "$1" "$2" <<'EOF' || fail "numbers differ: $3"
import re, sys
a, b = open(sys.argv[1]).read(), open(sys.argv[2]).read()
num = re.compile(r'-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?')
if num.sub('#', a) != num.sub('#', b):
    sys.exit("the texts around the numbers differ")
for x, y in zip(num.findall(a), num.findall(b)):
    x, y = float(x), float(y)
    if abs(x - y) > 1e-10 * max(abs(x), abs(y), 1e-300):
        sys.exit(f"{x!r} != {y!r}")
EOF
}

# same exact|close ARGS...: survkit-mpi against survkit in the formats $formats (text and JSON;
# CSV too for the first case of each command: mpirun's start-up is most of the test's time)
formats="text json csv"
same() {
    local exact="$1"; shift
    for fmt in $formats; do
        "$survkit" "$@" --format $fmt >"$tmp/one" 2>"$tmp/one.err" || fail "survkit $*: $(cat "$tmp/one.err")"
        run_mpi "$@" --format $fmt >"$tmp/many" 2>"$tmp/many.err" || fail "survkit-mpi $*: $(cat "$tmp/many.err")"
        if [ "$fmt" = text ] || [ "$exact" = exact ]; then
            cmp -s "$tmp/one" "$tmp/many" || fail "$* --format $fmt: $(diff "$tmp/one" "$tmp/many" | head -5)"
        else
            same_numbers "$tmp/one" "$tmp/many" "$* --format $fmt"
        fi
        diff <(grep warning "$tmp/one.err") <(grep warning "$tmp/many.err") >/dev/null ||
            fail "$* --format $fmt: warnings differ: $(cat "$tmp/many.err")"
    done
}

same exact km -f 'Surv(time, status) ~ sex' "$d/lung.csv"
formats="text json"
same exact km -f 'Surv(time, status) ~ celltype' --summary --quantiles 0.25,0.5 --rmst 500 "$d/veteran.csv"
same exact km -f 'Surv(time, status) ~ x' --conf-type log-log --ctype 2 "$d/aml.csv"
same exact km -f 'Surv(start, stop, event) ~ rx' "$d/bladder2.csv"
same exact km -f 'Surv(time, status) ~ ph.ecog' "$d/lung.csv"
# The robust (infinitesimal jackknife) variance over ranks: fractional weights (R's default:
# robust), --no-robust (Greenwood), --robust with integer data ((start, stop] and ctype 2 too). The
# text byte for byte; JSON and CSV to 1e-10 (the squared influences, and fractional weights, are
# added in another order than the single process adds them).
awk -F, 'NR == 1 { print $0 ",\"w\""; next } { printf "%s,%.17g\n", $0, $5 / 37 }' \
    "$d/veteran.csv" >"$tmp/vet.csv"
formats="text json csv"
same close km -f 'Surv(time, status) ~ celltype' --weights w --summary --quantiles 0.5 "$tmp/vet.csv"
formats="text json"
same close km -f 'Surv(time, status) ~ celltype' --weights w --no-robust "$tmp/vet.csv"
same close km -f 'Surv(time, status) ~ sex' --robust --conf-type log-log "$d/lung.csv"
same close km -f 'Surv(start, stop, event) ~ rx' --robust --ctype 2 --summary "$d/bladder2.csv"
run_mpi km -f 'Surv(time, status) ~ celltype' --weights w --format json "$tmp/vet.csv" >"$tmp/rob.json" ||
    fail "robust km json"
grep -q '"std_err":\[0.019158328156374' "$tmp/rob.json" || # R: survfit(..., weights = karno / 37)
    fail "robust std_err of adeno at 3 is not R's 0.019158328156374495: $(head -c 300 "$tmp/rob.json")"
run_mpi km -f 'Surv(time, status) ~ sex' --robust --no-robust "$d/lung.csv" 2>"$tmp/err" >/dev/null
[ $? -eq 2 ] && grep -q "exclude each other" "$tmp/err" || fail "--robust --no-robust: $(cat "$tmp/err")"
formats="text json csv"
same exact logrank -f 'Surv(time, status) ~ sex' "$d/lung.csv"
formats="text json"
same exact logrank -f 'Surv(time, status) ~ celltype' --trend "$d/veteran.csv"
same close logrank -f 'Surv(time, status) ~ sex + strata(ph.ecog)' --rho 1 "$d/lung.csv"
same close logrank -f 'Surv(time, status) ~ celltype' --pairwise "$d/veteran.csv"
same close logrank -f 'Surv(time, status) ~ ph.ecog + strata(sex)' --pairwise --rho 1 "$d/lung.csv"
formats="text json csv"
same close cox -f 'Surv(time, status) ~ age + sex + ph.ecog' "$d/lung.csv"
formats="text json"
same close cox -f 'Surv(time, status) ~ age + strata(sex)' --ties breslow --robust "$d/lung.csv"
same close cox -f 'Surv(time, status) ~ trt + celltype + karno' "$d/veteran.csv"
same close cox -f 'Surv(start, stop, event) ~ rx + size + number' "$d/bladder2.csv"
same close cox -f 'Surv(futime, fustat) ~ age + rx + offset(ecog.ps / 10)' --init 0.1,0 "$d/ovarian.csv"
# cluster(): global cluster codes, the robust variance of clusters (numbers, strings, strata,
# (start, stop] data, Breslow, an initial value for the robust score test)
same close cox -f 'Surv(start, stop, event) ~ age + year + surgery + transplant + cluster(id)' "$d/heart.csv"
same close cox -f 'Surv(days, breakdown) ~ age + sex + reason + prior_failed + cluster(family_id)' "$d/reunification.csv"
same close cox -f 'Surv(days, breakdown) ~ age + sex + strata(reason) + cluster(family_id)' --ties breslow --init 0.01,0.1 "$d/reunification.csv"
same close cox -f 'Surv(days, breakdown) ~ age + unplanned + cluster(la)' "$d/reunification.csv"
# ... and against R itself (tests/golden/make_golden_mpi_cluster.R): coef, robust and naive se, the
# robust variance, Wald and robust score tests, the concordance's std, to 1e-9 relative
against_r() { # $1 golden case, then survkit-mpi's arguments
    local case="$1"; shift
    run_mpi "$@" --format json >"$tmp/r.json" 2>"$tmp/r.err" || fail "survkit-mpi $*: $(cat "$tmp/r.err")"
    python3 - "$tmp/r.json" "$root/tests/golden/mpi/$case.txt" <<'EOF' || fail "$case against R"
import json, sys
fit = json.load(open(sys.argv[1]))
r = {}
for line in open(sys.argv[2]):
    if not line.startswith("#"):
        key, *vals = line.rstrip("\n").split("\t")
        r[key] = [float(v) for v in vals]
t = fit["terms"]
ours = {"coef": [x["coef"] for x in t], "robust_se": [x["robust_se"] for x in t],
        "naive_se": [x["se"] for x in t],
        "var": [fit["vcov"][i][j] for j in range(len(t)) for i in range(len(t))],
        "wald": [fit["tests"]["wald"]["stat"]], "rscore": [fit["tests"]["robust_score"]["stat"]],
        "concordance_se": [fit["concordance"]["se"]]}
assert fit["robust"] is True and len(r) == 7
for key, want in r.items():
    got = ours[key]
    assert len(got) == len(want), key
    for a, b in zip(got, want):
        if abs(a - b) > 1e-9 * max(abs(b), 1e-300):
            sys.exit(f"{key}: {a!r} != R's {b!r}")
EOF
}
against_r heart_cluster_id cox -f 'Surv(start, stop, event) ~ age + year + surgery + transplant + cluster(id)' "$d/heart.csv"
against_r reunification_cluster_family cox -f 'Surv(days, breakdown) ~ age + sex + reason + prior_failed + cluster(family_id)' "$d/reunification.csv"
against_r reunification_strata_cluster cox --ties breslow -f 'Surv(days, breakdown) ~ age + sex + prior_failed + unplanned + substance + reason + support + strata(la) + cluster(family_id)' "$d/reunification.csv"

# One file per rank: the rows of lung.csv dealt into np files, each with the header.
header=$(head -1 "$d/lung.csv")
for ((r = 0; r < np; r++)); do echo "$header" >"$tmp/part$r.csv"; done
tail -n +2 "$d/lung.csv" | awk -v k="$np" -v dir="$tmp" '{ print >> (dir "/part" (int((NR - 1) * k / 228)) ".csv") }'
"$survkit" cox -f 'Surv(time, status) ~ age + sex' "$d/lung.csv" >"$tmp/one" 2>/dev/null
run_mpi cox -f 'Surv(time, status) ~ age + sex' "$tmp/part%d.csv" >"$tmp/many" 2>"$tmp/many.err" ||
    fail "%d parts: $(cat "$tmp/many.err")"
# the call line names the pattern's file, not lung: compare the rest
cmp -s <(tail -n +3 "$tmp/one") <(tail -n +3 "$tmp/many") || fail "%d parts: $(diff "$tmp/one" "$tmp/many")"

# Bad input on the last rank only: one message, exit 2, every rank stops, no output file.
errors_once() { # $1 what, $2 expected text in the message
    local rc=$3 n
    [ "$rc" -eq 2 ] || fail "$1: exit $rc, not 2: $(cat "$tmp/err")"
    n=$(grep -c 'survkit.*error' "$tmp/err")
    [ "$n" -eq 1 ] || fail "$1: $n error messages: $(cat "$tmp/err")"
    grep -qF -- "$2" "$tmp/err" || fail "$1: message: $(cat "$tmp/err")"
    [ ! -e "$tmp/out.txt" ] || fail "$1: an output file was left"
}
last=$((np - 1))
cp "$tmp/part$last.csv" "$tmp/keep.csv"
sed -i '1s/"age"/"AGE"/' "$tmp/part$last.csv"
if [ "$np" -gt 1 ]; then
    run_mpi cox -f 'Surv(time, status) ~ sex' -o "$tmp/out.txt" "$tmp/part%d.csv" 2>"$tmp/err"
    errors_once "headers disagree" "part$last.csv:1: its header differs from the first part's: column 4 is 'AGE' here, 'age' there" $?
fi
# a column of numbers in one part and of text in another
if [ "$np" -gt 1 ]; then
    awk -F, 'BEGIN { OFS = "," } NR == 2 { $5 = "\"M\"" } { print }' "$tmp/keep.csv" >"$tmp/part$last.csv"
    run_mpi cox -f 'Surv(time, status) ~ sex' -o "$tmp/out.txt" "$tmp/part%d.csv" 2>"$tmp/err"
    errors_once "mixed column" "part0.csv: column 'sex' holds numbers in this part but text in another" $?
fi
cp "$tmp/keep.csv" "$tmp/part$last.csv"
chmod 000 "$tmp/part$last.csv"
if [ ! -r "$tmp/part$last.csv" ]; then # (root reads anything)
    run_mpi km -f 'Surv(time, status) ~ sex' -o "$tmp/out.txt" "$tmp/part%d.csv" 2>"$tmp/err"
    errors_once "unreadable part" "part$last.csv" $?
fi
chmod 644 "$tmp/part$last.csv"
rm -f "$tmp/part$last.csv"
run_mpi km -f 'Surv(time, status) ~ sex' -o "$tmp/out.txt" "$tmp/part%d.csv" 2>"$tmp/err"
errors_once "missing part" "part$last.csv" $?
# a bad value on the last line of the whole file (the last rank's range): file and line
awk 'NR == 1 { print; next } { print } END { print "3,100,-5,60,1,0,90,80,1000,10" }' "$d/lung.csv" >"$tmp/bad.csv"
run_mpi cox -f 'Surv(time, status) ~ age' -o "$tmp/out.txt" "$tmp/bad.csv" 2>"$tmp/err"
errors_once "bad status" "bad.csv:230" $?
run_mpi cox -f 'Surv(time, status) ~ nosuch' -o "$tmp/out.txt" "$d/lung.csv" 2>"$tmp/err"
errors_once "formula" "error in formula" $?
run_mpi cox -f 'Surv(time, status) ~ ns(age, df = 3)' -o "$tmp/out.txt" "$d/lung.csv" 2>"$tmp/err"
errors_once "ns() refused" "ns() takes its basis from all the rows" $?
echo "ok (np $np)"
