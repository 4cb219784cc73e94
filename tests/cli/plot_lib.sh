# plot_lib.sh: helpers of the --plot command-line tests (bash, coreutils, od and awk only). Sourced
# after km_lib.sh (for fail) by test_km_plot.sh, test_cuminc_plot.sh and test_ipw_plot.sh, which set
# $bin (the survkit to run) and $tmp (a scratch directory).

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
