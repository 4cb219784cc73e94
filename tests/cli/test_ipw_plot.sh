#!/usr/bin/env bash
# test_ipw_plot.sh: `survkit ipw --plot FILE` end to end (docs/plots.md). The figures' numbers (the
# love plot's |smd|, which the JSON balance rows print, and the propensity histograms) are checked
# against R by the unit test test_plot_compete; here: formats and page sizes, the report unchanged
# by --plot, every --plot-* option, and usage errors that exit 2 and write nothing.
set -u
bin="$1"; root="$2"
. "$root/tests/cli/km_lib.sh"
. "$root/tests/cli/plot_lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
lung="$root/datasets/lung.csv"
f='I(sex == 2) ~ age + ph.ecog + ph.karno + wt.loss'

expect_usage() { expect_plot_usage ipw "$f" "$lung" "$@"; } # $1: text expected on stderr
expect_usage "must end in .png, .svg or .pdf" --plot "$tmp/i.bmp"
expect_usage "--plot-kind 'density'" --plot "$tmp/i.png" --plot-kind density
expect_usage "--plot-threshold" --plot "$tmp/i.png" --plot-threshold -0.1
expect_usage "--plot-threshold belongs to the love plot" --plot "$tmp/i.png" --plot-kind ps --plot-threshold 0.2
expect_usage "--plot-bins must lie in 1..1000" --plot "$tmp/i.png" --plot-bins 5000
expect_usage "--plot-bins belongs to the histograms" --plot "$tmp/i.png" --plot-kind love --plot-bins 20
expect_usage "--plot-width/--plot-height" --plot "$tmp/i.png" --plot-width 10
expect_usage "need --plot FILE" --plot-kind love
[ -z "$(ls "$tmp" | grep '^i\.')" ] || fail "a refused --plot left a file: $(ls "$tmp")"

# The report is the same with and without --plot; the default page: two panels side by side.
plot_keeps_report "$tmp/i.png" 1000x375 "$bin" ipw -f "$f" "$lung"

# One panel per kind, the options, JSON and CSV alongside.
"$bin" ipw -f "$f" --plot "$tmp/love.png" --plot-kind love --plot-threshold 0.05 \
    --plot-title Lung --format json -o "$tmp/i.json" "$lung" 2>"$tmp/err" || fail "love: $(cat "$tmp/err")"
[ "$(png_size "$tmp/love.png")" = 800x600 ] || fail "one panel: $(png_size "$tmp/love.png")"
grep -qF '"command":"ipw"' "$tmp/i.json" || fail "JSON written alongside the plot"
"$bin" ipw -f "$f" --plot "$tmp/ps.svg" --plot-kind ps --plot-bins 12 --plot-width 600 \
    --plot-height 400 --format csv -o "$tmp/w.csv" "$lung" 2>"$tmp/err" || fail "ps: $(cat "$tmp/err")"
grep -q '<svg' "$tmp/ps.svg" && grep -q 'width="600pt" height="400pt"' "$tmp/ps.svg" || fail "SVG 600x400 pt"
head -1 "$tmp/w.csv" | grep -q '"ps","weight"' || fail "CSV written alongside the plot"
"$bin" ipw -f "$f" --estimand att --plot "$tmp/i.pdf" "$lung" >/dev/null 2>"$tmp/err" ||
    fail "PDF: $(cat "$tmp/err")"
[ "$(head -c 5 "$tmp/i.pdf")" = "%PDF-" ] || fail "PDF signature"
grep -aq '/MediaBox \[ 0 0 720 270 \]' "$tmp/i.pdf" || fail "PDF of two panels: 720 x 270 pt"

# Nothing to draw (no covariates, one propensity score): exit 2, no picture, no report.
"$bin" ipw -f 'I(sex == 2) ~ 1' --plot "$tmp/one.png" -o "$tmp/one.txt" "$lung" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "no covariates" "$tmp/err" || fail "ipw ~ 1 --plot: $(cat "$tmp/err")"
[ ! -e "$tmp/one.png" ] && [ ! -e "$tmp/one.txt" ] || fail "ipw ~ 1 --plot left a file"

# A fit that fails writes no picture.
"$bin" ipw -f 'I(sex == 2) ~ nosuch' --plot "$tmp/none.png" "$lung" >/dev/null 2>&1 &&
    fail "a missing column should fail"
[ ! -e "$tmp/none.png" ] || fail "a failed ipw left a picture"
exit 0
