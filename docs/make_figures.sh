#!/usr/bin/env bash
# make_figures.sh: regenerate the figures that docs/tutorial.md shows, by running the page's own
# commands (every ```sh block that draws with --plot), exactly as a reader would from the
# repository root, and copying the PNG files they write under docs/ into OUTDIR.
# Usage: docs/make_figures.sh [SURVKIT [OUTDIR]]   (defaults: build/src/survkit and docs/)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SURVKIT=$(realpath "${1:-$ROOT/build/src/survkit}")
OUT=${2:-$ROOT/docs}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/blocks" "$work/bin" "$work/run/docs" "$OUT"
# the commands read datasets/ and examples/ and write docs/: a scratch root with the inputs linked
ln -s "$ROOT/datasets" "$work/run/datasets"
ln -s "$ROOT/examples" "$work/run/examples"
ln -s "$SURVKIT" "$work/bin/survkit"
awk -v dir="$work/blocks" -f "$ROOT/docs/tutorial_blocks.awk" "$ROOT/docs/tutorial.md"
for step in "$work"/blocks/*.sh; do
    grep -q -- '--plot ' "$step" || continue
    (cd "$work/run" && PATH="$work/bin:$PATH" bash -e -o pipefail "$step" > /dev/null)
done
for png in "$work"/run/docs/*.png; do
    cp "$png" "$OUT/"
    echo "$OUT/$(basename "$png")"
done
