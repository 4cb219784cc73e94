#!/usr/bin/env bash
# test_errors.sh: bad input never crashes and never lies (issue 7). For every malformed file and bad
# value, `survkit km`, `logrank` and `describe` exit 2 with exactly one message on standard error of
# the form "FILE:LINE:COL: ..." (or the formula with a caret under the problem), and `-o` leaves no
# file behind (nor a temporary one); `predict` likewise for its new data, model file and options.
# Then the edge cases that must NOT fail, against R: the values
# in tests/golden/robust/*.txt, written by tests/golden/make_golden_robust.R (survfit / survdiff on
# the CSV text stored in each file) and coxph for `survkit cox` (its edges: an aliased column, a
# monotone likelihood, no convergence, no events, initial values).
# Arguments: path-to-survkit repo-root
set -u
bin=$1
root=$2
. "$root/tests/cli/lib.sh"
cli_test_start tmp

mkdir "$tmp/out"
F='Surv(time, status) ~ g'

# run CMD ARGS...: survkit with -o into an empty folder; sets rc, err (stderr), n_err (its lines).
run() {
    rm -rf "$tmp/out" && mkdir "$tmp/out"
    "$bin" "$@" -o "$tmp/out/result" 2>"$tmp/stderr" >"$tmp/stdout"
    rc=$?
    err=$(cat "$tmp/stderr")
    n_err=$(wc -l <"$tmp/stderr")
}

# exits_2 WHAT CMD LINES ARGS...: one check: `run CMD ARGS...` exits 2 with LINES lines on stderr
# (otherwise a failure, and a false status).
exits_2() {
    local what=$1 cmd=$2 lines=$3
    shift 3
    run "$cmd" "$@"
    checks=$((checks + 1))
    [ "$rc" -eq 2 ] || { fail "$what ($cmd): exit $rc, expected 2 (stderr: $err)"; return 1; }
    [ "$n_err" -eq "$lines" ] || { fail "$what ($cmd): $n_err lines on stderr, expected $lines: $err"; return 1; }
}

# expect_error WHAT PATTERN CMD ARGS...: exit 2, one stderr line matching the extended regex PATTERN
# (anchored after "survkit CMD: error: "), nothing in the output folder, nothing on stdout.
expect_error() {
    local what=$1 pattern=$2 cmd=$3
    shift 3
    exits_2 "$what" "$cmd" 1 "$@" || return
    [[ $err =~ ^"survkit $cmd: error: "$pattern ]] || fail "$what ($cmd): message '$err' does not match '$pattern'"
    [ -z "$(ls -A "$tmp/out")" ] || fail "$what ($cmd): left $(ls -A "$tmp/out") behind"
    [ ! -s "$tmp/stdout" ] || fail "$what ($cmd): wrote to stdout"
}

# expect_caret WHAT COLUMN CMD ARGS...: exit 2, the formula error form: a message naming character
# COLUMN, the formula indented by two spaces, and a caret under character COLUMN; no output file.
expect_caret() {
    local what=$1 column=$2 cmd=$3
    shift 3
    exits_2 "$what" "$cmd" 3 "$@" || return
    local line1 line3
    line1=$(sed -n 1p "$tmp/stderr")
    line3=$(sed -n 3p "$tmp/stderr")
    [[ $line1 == "survkit $cmd: error in formula, at character $column: "* ]] ||
        fail "$what ($cmd): first line '$line1'"
    [ "$line3" = "$(printf '  %*s^' $((column - 1)) '')" ] || fail "$what ($cmd): caret line '$line3'"
    [ -z "$(ls -A "$tmp/out")" ] || fail "$what ($cmd): left $(ls -A "$tmp/out") behind"
}

# For km and logrank (and describe, which reads the file only, where DESCRIBE=1).
both() { # both WHAT PATTERN FILE [extra args]: km, logrank and cox with formula F
    local what=$1 pattern=$2 file=$3
    shift 3
    expect_error "$what" "$pattern" km -f "$F" "$@" "$file"
    expect_error "$what" "$pattern" logrank -f "$F" "$@" "$file"
    expect_error "$what" "$pattern" cox -f "$F" "$@" "$file"
}
all3() { # all3 WHAT PATTERN FILE: km, logrank and describe
    both "$@"
    expect_error "$1" "$2" describe "$3"
}

