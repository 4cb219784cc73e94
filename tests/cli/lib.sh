# lib.sh: helpers the CLI test scripts share (sourced, not a test: ctest runs test_*.sh only).
# The sourcing script calls cli_test_start and sets GOLD (a tests/golden/<module> folder, or
# tests/golden itself when FILE names the module too).

# cli_test_start SCRATCH: what a CLI test script does first: no failure (nor check) counted yet, and
# a scratch folder, removed at exit, in the variable named SCRATCH.
cli_test_start() {
    failures=0
    checks=0
    cli_scratch=$(mktemp -d)
    trap "rm -rf '$cli_scratch'" EXIT
    printf -v "$1" '%s' "$cli_scratch"
}

# fail WHAT: a "FAIL: WHAT" line on standard error, one failure counted.
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# cli_test_counts NAME: the last line of a script that counts its checks: "NAME: C checks, F
# failures", and a true status when F is 0.
cli_test_counts() {
    echo "$1: $checks checks, $failures failures"
    [ "$failures" -eq 0 ]
}

# The checks below often end a pipeline (`paste ... | close WHAT`): run its last command in this
# shell, so that the failures they count are not lost in a subshell.
shopt -s lastpipe

# golden KEY FILE: the values of KEY in $GOLD/FILE.txt (a golden file: key, tab, values), one a line.
golden() { awk -F'\t' -v k="$1" '$1 == k { for (i = 2; i <= NF; i++) print $i }' "$GOLD/$2.txt"; }

# close WHAT [REL [ABS]]: pairs "actual expected" on standard input agree: |actual - expected| <=
# REL |expected| + ABS (default REL 1e-9, ABS 1e-14). NA matches NA only (an actual JSON null
# counts as NA); a value that is not a number must equal R's letter for letter. A mismatch, a
# missing value or no pair at all prints FAIL lines and counts one failure.
close() {
    awk -v what="$1" -v rel="${2:-1e-9}" -v abs="${3:-1e-14}" '
        function number(x) { return x ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/ }
        NF < 2 { missing = 1; next }
        { n++; a = $1 == "null" ? "NA" : $1; e = $2
          if (!number(a) || !number(e)) { if (a != e) { print "FAIL: " what "[" n "]: " a " vs R " e; bad = 1 }; next }
          d = a - e; if (d < 0) d = -d; s = e < 0 ? -e : e
          if (d > rel * s + abs) { print "FAIL: " what "[" n "]: " a " vs R " e; bad = 1 } }
        END { if (missing || n == 0) { print "FAIL: " what ": values missing"; bad = 1 }; exit bad }' ||
        failures=$((failures + 1))
}

# An awk function: csv_split(line, f) puts the cells of a CSV line in f[1..n] and returns n; a
# quoted cell may hold commas ("" stands for one quote), the quotes are removed.
csv_split_awk='
function csv_split(line, f,   n, i, ch, q, cell) {
    split("", f)
    if (index(line, "\"") == 0) return split(line, f, ",")
    n = 0; q = 0; cell = ""
    for (i = 1; i <= length(line); i++) {
        ch = substr(line, i, 1)
        if (ch == "\"") { if (q && substr(line, i + 1, 1) == "\"") { cell = cell ch; i++ } else q = !q }
        else if (ch == "," && !q) { f[++n] = cell; cell = "" }
        else cell = cell ch
    }
    f[++n] = cell
    return n
}'

# csv_column FILE COLUMN [FILL]: the cells of the column whose header is COLUMN, one a line, quotes
# removed. Where the CSV has no such column: nothing (a comparison then finds the values missing),
# or FILL on every row when FILL is given (a column survkit leaves out where R has NA).
csv_column() {
    awk -v c="$2" -v fill="${3-}" -v has_fill="${3+1}" "$csv_split_awk"'
        NR == 1 { n = csv_split($0, f); for (i = 1; i <= n; i++) if (f[i] == c) j = i; next }
        j { csv_split($0, f); print f[j]; next }
        has_fill { print fill }' "$1"
}

# csv_values FILE FIRST [COUNT]: the cells of the columns FIRST, FIRST + 1, ... (COUNT of them, or up
# to the last), column by column: a matrix in R's column-major order.
csv_values() {
    awk -v first="$2" -v count="${3:-0}" "$csv_split_awk"'
        NR > 1 { m = csv_split($0, f); for (j = first; j <= m; j++) v[j, NR] = f[j]; if (m > last) last = m; rows = NR }
        END { if (count > 0) last = first + count - 1
              for (j = first; j <= last; j++) for (i = 2; i <= rows; i++) print v[j, i] }' "$1"
}

