#!/usr/bin/env bash
# test_frailty.sh: `survkit cox` with frailty() end to end against R. Arguments: path-to-survkit
# repo-root. Expected values come from tests/golden/frailty/*.txt (make_golden_frailty.R:
# coxph(... + frailty(id)) on datasets/reunification.csv): the printed table as CSV at 1e-9
# relative, the text report line for line against R's print(fit) from the table on (R's call
# line wraps where survkit's does not), the JSON keys of the contract, the --frail-out CSV against
# fit$frail (1e-8 relative + 1e-9 absolute) and fit$fvar, and the refusals: exit 2, one message,
# no output file.
set -u
SURVKIT=$1
ROOT=$2
DATA=$ROOT/datasets/reunification.csv
DATASETS=$ROOT/datasets
. "$ROOT/tests/cli/lib.sh"
cli_test_start TMP

GOLD=$ROOT/tests/golden/frailty

for name in family_gamma la_gamma family_breslow la_strata family_fixed la_only family_gauss \
    la_gauss la_gauss_fixed bladder_gamma bladder_gauss_breslow la_weights ridge_scaled \
    ridge_unscaled_breslow la_ridge family_ridge_na la_ridge_df la_ridge_df_gauss \
    bladder_w_gamma bladder_w_gauss bladder_w_ridge kidney_w_gamma \
    support_sparse la_sparse_number la_gauss_strata support_gauss_sparse; do
    golden_cox_call "$name"
    # bladder_w_ridge's weights are fractional: its golden is R's robust = FALSE fit (R's default
    # there is the robust variance: test_penal_robust.sh)
    [ "$name" != bladder_w_ridge ] || cox_options+=(--no-robust)
    frail=$(golden frail "$name")
    set -- "${cox_options[@]}"
    [ -z "$frail" ] || set -- "$@" --frail-out "$TMP/$name.frail.csv"
    "$SURVKIT" cox -f "$formula" "$@" --format csv "$data" > "$TMP/$name.csv" 2> "$TMP/$name.err" ||
        { fail "$name: exit status"; cat "$TMP/$name.err"; continue; }
    col=1
    for c in coef se se2 chisq df p; do
        paste -d' ' <(csv_column "$TMP/$name.csv" $c) <(table_column "$name" $col) | close "$name $c"
        col=$((col + 1))
    done
    if [ -n "$frail" ]; then
        paste -d' ' <(csv_column "$TMP/$name.frail.csv" frail) <(golden frail "$name") | close "$name frail" 1e-8 1e-9
        paste -d' ' <(csv_column "$TMP/$name.frail.csv" fvar) <(golden fvar "$name") | close "$name fvar"
    fi
    # the text report from the table header on, as R prints it
    "$SURVKIT" cox -f "$formula" "${cox_options[@]}" "$data" \
        > "$TMP/$name.txt" 2> /dev/null ||
        fail "$name: text exit status"
    same_print_table "$name" "$TMP/$name.txt" "$name"
done

# JSON: the contract's keys, and the numbers R prints for the family model
"$SURVKIT" cox -f "$(golden formula family_gamma)" --format json --timings "$DATA" > "$TMP/f.json" ||
    fail "json exit status"
for key in '"table":\[' '"frailty":{' '"distribution":"gamma"' '"variance":' '"df":\[' \
    '"loglik":\[' '"penalty":' '"iterations":31' '"outer_iterations":6' '"se2":' \
    '"name":"frailty(family_id)","coef":null' '"timings":{'; do
    grep -q "$key" "$TMP/f.json" || fail "json lacks $key"
done
paste -d' ' <(json_number variance "$TMP/f.json") <(golden theta family_gamma) | close "json variance"
paste -d' ' <(json_number penalty "$TMP/f.json") <(golden penalty family_gamma | tail -1) | close "json penalty"

