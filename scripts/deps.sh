#!/usr/bin/env bash
# Installs what taizhang needs to build, run and test, and only what is missing:
# Debian packages (the toolchain, the libraries, Chromium for the browser tests,
# Node.js when the machine has none) and the web UI's npm packages (ECharts,
# built into the binary; playwright-core, which drives Chromium in the tests).
# Safe to run any number of times; with everything present it does nothing.
set -euo pipefail

cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config
  libmicrohttpd-dev libjson-c-dev libsqlite3-dev libssl-dev libsodium-dev
  libcmocka-dev libxlsxwriter-dev libcairo2-dev libpango1.0-dev poppler-utils libcurl4-openssl-dev
  libzip-dev libexpat1-dev
  python3 sqlite3 curl wrk clang-format
  chromium fonts-noto-cjk
)
# Node.js: the machine's own when it has one, else Debian's
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# the web UI's packages, at the versions of web/package-lock.json
# (npm keeps a copy of the lock it installed from: a different one means install again)
if [ ! -f web/node_modules/echarts/dist/echarts.min.js ] ||
  [ ! -f web/node_modules/playwright-core/package.json ] ||
  ! cmp -s <(grep -v '"name"' web/package-lock.json | grep '"version"\|"resolved"' | sort) \
    <(grep -v '"name"' web/node_modules/.package-lock.json 2>/dev/null | grep '"version"\|"resolved"' | sort); then
  echo "deps: installing the web UI's npm packages"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
