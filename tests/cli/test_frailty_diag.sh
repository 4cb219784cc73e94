#!/usr/bin/env bash
# test_frailty_diag.sh: predict, residuals and zph of penalised Cox models (frailty(), ridge(),
# pspline())
# end to end against R. Arguments: path-to-survkit repo-root. Expected values come from
# tests/golden/frailty_diag/*.txt (make_golden_frailty_diag.R: residuals(fit, type),
# cox.zph(fit), predict(fit, newdata = nd) of coxph(... + frailty(la))): the same numbers whether
# the model is fitted here (-f) or saved by `cox --save` and read back (--model), at 1e-9
# relative; and R's refusals: exit 2, one message, no output file.
set -u
SURVKIT=$1
ROOT=$2
DATASETS=$ROOT/datasets
GOLD=$ROOT/tests/golden/frailty_diag
. "$ROOT/tests/cli/lib.sh"
cli_test_start TMP

# golden KEY FILE, close WHAT [REL [ABS]], csv_column FILE COLUMN, csv_values FILE FIRST [COUNT]

DATA=$DATASETS/reunification.csv
F='Surv(days, breakdown) ~ age + sex + frailty(la)'
"$SURVKIT" cox -f "$F" --save "$TMP/m.json" --quiet "$DATA" > /dev/null || fail "cox --save: exit status"
grep -q '"penalised"' "$TMP/m.json" || fail "the saved model has no penalised part"

# fit_and_model LABEL FORMULA MODEL DATA CASE TYPES...: residuals of each type and cox.zph's table
# (R's df from fit$df), the model fitted here (-f FORMULA) and read back from MODEL (--model),
# against golden resid_CASE_TYPE and zph_CASE_km.
fit_and_model() {
    local label=$1 formula=$2 model=$3 data=$4 case=$5 type src key cols
    shift 5
    for src in fit model; do
        local how=(-f "$formula")
        [ $src = fit ] || how=(--model "$model")
        for type in "$@"; do
            "$SURVKIT" residuals "${how[@]}" --type $type --format csv --quiet "$data" > "$TMP/r.csv" ||
                { fail "${label}residuals $type ($src): exit status"; continue; }
            # the CSV's value columns, row by row, against R's column-major values
            cols=$(golden cols_out resid_${case}_$type)
            csv_values "$TMP/r.csv" 2 "$cols" |
                paste -d' ' - <(golden values resid_${case}_$type) | close "${label}residuals $type ($src)"
        done
        "$SURVKIT" zph "${how[@]}" --format json --quiet "$data" > "$TMP/z.json" ||
            { fail "${label}zph ($src): exit status"; continue; }
        for key in chisq df p; do
            grep -o "\"$key\": *[-0-9.e+]*" "$TMP/z.json" | sed 's/.*: *//' |
                paste -d' ' - <(golden $key zph_${case}_km) | close "${label}zph $key ($src)"
        done
    done
}

# predicted LABEL CSV CASE: predict's lp, lp_se, risk and expected against golden CASE.
predicted() {
    local key
    for key in lp lp_se risk expected; do
        paste -d' ' <(csv_column "$2" $key) <(golden $key "$3") | close "$1 $key"
    done
}

fit_and_model "" "$F" "$TMP/m.json" "$DATA" la_gamma martingale deviance dfbeta

# predict on new rows: no frailty in lp, expected from the fit's own baseline
ND=$GOLD/newdata_la_gamma.csv
"$SURVKIT" predict --model "$TMP/m.json" --newdata "$ND" --format csv --quiet > "$TMP/p.csv" ||
    fail "predict: exit status"
predicted predict "$TMP/p.csv" predict_la_gamma

# print order: the frailty row (and its df) where the formula has the term, as R prints it
for name in la_middle family_first ridge_la_sex; do
    "$SURVKIT" cox -f "$(golden formula print_$name)" "$DATA" > "$TMP/$name.txt" 2> /dev/null ||
        fail "print $name: exit status"
    same_print_table "print $name" "$TMP/$name.txt" print_$name
    "$SURVKIT" cox -f "$(golden formula print_$name)" --format json "$DATA" > "$TMP/$name.json" 2> /dev/null
    grep -o '"df": *\[[^]]*\]' "$TMP/$name.json" | head -1 | sed 's/.*\[//; s/\]//' | tr ',' '\n' |
        paste -d' ' - <(golden df print_$name) | close "print $name df"
done

