#!/usr/bin/env bash
# Build dist/ (extension/build.sh) and make the two store packages from it, in packages/:
# planet-reader-<version>-chromium.zip and planet-reader-<version>-firefox.zip (the version
# is Cargo.toml's). The same commit gives the same bytes; the sha256 of each is printed.
# See extension/package.mjs for what goes into each.
set -euo pipefail
cd "$(dirname "$0")/.."
extension/build.sh
node extension/package.mjs packages
