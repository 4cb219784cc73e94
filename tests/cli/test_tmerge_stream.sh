#!/usr/bin/env bash
# test_tmerge_stream.sh: `survkit tmerge -o FILE` streams the base in any id order (read and merged
# --block-rows N base rows at a time; the event files read whole and indexed by id once). For every
# call of tests/cli/test_split_tmerge.sh (whose whole-base results equal R's tmerge, see
# tests/golden/tvc/CALLS.txt), on R's base (ids not in order), on the same base sorted by id, and on
# it with text ids ("s1", ...: base and event files) and with ids far apart, blocks of 1, 2 and 4 rows must give the bytes
# and the warnings of the whole-base path (standard output), and R's order in blocks of 1 R's bytes;
# errors (a repeated id in a later block, numeric or text) are the whole path's (exit 2, no file).
# Arguments: path-to-survkit repo-root
set -u
survkit=$1
root=$2
g=$root/tests/golden/tvc
in=$g/input
. "$root/tests/cli/lib.sh"
cli_test_start tmp

# the R base sorted by id (the header first; no field of tm_base.csv holds a line end)
{ head -1 "$in/tm_base.csv"; tail -n +2 "$in/tm_base.csv" | sort -t, -k1,1n; } > "$tmp/sorted.csv"

# text ids: "s" before every id of the base and of the event files
mkdir "$tmp/text"
for f in tm_base tm_events tm_visits; do
    { head -1 "$in/$f.csv"; tail -n +2 "$in/$f.csv" | sed 's/^\([0-9]*\),/"s\1",/'; } > "$tmp/text/$f.csv"
done
grep -q '^"s3",' "$tmp/text/tm_base.csv" || fail "text ids not made"
# ids far apart (1000000, 3000000, ...: the events hashed, not a direct table)
mkdir "$tmp/wide"
for f in tm_base tm_events tm_visits; do
    { head -1 "$in/$f.csv"; tail -n +2 "$in/$f.csv" | sed 's/^\([0-9]*\),/\1000000,/'; } > "$tmp/wide/$f.csv"
done
grep -q '^3000000,' "$tmp/wide/tm_base.csv" || fail "wide ids not made"

# streamed NAME ARGS...: blocks of 1, 2, 4 base rows equal the whole path, output and warnings
streamed() {
    local name=$1
    shift
    "$survkit" tmerge --id id --stop futime "$@" "$base" > "$tmp/whole.csv" 2> "$tmp/whole.err" ||
        { fail "$name whole: exit $?"; return; }
    for b in 1 2 4; do
        "$survkit" tmerge --id id --stop futime --block-rows $b -o "$tmp/b.csv" "$@" "$base" 2> "$tmp/b.err" ||
            { fail "$name blocks of $b: exit $?"; continue; }
        cmp -s "$tmp/b.csv" "$tmp/whole.csv" || { fail "$name: blocks of $b differ from the whole base";
            diff "$tmp/b.csv" "$tmp/whole.csv" | head -4 >&2; }
        cmp -s "$tmp/b.err" "$tmp/whole.err" || fail "$name: warnings in blocks of $b: $(cat "$tmp/b.err") / $(cat "$tmp/whole.err")"
    done
}
every_call() {
streamed base
streamed event --event "ev=$in/tm_events.csv:day"
streamed event_value --event "ev=$in/tm_events.csv:day:dose"
streamed cumevent --cumevent "nev=$in/tm_events.csv:day"
streamed tdc --tdc "treated=$in/tm_events.csv:day"
streamed tdc_value --tdc "dose=$in/tm_events.csv:day:dose"
streamed cumtdc --cumtdc "total=$in/tm_events.csv:day:dose"
streamed tdc_string --tdc "place=$in/tm_visits.csv:vday:place"
streamed chain --tdc "place=$in/tm_visits.csv:vday:place" --event "ev=$in/tm_events.csv:day" \
    --cumtdc "total=$in/tm_events.csv:day:dose" --tdc "visited=$in/tm_visits.csv:vday" \
    --cumevent "nev=$in/tm_events.csv:day" --tdc="visited=$in/tm_events.csv:day"
streamed replace --tdc "age=$in/tm_events.csv:day:dose" --event "arm=$in/tm_events.csv:day"
grep -q "replacement of variable 'age'" "$tmp/b.err" || fail "no warning for replacing age in blocks"
streamed unknown --event "ev=$in/tm_events.csv:day"
grep -q "tm_events.csv: 1 row of the events for 'ev' has an id not in the base: ignored" "$tmp/b.err" ||
    fail "unknown id warning in blocks: $(cat "$tmp/b.err")"
}
base=$tmp/sorted.csv
every_call
base=$in/tm_base.csv # R's order: ids 3, 1, ...
every_call
base=$tmp/text/tm_base.csv
in=$tmp/text
every_call
in=$g/input
grep -q '^"s3",' "$tmp/b.csv" || fail "text ids: not in the output"
base=$tmp/wide/tm_base.csv
in=$tmp/wide
every_call
in=$g/input
base=$tmp/sorted.csv

