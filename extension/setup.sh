#!/usr/bin/env bash
# Install what building and testing Planet Reader needs, on a fresh Debian machine or this
# one. Idempotent: whatever is already there at the right version is kept, so a second run
# takes seconds.
#
#   wasm32 target, wasm-bindgen-cli at exactly Cargo.lock's version, Trunk 0.21.x,
#   every crate of Cargo.lock for the wasm target and this host (Trunk builds offline),
#   node packages from package-lock.json (binaryen's wasm-opt, playwright-core,
#   puppeteer-core, web-ext ...), Debian's chromium, chromium-driver and firefox-esr (only
#   with --browser).
#
# Nothing here assumes an earlier step left something behind: each item is checked on its
# own, so this is safe as the very first command on a new machine (with CARGO_HOME pointed
# anywhere) and costs about a second when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."
# `cargo install` puts tools in $CARGO_HOME/bin; tools installed earlier may be in ~/.cargo/bin.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$HOME/.cargo/bin:$PATH"

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

# 4. The crates. Trunk builds offline (Trunk.toml), so every crate the wasm build needs must
#    be in the cargo cache before it runs: fetch Cargo.lock's crates for the wasm target and
#    for this host (build scripts and proc macros run here). `--offline` first: when all are
#    cached this touches no network and takes a fraction of a second.
host=$(rustc -vV | sed -n 's/^host: //p')
fetch=(cargo fetch --locked --target wasm32-unknown-unknown --target "$host")
if ! "${fetch[@]}" --offline --quiet 2>/dev/null; then
  say "fetching the crates of Cargo.lock"
  "${fetch[@]}"
fi

# 5. Node packages, exactly as package-lock.json says; re-installed when the lock changes.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.planet-reader-lock 2>/dev/null)" != "$lock_sum" ]; then
  say "installing node packages (npm ci)"
  npm ci --no-audit --no-fund
  echo "$lock_sum" > node_modules/.planet-reader-lock
fi

# 6. Debian's Chromium and Firefox ESR for the end-to-end tests and the run command.
#    Fresh package lists first: bookworm-security carries the current Firefox ESR (153),
#    which the Firefox suite is written for; an old list would give the one before.
if [ "$want_browser" = 1 ]; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium chromium-driver)
  command -v firefox-esr >/dev/null || missing+=(firefox-esr)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian's ${missing[*]}"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -q
    $sudo apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}"
  fi
fi
