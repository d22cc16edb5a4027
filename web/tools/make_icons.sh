#!/bin/sh
# Regenerate the installable app's icons (web/icons/*.png) from web/favicon.svg with headless Chromium:
# the plain icon at 180 (apple-touch-icon), 192 and 512 px, and the maskable one (the mark on the theme
# colour, inside the 80 % safe zone) at 192 and 512 px. Run from anywhere: sh web/tools/make_icons.sh
set -eu
WEB=$(cd "$(dirname "$0")/.." && pwd)
CHROMIUM=${CHROMIUM:-chromium}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
printf '<html><body style="margin:0"><img src="file://%s/favicon.svg" style="width:100vw;height:100vh;display:block"></body></html>' "$WEB" > "$TMP/icon.html"
printf '<html><body style="margin:0;background:#0b4f8a;display:flex;align-items:center;justify-content:center;height:100vh"><img src="file://%s/favicon.svg" style="width:80vw;height:80vh;display:block"></body></html>' "$WEB" > "$TMP/mask.html"
shot() { "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --default-background-color=00000000 \
  --window-size="$2,$2" --screenshot="$WEB/icons/$3" "file://$TMP/$1" 2>/dev/null; }
for size in 180 192 512; do shot icon.html "$size" "icon-$size.png"; done
for size in 192 512; do shot mask.html "$size" "maskable-$size.png"; done
