#!/usr/bin/env bash
# Install what building and testing Planet Reader needs, on a fresh Debian machine or this
# one. Idempotent: whatever is already there at the right version is kept, so a second run
# takes seconds.
#
#   wasm32 target, wasm-bindgen-cli at exactly Cargo.lock's version, Trunk 0.21.x,
#   node packages from package-lock.json (binaryen's wasm-opt, playwright-core ...),
#   Debian's chromium and chromium-driver (only with --browser).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

want_browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

# 1. The wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli, at the version Cargo.lock pins (the CLI and the crate must match).
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  say "installing wasm-bindgen-cli $bindgen_version (a few minutes)"
  # Not --locked: its lock file names a crate version the registry no longer serves.
  cargo install wasm-bindgen-cli --version "=$bindgen_version"
fi

# 3. Trunk 0.21.x (0.22 needs a newer rustc than this machine's).
if ! trunk --version 2>/dev/null | grep -q '^trunk 0\.21\.'; then
  say "installing Trunk 0.21 (about ten minutes)"
  cargo install trunk --version '~0.21' --locked --no-default-features --features rustls
fi

# 4. Node packages, exactly as package-lock.json says; re-installed when the lock changes.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.planet-reader-lock 2>/dev/null)" != "$lock_sum" ]; then
  say "installing node packages (npm ci)"
  npm ci --no-audit --no-fund
  echo "$lock_sum" > node_modules/.planet-reader-lock
fi

# 5. Debian's Chromium for the end-to-end tests and the run command.
if [ "$want_browser" = 1 ] && ! command -v chromium >/dev/null; then
  say "installing Debian's chromium and chromium-driver"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get install -y --no-install-recommends chromium chromium-driver \
    || { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends chromium chromium-driver; }
fi
