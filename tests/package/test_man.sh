#!/usr/bin/env bash
# test_man.sh SURVKIT BUILD_DIR SOURCE_DIR: the manual pages of the build (cmake/SurvkitDocs.cmake)
#  - every command `survkit --help` lists has a page, and that page shows every option of
#    `survkit CMD --help` (options read here from the help text itself, not through the renderer);
#  - survkit(1) lists every command, survkit(3) every header survkit.h includes;
#  - `man -l` renders every page without a warning, as lintian runs it;
#  - page sources for commands this survkit does not have yet render without warnings too.
set -euo pipefail
survkit=$1 build=$2 source=$3
man_dir=$build/man
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }
command -v man > /dev/null || { echo "FAIL: man is not installed (man-db, groff-base)" >&2; exit 1; }

# warnings of `man -l` for a page: lintian's invocation (manpages check), any output is a warning
man_warnings() {
    # shellcheck disable=SC2069 # standard error captured, the page itself dropped
    LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$1" 2>&1 > /dev/null
}
rendered() { LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$1" 2> /dev/null; }

commands=$("$survkit" --help | sed -n '/^commands:$/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p')
[ -n "$commands" ] || bad "no commands in survkit --help"
for page in "$man_dir/man1/survkit.1.gz" "$man_dir/man3/survkit.3.gz"; do
    [ -f "$page" ] || bad "missing $page"
done

for cmd in $commands; do
    page=$man_dir/man1/survkit-$cmd.1.gz
    if [ ! -f "$page" ]; then
        bad "survkit $cmd has no manual page ($page; write docs/man/survkit-$cmd.1.in)"
        continue
    fi
    warnings=$(man_warnings "$page")
    [ -z "$warnings" ] || bad "survkit-$cmd.1: man warns: $warnings"
    text=$(rendered "$page")
    grep -q "^NAME" <<< "$text" || bad "survkit-$cmd.1 has no NAME section"
    grep -q "survkit-$cmd - " <<< "$text" || bad "survkit-$cmd.1: NAME is not 'survkit-$cmd - ...'"
    grep -q "^EXAMPLES" <<< "$text" || bad "survkit-$cmd.1 has no EXAMPLES section"
    # every option of the command's help, with its argument, in the page's OPTIONS section
    options=$("$survkit" "$cmd" --help | sed -n 's/^  \(-[A-Za-z0-9], \|    \|\)\(--[a-z0-9][a-z0-9-]*\).*/\2/p')
    [ -n "$options" ] || bad "survkit $cmd --help lists no options"
    section=$(sed -n '/^OPTIONS/,/^[A-Z]/p' <<< "$text")
    for option in $options; do
        grep -q -- "^ *\(-[A-Za-z0-9], \)\?$option\b" <<< "$section" ||
            bad "survkit-$cmd.1: OPTIONS lacks $option"
    done
    grep -q "survkit-$cmd(1)" <(rendered "$man_dir/man1/survkit.1.gz") ||
        bad "survkit.1 does not list survkit-$cmd(1)"
done

for page in "$man_dir/man1/survkit.1.gz" "$man_dir/man3/survkit.3.gz"; do
    warnings=$(man_warnings "$page")
    [ -z "$warnings" ] || bad "$(basename "$page"): man warns: $warnings"
done
text3=$(rendered "$man_dir/man3/survkit.3.gz")
for header in $(sed -n 's|^#include "survkit/\([a-z_]*\.h\)".*|\1|p' "$source/include/survkit/survkit.h"); do
    grep -q "<survkit/$header>" <<< "$text3" || bad "survkit.3 does not describe <survkit/$header>"
done

# Page sources whose command is not in this survkit (written ahead of a merge): rendered with no
# options, they must still be valid pages.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$survkit" --help | awk -f "$source/completion/survkit-help.awk" > "$tmp/commands"
for src in "$source"/docs/man/survkit-*.1.in; do
    cmd=${src##*/survkit-}
    cmd=${cmd%.1.in}
    grep -qx "$cmd" <<< "$commands" && continue
    printf 'usage\tsurvkit %s [options] DATA\n' "$cmd" > "$tmp/records"
    awk -v commands="$tmp/commands" -v records="$tmp/records" -v cmd="$cmd" \
        -v include="$source/include" -v version=0 -v date=2000-01-01 \
        -f "$source/docs/man/render.awk" "$src" > "$tmp/survkit-$cmd.1"
    warnings=$(man_warnings "$tmp/survkit-$cmd.1")
    [ -z "$warnings" ] || bad "survkit-$cmd.1.in (command not built): man warns: $warnings"
    echo "note: survkit-$cmd.1.in checked alone (survkit $cmd is not in this build)"
done

[ $fail -eq 0 ] && echo "manual pages: $(wc -w <<< "$commands") commands, all pages present and clean"
exit $fail
