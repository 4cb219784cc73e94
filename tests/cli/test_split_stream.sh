#!/usr/bin/env bash
# test_split_stream.sh: `survkit split -o FILE` streams its input (read, split and written
# --block-rows N input rows at a time through survkit_table_reader). Blocks of 1, 3 and 7 rows must
# give the bytes of the whole-at-once path (--block-rows 0) and of R's survSplit where R's CSV is
# committed (tests/golden/tvc/, see CALLS.txt there), also from standard input and gzip'ed text;
# the status coding, integer/double printing and TRUE/FALSE columns are decided over the whole
# file even when a block alone would say otherwise; a data error (a bad status in a late block,
# Surv()'s checks against survSplit's, a bad byte after a bad row) gives the whole-file message,
# exit status 2 and no output file.
# Arguments: path-to-survkit repo-root
set -u
survkit=$1
root=$2
g=$root/tests/golden/tvc
. "$root/tests/cli/lib.sh"
cli_test_start tmp

# streamed NAME GOLDEN ARGS...: blocks of 1, 3 and 7 rows equal --block-rows 0 (and GOLDEN if given)
streamed() {
    local name=$1 golden=$2
    shift 2
    "$survkit" split --block-rows 0 -o "$tmp/whole.csv" "$@" || { fail "$name whole: exit $?"; return; }
    if [ -n "$golden" ]; then
        cmp -s "$tmp/whole.csv" "$g/$golden" || fail "$name: whole differs from R's $golden"
    fi
    for b in 1 3 7; do
        "$survkit" split --block-rows $b -o "$tmp/b$b.csv" "$@" || { fail "$name blocks of $b: exit $?"; continue; }
        cmp -s "$tmp/b$b.csv" "$tmp/whole.csv" || { fail "$name: blocks of $b differ from the whole";
            diff "$tmp/b$b.csv" "$tmp/whole.csv" | head -4 >&2; }
    done
}

streamed veteran split_veteran.csv -f 'Surv(time, status) ~ .' --cut 180,30,90,30 "$root/datasets/veteran.csv"
streamed lung split_lung.csv -f 'Surv(time, status) ~ .' --cut 100,200.5,365,730 "$root/datasets/lung.csv"
streamed edge split_edge.csv -f 'Surv(time, status) ~ .' --cut 60,30,45.5,1e6,-5 "$g/input/split_edge.csv"
streamed counting split_counting.csv -f 'Surv(start, stop, event) ~ .' --cut 50,10,30 "$g/input/split_counting.csv"
streamed numbers split_numbers.csv -f 'Surv(time, status) ~ .' --cut 100.5,200 "$g/input/split_numbers.csv"
streamed expr split_lung_expr.csv -f 'Surv(time/7, status == 2) ~ .' --cut 10,20 "$root/datasets/lung.csv"
streamed bladder2 split_bladder2.csv -f 'Surv(start, stop, event) ~ .' --cut 5,10,20 "$root/datasets/bladder2.csv"
streamed lung_gz "" -f 'Surv(time, status) ~ .' --cut 100,200.5,365,730 "$root/tests/data/readers/lung.csv.gz"
streamed pbc "" -f 'Surv(time, status == 2) ~ .' --cut 1000,2000 "$root/datasets/pbc.csv"

# A file whose first blocks alone would decide otherwise: status 1 only before the first 2 (1/2
# coding over the whole column), x whole numbers until 1e10/2.5, a TRUE/FALSE column, a text
# column whose first values are TRUE/FALSE words, a quoted line end and an empty line.
printf '%s\n' 'id,time,status,flag,name,x' '1,10,1,TRUE,TRUE,1' '2,20,1,FALSE,"b' 'c",2' \
    '3,30,1,TRUE,"x,y",3' '' '4,40,2,FALSE,T,NA' '5,50,1,T,"q""r",5' '6,60,2,NA,NA,6' \
    '7,70,1,TRUE,hello,2.5' > "$tmp/tricky.csv"
streamed tricky "" -f 'Surv(time, status) ~ .' --cut 25,45 "$tmp/tricky.csv"
grep -q '^1,TRUE,"TRUE",1,0,10,0,1$' "$tmp/whole.csv" ||
    fail "tricky: row 1 should be 1,TRUE,\"TRUE\",1,0,10,0,1 (status 1 of a 1/2 coding is censored)"

