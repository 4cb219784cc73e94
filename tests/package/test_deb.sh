#!/usr/bin/env bash
# test_deb.sh SOURCE_DIR WORK_DIR: builds the Debian packages as packaging/build-deb.sh builds them
# (prefix /usr, Release, Debian's hardening flags) into WORK_DIR, then checks them as a clean
# Debian 12 would take them:
#  - the contents (dpkg-deb --contents): the command, the library, a manual page for every command
#    the packaged survkit lists, survkit(3), the bash and zsh completions where Debian looks, the
#    development files; Depends worked out by dpkg-shlibdeps (libc6, libgsl27, OpenBLAS);
#  - `dpkg --dry-run -i` (as root) and `apt-get install --simulate` of both packages;
#  - the packages extracted (dpkg-deb -x) into a temporary root: `survkit --version` and a Cox fit
#    with LD_LIBRARY_PATH pointing into it, the packaged completion (found beside itself, with no
#    build-tree path), every packaged page through `man -l`, and the survkit(3) example compiled
#    with the packaged pkg-config file and run;
#  - lintian: no error and no warning (the one override is explained in README.md).
set -euo pipefail
source=$1 work=$2
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }
for tool in dpkg-deb dpkg-shlibdeps lintian man file; do
    command -v "$tool" > /dev/null || { echo "FAIL: $tool is not installed" >&2; exit 1; }
done

start=$SECONDS
mkdir -p "$work"
"$source/packaging/build-deb.sh" "$work" > "$work/debs.txt" || { echo "FAIL: packaging/build-deb.sh" >&2; exit 1; }
runtime=$(grep '/survkit_[^/]*\.deb$' "$work/debs.txt" || true)
dev=$(grep '/survkit-dev_[^/]*\.deb$' "$work/debs.txt" || true)
[ -f "$runtime" ] && [ -f "$dev" ] || { echo "FAIL: build-deb.sh made $(cat "$work/debs.txt")" >&2; exit 1; }
version=$(sed -n 's/^#define SURVKIT_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\)$/\2/p' \
    "$source/include/survkit/survkit.h" | paste -sd.)
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
[ "$(basename "$runtime")" = "survkit_${version}_${arch}.deb" ] || bad "package name $(basename "$runtime")"
[ "$(basename "$dev")" = "survkit-dev_${version}_${arch}.deb" ] || bad "package name $(basename "$dev")"
echo "built $(basename "$runtime") and $(basename "$dev") in $((SECONDS - start)) s"

# contents
contents=$(dpkg-deb --contents "$runtime" | awk '{ print $6 }' | sed 's|^\./|/|')
dev_contents=$(dpkg-deb --contents "$dev" | awk '{ print $6 }' | sed 's|^\./|/|')
has() { grep -qx -- "$2" <<< "$1" || bad "$3 lacks $2"; }
has "$contents" /usr/bin/survkit survkit
has "$contents" "/usr/lib/$multiarch/libsurvkit.so.0" survkit
has "$contents" /usr/share/bash-completion/completions/survkit survkit
has "$contents" /usr/share/zsh/vendor-completions/_survkit survkit
has "$contents" /usr/share/survkit/survkit-help.awk survkit
has "$contents" /usr/share/man/man1/survkit.1.gz survkit
has "$contents" /usr/share/doc/survkit/copyright survkit
has "$dev_contents" /usr/include/survkit/survkit.h survkit-dev
has "$dev_contents" "/usr/lib/$multiarch/libsurvkit.a" survkit-dev
has "$dev_contents" "/usr/lib/$multiarch/libsurvkit.so" survkit-dev
has "$dev_contents" "/usr/lib/$multiarch/pkgconfig/survkit.pc" survkit-dev
has "$dev_contents" "/usr/lib/$multiarch/cmake/survkit/survkitConfig.cmake" survkit-dev
has "$dev_contents" /usr/share/man/man3/survkit.3.gz survkit-dev
if grep -q '^/usr/include\|\.a$\|/man3/' <<< "$contents"; then bad "survkit holds development files"; fi
depends=$(dpkg-deb --field "$runtime" Depends)
for needed in libc6 libgsl27 libopenblas; do
    grep -q "$needed" <<< "$depends" || bad "survkit Depends ($depends) lacks $needed"
