#!/usr/bin/env bash
# test_predict_newdata.sh: the README's prediction example. New data need only the model's
# covariates and strata, not its cluster() column, as R's predict.coxph. Expected values from R:
#   d <- read.csv("datasets/reunification.csv"); nd <- read.csv("examples/children.csv")
#   f <- coxph(Surv(days, breakdown) ~ age + substance + support + strata(la) + cluster(family_id), d)
#   predict(f, nd, type = "lp"); summary(survfit(f, newdata = nd), times = c(365, 730))$surv
set -u
bin="$1"; root="$2"
. "$root/tests/cli/km_lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

"$bin" cox -f 'Surv(days, breakdown) ~ age + substance + support + strata(la) + cluster(family_id)' \
    --save "$tmp/model.json" "$root/datasets/reunification.csv" > /dev/null || fail "cox --save"
"$bin" predict --model "$tmp/model.json" --newdata "$root/examples/children.csv" --times 365,730 \
    --format csv > "$tmp/pred.csv" 2> "$tmp/err" || fail "predict: $(cat "$tmp/err")"
# columns: row,strata,lp,lp_se,risk,surv_365,std_err_365,lower_365,upper_365,surv_730,...
col() { awk -F, -v r="$1" -v c="$2" 'NR == r + 1 { print $c }' "$tmp/pred.csv"; }
lp=(0.31184589344927682 -0.66215325938448422 0.49188527831639406)
s365=(0.859249168500553 0.94433340499136298 0.76365320768984524)
s730=(0.80233232741993787 0.9202102034129519 0.68199595511275213)
for r in 1 2 3; do
    assert_close "$(col $r 3)" "${lp[r-1]}" "child $r lp"
    assert_close "$(col $r 6)" "${s365[r-1]}" "child $r survival at 365"
    assert_close "$(col $r 10)" "${s730[r-1]}" "child $r survival at 730"
done
[ "$(col 3 2)" = '"LA01"' ] || fail "child 3 stratum: $(col 3 2)"
echo "predict newdata: ok"
