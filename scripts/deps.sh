#!/usr/bin/env bash
# Installs what taizhang needs to build, run and test, and only what is missing:
# Debian packages (the toolchain, the libraries, Chromium for the browser tests,
# Node.js when the machine has none, PostgreSQL and nginx for the tests) and the
# web UI's npm packages (ECharts, built into the binary; playwright-core, which
# drives Chromium in the tests).
# Safe to run any number of times; with everything present it does nothing.
#
# Services: the tests start their own PostgreSQL cluster (scripts/pg-cluster.sh)
# and their own nginx, so when this script has just installed postgresql or nginx
# it stops the services their packages start (Debian's default cluster 15/main on
# port 5432, nginx on port 80): nothing is left running. A service that was
# installed before is left as it was.
set -euo pipefail

cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config
  libmicrohttpd-dev libjson-c-dev libsqlite3-dev libssl-dev libsodium-dev
  libcmocka-dev libxlsxwriter-dev libcairo2-dev libpango1.0-dev poppler-utils libcurl4-openssl-dev
  libzip-dev libexpat1-dev libpq-dev postgresql nginx
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
  for p in "${missing[@]}"; do
    case $p in
      postgresql)
        # the package's default cluster(s), started by its postinst where services run
        if command -v pg_lsclusters >/dev/null; then
          pg_lsclusters -h 2>/dev/null | while read -r ver name _port status _; do
            if [ "$status" = online ]; then
              $sudo pg_ctlcluster "$ver" "$name" stop || true
            fi
          done || true
        fi
        ;;
      nginx)
        # (no pgrep: a fresh Debian image has no procps; the pid file says it runs)
        if [ -s /run/nginx.pid ]; then
          $sudo service nginx stop >/dev/null 2>&1 || $sudo nginx -s stop >/dev/null 2>&1 || true
        fi
        ;;
    esac
  done
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
