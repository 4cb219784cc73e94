#!/usr/bin/env bash
# test_timings.sh: --timings on every command (the diagnostics too): in JSON the "timings" object
# with read_s, frame_s, fit_s and total_s (numbers, or null for a stage the command does not have) and
# each stage's read_faults.., read_peak_mb.. and read_fresh_mb.. (the same), and in text mode one "timings:" line and
# one "memory:" line on standard error. Never a progress line when standard error is not a
# terminal (as here). Not a timing test: only the shape is checked.
# Arguments: path-to-survkit repo-root
set -u
survkit=$1
root=$2
. "$root/tests/cli/lib.sh"
cli_test_start tmp
data="$root/datasets/lung.csv"

check_json() { # name, then the command's arguments; $stages: the stages that must be numbers
    local name=$1; shift
    "$survkit" "$@" --timings --format json -o "$tmp/$name.json" "$data" 2> "$tmp/$name.err" ||
        { fail "$name: exit status $?"; return; }
    local object
    object=$(grep -o '"timings":{[^}]*}' "$tmp/$name.json")
    [ -n "$object" ] || { fail "$name: no \"timings\" object in the JSON"; return; }
    local stage
    for key in read_s frame_s fit_s total_s read_faults frame_faults fit_faults total_faults \
        read_peak_mb frame_peak_mb fit_peak_mb total_peak_mb \
        read_fresh_mb frame_fresh_mb fit_fresh_mb total_fresh_mb; do
        local value
        value=$(echo "$object" | grep -o "\"$key\":[^,}]*" | sed 's/.*://')
        [ -n "$value" ] || { fail "$name: no $key"; continue; }
        stage=${key%%_*}_s
        case " $stages " in
            *" $stage "*) echo "$value" | grep -Eq '^[0-9][0-9.eE+-]*$' ||
                fail "$name: $key is '$value', not a number" ;;
            *) [ "$value" = null ] || echo "$value" | grep -Eq '^[0-9][0-9.eE+-]*$' ||
                fail "$name: $key is '$value'" ;;
        esac
    done
    [ -s "$tmp/$name.err" ] && grep -q "timings:\|reading\|iteration" "$tmp/$name.err" &&
        fail "$name: timings or progress on standard error in JSON mode: $(cat "$tmp/$name.err")"
}

check_text() { # name, then the command's arguments
    local name=$1; shift
    "$survkit" "$@" --timings "$data" > "$tmp/$name.txt" 2> "$tmp/$name.err" ||
        { fail "$name text: exit status $?"; return; }
    grep -Eq '^timings: read [0-9.]+ s, .*total [0-9.]+ s$' "$tmp/$name.err" ||
        fail "$name text: no timings line on standard error: $(cat "$tmp/$name.err")"
    grep -Eq '^memory: read [0-9]+ page faults, [0-9]+ MB fresh, peak [0-9]+ MB, .*total [0-9]+ page faults, [0-9]+ MB fresh, peak [0-9]+ MB$' \
        "$tmp/$name.err" || fail "$name text: no memory line on standard error: $(cat "$tmp/$name.err")"
    grep -q "timings" "$tmp/$name.txt" && fail "$name text: timings in the report itself"
    grep -q "reading\|iteration" "$tmp/$name.err" && fail "$name text: progress while not a terminal"
}

stages="read_s total_s" check_json describe describe
stages="read_s frame_s fit_s total_s" check_json km km -f 'Surv(time, status) ~ sex'
stages="read_s frame_s fit_s total_s" check_json logrank logrank -f 'Surv(time, status) ~ sex'
stages="read_s frame_s fit_s total_s" check_json cox cox -f 'Surv(time, status) ~ age + sex'
# The diagnostics commands (the model fitted from -f; fit_s holds the fit and their own work).
stages="read_s frame_s fit_s total_s" check_json zph zph -f 'Surv(time, status) ~ age + sex'
stages="read_s frame_s fit_s total_s" check_json residuals residuals -f 'Surv(time, status) ~ age' --type dfbeta
stages="read_s frame_s fit_s total_s" check_json residuals_collapse residuals -f 'Surv(time, status) ~ age' --collapse sex
stages="read_s frame_s fit_s total_s" check_json basehaz basehaz -f 'Surv(time, status) ~ age'
stages="read_s frame_s fit_s total_s" check_json predict predict -f 'Surv(time, status) ~ age' --newdata "$data" --times 100
check_text describe describe
check_text km km -f 'Surv(time, status) ~ sex'
check_text logrank logrank -f 'Surv(time, status) ~ sex'
check_text cox cox -f 'Surv(time, status) ~ age + sex'
check_text zph zph -f 'Surv(time, status) ~ age + sex'
check_text residuals residuals -f 'Surv(time, status) ~ age' --collapse sex
check_text basehaz basehaz -f 'Surv(time, status) ~ age'
check_text predict predict -f 'Surv(time, status) ~ age' --newdata "$data"

# A saved model: basehaz reads no data, so only the total is timed (the other stages null).
"$survkit" cox -f 'Surv(time, status) ~ age' --save "$tmp/model.json" --quiet "$data" > /dev/null ||
    fail "cox --save: exit status $?"
"$survkit" basehaz --model "$tmp/model.json" --timings --format json > "$tmp/bh.json" 2> "$tmp/bh.err" ||
    fail "basehaz --model: exit status $?"
grep -q '"timings":{"read_s":null,"frame_s":null,"fit_s":[0-9][^,]*,"total_s":[0-9]' "$tmp/bh.json" ||
    fail "basehaz --model: timings $(grep -o '"timings":{[^}]*}' "$tmp/bh.json")"
"$survkit" basehaz --model "$tmp/model.json" --timings > /dev/null 2> "$tmp/bh.err" ||
    fail "basehaz --model text: exit status $?"
grep -Eq '^timings: fit [0-9.]+ s, total [0-9.]+ s$' "$tmp/bh.err" ||
    fail "basehaz --model text: $(cat "$tmp/bh.err")"

# Without --timings, no "timings" key.
"$survkit" cox -f 'Surv(time, status) ~ age' --format json "$data" | grep -q '"timings"' &&
    fail "cox: \"timings\" without --timings"

[ "$failures" -eq 0 ] && echo "test_timings: all checks passed"
exit $((failures > 0))
