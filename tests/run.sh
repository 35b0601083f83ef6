#!/usr/bin/env bash
# Every test suite of Planet Reader, from a fresh clone: installs what is missing
# (idempotently), builds dist/ first, through extension/build.sh exactly as the run command
# does (so no later step can fetch for it and hide a broken build), and the store packages
# from it, then checks formatting and lints, runs the native tests, the parser conformance
# run and the end-to-end suite in Debian's Chromium, then in Debian's Firefox ESR.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never
# A one-off build gains nothing from incremental caches; they only take disk.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

started=$(date +%s)
stage() { printf '\n\033[1m== %s\033[0m (%ss)\n' "$*" "$(( $(date +%s) - started ))"; }

stage "set-up"
# A full disk fails the build midway with a linker's IO error; say up front how much is free.
df -h . | tail -n 1
extension/setup.sh --browser

# extension/package.sh runs extension/build.sh (what extension/run.sh builds), then makes
# the store packages from dist/.
stage "build dist/ and the store packages (extension/package.sh)"
extension/package.sh

stage "format"
cargo fmt --all -- --check

stage "lints (native, worker, refresher, popup, options)"
cargo clippy --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --features worker,refresher,popup,options --bins --lib -- -D warnings

stage "native tests"
cargo test

if [ -x tests/conformance/run.sh ]; then
  stage "parser conformance (feedparser corpus)"
  tests/conformance/run.sh
fi

# No test may hang the run: each has five minutes (the longest take about one).
stage "end-to-end tests in Chromium"
node --test --test-concurrency=1 --test-timeout=300000 tests/e2e/*.test.mjs

stage "end-to-end tests in Firefox"
node --test --test-concurrency=1 --test-timeout=300000 tests/e2e/firefox/

stage "all suites passed"
