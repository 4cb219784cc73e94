#!/usr/bin/env bash
# test_outputs.sh: what -o, --save, --residuals and --plot do to the paths they are given (issue 21,
# defects 1 and 2). A FIFO, a character device, /dev/stdout and process substitution are written
# directly, never replaced by a regular file; a symbolic link stays a link and its file gets the
# result; an existing file keeps its mode and its hard links; a bad path fails before any work and
# leaves nothing (no --save, no --plot written before a bad -o is found); a temporary file is removed
# when the command is interrupted; an out-of-range option value is reported as given (it was read
# from freed memory).
# Arguments: path-to-survkit repo-root
set -u
bin=$1
root=$2
. "$root/tests/cli/lib.sh"
cli_test_start tmp
check() { checks=$((checks + 1)); }
lung=$root/datasets/lung.csv
KM=(km -f 'Surv(time, status) ~ sex' "$lung")
COX=(cox -f 'Surv(time, status) ~ age + sex' "$lung")

# The reference output, written to standard output.
"$bin" "${KM[@]}" --format json > "$tmp/expected.json" || fail "km to stdout: exit $?"
[ -s "$tmp/expected.json" ] || fail "km to stdout: empty"

# leftovers DIR: temporary files left in DIR (there must be none).
leftovers() { find "$1" -maxdepth 1 -name '*.tmp.*' | wc -l; }

# A FIFO: written through, still a FIFO.
mkfifo "$tmp/fifo"
timeout 20 cat "$tmp/fifo" > "$tmp/from_fifo" & # a FIFO replaced by a file never gets a writer
reader=$!
"$bin" "${KM[@]}" --format json -o "$tmp/fifo"
rc=$?
wait "$reader"
check
[ "$rc" -eq 0 ] || fail "fifo: exit $rc"
[ -p "$tmp/fifo" ] || fail "fifo: the FIFO was replaced by a regular file"
cmp -s "$tmp/from_fifo" "$tmp/expected.json" || fail "fifo: the reader did not get the output"

# /dev/stdout, /dev/fd/1 and process substitution.
for target in /dev/stdout /dev/fd/1; do
    check
    "$bin" "${KM[@]}" --format json -o "$target" > "$tmp/via_stdout" ||
        fail "-o $target: exit $?"
    cmp -s "$tmp/via_stdout" "$tmp/expected.json" || fail "-o $target: not the output"
done
check
"$bin" "${KM[@]}" --format json -o >(cat > "$tmp/substituted") || fail "-o >(...): exit $?"
for _ in $(seq 50); do cmp -s "$tmp/substituted" "$tmp/expected.json" && break; sleep 0.1; done
cmp -s "$tmp/substituted" "$tmp/expected.json" || fail "-o >(...): not the output"

# Character devices of our own (root only: mknod), so a failure harms nothing of the system's:
# a null device stays a device; a full device gives the disk-full error and stays a device.
if mknod "$tmp/null" c 1 3 2>/dev/null && mknod "$tmp/full" c 1 7 2>/dev/null; then
    check
    "$bin" "${KM[@]}" -o "$tmp/null" || fail "null device: exit $?"
    [ -c "$tmp/null" ] || fail "null device: replaced by a regular file"
    check
    "$bin" "${KM[@]}" -o "$tmp/full" 2> "$tmp/err"
    rc=$?
    [ "$rc" -eq 2 ] || fail "full device: exit $rc, expected 2"
    grep -q 'No space left on device' "$tmp/err" || fail "full device: message: $(cat "$tmp/err")"
    [ -c "$tmp/full" ] || fail "full device: replaced by a regular file"
    [ "$(leftovers "$tmp")" -eq 0 ] || fail "full device: temporary file left"
else
    echo "note: mknod not permitted; the device cases are covered by the FIFO and /dev/stdout"
fi

# A symbolic link stays a link; the file it names gets the output (relative and dangling links).
mkdir "$tmp/real" "$tmp/links"
echo old > "$tmp/real/result.json"
ln -s ../real/result.json "$tmp/links/rel"
ln -s "$tmp/real/new.json" "$tmp/links/dangling"
ln -s rel "$tmp/links/chain"
for link in rel dangling chain; do
    check
    "$bin" "${KM[@]}" --format json -o "$tmp/links/$link" || fail "link $link: exit $?"
    [ -L "$tmp/links/$link" ] || fail "link $link: replaced by a regular file"
    cmp -s "$tmp/links/$link" "$tmp/expected.json" || fail "link $link: the file it names lacks the output"
done
[ "$(leftovers "$tmp/links")" -eq 0 ] && [ "$(leftovers "$tmp/real")" -eq 0 ] || fail "links: temporary files left"

# An existing file keeps its mode and its other hard links.
echo old > "$tmp/mode.json"
chmod 640 "$tmp/mode.json"
check
"$bin" "${KM[@]}" --format json -o "$tmp/mode.json" || fail "mode: exit $?"
[ "$(stat -c %a "$tmp/mode.json")" = 640 ] || fail "mode: $(stat -c %a "$tmp/mode.json"), expected 640"
echo old > "$tmp/linked.json"
ln "$tmp/linked.json" "$tmp/other_name.json"
check
"$bin" "${KM[@]}" --format json -o "$tmp/linked.json" || fail "hard link: exit $?"
cmp -s "$tmp/other_name.json" "$tmp/expected.json" || fail "hard link: the other name keeps the old contents"
[ "$(stat -c %h "$tmp/linked.json")" = 2 ] || fail "hard link: broken"
[ "$(leftovers "$tmp")" -eq 0 ] || fail "hard link: temporary file left"

