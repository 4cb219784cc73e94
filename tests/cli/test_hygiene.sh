#!/usr/bin/env bash
# test_hygiene.sh: the library's contract with its callers, checked on the built binaries.
#  1. libsurvkit.so exports only survkit_* symbols (everything internal is hidden).
#  2. No object of libsurvkit.a refers to printing, exiting or aborting, nor to stdout/stderr:
#     the library returns a status and a message; the program decides what to print and when to
#     exit. (`assert` is allowed: style.md uses it for invariants, and Release builds compile it out.)
# Arguments: path-to-survkit repo-root (the libraries are found beside the survkit binary).
set -u
bin=$1
dir=$(dirname "$(readlink -f "$bin")")
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

shared=$(ls "$dir"/libsurvkit.so 2>/dev/null | head -1)
static=$dir/libsurvkit.a
[ -n "$shared" ] || fail "no libsurvkit.so beside $bin"
[ -f "$static" ] || fail "no libsurvkit.a beside $bin"
[ "$failures" -eq 0 ] || exit 1

exported=$(nm -D --defined-only "$shared" | awk 'NF >= 3 { print $3 }')
[ -n "$exported" ] || fail "libsurvkit.so exports nothing"
echo "$exported" | grep -q '^survkit_version_string$' || fail "survkit_version_string is not exported"
bad=$(echo "$exported" | grep -v '^survkit_' | grep -Ev '^(_init|_fini|_edata|_end|__bss_start)$')
[ -z "$bad" ] || fail "libsurvkit.so exports non-survkit symbols: $(echo $bad)"

forbidden='printf|fprintf|vprintf|vfprintf|dprintf|vdprintf|__printf_chk|__fprintf_chk|__vfprintf_chk|puts|fputs|putchar|fputc|putc|_IO_putc|fwrite|perror|psignal|exit|_exit|_Exit|quick_exit|abort|stdout|stderr|stdin|system|raise|gsl_error|gsl_stream_printf'
while read -r object symbol; do
    fail "$object refers to $symbol"
done < <(nm -u -A "$static" 2>/dev/null |
         awk -v re="^($forbidden)(@.*)?$" '{ sym = $NF; obj = $1; sub(/:$/, "", obj); if (sym ~ re) print obj, sym }')
# gsl_error is how GSL reports through its (aborting) default handler: the library calls GSL only
# with checked arguments and never relies on it (the CLI turns the handler off).

if [ "$failures" -gt 0 ]; then exit 1; fi
echo "hygiene: $(echo "$exported" | wc -l) exported symbols, all survkit_*; $(ar t "$static" | wc -l) objects, none prints, exits or aborts"
