#!/usr/bin/env bash
# test_zph.sh: `survkit zph` end to end against R's cox.zph. Arguments: path-to-survkit repo-root.
# The table (CSV and JSON), the text (R's print), the scaled residuals CSV, --model, errors.
set -u
SURVKIT=$1
ROOT=$2
. "$ROOT/tests/cli/diag_lib.sh"
cli_test_start TMP

LUNG='Surv(time, status) ~ age + sex + ph.ecog'
for tr in km rank identity log; do
    "$SURVKIT" zph -f "$LUNG" --transform $tr --format csv --quiet "$DATA/lung.csv" > "$TMP/t.csv" ||
        fail "lung $tr exit status"
    compare_column "$TMP/t.csv" chisq chisq "zph_lung_$tr"
    compare_column "$TMP/t.csv" p p "zph_lung_$tr"
done

# Text as R prints it (print.cox.zph), factor as one row with 3 df.
"$SURVKIT" zph -f 'Surv(time, status) ~ karno + celltype' --quiet "$DATA/veteran.csv" > "$TMP/v.txt" ||
    fail "veteran exit status"
golden text zph_veteran_factor_km > "$TMP/v_expected.txt"
diff "$TMP/v_expected.txt" "$TMP/v.txt" > /dev/null || { fail "veteran text differs from R"; diff "$TMP/v_expected.txt" "$TMP/v.txt"; }
"$SURVKIT" zph -f "$LUNG" --quiet "$DATA/lung.csv" > "$TMP/l.txt"
golden text zph_lung_km | diff - "$TMP/l.txt" > /dev/null || fail "lung text differs from R"

# JSON per the contract: command, transform, rows with name, chisq, df, p.
"$SURVKIT" zph -f 'Surv(time, status) ~ karno + celltype' --format json --quiet \
    "$DATA/veteran.csv" > "$TMP/v.json" || fail "json exit status"
grep -q '"command":"zph","transform":"km","rows":\[{"name":"karno","chisq":' "$TMP/v.json" ||
    fail "zph JSON shape"
grep -q '{"name":"celltype","chisq":[0-9.e+-]*,"df":3,"p":' "$TMP/v.json" || fail "factor row in JSON"
grep -q '{"name":"GLOBAL","chisq":[0-9.e+-]*,"df":4,"p":' "$TMP/v.json" || fail "GLOBAL row in JSON"
sed 's/.*"celltype","chisq":\([^,]*\),.*/\1/' "$TMP/v.json" > "$TMP/c"
paste -d' ' "$TMP/c" <(golden chisq zph_veteran_factor_km | sed -n 2p) | close "celltype chisq (JSON)"

# Counting process, weights, strata; the scaled residuals for plotting.
"$SURVKIT" zph -f 'Surv(start, stop, event) ~ age + year + surgery + transplant' --transform rank \
    --format csv --residuals "$TMP/r.csv" --quiet "$DATA/heart.csv" > "$TMP/h.csv" || fail "heart exit"
compare_column "$TMP/h.csv" chisq chisq zph_heart_counting_rank
compare_column "$TMP/r.csv" transformed_time x zph_heart_counting_rank
paste -d' ' <(tail -n +2 "$TMP/r.csv" | cut -d, -f3-6 | tr ',' '\n') \
    <(golden y zph_heart_counting_rank | awk '{ v[NR] = $1 } END { n = NR / 4; for (i = 1; i <= n; i++) for (j = 0; j < 4; j++) print v[i + j * n] }') |
    close "heart scaled residuals"
"$SURVKIT" zph -f 'Surv(time, status) ~ age + sex + disease' --weights frail --format csv --quiet \
    "$DATA/kidney.csv" > "$TMP/k.csv" || fail "kidney exit"
compare_column "$TMP/k.csv" chisq chisq zph_kidney_weights_km
"$SURVKIT" zph -f 'Surv(time, status) ~ age + ph.ecog + strata(sex)' --format csv --quiet \
    "$DATA/lung.csv" > "$TMP/s.csv" || fail "strata exit"
compare_column "$TMP/s.csv" chisq chisq zph_lung_strata_km
"$SURVKIT" zph -f "$LUNG" --ties breslow --format csv --quiet "$DATA/lung.csv" > "$TMP/b.csv"
compare_column "$TMP/b.csv" chisq chisq zph_lung_breslow_km

# From a saved model with its data: the same table.
"$SURVKIT" cox -f "$LUNG" --save "$TMP/lung.json" --quiet "$DATA/lung.csv" > /dev/null || fail "cox --save"
"$SURVKIT" zph --model "$TMP/lung.json" --format csv --quiet "$DATA/lung.csv" > "$TMP/m.csv" ||
    fail "zph --model exit"
compare_column "$TMP/m.csv" chisq chisq zph_lung_km

# Errors: exit 2, one message, no output file.
"$SURVKIT" zph -f "$LUNG" --transform sqrt -o "$TMP/none" "$DATA/lung.csv" 2> "$TMP/err"
[ $? -eq 2 ] || fail "bad transform: exit status"
[ ! -e "$TMP/none" ] || fail "bad transform: output written"
grep -q "transform" "$TMP/err" || fail "bad transform: message"
echo '{"format": "survkit-model", "version": 7}' > "$TMP/v7.json"
"$SURVKIT" zph --model "$TMP/v7.json" "$DATA/lung.csv" 2> "$TMP/err"
[ $? -eq 2 ] || fail "model version: exit status"
grep -q "version 7" "$TMP/err" || fail "model version: message ($(cat "$TMP/err"))"

[ $failures -eq 0 ] && echo "all zph checks passed"
exit $((failures > 0))