# standard input, streamed from its text held in memory
"$survkit" split --block-rows 2 -f 'Surv(time, status) ~ .' --cut 180,30,90,30 -o "$tmp/stdin.csv" - \
    < "$root/datasets/veteran.csv" || fail "standard input: exit $?"
cmp -s "$tmp/stdin.csv" "$g/split_veteran.csv" || fail "standard input in blocks of 2 differs from R's"

# 0/2 statuses in different blocks: R's Surv() error, at the row the whole file gives
printf 'time,status\n5,1\n6,0\n7,1\n8,2\n' > "$tmp/bad.csv"
"$survkit" split --block-rows 0 -f 'Surv(time, status) ~ .' --cut 6.5 -o "$tmp/bad0.out" "$tmp/bad.csv" 2> "$tmp/err0.txt"
"$survkit" split --block-rows 1 -f 'Surv(time, status) ~ .' --cut 6.5 -o "$tmp/bad1.out" "$tmp/bad.csv" 2> "$tmp/err1.txt"
status=$?
[ $status -eq 2 ] || fail "a bad status in a late block: exit $status, not 2"
[ -e "$tmp/bad1.out" ] && fail "a bad status in a late block left an output file"
grep -q 'bad.csv:5:2: status value 2' "$tmp/err1.txt" || fail "bad status message: $(cat "$tmp/err1.txt")"
cmp -s "$tmp/err0.txt" "$tmp/err1.txt" || fail "streamed error differs from the whole-file one"
# errors decided over the whole data: the whole-file path names them (same message, exit 2, no file)
same_error() {
    local name=$1
    shift
    "$survkit" split --block-rows 0 -o "$tmp/e0.out" "$@" 2> "$tmp/e0.txt"
    local s0=$?
    "$survkit" split --block-rows 1 -o "$tmp/e1.out" "$@" 2> "$tmp/e1.txt"
    local s1=$?
    [ $s0 -eq 2 ] && [ $s1 -eq 2 ] || fail "$name: exit $s0 whole, $s1 in blocks, not 2"
    [ -e "$tmp/e1.out" ] && fail "$name: an output file was left"
    cmp -s "$tmp/e0.txt" "$tmp/e1.txt" || fail "$name: '$(cat "$tmp/e1.txt")' in blocks, not '$(cat "$tmp/e0.txt")'"
    grep -qF "$name" "$tmp/e1.txt" || fail "$name: message '$(cat "$tmp/e1.txt")'"
}
# a status column of TRUE/FALSE words, then text in a later block: R's error at the first word
printf 'time,status\n5,TRUE\n6,FALSE\n7,maybe\n' > "$tmp/words.csv"
same_error "words.csv:2:2: 'TRUE' is not a number" -f 'Surv(time, status) ~ .' --cut 6.5 "$tmp/words.csv"
# a time <= zero in the first block, an infinite time later: Surv()'s check of every row comes first
printf 'time,status\n-1,1\n6,0\nInf,1\n' > "$tmp/order.csv"
same_error "order.csv:4:1: survival time is not finite" -f 'Surv(time, status) ~ .' --cut 6.5 "$tmp/order.csv"
# a byte that is not UTF-8 in the last block, a bad time before it: the reading error comes first
printf 'time,status,s\n-1,1,a\n6,0,b\n7,1,\xff\n' > "$tmp/bytes.csv"
same_error "bytes.csv:4:5: byte 0xFF is not UTF-8" -f 'Surv(time, status) ~ .' --cut 6.5 "$tmp/bytes.csv"

# a row with a missing field in a late block: the file's line and column, no output
printf 'time,status\n5,1\n6,0\n7\n' > "$tmp/short.csv"
"$survkit" split --block-rows 1 -f 'Surv(time, status) ~ .' --cut 6.5 -o "$tmp/short.out" "$tmp/short.csv" 2> "$tmp/err.txt"
status=$?
[ $status -eq 2 ] || fail "a short row: exit $status, not 2"
[ -e "$tmp/short.out" ] && fail "a short row left an output file"
grep -q 'short.csv:4:2: row has 1 fields but the header has 2' "$tmp/err.txt" || fail "short row message: $(cat "$tmp/err.txt")"

[ $failures -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "split streaming: every block size gives the whole file's bytes"
