#!/bin/sh
# build-deb.sh [BUILD_DIR]: build survkit's Debian packages the way they are meant to be built --
# prefix /usr (so the library goes to /usr/lib/<triplet>), Release, with Debian's compiler and
# linker hardening flags (dpkg-buildflags, hardening=+all) -- and write survkit_VERSION_ARCH.deb
# and survkit-dev_VERSION_ARCH.deb into BUILD_DIR (default build-deb). Needs dpkg-dev and file
# (dpkg-shlibdeps works out the Depends). Run from anywhere; prints the paths of the two packages.
set -eu
source_dir=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-$source_dir/build-deb}
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
CFLAGS="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
LDFLAGS=$(dpkg-buildflags --get LDFLAGS)
export CFLAGS LDFLAGS
mkdir -p "$build_dir"
# SURVKIT_DEB_CMAKE_ARGS: more -D options, e.g. -DSURVKIT_PLOTS=OFF
# shellcheck disable=SC2086
cmake -S "$source_dir" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
    -DSURVKIT_BUILD_TESTS=OFF -DSURVKIT_BUILD_EXAMPLES=OFF ${SURVKIT_DEB_CMAKE_ARGS:-} \
    > "$build_dir/configure.log" 2>&1 || { cat "$build_dir/configure.log"; exit 1; }
cmake --build "$build_dir" -j"${JOBS:-2}" > "$build_dir/build.log" 2>&1 ||
    { tail -50 "$build_dir/build.log"; exit 1; }
rm -f "$build_dir"/*.deb
(cd "$build_dir" && cpack -G DEB > cpack.log 2>&1) || { cat "$build_dir/cpack.log"; exit 1; }
ls "$build_dir"/*.deb
