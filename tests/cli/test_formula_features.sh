#!/usr/bin/env bash
# test_formula_features.sh: formula features through the command line. Expected values are R's,
# from tests/golden/formula_features/ (make_golden_formula_features.R):
#   the reference level of a string column in R's UTF-8 order and with --collate C (R's
#   LC_COLLATE=C): lung_strings_utf8.txt, lung_strings_c.txt; a saved model keeps its collation;
#   poly() and ns() saved with --save and used by predict on new data (R's predict(fit, newdata,
#   type = "lp") with the fit's coefficients and knots): veteran_ns.txt, veteran_dot_poly.txt;
#   bad --collate values and a misplaced '.' exit with status 2.
set -u
bin="$1"; root="$2"
. "$root/tests/cli/km_lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
g="$root/tests/golden/formula_features"
golden() { awk -F'\t' -v k="$2" '$1 == k { for (i = 2; i <= NF; i++) print $i }' "$g/$1.txt"; }

# reference levels: the first coefficient name and value under each order
for order in utf8 c; do
    case $order in utf8) flag=() ;; c) flag=(--collate C) ;; esac
    "$bin" cox -f "$(golden lung_strings_$order formula)" "${flag[@]}" --format csv \
        "$g/lung_strings.csv" > "$tmp/$order.csv" 2> "$tmp/err" || fail "cox $order: $(cat "$tmp/err")"
    mapfile -t names < <(golden lung_strings_$order names)
    mapfile -t coef < <(golden lung_strings_$order coef)
    for k in "${!names[@]}"; do
        line=$(awk -F, -v r=$((k + 2)) 'NR == r' "$tmp/$order.csv")
        [ "${line%%,*}" = "\"${names[k]}\"" ] || fail "$order: term $((k + 1)) is ${line%%,*}, R has ${names[k]}"
        value=$(echo "$line" | awk -F, '{ print $2 }')
        assert_close "$value" "${coef[k]}" "$order ${names[k]}"
    done
done

# a model fitted with --collate C records it: residuals --model code the data as the fit did
# (dfbeta depends on the reference levels), and --collate with --model is refused
f=$(golden lung_strings_c formula)
"$bin" cox -f "$f" --collate C --save "$tmp/c.json" "$g/lung_strings.csv" > /dev/null 2>&1 || fail "cox --collate C --save"
grep -q '"collate": "C"' "$tmp/c.json" || fail "model file lacks its collation"
"$bin" residuals --quiet --type dfbeta --model "$tmp/c.json" "$g/lung_strings.csv" > "$tmp/model.txt" || fail "residuals --model"
"$bin" residuals --quiet --type dfbeta -f "$f" --collate C "$g/lung_strings.csv" > "$tmp/c.txt" || fail "residuals --collate C"
"$bin" residuals --quiet --type dfbeta -f "$f" "$g/lung_strings.csv" > "$tmp/utf8.txt" || fail "residuals"
cmp -s "$tmp/model.txt" "$tmp/c.txt" || fail "residuals --model differ from -f ... --collate C"
! cmp -s "$tmp/c.txt" "$tmp/utf8.txt" || fail "dfbeta do not depend on the collation"
"$bin" residuals --collate C --model "$tmp/c.json" "$g/lung_strings.csv" > /dev/null 2> "$tmp/err"
[ $? -eq 2 ] || fail "--collate with --model: status"

# poly() and ns() through a saved model and predict on new data
for case in veteran_ns veteran_dot_poly; do
    "$bin" cox -f "$(golden $case formula)" --save "$tmp/$case.json" "$root/datasets/veteran.csv" \
        > /dev/null 2> "$tmp/err" || fail "cox $case --save: $(cat "$tmp/err")"
    "$bin" predict --model "$tmp/$case.json" --newdata "$g/veteran_new.csv" --format csv \
        > "$tmp/pred.csv" 2> "$tmp/err" || fail "predict $case: $(cat "$tmp/err")"
    mapfile -t lp < <(golden $case lp)
    for k in "${!lp[@]}"; do
        value=$(awk -F, -v r=$((k + 2)) 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "lp") c = i }
                                          NR == r { print $c }' "$tmp/pred.csv")
        assert_close "$value" "${lp[k]}" "$case lp row $((k + 1))"
    done
done

# describe lists a string column's levels in the same order (R: levels(factor(agegroup)))
"$bin" describe --format csv "$g/lung_strings.csv" | awk -F, '$1 == "agegroup" { print $4 }' \
    | tr -d '"' | paste -sd' ' > "$tmp/levels" || fail "describe"
[ "$(cat "$tmp/levels")" = "<=55 >65 55-65" ] || fail "describe levels: $(cat "$tmp/levels")"
"$bin" describe --collate C --format csv "$g/lung_strings.csv" | awk -F, '$1 == "agegroup" { print $4 }' \
    | tr -d '"' | paste -sd' ' > "$tmp/levels" || fail "describe --collate C"
[ "$(cat "$tmp/levels")" = "55-65 <=55 >65" ] || fail "describe --collate C levels: $(cat "$tmp/levels")"

# usage and formula errors: status 2, one message
"$bin" cox --collate fr_FR -f 'Surv(time, status) ~ age' "$root/datasets/lung.csv" > /dev/null 2> "$tmp/err"
[ $? -eq 2 ] || fail "--collate fr_FR: status"
grep -q "takes utf8 or C" "$tmp/err" || fail "--collate message: $(cat "$tmp/err")"
"$bin" cox -f 'Surv(time, status) ~ log(.)' "$root/datasets/lung.csv" > "$tmp/out" 2> "$tmp/err"
[ $? -eq 2 ] || fail "log(.): status"
[ ! -s "$tmp/out" ] || fail "log(.): output written"
grep -q "at character 26" "$tmp/err" || fail "log(.) message: $(cat "$tmp/err")"
echo "formula features: ok"
