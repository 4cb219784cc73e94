#!/usr/bin/env bash
# test_penal_robust.sh: `survkit cox` with ridge() and pspline() terms and a robust variance
# (cluster(), --robust, or R's default with case weights that are not whole numbers) end to end
# against R. Arguments: path-to-survkit repo-root. Expected values come from
# tests/golden/penal_robust/*.txt (make_golden_penal_robust.R: coxph(...) on the committed CSVs):
# the printed table as CSV at 1e-9 relative (se(coef) and Chisq from R's robust var), the text
# report against R's print from the table header on, the JSON's vcov, naive_vcov and
# robust_score, --no-robust (R's robust = FALSE), and the refusals: exit 2, one message, no output.
set -u
SURVKIT=$1
ROOT=$2
DATASETS=$ROOT/datasets
. "$ROOT/tests/cli/lib.sh"
cli_test_start TMP

GOLD=$ROOT/tests/golden/penal_robust

# the values of a JSON square matrix KEY (rows in order, so column-major for a symmetric one)
json_matrix() { grep -oE "\"$1\":\[(\[[^]]*\],?)+\]" "$2" | head -1 | cut -d: -f2 | tr -d '[]' | tr , '\n'; }

for name in ridge_cluster ridge_robust ridge_weights pspline_weights pspline_cluster_strata; do
    formula=$(golden formula "$name")
    data=$DATASETS/$(golden dataset "$name").csv
    weights=$(golden weights "$name")
    opts=($(golden options "$name"))
    [ -z "$weights" ] || opts+=(--weights "$weights")
    "$SURVKIT" cox -f "$formula" "${opts[@]}" --format csv "$data" > "$TMP/$name.csv" 2> "$TMP/$name.err" ||
        { fail "$name: exit status"; cat "$TMP/$name.err"; continue; }
    same_penal_columns "$name" "$TMP/$name.csv"
    "$SURVKIT" cox -f "$formula" "${opts[@]}" "$data" > "$TMP/$name.txt" 2> /dev/null ||
        fail "$name: text exit status"
    same_print_table "$name" "$TMP/$name.txt" "$name"
    "$SURVKIT" cox -f "$formula" "${opts[@]}" --format json "$data" > "$TMP/$name.json" 2> /dev/null ||
        fail "$name: json exit status"
    grep -q '"robust":true' "$TMP/$name.json" || fail "$name: json not robust"
    paste -d' ' <(json_matrix vcov "$TMP/$name.json") <(golden var "$name") | close "$name vcov" 1e-9 1e-300
    paste -d' ' <(json_matrix vcov2 "$TMP/$name.json") <(golden var2 "$name") | close "$name vcov2" 1e-9 1e-300
    paste -d' ' <(json_matrix naive_vcov "$TMP/$name.json") <(golden naive_var "$name") |
        close "$name naive_vcov" 1e-9 1e-300
    paste -d' ' <(grep -o '"robust_score":[-0-9.e+]*' "$TMP/$name.json" | cut -d: -f2) \
        <(golden rscore "$name") | close "$name robust_score"
    paste -d' ' <(grep -o '"loglik":\[[^]]*' "$TMP/$name.json" | head -1 | cut -d[ -f2 | tr , '\n') \
        <(golden loglik "$name") | close "$name loglik"
    # residuals of the same fit: dfbeta (R's naive.var) and dfbetas, every column (absolute 1e-13:
    # a few values near 0 are differences of numbers 1e4 times larger)
    for type in dfbeta dfbetas; do
        "$SURVKIT" residuals -f "$formula" ${weights:+--weights "$weights"} --type $type --format csv \
            "$data" > "$TMP/$name.$type.csv" 2> /dev/null || { fail "$name $type exit status"; continue; }
        paste -d' ' <(sed 1d "$TMP/$name.$type.csv" | awk -F, '{ for (j = 2; j <= NF; j++) v[j, NR] = $j; n = NR; m = NF }
                          END { for (j = 2; j <= m; j++) for (i = 1; i <= n; i++) print v[j, i] }') \
            <(golden $type "$name") | close "$name $type" 1e-9 1e-13
    done
done

# --no-robust: R's robust = FALSE, whose variance is the robust fit's naive.var; with cluster()
# R's warning
name=ridge_cluster
"$SURVKIT" cox -f "$(golden formula $name)" --no-robust --format json "$DATASETS/lung.csv" \
    > "$TMP/off.json" 2> "$TMP/off.err" || fail "no-robust exit status"
grep -q '"robust":false' "$TMP/off.json" || fail "no-robust: json robust"
grep -q 'cluster specified with robust=FALSE, cluster ignored' "$TMP/off.err" ||
    fail "no-robust: R's warning"
paste -d' ' <(json_matrix vcov "$TMP/off.json") <(golden naive_var $name) | close "no-robust vcov" 1e-9 1e-300

# --no-robust on an ordinary Cox fit: R's robust = FALSE there too
"$SURVKIT" cox -f 'Surv(time, status) ~ age + cluster(inst)' --no-robust --format json \
    "$DATASETS/lung.csv" > "$TMP/cox_off.json" 2> "$TMP/cox_off.err" || fail "cox --no-robust exit status"
grep -q '"robust":false' "$TMP/cox_off.json" || fail "cox --no-robust: json robust"
grep -q 'cluster specified with robust=FALSE, cluster ignored' "$TMP/cox_off.err" ||
    fail "cox --no-robust: R's warning"

# refusals: exit 2, one message, nothing written
refused "frailty with cluster" "not defined for a model with a frailty() term" \
    "$SURVKIT" cox -f 'Surv(time, status) ~ age + frailty(inst) + cluster(inst)' "$DATASETS/lung.csv"
refused "frailty with --robust" "not defined for a model with a frailty() term" \
    "$SURVKIT" cox -f 'Surv(time, status) ~ age + frailty(inst)' --robust "$DATASETS/lung.csv"
refused "robust and no-robust" "exclude each other" \
    "$SURVKIT" cox -f 'Surv(time, status) ~ ridge(age, theta = 1)' --robust --no-robust "$DATASETS/lung.csv"
refused "counting process without cluster" "one of cluster or id is needed" \
    "$SURVKIT" cox -f 'Surv(start, stop, event) ~ ridge(rx, size, theta = 1)' --robust "$DATASETS/bladder2.csv"

[ "$failures" -eq 0 ] && echo "test_penal_robust: all passed"
exit $((failures > 0))
