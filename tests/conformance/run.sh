#!/usr/bin/env bash
# Conformance of `parse-feed` on the feedparser corpus (shared/conformance). CI calls this.
#
#   tests/conformance/run.sh [run.py options, e.g. --failures 50]
#
# Builds parse-feed in release, finds ../shared relative to the repository root (or
# $SHARED_DIR) and the binary under $CARGO_TARGET_DIR (or target/), and runs the corpus with
# the floor below. The output is what the extension stores. See README.md beside this file.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
SHARED=${SHARED_DIR:-$ROOT/../shared}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
FLOOR=0.970   # reached: 1403 / 1446 = 97.03%

cargo build --quiet --release --bin parse-feed
BIN="$TARGET/release/parse-feed"

python3 "$SHARED/conformance/run.py" --min-pass-rate "$FLOOR" "$@" -- "$BIN"