# compare_column CSVFILE COLUMN GOLDENKEY GOLDENFILE [OFFSET]: the CSV's COLUMN against the golden
# values, in order, with close's default tolerance. Without OFFSET both have the same length; with
# it, the golden values from OFFSET on (a column of a matrix stored by columns), as many as the CSV
# has rows.
compare_column() {
    local csv=$1 col=$2 key=$3 file=$4 offset=${5:-} rows
    rows=$(csv_column "$csv" "$col" | wc -l)
    paste -d' ' <(csv_column "$csv" "$col") \
          <(if [ -n "$offset" ]; then golden "$key" "$file" | tail -n +$((offset + 1)) | head -n "$rows"
            else golden "$key" "$file"; fi) | close "$file $col"
}

# golden_cox_call NAME: golden case NAME's coxph call (keys formula, ties, weights and dataset) as
# survkit's: formula, data ($DATASETS/DATASET.csv) and the array cox_options (--ties TIES, and
# --weights W when R had weights).
golden_cox_call() {
    local weights
    formula=$(golden formula "$1")
    data=$DATASETS/$(golden dataset "$1").csv
    weights=$(golden weights "$1")
    cox_options=(--ties "$(golden ties "$1")")
    [ -z "$weights" ] || cox_options+=(--weights "$weights")
}

# same_print_table WHAT REPORT CASE: survkit's text REPORT from the coefficient table's header (the
# line with se(coef)) on is R's print of golden CASE (key print_text) from there on, line for line.
same_print_table() {
    local what=$1 report=$2 case=$3
    golden print_text "$case" | awk '/se\(coef\)/ { on = 1 } on' > "$cli_scratch/print.R.txt"
    [ -s "$cli_scratch/print.R.txt" ] || { fail "$what: no table in R's print ($case)"; return; }
    awk '/se\(coef\)/ { on = 1 } on' "$report" | diff "$cli_scratch/print.R.txt" - > "$cli_scratch/print.diff" ||
        { fail "$what: text differs from R's print"; cat "$cli_scratch/print.diff"; }
}

# R's printed table of a penalised coxph (golden key `table`, 6 columns stored by columns): column K
# (1-based) of golden file CASE.
table_column() {
    golden table "$1" | awk -v k="$2" '{ v[NR] = $0 } END { r = NR / 6; for (i = 1; i <= r; i++) print v[(k - 1) * r + i] }'
}

# json_number KEY FILE: the first number of key KEY in the JSON file FILE.
json_number() { grep -o "\"$1\":[-0-9.e+]*" "$2" | head -1 | cut -d: -f2; }

# same_penal_columns CASE CSV: the six columns of survkit's CSV table (coef se se2 chisq df p) against
# R's printed table of golden file CASE, at 1e-9 relative.
same_penal_columns() {
    local case=$1 csv=$2 col=1 c
    for c in coef se se2 chisq df p; do
        paste -d' ' <(csv_column "$csv" $c) <(table_column "$case" $col) | close "$case $c" 1e-9 1e-300
        col=$((col + 1))
    done
}

# refused WHAT NEEDLE COMMAND...: `COMMAND... -o FILE` (a survkit call) must exit 2 with one message
# on standard error that holds the text NEEDLE (one line with "error" in it; a formula's error adds
# the formula and a caret under the place: three lines at most), and write no FILE.
refused() { refused_within 3 "$@"; }

# refused_one_line WHAT NEEDLE COMMAND...: the same, the message a single line.
refused_one_line() { refused_within 1 "$@"; }

refused_within() {
    local lines=$1 what=$2 needle=$3 out=$cli_scratch/refused.out err=$cli_scratch/refused.err status
    shift 3
    rm -f "$out"
    "$@" -o "$out" > /dev/null 2> "$err"
    status=$?
    [ $status -eq 2 ] || fail "$what: exit status $status, not 2"
    grep -qF -- "$needle" "$err" || fail "$what: the message lacks '$needle': $(cat "$err")"
    [ "$(grep -c error "$err")" -eq 1 ] && [ "$(wc -l < "$err")" -le "$lines" ] ||
        fail "$what: not one message: $(cat "$err")"
    [ ! -e "$out" ] || fail "$what: output written"
}
