#!/usr/bin/env bash
# Retakes the screenshots of docs/screenshots/: runs the browser tests (which
# save a PNG of every main page of the UI on the Chengdong demo) with their
# output directory pointed there. Needs a `make test` build (build-test/).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
[ -x build-test/taizhang ] || { echo "screenshots: run 'make test' first" >&2; exit 1; }
mkdir -p docs/screenshots
cd build-test
TZ_SCREENSHOT_DIR="$root/docs/screenshots" ctest -R '^browser_' --output-on-failure
ls -1 "$root/docs/screenshots"
