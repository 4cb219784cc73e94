#!/usr/bin/env bash
# test_messages.sh: messages that say where and what (issue 21, defect 8). CR-only line ends (old
# Mac exports) are read as R reads them; a linear predictor that overflows names its row and
# column; an error in a saved model's formula names the model file, and one in the new data names
# that file; limits are stated as they are; a trend test with equal scores is NA, not p = 1.
# Arguments: path-to-survkit repo-root
set -u
bin=$1
root=$2
. "$root/tests/cli/lib.sh"
cli_test_start tmp
lung=$root/datasets/lung.csv

# expect_message WHAT PATTERN ARGS...: exit 2 and PATTERN (extended regex) on standard error.
expect_message() {
    local what=$1 pattern=$2
    shift 2
    checks=$((checks + 1))
    "$bin" "$@" > "$tmp/out" 2> "$tmp/err"
    local rc=$?
    [ "$rc" -eq 2 ] || { fail "$what: exit $rc, expected 2: $(cat "$tmp/err")"; return; }
    grep -Eq -e "$pattern" "$tmp/err" || fail "$what: '$(cat "$tmp/err")' lacks /$pattern/"
}

# CR-only line ends: the same curve as with LF (R's read.csv reads both).
head -n 60 "$lung" > "$tmp/lf.csv"
tr '\n' '\r' < "$tmp/lf.csv" > "$tmp/cr.csv"
checks=$((checks + 1))
"$bin" km -f 'Surv(time, status) ~ sex' --format json "$tmp/lf.csv" > "$tmp/lf.json" 2>/dev/null
"$bin" km -f 'Surv(time, status) ~ sex' --format json "$tmp/cr.csv" > "$tmp/cr.json" 2> "$tmp/err" ||
    fail "CR-only file: exit $?: $(cat "$tmp/err")"
cmp -s "$tmp/lf.json" "$tmp/cr.json" || fail "CR-only file: not read as the LF file is"

# An overflowing linear predictor names the row's line and the column.
expect_message "init overflow" "lung.csv:2: initial values lead to overflow .*mostly from column 'age'" \
    cox -f 'Surv(time, status) ~ age + sex' --init 500,1 "$lung"

# A saved model whose formula is broken: the model file is named, with the caret.
"$bin" cox -f 'Surv(time, status) ~ age + sex' --save "$tmp/model.json" "$lung" > /dev/null ||
    fail "cox --save: exit $?"
sed 's/"formula": "Surv(time, status) ~ age + sex"/"formula": "Surv(time, status) ~ age + + sex)"/' \
    "$tmp/model.json" > "$tmp/broken.json"
expect_message "predict, broken saved formula" "error in formula saved in .*/broken\.json, at character 33: unmatched" \
    predict --model "$tmp/broken.json" --newdata "$lung"
expect_message "zph, broken saved formula" "error in formula saved in .*/broken\.json, at character 33" \
    zph --model "$tmp/broken.json" "$lung"
# New data without a model variable: named.
cut -d, -f1-4 "$lung" > "$tmp/newdata.csv"
expect_message "predict, new data lacking a column" "no column named 'sex' in .*/newdata\.csv" \
    predict --model "$tmp/model.json" --newdata "$tmp/newdata.csv"

# Limits as they are.
expect_message "--iter-max too large" "--iter-max must be a whole number from 0 to 1000000, not 2000000" \
    cox -f 'Surv(time, status) ~ age' --iter-max 2000000 "$lung"
expect_message "simulate -n too large" "--n must be a whole number of rows from 1 to 2\^53" \
    simulate -n 1e20

# A trend test with equal scores does not exist: NA (null), not p = 1.
checks=$((checks + 1))
"$bin" logrank -f 'Surv(time, status) ~ ph.ecog' --scores 2,2,2,2 --format json --quiet "$lung" \
    > "$tmp/trend.json" || fail "trend: exit $?"
grep -q '"trend":{"scores":\[2,2,2,2\],"chisq":null,"df":1,"p":null}' "$tmp/trend.json" ||
    fail "trend with equal scores: $(grep -o '"trend[^}]*}' "$tmp/trend.json")"

cli_test_counts test_messages