# frailty(method = "aic") and frailty(df = ): R's print from the table on
for name in gamma_aic gauss_aic gauss_aic_strata gauss_df0 gamma_df gauss_df family_df ridge_df ridge_default ridge_df_frail \
    ridge_df_frail_df; do
    golden_cox_call method_$name
    "$SURVKIT" cox -f "$formula" "${cox_options[@]}" "$data" > "$TMP/$name.txt" 2> /dev/null ||
        fail "method $name: exit status"
    same_print_table "method $name" "$TMP/$name.txt" method_$name
done

# pspline() terms (issue 16): the saved model's formula keeps R's predict call (nterm,
# Boundary.knots), so new rows, also outside the fit's range of age, get the fit's basis
PS='Surv(time, status) ~ pspline(age) + sex'
LUNG=$DATASETS/lung.csv
"$SURVKIT" cox -f "$PS" --save "$TMP/ps.json" --quiet "$LUNG" > /dev/null || fail "cox --save pspline: exit status"
grep -q 'Boundary.knots = c(39, 82)' "$TMP/ps.json" || fail "the saved pspline model has no Boundary.knots"
fit_and_model "pspline " "$PS" "$TMP/ps.json" "$LUNG" lung_pspline martingale score dfbeta
"$SURVKIT" predict --model "$TMP/ps.json" --newdata "$GOLD/newdata_lung_pspline.csv" --format csv --quiet > "$TMP/p.csv" ||
    fail "pspline predict: exit status"
predicted "pspline predict" "$TMP/p.csv" predict_lung_pspline
F3='Surv(time, status) ~ pspline(age, df = 3) + sex'
"$SURVKIT" predict -f "$F3" "$LUNG" --newdata "$GOLD/newdata_lung_pspline_outside.csv" --format csv --quiet > "$TMP/p.csv" ||
    fail "pspline predict outside: exit status"
predicted "pspline predict outside" "$TMP/p.csv" predict_lung_pspline_outside
"$SURVKIT" basehaz --model "$TMP/ps.json" --format csv > "$TMP/b.csv" || fail "pspline basehaz: exit status"
paste -d' ' <(csv_column "$TMP/b.csv" hazard) <(golden hazard basehaz_lung_pspline_centered) | close "pspline basehaz"

# dense frailty (issue 16): R's X has a 0/1 column per group (gamma:0 .. gamma:3), the residuals a
# column per coefficient, new rows their group's coefficient; the saved model keeps the groups
DF='Surv(time, status) ~ age + frailty(ph.ecog)'
"$SURVKIT" cox -f "$DF" --save "$TMP/dense.json" --quiet "$LUNG" > /dev/null ||
    fail "cox --save dense: exit status"
grep -q '"dense_column": 1' "$TMP/dense.json" || fail "the saved dense model has no dense_column"
for src in fit model; do
    how=(-f "$DF")
    data=("$LUNG") # predict and basehaz of a saved model take no data
    [ $src = fit ] || { how=(--model "$TMP/dense.json"); data=(); }
    for type in martingale deviance score schoenfeld dfbeta; do
        "$SURVKIT" residuals "${how[@]}" --type $type --format csv --quiet "$LUNG" > "$TMP/r.csv" ||
            { fail "dense residuals $type ($src): exit status"; continue; }
        first=2
        [ $type = schoenfeld ] && first=3 # after the event time
        csv_values "$TMP/r.csv" $first "$(golden cols_out resid_lung_dense_$type)" |
            paste -d' ' - <(golden values resid_lung_dense_$type) | close "dense residuals $type ($src)"
    done
    # R's column names (dfbeta, the last type): names(coef(fit)), the score residuals' colnames
    [ "$(head -1 "$TMP/r.csv")" = "\"row\",$(golden coef_names names_lung_dense |
        sed 's/.*/"&"/' | paste -sd,)" ] || fail "dense residuals ($src): columns $(head -1 "$TMP/r.csv")"
    "$SURVKIT" predict "${how[@]}" --newdata "$GOLD/newdata_lung_dense.csv" --format csv --quiet \
        "${data[@]}" > "$TMP/p.csv" || fail "dense predict ($src): exit status"
    predicted "dense predict ($src)" "$TMP/p.csv" predict_lung_dense
    "$SURVKIT" basehaz "${how[@]}" --format csv --quiet "${data[@]}" > "$TMP/b.csv" ||
        fail "dense basehaz ($src): exit status"
    paste -d' ' <(csv_column "$TMP/b.csv" hazard) <(golden hazard basehaz_lung_dense_centered) |
        close "dense basehaz ($src)"
done
# with cluster(): the robust variance (predict's se) and the naive one (dfbeta) of every column,
# kept by the saved model
DC='Surv(time, status) ~ age + frailty(ph.ecog) + cluster(inst)'
"$SURVKIT" cox -f "$DC" --save "$TMP/dense_cluster.json" --quiet "$LUNG" > /dev/null ||
    fail "cox --save dense with cluster: exit status"
