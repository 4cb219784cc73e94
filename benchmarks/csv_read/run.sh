#!/usr/bin/env bash
# run.sh [BUILD_DIR] [MB]: generate a ~MB numeric CSV (default 300) once, then time the reader on
# it with one thread and with every core. The figures depend on the machine and its load.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
mb=${2:-300}
data=${SURVKIT_BENCH_DATA:-${TMPDIR:-/tmp}/survkit_bench_${mb}mb.csv}
[ -s "$data" ] || { echo "generating $data ..."; "$here/generate.sh" "$data" "$mb"; }
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I "$root/include" "$here/bench_read.c" \
   -L "$build/src" -lsurvkit -Wl,-rpath,"$build/src" -o "$bin/bench_read"
cat "$data" > /dev/null   # warm the page cache: measure parsing, not the disk
"$bin/bench_read" "$data" 2
"$build/src/survkit" describe --timings --format csv "$data" > /dev/null
