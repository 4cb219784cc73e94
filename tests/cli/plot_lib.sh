# plot_lib.sh: helpers of the --plot command-line tests (bash, coreutils, od and awk only). Sourced
# by the tests that draw; png_size and is_png need nothing, expect_plot_usage needs fail (km_lib.sh
# or lib.sh), $bin (the survkit to run) and $tmp (a scratch directory).

# expect_plot_usage CMD FORMULA DATA WANT ARGS...: `survkit CMD -f FORMULA ARGS... DATA` must be a
# usage error (exit 2) whose message holds WANT.
expect_plot_usage() {
    local cmd="$1" formula="$2" data="$3" want="$4"; shift 4
    "$bin" "$cmd" -f "$formula" "$@" "$data" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    [ $rc -eq 2 ] || fail "$cmd $* exited $rc, expected 2"
    grep -qF -- "$want" "$tmp/err" || fail "$cmd $*: stderr lacks '$want': $(cat "$tmp/err")"
}

# png_size FILE: "WIDTHxHEIGHT" from the PNG's IHDR chunk.
png_size() {
    od -An -tu1 -j16 -N8 "$1" |
        awk '{ print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8 }'
}

# is_png FILE: FILE starts with the PNG signature (137 P N G \r \n 26 \n).
is_png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }

# plot_keeps_report PNG SIZE SURVKIT CMD ARGS...: `SURVKIT CMD ARGS...` prints the same report with
# --plot PNG as without, and PNG is a PNG picture of SIZE (WIDTHxHEIGHT) pixels.
plot_keeps_report() {
    local png=$1 size=$2 survkit=$3 cmd=$4
    shift 4
    "$survkit" "$cmd" "$@" > "$png.plain.txt" 2> /dev/null || fail "$cmd exit"
    "$survkit" "$cmd" --plot "$png" "$@" > "$png.with.txt" 2> "$png.err" ||
        fail "$cmd --plot exit: $(cat "$png.err")"
    cmp -s "$png.plain.txt" "$png.with.txt" || fail "$cmd: --plot changed the report"
    is_png "$png" || fail "$png: PNG signature"
    [ "$(png_size "$png")" = "$size" ] || fail "$png: $(png_size "$png"), want $size"
}
