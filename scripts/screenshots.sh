#!/usr/bin/env bash
# Retakes the screenshots of docs/screenshots/: runs the browser tests, which
# save a PNG of every main page of the UI on the Chengdong demo into
# build-test/screenshots/, and copies those here. Needs a `make test` build.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
[ -x build-test/taizhang ] || { echo "screenshots: run 'make test' first" >&2; exit 1; }
mkdir -p docs/screenshots
cd build-test
rm -rf screenshots
ctest -R '^browser_' --output-on-failure
cp screenshots/*.png "$root/docs/screenshots/"
ls -1 "$root/docs/screenshots"
