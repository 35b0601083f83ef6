#!/usr/bin/env bash
# The parser as wasm in headless Chromium against fast-xml-parser (+ mapping into the same
# fields), on the same bytes in the same page. One command, from anywhere:
#
#   tests/bench/wasm/run.sh
#
# Builds `parse-bench` for wasm32 with the *release* profile (what ships: opt-level "z",
# LTO, codegen-units 1, panic=abort), runs wasm-bindgen (the CLI must match the pinned
# wasm-bindgen version), writes the ~1 MB Planet Python-shaped feeds with the native bench's
# builder, serves everything on 127.0.0.1 from a node server the script starts and stops,
# and prints MB/s for both and the ratio. Needs /usr/bin/chromium and `npm ci` (done here
# when node_modules is missing).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$ROOT"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
export CARGO_TARGET_DIR=$TARGET
OUT=${WASM_BENCH_OUT:-$TARGET/wasm-bench}
mkdir -p "$OUT"

echo "== building parse-bench for wasm32 (release profile)" >&2
cargo build --quiet --release --target wasm32-unknown-unknown --features bench --bin parse-bench
wasm-bindgen --target web --no-typescript --out-dir "$OUT/pkg" \
  "$TARGET/wasm32-unknown-unknown/release/parse-bench.wasm"

extension/setup.sh >&2
RAW=$(stat -c %s "$OUT/pkg/parse-bench_bg.wasm")
if [ -x node_modules/.bin/wasm-opt ]; then
  node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals \
    "$OUT/pkg/parse-bench_bg.wasm" -o "$OUT/parse-bench_bg.opt.wasm"
  OPT=$(stat -c %s "$OUT/parse-bench_bg.opt.wasm")
  GZ=$(gzip -9 -c "$OUT/parse-bench_bg.opt.wasm" | wc -c)
  echo "wasm size: $RAW bytes after wasm-bindgen; $OPT after wasm-opt -Oz ($GZ gzipped)"
else
  echo "wasm size: $RAW bytes after wasm-bindgen"
fi

echo "== writing the feeds" >&2
cargo bench --quiet --bench parse -- --write-feeds "$OUT/feeds" >&2

echo "== running in headless Chromium" >&2
node tests/bench/wasm/bench.mjs "$OUT"