for src in fit model; do
    how=(-f "$DC")
    data=("$LUNG")
    [ $src = fit ] || { how=(--model "$TMP/dense_cluster.json"); data=(); }
    "$SURVKIT" residuals "${how[@]}" --type dfbeta --format csv --quiet "$LUNG" > "$TMP/r.csv" ||
        fail "dense cluster dfbeta ($src): exit status"
    csv_values "$TMP/r.csv" 2 "$(golden cols_out resid_lung_dense_cluster_dfbeta)" |
        paste -d' ' - <(golden values resid_lung_dense_cluster_dfbeta) |
        close "dense cluster dfbeta ($src)"
    "$SURVKIT" predict "${how[@]}" --newdata "$GOLD/newdata_lung_dense_cluster.csv" --format csv \
        --quiet "${data[@]}" > "$TMP/p.csv" || fail "dense cluster predict ($src): exit status"
    predicted "dense cluster predict ($src)" "$TMP/p.csv" predict_lung_dense_cluster
done
"$SURVKIT" residuals -f "$(golden formula resid_lung_dense_gauss_dfbeta)" --type dfbeta --format csv \
    --quiet "$LUNG" > "$TMP/r.csv" || fail "dense gauss residuals: exit status"
csv_values "$TMP/r.csv" 2 6 | paste -d' ' - <(golden values resid_lung_dense_gauss_dfbeta) |
    close "dense gauss dfbeta"
head -1 "$TMP/r.csv" | grep -q '"gauss:0","gauss:1","gauss:2","gauss:3"' || fail "dense gauss: column names"

# refusals: exit 2, one message, nothing written
refuse() { refused "$1" "$2" "$SURVKIT" "${@:3}"; }
refuse "df and theta" "Cannot give both a df and theta" cox -f 'Surv(days, breakdown) ~ age + frailty(la, df = 3, theta = 1)' "$DATA"
refuse "gamma df with aic" "Method is not df, but have a df argument" cox -f 'Surv(days, breakdown) ~ age + frailty(la, df = 3, method = "aic")' "$DATA"
refuse "method df without df" "Method = df but no df argument" cox -f 'Surv(days, breakdown) ~ age + frailty(la, method = "df")' "$DATA"
refuse "survfit newdata" "Newdata cannot be used" predict --model "$TMP/m.json" --newdata "$ND" --times 100
refuse "zph after frailty" "subscript out of bounds" zph -f 'Surv(days, breakdown) ~ age + frailty(la) + sex' "$DATA"
refuse "strata reference" "non-conformable" predict -f 'Surv(days, breakdown) ~ age + strata(sex) + frailty(la)' "$DATA" --newdata "$ND"
refuse "strata martingale" "carries the cumulative hazard" residuals -f 'Surv(days, breakdown) ~ age + strata(sex) + frailty(la)' "$DATA"
# pspline: R's predict call of a fit with nterm = 3 has df = 4 > nterm, and R stops there
refuse "pspline nterm 3" "too small for df=4" predict -f 'Surv(time, status) ~ pspline(age, df = 2, nterm = 3) + sex' \
    "$LUNG" --newdata "$GOLD/newdata_lung_pspline.csv"
refuse "pspline Boundary.knots" "invalid Boundary.knots" cox -f 'Surv(time, status) ~ pspline(age, Boundary.knots = c(80, 40))' "$LUNG"
# a saved frailty model's residuals need the groups it was fitted on
grep -v '"LA01"' "$DATA" > "$TMP/part.csv"
refuse "other groups" "groups are not the 12" residuals --model "$TMP/m.json" "$TMP/part.csv"

# a dense frailty where R fails: with strata (R's model matrix one group column short), a group
# the fit did not have (R's xlevels), cox.zph and survfit(newdata) (test_frailty_dense.sh)
DS='Surv(time, status) ~ age + strata(sex) + frailty(ph.ecog)'
refuse "dense strata score" "length of 'dimnames' [2] not equal to array extent" residuals -f "$DS" --type score "$LUNG"
refuse "dense strata basehaz" "non-conformable arguments" basehaz -f "$DS" "$LUNG"
refuse "dense strata expected" "dims do not match" predict -f "$DS" "$LUNG" --newdata "$LUNG" --reference sample
printf 'time,status,age,ph.ecog\n100,1,60,0\n200,2,70,4\n' > "$TMP/new4.csv"
refuse "dense new level" "has new levels 4" predict --model "$TMP/dense.json" --newdata "$TMP/new4.csv"

[ $failures -eq 0 ] && echo "test_frailty_diag: all passed"
exit $((failures > 0))