d=$tmp/d
mkdir "$d"
# ---------------------------------------------------------------------------------- files
all3 "missing file" "$d/nope.csv: cannot open: No such file" "$d/nope.csv"
all3 "a directory" "$d: is a directory" "$d"
: >"$d/empty.csv"
all3 "empty file" "$d/empty.csv:1:1: the file is empty" "$d/empty.csv"
printf 'time,status,g\n' >"$d/header.csv"
both "header only" "$d/header.csv: the data have no rows" "$d/header.csv"
printf 'time,status,g\n1,1,a\n2,0\n' >"$d/ragged.csv"
all3 "ragged row" "$d/ragged.csv:3:4: row has 2 fields but the header has 3" "$d/ragged.csv"
printf 'time,status,g\n1,1,a\n2,0,b,c\n' >"$d/ragged2.csv"
all3 "long row" "$d/ragged2.csv:3:7: row has 4 fields" "$d/ragged2.csv"
printf 'time,status,g\n1,1,"a\n2,0,b\n' >"$d/quote.csv"
all3 "unterminated quote" "$d/quote.csv:2:5: unterminated quoted field" "$d/quote.csv"
printf 'time,status,g\n1,1,a\n2,0,\0b\n' >"$d/nul.csv"
all3 "NUL byte" "$d/nul.csv:3:5: NUL byte" "$d/nul.csv"
# binary garbage: a fixed pseudo-random byte string (awk's srand seed), with a NUL in it
awk 'BEGIN { srand(7); for (i = 0; i < 4000; i++) printf "%c", int(rand() * 256) }' >"$d/garbage.bin"
printf '\0' >>"$d/garbage.bin"
all3 "binary garbage" "$d/garbage.bin:[0-9]+:[0-9]+: " "$d/garbage.bin"
printf 'time,st\xe9tus,g\n1,1,a\n' >"$d/latin1.csv"
all3 "Latin-1 name" "$d/latin1.csv:1:6: the name of column 2 is not valid UTF-8" "$d/latin1.csv"
printf 'time,status,g\xed\xa0\x80\n1,1,a\n' >"$d/surrogate.csv"
all3 "surrogate in a name" "$d/surrogate.csv:1:13: the name of column 3 is not valid UTF-8" "$d/surrogate.csv"
printf 'time,status,g\n1,1,"a"x\n' >"$d/afterquote.csv"
all3 "text after a closing quote" "$d/afterquote.csv:2:8: " "$d/afterquote.csv"

# Sizes that must work: a 5 MB field and a line of 100,000 columns.
{
    printf 'time,status,g,note\n1,1,a,"'
    head -c 5242880 /dev/zero | tr '\0' 'q'
    printf '"\n2,0,b,x\n3,1,a,y\n'
} >"$d/big_field.csv"
run km -f "$F" --format json "$d/big_field.csv"
checks=$((checks + 1))
[ "$rc" -eq 0 ] && grep -qF '"label":"g=a","n":2' "$tmp/out/result" || fail "5 MB field: exit $rc: $err"
awk 'BEGIN { printf "time,status"; for (j = 3; j <= 100000; j++) printf ",c%d", j; printf "\n";
             for (i = 1; i <= 3; i++) { printf "%d,%d", i, i % 2; for (j = 3; j <= 100000; j++) printf ",%d", j; printf "\n" } }' \
    >"$d/wide.csv"
# one group, labelled as R formats 100000 (as.character(1e5) is "1e+05")
run km -f 'Surv(time, status) ~ c100000' --format json "$d/wide.csv"
checks=$((checks + 1))
[ "$rc" -eq 0 ] && grep -qF '"label":"c100000=1e+05","n":3' "$tmp/out/result" || fail "100,000 columns: exit $rc: $err"
run describe --format csv "$d/wide.csv"
checks=$((checks + 1))
[ "$rc" -eq 0 ] && grep -q '^c100000,' "$tmp/out/result" || fail "describe 100,000 columns: exit $rc: $err"

