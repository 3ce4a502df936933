#!/usr/bin/env bash
# Renders the class page of the demo's curfew sweep (./curfew demo --html ...) to docs/class-page.png with headless
# Chromium, as an instructor sees it. Takes about a minute (the demo seeds and sweeps its own emulator).
#   docs/class-page.sh                 # writes target/demo-class-page.html and docs/class-page.png
# Needs moto_server (pip install -r requirements-dev.txt) and Chromium (Debian: apt-get install -y chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target
html="$PWD/target/demo-class-page.html"
./curfew demo --html "$html" >/dev/null
chrome="$(command -v chromium || command -v chromium-browser || command -v google-chrome)"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$chrome" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --user-data-dir="$profile" --hide-scrollbars \
  --window-size=1280,2000 --screenshot="$PWD/docs/class-page.png" "file://$html" 2>/dev/null
echo "$PWD/docs/class-page.png"
