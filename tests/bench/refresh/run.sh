#!/usr/bin/env bash
# The refresh benchmark (see run.mjs): builds dist/ if needed, then runs it.
set -euo pipefail
cd "$(dirname "$0")/../../.."
[ -f dist/worker_bg.wasm ] || extension/build.sh
node tests/bench/refresh/run.mjs "$@"
