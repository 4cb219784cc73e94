#!/usr/bin/env bash
# test_readers.sh: km, cox, describe and convert on SPSS, Stata and SAS files and on gzip/zstd CSV.
# Arguments: path-to-survkit repo-root. The fixtures in tests/data/readers/ were written by haven and
# gzip/zstd (tests/data/readers/make_readers_data.R); the expected numbers come from R reading the
# same files (tests/golden/readers/*.txt, written by tests/golden/make_golden_readers.R: haven's
# read_* with droplevels(as_factor(x)), then coxph and survfit), compared at 1e-9 relative.
set -u
SURVKIT=$1
ROOT=$2
FIX=$ROOT/tests/data/readers
GOLD=$ROOT/tests/golden/readers
. "$ROOT/tests/cli/lib.sh"
cli_test_start TMP

COX='Surv(time, status) ~ age + sex + ecog + wt_loss + site'
KM='Surv(I(exit - entry), status) ~ sex'
# name:fixture of every statistics file (the golden files are tests/golden/readers/NAME.txt)
STATISTICS_FILES='sav:lung.sav zsav:lung.zsav por:lung.por dta:lung.dta dta_v8:lung_v8.dta dta_v11:lung_v11.dta
                  dta_v13:lung_v13.dta dta_v15:lung_v15.dta xpt:lung.xpt xpt_v8:lung_v8.xpt sas7bdat:lung.sas7bdat'
