#!/usr/bin/env bash
# test_survreg.sh: `survkit survreg` end to end against R's survreg. Arguments: path-to-survkit
# repo-root. Expected numbers are read from tests/golden/survreg/*.txt (written by
# tests/golden/make_golden_survreg.R; each file's first line is the R call), compared at 1e-9.
set -u
SURVKIT=$1
ROOT=$2
DATA=$ROOT/datasets
GOLD=$ROOT/tests/golden/survreg
. "$ROOT/tests/cli/lib.sh"
cli_test_start TMP

# Every distribution on lung (R's golden fit saw lung without its incomplete row, as na.omit does).
for dist in weibull exponential gaussian logistic lognormal loglogistic; do
    "$SURVKIT" survreg -f 'Surv(time, status) ~ age + sex + ph.ecog' --dist $dist --format csv \
        "$DATA/lung.csv" > "$TMP/$dist.csv" 2> "$TMP/err" || fail "lung $dist exit status"
    compare_column "$TMP/$dist.csv" value value "lung_$dist"
    compare_column "$TMP/$dist.csv" se se "lung_$dist"
    compare_column "$TMP/$dist.csv" p pvalue "lung_$dist"
done

# strata() and cluster() from the formula, a fixed scale, --robust, an aliased column.
"$SURVKIT" survreg -f 'Surv(time, status) ~ age + ph.ecog + strata(sex) + cluster(inst)' \
    --dist lognormal --format csv "$DATA/lung.csv" > "$TMP/cs.csv" || fail "strata+cluster exit status"
compare_column "$TMP/cs.csv" value value lung_cluster_strata
compare_column "$TMP/cs.csv" se se lung_cluster_strata
compare_column "$TMP/cs.csv" naive_se naive_se lung_cluster_strata
"$SURVKIT" survreg -f 'Surv(time, status) ~ age + sex + ph.ecog' --scale 0.8 --format csv \
    "$DATA/lung.csv" > "$TMP/fixed.csv" || fail "fixed scale exit status"
compare_column "$TMP/fixed.csv" value value lung_fixed_scale
"$SURVKIT" survreg -f 'Surv(time, status) ~ age + sex + ph.ecog' --dist loglogistic --robust \
    --format csv "$DATA/lung.csv" > "$TMP/robust.csv" || fail "robust exit status"
compare_column "$TMP/robust.csv" se se lung_robust
"$SURVKIT" survreg -f 'Surv(time, status) ~ age + I(2 * age) + sex + ph.ecog' --format csv \
    "$DATA/lung.csv" > "$TMP/aliased.csv" || fail "aliased exit status"
grep -q '^"I(2 \* age)",NA,0,NA,NA$' "$TMP/aliased.csv" || fail "aliased column not NA"

# Interval data: Surv(t1, t2, type = "interval2") with left, right, exact and interval rows.
for dist in weibull gaussian loglogistic lognormal; do
    "$SURVKIT" survreg -f 'Surv(t1, t2, type = "interval2") ~ age + sex + ph.ecog' --dist $dist \
        --format csv "$GOLD/interval_data.csv" > "$TMP/iv_$dist.csv" || fail "interval $dist exit status"
    compare_column "$TMP/iv_$dist.csv" value value "interval_$dist"
    compare_column "$TMP/iv_$dist.csv" se se "interval_$dist"
done

# Text as R prints it, from the table on; the call as R would write it on one line.
"$SURVKIT" survreg -f 'Surv(time, status) ~ age + sex + ph.ecog' "$DATA/lung.csv" > "$TMP/lung.txt" ||
    fail "text exit status"
golden summary_text lung_weibull | sed 's/\\t/\t/' | sed -n '/ Value /,$p' | grep -v '^n=' > "$TMP/expected.txt"
sed -n '/ Value /,$p' "$TMP/lung.txt" | grep -v '^n=' > "$TMP/actual.txt"
diff "$TMP/expected.txt" "$TMP/actual.txt" > "$TMP/diff" || { fail "text differs from R"; cat "$TMP/diff"; }
grep -qx 'n=227 (1 observation deleted due to missingness)' "$TMP/lung.txt" || fail "dropped row line"
grep -qx 'survreg(formula = Surv(time, status) ~ age + sex + ph.ecog, data = lung)' "$TMP/lung.txt" ||
    fail "Call line"

# JSON: the contract's keys, the scale row, vcov, iterations; --timings adds timings.
"$SURVKIT" survreg -f 'Surv(time, status) ~ age + sex + ph.ecog' --format json --timings \
    "$DATA/lung.csv" > "$TMP/lung.json" || fail "json exit status"
for key in '"command":"survreg"' '"dist":"weibull"' '"n":227' '"events":164' '"terms":\[' \
           '"scale":\[{"name":"Log(scale)","log_scale":' '"vcov":\[\[' '"loglik":' \
           '"loglik_null":' '"chisq":' '"df":3' '"iterations":5' '"converged":true' '"timings":{'; do
    grep -q "$key" "$TMP/lung.json" || fail "json lacks $key"