done
dpkg-deb --ctrl-tarfile "$runtime" | tar -t | grep 'triggers$' > /dev/null || bad "survkit has no ldconfig trigger"
echo "Depends: $depends"

# installable on this system
if [ "$(id -u)" -eq 0 ]; then
    dpkg --dry-run -i "$runtime" "$dev" > "$work/dpkg-dry-run.log" 2>&1 ||
        { cat "$work/dpkg-dry-run.log"; bad "dpkg --dry-run -i"; }
else
    echo "note: not root, dpkg --dry-run -i skipped"
fi
apt-get install --simulate -o Debug::NoLocking=1 "$runtime" "$dev" > "$work/apt-simulate.log" 2>&1 ||
    { cat "$work/apt-simulate.log"; bad "apt-get install --simulate"; }

# extracted into a temporary root
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$runtime" "$root"
dpkg-deb -x "$dev" "$root"
export LD_LIBRARY_PATH=$root/usr/lib/$multiarch${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
expect_version="survkit $version"
[ "$("$root/usr/bin/survkit" --version)" = "$expect_version" ] || bad "survkit --version"
"$root/usr/bin/survkit" cox -f 'Surv(time, status) ~ age + sex' --format json \
    "$source/datasets/lung.csv" > "$root/cox.json" || bad "the packaged survkit cannot fit a Cox model"
grep -q '"command": *"cox"' "$root/cox.json" || bad "the packaged survkit's Cox JSON"
ldd "$root/usr/bin/survkit" | grep "$root/usr/lib/$multiarch/libsurvkit.so.0" > /dev/null ||
    bad "the packaged survkit does not load the packaged library"

commands=$("$root/usr/bin/survkit" --help | sed -n '/^commands:$/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p')
for cmd in $commands; do
    has "$contents" "/usr/share/man/man1/survkit-$cmd.1.gz" survkit
done
for page in "$root"/usr/share/man/man1/*.gz "$root"/usr/share/man/man3/*.gz; do
    warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 > /dev/null)
    [ -z "$warnings" ] || bad "$(basename "$page"): $warnings"
done

# the packaged bash completion, with survkit-help.awk found beside it
offered=$(cd "$source" && bash --norc -c '
    source /usr/share/bash-completion/bash_completion
    source "$1"
    COMP_WORDS=("$2" cox --ties "")
    COMP_CWORD=3
    COMP_LINE="${COMP_WORDS[*]}"
    COMP_POINT=${#COMP_LINE}
    _survkit
    printf "%s " "${COMPREPLY[@]}"' _ "$root/usr/share/bash-completion/completions/survkit" \
    "$root/usr/bin/survkit")
[ "$offered" = "efron breslow exact " ] || bad "packaged completion of cox --ties: '$offered'"

# survkit(3)'s example, compiled against the packaged development files
sed -n '/^\.SH EXAMPLES/,/^\.SH/p' <(zcat "$root/usr/share/man/man3/survkit.3.gz") |
    sed -n '/^\.EX/,/^\.EE/p' | sed '1d;$d' | sed 's/\\e/\\/g' > "$root/example.c"
PKG_CONFIG_PATH=$root/usr/lib/$multiarch/pkgconfig
export PKG_CONFIG_PATH
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror -o "$root/example" "$root/example.c" $(pkg-config --cflags --libs survkit) ||
    bad "survkit(3)'s example does not compile against survkit-dev"
[ -x "$root/example" ] && { "$root/example" | grep '^coef ' > /dev/null || bad "survkit(3)'s example does not run"; }

# lintian: errors and warnings fail (info and pedantic tags are listed, README.md explains them)
lintian -I --pedantic --show-overrides "$runtime" "$dev" > "$work/lintian.log" 2>&1 || true
grep -v '^N:' "$work/lintian.log" || true
if grep -q '^[EW]: ' "$work/lintian.log"; then bad "lintian errors or warnings"; fi

[ $fail -eq 0 ] && echo "Debian packages: built, installable, clean ($((SECONDS - start)) s)"
exit $fail
