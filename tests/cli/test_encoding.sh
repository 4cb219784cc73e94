#!/usr/bin/env bash
# test_encoding.sh: text that is not UTF-8 never reaches the output (issue 21, defect 6). A
# Windows-1252 export read as UTF-8 is an error at the byte's line and column that says what to
# give; with --encoding cp1252 or latin1 it is converted, as R's read.csv(fileEncoding = ...) does,
# and every output is valid UTF-8; names such as 'âge' work in formulas and print bare, as in R.
# Arguments: path-to-survkit repo-root
set -u
bin=$1
root=$2
. "$root/tests/cli/lib.sh"
cli_test_start tmp
valid_utf8() { iconv -f UTF-8 -t UTF-8 "$1" > /dev/null 2>&1; }

# Köln, München, Zürich with the euro sign: Windows-1252 bytes (0xF6, 0xFC, 0x80).
printf 'time,status,town\n1,1,K\366ln\n2,0,M\374nchen\n3,1,K\366ln\n4,1,Z\200rich\n5,0,M\374nchen\n' \
    > "$tmp/cp1252.csv"
F='Surv(time, status) ~ town'

checks=$((checks + 1))
"$bin" km -f "$F" "$tmp/cp1252.csv" > "$tmp/out" 2> "$tmp/err"
rc=$?
[ "$rc" -eq 2 ] || fail "cp1252 read as UTF-8: exit $rc, expected 2"
grep -q "cp1252.csv:2:6: byte 0xF6 is not UTF-8 text: for a file from Windows give --encoding cp1252" \
    "$tmp/err" || fail "cp1252 read as UTF-8: message: $(cat "$tmp/err")"
[ ! -s "$tmp/out" ] || fail "cp1252 read as UTF-8: wrote output"

for format in json csv text; do
    checks=$((checks + 1))
    "$bin" km -f "$F" --encoding cp1252 --format "$format" "$tmp/cp1252.csv" > "$tmp/out.$format" ||
        fail "--encoding cp1252 --format $format: exit $?"
    valid_utf8 "$tmp/out.$format" || fail "--encoding cp1252 --format $format: output is not UTF-8"
    grep -q 'town=Köln' "$tmp/out.$format" || fail "--encoding cp1252 --format $format: no Köln"
    grep -q 'town=Z€rich' "$tmp/out.$format" || fail "--encoding cp1252 --format $format: 0x80 is not €"
done
checks=$((checks + 1))
"$bin" km -f "$F" --encoding latin1 --format json "$tmp/cp1252.csv" > "$tmp/latin1.json" ||
    fail "--encoding latin1: exit $?"
valid_utf8 "$tmp/latin1.json" || fail "--encoding latin1: output is not UTF-8"
grep -q 'town=München' "$tmp/latin1.json" || fail "--encoding latin1: no München"
# A byte Windows-1252 leaves undefined is an error at its place.
printf 'time,status,town\n1,1,ok\n2,0,a\201b\n' > "$tmp/undefined.csv"
checks=$((checks + 1))
"$bin" km -f "$F" --encoding cp1252 "$tmp/undefined.csv" > /dev/null 2> "$tmp/err"
[ $? -eq 2 ] && grep -q 'undefined.csv:3:6: byte 0x81 is not a character in Windows-1252' "$tmp/err" ||
    fail "undefined cp1252 byte: $(cat "$tmp/err")"
checks=$((checks + 1))
"$bin" km -f "$F" --encoding ebcdic "$tmp/cp1252.csv" > /dev/null 2> "$tmp/err"
[ $? -eq 2 ] && grep -q -e "--encoding takes utf-8, latin1 or cp1252, not 'ebcdic'" "$tmp/err" ||
    fail "unknown encoding: $(cat "$tmp/err")"

# UTF-8 names in formulas, printed bare as R prints them (coxph(Surv(time, status) ~ âge + région)
# names its coefficients âge and régionSud).
printf 'time,status,\303\242ge,r\303\251gion\n1,1,50,Nord\n2,0,60,Sud\n3,1,55,Nord\n4,1,70,Sud\n5,0,65,Nord\n6,1,40,Sud\n' \
    > "$tmp/names.csv"
checks=$((checks + 1))
"$bin" cox -f 'Surv(time, status) ~ âge + région' --format json "$tmp/names.csv" > "$tmp/names.json" ||
    fail "UTF-8 names: exit $?"
grep -q '"name":"âge"' "$tmp/names.json" && grep -q '"name":"régionSud"' "$tmp/names.json" ||
    fail "UTF-8 names: $(grep -o '"name":"[^"]*"' "$tmp/names.json" | tr '\n' ' ')"
# a formula error after a UTF-8 name: the caret counts characters
checks=$((checks + 1))
"$bin" cox -f 'Surv(time, status) ~ âge + )' "$tmp/names.csv" 2> "$tmp/err" > /dev/null
grep -q 'at character 28' "$tmp/err" && [ "$(sed -n 3p "$tmp/err")" = "$(printf '  %27s^' '')" ] ||
    fail "caret after a UTF-8 name: $(cat "$tmp/err")"

cli_test_counts test_encoding
