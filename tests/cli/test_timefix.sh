#!/usr/bin/env bash
# test_timefix.sh: R's timefix end to end (tests/golden/timefix/, written by
# tests/golden/make_golden_timefix.R). Arguments: path-to-survkit repo-root. lung with every third
# day moved by 1e-10 and the next by 2e-10: by default the times are the days again (coxph and
# survfit as on lung itself), with --no-timefix the ties split as in R's timefix = FALSE; a saved
# model carries the choice to the diagnostics, which refuse --no-timefix beside --model.
set -u
SURVKIT=$1
ROOT=$2
. "$ROOT/tests/cli/diag_lib.sh"
cli_test_start TMP
GOLD=$ROOT/tests/golden/timefix

# The jittered copy, as R builds it: time + ((row - 1) %% 3) * 1e-10, written with 17 digits.
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "\"time\"" || $i == "time") t = i; print; next }
         { $t = sprintf("%.17g", $t + ((NR - 2) % 3) * 1e-10); print }' OFS=, \
    "$DATA/lung.csv" > "$TMP/jitter.csv"

LUNG='Surv(time, status) ~ age + sex'
"$SURVKIT" cox -f "$LUNG" --format csv "$DATA/lung.csv" > "$TMP/days.csv" || fail "cox on lung"
"$SURVKIT" cox -f "$LUNG" --format csv "$TMP/jitter.csv" > "$TMP/fixed.csv" || fail "cox with timefix"
"$SURVKIT" cox -f "$LUNG" --no-timefix --format csv "$TMP/jitter.csv" > "$TMP/apart.csv" ||
    fail "cox --no-timefix"
for column in coef se; do
    paste -d' ' <(csv_column "$TMP/fixed.csv" $column) <(golden $column lung_jitter) |
        close "timefix $column"
    paste -d' ' <(csv_column "$TMP/days.csv" $column) <(golden $column lung_jitter) |
        close "lung days $column"
    paste -d' ' <(csv_column "$TMP/apart.csv" $column) <(golden $column lung_jitter_no_timefix) |
        close "--no-timefix $column"
done

# survfit: the curve's times and survival, both ways.
"$SURVKIT" km -f 'Surv(time, status) ~ 1' --format csv "$TMP/jitter.csv" > "$TMP/km.csv" || fail "km"
"$SURVKIT" km -f 'Surv(time, status) ~ 1' --no-timefix --format csv "$TMP/jitter.csv" > "$TMP/km0.csv" ||
    fail "km --no-timefix"
compare_column "$TMP/km.csv" time km_time lung_jitter
compare_column "$TMP/km.csv" surv km_surv lung_jitter
compare_column "$TMP/km0.csv" time km_time lung_jitter_no_timefix
compare_column "$TMP/km0.csv" surv km_surv lung_jitter_no_timefix

# A saved model records the choice; the diagnostics code its data the same way.
"$SURVKIT" cox -f "$LUNG" --no-timefix --save "$TMP/apart.json" --quiet "$TMP/jitter.csv" > /dev/null ||
    fail "cox --no-timefix --save"
grep -q '"timefix": false' "$TMP/apart.json" || fail "the saved model does not record timefix false"
"$SURVKIT" cox -f "$LUNG" --save "$TMP/fixed.json" --quiet "$TMP/jitter.csv" > /dev/null
grep -q '"timefix": true' "$TMP/fixed.json" || fail "the saved model does not record timefix true"
"$SURVKIT" residuals -f "$LUNG" --no-timefix --type martingale --quiet "$TMP/jitter.csv" > "$TMP/r.csv" ||
    fail "residuals --no-timefix"
"$SURVKIT" residuals --model "$TMP/apart.json" --type martingale --quiet "$TMP/jitter.csv" > "$TMP/rm.csv" ||
    fail "residuals --model (timefix false)"
cmp -s "$TMP/r.csv" "$TMP/rm.csv" || fail "residuals from the saved model differ from the direct ones"
"$SURVKIT" residuals --model "$TMP/fixed.json" --type martingale --quiet "$TMP/jitter.csv" > "$TMP/rf.csv"
cmp -s "$TMP/r.csv" "$TMP/rf.csv" && fail "residuals with and without timefix are the same"

# --no-timefix beside --model is refused; commands without a response do not offer it.
"$SURVKIT" residuals --model "$TMP/fixed.json" --no-timefix "$TMP/jitter.csv" > /dev/null 2> "$TMP/err"
[ $? -eq 2 ] && grep -q -- '--no-timefix goes with -f FORMULA' "$TMP/err" || fail "--no-timefix with --model"
"$SURVKIT" describe --no-timefix "$TMP/jitter.csv" > /dev/null 2>&1
[ $? -eq 2 ] || fail "describe accepts --no-timefix"

# A counting-process interval that the fix closes: R's error, with the file and line.
printf 'start,stop,status\n0,1,1\n1,1.000000000002,1\n0,2,0\n' > "$TMP/closed.csv"
"$SURVKIT" cox -f 'Surv(start, stop, status) ~ 1' "$TMP/closed.csv" > /dev/null 2> "$TMP/err"
[ $? -eq 2 ] && grep -q 'closed.csv:3' "$TMP/err" && grep -q 'aeqSurv exception' "$TMP/err" ||
    fail "closed interval: $(cat "$TMP/err")"
"$SURVKIT" cox -f 'Surv(start, stop, status) ~ 1' --no-timefix "$TMP/closed.csv" > /dev/null ||
    fail "closed interval with --no-timefix"

[ $failures -eq 0 ] && echo "all timefix checks passed"
exit $((failures > 0))
