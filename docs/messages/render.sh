#!/usr/bin/env bash
# Renders the sample warning, after-action digest and daily summary, and the messages of a sweep of many accounts
# (the instructor's summary of 4 and of 100 accounts, a student's "Curfew can no longer reach your account") and the
# sentinel's messages (a welcome, an instance outside the launch limits, a spot interruption) as
# HTML, plain text and Slack Block Kit JSON (from shared/core's SampleMessagesTest), and turns the HTML into PNGs
# with headless Chromium.
#   docs/messages/render.sh            # writes docs/messages/*.html, *.txt, *.slack.json, *.png
# Needs Chromium (Debian: apt-get update && apt-get install -y chromium).
set -euo pipefail
cd "$(dirname "$0")/../.."
out="$PWD/docs/messages"
mvn -B -q test -pl shared/core -Dtest=SampleMessagesTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dcurfew.samples-dir="$out"
chrome="$(command -v chromium || command -v chromium-browser || command -v google-chrome)"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
for name in warning after-action summary accounts-summary accounts-summary-100 unreachable welcome launch-limits \
  spot-interruption; do
  height=1400
  [ "$name" = summary ] && height=1500
  [ "$name" = accounts-summary-100 ] && height=1700
  "$chrome" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$profile" --hide-scrollbars \
    --window-size=760,"$height" --screenshot="$out/$name.png" "file://$out/$name.html" 2>/dev/null
  echo "$out/$name.png"
done
