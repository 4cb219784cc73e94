# benchmarks/lib.sh: what the benchmark scripts share. Source it first thing:
#   . "$(dirname "$0")/lib.sh"
# It sets here (this folder), root (the repository) and survkit (the default binary).

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
survkit="$root/build/src/survkit"

# bench_prepare NAME R_NEEDS: after the options are read, check that $survkit runs and (when
# R_NEEDS is not empty) that Rscript is there, then make $workdir (a temporary folder unless given),
# removed at exit unless keep=1. Exit status 2 with one message otherwise.
bench_prepare() {
    local name=$1 r_needs=$2
    [ -x "$survkit" ] || { echo "$name: no survkit binary at $survkit" >&2; exit 2; }
    if [ -n "$r_needs" ] && ! command -v Rscript >/dev/null; then
        echo "$name: needs Rscript with $r_needs" >&2
        exit 2
    fi
    [ -n "$workdir" ] || workdir=$(mktemp -d)
    mkdir -p "$workdir"
    [ "$keep" = 1 ] || trap 'rm -rf "$workdir"' EXIT
}
