#!/usr/bin/env bash
# Build dist/ and start Chromium with Planet Reader loaded (its own profile under
# target/chromium-profile, so your everyday profile is untouched). Planet Python is the
# default subscription; the toolbar badge counts its unread entries.
set -euo pipefail
cd "$(dirname "$0")/.."
extension/setup.sh --browser
extension/build.sh
dist="$PWD/dist"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  cat <<MSG

No display here, so no browser window can open. To use Planet Reader, load dist/ by hand:
  Chromium/Chrome: chrome://extensions -> Developer mode -> Load unpacked -> $dist
  Firefox:         about:debugging#/runtime/this-firefox -> Load Temporary Add-on ->
                   $dist/manifest.json
MSG
  exit 0
fi
flags=(--user-data-dir="$PWD/target/chromium-profile" --no-first-run
       --disable-extensions-except="$dist" --load-extension="$dist")
[ "$(id -u)" = 0 ] && flags+=(--no-sandbox)
exec chromium "${flags[@]}" https://planetpython.org/