# ---------------------------------------------------------------------------------- values
H='time,status,g,x,w,start'
mk() { local name=$1; shift; { echo "$H"; printf '%s\n' "$@"; } >"$d/$name.csv"; }
mk text_time '1,1,a,0.5,1,0' '2,0,b,1.5,1,0' 'abc,1,a,2,1,0' '4,1,b,3,1,0'
both "text in the time" "$d/text_time.csv:4:1: 'abc' is not a number" "$d/text_time.csv"
mk text_status '1,1,a,0.5,1,0' '2,dead,b,1.5,1,0' '3,1,a,2,1,0'
both "text in the status" "$d/text_status.csv:3:2: 'dead' is not a number" "$d/text_status.csv"
mk decimal_comma '1,1,a,0.5,1,0' '2,0,b,1.5,1,0' '"3,5",1,a,2,1,0'
both "decimal comma in the time" "$d/decimal_comma.csv:4:1: '3,5' is not a number" "$d/decimal_comma.csv"
printf 'time,status,g\n1,1,a\n"2\nx",0,b\n' >"$d/newline_value.csv" # a newline inside a quoted value
both "newline in a bad value" "$d/newline_value.csv:3:1: '2\\\\nx' is not a number" "$d/newline_value.csv"
printf 'time,status,"g\ng"\n1,1,a\n1,0,a\n' >"$d/newline_name.csv"
expect_caret "newline in a column name" 22 cox -f 'Surv(time, status) ~ g' "$d/newline_name.csv"
mk inf_time '1,1,a,0.5,1,0' '2,0,b,1.5,1,0' 'inf,1,a,2,1,0'
both "infinite time" "$d/inf_time.csv:4:1: survival time is not finite" "$d/inf_time.csv"
mk huge_time '1,1,a,0.5,1,0' '1e400,0,b,1.5,1,0' '3,1,a,2,1,0'
both "time 1e400" "$d/huge_time.csv:3:1: survival time is not finite" "$d/huge_time.csv"
mk stop_start '1,1,a,0.5,1,0' '2,0,b,1.5,1,0' '3,1,a,2,1,3' '4,1,b,3,1,0'
expect_error "stop <= start" "$d/stop_start.csv:4:1: Stop time must be > start time" km \
    -f 'Surv(start, time, status) ~ g' "$d/stop_start.csv"
mk inf_start '1,1,a,0.5,1,-inf' '2,0,b,1.5,1,0'
expect_error "infinite start" "$d/inf_start.csv:2:6: start time is not finite" km \
    -f 'Surv(start, time, status) ~ g' "$d/inf_start.csv"
mk status3 '1,1,a,0.5,1,0' '2,0,b,1.5,1,0' '3,3,a,2,1,0'
both "status 3" "$d/status3.csv:4:2: status value 3: status must be coded 0/1, 1/2" "$d/status3.csv"
mk status012 '1,1,a,0.5,1,0' '2,0,b,1.5,1,0' '3,2,a,2,1,0'
both "status 0/1/2" "$d/status012.csv:4:2: status value " "$d/status012.csv"
mk status_neg '1,1,a,0.5,1,0' '2,-1,b,1.5,1,0'
both "status -1" "$d/status_neg.csv:3:2: status value -1" "$d/status_neg.csv"
for bad in -1 inf -inf 1e400; do
    mk "weight_$bad" '1,1,a,0.5,1,0' "2,0,b,1.5,$bad,0" '3,1,a,2,1,0'
    expect_error "weight $bad" "$d/weight_$bad.csv:3:5: weights must be finite and non-negative" km \
        -f "$F" --weights w "$d/weight_$bad.csv"
done
mk weight_text '1,1,a,0.5,1,0' '2,0,b,1.5,heavy,0'
expect_error "text weight" "$d/weight_text.csv:3:5: 'heavy' is not a number" km \
    -f "$F" --weights w "$d/weight_text.csv"
