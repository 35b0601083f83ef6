#!/usr/bin/env bash
# The refresh benchmark (see run.mjs): builds dist/ (incrementally), then runs it.
set -euo pipefail
cd "$(dirname "$0")/../../.."
extension/build.sh   # incremental: seconds when dist/ is current
node tests/bench/refresh/run.mjs "$@"