for case in $STATISTICS_FILES; do
    name=${case%%:*}
    file=$FIX/${case#*:}
    "$SURVKIT" cox -f "$COX" --format csv "$file" > "$TMP/$name.cox.csv" 2> "$TMP/err" ||
        { fail "$name: cox exit status"; cat "$TMP/err"; continue; }
    compare_column "$TMP/$name.cox.csv" coef cox_coef "$name"
    [ "$(awk -F, 'NR > 1 { print $1 }' "$TMP/$name.cox.csv" | tr -d '"' | paste -sd' ')" = \
      "$(golden cox_names "$name" | paste -sd' ')" ] || fail "$name: coefficient names differ from R's"
    "$SURVKIT" km -f "$KM" --format csv "$file" > "$TMP/$name.km.csv" || fail "$name: km exit status"
    compare_column "$TMP/$name.km.csv" surv km_surv "$name"
    compare_column "$TMP/$name.km.csv" std_err km_std_err "$name"
    [ "$(awk -F, 'NR > 1 { print $1 }' "$TMP/$name.km.csv" | tr -d '"' | uniq | paste -sd'|')" = \
      "$(golden km_strata "$name" | paste -sd'|')" ] || fail "$name: km strata differ from R's"
done

# Compressed CSV: the same numbers as R on the decompressed file, and the same output as survkit
# on the plain CSV.
for case in csv_gz:lung.csv.gz tsv_gz:lung.tsv.gz csv_zst:lung.csv.zst; do
    name=${case%%:*}
    file=$FIX/${case#*:}
    "$SURVKIT" cox -f 'Surv(time, status) ~ age + sex + ph.ecog + wt.loss' --format csv "$file" \
        > "$TMP/$name.cox.csv" 2> /dev/null || { fail "$name: cox exit status"; continue; }
    compare_column "$TMP/$name.cox.csv" coef cox_coef "$name"
    "$SURVKIT" cox -f 'Surv(time, status) ~ age + sex + ph.ecog + wt.loss' --format csv \
        "$ROOT/datasets/lung.csv" > "$TMP/plain.cox.csv" 2> /dev/null
    cmp -s "$TMP/plain.cox.csv" "$TMP/$name.cox.csv" || fail "$name: cox differs from the plain CSV's"
    "$SURVKIT" km -f 'Surv(time, status) ~ sex' --format csv "$file" > "$TMP/$name.km.csv" ||
        fail "$name: km exit status"
    compare_column "$TMP/$name.km.csv" surv km_surv "$name"
done

# --no-labels: the codes, as numbers (km groups sex=1, sex=2).
"$SURVKIT" km -f 'Surv(time, status) ~ sex' --no-labels --format csv "$FIX/lung.dta" > "$TMP/codes.csv" ||
    fail "--no-labels exit status"
[ "$(awk -F, 'NR > 1 { print $1 }' "$TMP/codes.csv" | tr -d '"' | uniq | paste -sd' ')" = "sex=1 sex=2" ] ||
    fail "--no-labels: groups are not the codes"

# describe: variable labels, value labels, a factor's levels in code order.
"$SURVKIT" describe "$FIX/lung.sav" > "$TMP/describe.txt" || fail "describe exit status"
grep -q '^  age  *Age in years$' "$TMP/describe.txt" || fail "describe: no variable label for age"
grep -q '^ *9 = Unknown$' "$TMP/describe.txt" || fail "describe: no value label 9 = Unknown"
grep -q '^sex: 2 levels, 0 missing (factor from value labels' "$TMP/describe.txt" ||
    fail "describe: sex is not a factor of 2 levels"
[ "$(sed -n '/^ecog: /,/^[^ ]/p' "$TMP/describe.txt" | sed -n '2,5p' | awk '{ print $1 }' | paste -sd' ')" = \
  "asymptomatic ambulatory in 3" ] || fail "describe: ecog's levels are not in code order"
"$SURVKIT" describe --format json "$FIX/lung.dta" > "$TMP/describe.json" || fail "describe json exit status"
grep -q '"label": *"Sex of the patient"' "$TMP/describe.json" || fail "describe json: no variable label"
grep -q '"value_labels"' "$TMP/describe.json" || fail "describe json: no value labels"

# convert: the CSV gives the same fit as the original (numeric terms: a factor's order is the
# labels' in the original and sorted in a CSV).
"$SURVKIT" convert "$FIX/lung.dta" -o "$TMP/lung.csv" || fail "convert exit status"
head -1 "$TMP/lung.csv" | grep -qx '"time","status","age","sex","ecog","karno","site","entry","exit","entry_dt","exit_dt","wt_loss"' ||
    fail "convert: header"
sed -n 2p "$TMP/lung.csv" | grep -qx '306,2,74,"Male","ambulatory",90,"south",11403,11709,984648600.5,1011087000.5,NA' ||
    fail "convert: first row is $(sed -n 2p "$TMP/lung.csv")"
for f in "$FIX/lung.dta" "$TMP/lung.csv"; do
    "$SURVKIT" cox -f 'Surv(I(exit - entry), status) ~ age + karno + wt_loss' --format csv "$f" \
        > "$TMP/convert_$(basename "$f").csv" 2> /dev/null || fail "cox on $f"
done
cmp -s "$TMP/convert_lung.dta.csv" "$TMP/convert_lung.csv.csv" || fail "convert: the CSV fits differently"
# ... and every statistics file converts to the bytes R writes: write.csv of haven's reading
# (tests/golden/readers/convert_*.csv, make_golden_readers.R).
for case in $STATISTICS_FILES; do
    name=${case%%:*}
    "$SURVKIT" convert "$FIX/${case#*:}" -o "$TMP/convert_$name.csv" 2> /dev/null ||
        { fail "convert $name: exit status"; continue; }
    cmp -s "$TMP/convert_$name.csv" "$GOLD/convert_$name.csv" || fail "convert $name: not R's write.csv bytes"
done
"$SURVKIT" convert --format json "$FIX/lung.dta" > /dev/null 2>&1
[ $? -eq 2 ] || fail "convert --format json: exit status not 2"

# Damaged and mislabelled files: exit 2, one message naming the file, no output file.
head -c 10000 "$FIX/lung.dta" > "$TMP/cut.dta"
cp "$FIX/lung.sav" "$TMP/spss.dta"
head -c 1000 "$FIX/lung.csv.gz" > "$TMP/cut.csv.gz"
cp "$FIX/lung.csv.zst" "$TMP/zstd.csv"
for bad in cut.dta spss.dta cut.csv.gz zstd.csv; do
    "$SURVKIT" cox -f "$COX" -o "$TMP/out.txt" "$TMP/$bad" 2> "$TMP/err"
    status=$?
    [ $status -eq 2 ] || fail "$bad: exit status $status, not 2"
    [ "$(wc -l < "$TMP/err")" -eq 1 ] || fail "$bad: not one line of error: $(cat "$TMP/err")"
    grep -q "$TMP/$bad: " "$TMP/err" || fail "$bad: the message does not name the file: $(cat "$TMP/err")"
    [ ! -e "$TMP/out.txt" ] || fail "$bad: an output file was written"
done
grep -q "the extension .csv says delimited text, but the file's first bytes are those of zstd data" "$TMP/err" ||
    fail "mislabelled zstd: $(cat "$TMP/err")"

# A bad value in a statistics file is named by its data row and column (there are no text lines):
# lung.csv's fifth row has wt.loss 0, not a valid case weight.
"$SURVKIT" cox -f 'Surv(time, status) ~ age' --weights wt_loss "$FIX/lung.dta" 2> "$TMP/err"
[ $? -eq 2 ] || fail "bad weight: exit status not 2"
grep -q "lung.dta: row 5, column 12: " "$TMP/err" || fail "bad weight: $(cat "$TMP/err")"

if [ $failures -gt 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "all reader checks passed"
