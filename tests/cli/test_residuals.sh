#!/usr/bin/env bash
# test_residuals.sh: `survkit residuals` end to end against R's residuals.coxph. Arguments:
# path-to-survkit repo-root. Every type on lung; collapse by id (heart) and by litter (rats); a
# saved model with its data; an exact fit; errors.
set -u
SURVKIT=$1
ROOT=$2
. "$ROOT/tests/cli/diag_lib.sh"
cli_test_start TMP

LUNG='Surv(time, status) ~ age + sex + ph.ecog'
for type in martingale deviance score schoenfeld scaledsch dfbeta dfbetas; do
    "$SURVKIT" residuals -f "$LUNG" --type $type --quiet "$DATA/lung.csv" > "$TMP/$type.csv" ||
        fail "lung $type exit status"
    first=2
    case $type in schoenfeld|scaledsch) first=3;; esac
    paste -d' ' <(csv_values "$TMP/$type.csv" $first) <(golden values "resid_lung_$type") |
        close "lung $type"
done
# rows: R's row names (data rows; event times for Schoenfeld)
paste -d' ' <(csv_column "$TMP/martingale.csv" row) <(golden row_names resid_lung_martingale) |
    close "martingale rows"
paste -d' ' <(csv_column "$TMP/schoenfeld.csv" time) <(golden row_names resid_lung_schoenfeld) |
    close "schoenfeld times"

# Collapsed per subject (counting process) and per litter (clustered fit).
HEART='Surv(start, stop, event) ~ age + year + surgery + transplant'
"$SURVKIT" residuals -f "$HEART" --type dfbeta --collapse id --quiet "$DATA/heart.csv" > "$TMP/h.csv" ||
    fail "heart collapse exit"
paste -d' ' <(csv_values "$TMP/h.csv" 2) <(golden values resid_heart_id_dfbeta) | close "heart dfbeta by id"
"$SURVKIT" residuals -f "$HEART" --type deviance --collapse id --quiet "$DATA/heart.csv" > "$TMP/hd.csv"
paste -d' ' <(csv_values "$TMP/hd.csv" 2) <(golden values resid_heart_id_deviance) | close "heart deviance by id"
"$SURVKIT" residuals -f 'Surv(time, status) ~ rx + sex + cluster(litter)' --type dfbeta \
    --collapse litter --quiet "$DATA/rats.csv" > "$TMP/r.csv" || fail "rats exit"
paste -d' ' <(csv_values "$TMP/r.csv" 2) <(golden values resid_rats_litter_dfbeta) | close "rats dfbeta by litter"
paste -d' ' <(csv_column "$TMP/r.csv" litter) <(golden row_names resid_rats_litter_dfbeta) | close "litters"

# Weights (kidney, --weights frail) and a saved model recomputing from its data.
KID='Surv(time, status) ~ age + sex + disease'
"$SURVKIT" residuals -f "$KID" --weights frail --type dfbetas --quiet "$DATA/kidney.csv" > "$TMP/k.csv"
paste -d' ' <(csv_values "$TMP/k.csv" 2) <(golden values resid_kidney_weights_dfbetas) | close "kidney dfbetas"
"$SURVKIT" cox -f "$KID" --weights frail --save "$TMP/kid.json" --quiet "$DATA/kidney.csv" > /dev/null
"$SURVKIT" residuals --model "$TMP/kid.json" --type dfbetas --quiet "$DATA/kidney.csv" > "$TMP/km.csv" ||
    fail "residuals --model exit"
cmp -s "$TMP/k.csv" "$TMP/km.csv" || fail "residuals from the saved model differ"

# An exact fit: martingale and deviance residuals as R; the other types refused with R's message.
"$SURVKIT" residuals -f "$LUNG" --ties exact --type deviance --quiet "$DATA/lung.csv" > "$TMP/xd.csv" ||
    fail "exact deviance exit"
paste -d' ' <(csv_values "$TMP/xd.csv" 2) <(golden values resid_lung_exact_deviance) | close "lung exact deviance"
"$SURVKIT" residuals -f "$LUNG" --ties exact --type dfbeta "$DATA/lung.csv" > /dev/null 2> "$TMP/err"
[ $? -eq 2 ] && grep -q 'dfbeta residuals are not available for the exact method' "$TMP/err" ||
    fail "exact dfbeta not refused with R's message"

# JSON shape.
"$SURVKIT" residuals -f "$LUNG" --type score --format json --quiet "$DATA/lung.csv" > "$TMP/s.json"
grep -q '^{"command":"residuals","type":"score","columns":\["age","sex","ph.ecog"\],"rows":\[1,2,3,' "$TMP/s.json" ||
    fail "residuals JSON shape"

# Errors.
"$SURVKIT" residuals -f "$LUNG" --type schoenfeld --collapse inst "$DATA/lung.csv" > /dev/null 2> "$TMP/err"
[ $? -eq 2 ] || fail "collapsed Schoenfeld accepted"
"$SURVKIT" residuals -f "$LUNG" --type pearson "$DATA/lung.csv" > /dev/null 2> "$TMP/err"
[ $? -eq 2 ] || fail "unknown type accepted"
"$SURVKIT" residuals -f "$LUNG" --collapse nosuch "$DATA/lung.csv" > /dev/null 2> "$TMP/err"
[ $? -eq 2 ] && grep -q nosuch "$TMP/err" || fail "unknown collapse column"

[ $failures -eq 0 ] && echo "all residuals checks passed"
exit $((failures > 0))
