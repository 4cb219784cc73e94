#!/usr/bin/env bash
# run_bindings.sh: the Python and R bindings against an installed libsurvkit, as a user builds them:
# installs the Release build in build/ into a temporary prefix, builds both packages against it (found
# with pkg-config), runs pytest (with the CLI comparison) and testthat. Needs python3-dev
# python3-setuptools python3-numpy python3-pandas python3-pytest python3-pip r-base-dev
# r-cran-survival r-cran-testthat. Under a minute on 2 cores.
set -eu
cd "$(dirname "$0")/../.."
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install build --prefix "$tmp/prefix" >/dev/null
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$(find "$tmp/prefix" -name survkit.pc | head -n 1)")
# Build the Python package from a copy, so no build/ or .so is left in the source tree.
cp -r bindings/python "$tmp/python-src"
/usr/bin/python3 -m pip install -q --no-build-isolation --no-index --no-deps --target "$tmp/python" \
    "$tmp/python-src"
( cd "$tmp" && SURVKIT_SOURCE=$root SURVKIT_CLI=$tmp/prefix/bin/survkit PYTHONPATH=$tmp/python \
    /usr/bin/python3 -m pytest -q -p no:cacheprovider "$root/bindings/python/tests" )
mkdir -p "$tmp/R"
cp -r bindings/r "$tmp/r-src"
R CMD INSTALL --no-test-load -l "$tmp/R" "$tmp/r-src" >"$tmp/r-install.log" 2>&1 || { cat "$tmp/r-install.log"; exit 1; }
( cd "$root/bindings/r/tests" && SURVKIT_SOURCE=$root R_LIBS=$tmp/R Rscript -e \
    'library(testthat); library(survkit); test_dir("testthat", reporter = "summary", stop_on_failure = TRUE)' )
