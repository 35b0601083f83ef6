#!/usr/bin/env bash
# The store benchmark (see run.mjs): builds dist/ (incrementally), then runs it.
set -euo pipefail
cd "$(dirname "$0")/../../.."
extension/build.sh
node tests/bench/store/run.mjs "$@"
