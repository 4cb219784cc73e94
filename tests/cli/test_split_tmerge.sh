#!/usr/bin/env bash
# test_split_tmerge.sh: `survkit split` and `survkit tmerge` byte for byte against the CSVs that R's
# survSplit and tmerge wrote with write.csv(row.names = FALSE) (tests/golden/tvc/*.csv, by
# tests/golden/make_golden_tvc.R; each file's R call is in tests/golden/tvc/CALLS.txt), the warning
# for event ids not in the base, and exit status 2 with file, line and column for bad input.
# Arguments: path-to-survkit repo-root
set -u
survkit=$1
root=$2
g=$root/tests/golden/tvc
in=$g/input
. "$root/tests/cli/lib.sh"
cli_test_start tmp

# same NAME ARGS...: run survkit ARGS, compare its standard output with R's tests/golden/tvc/NAME.
same() {
    local name=$1
    shift
    "$survkit" "$@" > "$tmp/out.csv" 2> "$tmp/err.txt" || { fail "$name: exit $? ($(cat "$tmp/err.txt"))"; return; }
    cmp -s "$tmp/out.csv" "$g/$name" || { fail "$name differs from R's:"; diff "$tmp/out.csv" "$g/$name" | head -5 >&2; }
}

# ---- split: survSplit(FORMULA, data, cut, episode = "episode", start = "tstart")
same split_veteran.csv split -f 'Surv(time, status) ~ .' --cut 180,30,90,30 "$root/datasets/veteran.csv"
same split_lung.csv split -f 'Surv(time, status) ~ .' --cut 100,200.5,365,730 "$root/datasets/lung.csv"
same split_aml_rhs.csv split -f 'Surv(time, status) ~ x' --cut 12,5,28 "$root/datasets/aml.csv"
same split_edge.csv split -f 'Surv(time, status) ~ .' --cut 60,30,45.5,1e6,-5 "$in/split_edge.csv"
same split_counting.csv split -f 'Surv(start, stop, event) ~ .' --cut 50,10,30 "$in/split_counting.csv"
# 330 doubles from 1e-9 to 1e22 and R's edge cases: write.csv's 15-digit layout, fixed or scientific
same split_numbers.csv split -f 'Surv(time, status) ~ .' --cut 100.5,200 "$in/split_numbers.csv"
# Surv() of expressions: the made columns are named tstop and event; time and status leave '.'
same split_lung_expr.csv split -f 'Surv(time/7, status == 2) ~ .' --cut 10,20 "$root/datasets/lung.csv"
same split_bladder2.csv split -f 'Surv(start, stop, event) ~ .' --cut 5,10,20 "$root/datasets/bladder2.csv"
same split_veteran_q4.csv split -f 'Surv(time, status) ~ .' --cut-quantiles 4 "$root/datasets/veteran.csv"
same split_lung_q5.csv split -f 'Surv(time, status) ~ .' --cut-quantiles 5 "$root/datasets/lung.csv"
# standard input and -o give the same bytes
"$survkit" split -f 'Surv(time, status) ~ .' --cut 30,90,180 -o "$tmp/vet.csv" - < "$root/datasets/veteran.csv" ||
    fail "split from standard input: exit $?"
cmp -s "$tmp/vet.csv" "$g/split_veteran.csv" || fail "split -o from standard input differs from R's"

# into a file a block of input rows at a time (--block-rows): the same bytes, blocks of 7 rows
blocks() {
    local name=$1
    shift
    "$survkit" split --block-rows 7 -o "$tmp/blocks.csv" "$@" || { fail "$name in blocks: exit $?"; return; }
    cmp -s "$tmp/blocks.csv" "$g/$name" || fail "$name in blocks of 7 rows differs from R's"
}
blocks split_lung.csv -f 'Surv(time, status) ~ .' --cut 100,200.5,365,730 "$root/datasets/lung.csv"
blocks split_edge.csv -f 'Surv(time, status) ~ .' --cut 60,30,45.5,1e6,-5 "$in/split_edge.csv"
blocks split_counting.csv -f 'Surv(start, stop, event) ~ .' --cut 50,10,30 "$in/split_counting.csv"
blocks split_numbers.csv -f 'Surv(time, status) ~ .' --cut 100.5,200 "$in/split_numbers.csv"
blocks split_lung_expr.csv -f 'Surv(time/7, status == 2) ~ .' --cut 10,20 "$root/datasets/lung.csv"
blocks split_lung_q5.csv -f 'Surv(time, status) ~ .' --cut-quantiles 5 "$root/datasets/lung.csv"

# ---- tmerge: tm <- tmerge(base, base, id = id, tstop = futime), then one call per option
tm() { same "$1" tmerge --id id --stop futime "${@:2}" "$in/tm_base.csv"; }
tm tmerge_base.csv
tm tmerge_event.csv --event "ev=$in/tm_events.csv:day"
tm tmerge_event_value.csv --event "ev=$in/tm_events.csv:day:dose"
tm tmerge_cumevent.csv --cumevent "nev=$in/tm_events.csv:day"
tm tmerge_tdc.csv --tdc "treated=$in/tm_events.csv:day"
tm tmerge_tdc_value.csv --tdc "dose=$in/tm_events.csv:day:dose"
tm tmerge_cumtdc.csv --cumtdc "total=$in/tm_events.csv:day:dose"
tm tmerge_tdc_string.csv --tdc "place=$in/tm_visits.csv:vday:place"
tm tmerge_chain.csv --tdc "place=$in/tm_visits.csv:vday:place" --event "ev=$in/tm_events.csv:day" \
    --cumtdc "total=$in/tm_events.csv:day:dose" --tdc "visited=$in/tm_visits.csv:vday" \
    --cumevent "nev=$in/tm_events.csv:day" --tdc="visited=$in/tm_events.csv:day"
