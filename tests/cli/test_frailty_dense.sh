#!/usr/bin/env bash
# test_frailty_dense.sh: `survkit cox` with R's dense frailty (frailty(x, sparse = FALSE), R's
# default for 5 groups or fewer) end to end against R. Arguments: path-to-survkit repo-root.
# Expected values: tests/golden/frailty_dense/*.txt (make_golden_frailty_dense.R): the printed
# table as CSV at 1e-9 relative, the text report line for line against R's print(fit) from the
# table on (with --robust and cluster(): R's robust variance), the --frail-out CSV against R's
# coefficients gamma:<level> (1e-9 relative, 1e-12 absolute) and the diagonal of their block of
# fit$var, the contract's JSON keys, and the refusals: exit 2, one message, no output file.
set -u
SURVKIT=$1
ROOT=$2
DATASETS=$ROOT/datasets
. "$ROOT/tests/cli/lib.sh"
cli_test_start TMP

GOLD=$ROOT/tests/golden/frailty_dense

# R's gamma:<level> coefficients (or gauss:) of case NAME, and the diagonal of their var block.
dense_frail() {
    local fcol G
    fcol=$(golden fcol "$1"); G=$(golden G "$1")
    golden coef "$1" | awk -v a="$fcol" -v g="$G" 'NR > a && NR <= a + g'
}
dense_fvar() {
    local fcol G pf
    fcol=$(golden fcol "$1"); G=$(golden G "$1"); pf=$(golden coef "$1" | wc -l)
    golden var "$1" | awk -v a="$fcol" -v g="$G" -v pf="$pf" \
        '{ i = NR - 1; r = i % pf; c = int(i / pf); if (r == c && r >= a && r < a + g) print }'
}

for name in lung_gamma lung_gauss lung_inst lung_gamma_aic lung_fixed lung_gauss_aic \
    lung_gauss_fixed_breslow lung_df lung_strata lung_breslow lung_first lung_only lung_ridge \
    lung_pspline bladder_enum bladder_number_breslow reun_support lung_robust lung_cluster \
    lung_gauss_dist; do
    golden_cox_call "$name"
    [ "$(golden robust "$name")" != TRUE ] || cox_options+=(--robust)
    "$SURVKIT" cox -f "$formula" "${cox_options[@]}" --format csv \
        --frail-out "$TMP/$name.frail.csv" "$data" > "$TMP/$name.csv" 2> "$TMP/$name.err" ||
        { fail "$name: exit status"; cat "$TMP/$name.err"; continue; }
    same_penal_columns "$name" "$TMP/$name.csv"
    paste -d' ' <(csv_column "$TMP/$name.frail.csv" frail) <(dense_frail "$name") |
        close "$name frail" 1e-9 1e-12
    paste -d' ' <(csv_column "$TMP/$name.frail.csv" fvar) <(dense_fvar "$name") | close "$name fvar"
    paste -d' ' <(csv_column "$TMP/$name.frail.csv" group) \
        <(golden coef_names "$name" | sed -n "$(($(golden fcol "$name") + 1)),\$p" | cut -d: -f2 |
          head -n "$(golden G "$name")") | close "$name groups"
    "$SURVKIT" cox -f "$formula" "${cox_options[@]}" "$data" > "$TMP/$name.txt" 2> /dev/null ||
        fail "$name: text exit status"
    same_print_table "$name" "$TMP/$name.txt" "$name"
done

# JSON: the contract's keys (those of the sparse form), R's numbers, and sparse = false
golden_cox_call lung_gamma
"$SURVKIT" cox -f "$formula" --format json --timings "$data" > "$TMP/f.json" 2> /dev/null ||
    fail "json exit status"
for key in '"table":\[' '"frailty":{' '"distribution":"gamma"' '"variance":' '"df":\[' \
    '"loglik":\[' '"penalty":' '"iterations":27' '"outer_iterations":10' '"se2":' \
    '"name":"frailty(ph.ecog)","coef":null' '"sparse":false' '"groups":4' '"timings":{'; do
    grep -q "$key" "$TMP/f.json" || fail "json lacks $key"
done
paste -d' ' <(json_number variance "$TMP/f.json") <(golden theta lung_gamma) | close "json variance"
paste -d' ' <(json_number i_likelihood "$TMP/f.json") <(golden c_loglik lung_gamma) | close "json i_likelihood"
paste -d' ' <(json_number penalty "$TMP/f.json") <(golden penalty lung_gamma | tail -1) | close "json penalty"
# a sparse fit says so
"$SURVKIT" cox -f 'Surv(time, status) ~ age + frailty(inst)' --format json "$DATASETS/lung.csv" \
    2> /dev/null | grep -q '"sparse":true' || fail "json of a sparse frailty lacks sparse true"

# --plot (builds with pictures only): R's termplot works with a dense frailty (its columns are
# covariates for predict(type = "terms"); the curve's numbers: test_frailty_dense.c), not with a
# sparse one
if "$SURVKIT" cox --help 2>&1 | grep -q -- '--plot-term'; then
    . "$ROOT/tests/cli/plot_lib.sh" # is_png
    "$SURVKIT" cox -f "$(golden formula lung_pspline)" --plot "$TMP/tp.png" -o "$TMP/tp.txt" \
        "$DATASETS/lung.csv" 2> "$TMP/err.txt" || { fail "plot exit status"; cat "$TMP/err.txt"; }
    is_png "$TMP/tp.png" || fail "plot: not a PNG"
    refused "plot with a sparse frailty" "sparse frailty" "$SURVKIT" cox \
        -f 'Surv(time, status) ~ age + frailty(inst) + pspline(wt.loss)' --plot "$TMP/p1.png" \
        "$DATASETS/lung.csv"
    [ ! -e "$TMP/p1.png" ] || fail "plot with a sparse frailty: picture written"
fi

# refusals: exit 2, one message, nothing written
LUNG=$DATASETS/lung.csv
# the diagnostics R refuses on a dense fit (the others: test_frailty_diag.sh)
refused "dense zph" "non-conformable arrays" "$SURVKIT" zph \
    -f 'Surv(time, status) ~ age + frailty(ph.ecog, sparse = FALSE)' "$LUNG"
refused "dense survfit newdata" "non-conformable arguments" "$SURVKIT" predict \
    -f 'Surv(time, status) ~ age + frailty(ph.ecog)' "$LUNG" --newdata "$LUNG" --times 100

[ "$failures" -eq 0 ] && echo "test_frailty_dense: all passed"
exit $((failures > 0))