# A new file gets 0666 less the umask, as a plain open would give it.
check
(umask 027 && "$bin" "${KM[@]}" -o "$tmp/new.txt") || fail "new file: exit $?"
[ "$(stat -c %a "$tmp/new.txt")" = 640 ] || fail "new file: mode $(stat -c %a "$tmp/new.txt"), expected 640"

# expect_refused WHAT PATTERN ARGS...: exit 2, one line matching PATTERN, and none of the other
# outputs written (the folder $tmp/w stays empty).
expect_refused() {
    local what=$1 pattern=$2
    shift 2
    rm -rf "$tmp/w" && mkdir "$tmp/w"
    check
    "$bin" "$@" > "$tmp/stdout" 2> "$tmp/err"
    local rc=$?
    [ "$rc" -eq 2 ] || { fail "$what: exit $rc, expected 2"; return; }
    [ "$(wc -l < "$tmp/err")" -eq 1 ] || fail "$what: not one line on stderr: $(cat "$tmp/err")"
    grep -Eq -e "$pattern" "$tmp/err" || fail "$what: message '$(cat "$tmp/err")' lacks /$pattern/"
    [ -z "$(ls -A "$tmp/w")" ] || fail "$what: left $(ls -A "$tmp/w")"
    [ ! -s "$tmp/stdout" ] || fail "$what: wrote to standard output"
}
expect_refused "-o in a missing folder, with --save" "cannot write .*/missing/out: No such file" \
    "${COX[@]}" --save "$tmp/w/model.json" -o "$tmp/w/missing/out"
expect_refused "--save in a missing folder" "cannot write .*/missing/model.json: No such file" \
    "${COX[@]}" --save "$tmp/w/missing/model.json" -o "$tmp/w/out"
expect_refused "-o a folder" "cannot write .*: Is a directory" "${KM[@]}" -o "$tmp/w"
expect_refused "zph --residuals in a missing folder" "cannot write .*/missing/res.csv" \
    zph -f 'Surv(time, status) ~ age + sex' "$lung" --residuals "$tmp/w/missing/res.csv" -o "$tmp/w/out"
if "$bin" km --help | grep -q -- '--plot '; then
    expect_refused "km --plot with a bad -o" "cannot write .*/missing/out" \
        "${KM[@]}" --plot "$tmp/w/curves.png" -o "$tmp/w/missing/out"
    expect_refused "zph --plot with a bad -o" "cannot write .*/missing/out" \
        zph -f 'Surv(time, status) ~ age + sex' "$lung" --plot "$tmp/w/zph.png" \
        --residuals "$tmp/w/res.csv" -o "$tmp/w/missing/out"
    check
    "$bin" "${KM[@]}" --plot "$tmp/links/plot.svg" -o /dev/null || fail "km --plot: exit $?"
    [ -s "$tmp/links/plot.svg" ] || fail "km --plot: no picture"
fi
if [ "$(id -u)" -ne 0 ]; then
    echo keep > "$tmp/readonly.json"
    chmod 444 "$tmp/readonly.json"
    expect_refused "-o a read-only file" "Permission denied" "${KM[@]}" -o "$tmp/readonly.json"
    grep -qx keep "$tmp/readonly.json" || fail "read-only file: overwritten"
fi

# Defect 2: the bad value is reported as given (it was read from freed memory).
expect_refused "--quantiles out of range" "--quantiles must lie in \[0, 1\], not 1\.5$" \
    "${KM[@]}" --quantiles 0.5,1.5 -o "$tmp/w/out"
expect_refused "--quantiles negative" "not -0\.25$" "${KM[@]}" --quantiles=-0.25 -o "$tmp/w/out"

# Interrupted: the temporary file goes with the process (SIGINT and SIGTERM). Job control on, so
# the background command does not start with SIGINT ignored, as a non-interactive shell would.
set -m
for sig in INT TERM; do
    rm -rf "$tmp/sig" && mkdir "$tmp/sig"
    "$bin" simulate -n 4000000 -p 10 --quiet -o "$tmp/sig/big.csv" &
    pid=$!
    for _ in $(seq 500); do [ "$(leftovers "$tmp/sig")" -gt 0 ] && break; sleep 0.02; done
    check
    if [ "$(leftovers "$tmp/sig")" -eq 0 ]; then
        fail "SIG$sig: no temporary file appeared"
    fi
    kill -s "$sig" "$pid"
    wait "$pid"
    rc=$?
    sigrc=$((128 + $(kill -l "$sig")))
    [ "$rc" -eq "$sigrc" ] || fail "SIG$sig: exit $rc, expected $sigrc (ended by the signal)"
    [ -z "$(ls -A "$tmp/sig")" ] || fail "SIG$sig: left $(ls -A "$tmp/sig")"
done
set +m

cli_test_counts test_outputs
