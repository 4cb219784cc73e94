# lib.sh: helpers the CLI test scripts share (sourced, not a test: ctest runs test_*.sh only).
# The sourcing script sets GOLD (a tests/golden/<module> folder) and `failures=0`, and defines fail().

# golden KEY FILE: the values of KEY in $GOLD/FILE.txt (a golden file: key, tab, values), one a line.
golden() { awk -F'\t' -v k="$1" '$1 == k { for (i = 2; i <= NF; i++) print $i }' "$GOLD/$2.txt"; }

# compare_column CSVFILE COLUMN GOLDENKEY GOLDENFILE [OFFSET]: the CSV's COLUMN against the golden
# values, in order, at 1e-9 relative (NA only where R has NA). Without OFFSET both have the same
# length; with it, the golden values from OFFSET on (a column of a matrix stored by columns), as many
# as the CSV has rows. A mismatch or a missing value counts one failure.
compare_column() {
    local csv=$1 col=$2 key=$3 file=$4 offset=${5:-}
    local rows=$(($(wc -l < "$csv") - 1))
    paste <(awk -F, -v c="$col" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) j = i; next }
                                  { print $j }' "$csv") \
          <(if [ -n "$offset" ]; then golden "$key" "$file" | tail -n +$((offset + 1)) | head -n "$rows"
            else golden "$key" "$file"; fi) |
    awk -F'\t' -v what="$file $col" '
        $1 == "" || $2 == "" { missing = 1; next }
        { n++; a = $1; e = $2
          if (a == "NA" || e == "NA") { if (a != e) { print "FAIL: " what ": " a " vs " e; bad = 1 }; next }
          d = a - e; if (d < 0) d = -d; s = e < 0 ? -e : e
          if (d > 1e-9 * s + 1e-14) { print "FAIL: " what ": " a " vs R " e; bad = 1 } }
        END { if (missing || n == 0) { print "FAIL: " what ": values missing"; bad = 1 }; exit bad }' ||
        failures=$((failures + 1))
}

# close WHAT [ABS]: pairs "actual expected" on standard input, 1e-8 relative or ABS absolute
# (default 1e-12; NA matches NA).
close() {
    awk -v what="$1" -v abs="${2:-1e-12}" '
        NF < 2 { missing = 1; next }
        { n++; a = $1; e = $2
          if (a == "NA" || e == "NA") { if (a != e) { print "FAIL: " what ": " a " vs " e; bad = 1 }; next }
          d = a - e; if (d < 0) d = -d; s = e < 0 ? -e : e
          if (d > 1e-8 * s + abs) { print "FAIL: " what ": " a " vs R " e; bad = 1 } }
        END { if (missing || n == 0) { print "FAIL: " what ": values missing"; bad = 1 }; exit bad }' ||
        failures=$((failures + 1))
}

# csv_column FILE COLUMN: a column of a CSV with a header (a quoted first cell may hold commas).
csv_column() {
    sed 's/^"[^"]*"/x/' "$1" | awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) { gsub(/"/, "", $i); if ($i == c) j = i }; next } { print $j }'
}

# R's printed table of a penalised coxph (golden key `table`, 6 columns stored by columns): column K
# (1-based) of golden file CASE.
table_column() {
    golden table "$1" | awk -v k="$2" '{ v[NR] = $0 } END { r = NR / 6; for (i = 1; i <= r; i++) print v[(k - 1) * r + i] }'
}
