#!/usr/bin/env bash
# test_install.sh BUILD_DIR SOURCE_DIR: installs survkit into a temporary prefix, then builds and
# runs a consumer against it twice: through pkg-config and through find_package(survkit).
set -euo pipefail
build=$1
source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
version=$(sed -n 's/^Version: //p' "$work"/prefix/lib*/pkgconfig/survkit.pc)
libdir=$(dirname "$(ls "$work"/prefix/lib*/libsurvkit.so)")

# 1. pkg-config
export PKG_CONFIG_PATH="$libdir/pkgconfig"
cc -std=c11 -Wall -Wextra -Werror -DSURVKIT_VERSION_STRING_FOR_TEST="\"$version\"" \
  "$source/tests/install/consumer.c" $(pkg-config --cflags --libs survkit) -o "$work/consumer_pc"
LD_LIBRARY_PATH="$libdir" "$work/consumer_pc"

# 2. find_package(survkit)
cmake -S "$source/tests/install" -B "$work/consumer_build" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_BUILD_TYPE=Release > "$work/consumer_configure.log"
cmake --build "$work/consumer_build" > "$work/consumer_build.log"
"$work/consumer_build/consumer"

# 3. the public header compiles as C++ (extern "C")
if command -v c++ > /dev/null; then
  c++ -fsyntax-only -x c++ -Wall -Wextra -Werror -DSURVKIT_VERSION_STRING_FOR_TEST="\"$version\"" \
    -I"$work/prefix/include" "$source/tests/install/consumer.c"
fi
# 4. the installed CLI runs from its prefix
"$work/prefix/bin/survkit" --version
# 5. exactly one CBLAS is linked by survkit itself: OpenBLAS, never GSL's reference CBLAS
if readelf -d "$libdir/libsurvkit.so" | grep -q 'libgslcblas'; then
  echo "libsurvkit links libgslcblas directly" >&2; exit 1
fi
# ... and at run time every cblas_* call binds to OpenBLAS (Debian's libgsl.so carries its own
# NEEDED on libgslcblas, but OpenBLAS comes first in load order, so its symbols win).
bindings=$(LD_DEBUG=bindings "$work/prefix/bin/survkit" cox -f 'Surv(time, status) ~ age + sex' \
  "$source/datasets/lung.csv" 2>&1 >/dev/null | grep -E "symbol .cblas_" || true)
[ -n "$bindings" ] || { echo "no cblas binding seen" >&2; exit 1; }
if grep -v 'libopenblas' <<<"$bindings" | grep -q .; then
  echo "a cblas symbol binds outside OpenBLAS:" >&2; grep -v libopenblas <<<"$bindings" >&2; exit 1
fi
echo "install test passed"
