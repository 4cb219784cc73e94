#!/usr/bin/env bash
# test_glm.sh: `survkit glm` and `survkit ipw` end to end against R. Arguments: path-to-survkit
# repo-root. Expected numbers come from tests/golden/glm/*.txt (make_golden_glm.R: glm and
# summary.glm) and tests/golden/ipw/*.txt (make_golden_ipw.R: the contract's weights and balance,
# survfit(weights = w, robust = TRUE) and the contrasts), compared at 1e-9 relative; the text report
# line for line against print(summary(glm)); errors exit 2 with one message and no output file.
set -u
SURVKIT=$1
ROOT=$2
DATA=$ROOT/datasets
. "$ROOT/tests/cli/lib.sh"
cli_test_start TMP

# golden KEY MODULE/FILE, close WHAT (1e-9 relative), csv_column FILE COLUMN
GOLD=$ROOT/tests/golden

# glm_case NAME LINK [EXTRA ARGS]: coefficients and standard errors as CSV, R's text.
glm_case() {
    local name=$1 link=$2
    shift 2
    local formula dataset
    formula=$(golden formula "glm/$name")
    dataset=$(golden dataset "glm/$name")
    "$SURVKIT" glm -f "$formula" --link "$link" --format csv "$@" "$DATA/$dataset.csv" \
        > "$TMP/$name.csv" 2> "$TMP/$name.err" || { fail "$name: exit status"; return; }
    paste -d' ' <(csv_column "$TMP/$name.csv" coef) <(golden coef "glm/$name") | close "$name coef"
    paste -d' ' <(csv_column "$TMP/$name.csv" se) <(golden se "glm/$name") | close "$name se"
}

glm_case lung_logit logit
glm_case lung_probit probit
glm_case lung_cloglog cloglog
glm_case reunification_factors logit
glm_case reunification_weights logit --weights months_in_care
glm_case pbc_frac_weights probit --weights albumin
glm_case reunification_offset cloglog
glm_case aliased logit
grep -q "non-integer #successes in a binomial glm!" "$TMP/pbc_frac_weights.err" ||
    fail "R's warning about non-integer successes missing"

# Complete separation: R's two warnings on standard error, exit 0.
"$SURVKIT" glm -f 'I(time > 500) ~ time + age' --format json "$DATA/lung.csv" > "$TMP/sep.json" \
    2> "$TMP/sep.err" || fail "separated: exit status"
grep -q "glm.fit: algorithm did not converge" "$TMP/sep.err" || fail "separated: no convergence warning"
grep -q "glm.fit: fitted probabilities numerically 0 or 1 occurred" "$TMP/sep.err" ||
    fail "separated: no fitted-probabilities warning"
grep -q '"iterations":25' "$TMP/sep.json" || fail "separated: 25 iterations as R"
grep -q '"converged":false' "$TMP/sep.json" || fail "separated: converged should be false"

# Text: print(summary(glm)) line for line (R's call used data = d; survkit names the file's stem).
"$SURVKIT" glm -f 'breakdown ~ age + sex + reason + support + prior_failed * unplanned' \
    "$DATA/reunification.csv" > "$TMP/text.txt" || fail "text: exit status"
golden summary_text glm/reunification_factors | sed 's/data = d)/data = reunification)/' > "$TMP/expected.txt"
diff "$TMP/expected.txt" "$TMP/text.txt" > "$TMP/diff" || { fail "glm text differs from R"; cat "$TMP/diff"; }

# JSON keys of the contract, and the cluster-robust errors.
"$SURVKIT" glm -f 'unplanned ~ age + sex + reason + prior_failed' --cluster family_id --format json \
    --timings "$DATA/reunification.csv" > "$TMP/cl.json" || fail "cluster: exit status"
for key in '"command":"glm"' '"family":"binomial"' '"link":"logit"' '"n":3000' '"terms":' \
           '"vcov":' '"deviance":' '"null_deviance":' '"df_residual":' '"df_null":' '"aic":' \
           '"iterations":4' '"converged":true' '"robust_se":' '"timings":'; do
    grep -q "$key" "$TMP/cl.json" || fail "glm JSON lacks $key"
done
"$SURVKIT" glm -f 'unplanned ~ age + sex + reason + prior_failed' --cluster family_id --format csv \
    "$DATA/reunification.csv" > "$TMP/cl.csv" || fail "cluster csv: exit status"
paste -d' ' <(csv_column "$TMP/cl.csv" robust_se) <(golden robust_se glm/reunification_cluster) |
    close "cluster robust se"

# ipw: JSON per the contract against the golden weights summary and balance.
"$SURVKIT" ipw -f 'unplanned ~ age + sex + reason + support + prior_failed' --estimand att \
    --stabilize --format json "$DATA/reunification.csv" > "$TMP/ipw.json" || fail "ipw: exit status"
for key in min max sum_treated sum_control ess_treated ess_control; do
    paste -d' ' <(grep -o "\"$key\":[^,}]*" "$TMP/ipw.json" | head -1 | cut -d: -f2) \
        <(golden $key ipw/reunification_att_stab) | close "ipw $key"
done
paste -d' ' <(grep -o '"smd_before":[^,}]*' "$TMP/ipw.json" | cut -d: -f2) \
    <(golden smd_before ipw/reunification_att_stab) | close "ipw smd_before"
paste -d' ' <(grep -o '"vr_after":[^,}]*' "$TMP/ipw.json" | cut -d: -f2) \
    <(golden vr_after ipw/reunification_att_stab) | close "ipw vr_after"

