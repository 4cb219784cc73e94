# km_lib.sh: helpers for the km and logrank command-line tests (bash and coreutils/awk only).
# Sourced by test_km.sh and test_logrank.sh.

fail() { echo "FAIL: $*" >&2; exit 1; }

# The JSON number that follows the text `$2` in `$1` (the first occurrence).
json_after() {
    local rest="${1#*"$2"}"
    [ "$rest" != "$1" ] || fail "'$2' not found in output"
    printf '%s\n' "$rest" | sed -E 's/^([-0-9.eE+]+|null).*/\1/'
}

# Is `$1` within 1e-9 relative of the R value `$2`? (`$3` names the check.)
assert_close() {
    awk -v a="$1" -v e="$2" -v what="$3" 'BEGIN {
        d = a - e; if (d < 0) d = -d; m = (a < 0 ? -a : a); if ((e < 0 ? -e : e) > m) m = (e < 0 ? -e : e);
        if (a == "" || d > 1e-9 * m) { printf "FAIL: %s: got %s, R gives %s\n", what, a, e > "/dev/stderr"; exit 1 }
    }' || exit 1
}