expect_error "no weights column" "no weights column named 'wt'" km -f "$F" --weights wt "$d/weight_text.csv"
mk all_missing 'NA,1,a,0.5,1,0' '2,NA,b,1.5,1,0' '3,1,,2,1,0'
both "no rows left" "$d/all_missing.csv: no rows left: all 3 rows have a missing value" "$d/all_missing.csv"
mk fine '1,1,a,0.5,1,0' '2,0,b,1.5,1,0' '3,1,a,2,1,0' '4,1,b,3,1,0'
expect_caret "unknown variable" 22 km -f 'Surv(time, status) ~ nosuch' "$d/fine.csv"
expect_caret "unknown variable in Surv()" 12 logrank -f 'Surv(time, dead) ~ g' "$d/fine.csv"
expect_caret "unbalanced parenthesis" 19 km -f 'Surv(time, status ~ g' "$d/fine.csv"
expect_caret "dangling +" 25 logrank -f 'Surv(time, status) ~ g +' "$d/fine.csv"
expect_caret "no response" 1 km -f '~ g' "$d/fine.csv"
expect_caret "text where numbers are needed" 26 km -f 'Surv(time, status) ~ log(g)' "$d/fine.csv"
mk one_group '1,1,a,0.5,1,0' '2,0,a,1.5,1,0' '3,1,a,2,1,0'
expect_error "one group for a test" "logrank: there is only 1 group" logrank -f "$F" "$d/one_group.csv"
expect_caret "one level for coxph's contrasts" 22 cox -f "$F" "$d/one_group.csv"
# Cox: what survfit accepts but coxph refuses, and initial values that overflow exp()
mk cox_weight0 '1,1,a,0.5,1,0' '2,0,b,1.5,0,0' '3,1,a,2,1,0'
expect_error "zero weight in Cox" "$d/cox_weight0.csv:3:5: Invalid weights, must be >0" cox \
    -f "$F" --weights w "$d/cox_weight0.csv"
for bad in inf -Inf 1e400; do
    mk "cox_x_$bad" '1,1,a,0.5,1,0' '2,0,b,1.5,1,0' "3,1,a,$bad,1,0" '4,1,b,3,1,0'
    expect_error "covariate $bad in Cox" "$d/cox_x_$bad.csv:4:4: data contains an infinite predictor" cox \
        -f 'Surv(time, status) ~ g + x' "$d/cox_x_$bad.csv"
done
expect_error "log(0) = -Inf in Cox" "$d/fine.csv:2: data contains an infinite predictor" cox \
    -f 'Surv(time, status) ~ log(start)' "$d/fine.csv"
expect_error "initial values overflow exp()" "$d/fine.csv:4: initial values lead to overflow or underflow of the exp function \(the linear predictor is 1250 here, mostly from column 'I\(x \* 1000\)'\)" \
    cox -f 'Surv(time, status) ~ I(x * 1000)' --init 5 "$d/fine.csv"
mk offset_big '1,1,a,0.5,1,0' '2,0,b,1.5,1,1000' '3,1,a,2,1,0'
expect_error "offset overflows exp()" "$d/offset_big.csv:3: offsets must lead to a finite risk score" cox \
    -f 'Surv(time, status) ~ x + offset(start)' "$d/offset_big.csv"

# predict: the new data and the options are checked as carefully as the data (lung.csv fits the model)
lung="$root/datasets/lung.csv"
P='Surv(time, status) ~ age + sex'
printf 'age,sex\n60,1\n70,2\n' >"$d/nd_ok.csv"
expect_error "predict without --newdata" "--newdata FILE is required" predict -f "$P" "$lung"
expect_error "predict: no such new data" "$d/nd_none.csv: cannot open" predict -f "$P" "$lung" \
    --newdata "$d/nd_none.csv"
printf 'age\n60\n' >"$d/nd_nosex.csv"
run predict -f "$P" "$lung" --newdata "$d/nd_nosex.csv"
checks=$((checks + 1))
[ "$rc" -eq 2 ] && [[ $err == *"no column named 'sex'"* ]] && [ -z "$(ls -A "$tmp/out")" ] ||
    fail "predict: new data without a model variable: exit $rc: $err"
