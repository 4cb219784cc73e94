#!/usr/bin/env bash
# test_describe.sh: `survkit describe` against R's summary() (tests/golden/io/describe_*.txt, written
# by tests/golden/make_golden_io.R from read.csv("datasets/NAME.csv")), its output formats, standard
# input, and the exit status and message of a malformed file.
# Arguments: path-to-survkit repo-root
set -u
survkit=$1
root=$2
. "$root/tests/cli/lib.sh"
cli_test_start tmp

# Compare `describe --format csv` with a golden file at 1e-9 relative; prints the number of values
# checked, or FAIL lines.
compare_with_r() {
    local name=$1
    "$survkit" describe --format csv "$root/datasets/$name.csv" > "$tmp/$name.csv" || { fail "$name: exit $?"; return; }
    tr ',' '\t' < "$tmp/$name.csv" |
    awk -F'\t' -v name="$name" '
        function close_enough(a, b) {
            if (a == "NA" || b == "NA") return a == b
            d = a - b; if (d < 0) d = -d
            m = b < 0 ? -b : b
            return d <= 1e-9 * m || d == 0
        }
        FNR == NR { if ($1 ~ /^#/) next; for (i = 2; i <= NF; i++) g[$1, i - 1] = $i; len[$1] = NF - 1; next }
        FNR == 1 { next }   # the CSV header
        {
            col = $1; type = $2; missing = $3; stat = $4; value = $5
            if (type == "numeric") {
                k = (stat == "min") ? 1 : (stat == "q1") ? 2 : (stat == "median") ? 3 : (stat == "mean") ? 4 : (stat == "q3") ? 5 : 6
                if (!((col, k) in g)) { print "FAIL: " name ": no R value for " col " " stat; next }
                if (!close_enough(value, g[col, k])) print "FAIL: " name ": " col " " stat " is " value ", R says " g[col, k]
                if (missing != g[col, 7]) print "FAIL: " name ": " col " has " missing " missing, R says " g[col, 7]
                seen[col]++
            } else {
                k = ++level[col]
                if (stat != g[col "@levels", k]) print "FAIL: " name ": " col " level " k " is " stat ", R says " g[col "@levels", k]
                if (value != g[col "@counts", k]) print "FAIL: " name ": " col " count of " stat " is " value ", R says " g[col "@counts", k]
                if (missing != g[col "@counts", len[col "@levels"] + 1]) print "FAIL: " name ": " col " missing " missing
                seen[col]++
            }
            checked++
        }
        END {
            for (i = 1; i <= len["names"]; i++) {
                col = g["names", i]
                want = ((col "@levels", 1) in g) ? len[col "@levels"] : 6
                if (seen[col] != want) print "FAIL: " name ": column " col " has " seen[col] " rows, expected " want
            }
            print checked
        }' "$root/tests/golden/io/describe_$name.txt" - > "$tmp/$name.check"
    if grep -q FAIL "$tmp/$name.check"; then fail "$(grep FAIL "$tmp/$name.check")"; fi
    local checked
    checked=$(tail -n 1 "$tmp/$name.check")
    [ "${checked:-0}" -gt 20 ] || fail "$name: only ${checked:-0} values compared"
}
for name in lung veteran flchain pbc; do compare_with_r "$name"; done

# Text output, laid out like R's print(summary(lung$time)): 5.0 166.8 255.5 305.2 396.5 1022.0
"$survkit" describe "$root/datasets/lung.csv" > "$tmp/lung.txt" || fail "text: exit $?"
grep -Eq '^time +5\.0 +166\.8 +255\.5 +305\.2 +396\.5 +1022\.0 +0$' "$tmp/lung.txt" || fail "text: time row"
# summary(lung$wt.loss): -24.000 0.000 7.000 9.832 15.750 68.000, 14 NA's
grep -Eq '^wt\.loss +-24\.000 +0\.000 +7\.000 +9\.832 +15\.750 +68\.000 +14$' "$tmp/lung.txt" || fail "text: wt.loss row"
grep -q '^datasets/lung.csv: 228 rows, 10 columns$' <(cd "$root" && "$survkit" describe datasets/lung.csv) || fail "text: header line"
# table(veteran$celltype): adeno 27, large 27, smallcell 48, squamous 35
"$survkit" describe "$root/datasets/veteran.csv" > "$tmp/veteran.txt"
grep -Eq '^  smallcell +48$' "$tmp/veteran.txt" || fail "text: veteran levels"

# JSON: the contract's keys.
"$survkit" describe --format json "$root/datasets/veteran.csv" > "$tmp/veteran.json" || fail "json: exit $?"
grep -q '^{"command":"describe",.*"n_rows":137,.*"columns":\[{"name":"trt","type":"numeric","missing":0,"min":1,' "$tmp/veteran.json" || fail "json: shape"
grep -q '{"name":"celltype","type":"string","missing":0,"n_levels":4,"levels":\[{"level":"adeno","count":27},' "$tmp/veteran.json" || fail "json: levels"

# Standard input and -o give the same bytes.
"$survkit" describe --format csv -o "$tmp/stdin.csv" - < "$root/datasets/lung.csv" || fail "stdin: exit $?"
cmp -s "$tmp/stdin.csv" "$tmp/lung.csv" || fail "stdin: output differs from the file's"

# A ragged row: exit 2, file:line:column on stderr, no output file.
printf 'a,b,c\n1,2,3\n4,5,6,7\n' > "$tmp/ragged.csv"
"$survkit" describe -o "$tmp/out.txt" "$tmp/ragged.csv" 2> "$tmp/err.txt"
status=$?
[ "$status" -eq 2 ] || fail "ragged: exit status $status, expected 2"
grep -q "ragged.csv:3:7: row has 4 fields but the header has 3" "$tmp/err.txt" || fail "ragged: message: $(cat "$tmp/err.txt")"
[ ! -e "$tmp/out.txt" ] || fail "ragged: an output file was written"
[ -z "$(ls "$tmp" | grep 'out.txt.tmp')" ] || fail "ragged: a temporary file was left"

# A missing file and a directory: exit 2 with the name.
"$survkit" describe "$tmp/none.csv" 2> "$tmp/err.txt"; status=$?
[ "$status" -eq 2 ] && grep -q "none.csv: cannot open: No such file" "$tmp/err.txt" || fail "missing file: $status $(cat "$tmp/err.txt")"
"$survkit" describe "$tmp" 2> "$tmp/err.txt"; status=$?
[ "$status" -eq 2 ] && grep -q "is a directory" "$tmp/err.txt" || fail "directory: $status $(cat "$tmp/err.txt")"

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "describe: all checks passed"
