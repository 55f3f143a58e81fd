#!/usr/bin/env bash
# Installs the Debian packages taizhang needs to build, run and test, and only
# those that are missing. Safe to run any number of times.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libmicrohttpd-dev libjson-c-dev libsqlite3-dev libssl-dev libsodium-dev
  libcmocka-dev
  python3 sqlite3 curl wrk clang-format
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