# refusals: exit 2, one message, nothing written
refuse() {
    local what=$1 formula=$2 needle=$3 file=$DATA
    shift 3
    case ${1:-} in *.csv) file=$1; shift ;; esac
    refused "$what" "$needle" "$SURVKIT" cox -f "$formula" "$@" "$file"
}
refuse "theta 0" 'Surv(days, breakdown) ~ age + frailty(family_id, theta = 0)' "theta must be positive"
refuse "negative theta" 'Surv(days, breakdown) ~ age + frailty(family_id, theta = -1)' "theta must be positive"
refuse "one row per group" 'Surv(days, breakdown) ~ age + frailty(child_id)' "every group has one row"
# frailty(support) (3 groups) and frailty(la, sparse = FALSE) are R's dense frailty, fitted:
# test_frailty_dense.sh
refuse "unknown argument" 'Surv(days, breakdown) ~ age + frailty(la, nclass = 3)' "no argument 'nclass'"
refuse "sparse vector" 'Surv(days, breakdown) ~ age + frailty(la, sparse = c(10, 0.1))' "the condition has length > 1"
refuse "exact ties" 'Surv(days, breakdown) ~ age + frailty(la)' "efron or breslow" --ties exact
refuse "robust" 'Surv(days, breakdown) ~ age + frailty(la)' "robust variance" --robust
refuse "frailty with cluster" 'Surv(days, breakdown) ~ age + frailty(la) + cluster(family_id)' \
    "not defined for a model with a frailty() term"
refuse "robust and no-robust" 'Surv(days, breakdown) ~ age + frailty(la)' "exclude each other" \
    --robust --no-robust
refuse "frail-out without frailty" 'Surv(days, breakdown) ~ age' "needs a frailty" --frail-out "$TMP/x.csv"
[ ! -e "$TMP/x.csv" ] || fail "frail-out written without frailty"
refuse "ridge theta and df" 'Surv(time, status) ~ ridge(x1, x2, theta = 1, df = 1)' "Only one of df or theta" "$DATASETS/ridge_sim.csv"
refuse "ridge theta 0" 'Surv(time, status) ~ ridge(x1, x2, theta = 0)' "positive" "$DATASETS/ridge_sim.csv"
refuse "ridge in an interaction" 'Surv(time, status) ~ ridge(x1, theta = 1):x6' "interaction" "$DATASETS/ridge_sim.csv"
# basehaz refuses a frailty model (residuals, zph, predict take it: test_frailty_diag.sh)
refused "basehaz with frailty" "basehaz of a model with frailty(la) is not supported" \
    "$SURVKIT" basehaz -f 'Surv(days, breakdown) ~ age + frailty(la)' "$DATA"

# Fractional case weights ask for R's robust variance, with which R's coxph fails for a sparse
# frailty: survkit fits robust = FALSE and says so; with --no-robust the same numbers, no warning.
wl="$DATASETS/weighted_lung.csv"
wf='Surv(time, status) ~ age + frailty(inst)'
"$SURVKIT" cox -f "$wf" --weights w "$wl" > "$TMP/fw_default.txt" 2> "$TMP/fw_default.err" ||
    fail "fractional weights with frailty: exit status $?"
grep -q "warning: case weights that are not whole numbers ask for R's robust variance" \
    "$TMP/fw_default.err" || fail "fractional weights with frailty: no warning: $(cat "$TMP/fw_default.err")"
"$SURVKIT" cox -f "$wf" --weights w --no-robust "$wl" > "$TMP/fw_naive.txt" 2> "$TMP/fw_naive.err" ||
    fail "fractional weights with frailty, --no-robust: exit status $?"
[ -s "$TMP/fw_naive.err" ] && fail "--no-robust: unexpected message: $(cat "$TMP/fw_naive.err")"
cmp -s "$TMP/fw_default.txt" "$TMP/fw_naive.txt" ||
    fail "fractional weights with frailty: the default differs from --no-robust"

# glm does not take a Cox model's penalised terms
for term in 'frailty(la)' 'ridge(age, theta = 1)'; do
    refused "glm with $term" "is a term of a Cox model" "$SURVKIT" glm -f "breakdown ~ age + $term" "$DATA"
done

[ "$failures" -eq 0 ] && echo "test_frailty: all passed"
exit $((failures > 0))
