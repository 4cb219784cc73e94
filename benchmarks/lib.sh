# benchmarks/lib.sh: what the benchmark scripts share. Source it first thing:
#   . "$(dirname "$0")/lib.sh"
# It sets here (this folder), root (the repository), survkit (the default binary) and the defaults of
# the options every script reads the same way: workdir="" (a temporary folder), keep=0, use_r=1.

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
survkit="$root/build/src/survkit"
workdir=""
keep=0
use_r=1

# bench_options NAME HELP_LINES OPTIONS ARGS...: read the command line ARGS. Every script takes
# --survkit PATH, --workdir DIR and -h/--help (prints lines HELP_LINES, e.g. 2,14, of the script's
# header comment, exit 0). OPTIONS lists, blank-separated, the script's other options without their
# dashes: a word `some-name` is an option with a value, stored in $some_name (the script sets its
# default before the call); a word `flag:var=value` is an option without a value that sets var to
# value (keep:keep=1, no-r:use_r=0). A later option overrides an earlier one. Anything else, or an
# option without its value: one message, exit status 2.
bench_options() {
    local name=$1 help=$2 takes=" survkit workdir $3 " word opt
    shift 3
    while [ $# -gt 0 ]; do
        case $1 in -h|--help) sed -n "${help}p" "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
        opt=${1#--}
        word=""
        [ "$opt" = "$1" ] || for word in $takes; do [ "${word%%:*}" = "$opt" ] && break; word=""; done
        if [ -z "$word" ]; then
            echo "$name: unknown argument '$1' (see --help)" >&2
            exit 2
        fi
        if [ "$word" != "${word#*:}" ]; then
            word=${word#*:}
            printf -v "${word%%=*}" '%s' "${word#*=}"
        else
            [ $# -ge 2 ] || { echo "$name: $1 needs a value (see --help)" >&2; exit 2; }
            printf -v "${opt//-/_}" '%s' "$2"
            shift
        fi
        shift
    done
}

# bench_prepare NAME R_NEEDS: after the options are read, check that $survkit runs and (when
# R_NEEDS is not empty) that Rscript is there, then make $workdir (a temporary folder unless given),
# removed at exit unless keep=1. Exit status 2 with one message otherwise.
bench_prepare() {
    local name=$1 r_needs=$2
    [ -x "$survkit" ] || { echo "$name: no survkit binary at $survkit (build first, or --survkit PATH)" >&2; exit 2; }
    if [ -n "$r_needs" ] && ! command -v Rscript >/dev/null; then
        echo "$name: needs Rscript with $r_needs" >&2
        exit 2
    fi
    [ -n "$workdir" ] || workdir=$(mktemp -d "${TMPDIR:-/tmp}/survkit-bench.XXXXXX")
    mkdir -p "$workdir"
    [ "$keep" = 1 ] || trap 'rm -rf "$workdir"' EXIT
}


# bench_best_fit RUNS JSON COMMAND...: run `COMMAND... --format json --timings` (a survkit call)
# RUNS times, keep in JSON the report of the run whose fit stage was the fastest (on a shared
# machine the slower runs measure the neighbours) and print its fit_s.
bench_best_fit() {
    local runs=$1 out=$2 best="" fit run
    shift 2
    for run in $(seq "$runs"); do
        "$@" --format json --timings > "$out.run" || return
        fit=$(grep -o '"fit_s": *[-0-9.eE+]*' "$out.run" | head -n 1 | sed 's/.*: *//')
        if [ -z "$best" ] || awk -v a="$fit" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$fit
            mv "$out.run" "$out"
        fi
    done
    rm -f "$out.run"
    echo "$best"
}

# bench_r_coxph DATA FORMULA JSON: the R lines that begin a comparison with coxph: read DATA with
# fread (d), time coxph(FORMULA, data = d) (tm seconds, fit), read survkit's JSON report (sk), and
# rel(a, b), the largest relative difference of a from b.
bench_r_coxph() {
    printf '%s\n' \
        "suppressPackageStartupMessages({library(survival); library(data.table); library(jsonlite)})" \
        "d <- fread('$1')" \
        "tm <- system.time(fit <- coxph($2, data = d))[['elapsed']]" \
        "sk <- fromJSON('$3')" \
        "rel <- function(a, b) max(abs(a - b) / pmax(abs(b), 1e-300))"
}
