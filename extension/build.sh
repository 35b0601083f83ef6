#!/usr/bin/env bash
# Build dist/: the unpacked Manifest V3 extension (release wasm, wasm-opt'ed), loadable in
# Chromium and Firefox. Installs the tools it needs first (extension/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$HOME/.cargo/bin:$PATH"
extension/setup.sh
# The update check would reach the network, which a build must not need.
TRUNK_SKIP_VERSION_CHECK=true trunk build --release
echo "dist/ is ready: load it as an unpacked extension."
