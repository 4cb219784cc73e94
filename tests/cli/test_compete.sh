#!/usr/bin/env bash
# test_compete.sh: `survkit cuminc` and `survkit finegray` against the values R wrote into
# tests/golden/compete/ (make_golden_compete.R: survfit(Surv(time, factor(status)) ~ edema, pbc),
# cmprsk::cuminc(...)$Tests, crr(...)), and their bad-input errors (exit 2, nothing written).
set -u
bin="$1"; root="$2"
. "$root/tests/cli/km_lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
first_number() { printf '%s\n' "$1" | sed -E 's/^([-0-9.eE+]+|null).*/\1/'; }
golden() { awk -F'\t' -v k="$2" -v i="$3" '$1 == k { print $(i + 1); exit }' "$root/tests/golden/compete/$1"; }

# cuminc: the curves and Gray's test of pbc by edema (golden pbc_edema.txt)
"$bin" cuminc -f 'Surv(time, status) ~ edema' --format json --timings "$root/datasets/pbc.csv" \
    >"$tmp/c.json" 2>"$tmp/err" || fail "cuminc exited $?: $(cat "$tmp/err")"
c=$(cat "$tmp/c.json")
grep -qF '"command":"cuminc"' "$tmp/c.json" && grep -qF '"states":["1","2"]' "$tmp/c.json" || fail "states"
grep -qF '"label":"edema=0","n":354' "$tmp/c.json" || fail "first group"
grep -qF '"timings":{"read_s":' "$tmp/c.json" || fail "timings"
# Gray's test for state 2 (the second row of R's Tests)
assert_close "$(json_after "${c#*\"state\":\"2\"}" '"stat":')" "$(golden pbc_edema.txt gray_stat 2)" "Gray stat, state 2"
assert_close "$(json_after "${c#*\"state\":\"1\"}" '"p":')" "$(golden pbc_edema.txt gray_p 1)" "Gray p, state 1"
# the first cif and std_err of state 2 in group edema=0 (R's pstate[, 3] and std.err[, 3])
total=$(awk -F'\t' '$1 == "out_time" { print NF - 1; exit }' "$root/tests/golden/compete/pbc_edema.txt")
assert_close "$(first_number "${c#*\"cif\":\{*\"2\":[}")" "$(golden pbc_edema.txt pstate $((2 * total + 1)))" "cif state 2"
assert_close "$(first_number "${c#*\"std_err\":\{*\"2\":[}")" "$(golden pbc_edema.txt std_err $((2 * total + 1)))" "std_err state 2"

# text: R's print(survfit) rows and the Tests table
"$bin" cuminc -f 'Surv(time, status) ~ edema' "$root/datasets/pbc.csv" >"$tmp/c.txt" || fail "text"
grep -qF 'edema=0, (s0)   354      0 3107.0073' "$tmp/c.txt" || fail "text rmean row: $(cat "$tmp/c.txt")"
grep -qF '2 69.247126 8.881784e-16  2' "$tmp/c.txt" || fail "text Tests row"

# string states, --censor, --conf-type, weights, (start, stop] data with --id (syn_counting_arcsin.txt)
"$bin" cuminc -f 'Surv(start, stop, event) ~ g' --id id --weights w --censor censored \
    --conf-type arcsin --format json "$root/tests/data/compete/synthetic_counting.csv" >"$tmp/cp.json" ||
    fail "counting-process cuminc"
cp=$(cat "$tmp/cp.json")
grep -qF '"states":["death","other","relapse"]' "$tmp/cp.json" || fail "string states"
assert_close "$(first_number "${cp#*\"upper\":\{\"death\":[}")" "$(golden syn_counting_arcsin.txt upper $(( $(awk -F'\t' '$1 == "out_time" { print NF - 1; exit }' "$root/tests/golden/compete/syn_counting_arcsin.txt") + 1)))" "upper, death"

# finegray: crr on pbc, transplant (golden fg_pbc_transplant.txt)
"$bin" finegray -f 'Surv(time, status) ~ age + log(bili) + sex' --cause 1 --format json \
    "$root/datasets/pbc.csv" >"$tmp/f.json" || fail "finegray"
f=$(cat "$tmp/f.json")
grep -qF '"command":"finegray","cause":"1","n":418' "$tmp/f.json" || fail "finegray header"
assert_close "$(json_after "$f" '"coef":')" "$(golden fg_pbc_transplant.txt coef 1)" "finegray coef age"
assert_close "$(json_after "$f" '"se":')" "$(awk -F'\t' '$1 == "var" { printf "%.17g\n", sqrt($2); exit }' "$root/tests/golden/compete/fg_pbc_transplant.txt")" "finegray se age"
assert_close "$(json_after "$f" '"loglik":')" "$(golden fg_pbc_transplant.txt loglik 1)" "finegray loglik"
assert_close "$(json_after "$f" '"loglik_null":')" "$(golden fg_pbc_transplant.txt loglik_null 1)" "finegray loglik_null"
grep -qF "\"iterations\":$(golden fg_pbc_transplant.txt iterations 1),\"converged\":true" "$tmp/f.json" || fail "iterations"
"$bin" finegray -f 'Surv(time, status) ~ age + log(bili) + sex' --cause 2 "$root/datasets/pbc.csv" >"$tmp/f.txt" || fail "finegray text"
grep -qF 'log(bili)  0.94953     2.584  0.09229 10.2885 0.0e+00' "$tmp/f.txt" || fail "finegray text row: $(cat "$tmp/f.txt")"

# factors and an interaction through the formula layer (golden fg_syn_relapse.txt:
# crr(time, event, model.matrix(~ x1 + x2 + g + x1:g)[, -1], failcode = 'relapse'))
"$bin" finegray -f 'Surv(time, event) ~ x1 + x2 + g + x1:g' --censor censored --cause relapse \
    --format json "$root/tests/data/compete/synthetic.csv" >"$tmp/fi.json" || fail "finegray interaction"
fi=$(cat "$tmp/fi.json")
assert_close "$(json_after "${fi#*\"name\":\"x1:gc\"}" '"coef":')" "$(golden fg_syn_relapse.txt coef 6)" "coef x1:gc"
assert_close "$(json_after "$fi" '"loglik":')" "$(golden fg_syn_relapse.txt loglik 1)" "interaction loglik"

# predict.crr for new rows (--newdata: the first three rows of pbc; golden predict, K x 3)
head -4 "$root/datasets/pbc.csv" >"$tmp/new.csv"
"$bin" finegray -f 'Surv(time, status) ~ age + log(bili) + sex' --cause 1 --format csv \
    --newdata "$tmp/new.csv" "$root/datasets/pbc.csv" >"$tmp/p.csv" || fail "finegray --newdata"
K=$(awk -F'\t' '$1 == "uftime" { print NF - 1; exit }' "$root/tests/golden/compete/fg_pbc_transplant.txt")
[ "$(wc -l <"$tmp/p.csv")" -eq $((3 * K + 1)) ] || fail "predict: rows"
assert_close "$(sed -n 4p "$tmp/p.csv" | cut -d, -f3)" "$(golden fg_pbc_transplant.txt predict 3)" "predict row 1, third time"
assert_close "$(tail -1 "$tmp/p.csv" | cut -d, -f3)" "$(golden fg_pbc_transplant.txt predict $((3 * K)))" "predict row 3, last time"

# --save, then --model FILE --newdata FILE: the same predictions from the saved model
"$bin" finegray -f 'Surv(time, status) ~ age + log(bili) + sex' --cause 1 --save "$tmp/m.json" \
    "$root/datasets/pbc.csv" >/dev/null || fail "finegray --save"
grep -qF '"format": "survkit-finegray-model"' "$tmp/m.json" || fail "saved model format"
"$bin" finegray --model "$tmp/m.json" --newdata "$tmp/new.csv" --format csv >"$tmp/pm.csv" ||
    fail "finegray --model"
cmp -s "$tmp/p.csv" "$tmp/pm.csv" || fail "predictions from the saved model differ"
echo '{"format": "survkit-finegray-model", "version": 2}' >"$tmp/bad.json"
"$bin" finegray --model "$tmp/bad.json" --newdata "$tmp/new.csv" >/dev/null 2>"$tmp/e"
[ $? -eq 2 ] && grep -qF 'version' "$tmp/e" || fail "a bad model file must be refused: $(cat "$tmp/e")"

# the cause-specific Cox model from the same data: a string comparison in Surv() (golden
# cox_cause_specific.txt: coxph(Surv(time, event == "relapse") ~ x1 + x2 + g, syn))
"$bin" cox -f 'Surv(time, event == "relapse") ~ x1 + x2 + g' --format json \
    "$root/tests/data/compete/synthetic.csv" >"$tmp/cs.json" || fail "cause-specific cox"
cs=$(cat "$tmp/cs.json")
assert_close "$(json_after "$cs" '"coef":')" "$(golden cox_cause_specific.txt coef 1)" "cause-specific coef x1"
assert_close "$(json_after "${cs#*\"name\":\"gc\"}" '"coef":')" "$(golden cox_cause_specific.txt coef 4)" "cause-specific coef gc"
assert_close "$(json_after "$cs" '"loglik":')" "$(golden cox_cause_specific.txt loglik 2)" "cause-specific loglik"

# --rmst: restricted mean time in each state (print(fit, rmean = 3000); pbc_edema_summaries.txt)
"$bin" cuminc -f 'Surv(time, status) ~ edema' --rmst 3000 --times 500,1000 --format json \
    "$root/datasets/pbc.csv" >"$tmp/r.json" || fail "cuminc --rmst"
r=$(cat "$tmp/r.json")
assert_close "$(json_after "${r#*\"rmtl\":\{\"tau\":3000,}" '"2":')" "$(golden pbc_edema_summaries.txt rmean 7)" "rmtl edema=0 state 2"

# bad input: exit 2, one message, nothing written to -o
expect_2() {
    rm -f "$tmp/o.txt"
    "$bin" "$@" -o "$tmp/o.txt" 2>"$tmp/e" >/dev/null
    [ $? -eq 2 ] || fail "expected exit 2: $*"
    [ ! -e "$tmp/o.txt" ] || fail "output written despite the error: $*"
    [ -s "$tmp/e" ] || fail "no message: $*"
}
syn="$root/tests/data/compete/synthetic.csv"
expect_2 cuminc -f 'Surv(time, event) ~ g' --censor alive "$syn"
grep -qF "censoring level 'alive' is not a value" "$tmp/e" || fail "message: $(cat "$tmp/e")"
expect_2 finegray -f 'Surv(time, event) ~ x1' --cause censored "$syn"
grep -qF "is the censoring level" "$tmp/e" || fail "message: $(cat "$tmp/e")"
expect_2 finegray -f 'Surv(time, event) ~ x1' --cause relapsed "$syn"
expect_2 cuminc -f 'Surv(days, breakdown) ~ 1' "$root/datasets/reunification.csv"
grep -qF "competing risks need two or more" "$tmp/e" || fail "message: $(cat "$tmp/e")"
expect_2 cuminc -f 'Surv(start, stop, event) ~ g' "$root/tests/data/compete/synthetic_counting.csv"
echo "compete CLI: all checks passed"
