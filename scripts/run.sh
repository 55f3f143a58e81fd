#!/usr/bin/env bash
# `make run`: creates data/taizhang.db with the Chengdong demo when it does not
# exist yet, then starts the server on loopback and prints how to reach it.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=build/taizhang
db=${TAIZHANG_DB:-data/taizhang.db}
listen=${TAIZHANG_LISTEN:-127.0.0.1:8080}

mkdir -p "$(dirname "$db")"
if [ ! -f "$db" ]; then
  "$bin" demo --db "$db"
fi

cat <<TXT

taizhang is starting on http://$listen/
Demo accounts (password for all: Demo@2026):
  admin       系统管理员 (admin)
  auditor     安全审计员 (auditor)
  dcs         督查室 supervisor
  leader      区领导 leader
  zjj_mgr     住建局 manager
  zjj_staff   住建局 staff
  (docs/DEMO.md lists every account)
Stop with Ctrl-C.

TXT
exec "$bin" serve --db "$db" --listen "$listen"