printf 'age,sex\n60,male\n' >"$d/nd_text.csv"
expect_error "predict: text where the model has numbers" \
    "$d/nd_text.csv: 'sex' is a string \(factor\) in the new data but numeric in the model" predict -f "$P" "$lung" \
    --newdata "$d/nd_text.csv"
printf 'age,ph.ecog\n60,1\n60,7\n' >"$d/nd_level.csv"
expect_error "predict: a factor level the model never saw" \
    "$d/nd_level.csv:3: factor factor\(ph.ecog\) has new level 7" predict --quiet \
    -f 'Surv(time, status) ~ age + factor(ph.ecog)' "$lung" --newdata "$d/nd_level.csv"
expect_error "predict: --times not numbers" "--times takes numbers separated by commas, not '10,abc'" \
    predict -f "$P" "$lung" --newdata "$d/nd_ok.csv" --times 10,abc
printf '{"format":"survkit-model",' >"$d/model_cut.json"
expect_error "predict: a model file cut short" "$d/model_cut.json:1:27: invalid JSON" predict \
    --model "$d/model_cut.json" --newdata "$d/nd_ok.csv"
expect_error "predict: a bad confidence level" "--conf-level must lie strictly between 0 and 1" predict -f "$P" "$lung" --newdata "$d/nd_ok.csv" \
    --times 100 --conf-level 1.5

