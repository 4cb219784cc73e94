#!/usr/bin/env bash
# test_km.sh: `survkit km` against R (survival 3.5-3) on datasets/*.csv:
#   fit <- survfit(Surv(time, status) ~ sex, lung); print(fit, rmean = 365); quantile(fit, 0.75)
#   survfit(Surv(time, status) ~ 1, lung, conf.type = "log-log"): quantile(fit, 0.75) = 550 (457, 643)
#   survfit(Surv(start, stop, event) ~ transplant, heart): records 103 and 69
#   survfit(Surv(time, status) ~ celltype, veteran, weights = karno / 37): robust by default, adeno's
#   first std.err 0.019158328156374495; robust = FALSE: Greenwood (std.err of -log S) 0.021440292586103148
set -u
bin="$1"; root="$2"
. "$root/tests/cli/km_lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

"$bin" km -f 'Surv(time, status) ~ sex' --rmst 365 --quantiles 0.25,0.75 --format json \
    "$root/datasets/lung.csv" >"$tmp/out.json" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || fail "km exited $rc: $(cat "$tmp/err")"
out=$(cat "$tmp/out.json")
case "$out" in '{"command":"km"'*) ;; *) fail "not a km JSON object: ${out:0:80}" ;; esac
grep -qF '"label":"sex=1","n":138' "$tmp/out.json" || fail "sex=1 label and n"
grep -qF '"median":{"estimate":270,"lower":212,"upper":310}' "$tmp/out.json" || fail "sex=1 median"
grep -qF '"median":{"estimate":426,"lower":348,"upper":550}' "$tmp/out.json" || fail "sex=2 median"
assert_close "$(json_after "$out" '"rmst":{"tau":365,"estimate":')" 241.49508519205702 "sex=1 rmean"
assert_close "$(json_after "$out" '"se":')" 10.358226491096945 "sex=1 se(rmean)"
assert_close "$(json_after "$out" '"events":')" 112 "sex=1 events"

"$bin" km -f 'Surv(time, status) ~ 1' --conf-type log-log --quantiles 0.75 --format json \
    "$root/datasets/lung.csv" >"$tmp/all.json" || fail "log-log fit"
grep -qF '"label":"all"' "$tmp/all.json" || fail "one curve is labelled all"
grep -qF '"quantiles":[{"p":0.75,"estimate":550,"lower":457,"upper":643}]' "$tmp/all.json" ||
    fail "log-log quantile 0.75"

"$bin" km -f 'Surv(start, stop, event) ~ transplant' --format json "$root/datasets/heart.csv" \
    >"$tmp/heart.json" || fail "counting-process fit"
grep -qF '"label":"transplant=0","n":103' "$tmp/heart.json" || fail "heart transplant=0 records"
grep -qF '"label":"transplant=1","n":69' "$tmp/heart.json" || fail "heart transplant=1 records"

# CSV curve table with a strata column; text like print(survfit).
"$bin" km -f 'Surv(time, status) ~ sex' --format csv "$root/datasets/lung.csv" >"$tmp/c.csv" || fail "csv"
head -1 "$tmp/c.csv" | grep -qx 'strata,time,n_risk,n_event,n_censor,surv,std_err,lower,upper,cumhaz,std_chaz' ||
    fail "csv header"
grep -q '^"sex=2",' "$tmp/c.csv" || fail "csv strata column"
"$bin" km -f 'Surv(time, status) ~ sex' "$root/datasets/lung.csv" >"$tmp/t.txt" || fail "text"
grep -qF 'sex=1 138    112    270     212     310' "$tmp/t.txt" || fail "text table: $(cat "$tmp/t.txt")"

# Usage errors exit 2 and write nothing.
"$bin" km -f 'Surv(time, status) ~ sex' --conf-type loglog "$root/datasets/lung.csv" -o "$tmp/x" 2>/dev/null
[ $? -eq 2 ] || fail "bad --conf-type must exit 2"
[ ! -e "$tmp/x" ] || fail "no output file after an error"
"$bin" km -f 'Surv(time, status) ~ sex' --rmst 1 "$root/datasets/lung.csv" -o "$tmp/x" 2>/dev/null
[ $? -eq 2 ] || fail "--rmst below the first time must exit 2"
[ ! -e "$tmp/x" ] || fail "no output file after an error"
# Fractional case weights: R's robust variance by default (no warning), --no-robust Greenwood's.
awk -F, 'NR == 1 { print $0 ",\"w\""; next } { printf "%s,%.17g\n", $0, $5 / 37 }' \
    "$root/datasets/veteran.csv" >"$tmp/vet.csv"
"$bin" km -f 'Surv(time, status) ~ celltype' --weights w --format json "$tmp/vet.csv" \
    >"$tmp/rob.json" 2>"$tmp/err" || fail "robust fit"
[ ! -s "$tmp/err" ] || fail "robust fit printed to stderr: $(cat "$tmp/err")"
assert_close "$(json_after "$(cat "$tmp/rob.json")" '"std_err":[')" 0.019158328156374495 "robust std_err"
# summary(fit): std.err is already that of surv (logse FALSE), not multiplied by surv again
"$bin" km -f 'Surv(time, status) ~ celltype' --weights w --summary "$tmp/vet.csv" >"$tmp/rob.txt" ||
    fail "robust --summary"
grep -qx '    3  42.41   0.811   0.9809  0.0192       0.9440        1.000' "$tmp/rob.txt" ||
    fail "robust summary row (R: 0.980880 0.0191583 0.94404 1)"
"$bin" km -f 'Surv(time, status) ~ celltype' --weights w --no-robust --format json "$tmp/vet.csv" \
    >"$tmp/gw.json" || fail "--no-robust fit"
assert_close "$(json_after "$(cat "$tmp/gw.json")" '"std_err":[')" 0.021440292586103148 "--no-robust std_err"
"$bin" km -f 'Surv(time, status) ~ celltype' --robust --no-robust "$tmp/vet.csv" 2>/dev/null
[ $? -eq 2 ] || fail "--robust with --no-robust must exit 2"

echo "km CLI: all checks passed"
