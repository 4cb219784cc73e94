#!/usr/bin/env bash
# test_survreg_plot.sh: `survkit survreg --plot FILE` writes a PNG/SVG of the fitted survival over
# the Kaplan-Meier curves (the curve values are tested in test_survreg_predict's mean survival);
# interval data cannot be drawn (no Kaplan-Meier estimate): exit 2, nothing written.
set -u
SURVKIT=$1
ROOT=$2
. "$ROOT/tests/cli/lib.sh"
. "$ROOT/tests/cli/plot_lib.sh"   # is_png
cli_test_start TMP

"$SURVKIT" survreg -f 'Surv(time, status) ~ age + ph.ecog + strata(sex)' --plot "$TMP/fit.png" \
    -o "$TMP/out.txt" "$ROOT/datasets/lung.csv" 2> /dev/null || fail "png exit status"
is_png "$TMP/fit.png" || fail "not a PNG"
grep -q 'Weibull distribution' "$TMP/out.txt" || fail "report not written with --plot"
"$SURVKIT" survreg -f 'Surv(time, status) ~ age' --dist lognormal --plot "$TMP/fit.svg" \
    -o /dev/null "$ROOT/datasets/lung.csv" 2> /dev/null || fail "svg exit status"
grep -q '<svg' "$TMP/fit.svg" || fail "not an SVG"
"$SURVKIT" survreg -f 'Surv(t1, t2, type = "interval2") ~ age' --plot "$TMP/iv.png" -o "$TMP/iv.txt" \
    "$ROOT/tests/golden/survreg/interval_data.csv" 2> "$TMP/err"
[ $? -eq 2 ] || fail "interval --plot exit status"
grep -q 'Kaplan-Meier' "$TMP/err" || fail "interval --plot message"
[ ! -e "$TMP/iv.png" ] && [ ! -e "$TMP/iv.txt" ] || fail "interval --plot wrote output"

[ $failures -eq 0 ] && echo "test_survreg_plot: all passed"
exit $((failures > 0))
