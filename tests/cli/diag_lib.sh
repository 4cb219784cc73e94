# diag_lib.sh: helpers of the diagnostics CLI tests (sourced). Expected numbers come from
# tests/golden/diag/*.txt (written by tests/golden/make_golden_diag.R; the first lines of each
# file are the R calls).
GOLD=$ROOT/tests/golden/diag
DATA=$ROOT/datasets
failures=0
# the checks run as the last element of pipelines: keep their failure count in this shell
shopt -s lastpipe
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# golden KEY FILE: the values of KEY in tests/golden/diag/FILE.txt, one per line.
golden() { awk -F'\t' -v k="$1" '$1 == k { for (i = 2; i <= NF; i++) print $i }' "$GOLD/$2.txt"; }

# csv_column CSV COLUMN: the values of a column (by header name, quotes removed), one per line.
csv_column() {
    awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) { h = $i; gsub(/"/, "", h); if (h == c) j = i }; next }
                       j { v = $j; gsub(/"/, "", v); print v }' "$1"
}

# same_numbers WHAT: two columns on stdin (actual, expected) agree to 1e-9 relative (NA = NA).
same_numbers() {
    awk -v what="$1" '
        { n++; a = $1; e = $2
          if (a == "" || e == "") { print "FAIL: " what ": a value is missing"; bad = 1; next }
          if (a == "NA" || e == "NA") { if (a != e) { print "FAIL: " what ": " a " vs R " e; bad = 1 }; next }
          d = a - e; if (d < 0) d = -d; s = e < 0 ? -e : e
          if (d > 1e-9 * s + 1e-13) { print "FAIL: " what "[" n "]: " a " vs R " e; bad = 1 } }
        END { if (n == 0) { print "FAIL: " what ": no values"; bad = 1 }; exit bad }' ||
        failures=$((failures + 1))
}

# compare CSV COLUMN KEY FILE: a CSV column against a golden vector (same length).
compare() {
    local got want
    got=$(csv_column "$1" "$2" | wc -l); want=$(golden "$3" "$4" | wc -l)
    [ "$got" = "$want" ] || fail "$4 $2: $got values, R has $want"
    paste -d' ' <(csv_column "$1" "$2") <(golden "$3" "$4") | same_numbers "$4 $2"
}