# R's base order (ids not increasing): streamed, R's bytes
"$survkit" tmerge --id id --stop futime --block-rows 1 -o "$tmp/r.csv" --event "ev=$in/tm_events.csv:day" \
    "$in/tm_base.csv" 2> /dev/null || fail "R's order: exit $?"
cmp -s "$tmp/r.csv" "$g/tmerge_event.csv" || fail "R's order in blocks of 1 differs from R's"

# errors: the whole path's message, exit 2, no file
same_error() {
    local name=$1 base=$2
    shift 2
    "$survkit" tmerge --id id --stop futime "$@" "$base" > /dev/null 2> "$tmp/e0.txt"
    "$survkit" tmerge --id id --stop futime --block-rows 1 -o "$tmp/e1.out" "$@" "$base" 2> "$tmp/e1.txt"
    local s=$?
    [ $s -eq 2 ] || fail "$name: exit $s, not 2"
    [ -e "$tmp/e1.out" ] && fail "$name: an output file was left"
    cmp -s "$tmp/e0.txt" "$tmp/e1.txt" || fail "$name: '$(cat "$tmp/e1.txt")', not '$(cat "$tmp/e0.txt")'"
    grep -qF "$name" "$tmp/e1.txt" || fail "$name: message '$(cat "$tmp/e1.txt")'"
}
# events only for id 9, in the last block: fine; events for no id: R's "No valid entries"
printf 'id,day\n9,10\n' > "$tmp/last.csv"
streamed last_only --event "ev=$tmp/last.csv:day"
printf 'id,day\n99,10\n' > "$tmp/none.csv"
same_error "none.csv: no usable event rows" "$tmp/sorted.csv" --event "ev=$tmp/none.csv:day"
# a repeated id in another block
{ cat "$tmp/sorted.csv"; echo '1,"y",31,50'; } > "$tmp/dup.csv"
same_error "dup.csv:7:1: the id is repeated (first on line 2)" "$tmp/dup.csv"
{ cat "$in/tm_base.csv"; echo '3,"y",31,50'; } > "$tmp/dup_r.csv"
same_error "dup_r.csv:7:1: the id is repeated (first on line 2)" "$tmp/dup_r.csv"
{ cat "$tmp/text/tm_base.csv"; echo '"s1","y",31,50'; } > "$tmp/dup_text.csv"
same_error "dup_text.csv:7:1: the id is repeated (first on line 3)" "$tmp/dup_text.csv"
# a stop <= 0 in a late block
{ cat "$tmp/sorted.csv"; echo '20,"y",31,0'; } > "$tmp/stop0.csv"
same_error "stop0.csv:7:4: found an ending time of 0" "$tmp/stop0.csv"
same_error "tm_events.csv:1: no column 'when' (the time)" "$tmp/sorted.csv" --event "ev=$in/tm_events.csv:when"

[ $failures -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "tmerge streaming: every block size gives the whole base's bytes"