# written 3 rows at a time: the same bytes (a column's print type decided over all blocks)
tm tmerge_chain.csv --block-rows 3 --tdc "place=$in/tm_visits.csv:vday:place" --event "ev=$in/tm_events.csv:day" \
    --cumtdc "total=$in/tm_events.csv:day:dose" --tdc "visited=$in/tm_visits.csv:vday" \
    --cumevent "nev=$in/tm_events.csv:day" --tdc="visited=$in/tm_events.csv:day"
tm tmerge_tdc_string.csv --block-rows 1 --tdc "place=$in/tm_visits.csv:vday:place"
tm tmerge_replace.csv --tdc "age=$in/tm_events.csv:day:dose" --event "arm=$in/tm_events.csv:day" --quiet
"$survkit" tmerge --id id --stop futime --tdc "age=$in/tm_events.csv:day:dose" "$in/tm_base.csv" \
    > /dev/null 2> "$tmp/err.txt"
grep -q "replacement of variable 'age'" "$tmp/err.txt" || fail "no warning for replacing age: $(cat "$tmp/err.txt")"
# the event row of id 42, not in the base, is ignored with a warning naming the file
"$survkit" tmerge --id id --stop futime --event "ev=$in/tm_events.csv:day" "$in/tm_base.csv" \
    > /dev/null 2> "$tmp/err.txt"
grep -q "tm_events.csv: 1 row of the events for 'ev' has an id not in the base: ignored" "$tmp/err.txt" ||
    fail "no warning for the unknown id: $(cat "$tmp/err.txt")"
"$survkit" tmerge --quiet --id id --stop futime --event "ev=$in/tm_events.csv:day" "$in/tm_base.csv" \
    > /dev/null 2> "$tmp/err.txt"
[ -s "$tmp/err.txt" ] && fail "--quiet still warns: $(cat "$tmp/err.txt")"

# ---- bad input: exit 2, one message naming the file, line and column, no output file
bad() { local expect=$1; shift; refused_one_line "$*" "$expect" "$survkit" "$@"; }
printf 'time,status,x\n5,1,a\n7,0,b\nabc,1,c\n' > "$tmp/text_time.csv"
bad "text_time.csv:4:1: 'abc' is not a number" split -f 'Surv(time, status) ~ .' --cut 6 "$tmp/text_time.csv"
bad "--cut takes numbers separated by commas, not '3,x'" split -f 'Surv(time, status) ~ .' --cut 3,x "$root/datasets/veteran.csv"
bad "give either --cut" split -f 'Surv(time, status) ~ .' "$root/datasets/veteran.csv"
# a formula error is the formula with a caret under the position (three lines)
"$survkit" split -f 'Surv(time, status) ~ nosuch' --cut 3 "$root/datasets/veteran.csv" > /dev/null 2> "$tmp/err.txt"
[ $? -eq 2 ] || fail "unknown column in the formula: not exit 2"
grep -q "error in formula, at character 22: no column 'nosuch'" "$tmp/err.txt" || fail "formula error: $(cat "$tmp/err.txt")"
printf 'time,status\n5,1\n0,0\n' > "$tmp/zero.csv"
bad "zero.csv:3:1: every time must be greater than the start of follow-up" split -f 'Surv(time, status) ~ .' --cut 3 "$tmp/zero.csv"
# found in the second block of one row: nothing is left in the output file either
bad "zero.csv:3:1: every time must be greater than the start of follow-up" split --block-rows 1 -f 'Surv(time, status) ~ .' --cut 3 "$tmp/zero.csv"
bad "tm_events.csv:1: no column 'when' (the time)" tmerge --id id --stop futime --event "ev=$in/tm_events.csv:when" "$in/tm_base.csv"
bad "tm_visits.csv:2:3: 'home' is not a number, but column 'place' is the event time" tmerge --id id --stop futime --tdc "x=$in/tm_visits.csv:place" "$in/tm_base.csv"
bad "tm_base.csv:2:2: 'x' is not a number, but column 'arm' is the follow-up end" tmerge --id id --stop arm "$in/tm_base.csv"
printf 'id,futime\n1,10\n2,5\n1,7\n' > "$tmp/dup.csv"
bad "dup.csv:4:1: the id is repeated (first on line 2)" tmerge --id id --stop futime "$tmp/dup.csv"
printf 'id,futime\n1,10\n2,0\n' > "$tmp/stop0.csv"
bad "stop0.csv:3:2: found an ending time of 0" tmerge --id id --stop futime "$tmp/stop0.csv"
printf 'id,day\n1,3\nNA,4\n' > "$tmp/noid.csv"
bad "noid.csv:3:1: the id is missing" tmerge --id id --stop futime --event "ev=$tmp/noid.csv:day" "$in/tm_base.csv"
printf 'id,day\n42,3\n1,NA\n' > "$tmp/none.csv"
bad "none.csv: no usable event rows" tmerge --id id --stop futime --event "ev=$tmp/none.csv:day" "$in/tm_base.csv"
bad "--cumtdc needs a value column" tmerge --id id --stop futime --cumtdc "x=$in/tm_events.csv:day" "$in/tm_base.csv"
bad "--event takes NAME=FILE:TIMECOL" tmerge --id id --stop futime --event ev "$in/tm_base.csv"

[ $failures -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "split and tmerge: all outputs equal R's"
