#!/usr/bin/env bash
# test_cuminc_plot.sh: `survkit cuminc --plot FILE` end to end (docs/plots.md). The figure's
# coordinates are checked against R by the unit test test_plot_compete (the fit's pstate and limits,
# the numbers the JSON output prints, and summary(fit, times, extend = TRUE)$n.risk); here: the
# formats and page sizes, the report unchanged by --plot, every --plot-* option, and usage errors
# that exit 2 and write nothing.
set -u
bin="$1"; root="$2"
. "$root/tests/cli/km_lib.sh"
. "$root/tests/cli/plot_lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pbc="$root/datasets/pbc.csv"
syn="$root/tests/data/compete/synthetic.csv"
f='Surv(time, factor(status)) ~ edema'

# Usage errors before any data is read: exit 2, a message naming the option, no file.
expect_usage() { expect_plot_usage cuminc "$f" "$pbc" "$@"; } # $1: text expected on stderr
expect_usage "must end in .png, .svg or .pdf" --plot "$tmp/c.gif"
expect_usage "--plot-ci 'sometimes'" --plot "$tmp/c.png" --plot-ci sometimes
expect_usage "--plot-width/--plot-height" --plot "$tmp/c.png" --plot-height 30000
expect_usage "--plot-break" --plot "$tmp/c.png" --plot-break -1
expect_usage "--plot-xmax" --plot "$tmp/c.png" --plot-xmax -100
expect_usage "--plot-ci does not go with --plot-stacked" --plot "$tmp/c.png" --plot-stacked --plot-ci yes
expect_usage "--plot-no-censor-marks does not go" --plot "$tmp/c.png" --plot-stacked --plot-no-censor-marks
expect_usage "need --plot FILE" --plot-stacked
expect_usage "unknown option" --plot "$tmp/c.png" --plot-fun event
expect_usage "unknown option" --plot "$tmp/c.png" --plot-median
[ -z "$(ls "$tmp" | grep '^c\.')" ] || fail "a refused --plot left a file: $(ls "$tmp")"

# The report is the same with and without --plot; the default page: two states side by side.
plot_keeps_report "$tmp/c.png" 1000x375 "$bin" cuminc -f "$f" "$pbc"

# Stacked: a panel per group (three: a 2 x 2 grid), every shared option, JSON alongside.
"$bin" cuminc -f "$f" --plot "$tmp/s.png" --plot-stacked --plot-title PBC --plot-xlab Days \
    --plot-ylab Probability --plot-break 500 --plot-xmax 4000 --format json -o "$tmp/s.json" \
    "$pbc" 2>"$tmp/err" || fail "stacked: $(cat "$tmp/err")"
[ "$(png_size "$tmp/s.png")" = 1000x750 ] || fail "three groups: $(png_size "$tmp/s.png")"
grep -qF '"command":"cuminc"' "$tmp/s.json" || fail "JSON written alongside the plot"

# Sizes and the other formats; the per-state options.
"$bin" cuminc -f 'Surv(time, event) ~ g' --censor censored --plot "$tmp/c.svg" --plot-width 700 \
    --plot-height 300 --plot-ci yes --plot-no-censor-marks --plot-no-risk-table "$syn" \
    >/dev/null 2>"$tmp/err" || fail "SVG: $(cat "$tmp/err")"
grep -q '<svg' "$tmp/c.svg" && grep -q 'width="700pt" height="300pt"' "$tmp/c.svg" || fail "SVG 700x300 pt"
"$bin" cuminc -f 'Surv(time, event) ~ 1' --censor censored --plot "$tmp/c.pdf" "$syn" \
    >/dev/null 2>"$tmp/err" || fail "PDF: $(cat "$tmp/err")"
[ "$(head -c 5 "$tmp/c.pdf")" = "%PDF-" ] || fail "PDF signature"
grep -aq '/MediaBox \[ 0 0 720 540 \]' "$tmp/c.pdf" || fail "PDF of 3 states: 2 x 2 cells of 360 x 270 pt"

# A fit that fails writes no picture.
"$bin" cuminc -f 'Surv(time, factor(status)) ~ nosuch' --plot "$tmp/none.png" "$pbc" >/dev/null 2>&1 &&
    fail "a missing column should fail"
[ ! -e "$tmp/none.png" ] || fail "a failed cuminc left a picture"
exit 0
