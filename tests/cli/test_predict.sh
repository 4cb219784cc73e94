#!/usr/bin/env bash
# test_predict.sh: `survkit predict`, `survkit basehaz` and `survkit cox --save` end to end against
# R's predict.coxph, survfit.coxph(newdata) and basehaz. Arguments: path-to-survkit repo-root.
set -u
SURVKIT=$1
ROOT=$2
. "$ROOT/tests/cli/diag_lib.sh"
cli_test_start TMP

# check_predict CSV CASE: lp, lp_se, risk, expected and surv/std_err/lower/upper at the times.
check_predict() {
    local csv=$1 case=$2
    for k in lp lp_se risk expected; do compare_column "$csv" $k $k "$case"; done
    for part in surv std_err lower upper; do
        # survkit: one row per new row, columns part_T per time; R: row by row over the times
        awk -F, -v p="$part" 'NR == 1 { for (i = 1; i <= NF; i++) if (index($i, p "_") == 1 && ($i ~ "^" p "_[0-9.e+-]+$")) c[++m] = i; next }
                              { for (k = 1; k <= m; k++) print $(c[k]) }' "$csv" > "$TMP/got"
        paste -d' ' "$TMP/got" <(golden $part "$case") | close "$case $part"
    done
}

VET='Surv(time, status) ~ karno + celltype'
"$SURVKIT" predict -f "$VET" --newdata "$GOLD/newdata_veteran_factor.csv" --times 10,100,500 \
    --quiet "$DATA/veteran.csv" > "$TMP/v.csv" || fail "veteran exit"
check_predict "$TMP/v.csv" predict_veteran_factor

# Strata, weights (robust variance), counting process, Breslow, the reunification model.
"$SURVKIT" predict -f 'Surv(time, status) ~ age + ph.ecog + strata(sex)' \
    --newdata "$GOLD/newdata_lung_strata.csv" --times 50,200,600 --quiet "$DATA/lung.csv" > "$TMP/s.csv"
check_predict "$TMP/s.csv" predict_lung_strata
"$SURVKIT" predict -f 'Surv(time, status) ~ age + sex + disease' --weights frail \
    --newdata "$GOLD/newdata_kidney_weights.csv" --times 10,100,300 --quiet "$DATA/kidney.csv" > "$TMP/k.csv"
check_predict "$TMP/k.csv" predict_kidney_weights
"$SURVKIT" predict -f 'Surv(start, stop, event) ~ age + year + surgery + transplant' \
    --newdata "$GOLD/newdata_heart.csv" --times 10,100,1000 --quiet "$DATA/heart.csv" > "$TMP/h.csv"
check_predict "$TMP/h.csv" predict_heart
"$SURVKIT" predict -f 'Surv(time, status) ~ age + sex + ph.ecog' --ties breslow \
    --newdata "$GOLD/newdata_lung_breslow.csv" --times 100,365,1000 --quiet "$DATA/lung.csv" > "$TMP/b.csv"
check_predict "$TMP/b.csv" predict_lung_breslow
REUN='Surv(days, breakdown) ~ age + sex + prior_failed + unplanned + substance + reason + support + strata(la) + cluster(family_id)'
"$SURVKIT" cox -f "$REUN" --save "$TMP/reun.json" --quiet "$DATA/reunification.csv" > /dev/null ||
    fail "reunification cox --save"
"$SURVKIT" predict --model "$TMP/reun.json" --newdata "$GOLD/newdata_reunification.csv" \
    --times 30,180,365,730 --quiet > "$TMP/r.csv" || fail "reunification predict --model"
check_predict "$TMP/r.csv" predict_reunification

# New rows with missing values keep their place: NA in CSV, null in JSON, no warning (R's na.pass).
LUNG='Surv(time, status) ~ age + sex + ph.ecog'
"$SURVKIT" predict -f "$LUNG" --newdata "$GOLD/newdata_lung_na.csv" --times 100,365 --quiet \
    "$DATA/lung.csv" > "$TMP/na.csv" 2> "$TMP/na.err" || fail "NA rows exit"
check_predict "$TMP/na.csv" predict_lung_na
[ "$(csv_column "$TMP/na.csv" row | tr '\n' ' ')" = "1 2 3 4 5 6 " ] || fail "NA rows: not every row kept"
[ ! -s "$TMP/na.err" ] || fail "NA rows: unexpected warning $(cat "$TMP/na.err")"
"$SURVKIT" predict -f 'Surv(time, status) ~ age + ph.ecog + strata(sex)' --format json \
    --newdata "$GOLD/newdata_lung_strata_na.csv" --times 50,200 --quiet "$DATA/lung.csv" > "$TMP/na.json"
grep -q '{"row":2,"strata":null,"lp":null,"lp_se":null,"risk":null,"expected":null,"surv":\[null,null\]' \
    "$TMP/na.json" || fail "NA rows: JSON nulls"

# save -> load -> predict equals the direct prediction, byte for byte.
"$SURVKIT" cox -f "$VET" --save "$TMP/vet.json" --quiet "$DATA/veteran.csv" > /dev/null
"$SURVKIT" predict --model "$TMP/vet.json" --newdata "$GOLD/newdata_veteran_factor.csv" \
    --times 10,100,500 --quiet > "$TMP/vm.csv" || fail "predict --model exit"
cmp -s "$TMP/v.csv" "$TMP/vm.csv" || fail "saved-model prediction differs from the direct one"
grep -q '"format": "survkit-model", "version": 1' "$TMP/vet.json" || fail "model file header"

# basehaz, centred and not, with strata, and from a saved model.
for c in centered raw; do
    opt=; [ $c = raw ] && opt=--uncentered
    "$SURVKIT" basehaz -f 'Surv(time, status) ~ age + ph.ecog + strata(sex)' $opt --quiet \
        "$DATA/lung.csv" > "$TMP/bh.csv" || fail "basehaz exit"
    compare_column "$TMP/bh.csv" hazard hazard "basehaz_lung_strata_$c"
    compare_column "$TMP/bh.csv" time time "basehaz_lung_strata_$c"
    paste -d' ' <(csv_column "$TMP/bh.csv" strata) <(golden strata "basehaz_lung_strata_$c") |
        awk '$1 != $2 { bad = 1 } END { exit bad }' || fail "basehaz strata labels"
    "$SURVKIT" basehaz --model "$TMP/vet.json" $opt --quiet > "$TMP/bv.csv" || fail "basehaz --model"
    compare_column "$TMP/bv.csv" hazard hazard "basehaz_veteran_factor_$c"
done

# Errors: a level the model never saw, a malformed model, a missing --newdata.
printf 'karno,celltype\n60,giant\n' > "$TMP/bad.csv"
"$SURVKIT" predict --model "$TMP/vet.json" --newdata "$TMP/bad.csv" -o "$TMP/none" 2> "$TMP/err"
[ $? -eq 2 ] && grep -q giant "$TMP/err" || fail "new level: $(cat "$TMP/err")"
[ ! -e "$TMP/none" ] || fail "new level: output written"
head -c 300 "$TMP/vet.json" > "$TMP/cut.json"
"$SURVKIT" basehaz --model "$TMP/cut.json" 2> "$TMP/err"
[ $? -eq 2 ] && grep -q "cut.json:[0-9]*:[0-9]*: invalid JSON" "$TMP/err" || fail "truncated model: $(cat "$TMP/err")"
"$SURVKIT" predict --model "$TMP/vet.json" 2> "$TMP/err"
[ $? -eq 2 ] || fail "predict without --newdata"

[ $failures -eq 0 ] && echo "all predict/basehaz checks passed"
exit $((failures > 0))
