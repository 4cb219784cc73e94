#!/usr/bin/env bash
# test_cox.sh: `survkit cox` end to end against R's coxph. Arguments: path-to-survkit repo-root.
# Expected numbers are read from tests/golden/cox/*.txt (written by tests/golden/make_golden_cox.R;
# each file's first line is the R call), compared at 1e-9 relative.
set -u
SURVKIT=$1
ROOT=$2
DATA=$ROOT/datasets
GOLD=$ROOT/tests/golden/cox
. "$ROOT/tests/cli/lib.sh"
cli_test_start TMP

# Efron, Breslow and exact on lung.
for ties in efron breslow exact; do
    "$SURVKIT" cox -f 'Surv(time, status) ~ age + sex + ph.ecog' --ties $ties --format csv \
        "$DATA/lung.csv" > "$TMP/lung_$ties.csv" 2> "$TMP/err" || fail "lung $ties exit status"
    compare_column "$TMP/lung_$ties.csv" coef coef "lung_$ties"
    compare_column "$TMP/lung_$ties.csv" se summary_coef "lung_$ties" 6
done

# Text report laid out as R's print(summary(coxph)), from the "n=" line on.
"$SURVKIT" cox -f 'Surv(time, status) ~ age + sex + ph.ecog' "$DATA/lung.csv" > "$TMP/lung.txt" ||
    fail "lung text exit status"
# (The golden fit saw lung without its one incomplete row; R on the whole file adds the line.)
golden summary_text lung_efron | sed -n '/^  n=/,$p' > "$TMP/expected.txt"
sed -n '/^  n=/,$p' "$TMP/lung.txt" | grep -v '^   (1 observation deleted' > "$TMP/actual.txt"
diff "$TMP/expected.txt" "$TMP/actual.txt" > "$TMP/diff" || { fail "lung text differs from R"; cat "$TMP/diff"; }
grep -qx '   (1 observation deleted due to missingness)' "$TMP/lung.txt" || fail "dropped row not reported"
grep -qx 'coxph(formula = Surv(time, status) ~ age + sex + ph.ecog, data = lung)' "$TMP/lung.txt" ||
    fail "Call line differs from R's"

# Counting process with cluster(id): robust variance.
"$SURVKIT" cox -f 'Surv(start, stop, event) ~ age + year + surgery + transplant + cluster(id)' \
    --format csv "$DATA/heart.csv" > "$TMP/heart.csv" || fail "heart exit status"
compare_column "$TMP/heart.csv" coef coef heart_cluster
compare_column "$TMP/heart.csv" robust_se summary_coef heart_cluster 12

# rats: --robust alone (one cluster per row).
"$SURVKIT" cox -f 'Surv(time, status) ~ rx + sex' --robust --format csv "$DATA/rats.csv" \
    > "$TMP/rats.csv" || fail "rats exit status"
compare_column "$TMP/rats.csv" robust_se summary_coef rats_robust 6

# Strata and fractional weights (R then uses the robust variance by default).
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "w_frac"; next } { print $0, 0.5 + ($1 % 4) / 4 }' \
    "$DATA/pbc.csv" | awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next } { $3 = ($3 == 2) ? 1 : 0; print }' \
    > "$TMP/pbc.csv"
"$SURVKIT" cox -f 'Surv(time, status) ~ age + log(bili) + albumin + strata(edema)' --ties breslow \
    --weights w_frac --format csv "$TMP/pbc.csv" > "$TMP/pbc_out.csv" || fail "pbc exit status"
compare_column "$TMP/pbc_out.csv" coef coef pbc_frac_weights

# Offset.
"$SURVKIT" cox -f 'Surv(futime, fustat) ~ rx + ecog.ps + offset(log(age))' --format csv \
    "$DATA/ovarian.csv" > "$TMP/ov.csv" || fail "ovarian exit status"
compare_column "$TMP/ov.csv" coef coef ovarian_offset

# --init and a small --iter-max: R's iterate, the warning on stderr, exit status 0.
"$SURVKIT" cox -f 'Surv(time, status) ~ age + sex + ph.ecog' --iter-max 2 --format json \
    "$DATA/lung.csv" > "$TMP/iter2.json" 2> "$TMP/iter2.err" || fail "iter-max 2 exit status"
grep -q "Ran out of iterations and did not converge" "$TMP/iter2.err" || fail "no convergence warning"
grep -q '"iterations": *3' "$TMP/iter2.json" || fail "iterations should be 3 as in R"
"$SURVKIT" cox -f 'Surv(time, status) ~ age + sex + ph.ecog' --init 0.02,-0.3,0.2 --format csv \
    "$DATA/lung.csv" > "$TMP/init.csv" || fail "init exit status"
compare_column "$TMP/init.csv" coef coef lung_init

# Usage errors: exit 2, nothing written to the output file.
"$SURVKIT" cox -f 'Surv(time, status) ~ age' --ties bogus "$DATA/lung.csv" > /dev/null 2>&1
[ $? -eq 2 ] || fail "--ties bogus should exit 2"
"$SURVKIT" cox -f 'Surv(time, status) ~ nosuchcolumn' -o "$TMP/out.txt" "$DATA/lung.csv" 2> /dev/null
[ $? -eq 2 ] || fail "unknown column should exit 2"
[ ! -e "$TMP/out.txt" ] || fail "output file written after an error"
"$SURVKIT" cox -f 'Surv(time, status) ~ age + sex' --init 1 "$DATA/lung.csv" > /dev/null 2>&1
[ $? -eq 2 ] || fail "--init of the wrong length should exit 2"

if [ $failures -gt 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "all cox CLI checks passed"
