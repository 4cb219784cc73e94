#!/usr/bin/env bash
# test_zph_plot.sh: `survkit zph --plot FILE` end to end (R's plot(cox.zph(fit)); the numbers in
# the picture are checked by test_plot_zph and test_diag_zph_smooth against R). Arguments:
# path-to-survkit repo-root. Formats by extension, the page size of a grid and of one term, the
# table output unchanged by --plot, a saved model, and usage errors that write nothing.
set -u
SURVKIT=$1
ROOT=$2
. "$ROOT/tests/cli/diag_lib.sh"
. "$ROOT/tests/cli/plot_lib.sh"
cli_test_start TMP

LUNG='Surv(time, status) ~ age + sex + ph.ecog'

plot_keeps_report "$TMP/z.png" 1000x750 "$SURVKIT" zph -f "$LUNG" --quiet "$DATA/lung.csv"   # a grid of 3 terms
"$SURVKIT" zph -f "$LUNG" --plot "$TMP/one.png" --plot-term ph.ecog --quiet "$DATA/lung.csv" > /dev/null ||
    fail "--plot-term exit"
[ "$(png_size "$TMP/one.png")" = 800x600 ] || fail "one term: $(png_size "$TMP/one.png")"
"$SURVKIT" zph -f "$LUNG" --transform rank --plot "$TMP/z.svg" --plot-width 900 --plot-height 700 \
    --quiet "$DATA/lung.csv" > /dev/null || fail "svg exit"
grep -q '<svg' "$TMP/z.svg" && grep -q 'width="900' "$TMP/z.svg" || fail "SVG size"
"$SURVKIT" zph -f "$LUNG" --transform log --plot "$TMP/z.pdf" --plot-df 3 --plot-nsmo 20 \
    --quiet "$DATA/lung.csv" > /dev/null || fail "pdf exit"
[ "$(head -c 5 "$TMP/z.pdf")" = "%PDF-" ] || fail "PDF signature"

# A saved model with its data draws the same picture as the direct fit.
"$SURVKIT" cox -f "$LUNG" --save "$TMP/m.json" --quiet "$DATA/lung.csv" > /dev/null
"$SURVKIT" zph --model "$TMP/m.json" --plot "$TMP/m.png" --quiet "$DATA/lung.csv" > /dev/null ||
    fail "zph --model --plot exit"
cmp -s "$TMP/z.png" "$TMP/m.png" || fail "saved-model picture differs"

# Usage errors: exit 2, nothing written.
"$SURVKIT" zph -f "$LUNG" --plot "$TMP/bad.jpg" "$DATA/lung.csv" > /dev/null 2> "$TMP/err"
[ $? -eq 2 ] && grep -q 'png, .svg or .pdf' "$TMP/err" || fail "bad extension accepted"
"$SURVKIT" zph -f "$LUNG" --plot "$TMP/t.png" --plot-term weight "$DATA/lung.csv" > /dev/null 2> "$TMP/err"
[ $? -eq 2 ] && grep -q "'age', 'sex', 'ph.ecog'" "$TMP/err" || fail "unknown term: $(cat "$TMP/err")"
[ ! -e "$TMP/t.png" ] || fail "unknown term: picture written"
"$SURVKIT" zph -f "$LUNG" --plot-term age "$DATA/lung.csv" > /dev/null 2> "$TMP/err"
[ $? -eq 2 ] && grep -q 'need --plot' "$TMP/err" || fail "--plot-term without --plot"
"$SURVKIT" zph -f "$LUNG" --plot "$TMP/d.png" --plot-df 1 "$DATA/lung.csv" > /dev/null 2> "$TMP/err"
[ $? -eq 2 ] && [ ! -e "$TMP/d.png" ] || fail "--plot-df 1 accepted"

[ $failures -eq 0 ] && echo "all zph plot checks passed"
exit $((failures > 0))