# ipw -o rows.csv --format csv, then km --weights weight: R's adjusted curves.
"$SURVKIT" ipw -f 'unplanned ~ age + sex + reason + support + prior_failed' --format csv \
    -o "$TMP/rows.csv" "$DATA/reunification.csv" || fail "ipw csv: exit status"
[ "$(head -1 "$TMP/rows.csv" | grep -o '"ps","weight"$')" = '"ps","weight"' ] || fail "ipw csv header"
paste -d' ' <(csv_column "$TMP/rows.csv" weight) <(golden weights ipw/reunification_ate) | close "ipw csv weights"
"$SURVKIT" km -f 'Surv(days, breakdown) ~ unplanned' --weights weight --robust --format json \
    "$TMP/rows.csv" > "$TMP/km.json" || fail "km --weights weight: exit status"
python3 - "$TMP/km.json" > "$TMP/km_surv.txt" <<'PY' || fail "km json unreadable"
import json, sys
d = json.load(open(sys.argv[1]))
for s in d["strata"]:
    for v in s["surv"]:
        print(repr(v))
PY
paste -d' ' "$TMP/km_surv.txt" <(golden curve_surv ipw/curves_reunification) | close "adjusted curves (two steps)"

# ipw --surv: the one-step contrasts.
"$SURVKIT" ipw -f 'unplanned ~ age + sex + reason + support + prior_failed' \
    --surv 'Surv(days, breakdown)' --times 180,365,730,1095 --rmst 1000 --format json \
    "$DATA/reunification.csv" > "$TMP/adj.json" || fail "ipw --surv: exit status"
python3 - "$TMP/adj.json" > "$TMP/adj.txt" <<'PY' || fail "ipw --surv json unreadable"
import json, sys
a = json.load(open(sys.argv[1]))["adjusted"]
for key in ("diff", "diff_lower", "diff_upper", "ratio", "ratio_lower", "ratio_upper"):
    for row in a["survival"]:
        print(key, repr(row[key]))
for key in ("diff", "ratio"):
    print("rmst_" + key, repr(a["rmst"][0][key]))
PY
for key in diff diff_lower diff_upper ratio ratio_lower ratio_upper rmst_diff rmst_ratio; do
    paste -d' ' <(awk -v k=$key '$1 == k { print $2 }' "$TMP/adj.txt") \
        <(golden $key ipw/curves_reunification) | close "ipw --surv $key"
done

# --save, then --model on new rows: R's predict(fit, se.fit = TRUE) and the fitted probabilities.
"$SURVKIT" glm -f 'I(status == 2) ~ age + sex + ph.ecog + ph.karno' --save "$TMP/model.json" \
    "$DATA/lung.csv" > /dev/null || fail "--save: exit status"
grep -q '"format": "survkit-glm"' "$TMP/model.json" || fail "saved model format"
"$SURVKIT" glm --model "$TMP/model.json" "$DATA/lung.csv" > "$TMP/pred.csv" || fail "--model: exit status"
paste -d' ' <(csv_column "$TMP/pred.csv" lp) <(golden lp glm/lung_logit) | close "predicted lp"
paste -d' ' <(csv_column "$TMP/pred.csv" lp_se) <(golden se_fit glm/lung_logit) | close "predicted se.fit"
paste -d' ' <(csv_column "$TMP/pred.csv" prob) <(golden fitted glm/lung_logit) | close "predicted prob"
"$SURVKIT" glm -f 'breakdown ~ age + reason' --save "$TMP/reason.json" "$DATA/reunification.csv" \
    > /dev/null || fail "--save reason: exit status"
printf 'age,reason\n10,neglect\n12,poverty\n' > "$TMP/new.csv"

# Errors: exit 2, one message, no output file.
refused "three-level response" error "$SURVKIT" glm -f 'reason ~ age' "$DATA/reunification.csv"
refused "Surv response" error "$SURVKIT" glm -f 'Surv(days, breakdown) ~ age' "$DATA/reunification.csv"
refused "y outside 0/1" error "$SURVKIT" glm -f 'prior_failed ~ age' "$DATA/reunification.csv"
refused "no intercept" error "$SURVKIT" glm -f 'breakdown ~ age - 1' "$DATA/reunification.csv"
refused "no intercept (+ 0)" error "$SURVKIT" glm -f 'breakdown ~ 0 + age' "$DATA/reunification.csv"
"$SURVKIT" glm -f 'breakdown ~ age - 1 + 1' --format csv "$DATA/reunification.csv" > /dev/null 2>&1 ||
    fail "'- 1 + 1' keeps the intercept, as in R"
refused "a level the model never saw" "new level poverty" "$SURVKIT" glm --model "$TMP/reason.json" "$TMP/new.csv"
refused "not a glm model" error "$SURVKIT" glm --model "$TMP/new.csv" "$TMP/new.csv"
refused "bad link" error "$SURVKIT" glm -f 'breakdown ~ age' --link logistic "$DATA/reunification.csv"
refused "three-level treatment" error "$SURVKIT" ipw -f 'reason ~ age' "$DATA/reunification.csv"
refused "a group with no rows" error "$SURVKIT" ipw -f 'I(age >= 0) ~ sex' "$DATA/reunification.csv"
refused "complete separation" "separates the groups" "$SURVKIT" ipw -f 'I(time > 500) ~ time' "$DATA/lung.csv"
refused "trim out of range" error "$SURVKIT" ipw -f 'unplanned ~ age' --trim 0.5 "$DATA/reunification.csv"
refused "--times without --surv" error "$SURVKIT" ipw -f 'unplanned ~ age' --times 100 "$DATA/reunification.csv"

if [ $failures -gt 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "all glm and ipw CLI checks passed"