# ---------------------------------------------------------------------------------- against R
# golden KEY NAME (lib.sh): a value list of tests/golden/robust/NAME.txt
GOLD=$root/tests/golden/robust
# compare WHAT EXPECTED-FILE ACTUAL-FILE [TOLERANCE]: one value a line; NA = null = NaN; Inf literal;
# 1e-9 relative unless TOLERANCE is given.
compare() {
    checks=$((checks + 1))
    local msg
    msg=$(awk -v what="$1" -v tol="${4:-1e-9}" '
        function na(v) { return v == "NA" || v == "null" || v == "NaN" || v == "nan" || v == "" }
        FNR == NR { want[++n] = $0; next }
        { got[++m] = $0 }
        END {
            if (n != m) { printf "%s: %d values, R has %d\n", what, m, n; exit }
            for (i = 1; i <= n; i++) {
                a = got[i]; e = want[i]
                if (na(a) || na(e)) { if (!(na(a) && na(e))) { printf "%s[%d]: %s, R %s\n", what, i, a, e; exit }; continue }
                if (a ~ /Inf/ || e ~ /Inf/) { if (a != e) { printf "%s[%d]: %s, R %s\n", what, i, a, e; exit }; continue }
                d = a - e; if (d < 0) d = -d; s = e < 0 ? -e : e
                if (d > tol * s && d != 0) { printf "%s[%d]: %s, R %s\n", what, i, a, e; exit }
            }
        }' "$2" "$3")
    [ -z "$msg" ] || fail "$msg"
}
# The numbers of a JSON array or scalar after "KEY": in a file, one a line.
json_values() {
    grep -o "\"$2\":\(\[[^]]*\]\|[^,}]*\)" "$1" | sed -E 's/^"[^"]*"://; s/[][]//g' | tr ',' '\n'
}

for g in "$root"/tests/golden/robust/*.txt; do
    name=$(basename "$g" .txt)
    golden csv "$name" >"$d/$name.csv"
    cmd=$(golden command "$name")
    formula=$(golden formula "$name")
    weights=$(golden weights "$name")
    if [ "$cmd" = km ]; then
        run km -f "$formula" ${weights:+--weights "$weights"} --format csv "$d/$name.csv"
        [ "$rc" -eq 0 ] || { fail "$name: exit $rc: $err"; continue; }
        cp "$tmp/out/result" "$d/$name.out.csv"
        col=2
        for key in time n_risk n_event n_censor surv std_err lower upper cumhaz std_chaz; do
            golden "$key" "$name" >"$d/want"
            tail -n +2 "$d/$name.out.csv" | cut -d, -f$col >"$d/got"
            compare "$name $key" "$d/want" "$d/got"
            col=$((col + 1))
        done
        golden strata "$name" >"$d/want"
        tail -n +2 "$d/$name.out.csv" | cut -d, -f1 | tr -d '"' | uniq >"$d/got"
        # R's survfit drops the strata of a one-level factor; survkit keeps its label ("g=a")
        if [ "$(cat "$d/want")" != all ] || [ "$(wc -l <"$d/got")" -ne 1 ]; then
            checks=$((checks + 1))
            cmp -s "$d/want" "$d/got" || fail "$name: strata $(tr '\n' ' ' <"$d/got"), R $(tr '\n' ' ' <"$d/want")"
        fi
        run km -f "$formula" ${weights:+--weights "$weights"} --format json "$d/$name.csv"
        for part in estimate lower upper; do
            golden "median${part#estimate}" "$name" | sed 's/^$//' >"$d/want"
            [ "$part" = estimate ] && golden median "$name" >"$d/want"
            [ "$part" = lower ] && golden median_lower "$name" >"$d/want"
            [ "$part" = upper ] && golden median_upper "$name" >"$d/want"
            grep -o "\"median\":{[^}]*}" "$tmp/out/result" | sed -E "s/.*\"$part\":([^,}]*).*/\1/" >"$d/got"
            compare "$name median $part" "$d/want" "$d/got"
        done
    elif [ "$cmd" = cox ]; then
        data=$d/$name.csv
        dataset=$(golden dataset "$name")
        [ -z "$dataset" ] || data=$root/datasets/$dataset.csv
        # shellcheck disable=SC2046 # options are words
        run cox -f "$formula" $(golden options "$name") --format json "$data"
        [ "$rc" -eq 0 ] || { fail "$name: exit $rc: $err"; continue; }
        warning=$(golden warning "$name")
        # A coefficient heading to infinity stops where the log-likelihood stops changing: its last
        # digits are round-off of the final iterations, so it is compared at 1e-6 (loglik at 1e-9).
        # So is the last iterate of a fit that ran out of iterations (cox_not_converged: gb at -23
        # with se 17717, where a change of summation order in the kernel moves the 9th digit while
        # the other coefficient and the log-likelihood agree with R to 1e-15).
        tol=1e-9
        [[ $warning == *"may be infinite"* || $warning == *"did not converge"* ]] && tol=1e-6
        golden coef "$name" >"$d/want"
        grep -o '"coef":[^,}]*' "$tmp/out/result" | sed 's/"coef"://' >"$d/got"
        compare "$name coef" "$d/want" "$d/got" "$tol"
        golden loglik "$name" >"$d/want"
        { json_values "$tmp/out/result" loglik_null; json_values "$tmp/out/result" loglik; } >"$d/got"
        compare "$name loglik" "$d/want" "$d/got"
        golden iterations "$name" >"$d/want"
        json_values "$tmp/out/result" iterations >"$d/got"
        compare "$name iterations" "$d/want" "$d/got"
        checks=$((checks + 1))
        if [ -n "$warning" ]; then
            grep -qxF "survkit cox: warning: $warning" "$tmp/stderr" || fail "$name: no warning '$warning': $err"
            grep -qF "\"warnings\":[\"$warning\"" "$tmp/out/result" || fail "$name: JSON lacks the warning"
        else
            ! grep -q 'warning' "$tmp/stderr" || fail "$name: R gives no warning, survkit: $err"
        fi
        if [[ $warning == "Ran out of iterations"* ]]; then
            checks=$((checks + 1))
            grep -qF '"converged":false' "$tmp/out/result" || fail "$name: not converged, but JSON says otherwise"
        fi
    else
        run logrank -f "$formula" --format json "$d/$name.csv"
        [ "$rc" -eq 0 ] || { fail "$name: exit $rc: $err"; continue; }
        for key in observed expected chisq df p; do
            golden "$key" "$name" >"$d/want"
            json_values "$tmp/out/result" "$key" >"$d/got"
            compare "$name $key" "$d/want" "$d/got"
        done
    fi
done

if [ "$failures" -gt 0 ]; then
    echo "test_errors: $failures of $checks checks failed" >&2
    exit 1
fi
echo "test_errors: all $checks checks passed"