done
"$SURVKIT" survreg -f 'Surv(time, status) ~ age' --dist exponential --format json "$DATA/lung.csv" |
    grep -q '"scale":\[\]' || fail "exponential json scale should be empty"

# --newdata: predict.survreg's lp, response, quantiles and survival (tests/golden/survreg/pred_*);
# --save writes the model atomically.
GP=$GOLD/pred_lung_strata.txt
"$SURVKIT" survreg -f 'Surv(time, status) ~ age + ph.ecog + strata(sex)' --newdata \
    "$GOLD/newdata_lung_strata.csv" --p 0.25,0.5 --times 100,365 --format csv --save "$TMP/model.json" \
    "$DATA/lung.csv" > "$TMP/pred.csv" 2> /dev/null || fail "newdata exit status"
for key in lp lp_se response response_se; do compare_column "$TMP/pred.csv" $key $key pred_lung_strata; done
paste -d, <(cut -d, -f6 "$TMP/pred.csv" | tail -n +2) <(golden quantile pred_lung_strata | head -8) |
    awk -F, '{ if ($1 != $2 && ($1 - $2 > 1e-9 * $2 || $2 - $1 > 1e-9 * $2)) bad = 1 } END { exit bad }' ||
    fail "quantile 0.25 differs from R"
grep -q '"format": "survkit-survreg-model"' "$TMP/model.json" || fail "--save did not write the model"

# Out of iterations: R's warning on standard error, the fit still reported.
"$SURVKIT" survreg -f 'Surv(time, status) ~ age + sex + ph.ecog' --dist loglogistic --iter-max 2 \
    "$DATA/lung.csv" > "$TMP/iter2.txt" 2> "$TMP/iter2.err" || fail "iter-max 2 exit status"
grep -q 'Ran out of iterations and did not converge' "$TMP/iter2.err" || fail "no convergence warning"

# The intercept-only fit (R's fit0) adds up rows of equal (stratum, status, time) (survreg_start.c);
# an offset of zeros keeps it on the rows. Both give the same model: with integer times (a few hundred
# groups) and with continuous times (more than the 32,768 groups it keeps: the rows either way).
for kind in --integer-times --continuous; do
    integer=; [ $kind = --integer-times ] && integer=--integer-times
    "$SURVKIT" simulate --seed 3 --n 40000 -p 3 --baseline weibull $integer --quiet -o "$TMP/sim.csv" ||
        fail "simulate $kind"
    awk 'BEGIN { FS = OFS = "," } NR == 1 { print $0, "zero"; next } { print $0, 0 }' "$TMP/sim.csv" > "$TMP/simz.csv"
    "$SURVKIT" survreg -f 'Surv(time, status) ~ x1 + x2 + x3' --format csv "$TMP/simz.csv" > "$TMP/grouped.csv" ||
        fail "grouped fit $kind"
    "$SURVKIT" survreg -f 'Surv(time, status) ~ x1 + x2 + x3 + offset(zero)' --format csv "$TMP/simz.csv" \
        > "$TMP/rows.csv" || fail "row fit $kind"
    paste <(csv_column "$TMP/grouped.csv" value) <(csv_column "$TMP/rows.csv" value) | close "fit0 groups $kind" 1e-11
    paste <(csv_column "$TMP/grouped.csv" se) <(csv_column "$TMP/rows.csv" se) | close "fit0 groups se $kind" 1e-11
done

# Bad input: exit 2, one message, nothing written.
expect_error() { local text=$1; shift; refused "survreg $*" "$text" "$SURVKIT" survreg "$@"; } # TEXT ARGS...
expect_error "unknown distribution 'weibul'" -f 'Surv(time, status) ~ age' --dist weibul "$DATA/lung.csv"
printf 'time,status,x\n5,1,1\n-3,1,2\n7,0,3\n9,1,4\n' > "$TMP/neg.csv"
expect_error 'neg.csv:3: Invalid survival times' -f 'Surv(time, status) ~ x' "$TMP/neg.csv"
expect_error 'not valid with multiple strata' -f 'Surv(time, status) ~ age + strata(sex)' --scale 2 "$DATA/lung.csv"
printf 't1,t2,x\n1,2,1\n5,3,2\n7,,3\n,9,4\n' > "$TMP/iv.csv"
expect_error 'iv.csv:3:2: Invalid interval' -f 'Surv(t1, t2, type = "interval2") ~ x' "$TMP/iv.csv"
expect_error 'only type = "interval2"' -f 'Surv(t1, t2, type = "interval") ~ x' "$TMP/iv.csv"
expect_error 'start-stop' -f 'Surv(start, stop, event) ~ age' "$DATA/heart.csv"

[ $failures -eq 0 ] && echo "test_survreg: all passed"
exit $((failures > 0))
