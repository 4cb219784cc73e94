#!/usr/bin/env bash
# test_finegray_plot.sh: `survkit finegray --newdata FILE --plot PICTURE` (docs/plots.md): the
# predict.crr curves of the new rows, from a fit or a saved --model. The curves are checked against
# R by the unit test test_plot_compete; here: the files, the options and usage errors that exit 2
# and write nothing.
set -u
bin="$1"; root="$2"
. "$root/tests/cli/km_lib.sh"
. "$root/tests/cli/plot_lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pbc="$root/datasets/pbc.csv"
f='Surv(time, status) ~ age + log(bili) + albumin'
head -4 "$pbc" >"$tmp/new.csv"

expect_usage() { expect_plot_usage finegray "$f" "$pbc" "$@"; } # $1: text expected on stderr
expect_usage "--plot draws the predictions of --newdata" --cause 2 --plot "$tmp/p.png"
expect_usage "must end in .png, .svg or .pdf" --cause 2 --newdata "$tmp/new.csv" --plot "$tmp/p.tif"
expect_usage "--plot-xmax" --cause 2 --newdata "$tmp/new.csv" --plot "$tmp/p.png" --plot-xmax -1
expect_usage "need --plot FILE" --cause 2 --newdata "$tmp/new.csv" --plot-title T
expect_usage "unknown option" --cause 2 --newdata "$tmp/new.csv" --plot "$tmp/p.png" --plot-ci yes
[ -z "$(ls "$tmp" | grep '^p\.')" ] || fail "a refused --plot left a file: $(ls "$tmp")"

"$bin" finegray -f "$f" --cause 2 --newdata "$tmp/new.csv" --format csv "$pbc" >"$tmp/plain.csv" 2>/dev/null ||
    fail "finegray --newdata exit"
"$bin" finegray -f "$f" --cause 2 --newdata "$tmp/new.csv" --format csv --plot "$tmp/p.png" \
    --plot-title "Death" --plot-xlab Days --plot-ylab CIF --plot-break 1000 --plot-xmax 4000 \
    --save "$tmp/m.json" "$pbc" >"$tmp/with.csv" 2>"$tmp/err" || fail "finegray --plot: $(cat "$tmp/err")"
cmp -s "$tmp/plain.csv" "$tmp/with.csv" || fail "--plot changed the predictions"
[ "$(png_size "$tmp/p.png")" = 800x600 ] || fail "PNG size $(png_size "$tmp/p.png")"

# From the saved model, without data: the same picture.
"$bin" finegray --model "$tmp/m.json" --newdata "$tmp/new.csv" --plot "$tmp/m.png" --plot-title "Death" \
    --plot-xlab Days --plot-ylab CIF --plot-break 1000 --plot-xmax 4000 >/dev/null 2>"$tmp/err" ||
    fail "finegray --model --plot: $(cat "$tmp/err")"
cmp -s "$tmp/p.png" "$tmp/m.png" || fail "the saved model draws another picture"
"$bin" finegray --model "$tmp/m.json" --newdata "$tmp/new.csv" --plot "$tmp/m.pdf" --plot-width 400 \
    --plot-height 300 >/dev/null 2>&1 || fail "PDF"
grep -aq '/MediaBox \[ 0 0 400 300 \]' "$tmp/m.pdf" || fail "PDF 400 x 300 pt"

# A failing prediction writes no picture.
printf 'id,time\n1,5\n' >"$tmp/bad.csv"
"$bin" finegray --model "$tmp/m.json" --newdata "$tmp/bad.csv" --plot "$tmp/none.png" >/dev/null 2>&1 &&
    fail "new rows without the covariates should fail"
[ ! -e "$tmp/none.png" ] || fail "a failed prediction left a picture"
exit 0
