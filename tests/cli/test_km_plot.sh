#!/usr/bin/env bash
# test_km_plot.sh: `survkit km --plot FILE` (docs/plots.md). The pictures' content is checked by the
# unit test test_plot against R's curves; here: the options, the formats and sizes, and that a
# failure writes nothing.
set -u
bin="$1"; root="$2"
. "$root/tests/cli/km_lib.sh"
. "$root/tests/cli/plot_lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
lung="$root/datasets/lung.csv"
f='Surv(time, status) ~ sex'

# Bad option values are usage errors (exit 2) before any data is read, and write nothing.
expect_usage() { expect_plot_usage km "$f" "$lung" "$@"; } # $1: text expected on stderr
expect_usage "must end in .png, .svg or .pdf" --plot "$tmp/k.jpg"
expect_usage "--plot-fun 'hazard'" --plot "$tmp/k.png" --plot-fun hazard
expect_usage "--plot-ci 'maybe'" --plot "$tmp/k.png" --plot-ci maybe
expect_usage "--plot-width/--plot-height" --plot "$tmp/k.png" --plot-width 10
expect_usage "--plot-break" --plot "$tmp/k.png" --plot-break -5
expect_usage "--plot-xmax" --plot "$tmp/k.png" --plot-xmax -5
expect_usage "need --plot FILE" --plot-fun event
[ -z "$(ls "$tmp" | grep '^k\.')" ] || fail "a refused --plot left a file: $(ls "$tmp")"

# Drawing needs the data read and the model built.
"$bin" km -f "$f" --plot "$tmp/km.png" "$lung" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || fail "km --plot exited $rc: $(cat "$tmp/err")"
grep -q "sex=1" "$tmp/out" || fail "the text report is still printed with --plot"

is_png "$tmp/km.png" || fail "PNG signature"
[ "$(png_size "$tmp/km.png")" = 800x600 ] || fail "PNG default size"

"$bin" km -f "$f" --plot "$tmp/small.png" --plot-width 640 --plot-height 400 --plot-fun event \
    --plot-median --plot-title "By sex" --plot-xmax 500 "$lung" >/dev/null 2>&1 || fail "sized PNG"
[ "$(png_size "$tmp/small.png")" = 640x400 ] || fail "PNG 640x400"

"$bin" km -f "$f" --plot "$tmp/km.svg" --plot-width 500 --plot-height 300 --plot-fun cumhaz \
    --plot-ci yes "$lung" >/dev/null 2>&1 || fail "SVG"
grep -q '<svg' "$tmp/km.svg" && grep -q 'width="500pt" height="300pt"' "$tmp/km.svg" || fail "SVG 500x300 pt"

"$bin" km -f 'Surv(time, status) ~ 1' --plot "$tmp/km.pdf" --plot-fun cloglog --plot-break 100 \
    --format json -o "$tmp/km.json" "$lung" 2>"$tmp/err" || fail "PDF: $(cat "$tmp/err")"
[ "$(head -c 5 "$tmp/km.pdf")" = "%PDF-" ] || fail "PDF signature"
grep -aq '/MediaBox \[ 0 0 576 432 \]' "$tmp/km.pdf" || fail "PDF default size 576x432 pt"
grep -qF '"command":"km"' "$tmp/km.json" || fail "JSON written alongside the plot"

# A fit that fails writes no picture.
"$bin" km -f 'Surv(time, status) ~ nosuchcolumn' --plot "$tmp/none.png" "$lung" >/dev/null 2>&1 &&
    fail "a missing column should fail"
[ ! -e "$tmp/none.png" ] || fail "a failed km left a picture"
exit 0
